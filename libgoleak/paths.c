/* Release on every path: see paths.h. The walk is conservative where it
 * cannot follow control (goto, fallthrough, a break out of a statement that
 * encloses the acquisition): those paths are dropped rather than guessed, so
 * that a report always names a real exit. A break out of a loop, switch or
 * select that the walk entered is followed: the path goes on after it.
 *
 * The walk of a statement is a small machine over an explicit stack of
 * frames (a statement list, an if, a loop, the clauses of a switch or
 * select): however deep the statements nest, it uses a fixed amount of the
 * C stack. */
#include "paths.h"

#include <string.h>

typedef enum outcome {
    OUT_HELD,     /* some path falls through still holding */
    OUT_RELEASED, /* every path that falls through released */
    OUT_GONE      /* no path falls through (return, panic, continue, ...) */
} outcome;

enum { MAX_LOOPS = 32 };
/* Breaks out of statements around the start followed per walk, and how
 * many such walks nest (each one is of a statement further out). */
enum { MAX_OUTER_BREAKS = 4, MAX_OUTER_DEPTH = 16 };

typedef enum frame_kind {
    FR_LIST,  /* the statements of a block or clause: cur is the one walked */
    FR_IF,    /* stage 0: the then branch is walked; 1: the else branch */
    FR_LOOP,  /* the body is walked */
    FR_CASES, /* the clauses of a switch or select: cur is the one walked */
    FR_LABEL  /* the labeled statement is walked */
} frame_kind;

typedef struct frame {
    uint8_t kind, stage, any, has_default;
    int8_t absent; /* FR_IF: what cond_absent says of its condition */
    int slot;      /* FR_LOOP, FR_CASES: the breakable slot (-1: past MAX_LOOPS) */
    uint32_t node; /* the statement */
    uint32_t cur;  /* FR_LIST: the statement walked; FR_CASES: the clause */
    outcome acc;   /* FR_IF: the then branch's outcome; FR_CASES: the clauses' */
} frame;

typedef struct walk {
    const release_query *q;
    int leak;
    uint32_t at;
    /* the loops, switches and selects being walked, and whether a break
     * left each holding */
    uint32_t loops[MAX_LOOPS];
    int held_break[MAX_LOOPS];
    int nloops;
    /* the frames of the statements being walked */
    frame *stack;
    uint32_t depth, cap;
    int oom;
    /* go_round: the walk's start, and the loops it went round */
    uint32_t start;
    uint32_t round[MAX_LOOPS];
    int nround;
    /* the loops, switches and selects around the start that a break left
     * holding: the path goes on after them */
    uint32_t outer[MAX_OUTER_BREAKS];
    int nouter;
} walk;

int subtree_releases(const release_query *q, uint32_t n) {
    const facts *f = q->f;
    const node *x = &f->nodes[n];
    if (x->last == NONE32 || x->last + 1 == x->first) return 0; /* no tokens */
    /* the calls whose tokens lie in n's are n's own or its descendants' */
    FOR_KIND_IN(f, N(CALL), call, x->first, x->last) {
        if (f->nodes[call].last <= x->last && q->is_release(q, call)) return 1;
    }
    if (q->var && q->use_releases)
        for (uint32_t u = first_use_in(f, q->var, x->first, x->last); u != NONE32;
             u = next_use(f, q->var, u, x->last))
            if (q->use_releases(q, u)) return 1;
    return 0;
}

/* Whether simple statement s gives the query's variable a new value: it is
 * a left-hand side of the assignment s itself (not of a literal inside). */
static int overwrites_var(const release_query *q, uint32_t s) {
    const facts *f = q->f;
    if (!q->var || f->nodes[s].kind != N(ASSIGN)) return 0;
    for (uint32_t u = first_use_in(f, q->var, f->nodes[s].first, f->nodes[s].last); u != NONE32;
         u = next_use(f, q->var, u, f->nodes[s].last)) {
        uint32_t e = node_at(f, u);
        if (f->nodes[e].kind == N(EXPR) && f->nodes[e].role == R(LHS) && f->nodes[e].parent == s &&
            f->nodes[e].first == u && f->nodes[e].last == u)
            return 1;
    }
    return 0;
}

uint32_t branch_condition(const facts *f, uint32_t stmt) {
    uint32_t blk = f->nodes[stmt].parent;
    if (blk == NONE32 || f->nodes[blk].role != R(BODY)) return NONE32;
    uint32_t ifs = f->nodes[blk].parent;
    if (ifs == NONE32 || f->nodes[ifs].kind != N(IF)) return NONE32;
    return child_by_role(f, ifs, R(COND));
}

