/* The library as hosts use it: one engine checking from several threads at
 * once (run under ThreadSanitizer in CI), a rule callback that fails, an
 * allocator that fails the N-th allocation for every N along parse and
 * check of the fixtures (every call fails cleanly or succeeds, nothing
 * leaks, the engine stays usable), an allocator whose realloc always moves
 * the block, a C rule reporting on a node recovered from an empty source,
 * and go.mod files that are long, broken or odd. */
#include <pthread.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cmocka.h>

#include "helpers.h"

/* The findings of a check as one string: "RULE L:C-L:C message\n"... */
static char *findings_str(const goleak_findings *fs) {
    size_t cap = 256, len = 0;
    char *s = malloc(cap);
    assert_non_null(s);
    s[0] = 0;
    for (size_t i = 0; i < goleak_findings_count(fs); i++) {
        const goleak_finding *f = goleak_findings_get(fs, i);
        goleak_span sp = goleak_finding_span(f);
        const char *msg = goleak_finding_message(f);
        size_t need = len + strlen(msg) + 80;
        if (need > cap) {
            cap = 2 * need;
            s = realloc(s, cap);
            assert_non_null(s);
        }
        len += (size_t)sprintf(s + len, "%s %u:%u-%u:%u %s\n", goleak_finding_rule_id(f),
                               sp.start.line, sp.start.column, sp.end.line, sp.end.column, msg);
    }
    return s;
}

/* Parses and checks a file; the findings as a string, or NULL when a call
 * failed (its status in *rc). */
static char *check_file(const goleak_engine *e, const char *path, const goleak_allocator *a,
                        int *rc) {
    goleak_parse_options po = GOLEAK_PARSE_OPTIONS_INIT;
    po.allocator = a;
    goleak_unit *u = (goleak_unit *)1;
    *rc = goleak_unit_parse_file(&u, path, &po, NULL);
    if (*rc) {
        assert_null(u);
        return NULL;
    }
    goleak_findings *fs = (goleak_findings *)1;
    *rc = goleak_engine_check(&fs, e, u, NULL, NULL);
    char *s = NULL;
    if (*rc == 0)
        s = findings_str(fs);
    else
        assert_null(fs);
    goleak_findings_free(fs);
    goleak_unit_free(u);
    return s;
}

/* ---- one engine, several threads ---- */

typedef struct thread_job {
    const goleak_engine *e;
    char **files;
    char **want;
    size_t n;
    int rounds;
    int differ;
} thread_job;

static void *check_all(void *arg) {
    thread_job *j = arg;
    for (int r = 0; r < j->rounds; r++) {
        for (size_t k = 0; k < j->n; k++) {
            /* each thread starts at another file */
            size_t i = (k + (size_t)r * 7) % j->n;
            int rc;
            char *got = check_file(j->e, j->files[i], NULL, &rc);
            if (rc || strcmp(got, j->want[i]) != 0) j->differ++;
            free(got);
        }
    }
    return NULL;
}

static void test_one_engine_many_threads(void **state) {
    (void)state;
    goleak_engine *e = NULL;
    assert_int_equal(goleak_engine_new(&e, NULL, NULL), 0);
    assert_int_equal(goleak_engine_add_builtin_rules(e, NULL), 0);
    size_t n;
    char **files = fixture_files(&n);
    char **want = calloc(n, sizeof *want);
    size_t total = 0;
    for (size_t k = 0; k < n; k++) {
        int rc;
        want[k] = check_file(e, files[k], NULL, &rc);
        assert_int_equal(rc, 0);
        total += strlen(want[k]);
    }
    assert_true(total > 1000); /* the fixtures have findings */
    enum { THREADS = 4 };
    pthread_t th[THREADS];
    thread_job jobs[THREADS];
    for (int t = 0; t < THREADS; t++) {
        jobs[t] = (thread_job){e, files, want, n, 3, 0};
        assert_int_equal(pthread_create(&th[t], NULL, check_all, &jobs[t]), 0);
    }
    for (int t = 0; t < THREADS; t++) {
        pthread_join(th[t], NULL);
        assert_int_equal(jobs[t].differ, 0);
    }
    free_list(want, n);
    free_list(files, n);
    goleak_engine_free(e);
}

/* ---- a rule callback that fails ---- */

static int fail_second(goleak_check *chk, void *ud) {
    int *calls = ud;
    goleak_check_report(chk, goleak_unit_root(goleak_check_unit(chk)), "reported before failing");
    return ++*calls == 2 ? 7 : 0;
}

