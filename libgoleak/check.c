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

const struct facts *check_facts(goleak_check *chk) {
    if (!chk->facts) {
        chk->facts = facts_build(chk->unit, chk->engine->alloc);
        if (!chk->facts) chk->oom = 1;
    }
    return chk->facts;
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
    if (!chk || !msg || first >= chk->unit->toks.len || last >= chk->unit->toks.len ||
        last + 1 < first)
        return GOLEAK_EINVAL;
    uint32_t start, end;
    token_range_bytes(chk->unit, (uint32_t)first, (uint32_t)last, &start, &end);
    return report(chk, start, end, msg, -1);
}

GOLEAK_API goleak_status goleak_check_fail(goleak_check *chk, const char *msg) {
    if (!chk || !msg) return GOLEAK_EINVAL;
    const char *m = arena_strndup(&chk->strings, msg, strlen(msg));
    if (!m) {
        chk->oom = 1;
        return GOLEAK_ENOMEM;
    }
    chk->failure = m;
    return 0;
}

/* ---- running a check ---- */

/* Calls rule r on the check, serialised when the rule asks for it. */
static int call_rule(goleak_check *chk, const struct goleak_rule *r) {
    if (r->serial) pthread_mutex_lock(r->serial);
    int cb = r->fn(chk, r->user_data);
    if (r->serial) pthread_mutex_unlock(r->serial);
    return cb;
}

static int rule_applies(const struct goleak_rule *r, int go_minor) {
    if (!r->enabled) return 0;
    return !(go_minor >= 0 && ((r->go_min >= 0 && go_minor < r->go_min) ||
                               (r->go_below >= 0 && go_minor >= r->go_below)));
}

GOLEAK_API goleak_status goleak_engine_check(goleak_findings **out, const goleak_engine *e,
                                             const goleak_unit *u, const goleak_check_options *o,
                                             goleak_error *err) {
    if (out) *out = NULL;
    if (!out || !e || !u)
        return error_set(err, GOLEAK_EINVAL, NULL, 0, 0, 0, "goleak_engine_check: NULL argument");
    if (o && o->version != GOLEAK_CHECK_OPTIONS_VERSION)
        return error_set(err, GOLEAK_EINVAL, NULL, 0, 0, 0,
                         "goleak_engine_check: unknown goleak_check_options version %u",
                         o->version);
    if (u->root == NONE32)
        return error_set(err, GOLEAK_EINVAL, u->path, 0, 0, 0,
                         "%s: the unit has no tree (parsed with GOLEAK_PARSE_TOKENS_ONLY)",
                         u->path);
    int go_minor = -1;
    if (o && o->go_version) {
        go_minor = parse_go_minor(o->go_version);
        if (go_minor < 0)
            return error_set(err, GOLEAK_EINVAL, NULL, 0, 0, 0, "invalid Go version \"%s\"",
                             o->go_version);
    }
    goleak_check chk;
    memset(&chk, 0, sizeof chk);
    chk.engine = e;
    chk.unit = u;
    chk.go_minor = go_minor;
    arena_init(&chk.strings, e->alloc);
    int rc = 0;
    for (uint32_t k = 0; k < e->rules.len && rc == 0; k++) {
        const struct goleak_rule *r = e->rules.data[k];
        if (!rule_applies(r, go_minor) || !rule_triggered(&chk, r)) continue;
        chk.rule = r;
        chk.rule_index = k;
        chk.failure = NULL;
        int cb = call_rule(&chk, r);
        if (chk.facts && *chk.facts->oom) chk.oom = 1; /* an index built on demand failed */
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
        rc = findings_build(out, &chk, o ? o->flags : 0);
        if (rc) error_set(err, rc, u->path, 0, 0, 0, "out of memory");
    }
    facts_free(chk.facts);
    gl_free(e->alloc, chk.presence);
    gl_free(e->alloc, chk.found.data);
    arena_free(&chk.strings);
    return rc;
}
