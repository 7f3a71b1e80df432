/* Parser tests: every statement kind and declaration form, the grammar's
 * ambiguities resolved as go/parser resolves them, node roles, spans and
 * flags, error recovery, and the nesting bound. (The whole-tree agreement
 * with go/parser is tests/oracle.) */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "helpers.h"

/* The tree of the body of "func f() { BODY }" */
static char *body_tree(const char *body) {
    char src[8192];
    snprintf(src, sizeof src, "package p\nfunc f() {\n%s\n}\n", body);
    goleak_unit *u = parse_str(src);
    char *d = diag_str(u);
    if (d[0]) fail_msg("unexpected diagnostics: %s", d);
    free(d);
    const goleak_node *blk = find_node(u, GOLEAK_NODE_BLOCK);
    assert_non_null(blk);
    /* render only the block's children */
    char *all = tree_str(u);
    const char *start = strstr(all, "(block.body");
    assert_non_null(start);
    size_t n = strlen(start);
    /* strip the closing ")))" of block, func and file */
    char *r = malloc(n);
    memcpy(r, start, n - 2);
    r[n - 2] = 0;
    free(all);
    goleak_unit_free(u);
    return r;
}

#define BODY(body, want)                                                                           \
    do {                                                                                           \
        char *t_ = body_tree(body);                                                                \
        assert_string_equal(t_, "(block.body " want ")");                                          \
        free(t_);                                                                                  \
    } while (0)

#define TREE(src, want)                                                                            \
    do {                                                                                           \
        goleak_unit *u_ = parse_str(src);                                                          \
        char *d_ = diag_str(u_);                                                                   \
        assert_string_equal(d_, "");                                                               \
        char *t_ = tree_str(u_);                                                                   \
        assert_string_equal(t_, want);                                                             \
        free(d_);                                                                                  \
        free(t_);                                                                                  \
        goleak_unit_free(u_);                                                                      \
    } while (0)

static void test_go_defer(void **state) {
    (void)state;
    BODY("go g(x)", "(go (call (expr.arg)))");
    BODY("defer mu.Unlock()", "(defer (call))");
    BODY("go func() { x++ }()", "(go (call (funclit (block.body (incdec)))))");
    BODY("defer func(c chan int) { close(c) }(ch)",
         "(defer (call (funclit (field.param (type.type)) (block.body (exprstmt (call "
         "(expr.arg))))) "
         "(expr.arg)))");
}

static void test_for_forms(void **state) {
    (void)state;
    BODY("for {}", "(for (block.body))");
    BODY("for ok {}", "(for (expr.cond) (block.body))");
    BODY("for i := 0; i < n; i++ {}",
         "(for (assign.init (expr.lhs) (expr.rhs)) (expr.cond) (incdec.post) (block.body))");
    BODY("for ;; {}", "(for (block.body))");
    BODY("for range ch {}", "(range (expr.x) (block.body))");
    BODY("for k := range m {}", "(range (expr.key) (expr.x) (block.body))");
    BODY("for k, v = range f() {}", "(range (expr.key) (expr.value) (expr.x (call)) (block.body))");
}

static void test_range_flags(void **state) {
    (void)state;
    goleak_unit *u =
        parse_str("package p\nfunc f() { for k, v := range m {}; for k = range m {} }");
    const goleak_node *r = find_node(u, GOLEAK_NODE_RANGE);
    assert_true(goleak_node_flags(r) & GOLEAK_NODE_FLAG_DEFINE);
    size_t key = goleak_node_key_token(r);
    size_t n;
    const char *t = goleak_unit_token_text(u, key, &n);
    assert_int_equal(n, 5);
    assert_memory_equal(t, "range", 5);
    const goleak_node *r2 = goleak_node_next_sibling(r);
    assert_int_equal(goleak_node_kind(r2), GOLEAK_NODE_RANGE);
    assert_false(goleak_node_flags(r2) & GOLEAK_NODE_FLAG_DEFINE);
    goleak_unit_free(u);
}

