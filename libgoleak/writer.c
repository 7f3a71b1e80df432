/* The findings writer of the public API: options, the buffered output and
 * its sinks, the spill of errors, and the calls that drive a format. */
#include "writer.h"

#include "error.h"

#include <string.h>

/* In the order of enum goleak_formats: a new format is one file and one entry. */
static const writer_format *const formats[] = {&writer_text,   &writer_jsonl,   &writer_json,
                                               &writer_sarif,  &writer_rdjsonl, &writer_checkstyle,
                                               &writer_github, &writer_gcc,     &writer_html};
enum { NFORMATS = sizeof formats / sizeof *formats };

GOLEAK_API int goleak_format_count(void) {
    return NFORMATS;
}

GOLEAK_API const char *goleak_format_name(int format) {
    return format >= 0 && format < NFORMATS ? formats[format]->name : NULL;
}

GOLEAK_API int goleak_format_find(const char *name) {
    for (int k = 0; name && k < NFORMATS; k++)
        if (strcmp(formats[k]->name, name) == 0) return k;
    return -1;
}

GOLEAK_API goleak_status goleak_writer_options_init(goleak_writer_options *o,
                                                    unsigned int version) {
    if (!o || version != GOLEAK_WRITER_OPTIONS_VERSION) return GOLEAK_EINVAL;
    goleak_writer_options init = GOLEAK_WRITER_OPTIONS_INIT;
    *o = init;
    return 0;
}

/* ---- buffered output ---- */

int wout_flush(wout *o) {
    if (o->len && !o->failed && o->flush(o, o->buf, o->len)) o->failed = 1;
    o->len = 0;
    return o->failed ? -1 : 0;
}

void wout_write(wout *o, const char *s, size_t n) {
    if (o->len + n > sizeof o->buf) {
        wout_flush(o);
        if (n > sizeof o->buf) {
            if (!o->failed && o->flush(o, s, n)) o->failed = 1;
            return;
        }
    }
    memcpy(o->buf + o->len, s, n);
    o->len += n;
}

void wout_str(wout *o, const char *s) {
    wout_write(o, s, strlen(s));
}

void wout_char(wout *o, char c) {
    if (o->len == sizeof o->buf) wout_flush(o);
    o->buf[o->len++] = c;
}

void wout_uint(wout *o, unsigned long v) {
    char tmp[24];
    size_t n = sizeof tmp;
    do {
        tmp[--n] = (char)('0' + v % 10);
        v /= 10;
    } while (v);
    wout_write(o, tmp + n, sizeof tmp - n);
}

void wout_text_escaped(wout *o, const char *s) {
    static const char hex[] = "0123456789abcdef";
    const char *start = s;
    for (; *s; s++) {
        unsigned char c = (unsigned char)*s;
        if (!((c < 0x20 && c != '\t') || c == 0x7f)) continue;
        wout_write(o, start, (size_t)(s - start));
        char e[4] = {'\\', 'x', hex[c >> 4], hex[c & 15]};
        wout_write(o, e, 4);
        start = s + 1;
    }
    wout_write(o, start, (size_t)(s - start));
}

void wout_text_position(wout *o, const goleak_finding *f) {
    goleak_span sp = goleak_finding_span(f);
    wout_text_escaped(o, goleak_finding_path(f));
    wout_char(o, ':');
    wout_uint(o, sp.start.line);
    wout_char(o, ':');
    wout_uint(o, sp.start.column);
    wout_str(o, ": ");
}

void wout_xml_text(wout *o, const char *s) {
    wout_xml_text_n(o, s, strlen(s));
}

void wout_xml_text_n(wout *o, const char *s, size_t len) {
    const unsigned char *p = (const unsigned char *)s, *end = p + len;
    while (p < end) {
        const unsigned char *run = p;
        while (p < end && *p >= 0x20 && *p < 0x80 && *p != '&' && *p != '<' && *p != '>' &&
               *p != '"' && *p != '\'' && *p != 0x7f)
            p++;
        if (p > run) wout_write(o, (const char *)run, (size_t)(p - run));
        if (p == end) break;
        unsigned char c = *p;
        switch (c) {
        case '&': wout_str(o, "&amp;"); break;
        case '<': wout_str(o, "&lt;"); break;
        case '>': wout_str(o, "&gt;"); break;
        case '"': wout_str(o, "&quot;"); break;
        case '\'': wout_str(o, "&#39;"); break;
        case '\t': wout_str(o, "&#9;"); break;
        case '\n': wout_str(o, "&#10;"); break;
        default:
            if (c >= 0x80) {
                int n = writer_utf8_seq(p);
                if (n && n <= end - p) {
                    wout_write(o, (const char *)p, (size_t)n);
                    p += n;
                    continue;
                }
            }
            wout_str(o, "\xEF\xBF\xBD"); /* a control character or a stray byte */
        }
        p++;
    }
}

