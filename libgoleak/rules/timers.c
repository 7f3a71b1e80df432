/* GL015 ticker-not-stopped and GL016 time-after-in-loop. */
#include "../paths.h"
#include "../query.h"
#include "common.h"
#include "replace.h"
#include "rules.h"
#include "typeindex.h"

#include <stdio.h>
#include <string.h>

/* Go 1.23 collects timers and tickers that nothing references any more. */
#define GO_TIMERS_COLLECTED 23

/* ---- who stops what ---- */

/* Whether the use at u can stop the ticker, once its selected method is
 * Stop: a call u.Stop(), or the method value u.Stop taken to be called
 * later (stop := t.Stop; defer stop()). A field read (u.C) cannot. */
static int use_stops(const facts *f, const use_info *ui) {
    return ui->kind == GOLEAK_USE_SELECT &&
           (ui->node != NONE32 || f->toks[ui->index + 1].kind != T(PERIOD));
}

/* Whether any x.F.Stop() (a field named like tok) appears in the file. */
static int field_stopped(const facts *f, uint32_t field_tok) {
    uint32_t n;
    const uint32_t *stops = calls_named_text(f, "Stop", &n);
    for (uint32_t k = 0; k < n; k++) {
        const call_fact *c = &f->calls.data[stops[k]];
        if (c->recv_first != NONE32 && tok_same(f, c->recv_last, field_tok)) return 1;
    }
    return 0;
}

/* Whether variable v is stopped in its scope: v.Stop(). */
static int var_stopped(const facts *f, const var_fact *v) {
    uint32_t a = v->func != NONE32 ? f->nodes[v->func].first : 0;
    uint32_t b = v->func != NONE32 ? f->nodes[v->func].last : f->u->toks.len - 1;
    for (uint32_t u = next_use(f, v, a, b); u != NONE32; u = next_use(f, v, u, b)) {
        use_info ui;
        q_use(f, u, &ui);
        if (use_stops(f, &ui) && tok_is(f, ui.index, "Stop")) return 1;
    }
    return 0;
}

/* The function of the file a call reaches by its name, NONE32. */
static uint32_t local_callee(const facts *f, uint32_t call) {
    const call_fact *cf = call_of(f, call);
    return cf && cf->name != NONE32 ? find_func(f, cf->name) : NONE32;
}

typedef struct ticker_uses {
    int stopped;        /* t.Stop() somewhere, or a helper of the file stops it */
    int escapes;        /* returned, passed, sent or stored: someone else owns it */
    uint32_t field;     /* stored in a field of that name (NONE32: no) */
    int goroutine_loop; /* t.C read in a loop of a goroutine */
} ticker_uses;

/* Whether the use at token u (of t.C) is read by a goroutine in a loop:
 * the innermost goroutine literal around it has a loop around it. */
static int read_by_goroutine_loop(const facts *f, uint32_t u) {
    uint32_t n = node_at(f, u), g = enclosing_func(f, n);
    while (g != NONE32 && !(f->nodes[g].kind == N(FUNCLIT) && is_goroutine_body(f, g)))
        g = enclosing_func(f, g);
    if (g == NONE32) return 0;
    for (uint32_t p = n; p != g; p = f->nodes[p].parent) {
        int k = f->nodes[p].kind;
        if ((k == N(FOR) || k == N(RANGE)) && enclosing_func(f, p) == g) return 1;
    }
    return 0;
}

/* Whether the token at i starts a plain receive statement <-t.C that is not
 * a select case: the timer has fired once it returns. */
static int plain_receive(const facts *f, uint32_t i) {
    if (i == 0 || f->toks[i - 1].kind != T(ARROW)) return 0;
    uint32_t r = node_at(f, i - 1);
    if (f->nodes[r].kind != N(RECV) || f->nodes[r].first != i - 1) return 0;
    for (uint32_t p = f->nodes[r].parent; p != NONE32; p = f->nodes[p].parent) {
        int k = f->nodes[p].kind;
        if (k == N(COMM)) return 0;
        if (k == N(EXPRSTMT) || k == N(ASSIGN)) return stmt_of(f, p) == p;
    }
    return 0;
}

