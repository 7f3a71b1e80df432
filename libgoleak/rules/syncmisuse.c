/* GL023 cond-wait-not-in-loop and GL024 waitgroup-misuse: sync.Cond and
 * sync.WaitGroup used against their contracts, so that a goroutine waits
 * for something that is not there, or never comes. */
#include "condwake.h"
#include "lockgraph.h"
#include "goroutine.h"
#include "lockid.h"
#include "stoppers.h"
#include "../paths.h"
#include "../query.h"
#include "rules.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---- shared ---- */

/* The function walked alone that runs node n (the nearest FUNC, or
 * FUNCLIT not run in place). */
static uint32_t walked_fn(const facts *f, uint32_t n) {
    uint32_t fn = enclosing_func(f, n);
    while (fn != NONE32 && !lockgraph_walked_alone(f, fn)) fn = enclosing_func(f, fn);
    return fn;
}

/* The receiver of call `call` as written (wg of wg.Wait()), into buf. */
static const char *recv_text(const facts *f, uint32_t call, char *buf, size_t size) {
    const call_fact *c = call_of(f, call);
    return snippet(f, c->recv_first, c->recv_last, buf, size);
}

/* ---- GL023 ---- */

/* What GL023 asks about the file, found in one pass over the calls when
 * the first Wait on a Cond outside a loop needs it. */
typedef struct cond_ctx {
    const facts *f;
    typeindex *types;
    int ready;
    uint32_t *calls, *in_loops; /* per FUNC: calls of it in the file, and in loop bodies */
    struct {
        uint32_t *data;
        uint32_t len, cap;
    } targets; /* the name tokens sync.NewCond(...) is stored in (x, s.cond, cond:) */
    int oom;
} cond_ctx;

static void cond_prepare(cond_ctx *x) {
    const facts *f = x->f;
    x->ready = 1;
    uint32_t nfunc = f->by_kind[N(FUNC)].len;
    x->calls = gl_calloc(f->alloc, ((size_t)nfunc + 1) * sizeof *x->calls);
    x->in_loops = gl_calloc(f->alloc, ((size_t)nfunc + 1) * sizeof *x->in_loops);
    if (!x->calls || !x->in_loops) {
        x->oom = 1;
        return;
    }
    FOR_KIND(f, N(CALL), call) {
        const call_fact *c = call_of(f, call);
        if (!c || c->name == NONE32) continue;
        if (call_is_pkg(f, c, PKG_SYNC, "NewCond")) {
            uint32_t e = f->nodes[call].parent, p = e != NONE32 ? f->nodes[e].parent : NONE32;
            uint32_t target = NONE32;
            if (p != NONE32 && f->nodes[e].role == R(RHS)) {
                uint32_t lhs = nth_child_by_role(f, p, R(LHS), 0);
                if (lhs != NONE32) target = f->nodes[lhs].last;
            } else if (p != NONE32 && f->nodes[e].role == R(VALUE) && f->nodes[p].kind == N(SPEC)) {
                target = f->nodes[p].key;
            } else if (p != NONE32 && f->nodes[e].role == R(VALUE) &&
                       f->nodes[p].kind == N(COMPOSITE)) {
                for (uint32_t k = f->nodes[p].child; k != NONE32 && k != e; k = f->nodes[k].next)
                    target = f->nodes[k].role == R(KEY) ? f->nodes[k].last : NONE32;
            }
            if (target != NONE32 && VEC_PUSH(f->alloc, &x->targets, target)) x->oom = 1;
            continue;
        }
        uint32_t k = typeindex_callee(x->types, call);
        if (k == NONE32) continue;
        x->calls[k]++;
        if (loop_around(f, call) != NONE32) x->in_loops[k]++;
    }
}

/* Whether the receiver of a call (tokens [a, last]) is a sync.Cond: its
 * declared type, or a variable or field of that name that the file sets to
 * sync.NewCond(...). */
static int is_cond(cond_ctx *x, uint32_t a, uint32_t last) {
    const facts *f = x->f;
    tinfo t = typeindex_expr_type(x->types, a, last);
    if (t.sync == SK_COND) return 1;
    if (t.sync != SK_NONE || t.name != NONE32) return 0;
    if (!x->ready) cond_prepare(x);
    for (uint32_t i = 0; i < x->targets.len; i++)
        if (tok_same(f, x->targets.data[i], last)) return 1;
    return 0;
}

static int is_cond_pred(void *ctx, uint32_t a, uint32_t last) {
    return is_cond(ctx, a, last);
}

/* Whether an if condition only tests that some name is (not) nil: it says
 * whether to wait at all, not what the waiter waits for. */
static int nil_test(const facts *f, uint32_t cond) {
    uint32_t a = f->nodes[cond].first, l = f->nodes[cond].last;
    if (l < a + 2 || !tok_is(f, l, "nil")) return 0;
    int op = f->toks[l - 1].kind;
    return (op == T(NEQ) || op == T(EQL)) && name_chain(f, a, l - 2);
}

/* The if (with a condition the waiter waits for, not a nil test) or
 * switch around node n in its function, with no loop between them;
 * NONE32. */
static uint32_t if_around(const facts *f, uint32_t n) {
    for (uint32_t p = f->nodes[n].parent; p != NONE32; p = f->nodes[p].parent) {
        int k = f->nodes[p].kind;
        if (k == N(FUNC) || k == N(FUNCLIT) || k == N(FOR) || k == N(RANGE)) return NONE32;
        if (k == N(SWITCH) || k == N(TYPESWITCH)) return p;
        if (k != N(IF)) continue;
        uint32_t cond = child_by_role(f, p, R(COND));
        if (cond != NONE32 && !nil_test(f, cond)) return p;
    }
    return NONE32;
}

/* Whether Wait call `wait` of function fn is a test's barrier: fn takes a
 * lock, then starts a goroutine, announces itself on a channel (running
 * <- true) or sets state the signaller tests (x = 1), then waits. The signaller cannot signal
 * before the Wait releases the lock, so the signal is not lost (sync's own tests wait so). */
static int barrier_wait(const facts *f, uint32_t wait, uint32_t fn) {
    if (fn == NONE32) return 0;
    uint32_t lock = NONE32, n;
    const uint32_t *locks = calls_named_text(f, "Lock", &n);
    for (uint32_t i = 0; i < n && lock == NONE32; i++) {
        uint32_t c = f->calls.data[locks[i]].node;
        if (enclosing_func(f, c) == fn && f->nodes[c].first < f->nodes[wait].first) lock = c;
    }
    if (lock == NONE32) return 0;
    FOR_KIND_IN(f, N(GO), g, f->nodes[lock].last, f->nodes[wait].first) {
        if (enclosing_func(f, g) == fn) return 1;
    }
    FOR_KIND_IN(f, N(SEND), s, f->nodes[lock].last, f->nodes[wait].first) {
        if (enclosing_func(f, s) == fn) return 1;
    }
    /* or sets the state the signaller tests under the lock (x = 1) */
    FOR_KIND_IN(f, N(ASSIGN), s, f->nodes[lock].last, f->nodes[wait].first) {
        if (enclosing_func(f, s) == fn) return 1;
    }
    return 0;
}

/* Whether the file signals a Cond named like token name (x.Signal(),
 * x.Broadcast() with the receiver's last name the same). */
static int signalled(const facts *f, uint32_t name) {
    static const char *const wakes[] = {"Signal", "Broadcast"};
    for (int w = 0; w < 2; w++) {
        uint32_t n;
        const uint32_t *calls = calls_named_text(f, wakes[w], &n);
        for (uint32_t i = 0; i < n; i++) {
            const call_fact *c = &f->calls.data[calls[i]];
            if (c->recv_first != NONE32 && tok_same(f, c->recv_last, name)) return 1;
        }
    }
    return 0;
}

/* Whether receivers a and b, both known, are of the same named type. */
static int same_receiver_type(const facts *f, const var_fact *a, const var_fact *b) {
    return a && b && a->type_first != NONE32 && b->type_first != NONE32 &&
           tok_same(f, type_name_tok(f, a->type_first, a->type_last),
                    type_name_tok(f, b->type_first, b->type_last));
}

/* Whether function fn's callers in the file are all functions that are not
 * methods of its receiver's type (constructors: b.init() in NewBuffer),
 * and there is at least one. */
static int only_built_by_others(const facts *f, const typeindex *types, uint32_t fn) {
    uint32_t k = kind_lower_bound(f, N(FUNC), f->nodes[fn].first), n, callers = 0;
    const var_fact *rv = receiver_var(f, fn);
    const uint32_t *calls = calls_named(f, f->nodes[fn].key, &n);
    for (uint32_t i = 0; i < n; i++) {
        uint32_t call = f->calls.data[calls[i]].node;
        if (typeindex_callee(types, call) != k) continue;
        uint32_t caller = top_func(f, call);
        const var_fact *cv = caller != NONE32 ? receiver_var(f, caller) : NULL;
        if (same_receiver_type(f, cv, rv)) return 0;
        callers++;
    }
    return callers > 0;
}

/* A method that replaces the Cond in a field of its receiver (b.cond =
 * sync.NewCond(&b.mu), in a Reset) while other methods of the type wait on
 * that field: goroutines parked on the old Cond are never woken by a
 * Signal or Broadcast on the new one. Not when the method broadcasts on
 * the old one first, sets it only when nil, starts goroutines after it (a
 * Start making the Cond for the waiters it starts), or only constructors
 * call it. */
