/* The Go lexer. It follows the Go specification and reproduces go/scanner's
 * observable behaviour: token kinds and spans, automatic semicolons (also
 * before comments), and recovery from errors. It reads the source through a
 * pointer and relies on the zero padding after it: a NUL byte is the only
 * place where the end of input has to be checked. */
#include "lexer.h"

#include "utf8.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>
/* SSE2 is part of x86-64; GOLEAK_NO_SIMD (cmake -DGOLEAK_SIMD=OFF) keeps
 * the byte-at-a-time loops, which the sanitizer build of the tests runs. */
#if defined(__SSE2__) && !defined(GOLEAK_NO_SIMD)
#define LEX_SSE2 1
#include <emmintrin.h>
#endif

/* byte_class[c]: the C_* bits of byte c. Generated from the definitions
 * above; tests/unit/test_lexer.c recomputes and checks every entry. */
const uint8_t lexer_byte_class[256] = {
    0x1e, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x1e, 0x00, 0x00, 0x10, 0x00, 0x00,
    0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
    0x00, 0x00, 0x02, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x08, 0x00, 0x00, 0x00, 0x00, 0x00,
    0x01, 0x01, 0x01, 0x01, 0x01, 0x01, 0x01, 0x01, 0x01, 0x01, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
    0x00, 0x01, 0x01, 0x01, 0x01, 0x01, 0x01, 0x01, 0x01, 0x01, 0x01, 0x01, 0x01, 0x01, 0x01, 0x01,
    0x01, 0x01, 0x01, 0x01, 0x01, 0x01, 0x01, 0x01, 0x01, 0x01, 0x01, 0x00, 0x02, 0x00, 0x00, 0x01,
    0x10, 0x01, 0x01, 0x01, 0x01, 0x01, 0x01, 0x01, 0x01, 0x01, 0x01, 0x01, 0x01, 0x01, 0x01, 0x01,
    0x01, 0x01, 0x01, 0x01, 0x01, 0x01, 0x01, 0x01, 0x01, 0x01, 0x01, 0x00, 0x00, 0x00, 0x00, 0x00,
    0x1e, 0x1e, 0x1e, 0x1e, 0x1e, 0x1e, 0x1e, 0x1e, 0x1e, 0x1e, 0x1e, 0x1e, 0x1e, 0x1e, 0x1e, 0x1e,
    0x1e, 0x1e, 0x1e, 0x1e, 0x1e, 0x1e, 0x1e, 0x1e, 0x1e, 0x1e, 0x1e, 0x1e, 0x1e, 0x1e, 0x1e, 0x1e,
    0x1e, 0x1e, 0x1e, 0x1e, 0x1e, 0x1e, 0x1e, 0x1e, 0x1e, 0x1e, 0x1e, 0x1e, 0x1e, 0x1e, 0x1e, 0x1e,
    0x1e, 0x1e, 0x1e, 0x1e, 0x1e, 0x1e, 0x1e, 0x1e, 0x1e, 0x1e, 0x1e, 0x1e, 0x1e, 0x1e, 0x1e, 0x1e,
    0x1e, 0x1e, 0x1e, 0x1e, 0x1e, 0x1e, 0x1e, 0x1e, 0x1e, 0x1e, 0x1e, 0x1e, 0x1e, 0x1e, 0x1e, 0x1e,
    0x1e, 0x1e, 0x1e, 0x1e, 0x1e, 0x1e, 0x1e, 0x1e, 0x1e, 0x1e, 0x1e, 0x1e, 0x1e, 0x1e, 0x1e, 0x1e,
    0x1e, 0x1e, 0x1e, 0x1e, 0x1e, 0x1e, 0x1e, 0x1e, 0x1e, 0x1e, 0x1e, 0x1e, 0x1e, 0x1e, 0x1e, 0x1e,
    0x1e, 0x1e, 0x1e, 0x1e, 0x1e, 0x1e, 0x1e, 0x1e, 0x1e, 0x1e, 0x1e, 0x1e, 0x1e, 0x1e, 0x1e, 0x1e,
};

/* Skips ASCII identifier bytes [A-Za-z0-9_] from q. With SSE2, 16 bytes at
 * a time, so that an identifier's end costs no mispredicted loop exit;
 * reading ahead is safe: a run of identifier bytes ends at the latest on
 * the source's zero padding, which is 16 bytes long. */
static inline const uint8_t *skip_ident_bytes(const uint8_t *q, const uint8_t *cls) {
#if defined(LEX_SSE2)
    (void)cls;
    const __m128i lower_bit = _mm_set1_epi8(0x20), a1 = _mm_set1_epi8('a' - 1),
                  z1 = _mm_set1_epi8('z' + 1), d0 = _mm_set1_epi8('0' - 1),
                  d9 = _mm_set1_epi8('9' + 1), us = _mm_set1_epi8('_');
    for (;;) {
        __m128i v = _mm_loadu_si128((const __m128i *)(const void *)q);
        __m128i lo = _mm_or_si128(v, lower_bit); /* bytes >= 0x80 stay negative */
        __m128i letter = _mm_and_si128(_mm_cmpgt_epi8(lo, a1), _mm_cmplt_epi8(lo, z1));
        __m128i digit = _mm_and_si128(_mm_cmpgt_epi8(v, d0), _mm_cmplt_epi8(v, d9));
        __m128i ok = _mm_or_si128(_mm_or_si128(letter, digit), _mm_cmpeq_epi8(v, us));
        unsigned stop = ~(unsigned)_mm_movemask_epi8(ok) & 0xFFFFu;
        if (stop) return q + __builtin_ctz(stop);
        q += 16;
    }
#else
    while (cls[*q] & C_IDENT) q++;
    return q;
#endif
}

