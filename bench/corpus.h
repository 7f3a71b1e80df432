/* corpus.h: what every C bench program shares: the in-memory corpus, the
 * pass loop with its timing, and the ROW line that bench/run collects.
 *
 * Output protocol (stdout, one line each; bench/run parses them):
 *   CORPUS FILES <n> BYTES <b>
 *   ROW <name> MBPS <median MB/s>        (MB = 10^6 bytes)
 *   RANGE <name> MIN <slowest> MAX <fastest pass's MB/s>
 * Progress and sanity counters go to stderr. */
#ifndef BENCH_CORPUS_H
#define BENCH_CORPUS_H

#include <stddef.h>
#include <stdint.h>

/* Zero bytes after each file's data: what libgoleak's borrowed-source mode
 * (GOLEAK_PARSE_BORROW_SOURCE) needs, as the scan command's own reads
 * provide; the other programs see them as a NUL terminator. */
#define CORPUS_PADDING 16

/* Every file of the corpus, loaded before any timing so disk is not measured. */
struct corpus {
    size_t nfiles;
    size_t total;      /* bytes of source, summed over all files */
    char **paths;      /* NUL-terminated paths, as listed */
    const char **data; /* file i: data[i][0 .. size[i]), then CORPUS_PADDING zero bytes */
    size_t *size;
    char *arena; /* one block holding every file, back to back */
    char *list;  /* the list file's bytes; paths point into it */
};

/* Reads the NUL-separated list of paths in list_path and loads each file.
 * Prints the reason and exits on any failure: a bench with a missing file
 * would compare different corpora. */
void corpus_load(struct corpus *c, const char *list_path);
void corpus_free(struct corpus *c);

/* One pass over the whole corpus. Returns a value that depends on all the
 * work done, so the compiler cannot drop it; ctx is the row's own state. */
typedef uint64_t (*bench_pass_fn)(const struct corpus *c, void *ctx);

/* The command line shared by every C program: FILE_LIST PASSES [WARMUP]. */
struct bench_opts {
    const char *list; /* NUL-separated paths of the corpus files */
    int passes;       /* timed passes per row */
    int warmup;       /* untimed passes first (default 1): faults in the
                         allocator's memory and wakes the CPU up */
};

/* Parses argv; exits with a usage message when it is wrong. */
void bench_args(int argc, char **argv, struct bench_opts *o);

/* Runs o->warmup untimed passes then o->passes timed passes of fn, prints
 * each pass's MB/s to stderr and the median as a ROW line on stdout;
 * returns the median MB/s. */
double bench_row(const char *name, const struct corpus *c, const struct bench_opts *o,
                 bench_pass_fn fn, void *ctx);

#endif
