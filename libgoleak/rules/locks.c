/* GL010 lock-not-released and GL011 lock-order-inversion. */
#include "../paths.h"
#include "../query.h"
#include "common.h"
#include "lockgraph.h"
#include "lockid.h"
#include "pkgindex.h"
#include "rules.h"
#include "typeindex.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* GL010's per-check state: the file's lock operations, grouped, and what
 * has been learnt per last name (released_elsewhere). */
typedef struct gl010 {
    lock_ops ops;
    path_memo memo;          /* the walks of locks nothing releases */
    uint32_t *foreign_start; /* per name slot of ops.names: into foreign, NONE32 unknown */
    uint32_t *foreign_len;
    struct {
        uint32_t *data;
        uint32_t len, cap;
    } foreign; /* functions that unlock a name without taking it */
    /* the package's other files, NULL until a lock of the file leaks
     * without them (then asked again with them) or when checked alone */
    const pkg_index *px;
    goleak_check *chk;
    int in_package;   /* the file has sibling files */
    int trylocks;     /* the file may call TryLock or TryRLock */
    uint32_t self;    /* the file's index in the package */
    uint8_t *unlocks; /* per declaration of px: DECL_UNLOCKS... (package-wide) */
} gl010;

/* Whether a function of another file unlocks anything, per declaration of
 * the package index: learnt once per package. */
enum { DECL_UNKNOWN, DECL_NO_UNLOCK, DECL_UNLOCKS };

/* The operations that may act on the same lock as c, in source order (the
 * two groups of lock_ops_of merged, each operation once). */
typedef struct op_iter {
    const facts *f;
    const uint32_t *a, *b;
    uint32_t na, nb, i, j;
} op_iter;

static void ops_of(op_iter *it, const gl010 *g, const call_fact *c) {
    it->f = g->ops.f;
    it->i = it->j = 0;
    lock_ops_of(&g->ops, c, &it->a, &it->na, &it->b, &it->nb);
}

static uint32_t op_next(op_iter *it) {
    const facts *f = it->f;
    for (;;) {
        uint32_t x = it->i < it->na ? it->a[it->i] : NONE32;
        uint32_t y = it->j < it->nb ? it->b[it->j] : NONE32;
        if (x == NONE32 && y == NONE32) return NONE32;
        /* the calls' order in the file is their order in f->calls */
        if (y == NONE32 || (x != NONE32 && f->call_index[x] <= f->call_index[y])) {
            it->i++;
            if (x == y) it->j++;
            return x;
        }
        it->j++;
        return y;
    }
}

