/* GL004 large-array-by-value. */
#include "common.h"
#include "rules.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* The size from which an array copy is reported; 2^40 bytes bounds it so
 * that size arithmetic cannot overflow. */
static const goleak_rule_option gl004_options[] = {
    {"threshold", GOLEAK_OPTION_INT, "65536", 1, 1LL << 40,
     "bytes from which an array passed, returned or ranged by value is reported"},
};

/* The size in bytes of a type written as tokens [a, b] (amd64 layout,
 * padding ignored), or -1 when it cannot be known from the file. */
static long long type_size(const facts *f, uint32_t a, uint32_t b, int depth);

static long long named_type_size(const facts *f, uint32_t name, int depth) {
    static const struct {
        const char *name;
        int size;
    } basic[] = {
        {"bool", 1},    {"byte", 1},      {"int8", 1},        {"uint8", 1},   {"int16", 2},
        {"uint16", 2},  {"int32", 4},     {"uint32", 4},      {"rune", 4},    {"float32", 4},
        {"int64", 8},   {"uint64", 8},    {"int", 8},         {"uint", 8},    {"uintptr", 8},
        {"float64", 8}, {"complex64", 8}, {"complex128", 16}, {"string", 16}, {"error", 16},
        {"any", 16},
    };
    for (size_t k = 0; k < sizeof basic / sizeof *basic; k++)
        if (tok_is(f, name, basic[k].name)) return basic[k].size;
    /* a type declared in the file: type Block [4096]uint64 */
    uint32_t spec = find_type(f, name);
    if (spec == NONE32) return -1;
    uint32_t t = child_by_role(f, spec, R(TYPE));
    if (t == NONE32 || child_by_role(f, spec, R(TPARAM)) != NONE32) return -1;
    return type_size(f, f->nodes[t].first, f->nodes[t].last, depth + 1);
}

/* The sum of the field sizes of the struct type whose node is st. */
static long long struct_size(const facts *f, uint32_t st, int depth) {
    long long total = 0;
    for (uint32_t c = f->nodes[st].child; c != NONE32; c = f->nodes[c].next) {
        if (f->nodes[c].kind != N(FIELD)) continue;
        uint32_t t = child_by_role(f, c, R(TYPE));
        if (t == NONE32) return -1;
        long long one = type_size(f, f->nodes[t].first, f->nodes[t].last, depth + 1);
        if (one < 0) return -1;
        long long names = 0;
        for (uint32_t i = f->nodes[c].first; i < f->nodes[t].first; i++)
            if (f->toks[i].kind == T(IDENT)) names++;
        total += one * (names ? names : 1);
    }
    return total;
}

static long long type_size(const facts *f, uint32_t a, uint32_t b, int depth) {
    if (a > b || depth > 8) return -1;
    while (a < b && f->toks[a].kind == T(LPAREN) && f->toks[b].kind == T(RPAREN)) a++, b--;
    int k = f->toks[a].kind;
    if (k == T(MUL) || k == T(MAP) || k == T(CHAN) || k == T(FUNC)) return 8;
    if (k == T(INTERFACE)) return 16;
    if (k == T(LBRACK)) {
        if (f->toks[a + 1].kind == T(RBRACK)) return 24; /* a slice header */
        /* [N]T: the length ends at the matching ] */
        int d = 0;
        uint32_t close = NONE32;
        for (uint32_t i = a; i <= b; i++) {
            if (f->toks[i].kind == T(LBRACK))
                d++;
            else if (f->toks[i].kind == T(RBRACK) && --d == 0) {
                close = i;
                break;
            }
        }
        if (close == NONE32 || close == b) return -1;
        long long n = const_value(f, a + 1, close - 1);
        long long elem = type_size(f, close + 1, b, depth + 1);
        if (n < 0 || elem < 0 || (elem > 0 && n > (1LL << 50) / elem)) return -1;
        return n * elem;
    }
    if (k == T(STRUCT)) {
        /* the STRUCTTYPE node starting here */
        FOR_KIND_IN(f, N(STRUCTTYPE), st, a, a) {
            return struct_size(f, st, depth);
        }
        return -1;
    }
    if (k == T(IDENT) && a == b) return named_type_size(f, a, depth);
    return -1; /* pkg.T and instantiated generics: not known here */
}

