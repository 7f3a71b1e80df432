/* Rule pack tests: each kind of load error with its exact
 * FILE:LINE:COL: message, and the engine's rules unchanged after it; loads
 * from a string, a file, a directory (all or none) and the default
 * directory; rule origins; a pattern and a resource rule at work; the
 * regex limits on a catastrophic pattern; out of memory at every
 * allocation of a load and of a check; the project configuration. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include <cmocka.h>

#include "helpers.h"

static goleak_engine *builtin(void) {
    goleak_engine *e = NULL;
    assert_int_equal(goleak_engine_new(&e, NULL, NULL), 0);
    assert_int_equal(goleak_engine_add_builtin_rules(e, NULL), 0);
    return e;
}

/* The engine's rules as "ID,ID,...". */
static char *rule_list(const goleak_engine *e) {
    size_t n = goleak_engine_rule_count(e);
    char *s = calloc(1, 16 * (n + 1));
    assert_non_null(s);
    for (size_t k = 0; k < n; k++) {
        strcat(s, goleak_rule_id(goleak_engine_rule(e, k)));
        strcat(s, ",");
    }
    return s;
}

static const char *base_pack = "format: 1\n"
                               "name: t\n"
                               "rules:\n"
                               "  - id: T1\n"
                               "    name: t-one\n"
                               "    summary: calls of foo\n"
                               "    message: \"foo of $X\"\n"
                               "    match: foo($X)\n";

/* Loads text as p.yml into an engine holding the built-in rules and the
 * base pack, expecting failure with code and exactly want; the rule list
 * must be unchanged. */
static void expect_error(const char *text, int code, const char *want) {
    goleak_engine *e = builtin();
    assert_int_equal(
        goleak_engine_load_pack_string(e, "base.yml", base_pack, strlen(base_pack), NULL), 0);
    char *before = rule_list(e);
    goleak_error *err = goleak_error_new();
    assert_int_equal(goleak_engine_load_pack_string(e, "p.yml", text, strlen(text), err), code);
    assert_string_equal(goleak_error_message(err), want);
    /* the position is also in the error's fields */
    char pos[64];
    snprintf(pos, sizeof pos, "p.yml:%u:%u: ", goleak_error_line(err), goleak_error_column(err));
    assert_int_equal(strncmp(want, pos, strlen(pos)), 0);
    assert_string_equal(goleak_error_file(err), "p.yml");
    char *after = rule_list(e);
    assert_string_equal(before, after);
    free(before);
    free(after);
    goleak_error_free(err);
    goleak_engine_free(e);
}

static void test_yaml_syntax_error(void **state) {
    (void)state;
    expect_error("format: 1\nname: t\nrules:\n  - id: T2\n    name: [oops\n", GOLEAK_ESYNTAX,
                 "p.yml:6:1: YAML syntax error: did not find expected ',' or ']' while parsing a "
                 "flow sequence");
    expect_error("format: 1\nname: t\nname: u\nrules: []\n", GOLEAK_ESYNTAX,
                 "p.yml:3:1: duplicate key \"name\"");
}

static void test_unknown_key(void **state) {
    (void)state;
    expect_error(
        "format: 1\nname: t\nrules:\n  - id: T2\n    name: t-two\n    summry: s\n"
        "    summary: s\n    message: m\n    match: foo()\n",
        GOLEAK_ESYNTAX,
        "p.yml:6:5: unknown key \"summry\" in a rule (expected one of: id, name, severity, "
        "summary, message, message-discarded, message-replaced, doc, go, requires-import, imports, "
        "paths, "
        "metadata, match, where, focus, resource)");
    expect_error("format: 1\nname: t\nrules:\n  - id: T2\n    name: t-two\n    summary: s\n"
                 "    message: m\n    resource:\n      acquire: f()\n      releases: [g()]\n",
                 GOLEAK_ESYNTAX,
                 "p.yml:10:7: unknown key \"releases\" in a resource (expected one of: acquire, "
                 "as, from, error, release, borrow, wrap, exhaust, escapes, follow-variable)");
}

