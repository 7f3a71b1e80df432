/* Allocation: the user's allocator hook, growable arrays and a bump arena.
 * Every allocation of the library goes through a goleak_allocator so that
 * tests can inject failures and hosts can account memory. */
#ifndef GOLEAK_ALLOC_H
#define GOLEAK_ALLOC_H

#include "goleak.h"

#include <stddef.h>
#include <stdint.h>

/* The default allocator (malloc/realloc/free); never NULL. */
const goleak_allocator *alloc_default(void);

/* Picks the user's allocator when it is complete, else the default. */
const goleak_allocator *alloc_pick(const goleak_allocator *a);

void *gl_malloc(const goleak_allocator *a, size_t n);
void *gl_calloc(const goleak_allocator *a, size_t n);
void *gl_realloc(const goleak_allocator *a, void *p, size_t n);
void gl_free(const goleak_allocator *a, void *p);
char *gl_strdup(const goleak_allocator *a, const char *s);

/* Grows *data (elements of size elem, capacity *cap) to hold at least need
 * elements; doubles so that appends are amortised O(1). 0 or -1 (no memory;
 * *data is unchanged). */
int vec_reserve(const goleak_allocator *a, void **data, uint32_t *cap, size_t elem, size_t need);

/* Appends one element to a struct { T *data; uint32_t len, cap; } vector.
 * Evaluates to 0 or -1. */
#define VEC_PUSH(a, v, value)                                                                      \
    (((v)->len < (v)->cap || vec_reserve((a), (void **)&(v)->data, &(v)->cap, sizeof(*(v)->data),  \
                                         (size_t)(v)->len + 1) == 0)                               \
         ? ((v)->data[(v)->len++] = (value), 0)                                                    \
         : -1)

/* A bump allocator: many small objects freed together. */
typedef struct arena_chunk arena_chunk;
typedef struct arena {
    const goleak_allocator *alloc;
    arena_chunk *head;
    char *cur, *end;
} arena;

void arena_init(arena *ar, const goleak_allocator *a);
void *arena_alloc(arena *ar, size_t n); /* 8-byte aligned; NULL when out of memory */
char *arena_strndup(arena *ar, const char *s, size_t n);
char *arena_printf(arena *ar, const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 2, 3)))
#endif
    ;
void arena_free(arena *ar);

#endif
