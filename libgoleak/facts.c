/* Facts of a unit: see facts.h. Built in one pre-order walk of the tree,
 * plus one pass over the calls. */
#include "facts.h"

#include <stdlib.h>
#include <string.h>

/* ---- tokens ---- */

static inline const uint8_t *tok_text(const facts *f, uint32_t i, uint32_t *len) {
    *len = f->toks[i].len;
    return f->src + f->toks[i].off;
}

int toks_same(const facts *f, uint32_t a0, uint32_t a1, uint32_t b0, uint32_t b1) {
    if (a1 - a0 != b1 - b0) return 0;
    for (uint32_t k = 0; a0 + k <= a1; k++) {
        if (f->toks[a0 + k].kind != f->toks[b0 + k].kind || !tok_same(f, a0 + k, b0 + k)) return 0;
    }
    return 1;
}

/* The index of the top-level declaration spanning token tok; ntops when
 * none does (the package clause, semicolons between declarations). */
static uint32_t top_of(const facts *f, uint32_t tok) {
    uint32_t t = *f->last_top;
    if (t < f->ntops && f->top_first[t] <= tok && tok <= f->top_last[t]) return t;
    uint32_t lo = 0, hi = f->ntops;
    while (lo < hi) { /* the first declaration starting after tok */
        uint32_t mid = lo + (hi - lo) / 2;
        if (f->top_first[mid] <= tok)
            lo = mid + 1;
        else
            hi = mid;
    }
    t = lo > 0 && tok <= f->top_last[lo - 1] ? lo - 1 : f->ntops;
    *f->last_top = t;
    return t;
}

/* The bucket of the variables named like identifier token tok in top-level
 * declaration top: a name's variables are chained per function, so a
 * lookup never walks the file's other functions' err or i. The name's
 * whole 64-bit hash, not the token's 16 bits: a function with more than
 * 65,536 variables would otherwise chain them in shared buckets. */
static uint32_t var_bucket(const facts *f, uint32_t tok, uint32_t top) {
    const token *t = &f->toks[tok];
    uint64_t h = ident_hash64(f->src + t->off, t->len);
    uint32_t x = (uint32_t)(h >> 32) ^ (top * 0x9E3779B1u);
    x ^= x >> 15;
    x *= 0x85EBCA6Bu;
    x ^= x >> 13;
    return x & (f->nbuckets - 1);
}

/* ---- nodes ---- */

int node_within(const facts *f, uint32_t n, uint32_t a) {
    for (uint32_t p = n; p != NONE32; p = f->nodes[p].parent)
        if (p == a) return 1;
    return 0;
}

uint32_t child_by_role(const facts *f, uint32_t n, int role) {
    for (uint32_t c = f->nodes[n].child; c != NONE32; c = f->nodes[c].next)
        if (f->nodes[c].role == role) return c;
    return NONE32;
}

uint32_t nth_child_by_role(const facts *f, uint32_t n, int role, uint32_t k) {
    for (uint32_t c = f->nodes[n].child; c != NONE32; c = f->nodes[c].next) {
        if (f->nodes[c].role != role) continue;
        if (k-- == 0) return c;
    }
    return NONE32;
}

uint32_t expr_node(const facts *f, uint32_t e) {
    if (e == NONE32) return NONE32;
    uint32_t c = f->nodes[e].child;
    if (c == NONE32 || f->nodes[c].next != NONE32) return NONE32;
    /* parentheses around the node are allowed: (f()) */
    uint32_t a = f->nodes[e].first, b = f->nodes[e].last;
    while (a < b && f->toks[a].kind == T(LPAREN) && f->toks[b].kind == T(RPAREN) &&
           (a < f->nodes[c].first && b > f->nodes[c].last)) {
        a++;
        b--;
    }
    return (f->nodes[c].first == a && f->nodes[c].last == b) ? c : NONE32;
}

int expr_ident(const facts *f, uint32_t e, uint32_t *tok) {
    if (e == NONE32) return 0;
    uint32_t a = f->nodes[e].first, b = f->nodes[e].last;
    while (a < b && f->toks[a].kind == T(LPAREN) && f->toks[b].kind == T(RPAREN)) a++, b--;
    if (a != b || f->toks[a].kind != T(IDENT)) return 0;
    if (tok) *tok = a;
    return 1;
}

static int build_func_index(facts *f);
static int build_type_index(facts *f);
static int build_call_index(facts *f);

/* Builds an index on first use, through the const facts (one thread per
 * check, like last_top): 0, or -1 with f->oom set. */
static int ensure(const facts *cf, int *built, int (*build)(facts *)) {
    facts *f = (facts *)cf;
    if (*built) return *built > 0 ? 0 : -1;
    *built = build(f) == 0 ? 1 : -1;
    if (*built < 0) *f->oom = 1;
    return *built > 0 ? 0 : -1;
}

const uint32_t *facts_node_index(const facts *cf) {
    facts *f = (facts *)cf;
    if (!f->node_at) {
        f->node_at = unit_node_index(f->u);
        if (!f->node_at) *f->oom = 1;
    }
    return f->node_at;
}

uint32_t find_func(const facts *f, uint32_t name_tok) {
    if (name_tok == NONE32 || f->toks[name_tok].kind != T(IDENT) ||
        ensure(f, (int *)&f->funcs_built, build_func_index))
        return NONE32;
    uint32_t slot = names_find(&f->func_names, name_tok);
    return slot == NONE32 ? NONE32 : f->func_by_name[slot];
}

static const uint32_t *calls_of_slot(const facts *f, uint32_t slot, uint32_t *n) {
    *n = 0;
    if (slot == NONE32) return NULL;
    *n = f->call_start[slot + 1] - f->call_start[slot];
    return f->call_list + f->call_start[slot];
}

struct ident_index {
    name_table names;
    uint32_t *start, *list;
};

static void ident_index_free(const goleak_allocator *a, struct ident_index *x) {
    if (!x) return;
    names_free(&x->names);
    gl_free(a, x->start);
    gl_free(a, x->list);
    gl_free(a, x);
}

/* Groups every identifier token by name (CSR), in one pass to count and
 * one to fill. */
static struct ident_index *build_ident_index(const facts *f) {
    const goleak_allocator *a = f->alloc;
    uint32_t ntok = f->u->toks.len, nident = 0;
    for (uint32_t t = 0; t < ntok; t++) nident += f->toks[t].kind == T(IDENT);
    struct ident_index *x = gl_calloc(a, sizeof *x);
    if (!x || names_init(&x->names, f->u, a, nident + 1)) goto oom;
    size_t nslots = (size_t)x->names.mask + 1;
    x->start = gl_calloc(a, (nslots + 1) * sizeof *x->start);
    x->list = gl_malloc(a, ((size_t)nident + 1) * sizeof *x->list);
    /* each identifier's slot, kept from the counting pass for the fill */
    uint32_t *slots = gl_malloc(a, ((size_t)nident + 1) * sizeof *slots);
    if (!x->start || !x->list || !slots) goto oom_slots;
    uint32_t ni = 0;
    for (uint32_t t = 0; t < ntok; t++) {
        if (f->toks[t].kind != T(IDENT)) continue;
        int added;
        uint32_t slot = names_add(&x->names, t, &added);
        if (slot == NONE32) goto oom_slots;
        x->start[slot + 1]++;
        slots[ni++] = slot;
    }
    for (size_t s = 0; s < nslots; s++) x->start[s + 1] += x->start[s];
    ni = 0;
    for (uint32_t t = 0; t < ntok; t++)
        if (f->toks[t].kind == T(IDENT)) x->list[x->start[slots[ni++]]++] = t;
    gl_free(a, slots);
    /* the fill moved each start to the next slot's: shift them back */
    for (size_t k = nslots; k > 0; k--) x->start[k] = x->start[k - 1];
    x->start[0] = 0;
    return x;
oom_slots:
    gl_free(a, slots);
oom:
    ident_index_free(a, x);
    return NULL;
}

