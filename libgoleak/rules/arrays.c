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

/* The sum of the field sizes of the struct type whose node is st: a lower
 * bound, as a field of a type of another package (time.Time) counts 0. */
static long long struct_size(const facts *f, uint32_t st, int depth) {
    long long total = 0;
    for (uint32_t c = f->nodes[st].child; c != NONE32; c = f->nodes[c].next) {
        if (f->nodes[c].kind != N(FIELD)) continue;
        uint32_t t = child_by_role(f, c, R(TYPE));
        if (t == NONE32) return -1;
        uint32_t ta = f->nodes[t].first, tb = f->nodes[t].last;
        long long one = type_size(f, ta, tb, depth + 1);
        if (one < 0 && tb == ta + 2 && f->toks[ta].kind == T(IDENT) &&
            f->toks[ta + 1].kind == T(PERIOD))
            one = 0; /* pkg.T: at least nothing */
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

/* ---- an upper bound of every size type_size can find, without facts ----
 *
 * The rule reports a type of at least `limit` bytes: a parameter's, a
 * ranged value's, an element's. Each such type is an array written in the
 * file, a struct type written in the file, or a type the file declares
 * (with pointers, slices, basic and other packages' types around, which
 * are small or unknown: type_size gives -1 and nothing is reported). So
 * when none of the file's array types, struct types and declared types
 * can reach the limit, the rule has nothing to report and the facts are
 * not built. Each bound is at least what type_size finds: unknown parts
 * (pkg.T, instantiated generics) count 0, as type_size then knows no size
 * at all; an array length the tokens alone cannot tell (a constant of the
 * file, an expression) makes the whole file "may". */

#define B_MAY (-2)        /* a bound the tokens cannot tell */
#define B_CAP (1LL << 50) /* sizes saturate here: far above any limit */

typedef struct bounds {
    const goleak_unit *u;
    name_table types;  /* the names the file declares types under */
    name_table consts; /* ... and constants under (const_value reads those) */
    long long *named;  /* per slot: its bound, B_UNKNOWN before, B_BUSY during */
    uint32_t *head;    /* per slot: its first type SPEC in `specs`, NONE32 */
    uint32_t *specs;   /* the type SPEC nodes ... */
    uint32_t *next;    /* ... and the next one of the same name, NONE32 */
    uint64_t *structs; /* the STRUCTTYPE nodes by first token: first << 32 | node */
    long long *sbound; /* per entry of structs: its bound, B_UNKNOWN before */
    uint32_t nstructs;
} bounds;

#define B_UNKNOWN (-3)
#define B_BUSY    (-4)

static long long sat_add(long long a, long long b) {
    return a + b > B_CAP ? B_CAP : a + b;
}

static long long sat_mul(long long a, long long b) {
    return b != 0 && a > B_CAP / b ? B_CAP : a * b;
}

static long long bound_tokens(bounds *x, uint32_t a, uint32_t b, int depth);

/* The size of a basic type named by token i, or -1. */
static long long basic_size(const goleak_unit *u, uint32_t i) {
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
    for (size_t k = 0; k < sizeof basic / sizeof *basic; k++)
        if (strlen(basic[k].name) == t->len && memcmp(u->src + t->off, basic[k].name, t->len) == 0)
            return basic[k].size;
    return -1;
}

/* The bound of the types the file declares under the name of token i
 * (every declaration of that name: type_size takes one of them). */
static long long bound_named(bounds *x, uint32_t i, int depth) {
    uint32_t slot = names_find(&x->types, i);
    if (slot == NONE32) return 0;
    if (x->named[slot] == B_BUSY) return 0; /* a cycle: type_size gives up on it */
    if (x->named[slot] != B_UNKNOWN) return x->named[slot];
    x->named[slot] = B_BUSY;
    const node *nd = x->u->nodes.data;
    long long best = 0;
    for (uint32_t k = x->head[slot]; k != NONE32; k = x->next[k]) {
        uint32_t spec = x->specs[k], t = NONE32, tparams = 0;
        for (uint32_t c = nd[spec].child; c != NONE32; c = nd[c].next) {
            if (nd[c].role == R(TYPE)) t = c;
            if (nd[c].role == R(TPARAM)) tparams = 1;
        }
        if (t == NONE32 || tparams) continue;
        long long b = bound_tokens(x, nd[t].first, nd[t].last, depth + 1);
        if (b == B_MAY) {
            best = B_MAY;
            break;
        }
        if (b > best) best = b;
    }
    x->named[slot] = best;
    return best;
}

/* The bound of the struct type at entry k of x->structs: its fields'
 * bounds, once per name; computed once. */
static long long bound_struct(bounds *x, uint32_t k, int depth) {
    if (x->sbound[k] != B_UNKNOWN) return x->sbound[k];
    const node *nd = x->u->nodes.data;
    uint32_t st = (uint32_t)x->structs[k];
    long long total = 0;
    x->sbound[k] = 0; /* a struct cannot hold itself */
    for (uint32_t c = nd[st].child; c != NONE32; c = nd[c].next) {
        if (nd[c].kind != N(FIELD)) continue;
        uint32_t t = NONE32;
        for (uint32_t g = nd[c].child; g != NONE32; g = nd[g].next)
            if (nd[g].role == R(TYPE)) t = g;
        if (t == NONE32) return x->sbound[k] = 0; /* type_size: no size for the struct */
        long long one = bound_tokens(x, nd[t].first, nd[t].last, depth + 1);
        if (one == B_MAY) return x->sbound[k] = B_MAY;
        long long names = 0;
        for (uint32_t i = nd[c].first; i < nd[t].first; i++)
            names += x->u->toks.data[i].kind == T(IDENT);
        total = sat_add(total, sat_mul(one, names ? names : 1));
    }
    return x->sbound[k] = total;
}

/* The entry of x->structs whose struct type starts at token a, NONE32. */
static uint32_t struct_at(const bounds *x, uint32_t a) {
    uint32_t lo = 0, hi = x->nstructs;
    while (lo < hi) {
        uint32_t mid = lo + (hi - lo) / 2;
        if ((uint32_t)(x->structs[mid] >> 32) < a)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo < x->nstructs && (uint32_t)(x->structs[lo] >> 32) == a ? lo : NONE32;
}

static int u64_order(const void *p, const void *q) {
    uint64_t a = *(const uint64_t *)p, b = *(const uint64_t *)q;
    return a < b ? -1 : a > b;
}

/* The decimal value of INT token i (underscores allowed), or -1 for other
 * spellings (const_value reads only decimals). */
static long long decimal(const goleak_unit *u, uint32_t i) {
    const token *t = &u->toks.data[i];
    long long n = 0;
    for (uint32_t k = 0; k < t->len; k++) {
        char c = (char)u->src[t->off + k];
        if (c == '_') continue;
        if (c < '0' || c > '9') return -1;
        n = sat_add(sat_mul(n, 10), c - '0');
    }
    return n;
}

/* The bound of an array's length tokens [a, b], as const_value reads them:
 * a decimal literal is its value; an expression of decimals, constants of
 * the file, parentheses and + - * / << >> may be anything (B_MAY); any
 * other token (a call, a selector, a name the file does not declare as a
 * constant, [...]) gives const_value no value, and type_size no size: 0. */
static long long bound_length(const bounds *x, uint32_t a, uint32_t b) {
    const token *t = x->u->toks.data;
    if (a == b && t[a].kind == T(INT)) {
        long long n = decimal(x->u, a);
        return n < 0 ? 0 : n;
    }
    for (uint32_t i = a; i <= b; i++) {
        switch (t[i].kind) {
        case T(INT):
            if (decimal(x->u, i) < 0) return 0;
            break;
        case T(IDENT):
            if (names_find(&x->consts, i) == NONE32) return 0;
            break;
        case T(LPAREN):
        case T(RPAREN):
        case T(ADD):
        case T(SUB):
        case T(MUL):
        case T(QUO):
        case T(SHL):
        case T(SHR): break;
        default: return 0;
        }
    }
    return B_MAY;
}

/* The bound of the type written as tokens [a, b]; with b == NONE32, the
 * type that starts at a and ends where it ends (an array's element). */
static long long bound_tokens(bounds *x, uint32_t a, uint32_t b, int depth) {
    const token *t = x->u->toks.data;
    uint32_t ntok = x->u->toks.len;
    if (depth > 16 || a + 1 >= ntok) return B_MAY;
    while (b != NONE32 && a < b && t[a].kind == T(LPAREN) && t[b].kind == T(RPAREN)) a++, b--;
    switch (t[a].kind) {
    case T(MUL):
    case T(MAP):
    case T(CHAN):
    case T(FUNC): return 8;
    case T(INTERFACE): return 16;
    case T(STRUCT): {
        uint32_t k = struct_at(x, a);
        return k == NONE32 ? 0 : bound_struct(x, k, depth);
    }
    case T(LBRACK): {
        if (t[a + 1].kind == T(RBRACK)) return 24;
        uint32_t close = NONE32;
        int d = 0;
        for (uint32_t i = a; i < ntok && (b == NONE32 || i <= b); i++) {
            if (t[i].kind == T(LBRACK)) d++;
            if (t[i].kind == T(RBRACK) && --d == 0) {
                close = i;
                break;
            }
        }
        if (close == NONE32 || close == a + 1 || close == b) return 0;
        long long n = bound_length(x, a + 1, close - 1);
        if (n == B_MAY) return B_MAY;
        long long e = bound_tokens(x, close + 1, b, depth + 1);
        return e == B_MAY ? B_MAY : sat_mul(n, e);
    }
    case T(IDENT):
        if (b == NONE32) {
            /* pkg.T: not known here; T[...]: an instance, or an index of
             * what follows: the tokens cannot tell */
            if (t[a + 1].kind == T(PERIOD)) return 0;
            if (t[a + 1].kind == T(LBRACK)) return B_MAY;
        } else if (a != b) {
            return 0; /* pkg.T, instantiated generics */
        }
        if (names_find(&x->types, a) != NONE32) return bound_named(x, a, depth);
        return basic_size(x->u, a) > 0 ? basic_size(x->u, a) : 0;
    case T(LPAREN): return B_MAY;
    default: return 0;
    }
}

/* Whether the unit can hold a type of at least limit bytes: the largest
 * bound of its array types, struct types and declared types. -1 when out
 * of memory. */
static int may_have_large_type(const goleak_unit *u, const goleak_allocator *al, long long limit) {
    if (limit < 24) return 1;
    const node *nd = u->nodes.data;
    bounds x;
    memset(&x, 0, sizeof x);
    x.u = u;
    uint32_t nspecs = unit_kind_index(u) ? 0 : u->kind_at[N(SPEC) + 1] - u->kind_at[N(SPEC)];
    x.nstructs = unit_kind_index(u) ? 0 : u->kind_at[N(STRUCTTYPE) + 1] - u->kind_at[N(STRUCTTYPE)];
    int rc = -1;
    if (names_init(&x.types, u, al, nspecs + 1)) return -1;
    /* the names of the file's constants: the identifiers of const specs
     * before their type or value (two passes: the table is sized first) */
    uint32_t nconst = 0;
    for (int pass = 0; pass < 2; pass++) {
        if (pass == 1 && names_init(&x.consts, u, al, nconst + 1)) {
            names_free(&x.types);
            return -1;
        }
        FOR_UNIT_NODE(u, N(SPEC), spec) {
            uint32_t gen = nd[spec].parent, end = nd[spec].last;
            if (gen == NONE32 || u->toks.data[nd[gen].first].kind != T(CONST)) continue;
            for (uint32_t c = nd[spec].child; c != NONE32; c = nd[c].next)
                if (nd[c].first > nd[spec].first && nd[c].first - 1 < end) end = nd[c].first - 1;
            for (uint32_t i = nd[spec].first; i <= end; i++) {
                int added;
                if (u->toks.data[i].kind != T(IDENT)) continue;
                if (pass == 0)
                    nconst++;
                else if (names_add(&x.consts, i, &added) == NONE32)
                    goto done;
            }
        }
    }
    size_t nslots = (size_t)x.types.mask + 1;
    x.named = gl_malloc(al, nslots * sizeof *x.named);
    x.head = gl_malloc(al, nslots * sizeof *x.head);
    x.specs = gl_malloc(al, ((size_t)nspecs + 1) * sizeof *x.specs);
    x.next = gl_malloc(al, ((size_t)nspecs + 1) * sizeof *x.next);
    x.structs = gl_malloc(al, ((size_t)x.nstructs + 1) * sizeof *x.structs);
    x.sbound = gl_malloc(al, ((size_t)x.nstructs + 1) * sizeof *x.sbound);
    if (!x.named || !x.head || !x.specs || !x.next || !x.structs || !x.sbound) goto done;
    for (uint32_t k = 0; k < x.nstructs; k++) x.sbound[k] = B_UNKNOWN;
    for (size_t k = 0; k < nslots; k++) {
        x.named[k] = B_UNKNOWN;
        x.head[k] = NONE32;
    }
    /* each declared type name's specs, chained in reverse: a bound takes
     * the largest of them */
    uint32_t ntypes = 0;
    FOR_UNIT_NODE(u, N(SPEC), spec) {
        uint32_t key = nd[spec].key, gen = nd[spec].parent;
        if (key == NONE32 || gen == NONE32 || u->toks.data[nd[gen].first].kind != T(TYPE) ||
            u->toks.data[key].kind != T(IDENT))
            continue;
        int added;
        uint32_t slot = names_add(&x.types, key, &added);
        if (slot == NONE32) goto done;
        x.specs[ntypes] = spec;
        x.next[ntypes] = x.head[slot];
        x.head[slot] = ntypes++;
    }
    /* the struct types by first token, for the bound of `struct {...}` */
    uint32_t ns = 0;
    FOR_UNIT_NODE(u, N(STRUCTTYPE), st) x.structs[ns++] = (uint64_t)nd[st].first << 32 | st;
    qsort(x.structs, ns, sizeof *x.structs, u64_order);
    rc = 0;
    long long most = 0;
    for (uint32_t k = 0; k < ns && most != B_MAY && most < limit; k++) {
        long long b = bound_struct(&x, k, 0);
        most = b == B_MAY ? B_MAY : (b > most ? b : most);
    }
    for (uint32_t k = 0; k < ntypes && most != B_MAY && most < limit; k++) {
        long long b = bound_named(&x, nd[x.specs[k]].key, 0);
        most = b == B_MAY ? B_MAY : (b > most ? b : most);
    }
    const token *t = u->toks.data;
    /* the array types written anywhere; the test of `most` only after one */
    uint32_t n = most == B_MAY || most >= limit ? 0 : u->toks.len;
    for (uint32_t i = 0; i + 1 < n; i++) {
        if (t[i].kind != T(LBRACK) || !array_type_at(u, i)) continue;
        long long b = bound_tokens(&x, i, NONE32, 0);
        most = b == B_MAY ? B_MAY : (b > most ? b : most);
        if (most == B_MAY || most >= limit) break;
    }
    rc = most == B_MAY || most >= limit;
done:
    names_free(&x.types);
    names_free(&x.consts);
    gl_free(al, x.named);
    gl_free(al, x.head);
    gl_free(al, x.specs);
    gl_free(al, x.next);
    gl_free(al, x.structs);
    gl_free(al, x.sbound);
    return rc;
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
        if (val == NONE32 || x == NONE32) continue;
        if (f->nodes[val].first == f->nodes[val].last && tok_is(f, f->nodes[val].first, "_"))
            continue;
        if (report_element_copies(chk, f, rng, x, val, limit)) continue;
        /* an array variable, or an array field of a struct of the file (h.buckets) */
        uint32_t ta, tb;
        if (f->toks[f->nodes[x].first].kind == T(AND) || !ranged_type(f, x, &ta, &tb) ||
            f->toks[ta].kind == T(MUL))
            continue;
        long long n = type_size(f, ta, tb, 0);
        if (n < limit || f->toks[ta].kind == T(STRUCT)) continue;
        human(n, size, sizeof size);
        check_report_node(chk, rng,
                          "range over array `%s` (%s) with a value variable copies the whole "
                          "array first; range over &%s or %s[:], or index it",
                          snippet(f, f->nodes[x].first, f->nodes[x].last, name, sizeof name), size,
                          name, name);
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
