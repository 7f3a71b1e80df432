/* check_file: the C API in one page. Runs the built-in rules plus one rule
 * written here with the query calls every rule shares (EX001: a ticker
 * from time.NewTicker, under whatever name the file imports "time", that
 * some path returns without stopping) on a Go file, and prints the findings
 * with the library's writer, in goleak's text format. */
#include <goleak.h>
#include <stdio.h>
#include <string.h>

/* Whether token i of the unit is the identifier name. */
static int token_is(const goleak_unit *u, size_t i, const char *name) {
    size_t len;
    const char *t = goleak_unit_token_text(u, i, &len);
    return t && len == strlen(name) && memcmp(t, name, len) == 0;
}

/* Whether call stops the ticker declared at token *ticker: ticker.Stop(). */
static int stops(goleak_check *check, const goleak_node *call, void *ticker) {
    size_t recv, last;
    return goleak_check_call_receiver(&recv, &last, check, call) && recv == last &&
           goleak_check_declaration(check, recv) == *(size_t *)ticker &&
           token_is(goleak_check_unit(check), goleak_check_call_name(check, call), "Stop");
}

/* The rule callback: called once per checked unit. */
static int ticker_stopped_on_every_path(goleak_check *check, void *user_data) {
    (void)user_data;
    uint64_t fns = GOLEAK_KIND_BIT(GOLEAK_NODE_FUNC) | GOLEAK_KIND_BIT(GOLEAK_NODE_FUNCLIT);
    goleak_cursor *c;
    if (goleak_cursor_new(&c, goleak_unit_root(goleak_check_unit(check)))) return 1;
    do {
        const goleak_node *n = goleak_cursor_node(c);
        size_t ticker; /* t := time.NewTicker(d): the variable t */
        if (!goleak_check_call_is(check, n, "time", "NewTicker") ||
            goleak_check_value_target(&ticker, NULL, check, n, 0) != GOLEAK_TARGET_VAR)
            continue;
        goleak_path_query q = GOLEAK_PATH_QUERY_INIT;
        q.release = stops;
        q.user_data = &ticker;
        const goleak_node *stmt = goleak_node_ancestor(n, GOLEAK_KIND_BIT(GOLEAK_NODE_ASSIGN), fns);
        const goleak_node *at;
        if (stmt && goleak_check_release_path(&at, check, stmt, &q) == GOLEAK_PATH_RETURN)
            goleak_check_report(check, n, "this ticker is not stopped on a path that returns");
    } while (goleak_cursor_next(c));
    goleak_cursor_free(c);
    return 0;
}

/* Where the writer's output goes. */
static int write_stdout(const char *data, size_t len, void *user_data) {
    (void)user_data;
    return fwrite(data, 1, len, stdout) == len ? 0 : -1;
}

int main(int argc, char **argv) {
    if (argc != 2) {
        fprintf(stderr, "usage: check_file FILE.go\n");
        return 2;
    }
    goleak_error *err = goleak_error_new();
    goleak_engine *engine = NULL;
    goleak_unit *unit = NULL;
    goleak_findings *findings = NULL;
    goleak_rule_def def = GOLEAK_RULE_DEF_INIT;
    def.id = "EX001";
    def.name = "ticker-stopped-on-every-path";
    def.summary = "a ticker that a path returns without stopping";
    def.check = ticker_stopped_on_every_path;
    def.triggers = "NewTicker"; /* files without the word are skipped */
    int rc = 2;
    if (goleak_engine_new(&engine, NULL, err) || goleak_engine_add_builtin_rules(engine, err) ||
        goleak_engine_register_rule(engine, &def, err) ||
        goleak_unit_parse_file(&unit, argv[1], NULL, err) ||
        goleak_engine_check(&findings, engine, unit, NULL, err)) {
        fprintf(stderr, "check_file: %s\n", goleak_error_message(err));
        goto out;
    }
    goleak_writer_options wo = GOLEAK_WRITER_OPTIONS_INIT;
    wo.format = GOLEAK_FORMAT_TEXT; /* or JSONL, JSON, SARIF: goleak scan --format's */
    wo.engine = engine;
    wo.write = write_stdout;
    goleak_writer *w = NULL;
    if (goleak_writer_new(&w, &wo, err) || goleak_writer_add_findings(w, findings) ||
        goleak_writer_finish(w, 1)) {
        fprintf(stderr, "check_file: cannot write the findings\n");
        goleak_writer_free(w);
        goto out;
    }
    goleak_writer_free(w);
    rc = goleak_findings_count(findings) > 0;
out:
    goleak_findings_free(findings);
    goleak_unit_free(unit);
    goleak_engine_free(engine);
    goleak_error_free(err);
    return rc;
}
