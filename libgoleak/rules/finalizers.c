/* GL017 finalizer-cycle. */
#include "../query.h"
#include "common.h"
#include "rules.h"

#include <stdio.h>
#include <string.h>

/* Per check: the fields of each struct type spec of the file, a range of
 * f->fields (add_fields pushes one type's fields together): first and last
 * index per spec node, NONE32 when it has none. */
typedef struct field_ranges {
    uint32_t *first, *last;
} field_ranges;

static int ranges_build(field_ranges *fr, const facts *f) {
    size_t n = (size_t)f->u->nodes.len + 1;
    fr->first = gl_malloc(f->alloc, n * sizeof *fr->first);
    fr->last = gl_malloc(f->alloc, n * sizeof *fr->last);
    if (!fr->first || !fr->last) return -1;
    memset(fr->first, 0xff, n * sizeof *fr->first);
    for (uint32_t k = 0; k < f->fields.len; k++) {
        uint32_t o = f->fields.data[k].owner;
        if (o == NONE32) continue;
        if (fr->first[o] == NONE32) fr->first[o] = k;
        fr->last[o] = k;
    }
    return 0;
}

static void ranges_free(field_ranges *fr, const facts *f) {
    gl_free(f->alloc, fr->first);
    gl_free(f->alloc, fr->last);
}

/* The variable an argument names: x or &x. */
static const var_fact *arg_var(const facts *f, uint32_t arg) {
    if (arg == NONE32) return NULL;
    uint32_t a = f->nodes[arg].first, b = f->nodes[arg].last;
    if (a < b && f->toks[a].kind == T(AND)) a++;
    return span_is_ident(f, a, b) ? resolve(f, a) : NULL;
}

/* Whether tokens [a, b] are a selector on variable v: v.x, v.x.y... */
static int selector_on(const facts *f, uint32_t a, uint32_t b, const var_fact *v) {
    return b >= a + 2 && f->toks[a].kind == T(IDENT) && f->toks[a + 1].kind == T(PERIOD) &&
           resolve(f, a) == v;
}

/* In function fn, an assignment on.x = value (value itself, not &value);
 * the ASSIGN node, or NONE32. */
static uint32_t find_link(const facts *f, uint32_t fn, const var_fact *on, const var_fact *value) {
    uint32_t end = f->nodes[fn].last;
    for (uint32_t u = first_use_in(f, value, f->nodes[fn].first, end); u != NONE32;
         u = next_use(f, value, u, end)) {
        use_info ui;
        q_use(f, u, &ui);
        if (ui.kind != GOLEAK_USE_STORE || (ui.flags & GOLEAK_USE_ADDRESS) ||
            f->nodes[ui.node].kind != N(ASSIGN))
            continue;
        value_target t;
        q_value_target(f, ui.slot, 0, &t);
        if (t.kind == GOLEAK_TARGET_FIELD && selector_on(f, t.first, t.last, on)) return ui.node;
    }
    return NONE32;
}

/* The type name token of variable v: from its declared type (T, *T) or its
 * value (&T{...}, T{...}, new(T)); NONE32 when unknown. */
static uint32_t type_name(const facts *f, const var_fact *v) {
    uint32_t a = NONE32, b = NONE32;
    if (v->type_first != NONE32) {
        a = v->type_first;
        b = v->type_last;
    } else if (v->value != NONE32) {
        a = f->nodes[v->value].first;
        b = f->nodes[v->value].last;
        if (tok_is(f, a, "new") && f->toks[a + 1].kind == T(LPAREN)) a += 2;
    }
    if (a == NONE32) return NONE32;
    if (f->toks[a].kind == T(AND) || f->toks[a].kind == T(MUL)) a++;
    return a <= b && f->toks[a].kind == T(IDENT) ? a : NONE32;
}

/* A field of struct type T (declared in the file) whose type mentions T:
 * next *T, children []*T. Its name token, or NONE32. */
static uint32_t self_field(const facts *f, const field_ranges *fr, uint32_t type_tok,
                           uint32_t after_field) {
    uint32_t spec = find_type(f, type_tok);
    if (spec == NONE32 || fr->first[spec] == NONE32) return NONE32;
    for (uint32_t k = fr->first[spec]; k <= fr->last[spec]; k++) {
        const field_fact *ff = &f->fields.data[k];
        if (ff->owner != spec || ff->name <= after_field) continue;
        for (uint32_t i = ff->type_first; i <= ff->type_last; i++) {
            /* a function type's parameters and results hold no values */
            if (f->toks[i].kind == T(FUNC)) break;
            if (f->toks[i].kind == T(IDENT) && tok_same(f, i, type_tok)) return ff->name;
        }
    }
    return NONE32;
}

