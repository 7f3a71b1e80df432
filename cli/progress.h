/* The progress line of a long scan: on a terminal only, after the first
 * second, on stderr (files and bytes done, findings so far), redrawn at
 * most ten times a second and erased before anything else is written to
 * the terminal and at the end. */
#ifndef GOLEAK_CLI_PROGRESS_H
#define GOLEAK_CLI_PROGRESS_H

#include <stddef.h>
#include <stdint.h>

typedef struct progress {
    int enabled; /* stderr is a terminal and --quiet was not given */
    int shown;   /* the line is on the terminal */
    double start, last;
    size_t files, findings;
    uint64_t bytes;
} progress;

/* Starts the clock; shows nothing unless stderr is a terminal and not quiet. */
void progress_init(progress *p, int quiet);
/* Counts a file done (its bytes and findings) and redraws when due. */
void progress_file(progress *p, uint64_t bytes, size_t findings);
/* Erases the line, if shown (before other output to the terminal). */
void progress_clear(progress *p);

#endif
