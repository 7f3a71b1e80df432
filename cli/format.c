/* Output formats of the scan: text (go vet style), jsonl, json and SARIF
 * 2.1.0. Errors (unreadable files, syntax errors) go to stderr in every
 * format, and also into the json document and the SARIF log. */
#include "scan.h"

#include <stdlib.h>
#include <string.h>

#define GOLEAK_URI "https://github.com/libgoleak/libgoleak"

/* Writes s as a JSON string: escapes, and U+FFFD for invalid UTF-8 (paths
 * and source snippets may hold any bytes). */
void json_string(outbuf *o, const char *s) {
    static const char hex[] = "0123456789abcdef";
    out_char(o, '"');
    const unsigned char *p = (const unsigned char *)s;
    while (*p) {
        unsigned char c = *p;
        if (c == '"' || c == '\\') {
            out_char(o, '\\');
            out_char(o, (char)c);
            p++;
        } else if (c < 0x20) {
            switch (c) {
            case '\n': out_write(o, "\\n", 2); break;
            case '\t': out_write(o, "\\t", 2); break;
            case '\r': out_write(o, "\\r", 2); break;
            default: {
                char e[6] = {'\\', 'u', '0', '0', hex[c >> 4], hex[c & 15]};
                out_write(o, e, 6);
            }
            }
            p++;
        } else if (c < 0x80) {
            out_char(o, (char)c);
            p++;
        } else {
            /* copy a well-formed UTF-8 sequence, else write U+FFFD for one byte */
            int n = c >= 0xF0 && c <= 0xF4 ? 4 : c >= 0xE0 ? 3 : c >= 0xC2 && c <= 0xDF ? 2 : 0;
            int ok = n > 0;
            for (int k = 1; ok && k < n; k++) ok = (p[k] & 0xC0) == 0x80;
            if (ok && n == 3 && ((c == 0xE0 && p[1] < 0xA0) || (c == 0xED && p[1] > 0x9F))) ok = 0;
            if (ok && n == 4 && ((c == 0xF0 && p[1] < 0x90) || (c == 0xF4 && p[1] > 0x8F))) ok = 0;
            if (ok) {
                out_write(o, (const char *)p, (size_t)n);
                p += n;
            } else {
                out_write(o, "\xEF\xBF\xBD", 3);
                p++;
            }
        }
    }
    out_char(o, '"');
}

static void json_key(outbuf *o, const char *k) {
    json_string(o, k);
    out_char(o, ':');
}

static void json_uint(outbuf *o, const char *k, unsigned long v) {
    json_key(o, k);
    out_uint(o, v);
}

static const char *sarif_level(int severity) {
    switch (severity) {
    case GOLEAK_SEVERITY_ERROR: return "error";
    case GOLEAK_SEVERITY_INFO: return "note";
    default: return "warning";
    }
}

static char *dup(const char *s) {
    size_t n = strlen(s) + 1;
    char *d = malloc(n);
    if (d) memcpy(d, s, n);
    return d;
}

static void keep_error(formatter *fm, const char *file, unsigned line, unsigned col,
                       const char *msg) {
    fm->nerrors++;
    if (fm->kind != FMT_JSON && fm->kind != FMT_SARIF) return;
    if (fm->errors_len == fm->errors_cap) {
        size_t ncap = fm->errors_cap ? fm->errors_cap * 2 : 16;
        void *p = realloc(fm->errors, ncap * sizeof *fm->errors);
        if (!p) return;
        fm->errors = p;
        fm->errors_cap = ncap;
    }
    fm->errors[fm->errors_len].file = dup(file);
    fm->errors[fm->errors_len].line = line;
    fm->errors[fm->errors_len].column = col;
    fm->errors[fm->errors_len].message = dup(msg);
    fm->errors_len++;
}

/* ---- SARIF rule metadata ---- */

