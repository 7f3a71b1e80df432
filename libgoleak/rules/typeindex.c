/* The file's declared names, indexed: see typeindex.h. */
#include "typeindex.h"

#include <string.h>

enum { IX_TYPE, IX_FUNC, IX_METHOD, IX_FIELD, IX_EMBED };

typedef struct ix_entry {
    uint32_t owner; /* token of the owning type's name; NONE32 for types and functions */
    uint32_t name;  /* token of the name */
    uint32_t value; /* type SPEC node; function index in by_kind[FUNC]; field index;
                     * embedded type's name token */
    uint32_t next;
    uint8_t space;
} ix_entry;

struct typeindex {
    const facts *f;
    const goleak_allocator *a;
    int oom;
    struct {
        ix_entry *data;
        uint32_t len, cap;
    } ix;
    uint32_t *ix_buckets, ix_nb;
    /* typeindex_callee's answers by call fact (UNKNOWN_EXIT: not asked
     * yet), made with the index: the lock rules ask each call more than once */
    uint32_t *callee_memo;
    /* whether a struct of the file has a field of function type (func(...),
     * a slice of them, a type of the file declared as one): without one,
     * no call runs a registered callback */
    int func_fields;
    /* whether a type of the file has a String or Error method */
    int stringers;
};

static uint32_t ix_hash(const facts *f, int space, uint32_t owner, uint32_t name) {
    uint32_t h = (uint32_t)space * 0x9E3779B1u ^ f->toks[name].hash;
    if (owner != NONE32) h ^= (uint32_t)f->toks[owner].hash << 16;
    return mix32(h);
}

static void ix_add(typeindex *g, int space, uint32_t owner, uint32_t name, uint32_t value) {
    if (name == NONE32 || g->f->toks[name].kind != T(IDENT)) return;
    uint32_t b = ix_hash(g->f, space, owner, name) & (g->ix_nb - 1);
    ix_entry e = {owner, name, value, g->ix_buckets[b], (uint8_t)space};
    if (VEC_PUSH(g->a, &g->ix, e)) {
        g->oom = 1;
        return;
    }
    g->ix_buckets[b] = g->ix.len - 1;
}

/* The first entry at or after chain position i matching (space, owner,
 * name), NONE32. */
static uint32_t ix_next(const typeindex *g, uint32_t i, int space, uint32_t owner, uint32_t name) {
    const facts *f = g->f;
    for (; i != NONE32; i = g->ix.data[i].next) {
        const ix_entry *e = &g->ix.data[i];
        if (e->space != space || !tok_same(f, e->name, name)) continue;
        if ((owner == NONE32) != (e->owner == NONE32)) continue;
        if (owner != NONE32 && !tok_same(f, e->owner, owner)) continue;
        return i;
    }
    return NONE32;
}

static uint32_t ix_first(const typeindex *g, int space, uint32_t owner, uint32_t name) {
    if (name == NONE32 || g->f->toks[name].kind != T(IDENT)) return NONE32;
    uint32_t b = ix_hash(g->f, space, owner, name) & (g->ix_nb - 1);
    return ix_next(g, g->ix_buckets[b], space, owner, name);
}

/* The name token of a type written as tokens [a, b] when it is a plain
 * name (T, *T, T[K]), NONE32 otherwise. */
uint32_t type_name_tok(const facts *f, uint32_t a, uint32_t b) {
    if (a == NONE32 || a > b) return NONE32;
    while (a < b && (f->toks[a].kind == T(MUL) || f->toks[a].kind == T(LPAREN))) a++;
    if (f->toks[a].kind != T(IDENT)) return NONE32;
    if (a < b && f->toks[a + 1].kind != T(LBRACK) && f->toks[a + 1].kind != T(RPAREN))
        return NONE32;
    return a;
}

