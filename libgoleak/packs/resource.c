/* Resource rules on the path walker: see resource.h.
 *
 * The resource is followed through the variables that hold it (the one the
 * acquiring call assigns, and locals assigned from it or from a part of it:
 * body := resp.Body), and each use is classified: a call that releases it
 * (a release pattern, or a helper of the file that releases its
 * parameter), a hand-off (returned, stored in a field, map, slice or
 * package variable, sent, captured by a goroutine or deferred closure,
 * passed to a function), or a plain use (a method call on it, a field read,
 * a borrow: io.Copy(w, f)). The walker then looks for a path from the
 * acquisition to an exit that neither releases nor hands it on; the branch
 * where the call's error is not nil holds nothing. With follow-variable (the
 * default) the walk also follows the variable the resource is in: a new
 * value given to it while the resource is held loses the resource, and so
 * does the acquisition reached again when a loop around it goes round. */
#include "resource.h"

#include <string.h>

#define N(k) GOLEAK_NODE_##k
#define R(k) GOLEAK_ROLE_##k
#define T(k) GOLEAK_TOKEN_##k

enum { MAX_ALIASES = 16, MAX_PATH = 8, MAX_HELPER_DEPTH = 3 };

typedef struct alias {
    const host_var *v;
    uint32_t path[MAX_PATH]; /* the member path it stands for: file tokens "." NAME ... */
    uint32_t npath;
} alias;

typedef struct rctx {
    meval *ev;
    const file_index *x;
    const resource_spec *s;
    alias al[MAX_ALIASES];
    uint32_t nal;
    uint32_t fn;         /* the function the resource lives in */
    uint32_t acq_call;   /* the acquiring call (NONE32 in a helper) */
    uint32_t acq_last;   /* its last token */
    const host_var *err; /* the error result's variable, NULL */
    int in_test;         /* the function is (in) a test: a failed test ends a path */
    int depth;
    resource_view view;
} rctx;

enum use {
    U_NEUTRAL,  /* a method call or field read, a comparison, a borrow */
    U_ARG,      /* an argument of a call (the call decides) */
    U_ALIAS,    /* assigned to a local variable */
    U_RETURNED, /* returned, or assigned to a named result */
    U_STORED,   /* stored in a field, map, slice, composite, package variable */
    U_SENT,     /* sent on a channel */
    U_ADDR      /* its address taken */
};

enum effect { EF_NONE, EF_RELEASES, EF_ESCAPES };

static int rc_is_release(void *ctx, uint32_t call);

/* ---- the resource's variables ---- */

static const alias *alias_of(const rctx *rc, const host_var *v) {
    for (uint32_t k = 0; k < rc->nal; k++)
        if (rc->al[k].v == v) return &rc->al[k];
    return NULL;
}

static int view_at(void *ctx, uint32_t tok, const uint32_t **path, uint32_t *npath) {
    const rctx *rc = ctx;
    const host_var *v = host_resolve(rc->x->f, tok);
    const alias *a = v ? alias_of(rc, v) : NULL;
    if (!a) return 0;
    *path = a->path;
    *npath = a->npath;
    return 1;
}

/* Whether file token i matches part token pt (a "." or a name). */
static int part_tok_eq(const file_index *x, const ptok *pt, uint32_t i) {
    const token *t = &x->toks[i];
    if (t->kind != pt->kind) return 0;
    return !pt->text || (t->len == pt->len && memcmp(x->src + t->off, pt->text, t->len) == 0);
}

/* The extent of the resource's value at use u (a variable holding it): the
 * longest part of it spelled from u (resp, resp.Body). *end receives its
 * last token, *full its member path; 0 when u reads a member of it that is
 * no part (resp.StatusCode, f.Name). */
static int value_extent(const rctx *rc, uint32_t u, uint32_t *end) {
    const file_index *x = rc->x;
    const alias *a = alias_of(rc, host_resolve(x->f, u));
    if (!a) return 0;
    /* the member path: the alias's, then the file's . NAME chain */
    uint32_t path[2 * MAX_PATH + 2], n = 0;
    for (uint32_t k = 0; k < a->npath; k++) path[n++] = a->path[k];
    uint32_t i = u + 1;
    while (n + 2 <= sizeof path / sizeof *path && i + 1 < x->ntoks &&
           x->toks[i].kind == T(PERIOD) && x->toks[i + 1].kind == T(IDENT)) {
        path[n++] = i;
        path[n++] = i + 1;
        i += 2;
    }
    uint32_t best = a->npath; /* the alias's own path is a part */
    for (uint32_t p = 0; p < rc->s->nparts; p++) {
        const struct rpath *rp = &rc->s->parts[p];
        if (rp->n <= best || rp->n > n) continue;
        uint32_t k = 0;
        while (k < rp->n && part_tok_eq(x, &rp->toks[k], path[k])) k++;
        if (k == rp->n) best = rp->n;
    }
    /* the file tokens used: those of the path beyond the alias's */
    uint32_t used = best - a->npath;
    *end = u + used;
    /* a longer chain reads a member (a type assertion, x.(T), is the value
     * itself); a call right after is a method call */
    if (x->toks[*end + 1].kind == T(PERIOD) && x->toks[*end + 2].kind != T(LPAREN)) return 0;
    return 1;
}

/* The last token of the value that ends at token end: the closing
 * parenthesis of a type assertion after it (conn.(*net.TCPConn)), else end. */
static uint32_t asserted_end(const file_index *x, uint32_t end) {
    if (x->toks[end + 1].kind != T(PERIOD) || x->toks[end + 2].kind != T(LPAREN)) return end;
    int depth = 0;
    for (uint32_t i = end + 2; i < x->ntoks; i++) {
        int k = x->toks[i].kind;
        if (k == T(LPAREN)) depth++;
        if (k == T(RPAREN) && --depth == 0) return i;
    }
    return end;
}

/* The node of a kind spanning exactly tokens [a, b] (the outermost when
 * several do), or NONE32. */
static uint32_t exact_node(const file_index *x, uint32_t a, uint32_t b, int kind) {
    uint32_t found = NONE32;
    for (uint32_t n = fx_node_at(x, a); n != NONE32; n = x->nodes[n].parent) {
        const node *nd = &x->nodes[n];
        if (nd->first < a || nd->last > b) break;
        if (nd->first == a && nd->last == b && nd->kind == kind) found = n;
    }
    return found;
}

static uint32_t exact_expr(const file_index *x, uint32_t a, uint32_t b) {
    return exact_node(x, a, b, N(EXPR));
}