/* Skips bytes up to the first one that is a, b or c, NUL or >= 0x80 (the
 * stop bytes of a comment or string, see lexer.h). The run ends at the
 * latest on the zero padding, so reading 16 bytes ahead is safe. */
static inline const uint8_t *skip_to_stop(const uint8_t *p, const uint8_t *cls, int cls_bit, char a,
                                          char b, char c) {
#if defined(LEX_SSE2)
    (void)cls, (void)cls_bit;
    const __m128i va = _mm_set1_epi8(a), vb = _mm_set1_epi8(b), vc = _mm_set1_epi8(c),
                  zero = _mm_setzero_si128();
    for (;;) {
        __m128i v = _mm_loadu_si128((const __m128i *)(const void *)p);
        __m128i hit = _mm_or_si128(_mm_or_si128(_mm_cmpeq_epi8(v, va), _mm_cmpeq_epi8(v, vb)),
                                   _mm_or_si128(_mm_cmpeq_epi8(v, vc), _mm_cmpeq_epi8(v, zero)));
        unsigned stop = (unsigned)(_mm_movemask_epi8(hit) | _mm_movemask_epi8(v));
        if (stop) return p + __builtin_ctz(stop);
        p += 16;
    }
#else
    (void)a, (void)b, (void)c;
    while (!(cls[*p] & cls_bit)) p++;
    return p;
#endif
}

/* Skips blanks (space, tab, carriage return) from p; stops on any other
 * byte, at the latest on the zero padding. */
static inline const uint8_t *skip_blanks(const uint8_t *p) {
    /* most runs are one space between tokens, or none */
    if (*p != ' ' && *p != '\t' && *p != '\r') return p;
    p++;
    if (*p != ' ' && *p != '\t' && *p != '\r') return p;
#if defined(LEX_SSE2)
    const __m128i sp = _mm_set1_epi8(' '), tab = _mm_set1_epi8('\t'), cr = _mm_set1_epi8('\r');
    for (;;) {
        __m128i v = _mm_loadu_si128((const __m128i *)(const void *)p);
        __m128i blank = _mm_or_si128(_mm_or_si128(_mm_cmpeq_epi8(v, sp), _mm_cmpeq_epi8(v, tab)),
                                     _mm_cmpeq_epi8(v, cr));
        unsigned stop = ~(unsigned)_mm_movemask_epi8(blank) & 0xFFFFu;
        if (stop) return p + __builtin_ctz(stop);
        p += 16;
    }
#else
    while (*p == ' ' || *p == '\t' || *p == '\r') p++;
    return p;
#endif
}

typedef struct lexer {
    goleak_unit *u;
    const uint8_t *src, *end;
    const uint8_t *cls;
} lexer;

static void lex_error(lexer *lx, const uint8_t *at, const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 3, 4)))
#endif
    ;

static void lex_error(lexer *lx, const uint8_t *at, const char *fmt, ...) {
    char buf[256];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(buf, sizeof buf, fmt, ap);
    va_end(ap);
    unit_diag(lx->u, (uint32_t)(at - lx->src), 1, "%s", buf);
}

/* Grows a vector to at most `most` elements, doubling below that: a file
 * has at most one line per byte (and one token per byte, plus an automatic
 * semicolon and EOF), so that the arrays of a file of newlines, or of
 * single-byte tokens, end no larger than they must. 0 or -1. */
static int grow_to_most(const goleak_allocator *a, void **data, uint32_t *cap, size_t elem,
                        size_t need, size_t most) {
    size_t ncap = *cap ? (size_t)*cap * 2 : 64;
    if (ncap > most) ncap = most;
    if (ncap < need) ncap = need;
    if (ncap > UINT32_MAX) return -1;
    void *p = gl_realloc(a, *data, ncap * elem);
    if (!p) return -1;
    *data = p;
    *cap = (uint32_t)ncap;
    return 0;
}

static int push_line(lexer *lx, const uint8_t *start) {
    goleak_unit *u = lx->u;
    if (u->lines.len == u->lines.cap &&
        grow_to_most(u->alloc, (void **)&u->lines.data, &u->lines.cap, sizeof(uint32_t),
                     (size_t)u->lines.len + 1, (size_t)u->len + 2))
        return -1;
    u->lines.data[u->lines.len++] = (uint32_t)(start - lx->src);
    return 0;
}

/* Consumes one non-ASCII or NUL character inside a literal or comment and
 * reports what go/scanner's next() reports about it. */
