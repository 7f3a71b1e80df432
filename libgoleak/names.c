/* The identifier-text table: see names.h. */
#include "names.h"

#include <string.h>

/* Whether n bytes at a and b are equal, 8 at a time: the source's zero
 * padding makes the reads past a token's end safe (as for ident_hash64). */
static inline int bytes_equal(const uint8_t *a, const uint8_t *b, uint32_t n) {
    for (; n >= 8; n -= 8, a += 8, b += 8)
        if (load_le64(a) != load_le64(b)) return 0;
    return n == 0 || load_le64_prefix(a, n) == load_le64_prefix(b, n);
}

static int same_text(const goleak_unit *u, uint32_t a, uint32_t b) {
    const token *x = &u->toks.data[a], *y = &u->toks.data[b];
    return a == b || (x->len == y->len && x->hash == y->hash &&
                      bytes_equal(u->src + x->off, u->src + y->off, x->len));
}

int names_init(name_table *t, const goleak_unit *u, const goleak_allocator *a, uint32_t expected) {
    memset(t, 0, sizeof *t);
    t->alloc = a;
    t->u = u;
    uint32_t cap = 16;
    while (cap < expected * 2 && cap < (1u << 30)) cap *= 2;
    t->keys = gl_malloc(a, (size_t)cap * sizeof *t->keys);
    if (!t->keys) return -1;
    memset(t->keys, 0xff, (size_t)cap * sizeof *t->keys);
    t->mask = cap - 1;
    return 0;
}

void names_free(name_table *t) {
    if (t->alloc) gl_free(t->alloc, t->keys);
    memset(t, 0, sizeof *t);
}

/* The first slot of a name from its whole 64-bit hash: the tokens' 16-bit
 * hash alone would put more than 65,536 names in clusters that every
 * probe walks (a function with 100,000 variables went quadratic). A table
 * of at most 65,536 slots takes the 16-bit hash's bits, the same bits of
 * the same hash: an identifier token has it already. */
static uint32_t first_slot(const name_table *t, uint64_t h) {
    if (t->mask <= 0xffff) return (uint32_t)(h >> 48) & t->mask;
    return (uint32_t)(h >> 34) & t->mask; /* the high bits: they depend on every byte */
}

/* The slot holding tok's name, or the empty slot where it would go. */
static uint32_t probe(const name_table *t, uint32_t tok) {
    const token *k = &t->u->toks.data[tok];
    uint32_t i = t->mask <= 0xffff && k->kind == GOLEAK_TOKEN_IDENT
                     ? k->hash & t->mask /* ident_hash64 >> 48, kept in the token */
                     : first_slot(t, ident_hash64(t->u->src + k->off, k->len));
    while (t->keys[i] != NONE32 && !same_text(t->u, t->keys[i], tok)) i = (i + 1) & t->mask;
    return i;
}

uint32_t names_find_text(const name_table *t, const char *text) {
    size_t n = strlen(text);
    if (!t->keys || n == 0 || n > 64) return NONE32;
    uint8_t padded[72] = {0}; /* ident_hash reads 8 bytes past short names */
    memcpy(padded, text, n);
    uint32_t i = first_slot(t, ident_hash64(padded, (uint32_t)n));
    for (; t->keys[i] != NONE32; i = (i + 1) & t->mask) {
        const token *k = &t->u->toks.data[t->keys[i]];
        if (k->len == n && memcmp(t->u->src + k->off, text, n) == 0) return i;
    }
    return NONE32;
}

uint32_t names_find(const name_table *t, uint32_t tok) {
    if (!t->keys) return NONE32;
    uint32_t i = probe(t, tok);
    return t->keys[i] == NONE32 ? NONE32 : i;
}

uint32_t names_add(name_table *t, uint32_t tok, int *added) {
    *added = 0;
    if (!t->keys || t->len * 2 >= t->mask) return NONE32; /* sized too small: refuse */
    uint32_t i = probe(t, tok);
    if (t->keys[i] == NONE32) {
        t->keys[i] = tok;
        t->len++;
        *added = 1;
    }
    return i;
}