static void index_file(typeindex *g) {
    const facts *f = g->f;
    const nodelist *fl = &f->by_kind[N(FUNC)];
    for (uint32_t k = 0; k < fl->len; k++) {
        const node *fn = &f->nodes[fl->data[k]];
        if (fn->key == NONE32) continue;
        if (fn->flags & GOLEAK_NODE_FLAG_METHOD) {
            uint32_t recv = child_by_role(f, fl->data[k], R(RECV));
            uint32_t t = recv != NONE32 ? child_by_role(f, recv, R(TYPE)) : NONE32;
            uint32_t owner =
                t != NONE32 ? type_name_tok(f, f->nodes[t].first, f->nodes[t].last) : NONE32;
            if (owner != NONE32) ix_add(g, IX_METHOD, owner, fn->key, k);
            if (tok_is(f, fn->key, "String") || tok_is(f, fn->key, "Error")) g->stringers = 1;
        } else {
            ix_add(g, IX_FUNC, NONE32, fn->key, k);
        }
    }
    FOR_KIND(f, N(SPEC), spec) {
        uint32_t gen = f->nodes[spec].parent;
        if (gen == NONE32 || f->toks[f->nodes[gen].first].kind != T(TYPE)) continue;
        ix_add(g, IX_TYPE, NONE32, f->nodes[spec].key, spec);
    }
    for (uint32_t k = 0; k < f->fields.len; k++) {
        const field_fact *ff = &f->fields.data[k];
        if (ff->owner != NONE32) ix_add(g, IX_FIELD, f->nodes[ff->owner].key, ff->name, k);
    }
    /* fields of function type (callbacks, observer slices) */
    for (uint32_t k = 0; k < f->fields.len && !g->func_fields; k++) {
        const field_fact *ff = &f->fields.data[k];
        uint32_t a = ff->type_first, b = ff->type_last;
        while (a < b && (f->toks[a].kind == T(LBRACK) || f->toks[a].kind == T(RBRACK) ||
                         f->toks[a].kind == T(MUL)))
            a++;
        if (a == NONE32 || a > b) continue;
        if (f->toks[a].kind == T(FUNC)) {
            g->func_fields = 1;
            continue;
        }
        uint32_t i =
            a == b && f->toks[a].kind == T(IDENT) ? ix_first(g, IX_TYPE, NONE32, a) : NONE32;
        uint32_t t = i != NONE32 ? child_by_role(f, g->ix.data[i].value, R(TYPE)) : NONE32;
        if (t != NONE32 && f->toks[f->nodes[t].first].kind == T(FUNC)) g->func_fields = 1;
    }
    /* embedded fields of the file's own types: their fields and methods are promoted */
    FOR_KIND(f, N(FIELD), fd) {
        if (!(f->nodes[fd].flags & GOLEAK_NODE_FLAG_EMBEDDED)) continue;
        uint32_t st = f->nodes[fd].parent;
        if (st == NONE32 || f->nodes[st].kind != N(STRUCTTYPE)) continue;
        uint32_t tn = f->nodes[st].parent;
        uint32_t spec = tn != NONE32 ? f->nodes[tn].parent : NONE32;
        if (spec == NONE32 || f->nodes[tn].kind != N(TYPE) || f->nodes[spec].kind != N(SPEC))
            continue;
        uint32_t t = child_by_role(f, fd, R(TYPE));
        uint32_t name =
            t != NONE32 ? type_name_tok(f, f->nodes[t].first, f->nodes[t].last) : NONE32;
        uint32_t owner = f->nodes[spec].key;
        if (name != NONE32 && owner != NONE32) ix_add(g, IX_EMBED, owner, owner, name);
    }
}

/* ---- types of expressions ---- */

static tinfo type_info(const typeindex *g, uint32_t a, uint32_t b) {
    const facts *f = g->f;
    tinfo t = {SK_NONE, NONE32};
    if (a == NONE32 || a > b) return t;
    while (a < b && (f->toks[a].kind == T(MUL) || f->toks[a].kind == T(LPAREN))) a++;
    int k = f->toks[a].kind;
    if (k == T(CHAN) || (k == T(ARROW) && a < b && f->toks[a + 1].kind == T(CHAN))) {
        t.sync = SK_CHAN;
        return t;
    }
    if (k != T(IDENT)) return t;
    if (a + 2 <= b && f->toks[a + 1].kind == T(PERIOD)) {
        if (ident_pkg(f, a) != PKG_SYNC) return t;
        uint32_t n = a + 2;
        if (tok_is(f, n, "Mutex")) t.sync = SK_MUTEX;
        if (tok_is(f, n, "RWMutex")) t.sync = SK_RWMUTEX;
        if (tok_is(f, n, "WaitGroup")) t.sync = SK_WAITGROUP;
        if (tok_is(f, n, "Cond")) t.sync = SK_COND;
        return t;
    }
    uint32_t name = type_name_tok(f, a, b);
    if (name != NONE32 && ix_first(g, IX_TYPE, NONE32, name) != NONE32) t.name = name;
    return t;
}

static tinfo expr_type_depth(const typeindex *g, uint32_t a, uint32_t b, int depth);
static uint32_t method_index(const typeindex *g, uint32_t owner, uint32_t name, int depth);

/* The type of the first result of function index k, when it is named. */
static tinfo result_type(const typeindex *g, uint32_t k) {
    const facts *f = g->f;
    tinfo none = {SK_NONE, NONE32};
    uint32_t fn = f->by_kind[N(FUNC)].data[k];
    uint32_t res = child_by_role(f, fn, R(RESULT));
    uint32_t t = res != NONE32 ? child_by_role(f, res, R(TYPE)) : NONE32;
    return t != NONE32 ? type_info(g, f->nodes[t].first, f->nodes[t].last) : none;
}

/* The element type of a map or slice type written as tokens [a, b]
 * (map[K]V, []V, [N]V: V), as type_info sees it. */
static tinfo elem_info(const typeindex *g, uint32_t a, uint32_t b) {
    const facts *f = g->f;
    tinfo none = {SK_NONE, NONE32};
    if (a == NONE32 || a >= b) return none;
    if (f->toks[a].kind == T(MAP)) a++;
    if (f->toks[a].kind != T(LBRACK)) return none;
    int depth = 0;
    for (uint32_t i = a; i < b; i++) {
        int k = f->toks[i].kind;
        if (k == T(LBRACK)) depth++;
        if (k == T(RBRACK) && --depth == 0) return type_info(g, i + 1, b);
    }
    return none;
}

static int chain_type_toks(const typeindex *g, uint32_t a, uint32_t b, int depth, uint32_t *ta,
                           uint32_t *tb);

