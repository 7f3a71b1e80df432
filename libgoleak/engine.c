/* The engine: registering and configuring rules, and running them on a
 * unit. Sorting, suppression and the findings object are in findings.c. */
#include "engine.h"

#include "error.h"
#include "facts.h"
#include "findings.h"
#include "rules/rules.h"

#include <ctype.h>
#include <fnmatch.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

/* ---- versions ---- */

int parse_go_minor(const char *v) {
    if (!v) return -1;
    if (strncmp(v, "go", 2) == 0) v += 2;
    if (v[0] != '1' || (v[1] != '.' && v[1] != 0)) return -1;
    if (v[1] == 0) return 0;
    const char *p = v + 2;
    if (!isdigit((unsigned char)*p)) return -1;
    int minor = 0;
    while (isdigit((unsigned char)*p)) {
        minor = minor * 10 + (*p - '0');
        if (minor > 1000) return -1;
        p++;
    }
    /* a patch number or a pre-release suffix may follow */
    if (*p == '.') {
        p++;
        if (!isdigit((unsigned char)*p)) return -1;
        while (isdigit((unsigned char)*p)) p++;
    }
    while (isalnum((unsigned char)*p)) p++;
    return *p == 0 ? minor : -1;
}

GOLEAK_API int goleak_go_version_minor(const char *version) {
    return parse_go_minor(version);
}

/* ---- engine lifecycle ---- */

GOLEAK_API int goleak_engine_new(goleak_engine **out, const goleak_engine_options *opts,
                                 goleak_error *err) {
    if (out) *out = NULL;
    if (!out) return error_set(err, GOLEAK_EINVAL, NULL, 0, 0, 0, "goleak_engine_new: out is NULL");
    const goleak_allocator *a = alloc_pick(opts ? opts->allocator : NULL);
    goleak_engine *e = gl_calloc(a, sizeof *e);
    if (!e) return error_set(err, GOLEAK_ENOMEM, NULL, 0, 0, 0, "out of memory");
    e->alloc_copy = *a;
    e->alloc = &e->alloc_copy;
    *out = e;
    return 0;
}

static void rule_free(const goleak_allocator *a, struct goleak_rule *r) {
    if (!r) return;
    if (r->free_user_data) r->free_user_data(r->user_data);
    for (uint32_t k = 0; k < r->options.len; k++) {
        gl_free(a, r->options.data[k].key);
        gl_free(a, r->options.data[k].value);
    }
    gl_free(a, r->options.data);
    for (uint32_t k = 0; k < r->scopes.len; k++) {
        rule_scope *sc = &r->scopes.data[k];
        for (char **g = sc->globs; g && *g; g++) gl_free(a, *g);
        gl_free(a, sc->globs);
        gl_free(a, sc->base);
        gl_free(a, sc->cwd);
    }
    gl_free(a, r->scopes.data);
    gl_free(a, r->origin_path);
    gl_free(a, r->id);
    gl_free(a, r->name);
    gl_free(a, r->summary);
    gl_free(a, r->doc);
    gl_free(a, r);
}

GOLEAK_API void goleak_engine_free(goleak_engine *e) {
    if (!e) return;
    for (uint32_t k = 0; k < e->rules.len; k++) rule_free(e->alloc, e->rules.data[k]);
    gl_free(e->alloc, e->rules.data);
    /* after the rules: their callbacks and user data may live in these */
    for (uint32_t k = e->attached.len; k-- > 0;)
        e->attached.data[k].free_fn(e->attached.data[k].data);
    gl_free(e->alloc, e->attached.data);
    goleak_allocator copy = *e->alloc;
    gl_free(&copy, e);
}

/* ---- registration ---- */

static int valid_id(const char *s) {
    if (!s || !*s || strlen(s) > 64) return 0;
    for (; *s; s++)
        if (!isalnum((unsigned char)*s) && *s != '-' && *s != '_') return 0;
    return 1;
}

static void describe_versions(struct goleak_rule *r) {
    if (r->go_min >= 0 && r->go_below >= 0)
        snprintf(r->go_versions, sizeof r->go_versions, ">= 1.%d, < 1.%d", r->go_min, r->go_below);
    else if (r->go_min >= 0)
        snprintf(r->go_versions, sizeof r->go_versions, ">= 1.%d", r->go_min);
    else if (r->go_below >= 0)
        snprintf(r->go_versions, sizeof r->go_versions, "< 1.%d", r->go_below);
    else
        snprintf(r->go_versions, sizeof r->go_versions, "any");
}

