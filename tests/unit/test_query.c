/* The query layer, through the public API a rule written outside the
 * library uses: the token -> node index, ancestors, cursors, node ids,
 * declarations and uses with the one use classifier, value targets, calls
 * by import path, callees, enclosing functions and loops, and the release
 * walk. Each test runs a rule callback on a small source and renders what
 * the queries answer as one string. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "helpers.h"
#include "unit.h" /* the internal kind index */

/* ---- a rule that runs a test's queries ---- */

typedef void (*probe_fn)(goleak_check *chk, char *out, size_t size);

typedef struct probe {
    probe_fn fn;
    char out[4096];
} probe;

static int run_probe(goleak_check *chk, void *ud) {
    probe *p = ud;
    p->fn(chk, p->out, sizeof p->out);
    return 0;
}

/* Runs fn as the only rule of an engine on src; returns what it wrote. */
static char *ask(const char *src, probe_fn fn) {
    static probe p;
    memset(&p, 0, sizeof p);
    p.fn = fn;
    goleak_engine *e = NULL;
    assert_int_equal(goleak_engine_new(&e, NULL, NULL), 0);
    goleak_rule_def d = GOLEAK_RULE_DEF_INIT;
    d.id = "Q001";
    d.name = "probe";
    d.check = run_probe;
    d.user_data = &p;
    assert_int_equal(goleak_engine_register_rule(e, &d, NULL), 0);
    goleak_unit *u = parse_str(src);
    goleak_findings *fs = NULL;
    assert_int_equal(goleak_engine_check(&fs, e, u, NULL, NULL), 0);
    goleak_findings_free(fs);
    goleak_unit_free(u);
    goleak_engine_free(e);
    return p.out;
}

static void append(char *out, size_t size, const char *fmt, ...) {
    size_t len = strlen(out);
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(out + len, size - len, fmt, ap);
    va_end(ap);
}

/* The index of the k-th token (from 0) whose text is s, GOLEAK_NONE. */
static size_t token_named(const goleak_unit *u, const char *s, int k) {
    for (size_t i = 0; i < goleak_unit_token_count(u); i++) {
        size_t len;
        const char *t = goleak_unit_token_text(u, i, &len);
        if (len == strlen(s) && memcmp(t, s, len) == 0 && k-- == 0) return i;
    }
    return GOLEAK_NONE;
}

/* The first node of kind in pre-order after (or at) token `from`. */
static const goleak_node *node_after(const goleak_unit *u, int kind, size_t from) {
    goleak_cursor *c = NULL;
    assert_int_equal(goleak_cursor_new(&c, goleak_unit_root(u)), 0);
    const goleak_node *found = NULL;
    do {
        const goleak_node *n = goleak_cursor_node(c);
        if (goleak_node_kind(n) == kind && goleak_node_first_token(n) >= from) found = n;
    } while (!found && goleak_cursor_next(c));
    goleak_cursor_free(c);
    return found;
}

/* ---- the tree: node_at, ancestors, ids, cursors ---- */

/* The kind index the rules iterate (FOR_UNIT_NODE): each kind's tree
 * nodes in array order, the nodes the parser unlinked left out. */
static void test_kind_index(void **state) {
    (void)state;
    static const char *const srcs[] = {
        "package p\nfunc f(a [4]int, m map[string]int) (int, error) {\n"
        "\tx := a[1:2]\n\tfor k, v := range m { _ = (k + string(v)) }\n"
        "\treturn len(x), nil\n}\n",
        "package p\nvar v = T{a: (1 + 2) * 3, b: []int{1}}\n",
        /* an expression list as a statement: its first expression's node is
         * unlinked, not the last created, so it stays in the array */
        "package p\nfunc f() {\n\ta, b[1:]\n}\n",
    };
    size_t dead = 0;
    /* the first source again with a nesting bound: the parse stops inside */
    for (size_t s = 0; s <= sizeof srcs / sizeof *srcs; s++) {
        goleak_unit *u = NULL;
        goleak_parse_options o = GOLEAK_PARSE_OPTIONS_INIT;
        const char *src = srcs[s < sizeof srcs / sizeof *srcs ? s : 0];
        if (s == sizeof srcs / sizeof *srcs) o.max_depth = 6;
        assert_int_equal(goleak_unit_parse(&u, "t.go", src, strlen(src), &o, NULL), 0);
        if (s == sizeof srcs / sizeof *srcs) assert_true(goleak_unit_truncated(u));
        assert_int_equal(unit_kind_index(u), 0);
        const node *nd = u->nodes.data;
        size_t listed = 0;
        for (int k = 0; k < GOLEAK_NODE_KIND_COUNT; k++) {
            uint32_t at = u->kind_at[k];
            for (uint32_t i = 0; i < u->nodes.len; i++) {
                if (nd[i].kind != k || (nd[i].parent == NONE32 && i != u->root)) continue;
                assert_true(at < u->kind_at[k + 1]);
                assert_int_equal(u->kind_nodes[at++], i);
            }
            assert_int_equal(at, u->kind_at[k + 1]);
            listed += at - u->kind_at[k];
        }
        assert_int_equal(listed, u->nodes.len - u->dead_nodes);
        dead += u->dead_nodes;
        goleak_unit_free(u);
    }
    assert_true(dead > 0); /* the sources do have unlinked nodes to leave out */
}

