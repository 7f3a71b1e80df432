/* Evaluating matchers and where filters: see matcher.h. */
#include "matcher.h"

#include <stdlib.h>
#include <string.h>

#define N(k) GOLEAK_NODE_##k
#define T(k) GOLEAK_TOKEN_##k

void bindings_clear(binding *b) {
    for (int k = 0; k < MAX_METAVARS; k++) b[k].first = b[k].last = NONE32;
}

void mlist_free(const goleak_allocator *a, mlist *l) {
    gl_free(a, l->data);
    l->data = NULL;
    l->len = l->cap = 0;
}

static int push(meval *ev, mlist *l, const match *m) {
    if (VEC_PUSH(ev->a, l, *m)) {
        ev->oom = 1;
        return GOLEAK_ENOMEM;
    }
    return 0;
}

/* ---- contexts ---- */

/* Whether FUNC fn is started by a `go fn(...)` of the file. */
static int started_by_go(const file_index *x, uint32_t fn) {
    const node *f = &x->nodes[fn];
    if (f->key == NONE32 || (f->flags & GOLEAK_NODE_FLAG_METHOD)) return 0;
    uint32_t n = host_kind_count(x->f, N(GO));
    for (uint32_t k = 0; k < n; k++) {
        uint32_t g = host_kind_at(x->f, N(GO), k);
        uint32_t call = x->nodes[g].child;
        if (call == NONE32 || x->nodes[call].kind != N(CALL)) continue;
        uint32_t name = host_call_name(x->f, call), rf, rl;
        if (name != NONE32 && !host_call_recv(x->f, call, &rf, &rl) &&
            name == x->nodes[call].first && host_toks_same(x->f, name, name, f->key, f->key))
            return 1;
    }
    return 0;
}

static uint32_t top_func(const file_index *x, uint32_t n) {
    uint32_t fn = NONE32;
    for (uint32_t p = n; p != NONE32; p = x->nodes[p].parent)
        if (x->nodes[p].kind == N(FUNC)) fn = p;
    return fn;
}

int in_context(const file_index *x, uint32_t n, uint32_t tok, int ctx) {
    if (n == NONE32) n = fx_node_at(x, tok);
    switch (ctx) {
    case CTX_FUNCTION: return host_enclosing_func(x->f, n) != NONE32;
    case CTX_FUNC_LITERAL: {
        uint32_t fn = host_enclosing_func(x->f, n);
        return fn != NONE32 && x->nodes[fn].kind == N(FUNCLIT);
    }
    case CTX_LOOP: return host_loop_around(x->f, n) != NONE32;
    case CTX_GOROUTINE:
        for (uint32_t fn = host_enclosing_func(x->f, n); fn != NONE32;
             fn = host_enclosing_func(x->f, fn)) {
            if (x->nodes[fn].kind == N(FUNCLIT) && host_is_goroutine_body(x->f, fn)) return 1;
            if (x->nodes[fn].kind == N(FUNC) && started_by_go(x, fn)) return 1;
        }
        return 0;
    case CTX_SELECT:
        for (uint32_t p = x->nodes[n].parent; p != NONE32; p = x->nodes[p].parent) {
            int k = x->nodes[p].kind;
            if (k == N(FUNC) || k == N(FUNCLIT)) return 0;
            if (k == N(COMM)) return 1;
        }
        return 0;
    case CTX_DEFER:
        for (uint32_t p = n; p != NONE32; p = x->nodes[p].parent) {
            int k = x->nodes[p].kind;
            if (k == N(FUNC)) return 0;
            if (k == N(DEFER)) return 1;
        }
        return 0;
    case CTX_MAIN: return fx_main_func(x, top_func(x, n)) || fx_in_once_literal(x, n);
    case CTX_ONCE:
        if (fx_in_once_literal(x, n)) return 1;
        if (!fx_once_func(x, top_func(x, n))) return 0;
        /* no loop around it, in any function up to the top one */
        for (uint32_t p = n; p != NONE32; p = host_enclosing_func(x->f, p))
            if (host_loop_around(x->f, p) != NONE32) return 0;
        return 1;
    case CTX_TEST: {
        uint32_t fn = top_func(x, n);
        return host_in_test_file(x->f) || (fn != NONE32 && host_is_test_func(x->f, fn));
    }
    default: return 0;
    }
}

