/* GL010 lock-not-released and GL011 lock-order-inversion. */
#include "paths.h"
#include "rules.h"

#include <stdio.h>
#include <string.h>

/* ---- lock calls ---- */

enum lock_op { OP_NONE, OP_LOCK, OP_RLOCK, OP_UNLOCK, OP_RUNLOCK };

/* Whether token t's text ends with suffix. */
static int tok_has_suffix(const facts *f, uint32_t t, const char *suffix) {
    size_t n = strlen(suffix), len = f->toks[t].len;
    return len >= n && memcmp(f->src + f->toks[t].off + len - n, suffix, n) == 0;
}

/* x.Lock(), x.RLock(), x.Unlock(), x.RUnlock() without arguments; also
 * unlock variants of lock wrappers (x.NestedUnlock(class), x.RUnlockShared()). */
static int lock_op(const facts *f, uint32_t call) {
    const call_fact *c = call_of(f, call);
    if (!c || c->recv_first == NONE32 || c->name == NONE32) return OP_NONE;
    if (c->nargs != 0) {
        if (tok_has_suffix(f, c->name, "RUnlock")) return OP_RUNLOCK;
        return tok_has_suffix(f, c->name, "Unlock") ? OP_UNLOCK : OP_NONE;
    }
    if (tok_is(f, c->name, "Lock")) return OP_LOCK;
    if (tok_is(f, c->name, "RLock")) return OP_RLOCK;
    if (tok_is(f, c->name, "Unlock")) return OP_UNLOCK;
    if (tok_is(f, c->name, "RUnlock")) return OP_RUNLOCK;
    return OP_NONE;
}

/* Whether two receivers name the same lock: the same tokens, or the same
 * tokens after a leading receiver or parameter name (c.mu in one method and
 * s.mu in a helper method of the same type). */
/* Whether receiver a is a local variable copied from receiver b's
 * expression (st := s.state; st.Unlock() for s.state.Lock()). */
static int alias_of(const facts *f, const call_fact *a, const call_fact *b) {
    if (a->recv_first != a->recv_last) return 0;
    const var_fact *v = resolve(f, a->recv_first);
    if (!v || v->value == NONE32 || v->func == NONE32) return 0;
    uint32_t va = f->nodes[v->value].first, vb = f->nodes[v->value].last;
    if (f->toks[va].kind == T(AND)) va++;
    return toks_same(f, va, vb, b->recv_first, b->recv_last);
}

static int same_lock(const facts *f, const call_fact *a, const call_fact *b, int loose) {
    if (toks_same(f, a->recv_first, a->recv_last, b->recv_first, b->recv_last)) return 1;
    if (alias_of(f, a, b) || alias_of(f, b, a)) return 1;
    if (!loose) return 0;
    uint32_t la = a->recv_last - a->recv_first, lb = b->recv_last - b->recv_first;
    if (la != lb) return 0;
    const var_fact *va = resolve(f, a->recv_first), *vb = resolve(f, b->recv_first);
    if (!va || !vb || !(va->flags & VF_PARAM) || !(vb->flags & VF_PARAM)) return 0;
    if (la == 0) return 1; /* both are receivers embedding the mutex: c.Lock() */
    return toks_same(f, a->recv_first + 1, a->recv_last, b->recv_first + 1, b->recv_last);
}

/* Whether a function's name says it takes a lock for its caller. */
static int locking_helper(const facts *f, uint32_t fn) {
    if (f->nodes[fn].kind != N(FUNC) || f->nodes[fn].key == NONE32) return 0;
    const token *t = &f->toks[f->nodes[fn].key];
    const char *s = (const char *)f->src + t->off;
    size_t n = t->len;
    static const char *const prefixes[] = {"lock",    "Lock",    "rlock",    "rLock",  "RLock",
                                           "acquire", "Acquire", "mustLock", "tryLock"};
    for (size_t k = 0; k < sizeof prefixes / sizeof *prefixes; k++) {
        size_t p = strlen(prefixes[k]);
        if (n >= p && memcmp(s, prefixes[k], p) == 0) return 1;
    }
    /* a camel-case word Lock or Acquire inside the name (not "block", "Unlock") */
    for (size_t k = 1; k + 4 <= n; k++) {
        if (memcmp(s + k, "Lock", 4) == 0 && !(k >= 2 && memcmp(s + k - 2, "Un", 2) == 0) &&
            s[k - 1] != 'n')
            return 1;
        if (k + 7 <= n && memcmp(s + k, "Acquire", 7) == 0) return 1;
    }
    return 0;
}

