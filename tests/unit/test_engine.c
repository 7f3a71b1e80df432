/* Engine tests: registering rules from C, enabling and configuring them,
 * Go-version gating, findings and their order, suppression comments,
 * unused suppressions, callback failure, out-of-memory at every
 * allocation of a check, and the go.mod lookup. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <pthread.h>
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

/* The findings of src as "LINE:RULE|LINE:RULE". */
static char *findings_str(const goleak_engine *e, const char *src, const char *version,
                          unsigned flags) {
    goleak_unit *u = parse_str(src);
    goleak_check_options o = GOLEAK_CHECK_OPTIONS_INIT;
    o.go_version = version;
    o.flags = flags;
    goleak_findings *fs = NULL;
    assert_int_equal(goleak_engine_check(&fs, e, u, &o, NULL), 0);
    char *out = calloc(1, 4096);
    size_t n = goleak_findings_count(fs);
    for (size_t k = 0; k < n; k++) {
        const goleak_finding *f = goleak_findings_get(fs, k);
        size_t len = strlen(out);
        snprintf(out + len, 4096 - len, "%s%u:%s", k ? "|" : "",
                 (unsigned)goleak_finding_span(f).start.line, goleak_finding_rule_id(f));
    }
    goleak_findings_free(fs);
    goleak_unit_free(u);
    return out;
}

#define FINDINGS(e, src, version, flags, want)                                                     \
    do {                                                                                           \
        char *s_ = findings_str(e, src, version, flags);                                           \
        assert_string_equal(s_, want);                                                             \
        free(s_);                                                                                  \
    } while (0)

static const char *ticker_src = "package p\n"
                                "import \"time\"\n"
                                "func f() {\n"
                                "\tt := time.NewTicker(time.Second)\n"
                                "\t_ = t\n"
                                "}\n";

static const char *after_src = "package p\n"
                               "import \"time\"\n"
                               "func f(c chan int) {\n"
                               "\tfor {\n"
                               "\t\tselect {\n"
                               "\t\tcase <-c:\n"
                               "\t\tcase <-time.After(time.Second):\n"
                               "\t\t\treturn\n"
                               "\t\t}\n"
                               "\t}\n"
                               "}\n";

static void test_builtin_rules(void **state) {
    (void)state;
    goleak_engine *e = builtin();
    assert_int_equal(goleak_engine_rule_count(e), 22);
    const goleak_rule *r = goleak_engine_find_rule(e, "GL015");
    assert_non_null(r);
    assert_ptr_equal(goleak_engine_find_rule(e, "ticker-not-stopped"), r);
    assert_string_equal(goleak_rule_name(r), "ticker-not-stopped");
    assert_int_equal(goleak_rule_severity(r), GOLEAK_SEVERITY_WARNING);
    assert_true(goleak_rule_enabled(r));
    assert_non_null(strstr(goleak_rule_doc(r), "Leaking:"));
    assert_non_null(strstr(goleak_rule_doc(r), "Fixed:"));
    assert_string_equal(goleak_rule_go_versions(goleak_engine_find_rule(e, "GL016")), "< 1.23");
    assert_string_equal(goleak_rule_go_versions(r), "any");
    /* every rule documents a leaking and a fixed example */
    for (size_t k = 0; k < goleak_engine_rule_count(e); k++) {
        const goleak_rule *x = goleak_engine_rule(e, k);
        assert_true(strlen(goleak_rule_summary(x)) > 10);
        if (strcmp(goleak_rule_id(x), "GL000") == 0) continue;
        assert_non_null(strstr(goleak_rule_doc(x), "Leaking:"));
        assert_non_null(strstr(goleak_rule_doc(x), "Fixed"));
    }
    goleak_error *err = goleak_error_new();
    assert_int_equal(goleak_engine_add_builtin_rules(e, err), GOLEAK_EEXISTS);
    goleak_error_free(err);
    assert_null(goleak_engine_rule(e, 99));
    assert_null(goleak_engine_find_rule(e, "GL999"));
    assert_string_equal(goleak_severity_name(GOLEAK_SEVERITY_ERROR), "error");
    goleak_engine_free(e);
    goleak_engine_free(NULL);
}

static void test_version_gating(void **state) {
    (void)state;
    goleak_engine *e = builtin();
    /* GL016 applies below 1.23 only; unknown: reported with a note */
    FINDINGS(e, after_src, "1.22", 0, "7:GL016");
    FINDINGS(e, after_src, "go1.21.5", 0, "7:GL016");
    FINDINGS(e, after_src, "1.23", 0, "");
    FINDINGS(e, after_src, "1.24rc1", 0, "");
    FINDINGS(e, after_src, NULL, 0, "7:GL016");
    /* GL015: a local unstopped ticker leaks before 1.23 only */
    FINDINGS(e, ticker_src, "1.22", 0, "4:GL015");
    FINDINGS(e, ticker_src, "1.23", 0, "");
    FINDINGS(e, ticker_src, NULL, 0, "4:GL015");
    /* the messages say which versions the leak concerns when unknown */
    goleak_unit *u = parse_str(after_src);
    goleak_findings *fs = NULL;
    assert_int_equal(goleak_engine_check(&fs, e, u, NULL, NULL), 0);
    assert_non_null(strstr(goleak_finding_message(goleak_findings_get(fs, 0)), "Go < 1.23"));
    goleak_findings_free(fs);
    goleak_check_options o = GOLEAK_CHECK_OPTIONS_INIT;
    o.go_version = "1.22";
    assert_int_equal(goleak_engine_check(&fs, e, u, &o, NULL), 0);
    assert_null(strstr(goleak_finding_message(goleak_findings_get(fs, 0)), "unknown"));
    goleak_findings_free(fs);
    /* a bad version is an error */
    goleak_error *err = goleak_error_new();
    o.go_version = "banana";
    assert_int_equal(goleak_engine_check(&fs, e, u, &o, err), GOLEAK_EINVAL);
    assert_null(fs);
    assert_non_null(strstr(goleak_error_message(err), "banana"));
    goleak_error_free(err);
    goleak_unit_free(u);
    assert_int_equal(goleak_go_version_minor("1.22"), 22);
    assert_int_equal(goleak_go_version_minor("go1.9"), 9);
    assert_int_equal(goleak_go_version_minor("1"), 0);
    assert_int_equal(goleak_go_version_minor("2.0"), -1);
    assert_int_equal(goleak_go_version_minor("1."), -1);
    assert_int_equal(goleak_go_version_minor(NULL), -1);
    goleak_engine_free(e);
}

