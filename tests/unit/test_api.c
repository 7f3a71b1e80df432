/* Public API tests: versions, error objects, NULL and out-of-range
 * arguments, file errors, the allocator hook with injected out-of-memory
 * failures at every allocation, and the token and node accessors. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "helpers.h"

static void test_versions(void **state) {
    (void)state;
    assert_int_equal(goleak_version(), GOLEAK_VERSION_NUMBER);
    char want[32];
    snprintf(want, sizeof want, "%d.%d.%d", GOLEAK_VERSION_MAJOR, GOLEAK_VERSION_MINOR,
             GOLEAK_VERSION_PATCH);
    assert_string_equal(goleak_version_string(), want);
    assert_string_equal(goleak_version_string(), GOLEAK_VERSION_STRING);
    assert_true(GOLEAK_VERSION_CHECK(0, 0, 1));
    assert_false(GOLEAK_VERSION_CHECK(GOLEAK_VERSION_MAJOR + 1, 0, 0));
    assert_int_equal(goleak_abi_version(), GOLEAK_ABI_VERSION);
    assert_true(GOLEAK_ABI_MIN_COMPATIBLE <= GOLEAK_ABI_VERSION);
}

static void test_strerror(void **state) {
    (void)state;
    assert_string_equal(goleak_strerror(GOLEAK_OK), "success");
    assert_string_equal(goleak_strerror(GOLEAK_ENOMEM), "out of memory");
    assert_string_equal(goleak_strerror(GOLEAK_EIO), "input/output error");
    assert_string_equal(goleak_strerror(12345), "unknown error");
    for (int c = GOLEAK_EEXISTS; c <= 0; c++) assert_non_null(goleak_strerror(c));
}

static void test_error_object(void **state) {
    (void)state;
    goleak_error *err = goleak_error_new();
    assert_non_null(err);
    assert_int_equal(goleak_error_code(err), 0);
    assert_null(goleak_error_message(err));
    assert_null(goleak_error_file(err));
    goleak_unit *u = (goleak_unit *)1;
    assert_int_equal(goleak_unit_parse_file(&u, "/nonexistent/x.go", NULL, err), GOLEAK_EIO);
    assert_null(u);
    assert_int_equal(goleak_error_code(err), GOLEAK_EIO);
    assert_string_equal(goleak_error_file(err), "/nonexistent/x.go");
    assert_non_null(strstr(goleak_error_message(err), "No such file"));
    goleak_error_clear(err);
    assert_int_equal(goleak_error_code(err), 0);
    goleak_error_free(err);
    /* NULL is accepted everywhere */
    goleak_error_free(NULL);
    goleak_error_clear(NULL);
    assert_int_equal(goleak_error_code(NULL), GOLEAK_EINVAL);
    assert_null(goleak_error_message(NULL));
    assert_int_equal(goleak_error_line(NULL), 0);
    assert_int_equal(goleak_error_column(NULL), 0);
    assert_int_equal(goleak_error_offset(NULL), 0);
}

static void test_parse_misuse(void **state) {
    (void)state;
    goleak_error *err = goleak_error_new();
    assert_int_equal(goleak_unit_parse(NULL, "x", "", 0, NULL, err), GOLEAK_EINVAL);
    goleak_unit *u = (goleak_unit *)1;
    assert_int_equal(goleak_unit_parse(&u, "x", NULL, 3, NULL, err), GOLEAK_EINVAL);
    assert_null(u);
    assert_int_equal(goleak_error_code(err), GOLEAK_EINVAL);
    assert_int_equal(goleak_unit_parse_file(&u, NULL, NULL, err), GOLEAK_EINVAL);
    assert_int_equal(goleak_unit_parse_file(NULL, "x.go", NULL, NULL), GOLEAK_EINVAL);
    /* a directory is not a file */
    assert_int_equal(goleak_unit_parse_file(&u, "/tmp", NULL, err), GOLEAK_EIO);
    assert_non_null(strstr(goleak_error_message(err), "is a directory"));
    /* NULL source with length 0 is an empty file; a NULL path is absent */
    assert_int_equal(goleak_unit_parse(&u, NULL, NULL, 0, NULL, err), 0);
    assert_null(goleak_unit_path(u));
    assert_int_equal(goleak_unit_token_count(u), 1);
    goleak_unit_free(u);
    goleak_unit_free(NULL);
    goleak_error_free(err);
}

