/* Buffered output for the goleak command. */
#include "cli.h"

#include <string.h>

void out_init(outbuf *o, FILE *fp) {
    o->fp = fp;
    o->len = 0;
}

void out_flush(outbuf *o) {
    if (o->len) fwrite(o->buf, 1, o->len, o->fp);
    o->len = 0;
    fflush(o->fp);
}

void out_write(outbuf *o, const char *s, size_t n) {
    if (o->len + n > sizeof o->buf) {
        out_flush(o);
        if (n > sizeof o->buf) {
            fwrite(s, 1, n, o->fp);
            return;
        }
    }
    memcpy(o->buf + o->len, s, n);
    o->len += n;
}

void out_str(outbuf *o, const char *s) {
    out_write(o, s, strlen(s));
}

void out_char(outbuf *o, char c) {
    if (o->len == sizeof o->buf) out_flush(o);
    o->buf[o->len++] = c;
}

void out_uint(outbuf *o, unsigned long v) {
    char tmp[24];
    size_t n = 0;
    do {
        tmp[n++] = (char)('0' + v % 10);
        v /= 10;
    } while (v);
    char rev[24];
    for (size_t k = 0; k < n; k++) rev[k] = tmp[n - 1 - k];
    out_write(o, rev, n);
}

void out_escaped(outbuf *o, const char *s, size_t n) {
    static const char hex[] = "0123456789abcdef";
    size_t start = 0;
    for (size_t k = 0; k < n; k++) {
        unsigned char c = (unsigned char)s[k];
        if (c >= 0x20 && c != 0x7f && c != '\\') continue;
        out_write(o, s + start, k - start);
        start = k + 1;
        switch (c) {
        case '\\': out_write(o, "\\\\", 2); break;
        case '\n': out_write(o, "\\n", 2); break;
        case '\r': out_write(o, "\\r", 2); break;
        case '\t': out_write(o, "\\t", 2); break;
        default: {
            char e[4] = {'\\', 'x', hex[c >> 4], hex[c & 15]};
            out_write(o, e, 4);
        }
        }
    }
    out_write(o, s + start, n - start);
}

static int is_control(unsigned char c) {
    return (c < 0x20 && c != '\t') || c == 0x7f;
}

void out_text(outbuf *o, const char *s) {
    static const char hex[] = "0123456789abcdef";
    const char *start = s;
    for (; *s; s++) {
        unsigned char c = (unsigned char)*s;
        if (!is_control(c)) continue;
        out_write(o, start, (size_t)(s - start));
        char e[4] = {'\\', 'x', hex[c >> 4], hex[c & 15]};
        out_write(o, e, 4);
        start = s + 1;
    }
    out_write(o, start, (size_t)(s - start));
}

void fput_text(FILE *fp, const char *s) {
    const char *start = s;
    for (; *s; s++) {
        unsigned char c = (unsigned char)*s;
        if (!is_control(c)) continue;
        fwrite(start, 1, (size_t)(s - start), fp);
        fprintf(fp, "\\x%02x", c);
        start = s + 1;
    }
    fwrite(start, 1, (size_t)(s - start), fp);
}

void print_diagnostics(const goleak_unit *u) {
    size_t n = goleak_unit_diagnostic_count(u);
    for (size_t i = 0; i < n; i++) {
        goleak_pos p = goleak_unit_diagnostic_pos(u, i);
        fput_text(stderr, goleak_unit_path(u) ? goleak_unit_path(u) : "-");
        fprintf(stderr, ":%u:%u: ", (unsigned)p.line, (unsigned)p.column);
        fput_text(stderr, goleak_unit_diagnostic_message(u, i));
        fputc('\n', stderr);
    }
}
