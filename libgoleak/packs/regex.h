/* Regular expressions of pack filters: PCRE2 (UTF-8, JIT-compiled when the
 * platform allows), matched under match, depth and heap limits so that a
 * catastrophic pattern is cut short instead of hanging a scan. */
#ifndef GOLEAK_PACKS_REGEX_H
#define GOLEAK_PACKS_REGEX_H

#include "../alloc.h"

#include <stddef.h>

typedef struct regex regex;

/* The limits every match runs under. */
enum {
    REGEX_MATCH_LIMIT = 100000, /* backtracking steps */
    REGEX_DEPTH_LIMIT = 1000,   /* nested backtracking frames */
    REGEX_HEAP_LIMIT_KIB = 1024 /* heap for backtracking frames */
};

/* Compiles pattern with allocator a (which must outlive the regex); NULL
 * on error, with PCRE2's message (or "out of memory") in msg and the byte
 * offset of the problem in *offset. */
regex *regex_compile(const goleak_allocator *a, const char *pattern, size_t len, char *msg,
                     size_t msg_size, size_t *offset);
void regex_free(regex *re);

/* Matches subject (len bytes) anywhere: 1 match, 0 no match, -1 a limit was
 * reached (the match is abandoned), -2 out of memory. Thread-safe: a
 * compiled regex is shared by the threads of a scan. */
int regex_match(const regex *re, const char *subject, size_t len);

/* The pattern's source text. */
const char *regex_source(const regex *re);

#endif
