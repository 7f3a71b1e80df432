/* GL014: a goroutine started by a helper of the file that hands its
 * caller the means to stop it (w := c.watchStatus(name); ...; w.Stop()).
 * The caller that stops it on some paths owns it: a return that neither
 * stops it nor hands it on leaves the goroutine running or blocked for
 * good. */
#include "../paths.h"
#include "../query.h"
#include "goroutine.h"
#include "stoppers.h"
#include "rules.h"

#include <string.h>

static const char *const stop_names[] = {"Stop", "Close", "Cancel", "Shutdown"};

/* Whether the use of a variable at token u calls its stop method:
 * v.Stop(), v.Close(), v.Cancel(), v.Shutdown(). */
static int calls_stop(const facts *f, uint32_t u) {
    if (u + 3 >= f->u->toks.len || f->toks[u + 1].kind != T(PERIOD) ||
        f->toks[u + 3].kind != T(LPAREN))
        return 0;
    for (size_t k = 0; k < sizeof stop_names / sizeof *stop_names; k++)
        if (tok_is(f, u + 2, stop_names[k])) return 1;
    return 0;
}

/* Marks FUNC fn (its place among the FUNC nodes) in *mark when it returns
 * something; 0, or -1 when out of memory. */
static int mark_returning(const facts *f, uint32_t fn, uint8_t **mark) {
    if (fn == NONE32 || f->nodes[fn].kind != N(FUNC) || child_by_role(f, fn, R(RESULT)) == NONE32)
        return 0;
    if (!*mark && !(*mark = gl_calloc(f->alloc, (size_t)f->by_kind[N(FUNC)].len + 1))) {
        *f->oom = 1;
        return -1;
    }
    (*mark)[kind_lower_bound(f, N(FUNC), f->nodes[fn].first)] = 1;
    return 0;
}

/* Per FUNC of the file: whether it returns something after starting what
 * its result's stop method ends: a goroutine in its own body (STARTS_GOROUTINE),
 * or a count on a WaitGroup field, x.f.Add(1) (STARTS_COUNT). NULL when
 * none does (or out of memory: f->oom is set). */
static uint8_t *starters_of(const facts *f, int what) {
    uint8_t *mark = NULL;
    if (what == STARTS_GOROUTINE) {
        FOR_KIND(f, N(GO), g) {
            if (mark_returning(f, enclosing_func(f, g), &mark)) return NULL;
        }
        return mark;
    }
    uint32_t n;
    const uint32_t *adds = calls_named_text(f, "Add", &n);
    for (uint32_t i = 0; i < n; i++) {
        const call_fact *c = &f->calls.data[adds[i]];
        uint32_t arg = c->nargs == 1 ? call_arg(f, c->node, 0) : NONE32;
        if (arg == NONE32 || c->recv_first == NONE32 || c->recv_last < c->recv_first + 2 ||
            const_value(f, f->nodes[arg].first, f->nodes[arg].last) != 1 ||
            f->nodes[f->nodes[c->node].parent].kind != N(EXPRSTMT))
            continue;
        if (mark_returning(f, enclosing_func(f, c->node), &mark)) return NULL;
    }
    return mark;
}

/* The use of v that calls its stop method (v.Stop()): 1; a hand-off (it is
 * returned, stored, passed, captured): 1. */
static int stops_or_hands_on(const release_query *q, uint32_t use) {
    use_info ui;
    q_use(q->f, use, &ui);
    if (ui.kind == GOLEAK_USE_SELECT) return calls_stop(q->f, use);
    if (ui.kind == GOLEAK_USE_CALL) return 1; /* finish(): a stop function called */
    return use_hands_on(&ui);
}

/* Whether function fn's one result is a function (func (...) func()): what
 * it returns is the means to stop what it started. */
static int returns_func(const facts *f, uint32_t fn) {
    uint32_t res = child_by_role(f, fn, R(RESULT));
    return res != NONE32 && tok_is(f, f->nodes[res].first, "func");
}

/* The first use u of v after token from, in function fn itself, that
 * pred accepts (ui: what u does): NONE32 when none. */
