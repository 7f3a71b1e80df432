/* GL005 defer-in-loop. */
#include "../query.h"
#include "common.h"
#include "rules.h"

#include <stdlib.h>

/* Whether the deferred call's receiver v (defer v.Close()) is stored in
 * the loop (appended, put in a map, a field or an element): the resource is
 * meant to outlive the iteration, and the defer closes it at the end. */
static int receiver_kept(const facts *f, uint32_t call, uint32_t loop) {
    const call_fact *c = call_of(f, call);
    if (!c || c->recv_first == NONE32 || c->recv_first != c->recv_last) return 0;
    const var_fact *v = resolve(f, c->recv_first);
    if (!v) return 0;
    uint32_t a = f->nodes[loop].first, b = f->nodes[loop].last;
    for (uint32_t u = next_use(f, v, a, b); u != NONE32; u = next_use(f, v, u, b)) {
        use_info ui;
        q_use(f, u, &ui);
        /* append(list, v): kept in a list */
        if (ui.kind == GOLEAK_USE_ARG && ui.index > 0 && !(ui.flags & GOLEAK_USE_ADDRESS) &&
            call_is_func(f, call_of(f, ui.node), "append"))
            return 1;
        /* m[k] = v, x.f = v */
        if (ui.kind == GOLEAK_USE_STORE && !(ui.flags & GOLEAK_USE_ADDRESS)) {
            value_target t;
            q_value_target(f, ui.slot, 0, &t);
            if (t.kind == GOLEAK_TARGET_INDEX || t.kind == GOLEAK_TARGET_FIELD) return 1;
        }
    }
    return 0;
}

/* Whether a deferred call restores a setting rather than releasing a
 * resource: os.Setenv/Unsetenv, and calls named Set..., set...,
 * Restore..., restore... (they hold nothing while they wait). */
static int setter_call(const facts *f, const call_fact *c) {
    if (!c || c->name == NONE32) return 0;
    if (call_is_pkg(f, c, PKG_OS, "Unsetenv")) return 1;
    static const char *const prefixes[] = {"Set", "set", "Restore", "restore"};
    for (size_t k = 0; k < sizeof prefixes / sizeof *prefixes; k++)
        if (tok_has_prefix(f, c->name, prefixes[k])) return 1;
    return 0;
}

/* The deferred call itself, or, for a function literal, every call in its
 * body but error reporting (panic, fmt, log) is a setter. */
static int restores_setting(const facts *f, uint32_t call) {
    uint32_t lit = f->nodes[call].child;
    if (lit == NONE32 || f->nodes[lit].kind != N(FUNCLIT)) return setter_call(f, call_of(f, call));
    int setters = 0;
    FOR_KIND_IN(f, N(CALL), c, f->nodes[lit].first + 1, f->nodes[lit].last) {
        const call_fact *cf = call_of(f, c);
        if (!cf) return 0;
        if (call_is_func(f, cf, "panic") || cf->pkg == PKG_FMT || cf->pkg == PKG_LOG) continue;
        if (cf->name != NONE32 && (tok_is(f, cf->name, "Errorf") || tok_is(f, cf->name, "Sprintf")))
            continue;
        if (!setter_call(f, cf)) {
            /* x.Y().SetZ(...): the receiver's own calls are part of the setter */
            if (f->nodes[c].last < f->nodes[lit].last &&
                f->toks[f->nodes[c].last + 1].kind == T(PERIOD))
                continue;
            return 0;
        }
        setters++;
    }
    return setters > 0;
}

/* Whether a deferred cancel() belongs to an iteration that starts
 * goroutines (go, or g.Go(...)) that the function waits for after the loop
 * (g.Wait()): their contexts must live until then. */
static int cancel_for_awaited_goroutines(const facts *f, uint32_t call, uint32_t loop) {
    const call_fact *c = call_of(f, call);
    if (!c || c->recv_first != NONE32 || c->name == NONE32) return 0;
    const var_fact *v = resolve(f, c->name);
    if (!v || v->kind != VK_CANCEL) return 0;
    int starts = 0;
    FOR_KIND_IN(f, N(GO), g, f->nodes[loop].first, f->nodes[loop].last) {
        if (node_within(f, g, loop)) starts = 1;
    }
    uint32_t fn = enclosing_func(f, loop), n;
    const uint32_t *gos = calls_named_text(f, "Go", &n);
    for (uint32_t i = 0; i < n && !starts; i++) {
        const call_fact *o = &f->calls.data[gos[i]];
        if (o->recv_first != NONE32 && node_within(f, o->node, loop)) starts = 1;
    }
    if (!starts || fn == NONE32) return 0;
    /* g.Wait() after the loop, in its function */
    const uint32_t *waits = calls_named_text(f, "Wait", &n);
    for (uint32_t i = 0; i < n; i++) {
        const call_fact *o = &f->calls.data[waits[i]];
        if (o->recv_first != NONE32 && node_within(f, o->node, fn) &&
            f->nodes[o->node].first > f->nodes[loop].last)
            return 1;
    }
    return 0;
}