static int never_returns(const facts *f, uint32_t stmt) {
    uint32_t c = f->nodes[stmt].child;
    return f->nodes[stmt].kind == N(EXPRSTMT) && c != NONE32 && f->nodes[c].kind == N(CALL) &&
           call_never_returns(f, c);
}

/* Enters a loop, switch or select the walk follows: a break of it is
 * recorded in the returned slot (-1 when more than MAX_LOOPS are open). */
static int enter_breakable(walk *w, uint32_t s) {
    if (w->nloops >= MAX_LOOPS) return -1;
    w->loops[w->nloops] = s;
    w->held_break[w->nloops] = 0;
    return w->nloops++;
}

/* Leaves the statement entered at slot: whether a break left it holding
 * (when_unknown for a statement past MAX_LOOPS). */
static int leave_breakable(walk *w, int slot, int when_unknown) {
    if (slot < 0) return when_unknown;
    w->nloops--;
    return w->held_break[slot];
}

static outcome join(outcome a, outcome b) {
    if (a == OUT_GONE) return b;
    if (b == OUT_GONE) return a;
    if (a == OUT_RELEASED && b == OUT_RELEASED) return OUT_RELEASED;
    return OUT_HELD;
}

/* The statement a continue or break leaves: the one its label names, else
 * the innermost loop (continue) or loop, switch or select (break). */
uint32_t branch_target(const facts *f, uint32_t br) {
    uint32_t label = f->nodes[br].first + 1;
    int labeled = f->toks[label].kind == T(IDENT);
    int is_break = f->toks[f->nodes[br].first].kind == T(BREAK);
    for (uint32_t p = f->nodes[br].parent; p != NONE32; p = f->nodes[p].parent) {
        int k = f->nodes[p].kind;
        if (k == N(FUNC) || k == N(FUNCLIT)) return NONE32;
        int breakable = k == N(SWITCH) || k == N(TYPESWITCH) || k == N(SELECT);
        if (k != N(FOR) && k != N(RANGE) && !(is_break && breakable)) continue;
        if (!labeled) return p;
        uint32_t l = f->nodes[p].parent;
        if (l != NONE32 && f->nodes[l].kind == N(LABELED) && tok_same(f, f->nodes[l].first, label))
            return p;
    }
    return NONE32;
}

static frame *push(walk *w, frame_kind kind, uint32_t n) {
    if (w->depth == w->cap) {
        uint32_t ncap = w->cap ? w->cap * 2 : 32;
        frame *s = gl_realloc(w->q->f->alloc, w->stack, ncap * sizeof *s);
        if (!s) {
            w->oom = 1;
            return NULL;
        }
        w->stack = s;
        w->cap = ncap;
    }
    frame *fr = &w->stack[w->depth++];
    fr->kind = (uint8_t)kind;
    fr->stage = fr->any = fr->has_default = 0;
    fr->absent = 0;
    fr->slot = -1;
    fr->node = n;
    fr->cur = NONE32;
    fr->acc = OUT_GONE;
    return fr;
}

/* The first statement (role NONE) from s on among its siblings, NONE32. */
static uint32_t first_stmt(const facts *f, uint32_t s) {
    while (s != NONE32 && f->nodes[s].role != R(NONE)) s = f->nodes[s].next;
    return s;
}

/* The first case or select clause from c on among its siblings, NONE32. */
static uint32_t first_clause(const facts *f, uint32_t c) {
    while (c != NONE32 && f->nodes[c].kind != N(CASE) && f->nodes[c].kind != N(COMM))
        c = f->nodes[c].next;
    return c;
}

static outcome finish_loop(walk *w, outcome body);

/* Whether condition cond is `v != nil` (1) or `v == nil` (-1) of the
 * query's variable (either order), 0 otherwise. */
static int tests_var_nil(const release_query *q, uint32_t cond) {
    const facts *f = q->f;
    if (!q->var) return 0;
    uint32_t a = f->nodes[cond].first, b = f->nodes[cond].last;
    while (a < b && f->toks[a].kind == T(LPAREN) && f->toks[b].kind == T(RPAREN)) a++, b--;
    if (b != a + 2) return 0;
    int op = f->toks[a + 1].kind;
    if (op != T(NEQ) && op != T(EQL)) return 0;
    uint32_t v = tok_is(f, b, "nil") ? a : tok_is(f, a, "nil") ? b : NONE32;
    if (v == NONE32 || f->toks[v].kind != T(IDENT) || resolve(f, v) != q->var) return 0;
    return op == T(NEQ) ? 1 : -1;
}
static outcome finish_cases(walk *w);