/* How the assignment or declaration holding EXPR ex as value k uses it. */
static int assigned_use(const rctx *rc, uint32_t ex) {
    const file_index *x = rc->x;
    uint32_t p = x->nodes[ex].parent;
    uint32_t k = 0, nrhs = 0, nlhs = 0;
    for (uint32_t c = x->nodes[p].child; c != NONE32; c = x->nodes[c].next) {
        if (x->nodes[c].role == R(RHS)) {
            if (c == ex) k = nrhs;
            nrhs++;
        }
        if (x->nodes[c].role == R(LHS)) nlhs++;
    }
    if (nrhs != nlhs) return U_NEUTRAL;
    uint32_t lhs = host_nth_child_by_role(x->f, p, R(LHS), k);
    if (lhs == NONE32) return U_NEUTRAL;
    uint32_t la = x->nodes[lhs].first, lb = x->nodes[lhs].last;
    if (la != lb || x->toks[la].kind != T(IDENT)) return U_STORED; /* x.f = r, m[k] = r */
    if (fx_tok_is(x, la, "_", 1)) return U_NEUTRAL;
    const host_var *v = host_resolve(x->f, la);
    if (!v) return U_STORED; /* a package variable of another file */
    host_var_info vi;
    host_var_get(x->f, v, &vi);
    if (vi.flags & HV_RESULT) return U_RETURNED;
    if (vi.flags & HV_PKG) return U_STORED;
    /* a variable of an enclosing function, assigned in a closure */
    if (vi.func != rc->fn && !host_node_within(x->f, vi.func, rc->fn)) return U_STORED;
    return U_ALIAS;
}

/* Classifies the use at token u of a variable holding the resource; *ex
 * receives the EXPR of the value (NONE32 when there is none). */
static int classify_use(const rctx *rc, uint32_t u, uint32_t *ex_out) {
    const file_index *x = rc->x;
    uint32_t end;
    *ex_out = NONE32;
    if (!value_extent(rc, u, &end)) return U_NEUTRAL;
    end = asserted_end(x, end);
    if (x->toks[end + 1].kind == T(LPAREN)) return U_NEUTRAL; /* called: stop() */
    uint32_t a = u;
    if (u > 0 && x->toks[u - 1].kind == T(AND)) {
        uint32_t ex = exact_expr(x, u - 1, end);
        if (ex != NONE32 && x->nodes[ex].role == R(ARG)) {
            *ex_out = ex;
            return U_ARG;
        }
        return U_ADDR;
    }
    uint32_t ex = exact_expr(x, a, end);
    if (ex == NONE32) return U_NEUTRAL;
    *ex_out = ex;
    uint32_t p = x->nodes[ex].parent;
    int pk = p != NONE32 ? x->nodes[p].kind : -1, role = x->nodes[ex].role;
    if (role == R(ARG)) return U_ARG;
    if (role == R(RHS) && pk == N(ASSIGN)) return assigned_use(rc, ex);
    if (role == R(VALUE) && pk == N(SPEC)) return U_ALIAS;
    if (role == R(RESULT) && pk == N(RETURN)) return U_RETURNED;
    if (role == R(VALUE) && pk == N(SEND)) return U_SENT;
    if (pk == N(COMPOSITE) && (role == R(VALUE) || role == R(ELEM) || role == R(KEY)))
        return U_STORED;
    return U_NEUTRAL;
}

/* Calls fn on each use of the resource's variables in tokens (lo, hi];
 * stops at the first non-zero result and returns it. */
static int each_use(const rctx *rc, uint32_t lo, uint32_t hi,
                    int (*fn)(const rctx *rc, uint32_t u, void *ctx), void *ctx) {
    for (uint32_t k = 0; k < rc->nal; k++) {
        for (uint32_t u = host_next_use(rc->x->f, rc->al[k].v, lo, hi); u != NONE32;
             u = host_next_use(rc->x->f, rc->al[k].v, u, hi)) {
            int r = fn(rc, u, ctx);
            if (r) return r;
        }
    }
    return 0;
}

/* Adds the locals assigned from the resource (or a part of it). */
static void find_aliases(rctx *rc) {
    const file_index *x = rc->x;
    uint32_t lo = x->nodes[rc->fn].first, hi = x->nodes[rc->fn].last;
    for (int changed = 1; changed;) {
        changed = 0;
        for (uint32_t k = 0; k < rc->nal && rc->nal < MAX_ALIASES; k++) {
            const alias *src = &rc->al[k];
            for (uint32_t u = host_next_use(x->f, src->v, lo, hi);
                 u != NONE32 && rc->nal < MAX_ALIASES; u = host_next_use(x->f, src->v, u, hi)) {
                uint32_t ex, end;
                if (classify_use(rc, u, &ex) != U_ALIAS || !value_extent(rc, u, &end)) continue;
                /* the variable it is assigned to */
                uint32_t p = x->nodes[ex].parent, target = NONE32;
                if (x->nodes[p].kind == N(ASSIGN)) {
                    uint32_t i = 0;
                    for (uint32_t c = x->nodes[p].child; c != ex && c != NONE32;
                         c = x->nodes[c].next)
                        if (x->nodes[c].role == R(RHS)) i++;
                    uint32_t lhs = host_nth_child_by_role(x->f, p, R(LHS), i);
                    if (lhs != NONE32) target = x->nodes[lhs].first;
                } else {
                    uint32_t i = 0, idx = 0;
                    for (uint32_t c = x->nodes[p].child; c != ex && c != NONE32;
                         c = x->nodes[c].next)
                        if (x->nodes[c].role == R(VALUE)) idx++;
                    for (uint32_t t = x->nodes[p].first; t < x->nodes[ex].first; t++)
                        if (x->toks[t].kind == T(IDENT) && i++ == idx) {
                            target = t;
                            break;
                        }
                }
                const host_var *tv = target != NONE32 ? host_resolve(x->f, target) : NULL;
                if (!tv || alias_of(rc, tv)) continue;
                alias na;
                na.v = tv;
                na.npath = 0;
                for (uint32_t j = 0; j < src->npath && na.npath < MAX_PATH; j++)
                    na.path[na.npath++] = src->path[j];
                for (uint32_t t = u + 1; t <= end && na.npath < MAX_PATH; t++)
                    na.path[na.npath++] = t;
                rc->al[rc->nal++] = na;
                changed = 1;
            }
        }
    }
}

/* ---- calls ---- */

static int uses_resource_in(const rctx *rc, uint32_t n);

/* Whether a release pattern matches the call. */
static int release_pattern(rctx *rc, uint32_t call) {
    for (uint32_t k = 0; k < rc->s->nrelease; k++) {
        binding b[MAX_METAVARS];
        bindings_clear(b);
        if (matcher_at(rc->ev, rc->s->release[k], call, b)) return 1;
    }
    return 0;
}

static int any_pattern(rctx *rc, matcher *const *ms, uint32_t n, uint32_t call) {
    for (uint32_t k = 0; k < n; k++) {
        binding b[MAX_METAVARS];
        bindings_clear(b);
        if (matcher_at(rc->ev, ms[k], call, b)) return 1;
    }
    return 0;
}