static void classify_uses(const facts *f, const var_fact *v, uint32_t after, int timer,
                          ticker_uses *tu) {
    uint32_t end = v->func != NONE32 ? f->nodes[v->func].last : f->u->toks.len - 1;
    for (uint32_t u = next_use(f, v, after, end); u != NONE32; u = next_use(f, v, u, end)) {
        use_info ui;
        q_use(f, u, &ui);
        switch (ui.kind) {
        case GOLEAK_USE_SELECT: /* t.Stop(), t.Reset, t.C: uses that keep ownership */
            if (use_stops(f, &ui) && tok_is(f, ui.index, "Stop")) tu->stopped = 1;
            if (tok_is(f, ui.index, "C") && read_by_goroutine_loop(f, u)) tu->goroutine_loop = 1;
            /* a timer whose channel is received outright has fired */
            if (timer && tok_is(f, ui.index, "C") && plain_receive(f, u)) tu->stopped = 1;
            continue;
        case -1:                /* its declaration */
        case GOLEAK_USE_ASSIGN: /* a new value: not a hand-off */
        case GOLEAK_USE_BLANK: continue;
        case GOLEAK_USE_ARG: {
            /* passed to a function of the file that stops its parameter */
            uint32_t fn = local_callee(f, ui.node);
            const var_fact *p = fn != NONE32 ? param_at(f, fn, ui.index) : NULL;
            if (p && var_stopped(f, p)) {
                tu->stopped = 1;
                continue;
            }
            break;
        }
        case GOLEAK_USE_STORE: {
            /* x.f = t: stored in a field */
            value_target t;
            q_value_target(f, ui.slot, 0, &t);
            if (t.kind == GOLEAK_TARGET_FIELD) {
                tu->field = t.last;
                continue;
            }
            break;
        }
        case GOLEAK_USE_COMPOSITE: /* T{f: t} */
            if (ui.index != NONE32) {
                tu->field = ui.index;
                continue;
            }
            break;
        default: break;
        }
        tu->escapes = 1;
    }
}

/* ---- GL015 ---- */

static void report_ticker(goleak_check *chk, const facts *f, uint32_t call, const char *what,
                          const char *name, int local, int goroutine_loop) {
    int minor = goleak_check_go_minor(chk);
    if (local) {
        int is_timer = strcmp(what, "timer") == 0;
        if (minor >= GO_TIMERS_COLLECTED && (!goroutine_loop || is_timer)) return;
        if (goroutine_loop && !is_timer) {
            check_report_node(chk, call,
                              "%s `%s` is never stopped and a goroutine keeps reading its "
                              "channel: it is never collected; stop it when the goroutine "
                              "exits (`defer %s.Stop()`)",
                              what, name, name);
            return;
        }
        if (is_timer) {
            /* a timer fires once: it is held until then, not forever */
            check_report_node(chk, call,
                              "timer `%s` is never stopped: it stays in memory until it fires "
                              "(before Go 1.23, even when nothing waits for it any more); add "
                              "`defer %s.Stop()`",
                              name, name);
            return;
        }
        check_report_node(chk, call, "%s `%s` is never stopped; add `defer %s.Stop()`%s", what,
                          name, name,
                          minor < 0 ? " (it leaks before Go 1.23; the module's Go version is "
                                      "unknown)"
                                    : "");
        return;
    }
    /* a timer fires once and is done; only a ticker keeps firing for its owner */
    if (strcmp(what, "ticker") != 0) return;
    (void)f;
    check_report_node(chk, call,
                      "%s `%s` is kept in a long-lived place and never stopped: it keeps firing "
                      "and is never collected; call `%s.Stop()` when its owner is done",
                      what, name, name);
}

static int range_has_exit(const facts *f, uint32_t rng, uint32_t fn);

/* ---- a local ticker on every path ---- */

/* Whether the use releases the ticker on its path: t.Stop(), or a hand-off
 * (returned, passed, sent, stored, copied, put in a literal). A goroutine
 * or closure that stops it counts where it is made. */
static int ticker_use_releases(const release_query *q, uint32_t use) {
    use_info ui;
    q_use(q->f, use, &ui);
    if (ui.kind == GOLEAK_USE_SELECT) return use_stops(q->f, &ui) && tok_is(q->f, ui.index, "Stop");
    return use_hands_on(&ui);
}

static int calls_nothing(const release_query *q, uint32_t call) {
    (void)q;
    (void)call;
    return 0;
}

/* Per check: per variable, its first use in a function literal and its
 * first deferred t.Stop() (UNKNOWN_EXIT until asked), so that asking for
 * every NewTicker call costs one pass over each variable's uses. */
typedef struct gl015 {
    uint32_t *captured;
    uint32_t *dstop;
} gl015;

/* The first `defer t.Stop()` of variable v (its receiver is evaluated when
 * the defer runs: it stops the ticker t held then), NONE32. */
static uint32_t first_deferred_stop(const facts *f, const var_fact *v, gl015 *g) {
    uint32_t k = (uint32_t)(v - f->vars.data);
    if (g->dstop[k] != UNKNOWN_EXIT) return g->dstop[k];
    uint32_t end = f->u->toks.len - 1, found = NONE32;
    for (uint32_t u = first_use_in(f, v, 0, end); u != NONE32 && found == NONE32;
         u = next_use(f, v, u, end)) {
        use_info ui;
        q_use(f, u, &ui);
        if (ui.node != NONE32 && use_stops(f, &ui) && tok_is(f, ui.index, "Stop") &&
            !(ui.flags & GOLEAK_USE_CAPTURED) && f->nodes[ui.node].parent != NONE32 &&
            f->nodes[f->nodes[ui.node].parent].kind == N(DEFER))
            found = ui.node;
    }
    g->dstop[k] = found;
    return found;
}