/* The type tokens of field `name` of the type written as tokens [ta, tb]:
 * a type of the file (its own fields), or a struct type written in place
 * (mu struct { sync.Mutex; replicas map[ID]*Replica }). 0 when neither. */
static int field_toks(const typeindex *g, uint32_t ta, uint32_t tb, uint32_t name, uint32_t *fa,
                      uint32_t *fb) {
    const facts *f = g->f;
    while (ta < tb && f->toks[ta].kind == T(MUL)) ta++;
    if (f->toks[ta].kind == T(STRUCT)) {
        FOR_KIND_IN(f, N(STRUCTTYPE), st, ta, ta) {
            for (uint32_t c = f->nodes[st].child; c != NONE32; c = f->nodes[c].next) {
                uint32_t t = f->nodes[c].kind == N(FIELD) ? child_by_role(f, c, R(TYPE)) : NONE32;
                if (t == NONE32) continue;
                for (uint32_t i = f->nodes[c].first; i < f->nodes[t].first; i++)
                    if (f->toks[i].kind == T(IDENT) && tok_same(f, i, name)) {
                        *fa = f->nodes[t].first;
                        *fb = f->nodes[t].last;
                        return 1;
                    }
            }
        }
        return 0;
    }
    uint32_t owner = type_name_tok(f, ta, tb);
    if (owner == NONE32 || ix_first(g, IX_TYPE, NONE32, owner) == NONE32) return 0;
    uint32_t i = ix_first(g, IX_FIELD, owner, name);
    if (i == NONE32) return 0;
    const field_fact *ff = &f->fields.data[g->ix.data[i].value];
    *fa = ff->type_first;
    *fb = ff->type_last;
    return 1;
}

/* The type tokens of chain [a, b] walked field by field from its
 * variable's type, through struct types written in place. */
static int chain_toks_in_place(const typeindex *g, uint32_t a, uint32_t b, int depth, uint32_t *ta,
                               uint32_t *tb) {
    if (!chain_type_toks(g, a, a, depth, ta, tb)) return 0;
    for (uint32_t i = a + 2; i <= b; i += 2)
        if (!field_toks(g, *ta, *tb, i, ta, tb)) return 0;
    return 1;
}

/* The declared type of a chain x or x.f.g, as tokens *ta..*tb: the
 * variable's written type, or the field's in a type of the file; 0 when
 * neither shows. */
static int chain_type_toks(const typeindex *g, uint32_t a, uint32_t b, int depth, uint32_t *ta,
                           uint32_t *tb) {
    const facts *f = g->f;
    if (!name_chain(f, a, b)) return 0;
    if (a == b) {
        const var_fact *v = resolve(f, a);
        if (!v) return 0;
        if (v->type_first == NONE32) {
            /* conns := cc.conns: the type of the chain it copies */
            if (v->value == NONE32 || v->value_index != 0 || depth > 4) return 0;
            return chain_type_toks(g, f->nodes[v->value].first, f->nodes[v->value].last, depth + 1,
                                   ta, tb);
        }
        *ta = v->type_first;
        *tb = v->type_last;
        return 1;
    }
    tinfo owner = expr_type_depth(g, a, b - 2, depth + 1);
    uint32_t i = owner.name != NONE32 ? ix_first(g, IX_FIELD, owner.name, b) : NONE32;
    if (i == NONE32) return depth <= 4 && chain_toks_in_place(g, a, b, depth + 1, ta, tb);
    const field_fact *ff = &f->fields.data[g->ix.data[i].value];
    *ta = ff->type_first;
    *tb = ff->type_last;
    return 1;
}

/* The key type of a map type written as tokens [a, b] (map[K]V: K). */
static tinfo key_info(const typeindex *g, uint32_t a, uint32_t b) {
    const facts *f = g->f;
    tinfo none = {SK_NONE, NONE32};
    if (a == NONE32 || a + 2 >= b || f->toks[a].kind != T(MAP) || f->toks[a + 1].kind != T(LBRACK))
        return none;
    int depth = 0;
    for (uint32_t i = a + 1; i < b; i++) {
        int k = f->toks[i].kind;
        if (k == T(LBRACK)) depth++;
        if (k == T(RBRACK) && --depth == 0) return type_info(g, a + 2, i - 1);
    }
    return none;
}

/* The written type of what ranged expression x gives, as tokens: a chain's
 * declared type, or the first result of a function or method of the file
 * it calls (for _, ec := range c.Execs.Commands()). */
/* The element type of a map, slice or array type written as tokens
 * [a, b], as tokens *ea..*eb: 0 when it is none of those. */
static int elem_toks(const facts *f, uint32_t a, uint32_t b, uint32_t *ea, uint32_t *eb) {
    if (a == NONE32 || a >= b) return 0;
    if (f->toks[a].kind == T(MAP)) a++;
    if (f->toks[a].kind != T(LBRACK)) return 0;
    int depth = 0;
    for (uint32_t i = a; i < b; i++) {
        int k = f->toks[i].kind;
        if (k == T(LBRACK)) depth++;
        if (k == T(RBRACK) && --depth == 0) {
            *ea = i + 1;
            *eb = b;
            return 1;
        }
    }
    return 0;
}