/* A call that uses the resource and gives it back: a borrow, or a wrap
 * (whose result holds it). */
static int borrow_pattern(rctx *rc, uint32_t call) {
    return any_pattern(rc, rc->s->borrow, rc->s->nborrow, call) ||
           any_pattern(rc, rc->s->wrap, rc->s->nwrap, call);
}

static int wrap_pattern(rctx *rc, uint32_t call) {
    return any_pattern(rc, rc->s->wrap, rc->s->nwrap, call);
}

static int exhaust_pattern(rctx *rc, uint32_t call) {
    for (uint32_t k = 0; k < rc->s->nexhaust; k++) {
        binding b[MAX_METAVARS];
        bindings_clear(b);
        if (matcher_at(rc->ev, rc->s->exhaust[k], call, b)) return 1;
    }
    return 0;
}

/* The function literal that is the callee of call, NONE32. */
static uint32_t callee_funclit(const file_index *x, uint32_t call) {
    uint32_t c = x->nodes[call].child;
    if (c == NONE32 || x->nodes[c].kind != N(FUNCLIT) || x->nodes[c].last + 1 != x->nodes[call].key)
        return NONE32;
    return c;
}

static int helper_effect(rctx *rc, uint32_t fn, uint32_t k, const uint32_t *path, uint32_t npath);

/* What passing the resource as argument ex of call does. */
static int arg_effect(rctx *rc, uint32_t call, uint32_t ex) {
    const file_index *x = rc->x;
    if (borrow_pattern(rc, call)) return EF_NONE;
    uint32_t name = host_call_name(x->f, call), rf, rl;
    int method = host_call_recv(x->f, call, &rf, &rl);
    if (name != NONE32 && !method && !host_resolve(x->f, name)) {
        static const char *const stores[] = {"append"};
        static const char *const reads[] = {"len", "cap", "print", "println", "close"};
        for (size_t i = 0; i < sizeof stores / sizeof *stores; i++)
            if (fx_tok_is(x, name, stores[i], strlen(stores[i])) && name == x->nodes[call].first)
                return (rc->s->escapes & E_STORED) ? EF_ESCAPES : EF_NONE;
        for (size_t i = 0; i < sizeof reads / sizeof *reads; i++)
            if (fx_tok_is(x, name, reads[i], strlen(reads[i])) && name == x->nodes[call].first)
                return EF_NONE;
    }
    /* a function of the file: what it does with its parameter */
    uint32_t fn = name != NONE32 && (method || name == x->nodes[call].first)
                      ? host_find_func(x->f, name)
                      : NONE32;
    if (fn != NONE32 && rc->depth < MAX_HELPER_DEPTH) {
        uint32_t k = 0;
        for (uint32_t c = x->nodes[call].child; c != NONE32 && c != ex; c = x->nodes[c].next)
            if (x->nodes[c].role == R(ARG)) k++;
        /* the argument's member path: the variable's, then what follows it */
        uint32_t a = x->nodes[ex].first, b = x->nodes[ex].last;
        if (x->toks[a].kind == T(AND)) return (rc->s->escapes & E_PASSED) ? EF_ESCAPES : EF_NONE;
        const alias *al = alias_of(rc, host_resolve(x->f, a));
        uint32_t path[2 * MAX_PATH], n = 0;
        for (uint32_t j = 0; al && j < al->npath; j++) path[n++] = al->path[j];
        for (uint32_t t = a + 1; t <= b && n < 2 * MAX_PATH; t++) path[n++] = t;
        int e = helper_effect(rc, fn, k, path, n < MAX_PATH ? n : MAX_PATH);
        if (e == EF_ESCAPES && !(rc->s->escapes & E_PASSED)) return EF_NONE;
        return e;
    }
    return (rc->s->escapes & E_PASSED) ? EF_ESCAPES : EF_NONE;
}

typedef struct arg_scan {
    uint32_t call;
    int effect;
} arg_scan;

static int scan_arg_use(const rctx *rc, uint32_t u, void *ctx) {
    arg_scan *as = ctx;
    uint32_t ex;
    if (classify_use(rc, u, &ex) != U_ARG || rc->x->nodes[ex].parent != as->call) return 0;
    as->effect = arg_effect((rctx *)rc, as->call, ex);
    return as->effect != EF_NONE;
}

/* Whether node n (a function literal, an argument) uses the resource. */
static int uses_resource_in(const rctx *rc, uint32_t n) {
    for (uint32_t k = 0; k < rc->nal; k++)
        if (host_next_use(rc->x->f, rc->al[k].v, rc->x->nodes[n].first - 1, rc->x->nodes[n].last) !=
            NONE32)
            return 1;
    return 0;
}

/* Whether call marks a test failed: t.Error, t.Errorf, t.Fail (t.Fatal
 * and t.FailNow never return, which the walker knows). */
static int test_failure(const file_index *x, uint32_t call) {
    uint32_t name = host_call_name(x->f, call), rf, rl;
    if (name == NONE32 || !host_call_recv(x->f, call, &rf, &rl) || rf != rl) return 0;
    return fx_tok_is(x, name, "Error", 5) || fx_tok_is(x, name, "Errorf", 6) ||
           fx_tok_is(x, name, "Fail", 4);
}

/* The walker's question for each call on a path: does it release the
 * resource, or hand it on (then the path holds nothing either)? */
static int rc_is_release(void *ctx, uint32_t call) {
    rctx *rc = ctx;
    const file_index *x = rc->x;
    if (call == rc->acq_call) return 0;
    if (release_pattern(rc, call)) return 1;
    /* t.Error(...): a leak after the test failed is not one */
    if (rc->in_test && test_failure(x, call)) return 1;
    /* go func() { ... }() and defer func() { ... }() capture it */
    uint32_t fl = callee_funclit(x, call), parent = x->nodes[call].parent;
    if (fl != NONE32 && parent != NONE32 &&
        (x->nodes[parent].kind == N(GO) || x->nodes[parent].kind == N(DEFER)) &&
        uses_resource_in(rc, fl))
        return (rc->s->escapes & E_CAPTURED) != 0;
    /* callbacks that capture it: f(func() { ... r ... }) */
    for (uint32_t c = x->nodes[call].child; c != NONE32; c = x->nodes[c].next) {
        if (x->nodes[c].role != R(ARG)) continue;
        uint32_t e = host_expr_node(x->f, c);
        if (e != NONE32 && x->nodes[e].kind == N(FUNCLIT) && uses_resource_in(rc, e))
            return (rc->s->escapes & E_CAPTURED) != 0;
    }
    arg_scan as = {call, EF_NONE};
    each_use(rc, x->nodes[call].key, x->nodes[call].last, scan_arg_use, &as);
    if (as.effect == EF_NONE && parent != NONE32 && x->nodes[parent].kind == N(GO) &&
        (rc->s->escapes & (E_CAPTURED | E_PASSED))) {
        /* go f(r): the goroutine has it for as long as it runs */
        for (uint32_t c = x->nodes[call].child; c != NONE32; c = x->nodes[c].next)
            if (x->nodes[c].role == R(ARG) && uses_resource_in(rc, c)) return 1;
    }
    return as.effect != EF_NONE;
}

