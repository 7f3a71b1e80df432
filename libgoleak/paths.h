/* Paths from an acquisition to the exits of a function: is a resource (a
 * lock, a cancel function, a pack rule's resource) released on every path?
 * A structural walk of the statements after the acquisition: if/else,
 * switch, select, loops and breaks are followed; a defer that releases
 * covers every later path. The walk keeps its own stack, so its depth is
 * not the C stack's (goleak_check_release_path is the public form). */
#ifndef GOLEAK_PATHS_H
#define GOLEAK_PATHS_H

#include "facts.h"

typedef struct release_query release_query;

/* What walks of resources that nothing releases have learnt, per statement:
 * such a walk depends only on where it starts, so the walks of every such
 * resource of a check share it (a function taking 20,000 locks it never
 * releases walks its statements once, not 20,000 times). */
typedef struct path_memo {
    uint32_t *kind; /* per statement: the leak from there (enum leak_kind); NONE32: unknown */
    uint32_t *at;   /* and where */
    uint32_t *loop, *cond; /* the query context it was learnt in */
    uint32_t *key;         /* and the query's memo_key */
} path_memo;

/* 0, or -1 when out of memory (nothing is then held: freeing is a no-op). */
int path_memo_init(path_memo *m, const facts *f);
void path_memo_free(path_memo *m, const facts *f);

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
    /* set when the caller knows that no call or return after the start
     * releases or hands off the resource: the walk then shares what it
     * learns with every such walk of the check (NULL: walk on its own) */
    path_memo *nothing_releases;
    /* the variable that holds the resource (NULL: none). A use of it that
     * use_releases accepts (a call of its release method, a hand-off: it is
     * returned, stored, passed, captured...) releases the resource on the
     * paths through that statement only; a statement that gives the
     * variable a new value while the resource is held loses the resource
     * (LEAK_OVERWRITE). Such walks share no memo but var_memo. */
    const var_fact *var;
    int (*use_releases)(const release_query *q, uint32_t use);
    /* with var: set when the caller knows that the walk from a statement
     * does not depend on where it started (use_releases and exit_leaks
     * ignore the start; no go_round): the walks with the same memo_key
     * share what they learn (a function that starts 20,000 goroutines
     * sending on one channel walks its statements once, not 20,000 times).
     * memo_key names the variable and the kind of walk. */
    path_memo *var_memo;
    uint32_t memo_key;
    /* whether a statement that never returns (a call of panic, os.Exit,
     * t.Fatal...) leaves the function still holding rather than ending the
     * program (may be NULL: it ends the path): t.Fatal ends only the test's
     * goroutine. Such a statement is then a LEAK_RETURN. */
    int (*exit_leaks)(const release_query *q, uint32_t stmt);
    /* a loop whose every path through its body releases is taken to run at
     * least once (for _, x := range items { <-done }): it releases */
    int loops_run;
    /* whether loop (a FOR or RANGE) never ends by itself, like for {}: a
     * range over a ticker's channel (may be NULL) */
    int (*never_ends)(const release_query *q, uint32_t loop);
    /* set when only uses of var release (is_release never does): stretches
     * of a statement list that hold no use of it, no return, no branch and
     * no statement that never returns are passed at once (a function that
     * makes 20,000 resources and releases them at its end walks each
     * stretch in O(log n), not statement by statement) */
    int var_only;
    /* follow the paths that go round a loop around the start: at the end
     * of such a loop's body the walk goes on from the top of the body (once
     * per loop), where the start statement itself, reached again, makes a
     * new resource while the old one is held (LEAK_OVERWRITE there) */
    int go_round;
    /* The hooks below are optional (NULL), for resources of rule packs. */
    /* whether a simple statement (assignment, send, declaration, or the
     * communication of a select case) hands the resource on: the path
     * holds nothing after it */
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
    LEAK_NONE,     /* = GOLEAK_PATH_RELEASED */
    LEAK_RETURN,   /* a return statement runs while holding */
    LEAK_CONTINUE, /* a continue of the acquiring loop runs while holding */
    LEAK_END,      /* the function's end is reached while holding */
    LEAK_OVERWRITE /* the resource's variable gets a new value while holding */
};

/* Walks the paths from the statement after `start` (a statement of a block)
 * to the end of the function. Returns the first leak's kind; *at receives
 * the leaking statement (or the function node for LEAK_END). Out of memory
 * sets f->oom and returns LEAK_NONE. */
int release_check(const release_query *q, uint32_t start, uint32_t *at);

/* The same walk from statement start itself (an if whose init acquires:
 * its branches are walked, then the statements after it). */
int release_check_from(const release_query *q, uint32_t start, uint32_t *at);

/* Walks the paths from the start of a function body (a block) to its end:
 * the resource is taken when the function starts (a goroutine counted by a
 * WaitGroup before it runs). Returns the first leak's kind and *at as
 * release_check does. */
int release_check_body(const release_query *q, uint32_t body, uint32_t *at);

/* Whether the subtree of n (function literals included) holds a releasing
 * call, or a releasing use of the query's variable. Iterates the calls and
 * the variable's uses of n's token range: no recursion. */
int subtree_releases(const release_query *q, uint32_t n);

/* The loop (or, for a break, the switch or select) that branch statement
 * br (break or continue, labeled or not) leaves or goes round; NONE32. */
uint32_t branch_target(const facts *f, uint32_t br);

/* The condition of the if whose then-branch directly holds stmt, NONE32. */
uint32_t branch_condition(const facts *f, uint32_t stmt);

#endif
