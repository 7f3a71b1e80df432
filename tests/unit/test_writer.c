/* The findings writer: formats by name, each format's bytes for a known
 * check, errors after the findings (json, sarif), the write callback and
 * its failure, misuse, and every allocation failing in turn. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "goleak.h"
#include "helpers.h"

/* A file with one finding at a non-ASCII column: GL015 on `tk` after "é". */
static const char *const SRC = "package p\n"
                               "\n"
                               "import \"time\"\n"
                               "\n"
                               "func f() {\n"
                               "\t/* é */ tk := time.NewTicker(time.Second)\n"
                               "\t<-tk.C\n"
                               "}\n";

/* The findings of SRC as checked by the built-in rules, as path "a\"b.go"
 * (a path that JSON and URIs must escape). */
static goleak_findings *check_src(goleak_engine **e) {
    assert_int_equal(goleak_engine_new(e, NULL, NULL), 0);
    assert_int_equal(goleak_engine_add_builtin_rules(*e, NULL), 0);
    assert_int_equal(goleak_engine_enable_rules(*e, "all", 0, NULL), 0);
    assert_int_equal(goleak_engine_enable_rules(*e, "GL015", 1, NULL), 0);
    goleak_unit *u = NULL;
    assert_int_equal(goleak_unit_parse(&u, "a\"b.go", SRC, strlen(SRC), NULL, NULL), 0);
    goleak_findings *fs = NULL;
    goleak_check_options co = GOLEAK_CHECK_OPTIONS_INIT;
    co.go_version = "1.22";
    assert_int_equal(goleak_engine_check(&fs, *e, u, &co, NULL), 0);
    goleak_unit_free(u);
    assert_int_equal(goleak_findings_count(fs), 1);
    return fs;
}

/* The whole output of a memory writer of format fmt for fs and two errors. */
static char *write_all(int fmt, const goleak_engine *e, const goleak_findings *fs) {
    goleak_writer_options o = GOLEAK_WRITER_OPTIONS_INIT;
    o.format = fmt;
    o.engine = e;
    goleak_writer *w = NULL;
    assert_int_equal(goleak_writer_new(&w, &o, NULL), 0);
    assert_int_equal(goleak_writer_add_findings(w, fs), 0);
    assert_int_equal(goleak_writer_add_error(w, "x.go", 3, 4, GOLEAK_SEVERITY_ERROR, "bad \x01"),
                     0);
    assert_int_equal(goleak_writer_add_findings(w, NULL), 0); /* a file that was not checked */
    assert_int_equal(goleak_writer_add_error(w, "go.mod", 0, 0, GOLEAK_SEVERITY_WARNING, "w"), 0);
    assert_int_equal(goleak_writer_finish(w, 0), 0);
    size_t len;
    const char *out = goleak_writer_output(w, &len);
    assert_non_null(out);
    assert_int_equal(strlen(out), len);
    char *copy = strdup(out);
    goleak_writer_free(w);
    return copy;
}

static void test_format_names(void **state) {
    (void)state;
    assert_int_equal(goleak_format_count(), 9);
    const char *names[] = {"text",       "jsonl",  "json", "sarif", "rdjsonl",
                           "checkstyle", "github", "gcc",  "html"};
    int values[] = {GOLEAK_FORMAT_TEXT,   GOLEAK_FORMAT_JSONL,   GOLEAK_FORMAT_JSON,
                    GOLEAK_FORMAT_SARIF,  GOLEAK_FORMAT_RDJSONL, GOLEAK_FORMAT_CHECKSTYLE,
                    GOLEAK_FORMAT_GITHUB, GOLEAK_FORMAT_GCC,     GOLEAK_FORMAT_HTML};
    for (int k = 0; k < 9; k++) {
        assert_int_equal(values[k], k);
        assert_string_equal(goleak_format_name(k), names[k]);
        assert_int_equal(goleak_format_find(names[k]), k);
    }
    assert_null(goleak_format_name(9));
    assert_null(goleak_format_name(-1));
    assert_int_equal(goleak_format_find("xml"), -1);
    assert_int_equal(goleak_format_find(NULL), -1);
}

