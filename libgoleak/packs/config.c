/* Project configuration (.goleak.yml): read with the packs' YAML reader,
 * with the same FILE:LINE:COL errors, and applied to an engine. */
#define _DEFAULT_SOURCE /* realpath */
#include "../engine.h"
#include "../error.h"
#include "yaml_doc.h"

#include <errno.h>
#include <fnmatch.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#define MAX_CONFIG_SIZE (1u << 20)

typedef struct citem {
    char *text;
    uint32_t line, column, offset;
} citem;

typedef struct clist {
    citem *data;
    uint32_t len, cap;
} clist;

typedef struct coverride {
    clist globs, rules;
} coverride;

struct goleak_config {
    const goleak_allocator *alloc;
    char *path;
    char *base; /* the absolute directory of the file */
    int default_packs;
    clist packs, rules, options, excludes;
    /* option i: rule, key (value in options) */
    clist option_rules, option_keys;
    struct {
        coverride *data;
        uint32_t len, cap;
    } overrides;
    clist described; /* the overrides as text, for goleak_config_item */
};

static void clist_free(const goleak_allocator *a, clist *l) {
    for (uint32_t k = 0; k < l->len; k++) gl_free(a, l->data[k].text);
    gl_free(a, l->data);
    memset(l, 0, sizeof *l);
}

GOLEAK_API void goleak_config_free(goleak_config *c) {
    if (!c) return;
    const goleak_allocator *a = c->alloc;
    clist_free(a, &c->packs);
    clist_free(a, &c->rules);
    clist_free(a, &c->options);
    clist_free(a, &c->excludes);
    clist_free(a, &c->option_rules);
    clist_free(a, &c->option_keys);
    clist_free(a, &c->described);
    for (uint32_t k = 0; k < c->overrides.len; k++) {
        clist_free(a, &c->overrides.data[k].globs);
        clist_free(a, &c->overrides.data[k].rules);
    }
    gl_free(a, c->overrides.data);
    gl_free(a, c->path);
    gl_free(a, c->base);
    gl_free(a, c);
}

typedef struct creader {
    goleak_config *c;
    goleak_error *err;
    int rc;
} creader;

static int cerr(creader *r, const ynode *n, const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 3, 4)))
#endif
    ;
static int cerr(creader *r, const ynode *n, const char *fmt, ...) {
    if (r->rc) return r->rc;
    char msg[512];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    r->rc = error_set(r->err, GOLEAK_ESYNTAX, r->c->path, n->line, n->column, n->offset,
                      "%s:%u:%u: %s", r->c->path, n->line, n->column, msg);
    return r->rc;
}

static int push(creader *r, clist *l, const char *s, size_t n, const ynode *at) {
    citem it = {gl_malloc(r->c->alloc, n + 1), at->line, at->column, at->offset};
    if (!it.text || VEC_PUSH(r->c->alloc, l, it)) {
        gl_free(r->c->alloc, it.text);
        return r->rc = error_set(r->err, GOLEAK_ENOMEM, NULL, 0, 0, 0, "out of memory");
    }
    memcpy(it.text, s, n);
    it.text[n] = 0;
    return 0;
}

/* A list of strings (or one string; for rules also "a,b,c"). */
static int read_strings(creader *r, const ynode *n, const char *key, clist *out, int split) {
    if (n->kind == Y_SCALAR && !yscalar_is_null(n)) {
        if (!split) return push(r, out, n->text, n->len, n);
        const char *s = n->text;
        while (*s) {
            while (*s == ' ' || *s == ',') s++;
            const char *e = s;
            while (*e && *e != ',') e++;
            const char *t = e;
            while (t > s && t[-1] == ' ') t--;
            if (t > s && push(r, out, s, (size_t)(t - s), n)) return r->rc;
            s = e;
        }
        return 0;
    }
    if (n->kind != Y_SEQ)
        return cerr(r, n, "\"%s\" must be a list of strings, not %s", key,
                    ynode_kind_name(n->kind));
    for (uint32_t k = 0; k < n->n; k++) {
        const ynode *it = n->items[k];
        if (it->kind != Y_SCALAR || yscalar_is_null(it))
            return cerr(r, it, "\"%s\" must be a list of strings", key);
        if (push(r, out, it->text, it->len, it)) return r->rc;
    }
    return 0;
}