typedef struct lock_ctx {
    const call_fact *lock;
    int unlock_op;
    int depth; /* helper functions followed so far */
} lock_ctx;

static int releases_lock(const release_query *q, uint32_t call);

/* A call of a function of the file whose body unlocks the same lock. */
static int helper_unlocks(const release_query *q, const call_fact *c) {
    lock_ctx *lc = q->ctx;
    const facts *f = q->f;
    if (c->name == NONE32 || lc->depth >= 3) return 0;
    uint32_t fn = find_func(f, c->name);
    if (fn == NONE32) return 0;
    uint32_t body = func_body(f, fn);
    if (body == NONE32) return 0;
    lc->depth++;
    int r = subtree_releases(q, body);
    lc->depth--;
    return r;
}

static int is_unlock(int op) {
    return op == OP_UNLOCK || op == OP_RUNLOCK;
}

/* Whether c calls a variable holding the lock's unlock method value
 * (unlock := mu.Unlock; ...; unlock()). */
static int unlock_value_call(const facts *f, const call_fact *c, const call_fact *lock) {
    if (c->recv_first != NONE32 || c->name == NONE32 || lock->recv_first == NONE32) return 0;
    const var_fact *v = resolve(f, c->name);
    if (!v) return 0;
    /* its value, or any value assigned to it (unlock = mu.RUnlock) */
    uint32_t values[8], n = 0;
    if (v->value != NONE32) values[n++] = v->value;
    uint32_t end = v->func != NONE32 ? f->nodes[v->func].last : f->u->toks.len - 1;
    for (uint32_t u = next_use(f, v, v->name, end); u != NONE32 && n < 8;
         u = next_use(f, v, u, end)) {
        if (f->toks[u + 1].kind != T(ASSIGN)) continue;
        FOR_KIND_IN(f, N(ASSIGN), as, u, u) {
            uint32_t rhs = nth_child_by_role(f, as, R(RHS), 0);
            if (rhs != NONE32 && n < 8) values[n++] = rhs;
        }
    }
    for (uint32_t k = 0; k < n; k++) {
        uint32_t a = f->nodes[values[k]].first, b = f->nodes[values[k]].last;
        if (b >= a + 2 && (tok_is(f, b, "Unlock") || tok_is(f, b, "RUnlock")) &&
            f->toks[b - 1].kind == T(PERIOD) &&
            toks_same(f, a, b - 2, lock->recv_first, lock->recv_last))
            return 1;
    }
    return 0;
}

/* Unlock or RUnlock of the same lock releases it: lock wrappers downgrade
 * (Lock, DowngradeLock, RUnlock) and the two kinds rarely mix by mistake. */
static int releases_lock(const release_query *q, uint32_t call) {
    lock_ctx *lc = q->ctx;
    const facts *f = q->f;
    const call_fact *c = call_of(f, call);
    if (!c) return 0;
    if (is_unlock(lock_op(f, call)) && same_lock(f, c, lc->lock, lc->depth > 0)) return 1;
    if (unlock_value_call(f, c, lc->lock)) return 1;
    return helper_unlocks(q, c);
}

/* Whether fn's body releases the lock anywhere: an unlock (deferred or
 * not, direct or in a helper of the file), or a method value of one
 * (unlock := mu.Unlock). A function that never releases what it locks
 * hands the lock to its caller (a lock helper, a setup function, a
 * constructor of a locked object). */
static int ever_released(const release_query *q, uint32_t fn) {
    const facts *f = q->f;
    lock_ctx *lc = q->ctx;
    const call_fact *c = lc->lock;
    uint32_t body = func_body(f, fn);
    if (body == NONE32) return 0;
    /* the calls after the lock (helpers called before it have their own pairs) */
    FOR_KIND_IN(f, N(CALL), call, f->nodes[c->node].first + 1, f->nodes[body].last) {
        if (releases_lock(q, call)) return 1;
    }
    uint32_t n = c->recv_last - c->recv_first;
    for (uint32_t i = f->nodes[body].first; i + n + 2 <= f->nodes[body].last; i++) {
        if (!toks_same(f, i, i + n, c->recv_first, c->recv_last)) continue;
        uint32_t m = i + n + 2;
        if (f->toks[i + n + 1].kind == T(PERIOD) &&
            (tok_is(f, m, "Unlock") || tok_is(f, m, "RUnlock")) && f->toks[m + 1].kind != T(LPAREN))
            return 1;
    }
    return 0;
}

