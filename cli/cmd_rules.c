/* goleak rules and goleak explain: the rules and their documentation. */
#include "scan.h"

#include <stdlib.h>
#include <string.h>

/* The engine of goleak rules / explain: the scan's rules, with the same
 * pack and configuration options; the other arguments in rest. */
static goleak_engine *rules_engine(int argc, char **argv, const char **rest, size_t *nrest,
                                   int *json) {
    engine_opts eo;
    goleak_engine *e = NULL;
    if (engine_opts_init(&eo, argc)) return NULL;
    int ok = 1;
    for (int k = 1; k < argc && ok; k++) {
        int r = engine_opt(argc, argv, &k, &eo);
        if (r < 0)
            ok = 0;
        else if (r == 0 && json && strcmp(argv[k], "--json") == 0)
            *json = 1;
        else if (r == 0 && argv[k][0] == '-' && argv[k][1] == '-') {
            fprintf(stderr, "goleak: unknown option %s\n", argv[k]);
            ok = 0;
        } else if (r == 0)
            rest[(*nrest)++] = argv[k];
    }
    if (ok) e = engine_build(&eo, NULL);
    engine_opts_free(&eo);
    return e;
}

/* " [pack FILE]" for a rule that is not built in. */
static const char *origin_note(const goleak_rule *r, char *buf, size_t size) {
    int o = goleak_rule_origin(r);
    buf[0] = 0;
    if (o == GOLEAK_ORIGIN_PACK || o == GOLEAK_ORIGIN_NATIVE)
        snprintf(buf, size, " [%s %s]", o == GOLEAK_ORIGIN_PACK ? "pack" : "native pack",
                 goleak_rule_origin_path(r));
    return buf;
}

static const char *origin_name(int o) {
    switch (o) {
    case GOLEAK_ORIGIN_BUILTIN: return "builtin";
    case GOLEAK_ORIGIN_PACK: return "pack";
    case GOLEAK_ORIGIN_NATIVE: return "native";
    default: return "api";
    }
}

/* Writes s as a JSON string (the library's encoding). */
static void out_json(outbuf *o, const char *s) {
    char small[512];
    size_t n = goleak_json_quote(small, sizeof small, s);
    if (n < sizeof small) {
        out_write(o, small, n);
        return;
    }
    char *big = malloc(n + 1);
    if (!big) return;
    goleak_json_quote(big, n + 1, s);
    out_write(o, big, n);
    free(big);
}

int cmd_rules(int argc, char **argv) {
    int json = 0;
    const char **rest = calloc((size_t)argc + 1, sizeof *rest);
    size_t nrest = 0;
    goleak_engine *e = rest ? rules_engine(argc, argv, rest, &nrest, &json) : NULL;
    if (e && nrest) {
        fprintf(stderr, "usage: goleak rules [--json] [--pack FILE|DIR]...\n");
        goleak_engine_free(e);
        e = NULL;
    }
    free(rest);
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
            out_json(&o, goleak_rule_id(r));
            out_str(&o, ",\"name\":");
            out_json(&o, goleak_rule_name(r));
            out_str(&o, ",\"severity\":");
            out_json(&o, goleak_severity_name(goleak_rule_severity(r)));
            out_str(&o, ",\"go\":");
            out_json(&o, goleak_rule_go_versions(r));
            out_str(&o, ",\"summary\":");
            out_json(&o, goleak_rule_summary(r));
            out_str(&o, ",\"origin\":");
            out_json(&o, origin_name(goleak_rule_origin(r)));
            if (goleak_rule_triggers(r)[0]) {
                out_str(&o, ",\"triggers\":");
                out_json(&o, goleak_rule_triggers(r));
            }
            if (goleak_rule_origin_path(r)) {
                out_str(&o, ",\"pack\":");
                out_json(&o, goleak_rule_origin_path(r));
            }
            out_char(&o, '}');
            continue;
        }
        char line[1024], note[512];
        snprintf(line, sizeof line, "%-6s %-24s %-8s go %-8s %s%s\n", goleak_rule_id(r),
                 goleak_rule_name(r), goleak_severity_name(goleak_rule_severity(r)),
                 goleak_rule_go_versions(r), goleak_rule_summary(r),
                 origin_note(r, note, sizeof note));
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
    const char **rest = calloc((size_t)argc + 1, sizeof *rest);
    size_t nrest = 0;
    goleak_engine *e = rest ? rules_engine(argc, argv, rest, &nrest, NULL) : NULL;
    const char *id = nrest == 1 ? rest[0] : NULL;
    free(rest);
    if (!e) return 2;
    if (!id) {
        fprintf(stderr, "usage: goleak explain [--pack FILE|DIR]... ID\n");
        goleak_engine_free(e);
        return 2;
    }
    const goleak_rule *r = goleak_engine_find_rule(e, id);
    int status = 0;
    if (!r) {
        fprintf(stderr, "goleak: unknown rule \"%s\" (goleak rules lists them)\n", id);
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
