/* Compiling a pattern: the text is rewritten so that Go's syntax holds
 * ($X becomes an identifier, ... as a wildcard too), parsed by the
 * library's own parser inside a function body (which tells what kind of
 * node it is), and its tokens become the pattern's. */
#include "pattern.h"

#include <ctype.h>
#include <stdio.h>
#include <string.h>

#define MV_PREFIX   "__gl_mv_"
#define DOTS_IDENT  "__gl_dots"
#define PKG_PREFIX  "package p\n"
#define FUNC_PREFIX "package p\nfunc _() {\n"

int rule_meta_index(pack_rule *r, const char *name, size_t n, int create) {
    for (uint32_t k = 0; k < r->nmetas; k++)
        if (strlen(r->metas[k]) == n && memcmp(r->metas[k], name, n) == 0) return (int)k;
    if (!create || r->nmetas >= MAX_METAVARS) return -1;
    char *copy = arena_strndup(&r->owner->ar, name, n);
    if (!copy) return -1;
    r->metas[r->nmetas] = copy;
    return (int)r->nmetas++;
}

/* A growing output buffer, with the input offset of each output byte. */
typedef struct rewrite {
    const goleak_allocator *a;
    char *buf;
    uint32_t *map;
    size_t len, cap;
    int oom;
} rewrite;

static void put(rewrite *w, const char *s, size_t n, size_t from) {
    if (w->oom) return;
    if (w->len + n + 1 > w->cap) {
        size_t cap = (w->cap ? w->cap * 2 : 128) + n;
        char *b = gl_realloc(w->a, w->buf, cap);
        if (b) w->buf = b;
        uint32_t *m = b ? gl_realloc(w->a, w->map, cap * sizeof *m) : NULL;
        if (!b || !m) {
            w->oom = 1;
            return;
        }
        w->map = m;
        w->cap = cap;
    }
    memcpy(w->buf + w->len, s, n);
    for (size_t k = 0; k < n; k++) w->map[w->len + k] = (uint32_t)from;
    w->len += n;
    w->buf[w->len] = 0;
}

static int fail(pattern_ctx *pc, size_t offset, const char *msg, const char *detail) {
    snprintf(pc->msg, sizeof pc->msg, "%s%s", msg, detail ? detail : "");
    pc->err_offset = offset;
    return 1;
}

static int ident_char(int c) {
    return isalnum(c) || c == '_' || c >= 0x80;
}

/* Rewrites $NAME and the ... wildcard outside strings and comments. */
static int rewrite_text(pattern_ctx *pc, rewrite *w, const char *s, size_t n) {
    size_t i = 0;
    while (i < n) {
        char c = s[i];
        if (c == '"' || c == '\'' || c == '`') { /* a literal, copied as is */
            size_t j = i + 1;
            while (j < n && s[j] != c && !(c != '`' && s[j] == '\n'))
                j += (c != '`' && s[j] == '\\') ? 2 : 1;
            if (j < n) j++;
            if (j > n) j = n;
            put(w, s + i, j - i, i);
            i = j;
            continue;
        }
        if (c == '/' && i + 1 < n && (s[i + 1] == '/' || s[i + 1] == '*')) {
            size_t j = i + 2;
            if (s[i + 1] == '/') {
                while (j < n && s[j] != '\n') j++;
            } else {
                while (j + 1 < n && !(s[j] == '*' && s[j + 1] == '/')) j++;
                j = j + 2 <= n ? j + 2 : n;
            }
            put(w, s + i, j - i, i);
            i = j;
            continue;
        }
        if (c == '$') {
            size_t j = i + 1;
            while (j < n &&
                   (isupper((unsigned char)s[j]) || isdigit((unsigned char)s[j]) || s[j] == '_'))
                j++;
            if (j == i + 1 || (j < n && ident_char((unsigned char)s[j])) ||
                isdigit((unsigned char)s[i + 1]))
                return fail(pc, i, "a metavariable is $ and a name in capitals ($X, $RESP, $_)",
                            NULL);
            put(w, MV_PREFIX, strlen(MV_PREFIX), i);
            put(w, s + i + 1, j - i - 1, i + 1);
            i = j;
            continue;
        }
        if (c == '.' && i + 2 < n && s[i + 1] == '.' && s[i + 2] == '.') {
            /* x... (no space) spreads a slice; anything else is the wildcard */
            int spread = i > 0 && (ident_char((unsigned char)s[i - 1]) || s[i - 1] == ')' ||
                                   s[i - 1] == ']');
            if (spread) {
                put(w, "...", 3, i);
            } else {
                put(w, " " DOTS_IDENT " ", strlen(DOTS_IDENT) + 2, i);
            }
            i += 3;
            continue;
        }
        put(w, s + i, 1, i);
        i++;
    }
    return w->oom ? GOLEAK_ENOMEM : 0;
}