static int add_rule(goleak_engine *e, const goleak_rule_def *d,
                    int (*validate)(const char *, const char *), int builtin_origin,
                    goleak_error *err) {
    if (!e || !d || d->version < 1 || !valid_id(d->id) || !valid_id(d->name) || !d->check)
        return error_set(err, GOLEAK_EINVAL, NULL, 0, 0, 0, "goleak_engine_register_rule: %s",
                         !e || !d             ? "NULL argument"
                         : d->version < 1     ? "unknown goleak_rule_def version"
                         : !valid_id(d->id)   ? "missing or invalid id"
                         : !valid_id(d->name) ? "missing or invalid name"
                                              : "missing check callback");
    int go_min = d->go_min ? parse_go_minor(d->go_min) : -1;
    int go_below = d->go_below ? parse_go_minor(d->go_below) : -1;
    if ((d->go_min && go_min < 0) || (d->go_below && go_below < 0))
        return error_set(err, GOLEAK_EINVAL, NULL, 0, 0, 0, "rule %s: invalid Go version \"%s\"",
                         d->id, d->go_min && go_min < 0 ? d->go_min : d->go_below);
    if (goleak_engine_find_rule(e, d->id) || goleak_engine_find_rule(e, d->name))
        return error_set(err, GOLEAK_EEXISTS, NULL, 0, 0, 0, "rule %s (%s) is already registered",
                         d->id, d->name);
    const goleak_allocator *a = e->alloc;
    struct goleak_rule *r = gl_calloc(a, sizeof *r);
    if (!r) return error_set(err, GOLEAK_ENOMEM, NULL, 0, 0, 0, "out of memory");
    r->id = gl_strdup(a, d->id);
    r->name = gl_strdup(a, d->name);
    r->summary = gl_strdup(a, d->summary ? d->summary : "");
    r->doc = gl_strdup(a, d->doc ? d->doc : "");
    if (!r->id || !r->name || !r->summary || !r->doc || VEC_PUSH(a, &e->rules, r)) {
        rule_free(a, r);
        return error_set(err, GOLEAK_ENOMEM, NULL, 0, 0, 0, "out of memory");
    }
    r->severity = d->severity;
    r->go_min = go_min;
    r->go_below = go_below;
    describe_versions(r);
    r->fn = d->check;
    r->validate_option = validate;
    r->enabled = 1;
    r->origin = builtin_origin ? GOLEAK_ORIGIN_BUILTIN : GOLEAK_ORIGIN_API;
    /* only now does the engine own user_data */
    r->user_data = d->user_data;
    r->free_user_data = d->free_user_data;
    return 0;
}

GOLEAK_API int goleak_engine_register_rule(goleak_engine *e, const goleak_rule_def *d,
                                           goleak_error *err) {
    return add_rule(e, d, NULL, 0, err);
}

GOLEAK_API int goleak_engine_add_builtin_rules(goleak_engine *e, goleak_error *err) {
    if (!e) return error_set(err, GOLEAK_EINVAL, NULL, 0, 0, 0, "engine is NULL");
    if (e->builtin_added)
        return error_set(err, GOLEAK_EEXISTS, NULL, 0, 0, 0, "built-in rules already added");
    for (size_t k = 0; k < builtin_rule_count; k++) {
        const builtin_rule *b = builtin_rules[k];
        goleak_rule_def d = GOLEAK_RULE_DEF_INIT;
        d.id = b->id;
        d.name = b->name;
        d.severity = b->severity;
        d.summary = b->summary;
        d.doc = b->doc;
        d.go_min = b->go_min;
        d.go_below = b->go_below;
        d.check = b->check;
        int rc = add_rule(e, &d, b->validate_option, 1, err);
        if (rc) return rc;
    }
    e->builtin_added = 1;
    return 0;
}

/* ---- queries and configuration ---- */

GOLEAK_API size_t goleak_engine_rule_count(const goleak_engine *e) {
    return e ? e->rules.len : 0;
}