/* follow-variable is a boolean; message-replaced belongs to resource rules. */
static void test_follow_variable_keys(void **state) {
    (void)state;
    expect_error("format: 1\nname: t\nrules:\n  - id: T2\n    name: t-two\n    summary: s\n"
                 "    message: m\n    resource:\n      acquire: f()\n      release: [g()]\n"
                 "      follow-variable: maybe\n",
                 GOLEAK_ESYNTAX,
                 "p.yml:11:24: \"follow-variable\" is true or false, not \"maybe\"");
    expect_error("format: 1\nname: t\nrules:\n  - id: T2\n    name: t-two\n    summary: s\n"
                 "    message: m\n    message-replaced: r\n    match: foo()\n",
                 GOLEAK_ESYNTAX, "p.yml:8:23: \"message-replaced\" is for resource rules");
}

static void test_missing_field(void **state) {
    (void)state;
    expect_error("format: 1\nname: t\nrules:\n  - id: T2\n    name: t-two\n    summary: s\n"
                 "    match: foo()\n",
                 GOLEAK_ESYNTAX, "p.yml:4:5: missing \"message\" in rule T2");
    expect_error("format: 1\nname: t\nrules:\n  - id: T2\n    name: t-two\n    summary: s\n"
                 "    message: m\n",
                 GOLEAK_ESYNTAX,
                 "p.yml:4:5: rule T2 needs either \"match\" (a pattern rule) or \"resource\" (a "
                 "resource rule)");
    expect_error("name: t\nrules: []\n", GOLEAK_ESYNTAX,
                 "p.yml:1:1: missing \"format\" in the pack");
}

static void test_mistyped_field(void **state) {
    (void)state;
    expect_error("format: 1\nname: t\nrules:\n  - id: T2\n    name: t-two\n    summary: s\n"
                 "    message: m\n    severity: [high]\n    match: foo()\n",
                 GOLEAK_ESYNTAX, "p.yml:8:15: \"severity\" must be a string, not a list");
    expect_error("format: 1\nname: t\nrules:\n  - id: T2\n    name: t-two\n    summary: s\n"
                 "    message: m\n    severity: high\n    match: foo()\n",
                 GOLEAK_ESYNTAX,
                 "p.yml:8:15: \"severity\" is error, warning or info, not \"high\"");
    expect_error("format: 1\nname: t\nrules: {id: T2}\n", GOLEAK_ESYNTAX,
                 "p.yml:3:8: \"rules\" must be a list, not a mapping");
    expect_error("format: 2\nname: t\nrules: []\n", GOLEAK_ESYNTAX,
                 "p.yml:1:9: unknown pack format \"2\" (this goleak reads format 1)");
}

static void test_duplicate_id(void **state) {
    (void)state;
    /* with a built-in rule */
    expect_error(
        "format: 1\nname: t\nrules:\n  - id: GL005\n    name: t-two\n    summary: s\n"
        "    message: m\n    match: foo()\n",
        GOLEAK_EEXISTS,
        "p.yml:4:9: rule id \"GL005\" is already registered (built-in rule defer-in-loop)");
    /* with another pack's rule, by name */
    expect_error(
        "format: 1\nname: t\nrules:\n  - id: T2\n    name: t-one\n    summary: s\n"
        "    message: m\n    match: foo()\n",
        GOLEAK_EEXISTS,
        "p.yml:5:11: rule name \"t-one\" is already registered (rule pack base.yml: t-one)");
    /* within the pack */
    expect_error(
        "format: 1\nname: t\nrules:\n  - id: T2\n    name: t-two\n    summary: s\n"
        "    message: m\n    match: foo()\n"
        "  - id: T2\n    name: t-three\n    summary: s\n    message: m\n    match: bar()\n",
        GOLEAK_EEXISTS, "p.yml:9:9: rule id \"T2\" is already used by rule T2 at p.yml:4");
}

static void test_invalid_regex(void **state) {
    (void)state;
    expect_error(
        "format: 1\nname: t\nrules:\n  - id: T2\n    name: t-two\n    summary: s\n"
        "    message: m\n    match: foo($X)\n    where:\n      - metavariable: $X\n"
        "        regex: \"a(b\"\n",
        GOLEAK_ESYNTAX,
        "p.yml:11:20: invalid regex: missing closing parenthesis (at offset 3 of \"a(b\")");
    expect_error("format: 1\nname: t\nrules:\n  - id: T2\n    name: t-two\n    summary: s\n"
                 "    message: m\n    match: foo($X)\n    where:\n      - metavariable: $X\n"
                 "        regex: a**\n",
                 GOLEAK_ESYNTAX,
                 "p.yml:11:18: invalid regex: quantifier does not follow a repeatable item (at "
                 "offset 2 of \"a**\")");
}

