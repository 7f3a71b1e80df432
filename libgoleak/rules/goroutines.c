/* GL014 goroutine-no-exit. */
#include "../query.h"
#include "fieldchan.h"
#include "goroutine.h"
#include "pkgindex.h"
#include "parentctx.h"
#include "reloads.h"
#include "stoppers.h"
#include "unsubscribe.h"
#include "rules.h"
#include "typeindex.h"

#include <stdio.h>
#include <string.h>

/* Whether a for loop runs unconditionally: for {} or for true {}. */
static int unconditional(const facts *f, uint32_t lp) {
    uint32_t cond = child_by_role(f, lp, R(COND));
    if (cond == NONE32) return 1;
    return f->nodes[cond].first == f->nodes[cond].last && tok_is(f, f->nodes[cond].first, "true");
}

/* Whether go statement g sits in an if whose condition wins a
 * compare-and-swap (if atomic.CompareAndSwapInt32(&started, 0, 1),
 * started.CompareAndSwap(false, true), atomic.Cas(&flag, 0, 1)): it runs
 * for the first caller only. */
static int cas_guarded(const facts *f, uint32_t g) {
    uint32_t fn = enclosing_func(f, g);
    for (uint32_t p = f->nodes[g].parent; p != NONE32 && p != fn; p = f->nodes[p].parent) {
        if (f->nodes[p].kind != N(IF)) continue;
        uint32_t cond = child_by_role(f, p, R(COND)), body = child_by_role(f, p, R(BODY));
        if (cond == NONE32 || body == NONE32 || !node_within(f, g, body)) continue;
        FOR_KIND_IN(f, N(CALL), c, f->nodes[cond].first, f->nodes[cond].last) {
            const call_fact *cf = call_of(f, c);
            if (cf && cf->name != NONE32 &&
                (tok_has_prefix(f, cf->name, "CompareAndSwap") || tok_is(f, cf->name, "Cas") ||
                 tok_is(f, cf->name, "Cas64")))
                return 1;
        }
    }
    return 0;
}

/* Whether the go statement runs in a function literal passed to x.Do()
 * (sync.Once): once for the program's life. */
static int started_once(const facts *f, uint32_t g) {
    if (cas_guarded(f, g)) return 1;
    for (uint32_t fn = enclosing_func(f, g); fn != NONE32; fn = enclosing_func(f, fn)) {
        if (f->nodes[fn].kind != N(FUNCLIT)) return 0;
        uint32_t arg = f->nodes[fn].parent;
        if (arg == NONE32 || f->nodes[arg].role != R(ARG)) continue;
        const call_fact *c = call_of(f, f->nodes[arg].parent);
        if (c && call_is_method(f, c, "Do")) return 1;
    }
    return 0;
}

/* Whether top-level function fn is main or init. */
static int main_or_init(const facts *f, uint32_t fn) {
    return fn != NONE32 && f->nodes[fn].kind == N(FUNC) && f->nodes[fn].key != NONE32 &&
           (tok_is(f, f->nodes[fn].key, "main") || tok_is(f, f->nodes[fn].key, "init"));
}

/* Whether the file calls top-level function fn (by name) again and again:
 * inside a loop, or from elsewhere than main and init more than once or
 * from a function that is itself called again and again. Each call starts
 * another copy of its goroutines; main calls its helpers once. */
static int called_repeatedly(const facts *f, uint32_t fn, int depth) {
    uint32_t name = f->nodes[fn].key, seen = 0;
    if (name == NONE32 || depth > 3) return 0;
    uint32_t ncalls;
    const uint32_t *calls = calls_named(f, name, &ncalls);
    for (uint32_t i = 0; i < ncalls; i++) {
        const call_fact *c = &f->calls.data[calls[i]];
        if (loop_around(f, c->node) != NONE32) return 1;
        uint32_t caller = top_func(f, c->node);
        if (main_or_init(f, caller)) continue;
        if (++seen > 1 || caller == NONE32 || caller == fn ||
            called_repeatedly(f, caller, depth + 1))
            return 1;
    }
    return 0;
}

/* What the statement list of a top-level function says about the goroutines
 * it starts, computed once per function: its last statement that ends the
 * process (os.Exit, log.Fatal...: the goroutines die with it), and its first
 * `if started != nil { return }` on a package variable the function then
 * sets (what follows runs once for the program's life). */
typedef struct body_summary {
    uint32_t *last_exit;   /* per FUNC node: that statement, NONE32; UNKNOWN_EXIT: not yet */
    uint32_t *first_guard; /* per FUNC node: that if statement, NONE32 */
} body_summary;

/* Whether if statement s of function fn returns when a package variable of
 * its condition is set, and fn assigns that variable after s. */