GOLEAK_API const goleak_rule *goleak_engine_rule(const goleak_engine *e, size_t i) {
    if (!e || i >= e->rules.len) return NULL;
    return e->rules.data[i];
}

GOLEAK_API const goleak_rule *goleak_engine_find_rule(const goleak_engine *e,
                                                      const char *id_or_name) {
    if (!e || !id_or_name) return NULL;
    for (uint32_t k = 0; k < e->rules.len; k++) {
        const struct goleak_rule *r = e->rules.data[k];
        if (strcmp(r->id, id_or_name) == 0 || strcmp(r->name, id_or_name) == 0) return r;
    }
    return NULL;
}

/* Calls fn on each comma-separated entry of list (spaces trimmed); stops at
 * the first non-zero result. */
static int each_entry(const char *list, int (*fn)(const char *entry, void *ctx), void *ctx) {
    const char *p = list;
    while (*p) {
        while (*p == ' ' || *p == ',') p++;
        if (!*p) break;
        const char *q = p;
        while (*q && *q != ',') q++;
        const char *end = q;
        while (end > p && end[-1] == ' ') end--;
        char entry[96];
        size_t n = (size_t)(end - p);
        if (n >= sizeof entry) n = sizeof entry - 1;
        memcpy(entry, p, n);
        entry[n] = 0;
        int rc = fn(entry, ctx);
        if (rc) return rc;
        p = q;
    }
    return 0;
}

typedef struct enable_ctx {
    goleak_engine *e;
    int enabled, apply;
    char bad[96];
} enable_ctx;

static int enable_entry(const char *entry, void *ctx) {
    enable_ctx *c = ctx;
    if (strcmp(entry, "all") == 0) {
        if (c->apply)
            for (uint32_t k = 0; k < c->e->rules.len; k++)
                c->e->rules.data[k]->enabled = c->enabled;
        return 0;
    }
    struct goleak_rule *r = (struct goleak_rule *)goleak_engine_find_rule(c->e, entry);
    if (!r) {
        snprintf(c->bad, sizeof c->bad, "%s", entry);
        return 1;
    }
    if (c->apply) r->enabled = c->enabled;
    return 0;
}

GOLEAK_API int goleak_engine_enable_rules(goleak_engine *e, const char *list, int enabled,
                                          goleak_error *err) {
    if (!e || !list) return error_set(err, GOLEAK_EINVAL, NULL, 0, 0, 0, "NULL argument");
    enable_ctx c = {e, enabled ? 1 : 0, 0, {0}};
    /* validate everything first so that a typo changes nothing */
    if (each_entry(list, enable_entry, &c))
        return error_set(err, GOLEAK_ENOTFOUND, NULL, 0, 0, 0, "unknown rule \"%s\"", c.bad);
    c.apply = 1;
    each_entry(list, enable_entry, &c);
    return 0;
}

GOLEAK_API int goleak_engine_set_option(goleak_engine *e, const char *rule, const char *key,
                                        const char *value, goleak_error *err) {
    if (!e || !rule || !key || !value)
        return error_set(err, GOLEAK_EINVAL, NULL, 0, 0, 0, "NULL argument");
    struct goleak_rule *r = (struct goleak_rule *)goleak_engine_find_rule(e, rule);
    if (!r) return error_set(err, GOLEAK_ENOTFOUND, NULL, 0, 0, 0, "unknown rule \"%s\"", rule);
    if (r->validate_option && r->validate_option(key, value) != 0)
        return error_set(err, GOLEAK_EINVAL, NULL, 0, 0, 0, "rule %s: invalid option %s=\"%s\"",
                         r->id, key, value);
    const goleak_allocator *a = e->alloc;
    char *v = gl_strdup(a, value);
    if (!v) return error_set(err, GOLEAK_ENOMEM, NULL, 0, 0, 0, "out of memory");
    for (uint32_t k = 0; k < r->options.len; k++) {
        if (strcmp(r->options.data[k].key, key) == 0) {
            gl_free(a, r->options.data[k].value);
            r->options.data[k].value = v;
            return 0;
        }
    }
    rule_option o = {gl_strdup(a, key), v};
    if (!o.key || VEC_PUSH(a, &r->options, o)) {
        gl_free(a, o.key);
        gl_free(a, v);
        return error_set(err, GOLEAK_ENOMEM, NULL, 0, 0, 0, "out of memory");
    }
    return 0;
}

