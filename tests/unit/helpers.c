/* Test helpers: see helpers.h. */
#include "helpers.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

typedef struct sbuf {
    char *s;
    size_t len, cap;
} sbuf;

static void sb_add(sbuf *b, const char *s, size_t n) {
    if (b->len + n + 1 > b->cap) {
        b->cap = (b->len + n + 1) * 2;
        b->s = realloc(b->s, b->cap);
        assert_non_null(b->s);
    }
    memcpy(b->s + b->len, s, n);
    b->len += n;
    b->s[b->len] = 0;
}

static void sb_str(sbuf *b, const char *s) {
    sb_add(b, s, strlen(s));
}

static void sb_printf(sbuf *b, const char *fmt, ...) {
    char tmp[512];
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(tmp, sizeof tmp, fmt, ap);
    va_end(ap);
    sb_add(b, tmp, (size_t)n < sizeof tmp ? (size_t)n : sizeof tmp - 1);
}

static goleak_unit *parse_with(const char *src, size_t len, unsigned flags) {
    goleak_parse_options o = GOLEAK_PARSE_OPTIONS_INIT;
    o.flags = flags;
    goleak_unit *u = NULL;
    assert_int_equal(goleak_unit_parse(&u, "test.go", src, len, &o, NULL), 0);
    assert_non_null(u);
    return u;
}

goleak_unit *parse_str(const char *src) {
    return parse_with(src, strlen(src), 0);
}

goleak_unit *parse_buf(const char *src, size_t len) {
    return parse_with(src, len, 0);
}

goleak_unit *lex_str(const char *src) {
    return parse_with(src, strlen(src), GOLEAK_PARSE_TOKENS_ONLY);
}

char *token_str(const goleak_unit *u) {
    sbuf b = {0};
    sb_str(&b, "");
    size_t n = goleak_unit_token_count(u);
    for (size_t i = 0; i < n; i++) {
        int k = goleak_unit_token_kind(u, i);
        if (i) sb_str(&b, " ");
        size_t len;
        const char *t = goleak_unit_token_text(u, i, &len);
        if (k == GOLEAK_TOKEN_SEMICOLON) {
            sb_str(&b, goleak_unit_token_is_automatic(u, i) ? "NL" : ";");
        } else if (k == GOLEAK_TOKEN_ILLEGAL ||
                   (k >= GOLEAK_TOKEN_IDENT && k <= GOLEAK_TOKEN_STRING)) {
            sb_printf(&b, "%s(", goleak_token_kind_name(k));
            for (size_t j = 0; j < len; j++) {
                unsigned char c = (unsigned char)t[j];
                if (c < 0x20 && c != '\n' && c != '\r' && c != '\t')
                    sb_printf(&b, "\\x%02x", c); /* NUL and controls stay visible */
                else
                    sb_add(&b, t + j, 1);
            }
            sb_str(&b, ")");
        } else {
            sb_str(&b, goleak_token_kind_name(k));
        }
    }
    return b.s;
}

static void tree_rec(sbuf *b, const goleak_node *n) {
    sb_str(b, "(");
    sb_str(b, goleak_node_kind_name(goleak_node_kind(n)));
    if (goleak_node_role(n) != GOLEAK_ROLE_NONE) {
        sb_str(b, ".");
        sb_str(b, goleak_node_role_name(goleak_node_role(n)));
    }
    for (const goleak_node *c = goleak_node_first_child(n); c; c = goleak_node_next_sibling(c)) {
        sb_str(b, " ");
        tree_rec(b, c);
    }
    sb_str(b, ")");
}

char *tree_str(const goleak_unit *u) {
    sbuf b = {0};
    sb_str(&b, "");
    const goleak_node *root = goleak_unit_root(u);
    if (root) tree_rec(&b, root);
    return b.s;
}

char *diag_str(const goleak_unit *u) {
    sbuf b = {0};
    sb_str(&b, "");
    size_t n = goleak_unit_diagnostic_count(u);
    for (size_t i = 0; i < n; i++) {
        goleak_pos p = goleak_unit_diagnostic_pos(u, i);
        if (i) sb_str(&b, "|");
        sb_printf(&b, "%u:%u %s", (unsigned)p.line, (unsigned)p.column,
                  goleak_unit_diagnostic_message(u, i));
    }
    return b.s;
}

static const goleak_node *find_rec(const goleak_node *n, int kind) {
    if (goleak_node_kind(n) == kind) return n;
    for (const goleak_node *c = goleak_node_first_child(n); c; c = goleak_node_next_sibling(c)) {
        const goleak_node *r = find_rec(c, kind);
        if (r) return r;
    }
    return NULL;
}

const goleak_node *find_node(const goleak_unit *u, int kind) {
    const goleak_node *root = goleak_unit_root(u);
    return root ? find_rec(root, kind) : NULL;
}

char *node_text(const goleak_node *n) {
    size_t len;
    const char *t = goleak_node_text(n, &len);
    char *s = malloc(len + 1);
    assert_non_null(s);
    memcpy(s, t, len);
    s[len] = 0;
    return s;
}