static int guards_once(const facts *f, uint32_t fn, uint32_t s) {
    uint32_t cond = child_by_role(f, s, R(COND)), then = child_by_role(f, s, R(BODY));
    if (cond == NONE32 || then == NONE32) return 0;
    uint32_t last = NONE32;
    for (uint32_t c = f->nodes[then].child; c != NONE32; c = f->nodes[c].next) last = c;
    if (last == NONE32 || f->nodes[last].kind != N(RETURN)) return 0;
    for (uint32_t i = f->nodes[cond].first; i <= f->nodes[cond].last; i++) {
        const var_fact *v = f->toks[i].kind == T(IDENT) ? resolve(f, i) : NULL;
        if (!v || !(v->flags & VF_PKG)) continue;
        for (uint32_t u = next_use(f, v, f->nodes[s].last, f->nodes[fn].last); u != NONE32;
             u = next_use(f, v, u, f->nodes[fn].last))
            if (f->toks[u + 1].kind == T(ASSIGN)) return 1;
    }
    return 0;
}

static void summarise(const facts *f, body_summary *bs, uint32_t fn) {
    if (bs->last_exit[fn] != UNKNOWN_EXIT) return;
    uint32_t body = func_body(f, fn), exit = NONE32, guard = NONE32;
    for (uint32_t s = body != NONE32 ? f->nodes[body].child : NONE32; s != NONE32;
         s = f->nodes[s].next) {
        int k = f->nodes[s].kind;
        if (k == N(IF) && guard == NONE32 && guards_once(f, fn, s)) guard = s;
        if (k != N(EXPRSTMT)) continue;
        uint32_t c = expr_node(f, s);
        if (c != NONE32 && f->nodes[c].kind == N(CALL) && call_never_returns(f, c)) exit = s;
    }
    bs->last_exit[fn] = exit;
    bs->first_guard[fn] = guard;
}

/* Whether function fn's own statement list ends the process after token
 * `after` (the goroutine dies with the process). */
static int exits_after(const facts *f, body_summary *bs, uint32_t fn, uint32_t after) {
    summarise(f, bs, fn);
    return bs->last_exit[fn] != NONE32 && f->nodes[bs->last_exit[fn]].first > after;
}

/* Whether function fn returns early, before token `before`, when a package
 * variable it sets later is already set. */
static int guarded_once(const facts *f, body_summary *bs, uint32_t fn, uint32_t before) {
    summarise(f, bs, fn);
    return bs->first_guard[fn] != NONE32 && f->nodes[bs->first_guard[fn]].first < before;
}

/* Whether goroutine function fn receives from a channel that the file
 * passes to signal.Notify: a signal handler, which lives as long as the
 * process by design. */
static int handles_signals(const facts *f, uint32_t fn) {
    uint32_t ncalls;
    const uint32_t *calls = calls_named_text(f, "Notify", &ncalls);
    for (uint32_t i = 0; i < ncalls; i++) {
        const call_fact *c = &f->calls.data[calls[i]];
        if (c->name < 2 || f->toks[c->name - 1].kind != T(PERIOD) ||
            !tok_is(f, c->name - 2, "signal"))
            continue;
        uint32_t arg = call_arg(f, c->node, 0);
        if (arg == NONE32) continue;
        /* <-sigs, <-s.sigs, range sigs (not every receive has a RECV node) */
        uint32_t a = f->nodes[arg].first, n = f->nodes[arg].last - a;
        for (uint32_t t = f->nodes[fn].first; t + n + 1 <= f->nodes[fn].last; t++) {
            int k = f->toks[t].kind;
            if ((k == T(ARROW) || k == T(RANGE)) && toks_same(f, t + 1, t + 1 + n, a, a + n))
                return 1;
        }
    }
    return 0;
}

/* ---- a goroutine ranging over a channel that nothing closes ---- */

/* What the uses of a channel variable say, once per variable: whether it
 * is sent on, and whether anyone could close it (a use that lets it out of
 * the function's sight: returned, stored, sent, copied, put in a literal,
 * its address taken, a new value; or an argument of a call: close(v), or
 * one that may close it). */
typedef struct chan_uses {
    uint8_t known, other, multi, sends;
    uint32_t call; /* the call it is an argument of (len and cap aside), NONE32 */
} chan_uses;

static const chan_uses *chan_uses_of(const facts *f, chan_uses *memo, const var_fact *v) {
    chan_uses *c = &memo[v - f->vars.data];
    if (c->known) return c;
    c->known = 1;
    c->call = NONE32;
    uint32_t end = v->scope_end;
    for (uint32_t u = next_use(f, v, v->name, end); u != NONE32; u = next_use(f, v, u, end)) {
        use_info ui;
        q_use(f, u, &ui);
        if (ui.flags & GOLEAK_USE_ADDRESS) c->other = 1;
        switch (ui.kind) {
        case GOLEAK_USE_READ:
        case GOLEAK_USE_RECEIVE:
        case GOLEAK_USE_RANGE:
        case GOLEAK_USE_BLANK: break;
        case GOLEAK_USE_SEND_ON: c->sends = 1; break;
        case GOLEAK_USE_ARG: {
            const call_fact *cf = call_of(f, ui.node);
            if (cf && (call_is_func(f, cf, "len") || call_is_func(f, cf, "cap"))) break;
            if (c->call == NONE32)
                c->call = ui.node;
            else if (c->call != ui.node)
                c->multi = 1;
            break;
        }
        default: c->other = 1; break;
        }
    }
    return c;
}

