/* Checking the files of a scan on a pool of threads while the calling
 * thread is still collecting them, with the results emitted in list order
 * by the calling thread. With N jobs, N - 1 workers start at once and the
 * calling thread, once it has walked the paths, checks files too. Workers
 * run at most a window of files ahead of the output, and each unit is
 * freed as soon as it is checked, so memory grows with the number of jobs,
 * not of files. */
#include "scan.h"

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static char *dup(const char *s) {
    size_t n = strlen(s) + 1;
    char *d = malloc(n);
    if (d) memcpy(d, s, n);
    return d;
}

void result_free(file_result *r) {
    free(r->error);
    goleak_findings_free(r->findings);
    for (size_t k = 0; k < r->ndiags; k++) free(r->diags[k].message);
    free(r->diags);
    memset(r, 0, sizeof *r);
}

/* Bytes at the start of a file looked at for a NUL: Go source has none. */
enum { BINARY_PROBE = 8192 };

static void check_file(const scan_file *file, const scan_options *o, file_result *r) {
    memset(r, 0, sizeof *r);
    if (file->notice) { /* nothing to check: the walk's message */
        r->io_error = file->level == NOTICE_SKIPPED;
        r->warning = file->level == NOTICE_WARNING;
        r->error = dup(file->notice);
        return;
    }
    goleak_error *err = goleak_error_new();
    goleak_unit *u = NULL;
    if (goleak_unit_parse_file(&u, file->path, o->parse, err) != 0) {
        r->io_error = 1;
        r->error = dup(err ? goleak_error_message(err) : "out of memory");
        goleak_error_free(err);
        return;
    }
    size_t len;
    const char *src = goleak_unit_source(u, &len);
    const char *nul = memchr(src, 0, len < BINARY_PROBE ? len : BINARY_PROBE);
    if (nul) {
        /* a binary file: its thousand "errors" would say nothing more */
        char msg[96];
        snprintf(msg, sizeof msg, ": binary file (a NUL byte at offset %zu), skipped",
                 (size_t)(nul - src));
        size_t n = strlen(file->path) + strlen(msg) + 1;
        r->io_error = 1;
        r->error = malloc(n);
        if (r->error) snprintf(r->error, n, "%s%s", file->path, msg);
        goleak_unit_free(u);
        goleak_error_free(err);
        return;
    }
    r->truncated = goleak_unit_truncated(u);
    size_t nd = goleak_unit_diagnostic_count(u);
    if (nd) {
        r->diags = calloc(nd, sizeof *r->diags);
        for (size_t k = 0; r->diags && k < nd; k++) {
            goleak_pos p = goleak_unit_diagnostic_pos(u, k);
            r->diags[k].line = p.line;
            r->diags[k].column = p.column;
            r->diags[k].message = dup(goleak_unit_diagnostic_message(u, k));
            r->ndiags++;
        }
    }
    goleak_check_options co = GOLEAK_CHECK_OPTIONS_INIT;
    co.go_version = file->go_version;
    co.flags = o->check_flags;
    if (goleak_engine_check(&r->findings, o->engine, u, &co, err) != 0) {
        r->io_error = 1;
        r->error = dup(err ? goleak_error_message(err) : "out of memory");
    }
    goleak_unit_free(u);
    goleak_error_free(err);
}

struct scan_pool {
    file_list *l;
    const scan_options *o;
    scan_emit_fn emit;
    void *ctx;
    int threads; /* workers started; 0: files are checked by the calling thread */
    pthread_t *th;
    pthread_mutex_t mu;   /* guards everything below and the list's growth */
    pthread_cond_t ready; /* a result the output waits for is done */
    pthread_cond_t space; /* the output moved on, a file was added, or the end */
    size_t next, emitted, window;
    int closed;           /* no more files will be added */
    int waiting;          /* workers waiting for the output to move on or for a file */
    file_result *results; /* a ring of `window` slots: file i in slot i % window */
    unsigned char *done;
};

/* Files a thread takes at once: fewer lock round trips per file. */
enum { BATCH = 4 };

/* Takes up to BATCH files (copies: the list may grow, and move, meanwhile)
 * within the window; the index of the first in *first. Under the lock. */
static size_t take_files(scan_pool *p, scan_file *f, size_t *first) {
    size_t n = 0;
    *first = p->next;
    while (n < BATCH && p->next < p->l->len && p->next - p->emitted < p->window)
        f[n++] = p->l->items[p->next++];
    return n;
}

/* Checks files taken by take_files and stores their results. */
static void check_files(scan_pool *p, const scan_file *f, size_t first, size_t n) {
    file_result r[BATCH];
    for (size_t k = 0; k < n; k++) check_file(&f[k], p->o, &r[k]);
    pthread_mutex_lock(&p->mu);
    for (size_t k = 0; k < n; k++) {
        p->results[(first + k) % p->window] = r[k];
        p->done[(first + k) % p->window] = 1;
    }
    /* only the files the output waits for wake it: fewer context switches */
    if (p->emitted >= first && p->emitted < first + n) pthread_cond_signal(&p->ready);
    pthread_mutex_unlock(&p->mu);
}

static void *worker(void *arg) {
    scan_pool *p = arg;
    for (;;) {
        pthread_mutex_lock(&p->mu);
        while (!(p->next < p->l->len && p->next - p->emitted < p->window) &&
               !(p->closed && p->next >= p->l->len)) {
            p->waiting++;
            pthread_cond_wait(&p->space, &p->mu);
            p->waiting--;
        }
        if (p->next >= p->l->len) { /* closed and nothing left */
            pthread_mutex_unlock(&p->mu);
            return NULL;
        }
        scan_file f[BATCH];
        size_t first, n = take_files(p, f, &first);
        pthread_mutex_unlock(&p->mu);
        check_files(p, f, first, n);
    }
}

