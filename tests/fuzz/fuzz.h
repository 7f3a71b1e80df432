/* Shared by the fuzzers (libFuzzer entry point, checks that abort so that
 * libFuzzer, or the replay driver, reports the input). */
#ifndef GOLEAK_FUZZ_H
#define GOLEAK_FUZZ_H

#include "goleak.h"

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define FUZZ_ASSERT(cond)                                                                          \
    do {                                                                                           \
        if (!(cond)) {                                                                             \
            fprintf(stderr, "%s:%d: check failed: %s\n", __FILE__, __LINE__, #cond);               \
            abort();                                                                               \
        }                                                                                          \
    } while (0)

/* A position must be the one the unit computes for its offset. */
static inline void fuzz_check_pos(const goleak_unit *u, goleak_pos p) {
    goleak_pos q = goleak_unit_pos(u, p.offset);
    FUZZ_ASSERT(p.line == q.line && p.column == q.column && p.line >= 1 && p.column >= 1);
    FUZZ_ASSERT(p.line <= goleak_unit_line_count(u));
}

/* Diagnostics: sorted, inside the source, each with a message. */
static inline void fuzz_check_diagnostics(const goleak_unit *u) {
    size_t n = goleak_unit_diagnostic_count(u), len;
    goleak_unit_source(u, &len);
    uint32_t prev = 0;
    for (size_t i = 0; i < n; i++) {
        goleak_pos p = goleak_unit_diagnostic_pos(u, i);
        FUZZ_ASSERT(p.offset >= prev && p.offset <= len);
        prev = p.offset;
        FUZZ_ASSERT(goleak_unit_diagnostic_message(u, i) != NULL);
        FUZZ_ASSERT(goleak_unit_diagnostic_is_lexical(u, i) >= 0);
    }
    FUZZ_ASSERT(goleak_unit_diagnostic_message(u, n) == NULL);
}

#endif
