/* Evaluating a rule's matchers on a file: patterns combined with all, any,
 * not, inside and not-inside (patterns or contexts), filtered by where. */
#ifndef GOLEAK_PACKS_MATCHER_H
#define GOLEAK_PACKS_MATCHER_H

#include "pattern.h"

typedef struct match {
    uint32_t first, last; /* tokens */
    uint32_t node;        /* the node it was anchored at, NONE32 */
    binding b[MAX_METAVARS];
} match;

typedef struct mlist {
    match *data;
    uint32_t len, cap;
} mlist;

/* One rule's evaluation on one file. */
typedef struct meval {
    const file_index *x;
    const pack_rule *rule;
    const goleak_allocator *a;
    const resource_view *res; /* resource rules: the resource, for release patterns */
    int oom;
    const regex *limit_re; /* a regex that hit its limits: the check fails */
} meval;

/* Every match of m in the file, in source order, into out (appended).
 * 0 or GOLEAK_ENOMEM. */
int matcher_eval(meval *ev, const matcher *m, mlist *out);

/* Whether m (a pattern, or any of patterns, with its filters) matches the
 * tokens of node n exactly; bindings in b (initialised by the caller,
 * updated on a match). */
int matcher_at(meval *ev, const matcher *m, uint32_t n, binding *b);

/* Whether filters pass for bindings b. */
int filters_pass(meval *ev, const filter *f, uint32_t n, const binding *b);

/* Whether the node (or token, when node is NONE32) is inside context ctx. */
int in_context(const file_index *x, uint32_t node, uint32_t tok, int ctx);

void mlist_free(const goleak_allocator *a, mlist *l);

/* Sets every binding to unbound. */
void bindings_clear(binding *b);

#endif
