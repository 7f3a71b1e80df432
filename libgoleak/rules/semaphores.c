/* GL025 semaphore-not-released: a buffered channel used as a counting
 * semaphore (sem <- token takes a slot, <-sem gives it back), or a
 * golang.org/x/sync/semaphore.Weighted, whose slot (weight) is not given
 * back on some path. */
#include "../paths.h"
#include "../query.h"
#include "common.h"
#include "goroutine.h"
#include "rules.h"
#include "typeindex.h"

#include <stdio.h>
#include <string.h>

/* A semaphore, written as the name chain [a, b] (sem, s.sem); loose: match
 * any chain ending in the same name (a helper method of the file spells the
 * receiver its own way). */
typedef struct sem_chain {
    uint32_t a, b;
    int loose;
} sem_chain;

typedef struct sem_ctx {
    const facts *f;
    sem_chain s;
    uint32_t fn;    /* the function whose paths are walked */
    int hands_over; /* its successful returns hand the slot to the caller */
} sem_ctx;

/* The channel of send statement st as a name chain, or 0. */
static int send_chain(const facts *f, uint32_t st, sem_chain *s) {
    uint32_t arrow = f->nodes[st].key;
    if (arrow == NONE32 || arrow <= f->nodes[st].first) return 0;
    s->a = f->nodes[st].first;
    s->b = arrow - 1;
    s->loose = 0;
    return name_chain(f, s->a, s->b);
}

/* Whether tokens [a, b] name semaphore s. */
static int names_sem(const facts *f, uint32_t a, uint32_t b, const sem_chain *s) {
    if (!s->loose) return toks_same(f, a, b, s->a, s->b);
    return name_chain(f, a, b) && tok_same(f, b, s->b);
}

/* Whether statement st gives a slot of s back: the statement `<-sem`. */
static int gives_back(const facts *f, uint32_t st, const sem_chain *s) {
    if (st == NONE32 || f->nodes[st].kind != N(EXPRSTMT)) return 0;
    uint32_t e = expr_node(f, st);
    return e != NONE32 && f->nodes[e].kind == N(RECV) &&
           names_sem(f, f->nodes[e].first + 1, f->nodes[e].last, s);
}

/* Whether tokens [a, b] hold a statement giving a slot of s back (function
 * literals included). */
static int gives_back_in(const facts *f, uint32_t a, uint32_t b, const sem_chain *s) {
    FOR_KIND_IN(f, N(RECV), r, a, b) {
        if (gives_back(f, stmt_of(f, r), s)) return 1;
    }
    return 0;
}

/* Whether call gives semaphore s back through what it runs or gets: a
 * function literal whose body gives it back (defer func() { <-sem }()), a
 * function of the file (not fn itself) that does (s.release()), or a call
 * the semaphore is handed to (release(sem)). in_range says whether tokens
 * [a, b] give it back. */
static int call_hands_back(const facts *f, uint32_t call, const sem_chain *s, uint32_t fn,
                           int (*in_range)(const facts *f, uint32_t a, uint32_t b,
                                           const sem_chain *s)) {
    uint32_t callee = f->nodes[call].child;
    if (callee != NONE32 && f->nodes[callee].kind == N(FUNCLIT))
        return in_range(f, f->nodes[callee].first, f->nodes[callee].last, s);
    for (uint32_t i = 0;; i++) {
        uint32_t arg = call_arg(f, call, i);
        if (arg == NONE32) break;
        if (names_sem(f, f->nodes[arg].first, f->nodes[arg].last, s)) return 1;
    }
    const call_fact *cf = call_of(f, call);
    uint32_t helper = NONE32;
    if (cf && cf->name != NONE32) {
        /* release := func() { <-sem }; release(): a local function value */
        const var_fact *v = cf->recv_first == NONE32 ? resolve(f, cf->name) : NULL;
        helper = !v                   ? find_func(f, cf->name)
                 : v->value != NONE32 ? func_value(f, v->value)
                                      : NONE32;
    }
    if (helper == NONE32 || helper == fn) return 0;
    sem_chain loose = *s;
    loose.loose = 1;
    return in_range(f, f->nodes[helper].first, f->nodes[helper].last, &loose);
}