/* ---- statements ---- */

/* Whether token u lies in a function literal inside node n that does not
 * run in place (not called right there): a closure that captures. */
static int captured_at(const rctx *rc, uint32_t u, uint32_t n) {
    const file_index *x = rc->x;
    for (uint32_t p = fx_node_at(x, u); p != NONE32 && p != n; p = x->nodes[p].parent) {
        if (x->nodes[p].kind != N(FUNCLIT)) continue;
        uint32_t call = x->nodes[p].parent;
        int in_place = call != NONE32 && x->nodes[call].kind == N(CALL) &&
                       callee_funclit(x, call) == p &&
                       x->nodes[x->nodes[call].parent].kind != N(GO);
        if (!in_place) return 1;
    }
    return 0;
}

/* Whether argument ex goes into a wrap call whose result is returned (in a
 * return statement) or stored away. */
static int wrapped_away(const rctx *rc, uint32_t ex, int returning) {
    const file_index *x = rc->x;
    uint32_t call = x->nodes[ex].parent;
    if (!wrap_pattern((rctx *)rc, call)) return 0;
    if (returning) return (rc->s->escapes & E_RETURNED) != 0;
    uint32_t out = x->nodes[call].parent;
    if (out == NONE32 || x->nodes[out].kind != N(EXPR) || x->nodes[out].role != R(RHS) ||
        x->nodes[x->nodes[out].parent].kind != N(ASSIGN))
        return 0;
    int use = assigned_use(rc, out);
    return (use == U_STORED && (rc->s->escapes & E_STORED)) ||
           (use == U_RETURNED && (rc->s->escapes & E_RETURNED));
}

typedef struct stmt_scan {
    uint32_t stmt;
    int returning; /* a return statement: any hand-off counts as returned */
} stmt_scan;

/* Whether the use at u, in a closure, takes the resource: the closure
 * holds its value (or a part's), or releases or exhausts it when it runs;
 * a closure that only reads a member (f.Name()) takes nothing. */
static int closure_takes(const rctx *rc, uint32_t u) {
    const file_index *x = rc->x;
    uint32_t end;
    if (value_extent(rc, u, &end)) return 1;
    uint32_t call = fx_node_at(x, u);
    while (call != NONE32 && x->nodes[call].kind != N(CALL) && x->nodes[call].kind != N(FUNCLIT))
        call = x->nodes[call].parent;
    return call != NONE32 && x->nodes[call].kind == N(CALL) &&
           (release_pattern((rctx *)rc, call) || exhaust_pattern((rctx *)rc, call));
}

static int scan_stmt_use(const rctx *rc, uint32_t u, void *ctx) {
    const stmt_scan *ss = ctx;
    unsigned esc = rc->s->escapes;
    if (captured_at(rc, u, ss->stmt)) return (esc & E_CAPTURED) != 0 && closure_takes(rc, u);
    uint32_t ex;
    switch (classify_use(rc, u, &ex)) {
    case U_ARG: /* return bufio.NewReader(f), x.r = bufio.NewReader(f): it goes with the reader */
        return wrapped_away(rc, ex, ss->returning);
    case U_RETURNED: return (esc & E_RETURNED) != 0;
    case U_STORED: return (esc & (ss->returning ? E_RETURNED : E_STORED)) != 0;
    case U_SENT: return (esc & E_SENT) != 0;
    case U_ADDR: return (esc & (E_PASSED | E_STORED)) != 0;
    default: return 0;
    }
}

static int rc_return(void *ctx, uint32_t ret) {
    rctx *rc = ctx;
    stmt_scan ss = {ret, 1};
    return each_use(rc, rc->x->nodes[ret].first, rc->x->nodes[ret].last, scan_stmt_use, &ss);
}

/* Whether a release pattern that is not a call (<-$T.C) matches a node of
 * the statement (the walker asks about calls itself). */
static int stmt_releases(rctx *rc, uint32_t stmt) {
    const file_index *x = rc->x;
    for (uint32_t k = 0; k < rc->s->nrelease; k++) {
        const matcher *m = rc->s->release[k];
        uint32_t nalts = m->kind == M_ANY ? m->nitems : 1;
        for (uint32_t a = 0; a < nalts; a++) {
            const matcher *mm = m->kind == M_ANY ? m->items[a].m : m;
            if (mm->kind != M_PATTERN || mm->pat->anchor != ANCHOR_NODES) continue;
            for (int kind = 0; kind < GOLEAK_NODE_KIND_COUNT; kind++) {
                if (kind == N(CALL) || !((mm->pat->kinds >> kind) & 1u)) continue;
                uint32_t n = host_kind_count(x->f, kind);
                for (uint32_t i = host_kind_lower_bound(x->f, kind, x->nodes[stmt].first);
                     i < n && x->nodes[host_kind_at(x->f, kind, i)].first <= x->nodes[stmt].last;
                     i++) {
                    binding b[MAX_METAVARS];
                    bindings_clear(b);
                    if (matcher_at(rc->ev, mm, host_kind_at(x->f, kind, i), b)) return 1;
                }
            }
        }
    }
    return 0;
}

static int lives_on_after(const rctx *rc, uint32_t stmt);
static int assigned_at(const file_index *x, uint32_t u);

/* each_use's test for wraps_itself: use u is an argument of a wrap call. */
static int wrap_arg_use(const rctx *rc, uint32_t u, void *ctx) {
    (void)ctx;
    uint32_t ex;
    return classify_use(rc, u, &ex) == U_ARG && wrap_pattern((rctx *)rc, rc->x->nodes[ex].parent);
}

/* each_use's test for wraps_itself: use u is a left-hand side. */
static int assigned_use_at(const rctx *rc, uint32_t u, void *ctx) {
    (void)ctx;
    return assigned_at(rc->x, u);
}

/* Whether assignment stmt gives a variable of the resource a new value made
 * by a wrap of the resource itself. */
static int wraps_itself(const rctx *rc, uint32_t stmt) {
    const node *sn = &rc->x->nodes[stmt];
    if (sn->kind != N(ASSIGN)) return 0;
    uint32_t lo = sn->first > 0 ? sn->first - 1 : 0;
    return each_use(rc, lo, sn->last, assigned_use_at, NULL) &&
           each_use(rc, lo, sn->last, wrap_arg_use, NULL);
}

