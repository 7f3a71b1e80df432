/* Lexer tests: every literal form, keyword and operator, every automatic
 * semicolon case, positions, and every lexical error with its recovery.
 * (The whole-tree agreement with go/scanner is tests/oracle.) */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "helpers.h"
#include "lexer.h"

#define TOKS(src, want)                                                                            \
    do {                                                                                           \
        goleak_unit *u_ = lex_str(src);                                                            \
        char *s_ = token_str(u_);                                                                  \
        assert_string_equal(s_, want);                                                             \
        free(s_);                                                                                  \
        goleak_unit_free(u_);                                                                      \
    } while (0)

#define DIAGS(src, want)                                                                           \
    do {                                                                                           \
        goleak_unit *u_ = lex_str(src);                                                            \
        char *s_ = diag_str(u_);                                                                   \
        assert_string_equal(s_, want);                                                             \
        free(s_);                                                                                  \
        goleak_unit_free(u_);                                                                      \
    } while (0)

/* Both the tokens and the diagnostics of a literal that may hold NULs. */
#define CHECK_BUF(lit, toks, diags) check_buf(lit, sizeof(lit) - 1, toks, diags)

static void check_buf(const char *src, size_t len, const char *toks, const char *diags) {
    goleak_parse_options o = GOLEAK_PARSE_OPTIONS_INIT;
    o.flags = GOLEAK_PARSE_TOKENS_ONLY;
    goleak_unit *u = NULL;
    assert_int_equal(goleak_unit_parse(&u, "t.go", src, len, &o, NULL), 0);
    char *t = token_str(u), *d = diag_str(u);
    assert_string_equal(t, toks);
    assert_string_equal(d, diags);
    free(t);
    free(d);
    goleak_unit_free(u);
}

static void test_byte_class_table(void **state) {
    (void)state;
    for (int c = 0; c < 256; c++) {
        unsigned want = 0;
        if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_')
            want |= C_IDENT;
        if (c == 0 || c == '\n' || c >= 0x80) want |= ALL_STOPS;
        if (c == '"' || c == '\\') want |= C_DQ_STOP;
        if (c == '*') want |= C_BC_STOP;
        if (c == '`' || c == '\r') want |= C_RS_STOP;
        assert_int_equal(lexer_byte_class[c], want);
    }
}

static void test_identifiers(void **state) {
    (void)state;
    TOKS("x _y a1 _ ", "IDENT(x) IDENT(_y) IDENT(a1) IDENT(_) NL EOF");
    TOKS("αβ ℕ x٣ 日本語", "IDENT(αβ) IDENT(ℕ) IDENT(x٣) IDENT(日本語) NL EOF");
    /* a Unicode digit cannot start an identifier */
    TOKS("٣", "ILLEGAL(٣) EOF");
    /* near-keywords stay identifiers */
    TOKS("breaks go_ func1 Type typ ranges i",
         "IDENT(breaks) IDENT(go_) IDENT(func1) "
         "IDENT(Type) IDENT(typ) IDENT(ranges) IDENT(i) NL EOF");
}

/* The 16-byte scans: runs of every length around the block size, ending on
 * every kind of stop byte and at the very end of the input (where only the
 * zero padding follows); keywords with a tail that makes them identifiers. */
static void test_block_scans(void **state) {
    (void)state;
    char src[256], want[512];
    for (int n = 1; n <= 40; n++) {
        char id[48];
        for (int k = 0; k < n; k++) id[k] = "abcdefghijklmnopqrstuvwxyz0123456789_XYZ"[k];
        id[0] = 'a';
        id[n] = 0;
        snprintf(src, sizeof src, "%s", id); /* at the end of the input */
        snprintf(want, sizeof want, "IDENT(%s) NL EOF", id);
        TOKS(src, want);
        snprintf(src, sizeof src, "%s.%s+%s\xce\xb1", id, id, id); /* then an ASCII stop, UTF-8 */
        snprintf(want, sizeof want, "IDENT(%s) . IDENT(%s) + IDENT(%s\xce\xb1) NL EOF", id, id, id);
        TOKS(src, want);
        snprintf(src, sizeof src, "\"%s\"`%s`//%s", id, id, id); /* strings, comment at the end */
        snprintf(want, sizeof want, "STRING(\"%s\") STRING(`%s`) NL EOF", id, id);
        TOKS(src, want);
        snprintf(src, sizeof src, "x%*sy\t\t%*s/*%s*/z", n, "", n % 17, "", id); /* blank runs */
        TOKS(src, "IDENT(x) IDENT(y) IDENT(z) NL EOF");
    }
    TOKS("continue continued interface interfaces fallthrough fallthroughs",
         "continue IDENT(continued) interface IDENT(interfaces) fallthrough "
         "IDENT(fallthroughs) NL EOF");
    TOKS("fallthroug interfac continu", "IDENT(fallthroug) IDENT(interfac) IDENT(continu) NL EOF");
}