static void test_enable_and_options(void **state) {
    (void)state;
    goleak_engine *e = builtin();
    goleak_error *err = goleak_error_new();
    assert_int_equal(goleak_engine_enable_rules(e, "all", 0, err), 0);
    FINDINGS(e, ticker_src, NULL, 0, "");
    assert_int_equal(goleak_engine_enable_rules(e, "GL015, time-after-in-loop", 1, err), 0);
    FINDINGS(e, ticker_src, NULL, 0, "4:GL015");
    /* an unknown entry changes nothing */
    assert_int_equal(goleak_engine_enable_rules(e, "GL015,GL999", 0, err), GOLEAK_ENOTFOUND);
    assert_non_null(strstr(goleak_error_message(err), "GL999"));
    assert_true(goleak_rule_enabled(goleak_engine_find_rule(e, "GL015")));
    assert_int_equal(goleak_engine_enable_rules(NULL, "all", 1, err), GOLEAK_EINVAL);
    /* options: GL004's threshold */
    const char *big = "package p\nfunc f(b [4096]byte) {}\n";
    assert_int_equal(goleak_engine_enable_rules(e, "GL004", 1, err), 0);
    FINDINGS(e, big, NULL, 0, "");
    assert_int_equal(goleak_engine_set_option(e, "GL004", "threshold", "4096", err), 0);
    FINDINGS(e, big, NULL, 0, "2:GL004");
    assert_int_equal(goleak_engine_set_option(e, "GL004", "threshold", "8192", err), 0);
    FINDINGS(e, big, NULL, 0, "");
    assert_int_equal(goleak_engine_set_option(e, "GL004", "threshold", "-1", err), GOLEAK_EINVAL);
    assert_int_equal(goleak_engine_set_option(e, "GL004", "colour", "red", err), GOLEAK_EINVAL);
    assert_int_equal(goleak_engine_set_option(e, "GL999", "x", "1", err), GOLEAK_ENOTFOUND);
    /* an overflowing or too large threshold is refused, not wrapped */
    assert_int_equal(
        goleak_engine_set_option(e, "GL004", "threshold", "99999999999999999999999", err),
        GOLEAK_EINVAL);
    assert_non_null(strstr(goleak_error_message(err), "from 1 to"));
    assert_int_equal(goleak_engine_enable_rules(e, "", 1, err), GOLEAK_EINVAL);
    assert_int_equal(goleak_engine_enable_rules(e, " , ", 1, err), GOLEAK_EINVAL);
    goleak_error_free(err);
    goleak_engine_free(e);
}

/* ---- declared options, triggers, failures, serialised rules ---- */

typedef struct seen {
    int calls;
    long long size;
    long long strict;
    const char *name;
} seen;

static int read_options(goleak_check *chk, void *ud) {
    seen *s = ud;
    s->calls++;
    s->size = goleak_check_option_int(chk, "size", -1);
    s->strict = goleak_check_option_int(chk, "strict", -1);
    s->name = goleak_check_option(chk, "name");
    return 0;
}

static void test_rule_options(void **state) {
    (void)state;
    static const goleak_rule_option opts[] = {
        {"size", GOLEAK_OPTION_INT, "10", 1, 100, "how big"},
        {"strict", GOLEAK_OPTION_BOOL, "true", 0, 0, NULL},
        {"name", GOLEAK_OPTION_STRING, NULL, 0, 0, "a name"},
    };
    goleak_engine *e = NULL;
    goleak_error *err = goleak_error_new();
    assert_int_equal(goleak_engine_new(&e, NULL, NULL), 0);
    seen s = {0, 0, 0, NULL};
    goleak_rule_def d;
    assert_int_equal(goleak_rule_def_init(&d, GOLEAK_RULE_DEF_VERSION), 0);
    d.id = "OP001";
    d.name = "options";
    d.check = read_options;
    d.user_data = &s;
    d.options = opts;
    d.noptions = 3;
    assert_int_equal(goleak_engine_register_rule(e, &d, err), 0);
    const goleak_rule *r = goleak_engine_find_rule(e, "OP001");
    assert_int_equal(goleak_rule_option_count(r), 3);
    assert_string_equal(goleak_rule_option_get(r, 0)->key, "size");
    assert_int_equal(goleak_rule_option_get(r, 0)->max, 100);
    assert_null(goleak_rule_option_get(r, 3));
    goleak_unit *u = parse_str("package p\n");
    goleak_findings *fs = NULL;
    /* defaults */
    assert_int_equal(goleak_engine_check(&fs, e, u, NULL, err), 0);
    goleak_findings_free(fs);
    assert_int_equal(s.size, 10);
    assert_int_equal(s.strict, 1);
    assert_null(s.name);
    /* values checked against the declaration */
    assert_int_equal(goleak_engine_set_option(e, "OP001", "size", "101", err), GOLEAK_EINVAL);
    assert_non_null(strstr(goleak_error_message(err), "from 1 to 100"));
    assert_int_equal(goleak_engine_set_option(e, "OP001", "size", "12x", err), GOLEAK_EINVAL);
    assert_int_equal(goleak_engine_set_option(e, "OP001", "strict", "maybe", err), GOLEAK_EINVAL);
    assert_int_equal(goleak_engine_set_option(e, "OP001", "size", "42", err), 0);
    assert_int_equal(goleak_engine_set_option(e, "OP001", "strict", "off", err), 0);
    assert_int_equal(goleak_engine_set_option(e, "OP001", "name", "x y", err), 0);
    assert_int_equal(goleak_engine_check(&fs, e, u, NULL, err), 0);
    goleak_findings_free(fs);
    assert_int_equal(s.size, 42);
    assert_int_equal(s.strict, 0);
    assert_string_equal(s.name, "x y");
    /* a bad declaration is refused */
    static const goleak_rule_option bad[] = {{"n", GOLEAK_OPTION_INT, "500", 1, 100, NULL}};
    d.id = "OP002";
    d.name = "bad-options";
    d.options = bad;
    d.noptions = 1;
    d.user_data = NULL;
    assert_int_equal(goleak_engine_register_rule(e, &d, err), GOLEAK_EINVAL);
    assert_null(goleak_engine_find_rule(e, "OP002"));
    goleak_unit_free(u);
    goleak_error_free(err);
    goleak_engine_free(e);
}