/* Whether anyone could close channel v: passing it to the call `handoff`
 * (the go statement's own call, for a worker that ranges over its
 * parameter) is not letting it out; any other call might close it. */
static int chan_may_close(const chan_uses *c, uint32_t handoff) {
    return c->other || c->multi || (c->call != NONE32 && c->call != handoff);
}

/* Whether function fn has a loop that never ends (no condition, no way
 * out) outside its function literals: fn itself never returns. */
static int never_ends(const facts *f, uint32_t fn) {
    FOR_KIND_IN(f, N(FOR), lp, f->nodes[fn].first, f->nodes[fn].last) {
        if (enclosing_func(f, lp) == fn && unconditional(f, lp) && !loop_has_exit(f, lp, fn))
            return 1;
    }
    return 0;
}

/* The channel that goroutine function fn (started by go statement g) waits
 * on at identifier token tok (a range over it, or a receive) when nothing
 * can ever close it: a channel made by the function that starts the
 * goroutine, captured by the literal or handed to the goroutine's
 * parameter, and used there only to send, receive and range over. With
 * `no_sends`, nothing may send on it either (neither name). NULL otherwise. */
static const var_fact *unclosed_chan(const facts *f, chan_uses *memo, uint32_t g, uint32_t fn,
                                     uint32_t tok, int no_sends) {
    uint32_t call = f->nodes[g].child;
    const var_fact *v = resolve(f, tok);
    if (!v || v->func == NONE32) return NULL;
    if ((v->flags & VF_PARAM) && v->func == fn) {
        /* go worker(ch) / go func(c chan T) {...}(ch): the argument's channel */
        uint32_t k = param_pos(f, fn, (uint32_t)(v - f->vars.data));
        uint32_t arg = k != NONE32 ? call_arg(f, call, k) : NONE32, atok;
        const chan_uses *c = chan_uses_of(f, memo, v);
        if (arg == NONE32 || !expr_ident(f, arg, &atok) || chan_may_close(c, NONE32) ||
            (no_sends && c->sends))
            return NULL;
        v = resolve(f, atok);
        if (!v || v->func == NONE32) return NULL;
    } else if (v->func == fn) {
        return NULL; /* the goroutine's own channel */
    }
    if (v->kind != VK_CHAN || !(v->flags & VF_MADE) || (v->flags & VF_PARAM)) return NULL;
    /* the function that makes the channel starts the goroutine, and
     * returns at some point (a server loop that never ends keeps it) */
    if (!node_within(f, g, v->func) || never_ends(f, v->func)) return NULL;
    const chan_uses *c = chan_uses_of(f, memo, v);
    if (chan_may_close(c, call) || (no_sends && c->sends)) return NULL;
    return v;
}

/* Whether node n of goroutine function fn runs once in fn's own statement
 * list: not under a select case (other cases may end the wait), an if, a
 * loop or a function literal. */
static int in_own_list(const facts *f, uint32_t n, uint32_t fn) {
    uint32_t body = func_body(f, fn), s = stmt_of(f, n);
    if (body == NONE32 || s == NONE32 || f->nodes[s].parent != body) return 0;
    for (uint32_t p = f->nodes[n].parent; p != s; p = f->nodes[p].parent)
        if (f->nodes[p].kind == N(COMM) || f->nodes[p].kind == N(FUNCLIT)) return 0;
    return 1;
}

/* The loops and receives of each function, its own (no function literal
 * between them), grouped by function node: nodes list[start[fn] ..
 * start[fn + 1]), the FOR loops first, then the range loops, then the
 * receives, each in source order. A goroutine is asked about its own
 * only, so that nested literals cost no more than their size. */
typedef struct own_nodes {
    uint32_t *start, *list;
} own_nodes;

static int own_nodes_build(const facts *f, own_nodes *o) {
    static const int kinds[] = {N(FOR), N(RANGE), N(RECV)};
    uint32_t nn = f->u->nodes.len, total = 0;
    o->start = gl_calloc(f->alloc, ((size_t)nn + 2) * sizeof *o->start);
    for (size_t k = 0; k < 3; k++) total += f->by_kind[kinds[k]].len;
    o->list = gl_malloc(f->alloc, ((size_t)total + 1) * sizeof *o->list);
    uint32_t *fill = gl_malloc(f->alloc, ((size_t)nn + 1) * sizeof *fill);
    if (!o->start || !o->list || !fill) {
        gl_free(f->alloc, fill);
        return -1;
    }
    for (size_t k = 0; k < 3; k++) FOR_KIND(f, kinds[k], n) {
            uint32_t fn = enclosing_func(f, n);
            if (fn != NONE32) o->start[fn + 1]++;
        }
    for (uint32_t i = 0; i < nn; i++) o->start[i + 1] += o->start[i];
    memcpy(fill, o->start, (size_t)nn * sizeof *fill);
    for (size_t k = 0; k < 3; k++) FOR_KIND(f, kinds[k], n) {
            uint32_t fn = enclosing_func(f, n);
            if (fn != NONE32) o->list[fill[fn]++] = n;
        }
    gl_free(f->alloc, fill);
    return 0;
}