static void test_unknown_metavariable(void **state) {
    (void)state;
    expect_error("format: 1\nname: t\nrules:\n  - id: T2\n    name: t-two\n    summary: s\n"
                 "    message: \"foo of $Y\"\n    match: foo($X)\n",
                 GOLEAK_ESYNTAX, "p.yml:7:22: unknown metavariable $Y in the message (known: $X)");
    expect_error("format: 1\nname: t\nrules:\n  - id: T2\n    name: t-two\n    summary: s\n"
                 "    message: m\n    match: foo($X)\n    where:\n      - metavariable: $Z\n"
                 "        regex: a\n",
                 GOLEAK_ESYNTAX,
                 "p.yml:10:23: unknown metavariable $Z in a where filter (the rule's patterns "
                 "bind: $X)");
    /* a resource rule's message knows $CALL and $EXIT too */
    expect_error("format: 1\nname: t\nrules:\n  - id: T2\n    name: t-two\n    summary: s\n"
                 "    message: \"$R from $CALL on $EXIT at $LINE\"\n    resource:\n"
                 "      acquire: open()\n      release: [$R.Close()]\n",
                 GOLEAK_ESYNTAX,
                 "p.yml:7:41: unknown metavariable $LINE in the message (known: $R, $CALL, $EXIT)");
}

static void test_invalid_pattern(void **state) {
    (void)state;
    expect_error("format: 1\nname: t\nrules:\n  - id: T2\n    name: t-two\n    summary: s\n"
                 "    message: m\n    match: foo($X\n",
                 GOLEAK_ESYNTAX,
                 "p.yml:8:18: invalid pattern: missing ',' before newline in argument list");
    expect_error("format: 1\nname: t\nrules:\n  - id: T2\n    name: t-two\n    summary: s\n"
                 "    message: m\n    match: foo($x)\n",
                 GOLEAK_ESYNTAX,
                 "p.yml:8:16: a metavariable is $ and a name in capitals ($X, $RESP, $_)");
    expect_error("format: 1\nname: t\nrules:\n  - id: T2\n    name: t-two\n    summary: s\n"
                 "    message: m\n    resource:\n      acquire: x := 1\n      release: [f()]\n",
                 GOLEAK_ESYNTAX, "p.yml:9:16: \"acquire\" must match calls (such as os.Open(...))");
}

/* ---- loading ---- */

static void test_load_and_origin(void **state) {
    (void)state;
    goleak_engine *e = builtin();
    size_t n0 = goleak_engine_rule_count(e);
    assert_int_equal(
        goleak_engine_load_pack_string(e, "base.yml", base_pack, strlen(base_pack), NULL), 0);
    assert_int_equal(goleak_engine_rule_count(e), n0 + 1);
    const goleak_rule *r = goleak_engine_find_rule(e, "T1");
    assert_non_null(r);
    assert_int_equal(goleak_rule_origin(r), GOLEAK_ORIGIN_PACK);
    assert_string_equal(goleak_rule_origin_path(r), "base.yml");
    assert_string_equal(goleak_rule_summary(r), "calls of foo");
    const goleak_rule *b = goleak_engine_find_rule(e, "GL005");
    assert_int_equal(goleak_rule_origin(b), GOLEAK_ORIGIN_BUILTIN);
    assert_null(goleak_rule_origin_path(b));
    /* the same pack again: its ids are taken */
    assert_int_equal(
        goleak_engine_load_pack_string(e, "base.yml", base_pack, strlen(base_pack), NULL),
        GOLEAK_EEXISTS);
    goleak_engine_free(e);
}

static void write_file(const char *path, const char *text) {
    FILE *fp = fopen(path, "w");
    assert_non_null(fp);
    fputs(text, fp);
    fclose(fp);
}