/* The deferred t.Stop() of fn made before token `before`, NONE32. */
static uint32_t deferred_stop_before(const facts *f, const var_fact *v, uint32_t fn,
                                     uint32_t before, gl015 *g) {
    uint32_t d = first_deferred_stop(f, v, g);
    return d != NONE32 && f->nodes[d].first >= f->nodes[fn].first && f->nodes[d].first < before
               ? d
               : NONE32;
}

/* Whether a function literal made before token `before` refers to v: it
 * reads the variable when it runs (defer func() { t.Stop() }()). */
static int captured_before(const facts *f, const var_fact *v, uint32_t fn, uint32_t before,
                           gl015 *g) {
    uint32_t c = first_captured_use(f, v, g->captured);
    return c != NONE32 && c >= f->nodes[fn].first && c < before;
}

/* release_query's never_ends: a range over a ticker's channel. */
static int ranges_over_ticker(const release_query *q, uint32_t loop) {
    return ranges_ticker(q->f, loop);
}

/* Whether top-level function fn of package main runs once for the
 * process: main or init, or a function only main calls. */
static int runs_once_in_main(const facts *f, uint32_t fn) {
    if (fn == NONE32 || !in_package_main(f) || f->nodes[fn].kind != N(FUNC) ||
        f->nodes[fn].key == NONE32)
        return 0;
    uint32_t name = f->nodes[fn].key;
    if (tok_is(f, name, "main") || tok_is(f, name, "init")) return 1;
    uint32_t n;
    const uint32_t *calls = calls_named(f, name, &n);
    if (n == 0) return 0;
    for (uint32_t i = 0; i < n; i++) {
        uint32_t c = f->calls.data[calls[i]].node, top = top_func(f, c);
        if (top == NONE32 || f->nodes[top].key == NONE32 || !tok_is(f, f->nodes[top].key, "main") ||
            loop_around(f, c) != NONE32)
            return 0;
    }
    return 1;
}

/* A local ticker that something stops or hands on: is that so on every
 * path from its creation? A return before the Stop (or before the goroutine
 * that stops it starts), or a new ticker in the variable while the old one
 * runs, leaks it. Reports and returns 1 when a path leaks. */
static int check_ticker_paths(goleak_check *chk, const facts *f, uint32_t call, const var_fact *v,
                              const char *name, int never_stopped, gl015 *g) {
    int minor = goleak_check_go_minor(chk);
    uint32_t fn = enclosing_func(f, call), start = stmt_of(f, call);
    if (fn == NONE32 || start == NONE32 || v->func != fn) return 0;
    if (captured_before(f, v, fn, f->nodes[call].first, g)) return 0;
    uint32_t loop = loop_around(f, start);
    release_query q = {.f = f,
                       .is_release = calls_nothing,
                       .var_only = 1,
                       .ctx = NULL,
                       .loop = loop,
                       .cond = NONE32,
                       .var = v,
                       .use_releases = ticker_use_releases,
                       .never_ends = ranges_over_ticker,
                       .go_round = 1};
    uint32_t at = NONE32;
    int leak = release_check(&q, start, &at);
    /* nothing after the call stops it: the walk may end by going round */
    if (leak == LEAK_NONE && never_stopped) leak = LEAK_END;
    if (leak == LEAK_NONE) return 0;
    /* a command's main: the process ends with it (unless a loop makes
     * ticker after ticker) */
    if (leak != LEAK_OVERWRITE && loop == NONE32 && runs_once_in_main(f, top_func(f, call)))
        return 0;
    /* a continue goes round: a Stop earlier in the body stops it then */
    if (leak == LEAK_CONTINUE) {
        for (uint32_t u = first_use_in(f, v, f->nodes[loop].first, f->nodes[start].first);
             u != NONE32 && u < f->nodes[start].first; u = next_use(f, v, u, f->nodes[start].first))
            if (ticker_use_releases(&q, u)) return 0;
    }
    uint32_t dstop = deferred_stop_before(f, v, fn, f->nodes[call].first, g);
    if (leak == LEAK_OVERWRITE && at == start) {
        check_report_node(chk, call,
                          "ticker `%s` is made again on the next round of the loop while this "
                          "one still runs: each round leaves one ticker firing; stop it before "
                          "the loop goes round",
                          name);
        return 1;
    }
    if (leak == LEAK_OVERWRITE) {
        check_report_node(chk, call,
                          "ticker `%s` is replaced at line %u while it still runs: this one is "
                          "never stopped and keeps firing; stop it before replacing it",
                          name, (unsigned)tok_line(f, f->nodes[at].first));
        return 1;
    }
    /* Go >= 1.23 collects a ticker nothing references any more */
    if (minor >= GO_TIMERS_COLLECTED) return 1;
    const char *note =
        minor < 0 ? " (it leaks before Go 1.23; the module's Go version is unknown)" : "";
    if (dstop != NONE32) {
        check_report_node(chk, call,
                          "ticker `%s` replaces the one that `defer %s.Stop()` at line %u "
                          "stops (the defer stops the ticker the variable held then): this one "
                          "is never stopped%s; stop the old ticker and defer a Stop of the new "
                          "one",
                          name, name, (unsigned)tok_line(f, f->nodes[dstop].first), note);
        return 1;
    }
    uint32_t failed = leak == LEAK_END ? NONE32 : test_failed_before(f, at);
    failure_note fails = after_failure(failed != NONE32);
    int sev = fails.severity;
    const char *after = fails.note;
    if (leak == LEAK_RETURN)
        check_report_node_severity(chk, sev, call,
                                   "ticker `%s` is not stopped (nor handed on) on the path that "
                                   "returns at line %u%s%s; `defer %s.Stop()` right after "
                                   "creating it",
                                   name, (unsigned)tok_line(f, f->nodes[at].first), after, note,
                                   name);
    else if (leak == LEAK_CONTINUE)
        check_report_node(chk, call,
                          "ticker `%s` is not stopped before the `continue` on line %u: each "
                          "iteration leaves one running%s; stop it on every path of the "
                          "iteration",
                          name, (unsigned)tok_line(f, f->nodes[at].first), note);
    else
        check_report_node(chk, call,
                          "ticker `%s` is not stopped (nor handed on) on every path to the end "
                          "of the function%s; `defer %s.Stop()` right after creating it",
                          name, note, name);
    return 1;
}