/* ---- where filters ---- */

static const char *binding_text(const file_index *x, const binding *b, size_t *len) {
    const token *a = &x->toks[b->first], *z = &x->toks[b->last];
    *len = z->off + z->len - a->off;
    return (const char *)x->src + a->off;
}

static int is_literal(int k) {
    return k == T(INT) || k == T(FLOAT) || k == T(IMAG) || k == T(CHAR) || k == T(STRING);
}

/* What the expression of a binding is known to be (what_bit set). */
static unsigned classify(const file_index *x, const binding *b) {
    const token *t = x->toks;
    if (b->first == b->last) {
        if (is_literal(t[b->first].kind)) return W_LITERAL;
        if (t[b->first].kind != T(IDENT)) return 0;
        const host_var *v = host_resolve(x->f, b->first);
        if (v) {
            host_var_info vi;
            host_var_get(x->f, v, &vi);
            if (vi.flags & HV_RECV) return W_RECEIVER;
            if (vi.flags & HV_PARAM) return W_PARAM;
            if (vi.flags & HV_RESULT) return W_RESULT;
            if (vi.flags & HV_PKG) return W_PACKAGE_VAR;
            /* declared in the body of the loop the use is in */
            uint32_t loop = host_loop_around(x->f, fx_node_at(x, b->first));
            uint32_t body =
                loop != NONE32 ? host_child_by_role(x->f, loop, GOLEAK_ROLE_BODY) : NONE32;
            if (body != NONE32 && vi.name > x->nodes[body].first && vi.name < x->nodes[body].last)
                return W_LOCAL | W_LOOP_LOCAL;
            return W_LOCAL;
        }
        for (uint32_t k = 0; k < x->nimports; k++)
            if (x->imports[k].name &&
                fx_tok_is(x, b->first, x->imports[k].name, x->imports[k].name_len))
                return W_PACKAGE;
        if (host_find_func(x->f, b->first) != NONE32) return W_FUNC;
        return 0;
    }
    int lk = t[b->last].kind;
    if (lk == T(RPAREN)) return W_CALL;
    if (lk == T(IDENT) && t[b->last - 1].kind == T(PERIOD)) {
        /* pkg.Var or x.field */
        if (b->last == b->first + 2 && !host_resolve(x->f, b->first))
            for (uint32_t k = 0; k < x->nimports; k++)
                if (x->imports[k].name &&
                    fx_tok_is(x, b->first, x->imports[k].name, x->imports[k].name_len))
                    return W_PACKAGE_VAR;
        return W_FIELD;
    }
    return 0;
}

/* Appends the text of tokens [a, b] without spaces to buf. */
static size_t type_text(const file_index *x, uint32_t a, uint32_t b, char *buf, size_t size,
                        size_t o) {
    for (uint32_t i = a; i <= b && o + 1 < size; i++) {
        const token *t = &x->toks[i];
        if (t->kind == T(SEMICOLON) && (t->flags & TF_AUTO)) continue;
        size_t n = t->len < size - 1 - o ? t->len : size - 1 - o;
        memcpy(buf + o, x->src + t->off, n);
        o += n;
    }
    buf[o] = 0;
    return o;
}

/* The type a value expression evidently has: T{...} is T, &T{...} is *T,
 * new(T) is *T. 0 when it does not say. */
static size_t value_type(const file_index *x, uint32_t expr, char *buf, size_t size) {
    uint32_t a = x->nodes[expr].first, b = x->nodes[expr].last;
    const token *t = x->toks;
    size_t o = 0;
    if (t[a].kind == T(AND)) {
        buf[o++] = '*';
        a++;
    }
    uint32_t n = host_expr_node(x->f, expr);
    for (uint32_t c = x->nodes[expr].child; n == NONE32 && c != NONE32; c = x->nodes[c].next)
        if (x->nodes[c].first == a && x->nodes[c].last == b) n = c;
    if (n == NONE32) return 0;
    if (x->nodes[n].kind == N(COMPOSITE) && x->nodes[n].key != NONE32 && x->nodes[n].key > a)
        return type_text(x, a, x->nodes[n].key - 1, buf, size, o);
    if (o == 0 && x->nodes[n].kind == N(CALL) && fx_tok_is(x, a, "new", 3) &&
        a + 1 == x->nodes[n].key && !host_resolve(x->f, a)) {
        buf[0] = '*';
        return type_text(x, a + 2, b - 1, buf, size, 1);
    }
    return 0;
}