/* Whether the doc comment right above fn documents a hand-off: "Lock is
 * held on entry", "returns with mu locked", "acquires d.mu", "the caller
 * must unlock". */
/* Whether src[i, end) starts with phrase, case-insensitively, where a
 * space in the phrase stands for any run of blanks, newlines and the
 * comment markers of a doc block. */
static int phrase_at(const uint8_t *src, uint32_t i, uint32_t end, const char *phrase) {
    for (const char *p = phrase; *p; p++) {
        if (*p == ' ') {
            uint32_t j = i;
            while (j < end && (src[j] == ' ' || src[j] == '\t' || src[j] == '\n' ||
                               src[j] == '\r' || src[j] == '/' || src[j] == '*'))
                j++;
            if (j == i) return 0;
            i = j;
            continue;
        }
        if (i >= end || (src[i] | 0x20) != *p) return 0;
        i++;
    }
    return 1;
}

/* Whether the comment block right above node n (no blank line between)
 * holds one of the phrases. */
static int comment_above_says(const facts *f, uint32_t n, const char *const *phrases,
                              size_t nphrases) {
    const goleak_unit *u = f->u;
    uint32_t start = f->toks[f->nodes[n].first].off;
    uint32_t line = unit_pos(u, start).line;
    uint32_t from = start, to = 0;
    for (uint32_t k = u->comments.len; k-- > 0;) {
        const comment *c = &u->comments.data[k];
        if (c->off >= start) continue;
        uint32_t end_line = unit_pos(u, c->off + c->len).line;
        if (end_line + 1 < line) break; /* a gap: not the block */
        if (!to) to = c->off + c->len;
        from = c->off;
        line = unit_pos(u, c->off).line;
    }
    for (uint32_t i = from; i < to; i++)
        for (size_t w = 0; w < nphrases; w++)
            if (phrase_at(f->src, i, to, phrases[w])) return 1;
    return 0;
}

static int doc_mentions_lock(const facts *f, uint32_t fn) {
    static const char *const phrases[] = {
        "held",          "holding",        "locked",
        "acquire",       "must unlock",    "must be unlocked",
        "should unlock", "caller unlocks", "responsible for unlocking"};
    return comment_above_says(f, fn, phrases, sizeof phrases / sizeof *phrases);
}

/* Whether the comment right above the Lock statement says the lock is kept
 * on purpose ("there is no deferred unlock", "left locked", ...). */
static int kept_locked_on_purpose(const facts *f, uint32_t stmt) {
    static const char *const phrases[] = {
        "no deferred unlock", "not unlocked",   "never unlocked",    "left locked", "stays locked",
        "remains locked",     "keep it locked", "without unlocking", "held until"};
    return comment_above_says(f, stmt, phrases, sizeof phrases / sizeof *phrases);
}

/* Whether a call of fn in the file is followed, in the same statement list,
 * by an unlock of a lock spelled like this one (mockSetup(); st.Unlock()). */
static int callers_unlock(const facts *f, uint32_t fn, const call_fact *lock) {
    if (f->nodes[fn].kind != N(FUNC) || f->nodes[fn].key == NONE32) return 0;
    FOR_KIND(f, N(CALL), call) {
        const call_fact *c = call_of(f, call);
        if (!c || c->name == NONE32 || !tok_same(f, c->name, f->nodes[fn].key)) continue;
        uint32_t stmt = stmt_of(f, call);
        for (uint32_t n = stmt != NONE32 ? f->nodes[stmt].next : NONE32; n != NONE32;
             n = f->nodes[n].next) {
            FOR_KIND_IN(f, N(CALL), u, f->nodes[n].first, f->nodes[n].last) {
                const call_fact *uc = call_of(f, u);
                if (is_unlock(lock_op(f, u)) && tok_same(f, uc->recv_last, lock->recv_last))
                    return 1;
            }
        }
    }
    return 0;
}