static const uint8_t *skip_special(lexer *lx, const uint8_t *p) {
    if (*p == 0) {
        lex_error(lx, p, "illegal character NUL");
        return p + 1;
    }
    int w;
    int32_t r = utf8_decode(p, &w);
    if (r == RUNE_ERROR && w == 1)
        lex_error(lx, p, "illegal UTF-8 encoding");
    else if (r == RUNE_BOM)
        lex_error(lx, p, "illegal byte order mark");
    return p + w;
}

/* ---- keywords: a perfect hash over length, first, second and last byte ---- */

typedef struct keyword {
    char name[16]; /* zero padded: compared as two 8-byte words */
    uint8_t len;
    uint8_t kind;
} keyword;

static const keyword keywords[64] = {
    [0] = {"case", 4, GOLEAK_TOKEN_CASE},
    [1] = {"const", 5, GOLEAK_TOKEN_CONST},
    [2] = {"switch", 6, GOLEAK_TOKEN_SWITCH},
    [4] = {"type", 4, GOLEAK_TOKEN_TYPE},
    [6] = {"if", 2, GOLEAK_TOKEN_IF},
    [7] = {"map", 3, GOLEAK_TOKEN_MAP},
    [11] = {"for", 3, GOLEAK_TOKEN_FOR},
    [12] = {"func", 4, GOLEAK_TOKEN_FUNC},
    [13] = {"break", 5, GOLEAK_TOKEN_BREAK},
    [16] = {"chan", 4, GOLEAK_TOKEN_CHAN},
    [18] = {"struct", 6, GOLEAK_TOKEN_STRUCT},
    [30] = {"return", 6, GOLEAK_TOKEN_RETURN},
    [34] = {"select", 6, GOLEAK_TOKEN_SELECT},
    [36] = {"continue", 8, GOLEAK_TOKEN_CONTINUE},
    [37] = {"defer", 5, GOLEAK_TOKEN_DEFER},
    [39] = {"default", 7, GOLEAK_TOKEN_DEFAULT},
    [43] = {"var", 3, GOLEAK_TOKEN_VAR},
    [45] = {"interface", 9, GOLEAK_TOKEN_INTERFACE},
    [46] = {"go", 2, GOLEAK_TOKEN_GO},
    [48] = {"goto", 4, GOLEAK_TOKEN_GOTO},
    [51] = {"fallthrough", 11, GOLEAK_TOKEN_FALLTHROUGH},
    [55] = {"package", 7, GOLEAK_TOKEN_PACKAGE},
    [56] = {"else", 4, GOLEAK_TOKEN_ELSE},
    [58] = {"import", 6, GOLEAK_TOKEN_IMPORT},
    [61] = {"range", 5, GOLEAK_TOKEN_RANGE},
};

static inline int keyword_kind(const uint8_t *s, size_t n) {
    if (n < 2 || n > 11 || s[0] < 'b' || s[0] > 'v') return GOLEAK_TOKEN_IDENT;
    unsigned h =
        ((unsigned)n + ((unsigned)s[0] << 2) + ((unsigned)s[1] << 4) + ((unsigned)s[n - 1] << 5)) &
        63;
    const keyword *k = &keywords[h];
    /* s is followed by the source's zero padding: 16 bytes may be read */
    if (k->len != n) return GOLEAK_TOKEN_IDENT;
    const uint8_t *name = (const uint8_t *)k->name;
    if (load_le64_prefix(s, n < 8 ? (uint32_t)n : 8) != load_le64(name)) return GOLEAK_TOKEN_IDENT;
    if (n <= 8) return k->kind;
    return load_le64_prefix(s + 8, (uint32_t)n - 8) == load_le64(name + 8) ? k->kind
                                                                           : GOLEAK_TOKEN_IDENT;
}

/* ---- numbers ---- */

static inline int is_dec(uint8_t c) {
    return c >= '0' && c <= '9';
}

static inline int is_hex(uint8_t c) {
    return is_dec(c) || ((c | 0x20) >= 'a' && (c | 0x20) <= 'f');
}

static const char *lit_name(int prefix) {
    switch (prefix) {
    case 'x': return "hexadecimal literal";
    case 'o':
    case '0': return "octal literal";
    case 'b': return "binary literal";
    default: return "decimal literal";
    }
}

/* Accepts { digit | '_' }; records the first digit >= base (base <= 10) in
 * *invalid and ORs 1 (digits seen) and 2 (separators seen) into *digsep. */
static const uint8_t *scan_digits(const uint8_t *p, int base, const uint8_t **invalid,
                                  int *digsep) {
    if (base <= 10) {
        uint8_t max = (uint8_t)('0' + base);
        for (;; p++) {
            if (*p == '_') {
                *digsep |= 2;
            } else if (is_dec(*p)) {
                *digsep |= 1;
                if (*p >= max && !*invalid) *invalid = p;
            } else {
                break;
            }
        }
    } else {
        for (;; p++) {
            if (*p == '_')
                *digsep |= 2;
            else if (is_hex(*p))
                *digsep |= 1;
            else
                break;
        }
    }
    return p;
}

