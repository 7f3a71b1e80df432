/* Where a finding is, in terms that survive edits elsewhere in its file:
 * its top-level declaration, the statement it reports, and a key hashed
 * from them (fingerprints, baselines, changed-code filters, excerpts). */
#ifndef GOLEAK_FINGERPRINT_H
#define GOLEAK_FINGERPRINT_H

#include "unit.h"

/* The place of a finding. */
typedef struct finding_place {
    const node *decl;   /* the top-level declaration holding it, or NULL */
    const node *anchor; /* the statement (spec, field, signature) it reports, or NULL */
    char *symbol;       /* "Server.Run", "poll", "T" (a type), "" outside declarations */
    uint64_t key;       /* rule, path, symbol and the anchor's normalized tokens */
} finding_place;

/* Locates the finding of rule_id at bytes [start, end) of u (a unit with a
 * tree), its symbol copied into ar. 0, or -1 when out of memory. */
int finding_locate(finding_place *p, const goleak_unit *u, const char *rule_id, uint32_t start,
                   uint32_t end, arena *ar);

/* The fingerprint of the occurrence-th finding (from 0, in source order) of
 * a file with this key, as 16 lowercase hex digits and a NUL into out. */
void fingerprint_format(char out[17], uint64_t key, uint32_t occurrence);

/* The source lines around bytes [start, end) of u (two before, two after,
 * at most eight of the finding itself, each cut at 400 bytes), joined by
 * '\n', copied into ar; *first_line receives the first one's number. NULL
 * when out of memory. */
char *finding_excerpt(const goleak_unit *u, uint32_t start, uint32_t end, uint32_t *first_line,
                      arena *ar);

#endif