static void test_text_and_jsonl(void **state) {
    (void)state;
    goleak_engine *e;
    goleak_findings *fs = check_src(&e);
    char *text = write_all(GOLEAK_FORMAT_TEXT, e, fs);
    /* byte column: the tab, the comment and "é" (2 bytes) come before the call */
    assert_string_equal(text, "a\"b.go:6:17: GL015 ticker-not-stopped: ticker `tk` is never "
                              "stopped; add `defer tk.Stop()`\n");
    char *jsonl = write_all(GOLEAK_FORMAT_JSONL, e, fs);
    char want[512];
    snprintf(want, sizeof want,
             "{\"file\":\"a\\\"b.go\",\"line\":6,\"column\":17,\"end_line\":6,"
             "\"end_column\":44,\"offset\":53,\"rule\":\"GL015\",\"name\":"
             "\"ticker-not-stopped\",\"severity\":\"warning\",\"message\":"
             "\"ticker `tk` is never stopped; add `defer tk.Stop()`\",\"symbol\":\"f\","
             "\"fingerprint\":\"%s\"}\n",
             goleak_finding_fingerprint(goleak_findings_get(fs, 0)));
    assert_string_equal(jsonl, want);
    free(text);
    free(jsonl);
    goleak_findings_free(fs);
    goleak_engine_free(e);
}

static void test_json_lists_errors_after_findings(void **state) {
    (void)state;
    goleak_engine *e;
    goleak_findings *fs = check_src(&e);
    char *json = write_all(GOLEAK_FORMAT_JSON, e, fs);
    char want[1024];
    snprintf(want, sizeof want,
             "{\"tool\":\"goleak\",\"version\":\"%s\",\"findings\":[{\"file\":\"a\\\"b.go\","
             "\"line\":6,\"column\":17,\"end_line\":6,\"end_column\":44,\"offset\":53,\"rule\":"
             "\"GL015\",\"name\":\"ticker-not-stopped\",\"severity\":\"warning\",\"message\":"
             "\"ticker `tk` is never stopped; add `defer tk.Stop()`\",\"symbol\":\"f\","
             "\"fingerprint\":\"%s\"}],"
             "\"errors\":[{\"file\":\"x.go\",\"line\":3,\"column\":4,\"level\":\"error\","
             "\"message\":\"bad \\u0001\"},{\"file\":\"go.mod\",\"line\":0,\"column\":0,"
             "\"level\":\"warning\",\"message\":\"w\"}],\"files\":2}\n",
             goleak_version_string(), goleak_finding_fingerprint(goleak_findings_get(fs, 0)));
    assert_string_equal(json, want);
    free(json);
    goleak_findings_free(fs);
    goleak_engine_free(e);
}

static void test_sarif_columns_uris_and_notifications(void **state) {
    (void)state;
    goleak_engine *e;
    goleak_findings *fs = check_src(&e);
    uint32_t c0, c1;
    goleak_finding_cp_columns(goleak_findings_get(fs, 0), &c0, &c1);
    assert_int_equal(c0, 16); /* "é" is one code point */
    assert_int_equal(c1, 43);
    char *sarif = write_all(GOLEAK_FORMAT_SARIF, e, fs);
    assert_non_null(strstr(sarif, "\"columnKind\":\"unicodeCodePoints\""));
    assert_non_null(strstr(sarif, "\"uri\":\"a%22b.go\"},\"region\":{\"startLine\":6,"
                                  "\"startColumn\":16,\"endLine\":6,\"endColumn\":43}"));
    /* the result points at its rule in the run's rule list */
    char idx[64];
    size_t n = goleak_engine_rule_count(e), k = 0;
    while (k < n && strcmp(goleak_rule_id(goleak_engine_rule(e, k)), "GL015") != 0) k++;
    snprintf(idx, sizeof idx, "\"ruleId\":\"GL015\",\"ruleIndex\":%zu,", k);
    assert_non_null(strstr(sarif, idx));
    assert_non_null(strstr(sarif, "\"executionSuccessful\":false,\"toolExecutionNotifications\":"
                                  "[{\"level\":\"error\",\"message\":{\"text\":\"bad \\u0001\"},"
                                  "\"locations\":[{\"physicalLocation\":{\"artifactLocation\":"
                                  "{\"uri\":\"x.go\"},\"region\":{\"startLine\":3,"
                                  "\"startColumn\":4}}}]},{\"level\":\"warning\""));
    const char *tail =
        "{\"level\":\"warning\",\"message\":{\"text\":\"w\"},\"locations\":"
        "[{\"physicalLocation\":{\"artifactLocation\":{\"uri\":\"go.mod\"}}}]}]}]}]}\n";
    assert_string_equal(sarif + strlen(sarif) - strlen(tail), tail);
    free(sarif);
    goleak_findings_free(fs);
    goleak_engine_free(e);
}