/* The index of the first misplaced '_' in a number literal, or -1. */
static long invalid_separator(const uint8_t *x, size_t n) {
    int x1 = ' ';
    int d = '.'; /* '_', '0' (a digit), or '.' (anything else) */
    size_t i = 0;
    if (n >= 2 && x[0] == '0') {
        x1 = x[1] | 0x20;
        if (x1 == 'x' || x1 == 'o' || x1 == 'b') {
            d = '0';
            i = 2;
        }
    }
    for (; i < n; i++) {
        int p = d;
        d = x[i];
        if (d == '_') {
            if (p != '0') return (long)i;
        } else if (is_dec((uint8_t)d) || (x1 == 'x' && is_hex((uint8_t)d))) {
            d = '0';
        } else {
            if (p == '_') return (long)i - 1;
            d = '.';
        }
    }
    if (d == '_') return (long)n - 1;
    return -1;
}

static const uint8_t *scan_number(lexer *lx, const uint8_t *p, int *kind) {
    const uint8_t *start = p;
    int tok = GOLEAK_TOKEN_ILLEGAL;
    int base = 10, prefix = 0, digsep = 0;
    const uint8_t *invalid = NULL;

    if (*p != '.') {
        tok = GOLEAK_TOKEN_INT;
        if (*p == '0') {
            p++;
            switch (*p | 0x20) {
            case 'x':
                p++;
                base = 16, prefix = 'x';
                break;
            case 'o':
                p++;
                base = 8, prefix = 'o';
                break;
            case 'b':
                p++;
                base = 2, prefix = 'b';
                break;
            default: base = 8, prefix = '0'; digsep = 1; /* the leading 0 */
            }
        }
        p = scan_digits(p, base, &invalid, &digsep);
    }
    if (*p == '.') {
        tok = GOLEAK_TOKEN_FLOAT;
        if (prefix == 'o' || prefix == 'b')
            lex_error(lx, p, "invalid radix point in %s", lit_name(prefix));
        p++;
        p = scan_digits(p, base, &invalid, &digsep);
    }
    if (!(digsep & 1)) lex_error(lx, p, "%s has no digits", lit_name(prefix));

    int e = *p | 0x20;
    if (e == 'e' || e == 'p') {
        if (e == 'e' && prefix != 0 && prefix != '0')
            lex_error(lx, p, "'%c' exponent requires decimal mantissa", *p);
        else if (e == 'p' && prefix != 'x')
            lex_error(lx, p, "'%c' exponent requires hexadecimal mantissa", *p);
        p++;
        tok = GOLEAK_TOKEN_FLOAT;
        if (*p == '+' || *p == '-') p++;
        int ds = 0;
        const uint8_t *unused = NULL;
        p = scan_digits(p, 10, &unused, &ds);
        digsep |= ds;
        if (!(ds & 1)) lex_error(lx, p, "exponent has no digits");
    } else if (prefix == 'x' && tok == GOLEAK_TOKEN_FLOAT) {
        lex_error(lx, p, "hexadecimal mantissa requires a 'p' exponent");
    }
    if (*p == 'i') {
        tok = GOLEAK_TOKEN_IMAG;
        p++;
    }
    if (tok == GOLEAK_TOKEN_INT && invalid)
        lex_error(lx, invalid, "invalid digit '%c' in %s", *invalid, lit_name(prefix));
    if (digsep & 2) {
        long i = invalid_separator(start, (size_t)(p - start));
        if (i >= 0) lex_error(lx, start + i, "'_' must separate successive digits");
    }
    *kind = tok;
    return p;
}

/* ---- escapes, runes, strings ---- */

static int digit_val(uint8_t c) {
    if (is_dec(c)) return c - '0';
    if ((c | 0x20) >= 'a' && (c | 0x20) <= 'f') return (c | 0x20) - 'a' + 10;
    return 16;
}

/* Scans the escape after a backslash (*pp points past it). On success
 * consumes it and returns 1; otherwise reports the error, stops at the
 * offending character without consuming it and returns 0. */
static int scan_escape(lexer *lx, const uint8_t **pp, uint8_t quote) {
    const uint8_t *p = *pp, *offs = p;
    int n;
    uint32_t base, max;
    uint8_t c = *p;
    /* \xHH first: the escape of generated byte tables, where most escapes
     * are (a zero padding byte after the end is no hex digit) */
    if (c == 'x' && is_hex(p[1]) && is_hex(p[2])) {
        *pp = p + 3;
        return 1;
    }
    if (c == quote || c == '\\' || c == 'a' || c == 'b' || c == 'f' || c == 'n' || c == 'r' ||
        c == 't' || c == 'v') {
        *pp = p + 1;
        return 1;
    }
    if (c >= '0' && c <= '7') {
        n = 3, base = 8, max = 255;
    } else if (c == 'x') {
        p++;
        n = 2, base = 16, max = 255;
    } else if (c == 'u') {
        p++;
        n = 4, base = 16, max = 0x10FFFF;
    } else if (c == 'U') {
        p++;
        n = 8, base = 16, max = 0x10FFFF;
    } else {
        lex_error(lx, offs,
                  p >= lx->end ? "escape sequence not terminated" : "unknown escape sequence");
        *pp = p;
        return 0;
    }
    uint32_t x = 0;
    for (; n > 0; n--, p++) {
        uint32_t d = (uint32_t)digit_val(*p);
        if (d >= base) {
            if (p >= lx->end) {
                lex_error(lx, p, "escape sequence not terminated");
            } else {
                int w;
                char rb[32];
                rune_format(rb, sizeof rb, utf8_decode(p, &w));
                lex_error(lx, p, "illegal character %s in escape sequence", rb);
            }
            *pp = p;
            return 0;
        }
        x = x * base + d;
    }
    *pp = p;
    if (x > max || (x >= 0xD800 && x < 0xE000)) {
        lex_error(lx, offs, "escape sequence is invalid Unicode code point");
        return 0;
    }
    return 1;
}

