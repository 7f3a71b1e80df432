/* gcc-style lines: path:line:col: warning: message [ID], with "error",
 * "warning" or "note" as gcc writes them, so that what reads compiler
 * output (VS Code's $gcc problem matcher, Vim's errorformat, Emacs'
 * compilation mode) reads findings. Byte columns, as Go counts them;
 * control bytes escaped as in text. */
#include "writer.h"

static const char *gcc_severity(int severity) {
    switch (severity) {
    case GOLEAK_SEVERITY_ERROR: return "error";
    case GOLEAK_SEVERITY_INFO: return "note";
    default: return "warning";
    }
}

static void gcc_finding(goleak_writer *w, wout *o, const goleak_finding *f) {
    (void)w;
    wout_text_position(o, f);
    wout_str(o, gcc_severity(goleak_finding_severity(f)));
    wout_str(o, ": ");
    wout_text_escaped(o, goleak_finding_message(f));
    wout_str(o, " [");
    wout_str(o, goleak_finding_rule_id(f));
    wout_str(o, "]\n");
}

const writer_format writer_gcc = {"gcc", NULL, gcc_finding, NULL, NULL, NULL};