static void test_load_dir_all_or_none(void **state) {
    (void)state;
    char dir[] = "/tmp/goleak_packs_XXXXXX";
    assert_non_null(mkdtemp(dir));
    char a[128], b[128], c[128];
    snprintf(a, sizeof a, "%s/a.yml", dir);
    snprintf(b, sizeof b, "%s/b.yaml", dir);
    snprintf(c, sizeof c, "%s/notes.txt", dir);
    write_file(a, base_pack);
    write_file(b, "format: 1\nname: u\nrules:\n  - id: U1\n    name: u-one\n    summary: s\n"
                  "    message: m\n    match: bar()\n");
    write_file(c, "not a pack");
    goleak_engine *e = builtin();
    size_t n0 = goleak_engine_rule_count(e);
    assert_int_equal(goleak_engine_load_pack_dir(e, dir, NULL), 0);
    assert_int_equal(goleak_engine_rule_count(e), n0 + 2);
    assert_string_equal(goleak_rule_origin_path(goleak_engine_find_rule(e, "U1")), b);
    goleak_engine_free(e);
    /* a bad second pack: neither is loaded */
    write_file(b, "format: 1\nname: u\nrules:\n  - id: U1\n    name: u-one\n    summary: s\n"
                  "    message: m\n    match: bar(\n");
    e = builtin();
    goleak_error *err = goleak_error_new();
    assert_int_equal(goleak_engine_load_pack_dir(e, dir, err), GOLEAK_ESYNTAX);
    assert_string_equal(goleak_error_file(err), b);
    assert_int_equal(goleak_engine_rule_count(e), n0);
    /* a clash between the two packs: none is loaded */
    write_file(b, "format: 1\nname: u\nrules:\n  - id: T1\n    name: u-one\n    summary: s\n"
                  "    message: m\n    match: bar()\n");
    assert_int_equal(goleak_engine_load_pack_dir(e, dir, err), GOLEAK_EEXISTS);
    assert_int_equal(goleak_engine_rule_count(e), n0);
    /* the default packs from GOLEAK_RULES_DIR */
    setenv("GOLEAK_RULES_DIR", dir, 1);
    char got[256];
    assert_int_equal(goleak_default_packs_dir(got, sizeof got, NULL), 0);
    assert_string_equal(got, dir);
    assert_int_equal(goleak_engine_add_default_packs(e, NULL), GOLEAK_EEXISTS);
    unlink(b);
    assert_int_equal(goleak_engine_add_default_packs(e, NULL), 0);
    assert_non_null(goleak_engine_find_rule(e, "T1"));
    setenv("GOLEAK_RULES_DIR", "/nonexistent/goleak", 1);
    assert_int_equal(goleak_default_packs_dir(got, sizeof got, NULL), GOLEAK_ENOTFOUND);
    unsetenv("GOLEAK_RULES_DIR");
    assert_int_equal(goleak_engine_load_pack(e, "/nonexistent/p.yml", err), GOLEAK_EIO);
    goleak_error_free(err);
    goleak_engine_free(e);
    unlink(a);
    unlink(c);
    rmdir(dir);
}

/* The findings of src as "LINE:RULE:MESSAGE|..." for the engine. */
static char *findings_of(const goleak_engine *e, const char *src, int *rc, goleak_error *err) {
    goleak_unit *u = parse_str(src);
    goleak_findings *fs = NULL;
    *rc = goleak_engine_check(&fs, e, u, NULL, err);
    char *out = calloc(1, 8192);
    for (size_t k = 0; k < goleak_findings_count(fs); k++) {
        const goleak_finding *f = goleak_findings_get(fs, k);
        size_t len = strlen(out);
        snprintf(out + len, 8192 - len, "%s%u:%s:%s", k ? "|" : "",
                 (unsigned)goleak_finding_span(f).start.line, goleak_finding_rule_id(f),
                 goleak_finding_message(f));
    }
    goleak_findings_free(fs);
    goleak_unit_free(u);
    return out;
}