/* Whether fn, which never releases the lock, hands it on by design: a
 * closure kept in a variable (lockShard := func() { ... }), a function whose
 * doc comment speaks of the lock, or one whose callers unlock after it. */
/* Whether another function of the file unlocks a lock with the same field
 * name without ever taking it there: the lock is released by a separate
 * step of a protocol (Begin/End, Read/Done: storeTxnRead.End() does
 * tr.s.mu.RUnlock() for the s.mu.RLock() of Read()). */
static int released_elsewhere(const facts *f, uint32_t fn, const call_fact *lock) {
    if (lock->recv_first == lock->recv_last) return 0; /* a bare mu: no field name */
    FOR_KIND(f, N(CALL), u) {
        if (!is_unlock(lock_op(f, u))) continue;
        const call_fact *uc = call_of(f, u);
        if (!tok_same(f, uc->recv_last, lock->recv_last) || uc->recv_first == uc->recv_last)
            continue;
        uint32_t g = enclosing_func(f, u);
        if (g == NONE32 || g == fn || node_within(f, g, fn)) continue;
        int takes = 0;
        FOR_KIND_IN(f, N(CALL), l, f->nodes[g].first, f->nodes[g].last) {
            if (!node_within(f, l, g)) continue;
            int op = lock_op(f, l);
            if ((op == OP_LOCK || op == OP_RLOCK) &&
                tok_same(f, call_of(f, l)->recv_last, lock->recv_last))
                takes = 1;
        }
        if (!takes) return 1;
    }
    return 0;
}

static int hands_off_by_design(const facts *f, uint32_t fn, const call_fact *lock) {
    if (released_elsewhere(f, fn, lock)) return 1;
    if (f->nodes[fn].kind == N(FUNCLIT)) {
        uint32_t e = f->nodes[fn].parent;
        int role = e != NONE32 ? f->nodes[e].role : R(NONE);
        return e != NONE32 && f->nodes[e].kind == N(EXPR) && (role == R(RHS) || role == R(VALUE));
    }
    return doc_mentions_lock(f, fn) || callers_unlock(f, fn, lock);
}

/* The first operation on the lock inside loop lp (in source order). */
static int first_op_in_loop(const facts *f, uint32_t lp, const call_fact *lock) {
    FOR_KIND_IN(f, N(CALL), call, f->nodes[lp].first + 1, f->nodes[lp].last) {
        int op = lock_op(f, call);
        if (op != OP_NONE && same_lock(f, call_of(f, call), lock, 0)) return op;
    }
    return OP_NONE;
}

/* return x.releaseFunc: a function value of the file that unlocks is handed
 * to the caller along with the lock */
static int return_hands_off(const release_query *q, uint32_t ret) {
    const facts *f = q->f;
    lock_ctx *lc = q->ctx;
    for (uint32_t i = f->nodes[ret].first + 1; i <= f->nodes[ret].last; i++) {
        if (f->toks[i].kind != T(IDENT) || f->toks[i + 1].kind == T(LPAREN)) continue;
        uint32_t fn = find_func(f, i);
        if (fn == NONE32 || lc->depth >= 3) continue;
        uint32_t body = func_body(f, fn);
        if (body == NONE32) continue;
        lc->depth++;
        int r = subtree_releases(q, body);
        lc->depth--;
        if (r) return 1;
    }
    return 0;
}

/* Whether this Lock re-acquires a lock: fn unlocked it just before (the
 * nearest earlier operation on it is an unlock: released for a moment, as
 * sync.Cond.Wait does), or a deferred unlock already covers it. */
static int relocks(const facts *f, uint32_t fn, uint32_t lock_call, int unlock_op) {
    const call_fact *lc = call_of(f, lock_call);
    int locks = 0, unlocks = 0, last_op = OP_NONE, first_op = OP_NONE;
    FOR_KIND_IN(f, N(CALL), call, f->nodes[fn].first, f->nodes[lock_call].first - 1) {
        if (enclosing_func(f, call) != fn) continue;
        int op = lock_op(f, call);
        if (op == OP_NONE || !same_lock(f, call_of(f, call), lc, 0)) continue;
        uint32_t parent = f->nodes[call].parent;
        if (first_op == OP_NONE) first_op = op;
        if (op == unlock_op) {
            if (parent != NONE32 && f->nodes[parent].kind == N(DEFER)) return 1;
            unlocks++;
            last_op = op;
        } else if (op == (unlock_op == OP_UNLOCK ? OP_LOCK : OP_RLOCK)) {
            locks++;
            last_op = op;
        }
    }
    /* entered holding the lock: the first operation releases it */
    return unlocks > locks || last_op == unlock_op || is_unlock(first_op);
}

