/* Reading a rule pack: see pack_yaml.h and rules/README.md (the format).
 * Every value is checked where it is read, and an error names the line and
 * column of the value at fault. */
#include "pack_yaml.h"

#include "../error.h"
#include "pattern.h"
#include "yaml_doc.h"

#include <ctype.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define FORMAT_VERSION "1"

typedef struct reader {
    pack *p;
    ydoc doc;
    const char *text;
    size_t len;
    goleak_error *err;
    int rc;
    const goleak_engine *engine;
    taken_ids *taken;
    pack_rule *rule;
} reader;

/* ---- errors ---- */

static int err_at(reader *r, uint32_t line, uint32_t col, uint32_t off, int code, const char *fmt,
                  ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 6, 7)))
#endif
    ;
static int err_at(reader *r, uint32_t line, uint32_t col, uint32_t off, int code, const char *fmt,
                  ...) {
    if (r->rc) return r->rc;
    char msg[768];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    r->rc = error_set(r->err, code, r->p->path, line, col, off, "%s:%u:%u: %s", r->p->path, line,
                      col, msg);
    return r->rc;
}

#define ERR(r, n, ...) err_at((r), (n)->line, (n)->column, (n)->offset, GOLEAK_ESYNTAX, __VA_ARGS__)

static int oom(reader *r) {
    if (!r->rc) r->rc = error_set(r->err, GOLEAK_ENOMEM, NULL, 0, 0, 0, "out of memory");
    return r->rc;
}

/* The source position of byte offset k of scalar n's value (exact for
 * one-line and block scalars; quoted text with escapes shifts a little). */
static void scalar_pos(const reader *r, const ynode *n, size_t k, uint32_t *line, uint32_t *col,
                       uint32_t *off) {
    *line = n->line;
    *col = n->column;
    *off = n->offset;
    if (n->kind != Y_SCALAR) return;
    if (!n->block) {
        const char *nl = memchr(n->text, '\n', k < n->len ? k : n->len);
        if (!nl) {
            uint32_t d = (uint32_t)k + (n->quoted ? 1u : 0u);
            *col += d;
            *off += d;
        }
        return;
    }
    /* a block scalar: its lines are the source lines after the indicator */
    uint32_t l = 0;
    size_t ls = 0;
    for (size_t i = 0; i < k && i < n->len; i++)
        if (n->text[i] == '\n') {
            l++;
            ls = i + 1;
        }
    size_t p = n->offset;
    while (p < r->len && r->text[p] != '\n') p++; /* the end of the indicator line */
    for (uint32_t i = 0; i <= l && p < r->len; i++) {
        p++; /* the start of the next line */
        if (i < l)
            while (p < r->len && r->text[p] != '\n') p++;
    }
    size_t indent = 0;
    while (p + indent < r->len && r->text[p + indent] == ' ') indent++;
    *line = n->line + 1 + l;
    *col = (uint32_t)(indent + (k - ls) + 1);
    *off = (uint32_t)(p + indent + (k - ls));
}

/* ---- reading values ---- */

static const char *kind_of(const ynode *n) {
    return ynode_kind_name(n->kind);
}

/* Whether mapping m has only keys of allowed (NULL-terminated). */
static int check_keys(reader *r, const ynode *m, const char *what, const char *const *allowed) {
    for (uint32_t k = 0; k < m->n; k++) {
        int ok = 0;
        for (const char *const *a = allowed; *a && !ok; a++) ok = strcmp(m->keys[k]->text, *a) == 0;
        if (ok) continue;
        char list[512];
        size_t o = 0;
        for (const char *const *a = allowed; *a && o < sizeof list - 64; a++)
            o += (size_t)snprintf(list + o, sizeof list - o, "%s%s", a == allowed ? "" : ", ", *a);
        return ERR(r, m->keys[k], "unknown key \"%s\" in %s (expected one of: %s)",
                   m->keys[k]->text, what, list);
    }
    return 0;
}

static const ynode *want_kind(reader *r, const ynode *n, int kind, const char *key) {
    if (!n) return NULL;
    if (n->kind != kind || (kind == Y_SCALAR && yscalar_is_null(n))) {
        ERR(r, n, "\"%s\" must be %s, not %s", key, ynode_kind_name(kind),
            yscalar_is_null(n) ? "empty" : kind_of(n));
        return NULL;
    }
    return n;
}

/* A string value of m's key, copied into the pack's arena. */
static const char *get_str(reader *r, const ynode *m, const char *key, int required,
                           const char *what) {
    const ynode *n = ymap_get(m, key);
    if (!n) {
        if (required) ERR(r, m, "missing \"%s\" in %s", key, what);
        return NULL;
    }
    if (!want_kind(r, n, Y_SCALAR, key)) return NULL;
    char *s = arena_strndup(&r->p->ar, n->text, n->len);
    if (!s) oom(r);
    return s;
}

/* A list value (a single string is a list of one); NULL with an error for
 * other kinds. */
static const ynode *const *get_list(reader *r, const ynode *n, const char *key, uint32_t *len) {
    static const ynode *one[1];
    *len = 0;
    if (!n) return NULL;
    if (n->kind == Y_SCALAR && !yscalar_is_null(n)) {
        one[0] = n;
        *len = 1;
        return one;
    }
    if (n->kind != Y_SEQ) {
        ERR(r, n, "\"%s\" must be a list, not %s", key, kind_of(n));
        return NULL;
    }
    *len = n->n;
    return (const ynode *const *)n->items;
}

static int valid_id(const char *s, int name) {
    size_t n = strlen(s);
    if (n == 0 || n > 64) return 0;
    for (; *s; s++) {
        if (name ? !(islower((unsigned char)*s) || isdigit((unsigned char)*s) || *s == '-')
                 : !(isalnum((unsigned char)*s) || *s == '-' || *s == '_'))
            return 0;
    }
    return 1;
}

/* ---- regexes ---- */

