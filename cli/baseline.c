/* Baseline files: reading them (a small JSON reader that knows this one
 * shape and skips keys it does not know), matching findings by
 * fingerprint, and writing them sorted, one finding a line, so that their
 * diffs show what was accepted or fixed. */
#include "baseline.h"

#include <errno.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#define BASELINE_VERSION 1

static char *dup(const char *s) {
    size_t n = strlen(s) + 1;
    char *d = malloc(n);
    if (d) memcpy(d, s, n);
    return d;
}

const char *baseline_path(const char *path) {
    while (path[0] == '.' && path[1] == '/') path += 2;
    return path;
}

/* ---- reading JSON ---- */

typedef struct reader {
    const char *s;
    size_t n, pos;
    const char *file;
    char *err;
    size_t errlen;
    int failed;
} reader;

static void fail(reader *r, const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 2, 3)))
#endif
    ;

static void fail(reader *r, const char *fmt, ...) {
    if (r->failed) return;
    r->failed = 1;
    unsigned line = 1, col = 1;
    for (size_t k = 0; k < r->pos && k < r->n; k++) {
        if (r->s[k] == '\n') {
            line++;
            col = 1;
        } else {
            col++;
        }
    }
    int off = snprintf(r->err, r->errlen, "%s:%u:%u: ", r->file, line, col);
    va_list ap;
    va_start(ap, fmt);
    if (off >= 0 && (size_t)off < r->errlen)
        vsnprintf(r->err + off, r->errlen - (size_t)off, fmt, ap);
    va_end(ap);
}

static void blanks(reader *r) {
    while (r->pos < r->n && (r->s[r->pos] == ' ' || r->s[r->pos] == '\t' || r->s[r->pos] == '\n' ||
                             r->s[r->pos] == '\r'))
        r->pos++;
}

static int peek(reader *r) {
    blanks(r);
    return r->pos < r->n ? (unsigned char)r->s[r->pos] : -1;
}

static int expect(reader *r, char c) {
    if (peek(r) != c) {
        fail(r, "expected '%c'", c);
        return -1;
    }
    r->pos++;
    return 0;
}

static int hex4(reader *r, unsigned *v) {
    *v = 0;
    for (int k = 0; k < 4; k++, r->pos++) {
        char c = r->pos < r->n ? r->s[r->pos] : 0;
        int d = c >= '0' && c <= '9'   ? c - '0'
                : c >= 'a' && c <= 'f' ? c - 'a' + 10
                : c >= 'A' && c <= 'F' ? c - 'A' + 10
                                       : -1;
        if (d < 0) return -1;
        *v = *v * 16 + (unsigned)d;
    }
    return 0;
}

static size_t put_utf8(char *o, unsigned cp) {
    if (cp < 0x80) {
        o[0] = (char)cp;
        return 1;
    }
    if (cp < 0x800) {
        o[0] = (char)(0xC0 | cp >> 6);
        o[1] = (char)(0x80 | (cp & 63));
        return 2;
    }
    if (cp < 0x10000) {
        o[0] = (char)(0xE0 | cp >> 12);
        o[1] = (char)(0x80 | ((cp >> 6) & 63));
        o[2] = (char)(0x80 | (cp & 63));
        return 3;
    }
    o[0] = (char)(0xF0 | cp >> 18);
    o[1] = (char)(0x80 | ((cp >> 12) & 63));
    o[2] = (char)(0x80 | ((cp >> 6) & 63));
    o[3] = (char)(0x80 | (cp & 63));
    return 4;
}