/* The lock's variable is copied to another one after locking (y = l, as in
 * hand-over-hand locking along a list): whoever holds the copy unlocks. */
static int lock_handed_over(const facts *f, uint32_t call, uint32_t fn) {
    const call_fact *c = call_of(f, call);
    const var_fact *v = resolve(f, c->recv_first);
    if (!v) return 0;
    for (uint32_t u = next_use(f, v, f->nodes[call].last, f->nodes[fn].last); u != NONE32;
         u = next_use(f, v, u, f->nodes[fn].last)) {
        int pk = f->toks[u - 1].kind;
        if ((pk == T(ASSIGN) || pk == T(DEFINE)) && f->toks[u + 1].kind == T(SEMICOLON)) return 1;
    }
    return 0;
}

/* The condition of the if whose then-branch directly holds stmt, or NONE32. */
static uint32_t branch_condition(const facts *f, uint32_t stmt) {
    uint32_t blk = f->nodes[stmt].parent;
    if (blk == NONE32 || f->nodes[blk].role != R(BODY)) return NONE32;
    uint32_t ifs = f->nodes[blk].parent;
    if (ifs == NONE32 || f->nodes[ifs].kind != N(IF)) return NONE32;
    return child_by_role(f, ifs, R(COND));
}

/* Whether fn is a goroutine literal whose starting function unlocks the
 * same lock outside it: the lock is handed across goroutines on purpose
 * (go func() { mu.Lock(); locked <- true }(); <-locked; mu.Unlock()). */
static int unlocked_by_starter(const facts *f, uint32_t fn, const call_fact *lock) {
    if (f->nodes[fn].kind != N(FUNCLIT) || !is_goroutine_body(f, fn)) return 0;
    uint32_t outer = enclosing_func(f, fn);
    if (outer == NONE32) return 0;
    FOR_KIND_IN(f, N(CALL), u, f->nodes[outer].first, f->nodes[outer].last) {
        if (!node_within(f, u, outer) || node_within(f, u, fn) || !is_unlock(lock_op(f, u)))
            continue;
        if (same_lock(f, call_of(f, u), lock, 0)) return 1;
    }
    return 0;
}

/* Whether the lock is a local variable that is handed on after the lock:
 * returned, put in a literal, passed or stored (tx.RLock(); return &txn{tx}):
 * whoever gets it unlocks it. */
static int lock_var_escapes(const facts *f, const call_fact *lock, uint32_t fn) {
    if (lock->recv_first != lock->recv_last) return 0;
    const var_fact *v = resolve(f, lock->recv_first);
    if (!v || v->func != fn || (v->flags & VF_PARAM)) return 0;
    for (uint32_t u = next_use(f, v, lock->recv_last, f->nodes[fn].last); u != NONE32;
         u = next_use(f, v, u, f->nodes[fn].last)) {
        int pk = f->toks[u - 1].kind, nk = f->toks[u + 1].kind;
        if (nk != T(COMMA) && nk != T(RBRACE) && nk != T(RPAREN) && nk != T(SEMICOLON)) continue;
        if (pk == T(COMMA) || pk == T(LBRACE) || pk == T(LPAREN) || pk == T(RETURN) ||
            pk == T(COLON) || pk == T(ASSIGN) || pk == T(AND))
            return 1;
    }
    return 0;
}

/* Whether a goroutine literal started earlier in fn unlocks the lock: the
 * mutex is a completion signal (m.Lock(); go func() { ...; m.Unlock() }();
 * m.Lock() waits for it), not a lock held for a critical section. */
static int waits_for_goroutine(const facts *f, uint32_t fn, uint32_t call) {
    const call_fact *lock = call_of(f, call);
    FOR_KIND_IN(f, N(CALL), u, f->nodes[fn].first, f->nodes[call].first - 1) {
        if (!node_within(f, u, fn) || !is_unlock(lock_op(f, u))) continue;
        uint32_t g = enclosing_func(f, u);
        if (g != fn && f->nodes[g].kind == N(FUNCLIT) && is_goroutine_body(f, g) &&
            enclosing_func(f, g) == fn && same_lock(f, call_of(f, u), lock, 0))
            return 1;
    }
    return 0;
}