/* A call that gives a channel semaphore's slot back. */
static int call_gives_back(const release_query *q, uint32_t call) {
    const sem_ctx *c = q->ctx;
    return call_hands_back(q->f, call, &c->s, c->fn, gives_back_in);
}

static int stmt_gives_back(const release_query *q, uint32_t st) {
    const sem_ctx *c = q->ctx;
    return gives_back(q->f, st, &c->s);
}

/* A return that hands the release on: return func() { <-sem }. */
static int return_gives_back(const release_query *q, uint32_t ret) {
    const sem_ctx *c = q->ctx;
    if (c->hands_over && returns_nil_error(q->f, ret)) return 1;
    return gives_back_in(q->f, q->f->nodes[ret].first, q->f->nodes[ret].last, &c->s);
}

/* Whether a function of the file other than fn gives a slot of s back (a
 * Put beside a Get that returns an error): then fn's successful returns
 * hand the slot over to the caller, who gives it back there. */
static int given_back_elsewhere(const facts *f, const sem_chain *s, uint32_t fn) {
    FOR_KIND(f, N(RECV), r) {
        uint32_t at = top_func(f, r);
        if (at != NONE32 && at != fn && gives_back(f, stmt_of(f, r), s)) return 1;
    }
    return 0;
}

/* The name a call's value is given to, written just before it: sem :=
 * make(...), s.sem = make(...), sem: make(...) in a literal; NONE32. */
static uint32_t value_name(const facts *f, uint32_t call) {
    uint32_t at = f->nodes[call].first;
    if (at < 2 || f->toks[at - 2].kind != T(IDENT)) return NONE32;
    int op = f->toks[at - 1].kind;
    return op == T(DEFINE) || op == T(ASSIGN) || op == T(COLON) ? at - 2 : NONE32;
}

/* The names the file makes channels for (sem := make(chan T, n), s.sem =
 * make(...), sem: make(...)), and whether each is buffered (a capacity
 * that is not a literal 0). */
typedef struct buffered_names {
    uint32_t *tok;
    uint8_t *buffered;
    uint32_t n;
    int built;
    /* the names by their identifier hash: head[hash & mask], then next[] */
    uint32_t *head, *next, mask;
} buffered_names;

static int collect_buffered(const facts *f, buffered_names *bn) {
    bn->built = 1;
    FOR_KIND(f, N(CALL), call) {
        const call_fact *c = call_of(f, call);
        if (!c || c->nargs < 1 || c->nargs > 2 || !call_is_func(f, c, "make")) continue;
        uint32_t t = call_arg(f, call, 0), cap = call_arg(f, call, 1);
        if (t == NONE32) continue;
        int k0 = f->toks[f->nodes[t].first].kind;
        if (k0 != T(CHAN) && k0 != T(ARROW)) continue;
        int buffered = cap != NONE32 && !(f->nodes[cap].first == f->nodes[cap].last &&
                                          tok_is(f, f->nodes[cap].first, "0"));
        uint32_t name = value_name(f, call);
        if (name == NONE32) continue;
        if (!bn->tok) {
            size_t n = f->by_kind[N(CALL)].len;
            bn->tok = gl_malloc(f->alloc, n * sizeof *bn->tok);
            bn->buffered = gl_malloc(f->alloc, n);
            if (!bn->tok || !bn->buffered) return -1;
        }
        bn->tok[bn->n] = name;
        bn->buffered[bn->n++] = (uint8_t)buffered;
    }
    /* a file making thousands of channels asks about each send: one probe */
    uint32_t nb = 16;
    while (nb < bn->n) nb *= 2;
    bn->mask = nb - 1;
    bn->head = gl_malloc(f->alloc, nb * sizeof *bn->head);
    bn->next = gl_malloc(f->alloc, ((size_t)bn->n + 1) * sizeof *bn->next);
    if (!bn->head || !bn->next) return -1;
    memset(bn->head, 0xff, nb * sizeof *bn->head);
    for (uint32_t i = 0; i < bn->n; i++) {
        uint32_t h = f->toks[bn->tok[i]].hash & bn->mask;
        bn->next[i] = bn->head[h];
        bn->head[h] = i;
    }
    return 0;
}