static uint32_t first_use_where(const facts *f, const var_fact *v, uint32_t from, uint32_t fn,
                                int (*pred)(const facts *f, uint32_t u, const use_info *ui)) {
    for (uint32_t u = next_use(f, v, from, v->scope_end); u != NONE32;
         u = next_use(f, v, u, v->scope_end)) {
        use_info ui;
        q_use(f, u, &ui);
        if (pred(f, u, &ui) && enclosing_func(f, node_at(f, u)) == fn) return u;
    }
    return NONE32;
}

/* A use that calls a function value or hands it on, not deferred. */
static int calls_or_hands_on(const facts *f, uint32_t u, const use_info *ui) {
    (void)f, (void)u;
    return (ui->kind == GOLEAK_USE_CALL || use_hands_on(ui)) && !(ui->flags & GOLEAK_USE_DEFERRED);
}

/* The first use of stop function v in function fn that calls it or hands
 * it on (r.finish = finish): fn owns it. NONE32 otherwise. */
static uint32_t func_used_in(const facts *f, const var_fact *v, uint32_t fn) {
    return first_use_where(f, v, v->name, fn, calls_or_hands_on);
}

/* err != nil (err the call's error result, in ctx): nothing was started;
 * err == nil: the value is held. */
static int error_absent(const release_query *q, uint32_t cond) {
    const facts *f = q->f;
    const var_fact *err = q->ctx;
    uint32_t a = f->nodes[cond].first, b = f->nodes[cond].last;
    if (!err || b != a + 2 || resolve(f, a) != err || !tok_is(f, b, "nil")) return 0;
    return f->toks[a + 1].kind == T(NEQ) ? 1 : f->toks[a + 1].kind == T(EQL) ? -1 : 0;
}

static int calls_nothing(const release_query *q, uint32_t call) {
    (void)q;
    (void)call;
    return 0;
}

/* A direct (not deferred, not in a literal) call v.Stop(). */
static int direct_stop(const facts *f, uint32_t u, const use_info *ui) {
    return ui->kind == GOLEAK_USE_SELECT &&
           !(ui->flags & (GOLEAK_USE_CAPTURED | GOLEAK_USE_DEFERRED)) && calls_stop(f, u);
}

/* The first direct call v.Stop() of function fn: NONE32 when fn never
 * stops v itself. */
static uint32_t stopped_in(const facts *f, const var_fact *v, uint32_t fn) {
    return first_use_where(f, v, v->name, fn, direct_stop);
}

/* Whether a method of the file named like token m (Close) counts down a
 * WaitGroup: its body calls x.Done(). */
static int counts_down(const facts *f, uint32_t m) {
    FOR_KIND(f, N(FUNC), fn) {
        if (f->nodes[fn].key == NONE32 || !tok_same(f, f->nodes[fn].key, m)) continue;
        FOR_KIND_IN(f, N(CALL), c, f->nodes[fn].first, f->nodes[fn].last) {
            const call_fact *cf = call_of(f, c);
            if (cf && cf->recv_first != NONE32 && cf->nargs == 0 && cf->name != NONE32 &&
                tok_is(f, cf->name, "Done"))
                return 1;
        }
    }
    return 0;
}

