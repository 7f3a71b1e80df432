/* Matching a pattern's tokens on a file's tokens, with backtracking over
 * metavariables and wildcards. Tokens never include comments, and string
 * literals are single tokens: nothing matches inside either. */
#include "pattern.h"

#include "../syntax.h"

#include <string.h>

#define T(k) GOLEAK_TOKEN_##k
#define FAIL NONE32

/* The budget of steps of one match attempt: a pathological pattern on a
 * pathological file gives up instead of taking exponential time. */
#define MATCH_STEPS 20000

typedef struct mstate {
    menv *e;
    const pattern *p;
    const file_index *x;
    uint32_t fend; /* file tokens [.., fend) are available */
    int exact;     /* the match must end at fend */
    uint32_t last; /* on success: the last token matched */
    /* a resource's member path being matched against the pattern */
} mstate;

static int is_open(int k) {
    return k == T(LPAREN) || k == T(LBRACK) || k == T(LBRACE);
}

static int is_close(int k) {
    return k == T(RPAREN) || k == T(RBRACK) || k == T(RBRACE);
}

/* The file token after the balanced unit starting at i (a token, or a
 * bracket and everything up to its match); fend when unbalanced. */
static uint32_t unit_end(const mstate *m, uint32_t i) {
    const token *t = m->x->toks;
    if (!is_open(t[i].kind)) return i + 1;
    int depth = 0;
    for (uint32_t k = i; k < m->fend; k++) {
        if (is_open(t[k].kind))
            depth++;
        else if (is_close(t[k].kind) && --depth == 0)
            return k + 1;
    }
    return m->fend;
}

static int tok_text_eq(const file_index *x, uint32_t i, const char *s, uint32_t n) {
    const token *t = &x->toks[i];
    return t->len == n && memcmp(x->src + t->off, s, n) == 0;
}

/* Whether file token i matches the concrete pattern token pt. */
static int token_eq(const mstate *m, const ptok *pt, uint32_t i) {
    const token *t = &m->x->toks[i];
    if (t->kind != pt->kind) {
        /* = in a pattern also matches := */
        return pt->kind == T(ASSIGN) && t->kind == T(DEFINE);
    }
    if (pt->text) {
        if (t->kind == T(IDENT) && t->hash != pt->hash) return 0;
        return tok_text_eq(m->x, i, pt->text, pt->len);
    }
    return 1;
}

/* Whether a token can start an operand (an expression a metavariable binds). */
static int starts_operand(int k, int primary) {
    switch (k) {
    case T(IDENT):
    case T(INT):
    case T(FLOAT):
    case T(IMAG):
    case T(CHAR):
    case T(STRING):
    case T(LPAREN):
    case T(LBRACK):
    case T(FUNC):
    case T(MAP):
    case T(CHAN):
    case T(STRUCT):
    case T(INTERFACE): return 1;
    case T(MUL):
    case T(AND):
    case T(SUB):
    case T(ADD):
    case T(NOT):
    case T(XOR):
    case T(ARROW): return !primary;
    default: return 0;
    }
}

/* Whether a token at bracket depth 0 ends the operand before it. */
static int ends_operand(int k, int primary) {
    if (token_is_assign_op(k)) return 1;
    switch (k) {
    case T(COMMA):
    case T(SEMICOLON):
    case T(COLON):
    case T(INC):
    case T(DEC):
    case T(ELLIPSIS):
    case T(RPAREN):
    case T(RBRACK):
    case T(RBRACE):
    case T(EOF):
    case T(BREAK):
    case T(CASE):
    case T(CONST):
    case T(CONTINUE):
    case T(DEFAULT):
    case T(DEFER):
    case T(ELSE):
    case T(FALLTHROUGH):
    case T(FOR):
    case T(GO):
    case T(GOTO):
    case T(IF):
    case T(IMPORT):
    case T(PACKAGE):
    case T(RANGE):
    case T(RETURN):
    case T(SELECT):
    case T(SWITCH):
    case T(TYPE):
    case T(VAR): return 1;
    case T(ADD):
    case T(SUB):
    case T(MUL):
    case T(QUO):
    case T(REM):
    case T(AND):
    case T(OR):
    case T(XOR):
    case T(SHL):
    case T(SHR):
    case T(AND_NOT):
    case T(LAND):
    case T(LOR):
    case T(ARROW):
    case T(EQL):
    case T(LSS):
    case T(GTR):
    case T(NOT):
    case T(NEQ):
    case T(LEQ):
    case T(GEQ): return primary; /* a binary operator: a primary operand stops before it */
    default: return 0;
    }
}

