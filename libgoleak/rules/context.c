/* GL018 context-cancel-leak. */
#include "paths.h"
#include "rules.h"

#include <string.h>

static const char *const with_funcs[] = {"WithCancel",       "WithTimeout",
                                         "WithDeadline",     "WithCancelCause",
                                         "WithTimeoutCause", "WithDeadlineCause"};

static const char *with_name(const facts *f, const call_fact *c) {
    for (size_t k = 0; k < sizeof with_funcs / sizeof *with_funcs; k++)
        if (call_is_pkg(f, c, PKG_CONTEXT, with_funcs[k])) return with_funcs[k];
    return NULL;
}

typedef struct cancel_ctx {
    const var_fact *cancel;
    uint32_t parent_first, parent_last; /* the parent context argument's tokens */
} cancel_ctx;

/* A return in `case <-parent.Done():`: the parent is done, which cancels
 * the child context too. */
static int returns_on_parent_done(const release_query *q, uint32_t ret) {
    const cancel_ctx *cc = q->ctx;
    const facts *f = q->f;
    if (cc->parent_first == NONE32) return 0;
    for (uint32_t p = f->nodes[ret].parent; p != NONE32; p = f->nodes[p].parent) {
        if (f->nodes[p].kind == N(FUNC) || f->nodes[p].kind == N(FUNCLIT)) return 0;
        if (f->nodes[p].kind != N(COMM)) continue;
        uint32_t comm = child_by_role(f, p, R(COMM));
        if (comm == NONE32) continue;
        uint32_t a = f->nodes[comm].first, b = f->nodes[comm].last,
                 n = cc->parent_last - cc->parent_first;
        /* <- parent . Done ( ) */
        if (b == a + n + 5 && f->toks[a].kind == T(ARROW) &&
            toks_same(f, a + 1, a + 1 + n, cc->parent_first, cc->parent_last) &&
            tok_is(f, a + n + 3, "Done"))
            return 1;
    }
    return 0;
}

/* cancel() itself, or cancel(err) for the Cause variants */
static int calls_cancel(const release_query *q, uint32_t call) {
    const cancel_ctx *cc = q->ctx;
    const facts *f = q->f;
    const node *c = &f->nodes[call];
    return c->key == c->first + 1 && resolve(f, c->first) == cc->cancel;
}

/* Whether a use of the cancel variable hands it elsewhere (returned,
 * stored, passed, captured by a deferred or started function value) rather
 * than calling it. */
static int use_escapes(const facts *f, uint32_t use) {
    return f->toks[use + 1].kind != T(LPAREN);
}

static void report_discarded(goleak_check *chk, uint32_t call, const char *fn_name) {
    check_report_node(chk, call,
                      "the cancel function of context.%s is discarded: the context and its "
                      "resources stay until the parent is done; keep it and `defer cancel()`",
                      fn_name);
}

/* Checks the cancel variable v returned by the WithX call. */
static void check_cancel_var(goleak_check *chk, const facts *f, uint32_t call, const char *fn_name,
                             const var_fact *v) {
    /* uses after the call: calls release it, anything else hands it on;
     * in a loop, the uses earlier in its body run on the next iteration */
    uint32_t calls = 0, escapes = 0;
    uint32_t end = v->func != NONE32 ? f->nodes[v->func].last : f->u->toks.len - 1;
    uint32_t loop = loop_around(f, call);
    uint32_t from = loop != NONE32 ? f->nodes[loop].first : f->nodes[call].last;
    uint32_t stmt = stmt_of(f, call);
    for (uint32_t u = next_use(f, v, from, end); u != NONE32; u = next_use(f, v, u, end)) {
        if (stmt != NONE32 && u >= f->nodes[stmt].first && u <= f->nodes[stmt].last) continue;
        if (use_escapes(f, u))
            escapes++;
        else
            calls++;
    }
    if (escapes || (v->flags & VF_RESULT)) return; /* handed on (a named result is returned) */
    char name[48];
    snippet(f, v->name, v->name, name, sizeof name);
    if (calls == 0) {
        check_report_node(chk, call,
                          "`%s` from context.%s is never called: the context's resources leak "
                          "until the parent is done; `defer %s()`",
                          name, fn_name, name);
        return;
    }
    uint32_t start = stmt_of(f, call);
    if (start == NONE32) return;
    uint32_t parent = call_arg(f, call, 0);
    cancel_ctx cc = {v, parent != NONE32 ? f->nodes[parent].first : NONE32,
                     parent != NONE32 ? f->nodes[parent].last : NONE32};
    release_query q = {.f = f,
                       .is_release = calls_cancel,
                       .ctx = &cc,
                       .loop = loop_around(f, start),
                       .cond = NONE32,
                       .return_hands_off = returns_on_parent_done};
    uint32_t at;
    int leak = release_check(&q, start, &at);
    if (leak == LEAK_RETURN)
        check_report_node(chk, call,
                          "`%s` from context.%s is not called on the path that returns at line "
                          "%u; `defer %s()` right after creating it",
                          name, fn_name, (unsigned)tok_line(f, f->nodes[at].first), name);
    else if (leak == LEAK_CONTINUE)
        check_report_node(chk, call,
                          "`%s` from context.%s is not called before the `continue` on line %u; "
                          "call it on every path of the iteration",
                          name, fn_name, (unsigned)tok_line(f, f->nodes[at].first));
    else if (leak == LEAK_END)
        check_report_node(chk, call,
                          "`%s` from context.%s is not called on every path to the end of the "
                          "function; `defer %s()` right after creating it",
                          name, fn_name, name);
}