/* An interpreted string; p points at the opening quote. */
static const uint8_t *scan_string(lexer *lx, const uint8_t *p) {
    const uint8_t *start = p++;
    const uint8_t *cls = lx->cls;
    for (;;) {
        p = skip_to_stop(p, cls, C_DQ_STOP, '"', '\\', '\n');
        uint8_t c = *p;
        if (c == '"') return p + 1;
        if (c == '\\') {
            p++;
            scan_escape(lx, &p, '"');
        } else if (c == '\n' || (c == 0 && p >= lx->end)) {
            lex_error(lx, start, "string literal not terminated");
            return p;
        } else {
            p = skip_special(lx, p);
        }
    }
}

/* A rune literal; p points at the opening quote. */
static const uint8_t *scan_rune(lexer *lx, const uint8_t *p) {
    const uint8_t *start = p++;
    int valid = 1, n = 0;
    for (;;) {
        uint8_t c = *p;
        if (c == '\n' || (c == 0 && p >= lx->end)) {
            if (valid) {
                lex_error(lx, start, "rune literal not terminated");
                valid = 0;
            }
            break;
        }
        if (c == '\'') {
            p++;
            break;
        }
        n++;
        if (c == '\\') {
            p++;
            if (!scan_escape(lx, &p, '\'')) valid = 0;
        } else if (c == 0 || c >= 0x80) {
            p = skip_special(lx, p);
        } else {
            p++;
        }
    }
    if (valid && n != 1) lex_error(lx, start, "illegal rune literal");
    return p;
}

/* A raw string; p points at the opening backquote. Sets *cr when it holds CRs. */
static const uint8_t *scan_raw_string(lexer *lx, const uint8_t *p, int *cr, int *oom) {
    const uint8_t *start = p++;
    const uint8_t *cls = lx->cls;
    for (;;) {
        p = skip_to_stop(p, cls, C_RS_STOP, '`', '\n', '\r');
        uint8_t c = *p;
        if (c == '`') return p + 1;
        if (c == '\n') {
            p++;
            if (push_line(lx, p)) *oom = -1;
        } else if (c == '\r') {
            *cr = 1;
            p++;
        } else if (c == 0 && p >= lx->end) {
            lex_error(lx, start, "raw string literal not terminated");
            return p;
        } else {
            p = skip_special(lx, p);
        }
    }
}

/* ---- comments ---- */

/* go/scanner's findLineEnd: with a semicolon pending, does the comment at p
 * (a '/' followed by '/' or '*') reach the end of its line before any other
 * token? Then the semicolon goes before the comment. */
static int comment_reaches_line_end(const lexer *lx, const uint8_t *p) {
    for (;;) {
        if (p[1] == '/') return 1;
        if (p[1] != '*') return 0;
        p += 2;
        for (;;) {
            uint8_t c = *p;
            if (c == 0 && p >= lx->end) return 1;
            if (c == '\n') return 1;
            p++;
            if (c == '*' && *p == '/') {
                p++;
                break;
            }
        }
        while (*p == ' ' || *p == '\t' || *p == '\r') p++;
        if ((*p == 0 && p >= lx->end) || *p == '\n') return 1;
        if (*p != '/') return 0;
    }
}

/* A comment at p ('/' followed by '/' or '*'); records it and returns the
 * position after it (a line comment stops before its newline). */
static const uint8_t *scan_comment(lexer *lx, const uint8_t *p, int *oom) {
    const uint8_t *start = p;
    const uint8_t *cls = lx->cls;
    if (p[1] == '/') {
        p += 2;
        for (;;) {
            p = skip_to_stop(p, cls, C_LC_STOP, '\n', '\n', '\n');
            if (*p == '\n' || (*p == 0 && p >= lx->end)) break;
            p = skip_special(lx, p);
        }
    } else {
        p += 2;
        for (;;) {
            p = skip_to_stop(p, cls, C_BC_STOP, '*', '\n', '\n');
            uint8_t c = *p;
            if (c == '*') {
                p++;
                if (*p == '/') {
                    p++;
                    break;
                }
            } else if (c == '\n') {
                p++;
                if (push_line(lx, p)) *oom = -1;
            } else if (c == 0 && p >= lx->end) {
                lex_error(lx, start, "comment not terminated");
                break;
            } else {
                p = skip_special(lx, p);
            }
        }
    }
    comment cm = {(uint32_t)(start - lx->src), (uint32_t)(p - start)};
    goleak_unit *u = lx->u;
    if ((size_t)u->comments.len + u->toks.len >= u->max_tokens)
        *oom = LEX_TOO_MANY; /* comments count toward the token bound */
    else if (VEC_PUSH(u->alloc, &u->comments, cm))
        *oom = -1;
    return p;
}