/* The identifier index, built on first use (through the const facts like
 * last_top); NULL when out of memory (f->oom is set). */
static const struct ident_index *ident_index(const facts *f) {
    if (!f->idents) {
        ((facts *)f)->idents = build_ident_index(f);
        if (!f->idents) *f->oom = 1;
    }
    return f->idents;
}

static const uint32_t *idents_of_slot(const struct ident_index *x, uint32_t slot, uint32_t *n) {
    if (slot == NONE32) return NULL;
    *n = x->start[slot + 1] - x->start[slot];
    return x->list + x->start[slot];
}

const uint32_t *idents_named(const facts *f, uint32_t tok, uint32_t *n) {
    *n = 0;
    const struct ident_index *x = f->toks[tok].kind == T(IDENT) ? ident_index(f) : NULL;
    return x ? idents_of_slot(x, names_find(&x->names, tok), n) : NULL;
}

const uint32_t *idents_named_text(const facts *f, const char *name, uint32_t *n) {
    *n = 0;
    const struct ident_index *x = ident_index(f);
    return x ? idents_of_slot(x, names_find_text(&x->names, name), n) : NULL;
}

uint32_t find_type(const facts *f, uint32_t tok) {
    if (tok == NONE32 || f->toks[tok].kind != T(IDENT) ||
        ensure(f, (int *)&f->types_built, build_type_index))
        return NONE32;
    uint32_t slot = names_find(&f->type_names, tok);
    return slot == NONE32 ? NONE32 : f->type_by_name[slot];
}

const uint32_t *calls_named(const facts *f, uint32_t tok, uint32_t *n) {
    *n = 0;
    if (f->toks[tok].kind != T(IDENT) || ensure(f, (int *)&f->calls_built, build_call_index))
        return NULL;
    return calls_of_slot(f, names_find(&f->call_names, tok), n);
}