static void human(long long n, char *buf, size_t size) {
    if (n >= (1LL << 20) && n % (1LL << 20) == 0)
        snprintf(buf, size, "%lld MiB", n >> 20);
    else if (n >= 1024)
        snprintf(buf, size, "%lld KiB", n >> 10);
    else
        snprintf(buf, size, "%lld bytes", n);
}

/* The size of the basic type named by token i (no file type of that name
 * in types), or -1. */
static long long basic_size(const goleak_unit *u, const name_table *types, uint32_t i) {
    static const struct {
        const char *name;
        int size;
    } basic[] = {{"bool", 1},      {"byte", 1},        {"int8", 1},    {"uint8", 1},
                 {"int16", 2},     {"uint16", 2},      {"int32", 4},   {"uint32", 4},
                 {"rune", 4},      {"float32", 4},     {"int64", 8},   {"uint64", 8},
                 {"int", 8},       {"uint", 8},        {"uintptr", 8}, {"float64", 8},
                 {"complex64", 8}, {"complex128", 16}, {"string", 16}, {"error", 16},
                 {"any", 16}};
    const token *t = &u->toks.data[i];
    if (t->kind != T(IDENT) || names_find(types, i) != NONE32) return -1;
    for (size_t k = 0; k < sizeof basic / sizeof *basic; k++)
        if (strlen(basic[k].name) == t->len && memcmp(u->src + t->off, basic[k].name, t->len) == 0)
            return basic[k].size;
    return -1;
}

/* The size of the element type written from token i when the tokens say it
 * alone: a basic type, a pointer, map, chan or func, a slice, or an array
 * [INT]T of such. -1 when unknown; *end receives the token after it. */
static long long elem_size(const goleak_unit *u, const name_table *types, uint32_t i, int depth) {
    const token *t = u->toks.data;
    if (i + 1 >= u->toks.len || depth > 8) return -1;
    switch (t[i].kind) {
    case T(MUL):
    case T(MAP):
    case T(CHAN):
    case T(FUNC): return 8;
    case T(INTERFACE): return 16;
    case T(IDENT): return basic_size(u, types, i);
    case T(LBRACK): {
        if (t[i + 1].kind == T(RBRACK)) return 24;
        if (t[i + 1].kind != T(INT) || i + 3 >= u->toks.len || t[i + 2].kind != T(RBRACK))
            return -1;
        long long n = 0;
        for (uint32_t k = 0; k < t[i + 1].len; k++) {
            char c = (char)u->src[t[i + 1].off + k];
            if (c == '_') continue;
            if (c < '0' || c > '9' || n > (1LL << 40)) return -1; /* hex, octal: not worth it */
            n = n * 10 + (c - '0');
        }
        long long e = elem_size(u, types, i + 3, depth + 1);
        return e < 0 || (e > 0 && n > (1LL << 50) / e) ? -1 : n * e;
    }
    default: return -1;
    }
}

/* Whether the tokens from i write an array type [N]T or [...]T (not a
 * slice, a map's key, an index or a slice expression): the ] that closes
 * the [ is followed by what starts a type. */
static int array_type_at(const goleak_unit *u, uint32_t i) {
    const token *t = u->toks.data;
    if (t[i].kind != T(LBRACK) || t[i + 1].kind == T(RBRACK)) return 0;
    if (i > 0 && t[i - 1].kind == T(MAP)) return 0;
    int depth = 0;
    for (uint32_t j = i; j + 1 < u->toks.len; j++) {
        int k = t[j].kind;
        if (k == T(LBRACK)) depth++;
        if (k == T(RBRACK) && --depth == 0) {
            int n = t[j + 1].kind;
            return n == T(IDENT) || n == T(MUL) || n == T(LBRACK) || n == T(LPAREN) ||
                   n == T(STRUCT) || n == T(MAP) || n == T(CHAN) || n == T(FUNC) ||
                   n == T(INTERFACE) || n == T(ARROW);
        }
        if (k == T(SEMICOLON) || k == T(LBRACE)) return 0;
    }
    return 0;
}