static void sarif_rules(formatter *fm) {
    outbuf *o = fm->out;
    out_str(o, "\"rules\":[");
    size_t n = goleak_engine_rule_count(fm->engine);
    for (size_t k = 0; k < n; k++) {
        const goleak_rule *r = goleak_engine_rule(fm->engine, k);
        if (k) out_char(o, ',');
        out_char(o, '{');
        json_key(o, "id");
        json_string(o, goleak_rule_id(r));
        out_char(o, ',');
        json_key(o, "name");
        json_string(o, goleak_rule_name(r));
        out_str(o, ",\"shortDescription\":{\"text\":");
        json_string(o, goleak_rule_summary(r));
        out_str(o, "},\"fullDescription\":{\"text\":");
        json_string(o, goleak_rule_summary(r));
        out_str(o, "},\"help\":{\"text\":");
        json_string(o, goleak_rule_doc(r) ? goleak_rule_doc(r) : goleak_rule_summary(r));
        out_str(o, "},\"defaultConfiguration\":{\"level\":");
        json_string(o, sarif_level(goleak_rule_severity(r)));
        out_str(o, ",\"enabled\":");
        out_str(o, goleak_rule_enabled(r) ? "true" : "false");
        out_str(o, "},\"properties\":{\"goVersions\":");
        json_string(o, goleak_rule_go_versions(r));
        out_str(o, "}}");
    }
    out_char(o, ']');
}

static long rule_index(const formatter *fm, const char *id) {
    size_t n = goleak_engine_rule_count(fm->engine);
    for (size_t k = 0; k < n; k++)
        if (strcmp(goleak_rule_id(goleak_engine_rule(fm->engine, k)), id) == 0) return (long)k;
    return -1;
}

/* ---- the formats ---- */

void format_begin(formatter *fm, format_kind kind, outbuf *out, const goleak_engine *engine) {
    memset(fm, 0, sizeof *fm);
    fm->kind = kind;
    fm->out = out;
    fm->engine = engine;
    fm->first_item = 1;
    if (kind == FMT_JSON) {
        out_str(out, "{\"tool\":\"goleak\",\"version\":");
        json_string(out, goleak_version_string());
        out_str(out, ",\"findings\":[");
    } else if (kind == FMT_SARIF) {
        out_str(out, "{\"$schema\":\"https://json.schemastore.org/sarif-2.1.0.json\","
                     "\"version\":\"2.1.0\",\"runs\":[{\"tool\":{\"driver\":{"
                     "\"name\":\"goleak\",\"informationUri\":\"" GOLEAK_URI "\",\"version\":");
        json_string(out, goleak_version_string());
        out_char(out, ',');
        sarif_rules(fm);
        out_str(out, "}},\"columnKind\":\"unicodeCodePoints\",\"results\":[");
    }
}

static void finding_json(formatter *fm, const goleak_finding *f) {
    outbuf *o = fm->out;
    goleak_span sp = goleak_finding_span(f);
    out_char(o, '{');
    json_key(o, "file");
    json_string(o, goleak_finding_path(f));
    out_char(o, ',');
    json_uint(o, "line", sp.start.line);
    out_char(o, ',');
    json_uint(o, "column", sp.start.column);
    out_char(o, ',');
    json_uint(o, "end_line", sp.end.line);
    out_char(o, ',');
    json_uint(o, "end_column", sp.end.column);
    out_char(o, ',');
    json_uint(o, "offset", sp.start.offset);
    out_char(o, ',');
    json_key(o, "rule");
    json_string(o, goleak_finding_rule_id(f));
    out_char(o, ',');
    json_key(o, "name");
    json_string(o, goleak_finding_rule_name(f));
    out_char(o, ',');
    json_key(o, "severity");
    json_string(o, goleak_severity_name(goleak_finding_severity(f)));
    out_char(o, ',');
    json_key(o, "message");
    json_string(o, goleak_finding_message(f));
    out_char(o, '}');
}