/* A write callback that collects its bytes, failing from call fail_at on. */
typedef struct sink {
    char buf[1 << 16];
    size_t len;
    int calls, fail_at;
} sink;

static int sink_write(const char *data, size_t len, void *ud) {
    sink *s = ud;
    if (s->fail_at >= 0 && s->calls >= s->fail_at) return -1;
    s->calls++;
    assert_true(s->len + len < sizeof s->buf);
    memcpy(s->buf + s->len, data, len);
    s->len += len;
    return 0;
}

static void test_callback_gets_the_same_bytes(void **state) {
    (void)state;
    goleak_engine *e;
    goleak_findings *fs = check_src(&e);
    char *mem = write_all(GOLEAK_FORMAT_SARIF, e, fs);
    sink s = {.fail_at = -1};
    goleak_writer_options o = GOLEAK_WRITER_OPTIONS_INIT;
    o.format = GOLEAK_FORMAT_SARIF;
    o.engine = e;
    o.write = sink_write;
    o.user_data = &s;
    goleak_writer *w;
    assert_int_equal(goleak_writer_new(&w, &o, NULL), 0);
    assert_int_equal(goleak_writer_add_findings(w, fs), 0);
    assert_int_equal(goleak_writer_add_error(w, "x.go", 3, 4, GOLEAK_SEVERITY_ERROR, "bad \x01"),
                     0);
    assert_int_equal(goleak_writer_add_findings(w, NULL), 0);
    assert_int_equal(goleak_writer_add_error(w, "go.mod", 0, 0, GOLEAK_SEVERITY_WARNING, "w"), 0);
    assert_int_equal(goleak_writer_finish(w, 0), 0);
    assert_null(goleak_writer_output(w, NULL)); /* the output went to the callback */
    goleak_writer_free(w);
    assert_int_equal(s.len, strlen(mem));
    assert_memory_equal(s.buf, mem, s.len);
    free(mem);

    /* a failing callback fails the writer, and it keeps failing */
    sink bad = {.fail_at = 0};
    o.user_data = &bad;
    o.format = GOLEAK_FORMAT_TEXT;
    assert_int_equal(goleak_writer_new(&w, &o, NULL), 0);   /* text writes nothing at first */
    assert_int_equal(goleak_writer_add_findings(w, fs), 0); /* buffered */
    assert_int_equal(goleak_writer_flush(w), GOLEAK_EIO);
    assert_int_equal(goleak_writer_add_findings(w, fs), GOLEAK_EIO);
    assert_int_equal(goleak_writer_finish(w, 1), GOLEAK_EIO);
    goleak_writer_free(w);
    o.format = GOLEAK_FORMAT_JSON; /* writes its opening at once */
    goleak_error *err = goleak_error_new();
    w = (goleak_writer *)1;
    assert_int_equal(goleak_writer_new(&w, &o, err), GOLEAK_EIO);
    assert_null(w);
    assert_non_null(strstr(goleak_error_message(err), "could not be written"));
    goleak_error_free(err);
    goleak_findings_free(fs);
    goleak_engine_free(e);
}