static void test_keywords(void **state) {
    (void)state;
    TOKS("break case chan const continue default defer else fallthrough for func go goto if "
         "import interface map package range return select struct switch type var",
         "break case chan const continue default defer else fallthrough for func go goto if "
         "import interface map package range return select struct switch type var EOF");
}

static void test_operators(void **state) {
    (void)state;
    TOKS("+ - * / % & | ^ << >> &^ += -= *= /= %= &= |= ^= <<= >>= &^= && || <- ++ -- == < > = "
         "! ~ != <= >= := ... ( [ { , . ) ] } ; :",
         "+ - * / % & | ^ << >> &^ += -= *= /= %= &= |= ^= <<= >>= &^= && || <- ++ -- == < > = "
         "! ~ != <= >= := ... ( [ { , . ) ] } ; : EOF");
    /* longest match */
    TOKS("a<<=b&^=c...d..e", "IDENT(a) <<= IDENT(b) &^= IDENT(c) ... IDENT(d) . . IDENT(e) NL EOF");
    TOKS("x<-y", "IDENT(x) <- IDENT(y) NL EOF");
}

static void test_integers(void **state) {
    (void)state;
    TOKS("0 123 0x1F 0X_1f 0o17 0O17 017 0b101 0B1 1_000_000 0_7 0x_dead_BEEF",
         "INT(0) INT(123) INT(0x1F) INT(0X_1f) INT(0o17) INT(0O17) INT(017) INT(0b101) "
         "INT(0B1) INT(1_000_000) INT(0_7) INT(0x_dead_BEEF) NL EOF");
    DIAGS("0 123 0x1F 0X_1f 0o17 0O17 017 0b101 0B1 1_000_000 0_7", "");
}

static void test_floats(void **state) {
    (void)state;
    TOKS("1. .5 1.5 1e3 1E+3 1.5e-3 0x1p-2 0x1.8P3 0x_1p0 1_0.2_5 0.e1 00.5 09.5 0x.8p1",
         "FLOAT(1.) FLOAT(.5) FLOAT(1.5) FLOAT(1e3) FLOAT(1E+3) FLOAT(1.5e-3) FLOAT(0x1p-2) "
         "FLOAT(0x1.8P3) FLOAT(0x_1p0) FLOAT(1_0.2_5) FLOAT(0.e1) FLOAT(00.5) FLOAT(09.5) "
         "FLOAT(0x.8p1) NL EOF");
    DIAGS("1. .5 1.5 1e3 1E+3 1.5e-3 0x1p-2 0x1.8P3 0x_1p0 1_0.2_5 0.e1 00.5 09.5 0x.8p1", "");
}

static void test_imaginary(void **state) {
    (void)state;
    TOKS("1i 1.5i 0x1p2i 0b1i 0o7i 017i 1e2i .5i 0i",
         "IMAG(1i) IMAG(1.5i) IMAG(0x1p2i) IMAG(0b1i) IMAG(0o7i) IMAG(017i) IMAG(1e2i) "
         "IMAG(.5i) IMAG(0i) NL EOF");
    DIAGS("1i 1.5i 0x1p2i 0b1i 0o7i 017i 1e2i .5i 0i", "");
}

static void test_runes(void **state) {
    (void)state;
    const char *src = "'a' 'ä' '本' '\\a' '\\b' '\\f' '\\n' '\\r' '\\t' '\\v' '\\\\' '\\'' "
                      "'\\x41' '\\101' '\\u12e4' '\\U00101234' '\"'";
    TOKS(src, "CHAR('a') CHAR('ä') CHAR('本') CHAR('\\a') CHAR('\\b') CHAR('\\f') CHAR('\\n') "
              "CHAR('\\r') CHAR('\\t') CHAR('\\v') CHAR('\\\\') CHAR('\\'') CHAR('\\x41') "
              "CHAR('\\101') CHAR('\\u12e4') CHAR('\\U00101234') CHAR('\"') NL EOF");
    DIAGS(src, "");
}

