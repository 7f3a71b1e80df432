/* GL018 context-cancel-leak. */
#include "../query.h"
#include "../paths.h"
#include "common.h"
#include "pkgindex.h"
#include "replace.h"
#include "rules.h"

#include <stdio.h>
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

/* The walks of GL018 follow go vet's lostcancel: any use of the cancel
 * variable but a new value for it releases the context on the paths through
 * that use (a call, a hand-off: returned, stored, passed; a closure that
 * refers to it counts where the closure is made). Calls are found as uses. */
static int calls_nothing(const release_query *q, uint32_t call) {
    (void)q;
    (void)call;
    return 0;
}

static int cancel_use_releases(const release_query *q, uint32_t use) {
    use_info ui;
    q_use(q->f, use, &ui);
    return ui.kind >= 0 && ui.kind != GOLEAK_USE_ASSIGN;
}

static void report_discarded(goleak_check *chk, uint32_t call, const char *fn_name) {
    check_report_node(chk, call,
                      "the cancel function of context.%s is discarded: the context and its "
                      "resources stay until the parent is done; keep it and `defer cancel()`",
                      fn_name);
}

/* Whether v is used (any use but a new value) in tokens [a, b]. */
static int used_in(const facts *f, const var_fact *v, uint32_t a, uint32_t b) {
    for (uint32_t u = first_use_in(f, v, a, b); u != NONE32; u = next_use(f, v, u, b)) {
        use_info ui;
        q_use(f, u, &ui);
        if (ui.kind >= 0 && ui.kind != GOLEAK_USE_ASSIGN) return 1;
    }
    return 0;
}

/* Whether the parent argument of the WithX call is context.Background() or
 * context.TODO(), or a WithValue of one: nothing cancels the child from
 * above, and it registers nowhere. */
static int root_context(const facts *f, uint32_t call) {
    for (int depth = 0; depth < 4; depth++) {
        uint32_t arg = call_arg(f, call, 0), c = arg != NONE32 ? expr_node(f, arg) : NONE32;
        const call_fact *cf = c != NONE32 ? call_of(f, c) : NULL;
        if (!cf) return 0;
        if (call_is_pkg(f, cf, PKG_CONTEXT, "Background") ||
            call_is_pkg(f, cf, PKG_CONTEXT, "TODO"))
            return 1;
        if (!call_is_pkg(f, cf, PKG_CONTEXT, "WithValue")) return 0;
        call = c;
    }
    return 0;
}

/* Whether the context the WithX call makes (its first result, a variable)
 * is used between the call and statement `until`. */
static int ctx_used_before(const facts *f, uint32_t call, uint32_t until) {
    value_target t;
    q_value_target(f, call, 0, &t);
    if (t.kind != GOLEAK_TARGET_VAR || t.first != t.last) return 1;
    const var_fact *c = resolve(f, t.first);
    if (!c) return 1;
    /* until: a statement (up to its first token), or the function (its end) */
    int whole = f->nodes[until].kind == N(FUNC) || f->nodes[until].kind == N(FUNCLIT);
    uint32_t a = f->nodes[call].last + 1, b = whole ? f->nodes[until].last : f->nodes[until].first;
    for (uint32_t u = first_use_in(f, c, a, b); u != NONE32 && (whole || u < b);
         u = next_use(f, c, u, b)) {
        use_info ui;
        q_use(f, u, &ui);
        if (ui.kind != GOLEAK_USE_ASSIGN) return 1;
    }
    return 0;
}

/* Checks the cancel variable v returned by the WithX call: 1 when reported. */
/* Whether every use of cancel variable v is a call inside a deferred
 * function literal under `if err != nil`, err a named result of v's
 * function: the context is cancelled only when the function fails. The
 * if, NONE32 otherwise. */