/* ---- for range t.C ---- */

/* Whether function fn is started as a goroutine: a literal that a go
 * statement runs, or a function of the file a go statement names. */
static int started_as_goroutine(const facts *f, uint32_t fn) {
    if (f->nodes[fn].kind == N(FUNCLIT)) return is_goroutine_body(f, fn);
    if (f->nodes[fn].key == NONE32) return 0;
    uint32_t n;
    const uint32_t *calls = calls_named(f, f->nodes[fn].key, &n);
    for (uint32_t i = 0; i < n; i++) {
        uint32_t c = f->calls.data[calls[i]].node, p = f->nodes[c].parent;
        if (p != NONE32 && f->nodes[p].kind == N(GO)) return 1;
    }
    return 0;
}

/* Whether range loop rng has a way out: a return or a break leaving it. */
static int range_has_exit(const facts *f, uint32_t rng, uint32_t fn) {
    uint32_t a = f->nodes[rng].first, b = f->nodes[rng].last;
    FOR_KIND_IN(f, N(RETURN), r, a + 1, b) {
        if (enclosing_func(f, r) == fn) return 1;
    }
    FOR_KIND_IN(f, N(CALL), c, a, b) {
        if (enclosing_func(f, c) == fn && call_never_returns(f, c)) return 1;
    }
    FOR_KIND_IN(f, N(BRANCH), br, a + 1, b) {
        if (enclosing_func(f, br) != fn) continue;
        if (f->toks[f->nodes[br].first].kind == T(GOTO) || break_leaves(f, br, rng)) return 1;
    }
    return 0;
}

/* `for range t.C` (also for x := range s.ticker.C) in a goroutine, with no
 * way out, on a ticker that is stopped somewhere: Stop does not close the
 * channel, so the goroutine waits forever once the ticker is stopped. */
static void check_range_over_ticker(goleak_check *chk, const facts *f) {
    FOR_KIND(f, N(RANGE), rng) {
        if (!ranges_ticker(f, rng)) continue;
        uint32_t x = child_by_role(f, rng, R(X));
        uint32_t a = f->nodes[x].first, b = f->nodes[x].last;
        uint32_t fn = enclosing_func(f, rng);
        if (fn == NONE32 || !started_as_goroutine(f, fn) || range_has_exit(f, rng, fn)) continue;
        if (!ticker_stopped_elsewhere(f, a, b - 2, fn)) continue;
        char what[64];
        snippet(f, a, b - 2, what, sizeof what);
        check_report_node(chk, rng,
                          "this goroutine ranges over `%s.C`, which is never closed: `%s.Stop()` "
                          "does not close the channel, so once the ticker is stopped the "
                          "goroutine waits forever; select on a done channel too, and return",
                          what, what);
    }
}

/* s.ticker = time.NewTicker(d) in a method that reconfigures s (it runs
 * again over a receiver already set up), without stopping the ticker the
 * field held: the old one keeps running, and the Stop elsewhere stops only
 * the last. */
static void check_field_replaced(goleak_check *chk, const facts *f, uint32_t call, uint32_t a,
                                 uint32_t b) {
    uint32_t fn = enclosing_func(f, call);
    const var_fact *rv = fn != NONE32 && f->nodes[fn].kind == N(FUNC) ? receiver_var(f, fn) : NULL;
    uint32_t field = receiver_field(f, rv, a, b);
    if (field == NONE32 || !method_reconfigures(f, fn, rv, field) ||
        field_released_before(f, fn, rv, field, f->nodes[call].first))
        return;
    char name[64], method[64];
    snippet(f, a, b, name, sizeof name);
    snippet(f, f->nodes[fn].key, f->nodes[fn].key, method, sizeof method);
    check_report_node(chk, call,
                      "`%s` runs again over a receiver already set up (it reconfigures it), "
                      "and puts a new ticker in `%s` without stopping the one "
                      "there: the old ticker keeps firing, and the Stop elsewhere stops only the "
                      "last; call `%s.Stop()` before replacing it",
                      method, name, name);
}