/* Starts walking statement s: returns 1 with its outcome in *o when it is
 * known at once, or 0 after pushing the frame that will walk its parts (the
 * part to walk next in *next). */
static int start_stmt(walk *w, uint32_t s, outcome *o, uint32_t *next);

/* Whether case c of a switch without tag (switch { case err != nil: })
 * runs only where the resource does not exist (cond_absent). */
static int case_absent(const release_query *q, uint32_t sw, uint32_t c) {
    const facts *f = q->f;
    if (!q->cond_absent || f->nodes[sw].kind != N(SWITCH) || child_by_role(f, sw, R(TAG)) != NONE32)
        return 0;
    uint32_t e = child_by_role(f, c, R(CASE));
    return e != NONE32 && nth_child_by_role(f, c, R(CASE), 1) == NONE32 && q->cond_absent(q, e) > 0;
}

/* Starts walking the clause c of the FR_CASES frame on top. */
static int start_clause(walk *w, frame *fr, uint32_t c, outcome *o, uint32_t *next) {
    const facts *f = w->q->f;
    fr->cur = c;
    if (f->nodes[c].flags & GOLEAK_NODE_FLAG_DEFAULT) fr->has_default = 1;
    uint32_t comm = child_by_role(f, c, R(COMM));
    if ((comm != NONE32 && (subtree_releases(w->q, comm) ||
                            (w->q->stmt_hands_off && w->q->stmt_hands_off(w->q, comm)))) ||
        case_absent(w->q, fr->node, c)) {
        *o = OUT_RELEASED;
        return 1;
    }
    uint32_t first = first_stmt(f, f->nodes[c].child);
    if (first == NONE32) {
        *o = OUT_HELD;
        return 1;
    }
    frame *list = push(w, FR_LIST, c);
    if (!list) return *o = OUT_GONE, 1;
    list->cur = first;
    *next = first;
    return 0;
}

