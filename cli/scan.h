/* The scan command's pieces: collecting files, checking them in parallel,
 * and writing findings in each output format. */
#ifndef GOLEAK_CLI_SCAN_H
#define GOLEAK_CLI_SCAN_H

#include "cli.h"
#include "progress.h"
#include "seen.h"

#include <stdint.h>

/* How a notice affects the scan. */
enum notice_level {
    NOTICE_NONE,    /* a file to check */
    NOTICE_SKIPPED, /* a path that cannot be checked: an error (exit status 2) */
    NOTICE_WARNING  /* something the scan works around (a bad go.mod) */
};

/* An entry of the scan, in output order: a file to check, or a notice
 * about a path (said on stderr and in the json and sarif output). */
typedef struct scan_file {
    char *path;
    char *go_version; /* NULL: unknown; owned by the file list's cache */
    char *notice;     /* NOTICE_*: "PATH: reason" (owned by the list), else NULL */
    int level;        /* enum notice_level */
} scan_file;

typedef struct file_list {
    scan_file *items;
    size_t len, cap;
    /* go.mod cache: directory -> version (NULL: none) */
    struct gomod_entry *cache;
    size_t cache_len, cache_cap;
    id_set seen_ids; /* files and directories added or walked */
    str_set noticed; /* paths named in a notice */
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
    /* also skips the paths this says to skip (the configuration's excludes); may be NULL */
    int (*skip)(const char *path, void *ctx);
    void *skip_ctx;
} walk_options;

/* Adds a file, or the *.go files under a directory (walked with a stack of
 * its own, to any depth), to the list; a file or directory already added
 * is not added again. A path that cannot be checked (unreadable, dangling
 * or looping link, not a regular file, too long) becomes a notice entry,
 * once per path. Returns 0, or -1 when out of memory. */
int files_add_path(file_list *l, const char *path, const walk_options *o);
/* Adds the paths listed one per line on stdin (lines of any length). */
int files_add_stdin(file_list *l, const walk_options *o);
void files_free(file_list *l);

/* A diagnostic kept for reporting after the unit is gone. */
typedef struct kept_diag {
    unsigned line, column;
    char *message;
} kept_diag;

/* What checking one file produced. */
typedef struct file_result {
    int io_error;  /* the file could not be checked (read, bounds, binary, a notice) */
    int warning;   /* error is a warning: the file is not affected */
    int truncated; /* checked only up to the nesting limit */
    char *error;   /* the message of io_error or warning */
    goleak_findings *findings;
    kept_diag *diags; /* syntax errors */
    size_t ndiags;
    size_t bytes; /* the source's size */
} file_result;

void result_free(file_result *r);

typedef struct scan_options {
    const goleak_engine *engine;
    const goleak_parse_options *parse; /* bounds */
    unsigned check_flags;
    int jobs;
} scan_options;

/* Checks a parsed unit into *r (zeroed by the caller) and frees it: what
 * a scan does with each file once it is parsed. */
void check_unit(const scan_file *file, const scan_options *o, goleak_unit *u, file_result *r);

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

/* The scan's output: the library's writer for the findings, stderr for the
 * errors. */
typedef struct formatter {
    goleak_writer *writer;
    outbuf *out;
    size_t nfindings; /* written */
    progress *prog;   /* erased before output reaches the terminal; may be NULL */
    int stdout_tty;
    /* which findings are written (a baseline, changed code); NULL: all */
    int (*keep)(const goleak_finding *f, void *ctx);
    void *keep_ctx;
} formatter;

/* Starts the output in a goleak format: 0 or a goleak status. */
int format_begin(formatter *fm, int format, outbuf *out, const goleak_engine *engine,
                 progress *prog);
void format_file(formatter *fm, const scan_file *file, const file_result *r);
/* Ends the output: 0, or GOLEAK_EIO when stdout could not be written. */
int format_end(formatter *fm, int execution_ok);

#endif