static uint32_t cancels_only_on_failure(const facts *f, const var_fact *v) {
    uint32_t end = v->scope_end, guard = NONE32;
    for (uint32_t u = next_use(f, v, v->name, end); u != NONE32; u = next_use(f, v, u, end)) {
        use_info ui;
        q_use(f, u, &ui);
        if (ui.kind == -1) continue;
        if (ui.kind != GOLEAK_USE_CALL || !(ui.flags & GOLEAK_USE_DEFERRED)) return NONE32;
        /* the if around the call, inside the deferred literal */
        uint32_t ifs = NONE32;
        for (uint32_t p = node_at(f, u); p != NONE32 && ifs == NONE32; p = f->nodes[p].parent) {
            if (f->nodes[p].kind == N(FUNCLIT) || f->nodes[p].kind == N(FUNC)) break;
            if (f->nodes[p].kind == N(IF)) ifs = p;
        }
        uint32_t cond = ifs != NONE32 ? child_by_role(f, ifs, R(COND)) : NONE32;
        if (cond == NONE32) return NONE32;
        uint32_t a = f->nodes[cond].first, b = f->nodes[cond].last;
        const var_fact *err = b == a + 2 ? resolve(f, a) : NULL;
        if (!err || !(err->flags & VF_RESULT) || err->func != v->func ||
            f->toks[a + 1].kind != T(NEQ) || !tok_is(f, b, "nil"))
            return NONE32;
        guard = ifs;
    }
    return guard;
}

static int check_cancel_var(goleak_check *chk, const facts *f, uint32_t call, const char *fn_name,
                            const var_fact *v, uint32_t *captured) {
    uint32_t guard = v->func != NONE32 ? cancels_only_on_failure(f, v) : NONE32;
    if (guard != NONE32 && !unreachable(f, call)) {
        char name[48];
        snippet(f, v->name, v->name, name, sizeof name);
        check_report_node(chk, call,
                          "`%s` from context.%s is called only when the function fails (the "
                          "deferred `if` at line %u); when it succeeds nothing cancels the "
                          "context, and what waits on it stays until the parent is done; keep "
                          "`%s` with what the function returns (a Close that calls it)",
                          name, fn_name, (unsigned)tok_line(f, f->nodes[guard].first), name);
        return 1;
    }
    if (v->flags & VF_RESULT) return 0; /* a named result is returned */
    uint32_t start = stmt_of(f, call), fn = enclosing_func(f, call);
    if (start == NONE32 || fn == NONE32) return 0;
    /* a package variable, or a variable of an enclosing function set by a
     * closure: whoever reads the variable later owns the new value */
    if (v->func != fn) return 0;
    /* a closure made before the call (defer func() { cancel() }() before
     * ctx, cancel = context.WithX(...)) reads the variable when it runs: it
     * cancels the latest context */
    uint32_t cap = first_captured_use(f, v, captured);
    if (cap != NONE32 && cap >= f->nodes[fn].first && cap < f->nodes[call].first) return 0;
    /* in a loop, a use earlier in its body runs on the next iteration: a
     * continue does not lose the context then */
    uint32_t loop = loop_around(f, start);
    if (loop != NONE32 && used_in(f, v, f->nodes[loop].first, f->nodes[start].first - 1))
        loop = NONE32;
    uint32_t parent = call_arg(f, call, 0);
    cancel_ctx cc = {v, parent != NONE32 ? f->nodes[parent].first : NONE32,
                     parent != NONE32 ? f->nodes[parent].last : NONE32};
    release_query q = {.f = f,
                       .is_release = calls_nothing,
                       .var_only = 1,
                       .ctx = &cc,
                       .loop = loop,
                       .cond = NONE32,
                       .return_hands_off = returns_on_parent_done,
                       .var = v,
                       .use_releases = cancel_use_releases,
                       .go_round = 1};
    uint32_t at;
    int leak = release_check(&q, start, &at);
    if (leak == LEAK_NONE) return 0;
    char name[48];
    snippet(f, v->name, v->name, name, sizeof name);
    unsigned line = leak == LEAK_END ? 0 : (unsigned)tok_line(f, f->nodes[at].first);
    /* WithCancel of Background() or TODO() holds nothing but what waits
     * on its Done channel: a first value replaced before anything could
     * wait on it (ctx, cancel = context.WithTimeout(...) when a flag is
     * set) loses nothing */
    if (leak == LEAK_OVERWRITE && strncmp(fn_name, "WithCancel", 10) == 0 &&
        root_context(f, call) && !ctx_used_before(f, call, at))
        return 0;
    if (leak == LEAK_OVERWRITE && at == start) {
        check_report_node(chk, call,
                          "`%s` from context.%s is not called before the loop goes round and "
                          "makes the next one: each round leaves a context uncancelled; call "
                          "`%s()` on every path of the iteration",
                          name, fn_name, name);
        return 1;
    }
    if (leak == LEAK_OVERWRITE) {
        check_report_node(chk, call,
                          "`%s` from context.%s is replaced at line %u before it is called: "
                          "this context is never cancelled; call `%s()` before creating the "
                          "next one",
                          name, fn_name, line, name);
        return 1;
    }
    /* the same for a path that leaves: a WithCancel of Background() whose
     * context the path never used holds nothing */
    if ((leak == LEAK_RETURN || leak == LEAK_END) && strncmp(fn_name, "WithCancel", 10) == 0 &&
        root_context(f, call) && !ctx_used_before(f, call, leak == LEAK_END ? fn : at))
        return 0;
    uint32_t end = f->nodes[fn].last;
    if (!used_in(f, v, f->nodes[start].last + 1, end)) {
        check_report_node(chk, call,
                          "`%s` from context.%s is never called: the context's resources leak "
                          "until the parent is done; `defer %s()`",
                          name, fn_name, name);
        return 1;
    }
    if (leak == LEAK_RETURN) {
        failure_note note = after_failure(test_failed_before(f, at) != NONE32);
        check_report_node_severity(chk, note.severity, call,
                                   "`%s` from context.%s is not called (nor handed on) on the "
                                   "path that returns at line %u%s; `defer %s()` right after "
                                   "creating it",
                                   name, fn_name, line, note.note, name);
    } else if (leak == LEAK_CONTINUE)
        check_report_node(chk, call,
                          "`%s` from context.%s is not called before the `continue` on line %u; "
                          "call it on every path of the iteration",
                          name, fn_name, line);
    else
        check_report_node(chk, call,
                          "`%s` from context.%s is not called (nor handed on) on every path to "
                          "the end of the function; `defer %s()` right after creating it",
                          name, fn_name, name);
    return 1;
}