static void check_cond_replaced(goleak_check *chk, const facts *f, const typeindex *types) {
    uint32_t n;
    const uint32_t *news = calls_named_text(f, "NewCond", &n);
    for (uint32_t i = 0; i < n; i++) {
        const call_fact *c = &f->calls.data[news[i]];
        if (!call_is_pkg(f, c, PKG_SYNC, "NewCond")) continue;
        uint32_t rhs = f->nodes[c->node].parent;
        uint32_t as = rhs != NONE32 && f->nodes[rhs].role == R(RHS) ? f->nodes[rhs].parent : NONE32;
        if (as == NONE32 || f->nodes[as].kind != N(ASSIGN) ||
            f->toks[f->nodes[as].key].kind != T(ASSIGN))
            continue;
        uint32_t lhs = nth_child_by_role(f, as, R(LHS), 0);
        uint32_t fn = enclosing_func(f, as);
        if (lhs == NONE32 || fn == NONE32 || f->nodes[fn].kind != N(FUNC)) continue;
        uint32_t a = f->nodes[lhs].first, b = f->nodes[lhs].last;
        const var_fact *rv = receiver_var(f, fn);
        if (b != a + 2 || !name_chain(f, a, b) || !rv || resolve(f, a) != rv) continue;
        /* lazily made (if b.cond == nil), or broadcast on before */
        int skip = 0;
        for (uint32_t p = f->nodes[as].parent; p != fn && p != NONE32 && !skip;
             p = f->nodes[p].parent) {
            uint32_t cond = f->nodes[p].kind == N(IF) ? child_by_role(f, p, R(COND)) : NONE32;
            for (uint32_t t = cond != NONE32 ? f->nodes[cond].first : 1;
                 cond != NONE32 && t <= f->nodes[cond].last; t++)
                skip |= tok_is(f, t, "nil");
        }
        FOR_KIND_IN(f, N(CALL), x, f->nodes[fn].first, f->nodes[as].first) {
            const call_fact *xc = call_of(f, x);
            if (xc && xc->recv_last != NONE32 && xc->recv_last == xc->recv_first + 2 &&
                tok_same(f, xc->recv_last, b) &&
                (tok_is(f, xc->name, "Broadcast") || tok_is(f, xc->name, "Signal")))
                skip = 1;
        }
        /* a Start that makes the Cond and then starts its waiters */
        FOR_KIND_IN(f, N(GO), go, f->nodes[as].last, f->nodes[fn].last) {
            skip = 1;
            break;
        }
        if (skip || only_built_by_others(f, types, fn)) continue;
        /* a waiter on the same field, in another method of the type */
        uint32_t nw, wait = NONE32;
        const uint32_t *waits = calls_named_text(f, "Wait", &nw);
        for (uint32_t j = 0; j < nw && wait == NONE32; j++) {
            const call_fact *w = &f->calls.data[waits[j]];
            if (w->nargs != 0 || w->recv_first == NONE32 || w->recv_last != w->recv_first + 2 ||
                !tok_same(f, w->recv_last, b) || top_func(f, w->node) == fn)
                continue;
            uint32_t wfn = top_func(f, w->node);
            const var_fact *wv = wfn != NONE32 ? receiver_var(f, wfn) : NULL;
            if (same_receiver_type(f, wv, rv)) wait = w->node;
        }
        if (wait == NONE32) continue;
        char what[64];
        snippet(f, a, b, what, sizeof what);
        check_report_node(chk, as,
                          "`%s` is replaced by a new Cond while goroutines may wait on the old "
                          "one (`%s.Wait()` at line %u): a Signal or Broadcast on the new Cond "
                          "never reaches them, and they wait forever; Broadcast on the old Cond "
                          "before replacing it, or keep one Cond for the object's life",
                          what, what, (unsigned)tok_line(f, f->nodes[wait].first));
    }
}

/* Whether Wait call `call` runs in every round of a forever loop (for {})
 * without a test of the state first: a statement of the loop's own body,
 * with no statement before it that can skip it other than by leaving
 * (a continue of that loop). */
static int waits_every_round(const facts *f, uint32_t call) {
    uint32_t lp = loop_around(f, call), st = stmt_of(f, call);
    uint32_t body = lp != NONE32 ? child_by_role(f, lp, R(BODY)) : NONE32;
    if (body == NONE32 || st == NONE32 || f->nodes[st].parent != body ||
        f->nodes[lp].kind != N(FOR) || child_by_role(f, lp, R(COND)) != NONE32)
        return 0;
    for (uint32_t s = f->nodes[body].child; s != NONE32 && s != st; s = f->nodes[s].next) {
        FOR_KIND_IN(f, N(BRANCH), br, f->nodes[s].first, f->nodes[s].last) {
            int kw = f->toks[f->nodes[br].first].kind;
            if (kw == T(GOTO) || (kw == T(CONTINUE) && branch_target(f, br) == lp)) return 0;
        }
        /* a select or switch may wait for what the Wait is for */
        int k = f->nodes[s].kind;
        if (k == N(SELECT) || k == N(SWITCH) || k == N(TYPESWITCH) || k == N(FOR) || k == N(RANGE))
            return 0;
    }
    /* the round's work follows the Wait (c.flushOutbound()) */
    for (uint32_t s = f->nodes[st].next; s != NONE32; s = f->nodes[s].next) {
        uint32_t c = f->nodes[s].kind == N(EXPRSTMT) ? expr_node(f, s) : NONE32;
        if (c != NONE32 && f->nodes[c].kind == N(CALL) && lock_op(f, c) == OP_NONE) return 1;
    }
    /* or the loop is the Wait first, the test after it (for { c.Wait(); if
     * w.gen >= gen { return } }), with no test before the loop in an if
     * around it (if x.busy { for { Wait(); if !x.busy { break } } }) */
    uint32_t fn = enclosing_func(f, lp);
    if (st != f->nodes[body].child) return 0;
    for (uint32_t p = f->nodes[lp].parent; p != NONE32 && p != fn; p = f->nodes[p].parent)
        if (f->nodes[p].kind == N(IF) || f->nodes[p].kind == N(SWITCH) ||
            f->nodes[p].kind == N(FOR) || f->nodes[p].kind == N(RANGE))
            return 0;
    for (uint32_t s = f->nodes[st].next; s != NONE32; s = f->nodes[s].next)
        if (stmt_leaves_loop(f, s, lp) ||
            (f->nodes[s].kind == N(IF) && child_by_role(f, s, R(BODY)) != NONE32 &&
             stmt_leaves_loop(f, child_by_role(f, s, R(BODY)), lp)))
            return 1;
    return 0;
}

static int check_cond_wait(goleak_check *chk, void *ud) {
    (void)ud;
    const facts *f = check_facts(chk);
    if (!f) return 0;
    cond_ctx x;
    memset(&x, 0, sizeof x);
    x.f = f;
    FOR_KIND(f, N(CALL), call) {
        const call_fact *c = call_of(f, call);
        if (!c || c->recv_first == NONE32 || c->nargs != 0 || !tok_is(f, c->name, "Wait")) continue;
        if (unreachable(f, call)) continue;
        if (loop_around(f, call) != NONE32) {
            /* for { ...; c.Wait(); work() }: a Signal sent while the round
             * worked is lost, and the goroutine sleeps with work pending */
            if (!waits_every_round(f, call) || in_test_file(f)) continue;
            if (!x.types && !(x.types = typeindex_build(f))) {
                x.oom = 1;
                break;
            }
            if (!is_cond(&x, c->recv_first, c->recv_last)) continue;
            char what[64];
            snippet(f, c->recv_first, c->recv_last, what, sizeof what);
            check_report_node(chk, call,
                              "`%s.Wait()` runs in every round of this loop without checking "
                              "first whether what it waits for already happened: a Signal sent "
                              "while the round worked, or before the goroutine got here, is lost "
                              "and it sleeps with work pending; wait in a loop on the condition, "
                              "`for !cond { %s.Wait() }`",
                              what, what);
            continue;
        }
        if (!x.types && !(x.types = typeindex_build(f))) {
            x.oom = 1;
            break;
        }
        if (!is_cond(&x, c->recv_first, c->recv_last)) continue;
        if (!x.ready) cond_prepare(&x);
        if (x.oom) break;
        uint32_t fn = enclosing_func(f, call);
        uint32_t guard = if_around(f, call);
        /* a helper whose callers wait in their loops, or a wrapper for
         * callers in other files; a test's bare Wait is a barrier that the
         * test orders with the Signal on purpose */
        if (fn != NONE32 && f->nodes[fn].kind == N(FUNC)) {
            uint32_t k = kind_lower_bound(f, N(FUNC), f->nodes[fn].first);
            if (x.calls[k] > 0 && x.calls[k] == x.in_loops[k]) continue;
            if (guard == NONE32 && x.calls[k] == 0) continue;
        }
        /* a test's barrier, or a goroutine a test parks on purpose (nothing
         * signals that Cond) */
        if (guard == NONE32 && in_test_file(f) &&
            (barrier_wait(f, call, fn) || !signalled(f, c->recv_last)))
            continue;
        char what[64];
        snippet(f, c->recv_first, c->recv_last, what, sizeof what);
        if (guard != NONE32)
            check_report_node(chk, call,
                              "`%s.Wait()` under the `%s` at line %u, which checks the condition "
                              "once: when Wait returns, the condition may be false again "
                              "(another waiter got there first, or a Broadcast meant for another "
                              "condition woke it); wait in a loop, `for !cond { %s.Wait() }`",
                              what, f->nodes[guard].kind == N(IF) ? "if" : "switch",
                              (unsigned)tok_line(f, f->nodes[guard].first), what);
        else
            check_report_node(chk, call,
                              "`%s.Wait()` is not in a loop that checks the condition again: "
                              "when Wait returns, the condition may not hold (another waiter got "
                              "there first, or a Broadcast meant for another condition woke it); "
                              "wait in a loop, `for !cond { %s.Wait() }`",
                              what, what);
    }
    /* flags the waiters leave on, set without waking them (only where the
     * file wakes some Cond at all) */
    uint32_t nb, ns;
    calls_named_text(f, "Broadcast", &nb);
    calls_named_text(f, "Signal", &ns);
    if (!x.oom && nb + ns > 0) {
        if (!x.types && !(x.types = typeindex_build(f)))
            x.oom = 1;
        else {
            check_cond_wakeups(chk, f, x.types, is_cond_pred, &x);
            check_cond_replaced(chk, f, x.types);
        }
    }
    if (x.oom) chk->oom = 1;
    gl_free(f->alloc, x.calls);
    gl_free(f->alloc, x.in_loops);
    gl_free(f->alloc, x.targets.data);
    typeindex_free(x.types);
    return 0;
}

/* ---- GL024 ---- */

enum wg_method { M_ADD, M_DONE, M_WAIT };

typedef struct wg_call {
    uint32_t key, node, fn, pos;
    uint8_t method, deferred;
} wg_call;

typedef struct wg_ctx {
    goleak_check *chk;
    const facts *f;
    lockgraph *g;
    const typeindex *types;
    /* the calls on WaitGroups, sorted by function, WaitGroup, method and
     * position; and the same sorted by WaitGroup, method and position */
    struct {
        wg_call *data;
        uint32_t len, cap;
    } calls;
    wg_call *keyed;
    uint32_t key;        /* the WaitGroup being walked for Done */
    uint32_t last_wait;  /* the last Wait reported as waiting before a receive */
    uint32_t done_at[8]; /* returns reported as skipping Done (two go statements, one function) */
    uint32_t ndone_at;
    int oom;
} wg_ctx;

static int by_fn(const void *x, const void *y) {
    const wg_call *a = x, *b = y;
    if (a->fn != b->fn) return a->fn < b->fn ? -1 : 1;
    if (a->key != b->key) return a->key < b->key ? -1 : 1;
    if (a->method != b->method) return a->method < b->method ? -1 : 1;
    return a->pos < b->pos ? -1 : a->pos > b->pos;
}

static int by_key(const void *x, const void *y) {
    const wg_call *a = x, *b = y;
    if (a->key != b->key) return a->key < b->key ? -1 : 1;
    if (a->method != b->method) return a->method < b->method ? -1 : 1;
    return a->pos < b->pos ? -1 : a->pos > b->pos;
}