/* Whether the deferred call's arguments use a variable declared before the
 * loop that the function uses again after it (defer CloseHandle(fd[i]) with fd
 * read after the loop): the resources are needed until then, and the end
 * of the function is the right time to release them. */
static int used_after_loop(const facts *f, uint32_t call, uint32_t loop) {
    uint32_t fn = enclosing_func(f, loop);
    uint32_t callee = f->nodes[call].child;
    if (fn == NONE32 || (callee != NONE32 && f->nodes[callee].kind == N(FUNCLIT))) return 0;
    /* the arguments only: a receiver (defer mu.Unlock()) is the lock itself */
    for (uint32_t i = f->nodes[call].key + 1; i < f->nodes[call].last; i++) {
        if (f->toks[i].kind != T(IDENT) || f->toks[i - 1].kind == T(PERIOD)) continue;
        const var_fact *v = resolve(f, i);
        if (!v || v->func != fn || (v->flags & VF_RESULT) ||
            f->toks[v->name].off >= f->toks[f->nodes[loop].first].off)
            continue;
        if (next_use(f, v, f->nodes[loop].last, f->nodes[fn].last) != NONE32) return 1;
    }
    return 0;
}

/* Whether variable v is the loop's own iteration variable: a range key or
 * value, or a for variable declared in its init or stepped in its post
 * statement (for p := c; p != nil; p = p.parent). */
static int iteration_var(const facts *f, const var_fact *v, uint32_t loop) {
    if (v->decl == loop) return 1;
    if (f->nodes[loop].kind != N(FOR)) return 0;
    uint32_t init = child_by_role(f, loop, R(INIT)), post = child_by_role(f, loop, R(POST));
    if (init != NONE32 && v->decl == init) return 1;
    return post != NONE32 &&
           next_use(f, v, f->nodes[post].first - 1, f->nodes[post].last) != NONE32;
}

/* Whether the deferred call works on the loop's iteration variable, as
 * receiver or argument (for _, c := range conns { defer c.Close() };
 * defer func(m *Member) { ... }(m); for p := c; p != nil; p = p.parent {
 * p.mu.RLock(); defer p.mu.RUnlock() }): objects that existed before the
 * loop, one per iteration, released at the end on purpose; the loop
 * creates none. */
static int ranged_resource(const facts *f, uint32_t call, uint32_t loop) {
    const call_fact *c = call_of(f, call);
    if (!c) return 0;
    const var_fact *v;
    if (c->recv_first != NONE32 && (v = resolve(f, c->recv_first)) && iteration_var(f, v, loop))
        return 1;
    for (uint32_t k = 0; call_arg(f, call, k) != NONE32; k++) {
        uint32_t arg = call_arg(f, call, k), t;
        if (expr_ident(f, arg, &t) && (v = resolve(f, t)) && iteration_var(f, v, loop)) return 1;
    }
    return 0;
}

/* Whether the loop body also makes the deferred call itself after the defer
 * (defer it.Release() ...; it.Release()): the defer covers error returns
 * only, and the normal path releases each iteration. */
static int released_in_iteration(const facts *f, uint32_t d, uint32_t call, uint32_t loop) {
    const call_fact *c = call_of(f, call);
    if (!c || c->recv_first == NONE32 || c->name == NONE32) return 0;
    /* a variable's own later calls: its uses after the defer */
    if (c->recv_first == c->recv_last) {
        const var_fact *v = resolve(f, c->recv_first);
        if (v) {
            uint32_t end = f->nodes[loop].last;
            for (uint32_t u = next_use(f, v, f->nodes[d].last, end); u != NONE32;
                 u = next_use(f, v, u, end)) {
                use_info ui;
                q_use(f, u, &ui);
                if (ui.kind == GOLEAK_USE_SELECT && ui.node != NONE32 &&
                    tok_same(f, ui.index, c->name))
                    return 1;
            }
            return 0;
        }
    }
    /* the calls of the same name, after the defer and in the loop */
    uint32_t n;
    const uint32_t *same = calls_named(f, c->name, &n);
    for (uint32_t i = calls_from(f, same, n, f->nodes[d].last + 1); i < n; i++) {
        const call_fact *o = &f->calls.data[same[i]];
        if (f->nodes[o->node].first > f->nodes[loop].last) break;
        if (o->recv_first != NONE32 &&
            toks_same(f, o->recv_first, o->recv_last, c->recv_first, c->recv_last))
            return 1;
    }
    return 0;
}