static int count_calls(goleak_check *chk, void *ud) {
    (void)chk;
    ((seen *)ud)->calls++;
    return 0;
}

/* The number of times a rule with these triggers runs on src. */
static int runs(const char *triggers, const char *src, goleak_error *err) {
    goleak_engine *e = NULL;
    assert_int_equal(goleak_engine_new(&e, NULL, NULL), 0);
    seen s = {0, 0, 0, NULL};
    goleak_rule_def d = GOLEAK_RULE_DEF_INIT;
    d.id = "TR001";
    d.name = "triggered";
    d.check = count_calls;
    d.user_data = &s;
    d.triggers = triggers;
    int rc = goleak_engine_register_rule(e, &d, err);
    if (rc == 0) {
        goleak_unit *u = parse_str(src);
        goleak_findings *fs = NULL;
        assert_int_equal(goleak_engine_check(&fs, e, u, NULL, err), 0);
        goleak_findings_free(fs);
        goleak_unit_free(u);
        assert_string_equal(goleak_rule_triggers(goleak_engine_find_rule(e, "TR001")), triggers);
    }
    goleak_engine_free(e);
    return rc == 0 ? s.calls : rc;
}

static void test_triggers(void **state) {
    (void)state;
    goleak_error *err = goleak_error_new();
    const char *locks = "package p\nfunc f() { mu.Lock() }\n";
    const char *timer = "package p\nimport t \"time\"\nvar x = t.Second\n";
    assert_int_equal(runs("Lock", locks, err), 1);
    assert_int_equal(runs("Lock", timer, err), 0);
    assert_int_equal(runs("RLock, Lock", locks, err), 1);
    assert_int_equal(runs("import:time", timer, err), 1);
    assert_int_equal(runs("import:time", locks, err), 0);
    assert_int_equal(runs("func", locks, err), 1); /* a keyword */
    assert_int_equal(runs("go", locks, err), 0);
    assert_int_equal(runs(":=", locks, err), 0); /* an operator */
    assert_int_equal(runs("", timer, err), 1);   /* no trigger: every unit */
    /* words in comments or strings are not tokens */
    assert_int_equal(runs("Lock", "package p\n// Lock\nvar s = \"Lock\"\n", err), 0);
    assert_int_equal(runs("1x", locks, err), GOLEAK_EINVAL);
    assert_non_null(strstr(goleak_error_message(err), "1x"));
    assert_int_equal(runs("a b", locks, err), GOLEAK_EINVAL);
    goleak_error_free(err);
}

static int fails_with_reason(goleak_check *chk, void *ud) {
    (void)ud;
    assert_int_equal(goleak_check_fail(chk, "the interpreter raised KeyError"), 0);
    assert_int_equal(goleak_check_fail(NULL, "x"), GOLEAK_EINVAL);
    return 0;
}

static void test_check_fail(void **state) {
    (void)state;
    goleak_engine *e = NULL;
    goleak_error *err = goleak_error_new();
    assert_int_equal(goleak_engine_new(&e, NULL, NULL), 0);
    goleak_rule_def d = GOLEAK_RULE_DEF_INIT;
    d.id = "FL001";
    d.name = "fails";
    d.check = fails_with_reason;
    assert_int_equal(goleak_engine_register_rule(e, &d, err), 0);
    goleak_unit *u = parse_str("package p\n");
    goleak_findings *fs = (goleak_findings *)1;
    assert_int_equal(goleak_engine_check(&fs, e, u, NULL, err), GOLEAK_EUSER);
    assert_null(fs);
    assert_string_equal(goleak_error_message(err),
                        "rule FL001 failed on test.go: the interpreter raised KeyError");
    goleak_unit_free(u);
    goleak_error_free(err);
    goleak_engine_free(e);
}

typedef struct concurrency {
    pthread_mutex_t mu;
    int inside, most, calls;
} concurrency;

static int count_inside(goleak_check *chk, void *ud) {
    (void)chk;
    concurrency *c = ud;
    pthread_mutex_lock(&c->mu);
    c->inside++;
    c->calls++;
    if (c->inside > c->most) c->most = c->inside;
    pthread_mutex_unlock(&c->mu);
    struct timespec pause = {0, 2000000}; /* long enough for the other threads to try */
    nanosleep(&pause, NULL);
    pthread_mutex_lock(&c->mu);
    c->inside--;
    pthread_mutex_unlock(&c->mu);
    return 0;
}

typedef struct worker_arg {
    const goleak_engine *e;
    goleak_unit *u; /* the thread's own */
} worker_arg;

static void *check_many(void *arg) {
    worker_arg *w = arg;
    for (int k = 0; k < 10; k++) {
        goleak_findings *fs = NULL;
        if (goleak_engine_check(&fs, w->e, w->u, NULL, NULL) != 0) return (void *)1;
        goleak_findings_free(fs);
    }
    return NULL;
}

/* The most callbacks of a rule running at once when 4 threads check with
 * the same engine. */
