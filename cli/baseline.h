/* Baselines: the findings a project accepts today, by fingerprint, so that
 * a scan reports only new ones. The file is JSON, sorted, one finding a
 * line (the README's "Baselines"):
 *
 *   {
 *     "goleak_baseline": 1,
 *     "findings": [
 *       {"file": "a.go", "rule": "GL015", "symbol": "poll", "fingerprint": "8d18585c65e6950b"},
 *       ...
 *     ]
 *   }
 */
#ifndef GOLEAK_CLI_BASELINE_H
#define GOLEAK_CLI_BASELINE_H

#include "goleak.h"

#include <stddef.h>
#include <stdio.h>

typedef struct baseline_entry {
    char *file, *rule, *symbol, *fingerprint;
    int used; /* matched a finding of this scan */
} baseline_entry;

typedef struct baseline {
    baseline_entry *items; /* sorted by fingerprint (reading), or as added (writing) */
    size_t len, cap;
    size_t suppressed;
} baseline;

/* Reads a baseline file. 0, or -1 with "FILE:LINE:COL: message" (or the
 * system's reason) in err. */
int baseline_read(baseline *b, const char *path, char *err, size_t errlen);

/* Whether finding f is in the baseline: the first unused entry with its
 * fingerprint is then used, and counted as a suppression. */
int baseline_match(baseline *b, const goleak_finding *f);

/* Adds finding f (for baseline_write). 0 or -1 (out of memory). */
int baseline_add(baseline *b, const goleak_finding *f);

/* Writes the entries, sorted, to path (through a temporary file renamed
 * over it). 0, or -1 with the reason in err. */
int baseline_write(baseline *b, const char *path, char *err, size_t errlen);

/* A path as baselines record it: without leading "./". */
const char *baseline_path(const char *path);

void baseline_free(baseline *b);

#endif
