/* GL019 recursive-lock, GL021 recursive-rlock and GL022
 * lock-held-across-block: a goroutine that waits for a lock it holds
 * itself, or blocks while holding a lock that the goroutine it waits for
 * must take first. */
#include "lockgraph.h"
#include "lockid.h"
#include "rules.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---- shared ---- */

/* The name of the function around node n, into buf ("?" for a literal). */
static const char *func_name(const facts *f, uint32_t n, char *buf, size_t size) {
    uint32_t fn = enclosing_func(f, n);
    while (fn != NONE32 && f->nodes[fn].kind == N(FUNCLIT)) fn = enclosing_func(f, fn);
    if (fn == NONE32 || f->nodes[fn].key == NONE32) return snprintf(buf, size, "?"), buf;
    return snippet(f, f->nodes[fn].key, f->nodes[fn].key, buf, size);
}

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
    held_lock held;
    uint8_t depth, mode;
} again;

typedef struct recursion_ctx {
    goleak_check *chk;
    const facts *f;
    lockgraph *g;
    uint32_t fn;
    int reads; /* 0: GL019 (a write side involved), 1: GL021 (read after read) */
    struct {
        again *data;
        uint32_t len, cap;
    } found;
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
    if (!h) return;
    int reads = h->mode == LM_READ && e->mode == LM_READ;
    if (reads != r->reads) return;
    if (e->depth == 0 && right_after_lock(f, e->node)) return;
    /* a call that comes back to this function through others (getToken ->
     * rpc -> getToken) is cut by a condition the chain tests */
    if (e->depth >= 2 && node_within(f, e->origin, r->fn)) return;
    again a = {
        e->node,  e->origin, f->nodes[e->node].first, f->nodes[e->origin].first, e->key, r->fn, *h,
        e->depth, e->mode};
    if (r->found.len && r->found.data[r->found.len - 1].node == e->node) return;
    if (VEC_PUSH(f->alloc, &r->found, a)) r->oom = 1;
}

static int by_origin(const void *x, const void *y) {
    const again *a = x, *b = y;
    if (a->origin_pos != b->origin_pos) return a->origin_pos < b->origin_pos ? -1 : 1;
    return a->pos < b->pos ? -1 : a->pos > b->pos;
}

