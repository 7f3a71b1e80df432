/* Goroutines and the channels they share: see goroutine.h. */
#include "goroutine.h"

#include "../query.h"

uint32_t goroutine_func(const facts *f, uint32_t go_stmt) {
    uint32_t call = f->nodes[go_stmt].child;
    if (call == NONE32 || f->nodes[call].kind != N(CALL)) return NONE32;
    /* go func(...) {...}(args) */
    for (uint32_t c = f->nodes[call].child; c != NONE32; c = f->nodes[c].next)
        if (f->nodes[c].kind == N(FUNCLIT) && f->nodes[c].role == R(NONE)) return c;
    const call_fact *cf = call_of(f, call);
    if (!cf || cf->name == NONE32 || cf->pkg != PKG_NONE) return NONE32;
    /* go run(ch), run := func(out chan<- T) {...}: a local function value
     * that is never given another one */
    const var_fact *v = cf->recv_first == NONE32 ? resolve(f, cf->name) : NULL;
    if (v) {
        uint32_t lit = v->value != NONE32 ? expr_node(f, v->value) : NONE32;
        if (lit == NONE32 || f->nodes[lit].kind != N(FUNCLIT) || v->func == NONE32) return NONE32;
        uint32_t end = f->nodes[v->func].last;
        for (uint32_t u = next_use(f, v, v->name, end); u != NONE32; u = next_use(f, v, u, end)) {
            use_info ui;
            q_use(f, u, &ui);
            if (ui.kind == GOLEAK_USE_ASSIGN || (ui.flags & GOLEAK_USE_ADDRESS)) return NONE32;
        }
        return lit;
    }
    return find_func(f, cf->name);
}

int expr_is_var(const facts *f, uint32_t e, const var_fact *v) {
    uint32_t t;
    return e != NONE32 && expr_ident(f, e, &t) && resolve(f, t) == v;
}

const var_fact *channel_in_goroutine(const facts *f, uint32_t go_stmt, uint32_t fn,
                                     const var_fact *ch) {
    uint32_t call = f->nodes[go_stmt].child;
    for (uint32_t k = 0;; k++) {
        uint32_t arg = call_arg(f, call, k);
        if (arg == NONE32) break;
        if (expr_is_var(f, arg, ch)) return param_at(f, fn, k);
    }
    if (f->nodes[fn].kind == N(FUNCLIT) && var_used_in(f, ch, fn)) return ch;
    return NULL;
}

static const var_fact *ident_var(const facts *f, uint32_t a, uint32_t b) {
    while (a < b && f->toks[a].kind == T(LPAREN) && f->toks[b].kind == T(RPAREN)) a++, b--;
    return span_is_ident(f, a, b) ? resolve(f, a) : NULL;
}

const var_fact *send_chan(const facts *f, uint32_t send) {
    uint32_t ch = child_by_role(f, send, R(CHAN));
    return ch == NONE32 ? NULL : ident_var(f, f->nodes[ch].first, f->nodes[ch].last);
}

const var_fact *recv_chan(const facts *f, uint32_t recv) {
    return ident_var(f, f->nodes[recv].first + 1, f->nodes[recv].last);
}

const var_fact *range_chan(const facts *f, uint32_t rng) {
    uint32_t x = child_by_role(f, rng, R(X));
    return x == NONE32 ? NULL : ident_var(f, f->nodes[x].first, f->nodes[x].last);
}

int chan_use_escapes(const facts *f, uint32_t u, uint32_t skip_call) {
    use_info ui;
    q_use(f, u, &ui);
    switch (ui.kind) {
    case -1:                 /* its declaration */
    case GOLEAK_USE_RECEIVE: /* <-ch, ch <- v, range ch: the channel is used here */
    case GOLEAK_USE_SEND_ON:
    case GOLEAK_USE_RANGE:
    case GOLEAK_USE_ASSIGN: /* ch = ...: a new value, not handed on */
    case GOLEAK_USE_SELECT:
    case GOLEAK_USE_INDEX: return 0;
    case GOLEAK_USE_ARG: {
        /* close(ch), len(ch), cap(ch) keep it; the goroutine's own call is skipped */
        if (ui.flags & GOLEAK_USE_ADDRESS) return 1;
        if (ui.node == skip_call) return 0;
        const call_fact *cf = call_of(f, ui.node);
        return !(cf && (call_is_func(f, cf, "close") || call_is_func(f, cf, "len") ||
                        call_is_func(f, cf, "cap")));
    }
    default: return 1; /* returned, stored, sent, copied, in a literal, compared */
    }
}