static int rc_stmt(void *ctx, uint32_t stmt) {
    rctx *rc = ctx;
    /* the acquisition's own statement hands nothing on */
    if (rc->acq_call != NONE32 && host_node_within(rc->x->f, rc->acq_call, stmt)) return 0;
    if (stmt_releases(rc, stmt)) return 1;
    /* a new value for the variable, the resource kept in another: followed
     * no further (the walk would take the new value for a loss) */
    if (rc->s->follow_var && lives_on_after(rc, stmt)) return 1;
    /* a new value that wraps the old one (ln = tls.NewListener(ln, cfg)):
     * the variable holds the resource on, followed no further */
    if (wraps_itself(rc, stmt)) return 1;
    stmt_scan ss = {stmt, 0};
    uint32_t lo = rc->x->nodes[stmt].first;
    return each_use(rc, lo > 0 ? lo - 1 : 0, rc->x->nodes[stmt].last, scan_stmt_use, &ss);
}

/* The statement of the resource's function that holds node n (through the
 * function literals in between), NONE32. */
static uint32_t stmt_in_fn(const rctx *rc, uint32_t n) {
    const file_index *x = rc->x;
    uint32_t s = host_stmt_of(x->f, n);
    while (s != NONE32) {
        uint32_t fl = host_enclosing_func(x->f, s);
        if (fl == rc->fn || fl == NONE32) break;
        s = host_stmt_of(x->f, fl);
    }
    return s;
}

/* With follow-variable, the walker's question for each use of the
 * resource's variable in what it walks (statement headers, select cases
 * included): is the resource handed on there? (The calls that release or
 * take it are rc_is_release's.) */
static int rc_use(void *ctx, uint32_t u) {
    rctx *rc = ctx;
    const file_index *x = rc->x;
    uint32_t stmt = stmt_in_fn(rc, fx_node_at(x, u));
    if (stmt == NONE32) return 0;
    /* the acquisition's own statement hands nothing on up to the call */
    if (rc->acq_call != NONE32 && u <= rc->acq_last && host_node_within(x->f, rc->acq_call, stmt))
        return 0;
    stmt_scan ss = {stmt, x->nodes[stmt].kind == N(RETURN)};
    return scan_stmt_use(rc, u, &ss);
}

/* Whether token u is a left-hand side of an assignment: the variable gets
 * a new value there. */
static int assigned_at(const file_index *x, uint32_t u) {
    uint32_t ex = exact_expr(x, u, u);
    return ex != NONE32 && x->nodes[ex].role == R(LHS);
}

/* Whether statement stmt gives the resource's variable a new value while a
 * local assigned from it (old := f) is used after it: the resource lives on
 * in that local (old.Close() after f, err = os.Open(b)). */
static int lives_on_after(const rctx *rc, uint32_t stmt) {
    const file_index *x = rc->x;
    const node *sn = &x->nodes[stmt];
    if (sn->kind != N(ASSIGN) || rc->nal < 2) return 0;
    int overwrites = 0;
    for (uint32_t u = host_next_use(x->f, rc->al[0].v, sn->first - 1, sn->last);
         u != NONE32 && !overwrites; u = host_next_use(x->f, rc->al[0].v, u, sn->last))
        overwrites = assigned_at(x, u);
    if (!overwrites) return 0;
    uint32_t end = x->nodes[rc->fn].last;
    for (uint32_t k = 1; k < rc->nal; k++) {
        uint32_t u = host_next_use(x->f, rc->al[k].v, sn->last, end);
        if (u != NONE32 && !assigned_at(x, u)) return 1;
    }
    return 0;
}

static int escape_use(const rctx *rc, uint32_t u, void *ctx) {
    (void)ctx;
    uint32_t ex;
    unsigned esc = rc->s->escapes;
    uint32_t body = host_child_by_role(rc->x->f, rc->fn, R(BODY));
    if (body != NONE32 && captured_at(rc, u, body)) return (esc & E_CAPTURED) != 0;
    switch (classify_use(rc, u, &ex)) {
    case U_ARG: return arg_effect((rctx *)rc, rc->x->nodes[ex].parent, ex) != EF_NONE;
    case U_RETURNED: return (esc & E_RETURNED) != 0;
    case U_STORED: return (esc & E_STORED) != 0;
    case U_SENT: return (esc & E_SENT) != 0;
    case U_ADDR: return (esc & (E_PASSED | E_STORED)) != 0;
    default: return 0;
    }
}

/* Whether the resource's variables are handed on in tokens (lo, hi). */
static int escapes_before(const rctx *rc, uint32_t lo, uint32_t hi) {
    return hi > lo + 1 && each_use(rc, lo, hi - 1, escape_use, NULL);
}

/* ---- conditions ---- */

/* Whether variable v is assigned between tokens a and b (exclusive). */
/* Whether nodes p and q lie in two branches of one if or switch (the then
 * and the else, or two cases): no path goes from one to the other. */
static int other_branch(const file_index *x, uint32_t p, uint32_t q) {
    for (uint32_t a = x->nodes[q].parent; a != NONE32; a = x->nodes[a].parent) {
        int k = x->nodes[a].kind;
        if (k == N(FUNC) || k == N(FUNCLIT)) return 0;
        if (k != N(IF) && k != N(SWITCH) && k != N(TYPESWITCH) && k != N(SELECT)) continue;
        if (!host_node_within(x->f, p, a)) continue;
        /* the children of a holding each */
        uint32_t cp = p, cq = q;
        while (x->nodes[cp].parent != a) cp = x->nodes[cp].parent;
        while (x->nodes[cq].parent != a) cq = x->nodes[cq].parent;
        if (cp == cq) return 0;
        int rp = x->nodes[cp].role, rq = x->nodes[cq].role;
        if (k == N(IF)) return (rp == R(BODY) && rq == R(ELSE)) || (rp == R(ELSE) && rq == R(BODY));
        return x->nodes[cp].kind == N(CASE) || x->nodes[cp].kind == N(COMM);
    }
    return 0;
}

static int rc_cond(void *ctx, uint32_t cond);

/* Whether node n lies in a branch of an if (after the acquisition) where
 * the resource does not exist: no path holding it goes through n. */
static int in_absent_branch(rctx *rc, uint32_t n) {
    const file_index *x = rc->x;
    for (uint32_t c = n, p = x->nodes[n].parent; p != NONE32; c = p, p = x->nodes[p].parent) {
        int k = x->nodes[p].kind;
        if (k == N(FUNC) || k == N(FUNCLIT)) return 0;
        if (k != N(IF) || x->nodes[p].first <= rc->acq_last) continue;
        uint32_t cond = host_child_by_role(x->f, p, R(COND));
        int role = x->nodes[c].role;
        if (cond == NONE32 || (role != R(BODY) && role != R(ELSE))) continue;
        int absent = rc_cond(rc, cond);
        if ((role == R(BODY) && absent > 0) || (role == R(ELSE) && absent < 0)) return 1;
    }
    return 0;
}

