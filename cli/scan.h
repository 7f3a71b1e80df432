/* The scan command's pieces: collecting files, checking them in parallel,
 * and writing findings in each output format. */
#ifndef GOLEAK_CLI_SCAN_H
#define GOLEAK_CLI_SCAN_H

#include "cli.h"

#include <stdint.h>

typedef struct scan_file {
    char *path;
    char *go_version; /* NULL: unknown; owned by the file list's cache */
} scan_file;

typedef struct file_list {
    scan_file *items;
    size_t len, cap;
    /* go.mod cache: directory -> version (NULL: none) */
    struct gomod_entry *cache;
    size_t cache_len, cache_cap;
    /* set while a scan checks the files as they are added (scan_start): the
     * list grows under lock(ctx, 1) / lock(ctx, 0) and calls added(ctx) after
     * each file; NULL otherwise */
    void (*lock)(void *ctx, int lock);
    void (*added)(void *ctx);
    void *hook_ctx;
} file_list;

typedef struct walk_options {
    int include_vendor;
    int include_testdata;
    const char **excludes; /* fnmatch globs, matched on the path and on its base name */
    size_t nexcludes;
    const char *go_version; /* --go-version: overrides go.mod */
    int skip_tests;         /* --tests=false: leave out _test.go files */
} walk_options;

/* Adds a file, or the *.go files under a directory, to the list. Returns 0,
 * or -1 after printing an error (the path cannot be read). */
int files_add_path(file_list *l, const char *path, const walk_options *o);
/* Adds the paths listed one per line on stdin. */
int files_add_stdin(file_list *l, const walk_options *o);
void files_free(file_list *l);

/* A diagnostic kept for reporting after the unit is gone. */
typedef struct kept_diag {
    unsigned line, column;
    char *message;
} kept_diag;

/* What checking one file produced. */
typedef struct file_result {
    int io_error; /* the file could not be read */
    char *error;  /* its message */
    goleak_findings *findings;
    uint32_t *cp_columns; /* per finding: start and end columns in code points (SARIF) */
    kept_diag *diags;     /* syntax errors */
    size_t ndiags;
} file_result;

void result_free(file_result *r);

typedef struct scan_options {
    const goleak_engine *engine;
    unsigned check_flags;
    int jobs;
} scan_options;

typedef void (*scan_emit_fn)(const scan_file *file, file_result *r, void *ctx);
typedef struct scan_pool scan_pool;

/* Starts checking the files of l with opts->jobs threads as they are added
 * to it (files_add_*), while the calling thread goes on collecting them;
 * emit is called for each result in list order, from the calling thread
 * (while it adds files, and in scan_finish), and the result freed after.
 * With one job, or when no thread can start, each file is checked when it
 * is added. NULL when out of memory. */
scan_pool *scan_start(file_list *l, const scan_options *opts, scan_emit_fn emit, void *ctx);
/* Once every file is added: emits the remaining results, stops the
 * threads and frees the pool. */
void scan_finish(scan_pool *p);

/* ---- output formats ---- */

typedef enum format_kind { FMT_TEXT, FMT_JSONL, FMT_JSON, FMT_SARIF } format_kind;

typedef struct formatter {
    format_kind kind;
    outbuf *out;
    const goleak_engine *engine;
    size_t nfindings, nfiles, nerrors;
    /* findings per kind of file (0: non-test, 1: _test.go) and severity */
    size_t by_file[2][3];
    int first_item; /* json/sarif: no comma before the first element */
    /* json/sarif: errors are written after the results; kept until then */
    struct {
        char *file;
        unsigned line, column;
        char *message;
    } * errors;
    size_t errors_len, errors_cap;
} formatter;

void format_begin(formatter *fm, format_kind kind, outbuf *out, const goleak_engine *engine);
void format_file(formatter *fm, const scan_file *file, const file_result *r);
void format_end(formatter *fm, int execution_ok);

/* Whether path names a test file (ends in _test.go). */
int is_test_path(const char *path);

/* JSON string writing, shared with the rules listing. */
void json_string(outbuf *o, const char *s);

#endif