/* Whether tokens [a, b] index collection [ca, cb] (compared after the
 * root): d.timers[path] for d.timers. */
static int indexes(const facts *f, uint32_t a, uint32_t b, uint32_t ca, uint32_t cb) {
    uint32_t w = cb - ca;
    return b > a + w + 1 && f->toks[a + w + 1].kind == T(LBRACK) &&
           toks_same(f, a + 1, a + w, ca + 1, cb) && f->toks[b].kind == T(RBRACK);
}

/* The Stop calls of the file on entries of collection [ca, cb]:
 * d.timers[k].Stop(), t.Stop() with t := d.timers[k], or t ranging over
 * it. Returns how many; *before is set when one lies in function fn
 * before token pos. */
static uint32_t entry_stops(const facts *f, uint32_t ca, uint32_t cb, uint32_t fn, uint32_t pos,
                            int *before) {
    uint32_t n, count = 0;
    const uint32_t *stops = calls_named_text(f, "Stop", &n);
    *before = 0;
    for (uint32_t i = 0; i < n; i++) {
        const call_fact *c = &f->calls.data[stops[i]];
        if (c->recv_first == NONE32 || c->nargs != 0) continue;
        int hit = indexes(f, c->recv_first, c->recv_last, ca, cb);
        const var_fact *v =
            !hit && c->recv_first == c->recv_last ? resolve(f, c->recv_first) : NULL;
        if (v && v->value != NONE32) {
            uint32_t va = f->nodes[v->value].first, vb = f->nodes[v->value].last;
            hit = indexes(f, va, vb, ca, cb);
        } else if (v && v->decl != NONE32 && f->nodes[v->decl].kind == N(RANGE)) {
            uint32_t x = child_by_role(f, v->decl, R(X));
            hit = x != NONE32 && f->nodes[x].last - f->nodes[x].first == cb - ca &&
                  toks_same(f, f->nodes[x].first + 1, f->nodes[x].last, ca + 1, cb);
        }
        if (!hit) continue;
        count++;
        if (node_within(f, c->node, fn) && f->nodes[c->node].first < pos) *before = 1;
    }
    return count;
}

/* d.timers[path] = time.AfterFunc(...) (or NewTimer) in a function that
 * does not stop the timer the entry held first, when the file stops the
 * entries elsewhere (a Close ranging over them): the replaced timer still
 * fires, and nothing can stop it any more. */
static void check_entry_replaced(goleak_check *chk, const facts *f, uint32_t call) {
    value_target t;
    q_value_target(f, call, 0, &t);
    if (t.kind != GOLEAK_TARGET_INDEX || t.first == NONE32) return;
    uint32_t lb = t.first;
    while (lb < t.last && f->toks[lb].kind != T(LBRACK)) lb++;
    uint32_t ca = t.first, cb = lb - 1, fn = enclosing_func(f, call);
    if (lb >= t.last || cb < ca + 2 || !name_chain(f, ca, cb) || fn == NONE32) return;
    int before;
    if (!entry_stops(f, ca, cb, fn, f->nodes[call].first, &before) || before) return;
    char name[64];
    snippet(f, t.first, t.last, name, sizeof name);
    check_report_node(chk, call,
                      "`%s` gets a new timer without stopping the one it held: the replaced "
                      "timer still fires (its callback runs for a stale entry), and the Stop "
                      "calls elsewhere can no longer reach it; stop the old timer first (`if "
                      "old, ok := ...; ok { old.Stop() }`), or Reset it",
                      name);
}

