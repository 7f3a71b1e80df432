/* GL023's lost wake-ups. A goroutine parked in Cond.Wait wakes only when
 * someone calls Signal or Broadcast; a method that sets the flag the
 * waiters leave on (q.closed = true) without waking them leaves the
 * goroutines already waiting asleep for good, and a Signal wakes only one
 * of several. */
#include "condwake.h"
#include "rules.h"

#include <stdlib.h>
#include <string.h>

enum { MAX_FLAGS = 8 };

/* A flag a waiter leaves on: a chain recv.a.b written in its method, and
 * the value that lets it leave. */
typedef struct flag {
    uint32_t first, last;
    int wake;
    int chan; /* a channel the waiter polls (select { case <-x.stop: return; default: }) */
} flag;

/* A Wait in a loop of a method, on a Cond reached from its receiver. */
typedef struct waiter {
    uint32_t wait, fn, loop;
    uint32_t cond_first, cond_last; /* the Cond's chain, receiver first */
    uint32_t type;                  /* the receiver's type name token */
    flag flags[MAX_FLAGS];
    uint32_t nflags;
} waiter;

/* A flag's last name (its hash), and the waiter it belongs to. */
typedef struct flag_key {
    uint16_t hash;
    uint32_t waiter;
} flag_key;

static int flag_key_cmp(const void *a, const void *b) {
    const flag_key *x = a, *y = b;
    if (x->hash != y->hash) return x->hash < y->hash ? -1 : 1;
    return x->waiter < y->waiter ? -1 : x->waiter > y->waiter;
}