static regex *compile_regex(reader *r, const ynode *n) {
    char msg[256];
    size_t off;
    regex *re = regex_compile(r->p->alloc, n->text, n->len, msg, sizeof msg, &off);
    if (!re) {
        if (strcmp(msg, "out of memory") == 0) {
            oom(r);
            return NULL;
        }
        uint32_t line, col, o;
        scalar_pos(r, n, off, &line, &col, &o);
        err_at(r, line, col, o, GOLEAK_ESYNTAX, "invalid regex: %s (at offset %zu of \"%s\")", msg,
               off, n->text);
        return NULL;
    }
    pack *p = r->p;
    if (p->nregexes == p->capregexes) {
        uint32_t cap = p->capregexes ? 2 * p->capregexes : 8;
        regex **a = gl_realloc(p->alloc, p->regexes, cap * sizeof *a);
        if (!a) {
            regex_free(re);
            oom(r);
            return NULL;
        }
        p->regexes = a;
        p->capregexes = cap;
    }
    p->regexes[p->nregexes++] = re;
    return re;
}

/* ---- patterns and matchers ---- */

static pattern *compile_pattern(reader *r, const ynode *n) {
    if (!want_kind(r, n, Y_SCALAR, "pattern")) return NULL;
    pattern_ctx pc;
    memset(&pc, 0, sizeof pc);
    pc.ar = &r->p->ar;
    pc.alloc = r->p->alloc;
    pc.rule = r->rule;
    pattern *pat = NULL;
    int rc = pattern_compile(&pc, n->text, n->len, &pat);
    if (rc == GOLEAK_ENOMEM) {
        oom(r);
        return NULL;
    }
    if (rc) {
        uint32_t line, col, off;
        scalar_pos(r, n, pc.err_offset, &line, &col, &off);
        err_at(r, line, col, off, GOLEAK_ESYNTAX, "%s", pc.msg);
        return NULL;
    }
    pat->line = n->line;
    pat->column = n->column;
    return pat;
}

static matcher *new_matcher(reader *r, int kind) {
    matcher *m = arena_alloc(&r->p->ar, sizeof *m);
    if (!m) {
        oom(r);
        return NULL;
    }
    memset(m, 0, sizeof *m);
    m->kind = kind;
    return m;
}

static int read_filters(reader *r, const ynode *n, filter **out, uint32_t *nout);
static matcher *read_matcher(reader *r, const ynode *n, int top);

static const char *const context_names[CTX_COUNT] = {
    "function", "func-literal", "loop", "goroutine", "select", "defer", "main", "once", "test"};

static const char *const matcher_keys[] = {"pattern",    "all",     "any",   "not", "inside",
                                           "not-inside", "context", "where", NULL};

static matcher *read_matcher(reader *r, const ynode *n, int top) {
    (void)top;
    if (!n) return NULL;
    if (n->kind == Y_SCALAR) {
        if (yscalar_is_null(n)) {
            ERR(r, n, "empty pattern");
            return NULL;
        }
        matcher *m = new_matcher(r, M_PATTERN);
        if (m && !(m->pat = compile_pattern(r, n))) return NULL;
        return m;
    }
    if (n->kind != Y_MAP) {
        ERR(r, n, "a pattern must be a string or a mapping (pattern, all, any, context), not %s",
            kind_of(n));
        return NULL;
    }
    if (check_keys(r, n, "a pattern", matcher_keys)) return NULL;
    const char *which = NULL;
    const ynode *v = NULL;
    for (uint32_t k = 0; k < n->n; k++) {
        if (strcmp(n->keys[k]->text, "where") == 0) continue;
        if (which) {
            ERR(r, n->keys[k], "\"%s\" and \"%s\" cannot be combined here; use all: [...]", which,
                n->keys[k]->text);
            return NULL;
        }
        which = n->keys[k]->text;
        v = n->items[k];
    }
    if (!which) {
        ERR(r, n, "a pattern mapping needs one of pattern, all, any, context");
        return NULL;
    }
    if (strcmp(which, "not") == 0 || strcmp(which, "inside") == 0 ||
        strcmp(which, "not-inside") == 0) {
        ERR(r, n, "\"%s\" is an item of all: [...]", which);
        return NULL;
    }
    matcher *m = NULL;
    if (strcmp(which, "pattern") == 0) {
        m = new_matcher(r, M_PATTERN);
        if (m && !(m->pat = compile_pattern(r, v))) return NULL;
    } else if (strcmp(which, "context") == 0) {
        if (!want_kind(r, v, Y_SCALAR, "context")) return NULL;
        m = new_matcher(r, M_CONTEXT);
        if (!m) return NULL;
        m->context = -1;
        for (int c = 0; c < CTX_COUNT; c++)
            if (strcmp(v->text, context_names[c]) == 0) m->context = c;
        if (m->context < 0) {
            ERR(r, v,
                "unknown context \"%s\" (function, func-literal, loop, goroutine, select, defer, "
                "main, once, test)",
                v->text);
            return NULL;
        }
    } else { /* all, any */
        int all = strcmp(which, "all") == 0;
        if (!want_kind(r, v, Y_SEQ, which)) return NULL;
        if (v->n == 0) {
            ERR(r, v, "\"%s\" needs at least one item", which);
            return NULL;
        }
        m = new_matcher(r, all ? M_ALL : M_ANY);
        if (!m) return NULL;
        m->items = arena_alloc(&r->p->ar, v->n * sizeof *m->items);
        if (!m->items) {
            oom(r);
            return NULL;
        }
        int positive = 0;
        for (uint32_t k = 0; k < v->n; k++) {
            const ynode *it = v->items[k];
            mitem mi = {OP_MATCH, NULL};
            const ynode *inner = it;
            if (it->kind == Y_MAP && it->n == 1) {
                const char *key = it->keys[0]->text;
                if (strcmp(key, "not") == 0)
                    mi.op = OP_NOT;
                else if (strcmp(key, "inside") == 0)
                    mi.op = OP_INSIDE;
                else if (strcmp(key, "not-inside") == 0)
                    mi.op = OP_NOT_INSIDE;
                if (mi.op != OP_MATCH) {
                    if (!all) {
                        ERR(r, it->keys[0], "\"%s\" is an item of all: [...], not of any", key);
                        return NULL;
                    }
                    inner = it->items[0];
                }
            }
            mi.m = read_matcher(r, inner, 0);
            if (!mi.m) return NULL;
            if (mi.m->kind == M_CONTEXT && mi.op != OP_INSIDE && mi.op != OP_NOT_INSIDE) {
                ERR(r, inner, "a context only goes under inside: or not-inside:");
                return NULL;
            }
            if (mi.op == OP_MATCH) positive = 1;
            m->items[m->nitems++] = mi;
        }
        if (all && !positive) {
            ERR(r, v, "all: [...] needs at least one pattern to match (not only not/inside)");
            return NULL;
        }
    }
    if (!m) return NULL;
    const ynode *where = ymap_get(n, "where");
    if (where && read_filters(r, where, &m->where, &m->nwhere)) return NULL;
    return m;
}