/* Emits the results that are ready, in order, from the calling thread;
 * with wait, until every file added so far is emitted. */
static void emit_ready(scan_pool *p, int wait) {
    pthread_mutex_lock(&p->mu);
    for (;;) {
        size_t i = p->emitted;
        if (i >= p->l->len) break;
        if (!p->done[i % p->window]) {
            if (!wait) break;
            pthread_cond_wait(&p->ready, &p->mu);
            continue;
        }
        /* take every result that is ready, in order, then emit them unlocked */
        size_t end = i;
        while (end < p->l->len && end - i < p->window && p->done[end % p->window]) end++;
        pthread_mutex_unlock(&p->mu);
        for (size_t k = i; k < end; k++) {
            p->emit(&p->l->items[k], &p->results[k % p->window], p->ctx);
            result_free(&p->results[k % p->window]);
        }
        pthread_mutex_lock(&p->mu);
        for (size_t k = i; k < end; k++) p->done[k % p->window] = 0;
        p->emitted = end;
        if (p->waiting) pthread_cond_broadcast(&p->space);
    }
    pthread_mutex_unlock(&p->mu);
}

/* Without workers: checks and emits, here and in order, every file added
 * since the last one emitted. */
static void check_in_place(scan_pool *p) {
    for (; p->emitted < p->l->len; p->emitted++) {
        const scan_file *file = &p->l->items[p->emitted];
        file_result r;
        check_file(file, p->o, &r);
        p->emit(file, &r, p->ctx);
        result_free(&r);
    }
}

/* Called by the list after each file it adds. */
static void file_added(void *arg) {
    scan_pool *p = arg;
    if (p->threads == 0) {
        check_in_place(p);
        return;
    }
    pthread_mutex_lock(&p->mu);
    if (p->waiting) pthread_cond_signal(&p->space);
    pthread_mutex_unlock(&p->mu);
    /* the output every few files: often enough that the window never fills
     * (the walk is much faster than the checks), rarely enough not to
     * contend with the workers for the lock */
    if (p->l->len % 16 == 0) emit_ready(p, 0);
}

static void file_list_lock(void *arg, int lock) {
    scan_pool *p = arg;
    if (lock)
        pthread_mutex_lock(&p->mu);
    else
        pthread_mutex_unlock(&p->mu);
}

scan_pool *scan_start(file_list *l, const scan_options *o, scan_emit_fn emit, void *ctx) {
    scan_pool *p = calloc(1, sizeof *p);
    if (!p) return NULL;
    int jobs = o->jobs > 0 ? o->jobs : 1;
    p->l = l;
    p->o = o;
    p->emit = emit;
    p->ctx = ctx;
    /* results hold findings only (units are freed at once): a wide window
     * keeps the workers from waiting on a slow file or on the output */
    p->window = (size_t)jobs * 64;
    p->results = calloc(p->window, sizeof *p->results);
    p->done = calloc(p->window, 1);
    p->th = calloc((size_t)jobs, sizeof *p->th);
    if (!p->results || !p->done || !p->th) {
        free(p->results);
        free(p->done);
        free(p->th);
        free(p);
        return NULL;
    }
    pthread_mutex_init(&p->mu, NULL);
    pthread_cond_init(&p->ready, NULL);
    pthread_cond_init(&p->space, NULL);
    /* jobs - 1 workers: the calling thread walks, then checks too */
    for (; p->threads < jobs - 1; p->threads++)
        if (pthread_create(&p->th[p->threads], NULL, worker, p) != 0) break;
    /* files already in the list (none from the scan command) go first */
    if (p->threads == 0) check_in_place(p);
    l->added = file_added;
    l->lock = file_list_lock;
    l->hook_ctx = p;
    return p;
}

void scan_finish(scan_pool *p) {
    file_list *l = p->l;
    pthread_mutex_lock(&p->mu);
    p->closed = 1;
    l->added = NULL;
    l->lock = NULL;
    l->hook_ctx = NULL;
    pthread_cond_broadcast(&p->space);
    pthread_mutex_unlock(&p->mu);
    if (p->threads > 0) {
        /* the walk is over: this thread checks files too, emitting between
         * batches, then waits for the workers' last results */
        for (;;) {
            emit_ready(p, 0);
            scan_file f[BATCH];
            size_t first;
            pthread_mutex_lock(&p->mu);
            if (p->next >= p->l->len) { /* every file is taken */
                pthread_mutex_unlock(&p->mu);
                break;
            }
            size_t n = take_files(p, f, &first);
            if (n == 0) { /* the window is full: wait for the file the output needs */
                while (!p->done[p->emitted % p->window]) pthread_cond_wait(&p->ready, &p->mu);
                pthread_mutex_unlock(&p->mu);
                continue;
            }
            pthread_mutex_unlock(&p->mu);
            check_files(p, f, first, n);
        }
        emit_ready(p, 1);
    }
    for (int k = 0; k < p->threads; k++) pthread_join(p->th[k], NULL);
    pthread_mutex_destroy(&p->mu);
    pthread_cond_destroy(&p->ready);
    pthread_cond_destroy(&p->space);
    free(p->results);
    free(p->done);
    free(p->th);
    free(p);
}