/* Whether field name token t is one the package only ever gives values:
 * declared by the file, set (x.cancel = c, a literal's cancel: c), never
 * called, read or handed on; no other file spells it. */
static int field_only_set(goleak_check *chk, const facts *f, uint32_t t) {
    if (!find_field(f, t) || other_files_spell(chk, f, t)) return 0;
    uint32_t n, ntok = f->u->toks.len;
    const uint32_t *at = idents_named(f, t, &n);
    for (uint32_t i = 0; i < n; i++) {
        uint32_t x = at[i];
        if (x + 1 >= ntok) return 0;
        int next = f->toks[x + 1].kind, dot = x > 0 && f->toks[x - 1].kind == T(PERIOD);
        if (dot ? next == T(ASSIGN) : next == T(COLON)) continue; /* a value given */
        if (!dot && find_field(f, x)) continue;                   /* its declaration */
        if (dot && next == T(COMMA)) {
            /* x.ctx, x.cancel = context.WithCancel(...): on the left */
            uint32_t e = node_at(f, x);
            if (e != NONE32 && f->nodes[e].kind == N(EXPR) && f->nodes[e].role == R(LHS)) continue;
        }
        return 0;
    }
    return 1;
}

/* The field a WithX call's cancel function is kept in, when it is stored
 * straight into one (s.ctx, s.cancel = context.WithCancel(...)) or its
 * variable v is, once, and used for nothing else (x.cancel = cancel,
 * T{cancel: cancel}) but calls on other paths (cancel() before an error
 * return): the field's name token, NONE32 otherwise. */