static void test_misuse(void **state) {
    (void)state;
    goleak_writer *w = (goleak_writer *)1;
    goleak_writer_options o = GOLEAK_WRITER_OPTIONS_INIT;
    assert_int_equal(goleak_writer_new(&w, NULL, NULL), GOLEAK_EINVAL);
    assert_null(w);
    o.format = 99;
    assert_int_equal(goleak_writer_new(&w, &o, NULL), GOLEAK_EINVAL);
    o.format = GOLEAK_FORMAT_JSON;
    o.version = 7;
    assert_int_equal(goleak_writer_new(&w, &o, NULL), GOLEAK_EINVAL);
    assert_int_equal(goleak_writer_options_init(&o, 7), GOLEAK_EINVAL);
    assert_int_equal(goleak_writer_options_init(&o, GOLEAK_WRITER_OPTIONS_VERSION), 0);
    assert_int_equal(o.format, GOLEAK_FORMAT_TEXT);
    o.format = GOLEAK_FORMAT_JSON;
    assert_int_equal(goleak_writer_new(&w, &o, NULL), 0);
    assert_int_equal(goleak_writer_add_error(w, NULL, 0, 0, GOLEAK_SEVERITY_ERROR, "m"),
                     GOLEAK_EINVAL);
    assert_int_equal(goleak_writer_finish(w, 1), 0);
    assert_int_equal(goleak_writer_finish(w, 1), GOLEAK_EINVAL);
    assert_int_equal(goleak_writer_add_findings(w, NULL), GOLEAK_EINVAL);
    size_t len;
    char want[256];
    snprintf(want, sizeof want,
             "{\"tool\":\"goleak\",\"version\":\"%s\",\"findings\":[],\"errors\":[],"
             "\"files\":0}\n",
             goleak_version_string());
    assert_string_equal(goleak_writer_output(w, &len), want);
    assert_int_equal(len, strlen(want));
    goleak_writer_free(w);
    goleak_writer_free(NULL);
    assert_int_equal(goleak_writer_add_findings(NULL, NULL), GOLEAK_EINVAL);
}

static void test_json_quote(void **state) {
    (void)state;
    char buf[64];
    assert_int_equal(goleak_json_quote(buf, sizeof buf, "a\"\\\n\t\x1f/"), 18);
    assert_string_equal(buf, "\"a\\\"\\\\\\n\\t\\u001f/\"");
    /* UTF-8 is kept; a stray byte, an overlong form and a bad lead become U+FFFD */
    assert_int_equal(goleak_json_quote(buf, sizeof buf, "\xc3\xa9\x80\xc0\xaf\xf5\x80"), 19);
    assert_string_equal(buf, "\"\xc3\xa9\xef\xbf\xbd\xef\xbf\xbd\xef\xbf\xbd\xef\xbf\xbd"
                             "\xef\xbf\xbd\"");
    /* like snprintf: the length needed, the string cut */
    assert_int_equal(goleak_json_quote(buf, 4, "abcdef"), 8);
    assert_string_equal(buf, "\"ab");
    assert_int_equal(goleak_json_quote(NULL, 0, "abc"), 5);
}

static void test_gcc_github_rdjsonl_checkstyle(void **state) {
    (void)state;
    goleak_engine *e;
    goleak_findings *fs = check_src(&e);
    char *gcc = write_all(GOLEAK_FORMAT_GCC, e, fs);
    assert_string_equal(gcc, "a\"b.go:6:17: warning: ticker `tk` is never stopped; add "
                             "`defer tk.Stop()` [GL015]\n");
    /* annotations: code-point columns, then the errors as commands */
    char *gh = write_all(GOLEAK_FORMAT_GITHUB, e, fs);
    assert_string_equal(gh, "::warning file=a\"b.go,line=6,col=16,endLine=6,endColumn=43,"
                            "title=GL015 ticker-not-stopped::ticker `tk` is never stopped; add "
                            "`defer tk.Stop()`\n"
                            "::error file=x.go,line=3,col=4,title=goleak::bad \x01\n"
                            "::warning file=go.mod,title=goleak::w\n");
    char *rd = write_all(GOLEAK_FORMAT_RDJSONL, e, fs);
    assert_string_equal(rd, "{\"message\":\"ticker `tk` is never stopped; add `defer tk.Stop()`\","
                            "\"location\":{\"path\":\"a\\\"b.go\",\"range\":{\"start\":{\"line\":6,"
                            "\"column\":17},\"end\":{\"line\":6,\"column\":44}}},\"severity\":"
                            "\"WARNING\",\"source\":{\"name\":\"goleak\",\"url\":"
                            "\"https://github.com/libgoleak/libgoleak\"},\"code\":{\"value\":"
                            "\"GL015\"}}\n");
    char *cs = write_all(GOLEAK_FORMAT_CHECKSTYLE, e, fs);
    assert_string_equal(cs, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
                            "<checkstyle version=\"4.3\">\n"
                            "  <file name=\"a&quot;b.go\">\n"
                            "    <error line=\"6\" column=\"17\" severity=\"warning\" message=\""
                            "ticker `tk` is never stopped; add `defer tk.Stop()`\" "
                            "source=\"goleak.GL015\"/>\n"
                            "  </file>\n"
                            "  <file name=\"x.go\">\n"
                            "    <error line=\"3\" column=\"4\" severity=\"error\" message=\"bad "
                            "\xef\xbf\xbd\" source=\"goleak\"/>\n"
                            "  </file>\n"
                            "  <file name=\"go.mod\">\n"
                            "    <error severity=\"warning\" message=\"w\" source=\"goleak\"/>\n"
                            "  </file>\n"
                            "</checkstyle>\n");
    free(gcc);
    free(gh);
    free(rd);
    free(cs);
    goleak_findings_free(fs);
    goleak_engine_free(e);
}