/* Whether the file makes s buffered (by its last name): 1; made
 * unbuffered: 0; not made in the file at all: 2; -1 out of memory. */
static int made_buffered(const facts *f, buffered_names *bn, const sem_chain *s) {
    if (!bn->built && collect_buffered(f, bn)) return -1;
    int found = 2;
    for (uint32_t i = bn->head[f->toks[s->b].hash & bn->mask]; i != NONE32; i = bn->next[i])
        if (tok_same(f, bn->tok[i], s->b)) {
            if (bn->buffered[i]) return 1;
            found = 0;
        }
    return found;
}

/* The first give-back (a statement <-s) of semaphore s in function fn,
 * remembered for the last (function, semaphore) asked: the sends of one
 * semaphore in one function come in a row. */
typedef struct back_memo {
    uint32_t fn, a, b; /* fn NONE32: none yet */
    uint32_t first;    /* the first give-back's token; NONE32: none */
} back_memo;

/* Whether function fn gives a slot of s back before send statement st:
 * then st's send returns a token, it takes none. */
static int gives_back_before(const facts *f, back_memo *m, uint32_t fn, const sem_chain *s,
                             uint32_t st) {
    if (m->fn != fn || !toks_same(f, m->a, m->b, s->a, s->b)) {
        m->fn = fn, m->a = s->a, m->b = s->b, m->first = NONE32;
        FOR_KIND_IN(f, N(RECV), r, f->nodes[fn].first, f->nodes[fn].last) {
            if (enclosing_func(f, r) == fn && gives_back(f, stmt_of(f, r), s)) {
                m->first = f->nodes[r].first;
                break;
            }
        }
    }
    return m->first != NONE32 && m->first < f->nodes[st].first;
}

/* Whether semaphore s is a local variable of function fn: it dies with
 * the function, so a slot kept when fn returns is lost to nobody (a slot
 * kept round a loop still blocks fn itself). */
static int local_to(const facts *f, const sem_chain *s, uint32_t fn) {
    if (s->a != s->b) return 0;
    const var_fact *v = resolve(f, s->a);
    return v && v->func == fn && !(v->flags & (VF_PARAM | VF_PKG));
}

static release_query sem_query(sem_ctx *c, uint32_t loop) {
    release_query q = {.f = c->f,
                       .is_release = call_gives_back,
                       .ctx = c,
                       .loop = loop,
                       .cond = NONE32,
                       .return_hands_off = return_gives_back,
                       .stmt_hands_off = stmt_gives_back};
    return q;
}

/* What check_acquire learnt of the last (function, semaphore) it saw: the
 * sends of one semaphore in one function come in a row. */
typedef struct acquire_memo {
    uint32_t fn, a, b; /* the function and the chain; fn NONE32: none yet */
    uint32_t last;     /* the last token of fn that gives a slot back; NONE32: none */
    uint32_t walks;    /* walks done for them */
} acquire_memo;

/* Walks per semaphore and function: a function that takes thousands of
 * slots of one semaphore is walked for its first ones only (linear time). */
enum { MAX_WALKS = 16 };

/* A slot taken by send statement st in function fn, given back later in
 * fn (or by what fn starts or defers) but not on every path. */
