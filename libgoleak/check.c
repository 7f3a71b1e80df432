/* Running the enabled rules on one unit (goleak_engine_check), and what a
 * rule callback calls on its check: the unit, options, reports, failure.
 * Sorting, suppression and the findings object are in findings.c. */
#include "engine.h"

#include "error.h"
#include "facts.h"
#include "findings.h"
#include "query.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

static uint64_t now_ns(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
}

/* ---- inside rule callbacks ---- */

GOLEAK_API const goleak_unit *goleak_check_unit(const goleak_check *chk) {
    return chk ? chk->unit : NULL;
}

GOLEAK_API const char *goleak_check_option(const goleak_check *chk, const char *key) {
    if (!chk || !key) return NULL;
    long k = rule_option_index(chk->rule, key);
    if (k < 0) return NULL;
    const char *v = chk->rule->values[k];
    return v ? v : chk->rule->options[k].default_value;
}

GOLEAK_API long long goleak_check_option_int(const goleak_check *chk, const char *key,
                                             long long fallback) {
    const char *v = goleak_check_option(chk, key);
    if (!v) return fallback;
    const goleak_rule_option *o = &chk->rule->options[rule_option_index(chk->rule, key)];
    if (o->type == GOLEAK_OPTION_STRING) return fallback;
    return rule_option_number(o, v);
}

GOLEAK_API int goleak_check_go_minor(const goleak_check *chk) {
    return chk ? chk->go_minor : -1;
}

const struct facts *check_package_facts(goleak_check *chk, size_t i) {
    check_package *pkg = chk->pkg;
    if (i >= pkg->n) return NULL;
    if (!pkg->facts[i]) {
        uint64_t t0 = chk->rule_ns ? now_ns() : 0;
        pkg->facts[i] = facts_build(pkg->units[i], chk->engine->alloc);
        if (chk->rule_ns) chk->shared_ns += now_ns() - t0;
        if (!pkg->facts[i]) chk->oom = 1;
    }
    return pkg->facts[i];
}

const struct facts *check_facts(goleak_check *chk) {
    if (!chk->facts) chk->facts = (struct facts *)check_package_facts(chk, chk->pkg_index);
    return chk->facts;
}

GOLEAK_API size_t goleak_check_package_size(const goleak_check *chk) {
    return chk ? chk->pkg->n : 0;
}

GOLEAK_API const goleak_unit *goleak_check_package_unit(const goleak_check *chk, size_t i) {
    return chk && i < chk->pkg->n ? chk->pkg->units[i] : NULL;
}

/* The data of slot s, built by build(chk) when it has none yet; its time
 * is counted as the shared indexes', not the running rule's. */
static void *slot_data(goleak_check *chk, shared_slot *s, void *(*build)(goleak_check *chk),
                       void (*free_fn)(void *data)) {
    if (s->data) return s->data;
    uint64_t t0 = chk->rule_ns ? now_ns() : 0, before = chk->shared_ns;
    void *d = build(chk);
    /* what build spent, less what it already counted (the facts) */
    if (chk->rule_ns) chk->shared_ns += now_ns() - t0 - (chk->shared_ns - before);
    if (!d) {
        chk->oom = 1;
        return NULL;
    }
    s->data = d;
    s->free_data = free_fn;
    return d;
}

void *check_shared(goleak_check *chk, int slot, void *(*build)(goleak_check *chk),
                   void (*free_fn)(void *data)) {
    return slot_data(chk, &chk->shared[slot], build, free_fn);
}

void *check_package_shared(goleak_check *chk, int slot, void *(*build)(goleak_check *chk),
                           void (*free_fn)(void *data)) {
    return slot_data(chk, &chk->pkg->shared[slot], build, free_fn);
}

/* Frees what a package check kept: the shared data, then the facts. */
static void package_free(check_package *pkg) {
    for (int k = PKG_SHARED_COUNT; k-- > 0;)
        if (pkg->shared[k].free_data) pkg->shared[k].free_data(pkg->shared[k].data);
    for (size_t k = 0; k < pkg->n; k++) facts_free(pkg->facts[k]);
}