static void check_ticker_call(goleak_check *chk, const facts *f, uint32_t call, const char *what,
                              gl015 *g) {
    int timer = strcmp(what, "timer") == 0;
    char name[64];
    uint32_t expr = f->nodes[call].parent;
    int whole = expr != NONE32 && f->nodes[expr].kind == N(EXPR) && expr_node(f, expr) == call;
    if (!whole) {
        /* time.NewTicker(d).C: nothing can ever stop it */
        if (f->toks[f->nodes[call].last + 1].kind == T(PERIOD) &&
            tok_is(f, f->nodes[call].last + 2, "C")) {
            uint32_t fn = enclosing_func(f, call);
            /* for t := range time.NewTicker(d).C with no way out: the loop
             * runs for the program's life, and so does its ticker */
            uint32_t sel = node_at(f, f->nodes[call].last + 2), rng = NONE32;
            for (uint32_t p = sel; p != NONE32 && rng == NONE32; p = f->nodes[p].parent) {
                if (f->nodes[p].kind == N(RANGE)) rng = p;
                if (f->nodes[p].kind != N(EXPR)) break;
            }
            if (rng != NONE32 && fn != NONE32 && !range_has_exit(f, rng, fn)) return;
            /* in main or init: the program's own ticker */
            uint32_t top = top_func(f, call);
            if (top != NONE32 && f->nodes[top].kind == N(FUNC) && f->nodes[top].key != NONE32 &&
                (tok_is(f, f->nodes[top].key, "main") || tok_is(f, f->nodes[top].key, "init")))
                return;
            int minor = goleak_check_go_minor(chk);
            if (minor >= GO_TIMERS_COLLECTED) return;
            node_snippet(f, call, name, sizeof name);
            if (timer)
                check_report_node(chk, call,
                                  "the timer made by `%s` is not kept, so nothing can stop it: it "
                                  "stays in memory until it fires (before Go 1.23, even when "
                                  "nothing waits for it any more); keep it and stop it when it "
                                  "is no longer needed",
                                  name);
            else
                check_report_node(chk, call,
                                  "the ticker made by `%s` is not kept, so nothing can ever stop "
                                  "it: it keeps firing and is never collected%s; keep it in a "
                                  "variable and `defer t.Stop()`",
                                  name,
                                  minor < 0 ? " (before Go 1.23; the module's Go version is "
                                              "unknown)"
                                            : "");
        }
        return;
    }
    value_target t;
    q_value_target(f, call, 0, &t);
    uint32_t target = NONE32; /* the token the ticker is assigned to */
    switch (t.kind) {
    case GOLEAK_TARGET_VAR:
    case GOLEAK_TARGET_PACKAGE_VAR:
        if (t.first == t.last) target = t.first;
        break;
    case GOLEAK_TARGET_BLANK: report_ticker(chk, f, call, what, "_", 1, 0); return;
    case GOLEAK_TARGET_FIELD: /* x.f = time.NewTicker(d) */
        if (!field_stopped(f, t.last))
            report_ticker(chk, f, call, what, snippet(f, t.first, t.last, name, sizeof name), 0, 0);
        else if (!timer)
            check_field_replaced(chk, f, call, t.first, t.last);
        return;
    case GOLEAK_TARGET_ELEMENT: /* T{ticker: time.NewTicker(d)} */
        if (t.first != NONE32 && f->toks[t.first].kind == T(IDENT) && !field_stopped(f, t.first))
            report_ticker(chk, f, call, what, snippet(f, t.first, t.first, name, sizeof name), 0,
                          0);
        return;
    default: return; /* returned, passed or sent: its new owner stops it */
    }
    if (target == NONE32) return;
    const var_fact *v = resolve(f, target);
    if (!v) return;
    ticker_uses tu = {0, 0, NONE32, 0};
    /* in a loop, uses earlier in its body run on the next round */
    uint32_t loop = loop_around(f, call);
    classify_uses(f, v, loop != NONE32 ? f->nodes[loop].first : f->nodes[call].last, timer, &tu);
    snippet(f, target, target, name, sizeof name);
    if (v->flags & VF_PKG) {
        /* a ticker made once for the process (var t = time.NewTicker(d),
         * or in main or init) is a process-lifetime throttle, not a leak */
        uint32_t top = top_func(f, call);
        if (top == NONE32 ||
            (f->nodes[top].kind == N(FUNC) && f->nodes[top].key != NONE32 &&
             (tok_is(f, f->nodes[top].key, "main") || tok_is(f, f->nodes[top].key, "init"))))
            return;
        if (!tu.stopped && !tu.escapes) report_ticker(chk, f, call, what, name, 0, 0);
        return;
    }
    if (tu.stopped || tu.escapes) {
        /* stopped or handed on somewhere: on every path? (a timer fires
         * once and is done: only tickers) */
        if (!timer) check_ticker_paths(chk, f, call, v, name, 0, g);
        return;
    }
    if (tu.field != NONE32) {
        if (!field_stopped(f, tu.field)) report_ticker(chk, f, call, what, name, 0, 0);
        return;
    }
    /* t = time.NewTicker(d) after a `defer t.Stop()` that stops the
     * previous one: not "add a defer", one is there */
    uint32_t fn = enclosing_func(f, call);
    if (!timer && fn != NONE32 &&
        deferred_stop_before(f, v, fn, f->nodes[call].first, g) != NONE32) {
        check_ticker_paths(chk, f, call, v, name, 1, g);
        return;
    }
    /* made once by a command's main (or init, or what only main calls):
     * the program's own ticker, which lives as long as the process */
    if (loop == NONE32 && runs_once_in_main(f, top_func(f, call))) return;
    report_ticker(chk, f, call, what, name, 1, tu.goroutine_loop);
}

/* Whether time.Tick's channel is ranged over by a loop that never ends:
 * `for t := range time.Tick(d)` or `c := time.Tick(d); for t := range c`
 * without return or break: then the function never returns. */