/* The values a variable or field is given in the file: value EXPR nodes
 * (initial value, assignments, composite literal keys), at most max. */
static uint32_t values_of(const file_index *x, const binding *b, uint32_t *out, uint32_t max) {
    uint32_t n = 0;
    const token *t = x->toks;
    const host_var *v = b->first == b->last ? host_resolve(x->f, b->first) : NULL;
    int field =
        !v && b->last > b->first && t[b->last].kind == T(IDENT) && t[b->last - 1].kind == T(PERIOD);
    if (!v && !field) return 0;
    if (v) { /* its initial value, then v = value: the uses of v followed by = */
        host_var_info vi;
        host_var_get(x->f, v, &vi);
        if (vi.value != NONE32 && vi.value_index == 0 && n < max) out[n++] = vi.value;
        uint32_t lo = vi.func != NONE32 ? x->nodes[vi.func].first : 0;
        uint32_t hi = vi.func != NONE32 ? x->nodes[vi.func].last : x->ntoks - 1;
        for (uint32_t u = host_next_use(x->f, v, lo, hi); u != NONE32 && n < max;
             u = host_next_use(x->f, v, u, hi)) {
            if (t[u + 1].kind != T(ASSIGN) || (u > 0 && t[u - 1].kind == T(COMMA))) continue;
            uint32_t lhs = fx_node_at(x, u), as = lhs != NONE32 ? x->nodes[lhs].parent : NONE32;
            if (as == NONE32 || x->nodes[as].kind != N(ASSIGN) ||
                x->nodes[lhs].role != GOLEAK_ROLE_LHS || x->nodes[lhs].next == NONE32)
                continue;
            uint32_t rhs = x->nodes[lhs].next;
            if (x->nodes[rhs].role == GOLEAK_ROLE_RHS) out[n++] = rhs;
        }
        return n;
    }
    /* a field: what the file assigns to fields of that name */
    n += fx_field_values(x, b->last, out + n, max - n);
    return n;
}

static int regex_on(meval *ev, const regex *re, const char *s, size_t n) {
    int r = regex_match(re, s, n);
    if (r == -2) ev->oom = 1;
    if (r == -1 && !ev->limit_re) ev->limit_re = re;
    return r == 1;
}

static int matcher_range(meval *ev, const matcher *m, uint32_t first, uint32_t last, binding *b);

