/* Output formats of the scan: text (go vet style), jsonl, json and SARIF
 * 2.1.0. Errors (skipped paths, unreadable files, syntax errors) and
 * warnings (a bad go.mod) go to stderr in every format, and also into the
 * json document and the SARIF log. */
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

/* Writes path as a URI reference, as SARIF's artifactLocation.uri wants it:
 * bytes outside RFC 3986's unreserved set and '/' are percent-encoded, so
 * that no two paths give the same URI and none reads as a scheme, query or
 * fragment. */
static void json_uri(outbuf *o, const char *path) {
    static const char hex[] = "0123456789ABCDEF";
    out_char(o, '"');
    for (const unsigned char *p = (const unsigned char *)path; *p; p++) {
        unsigned char c = *p;
        if ((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
            c == '-' || c == '.' || c == '_' || c == '~' || c == '/') {
            out_char(o, (char)c);
        } else {
            char e[3] = {'%', hex[c >> 4], hex[c & 15]};
            out_write(o, e, 3);
        }
    }
    out_char(o, '"');
}

/* The temporary file the json and sarif errors are written to as they
 * come (a memory stream when no temporary file can be made). */
struct spill {
    outbuf out;
    char *mem; /* the memory stream's buffer */
    size_t memlen;
};

static struct spill *spill_open(void) {
    struct spill *s = calloc(1, sizeof *s);
    if (!s) return NULL;
    FILE *fp = tmpfile();
    if (!fp) fp = open_memstream(&s->mem, &s->memlen);
    if (!fp) {
        free(s);
        return NULL;
    }
    out_init(&s->out, fp);
    return s;
}

/* Writes an error (or a warning) of the json or sarif output, after a
 * comma unless it is the first. */
static void spill_error(formatter *fm, const char *file, unsigned line, unsigned col,
                        const char *msg, int warning) {
    fm->nerrors++;
    if (fm->kind != FMT_JSON && fm->kind != FMT_SARIF) return;
    if (!fm->spill) fm->spill = spill_open();
    if (!fm->spill) return;
    outbuf *o = &fm->spill->out;
    if (fm->spilled++) out_char(o, ',');
    if (fm->kind == FMT_JSON) {
        out_str(o, "{\"file\":");
        json_string(o, file);
        out_char(o, ',');
        json_uint(o, "line", line);
        out_char(o, ',');
        json_uint(o, "column", col);
        out_str(o, ",\"level\":");
        json_string(o, warning ? "warning" : "error");
        out_str(o, ",\"message\":");
        json_string(o, msg);
        out_char(o, '}');
        return;
    }
    out_str(o, "{\"level\":");
    json_string(o, warning ? "warning" : "error");
    out_str(o, ",\"message\":{\"text\":");
    json_string(o, msg);
    out_str(o, "},\"locations\":[{\"physicalLocation\":{\"artifactLocation\":{\"uri\":");
    json_uri(o, file);
    out_char(o, '}');
    if (line > 0) {
        out_str(o, ",\"region\":{");
        json_uint(o, "startLine", line);
        out_char(o, ',');
        json_uint(o, "startColumn", col);
        out_char(o, '}');
    }
    out_str(o, "}}]}");
}

/* Copies the spilled errors into the output, and frees the spill. */
static void spill_copy(formatter *fm) {
    struct spill *s = fm->spill;
    if (!s) return;
    out_flush(&s->out);
    if (fseek(s->out.fp, 0, SEEK_SET) == 0) {
        char chunk[1 << 14];
        size_t n;
        while ((n = fread(chunk, 1, sizeof chunk, s->out.fp)) > 0) out_write(fm->out, chunk, n);
    }
    fclose(s->out.fp);
    free(s->mem);
    free(s);
    fm->spill = NULL;
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
    json_uri(o, goleak_finding_path(f));
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
    if (!file->notice) fm->nfiles++;
    if (r->io_error || r->warning) {
        const char *msg = r->error ? r->error : file->path;
        out_flush(o);
        fputs(r->warning ? "goleak: warning: " : "goleak: ", stderr);
        fput_text(stderr, msg);
        fputc('\n', stderr);
        spill_error(fm, file->path, 0, 0, msg, r->warning);
        if (r->io_error) return;
    }
    for (size_t k = 0; k < r->ndiags; k++) {
        const char *msg = r->diags[k].message ? r->diags[k].message : "syntax error";
        out_flush(o);
        fput_text(stderr, file->path);
        fprintf(stderr, ":%u:%u: ", r->diags[k].line, r->diags[k].column);
        fput_text(stderr, msg);
        fputc('\n', stderr);
        spill_error(fm, file->path, r->diags[k].line, r->diags[k].column, msg, 0);
    }
    size_t n = goleak_findings_count(r->findings);
    for (size_t k = 0; k < n; k++) {
        const goleak_finding *f = goleak_findings_get(r->findings, k);
        goleak_span sp = goleak_finding_span(f);
        fm->nfindings++;
        switch (fm->kind) {
        case FMT_TEXT:
            /* control bytes of a path or a message could forge a line */
            out_text(o, goleak_finding_path(f));
            out_char(o, ':');
            out_uint(o, sp.start.line);
            out_char(o, ':');
            out_uint(o, sp.start.column);
            out_str(o, ": ");
            out_str(o, goleak_finding_rule_id(f));
            out_char(o, ' ');
            out_str(o, goleak_finding_rule_name(f));
            out_str(o, ": ");
            out_text(o, goleak_finding_message(f));
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

void format_end(formatter *fm, int execution_ok) {
    outbuf *o = fm->out;
    if (fm->kind == FMT_JSON) {
        out_str(o, "],\"errors\":[");
        spill_copy(fm);
        out_str(o, "],");
        json_uint(o, "files", fm->nfiles);
        out_str(o, "}\n");
    } else if (fm->kind == FMT_SARIF) {
        out_str(o, "],\"invocations\":[{\"executionSuccessful\":");
        out_str(o, execution_ok ? "true" : "false");
        out_str(o, ",\"toolExecutionNotifications\":[");
        spill_copy(fm);
        out_str(o, "]}]}]}\n");
    }
    spill_copy(fm); /* nothing left: frees */
    out_flush(o);
}