/* Appends the version note of a gated rule when the version is unknown. */
static const char *version_note(const goleak_check *chk, char *buf, size_t size) {
    const struct goleak_rule *r = chk->rule;
    buf[0] = 0;
    if (chk->go_minor >= 0 || (r->go_min < 0 && r->go_below < 0)) return buf;
    snprintf(buf, size, " (concerns Go %s; the module's Go version is unknown)", r->go_versions);
    return buf;
}

static int report(goleak_check *chk, uint32_t start, uint32_t end, const char *msg, int severity) {
    char note[96];
    version_note(chk, note, sizeof note);
    raw_finding f = {chk->rule_index, start, end, NULL, severity};
    f.message = note[0] ? arena_printf(&chk->strings, "%s%s", msg, note)
                        : arena_strndup(&chk->strings, msg, strlen(msg));
    if (!f.message || VEC_PUSH(chk->engine->alloc, &chk->found, f)) {
        chk->oom = 1;
        return GOLEAK_ENOMEM;
    }
    return 0;
}

static int vreport(goleak_check *chk, uint32_t start, uint32_t end, int severity, const char *fmt,
                   va_list ap)
#if defined(__GNUC__)
    __attribute__((format(printf, 5, 0)))
#endif
    ;

static int vreport(goleak_check *chk, uint32_t start, uint32_t end, int severity, const char *fmt,
                   va_list ap) {
    char buf[1024];
    vsnprintf(buf, sizeof buf, fmt, ap);
    return report(chk, start, end, buf, severity);
}

int check_reportf(goleak_check *chk, uint32_t start, uint32_t end, const char *fmt, ...) {
    va_list ap;
    va_start(ap, fmt);
    int rc = vreport(chk, start, end, -1, fmt, ap);
    va_end(ap);
    return rc;
}

/* The byte range [*start, *end) of tokens [first, last]; a node recovered
 * without tokens has last == first - 1 (also at token 0, where last wraps
 * to 0xFFFFFFFF): its range is empty, at its first token. */
static void token_range_bytes(const goleak_unit *u, uint32_t first, uint32_t last, uint32_t *start,
                              uint32_t *end) {
    const token *t = u->toks.data;
    *start = t[first].off;
    *end = (uint32_t)(last + 1) == first ? *start : t[last].off + t[last].len;
}

int check_report_node(goleak_check *chk, uint32_t n, const char *fmt, ...) {
    const node *nd = &chk->unit->nodes.data[n];
    uint32_t start, end;
    token_range_bytes(chk->unit, nd->first, nd->last, &start, &end);
    va_list ap;
    va_start(ap, fmt);
    int rc = vreport(chk, start, end, -1, fmt, ap);
    va_end(ap);
    return rc;
}

int check_report_node_severity(goleak_check *chk, int severity, uint32_t n, const char *fmt, ...) {
    const node *nd = &chk->unit->nodes.data[n];
    uint32_t start, end;
    token_range_bytes(chk->unit, nd->first, nd->last, &start, &end);
    va_list ap;
    va_start(ap, fmt);
    int rc = vreport(chk, start, end, severity, fmt, ap);
    va_end(ap);
    return rc;
}

GOLEAK_API goleak_status goleak_check_report(goleak_check *chk, const goleak_node *n,
                                             const char *msg) {
    if (!chk || !n || !msg || n->unit != chk->unit) return GOLEAK_EINVAL;
    uint32_t start, end;
    token_range_bytes(chk->unit, n->first, n->last, &start, &end);
    return report(chk, start, end, msg, -1);
}

GOLEAK_API goleak_status goleak_check_report_tokens(goleak_check *chk, size_t first, size_t last,
                                                    const char *msg) {
    /* [first, first - 1] is an empty range at first (GOLEAK_NONE at token 0) */
    if (!chk || !msg || first >= chk->unit->toks.len ||
        (last + 1 != first && (last >= chk->unit->toks.len || last < first)))
        return GOLEAK_EINVAL;
    uint32_t start, end;
    token_range_bytes(chk->unit, (uint32_t)first, (uint32_t)last, &start, &end);
    return report(chk, start, end, msg, -1);
}

