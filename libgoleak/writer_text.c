/* Text output, go vet style: path:line:col: ID name: message, one finding a
 * line. Control bytes of a path or a message are written as \xHH: they
 * could otherwise forge a line or drive a terminal. */
#include "writer.h"

static int is_control(unsigned char c) {
    return (c < 0x20 && c != '\t') || c == 0x7f;
}

static void text_escaped(wout *o, const char *s) {
    static const char hex[] = "0123456789abcdef";
    const char *start = s;
    for (; *s; s++) {
        unsigned char c = (unsigned char)*s;
        if (!is_control(c)) continue;
        wout_write(o, start, (size_t)(s - start));
        char e[4] = {'\\', 'x', hex[c >> 4], hex[c & 15]};
        wout_write(o, e, 4);
        start = s + 1;
    }
    wout_write(o, start, (size_t)(s - start));
}

static void text_finding(goleak_writer *w, wout *o, const goleak_finding *f) {
    (void)w;
    goleak_span sp = goleak_finding_span(f);
    text_escaped(o, goleak_finding_path(f));
    wout_char(o, ':');
    wout_uint(o, sp.start.line);
    wout_char(o, ':');
    wout_uint(o, sp.start.column);
    wout_str(o, ": ");
    wout_str(o, goleak_finding_rule_id(f));
    wout_char(o, ' ');
    wout_str(o, goleak_finding_rule_name(f));
    wout_str(o, ": ");
    text_escaped(o, goleak_finding_message(f));
    wout_char(o, '\n');
}

const writer_format writer_text = {"text", NULL, text_finding, NULL, NULL};