static const char tree_src[] = "package p\n"
                               "func f(xs []int) {\n"
                               "\tfor _, x := range xs {\n"
                               "\t\tgo func() { g(x) }()\n"
                               "\t}\n"
                               "}\n";

static void test_node_at_and_ancestors(void **state) {
    (void)state;
    goleak_unit *u = parse_str(tree_src);
    size_t g = token_named(u, "g", 0);
    const goleak_node *call = goleak_unit_node_at(u, g);
    assert_int_equal(goleak_node_kind(call), GOLEAK_NODE_CALL);
    /* the argument x: its expression slot */
    const goleak_node *arg = goleak_unit_node_at(u, token_named(u, "x", 1));
    assert_int_equal(goleak_node_kind(arg), GOLEAK_NODE_EXPR);
    assert_int_equal(goleak_node_role(arg), GOLEAK_ROLE_ARG);
    /* ancestors by kind set, and stopped at a function */
    uint64_t fns = GOLEAK_KIND_BIT(GOLEAK_NODE_FUNC) | GOLEAK_KIND_BIT(GOLEAK_NODE_FUNCLIT);
    const goleak_node *lit = goleak_node_ancestor(call, fns, 0);
    assert_int_equal(goleak_node_kind(lit), GOLEAK_NODE_FUNCLIT);
    assert_int_equal(goleak_node_kind(goleak_node_ancestor(lit, fns, 0)), GOLEAK_NODE_FUNC);
    assert_null(goleak_node_ancestor(call, GOLEAK_KIND_BIT(GOLEAK_NODE_RANGE), fns));
    assert_int_equal(
        goleak_node_kind(goleak_node_ancestor(lit, GOLEAK_KIND_BIT(GOLEAK_NODE_RANGE), fns)),
        GOLEAK_NODE_RANGE);
    /* ids round-trip */
    assert_ptr_equal(goleak_unit_node(u, goleak_node_id(call)), call);
    assert_null(goleak_unit_node(u, goleak_unit_node_count(u) + 100));
    assert_int_equal(goleak_node_id(NULL), GOLEAK_NONE);
    /* every token has a node; a semicolon between declarations has the file */
    for (size_t i = 0; i < goleak_unit_token_count(u); i++)
        assert_non_null(goleak_unit_node_at(u, i));
    assert_null(goleak_unit_node_at(u, goleak_unit_token_count(u)));
    assert_int_equal(goleak_node_kind(goleak_unit_node_at(u, 0)), GOLEAK_NODE_PACKAGE);
    goleak_unit_free(u);
}

static void test_cursor(void **state) {
    (void)state;
    goleak_unit *u = parse_str(tree_src);
    goleak_cursor *c = NULL;
    assert_int_equal(goleak_cursor_new(&c, goleak_unit_root(u)), 0);
    size_t n = 0, max_depth = 0;
    do {
        n++;
        if (goleak_cursor_depth(c) > max_depth) max_depth = goleak_cursor_depth(c);
    } while (goleak_cursor_next(c));
    assert_int_equal(n, goleak_unit_node_count(u));
    assert_true(max_depth >= 6);
    /* a cursor on a subtree stays in it */
    const goleak_node *lit = find_node(u, GOLEAK_NODE_FUNCLIT);
    assert_int_equal(goleak_cursor_reset(c, lit), 0);
    assert_int_equal(goleak_cursor_goto_parent(c), 0);
    assert_int_equal(goleak_cursor_goto_next_sibling(c), 0);
    assert_int_equal(goleak_cursor_goto_first_child(c), 1);
    assert_int_equal(goleak_cursor_depth(c), 1);
    assert_int_equal(goleak_cursor_goto_parent(c), 1);
    assert_ptr_equal(goleak_cursor_node(c), lit);
    size_t inside = 0;
    do inside++;
    while (goleak_cursor_next(c));
    assert_int_equal(inside, 5); /* funclit, block, exprstmt, call, the argument */
    goleak_cursor_free(c);
    goleak_cursor_free(NULL);
    assert_int_equal(goleak_cursor_new(&c, NULL), GOLEAK_EINVAL);
    assert_null(c);
    assert_int_equal(goleak_cursor_next(NULL), 0);
    goleak_unit_free(u);
}