static int check_lock_not_released(goleak_check *chk, void *ud) {
    (void)ud;
    const facts *f = check_facts(chk);
    if (!f) return 0;
    FOR_KIND(f, N(CALL), call) {
        int op = lock_op(f, call);
        if ((op != OP_LOCK && op != OP_RLOCK) || unreachable(f, call)) continue;
        uint32_t stmt = f->nodes[call].parent;
        if (stmt == NONE32 || f->nodes[stmt].kind != N(EXPRSTMT) || stmt_of(f, stmt) != stmt)
            continue;
        uint32_t fn = enclosing_func(f, call);
        if (fn == NONE32 || locking_helper(f, fn)) continue;
        int unlock_op = op == OP_LOCK ? OP_UNLOCK : OP_RUNLOCK;
        /* a body that only takes the lock is an acquire function */
        uint32_t body = func_body(f, fn);
        if (f->nodes[stmt].parent == body && f->nodes[stmt].next == NONE32) continue;
        if (relocks(f, fn, call, unlock_op) || lock_handed_over(f, call, fn)) continue;
        if (unlocked_by_starter(f, fn, call_of(f, call)) || waits_for_goroutine(f, fn, call) ||
            kept_locked_on_purpose(f, stmt) || lock_var_escapes(f, call_of(f, call), fn))
            continue;
        lock_ctx lc = {call_of(f, call), unlock_op, 0};
        release_query q = {.f = f,
                           .is_release = releases_lock,
                           .ctx = &lc,
                           .loop = loop_around(f, stmt),
                           .cond = branch_condition(f, stmt),
                           .return_hands_off = return_hands_off};
        if (!ever_released(&q, fn) && hands_off_by_design(f, fn, lc.lock)) continue;
        uint32_t at;
        int leak = release_check(&q, stmt, &at);
        if (leak == LEAK_NONE) continue;
        /* a continue is a leak only when each iteration takes the lock */
        if (leak == LEAK_CONTINUE && is_unlock(first_op_in_loop(f, q.loop, lc.lock))) continue;
        char what[64];
        const call_fact *c = lc.lock;
        snippet(f, c->recv_first, c->recv_last, what, sizeof what);
        const char *un = op == OP_LOCK ? "Unlock" : "RUnlock";
        if (leak == LEAK_RETURN)
            check_report_node(chk, call,
                              "`%s.%s()` is still held when the function returns at line %u; "
                              "unlock before that return, or `defer %s.%s()` right after locking",
                              what, op == OP_LOCK ? "Lock" : "RLock",
                              (unsigned)tok_line(f, f->nodes[at].first), what, un);
        else if (leak == LEAK_CONTINUE)
            check_report_node(chk, call,
                              "`%s.%s()` is still held at the `continue` on line %u: the next "
                              "iteration locks it again and deadlocks; unlock before continuing",
                              what, op == OP_LOCK ? "Lock" : "RLock",
                              (unsigned)tok_line(f, f->nodes[at].first));
        else
            check_report_node(chk, call,
                              "`%s.%s()` is never released on some path to the end of the "
                              "function; call `%s.%s()` on every path, or `defer` it",
                              what, op == OP_LOCK ? "Lock" : "RLock", what, un);
    }
    return 0;
}

/* ---- GL011: lock order ---- */

/* A lock's name across functions: a receiver's name is replaced by its type
 * (s.mu in methods of *Store is "Store.mu"); other names are kept. */
static void lock_name(const facts *f, const call_fact *c, char *buf, size_t size) {
    char rest[96];
    const var_fact *v = resolve(f, c->recv_first);
    if (v && !(v->flags & (VF_RECV | VF_PKG))) {
        /* a local or a parameter: one object per function, whatever its
         * spelling; closures of the function share it */
        if (c->recv_last > c->recv_first)
            snippet(f, c->recv_first + 1, c->recv_last, rest, sizeof rest);
        else
            rest[0] = 0;
        /* the name, then #index to tell variables apart (not printed) */
        snprintf(buf, size, "%.*s%s#%u", (int)f->toks[v->name].len,
                 (const char *)f->src + f->toks[v->name].off, rest, (unsigned)(v - f->vars.data));
        return;
    }
    if (v && (v->flags & VF_RECV) && v->type_first != NONE32) {
        uint32_t t = v->type_first;
        while (t <= v->type_last && f->toks[t].kind != T(IDENT)) t++;
        char type[48];
        snippet(f, t, t, type, sizeof type);
        if (c->recv_last > c->recv_first)
            snippet(f, c->recv_first + 1, c->recv_last, rest, sizeof rest);
        else
            rest[0] = 0;
        snprintf(buf, size, "%s%s", type, rest);
        return;
    }
    snippet(f, c->recv_first, c->recv_last, buf, size);
}

