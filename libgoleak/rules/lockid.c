/* The lock vocabulary: see lockid.h. */
#include "lockid.h"

#include <stdio.h>
#include <string.h>

/* Whether token t's text ends with suffix. */
static int tok_has_suffix(const facts *f, uint32_t t, const char *suffix) {
    size_t n = strlen(suffix), len = f->toks[t].len;
    return len >= n && memcmp(f->src + f->toks[t].off + len - n, suffix, n) == 0;
}

int lock_op(const facts *f, uint32_t call) {
    const call_fact *c = call_of(f, call);
    if (!c || c->recv_first == NONE32 || c->name == NONE32) return OP_NONE;
    /* every name below ends in "k": one byte rejects most calls */
    const token *t = &f->toks[c->name];
    if (t->len < 4 || f->src[t->off + t->len - 1] != 'k') return OP_NONE;
    if (c->nargs != 0) {
        if (tok_has_suffix(f, c->name, "RUnlock")) return OP_RUNLOCK;
        return tok_has_suffix(f, c->name, "Unlock") ? OP_UNLOCK : OP_NONE;
    }
    if (tok_is(f, c->name, "Lock")) return OP_LOCK;
    if (tok_is(f, c->name, "RLock")) return OP_RLOCK;
    if (tok_is(f, c->name, "Unlock")) return OP_UNLOCK;
    if (tok_is(f, c->name, "RUnlock")) return OP_RUNLOCK;
    return OP_NONE;
}

/* Whether receiver a is a local variable copied from receiver b's
 * expression (st := s.state; st.Unlock() for s.state.Lock()). */
static int alias_of(const facts *f, const call_fact *a, const call_fact *b) {
    if (a->recv_first != a->recv_last) return 0;
    const var_fact *v = resolve(f, a->recv_first);
    if (!v || v->value == NONE32 || v->func == NONE32) return 0;
    uint32_t va = f->nodes[v->value].first, vb = f->nodes[v->value].last;
    if (f->toks[va].kind == T(AND)) va++;
    return toks_same(f, va, vb, b->recv_first, b->recv_last);
}

int same_lock(const facts *f, const call_fact *a, const call_fact *b, int loose) {
    if (toks_same(f, a->recv_first, a->recv_last, b->recv_first, b->recv_last)) return 1;
    if (alias_of(f, a, b) || alias_of(f, b, a)) return 1;
    if (!loose) return 0;
    uint32_t la = a->recv_last - a->recv_first, lb = b->recv_last - b->recv_first;
    if (la != lb) return 0;
    const var_fact *va = resolve(f, a->recv_first), *vb = resolve(f, b->recv_first);
    if (!va || !vb || !(va->flags & VF_PARAM) || !(vb->flags & VF_PARAM)) return 0;
    if (la == 0) return 1; /* both are receivers embedding the mutex: c.Lock() */
    return toks_same(f, a->recv_first + 1, a->recv_last, b->recv_first + 1, b->recv_last);
}

int acquiring_helper(const facts *f, uint32_t fn) {
    if (f->nodes[fn].kind != N(FUNC) || f->nodes[fn].key == NONE32) return 0;
    const token *t = &f->toks[f->nodes[fn].key];
    const char *s = (const char *)f->src + t->off;
    size_t n = t->len;
    static const char *const prefixes[] = {"lock",    "Lock",    "rlock",    "rLock",  "RLock",
                                           "acquire", "Acquire", "mustLock", "tryLock"};
    for (size_t k = 0; k < sizeof prefixes / sizeof *prefixes; k++) {
        size_t p = strlen(prefixes[k]);
        if (n >= p && memcmp(s, prefixes[k], p) == 0) return 1;
    }
    return 0;
}