/* Collects x.Add(n), x.Done() and x.Wait() with a chain of names as x; a
 * Done in `defer func() { ... }()` is a deferred Done of the function
 * around it. */
static void collect_wg_calls(wg_ctx *w) {
    const facts *f = w->f;
    FOR_KIND(f, N(CALL), call) {
        const call_fact *c = call_of(f, call);
        if (!c || c->recv_first == NONE32 || c->name == NONE32) continue;
        int m;
        if (tok_is(f, c->name, "Add") && c->nargs == 1)
            m = M_ADD;
        else if (tok_is(f, c->name, "Done") && c->nargs == 0)
            m = M_DONE;
        else if (tok_is(f, c->name, "Wait") && c->nargs == 0)
            m = M_WAIT;
        else
            continue;
        if (!name_chain(f, c->recv_first, c->recv_last)) continue;
        uint32_t key = lockgraph_key_of(w->g, c->recv_first, c->recv_last);
        if (key == NONE32) continue;
        uint32_t parent = f->nodes[call].parent;
        int deferred = parent != NONE32 && f->nodes[parent].kind == N(DEFER);
        uint32_t fn = walked_fn(f, call);
        uint32_t lit = enclosing_func(f, call);
        if (lit != NONE32 && f->nodes[lit].kind == N(FUNCLIT)) {
            uint32_t lc = f->nodes[lit].parent;
            uint32_t d = lc != NONE32 ? f->nodes[lc].parent : NONE32;
            if (d != NONE32 && f->nodes[d].kind == N(DEFER)) {
                deferred = 1;
                fn = walked_fn(f, d);
            }
        }
        if (fn == NONE32) continue;
        wg_call x = {key, call, fn, f->nodes[call].first, (uint8_t)m, (uint8_t)deferred};
        if (VEC_PUSH(f->alloc, &w->calls, x)) w->oom = 1;
    }
}

/* Keeps the calls on WaitGroups: a key declared sync.WaitGroup, or used
 * with Add, Done and Wait (an errgroup.Group has no Add nor Done, a
 * context no Add); then sorts them both ways. 0, or -1 when out of memory. */
static int keep_waitgroups(wg_ctx *w) {
    const facts *f = w->f;
    wg_call *c = w->calls.data;
    uint32_t n = w->calls.len, kept = 0;
    if (n == 0) return 0;
    qsort(c, n, sizeof *c, by_key);
    for (uint32_t r0 = 0, r1; r0 < n; r0 = r1) {
        unsigned seen = 0;
        int typed = 0, other = 0;
        for (r1 = r0; r1 < n && c[r1].key == c[r0].key; r1++) {
            seen |= 1u << c[r1].method;
            const call_fact *cf = call_of(f, c[r1].node);
            int kind = typeindex_expr_type(w->types, cf->recv_first, cf->recv_last).sync;
            typed |= kind == SK_WAITGROUP;
            other |= kind != SK_WAITGROUP && kind != SK_NONE;
        }
        if (!typed && (other || seen != 7u)) continue;
        memmove(c + kept, c + r0, (r1 - r0) * sizeof *c);
        kept += r1 - r0;
    }
    w->calls.len = kept;
    if (kept == 0) return 0;
    w->keyed = gl_malloc(f->alloc, kept * sizeof *w->keyed);
    if (!w->keyed) return -1;
    memcpy(w->keyed, c, kept * sizeof *c);
    qsort(c, kept, sizeof *c, by_fn);
    return 0;
}

/* The first call of method m on key in function fn with a position in
 * (lo, hi), or NULL: a binary search. */
static const wg_call *find_call(const wg_ctx *w, uint32_t key, int m, uint32_t fn, uint32_t lo,
                                uint32_t hi) {
    wg_call probe = {key, 0, fn, lo == 0 ? 0 : lo + 1, (uint8_t)m, 0};
    uint32_t a = 0, b = w->calls.len;
    while (a < b) {
        uint32_t mid = a + (b - a) / 2;
        if (by_fn(&w->calls.data[mid], &probe) < 0)
            a = mid + 1;
        else
            b = mid;
    }
    if (a == w->calls.len) return NULL;
    const wg_call *x = &w->calls.data[a];
    return x->fn == fn && x->key == key && x->method == m && x->pos < hi ? x : NULL;
}

/* The calls of method m on key, in keyed order: [*first, *last). */
static void key_range(const wg_ctx *w, uint32_t key, int m, uint32_t *first, uint32_t *last) {
    wg_call probe = {key, 0, 0, 0, (uint8_t)m, 0};
    uint32_t a = 0, b = w->calls.len;
    while (a < b) {
        uint32_t mid = a + (b - a) / 2;
        if (by_key(&w->keyed[mid], &probe) < 0)
            a = mid + 1;
        else
            b = mid;
    }
    *first = a;
    while (a < w->calls.len && w->keyed[a].key == key && w->keyed[a].method == m) a++;
    *last = a;
}

/* The calls of function fn: [*first, *last) of the calls. */
static void fn_range(const wg_ctx *w, uint32_t fn, uint32_t *first, uint32_t *last) {
    uint32_t a = 0, b = w->calls.len;
    while (a < b) {
        uint32_t mid = a + (b - a) / 2;
        if (w->calls.data[mid].fn < fn)
            a = mid + 1;
        else
            b = mid;
    }
    *first = a;
    while (a < w->calls.len && w->calls.data[a].fn == fn) a++;
    *last = a;
}

/* The function a go statement runs: its literal, or a function or method
 * of the file. */
static uint32_t go_target(const wg_ctx *w, uint32_t go) {
    const facts *f = w->f;
    if (f->nodes[go].kind == N(CALL)) {
        /* eg.Go(func() error { ... }): a task of a group, a goroutine too */
        uint32_t arg = call_arg(f, go, 0), lit = arg != NONE32 ? expr_node(f, arg) : NONE32;
        return lit != NONE32 && f->nodes[lit].kind == N(FUNCLIT) ? lit : NONE32;
    }
    uint32_t call = f->nodes[go].child;
    if (call == NONE32 || f->nodes[call].kind != N(CALL)) return NONE32;
    uint32_t c = f->nodes[call].child;
    if (c != NONE32 && f->nodes[c].kind == N(FUNCLIT) && f->nodes[c].role == R(NONE)) return c;
    uint32_t k = typeindex_callee(w->types, call);
    return k != NONE32 ? f->by_kind[N(FUNC)].data[k] : NONE32;
}

/* Whether the starter adds, before the go statement at pos, to a WaitGroup
 * of the same field name as add's (b.wg.Add(1) in a constructor where b is
 * a local, s.wg.Add(1) in the goroutine's method). */
static int added_before(const wg_ctx *w, const wg_call *add, uint32_t starter, uint32_t pos) {
    const facts *f = w->f;
    const call_fact *c = call_of(f, add->node);
    if (c->recv_first == c->recv_last) return 0;
    uint32_t a, b;
    fn_range(w, starter, &a, &b);
    for (uint32_t i = a; i < b; i++) {
        const wg_call *x = &w->calls.data[i];
        if (x->method != M_ADD || x->pos >= pos) continue;
        const call_fact *xc = call_of(f, x->node);
        if (xc->recv_first != xc->recv_last && tok_same(f, xc->recv_last, c->recv_last)) return 1;
    }
    return 0;
}

/* Whether a call reports a test failure (t.Error, t.Errorf, t.Fail on a
 * *testing.T, B, F or TB): a path through it hangs only a test that has
 * already failed. */
static int test_failure(const facts *f, const call_fact *c) {
    if (c->recv_first == NONE32 || c->recv_first != c->recv_last || c->name == NONE32) return 0;
    if (!tok_is(f, c->name, "Error") && !tok_is(f, c->name, "Errorf") &&
        !tok_is(f, c->name, "Fail"))
        return 0;
    const var_fact *v = resolve(f, c->recv_first);
    if (!v || v->type_first == NONE32) return 0;
    uint32_t a = v->type_first, l = v->type_last;
    if (f->toks[a].kind == T(MUL)) a++;
    return l == a + 2 && tok_is(f, a, "testing") &&
           (tok_is(f, l, "T") || tok_is(f, l, "B") || tok_is(f, l, "F") || tok_is(f, l, "TB"));
}

/* The key of the WaitGroup a call argument names (wg, &s.wg): NONE32 when
 * it is not a chain of names. */
static uint32_t arg_key(const wg_ctx *w, uint32_t arg) {
    const facts *f = w->f;
    uint32_t a = f->nodes[arg].first, b = f->nodes[arg].last;
    if (f->toks[a].kind == T(AND)) a++;
    return name_chain(f, a, b) ? lockgraph_key_of(w->g, a, b) : NONE32;
}

static int releases_done(const release_query *q, uint32_t call) {
    wg_ctx *w = q->ctx;
    const facts *f = q->f;
    const call_fact *c = call_of(f, call);
    if (!c) return 0;
    if (test_failure(f, c)) return 1;
    if (c->recv_first != NONE32 && c->nargs == 0 && tok_is(f, c->name, "Done") &&
        name_chain(f, c->recv_first, c->recv_last) &&
        lockgraph_key_of(w->g, c->recv_first, c->recv_last) == w->key)
        return 1;
    /* a function of the file that calls Done on it */
    uint32_t k = typeindex_callee(w->types, call);
    if (k != NONE32) {
        uint32_t fn = f->by_kind[N(FUNC)].data[k], a, b;
        key_range(w, w->key, M_DONE, &a, &b);
        for (uint32_t i = a; i < b; i++)
            if (w->keyed[i].pos >= f->nodes[fn].first && w->keyed[i].pos <= f->nodes[fn].last)
                return 1;
    }
    /* the WaitGroup handed on (finish(wg), &s.wg): whoever gets it may call Done */
    for (uint32_t i = 0;; i++) {
        uint32_t arg = call_arg(f, call, i);
        if (arg == NONE32) break;
        if (arg_key(w, arg) == w->key) return 1; /* w->key is never NONE32 */
    }
    return 0;
}

/* cond_absent of the Done walks: `wg != nil` (`wg == nil`) on the walked
 * WaitGroup says there is none to be done where it is false (true): a
 * goroutine handed a nil WaitGroup counts for no one. */
static int waitgroup_nil_test(const release_query *q, uint32_t cond) {
    const wg_ctx *w = q->ctx;
    const facts *f = q->f;
    uint32_t a = f->nodes[cond].first, b = f->nodes[cond].last;
    if (b < a + 2 || !tok_is(f, b, "nil")) return 0;
    int op = f->toks[b - 1].kind;
    if ((op != T(NEQ) && op != T(EQL)) || !name_chain(f, a, b - 2) ||
        lockgraph_key_of(w->g, a, b - 2) != w->key)
        return 0;
    return op == T(NEQ) ? -1 : 1;
}