static void test_failing_callback(void **state) {
    (void)state;
    test_alloc t;
    test_alloc_init(&t);
    goleak_engine *e = engine_on_alloc(&t, 1);
    int calls = 0;
    goleak_rule_def d = GOLEAK_RULE_DEF_INIT;
    d.id = "XX001";
    d.name = "fails-second";
    d.check = fail_second;
    d.user_data = &calls;
    assert_int_equal(goleak_engine_register_rule(e, &d, NULL), 0);
    const char *path = GOLEAK_SOURCE_DIR "/examples/gl015_ticker_not_stopped.go";
    int rc;
    char *first = check_file(e, path, &t.a, &rc);
    assert_int_equal(rc, 0);
    assert_non_null(strstr(first, "XX001 "));
    long live = t.live;
    /* the second call fails: the check fails, naming the rule, and nothing
     * it had reported leaks */
    goleak_unit *u = NULL;
    assert_int_equal(goleak_unit_parse_file(&u, path, NULL, NULL), 0);
    goleak_findings *fs = (goleak_findings *)1;
    goleak_error *err = goleak_error_new();
    assert_int_equal(goleak_engine_check(&fs, e, u, NULL, err), GOLEAK_EUSER);
    assert_null(fs);
    assert_non_null(strstr(goleak_error_message(err), "rule XX001 failed"));
    assert_int_equal(t.live, live);
    /* the engine goes on: the next checks find what the first found */
    char *again = check_file(e, path, &t.a, &rc);
    assert_int_equal(rc, 0);
    assert_string_equal(again, first);
    assert_int_equal(goleak_engine_enable_rules(e, "XX001", 0, NULL), 0);
    assert_int_equal(goleak_engine_check(&fs, e, u, NULL, err), 0);
    assert_null(strstr(goleak_finding_rule_id(goleak_findings_get(fs, 0)), "XX001"));
    goleak_findings_free(fs);
    goleak_unit_free(u);
    goleak_error_free(err);
    free(first);
    free(again);
    goleak_engine_free(e);
    assert_int_equal(t.live, 0);
}

/* ---- the N-th allocation fails, for every N ---- */

static void test_every_allocation_failure(void **state) {
    (void)state;
    test_alloc t;
    test_alloc_init(&t);
    goleak_engine *e = engine_on_alloc(&t, 1);
    long base = t.live;
    size_t n;
    char **files = fixture_files(&n);
    long runs = 0;
    for (size_t k = 0; k < n; k++) {
        t.calls = 0;
        t.fail_at = -1;
        int rc;
        char *want = check_file(e, files[k], &t.a, &rc);
        assert_int_equal(rc, 0);
        long total = t.calls;
        for (long fail = 0; fail < total; fail++) {
            t.calls = 0;
            t.fail_at = fail;
            char *got = check_file(e, files[k], &t.a, &rc);
            if (rc != GOLEAK_ENOMEM)
                fail_msg("%s: allocation %ld of %ld failed, the calls returned %d", files[k], fail,
                         total, rc);
            assert_null(got);
            assert_int_equal(t.live, base);
            runs++;
        }
        /* and the engine is as it was */
        t.fail_at = -1;
        char *got = check_file(e, files[k], &t.a, &rc);
        assert_int_equal(rc, 0);
        assert_string_equal(got, want);
        free(got);
        free(want);
    }
    printf("%zu files, %ld failed allocations\n", n, runs);
    free_list(files, n);
    goleak_engine_free(e);
    assert_int_equal(t.live, 0);
}

/* ---- realloc that always moves ---- */

