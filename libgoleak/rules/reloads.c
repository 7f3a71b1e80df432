/* GL014: a reload that starts a new generation of goroutines on the
 * context its caller gives it (traefik's health checks started again by
 * SetBackendsConfiguration on the server's root context): nothing cancels
 * the previous generation, so every reload adds goroutines that live as
 * long as the process. */
#include "goroutine.h"
#include "reloads.h"
#include "replace.h"
#include "rules.h"

/* The first field of receiver rv that method fn assigns (rv.F = ...): F's
 * token, NONE32. */
static uint32_t assigned_field(const facts *f, uint32_t fn, const var_fact *rv) {
    FOR_KIND_IN(f, N(ASSIGN), as, f->nodes[fn].first, f->nodes[fn].last) {
        uint32_t lhs = nth_child_by_role(f, as, R(LHS), 0);
        if (lhs == NONE32 || enclosing_func(f, as) != fn) continue;
        uint32_t field = receiver_field(f, rv, f->nodes[lhs].first, f->nodes[lhs].last);
        if (field != NONE32) return field;
    }
    return NONE32;
}

/* The context.Context parameter of fn that go statement g hands its
 * goroutine (an argument, or captured by its literal): NULL when none. */
static const var_fact *context_handed(const facts *f, uint32_t fn, uint32_t g, uint32_t target) {
    for (uint32_t k = 0;; k++) {
        const var_fact *p = param_at(f, fn, k);
        if (!p) return NULL;
        if (!declared_context(f, p)) continue;
        if (var_used_in(f, p, g) ||
            (f->nodes[target].kind == N(FUNCLIT) && var_used_in(f, p, target)))
            return p;
    }
}

/* Whether function fn, before token `before`, derives a context or stops
 * something (WithCancel, WithTimeout, cancel(), x.Stop(), x.Close()): the
 * previous generation may be ended there. */
static int ends_something_before(const facts *f, uint32_t fn, uint32_t before) {
    static const char *const verbs[] = {"WithCancel", "WithTimeout", "WithDeadline", "cancel",
                                        "Cancel",     "Stop",        "stop",         "Close",
                                        "close",      "Shutdown",    "shutdown"};
    FOR_KIND_IN(f, N(CALL), c, f->nodes[fn].first, before) {
        const call_fact *cf = call_of(f, c);
        if (!cf || cf->name == NONE32) continue;
        for (size_t k = 0; k < sizeof verbs / sizeof *verbs; k++)
            if (tok_has_prefix(f, cf->name, verbs[k])) return 1;
    }
    return 0;
}

/* loop_exit's filter: an exit in a select case that waits on a Done()
 * (case <-ctx.Done(): return). */
static int exit_on_done(const facts *f, uint32_t exit, const void *ctx) {
    (void)ctx;
    for (uint32_t p = f->nodes[exit].parent; p != NONE32; p = f->nodes[p].parent) {
        int k = f->nodes[p].kind;
        if (k == N(FUNC) || k == N(FUNCLIT)) break;
        uint32_t comm = k == N(COMM) ? child_by_role(f, p, R(COMM)) : NONE32;
        if (comm == NONE32) continue;
        FOR_KIND_IN(f, N(CALL), c, f->nodes[comm].first, f->nodes[comm].last) {
            const call_fact *cf = call_of(f, c);
            if (cf && cf->name != NONE32 && cf->nargs == 0 && tok_is(f, cf->name, "Done")) return 1;
        }
    }
    return 0;
}

/* Whether goroutine function target loops until a context is done, and
 * only then: a for with no condition whose every way out is a select case
 * on a Done(). */
static int loops_until_done(const facts *f, uint32_t target) {
    FOR_KIND_IN(f, N(FOR), lp, f->nodes[target].first, f->nodes[target].last) {
        if (enclosing_func(f, lp) != target || child_by_role(f, lp, R(COND)) != NONE32 ||
            child_by_role(f, lp, R(INIT)) != NONE32)
            continue;
        if (loop_exit(f, lp, target, NULL, NULL) != NONE32 &&
            loop_exit(f, lp, target, exit_on_done, NULL) == NONE32)
            return 1;
    }
    return 0;
}

void check_reload_goroutines(goleak_check *chk, const facts *f) {
    FOR_KIND(f, N(GO), g) {
        uint32_t fn = enclosing_func(f, g), target = goroutine_func(f, g);
        if (fn == NONE32 || target == NONE32 || f->nodes[fn].kind != N(FUNC) || unreachable(f, g))
            continue;
        const var_fact *rv = receiver_var(f, fn);
        uint32_t field = rv ? assigned_field(f, fn, rv) : NONE32;
        if (field == NONE32 || !method_reconfigures(f, fn, rv, field)) continue;
        const var_fact *ctx = context_handed(f, fn, g, target);
        if (!ctx || !loops_until_done(f, target) || ends_something_before(f, fn, f->nodes[g].first))
            continue;
        char name[48], method[48];
        snippet(f, ctx->name, ctx->name, name, sizeof name);
        snippet(f, f->nodes[fn].key, f->nodes[fn].key, method, sizeof method);
        check_report_node(chk, g,
                          "`%s` reconfigures its receiver and starts this goroutine on `%s`, the "
                          "context it is given, without ending the ones the previous "
                          "configuration started: they run until `%s` is done, one more "
                          "generation per call; keep a cancel function for each generation and "
                          "call it before starting the next",
                          method, name, name);
    }
}
