/* Which locks each function of a file holds where, and what the functions
 * it calls take and release: the shared ground of the deadlock rules.
 *
 * A lock is named by a key: an interned name that is the same in every
 * function for the same lock, built as lock_name does (s.mu in methods of
 * *Store is "Store.mu"; locals and parameters are told apart by variable).
 * Each top-level function or method gets a summary, computed once on
 * demand: the locks it takes (directly or through the functions and
 * methods of the file it calls, up to LG_MAX_DEPTH calls deep), the locks
 * it still holds when it returns (a lock helper) and the locks it releases
 * without taking them (an unlock helper). A call of a method or function of
 * the file maps the summary's keys into the caller: the callee's receiver
 * becomes the call's receiver expression, a parameter the argument, so
 * that s.helper() and other.helper() take different locks.
 *
 * In a package check, a call of a function or method that another file
 * of the package declares is followed the same way: that file gets its
 * own graph (kept with the package, built when first called into), whose
 * summary of the callee is mapped into the caller by the text of its keys.
 *
 * The walk of one function follows its statements in order with the set
 * of locks held on every path to each point (a lock released in one
 * branch is not held after the branch), and reports each acquisition,
 * release and blocking operation with that set. Functions are looked up by
 * name in an index, types and fields too: the cost is linear in the size
 * of the file. */
#ifndef GOLEAK_RULES_LOCKGRAPH_H
#define GOLEAK_RULES_LOCKGRAPH_H

#include "typeindex.h"

/* How many calls deep the summaries follow the functions of the file. */
#define LG_MAX_DEPTH 4
/* How many locks a walk keeps as held at once. */
#define LG_MAX_HELD 16

typedef struct lockgraph lockgraph;

enum lock_mode { LM_WRITE = 1, LM_READ = 2 };

typedef struct held_lock {
    uint32_t key;
    uint32_t site;   /* the Lock call, or the call of the function that took it */
    uint32_t origin; /* the Lock call itself (in that function when taken by a call) */
    uint8_t mode;    /* enum lock_mode */
} held_lock;

enum lg_event_kind {
    LG_ACQUIRE, /* a lock is taken: directly, or by a called function */
    LG_RELEASE, /* a lock is released */
    LG_BLOCK,   /* a channel send, receive, range or select without default, or x.Wait() */
    LG_EXIT     /* a return, or the end of the function */
};

typedef struct lg_event {
    int kind;              /* enum lg_event_kind */
    uint32_t node;         /* ACQUIRE, RELEASE: the lock call or the call of a function of
                            * the file; BLOCK: the SEND, RECV, RANGE, SELECT or Wait CALL;
                            * EXIT: the RETURN, or the function */
    uint32_t key;          /* ACQUIRE, RELEASE: the lock */
    uint32_t origin;       /* ACQUIRE: the Lock call (in a callee when depth > 0) */
    uint8_t mode, depth;   /* ACQUIRE: enum lock_mode; calls between the walked
                            * function and the Lock call */
    uint8_t guarded;       /* ACQUIRE: under a condition on a lock flag (if !locked) */
    uint8_t guard_when;    /* ACQUIRE: the value of guard_var under which it is taken */
    uint32_t guard_var;    /* ACQUIRE, guarded: the bool parameter of the walked function
                            * that decides (its variable index), or NONE32 */
    uint32_t origin_file;  /* ACQUIRE: when the Lock call is in another file of the
                            * package, that file's index in it (origin is then the
                            * call of this file that leads there); else NONE32 */
    uint32_t origin_line;  /* ACQUIRE, origin_file set: the Lock call's line there */
    uint8_t was_held;      /* RELEASE: the lock was held there */
    const held_lock *held; /* the locks held just before the event */
    uint32_t nheld;
    const uint32_t *deferred; /* EXIT: locks a deferred call releases */
    uint32_t ndeferred;
} lg_event;

typedef void (*lg_visit)(void *ud, const lg_event *e);

/* Where a lock call of another file of the package is ("b.go:12", the
 * file's base name) into buf; returns buf. */