static uint32_t cancel_field(const facts *f, uint32_t call, const var_fact *v) {
    value_target t;
    q_value_target(f, call, 1, &t);
    if (t.kind == GOLEAK_TARGET_FIELD) return t.last;
    if (!v || v->func == NONE32) return NONE32;
    /* the variable's only use is that store: it is not called itself */
    uint32_t end = v->scope_end, field = NONE32;
    for (uint32_t u = next_use(f, v, v->name, end); u != NONE32; u = next_use(f, v, u, end)) {
        use_info ui;
        q_use(f, u, &ui);
        if (ui.kind == -1) continue; /* its declaration */
        /* cancel() on the failure paths that do not store it */
        if (ui.kind == GOLEAK_USE_CALL &&
            !(ui.flags & (GOLEAK_USE_CAPTURED | GOLEAK_USE_DEFERRED | GOLEAK_USE_GOROUTINE)))
            continue;
        uint32_t at = NONE32;
        if (ui.kind == GOLEAK_USE_COMPOSITE && ui.index != NONE32) at = ui.index;
        if (ui.kind == GOLEAK_USE_STORE) {
            q_value_target(f, ui.slot, 0, &t);
            if (t.kind == GOLEAK_TARGET_FIELD) at = t.last;
        }
        if (at == NONE32 || field != NONE32) return NONE32;
        field = at;
    }
    return field;
}

/* A cancel function kept in a field that nothing in the package ever
 * calls: the context is cancelled only with its parent. */
static void check_cancel_field(goleak_check *chk, const facts *f, uint32_t call,
                               const char *fn_name, const var_fact *v) {
    uint32_t field = cancel_field(f, call, v);
    if (field == NONE32 || !field_only_set(chk, f, field)) return;
    char name[48];
    snippet(f, field, field, name, sizeof name);
    check_report_node(chk, call,
                      "the cancel function of context.%s is kept in field `%s`, which nothing "
                      "in the package ever calls: the context is never cancelled, and what "
                      "waits on it (and its resources) stays until the parent is done; call "
                      "it when its owner is done (in a Close or Stop method)",
                      fn_name, name);
}

/* w.cancel = cancel where w is an entry of a collection of the receiver
 * (w, ok := m.watches[id]; a new one only when missing): an entry found
 * there already holds a cancel function, which the method drops without
 * calling it, when the file calls that field elsewhere (an Unwatch). 1 when
 * reported. */
static int check_entry_cancel_replaced(goleak_check *chk, const facts *f, uint32_t call,
                                       const char *fn_name, uint32_t fn, const var_fact *rv,
                                       uint32_t a, uint32_t b) {
    const var_fact *x = resolve(f, a);
    if (!x || x->func != fn || x->value == NONE32 || x->value_index != 0) return 0;
    uint32_t va = f->nodes[x->value].first, vb = f->nodes[x->value].last;
    /* m.watches[id]: an element of a field of the receiver */
    if (vb < va + 4 || resolve(f, va) != rv || f->toks[va + 1].kind != T(PERIOD) ||
        f->toks[va + 3].kind != T(LBRACK) || f->toks[vb].kind != T(RBRACK))
        return 0;
    uint32_t n, called_elsewhere = 0;
    const uint32_t *calls = calls_named(f, b, &n);
    for (uint32_t i = 0; i < n; i++) {
        const call_fact *c = &f->calls.data[calls[i]];
        if (c->recv_first == NONE32 || c->nargs != 0) continue;
        if (node_within(f, c->node, fn) && resolve(f, c->recv_first) == x &&
            f->nodes[c->node].first < a)
            return 0; /* the old one is cancelled before the store */
        if (!node_within(f, c->node, fn)) called_elsewhere = 1;
    }
    if (!called_elsewhere) return 0;
    char name[64], coll[64];
    snippet(f, a, b, name, sizeof name);
    snippet(f, va, va + 2, coll, sizeof coll);
    check_report_node(chk, call,
                      "`%s` keeps the cancel function of context.%s, but `%s` may be an entry "
                      "of `%s` found there, whose cancel function it drops without calling: "
                      "the earlier context is never cancelled, and what waits on it stays; call "
                      "`%s()` before replacing it",
                      name, fn_name, snippet(f, a, a, (char[48]){0}, 48), coll, name);
    return 1;
}