/* The identifier a type slot holds alone ((T) included), NONE32. */
static uint32_t type_ident(const goleak_unit *u, uint32_t type) {
    uint32_t a = u->nodes.data[type].first, b = u->nodes.data[type].last;
    while (a < b && u->toks.data[a].kind == T(LPAREN) && u->toks.data[b].kind == T(RPAREN))
        a++, b--;
    return a == b && u->toks.data[a].kind == T(IDENT) ? a : NONE32;
}

/* Whether the unit can hold a type of at least limit bytes. Sizes come from
 * the file alone (type_size): a type is an array written here, a struct of
 * fields written here (24 bytes at most each, unless an array or a type of
 * the file), or a type of the file made of those. Unless a struct has a
 * field of a type the file declares, or an array's size is not plain from
 * its tokens ([N]T with a constant N, [8]T of the file's T), no size can
 * exceed all the arrays' sizes and 24 bytes a struct field together.
 * -1 when out of memory. */
static int may_have_large_type(const goleak_unit *u, const goleak_allocator *al, long long limit) {
    if (limit < 24) return 1;
    const node *nd = u->nodes.data;
    uint32_t nspecs = 0;
    nspecs = unit_kind_index(u) ? 0 : u->kind_at[N(SPEC) + 1] - u->kind_at[N(SPEC)];
    name_table types; /* the names the file declares types under */
    if (names_init(&types, u, al, nspecs + 1)) return -1;
    FOR_UNIT_NODE(u, N(SPEC), spec) {
        uint32_t key = nd[spec].key, gen = nd[spec].parent;
        int added;
        if (key != NONE32 && gen != NONE32 && u->toks.data[nd[gen].first].kind == T(TYPE) &&
            u->toks.data[key].kind == T(IDENT) && names_add(&types, key, &added) == NONE32) {
            names_free(&types);
            return -1;
        }
    }
    long long total = 0;
    int may = 0;
    for (uint32_t i = 0; i + 1 < u->toks.len && !may; i++) {
        if (!array_type_at(u, i)) continue;
        long long n = elem_size(u, &types, i, 0);
        if (n < 0) may = 1;
        total += n;
        /* [M][N]T: the inner array is counted with the outer one */
        while (i + 3 < u->toks.len && u->toks.data[i + 1].kind == T(INT) &&
               u->toks.data[i + 2].kind == T(RBRACK) && u->toks.data[i + 3].kind == T(LBRACK))
            i += 3;
    }
    FOR_UNIT_NODE(u, N(FIELD), fl) {
        if (may || nd[nd[fl].parent].kind != N(STRUCTTYPE)) continue;
        total += 24;
        for (uint32_t c = nd[fl].child; c != NONE32; c = nd[c].next) {
            uint32_t id = nd[c].role == R(TYPE) ? type_ident(u, c) : NONE32;
            if (id != NONE32 && names_find(&types, id) != NONE32) may = 1;
        }
    }
    names_free(&types);
    return may || total >= limit;
}

/* The declared type tokens of a ranged expression x: a variable (its type,
 * or the type of its composite literal or make value), or a field x.f of a
 * struct of the file. 0 when unknown. */