/* A JSON string, decoded (caller frees); NULL on error. */
static char *string(reader *r) {
    if (expect(r, '"')) return NULL;
    size_t start = r->pos;
    char *out = malloc(r->n - start + 1), *w = out; /* never longer than its source */
    if (!out) {
        fail(r, "out of memory");
        return NULL;
    }
    while (r->pos < r->n && r->s[r->pos] != '"') {
        char c = r->s[r->pos++];
        if ((unsigned char)c < 0x20) {
            r->pos--;
            fail(r, "control character in a string");
            free(out);
            return NULL;
        }
        if (c != '\\') {
            *w++ = c;
            continue;
        }
        char e = r->pos < r->n ? r->s[r->pos++] : 0;
        unsigned cp;
        switch (e) {
        case '"':
        case '\\':
        case '/': *w++ = e; break;
        case 'b': *w++ = '\b'; break;
        case 'f': *w++ = '\f'; break;
        case 'n': *w++ = '\n'; break;
        case 'r': *w++ = '\r'; break;
        case 't': *w++ = '\t'; break;
        case 'u':
            if (hex4(r, &cp)) {
                fail(r, "bad \\u escape");
                free(out);
                return NULL;
            }
            if (cp >= 0xD800 && cp < 0xDC00 && r->pos + 1 < r->n && r->s[r->pos] == '\\' &&
                r->s[r->pos + 1] == 'u') {
                unsigned lo;
                r->pos += 2;
                if (hex4(r, &lo) || lo < 0xDC00 || lo > 0xDFFF) {
                    fail(r, "bad surrogate pair");
                    free(out);
                    return NULL;
                }
                cp = 0x10000 + ((cp - 0xD800) << 10) + (lo - 0xDC00);
            }
            w += put_utf8(w, cp);
            break;
        default:
            fail(r, "bad escape");
            free(out);
            return NULL;
        }
    }
    if (r->pos >= r->n) {
        fail(r, "unterminated string");
        free(out);
        return NULL;
    }
    r->pos++;
    *w = 0;
    return out;
}

/* Skips a value of any kind (nesting bounded). 0 or -1. */
static int skip_value(reader *r, int depth) {
    int c = peek(r);
    if (depth > 64) {
        fail(r, "nested too deeply");
        return -1;
    }
    if (c == '"') {
        char *s = string(r);
        free(s);
        return s ? 0 : -1;
    }
    if (c == '{' || c == '[') {
        char close = c == '{' ? '}' : ']';
        r->pos++;
        if (peek(r) == close) {
            r->pos++;
            return 0;
        }
        for (;;) {
            if (c == '{') {
                char *k = string(r);
                free(k);
                if (!k || expect(r, ':')) return -1;
            }
            if (skip_value(r, depth + 1)) return -1;
            if (peek(r) == ',') {
                r->pos++;
                continue;
            }
            return expect(r, close);
        }
    }
    size_t start = r->pos;
    while (r->pos < r->n && strchr("+-.0123456789eEtruefalsn", r->s[r->pos])) r->pos++;
    if (r->pos == start) {
        fail(r, "expected a value");
        return -1;
    }
    return 0;
}

static int add_entry(baseline *b, baseline_entry e) {
    if (b->len == b->cap) {
        size_t ncap = b->cap ? b->cap * 2 : 64;
        baseline_entry *p = realloc(b->items, ncap * sizeof *p);
        if (!p) return -1;
        b->items = p;
        b->cap = ncap;
    }
    b->items[b->len++] = e;
    return 0;
}

static void entry_free(baseline_entry *e) {
    free(e->file);
    free(e->rule);
    free(e->symbol);
    free(e->fingerprint);
}

/* One entry of "findings". */
static int read_entry(reader *r, baseline *b) {
    baseline_entry e;
    memset(&e, 0, sizeof e);
    size_t at = r->pos;
    if (expect(r, '{')) return -1;
    if (peek(r) != '}') {
        for (;;) {
            char *key = string(r);
            if (!key || expect(r, ':')) {
                free(key);
                entry_free(&e);
                return -1;
            }
            char **slot = strcmp(key, "file") == 0          ? &e.file
                          : strcmp(key, "rule") == 0        ? &e.rule
                          : strcmp(key, "symbol") == 0      ? &e.symbol
                          : strcmp(key, "fingerprint") == 0 ? &e.fingerprint
                                                            : NULL;
            free(key);
            if (slot) {
                free(*slot);
                if (!(*slot = string(r))) {
                    entry_free(&e);
                    return -1;
                }
            } else if (skip_value(r, 1)) {
                entry_free(&e);
                return -1;
            }
            if (peek(r) != ',') break;
            r->pos++;
        }
    }
    if (expect(r, '}')) {
        entry_free(&e);
        return -1;
    }
    if (!e.file || !e.fingerprint) {
        r->pos = at;
        fail(r, "an entry needs \"file\" and \"fingerprint\"");
        entry_free(&e);
        return -1;
    }
    if (add_entry(b, e)) {
        fail(r, "out of memory");
        entry_free(&e);
        return -1;
    }
    return 0;
}