/* ctx, w.cancel = context.WithCancel(p) in a method that reconfigures w
 * (it runs again over a receiver already set up) without calling the
 * cancel function the field held: the earlier context is never
 * cancelled. 1 when reported. */
static int check_cancel_replaced(goleak_check *chk, const facts *f, uint32_t call,
                                 const char *fn_name, const var_fact *v) {
    value_target t;
    q_value_target(f, call, 1, &t);
    if (t.kind != GOLEAK_TARGET_FIELD) {
        /* ctx, cancel := ...; w.cancel = cancel */
        uint32_t at = cancel_field(f, call, v);
        if (at == NONE32 || at < 2 || f->toks[at - 1].kind != T(PERIOD)) return 0;
        t.first = at - 2;
        t.last = at;
    }
    uint32_t fn = enclosing_func(f, call);
    const var_fact *rv = fn != NONE32 && f->nodes[fn].kind == N(FUNC) ? receiver_var(f, fn) : NULL;
    uint32_t field = receiver_field(f, rv, t.first, t.last);
    if (field == NONE32 && rv && t.last == t.first + 2)
        return check_entry_cancel_replaced(chk, f, call, fn_name, fn, rv, t.first, t.last);
    /* released before the store (the cancel call may come between the
     * WithCancel and `w.cancel = cancel`) */
    if (field == NONE32 || !method_reconfigures(f, fn, rv, field) ||
        field_released_before(f, fn, rv, field, t.first))
        return 0;
    char name[64], method[64];
    snippet(f, t.first, t.last, name, sizeof name);
    snippet(f, f->nodes[fn].key, f->nodes[fn].key, method, sizeof method);
    check_report_node(chk, call,
                      "`%s` runs again over a receiver already set up (it reconfigures it), "
                      "and keeps the cancel function of context.%s in `%s` "
                      "without calling the one there: the earlier context is never cancelled, "
                      "and what waits on it stays; call `%s()` before replacing it",
                      method, fn_name, name, name);
    return 1;
}

/* Whether method m of the file only reads fields of its receiver and
 * calls methods on it (it does not hand the receiver itself on), and never
 * names field `field` of it. */
static int method_keeps_receiver(const facts *f, uint32_t m, uint32_t field) {
    const var_fact *rv = receiver_var(f, m);
    if (!rv) return 1; /* func (T) m(): it cannot name its receiver */
    uint32_t a = f->nodes[m].first, b = f->nodes[m].last;
    for (uint32_t u = first_use_in(f, rv, a, b); u != NONE32; u = next_use(f, rv, u, b)) {
        use_info ui;
        q_use(f, u, &ui);
        if (ui.kind == -1) continue;
        if (ui.kind != GOLEAK_USE_SELECT || (ui.flags & GOLEAK_USE_ADDRESS)) return 0;
        if (u + 2 < f->u->toks.len && tok_same(f, u + 2, field)) return 0;
    }
    return 1;
}

/* Whether local x of function fn never leaves it: every use reads or sets
 * a field or calls a method of the file that keeps its receiver and does
 * not name field `field` (nothing can reach x.field once fn returns). */
static int local_stays(const facts *f, const var_fact *x, uint32_t fn, uint32_t field) {
    /* a value receiver is a copy local to the method (func (p Pusher) Start) */
    int value_recv =
        (x->flags & VF_RECV) && x->type_first != NONE32 && f->toks[x->type_first].kind != T(MUL);
    if (x->func != fn || (x->flags & (VF_PKG | VF_RESULT)) ||
        ((x->flags & VF_PARAM) && !value_recv))
        return 0;
    uint32_t end = x->scope_end;
    for (uint32_t u = next_use(f, x, x->name, end); u != NONE32; u = next_use(f, x, u, end)) {
        use_info ui;
        q_use(f, u, &ui);
        if (ui.kind == -1) continue;
        if (ui.kind != GOLEAK_USE_SELECT || (ui.flags & (GOLEAK_USE_ADDRESS | GOLEAK_USE_CAPTURED)))
            return 0;
        if (f->toks[u + 1].kind != T(PERIOD) || u + 3 >= f->u->toks.len) return 0;
        if (f->toks[u + 3].kind != T(LPAREN)) continue; /* x.f */
        /* x.m(...): a method of the file that keeps x to itself (every
         * method of that name: the file may declare it for several types) */
        int found = 0;
        FOR_KIND(f, N(FUNC), m) {
            if (f->nodes[m].key == NONE32 || !(f->nodes[m].flags & GOLEAK_NODE_FLAG_METHOD) ||
                !tok_same(f, f->nodes[m].key, u + 2))
                continue;
            if (!method_keeps_receiver(f, m, field)) return 0;
            found = 1;
        }
        if (!found) return 0;
    }
    return 1;
}

