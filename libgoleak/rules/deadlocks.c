/* GL019 recursive-lock, GL021 recursive-rlock and GL022
 * lock-held-across-block: a goroutine that waits for a lock it holds
 * itself, or blocks while holding a lock that the goroutine it waits for
 * must take first. */
#include "lockgraph.h"
#include "lockid.h"
#include "pkgindex.h"
#include "rules.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---- shared ---- */

/* How a held lock or a lock call is shown: the receiver as written when
 * the call is a lock call of the walked function, else the lock's key. */
static const char *lock_shown(const facts *f, lockgraph *g, uint32_t call, uint32_t key,
                              uint32_t fn, char *buf, size_t size) {
    const call_fact *c = call_of(f, call);
    if (c && c->recv_first != NONE32 && lock_op(f, call) != OP_NONE && node_within(f, call, fn))
        return snippet(f, c->recv_first, c->recv_last, buf, size);
    int n;
    const char *t = lockgraph_key_text(g, key, &n);
    snprintf(buf, size, "%.*s", n, t);
    return buf;
}

/* The text of a call's callee (s.flush of s.flush(x)), into buf. */
static const char *callee_text(const facts *f, uint32_t call, char *buf, size_t size) {
    uint32_t a = f->nodes[call].first, k = f->nodes[call].key;
    return snippet(f, a, k != NONE32 && k > a ? k - 1 : a, buf, size);
}

/* ---- GL019 and GL021 ---- */

/* A lock taken again while held: at node (the Lock call, or the call of a
 * function that takes it at origin). */
typedef struct again {
    uint32_t node, origin, pos, origin_pos;
    uint32_t key, fn;
    uint32_t ofile, oline; /* the Lock call's file when another file of the package (NONE32) */
    held_lock held;
    uint8_t depth, mode;
    uint8_t reads; /* both read locks: GL021's; else GL019's */
} again;

/* Every lock taken again in the file, found in one walk for both rules. */
typedef struct recursions {
    const goleak_allocator *alloc;
    struct {
        again *data;
        uint32_t len, cap;
    } found;
} recursions;

typedef struct recursion_ctx {
    goleak_check *chk;
    const facts *f;
    lockgraph *g;
    uint32_t fn;
    int reads; /* the rule reporting: 0 GL019, 1 GL021 */
    recursions *all;
    int oom;
} recursion_ctx;

/* Whether lock call b's statement comes right after a statement that locks
 * the same receiver (mu.RLock(); mu.RLock()): written on purpose, as tests
 * of a lock itself do, never by a slip of the logic. */
static int right_after_lock(const facts *f, uint32_t b) {
    uint32_t sb = stmt_of(f, b);
    uint32_t list = sb != NONE32 ? f->nodes[sb].parent : NONE32;
    if (list == NONE32) return 0;
    uint32_t prev = NONE32;
    for (uint32_t s = f->nodes[list].child; s != NONE32 && s != sb; s = f->nodes[s].next) prev = s;
    if (prev == NONE32 || f->nodes[prev].kind != N(EXPRSTMT)) return 0;
    uint32_t a = expr_node(f, prev);
    int op = a != NONE32 ? lock_op(f, a) : OP_NONE;
    if (op != OP_LOCK && op != OP_RLOCK) return 0;
    const call_fact *ca = call_of(f, a), *cb = call_of(f, b);
    return cb && toks_same(f, ca->recv_first, ca->recv_last, cb->recv_first, cb->recv_last);
}

static void recursion_visit(void *ud, const lg_event *e) {
    recursion_ctx *r = ud;
    const facts *f = r->f;
    if (e->kind != LG_ACQUIRE || e->guarded || !lockgraph_key_stable(r->g, e->key)) return;
    const held_lock *h = NULL;
    for (uint32_t i = 0; i < e->nheld; i++)
        if (e->held[i].key == e->key) h = &e->held[i];
    /* a child's back-pointer to the parent whose lock is held (w.hub.mu
     * while holding the hub's own mu) */
    for (uint32_t i = 0; i < e->nheld && !h && e->depth > 0; i++)
        if (lockgraph_back_pointer(r->g, e->key, e->held[i].key)) h = &e->held[i];
    if (!h) return;
    int reads = h->mode == LM_READ && e->mode == LM_READ;
    if (e->depth == 0 && right_after_lock(f, e->node)) return;
    /* a call that comes back to this function through others (getToken ->
     * rpc -> getToken) is cut by a condition the chain tests */
    if (e->depth >= 2 && e->origin_file == NONE32 && node_within(f, e->origin, r->fn)) return;
    again a = {e->node,
               e->origin,
               f->nodes[e->node].first,
               f->nodes[e->origin].first,
               e->key,
               r->fn,
               e->origin_file,
               e->origin_line,
               *h,
               e->depth,
               e->mode,
               (uint8_t)reads};
    recursions *all = r->all;
    if (all->found.len && all->found.data[all->found.len - 1].node == e->node) return;
    if (VEC_PUSH(f->alloc, &all->found, a)) r->oom = 1;
}

static int by_origin(const void *x, const void *y) {
    const again *a = x, *b = y;
    if (a->reads != b->reads) return a->reads < b->reads ? -1 : 1;
    if (a->origin_pos != b->origin_pos) return a->origin_pos < b->origin_pos ? -1 : 1;
    return a->pos < b->pos ? -1 : a->pos > b->pos;
}