static void own_nodes_free(const facts *f, own_nodes *o) {
    gl_free(f->alloc, o->start);
    gl_free(f->alloc, o->list);
}

/* Whether function fn has a loop or a receive of its own that GL014 asks
 * about: an unconditional for, a range loop, a receive. */
static int own_candidates(const facts *f, const own_nodes *o, uint32_t fn) {
    for (uint32_t k = o->start[fn]; k < o->start[fn + 1]; k++) {
        uint32_t n = o->list[k];
        if (f->nodes[n].kind != N(FOR) || unconditional(f, n)) return 1;
    }
    return 0;
}

/* Reports go statement g whose goroutine waits at node op (a range loop,
 * or a receive when `ranged` is 0) on channel v that nothing closes. */
static void report_wait(goleak_check *chk, const facts *f, uint32_t g, const var_fact *v,
                        uint32_t op, int ranged) {
    char name[64];
    snippet(f, v->name, v->name, name, sizeof name);
    unsigned line = (unsigned)tok_line(f, f->nodes[op].first);
    if (ranged)
        check_report_node(chk, g,
                          "this goroutine ranges over `%s` (line %u), which nothing closes: "
                          "after the last value it waits forever and outlives its caller; "
                          "close(%s) once the last value is sent (defer close(%s) in the sender)",
                          name, line, name, name);
    else
        check_report_node(chk, g,
                          "this goroutine waits to receive from `%s` (line %u), but nothing "
                          "sends on it or closes it: it blocks forever and outlives its caller; "
                          "close(%s) when the goroutine should go on (defer close(%s))",
                          name, line, name, name);
}

static int ctx_never_done(const facts *f, uint32_t g, uint32_t fn, uint32_t tok, uint32_t *via);

/* Whether tokens [a, b] are ctx.Done(): a name, then .Done(). */
static int done_call(const facts *f, uint32_t a, uint32_t b) {
    return b == a + 4 && f->toks[a].kind == T(IDENT) && f->toks[a + 1].kind == T(PERIOD) &&
           tok_is(f, a + 2, "Done") && f->toks[a + 3].kind == T(LPAREN);
}
typedef struct silent_memo silent_memo;
static int field_silent(goleak_check *chk, const facts *f, silent_memo *m, uint32_t t,
                        int sends_ok);

/* " when the call at line N passes it" for a context a caller gives, or "". */
static void never_done_how(const facts *f, uint32_t via, char *buf, size_t size) {
    if (via == NONE32)
        buf[0] = 0;
    else
        snprintf(buf, size, " when the call at line %u gives it",
                 (unsigned)tok_line(f, f->nodes[via].first));
}

/* Reports go statement g when its goroutine function fn ranges over a
 * channel that nothing closes, or waits in its own statement list to
 * receive from one that nothing sends on or closes; 1 when it did. */