void check_stoppers(goleak_check *chk, const facts *f, int what) {
    uint8_t *starters = starters_of(f, what);
    if (!starters) return;
    FOR_KIND(f, N(CALL), call) {
        const call_fact *c = call_of(f, call);
        if (!c || c->name == NONE32 || c->pkg != PKG_NONE) continue;
        uint32_t callee = find_func(f, c->name);
        if (callee == NONE32 ||
            !(f->nodes[callee].flags & GOLEAK_NODE_FLAG_METHOD) != (c->recv_first == NONE32) ||
            !starters[kind_lower_bound(f, N(FUNC), f->nodes[callee].first)] || unreachable(f, call))
            continue;
        value_target t;
        q_value_target(f, call, 0, &t);
        const var_fact *v =
            t.kind == GOLEAK_TARGET_VAR && t.first == t.last ? resolve(f, t.first) : NULL;
        uint32_t fn = enclosing_func(f, call), stmt = stmt_of(f, call);
        if (!v || fn == NONE32 || stmt == NONE32 || v->func != fn) continue;
        int func_stop = what == STARTS_GOROUTINE && returns_func(f, callee);
        uint32_t stop = func_stop ? func_used_in(f, v, fn) : stopped_in(f, v, fn);
        /* main's (or what only main calls once): the process ends with it */
        if (stop == NONE32 || once_per_process(f, top_func(f, call), 0, ONCE_WITH_MAIN)) continue;
        if (what == STARTS_COUNT && !counts_down(f, stop + 2)) continue;
        value_target et;
        q_value_target(f, call, 1, &et);
        const var_fact *err =
            et.kind == GOLEAK_TARGET_VAR && et.first == et.last ? resolve(f, et.first) : NULL;
        release_query q = {.f = f,
                           .is_release = calls_nothing,
                           .ctx = (void *)err,
                           .var_only = 1,
                           .loop = loop_around(f, stmt),
                           .cond = NONE32,
                           .var = v,
                           .use_releases = stops_or_hands_on,
                           .cond_absent = error_absent};
        uint32_t at;
        if (release_check(&q, stmt, &at) != LEAK_RETURN || at == NONE32) continue;
        char name[48], got[64], how[24];
        snippet(f, v->name, v->name, name, sizeof name);
        snippet(f, f->nodes[call].first, f->nodes[call].last, got, sizeof got);
        snippet(f, stop + 2, stop + 2, how, sizeof how);
        failure_note note = after_failure(test_failed_before(f, at) != NONE32);
        if (func_stop)
            check_report_node_severity(
                chk, note.severity, call,
                "`%s` starts a goroutine and returns `%s` to end it; this function calls or "
                "keeps it (line %u) but returns at line %u%s without either, and the goroutine "
                "waits forever; call `%s()` on that path too, or defer it",
                got, name, (unsigned)tok_line(f, stop), (unsigned)tok_line(f, f->nodes[at].first),
                note.note, name);
        else if (what == STARTS_GOROUTINE)
            check_report_node_severity(
                chk, note.severity, call,
                "`%s` starts a goroutine and returns `%s` to stop it; this function calls "
                "`%s.%s()` (line %u) but returns at line %u%s without it, and the goroutine runs "
                "(or waits) forever; `defer %s.%s()` right after the call",
                got, name, name, how, (unsigned)tok_line(f, stop),
                (unsigned)tok_line(f, f->nodes[at].first), note.note, name, how);
        else
            check_report_node_severity(
                chk, note.severity, call,
                "`%s` counts `%s` on a WaitGroup (Add) that `%s.%s()` counts down; this function "
                "calls it (line %u) but returns at line %u%s without it, and a Wait on that "
                "WaitGroup waits forever; `defer %s.%s()` right after the call",
                got, name, name, how, (unsigned)tok_line(f, stop),
                (unsigned)tok_line(f, f->nodes[at].first), note.note, name, how);
    }
    gl_free(f->alloc, starters);
}

/* ---- start and undo methods: x.Watch(ctx) ... x.Unwatch() ---- */

/* Whether method fn starts a goroutine in its own body. */
static int starts_goroutine(const facts *f, uint32_t fn) {
    FOR_KIND_IN(f, N(GO), g, f->nodes[fn].first, f->nodes[fn].last) {
        if (enclosing_func(f, g) == fn) return 1;
    }
    return 0;
}

/* A method of the file spelled name that starts a goroutine in its own
 * body: its FUNC node, NONE32. */
static uint32_t starting_method(const facts *f, const char *name) {
    FOR_KIND(f, N(FUNC), fn) {
        uint32_t k = f->nodes[fn].key;
        if (k != NONE32 && (f->nodes[fn].flags & GOLEAK_NODE_FLAG_METHOD) && tok_is(f, k, name) &&
            starts_goroutine(f, fn))
            return fn;
    }
    return NONE32;
}

/* The walk's release: the undo call on the same object (ctx: the start
 * call). */
static int undoes(const release_query *q, uint32_t call) {
    const facts *f = q->f;
    const call_fact *start = call_of(f, *(const uint32_t *)q->ctx), *c = call_of(f, call);
    if (!c || c->recv_first == NONE32 || c->name == NONE32 || c->nargs != 0) return 0;
    uint32_t len = f->toks[c->name].len;
    const char *s = (const char *)f->src + f->toks[c->name].off;
    const char *w = (const char *)f->src + f->toks[start->name].off;
    if (len != f->toks[start->name].len + 2 || (s[0] != 'U' && s[0] != 'u') || s[1] != 'n' ||
        (s[2] | 0x20) != (w[0] | 0x20) || memcmp(s + 3, w + 1, len - 3) != 0)
        return 0;
    return toks_same(f, c->recv_first, c->recv_last, start->recv_first, start->recv_last);
}

