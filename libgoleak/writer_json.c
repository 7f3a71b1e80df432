/* JSON output: strings and URIs as the writers encode them, and the jsonl
 * and json formats. */
#include "writer.h"

#include <string.h>

int writer_utf8_seq(const unsigned char *p) {
    unsigned char c = p[0];
    int n = c >= 0xF0 && c <= 0xF4   ? 4
            : c >= 0xE0 && c <= 0xEF ? 3
            : c >= 0xC2 && c <= 0xDF ? 2
                                     : 0;
    for (int k = 1; k < n; k++)
        if ((p[k] & 0xC0) != 0x80) return 0; /* also stops at the NUL */
    if (n == 3 && ((c == 0xE0 && p[1] < 0xA0) || (c == 0xED && p[1] > 0x9F))) return 0;
    if (n == 4 && ((c == 0xF0 && p[1] < 0x90) || (c == 0xF4 && p[1] > 0x8F))) return 0;
    return n;
}

/* Calls put(ctx, bytes, n) with s encoded as a JSON string, quotes
 * included: the one encoder of the writers and goleak_json_quote. */
static void json_encode(const char *s, void (*put)(void *ctx, const char *p, size_t n), void *ctx) {
    static const char hex[] = "0123456789abcdef";
    put(ctx, "\"", 1);
    const unsigned char *p = (const unsigned char *)s;
    while (*p) {
        const unsigned char *run = p; /* bytes copied as they are */
        while (*p >= 0x20 && *p < 0x80 && *p != '"' && *p != '\\') p++;
        if (p > run) put(ctx, (const char *)run, (size_t)(p - run));
        unsigned char c = *p;
        if (!c) break;
        if (c == '"' || c == '\\') {
            char e[2] = {'\\', (char)c};
            put(ctx, e, 2);
            p++;
        } else if (c < 0x20) {
            char e[6] = {'\\', 'u', '0', '0', hex[c >> 4], hex[c & 15]};
            if (c == '\n' || c == '\t' || c == '\r') {
                e[1] = c == '\n' ? 'n' : c == '\t' ? 't' : 'r';
                put(ctx, e, 2);
            } else {
                put(ctx, e, 6);
            }
            p++;
        } else {
            int n = writer_utf8_seq(p);
            if (n) {
                put(ctx, (const char *)p, (size_t)n);
                p += n;
            } else {
                put(ctx, "\xEF\xBF\xBD", 3);
                p++;
            }
        }
    }
    put(ctx, "\"", 1);
}

static void put_wout(void *ctx, const char *p, size_t n) {
    wout_write(ctx, p, n);
}

void wout_json_string(wout *o, const char *s) {
    json_encode(s, put_wout, o);
}

typedef struct quote_buf {
    char *buf;
    size_t size, len;
} quote_buf;

static void put_buf(void *ctx, const char *p, size_t n) {
    quote_buf *q = ctx;
    if (q->len < q->size) {
        size_t room = q->size - q->len;
        memcpy(q->buf + q->len, p, n < room ? n : room);
    }
    q->len += n;
}

GOLEAK_API size_t goleak_json_quote(char *buf, size_t size, const char *s) {
    quote_buf q = {buf, size, 0};
    json_encode(s ? s : "", put_buf, &q);
    if (size) buf[q.len < size ? q.len : size - 1] = 0;
    return q.len;
}

void wout_json_key(wout *o, const char *key) {
    wout_json_string(o, key);
    wout_char(o, ':');
}

void wout_uri(wout *o, const char *path) {
    static const char hex[] = "0123456789ABCDEF";
    wout_char(o, '"');
    for (const unsigned char *p = (const unsigned char *)path; *p; p++) {
        unsigned char c = *p;
        if ((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
            c == '-' || c == '.' || c == '_' || c == '~' || c == '/') {
            wout_char(o, (char)c);
        } else {
            char e[3] = {'%', hex[c >> 4], hex[c & 15]};
            wout_write(o, e, 3);
        }
    }
    wout_char(o, '"');
}

static void json_uint(wout *o, const char *key, unsigned long v) {
    wout_json_key(o, key);
    wout_uint(o, v);
}

/* A finding as the jsonl and json formats write it. */
static void finding_object(wout *o, const goleak_finding *f) {
    goleak_span sp = goleak_finding_span(f);
    wout_char(o, '{');
    wout_json_key(o, "file");
    wout_json_string(o, goleak_finding_path(f));
    wout_char(o, ',');
    json_uint(o, "line", sp.start.line);
    wout_char(o, ',');
    json_uint(o, "column", sp.start.column);
    wout_char(o, ',');
    json_uint(o, "end_line", sp.end.line);
    wout_char(o, ',');
    json_uint(o, "end_column", sp.end.column);
    wout_char(o, ',');
    json_uint(o, "offset", sp.start.offset);
    wout_char(o, ',');
    wout_json_key(o, "rule");
    wout_json_string(o, goleak_finding_rule_id(f));
    wout_char(o, ',');
    wout_json_key(o, "name");
    wout_json_string(o, goleak_finding_rule_name(f));
    wout_char(o, ',');
    wout_json_key(o, "severity");
    wout_json_string(o, goleak_severity_name(goleak_finding_severity(f)));
    wout_char(o, ',');
    wout_json_key(o, "message");
    wout_json_string(o, goleak_finding_message(f));
    wout_char(o, ',');
    wout_json_key(o, "symbol");
    wout_json_string(o, goleak_finding_symbol(f));
    wout_char(o, ',');
    wout_json_key(o, "fingerprint");
    wout_json_string(o, goleak_finding_fingerprint(f));
    wout_char(o, '}');
}

/* ---- jsonl ---- */

static void jsonl_finding(goleak_writer *w, wout *o, const goleak_finding *f) {
    (void)w;
    finding_object(o, f);
    wout_char(o, '\n');
}

const writer_format writer_jsonl = {"jsonl", NULL, jsonl_finding, NULL, NULL, NULL};

/* ---- json ---- */

static void json_begin(goleak_writer *w, wout *o) {
    (void)w;
    wout_str(o, "{\"tool\":\"goleak\",\"version\":");
    wout_json_string(o, goleak_version_string());
    wout_str(o, ",\"findings\":[");
}

static void json_finding(goleak_writer *w, wout *o, const goleak_finding *f) {
    if (w->nfindings) wout_char(o, ',');
    finding_object(o, f);
}

static void json_error(goleak_writer *w, wout *o, const writer_error *e) {
    if (w->nerrors) wout_char(o, ',');
    wout_str(o, "{\"file\":");
    wout_json_string(o, e->path);
    wout_char(o, ',');
    json_uint(o, "line", e->line);
    wout_char(o, ',');
    json_uint(o, "column", e->column);
    wout_str(o, ",\"level\":");
    wout_json_string(o, e->warning ? "warning" : "error");
    wout_str(o, ",\"message\":");
    wout_json_string(o, e->message);
    wout_char(o, '}');
}

static void json_finish(goleak_writer *w, wout *o, int execution_ok) {
    (void)execution_ok;
    wout_str(o, "],\"errors\":[");
    writer_copy_spill(w, o);
    wout_str(o, "],");
    json_uint(o, "files", w->nfiles);
    wout_str(o, "}\n");
}

const writer_format writer_json = {"json", json_begin, json_finding, json_error, json_finish, NULL};