static int filter_pass(meval *ev, const filter *f, const binding *b) {
    if (f->kind == F_ANY) {
        for (uint32_t k = 0; k < f->nany; k++)
            if (filters_pass(ev, f->any_lists[k], f->any_len[k], b)) return 1;
        return 0;
    }
    const binding *mb = &b[f->meta];
    if (mb->first == NONE32)
        return f->kind == F_NOT_REGEX || f->kind == F_IS_NOT || f->kind == F_NOT_VALUE;
    const file_index *x = ev->x;
    switch (f->kind) {
    case F_REGEX:
    case F_NOT_REGEX: {
        size_t n;
        const char *s = binding_text(x, mb, &n);
        int r = regex_on(ev, f->re, s, n);
        if (ev->limit_re) return 0;
        return f->kind == F_REGEX ? r : !r;
    }
    case F_IS: return (classify(x, mb) & f->what) != 0;
    case F_IS_NOT: return (classify(x, mb) & f->what) == 0;
    case F_TYPE: {
        char buf[256];
        size_t n = 0;
        uint32_t tf = NONE32, tl = NONE32;
        const host_var *v = mb->first == mb->last ? host_resolve(x->f, mb->first) : NULL;
        if (v) {
            host_var_info vi;
            host_var_get(x->f, v, &vi);
            tf = vi.type_first;
            tl = vi.type_last;
            if (tf == NONE32 && vi.value != NONE32 && vi.value_index == 0)
                n = value_type(x, vi.value, buf, sizeof buf);
        } else if (mb->last > mb->first && x->toks[mb->last].kind == T(IDENT) &&
                   x->toks[mb->last - 1].kind == T(PERIOD)) {
            host_field_type(x->f, mb->last, &tf, &tl);
        }
        if (tf != NONE32) n = type_text(x, tf, tl, buf, sizeof buf, 0);
        if (n == 0) { /* the values the file gives it */
            uint32_t vals[8];
            uint32_t nv = values_of(x, mb, vals, 8);
            for (uint32_t k = 0; k < nv && n == 0; k++) n = value_type(x, vals[k], buf, sizeof buf);
        }
        return n > 0 && regex_on(ev, f->re, buf, n) && !ev->limit_re;
    }
    case F_VALUE:
    case F_NOT_VALUE: {
        int hit = 0;
        binding tmp[MAX_METAVARS];
        memcpy(tmp, b, sizeof tmp);
        if (matcher_range(ev, f->value, mb->first, mb->last, tmp)) hit = 1;
        uint32_t vals[8];
        uint32_t nv = hit ? 0 : values_of(x, mb, vals, 8);
        for (uint32_t k = 0; k < nv && !hit; k++) {
            memcpy(tmp, b, sizeof tmp);
            hit = matcher_range(ev, f->value, x->nodes[vals[k]].first, x->nodes[vals[k]].last, tmp);
        }
        return f->kind == F_VALUE ? hit : !hit;
    }
    default: return 0;
    }
}

int filters_pass(meval *ev, const filter *f, uint32_t n, const binding *b) {
    for (uint32_t k = 0; k < n; k++)
        if (!filter_pass(ev, &f[k], b)) return 0;
    return 1;
}

/* ---- matchers ---- */

static int same_binding(const file_index *x, const binding *a, const binding *b) {
    if (!host_toks_same(x->f, a->first, a->last, b->first, b->last)) return 0;
    if (a->first == a->last && x->toks[a->first].kind == T(IDENT))
        return host_resolve(x->f, a->first) == host_resolve(x->f, b->first);
    return 1;
}

/* Merges from into into when they agree on every common metavariable. */
static int merge(const file_index *x, binding *into, const binding *from) {
    for (int k = 0; k < MAX_METAVARS; k++)
        if (from[k].first != NONE32 && into[k].first != NONE32 &&
            !same_binding(x, &into[k], &from[k]))
            return 0;
    for (int k = 0; k < MAX_METAVARS; k++)
        if (from[k].first != NONE32 && into[k].first == NONE32) into[k] = from[k];
    return 1;
}

static int matcher_range(meval *ev, const matcher *m, uint32_t first, uint32_t last, binding *b) {
    if (m->kind == M_PATTERN) {
        menv e;
        e.x = ev->x;
        e.rule = ev->rule;
        e.res = ev->res;
        memcpy(e.b, b, sizeof e.b);
        if (!pattern_match_range(&e, m->pat, first, last)) return 0;
        if (!filters_pass(ev, m->where, m->nwhere, e.b)) return 0;
        memcpy(b, e.b, sizeof e.b);
        return 1;
    }
    if (m->kind == M_ANY) {
        for (uint32_t k = 0; k < m->nitems; k++) {
            binding tmp[MAX_METAVARS];
            memcpy(tmp, b, sizeof tmp);
            if (matcher_range(ev, m->items[k].m, first, last, tmp) &&
                filters_pass(ev, m->where, m->nwhere, tmp)) {
                memcpy(b, tmp, sizeof tmp);
                return 1;
            }
        }
    }
    return 0;
}

int matcher_at(meval *ev, const matcher *m, uint32_t n, binding *b) {
    const node *nd = &ev->x->nodes[n];
    return matcher_range(ev, m, nd->first, nd->last, b);
}

typedef struct collector {
    meval *ev;
    const matcher *m;
    mlist *out;
} collector;

static int collect(void *ctx, const menv *e, uint32_t first, uint32_t last, uint32_t at) {
    collector *c = ctx;
    match mt;
    mt.first = first;
    mt.last = last;
    mt.node = at;
    memcpy(mt.b, e->b, sizeof mt.b);
    return push(c->ev, c->out, &mt);
}