static int ranged_toks(const typeindex *g, uint32_t x, int depth, uint32_t *ta, uint32_t *tb) {
    const facts *f = g->f;
    uint32_t a = f->nodes[x].first, b = f->nodes[x].last;
    if (chain_type_toks(g, a, b, depth, ta, tb)) return 1;
    /* range b.topics[topic]: an element of a map or slice chain */
    if (f->toks[b].kind == T(RBRACK) && b > a + 2) {
        int d = 0;
        for (uint32_t i = b; i > a; i--) {
            int k = f->toks[i].kind;
            if (k == T(RBRACK)) d++;
            if (k == T(LBRACK) && --d == 0) {
                uint32_t ca, cb;
                return chain_type_toks(g, a, i - 1, depth + 1, &ca, &cb) &&
                       elem_toks(f, ca, cb, ta, tb);
            }
        }
        return 0;
    }
    uint32_t e = expr_node(f, x);
    const call_fact *c = e != NONE32 && f->nodes[e].kind == N(CALL) ? call_of(f, e) : NULL;
    if (!c || c->pkg != PKG_NONE || c->name == NONE32 || depth > 4) return 0;
    uint32_t k = NONE32;
    if (c->recv_first == NONE32) {
        uint32_t i = !resolve(f, c->name) ? ix_first(g, IX_FUNC, NONE32, c->name) : NONE32;
        k = i != NONE32 ? g->ix.data[i].value : NONE32;
    } else {
        tinfo owner = expr_type_depth(g, c->recv_first, c->recv_last, depth + 1);
        k = owner.name != NONE32 ? method_index(g, owner.name, c->name, 0) : NONE32;
    }
    if (k == NONE32) return 0;
    uint32_t fn = f->by_kind[N(FUNC)].data[k];
    uint32_t res = child_by_role(f, fn, R(RESULT));
    uint32_t t = res != NONE32 ? child_by_role(f, res, R(TYPE)) : NONE32;
    if (t == NONE32) return 0;
    *ta = f->nodes[t].first;
    *tb = f->nodes[t].last;
    return 1;
}

/* The element type of chain [a, b] (a map or a slice): m := c.members[id],
 * for _, m := range c.members. */
static tinfo chain_elem_type(const typeindex *g, uint32_t a, uint32_t b, int depth) {
    tinfo none = {SK_NONE, NONE32};
    uint32_t ta, tb;
    return chain_type_toks(g, a, b, depth, &ta, &tb) ? elem_info(g, ta, tb) : none;
}

/* The type of a variable's initial value: T{}, &T{}, new(T), make(chan T),
 * sync.NewCond(l), a function of the file, another variable. */
static tinfo value_type(const typeindex *g, const var_fact *v, int depth) {
    const facts *f = g->f;
    tinfo none = {SK_NONE, NONE32};
    uint32_t expr = v->value;
    uint32_t a = f->nodes[expr].first, b = f->nodes[expr].last;
    uint32_t e = expr_node(f, expr);
    if (e == NONE32 && f->toks[a].kind == T(AND)) {
        uint32_t c = f->nodes[expr].child;
        if (c != NONE32 && f->nodes[c].kind == N(COMPOSITE) && f->nodes[c].key > a + 1)
            return type_info(g, a + 1, f->nodes[c].key - 1);
        return none;
    }
    if (v->value_index == 0 && f->toks[b].kind == T(RBRACK)) {
        /* x.f[k]: an element of a map or slice field */
        int d = 0;
        for (uint32_t i = b; i > a; i--) {
            int k = f->toks[i].kind;
            if (k == T(RBRACK)) d++;
            if (k == T(LBRACK) && --d == 0) return chain_elem_type(g, a, i - 1, depth);
        }
        return none;
    }
    /* w, ok := x.(*T): the asserted type */
    if (v->value_index == 0 && b > a + 3 && f->toks[b].kind == T(RPAREN)) {
        int d = 0;
        for (uint32_t i = b; i > a + 1; i--) {
            int k = f->toks[i].kind;
            if (k == T(RPAREN)) d++;
            if (k == T(LPAREN) && --d == 0) {
                if (f->toks[i - 1].kind == T(PERIOD) && i + 1 < b)
                    return type_info(g, i + 1, b - 1);
                break;
            }
        }
    }
    if (e == NONE32) return v->value_index == 0 ? expr_type_depth(g, a, b, depth + 1) : none;
    if (f->nodes[e].kind == N(COMPOSITE))
        return f->nodes[e].key > a ? type_info(g, a, f->nodes[e].key - 1) : none;
    if (f->nodes[e].kind != N(CALL) || v->value_index != 0) return none;
    const call_fact *c = call_of(f, e);
    if (!c) return none;
    if (call_is_func(f, c, "new") || call_is_func(f, c, "make")) {
        uint32_t t = call_arg(f, e, 0);
        return t != NONE32 ? type_info(g, f->nodes[t].first, f->nodes[t].last) : none;
    }
    if (call_is_pkg(f, c, PKG_SYNC, "NewCond")) {
        tinfo t = {SK_COND, NONE32};
        return t;
    }
    if (c->pkg == PKG_NONE && c->recv_first == NONE32 && c->name == f->nodes[e].first &&
        !resolve(f, c->name)) {
        uint32_t k = ix_first(g, IX_FUNC, NONE32, c->name);
        if (k != NONE32) return result_type(g, g->ix.data[k].value);
    }
    if (c->pkg == PKG_NONE && c->recv_first != NONE32 && c->name != NONE32) {
        /* r := s.getReplica(id): the result of a method of the file */
        tinfo owner = expr_type_depth(g, c->recv_first, c->recv_last, depth + 1);
        uint32_t k = owner.name != NONE32 ? method_index(g, owner.name, c->name, 0) : NONE32;
        if (k != NONE32) return result_type(g, k);
    }
    return none;
}