/* ---- where filters ---- */

static const struct {
    const char *name;
    unsigned bit;
} what_names[] = {{"local", W_LOCAL},
                  {"param", W_PARAM},
                  {"result", W_RESULT},
                  {"receiver", W_RECEIVER},
                  {"package-var", W_PACKAGE_VAR},
                  {"field", W_FIELD},
                  {"package", W_PACKAGE},
                  {"func", W_FUNC},
                  {"call", W_CALL},
                  {"literal", W_LITERAL},
                  {"loop-local", W_LOOP_LOCAL}};

static const char *const filter_keys[] = {"metavariable", "regex", "not-regex", "is",  "is-not",
                                          "type",         "value", "not-value", "any", NULL};

/* The metavariable named by "$X" in node n (known to the rule), or -1. */
static int meta_ref(reader *r, const ynode *n, const char *what) {
    if (!want_kind(r, n, Y_SCALAR, "metavariable")) return -1;
    if (n->len < 2 || n->text[0] != '$') {
        ERR(r, n, "\"%s\" is not a metavariable ($NAME)", n->text);
        return -1;
    }
    int k = rule_meta_index(r->rule, n->text + 1, n->len - 1, 0);
    if (k < 0) {
        char list[256];
        size_t o = 0;
        for (uint32_t i = 0; i < r->rule->nmetas && o < sizeof list - 40; i++)
            o += (size_t)snprintf(list + o, sizeof list - o, "%s$%s", i ? ", " : "",
                                  r->rule->metas[i]);
        ERR(r, n, "unknown metavariable %s in %s (the rule's patterns bind: %s)", n->text, what,
            o ? list : "none");
        return -1;
    }
    return k;
}

static int read_filter(reader *r, const ynode *n, filter *f) {
    memset(f, 0, sizeof *f);
    if (!want_kind(r, n, Y_MAP, "where item")) return r->rc;
    if (check_keys(r, n, "a where filter", filter_keys)) return r->rc;
    const ynode *any = ymap_get(n, "any");
    if (any) {
        if (n->n != 1) return ERR(r, n, "\"any\" stands alone in its filter");
        if (!want_kind(r, any, Y_SEQ, "any")) return r->rc;
        f->kind = F_ANY;
        f->nany = any->n;
        f->any_lists = arena_alloc(&r->p->ar, (any->n + 1) * sizeof *f->any_lists);
        f->any_len = arena_alloc(&r->p->ar, (any->n + 1) * sizeof *f->any_len);
        if (!f->any_lists || !f->any_len) return oom(r);
        for (uint32_t k = 0; k < any->n; k++)
            if (read_filters(r, any->items[k], &f->any_lists[k], &f->any_len[k])) return r->rc;
        return 0;
    }
    const ynode *mv = ymap_get(n, "metavariable");
    if (!mv) return ERR(r, n, "missing \"metavariable\" in a where filter");
    int meta = meta_ref(r, mv, "a where filter");
    if (meta < 0) return r->rc;
    f->meta = (uint16_t)meta;
    const char *kind = NULL;
    const ynode *v = NULL;
    for (uint32_t k = 0; k < n->n; k++) {
        if (strcmp(n->keys[k]->text, "metavariable") == 0) continue;
        if (kind)
            return ERR(r, n->keys[k], "one test per filter: \"%s\" and \"%s\"", kind,
                       n->keys[k]->text);
        kind = n->keys[k]->text;
        v = n->items[k];
    }
    if (!kind)
        return ERR(
            r, n,
            "the filter tests nothing (regex, not-regex, is, is-not, type, value, not-value)");
    if (strcmp(kind, "regex") == 0 || strcmp(kind, "not-regex") == 0 || strcmp(kind, "type") == 0) {
        f->kind = kind[0] == 'r' ? F_REGEX : kind[0] == 'n' ? F_NOT_REGEX : F_TYPE;
        if (!want_kind(r, v, Y_SCALAR, kind)) return r->rc;
        f->re = compile_regex(r, v);
        return f->re ? 0 : r->rc;
    }
    if (strcmp(kind, "is") == 0 || strcmp(kind, "is-not") == 0) {
        f->kind = kind[2] == 0 ? F_IS : F_IS_NOT;
        uint32_t len;
        const ynode *const *items = get_list(r, v, kind, &len);
        if (!items) return r->rc ? r->rc : ERR(r, v, "\"%s\" needs at least one kind", kind);
        for (uint32_t k = 0; k < len; k++) {
            if (!want_kind(r, items[k], Y_SCALAR, kind)) return r->rc;
            unsigned bit = 0;
            for (size_t w = 0; w < sizeof what_names / sizeof *what_names; w++)
                if (strcmp(items[k]->text, what_names[w].name) == 0) bit = what_names[w].bit;
            if (!bit)
                return ERR(r, items[k],
                           "unknown kind \"%s\" (local, loop-local, param, result, receiver, "
                           "package-var, field, package, func, call, literal)",
                           items[k]->text);
            f->what |= bit;
        }
        return 0;
    }
    /* value, not-value */
    f->kind = strcmp(kind, "value") == 0 ? F_VALUE : F_NOT_VALUE;
    f->value = read_matcher(r, v, 0);
    if (!f->value) return r->rc;
    if (f->value->kind != M_PATTERN && f->value->kind != M_ANY)
        return ERR(r, v, "\"%s\" takes a pattern or any: [patterns]", kind);
    return 0;
}

static int read_filters(reader *r, const ynode *n, filter **out, uint32_t *nout) {
    uint32_t len = 1;
    const ynode *const *items = &n;
    if (n->kind == Y_SEQ) {
        items = (const ynode *const *)n->items;
        len = n->n;
    } else if (n->kind != Y_MAP) {
        return ERR(r, n, "\"where\" must be a list of filters, not %s", kind_of(n));
    }
    *out = arena_alloc(&r->p->ar, (len + 1) * sizeof **out);
    if (!*out) return oom(r);
    for (uint32_t k = 0; k < len; k++)
        if (read_filter(r, items[k], &(*out)[k])) return r->rc;
    *nout = len;
    return 0;
}