static void check_acquire(goleak_check *chk, const facts *f, acquire_memo *m, uint32_t st,
                          uint32_t fn, const sem_chain *s) {
    if (m->fn != fn || !toks_same(f, m->a, m->b, s->a, s->b)) {
        m->fn = fn, m->a = s->a, m->b = s->b, m->last = NONE32, m->walks = 0;
        FOR_KIND_IN(f, N(RECV), r, f->nodes[fn].first, f->nodes[fn].last) {
            if (gives_back(f, stmt_of(f, r), s)) m->last = f->nodes[r].last;
        }
    }
    /* given back elsewhere (a release method): the slot is not fn's */
    if (m->last == NONE32 || m->last < f->nodes[st].last || m->walks >= MAX_WALKS) return;
    m->walks++;
    /* dead code (asked here, for the walked sends only: it climbs the
     * statement's nesting) */
    if (unreachable(f, st)) return;
    /* a function that runs once per process (main, a command's handler):
     * nobody takes a slot after it returns */
    if (once_per_process(f, top_func(f, st), 0, ONCE_WITH_MAIN | ONCE_CALLBACKS_REPEAT)) return;
    sem_ctx c = {f, *s, fn, returns_error(f, fn) && given_back_elsewhere(f, s, fn)};
    release_query q = sem_query(&c, loop_around(f, st));
    uint32_t at;
    int leak = release_check(&q, st, &at);
    if (leak == LEAK_NONE || *f->oom) return;
    if ((leak == LEAK_RETURN || leak == LEAK_END) && local_to(f, s, fn)) return;
    char name[48];
    snippet(f, s->a, s->b, name, sizeof name);
    if (leak == LEAK_RETURN) {
        failure_note note = after_failure(test_failed_before(f, at) != NONE32);
        check_report_node_severity(
            chk, note.severity, st,
            "this takes a slot of semaphore `%s`, and the return at line %u keeps it%s: "
            "once every slot is lost, `%s <-` blocks forever; give it back on that path, or "
            "`defer func() { <-%s }()` right after taking it",
            name, (unsigned)tok_line(f, f->nodes[at].first), note.note, name, name);
    } else if (leak == LEAK_CONTINUE) {
        check_report_node(chk, st,
                          "this takes a slot of semaphore `%s`, and the `continue` at line %u "
                          "keeps it: each such iteration loses a slot until `%s <-` blocks "
                          "forever; give it back before continuing",
                          name, (unsigned)tok_line(f, f->nodes[at].first), name);
    } else if (leak == LEAK_END) {
        check_report_node(chk, st,
                          "this takes a slot of semaphore `%s` that some path to the end of the "
                          "function keeps: once every slot is lost, `%s <-` blocks forever; "
                          "give it back on every path, or defer it",
                          name, name);
    }
}

/* The first send statement on a semaphore in a function, remembered for
 * the last (function, semaphore) asked: the goroutines of one function
 * that give back one semaphore come in a row. */
typedef struct take_memo {
    uint32_t fn, a, b; /* fn NONE32: none yet */
    uint32_t first;    /* the first send's token; NONE32: none */
} take_memo;

/* Whether function outer takes a slot of s (a send statement) before
 * token t. */
static int takes_before(const facts *f, take_memo *m, uint32_t outer, uint32_t t,
                        const sem_chain *s) {
    if (m->fn != outer || !toks_same(f, m->a, m->b, s->a, s->b)) {
        m->fn = outer, m->a = s->a, m->b = s->b, m->first = NONE32;
        FOR_KIND_IN(f, N(SEND), x, f->nodes[outer].first, f->nodes[outer].last) {
            sem_chain xs;
            if (enclosing_func(f, x) == outer && send_chain(f, x, &xs) &&
                toks_same(f, xs.a, xs.b, s->a, s->b)) {
                m->first = f->nodes[x].first;
                break;
            }
        }
    }
    return m->first != NONE32 && m->first < t;
}

/* Walks goroutine g's body (a function literal) with query q, whose walk
 * must give back what its starter took on semaphore `name`, and reports the
 * path that does not: a return (at it), or the goroutine's end (at g).
 * `what` names what is lost, `lost` what follows, `fix` the remedy. */
