/* Checking the files of a scan on a pool of threads while the calling
 * thread is still collecting them, with the results emitted in list order
 * by the calling thread. The files of one directory are consecutive in the
 * list; a thread takes them together and checks each package among them
 * (same package clause) as one unit of analysis. With N jobs, N - 1
 * workers start at once and the calling thread, once it has walked the
 * paths, checks files too. Workers run at most a window of files ahead of
 * the output (a package of more files is checked in parts of that size),
 * and the units of a package are freed as soon as it is checked, so memory
 * grows with the number of jobs and the size of a package, not of the
 * scan. */
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

static void take_unit(const scan_file *file, goleak_unit *u, file_result *r, goleak_unit **out);

/* Parses a file of the scan into *out, or records in r why it cannot be
 * checked (a notice, unreadable, over a bound, binary). */
static void parse_file(const scan_file *file, const scan_options *o, file_result *r,
                       goleak_unit **out) {
    memset(r, 0, sizeof *r);
    *out = NULL;
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
    goleak_error_free(err);
    take_unit(file, u, r, out);
}

/* Takes a parsed unit into *out (its size, diagnostics and bound in r), or
 * frees it and records why it is not checked (binary). */
static void take_unit(const scan_file *file, goleak_unit *u, file_result *r, goleak_unit **out) {
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
        return;
    }
    r->bytes = len;
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
    *out = u;
}

void check_unit(const scan_file *file, const scan_options *o, goleak_unit *u, file_result *r) {
    goleak_unit *taken = NULL;
    take_unit(file, u, r, &taken);
    if (!taken) return;
    goleak_error *err = goleak_error_new();
    goleak_check_options co = GOLEAK_CHECK_OPTIONS_INIT;
    co.go_version = file->go_version;
    co.flags = o->check_flags;
    if (goleak_engine_check(&r->findings, o->engine, taken, &co, err) != 0) {
        r->io_error = 1;
        r->error = dup(err ? goleak_error_message(err) : "out of memory");
    }
    goleak_unit_free(taken);
    goleak_error_free(err);
}

/* Whether units a and b (of one directory) declare the same package and
 * have the same Go version. */
static int same_package(const goleak_unit *a, const scan_file *fa, const goleak_unit *b,
                        const scan_file *fb) {
    size_t na, nb;
    const char *pa = goleak_unit_package_name(a, &na), *pb = goleak_unit_package_name(b, &nb);
    if (!pa || !pb || na != nb || memcmp(pa, pb, na) != 0) return 0;
    const char *va = fa->go_version, *vb = fb->go_version;
    return va == vb || (va && vb && strcmp(va, vb) == 0);
}

/* Checks n files of one directory (taken together): each package among
 * them as one unit of analysis; results in r[0..n). */
static void check_group(const scan_file *f, size_t n, const scan_options *o, file_result *r) {
    goleak_unit **u = calloc(n, sizeof *u);
    const goleak_unit **pkg = calloc(n, sizeof *pkg);
    size_t *idx = calloc(n, sizeof *idx);
    goleak_findings **out = calloc(n, sizeof *out);
    unsigned char *taken = calloc(n, 1);
    if (!u || !pkg || !idx || !out || !taken) {
        for (size_t k = 0; k < n; k++) {
            memset(&r[k], 0, sizeof r[k]);
            r[k].io_error = 1;
            r[k].error = dup("out of memory");
        }
        goto done;
    }
    for (size_t k = 0; k < n; k++) parse_file(&f[k], o, &r[k], &u[k]);
    for (size_t k = 0; k < n; k++) {
        if (!u[k] || taken[k]) continue;
        /* the files of k's package: k and those after it with its clause */
        size_t m = 0;
        for (size_t j = k; j < n; j++)
            if (u[j] && !taken[j] && (j == k || same_package(u[k], &f[k], u[j], &f[j]))) {
                taken[j] = 1;
                idx[m] = j;
                pkg[m++] = u[j];
            }
        goleak_error *err = goleak_error_new();
        goleak_check_options co = GOLEAK_CHECK_OPTIONS_INIT;
        co.go_version = f[k].go_version;
        co.flags = o->check_flags;
        if (goleak_engine_check_package(out, o->engine, pkg, m, &co, err) != 0) {
            /* the file named in the error failed; its package's others are
             * checked alone, so that one file does not cost the others */
            for (size_t j = 0; j < m; j++) {
                file_result *rj = &r[idx[j]];
                if (m > 1 && goleak_engine_check(&rj->findings, o->engine, pkg[j], &co, err) == 0)
                    continue;
                rj->io_error = 1;
                rj->error = dup(err ? goleak_error_message(err) : "out of memory");
            }
        } else {
            for (size_t j = 0; j < m; j++) r[idx[j]].findings = out[j];
        }
        goleak_error_free(err);
    }
done:
    for (size_t k = 0; u && k < n; k++) goleak_unit_free(u[k]);
    free(u);
    free(pkg);
    free(idx);
    free(out);
    free(taken);
}

/* The length of dirname(path) (0 for a bare name). */
static size_t dir_len(const char *path) {
    const char *slash = strrchr(path, '/');
    return slash ? (size_t)(slash - path) + 1 : 0;
}