static int most_at_once(unsigned flags) {
    concurrency c = {PTHREAD_MUTEX_INITIALIZER, 0, 0, 0};
    goleak_engine *e = NULL;
    assert_int_equal(goleak_engine_new(&e, NULL, NULL), 0);
    goleak_rule_def d = GOLEAK_RULE_DEF_INIT;
    d.id = "SR001";
    d.name = "serial";
    d.check = count_inside;
    d.user_data = &c;
    d.flags = flags;
    assert_int_equal(goleak_engine_register_rule(e, &d, NULL), 0);
    assert_int_equal(goleak_rule_flags(goleak_engine_find_rule(e, "SR001")), flags);
    /* the engine is shared; each thread checks a unit of its own (a unit
     * belongs to one thread at a time: its lazy indexes are built on use) */
    pthread_t th[4];
    worker_arg w[4];
    for (int k = 0; k < 4; k++) {
        w[k] = (worker_arg){e, parse_str("package p\n")};
        assert_int_equal(pthread_create(&th[k], NULL, check_many, &w[k]), 0);
    }
    for (int k = 0; k < 4; k++) {
        void *rc;
        pthread_join(th[k], &rc);
        assert_null(rc);
        goleak_unit_free(w[k].u);
    }
    assert_int_equal(c.calls, 40);
    goleak_engine_free(e);
    return c.most;
}

static void test_serialized_rule(void **state) {
    (void)state;
    assert_int_equal(most_at_once(GOLEAK_RULE_SERIALIZED), 1);
    /* without the flag the callbacks do overlap (the test would not see a
     * serialisation otherwise) */
    assert_true(most_at_once(0) > 1);
}

static void test_inits_and_counts(void **state) {
    (void)state;
    goleak_allocator a;
    goleak_parse_options po;
    goleak_engine_options eo;
    goleak_check_options co;
    goleak_rule_def rd;
    goleak_path_query pq;
    memset(&a, 0xab, sizeof a);
    assert_int_equal(goleak_allocator_init(&a, GOLEAK_ALLOCATOR_VERSION), 0);
    assert_int_equal(a.version, GOLEAK_ALLOCATOR_VERSION);
    assert_null(a.malloc);
    assert_int_equal(goleak_parse_options_init(&po, GOLEAK_PARSE_OPTIONS_VERSION), 0);
    assert_int_equal(po.flags, 0);
    assert_int_equal(goleak_engine_options_init(&eo, GOLEAK_ENGINE_OPTIONS_VERSION), 0);
    assert_int_equal(goleak_check_options_init(&co, GOLEAK_CHECK_OPTIONS_VERSION), 0);
    assert_null(co.go_version);
    assert_int_equal(goleak_rule_def_init(&rd, GOLEAK_RULE_DEF_VERSION), 0);
    assert_int_equal(rd.severity, GOLEAK_SEVERITY_WARNING);
    assert_int_equal(goleak_path_query_init(&pq, GOLEAK_PATH_QUERY_VERSION), 0);
    assert_int_equal(goleak_rule_def_init(&rd, 99), GOLEAK_EINVAL);
    assert_int_equal(goleak_check_options_init(NULL, GOLEAK_CHECK_OPTIONS_VERSION), GOLEAK_EINVAL);
    /* a struct of an unknown version is refused where it is used */
    co.version = 99;
    goleak_engine *e = NULL;
    assert_int_equal(goleak_engine_new(&e, NULL, NULL), 0);
    goleak_unit *u = parse_str("package p\n");
    goleak_findings *fs = NULL;
    assert_int_equal(goleak_engine_check(&fs, e, u, &co, NULL), GOLEAK_EINVAL);
    goleak_unit_free(u);
    goleak_engine_free(e);
    eo.version = 99;
    assert_int_equal(goleak_engine_new(&e, &eo, NULL), GOLEAK_EINVAL);
    /* the library's counts match the header it was built with */
    assert_int_equal(goleak_token_kind_count(), GOLEAK_TOKEN_KIND_COUNT);
    assert_int_equal(goleak_node_kind_count(), GOLEAK_NODE_KIND_COUNT);
    assert_int_equal(goleak_node_role_count(), GOLEAK_ROLE_COUNT);
    assert_int_equal(GOLEAK_NODE_SLICE, 36); /* values never move */
    assert_int_equal(GOLEAK_TOKEN_VAR, 81);
}

static void test_builtin_rules_all_or_nothing(void **state) {
    (void)state;
    goleak_engine *e = NULL;
    goleak_error *err = goleak_error_new();
    assert_int_equal(goleak_engine_new(&e, NULL, NULL), 0);
    goleak_rule_def d = GOLEAK_RULE_DEF_INIT;
    d.id = "MY005";
    d.name = "defer-in-loop"; /* a built-in rule's name */
    d.check = count_calls;
    assert_int_equal(goleak_engine_register_rule(e, &d, err), 0);
    assert_int_equal(goleak_engine_add_builtin_rules(e, err), GOLEAK_EEXISTS);
    assert_int_equal(goleak_engine_rule_count(e), 1);
    goleak_error_free(err);
    goleak_engine_free(e);
}

/* ---- rules registered from C ---- */

typedef struct counter {
    int calls;
    int freed;
} counter;

/* Reports every go statement, and reads its option "word". */
static int go_rule(goleak_check *chk, void *ud) {
    counter *c = ud;
    c->calls++;
    const goleak_unit *u = goleak_check_unit(chk);
    const char *word = goleak_check_option(chk, "word");
    char msg[64];
    snprintf(msg, sizeof msg, "a go statement (%s, go 1.%d)", word ? word : "-",
             goleak_check_go_minor(chk));
    for (const goleak_node *n = find_node(u, GOLEAK_NODE_GO); n; n = NULL)
        assert_int_equal(goleak_check_report(chk, n, msg), 0);
    return 0;
}

static int failing_rule(goleak_check *chk, void *ud) {
    (void)chk;
    (void)ud;
    return 42;
}