/* The token that receives the cancel function of a WithX call: the second
 * name of `ctx, cancel := ...`, `ctx, cancel = ...` or `var ctx, cancel = ...`;
 * NONE32 when it goes elsewhere (a field, a multi-value call argument). */
static uint32_t cancel_target(const facts *f, uint32_t call) {
    uint32_t expr = f->nodes[call].parent;
    if (expr == NONE32 || expr_node(f, expr) != call) return NONE32;
    uint32_t stmt = f->nodes[expr].parent, tok;
    if (f->nodes[expr].role == R(RHS) && f->nodes[stmt].kind == N(ASSIGN)) {
        uint32_t second = nth_child_by_role(f, stmt, R(LHS), 1);
        return second != NONE32 && expr_ident(f, second, &tok) ? tok : NONE32;
    }
    if (f->nodes[expr].role == R(VALUE) && f->nodes[stmt].kind == N(SPEC)) {
        uint32_t k = 0;
        for (uint32_t i = f->nodes[stmt].first; i < f->nodes[expr].first; i++)
            if (f->toks[i].kind == T(IDENT) && k++ == 1) return i;
    }
    return NONE32;
}

static int check_cancel_leak(goleak_check *chk, void *ud) {
    (void)ud;
    const facts *f = check_facts(chk);
    if (!f) return 0;
    FOR_KIND(f, N(CALL), call) {
        const char *fn_name = with_name(f, call_of(f, call));
        if (!fn_name) continue;
        uint32_t tok = cancel_target(f, call);
        if (tok == NONE32 || unreachable(f, call)) continue;
        if (tok_is(f, tok, "_")) {
            report_discarded(chk, call, fn_name);
            continue;
        }
        const var_fact *v = resolve(f, tok);
        if (v) check_cancel_var(chk, f, call, fn_name, v);
    }
    return 0;
}

const builtin_rule rule_gl018 = {
    "GL018",
    "context-cancel-leak",
    GOLEAK_SEVERITY_WARNING,
    "the cancel function of context.WithCancel/Timeout/Deadline discarded or not always called",
    "The cancel function returned by context.WithCancel, WithTimeout and\n"
    "WithDeadline releases the context's resources: its entry in the parent,\n"
    "its timer, and the goroutines waiting on ctx.Done(). Until it is called\n"
    "they stay alive, up to the parent's lifetime or the deadline.\n"
    "\n"
    "Leaking:\n"
    "\n"
    "    ctx, cancel := context.WithTimeout(parent, 5*time.Second)\n"
    "    rows, err := db.QueryContext(ctx, q)\n"
    "    if err != nil {\n"
    "        return err // cancel is never called on this path\n"
    "    }\n"
    "    defer cancel()\n"
    "\n"
    "Fixed:\n"
    "\n"
    "    ctx, cancel := context.WithTimeout(parent, 5*time.Second)\n"
    "    defer cancel()\n"
    "    rows, err := db.QueryContext(ctx, q)\n"
    "    if err != nil {\n"
    "        return err\n"
    "    }\n"
    "\n"
    "Heuristic: the cancel variable is followed from the call to every return,\n"
    "to a `continue` of the loop that created it, and to the end of the\n"
    "function, through if, switch, select and loops. A cancel that is returned,\n"
    "stored, passed to a function or captured by a function value is handed\n"
    "on and not checked; `_` is reported. A return inside `case\n"
    "<-parent.Done():` releases (the child is cancelled with its parent); in a\n"
    "loop, a call earlier in the body before the cancel is renewed counts.\n",
    NULL,
    NULL,
    check_cancel_leak,
    NULL,
};