/* Resolves a path of the file relative to its directory. */
static int push_path(creader *r, clist *l, const ynode *n) {
    if (n->text[0] == '/') return push(r, l, n->text, n->len, n);
    size_t len = strlen(r->c->base) + n->len + 2;
    char *p = gl_malloc(r->c->alloc, len);
    if (!p) return r->rc = error_set(r->err, GOLEAK_ENOMEM, NULL, 0, 0, 0, "out of memory");
    snprintf(p, len, "%s/%s", r->c->base, n->text);
    int rc = push(r, l, p, strlen(p), n);
    gl_free(r->c->alloc, p);
    return rc;
}

static int check_keys(creader *r, const ynode *m, const char *what, const char *const *keys) {
    for (uint32_t k = 0; k < m->n; k++) {
        int ok = 0;
        for (const char *const *a = keys; *a && !ok; a++) ok = strcmp(*a, m->keys[k]->text) == 0;
        if (ok) continue;
        if (strcmp(m->keys[k]->text, "native-packs") == 0)
            return cerr(r, m->keys[k],
                        "native packs run code: they are loaded only from the command line "
                        "(--native-pack), never from a configuration file");
        char list[256];
        size_t o = 0;
        for (const char *const *a = keys; *a; a++)
            o += (size_t)snprintf(list + o, sizeof list - o, "%s%s", a == keys ? "" : ", ", *a);
        return cerr(r, m->keys[k], "unknown key \"%s\" in %s (expected one of: %s)",
                    m->keys[k]->text, what, list);
    }
    return 0;
}

static const char *const config_keys[] = {"packs",   "default-packs", "rules", "options",
                                          "exclude", "overrides",     NULL};

static int read_config(creader *r, const ynode *root) {
    goleak_config *c = r->c;
    if (!root) return 0; /* an empty file: the defaults */
    if (root->kind != Y_MAP)
        return cerr(r, root, "a configuration is a mapping (%s), not %s",
                    "packs, default-packs, rules, options, exclude, overrides",
                    ynode_kind_name(root->kind));
    if (check_keys(r, root, "the configuration", config_keys)) return r->rc;
    const ynode *n;
    if ((n = ymap_get(root, "packs"))) {
        clist tmp = {0};
        if (read_strings(r, n, "packs", &tmp, 0) == 0) {
            for (uint32_t k = 0; k < tmp.len && !r->rc; k++) {
                ynode at = {0};
                at.line = tmp.data[k].line;
                at.column = tmp.data[k].column;
                at.offset = tmp.data[k].offset;
                at.text = tmp.data[k].text;
                at.len = strlen(tmp.data[k].text);
                push_path(r, &c->packs, &at);
            }
        }
        clist_free(c->alloc, &tmp);
        if (r->rc) return r->rc;
    }
    if ((n = ymap_get(root, "default-packs"))) {
        if (n->kind != Y_SCALAR || (strcmp(n->text, "true") != 0 && strcmp(n->text, "false") != 0))
            return cerr(r, n, "\"default-packs\" is true or false");
        c->default_packs = strcmp(n->text, "true") == 0;
    }
    if ((n = ymap_get(root, "rules")) && read_strings(r, n, "rules", &c->rules, 1)) return r->rc;
    if ((n = ymap_get(root, "exclude")) && read_strings(r, n, "exclude", &c->excludes, 0))
        return r->rc;
    if ((n = ymap_get(root, "options"))) {
        if (n->kind != Y_MAP)
            return cerr(r, n,
                        "\"options\" maps rules to their options (GL004: {threshold: 131072})");
        for (uint32_t k = 0; k < n->n; k++) {
            const ynode *opts = n->items[k];
            if (opts->kind != Y_MAP)
                return cerr(r, opts, "the options of %s are a mapping of keys to values",
                            n->keys[k]->text);
            for (uint32_t j = 0; j < opts->n; j++) {
                const ynode *v = opts->items[j];
                if (v->kind != Y_SCALAR)
                    return cerr(r, v, "an option's value is a string or a number");
                char spec[512];
                snprintf(spec, sizeof spec, "%s.%s=%s", n->keys[k]->text, opts->keys[j]->text,
                         v->text);
                if (push(r, &c->options, spec, strlen(spec), v) ||
                    push(r, &c->option_rules, n->keys[k]->text, n->keys[k]->len, n->keys[k]) ||
                    push(r, &c->option_keys, opts->keys[j]->text, opts->keys[j]->len,
                         opts->keys[j]))
                    return r->rc;
            }
        }
    }
    if ((n = ymap_get(root, "overrides"))) {
        static const char *const okeys[] = {"paths", "rules", NULL};
        if (n->kind != Y_SEQ) return cerr(r, n, "\"overrides\" is a list of {paths, rules}");
        for (uint32_t k = 0; k < n->n; k++) {
            const ynode *o = n->items[k];
            if (o->kind != Y_MAP) return cerr(r, o, "an override is a mapping {paths, rules}");
            if (check_keys(r, o, "an override", okeys)) return r->rc;
            const ynode *paths = ymap_get(o, "paths"), *rules = ymap_get(o, "rules");
            if (!paths || !rules) return cerr(r, o, "an override needs \"paths\" and \"rules\"");
            coverride ov;
            memset(&ov, 0, sizeof ov);
            if (VEC_PUSH(c->alloc, &c->overrides, ov))
                return r->rc = error_set(r->err, GOLEAK_ENOMEM, NULL, 0, 0, 0, "out of memory");
            coverride *p = &c->overrides.data[c->overrides.len - 1];
            if (read_strings(r, paths, "paths", &p->globs, 0) ||
                read_strings(r, rules, "rules", &p->rules, 1))
                return r->rc;
            char desc[1024];
            size_t d = 0;
            for (uint32_t j = 0; j < p->globs.len; j++)
                d += (size_t)snprintf(desc + d, sizeof desc - d, "%s%s", j ? "," : "",
                                      p->globs.data[j].text);
            d += (size_t)snprintf(desc + d, sizeof desc - d, ": ");
            for (uint32_t j = 0; j < p->rules.len && d < sizeof desc; j++)
                d += (size_t)snprintf(desc + d, sizeof desc - d, "%s%s", j ? "," : "",
                                      p->rules.data[j].text);
            if (push(r, &c->described, desc, strlen(desc), o)) return r->rc;
        }
    }
    return 0;
}