const char *lockgraph_where(goleak_check *chk, uint32_t file, uint32_t line, char *buf,
                            size_t size);

/* Builds the graph of a unit's facts; the index and the summaries are
 * computed on demand. NULL when out of memory. */
lockgraph *lockgraph_build(const facts *f);
void lockgraph_free(lockgraph *g);

/* The graph of the unit being checked, built once per check and shared by
 * the rules that ask for it (owned by the check: do not free it). NULL
 * when out of memory (the check is then marked so). */
lockgraph *check_lockgraph(goleak_check *chk);

/* Whether an allocation failed since the build (results are then partial). */
int lockgraph_oom(const lockgraph *g);

/* Whether the file has any lock call (x.Lock(), x.RLock()). */
int lockgraph_has_locks(const lockgraph *g);

/* Walks function fn (a FUNC, or a FUNCLIT that runs on its own: not one
 * called where it is written), calling visit for each event in order. A
 * function that takes and releases no lock, directly or through calls of
 * the file, has no event worth a walk: it is not walked. */
void lockgraph_walk(lockgraph *g, uint32_t fn, lg_visit visit, void *ud);

/* Whether function node fn is walked on its own: a FUNC, or a FUNCLIT that
 * is not called right where it is written (those are walked inline, with
 * the locks held around them). */
int lockgraph_walked_alone(const facts *f, uint32_t fn);

/* The key of the lock, channel or WaitGroup an expression (tokens [first,
 * last]) names, in the function where the tokens are; NONE32 when it
 * cannot be named. */
uint32_t lockgraph_key_of(lockgraph *g, uint32_t first, uint32_t last);

/* The key of tokens [first, last] followed by selectors (".notifyCh"): what
 * an accessor call b.Notify() returning its receiver's field names. */
uint32_t lockgraph_key_with(lockgraph *g, uint32_t first, uint32_t last, const char *selectors);

/* A key's printable name (without the marks that tell variables apart),
 * and its length in *len. The text moves when another key is made: copy it
 * before asking for another key. */
const char *lockgraph_key_text(const lockgraph *g, uint32_t key, int *len);

/* Whether key k names, through a back-pointer, the receiver's lock that key
 * h names: k is x.F.S (x a local or parameter) and h is T.S (a lock of the
 * walked method's receiver, T its type), where field F is declared of type
 * T (or *T) in another struct of the file, and every value the file gives F
 * is a receiver of a method of T (w := &watcher{hub: wh} in a method of
 * *watcherHub): the child's pointer back to the parent that holds it. */
int lockgraph_back_pointer(lockgraph *g, uint32_t k, uint32_t h);

/* Whether a key is a chain of names (x, s.mu, c.state.mu), which names the
 * same object all along a path, unlike s.locks[i] or get().mu. */
int lockgraph_key_stable(const lockgraph *g, uint32_t key);

/* The local variable or parameter a key starts from (its index in the
 * facts' variables), NONE32 for a receiver's field or a package-level
 * name. */
uint32_t lockgraph_key_var(const lockgraph *g, uint32_t key);

/* The class of a lock for ordering: a lock reached through a value of a
 * struct type T of the file (m := c.members[id]; m.mu, or s.reg.mu with
 * reg *T) gets the key a method of *T gives its receiver's (T.mu); any
 * other key is its own class. Instances of one type share the class, so it
 * is for lock order only, not for "held twice". */
uint32_t lockgraph_key_class(lockgraph *g, uint32_t key);

/* The index of the file's types and functions the graph uses, built on
 * first use; NULL when out of memory. */
const typeindex *lockgraph_types(lockgraph *g);

/* The blocking statement of a method fn that waits or sends on a field of
 * its receiver in one of its own statements (func (p *pool) StopAndWait()
 * { p.wg.Wait() }, func (e *emitter) Emit(v T) { e.ch <- v }): the Wait
 * call or the SEND node; a call of fn blocks as it does. NONE32 otherwise. */
uint32_t lockgraph_block_wrapper(const facts *f, uint32_t fn);

#endif
