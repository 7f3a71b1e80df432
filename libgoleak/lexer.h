/* The Go lexer: bytes to tokens, exactly as Go's go/scanner sees them
 * (automatic semicolons, positions, error recovery), without allocating per
 * token. */
#ifndef GOLEAK_LEXER_H
#define GOLEAK_LEXER_H

#include "unit.h"

/* Byte classes, one bit per scanning context. A "stop" byte ends the fast
 * inner loop of that context; the loop then decides what it means. */
enum {
    C_IDENT = 1u << 0,   /* [A-Za-z0-9_]: continues an identifier */
    C_DQ_STOP = 1u << 1, /* " \ newline NUL >=0x80: stops an interpreted string */
    C_LC_STOP = 1u << 2, /* newline NUL >=0x80: stops a line comment */
    C_BC_STOP = 1u << 3, /* * newline NUL >=0x80: stops a block comment */
    C_RS_STOP = 1u << 4  /* ` newline CR NUL >=0x80: stops a raw string */
};

#define ALL_STOPS (C_DQ_STOP | C_LC_STOP | C_BC_STOP | C_RS_STOP)

/* The C_* bits of each byte (checked entry by entry by the unit tests). */
extern const uint8_t lexer_byte_class[256];

/* lex_unit's result when the file has more than u->max_tokens tokens and
 * comments: it stops there. */
#define LEX_TOO_MANY (-2)

/* Lexes u->src[0, u->len) (followed by SRC_PADDING zero bytes) into
 * u->toks (ending with EOF), u->comments and u->lines, and reports lexical
 * errors as diagnostics. Returns 0, -1 when out of memory, or
 * LEX_TOO_MANY. */
int lex_unit(goleak_unit *u);

/* Go's spelling of a token kind ("IDENT", "+", "break"). */
const char *token_kind_name(int kind);

#endif
