/* goleak tokens: the token stream of Go files in the line format of the
 * gotokens oracle (shared/oracles/README.md), so that it can be compared
 * with Go's go/scanner file by file. */
#include "cli.h"

#include <stdlib.h>
#include <string.h>

/* Writes text with carriage returns removed as go/scanner's stripCR does:
 * in a block comment a CR between '*' and the closing '/' stays. */
static void out_strip_cr(outbuf *o, const char *s, size_t n, int comment) {
    char small[256] = {0};
    char *c = n <= sizeof small ? small : malloc(n);
    if (!c) return;
    size_t i = 0;
    for (size_t j = 0; j < n; j++) {
        char ch = s[j];
        if (ch != '\r' || (comment && i > 2 && c[i - 1] == '*' && j + 1 < n && s[j + 1] == '/'))
            c[i++] = ch;
    }
    out_escaped(o, c, i);
    if (c != small) free(c);
}

static void out_comment(outbuf *o, const char *s, size_t n) {
    if (!memchr(s, '\r', n)) {
        out_escaped(o, s, n);
        return;
    }
    /* a line comment ending in CR (Windows line end) loses that CR first */
    if (n >= 2 && s[1] == '/' && s[n - 1] == '\r') n--;
    out_strip_cr(o, s, n, s[1] == '*');
}

static void out_literal(outbuf *o, const goleak_unit *u, size_t i, int kind) {
    size_t n;
    const char *s = goleak_unit_token_text(u, i, &n);
    switch (kind) {
    case GOLEAK_TOKEN_EOF: return;
    case GOLEAK_TOKEN_SEMICOLON:
        out_char(o, ' ');
        out_str(o, goleak_unit_token_is_automatic(u, i) ? "\\n" : ";");
        return;
    case GOLEAK_TOKEN_ILLEGAL:
        out_char(o, ' ');
        /* a lone byte >= 0x80 is invalid UTF-8: go/scanner's literal is U+FFFD */
        if (n == 1 && (unsigned char)s[0] >= 0x80)
            out_write(o, "\xEF\xBF\xBD", 3);
        else
            out_escaped(o, s, n);
        return;
    case GOLEAK_TOKEN_STRING:
        out_char(o, ' ');
        if (n > 0 && s[0] == '`' && memchr(s, '\r', n))
            out_strip_cr(o, s, n, 0);
        else
            out_escaped(o, s, n);
        return;
    default:
        if (kind >= GOLEAK_TOKEN_IDENT && kind <= GOLEAK_TOKEN_CHAR) break;
        if (kind >= GOLEAK_TOKEN_BREAK) break; /* keywords print their spelling */
        return;                                /* operators: no literal */
    }
    out_char(o, ' ');
    out_escaped(o, s, n);
}

static void out_pos(outbuf *o, goleak_pos p) {
    out_uint(o, p.line);
    out_char(o, ':');
    out_uint(o, p.column);
    out_char(o, ' ');
}

static void print_tokens(outbuf *o, const goleak_unit *u, int comments) {
    size_t ntok = goleak_unit_token_count(u), ncom = comments ? goleak_unit_comment_count(u) : 0;
    size_t c = 0;
    for (size_t i = 0; i < ntok; i++) {
        goleak_span ts = goleak_unit_token_span(u, i);
        /* comments before this token (a semicolon at a comment comes first) */
        for (; c < ncom; c++) {
            goleak_span cs = goleak_unit_comment_span(u, c);
            if (cs.start.offset >= ts.start.offset) break;
            size_t n;
            const char *s = goleak_unit_comment_text(u, c, &n);
            out_pos(o, cs.start);
            out_str(o, "COMMENT ");
            out_comment(o, s, n);
            out_char(o, '\n');
        }
        int kind = goleak_unit_token_kind(u, i);
        out_pos(o, ts.start);
        out_str(o, goleak_token_kind_name(kind));
        out_literal(o, u, i, kind);
        out_char(o, '\n');
    }
}

int cmd_tokens(int argc, char **argv) {
    int comments = 0, status = 0, first = 1;
    if (first < argc && strcmp(argv[first], "--comments") == 0) {
        comments = 1;
        first++;
    }
    if (first >= argc) {
        fprintf(stderr, "usage: goleak tokens [--comments] FILE...\n");
        return 2;
    }
    static outbuf o;
    out_init(&o, stdout);
    goleak_parse_options opts = GOLEAK_PARSE_OPTIONS_INIT;
    opts.flags = GOLEAK_PARSE_TOKENS_ONLY;
    goleak_error *err = goleak_error_new();
    for (int k = first; k < argc; k++) {
        goleak_unit *u = NULL;
        if (goleak_unit_parse_file(&u, argv[k], &opts, err) != 0) {
            out_flush(&o);
            fprintf(stderr, "goleak: %s\n", goleak_error_message(err));
            status = 2;
            continue;
        }
        out_str(&o, "== ");
        out_str(&o, argv[k]);
        out_char(&o, '\n');
        print_tokens(&o, u, comments);
        if (goleak_unit_diagnostic_count(u) > 0) {
            out_flush(&o);
            print_diagnostics(u);
            if (status == 0) status = 1;
        }
        goleak_unit_free(u);
    }
    out_flush(&o);
    goleak_error_free(err);
    return status;
}