static void test_select(void **state) {
    (void)state;
    BODY("select {\ncase v := <-ch:\n\tuse(v)\ncase ch <- 1:\ncase <-done:\n\treturn\ndefault:\n}",
         "(select (comm (assign.comm (expr.lhs) (expr.rhs (recv))) (exprstmt (call (expr.arg)))) "
         "(comm (send.comm (expr.chan) (expr.value))) (comm (exprstmt.comm (recv)) (return)) "
         "(comm))");
    goleak_unit *u = parse_str("package p\nfunc f() { select { default: } }");
    const goleak_node *c = find_node(u, GOLEAK_NODE_COMM);
    assert_true(goleak_node_flags(c) & GOLEAK_NODE_FLAG_DEFAULT);
    goleak_unit_free(u);
}

static void test_switch(void **state) {
    (void)state;
    BODY("switch {\ncase a, b:\n\tfallthrough\ndefault:\n}",
         "(switch (case (expr.case) (expr.case) (branch)) (case))");
    BODY("switch x := f(); x {\ncase 1:\n}",
         "(switch (assign.init (expr.lhs) (expr.rhs (call))) (expr.tag) (case (expr.case)))");
    BODY("switch v := x.(type) {\ncase int, string:\ncase nil:\n}",
         "(typeswitch (assign.tag (expr.lhs) (expr.rhs)) (case (type.case) (type.case)) "
         "(case (type.case)))");
    BODY("switch x.(type) {\n}", "(typeswitch (exprstmt.tag))");
    BODY("switch init(); y.(type) {\n}", "(typeswitch (exprstmt.init (call)) (exprstmt.tag))");
}

static void test_if_else(void **state) {
    (void)state;
    BODY("if x {}", "(if (expr.cond) (block.body))");
    BODY("if err := f(); err != nil {\n\treturn\n} else if g() {\n} else {\n}",
         "(if (assign.init (expr.lhs) (expr.rhs (call))) (expr.cond) (block.body (return)) "
         "(if.else (expr.cond (call)) (block.body) (block.else)))");
}

static void test_return_branch_label(void **state) {
    (void)state;
    BODY("return", "(return)");
    BODY("return a, f(b)", "(return (expr.result) (expr.result (call (expr.arg))))");
    BODY("L:\n\tfor {\n\t\tbreak L\n\t\tcontinue L\n\t}\n\tgoto L",
         "(labeled (for (block.body (branch) (branch)))) (branch)");
    /* a label right before "}" labels an empty statement */
    BODY("L:", "(labeled (empty))");
}

static void test_simple_statements(void **state) {
    (void)state;
    BODY("x = 1\nx += 1\na, b := 1, 2\nx <<= 2\nx &^= y",
         "(assign (expr.lhs) (expr.rhs)) (assign (expr.lhs) (expr.rhs)) "
         "(assign (expr.lhs) (expr.lhs) (expr.rhs) (expr.rhs)) (assign (expr.lhs) (expr.rhs)) "
         "(assign (expr.lhs) (expr.rhs))");
    BODY("x++\ny--", "(incdec) (incdec)");
    BODY("ch <- v", "(send (expr.chan) (expr.value))");
    BODY("<-ch", "(exprstmt (recv))");
    BODY("f()", "(exprstmt (call))");
    BODY("var x int\nconst c = 1\ntype T struct{ a int }",
         "(gendecl (spec (type.type))) (gendecl (spec (expr.value))) "
         "(gendecl (spec (type.type (structtype (field.field (type.type))))))");
    BODY("{ x := 1 }", "(block (assign (expr.lhs) (expr.rhs)))");
    BODY(";", "(empty)");
}

static void test_assign_ops(void **state) {
    (void)state;
    const char *ops[] = {
        "=", ":=", "+=", "-=", "*=", "/=", "%=", "&=", "|=", "^=", "<<=", ">>=", "&^="};
    for (size_t k = 0; k < sizeof ops / sizeof *ops; k++) {
        char src[128];
        snprintf(src, sizeof src, "package p\nfunc f() { x %s 1 }", ops[k]);
        goleak_unit *u = parse_str(src);
        const goleak_node *a = find_node(u, GOLEAK_NODE_ASSIGN);
        assert_non_null(a);
        size_t n;
        const char *t = goleak_unit_token_text(u, goleak_node_key_token(a), &n);
        assert_int_equal(n, strlen(ops[k]));
        assert_memory_equal(t, ops[k], n);
        goleak_unit_free(u);
    }
}

