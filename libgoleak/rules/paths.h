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

/* Walks the paths from the start of a function body to its end: the
 * resource is taken when the function starts (a goroutine counted by a
 * WaitGroup before it runs). Returns the first leak's kind and *at as
 * release_check does. */
int release_check_body(const release_query *q, uint32_t body, uint32_t *at);

/* Whether the subtree of n (function literals included) holds a releasing call. */
int subtree_releases(const release_query *q, uint32_t n);

#endif