/* ctx, cancel := context.WithCancel(...); a.cancel = cancel, where a is a
 * local object that never leaves the function (not returned, passed,
 * stored or captured) and whose methods called here never use the field:
 * nothing can call the cancel function once the function returns (an
 * agent built, run and dropped without its Stop). 1 when reported. */
static int check_cancel_in_local(goleak_check *chk, const facts *f, uint32_t call,
                                 const char *fn_name, const var_fact *v) {
    uint32_t fn = enclosing_func(f, call);
    if (!v || fn == NONE32 || v->func != fn) return 0;
    const var_fact *x = NULL;
    uint32_t field = NONE32, end = v->scope_end;
    for (uint32_t u = next_use(f, v, v->name, end); u != NONE32; u = next_use(f, v, u, end)) {
        use_info ui;
        q_use(f, u, &ui);
        if (ui.kind == -1) continue;
        if (ui.kind != GOLEAK_USE_STORE) return 0;
        value_target t;
        q_value_target(f, ui.slot, 0, &t);
        if (t.kind != GOLEAK_TARGET_FIELD || t.last != t.first + 2) return 0;
        const var_fact *o = resolve(f, t.first);
        if (!o || (x && (o != x || !tok_same(f, field, t.last)))) return 0;
        x = o;
        field = t.last;
    }
    if (!x || !local_stays(f, x, fn, field)) return 0;
    char name[64], obj[48];
    snippet(f, x->name, x->name, obj, sizeof obj);
    snprintf(name, sizeof name, "%s.", obj);
    size_t n = strlen(name);
    snippet(f, field, field, name + n, sizeof name - n);
    if (x->flags & VF_RECV)
        check_report_node(chk, call,
                          "the cancel function of context.%s is kept in `%s`, but `%s` is a "
                          "value receiver, a copy that is dropped when the method returns: "
                          "nothing can cancel the context, and what waits on it waits forever; "
                          "use a pointer receiver",
                          fn_name, name, obj);
    else
        check_report_node(chk, call,
                          "the cancel function of context.%s is kept in `%s`, but `%s` never "
                          "leaves this function and nothing here calls it: once the function "
                          "returns, nothing can cancel the context, and what waits on it waits "
                          "forever; call it (or the method that does) before returning",
                          fn_name, name, obj);
    return 1;
}

/* What the walk of a local object holding a cancel function asks. */
typedef struct holder_walk {
    const var_fact *cancel; /* the cancel function's own variable */
    const var_fact *x;      /* the object keeping it */
} holder_walk;

/* A use of the object that hands it on (returned, stored, passed, sent,
 * copied), or a call of one of its methods (s.Close(), s.cancel()); a use
 * inside a goroutine or a function literal is neither. */
static int holder_released(const release_query *q, uint32_t use) {
    const facts *f = q->f;
    use_info ui;
    q_use(f, use, &ui);
    if (ui.flags & (GOLEAK_USE_CAPTURED | GOLEAK_USE_GOROUTINE)) return 0;
    if (use_hands_on(&ui)) return 1;
    return ui.kind == GOLEAK_USE_SELECT && f->toks[use + 1].kind == T(PERIOD) &&
           use + 3 < f->u->toks.len && f->toks[use + 3].kind == T(LPAREN);
}