static void report_goroutine_keeps(goleak_check *chk, const facts *f, const release_query *q,
                                   uint32_t g, uint32_t body, const char *what, const char *lost,
                                   const char *fix) {
    uint32_t at;
    int leak = release_check_body(q, body, &at);
    if (leak == LEAK_NONE || *f->oom) return;
    if (leak == LEAK_RETURN) {
        failure_note note = after_failure(test_failed_before(f, at) != NONE32);
        check_report_node_severity(chk, note.severity, at,
                                   "this return ends the goroutine (started at line %u) "
                                   "without giving back %s%s: %s; %s first in the goroutine",
                                   (unsigned)tok_line(f, f->nodes[g].first), what, note.note, lost,
                                   fix);
    } else {
        check_report_node(chk, g,
                          "the goroutine started here can end without giving back %s (it "
                          "does on some paths only): %s; %s first in the goroutine",
                          what, lost, fix);
    }
}

/* The function literal go statement g starts, its body and the function
 * that starts it; 0 when g starts something else. */
static int goroutine_literal(const facts *f, uint32_t g, uint32_t *lit, uint32_t *body,
                             uint32_t *outer) {
    uint32_t call = f->nodes[g].child;
    *lit = call != NONE32 ? f->nodes[call].child : NONE32;
    if (*lit == NONE32 || f->nodes[*lit].kind != N(FUNCLIT)) return 0;
    *body = func_body(f, *lit);
    *outer = enclosing_func(f, g);
    return *body != NONE32 && *outer != NONE32;
}

/* A goroutine (function literal of go statement g) that gives back a slot
 * its starter took, in its own statements but not on every path. */
static void check_goroutine(goleak_check *chk, const facts *f, buffered_names *bn, take_memo *tm,
                            uint32_t g) {
    uint32_t lit, body, outer;
    if (!goroutine_literal(f, g, &lit, &body, &outer)) return;
    FOR_KIND_IN(f, N(RECV), r, f->nodes[body].first, f->nodes[body].last) {
        uint32_t st = stmt_of(f, r);
        if (enclosing_func(f, r) != lit || st == NONE32 || f->nodes[st].kind != N(EXPRSTMT) ||
            expr_node(f, st) != r)
            continue;
        sem_chain s = {f->nodes[r].first + 1, f->nodes[r].last, 0};
        if (!name_chain(f, s.a, s.b) || !takes_before(f, tm, outer, f->nodes[g].first, &s))
            continue;
        int made = made_buffered(f, bn, &s);
        if (made < 0) {
            *f->oom = 1;
            return;
        }
        if (made != 1) continue;
        sem_ctx c = {f, s, lit, 0};
        release_query q = sem_query(&c, NONE32);
        char name[48], what[96], lost[128], fix[96];
        snippet(f, s.a, s.b, name, sizeof name);
        snprintf(what, sizeof what, "its slot of semaphore `%s`", name);
        snprintf(lost, sizeof lost, "once every slot is lost, `%s <-` blocks forever", name);
        snprintf(fix, sizeof fix, "`defer func() { <-%s }()`", name);
        report_goroutine_keeps(chk, f, &q, g, body, what, lost, fix);
        return; /* one finding per goroutine */
    }
}

/* Whether send statement st is the whole body of a loop: it fills the
 * semaphore (or a pool of tokens) up front rather than taking one slot. */
static int fills(const facts *f, uint32_t st) {
    uint32_t body = f->nodes[st].parent;
    if (body == NONE32 || f->nodes[body].kind != N(BLOCK) || f->nodes[body].child != st ||
        f->nodes[st].next != NONE32)
        return 0;
    uint32_t lp = f->nodes[body].parent;
    return lp != NONE32 && (f->nodes[lp].kind == N(FOR) || f->nodes[lp].kind == N(RANGE));
}

/* ---- golang.org/x/sync/semaphore's Weighted ---- */

typedef struct weighted_ctx {
    const facts *f;
    sem_chain s;
    uint32_t fn;   /* the function whose paths are walked */
    uint32_t call; /* the Acquire call */
    uint32_t err;  /* the name token its error went to, NONE32 */
} weighted_ctx;