/* ---- messages ---- */

/* Checks that every $NAME of a message is a metavariable of the rule (or
 * one of extra, a NULL-terminated list of built-in placeholders). */
static int check_message(reader *r, const ynode *n, const char *const *extra) {
    const char *s = n->text;
    for (size_t i = 0; i < n->len; i++) {
        if (s[i] != '$') continue;
        size_t j = i + 1;
        if (j < n->len && s[j] == '$') { /* $$ is a dollar */
            i = j;
            continue;
        }
        while (j < n->len &&
               (isupper((unsigned char)s[j]) || isdigit((unsigned char)s[j]) || s[j] == '_'))
            j++;
        if (j == i + 1) continue; /* a lone $ */
        int known = rule_meta_index(r->rule, s + i + 1, j - i - 1, 0) >= 0;
        for (const char *const *e = extra; e && *e && !known; e++)
            known = strlen(*e) == j - i - 1 && memcmp(*e, s + i + 1, j - i - 1) == 0;
        if (!known) {
            uint32_t line, col, off;
            scalar_pos(r, n, i, &line, &col, &off);
            char list[256];
            size_t o = 0;
            for (uint32_t k = 0; k < r->rule->nmetas && o < sizeof list - 40; k++)
                o += (size_t)snprintf(list + o, sizeof list - o, "%s$%s", k ? ", " : "",
                                      r->rule->metas[k]);
            for (const char *const *e = extra; e && *e && o < sizeof list - 40; e++)
                o += (size_t)snprintf(list + o, sizeof list - o, "%s$%s", o ? ", " : "", *e);
            return err_at(r, line, col, off, GOLEAK_ESYNTAX,
                          "unknown metavariable $%.*s in the message (known: %s)", (int)(j - i - 1),
                          s + i + 1, o ? list : "none");
        }
        i = j - 1;
    }
    return 0;
}

/* ---- imports ---- */

static int add_import(reader *r, const ynode *at, const char *name, size_t nlen, const char *path,
                      size_t plen) {
    pack_rule *ru = r->rule;
    for (uint32_t k = 0; k < ru->nimports; k++)
        if (strlen(ru->imports[k].path) == plen && memcmp(ru->imports[k].path, path, plen) == 0)
            return (int)k;
    if (plen == 0 || memchr(path, ' ', plen) || memchr(path, '"', plen)) {
        ERR(r, at, "\"%.*s\" is not an import path", (int)plen, path);
        return -1;
    }
    if (ru->nimports >= 32) {
        ERR(r, at, "too many imports in one rule (at most 32)");
        return -1;
    }
    pack_import pi;
    pi.path = arena_strndup(&r->p->ar, path, plen);
    pi.name = arena_strndup(&r->p->ar, name, nlen);
    if (!pi.path || !pi.name) {
        oom(r);
        return -1;
    }
    ru->imports[ru->nimports] = pi;
    return (int)ru->nimports++;
}

static int read_imports(reader *r, const ynode *n) {
    if (!n) return 0;
    if (n->kind == Y_MAP) {
        for (uint32_t k = 0; k < n->n; k++) {
            const ynode *v = n->items[k];
            if (!want_kind(r, v, Y_SCALAR, n->keys[k]->text)) return r->rc;
            if (!valid_id(n->keys[k]->text, 0))
                return ERR(r, n->keys[k], "\"%s\" is not a package name", n->keys[k]->text);
            if (add_import(r, v, n->keys[k]->text, n->keys[k]->len, v->text, v->len) < 0)
                return r->rc;
        }
        return 0;
    }
    uint32_t len;
    const ynode *const *items = get_list(r, n, "imports", &len);
    if (!items) return r->rc;
    for (uint32_t k = 0; k < len; k++) {
        if (!want_kind(r, items[k], Y_SCALAR, "imports")) return r->rc;
        const char *name;
        size_t nl;
        import_default_name(items[k]->text, items[k]->len, &name, &nl);
        if (add_import(r, items[k], name, nl, items[k]->text, items[k]->len) < 0) return r->rc;
    }
    return 0;
}

/* ---- resource rules ---- */

static const char *const resource_keys[] = {
    "acquire", "as",      "from",    "error",           "release", "borrow",
    "wrap",    "exhaust", "escapes", "follow-variable", NULL};

/* "result N": N in *n. */
static int result_index(const char *s, uint32_t *n) {
    if (strncmp(s, "result", 6) != 0) return 0;
    s += 6;
    while (*s == ' ') s++;
    if (!isdigit((unsigned char)*s)) return 0;
    char *end;
    long v = strtol(s, &end, 10);
    if (*end || v < 0 || v > 16) return 0;
    *n = (uint32_t)v;
    return 1;
}

static int read_pattern_list(reader *r, const ynode *n, const char *key, matcher ***out,
                             uint32_t *nout, int required, const ynode *owner) {
    *out = NULL;
    *nout = 0;
    if (!n) {
        if (required) return ERR(r, owner, "missing \"%s\" in the resource", key);
        return 0;
    }
    uint32_t len;
    const ynode *const *items = get_list(r, n, key, &len);
    if (!items) return r->rc ? r->rc : ERR(r, n, "\"%s\" needs at least one pattern", key);
    *out = arena_alloc(&r->p->ar, len * sizeof **out);
    if (!*out) return oom(r);
    for (uint32_t k = 0; k < len; k++) {
        matcher *m = read_matcher(r, items[k], 0);
        if (!m) return r->rc;
        if (m->kind != M_PATTERN && m->kind != M_ANY)
            return ERR(r, items[k], "each \"%s\" item is a pattern (or any: [patterns])", key);
        (*out)[(*nout)++] = m;
    }
    return 0;
}

/* Whether matcher m (and its alternatives) only matches calls. */
static int matches_calls(const matcher *m) {
    if (m->kind == M_PATTERN)
        return m->pat->anchor == ANCHOR_NODES && !m->pat->multi &&
               m->pat->kinds == ((uint64_t)1 << GOLEAK_NODE_CALL);
    if (m->kind == M_ANY || m->kind == M_ALL) {
        int any = 0;
        for (uint32_t k = 0; k < m->nitems; k++) {
            if (m->items[k].op != OP_MATCH) continue;
            if (!matches_calls(m->items[k].m)) return 0;
            any = 1;
        }
        return any;
    }
    return 0;
}