static int ticks_forever(const facts *f, uint32_t call) {
    uint32_t expr = f->nodes[call].parent;
    if (expr == NONE32 || expr_node(f, expr) != call) return 0;
    uint32_t rng = NONE32;
    if (f->nodes[expr].role == R(X) && f->nodes[f->nodes[expr].parent].kind == N(RANGE)) {
        rng = f->nodes[expr].parent;
    } else if (f->nodes[expr].role == R(RHS)) {
        /* c := time.Tick(d); for t := range c: the last range over c */
        value_target t;
        q_value_target(f, call, 0, &t);
        int var = t.kind == GOLEAK_TARGET_VAR || t.kind == GOLEAK_TARGET_PACKAGE_VAR;
        const var_fact *v = var && t.first == t.last ? resolve(f, t.first) : NULL;
        if (!v) return 0;
        uint32_t end = v->func != NONE32 ? f->nodes[v->func].last : f->u->toks.len - 1;
        for (uint32_t u = next_use(f, v, 0, end); u != NONE32; u = next_use(f, v, u, end)) {
            use_info ui;
            q_use(f, u, &ui);
            if (ui.kind == GOLEAK_USE_RANGE) rng = ui.node;
        }
    }
    if (rng == NONE32) return 0;
    uint32_t fn = enclosing_func(f, rng);
    FOR_KIND_IN(f, N(RETURN), r, f->nodes[rng].first, f->nodes[rng].last) {
        if (node_within(f, r, rng) && enclosing_func(f, r) == fn) return 0;
    }
    FOR_KIND_IN(f, N(BRANCH), br, f->nodes[rng].first, f->nodes[rng].last) {
        if (node_within(f, br, rng) && f->toks[f->nodes[br].first].kind != T(CONTINUE)) return 0;
    }
    return 1;
}

static int check_ticker_not_stopped(goleak_check *chk, void *ud) {
    (void)ud;
    const facts *f = check_facts(chk);
    if (!f) return 0;
    check_range_over_ticker(chk, f);
    gl015 g;
    size_t n = ((size_t)f->vars.len + 1) * sizeof(uint32_t);
    g.captured = gl_malloc(f->alloc, n);
    g.dstop = gl_malloc(f->alloc, n);
    if (!g.captured || !g.dstop) {
        gl_free(f->alloc, g.captured);
        gl_free(f->alloc, g.dstop);
        *f->oom = 1;
        return 0;
    }
    for (uint32_t k = 0; k <= f->vars.len; k++) g.captured[k] = g.dstop[k] = UNKNOWN_EXIT;
    int minor = goleak_check_go_minor(chk);
    FOR_KIND(f, N(CALL), call) {
        const call_fact *c = call_of(f, call);
        if (!c || c->name == NONE32) continue;
        if (call_is_pkg(f, c, PKG_TIME, "NewTicker")) {
            check_ticker_call(chk, f, call, "ticker", &g);
        } else if (call_is_pkg(f, c, PKG_TIME, "NewTimer")) {
            check_ticker_call(chk, f, call, "timer", &g);
            check_entry_replaced(chk, f, call);
        } else if (call_is_pkg(f, c, PKG_TIME, "AfterFunc")) {
            check_entry_replaced(chk, f, call);
        } else if (call_is_pkg(f, c, PKG_TIME, "Tick")) {
            if (minor >= GO_TIMERS_COLLECTED) continue;
            uint32_t fn = top_func(f, call);
            if (fn == NONE32 || f->nodes[fn].kind != N(FUNC) || f->nodes[fn].key == NONE32)
                continue;
            if (tok_is(f, f->nodes[fn].key, "main") || tok_is(f, f->nodes[fn].key, "init"))
                continue;
            if (ticks_forever(f, call)) continue;
            check_report_node(chk, call,
                              "time.Tick in a function that returns: its ticker can never be "
                              "stopped and is never collected; use time.NewTicker and "
                              "`defer t.Stop()`%s",
                              minor < 0 ? " (it leaks before Go 1.23; the module's Go version "
                                          "is unknown)"
                                        : "");
        }
    }
    gl_free(f->alloc, g.captured);
    gl_free(f->alloc, g.dstop);
    return 0;
}

/* ---- GL016 ---- */

/* Whether a select case always ends the loop: its last statement does, or
 * it sets a variable of the loop's condition (for !done { ... done = true }). */
static int case_ends_loop(const facts *f, uint32_t comm, uint32_t loop) {
    uint32_t last = NONE32;
    for (uint32_t c = f->nodes[comm].child; c != NONE32; c = f->nodes[c].next)
        if (f->nodes[c].role != R(COMM)) last = c;
    if (last != NONE32 && stmt_leaves_loop(f, last, loop)) return 1;
    uint32_t cond = f->nodes[loop].kind == N(FOR) ? child_by_role(f, loop, R(COND)) : NONE32;
    if (cond == NONE32) return 0;
    for (uint32_t c = f->nodes[comm].child; c != NONE32; c = f->nodes[c].next) {
        if (f->nodes[c].kind != N(ASSIGN) || f->nodes[c].role == R(COMM)) continue;
        uint32_t lhs = nth_child_by_role(f, c, R(LHS), 0), t;
        if (lhs == NONE32 || !expr_ident(f, lhs, &t)) continue;
        for (uint32_t i = f->nodes[cond].first; i <= f->nodes[cond].last; i++)
            if (tok_same(f, i, t)) return 1;
    }
    return 0;
}