static int report_unclosed_range(goleak_check *chk, const facts *f, const own_nodes *o,
                                 chan_uses *memo, silent_memo *fields, uint32_t g, uint32_t fn) {
    for (uint32_t k = o->start[fn]; k < o->start[fn + 1]; k++) {
        uint32_t rg = o->list[k], x = child_by_role(f, rg, R(X)), tok;
        if (f->nodes[rg].kind != N(RANGE) || loop_has_exit(f, rg, fn) || x == NONE32) continue;
        uint32_t a = f->nodes[x].first, b = f->nodes[x].last;
        if (b == a + 2 && name_chain(f, a, b) && field_silent(chk, f, fields, b, 1)) {
            /* a worker ranging over a field channel nothing closes */
            char name[64];
            snippet(f, a, b, name, sizeof name);
            check_report_node(chk, g,
                              "this goroutine ranges over `%s` (line %u), which nothing in the "
                              "package closes: it can never stop and outlives whoever started "
                              "it; close(%s) when the work is done (in a Close or Stop method)",
                              name, (unsigned)tok_line(f, f->nodes[rg].first), name);
            return 1;
        }
        if (!expr_ident(f, x, &tok)) continue;
        const var_fact *v = unclosed_chan(f, memo, g, fn, tok, 0);
        if (v) {
            report_wait(chk, f, g, v, rg, 1);
            return 1;
        }
    }
    for (uint32_t k = o->start[fn]; k < o->start[fn + 1]; k++) {
        uint32_t rv = o->list[k], tok = f->nodes[rv].last; /* <-ch: the name ends it */
        if (f->nodes[rv].kind != N(RECV) || f->toks[tok].kind != T(IDENT) ||
            !in_own_list(f, rv, fn))
            continue;
        uint32_t a = f->nodes[rv].first + 1;
        if (a + 2 <= tok && name_chain(f, a, tok) && field_silent(chk, f, fields, tok, 0)) {
            /* <-s.quit, a field channel nothing closes or sends on */
            char name[64];
            snippet(f, a, tok, name, sizeof name);
            check_report_node(chk, g,
                              "this goroutine waits for `%s` (line %u), which nothing in the "
                              "package closes or sends on: it blocks forever and outlives "
                              "whoever started it; close(%s) when the owner is done (in a "
                              "Close or Stop method)",
                              name, (unsigned)tok_line(f, f->nodes[rv].first), name);
            return 1;
        }
        if (a != tok) continue;
        const var_fact *v = unclosed_chan(f, memo, g, fn, tok, 1);
        if (v) {
            report_wait(chk, f, g, v, rv, 0);
            return 1;
        }
    }
    /* <-ctx.Done() in its own list, of a context nobody cancels */
    for (uint32_t k = o->start[fn]; k < o->start[fn + 1]; k++) {
        uint32_t rv = o->list[k], a = f->nodes[rv].first + 1;
        if (f->nodes[rv].kind != N(RECV) || !done_call(f, a, f->nodes[rv].last) ||
            !in_own_list(f, rv, fn))
            continue;
        uint32_t via;
        if (!ctx_never_done(f, g, fn, a, &via)) continue;
        char name[64], how[96];
        snippet(f, a, a, name, sizeof name);
        never_done_how(f, via, how, sizeof how);
        check_report_node(chk, g,
                          "this goroutine waits for `%s` to be done (line %u), and `%s` is "
                          "context.Background() (or TODO())%s, which is never done: it blocks "
                          "forever and outlives its caller; give it a context that is cancelled "
                          "when the goroutine should go on",
                          name, (unsigned)tok_line(f, f->nodes[rv].first), name, how);
        return 1;
    }
    return 0;
}

/* ---- a forever loop whose only exits wait on a channel nobody signals ---- */

/* Whether field name token t of f is a channel field that the file
 * declares and makes, and only ever receives from (and, with sends_ok,
 * sends on) in the package: no close, no hand-off; the other files of the
 * package do not spell it at all. */
static int field_never_signalled(goleak_check *chk, const facts *f, uint32_t t, int sends_ok) {
    field_spelling fs;
    field_spelling_scan(f, t, &fs, NULL, NULL);
    /* a field of the file's own struct that the file makes (not a
     * ticker's C, which the runtime sends on) */
    return !fs.other && fs.declared && fs.makes && (sends_ok || !fs.sends) &&
           !other_files_spell(chk, f, t);
}

/* The last field field_never_signalled answered for (its goroutines come
 * in a row) and the answer; tok NONE32: none yet. */
struct silent_memo {
    uint32_t tok;
    int sends_ok, silent;
};

/* field_never_signalled through the memo. */
static int field_silent(goleak_check *chk, const facts *f, silent_memo *m, uint32_t t,
                        int sends_ok) {
    if (m->tok == NONE32 || m->sends_ok != sends_ok || !tok_same(f, m->tok, t)) {
        m->tok = t;
        m->sends_ok = sends_ok;
        m->silent = field_never_signalled(chk, f, t, sends_ok);
    }
    return m->silent;
}

typedef struct silent_ctx {
    goleak_check *chk;
    chan_uses *memo;
    silent_memo *fields;
    uint32_t g, fn, lp;
    uint32_t *chan; /* [4]: the first such channel's tokens, for the message,
                     * whether it is an uncancellable context's Done(), and the
                     * call that gives the context (NONE32) */
} silent_ctx;

/* The channel a select clause receives from in its case (case <-ch:, case
 * v, ok := <-s.stop:): its tokens, or 0. */
static int clause_channel(const facts *f, uint32_t clause, uint32_t *a, uint32_t *b) {
    uint32_t comm = child_by_role(f, clause, R(COMM));
    if (comm == NONE32) return 0;
    for (uint32_t i = f->nodes[comm].first; i <= f->nodes[comm].last; i++) {
        if (f->toks[i].kind != T(ARROW)) continue;
        uint32_t r = node_at(f, i);
        if (r == NONE32 || f->nodes[r].kind != N(RECV)) return 0;
        *a = i + 1;
        *b = f->nodes[r].last;
        return 1;
    }
    return 0;
}

/* Whether variable v never gets a new value after its declaration (nor
 * has its address taken). */
static int never_reassigned(const facts *f, const var_fact *v) {
    return !var_set_in(f, v, v->name, v->scope_end);
}

/* Whether expression node e is context.Background() or context.TODO(), or
 * a local variable given one of them and never a new value. */
