/* How a use treats its variable: the one classifier the rules share (see
 * query.h and enum goleak_use_kinds). A use is read from the innermost
 * node around it: an expression slot that holds exactly the variable (or
 * &x, (x)) says where the whole value goes; otherwise the tokens around it
 * say whether it is called, selected, indexed, received from, sent on,
 * ranged over, or an operand of a larger expression. */
#include "query.h"

/* The EXPR slot whose tokens are exactly tok, (tok) or &tok; NONE32 when
 * tok is part of a larger expression. *addr tells the & form. */
static uint32_t whole_slot(const facts *f, uint32_t tok, int *addr) {
    *addr = 0;
    uint32_t e = node_at(f, tok);
    if (f->nodes[e].kind != N(EXPR)) return NONE32;
    uint32_t a = f->nodes[e].first, b = f->nodes[e].last;
    while (a < b && f->toks[a].kind == T(LPAREN) && f->toks[b].kind == T(RPAREN)) a++, b--;
    if (a == b && a == tok) return e;
    if (a + 1 == b && b == tok && f->toks[a].kind == T(AND)) {
        *addr = 1;
        return e;
    }
    return NONE32;
}

/* The position of child c among its parent's children of the same role. */
static uint32_t role_index(const facts *f, uint32_t c) {
    uint32_t k = 0;
    for (uint32_t x = f->nodes[f->nodes[c].parent].child; x != c && x != NONE32;
         x = f->nodes[x].next)
        if (f->nodes[x].role == f->nodes[c].role) k++;
    return k;
}

/* The call whose callee ends right before `(` at token paren and starts at
 * token first: x(...) or x.m(...). */
static uint32_t call_starting(const facts *f, uint32_t first, uint32_t paren) {
    uint32_t c = call_at_key(f, paren);
    return c != NONE32 && f->nodes[c].first == first ? c : NONE32;
}

/* A value assigned (slot e of an ASSIGN or a var spec): copied to a local,
 * stored elsewhere, or thrown away. */
static void classify_assigned(const facts *f, uint32_t e, use_info *out) {
    value_target t;
    q_value_target(f, e, 0, &t);
    out->node = f->nodes[e].parent;
    out->index = t.index;
    out->kind = t.kind == GOLEAK_TARGET_BLANK ? GOLEAK_USE_BLANK
                : t.kind == GOLEAK_TARGET_VAR ? GOLEAK_USE_COPY
                                              : GOLEAK_USE_STORE;
}

/* Where the whole value in slot e goes, as a use kind. */
static void classify_slot(const facts *f, uint32_t e, use_info *out) {
    uint32_t owner = f->nodes[e].parent;
    int ok = f->nodes[owner].kind;
    out->slot = e;
    switch (f->nodes[e].role) {
    case R(LHS):
        out->kind = GOLEAK_USE_ASSIGN;
        out->node = owner;
        out->index = role_index(f, e);
        return;
    case R(RHS): classify_assigned(f, e, out); return;
    case R(RESULT):
        out->kind = GOLEAK_USE_RETURN;
        out->node = owner;
        return;
    case R(ARG):
        out->kind = GOLEAK_USE_ARG;
        out->node = owner;
        out->index = role_index(f, e);
        return;
    case R(CHAN):
        out->kind = GOLEAK_USE_SEND_ON;
        out->node = owner;
        return;
    case R(X):
        if (ok == N(RANGE)) {
            out->kind = GOLEAK_USE_RANGE;
            out->node = owner;
            return;
        }
        break;
    case R(KEY):
    case R(VALUE):
    case R(ELEM):
        if (ok == N(SEND)) {
            out->kind = GOLEAK_USE_SEND;
            out->node = owner;
            return;
        }
        if (ok == N(COMPOSITE)) {
            out->kind = GOLEAK_USE_COMPOSITE;
            out->node = owner;
            /* T{key: x}: the key slot comes right before its value */
            uint32_t key = NONE32;
            if (f->nodes[e].role == R(VALUE))
                for (uint32_t c = f->nodes[owner].child; c != NONE32 && c != e;
                     c = f->nodes[c].next)
                    key = f->nodes[c].role == R(KEY) ? c : NONE32;
            out->index = key != NONE32 ? f->nodes[key].first : NONE32;
            return;
        }
        if (ok == N(SPEC) && f->nodes[e].role == R(VALUE)) {
            classify_assigned(f, e, out);
            return;
        }
        if (ok == N(RANGE)) { /* for k, v = range: assigned each round */
            out->kind = GOLEAK_USE_ASSIGN;
            out->node = owner;
            return;
        }
        break;
    default: break;
    }
    out->kind = GOLEAK_USE_READ;
}

/* The flags of a use at token tok of variable v (declared in function vf):
 * inside a literal declared after v, under a defer or a go statement. */
static unsigned use_flags(const facts *f, uint32_t tok, const var_fact *v) {
    unsigned flags = 0;
    uint32_t n = node_at(f, tok);
    if (v->func != NONE32 && f->func_of[n] != v->func) flags |= GOLEAK_USE_CAPTURED;
    uint32_t stop = v->func;
    for (uint32_t p = n; p != NONE32 && p != stop; p = f->nodes[p].parent) {
        int k = f->nodes[p].kind;
        if (k == N(DEFER)) flags |= GOLEAK_USE_DEFERRED;
        if (k == N(GO)) flags |= GOLEAK_USE_GOROUTINE;
        if (k == N(FUNC)) break;
    }
    return flags;
}

void q_use(const facts *f, uint32_t tok, use_info *out) {
    out->kind = -1;
    out->flags = 0;
    out->node = out->slot = out->index = NONE32;
    if (f->toks[tok].kind != T(IDENT)) return;
    const var_fact *v = resolve(f, tok);
    if (!v || v->name == tok || field_or_key(f, tok)) return;
    out->flags = use_flags(f, tok, v);
    int next = f->toks[tok + 1].kind;
    if (next == T(LPAREN)) {
        out->kind = GOLEAK_USE_CALL;
        out->node = call_starting(f, tok, tok + 1);
        return;
    }
    if (next == T(PERIOD)) {
        out->kind = GOLEAK_USE_SELECT;
        out->index = tok + 2;
        if (f->toks[tok + 3].kind == T(LPAREN)) out->node = call_starting(f, tok, tok + 3);
        return;
    }
    if (next == T(LBRACK)) {
        out->kind = GOLEAK_USE_INDEX;
        return;
    }
    uint32_t n = node_at(f, tok);
    if (f->nodes[n].kind == N(RECV)) {
        /* <-x, <-(x): the operand is exactly the variable */
        uint32_t a = f->nodes[n].first + 1, b = f->nodes[n].last;
        while (a < b && f->toks[a].kind == T(LPAREN) && f->toks[b].kind == T(RPAREN)) a++, b--;
        if (a == tok && b == tok) {
            out->kind = GOLEAK_USE_RECEIVE;
            out->node = n;
            return;
        }
    }
    if (f->nodes[n].kind == N(INCDEC) && f->nodes[n].first == tok) {
        out->kind = GOLEAK_USE_ASSIGN;
        out->node = n;
        return;
    }
    int addr;
    uint32_t slot = whole_slot(f, tok, &addr);
    if (slot == NONE32) {
        out->kind = GOLEAK_USE_READ;
        return;
    }
    if (addr) out->flags |= GOLEAK_USE_ADDRESS;
    classify_slot(f, slot, out);
}
