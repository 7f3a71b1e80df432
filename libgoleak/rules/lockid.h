/* The lock vocabulary shared by the lock rules: which calls lock and
 * unlock, when two lock calls name the same lock, how a lock is named
 * across the functions of a file, and which functions lock for their
 * caller by name. */
#ifndef GOLEAK_RULES_LOCKID_H
#define GOLEAK_RULES_LOCKID_H

#include "common.h"

enum lock_op { OP_NONE, OP_LOCK, OP_RLOCK, OP_UNLOCK, OP_RUNLOCK };

/* The lock operation a call is: x.Lock(), x.RLock(), x.Unlock(),
 * x.RUnlock() without arguments; also the unlock variants of lock wrappers
 * (x.NestedUnlock(class), x.RUnlockShared()). OP_NONE otherwise. */
int lock_op(const facts *f, uint32_t call);

static inline int is_unlock(int op) {
    return op == OP_UNLOCK || op == OP_RUNLOCK;
}

/* Whether two lock calls' receivers name the same lock: the same tokens, or
 * a local copy of the other's expression (st := s.state; st.Unlock()). When
 * loose, also the same tokens after a leading receiver or parameter name
 * (c.mu in one method and s.mu in a helper method of the same type). */
int same_lock(const facts *f, const call_fact *a, const call_fact *b, int loose);

/* Whether a function's name says it takes a lock for its caller (lock,
 * rLock, acquireX, withLock...; not unlock, block). */
int locking_helper(const facts *f, uint32_t fn);

/* Whether fn's name starts with a lock verb (lockShard, acquire, RLockX,
 * tryLock...): a function whose purpose is taking a lock for its caller
 * (unlike xLocked, a function called with it held). */
int acquiring_helper(const facts *f, uint32_t fn);

/* A lock's name across the functions of a file, into buf: a method
 * receiver's name is replaced by its type (s.mu in methods of *Store is
 * "Store.mu"); a local or a parameter is its name followed by '#' and a
 * number that tells variables apart (not meant to be printed); other
 * expressions are their text. */
void lock_name(const facts *f, const call_fact *c, char *buf, size_t size);

/* The lock operations of a file (calls lock_op names), grouped so that a
 * question about one lock looks only at that lock's operations: by the
 * text of the receiver (s.mu; a local copy st := s.state is filed under both
 * st and s.state), and by the receiver's last name (mu) for locks that the
 * functions of a file name alike. Built once per check. */
typedef struct lock_ops {
    const facts *f;
    uint32_t mask;       /* slots - 1 */
    uint32_t *key_first; /* a token range spelling each slot's key; NONE32: empty */
    uint32_t *key_last;
    uint32_t *start, *list; /* slot -> CALL nodes, in source order */
    name_table names;       /* last names */
    uint32_t *name_start, *name_list;
} lock_ops;

/* Builds the index; 0, or -1 when out of memory. */
int lock_ops_build(lock_ops *x, const facts *f);
void lock_ops_free(lock_ops *x);

/* The operations filed under the key of call c's receiver, and under the key
 * of the local it copies (alias), each in source order: *na and *nb receive
 * their numbers. Together they hold every operation same_lock(c, .., 0) can
 * accept (and maybe others: check with same_lock). */
void lock_ops_of(const lock_ops *x, const call_fact *c, const uint32_t **a, uint32_t *na,
                 const uint32_t **b, uint32_t *nb);

/* The operations whose receiver's last name is spelled like token tok. */
const uint32_t *lock_ops_named(const lock_ops *x, uint32_t tok, uint32_t *n);

#endif