static int never_done_value(const facts *f, uint32_t e, int depth) {
    uint32_t c = e != NONE32 ? expr_node(f, e) : NONE32, tok;
    if (c != NONE32 && f->nodes[c].kind == N(CALL)) {
        const call_fact *cf = call_of(f, c);
        return cf && (call_is_pkg(f, cf, PKG_CONTEXT, "Background") ||
                      call_is_pkg(f, cf, PKG_CONTEXT, "TODO"));
    }
    if (depth > 2 || e == NONE32 || !expr_ident(f, e, &tok)) return 0;
    const var_fact *v = resolve(f, tok);
    return v && v->value != NONE32 && v->value_index == 0 && !(v->flags & (VF_PARAM | VF_PKG)) &&
           never_reassigned(f, v) && never_done_value(f, v->value, depth + 1);
}

/* Whether ctx (identifier token tok in goroutine function fn, started by go
 * statement g) is a context nobody can cancel: context.Background() or
 * TODO(), captured, or passed to fn's parameter (go w.watch(ctx)); or the
 * starting function's parameter, which a call of the file (*via) gives
 * context.Background() or TODO() (func Execute() { ExecuteContext(
 * context.Background()) }). Its Done() channel is never closed. */
static int ctx_never_done(const facts *f, uint32_t g, uint32_t fn, uint32_t tok, uint32_t *via) {
    *via = NONE32;
    const var_fact *v = resolve(f, tok);
    if (!v || !never_reassigned(f, v)) return 0;
    if ((v->flags & VF_PARAM) && v->func == fn) {
        uint32_t k = param_pos(f, fn, (uint32_t)(v - f->vars.data)), t;
        uint32_t arg = k != NONE32 ? call_arg(f, f->nodes[g].child, k) : NONE32;
        if (arg == NONE32) return 0;
        if (never_done_value(f, arg, 0)) return 1;
        /* the argument: the starter's own parameter, maybe */
        if (!expr_ident(f, arg, &t) || !(v = resolve(f, t)) || !never_reassigned(f, v)) return 0;
    } else if (!(v->flags & (VF_PARAM | VF_PKG))) {
        return v->value != NONE32 && v->value_index == 0 && never_done_value(f, v->value, 1);
    }
    uint32_t starter = enclosing_func(f, g);
    if (!(v->flags & VF_PARAM) || (v->flags & VF_RECV) || v->func != starter ||
        f->nodes[starter].kind != N(FUNC) || f->nodes[starter].key == NONE32)
        return 0;
    uint32_t k = param_pos(f, starter, (uint32_t)(v - f->vars.data)), n;
    if (k == NONE32) return 0;
    const uint32_t *calls = calls_named(f, f->nodes[starter].key, &n);
    for (uint32_t i = 0; i < n; i++) {
        uint32_t c = f->calls.data[calls[i]].node, arg = call_arg(f, c, k);
        if (arg != NONE32 && never_done_value(f, arg, 0)) {
            *via = c;
            return 1;
        }
    }
    return 0;
}

/* loop_exit's filter: an exit inside a select case of the loop that
 * receives from a channel nothing ever closes or sends on is never taken. */
static int exit_never_taken(const facts *f, uint32_t exit, const void *vctx) {
    const silent_ctx *x = vctx;
    for (uint32_t p = f->nodes[exit].parent; p != NONE32 && p != x->lp; p = f->nodes[p].parent) {
        if (f->nodes[p].kind != N(COMM)) continue;
        uint32_t a, b;
        if (!clause_channel(f, p, &a, &b)) return 0;
        int silent;
        if (done_call(f, a, b)) {
            uint32_t via;
            silent = ctx_never_done(f, x->g, x->fn, a, &via);
            b = a; /* the context, for the message */
            if (silent && x->chan[0] == NONE32) x->chan[2] = 1, x->chan[3] = via;
        } else if (a == b) {
            silent = f->toks[a].kind == T(IDENT) && unclosed_chan(f, x->memo, x->g, x->fn, a, 1);
        } else {
            silent = b == a + 2 && name_chain(f, a, b) && field_silent(x->chk, f, x->fields, b, 0);
        }
        if (!silent) return 0;
        if (x->chan[0] == NONE32) x->chan[0] = a, x->chan[1] = b;
        return 1;
    }
    return 0;
}

/* The goroutine (go statement g, function fn) whose forever loop lp can be
 * left only through select cases receiving from channels that nothing
 * closes or sends on: local channels of the starter (as for a range), or
 * channel fields only ever made and received from in the package. */