/* ---- declarations and uses ---- */

static const char *const use_names[] = {"read",    "call",    "select", "index",     "assign",
                                        "receive", "send_on", "range",  "return",    "send",
                                        "arg",     "copy",    "store",  "composite", "blank"};

static const char uses_src[] = "package p\n"
                               "var sink []int\n"
                               "func f(v []int, ch chan []int, m map[string][]int) []int {\n"
                               "\tif v == nil {\n"        /* read */
                               "\t\tv = make([]int, 1)\n" /* assign */
                               "\t}\n"
                               "\tg(v)\n"                    /* arg */
                               "\tw := v\n"                  /* copy */
                               "\tm[\"k\"] = v\n"            /* store */
                               "\tsink = v\n"                /* store (package variable) */
                               "\tch <- v\n"                 /* send */
                               "\t_ = v\n"                   /* blank */
                               "\t_ = T{f: v}\n"             /* composite */
                               "\t_ = v[0]\n"                /* index */
                               "\tgo h(&v)\n"                /* arg, address, goroutine */
                               "\tdefer func() { k(v) }()\n" /* arg, captured, deferred */
                               "\tfor range ch {\n"          /* range on ch */
                               "\t}\n"
                               "\t_, _ = <-ch, w\n" /* receive */
                               "\treturn (v)\n"     /* return */
                               "}\n";

static void probe_uses(goleak_check *chk, char *out, size_t size) {
    const goleak_unit *u = goleak_check_unit(chk);
    size_t v = token_named(u, "v", 0); /* the parameter */
    assert_int_equal(goleak_check_declaration(chk, v), v);
    assert_int_equal(goleak_check_var_kind(chk, v), GOLEAK_VAR_PARAM);
    size_t n = goleak_check_var_use_count(chk, v);
    for (size_t k = 0; k < n; k++) {
        size_t t = goleak_check_var_use(chk, v, k);
        assert_int_equal(goleak_check_declaration(chk, t), v);
        int kind = goleak_check_use_kind(chk, t);
        unsigned fl = goleak_check_use_flags(chk, t);
        append(out, size, "%s%s%s%s%s%s", k ? " " : "", use_names[kind],
               fl & GOLEAK_USE_ADDRESS ? "&" : "", fl & GOLEAK_USE_CAPTURED ? "^" : "",
               fl & GOLEAK_USE_DEFERRED ? "+defer" : "", fl & GOLEAK_USE_GOROUTINE ? "+go" : "");
    }
    assert_int_equal(goleak_check_var_use(chk, v, n), GOLEAK_NONE);
    size_t ch = token_named(u, "ch", 0);
    append(out, size, " | ch:");
    for (size_t k = 0; k < goleak_check_var_use_count(chk, ch); k++)
        append(out, size, " %s",
               use_names[goleak_check_use_kind(chk, goleak_check_var_use(chk, ch, k))]);
    /* kinds of names */
    append(out, size, " | %d %d %d", goleak_check_var_kind(chk, token_named(u, "sink", 0)),
           goleak_check_var_kind(chk, token_named(u, "w", 0)),
           goleak_check_var_kind(chk, token_named(u, "g", 0)));
    /* not uses: the declaration, a field key, a function name */
    assert_int_equal(goleak_check_use_kind(chk, v), -1);
    assert_int_equal(goleak_check_use_kind(chk, token_named(u, "f", 1)), -1);
    assert_int_equal(goleak_check_declaration(chk, token_named(u, "g", 0)), GOLEAK_NONE);
    /* the node a use concerns */
    const goleak_node *call = goleak_check_use_node(chk, goleak_check_var_use(chk, v, 2));
    assert_int_equal(goleak_node_kind(call), GOLEAK_NODE_CALL);
}

static void test_uses(void **state) {
    (void)state;
    assert_string_equal(ask(uses_src, probe_uses),
                        "read assign arg copy store store send blank composite index "
                        "arg&+go arg^+defer return | ch: send_on range receive | 4 0 -1");
}

/* ---- where values go ---- */