static void test_composite_literal_ambiguity(void **state) {
    (void)state;
    /* in a control clause T{ starts the block; in parentheses or a call it is a literal */
    BODY("if x == (T{}) {}", "(if (expr.cond (composite)) (block.body))");
    BODY("if f(T{}) {}", "(if (expr.cond (call (expr.arg (composite)))) (block.body))");
    BODY("for _, v := range []int{1, 2} {}", "(range (expr.key) (expr.value) (expr.x (composite "
                                             "(expr.elem) (expr.elem))) (block.body))");
    BODY("if x == T {}", "(if (expr.cond) (block.body))");
    BODY("switch s := (S{a: 1}); s.a {}",
         "(switch (assign.init (expr.lhs) (expr.rhs (composite (expr.key) (expr.value)))) "
         "(expr.tag))");
    /* outside control clauses T{} is always a literal, nested ones untyped */
    BODY("x := map[string][]int{\"a\": {1}}", "(assign (expr.lhs) (expr.rhs (composite (expr.key) "
                                              "(expr.value (composite (expr.elem))))))");
}

static void test_receive_versus_channel_type(void **state) {
    (void)state;
    BODY("x := <-ch", "(assign (expr.lhs) (expr.rhs (recv)))");
    BODY("var c <-chan int", "(gendecl (spec (type.type)))");
    BODY("c := make(<-chan int)", "(assign (expr.lhs) (expr.rhs (call (expr.arg))))");
    BODY("x := <-<-cc", "(assign (expr.lhs) (expr.rhs (recv (recv))))");
    /* <-chan int(nil) is a receive from a conversion, as in go/parser */
    BODY("x := <-chan int(nil)", "(assign (expr.lhs) (expr.rhs (recv (call (expr.arg)))))");
}

static void test_calls_and_slices(void **state) {
    (void)state;
    goleak_unit *u = parse_str("package p\nfunc f() { g(a, b...); _ = s[1:2:3]; _ = t[:] }");
    const goleak_node *call = find_node(u, GOLEAK_NODE_CALL);
    assert_true(goleak_node_flags(call) & GOLEAK_NODE_FLAG_ELLIPSIS);
    assert_int_equal(goleak_node_child_count(call), 2);
    char *t = node_text(goleak_node_child(call, 1));
    assert_string_equal(t, "b");
    free(t);
    /* the call's position is its "(" */
    goleak_pos p = goleak_node_pos(call);
    assert_int_equal(p.line, 2);
    assert_int_equal(p.column, 13);
    const goleak_node *sl = find_node(u, GOLEAK_NODE_SLICE);
    assert_true(goleak_node_flags(sl) & GOLEAK_NODE_FLAG_SLICE3);
    t = node_text(sl);
    assert_string_equal(t, "s[1:2:3]");
    free(t);
    goleak_unit_free(u);
    BODY("f(g(x))(y)", "(exprstmt (call (call (expr.arg (call (expr.arg)))) (expr.arg)))");
    BODY("x := []byte(s)[1:]", "(assign (expr.lhs) (expr.rhs (slice (call (expr.arg)))))");
    BODY("x := T[int]{}", "(assign (expr.lhs) (expr.rhs (composite)))");
    BODY("F[int, string](x)", "(exprstmt (call (expr.arg)))");
}

