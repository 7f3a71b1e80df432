/* corpus.c: load the corpus into memory, time passes, print ROW lines. */
#include "corpus.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

static void die(const char *what, const char *path) {
    fprintf(stderr, "bench: %s %s: %s\n", what, path, strerror(errno));
    exit(1);
}

static void *xmalloc(size_t n) {
    void *p = malloc(n ? n : 1);
    if (!p) {
        fprintf(stderr, "bench: out of memory (%zu bytes)\n", n);
        exit(1);
    }
    return p;
}

/* The whole list file in memory, NUL-terminated. */
static char *slurp(const char *path, size_t *len) {
    FILE *f = fopen(path, "rb");
    if (!f) die("cannot open", path);
    struct stat st;
    if (fstat(fileno(f), &st) != 0) die("cannot stat", path);
    char *buf = xmalloc((size_t)st.st_size + 1);
    size_t n = fread(buf, 1, (size_t)st.st_size, f);
    if (n != (size_t)st.st_size || ferror(f)) die("cannot read", path);
    fclose(f);
    buf[n] = '\0';
    *len = n;
    return buf;
}

void corpus_load(struct corpus *c, const char *list_path) {
    memset(c, 0, sizeof *c);
    size_t list_len;
    char *list = slurp(list_path, &list_len);
    c->list = list;

    /* Paths are NUL-separated (find -print0), so any file name works. */
    size_t n = 0;
    for (size_t i = 0; i < list_len; i++)
        if (list[i] == '\0') n++;
    if (list_len > 0 && list[list_len - 1] != '\0') n++;
    if (n == 0) {
        fprintf(stderr, "bench: %s lists no file\n", list_path);
        exit(1);
    }
    c->paths = xmalloc(n * sizeof *c->paths);
    c->data = xmalloc(n * sizeof *c->data);
    c->size = xmalloc(n * sizeof *c->size);
    for (char *p = list; p < list + list_len; p += strlen(p) + 1) c->paths[c->nfiles++] = p;

    /* Size everything first so one allocation holds the corpus. */
    size_t total = 0;
    for (size_t i = 0; i < c->nfiles; i++) {
        struct stat st;
        if (stat(c->paths[i], &st) != 0) die("cannot stat", c->paths[i]);
        c->size[i] = (size_t)st.st_size;
        total += c->size[i] + CORPUS_PADDING;
    }
    c->arena = xmalloc(total);
    char *at = c->arena;
    for (size_t i = 0; i < c->nfiles; i++) {
        FILE *f = fopen(c->paths[i], "rb");
        if (!f) die("cannot open", c->paths[i]);
        if (fread(at, 1, c->size[i], f) != c->size[i]) die("short read of", c->paths[i]);
        fclose(f);
        memset(at + c->size[i], 0, CORPUS_PADDING);
        c->data[i] = at;
        c->total += c->size[i];
        at += c->size[i] + CORPUS_PADDING;
    }
    printf("CORPUS FILES %zu BYTES %zu\n", c->nfiles, c->total);
    fflush(stdout);
}

void corpus_free(struct corpus *c) {
    free(c->arena);
    free(c->size);
    free((void *)c->data);
    free(c->list);
    free(c->paths);
    memset(c, 0, sizeof *c);
}

static double now_seconds(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

static int cmp_double(const void *a, const void *b) {
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

double bench_row(const char *name, const struct corpus *c, const struct bench_opts *o,
                 bench_pass_fn fn, void *ctx) {
    int passes = o->passes;
    for (int w = 0; w < o->warmup; w++) {
        double t0 = now_seconds();
        uint64_t check = fn(c, ctx);
        fprintf(stderr, "  %-28s warm-up %d/%d: %7.3f s  (check %llu)\n", name, w + 1, o->warmup,
                now_seconds() - t0, (unsigned long long)check);
    }
    double *mbps = xmalloc((size_t)passes * sizeof *mbps);
    for (int p = 0; p < passes; p++) {
        double t0 = now_seconds();
        uint64_t check = fn(c, ctx);
        double dt = now_seconds() - t0;
        mbps[p] = (double)c->total / 1e6 / dt;
        fprintf(stderr, "  %-28s pass %d/%d: %9.2f MB/s  %7.3f s  (check %llu)\n", name, p + 1,
                passes, mbps[p], dt, (unsigned long long)check);
    }
    qsort(mbps, (size_t)passes, sizeof *mbps, cmp_double);
    double med = passes % 2 ? mbps[passes / 2] : (mbps[passes / 2 - 1] + mbps[passes / 2]) / 2;
    printf("ROW %s MBPS %.2f\n", name, med);
    /* The spread shows how noisy the (shared) machine was for this row. */
    printf("RANGE %s MIN %.2f MAX %.2f\n", name, mbps[0], mbps[passes - 1]);
    free(mbps);
    fflush(stdout);
    return med;
}

/* A small non-negative integer argument, or -1. */
static long count_arg(const char *s) {
    char *end = NULL;
    long n = strtol(s, &end, 10);
    return end != s && *end == '\0' && n >= 0 && n <= 1000 ? n : -1;
}

void bench_args(int argc, char **argv, struct bench_opts *o) {
    o->list = argc > 1 ? argv[1] : NULL;
    o->passes = argc > 2 ? (int)count_arg(argv[2]) : -1;
    o->warmup = argc > 3 ? (int)count_arg(argv[3]) : 1;
    if (argc < 3 || argc > 4 || o->passes < 1 || o->warmup < 0) {
        fprintf(stderr,
                "usage: %s FILE_LIST PASSES [WARMUP]\n"
                "  FILE_LIST: NUL-separated paths (find CORPUS -name '*.go' -print0)\n"
                "  WARMUP: untimed passes before the timed ones (default 1)\n",
                argv[0]);
        exit(2);
    }
}