void check_undone_starts(goleak_check *chk, const facts *f) {
    FOR_KIND(f, N(CALL), call) {
        const call_fact *c = call_of(f, call);
        /* x.Unwatch() */
        if (!c || c->recv_first == NONE32 || c->name == NONE32 || c->nargs != 0 ||
            c->pkg != PKG_NONE || f->toks[c->name].len < 4 || f->toks[c->name].len > 40 ||
            tok_is(f, c->name, "Unlock") || tok_is(f, c->name, "Unref"))
            continue;
        const char *s = (const char *)f->src + f->toks[c->name].off;
        if (s[0] != 'U' || s[1] != 'n' || s[2] < 'a' || s[2] > 'z') continue;
        char name[48];
        size_t len = f->toks[c->name].len - 2;
        memcpy(name, s + 2, len);
        name[0] = (char)(name[0] - 'a' + 'A');
        name[len] = 0;
        uint32_t fn = enclosing_func(f, call);
        if (fn == NONE32 || unreachable(f, call) || starting_method(f, name) == NONE32) continue;
        /* the start before it in the same function, on the same object */
        uint32_t start = NONE32, nn;
        const uint32_t *starts = calls_named_text(f, name, &nn);
        for (uint32_t i = calls_from(f, starts, nn, f->nodes[fn].first); i < nn; i++) {
            const call_fact *sc = &f->calls.data[starts[i]];
            if (f->nodes[sc->node].first >= f->nodes[call].first) break;
            if (sc->recv_first != NONE32 && enclosing_func(f, sc->node) == fn &&
                toks_same(f, sc->recv_first, sc->recv_last, c->recv_first, c->recv_last))
                start = sc->node;
        }
        uint32_t stmt = start != NONE32 ? stmt_of(f, start) : NONE32;
        if (stmt == NONE32 || f->nodes[stmt].kind != N(EXPRSTMT)) continue;
        uint32_t at = return_without(f, stmt, undoes, &start);
        if (at == NONE32) continue;
        char got[64], undo[64];
        snippet(f, f->nodes[start].first, f->nodes[start].last, got, sizeof got);
        snippet(f, f->nodes[call].first, f->nodes[call].last, undo, sizeof undo);
        failure_note note = after_failure(test_failed_before(f, at) != NONE32);
        check_report_node_severity(chk, note.severity, at,
                                   "this return skips `%s` (line %u), which undoes `%s` (line "
                                   "%u) and ends the goroutine it started%s: that goroutine "
                                   "waits on forever; undo it on this path too, or defer it",
                                   undo, (unsigned)tok_line(f, f->nodes[call].first), got,
                                   (unsigned)tok_line(f, f->nodes[start].first), note.note);
    }
}

/* ---- a local object whose method started a goroutine, dropped ---- */

/* Whether a use of the object (v.Close(), v.cleanup(): a method of the file
 * that closes a channel or calls a stop method) ends what it started. */
static int ends_object(const facts *f, uint32_t u) {
    static const char *const ends[] = {"close", "stop", "cancel", "shutdown"};
    if (u + 3 >= f->u->toks.len || f->toks[u + 1].kind != T(PERIOD) ||
        f->toks[u + 3].kind != T(LPAREN))
        return 0;
    if (calls_stop(f, u)) return 1;
    for (size_t k = 0; k < sizeof ends / sizeof *ends; k++)
        if (tok_is(f, u + 2, ends[k])) return 1;
    uint32_t m = find_func(f, u + 2);
    if (m == NONE32) return 0;
    FOR_KIND_IN(f, N(CALL), c, f->nodes[m].first, f->nodes[m].last) {
        const call_fact *cf = call_of(f, c);
        if (cf && (call_is_func(f, cf, "close") ||
                   (cf->recv_first != NONE32 && cf->name != NONE32 && calls_stop(f, cf->name - 2))))
            return 1;
    }
    return 0;
}

/* use_releases of the walk: the object handed on, or ended. */
static int hands_on_or_ends(const release_query *q, uint32_t use) {
    use_info ui;
    q_use(q->f, use, &ui);
    if (ui.kind == GOLEAK_USE_SELECT) return ends_object(q->f, use);
    return use_hands_on(&ui);
}