/* Whether variable v is assigned between tokens a and b (exclusive) on a
 * path holding the resource: not in the other branch of an if around the
 * acquisition, nor in a branch where the resource does not exist. */
static int assigned_between(rctx *rc, const host_var *v, uint32_t a, uint32_t b) {
    const file_index *x = rc->x;
    for (uint32_t u = host_next_use(x->f, v, a, b - 1); u != NONE32;
         u = host_next_use(x->f, v, u, b - 1)) {
        int nk = x->toks[u + 1].kind;
        if (nk == T(ASSIGN) || nk == T(DEFINE) || nk == T(COMMA)) {
            uint32_t n = fx_node_at(x, u);
            for (; n != NONE32; n = x->nodes[n].parent) {
                if (x->nodes[n].kind == N(EXPR) && x->nodes[n].role == R(LHS)) {
                    if (rc->acq_call == NONE32 ||
                        (!other_branch(x, rc->acq_call, n) && !in_absent_branch(rc, n)))
                        return 1;
                    break;
                }
                if (x->nodes[n].kind != N(EXPR)) break;
            }
        }
    }
    return 0;
}

enum atom { A_NONE, A_ABSENT_TRUE, A_ABSENT_FALSE };

/* Whether call tests which error the guard's error is: its first argument
 * is that error (unchanged since the acquisition, token a being the
 * test's start), and it is As or named Is... or is... */
static int error_test(const rctx *rc, uint32_t call, uint32_t a) {
    const file_index *x = rc->x;
    uint32_t name = host_call_name(x->f, call), arg = host_call_arg(x->f, call, 0);
    if (name == NONE32 || arg == NONE32 || x->nodes[arg].first != x->nodes[arg].last) return 0;
    if (host_resolve(x->f, x->nodes[arg].first) != rc->err ||
        assigned_between((rctx *)rc, rc->err, rc->acq_last, a))
        return 0;
    const token *t = &x->toks[name];
    const char *s = (const char *)x->src + t->off;
    return (t->len == 2 && s[0] == 'A' && s[1] == 's') ||
           (t->len >= 2 && (s[0] == 'I' || s[0] == 'i') && s[1] == 's');
}

/* What one operand of a condition (tokens [a, b]) says of the resource. */
static int cond_atom(rctx *rc, uint32_t a, uint32_t b) {
    const file_index *x = rc->x;
    const token *t = x->toks;
    while (a < b && t[a].kind == T(LPAREN) && t[b].kind == T(RPAREN)) a++, b--;
    /* X != nil, X == nil, nil != X */
    if (b == a + 2 && (t[a + 1].kind == T(NEQ) || t[a + 1].kind == T(EQL))) {
        uint32_t v = fx_tok_is(x, b, "nil", 3) ? a : fx_tok_is(x, a, "nil", 3) ? b : NONE32;
        int neq = t[a + 1].kind == T(NEQ);
        if (v != NONE32 && t[v].kind == T(IDENT)) {
            const host_var *hv = host_resolve(x->f, v);
            if (hv && hv == rc->err && !assigned_between(rc, hv, rc->acq_last, a))
                return neq ? A_ABSENT_TRUE : A_ABSENT_FALSE;
            const alias *al = hv ? alias_of(rc, hv) : NULL;
            if (al && al->npath == 0 && rc->acq_call != NONE32 &&
                !assigned_between(rc, hv, rc->acq_last, a))
                return neq ? A_ABSENT_FALSE : A_ABSENT_TRUE;
        }
        return A_NONE;
    }
    /* r.Next(), !r.Next(): a call that releases when it returns false */
    int negated = t[a].kind == T(NOT);
    uint32_t call = exact_node(x, negated ? a + 1 : a, b, N(CALL));
    if (call == NONE32) return A_NONE;
    if (exhaust_pattern(rc, call)) return negated ? A_ABSENT_TRUE : A_ABSENT_FALSE;
    /* errors.Is(err, x), errors.As(err, &t), os.IsNotExist(err): a test of
     * which error it is holds only for an error, never for nil */
    if (rc->err && error_test(rc, call, a)) return negated ? A_ABSENT_FALSE : A_ABSENT_TRUE;
    return A_NONE;
}

static int rc_cond(void *ctx, uint32_t cond) {
    rctx *rc = ctx;
    const file_index *x = rc->x;
    const token *t = x->toks;
    uint32_t a = x->nodes[cond].first, b = x->nodes[cond].last;
    /* split at top-level && or || (not mixed) */
    int op = 0, depth = 0;
    for (uint32_t i = a; i <= b; i++) {
        int k = t[i].kind;
        if (k == T(LPAREN) || k == T(LBRACK) || k == T(LBRACE)) depth++;
        if (k == T(RPAREN) || k == T(RBRACK) || k == T(RBRACE)) depth--;
        if (depth == 0 && (k == T(LAND) || k == T(LOR))) {
            if (op && op != k) return 0;
            op = k;
        }
    }
    if (!op) {
        int at = cond_atom(rc, a, b);
        return at == A_ABSENT_TRUE ? 1 : at == A_ABSENT_FALSE ? -1 : 0;
    }
    int any_true = 0, all_true = 1, any_false = 0;
    uint32_t s = a;
    depth = 0;
    for (uint32_t i = a; i <= b + 1; i++) {
        int k = i <= b ? t[i].kind : T(LAND);
        if (i <= b && (k == T(LPAREN) || k == T(LBRACK) || k == T(LBRACE))) depth++;
        if (i <= b && (k == T(RPAREN) || k == T(RBRACK) || k == T(RBRACE))) depth--;
        if (depth == 0 && (i > b || k == op)) {
            int at = i > s ? cond_atom(rc, s, i - 1) : A_NONE;
            if (at == A_ABSENT_TRUE)
                any_true = 1;
            else
                all_true = 0;
            if (at == A_ABSENT_FALSE) any_false = 1;
            s = i + 1;
        }
    }
    /* a && b: true implies each; a || b: false implies the negation of each */
    if (op == T(LAND)) return any_true ? 1 : 0;
    if (any_false) return -1;
    return all_true ? 1 : 0;
}

static int rc_loop(void *ctx, uint32_t loop) {
    rctx *rc = ctx;
    const file_index *x = rc->x;
    if (x->nodes[loop].kind != N(FOR)) return 0;
    uint32_t cond = host_child_by_role(x->f, loop, R(COND));
    if (cond == NONE32) return 0;
    uint32_t n = host_expr_node(x->f, cond);
    return n != NONE32 && x->nodes[n].kind == N(CALL) && exhaust_pattern(rc, n);
}