/* Whether function fn assigns v.F (F the field token's name). */
static int assigns_field(const facts *f, uint32_t fn, const var_fact *v, uint32_t field) {
    uint32_t end = f->nodes[fn].last;
    for (uint32_t u = first_use_in(f, v, f->nodes[fn].first, end); u != NONE32;
         u = next_use(f, v, u, end)) {
        /* v.x...F as a left-hand side */
        uint32_t lhs = node_at(f, u);
        if (f->nodes[lhs].kind == N(EXPR) && f->nodes[lhs].role == R(LHS) &&
            f->nodes[lhs].first == u && selector_on(f, u, f->nodes[lhs].last, v) &&
            tok_same(f, f->nodes[lhs].last, field))
            return 1;
    }
    return 0;
}

/* ---- cycles in the types ---- */

/* The struct type spec of the file that token t names, NONE32. */
static uint32_t struct_spec(const facts *f, uint32_t t) {
    if (f->toks[t].kind != T(IDENT)) return NONE32;
    uint32_t spec = find_type(f, t);
    if (spec == NONE32) return NONE32;
    uint32_t type = child_by_role(f, spec, R(TYPE));
    return type != NONE32 && f->toks[f->nodes[type].first].kind == T(STRUCT) ? spec : NONE32;
}

/* The k-th link of struct type spec s from field index *from on: a field
 * whose type names a struct type of the file (*U, []*U, map[K]*U, U...).
 * Returns the field's index in f->fields and the type's spec in *to, or
 * NONE32 when there is no further link. */
static uint32_t next_link(const facts *f, const field_ranges *fr, uint32_t s, uint32_t from,
                          uint32_t *to) {
    if (fr->first[s] == NONE32) return NONE32;
    if (from < fr->first[s]) from = fr->first[s];
    for (uint32_t k = from; k <= fr->last[s]; k++) {
        const field_fact *ff = &f->fields.data[k];
        if (ff->owner != s) continue;
        for (uint32_t i = ff->type_first; i <= ff->type_last; i++) {
            if (f->toks[i].kind == T(FUNC)) break; /* a function type holds no values */
            if (f->toks[i].kind != T(IDENT)) continue;
            if (i > ff->type_first && f->toks[i - 1].kind == T(PERIOD)) continue; /* pkg.T */
            if (i < ff->type_last && f->toks[i + 1].kind == T(PERIOD)) continue;
            uint32_t u = struct_spec(f, i);
            if (u != NONE32) {
                *to = u;
                return k;
            }
        }
    }
    return NONE32;
}

/* Whether struct type spec s can be in a reference cycle by its fields
 * alone: two of its own fields point at other values of its type (prev
 * and next, parent and children), or a field reaches another type of the
 * file one of whose fields points back (an object and the registry that
 * lists it), through at most three types. Describes the cycle in buf. */
static int type_cycle(const facts *f, const field_ranges *fr, uint32_t s, char *buf, size_t size) {
    char a[40], b[40], t[40], u[40];
    uint32_t to, first_self = NONE32;
    snippet(f, f->nodes[s].key, f->nodes[s].key, t, sizeof t);
    for (uint32_t k = next_link(f, fr, s, 0, &to); k != NONE32;
         k = next_link(f, fr, s, k + 1, &to)) {
        if (to != s) continue;
        if (first_self == NONE32) {
            first_self = k;
            continue;
        }
        snprintf(buf, size, "its fields `%s` and `%s` both point at other %s values",
                 snippet(f, f->fields.data[first_self].name, f->fields.data[first_self].name, a,
                         sizeof a),
                 snippet(f, f->fields.data[k].name, f->fields.data[k].name, b, sizeof b), t);
        return 1;
    }
    /* s -> u -> ... -> s through other types (depth 3) */
    for (uint32_t k = next_link(f, fr, s, 0, &to); k != NONE32;
         k = next_link(f, fr, s, k + 1, &to)) {
        if (to == s) continue;
        uint32_t u1 = to, to2;
        for (uint32_t j = next_link(f, fr, u1, 0, &to2); j != NONE32;
             j = next_link(f, fr, u1, j + 1, &to2)) {
            uint32_t to3;
            int back = to2 == s;
            if (!back && to2 != u1) {
                for (uint32_t l = next_link(f, fr, to2, 0, &to3); l != NONE32 && !back;
                     l = next_link(f, fr, to2, l + 1, &to3))
                    back = to3 == s;
            }
            if (!back) continue;
            snippet(f, f->nodes[u1].key, f->nodes[u1].key, u, sizeof u);
            snprintf(buf, size, "its field `%s` reaches a %s, which points back at a %s",
                     snippet(f, f->fields.data[k].name, f->fields.data[k].name, a, sizeof a), u, t);
            return 1;
        }
    }
    return 0;
}

