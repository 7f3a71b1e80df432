/* Release on every path: see paths.h. The walk is conservative where it
 * cannot follow control (goto, fallthrough, a break out of a statement that
 * encloses the acquisition): those paths are dropped rather than guessed, so
 * that a report always names a real exit. A break out of a loop, switch or
 * select that the walk entered is followed: the path goes on after it. */
#include "paths.h"

typedef enum outcome {
    OUT_HELD,     /* some path falls through still holding */
    OUT_RELEASED, /* every path that falls through released */
    OUT_GONE      /* no path falls through (return, panic, continue, ...) */
} outcome;

enum { MAX_LOOPS = 32 };

typedef struct walk {
    const release_query *q;
    int leak;
    uint32_t at;
    /* the loops, switches and selects being walked, and whether a break
     * left each holding */
    uint32_t loops[MAX_LOOPS];
    int held_break[MAX_LOOPS];
    int nloops;
} walk;

int subtree_releases(const release_query *q, uint32_t n) {
    const facts *f = q->f;
    const node *x = &f->nodes[n];
    if (x->kind == N(CALL) && q->is_release(q, n)) return 1;
    for (uint32_t c = x->child; c != NONE32; c = f->nodes[c].next)
        if (subtree_releases(q, c)) return 1;
    return 0;
}

static int never_returns(const facts *f, uint32_t stmt) {
    uint32_t c = f->nodes[stmt].child;
    return f->nodes[stmt].kind == N(EXPRSTMT) && c != NONE32 && f->nodes[c].kind == N(CALL) &&
           call_never_returns(f, c);
}

static outcome walk_stmt(walk *w, uint32_t s);

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

/* The statements among n's children, from the first with role NONE. */
static outcome walk_list(walk *w, uint32_t first) {
    const facts *f = w->q->f;
    for (uint32_t s = first; s != NONE32; s = f->nodes[s].next) {
        if (f->nodes[s].role != R(NONE)) continue;
        outcome o = walk_stmt(w, s);
        if (w->leak) return OUT_GONE;
        if (o != OUT_HELD) return o;
    }
    return OUT_HELD;
}

static outcome join(outcome a, outcome b) {
    if (a == OUT_GONE) return b;
    if (b == OUT_GONE) return a;
    if (a == OUT_RELEASED && b == OUT_RELEASED) return OUT_RELEASED;
    return OUT_HELD;
}

/* The statement a continue or break leaves: the one its label names, else
 * the innermost loop (continue) or loop, switch or select (break). */