static void finding_sarif(formatter *fm, const goleak_finding *f, uint32_t c0, uint32_t c1) {
    outbuf *o = fm->out;
    goleak_span sp = goleak_finding_span(f);
    out_str(o, "{\"ruleId\":");
    json_string(o, goleak_finding_rule_id(f));
    long idx = rule_index(fm, goleak_finding_rule_id(f));
    if (idx >= 0) {
        out_char(o, ',');
        json_uint(o, "ruleIndex", (unsigned long)idx);
    }
    out_str(o, ",\"level\":");
    json_string(o, sarif_level(goleak_finding_severity(f)));
    out_str(o, ",\"message\":{\"text\":");
    json_string(o, goleak_finding_message(f));
    out_str(o, "},\"locations\":[{\"physicalLocation\":{\"artifactLocation\":{\"uri\":");
    json_string(o, goleak_finding_path(f));
    out_str(o, "},\"region\":{");
    json_uint(o, "startLine", sp.start.line);
    out_char(o, ',');
    json_uint(o, "startColumn", c0);
    out_char(o, ',');
    json_uint(o, "endLine", sp.end.line);
    out_char(o, ',');
    json_uint(o, "endColumn", c1);
    out_str(o, "}}}]}");
}

void format_file(formatter *fm, const scan_file *file, const file_result *r) {
    outbuf *o = fm->out;
    fm->nfiles++;
    if (r->io_error) {
        out_flush(o);
        fprintf(stderr, "goleak: %s\n", r->error ? r->error : file->path);
        keep_error(fm, file->path, 0, 0, r->error ? r->error : "cannot be read");
        return;
    }
    for (size_t k = 0; k < r->ndiags; k++) {
        out_flush(o);
        fprintf(stderr, "%s:%u:%u: %s\n", file->path, r->diags[k].line, r->diags[k].column,
                r->diags[k].message);
        keep_error(fm, file->path, r->diags[k].line, r->diags[k].column, r->diags[k].message);
    }
    size_t n = goleak_findings_count(r->findings);
    int test = is_test_path(file->path);
    for (size_t k = 0; k < n; k++) {
        const goleak_finding *f = goleak_findings_get(r->findings, k);
        goleak_span sp = goleak_finding_span(f);
        fm->nfindings++;
        int sev = goleak_finding_severity(f);
        if (sev >= 0 && sev <= 2) fm->by_file[test][sev]++;
        switch (fm->kind) {
        case FMT_TEXT:
            out_str(o, goleak_finding_path(f));
            out_char(o, ':');
            out_uint(o, sp.start.line);
            out_char(o, ':');
            out_uint(o, sp.start.column);
            out_str(o, ": ");
            out_str(o, goleak_finding_rule_id(f));
            out_char(o, ' ');
            out_str(o, goleak_finding_rule_name(f));
            out_str(o, ": ");
            out_str(o, goleak_finding_message(f));
            out_char(o, '\n');
            break;
        case FMT_JSONL:
            finding_json(fm, f);
            out_char(o, '\n');
            break;
        case FMT_JSON:
            if (!fm->first_item) out_char(o, ',');
            fm->first_item = 0;
            finding_json(fm, f);
            break;
        case FMT_SARIF:
            if (!fm->first_item) out_char(o, ',');
            fm->first_item = 0;
            finding_sarif(fm, f, r->cp_columns ? r->cp_columns[2 * k] : sp.start.column,
                          r->cp_columns ? r->cp_columns[2 * k + 1] : sp.end.column);
            break;
        }
    }
}

/* "2 errors, 1 warning, 3 info" of one kind of file (what is 0 is left
 * out), into buf. */
static const char *severity_counts(const size_t *by_sev, char *buf, size_t size) {
    static const char *const names[3][2] = {
        {"info", "info"}, {"warning", "warnings"}, {"error", "errors"}};
    size_t o = 0;
    buf[0] = 0;
    for (int s = 2; s >= 0; s--) {
        if (!by_sev[s] || o >= size) continue;
        int w = snprintf(buf + o, size - o, "%s%zu %s", o ? ", " : "", by_sev[s],
                         names[s][by_sev[s] != 1]);
        if (w > 0) o += (size_t)w;
    }
    return buf;
}