/* The first of the sorted keys with hash h (nkeys when none). */
static uint32_t first_key(const flag_key *keys, uint32_t nkeys, uint16_t h) {
    uint32_t lo = 0, hi = nkeys;
    while (lo < hi) {
        uint32_t mid = lo + (hi - lo) / 2;
        if (keys[mid].hash < h)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo;
}

typedef struct wake_ctx {
    goleak_check *chk;
    const facts *f;
    const typeindex *types;
    struct {
        waiter *data;
        uint32_t len, cap;
    } waiters;
} wake_ctx;

static int is_compare(int k) {
    return k == T(EQL) || k == T(NEQ) || k == T(LSS) || k == T(GTR) || k == T(LEQ) || k == T(GEQ);
}

/* The last token of the chain of names that starts at token i (x.a.b). */
static uint32_t chain_end(const facts *f, uint32_t i, uint32_t hi) {
    while (i + 2 <= hi && f->toks[i + 1].kind == T(PERIOD) && f->toks[i + 2].kind == T(IDENT))
        i += 2;
    return i;
}

/* The receiver type's name token of method fn, NONE32. */
static uint32_t recv_type(const wake_ctx *w, uint32_t fn, const var_fact **rv) {
    *rv = fn != NONE32 && w->f->nodes[fn].kind == N(FUNC) ? receiver_var(w->f, fn) : NULL;
    return *rv ? typeindex_expr_type(w->types, (*rv)->name, (*rv)->name).name : NONE32;
}

/* For an accessor call recv.M() at tokens [i, j + 2]: the chain that M, a
 * method of the file, returns of its own receiver (return q.closed, after
 * taking a lock), into *first and *last. */
static int accessor_chain(const wake_ctx *w, uint32_t i, uint32_t j, uint32_t *first,
                          uint32_t *last) {
    const facts *f = w->f;
    FOR_KIND_IN(f, N(CALL), c, i, i) {
        const call_fact *cf = call_of(f, c);
        if (f->nodes[c].first != i || !cf || cf->name != j || cf->nargs != 0) continue;
        uint32_t k = typeindex_callee(w->types, c);
        uint32_t m = k != NONE32 ? f->by_kind[N(FUNC)].data[k] : NONE32;
        const var_fact *rv;
        if (m == NONE32 || recv_type(w, m, &rv) == NONE32) return 0;
        uint32_t body = func_body(f, m), ret = NONE32;
        if (body == NONE32) return 0;
        for (uint32_t s = f->nodes[body].child; s != NONE32; s = f->nodes[s].next) ret = s;
        if (ret == NONE32 || f->nodes[ret].kind != N(RETURN)) return 0;
        uint32_t a = f->nodes[ret].first + 1, b = f->nodes[ret].last;
        if (a > b || resolve(f, a) != rv || chain_end(f, a, b) != b || a == b) return 0;
        *first = a;
        *last = b;
        return 1;
    }
    return 0;
}

/* Adds the flags that condition tokens [a, b] test bare (`!q.closed`,
 * `s.stopped && ...`, `q.IsClosed()`), with the waiter leaving when the
 * condition is true (leave_if_true: an if that returns) or false (the
 * loop's own condition). */
static void add_flags(const wake_ctx *w, waiter *wt, const var_fact *rv, uint32_t a, uint32_t b,
                      int leave_if_true) {
    const facts *f = w->f;
    for (uint32_t i = a; i <= b && wt->nflags < MAX_FLAGS; i++) {
        if (f->toks[i].kind != T(IDENT) || resolve(f, i) != rv) continue;
        uint32_t j = chain_end(f, i, b), end = j, first = i, last = j;
        if (j == i) continue;
        if (j + 2 <= b && f->toks[j + 1].kind == T(LPAREN) && f->toks[j + 2].kind == T(RPAREN)) {
            if (j != i + 2 || !accessor_chain(w, i, j, &first, &last)) continue;
            end = j + 2;
        }
        int prev = i > a ? f->toks[i - 1].kind : T(LAND);
        int neg = prev == T(NOT);
        if (neg) prev = i - 1 > a ? f->toks[i - 2].kind : T(LAND);
        int next = end < b ? f->toks[end + 1].kind : T(LAND);
        if ((prev != T(LAND) && prev != T(LOR)) || (next != T(LAND) && next != T(LOR)) ||
            is_compare(next))
            continue;
        wt->flags[wt->nflags++] = (flag){first, last, leave_if_true ? !neg : neg, 0};
        i = end;
    }
}

/* Whether if statement s (in wait loop lp) leaves the loop when its test
 * holds: its body ends with a return, or a break or goto out of lp. */
static int if_leaves(const facts *f, uint32_t s, uint32_t lp) {
    uint32_t body = child_by_role(f, s, R(BODY)), last = NONE32;
    if (body == NONE32) return 0;
    for (uint32_t c = f->nodes[body].child; c != NONE32; c = f->nodes[c].next) last = c;
    if (last == NONE32) return 0;
    if (f->nodes[last].kind == N(RETURN)) return 1;
    return f->nodes[last].kind == N(BRANCH) &&
           (f->toks[f->nodes[last].first].kind == T(GOTO) || break_leaves(f, last, lp));
}

/* Whether select clause c leaves wait loop lp: its last statement is a
 * return, or a break or goto out of lp. */
static int clause_leaves(const facts *f, uint32_t c, uint32_t lp) {
    uint32_t last = NONE32;
    for (uint32_t x = f->nodes[c].child; x != NONE32; x = f->nodes[x].next)
        if (f->nodes[x].role != R(COMM)) last = x;
    if (last == NONE32) return 0;
    if (f->nodes[last].kind == N(RETURN)) return 1;
    return f->nodes[last].kind == N(BRANCH) &&
           (f->toks[f->nodes[last].first].kind == T(GOTO) || break_leaves(f, last, lp));
}

/* Adds a channel flag for chain [a, b] (x.stop) to the waiter. */
static void add_chan_flag(waiter *wt, uint32_t a, uint32_t b) {
    if (wt->nflags < MAX_FLAGS) wt->flags[wt->nflags++] = (flag){a, b, 1, 1};
}

/* The channels a wait loop polls before waiting: select { case <-x.stop:
 * return; default: } with x the receiver, or a parameter of the waiter's
 * method that the file's callers give a field (awaitElected(p.terminate)). */
static void add_chan_flags(const wake_ctx *w, waiter *wt, const var_fact *rv, uint32_t sel,
                           uint32_t lp) {
    const facts *f = w->f;
    int dflt = 0;
    for (uint32_t c = f->nodes[sel].child; c != NONE32; c = f->nodes[c].next)
        dflt |= f->nodes[c].kind == N(COMM) && child_by_role(f, c, R(COMM)) == NONE32;
    if (!dflt) return; /* a blocking select is another kind of wait */
    for (uint32_t c = f->nodes[sel].child; c != NONE32; c = f->nodes[c].next) {
        uint32_t comm = f->nodes[c].kind == N(COMM) ? child_by_role(f, c, R(COMM)) : NONE32;
        if (comm == NONE32 || f->nodes[comm].kind == N(SEND) || !clause_leaves(f, c, lp)) continue;
        uint32_t a = NONE32;
        for (uint32_t t = f->nodes[comm].first; t < f->nodes[comm].last && a == NONE32; t++)
            if (f->toks[t].kind == T(ARROW) && f->toks[t + 1].kind == T(IDENT)) a = t + 1;
        if (a == NONE32) continue;
        uint32_t b = chain_end(f, a, f->nodes[comm].last);
        const var_fact *v = resolve(f, a);
        if (v == rv && b > a) {
            add_chan_flag(wt, a, b);
            continue;
        }
        if (!v || b != a || !(v->flags & VF_PARAM) || v->func != wt->fn) continue;
        /* a parameter: the fields the file's calls of the method pass */
        uint32_t pos = param_pos(f, wt->fn, (uint32_t)(v - f->vars.data));
        uint32_t k = kind_lower_bound(f, N(FUNC), f->nodes[wt->fn].first), n;
        const uint32_t *calls = calls_named(f, f->nodes[wt->fn].key, &n);
        for (uint32_t i = 0; i < n && pos != NONE32; i++) {
            uint32_t call = f->calls.data[calls[i]].node;
            if (typeindex_callee(w->types, call) != k) continue;
            uint32_t arg = call_arg(f, call, pos);
            if (arg == NONE32) continue;
            uint32_t xa = f->nodes[arg].first, xb = f->nodes[arg].last;
            if (xb > xa && f->toks[xa].kind == T(IDENT) && chain_end(f, xa, xb) == xb)
                add_chan_flag(wt, xa, xb);
        }
    }
}

/* Records the Wait call `wait` (on a Cond of its method's receiver, in a
 * loop) with the flags its loop leaves on. */
static void add_waiter(wake_ctx *w, uint32_t wait, const call_fact *c) {
    const facts *f = w->f;
    uint32_t lp = loop_around(f, wait), fn = enclosing_func(f, wait);
    const var_fact *rv;
    uint32_t type = recv_type(w, fn, &rv);
    if (lp == NONE32 || type == NONE32 || resolve(f, c->recv_first) != rv) return;
    waiter wt;
    memset(&wt, 0, sizeof wt);
    wt.wait = wait;
    wt.fn = fn;
    wt.loop = lp;
    wt.cond_first = c->recv_first;
    wt.cond_last = c->recv_last;
    wt.type = type;
    uint32_t cond = f->nodes[lp].kind == N(FOR) ? child_by_role(f, lp, R(COND)) : NONE32;
    if (cond != NONE32) add_flags(w, &wt, rv, f->nodes[cond].first, f->nodes[cond].last, 0);
    FOR_KIND_IN(f, N(IF), s, f->nodes[lp].first, f->nodes[lp].last) {
        uint32_t ic = child_by_role(f, s, R(COND));
        if (ic == NONE32 || enclosing_func(f, s) != fn || !if_leaves(f, s, lp)) continue;
        add_flags(w, &wt, rv, f->nodes[ic].first, f->nodes[ic].last, 1);
    }
    FOR_KIND_IN(f, N(SELECT), sel, f->nodes[lp].first, f->nodes[lp].last) {
        if (enclosing_func(f, sel) == fn) add_chan_flags(w, &wt, rv, sel, lp);
    }
    if (VEC_PUSH(f->alloc, &w->waiters, wt)) w->chk->oom = 1;
}

/* The first call of function fn's own span named `name` on the Cond of
 * chain [cf, cl] (compared after the receiver), NONE32. */
static uint32_t wake_call(const wake_ctx *w, uint32_t fn, const char *name, uint32_t cf,
                          uint32_t cl) {
    const facts *f = w->f;
    uint32_t n;
    const uint32_t *calls = calls_named_text(f, name, &n);
    for (uint32_t i = calls_from(f, calls, n, f->nodes[fn].first); i < n; i++) {
        const call_fact *c = &f->calls.data[calls[i]];
        if (f->nodes[c->node].first > f->nodes[fn].last) break;
        if (c->recv_first != NONE32 && c->nargs == 0 &&
            toks_same(f, c->recv_first + 1, c->recv_last, cf + 1, cl))
            return c->node;
    }
    return NONE32;
}

/* Whether function fn's own span Signals or Broadcasts the waiter's Cond. */
static int wakes_in(const wake_ctx *w, uint32_t fn, const waiter *wt) {
    return wake_call(w, fn, "Broadcast", wt->cond_first, wt->cond_last) != NONE32 ||
           wake_call(w, fn, "Signal", wt->cond_first, wt->cond_last) != NONE32;
}

/* Whether some caller of method fn (a call the file makes of it) wakes the
 * Cond's waiters itself (Close() { s.closeLocked(); s.cond.Broadcast() }). */
static int caller_wakes(const wake_ctx *w, uint32_t fn, const waiter *wt) {
    const facts *f = w->f;
    const call_fact *cf;
    uint32_t n;
    const uint32_t *calls = calls_named(f, f->nodes[fn].key, &n);
    for (uint32_t i = 0; i < n; i++) {
        cf = &f->calls.data[calls[i]];
        uint32_t k = typeindex_callee(w->types, cf->node);
        if (k == NONE32 || f->by_kind[N(FUNC)].data[k] != fn) continue;
        uint32_t caller = enclosing_func(f, cf->node);
        if (caller == NONE32) continue;
        if (wakes_in(w, caller, wt)) return 1;
    }
    return 0;
}

/* Whether function fn calls a function of the file that wakes the Cond's
 * waiters itself (p.wakeAll() { p.cond.Broadcast() }), one call deep. */
static int callee_wakes(const wake_ctx *w, uint32_t fn, const waiter *wt) {
    const facts *f = w->f;
    FOR_KIND_IN(f, N(CALL), c, f->nodes[fn].first, f->nodes[fn].last) {
        uint32_t k = typeindex_callee(w->types, c);
        uint32_t callee = k != NONE32 ? f->by_kind[N(FUNC)].data[k] : NONE32;
        if (callee == NONE32 || callee == fn) continue;
        if (wakes_in(w, callee, wt)) return 1;
    }
    return 0;
}

/* Whether function fn, after token `from`, closes or stops something
 * (close(ch), x.Close(), x.Stop(), cancel()): the shutdown is handed on,
 * and the goroutine that notices (a read loop ending on the closed
 * connection) may wake the waiters. */
static int hands_on_shutdown(const facts *f, uint32_t fn, uint32_t from) {
    static const char *const verbs[] = {"close",  "Close",  "stop",     "Stop",
                                        "cancel", "Cancel", "shutdown", "Shutdown"};
    FOR_KIND_IN(f, N(CALL), c, from, f->nodes[fn].last) {
        const call_fact *cf = call_of(f, c);
        if (!cf || cf->name == NONE32) continue;
        /* closing each item of a collection (for _, c := range p.idle {
         * c.Close() }) cleans up what nobody waits on */
        uint32_t lp = loop_around(f, c);
        if (lp != NONE32 && node_within(f, lp, fn)) continue;
        for (size_t k = 0; k < sizeof verbs / sizeof *verbs; k++)
            if (tok_has_prefix(f, cf->name, verbs[k])) return 1;
    }
    return 0;
}

/* A go statement in a loop that starts method fn (go s.worker(), or a
 * literal that calls it): several goroutines wait at once. NONE32. */
static uint32_t started_in_loop(const wake_ctx *w, uint32_t fn) {
    const facts *f = w->f;
    FOR_KIND(f, N(GO), g) {
        if (loop_around(f, g) == NONE32) continue;
        FOR_KIND_IN(f, N(CALL), c, f->nodes[g].first, f->nodes[g].last) {
            uint32_t k = typeindex_callee(w->types, c);
            if (k != NONE32 && f->by_kind[N(FUNC)].data[k] == fn) return g;
        }
    }
    return NONE32;
}

/* The if of function fn whose then-branch holds call c, when its condition
 * tests some state of the receiver that the waiter's loop condition tests
 * too, other than flag fl (if len(q.queue) > 0 { q.cond.Broadcast() }
 * while the waiters wait for len(q.queue) == 0 to change): when the test
 * fails, the waiters are not woken. NONE32 otherwise. */
static uint32_t wake_guard(const wake_ctx *w, uint32_t c, uint32_t fn, const var_fact *rv,
                           const waiter *wt, const flag *fl) {
    const facts *f = w->f;
    uint32_t cond = wt->loop != NONE32 && f->nodes[wt->loop].kind == N(FOR)
                        ? child_by_role(f, wt->loop, R(COND))
                        : NONE32;
    if (cond == NONE32) return NONE32;
    const var_fact *wrv;
    recv_type(w, wt->fn, &wrv);
    uint32_t x = c;
    for (uint32_t p = f->nodes[c].parent; p != NONE32 && p != fn; x = p, p = f->nodes[p].parent) {
        if (f->nodes[p].kind != N(IF)) continue;
        if (f->nodes[x].role != R(BODY)) return NONE32;
        uint32_t ic = child_by_role(f, p, R(COND));
        if (ic == NONE32) return NONE32;
        for (uint32_t i = f->nodes[ic].first; i <= f->nodes[ic].last; i++) {
            if (f->toks[i].kind != T(IDENT) || resolve(f, i) != rv) continue;
            uint32_t j = chain_end(f, i, f->nodes[ic].last);
            if (j == i || toks_same(f, i + 1, j, fl->first + 1, fl->last)) continue;
            for (uint32_t k = f->nodes[cond].first; k <= f->nodes[cond].last; k++) {
                if (f->toks[k].kind != T(IDENT) || resolve(f, k) != wrv) continue;
                uint32_t l = chain_end(f, k, f->nodes[cond].last);
                if (toks_same(f, k + 1, l, i + 1, j)) return p;
            }
        }
        return NONE32;
    }
    return NONE32;
}

/* Assignment `as` (recv.flag = true/false) in a method of the waiter's
 * type that lets its waiters leave: reported when it wakes none of them,
 * or only one of several. 1 when reported. */
static int check_flag_set(wake_ctx *w, uint32_t as, const waiter *wt, uint32_t a, uint32_t b,
                          int value) {
    const facts *f = w->f;
    uint32_t fn = enclosing_func(f, as);
    const var_fact *rv;
    uint32_t type = fn != wt->fn ? recv_type(w, fn, &rv) : NONE32;
    if (type == NONE32 || resolve(f, a) != rv || !tok_same(f, type, wt->type)) return 0;
    const flag *fl = NULL;
    for (uint32_t k = 0; k < wt->nflags && !fl; k++)
        if (!wt->flags[k].chan && wt->flags[k].wake == value &&
            toks_same(f, a + 1, b, wt->flags[k].first + 1, wt->flags[k].last))
            fl = &wt->flags[k];
    if (!fl) return 0;
    char set[64], cond[64];
    snippet(f, f->nodes[as].first, f->nodes[as].last, set, sizeof set);
    snippet(f, wt->cond_first, wt->cond_last, cond, sizeof cond);
    unsigned wait_line = (unsigned)tok_line(f, f->nodes[wt->wait].first);
    uint32_t bc = wake_call(w, fn, "Broadcast", wt->cond_first, wt->cond_last);
    if (bc != NONE32) {
        /* a Broadcast only when some state the waiters wait on says so */
        uint32_t guard = wake_guard(w, bc, fn, rv, wt, fl);
        if (guard == NONE32 || caller_wakes(w, fn, wt)) return 0;
        char test[64];
        uint32_t ic = child_by_role(f, guard, R(COND));
        snippet(f, f->nodes[ic].first, f->nodes[ic].last, test, sizeof test);
        check_report_node(w->chk, as,
                          "`%s` lets the goroutines waiting in `%s.Wait()` (line %u) leave, but "
                          "`%s.Broadcast()` runs only when `%s` (line %u), a state they wait on: "
                          "when it does not hold, one already waiting sleeps on forever; "
                          "broadcast unconditionally after setting it",
                          set, cond, wait_line, cond, test,
                          (unsigned)tok_line(f, f->nodes[guard].first));
        return 1;
    }
    uint32_t sig = wake_call(w, fn, "Signal", wt->cond_first, wt->cond_last);
    if (sig != NONE32) {
        /* one Signal is enough for one waiter, or a waiter that passes it on */
        uint32_t g = started_in_loop(w, wt->fn);
        if (g == NONE32 || wakes_in(w, wt->fn, wt)) return 0;
        check_report_node(w->chk, as,
                          "`%s` lets every goroutine waiting in `%s.Wait()` (line %u) leave, but "
                          "`%s.Signal()` (line %u) wakes only one of them, and the goroutines "
                          "started in a loop at line %u all wait there: the others sleep on "
                          "forever; call `%s.Broadcast()`",
                          set, cond, wait_line, cond, (unsigned)tok_line(f, f->nodes[sig].first),
                          (unsigned)tok_line(f, f->nodes[g].first), cond);
        return 1;
    }
    if (caller_wakes(w, fn, wt) || callee_wakes(w, fn, wt) ||
        hands_on_shutdown(f, fn, f->nodes[as].last))
        return 0;
    check_report_node(w->chk, as,
                      "`%s` lets the goroutines waiting in `%s.Wait()` (line %u) leave, but "
                      "nothing here wakes them: one already waiting sleeps on forever; call "
                      "`%s.Broadcast()` after setting it",
                      set, cond, wait_line, cond);
    return 1;
}

/* close(x.stop) in a method of the waiter's type (not the waiting one)
 * that the waiter polls before waiting, with no Signal or Broadcast in
 * that method or its callers: a goroutine already waiting never sees it.
 * 1 when reported. */
static int check_chan_closed(wake_ctx *w, uint32_t call, const waiter *wt, uint32_t a, uint32_t b) {
    const facts *f = w->f;
    uint32_t fn = enclosing_func(f, call);
    const var_fact *rv;
    uint32_t type = fn != NONE32 && fn != wt->fn ? recv_type(w, fn, &rv) : NONE32;
    if (type == NONE32 || resolve(f, a) != rv || !tok_same(f, type, wt->type)) return 0;
    const flag *fl = NULL;
    for (uint32_t k = 0; k < wt->nflags && !fl; k++)
        if (wt->flags[k].chan && toks_same(f, a + 1, b, wt->flags[k].first + 1, wt->flags[k].last))
            fl = &wt->flags[k];
    if (!fl || wakes_in(w, fn, wt) || caller_wakes(w, fn, wt)) return 0;
    char ch[64], cond[64];
    snippet(f, a, b, ch, sizeof ch);
    snippet(f, wt->cond_first, wt->cond_last, cond, sizeof cond);
    check_report_node(w->chk, call,
                      "`close(%s)` should let the goroutines waiting in `%s.Wait()` (line %u) "
                      "leave, but they check it only before waiting and nothing here wakes "
                      "them: one already waiting sleeps on forever; call `%s.Broadcast()` "
                      "(under its lock) after closing it",
                      ch, cond, (unsigned)tok_line(f, f->nodes[wt->wait].first), cond);
    return 1;
}

/* Whether method fn mentions field chain [a, b] of its receiver rv (after
 * the receiver: p.activateErr). */
static int reads_field(const facts *f, uint32_t fn, const var_fact *rv, uint32_t a, uint32_t b) {
    for (uint32_t i = f->nodes[fn].first; i + (b - a) < f->nodes[fn].last; i++)
        if (f->toks[i].kind == T(IDENT) && f->toks[i].hash == f->toks[a].hash &&
            resolve(f, i) == rv && toks_same(f, i + 1, i + (b - a), a + 1, b))
            return 1;
    return 0;
}

/* The last assignment to a field of receiver rv among the statements that
 * precede `ret` in its block, when the waiter's method reads that field
 * (the outcome it hands its waiters: p.activateErr = err). NONE32. */
static uint32_t outcome_set_before(const wake_ctx *w, uint32_t ret, const var_fact *rv,
                                   const waiter *wt) {
    const facts *f = w->f;
    const var_fact *wrv;
    recv_type(w, wt->fn, &wrv);
    uint32_t block = f->nodes[ret].parent, found = NONE32;
    if (block == NONE32 || !wrv) return NONE32;
    for (uint32_t s = f->nodes[block].child; s != NONE32 && s != ret; s = f->nodes[s].next) {
        uint32_t lhs = f->nodes[s].kind == N(ASSIGN) ? nth_child_by_role(f, s, R(LHS), 0) : NONE32;
        if (lhs == NONE32) continue;
        uint32_t a = f->nodes[lhs].first, b = f->nodes[lhs].last;
        if (b == a || f->toks[a].kind != T(IDENT) || resolve(f, a) != rv || chain_end(f, a, b) != b)
            continue;
        if (reads_field(f, wt->fn, wrv, a, b)) found = s;
    }
    return found;
}

/* A method of the waiter's type that wakes the waiters only at its end
 * (p.activateWait.Broadcast() after success), with an earlier return that
 * first sets a field the waiting method reads (the failure it should hand
 * them: p.activateErr = err): the goroutines already waiting never learn
 * of it and sleep on forever. */
static void check_outcome_unwoken(wake_ctx *w, const waiter *wt) {
    const facts *f = w->f;
    static const char *const wakes[] = {"Broadcast", "Signal"};
    for (int k = 0; k < 2; k++) {
        uint32_t n;
        const uint32_t *calls = calls_named_text(f, wakes[k], &n);
        for (uint32_t i = 0; i < n; i++) {
            const call_fact *c = &f->calls.data[calls[i]];
            if (c->recv_first == NONE32 || c->nargs != 0 ||
                !toks_same(f, c->recv_first + 1, c->recv_last, wt->cond_first + 1, wt->cond_last))
                continue;
            uint32_t fn = enclosing_func(f, c->node), parent = f->nodes[c->node].parent;
            const var_fact *rv;
            uint32_t type = fn != wt->fn ? recv_type(w, fn, &rv) : NONE32;
            if (type == NONE32 || resolve(f, c->recv_first) != rv || !tok_same(f, type, wt->type) ||
                (parent != NONE32 && f->nodes[parent].kind == N(DEFER)))
                continue;
            FOR_KIND_IN(f, N(RETURN), ret, f->nodes[fn].first, f->nodes[c->node].first) {
                if (enclosing_func(f, ret) != fn) continue;
                uint32_t block = f->nodes[ret].parent;
                uint32_t set = outcome_set_before(w, ret, rv, wt);
                if (set == NONE32 || wakes_in(w, block, wt) || caller_wakes(w, fn, wt)) continue;
                char what[64], cond[64];
                uint32_t lhs = nth_child_by_role(f, set, R(LHS), 0);
                snippet(f, f->nodes[lhs].first, f->nodes[lhs].last, what, sizeof what);
                snippet(f, wt->cond_first, wt->cond_last, cond, sizeof cond);
                check_report_node(w->chk, ret,
                                  "this return sets `%s`, which the goroutines waiting in "
                                  "`%s.Wait()` (line %u) read, but skips the `%s.%s()` at "
                                  "line %u that wakes them: one already waiting sleeps on "
                                  "forever; wake them on this path too",
                                  what, cond, (unsigned)tok_line(f, f->nodes[wt->wait].first), cond,
                                  wakes[k], (unsigned)tok_line(f, f->nodes[c->node].first));
                return;
            }
        }
    }
}

void check_cond_wakeups(goleak_check *chk, const facts *f, const typeindex *types,
                        cond_pred is_cond, void *ctx) {
    wake_ctx w = {chk, f, types, {NULL, 0, 0}};
    uint32_t n;
    const uint32_t *waits = calls_named_text(f, "Wait", &n);
    for (uint32_t i = 0; i < n && !chk->oom; i++) {
        const call_fact *c = &f->calls.data[waits[i]];
        if (c->recv_first == NONE32 || c->nargs != 0 || c->recv_first == c->recv_last ||
            loop_around(f, c->node) == NONE32 || unreachable(f, c->node) ||
            !is_cond(ctx, c->recv_first, c->recv_last))
            continue;
        add_waiter(&w, c->node, c);
    }
    if (w.waiters.len == 0 || chk->oom) {
        gl_free(f->alloc, w.waiters.data);
        return;
    }
    for (uint32_t k = 0; k < w.waiters.len; k++) check_outcome_unwoken(&w, &w.waiters.data[k]);
    /* the waiters by the hash of their flags' last names, so that each
     * assignment meets only the waiters of a flag spelled like its own */
    uint32_t nkeys = 0;
    flag_key *keys = gl_malloc(f->alloc, (size_t)w.waiters.len * MAX_FLAGS * sizeof *keys);
    if (!keys) {
        chk->oom = 1;
        gl_free(f->alloc, w.waiters.data);
        return;
    }
    for (uint32_t k = 0; k < w.waiters.len; k++)
        for (uint32_t j = 0; j < w.waiters.data[k].nflags; j++)
            keys[nkeys++] = (flag_key){f->toks[w.waiters.data[k].flags[j].last].hash, k};
    qsort(keys, nkeys, sizeof *keys, flag_key_cmp);
    FOR_KIND(f, N(ASSIGN), as) {
        uint32_t op = f->nodes[as].key;
        uint32_t lhs = nth_child_by_role(f, as, R(LHS), 0),
                 rhs = nth_child_by_role(f, as, R(RHS), 0);
        if (op == NONE32 || f->toks[op].kind != T(ASSIGN) || lhs == NONE32 || rhs == NONE32 ||
            nth_child_by_role(f, as, R(LHS), 1) != NONE32 ||
            f->nodes[rhs].first != f->nodes[rhs].last)
            continue;
        uint32_t v = f->nodes[rhs].first, a = f->nodes[lhs].first, b = f->nodes[lhs].last;
        int value = tok_is(f, v, "true") ? 1 : tok_is(f, v, "false") ? 0 : -1;
        if (value < 0 || f->toks[a].kind != T(IDENT) || chain_end(f, a, b) != b || a == b) continue;
        uint32_t lo = first_key(keys, nkeys, f->toks[b].hash);
        for (uint32_t k = lo; k < nkeys && keys[k].hash == f->toks[b].hash; k++)
            if ((k == lo || keys[k].waiter != keys[k - 1].waiter) &&
                check_flag_set(&w, as, &w.waiters.data[keys[k].waiter], a, b, value))
                break;
    }
    /* close(x.stop) of a channel the waiters poll */
    uint32_t ncl;
    const uint32_t *closes = calls_named_text(f, "close", &ncl);
    for (uint32_t i = 0; i < ncl; i++) {
        const call_fact *c = &f->calls.data[closes[i]];
        uint32_t arg = c->nargs == 1 && c->recv_first == NONE32 ? call_arg(f, c->node, 0) : NONE32;
        if (arg == NONE32) continue;
        uint32_t a = f->nodes[arg].first, b = f->nodes[arg].last;
        if (b == a || f->toks[a].kind != T(IDENT) || chain_end(f, a, b) != b) continue;
        uint32_t lo = first_key(keys, nkeys, f->toks[b].hash);
        for (uint32_t k = lo; k < nkeys && keys[k].hash == f->toks[b].hash; k++)
            if ((k == lo || keys[k].waiter != keys[k - 1].waiter) &&
                check_chan_closed(&w, c->node, &w.waiters.data[keys[k].waiter], a, b))
                break;
    }
    gl_free(f->alloc, keys);
    gl_free(f->alloc, w.waiters.data);
}