typedef struct edge {
    char from[96], to[96];
    uint32_t call; /* the inner Lock() */
    uint32_t fn;
} edge;

enum { MAX_EDGES = 256 };

typedef struct lock_event {
    char name[96];
    uint32_t call, list;
    int op, deferred;
} lock_event;

enum { MAX_EVENTS = 128 };

static int check_lock_order(goleak_check *chk, void *ud) {
    (void)ud;
    const facts *f = check_facts(chk);
    if (!f) return 0;
    static const int fn_kinds[] = {N(FUNC), N(FUNCLIT)};
    edge edges[MAX_EDGES];
    int nedges = 0;
    lock_event ev[MAX_EVENTS];
    for (int fk = 0; fk < 2; fk++) {
        FOR_KIND(f, fn_kinds[fk], fn) {
            /* the function's own lock operations, in source order */
            int nev = 0;
            uint32_t a = f->nodes[fn].first, b = f->nodes[fn].last;
            FOR_KIND_IN(f, N(CALL), call, a, b) {
                if (nev == MAX_EVENTS) break;
                int op = lock_op(f, call);
                if (op == OP_NONE || enclosing_func(f, call) != fn) continue;
                lock_event *e = &ev[nev++];
                lock_name(f, call_of(f, call), e->name, sizeof e->name);
                uint32_t stmt = stmt_of(f, call);
                e->call = call;
                e->list = stmt != NONE32 ? f->nodes[stmt].parent : NONE32;
                e->op = op;
                uint32_t parent = f->nodes[call].parent;
                e->deferred = parent != NONE32 && f->nodes[parent].kind == N(DEFER);
            }
            /* what is held at each acquisition: the earlier operations on its
             * path (in its statement list or one around it), not those of
             * branches it is not in */
            for (int i = 0; i < nev; i++) {
                if (ev[i].deferred || (ev[i].op != OP_LOCK && ev[i].op != OP_RLOCK)) continue;
                uint32_t stmt = stmt_of(f, ev[i].call);
                const char *held[MAX_EVENTS];
                int nheld = 0;
                for (int j = 0; j < i; j++) {
                    if (ev[j].deferred || ev[j].list == NONE32 || stmt == NONE32 ||
                        !node_within(f, stmt, ev[j].list))
                        continue;
                    if (ev[j].op == OP_LOCK || ev[j].op == OP_RLOCK) {
                        held[nheld++] = ev[j].name;
                    } else {
                        for (int h = nheld; h-- > 0;) {
                            if (strcmp(held[h], ev[j].name) != 0) continue;
                            held[h] = held[--nheld];
                            break;
                        }
                    }
                }
                for (int h = 0; h < nheld && nedges < MAX_EDGES; h++) {
                    if (strcmp(held[h], ev[i].name) == 0) continue;
                    edge *e = &edges[nedges++];
                    snprintf(e->from, sizeof e->from, "%.95s", held[h]);
                    snprintf(e->to, sizeof e->to, "%.95s", ev[i].name);
                    e->call = ev[i].call;
                    e->fn = fn;
                }
            }
        }
    }
    /* an edge B->A after an edge A->B of another function: report the later one */
    for (int i = 0; i < nedges; i++) {
        for (int j = 0; j < nedges; j++) {
            if (edges[i].fn == edges[j].fn) continue;
            if (strcmp(edges[i].from, edges[j].to) != 0 || strcmp(edges[i].to, edges[j].from) != 0)
                continue;
            if (f->nodes[edges[i].call].first < f->nodes[edges[j].call].first) continue;
#define SHOWN(s) (int)strcspn(s, "#"), s
            check_report_node(chk, edges[i].call,
                              "takes `%.*s` while holding `%.*s`, but line %u takes `%.*s` "
                              "while holding `%.*s`: the two paths can deadlock; take the locks "
                              "in one order everywhere",
                              SHOWN(edges[i].to), SHOWN(edges[i].from),
                              (unsigned)tok_line(f, f->nodes[edges[j].call].first),
                              SHOWN(edges[j].to), SHOWN(edges[j].from));
#undef SHOWN
            break;
        }
    }
    return 0;
}