static int starts_with_ident(const char *s, size_t n, const char *word) {
    size_t k = strlen(word);
    return n >= k && memcmp(s, word, k) == 0;
}

/* Whether the text declares a function (func F(...) or func (r T) M(...)). */
static int is_func_decl(const char *s, size_t n) {
    size_t i = 0;
    while (i < n && isspace((unsigned char)s[i])) i++;
    if (!starts_with_ident(s + i, n - i, "func")) return 0;
    i += 4;
    if (i >= n || !isspace((unsigned char)s[i])) return 0;
    while (i < n && isspace((unsigned char)s[i])) i++;
    return i < n && (s[i] == '(' || s[i] == '$' || isalpha((unsigned char)s[i]) || s[i] == '_');
}

static uint64_t anchor_bits(int kind) {
    if (kind == GOLEAK_NODE_FOR)
        return ((uint64_t)1 << GOLEAK_NODE_FOR) | ((uint64_t)1 << GOLEAK_NODE_RANGE);
    return (uint64_t)1 << kind;
}

static int literal_kind(int k) {
    return k == GOLEAK_TOKEN_IDENT || k == GOLEAK_TOKEN_INT || k == GOLEAK_TOKEN_FLOAT ||
           k == GOLEAK_TOKEN_IMAG || k == GOLEAK_TOKEN_CHAR || k == GOLEAK_TOKEN_STRING;
}

/* The import index of a package name the rule's patterns may use, or -1. */
static int import_named(const pack_rule *r, const char *s, size_t n) {
    for (uint32_t k = 0; k < r->nimports; k++)
        if (strlen(r->imports[k].name) == n && memcmp(r->imports[k].name, s, n) == 0) return (int)k;
    return -1;
}