/* The parts of the resource its patterns name: $R.Body of $R.Body.Close()
 * and of io.ReadAll($R.Body). */
static int collect_parts(reader *r, resource_spec *s, matcher **ms, uint32_t n) {
    for (uint32_t i = 0; i < n; i++) {
        const matcher *m = ms[i];
        uint32_t nalts = m->kind == M_ANY ? m->nitems : 1;
        for (uint32_t a = 0; a < nalts; a++) {
            const matcher *mm = m->kind == M_ANY ? m->items[a].m : m;
            if (mm->kind != M_PATTERN) continue;
            const pattern *p = mm->pat;
            for (uint32_t k = 0; k < p->n; k++) {
                if (p->toks[k].type != PT_META || p->toks[k].meta != s->as) continue;
                uint32_t j = k + 1;
                while (j + 1 < p->n && p->toks[j].type == PT_TOKEN &&
                       p->toks[j].kind == GOLEAK_TOKEN_PERIOD && p->toks[j + 1].type == PT_TOKEN &&
                       p->toks[j + 1].kind == GOLEAK_TOKEN_IDENT)
                    j += 2;
                /* a method call's name is not a part: $R.Body.Close() */
                if (j < p->n && p->toks[j].type == PT_TOKEN &&
                    p->toks[j].kind == GOLEAK_TOKEN_LPAREN && j > k + 1)
                    j -= 2;
                if (j == k + 1) continue;
                int dup = 0;
                for (uint32_t q = 0; q < s->nparts && !dup; q++) {
                    if (s->parts[q].n != j - k - 1) continue;
                    dup = 1;
                    for (uint32_t t = 0; t < s->parts[q].n && dup; t++) {
                        const ptok *x = &s->parts[q].toks[t], *y = &p->toks[k + 1 + t];
                        dup = x->kind == y->kind && x->len == y->len &&
                              (!x->text || memcmp(x->text, y->text, x->len) == 0);
                    }
                }
                if (dup || s->nparts >= 8) continue;
                s->parts[s->nparts].toks = &p->toks[k + 1];
                s->parts[s->nparts].n = j - k - 1;
                s->nparts++;
            }
        }
    }
    (void)r;
    return 0;
}

static const struct {
    const char *name;
    unsigned bit;
} escape_names[] = {{"returned", E_RETURNED},
                    {"stored", E_STORED},
                    {"sent", E_SENT},
                    {"captured", E_CAPTURED},
                    {"passed", E_PASSED}};

static int read_resource(reader *r, const ynode *n, resource_spec *s) {
    memset(s, 0, sizeof *s);
    if (!want_kind(r, n, Y_MAP, "resource")) return r->rc;
    if (check_keys(r, n, "a resource", resource_keys)) return r->rc;
    const ynode *acq = ymap_get(n, "acquire");
    if (!acq) return ERR(r, n, "missing \"acquire\" in the resource");
    s->acquire = read_matcher(r, acq, 1);
    if (!s->acquire) return r->rc;
    if (!matches_calls(s->acquire))
        return ERR(r, acq, "\"acquire\" must match calls (such as os.Open(...))");
    /* the resource's name */
    const ynode *as = ymap_get(n, "as");
    const char *asname = "R";
    size_t aslen = 1;
    if (as) {
        if (!want_kind(r, as, Y_SCALAR, "as")) return r->rc;
        if (as->len < 2 || as->text[0] != '$')
            return ERR(r, as, "\"as\" names a metavariable ($NAME), not \"%s\"", as->text);
        for (size_t k = 1; k < as->len; k++)
            if (!isupper((unsigned char)as->text[k]) && !isdigit((unsigned char)as->text[k]) &&
                as->text[k] != '_')
                return ERR(r, as, "a metavariable is $ and a name in capitals, not \"%s\"",
                           as->text);
        asname = as->text + 1;
        aslen = as->len - 1;
    }
    const ynode *from = ymap_get(n, "from");
    s->from_result = 1;
    s->result = 0;
    if (from) {
        if (!want_kind(r, from, Y_SCALAR, "from")) return r->rc;
        if (from->text[0] == '$') {
            int k = rule_meta_index(r->rule, from->text + 1, from->len - 1, 0);
            if (k < 0) return meta_ref(r, from, "\"from\""), r->rc;
            s->from_result = 0;
            s->from_meta = (uint16_t)k;
            if (!as) { /* the metavariable is the resource's name */
                asname = from->text + 1;
                aslen = from->len - 1;
            }
        } else if (!result_index(from->text, &s->result)) {
            return ERR(r, from, "\"from\" is \"result N\" or a metavariable of acquire, not \"%s\"",
                       from->text);
        }
    }
    int asmeta = rule_meta_index(r->rule, asname, aslen, 1);
    if (asmeta < 0) return ERR(r, n, "too many metavariables in one rule (at most 32)");
    if (!s->from_result && asmeta != s->from_meta)
        return ERR(r, as, "\"as\" and \"from\" name two metavariables; give one of them");
    s->as = (uint16_t)asmeta;
    const ynode *er = ymap_get(n, "error");
    if (er) {
        if (!want_kind(r, er, Y_SCALAR, "error")) return r->rc;
        if (!result_index(er->text, &s->error_result))
            return ERR(r, er, "\"error\" is \"result N\", not \"%s\"", er->text);
        if (s->from_result && s->error_result == s->result)
            return ERR(r, er, "the error and the resource are the same result");
        s->has_error = 1;
    }
    if (read_pattern_list(r, ymap_get(n, "release"), "release", &s->release, &s->nrelease, 1, n) ||
        read_pattern_list(r, ymap_get(n, "borrow"), "borrow", &s->borrow, &s->nborrow, 0, n) ||
        read_pattern_list(r, ymap_get(n, "wrap"), "wrap", &s->wrap, &s->nwrap, 0, n) ||
        read_pattern_list(r, ymap_get(n, "exhaust"), "exhaust", &s->exhaust, &s->nexhaust, 0, n))
        return r->rc;
    s->escapes = E_ALL;
    const ynode *esc = ymap_get(n, "escapes");
    if (esc) {
        s->escapes = 0;
        uint32_t len;
        const ynode *const *items =
            esc->kind == Y_SEQ && esc->n == 0 ? NULL : get_list(r, esc, "escapes", &len);
        if (r->rc) return r->rc;
        for (uint32_t k = 0; items && k < len; k++) {
            if (!want_kind(r, items[k], Y_SCALAR, "escapes")) return r->rc;
            unsigned bit = 0;
            for (size_t e = 0; e < sizeof escape_names / sizeof *escape_names; e++)
                if (strcmp(items[k]->text, escape_names[e].name) == 0) bit = escape_names[e].bit;
            if (!bit)
                return ERR(r, items[k],
                           "unknown escape \"%s\" (returned, stored, sent, captured, passed)",
                           items[k]->text);
            s->escapes |= bit;
        }
    }
    s->follow_var = 1;
    const ynode *fv = ymap_get(n, "follow-variable");
    if (fv) {
        if (!want_kind(r, fv, Y_SCALAR, "follow-variable")) return r->rc;
        if (strcmp(fv->text, "true") != 0 && strcmp(fv->text, "false") != 0)
            return ERR(r, fv, "\"follow-variable\" is true or false, not \"%s\"", fv->text);
        s->follow_var = strcmp(fv->text, "true") == 0;
    }
    s->parts = arena_alloc(&r->p->ar, 8 * sizeof *s->parts);
    if (!s->parts) return oom(r);
    collect_parts(r, s, s->release, s->nrelease);
    collect_parts(r, s, s->borrow, s->nborrow);
    collect_parts(r, s, s->wrap, s->nwrap);
    collect_parts(r, s, s->exhaust, s->nexhaust);
    return 0;
}

