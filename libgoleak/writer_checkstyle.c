/* Checkstyle XML, as CI servers, reviewdog and code-review tools read it:
 * a <file> per file with findings (consecutive findings of one path share
 * it), an <error> per finding (line, byte column, severity, message,
 * source goleak.ID), then the errors of the run in <file> elements of their
 * own. */
#include "writer.h"

#include <string.h>

/* The path of the open <file> element, or NULL. */
typedef struct checkstyle_state {
    char *path;
} checkstyle_state;

static void checkstyle_begin(goleak_writer *w, wout *o) {
    w->state = writer_alloc(w, sizeof(checkstyle_state));
    wout_str(o, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<checkstyle version=\"4.3\">\n");
}

static void open_file(wout *o, const char *path) {
    wout_str(o, "  <file name=\"");
    wout_xml_text(o, path);
    wout_str(o, "\">\n");
}

static void error_element(wout *o, uint32_t line, uint32_t column, const char *severity,
                          const char *message, const char *rule) {
    wout_str(o, "    <error");
    if (line > 0) {
        wout_str(o, " line=\"");
        wout_uint(o, line);
        wout_str(o, "\" column=\"");
        wout_uint(o, column);
        wout_char(o, '"');
    }
    wout_str(o, " severity=\"");
    wout_str(o, severity);
    wout_str(o, "\" message=\"");
    wout_xml_text(o, message);
    wout_str(o, "\" source=\"goleak");
    if (rule) {
        wout_char(o, '.');
        wout_xml_text(o, rule);
    }
    wout_str(o, "\"/>\n");
}

static void checkstyle_finding(goleak_writer *w, wout *o, const goleak_finding *f) {
    checkstyle_state *st = w->state;
    const char *path = goleak_finding_path(f);
    if (!st) return;
    if (!st->path || strcmp(st->path, path) != 0) {
        if (st->path) wout_str(o, "  </file>\n");
        gl_free(w->alloc, st->path);
        size_t n = strlen(path) + 1;
        if ((st->path = writer_alloc(w, n))) memcpy(st->path, path, n);
        open_file(o, path);
    }
    goleak_span sp = goleak_finding_span(f);
    int sev = goleak_finding_severity(f);
    error_element(o, sp.start.line, sp.start.column,
                  sev == GOLEAK_SEVERITY_ERROR  ? "error"
                  : sev == GOLEAK_SEVERITY_INFO ? "info"
                                                : "warning",
                  goleak_finding_message(f), goleak_finding_rule_id(f));
}

static void checkstyle_error(goleak_writer *w, wout *o, const writer_error *e) {
    (void)w;
    open_file(o, e->path);
    error_element(o, e->line, e->column, e->warning ? "warning" : "error", e->message, NULL);
    wout_str(o, "  </file>\n");
}

static void checkstyle_finish(goleak_writer *w, wout *o, int execution_ok) {
    (void)execution_ok;
    checkstyle_state *st = w->state;
    if (st && st->path) wout_str(o, "  </file>\n");
    writer_copy_spill(w, o);
    wout_str(o, "</checkstyle>\n");
}

static void checkstyle_free(goleak_writer *w) {
    checkstyle_state *st = w->state;
    if (!st) return;
    gl_free(w->alloc, st->path);
    gl_free(w->alloc, st);
    w->state = NULL;
}

const writer_format writer_checkstyle = {"checkstyle",     checkstyle_begin,  checkstyle_finding,
                                         checkstyle_error, checkstyle_finish, checkstyle_free};