/* The type of field `name` of the file's type named by token owner (or of a
 * type it embeds). */
static tinfo field_type(const typeindex *g, uint32_t owner, uint32_t name, int depth) {
    const facts *f = g->f;
    tinfo none = {SK_NONE, NONE32};
    uint32_t i = ix_first(g, IX_FIELD, owner, name);
    if (i != NONE32) {
        const field_fact *ff = &f->fields.data[g->ix.data[i].value];
        return type_info(g, ff->type_first, ff->type_last);
    }
    if (depth > 2) return none;
    for (uint32_t e = ix_first(g, IX_EMBED, owner, owner); e != NONE32;
         e = ix_next(g, g->ix.data[e].next, IX_EMBED, owner, owner)) {
        tinfo t = field_type(g, g->ix.data[e].value, name, depth + 1);
        if (t.sync != SK_NONE || t.name != NONE32) return t;
    }
    return none;
}

/* Whether tokens [a, b] are a chain of names: x, x.y, x.y.z. */
int name_chain(const facts *f, uint32_t a, uint32_t b) {
    if (a == NONE32 || a > b || f->toks[a].kind != T(IDENT)) return 0;
    for (uint32_t i = a + 1; i <= b; i += 2)
        if (i + 1 > b || f->toks[i].kind != T(PERIOD) || f->toks[i + 1].kind != T(IDENT)) return 0;
    return 1;
}

static tinfo expr_type_depth(const typeindex *g, uint32_t a, uint32_t b, int depth) {
    const facts *f = g->f;
    tinfo t = {SK_NONE, NONE32};
    if (depth > 4 || a == NONE32) return t;
    while (a < b && f->toks[a].kind == T(AND)) a++;
    while (a < b && f->toks[a].kind == T(LPAREN) && f->toks[b].kind == T(RPAREN)) a++, b--;
    if (!name_chain(f, a, b)) return t;
    const var_fact *v = resolve(f, a);
    if (!v) return t;
    if (v->type_first != NONE32)
        t = type_info(g, v->type_first, v->type_last);
    else if (v->value != NONE32)
        t = value_type(g, v, depth);
    else if (v->decl != NONE32 && f->nodes[v->decl].kind == N(RANGE)) {
        /* for _, m := range c.members: an element of what it ranges over */
        uint32_t val = child_by_role(f, v->decl, R(VALUE)), x = child_by_role(f, v->decl, R(X));
        uint32_t key = child_by_role(f, v->decl, R(KEY));
        uint32_t ta, tb;
        if (x != NONE32 && ranged_toks(g, x, depth, &ta, &tb)) {
            if (val != NONE32 && f->nodes[val].first == v->name) t = elem_info(g, ta, tb);
            /* for ac := range cc.conns over a map: a key */
            else if (key != NONE32 && f->nodes[key].first == v->name)
                t = key_info(g, ta, tb);
        }
    }
    for (uint32_t i = a + 2; i <= b; i += 2) {
        if (t.name == NONE32) {
            /* s.mu.replicas through a struct type written in place */
            uint32_t ta, tb;
            tinfo none = {SK_NONE, NONE32};
            return chain_toks_in_place(g, a, b, depth + 1, &ta, &tb) ? type_info(g, ta, tb) : none;
        }
        t = field_type(g, t.name, i, 0);
    }
    return t;
}

tinfo typeindex_field_type(const typeindex *g, uint32_t owner, uint32_t name) {
    return field_type(g, owner, name, 0);
}

tinfo typeindex_expr_type(const typeindex *g, uint32_t first, uint32_t last) {
    return expr_type_depth(g, first, last, 0);
}

/* ---- callees ---- */

/* The function index (in by_kind[FUNC]) of the method `name` of the type
 * named by token owner, or of a type it embeds. */
static uint32_t method_index(const typeindex *g, uint32_t owner, uint32_t name, int depth) {
    uint32_t i = ix_first(g, IX_METHOD, owner, name);
    if (i != NONE32) return g->ix.data[i].value;
    if (depth > 2) return NONE32;
    for (uint32_t e = ix_first(g, IX_EMBED, owner, owner); e != NONE32;
         e = ix_next(g, g->ix.data[e].next, IX_EMBED, owner, owner)) {
        uint32_t k = method_index(g, g->ix.data[e].value, name, depth + 1);
        if (k != NONE32) return k;
    }
    return NONE32;
}

int typeindex_has_stringers(const typeindex *g) {
    return g->stringers;
}

uint32_t typeindex_method(const typeindex *g, uint32_t owner, const char *name) {
    uint32_t n;
    const uint32_t *at = idents_named_text(g->f, name, &n);
    return n > 0 ? method_index(g, owner, at[0], 0) : NONE32;
}

