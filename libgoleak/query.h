/* The query layer: the questions rules share, answered from the facts'
 * indexes (facts.h) and the unit's token -> node index. Built-in rules call
 * these with node and token indexes; query.c exposes them to every rule as
 * the goleak_check_* queries of the public API. */
#ifndef GOLEAK_QUERY_H
#define GOLEAK_QUERY_H

#include "facts.h"

/* ---- how a use treats its variable (uses.c) ---- */

typedef struct use_info {
    int kind;       /* enum goleak_use_kinds; -1: the token is not a use */
    unsigned flags; /* enum goleak_use_flag_bits */
    uint32_t node;  /* the node the use concerns (goleak_check_use_node), NONE32 */
    uint32_t slot;  /* the EXPR slot holding the whole value (x, &x, (x)), NONE32 */
    uint32_t index; /* ARG: the argument's position; COMPOSITE: its key token
                     * (NONE32 without key); SELECT: the selected name's token;
                     * ASSIGN, COPY, STORE, BLANK: the left-hand side's position */
} use_info;

/* Classifies the use at identifier token tok (see enum goleak_use_kinds).
 * The declaring token, field names and literal keys are not uses. */
void q_use(const facts *f, uint32_t tok, use_info *out);

/* ---- where a value goes (targets.c) ---- */

typedef struct value_target {
    int kind;       /* enum goleak_target_kinds */
    uint32_t owner; /* the ASSIGN, SPEC, RETURN, CALL, SEND or COMPOSITE node */
    uint32_t index; /* the left-hand side's or the argument's position */
    uint32_t first; /* the target's tokens (see goleak_check_value_target) */
    uint32_t last;
} value_target;

/* The EXPR slot holding exactly node n (n itself when it is one), NONE32. */
uint32_t q_slot_of(const facts *f, uint32_t n);

/* Where the value of expression node e (an EXPR slot, or a node an EXPR
 * holds exactly) goes; for a call assigned to several left-hand sides,
 * `result` picks one. */
void q_value_target(const facts *f, uint32_t e, uint32_t result, value_target *out);

/* The target kind of a left-hand side expression [a, b]: a variable, a
 * package variable, a field, an element, a dereference, the blank name. */
int q_lhs_kind(const facts *f, uint32_t a, uint32_t b);

#endif