/* ---- helpers of the file ---- */

typedef struct helper_scan {
    rctx *h;
    int effect;
} helper_scan;

static int helper_use(const rctx *h, uint32_t u, void *ctx) {
    helper_scan *hs = ctx;
    unsigned esc = h->s->escapes;
    uint32_t body = host_child_by_role(h->x->f, h->fn, R(BODY));
    if (body != NONE32 && captured_at(h, u, body)) {
        if (esc & E_CAPTURED) hs->effect = EF_ESCAPES;
        return hs->effect != EF_NONE;
    }
    uint32_t ex;
    int use = classify_use(h, u, &ex);
    if (use == U_ARG) {
        int e = arg_effect(hs->h, h->x->nodes[ex].parent, ex);
        if (e != EF_NONE) hs->effect = e;
    } else if ((use == U_RETURNED && (esc & E_RETURNED)) || (use == U_STORED && (esc & E_STORED)) ||
               (use == U_SENT && (esc & E_SENT)) || (use == U_ADDR && (esc & E_PASSED))) {
        hs->effect = EF_ESCAPES;
    }
    return hs->effect != EF_NONE;
}

/* What function fn of the file does with parameter k when given the
 * resource (its member path): releases it, hands it on, or neither. */
static int helper_effect(rctx *rc, uint32_t fn, uint32_t k, const uint32_t *path, uint32_t npath) {
    const file_index *x = rc->x;
    const host_var *p = host_param_at(x->f, fn, k);
    uint32_t body = host_child_by_role(x->f, fn, R(BODY));
    if (!p || body == NONE32) return (rc->s->escapes & E_PASSED) ? EF_ESCAPES : EF_NONE;
    rctx h;
    memset(&h, 0, sizeof h);
    h.ev = rc->ev;
    h.x = x;
    h.s = rc->s;
    h.fn = fn;
    h.acq_call = NONE32;
    h.acq_last = x->nodes[body].first;
    h.depth = rc->depth + 1;
    h.al[0].v = p;
    h.al[0].npath = npath;
    memcpy(h.al[0].path, path, npath * sizeof *path);
    h.nal = 1;
    h.view.meta = rc->view.meta;
    h.view.at = view_at;
    h.view.ctx = &h;
    find_aliases(&h);
    const resource_view *saved = rc->ev->res;
    rc->ev->res = &h.view;
    int effect = EF_NONE;
    uint32_t lo = host_kind_lower_bound(x->f, N(CALL), x->nodes[body].first);
    for (uint32_t i = lo; i < host_kind_count(x->f, N(CALL)) && effect == EF_NONE; i++) {
        uint32_t call = host_kind_at(x->f, N(CALL), i);
        if (x->nodes[call].first > x->nodes[body].last) break;
        if (release_pattern(&h, call)) effect = EF_RELEASES;
    }
    uint32_t lf = host_kind_lower_bound(x->f, N(FOR), x->nodes[body].first);
    for (uint32_t i = lf; i < host_kind_count(x->f, N(FOR)) && effect == EF_NONE; i++) {
        uint32_t loop = host_kind_at(x->f, N(FOR), i);
        if (x->nodes[loop].first > x->nodes[body].last) break;
        if (rc_loop(&h, loop)) effect = EF_RELEASES;
    }
    if (effect == EF_NONE) {
        helper_scan hs = {&h, EF_NONE};
        each_use(&h, x->nodes[body].first, x->nodes[body].last, helper_use, &hs);
        effect = hs.effect;
    }
    rc->ev->res = saved;
    return effect;
}

/* ---- acquisitions ---- */

enum target { TG_VAR, TG_DISCARD, TG_HANDOFF, TG_UNKNOWN };

/* Where result k of call goes: a variable (*tok), nowhere, or elsewhere. */
static int result_target(const file_index *x, uint32_t call, uint32_t k, uint32_t *tok) {
    uint32_t ex = x->nodes[call].parent;
    *tok = NONE32;
    if (ex == NONE32) return TG_UNKNOWN;
    if (x->nodes[ex].kind == N(EXPRSTMT)) return TG_DISCARD;
    if (x->nodes[ex].kind != N(EXPR) || host_expr_node(x->f, ex) != call) return TG_HANDOFF;
    uint32_t p = x->nodes[ex].parent;
    int role = x->nodes[ex].role;
    if (role == R(RHS) && x->nodes[p].kind == N(ASSIGN)) {
        uint32_t nrhs = 0, nlhs = 0;
        for (uint32_t c = x->nodes[p].child; c != NONE32; c = x->nodes[c].next) {
            if (x->nodes[c].role == R(RHS)) nrhs++;
            if (x->nodes[c].role == R(LHS)) nlhs++;
        }
        uint32_t lhs;
        if (nrhs == 1) {
            lhs = host_nth_child_by_role(x->f, p, R(LHS), k);
        } else { /* a, b := f(), g(): one value each */
            if (k != 0 || nrhs != nlhs) return TG_UNKNOWN;
            uint32_t i = 0;
            for (uint32_t c = x->nodes[p].child; c != ex && c != NONE32; c = x->nodes[c].next)
                if (x->nodes[c].role == R(RHS)) i++;
            lhs = host_nth_child_by_role(x->f, p, R(LHS), i);
        }
        if (lhs == NONE32) return TG_UNKNOWN;
        uint32_t la = x->nodes[lhs].first, lb = x->nodes[lhs].last;
        if (la != lb || x->toks[la].kind != T(IDENT)) return TG_HANDOFF;
        if (fx_tok_is(x, la, "_", 1)) return TG_DISCARD;
        *tok = la;
        return TG_VAR;
    }
    if (role == R(VALUE) && x->nodes[p].kind == N(SPEC)) {
        uint32_t i = 0;
        for (uint32_t t = x->nodes[p].first; t < x->nodes[ex].first; t++) {
            if (x->toks[t].kind != T(IDENT)) continue;
            if (i++ == k) {
                if (fx_tok_is(x, t, "_", 1)) return TG_DISCARD;
                *tok = t;
                return TG_VAR;
            }
        }
        return TG_UNKNOWN;
    }
    return TG_HANDOFF;
}

/* Whether variable v is a local of function fn (not a parameter, result
 * or package variable). */
static int local_of(const file_index *x, const host_var *v, uint32_t fn) {
    host_var_info vi;
    host_var_get(x->f, v, &vi);
    return !(vi.flags & (HV_PARAM | HV_RESULT | HV_PKG)) && vi.func == fn;
}

/* Whether a function literal of fn written before token `before` refers to
 * variable v: it reads the variable when it runs (a deferred closure
 * closes whatever the variable holds at the return). */