static void report_add_inside(wg_ctx *w, uint32_t go, const wg_call *add, const wg_call *wait) {
    const facts *f = w->f;
    char what[64];
    recv_text(f, add->node, what, sizeof what);
    check_report_node(w->chk, add->node,
                      "`%s.Add()` runs inside the goroutine started at line %u, which the "
                      "`%s.Wait()` at line %u waits for: Wait can run first, see a zero count "
                      "and return while the goroutine still works (or wait for Adds that come "
                      "later); call Add before the `go` statement",
                      what, (unsigned)tok_line(f, f->nodes[go].first), what,
                      (unsigned)tok_line(f, f->nodes[wait->node].first));
}

/* Done skipped on some path of a goroutine that Add counted. */
/* Whether call c is a statement followed by a return in its list: in a
 * loop, it runs once, as the function leaves (wg.Done(); return). */
static int leaves_after(const facts *f, uint32_t c) {
    uint32_t s = f->nodes[c].parent;
    if (s == NONE32 || f->nodes[s].kind != N(EXPRSTMT)) return 0;
    uint32_t next = f->nodes[s].next;
    return next != NONE32 && f->nodes[next].kind == N(RETURN);
}

static void check_done_paths(wg_ctx *w, uint32_t go, uint32_t target, uint32_t key,
                             const wg_call *wait) {
    const facts *f = w->f;
    uint32_t a, b;
    fn_range(w, target, &a, &b);
    /* a goroutine that calls Done once per item it handles (in a loop) counts
     * work, not itself */
    int own = 0;
    for (uint32_t i = a; i < b; i++) {
        const wg_call *x = &w->calls.data[i];
        if (x->key != key || x->method != M_DONE) continue;
        /* a deferred Done covers the paths after its defer only (a return
         * before `defer wg.Done()` skips it) */
        if (x->deferred || loop_around(f, x->node) == NONE32 || leaves_after(f, x->node)) own = 1;
    }
    if (!own) return;
    uint32_t body = func_body(f, target);
    if (body == NONE32) return;
    w->key = key;
    release_query q = {.f = f,
                       .is_release = releases_done,
                       .ctx = w,
                       .loop = NONE32,
                       .cond = NONE32,
                       .cond_absent = waitgroup_nil_test};
    uint32_t at;
    int leak = release_check_body(&q, body, &at);
    if (leak == LEAK_NONE) return;
    if (leak == LEAK_RETURN) {
        for (uint32_t i = 0; i < w->ndone_at; i++)
            if (w->done_at[i] == at) return;
        if (w->ndone_at < sizeof w->done_at / sizeof *w->done_at) w->done_at[w->ndone_at++] = at;
    }
    char what[64];
    recv_text(f, wait->node, what, sizeof what);
    if (leak == LEAK_RETURN)
        check_report_node(w->chk, at,
                          "this return ends the goroutine (started at line %u) without "
                          "`%s.Done()`: the `%s.Wait()` at line %u waits for it forever; "
                          "`defer %s.Done()` first in the goroutine",
                          (unsigned)tok_line(f, f->nodes[go].first), what, what,
                          (unsigned)tok_line(f, f->nodes[wait->node].first), what);
    else
        check_report_node(w->chk, go,
                          "the goroutine started here can end without calling `%s.Done()` (it "
                          "is called on some paths only): the `%s.Wait()` at line %u then "
                          "waits forever; `defer %s.Done()` first in the goroutine",
                          what, what, (unsigned)tok_line(f, f->nodes[wait->node].first), what);
}

/* Whether channel v, a local of the starter, is received from before
 * token `before` outside the goroutine (lit), by the goroutine itself
 * (its copies pair up), or may be by someone else:
 * used in another function literal, passed (close aside), returned or
 * stored. */
static int drained_before(const facts *f, const var_fact *v, uint32_t lit, uint32_t starter,
                          uint32_t before) {
    uint32_t end = v->scope_end;
    for (uint32_t u = next_use(f, v, v->name, end); u != NONE32; u = next_use(f, v, u, end)) {
        use_info ui;
        q_use(f, u, &ui);
        if (u >= f->nodes[lit].first && u <= f->nodes[lit].last) {
            /* goroutines that receive from it too pair up among themselves */
            if (ui.kind == GOLEAK_USE_RECEIVE || ui.kind == GOLEAK_USE_RANGE) return 1;
            continue;
        }
        if ((ui.kind == GOLEAK_USE_RECEIVE || ui.kind == GOLEAK_USE_RANGE) && u < before) return 1;
        /* a close receives nothing, wherever it is (a closer goroutine that
         * waits, then closes) */
        if (ui.kind == GOLEAK_USE_ARG && call_is_func(f, call_of(f, ui.node), "close")) continue;
        if (ui.node != NONE32 && enclosing_func(f, ui.node) != starter) return 1;
        if (use_hands_on(&ui) || (ui.flags & (GOLEAK_USE_CAPTURED | GOLEAK_USE_GOROUTINE)))
            return 1;
    }
    return 0;
}

/* The send of function literal lit (before token `before`: its Done) on an
 * unbuffered channel that starter made before token `start` and receives
 * from only after token `wait` (with nobody else to receive meanwhile);
 * NONE32. */
static uint32_t send_stuck_past_wait(const facts *f, uint32_t lit, uint32_t starter, uint32_t start,
                                     uint32_t before, uint32_t wait) {
    FOR_KIND_IN(f, N(SEND), s, f->nodes[lit].first, f->nodes[lit].last) {
        if (f->nodes[s].role == R(COMM) || enclosing_func(f, s) != lit) continue;
        if (f->nodes[s].first > before) continue;
        uint32_t ch = f->nodes[s].first;
        if (ch + 1 != f->nodes[s].key) continue;
        const var_fact *v = resolve(f, ch);
        if (!v || v->func != starter || !(v->flags & VF_MADE) || v->chan_cap != 0) continue;
        if (v->name > start || drained_before(f, v, lit, starter, wait)) continue;
        return s;
    }
    return NONE32;
}

/* Reports Wait call `wait`, which waits for the task started at node
 * `start` whose send s (before `until`) waits for a receive after the Wait. */
static void report_wait_before_receive(goleak_check *chk, const facts *f, uint32_t wait,
                                       uint32_t start, uint32_t s, const char *until) {
    char what[64], name[48];
    uint32_t ch = f->nodes[s].first;
    recv_text(f, wait, what, sizeof what);
    snippet(f, ch, ch, name, sizeof name);
    check_report_node(chk, wait,
                      "`%s.Wait()` waits for the goroutine started at line %u, which sends on "
                      "unbuffered `%s` (line %u) before %s, but `%s` is received only after "
                      "this Wait: the send never completes and neither does the Wait; receive "
                      "while waiting (wait in a goroutine that then closes `%s`), or make `%s` "
                      "buffered with room for every value",
                      what, (unsigned)tok_line(f, f->nodes[start].first), name,
                      (unsigned)tok_line(f, f->nodes[s].first), until, name, name, name);
}

/* Tasks handed to x.Go(func() ...) (an errgroup.Group, a pool) that send on
 * an unbuffered channel the starter receives from only after x.Wait(): the
 * Wait waits for the tasks, the tasks for the receive. */
static void check_group_waits(goleak_check *chk, const facts *f) {
    uint32_t last_fn = NONE32, last_go = NONE32, wait = NONE32;
    FOR_KIND(f, N(CALL), call) {
        const call_fact *c = call_of(f, call);
        if (!c || c->nargs != 1 || c->recv_first == NONE32 || c->name == NONE32 ||
            !tok_is(f, c->name, "Go"))
            continue;
        uint32_t arg = call_arg(f, call, 0), lit = arg != NONE32 ? expr_node(f, arg) : NONE32;
        uint32_t fn = enclosing_func(f, call);
        if (lit == NONE32 || f->nodes[lit].kind != N(FUNCLIT) || fn == NONE32) continue;
        /* the group's first Wait after the Go, in fn's own statements (the
         * Go calls of one group come in a row: one search for them) */
        if (fn != last_fn || last_go == NONE32 ||
            !toks_same(f, c->recv_first, c->recv_last, call_of(f, last_go)->recv_first,
                       call_of(f, last_go)->recv_last) ||
            (wait != NONE32 && f->nodes[wait].first < f->nodes[call].last)) {
            wait = NONE32;
            FOR_KIND_IN(f, N(CALL), w, f->nodes[call].last + 1, f->nodes[fn].last) {
                const call_fact *wc = call_of(f, w);
                uint32_t parent = f->nodes[w].parent;
                if (!wc || wc->nargs != 0 || wc->name == NONE32 || !tok_is(f, wc->name, "Wait") ||
                    enclosing_func(f, w) != fn || wc->recv_first == NONE32 ||
                    !toks_same(f, wc->recv_first, wc->recv_last, c->recv_first, c->recv_last))
                    continue;
                if (parent == NONE32 || f->nodes[parent].kind != N(DEFER)) wait = w;
                break;
            }
            last_fn = fn;
        }
        last_go = call;
        if (wait == NONE32) continue;
        uint32_t s = send_stuck_past_wait(f, lit, fn, f->nodes[call].first, UINT32_MAX,
                                          f->nodes[wait].first);
        if (s == NONE32) continue;
        report_wait_before_receive(chk, f, wait, call, s, "it returns");
        wait = NONE32; /* once per Wait */
        last_go = NONE32;
    }
}

/* A counted goroutine (function literal lit) that sends on an unbuffered
 * channel of its starter before its Done, while the starter Waits before it
 * receives from the channel: the send never completes, so neither does the
 * Wait. */
static void check_wait_before_receive(wg_ctx *w, uint32_t go, uint32_t lit, uint32_t starter,
                                      const wg_call *wait) {
    const facts *f = w->f;
    if (f->nodes[lit].kind != N(FUNCLIT) || wait->deferred || wait->node == w->last_wait ||
        enclosing_func(f, wait->node) != starter)
        return;
    /* the goroutine's Done: deferred, or the last one's position */
    int done_deferred = 0;
    uint32_t done_pos = 0, a, b;
    fn_range(w, lit, &a, &b);
    for (uint32_t i = a; i < b; i++) {
        const wg_call *x = &w->calls.data[i];
        if (x->key != wait->key || x->method != M_DONE) continue;
        done_deferred |= x->deferred;
        if (x->pos > done_pos) done_pos = x->pos;
    }
    uint32_t s = send_stuck_past_wait(f, lit, starter, f->nodes[go].first,
                                      done_deferred ? UINT32_MAX : done_pos, wait->pos);
    if (s == NONE32) return;
    report_wait_before_receive(w->chk, f, wait->node, go, s, "its Done");
    w->last_wait = wait->node;
}

/* A Wait on key in a goroutine literal that function starter starts after
 * token pos (go func() { wg.Wait(); close(done) }()): the starter waits
 * through it. NULL when there is none. */