static void test_suppressions_with_moving_realloc(void **state) {
    (void)state;
    test_alloc t;
    test_alloc_init(&t);
    t.move = 1;
    goleak_engine *e = engine_on_alloc(&t, 1);
    /* 100,000 suppression comments, and two tickers: one suppressed by the
     * last comment, one not */
    enum { LINES = 100000 };
    size_t cap = 64 + LINES * 12 + 400, len = 0;
    char *src = malloc(cap);
    len += (size_t)sprintf(src, "package p\n\nimport \"time\"\n\n");
    for (int k = 0; k < LINES; k++) len += (size_t)sprintf(src + len, "//nolint\n");
    len += (size_t)sprintf(src + len, "func f() {\n\t//nolint:goleak\n\ta := time.NewTicker(1)\n"
                                      "\tb := time.NewTicker(1)\n\t_, _ = a, b\n}\n");
    goleak_parse_options po = GOLEAK_PARSE_OPTIONS_INIT;
    po.allocator = &t.a;
    goleak_unit *u = NULL;
    assert_int_equal(goleak_unit_parse(&u, "s.go", src, len, &po, NULL), 0);
    long before = t.reallocs;
    goleak_findings *fs = NULL;
    assert_int_equal(goleak_engine_check(&fs, e, u, NULL, NULL), 0);
    /* the list of suppressions grows by doubling, not by one */
    printf("check: %ld reallocs for %d suppression comments\n", t.reallocs - before, LINES);
    assert_true(t.reallocs - before < 200);
    assert_int_equal(goleak_findings_count(fs), 1);
    assert_int_equal(goleak_finding_span(goleak_findings_get(fs, 0)).start.line, LINES + 8);
    goleak_findings_free(fs);
    /* with the unused ones reported (GL000), merged in order */
    goleak_check_options co = GOLEAK_CHECK_OPTIONS_INIT;
    co.flags = GOLEAK_CHECK_REPORT_UNUSED_IGNORES;
    assert_int_equal(goleak_engine_check(&fs, e, u, &co, NULL), 0);
    assert_int_equal(goleak_findings_count(fs), 1); /* plain //nolint is never reported */
    goleak_findings_free(fs);
    goleak_unit_free(u);
    free(src);
    goleak_engine_free(e);
    assert_int_equal(t.live, 0);
}

static void test_unused_ignores_merged_in_order(void **state) {
    (void)state;
    goleak_engine *e = NULL;
    assert_int_equal(goleak_engine_new(&e, NULL, NULL), 0);
    assert_int_equal(goleak_engine_add_builtin_rules(e, NULL), 0);
    goleak_unit *u = parse_str("package p\n\nimport \"time\"\n\n//goleak:ignore GL005 a\n"
                               "func f() {\n\ta := time.NewTicker(1)\n\t_ = a\n}\n"
                               "//goleak:ignore GL005 b\nfunc g() {\n\tb := time.NewTicker(1)\n"
                               "\t_ = b\n}\n//goleak:ignore GL005 c\n");
    goleak_check_options co = GOLEAK_CHECK_OPTIONS_INIT;
    co.flags = GOLEAK_CHECK_REPORT_UNUSED_IGNORES;
    goleak_findings *fs = NULL;
    assert_int_equal(goleak_engine_check(&fs, e, u, &co, NULL), 0);
    char *s = findings_str(fs);
    const char *lines[] = {"GL000 5:", "GL015 7:", "GL000 10:", "GL015 12:", "GL000 15:"};
    const char *p = s;
    for (size_t k = 0; k < 5; k++) {
        if (strncmp(p, lines[k], strlen(lines[k])) != 0) fail_msg("want %s in\n%s", lines[k], s);
        p = strchr(p, '\n') + 1;
    }
    free(s);
    goleak_findings_free(fs);
    goleak_unit_free(u);
    goleak_engine_free(e);
}

/* ---- a rule reporting on a node recovered at token 0 ---- */

static int report_first_node(goleak_check *chk, void *ud) {
    (void)ud;
    const goleak_node *pkg = goleak_node_first_child(goleak_unit_root(goleak_check_unit(chk)));
    int rc = goleak_check_report(chk, pkg, "the package clause");
    if (rc == 0) rc = goleak_check_report_tokens(chk, 0, GOLEAK_NONE, "no tokens at all");
    return rc;
}

static void test_report_on_empty_source(void **state) {
    (void)state;
    goleak_engine *e = NULL;
    assert_int_equal(goleak_engine_new(&e, NULL, NULL), 0);
    goleak_rule_def d = GOLEAK_RULE_DEF_INIT;
    d.id = "XX002";
    d.name = "first-node";
    d.check = report_first_node;
    assert_int_equal(goleak_engine_register_rule(e, &d, NULL), 0);
    goleak_unit *u = NULL;
    assert_int_equal(goleak_unit_parse(&u, "empty.go", "", 0, NULL, NULL), 0);
    const goleak_node *pkg = goleak_node_first_child(goleak_unit_root(u));
    assert_int_equal(goleak_node_kind(pkg), GOLEAK_NODE_PACKAGE);
    assert_int_equal(goleak_node_first_token(pkg), 0);
    assert_int_equal(goleak_node_last_token(pkg), GOLEAK_NONE);
    goleak_findings *fs = NULL;
    assert_int_equal(goleak_engine_check(&fs, e, u, NULL, NULL), 0);
    assert_int_equal(goleak_findings_count(fs), 2);
    for (size_t k = 0; k < 2; k++) {
        goleak_span sp = goleak_finding_span(goleak_findings_get(fs, k));
        assert_int_equal(sp.start.offset, 0);
        assert_int_equal(sp.end.offset, 0);
        assert_int_equal(sp.start.line, 1);
    }
    goleak_findings_free(fs);
    goleak_unit_free(u);
    goleak_engine_free(e);
}