static int captured_before(const file_index *x, const host_var *v, uint32_t fn, uint32_t before) {
    for (uint32_t u = host_next_use(x->f, v, x->nodes[fn].first, before - 1); u != NONE32;
         u = host_next_use(x->f, v, u, before - 1))
        if (host_enclosing_func(x->f, fx_node_at(x, u)) != fn) return 1;
    return 0;
}

/* Whether variable v, declared before loop, is used in the loop before
 * token `before`: that use runs on the next round. */
static int used_earlier_in_loop(const file_index *x, const host_var *v, uint32_t loop,
                                uint32_t before) {
    host_var_info vi;
    host_var_get(x->f, v, &vi);
    if (vi.name >= x->nodes[loop].first && vi.name <= x->nodes[loop].last) return 0;
    return host_next_use(x->f, v, x->nodes[loop].first, before - 1) != NONE32;
}

typedef struct run_ctx {
    int (*report)(void *ctx, const leak_report *leak);
    void *ctx;
    uint32_t last_first, last_last; /* the last acquisition seen (alternatives repeat it) */
} run_ctx;

static int check_acquisition(meval *ev, const resource_spec *s, const match *m, run_ctx *run) {
    const file_index *x = ev->x;
    uint32_t call = m->node;
    if (call == NONE32 || x->nodes[call].kind != N(CALL)) return 0;
    if (host_unreachable(x->f, call)) return 0;
    uint32_t fn = host_enclosing_func(x->f, call);
    if (fn == NONE32) return 0;
    leak_report lr;
    memset(&lr, 0, sizeof lr);
    lr.call = call;
    lr.res_tok = NONE32;
    memcpy(lr.b, m->b, sizeof lr.b);
    uint32_t tok = NONE32, etok;
    /* a call that does not give the error result is not the API the rule
     * means (a Get of a cache returns one value) */
    if (s->has_error && result_target(x, call, s->error_result, &etok) == TG_UNKNOWN) return 0;
    int discarded = 0;
    if (s->from_result) {
        int tg = result_target(x, call, s->result, &tok);
        if (tg == TG_DISCARD)
            discarded = 1;
        else if (tg != TG_VAR)
            return 0;
    } else {
        const binding *b = &m->b[s->from_meta];
        if (b->first == NONE32 || b->first != b->last || x->toks[b->first].kind != T(IDENT))
            return 0;
        tok = b->first;
    }
    const host_var *v = discarded ? NULL : host_resolve(x->f, tok);
    if (!discarded && (!v || !local_of(x, v, fn))) return 0;
    rctx rc;
    memset(&rc, 0, sizeof rc);
    rc.ev = ev;
    rc.x = x;
    rc.s = s;
    rc.fn = fn;
    rc.acq_call = call;
    rc.acq_last = x->nodes[call].last;
    rc.view.meta = s->as;
    rc.view.at = view_at;
    rc.view.ctx = &rc;
    uint32_t top = fn;
    while (host_enclosing_func(x->f, top) != NONE32) top = host_enclosing_func(x->f, top);
    rc.in_test = x->nodes[top].kind == N(FUNC) && host_is_test_func(x->f, top);
    if (s->has_error && result_target(x, call, s->error_result, &etok) == TG_VAR)
        rc.err = host_resolve(x->f, etok);
    if (discarded) {
        /* nothing holds it: every path that gets it leaks; in a test, a
         * dropped result whose error is looked at is an expected failure */
        if (rc.in_test && rc.err &&
            host_next_use(x->f, rc.err, rc.acq_last, x->nodes[fn].last) != NONE32)
            return 0;
        lr.discarded = 1;
    } else {
        rc.al[0].v = v;
        rc.nal = 1;
        find_aliases(&rc);
        /* a resource that existed before (a channel, a command) and was
         * handed on before the acquisition belongs elsewhere */
        if (!s->from_result && escapes_before(&rc, x->nodes[fn].first, x->nodes[call].first))
            return 0;
        lr.res_tok = tok;
        lr.b[s->as].first = lr.b[s->as].last = tok;
    }
    /* the statement: after it, or from it when the call is in its header */
    uint32_t stmt = host_stmt_of(x->f, call);
    if (stmt == NONE32) return 0;
    int sk = x->nodes[stmt].kind;
    int from_start = sk == N(IF) || sk == N(RETURN);
    if (!from_start && sk != N(ASSIGN) && sk != N(EXPRSTMT) && sk != N(GENDECL)) return 0;
    host_walk w;
    memset(&w, 0, sizeof w);
    w.ctx = &rc;
    w.loop = host_loop_around(x->f, stmt);
    if (s->follow_var && !discarded) {
        /* a closure made before the acquisition releases what the
         * variable holds when it runs, whichever value that is */
        if (captured_before(x, v, fn, x->nodes[call].first)) return 0;
        w.var = v;
        w.use_releases = rc_use;
        /* the acquisition gives the variable its value: reached again
         * on the next round of a loop, it replaces the one held */
        w.go_round = s->from_result;
        /* a use earlier in the loop's body runs on the next round: a
         * continue may release there (the walk drops that path) */
        if (w.loop != NONE32 && used_earlier_in_loop(x, v, w.loop, x->nodes[stmt].first))
            w.loop = NONE32;
    }
    w.is_release = rc_is_release;
    w.return_hands_off = rc_return;
    w.stmt_hands_off = rc_stmt;
    w.cond_absent = rc_cond;
    w.loop_exit_releases = rc_loop;
    const resource_view *saved = ev->res;
    ev->res = &rc.view;
    uint32_t at = NONE32;
    int leak = host_walk_paths(x->f, &w, stmt, from_start, &at);
    ev->res = saved;
    if (ev->oom) return GOLEAK_ENOMEM;
    if (leak == HOST_LEAK_NONE) return 0;
    lr.kind = leak;
    lr.at = at;
    lr.round = leak == HOST_LEAK_OVERWRITE && at == stmt;
    return run->report(run->ctx, &lr);
}

int resource_run(meval *ev, const resource_spec *s,
                 int (*report)(void *ctx, const leak_report *leak), void *ctx) {
    mlist acq = {NULL, 0, 0};
    int rc = matcher_eval(ev, s->acquire, &acq);
    run_ctx run = {report, ctx, NONE32, NONE32};
    for (uint32_t k = 0; k < acq.len && rc == 0; k++) {
        const match *m = &acq.data[k];
        if (m->first == run.last_first && m->last == run.last_last) continue;
        run.last_first = m->first;
        run.last_last = m->last;
        rc = check_acquisition(ev, s, m, &run);
    }
    mlist_free(ev->a, &acq);
    return rc ? rc : ev->oom ? GOLEAK_ENOMEM : 0;
}