/* Reports found[0], and names the n - 1 other calls that reach its Lock. */
static void report_again(recursion_ctx *r, const again *found, uint32_t n) {
    const facts *f = r->f;
    const again *a = &found[0];
    const held_lock *h = &a->held;
    char lock[64], held_at[160], first[320], name[48], call[64], others[192];
    lock_shown(f, r->g, h->origin, h->key, a->fn, lock, sizeof lock);
    unsigned held_line = tok_line(f, f->nodes[h->site].first);
    if (h->site == h->origin)
        snprintf(held_at, sizeof held_at, "line %u", held_line);
    else
        snprintf(held_at, sizeof held_at, "line %u, by `%s()`", held_line,
                 callee_text(f, h->site, call, sizeof call));
    const char *verb = a->mode == LM_READ ? "read-locks" : "locks";
    if (a->depth == 0) {
        snprintf(first, sizeof first, "`%s.%s()` %s `%s` again", lock,
                 a->mode == LM_READ ? "RLock" : "Lock", verb, lock);
    } else if (a->ofile != NONE32) {
        char where[96];
        snprintf(first, sizeof first, "`%s()` %s `%s` again (at %s)",
                 callee_text(f, a->node, call, sizeof call), verb, lock,
                 lockgraph_where(r->chk, a->ofile, a->oline, where, sizeof where));
    } else {
        char depth[32] = "";
        if (a->depth > 1) snprintf(depth, sizeof depth, ", %u calls down", (unsigned)a->depth);
        snprintf(first, sizeof first, "`%s()` %s `%s` again (line %u, in %s%s)",
                 callee_text(f, a->node, call, sizeof call), verb, lock,
                 (unsigned)tok_line(f, f->nodes[a->origin].first),
                 func_name(f, a->origin, name, sizeof name), depth);
    }
    others[0] = 0;
    if (n > 1) {
        size_t o = (size_t)snprintf(others, sizeof others, "; so do the calls at line");
        if (n > 2) o += (size_t)snprintf(others + o, sizeof others - o, "s");
        for (uint32_t i = 1; i < n && i < 5 && o < sizeof others; i++)
            o += (size_t)snprintf(others + o, sizeof others - o, "%s %u", i > 1 ? "," : "",
                                  (unsigned)tok_line(f, found[i].pos));
        if (n > 5 && o < sizeof others) snprintf(others + o, sizeof others - o, "...");
    }
    /* a deferred call runs before the deferred unlocks registered before it */
    uint32_t dp = f->nodes[a->node].parent;
    if (dp != NONE32 && f->nodes[dp].kind == N(DEFER)) {
        size_t o = strlen(others);
        snprintf(others + o, sizeof others - o,
                 " (deferred calls run last in, first out: this one runs before the deferred "
                 "unlock)");
    }
    if (r->reads)
        check_report_node(r->chk, a->node,
                          "%s while this goroutine holds a read lock of it (%s)%s: a writer "
                          "calling Lock in between waits for the first read lock and blocks "
                          "the second, forever; read-lock once, and call a variant that "
                          "expects the lock held",
                          first, held_at, others);
    else
        check_report_node(r->chk, a->node,
                          "%s while this goroutine already holds it (%s %s)%s: %s, so it waits "
                          "for itself forever; unlock first, or call a variant that expects the "
                          "lock held",
                          first, h->mode == LM_READ ? "read-locked at" : "locked at", held_at,
                          others,
                          h->mode == LM_READ   ? "Lock waits for every read lock, its own included"
                          : a->mode == LM_READ ? "RLock waits for the writer, which is itself"
                                               : "Go mutexes are not reentrant");
}

static void free_recursions(void *data) {
    recursions *all = data;
    gl_free(all->alloc, all->found.data);
    gl_free(all->alloc, all);
}

/* The locks taken again in the unit, walked once per check for both rules
 * and kept with the check; NULL when out of memory. */
static recursions *find_recursions(goleak_check *chk, const facts *f, lockgraph *g) {
    shared_slot *slot = &chk->shared[SHARED_RECURSIONS];
    if (slot->data) return slot->data;
    recursions *all = gl_calloc(f->alloc, sizeof *all);
    if (!all) return NULL;
    all->alloc = f->alloc;
    slot->data = all;
    slot->free_data = free_recursions;
    recursion_ctx r = {chk, f, g, NONE32, 0, all, 0};
    if (lockgraph_has_locks(g)) {
        static const int fn_kinds[] = {N(FUNC), N(FUNCLIT)};
        for (int fk = 0; fk < 2; fk++) {
            FOR_KIND(f, fn_kinds[fk], fn) {
                if (!lockgraph_walked_alone(f, fn)) continue;
                r.fn = fn;
                lockgraph_walk(g, fn, recursion_visit, &r);
            }
        }
    }
    /* by rule, then by the Lock the calls reach */
    if (all->found.len) qsort(all->found.data, all->found.len, sizeof *all->found.data, by_origin);
    return r.oom ? NULL : all;
}

static int check_recursion(goleak_check *chk, int reads) {
    const facts *f = check_facts(chk);
    if (!f) return 0;
    lockgraph *g = check_lockgraph(chk);
    if (!g) return 0;
    recursions *all = find_recursions(chk, f, g);
    if (!all) {
        chk->oom = 1;
        return 0;
    }
    recursion_ctx r = {chk, f, g, NONE32, reads, all, 0};
    /* calls that reach the same Lock make one finding, at the first */
    const again *a = all->found.data;
    for (uint32_t i = 0, n = all->found.len; i < n;) {
        uint32_t j = i + 1;
        if (a[i].depth > 0)
            while (j < n && a[j].reads == a[i].reads && a[j].origin == a[i].origin &&
                   a[j].depth > 0)
                j++;
        if (a[i].reads == reads) report_again(&r, &a[i], j - i);
        i = j;
    }
    if (lockgraph_oom(g)) chk->oom = 1;
    return 0;
}

static int check_recursive_lock(goleak_check *chk, void *ud) {
    (void)ud;
    return check_recursion(chk, 0);
}

static int check_recursive_rlock(goleak_check *chk, void *ud) {
    (void)ud;
    return check_recursion(chk, 1);
}

/* ---- GL022 ---- */

/* The operations that complete a blocked one, from the other side. */
enum side_op { SIDE_SEND, SIDE_RECV, SIDE_CLOSE, SIDE_DONE, SIDE_SIGNAL };

typedef struct side {
    uint32_t key;  /* the channel, WaitGroup or Cond */
    uint32_t node; /* the send, receive, close, Done or Signal */
    uint32_t fn;   /* the function walked alone that runs it */
    uint8_t op;    /* enum side_op */
} side;

/* The locks one function takes (directly or through calls), and where. */
typedef struct fn_locks {
    uint32_t fn, first, n; /* entries in takes */
    int called_in_loop;    /* a FUNC the file calls inside a loop */
} fn_locks;

typedef struct take {
    uint32_t key, at;
} take;

/* A channel made in the file: a variable's, or a field's of a type of the
 * file, with its capacity (-1: not a constant). */
typedef struct chan_made {
    uint32_t owner; /* the type's name token, or NONE32 for a variable */
    uint32_t name;  /* the field's name token; NONE32 for a variable */
    uint32_t var;   /* the variable's index, or NONE32 */
    int32_t cap;
} chan_made;

typedef struct block_ctx {
    goleak_check *chk;
    const facts *f;
    lockgraph *g;
    const typeindex *types;
    uint32_t fn;
    int ready; /* the tables below are built */
    struct {
        side *data;
        uint32_t len, cap;
    } sides; /* sorted by key */
    struct {
        chan_made *data;
        uint32_t len, cap;
    } made;
    struct {
        uint32_t *data;
        uint32_t len, cap;
    } newconds; /* sync.NewCond calls */
    struct {
        fn_locks *data;
        uint32_t len, cap;
    } fns; /* in the order computed */
    struct {
        take *data;
        uint32_t len, cap;
    } takes;
    struct {
        take *data;
        uint32_t len, cap;
    } collect;        /* the takes of the function being walked for fns */
    uint32_t *slot;   /* per FUNC, then FUNCLIT: its index in fns, NONE32 */
    uint8_t *in_loop; /* per FUNC: called in a loop */
    int oom;
} block_ctx;

