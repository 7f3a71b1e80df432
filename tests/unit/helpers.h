/* Helpers shared by the cmocka tests: compact text renderings of token
 * streams, trees and diagnostics, so that a test states its expectation as
 * one readable string. Returned strings are malloc'ed; the caller frees. */
#ifndef GOLEAK_TEST_HELPERS_H
#define GOLEAK_TEST_HELPERS_H

#include "goleak.h"

/* Parses src (NUL-terminated) as "test.go"; fails the test on error. */
goleak_unit *parse_str(const char *src);
goleak_unit *lex_str(const char *src); /* tokens only */
goleak_unit *parse_buf(const char *src, size_t len);

/* Tokens as "IDENT(x) := INT(1) NL EOF": literals and ILLEGAL with their
 * text (control bytes other than newline, CR and tab as \xHH), keywords
 * and operators as spelled, automatic semicolons as NL. */
char *token_str(const goleak_unit *u);

/* The tree as s-expressions: "(file (package) (func (block.body ...)))";
 * a node's role follows its kind after a dot. */
char *tree_str(const goleak_unit *u);

/* Diagnostics as "L:C message|L:C message". */
char *diag_str(const goleak_unit *u);

/* The first node of the given kind in pre-order, or NULL. */
const goleak_node *find_node(const goleak_unit *u, int kind);

/* A node's source text as a new string. */
char *node_text(const goleak_node *n);

/* An allocator for tests: counts calls, fails the fail_at-th (from 0; -1
 * never), tracks the blocks and bytes alive and their peak, and with move
 * set makes every realloc move the block (a fresh copy, the old one freed),
 * as a heap may. Single-threaded. */
typedef struct test_alloc {
    goleak_allocator a; /* hand &t->a to the library */
    long calls, fail_at;
    long live;
    size_t bytes, peak;
    long reallocs;
    int move;
} test_alloc;

void test_alloc_init(test_alloc *t);

/* A new engine that allocates through t (with the built-in rules when
 * builtin is set); fails the test on error. */
goleak_engine *engine_on_alloc(test_alloc *t, int builtin);

/* The .go files of the rule fixtures and the examples (paths from the
 * source tree, sorted); free with free_list. */
char **fixture_files(size_t *n);
void free_list(char **list, size_t n);

/* The whole content of a file (malloc'ed; *len gets its size). */
char *read_whole(const char *path, size_t *len);

#endif