/* A call of the cancel function's own variable: cancel(). */
static int holder_cancel_called(const release_query *q, uint32_t call) {
    const facts *f = q->f;
    const holder_walk *hw = q->ctx;
    const call_fact *c = call_of(f, call);
    return c && c->name != NONE32 && c->recv_first == NONE32 && c->name == f->nodes[call].first &&
           resolve(f, c->name) == hw->cancel;
}

/* ctx, cancel := context.WithCancel(p); s := &Stream{ctx: ctx, cancel:
 * cancel}: a local object keeps the cancel function, and is handed on
 * (returned, stored) on some paths only; a return that drops it without
 * calling cancel leaves nothing able to cancel the context (a watcher
 * goroutine waiting on s.ctx.Done() waits forever). 1 when reported. */
static int check_cancel_holder_dropped(goleak_check *chk, const facts *f, uint32_t call,
                                       const char *fn_name, const var_fact *v) {
    uint32_t fn = enclosing_func(f, call);
    if (!v || fn == NONE32 || v->func != fn) return 0;
    const var_fact *x = NULL;
    uint32_t field = NONE32, end = v->scope_end;
    for (uint32_t u = next_use(f, v, v->name, end); u != NONE32; u = next_use(f, v, u, end)) {
        use_info ui;
        q_use(f, u, &ui);
        if (ui.kind == -1) continue;
        if (ui.kind == GOLEAK_USE_CALL &&
            !(ui.flags & (GOLEAK_USE_CAPTURED | GOLEAK_USE_DEFERRED | GOLEAK_USE_GOROUTINE)))
            continue; /* cancel() on some path */
        if (ui.kind != GOLEAK_USE_COMPOSITE || ui.index == NONE32 || x) return 0;
        /* s := &T{cancel: cancel} */
        uint32_t lit = ui.node;
        while (lit != NONE32 && f->nodes[lit].kind != N(COMPOSITE)) lit = f->nodes[lit].parent;
        uint32_t e = lit != NONE32 ? f->nodes[lit].parent : NONE32;
        while (e != NONE32 && f->nodes[e].kind == N(EXPR) && f->nodes[e].role != R(RHS))
            e = f->nodes[e].parent;
        uint32_t as = e != NONE32 && f->nodes[e].role == R(RHS) ? f->nodes[e].parent : NONE32;
        uint32_t lhs = as != NONE32 && f->nodes[as].kind == N(ASSIGN)
                           ? nth_child_by_role(f, as, R(LHS), 0)
                           : NONE32;
        uint32_t t;
        if (lhs == NONE32 || !expr_ident(f, lhs, &t)) return 0;
        x = resolve(f, t);
        field = ui.index;
        if (!x || x->func != fn || x->decl != as) return 0;
    }
    if (!x) return 0;
    holder_walk hw = {v, x};
    release_query q = {.f = f,
                       .is_release = holder_cancel_called,
                       .ctx = &hw,
                       .loop = loop_around(f, x->decl),
                       .cond = NONE32,
                       .var = x,
                       .use_releases = holder_released};
    uint32_t at = NONE32;
    if (release_check(&q, stmt_of(f, x->decl), &at) != LEAK_RETURN || at == NONE32 || *f->oom)
        return 0;
    /* something waits on the context by then: a goroutine started before
     * the return that uses the object (a watcher on s.ctx.Done()); a
     * context nobody waits on only stays registered with its parent */
    uint32_t waiter = NONE32;
    FOR_KIND_IN(f, N(GO), g, f->nodes[x->decl].last, f->nodes[at].first) {
        if (enclosing_func(f, g) == fn && var_used_in(f, x, g)) {
            waiter = g;
            break;
        }
    }
    if (waiter == NONE32) return 0;
    char obj[48], fld[48];
    snippet(f, x->name, x->name, obj, sizeof obj);
    snippet(f, field, field, fld, sizeof fld);
    failure_note note = after_failure(test_failed_before(f, at) != NONE32);
    check_report_node_severity(chk, note.severity, call,
                               "the cancel function of context.%s is kept in `%s.%s`, but the "
                               "return at line %u drops `%s` without calling it%s: nothing can "
                               "cancel the context then, and the goroutine started at line %u, "
                               "which uses it, waits forever; call `cancel()` before that return",
                               fn_name, obj, fld, (unsigned)tok_line(f, f->nodes[at].first), obj,
                               note.note, (unsigned)tok_line(f, f->nodes[waiter].first));
    return 1;
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

/* For a call of a function of the file that returns a context.CancelFunc
 * (func (c *Client) callContext(...) (context.Context, context.CancelFunc)):
 * that result's index; NONE32 otherwise. */
static uint32_t helper_cancel_result(const facts *f, const call_fact *c) {
    if (c->pkg != PKG_NONE || c->name == NONE32) return NONE32;
    uint32_t fn = find_func(f, c->name);
    if (fn == NONE32 ||
        !(f->nodes[fn].flags & GOLEAK_NODE_FLAG_METHOD) != (c->recv_first == NONE32))
        return NONE32;
    for (uint32_t k = 0;; k++) {
        uint32_t r = nth_child_by_role(f, fn, R(RESULT), k);
        if (r == NONE32) return NONE32;
        uint32_t ty = child_by_role(f, r, R(TYPE));
        if (ty == NONE32) continue;
        uint32_t a = f->nodes[ty].first, b = f->nodes[ty].last;
        if (b == a + 2 && ident_pkg(f, a) == PKG_CONTEXT && tok_is(f, b, "CancelFunc")) return k;
    }
}

/* ctx, _ := c.callContext(ctx): a helper's cancel function discarded. */
static void check_helper_cancel(goleak_check *chk, const facts *f, uint32_t call,
                                const call_fact *c) {
    uint32_t k = helper_cancel_result(f, c);
    if (k == NONE32 || unreachable(f, call)) return;
    value_target t;
    q_value_target(f, call, k, &t);
    if (t.kind != GOLEAK_TARGET_BLANK) return;
    char name[64];
    snippet(f, f->nodes[call].first, c->name, name, sizeof name);
    check_report_node(chk, call,
                      "the cancel function that `%s` returns is discarded: the context it "
                      "made and its resources stay until the parent is done; keep it and "
                      "`defer cancel()`",
                      name);
}

static int check_cancel_leak(goleak_check *chk, void *ud) {
    (void)ud;
    const facts *f = check_facts(chk);
    if (!f) return 0;
    /* per variable: its first use in a function literal (first_captured_use) */
    uint32_t *captured = gl_malloc(f->alloc, ((size_t)f->vars.len + 1) * sizeof *captured);
    if (!captured) {
        *f->oom = 1;
        return 0;
    }
    for (uint32_t k = 0; k <= f->vars.len; k++) captured[k] = UNKNOWN_EXIT;
    /* the file declares a function returning a cancel function */
    uint32_t ncf;
    idents_named_text(f, "CancelFunc", &ncf);
    int helpers = ncf > 0;
    FOR_KIND(f, N(CALL), call) {
        const call_fact *c = call_of(f, call);
        const char *fn_name = with_name(f, c);
        if (!fn_name) {
            if (c && helpers) check_helper_cancel(chk, f, call, c);
            continue;
        }
        uint32_t tok = cancel_target(f, call);
        if (unreachable(f, call)) continue;
        if (tok != NONE32 && tok_is(f, tok, "_")) {
            report_discarded(chk, call, fn_name);
            continue;
        }
        const var_fact *v = tok != NONE32 ? resolve(f, tok) : NULL;
        /* one finding per call: the path's, else the field's */
        if (!(v && check_cancel_var(chk, f, call, fn_name, v, captured)) &&
            !check_cancel_replaced(chk, f, call, fn_name, v) &&
            !check_cancel_in_local(chk, f, call, fn_name, v) &&
            !check_cancel_holder_dropped(chk, f, call, fn_name, v))
            check_cancel_field(chk, f, call, fn_name, v);
    }
    gl_free(f->alloc, captured);
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