/* The function walked alone that runs node n: the nearest FUNC, or
 * FUNCLIT that is not run in place. */
static uint32_t walked_fn(const facts *f, uint32_t n) {
    uint32_t fn = enclosing_func(f, n);
    while (fn != NONE32 && !lockgraph_walked_alone(f, fn)) fn = enclosing_func(f, fn);
    return fn;
}

/* The key of a channel, WaitGroup or Cond written as tokens [a, b]: only a
 * chain of names (s.ch, done), which names one object. */
/* The field method m of the file returns, when its body is only `return
 * r.f` of its receiver r: the field's name token, else NONE32. */
static uint32_t accessor_field(const facts *f, uint32_t m) {
    uint32_t body = func_body(f, m);
    const var_fact *r = receiver_var(f, m);
    uint32_t st = body != NONE32 ? f->nodes[body].child : NONE32;
    if (!r || st == NONE32 || f->nodes[st].next != NONE32 || f->nodes[st].kind != N(RETURN))
        return NONE32;
    uint32_t e = f->nodes[st].child;
    if (e == NONE32 || f->nodes[e].next != NONE32) return NONE32;
    uint32_t a = f->nodes[e].first, l = f->nodes[e].last;
    return l == a + 2 && resolve(f, a) == r && f->toks[a + 1].kind == T(PERIOD) ? l : NONE32;
}

/* The key of the channel (WaitGroup, Cond) written as tokens [a, last]: a
 * chain of names, or an accessor's call (b.Notify() returning b's field
 * notifyCh stands for b.notifyCh); NONE32 otherwise. Keys are compared by
 * class (lockgraph_key_class), so that b.notifyCh of a parameter b
 * *balancer and the same field through a method's receiver meet. */
static uint32_t object_key(block_ctx *b, uint32_t a, uint32_t last) {
    const facts *f = b->f;
    while (a < last && f->toks[a].kind == T(LPAREN) && f->toks[last].kind == T(RPAREN)) a++, last--;
    uint32_t key = NONE32;
    if (name_chain(f, a, last)) {
        key = lockgraph_key_of(b->g, a, last);
    } else if (last >= a + 4 && f->toks[last].kind == T(RPAREN) &&
               f->toks[last - 1].kind == T(LPAREN) && f->toks[last - 3].kind == T(PERIOD) &&
               name_chain(f, a, last - 2)) {
        uint32_t call = call_at(f, a, last), k = NONE32;
        if (call != NONE32) k = typeindex_callee(b->types, call);
        uint32_t m = k != NONE32 ? f->by_kind[N(FUNC)].data[k] : NONE32;
        uint32_t field = m != NONE32 ? accessor_field(f, m) : NONE32;
        if (field != NONE32) {
            char sel[66];
            sel[0] = '.';
            if (tok_text(f, field, sel + 1, sizeof sel - 1))
                key = lockgraph_key_with(b->g, a, last - 4, sel);
        }
    }
    return key != NONE32 ? lockgraph_key_class(b->g, key) : NONE32;
}

static void push_side(block_ctx *b, uint32_t key, uint32_t at, uint32_t fn, int op) {
    side s = {key, at, fn, (uint8_t)op};
    if (VEC_PUSH(b->f->alloc, &b->sides, s)) b->oom = 1;
}

/* How many calls of a function the sides of its parameters are mapped to. */
enum { MAX_PARAM_CALLERS = 8 };

static void add_side(block_ctx *b, uint32_t a, uint32_t last, uint32_t at, int op) {
    const facts *f = b->f;
    uint32_t key = object_key(b, a, last);
    uint32_t fn = walked_fn(f, at);
    if (key == NONE32 || fn == NONE32) return;
    push_side(b, key, at, fn, op);
    /* a local copy of a field (resetChan := i.resetChan), never set again:
     * the side is also the field's */
    const var_fact *al = a == last ? resolve(f, a) : NULL;
    if (al && !(al->flags & (VF_PARAM | VF_PKG)) && al->value != NONE32 &&
        !var_set_in(f, al, al->name, al->scope_end)) {
        uint32_t va = f->nodes[al->value].first, vl = f->nodes[al->value].last;
        uint32_t k = vl > va && name_chain(f, va, vl) ? object_key(b, va, vl) : NONE32;
        if (k != NONE32 && k != key) push_side(b, k, at, fn, op);
    }
    /* a parameter (wg.Done() of func serve(wg *sync.WaitGroup)): the
     * side is also that of what the function's calls pass it (go
     * r.serve(&m.wg) makes it m.wg's Done) */
    const var_fact *p = a == last ? resolve(f, a) : NULL;
    uint32_t pos = p && (p->flags & VF_PARAM) && p->func == fn && f->nodes[fn].kind == N(FUNC)
                       ? param_pos(f, fn, (uint32_t)(p - f->vars.data))
                       : NONE32;
    uint32_t name = f->nodes[fn].key, n;
    if (pos == NONE32 || name == NONE32) return;
    const uint32_t *calls = calls_named(f, name, &n);
    for (uint32_t i = 0, done = 0; i < n && done < MAX_PARAM_CALLERS; i++) {
        const call_fact *c = &f->calls.data[calls[i]];
        uint32_t arg = find_func(f, c->name) == fn ? call_arg(f, c->node, pos) : NONE32;
        if (arg == NONE32) continue;
        uint32_t xa = f->nodes[arg].first, xl = f->nodes[arg].last;
        if (f->toks[xa].kind == T(AND)) xa++;
        uint32_t k = xa <= xl ? object_key(b, xa, xl) : NONE32;
        if (k != NONE32 && k != key) push_side(b, k, at, fn, op), done++;
    }
}

static int by_key(const void *x, const void *y) {
    const side *a = x, *c = y;
    if (a->key != c->key) return a->key < c->key ? -1 : 1;
    return a->node < c->node ? -1 : a->node > c->node;
}