static uint32_t seq(mstate *m, uint32_t pi, uint32_t fi);

/* Matches the member path of a resource variable (path tokens of the file)
 * against the pattern from pi; the pattern index after it, or FAIL. */
static uint32_t path_eq(const mstate *m, uint32_t pi, const uint32_t *path, uint32_t n) {
    for (uint32_t k = 0; k < n; k++, pi++) {
        if (pi >= m->p->n || m->p->toks[pi].type != PT_TOKEN ||
            !token_eq(m, &m->p->toks[pi], path[k]))
            return FAIL;
    }
    return pi;
}

/* Binds (or checks) a metavariable to file tokens [fi, end). */
static int meta_bind(mstate *m, uint16_t meta, uint32_t fi, uint32_t end) {
    binding *b = &m->e->b[meta];
    if (b->first == NONE32) {
        b->first = fi;
        b->last = end - 1;
        return 1;
    }
    if (!host_toks_same(m->x->f, b->first, b->last, fi, end - 1)) return 0;
    /* one name: the same variable, not a shadowing one */
    if (b->first == b->last && m->x->toks[fi].kind == T(IDENT)) {
        const host_var *v1 = host_resolve(m->x->f, b->first), *v2 = host_resolve(m->x->f, fi);
        if (v1 != v2) return 0;
    }
    return 1;
}

static uint32_t match_meta(mstate *m, uint32_t pi, uint32_t fi) {
    const ptok *pt = &m->p->toks[pi];
    const token *t = m->x->toks;
    menv *e = m->e;
    if (fi >= m->fend) return FAIL;
    /* the resource of a resource rule: its variables, with their paths */
    if (e->res && pt->meta == e->res->meta) {
        const uint32_t *path;
        uint32_t npath;
        if (t[fi].kind != T(IDENT) || (fi > 0 && t[fi - 1].kind == T(PERIOD)) ||
            !e->res->at(e->res->ctx, fi, &path, &npath))
            return FAIL;
        uint32_t after = path_eq(m, pi + 1, path, npath);
        if (after == FAIL) return FAIL;
        binding saved = e->b[pt->meta];
        e->b[pt->meta].first = fi;
        e->b[pt->meta].last = fi;
        uint32_t r = seq(m, after, fi + 1);
        if (r == FAIL) e->b[pt->meta] = saved;
        return r;
    }
    if (pt->meta != META_ANY && e->b[pt->meta].first != NONE32) {
        binding b = e->b[pt->meta];
        uint32_t n = b.last - b.first + 1;
        if (fi + n > m->fend || !meta_bind(m, pt->meta, fi, fi + n)) return FAIL;
        return seq(m, pi + 1, fi + n);
    }
    if (pt->name_only) {
        if (t[fi].kind != T(IDENT)) return FAIL;
        if (pt->meta != META_ANY) meta_bind(m, pt->meta, fi, fi + 1);
        uint32_t r = seq(m, pi + 1, fi + 1);
        if (r == FAIL && pt->meta != META_ANY) e->b[pt->meta].first = NONE32;
        return r;
    }
    if (!starts_operand(t[fi].kind, pt->primary)) return FAIL;
    /* candidate ends, shortest first: after each balanced unit that can
     * end an operand (a name, a literal, a closing bracket) */
    uint32_t end = fi;
    while (end < m->fend) {
        int k = t[end].kind;
        if ((end > fi && ends_operand(k, pt->primary)) || is_close(k)) break;
        end = unit_end(m, end);
        int lk = t[end - 1].kind;
        if (!(lk == T(IDENT) || lk == T(INT) || lk == T(FLOAT) || lk == T(IMAG) || lk == T(CHAR) ||
              lk == T(STRING) || is_close(lk)))
            continue;
        if (++e->steps > MATCH_STEPS) return FAIL;
        if (pt->meta != META_ANY) {
            e->b[pt->meta].first = fi;
            e->b[pt->meta].last = end - 1;
        }
        uint32_t r = seq(m, pi + 1, end);
        if (r != FAIL) return r;
        if (pt->meta != META_ANY) e->b[pt->meta].first = NONE32;
    }
    return FAIL;
}