/* The method a function-typed field `name` of type `owner` always holds:
 * the file sets it only as x.f = x.m, a method value of the same x (a.
 * overflow = a.spill), so a.overflow(...) runs a.m(...). NONE32 when it is
 * set otherwise, or to different methods. */
static uint32_t field_method_value(const typeindex *g, uint32_t owner, uint32_t name) {
    const facts *f = g->f;
    if (ix_first(g, IX_FIELD, owner, name) == NONE32) return NONE32;
    uint32_t n, ntok = f->u->toks.len, m = NONE32;
    const uint32_t *at = idents_named(f, name, &n);
    for (uint32_t i = 0; i < n; i++) {
        uint32_t x = at[i];
        if (x < 2 || f->toks[x - 1].kind != T(PERIOD) || x + 1 >= ntok) continue;
        int next = f->toks[x + 1].kind;
        if (next == T(COLON)) return NONE32; /* T{f: v} in a literal */
        if (next != T(ASSIGN)) continue;     /* a call or a read */
        /* x.f = x.m, and nothing after m: the method value itself */
        uint32_t y = x + 2;
        if (y + 2 >= ntok || !tok_same(f, y, x - 2) || f->toks[y + 1].kind != T(PERIOD) ||
            f->toks[y + 2].kind != T(IDENT) ||
            (y + 3 < ntok &&
             (f->toks[y + 3].kind == T(LPAREN) || f->toks[y + 3].kind == T(PERIOD))))
            return NONE32;
        if (m != NONE32 && !tok_same(f, m, y + 2)) return NONE32;
        m = y + 2;
    }
    return m != NONE32 ? method_index(g, owner, m, 0) : NONE32;
}

/* The last name of the chain y.z.m starting at token y (y itself when no
 * selector follows). */
static uint32_t chain_end(const facts *f, uint32_t y) {
    uint32_t ntok = f->u->toks.len, e = y;
    while (e + 2 < ntok && f->toks[e].kind == T(IDENT) && f->toks[e + 1].kind == T(PERIOD) &&
           f->toks[e + 2].kind == T(IDENT))
        e += 2;
    return e;
}

/* Whether call o(...) calls the value variable of a range over a field
 * chain (for _, o := range h.observers): *xa..*xb that chain. */
static int ranged_field_callee(const facts *f, const call_fact *c, uint32_t call, uint32_t *xa,
                               uint32_t *xb) {
    const var_fact *v = c->name == f->nodes[call].first ? resolve(f, c->name) : NULL;
    if (!v || v->decl == NONE32 || f->nodes[v->decl].kind != N(RANGE)) return 0;
    uint32_t x = child_by_role(f, v->decl, R(X)), val = child_by_role(f, v->decl, R(VALUE));
    if (x == NONE32 || val == NONE32 || f->nodes[val].first != v->name) return 0;
    *xa = f->nodes[x].first;
    *xb = f->nodes[x].last;
    return *xb >= *xa + 2 && name_chain(f, *xa, *xb);
}

uint32_t typeindex_field_callback(const typeindex *g, uint32_t call, uint32_t *ra, uint32_t *rb) {
    const facts *f = g->f;
    if (!g->func_fields) return NONE32;
    const call_fact *c = call_of(f, call);
    if (!c || c->name == NONE32 || c->recv_first == NONE32 || c->pkg != PKG_NONE) return NONE32;
    tinfo owner = expr_type_depth(g, c->recv_first, c->recv_last, 0);
    if (owner.name == NONE32 || ix_first(g, IX_FIELD, owner.name, c->name) == NONE32) return NONE32;
    uint32_t n, ntok = f->u->toks.len, method = NONE32, type = NONE32;
    const uint32_t *at = idents_named(f, c->name, &n);
    for (uint32_t i = 0; i < n; i++) {
        uint32_t x = at[i];
        if (x + 1 >= ntok) continue;
        int next = f->toks[x + 1].kind;
        int key = next == T(COLON) &&
                  (x == 0 || f->toks[x - 1].kind == T(LBRACE) || f->toks[x - 1].kind == T(COMMA));
        int set = next == T(ASSIGN) && x > 0 && f->toks[x - 1].kind == T(PERIOD);
        if (!key && !set) continue;
        /* the value: y.m, or y.z.m, then the end of the element or statement */
        uint32_t y = x + 2, e = chain_end(f, y);
        if (e == y || f->toks[e].kind != T(IDENT) || e + 1 >= ntok) return NONE32;
        int after = f->toks[e + 1].kind;
        if (after == T(LPAREN) || after == T(PERIOD) || after == T(LBRACK)) return NONE32;
        tinfo t = expr_type_depth(g, y, e - 2, 0);
        if (t.name == NONE32) return NONE32;
        uint32_t m = method_index(g, t.name, e, 0);
        if (m == NONE32 || (method != NONE32 && m != method)) return NONE32;
        if (type != NONE32 && !tok_same(f, type, t.name)) return NONE32;
        if (method == NONE32) {
            *ra = y;
            *rb = e - 2;
        }
        method = m;
        type = t.name;
    }
    return method;
}

/* The method a method value written at tokens [y, ...] names (y.m or
 * y.z.m, then `,` or `)`): its index, with *ra..*rb the object; NONE32. */