/* Records a make(chan T, n) assigned to a variable or a field. */
static void add_made(block_ctx *b, uint32_t call) {
    const facts *f = b->f;
    uint32_t t = call_arg(f, call, 0), capn = call_arg(f, call, 1);
    if (t == NONE32 || type_kind(f, f->nodes[t].first, f->nodes[t].last) != VK_CHAN) return;
    int32_t cap =
        capn == NONE32 ? 0 : (int32_t)const_value(f, f->nodes[capn].first, f->nodes[capn].last);
    uint32_t e = f->nodes[call].parent;
    if (e == NONE32 || f->nodes[e].kind != N(EXPR) || expr_node(f, e) != call) return;
    chan_made m = {NONE32, NONE32, NONE32, cap};
    uint32_t p = f->nodes[e].parent;
    if (f->nodes[e].role == R(RHS) && p != NONE32 && f->nodes[p].kind == N(ASSIGN)) {
        uint32_t k = 0;
        for (uint32_t c = f->nodes[p].child; c != NONE32 && c != e; c = f->nodes[c].next)
            if (f->nodes[c].role == R(RHS)) k++;
        uint32_t lhs = nth_child_by_role(f, p, R(LHS), k);
        if (lhs == NONE32) return;
        uint32_t a = f->nodes[lhs].first, l = f->nodes[lhs].last;
        if (!name_chain(f, a, l)) return;
        if (a == l) {
            const var_fact *v = resolve(f, a);
            if (!v) return;
            m.var = (uint32_t)(v - f->vars.data);
        } else {
            m.owner = typeindex_expr_type(b->types, a, l - 2).name;
            m.name = l;
            if (m.owner == NONE32) return;
        }
    } else if (f->nodes[e].role == R(VALUE) && p != NONE32 && f->nodes[p].kind == N(COMPOSITE)) {
        uint32_t key = NONE32;
        for (uint32_t c = f->nodes[p].child; c != NONE32 && c != e; c = f->nodes[c].next)
            key = f->nodes[c].role == R(KEY) ? c : NONE32;
        if (key == NONE32 || !span_is_ident(f, f->nodes[key].first, f->nodes[key].last)) return;
        uint32_t lb = f->nodes[p].key;
        m.owner = lb != NONE32 && lb > f->nodes[p].first
                      ? type_name_tok(f, f->nodes[p].first, lb - 1)
                      : NONE32;
        m.name = f->nodes[key].first;
        if (m.owner == NONE32) return;
    } else {
        return; /* var ch = make(...): the variable's facts know it */
    }
    if (VEC_PUSH(f->alloc, &b->made, m)) b->oom = 1;
}

/* Whether the channel written as tokens [a, last] is known unbuffered:
 * every make of it in the file has no capacity or capacity 0. */
static int unbuffered(block_ctx *b, uint32_t a, uint32_t last) {
    const facts *f = b->f;
    if (!name_chain(f, a, last)) return 0;
    int seen = 0;
    uint32_t owner = NONE32, var = NONE32;
    if (a == last) {
        const var_fact *v = resolve(f, a);
        if (!v) return 0;
        if (v->flags & VF_MADE) {
            if (v->chan_cap != 0) return 0;
            seen = 1;
        }
        var = (uint32_t)(v - f->vars.data);
    } else {
        owner = typeindex_expr_type(b->types, a, last - 2).name;
        if (owner == NONE32) return 0;
    }
    for (uint32_t i = 0; i < b->made.len; i++) {
        const chan_made *m = &b->made.data[i];
        int same = var != NONE32 ? m->var == var
                                 : m->owner != NONE32 && tok_same(f, m->owner, owner) &&
                                       tok_same(f, m->name, last);
        if (!same) continue;
        if (m->cap != 0) return 0;
        seen = 1;
    }
    return seen;
}

/* The channel operand of a receive node (tokens after the arrow). */
static void recv_operand(const facts *f, uint32_t recv, uint32_t *a, uint32_t *last) {
    *a = f->nodes[recv].first + 1;
    *last = f->nodes[recv].last;
}

/* Collects the other sides of every blocking operation of the file. */
static void build_sides(block_ctx *b) {
    const facts *f = b->f;
    b->ready = 1;
    FOR_KIND(f, N(SEND), s) {
        uint32_t ch = child_by_role(f, s, R(CHAN));
        if (ch != NONE32) add_side(b, f->nodes[ch].first, f->nodes[ch].last, s, SIDE_SEND);
    }
    FOR_KIND(f, N(RECV), r) {
        uint32_t a, l;
        recv_operand(f, r, &a, &l);
        add_side(b, a, l, r, SIDE_RECV);
    }
    FOR_KIND(f, N(RANGE), r) {
        uint32_t x = child_by_role(f, r, R(X));
        if (x != NONE32) add_side(b, f->nodes[x].first, f->nodes[x].last, r, SIDE_RECV);
    }
    FOR_KIND(f, N(CALL), call) {
        const call_fact *c = call_of(f, call);
        if (!c || c->name == NONE32) continue;
        if (call_is_func(f, c, "close")) {
            uint32_t arg = call_arg(f, call, 0);
            if (arg != NONE32)
                add_side(b, f->nodes[arg].first, f->nodes[arg].last, call, SIDE_CLOSE);
        } else if (call_is_func(f, c, "make")) {
            add_made(b, call);
        } else if (call_is_pkg(f, c, PKG_SYNC, "NewCond")) {
            if (VEC_PUSH(f->alloc, &b->newconds, call)) b->oom = 1;
        } else if (c->recv_first != NONE32 && c->nargs == 0) {
            if (tok_is(f, c->name, "Done"))
                add_side(b, c->recv_first, c->recv_last, call, SIDE_DONE);
            else if (tok_is(f, c->name, "Signal") || tok_is(f, c->name, "Broadcast"))
                add_side(b, c->recv_first, c->recv_last, call, SIDE_SIGNAL);
        }
    }
    if (b->sides.len) qsort(b->sides.data, b->sides.len, sizeof *b->sides.data, by_key);
}

static void collect_takes(void *ud, const lg_event *e) {
    block_ctx *b = ud;
    if (e->kind != LG_ACQUIRE || e->guarded) return;
    take t = {e->key, e->node};
    if (VEC_PUSH(b->f->alloc, &b->collect, t)) b->oom = 1;
}

/* The locks function fn takes, computed once. */
/* The FUNCs of the file that the file calls inside a loop, found in one
 * pass over the calls (one flag per FUNC). 0, or -1 when out of memory. */
static int find_called_in_loops(block_ctx *b) {
    const facts *f = b->f;
    b->in_loop = gl_calloc(f->alloc, (size_t)f->by_kind[N(FUNC)].len + 1);
    if (!b->in_loop) return -1;
    FOR_KIND(f, N(CALL), call) {
        if (loop_around(f, call) == NONE32) continue;
        uint32_t k = typeindex_callee(b->types, call);
        if (k != NONE32) b->in_loop[k] = 1;
    }
    return 0;
}