/* ---- rules ---- */

static const char *const rule_keys[] = {"id",
                                        "name",
                                        "severity",
                                        "summary",
                                        "message",
                                        "message-discarded",
                                        "message-replaced",
                                        "doc",
                                        "go",
                                        "requires-import",
                                        "imports",
                                        "paths",
                                        "metadata",
                                        "match",
                                        "where",
                                        "focus",
                                        "resource",
                                        NULL};

static int read_globs(reader *r, const ynode *n, const char *key, const char ***out) {
    uint32_t len;
    const ynode *const *items = get_list(r, n, key, &len);
    if (!items) return r->rc;
    const char **g = arena_alloc(&r->p->ar, (len + 1) * sizeof *g);
    if (!g) return oom(r);
    for (uint32_t k = 0; k < len; k++) {
        if (!want_kind(r, items[k], Y_SCALAR, key)) return r->rc;
        if (!(g[k] = arena_strndup(&r->p->ar, items[k]->text, items[k]->len))) return oom(r);
    }
    g[len] = NULL;
    *out = g;
    return 0;
}

/* Indents every line of text by four spaces, for the doc's examples. */
static void append_indented(char **o, const char *text) {
    const char *s = text;
    while (*s) {
        const char *nl = strchr(s, '\n');
        size_t n = nl ? (size_t)(nl - s) : strlen(s);
        if (n) {
            memcpy(*o, "    ", 4);
            *o += 4;
            memcpy(*o, s, n);
            *o += n;
        }
        *(*o)++ = '\n';
        s += n + (nl ? 1 : 0);
    }
}

static int read_doc(reader *r, const ynode *rn, pack_rule *ru) {
    static const char *const doc_keys[] = {"description", "leaking", "fixed", NULL};
    const ynode *doc = ymap_get(rn, "doc");
    const ynode *meta = ymap_get(rn, "metadata");
    const char *desc = NULL, *leaking = NULL, *fixed = NULL;
    if (doc) {
        if (!want_kind(r, doc, Y_MAP, "doc") || check_keys(r, doc, "doc", doc_keys)) return r->rc;
        desc = get_str(r, doc, "description", 1, "doc");
        leaking = get_str(r, doc, "leaking", 1, "doc");
        fixed = get_str(r, doc, "fixed", 1, "doc");
        if (r->rc) return r->rc;
    }
    size_t size = 64 + strlen(r->p->path);
    if (desc) size += strlen(desc) + 2 * (strlen(leaking) + strlen(fixed)) + 64;
    if (meta) {
        if (!want_kind(r, meta, Y_MAP, "metadata")) return r->rc;
        for (uint32_t k = 0; k < meta->n; k++) {
            if (!want_kind(r, meta->items[k], Y_SCALAR, meta->keys[k]->text)) return r->rc;
            size += meta->keys[k]->len + meta->items[k]->len + 8;
        }
    }
    char *buf = arena_alloc(&r->p->ar, size * 2 + 64);
    if (!buf) return oom(r);
    char *o = buf;
    if (desc) {
        o += sprintf(o, "%s", desc);
        if (o > buf && o[-1] != '\n') *o++ = '\n';
        o += sprintf(o, "\nLeaking:\n\n");
        append_indented(&o, leaking);
        o += sprintf(o, "\nFixed:\n\n");
        append_indented(&o, fixed);
    }
    if (meta && meta->n) {
        o += sprintf(o, "\n");
        for (uint32_t k = 0; k < meta->n; k++)
            o += sprintf(o, "%s: %s\n", meta->keys[k]->text, meta->items[k]->text);
    }
    o += sprintf(o, "%sFrom the rule pack %s.\n", o > buf ? "\n" : "", r->p->path);
    *o = 0;
    ru->doc = buf;
    return 0;
}

static int check_free_id(reader *r, const ynode *at, const char *what, const char *value) {
    int name = what[0] == 'n';
    const goleak_rule *existing = r->engine ? goleak_engine_find_rule(r->engine, value) : NULL;
    if (existing) {
        const char *origin = goleak_rule_origin_path(existing);
        return err_at(r, at->line, at->column, at->offset, GOLEAK_EEXISTS,
                      "rule %s \"%s\" is already registered (%s%s%s %s)", what, value,
                      origin ? "rule pack " : "", origin ? origin : "",
                      origin
                          ? ":"
                          : (goleak_rule_origin(existing) == GOLEAK_ORIGIN_BUILTIN ? "built-in rule"
                                                                                   : "rule"),
                      goleak_rule_name(existing));
    }
    taken_ids *t = r->taken;
    for (uint32_t k = 0; k < t->len; k++) {
        if (strcmp(t->ids[k], value) == 0 || strcmp(t->names[k], value) == 0)
            return err_at(r, at->line, at->column, at->offset, GOLEAK_EEXISTS,
                          "rule %s \"%s\" is already used by rule %s at %s", what, value, t->ids[k],
                          t->where[k]);
    }
    (void)name;
    return 0;
}