static void test_strings(void **state) {
    (void)state;
    const char *src = "\"\" \"abc\" \"\\\"\" \"\\\\\" \"\\x41\\101\\u00e4\\U0001F600\" \"日本\" "
                      "\"\\a\\b\\f\\n\\r\\t\\v'\"";
    TOKS(src, "STRING(\"\") STRING(\"abc\") STRING(\"\\\"\") STRING(\"\\\\\") "
              "STRING(\"\\x41\\101\\u00e4\\U0001F600\") STRING(\"日本\") "
              "STRING(\"\\a\\b\\f\\n\\r\\t\\v'\") NL EOF");
    DIAGS(src, "");
}

static void test_raw_strings(void **state) {
    (void)state;
    goleak_unit *u = lex_str("`a\\n\nb\r\nc` x");
    char *s = token_str(u);
    assert_string_equal(s, "STRING(`a\\n\nb\r\nc`) IDENT(x) NL EOF");
    free(s);
    /* the raw string spans lines: x is on line 3 */
    goleak_span sp = goleak_unit_token_span(u, 1);
    assert_int_equal(sp.start.line, 3);
    assert_int_equal(sp.start.column, 4);
    assert_int_equal(goleak_unit_line_count(u), 3);
    goleak_unit_free(u);
    DIAGS("``", "");
}

static void test_comments(void **state) {
    (void)state;
    goleak_unit *u = lex_str("// a\nx /* b\nc */ y // d");
    char *s = token_str(u);
    /* comments are not tokens; the block comment holding a newline ends the line */
    assert_string_equal(s, "IDENT(x) NL IDENT(y) NL EOF");
    free(s);
    assert_int_equal(goleak_unit_comment_count(u), 3);
    size_t n;
    const char *t = goleak_unit_comment_text(u, 1, &n);
    assert_int_equal(n, 9);
    assert_memory_equal(t, "/* b\nc */", 9);
    goleak_span sp = goleak_unit_comment_span(u, 2);
    assert_int_equal(sp.start.line, 3);
    assert_int_equal(sp.start.column, 8);
    goleak_unit_free(u);
}

static void test_semicolon_after_line_enders(void **state) {
    (void)state;
    TOKS("x\n", "IDENT(x) NL EOF");
    TOKS("1\n1.0\n1i\n'a'\n\"s\"\n`r`\n",
         "INT(1) NL FLOAT(1.0) NL IMAG(1i) NL CHAR('a') NL STRING(\"s\") NL STRING(`r`) NL EOF");
    TOKS("break\ncontinue\nfallthrough\nreturn\n",
         "break NL continue NL fallthrough NL return NL EOF");
    TOKS(")\n]\n}\nx++\nx--\n", ") NL ] NL } NL IDENT(x) ++ NL IDENT(x) -- NL EOF");
}

static void test_no_semicolon_after_others(void **state) {
    (void)state;
    TOKS("+\n(\n{\n,\n.\nfunc\nif\ngo\nx =\n", "+ ( { , . func if go IDENT(x) = EOF");
    /* blank lines and comment lines add nothing */
    TOKS("x\n\n\n// c\n\ny", "IDENT(x) NL IDENT(y) NL EOF");
}

static void test_semicolon_at_eof(void **state) {
    (void)state;
    TOKS("x", "IDENT(x) NL EOF");
    TOKS("x /* c */", "IDENT(x) NL EOF");
    TOKS("", "EOF");
    goleak_unit *u = lex_str("x");
    goleak_span semi = goleak_unit_token_span(u, 1), eof = goleak_unit_token_span(u, 2);
    assert_int_equal(semi.start.offset, 1);
    assert_int_equal(eof.start.offset, 1);
    goleak_unit_free(u);
}

/* The offset of the automatic semicolon (token 1) of a one-line source. */
static uint32_t semi_offset(const char *src) {
    goleak_unit *u = lex_str(src);
    assert_int_equal(goleak_unit_token_kind(u, 1), GOLEAK_TOKEN_SEMICOLON);
    assert_true(goleak_unit_token_is_automatic(u, 1));
    uint32_t off = goleak_unit_token_span(u, 1).start.offset;
    goleak_unit_free(u);
    return off;
}

