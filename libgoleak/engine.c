/* The engine: registering and configuring rules. Running a check and what
 * rule callbacks call are in check.c; option declarations and triggers in
 * rule_options.c and triggers.c. */
#include "engine.h"

#include "error.h"
#include "rules/rules.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

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

GOLEAK_API goleak_status goleak_engine_new(goleak_engine **out, const goleak_engine_options *opts,
                                           goleak_error *err) {
    if (out) *out = NULL;
    if (!out) return error_set(err, GOLEAK_EINVAL, NULL, 0, 0, 0, "goleak_engine_new: out is NULL");
    if (opts && opts->version != GOLEAK_ENGINE_OPTIONS_VERSION)
        return error_set(err, GOLEAK_EINVAL, NULL, 0, 0, 0,
                         "goleak_engine_new: unknown goleak_engine_options version %u",
                         opts->version);
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
    rule_options_free(r, a);
    rule_triggers_free(r, a);
    if (r->serial) {
        pthread_mutex_destroy(r->serial);
        gl_free(a, r->serial);
    }
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
    gl_free(a, r->triggers_text);
    gl_free(a, r);
}

/* Undoes a pack load that failed half-way (see engine.h). */
void engine_rollback(goleak_engine *e, size_t first, size_t first_attached) {
    while (e->rules.len > first) rule_free(e->alloc, e->rules.data[--e->rules.len]);
    while (e->attached.len > first_attached) {
        engine_attachment *at = &e->attached.data[--e->attached.len];
        at->free_fn(at->data);
    }
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

static const char *def_problem(const goleak_rule_def *d) {
    if (d->version != GOLEAK_RULE_DEF_VERSION) return "unknown goleak_rule_def version";
    if (!valid_id(d->id)) return "missing or invalid id";
    if (!valid_id(d->name)) return "missing or invalid name";
    if (!d->check) return "missing check callback";
    if (d->severity < GOLEAK_SEVERITY_INFO || d->severity > GOLEAK_SEVERITY_ERROR)
        return "invalid severity";
    if (d->noptions > 0 && !d->options) return "noptions without options";
    return NULL;
}

int engine_add_rule(goleak_engine *e, const goleak_rule_def *d, goleak_error *err) {
    if (!e || !d)
        return error_set(err, GOLEAK_EINVAL, NULL, 0, 0, 0,
                         "goleak_engine_register_rule: NULL argument");
    const char *problem = def_problem(d);
    if (problem)
        return error_set(err, GOLEAK_EINVAL, NULL, 0, 0, 0, "goleak_engine_register_rule: %s%s%s",
                         problem, valid_id(d->id) ? " in rule " : "", valid_id(d->id) ? d->id : "");
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
    int rc = 0;
    r->id = gl_strdup(a, d->id);
    r->name = gl_strdup(a, d->name);
    r->summary = gl_strdup(a, d->summary ? d->summary : "");
    r->doc = d->doc && d->doc[0] ? gl_strdup(a, d->doc) : NULL;
    r->triggers_text = gl_strdup(a, d->triggers ? d->triggers : "");
    if (!r->id || !r->name || !r->summary || (d->doc && d->doc[0] && !r->doc) ||
        !r->triggers_text) {
        rc = error_set(err, GOLEAK_ENOMEM, NULL, 0, 0, 0, "out of memory");
        goto fail;
    }
    if ((rc = rule_options_copy(r, d, a, err)) != 0) goto fail;
    if ((rc = rule_triggers_parse(r, r->triggers_text, a, err)) != 0) goto fail;
    if (d->flags & GOLEAK_RULE_SERIALIZED) {
        r->serial = gl_malloc(a, sizeof *r->serial);
        if (!r->serial || pthread_mutex_init(r->serial, NULL) != 0) {
            gl_free(a, r->serial);
            r->serial = NULL;
            rc = error_set(err, GOLEAK_ENOMEM, NULL, 0, 0, 0, "out of memory");
            goto fail;
        }
    }
    if (VEC_PUSH(a, &e->rules, r)) {
        rc = error_set(err, GOLEAK_ENOMEM, NULL, 0, 0, 0, "out of memory");
        goto fail;
    }
    r->severity = d->severity;
    r->go_min = go_min;
    r->go_below = go_below;
    describe_versions(r);
    r->fn = d->check;
    r->flags = d->flags;
    r->enabled = 1;
    r->origin = GOLEAK_ORIGIN_API; /* the built-in rules and packs set theirs */
    /* only now does the engine own user_data */
    r->user_data = d->user_data;
    r->free_user_data = d->free_user_data;
    return 0;
fail:
    rule_free(a, r);
    return rc;
}

GOLEAK_API goleak_status goleak_engine_register_rule(goleak_engine *e, const goleak_rule_def *d,
                                                     goleak_error *err) {
    return engine_add_rule(e, d, err);
}

GOLEAK_API goleak_status goleak_engine_add_builtin_rules(goleak_engine *e, goleak_error *err) {
    if (!e) return error_set(err, GOLEAK_EINVAL, NULL, 0, 0, 0, "engine is NULL");
    if (e->builtin_added)
        return error_set(err, GOLEAK_EEXISTS, NULL, 0, 0, 0, "built-in rules already added");
    uint32_t before = e->rules.len;
    for (size_t k = 0; k < builtin_rule_count; k++) {
        /* the built-in definitions leave their text to docs/rules/ID.md */
        goleak_rule_def d = *builtin_rules[k];
        const rule_doc *doc = rule_doc_find(d.id);
        if (doc) {
            d.summary = doc->summary;
            d.doc = doc->doc;
        }
        int rc = engine_add_rule(e, &d, err);
        if (rc == 0) e->rules.data[e->rules.len - 1]->origin = GOLEAK_ORIGIN_BUILTIN;
        if (rc) {
            /* all or nothing: a failed call leaves the engine as it was */
            engine_rollback(e, before, e->attached.len);
            return rc;
        }
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

int each_entry(const char *list, int (*fn)(const char *entry, size_t n, void *ctx), void *ctx,
               size_t *count) {
    const char *p = list;
    *count = 0;
    while (*p) {
        while (*p == ' ' || *p == ',') p++;
        if (!*p) break;
        const char *q = p;
        while (*q && *q != ',') q++;
        const char *end = q;
        while (end > p && end[-1] == ' ') end--;
        ++*count;
        int rc = fn(p, (size_t)(end - p), ctx);
        if (rc) return rc;
        p = q;
    }
    return 0;
}

typedef struct enable_ctx {
    goleak_engine *e;
    int enabled, apply;
    const char *bad;
    size_t bad_len;
} enable_ctx;

/* The rule whose id or name is the n bytes at s, or NULL. */
static struct goleak_rule *find_rule_n(goleak_engine *e, const char *s, size_t n) {
    for (uint32_t k = 0; k < e->rules.len; k++) {
        struct goleak_rule *r = e->rules.data[k];
        if ((strlen(r->id) == n && memcmp(r->id, s, n) == 0) ||
            (strlen(r->name) == n && memcmp(r->name, s, n) == 0))
            return r;
    }
    return NULL;
}

static int enable_entry(const char *entry, size_t n, void *ctx) {
    enable_ctx *c = ctx;
    if (n == 3 && memcmp(entry, "all", 3) == 0) {
        if (c->apply)
            for (uint32_t k = 0; k < c->e->rules.len; k++)
                c->e->rules.data[k]->enabled = c->enabled;
        return 0;
    }
    struct goleak_rule *r = find_rule_n(c->e, entry, n);
    if (!r) {
        c->bad = entry;
        c->bad_len = n;
        return 1;
    }
    if (c->apply) r->enabled = c->enabled;
    return 0;
}

GOLEAK_API goleak_status goleak_engine_enable_rules(goleak_engine *e, const char *list, int enabled,
                                                    goleak_error *err) {
    if (!e || !list) return error_set(err, GOLEAK_EINVAL, NULL, 0, 0, 0, "NULL argument");
    enable_ctx c = {e, enabled ? 1 : 0, 0, NULL, 0};
    size_t count;
    /* validate everything first so that a typo changes nothing */
    if (each_entry(list, enable_entry, &c, &count))
        return error_set(err, GOLEAK_ENOTFOUND, NULL, 0, 0, 0, "unknown rule \"%.*s\"",
                         (int)(c.bad_len > 200 ? 200 : c.bad_len), c.bad);
    if (count == 0)
        return error_set(err, GOLEAK_EINVAL, NULL, 0, 0, 0,
                         "empty rule list (name rules, or \"all\")");
    c.apply = 1;
    each_entry(list, enable_entry, &c, &count);
    return 0;
}

GOLEAK_API goleak_status goleak_engine_set_option(goleak_engine *e, const char *rule,
                                                  const char *key, const char *value,
                                                  goleak_error *err) {
    if (!e || !rule || !key || !value)
        return error_set(err, GOLEAK_EINVAL, NULL, 0, 0, 0, "NULL argument");
    struct goleak_rule *r = (struct goleak_rule *)goleak_engine_find_rule(e, rule);
    if (!r) return error_set(err, GOLEAK_ENOTFOUND, NULL, 0, 0, 0, "unknown rule \"%s\"", rule);
    long k = rule_option_index(r, key);
    if (k < 0)
        return error_set(err, GOLEAK_EINVAL, NULL, 0, 0, 0, "rule %s has no option \"%s\"%s", r->id,
                         key, r->noptions ? " (goleak explain lists them)" : "");
    char why[160];
    if (!rule_option_accepts(&r->options[k], value, why, sizeof why))
        return error_set(err, GOLEAK_EINVAL, NULL, 0, 0, 0, "rule %s: option %s: %s", r->id, key,
                         why);
    char *v = gl_strdup(e->alloc, value);
    if (!v) return error_set(err, GOLEAK_ENOMEM, NULL, 0, 0, 0, "out of memory");
    gl_free(e->alloc, r->values[k]);
    r->values[k] = v;
    return 0;
}

/* ---- rule getters ---- */

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

GOLEAK_API unsigned int goleak_rule_flags(const goleak_rule *r) {
    return r ? r->flags : 0;
}

GOLEAK_API const char *goleak_rule_triggers(const goleak_rule *r) {
    return r ? r->triggers_text : NULL;
}

GOLEAK_API const char *goleak_rule_go_versions(const goleak_rule *r) {
    return r ? r->go_versions : NULL;
}

GOLEAK_API size_t goleak_rule_option_count(const goleak_rule *r) {
    return r ? r->noptions : 0;
}

GOLEAK_API const goleak_rule_option *goleak_rule_option_get(const goleak_rule *r, size_t i) {
    return r && i < r->noptions ? &r->options[i] : NULL;
}

GOLEAK_API int goleak_rule_origin(const goleak_rule *r) {
    return r ? r->origin : -1;
}

GOLEAK_API const char *goleak_rule_origin_path(const goleak_rule *r) {
    return r ? r->origin_path : NULL;
}

GOLEAK_API const char *goleak_severity_name(int s) {
    switch (s) {
    case GOLEAK_SEVERITY_ERROR: return "error";
    case GOLEAK_SEVERITY_WARNING: return "warning";
    case GOLEAK_SEVERITY_INFO: return "info";
    default: return NULL;
    }
}