/* Appends to a growable memory buffer of the writer. */
static int mem_append(goleak_writer *w, char **data, size_t *len, size_t *cap, const char *p,
                      size_t n) {
    if (*len + n + 1 > *cap) {
        size_t ncap = *cap ? *cap : 4096;
        while (ncap < *len + n + 1) ncap *= 2;
        char *d = gl_realloc(w->alloc, *data, ncap);
        if (!d) {
            w->oom = 1;
            return -1;
        }
        *data = d;
        *cap = ncap;
    }
    memcpy(*data + *len, p, n);
    *len += n;
    (*data)[*len] = 0;
    return 0;
}

static int flush_user(wout *o, const char *p, size_t n) {
    goleak_writer *w = o->ctx;
    return w->write(p, n, w->user_data) ? -1 : 0;
}

static int flush_memory(wout *o, const char *p, size_t n) {
    goleak_writer *w = o->ctx;
    return mem_append(w, &w->mem.data, &w->mem.len, &w->mem.cap, p, n);
}

static int flush_spill(wout *o, const char *p, size_t n) {
    goleak_writer *w = o->ctx;
    if (w->spill_fp) return fwrite(p, 1, n, w->spill_fp) == n ? 0 : -1;
    return mem_append(w, &w->spill_mem.data, &w->spill_mem.len, &w->spill_mem.cap, p, n);
}

void writer_copy_spill(goleak_writer *w, wout *o) {
    if (!w->spill) return;
    if (wout_flush(w->spill)) {
        o->failed = 1;
        return;
    }
    if (!w->spill_fp) {
        wout_write(o, w->spill_mem.data ? w->spill_mem.data : "", w->spill_mem.len);
        return;
    }
    if (fseek(w->spill_fp, 0, SEEK_SET) != 0) {
        o->failed = 1;
        return;
    }
    char chunk[1 << 14];
    size_t n;
    while ((n = fread(chunk, 1, sizeof chunk, w->spill_fp)) > 0) wout_write(o, chunk, n);
    if (ferror(w->spill_fp)) o->failed = 1;
}

/* ---- the writer ---- */

/* The status of a writer after a call: out of memory, a failed write, or 0. */
static goleak_status status_of(const goleak_writer *w) {
    if (w->oom) return GOLEAK_ENOMEM;
    if (w->out.failed || (w->spill && w->spill->failed)) return GOLEAK_EIO;
    return 0;
}

GOLEAK_API goleak_status goleak_writer_new(goleak_writer **out, const goleak_writer_options *o,
                                           goleak_error *err) {
    if (out) *out = NULL;
    if (!out || !o)
        return error_set(err, GOLEAK_EINVAL, NULL, 0, 0, 0, "goleak_writer_new: NULL argument");
    if (o->version != GOLEAK_WRITER_OPTIONS_VERSION)
        return error_set(err, GOLEAK_EINVAL, NULL, 0, 0, 0,
                         "goleak_writer_new: unknown goleak_writer_options version %u", o->version);
    if (o->format < 0 || o->format >= NFORMATS)
        return error_set(err, GOLEAK_EINVAL, NULL, 0, 0, 0, "goleak_writer_new: unknown format %d",
                         o->format);
    const goleak_allocator *a = alloc_pick(o->allocator);
    goleak_writer *w = gl_calloc(a, sizeof *w);
    if (!w) return error_set(err, GOLEAK_ENOMEM, NULL, 0, 0, 0, "out of memory");
    w->alloc_copy = *a;
    w->alloc = &w->alloc_copy;
    w->fmt = formats[o->format];
    w->engine = o->engine;
    w->write = o->write;
    w->user_data = o->user_data;
    w->out.flush = o->write ? flush_user : flush_memory;
    w->out.ctx = w;
    if (w->fmt->begin) w->fmt->begin(w, &w->out);
    goleak_status rc = o->write ? (wout_flush(&w->out) ? GOLEAK_EIO : 0) : status_of(w);
    if (rc) {
        goleak_writer_free(w);
        return error_set(err, rc, NULL, 0, 0, 0,
                         rc == GOLEAK_ENOMEM ? "out of memory" : "the output could not be written");
    }
    *out = w;
    return 0;
}