static int build_tokens(pattern_ctx *pc, pattern *p, const goleak_unit *u, uint32_t lo, uint32_t hi,
                        const rewrite *w, size_t base) {
    const token *t = u->toks.data;
    const char *src = (const char *)u->src;
    p->toks = arena_alloc(pc->ar, (hi - lo + 1) * sizeof *p->toks);
    p->idents = arena_alloc(pc->ar, (hi - lo + 1) * sizeof *p->idents);
    if (!p->toks || !p->idents) return GOLEAK_ENOMEM;
    for (uint32_t i = lo; i <= hi; i++) {
        const char *s = src + t[i].off;
        size_t n = t[i].len;
        size_t at = w->map[t[i].off - base < w->len ? t[i].off - base : w->len - 1];
        ptok pt;
        memset(&pt, 0, sizeof pt);
        pt.kind = t[i].kind;
        if (t[i].kind == GOLEAK_TOKEN_IDENT && starts_with_ident(s, n, MV_PREFIX)) {
            size_t pl = strlen(MV_PREFIX);
            pt.type = PT_META;
            if (n == pl + 1 && s[pl] == '_') {
                pt.meta = META_ANY;
            } else {
                int m = rule_meta_index(pc->rule, s + pl, n - pl, 1);
                if (m < 0)
                    return fail(pc, at, "too many metavariables in one rule (at most 32)", NULL);
                pt.meta = (uint16_t)m;
            }
        } else if (t[i].kind == GOLEAK_TOKEN_IDENT && n == strlen(DOTS_IDENT) &&
                   memcmp(s, DOTS_IDENT, n) == 0) {
            int before = p->n == 0 || (p->toks[p->n - 1].type == PT_TOKEN &&
                                       (p->toks[p->n - 1].kind == GOLEAK_TOKEN_LBRACE ||
                                        p->toks[p->n - 1].kind == GOLEAK_TOKEN_SEMICOLON));
            int after = i == hi || t[i + 1].kind == GOLEAK_TOKEN_SEMICOLON ||
                        t[i + 1].kind == GOLEAK_TOKEN_RBRACE;
            pt.type = before && after ? PT_STMT_DOTS : PT_DOTS;
            /* two wildcards in a row are one */
            if (p->n &&
                (p->toks[p->n - 1].type == PT_DOTS || p->toks[p->n - 1].type == PT_STMT_DOTS))
                continue;
            if (pt.type == PT_STMT_DOTS && i < hi && t[i + 1].kind == GOLEAK_TOKEN_SEMICOLON) i++;
        } else if (t[i].kind == GOLEAK_TOKEN_IDENT && i < hi &&
                   t[i + 1].kind == GOLEAK_TOKEN_PERIOD &&
                   (p->n == 0 || p->toks[p->n - 1].kind != GOLEAK_TOKEN_PERIOD ||
                    p->toks[p->n - 1].type != PT_TOKEN) &&
                   import_named(pc->rule, s, n) >= 0) {
            pt.type = PT_PKG;
            pt.meta = (uint16_t)import_named(pc->rule, s, n);
            i++; /* the period is part of it */
        } else {
            pt.type = PT_TOKEN;
            if (literal_kind(t[i].kind)) {
                pt.text = arena_strndup(pc->ar, s, n);
                if (!pt.text) return GOLEAK_ENOMEM;
                pt.len = (uint32_t)n;
            }
            if (t[i].kind == GOLEAK_TOKEN_IDENT) {
                pt.hash = t[i].hash;
                p->idents[p->nidents++] = t[i].hash;
            }
        }
        p->toks[p->n++] = pt;
    }
    /* a final semicolon (explicit or automatic) asks for nothing */
    while (p->n && p->toks[p->n - 1].type == PT_TOKEN &&
           p->toks[p->n - 1].kind == GOLEAK_TOKEN_SEMICOLON)
        p->n--;
    for (uint32_t k = 0; k < p->n; k++) {
        ptok *pt = &p->toks[k];
        if (pt->type != PT_META) continue;
        /* after a period, or a package's name: a member's name */
        pt->name_only =
            k > 0 &&
            ((p->toks[k - 1].type == PT_TOKEN && p->toks[k - 1].kind == GOLEAK_TOKEN_PERIOD) ||
             p->toks[k - 1].type == PT_PKG);
        if (k + 1 < p->n && p->toks[k + 1].type == PT_TOKEN) {
            int nk = p->toks[k + 1].kind;
            pt->primary =
                nk == GOLEAK_TOKEN_PERIOD || nk == GOLEAK_TOKEN_LPAREN || nk == GOLEAK_TOKEN_LBRACK;
        }
    }
    return 0;
}