static void free_counter(void *ud) {
    ((counter *)ud)->freed++;
}

static void test_register_rule(void **state) {
    (void)state;
    goleak_engine *e = NULL;
    assert_int_equal(goleak_engine_new(&e, NULL, NULL), 0);
    counter c = {0, 0};
    goleak_rule_def d = GOLEAK_RULE_DEF_INIT;
    static const goleak_rule_option word = {"word", GOLEAK_OPTION_STRING,     NULL, 0,
                                            0,      "the word of the message"};
    d.id = "XY001";
    d.name = "go-statement";
    d.summary = "every go statement";
    d.check = go_rule;
    d.user_data = &c;
    d.free_user_data = free_counter;
    d.options = &word;
    d.noptions = 1;
    goleak_error *err = goleak_error_new();
    assert_int_equal(goleak_engine_register_rule(e, &d, err), 0);
    assert_int_equal(goleak_engine_set_option(e, "XY001", "word", "hello", err), 0);
    /* a key the rule does not declare */
    assert_int_equal(goleak_engine_set_option(e, "XY001", "other", "x", err), GOLEAK_EINVAL);
    /* the same id or name again */
    goleak_rule_def d2 = d;
    d2.free_user_data = NULL;
    assert_int_equal(goleak_engine_register_rule(e, &d2, err), GOLEAK_EEXISTS);
    d2.id = "XY002";
    assert_int_equal(goleak_engine_register_rule(e, &d2, err), GOLEAK_EEXISTS);
    /* invalid definitions */
    d2.name = "other";
    d2.check = NULL;
    assert_int_equal(goleak_engine_register_rule(e, &d2, err), GOLEAK_EINVAL);
    d2.check = go_rule;
    d2.id = "bad id";
    assert_int_equal(goleak_engine_register_rule(e, &d2, err), GOLEAK_EINVAL);
    d2.id = "XY002";
    d2.go_below = "one.two";
    assert_int_equal(goleak_engine_register_rule(e, &d2, err), GOLEAK_EINVAL);
    assert_int_equal(goleak_engine_register_rule(e, NULL, err), GOLEAK_EINVAL);

    goleak_unit *u = parse_str("package p\nfunc f() {\n\tgo g()\n}\n");
    goleak_findings *fs = NULL;
    goleak_check_options o = GOLEAK_CHECK_OPTIONS_INIT;
    o.go_version = "1.21";
    assert_int_equal(goleak_engine_check(&fs, e, u, &o, err), 0);
    assert_int_equal(c.calls, 1);
    assert_int_equal(goleak_findings_count(fs), 1);
    const goleak_finding *f = goleak_findings_get(fs, 0);
    assert_string_equal(goleak_finding_rule_id(f), "XY001");
    assert_string_equal(goleak_finding_rule_name(f), "go-statement");
    assert_string_equal(goleak_finding_message(f), "a go statement (hello, go 1.21)");
    assert_string_equal(goleak_finding_path(f), "test.go");
    assert_int_equal(goleak_finding_severity(f), GOLEAK_SEVERITY_WARNING);
    goleak_span sp = goleak_finding_span(f);
    assert_int_equal(sp.start.line, 3);
    assert_int_equal(sp.start.column, 2);
    assert_int_equal(sp.end.column, 8);
    assert_null(goleak_findings_get(fs, 1));
    goleak_findings_free(fs);

    /* a failing callback fails the check and names the rule */
    goleak_rule_def d3 = GOLEAK_RULE_DEF_INIT;
    d3.id = "XY003";
    d3.name = "always-fails";
    d3.check = failing_rule;
    assert_int_equal(goleak_engine_register_rule(e, &d3, err), 0);
    assert_int_equal(goleak_engine_check(&fs, e, u, NULL, err), GOLEAK_EUSER);
    assert_null(fs);
    assert_non_null(strstr(goleak_error_message(err), "XY003"));
    goleak_unit_free(u);
    goleak_error_free(err);
    goleak_engine_free(e);
    assert_int_equal(c.freed, 1);
}

static void test_check_misuse(void **state) {
    (void)state;
    goleak_engine *e = builtin();
    goleak_findings *fs = NULL;
    goleak_unit *u = lex_str("package p\n");
    goleak_error *err = goleak_error_new();
    assert_int_equal(goleak_engine_check(&fs, e, u, NULL, err), GOLEAK_EINVAL);
    assert_int_equal(goleak_engine_check(NULL, e, u, NULL, err), GOLEAK_EINVAL);
    assert_int_equal(goleak_engine_check(&fs, NULL, u, NULL, err), GOLEAK_EINVAL);
    assert_int_equal(goleak_engine_check(&fs, e, NULL, NULL, err), GOLEAK_EINVAL);
    assert_int_equal(goleak_check_report(NULL, NULL, "x"), GOLEAK_EINVAL);
    assert_null(goleak_check_unit(NULL));
    assert_null(goleak_check_option(NULL, "x"));
    assert_int_equal(goleak_check_go_minor(NULL), -1);
    assert_int_equal(goleak_findings_count(NULL), 0);
    assert_null(goleak_findings_get(NULL, 0));
    assert_null(goleak_finding_message(NULL));
    goleak_findings_free(NULL);
    goleak_unit_free(u);
    goleak_error_free(err);
    goleak_engine_free(e);
}