/* Whether the deferred call is a function literal that cleans up only on
 * error: its body starts with `if err == nil { return }`, or is a single
 * `if err != nil { ... }`. */
static int error_only_cleanup(const facts *f, uint32_t call) {
    uint32_t lit = f->nodes[call].child;
    if (lit == NONE32 || f->nodes[lit].kind != N(FUNCLIT)) return 0;
    uint32_t body = child_by_role(f, lit, R(BODY));
    uint32_t first = body != NONE32 ? f->nodes[body].child : NONE32;
    if (first == NONE32 || f->nodes[first].kind != N(IF) ||
        child_by_role(f, first, R(INIT)) != NONE32)
        return 0; /* if err := f.Close(); err != nil releases in its init */
    uint32_t cond = child_by_role(f, first, R(COND));
    if (cond == NONE32 || f->nodes[cond].last != f->nodes[cond].first + 2) return 0;
    uint32_t x = f->nodes[cond].first;
    if (f->toks[x].kind != T(IDENT) || !tok_is(f, x + 2, "nil")) return 0;
    int op = f->toks[x + 1].kind;
    if (op == T(NEQ)) return f->nodes[first].next == NONE32;
    if (op != T(EQL)) return 0;
    uint32_t then = child_by_role(f, first, R(BODY));
    uint32_t ret = then != NONE32 ? f->nodes[then].child : NONE32;
    return ret != NONE32 && f->nodes[ret].kind == N(RETURN);
}

/* Whether the deferred call releases something the iteration made: it
 * names a variable declared inside the loop body (f, err := os.Open(p);
 * defer f.Close(); ctx, cancel := ...; defer cancel()), also inside a
 * deferred function literal, or unlocks a lock the iteration took. Defers
 * of longer-lived things (r.closeScope(), <-sem) pile up nothing new. */
/* Whether variable v gets a new value in tokens (a, b): f, err = os.Open(p)
 * in the loop body for a variable declared before the loop. */
static int assigned_between(const facts *f, const var_fact *v, uint32_t a, uint32_t b) {
    for (uint32_t u = next_use(f, v, a, b); u != NONE32 && u < b; u = next_use(f, v, u, b)) {
        use_info ui;
        q_use(f, u, &ui);
        if (ui.kind == GOLEAK_USE_ASSIGN && f->nodes[ui.node].kind == N(ASSIGN)) return 1;
    }
    return 0;
}

static int per_iteration(const facts *f, uint32_t d, uint32_t call, uint32_t loop) {
    uint32_t body = child_by_role(f, loop, R(BODY));
    if (body == NONE32) return 0;
    for (uint32_t i = f->nodes[call].first; i <= f->nodes[call].last; i++) {
        if (f->toks[i].kind != T(IDENT) || (i > 0 && f->toks[i - 1].kind == T(PERIOD))) continue;
        const var_fact *v = resolve(f, i);
        if (!v) continue;
        if (v->name > f->nodes[body].first && v->name < f->nodes[d].first) return 1;
        /* declared before the loop, given a new value in its body */
        if (v->name < f->nodes[loop].first && v->func == enclosing_func(f, d) &&
            assigned_between(f, v, f->nodes[body].first, f->nodes[d].first))
            return 1;
    }
    const call_fact *c = call_of(f, call);
    if (!c || c->recv_first == NONE32 || c->name == NONE32 ||
        !(tok_is(f, c->name, "Unlock") || tok_is(f, c->name, "RUnlock")))
        return 0;
    FOR_KIND_IN(f, N(CALL), l, f->nodes[body].first + 1, f->nodes[d].first - 1) {
        const call_fact *lc = call_of(f, l);
        if (lc && lc->recv_first != NONE32 && lc->name != NONE32 &&
            (tok_is(f, lc->name, "Lock") || tok_is(f, lc->name, "RLock")) &&
            toks_same(f, lc->recv_first, lc->recv_last, c->recv_first, c->recv_last))
            return 1;
    }
    return 0;
}