static int ranged_type(const facts *f, uint32_t x, uint32_t *ta, uint32_t *tb) {
    uint32_t a = f->nodes[x].first, b = f->nodes[x].last;
    *ta = *tb = NONE32;
    if (a == b) {
        const var_fact *v = resolve(f, a);
        if (!v) return 0;
        *ta = v->type_first;
        *tb = v->type_last;
        if (*ta == NONE32 && v->value != NONE32) {
            uint32_t c = expr_node(f, v->value), va = f->nodes[v->value].first;
            if (c != NONE32 && f->nodes[c].kind == N(COMPOSITE) && f->nodes[c].key > va) {
                *ta = va;
                *tb = f->nodes[c].key - 1;
            } else if (tok_is(f, va, "make") && f->toks[va + 1].kind == T(LPAREN)) {
                /* make([]T, n): the type is the first argument */
                uint32_t arg = call_arg(f, expr_node(f, v->value), 0);
                if (arg != NONE32) {
                    *ta = f->nodes[arg].first;
                    *tb = f->nodes[arg].last;
                }
            }
        }
    } else if (f->toks[b].kind == T(IDENT) && f->toks[b - 1].kind == T(PERIOD)) {
        const field_fact *ff = find_field(f, b);
        if (ff) {
            *ta = ff->type_first;
            *tb = ff->type_last;
        }
    }
    return *ta != NONE32 && *ta <= *tb;
}

/* The element type of a slice or map type [ta, tb] ([]T, map[K]T): its
 * tokens in [*ea, *eb]. 0 for other types. */
static int element_type(const facts *f, uint32_t ta, uint32_t tb, uint32_t *ea, uint32_t *eb) {
    if (f->toks[ta].kind == T(LBRACK) && ta + 2 <= tb && f->toks[ta + 1].kind == T(RBRACK)) {
        *ea = ta + 2;
        *eb = tb;
        return 1;
    }
    if (f->toks[ta].kind != T(MAP) || ta + 1 >= tb || f->toks[ta + 1].kind != T(LBRACK)) return 0;
    int depth = 0;
    for (uint32_t i = ta + 1; i <= tb; i++) {
        if (f->toks[i].kind == T(LBRACK)) depth++;
        if (f->toks[i].kind == T(RBRACK) && --depth == 0) {
            if (i + 1 > tb) return 0;
            *ea = i + 1;
            *eb = tb;
            return 1;
        }
    }
    return 0;
}

/* for _, b := range blocks over a slice or map whose elements are large
 * arrays (or structs holding them): each round copies one element into the
 * value variable. Reports and returns 1 when so. */
static int report_element_copies(goleak_check *chk, const facts *f, uint32_t rng, uint32_t x,
                                 uint32_t val, long long limit) {
    uint32_t ta, tb, ea, eb;
    if (!ranged_type(f, x, &ta, &tb) || !element_type(f, ta, tb, &ea, &eb)) return 0;
    if (f->toks[ea].kind == T(MUL)) return 0;
    long long n = type_size(f, ea, eb, 0);
    if (n < limit) return 0;
    char size[32], name[64], elem[64], value[48];
    human(n, size, sizeof size);
    node_snippet(f, x, name, sizeof name);
    snippet(f, ea, eb, elem, sizeof elem);
    node_snippet(f, val, value, sizeof value);
    if (f->toks[ta].kind == T(MAP))
        check_report_node(chk, rng,
                          "range over map `%s` copies each value (%s, %s) into `%s` on every "
                          "iteration; store pointers (map[K]*%s) or range over the keys only",
                          name, elem, size, value, elem);
    else
        check_report_node(chk, rng,
                          "range over `%s` copies each element (%s, %s) into `%s` on every "
                          "iteration; range over the index and use &%s[i], or store pointers",
                          name, elem, size, value, name);
    return 1;
}