int locking_helper(const facts *f, uint32_t fn) {
    if (acquiring_helper(f, fn)) return 1;
    if (f->nodes[fn].kind != N(FUNC) || f->nodes[fn].key == NONE32) return 0;
    const token *t = &f->toks[f->nodes[fn].key];
    const char *s = (const char *)f->src + t->off;
    size_t n = t->len;
    /* a camel-case word Lock or Acquire inside the name (not "block", "Unlock") */
    for (size_t k = 1; k + 4 <= n; k++) {
        if (memcmp(s + k, "Lock", 4) == 0 && !(k >= 2 && memcmp(s + k - 2, "Un", 2) == 0) &&
            s[k - 1] != 'n')
            return 1;
        if (k + 7 <= n && memcmp(s + k, "Acquire", 7) == 0) return 1;
    }
    return 0;
}

void lock_name(const facts *f, const call_fact *c, char *buf, size_t size) {
    char rest[96];
    const var_fact *v = resolve(f, c->recv_first);
    if (v && !(v->flags & (VF_RECV | VF_PKG))) {
        /* a local or a parameter: one object per function, whatever its
         * spelling; closures of the function share it */
        if (c->recv_last > c->recv_first)
            snippet(f, c->recv_first + 1, c->recv_last, rest, sizeof rest);
        else
            rest[0] = 0;
        /* the name, then #index to tell variables apart (not printed) */
        snprintf(buf, size, "%.*s%s#%u", (int)f->toks[v->name].len,
                 (const char *)f->src + f->toks[v->name].off, rest, (unsigned)(v - f->vars.data));
        return;
    }
    if (v && (v->flags & VF_RECV) && v->type_first != NONE32) {
        uint32_t t = v->type_first;
        while (t <= v->type_last && f->toks[t].kind != T(IDENT)) t++;
        char type[48];
        snippet(f, t, t, type, sizeof type);
        if (c->recv_last > c->recv_first)
            snippet(f, c->recv_first + 1, c->recv_last, rest, sizeof rest);
        else
            rest[0] = 0;
        snprintf(buf, size, "%s%s", type, rest);
        return;
    }
    snippet(f, c->recv_first, c->recv_last, buf, size);
}

/* ---- the lock operations of a file, grouped ---- */

/* The key of a local copy: the value st was made from (st := s.state, or
 * &s.state), when c's receiver is such a local; *a = NONE32 otherwise. */
static void alias_key(const facts *f, const call_fact *c, uint32_t *a, uint32_t *b) {
    *a = *b = NONE32;
    if (c->recv_first != c->recv_last) return;
    const var_fact *v = resolve(f, c->recv_first);
    if (!v || v->value == NONE32 || v->func == NONE32) return;
    *a = f->nodes[v->value].first;
    *b = f->nodes[v->value].last;
    if (f->toks[*a].kind == T(AND)) ++*a;
    if (*a > *b) *a = *b = NONE32;
}

static uint32_t range_hash(const facts *f, uint32_t a, uint32_t b) {
    uint32_t h = 2166136261u;
    for (uint32_t i = a; i <= b; i++) {
        const token *t = &f->toks[i];
        h = (h ^ t->kind) * 16777619u;
        for (uint32_t k = 0; k < t->len; k++) h = (h ^ f->src[t->off + k]) * 16777619u;
    }
    return h;
}

/* The slot of key [a, b]; with add, made when missing (NONE32 when the
 * table is full, which its sizing prevents). */
static uint32_t key_slot(lock_ops *x, uint32_t a, uint32_t b, int add) {
    uint32_t i = range_hash(x->f, a, b) & x->mask;
    for (uint32_t n = 0; n <= x->mask; n++, i = (i + 1) & x->mask) {
        if (x->key_first[i] == NONE32) {
            if (!add) return NONE32;
            x->key_first[i] = a;
            x->key_last[i] = b;
            return i;
        }
        if (toks_same(x->f, x->key_first[i], x->key_last[i], a, b)) return i;
    }
    return NONE32;
}

