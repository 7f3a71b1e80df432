/* The skeleton parser: tokens to the skeleton tree of goleak.h, with the
 * same grammar decisions as Go's go/parser (composite literals in control
 * clauses, type parameters versus array lengths, receive versus channel
 * types), recovery from syntax errors, and bounded recursion. */
#ifndef GOLEAK_SYNTAX_H
#define GOLEAK_SYNTAX_H

#include "unit.h"

/* Maximum nesting of recursive productions; deeper input is reported as
 * "exceeded max nesting depth" and parsing stops there. */
#define SYNTAX_MAX_DEPTH 1000

/* Builds u->nodes and u->root from u->toks; reports syntax errors as
 * diagnostics. Returns 0, or -1 when out of memory. */
int parse_unit(goleak_unit *u);

#endif
