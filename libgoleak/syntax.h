/* The skeleton parser: tokens to the skeleton tree of goleak.h, with the
 * same grammar decisions as Go's go/parser (composite literals in control
 * clauses, type parameters versus array lengths, receive versus channel
 * types), recovery from syntax errors, and go/parser's nesting limit. */
#ifndef GOLEAK_SYNTAX_H
#define GOLEAK_SYNTAX_H

#include "unit.h"

/* Builds u->nodes and u->root from u->toks; reports syntax errors as
 * diagnostics. Nesting deeper than u->max_depth (counted as go/parser
 * counts it) is reported as "exceeded max nesting depth", parsing stops
 * there and u->truncated is set. Input that nests too deeply for 64 KiB of
 * the caller's stack is parsed again on a thread with a large stack.
 * Returns 0, or -1 when out of memory. */
int parse_unit(goleak_unit *u);

/* Whether token kind k is = or := or an operator-assignment (+=, <<=...). */
int token_is_assign_op(int k);

#endif