static int report_silent_exit(goleak_check *chk, const facts *f, chan_uses *memo,
                              silent_memo *fields, uint32_t g, uint32_t fn, uint32_t lp) {
    uint32_t chan[4] = {NONE32, NONE32, 0, NONE32};
    silent_ctx x = {chk, memo, fields, g, fn, lp, chan};
    if (loop_exit(f, lp, fn, exit_never_taken, &x) != NONE32 || chan[0] == NONE32) return 0;
    char name[64];
    snippet(f, chan[0], chan[1], name, sizeof name);
    if (chan[2]) {
        char how[96];
        never_done_how(f, chan[3], how, sizeof how);
        check_report_node(chk, g,
                          "this goroutine's loop (line %u) ends only when `%s` is done, and `%s` "
                          "is context.Background() (or TODO())%s, which is never done: it runs "
                          "forever and outlives its caller; give it a context that is cancelled "
                          "when the goroutine should stop",
                          (unsigned)tok_line(f, f->nodes[lp].first), name, name, how);
        return 1;
    }
    check_report_node(chk, g,
                      "this goroutine's loop (line %u) ends only when `%s` is closed or sent on, "
                      "and nothing %s does either: it runs forever and outlives its caller; "
                      "close `%s` when the goroutine should stop (in Close, or with defer)",
                      (unsigned)tok_line(f, f->nodes[lp].first), name,
                      chan[0] == chan[1] ? "in its function" : "in the package", name);
    return 1;
}

/* Whether the unit has a loop that runs unconditionally (for {}, for true). */
static int has_forever_loop(const goleak_unit *u) {
    FOR_UNIT_NODE(u, N(FOR), lp) {
        const node *nd = u->nodes.data;
        uint32_t cond = NONE32;
        for (uint32_t c = nd[lp].child; c != NONE32; c = nd[c].next)
            if (nd[c].role == R(COND)) cond = c;
        static const char *const yes[] = {"true"};
        if (cond == NONE32 ||
            (nd[cond].first == nd[cond].last && unit_tokens_are(u, nd[cond].first, yes, 1)))
            return 1;
    }
    return 0;
}

/* Whether the unit may call an undo method that ends what a start method
 * began (x.Unwatch() after x.Watch(ctx)); the names undo methods go by. */
static int may_undo_start(goleak_check *chk) {
    static const char *const undo[] = {"Unwatch",   "Unsubscribe", "Unregister", "Untrack",
                                       "Unobserve", "Unlisten",    "Unhook"};
    if (!check_may_have(chk, "go")) return 0;
    for (size_t k = 0; k < sizeof undo / sizeof *undo; k++)
        if (check_may_have(chk, undo[k])) return 1;
    return 0;
}

/* Whether the unit makes a channel and ranges over or receives from one,
 * or waits on the Done() of a context.Background() or TODO(): what a
 * goroutine waiting on a channel nothing closes needs. */
static int may_range_unclosed(goleak_check *chk) {
    return (check_may_have(chk, "chan") &&
            (check_may_have(chk, "range") || check_may_have(chk, "<-"))) ||
           (check_may_have(chk, "<-") && check_may_have(chk, "Done") &&
            (check_may_have(chk, "Background") || check_may_have(chk, "TODO")));
}

/* Whether the unit may call context's WithX (a child context to outlive). */
static int derives_context(goleak_check *chk) {
    return check_may_have(chk, "WithCancel") || check_may_have(chk, "WithTimeout") ||
           check_may_have(chk, "WithDeadline");
}

