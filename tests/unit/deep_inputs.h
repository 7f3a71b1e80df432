/* Deeply nested Go sources for the tests: each shape repeats a construct n
 * times, the way generated code or a hostile input does. */
#ifndef GOLEAK_TEST_DEEP_INPUTS_H
#define GOLEAK_TEST_DEEP_INPUTS_H

#include <stddef.h>

typedef struct deep_shape {
    const char *name;
    const char *head, *open, *middle, *close, *tail;
    size_t n; /* repetitions within go/parser's nesting limit */
} deep_shape;

/* The shapes (a NULL name ends the list). */
extern const deep_shape deep_shapes[];

/* The source of a shape at n repetitions (malloc'ed; *len its length). */
char *deep_source(const deep_shape *s, size_t n, size_t *len);

/* The shape named name, or NULL. */
const deep_shape *deep_shape_named(const char *name);

#endif
