/* GL014: a goroutine that waits on the parent context when what its
 * function starts is bound to a child context whose cancel function is
 * handed on (kept in the object the function builds): once the object is
 * cancelled, the goroutine waits on for the parent's whole life, one per
 * call. */
#include "../query.h"
#include "goroutine.h"
#include "parentctx.h"
#include "rules.h"

static const char *const with_funcs[] = {"WithCancel",       "WithTimeout",
                                         "WithDeadline",     "WithCancelCause",
                                         "WithTimeoutCause", "WithDeadlineCause"};

/* Whether cancel variable k of function fn is handed on (stored in a
 * field or a literal, returned) and neither called nor deferred by fn. */
static int cancel_handed_on(const facts *f, const var_fact *k, uint32_t fn) {
    int handed = 0;
    uint32_t end = k->scope_end;
    for (uint32_t u = next_use(f, k, k->name, end); u != NONE32; u = next_use(f, k, u, end)) {
        use_info ui;
        q_use(f, u, &ui);
        if (ui.kind == -1) continue;
        if (ui.kind == GOLEAK_USE_CALL && ui.node != NONE32 && enclosing_func(f, ui.node) == fn)
            return 0;
        if (ui.kind == GOLEAK_USE_STORE || ui.kind == GOLEAK_USE_COMPOSITE ||
            ui.kind == GOLEAK_USE_RETURN)
            handed = 1;
    }
    return handed;
}

/* The first `<-p.Done()` in literal lit's body (not in a nested literal),
 * with p resolving to parent: NONE32. */
static uint32_t parent_done_wait(const facts *f, uint32_t lit, const var_fact *parent) {
    uint32_t n;
    const uint32_t *calls = calls_named_text(f, "Done", &n);
    for (uint32_t i = calls_from(f, calls, n, f->nodes[lit].first); i < n; i++) {
        const call_fact *c = &f->calls.data[calls[i]];
        uint32_t a = f->nodes[c->node].first;
        if (a > f->nodes[lit].last) break;
        if (c->recv_first == NONE32 || c->recv_first != c->recv_last || c->nargs != 0 ||
            resolve(f, c->recv_first) != parent || enclosing_func(f, c->node) != lit)
            continue;
        if (a > 0 && f->toks[a - 1].kind == T(ARROW)) return c->node;
    }
    return NONE32;
}

/* Whether node n is the communication of a select case of lit (case
 * <-y.Done():): the select has other ways on. */
static int in_select_case_of(const facts *f, uint32_t n, uint32_t lit) {
    for (uint32_t p = n; p != NONE32 && p != lit; p = f->nodes[p].parent)
        if (f->nodes[p].role == R(COMM)) return 1;
    return 0;
}

/* Whether the field named like token t is given variable v anywhere in
 * the file (x.t = v, T{t: v}): a chain ending in t may hold v. */
static int field_given(const facts *f, uint32_t t, const var_fact *v) {
    uint32_t n, ntok = f->u->toks.len;
    const uint32_t *at = idents_named(f, t, &n);
    for (uint32_t i = 0; i < n; i++) {
        uint32_t x = at[i];
        if (x + 2 < ntok && (f->toks[x + 1].kind == T(COLON) || f->toks[x + 1].kind == T(ASSIGN)) &&
            f->toks[x + 2].kind == T(IDENT) && resolve(f, x + 2) == v)
            return 1;
    }
    return 0;
}

/* The first bare `<-y.Done()` in literal lit's own body whose context y
 * is not the child (a parent, a field: s.lifetime), when lit never looks
 * at child.Done() itself: NONE32 otherwise. */
static uint32_t other_done_wait(const facts *f, uint32_t lit, const var_fact *child) {
    uint32_t n, found = NONE32;
    const uint32_t *calls = calls_named_text(f, "Done", &n);
    for (uint32_t i = calls_from(f, calls, n, f->nodes[lit].first); i < n; i++) {
        const call_fact *c = &f->calls.data[calls[i]];
        uint32_t a = f->nodes[c->node].first;
        if (a > f->nodes[lit].last) break;
        if (c->recv_first == NONE32 || c->nargs != 0) continue;
        if (resolve(f, c->recv_first) == child) return NONE32;
        if (found == NONE32 && enclosing_func(f, c->node) == lit && a > 0 &&
            f->toks[a - 1].kind == T(ARROW) && !in_select_case_of(f, c->node, lit))
            found = c->node;
    }
    return found;
}