static void test_github_escapes(void **state) {
    (void)state;
    /* a path with ':' and ',' and a message with '%' and a newline */
    goleak_writer_options o = GOLEAK_WRITER_OPTIONS_INIT;
    o.format = GOLEAK_FORMAT_GITHUB;
    goleak_writer *w;
    assert_int_equal(goleak_writer_new(&w, &o, NULL), 0);
    assert_int_equal(
        goleak_writer_add_error(w, "a:b,c.go", 1, 2, GOLEAK_SEVERITY_ERROR, "100% sure\r\nreally"),
        0);
    assert_int_equal(goleak_writer_finish(w, 0), 0);
    assert_string_equal(goleak_writer_output(w, NULL),
                        "::error file=a%3Ab%2Cc.go,line=1,col=2,title=goleak::100%25 "
                        "sure%0D%0Areally\n");
    goleak_writer_free(w);
}

/* SRC checked with excerpts kept. */
static goleak_findings *check_with_excerpts(goleak_engine *e, const char *path, const char *src) {
    goleak_unit *u = NULL;
    assert_int_equal(goleak_unit_parse(&u, path, src, strlen(src), NULL, NULL), 0);
    goleak_findings *fs = NULL;
    goleak_check_options co = GOLEAK_CHECK_OPTIONS_INIT;
    co.go_version = "1.22";
    co.flags = GOLEAK_CHECK_EXCERPTS;
    assert_int_equal(goleak_engine_check(&fs, e, u, &co, NULL), 0);
    goleak_unit_free(u);
    return fs;
}

static void test_excerpts_and_html(void **state) {
    (void)state;
    goleak_engine *e;
    goleak_findings *plain = check_src(&e);
    assert_null(goleak_finding_excerpt(goleak_findings_get(plain, 0)));
    assert_int_equal(goleak_finding_excerpt_line(goleak_findings_get(plain, 0)), 0);
    goleak_findings *fs = check_with_excerpts(e, "dir/<x>.go", SRC);
    const goleak_finding *f = goleak_findings_get(fs, 0);
    /* two lines before line 6, two after */
    assert_int_equal(goleak_finding_excerpt_line(f), 4);
    assert_string_equal(goleak_finding_excerpt(f),
                        "\n"
                        "func f() {\n"
                        "\t/* \xc3\xa9 */ tk := time.NewTicker(time.Second)\n"
                        "\t<-tk.C\n"
                        "}");
    char *html = write_all(GOLEAK_FORMAT_HTML, e, fs);
    assert_non_null(strstr(html, "<!DOCTYPE html>"));
    assert_non_null(strstr(html, "Content-Security-Policy\" content=\"default-src 'none'"));
    assert_non_null(strstr(html, "data-rule=\"GL015\" data-severity=\"warning\" data-dir=\"dir\""));
    assert_non_null(strstr(html, "dir/&lt;x&gt;.go:6:17"));
    assert_non_null(strstr(html, "<span class=\"l hl\"><span class=\"n\">6</span>"));
    assert_non_null(strstr(html, "<div class=\"doc\" id=\"doc-GL015\">"));
    assert_non_null(strstr(html, "<li>x.go:3:4: bad \xef\xbf\xbd</li>"));
    assert_non_null(strstr(html, "1 finding in 2 files checked, 1 warning;"));
    assert_null(strstr(html, "http://"));
    assert_string_equal(html + strlen(html) - 8, "</html>\n");
    free(html);
    goleak_findings_free(fs);
    goleak_findings_free(plain);
    goleak_engine_free(e);
}