static int parse(reader *r, baseline *b) {
    int version = 0;
    if (expect(r, '{')) return -1;
    if (peek(r) != '}') {
        for (;;) {
            size_t at = r->pos;
            char *key = string(r);
            if (!key || expect(r, ':')) {
                free(key);
                return -1;
            }
            if (strcmp(key, "goleak_baseline") == 0) {
                blanks(r);
                char *end;
                long v = strtol(r->s + r->pos, &end, 10);
                if (end == r->s + r->pos || v != BASELINE_VERSION) {
                    r->pos = at;
                    fail(r, "not a version %d baseline (\"goleak_baseline\": %d)", BASELINE_VERSION,
                         BASELINE_VERSION);
                    free(key);
                    return -1;
                }
                version = 1;
                r->pos = (size_t)(end - r->s);
            } else if (strcmp(key, "findings") == 0) {
                if (expect(r, '[')) {
                    free(key);
                    return -1;
                }
                if (peek(r) != ']') {
                    for (;;) {
                        if (read_entry(r, b)) {
                            free(key);
                            return -1;
                        }
                        if (peek(r) != ',') break;
                        r->pos++;
                    }
                }
                if (expect(r, ']')) {
                    free(key);
                    return -1;
                }
            } else if (skip_value(r, 1)) {
                free(key);
                return -1;
            }
            free(key);
            if (peek(r) != ',') break;
            r->pos++;
        }
    }
    if (expect(r, '}')) return -1;
    if (peek(r) != -1) {
        fail(r, "text after the baseline's object");
        return -1;
    }
    if (!version) {
        r->pos = 0;
        fail(r, "not a goleak baseline (no \"goleak_baseline\" key)");
        return -1;
    }
    return 0;
}

static int by_fingerprint(const void *a, const void *b) {
    return strcmp(((const baseline_entry *)a)->fingerprint,
                  ((const baseline_entry *)b)->fingerprint);
}

int baseline_read(baseline *b, const char *path, char *err, size_t errlen) {
    memset(b, 0, sizeof *b);
    FILE *fp = fopen(path, "rb");
    if (!fp) {
        snprintf(err, errlen, "%s: %s", path, strerror(errno));
        return -1;
    }
    char *text = NULL;
    size_t len = 0, cap = 0, got;
    char chunk[1 << 14];
    while ((got = fread(chunk, 1, sizeof chunk, fp)) > 0) {
        if (len + got > cap) {
            size_t ncap = cap ? cap * 2 : sizeof chunk;
            while (ncap < len + got) ncap *= 2;
            char *t = realloc(text, ncap);
            if (!t) {
                free(text);
                fclose(fp);
                snprintf(err, errlen, "%s: out of memory", path);
                return -1;
            }
            text = t;
            cap = ncap;
        }
        memcpy(text + len, chunk, got);
        len += got;
    }
    int bad = ferror(fp);
    fclose(fp);
    if (bad) {
        free(text);
        snprintf(err, errlen, "%s: read error", path);
        return -1;
    }
    reader r = {text ? text : "", len, 0, path, err, errlen, 0};
    int rc = parse(&r, b);
    free(text);
    if (rc) {
        baseline_free(b);
        return -1;
    }
    if (b->len > 1) qsort(b->items, b->len, sizeof *b->items, by_fingerprint);
    return 0;
}

