/* The bounds of a parse: file size, tokens and nesting, their defaults and
 * options (a version 1 options struct keeps the defaults), their errors and
 * diagnostics, goleak_unit_truncated, the stack a deep parse takes from the
 * caller, and the memory a parse takes within the bounds. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "deep_inputs.h"
#include "helpers.h"
#include "unit.h"

static int parse_with(goleak_unit **u, const char *src, size_t len, const goleak_parse_options *o,
                      goleak_error *err) {
    return goleak_unit_parse(u, "t.go", src, len, o, err);
}

static void test_defaults(void **state) {
    (void)state;
    goleak_parse_options o = GOLEAK_PARSE_OPTIONS_INIT;
    assert_int_equal(o.version, 2);
    assert_int_equal(o.max_file_size, 0);
    assert_int_equal(GOLEAK_DEFAULT_MAX_FILE_SIZE, 32u << 20);
    assert_int_equal(GOLEAK_DEFAULT_MAX_TOKENS, 4u << 20);
    assert_int_equal(GOLEAK_DEFAULT_MAX_DEPTH, 100000);
    /* the default size bound: one byte over is refused, with its message */
    size_t len = GOLEAK_DEFAULT_MAX_FILE_SIZE + 1;
    char *src = malloc(len);
    assert_non_null(src);
    memset(src, '\n', len);
    goleak_error *err = goleak_error_new();
    goleak_unit *u = (goleak_unit *)1;
    assert_int_equal(parse_with(&u, src, len, NULL, err), GOLEAK_ERANGE);
    assert_null(u);
    assert_string_equal(goleak_error_message(err),
                        "t.go: file of 33554433 bytes is over the maximum file size of 33554432 "
                        "bytes");
    assert_string_equal(goleak_error_file(err), "t.go");
    assert_int_equal(parse_with(&u, src, len - 1, NULL, err), 0);
    goleak_unit_free(u);
    free(src);
    goleak_error_free(err);
}

static void test_max_file_size(void **state) {
    (void)state;
    goleak_parse_options o = GOLEAK_PARSE_OPTIONS_INIT;
    o.max_file_size = 20;
    goleak_error *err = goleak_error_new();
    goleak_unit *u = NULL;
    const char *src = "package p\nvar x = 1\n"; /* 20 bytes */
    assert_int_equal(parse_with(&u, src, 20, &o, err), 0);
    goleak_unit_free(u);
    o.max_file_size = 19;
    assert_int_equal(parse_with(&u, src, 20, &o, err), GOLEAK_ERANGE);
    assert_non_null(strstr(goleak_error_message(err), "over the maximum file size of 19 bytes"));
    /* from a file: refused before reading it */
    char path[] = "/tmp/goleak_limits_XXXXXX";
    int fd = mkstemp(path);
    assert_true(fd >= 0);
    assert_int_equal(write(fd, src, 20), 20);
    close(fd);
    assert_int_equal(goleak_unit_parse_file(&u, path, &o, err), GOLEAK_ERANGE);
    assert_string_equal(goleak_error_file(err), path);
    assert_non_null(strstr(goleak_error_message(err), "file of 20 bytes is over the maximum"));
    o.max_file_size = 20;
    assert_int_equal(goleak_unit_parse_file(&u, path, &o, err), 0);
    goleak_unit_free(u);
    unlink(path);
    goleak_error_free(err);
}