/* Whether function literal lit refers to x, or to a local variable whose
 * value is x or &x (self := x). */
static int literal_captures(const facts *f, uint32_t lit, const var_fact *x) {
    if (var_used_in(f, x, lit)) return 1;
    uint32_t end = x->func != NONE32 ? f->nodes[x->func].last : f->u->toks.len - 1;
    for (uint32_t u = next_use(f, x, x->name, end); u != NONE32; u = next_use(f, x, u, end)) {
        use_info ui;
        q_use(f, u, &ui);
        if (ui.kind != GOLEAK_USE_COPY) continue;
        value_target t;
        q_value_target(f, ui.slot, 0, &t);
        const var_fact *y = t.first == t.last ? resolve(f, t.first) : NULL;
        if (y && y != x && var_used_in(f, y, lit)) return 1;
    }
    return 0;
}

/* In function fn, an assignment x.f = func(...) {...} (x.a.f too) of a
 * function literal that refers to x: x -> closure -> x. The assignment,
 * NONE32. */
static uint32_t closure_link(const facts *f, uint32_t fn, const var_fact *x) {
    FOR_KIND_IN(f, N(ASSIGN), as, f->nodes[fn].first, f->nodes[fn].last) {
        uint32_t lhs = nth_child_by_role(f, as, R(LHS), 0),
                 rhs = nth_child_by_role(f, as, R(RHS), 0);
        if (lhs == NONE32 || rhs == NONE32 || nth_child_by_role(f, as, R(LHS), 1) != NONE32 ||
            enclosing_func(f, as) != fn)
            continue;
        uint32_t a = f->nodes[lhs].first, b = f->nodes[lhs].last;
        if (a == b || resolve(f, a) != x || !selector_on(f, a, b, x)) continue;
        uint32_t lit = expr_node(f, rhs);
        if (lit != NONE32 && f->nodes[lit].kind == N(FUNCLIT) && literal_captures(f, lit, x))
            return as;
    }
    return NONE32;
}

