/* Patterns: compiling Go code with metavariables into tokens, and matching
 * them on a file's tokens and tree. */
#ifndef GOLEAK_PACKS_PATTERN_H
#define GOLEAK_PACKS_PATTERN_H

#include "file_index.h"
#include "pack.h"

/* ---- compiling ---- */

typedef struct pattern_ctx {
    arena *ar;
    const goleak_allocator *alloc;
    pack_rule *rule;   /* its metavariables and imports */
    char msg[256];     /* why compiling failed */
    size_t err_offset; /* where in the pattern text */
} pattern_ctx;

/* Compiles a pattern; 0, 1 (invalid: pc->msg and pc->err_offset say why)
 * or GOLEAK_ENOMEM. Metavariables are added to the rule's table. */
int pattern_compile(pattern_ctx *pc, const char *text, size_t len, pattern **out);

/* The index of metavariable name (n bytes, without $) in the rule's table;
 * with create, added when new. -1 when absent, or the table is full. */
int rule_meta_index(pack_rule *r, const char *name, size_t n, int create);

/* ---- matching ---- */

typedef struct binding {
    uint32_t first, last; /* tokens; first is NONE32 when unbound */
} binding;

/* The resource of a resource rule, for patterns that name it: whether
 * identifier token tok is the resource (or a variable holding it, or a
 * part of it: body := resp.Body), and the member path it stands for
 * (tokens of the file, "." NAME ...). */
typedef struct resource_view {
    uint16_t meta; /* the resource's metavariable */
    int (*at)(void *ctx, uint32_t tok, const uint32_t **path, uint32_t *npath);
    void *ctx;
} resource_view;

typedef struct menv {
    const file_index *x;
    const pack_rule *rule;
    binding b[MAX_METAVARS];
    const resource_view *res; /* NULL outside resource rules */
    uint32_t steps;           /* backtracking budget left */
} menv;

/* Whether p matches at node n: exactly its tokens, or for a pattern of
 * several statements from its first token on within its block; *last
 * receives the last token. Bindings go to e->b (kept when it matches). */
int pattern_match_node(menv *e, const pattern *p, uint32_t n, uint32_t *last);

/* Whether p matches file tokens [first, last] exactly. */
int pattern_match_range(menv *e, const pattern *p, uint32_t first, uint32_t last);

/* Calls fn for each match of p whose first token lies in [lo, hi], in
 * source order (e->b holds the match's bindings during the call; they are
 * reset between matches). Stops when fn returns non-zero and returns it. */
int pattern_each(menv *e, const pattern *p, uint32_t lo, uint32_t hi,
                 int (*fn)(void *ctx, const menv *e, uint32_t first, uint32_t last, uint32_t at),
                 void *ctx);

/* Whether a file can hold a match at all (its identifiers and imports). */
int pattern_possible(const file_index *x, const pack_rule *r, const pattern *p);

#endif