static uint32_t match_dots(mstate *m, uint32_t pi, uint32_t fi, int stmts) {
    const token *t = m->x->toks;
    uint32_t end = fi;
    for (;;) {
        if (++m->e->steps > MATCH_STEPS) return FAIL;
        /* statements: only after whole statements (or none), or up to the
         * block's end (the last statement of { a() } has no semicolon) */
        if (!stmts || end == fi || t[end - 1].kind == T(SEMICOLON) ||
            (end < m->fend && t[end].kind == T(RBRACE))) {
            uint32_t r = seq(m, pi + 1, end);
            if (r != FAIL) return r;
            /* f(..., $X): matching nothing, the comma after it goes too */
            const pattern *p = m->p;
            if (!stmts && end == fi && pi + 1 < p->n && p->toks[pi + 1].type == PT_TOKEN &&
                p->toks[pi + 1].kind == T(COMMA) && fi > 0 &&
                (t[fi - 1].kind == T(LPAREN) || t[fi - 1].kind == T(LBRACK) ||
                 t[fi - 1].kind == T(LBRACE))) {
                r = seq(m, pi + 2, end);
                if (r != FAIL) return r;
            }
        }
        if (end >= m->fend || is_close(t[end].kind)) return FAIL;
        end = unit_end(m, end);
        if (end > m->fend) return FAIL;
    }
}

static uint32_t match_pkg(mstate *m, uint32_t pi, uint32_t fi) {
    const ptok *pt = &m->p->toks[pi];
    const pack_import *pi_imp = &m->e->rule->imports[pt->meta];
    const file_import *fi_imp = fx_import(m->x, pi_imp->path, strlen(pi_imp->path));
    const token *t = m->x->toks;
    if (!fi_imp || fi >= m->fend) return FAIL;
    if (!fi_imp->name) { /* dot-imported: the member is named alone */
        if (t[fi].kind != T(IDENT) || (fi > 0 && t[fi - 1].kind == T(PERIOD)) ||
            host_resolve(m->x->f, fi))
            return FAIL;
        return seq(m, pi + 1, fi);
    }
    if (fi + 1 >= m->fend || t[fi].kind != T(IDENT) || t[fi + 1].kind != T(PERIOD) ||
        !tok_text_eq(m->x, fi, fi_imp->name, fi_imp->name_len) || host_resolve(m->x->f, fi))
        return FAIL;
    return seq(m, pi + 1, fi + 2);
}

/* Matches pattern tokens [pi, n) from file token fi; the end on success. */
static uint32_t seq(mstate *m, uint32_t pi, uint32_t fi) {
    const pattern *p = m->p;
    const token *t = m->x->toks;
    for (;;) {
        if (pi == p->n) {
            if (m->exact && fi != m->fend) return FAIL;
            m->last = fi - 1;
            return fi;
        }
        if (++m->e->steps > MATCH_STEPS) return FAIL;
        const ptok *pt = &p->toks[pi];
        if (pt->type == PT_META) return match_meta(m, pi, fi);
        /* f($X, ...): the comma before a wildcard that matches nothing at
         * the closing bracket goes with it */
        if (pt->type == PT_TOKEN && pt->kind == T(COMMA) && pi + 2 < p->n &&
            p->toks[pi + 1].type == PT_DOTS && p->toks[pi + 2].type == PT_TOKEN &&
            is_close(p->toks[pi + 2].kind) && fi < m->fend && is_close(t[fi].kind)) {
            pi += 2;
            continue;
        }
        if (pt->type == PT_DOTS) return match_dots(m, pi, fi, 0);
        if (pt->type == PT_STMT_DOTS) return match_dots(m, pi, fi, 1);
        if (pt->type == PT_PKG) return match_pkg(m, pi, fi);
        /* a semicolon before a closing bracket is optional on both sides */
        if (pt->kind == T(SEMICOLON) &&
            (pi + 1 == p->n ||
             (p->toks[pi + 1].type == PT_TOKEN && is_close(p->toks[pi + 1].kind))) &&
            (fi >= m->fend || t[fi].kind != T(SEMICOLON))) {
            pi++;
            continue;
        }
        if (fi < m->fend && t[fi].kind == T(SEMICOLON) && pt->kind != T(SEMICOLON) &&
            is_close(pt->kind)) {
            fi++;
            continue;
        }
        if (fi >= m->fend || !token_eq(m, pt, fi)) return FAIL;
        pi++;
        fi++;
    }
}