/* The fingerprints of a source's findings, in order, as one string. */
static char *fingerprints(goleak_engine *e, const char *src, size_t *n) {
    goleak_findings *fs = check_with_excerpts(e, "./pkg/f.go", src);
    *n = goleak_findings_count(fs);
    char *out = calloc(*n + 1, 32);
    for (size_t k = 0; k < *n; k++) {
        const goleak_finding *f = goleak_findings_get(fs, k);
        strcat(out, goleak_finding_fingerprint(f));
        strcat(out, " ");
    }
    goleak_findings_free(fs);
    return out;
}

static const char *const FP_SRC = "package p\n\nimport \"time\"\n\n"
                                  "func other(a int) int { return a + 1 }\n\n"
                                  "func leaky() {\n"
                                  "\tt1 := time.NewTicker(time.Second)\n"
                                  "\t<-t1.C\n"
                                  "\tt2 := time.NewTicker(time.Second)\n"
                                  "\t<-t2.C\n"
                                  "}\n\n"
                                  "func twins() {\n"
                                  "\tfor i := 0; i < 2; i++ {\n"
                                  "\t\tt := time.NewTicker(time.Second)\n"
                                  "\t\t<-t.C\n"
                                  "\t}\n"
                                  "\tfor i := 0; i < 2; i++ {\n"
                                  "\t\tt := time.NewTicker(time.Second)\n"
                                  "\t\t<-t.C\n"
                                  "\t}\n"
                                  "}\n";

static void test_fingerprints_survive_edits(void **state) {
    (void)state;
    goleak_engine *e;
    goleak_findings *unused = check_src(&e);
    goleak_findings_free(unused);
    size_t n0, n;
    char *base = fingerprints(e, FP_SRC, &n0);
    assert_int_equal(n0, 4);
    /* four different fingerprints: the twins differ by their order */
    for (size_t i = 0; i < n0; i++)
        for (size_t j = i + 1; j < n0; j++)
            assert_memory_not_equal(base + 17 * i, base + 17 * j, 16);
    goleak_findings *fs = check_with_excerpts(e, "pkg/f.go", FP_SRC);
    assert_string_equal(goleak_finding_symbol(goleak_findings_get(fs, 0)), "leaky");
    goleak_span scope = goleak_finding_scope_span(goleak_findings_get(fs, 0));
    goleak_span stmt = goleak_finding_statement_span(goleak_findings_get(fs, 0));
    assert_int_equal(scope.start.line, 7);
    assert_int_equal(scope.end.line, 12);
    assert_int_equal(stmt.start.line, 8);
    assert_int_equal(stmt.end.line, 8);
    /* "./" makes no difference */
    assert_memory_equal(goleak_finding_fingerprint(goleak_findings_get(fs, 0)), base, 16);
    goleak_findings_free(fs);

    /* lines inserted above, an unrelated function renamed and reformatted,
     * the statements reindented and commented: the same fingerprints */
    char edited[4096];
    snprintf(edited, sizeof edited,
             "package p\n\n// a comment\n\n\n\nimport \"time\"\n\n"
             "func renamed(a int) int {\n\treturn a +\n\t\t1\n}\n\n"
             "func leaky() {\n"
             "  t1 := time.NewTicker( time.Second ) // why\n"
             "\t<-t1.C\n"
             "\tt2 := time.NewTicker(\n\t\ttime.Second,\n\t)\n"
             "\t<-t2.C\n"
             "}\n\n%s",
             strstr(FP_SRC, "func twins"));
    char *after = fingerprints(e, edited, &n);
    assert_int_equal(n, 4);
    assert_string_equal(after, base);
    free(after);

    /* a new finding in the same function: the others keep theirs */
    snprintf(edited, sizeof edited, "%.*s\tt3 := time.NewTicker(time.Minute)\n\t<-t3.C\n%s",
             (int)(strstr(FP_SRC, "}\n\nfunc twins") - FP_SRC), FP_SRC,
             strstr(FP_SRC, "}\n\nfunc twins"));
    after = fingerprints(e, edited, &n);
    assert_int_equal(n, 5);
    assert_memory_equal(after, base, 2 * 17);
    assert_memory_equal(after + 3 * 17, base + 2 * 17, 2 * 17);
    assert_memory_not_equal(after + 2 * 17, base + 2 * 17, 16);
    free(after);

    /* the reported statement changed: its fingerprint changes */
    snprintf(edited, sizeof edited, "%.*sTicker(2 * time.Second)%s",
             (int)(strstr(FP_SRC, "Ticker(time.Second)") - FP_SRC), FP_SRC,
             strstr(FP_SRC, "Ticker(time.Second)") + strlen("Ticker(time.Second)"));
    after = fingerprints(e, edited, &n);
    assert_int_equal(n, 4);
    assert_memory_not_equal(after, base, 16);
    assert_memory_equal(after + 17, base + 17, 3 * 17);
    free(after);
    free(base);
    goleak_engine_free(e);
}