static int check_large_array_by_value(goleak_check *chk, void *ud) {
    (void)ud;
    int may = may_have_large_type(chk->unit, chk->engine->alloc,
                                  goleak_check_option_int(chk, "threshold", 65536));
    if (may < 0) chk->oom = 1; /* the check fails with GOLEAK_ENOMEM */
    if (may <= 0) return 0;
    const facts *f = check_facts(chk);
    if (!f) return 0;
    long long limit = goleak_check_option_int(chk, "threshold", 65536);
    char type[64], size[32], name[64];
    /* parameters, results and receivers of functions and literals */
    FOR_KIND(f, N(FIELD), fl) {
        int role = f->nodes[fl].role;
        if (role != R(PARAM) && role != R(RESULT) && role != R(RECV)) continue;
        uint32_t p = f->nodes[fl].parent;
        if (p == NONE32 || (f->nodes[p].kind != N(FUNC) && f->nodes[p].kind != N(FUNCLIT)))
            continue;
        /* func() (a [N]T) { ... }(): called once where it stands */
        if (f->nodes[p].kind == N(FUNCLIT) && f->nodes[p].parent != NONE32 &&
            f->nodes[f->nodes[p].parent].kind == N(CALL) &&
            f->nodes[p].last + 1 == f->nodes[f->nodes[p].parent].key)
            continue;
        uint32_t t = child_by_role(f, fl, R(TYPE));
        if (t == NONE32) continue;
        uint32_t ta = f->nodes[t].first, tb = f->nodes[t].last;
        if (f->toks[ta].kind == T(ELLIPSIS)) continue; /* ...T is a slice */
        long long n = type_size(f, ta, tb, 0);
        if (n < limit) continue;
        /* only arrays and types made of arrays copy that much */
        human(n, size, sizeof size);
        const char *what = role == R(RESULT) ? "result"
                           : role == R(RECV) ? "receiver"
                                             : "parameter";
        if (f->nodes[fl].key != NONE32)
            snprintf(name, sizeof name, " `%s`",
                     snippet(f, f->nodes[fl].first, f->nodes[t].first - 1, type, sizeof type));
        else
            name[0] = 0;
        check_report_node(chk, fl,
                          "%s%s of type %s (%s) is copied on every call; pass a pointer "
                          "(*%s) or a slice",
                          what, name, snippet(f, ta, tb, type, sizeof type), size, type);
    }
    /* for i, v := range arr copies arr first; for _, v := range list copies
     * each element into v */
    FOR_KIND(f, N(RANGE), rng) {
        uint32_t val = child_by_role(f, rng, R(VALUE));
        uint32_t x = child_by_role(f, rng, R(X));
        uint32_t tok;
        if (val == NONE32 || x == NONE32) continue;
        if (f->nodes[val].first == f->nodes[val].last && tok_is(f, f->nodes[val].first, "_"))
            continue;
        if (report_element_copies(chk, f, rng, x, val, limit)) continue;
        if (!expr_ident(f, x, &tok)) continue;
        const var_fact *v = resolve(f, tok);
        if (!v) continue;
        long long n = -1;
        uint32_t ta = v->type_first, tb = v->type_last;
        if (ta == NONE32 && v->value != NONE32) {
            uint32_t c = expr_node(f, v->value);
            if (c != NONE32 && f->nodes[c].kind == N(COMPOSITE) &&
                f->nodes[c].key > f->nodes[c].first) {
                ta = f->nodes[c].first;
                tb = f->nodes[c].key - 1;
            }
        }
        if (ta == NONE32 || f->toks[ta].kind == T(MUL)) continue;
        n = type_size(f, ta, tb, 0);
        if (n < limit || f->toks[ta].kind == T(STRUCT)) continue;
        human(n, size, sizeof size);
        check_report_node(chk, rng,
                          "range over array `%s` (%s) with a value variable copies the whole "
                          "array first; range over &%s or %s[:], or index it",
                          snippet(f, tok, tok, name, sizeof name), size, name, name);
    }
    return 0;
}

const goleak_rule_def builtin_GL004 = {
    .version = GOLEAK_RULE_DEF_VERSION,
    .id = "GL004",
    .name = "large-array-by-value",
    .severity = GOLEAK_SEVERITY_WARNING,
    .check = check_large_array_by_value,
    .triggers = "[",
    .options = gl004_options,
    .noptions = sizeof gl004_options / sizeof *gl004_options,
};