static void test_declarations(void **state) {
    (void)state;
    TREE("package p\nimport (\n\t\"fmt\"\n\tt \"time\"\n\t. \"strings\"\n\t_ \"embed\"\n)\n",
         "(file (package) (gendecl (import) (import) (import) (import)))");
    TREE("package p\nvar x, y int = 1, 2\n",
         "(file (package) (gendecl (spec (type.type) (expr.value) (expr.value))))");
    TREE("package p\nfunc (s *S) M(a, b int, c ...string) (r int, err error) {}\n",
         "(file (package) (func (field.recv (type.type)) (field.param (type.type)) "
         "(field.param (type.type)) (field.result (type.type)) (field.result (type.type)) "
         "(block.body)))");
    TREE("package p\nfunc F[K comparable, V any](m map[K]V) V\n",
         "(file (package) (func (field.tparam (type.type)) (field.tparam (type.type)) "
         "(field.param (type.type)) (field.result (type.type))))");
    TREE("package p\ntype I interface {\n\tM(x int) string\n\tE\n\t~int | string\n}\n",
         "(file (package) (gendecl (spec (type.type (ifacetype (field.field (type.type (functype "
         "(field.param (type.type)) (field.result (type.type))))) (field.field (type.type)) "
         "(field.field (type.type)))))))");
}

static void test_parameter_grouping(void **state) {
    (void)state;
    goleak_unit *u = parse_str("package p\nfunc f(a, b int, c string) {}\nfunc g(int, string) {}");
    const goleak_node *fn = find_node(u, GOLEAK_NODE_FUNC);
    const goleak_node *f0 = goleak_node_child(fn, 0), *f1 = goleak_node_child(fn, 1);
    char *t = node_text(f0);
    assert_string_equal(t, "a, b int");
    free(t);
    t = node_text(goleak_node_child_by_role(f0, GOLEAK_ROLE_TYPE));
    assert_string_equal(t, "int");
    free(t);
    t = node_text(f1);
    assert_string_equal(t, "c string");
    free(t);
    /* unnamed parameters: each name is a type, the field has no name */
    const goleak_node *g = goleak_node_next_sibling(fn);
    const goleak_node *g0 = goleak_node_child(g, 0);
    assert_true(goleak_node_flags(g0) & GOLEAK_NODE_FLAG_EMBEDDED);
    assert_int_equal(goleak_node_key_token(g0), GOLEAK_NONE);
    t = node_text(goleak_node_child_by_role(g0, GOLEAK_ROLE_TYPE));
    assert_string_equal(t, "int");
    free(t);
    goleak_unit_free(u);
}

static void test_type_parameters_versus_arrays(void **state) {
    (void)state;
    /* type A [N]int is an array; type T[P any] a generic type */
    TREE("package p\ntype A [N]int\n", "(file (package) (gendecl (spec (type.type))))");
    TREE("package p\ntype T[P any] struct{}\n",
         "(file (package) (gendecl (spec (field.tparam (type.type)) (type.type (structtype)))))");
    /* P *C is an array length unless a comma or a type element decides */
    TREE("package p\ntype T[P *C] struct{}\n",
         "(file (package) (gendecl (spec (type.type (structtype)))))");
    TREE("package p\ntype T[P *C,] struct{}\n",
         "(file (package) (gendecl (spec (field.tparam (type.type)) (type.type (structtype)))))");
    TREE("package p\ntype T[P *[]int] struct{}\n",
         "(file (package) (gendecl (spec (field.tparam (type.type)) (type.type (structtype)))))");
    /* P (C) is a call in an array length... */
    TREE("package p\ntype T[P (C)] int\n",
         "(file (package) (gendecl (spec (type.type (call (expr.arg))))))");
    /* ...but with a following comma a name and a parenthesized type */
    TREE("package p\ntype T[P (C), Q any] int\n",
         "(file (package) (gendecl (spec (field.tparam (type.type)) (field.tparam (type.type)) "
         "(type.type))))");
    TREE("package p\ntype T[P interface{ ~int }] int\n",
         "(file (package) (gendecl (spec (field.tparam (type.type (ifacetype (field.field "
         "(type.type))))) (type.type))))");
}