static void test_pattern_and_resource_rules(void **state) {
    (void)state;
    static const char pack[] = "format: 1\nname: t\nrules:\n"
                               "  - id: P1\n    name: sleep-in-handler\n    summary: s\n"
                               "    message: \"sleep of $D in $H\"\n    imports: [time]\n"
                               "    match:\n      all:\n"
                               "        - time.Sleep($D)\n"
                               "        - inside: func $H(...) { ... }\n"
                               "        - not-inside: {context: test}\n"
                               "      where: [{metavariable: $H, regex: ^handle}]\n"
                               "  - id: R1\n    name: conn-not-closed\n    summary: s\n"
                               "    message: \"$C from $CALL is not closed on $EXIT\"\n"
                               "    requires-import: net\n"
                               "    resource:\n"
                               "      acquire: net.Dial(...)\n      as: $C\n      error: result 1\n"
                               "      release: [$C.Close()]\n";
    goleak_engine *e = NULL;
    assert_int_equal(goleak_engine_new(&e, NULL, NULL), 0);
    goleak_error *err = goleak_error_new();
    assert_int_equal(goleak_engine_load_pack_string(e, "t.yml", pack, strlen(pack), err), 0);
    int rc;
    char *got = findings_of(e,
                            "package p\n"
                            "import (\"net\"; tm \"time\")\n"
                            "func handleGet() { tm.Sleep(1) }\n"
                            "func other() { tm.Sleep(2) } // time.Sleep(3) in a comment\n"
                            "func dial(a string) error {\n"
                            "\tc, err := net.Dial(\"tcp\", a)\n"
                            "\tif err != nil {\n"
                            "\t\treturn err\n"
                            "\t}\n"
                            "\tif a == \"\" {\n"
                            "\t\treturn nil\n"
                            "\t}\n"
                            "\treturn c.Close()\n"
                            "}\n",
                            &rc, err);
    assert_int_equal(rc, 0);
    assert_string_equal(got, "3:P1:sleep of 1 in handleGet|"
                             "6:R1:c from net.Dial(\"tcp\", a) is not closed on the path that "
                             "returns at line 11");
    free(got);
    goleak_error_free(err);
    goleak_engine_free(e);
}

/* A regex that backtracks exponentially on a long line stops at PCRE2's
 * limits: the check fails at once, with the reason, instead of hanging. */
static void test_catastrophic_regex_is_bounded(void **state) {
    (void)state;
    static const char pack[] = "format: 1\nname: t\nrules:\n"
                               "  - id: C1\n    name: slow\n    summary: s\n    message: m\n"
                               "    match: foo($X)\n"
                               "    where: [{metavariable: $X, regex: \"^(a+)+$\"}]\n";
    goleak_engine *e = NULL;
    assert_int_equal(goleak_engine_new(&e, NULL, NULL), 0);
    assert_int_equal(goleak_engine_load_pack_string(e, "slow.yml", pack, strlen(pack), NULL), 0);
    /* foo(aaaa...ab): an identifier of 20000 a's and a final b */
    size_t n = 20000;
    char *src = malloc(n + 64);
    strcpy(src, "package p\nfunc f() { foo(");
    size_t o = strlen(src);
    memset(src + o, 'a', n);
    o += n;
    strcpy(src + o, "b) }\n");
    goleak_error *err = goleak_error_new();
    struct timespec t0, t1;
    clock_gettime(CLOCK_MONOTONIC, &t0);
    int rc;
    char *got = findings_of(e, src, &rc, err);
    clock_gettime(CLOCK_MONOTONIC, &t1);
    double secs = (double)(t1.tv_sec - t0.tv_sec) + (double)(t1.tv_nsec - t0.tv_nsec) / 1e9;
    assert_int_equal(rc, GOLEAK_EUSER);
    assert_string_equal(goleak_error_message(err),
                        "rule C1 failed on test.go: regex \"^(a+)+$\" of rule C1 (slow.yml) hit "
                        "the PCRE2 match limits (100000 steps, depth 1000, 1024 KiB) and was "
                        "abandoned; simplify it");
    assert_true(secs < 2.0);
    /* a short subject is matched as usual */
    free(got);
    got = findings_of(e, "package p\nfunc f() { foo(aaaa) }\n", &rc, err);
    assert_int_equal(rc, 0);
    assert_string_equal(got, "2:C1:m");
    free(got);
    free(src);
    goleak_error_free(err);
    goleak_engine_free(e);
}

/* ---- out of memory ---- */