/* ---- the scanner loop ---- */

/* Room for one more token, within the token bound (comments included):
 * the array never grows past it. 0, -1 (no memory) or LEX_TOO_MANY. */
static int grow_tokens(goleak_unit *u) {
    size_t limit = u->max_tokens;
    if ((size_t)u->toks.len + u->comments.len >= limit) return LEX_TOO_MANY;
    /* the EOF token may come after the last */
    size_t most = (size_t)u->len + 3 < limit + 1 ? (size_t)u->len + 3 : limit + 1;
    return grow_to_most(u->alloc, (void **)&u->toks.data, &u->toks.cap, sizeof(token),
                        (size_t)u->toks.len + 1, most);
}

int lex_unit(goleak_unit *u) {
    lexer lx = {u, u->src, u->src + u->len, lexer_byte_class};
    const uint8_t *cls = lx.cls;
    const uint8_t *p = u->src;
    const uint8_t *const src = u->src;
    int semi = 0; /* go/scanner's insertSemi */
    int oom = 0;

    /* Most Go tokens are 3-6 bytes long: reserve once, then grow rarely. */
    size_t guess = u->len / 5 + 64;
    if (guess > (size_t)u->max_tokens + 1) guess = (size_t)u->max_tokens + 1;
    if (grow_to_most(u->alloc, (void **)&u->toks.data, &u->toks.cap, sizeof(token), guess, guess) ||
        grow_to_most(u->alloc, (void **)&u->lines.data, &u->lines.cap, sizeof(uint32_t),
                     u->len / 32 + 16, u->len / 32 + 16))
        return -1;
    u->lines.data[u->lines.len++] = 0;

    if (u->len >= 3 && p[0] == 0xEF && p[1] == 0xBB && p[2] == 0xBF) p += 3;

#define EMIT(k, start, n, fl) EMIT_H(k, start, n, fl, 0)
#define EMIT_H(k, start, n, fl, h)                                                                 \
    do {                                                                                           \
        if (u->toks.len == u->toks.cap) {                                                          \
            int rc_ = grow_tokens(u);                                                              \
            if (rc_) return rc_;                                                                   \
        }                                                                                          \
        token *t_ = &u->toks.data[u->toks.len++];                                                  \
        t_->off = (uint32_t)((start)-src);                                                         \
        t_->len = (uint32_t)(n);                                                                   \
        t_->kind = (uint8_t)(k);                                                                   \
        t_->flags = (uint8_t)(fl);                                                                 \
        t_->hash = (h);                                                                            \
    } while (0)
#define OP1(k)                                                                                     \
    do {                                                                                           \
        kind = (k);                                                                                \
        q = p + 1;                                                                                 \
    } while (0)
/* op, op= */
#define OP2(k0, k1)                                                                                \
    do {                                                                                           \
        if (p[1] == '=') {                                                                         \
            kind = (k1);                                                                           \
            q = p + 2;                                                                             \
        } else {                                                                                   \
            kind = (k0);                                                                           \
            q = p + 1;                                                                             \
        }                                                                                          \
    } while (0)

    for (;;) {
        /* skip white space; a newline ends it when a semicolon is pending */
        for (;;) {
            p = skip_blanks(p);
            if (*p != '\n' || semi) break;
            p++;
            if (push_line(&lx, p)) return -1;
        }
        if (oom) return oom;

        const uint8_t *q;
        int kind;
        int next_semi = 0;
        uint16_t hash = 0;
        uint8_t c = *p;
        switch (c) {
        case '\n':
            EMIT(GOLEAK_TOKEN_SEMICOLON, p, 0, TF_AUTO);
            semi = 0;
            p++;
            if (push_line(&lx, p)) return -1;
            continue;
        case 0:
            if (p >= lx.end) {
                if (semi) EMIT(GOLEAK_TOKEN_SEMICOLON, p, 0, TF_AUTO);
                if ((size_t)u->toks.len + u->comments.len > u->max_tokens) return LEX_TOO_MANY;
                /* the EOF token is not counted: room for it is kept */
                if (u->toks.len == u->toks.cap &&
                    vec_reserve(u->alloc, (void **)&u->toks.data, &u->toks.cap, sizeof(token),
                                (size_t)u->toks.len + 1))
                    return -1;
                EMIT(GOLEAK_TOKEN_EOF, p, 0, 0);
                return oom;
            }
            lex_error(&lx, p, "illegal character NUL");
            lex_error(&lx, p, "illegal character U+0000");
            EMIT(GOLEAK_TOKEN_ILLEGAL, p, 1, 0);
            p++;
            continue; /* an illegal character keeps the pending semicolon */
        case 'a':
        case 'b':
        case 'c':
        case 'd':
        case 'e':
        case 'f':
        case 'g':
        case 'h':
        case 'i':
        case 'j':
        case 'k':
        case 'l':
        case 'm':
        case 'n':
        case 'o':
        case 'p':
        case 'q':
        case 'r':
        case 's':
        case 't':
        case 'u':
        case 'v':
        case 'w':
        case 'x':
        case 'y':
        case 'z':
        case 'A':
        case 'B':
        case 'C':
        case 'D':
        case 'E':
        case 'F':
        case 'G':
        case 'H':
        case 'I':
        case 'J':
        case 'K':
        case 'L':
        case 'M':
        case 'N':
        case 'O':
        case 'P':
        case 'Q':
        case 'R':
        case 'S':
        case 'T':
        case 'U':
        case 'V':
        case 'W':
        case 'X':
        case 'Y':
        case 'Z':
        case '_':
            q = p + 1;
        ident:
            for (;;) {
                q = skip_ident_bytes(q, cls);
                if (*q < 0x80) break;
                int w;
                int32_t r = utf8_decode(q, &w);
                if (!rune_is_letter(r) && !rune_is_digit(r)) break;
                q += w;
            }
            kind = keyword_kind(p, (size_t)(q - p));
            if (kind == GOLEAK_TOKEN_IDENT) hash = ident_hash(p, (uint32_t)(q - p));
            next_semi = kind == GOLEAK_TOKEN_IDENT || kind == GOLEAK_TOKEN_BREAK ||
                        kind == GOLEAK_TOKEN_CONTINUE || kind == GOLEAK_TOKEN_FALLTHROUGH ||
                        kind == GOLEAK_TOKEN_RETURN;
            break;
        case '0':
        case '1':
        case '2':
        case '3':
        case '4':
        case '5':
        case '6':
        case '7':
        case '8':
        case '9':
            q = scan_number(&lx, p, &kind);
            next_semi = 1;
            break;
        case '.':
            if (is_dec(p[1])) {
                q = scan_number(&lx, p, &kind);
                next_semi = 1;
            } else if (p[1] == '.' && p[2] == '.') {
                kind = GOLEAK_TOKEN_ELLIPSIS;
                q = p + 3;
            } else {
                OP1(GOLEAK_TOKEN_PERIOD);
            }
            break;
        case '"':
            q = scan_string(&lx, p);
            kind = GOLEAK_TOKEN_STRING;
            next_semi = 1;
            break;
        case '\'':
            q = scan_rune(&lx, p);
            kind = GOLEAK_TOKEN_CHAR;
            next_semi = 1;
            break;
        case '`': {
            int cr = 0;
            q = scan_raw_string(&lx, p, &cr, &oom);
            EMIT(GOLEAK_TOKEN_STRING, p, q - p, cr ? TF_CR : 0);
            semi = 1;
            p = q;
            continue;
        }
        case ':': OP2(GOLEAK_TOKEN_COLON, GOLEAK_TOKEN_DEFINE); break;
        case ',': OP1(GOLEAK_TOKEN_COMMA); break;
        case ';':
            EMIT(GOLEAK_TOKEN_SEMICOLON, p, 1, 0);
            semi = 0;
            p++;
            continue;
        case '(': OP1(GOLEAK_TOKEN_LPAREN); break;
        case ')':
            OP1(GOLEAK_TOKEN_RPAREN);
            next_semi = 1;
            break;
        case '[': OP1(GOLEAK_TOKEN_LBRACK); break;
        case ']':
            OP1(GOLEAK_TOKEN_RBRACK);
            next_semi = 1;
            break;
        case '{': OP1(GOLEAK_TOKEN_LBRACE); break;
        case '}':
            OP1(GOLEAK_TOKEN_RBRACE);
            next_semi = 1;
            break;
        case '+':
            if (p[1] == '+') {
                kind = GOLEAK_TOKEN_INC, q = p + 2, next_semi = 1;
            } else {
                OP2(GOLEAK_TOKEN_ADD, GOLEAK_TOKEN_ADD_ASSIGN);
            }
            break;
        case '-':
            if (p[1] == '-') {
                kind = GOLEAK_TOKEN_DEC, q = p + 2, next_semi = 1;
            } else {
                OP2(GOLEAK_TOKEN_SUB, GOLEAK_TOKEN_SUB_ASSIGN);
            }
            break;
        case '*': OP2(GOLEAK_TOKEN_MUL, GOLEAK_TOKEN_MUL_ASSIGN); break;
        case '/':
            if (p[1] == '/' || p[1] == '*') {
                if (semi && comment_reaches_line_end(&lx, p))
                    EMIT(GOLEAK_TOKEN_SEMICOLON, p, 0, TF_AUTO);
                semi = 0;
                p = scan_comment(&lx, p, &oom);
                continue;
            }
            OP2(GOLEAK_TOKEN_QUO, GOLEAK_TOKEN_QUO_ASSIGN);
            break;
        case '%': OP2(GOLEAK_TOKEN_REM, GOLEAK_TOKEN_REM_ASSIGN); break;
        case '^': OP2(GOLEAK_TOKEN_XOR, GOLEAK_TOKEN_XOR_ASSIGN); break;
        case '<':
            if (p[1] == '-') {
                kind = GOLEAK_TOKEN_ARROW, q = p + 2;
            } else if (p[1] == '<') {
                if (p[2] == '=')
                    kind = GOLEAK_TOKEN_SHL_ASSIGN, q = p + 3;
                else
                    kind = GOLEAK_TOKEN_SHL, q = p + 2;
            } else {
                OP2(GOLEAK_TOKEN_LSS, GOLEAK_TOKEN_LEQ);
            }
            break;
        case '>':
            if (p[1] == '>') {
                if (p[2] == '=')
                    kind = GOLEAK_TOKEN_SHR_ASSIGN, q = p + 3;
                else
                    kind = GOLEAK_TOKEN_SHR, q = p + 2;
            } else {
                OP2(GOLEAK_TOKEN_GTR, GOLEAK_TOKEN_GEQ);
            }
            break;
        case '=': OP2(GOLEAK_TOKEN_ASSIGN, GOLEAK_TOKEN_EQL); break;
        case '!': OP2(GOLEAK_TOKEN_NOT, GOLEAK_TOKEN_NEQ); break;
        case '&':
            if (p[1] == '^') {
                if (p[2] == '=')
                    kind = GOLEAK_TOKEN_AND_NOT_ASSIGN, q = p + 3;
                else
                    kind = GOLEAK_TOKEN_AND_NOT, q = p + 2;
            } else if (p[1] == '&') {
                kind = GOLEAK_TOKEN_LAND, q = p + 2;
            } else {
                OP2(GOLEAK_TOKEN_AND, GOLEAK_TOKEN_AND_ASSIGN);
            }
            break;
        case '|':
            if (p[1] == '|') {
                kind = GOLEAK_TOKEN_LOR, q = p + 2;
            } else {
                OP2(GOLEAK_TOKEN_OR, GOLEAK_TOKEN_OR_ASSIGN);
            }
            break;
        case '~': OP1(GOLEAK_TOKEN_TILDE); break;
        default: {
            char rb[32];
            if (c < 0x80) {
                rune_format(rb, sizeof rb, c);
                lex_error(&lx, p, "illegal character %s", rb);
                EMIT(GOLEAK_TOKEN_ILLEGAL, p, 1, 0);
                p++;
                continue; /* keeps the pending semicolon */
            }
            int w;
            int32_t r = utf8_decode(p, &w);
            if (rune_is_letter(r)) {
                q = p + w;
                goto ident;
            }
            if (r == RUNE_ERROR && w == 1) {
                lex_error(&lx, p, "illegal UTF-8 encoding");
                rune_format(rb, sizeof rb, r);
                lex_error(&lx, p, "illegal character %s", rb);
                EMIT(GOLEAK_TOKEN_ILLEGAL, p, 1, TF_RUNE_ERROR);
            } else if (r == RUNE_BOM) {
                lex_error(&lx, p, "illegal byte order mark");
                EMIT(GOLEAK_TOKEN_ILLEGAL, p, w, 0);
            } else {
                rune_format(rb, sizeof rb, r);
                lex_error(&lx, p, "illegal character %s", rb);
                EMIT(GOLEAK_TOKEN_ILLEGAL, p, w, 0);
            }
            p += w;
            continue;
        }
        }
        EMIT_H(kind, p, q - p, 0, hash);
        semi = next_semi;
        p = q;
    }
#undef EMIT
#undef EMIT_H
#undef OP1
#undef OP2
}

static const char *const token_names[GOLEAK_TOKEN_KIND_COUNT] = {
    "ILLEGAL",   "EOF",         "COMMENT", "IDENT", "INT",    "FLOAT",    "IMAG",    "CHAR",
    "STRING",    "+",           "-",       "*",     "/",      "%",        "&",       "|",
    "^",         "<<",          ">>",      "&^",    "+=",     "-=",       "*=",      "/=",
    "%=",        "&=",          "|=",      "^=",    "<<=",    ">>=",      "&^=",     "&&",
    "||",        "<-",          "++",      "--",    "==",     "<",        ">",       "=",
    "!",         "!=",          "<=",      ">=",    ":=",     "...",      "(",       "[",
    "{",         ",",           ".",       ")",     "]",      "}",        ";",       ":",
    "~",         "break",       "case",    "chan",  "const",  "continue", "default", "defer",
    "else",      "fallthrough", "for",     "func",  "go",     "goto",     "if",      "import",
    "interface", "map",         "package", "range", "return", "select",   "struct",  "switch",
    "type",      "var",
};

const char *token_kind_name(int kind) {
    if (kind < 0 || kind >= GOLEAK_TOKEN_KIND_COUNT) return NULL;
    return token_names[kind];
}