/* Whether local v holds an object made here: a literal (&T{...}, T{}),
 * new(T), or what a constructor returns (newT(...), NewT, createT...). */
static int fresh_object(const facts *f, const var_fact *v) {
    if (v->value == NONE32) return 0;
    uint32_t a = f->nodes[v->value].first, b = f->nodes[v->value].last;
    /* T{...} or &T{...}: a literal that is the whole value */
    FOR_KIND_IN(f, N(COMPOSITE), lit, a, b) {
        if (f->nodes[lit].last == b && (f->nodes[lit].first == a || (f->nodes[lit].first == a + 1 &&
                                                                     f->toks[a].kind == T(AND))))
            return 1;
    }
    uint32_t e = expr_node(f, v->value);
    const call_fact *c = e != NONE32 && f->nodes[e].kind == N(CALL) ? call_of(f, e) : NULL;
    if (!c || c->name == NONE32) return 0;
    static const char *const makers[] = {"new", "New", "create", "Create", "make", "Make"};
    for (size_t k = 0; k < sizeof makers / sizeof *makers; k++)
        if (tok_has_prefix(f, c->name, makers[k])) return 1;
    return 0;
}

static int is_deferred(const facts *f, uint32_t u, const use_info *ui) {
    (void)f, (void)u;
    return (ui->flags & GOLEAK_USE_DEFERRED) != 0;
}

static int hands_on(const facts *f, uint32_t u, const use_info *ui) {
    (void)f, (void)u;
    return use_hands_on(ui);
}

/* Whether function fn defers something on v (defer v.flush(), defer
 * release(v)): that covers every path. */
static int deferred_use(const facts *f, const var_fact *v, uint32_t fn) {
    return first_use_where(f, v, v->name, fn, is_deferred) != NONE32;
}

void check_started_dropped(goleak_check *chk, const facts *f) {
    FOR_KIND(f, N(CALL), call) {
        const call_fact *c = call_of(f, call);
        if (!c || c->name == NONE32 || c->pkg != PKG_NONE || c->recv_first == NONE32 ||
            c->recv_first != c->recv_last || unreachable(f, call))
            continue;
        const var_fact *v = resolve(f, c->recv_first);
        uint32_t fn = enclosing_func(f, call), stmt = stmt_of(f, call);
        if (!v || v->func != fn || fn == NONE32 || stmt == NONE32 ||
            (v->flags & (VF_PARAM | VF_RECV | VF_RESULT | VF_PKG)) ||
            f->nodes[stmt].kind != N(EXPRSTMT))
            continue;
        uint32_t m = find_func(f, c->name);
        if (m == NONE32 || !(f->nodes[m].flags & GOLEAK_NODE_FLAG_METHOD) ||
            !starts_goroutine(f, m) || !fresh_object(f, v) || deferred_use(f, v, fn))
            continue;
        /* the object is handed on (returned, stored) after the start somewhere */
        uint32_t kept = first_use_where(f, v, f->nodes[call].last, fn, hands_on);
        if (kept == NONE32 || once_per_process(f, top_func(f, call), 0, ONCE_WITH_MAIN)) continue;
        release_query q = {.f = f,
                           .is_release = calls_nothing,
                           .var_only = 1,
                           .loop = loop_around(f, stmt),
                           .cond = NONE32,
                           .var = v,
                           .use_releases = hands_on_or_ends};
        uint32_t at;
        if (release_check(&q, stmt, &at) != LEAK_RETURN || at == NONE32) continue;
        char name[48], got[64];
        snippet(f, v->name, v->name, name, sizeof name);
        snippet(f, f->nodes[call].first, f->nodes[call].last, got, sizeof got);
        failure_note note = after_failure(test_failed_before(f, at) != NONE32);
        check_report_node_severity(chk, note.severity, at,
                                   "`%s` (line %u) started a goroutine of `%s`, which this "
                                   "function hands on at line %u, but this return drops `%s`%s "
                                   "without closing it: the goroutine waits forever; close it "
                                   "before returning",
                                   got, (unsigned)tok_line(f, f->nodes[call].first), name,
                                   (unsigned)tok_line(f, kept), name, note.note);
    }
}