static void test_suppression(void **state) {
    (void)state;
    goleak_engine *e = builtin();
    const char *src = "package p\n"
                      "import \"time\"\n"
                      "func f() {\n"
                      "\ta := time.NewTicker(1) //goleak:ignore GL015 owned elsewhere\n"
                      "\t//goleak:ignore ticker-not-stopped,GL016 by name\n"
                      "\tb := time.NewTicker(1)\n"
                      "\tc := time.NewTicker(1) //nolint:goleak\n"
                      "\td := time.NewTicker(1) //nolint:errcheck,goleak\n"
                      "\te := time.NewTicker(1) //nolint\n"
                      "\tg := time.NewTicker(1) //nolint:all\n"
                      "\th := time.NewTicker(1) //goleak:ignore GL016 the wrong rule\n"
                      "\ti := time.NewTicker(1) //nolint:errcheck\n"
                      "\tj := time.NewTicker(1) // goleak:ignore GL015 not a directive\n"
                      "\t_, _, _, _, _, _, _, _, _ = a, b, c, d, e, g, h, i, j\n"
                      "}\n";
    FINDINGS(e, src, "1.22", 0, "11:GL015|12:GL015|13:GL015");
    /* unused suppressions on request: line 11 ignores GL016, which did not
     * report; findings are in position order (the call, then the comment) */
    FINDINGS(e, src, "1.22", GOLEAK_CHECK_REPORT_UNUSED_IGNORES,
             "11:GL015|11:GL000|12:GL015|13:GL015");
    const char *unused = "package p\n//goleak:ignore GL005 stale\nfunc f() {}\n";
    FINDINGS(e, unused, NULL, GOLEAK_CHECK_REPORT_UNUSED_IGNORES, "2:GL000");
    FINDINGS(e, unused, NULL, 0, "");
    /* disabling GL000 silences it */
    assert_int_equal(goleak_engine_enable_rules(e, "GL000", 0, NULL), 0);
    FINDINGS(e, unused, NULL, GOLEAK_CHECK_REPORT_UNUSED_IGNORES, "");
    goleak_engine_free(e);
}

static void test_findings_sorted_and_unique(void **state) {
    (void)state;
    goleak_engine *e = builtin();
    const char *src = "package p\n"
                      "import \"time\"\n"
                      "func f(ch chan int, n int) {\n"
                      "\tfor i := 0; i < n; i++ {\n"
                      "\t\tc := open(i); defer close(c); use(c)\n"
                      "\t\tselect {\n"
                      "\t\tcase <-ch:\n"
                      "\t\tcase <-time.After(time.Second):\n"
                      "\t\t}\n"
                      "\t}\n"
                      "\tt := time.NewTicker(1)\n"
                      "\t_ = t\n"
                      "}\n";
    FINDINGS(e, src, "1.22", 0, "5:GL005|8:GL016|11:GL015");
    goleak_engine_free(e);
}

/* ---- out of memory ---- */

static void test_check_out_of_memory(void **state) {
    (void)state;
    test_alloc c;
    test_alloc_init(&c);
    goleak_engine *e = engine_on_alloc(&c, 1);
    goleak_unit *u =
        parse_str("package p\nimport (\"time\"; \"context\")\n"
                  "func f(ctx context.Context) {\n"
                  "\tt := time.NewTicker(1)\n"
                  "\tctx, cancel := context.WithCancel(ctx)\n"
                  "\tfor { c, stop := context.WithCancel(ctx); defer stop(); _, _ = t, c }\n"
                  "}\n");
    long base = c.live;
    c.calls = 0;
    goleak_findings *fs = NULL;
    assert_int_equal(goleak_engine_check(&fs, e, u, NULL, NULL), 0);
    long total = c.calls;
    assert_true(goleak_findings_count(fs) >= 2);
    goleak_findings_free(fs);
    assert_int_equal(c.live, base);
    for (long k = 0; k < total; k++) {
        c.calls = 0;
        c.fail_at = k;
        fs = (goleak_findings *)1;
        int rc = goleak_engine_check(&fs, e, u, NULL, NULL);
        assert_int_equal(rc, GOLEAK_ENOMEM);
        assert_null(fs);
        assert_int_equal(c.live, base);
    }
    c.fail_at = -1;
    goleak_unit_free(u);
    goleak_engine_free(e);
    assert_int_equal(c.live, 0);
}

/* ---- go.mod ---- */

static void write_file(const char *path, const char *text) {
    FILE *fp = fopen(path, "w");
    assert_non_null(fp);
    fputs(text, fp);
    fclose(fp);
}

/* ---- packages ---- */

/* Reports, on the first token of each file, how many files its package has
 * and the path of the other file ("-" when alone); fails on a file whose
 * path contains "fail". */
static int package_rule(goleak_check *chk, void *ud) {
    (void)ud;
    const goleak_unit *u = goleak_check_unit(chk);
    if (strstr(goleak_unit_path(u), "fail")) return goleak_check_fail(chk, "asked to fail"), 1;
    size_t n = goleak_check_package_size(chk);
    const char *other = "-";
    for (size_t k = 0; k < n; k++)
        if (goleak_check_package_unit(chk, k) != u)
            other = goleak_unit_path(goleak_check_package_unit(chk, k));
    assert_null(goleak_check_package_unit(chk, n));
    char msg[128];
    snprintf(msg, sizeof msg, "%zu files, other %s", n, other);
    return goleak_check_report_tokens(chk, 0, 0, msg);
}

static goleak_engine *package_engine(void) {
    goleak_engine *e = NULL;
    assert_int_equal(goleak_engine_new(&e, NULL, NULL), 0);
    goleak_rule_def d = GOLEAK_RULE_DEF_INIT;
    d.id = "PK001";
    d.name = "package-size";
    d.check = package_rule;
    assert_int_equal(goleak_engine_register_rule(e, &d, NULL), 0);
    return e;
}

static goleak_unit *parse_named(const char *path, const char *src) {
    goleak_unit *u = NULL;
    assert_int_equal(goleak_unit_parse(&u, path, src, strlen(src), NULL, NULL), 0);
    return u;
}