int lock_ops_build(lock_ops *x, const facts *f) {
    const goleak_allocator *al = f->alloc;
    memset(x, 0, sizeof *x);
    x->f = f;
    uint32_t nops = 0;
    FOR_KIND(f, N(CALL), call) {
        if (lock_op(f, call) != OP_NONE) nops++;
    }
    uint32_t cap = 16;
    while (cap < 4 * nops + 4) cap *= 2; /* two keys an operation at most */
    x->mask = cap - 1;
    x->key_first = gl_malloc(al, cap * sizeof *x->key_first);
    x->key_last = gl_malloc(al, cap * sizeof *x->key_last);
    x->start = gl_calloc(al, ((size_t)cap + 1) * sizeof *x->start);
    x->list = gl_malloc(al, (2 * (size_t)nops + 1) * sizeof *x->list);
    x->name_start = NULL;
    if (!x->key_first || !x->key_last || !x->start || !x->list ||
        names_init(&x->names, f->u, al, nops + 1))
        return -1;
    memset(x->key_first, 0xff, cap * sizeof *x->key_first);
    x->name_start = gl_calloc(al, ((size_t)x->names.mask + 2) * sizeof *x->name_start);
    x->name_list = gl_malloc(al, ((size_t)nops + 1) * sizeof *x->name_list);
    if (!x->name_start || !x->name_list) return -1;
    /* count, then fill: each operation under its receiver and its alias */
    for (int pass = 0; pass < 2; pass++) {
        FOR_KIND(f, N(CALL), call) {
            if (lock_op(f, call) == OP_NONE) continue;
            const call_fact *c = call_of(f, call);
            uint32_t slots[2] = {key_slot(x, c->recv_first, c->recv_last, 1), NONE32};
            uint32_t a, b;
            alias_key(f, c, &a, &b);
            if (a != NONE32) slots[1] = key_slot(x, a, b, 1);
            if (slots[1] == slots[0]) slots[1] = NONE32;
            int added;
            uint32_t name = names_add(&x->names, c->recv_last, &added);
            for (int k = 0; k < 2; k++) {
                if (slots[k] == NONE32) continue;
                if (pass == 0)
                    x->start[slots[k] + 1]++;
                else
                    x->list[x->start[slots[k]]++] = call;
            }
            if (name == NONE32) continue;
            if (pass == 0)
                x->name_start[name + 1]++;
            else
                x->name_list[x->name_start[name]++] = call;
        }
        if (pass == 0) {
            for (uint32_t k = 0; k < cap; k++) x->start[k + 1] += x->start[k];
            for (uint32_t k = 0; k <= x->names.mask; k++) x->name_start[k + 1] += x->name_start[k];
        } else { /* the fill moved each start to the next group's: shift back */
            for (uint32_t k = cap; k > 0; k--) x->start[k] = x->start[k - 1];
            x->start[0] = 0;
            for (uint32_t k = x->names.mask + 1; k > 0; k--)
                x->name_start[k] = x->name_start[k - 1];
            x->name_start[0] = 0;
        }
    }
    return 0;
}

void lock_ops_free(lock_ops *x) {
    const goleak_allocator *al = x->f ? x->f->alloc : NULL;
    if (!al) return;
    gl_free(al, x->key_first);
    gl_free(al, x->key_last);
    gl_free(al, x->start);
    gl_free(al, x->list);
    gl_free(al, x->name_start);
    gl_free(al, x->name_list);
    names_free(&x->names);
    memset(x, 0, sizeof *x);
}

static const uint32_t *group(const lock_ops *x, uint32_t a, uint32_t b, uint32_t *n) {
    *n = 0;
    if (a == NONE32) return NULL;
    uint32_t slot = key_slot((lock_ops *)x, a, b, 0);
    if (slot == NONE32) return NULL;
    *n = x->start[slot + 1] - x->start[slot];
    return x->list + x->start[slot];
}

void lock_ops_of(const lock_ops *x, const call_fact *c, const uint32_t **a, uint32_t *na,
                 const uint32_t **b, uint32_t *nb) {
    *a = group(x, c->recv_first, c->recv_last, na);
    uint32_t p, q;
    alias_key(x->f, c, &p, &q);
    *b = group(x, p, q, nb);
    if (*b == *a) *b = NULL, *nb = 0;
}

const uint32_t *lock_ops_named(const lock_ops *x, uint32_t tok, uint32_t *n) {
    *n = 0;
    uint32_t slot = names_find(&x->names, tok);
    if (slot == NONE32) return NULL;
    *n = x->name_start[slot + 1] - x->name_start[slot];
    return x->name_list + x->name_start[slot];
}