static int check_finalizer_cycle(goleak_check *chk, void *ud) {
    (void)ud;
    const facts *f = check_facts(chk);
    if (!f) return 0;
    field_ranges fr;
    if (ranges_build(&fr, f)) {
        ranges_free(&fr, f);
        *f->oom = 1;
        return 0;
    }
    FOR_KIND(f, N(CALL), call) {
        if (!call_is_pkg(f, call_of(f, call), PKG_RUNTIME, "SetFinalizer")) continue;
        uint32_t arg0 = call_arg(f, call, 0), arg1 = call_arg(f, call, 1);
        if (arg1 == NONE32) continue;
        if (f->nodes[arg1].first == f->nodes[arg1].last && tok_is(f, f->nodes[arg1].first, "nil"))
            continue; /* clearing a finalizer */
        const var_fact *x = arg_var(f, arg0);
        uint32_t fn = enclosing_func(f, call);
        if (!x || fn == NONE32) continue;
        char name[48];
        snippet(f, x->name, x->name, name, sizeof name);
        /* the finalizer itself keeps x reachable */
        uint32_t lit = expr_node(f, arg1);
        if (lit != NONE32 && f->nodes[lit].kind == N(FUNCLIT) && literal_captures(f, lit, x)) {
            check_report_node(chk, call,
                              "the finalizer of `%s` refers to `%s` itself: the object stays "
                              "reachable from its own finalizer, which never runs, and it is "
                              "never freed; use only the finalizer's parameter",
                              name, name);
            continue;
        }
        /* x.self = x */
        uint32_t link = find_link(f, fn, x, x);
        if (link != NONE32) {
            check_report_node(chk, call,
                              "`%s` is stored in its own field (line %u): a finalizer on an "
                              "object in a reference cycle may never run, and the cycle is "
                              "never freed; break the cycle or finalize a separate object",
                              name, (unsigned)tok_line(f, f->nodes[link].first));
            continue;
        }
        /* x.onLost = func() { ... x ... } */
        link = closure_link(f, fn, x);
        if (link != NONE32) {
            char field[64];
            uint32_t lhs = nth_child_by_role(f, link, R(LHS), 0);
            snippet(f, f->nodes[lhs].first, f->nodes[lhs].last, field, sizeof field);
            check_report_node(chk, call,
                              "`%s` holds a function literal that refers to `%s` (line %u): the "
                              "object and the closure point at each other, and a finalizer on "
                              "an object in a reference cycle may never run; break the cycle "
                              "(pass the object to the callback) or finalize a separate object",
                              field, name, (unsigned)tok_line(f, f->nodes[link].first));
            continue;
        }
        /* a.peer = b; b.peer = a */
        int reported = 0;
        /* the candidates: the variables y of y.f = x in fn */
        uint32_t end = f->nodes[fn].last;
        for (uint32_t u = first_use_in(f, x, f->nodes[fn].first, end); u != NONE32 && !reported;
             u = next_use(f, x, u, end)) {
            use_info ui;
            q_use(f, u, &ui);
            if (ui.kind != GOLEAK_USE_STORE || (ui.flags & GOLEAK_USE_ADDRESS)) continue;
            value_target t;
            q_value_target(f, ui.slot, 0, &t);
            if (t.kind != GOLEAK_TARGET_FIELD) continue;
            const var_fact *y = resolve(f, t.first);
            if (!y || y == x || y->func != fn || !selector_on(f, t.first, t.last, y)) continue;
            uint32_t l1 = find_link(f, fn, x, y), l2 = find_link(f, fn, y, x);
            if (l1 == NONE32 || l2 == NONE32) continue;
            char other[48];
            check_report_node(chk, call,
                              "`%s` and `%s` point at each other (lines %u and %u): a finalizer "
                              "on an object in a reference cycle may never run, and the cycle "
                              "is never freed; break the cycle or finalize a separate object",
                              name, snippet(f, y->name, y->name, other, sizeof other),
                              (unsigned)tok_line(f, f->nodes[l1].first),
                              (unsigned)tok_line(f, f->nodes[l2].first));
            reported = 1;
        }
        if (reported) continue;
        /* the type links to itself, and this function links x */
        uint32_t type = type_name(f, x);
        if (type == NONE32) continue;
        /* the type's fields alone make a cycle */
        uint32_t spec = struct_spec(f, type);
        char cycle[160];
        if (spec != NONE32 && type_cycle(f, &fr, spec, cycle, sizeof cycle)) {
            char tn[48];
            check_report_node(chk, call,
                              "`%s` is a %s, and %s: a %s in such a reference cycle is never "
                              "collected while the cycle holds, and its finalizer may never run; "
                              "finalize a separate object that the cycle does not reach",
                              name, snippet(f, type, type, tn, sizeof tn), cycle, tn);
            continue;
        }
        for (uint32_t field = self_field(f, &fr, type, 0); field != NONE32;
             field = self_field(f, &fr, type, field)) {
            if (!assigns_field(f, fn, x, field)) continue;
            char tn[48], fname[48];
            check_report_node(chk, call,
                              "`%s` is a %s, which points to other %s values through `%s`, and "
                              "is linked here: a finalizer on an object in a reference cycle "
                              "may never run; finalize a separate, unlinked object",
                              name, snippet(f, type, type, tn, sizeof tn), tn,
                              snippet(f, field, field, fname, sizeof fname));
            break;
        }
    }
    ranges_free(&fr, f);
    return 0;
}

const goleak_rule_def builtin_GL017 = {
    .version = GOLEAK_RULE_DEF_VERSION,
    .id = "GL017",
    .name = "finalizer-cycle",
    .severity = GOLEAK_SEVERITY_WARNING,
    .check = check_finalizer_cycle,
    .triggers = "SetFinalizer",
};