static const char oom_pack[] =
    "format: 1\nname: t\nrules:\n"
    "  - id: O1\n    name: o-one\n    summary: s\n    message: \"$X\"\n    imports: [time]\n"
    "    match:\n      all:\n        - time.Sleep($X)\n        - inside: {context: loop}\n"
    "      where: [{metavariable: $X, regex: \"[0-9]\"}]\n"
    "  - id: O2\n    name: o-two\n    summary: s\n    message: \"$F on $EXIT\"\n"
    "    requires-import: os\n"
    "    resource:\n      acquire: os.Open(...)\n      as: $F\n      error: result 1\n"
    "      release: [$F.Close()]\n      borrow: [io.Copy(...)]\n";

static const char oom_src[] = "package p\nimport (\"os\"; \"time\")\n"
                              "func f(p string) error {\n"
                              "\tfor { time.Sleep(1) }\n"
                              "\tg, err := os.Open(p)\n"
                              "\tif err != nil { return err }\n"
                              "\tif p == \"\" { return nil }\n"
                              "\th := g\n"
                              "\treturn h.Close()\n"
                              "}\n";

static void test_out_of_memory(void **state) {
    (void)state;
    test_alloc c;
    test_alloc_init(&c);
    goleak_engine *e = engine_on_alloc(&c, 0);
    long base = c.live;
    /* every allocation of a load fails in turn: ENOMEM, nothing registered, nothing leaked */
    c.calls = 0;
    assert_int_equal(goleak_engine_load_pack_string(e, "o.yml", oom_pack, strlen(oom_pack), NULL),
                     0);
    long total = c.calls;
    goleak_engine_free(e);
    assert_int_equal(c.live, 0);
    for (long k = 0; k < total; k++) {
        c.fail_at = -1;
        e = engine_on_alloc(&c, 0);
        base = c.live;
        c.calls = 0;
        c.fail_at = k;
        int rc = goleak_engine_load_pack_string(e, "o.yml", oom_pack, strlen(oom_pack), NULL);
        c.fail_at = -1;
        assert_int_equal(rc, GOLEAK_ENOMEM);
        assert_int_equal(goleak_engine_rule_count(e), 0);
        /* the engine may keep its rule list's capacity; nothing else */
        assert_true(c.live <= base + 1);
        goleak_engine_free(e);
        assert_int_equal(c.live, 0);
    }
    /* every allocation of a check */
    e = engine_on_alloc(&c, 0);
    assert_int_equal(goleak_engine_load_pack_string(e, "o.yml", oom_pack, strlen(oom_pack), NULL),
                     0);
    goleak_unit *u = parse_str(oom_src);
    base = c.live;
    c.calls = 0;
    goleak_findings *fs = NULL;
    assert_int_equal(goleak_engine_check(&fs, e, u, NULL, NULL), 0);
    assert_int_equal(goleak_findings_count(fs), 2);
    goleak_findings_free(fs);
    total = c.calls;
    for (long k = 0; k < total; k++) {
        c.calls = 0;
        c.fail_at = k;
        fs = (goleak_findings *)1;
        assert_int_equal(goleak_engine_check(&fs, e, u, NULL, NULL), GOLEAK_ENOMEM);
        assert_null(fs);
        assert_int_equal(c.live, base);
    }
    c.fail_at = -1;
    goleak_unit_free(u);
    goleak_engine_free(e);
    assert_int_equal(c.live, 0);
}

/* ---- per-rule times ---- */

static void test_rule_times(void **state) {
    (void)state;
    goleak_engine *e = builtin();
    assert_int_equal(
        goleak_engine_load_pack_string(e, "base.yml", base_pack, strlen(base_pack), NULL), 0);
    goleak_unit *u = parse_str("package p\nfunc f() { foo(1) }\n");
    goleak_check_options o = GOLEAK_CHECK_OPTIONS_INIT;
    goleak_findings *fs = NULL;
    assert_int_equal(goleak_engine_check(&fs, e, u, &o, NULL), 0);
    assert_int_equal(goleak_findings_rule_ns(fs, 0), 0); /* not asked for */
    goleak_findings_free(fs);
    o.flags = GOLEAK_CHECK_TIME_RULES;
    assert_int_equal(goleak_engine_check(&fs, e, u, &o, NULL), 0);
    uint64_t sum = 0;
    size_t n = goleak_engine_rule_count(e);
    for (size_t k = 0; k < n; k++) sum += goleak_findings_rule_ns(fs, k);
    assert_true(sum > 0);
    assert_true(goleak_findings_rule_ns(fs, GOLEAK_NONE) > 0); /* the facts */
    assert_int_equal(goleak_findings_rule_ns(fs, n + 5), 0);
    goleak_findings_free(fs);
    goleak_unit_free(u);
    goleak_engine_free(e);
}