const builtin_rule rule_gl010 = {
    "GL010",
    "lock-not-released",
    GOLEAK_SEVERITY_ERROR,
    "Lock or RLock without an unlock on some path out of the function",
    "A mutex locked and not unlocked on some path stays locked: every later\n"
    "Lock blocks forever, and the goroutines waiting on it leak.\n"
    "\n"
    "Leaking:\n"
    "\n"
    "    func (c *Cache) Get(k string) (V, error) {\n"
    "        c.mu.Lock()\n"
    "        v, ok := c.m[k]\n"
    "        if !ok {\n"
    "            return V{}, ErrMissing // c.mu stays locked\n"
    "        }\n"
    "        c.mu.Unlock()\n"
    "        return v, nil\n"
    "    }\n"
    "\n"
    "Fixed:\n"
    "\n"
    "    func (c *Cache) Get(k string) (V, error) {\n"
    "        c.mu.Lock()\n"
    "        defer c.mu.Unlock()\n"
    "        v, ok := c.m[k]\n"
    "        if !ok {\n"
    "            return V{}, ErrMissing\n"
    "        }\n"
    "        return v, nil\n"
    "    }\n"
    "\n"
    "Heuristic: from each x.Lock() / x.RLock() statement, the paths through\n"
    "if, switch, select and loops are followed to each return, to a\n"
    "`continue` of the loop that took the lock, and to the end of the\n"
    "function; a path that meets x.Unlock() (or a deferred one, or a call of a\n"
    "function of the same file that unlocks it) is released. Paths leaving by\n"
    "break or goto are not followed; paths that end the process hold nothing.\n"
    "Not checked, as hand-offs: functions whose name says they lock for their\n"
    "caller (lock, rLock, acquireX, withLock...); a lock handed to another\n"
    "goroutine that unlocks it; a function that never releases the lock when\n"
    "it is a function literal kept in a variable, when its doc comment says so\n"
    "(\"held\", \"the caller must unlock\"...), or when its caller in the file\n"
    "unlocks right after the call; a function entered holding the lock (its\n"
    "first operation on it is an unlock); a lock another function of the file\n"
    "unlocks without taking it (Begin/End protocols); a lock a goroutine takes\n"
    "and its starter unlocks; a local lock handed on after locking; a Lock\n"
    "whose comment says it is kept (\"no deferred unlock\").\n",
    NULL,
    NULL,
    check_lock_not_released,
    NULL,
};

const builtin_rule rule_gl011 = {
    "GL011",
    "lock-order-inversion",
    GOLEAK_SEVERITY_WARNING,
    "two code paths take the same two locks in opposite orders",
    "If one path locks A then B while another locks B then A, two goroutines\n"
    "can each hold one lock and wait forever for the other.\n"
    "\n"
    "Leaking:\n"
    "\n"
    "    func (s *Store) Move(k string) {\n"
    "        s.mu.Lock()\n"
    "        s.index.mu.Lock()   // s.mu then index.mu\n"
    "        ...\n"
    "    }\n"
    "    func (ix *Index) Rebuild(s *Store) {\n"
    "        ix.mu.Lock()\n"
    "        s.mu.Lock()         // index.mu then s.mu: deadlock with Move\n"
    "        ...\n"
    "    }\n"
    "\n"
    "Fixed: take the locks in one order everywhere (document it next to the\n"
    "fields), or restructure so that only one lock is held at a time.\n"
    "\n"
    "Heuristic: within each function of the file, the Lock/RLock calls are read\n"
    "in source order, and each lock taken while another is held makes an\n"
    "edge. Locks are named by their expression, with a method's receiver\n"
    "replaced by its type (s.mu in methods of Store is Store.mu), so locks\n"
    "reached through different variable names are not matched.\n",
    NULL,
    NULL,
    check_lock_order,
    NULL,
};