int pattern_compile(pattern_ctx *pc, const char *text, size_t len, pattern **out) {
    *out = NULL;
    pc->msg[0] = 0;
    pc->err_offset = 0;
    rewrite w;
    memset(&w, 0, sizeof w);
    w.a = pc->alloc;
    int func = is_func_decl(text, len);
    const char *prefix = func ? PKG_PREFIX : FUNC_PREFIX;
    const char *suffix = func ? "\n" : "\n}\n";
    size_t base = strlen(prefix);
    put(&w, prefix, base, 0);
    size_t start = w.len;
    int rc = rewrite_text(pc, &w, text, len);
    goleak_unit *u = NULL;
    if (rc == 0 && !w.oom) {
        size_t body_len = w.len - start;
        put(&w, suffix, strlen(suffix), len);
        /* the map is relative to the pattern: drop the prefix's entries */
        memmove(w.map, w.map + start, (w.len - start) * sizeof *w.map);
        size_t total = w.len;
        w.len = body_len;
        if (w.oom) {
            rc = GOLEAK_ENOMEM;
        } else {
            goleak_parse_options o = GOLEAK_PARSE_OPTIONS_INIT;
            o.allocator = pc->alloc;
            rc = goleak_unit_parse(&u, "pattern", w.buf, total, &o, NULL);
        }
    } else if (rc == 0) {
        rc = GOLEAK_ENOMEM;
    }
    if (rc == 0 && u->diags.len) {
        uint32_t off = u->diags.data[0].off;
        size_t at = off >= base && off - base < w.len ? w.map[off - base] : len;
        rc = fail(pc, at, "invalid pattern: ", u->diags.data[0].msg);
    }
    pattern *p = NULL;
    if (rc == 0) {
        p = arena_alloc(pc->ar, sizeof *p);
        if (!p)
            rc = GOLEAK_ENOMEM;
        else
            memset(p, 0, sizeof *p);
    }
    if (rc == 0) {
        const node *nodes = u->nodes.data;
        /* the statements: the function's body, or the declaration itself */
        uint32_t first_stmt = NONE32, nstmts = 0, call = NONE32;
        if (func) {
            for (uint32_t c = nodes[u->root].child; c != NONE32; c = nodes[c].next)
                if (nodes[c].kind == GOLEAK_NODE_FUNC && nodes[c].first >= 1) first_stmt = c;
            nstmts = first_stmt != NONE32;
        } else {
            uint32_t fn = NONE32;
            for (uint32_t c = nodes[u->root].child; c != NONE32; c = nodes[c].next)
                if (nodes[c].kind == GOLEAK_NODE_FUNC) fn = c;
            uint32_t body = NONE32;
            for (uint32_t c = fn != NONE32 ? nodes[fn].child : NONE32; c != NONE32;
                 c = nodes[c].next)
                if (nodes[c].role == GOLEAK_ROLE_BODY) body = c;
            for (uint32_t c = body != NONE32 ? nodes[body].child : NONE32; c != NONE32;
                 c = nodes[c].next) {
                if (nodes[c].role != GOLEAK_ROLE_NONE || nodes[c].kind == GOLEAK_NODE_EMPTY)
                    continue;
                if (first_stmt == NONE32) first_stmt = c;
                nstmts++;
            }
        }
        if (first_stmt == NONE32) {
            rc = fail(pc, 0, "empty pattern", NULL);
        } else {
            const node *s = &nodes[first_stmt];
            p->anchor = ANCHOR_NODES;
            p->multi = nstmts > 1;
            if (s->kind == GOLEAK_NODE_EXPRSTMT && !p->multi) {
                uint32_t c = s->child;
                if (c != NONE32 && nodes[c].first == s->first && nodes[c].last == s->last &&
                    nodes[c].next == NONE32) {
                    p->kinds = anchor_bits(nodes[c].kind);
                    if (nodes[c].kind == GOLEAK_NODE_CALL) call = c;
                } else {
                    p->anchor = ANCHOR_TOKENS;
                }
            } else {
                p->kinds = anchor_bits(s->kind);
            }
            /* the tokens of the pattern text */
            uint32_t lo = NONE32, hi = 0;
            for (uint32_t i = 0; i < u->toks.len; i++) {
                const token *t = &u->toks.data[i];
                if (t->kind == GOLEAK_TOKEN_EOF || t->off < base || t->off - base >= w.len)
                    continue;
                if (t->len == 0 && t->off - base == w.len) continue;
                if (lo == NONE32) lo = i;
                hi = i;
            }
            if (lo == NONE32) {
                rc = fail(pc, 0, "empty pattern", NULL);
            } else {
                rc = build_tokens(pc, p, u, lo, hi, &w, base);
            }
            if (rc == 0 && p->n == 0) rc = fail(pc, 0, "empty pattern", NULL);
            if (rc == 0 && p->n == 1 &&
                (p->toks[0].type == PT_DOTS || p->toks[0].type == PT_STMT_DOTS))
                rc = fail(pc, 0, "a pattern of ... alone matches everything", NULL);
            if (rc == 0 && call != NONE32 && nodes[call].key != NONE32 && nodes[call].key > 0) {
                const token *ct = &u->toks.data[nodes[call].key - 1];
                const char *cs = (const char *)u->src + ct->off;
                if (ct->kind == GOLEAK_TOKEN_IDENT && !starts_with_ident(cs, ct->len, MV_PREFIX)) {
                    p->callee = arena_strndup(pc->ar, cs, ct->len);
                    p->callee_len = ct->len;
                    p->callee_hash = (uint32_t)ct->hash + 1;
                    if (!p->callee) rc = GOLEAK_ENOMEM;
                }
            }
        }
    }
    goleak_unit_free(u);
    gl_free(pc->alloc, w.buf);
    gl_free(pc->alloc, w.map);
    if (rc == 0) *out = p;
    return rc;
}