static int run(menv *e, const pattern *p, uint32_t first, uint32_t fend, int exact,
               uint32_t *last) {
    mstate m;
    m.e = e;
    m.p = p;
    m.x = e->x;
    m.fend = fend;
    m.exact = exact;
    m.last = NONE32;
    e->steps = 0;
    binding saved[MAX_METAVARS];
    memcpy(saved, e->b, sizeof saved);
    uint32_t r = seq(&m, 0, first);
    if (r == FAIL) {
        memcpy(e->b, saved, sizeof saved);
        return 0;
    }
    *last = m.last;
    return 1;
}

/* The block (or case) list end a multi-statement match may run to. */
static uint32_t list_end(const file_index *x, uint32_t n) {
    uint32_t p = x->nodes[n].parent;
    return p != NONE32 ? x->nodes[p].last : x->ntoks - 1;
}

int pattern_match_node(menv *e, const pattern *p, uint32_t n, uint32_t *last) {
    const node *nd = &e->x->nodes[n];
    if (nd->last + 1 == nd->first) return 0;
    if (p->multi) return run(e, p, nd->first, list_end(e->x, n), 0, last);
    return run(e, p, nd->first, nd->last + 1, 1, last);
}

int pattern_match_range(menv *e, const pattern *p, uint32_t first, uint32_t last) {
    uint32_t end;
    if (last + 1 == first) return 0;
    return run(e, p, first, last + 1, 1, &end);
}

int pattern_possible(const file_index *x, const pack_rule *r, const pattern *p) {
    for (uint32_t k = 0; k < p->nidents; k++)
        if (!fx_has_ident(x, p->idents[k])) return 0;
    for (uint32_t k = 0; k < p->n; k++) {
        if (p->toks[k].type != PT_PKG) continue;
        const char *path = r->imports[p->toks[k].meta].path;
        if (!fx_import(x, path, strlen(path))) return 0;
    }
    return 1;
}

int pattern_each(menv *e, const pattern *p, uint32_t lo, uint32_t hi,
                 int (*fn)(void *ctx, const menv *e, uint32_t first, uint32_t last, uint32_t at),
                 void *ctx) {
    const file_index *x = e->x;
    if (!pattern_possible(x, e->rule, p)) return 0;
    binding clean[MAX_METAVARS];
    memcpy(clean, e->b, sizeof clean);
    if (p->anchor == ANCHOR_TOKENS) {
        for (uint32_t i = lo; i <= hi && i < x->ntoks; i++) {
            uint32_t last;
            if (i > 0 && x->toks[i - 1].kind == T(PERIOD)) continue;
            if (!run(e, p, i, x->ntoks, 0, &last)) continue;
            int rc = fn(ctx, e, i, last, NONE32);
            memcpy(e->b, clean, sizeof clean);
            if (rc) return rc;
        }
        return 0;
    }
    /* node anchors: each kind's list, merged in source order */
    uint32_t pos[GOLEAK_NODE_KIND_COUNT];
    int kinds[GOLEAK_NODE_KIND_COUNT], nkinds = 0; /* the pattern's kinds: one or two */
    for (int k = 0; k < GOLEAK_NODE_KIND_COUNT; k++) {
        if (!((p->kinds >> k) & 1u)) continue;
        pos[k] = host_kind_lower_bound(x->f, k, lo);
        kinds[nkinds++] = k;
    }
    for (;;) {
        int best = -1;
        uint32_t best_node = NONE32;
        for (int j = 0; j < nkinds; j++) {
            int k = kinds[j];
            if (pos[k] == NONE32 || pos[k] >= host_kind_count(x->f, k)) continue;
            uint32_t n = host_kind_at(x->f, k, pos[k]);
            if (best_node == NONE32 || x->nodes[n].first < x->nodes[best_node].first) {
                best = k;
                best_node = n;
            }
        }
        if (best < 0 || x->nodes[best_node].first > hi) return 0;
        pos[best]++;
        const node *nd = &x->nodes[best_node];
        /* a named callee first: most calls are of something else */
        if (p->callee_hash && (nd->key == NONE32 || nd->key == 0 ||
                               x->toks[nd->key - 1].hash + 1u != p->callee_hash ||
                               !tok_text_eq(x, nd->key - 1, p->callee, p->callee_len)))
            continue;
        uint32_t last;
        if (!pattern_match_node(e, p, best_node, &last)) continue;
        int rc = fn(ctx, e, nd->first, last, best_node);
        memcpy(e->b, clean, sizeof clean);
        if (rc) return rc;
    }
}