static const wg_call *wait_in_waiter(const wg_ctx *w, uint32_t key, uint32_t starter,
                                     uint32_t pos) {
    const facts *f = w->f;
    uint32_t a, b;
    key_range(w, key, M_WAIT, &a, &b);
    for (uint32_t i = a; i < b; i++) {
        const wg_call *x = &w->keyed[i];
        uint32_t lit = x->fn, call = f->nodes[lit].parent;
        if (x->deferred || x->pos <= pos || f->nodes[lit].kind != N(FUNCLIT) ||
            enclosing_func(f, lit) != starter || call == NONE32)
            continue;
        /* go func() { x.Wait(); ... }(), or a group's task eg.Go(func() ...) */
        int started =
            f->nodes[call].parent != NONE32 && f->nodes[f->nodes[call].parent].kind == N(GO);
        if (!started && f->nodes[call].role == R(ARG)) {
            const call_fact *gc = call_of(f, f->nodes[call].parent);
            started =
                gc && gc->recv_first != NONE32 && gc->name != NONE32 && tok_is(f, gc->name, "Go");
        }
        if (started) return x;
    }
    return NULL;
}

/* The goroutine started by go: an Add inside it, a Done it can skip. */
/* The starter's key for WaitGroup call x of the goroutine's function
 * target: x's own, or, when x is on a parameter of target (wg.Done() of
 * func worker(wg *sync.WaitGroup)), the key of what the go statement
 * passes for it (go worker(&wg)). */
static uint32_t starter_key(const wg_ctx *w, uint32_t go, uint32_t target, const wg_call *x) {
    const facts *f = w->f;
    const call_fact *c = call_of(f, x->node);
    const var_fact *p = c->recv_first == c->recv_last ? resolve(f, c->recv_first) : NULL;
    if (!p || !(p->flags & VF_PARAM) || p->func != target || f->nodes[target].kind != N(FUNC))
        return x->key;
    uint32_t pos = param_pos(f, target, (uint32_t)(p - f->vars.data));
    uint32_t arg = pos != NONE32 ? call_arg(f, f->nodes[go].child, pos) : NONE32;
    uint32_t k = arg != NONE32 ? arg_key(w, arg) : NONE32;
    return k != NONE32 ? k : x->key;
}

static void check_goroutine(wg_ctx *w, uint32_t go) {
    const facts *f = w->f;
    uint32_t target = go_target(w, go), starter = walked_fn(f, go);
    if (target == NONE32 || starter == NONE32) return;
    uint32_t pos = f->nodes[go].first, a, b;
    fn_range(w, target, &a, &b);
    for (uint32_t i = a; i < b; i++) {
        const wg_call *x = &w->calls.data[i];
        if (x->method == M_WAIT) continue;
        /* the first Add and the first Done of each WaitGroup in the goroutine */
        if (i > a && w->calls.data[i - 1].key == x->key && w->calls.data[i - 1].method == x->method)
            continue;
        uint32_t skey = x->method == M_DONE ? starter_key(w, go, target, x) : x->key;
        const wg_call *wait = find_call(w, skey, M_WAIT, starter, pos, UINT32_MAX);
        if (!wait && x->method == M_DONE) wait = wait_in_waiter(w, skey, starter, pos);
        const wg_call *before = find_call(w, skey, M_ADD, starter, 0, pos);
        if (x->method == M_ADD) {
            /* the goroutine counts itself: its own Done, not only one of a
             * goroutine it starts after the Add (which is the right order) */
            if (before || !find_call(w, x->key, M_DONE, target, 0, UINT32_MAX) ||
                added_before(w, x, starter, pos))
                continue;
            /* a Wait that can see zero: no Add of its own function before it
             * (an Add there keeps the count above zero while workers add
             * more, as a work queue does) */
            uint32_t ka, kb;
            key_range(w, x->key, M_WAIT, &ka, &kb);
            for (uint32_t j = ka; j < kb; j++) {
                const wg_call *y = &w->keyed[j];
                if (y->fn == target || (y->fn == starter && y->pos < pos)) continue;
                if (find_call(w, x->key, M_ADD, y->fn, 0, y->pos)) continue;
                report_add_inside(w, go, x, y);
                break;
            }
        } else if (wait && (before || added_before(w, x, starter, pos))) {
            check_done_paths(w, go, target, x->key, wait);
            check_wait_before_receive(w, go, target, starter, wait);
        }
    }
}

/* The first loop of the Add's function after it whose rounds the Add's
 * argument counts: x.Add(len(X)) before `range X` or `i < len(X)`,
 * x.Add(n) before `i < n` or `range n`. NONE32. */
static uint32_t counted_loop(const wg_ctx *w, const wg_call *add) {
    const facts *f = w->f;
    uint32_t arg = call_arg(f, add->node, 0);
    if (arg == NONE32 || enclosing_func(f, add->node) != add->fn) return NONE32;
    uint32_t a = f->nodes[arg].first, b = f->nodes[arg].last;
    const call_fact *len = call_of(f, expr_node(f, arg));
    int counts_len = len && call_is_func(f, len, "len") && len->nargs == 1;
    if (counts_len) {
        uint32_t coll = call_arg(f, len->node, 0);
        if (coll == NONE32) return NONE32;
        a = f->nodes[coll].first;
        b = f->nodes[coll].last;
    }
    if (!name_chain(f, a, b) && const_value(f, a, b) < 2) return NONE32;
    uint32_t from = f->nodes[add->node].last, to = f->nodes[add->fn].last, best = NONE32;
    for (int k = 0; k < 2; k++) {
        FOR_KIND_IN(f, k ? N(RANGE) : N(FOR), lp, from, to) {
            loop_bound lb;
            if (enclosing_func(f, lp) != add->fn || !loop_bound_of(f, lp, &lb) || lb.less ||
                !toks_same(f, lb.a, lb.b, a, b))
                continue;
            if (!counts_len && lb.range && f->nodes[lp].kind != N(RANGE)) continue;
            if (best == NONE32 || f->nodes[lp].first < f->nodes[best].first) best = lp;
            break;
        }
    }
    return best;
}

/* The one go statement of loop lp's body in function fn, when its
 * goroutine calls Done on WaitGroup key; *target receives the goroutine's
 * function. NONE32 when there is none, or more than one. */
static uint32_t sole_done_go(wg_ctx *w, uint32_t lp, uint32_t fn, uint32_t key, uint32_t *target) {
    const facts *f = w->f;
    uint32_t go = NONE32, n = 0;
    FOR_KIND_IN(f, N(GO), g, f->nodes[lp].first, f->nodes[lp].last) {
        if (enclosing_func(f, g) == fn) go = g, n++;
    }
    *target = go != NONE32 ? go_target(w, go) : NONE32;
    if (n != 1 || *target == NONE32 || !find_call(w, key, M_DONE, *target, 0, UINT32_MAX))
        return NONE32;
    return go;
}

/* The one send of loop lp's body (not in a select) on a channel that
 * workers of the Add's function range over, calling Done once per item
 * received (go worker(items, wg) { for p := range items { ...; wg.Done() }
 * }): the unit the Add counted. NONE32 otherwise. */
static uint32_t item_send_to_done_workers(wg_ctx *w, uint32_t lp, const wg_call *add) {
    const facts *f = w->f;
    uint32_t send = NONE32, n = 0;
    FOR_KIND_IN(f, N(SEND), s, f->nodes[lp].first, f->nodes[lp].last) {
        if (enclosing_func(f, s) == add->fn && f->nodes[s].role != R(COMM)) send = s, n++;
    }
    if (n != 1) return NONE32;
    uint32_t ch = child_by_role(f, send, R(CHAN)), tok;
    const var_fact *v = ch != NONE32 && expr_ident(f, ch, &tok) ? resolve(f, tok) : NULL;
    if (!v) return NONE32;
    FOR_KIND_IN(f, N(GO), g, f->nodes[add->fn].first, f->nodes[add->fn].last) {
        uint32_t target = go_target(w, g);
        if (walked_fn(f, g) != add->fn || target == NONE32) continue;
        const var_fact *in = channel_in_goroutine(f, g, target, v);
        if (!in) continue;
        /* a Done of the Add's WaitGroup inside the worker's range over in */
        uint32_t a, b;
        fn_range(w, target, &a, &b);
        for (uint32_t i = a; i < b; i++) {
            const wg_call *d = &w->calls.data[i];
            if (d->method != M_DONE || starter_key(w, g, target, d) != add->key) continue;
            for (uint32_t lp2 = loop_around(f, d->node); lp2 != NONE32; lp2 = loop_around(f, lp2)) {
                uint32_t x = f->nodes[lp2].kind == N(RANGE) ? child_by_role(f, lp2, R(X)) : NONE32;
                if (x != NONE32 && expr_ident(f, x, &tok) && resolve(f, tok) == in) return send;
            }
        }
    }
    return NONE32;
}

/* Reports the first continue (or break out of loop lp) of the Add's
 * function between token `from` and go statement go: it skips the
 * goroutine the Add counted (`counted` says how), and the Wait waits
 * forever; fix names the remedy. */
static void report_skip(wg_ctx *w, const wg_call *add, const wg_call *wait, uint32_t lp,
                        uint32_t from, uint32_t go, const char *counted, const char *fix) {
    const facts *f = w->f;
    FOR_KIND_IN(f, N(BRANCH), br, from, f->nodes[go].first) {
        int kw = f->toks[f->nodes[br].first].kind;
        if ((kw != T(CONTINUE) && kw != T(BREAK)) || enclosing_func(f, br) != add->fn ||
            branch_target(f, br) != lp)
            continue;
        char what[64], count[64];
        recv_text(f, add->node, what, sizeof what);
        uint32_t arg = call_arg(f, add->node, 0);
        snippet(f, f->nodes[arg].first, f->nodes[arg].last, count, sizeof count);
        check_report_node(w->chk, br,
                          "this `%s` skips the %s (line %u) whose `%s.Done()` the "
                          "`%s.Add(%s)` at line %u counted%s: `%s.Wait()` at line %u then waits "
                          "forever; %s",
                          kw == T(CONTINUE) ? "continue" : "break",
                          f->nodes[go].kind == N(SEND) ? "item sent to the workers" : "goroutine",
                          (unsigned)tok_line(f, f->nodes[go].first), what, what, count,
                          (unsigned)tok_line(f, f->nodes[add->node].first), counted, what,
                          (unsigned)tok_line(f, f->nodes[wait->node].first), fix);
        return;
    }
}

/* x.Add(N) counting every round of a loop, with x.Wait() inside the loop
 * after the round's one go statement: the first round waits for N
 * goroutines while only one has started, so it waits forever (the loop
 * that was meant to wait once, after it). */