static int eval_pattern(meval *ev, const matcher *m, mlist *out) {
    menv e;
    e.x = ev->x;
    e.rule = ev->rule;
    e.res = ev->res;
    bindings_clear(e.b);
    collector c = {ev, m, out};
    return pattern_each(&e, m->pat, 0, ev->x->ntoks - 1, collect, &c);
}

static int contains(const match *outer, const match *inner) {
    return outer->first <= inner->first && inner->last <= outer->last;
}

/* Applies the item (not the first positive one) of an all to the list. */
static int apply_item(meval *ev, const mitem *it, mlist *l) {
    const file_index *x = ev->x;
    uint32_t kept = 0;
    if (it->m->kind == M_CONTEXT) {
        for (uint32_t k = 0; k < l->len; k++) {
            match *r = &l->data[k];
            int in = in_context(x, r->node, r->first, it->m->context);
            if (in == (it->op == OP_INSIDE)) l->data[kept++] = *r;
        }
        l->len = kept;
        return 0;
    }
    mlist other = {NULL, 0, 0};
    int rc = matcher_eval(ev, it->m, &other);
    if (rc) {
        mlist_free(ev->a, &other);
        return rc;
    }
    for (uint32_t k = 0; k < l->len; k++) {
        match r = l->data[k];
        int found = 0;
        for (uint32_t j = 0; j < other.len && !found; j++) {
            const match *s = &other.data[j];
            int where = it->op == OP_INSIDE || it->op == OP_NOT_INSIDE
                            ? contains(s, &r)
                            : s->first == r.first && s->last == r.last;
            if (!where) continue;
            binding tmp[MAX_METAVARS];
            memcpy(tmp, r.b, sizeof tmp);
            if (!merge(x, tmp, s->b)) continue;
            found = 1;
            /* positive items bind what they match */
            if (it->op == OP_MATCH || it->op == OP_INSIDE) memcpy(r.b, tmp, sizeof tmp);
        }
        int keep = (it->op == OP_MATCH || it->op == OP_INSIDE) ? found : !found;
        if (keep) l->data[kept++] = r;
    }
    l->len = kept;
    mlist_free(ev->a, &other);
    return 0;
}

static int match_cmp(const void *a, const void *b) {
    const match *x = a, *y = b;
    if (x->first != y->first) return x->first < y->first ? -1 : 1;
    if (x->last != y->last) return x->last < y->last ? -1 : 1;
    return 0;
}

int matcher_eval(meval *ev, const matcher *m, mlist *out) {
    uint32_t start = out->len;
    int rc = 0;
    switch (m->kind) {
    case M_PATTERN: rc = eval_pattern(ev, m, out); break;
    case M_ANY:
        for (uint32_t k = 0; k < m->nitems && rc == 0; k++)
            rc = matcher_eval(ev, m->items[k].m, out);
        if (rc == 0 && out->len - start > 1)
            qsort(out->data + start, out->len - start, sizeof *out->data, match_cmp);
        break;
    case M_ALL: {
        mlist base = {NULL, 0, 0};
        uint32_t first = 0;
        while (first < m->nitems && m->items[first].op != OP_MATCH) first++;
        if (first < m->nitems) rc = matcher_eval(ev, m->items[first].m, &base);
        for (uint32_t k = 0; k < m->nitems && rc == 0 && base.len; k++)
            if (k != first) rc = apply_item(ev, &m->items[k], &base);
        for (uint32_t k = 0; k < base.len && rc == 0; k++) rc = push(ev, out, &base.data[k]);
        mlist_free(ev->a, &base);
        break;
    }
    default: break; /* contexts only filter (inside / not-inside) */
    }
    if (rc) return rc;
    if (m->nwhere) {
        uint32_t kept = start;
        for (uint32_t k = start; k < out->len; k++)
            if (filters_pass(ev, m->where, m->nwhere, out->data[k].b))
                out->data[kept++] = out->data[k];
        out->len = kept;
    }
    return ev->oom ? GOLEAK_ENOMEM : 0;
}