/* ---- configuration ---- */

static void config_error(const char *text, int code, const char *want) {
    goleak_config *c = (goleak_config *)1;
    goleak_error *err = goleak_error_new();
    assert_int_equal(goleak_config_parse(&c, "/tmp/proj/.goleak.yml", text, strlen(text), err),
                     code);
    assert_null(c);
    assert_string_equal(goleak_error_message(err), want);
    goleak_error_free(err);
}

static void test_config(void **state) {
    (void)state;
    config_error("rules: [all\n", GOLEAK_ESYNTAX,
                 "/tmp/proj/.goleak.yml:2:1: YAML syntax error: did not find expected ',' or ']' "
                 "while parsing a flow sequence");
    config_error("rule: [all]\n", GOLEAK_ESYNTAX,
                 "/tmp/proj/.goleak.yml:1:1: unknown key \"rule\" in the configuration (expected "
                 "one of: packs, default-packs, rules, options, exclude, overrides)");
    config_error("native-packs: [x.so]\n", GOLEAK_ESYNTAX,
                 "/tmp/proj/.goleak.yml:1:1: native packs run code: they are loaded only from the "
                 "command line (--native-pack), never from a configuration file");
    config_error("default-packs: maybe\n", GOLEAK_ESYNTAX,
                 "/tmp/proj/.goleak.yml:1:16: \"default-packs\" is true or false");
    static const char text[] = "rules: [all, -GL003]\n"
                               "options:\n  GL004: {threshold: 131072}\n"
                               "exclude: [\"gen/*\"]\n"
                               "overrides:\n  - paths: [\"cmd/*\"]\n    rules: [-GL005]\n";
    goleak_config *c = NULL;
    assert_int_equal(goleak_config_parse(&c, "/tmp/proj/.goleak.yml", text, strlen(text), NULL), 0);
    assert_int_equal(goleak_config_count(c, GOLEAK_CONFIG_RULES), 2);
    assert_string_equal(goleak_config_item(c, GOLEAK_CONFIG_RULES, 1), "-GL003");
    assert_string_equal(goleak_config_item(c, GOLEAK_CONFIG_OPTIONS, 0), "GL004.threshold=131072");
    assert_string_equal(goleak_config_item(c, GOLEAK_CONFIG_OVERRIDES, 0), "cmd/*: -GL005");
    assert_true(goleak_config_excludes(c, "/tmp/proj/gen/x.go"));
    assert_false(goleak_config_excludes(c, "/tmp/proj/src/x.go"));
    goleak_engine *e = builtin();
    assert_int_equal(goleak_config_apply(c, e, NULL), 0);
    assert_false(goleak_rule_enabled(goleak_engine_find_rule(e, "GL003")));
    assert_true(goleak_rule_enabled(goleak_engine_find_rule(e, "GL005")));
    /* the override: GL005 runs on src/, not on cmd/ */
    static const char loop[] = "package p\nimport \"os\"\nfunc f(ps []string) {\n"
                               "\tfor _, p := range ps {\n\t\tf, _ := os.Open(p)\n"
                               "\t\tdefer f.Close()\n\t}\n}\n";
    goleak_unit *u = NULL;
    assert_int_equal(goleak_unit_parse(&u, "/tmp/proj/cmd/a.go", loop, strlen(loop), NULL, NULL),
                     0);
    goleak_findings *fs = NULL;
    assert_int_equal(goleak_engine_check(&fs, e, u, NULL, NULL), 0);
    assert_int_equal(goleak_findings_count(fs), 0);
    goleak_findings_free(fs);
    goleak_unit_free(u);
    assert_int_equal(goleak_unit_parse(&u, "/tmp/proj/src/a.go", loop, strlen(loop), NULL, NULL),
                     0);
    assert_int_equal(goleak_engine_check(&fs, e, u, NULL, NULL), 0);
    assert_int_equal(goleak_findings_count(fs), 1);
    goleak_findings_free(fs);
    goleak_unit_free(u);
    goleak_engine_free(e);
    goleak_config_free(c);
    /* an unknown rule is reported at its entry */
    static const char bad[] = "rules:\n  - all\n  - -GL999\n";
    assert_int_equal(goleak_config_parse(&c, "/tmp/proj/.goleak.yml", bad, strlen(bad), NULL), 0);
    e = builtin();
    goleak_error *err = goleak_error_new();
    assert_int_equal(goleak_config_apply(c, e, err), GOLEAK_ENOTFOUND);
    assert_string_equal(
        goleak_error_message(err),
        "/tmp/proj/.goleak.yml:3:5: unknown rule \"GL999\" (goleak rules lists them)");
    goleak_error_free(err);
    goleak_engine_free(e);
    goleak_config_free(c);
}

