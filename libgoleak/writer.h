/* The findings writers: one buffered output, the formats' encoders (one
 * file each: writer_text.c, writer_json.c for json and jsonl,
 * writer_sarif.c, writer_rdjsonl.c, writer_checkstyle.c, writer_github.c,
 * writer_gcc.c, writer_html.c) and the errors that some formats list after
 * the findings, kept in a spill until the end. */
#ifndef GOLEAK_WRITER_H
#define GOLEAK_WRITER_H

#include "alloc.h"
#include "goleak.h"

#include <stdio.h>

/* A buffered output: flush hands the bytes on (to the user's callback, the
 * memory output, or the spill file). */
typedef struct wout {
    char buf[1 << 14];
    size_t len;
    int (*flush)(struct wout *o, const char *p, size_t n); /* 0, or -1 */
    void *ctx;
    int failed; /* a flush failed: nothing more is written */
} wout;

void wout_write(wout *o, const char *s, size_t n);
void wout_str(wout *o, const char *s);
void wout_char(wout *o, char c);
void wout_uint(wout *o, unsigned long v);
/* Flushes what is buffered; 0, or -1 when this or an earlier flush failed. */
int wout_flush(wout *o);

/* s as a JSON string (escapes; U+FFFD for bytes that are not UTF-8). */
void wout_json_string(wout *o, const char *s);
/* "key": */
void wout_json_key(wout *o, const char *key);
/* path as a URI reference: bytes outside RFC 3986's unreserved set and '/'
 * percent-encoded. */
void wout_uri(wout *o, const char *path);

/* An error or warning of the run. */
typedef struct writer_error {
    const char *path, *message;
    uint32_t line, column;
    int warning;
} writer_error;

/* One output format: its opening, each finding, an error (into the spill,
 * after a comma when it is not the first) and its closing, where the
 * spilled errors go (writer_copy_spill). NULL: nothing to write. */
typedef struct writer_format {
    const char *name;
    void (*begin)(goleak_writer *w, wout *o);
    void (*finding)(goleak_writer *w, wout *o, const goleak_finding *f);
    void (*error)(goleak_writer *w, wout *spill, const writer_error *e);
    void (*finish)(goleak_writer *w, wout *o, int execution_ok);
    void (*free)(goleak_writer *w); /* frees w->state; NULL: none */
} writer_format;

extern const writer_format writer_text, writer_jsonl, writer_json, writer_sarif, writer_rdjsonl,
    writer_checkstyle, writer_github, writer_gcc, writer_html;

struct goleak_writer {
    const goleak_allocator *alloc;
    goleak_allocator alloc_copy;
    const writer_format *fmt;
    const goleak_engine *engine;
    goleak_write_fn write;
    void *user_data;
    wout out;
    struct {
        char *data;
        size_t len, cap;
    } mem; /* the output, without a callback */
    /* errors: written as they come into a temporary file (memory does not
     * grow with them; a memory buffer when no file can be made) */
    wout *spill;
    FILE *spill_fp;
    struct {
        char *data;
        size_t len, cap;
    } spill_mem;
    size_t nfindings;     /* findings written so far: a separator before the next */
    size_t by_kind[2][3]; /* ... by kind of file (1: _test.go) and severity */
    size_t nfiles, nerrors;
    int oom, finished;
    void *state; /* the format's own (writer_format.free frees it) */
};

/* Copies the spilled errors into o (where the format lists them). */
void writer_copy_spill(goleak_writer *w, wout *o);

/* The SARIF level of a severity. */
const char *writer_sarif_level(int severity);

/* s with its control characters (and DEL), tabs excepted, as \xHH: no path
 * or message can then forge a line of its own or drive a terminal. */
void wout_text_escaped(wout *o, const char *s);

/* "path:line:col: " of finding f, the path escaped as wout_text_escaped:
 * the head of the line-oriented formats (text, gcc). */
void wout_text_position(wout *o, const goleak_finding *f);

/* Allocation with the writer's allocator; a failure marks it out of memory. */
void *writer_alloc(goleak_writer *w, size_t n);

/* s with XML's five special characters as entities, control characters
 * other than tab and newline (which XML 1.0 forbids) and bytes that are not
 * UTF-8 as U+FFFD: for XML attributes and HTML text alike. */
void wout_xml_text(wout *o, const char *s);
/* The same for len bytes at s (s is NUL-terminated after them or later). */
void wout_xml_text_n(wout *o, const char *s, size_t len);

/* The length of a well-formed UTF-8 sequence at p, or 0. */
int writer_utf8_seq(const unsigned char *p);

#endif
