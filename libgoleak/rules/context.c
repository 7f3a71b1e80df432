/* GL018 context-cancel-leak. */
#include "../query.h"
#include "../paths.h"
#include "common.h"
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

/* Whether a select case's communication is a receive from parent.Done(). */
static int receives_parent_done(const facts *f, const cancel_ctx *cc, uint32_t comm) {
    /* the RECV is the communication itself, or the value it assigns */
    uint32_t recv = f->nodes[comm].kind == N(RECV) ? comm : NONE32;
    FOR_KIND_IN(f, N(RECV), r, f->nodes[comm].first, f->nodes[comm].last) {
        if (recv == NONE32) recv = r;
    }
    if (recv == NONE32 || f->nodes[recv].first != f->nodes[comm].first) return 0;
    const call_fact *c = call_of(f, call_at_key(f, f->nodes[recv].last - 1));
    return c && c->nargs == 0 && tok_is(f, c->name, "Done") && c->recv_first != NONE32 &&
           f->nodes[c->node].last == f->nodes[recv].last &&
           toks_same(f, c->recv_first, c->recv_last, cc->parent_first, cc->parent_last);
}

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
        if (comm != NONE32 && receives_parent_done(f, cc, comm)) return 1;
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
        /* a call releases; any other use hands the function on (returned,
         * stored, passed, assigned, captured as a value) */
        use_info ui;
        q_use(f, u, &ui);
        if (ui.kind == GOLEAK_USE_CALL)
            calls++;
        else
            escapes++;
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

/* The token that receives the cancel function of a WithX call (its second
 * result): a variable or `_`; NONE32 when it goes elsewhere (a field, an
 * argument). */
static uint32_t cancel_target(const facts *f, uint32_t call) {
    value_target t;
    q_value_target(f, call, 1, &t);
    int named = t.kind == GOLEAK_TARGET_VAR || t.kind == GOLEAK_TARGET_PACKAGE_VAR ||
                t.kind == GOLEAK_TARGET_BLANK;
    return named && t.first == t.last ? t.first : NONE32;
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

const goleak_rule_def builtin_GL018 = {
    .version = GOLEAK_RULE_DEF_VERSION,
    .id = "GL018",
    .name = "context-cancel-leak",
    .severity = GOLEAK_SEVERITY_WARNING,
    .check = check_cancel_leak,
    .triggers =
        "WithCancel,WithTimeout,WithDeadline,WithCancelCause,WithTimeoutCause,WithDeadlineCause",
};