static int take_id(reader *r, const pack_rule *ru) {
    taken_ids *t = r->taken;
    if (t->len == t->cap) {
        uint32_t cap = t->cap ? 2 * t->cap : 16;
        const char **ids = gl_realloc(r->p->alloc, t->ids, cap * sizeof *ids);
        if (ids) t->ids = ids;
        const char **names = ids ? gl_realloc(r->p->alloc, t->names, cap * sizeof *names) : NULL;
        if (names) t->names = names;
        const char **where = names ? gl_realloc(r->p->alloc, t->where, cap * sizeof *where) : NULL;
        if (!where) return oom(r);
        t->where = where;
        t->cap = cap;
    }
    char buf[512];
    snprintf(buf, sizeof buf, "%s:%u", r->p->path, ru->line);
    const char *w = arena_strndup(&r->p->ar, buf, strlen(buf));
    if (!w) return oom(r);
    t->ids[t->len] = ru->id;
    t->names[t->len] = ru->name;
    t->where[t->len] = w;
    t->len++;
    return 0;
}

static int read_rule(reader *r, const ynode *rn, pack_rule *ru) {
    memset(ru, 0, sizeof *ru);
    ru->owner = r->p;
    ru->focus = META_ANY;
    ru->line = rn->line;
    r->rule = ru;
    if (!want_kind(r, rn, Y_MAP, "rule")) return r->rc;
    if (check_keys(r, rn, "a rule", rule_keys)) return r->rc;
    ru->id = get_str(r, rn, "id", 1, "the rule");
    if (r->rc) return r->rc;
    char what[96];
    snprintf(what, sizeof what, "rule %s", ru->id);
    const ynode *idn = ymap_get(rn, "id");
    if (!valid_id(ru->id, 0))
        return ERR(r, idn, "invalid rule id \"%s\" (letters, digits, '-' and '_', at most 64)",
                   ru->id);
    if (check_free_id(r, idn, "id", ru->id)) return r->rc;
    ru->name = get_str(r, rn, "name", 1, what);
    if (r->rc) return r->rc;
    const ynode *namen = ymap_get(rn, "name");
    if (!valid_id(ru->name, 1))
        return ERR(r, namen,
                   "invalid rule name \"%s\" (kebab-case: lower-case letters, digits and '-')",
                   ru->name);
    if (check_free_id(r, namen, "name", ru->name)) return r->rc;
    ru->summary = get_str(r, rn, "summary", 1, what);
    ru->message = get_str(r, rn, "message", 1, what);
    if (r->rc) return r->rc;
    const char *sev = get_str(r, rn, "severity", 0, what);
    ru->severity = GOLEAK_SEVERITY_WARNING;
    if (sev) {
        if (strcmp(sev, "error") == 0)
            ru->severity = GOLEAK_SEVERITY_ERROR;
        else if (strcmp(sev, "info") == 0)
            ru->severity = GOLEAK_SEVERITY_INFO;
        else if (strcmp(sev, "warning") != 0)
            return ERR(r, ymap_get(rn, "severity"),
                       "\"severity\" is error, warning or info, not \"%s\"", sev);
    }
    if (r->rc) return r->rc;
    /* Go versions */
    const ynode *go = ymap_get(rn, "go");
    if (go) {
        static const char *const go_keys[] = {"min", "below", NULL};
        if (!want_kind(r, go, Y_MAP, "go") || check_keys(r, go, "go", go_keys)) return r->rc;
        ru->go_min = get_str(r, go, "min", 0, "go");
        ru->go_below = get_str(r, go, "below", 0, "go");
        if (r->rc) return r->rc;
        if (ru->go_min && goleak_go_version_minor(ru->go_min) < 0)
            return ERR(r, ymap_get(go, "min"), "\"%s\" is not a Go version (1.21)", ru->go_min);
        if (ru->go_below && goleak_go_version_minor(ru->go_below) < 0)
            return ERR(r, ymap_get(go, "below"), "\"%s\" is not a Go version (1.23)", ru->go_below);
    }
    /* imports: those patterns name, and those a file must have */
    ru->imports = arena_alloc(&r->p->ar, 32 * sizeof *ru->imports);
    ru->requires = arena_alloc(&r->p->ar, 32 * sizeof *ru->requires);
    if (!ru->imports || !ru->requires) return oom(r);
    if (read_imports(r, ymap_get(rn, "imports"))) return r->rc;
    const ynode *req = ymap_get(rn, "requires-import");
    if (req) {
        uint32_t len;
        const ynode *const *items = get_list(r, req, "requires-import", &len);
        if (!items) return r->rc ? r->rc : ERR(r, req, "\"requires-import\" needs an import path");
        for (uint32_t k = 0; k < len; k++) {
            if (!want_kind(r, items[k], Y_SCALAR, "requires-import")) return r->rc;
            const char *name;
            size_t nl;
            import_default_name(items[k]->text, items[k]->len, &name, &nl);
            int idx = add_import(r, items[k], name, nl, items[k]->text, items[k]->len);
            if (idx < 0) return r->rc;
            ru->requires[ru->nrequires++] = (uint32_t)idx;
        }
    }
    /* paths */
    const ynode *paths = ymap_get(rn, "paths");
    if (paths) {
        static const char *const path_keys[] = {"include", "exclude", NULL};
        if (!want_kind(r, paths, Y_MAP, "paths") || check_keys(r, paths, "paths", path_keys))
            return r->rc;
        const ynode *inc = ymap_get(paths, "include"), *exc = ymap_get(paths, "exclude");
        if ((inc && read_globs(r, inc, "include", &ru->include)) ||
            (exc && read_globs(r, exc, "exclude", &ru->exclude)))
            return r->rc;
    }
    /* what it matches */
    const ynode *match = ymap_get(rn, "match"), *res = ymap_get(rn, "resource");
    if (!match == !res)
        return ERR(r, rn,
                   "%s needs either \"match\" (a pattern rule) or \"resource\" (a resource rule)",
                   what);
    if (match) {
        ru->match = read_matcher(r, match, 1);
        if (!ru->match) return r->rc;
        if (ru->match->kind == M_CONTEXT)
            return ERR(r, match, "a context only goes under inside: or not-inside:");
        const ynode *where = ymap_get(rn, "where");
        if (where) {
            filter *f;
            uint32_t nf;
            if (read_filters(r, where, &f, &nf)) return r->rc;
            /* rule-level filters join the top matcher's */
            filter *all = arena_alloc(&r->p->ar, (ru->match->nwhere + nf + 1) * sizeof *all);
            if (!all) return oom(r);
            if (ru->match->nwhere) memcpy(all, ru->match->where, ru->match->nwhere * sizeof *all);
            memcpy(all + ru->match->nwhere, f, nf * sizeof *all);
            ru->match->where = all;
            ru->match->nwhere += nf;
        }
        const ynode *focus = ymap_get(rn, "focus");
        if (focus) {
            int k = meta_ref(r, focus, "\"focus\"");
            if (k < 0) return r->rc;
            ru->focus = (uint16_t)k;
        }
        static const char *const resource_only[] = {"message-discarded", "message-replaced"};
        for (size_t k = 0; k < sizeof resource_only / sizeof *resource_only; k++)
            if (ymap_get(rn, resource_only[k]))
                return ERR(r, ymap_get(rn, resource_only[k]), "\"%s\" is for resource rules",
                           resource_only[k]);
        if (check_message(r, ymap_get(rn, "message"), NULL)) return r->rc;
    } else {
        if (ymap_get(rn, "where") || ymap_get(rn, "focus"))
            return ERR(r, ymap_get(rn, "where") ? ymap_get(rn, "where") : ymap_get(rn, "focus"),
                       "\"%s\" is for pattern rules; a resource's patterns take where: themselves",
                       ymap_get(rn, "where") ? "where" : "focus");
        uint32_t len = res->kind == Y_SEQ ? res->n : 1;
        if (res->kind == Y_SEQ && len == 0)
            return ERR(r, res, "\"resource\" needs at least one resource");
        ru->resources = arena_alloc(&r->p->ar, len * sizeof *ru->resources);
        if (!ru->resources) return oom(r);
        for (uint32_t k = 0; k < len; k++) {
            if (read_resource(r, res->kind == Y_SEQ ? res->items[k] : res, &ru->resources[k]))
                return r->rc;
            ru->nresources++;
        }
        static const char *const extra[] = {"CALL", "EXIT", NULL};
        if (check_message(r, ymap_get(rn, "message"), extra)) return r->rc;
        ru->discarded_message = get_str(r, rn, "message-discarded", 0, what);
        if (r->rc) return r->rc;
        if (ru->discarded_message && check_message(r, ymap_get(rn, "message-discarded"), extra))
            return r->rc;
        ru->replaced_message = get_str(r, rn, "message-replaced", 0, what);
        if (r->rc) return r->rc;
        if (ru->replaced_message && check_message(r, ymap_get(rn, "message-replaced"), extra))
            return r->rc;
    }
    if (read_doc(r, rn, ru)) return r->rc;
    return take_id(r, ru);
}

