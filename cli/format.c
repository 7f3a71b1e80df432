/* The scan's output: findings through the library's writer (text, jsonl,
 * json, SARIF 2.1.0), errors (skipped paths, unreadable files, syntax
 * errors) and warnings (a bad go.mod) on stderr in every format, and also
 * into the json document and the SARIF log. */
#include "scan.h"

#include <string.h>
#include <unistd.h>

static int write_out(const char *data, size_t len, void *ctx) {
    formatter *fm = ctx;
    outbuf *o = fm->out;
    if (fm->prog && fm->prog->shown && fm->stdout_tty) {
        /* the terminal shows the progress line: erase it, write through */
        progress_clear(fm->prog);
        out_write(o, data, len);
        out_flush(o);
    } else {
        out_write(o, data, len);
    }
    return ferror(o->fp) ? -1 : 0;
}

int format_begin(formatter *fm, int format, outbuf *out, const goleak_engine *engine,
                 progress *prog) {
    memset(fm, 0, sizeof *fm);
    fm->out = out;
    fm->prog = prog;
    fm->stdout_tty = isatty(fileno(out->fp));
    goleak_writer_options wo = GOLEAK_WRITER_OPTIONS_INIT;
    wo.format = format;
    wo.engine = engine;
    wo.write = write_out;
    wo.user_data = fm;
    return goleak_writer_new(&fm->writer, &wo, NULL);
}

/* Writes an error or a warning to stderr, after what the output holds. */
static void report_error(formatter *fm, const char *path, unsigned line, unsigned col,
                         const char *msg, int warning) {
    goleak_writer_flush(fm->writer);
    out_flush(fm->out);
    if (fm->prog) progress_clear(fm->prog);
    if (line > 0) {
        fput_text(stderr, path);
        fprintf(stderr, ":%u:%u: ", line, col);
    } else {
        fputs(warning ? "goleak: warning: " : "goleak: ", stderr);
    }
    fput_text(stderr, msg);
    fputc('\n', stderr);
    goleak_writer_add_error(fm->writer, path, line, col,
                            warning ? GOLEAK_SEVERITY_WARNING : GOLEAK_SEVERITY_ERROR, msg);
}

void format_file(formatter *fm, const scan_file *file, const file_result *r) {
    if (r->io_error || r->warning)
        report_error(fm, file->path, 0, 0, r->error ? r->error : file->path, r->warning);
    for (size_t k = 0; !r->io_error && k < r->ndiags; k++)
        report_error(fm, file->path, r->diags[k].line, r->diags[k].column,
                     r->diags[k].message ? r->diags[k].message : "syntax error", 0);
    /* a notice is not a file: it only names one */
    if (file->notice) return;
    if (r->io_error || !fm->keep) {
        goleak_writer_add_findings(fm->writer, r->io_error ? NULL : r->findings);
        if (!r->io_error) fm->nfindings += goleak_findings_count(r->findings);
        return;
    }
    size_t n = goleak_findings_count(r->findings);
    for (size_t k = 0; k < n; k++) {
        const goleak_finding *f = goleak_findings_get(r->findings, k);
        if (!fm->keep(f, fm->keep_ctx)) continue;
        goleak_writer_add_finding(fm->writer, f);
        fm->nfindings++;
    }
    goleak_writer_add_findings(fm->writer, NULL); /* counts the file */
}

int format_end(formatter *fm, int execution_ok) {
    int rc = goleak_writer_finish(fm->writer, execution_ok);
    goleak_writer_free(fm->writer);
    fm->writer = NULL;
    out_flush(fm->out);
    return rc;
}