/* ---- go.mod ---- */

static void write_file(const char *path, const char *text, size_t len) {
    FILE *fp = fopen(path, "wb");
    assert_non_null(fp);
    assert_int_equal(fwrite(text, 1, len, fp), len);
    fclose(fp);
}

static void test_go_mod_files(void **state) {
    (void)state;
    char root[] = "/tmp/goleak_gomod_XXXXXX";
    assert_non_null(mkdtemp(root));
    char gomod[256], buf[64];
    snprintf(gomod, sizeof gomod, "%s/go.mod", root);
    goleak_error *err = goleak_error_new();
    static const struct {
        const char *text, *want;
    } cases[] = {
        {"module m\n\ngo 1.21.3\n", "1.21.3"},
        {"module m\r\ngo\t1.19rc1\r\n", "1.19rc1"},
        {"module m\ngo 1.22 // the version\n", "1.22"},
        {"module m\nrequire (\n\tgo v1.0.0\n)\ngo 1.20\n", "1.20"},
        {"go 1.21", "1.21"},
        {"module m\n", "1.16"},
        {"module m\ngo\n", "1.16"},
    };
    for (size_t k = 0; k < sizeof cases / sizeof *cases; k++) {
        write_file(gomod, cases[k].text, strlen(cases[k].text));
        assert_int_equal(goleak_go_version_for_path(buf, sizeof buf, root, err), 0);
        assert_string_equal(buf, cases[k].want);
    }
    /* a long line: its tail ("go 1.30" after 600 bytes) is not a go line */
    size_t big = 3u << 20;
    char *text = malloc(big + 64);
    size_t n = (size_t)sprintf(text, "module m\n// ");
    memset(text + n, 'x', 600);
    n += 600;
    n += (size_t)sprintf(text + n, " go 1.30\ngo 1.18\n");
    write_file(gomod, text, n);
    assert_int_equal(goleak_go_version_for_path(buf, sizeof buf, root, err), 0);
    assert_string_equal(buf, "1.18");
    /* a line of 3 MiB, then the go line */
    n = (size_t)sprintf(text, "module m\n// ");
    memset(text + n, 'y', big);
    n += big;
    n += (size_t)sprintf(text + n, "\ngo 1.17\n");
    write_file(gomod, text, n);
    assert_int_equal(goleak_go_version_for_path(buf, sizeof buf, root, err), 0);
    assert_string_equal(buf, "1.17");
    /* garbage: an error naming the go.mod, its line and column */
    write_file(gomod, "module m\n\ngo  banana\n", 21);
    assert_int_equal(goleak_go_version_for_path(buf, sizeof buf, root, err), GOLEAK_ESYNTAX);
    assert_string_equal(goleak_error_file(err), gomod);
    assert_int_equal(goleak_error_line(err), 3);
    assert_int_equal(goleak_error_column(err), 5);
    assert_non_null(strstr(goleak_error_message(err), ":3:5: invalid go version \"banana\""));
    /* a version that runs on and on is garbage too */
    n = (size_t)sprintf(text, "go 1.");
    memset(text + n, '1', 1000);
    write_file(gomod, text, n + 1000);
    assert_int_equal(goleak_go_version_for_path(buf, sizeof buf, root, err), GOLEAK_ESYNTAX);
    free(text);
    goleak_error_free(err);
    unlink(gomod);
    rmdir(root);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_one_engine_many_threads),
        cmocka_unit_test(test_failing_callback),
        cmocka_unit_test(test_every_allocation_failure),
        cmocka_unit_test(test_suppressions_with_moving_realloc),
        cmocka_unit_test(test_unused_ignores_merged_in_order),
        cmocka_unit_test(test_report_on_empty_source),
        cmocka_unit_test(test_go_mod_files),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