static void test_spans_and_text(void **state) {
    (void)state;
    goleak_unit *u = parse_str("package p\n\nfunc f() {\n\tt := time.NewTicker(d)\n}\n");
    const goleak_node *a = find_node(u, GOLEAK_NODE_ASSIGN);
    goleak_span s = goleak_node_span(a);
    assert_int_equal(s.start.line, 4);
    assert_int_equal(s.start.column, 2);
    assert_int_equal(s.end.line, 4);
    assert_int_equal(s.end.column, 24);
    char *t = node_text(a);
    assert_string_equal(t, "t := time.NewTicker(d)");
    free(t);
    const goleak_node *lhs = goleak_node_child_by_role(a, GOLEAK_ROLE_LHS);
    const goleak_node *rhs = goleak_node_child_by_role(a, GOLEAK_ROLE_RHS);
    t = node_text(lhs);
    assert_string_equal(t, "t");
    free(t);
    const goleak_node *call = goleak_node_first_child(rhs);
    assert_int_equal(goleak_node_kind(call), GOLEAK_NODE_CALL);
    assert_ptr_equal(goleak_node_parent(call), rhs);
    assert_ptr_equal(goleak_node_unit(call), u);
    /* callee tokens: from the call's first token to before its key "(" */
    size_t first = goleak_node_first_token(call), key = goleak_node_key_token(call);
    assert_int_equal(key - first, 3); /* time . NewTicker */
    goleak_unit_free(u);
}

static void test_recovery_statement(void **state) {
    (void)state;
    goleak_unit *u = parse_str("package p\nfunc f() {\n\tx := \n\ty := 1\n\tgo g()\n}\n");
    char *d = diag_str(u);
    assert_string_equal(d, "4:4 expected ';', found ':='");
    free(d);
    /* the statements after the error are still there */
    assert_non_null(find_node(u, GOLEAK_NODE_GO));
    goleak_unit_free(u);

    u = parse_str("package p\nfunc f() { @ }\nfunc g() { defer h() }\n");
    assert_true(goleak_unit_diagnostic_count(u) >= 1);
    assert_non_null(find_node(u, GOLEAK_NODE_DEFER));
    goleak_unit_free(u);
}

static void test_recovery_declaration(void **state) {
    (void)state;
    goleak_unit *u = parse_str("package p\nxyz\nfunc g() { go h() }\n");
    char *d = diag_str(u);
    assert_string_equal(d, "2:1 expected declaration, found xyz");
    free(d);
    assert_non_null(find_node(u, GOLEAK_NODE_GO));
    goleak_unit_free(u);
    /* unterminated body: an error at the end, no crash */
    u = parse_str("package p\nfunc f() {\n\tif x {\n");
    d = diag_str(u);
    assert_string_equal(d, "4:1 expected '}', found 'EOF'");
    free(d);
    goleak_unit_free(u);
    /* no package clause */
    u = parse_str("func f() {}\n");
    d = diag_str(u);
    assert_string_equal(d, "1:1 expected 'package', found 'func'");
    free(d);
    goleak_unit_free(u);
}

static void test_checks_go_parser_makes(void **state) {
    (void)state;
    const struct {
        const char *src, *diag;
    } cases[] = {
        {"package p\nfunc f() { go g }", "2:16 function must be invoked in go statement"},
        {"package p\nfunc f() { defer (g) }", "2:21 function must be invoked in defer statement"},
        {"package p\nfunc f() { a.b := 1 }", "2:12 expected identifier on left side of :="},
        {"package p\nfunc f() { if {} }", "2:15 missing condition in if statement"},
        {"package p\nfunc f() { _ = s[1::3] }", "2:19 2nd index required in 3-index slice"},
        {"package p\nvar x", "2:5 missing variable type or initialization"},
        {"package p\nconst c int", "2:7 missing constant value"},
        {"package p\nimport \"\"", "2:8 invalid import path: \"\""},
        {"package p\nimport \"a b\"", "2:8 invalid import path: \"a b\""},
        {"package p\nfunc (r T) m[P any]() {}", "2:13 method must have no type parameters"},
        {"package p\ntype T[P, Q] int", "2:8 all type parameters must be named"},
        {"package p\nfunc f[]() {}", "2:8 empty type parameter list"},
        {"package p\nvar x = [...]int", "2:9 expected expression"},
        {"package p\nvar x = f([...]int)", "2:12 expected array length, found '...'"},
        {"package p\nfunc f() { for a, b, c := range x {} }",
         "2:22 expected at most 2 expressions"},
        {"package p\nfunc f() { x = 1 + }", "2:20 expected operand, found '}'"},
    };
    for (size_t k = 0; k < sizeof cases / sizeof *cases; k++) {
        goleak_unit *u = parse_str(cases[k].src);
        char *d = diag_str(u);
        if (strcmp(d, cases[k].diag) != 0)
            fail_msg("source %s: want \"%s\", got \"%s\"", cases[k].src, cases[k].diag, d);
        free(d);
        goleak_unit_free(u);
    }
}