static int start_stmt(walk *w, uint32_t s, outcome *o, uint32_t *next) {
    const release_query *q = w->q;
    const facts *f = q->f;
    const node *x = &f->nodes[s];
    if (w->nround > 0 && s == w->start) {
        /* gone round to the start again: a new resource, the old one held */
        w->leak = LEAK_OVERWRITE;
        w->at = s;
        *o = OUT_GONE;
        return 1;
    }
    switch (x->kind) {
    case N(DEFER):
    case N(GO): *o = subtree_releases(q, s) ? OUT_RELEASED : OUT_HELD; return 1;
    case N(RETURN):
        if (subtree_releases(q, s) || (q->return_hands_off && q->return_hands_off(q, s))) {
            *o = OUT_RELEASED;
            return 1;
        }
        w->leak = LEAK_RETURN;
        w->at = s;
        *o = OUT_GONE;
        return 1;
    case N(BRANCH): {
        int kw = f->toks[x->first].kind;
        uint32_t target = kw == T(CONTINUE) || kw == T(BREAK) ? branch_target(f, s) : NONE32;
        if (kw == T(CONTINUE) && q->loop != NONE32 && target == q->loop) {
            w->leak = LEAK_CONTINUE;
            w->at = s;
        }
        /* a break leaves its loop, switch or select holding: that statement
         * falls through held */
        if (kw == T(BREAK)) {
            int entered = 0;
            for (int k = 0; k < w->nloops; k++)
                if (w->loops[k] == target) w->held_break[k] = 1, entered = 1;
            /* one around the start: the path goes on after it (walked once
             * this walk is done) */
            if (!entered && target != NONE32 && node_within(f, w->start, target)) {
                int k = 0;
                while (k < w->nouter && w->outer[k] != target) k++;
                if (k == w->nouter && k < MAX_OUTER_BREAKS) w->outer[w->nouter++] = target;
            }
        }
        *o = OUT_GONE; /* goto, fallthrough: not followed */
        return 1;
    }
    case N(BLOCK): {
        uint32_t first = first_stmt(f, x->child);
        if (first == NONE32) {
            *o = OUT_HELD;
            return 1;
        }
        frame *fr = push(w, FR_LIST, s);
        if (!fr) return *o = OUT_GONE, 1;
        fr->cur = first;
        *next = first;
        return 0;
    }
    case N(LABELED):
        if (x->child == NONE32) {
            *o = OUT_HELD;
            return 1;
        }
        if (!push(w, FR_LABEL, s)) return *o = OUT_GONE, 1;
        *next = x->child;
        return 0;
    case N(IF): {
        uint32_t init = child_by_role(f, s, R(INIT)), cond = child_by_role(f, s, R(COND));
        /* if false { ... } is dead code; if true { ... } has a dead else */
        if (init == NONE32 && cond != NONE32 && f->nodes[cond].first == f->nodes[cond].last) {
            uint32_t c = f->nodes[cond].first;
            uint32_t only = tok_is(f, c, "false")  ? child_by_role(f, s, R(ELSE))
                            : tok_is(f, c, "true") ? child_by_role(f, s, R(BODY))
                                                   : s;
            if (only != s) {
                if (only == NONE32) {
                    *o = OUT_HELD;
                    return 1;
                }
                if (!push(w, FR_LABEL, s)) return *o = OUT_GONE, 1; /* passes the outcome on */
                *next = only;
                return 0;
            }
        }
        if ((init != NONE32 && subtree_releases(q, init)) ||
            (cond != NONE32 && subtree_releases(q, cond))) {
            *o = OUT_RELEASED;
            return 1;
        }
        /* if v != nil { ... } while v holds the resource: the else is dead;
         * if v == nil { ... }: the then branch is */
        int nil_test = init == NONE32 && cond != NONE32 ? tests_var_nil(q, cond) : 0;
        if (nil_test) {
            uint32_t only = child_by_role(f, s, nil_test > 0 ? R(BODY) : R(ELSE));
            if (only == NONE32) {
                *o = OUT_HELD;
                return 1;
            }
            if (!push(w, FR_LABEL, s)) return *o = OUT_GONE, 1;
            *next = only;
            return 0;
        }
        frame *fr = push(w, FR_IF, s);
        if (!fr) return *o = OUT_GONE, 1;
        fr->absent = (int8_t)(q->cond_absent && cond != NONE32 ? q->cond_absent(q, cond) : 0);
        /* the branch where the resource does not exist holds nothing */
        if (fr->absent > 0) return *o = OUT_RELEASED, 1;
        *next = child_by_role(f, s, R(BODY));
        return 0;
    }
    case N(FOR):
    case N(RANGE): {
        /* what runs before the first iteration: the init and condition of a
         * for, the ranged expression */
        uint32_t pre = child_by_role(f, s, x->kind == N(FOR) ? R(INIT) : R(X));
        uint32_t cond = x->kind == N(FOR) ? child_by_role(f, s, R(COND)) : NONE32;
        if ((pre != NONE32 && subtree_releases(q, pre)) ||
            (cond != NONE32 && subtree_releases(q, cond))) {
            *o = OUT_RELEASED;
            return 1;
        }
        uint32_t body = child_by_role(f, s, R(BODY));
        frame *fr = push(w, FR_LOOP, s);
        if (!fr) return *o = OUT_GONE, 1;
        fr->slot = enter_breakable(w, s);
        if (body == NONE32) return *o = finish_loop(w, OUT_HELD), 1;
        *next = body;
        return 0;
    }
    case N(SWITCH):
    case N(TYPESWITCH):
    case N(SELECT): {
        uint32_t init = child_by_role(f, s, R(INIT)), tag = child_by_role(f, s, R(TAG));
        if ((init != NONE32 && subtree_releases(q, init)) ||
            (tag != NONE32 && subtree_releases(q, tag))) {
            *o = OUT_RELEASED;
            return 1;
        }
        frame *fr = push(w, FR_CASES, s);
        if (!fr) return *o = OUT_GONE, 1;
        fr->has_default = x->kind == N(SELECT); /* a select without default waits for a case */
        fr->slot = enter_breakable(w, s);
        uint32_t c = first_clause(f, x->child);
        if (c == NONE32) return *o = finish_cases(w), 1;
        return start_clause(w, fr, c, o, next);
    }
    default:
        if (subtree_releases(q, s) || (q->stmt_hands_off && q->stmt_hands_off(q, s))) {
            *o = OUT_RELEASED;
        } else if (overwrites_var(q, s)) {
            w->leak = LEAK_OVERWRITE;
            w->at = s;
            *o = OUT_GONE;
        } else if (never_returns(f, s)) {
            if (q->exit_leaks && q->exit_leaks(q, s)) {
                w->leak = LEAK_RETURN;
                w->at = s;
            }
            *o = OUT_GONE;
        } else {
            *o = OUT_HELD;
        }
        return 1;
    }
}