static void test_max_tokens(void **state) {
    (void)state;
    goleak_parse_options o = GOLEAK_PARSE_OPTIONS_INIT;
    /* package p ; var x = 1 ; and a comment: 9 (EOF is not counted) */
    const char *src = "package p\nvar x = 1 // one\n";
    o.max_tokens = 9;
    goleak_error *err = goleak_error_new();
    goleak_unit *u = NULL;
    assert_int_equal(parse_with(&u, src, strlen(src), &o, err), 0);
    assert_int_equal(goleak_unit_token_count(u) + goleak_unit_comment_count(u), 10);
    goleak_unit_free(u);
    o.max_tokens = 8;
    assert_int_equal(parse_with(&u, src, strlen(src), &o, err), GOLEAK_ERANGE);
    assert_null(u);
    assert_string_equal(goleak_error_message(err),
                        "t.go: more than 8 tokens (the maximum per file)");
    /* a large input stops at the bound: the tokens never take more */
    size_t len = 4u << 20;
    char *big = malloc(len);
    assert_non_null(big);
    memset(big, '(', len);
    test_alloc t;
    test_alloc_init(&t);
    o.allocator = &t.a;
    o.max_tokens = 1000;
    assert_int_equal(parse_with(&u, big, len, &o, err), GOLEAK_ERANGE);
    assert_true(t.peak < len + len / 8 + 64 * 1024); /* the source, its first lines */
    assert_int_equal(t.live, 0);
    free(big);
    goleak_error_free(err);
}

static void test_max_depth(void **state) {
    (void)state;
    goleak_parse_options o = GOLEAK_PARSE_OPTIONS_INIT;
    o.max_depth = 5;
    const char *src = "package p\nvar x = ((((((1))))))\nfunc f() {}\n";
    goleak_unit *u = NULL;
    assert_int_equal(parse_with(&u, src, strlen(src), &o, NULL), 0);
    assert_int_equal(goleak_unit_truncated(u), 1);
    assert_int_equal(goleak_unit_diagnostic_count(u), 1);
    assert_string_equal(goleak_unit_diagnostic_message(u, 0), "exceeded max nesting depth");
    assert_int_equal(goleak_unit_diagnostic_pos(u, 0).line, 2);
    goleak_unit_free(u);
    o.max_depth = 100;
    assert_int_equal(parse_with(&u, src, strlen(src), &o, NULL), 0);
    assert_int_equal(goleak_unit_truncated(u), 0);
    assert_int_equal(goleak_unit_diagnostic_count(u), 0);
    goleak_unit_free(u);
    assert_int_equal(goleak_unit_truncated(NULL), 0);
}

/* A caller built against version 1 of the options struct: the fields that
 * came later are not read (here they hold garbage). */
static void test_version1_options(void **state) {
    (void)state;
    goleak_parse_options o;
    memset(&o, 0xFF, sizeof o);
    o.version = 1;
    o.flags = 0;
    o.allocator = NULL;
    const char *src = "package p\nvar x = ((1))\n";
    goleak_unit *u = NULL;
    assert_int_equal(parse_with(&u, src, strlen(src), &o, NULL), 0);
    assert_int_equal(goleak_unit_diagnostic_count(u), 0);
    goleak_unit_free(u);
}

/* Real code needs a few KiB of the caller's stack and is parsed where it
 * is called; deep input starts again on the parser's own stack. */
static void test_stack_handoff(void **state) {
    (void)state;
    size_t n;
    char **files = fixture_files(&n);
    for (size_t k = 0; k < n; k++) {
        goleak_unit *u = NULL;
        assert_int_equal(goleak_unit_parse_file(&u, files[k], NULL, NULL), 0);
        assert_int_equal(u->parse_large_stack, 0);
        assert_true(u->parse_stack_peak < 16 * 1024);
        goleak_unit_free(u);
    }
    free_list(files, n);
    int large = 0;
    for (const deep_shape *s = deep_shapes; s->name; s++) {
        size_t len;
        char *src = deep_source(s, s->n, &len);
        goleak_unit *u = NULL;
        assert_int_equal(parse_with(&u, src, len, NULL, NULL), 0);
        /* chains and flat sums nest without recursion: they stay here */
        if (!u->parse_large_stack) assert_true(u->parse_stack_peak <= 64 * 1024);
        large += u->parse_large_stack;
        for (size_t i = 0; i < goleak_unit_diagnostic_count(u); i++)
            if (strstr(goleak_unit_diagnostic_message(u, i), "nesting"))
                fail_msg("%s: %s", s->name, goleak_unit_diagnostic_message(u, i));
        assert_int_equal(goleak_unit_truncated(u), 0);
        goleak_unit_free(u);
        free(src);
    }
    assert_true(large >= 10);
}

