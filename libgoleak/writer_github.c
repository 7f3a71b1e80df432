/* GitHub Actions workflow commands: one annotation per finding,
 *   ::warning file=PATH,line=L,col=C,endLine=L,endColumn=C,title=ID name::MESSAGE
 * (::error, ::warning or ::notice by severity), and errors as ::error or
 * ::warning commands after them. Escaping as the runner decodes it: '%',
 * CR and LF in a message; also ':' and ',' in a property. Columns count
 * code points, as the annotations' editor view does. */
#include "writer.h"

#include <stdio.h>

/* s with the workflow commands' escapes; property: also ':' and ','. */
static void github_escaped(wout *o, const char *s, int property) {
    const char *start = s;
    for (; *s; s++) {
        const char *e = *s == '%'               ? "%25"
                        : *s == '\r'            ? "%0D"
                        : *s == '\n'            ? "%0A"
                        : property && *s == ':' ? "%3A"
                        : property && *s == ',' ? "%2C"
                                                : NULL;
        if (!e) continue;
        wout_write(o, start, (size_t)(s - start));
        wout_str(o, e);
        start = s + 1;
    }
    wout_write(o, start, (size_t)(s - start));
}

static const char *github_command(int severity) {
    switch (severity) {
    case GOLEAK_SEVERITY_ERROR: return "::error ";
    case GOLEAK_SEVERITY_INFO: return "::notice ";
    default: return "::warning ";
    }
}

static void github_finding(goleak_writer *w, wout *o, const goleak_finding *f) {
    (void)w;
    goleak_span sp = goleak_finding_span(f);
    uint32_t c0, c1;
    goleak_finding_cp_columns(f, &c0, &c1);
    wout_str(o, github_command(goleak_finding_severity(f)));
    wout_str(o, "file=");
    github_escaped(o, goleak_finding_path(f), 1);
    wout_str(o, ",line=");
    wout_uint(o, sp.start.line);
    wout_str(o, ",col=");
    wout_uint(o, c0);
    wout_str(o, ",endLine=");
    wout_uint(o, sp.end.line);
    wout_str(o, ",endColumn=");
    wout_uint(o, c1);
    wout_str(o, ",title=");
    github_escaped(o, goleak_finding_rule_id(f), 1);
    wout_char(o, ' ');
    github_escaped(o, goleak_finding_rule_name(f), 1);
    wout_str(o, "::");
    github_escaped(o, goleak_finding_message(f), 0);
    wout_char(o, '\n');
}

static void github_error(goleak_writer *w, wout *o, const writer_error *e) {
    (void)w;
    wout_str(o, e->warning ? "::warning file=" : "::error file=");
    github_escaped(o, e->path, 1);
    if (e->line > 0) {
        wout_str(o, ",line=");
        wout_uint(o, e->line);
        wout_str(o, ",col=");
        wout_uint(o, e->column);
    }
    wout_str(o, ",title=goleak::");
    github_escaped(o, e->message, 0);
    wout_char(o, '\n');
}

static void github_finish(goleak_writer *w, wout *o, int execution_ok) {
    (void)execution_ok;
    writer_copy_spill(w, o);
}

const writer_format writer_github = {"github",     NULL,          github_finding,
                                     github_error, github_finish, NULL};
