/* goleak rules and goleak explain: the rules and their documentation. */
#include "scan.h"

#include <string.h>

static goleak_engine *builtin_engine(void) {
    goleak_engine *e = NULL;
    goleak_error *err = goleak_error_new();
    if (goleak_engine_new(&e, NULL, err) || goleak_engine_add_builtin_rules(e, err)) {
        fprintf(stderr, "goleak: %s\n", goleak_error_message(err));
        goleak_engine_free(e);
        e = NULL;
    }
    goleak_error_free(err);
    return e;
}

int cmd_rules(int argc, char **argv) {
    int json = argc > 1 && strcmp(argv[1], "--json") == 0;
    goleak_engine *e = builtin_engine();
    if (!e) return 2;
    size_t n = goleak_engine_rule_count(e);
    static outbuf o;
    out_init(&o, stdout);
    if (json) out_char(&o, '[');
    for (size_t k = 0; k < n; k++) {
        const goleak_rule *r = goleak_engine_rule(e, k);
        if (json) {
            if (k) out_char(&o, ',');
            out_str(&o, "{\"id\":");
            json_string(&o, goleak_rule_id(r));
            out_str(&o, ",\"name\":");
            json_string(&o, goleak_rule_name(r));
            out_str(&o, ",\"severity\":");
            json_string(&o, goleak_severity_name(goleak_rule_severity(r)));
            out_str(&o, ",\"go\":");
            json_string(&o, goleak_rule_go_versions(r));
            out_str(&o, ",\"summary\":");
            json_string(&o, goleak_rule_summary(r));
            out_char(&o, '}');
            continue;
        }
        char line[512];
        snprintf(line, sizeof line, "%-6s %-24s %-8s go %-8s %s\n", goleak_rule_id(r),
                 goleak_rule_name(r), goleak_severity_name(goleak_rule_severity(r)),
                 goleak_rule_go_versions(r), goleak_rule_summary(r));
        out_str(&o, line);
    }
    if (json) out_str(&o, "]\n");
    out_flush(&o);
    goleak_engine_free(e);
    return 0;
}

/* The options a rule declares, as `goleak scan --option` sets them. */
static void print_options(const goleak_rule *r) {
    static const char *const types[] = {"integer", "true/false", "text"};
    size_t n = goleak_rule_option_count(r);
    if (n) printf("\n## Options (goleak scan --option %s.KEY=VALUE)\n\n", goleak_rule_id(r));
    for (size_t k = 0; k < n; k++) {
        const goleak_rule_option *o = goleak_rule_option_get(r, k);
        printf("- `%s` (%s", o->key, o->type >= 0 && o->type < 3 ? types[o->type] : "?");
        if (o->type == GOLEAK_OPTION_INT) printf(" from %lld to %lld", o->min, o->max);
        if (o->default_value) printf("; default %s", o->default_value);
        printf(")%s%s\n", o->doc ? ": " : "", o->doc ? o->doc : "");
    }
}

int cmd_explain(int argc, char **argv) {
    if (argc != 2) {
        fprintf(stderr, "usage: goleak explain ID\n");
        return 2;
    }
    goleak_engine *e = builtin_engine();
    if (!e) return 2;
    const goleak_rule *r = goleak_engine_find_rule(e, argv[1]);
    int status = 0;
    if (!r) {
        fprintf(stderr, "goleak: unknown rule \"%s\" (goleak rules lists them)\n", argv[1]);
        status = 2;
    } else {
        const char *doc = goleak_rule_doc(r);
        printf("%s %s (%s; Go %s)\n\n%s\n\n%s", goleak_rule_id(r), goleak_rule_name(r),
               goleak_severity_name(goleak_rule_severity(r)), goleak_rule_go_versions(r),
               goleak_rule_summary(r), doc ? doc : "");
        print_options(r);
    }
    goleak_engine_free(e);
    return status;
}