static void test_parse_file(void **state) {
    (void)state;
    char path[] = "/tmp/goleak_test_XXXXXX";
    int fd = mkstemp(path);
    assert_true(fd >= 0);
    const char *src = "package p\n\nfunc f() { go g() }\n";
    assert_int_equal(write(fd, src, strlen(src)), (ssize_t)strlen(src));
    close(fd);
    goleak_unit *u = NULL;
    assert_int_equal(goleak_unit_parse_file(&u, path, NULL, NULL), 0);
    assert_string_equal(goleak_unit_path(u), path);
    size_t len;
    const char *s = goleak_unit_source(u, &len);
    assert_int_equal(len, strlen(src));
    assert_memory_equal(s, src, len);
    assert_int_equal(s[len], 0);
    assert_non_null(find_node(u, GOLEAK_NODE_GO));
    goleak_unit_free(u);
    unlink(path);
}

static void test_null_getters(void **state) {
    (void)state;
    assert_null(goleak_unit_path(NULL));
    assert_null(goleak_unit_source(NULL, NULL));
    assert_int_equal(goleak_unit_line_count(NULL), 0);
    assert_int_equal(goleak_unit_token_count(NULL), 0);
    assert_int_equal(goleak_unit_token_kind(NULL, 0), -1);
    assert_null(goleak_unit_token_text(NULL, 0, NULL));
    assert_int_equal(goleak_unit_token_at(NULL, 0), GOLEAK_NONE);
    assert_int_equal(goleak_unit_comment_count(NULL), 0);
    assert_int_equal(goleak_unit_diagnostic_count(NULL), 0);
    assert_null(goleak_unit_diagnostic_message(NULL, 0));
    assert_int_equal(goleak_unit_diagnostic_is_lexical(NULL, 0), -1);
    assert_null(goleak_unit_root(NULL));
    assert_int_equal(goleak_unit_node_count(NULL), 0);
    assert_int_equal(goleak_node_kind(NULL), -1);
    assert_int_equal(goleak_node_role(NULL), -1);
    assert_null(goleak_node_parent(NULL));
    assert_null(goleak_node_first_child(NULL));
    assert_null(goleak_node_next_sibling(NULL));
    assert_null(goleak_node_child(NULL, 0));
    assert_null(goleak_node_child_by_role(NULL, GOLEAK_ROLE_BODY));
    assert_int_equal(goleak_node_child_count(NULL), 0);
    assert_int_equal(goleak_node_first_token(NULL), GOLEAK_NONE);
    assert_int_equal(goleak_node_last_token(NULL), GOLEAK_NONE);
    assert_int_equal(goleak_node_key_token(NULL), GOLEAK_NONE);
    assert_null(goleak_node_text(NULL, NULL));
    assert_null(goleak_node_unit(NULL));
    assert_int_equal(goleak_node_flags(NULL), 0);
    assert_int_equal(goleak_node_span(NULL).start.line, 0);
    assert_int_equal(goleak_node_pos(NULL).line, 0);
    assert_null(goleak_node_kind_name(-1));
    assert_null(goleak_node_kind_name(GOLEAK_NODE_KIND_COUNT));
    assert_null(goleak_node_role_name(GOLEAK_ROLE_COUNT));
    assert_null(goleak_token_kind_name(GOLEAK_TOKEN_KIND_COUNT));
    assert_null(goleak_severity_name(3));
    assert_string_equal(goleak_token_kind_name(GOLEAK_TOKEN_DEFINE), ":=");
    assert_string_equal(goleak_node_kind_name(GOLEAK_NODE_CALL), "call");
    assert_string_equal(goleak_node_role_name(GOLEAK_ROLE_ARG), "arg");
}

static void test_out_of_range(void **state) {
    (void)state;
    goleak_unit *u = parse_str("package p\n");
    size_t n = goleak_unit_token_count(u);
    assert_int_equal(goleak_unit_token_kind(u, n), -1);
    assert_null(goleak_unit_token_text(u, n, NULL));
    assert_int_equal(goleak_unit_token_span(u, n).start.line, 0);
    assert_false(goleak_unit_token_is_automatic(u, n));
    assert_null(goleak_unit_comment_text(u, 0, NULL));
    assert_int_equal(goleak_unit_comment_span(u, 0).start.line, 0);
    assert_null(goleak_unit_diagnostic_message(u, 0));
    assert_int_equal(goleak_unit_diagnostic_pos(u, 0).line, 0);
    assert_int_equal(goleak_unit_token_at(u, 1000), GOLEAK_NONE);
    assert_null(goleak_node_child(goleak_unit_root(u), 5));
    /* offsets past the end are clamped */
    goleak_pos p = goleak_unit_pos(u, 1000);
    assert_int_equal(p.offset, 10);
    assert_int_equal(p.line, 2);
    goleak_unit_free(u);
}