GOLEAK_API const char *goleak_rule_id(const goleak_rule *r) {
    return r ? r->id : NULL;
}

GOLEAK_API const char *goleak_rule_name(const goleak_rule *r) {
    return r ? r->name : NULL;
}

GOLEAK_API int goleak_rule_severity(const goleak_rule *r) {
    return r ? r->severity : -1;
}

GOLEAK_API const char *goleak_rule_summary(const goleak_rule *r) {
    return r ? r->summary : NULL;
}

GOLEAK_API const char *goleak_rule_doc(const goleak_rule *r) {
    return r ? r->doc : NULL;
}

GOLEAK_API int goleak_rule_enabled(const goleak_rule *r) {
    return r ? r->enabled : 0;
}

GOLEAK_API const char *goleak_rule_go_versions(const goleak_rule *r) {
    return r ? r->go_versions : NULL;
}

GOLEAK_API int goleak_rule_origin(const goleak_rule *r) {
    return r ? r->origin : -1;
}

GOLEAK_API const char *goleak_rule_origin_path(const goleak_rule *r) {
    return r ? r->origin_path : NULL;
}

/* ---- hooks for rule packs ---- */

int engine_set_origin(goleak_engine *e, size_t first, int origin, const char *path) {
    for (size_t k = first; k < e->rules.len; k++) {
        struct goleak_rule *r = e->rules.data[k];
        char *p = path ? gl_strdup(e->alloc, path) : NULL;
        if (path && !p) return GOLEAK_ENOMEM;
        gl_free(e->alloc, r->origin_path);
        r->origin = origin;
        r->origin_path = p;
    }
    return 0;
}

void engine_rollback(goleak_engine *e, size_t first, size_t first_attached) {
    while (e->rules.len > first) rule_free(e->alloc, e->rules.data[--e->rules.len]);
    while (e->attached.len > first_attached) {
        engine_attachment *at = &e->attached.data[--e->attached.len];
        at->free_fn(at->data);
    }
}

int engine_attach(goleak_engine *e, void *data, void (*free_fn)(void *data)) {
    engine_attachment at = {data, free_fn};
    if (VEC_PUSH(e->alloc, &e->attached, at)) {
        free_fn(data);
        return GOLEAK_ENOMEM;
    }
    return 0;
}

size_t engine_attach_count(const goleak_engine *e) {
    return e->attached.len;
}

int engine_rule_add_scope(goleak_engine *e, goleak_rule *r, const char *base,
                          const char *const *globs, size_t n, int enabled) {
    const goleak_allocator *a = e->alloc;
    char cwd[4096];
    if (!getcwd(cwd, sizeof cwd)) strcpy(cwd, "/");
    rule_scope sc = {gl_strdup(a, base), gl_strdup(a, cwd), gl_calloc(a, (n + 1) * sizeof(char *)),
                     enabled};
    int ok = sc.base && sc.cwd && sc.globs;
    for (size_t k = 0; ok && k < n; k++) ok = (sc.globs[k] = gl_strdup(a, globs[k])) != NULL;
    if (ok && VEC_PUSH(a, &r->scopes, sc) == 0) return 0;
    for (char **g = sc.globs; g && *g; g++) gl_free(a, *g);
    gl_free(a, sc.globs);
    gl_free(a, sc.base);
    gl_free(a, sc.cwd);
    return GOLEAK_ENOMEM;
}

/* Whether path (absolute, or relative to the working directory cwd) lies
 * under base; its part below base in rel (size bytes). Relative paths are
 * joined to cwd and their leading "./" and "../" folded. */
static int path_under(const char *path, const char *base, const char *cwd, char *rel, size_t size) {
    char abs[4096];
    if (path[0] == '/') {
        snprintf(abs, sizeof abs, "%s", path);
    } else {
        size_t o = (size_t)snprintf(abs, sizeof abs, "%s", cwd);
        for (;;) {
            while (path[0] == '.' && path[1] == '/') path += 2;
            if (!(path[0] == '.' && path[1] == '.' && path[2] == '/')) break;
            path += 3;
            while (o > 0 && abs[o - 1] != '/') o--;
            if (o > 1) o--;
            abs[o] = 0;
        }
        snprintf(abs + o, sizeof abs - o, "%s%s", o && abs[o - 1] == '/' ? "" : "/", path);
    }
    size_t n = strlen(base);
    if (n == 1 && base[0] == '/') n = 0;
    if (strncmp(abs, base, n) != 0 || (abs[n] != '/' && abs[n] != 0)) return 0;
    snprintf(rel, size, "%s", abs[n] == '/' ? abs + n + 1 : abs + n);
    return 1;
}