static void test_nesting_bound(void **state) {
    (void)state;
    /* 100,002 nested parentheses: past go/parser's limit of 100,000 levels,
     * an error, not a stack overflow */
    size_t depth = 100002;
    size_t cap = 64 + 2 * depth;
    char *src = malloc(cap);
    size_t n = (size_t)sprintf(src, "package p\nvar x = ");
    for (size_t k = 0; k < depth; k++) src[n++] = '(';
    src[n++] = '1';
    for (size_t k = 0; k < depth; k++) src[n++] = ')';
    goleak_unit *u = parse_buf(src, n);
    assert_int_equal(goleak_unit_diagnostic_count(u), 1);
    assert_string_equal(goleak_unit_diagnostic_message(u, 0), "exceeded max nesting depth");
    assert_int_equal(goleak_unit_truncated(u), 1);
    goleak_unit_free(u);
    /* nested blocks and untyped composite literals are bounded too (the
     * function's own braces are not counted) */
    n = (size_t)sprintf(src, "package p\nfunc f() ");
    for (size_t k = 0; k < depth; k++) src[n++] = '{';
    u = parse_buf(src, n);
    assert_string_equal(goleak_unit_diagnostic_message(u, 0), "exceeded max nesting depth");
    goleak_unit_free(u);
    n = (size_t)sprintf(src, "package p\nvar x = T");
    for (size_t k = 0; k < depth; k++) src[n++] = '{';
    u = parse_buf(src, n);
    assert_string_equal(goleak_unit_diagnostic_message(u, 0), "exceeded max nesting depth");
    goleak_unit_free(u);
    free(src);
}

static void test_long_flat_expression(void **state) {
    (void)state;
    /* go/parser counts each operand of a flat sum as a level: 99,990
     * operands parse, 200,000 are too deep */
    size_t terms = 200000;
    char *src = malloc(64 + terms * 4);
    size_t n = (size_t)sprintf(src, "package p\nvar x = ");
    for (size_t k = 0; k < terms; k++) {
        if (k) memcpy(src + n, " + ", 3), n += 3;
        src[n++] = 'a';
        if (k + 1 == 99990) {
            goleak_unit *u = parse_buf(src, n);
            assert_int_equal(goleak_unit_diagnostic_count(u), 0);
            assert_int_equal(goleak_unit_truncated(u), 0);
            goleak_unit_free(u);
        }
    }
    goleak_unit *u = parse_buf(src, n);
    assert_int_equal(goleak_unit_diagnostic_count(u), 1);
    assert_string_equal(goleak_unit_diagnostic_message(u, 0), "exceeded max nesting depth");
    goleak_unit_free(u);
    free(src);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_go_defer),
        cmocka_unit_test(test_for_forms),
        cmocka_unit_test(test_range_flags),
        cmocka_unit_test(test_select),
        cmocka_unit_test(test_switch),
        cmocka_unit_test(test_if_else),
        cmocka_unit_test(test_return_branch_label),
        cmocka_unit_test(test_simple_statements),
        cmocka_unit_test(test_assign_ops),
        cmocka_unit_test(test_composite_literal_ambiguity),
        cmocka_unit_test(test_receive_versus_channel_type),
        cmocka_unit_test(test_calls_and_slices),
        cmocka_unit_test(test_declarations),
        cmocka_unit_test(test_parameter_grouping),
        cmocka_unit_test(test_type_parameters_versus_arrays),
        cmocka_unit_test(test_spans_and_text),
        cmocka_unit_test(test_recovery_statement),
        cmocka_unit_test(test_recovery_declaration),
        cmocka_unit_test(test_checks_go_parser_makes),
        cmocka_unit_test(test_nesting_bound),
        cmocka_unit_test(test_long_flat_expression),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