static char *dir_of(const goleak_allocator *a, const char *path) {
    char buf[PATH_MAX];
    const char *slash = strrchr(path, '/');
    if (!slash) {
        if (!getcwd(buf, sizeof buf)) strcpy(buf, ".");
    } else {
        char dir[PATH_MAX];
        size_t n = slash == path ? 1 : (size_t)(slash - path);
        if (n >= sizeof dir) n = sizeof dir - 1;
        memcpy(dir, path, n);
        dir[n] = 0;
        if (!realpath(dir, buf)) snprintf(buf, sizeof buf, "%s", dir);
    }
    return gl_strdup(a, buf);
}

GOLEAK_API goleak_status goleak_config_parse(goleak_config **out, const char *name,
                                             const char *text, size_t len, goleak_error *err) {
    if (!out || (!text && len))
        return error_set(err, GOLEAK_EINVAL, NULL, 0, 0, 0, "NULL argument");
    *out = NULL;
    const goleak_allocator *a = alloc_default();
    goleak_config *c = gl_calloc(a, sizeof *c);
    if (!c) return error_set(err, GOLEAK_ENOMEM, NULL, 0, 0, 0, "out of memory");
    c->alloc = a;
    c->default_packs = 1;
    c->path = gl_strdup(a, name ? name : ".goleak.yml");
    c->base = c->path ? dir_of(a, c->path) : NULL;
    if (!c->path || !c->base) {
        goleak_config_free(c);
        return error_set(err, GOLEAK_ENOMEM, NULL, 0, 0, 0, "out of memory");
    }
    ydoc doc;
    int rc = ydoc_parse(&doc, c->path, text ? text : "", len, a, err);
    if (rc == 0) {
        creader r = {c, err, 0};
        rc = read_config(&r, doc.root);
    }
    ydoc_free(&doc);
    if (rc) {
        goleak_config_free(c);
        return rc;
    }
    *out = c;
    return 0;
}

GOLEAK_API goleak_status goleak_config_load(goleak_config **out, const char *path,
                                            goleak_error *err) {
    if (!out || !path) return error_set(err, GOLEAK_EINVAL, NULL, 0, 0, 0, "NULL argument");
    *out = NULL;
    FILE *fp = fopen(path, "rb");
    if (!fp)
        return error_set(err, GOLEAK_EIO, path, 0, 0, 0, "%s: cannot open: %s", path,
                         strerror(errno));
    char *buf = malloc(MAX_CONFIG_SIZE + 1);
    size_t n = buf ? fread(buf, 1, MAX_CONFIG_SIZE + 1, fp) : 0;
    int bad = ferror(fp);
    fclose(fp);
    if (!buf) return error_set(err, GOLEAK_ENOMEM, NULL, 0, 0, 0, "out of memory");
    if (bad || n > MAX_CONFIG_SIZE) {
        free(buf);
        return error_set(err, GOLEAK_EIO, path, 0, 0, 0, "%s: %s", path,
                         bad ? "read error" : "larger than 1 MiB");
    }
    int rc = goleak_config_parse(out, path, buf, n, err);
    free(buf);
    return rc;
}

