#!/usr/bin/env python3
"""Writes the lexer edge cases of tests/oracle/lexer/: small files, many of
them invalid on purpose (bad escapes, invalid UTF-8, NUL bytes, byte order
marks, CR line ends, unterminated literals), whose token streams are compared
with Go's own go/scanner by the oracle tests. Run it to regenerate them."""
import os

CASES = {
    "bom.go": b"\xef\xbb\xbfpackage p\n\nvar x = 1\n",
    "bom_twice.go": b"\xef\xbb\xbfpackage p\n\xef\xbb\xbfvar x = 1\n",
    "crlf.go": b"package p\r\n\r\nfunc f() {\r\n\tx := 1 // c\r\n\t_ = x\r\n}\r\n",
    "raw_cr.go": b"package p\n\nvar s = `a\r\nb\r\n`\nvar t = `\r`\n",
    "comment_cr.go": b"package p\n\n/* a\r\nb *\r/ */\nvar x = 1 // c\r\n/*\r*/\n",
    "nul.go": b"package p\n\nvar x = \"a\x00b\"\nvar y\x00 = 1\n// \x00\n",
    "utf8_bad.go": b"package p\n\nvar x = \"\xff\xfe\"\nvar \xc3y = 1\nvar z = '\xe2\x82'\n// \xed\xa0\x80\n",
    "utf8_ident.go": "package p\n\nvar αβγ, ℕ, x٣, 日本 = 1, 2, 3, 4\nvar ٣ = 5\nvar € = 6\n".encode(),
    "escapes_bad.go": b"package p\n\nvar a = \"\\q\\x4\\400\\uD800\\U00110000\\8\"\nvar b = '\\'\nvar c = '\\x'\nvar d = \"\\",
    "runes_bad.go": b"package p\n\nvar a = 'ab'\nvar b = ''\nvar c = '\nvar d = '\\u12'\n",
    "numbers_bad.go": b"package p\n\nvar a = 09 + 0b12 + 0o8 + 0x + 0b\nvar b = 1__0 + 1_ + 0x_ + 1e + 1e+\nvar c = 0x1.0 + 0b1.0 + 1p3 + 0o1e3 + 0x1p\nvar d = 0_x1 + 0b_1 + 0._1 + 1._ + 0x1_p2\n",
    "numbers_good.go": b"package p\n\nvar a = 0 + 123 + 0x1F + 0X_1f + 0o17 + 0O17 + 017 + 0b101 + 0B1 + 1_000\nvar b = 1. + .5 + 1e3 + 1E+3 + 1.5e-3 + 0x1p-2 + 0x1.8P3 + 0x.8p1 + 09.5 + 00.5\nvar c = 1i + 1.5i + 0x1p2i + 0b1i + 0o7i + 017i + 1e2i + .5i\n",
    "unterminated_string.go": b"package p\n\nvar a = \"abc\nvar b = 1\n",
    "unterminated_raw.go": b"package p\n\nvar a = `abc\n",
    "unterminated_comment.go": b"package p\n\nvar a = 1 /* abc\n",
    "unterminated_comment2.go": b"package p\n\nvar a /* abc",
    "illegal_chars.go": b"package p\n\nvar a = 1 # 2 $ 3 ? 4 @\nvar b = \\ \x01 \x7f \x0c\n",
    "semicolons.go": b"package p\n\nfunc f() {\n\tx := 1 /* a */ /* b */\n\ty := 2 /* a\n\tb */ z := 3\n\treturn /* c */\n\tfor {\n\t\tbreak\n\t\tcontinue\n\t}\n\tx++\n\ty--\n\t_ = []int{1}[0]\n\t_ = x /* c */ + y\n}",
    "eof_no_newline.go": b"package p\n\nvar x = y",
    "eof_comment.go": b"package p\n\nvar x = y // tail",
    "empty.go": b"",
    "only_comment.go": b"// just a comment",
    "operators.go": b"package p\n\nvar _ = a+b-c*d/e%f&g|h^i<<j>>k&^l\nfunc f() {\n\ta += 1; a -= 1; a *= 1; a /= 1; a %= 1; a &= 1; a |= 1; a ^= 1; a <<= 1; a >>= 1; a &^= 1\n\t_ = a && b || !c == d != e < f <= g > h >= i\n\tc <- <-c\n\tg(x...)\n\ttype T[P ~int | ~string] struct{}\n}\n",
}

here = os.path.join(os.path.dirname(os.path.abspath(__file__)), "lexer")
os.makedirs(here, exist_ok=True)
for name, data in CASES.items():
    with open(os.path.join(here, name), "wb") as f:
        f.write(data)
