/* Checking the files of a scan on a pool of threads, with the results
 * emitted in list order by the calling thread. Workers run at most a window
 * of files ahead of the output, and each unit is freed as soon as it is
 * checked, so memory grows with the number of jobs, not of files. */
#include "scan.h"

#include <pthread.h>
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
    free(r->cp_columns);
    for (size_t k = 0; k < r->ndiags; k++) free(r->diags[k].message);
    free(r->diags);
    memset(r, 0, sizeof *r);
}

/* The column of a position in Unicode code points (SARIF's default kind is
 * UTF-16 units; goleak declares code points). */
static uint32_t cp_column(const char *src, goleak_pos p) {
    uint32_t line_start = p.offset - (p.column - 1), col = 1;
    for (uint32_t k = line_start; k < p.offset; k++)
        if (((unsigned char)src[k] & 0xC0) != 0x80) col++;
    return col;
}

static void check_file(const scan_file *file, const scan_options *o, file_result *r) {
    memset(r, 0, sizeof *r);
    goleak_error *err = goleak_error_new();
    goleak_unit *u = NULL;
    if (goleak_unit_parse_file(&u, file->path, NULL, err) != 0) {
        r->io_error = 1;
        r->error = dup(goleak_error_message(err));
        goleak_error_free(err);
        return;
    }
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
        r->error = dup(goleak_error_message(err));
    } else {
        size_t n = goleak_findings_count(r->findings);
        const char *src = goleak_unit_source(u, NULL);
        r->cp_columns = n ? malloc(2 * n * sizeof *r->cp_columns) : NULL;
        for (size_t k = 0; r->cp_columns && k < n; k++) {
            goleak_span sp = goleak_finding_span(goleak_findings_get(r->findings, k));
            r->cp_columns[2 * k] = cp_column(src, sp.start);
            r->cp_columns[2 * k + 1] = cp_column(src, sp.end);
        }
    }
    goleak_unit_free(u);
    goleak_error_free(err);
}

typedef struct pool {
    const file_list *l;
    const scan_options *o;
    pthread_mutex_t mu;
    pthread_cond_t ready; /* a result is done */
    pthread_cond_t space; /* the output moved on */
    size_t next, emitted, window;
    int waiting; /* workers waiting for the output to move on */
    file_result *results;
    unsigned char *done;
} pool;

static void *worker(void *arg) {
    pool *p = arg;
    for (;;) {
        pthread_mutex_lock(&p->mu);
        while (p->next < p->l->len && p->next - p->emitted >= p->window) {
            p->waiting++;
            pthread_cond_wait(&p->space, &p->mu);
            p->waiting--;
        }
        if (p->next >= p->l->len) {
            pthread_mutex_unlock(&p->mu);
            return NULL;
        }
        size_t i = p->next++;
        pthread_mutex_unlock(&p->mu);
        file_result r;
        check_file(&p->l->items[i], p->o, &r);
        pthread_mutex_lock(&p->mu);
        p->results[i] = r;
        p->done[i] = 1;
        /* only the file the output waits for wakes it: fewer context switches */
        if (i == p->emitted) pthread_cond_signal(&p->ready);
        pthread_mutex_unlock(&p->mu);
    }
}

int scan_run(const file_list *l, const scan_options *o,
             void (*emit)(const scan_file *file, file_result *r, void *ctx), void *ctx) {
    int jobs = o->jobs > 0 ? o->jobs : 1;
    if ((size_t)jobs > l->len) jobs = l->len > 0 ? (int)l->len : 1;
    if (jobs == 1) {
        for (size_t i = 0; i < l->len; i++) {
            file_result r;
            check_file(&l->items[i], o, &r);
            emit(&l->items[i], &r, ctx);
            result_free(&r);
        }
        return 0;
    }
    pool p;
    memset(&p, 0, sizeof p);
    p.l = l;
    p.o = o;
    /* results hold findings only (units are freed at once): a wide window
     * keeps the workers from waiting on a slow file or on the output */
    p.window = (size_t)jobs * 64;
    p.results = calloc(l->len, sizeof *p.results);
    p.done = calloc(l->len, 1);
    pthread_t *th = calloc((size_t)jobs, sizeof *th);
    if (!p.results || !p.done || !th) {
        free(p.results);
        free(p.done);
        free(th);
        return -1;
    }
    pthread_mutex_init(&p.mu, NULL);
    pthread_cond_init(&p.ready, NULL);
    pthread_cond_init(&p.space, NULL);
    int started = 0;
    for (; started < jobs; started++)
        if (pthread_create(&th[started], NULL, worker, &p) != 0) break;
    if (started == 0) { /* no thread could start: check everything here first */
        p.window = (size_t)-1;
        worker(&p);
    }
    for (size_t i = 0; i < l->len;) {
        /* take every result that is ready, in order, then emit them unlocked */
        pthread_mutex_lock(&p.mu);
        while (!p.done[i]) pthread_cond_wait(&p.ready, &p.mu);
        size_t end = i;
        while (end < l->len && p.done[end]) end++;
        pthread_mutex_unlock(&p.mu);
        for (size_t k = i; k < end; k++) {
            emit(&l->items[k], &p.results[k], ctx);
            result_free(&p.results[k]);
        }
        pthread_mutex_lock(&p.mu);
        p.emitted = i = end;
        if (p.waiting) pthread_cond_broadcast(&p.space);
        pthread_mutex_unlock(&p.mu);
    }
    for (int k = 0; k < started; k++) pthread_join(th[k], NULL);
    pthread_mutex_destroy(&p.mu);
    pthread_cond_destroy(&p.ready);
    pthread_cond_destroy(&p.space);
    free(p.results);
    free(p.done);
    free(th);
    return 0;
}