int engine_rule_enabled_for(const struct goleak_rule *r, const char *path) {
    int on = r->enabled;
    for (uint32_t k = 0; k < r->scopes.len; k++) {
        const rule_scope *sc = &r->scopes.data[k];
        char rel[4096];
        if (!path_under(path, sc->base, sc->cwd, rel, sizeof rel)) continue;
        const char *slash = strrchr(rel, '/'), *base = slash ? slash + 1 : rel;
        for (char **g = sc->globs; *g; g++) {
            if (fnmatch(*g, rel, 0) == 0 || fnmatch(*g, base, 0) == 0) {
                on = sc->enabled;
                break;
            }
        }
    }
    return on;
}

static uint64_t now_ns(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
}

void *check_shared(goleak_check *chk, int slot, void *(*build)(goleak_check *chk),
                   void (*free_fn)(void *data)) {
    if (chk->shared[slot].data) return chk->shared[slot].data;
    uint64_t t0 = chk->rule_ns ? now_ns() : 0, before = chk->shared_ns;
    void *d = build(chk);
    /* what build spent, less what it already counted (the facts) */
    if (chk->rule_ns) chk->shared_ns += now_ns() - t0 - (chk->shared_ns - before);
    if (!d) {
        chk->oom = 1;
        return NULL;
    }
    chk->shared[slot].data = d;
    chk->shared[slot].free_fn = free_fn;
    return d;
}

void check_fail(goleak_check *chk, const char *fmt, ...) {
    if (chk->failure) return; /* the first reason is kept */
    char buf[1024];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(buf, sizeof buf, fmt, ap);
    va_end(ap);
    chk->failure = gl_strdup(chk->engine->alloc, buf);
    if (!chk->failure) chk->oom = 1;
}

GOLEAK_API const char *goleak_severity_name(int s) {
    switch (s) {
    case GOLEAK_SEVERITY_ERROR: return "error";
    case GOLEAK_SEVERITY_WARNING: return "warning";
    case GOLEAK_SEVERITY_INFO: return "info";
    default: return "?";
    }
}

/* ---- inside rule callbacks ---- */

GOLEAK_API const goleak_unit *goleak_check_unit(const goleak_check *chk) {
    return chk ? chk->unit : NULL;
}

GOLEAK_API const char *goleak_check_option(const goleak_check *chk, const char *key) {
    if (!chk || !key) return NULL;
    const struct goleak_rule *r = chk->rule;
    for (uint32_t k = 0; k < r->options.len; k++)
        if (strcmp(r->options.data[k].key, key) == 0) return r->options.data[k].value;
    return NULL;
}

GOLEAK_API int goleak_check_go_minor(const goleak_check *chk) {
    return chk ? chk->go_minor : -1;
}