static int check_goroutine_no_exit(goleak_check *chk, void *ud) {
    (void)ud;
    if (check_may_have(chk, "go") && check_may_have(chk, "Context") &&
        check_may_have(chk, "Done")) {
        const facts *f = check_facts(chk);
        if (!f) return 0;
        check_reload_goroutines(chk, f);
    }
    if (derives_context(chk)) {
        const facts *f = check_facts(chk);
        if (!f) return 0;
        check_parent_context_waits(chk, f);
    }
    /* helpers of the file that start a goroutine and return its stopper (a
     * value with a Stop method, or a stop function) */
    if (check_may_have(chk, "go")) {
        const facts *f = check_facts(chk);
        if (!f) return 0;
        check_stoppers(chk, f, STARTS_GOROUTINE);
        check_started_dropped(chk, f);
    }
    if (may_undo_start(chk)) {
        const facts *f = check_facts(chk);
        if (!f) return 0;
        check_undone_starts(chk, f);
    }
    if (check_may_have(chk, "delete") && check_may_have(chk, "close")) {
        const facts *f = check_facts(chk);
        if (!f) return 0;
        check_removed_unclosed(chk, f);
    }
    if (!has_forever_loop(chk->unit) && !may_range_unclosed(chk) &&
        !(check_may_have(chk, "range") && check_may_have(chk, "C") &&
          (check_may_have(chk, "NewTicker") || check_may_have(chk, "Ticker"))))
        return 0;
    const facts *f = check_facts(chk);
    if (!f) return 0;
    int main_pkg = in_package_main(f);
    body_summary bs;
    size_t n = (size_t)f->u->nodes.len * sizeof(uint32_t);
    bs.last_exit = gl_malloc(f->alloc, n);
    bs.first_guard = gl_malloc(f->alloc, n);
    if (!bs.last_exit || !bs.first_guard) {
        gl_free(f->alloc, bs.last_exit);
        gl_free(f->alloc, bs.first_guard);
        *f->oom = 1; /* the check fails with GOLEAK_ENOMEM */
        return 0;
    }
    for (uint32_t k = 0; k < f->u->nodes.len; k++) bs.last_exit[k] = UNKNOWN_EXIT;
    own_nodes own = {NULL, NULL};
    chan_uses *memo = gl_calloc(f->alloc, ((size_t)f->vars.len + 1) * sizeof *memo);
    if (!memo || own_nodes_build(f, &own)) {
        gl_free(f->alloc, memo);
        own_nodes_free(f, &own);
        gl_free(f->alloc, bs.last_exit);
        gl_free(f->alloc, bs.first_guard);
        *f->oom = 1; /* the check fails with GOLEAK_ENOMEM */
        return 0;
    }
    silent_memo fields = {NONE32, 0, 0};
    FOR_KIND(f, N(GO), g) {
        /* a goroutine with no loop or receive of its own is done first:
         * the questions below climb the functions around it */
        uint32_t fn = goroutine_func(f, g);
        if (fn == NONE32 || !own_candidates(f, &own, fn)) continue;
        if (started_once(f, g)) continue;
        /* once per process: a sync.Once, a command's handler, a helper of
         * main, a function after whose call the process ends */
        if (once_per_process(f, top_func(f, g), 0, ONCE_WITH_MAIN) ||
            once_per_process(f, enclosing_func(f, g), 0, ONCE_WITH_MAIN))
            continue;
        /* goroutines of main and init live as long as the program */
        uint32_t top = top_func(f, g);
        if (top != NONE32 && f->nodes[top].kind == N(FUNC) && f->nodes[top].key != NONE32 &&
            (tok_is(f, f->nodes[top].key, "main") || tok_is(f, f->nodes[top].key, "init")))
            continue;
        /* in package main a helper usually runs once for the program's life;
         * its goroutines leak only when it is called again and again */
        if (main_pkg && (top == NONE32 || !called_repeatedly(f, top, 0))) continue;
        if (top != NONE32 && exits_after(f, &bs, top, f->nodes[g].last)) continue;
        if (top != NONE32 && guarded_once(f, &bs, top, f->nodes[g].first)) continue;
        /* examples are documentation: go test runs them at most once */
        if (top != NONE32 && f->nodes[top].kind == N(FUNC) && f->nodes[top].key != NONE32 &&
            in_test_file(f) && tok_has_prefix(f, f->nodes[top].key, "Example"))
            continue;
        if (unreachable(f, g)) continue;
        if (handles_signals(f, fn)) continue;
        if (report_unclosed_range(chk, f, &own, memo, &fields, g, fn)) continue;
        for (uint32_t k = own.start[fn]; k < own.start[fn + 1]; k++) {
            uint32_t lp = own.list[k];
            /* for {}, or a range over a ticker's channel, which never ends */
            int ticking = ranges_ticker(f, lp);
            if (!ticking && (f->nodes[lp].kind != N(FOR) || !unconditional(f, lp))) continue;
            int exits = loop_has_exit(f, lp, fn);
            if (ticking) {
                /* a ticker stopped elsewhere is GL015's: its range waits on */
                uint32_t x = child_by_role(f, lp, R(X));
                if (exits ||
                    ticker_stopped_elsewhere(f, f->nodes[x].first, f->nodes[x].last - 2, fn))
                    continue;
            }
            if (exits) {
                if (report_silent_exit(chk, f, memo, &fields, g, fn, lp)) break;
                continue;
            }
            char what[64];
            const call_fact *c = call_of(f, f->nodes[g].child);
            if (f->nodes[fn].kind == N(FUNC) && c && c->name != NONE32)
                snprintf(what, sizeof what, "goroutine `%.*s`", (int)f->toks[c->name].len,
                         (const char *)f->src + f->toks[c->name].off);
            else
                snprintf(what, sizeof what, "this goroutine");
            check_report_node(chk, g,
                              "%s loops forever (line %u) with no way out: no return, break, "
                              "closed channel or ctx.Done(); it outlives its caller. Give the "
                              "loop an exit (select on ctx.Done() or a done channel and return)",
                              what, (unsigned)tok_line(f, f->nodes[lp].first));
            break;
        }
    }
    own_nodes_free(f, &own);
    gl_free(f->alloc, memo);
    gl_free(f->alloc, bs.last_exit);
    gl_free(f->alloc, bs.first_guard);
    return 0;
}

const goleak_rule_def builtin_GL014 = {
    .version = GOLEAK_RULE_DEF_VERSION,
    .id = "GL014",
    .name = "goroutine-no-exit",
    .severity = GOLEAK_SEVERITY_WARNING,
    .check = check_goroutine_no_exit,
    .triggers = "go",
};