/* Whether call is s.NAME(...) (name: "Release", "Acquire"). */
static int call_on(const facts *f, uint32_t call, const char *name, const sem_chain *s) {
    const call_fact *c = call_of(f, call);
    return c && c->name != NONE32 && c->recv_first != NONE32 && tok_is(f, c->name, name) &&
           names_sem(f, c->recv_first, c->recv_last, s);
}

/* Whether tokens [a, b] hold a call s.Release(...) (function literals
 * included). */
static int releases_in(const facts *f, uint32_t a, uint32_t b, const sem_chain *s) {
    FOR_KIND_IN(f, N(CALL), c, a, b) {
        if (call_on(f, c, "Release", s)) return 1;
    }
    return 0;
}

/* A call that gives the weight back: s.Release(n), or a call that hands it
 * back (call_hands_back). */
static int weighted_call_releases(const release_query *q, uint32_t call) {
    const weighted_ctx *c = q->ctx;
    return call_on(q->f, call, "Release", &c->s) ||
           call_hands_back(q->f, call, &c->s, c->fn, releases_in);
}

/* A return that hands the release on: return func() { sem.Release(1) }. */
static int weighted_return_releases(const release_query *q, uint32_t ret) {
    const weighted_ctx *c = q->ctx;
    return releases_in(q->f, q->f->nodes[ret].first, q->f->nodes[ret].last, &c->s);
}

/* What an if condition says: `err != nil` (err the Acquire's error, or the
 * call itself) holds nothing where it is true; `err == nil` nothing where
 * it is false. */
static int weighted_cond_absent(const release_query *q, uint32_t cond) {
    const weighted_ctx *c = q->ctx;
    const facts *f = q->f;
    uint32_t a = f->nodes[cond].first, b = f->nodes[cond].last;
    if (b < a + 2 || !tok_is(f, b, "nil")) return 0;
    int op = f->toks[b - 1].kind;
    if (op != T(NEQ) && op != T(EQL)) return 0;
    int is_err = (c->err != NONE32 && a == b - 2 && tok_same(f, a, c->err)) ||
                 (a == f->nodes[c->call].first && b - 2 == f->nodes[c->call].last);
    if (!is_err) return 0;
    return op == T(NEQ) ? 1 : -1;
}

/* The names the file gives semaphore.NewWeighted(n) (sem :=, s.sem =,
 * sem: in a literal). */
static int made_weighted(const facts *f, const sem_chain *s) {
    uint32_t n;
    const uint32_t *calls = calls_named_text(f, "NewWeighted", &n);
    for (uint32_t i = 0; i < n; i++) {
        uint32_t name = value_name(f, f->calls.data[calls[i]].node);
        if (name != NONE32 && tok_same(f, name, s->b)) return 1;
    }
    return 0;
}

/* s.Acquire(ctx, n) in function fn whose weight is released later in fn
 * but not on every path from a successful Acquire. */