/* The summary of the findings, non-test and test files apart: a line on
 * stderr after text output. */
static void summary_text(const formatter *fm) {
    if (!fm->nfindings) return;
    char a[96], b[96];
    size_t nt = fm->by_file[0][0] + fm->by_file[0][1] + fm->by_file[0][2];
    size_t t = fm->by_file[1][0] + fm->by_file[1][1] + fm->by_file[1][2];
    fprintf(stderr, "goleak: %zu finding%s: %zu in non-test files%s%s%s, %zu in test files%s%s%s\n",
            fm->nfindings, fm->nfindings == 1 ? "" : "s", nt, nt ? " (" : "",
            severity_counts(fm->by_file[0], a, sizeof a), nt ? ")" : "", t, t ? " (" : "",
            severity_counts(fm->by_file[1], b, sizeof b), t ? ")" : "");
}

/* The same as a json object: {"findings": N, "non_test": {...}, "test": {...}}. */
static void summary_json(const formatter *fm, outbuf *o) {
    static const char *const names[3] = {"info", "warning", "error"};
    out_str(o, "\"summary\":{");
    json_uint(o, "findings", fm->nfindings);
    for (int t = 0; t < 2; t++) {
        out_char(o, ',');
        json_key(o, t ? "test" : "non_test");
        out_char(o, '{');
        size_t total = fm->by_file[t][0] + fm->by_file[t][1] + fm->by_file[t][2];
        json_uint(o, "findings", total);
        for (int s = 2; s >= 0; s--) {
            out_char(o, ',');
            json_uint(o, names[s], fm->by_file[t][s]);
        }
        out_char(o, '}');
    }
    out_str(o, "},");
}

void format_end(formatter *fm, int execution_ok) {
    outbuf *o = fm->out;
    if (fm->kind == FMT_TEXT) {
        out_flush(o);
        summary_text(fm);
    }
    if (fm->kind == FMT_JSON) {
        out_str(o, "],\"errors\":[");
        for (size_t k = 0; k < fm->errors_len; k++) {
            if (k) out_char(o, ',');
            out_str(o, "{\"file\":");
            json_string(o, fm->errors[k].file);
            out_char(o, ',');
            json_uint(o, "line", fm->errors[k].line);
            out_char(o, ',');
            json_uint(o, "column", fm->errors[k].column);
            out_str(o, ",\"message\":");
            json_string(o, fm->errors[k].message);
            out_char(o, '}');
        }
        out_str(o, "],");
        summary_json(fm, o);
        json_uint(o, "files", fm->nfiles);
        out_str(o, "}\n");
    } else if (fm->kind == FMT_SARIF) {
        out_str(o, "],\"invocations\":[{\"executionSuccessful\":");
        out_str(o, execution_ok ? "true" : "false");
        out_str(o, ",\"toolExecutionNotifications\":[");
        for (size_t k = 0; k < fm->errors_len; k++) {
            if (k) out_char(o, ',');
            out_str(o, "{\"level\":\"error\",\"message\":{\"text\":");
            json_string(o, fm->errors[k].message);
            out_str(o, "},\"locations\":[{\"physicalLocation\":{\"artifactLocation\":{\"uri\":");
            json_string(o, fm->errors[k].file);
            out_char(o, '}');
            if (fm->errors[k].line > 0) {
                out_str(o, ",\"region\":{");
                json_uint(o, "startLine", fm->errors[k].line);
                out_char(o, ',');
                json_uint(o, "startColumn", fm->errors[k].column);
                out_char(o, '}');
            }
            out_str(o, "}}]}");
        }
        out_str(o, "]}]}]}\n");
    }
    for (size_t k = 0; k < fm->errors_len; k++) {
        free(fm->errors[k].file);
        free(fm->errors[k].message);
    }
    free(fm->errors);
    fm->errors = NULL;
    out_flush(o);
}
