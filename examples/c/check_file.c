/* check_file: the C API in one page. Runs the built-in rules plus one rule
 * written here (EX001: a goroutine started from init()) on a Go file and
 * prints the findings as goleak's text format does. */
#include <goleak.h>
#include <stdio.h>
#include <string.h>

/* Reports every `go` statement under n. */
static void report_go_statements(goleak_check *check, const goleak_node *n) {
    if (goleak_node_kind(n) == GOLEAK_NODE_GO)
        goleak_check_report(check, n, "goroutine started from init(): it runs before main");
    for (const goleak_node *c = goleak_node_first_child(n); c; c = goleak_node_next_sibling(c))
        report_go_statements(check, c);
}

/* The rule callback: called once per checked unit. */
static int go_in_init(goleak_check *check, void *user_data) {
    (void)user_data;
    const goleak_unit *u = goleak_check_unit(check);
    for (const goleak_node *d = goleak_node_first_child(goleak_unit_root(u)); d;
         d = goleak_node_next_sibling(d)) {
        size_t len, key = goleak_node_key_token(d);
        const char *name = key != GOLEAK_NONE ? goleak_unit_token_text(u, key, &len) : NULL;
        if (goleak_node_kind(d) == GOLEAK_NODE_FUNC && name && len == 4 &&
            memcmp(name, "init", 4) == 0)
            report_go_statements(check, d);
    }
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
    def.name = "go-in-init";
    def.summary = "a goroutine started from init()";
    def.check = go_in_init;
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
