/* Paths from an acquisition to the exits of a function: is a resource (a
 * lock, a cancel function) released on every path? A small structural walk
 * of the statements after the acquisition: if/else, switch, select and loops
 * are followed; a defer that releases covers every later path. */
#ifndef GOLEAK_RULES_PATHS_H
#define GOLEAK_RULES_PATHS_H

#include "common.h"

typedef struct release_query release_query;

struct release_query {
    const facts *f;
    /* whether the call releases the resource */
    int (*is_release)(const release_query *q, uint32_t call);
    void *ctx;
    /* the loop whose body holds the acquisition: a continue of it leaves the
     * iteration holding the resource (NONE32: none) */
    uint32_t loop;
    /* the condition of the if whose branch holds the acquisition: a later if
     * on the same condition releases in its branch (NONE32: none) */
    uint32_t cond;
    /* whether a return statement hands the resource to its caller (may be NULL) */
    int (*return_hands_off)(const release_query *q, uint32_t ret);
    /* The hooks below are optional (NULL), for resources of rule packs. */
    /* whether a simple statement (assignment, send, declaration) hands the
     * resource on: the path holds nothing after it */
    int (*stmt_hands_off)(const release_query *q, uint32_t stmt);
    /* what an if condition says of the resource: 1 when nothing is held
     * where it is true (err != nil after the acquisition), -1 where it is
     * false, 0 when it says nothing */
    int (*cond_absent)(const release_query *q, uint32_t cond);
    /* whether a loop that ends by its condition releases the resource
     * (for rows.Next() { ... }); a break out of it still holds */
    int (*loop_exit_releases)(const release_query *q, uint32_t loop);
};

enum leak_kind {
    LEAK_NONE,
    LEAK_RETURN,   /* a return statement runs while holding */
    LEAK_CONTINUE, /* a continue of the acquiring loop runs while holding */
    LEAK_END       /* the function's end is reached while holding */
};

/* Walks the paths from the statement after `start` (a statement of a block)
 * to the end of the function. Returns the first leak's kind; *at receives
 * the leaking statement (or the function node for LEAK_END). */
int release_check(const release_query *q, uint32_t start, uint32_t *at);

/* The same walk from statement start itself (an if whose init acquires:
 * its branches are walked, then the statements after it). */
int release_check_from(const release_query *q, uint32_t start, uint32_t *at);

/* Whether the subtree of n (function literals included) holds a releasing call. */
int subtree_releases(const release_query *q, uint32_t n);

#endif
