/* check_file: the C API in one page. Runs the built-in rules plus one rule
 * written here with the query calls every rule shares (EX001: a ticker
 * from time.NewTicker, under whatever name the file imports "time", that
 * some path returns without stopping) on a Go file, and prints the findings
 * as goleak's text format does. */
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
    for (size_t i = 0; i < goleak_findings_count(findings); i++) {
        const goleak_finding *f = goleak_findings_get(findings, i);
        goleak_span s = goleak_finding_span(f);
        printf("%s:%u:%u: %s %s: %s\n", goleak_finding_path(f), s.start.line, s.start.column,
               goleak_finding_rule_id(f), goleak_finding_rule_name(f), goleak_finding_message(f));
    }
    rc = goleak_findings_count(findings) > 0;
out:
    goleak_findings_free(findings);
    goleak_unit_free(unit);
    goleak_engine_free(engine);
    goleak_error_free(err);
    return rc;
}