/* Finishes the FR_LOOP frame on top (its body walked, with outcome body)
 * and pops it. */
static outcome finish_loop(walk *w, outcome body) {
    const facts *f = w->q->f;
    frame *fr = &w->stack[w->depth - 1];
    uint32_t s = fr->node;
    int forever = (f->nodes[s].kind == N(FOR) && child_by_role(f, s, R(COND)) == NONE32) ||
                  (w->q->never_ends && w->q->never_ends(w->q, s));
    int broke_held = leave_breakable(w, fr->slot, 1);
    int slot = fr->slot;
    w->depth--;
    /* a loop with a condition may run zero times and falls through holding
     * (unless the query takes loops to run); for {} falls through only by a
     * break taken holding */
    if (forever && slot >= 0) return broke_held ? OUT_HELD : OUT_GONE;
    const release_query *q = w->q;
    if (q->loops_run && slot >= 0 && !broke_held && body == OUT_RELEASED) return OUT_RELEASED;
    if (q->loop_exit_releases && !broke_held && q->loop_exit_releases(q, s)) return OUT_RELEASED;
    return OUT_HELD;
}

/* Finishes the FR_CASES frame on top (every clause walked) and pops it. */
static outcome finish_cases(walk *w) {
    frame *fr = &w->stack[w->depth - 1];
    /* a case left by a break falls out of the statement (in a select too:
     * the break does not wait again) */
    int broke_held = leave_breakable(w, fr->slot, 0);
    outcome all = fr->acc;
    int any = fr->any, has_default = fr->has_default;
    w->depth--;
    if (!any) return OUT_HELD;
    if (broke_held) all = join(all, OUT_HELD);
    return has_default ? all : join(all, OUT_HELD);
}

/* Walks statement s and every statement inside it; its outcome. */
static outcome walk_stmt(walk *w, uint32_t s) {
    const facts *f = w->q->f;
    uint32_t base = w->depth, next = NONE32;
    outcome o;
    int have = start_stmt(w, s, &o, &next);
    for (;;) {
        if (w->oom) {
            w->depth = base;
            return OUT_GONE;
        }
        if (!have) { /* walk the part the top frame asked for */
            have = start_stmt(w, next, &o, &next);
            continue;
        }
        if (w->depth == base) return o;
        /* hand the outcome o to the frame on top */
        frame *fr = &w->stack[w->depth - 1];
        switch (fr->kind) {
        case FR_LIST:
            if (w->leak || o != OUT_HELD) {
                if (w->leak) o = OUT_GONE;
                w->depth--;
                break;
            }
            fr->cur = first_stmt(f, f->nodes[fr->cur].next);
            if (fr->cur == NONE32) {
                o = OUT_HELD;
                w->depth--;
                break;
            }
            next = fr->cur;
            have = 0;
            break;
        case FR_LABEL: w->depth--; break;
        case FR_IF:
            if (w->leak) {
                o = OUT_GONE;
                w->depth--;
                break;
            }
            if (fr->stage == 0) {
                const release_query *q = w->q;
                uint32_t cond = child_by_role(f, fr->node, R(COND));
                /* if c { lock }; ...; if c { unlock }: only the branch that locked holds */
                if (q->cond != NONE32 && cond != NONE32 &&
                    child_by_role(f, fr->node, R(INIT)) == NONE32 &&
                    toks_same(f, f->nodes[q->cond].first, f->nodes[q->cond].last,
                              f->nodes[cond].first, f->nodes[cond].last)) {
                    w->depth--;
                    break;
                }
                fr->acc = o;
                fr->stage = 1;
                uint32_t els = child_by_role(f, fr->node, R(ELSE));
                if (els != NONE32 && fr->absent >= 0) {
                    next = els;
                    have = 0;
                    break;
                }
                /* no else: falls through held, joined below (released where
                 * the condition's falsehood says the resource is absent) */
                o = fr->absent < 0 ? OUT_RELEASED : OUT_HELD;
            }
            o = join(fr->acc, o);
            w->depth--;
            break;
        case FR_LOOP: o = finish_loop(w, o); break;
        case FR_CASES:
            if (w->leak) {
                leave_breakable(w, fr->slot, 0);
                o = OUT_GONE;
                w->depth--;
                break;
            }
            fr->acc = fr->any ? join(fr->acc, o) : o;
            fr->any = 1;
            uint32_t c = first_clause(f, f->nodes[fr->cur].next);
            if (c == NONE32) {
                o = finish_cases(w);
                break;
            }
            have = start_clause(w, fr, c, &o, &next);
            break;
        }
    }
}