GOLEAK_API goleak_status goleak_config_find(char *buf, size_t size, const char *start,
                                            goleak_error *err) {
    if (!buf || !start) return error_set(err, GOLEAK_EINVAL, NULL, 0, 0, 0, "NULL argument");
    char dir[PATH_MAX];
    struct stat st;
    if (!realpath(start, dir))
        return error_set(err, GOLEAK_ENOTFOUND, start, 0, 0, 0, "%s: %s", start, strerror(errno));
    if (stat(dir, &st) == 0 && !S_ISDIR(st.st_mode)) {
        char *slash = strrchr(dir, '/');
        if (slash) *(slash == dir ? slash + 1 : slash) = 0;
    }
    for (;;) {
        static const char *const names[] = {".goleak.yml", ".goleak.yaml"};
        for (int k = 0; k < 2; k++) {
            char cand[PATH_MAX + 16];
            snprintf(cand, sizeof cand, "%s/%s", strcmp(dir, "/") == 0 ? "" : dir, names[k]);
            if (stat(cand, &st) == 0 && S_ISREG(st.st_mode)) {
                if (strlen(cand) >= size)
                    return error_set(err, GOLEAK_ERANGE, NULL, 0, 0, 0, "buffer too small");
                strcpy(buf, cand);
                return 0;
            }
        }
        char *slash = strrchr(dir, '/');
        if (!slash || strcmp(dir, "/") == 0) break;
        *(slash == dir ? slash + 1 : slash) = 0;
    }
    return error_set(err, GOLEAK_ENOTFOUND, NULL, 0, 0, 0, "no .goleak.yml above %s", start);
}

GOLEAK_API const char *goleak_config_path(const goleak_config *c) {
    return c ? c->path : NULL;
}

GOLEAK_API int goleak_config_default_packs(const goleak_config *c) {
    return c ? c->default_packs : 1;
}

static const clist *list_of(const goleak_config *c, int which) {
    switch (which) {
    case GOLEAK_CONFIG_PACKS: return &c->packs;
    case GOLEAK_CONFIG_RULES: return &c->rules;
    case GOLEAK_CONFIG_OPTIONS: return &c->options;
    case GOLEAK_CONFIG_EXCLUDES: return &c->excludes;
    case GOLEAK_CONFIG_OVERRIDES: return &c->described;
    default: return NULL;
    }
}

GOLEAK_API size_t goleak_config_count(const goleak_config *c, int which) {
    const clist *l = c ? list_of(c, which) : NULL;
    return l ? l->len : 0;
}

GOLEAK_API const char *goleak_config_item(const goleak_config *c, int which, size_t i) {
    const clist *l = c ? list_of(c, which) : NULL;
    return l && i < l->len ? l->data[i].text : NULL;
}

static int item_err(const goleak_config *c, goleak_error *err, int code, const citem *it,
                    const char *what, const char *detail) {
    return error_set(err, code, c->path, it->line, it->column, it->offset, "%s:%u:%u: %s%s",
                     c->path, it->line, it->column, what, detail);
}

/* Applies a rule selection entry ("all", "-all", "ID", "-ID") to the engine
 * or, with globs, as a per-path override. */
static int apply_entry(const goleak_config *c, goleak_engine *e, const citem *it,
                       const clist *globs, goleak_error *err) {
    const char *s = it->text;
    int on = 1;
    if (*s == '-' || *s == '+') on = *s++ == '+';
    if (!globs) {
        if (goleak_engine_enable_rules(e, s, on, NULL) == 0) return 0;
        char msg[256];
        snprintf(msg, sizeof msg, "\"%s\" (goleak rules lists them)", s);
        return item_err(c, err, GOLEAK_ENOTFOUND, it, "unknown rule ", msg);
    }
    const char *g[64];
    size_t ng = 0;
    for (uint32_t k = 0; k < globs->len && ng < 64; k++) g[ng++] = globs->data[k].text;
    int all = strcmp(s, "all") == 0;
    size_t n = goleak_engine_rule_count(e);
    int found = 0;
    for (size_t k = 0; k < n; k++) {
        goleak_rule *r = (goleak_rule *)goleak_engine_rule(e, k);
        if (!all && strcmp(goleak_rule_id(r), s) != 0 && strcmp(goleak_rule_name(r), s) != 0)
            continue;
        found = 1;
        if (engine_rule_add_scope(e, r, c->base, g, ng, on))
            return error_set(err, GOLEAK_ENOMEM, NULL, 0, 0, 0, "out of memory");
    }
    if (!found) {
        char msg[256];
        snprintf(msg, sizeof msg, "\"%s\" (goleak rules lists them)", s);
        return item_err(c, err, GOLEAK_ENOTFOUND, it, "unknown rule ", msg);
    }
    return 0;
}