/* The locks function fn takes, computed once (an index per function). */
static const fn_locks *locks_of(block_ctx *b, uint32_t fn) {
    const facts *f = b->f;
    uint32_t nfunc = f->by_kind[N(FUNC)].len;
    if (b->oom) return NULL; /* the check fails; the index may be incomplete */
    if (!b->slot) {
        size_t n = (size_t)nfunc + f->by_kind[N(FUNCLIT)].len;
        b->slot = gl_malloc(f->alloc, (n + 1) * sizeof *b->slot);
        /* filled before anything can fail: a later call finds it valid */
        if (b->slot) memset(b->slot, 0xff, (n + 1) * sizeof *b->slot);
        if (!b->slot || find_called_in_loops(b)) {
            b->oom = 1;
            return NULL;
        }
    }
    int lit = f->nodes[fn].kind == N(FUNCLIT);
    uint32_t k = kind_lower_bound(f, lit ? N(FUNCLIT) : N(FUNC), f->nodes[fn].first);
    uint32_t *slot = &b->slot[lit ? nfunc + k : k];
    if (*slot != NONE32) return &b->fns.data[*slot];
    b->collect.len = 0;
    lockgraph_walk(b->g, fn, collect_takes, b);
    fn_locks l = {fn, b->takes.len, 0, !lit && b->in_loop[k]};
    for (uint32_t i = 0; i < b->collect.len; i++)
        if (VEC_PUSH(b->f->alloc, &b->takes, b->collect.data[i])) b->oom = 1;
    l.n = b->takes.len - l.first;
    if (VEC_PUSH(b->f->alloc, &b->fns, l)) {
        b->oom = 1;
        return NULL;
    }
    *slot = b->fns.len - 1;
    return &b->fns.data[*slot];
}

/* Where the function of operation s takes lock key before it can do s
 * (again): earlier in the function, or anywhere for a deferred s, or in a
 * loop around s (on a lock made before the loop), or anywhere when the
 * file calls the function in a loop. NONE32 when it does not. */
static uint32_t takes_before(block_ctx *b, const side *s, uint32_t key) {
    const facts *f = b->f;
    const fn_locks *l = locks_of(b, s->fn);
    if (!l) return NONE32;
    uint32_t pos = f->nodes[s->node].first, parent = f->nodes[s->node].parent;
    int deferred = parent != NONE32 && f->nodes[parent].kind == N(DEFER);
    uint32_t var = lockgraph_key_var(b->g, key), any = NONE32;
    for (uint32_t i = 0; i < l->n; i++) {
        const take *t = &b->takes.data[l->first + i];
        if (t->key != key && lockgraph_key_class(b->g, t->key) != lockgraph_key_class(b->g, key))
            continue;
        if (any == NONE32) any = t->at;
        if (deferred || f->nodes[t->at].first < pos) return t->at;
        /* for v := range ch { ...lock... }: taken before each next receive */
        if (f->nodes[s->node].kind == N(RANGE) && node_within(f, t->at, s->node)) return t->at;
        for (uint32_t lp = loop_around(f, s->node); lp != NONE32; lp = loop_around(f, lp)) {
            uint32_t decl = var != NONE32 ? f->vars.data[var].name : NONE32;
            if (decl != NONE32 && decl >= f->nodes[lp].first && decl <= f->nodes[lp].last) break;
            if (node_within(f, t->at, lp)) return t->at;
        }
    }
    return l->called_in_loop ? any : NONE32;
}

/* The other side of a blocked operation on key: one of its operations of
 * kind ops (a bit set of side_op), in another function, and where that
 * function takes lock. NONE32 unless every such operation of the file is
 * in a function that takes the lock (and there is one). */
static uint32_t other_side(block_ctx *b, uint32_t key, unsigned ops, uint32_t lock,
                           uint32_t *takes) {
    uint32_t lo = 0, hi = b->sides.len;
    while (lo < hi) {
        uint32_t mid = lo + (hi - lo) / 2;
        if (b->sides.data[mid].key < key)
            lo = mid + 1;
        else
            hi = mid;
    }
    uint32_t found = NONE32;
    for (uint32_t i = lo; i < b->sides.len && b->sides.data[i].key == key; i++) {
        const side *s = &b->sides.data[i];
        if (!((ops >> s->op) & 1u) || s->fn == b->fn) continue;
        uint32_t at = takes_before(b, s, lock);
        if (at == NONE32) return NONE32;
        if (found == NONE32) {
            found = s->node;
            *takes = at;
        }
    }
    return found;
}

/* The channel a select case waits on, and which other side completes it. */
static int comm_wait(const facts *f, uint32_t comm, uint32_t *a, uint32_t *last, unsigned *ops) {
    if (f->nodes[comm].kind == N(SEND)) {
        uint32_t ch = child_by_role(f, comm, R(CHAN));
        if (ch == NONE32) return 0;
        *a = f->nodes[ch].first;
        *last = f->nodes[ch].last;
        *ops = 1u << SIDE_RECV;
        return 1;
    }
    FOR_KIND_IN(f, N(RECV), r, f->nodes[comm].first, f->nodes[comm].last) {
        recv_operand(f, r, a, last);
        *ops = 1u << SIDE_SEND | 1u << SIDE_CLOSE;
        return 1;
    }
    return 0;
}

/* Whether held lock key is the Locker of the Cond written as tokens [a,
 * last] (which its Wait releases): 1 yes, 0 no, -1 unknown. The Locker
 * comes from sync.NewCond(&x.mu) stored in the same variable or in a field
 * of the same name (x.cond = sync.NewCond(&x.mu) makes s.cond's Locker
 * s.mu), or is the Cond's L. */
