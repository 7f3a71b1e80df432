/* A table keyed by identifier text: open addressing over the tokens'
 * 16-bit identifier hashes, each key represented by one token that spells
 * it. The facts use it to find a name's variables, functions and calls in
 * O(1) instead of scanning the file. */
#ifndef GOLEAK_NAMES_H
#define GOLEAK_NAMES_H

#include "unit.h"

typedef struct name_table {
    const goleak_allocator *alloc;
    const goleak_unit *u;
    uint32_t *keys; /* a token spelling the name, NONE32 for an empty slot */
    uint32_t mask;  /* capacity - 1 (a power of two) */
    uint32_t len;
} name_table;

/* An empty table sized for about `expected` names; 0 or -1 (no memory). */
int names_init(name_table *t, const goleak_unit *u, const goleak_allocator *a, uint32_t expected);
void names_free(name_table *t);

/* The slot of the name spelled by identifier token tok, or NONE32 when the
 * table does not hold it. */
uint32_t names_find(const name_table *t, uint32_t tok);

/* The slot of the name spelled by the NUL-terminated text, or NONE32. */
uint32_t names_find_text(const name_table *t, const char *text);

/* The slot of that name, added when missing (*added tells); NONE32 when out
 * of memory. Slots are stable: the table never moves them (it is sized up
 * front and grows only by rehashing before any slot is handed out; callers
 * size it for every name they will add). */
uint32_t names_add(name_table *t, uint32_t tok, int *added);

#endif