/* Whether the variables the deferred call releases (those per_iteration
 * found: declared or assigned in the loop body) are not used in the rest
 * of the iteration: the iteration makes them and defers their release
 * without using them, so they are made for the code after the loop (mount
 * points, temporary directories that a later step scans), and releasing
 * them at the function's end is the point. */
static int made_for_after_loop(const facts *f, uint32_t d, uint32_t call, uint32_t loop) {
    const call_fact *c = call_of(f, call);
    uint32_t lit = f->nodes[call].child;
    if (lit != NONE32 && f->nodes[lit].kind == N(FUNCLIT)) return 0;
    /* a handle released by its own method (f.Close(), ref.Release()) is an
     * object the iteration holds; a resource released by name, an argument
     * (unmount(dir), os.RemoveAll(tmp)), is a side effect made for later */
    if (!c || c->recv_first != NONE32) return 0;
    uint32_t body = child_by_role(f, loop, R(BODY));
    if (body == NONE32) return 0;
    uint32_t after = f->nodes[d].last, end = f->nodes[body].last;
    int any = 0;
    for (uint32_t i = f->nodes[call].key + 1; i <= f->nodes[call].last; i++) {
        if (f->toks[i].kind != T(IDENT) || (i > 0 && f->toks[i - 1].kind == T(PERIOD))) continue;
        const var_fact *v = resolve(f, i);
        if (!v || !(v->name > f->nodes[body].first || v->name < f->nodes[loop].first)) continue;
        if (v->name < f->nodes[loop].first &&
            !assigned_between(f, v, f->nodes[body].first, f->nodes[d].first))
            continue;
        if (v->name > f->nodes[body].first && v->name > f->nodes[d].first) continue;
        any = 1;
        if (next_use(f, v, after, end) != NONE32) return 0;
        /* what the same statement made with it: ctx, cancel := ...; defer
         * cancel(); ... uses ctx */
        uint32_t decl = f->nodes[v->decl].kind == N(ASSIGN) ? v->decl : NONE32;
        /* or the assignment in the body that gave it its value */
        for (uint32_t u = next_use(f, v, f->nodes[body].first, f->nodes[d].first);
             u != NONE32 && u < f->nodes[d].first; u = next_use(f, v, u, f->nodes[d].first)) {
            use_info ui;
            q_use(f, u, &ui);
            if (ui.kind == GOLEAK_USE_ASSIGN && f->nodes[ui.node].kind == N(ASSIGN)) decl = ui.node;
        }
        for (uint32_t k = 0; decl != NONE32; k++) {
            uint32_t lhs = nth_child_by_role(f, decl, R(LHS), k), t;
            if (lhs == NONE32) break;
            if (!expr_ident(f, lhs, &t) || tok_is(f, t, "err") || tok_is(f, t, "ok")) continue;
            const var_fact *w = resolve(f, t);
            if (w && w != v && next_use(f, w, after, end) != NONE32) return 0;
        }
    }
    return any;
}

/* Whether the select case around the defer (inside the loop) can run at
 * most once per call (clause_runs_once). */
static int case_runs_once(const facts *f, uint32_t d, uint32_t loop) {
    for (uint32_t p = f->nodes[d].parent; p != NONE32 && p != loop; p = f->nodes[p].parent)
        if (f->nodes[p].kind == N(COMM)) return clause_runs_once(f, p, loop);
    return 0;
}

/* The number of elements of composite literal node e (after expr_node),
 * or of an integer literal; NONE32 when it is neither. */
static uint32_t literal_count(const facts *f, uint32_t e) {
    e = e != NONE32 ? expr_node(f, e) : NONE32;
    if (e == NONE32) return NONE32;
    if (f->nodes[e].kind == N(COMPOSITE)) {
        uint32_t n = 0;
        for (uint32_t c = f->nodes[e].child; c != NONE32; c = f->nodes[c].next)
            n += f->nodes[c].role == R(ELEM) || f->nodes[c].role == R(VALUE);
        return n;
    }
    uint32_t t = f->nodes[e].first;
    if (t != f->nodes[e].last || f->toks[t].kind != T(INT) || f->toks[t].len > 3) return NONE32;
    return (uint32_t)strtoul((const char *)f->src + f->toks[t].off, NULL, 10);
}

