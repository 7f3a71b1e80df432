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
    /* go run(ch), run := func(out chan<- T) {...}, or run := s.worker (a
     * method value), or run := worker: a local function value that is
     * never given another one */
    const var_fact *v = cf->recv_first == NONE32 ? resolve(f, cf->name) : NULL;
    if (v) {
        if (v->value == NONE32 || v->func == NONE32 ||
            var_set_in(f, v, v->name, f->nodes[v->func].last))
            return NONE32;
        return func_value(f, v->value);
    }
    return find_func(f, cf->name);
}

uint32_t func_value(const facts *f, uint32_t expr) {
    uint32_t e = expr_node(f, expr);
    if (e != NONE32 && f->nodes[e].kind == N(FUNCLIT)) return e;
    /* worker, or x.worker: a function or method of the file by its name */
    uint32_t a = f->nodes[expr].first, b = f->nodes[expr].last;
    if (f->toks[b].kind != T(IDENT)) return NONE32;
    if (a == b) return resolve(f, a) ? NONE32 : find_func(f, a);
    if (b == a + 2 && f->toks[a].kind == T(IDENT) && f->toks[a + 1].kind == T(PERIOD) &&
        resolve(f, a))
        return find_func(f, b);
    return NONE32;
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

/* Whether the FUNC fn is passed by name to a Do call (once.Do(s.start),
 * once.Do(start)): a sync.Once runs it once for the program's life. */
static int passed_to_do(const facts *f, uint32_t fn) {
    uint32_t name = f->nodes[fn].key;
    if (name == NONE32) return 0;
    uint32_t n;
    const uint32_t *at = idents_named(f, name, &n);
    for (uint32_t i = 0; i < n; i++) {
        uint32_t e = node_at(f, at[i]);
        if (f->nodes[e].kind != N(EXPR) || f->nodes[e].role != R(ARG) || f->nodes[e].last != at[i])
            continue;
        const call_fact *c = call_of(f, f->nodes[e].parent);
        if (c && call_is_method(f, c, "Do") && c->nargs == 1) return 1;
    }
    return 0;
}

/* Whether the FUNC or FUNCLIT fn is a command's handler: the value of a
 * Run, RunE, Action or PreRun key of a literal (a cobra.Command, a
 * cli.Command), given as a literal or by name. A command runs once per
 * process. */
static int command_handler(const facts *f, uint32_t fn) {
    static const char *const keys[] = {"Run", "RunE", "Action", "PreRun", "PreRunE"};
    uint32_t e = NONE32;
    if (f->nodes[fn].kind == N(FUNCLIT)) {
        e = q_slot_of(f, fn);
        if (e != NONE32 && f->nodes[e].role == R(VALUE)) {
            uint32_t key = NONE32, lit = f->nodes[e].parent;
            if (f->nodes[lit].kind != N(COMPOSITE)) return 0;
            for (uint32_t c = f->nodes[lit].child; c != NONE32 && c != e; c = f->nodes[c].next)
                key = f->nodes[c].role == R(KEY) ? c : NONE32;
            for (size_t k = 0; key != NONE32 && k < sizeof keys / sizeof *keys; k++)
                if (tok_is(f, f->nodes[key].first, keys[k])) return 1;
        }
        return 0;
    }
    uint32_t name = f->nodes[fn].key, n;
    if (name == NONE32) return 0;
    const uint32_t *at = idents_named(f, name, &n);
    for (uint32_t i = 0; i < n; i++) {
        uint32_t t = at[i];
        if (t < 2 || f->toks[t - 1].kind != T(COLON) || f->toks[t + 1].kind == T(LPAREN)) continue;
        for (size_t k = 0; k < sizeof keys / sizeof *keys; k++)
            if (tok_is(f, t - 2, keys[k])) return 1;
    }
    return 0;
}

/* Whether the process ends right after call c returns: a later statement
 * of the list holding c's statement never returns, or calls a function
 * named Exit..., exit..., Fatal... (ExitWithError(err) of another file of a
 * command). */
static int process_ends_after(const facts *f, uint32_t c) {
    uint32_t s = stmt_of(f, c);
    if (s == NONE32) return 0;
    for (uint32_t x = f->nodes[s].next; x != NONE32; x = f->nodes[x].next) {
        if (f->nodes[x].kind != N(EXPRSTMT)) continue;
        uint32_t call = expr_node(f, x);
        const call_fact *cf = call != NONE32 ? call_of(f, call) : NULL;
        if (!cf || cf->name == NONE32) continue;
        if (call_never_returns(f, call)) return 1;
        if (cf->pkg == PKG_NONE && cf->recv_first == NONE32 &&
            (tok_has_prefix(f, cf->name, "Exit") || tok_has_prefix(f, cf->name, "exit") ||
             tok_has_prefix(f, cf->name, "Fatal")))
            return 1;
    }
    return 0;
}

/* Whether top-level function fn runs once per process: passed to a
 * sync.Once, a command's handler, or called only (by name, in the file)
 * from such functions, from main or init, or where the process ends right
 * after the call returns. */
/* Whether function literal fl is an argument of a call other than a
 * sync.Once's Do. */
static int callback_of(const facts *f, uint32_t fl) {
    uint32_t arg = f->nodes[fl].parent;
    if (arg == NONE32 || f->nodes[arg].role != R(ARG)) return 0;
    const call_fact *c = call_of(f, f->nodes[arg].parent);
    return c && !call_is_method(f, c, "Do");
}

int once_per_process(const facts *f, uint32_t fn, int depth, int flags) {
    if (fn == NONE32 || depth > 2) return 0;
    if (command_handler(f, fn)) return 1;
    if (f->nodes[fn].kind != N(FUNC) || f->nodes[fn].key == NONE32) return 0;
    uint32_t name = f->nodes[fn].key;
    if (tok_is(f, name, "main") || tok_is(f, name, "init")) return (flags & ONCE_WITH_MAIN) != 0;
    uint32_t n;
    const uint32_t *calls = calls_named(f, name, &n);
    if (n == 0) return passed_to_do(f, fn);
    for (uint32_t i = 0; i < n; i++) {
        uint32_t c = f->calls.data[calls[i]].node;
        if (loop_around(f, c) != NONE32) return 0;
        if (process_ends_after(f, c)) continue;
        uint32_t caller = enclosing_func(f, c);
        if (caller == NONE32 || caller == fn) return 0;
        /* a function literal handed to a call (a walk's or a queue's
         * callback) may run again and again */
        if ((flags & ONCE_CALLBACKS_REPEAT) && f->nodes[caller].kind == N(FUNCLIT) &&
            (callback_of(f, caller) || loop_around(f, f->nodes[caller].parent) != NONE32))
            return 0;
        if (!once_per_process(f, caller, depth + 1, flags) &&
            !once_per_process(f, top_func(f, c), depth + 1, flags))
            return 0;
    }
    return 1;
}