static void test_semicolon_before_comments(void **state) {
    (void)state;
    /* the semicolon goes at the comment that ends the line */
    assert_int_equal(semi_offset("x // c\ny"), 2);
    assert_int_equal(semi_offset("x /* c */\ny"), 2);
    assert_int_equal(semi_offset("x /* a\nb */ y"), 2);
    assert_int_equal(semi_offset("x /* a */ /* b */\ny"), 2);
    assert_int_equal(semi_offset("x /* a */ // b\ny"), 2);
    /* ... and at the newline otherwise */
    assert_int_equal(semi_offset("x  \ny"), 3);
    assert_int_equal(semi_offset("x\r\ny"), 2);
    /* a comment followed by a token on the same line cancels nothing */
    TOKS("x /* c */ y\n", "IDENT(x) IDENT(y) NL EOF");
    TOKS("x;y", "IDENT(x) ; IDENT(y) NL EOF");
}

static void test_positions(void **state) {
    (void)state;
    /* a leading byte order mark is skipped but counts: column 4 */
    goleak_unit *u = lex_str("\xEF\xBB\xBFpackage p");
    goleak_span sp = goleak_unit_token_span(u, 0);
    assert_int_equal(sp.start.line, 1);
    assert_int_equal(sp.start.column, 4);
    assert_int_equal(goleak_unit_diagnostic_count(u), 0);
    goleak_unit_free(u);
    /* columns count bytes: a tab is one, é is two */
    u = lex_str("\tx é y\n");
    assert_int_equal(goleak_unit_token_span(u, 0).start.column, 2);
    assert_int_equal(goleak_unit_token_span(u, 1).start.column, 4);
    assert_int_equal(goleak_unit_token_span(u, 2).start.column, 7);
    sp = goleak_unit_token_span(u, 1);
    assert_int_equal(sp.end.offset - sp.start.offset, 2);
    /* EOF after a final newline: line count + 1, column 1 */
    sp = goleak_unit_token_span(u, goleak_unit_token_count(u) - 1);
    assert_int_equal(sp.start.line, 2);
    assert_int_equal(sp.start.column, 1);
    goleak_unit_free(u);
}

static void test_error_illegal_character(void **state) {
    (void)state;
    TOKS("# x", "ILLEGAL(#) IDENT(x) NL EOF");
    DIAGS("# x", "1:1 illegal character U+0023 '#'");
    /* an illegal character keeps a pending semicolon */
    TOKS("x @\ny", "IDENT(x) ILLEGAL(@) NL IDENT(y) NL EOF");
    DIAGS("a ? b", "1:3 illegal character U+003F '?'");
    DIAGS("\x01", "1:1 illegal character U+0001");
    TOKS("\x01", "ILLEGAL(\\x01) EOF");
    DIAGS("x \f", "1:3 illegal character U+000C");
    TOKS("€", "ILLEGAL(€) EOF");
    DIAGS("€", "1:1 illegal character U+20AC '€'");
}

static void test_error_unterminated(void **state) {
    (void)state;
    TOKS("\"abc\nx", "STRING(\"abc) NL IDENT(x) NL EOF");
    DIAGS("\"abc\nx", "1:1 string literal not terminated");
    DIAGS("\"abc", "1:1 string literal not terminated");
    DIAGS("`abc", "1:1 raw string literal not terminated");
    TOKS("`abc", "STRING(`abc) NL EOF");
    DIAGS("'a", "1:1 rune literal not terminated");
    DIAGS("'\n", "1:1 rune literal not terminated");
    DIAGS("x /* abc", "1:3 comment not terminated");
    TOKS("x /* abc", "IDENT(x) NL EOF");
}

static void test_error_rune_literals(void **state) {
    (void)state;
    DIAGS("'ab'", "1:1 illegal rune literal");
    DIAGS("''", "1:1 illegal rune literal");
    TOKS("'ab' x", "CHAR('ab') IDENT(x) NL EOF");
}