/* Reports found[0], and names the n - 1 other calls that reach its Lock. */
static void report_again(recursion_ctx *r, const again *found, uint32_t n) {
    const facts *f = r->f;
    const again *a = &found[0];
    const held_lock *h = &a->held;
    char lock[64], held_at[160], first[320], name[48], call[64], others[96];
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

static int check_recursion(goleak_check *chk, int reads) {
    const facts *f = check_facts(chk);
    if (!f) return 0;
    lockgraph *g = lockgraph_build(f);
    if (!g) {
        chk->oom = 1;
        return 0;
    }
    recursion_ctx r = {chk, f, g, NONE32, reads, {NULL, 0, 0}, 0};
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
    /* calls that reach the same Lock make one finding, at the first */
    if (r.found.len) qsort(r.found.data, r.found.len, sizeof *r.found.data, by_origin);
    for (uint32_t i = 0; i < r.found.len;) {
        uint32_t j = i + 1;
        if (r.found.data[i].depth > 0)
            while (j < r.found.len && r.found.data[j].origin == r.found.data[i].origin &&
                   r.found.data[j].depth > 0)
                j++;
        report_again(&r, &r.found.data[i], j - i);
        i = j;
    }
    if (r.oom || lockgraph_oom(g)) chk->oom = 1;
    gl_free(f->alloc, r.found.data);
    lockgraph_free(g);
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

const builtin_rule rule_gl019 = {
    "GL019",
    "recursive-lock",
    GOLEAK_SEVERITY_ERROR,
    "a mutex locked again by the goroutine that holds it",
    "Go's sync.Mutex and sync.RWMutex are not reentrant: a goroutine that\n"
    "calls Lock on a mutex it already holds waits for itself forever, and so\n"
    "does every goroutine that needs the mutex after it. The second Lock is\n"
    "rarely written twice in one function: it hides in a method that locks\n"
    "and calls another method of the same object that locks too, or in an\n"
    "RLock taken to read, followed by a call that takes the write lock to\n"
    "update.\n"
    "\n"
    "Leaking:\n"
    "\n"
    "    func (c *Cache) Put(k string, v []byte) {\n"
    "        c.mu.Lock()\n"
    "        defer c.mu.Unlock()\n"
    "        c.items[k] = v\n"
    "        if len(c.items) > c.max {\n"
    "            c.Evict(1) // Evict locks c.mu too: Put never returns\n"
    "        }\n"
    "    }\n"
    "    func (c *Cache) Evict(n int) {\n"
    "        c.mu.Lock()\n"
    "        defer c.mu.Unlock()\n"
    "        ...\n"
    "    }\n"
    "\n"
    "Fixed: split the method in a locking wrapper and a variant that expects\n"
    "the lock held, and call that one:\n"
    "\n"
    "    func (c *Cache) Evict(n int) {\n"
    "        c.mu.Lock()\n"
    "        defer c.mu.Unlock()\n"
    "        c.evictLocked(n)\n"
    "    }\n"
    "\n"
    "Heuristic: each function is walked in order with the set of locks held\n"
    "on every path to each point (a lock released on one branch is not held\n"
    "after it; a deferred unlock holds until the return). A Lock or RLock of\n"
    "a held lock, where one of the two is a write lock, is reported; so is a\n"
    "call of a function or method of the same file that takes it, followed up\n"
    "to four calls deep. Locks are named by their expression, through the\n"
    "receiver and fields: the callee's receiver becomes the caller's receiver\n"
    "expression (s.helper() takes s.mu, other.helper() takes other.mu) and a\n"
    "parameter the argument. Not reported: a function whose first operation\n"
    "on the lock is an unlock (it expects the lock held, as a ...Locked\n"
    "helper or a wait that unlocks and locks again); a lock the callee takes\n"
    "only under a condition on a lock flag (if !locked, or a bool parameter);\n"
    "calls in go statements (another goroutine).\n"
    "Cannot see: calls through interfaces or function values, methods of\n"
    "types declared in other files or packages, locks passed in other ways\n"
    "than as the receiver or a parameter, deferred calls, and loops (a Lock\n"
    "in a loop body without an unlock is GL010's).\n",
    NULL,
    NULL,
    check_recursive_lock,
    NULL,
};

const builtin_rule rule_gl021 = {
    "GL021",
    "recursive-rlock",
    GOLEAK_SEVERITY_WARNING,
    "an RWMutex read-locked again by the goroutine that holds a read lock",
    "sync.RWMutex forbids recursive read locking: once a writer waits in\n"
    "Lock, new RLock calls wait for it. A goroutine that holds a read lock and\n"
    "calls RLock again (directly, or through a method that read-locks too)\n"
    "works until a writer arrives between the two: then the writer waits for\n"
    "the first read lock, the second RLock waits for the writer, and the\n"
    "goroutine, the writer and everyone after them wait forever. Tests rarely\n"
    "hit the window; production traffic does.\n"
    "\n"
    "Leaking:\n"
    "\n"
    "    func (r *Registry) Names() []string {\n"
    "        r.mu.RLock()\n"
    "        defer r.mu.RUnlock()\n"
    "        var out []string\n"
    "        for _, s := range r.services {\n"
    "            if r.Healthy(s.Name) { // Healthy read-locks r.mu again\n"
    "                out = append(out, s.Name)\n"
    "            }\n"
    "        }\n"
    "        return out\n"
    "    }\n"
    "\n"
    "Fixed: read-lock once, at the outermost call, and give the inner method\n"
    "a variant that expects the lock held (healthyLocked).\n"
    "\n"
    "Heuristic: as for GL019 (recursive-lock), for an RLock taken while a read\n"
    "lock of the same RWMutex is held, directly or through calls of functions\n"
    "and methods of the same file up to four calls deep. It cannot see calls\n"
    "through interfaces or function values, methods of types declared in\n"
    "other files, or locks passed other than as the receiver or a parameter.\n",
    NULL,
    NULL,
    check_recursive_rlock,
    NULL,
};