static int cond_own_lock(block_ctx *b, uint32_t a, uint32_t last, uint32_t key) {
    const facts *f = b->f;
    /* copies: interning more keys may move the key texts */
    char kt[160];
    int nk, nc;
    const char *t = lockgraph_key_text(b->g, key, &nk);
    nk = snprintf(kt, sizeof kt, "%.*s", nk, t);
    uint32_t cond = lockgraph_key_of(b->g, a, last);
    if (cond == NONE32) return -1;
    const char *ct = lockgraph_key_text(b->g, cond, &nc);
    if (nk == nc + 2 && memcmp(kt, ct, (size_t)nc) == 0 && memcmp(kt + nc, ".L", 2) == 0) return 1;
    const var_fact *v = a == last ? resolve(f, a) : NULL;
    int known = -1;
    for (uint32_t i = 0; i < b->newconds.len; i++) {
        uint32_t call = b->newconds.data[i];
        uint32_t arg = call_arg(f, call, 0), e = f->nodes[call].parent;
        if (arg == NONE32 || e == NONE32) continue;
        uint32_t xa = f->nodes[arg].first, xl = f->nodes[arg].last;
        if (f->toks[xa].kind == T(AND)) xa++;
        /* what the NewCond is stored in: a variable, or x.field */
        uint32_t ta = NONE32, tl = NONE32;
        uint32_t p = f->nodes[e].parent;
        if (f->nodes[e].role == R(RHS) && p != NONE32) {
            uint32_t lhs = nth_child_by_role(f, p, R(LHS), 0);
            if (lhs != NONE32) ta = f->nodes[lhs].first, tl = f->nodes[lhs].last;
        } else if (f->nodes[e].role == R(VALUE) && p != NONE32 && f->nodes[p].kind == N(SPEC)) {
            ta = tl = f->nodes[p].key;
        }
        if (ta == NONE32 || !name_chain(f, ta, tl)) continue;
        if (v) {
            if (ta != tl || resolve(f, ta) != v) continue;
            known = 0;
            if (lockgraph_key_of(b->g, xa, xl) == key) return 1;
            continue;
        }
        if (a == last || ta == tl || !tok_same(f, tl, last)) continue;
        known = 0;
        /* x.cond = sync.NewCond(&x.mu): the lock is the same object's .mu */
        uint32_t za = ta, zl = tl - 2;
        if (xl > xa + (zl - za) && toks_same(f, za, zl, xa, xa + (zl - za)) &&
            f->toks[xa + (zl - za) + 1].kind == T(PERIOD)) {
            int no;
            uint32_t owner = lockgraph_key_of(b->g, a, last - 2);
            if (owner == NONE32) continue;
            const char *ot = lockgraph_key_text(b->g, owner, &no);
            char want[160];
            char rest[96];
            snippet(f, xa + (zl - za) + 1, xl, rest, sizeof rest);
            int nw = snprintf(want, sizeof want, "%.*s%s", no, ot, rest);
            if (nw == nk && memcmp(want, kt, (size_t)nk) == 0) return 1;
        } else if (xl == xa + (zl - za) && toks_same(f, za, zl, xa, xl)) {
            /* x.cond = sync.NewCond(x): the object is its own Locker (an
             * embedded Mutex), x.Lock() the Cond's lock */
            if (lockgraph_key_of(b->g, a, last - 2) == key) return 1;
        } else if (lockgraph_key_of(b->g, xa, xl) == key) {
            return 1;
        }
    }
    return known;
}

static void report_block(block_ctx *b, uint32_t at, const char *what, const held_lock *h,
                         uint32_t other, uint32_t takes, const char *needs) {
    const facts *f = b->f;
    char lock[64], op[64], name[48], call[64];
    lock_shown(f, b->g, h->origin, h->key, b->fn, lock, sizeof lock);
    node_snippet(f, at, op, sizeof op);
    char held_at[96];
    if (h->site == h->origin)
        snprintf(held_at, sizeof held_at, "line %u",
                 (unsigned)tok_line(f, f->nodes[h->site].first));
    else
        snprintf(held_at, sizeof held_at, "line %u, by `%s()`",
                 (unsigned)tok_line(f, f->nodes[h->site].first),
                 callee_text(f, h->site, call, sizeof call));
    check_report_node(b->chk, at,
                      "`%s` %s while holding `%s` (locked at %s), but %s%sline %u, in %s%s "
                      "takes `%s` too (line %u): while one side holds the lock the other "
                      "waits for it, and neither goes on; release the lock before %s",
                      op, what, lock, held_at, needs, strchr(needs, '(') ? ": " : " (",
                      (unsigned)tok_line(f, f->nodes[other].first),
                      func_name(f, other, name, sizeof name), ")", lock,
                      (unsigned)tok_line(f, f->nodes[takes].first),
                      strcmp(what, "waits") == 0 ? "waiting" : "blocking");
}

/* Whether an if or for around node n (in its function) tests len(ch) or
 * cap(ch) of the channel written as tokens [a, last]: the operation runs
 * only when it cannot block (a buffered channel used as a queue under the
 * lock). */
static int len_guarded(const facts *f, uint32_t n, uint32_t a, uint32_t last) {
    for (uint32_t p = f->nodes[n].parent; p != NONE32; p = f->nodes[p].parent) {
        int k = f->nodes[p].kind;
        if (k == N(FUNC) || k == N(FUNCLIT)) return 0;
        if (k != N(IF) && k != N(FOR)) continue;
        uint32_t cond = child_by_role(f, p, R(COND));
        if (cond == NONE32) continue;
        uint32_t w = last - a;
        for (uint32_t i = f->nodes[cond].first; i + w + 2 <= f->nodes[cond].last; i++) {
            if ((tok_is(f, i, "len") || tok_is(f, i, "cap")) && f->toks[i + 1].kind == T(LPAREN) &&
                toks_same(f, i + 2, i + 2 + w, a, last) && f->toks[i + 3 + w].kind == T(RPAREN))
                return 1;
        }
    }
    return 0;
}

/* The statement of function fn that removes an element from the
 * collection written as tokens [xa, xl] (compared after its root):
 * delete(l.subs, k), or l.subs = anything but append(l.subs, ...): a
 * reslice (l.subs = l.subs[:last], append(l.subs[:i], l.subs[i+1:]...)).
 * NONE32 when there is none. */
static uint32_t removes_from(const facts *f, uint32_t fn, uint32_t xa, uint32_t xl) {
    uint32_t w = xl - xa;
    FOR_KIND_IN(f, N(CALL), c, f->nodes[fn].first, f->nodes[fn].last) {
        const call_fact *cf = call_of(f, c);
        uint32_t arg = cf && call_is_func(f, cf, "delete") ? call_arg(f, c, 0) : NONE32;
        if (arg != NONE32 && f->nodes[arg].last - f->nodes[arg].first == w &&
            toks_same(f, f->nodes[arg].first + 1, f->nodes[arg].last, xa + 1, xl))
            return stmt_of(f, c);
    }
    FOR_KIND_IN(f, N(ASSIGN), as, f->nodes[fn].first, f->nodes[fn].last) {
        uint32_t lhs = nth_child_by_role(f, as, R(LHS), 0);
        uint32_t rhs = nth_child_by_role(f, as, R(RHS), 0);
        if (lhs == NONE32 || rhs == NONE32 || f->nodes[lhs].last - f->nodes[lhs].first != w ||
            !toks_same(f, f->nodes[lhs].first + 1, f->nodes[lhs].last, xa + 1, xl))
            continue;
        /* append(l.subs, s) adds; append(l.subs[:i], l.subs[i+1:]...) removes */
        uint32_t r = f->nodes[rhs].first;
        int adds = tok_is(f, r, "append") && f->toks[r + 1].kind == T(LPAREN) &&
                   r + 3 + w <= f->nodes[rhs].last && toks_same(f, r + 3, r + 2 + w, xa + 1, xl) &&
                   f->toks[r + 3 + w].kind == T(COMMA);
        if (!adds) return as;
    }
    return NONE32;
}