static void test_error_escapes(void **state) {
    (void)state;
    DIAGS("\"\\q\"", "1:3 unknown escape sequence");
    TOKS("\"\\q\" x", "STRING(\"\\q\") IDENT(x) NL EOF");
    DIAGS("\"\\x4\"", "1:5 illegal character U+0022 '\"' in escape sequence");
    DIAGS("'\\uD800'", "1:3 escape sequence is invalid Unicode code point");
    DIAGS("\"\\U00110000\"", "1:3 escape sequence is invalid Unicode code point");
    DIAGS("'\\400'", "1:3 escape sequence is invalid Unicode code point");
    /* diagnostics are sorted by position */
    DIAGS("\"\\", "1:1 string literal not terminated|1:3 escape sequence not terminated");
    DIAGS("'\\\"'", "1:3 unknown escape sequence");
    DIAGS("\"\\8\"", "1:3 unknown escape sequence");
}

static void test_error_encoding(void **state) {
    (void)state;
    CHECK_BUF("x\xff", "IDENT(x) ILLEGAL(\xff) NL EOF",
              "1:2 illegal UTF-8 encoding|1:2 illegal character U+FFFD '\xEF\xBF\xBD'");
    /* inside literals and comments the encoding is checked too */
    CHECK_BUF("\"a\xc3\"", "STRING(\"a\xc3\") NL EOF", "1:3 illegal UTF-8 encoding");
    CHECK_BUF("// \xed\xa0\x80\nx", "IDENT(x) NL EOF",
              "1:4 illegal UTF-8 encoding|1:5 illegal UTF-8 encoding|1:6 illegal UTF-8 encoding");
    CHECK_BUF("x\0y", "IDENT(x) ILLEGAL(\\x00) IDENT(y) NL EOF",
              "1:2 illegal character NUL|1:2 illegal character U+0000");
    CHECK_BUF("\"\0\"", "STRING(\"\\x00\") NL EOF", "1:2 illegal character NUL");
    CHECK_BUF("x \xEF\xBB\xBF", "IDENT(x) ILLEGAL(\xEF\xBB\xBF) NL EOF",
              "1:3 illegal byte order mark");
}

static void test_error_numbers(void **state) {
    (void)state;
    DIAGS("09", "1:2 invalid digit '9' in octal literal");
    DIAGS("0b12", "1:4 invalid digit '2' in binary literal");
    DIAGS("0o8", "1:3 invalid digit '8' in octal literal");
    DIAGS("0x", "1:3 hexadecimal literal has no digits");
    DIAGS("0b", "1:3 binary literal has no digits");
    DIAGS("1__0", "1:3 '_' must separate successive digits");
    DIAGS("1_", "1:2 '_' must separate successive digits");
    DIAGS("0x_", "1:3 '_' must separate successive digits|1:4 hexadecimal literal has no digits");
    DIAGS("1e", "1:3 exponent has no digits");
    DIAGS("1e+", "1:4 exponent has no digits");
    DIAGS("0x1.0", "1:6 hexadecimal mantissa requires a 'p' exponent");
    DIAGS("0b1.0", "1:4 invalid radix point in binary literal");
    DIAGS("1p3", "1:2 'p' exponent requires hexadecimal mantissa");
    DIAGS("0o1e3", "1:4 'e' exponent requires decimal mantissa");
    TOKS("09 x", "INT(09) IDENT(x) NL EOF");
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_byte_class_table),
        cmocka_unit_test(test_identifiers),
        cmocka_unit_test(test_keywords),
        cmocka_unit_test(test_block_scans),
        cmocka_unit_test(test_operators),
        cmocka_unit_test(test_integers),
        cmocka_unit_test(test_floats),
        cmocka_unit_test(test_imaginary),
        cmocka_unit_test(test_runes),
        cmocka_unit_test(test_strings),
        cmocka_unit_test(test_raw_strings),
        cmocka_unit_test(test_comments),
        cmocka_unit_test(test_semicolon_after_line_enders),
        cmocka_unit_test(test_no_semicolon_after_others),
        cmocka_unit_test(test_semicolon_at_eof),
        cmocka_unit_test(test_semicolon_before_comments),
        cmocka_unit_test(test_positions),
        cmocka_unit_test(test_error_illegal_character),
        cmocka_unit_test(test_error_unterminated),
        cmocka_unit_test(test_error_rune_literals),
        cmocka_unit_test(test_error_escapes),
        cmocka_unit_test(test_error_encoding),
        cmocka_unit_test(test_error_numbers),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