const struct facts *check_facts(goleak_check *chk) {
    if (!chk->facts) {
        uint64_t t0 = chk->rule_ns ? now_ns() : 0;
        chk->facts = facts_build(chk->unit, chk->engine->alloc);
        if (chk->rule_ns) chk->shared_ns += now_ns() - t0;
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

static int report(goleak_check *chk, uint32_t start, uint32_t end, const char *msg) {
    char note[96];
    version_note(chk, note, sizeof note);
    raw_finding f = {chk->rule_index, start, end, NULL};
    f.message = note[0] ? arena_printf(&chk->strings, "%s%s", msg, note)
                        : arena_strndup(&chk->strings, msg, strlen(msg));
    if (!f.message || VEC_PUSH(chk->engine->alloc, &chk->found, f)) {
        chk->oom = 1;
        return GOLEAK_ENOMEM;
    }
    return 0;
}

int check_reportf(goleak_check *chk, uint32_t start, uint32_t end, const char *fmt, ...) {
    char buf[1024];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(buf, sizeof buf, fmt, ap);
    va_end(ap);
    return report(chk, start, end, buf);
}

static void token_range_bytes(const goleak_unit *u, size_t first, size_t last, uint32_t *start,
                              uint32_t *end) {
    const token *t = u->toks.data;
    *start = t[first].off;
    *end = last + 1 == first ? *start : t[last].off + t[last].len;
}

int check_report_node(goleak_check *chk, uint32_t n, const char *fmt, ...) {
    const node *nd = &chk->unit->nodes.data[n];
    uint32_t start, end;
    token_range_bytes(chk->unit, nd->first, nd->last, &start, &end);
    char buf[1024];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(buf, sizeof buf, fmt, ap);
    va_end(ap);
    return report(chk, start, end, buf);
}

GOLEAK_API int goleak_check_report(goleak_check *chk, const goleak_node *n, const char *msg) {
    if (!chk || !n || !msg || n->unit != chk->unit) return GOLEAK_EINVAL;
    uint32_t start, end;
    token_range_bytes(chk->unit, n->first, n->last, &start, &end);
    return report(chk, start, end, msg);
}

GOLEAK_API int goleak_check_report_tokens(goleak_check *chk, size_t first, size_t last,
                                          const char *msg) {
    if (!chk || !msg || first >= chk->unit->toks.len || (last >= chk->unit->toks.len) ||
        last + 1 < first)
        return GOLEAK_EINVAL;
    uint32_t start, end;
    token_range_bytes(chk->unit, first, last, &start, &end);
    return report(chk, start, end, msg);
}

/* ---- running a check ---- */

GOLEAK_API int goleak_engine_check(goleak_findings **out, const goleak_engine *e,
                                   const goleak_unit *u, const goleak_check_options *o,
                                   goleak_error *err) {
    if (out) *out = NULL;
    if (!out || !e || !u)
        return error_set(err, GOLEAK_EINVAL, NULL, 0, 0, 0, "goleak_engine_check: NULL argument");
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
    unsigned flags = o ? o->flags : 0;
    if (flags & GOLEAK_CHECK_TIME_RULES) {
        /* one slot per rule, then the shared indexes */
        chk.rule_ns = gl_calloc(e->alloc, ((size_t)e->rules.len + 1) * sizeof *chk.rule_ns);
        if (!chk.rule_ns) rc = error_set(err, GOLEAK_ENOMEM, u->path, 0, 0, 0, "out of memory");
    }
    for (uint32_t k = 0; k < e->rules.len && rc == 0; k++) {
        const struct goleak_rule *r = e->rules.data[k];
        if (r->scopes.len ? !engine_rule_enabled_for(r, u->path) : !r->enabled) continue;
        if (go_minor >= 0 && ((r->go_min >= 0 && go_minor < r->go_min) ||
                              (r->go_below >= 0 && go_minor >= r->go_below)))
            continue;
        chk.rule = r;
        chk.rule_index = k;
        uint64_t t0 = chk.rule_ns ? now_ns() : 0;
        chk.shared_ns = 0;
        int cb = r->fn(&chk, r->user_data);
        if (chk.rule_ns) {
            uint64_t spent = now_ns() - t0;
            chk.rule_ns[k] += spent - chk.shared_ns;
            chk.rule_ns[e->rules.len] += chk.shared_ns;
        }
        if (chk.oom) {
            rc = error_set(err, GOLEAK_ENOMEM, u->path, 0, 0, 0, "out of memory");
        } else if (chk.failure) {
            rc = error_set(err, GOLEAK_EUSER, u->path, 0, 0, 0, "rule %s failed on %s: %s", r->id,
                           u->path, chk.failure);
        } else if (cb != 0) {
            rc = error_set(err, GOLEAK_EUSER, u->path, 0, 0, 0, "rule %s failed on %s (%d)", r->id,
                           u->path, cb);
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
    gl_free(e->alloc, chk.failure);
    for (int k = 0; k < CHECK_SHARED_SLOTS; k++)
        if (chk.shared[k].data) chk.shared[k].free_fn(chk.shared[k].data);
    facts_free(chk.facts);
    gl_free(e->alloc, chk.found.data);
    arena_free(&chk.strings);
    return rc;
}