static void test_add_finding(void **state) {
    (void)state;
    goleak_engine *e;
    goleak_findings *fs = check_src(&e);
    goleak_writer_options o = GOLEAK_WRITER_OPTIONS_INIT;
    o.format = GOLEAK_FORMAT_JSON;
    goleak_writer *w;
    assert_int_equal(goleak_writer_new(&w, &o, NULL), 0);
    assert_int_equal(goleak_writer_add_finding(w, NULL), GOLEAK_EINVAL);
    assert_int_equal(goleak_writer_add_finding(w, goleak_findings_get(fs, 0)), 0);
    assert_int_equal(goleak_writer_add_finding(w, goleak_findings_get(fs, 0)), 0);
    assert_int_equal(goleak_writer_add_findings(w, NULL), 0);
    assert_int_equal(goleak_writer_finish(w, 1), 0);
    const char *out = goleak_writer_output(w, NULL);
    /* two findings, one file */
    const char *second = strstr(out, "\"rule\":\"GL015\"");
    assert_non_null(second);
    assert_non_null(strstr(second + 1, "\"rule\":\"GL015\""));
    assert_non_null(strstr(out, "\"files\":1}"));
    assert_int_equal(goleak_writer_add_finding(w, goleak_findings_get(fs, 0)), GOLEAK_EINVAL);
    goleak_writer_free(w);
    goleak_findings_free(fs);
    goleak_engine_free(e);
}

static void test_every_allocation_failure(void **state) {
    (void)state;
    goleak_engine *e;
    goleak_findings *fs = check_src(&e);
    goleak_findings *fs_excerpts = check_with_excerpts(e, "d/e.go", SRC);
    for (int fmt = 0; fmt < goleak_format_count(); fmt++) {
        test_alloc t;
        test_alloc_init(&t);
        goleak_writer_options o = GOLEAK_WRITER_OPTIONS_INIT;
        o.format = fmt;
        o.engine = e;
        o.allocator = &t.a;
        long total = -1;
        for (long fail = -1; fail < total || total < 0; fail++) {
            t.calls = 0;
            t.fail_at = fail;
            goleak_writer *w = NULL;
            int rc = goleak_writer_new(&w, &o, NULL);
            if (rc == 0) rc = goleak_writer_add_findings(w, fs);
            if (rc == 0) rc = goleak_writer_add_findings(w, fs_excerpts);
            if (rc == 0) rc = goleak_writer_add_error(w, "x.go", 1, 1, GOLEAK_SEVERITY_ERROR, "m");
            if (rc == 0) rc = goleak_writer_finish(w, 1);
            if (fail < 0) {
                assert_int_equal(rc, 0);
                total = t.calls;
            } else {
                assert_int_equal(rc, GOLEAK_ENOMEM);
            }
            goleak_writer_free(w);
            assert_int_equal(t.live, 0);
        }
        assert_true(total > 0);
    }
    goleak_findings_free(fs_excerpts);
    goleak_findings_free(fs);
    goleak_engine_free(e);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_format_names),
        cmocka_unit_test(test_text_and_jsonl),
        cmocka_unit_test(test_json_lists_errors_after_findings),
        cmocka_unit_test(test_sarif_columns_uris_and_notifications),
        cmocka_unit_test(test_callback_gets_the_same_bytes),
        cmocka_unit_test(test_misuse),
        cmocka_unit_test(test_json_quote),
        cmocka_unit_test(test_every_allocation_failure),
        cmocka_unit_test(test_gcc_github_rdjsonl_checkstyle),
        cmocka_unit_test(test_github_escapes),
        cmocka_unit_test(test_excerpts_and_html),
        cmocka_unit_test(test_fingerprints_survive_edits),
        cmocka_unit_test(test_add_finding),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
