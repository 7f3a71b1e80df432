/* The progress line: "\r" + erase-line, redrawn in place on stderr. */
#include "progress.h"

#include <stdio.h>
#include <time.h>
#include <unistd.h>

static double now(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

void progress_init(progress *p, int quiet) {
    p->enabled = !quiet && isatty(2);
    p->shown = 0;
    p->start = p->last = now();
    p->files = p->findings = 0;
    p->bytes = 0;
}

void progress_file(progress *p, uint64_t bytes, size_t findings) {
    p->files++;
    p->bytes += bytes;
    p->findings += findings;
    if (!p->enabled) return;
    double t = now();
    if (t - p->start < 1.0 || (p->shown && t - p->last < 0.1)) return;
    p->last = t;
    fprintf(stderr, "\r\033[Kgoleak: %zu files, %.1f MB, %zu finding%s", p->files,
            (double)p->bytes / 1e6, p->findings, p->findings == 1 ? "" : "s");
    fflush(stderr);
    p->shown = 1;
}

void progress_clear(progress *p) {
    if (!p->shown) return;
    fputs("\r\033[K", stderr);
    fflush(stderr);
    p->shown = 0;
}