static uint32_t method_value_at(const typeindex *g, uint32_t y, uint32_t *ra, uint32_t *rb) {
    const facts *f = g->f;
    uint32_t ntok = f->u->toks.len, e = chain_end(f, y);
    if (e == y || e + 1 >= ntok ||
        (f->toks[e + 1].kind != T(COMMA) && f->toks[e + 1].kind != T(RPAREN)))
        return NONE32;
    tinfo t = expr_type_depth(g, y, e - 2, 0);
    uint32_t m = t.name != NONE32 ? method_index(g, t.name, e, 0) : NONE32;
    if (m != NONE32) *ra = y, *rb = e - 2;
    return m;
}

/* Whether token t is a field assigned in place (x.t = ...). */
static int field_assigned_at(const facts *f, uint32_t t) {
    return t > 0 && t + 1 < f->u->toks.len && f->toks[t - 1].kind == T(PERIOD) &&
           f->toks[t + 1].kind == T(ASSIGN);
}

/* The parameter p and method of the registration that sets field token t
 * (q.f = p, or q.f = append(q.f, p)): the method, with *pos; NONE32. */
static uint32_t registration_of(const facts *f, uint32_t t, int appended, uint32_t *pos) {
    uint32_t ntok = f->u->toks.len, p;
    if (t < 2 || t + 3 >= ntok || f->toks[t - 1].kind != T(PERIOD) ||
        f->toks[t + 1].kind != T(ASSIGN))
        return NONE32;
    if (!appended) {
        p = t + 2;
        if (f->toks[p].kind != T(IDENT) || (p + 1 < ntok && f->toks[p + 1].kind == T(PERIOD)) ||
            (p + 1 < ntok && f->toks[p + 1].kind == T(LPAREN)))
            return NONE32;
    } else {
        if (!tok_is(f, t + 2, "append") || f->toks[t + 3].kind != T(LPAREN)) return NONE32;
        uint32_t u = t + 4;
        while (u < ntok && f->toks[u].kind != T(COMMA) && f->toks[u].kind != T(RPAREN)) u++;
        if (u + 2 >= ntok || f->toks[u].kind != T(COMMA) || f->toks[u + 2].kind != T(RPAREN))
            return NONE32;
        p = u + 1;
    }
    const var_fact *v = f->toks[p].kind == T(IDENT) ? resolve(f, p) : NULL;
    uint32_t m = v && (v->flags & VF_PARAM) ? v->func : NONE32;
    if (m == NONE32 || f->nodes[m].kind != N(FUNC) || f->nodes[m].key == NONE32) return NONE32;
    *pos = param_pos(f, m, (uint32_t)(v - f->vars.data));
    return *pos != NONE32 ? m : NONE32;
}

uint32_t typeindex_registered_callback(const typeindex *g, uint32_t call, uint32_t *ra,
                                       uint32_t *rb) {
    const facts *f = g->f;
    if (!g->func_fields) return NONE32;
    const call_fact *c = call_of(f, call);
    uint32_t xa, xb;
    if (!c || c->name == NONE32 || c->recv_first != NONE32 ||
        !ranged_field_callee(f, c, call, &xa, &xb))
        return NONE32;
    /* every registration: q.F = append(q.F, p), p a parameter of a method M;
     * every call of M passes the same method value */
    uint32_t n, method = NONE32;
    const uint32_t *at = idents_named(f, xb, &n);
    for (uint32_t i = 0; i < n; i++) {
        uint32_t t = at[i], pos;
        if (!field_assigned_at(f, t)) continue;
        if (tok_is(f, t + 2, "nil")) continue; /* reset */
        uint32_t m = registration_of(f, t, 1, &pos);
        if (m == NONE32) return NONE32;
        uint32_t k = kind_lower_bound(f, N(FUNC), f->nodes[m].first), nc;
        const uint32_t *calls = calls_named(f, f->nodes[m].key, &nc);
        for (uint32_t j = 0; j < nc; j++) {
            uint32_t cn = f->calls.data[calls[j]].node;
            if (typeindex_callee(g, cn) != k) continue;
            uint32_t arg = call_arg(f, cn, pos), a0, b0;
            if (arg == NONE32) return NONE32;
            uint32_t mv = method_value_at(g, f->nodes[arg].first, &a0, &b0);
            if (mv == NONE32 || (method != NONE32 && mv != method)) return NONE32;
            if (method == NONE32) *ra = a0, *rb = b0;
            method = mv;
        }
    }
    return method;
}

/* The function literal the one call of function m in the file passes at
 * parameter position pos: the literal, NONE32 when m is called otherwise,
 * more than once, or with something else. With reg, the call must be on
 * an object named by one variable (le.Set(func ...)), whose token *reg
 * receives. */
static uint32_t passed_literal(const typeindex *g, uint32_t m, uint32_t pos, uint32_t *reg) {
    const facts *f = g->f;
    uint32_t k = kind_lower_bound(f, N(FUNC), f->nodes[m].first), nc, lit = NONE32;
    const uint32_t *calls = calls_named(f, f->nodes[m].key, &nc);
    for (uint32_t j = 0; j < nc; j++) {
        const call_fact *cf = &f->calls.data[calls[j]];
        if (typeindex_callee(g, cf->node) != k) continue;
        uint32_t arg = call_arg(f, cf->node, pos);
        uint32_t e = arg != NONE32 ? expr_node(f, arg) : NONE32;
        if (lit != NONE32 || e == NONE32 || f->nodes[e].kind != N(FUNCLIT)) return NONE32;
        if (reg) {
            if (cf->recv_first == NONE32 || cf->recv_first != cf->recv_last) return NONE32;
            *reg = cf->recv_first;
        }
        lit = e;
    }
    return lit;
}