/* The first of a sorted group whose call starts at or after token tok. */
static uint32_t ops_from(const facts *f, const uint32_t *ops, uint32_t n, uint32_t tok) {
    uint32_t lo = 0, hi = n;
    while (lo < hi) {
        uint32_t mid = lo + (hi - lo) / 2;
        if (f->nodes[ops[mid]].first < tok)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo;
}

/* Skips the operations before token tok: calls are in source order, and a
 * call starts no earlier than the calls before it (a call's own calls come
 * after it). Without it, one lock used in every function of a large file
 * makes each look-up scan the whole file. */
static void op_seek(op_iter *it, uint32_t tok) {
    it->i = ops_from(it->f, it->a, it->na, tok);
    it->j = ops_from(it->f, it->b, it->nb, tok);
}

typedef struct lock_ctx {
    const call_fact *lock;
    int unlock_op;
    int depth; /* helper functions followed so far */
    const struct gl010 *g;
    uint8_t *calls_memo; /* fn_calls, per function node */
} lock_ctx;

static int releases_lock(const release_query *q, uint32_t call);

/* Whether the body of package declaration d (a function or method of
 * another file) unlocks a lock whose last name is spelled like token name
 * of f (s.mu.Unlock() for c.mu.Lock()); any name when name is NONE32. */
static int decl_unlocks(const gl010 *g, uint32_t d, const facts *f, uint32_t name) {
    if (g->unlocks[d] == DECL_NO_UNLOCK) return 0;
    const facts *h = pkg_decl_facts(g->px, d);
    uint32_t body = func_body(h, pkg_decl_at(g->px, d)->item);
    int any = 0, match = 0;
    if (body != NONE32) {
        FOR_KIND_IN(h, N(CALL), call, h->nodes[body].first, h->nodes[body].last) {
            if (!is_unlock(lock_op(h, call))) continue;
            any = 1;
            const call_fact *u = call_of(h, call);
            if (name == NONE32 ||
                (u->recv_last != NONE32 && tok_same_across(h, u->recv_last, f, name))) {
                match = 1;
                break;
            }
        }
    }
    g->unlocks[d] = any ? DECL_UNLOCKS : DECL_NO_UNLOCK;
    return match;
}

/* Whether call c runs a function or method that another file of the
 * package declares (and this file does not) whose body unlocks a lock of
 * that last name (any lock when name is NONE32). */
static int other_file_helper_unlocks(const gl010 *g, const facts *f, const call_fact *c,
                                     uint32_t name) {
    if (!g->px || c->name == NONE32 || c->pkg != PKG_NONE || find_func(f, c->name) != NONE32)
        return 0;
    int space = PS_METHOD;
    if (c->recv_first == NONE32) {
        if (resolve(f, c->name)) return 0; /* a function value */
        space = PS_FUNC;
    }
    FOR_PKG_DECL(g->px, space, f, c->name, d) {
        if (pkg_decl_at(g->px, d)->file != g->self && decl_unlocks(g, d, f, name)) return 1;
    }
    return 0;
}

/* A call of a function of the file (or of another file of the package)
 * whose body unlocks the same lock. */
static int helper_unlocks(const release_query *q, const call_fact *c) {
    lock_ctx *lc = q->ctx;
    const facts *f = q->f;
    if (c->name == NONE32 || lc->depth >= 3) return 0;
    uint32_t fn = find_func(f, c->name);
    if (fn == NONE32) return other_file_helper_unlocks(lc->g, f, c, lc->lock->recv_last);
    uint32_t body = func_body(f, fn);
    if (body == NONE32) return 0;
    lc->depth++;
    int r = subtree_releases(q, body);
    lc->depth--;
    return r;
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
/* Whether a method value c.recv.Unlock or RUnlock (not called there)
 * appears in tokens [a, b]: unlock := mu.Unlock. */
static int unlock_value_in(const facts *f, const call_fact *c, uint32_t a, uint32_t b) {
    static const char *const names[] = {"Unlock", "RUnlock"};
    uint32_t n = c->recv_last - c->recv_first;
    for (int k = 0; k < 2; k++) {
        uint32_t count;
        const uint32_t *at = idents_named_text(f, names[k], &count);
        for (uint32_t i = 0; i < count; i++) {
            uint32_t m = at[i];
            if (m < a + n + 2 || m > b || f->toks[m + 1].kind == T(LPAREN)) continue;
            if (f->toks[m - 1].kind == T(PERIOD) &&
                toks_same(f, m - n - 2, m - 2, c->recv_first, c->recv_last))
                return 1;
        }
    }
    return 0;
}

/* What the calls of function fn can do to a lock beside its own unlock
 * operations: call a function of the file (which may unlock it), or call a
 * variable (an unlock method value). Computed once per function. */
enum { CALLS_HELPER = 1, CALLS_VALUE = 2, RETURNS_FUNC = 4, CALLS_KNOWN = 8 };

static int fn_calls(const gl010 *g, const facts *f, uint8_t *memo, uint32_t fn) {
    if (memo[fn] & CALLS_KNOWN) return memo[fn];
    uint8_t m = CALLS_KNOWN;
    FOR_KIND_IN(f, N(CALL), call, f->nodes[fn].first, f->nodes[fn].last) {
        const call_fact *c = call_of(f, call);
        if (!c || c->name == NONE32) continue;
        if (find_func(f, c->name) != NONE32 || other_file_helper_unlocks(g, f, c, NONE32))
            m |= CALLS_HELPER;
        if (c->recv_first == NONE32 && resolve(f, c->name)) m |= CALLS_VALUE;
    }
    /* return x.releaseFunc: a function of the file returned as a value */
    FOR_KIND_IN(f, N(RETURN), ret, f->nodes[fn].first, f->nodes[fn].last) {
        for (uint32_t i = f->nodes[ret].first + 1; i <= f->nodes[ret].last; i++)
            if (f->toks[i].kind == T(IDENT) && f->toks[i + 1].kind != T(LPAREN) &&
                find_func(f, i) != NONE32)
                m |= RETURNS_FUNC;
    }
    memo[fn] = m;
    return m;
}

static int ever_released(const release_query *q, uint32_t fn) {
    const facts *f = q->f;
    lock_ctx *lc = q->ctx;
    const call_fact *c = lc->lock;
    uint32_t body = func_body(f, fn);
    if (body == NONE32) return 0;
    /* the calls after the lock (helpers called before it have their own
     * pairs): its own unlocks, and helpers or unlock values when fn has any */
    uint32_t from = f->nodes[c->node].first + 1, to = f->nodes[body].last;
    if (fn_calls(lc->g, f, lc->calls_memo, fn) & (CALLS_HELPER | CALLS_VALUE)) {
        FOR_KIND_IN(f, N(CALL), call, from, to) {
            if (releases_lock(q, call)) return 1;
        }
    } else {
        op_iter it;
        ops_of(&it, lc->g, c);
        op_seek(&it, from);
        for (uint32_t u = op_next(&it); u != NONE32 && f->nodes[u].first <= to; u = op_next(&it))
            if (releases_lock(q, u)) return 1;
    }
    return unlock_value_in(f, c, f->nodes[body].first, f->nodes[body].last);
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
    /* the comments before the node: the first at or after it, by binary search */
    uint32_t lo = 0, hi = u->comments.len;
    while (lo < hi) {
        uint32_t mid = lo + (hi - lo) / 2;
        if (u->comments.data[mid].off < start)
            lo = mid + 1;
        else
            hi = mid;
    }
    for (uint32_t k = lo; k-- > 0;) {
        const comment *c = &u->comments.data[k];
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
static int callers_unlock(const facts *f, const gl010 *gs, uint32_t fn, const call_fact *lock) {
    if (f->nodes[fn].kind != N(FUNC) || f->nodes[fn].key == NONE32) return 0;
    uint32_t ncalls, nops;
    const uint32_t *calls = calls_named(f, f->nodes[fn].key, &ncalls);
    const uint32_t *ops = lock_ops_named(&gs->ops, lock->recv_last, &nops);
    for (uint32_t i = 0; i < ncalls; i++) {
        uint32_t stmt = stmt_of(f, f->calls.data[calls[i]].node);
        if (stmt == NONE32) continue;
        /* the statements after it in its list span [after, end] */
        uint32_t last = stmt;
        while (f->nodes[last].next != NONE32) last = f->nodes[last].next;
        uint32_t after = f->nodes[stmt].last + 1, end = f->nodes[last].last;
        for (uint32_t k = 0; k < nops; k++) {
            uint32_t u = ops[k], at = f->nodes[u].first;
            if (at >= after && at <= end && is_unlock(lock_op(f, u))) return 1;
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
/* The functions that unlock a lock of this last name (s.x.mu: mu) without
 * ever taking one (in them or their literals), once per name: appended to
 * gs->foreign, at [*start, *start + *len). */
static int foreign_releasers(const facts *f, gl010 *gs, uint32_t name_tok, uint32_t *start,
                             uint32_t *len) {
    uint32_t n, slot = names_find(&gs->ops.names, name_tok);
    if (slot == NONE32) return *start = *len = 0, 0;
    if (gs->foreign_start[slot] != NONE32) {
        *start = gs->foreign_start[slot];
        *len = gs->foreign_len[slot];
        return 0;
    }
    const uint32_t *ops = lock_ops_named(&gs->ops, name_tok, &n);
    uint32_t first = gs->foreign.len;
    for (uint32_t i = 0; i < n; i++) {
        uint32_t u = ops[i];
        const call_fact *uc = call_of(f, u);
        if (!is_unlock(lock_op(f, u)) || uc->recv_first == uc->recv_last) continue;
        uint32_t g = enclosing_func(f, u);
        if (g == NONE32) continue;
        int takes = 0; /* the operations of this name inside g (they are in source order) */
        for (uint32_t k = 0; k < n && !takes; k++) {
            uint32_t l = ops[k];
            int op = lock_op(f, l);
            if ((op == OP_LOCK || op == OP_RLOCK) && f->nodes[l].first >= f->nodes[g].first &&
                f->nodes[l].first <= f->nodes[g].last && node_within(f, l, g))
                takes = 1;
        }
        if (!takes && VEC_PUSH(f->alloc, &gs->foreign, g)) return -1;
    }
    *start = gs->foreign_start[slot] = first;
    *len = gs->foreign_len[slot] = gs->foreign.len - first;
    return 0;
}

/* Whether a function of another file of the package unlocks a lock of
 * this last name (x.mu) without ever taking one: the same protocol across
 * files (Read() in one file, Done() in another). */
static int released_in_other_file(const gl010 *gs, const facts *f, uint32_t name) {
    static const char *const unlocks[] = {"Unlock", "RUnlock"}, *const locks[] = {"Lock", "RLock"};
    for (size_t j = 0; gs->px && j < gs->px->n; j++) {
        const facts *h = gs->px->facts[j];
        if (j == gs->self) continue;
        for (int k = 0; k < 2; k++) {
            uint32_t n;
            const uint32_t *at = calls_named_text(h, unlocks[k], &n);
            for (uint32_t i = 0; i < n; i++) {
                const call_fact *u = &h->calls.data[at[i]];
                if (u->recv_first == NONE32 || u->recv_first == u->recv_last ||
                    !is_unlock(lock_op(h, u->node)) || !tok_same_across(h, u->recv_last, f, name))
                    continue;
                uint32_t g = enclosing_func(h, u->node);
                if (g == NONE32) continue;
                int takes = 0;
                for (int l = 0; l < 2 && !takes; l++) {
                    uint32_t m;
                    const uint32_t *lk = calls_named_text(h, locks[l], &m);
                    for (uint32_t x = calls_from(h, lk, m, h->nodes[g].first);
                         x < m && !takes &&
                         h->nodes[h->calls.data[lk[x]].node].first <= h->nodes[g].last;
                         x++) {
                        const call_fact *c = &h->calls.data[lk[x]];
                        takes = c->recv_last != NONE32 && tok_same_across(h, c->recv_last, f, name);
                    }
                }
                if (!takes) return 1;
            }
        }
    }
    return 0;
}

static int released_elsewhere(const facts *f, gl010 *gs, uint32_t fn, const call_fact *lock) {
    if (lock->recv_first == lock->recv_last) return 0; /* a bare mu: no field name */
    if (released_in_other_file(gs, f, lock->recv_last)) return 1;
    uint32_t start, len;
    if (foreign_releasers(f, gs, lock->recv_last, &start, &len)) {
        *f->oom = 1;
        return 0;
    }
    for (uint32_t k = start; k < start + len; k++) {
        uint32_t g = gs->foreign.data[k];
        if (g != fn && !node_within(f, g, fn)) return 1;
    }
    return 0;
}

static int hands_off_by_design(const facts *f, gl010 *gs, uint32_t fn, const call_fact *lock) {
    if (released_elsewhere(f, gs, fn, lock)) return 1;
    if (f->nodes[fn].kind == N(FUNCLIT)) {
        uint32_t e = f->nodes[fn].parent;
        int role = e != NONE32 ? f->nodes[e].role : R(NONE);
        return e != NONE32 && f->nodes[e].kind == N(EXPR) && (role == R(RHS) || role == R(VALUE));
    }
    return doc_mentions_lock(f, fn) || callers_unlock(f, gs, fn, lock);
}

/* The first operation on the lock inside loop lp (in source order). */
static int first_op_in_loop(const facts *f, const gl010 *g, uint32_t lp, const call_fact *lock) {
    op_iter it;
    ops_of(&it, g, lock);
    op_seek(&it, f->nodes[lp].first + 1);
    for (uint32_t call = op_next(&it); call != NONE32; call = op_next(&it)) {
        if (f->nodes[call].first > f->nodes[lp].last) break;
        if (same_lock(f, call_of(f, call), lock, 0)) return lock_op(f, call);
    }
    return OP_NONE;
}

/* return x.releaseFunc: a function value of the file that unlocks is handed
 * to the caller along with the lock */
static int return_hands_off(const release_query *q, uint32_t ret) {
    const facts *f = q->f;
    lock_ctx *lc = q->ctx;
    /* return v, s.mu.RUnlock: the unlock's method value, for the caller to call */
    const call_fact *l = lc->lock;
    uint32_t n = l->recv_last - l->recv_first;
    for (uint32_t i = f->nodes[ret].first + 1; i + n + 2 <= f->nodes[ret].last; i++) {
        if (!toks_same(f, i, i + n, l->recv_first, l->recv_last) ||
            f->toks[i + n + 1].kind != T(PERIOD) ||
            (i + n + 3 < f->u->toks.len && f->toks[i + n + 3].kind == T(LPAREN)))
            continue;
        if (tok_is(f, i + n + 2, "Unlock") || tok_is(f, i + n + 2, "RUnlock")) return 1;
    }
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
static int relocks(const facts *f, const gl010 *g, uint32_t fn, uint32_t lock_call, int unlock_op) {
    const call_fact *lc = call_of(f, lock_call);
    int locks = 0, unlocks = 0, last_op = OP_NONE, first_op = OP_NONE;
    op_iter it;
    ops_of(&it, g, lc);
    op_seek(&it, f->nodes[fn].first);
    for (uint32_t call = op_next(&it); call != NONE32; call = op_next(&it)) {
        uint32_t at = f->nodes[call].first;
        if (at >= f->nodes[lock_call].first) break;
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

/* Whether fn is a goroutine literal whose starting function unlocks the
 * same lock outside it: the lock is handed across goroutines on purpose
 * (go func() { mu.Lock(); locked <- true }(); <-locked; mu.Unlock()). */
static int unlocked_by_starter(const facts *f, const gl010 *g, uint32_t fn, const call_fact *lock) {
    if (f->nodes[fn].kind != N(FUNCLIT) || !is_goroutine_body(f, fn)) return 0;
    uint32_t outer = enclosing_func(f, fn);
    if (outer == NONE32) return 0;
    op_iter it;
    ops_of(&it, g, lock);
    op_seek(&it, f->nodes[outer].first);
    for (uint32_t u = op_next(&it); u != NONE32; u = op_next(&it)) {
        uint32_t at = f->nodes[u].first;
        if (at > f->nodes[outer].last) break;
        if (!node_within(f, u, outer) || node_within(f, u, fn) || !is_unlock(lock_op(f, u)))
            continue;
        if (same_lock(f, call_of(f, u), lock, 0)) return 1;
    }
    return 0;
}

/* Whether a use of the lock's variable hands the locked lock on: returned,
 * put in a literal, passed or stored (tx.RLock(); return &txn{tx}):
 * whoever gets it unlocks it, on the paths through that use. */
static int lock_use_hands_off(const release_query *q, uint32_t use) {
    use_info ui;
    q_use(q->f, use, &ui);
    return use_hands_on(&ui);
}

/* The lock's variable when it is a local variable of fn that is handed on
 * somewhere after the lock (the walk then counts each hand-off on its
 * paths only), NULL otherwise. */
static const var_fact *lock_var_handed_on(const facts *f, const call_fact *lock, uint32_t fn) {
    if (lock->recv_first != lock->recv_last) return NULL;
    const var_fact *v = resolve(f, lock->recv_first);
    if (!v || v->func != fn || (v->flags & VF_PARAM)) return NULL;
    release_query q = {.f = f};
    for (uint32_t u = next_use(f, v, lock->recv_last, f->nodes[fn].last); u != NONE32;
         u = next_use(f, v, u, f->nodes[fn].last))
        if (lock_use_hands_off(&q, u)) return v;
    return NULL;
}

/* Whether a goroutine literal started earlier in fn unlocks the lock: the
 * mutex is a completion signal (m.Lock(); go func() { ...; m.Unlock() }();
 * m.Lock() waits for it), not a lock held for a critical section. */
static int waits_for_goroutine(const facts *f, const gl010 *gs, uint32_t fn, uint32_t call) {
    const call_fact *lock = call_of(f, call);
    op_iter it;
    ops_of(&it, gs, lock);
    op_seek(&it, f->nodes[fn].first);
    for (uint32_t u = op_next(&it); u != NONE32; u = op_next(&it)) {
        if (f->nodes[u].first >= f->nodes[call].first) break;
        if (!node_within(f, u, fn) || !is_unlock(lock_op(f, u))) continue;
        uint32_t g = enclosing_func(f, u);
        if (g != fn && f->nodes[g].kind == N(FUNCLIT) && is_goroutine_body(f, g) &&
            enclosing_func(f, g) == fn && same_lock(f, call_of(f, u), lock, 0))
            return 1;
    }
    return 0;
}

static int load_package(gl010 *gs);

/* Checks the lock taken by call (a Lock or RLock) of the check. */
/* The walk that looks for lc's unlock from statement stmt on. */
static release_query lock_query(const facts *f, lock_ctx *lc, uint32_t stmt) {
    release_query q = {.f = f,
                       .is_release = releases_lock,
                       .ctx = lc,
                       .loop = loop_around(f, stmt),
                       .cond = branch_condition(f, stmt),
                       .return_hands_off = return_hands_off};
    return q;
}

/* `if !x.TryLock() { ...; return }` (TryRLock too): the if statement,
 * past which the lock is held, with its mode in *op; NONE32 otherwise. */
static uint32_t trylock_guard(const facts *f, uint32_t call, int *op) {
    const call_fact *c = call_of(f, call);
    if (!c || c->recv_first == NONE32 || c->nargs != 0) return NONE32;
    if (tok_is(f, c->name, "TryLock"))
        *op = OP_LOCK;
    else if (tok_is(f, c->name, "TryRLock"))
        *op = OP_RLOCK;
    else
        return NONE32;
    /* the whole condition of an if is !x.TryLock(), and its body leaves */
    uint32_t a = f->nodes[call].first, ifs = NONE32;
    if (a == 0 || f->toks[a - 1].kind != T(NOT)) return NONE32;
    for (uint32_t p = f->nodes[call].parent; p != NONE32 && ifs == NONE32; p = f->nodes[p].parent)
        if (f->nodes[p].kind == N(IF)) ifs = p;
    uint32_t cond = ifs != NONE32 ? child_by_role(f, ifs, R(COND)) : NONE32;
    uint32_t body = ifs != NONE32 ? child_by_role(f, ifs, R(BODY)) : NONE32, last = NONE32;
    if (cond == NONE32 || body == NONE32 || f->nodes[cond].first != a - 1 ||
        f->nodes[cond].last != f->nodes[call].last || stmt_of(f, ifs) != ifs)
        return NONE32;
    for (uint32_t st = f->nodes[body].child; st != NONE32; st = f->nodes[st].next) last = st;
    if (last == NONE32 || f->nodes[last].kind != N(RETURN)) return NONE32;
    /* the function unlocks that very receiver somewhere (x.TryLock() of a
     * wrapper whose unlock is x.mu.Unlock() is another name) */
    uint32_t fn = enclosing_func(f, call);
    if (fn == NONE32) return NONE32;
    FOR_KIND_IN(f, N(CALL), u, f->nodes[fn].first, f->nodes[fn].last) {
        const call_fact *uc = call_of(f, u);
        if (is_unlock(lock_op(f, u)) && uc &&
            toks_same(f, uc->recv_first, uc->recv_last, c->recv_first, c->recv_last))
            return ifs;
    }
    return NONE32;
}

/* In a lock helper that returns an error: a return whose error is nil
 * hands the lock to the caller (the helper's success); one with an error
 * keeps it only by mistake, as callers return on the error without
 * unlocking. */
static int success_hands_off(const release_query *q, uint32_t ret) {
    return returns_nil_error(q->f, ret);
}

/* A lock helper (acquire, lockX) that returns an error and hands the lock
 * to its caller on success: a return with an error while the lock is held
 * leaves it held, since callers unlock only after a nil error. */
static void check_helper_error_return(goleak_check *chk, const facts *f, gl010 *gs,
                                      uint8_t *calls_memo, uint32_t call, uint32_t stmt, int op) {
    uint32_t fn = enclosing_func(f, call);
    if (!acquiring_helper(f, fn) || !returns_error(f, fn)) return;
    /* a deferred unlock of that lock before it (defer p.mu.Unlock(), then
     * p.mu.Unlock(); dial(); p.mu.Lock()): released on every way out */
    FOR_KIND_IN(f, N(CALL), u, f->nodes[fn].first, f->nodes[call].first) {
        uint32_t parent = f->nodes[u].parent;
        if (parent != NONE32 && f->nodes[parent].kind == N(DEFER) && is_unlock(lock_op(f, u)) &&
            same_lock(f, call_of(f, u), call_of(f, call), 0))
            return;
    }
    lock_ctx lc = {call_of(f, call), op == OP_LOCK ? OP_UNLOCK : OP_RUNLOCK, 0, gs, calls_memo};
    release_query q = lock_query(f, &lc, stmt);
    q.return_hands_off = success_hands_off;
    uint32_t at;
    if (release_check(&q, stmt, &at) != LEAK_RETURN || at == NONE32) return;
    char what[64], took[16], name[48];
    const call_fact *c = lc.lock;
    snippet(f, c->recv_first, c->recv_last, what, sizeof what);
    snippet(f, c->name, c->name, took, sizeof took);
    snippet(f, f->nodes[fn].key, f->nodes[fn].key, name, sizeof name);
    check_report_node(chk, call,
                      "`%s` hands `%s.%s()` to its caller on success, but the return at line %u "
                      "gives an error while still holding it: a caller that returns on the "
                      "error does not unlock, and the next Lock deadlocks; unlock before "
                      "returning the error",
                      name, what, took, (unsigned)tok_line(f, f->nodes[at].first));
}

static void check_lock(goleak_check *chk, const facts *f, gl010 *gs, uint8_t *calls_memo,
                       uint32_t call) {
    int op = lock_op(f, call);
    uint32_t stmt = f->nodes[call].parent;
    if (op != OP_LOCK && op != OP_RLOCK) {
        /* if !x.TryLock() { return }: held past the if */
        if (!gs->trylocks) return;
        stmt = trylock_guard(f, call, &op);
        if (stmt == NONE32) return;
    } else if (stmt == NONE32 || f->nodes[stmt].kind != N(EXPRSTMT) || stmt_of(f, stmt) != stmt) {
        return;
    }
    if (unreachable(f, call)) return;
    uint32_t fn = enclosing_func(f, call);
    if (fn == NONE32) return;
    if (locking_helper(f, fn)) {
        check_helper_error_return(chk, f, gs, calls_memo, call, stmt, op);
        return;
    }
    int unlock_op = op == OP_LOCK ? OP_UNLOCK : OP_RUNLOCK;
    /* a body that only takes the lock is an acquire function */
    uint32_t body = func_body(f, fn);
    if (f->nodes[stmt].parent == body && f->nodes[stmt].next == NONE32) return;
    if (relocks(f, gs, fn, call, unlock_op) || lock_handed_over(f, call, fn)) return;
    if (unlocked_by_starter(f, gs, fn, call_of(f, call)) || waits_for_goroutine(f, gs, fn, call) ||
        kept_locked_on_purpose(f, stmt))
        return;
    lock_ctx lc = {call_of(f, call), unlock_op, 0, gs, calls_memo};
    release_query q = lock_query(f, &lc, stmt);
    /* a local lock handed on: released on the paths through the hand-off */
    q.var = lock_var_handed_on(f, lc.lock, fn);
    if (q.var) q.use_releases = lock_use_hands_off;
    if (!q.var && !ever_released(&q, fn)) {
        if (hands_off_by_design(f, gs, fn, lc.lock)) return;
        /* nothing after the lock releases it: if no return hands a
         * function of the file back either, the walk is the one every
         * such lock makes from here */
        if (!(fn_calls(gs, f, calls_memo, fn) & RETURNS_FUNC)) q.nothing_releases = &gs->memo;
    }
    uint32_t at;
    int leak = release_check(&q, stmt, &at);
    if (leak == LEAK_NONE) return;
    if (gs->in_package && !gs->px) {
        /* the other files of the package may release it: ask again with
         * them (and with them for the rest of the file) */
        if (load_package(gs)) return;
        memset(calls_memo, 0, f->u->nodes.len + 1);
        check_lock(chk, f, gs, calls_memo, call);
        return;
    }
    /* a continue is a leak only when each iteration takes the lock */
    if (leak == LEAK_CONTINUE && is_unlock(first_op_in_loop(f, gs, q.loop, lc.lock))) return;
    char what[64], took[16];
    const call_fact *c = lc.lock;
    snippet(f, c->recv_first, c->recv_last, what, sizeof what);
    snippet(f, c->name, c->name, took, sizeof took);
    const char *un = op == OP_LOCK ? "Unlock" : "RUnlock";
    if (leak == LEAK_RETURN) {
        /* a return after t.Error: the lock is left held once the test failed */
        failure_note note = after_failure(test_failed_before(f, at) != NONE32);
        check_report_node_severity(chk, note.severity, call,
                                   "`%s.%s()` is still held when the function returns at line "
                                   "%u%s; unlock before that return, or `defer %s.%s()` right "
                                   "after locking",
                                   what, took, (unsigned)tok_line(f, f->nodes[at].first), note.note,
                                   what, un);
    } else if (leak == LEAK_CONTINUE)
        check_report_node(chk, call,
                          "`%s.%s()` is still held at the `continue` on line %u: the next "
                          "iteration locks it again and deadlocks; unlock before continuing",
                          what, took, (unsigned)tok_line(f, f->nodes[at].first));
    else
        check_report_node(chk, call,
                          "`%s.%s()` is never released on some path to the end of the "
                          "function; call `%s.%s()` on every path, or `defer` it",
                          what, took, what, un);
}

/* The Lock call of a locking getter: function fn returns a local value
 * with one of its locks held (s := c.shards[i]; s.mu.Lock(); return s),
 * unlocking it nowhere; NONE32 otherwise. */
static uint32_t getter_lock(const facts *f, uint32_t fn) {
    uint32_t body = func_body(f, fn), last = NONE32, tok;
    if (body == NONE32) return NONE32;
    for (uint32_t st = f->nodes[body].child; st != NONE32; st = f->nodes[st].next) last = st;
    if (last == NONE32 || f->nodes[last].kind != N(RETURN)) return NONE32;
    uint32_t res = nth_child_by_role(f, last, R(RESULT), 0);
    if (res == NONE32 || nth_child_by_role(f, last, R(RESULT), 1) != NONE32 ||
        !expr_ident(f, res, &tok))
        return NONE32;
    const var_fact *r = resolve(f, tok);
    if (!r || r->func != fn || (r->flags & VF_PARAM)) return NONE32;
    uint32_t lock = NONE32;
    for (uint32_t st = f->nodes[body].child; st != last; st = f->nodes[st].next) {
        uint32_t c = f->nodes[st].kind == N(EXPRSTMT) ? expr_node(f, st) : NONE32;
        int op = c != NONE32 && f->nodes[c].kind == N(CALL) ? lock_op(f, c) : OP_NONE;
        const call_fact *cf = op != OP_NONE ? call_of(f, c) : NULL;
        if (!cf || resolve(f, cf->recv_first) != r) continue;
        if (is_unlock(op)) return NONE32;
        lock = c;
    }
    return lock;
}

/* The first unlock (op want) in function fn of the lock that getter Lock
 * call g takes, named through v as g names it through its receiver
 * (v.mu.Unlock() for c.mu.Lock()): NONE32. */
static uint32_t unlock_through(const facts *f, uint32_t fn, const var_fact *v, int want,
                               const call_fact *g) {
    FOR_KIND_IN(f, N(CALL), c, f->nodes[fn].first, f->nodes[fn].last) {
        if (lock_op(f, c) != want) continue;
        const call_fact *u = call_of(f, c);
        if (u && resolve(f, u->recv_first) == v &&
            toks_same(f, u->recv_first + 1, u->recv_last, g->recv_first + 1, g->recv_last))
            return c;
    }
    return NONE32;
}

/* The unlock call in function fn of the lock the getter's Lock call `gl`
 * takes, as fn names it through v (v := c.lockShard(k); ...
 * v.mu.Unlock()): NONE32 when fn never unlocks it. */
static uint32_t caller_unlock(const facts *f, uint32_t fn, const var_fact *v, uint32_t gl) {
    const call_fact *g = call_of(f, gl);
    int want = lock_op(f, gl) == OP_RLOCK ? OP_RUNLOCK : OP_UNLOCK;
    uint32_t u = unlock_through(f, fn, v, want, g);
    if (u != NONE32) return u;
    /* or an unlock helper given v (i.unlockEntity(l) { l.Unlock() }): its
     * Unlock of the parameter, which the walk finds through the call */
    FOR_KIND_IN(f, N(CALL), c, f->nodes[fn].first, f->nodes[fn].last) {
        const call_fact *hc = call_of(f, c);
        uint32_t h =
            hc && hc->name != NONE32 && hc->pkg == PKG_NONE ? find_func(f, hc->name) : NONE32;
        for (uint32_t k = 0; h != NONE32 && k < hc->nargs; k++) {
            uint32_t arg = call_arg(f, c, k), tok;
            const var_fact *p = arg != NONE32 && expr_ident(f, arg, &tok) && resolve(f, tok) == v
                                    ? param_at(f, h, k)
                                    : NULL;
            if (!p) continue;
            u = unlock_through(f, h, p, want, g);
            if (u != NONE32) return u;
        }
    }
    return NONE32;
}

/* Callers of a locking getter (s := c.lockShard(key)) that unlock the
 * lock it returns held (s.mu.Unlock()) but not on every path: a return in
 * between leaves it held, and the next Lock of that shard deadlocks. */
static void check_getter_callers(goleak_check *chk, const facts *f, gl010 *gs,
                                 uint8_t *calls_memo) {
    /* per function (its place among the FUNC nodes): its getter Lock */
    uint32_t nfunc = f->by_kind[N(FUNC)].len, any = 0;
    uint32_t *getters = gl_malloc(f->alloc, ((size_t)nfunc + 1) * sizeof *getters);
    if (!getters) {
        *f->oom = 1;
        return;
    }
    for (uint32_t k = 0; k < nfunc; k++)
        any |= (getters[k] = getter_lock(f, f->by_kind[N(FUNC)].data[k])) != NONE32;
    if (any) FOR_KIND(f, N(CALL), call) {
            const call_fact *c = call_of(f, call);
            if (!c || c->name == NONE32 || c->pkg != PKG_NONE || unreachable(f, call)) continue;
            uint32_t callee = find_func(f, c->name);
            if (callee == NONE32 ||
                !(f->nodes[callee].flags & GOLEAK_NODE_FLAG_METHOD) != (c->recv_first == NONE32))
                continue;
            uint32_t gl = getters[kind_lower_bound(f, N(FUNC), f->nodes[callee].first)];
            value_target t;
            if (gl == NONE32) continue;
            q_value_target(f, call, 0, &t);
            const var_fact *v =
                t.kind == GOLEAK_TARGET_VAR && t.first == t.last ? resolve(f, t.first) : NULL;
            uint32_t fn = enclosing_func(f, call), stmt = stmt_of(f, call);
            if (!v || fn == NONE32 || stmt == NONE32) continue;
            uint32_t un = caller_unlock(f, fn, v, gl);
            if (un == NONE32) continue;
            int op = lock_op(f, gl);
            lock_ctx lc = {call_of(f, un), op == OP_LOCK ? OP_UNLOCK : OP_RUNLOCK, 0, gs,
                           calls_memo};
            release_query q = lock_query(f, &lc, stmt);
            uint32_t at;
            if (release_check(&q, stmt, &at) != LEAK_RETURN || at == NONE32) continue;
            char what[64], got[64], name[48];
            const call_fact *u = call_of(f, un);
            snippet(f, u->recv_first, u->recv_last, what, sizeof what);
            snippet(f, f->nodes[call].first, f->nodes[call].last, got, sizeof got);
            snippet(f, v->name, v->name, name, sizeof name);
            failure_note note = after_failure(test_failed_before(f, at) != NONE32);
            check_report_node_severity(
                chk, note.severity, call,
                "`%s` returns `%s` with `%s` locked (line %u), and it is still "
                "held when the function returns at line %u%s; unlock before "
                "that return, or `defer %s.%s()` right after the call",
                got, name, what, (unsigned)tok_line(f, f->nodes[gl].first),
                (unsigned)tok_line(f, f->nodes[at].first), note.note, what,
                op == OP_LOCK ? "Unlock" : "RUnlock");
        }
    gl_free(f->alloc, getters);
}

/* A lock or unlock helper: a method whose own statements lock (or unlock)
 * a field chain of its receiver, e.lock() { e.mu.Lock() }, or lock it and
 * return with it held on success, e.lockAlive() error (an unlock only in
 * a branch that returns). The Lock or Unlock call, NONE32 otherwise. */
static uint32_t helper_lock_call(const facts *f, uint32_t fn, int unlock) {
    const var_fact *rv = f->nodes[fn].kind == N(FUNC) ? receiver_var(f, fn) : NULL;
    uint32_t body = rv ? func_body(f, fn) : NONE32, found = NONE32;
    if (body == NONE32) return NONE32;
    for (uint32_t st = f->nodes[body].child; st != NONE32; st = f->nodes[st].next) {
        int k = f->nodes[st].kind;
        if (k == N(DEFER) || k == N(GO) || k == N(FOR) || k == N(RANGE)) return NONE32;
        uint32_t c = k == N(EXPRSTMT) ? expr_node(f, st) : NONE32;
        int op = c != NONE32 && f->nodes[c].kind == N(CALL) ? lock_op(f, c) : OP_NONE;
        if (op == OP_NONE) continue;
        const call_fact *cf = call_of(f, c);
        if (!cf || cf->recv_first == cf->recv_last || resolve(f, cf->recv_first) != rv ||
            is_unlock(op) != unlock || found != NONE32)
            return NONE32;
        found = c;
    }
    if (found == NONE32 || unlock) return found;
    /* a lock helper's only unlocks sit in branches that return */
    const call_fact *lc = call_of(f, found);
    FOR_KIND_IN(f, N(CALL), u, f->nodes[fn].first, f->nodes[fn].last) {
        const call_fact *uc = call_of(f, u);
        if (!uc || !is_unlock(lock_op(f, u)) ||
            !toks_same(f, uc->recv_first + 1, uc->recv_last, lc->recv_first + 1, lc->recv_last))
            continue;
        uint32_t st = stmt_of(f, u), next = st != NONE32 ? f->nodes[st].next : NONE32;
        if (next == NONE32 || f->nodes[next].kind != N(RETURN)) return NONE32;
    }
    return found;
}

/* What the walk from a lock helper's call looks for: a call on the same
 * object of an unlock helper of the same lock, or its Unlock itself. */
typedef struct helper_walk {
    const call_fact *call;   /* x.lock() */
    const call_fact *inner;  /* the helper's Lock: recv.mu.Lock() */
    const uint32_t *unlocks; /* per FUNC: its Unlock call when an unlock helper, NONE32 */
} helper_walk;

static int undoes_helper(const release_query *q, uint32_t call) {
    const facts *f = q->f;
    const helper_walk *h = q->ctx;
    const call_fact *c = call_of(f, call);
    if (!c || c->recv_first == NONE32 || c->name == NONE32) return 0;
    uint32_t xa = h->call->recv_first, xb = h->call->recv_last;
    uint32_t la = h->inner->recv_first + 1, lb = h->inner->recv_last; /* .mu after the receiver */
    /* x.mu.Unlock() */
    if (is_unlock(lock_op(f, call)) && c->recv_last == c->recv_first + (xb - xa) + (lb - la + 1) &&
        toks_same(f, c->recv_first, c->recv_first + (xb - xa), xa, xb) &&
        toks_same(f, c->recv_first + (xb - xa) + 1, c->recv_last, la, lb))
        return 1;
    /* x.unlock() */
    if (!toks_same(f, c->recv_first, c->recv_last, xa, xb)) return 0;
    uint32_t callee = find_func(f, c->name);
    if (callee == NONE32) return 0;
    uint32_t u = h->unlocks[kind_lower_bound(f, N(FUNC), f->nodes[callee].first)];
    if (u == NONE32) return 0;
    const call_fact *uc = call_of(f, u);
    return toks_same(f, uc->recv_first + 1, uc->recv_last, la, lb);
}

/* Callers of a lock helper (e.lock(), or if err := e.lockAlive(); err !=
 * nil { return }) that release it through an unlock helper or the Unlock
 * itself on some path (e.unlock()), but return on another in between: the
 * lock stays held and the next Lock deadlocks. */
static void check_lock_helper_callers(goleak_check *chk, const facts *f) {
    uint32_t nfunc = f->by_kind[N(FUNC)].len, any_lock = 0, any_unlock = 0;
    uint32_t *locks = gl_malloc(f->alloc, ((size_t)nfunc + 1) * sizeof *locks);
    uint32_t *unlocks = gl_malloc(f->alloc, ((size_t)nfunc + 1) * sizeof *unlocks);
    if (!locks || !unlocks) {
        gl_free(f->alloc, locks);
        gl_free(f->alloc, unlocks);
        *f->oom = 1;
        return;
    }
    for (uint32_t k = 0; k < nfunc; k++) {
        uint32_t fn = f->by_kind[N(FUNC)].data[k];
        any_lock |= (locks[k] = helper_lock_call(f, fn, 0)) != NONE32;
        any_unlock |= (unlocks[k] = helper_lock_call(f, fn, 1)) != NONE32;
    }
    if (any_lock && any_unlock) FOR_KIND(f, N(CALL), call) {
            const call_fact *c = call_of(f, call);
            if (!c || c->name == NONE32 || c->pkg != PKG_NONE || c->recv_first == NONE32 ||
                c->name != c->recv_last + 2 || !name_chain(f, c->recv_first, c->recv_last) ||
                unreachable(f, call))
                continue;
            uint32_t callee = find_func(f, c->name);
            if (callee == NONE32 || !(f->nodes[callee].flags & GOLEAK_NODE_FLAG_METHOD)) continue;
            uint32_t k = kind_lower_bound(f, N(FUNC), f->nodes[callee].first);
            uint32_t fn = enclosing_func(f, call), stmt = stmt_of(f, call);
            if (locks[k] == NONE32 || fn == NONE32 || stmt == NONE32 || fn == callee) continue;
            /* the statement is the call, or an if that returns on its error */
            if (f->nodes[stmt].kind != N(EXPRSTMT) && f->nodes[stmt].kind != N(IF)) continue;
            helper_walk h = {c, call_of(f, locks[k]), unlocks};
            /* the function undoes it itself on some path */
            uint32_t undo = NONE32;
            FOR_KIND_IN(f, N(CALL), u, f->nodes[stmt].last, f->nodes[fn].last) {
                release_query probe = {.f = f, .ctx = &h};
                if (enclosing_func(f, u) == fn && undoes_helper(&probe, u)) {
                    undo = u;
                    break;
                }
            }
            if (undo == NONE32) continue;
            uint32_t at = return_without(f, stmt, undoes_helper, &h);
            if (at == NONE32) continue;
            char got[64], un[64];
            snippet(f, f->nodes[call].first, f->nodes[call].last, got, sizeof got);
            snippet(f, f->nodes[undo].first, f->nodes[undo].last, un, sizeof un);
            failure_note note = after_failure(test_failed_before(f, at) != NONE32);
            check_report_node_severity(chk, note.severity, at,
                                       "this return leaves the lock `%s` took (line %u) held: "
                                       "the function releases it with `%s` (line %u) on "
                                       "another path only%s, and the next Lock deadlocks; "
                                       "release it before returning, or defer the release",
                                       got, (unsigned)tok_line(f, f->nodes[call].first), un,
                                       (unsigned)tok_line(f, f->nodes[undo].first), note.note);
        }
    gl_free(f->alloc, locks);
    gl_free(f->alloc, unlocks);
}

/* The package's memo of which functions unlock (decl_unlocks): one byte
 * per declaration of the package index. */
typedef struct unlock_memo {
    const goleak_allocator *alloc;
    uint8_t state[];
} unlock_memo;

static void *unlocks_build(goleak_check *chk) {
    const pkg_index *px = check_package_index(chk);
    unlock_memo *m =
        px ? gl_calloc(chk->engine->alloc, sizeof *m + (size_t)px->decls.len + 1) : NULL;
    if (m) m->alloc = chk->engine->alloc;
    return m;
}

static void unlocks_free(void *data) {
    unlock_memo *m = data;
    if (m) gl_free(m->alloc, m);
}

/* Loads the package index and the package's unlock memo: 0, or -1 when
 * out of memory (the check then fails). */
static int load_package(gl010 *gs) {
    const pkg_index *px = check_package_index(gs->chk);
    unlock_memo *m =
        px ? check_package_shared(gs->chk, PKG_SHARED_UNLOCKS, unlocks_build, unlocks_free) : NULL;
    if (!m) {
        gs->in_package = 0;
        return -1;
    }
    gs->unlocks = m->state;
    gs->px = px;
    return 0;
}

static int check_lock_not_released(goleak_check *chk, void *ud) {
    (void)ud;
    const facts *f = check_facts(chk);
    if (!f) return 0;
    gl010 gs;
    memset(&gs, 0, sizeof gs);
    uint8_t *calls_memo = gl_calloc(f->alloc, f->u->nodes.len + 1);
    size_t nnames = 0;
    int ok = calls_memo && !lock_ops_build(&gs.ops, f) && !path_memo_init(&gs.memo, f);
    if (ok) {
        nnames = (size_t)gs.ops.names.mask + 1;
        gs.foreign_start = gl_malloc(f->alloc, nnames * sizeof *gs.foreign_start);
        gs.foreign_len = gl_malloc(f->alloc, nnames * sizeof *gs.foreign_len);
        ok = gs.foreign_start && gs.foreign_len;
    }
    gs.chk = chk;
    gs.in_package = chk->pkg->n > 1;
    gs.trylocks = check_may_have(chk, "TryLock") || check_may_have(chk, "TryRLock");
    gs.self = (uint32_t)chk->pkg_index;
    if (ok) {
        memset(gs.foreign_start, 0xff, nnames * sizeof *gs.foreign_start);
        FOR_KIND(f, N(CALL), call) {
            check_lock(chk, f, &gs, calls_memo, call);
        }
        check_getter_callers(chk, f, &gs, calls_memo);
        if (!*f->oom) check_lock_helper_callers(chk, f);
    } else {
        *f->oom = 1; /* the check fails with GOLEAK_ENOMEM */
    }
    lock_ops_free(&gs.ops);
    path_memo_free(&gs.memo, f);
    gl_free(f->alloc, gs.foreign_start);
    gl_free(f->alloc, gs.foreign_len);
    gl_free(f->alloc, gs.foreign.data);
    gl_free(f->alloc, calls_memo);
    return 0;
}

/* ---- GL011: lock order ---- */

/* Lock B taken while A is held, in one function: directly, or by a
 * function or method of the file that the function calls. */
typedef struct order_edge {
    uint32_t from, to;   /* lock classes (lockgraph_key_class), matched */
    uint32_t dfrom, dto; /* the lock keys themselves, named in messages */
    uint32_t at;         /* the Lock call, or the call that takes the lock */
    uint32_t origin;     /* the Lock call itself */
    uint32_t fn;         /* the function walked */
    uint32_t partner;    /* an earlier edge with the two locks the other way round */
    uint32_t ofile;      /* the Lock call's file when another file of the package, NONE32 */
    uint32_t oline;      /* its line there */
} order_edge;

typedef struct order_ctx {
    goleak_check *chk;
    const facts *f;
    lockgraph *g;
    uint32_t fn;
    struct {
        order_edge *data;
        uint32_t len, cap;
    } edges;
    int oom;
} order_ctx;

static void order_visit(void *ud, const lg_event *e) {
    order_ctx *o = ud;
    /* a callee's lock taken only under a lock flag (if !locked) may not be taken */
    if (e->kind != LG_ACQUIRE || (e->depth > 0 && e->guarded)) return;
    /* the order is between classes (m.mu of a local m *Member is
     * Member.mu), unless both locks are of one class (s.a.mu, s.b.mu):
     * then between the locks themselves */
    uint32_t to_class = lockgraph_key_class(o->g, e->key);
    for (uint32_t i = 0; i < e->nheld; i++) {
        if (e->held[i].key == e->key) continue;
        uint32_t from = lockgraph_key_class(o->g, e->held[i].key), to = to_class;
        if (from == to) from = e->held[i].key, to = e->key;
        order_edge x = {from,      to,    e->held[i].key, e->key,         e->node,
                        e->origin, o->fn, NONE32,         e->origin_file, e->origin_line};
        if (VEC_PUSH(o->f->alloc, &o->edges, x)) o->oom = 1;
    }
}

/* "takes `B` while holding `A`", naming the function that takes B when a
 * call does. */
static void describe_edge(const order_ctx *o, const order_edge *e, char *buf, size_t size) {
    const facts *f = o->f;
    int nfrom, nto;
    const char *from = lockgraph_key_text(o->g, e->dfrom, &nfrom);
    const char *to = lockgraph_key_text(o->g, e->dto, &nto);
    if (e->at == e->origin && e->ofile == NONE32) {
        snprintf(buf, size, "takes `%.*s` while holding `%.*s`", nto, to, nfrom, from);
        return;
    }
    char call[64];
    const call_fact *c = call_of(f, e->at);
    uint32_t a = c && c->name != NONE32 ? f->nodes[e->at].first : f->nodes[e->at].first;
    snippet(f, a, f->nodes[e->at].key != NONE32 ? f->nodes[e->at].key - 1 : a, call, sizeof call);
    if (e->ofile != NONE32) {
        char where[96];
        snprintf(buf, size,
                 "takes `%.*s` (through `%s()`, which locks it at %s) while holding `%.*s`", nto,
                 to, call, lockgraph_where(o->chk, e->ofile, e->oline, where, sizeof where), nfrom,
                 from);
        return;
    }
    snprintf(buf, size,
             "takes `%.*s` (through `%s()`, which locks it at line %u) while holding `%.*s`", nto,
             to, call, (unsigned)tok_line(f, f->nodes[e->origin].first), nfrom, from);
}

/* An edge's sort keys: by its two locks, then position (order of the
 * edges in the walk among equals). */
typedef struct edge_key {
    uint32_t a, b, pos, idx;
} edge_key;

static int by_keys(const void *x, const void *y) {
    const edge_key *p = x, *q = y;
    if (p->a != q->a) return p->a < q->a ? -1 : 1;
    if (p->b != q->b) return p->b < q->b ? -1 : 1;
    if (p->pos != q->pos) return p->pos < q->pos ? -1 : 1;
    return p->idx < q->idx ? -1 : p->idx > q->idx;
}

static int by_place(const void *x, const void *y) {
    const edge_key *p = x, *q = y;
    if (p->b != q->b) return p->b < q->b ? -1 : 1;
    return p->idx < q->idx ? -1 : p->idx > q->idx;
}

/* Reports the inverted edges: in each function, the first one taken while
 * holding a given lock, naming the lines of the others taken while holding
 * it (one hub lock held while taking many others is one finding); one
 * finding per place. keys has room for twice the edges. */
static void report_inversions(goleak_check *chk, order_ctx *o, edge_key *keys) {
    const facts *f = o->f;
    for (uint32_t g0 = 0, g1; g0 < o->edges.len; g0 = g1) {
        for (g1 = g0 + 1; g1 < o->edges.len && o->edges.data[g1].fn == o->edges.data[g0].fn;) g1++;
        /* the function's inverted edges by held lock, in walk order */
        uint32_t n = 0;
        for (uint32_t i = g0; i < g1; i++) {
            const order_edge *e = &o->edges.data[i];
            if (e->partner == NONE32) continue;
            edge_key k = {e->from, 0, i, i};
            keys[n++] = k;
        }
        qsort(keys, n, sizeof *keys, by_keys);
        /* the first of each run is its finding, with its place in .b, the
         * run's start in .a and its length in .pos */
        uint32_t nrep = 0;
        for (uint32_t r0 = 0, r1; r0 < n; r0 = r1) {
            for (r1 = r0 + 1; r1 < n && keys[r1].a == keys[r0].a;) r1++;
            edge_key k = {r0, o->edges.data[keys[r0].idx].at, r1 - r0, keys[r0].idx};
            keys[n + nrep++] = k;
        }
        /* one finding per place: the first edge reported there */
        qsort(keys + n, nrep, sizeof *keys, by_place);
        for (uint32_t q = 0; q < nrep; q++) {
            edge_key rep = keys[n + q];
            if (q > 0 && keys[n + q - 1].b == rep.b) continue;
            const order_edge *ei = &o->edges.data[rep.idx];
            char more[128] = "";
            uint32_t others = 0;
            size_t m = 0;
            for (uint32_t r = rep.a + 1; r < rep.a + rep.pos; r++) {
                const order_edge *ek = &o->edges.data[keys[r].idx];
                if (ek->at == ei->at) continue;
                if (others++ < 4 && m < sizeof more)
                    m += (size_t)snprintf(more + m, sizeof more - m, "%s %u", others > 1 ? "," : "",
                                          (unsigned)tok_line(f, f->nodes[ek->at].first));
            }
            char tail_note[320] = "";
            if (others > 0) {
                int nfrom;
                const char *from = lockgraph_key_text(o->g, ei->dfrom, &nfrom);
                snprintf(tail_note, sizeof tail_note,
                         "; while holding `%.*s`, this function also takes %u other lock%s "
                         "that other paths take first (line%s%s%s)",
                         nfrom, from, (unsigned)others, others > 1 ? "s" : "",
                         others > 1 ? "s" : "", more, others > 4 ? "..." : "");
            }
            const order_edge *ej = &o->edges.data[ei->partner];
            char this_path[256], other_path[256];
            describe_edge(o, ei, this_path, sizeof this_path);
            describe_edge(o, ej, other_path, sizeof other_path);
            check_report_node(chk, ei->at,
                              "%s, but line %u %s: the two paths can deadlock; take the locks "
                              "in one order everywhere%s",
                              this_path, (unsigned)tok_line(f, f->nodes[ej->at].first), other_path,
                              tail_note);
        }
    }
}

/* The first Lock or RLock call of function fn's own statements on a chain
 * rooted at variable v (v.mu.Lock(), v.Lock()), after token `from`;
 * NONE32. *rest receives the chain after the root, as its last token. */
static uint32_t first_lock_on(const facts *f, uint32_t fn, const var_fact *v, uint32_t from) {
    FOR_KIND_IN(f, N(CALL), c, from, f->nodes[fn].last) {
        int op = lock_op(f, c);
        if ((op != OP_LOCK && op != OP_RLOCK) || enclosing_func(f, c) != fn) continue;
        const call_fact *cf = call_of(f, c);
        if (cf && resolve(f, cf->recv_first) == v) return c;
    }
    return NONE32;
}

/* Whether a condition of fn before token `before` compares variables a and
 * b by order (a.ID < b.ID): the pair is locked in a fixed order. */
static int ordered_before(const facts *f, uint32_t fn, const var_fact *a, const var_fact *b,
                          uint32_t before) {
    static const int conds[] = {N(IF), N(SWITCH)};
    for (int k = 0; k < 2; k++) {
        FOR_KIND_IN(f, conds[k], s, f->nodes[fn].first, before) {
            uint32_t c = child_by_role(f, s, k == 0 ? R(COND) : R(TAG));
            if (c == NONE32) c = child_by_role(f, s, R(INIT));
            if (c == NONE32) continue;
            int ma = 0, mb = 0, cmp = 0;
            for (uint32_t t = f->nodes[c].first; t <= f->nodes[c].last; t++) {
                const var_fact *v = f->toks[t].kind == T(IDENT) ? resolve(f, t) : NULL;
                ma |= v == a;
                mb |= v == b;
                int kd = f->toks[t].kind;
                cmp |= kd == T(LSS) || kd == T(GTR) || kd == T(LEQ) || kd == T(GEQ);
            }
            if (ma && mb && cmp) return 1;
        }
    }
    return 0;
}

/* A function that locks two values of one type of the file given to it as
 * parameters (Transfer(from, to *Account)) in the order they come, the
 * second while holding the first:
 * called with the pair the other way round, as a transfer back is, it
 * takes them in the opposite order, and the two calls wait for each other.
 * Not when the function orders the pair first (if a.ID < b.ID), takes
 * another lock before them (which serializes the pair), or read-locks
 * both. */
static void check_pair_lock(goleak_check *chk, const facts *f) {
    FOR_KIND(f, N(FUNC), fn) {
        const var_fact *vs[4];
        uint32_t n = 0;
        for (uint32_t k = 0; n < 4; k++) {
            const var_fact *p = param_at(f, fn, k);
            if (!p) break;
            vs[n++] = p;
        }
        for (uint32_t i = 0; i < n; i++) {
            for (uint32_t j = 0; j < n; j++) {
                const var_fact *a = vs[i], *b = vs[j];
                if (i == j || a->type_first == NONE32 || b->type_first == NONE32 ||
                    f->toks[a->type_first].kind != T(MUL) ||
                    !toks_same(f, a->type_first, a->type_last, b->type_first, b->type_last) ||
                    type_name_tok(f, a->type_first, a->type_last) == NONE32 ||
                    find_type(f, type_name_tok(f, a->type_first, a->type_last)) == NONE32)
                    continue;
                uint32_t la = first_lock_on(f, fn, a, f->nodes[fn].first);
                if (la == NONE32) continue;
                uint32_t lb = first_lock_on(f, fn, b, f->nodes[la].last);
                if (lb == NONE32) continue;
                const call_fact *ca = call_of(f, la), *cb = call_of(f, lb);
                /* the same lock of each (a.mu, b.mu), a's still held; two read
                 * locks do not wait for each other */
                if (!toks_same(f, ca->recv_first + 1, ca->recv_last, cb->recv_first + 1,
                               cb->recv_last) ||
                    (lock_op(f, la) == OP_RLOCK && lock_op(f, lb) == OP_RLOCK))
                    continue;
                /* another lock taken first serializes the pair (vfs.mountMu) */
                int outer = 0;
                FOR_KIND_IN(f, N(CALL), o, f->nodes[fn].first, f->nodes[la].first) {
                    int op = lock_op(f, o);
                    const call_fact *co = call_of(f, o);
                    if ((op == OP_LOCK || op == OP_RLOCK) && co && enclosing_func(f, o) == fn &&
                        resolve(f, co->recv_first) != a && resolve(f, co->recv_first) != b)
                        outer = 1;
                }
                if (outer) continue;
                int released = 0;
                FOR_KIND_IN(f, N(CALL), u, f->nodes[la].last, f->nodes[lb].first) {
                    const call_fact *cu = call_of(f, u);
                    uint32_t par = f->nodes[u].parent;
                    if (is_unlock(lock_op(f, u)) && cu &&
                        toks_same(f, cu->recv_first, cu->recv_last, ca->recv_first,
                                  ca->recv_last) &&
                        !(par != NONE32 && f->nodes[par].kind == N(DEFER)))
                        released = 1;
                }
                if (released || ordered_before(f, fn, a, b, f->nodes[la].first)) continue;
                char la_s[64], lb_s[64];
                snippet(f, ca->recv_first, ca->recv_last, la_s, sizeof la_s);
                snippet(f, cb->recv_first, cb->recv_last, lb_s, sizeof lb_s);
                check_report_node(chk, lb,
                                  "`%s` is locked while holding `%s` (line %u): two values of "
                                  "one type locked in the order they are given, so a call with "
                                  "the pair the other way round takes them in the opposite "
                                  "order, and the two calls wait for each other forever; lock "
                                  "them in a fixed order (by ID or address)",
                                  lb_s, la_s, (unsigned)tok_line(f, f->nodes[la].first));
                i = j = n; /* one finding per function */
            }
        }
    }
}

static int check_lock_order(goleak_check *chk, void *ud) {
    (void)ud;
    const facts *f = check_facts(chk);
    if (!f) return 0;
    lockgraph *g = check_lockgraph(chk);
    if (!g) return 0;
    order_ctx o = {chk, f, g, NONE32, {NULL, 0, 0}, 0};
    static const int fn_kinds[] = {N(FUNC), N(FUNCLIT)};
    if (lockgraph_has_locks(g)) {
        for (int fk = 0; fk < 2; fk++) {
            FOR_KIND(f, fn_kinds[fk], fn) {
                if (!lockgraph_walked_alone(f, fn)) continue;
                o.fn = fn;
                lockgraph_walk(g, fn, order_visit, &o);
            }
        }
    }
    /* the edges sorted by their two locks, then position: the other order's
     * earliest edge is found by a binary search */
    uint32_t ne = o.edges.len;
    edge_key *keys = ne ? gl_malloc(f->alloc, 3 * (size_t)ne * sizeof *keys) : NULL;
    if (ne && !keys) o.oom = 1;
    if (!o.oom && ne) {
        for (uint32_t i = 0; i < ne; i++) {
            const order_edge *e = &o.edges.data[i];
            edge_key k = {e->from, e->to, f->nodes[e->at].first, i};
            keys[i] = k;
        }
        qsort(keys, ne, sizeof *keys, by_keys);
        /* an edge B->A after an edge A->B at another place: the later one is
         * the finding, with the earliest such edge as its partner */
        for (uint32_t i = 0; i < ne; i++) {
            order_edge *ei = &o.edges.data[i];
            ei->partner = NONE32;
            uint32_t lo = 0, hi = ne;
            while (lo < hi) {
                uint32_t mid = lo + (hi - lo) / 2;
                const edge_key *k = &keys[mid];
                if (k->a < ei->to || (k->a == ei->to && k->b < ei->from))
                    lo = mid + 1;
                else
                    hi = mid;
            }
            uint32_t pos = f->nodes[ei->at].first;
            for (; lo < ne && keys[lo].a == ei->to && keys[lo].b == ei->from && keys[lo].pos < pos;
                 lo++) {
                if (o.edges.data[keys[lo].idx].at == ei->at) continue;
                ei->partner = keys[lo].idx;
                break;
            }
        }
        report_inversions(chk, &o, keys + ne);
    }
    if (!o.oom && lockgraph_has_locks(g)) check_pair_lock(chk, f);
    if (o.oom || lockgraph_oom(g)) chk->oom = 1;
    gl_free(f->alloc, keys);
    gl_free(f->alloc, o.edges.data);
    return 0;
}

const goleak_rule_def builtin_GL010 = {
    .version = GOLEAK_RULE_DEF_VERSION,
    .id = "GL010",
    .name = "lock-not-released",
    .severity = GOLEAK_SEVERITY_ERROR,
    .check = check_lock_not_released,
    .triggers = "Lock,RLock,Unlock,RUnlock",
};

const goleak_rule_def builtin_GL011 = {
    .version = GOLEAK_RULE_DEF_VERSION,
    .id = "GL011",
    .name = "lock-order-inversion",
    .severity = GOLEAK_SEVERITY_WARNING,
    .check = check_lock_order,
    .triggers = "Lock,RLock",
};
