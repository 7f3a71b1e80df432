/* Reading a rule pack: a YAML document validated and compiled into a pack
 * (patterns, regexes, rules), with every error at its line and column. */
#ifndef GOLEAK_PACKS_PACK_YAML_H
#define GOLEAK_PACKS_PACK_YAML_H

#include "pack.h"

#include "../engine.h"

/* Ids and names taken by the packs of one load (a directory's packs are
 * checked against each other before any registers). */
typedef struct taken_ids {
    const char **ids, **names, **where; /* where: "FILE:LINE" of each */
    uint32_t len, cap;
} taken_ids;

/* Compiles the pack text (len bytes; name labels positions) into *out
 * (caller owns it: pack_free). Rule ids and names must be free in engine
 * and in taken (which receives this pack's). 0, GOLEAK_ESYNTAX,
 * GOLEAK_EEXISTS or GOLEAK_ENOMEM with err filled. */
int pack_compile(pack **out, const char *name, const char *text, size_t len,
                 const goleak_engine *engine, taken_ids *taken, goleak_error *err);

void taken_ids_free(const goleak_allocator *a, taken_ids *t);

/* The documentation of a rule as goleak explain shows it (in the pack's
 * arena), from its doc mapping. */

#endif