int baseline_match(baseline *b, const goleak_finding *f) {
    const char *fp = goleak_finding_fingerprint(f);
    size_t lo = 0, hi = b->len;
    while (lo < hi) { /* the first entry not below fp */
        size_t mid = lo + (hi - lo) / 2;
        if (strcmp(b->items[mid].fingerprint, fp) < 0)
            lo = mid + 1;
        else
            hi = mid;
    }
    for (; lo < b->len && strcmp(b->items[lo].fingerprint, fp) == 0; lo++) {
        if (b->items[lo].used) continue;
        b->items[lo].used = 1;
        b->suppressed++;
        return 1;
    }
    return 0;
}

int baseline_add(baseline *b, const goleak_finding *f) {
    baseline_entry e;
    memset(&e, 0, sizeof e);
    e.file = dup(baseline_path(goleak_finding_path(f)));
    e.rule = dup(goleak_finding_rule_id(f));
    e.symbol = dup(goleak_finding_symbol(f));
    e.fingerprint = dup(goleak_finding_fingerprint(f));
    if (!e.file || !e.rule || !e.symbol || !e.fingerprint || add_entry(b, e)) {
        entry_free(&e);
        return -1;
    }
    return 0;
}

/* Sorted by file, rule, symbol, then fingerprint: entries stay put when
 * lines move, and one file's are together. */
static int for_humans(const void *a, const void *b) {
    const baseline_entry *x = a, *y = b;
    int c = strcmp(x->file, y->file);
    if (!c) c = strcmp(x->rule ? x->rule : "", y->rule ? y->rule : "");
    if (!c) c = strcmp(x->symbol ? x->symbol : "", y->symbol ? y->symbol : "");
    if (!c) c = strcmp(x->fingerprint, y->fingerprint);
    return c;
}

static void json_field(FILE *fp, const char *key, const char *value, int comma) {
    size_t n = goleak_json_quote(NULL, 0, value);
    char small[256];
    char *q = n < sizeof small ? small : malloc(n + 1);
    if (!q) return;
    goleak_json_quote(q, n + 1, value);
    fprintf(fp, "%s\"%s\": %s", comma ? ", " : "", key, q);
    if (q != small) free(q);
}

int baseline_write(baseline *b, const char *path, char *err, size_t errlen) {
    if (b->len > 1) qsort(b->items, b->len, sizeof *b->items, for_humans);
    size_t n = strlen(path);
    char *tmp = malloc(n + 16);
    if (!tmp) {
        snprintf(err, errlen, "out of memory");
        return -1;
    }
    snprintf(tmp, n + 16, "%s.tmp", path);
    FILE *fp = fopen(tmp, "w");
    if (!fp) {
        snprintf(err, errlen, "%s: %s", tmp, strerror(errno));
        free(tmp);
        return -1;
    }
    fprintf(fp, "{\n  \"goleak_baseline\": %d,\n  \"findings\": [", BASELINE_VERSION);
    for (size_t k = 0; k < b->len; k++) {
        const baseline_entry *e = &b->items[k];
        fputs(k ? ",\n    {" : "\n    {", fp);
        json_field(fp, "file", e->file, 0);
        json_field(fp, "rule", e->rule, 1);
        json_field(fp, "symbol", e->symbol, 1);
        json_field(fp, "fingerprint", e->fingerprint, 1);
        fputc('}', fp);
    }
    fputs(b->len ? "\n  ]\n}\n" : "]\n}\n", fp);
    int bad = ferror(fp);
    if (fclose(fp) != 0) bad = 1;
    if (bad || rename(tmp, path) != 0) {
        snprintf(err, errlen, "%s: %s", path, bad ? "write error" : strerror(errno));
        remove(tmp);
        free(tmp);
        return -1;
    }
    free(tmp);
    return 0;
}

void baseline_free(baseline *b) {
    for (size_t k = 0; k < b->len; k++) entry_free(&b->items[k]);
    free(b->items);
    memset(b, 0, sizeof *b);
}