/* A send on a buffered channel of each element of a collection, under a
 * lock (for _, s := range l.subs { s.events <- e }), outside any select:
 * once one subscriber stops reading and its buffer fills, the send blocks
 * with the lock held. Reported when another function of the file takes
 * that lock and changes the collection (the Unsubscribe that would remove
 * the stalled subscriber waits for the lock forever). */
static void check_fanout_send(block_ctx *b, uint32_t n, const lg_event *e) {
    const facts *f = b->f;
    uint32_t ch = child_by_role(f, n, R(CHAN));
    if (ch == NONE32 || f->nodes[n].role == R(COMM)) return;
    uint32_t a = f->nodes[ch].first, last = f->nodes[ch].last;
    /* s.events of each subscriber s, or each channel ch itself */
    if ((last != a + 2 && last != a) || !name_chain(f, a, last)) return;
    const var_fact *v = resolve(f, a);
    uint32_t rg = v ? v->decl : NONE32;
    if (!v || rg == NONE32 || f->nodes[rg].kind != N(RANGE) || !node_within(f, n, rg)) return;
    uint32_t x = child_by_role(f, rg, R(X));
    uint32_t xa = x != NONE32 ? f->nodes[x].first : NONE32, xl = x != NONE32 ? f->nodes[x].last : 0;
    if (x == NONE32 || xl < xa + 2 || !name_chain(f, xa, xl)) return;
    /* each element gets its one send: removed from the collection, or its
     * channel closed, in the same round (delete(t.pending, id); j.done <- r) */
    FOR_KIND_IN(f, N(CALL), c, f->nodes[rg].first, f->nodes[rg].last) {
        const call_fact *cf = call_of(f, c);
        uint32_t arg = cf && (call_is_func(f, cf, "delete") || call_is_func(f, cf, "close"))
                           ? call_arg(f, c, 0)
                           : NONE32;
        if (arg == NONE32) continue;
        uint32_t ga = f->nodes[arg].first, gl = f->nodes[arg].last;
        if ((gl - ga == xl - xa && toks_same(f, ga, gl, xa, xl)) ||
            (gl - ga == last - a && toks_same(f, ga, gl, a, last)))
            return;
    }
    /* select { case <-c: default: }; c <- v: drained first, the send has room */
    FOR_KIND_IN(f, N(RECV), r, f->nodes[rg].first, f->nodes[n].first) {
        if (f->nodes[r].last - f->nodes[r].first == last - a + 1 &&
            toks_same(f, f->nodes[r].first + 1, f->nodes[r].last, a, last))
            return;
    }
    for (uint32_t i = 0; i < e->nheld; i++) {
        const held_lock *h = &e->held[i];
        /* another function that takes the lock and changes the collection */
        FOR_KIND(f, N(FUNC), fn) {
            if (fn == b->fn || node_within(f, n, fn)) continue;
            const fn_locks *l = locks_of(b, fn);
            if (!l) return;
            uint32_t takes = NONE32;
            for (uint32_t k = 0; k < l->n && takes == NONE32; k++) {
                const take *t = &b->takes.data[l->first + k];
                if (t->key == h->key ||
                    lockgraph_key_class(b->g, t->key) == lockgraph_key_class(b->g, h->key))
                    takes = t->at;
            }
            if (takes == NONE32) continue;
            uint32_t changes = removes_from(f, fn, xa, xl);
            if (changes == NONE32) continue;
            char lock[64], op[64], coll[64], name[48];
            lock_shown(f, b->g, h->origin, h->key, b->fn, lock, sizeof lock);
            node_snippet(f, n, op, sizeof op);
            snippet(f, xa, xl, coll, sizeof coll);
            check_report_node(b->chk, n,
                              "`%s` sends to each element of `%s` while holding `%s` (locked at "
                              "line %u), and blocks once one of them stops reading and its "
                              "buffer fills; %s (line %u), which would remove it, takes `%s` too "
                              "(line %u): both wait forever; send with select and a default (or "
                              "a timeout), or send after unlocking",
                              op, coll, lock, (unsigned)tok_line(f, f->nodes[h->origin].first),
                              func_name(f, changes, name, sizeof name),
                              (unsigned)tok_line(f, f->nodes[changes].first), lock,
                              (unsigned)tok_line(f, f->nodes[takes].first));
            return;
        }
    }
}

/* The key of what a wrapper method blocks on, tokens [ia, ib] through its
 * receiver (p.wg, e.ch), as reached by call c (s.pool.StopAndWait():
 * s.pool.wg), by its class. */
static uint32_t wrapped_key(block_ctx *b, const call_fact *c, uint32_t ia, uint32_t ib) {
    char sel[96];
    snippet(b->f, ia + 1, ib, sel, sizeof sel);
    uint32_t key = lockgraph_key_with(b->g, c->recv_first, c->recv_last, sel);
    return key != NONE32 ? lockgraph_key_class(b->g, key) : NONE32;
}