static void check_wait_in_counted_loop(wg_ctx *w, const wg_call *add, uint32_t lp) {
    const facts *f = w->f;
    uint32_t a = f->nodes[lp].first, b = f->nodes[lp].last, target;
    const wg_call *wait = find_call(w, add->key, M_WAIT, add->fn, a, b);
    uint32_t go = wait ? sole_done_go(w, lp, add->fn, add->key, &target) : NONE32;
    if (go == NONE32 || wait->pos < f->nodes[go].last ||
        find_call(w, add->key, M_ADD, add->fn, a, b) ||
        find_call(w, add->key, M_DONE, add->fn, a, b))
        return;
    char what[64], count[64];
    recv_text(f, add->node, what, sizeof what);
    uint32_t arg = call_arg(f, add->node, 0);
    snippet(f, f->nodes[arg].first, f->nodes[arg].last, count, sizeof count);
    check_report_node(w->chk, wait->node,
                      "`%s.Wait()` runs inside the loop: its first round waits for all "
                      "%s goroutines that `%s.Add(%s)` at line %u counted, but only that "
                      "round's goroutine (line %u) has started, so it waits forever; call "
                      "Wait once, after the loop",
                      what, count, what, count, (unsigned)tok_line(f, f->nodes[add->node].first),
                      (unsigned)tok_line(f, f->nodes[go].first));
}

/* x.Add(len(items)) counting one goroutine per element of a range loop
 * over items, whose body can `continue` (or break out) before the go
 * statement, with no x.Done() of its own: the skipped elements are never
 * done, and x.Wait() after the loop waits forever. */
static void check_counted_loops(wg_ctx *w) {
    const facts *f = w->f;
    for (uint32_t i = 0; i < w->calls.len; i++) {
        const wg_call *add = &w->calls.data[i];
        if (add->method != M_ADD || add->deferred) continue;
        uint32_t rg = counted_loop(w, add);
        if (rg == NONE32) continue;
        check_wait_in_counted_loop(w, add, rg);
        const wg_call *wait =
            find_call(w, add->key, M_WAIT, add->fn, f->nodes[rg].last, UINT32_MAX);
        if (!wait) continue;
        /* one go statement in the body, whose goroutine calls Done; or one
         * send of the item to workers that call Done per item received */
        uint32_t target, go = sole_done_go(w, rg, add->fn, add->key, &target);
        if (go == NONE32) go = item_send_to_done_workers(w, rg, add);
        if (go == NONE32) continue;
        /* the loop's own Done or Add (an element given up is done) */
        if (find_call(w, add->key, M_DONE, add->fn, f->nodes[rg].first, f->nodes[rg].last) ||
            find_call(w, add->key, M_ADD, add->fn, f->nodes[rg].first, f->nodes[rg].last))
            continue;
        char fix[256];
        char what[64];
        recv_text(f, add->node, what, sizeof what);
        snprintf(fix, sizeof fix,
                 "call `%s.Done()` before it, or `%s.Add(1)` right before each go statement", what,
                 what);
        report_skip(w, add, wait, rg, f->nodes[rg].first, go, " for every round", fix);
    }
}

/* x.Add(1) in a loop body before a `continue` (or a break out of the loop)
 * that skips the one go statement of the body, whose goroutine calls
 * Done: that iteration's count is never done, and x.Wait() after the loop
 * waits forever. */
static void check_add_then_skip(wg_ctx *w) {
    const facts *f = w->f;
    for (uint32_t i = 0; i < w->calls.len; i++) {
        const wg_call *add = &w->calls.data[i];
        if (add->method != M_ADD || add->deferred) continue;
        uint32_t arg = call_arg(f, add->node, 0);
        uint32_t lp = loop_around(f, add->node);
        if (arg == NONE32 || lp == NONE32 || enclosing_func(f, lp) != add->fn ||
            const_value(f, f->nodes[arg].first, f->nodes[arg].last) != 1)
            continue;
        const wg_call *wait =
            find_call(w, add->key, M_WAIT, add->fn, f->nodes[lp].last, UINT32_MAX);
        if (!wait) continue;
        /* the one go statement of the body, after the Add, whose goroutine is done */
        uint32_t target, go = sole_done_go(w, lp, add->fn, add->key, &target);
        if (go == NONE32 || f->nodes[go].first < f->nodes[add->node].last ||
            loop_around(f, go) != lp ||
            find_call(w, add->key, M_DONE, add->fn, f->nodes[add->node].last, f->nodes[go].first))
            continue;
        char fix[256], what[64];
        recv_text(f, add->node, what, sizeof what);
        snprintf(fix, sizeof fix, "call `%s.Add(1)` right before the go statement", what);
        report_skip(w, add, wait, lp, f->nodes[add->node].last, go, "", fix);
    }
}

/* Whether go statement g, in function fn, starts a goroutine that calls
 * Done on the WaitGroup of key. */
static int go_counts_down(const wg_ctx *w, uint32_t g, uint32_t fn, uint32_t key) {
    uint32_t target = go_target(w, g);
    return walked_fn(w->f, g) == fn && target != NONE32 &&
           find_call(w, key, M_DONE, target, 0, UINT32_MAX);
}

/* Whether w->calls i and j are Adds on the same WaitGroup in the same
 * function (one run of Adds). */
static int same_add_run(const wg_ctx *w, uint32_t i, uint32_t j) {
    const wg_call *a = &w->calls.data[i], *b = &w->calls.data[j];
    return a->method == M_ADD && b->method == M_ADD && a->key == b->key && a->fn == b->fn;
}

/* x.Add(K) (K >= 2, a constant) that counts the K go statements after it
 * in its block, whose goroutines call x.Done(), when one of them starts
 * only under an `if` (and no x.Done() of the function stands in for it):
 * where the condition fails, fewer goroutines start than were counted
 * and x.Wait() waits forever (containerd's shim, Add(2) with stderr
 * copied only without a terminal). Reported at the if. */
static void check_add_count_conditional(wg_ctx *w) {
    const facts *f = w->f;
    for (uint32_t i = 0; i < w->calls.len; i++) {
        const wg_call *add = &w->calls.data[i];
        if (add->method != M_ADD || add->deferred) continue;
        uint32_t arg = call_arg(f, add->node, 0);
        long long k = arg != NONE32 ? const_value(f, f->nodes[arg].first, f->nodes[arg].last) : -1;
        uint32_t st = stmt_of(f, add->node), block = st != NONE32 ? f->nodes[st].parent : NONE32;
        if (k < 2 || k > 16 || block == NONE32 || enclosing_func(f, add->node) != add->fn) continue;
        uint32_t wa, wb;
        key_range(w, add->key, M_WAIT, &wa, &wb);
        if (wa == wb) continue;
        long long n = 0;
        uint32_t cond = NONE32;
        FOR_KIND_IN(f, N(GO), g, f->nodes[st].last, f->nodes[block].last) {
            if (!go_counts_down(w, g, add->fn, add->key)) continue;
            if (loop_around(f, g) != loop_around(f, st)) {
                n = -1; /* started once per round: not a count of statements */
                break;
            }
            n++;
            /* the outermost if between the block and the go statement */
            for (uint32_t p = f->nodes[g].parent; p != NONE32 && p != block; p = f->nodes[p].parent)
                if (f->nodes[p].kind == N(IF) && cond == NONE32) cond = p;
        }
        if (n != k || cond == NONE32 ||
            find_call(w, add->key, M_DONE, add->fn, f->nodes[st].last, f->nodes[block].last) ||
            find_call(w, add->key, M_ADD, add->fn, f->nodes[st].last, f->nodes[block].last))
            continue;
        char what[64];
        recv_text(f, add->node, what, sizeof what);
        check_report_node(w->chk, cond,
                          "`%s.Add(%lld)` at line %u counts the goroutine this `if` starts, but "
                          "when its condition is false that goroutine never starts and never "
                          "calls `%s.Done()`: `%s.Wait()` (line %u) then waits forever; call "
                          "`%s.Add(1)` right before each go statement",
                          what, k, (unsigned)tok_line(f, f->nodes[add->node].first), what, what,
                          (unsigned)tok_line(f, f->nodes[w->keyed[wa].node].first), what);
    }
}

/* Whether function fn spells WaitGroup chain [a, b] (its first Add's
 * receiver) only in x.Add(...), x.Wait() and, inside go statements,
 * x.Done() calls: no method value (wg.Done handed on), no argument, no
 * Done in a callback, so the go statements are all that count down. */
static int waitgroup_only_counted(const facts *f, uint32_t fn, uint32_t a, uint32_t b) {
    uint32_t len = b - a, ntok = f->u->toks.len;
    for (uint32_t t = f->nodes[fn].first; t + len <= f->nodes[fn].last; t++) {
        if (f->toks[t].hash != f->toks[a].hash || (t > 0 && f->toks[t - 1].kind == T(PERIOD)) ||
            !toks_same(f, t, t + len, a, b))
            continue;
        const var_fact *v = len == 0 ? resolve(f, t) : NULL;
        if (v && v->name == t) continue; /* its declaration */
        uint32_t m = t + len + 2;
        if (m + 1 >= ntok || f->toks[t + len + 1].kind != T(PERIOD) ||
            f->toks[m + 1].kind != T(LPAREN))
            return 0;
        if (tok_is(f, m, "Add") || tok_is(f, m, "Wait")) continue;
        if (!tok_is(f, m, "Done")) return 0;
        /* in a go statement of fn itself */
        uint32_t g = node_at(f, t);
        while (g != NONE32 && g != fn && f->nodes[g].kind != N(GO)) g = f->nodes[g].parent;
        if (g == NONE32 || g == fn || walked_fn(f, g) != fn) return 0;
    }
    return 1;
}

/* Constant x.Add(n) statements of one function body (not in loops nor
 * branches) adding up to more than the go statements of that body whose
 * goroutines call x.Done(), with no x.Done() of the function's own: an
 * Add counts a goroutine that is never started, and x.Wait() waits
 * forever (alertmanager's stray wg.Add(1) before two maintenance
 * goroutines). Reported at the first Add not followed by a go statement
 * before the next Add. */