int path_memo_init(path_memo *m, const facts *f) {
    memset(m, 0, sizeof *m);
    size_t n = ((size_t)f->u->nodes.len + 1) * sizeof(uint32_t);
    m->kind = gl_malloc(f->alloc, n);
    m->at = gl_malloc(f->alloc, n);
    m->loop = gl_malloc(f->alloc, n);
    m->cond = gl_malloc(f->alloc, n);
    m->key = gl_malloc(f->alloc, n);
    if (!m->kind || !m->at || !m->loop || !m->cond || !m->key) {
        path_memo_free(m, f); /* nothing is left to free */
        return -1;
    }
    memset(m->kind, 0xff, n);
    return 0;
}

void path_memo_free(path_memo *m, const facts *f) {
    gl_free(f->alloc, m->kind);
    gl_free(f->alloc, m->at);
    gl_free(f->alloc, m->loop);
    gl_free(f->alloc, m->cond);
    gl_free(f->alloc, m->key);
    memset(m, 0, sizeof *m);
}

/* From the end of the statement list holding s, the statement whose
 * successors the walk goes on with (in *next): the loop or if around the
 * list, the switch or select of a clause. Returns -1 then, or the walk's
 * end when there is none: LEAK_END (the function's end, in *at) or
 * LEAK_NONE (the end of a for {} body goes round; the root). */
/* climb's answer when the walk goes round the loop in *next */
#define GO_ROUND (-2)

/* Whether the walk may go round loop lp: the query asks, lp holds the
 * start, and the walk has not gone round it yet. */
static int may_go_round(const walk *w, uint32_t lp) {
    if (!w->q->go_round || w->nround >= MAX_LOOPS || !node_within(w->q->f, w->start, lp)) return 0;
    for (int k = 0; k < w->nround; k++)
        if (w->round[k] == lp) return 0;
    return 1;
}

static int climb(walk *w, uint32_t s, uint32_t *next, uint32_t *at) {
    const release_query *q = w->q;
    const facts *f = q->f;
    uint32_t list = f->nodes[s].parent;
    if (list == NONE32) return LEAK_NONE;
    int lk = f->nodes[list].kind;
    if (lk == N(BLOCK) && f->nodes[list].role == R(BODY)) {
        uint32_t owner = f->nodes[list].parent;
        int ok = f->nodes[owner].kind;
        if (ok == N(FUNC) || ok == N(FUNCLIT)) {
            *at = owner;
            return LEAK_END;
        }
        if ((ok == N(FOR) || ok == N(RANGE)) && may_go_round(w, owner)) {
            w->round[w->nround++] = owner;
            *next = list;
            return GO_ROUND;
        }
        /* for {} is left only by break, return or goto, which the walk
         * has followed (breaks out of it are not): its end goes round */
        if (ok == N(FOR) && child_by_role(f, owner, R(COND)) == NONE32) return LEAK_NONE;
        if ((ok == N(FOR) || ok == N(RANGE)) && q->never_ends && q->never_ends(q, owner))
            return LEAK_NONE;
        /* the end of a loop body, or of an if branch: carry on after it */
        s = owner;
    } else if (lk == N(BLOCK) || lk == N(CASE) || lk == N(COMM)) {
        s = list;
        if (lk != N(BLOCK)) s = f->nodes[list].parent; /* the switch or select */
    } else {
        s = list;
    }
    /* climb through else branches and labels to the statement in a list */
    while (f->nodes[s].parent != NONE32) {
        uint32_t p = f->nodes[s].parent;
        int pk = f->nodes[p].kind;
        if (pk == N(BLOCK) || pk == N(CASE) || pk == N(COMM)) break;
        if (pk == N(FUNC) || pk == N(FUNCLIT)) {
            *at = p;
            return LEAK_END;
        }
        s = p;
    }
    if (f->nodes[s].parent == NONE32) return LEAK_NONE;
    *next = s;
    return -1;
}

static void walk_init(walk *w, const release_query *q, uint32_t start) {
    w->q = q;
    w->start = start;
    w->nround = 0;
    w->leak = LEAK_NONE;
    w->at = NONE32;
    w->nloops = 0;
    w->stack = NULL;
    w->depth = w->cap = 0;
    w->oom = 0;
    w->nouter = 0;
}

/* Whether the memo holds what the walk from after s found, in q's context. */
static int memo_known(const path_memo *m, const release_query *q, uint32_t s) {
    return m->kind[s] != NONE32 && m->loop[s] == q->loop && m->cond[s] == q->cond &&
           m->key[s] == q->memo_key;
}