uint32_t typeindex_param_literal(const typeindex *g, const var_fact *p) {
    const facts *f = g->f;
    if (!(p->flags & VF_PARAM) || p->func == NONE32 || f->nodes[p->func].kind != N(FUNC) ||
        f->nodes[p->func].key == NONE32)
        return NONE32;
    uint32_t pos = param_pos(f, p->func, (uint32_t)(p - f->vars.data));
    return pos != NONE32 ? passed_literal(g, p->func, pos, NULL) : NONE32;
}

uint32_t typeindex_registered_literal(const typeindex *g, uint32_t call, uint32_t *reg,
                                      uint32_t *oa, uint32_t *ob) {
    const facts *f = g->f;
    if (!g->func_fields) return NONE32;
    const call_fact *c = call_of(f, call);
    if (!c || c->name == NONE32 || c->pkg != PKG_NONE) return NONE32;
    uint32_t field, appended;
    if (c->recv_first != NONE32) {
        /* le.cp(...): a function field of a type of the file */
        tinfo owner = expr_type_depth(g, c->recv_first, c->recv_last, 0);
        if (owner.name == NONE32 || ix_first(g, IX_FIELD, owner.name, c->name) == NONE32)
            return NONE32;
        field = c->name;
        appended = 0;
        *oa = c->recv_first;
        *ob = c->recv_last;
    } else {
        /* for _, o := range h.observers { o(...) } */
        uint32_t xa, xb;
        if (!ranged_field_callee(f, c, call, &xa, &xb)) return NONE32;
        field = xb;
        appended = 1;
        *oa = xa;
        *ob = xb - 2;
    }
    uint32_t n, lit = NONE32;
    const uint32_t *at = idents_named(f, field, &n);
    for (uint32_t i = 0; i < n; i++) {
        uint32_t t = at[i];
        if (!field_assigned_at(f, t)) continue;
        if (tok_is(f, t + 2, "nil")) continue; /* reset */
        uint32_t pos, m = registration_of(f, t, (int)appended, &pos);
        if (m == NONE32) return NONE32;
        uint32_t l = passed_literal(g, m, pos, reg);
        if (l == NONE32 || (lit != NONE32 && l != lit)) return NONE32;
        lit = l;
    }
    return lit;
}

static uint32_t callee_uncached(const typeindex *g, const call_fact *c, uint32_t call) {
    const facts *f = g->f;
    if (c->recv_first == NONE32) {
        if (c->name != f->nodes[call].first || resolve(f, c->name)) return NONE32;
        uint32_t i = ix_first(g, IX_FUNC, NONE32, c->name);
        return i != NONE32 ? g->ix.data[i].value : NONE32;
    }
    tinfo t = expr_type_depth(g, c->recv_first, c->recv_last, 0);
    if (t.name == NONE32) return NONE32;
    uint32_t k = method_index(g, t.name, c->name, 0);
    return k != NONE32 ? k : field_method_value(g, t.name, c->name);
}

uint32_t typeindex_callee(const typeindex *g, uint32_t call) {
    const facts *f = g->f;
    const call_fact *c = call_of(f, call);
    if (!c || c->name == NONE32 || c->pkg != PKG_NONE) return NONE32;
    uint32_t k = (uint32_t)(c - f->calls.data);
    if (g->callee_memo && g->callee_memo[k] != UNKNOWN_EXIT) return g->callee_memo[k];
    uint32_t r = callee_uncached(g, c, call);
    if (g->callee_memo) g->callee_memo[k] = r;
    return r;
}

/* ---- build ---- */

typeindex *typeindex_build(const facts *f) {
    typeindex *g = gl_calloc(f->alloc, sizeof *g);
    if (!g) return NULL;
    g->f = f;
    g->a = f->alloc;
    g->ix_nb = 64;
    while (g->ix_nb < (f->by_kind[N(FUNC)].len + f->fields.len) / 2) g->ix_nb *= 2;
    g->ix_buckets = gl_malloc(g->a, g->ix_nb * sizeof *g->ix_buckets);
    if (!g->ix_buckets) {
        typeindex_free(g);
        return NULL;
    }
    memset(g->ix_buckets, 0xff, g->ix_nb * sizeof *g->ix_buckets);
    index_file(g);
    g->callee_memo = gl_malloc(g->a, ((size_t)f->calls.len + 1) * sizeof *g->callee_memo);
    if (!g->callee_memo) g->oom = 1;
    for (uint32_t k = 0; g->callee_memo && k < f->calls.len; k++) g->callee_memo[k] = UNKNOWN_EXIT;
    if (g->oom) {
        typeindex_free(g);
        return NULL;
    }
    return g;
}

void typeindex_free(typeindex *g) {
    if (!g) return;
    gl_free(g->a, g->ix.data);
    gl_free(g->a, g->ix_buckets);
    gl_free(g->a, g->callee_memo);
    gl_free(g->a, g);
}
