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

int locking_helper(const facts *f, uint32_t fn) {
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