static void test_token_at(void **state) {
    (void)state;
    goleak_unit *u = lex_str("package p\n\nvar xyz = 1\n");
    /* tokens: package p NL var xyz = 1 NL EOF */
    assert_int_equal(goleak_unit_token_at(u, 0), 0);
    assert_int_equal(goleak_unit_token_at(u, 3), 0);
    assert_int_equal(goleak_unit_token_at(u, 7), 1); /* space before p */
    assert_int_equal(goleak_unit_token_at(u, 8), 1);
    assert_int_equal(goleak_unit_token_at(u, 16), 4); /* inside xyz */
    assert_int_equal(goleak_unit_token_at(u, 23), 8); /* EOF at the end */
    goleak_unit_free(u);
}

/* A borrowed source is used in place (no copy) and parses as a copied one;
 * one without its zero padding is refused. */
static void test_borrowed_source(void **state) {
    (void)state;
    static const char text[] = "package p\n\nfunc f() { x := 1; _ = x }\n";
    char buf[sizeof text + GOLEAK_SOURCE_PADDING];
    memset(buf, 0, sizeof buf);
    memcpy(buf, text, sizeof text - 1);
    size_t len = sizeof text - 1;

    goleak_parse_options o = GOLEAK_PARSE_OPTIONS_INIT;
    o.flags = GOLEAK_PARSE_BORROW_SOURCE;
    goleak_unit *b = NULL, *c = NULL;
    assert_int_equal(goleak_unit_parse(&b, "b.go", buf, len, &o, NULL), GOLEAK_OK);
    assert_int_equal(goleak_unit_parse(&c, "c.go", buf, len, NULL, NULL), GOLEAK_OK);
    size_t n = 0;
    assert_ptr_equal(goleak_unit_source(b, &n), buf);
    assert_int_equal(n, len);
    assert_ptr_not_equal(goleak_unit_source(c, &n), buf);
    assert_int_equal(goleak_unit_token_count(b), goleak_unit_token_count(c));
    assert_int_equal(goleak_unit_node_count(b), goleak_unit_node_count(c));
    goleak_unit_free(b);
    goleak_unit_free(c);

    buf[len + GOLEAK_SOURCE_PADDING - 1] = 'x'; /* padding not all zero */
    goleak_error *err = goleak_error_new();
    assert_int_equal(goleak_unit_parse(&b, "b.go", buf, len, &o, err), GOLEAK_EINVAL);
    assert_null(b);
    assert_non_null(strstr(goleak_error_message(err), "zero bytes"));
    assert_int_equal(goleak_unit_parse(&b, "b.go", NULL, 0, &o, NULL), GOLEAK_EINVAL);
    goleak_error_free(err);
}

static void test_tokens_only_and_diagnostics(void **state) {
    (void)state;
    goleak_unit *u = lex_str("package p\nvar x = #\n");
    assert_null(goleak_unit_root(u));
    assert_int_equal(goleak_unit_node_count(u), 0);
    assert_int_equal(goleak_unit_diagnostic_count(u), 1);
    assert_int_equal(goleak_unit_diagnostic_is_lexical(u, 0), 1);
    goleak_unit_free(u);
    u = parse_str("package p\nvar x = #\n");
    /* as go/parser: the lexical error, then what the parser makes of it */
    char *d = diag_str(u);
    assert_string_equal(d, "2:9 illegal character U+0023 '#'|2:9 expected operand, found 'ILLEGAL'|"
                           "3:1 expected ';', found 'EOF'");
    free(d);
    assert_int_equal(goleak_unit_diagnostic_is_lexical(u, 0), 1);
    assert_int_equal(goleak_unit_diagnostic_is_lexical(u, 1), 0);
    goleak_pos p = goleak_unit_diagnostic_pos(u, 0);
    assert_int_equal(p.line, 2);
    assert_int_equal(p.column, 9);
    goleak_unit_free(u);
}

/* ---- allocator hook with failure injection ---- */

typedef struct counting {
    long live;    /* allocations not yet freed */
    long calls;   /* malloc/realloc calls so far */
    long fail_at; /* the call number that fails, or -1 */
} counting;

static void *c_malloc(size_t n, void *ud) {
    counting *c = ud;
    if (c->calls++ == c->fail_at) return NULL;
    void *p = malloc(n);
    if (p) c->live++;
    return p;
}

