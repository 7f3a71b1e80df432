/* reviewdog's Diagnostic Format as JSON lines (rdjsonl): one Diagnostic
 * per finding, with its message, location (path and a range whose end is
 * exclusive; columns in UTF-8 bytes, as the format says), severity
 * (ERROR, WARNING, INFO), source and code. */
#include "writer.h"

#define GOLEAK_URI "https://github.com/libgoleak/libgoleak"

static void position(wout *o, uint32_t line, uint32_t column) {
    wout_str(o, "{\"line\":");
    wout_uint(o, line);
    wout_str(o, ",\"column\":");
    wout_uint(o, column);
    wout_char(o, '}');
}

static void rdjsonl_finding(goleak_writer *w, wout *o, const goleak_finding *f) {
    (void)w;
    goleak_span sp = goleak_finding_span(f);
    int sev = goleak_finding_severity(f);
    wout_str(o, "{\"message\":");
    wout_json_string(o, goleak_finding_message(f));
    wout_str(o, ",\"location\":{\"path\":");
    wout_json_string(o, goleak_finding_path(f));
    wout_str(o, ",\"range\":{\"start\":");
    position(o, sp.start.line, sp.start.column);
    wout_str(o, ",\"end\":");
    position(o, sp.end.line, sp.end.column);
    wout_str(o, "}},\"severity\":");
    wout_str(o, sev == GOLEAK_SEVERITY_ERROR  ? "\"ERROR\""
                : sev == GOLEAK_SEVERITY_INFO ? "\"INFO\""
                                              : "\"WARNING\"");
    wout_str(o,
             ",\"source\":{\"name\":\"goleak\",\"url\":\"" GOLEAK_URI "\"},\"code\":{\"value\":");
    wout_json_string(o, goleak_finding_rule_id(f));
    wout_str(o, "}}\n");
}

const writer_format writer_rdjsonl = {"rdjsonl", NULL, rdjsonl_finding, NULL, NULL, NULL};