static void test_check_package(void **state) {
    (void)state;
    goleak_engine *e = package_engine();
    goleak_unit *u[2] = {parse_named("a.go", "package p\n"), parse_named("b.go", "package p\n")};
    goleak_findings *out[2] = {(goleak_findings *)1, (goleak_findings *)1};
    assert_int_equal(
        goleak_engine_check_package(out, e, (const goleak_unit *const *)u, 2, NULL, NULL), 0);
    assert_string_equal(goleak_finding_message(goleak_findings_get(out[0], 0)),
                        "2 files, other b.go");
    assert_string_equal(goleak_finding_path(goleak_findings_get(out[0], 0)), "a.go");
    assert_string_equal(goleak_finding_message(goleak_findings_get(out[1], 0)),
                        "2 files, other a.go");
    goleak_findings_free(out[0]);
    goleak_findings_free(out[1]);
    /* a single check is a package of one file */
    goleak_findings *one = NULL;
    assert_int_equal(goleak_engine_check(&one, e, u[1], NULL, NULL), 0);
    assert_string_equal(goleak_finding_message(goleak_findings_get(one, 0)), "1 files, other -");
    goleak_findings_free(one);
    /* no files: nothing to do */
    assert_int_equal(goleak_engine_check_package(NULL, e, NULL, 0, NULL, NULL), 0);
    /* misuse */
    const goleak_unit *with_null[2] = {u[0], NULL};
    assert_int_equal(goleak_engine_check_package(out, e, with_null, 2, NULL, NULL), GOLEAK_EINVAL);
    assert_null(out[0]);
    assert_int_equal(
        goleak_engine_check_package(NULL, e, (const goleak_unit *const *)u, 2, NULL, NULL),
        GOLEAK_EINVAL);
    /* all or nothing: the second file's rule fails, the first's findings go too */
    goleak_unit *f = parse_named("fail.go", "package p\n");
    const goleak_unit *mixed[2] = {u[0], f};
    goleak_error *err = goleak_error_new();
    assert_int_equal(goleak_engine_check_package(out, e, mixed, 2, NULL, err), GOLEAK_EUSER);
    assert_null(out[0]);
    assert_null(out[1]);
    assert_non_null(strstr(goleak_error_message(err), "fail.go"));
    goleak_error_free(err);
    goleak_unit_free(f);
    goleak_unit_free(u[0]);
    goleak_unit_free(u[1]);
    goleak_engine_free(e);
}

/* Every allocation of the package check of u[0..n) failing in turn (total:
 * the allocations a successful check makes): GOLEAK_ENOMEM each time, no
 * output, and nothing left alive beyond base. */
static void package_check_fails_cleanly(goleak_engine *e, test_alloc *c,
                                        const goleak_unit *const *u, size_t n, long total,
                                        long base) {
    goleak_findings *out[4];
    assert_true(n <= sizeof out / sizeof *out);
    for (long fail = 0; fail < total; fail++) {
        c->calls = 0;
        c->fail_at = fail;
        assert_int_equal(goleak_engine_check_package(out, e, u, n, NULL, NULL), GOLEAK_ENOMEM);
        for (size_t k = 0; k < n; k++) assert_null(out[k]);
        assert_int_equal(c->live, base);
    }
    c->fail_at = -1;
}

/* Every allocation of a package check failing in turn: GOLEAK_ENOMEM, no
 * output, nothing leaked. */
static void test_check_package_out_of_memory(void **state) {
    (void)state;
    test_alloc c;
    test_alloc_init(&c);
    goleak_engine *e = engine_on_alloc(&c, 1);
    const char *src = "package p\nimport \"time\"\nfunc f() { t := time.NewTicker(1); _ = t }\n";
    const goleak_unit *u[3] = {parse_named("a.go", src), parse_named("b.go", src),
                               parse_named("c.go", "package p\nfunc g() {}\n")};
    long base = c.live;
    goleak_findings *out[3];
    c.calls = 0;
    assert_int_equal(goleak_engine_check_package(out, e, u, 3, NULL, NULL), 0);
    long total = c.calls;
    assert_int_equal(goleak_findings_count(out[0]), 1);
    assert_int_equal(goleak_findings_count(out[1]), 1);
    assert_int_equal(goleak_findings_count(out[2]), 0);
    for (int k = 0; k < 3; k++) goleak_findings_free(out[k]);
    assert_int_equal(c.live, base);
    package_check_fails_cleanly(e, &c, u, 3, total, base);
    for (int k = 0; k < 3; k++) goleak_unit_free((goleak_unit *)u[k]);
    goleak_engine_free(e);
}

/* Rules that read the other files of a package: a.go sends on a field of
 * a type that only b.go builds, without its channel (GL012), and takes a
 * lock that b.go's helper releases (GL010). Alone, a.go shows the
 * opposite; in the package, every allocation failing in turn gives
 * GOLEAK_ENOMEM and leaks nothing. */
static void test_check_package_across_files(void **state) {
    (void)state;
    test_alloc c;
    test_alloc_init(&c);
    goleak_engine *e = engine_on_alloc(&c, 1);
    const goleak_unit *u[2] = {
        parse_named("a.go", "package p\n\nimport \"sync\"\n\nvar mu sync.Mutex\n\n"
                            "type s struct{ c chan int }\n\n"
                            "func f(x *s) {\n\tmu.Lock()\n\tx.c <- 1\n\tunlock()\n}\n"),
        parse_named("b.go", "package p\n\nfunc unlock() { mu.Unlock() }\n\n"
                            "func n() *s { return &s{} }\n")};
    long base = c.live;
    goleak_findings *one = NULL;
    assert_int_equal(goleak_engine_check(&one, e, u[0], NULL, NULL), 0);
    assert_int_equal(goleak_findings_count(one), 1);
    assert_string_equal(goleak_finding_rule_id(goleak_findings_get(one, 0)), "GL010");
    goleak_findings_free(one);
    goleak_findings *out[2];
    c.calls = 0;
    assert_int_equal(goleak_engine_check_package(out, e, u, 2, NULL, NULL), 0);
    long total = c.calls;
    assert_int_equal(goleak_findings_count(out[0]), 1);
    assert_string_equal(goleak_finding_rule_id(goleak_findings_get(out[0], 0)), "GL012");
    assert_int_equal(goleak_findings_count(out[1]), 0);
    for (int k = 0; k < 2; k++) goleak_findings_free(out[k]);
    assert_int_equal(c.live, base);
    package_check_fails_cleanly(e, &c, u, 2, total, base);
    for (int k = 0; k < 2; k++) goleak_unit_free((goleak_unit *)u[k]);
    goleak_engine_free(e);
}