static void check_adds_outnumber_goroutines(wg_ctx *w) {
    const facts *f = w->f;
    for (uint32_t i = 0; i < w->calls.len; i++) {
        const wg_call *first = &w->calls.data[i];
        if (first->method != M_ADD || (i > 0 && same_add_run(w, i - 1, i))) continue;
        uint32_t fn = first->fn, body = func_body(f, fn), wa, wb;
        key_range(w, first->key, M_WAIT, &wa, &wb);
        const call_fact *fc = call_of(f, first->node);
        if (body == NONE32 || wa == wb || find_call(w, first->key, M_DONE, fn, 0, UINT32_MAX) ||
            !waitgroup_only_counted(f, fn, fc->recv_first, fc->recv_last))
            continue;
        /* every Done of the file runs in a go statement of fn */
        uint32_t da, db;
        key_range(w, first->key, M_DONE, &da, &db);
        int elsewhere = da == db;
        for (uint32_t d = da; d < db && !elsewhere; d++) {
            uint32_t g = w->keyed[d].node;
            while (g != NONE32 && f->nodes[g].kind != N(GO)) g = f->nodes[g].parent;
            elsewhere = g == NONE32 || walked_fn(f, g) != fn;
        }
        if (elsewhere) continue;
        long long sum = 0;
        int plain = 1;
        const wg_call *spare = NULL;
        for (uint32_t j = i; j < w->calls.len && plain; j++) {
            const wg_call *a = &w->calls.data[j];
            if (!same_add_run(w, i, j)) break;
            uint32_t arg = call_arg(f, a->node, 0), st = stmt_of(f, a->node);
            long long k =
                arg != NONE32 ? const_value(f, f->nodes[arg].first, f->nodes[arg].last) : -1;
            if (k < 1 || a->deferred || st == NONE32 || f->nodes[st].parent != body) plain = 0;
            sum += k;
            /* the go statement right after it, before the next Add */
            uint32_t next = j + 1 < w->calls.len && same_add_run(w, j, j + 1)
                                ? w->calls.data[j + 1].pos
                                : f->nodes[body].last;
            int started = 0;
            FOR_KIND_IN(f, N(GO), g, a->pos, next) {
                if (go_counts_down(w, g, fn, a->key)) started = 1;
            }
            if (!started && !spare) spare = a;
        }
        if (!plain || !spare) continue;
        long long n = 0;
        FOR_KIND_IN(f, N(GO), g, f->nodes[body].first, f->nodes[body].last) {
            if (!go_counts_down(w, g, fn, first->key)) continue;
            if (f->nodes[g].parent != body) {
                n = -1; /* started under a condition or in a loop: not counted here */
                break;
            }
            n++;
        }
        if (n < 1 || sum <= n) continue;
        char what[64];
        recv_text(f, spare->node, what, sizeof what);
        check_report_node(w->chk, spare->node,
                          "the Adds of this function count %lld goroutines, but it starts only "
                          "%lld that call `%s.Done()`, and this Add is followed by none: the count "
                          "never reaches zero and `%s.Wait()` (line %u) waits forever; remove "
                          "it, or add right before each go statement",
                          sum, n, what, what,
                          (unsigned)tok_line(f, f->nodes[w->keyed[wa].node].first));
    }
}

/* Whether the file calls x.Wait() at all: most files have no WaitGroup. */
static int any_wait(const facts *f) {
    FOR_KIND(f, N(CALL), call) {
        const call_fact *c = call_of(f, call);
        if (c && c->recv_first != NONE32 && c->nargs == 0 && tok_is(f, c->name, "Wait")) return 1;
    }
    return 0;
}

/* ---- a WaitGroup passed by value ---- */

/* Whether type tokens [a, b] are sync.WaitGroup (under the import's name). */
static int waitgroup_type(const facts *f, uint32_t a, uint32_t b) {
    return b == a + 2 && f->toks[a + 1].kind == T(PERIOD) && ident_pkg(f, a) == PKG_SYNC &&
           tok_is(f, b, "WaitGroup");
}

/* Reports each parameter of type sync.WaitGroup (not a pointer) whose
 * function calls Add, Done or Wait on it: those count a copy, never the
 * caller's WaitGroup, so the caller's Wait never returns (or returns at
 * once). Once per parameter, at its declaration. */
static void check_waitgroup_copies(goleak_check *chk, const facts *f) {
    FOR_KIND(f, N(FIELD), fl) {
        uint32_t fn = f->nodes[fl].parent;
        if (f->nodes[fl].role != R(PARAM) || fn == NONE32 ||
            (f->nodes[fn].kind != N(FUNC) && f->nodes[fn].kind != N(FUNCLIT)))
            continue;
        uint32_t t = child_by_role(f, fl, R(TYPE));
        if (t == NONE32 || !waitgroup_type(f, f->nodes[t].first, f->nodes[t].last)) continue;
        for (uint32_t i = f->nodes[fl].first; i < f->nodes[t].first; i++) {
            const var_fact *v = f->toks[i].kind == T(IDENT) ? resolve(f, i) : NULL;
            if (!v || v->name != i) continue;
            uint32_t end = v->scope_end, used = NONE32;
            for (uint32_t u = next_use(f, v, i, end); u != NONE32 && used == NONE32;
                 u = next_use(f, v, u, end)) {
                use_info ui;
                q_use(f, u, &ui);
                if (ui.kind == GOLEAK_USE_SELECT && ui.node != NONE32 &&
                    (tok_is(f, ui.index, "Done") || tok_is(f, ui.index, "Add") ||
                     tok_is(f, ui.index, "Wait")))
                    used = u;
            }
            if (used == NONE32) continue;
            char name[64], method[16];
            snippet(f, i, i, name, sizeof name);
            snippet(f, used + 2, used + 2, method, sizeof method);
            check_report_node(chk, fl,
                              "`%s` is a sync.WaitGroup passed by value: `%s.%s()` (line %u) "
                              "counts a copy, not the caller's WaitGroup, so the caller's Wait "
                              "never sees it (and waits forever for a Done); take a "
                              "*sync.WaitGroup",
                              name, name, method, (unsigned)tok_line(f, used));
        }
    }
}

/* Whether call runs on the object whose WaitGroup chain starts at token
 * wg_first (p.Stop() for p.wg), or is a plain call (a package-level
 * WaitGroup): the callee's WaitGroup is then the caller's own. */
static int same_object_call(const facts *f, const call_fact *c, uint32_t wg_first,
                            uint32_t wg_last) {
    if (c->recv_first == NONE32) return wg_first == wg_last;
    if (wg_first == wg_last) return 0;
    uint32_t n = c->recv_last - c->recv_first;
    if (wg_first + n >= wg_last || f->toks[wg_first + n + 1].kind != T(PERIOD)) return 0;
    for (uint32_t i = 0; i <= n; i++)
        if (!tok_same(f, c->recv_first + i, wg_first + i)) return 0;
    return 1;
}

/* In a goroutine that defers x.Done(), a call of a function of the file on
 * the same object (p.Stop()) that waits on x in its own statements: the
 * Wait waits for the caller's own Done, which runs after the call returns
 * (a worker that stops its pool on too many failures). */
static void check_wait_in_callee(wg_ctx *w, const wg_call *done) {
    const facts *f = w->f;
    const call_fact *dc = call_of(f, done->node);
    uint32_t a = f->nodes[done->fn].first, b = f->nodes[done->fn].last;
    FOR_KIND_IN(f, N(CALL), call, a, b) {
        if (walked_fn(f, call) != done->fn) continue;
        uint32_t parent = f->nodes[call].parent;
        /* a deferred call runs after the deferred Done; one started with go
         * waits in a goroutine of its own */
        if (parent != NONE32 &&
            (f->nodes[parent].kind == N(DEFER) || f->nodes[parent].kind == N(GO)))
            continue;
        uint32_t k = typeindex_callee(w->types, call);
        uint32_t callee = k != NONE32 ? f->by_kind[N(FUNC)].data[k] : NONE32;
        const call_fact *c = call_of(f, call);
        if (callee == NONE32 || callee == done->fn || !c ||
            !same_object_call(f, c, dc->recv_first, dc->recv_last))
            continue;
        const wg_call *wait = find_call(w, done->key, M_WAIT, callee, 0, UINT32_MAX);
        if (!wait) continue;
        char what[64], name[64];
        snippet(f, dc->recv_first, dc->recv_last, what, sizeof what);
        snippet(f, f->nodes[call].first, c->name, name, sizeof name);
        check_report_node(w->chk, call,
                          "`%s` waits on `%s` (`%s.Wait()` at line %u), but this goroutine "
                          "is counted by it and its `%s.Done()` (line %u, deferred) runs only "
                          "after the call returns: the count never reaches zero and the "
                          "goroutine waits for itself; call it from another goroutine "
                          "(`go %s()`), or signal the stop without waiting",
                          name, what, what, (unsigned)tok_line(f, f->nodes[wait->node].first), what,
                          (unsigned)tok_line(f, f->nodes[done->node].first), name);
        return;
    }
}

/* Whether function fn of the file adds to key and starts a goroutine that
 * calls Done on it: a helper that counts the goroutines it starts. */
static int helper_counts_itself(wg_ctx *w, uint32_t fn, uint32_t key) {
    const facts *f = w->f;
    if (!find_call(w, key, M_ADD, fn, 0, UINT32_MAX)) return 0;
    FOR_KIND_IN(f, N(GO), go, f->nodes[fn].first, f->nodes[fn].last) {
        uint32_t t = go_target(w, go);
        if (t != NONE32 && find_call(w, key, M_DONE, t, 0, UINT32_MAX)) return 1;
    }
    return 0;
}

/* x.Add(n) followed, in its statement list, by a call of a function of the
 * file on the same object (s.goSafe(...)) that adds to x itself and starts
 * the goroutine that calls Done: counted twice, the goroutine is done once,
 * and nothing after the Add calls Done (no closure handed on does). */
static void check_add_doubled(wg_ctx *w, const wg_call *add) {
    const facts *f = w->f;
    if (add->deferred) return;
    const call_fact *ac = call_of(f, add->node);
    uint32_t st = f->nodes[add->node].parent;
    if (st == NONE32 || f->nodes[st].kind != N(EXPRSTMT)) return;
    uint32_t ka, kb;
    key_range(w, add->key, M_DONE, &ka, &kb);
    for (uint32_t k = ka; k < kb; k++)
        if (w->keyed[k].pos > add->pos && w->keyed[k].pos <= f->nodes[add->fn].last) return;
    key_range(w, add->key, M_WAIT, &ka, &kb);
    if (ka == kb) return;
    for (uint32_t s = f->nodes[st].next; s != NONE32; s = f->nodes[s].next) {
        uint32_t call = f->nodes[s].kind == N(EXPRSTMT) ? expr_node(f, s) : NONE32;
        const call_fact *c = call != NONE32 ? call_of(f, call) : NULL;
        if (!c || f->nodes[call].kind != N(CALL)) continue;
        uint32_t k = typeindex_callee(w->types, call);
        uint32_t callee = k != NONE32 ? f->by_kind[N(FUNC)].data[k] : NONE32;
        if (callee == NONE32 || callee == add->fn ||
            !same_object_call(f, c, ac->recv_first, ac->recv_last) ||
            !helper_counts_itself(w, callee, add->key))
            continue;
        const wg_call *inner = find_call(w, add->key, M_ADD, callee, 0, UINT32_MAX);
        char what[64], name[64];
        snippet(f, ac->recv_first, ac->recv_last, what, sizeof what);
        snippet(f, f->nodes[call].first, c->name, name, sizeof name);
        check_report_node(w->chk, add->node,
                          "`%s()` (line %u) counts the goroutine it starts with its own "
                          "`%s.Add` (line %u), and that goroutine is done once: this Add is "
                          "never matched by a Done, so `%s.Wait()` (line %u) never returns; "
                          "drop this Add",
                          name, (unsigned)tok_line(f, f->nodes[call].first), what,
                          (unsigned)tok_line(f, f->nodes[inner->node].first), what,
                          (unsigned)tok_line(f, f->nodes[w->keyed[ka].node].first));
        return;
    }
}