static const char *const target_names[] = {"none",  "var",    "pkgvar", "field", "index",  "deref",
                                           "blank", "return", "arg",    "send",  "element"};

static const char targets_src[] = "package p\n"
                                  "var pv int\n"
                                  "func f(s *S, m map[int]int, p *int, ch chan int) (int, int) {\n"
                                  "\ta, b := two()\n"
                                  "\ts.x = one()\n"
                                  "\tm[1] = one()\n"
                                  "\t*p = one()\n"
                                  "\tpv = one()\n"
                                  "\t_ = one()\n"
                                  "\tuse(one())\n"
                                  "\tch <- one()\n"
                                  "\t_ = S{x: one()}\n"
                                  "\tvar c = one()\n"
                                  "\tif one() > 0 {\n"
                                  "\t}\n"
                                  "\treturn one(), a + b + c\n"
                                  "}\n";

static void probe_targets(goleak_check *chk, char *out, size_t size) {
    const goleak_unit *u = goleak_check_unit(chk);
    size_t first, last;
    /* the two results of two() */
    const goleak_node *two = node_after(u, GOLEAK_NODE_CALL, token_named(u, "two", 0));
    for (size_t r = 0; r < 2; r++) {
        int k = goleak_check_value_target(&first, &last, chk, two, r);
        size_t len;
        const char *t = goleak_unit_token_text(u, first, &len);
        append(out, size, "%s:%.*s ", target_names[k], (int)len, t);
    }
    for (int i = 0;; i++) {
        size_t tok = token_named(u, "one", i);
        if (tok == GOLEAK_NONE) break;
        const goleak_node *call = goleak_unit_node_at(u, tok + 1); /* the call's ( */
        int k = goleak_check_value_target(&first, &last, chk, call, 0);
        append(out, size, "%s%s", i ? " " : "", target_names[k]);
        if (k == GOLEAK_TARGET_FIELD || k == GOLEAK_TARGET_ELEMENT) {
            size_t len;
            const char *t = goleak_unit_token_text(u, last, &len);
            append(out, size, "(%.*s)", (int)len, t);
        }
    }
    assert_int_equal(goleak_check_value_target(NULL, NULL, chk, NULL, 0), -1);
}

static void test_targets(void **state) {
    (void)state;
    assert_string_equal(ask(targets_src, probe_targets),
                        "var:a var:b field(x) index deref pkgvar blank arg send element(x) var "
                        "none return");
}

/* ---- calls ---- */

static const char calls_src[] = "package p\n"
                                "import (\n"
                                "\tt \"time\"\n"
                                "\t. \"context\"\n"
                                "\t\"sync\"\n"
                                ")\n"
                                "type S struct{ mu sync.Mutex }\n"
                                "func (s *S) lock() { s.mu.Lock() }\n"
                                "func stop() { panic(1) }\n"
                                "func f(s *S) {\n"
                                "\tt.NewTicker(1)\n"
                                "\tWithCancel(nil)\n"
                                "\ts.lock()\n"
                                "\tstop()\n"
                                "\tfor {\n"
                                "\t\tfunc() { s.mu.Unlock() }()\n"
                                "\t}\n"
                                "}\n"
                                "func g(time int) { time.NewTicker(1) }\n";

static void probe_calls(goleak_check *chk, char *out, size_t size) {
    const goleak_unit *u = goleak_check_unit(chk);
    const goleak_node *tick = goleak_unit_node_at(u, token_named(u, "NewTicker", 0) + 1);
    const goleak_node *shadowed = goleak_unit_node_at(u, token_named(u, "NewTicker", 1) + 1);
    const goleak_node *cancel = goleak_unit_node_at(u, token_named(u, "WithCancel", 0) + 1);
    const goleak_node *lock = goleak_unit_node_at(u, token_named(u, "lock", 1) + 1);
    const goleak_node *stop = goleak_unit_node_at(u, token_named(u, "stop", 1) + 1);
    const goleak_node *unlock = goleak_unit_node_at(u, token_named(u, "Unlock", 0) + 1);
    append(out, size, "%d%d%d%d%d", goleak_check_call_is(chk, tick, "time", "NewTicker"),
           goleak_check_call_is(chk, tick, "time", "NewTimer"),
           goleak_check_call_is(chk, shadowed, "time", "NewTicker"),
           goleak_check_call_is(chk, cancel, "context", "WithCancel"),
           goleak_check_call_is(chk, lock, "sync", "lock"));
    size_t first, last;
    assert_int_equal(goleak_check_call_receiver(&first, &last, chk, unlock), 1);
    append(out, size, " recv=%zu", last - first + 1);
    assert_int_equal(goleak_check_call_receiver(&first, &last, chk, tick), 0);
    const goleak_node *callee = goleak_check_callee(chk, lock);
    assert_non_null(callee);
    assert_true(goleak_node_flags(callee) & GOLEAK_NODE_FLAG_METHOD);
    assert_null(goleak_check_callee(chk, tick));
    append(out, size, " never=%d%d", goleak_check_never_returns(chk, stop),
           goleak_check_never_returns(chk, lock));
    size_t name = goleak_check_call_name(chk, unlock);
    size_t len;
    const char *t = goleak_unit_token_text(u, name, &len);
    append(out, size, " name=%.*s", (int)len, t);
    /* the literal is not a goroutine; its loop holds it */
    const goleak_node *lit = goleak_check_enclosing_func(chk, unlock);
    assert_int_equal(goleak_node_kind(lit), GOLEAK_NODE_FUNCLIT);
    assert_int_equal(goleak_check_is_goroutine_body(chk, lit), 0);
    assert_null(goleak_check_enclosing_loop(chk, unlock));
    assert_int_equal(goleak_node_kind(goleak_check_enclosing_loop(chk, lit)), GOLEAK_NODE_FOR);
}