GOLEAK_API goleak_status goleak_check_fail(goleak_check *chk, const char *msg) {
    if (!chk || !msg) return GOLEAK_EINVAL;
    if (chk->failure) return 0; /* the first reason is kept */
    const char *m = arena_strndup(&chk->strings, msg, strlen(msg));
    if (!m) {
        chk->oom = 1;
        return GOLEAK_ENOMEM;
    }
    chk->failure = m;
    return 0;
}

void check_fail(goleak_check *chk, const char *fmt, ...) {
    char buf[1024];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(buf, sizeof buf, fmt, ap);
    va_end(ap);
    goleak_check_fail(chk, buf);
}

/* ---- running a check ---- */

/* Calls rule r on the check, serialised when the rule asks for it. */
static int call_rule(goleak_check *chk, const struct goleak_rule *r) {
    if (r->serial) pthread_mutex_lock(r->serial);
    int cb = r->fn(chk, r->user_data);
    if (r->serial) pthread_mutex_unlock(r->serial);
    return cb;
}

static int rule_applies(const struct goleak_rule *r, const goleak_unit *u, int go_minor) {
    if (r->scopes.len ? !engine_rule_enabled_for(r, u->path ? u->path : "") : !r->enabled) return 0;
    return !(go_minor >= 0 && ((r->go_min >= 0 && go_minor < r->go_min) ||
                               (r->go_below >= 0 && go_minor >= r->go_below)));
}

/* Validates a check's arguments; the Go minor version in *go_minor. */
static goleak_status check_args(const goleak_engine *e, const goleak_unit *const *units, size_t n,
                                const goleak_check_options *o, int *go_minor, goleak_error *err,
                                const char *fn) {
    if (!e || (n && !units))
        return error_set(err, GOLEAK_EINVAL, NULL, 0, 0, 0, "%s: NULL argument", fn);
    if (o && o->version != GOLEAK_CHECK_OPTIONS_VERSION)
        return error_set(err, GOLEAK_EINVAL, NULL, 0, 0, 0,
                         "%s: unknown goleak_check_options version %u", fn, o->version);
    for (size_t k = 0; k < n; k++) {
        if (!units[k]) return error_set(err, GOLEAK_EINVAL, NULL, 0, 0, 0, "%s: NULL unit", fn);
        if (units[k]->root == NONE32)
            return error_set(err, GOLEAK_EINVAL, units[k]->path, 0, 0, 0,
                             "%s: the unit has no tree (parsed with GOLEAK_PARSE_TOKENS_ONLY)",
                             units[k]->path);
    }
    *go_minor = -1;
    if (o && o->go_version) {
        *go_minor = parse_go_minor(o->go_version);
        if (*go_minor < 0)
            return error_set(err, GOLEAK_EINVAL, NULL, 0, 0, 0, "invalid Go version \"%s\"",
                             o->go_version);
    }
    return 0;
}

