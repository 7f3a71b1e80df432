/* Allocation helpers: see alloc.h. */
#include "alloc.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static void *default_malloc(size_t n, void *ud) {
    (void)ud;
    return malloc(n);
}

static void *default_realloc(void *p, size_t n, void *ud) {
    (void)ud;
    return realloc(p, n);
}

static void default_free(void *p, void *ud) {
    (void)ud;
    free(p);
}

static const goleak_allocator default_allocator = {
    GOLEAK_ALLOCATOR_VERSION, default_malloc, default_realloc, default_free, NULL,
};

const goleak_allocator *alloc_default(void) {
    return &default_allocator;
}

const goleak_allocator *alloc_pick(const goleak_allocator *a) {
    if (a && a->version >= 1 && a->malloc && a->realloc && a->free) return a;
    return &default_allocator;
}

void *gl_malloc(const goleak_allocator *a, size_t n) {
    return a->malloc(n ? n : 1, a->user_data);
}

void *gl_calloc(const goleak_allocator *a, size_t n) {
    void *p = gl_malloc(a, n);
    if (p) memset(p, 0, n);
    return p;
}

void *gl_realloc(const goleak_allocator *a, void *p, size_t n) {
    return a->realloc(p, n ? n : 1, a->user_data);
}

void gl_free(const goleak_allocator *a, void *p) {
    if (p) a->free(p, a->user_data);
}

char *gl_strdup(const goleak_allocator *a, const char *s) {
    size_t n = strlen(s) + 1;
    char *d = gl_malloc(a, n);
    if (d) memcpy(d, s, n);
    return d;
}

int vec_reserve(const goleak_allocator *a, void **data, uint32_t *cap, size_t elem, size_t need) {
    if (need <= *cap) return 0;
    if (need > UINT32_MAX) return -1;
    size_t ncap = *cap ? (size_t)*cap * 2 : 16;
    while (ncap < need) ncap *= 2;
    if (ncap > UINT32_MAX) ncap = UINT32_MAX;
    if (ncap > SIZE_MAX / elem) return -1;
    void *p = gl_realloc(a, *data, ncap * elem);
    if (!p) return -1;
    *data = p;
    *cap = (uint32_t)ncap;
    return 0;
}

struct arena_chunk {
    arena_chunk *next;
    size_t size;
    /* payload follows, 8-byte aligned because of the two members above */
};

enum { ARENA_CHUNK = 8192 };

void arena_init(arena *ar, const goleak_allocator *a) {
    ar->alloc = a;
    ar->head = NULL;
    ar->cur = ar->end = NULL;
}

void *arena_alloc(arena *ar, size_t n) {
    n = (n + 7) & ~(size_t)7;
    if ((size_t)(ar->end - ar->cur) < n) {
        size_t size = n > ARENA_CHUNK / 2 ? n : ARENA_CHUNK;
        arena_chunk *c = gl_malloc(ar->alloc, sizeof(arena_chunk) + size);
        if (!c) return NULL;
        c->next = ar->head;
        c->size = size;
        ar->head = c;
        ar->cur = (char *)(c + 1);
        ar->end = ar->cur + size;
    }
    void *p = ar->cur;
    ar->cur += n;
    return p;
}

char *arena_strndup(arena *ar, const char *s, size_t n) {
    char *d = arena_alloc(ar, n + 1);
    if (!d) return NULL;
    memcpy(d, s, n);
    d[n] = 0;
    return d;
}

char *arena_printf(arena *ar, const char *fmt, ...) {
    char small[256];
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(small, sizeof small, fmt, ap);
    va_end(ap);
    if (n < 0) return NULL;
    char *d = arena_alloc(ar, (size_t)n + 1);
    if (!d) return NULL;
    if ((size_t)n < sizeof small) {
        memcpy(d, small, (size_t)n + 1);
    } else {
        va_start(ap, fmt);
        vsnprintf(d, (size_t)n + 1, fmt, ap);
        va_end(ap);
    }
    return d;
}

void arena_free(arena *ar) {
    arena_chunk *c = ar->head;
    while (c) {
        arena_chunk *next = c->next;
        gl_free(ar->alloc, c);
        c = next;
    }
    ar->head = NULL;
    ar->cur = ar->end = NULL;
}