/* A pack rule's triggers come from what its patterns cannot match without;
 * a file without them gets the rule skipped, and loses no finding. */
static void test_derived_triggers(void **state) {
    (void)state;
    static const char pack[] = "format: 1\nname: t\nrules:\n"
                               "  - id: T1\n    name: sleep-in-loop\n    summary: s\n"
                               "    message: m\n    imports: [time]\n"
                               "    match:\n      all:\n"
                               "        - time.Sleep($D)\n"
                               "        - inside: {context: loop}\n"
                               "  - id: T2\n    name: closer\n    summary: s\n    message: m\n"
                               "    match:\n      any:\n        - $X.Shutdown()\n"
                               "        - $X.CloseIdleConnections()\n"
                               "  - id: T3\n    name: anything\n    summary: s\n    message: m\n"
                               "    match:\n      any:\n        - $X.Close()\n"
                               "        - $F($X)\n"
                               "  - id: T4\n    name: goroutine\n    summary: s\n    message: m\n"
                               "    match: go $F($X)\n";
    goleak_engine *e = NULL;
    assert_int_equal(goleak_engine_new(&e, NULL, NULL), 0);
    goleak_error *err = goleak_error_new();
    assert_int_equal(goleak_engine_load_pack_string(e, "t.yml", pack, strlen(pack), err), 0);
    /* the package a pattern names is needed */
    assert_string_equal(goleak_rule_triggers(goleak_engine_find_rule(e, "T1")), "import:time");
    /* any of two alternatives */
    assert_string_equal(goleak_rule_triggers(goleak_engine_find_rule(e, "T2")),
                        "Shutdown,CloseIdleConnections");
    /* an alternative that needs no word: the rule runs on every file */
    assert_string_equal(goleak_rule_triggers(goleak_engine_find_rule(e, "T3")), "");
    /* a keyword */
    assert_string_equal(goleak_rule_triggers(goleak_engine_find_rule(e, "T4")), "go");
    int rc;
    char *got = findings_of(e,
                            "package p\n"
                            "import \"time\"\n"
                            "func f(s server) { for { time.Sleep(1) }; s.Shutdown(); go g(s) }\n",
                            &rc, err);
    assert_int_equal(rc, 0);
    assert_string_equal(got, "3:T1:m|3:T3:m|3:T2:m|3:T4:m|3:T3:m");
    free(got);
    goleak_error_free(err);
    goleak_engine_free(e);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_yaml_syntax_error),
        cmocka_unit_test(test_unknown_key),
        cmocka_unit_test(test_follow_variable_keys),
        cmocka_unit_test(test_missing_field),
        cmocka_unit_test(test_mistyped_field),
        cmocka_unit_test(test_duplicate_id),
        cmocka_unit_test(test_invalid_regex),
        cmocka_unit_test(test_unknown_metavariable),
        cmocka_unit_test(test_invalid_pattern),
        cmocka_unit_test(test_load_and_origin),
        cmocka_unit_test(test_load_dir_all_or_none),
        cmocka_unit_test(test_pattern_and_resource_rules),
        cmocka_unit_test(test_catastrophic_regex_is_bounded),
        cmocka_unit_test(test_out_of_memory),
        cmocka_unit_test(test_rule_times),
        cmocka_unit_test(test_config),
        cmocka_unit_test(test_derived_triggers),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