/* The first statement of list p that never returns, NONE32; kept in the
 * facts' per-list memo (shared with the rules' unreachable). */
static uint32_t unreachable_from(const facts *f, uint32_t p) {
    uint32_t *memo = facts_exit_memo(f);
    if (!memo) return NONE32; /* out of memory: the check fails */
    if (memo[p] != UNKNOWN_EXIT) return memo[p];
    uint32_t found = NONE32;
    for (uint32_t s = f->nodes[p].child; s != NONE32 && found == NONE32; s = f->nodes[s].next)
        if (f->nodes[s].role == R(NONE) && never_returns(f, s)) found = s;
    memo[p] = found;
    return found;
}

/* Whether tokens [a, b] hold a node of kind k. */
static int has_kind_in(const facts *f, int k, uint32_t a, uint32_t b) {
    uint32_t i = kind_lower_bound(f, k, a);
    return i < f->by_kind[k].len && f->nodes[f->by_kind[k].data[i]].first <= b;
}

/* The statement of list p (a child of it) that holds token t, NONE32. */
static uint32_t stmt_in_list(const facts *f, uint32_t p, uint32_t t) {
    for (uint32_t n = node_at(f, t); n != NONE32; n = f->nodes[n].parent)
        if (f->nodes[n].parent == p) return f->nodes[n].role == R(NONE) ? n : NONE32;
    return NONE32;
}

/* With var_only: the statements after s in its list up to the next one that
 * uses the variable (or the list's end) that hold nothing the walk must
 * see (a return, a branch, a statement that never returns, a select when
 * exits may leak): *to receives the statement to walk next (NONE32: the
 * list's end, then *last is its last statement). 0 when nothing can be
 * passed. */
static int pass_stretch(const walk *w, uint32_t s, uint32_t *to, uint32_t *last) {
    const release_query *q = w->q;
    const facts *f = q->f;
    uint32_t p = f->nodes[s].parent;
    if (p == NONE32) return 0;
    int pk = f->nodes[p].kind;
    if (pk != N(BLOCK) && pk != N(CASE) && pk != N(COMM)) return 0;
    uint32_t n = f->nodes[s].next;
    while (n != NONE32 && f->nodes[n].role != R(NONE)) n = f->nodes[n].next;
    if (n == NONE32) return 0;
    uint32_t end = f->nodes[p].last, u = next_use(f, q->var, f->nodes[s].last, end);
    uint32_t m = u != NONE32 ? stmt_in_list(f, p, u) : NONE32;
    uint32_t a = f->nodes[n].first, b;
    if (m != NONE32) {
        if (m == n) return 0;
        b = f->nodes[m].first - 1;
    } else {
        if (u != NONE32) return 0; /* used in the list, not in one of its statements */
        /* to the list's end: its last statement holds the token before the end */
        uint32_t lt = pk == N(BLOCK) ? end - 1 : end;
        uint32_t l = stmt_in_list(f, p, lt);
        if (l == NONE32 || f->nodes[l].first < a) return 0;
        b = f->nodes[l].last;
        *last = l;
    }
    if (b < a) return 0;
    if (has_kind_in(f, N(RETURN), a, b) || has_kind_in(f, N(BRANCH), a, b) ||
        has_kind_in(f, N(LABELED), a, b))
        return 0;
    if ((q->exit_leaks || q->never_ends || q->loops_run) &&
        (has_kind_in(f, N(SELECT), a, b) || has_kind_in(f, N(FOR), a, b) ||
         has_kind_in(f, N(RANGE), a, b)))
        return 0;
    if (w->nround > 0 && node_within(f, w->start, p) && w->start >= a && w->start <= b) return 0;
    /* a statement of the list that never returns */
    uint32_t exit = unreachable_from(f, p);
    if (exit != NONE32 && f->nodes[exit].first >= a && f->nodes[exit].first <= b) return 0;
    *to = m;
    return 1;
}

static int release_check_depth(const release_query *q, uint32_t start, uint32_t *at, int depth);

int release_check(const release_query *q, uint32_t start, uint32_t *at) {
    return release_check_depth(q, start, at, 0);
}

