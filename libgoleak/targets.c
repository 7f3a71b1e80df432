/* Where a value goes: the one answer to "which variable, field, element,
 * return or argument receives this expression" that the rules share (see
 * query.h and enum goleak_target_kinds). */
#include "query.h"

/* Whether [a, b] spells exactly the tokens of node n, (n) or &n. */
static int holds_exactly(const facts *f, uint32_t a, uint32_t b, uint32_t n) {
    while (a < b && f->toks[a].kind == T(LPAREN) && f->toks[b].kind == T(RPAREN) &&
           a < f->nodes[n].first)
        a++, b--;
    if (a < f->nodes[n].first && f->toks[a].kind == T(AND)) a++;
    return a == f->nodes[n].first && b == f->nodes[n].last;
}

uint32_t q_slot_of(const facts *f, uint32_t n) {
    if (n == NONE32) return NONE32;
    if (f->nodes[n].kind == N(EXPR)) return n;
    uint32_t p = f->nodes[n].parent;
    if (p == NONE32 || f->nodes[p].kind != N(EXPR)) return NONE32;
    return holds_exactly(f, f->nodes[p].first, f->nodes[p].last, n) ? p : NONE32;
}

int q_lhs_kind(const facts *f, uint32_t a, uint32_t b) {
    while (a < b && f->toks[a].kind == T(LPAREN) && f->toks[b].kind == T(RPAREN)) a++, b--;
    if (a == b && f->toks[a].kind == T(IDENT)) {
        if (tok_is(f, a, "_")) return GOLEAK_TARGET_BLANK;
        const var_fact *v = resolve(f, a);
        /* a name the file does not declare is a package variable of another file */
        return v && !(v->flags & VF_PKG) ? GOLEAK_TARGET_VAR : GOLEAK_TARGET_PACKAGE_VAR;
    }
    if (f->toks[a].kind == T(MUL)) return GOLEAK_TARGET_DEREF;
    if (f->toks[b].kind == T(RBRACK)) return GOLEAK_TARGET_INDEX;
    if (b > a && f->toks[b].kind == T(IDENT) && f->toks[b - 1].kind == T(PERIOD))
        return GOLEAK_TARGET_FIELD;
    return GOLEAK_TARGET_NONE;
}

/* The number of children of n with role r, and the position of c among them. */
static uint32_t count_role(const facts *f, uint32_t n, int r, uint32_t c, uint32_t *pos) {
    uint32_t k = 0;
    for (uint32_t x = f->nodes[n].child; x != NONE32; x = f->nodes[x].next) {
        if (f->nodes[x].role != r) continue;
        if (x == c) *pos = k;
        k++;
    }
    return k;
}

/* The k-th name a var or const spec declares (its identifiers before the
 * type or the first value), NONE32. */
static uint32_t spec_name(const facts *f, uint32_t spec, uint32_t k) {
    uint32_t type = child_by_role(f, spec, R(TYPE)), value = child_by_role(f, spec, R(VALUE));
    uint32_t end = type != NONE32    ? f->nodes[type].first
                   : value != NONE32 ? f->nodes[value].first
                                     : f->nodes[spec].last + 1;
    for (uint32_t i = f->nodes[spec].first; i < end; i++)
        if (f->toks[i].kind == T(IDENT) && k-- == 0) return i;
    return NONE32;
}

static void set(value_target *t, int kind, uint32_t owner, uint32_t index, uint32_t first,
                uint32_t last) {
    t->kind = kind;
    t->owner = owner;
    t->index = index;
    t->first = first;
    t->last = last;
}

void q_value_target(const facts *f, uint32_t e, uint32_t result, value_target *out) {
    set(out, GOLEAK_TARGET_NONE, NONE32, NONE32, NONE32, NONE32);
    uint32_t slot = q_slot_of(f, e);
    if (slot == NONE32) return;
    uint32_t owner = f->nodes[slot].parent;
    int ok = f->nodes[owner].kind, role = f->nodes[slot].role;
    uint32_t pos = 0;
    if (role == R(RHS) && ok == N(ASSIGN)) {
        uint32_t nrhs = count_role(f, owner, R(RHS), slot, &pos);
        uint32_t nlhs = count_role(f, owner, R(LHS), NONE32, &pos);
        /* a = x, or a, b = x, y; a, b = f() distributes f's results */
        uint32_t k = nrhs == nlhs ? pos : nrhs == 1 ? result : NONE32;
        uint32_t lhs = k != NONE32 ? nth_child_by_role(f, owner, R(LHS), k) : NONE32;
        if (lhs == NONE32) return;
        uint32_t a = f->nodes[lhs].first, b = f->nodes[lhs].last;
        set(out, q_lhs_kind(f, a, b), owner, k, a, b);
        return;
    }
    if (role == R(VALUE) && ok == N(SPEC)) {
        /* var a, b = x, y; var a, b = f() distributes f's results */
        uint32_t k = count_role(f, owner, R(VALUE), slot, &pos) == 1 ? result : pos;
        uint32_t name = spec_name(f, owner, k);
        if (name == NONE32) return;
        int pkg = f->nodes[owner].parent != NONE32 &&
                  f->nodes[f->nodes[owner].parent].parent != NONE32 &&
                  f->nodes[f->nodes[f->nodes[owner].parent].parent].kind == N(FILE);
        int kind = tok_is(f, name, "_") ? GOLEAK_TARGET_BLANK
                   : pkg                ? GOLEAK_TARGET_PACKAGE_VAR
                                        : GOLEAK_TARGET_VAR;
        set(out, kind, owner, k, name, name);
        return;
    }
    switch (role) {
    case R(RESULT):
        if (ok == N(RETURN))
            set(out, GOLEAK_TARGET_RETURN, owner, NONE32, f->nodes[owner].first,
                f->nodes[owner].first);
        return;
    case R(ARG): {
        count_role(f, owner, R(ARG), slot, &pos);
        uint32_t key = f->nodes[owner].key;
        set(out, GOLEAK_TARGET_ARG, owner, pos, f->nodes[owner].first,
            key != NONE32 && key > f->nodes[owner].first ? key - 1 : f->nodes[owner].first);
        return;
    }
    case R(VALUE):
    case R(ELEM):
        if (ok == N(SEND)) {
            uint32_t ch = child_by_role(f, owner, R(CHAN));
            set(out, GOLEAK_TARGET_SEND, owner, NONE32, ch != NONE32 ? f->nodes[ch].first : NONE32,
                ch != NONE32 ? f->nodes[ch].last : NONE32);
        } else if (ok == N(COMPOSITE)) {
            uint32_t key = NONE32;
            if (role == R(VALUE))
                for (uint32_t c = f->nodes[owner].child; c != NONE32 && c != slot;
                     c = f->nodes[c].next)
                    key = f->nodes[c].role == R(KEY) ? c : NONE32;
            uint32_t kt = key != NONE32 ? f->nodes[key].first : NONE32;
            set(out, GOLEAK_TARGET_ELEMENT, owner, NONE32, kt, kt);
        }
        return;
    default: return;
    }
}