/* Whether entry b belongs with entry a in a group: both files to check, in
 * one directory. */
static int same_group(const scan_file *a, const scan_file *b) {
    if (a->notice || b->notice) return 0;
    size_t n = dir_len(a->path);
    return n == dir_len(b->path) && memcmp(a->path, b->path, n) == 0;
}

/* The size of the group that starts at entry first of the list: 0 while it
 * may still grow (its directory is being walked), at most max. */
static size_t group_size(const file_list *l, size_t first, size_t max, int closed) {
    size_t end = first + 1;
    while (end < l->len && end - first < max && same_group(&l->items[first], &l->items[end])) end++;
    if (end - first < max && end == l->len && !closed) return 0;
    return end - first;
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

/* The copy of a group of one file when no memory can be had for copies. */
static _Thread_local scan_file lone_file;

/* Takes the next group of files (copies into *f, malloc'ed: the list may
 * grow, and move, meanwhile) when it is complete and fits in the window;
 * its first index in *first. Returns its size, 0 when there is none yet.
 * Under the lock. */
static size_t take_group(scan_pool *p, scan_file **f, size_t *first) {
    *first = p->next;
    if (p->next >= p->l->len) return 0;
    size_t room = p->window - (p->next - p->emitted);
    size_t n = group_size(p->l, p->next, p->window, p->closed);
    /* with nothing in flight the window is empty, and any group fits */
    if (n == 0 || n > room) return 0;
    *f = malloc(n * sizeof **f);
    if (!*f) {
        /* no memory for the copies: the files are checked one at a time */
        n = 1;
        *f = &lone_file;
    }
    for (size_t k = 0; k < n; k++) (*f)[k] = p->l->items[p->next + k];
    p->next += n;
    return n;
}

static void release_group(scan_file *f) {
    if (f != &lone_file) free(f);
}

/* Checks a group taken by take_group and stores its results. */
static void check_files(scan_pool *p, const scan_file *f, size_t first, size_t n) {
    file_result one, *r = n > 1 ? calloc(n, sizeof *r) : &one;
    if (!r) { /* no memory for the results: one at a time */
        for (size_t k = 0; k < n; k++) check_files(p, f + k, first + k, 1);
        return;
    }
    check_group(f, n, p->o, r);
    pthread_mutex_lock(&p->mu);
    for (size_t k = 0; k < n; k++) {
        p->results[(first + k) % p->window] = r[k];
        p->done[(first + k) % p->window] = 1;
    }
    /* only the files the output waits for wake it: fewer context switches */
    if (p->emitted >= first && p->emitted < first + n) pthread_cond_signal(&p->ready);
    pthread_mutex_unlock(&p->mu);
    if (r != &one) free(r);
}

static void *worker(void *arg) {
    scan_pool *p = arg;
    for (;;) {
        pthread_mutex_lock(&p->mu);
        scan_file *f = NULL;
        size_t first, n;
        while ((n = take_group(p, &f, &first)) == 0) {
            if (p->closed && p->next >= p->l->len) { /* closed and nothing left */
                pthread_mutex_unlock(&p->mu);
                return NULL;
            }
            p->waiting++;
            pthread_cond_wait(&p->space, &p->mu);
            p->waiting--;
        }
        pthread_mutex_unlock(&p->mu);
        check_files(p, f, first, n);
        release_group(f);
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

/* Without workers: checks and emits, here and in order, every group of
 * files added since the last one emitted that is complete. */
static void check_in_place(scan_pool *p) {
    while (p->emitted < p->l->len) {
        size_t n = group_size(p->l, p->emitted, p->window, p->closed);
        if (n == 0) break;                             /* its directory is still being walked */
        const scan_file *f = &p->l->items[p->emitted]; /* the list does not grow meanwhile */
        file_result one, *r = n > 1 ? calloc(n, sizeof *r) : &one;
        if (!r) {
            r = &one;
            n = 1;
        }
        check_group(f, n, p->o, r);
        for (size_t k = 0; k < n; k++) {
            p->emit(&f[k], &r[k], p->ctx);
            result_free(&r[k]);
        }
        if (r != &one) free(r);
        p->emitted += n;
        p->next = p->emitted;
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
    if (p->threads == 0) {
        check_in_place(p); /* the last directory's files */
    } else {
        /* the walk is over: this thread checks files too, emitting between
         * groups, then waits for the workers' last results */
        for (;;) {
            emit_ready(p, 0);
            scan_file *f = NULL;
            size_t first;
            pthread_mutex_lock(&p->mu);
            if (p->next >= p->l->len) { /* every file is taken */
                pthread_mutex_unlock(&p->mu);
                break;
            }
            size_t n = take_group(p, &f, &first);
            if (n == 0) { /* no room in the window: wait for the file the output needs */
                while (!p->done[p->emitted % p->window]) pthread_cond_wait(&p->ready, &p->mu);
                pthread_mutex_unlock(&p->mu);
                continue;
            }
            pthread_mutex_unlock(&p->mu);
            check_files(p, f, first, n);
            release_group(f);
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