static void *c_realloc(void *p, size_t n, void *ud) {
    counting *c = ud;
    if (c->calls++ == c->fail_at) return NULL;
    void *q = realloc(p, n);
    if (q && !p) c->live++;
    return q;
}

static void c_free(void *p, void *ud) {
    counting *c = ud;
    c->live--;
    free(p);
}

static void test_allocator_failures(void **state) {
    (void)state;
    const char *src = "package p\nimport \"time\"\nfunc f() {\n\tt := time.NewTicker(1)\n"
                      "\tgo func() { for range t.C {} }()\n\tx := #\n}\n";
    counting c = {0, 0, -1};
    goleak_allocator a = {GOLEAK_ALLOCATOR_VERSION, c_malloc, c_realloc, c_free, &c};
    goleak_parse_options o = GOLEAK_PARSE_OPTIONS_INIT;
    o.allocator = &a;
    goleak_unit *u = NULL;
    assert_int_equal(goleak_unit_parse(&u, "t.go", src, strlen(src), &o, NULL), 0);
    long total = c.calls;
    assert_true(total > 3);
    assert_true(c.live > 0);
    goleak_unit_free(u);
    assert_int_equal(c.live, 0);
    /* every single failing allocation gives ENOMEM and leaks nothing */
    goleak_error *err = goleak_error_new();
    for (long k = 0; k < total; k++) {
        c.calls = 0;
        c.fail_at = k;
        u = (goleak_unit *)1;
        int rc = goleak_unit_parse(&u, "t.go", src, strlen(src), &o, err);
        assert_int_equal(rc, GOLEAK_ENOMEM);
        assert_null(u);
        assert_int_equal(goleak_error_code(err), GOLEAK_ENOMEM);
        assert_int_equal(c.live, 0);
    }
    goleak_error_free(err);
}

static void test_incomplete_allocator_is_ignored(void **state) {
    (void)state;
    goleak_allocator a = {GOLEAK_ALLOCATOR_VERSION, NULL, NULL, NULL, NULL};
    goleak_parse_options o = GOLEAK_PARSE_OPTIONS_INIT;
    o.allocator = &a;
    goleak_unit *u = NULL;
    assert_int_equal(goleak_unit_parse(&u, "t.go", "package p", 9, &o, NULL), 0);
    goleak_unit_free(u);
}

static void test_node_navigation(void **state) {
    (void)state;
    goleak_unit *u = parse_str("package p\nfunc f(a int) { g(a, 2) }\n");
    const goleak_node *root = goleak_unit_root(u);
    assert_int_equal(goleak_node_kind(root), GOLEAK_NODE_FILE);
    assert_null(goleak_node_parent(root));
    assert_int_equal(goleak_node_child_count(root), 2);
    const goleak_node *fn = goleak_node_child(root, 1);
    assert_int_equal(goleak_node_kind(fn), GOLEAK_NODE_FUNC);
    size_t n;
    const char *name = goleak_unit_token_text(u, goleak_node_key_token(fn), &n);
    assert_memory_equal(name, "f", 1);
    const goleak_node *body = goleak_node_child_by_role(fn, GOLEAK_ROLE_BODY);
    assert_non_null(body);
    assert_ptr_equal(goleak_node_parent(body), fn);
    const goleak_node *call = find_node(u, GOLEAK_NODE_CALL);
    assert_int_equal(goleak_node_child_count(call), 2);
    assert_int_equal(goleak_node_role(goleak_node_child(call, 0)), GOLEAK_ROLE_ARG);
    /* the node count covers exactly the nodes reachable from the root */
    size_t count = 0;
    const goleak_node *stack[64];
    int sp = 0;
    stack[sp++] = root;
    while (sp) {
        const goleak_node *x = stack[--sp];
        count++;
        for (const goleak_node *ch = goleak_node_first_child(x); ch;
             ch = goleak_node_next_sibling(ch))
            stack[sp++] = ch;
    }
    assert_int_equal(count, goleak_unit_node_count(u));
    goleak_unit_free(u);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_versions),
        cmocka_unit_test(test_strerror),
        cmocka_unit_test(test_error_object),
        cmocka_unit_test(test_parse_misuse),
        cmocka_unit_test(test_parse_file),
        cmocka_unit_test(test_null_getters),
        cmocka_unit_test(test_out_of_range),
        cmocka_unit_test(test_token_at),
        cmocka_unit_test(test_borrowed_source),
        cmocka_unit_test(test_tokens_only_and_diagnostics),
        cmocka_unit_test(test_allocator_failures),
        cmocka_unit_test(test_incomplete_allocator_is_ignored),
        cmocka_unit_test(test_node_navigation),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