static int release_check_depth(const release_query *q, uint32_t start, uint32_t *at, int depth) {
    const facts *f = q->f;
    path_memo *m = q->go_round ? NULL : q->var ? q->var_memo : q->nothing_releases;
    walk w;
    walk_init(&w, q, start);
    /* the statements whose walk ends where this one ends: with a memo, each
     * learns the result (a list of the statements passed, in a vector) */
    struct {
        uint32_t *data;
        uint32_t len, cap;
    } passed = {NULL, 0, 0};
    int result = LEAK_NONE;
    uint32_t where = NONE32, s = start, jump = NONE32;
    for (;;) {
        if (m) {
            if (memo_known(m, q, s)) {
                result = (int)m->kind[s];
                where = m->at[s];
                break;
            }
            if (VEC_PUSH(f->alloc, &passed, s)) {
                w.oom = 1;
                break;
            }
        }
        /* a stretch of statements that cannot matter */
        uint32_t to = NONE32, last = NONE32;
        if (q->var && q->var_only && jump == NONE32 && pass_stretch(&w, s, &to, &last)) {
            if (to == NONE32) {
                s = last; /* the list's end: climb from its last statement */
                int end = climb(&w, s, &s, &where);
                if (end == GO_ROUND) {
                    jump = f->nodes[s].child;
                    while (jump != NONE32 && f->nodes[jump].role != R(NONE))
                        jump = f->nodes[jump].next;
                    if (jump == NONE32) break;
                    continue;
                }
                if (end >= 0) {
                    result = end;
                    break;
                }
                continue;
            }
            jump = to;
        }
        /* the first statement after s in its list, or the end of the list
         * (or the first statement of a loop body gone round) */
        uint32_t n = jump != NONE32 ? jump : f->nodes[s].next;
        jump = NONE32;
        while (n != NONE32 && f->nodes[n].role != R(NONE)) n = f->nodes[n].next;
        if (n != NONE32) {
            outcome o = walk_stmt(&w, n);
            if (w.oom) break;
            if (w.leak) {
                result = w.leak;
                where = w.at;
                break;
            }
            if (o != OUT_HELD) break; /* released, or no path falls through */
            s = n;
            continue;
        }
        int end = climb(&w, s, &s, &where);
        if (end == GO_ROUND) {
            /* s is the loop's body: walk it from its first statement */
            jump = f->nodes[s].child;
            while (jump != NONE32 && f->nodes[jump].role != R(NONE)) jump = f->nodes[jump].next;
            if (jump == NONE32) break;
            continue;
        }
        if (end >= 0) {
            result = end;
            break;
        }
    }
    /* the breaks out of statements around the start: each path goes on
     * after the statement it left (a walk from there) */
    for (int k = 0; k < w.nouter && result == LEAK_NONE && !w.oom && depth < MAX_OUTER_DEPTH; k++) {
        uint32_t at2 = NONE32;
        int r = release_check_depth(q, w.outer[k], &at2, depth + 1);
        if (*f->oom) w.oom = 1;
        if (r != LEAK_NONE) result = r, where = at2;
    }
    if (m && !w.oom)
        for (uint32_t k = 0; k < passed.len; k++) {
            uint32_t p = passed.data[k];
            m->kind[p] = (uint32_t)result;
            m->at[p] = where;
            m->loop[p] = q->loop;
            m->cond[p] = q->cond;
            m->key[p] = q->memo_key;
        }
    gl_free(f->alloc, passed.data);
    gl_free(f->alloc, w.stack);
    if (w.oom) {
        *f->oom = 1;
        return LEAK_NONE;
    }
    if (result != LEAK_NONE) *at = where;
    return result;
}

/* Walks statement s alone, as a walk of its own: LEAK_NONE with *held set
 * when some path falls through it still holding, else the leak (or
 * LEAK_NONE, released or out of memory) with *at set. */
static int walk_alone(const release_query *q, uint32_t s, uint32_t *at, int *held) {
    const facts *f = q->f;
    walk w;
    walk_init(&w, q, s);
    outcome o = walk_stmt(&w, s);
    gl_free(f->alloc, w.stack);
    *held = 0;
    if (w.oom) {
        *f->oom = 1;
        return LEAK_NONE;
    }
    if (w.leak) {
        *at = w.at;
        return w.leak;
    }
    *held = o == OUT_HELD;
    return LEAK_NONE;
}

int release_check_body(const release_query *q, uint32_t body, uint32_t *at) {
    int held, leak = walk_alone(q, body, at, &held); /* the body block: its statements */
    if (!held) return leak;
    *at = q->f->nodes[body].parent;
    return LEAK_END;
}

int release_check_from(const release_query *q, uint32_t start, uint32_t *at) {
    int held, leak = walk_alone(q, start, at, &held);
    return held ? release_check(q, start, at) : leak;
}