static void test_calls(void **state) {
    (void)state;
    assert_string_equal(ask(calls_src, probe_calls), "10010 recv=3 never=10 name=Unlock");
}

/* ---- release on every path ---- */

static int is_unlock(goleak_check *chk, const goleak_node *call, void *ud) {
    (void)ud;
    size_t name = goleak_check_call_name(chk, call);
    size_t len;
    const char *t = goleak_unit_token_text(goleak_check_unit(chk), name, &len);
    return t && len == 6 && memcmp(t, "Unlock", 6) == 0;
}

static const char paths_src[] = "package p\n"
                                "func a(mu *M) {\n"
                                "\tmu.Lock()\n"
                                "\tif x() {\n"
                                "\t\treturn\n"
                                "\t}\n"
                                "\tmu.Unlock()\n"
                                "}\n"
                                "func b(mu *M) {\n"
                                "\tmu.Lock()\n"
                                "\tdefer mu.Unlock()\n"
                                "\tif x() {\n"
                                "\t\treturn\n"
                                "\t}\n"
                                "}\n"
                                "func c(mu *M) {\n"
                                "\tmu.Lock()\n"
                                "\tswitch {\n"
                                "\tcase x():\n"
                                "\t\tmu.Unlock()\n"
                                "\t}\n"
                                "}\n"
                                "func d(mu *M, xs []int) {\n"
                                "\tfor range xs {\n"
                                "\t\tmu.Lock()\n"
                                "\t\tif x() {\n"
                                "\t\t\tcontinue\n"
                                "\t\t}\n"
                                "\t\tmu.Unlock()\n"
                                "\t}\n"
                                "}\n";

static void probe_paths(goleak_check *chk, char *out, size_t size) {
    const goleak_unit *u = goleak_check_unit(chk);
    goleak_path_query q;
    assert_int_equal(goleak_path_query_init(&q, GOLEAK_PATH_QUERY_VERSION), 0);
    q.release = is_unlock;
    for (int i = 0;; i++) {
        size_t tok = token_named(u, "Lock", i);
        if (tok == GOLEAK_NONE) break;
        const goleak_node *stmt = goleak_node_parent(goleak_unit_node_at(u, tok + 1));
        const goleak_node *at = NULL;
        int r = goleak_check_release_path(&at, chk, stmt, &q);
        append(out, size, "%s%d@%u", i ? " " : "", r, at ? goleak_node_span(at).start.line : 0);
    }
    assert_int_equal(goleak_check_release_path(NULL, chk, NULL, &q), GOLEAK_EINVAL);
    q.version = 99;
    assert_int_equal(goleak_check_release_path(NULL, chk, goleak_unit_root(u), &q), GOLEAK_EINVAL);
}

static void test_release_path(void **state) {
    (void)state;
    /* return at 5; released; the end of c (line 16); continue at 27 */
    assert_string_equal(ask(paths_src, probe_paths), "1@5 0@0 3@16 2@27");
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_kind_index),   cmocka_unit_test(test_node_at_and_ancestors),
        cmocka_unit_test(test_cursor),       cmocka_unit_test(test_uses),
        cmocka_unit_test(test_targets),      cmocka_unit_test(test_calls),
        cmocka_unit_test(test_release_path),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