static void block_visit(void *ud, const lg_event *e) {
    block_ctx *b = ud;
    const facts *f = b->f;
    if (e->kind != LG_BLOCK || e->nheld == 0) return;
    if (!b->ready) build_sides(b);
    uint32_t n = e->node, a, last, other = NONE32, takes = NONE32;
    unsigned ops = 0;
    const char *what = "blocks", *needs = "";
    uint32_t keys[16], nkeys = 0;
    unsigned kops[16];
    switch (f->nodes[n].kind) {
    case N(SEND): {
        uint32_t ch = child_by_role(f, n, R(CHAN));
        if (ch == NONE32 || len_guarded(f, n, f->nodes[ch].first, f->nodes[ch].last)) return;
        if (!unbuffered(b, f->nodes[ch].first, f->nodes[ch].last)) {
            check_fanout_send(b, n, e);
            return;
        }
        keys[0] = object_key(b, f->nodes[ch].first, f->nodes[ch].last);
        kops[nkeys++] = 1u << SIDE_RECV;
        what = "blocks until a receiver takes the value";
        needs = "the receiver";
        break;
    }
    case N(RECV):
        recv_operand(f, n, &a, &last);
        if (len_guarded(f, n, a, last)) return;
        keys[0] = object_key(b, a, last);
        kops[nkeys++] = 1u << SIDE_SEND | 1u << SIDE_CLOSE;
        what = "waits for a value";
        needs = "the goroutine that sends or closes";
        break;
    case N(RANGE): {
        uint32_t x = child_by_role(f, n, R(X));
        if (x == NONE32) return;
        keys[0] = object_key(b, f->nodes[x].first, f->nodes[x].last);
        kops[nkeys++] = 1u << SIDE_SEND | 1u << SIDE_CLOSE;
        what = "waits for values";
        needs = "the goroutine that sends or closes";
        break;
    }
    case N(SELECT):
        /* every case must wait on another side that needs the lock */
        for (uint32_t c = f->nodes[n].child; c != NONE32 && nkeys < 16; c = f->nodes[c].next) {
            if (f->nodes[c].kind != N(COMM)) continue;
            uint32_t comm = child_by_role(f, c, R(COMM));
            if (comm == NONE32 || !comm_wait(f, comm, &a, &last, &ops)) return;
            if (f->nodes[comm].kind == N(SEND) && !unbuffered(b, a, last)) return;
            keys[nkeys] = object_key(b, a, last);
            kops[nkeys++] = ops;
        }
        what = "waits";
        needs = "the other side of every case (the first";
        break;
    case N(CALL): {
        const call_fact *c = call_of(f, n);
        int kind;
        uint32_t k = !tok_is(f, c->name, "Wait") ? typeindex_callee(b->types, n) : NONE32;
        uint32_t inner =
            k != NONE32 ? lockgraph_block_wrapper(f, f->by_kind[N(FUNC)].data[k]) : NONE32;
        if (inner != NONE32 && f->nodes[inner].kind == N(SEND)) {
            /* s.events.Emit(v) sending on e.ch: a send on s.events.ch */
            uint32_t ch = child_by_role(f, inner, R(CHAN));
            a = f->nodes[ch].first, last = f->nodes[ch].last;
            if (!unbuffered(b, a, last)) return;
            keys[0] = wrapped_key(b, c, a, last);
            kops[nkeys++] = 1u << SIDE_RECV;
            what = "blocks until a receiver takes the value it sends";
            needs = "the receiver";
            break;
        }
        if (inner != NONE32) {
            /* s.pool.StopAndWait() waiting on p.wg: s.pool.wg, by its class */
            const call_fact *ic = call_of(f, inner);
            kind = typeindex_expr_type(b->types, ic->recv_first, ic->recv_last).sync;
            keys[0] = wrapped_key(b, c, ic->recv_first, ic->recv_last);
        } else {
            kind = typeindex_expr_type(b->types, c->recv_first, c->recv_last).sync;
            keys[0] = object_key(b, c->recv_first, c->recv_last);
        }
        if (kind == SK_WAITGROUP || kind == SK_NONE) {
            kops[nkeys++] = 1u << SIDE_DONE;
            what = "waits";
            needs = "the goroutine that calls Done";
        } else if (kind == SK_COND) {
            kops[nkeys++] = 1u << SIDE_SIGNAL;
            what = "waits";
            needs = "the goroutine that signals";
        } else {
            return;
        }
        break;
    }
    default: return;
    }
    if (nkeys == 0) return;
    for (uint32_t k = 0; k < nkeys; k++)
        if (keys[k] == NONE32) return;
    for (uint32_t i = 0; i < e->nheld; i++) {
        const held_lock *h = &e->held[i];
        if (f->nodes[n].kind == N(CALL) && kops[0] == 1u << SIDE_SIGNAL) {
            const call_fact *c = call_of(f, n);
            /* the Cond's own lock, which Wait releases, or one not known */
            if (cond_own_lock(b, c->recv_first, c->recv_last, h->key) != 0) continue;
        }
        uint32_t first_other = NONE32, first_takes = NONE32;
        uint32_t k = 0;
        for (; k < nkeys; k++) {
            other = other_side(b, keys[k], kops[k], h->key, &takes);
            if (other == NONE32) break;
            if (first_other == NONE32) first_other = other, first_takes = takes;
        }
        if (k < nkeys) continue;
        report_block(b, n, what, h, first_other, first_takes, needs);
        return;
    }
}

static int check_lock_held_across_block(goleak_check *chk, void *ud) {
    (void)ud;
    const facts *f = check_facts(chk);
    if (!f) return 0;
    lockgraph *g = check_lockgraph(chk);
    if (!g) return 0;
    block_ctx b;
    memset(&b, 0, sizeof b);
    b.chk = chk;
    b.f = f;
    b.g = g;
    b.types = lockgraph_types(g);
    if (lockgraph_has_locks(g)) {
        static const int fn_kinds[] = {N(FUNC), N(FUNCLIT)};
        for (int fk = 0; fk < 2; fk++) {
            FOR_KIND(f, fn_kinds[fk], fn) {
                if (!lockgraph_walked_alone(f, fn)) continue;
                b.fn = fn;
                lockgraph_walk(g, fn, block_visit, &b);
            }
        }
    }
    if (b.oom || lockgraph_oom(g)) chk->oom = 1;
    gl_free(f->alloc, b.sides.data);
    gl_free(f->alloc, b.made.data);
    gl_free(f->alloc, b.newconds.data);
    gl_free(f->alloc, b.fns.data);
    gl_free(f->alloc, b.takes.data);
    gl_free(f->alloc, b.collect.data);
    gl_free(f->alloc, b.slot);
    gl_free(f->alloc, b.in_loop);
    return 0;
}

const goleak_rule_def builtin_GL019 = {
    .version = GOLEAK_RULE_DEF_VERSION,
    .id = "GL019",
    .name = "recursive-lock",
    .severity = GOLEAK_SEVERITY_ERROR,
    .check = check_recursive_lock,
    .triggers = "Lock,RLock",
};

const goleak_rule_def builtin_GL021 = {
    .version = GOLEAK_RULE_DEF_VERSION,
    .id = "GL021",
    .name = "recursive-rlock",
    .severity = GOLEAK_SEVERITY_WARNING,
    .check = check_recursive_rlock,
    .triggers = "RLock",
};

const goleak_rule_def builtin_GL022 = {
    .version = GOLEAK_RULE_DEF_VERSION,
    .id = "GL022",
    .name = "lock-held-across-block",
    .severity = GOLEAK_SEVERITY_WARNING,
    .check = check_lock_held_across_block,
    .triggers = "Lock,RLock",
};
