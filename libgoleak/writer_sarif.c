/* SARIF 2.1.0: one run of goleak, the engine's rules with their metadata,
 * a result per finding (columns in code points, as the run declares) and
 * the errors as tool execution notifications. */
#include "writer.h"

#include <string.h>

#define GOLEAK_URI "https://github.com/libgoleak/libgoleak"

const char *writer_sarif_level(int severity) {
    switch (severity) {
    case GOLEAK_SEVERITY_ERROR: return "error";
    case GOLEAK_SEVERITY_INFO: return "note";
    default: return "warning";
    }
}

static void json_uint(wout *o, const char *key, unsigned long v) {
    wout_json_key(o, key);
    wout_uint(o, v);
}

static void sarif_rules(const goleak_writer *w, wout *o) {
    wout_str(o, "\"rules\":[");
    size_t n = goleak_engine_rule_count(w->engine);
    for (size_t k = 0; k < n; k++) {
        const goleak_rule *r = goleak_engine_rule(w->engine, k);
        if (k) wout_char(o, ',');
        wout_char(o, '{');
        wout_json_key(o, "id");
        wout_json_string(o, goleak_rule_id(r));
        wout_char(o, ',');
        wout_json_key(o, "name");
        wout_json_string(o, goleak_rule_name(r));
        wout_str(o, ",\"shortDescription\":{\"text\":");
        wout_json_string(o, goleak_rule_summary(r));
        wout_str(o, "},\"fullDescription\":{\"text\":");
        wout_json_string(o, goleak_rule_summary(r));
        wout_str(o, "},\"help\":{\"text\":");
        wout_json_string(o, goleak_rule_doc(r) ? goleak_rule_doc(r) : goleak_rule_summary(r));
        wout_str(o, "},\"defaultConfiguration\":{\"level\":");
        wout_json_string(o, writer_sarif_level(goleak_rule_severity(r)));
        wout_str(o, ",\"enabled\":");
        wout_str(o, goleak_rule_enabled(r) ? "true" : "false");
        wout_str(o, "},\"properties\":{\"goVersions\":");
        wout_json_string(o, goleak_rule_go_versions(r));
        wout_str(o, "}}");
    }
    wout_char(o, ']');
}

static void sarif_begin(goleak_writer *w, wout *o) {
    wout_str(o, "{\"$schema\":\"https://json.schemastore.org/sarif-2.1.0.json\","
                "\"version\":\"2.1.0\",\"runs\":[{\"tool\":{\"driver\":{"
                "\"name\":\"goleak\",\"informationUri\":\"" GOLEAK_URI "\",\"version\":");
    wout_json_string(o, goleak_version_string());
    wout_char(o, ',');
    sarif_rules(w, o);
    wout_str(o, "}},\"columnKind\":\"unicodeCodePoints\",\"results\":[");
}

/* The index of rule id in the engine's rules (SARIF's ruleIndex), or -1. */
static long rule_index(const goleak_writer *w, const char *id) {
    size_t n = goleak_engine_rule_count(w->engine);
    for (size_t k = 0; k < n; k++)
        if (strcmp(goleak_rule_id(goleak_engine_rule(w->engine, k)), id) == 0) return (long)k;
    return -1;
}

static void sarif_finding(goleak_writer *w, wout *o, const goleak_finding *f) {
    goleak_span sp = goleak_finding_span(f);
    uint32_t c0, c1;
    goleak_finding_cp_columns(f, &c0, &c1);
    if (w->nfindings) wout_char(o, ',');
    wout_str(o, "{\"ruleId\":");
    wout_json_string(o, goleak_finding_rule_id(f));
    long idx = rule_index(w, goleak_finding_rule_id(f));
    if (idx >= 0) {
        wout_char(o, ',');
        json_uint(o, "ruleIndex", (unsigned long)idx);
    }
    wout_str(o, ",\"level\":");
    wout_json_string(o, writer_sarif_level(goleak_finding_severity(f)));
    wout_str(o, ",\"message\":{\"text\":");
    wout_json_string(o, goleak_finding_message(f));
    wout_str(o, "},\"locations\":[{\"physicalLocation\":{\"artifactLocation\":{\"uri\":");
    wout_uri(o, goleak_finding_path(f));
    wout_str(o, "},\"region\":{");
    json_uint(o, "startLine", sp.start.line);
    wout_char(o, ',');
    json_uint(o, "startColumn", c0);
    wout_char(o, ',');
    json_uint(o, "endLine", sp.end.line);
    wout_char(o, ',');
    json_uint(o, "endColumn", c1);
    /* GitHub code scanning matches results across uploads by these */
    wout_str(o, "}}}],\"partialFingerprints\":{\"goleak/v1\":");
    wout_json_string(o, goleak_finding_fingerprint(f));
    wout_str(o, "},\"properties\":{\"symbol\":");
    wout_json_string(o, goleak_finding_symbol(f));
    wout_str(o, "}}");
}

static void sarif_error(goleak_writer *w, wout *o, const writer_error *e) {
    if (w->nerrors) wout_char(o, ',');
    wout_str(o, "{\"level\":");
    wout_json_string(o, e->warning ? "warning" : "error");
    wout_str(o, ",\"message\":{\"text\":");
    wout_json_string(o, e->message);
    wout_str(o, "},\"locations\":[{\"physicalLocation\":{\"artifactLocation\":{\"uri\":");
    wout_uri(o, e->path);
    wout_char(o, '}');
    if (e->line > 0) {
        wout_str(o, ",\"region\":{");
        json_uint(o, "startLine", e->line);
        wout_char(o, ',');
        json_uint(o, "startColumn", e->column);
        wout_char(o, '}');
    }
    wout_str(o, "}}]}");
}

static void sarif_finish(goleak_writer *w, wout *o, int execution_ok) {
    wout_str(o, "],\"invocations\":[{\"executionSuccessful\":");
    wout_str(o, execution_ok ? "true" : "false");
    wout_str(o, ",\"toolExecutionNotifications\":[");
    writer_copy_spill(w, o);
    wout_str(o, "]}]}]}\n");
}

const writer_format writer_sarif = {"sarif",     sarif_begin,  sarif_finding,
                                    sarif_error, sarif_finish, NULL};