/* Whether path names a test file (ends in _test.go). */
static int test_file(const char *path) {
    size_t n = strlen(path);
    return n >= 8 && strcmp(path + n - 8, "_test.go") == 0;
}

/* Writes one finding and counts it. */
static void write_finding(goleak_writer *w, const goleak_finding *f) {
    w->fmt->finding(w, &w->out, f);
    w->nfindings++;
    int sev = goleak_finding_severity(f);
    if (sev >= GOLEAK_SEVERITY_INFO && sev <= GOLEAK_SEVERITY_ERROR)
        w->by_kind[test_file(goleak_finding_path(f))][sev]++;
}

GOLEAK_API goleak_status goleak_writer_add_findings(goleak_writer *w, const goleak_findings *fs) {
    if (!w || w->finished) return GOLEAK_EINVAL;
    w->nfiles++;
    size_t n = goleak_findings_count(fs);
    for (size_t k = 0; k < n; k++) write_finding(w, goleak_findings_get(fs, k));
    return status_of(w);
}

GOLEAK_API goleak_status goleak_writer_add_finding(goleak_writer *w, const goleak_finding *f) {
    if (!w || w->finished || !f) return GOLEAK_EINVAL;
    write_finding(w, f);
    return status_of(w);
}

GOLEAK_API size_t goleak_writer_count(const goleak_writer *w, int test_files, int severity) {
    size_t n = 0;
    for (int t = 0; w && t < 2; t++)
        for (int s = 0; s < 3; s++)
            if ((test_files < 0 || test_files == t) && (severity < 0 || severity == s))
                n += w->by_kind[t][s];
    return n;
}

void *writer_alloc(goleak_writer *w, size_t n) {
    void *p = gl_calloc(w->alloc, n);
    if (!p) w->oom = 1;
    return p;
}

GOLEAK_API goleak_status goleak_writer_add_error(goleak_writer *w, const char *path, uint32_t line,
                                                 uint32_t column, int severity,
                                                 const char *message) {
    if (!w || w->finished || !path || !message) return GOLEAK_EINVAL;
    if (!w->fmt->error) {
        w->nerrors++;
        return status_of(w);
    }
    if (!w->spill) {
        w->spill = gl_calloc(w->alloc, sizeof *w->spill);
        if (!w->spill) {
            w->oom = 1;
            return GOLEAK_ENOMEM;
        }
        w->spill->flush = flush_spill;
        w->spill->ctx = w;
        w->spill_fp = tmpfile();
    }
    writer_error e = {path, message, line, column, severity == GOLEAK_SEVERITY_WARNING};
    w->fmt->error(w, w->spill, &e);
    w->nerrors++;
    return status_of(w);
}

GOLEAK_API goleak_status goleak_writer_flush(goleak_writer *w) {
    if (!w) return GOLEAK_EINVAL;
    wout_flush(&w->out);
    return status_of(w);
}

GOLEAK_API goleak_status goleak_writer_finish(goleak_writer *w, int execution_successful) {
    if (!w || w->finished) return GOLEAK_EINVAL;
    w->finished = 1;
    if (w->fmt->finish) w->fmt->finish(w, &w->out, execution_successful);
    wout_flush(&w->out);
    return status_of(w);
}

GOLEAK_API const char *goleak_writer_output(goleak_writer *w, size_t *len) {
    if (len) *len = 0;
    if (!w || w->write) return NULL;
    /* what is still buffered is part of the output */
    wout_flush(&w->out);
    if (len) *len = w->mem.len;
    return w->mem.data ? w->mem.data : "";
}

GOLEAK_API void goleak_writer_free(goleak_writer *w) {
    if (!w) return;
    if (w->fmt->free) w->fmt->free(w);
    if (w->spill_fp) fclose(w->spill_fp);
    gl_free(w->alloc, w->spill);
    gl_free(w->alloc, w->spill_mem.data);
    gl_free(w->alloc, w->mem.data);
    goleak_allocator copy = *w->alloc;
    gl_free(&copy, w);
}