static void check_with_call(goleak_check *chk, const facts *f, const call_fact *c,
                            const char *with) {
    uint32_t call = c->node, fn = enclosing_func(f, call);
    uint32_t p = call_arg(f, call, 0), tok;
    if (fn == NONE32 || p == NONE32) return;
    /* the parent: a variable, or another expression (r.Context()) */
    const var_fact *parent = expr_ident(f, p, &tok) ? resolve(f, tok) : NULL;
    value_target ct, kt;
    q_value_target(f, call, 0, &ct);
    q_value_target(f, call, 1, &kt);
    if (ct.kind != GOLEAK_TARGET_VAR || kt.kind != GOLEAK_TARGET_VAR) return;
    const var_fact *child = resolve(f, ct.first), *cancel = resolve(f, kt.first);
    if (!child || !cancel || child == parent) return;
    int handed = cancel_handed_on(f, cancel, fn);
    FOR_KIND_IN(f, N(GO), g, f->nodes[call].last, f->nodes[fn].last) {
        uint32_t lit = goroutine_func(f, g);
        if (enclosing_func(f, g) != fn || lit == NONE32 || f->nodes[lit].kind != N(FUNCLIT) ||
            !node_within(f, lit, g) || var_used_in(f, child, lit))
            continue;
        if (var_used_in(f, cancel, lit)) {
            /* go func() { <-s.lifetime.Done(); cancel() }(): a relay that
             * waits only for the other context */
            uint32_t wait = other_done_wait(f, lit, child);
            /* the relay itself: the wait first in the body, the cancel after */
            uint32_t body = func_body(f, lit), st = wait != NONE32 ? stmt_of(f, wait) : NONE32;
            if (wait == NONE32 || body == NONE32 || st != f->nodes[body].child ||
                f->nodes[st].next == NONE32 || !var_used_in(f, cancel, f->nodes[st].next))
                continue;
            const call_fact *wc = call_of(f, wait);
            if (field_given(f, wc->recv_last, child)) continue; /* x.ctx = cctx: the child */
            char oname[64], cname[48];
            snippet(f, wc->recv_first, wc->recv_last, oname, sizeof oname);
            snippet(f, child->name, child->name, cname, sizeof cname);
            check_report_node(chk, wait,
                              "this goroutine passes `%s`'s end on to `%s`, but waits only for "
                              "`%s`: once `%s` is cancelled (the function's work is done) it "
                              "waits on for `%s`'s whole life, one goroutine per call; select on "
                              "`%s.Done()` too, and return",
                              oname, cname, oname, cname, oname, cname);
            continue;
        }
        uint32_t wait = parent && handed ? parent_done_wait(f, lit, parent) : NONE32;
        if (wait == NONE32) continue;
        char pname[48], cname[48], kname[48];
        snippet(f, parent->name, parent->name, pname, sizeof pname);
        snippet(f, child->name, child->name, cname, sizeof cname);
        snippet(f, cancel->name, cancel->name, kname, sizeof kname);
        check_report_node(chk, wait,
                          "this goroutine waits for `%s` to be done, but what this function "
                          "starts lives only until `%s` (from context.%s, whose `%s` is handed "
                          "on) is cancelled: after that it waits on for the parent's whole "
                          "life, one goroutine per call; wait on `%s.Done()`",
                          pname, cname, with, kname, cname);
    }
}

void check_parent_context_waits(goleak_check *chk, const facts *f) {
    for (size_t w = 0; w < sizeof with_funcs / sizeof *with_funcs; w++) {
        uint32_t n;
        const uint32_t *calls = calls_named_text(f, with_funcs[w], &n);
        for (uint32_t i = 0; i < n; i++) {
            const call_fact *c = &f->calls.data[calls[i]];
            if (c->pkg == PKG_CONTEXT && !unreachable(f, c->node))
                check_with_call(chk, f, c, with_funcs[w]);
        }
    }
}