GOLEAK_API goleak_status goleak_config_apply(const goleak_config *c, goleak_engine *e,
                                             goleak_error *err) {
    if (!c || !e) return error_set(err, GOLEAK_EINVAL, NULL, 0, 0, 0, "NULL argument");
    for (uint32_t k = 0; k < c->packs.len; k++) {
        const citem *it = &c->packs.data[k];
        struct stat st;
        if (stat(it->text, &st) != 0)
            return item_err(c, err, GOLEAK_ENOTFOUND, it,
                            "no such pack file or directory: ", it->text);
        int rc = S_ISDIR(st.st_mode) ? goleak_engine_load_pack_dir(e, it->text, err)
                                     : goleak_engine_load_pack(e, it->text, err);
        if (rc) return rc;
    }
    for (uint32_t k = 0; k < c->rules.len; k++) {
        int rc = apply_entry(c, e, &c->rules.data[k], NULL, err);
        if (rc) return rc;
    }
    for (uint32_t k = 0; k < c->options.len; k++) {
        const char *v = strchr(c->options.data[k].text, '=') + 1;
        if (goleak_engine_set_option(e, c->option_rules.data[k].text, c->option_keys.data[k].text,
                                     v, err) != 0) {
            char msg[512];
            snprintf(msg, sizeof msg, "%s", goleak_error_message(err));
            return item_err(c, err, goleak_error_code(err), &c->options.data[k], "", msg);
        }
    }
    for (uint32_t k = 0; k < c->overrides.len; k++) {
        const coverride *o = &c->overrides.data[k];
        for (uint32_t j = 0; j < o->rules.len; j++) {
            int rc = apply_entry(c, e, &o->rules.data[j], &o->globs, err);
            if (rc) return rc;
        }
    }
    return 0;
}

/* The absolute form of path, "." and ".." folded, into buf. */
static void absolute(const char *path, char *buf, size_t size) {
    char tmp[PATH_MAX * 2];
    if (path[0] == '/') {
        snprintf(tmp, sizeof tmp, "%s", path);
    } else {
        char cwd[PATH_MAX];
        if (!getcwd(cwd, sizeof cwd)) strcpy(cwd, "/");
        snprintf(tmp, sizeof tmp, "%s/%s", cwd, path);
    }
    size_t o = 0;
    const char *s = tmp;
    while (*s) {
        while (*s == '/') s++;
        const char *e = s;
        while (*e && *e != '/') e++;
        size_t n = (size_t)(e - s);
        if (n == 0 || (n == 1 && s[0] == '.')) {
        } else if (n == 2 && s[0] == '.' && s[1] == '.') {
            while (o > 0 && buf[o - 1] != '/') o--;
            if (o > 0) o--;
        } else if (o + n + 2 < size) {
            buf[o++] = '/';
            memcpy(buf + o, s, n);
            o += n;
        }
        s = e;
    }
    if (o == 0) buf[o++] = '/';
    buf[o] = 0;
}

GOLEAK_API int goleak_config_excludes(const goleak_config *c, const char *path) {
    if (!c || !path || c->excludes.len == 0) return 0;
    char abs[PATH_MAX * 2];
    absolute(path, abs, sizeof abs);
    size_t bl = strlen(c->base);
    const char *rel = abs;
    if (strncmp(abs, c->base, bl) == 0 && (abs[bl] == '/' || abs[bl] == 0))
        rel = abs[bl] == '/' ? abs + bl + 1 : abs + bl;
    else if (strcmp(c->base, "/") == 0)
        rel = abs + 1;
    const char *slash = strrchr(rel, '/');
    const char *base = slash ? slash + 1 : rel;
    for (uint32_t k = 0; k < c->excludes.len; k++) {
        const char *g = c->excludes.data[k].text;
        if (fnmatch(g, rel, 0) == 0 || fnmatch(g, base, 0) == 0) return 1;
    }
    return 0;
}