static void check_weighted_acquire(goleak_check *chk, const facts *f, uint32_t call,
                                   const sem_chain *s, uint32_t fn) {
    if (!releases_in(f, f->nodes[call].last + 1, f->nodes[fn].last, s)) return;
    uint32_t st = stmt_of(f, call);
    if (st == NONE32 || unreachable(f, st) ||
        once_per_process(f, top_func(f, st), 0, ONCE_WITH_MAIN | ONCE_CALLBACKS_REPEAT))
        return;
    weighted_ctx c = {f, *s, fn, call, NONE32};
    int from_if = 0;
    uint32_t assign = NONE32;
    if (f->nodes[st].kind == N(IF)) {
        uint32_t init = child_by_role(f, st, R(INIT)), cond = child_by_role(f, st, R(COND));
        if (init != NONE32 && node_within(f, call, init))
            assign = init;
        else if (cond == NONE32 || !node_within(f, call, cond))
            return;
        from_if = 1;
    } else if (f->nodes[st].kind == N(ASSIGN)) {
        assign = st;
    } else if (f->nodes[st].kind != N(EXPRSTMT)) {
        return;
    }
    if (assign != NONE32) {
        if (f->nodes[assign].kind != N(ASSIGN)) return;
        uint32_t lhs = nth_child_by_role(f, assign, R(LHS), 0);
        if (lhs == NONE32 || f->nodes[lhs].first != f->nodes[lhs].last) return;
        c.err = f->nodes[lhs].first;
    }
    release_query q = {.f = f,
                       .is_release = weighted_call_releases,
                       .ctx = &c,
                       .loop = loop_around(f, st),
                       .cond = NONE32,
                       .return_hands_off = weighted_return_releases,
                       .cond_absent = weighted_cond_absent};
    uint32_t at;
    int leak = from_if ? release_check_from(&q, st, &at) : release_check(&q, st, &at);
    if (leak == LEAK_NONE || *f->oom) return;
    if ((leak == LEAK_RETURN || leak == LEAK_END) && local_to(f, s, fn)) return;
    char name[48];
    snippet(f, s->a, s->b, name, sizeof name);
    if (leak == LEAK_RETURN) {
        failure_note note = after_failure(test_failed_before(f, at) != NONE32);
        check_report_node_severity(
            chk, note.severity, call,
            "`%s.Acquire()` takes weight of the semaphore, and the return at line %u keeps it%s: "
            "once all of it is lost, every Acquire blocks forever; release it on that path, or "
            "`defer %s.Release(n)` right after a successful Acquire",
            name, (unsigned)tok_line(f, f->nodes[at].first), note.note, name);
    } else if (leak == LEAK_CONTINUE) {
        check_report_node(chk, call,
                          "`%s.Acquire()` takes weight of the semaphore, and the `continue` at "
                          "line %u keeps it: each such iteration loses weight until every "
                          "Acquire blocks forever; release it before continuing",
                          name, (unsigned)tok_line(f, f->nodes[at].first));
    } else if (leak == LEAK_END) {
        check_report_node(chk, call,
                          "`%s.Acquire()` takes weight of the semaphore that some path to the "
                          "end of the function keeps: once all of it is lost, every Acquire "
                          "blocks forever; release it on every path, or defer the Release",
                          name);
    }
}

/* Whether function outer calls s.Acquire(...) before token t. */
static int acquires_before(const facts *f, uint32_t outer, uint32_t t, const sem_chain *s) {
    uint32_t n;
    const uint32_t *calls = calls_named_text(f, "Acquire", &n);
    for (uint32_t i = 0; i < n; i++) {
        uint32_t c = f->calls.data[calls[i]].node;
        if (f->nodes[c].first >= t) break;
        if (enclosing_func(f, c) == outer && call_on(f, c, "Acquire", s)) return 1;
    }
    return 0;
}

/* A goroutine (function literal of go statement g) that releases weight
 * its starter acquired, in a statement of its own but not on every path. */
static void check_weighted_goroutine(goleak_check *chk, const facts *f, uint32_t g) {
    uint32_t lit, body, outer;
    if (!goroutine_literal(f, g, &lit, &body, &outer)) return;
    FOR_KIND_IN(f, N(CALL), rel, f->nodes[body].first, f->nodes[body].last) {
        const call_fact *c = call_of(f, rel);
        uint32_t st = stmt_of(f, rel);
        if (!c || c->name == NONE32 || c->recv_first == NONE32 || !tok_is(f, c->name, "Release") ||
            enclosing_func(f, rel) != lit || st == NONE32 || f->nodes[st].kind != N(EXPRSTMT) ||
            !name_chain(f, c->recv_first, c->recv_last))
            continue;
        sem_chain s = {c->recv_first, c->recv_last, 0};
        if (!made_weighted(f, &s) || !acquires_before(f, outer, f->nodes[g].first, &s)) continue;
        weighted_ctx wc = {f, s, lit, NONE32, NONE32};
        release_query q = {.f = f,
                           .is_release = weighted_call_releases,
                           .ctx = &wc,
                           .loop = NONE32,
                           .cond = NONE32,
                           .return_hands_off = weighted_return_releases};
        char name[48], what[96], fix[96];
        snippet(f, s.a, s.b, name, sizeof name);
        snprintf(what, sizeof what, "the weight its starter acquired on `%s`", name);
        snprintf(fix, sizeof fix, "`defer %s.Release(n)`", name);
        report_goroutine_keeps(chk, f, &q, g, body, what,
                               "once all of it is lost, every Acquire blocks forever", fix);
        return; /* one finding per goroutine */
    }
}