/* Runs the rules on file i of a package; its findings in *out. */
static goleak_status check_unit(goleak_findings **out, const goleak_engine *e, check_package *pkg,
                                size_t i, int go_minor, unsigned flags, goleak_error *err) {
    const goleak_unit *u = pkg->units[i];
    goleak_check chk;
    memset(&chk, 0, sizeof chk);
    chk.engine = e;
    chk.unit = u;
    chk.pkg = pkg;
    chk.pkg_index = i;
    chk.go_minor = go_minor;
    arena_init(&chk.strings, e->alloc);
    int rc = 0;
    if (flags & GOLEAK_CHECK_TIME_RULES) {
        /* one slot per rule, then the shared indexes */
        chk.rule_ns = gl_calloc(e->alloc, ((size_t)e->rules.len + 1) * sizeof *chk.rule_ns);
        if (!chk.rule_ns) rc = error_set(err, GOLEAK_ENOMEM, u->path, 0, 0, 0, "out of memory");
    }
    /* the rules' FOR_UNIT_NODE reads it: built here, where running out of
     * memory can fail the check */
    if (rc == 0 && unit_kind_index(u))
        rc = error_set(err, GOLEAK_ENOMEM, u->path, 0, 0, 0, "out of memory");
    for (uint32_t k = 0; k < e->rules.len && rc == 0; k++) {
        const struct goleak_rule *r = e->rules.data[k];
        if (!rule_applies(r, u, go_minor)) continue;
        int cb = 0;
        if (rule_triggered(&chk, r)) {
            chk.rule = r;
            chk.rule_index = k;
            chk.failure = NULL;
            uint64_t t0 = chk.rule_ns ? now_ns() : 0;
            chk.shared_ns = 0;
            cb = call_rule(&chk, r);
            if (chk.rule_ns) {
                uint64_t spent = now_ns() - t0;
                chk.rule_ns[k] += spent - chk.shared_ns;
                chk.rule_ns[e->rules.len] += chk.shared_ns;
            }
        }
        /* an index built on demand failed, in this file's facts or another's */
        for (size_t j = 0; j < pkg->n && !chk.oom; j++)
            if (pkg->facts[j] && *pkg->facts[j]->oom) chk.oom = 1;
        if (chk.oom) {
            rc = error_set(err, GOLEAK_ENOMEM, u->path, 0, 0, 0, "out of memory");
        } else if (cb != 0 || chk.failure) {
            if (chk.failure)
                rc = error_set(err, GOLEAK_EUSER, u->path, 0, 0, 0, "rule %s failed on %s: %s",
                               r->id, u->path, chk.failure);
            else
                rc = error_set(err, GOLEAK_EUSER, u->path, 0, 0, 0, "rule %s failed on %s (%d)",
                               r->id, u->path, cb);
        }
    }
    if (rc == 0) {
        rc = findings_build(out, &chk, flags);
        if (rc) {
            error_set(err, rc, u->path, 0, 0, 0, "out of memory");
        } else if (chk.rule_ns) { /* the findings own the times from here */
            findings_set_times(*out, chk.rule_ns, (size_t)e->rules.len + 1);
            chk.rule_ns = NULL;
        }
    }
    gl_free(e->alloc, chk.rule_ns);
    for (int k = 0; k < SHARED_COUNT; k++)
        if (chk.shared[k].free_data) chk.shared[k].free_data(chk.shared[k].data);
    gl_free(e->alloc, chk.presence);
    gl_free(e->alloc, chk.found.data);
    arena_free(&chk.strings);
    return rc;
}

GOLEAK_API goleak_status goleak_engine_check_package(goleak_findings **out, const goleak_engine *e,
                                                     const goleak_unit *const *units, size_t n,
                                                     const goleak_check_options *o,
                                                     goleak_error *err) {
    if (out)
        for (size_t k = 0; k < n; k++) out[k] = NULL;
    if (!out && n)
        return error_set(err, GOLEAK_EINVAL, NULL, 0, 0, 0,
                         "goleak_engine_check_package: NULL argument");
    int go_minor;
    goleak_status rc = check_args(e, units, n, o, &go_minor, err, "goleak_engine_check_package");
    if (rc || n == 0) return rc;
    check_package pkg = {units, n, gl_calloc(e->alloc, n * sizeof *pkg.facts), {{0}}};
    if (!pkg.facts) return error_set(err, GOLEAK_ENOMEM, NULL, 0, 0, 0, "out of memory");
    for (size_t k = 0; k < n && rc == 0; k++)
        rc = check_unit(&out[k], e, &pkg, k, go_minor, o ? o->flags : 0, err);
    package_free(&pkg);
    gl_free(e->alloc, pkg.facts);
    if (rc) /* all or nothing */
        for (size_t k = 0; k < n; k++) {
            goleak_findings_free(out[k]);
            out[k] = NULL;
        }
    return rc;
}

GOLEAK_API goleak_status goleak_engine_check(goleak_findings **out, const goleak_engine *e,
                                             const goleak_unit *u, const goleak_check_options *o,
                                             goleak_error *err) {
    if (out) *out = NULL;
    if (!out || !u)
        return error_set(err, GOLEAK_EINVAL, NULL, 0, 0, 0, "goleak_engine_check: NULL argument");
    int go_minor;
    goleak_status rc = check_args(e, &u, 1, o, &go_minor, err, "goleak_engine_check");
    if (rc) return rc;
    struct facts *unit_facts = NULL;
    check_package pkg = {&u, 1, &unit_facts, {{0}}};
    rc = check_unit(out, e, &pkg, 0, go_minor, o ? o->flags : 0, err);
    package_free(&pkg);
    return rc;
}