/* The deadlock rules follow calls into another file of the package: a.go
 * holds mu while take() of b.go takes other, and takes them the other way
 * round itself (GL011); h holds t.m while again() of b.go locks it again
 * (GL019). Alone, a.go shows neither; in the package, every allocation
 * failing in turn gives GOLEAK_ENOMEM and leaks nothing. */
static void test_check_package_lock_calls(void **state) {
    (void)state;
    test_alloc c;
    test_alloc_init(&c);
    goleak_engine *e = engine_on_alloc(&c, 1);
    const goleak_unit *u[2] = {
        parse_named("a.go", "package p\n\nimport \"sync\"\n\nvar mu, other sync.Mutex\n\n"
                            "type T struct{ m sync.Mutex }\n\n"
                            "func f() {\n\tmu.Lock()\n\ttake()\n\tmu.Unlock()\n}\n\n"
                            "func g() {\n\tother.Lock()\n\tmu.Lock()\n\tmu.Unlock()\n"
                            "\tother.Unlock()\n}\n\n"
                            "func (t *T) h() {\n\tt.m.Lock()\n\tt.again()\n\tt.m.Unlock()\n}\n"),
        parse_named("b.go", "package p\n\nfunc take() {\n\tother.Lock()\n\tother.Unlock()\n}\n\n"
                            "func (t *T) again() {\n\tt.m.Lock()\n\tt.m.Unlock()\n}\n")};
    long base = c.live;
    goleak_findings *one = NULL;
    assert_int_equal(goleak_engine_check(&one, e, u[0], NULL, NULL), 0);
    assert_int_equal(goleak_findings_count(one), 0);
    goleak_findings_free(one);
    goleak_findings *out[2];
    c.calls = 0;
    assert_int_equal(goleak_engine_check_package(out, e, u, 2, NULL, NULL), 0);
    long total = c.calls;
    assert_int_equal(goleak_findings_count(out[0]), 2);
    const goleak_finding *f0 = goleak_findings_get(out[0], 0), *f1 = goleak_findings_get(out[0], 1);
    int gl011 = strcmp(goleak_finding_rule_id(f0), "GL011") == 0 ? 0 : 1;
    assert_string_equal(goleak_finding_rule_id(gl011 ? f1 : f0), "GL011");
    assert_string_equal(goleak_finding_rule_id(gl011 ? f0 : f1), "GL019");
    assert_int_equal(goleak_findings_count(out[1]), 0);
    for (int k = 0; k < 2; k++) goleak_findings_free(out[k]);
    assert_int_equal(c.live, base);
    package_check_fails_cleanly(e, &c, u, 2, total, base);
    for (int k = 0; k < 2; k++) goleak_unit_free((goleak_unit *)u[k]);
    goleak_engine_free(e);
}

static void test_go_version_for_path(void **state) {
    (void)state;
    char root[] = "/tmp/goleak_mod_XXXXXX";
    assert_non_null(mkdtemp(root));
    char path[512], buf[32];
    snprintf(path, sizeof path, "%s/go.mod", root);
    write_file(path, "module example.com/m\n\n// go 1.0 in a comment\ngo 1.21.3\n\nrequire x v1\n");
    snprintf(path, sizeof path, "%s/sub", root);
    assert_int_equal(mkdir(path, 0755), 0);
    snprintf(path, sizeof path, "%s/sub/deep", root);
    assert_int_equal(mkdir(path, 0755), 0);
    snprintf(path, sizeof path, "%s/sub/deep/x.go", root);
    write_file(path, "package x\n");
    assert_int_equal(goleak_go_version_for_path(buf, sizeof buf, path, NULL), 0);
    assert_string_equal(buf, "1.21.3");
    /* a nearer go.mod wins; one without a go line means 1.16 */
    snprintf(path, sizeof path, "%s/sub/go.mod", root);
    write_file(path, "module example.com/m/sub\n");
    snprintf(path, sizeof path, "%s/sub/deep", root);
    assert_int_equal(goleak_go_version_for_path(buf, sizeof buf, path, NULL), 0);
    assert_string_equal(buf, "1.16");
    goleak_error *err = goleak_error_new();
    assert_int_equal(goleak_go_version_for_path(buf, 3, path, err), GOLEAK_ERANGE);
    assert_int_equal(goleak_go_version_for_path(NULL, 3, path, err), GOLEAK_EINVAL);
    assert_int_equal(goleak_go_version_for_path(buf, sizeof buf, "/", err), GOLEAK_ENOTFOUND);
    goleak_error_free(err);
    char cmd[600];
    snprintf(cmd, sizeof cmd, "rm -rf %s", root);
    assert_int_equal(system(cmd), 0);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_builtin_rules),
        cmocka_unit_test(test_version_gating),
        cmocka_unit_test(test_enable_and_options),
        cmocka_unit_test(test_register_rule),
        cmocka_unit_test(test_check_misuse),
        cmocka_unit_test(test_suppression),
        cmocka_unit_test(test_findings_sorted_and_unique),
        cmocka_unit_test(test_check_out_of_memory),
        cmocka_unit_test(test_go_version_for_path),
        cmocka_unit_test(test_rule_options),
        cmocka_unit_test(test_triggers),
        cmocka_unit_test(test_check_fail),
        cmocka_unit_test(test_serialized_rule),
        cmocka_unit_test(test_inits_and_counts),
        cmocka_unit_test(test_builtin_rules_all_or_nothing),
        cmocka_unit_test(test_check_package),
        cmocka_unit_test(test_check_package_out_of_memory),
        cmocka_unit_test(test_check_package_across_files),
        cmocka_unit_test(test_check_package_lock_calls),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