uint32_t calls_from(const facts *f, const uint32_t *calls, uint32_t n, uint32_t tok) {
    uint32_t lo = 0, hi = n;
    while (lo < hi) {
        uint32_t mid = lo + (hi - lo) / 2;
        if (f->nodes[f->calls.data[calls[mid]].node].first < tok)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo;
}

const uint32_t *calls_named_text(const facts *f, const char *name, uint32_t *n) {
    *n = 0;
    if (ensure(f, (int *)&f->calls_built, build_call_index)) return NULL;
    return calls_of_slot(f, names_find_text(&f->call_names, name), n);
}

/* ---- imports ---- */

static const struct {
    const char *path;
    uint8_t pkg;
} known_pkgs[] = {
    {"time", PKG_TIME},       {"context", PKG_CONTEXT},  {"sync", PKG_SYNC},
    {"runtime", PKG_RUNTIME}, {"strings", PKG_STRINGS},  {"bytes", PKG_BYTES},
    {"io", PKG_IO},           {"io/ioutil", PKG_IOUTIL}, {"os", PKG_OS},
    {"bufio", PKG_BUFIO},     {"log", PKG_LOG},          {"slices", PKG_SLICES},
    {"fmt", PKG_FMT},         {"sort", PKG_SORT},        {"path/filepath", PKG_FILEPATH},
    {"path", PKG_PATH},
};

static int add_import(facts *f, uint32_t n) {
    const node *imp = &f->nodes[n];
    if (imp->key == NONE32) return 0;
    uint32_t plen;
    const uint8_t *path = tok_text(f, imp->key, &plen);
    if (plen < 2) return 0;
    path++, plen -= 2; /* quotes */
    import_fact fi = {n, NULL, 0, 0, PKG_NONE, 0};
    for (size_t k = 0; k < sizeof known_pkgs / sizeof *known_pkgs; k++) {
        if (strlen(known_pkgs[k].path) == plen && memcmp(known_pkgs[k].path, path, plen) == 0)
            fi.pkg = known_pkgs[k].pkg;
    }
    if (imp->first != imp->key) { /* an alias, "." or "_" */
        if (f->toks[imp->first].kind == T(PERIOD)) {
            fi.dot = 1;
        } else {
            fi.name = tok_text(f, imp->first, &fi.name_len);
            if (fi.name_len == 1 && fi.name[0] == '_') return 0;
        }
    } else {
        /* the package name is usually the path's last element */
        uint32_t s = plen;
        while (s > 0 && path[s - 1] != '/') s--;
        fi.name = path + s;
        fi.name_len = plen - s;
    }
    if (fi.dot) f->dot_pkgs |= 1u << fi.pkg;
    /* the name lies in the source, whose padding covers ident_hash's reads */
    if (fi.name_len > 0) fi.name_hash = ident_hash(fi.name, fi.name_len);
    return VEC_PUSH(f->alloc, &f->imports, fi);
}

_Static_assert(PKG_COUNT <= 32, "dot_pkgs holds one bit per package");

/* ---- variables ---- */

/* Resolution while the facts are built: the variables declared so far,
 * by their chains. The build asks in source order (a pre-order walk), so a
 * local whose scope has ended before tok can never be the answer again: it
 * is unlinked from its chain, which keeps each lookup short however many
 * locals of one name a function declares (for j := ... in every loop). */
const var_fact *resolve_building(const facts *cf, uint32_t tok) {
    facts *f = (facts *)cf; /* the facts under construction */
    const token *t = &f->toks[tok];
    if (t->kind != T(IDENT)) return NULL;
    /* a local of the declaration around tok, the innermost scope (it
     * declares last, so it comes first in its chain) */
    uint32_t top = top_of(f, tok);
    uint32_t *link = &f->buckets[var_bucket(f, tok, top)];
    for (uint32_t i = *link; i != NONE32; i = *link) {
        var_fact *v = &f->vars.data[i];
        if (v->top != NONE32 && v->scope_end < tok) { /* out of scope for good */
            *link = v->next;
            continue;
        }
        if (v->top == top && v->name <= tok && tok_same(f, v->name, tok)) return v;
        link = &v->next;
    }
    /* else a package-level variable (the last declared, as before) */
    for (uint32_t i = f->buckets[var_bucket(f, tok, NONE32)]; i != NONE32;
         i = f->vars.data[i].next) {
        const var_fact *v = &f->vars.data[i];
        if (v->top == NONE32 && tok_same(f, v->name, tok)) return v;
    }
    return NULL;
}

int ident_pkg(const facts *f, uint32_t tok) {
    if (f->toks[tok].kind != T(IDENT)) return PKG_NONE;
    uint32_t n;
    const uint8_t *s = tok_text(f, tok, &n);
    for (uint32_t k = 0; k < f->imports.len; k++) {
        const import_fact *fi = &f->imports.data[k];
        if (fi->dot || fi->name_hash != f->toks[tok].hash || fi->name_len != n ||
            memcmp(fi->name, s, n) != 0)
            continue;
        const var_fact *v = resolve(f, tok);
        if (v) return PKG_NONE; /* a variable named like the package shadows it */
        return fi->pkg == PKG_NONE ? PKG_OTHER : fi->pkg;
    }
    return PKG_NONE;
}

/* Whether identifier token i, spelled like a variable, is a field name
 * x.name or a literal key name: (not a use of the variable). */
int field_or_key(const facts *f, uint32_t i) {
    if (i == 0) return 0;
    if (f->toks[i - 1].kind == T(PERIOD)) return 1;
    return f->toks[i + 1].kind == T(COLON) &&
           (f->toks[i - 1].kind == T(LBRACE) || f->toks[i - 1].kind == T(COMMA));
}

uint32_t next_use(const facts *f, const var_fact *v, uint32_t from, uint32_t to) {
    if (to > v->scope_end && !(v->flags & VF_PKG)) to = v->scope_end;
    /* the variable's own list: the first use after from */
    uint32_t k = (uint32_t)(v - f->vars.data);
    uint32_t lo = f->use_start[k], end = f->use_start[k + 1], hi = end;
    while (lo < hi) {
        uint32_t mid = lo + (hi - lo) / 2;
        if (f->uses[mid] <= from)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo < end && f->uses[lo] <= to ? f->uses[lo] : NONE32;
}

/* The last token of the scope a declaring statement opens. */
static uint32_t scope_end_of(const facts *f, uint32_t n) {
    for (;;) {
        const node *x = &f->nodes[n];
        uint32_t p = x->parent;
        if (p == NONE32) return f->u->toks.len - 1;
        if (x->role == R(INIT) || x->role == R(TAG) || x->role == R(COMM)) return f->nodes[p].last;
        if (f->nodes[p].kind == N(LABELED)) {
            n = p;
            continue;
        }
        return f->nodes[p].last;
    }
}

int type_kind(const facts *f, uint32_t a, uint32_t b) {
    if (a == NONE32 || a > b) return VK_OTHER;
    int k0 = f->toks[a].kind;
    if (k0 == T(CHAN) || (k0 == T(ARROW) && a < b && f->toks[a + 1].kind == T(CHAN)))
        return VK_CHAN;
    if (k0 == T(LBRACK)) {
        if (a < b && f->toks[a + 1].kind == T(RBRACK))
            return (a + 2 == b && tok_is(f, b, "byte")) ? VK_BYTES : VK_SLICE;
        return VK_ARRAY;
    }
    if (k0 == T(MUL)) a++;
    if (a + 2 == b && f->toks[a + 1].kind == T(PERIOD)) {
        int pkg = ident_pkg(f, a);
        if (pkg == PKG_SYNC && tok_is(f, b, "Mutex")) return VK_MUTEX;
        if (pkg == PKG_SYNC && tok_is(f, b, "RWMutex")) return VK_RWMUTEX;
        if (pkg == PKG_TIME && tok_is(f, b, "Ticker")) return VK_TICKER;
        if (pkg == PKG_TIME && tok_is(f, b, "Timer")) return VK_TIMER;
        if (pkg == PKG_CONTEXT && (tok_is(f, b, "CancelFunc") || tok_is(f, b, "CancelCauseFunc")))
            return VK_CANCEL;
        if (pkg == PKG_CONTEXT && tok_is(f, b, "Context")) return VK_CONTEXT;
    }
    if (a == b && k0 == T(IDENT) && tok_is(f, a, "string")) return VK_STRING;
    return VK_OTHER;
}

/* ---- constants ---- */

typedef struct cparse {
    const facts *f;
    uint32_t i, end;
    int depth;
} cparse;

static long long c_expr(cparse *p);

static long long c_factor(cparse *p) {
    const facts *f = p->f;
    if (p->i > p->end || ++p->depth > 16) return -1;
    uint32_t i = p->i;
    int k = f->toks[i].kind;
    if (k == T(LPAREN)) {
        p->i++;
        long long v = c_expr(p);
        if (p->i > p->end || f->toks[p->i].kind != T(RPAREN)) return -1;
        p->i++;
        return v;
    }
    p->i++;
    if (k == T(INT)) {
        uint32_t n;
        const uint8_t *s = tok_text(f, i, &n);
        long long x = 0;
        for (uint32_t j = 0; j < n; j++) {
            if (s[j] == '_') continue;
            if (s[j] < '0' || s[j] > '9' || x > (1LL << 40)) return -1;
            x = x * 10 + (s[j] - '0');
        }
        return x;
    }
    if (k == T(IDENT)) {
        /* a constant of the file: const N = 64 << 10 */
        const var_fact *v = resolve(f, i);
        if (!v || v->value == NONE32 || f->nodes[v->decl].kind != N(SPEC)) return -1;
        uint32_t gen = f->nodes[v->decl].parent;
        if (gen == NONE32 || f->toks[f->nodes[gen].first].kind != T(CONST)) return -1;
        cparse q = {f, f->nodes[v->value].first, f->nodes[v->value].last, p->depth};
        long long x = c_expr(&q);
        return q.i == q.end + 1 ? x : -1;
    }
    return -1;
}

static long long c_term(cparse *p) {
    long long v = c_factor(p);
    while (v >= 0 && p->i <= p->end) {
        int k = p->f->toks[p->i].kind;
        if (k != T(MUL) && k != T(QUO) && k != T(SHL) && k != T(SHR)) break;
        p->i++;
        long long w = c_factor(p);
        if (w < 0) return -1;
        if (k == T(MUL))
            v *= w;
        else if (k == T(QUO))
            v = w ? v / w : -1;
        else if (k == T(SHL))
            v = w < 40 ? v << w : -1;
        else
            v = w < 63 ? v >> w : 0;
        if (v > (1LL << 50)) return -1;
    }
    return v;
}

static long long c_expr(cparse *p) {
    long long v = c_term(p);
    while (v >= 0 && p->i <= p->end) {
        int k = p->f->toks[p->i].kind;
        if (k != T(ADD) && k != T(SUB)) break;
        p->i++;
        long long w = c_term(p);
        if (w < 0) return -1;
        v = k == T(ADD) ? v + w : v - w;
        if (v < 0 || v > (1LL << 50)) return -1;
    }
    return v;
}

long long const_value(const facts *f, uint32_t a, uint32_t b) {
    if (a == NONE32 || a > b) return -1;
    cparse p = {f, a, b, 0};
    long long v = c_expr(&p);
    return p.i == b + 1 ? v : -1;
}

/* The capacity of the channel that expression e makes with make (-1 when
 * not a constant), or -2 when e is no make of a channel. */
static int32_t made_chan_cap(const facts *f, uint32_t e) {
    const call_fact *c = e != NONE32 && f->nodes[e].kind == N(CALL) ? call_of(f, e) : NULL;
    if (!c || !call_is_func(f, c, "make")) return -2;
    uint32_t t = call_arg(f, e, 0);
    if (t == NONE32 || type_kind(f, f->nodes[t].first, f->nodes[t].last) != VK_CHAN) return -2;
    uint32_t cap = call_arg(f, e, 1);
    return cap == NONE32 ? 0 : (int32_t)const_value(f, f->nodes[cap].first, f->nodes[cap].last);
}

/* The capacity of the channel every return of function fn of the file
 * gives back, made there (`return make(chan T)`, or a local made so): a
 * call of such a helper makes the channel as make does. -2 when fn returns
 * anything else, or channels of different capacities. */
static int32_t helper_made_chan_cap(const facts *f, uint32_t fn) {
    uint32_t body = func_body(f, fn);
    if (body == NONE32) return -2;
    int32_t cap = -2;
    FOR_KIND_IN(f, N(RETURN), r, f->nodes[body].first, f->nodes[body].last) {
        if (enclosing_func(f, r) != fn) continue;
        uint32_t x = f->nodes[r].child, tok;
        if (x == NONE32 || f->nodes[x].next != NONE32) return -2;
        uint32_t e = expr_node(f, x);
        const var_fact *w = expr_ident(f, x, &tok) ? resolve(f, tok) : NULL;
        if (w && w->func == fn && w->value != NONE32) e = expr_node(f, w->value);
        int32_t k = made_chan_cap(f, e);
        if (k == -2 || (cap != -2 && k != cap)) return -2;
        cap = k;
    }
    return cap;
}

/* Classifies what an initial value puts in a variable; index is the result
 * index for a multi-value call. */
static void classify_value(facts *f, var_fact *v, uint32_t expr, uint32_t index) {
    uint32_t e = expr_node(f, expr);
    uint32_t a = f->nodes[expr].first, b = f->nodes[expr].last;
    if (e != NONE32 && f->nodes[e].kind == N(CALL)) {
        const call_fact *c = call_of(f, e);
        if (!c) return;
        if (call_is_func(f, c, "make")) {
            uint32_t t = call_arg(f, e, 0);
            if (t == NONE32) return;
            int tk = type_kind(f, f->nodes[t].first, f->nodes[t].last);
            if (tk == VK_CHAN) {
                v->kind = VK_CHAN;
                v->flags |= VF_MADE;
                uint32_t cap = call_arg(f, e, 1);
                v->chan_cap = cap == NONE32 ? 0
                                            : (int32_t)const_value(f, f->nodes[cap].first,
                                                                   f->nodes[cap].last);
            } else if (tk == VK_BYTES) {
                v->kind = VK_BYTES;
                uint32_t len = call_arg(f, e, 1);
                if (len != NONE32 &&
                    const_value(f, f->nodes[len].first, f->nodes[len].last) >= 65536)
                    v->flags |= VF_LARGE;
            }
            return;
        }
        if (index == 0 && c->recv_first == NONE32 && c->name == a && !resolve(f, c->name)) {
            uint32_t fn = find_func(f, c->name);
            int32_t cap = fn != NONE32 && child_by_role(f, fn, GOLEAK_ROLE_RECV) == NONE32
                              ? helper_made_chan_cap(f, fn)
                              : -2;
            if (cap != -2) {
                v->kind = VK_CHAN;
                v->flags |= VF_MADE;
                v->chan_cap = cap;
                return;
            }
        }
        if (call_is_func(f, c, "new")) {
            uint32_t t = call_arg(f, e, 0);
            if (t != NONE32) v->kind = (uint16_t)type_kind(f, f->nodes[t].first, f->nodes[t].last);
            return;
        }
        if (call_is_pkg(f, c, PKG_TIME, "NewTicker"))
            v->kind = VK_TICKER;
        else if (call_is_pkg(f, c, PKG_TIME, "NewTimer"))
            v->kind = VK_TIMER;
        else if (c->pkg == PKG_CONTEXT && c->name != NONE32 && tok_kind(f, c->name) == T(IDENT)) {
            uint32_t n;
            const uint8_t *s = tok_text(f, c->name, &n);
            if (n > 4 && memcmp(s, "With", 4) == 0) v->kind = index == 1 ? VK_CANCEL : VK_CONTEXT;
        } else if (index == 0 && call_reads_whole_input(f, c)) {
            v->kind = VK_BYTES;
            v->flags |= VF_LARGE;
        } else if (call_is_func(f, c, "string") || call_is_func(f, c, "[]byte")) {
            uint32_t arg = call_arg(f, e, 0), t;
            v->kind = VK_STRING;
            if (expr_ident(f, arg, &t)) {
                const var_fact *w = resolve(f, t);
                if (w && (w->flags & VF_LARGE)) v->flags |= VF_LARGE;
            }
        }
        return;
    }
    if (e != NONE32 && f->nodes[e].kind == N(COMPOSITE)) {
        uint32_t lb = f->nodes[e].key;
        if (lb > a) v->kind = (uint16_t)type_kind(f, a, lb - 1);
        return;
    }
    if (a + 1 <= b && f->toks[a].kind == T(AND) && e == NONE32) {
        /* &T{...} */
        uint32_t c = f->nodes[expr].child;
        if (c != NONE32 && f->nodes[c].kind == N(COMPOSITE) && f->nodes[c].key > a + 1)
            v->kind = (uint16_t)type_kind(f, a + 1, f->nodes[c].key - 1);
        return;
    }
    uint32_t t;
    if (expr_ident(f, expr, &t)) {
        const var_fact *w = resolve(f, t);
        if (w && w != v) {
            v->kind = w->kind;
            v->flags |= (uint16_t)(w->flags & VF_LARGE);
            v->chan_cap = w->chan_cap;
        }
        return;
    }
    if (a == b && f->toks[a].kind == T(STRING)) v->kind = VK_STRING;
}

/* Declares a variable; *out receives it (NULL for the blank name "_").
 * 0, or -1 when out of memory. */
static int add_var(facts *f, uint32_t name, uint32_t scope_end, uint32_t func, uint32_t decl,
                   uint16_t flags, var_fact **out) {
    *out = NULL;
    if (tok_is(f, name, "_")) return 0;
    uint32_t top = (flags & VF_PKG) ? NONE32 : top_of(f, name);
    var_fact v = {name, scope_end, func,     decl,  NONE32, NONE32, NONE32,
                  0,    -2,        VK_OTHER, flags, 0,      top};
    uint32_t h = var_bucket(f, name, top);
    v.next = f->buckets[h];
    if (VEC_PUSH(f->alloc, &f->vars, v)) return -1;
    f->buckets[h] = f->vars.len - 1;
    *out = &f->vars.data[f->vars.len - 1];
    return 0;
}

static void set_type(facts *f, var_fact *v, uint32_t type_node) {
    if (!v || type_node == NONE32) return;
    v->type_first = f->nodes[type_node].first;
    v->type_last = f->nodes[type_node].last;
    if (v->kind == VK_OTHER) v->kind = (uint16_t)type_kind(f, v->type_first, v->type_last);
}

/* Parameters, results and receivers of a FUNC or FUNCLIT. */
static int add_params(facts *f, uint32_t field, uint32_t fn) {
    const node *x = &f->nodes[field];
    uint16_t flags = x->role == R(RESULT) ? VF_RESULT : VF_PARAM;
    if (x->role == R(RECV)) flags |= VF_RECV;
    if (x->role == R(TPARAM)) return 0;
    uint32_t type = child_by_role(f, field, R(TYPE));
    uint32_t end = type != NONE32 ? f->nodes[type].first : x->last + 1;
    for (uint32_t i = x->first; i < end; i++) {
        if (f->toks[i].kind != T(IDENT)) continue;
        var_fact *v;
        if (add_var(f, i, f->nodes[fn].last, fn, field, flags, &v)) return -1;
        set_type(f, v, type);
    }
    return 0;
}

/* x := ..., and a, b := f() */
static int add_define(facts *f, uint32_t as, uint32_t fn) {
    uint32_t nlhs = 0, nrhs = 0;
    for (uint32_t c = f->nodes[as].child; c != NONE32; c = f->nodes[c].next) {
        if (f->nodes[c].role == R(LHS)) nlhs++;
        if (f->nodes[c].role == R(RHS)) nrhs++;
    }
    uint32_t end = scope_end_of(f, as);
    for (uint32_t k = 0; k < nlhs; k++) {
        uint32_t lhs = nth_child_by_role(f, as, R(LHS), k), t;
        if (!expr_ident(f, lhs, &t)) continue;
        /* := redeclares only new names; an existing one in the same scope is reassigned */
        const var_fact *old = resolve(f, t);
        if (old && old->scope_end == end && old->func == fn && old->name < t) continue;
        var_fact *v;
        if (add_var(f, t, end, fn, as, 0, &v)) return -1;
        if (!v) continue;
        uint32_t rhs = nrhs == nlhs ? nth_child_by_role(f, as, R(RHS), k)
                       : nrhs == 1  ? nth_child_by_role(f, as, R(RHS), 0)
                                    : NONE32;
        if (rhs == NONE32) continue;
        v->value = rhs;
        v->value_index = nrhs == nlhs ? 0 : k;
    }
    return 0;
}

/* var/const specs (in functions or at package level). */
static int add_spec(facts *f, uint32_t spec, uint32_t fn) {
    const node *s = &f->nodes[spec];
    uint32_t gen = s->parent;
    if (gen == NONE32) return 0;
    int kw = f->toks[f->nodes[gen].first].kind;
    if (kw != T(VAR) && kw != T(CONST)) return 0;
    int pkg_level =
        f->nodes[gen].parent != NONE32 && f->nodes[f->nodes[gen].parent].kind == N(FILE);
    uint32_t type = child_by_role(f, spec, R(TYPE));
    uint32_t first_value = child_by_role(f, spec, R(VALUE));
    uint32_t end_names = type != NONE32          ? f->nodes[type].first
                         : first_value != NONE32 ? f->nodes[first_value].first
                                                 : s->last + 1;
    uint32_t scope_end = pkg_level ? f->u->toks.len - 1 : scope_end_of(f, gen);
    uint32_t k = 0;
    for (uint32_t i = s->first; i < end_names; i++) {
        if (f->toks[i].kind != T(IDENT)) continue;
        uint16_t flags = (uint16_t)(pkg_level ? VF_PKG : 0);
        if (first_value == NONE32) flags |= VF_NO_VALUE;
        var_fact *v;
        if (add_var(f, i, scope_end, pkg_level ? NONE32 : fn, spec, flags, &v)) return -1;
        uint32_t value = nth_child_by_role(f, spec, R(VALUE), k++);
        if (!v) continue;
        set_type(f, v, type);
        v->value = value;
    }
    return 0;
}

static int add_range_vars(facts *f, uint32_t rng, uint32_t fn) {
    if (!(f->nodes[rng].flags & GOLEAK_NODE_FLAG_DEFINE)) return 0;
    uint32_t roles[2] = {R(KEY), R(VALUE)};
    for (int k = 0; k < 2; k++) {
        uint32_t e = child_by_role(f, rng, (int)roles[k]), t;
        var_fact *v;
        if (e == NONE32 || !expr_ident(f, e, &t)) continue;
        if (add_var(f, t, f->nodes[rng].last, fn, rng, 0, &v)) return -1;
    }
    return 0;
}

static int add_fields(facts *f, uint32_t st) {
    uint32_t owner = NONE32;
    uint32_t p = f->nodes[st].parent;
    if (p != NONE32 && f->nodes[p].kind == N(TYPE) && f->nodes[p].parent != NONE32 &&
        f->nodes[f->nodes[p].parent].kind == N(SPEC))
        owner = f->nodes[p].parent;
    for (uint32_t c = f->nodes[st].child; c != NONE32; c = f->nodes[c].next) {
        const node *fl = &f->nodes[c];
        if (fl->kind != N(FIELD) || fl->key == NONE32) continue;
        uint32_t type = child_by_role(f, c, R(TYPE));
        if (type == NONE32) continue;
        for (uint32_t i = fl->first; i < f->nodes[type].first; i++) {
            if (f->toks[i].kind != T(IDENT)) continue;
            field_fact ff = {i, f->nodes[type].first, f->nodes[type].last, owner,
                             (uint16_t)type_kind(f, f->nodes[type].first, f->nodes[type].last)};
            if (VEC_PUSH(f->alloc, &f->fields, ff)) return -1;
        }
    }
    return 0;
}

const field_fact *find_field(const facts *f, uint32_t tok) {
    for (uint32_t k = 0; k < f->fields.len; k++)
        if (tok_same(f, f->fields.data[k].name, tok)) return &f->fields.data[k];
    return NULL;
}

/* ---- calls ---- */

static int add_call(facts *f, uint32_t n) {
    const node *c = &f->nodes[n];
    call_fact cf = {n, NONE32, NONE32, NONE32, PKG_NONE, 0};
    for (uint32_t a = c->child; a != NONE32; a = f->nodes[a].next)
        if (f->nodes[a].role == R(ARG) && cf.nargs < 255) cf.nargs++;
    uint32_t first = c->first, key = c->key;
    /* the callee is tokens [first, key - 1]; a name ends it for f(), x.f(), pkg.F() */
    if (key != NONE32 && key > first && f->toks[key - 1].kind == T(IDENT)) {
        uint32_t last = key - 1;
        if (last == first) {
            cf.name = last;
        } else if (last >= first + 2 && f->toks[last - 1].kind == T(PERIOD)) {
            cf.name = last;
            int pkg = last - 2 == first ? ident_pkg(f, first) : PKG_NONE;
            if (pkg == PKG_NONE) {
                cf.recv_first = first;
                cf.recv_last = last - 2;
            } else {
                cf.pkg = (uint8_t)pkg;
            }
        }
    }
    f->call_index[n] = f->calls.len;
    return VEC_PUSH(f->alloc, &f->calls, cf);
}

uint32_t kind_lower_bound(const facts *f, int kind, uint32_t tok) {
    const nodelist *l = &f->by_kind[kind];
    uint32_t lo = 0, hi = l->len;
    while (lo < hi) {
        uint32_t mid = lo + (hi - lo) / 2;
        if (f->nodes[l->data[mid]].first < tok)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo;
}

uint32_t call_at(const facts *f, uint32_t first, uint32_t last) {
    const nodelist *l = &f->by_kind[N(CALL)];
    uint32_t lo = kind_lower_bound(f, N(CALL), first);
    for (; lo < l->len && f->nodes[l->data[lo]].first == first; lo++)
        if (f->nodes[l->data[lo]].last == last) return l->data[lo];
    return NONE32;
}

int call_is_unqualified(const facts *f, const call_fact *c, const char *name) {
    return c->recv_first == NONE32 && c->name == f->nodes[c->node].first &&
           tok_is(f, c->name, name) && !resolve(f, c->name);
}

int call_reads_whole_input(const facts *f, const call_fact *c) {
    return call_is_pkg(f, c, PKG_IO, "ReadAll") || call_is_pkg(f, c, PKG_IOUTIL, "ReadAll") ||
           call_is_pkg(f, c, PKG_OS, "ReadFile") || call_is_pkg(f, c, PKG_IOUTIL, "ReadFile");
}

int call_is_method(const facts *f, const call_fact *c, const char *name) {
    return c && c->recv_first != NONE32 && tok_is(f, c->name, name);
}

int call_is_func(const facts *f, const call_fact *c, const char *name) {
    if (!c) return 0;
    if (strcmp(name, "[]byte") == 0) {
        uint32_t a = f->nodes[c->node].first;
        return f->nodes[c->node].key == a + 3 && f->toks[a].kind == T(LBRACK) &&
               f->toks[a + 1].kind == T(RBRACK) && tok_is(f, a + 2, "byte");
    }
    return c->name != NONE32 && c->name == f->nodes[c->node].first && c->recv_first == NONE32 &&
           c->pkg == PKG_NONE && tok_is(f, c->name, name) && !resolve(f, c->name);
}

/* ---- calls that never return ---- */

static int never_returns(const facts *f, uint32_t call, int depth);

/* Whether function fn of the file always ends the process or goroutine: its
 * body's last statement is a call that never returns. */
static int func_never_returns(const facts *f, uint32_t fn, int depth) {
    uint32_t body = func_body(f, fn), last = NONE32;
    if (body == NONE32) return 0;
    for (uint32_t s = f->nodes[body].child; s != NONE32; s = f->nodes[s].next) last = s;
    if (last == NONE32 || f->nodes[last].kind != N(EXPRSTMT)) return 0;
    uint32_t c = expr_node(f, last);
    return c != NONE32 && f->nodes[c].kind == N(CALL) && never_returns(f, c, depth + 1);
}

int call_never_returns(const facts *f, uint32_t call) {
    return never_returns(f, call, 0);
}

/* Whether tokens [a, b] are X.Getpid() (os, syscall, unix), or a variable
 * whose value is: the process's own id. */
static int own_pid(const facts *f, uint32_t a, uint32_t b, int depth) {
    if (a == b) {
        const var_fact *v = resolve(f, a);
        return v && v->value != NONE32 && depth < 2 &&
               own_pid(f, f->nodes[v->value].first, f->nodes[v->value].last, depth + 1);
    }
    return b == a + 4 && f->toks[a + 1].kind == T(PERIOD) && tok_is(f, a + 2, "Getpid") &&
           f->toks[a + 3].kind == T(LPAREN) &&
           (tok_is(f, a, "os") || tok_is(f, a, "syscall") || tok_is(f, a, "unix"));
}

/* Whether call c is syscall.Kill(own pid, sig) (or unix.Kill) with a
 * signal whose default action ends the process (not SIGCHLD, SIGCONT,
 * SIGURG, SIGWINCH, SIGSTOP, SIGTSTP, SIGTTIN, SIGTTOU): the process
 * ends itself, as a shutdown handler does after restoring the default. */
static int kills_self(const facts *f, const call_fact *c) {
    /* pkg.Kill(...): the package's name is the token before the dot */
    if (c->pkg != PKG_OTHER || c->name < 2 || !tok_is(f, c->name, "Kill") ||
        !(tok_is(f, c->name - 2, "syscall") || tok_is(f, c->name - 2, "unix")) || c->nargs != 2)
        return 0;
    uint32_t pid = call_arg(f, c->node, 0), sig = call_arg(f, c->node, 1);
    if (pid == NONE32 || sig == NONE32 || !own_pid(f, f->nodes[pid].first, f->nodes[pid].last, 0))
        return 0;
    static const char *const keep[] = {"SIGCHLD", "SIGCONT", "SIGURG",  "SIGWINCH",
                                       "SIGSTOP", "SIGTSTP", "SIGTTIN", "SIGTTOU"};
    int sigkill = 0;
    for (uint32_t i = f->nodes[sig].first; i <= f->nodes[sig].last; i++) {
        for (size_t k = 0; k < sizeof keep / sizeof *keep; k++)
            if (tok_is(f, i, keep[k])) return 0;
        if (tok_is(f, i, "SIGKILL")) sigkill = 1;
    }
    if (sigkill) return 1;
    /* another signal ends the process only with its default action back:
     * signal.Reset or signal.Stop, or a helper named for the default
     * (setDflSignal), earlier in the same function */
    uint32_t fn = f->func_of[c->node];
    if (fn == NONE32) return 0;
    FOR_KIND_IN(f, N(CALL), k, f->nodes[fn].first, f->nodes[c->node].first - 1) {
        const call_fact *o = call_of(f, k);
        if (!o || o->name == NONE32 || f->func_of[k] != fn) continue;
        if (o->pkg == PKG_OTHER && o->name >= 2 && tok_is(f, o->name - 2, "signal") &&
            (tok_is(f, o->name, "Reset") || tok_is(f, o->name, "Stop")))
            return 1;
        const token *t = &f->toks[o->name];
        const char *x = (const char *)f->src + t->off;
        for (uint32_t j = 0; j + 3 <= t->len; j++)
            if (memcmp(x + j, "Dfl", 3) == 0 ||
                (j + 7 <= t->len && memcmp(x + j, "Default", 7) == 0))
                return 1;
    }
    return 0;
}

static int never_returns(const facts *f, uint32_t call, int depth) {
    const call_fact *c = call_of(f, call);
    if (!c || c->name == NONE32) return 0;
    if (kills_self(f, c)) return 1;
    /* t.Fatal and friends end a test's goroutine (runtime.Goexit) */
    if (c->recv_first != NONE32) {
        static const char *const test_exits[] = {"Fatal", "Fatalf", "FailNow",
                                                 "Skip",  "Skipf",  "SkipNow"};
        for (size_t k = 0; k < sizeof test_exits / sizeof *test_exits; k++)
            if (tok_is(f, c->name, test_exits[k])) return 1;
    }
    if (call_is_func(f, c, "panic")) return 1;
    if (call_is_pkg(f, c, PKG_OS, "Exit") || call_is_pkg(f, c, PKG_RUNTIME, "Goexit")) return 1;
    if (c->pkg == PKG_LOG) {
        static const char *const names[] = {"Fatal", "Fatalf", "Fatalln",
                                            "Panic", "Panicf", "Panicln"};
        for (size_t k = 0; k < sizeof names / sizeof *names; k++)
            if (tok_is(f, c->name, names[k])) return 1;
    }
    /* exitWithError(err) { ...; os.Exit(1) }, or such a method */
    if (c->pkg == PKG_NONE && depth < 3) {
        uint32_t fn = find_func(f, c->name);
        int method = c->recv_first != NONE32;
        if (fn != NONE32 && method == !!(f->nodes[fn].flags & GOLEAK_NODE_FLAG_METHOD) &&
            func_never_returns(f, fn, depth))
            return 1;
    }
    return 0;
}

/* ---- building ---- */

/* Sizes the kind lists from a count of the node array (dead nodes
 * included, so the counts bound what the walk pushes; or the unit's kind
 * index, which counts the tree's nodes, all the walk pushes), all in one
 * block: the walk then appends without capacity checks. */
static int size_kind_lists(facts *f) {
    uint32_t count[GOLEAK_NODE_KIND_COUNT] = {0};
    const goleak_unit *u = f->u;
    if (u->kind_at) /* the check's kind index counted the tree's nodes already */
        for (int k = 0; k < GOLEAK_NODE_KIND_COUNT; k++)
            count[k] = u->kind_at[k + 1] - u->kind_at[k];
    else
        for (uint32_t i = 0; i < u->nodes.len; i++) count[f->nodes[i].kind]++;
    f->kind_store = gl_malloc(f->alloc, ((size_t)f->u->nodes.len + 1) * sizeof *f->kind_store);
    if (!f->kind_store) return -1;
    uint32_t at = 0;
    for (int k = 0; k < GOLEAK_NODE_KIND_COUNT; k++) {
        f->by_kind[k].data = f->kind_store + at;
        f->by_kind[k].cap = count[k];
        at += count[k];
    }
    return 0;
}

/* ---- each node's context ---- */

static int alloc_node_context(facts *f) {
    size_t n = (size_t)f->u->nodes.len * sizeof(uint32_t);
    f->func_of = gl_malloc(f->alloc, n);
    f->loop_of = gl_malloc(f->alloc, n);
    f->stmt_of = gl_malloc(f->alloc, n);
    if (!f->func_of || !f->loop_of || !f->stmt_of) return -1;
    /* nodes the parser left out of the tree are never asked about */
    memset(f->func_of, 0xff, n);
    memset(f->loop_of, 0xff, n);
    memset(f->stmt_of, 0xff, n);
    return 0;
}

uint32_t *facts_exit_memo(const facts *cf) {
    if (!cf->first_exit) {
        facts *f = (facts *)cf; /* a lazy memo through the const facts, as last_top */
        f->first_exit = gl_malloc(f->alloc, ((size_t)f->u->nodes.len + 1) * sizeof(uint32_t));
        if (!f->first_exit) {
            *f->oom = 1; /* the check fails with GOLEAK_ENOMEM */
            return NULL;
        }
        for (uint32_t k = 0; k < f->u->nodes.len; k++) f->first_exit[k] = UNKNOWN_EXIT;
    }
    return cf->first_exit;
}

/* Node n's context from its parent's, in pre-order: the function around it
 * (fn, the walk's), the loop whose body holds it without a function between
 * them, and the statement (of a block, case or select case) holding it. */
static void set_node_context(facts *f, uint32_t n, uint32_t fn) {
    const node *x = &f->nodes[n];
    f->func_of[n] = fn;
    uint32_t p = x->parent;
    if (p == NONE32) return;
    int pk = f->nodes[p].kind;
    if (pk == N(FUNC) || pk == N(FUNCLIT))
        f->loop_of[n] = NONE32;
    else if ((pk == N(FOR) || pk == N(RANGE)) && x->role == R(BODY))
        f->loop_of[n] = p;
    else
        f->loop_of[n] = f->loop_of[p];
    int listed = pk == N(BLOCK) || ((pk == N(CASE) || pk == N(COMM)) && x->role == R(NONE));
    f->stmt_of[n] = listed ? n : f->stmt_of[p];
}

/* ---- the post-build indexes ---- */

/* Resolves every identifier of the file in one sweep, with the meaning of
 * the build-time resolve (a local of the same top-level declaration whose
 * scope holds the token, the latest declared first; else the last declared
 * package variable of that name), in O(tokens + variables): each name has
 * a stack of its locals in declaration order, whose top is popped once its
 * scope has ended (scopes nest, so a live local is never under a dead one
 * that matters). */
static int u64_cmp(const void *x, const void *y) {
    uint64_t a = *(const uint64_t *)x, b = *(const uint64_t *)y;
    return a < b ? -1 : a > b;
}

static int build_resolve_index(facts *f, uint32_t *resolved, uint32_t *nresolved) {
    const goleak_allocator *a = f->alloc;
    uint32_t ntok = f->u->toks.len, nv = f->vars.len;
    name_table names;
    if (names_init(&names, f->u, a, nv + 1)) return -1;
    size_t nslots = (size_t)names.mask + 1;
    uint32_t *slot_local = gl_malloc(a, nslots * sizeof *slot_local);
    uint32_t *slot_pkg = gl_malloc(a, nslots * sizeof *slot_pkg);
    uint32_t *below = gl_malloc(a, ((size_t)nv + 1) * sizeof *below);
    uint64_t *order = gl_malloc(a, ((size_t)nv + 1) * sizeof *order);       /* name << 32 | var */
    uint32_t *var_slot = gl_malloc(a, ((size_t)nv + 1) * sizeof *var_slot); /* its name's slot */
    uint32_t *tok_var = gl_malloc(a, ((size_t)ntok + 1) * sizeof *tok_var);
    /* the variables' names' 16-bit hashes: an identifier whose hash is not
     * there names no variable, and is not looked up in the table */
    uint64_t *var_hashes = gl_calloc(a, (1u << 16) / 8);
    int rc = -1;
    if (!slot_local || !slot_pkg || !below || !order || !tok_var || !var_hashes || !var_slot)
        goto done;
    memset(slot_local, 0xff, nslots * sizeof *slot_local);
    memset(slot_pkg, 0xff, nslots * sizeof *slot_pkg);
    /* the locals in declaration order; package variables keep the last
     * declared of each name */
    uint32_t nlocal = 0;
    int sorted = 1;
    for (uint32_t k = 0; k < nv; k++) {
        const var_fact *v = &f->vars.data[k];
        int added;
        uint32_t slot = names_add(&names, v->name, &added);
        if (slot == NONE32) goto done;
        var_slot[k] = slot;
        uint16_t h = f->toks[v->name].hash;
        var_hashes[h >> 6] |= (uint64_t)1 << (h & 63);
        if (v->top == NONE32) {
            slot_pkg[slot] = k;
            continue;
        }
        order[nlocal] = (uint64_t)v->name << 32 | k;
        if (nlocal > 0 && order[nlocal - 1] > order[nlocal]) sorted = 0;
        nlocal++;
    }
    if (!sorted) qsort(order, nlocal, sizeof *order, u64_cmp);
    uint32_t next = 0;
    /* the next local's declaring token (NONE32 past the last: no token) */
    uint32_t next_at = nlocal > 0 ? (uint32_t)(order[0] >> 32) : NONE32;
    for (uint32_t t = 0; t < ntok; t++) {
        tok_var[t] = NONE32;
        /* the locals declared at or before t come into scope */
        while (next_at <= t) {
            uint32_t k = (uint32_t)order[next];
            uint32_t slot = var_slot[k];
            below[k] = slot_local[slot];
            slot_local[slot] = k;
            next++;
            next_at = next < nlocal ? (uint32_t)(order[next] >> 32) : NONE32;
        }
        if (f->toks[t].kind != T(IDENT)) continue;
        uint16_t h = f->toks[t].hash;
        if (!((var_hashes[h >> 6] >> (h & 63)) & 1)) continue;
        uint32_t slot = names_find(&names, t);
        if (slot == NONE32) continue;
        uint32_t k = slot_local[slot];
        while (k != NONE32 && f->vars.data[k].scope_end < t) k = below[k];
        slot_local[slot] = k;
        tok_var[t] = k != NONE32 ? k : slot_pkg[slot];
        if (tok_var[t] != NONE32) resolved[(*nresolved)++] = t;
    }
    f->tok_var = tok_var;
    tok_var = NULL;
    rc = 0;
done:
    names_free(&names);
    gl_free(a, slot_local);
    gl_free(a, slot_pkg);
    gl_free(a, below);
    gl_free(a, order);
    gl_free(a, tok_var);
    gl_free(a, var_hashes);
    gl_free(a, var_slot);
    return rc;
}

/* Each variable's uses: the tokens that resolve to it (resolved[0, n), in
 * source order, from build_resolve_index), but for field names and literal
 * keys spelled like it. */
static int build_use_lists(facts *f, const uint32_t *resolved, uint32_t n) {
    const goleak_allocator *a = f->alloc;
    uint32_t nv = f->vars.len;
    f->use_start = gl_calloc(a, ((size_t)nv + 2) * sizeof *f->use_start);
    if (!f->use_start) return -1;
    uint32_t total = 0;
    const uint32_t *tv = f->tok_var;
    for (uint32_t i = 0; i < n; i++) {
        uint32_t t = resolved[i];
        if (field_or_key(f, t)) continue;
        f->use_start[tv[t] + 1]++;
        total++;
    }
    for (uint32_t k = 0; k < nv; k++) f->use_start[k + 1] += f->use_start[k];
    f->uses = gl_malloc(a, ((size_t)total + 1) * sizeof *f->uses);
    uint32_t *fill = gl_malloc(a, ((size_t)nv + 1) * sizeof *fill);
    if (!f->uses || !fill) {
        gl_free(a, fill);
        return -1;
    }
    memcpy(fill, f->use_start, (size_t)nv * sizeof *fill);
    for (uint32_t i = 0; i < n; i++) {
        uint32_t t = resolved[i];
        if (field_or_key(f, t)) continue;
        f->uses[fill[tv[t]]++] = t;
    }
    gl_free(a, fill);
    return 0;
}

/* The first top-level function or method of each name, as find_func took it. */
static int build_func_index(facts *f) {
    const nodelist *fl = &f->by_kind[N(FUNC)];
    if (names_init(&f->func_names, f->u, f->alloc, fl->len + 1)) return -1;
    f->func_by_name = gl_malloc(f->alloc, ((size_t)f->func_names.mask + 1) * sizeof(uint32_t));
    if (!f->func_by_name) return -1;
    for (uint32_t k = 0; k < fl->len; k++) {
        uint32_t key = f->nodes[fl->data[k]].key;
        if (key == NONE32 || f->toks[key].kind != T(IDENT)) continue;
        int added;
        uint32_t slot = names_add(&f->func_names, key, &added);
        if (slot == NONE32) return -1;
        if (added) f->func_by_name[slot] = fl->data[k];
    }
    return 0;
}

/* The first type spec of each name (type T ..., in a group or alone). */
static int build_type_index(facts *f) {
    const nodelist *sl = &f->by_kind[N(SPEC)];
    if (names_init(&f->type_names, f->u, f->alloc, sl->len + 1)) return -1;
    f->type_by_name = gl_malloc(f->alloc, ((size_t)f->type_names.mask + 1) * sizeof(uint32_t));
    if (!f->type_by_name) return -1;
    for (uint32_t k = 0; k < sl->len; k++) {
        const node *s = &f->nodes[sl->data[k]];
        if (s->key == NONE32 || s->parent == NONE32 ||
            f->toks[f->nodes[s->parent].first].kind != T(TYPE) || f->toks[s->key].kind != T(IDENT))
            continue;
        int added;
        uint32_t slot = names_add(&f->type_names, s->key, &added);
        if (slot == NONE32) return -1;
        if (added) f->type_by_name[slot] = sl->data[k];
    }
    return 0;
}

/* The calls of each callee name, grouped by name in source order. */
static int build_call_index(facts *f) {
    const goleak_allocator *a = f->alloc;
    uint32_t nc = f->calls.len;
    if (names_init(&f->call_names, f->u, a, nc + 1)) return -1;
    size_t nslots = (size_t)f->call_names.mask + 1;
    uint32_t *slot_of = gl_malloc(a, ((size_t)nc + 1) * sizeof *slot_of);
    f->call_start = gl_calloc(a, (nslots + 1) * sizeof *f->call_start);
    f->call_list = gl_malloc(a, ((size_t)nc + 1) * sizeof *f->call_list);
    if (!slot_of || !f->call_start || !f->call_list) {
        gl_free(a, slot_of);
        return -1;
    }
    for (uint32_t k = 0; k < nc; k++) {
        const call_fact *c = &f->calls.data[k];
        int added;
        slot_of[k] = c->name == NONE32 ? NONE32 : names_add(&f->call_names, c->name, &added);
        if (slot_of[k] != NONE32) f->call_start[slot_of[k] + 1]++;
    }
    for (size_t s = 0; s < nslots; s++) f->call_start[s + 1] += f->call_start[s];
    uint32_t *fill = gl_malloc(a, nslots * sizeof *fill);
    if (!fill) {
        gl_free(a, slot_of);
        return -1;
    }
    memcpy(fill, f->call_start, nslots * sizeof *fill);
    for (uint32_t k = 0; k < nc; k++)
        if (slot_of[k] != NONE32) f->call_list[fill[slot_of[k]]++] = k;
    gl_free(a, fill);
    gl_free(a, slot_of);
    return 0;
}

facts *facts_build(const goleak_unit *u, const goleak_allocator *a) {
    nodelist fns = {NULL, 0, 0}; /* the functions around the walk's node */
    facts *f = gl_calloc(a, sizeof *f);
    if (!f) return NULL;
    f->u = u;
    f->nodes = u->nodes.data;
    f->toks = u->toks.data;
    f->src = u->src;
    f->alloc = a;
    uint32_t nn = u->nodes.len;
    f->nbuckets = 64;
    while (f->nbuckets < nn / 4) f->nbuckets *= 2;
    f->buckets = gl_malloc(a, f->nbuckets * sizeof *f->buckets);
    f->call_index = gl_malloc(a, (size_t)nn * sizeof *f->call_index);
    if (!f->buckets || !f->call_index) goto oom;
    memset(f->buckets, 0xff, f->nbuckets * sizeof *f->buckets);
    memset(f->call_index, 0xff, (size_t)nn * sizeof *f->call_index);

    f->last_top = &f->last_top_store;
    f->oom = &f->oom_store;
    /* the top-level declarations' spans, in source order */
    uint32_t root = u->root;
    for (uint32_t g = f->nodes[root].child; g != NONE32; g = f->nodes[g].next) f->ntops++;
    f->top_first = gl_malloc(a, (f->ntops + 1) * sizeof *f->top_first);
    f->top_last = gl_malloc(a, (f->ntops + 1) * sizeof *f->top_last);
    if (!f->top_first || !f->top_last) goto oom;
    uint32_t ti = 0;
    for (uint32_t g = f->nodes[root].child; g != NONE32; g = f->nodes[g].next, ti++) {
        f->top_first[ti] = f->nodes[g].first;
        f->top_last[ti] = f->nodes[g].last;
    }

    /* imports first: calls and types refer to them */
    for (uint32_t g = f->nodes[root].child; g != NONE32; g = f->nodes[g].next) {
        if (f->nodes[g].kind != N(GENDECL) || f->toks[f->nodes[g].first].kind != T(IMPORT))
            continue;
        for (uint32_t i = f->nodes[g].child; i != NONE32; i = f->nodes[i].next)
            if (f->nodes[i].kind == N(IMPORT) && add_import(f, i)) goto oom;
    }

    /* package-level variables first, so that functions see them */
    for (uint32_t g = f->nodes[root].child; g != NONE32; g = f->nodes[g].next) {
        if (f->nodes[g].kind != N(GENDECL)) continue;
        for (uint32_t s = f->nodes[g].child; s != NONE32; s = f->nodes[s].next)
            if (f->nodes[s].kind == N(SPEC) && add_spec(f, s, NONE32)) goto oom;
    }

    /* one pre-order walk: kind lists, each node's context, calls, declarations */
    if (size_kind_lists(f) || alloc_node_context(f)) goto oom;
    uint32_t n = root;
    while (n != NONE32) {
        const node *x = &f->nodes[n];
        nodelist *kl = &f->by_kind[x->kind];
        kl->data[kl->len++] = n;
        uint32_t fn = fns.len > 0 ? fns.data[fns.len - 1] : NONE32;
        set_node_context(f, n, fn);
        switch (x->kind) {
        case N(CALL):
            if (add_call(f, n)) goto oom;
            break;
        case N(FIELD):
            if (x->parent != NONE32 &&
                (f->nodes[x->parent].kind == N(FUNC) || f->nodes[x->parent].kind == N(FUNCLIT))) {
                if (add_params(f, n, x->parent)) goto oom;
            }
            break;
        case N(ASSIGN):
            if (x->key != NONE32 && f->toks[x->key].kind == T(DEFINE) && add_define(f, n, fn))
                goto oom;
            break;
        case N(SPEC):
            if (fn != NONE32 && add_spec(f, n, fn)) goto oom;
            break;
        case N(RANGE):
            if (add_range_vars(f, n, fn)) goto oom;
            break;
        case N(STRUCTTYPE):
            if (add_fields(f, n)) goto oom;
            break;
        default: break;
        }
        /* next node in pre-order, keeping the stack of enclosing functions */
        if (x->child != NONE32) {
            if ((x->kind == N(FUNC) || x->kind == N(FUNCLIT)) && VEC_PUSH(a, &fns, n)) goto oom;
            n = x->child;
            continue;
        }
        for (;;) {
            const node *y = &f->nodes[n];
            if (y->next != NONE32) {
                n = y->next;
                break;
            }
            n = y->parent;
            if (n == NONE32) break;
            if (fns.len > 0 && fns.data[fns.len - 1] == n) fns.len--;
        }
    }
    gl_free(a, fns.data);
    fns.data = NULL;
    /* the indexes that answer the rules' lookups in O(1) (resolve's first) */
    {
        /* the identifiers that resolve, in source order: the use lists' input */
        uint32_t nres = 0;
        uint32_t *res = gl_malloc(a, ((size_t)u->toks.len + 1) * sizeof *res);
        int failed = !res || build_resolve_index(f, res, &nres) || build_use_lists(f, res, nres);
        gl_free(a, res);
        if (failed) goto oom;
    }
    /* what the values put in the variables, now that every call is known;
     * in declaration order, so that a copy sees its source classified */
    for (uint32_t k = 0; k < f->vars.len; k++) {
        var_fact *v = &f->vars.data[k];
        if (v->value != NONE32) classify_value(f, v, v->value, v->value_index);
    }
    return f;
oom:
    gl_free(a, fns.data);
    facts_free(f);
    return NULL;
}

void facts_free(facts *f) {
    if (!f) return;
    const goleak_allocator *a = f->alloc;
    gl_free(a, f->func_of);
    gl_free(a, f->loop_of);
    gl_free(a, f->stmt_of);
    gl_free(a, f->tok_var);
    gl_free(a, f->use_start);
    gl_free(a, f->uses);
    names_free(&f->func_names);
    gl_free(a, f->func_by_name);
    ident_index_free(a, f->idents);
    names_free(&f->type_names);
    gl_free(a, f->type_by_name);
    names_free(&f->call_names);
    gl_free(a, f->call_start);
    gl_free(a, f->call_list);
    gl_free(a, f->first_exit);
    gl_free(a, f->kind_store);
    gl_free(a, f->imports.data);
    gl_free(a, f->vars.data);
    gl_free(a, f->buckets);
    gl_free(a, f->top_first);
    gl_free(a, f->top_last);
    gl_free(a, f->calls.data);
    gl_free(a, f->call_index);
    gl_free(a, f->fields.data);
    gl_free(a, f);
}