/* A Done in a callback (a function literal handed to a call, s.Send(m,
 * func(err error) { defer wg.Done() ... })) counted by an Add before the
 * call, when the call's error branch neither calls Done nor leaves the
 * function before its Wait: a callback is not called when the call fails
 * at once, and the Wait never returns. */
static void check_done_in_callback(wg_ctx *w, const wg_call *done) {
    const facts *f = w->f;
    uint32_t lit = enclosing_func(f, done->node);
    if (lit == NONE32 || f->nodes[lit].kind != N(FUNCLIT)) return;
    uint32_t arg = f->nodes[lit].parent;
    if (arg == NONE32 || f->nodes[arg].role != R(ARG)) return;
    uint32_t call = f->nodes[arg].parent, fn = call != NONE32 ? walked_fn(f, call) : NONE32;
    if (call == NONE32 || f->nodes[call].kind != N(CALL) || fn == NONE32) return;
    uint32_t pos = f->nodes[call].first;
    const wg_call *wait = find_call(w, done->key, M_WAIT, fn, pos, UINT32_MAX);
    if (!wait || !find_call(w, done->key, M_ADD, fn, 0, pos)) return;
    uint32_t body = error_branch(f, call);
    if (body == NONE32) return;
    uint32_t a = f->nodes[body].first, b = f->nodes[body].last, ka, kb;
    key_range(w, done->key, M_DONE, &ka, &kb);
    for (uint32_t k = ka; k < kb; k++)
        if (w->keyed[k].pos >= a && w->keyed[k].pos <= b) return;
    FOR_KIND_IN(f, N(RETURN), r, a, b) {
        if (enclosing_func(f, r) == enclosing_func(f, call)) return;
    }
    FOR_KIND_IN(f, N(CALL), c, a, b) {
        if (call_ends_process(f, call_of(f, c))) return;
    }
    const call_fact *c = call_of(f, call);
    char name[64], what[64];
    snippet(f, f->nodes[call].first, c && c->name != NONE32 ? c->name : f->nodes[call].first, name,
            sizeof name);
    recv_text(f, wait->node, what, sizeof what);
    check_report_node(w->chk, wait->node,
                      "the Done of the callback handed to `%s()` (line %u) runs only when the "
                      "callback is called, but when the call fails (line %u) nothing calls "
                      "`%s.Done()` for the Add before it: the count never reaches zero and "
                      "this Wait never returns; call `%s.Done()` in the error branch",
                      name, (unsigned)tok_line(f, pos), (unsigned)tok_line(f, a), what, what);
}

/* Whether chains [a0, a1] and [b0, b1] name the same thing: the same
 * variable's chain, or the same fields of two variables of one type of the
 * file (p.jobs in Close and in worker). */
static int same_chain(const wg_ctx *w, uint32_t a0, uint32_t a1, uint32_t b0, uint32_t b1) {
    const facts *f = w->f;
    if (!name_chain(f, a0, a1) || !name_chain(f, b0, b1) || !toks_same(f, a0 + 1, a1, b0 + 1, b1))
        return 0;
    const var_fact *va = resolve(f, a0), *vb = resolve(f, b0);
    if (!va || !vb) return 0;
    if (va == vb) return 1;
    if (a0 == a1) return 0;
    uint32_t ta = typeindex_expr_type(w->types, a0, a0).name;
    uint32_t tb = typeindex_expr_type(w->types, b0, b0).name;
    return ta != NONE32 && tb != NONE32 && tok_same(f, ta, tb);
}

/* The range statement of function fn's own list over chain [a, b], NONE32. */
static uint32_t ranges_over(const wg_ctx *w, uint32_t fn, uint32_t a, uint32_t b) {
    const facts *f = w->f;
    uint32_t body = func_body(f, fn);
    for (uint32_t st = body != NONE32 ? f->nodes[body].child : NONE32; st != NONE32;
         st = f->nodes[st].next) {
        uint32_t x = f->nodes[st].kind == N(RANGE) ? child_by_role(f, st, R(X)) : NONE32;
        if (x != NONE32 && same_chain(w, f->nodes[x].first, f->nodes[x].last, a, b)) return st;
    }
    return NONE32;
}

/* x.Wait() before close(ch) in its function, when goroutines counted by x
 * (a deferred x.Done()) range over ch until it is closed: the Wait waits
 * for workers that wait for the close that comes after it. */
static void check_wait_before_close(wg_ctx *w, const wg_call *wait) {
    const facts *f = w->f;
    if (wait->deferred) return; /* it runs after the function's closes */
    uint32_t n;
    const uint32_t *closes = calls_named_text(f, "close", &n);
    uint32_t a, b;
    fn_range(w, wait->fn, &a, &b);
    for (uint32_t i = 0; i < n; i++) {
        const call_fact *c = &f->calls.data[closes[i]];
        uint32_t arg = c->recv_first == NONE32 && c->nargs == 1 ? call_arg(f, c->node, 0) : NONE32;
        if (arg == NONE32 || walked_fn(f, c->node) != wait->fn ||
            f->nodes[c->node].first < wait->pos)
            continue;
        uint32_t ca = f->nodes[arg].first, cb = f->nodes[arg].last;
        /* closed before the Wait too (another path) */
        int before = 0;
        for (uint32_t j = 0; j < n && !before; j++) {
            const call_fact *e = &f->calls.data[closes[j]];
            uint32_t ea = e->nargs == 1 ? call_arg(f, e->node, 0) : NONE32;
            before = ea != NONE32 && walked_fn(f, e->node) == wait->fn &&
                     f->nodes[e->node].first < wait->pos &&
                     toks_same(f, f->nodes[ea].first, f->nodes[ea].last, ca, cb);
        }
        if (before) continue;
        uint32_t ka, kb;
        key_range(w, wait->key, M_DONE, &ka, &kb);
        for (uint32_t k = ka; k < kb; k++) {
            const wg_call *d = &w->keyed[k];
            if (!d->deferred || d->fn == wait->fn) continue;
            uint32_t rng = ranges_over(w, d->fn, ca, cb);
            if (rng == NONE32) continue;
            char what[64], ch[64];
            recv_text(f, wait->node, what, sizeof what);
            snippet(f, ca, cb, ch, sizeof ch);
            check_report_node(w->chk, wait->node,
                              "`%s.Wait()` waits for the goroutines that range over `%s` (line "
                              "%u) until it is closed, but `close(%s)` comes after the Wait "
                              "(line %u): they never finish, and the Wait never returns; close "
                              "it first, then wait",
                              what, ch, (unsigned)tok_line(f, f->nodes[rng].first), ch,
                              (unsigned)tok_line(f, f->nodes[c->node].first));
            return;
        }
    }
}

static int check_waitgroups(goleak_check *chk, void *ud) {
    (void)ud;
    const facts *f = check_facts(chk);
    if (!f) return 0;
    check_waitgroup_copies(chk, f);
    if (!any_wait(f)) return 0;
    /* c := newReader(b) counting on b.pending, closed on some paths only */
    check_stoppers(chk, f, STARTS_COUNT);
    check_group_waits(chk, f);
    lockgraph *g = check_lockgraph(chk);
    if (!g) return 0;
    wg_ctx w;
    memset(&w, 0, sizeof w);
    w.chk = chk;
    w.f = f;
    w.g = g;
    w.last_wait = NONE32;
    w.types = lockgraph_types(g);
    if (!w.types) {
        chk->oom = 1;
        return 0;
    }
    collect_wg_calls(&w);
    if (!w.oom && keep_waitgroups(&w)) w.oom = 1;
    if (!w.oom && w.calls.len) {
        FOR_KIND(f, N(GO), go) check_goroutine(&w, go);
        /* tasks started by a group's Go method (errgroup, a pool) */
        uint32_t ntasks;
        const uint32_t *tasks = calls_named_text(f, "Go", &ntasks);
        for (uint32_t i = 0; i < ntasks; i++) {
            const call_fact *tc = &f->calls.data[tasks[i]];
            if (tc->recv_first != NONE32 && tc->nargs == 1) check_goroutine(&w, tc->node);
        }
        check_counted_loops(&w);
        check_add_then_skip(&w);
        check_add_count_conditional(&w);
        check_adds_outnumber_goroutines(&w);
        /* a callee's Wait that the calling goroutine's own Done must end;
         * a Wait for workers that wait for a close after it */
        for (uint32_t i = 0; i < w.calls.len; i++) {
            const wg_call *x = &w.calls.data[i];
            if (x->method == M_DONE && x->deferred) check_wait_in_callee(&w, x);
            if (x->method == M_WAIT) check_wait_before_close(&w, x);
            if (x->method == M_ADD) check_add_doubled(&w, x);
            if (x->method == M_DONE) check_done_in_callback(&w, x);
        }
        /* a Wait that the waiting function's own Done must end */
        for (uint32_t i = 0; i < w.calls.len; i++) {
            const wg_call *x = &w.calls.data[i];
            if (x->method != M_WAIT) continue;
            const wg_call *done = NULL;
            uint32_t a, b;
            fn_range(&w, x->fn, &a, &b);
            for (uint32_t j = a; j < b && !done; j++) {
                const wg_call *d = &w.calls.data[j];
                if (d->key != x->key || d->method != M_DONE) continue;
                if (d->deferred ||
                    (d->pos > x->pos && !find_call(&w, x->key, M_ADD, x->fn, x->pos, d->pos)))
                    done = d;
            }
            if (!done) continue;
            char what[64];
            recv_text(f, x->node, what, sizeof what);
            check_report_node(chk, x->node,
                              "`%s.Wait()` waits for the count to reach zero, but this "
                              "function's own `%s.Done()` (line %u%s) only runs after it: the "
                              "count never reaches zero and the goroutine waits for itself; "
                              "call Done before waiting, or wait in another goroutine",
                              what, what, (unsigned)tok_line(f, f->nodes[done->node].first),
                              done->deferred ? ", deferred" : "");
        }
    }
    if (w.oom || lockgraph_oom(g)) chk->oom = 1;
    gl_free(f->alloc, w.calls.data);
    gl_free(f->alloc, w.keyed);
    return 0;
}

const goleak_rule_def builtin_GL023 = {
    .version = GOLEAK_RULE_DEF_VERSION,
    .id = "GL023",
    .name = "cond-wait-not-in-loop",
    .severity = GOLEAK_SEVERITY_WARNING,
    .check = check_cond_wait,
    .triggers = "Wait",
};

const goleak_rule_def builtin_GL024 = {
    .version = GOLEAK_RULE_DEF_VERSION,
    .id = "GL024",
    .name = "waitgroup-misuse",
    .severity = GOLEAK_SEVERITY_ERROR,
    .check = check_waitgroups,
    .triggers = "Wait,WaitGroup",
};
