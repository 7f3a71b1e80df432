/* The library on a host thread with a small stack: every input is parsed
 * (and, in "check" mode, checked with every built-in rule) on a thread
 * created with a 256 KiB stack, as a linter or an editor plugin may run
 * it. A stack overflow kills the process: the test then fails.
 *
 * usage: test_small_stack parse|check INPUT...
 *   INPUT: "fixtures" (the rule fixtures and the examples), or the name of
 *   a deep shape (deep_inputs.c) at its depth within go/parser's limit, or
 *   "NAME:over", the shape twice as deep (cut at the nesting limit), or
 *   "NAME@N", the shape at N repetitions. */
#include <pthread.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cmocka.h>

#include "deep_inputs.h"
#include "helpers.h"

#define SMALL_STACK ((size_t)256 * 1024)

typedef struct job {
    int check;
    const goleak_engine *engine;
    const char *path; /* a file, or NULL for src */
    const char *src;
    size_t len;
    int rc;
    size_t findings;
    int truncated;
} job;

static void *run(void *arg) {
    job *j = arg;
    goleak_unit *u = NULL;
    j->rc = j->path ? goleak_unit_parse_file(&u, j->path, NULL, NULL)
                    : goleak_unit_parse(&u, "deep.go", j->src, j->len, NULL, NULL);
    if (j->rc) return NULL;
    j->truncated = goleak_unit_truncated(u);
    if (j->check) {
        goleak_findings *fs = NULL;
        j->rc = goleak_engine_check(&fs, j->engine, u, NULL, NULL);
        j->findings = goleak_findings_count(fs);
        goleak_findings_free(fs);
    }
    goleak_unit_free(u);
    return NULL;
}

/* Runs j on a thread with a 256 KiB stack, in a child process so that a
 * stack overflow is reported (as a crash, exit status 1) rather than
 * ending the test. The child's results come back through a pipe. */
static void on_small_stack(job *j) {
    int fds[2];
    if (pipe(fds) != 0) exit(2);
    fflush(stdout);
    pid_t pid = fork();
    if (pid < 0) exit(2);
    if (pid == 0) {
        close(fds[0]);
        pthread_attr_t attr;
        pthread_t th;
        if (pthread_attr_init(&attr) || pthread_attr_setstacksize(&attr, SMALL_STACK) ||
            pthread_create(&th, &attr, run, j))
            _exit(3);
        pthread_join(th, NULL);
        ssize_t w = write(fds[1], j, sizeof *j);
        _exit(w == (ssize_t)sizeof *j ? 0 : 3);
    }
    close(fds[1]);
    job got;
    ssize_t r = read(fds[0], &got, sizeof got);
    close(fds[0]);
    int status;
    waitpid(pid, &status, 0);
    if (r == (ssize_t)sizeof got && WIFEXITED(status) && WEXITSTATUS(status) == 0) {
        j->rc = got.rc;
        j->findings = got.findings;
        j->truncated = got.truncated;
        return;
    }
    printf("CRASH on a 256 KiB stack (%s %d): %s\n", WIFSIGNALED(status) ? "signal" : "exit status",
           WIFSIGNALED(status) ? WTERMSIG(status) : WEXITSTATUS(status), j->path ? j->path : "");
    j->rc = -100;
}

int main(int argc, char **argv) {
    if (argc < 3 || (strcmp(argv[1], "parse") != 0 && strcmp(argv[1], "check") != 0)) {
        fprintf(stderr, "usage: test_small_stack parse|check INPUT...\n");
        return 2;
    }
    int check = strcmp(argv[1], "check") == 0, bad = 0;
    goleak_engine *e = NULL;
    if (goleak_engine_new(&e, NULL, NULL) || goleak_engine_add_builtin_rules(e, NULL)) return 2;
    for (int k = 2; k < argc; k++) {
        if (strcmp(argv[k], "fixtures") == 0) {
            size_t n;
            char **files = fixture_files(&n);
            for (size_t i = 0; i < n; i++) {
                job j = {check, e, files[i], NULL, 0, 0, 0, 0};
                on_small_stack(&j);
                if (j.rc) {
                    printf("FAIL %s: %s\n", files[i],
                           j.rc == -100 ? "crash" : goleak_strerror(j.rc));
                    bad = 1;
                }
            }
            printf("%s %zu fixture files on a 256 KiB stack\n", check ? "checked" : "parsed", n);
            free_list(files, n);
            continue;
        }
        char name[64];
        snprintf(name, sizeof name, "%s", argv[k]);
        char *colon = strchr(name, ':'), *at = strchr(name, '@');
        int over = colon && strcmp(colon, ":over") == 0;
        size_t reps = at ? (size_t)strtoul(at + 1, NULL, 10) : 0;
        if (colon) *colon = 0;
        if (at) *at = 0;
        const deep_shape *s = deep_shape_named(name);
        if (!s) {
            fprintf(stderr, "no shape %s\n", name);
            return 2;
        }
        size_t n = over ? 2 * s->n + 1000 : reps ? reps : s->n, len;
        char *src = deep_source(s, n, &len);
        job j = {check, e, NULL, src, len, 0, 0, 0};
        on_small_stack(&j);
        /* within the limit the file is whole; over it, cut short */
        int ok = j.rc == 0 && j.truncated == (over && s->n > 10000);
        printf("%s %s: %zu repetitions, %zu bytes, %s, %zu findings, %s\n", ok ? "ok" : "FAIL",
               argv[k], n, len, j.truncated ? "truncated" : "whole", j.findings,
               j.rc == -100 ? "crash" : goleak_strerror(j.rc));
        if (!ok) bad = 1;
        free(src);
    }
    goleak_engine_free(e);
    return bad;
}