/* The select case whose communication is the receive r; NONE32 when r is
 * not a case's own receive. */
static uint32_t comm_of_recv(const facts *f, uint32_t r) {
    uint32_t p = f->nodes[r].parent;
    if (p != NONE32 && f->nodes[p].kind == N(EXPR)) p = f->nodes[p].parent;
    if (p == NONE32 || f->nodes[p].role != R(COMM)) return NONE32;
    p = f->nodes[p].parent;
    return p != NONE32 && f->nodes[p].kind == N(COMM) ? p : NONE32;
}

/* The select case whose receive is <-time.After(d), directly or through a
 * variable assigned in the same loop body; NONE32 otherwise. */
static uint32_t after_case(const facts *f, uint32_t call, uint32_t loop) {
    uint32_t recv = f->nodes[call].parent;
    if (recv != NONE32 && f->nodes[recv].kind == N(EXPR)) recv = f->nodes[recv].parent;
    if (recv != NONE32 && f->nodes[recv].kind == N(RECV)) return comm_of_recv(f, recv);
    /* timeout := time.After(d) ... case <-timeout: */
    uint32_t expr = f->nodes[call].parent;
    if (expr == NONE32 || expr_node(f, expr) != call || f->nodes[expr].role != R(RHS))
        return NONE32;
    value_target t;
    q_value_target(f, call, 0, &t);
    int var = t.kind == GOLEAK_TARGET_VAR || t.kind == GOLEAK_TARGET_PACKAGE_VAR;
    const var_fact *v = var && t.first == t.last ? resolve(f, t.first) : NULL;
    if (!v) return NONE32;
    /* the first select case in the loop that receives the variable itself */
    for (uint32_t u = next_use(f, v, f->nodes[loop].first, f->nodes[loop].last); u != NONE32;
         u = next_use(f, v, u, f->nodes[loop].last)) {
        use_info ui;
        q_use(f, u, &ui);
        if (ui.kind != GOLEAK_USE_RECEIVE || f->nodes[ui.node].last != u) continue;
        uint32_t comm = comm_of_recv(f, ui.node);
        if (comm != NONE32) return comm;
    }
    return NONE32;
}

static int check_time_after_in_loop(goleak_check *chk, void *ud) {
    (void)ud;
    const facts *f = check_facts(chk);
    if (!f) return 0;
    FOR_KIND(f, N(CALL), call) {
        if (!call_is_pkg(f, call_of(f, call), PKG_TIME, "After")) continue;
        uint32_t loop = loop_around(f, call);
        if (loop == NONE32 || unreachable(f, call)) continue;
        /* timers pile up only when the loop goes round while one is pending:
         * time.After is a select case, and another case continues the loop
         * (a bare <-time.After(d) waits for its timer to fire) */
        uint32_t comm = after_case(f, call, loop);
        if (comm == NONE32) continue;
        /* a select after which the iteration always leaves the loop runs once */
        uint32_t sel = f->nodes[comm].parent;
        if (leaves_loop_after(f, stmt_of(f, sel), loop, NULL)) continue;
        /* a select that runs once per call (if conn == nil { conn = ...;
         * select {...} }) */
        if (guarded_once_in_loop(f, sel, loop)) continue;
        int continues = 0;
        for (uint32_t c = f->nodes[f->nodes[comm].parent].child; c != NONE32; c = f->nodes[c].next)
            if (c != comm && f->nodes[c].kind == N(COMM) && !case_ends_loop(f, c, loop) &&
                !clause_runs_once(f, c, loop))
                continues = 1;
        if (!continues) continue;
        check_report_node(chk, call,
                          "time.After inside a loop (line %u) starts a new timer on every "
                          "iteration, and each stays in memory until it fires; create one "
                          "time.NewTimer before the loop and Reset it",
                          (unsigned)tok_line(f, f->nodes[loop].first));
    }
    return 0;
}

const goleak_rule_def builtin_GL015 = {
    .version = GOLEAK_RULE_DEF_VERSION,
    .id = "GL015",
    .name = "ticker-not-stopped",
    .severity = GOLEAK_SEVERITY_WARNING,
    .check = check_ticker_not_stopped,
    .triggers = "NewTicker,NewTimer,Tick,AfterFunc",
};

const goleak_rule_def builtin_GL016 = {
    .version = GOLEAK_RULE_DEF_VERSION,
    .id = "GL016",
    .name = "time-after-in-loop",
    .severity = GOLEAK_SEVERITY_WARNING,
    .go_below = "1.23",
    .check = check_time_after_in_loop,
    .triggers = "After",
};