/* Whether the loop runs a few rounds fixed in the source: a range over a
 * literal of at most MAX_FEW_ROUNDS elements (or such a variable that
 * nothing sets again: var files = [3]string{...}), over a small integer,
 * or for i := 0; i < N; i++ with a small N. Its defers pile up to a
 * bound, not a leak. */
#define MAX_FEW_ROUNDS 16
static int few_rounds(const facts *f, uint32_t loop) {
    uint32_t n = NONE32;
    if (f->nodes[loop].kind == N(RANGE)) {
        uint32_t x = child_by_role(f, loop, R(X)), t;
        if (x == NONE32) return 0;
        n = literal_count(f, x);
        const var_fact *v = n == NONE32 && expr_ident(f, x, &t) ? resolve(f, t) : NULL;
        if (v && v->value != NONE32 && !var_set_in(f, v, v->name, v->scope_end))
            n = literal_count(f, v->value);
    } else {
        uint32_t cond = child_by_role(f, loop, R(COND));
        uint32_t a = cond != NONE32 ? f->nodes[cond].first : NONE32;
        if (a != NONE32 && f->nodes[cond].last == a + 2 && f->toks[a].kind == T(IDENT) &&
            (f->toks[a + 1].kind == T(LSS) || f->toks[a + 1].kind == T(LEQ)) &&
            f->toks[a + 2].kind == T(INT) && f->toks[a + 2].len <= 3)
            n = (uint32_t)strtoul((const char *)f->src + f->toks[a + 2].off, NULL, 10);
    }
    return n != NONE32 && n <= MAX_FEW_ROUNDS;
}

/* Whether the unit has a defer in a loop body at all. */
static int has_defer_in_loop(const goleak_unit *u) {
    FOR_UNIT_NODE(u, N(DEFER), d) {
        if (unit_in_loop_body(u, d)) return 1;
    }
    return 0;
}

static int check_defer_in_loop(goleak_check *chk, void *ud) {
    (void)ud;
    if (!has_defer_in_loop(chk->unit)) return 0;
    const facts *f = check_facts(chk);
    /* in a test file the pile-up ends with the test, and deferring to its
     * end is often the point (connections kept open for checks after the
     * loop, mocks restored at the end) */
    if (!f || in_test_file(f)) return 0;
    leave_memo lm;
    if (leave_memo_init(&lm, f)) {
        leave_memo_free(&lm, f);
        *f->oom = 1;
        return 0;
    }
    FOR_KIND(f, N(DEFER), d) {
        uint32_t loop = loop_around(f, d);
        if (loop == NONE32 || unreachable(f, d)) continue;
        if (guarded_once_in_loop(f, d, loop) || leaves_loop_after(f, d, loop, &lm)) continue;
        /* test functions (and helpers taking a *testing.T) outside test
         * files too, for the same reason */
        uint32_t fn = enclosing_func(f, d);
        if (fn != NONE32 && is_test_func(f, fn)) continue;
        uint32_t call = f->nodes[d].child;
        if (call == NONE32) continue;
        if (case_runs_once(f, d, loop)) continue;
        /* a loop that runs until something breaks out of it (for {}) piles
         * up any defer, one per round, without bound */
        int forever = f->nodes[loop].kind == N(FOR) && child_by_role(f, loop, R(COND)) == NONE32;
        if (!per_iteration(f, d, call, loop) && !forever) continue;
        if (!forever && (made_for_after_loop(f, d, call, loop) || few_rounds(f, loop))) continue;
        if (restores_setting(f, call) || cancel_for_awaited_goroutines(f, call, loop)) continue;
        if (receiver_kept(f, call, loop) || used_after_loop(f, call, loop)) continue;
        if (ranged_resource(f, call, loop) || released_in_iteration(f, d, call, loop) ||
            error_only_cleanup(f, call))
            continue;
        char what[64];
        check_report_node(chk, d,
                          "`defer %s` inside a loop (line %u): the deferred calls pile up until "
                          "the function returns; move the loop body into a function, or release "
                          "at the end of each iteration",
                          node_snippet(f, call, what, sizeof what),
                          (unsigned)tok_line(f, f->nodes[loop].first));
    }
    leave_memo_free(&lm, f);
    return 0;
}

const goleak_rule_def builtin_GL005 = {
    .version = GOLEAK_RULE_DEF_VERSION,
    .id = "GL005",
    .name = "defer-in-loop",
    .severity = GOLEAK_SEVERITY_WARNING,
    .check = check_defer_in_loop,
    .triggers = "defer",
};
