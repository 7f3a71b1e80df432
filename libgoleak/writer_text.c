/* Text output, go vet style: path:line:col: ID name: message, one finding a
 * line. Control bytes of a path or a message are written as \xHH: they
 * could otherwise forge a line or drive a terminal. */
#include "writer.h"

static void text_finding(goleak_writer *w, wout *o, const goleak_finding *f) {
    (void)w;
    wout_text_position(o, f);
    wout_str(o, goleak_finding_rule_id(f));
    wout_char(o, ' ');
    wout_str(o, goleak_finding_rule_name(f));
    wout_str(o, ": ");
    wout_text_escaped(o, goleak_finding_message(f));
    wout_char(o, '\n');
}

const writer_format writer_text = {"text", NULL, text_finding, NULL, NULL, NULL};