/* An allocation failure on the parser's own thread is reported like any. */
static void test_deep_parse_out_of_memory(void **state) {
    (void)state;
    const deep_shape *s = deep_shape_named("nested_blocks");
    size_t len;
    char *src = deep_source(s, s->n, &len);
    test_alloc t;
    test_alloc_init(&t);
    goleak_parse_options o = GOLEAK_PARSE_OPTIONS_INIT;
    o.allocator = &t.a;
    goleak_unit *u = NULL;
    assert_int_equal(parse_with(&u, src, len, &o, NULL), 0);
    goleak_unit_free(u);
    long total = t.calls;
    for (long k = total - 1; k >= 0; k -= 1 + total / 25) {
        test_alloc_init(&t);
        t.fail_at = k;
        o.allocator = &t.a;
        u = (goleak_unit *)1;
        assert_int_equal(parse_with(&u, src, len, &o, NULL), GOLEAK_ENOMEM);
        assert_null(u);
        assert_int_equal(t.live, 0);
    }
    free(src);
}

/* The memory a parse takes, at most, for its source and its tokens: the
 * worst inputs are a byte per line, a byte per token, and a line per
 * comment. */
static void test_memory_within_bounds(void **state) {
    (void)state;
    static const char *const fill[] = {"\n", "(", "//\n", "x\n", "\"\"\n"};
    size_t len = 1u << 20;
    char *src = malloc(len + 4);
    for (size_t f = 0; f < sizeof fill / sizeof *fill; f++) {
        size_t w = strlen(fill[f]), n = 0;
        while (n + w <= len) memcpy(src + n, fill[f], w), n += w;
        test_alloc t;
        test_alloc_init(&t);
        goleak_parse_options o = GOLEAK_PARSE_OPTIONS_INIT;
        o.allocator = &t.a;
        goleak_unit *u = NULL;
        assert_int_equal(parse_with(&u, src, n, &o, NULL), 0);
        size_t tokens = goleak_unit_token_count(u) + goleak_unit_comment_count(u);
        size_t bound = 13 * n + 48 * tokens + 256 * 1024;
        printf("fill %-6s: %zu bytes, %zu tokens: peak %zu bytes (%.1f per byte, bound %zu)\n",
               f == 0   ? "\\n"
               : f == 2 ? "//\\n"
               : f == 3 ? "x\\n"
               : f == 4 ? "\"\"\\n"
                        : "(",
               n, tokens, t.peak, (double)t.peak / (double)n, bound);
        assert_true(t.peak <= bound);
        goleak_unit_free(u);
        assert_int_equal(t.live, 0);
    }
    free(src);
    /* the worst file within the default bounds: as many tokens as allowed,
     * then a newline per byte up to the size bound */
    len = GOLEAK_DEFAULT_MAX_FILE_SIZE;
    src = malloc(len);
    size_t n = 0;
    while (n < 2 * (GOLEAK_DEFAULT_MAX_TOKENS / 2 - 8)) memcpy(src + n, "x\n", 2), n += 2;
    memset(src + n, '\n', len - n);
    test_alloc t;
    test_alloc_init(&t);
    goleak_parse_options o = GOLEAK_PARSE_OPTIONS_INIT;
    o.allocator = &t.a;
    goleak_unit *u = NULL;
    assert_int_equal(parse_with(&u, src, len, &o, NULL), 0);
    printf("worst file within the default bounds: %zu bytes, %zu tokens: peak %zu MiB\n", len,
           goleak_unit_token_count(u), t.peak >> 20);
    assert_true(t.peak < (size_t)400 << 20);
    goleak_unit_free(u);
    free(src);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_defaults),
        cmocka_unit_test(test_max_file_size),
        cmocka_unit_test(test_max_tokens),
        cmocka_unit_test(test_max_depth),
        cmocka_unit_test(test_version1_options),
        cmocka_unit_test(test_stack_handoff),
        cmocka_unit_test(test_deep_parse_out_of_memory),
        cmocka_unit_test(test_memory_within_bounds),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