static const char *const pack_keys[] = {"format", "name", "description", "rules", NULL};

int pack_compile(pack **out, const char *name, const char *text, size_t len,
                 const goleak_engine *engine, taken_ids *taken, goleak_error *err) {
    *out = NULL;
    const goleak_allocator *a = engine ? engine->alloc : alloc_default();
    pack *p = gl_calloc(a, sizeof *p);
    if (!p) return error_set(err, GOLEAK_ENOMEM, NULL, 0, 0, 0, "out of memory");
    p->alloc = a;
    arena_init(&p->ar, a);
    p->path = arena_strndup(&p->ar, name, strlen(name));
    if (!p->path) {
        pack_free(p);
        return error_set(err, GOLEAK_ENOMEM, NULL, 0, 0, 0, "out of memory");
    }
    reader r;
    memset(&r, 0, sizeof r);
    r.p = p;
    r.text = text;
    r.len = len;
    r.err = err;
    r.engine = engine;
    r.taken = taken;
    int rc = ydoc_parse(&r.doc, p->path, text, len, a, err);
    if (rc) {
        ydoc_free(&r.doc);
        pack_free(p);
        return rc;
    }
    const ynode *root = r.doc.root;
    if (!root) {
        err_at(&r, 1, 1, 0, GOLEAK_ESYNTAX, "empty pack (it needs format, name and rules)");
    } else if (root->kind != Y_MAP) {
        ERR(&r, root, "a pack is a mapping (format, name, description, rules), not %s",
            kind_of(root));
    } else if (!check_keys(&r, root, "the pack", pack_keys)) {
        const char *fmt = get_str(&r, root, "format", 1, "the pack");
        if (fmt && strcmp(fmt, FORMAT_VERSION) != 0)
            ERR(&r, ymap_get(root, "format"),
                "unknown pack format \"%s\" (this goleak reads format %s)", fmt, FORMAT_VERSION);
        const char *pname = r.rc ? NULL : get_str(&r, root, "name", 1, "the pack");
        if (pname && !valid_id(pname, 1))
            ERR(&r, ymap_get(root, "name"), "invalid pack name \"%s\" (kebab-case)", pname);
        const char *desc = r.rc ? NULL : get_str(&r, root, "description", 0, "the pack");
        (void)desc;
        const ynode *rules = r.rc ? NULL : ymap_get(root, "rules");
        if (!r.rc && !rules) ERR(&r, root, "missing \"rules\" in the pack");
        if (!r.rc && want_kind(&r, rules, Y_SEQ, "rules")) {
            if (rules->n == 0) ERR(&r, rules, "the pack has no rules");
            p->rules = r.rc ? NULL : arena_alloc(&p->ar, rules->n * sizeof *p->rules);
            if (!r.rc && !p->rules) oom(&r);
            for (uint32_t k = 0; !r.rc && k < rules->n; k++)
                if (read_rule(&r, rules->items[k], &p->rules[k]) == 0) p->nrules++;
        }
    }
    ydoc_free(&r.doc);
    if (r.rc) {
        pack_free(p);
        return r.rc;
    }
    *out = p;
    return 0;
}

void pack_free(pack *p) {
    if (!p) return;
    for (uint32_t k = 0; k < p->nregexes; k++) regex_free(p->regexes[k]);
    gl_free(p->alloc, p->regexes);
    arena_free(&p->ar);
    gl_free(p->alloc, p);
}

void taken_ids_free(const goleak_allocator *a, taken_ids *t) {
    gl_free(a, t->ids);
    gl_free(a, t->names);
    gl_free(a, t->where);
    memset(t, 0, sizeof *t);
}