/* The Acquire calls on semaphores the file makes with NewWeighted. */
static void check_weighted(goleak_check *chk, const facts *f) {
    uint32_t n;
    const uint32_t *calls = calls_named_text(f, "Acquire", &n);
    uint32_t walks = 0, last_fn = NONE32;
    for (uint32_t i = 0; i < n && !*f->oom; i++) {
        uint32_t call = f->calls.data[calls[i]].node;
        const call_fact *c = call_of(f, call);
        uint32_t fn = enclosing_func(f, call);
        if (!c || c->nargs != 2 || c->recv_first == NONE32 || fn == NONE32 ||
            !name_chain(f, c->recv_first, c->recv_last))
            continue;
        sem_chain s = {c->recv_first, c->recv_last, 0};
        if (!made_weighted(f, &s)) continue;
        /* the first Acquires of each function only (linear time) */
        if (fn != last_fn) last_fn = fn, walks = 0;
        if (walks++ >= MAX_WALKS) continue;
        check_weighted_acquire(chk, f, call, &s, fn);
    }
    FOR_KIND(f, N(GO), g) {
        if (*f->oom) break;
        check_weighted_goroutine(chk, f, g);
    }
}

static int check_semaphores(goleak_check *chk, void *ud) {
    (void)ud;
    const facts *f = check_facts(chk);
    if (!f) return 0;
    if (check_may_have(chk, "NewWeighted")) check_weighted(chk, f);
    if (f->by_kind[N(SEND)].len == 0 || *f->oom) return 0;
    buffered_names bn = {NULL, NULL, 0, 0, NULL, NULL, 0};
    acquire_memo m = {NONE32, 0, 0, NONE32, 0};
    back_memo bm = {NONE32, 0, 0, NONE32};
    FOR_KIND(f, N(SEND), st) {
        sem_chain s;
        uint32_t fn = enclosing_func(f, st);
        /* a statement, or a select case's send (case sem <- token:, the
         * slot is taken when that case runs; the walk goes on with its body) */
        if ((f->nodes[st].role != R(COMM) && stmt_of(f, st) != st) || fn == NONE32 ||
            !send_chain(f, st, &s) || fills(f, st))
            continue;
        /* a channel the file makes buffered, or one it does not make at all
         * (a field made elsewhere, a parameter) that the function itself
         * takes a slot of and gives back (check_acquire asks that): the
         * idiom says it is a semaphore */
        int made = made_buffered(f, &bn, &s);
        if (made < 0) {
            *f->oom = 1;
            break;
        }
        /* not made in the file: only a field (a parameter may be a
         * handshake), and only when the function takes before it gives back
         * (a token pool filled elsewhere gives back what it received) */
        if (made == 2 && (s.a == s.b || gives_back_before(f, &bm, fn, &s, st))) continue;
        if (made) check_acquire(chk, f, &m, st, fn, &s);
        if (*f->oom) break;
    }
    if (!*f->oom) {
        take_memo tm = {NONE32, 0, 0, NONE32};
        FOR_KIND(f, N(GO), g) {
            check_goroutine(chk, f, &bn, &tm, g);
            if (*f->oom) break;
        }
    }
    gl_free(f->alloc, bn.tok);
    gl_free(f->alloc, bn.buffered);
    gl_free(f->alloc, bn.head);
    gl_free(f->alloc, bn.next);
    return 0;
}

const goleak_rule_def builtin_GL025 = {
    .version = GOLEAK_RULE_DEF_VERSION,
    .id = "GL025",
    .name = "semaphore-not-released",
    .severity = GOLEAK_SEVERITY_ERROR,
    .check = check_semaphores,
    .triggers = "<-, NewWeighted",
};