static uint32_t branch_target(const facts *f, uint32_t br) {
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

/* Whether case c of a switch without tag (switch { case err != nil: })
 * runs only where the resource does not exist (cond_absent). */
static int case_absent(const release_query *q, uint32_t sw, uint32_t c) {
    const facts *f = q->f;
    if (!q->cond_absent || f->nodes[sw].kind != N(SWITCH) || child_by_role(f, sw, R(TAG)) != NONE32)
        return 0;
    uint32_t e = child_by_role(f, c, R(CASE));
    return e != NONE32 && nth_child_by_role(f, c, R(CASE), 1) == NONE32 && q->cond_absent(q, e) > 0;
}

static outcome walk_stmt(walk *w, uint32_t s) {
    const release_query *q = w->q;
    const facts *f = q->f;
    const node *x = &f->nodes[s];
    switch (x->kind) {
    case N(DEFER):
    case N(GO): return subtree_releases(q, s) ? OUT_RELEASED : OUT_HELD;
    case N(RETURN):
        if (subtree_releases(q, s) || (q->return_hands_off && q->return_hands_off(q, s)))
            return OUT_RELEASED;
        w->leak = LEAK_RETURN;
        w->at = s;
        return OUT_GONE;
    case N(BRANCH): {
        int kw = f->toks[x->first].kind;
        uint32_t target = kw == T(CONTINUE) || kw == T(BREAK) ? branch_target(f, s) : NONE32;
        if (kw == T(CONTINUE) && q->loop != NONE32 && target == q->loop) {
            w->leak = LEAK_CONTINUE;
            w->at = s;
        }
        /* a break leaves its loop, switch or select holding: that statement
         * falls through held */
        if (kw == T(BREAK))
            for (int k = 0; k < w->nloops; k++)
                if (w->loops[k] == target) w->held_break[k] = 1;
        return OUT_GONE; /* goto, fallthrough: not followed */
    }
    case N(BLOCK): return walk_list(w, x->child);
    case N(LABELED): return x->child != NONE32 ? walk_stmt(w, x->child) : OUT_HELD;
    case N(IF): {
        uint32_t init = child_by_role(f, s, R(INIT)), cond = child_by_role(f, s, R(COND));
        /* if false { ... } is dead code; if true { ... } has a dead else */
        if (init == NONE32 && cond != NONE32 && f->nodes[cond].first == f->nodes[cond].last) {
            uint32_t c = f->nodes[cond].first;
            if (tok_is(f, c, "false")) {
                uint32_t els = child_by_role(f, s, R(ELSE));
                return els != NONE32 ? walk_stmt(w, els) : OUT_HELD;
            }
            if (tok_is(f, c, "true")) return walk_stmt(w, child_by_role(f, s, R(BODY)));
        }
        if ((init != NONE32 && subtree_releases(q, init)) ||
            (cond != NONE32 && subtree_releases(q, cond)))
            return OUT_RELEASED;
        int absent = q->cond_absent && cond != NONE32 ? q->cond_absent(q, cond) : 0;
        /* the branch where the resource does not exist holds nothing */
        outcome then = absent > 0 ? OUT_RELEASED : walk_stmt(w, child_by_role(f, s, R(BODY)));
        if (w->leak) return OUT_GONE;
        /* if c { lock }; ...; if c { unlock }: only the branch that locked holds */
        if (q->cond != NONE32 && cond != NONE32 && init == NONE32 &&
            toks_same(f, f->nodes[q->cond].first, f->nodes[q->cond].last, f->nodes[cond].first,
                      f->nodes[cond].last))
            return then;
        uint32_t els = child_by_role(f, s, R(ELSE));
        outcome other = absent < 0 ? OUT_RELEASED : els != NONE32 ? walk_stmt(w, els) : OUT_HELD;
        if (w->leak) return OUT_GONE;
        return join(then, other);
    }
    case N(FOR):
    case N(RANGE): {
        uint32_t body = child_by_role(f, s, R(BODY));
        int forever = x->kind == N(FOR) && child_by_role(f, s, R(COND)) == NONE32;
        int slot = enter_breakable(w, s);
        if (body != NONE32) walk_stmt(w, body);
        int broke_held = leave_breakable(w, slot, 1);
        /* a loop with a condition may run zero times and falls through
         * holding; for {} falls through only by a break taken holding */
        if (forever && slot >= 0) return broke_held ? OUT_HELD : OUT_GONE;
        if (q->loop_exit_releases && !broke_held && q->loop_exit_releases(q, s))
            return OUT_RELEASED;
        return OUT_HELD;
    }
    case N(SWITCH):
    case N(TYPESWITCH):
    case N(SELECT): {
        uint32_t init = child_by_role(f, s, R(INIT));
        if (init != NONE32 && subtree_releases(q, init)) return OUT_RELEASED;
        int has_default = x->kind == N(SELECT); /* a select without default waits for a case */
        outcome all = OUT_GONE;
        int any = 0;
        int slot = enter_breakable(w, s);
        for (uint32_t c = x->child; c != NONE32; c = f->nodes[c].next) {
            int ck = f->nodes[c].kind;
            if (ck != N(CASE) && ck != N(COMM)) continue;
            if (f->nodes[c].flags & GOLEAK_NODE_FLAG_DEFAULT) has_default = 1;
            uint32_t comm = child_by_role(f, c, R(COMM));
            outcome o = (comm != NONE32 && subtree_releases(q, comm)) || case_absent(q, s, c)
                            ? OUT_RELEASED
                            : walk_list(w, f->nodes[c].child);
            if (w->leak) {
                leave_breakable(w, slot, 0);
                return OUT_GONE;
            }
            all = any ? join(all, o) : o;
            any = 1;
        }
        /* a case left by a break falls out of the statement (in a select
         * too: the break does not wait again) */
        int broke_held = leave_breakable(w, slot, 0);
        if (!any) return OUT_HELD;
        if (broke_held) all = join(all, OUT_HELD);
        return has_default ? all : join(all, OUT_HELD);
    }
    default:
        if (subtree_releases(q, s)) return OUT_RELEASED;
        if (q->stmt_hands_off && q->stmt_hands_off(q, s)) return OUT_RELEASED;
        if (never_returns(f, s)) return OUT_GONE;
        return OUT_HELD;
    }
}

static int check_after(walk *w, uint32_t start, uint32_t *at);

int release_check(const release_query *q, uint32_t start, uint32_t *at) {
    walk w;
    w.q = q;
    w.leak = LEAK_NONE;
    w.at = NONE32;
    w.nloops = 0;
    return check_after(&w, start, at);
}

int release_check_from(const release_query *q, uint32_t start, uint32_t *at) {
    walk w;
    w.q = q;
    w.leak = LEAK_NONE;
    w.at = NONE32;
    w.nloops = 0;
    outcome o = walk_stmt(&w, start);
    if (w.leak) {
        *at = w.at;
        return w.leak;
    }
    if (o != OUT_HELD) return LEAK_NONE;
    return check_after(&w, start, at);
}

/* The walk of the statements after start, climbing out of the blocks
 * around it up to the function's end. */
static int check_after(walk *w, uint32_t start, uint32_t *at) {
    const facts *f = w->q->f;
    uint32_t s = start;
    for (;;) {
        /* the statements after s in its list */
        outcome o = OUT_HELD;
        for (uint32_t n = f->nodes[s].next; n != NONE32; n = f->nodes[n].next) {
            if (f->nodes[n].role != R(NONE)) continue;
            o = walk_stmt(w, n);
            if (w->leak) {
                *at = w->at;
                return w->leak;
            }
            if (o != OUT_HELD) return LEAK_NONE;
        }
        /* the end of the list: climb to the statement that holds it */
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
            /* for {} is left only by break, return or goto, which the walk
             * has followed (breaks out of it are not): its end goes round */
            if (ok == N(FOR) && child_by_role(f, owner, R(COND)) == NONE32) return LEAK_NONE;
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
    }
}
