/* Lock summaries and the held-lock walk: see lockgraph.h. */
#include "lockgraph.h"

#include "lockid.h"
#include "pkgindex.h"
#include "typeindex.h"

#include <stdio.h>
#include <string.h>

enum {
    KEY_MAX = 192,    /* bytes of a key's text */
    MAX_SUMMARY = 32, /* entries of one summary */
    MAX_NEST = 128,   /* statements and expressions nested in one walk */
    MAX_RECURSE = 8,  /* summaries computed inside one another */
    MAX_FIRST = 32,   /* locks whose first operation a summary remembers */
    MAX_RELEASED = 64 /* releases remembered for the loops around them */
};

/* ---- keys ---- */

enum root_kind { ROOT_GLOBAL, ROOT_RECV, ROOT_PARAM, ROOT_LOCAL };

typedef struct key_info {
    uint32_t text;  /* offset in the text store */
    uint32_t hash;  /* of the whole text */
    uint16_t len;   /* bytes */
    uint16_t shown; /* bytes printed: up to the '#' of a variable's number */
    uint16_t rest;  /* where the selectors after the root start */
    uint8_t root;   /* enum root_kind */
    uint8_t stable; /* a chain of names */
    uint32_t var;   /* ROOT_PARAM, ROOT_LOCAL: the variable's index */
    uint32_t next;
    uint32_t a, b; /* the chain of this file it was first built from (s.reg.mu), NONE32 */
    uint32_t cls;  /* its class (lockgraph_key_class), NONE32 until asked */
} key_info;

/* ---- summaries ---- */

/* what a function does to a lock, seen from its callers: takes it, returns
 * holding it, releases it (taken by the caller), releases it and takes it
 * again (a wait), nothing */
enum { SE_ACQ, SE_HOLDS, SE_RELEASES, SE_REACQ, SE_NONE };

typedef struct sum_entry {
    uint32_t key, origin;
    uint8_t what, mode, depth, guarded;
    uint8_t guard_when;
    uint32_t guard_var; /* the callee's bool parameter that decides, NONE32 */
    uint32_t ofile;     /* SE_ACQ, SE_REACQ: the Lock call's file when it is another
                         * file of the package (origin is then the call leading
                         * there), NONE32 */
    uint32_t oline;     /* its line there */
} sum_entry;

typedef struct summary {
    uint8_t state; /* 0 not computed, 1 being computed, 2 done */
    uint32_t first, n;
} summary;

struct lockgraph {
    const facts *f;
    const goleak_allocator *a;
    goleak_check *chk; /* the package check whose other files calls are followed
                        * into; NULL: the file alone, or a graph kept with the
                        * package (its walks get the check from their caller) */
    uint32_t file;     /* the file's index in the package */
    typeindex *types;
    int oom, has_locks;
    struct {
        key_info *data;
        uint32_t len, cap;
    } keys;
    uint32_t *key_buckets, key_nb;
    struct {
        char *data;
        uint32_t len, cap;
    } text;
    uint8_t *back_ptr; /* per field fact: 0 not asked, 1 a back-pointer, 2 not */
    summary *sums;     /* one per FUNC, in the order of by_kind[FUNC] */
    uint8_t *may;      /* per FUNC: 0 not known, 1 takes no lock, 2 may, 3 being computed */
    struct {
        sum_entry *data;
        uint32_t len, cap;
    } entries;
    /* each walked function's events, recorded by its first walk and
     * replayed to the rules that walk it again: log_first[fn] (NONE32: not
     * recorded), log_count[fn]; an event's held and deferred locks are at
     * its offsets in log_held and log_deferred */
    uint32_t *log_first, *log_count;
    struct {
        struct logged_event *data;
        uint32_t len, cap;
    } log;
    struct {
        held_lock *data;
        uint32_t len, cap;
    } log_held;
    struct {
        uint32_t *data;
        uint32_t len, cap;
    } log_deferred;
};

typedef struct logged_event {
    lg_event e; /* held and deferred cleared: the offsets say where they are */
    uint32_t held_at, deferred_at;
} logged_event;

/* ---- keys ---- */

static uint32_t text_hash(const char *s, size_t n) {
    uint32_t h = 2166136261u;
    for (size_t i = 0; i < n; i++) h = (h ^ (uint8_t)s[i]) * 16777619u;
    return h;
}

static uint32_t key_intern(lockgraph *g, const char *s, size_t n, int root, uint32_t var,
                           size_t rest, int stable) {
    if (n >= KEY_MAX) n = KEY_MAX - 1;
    uint32_t h = text_hash(s, n), b = mix32(h) & (g->key_nb - 1);
    for (uint32_t i = g->key_buckets[b]; i != NONE32; i = g->keys.data[i].next) {
        const key_info *k = &g->keys.data[i];
        if (k->hash == h && k->len == n && memcmp(g->text.data + k->text, s, n) == 0) return i;
    }
    if (vec_reserve(g->a, (void **)&g->text.data, &g->text.cap, 1, (size_t)g->text.len + n + 1)) {
        g->oom = 1;
        return NONE32;
    }
    key_info k = {g->text.len,
                  h,
                  (uint16_t)n,
                  (uint16_t)n,
                  (uint16_t)(rest < n ? rest : n),
                  (uint8_t)root,
                  (uint8_t)stable,
                  var,
                  g->key_buckets[b],
                  NONE32,
                  NONE32,
                  NONE32};
    const char *hash = memchr(s, '#', n);
    if (hash && root != ROOT_GLOBAL) k.shown = (uint16_t)(hash - s);
    memcpy(g->text.data + g->text.len, s, n);
    g->text.data[g->text.len + n] = 0;
    g->text.len += (uint32_t)n + 1;
    if (VEC_PUSH(g->a, &g->keys, k)) {
        g->oom = 1;
        return NONE32;
    }
    g->key_buckets[b] = g->keys.len - 1;
    return g->keys.len - 1;
}

/* The key of tokens [a, b] followed by the selectors `extra`, named as
 * lock_name names a lock call's receiver. With strip, a leading & and
 * enclosing parentheses are dropped first (an argument &s.mu). */
/* A key's text being built: appends are cut at KEY_MAX - 1 bytes. */
typedef struct kbuf {
    char s[KEY_MAX];
    size_t n;
} kbuf;

static void kput(kbuf *k, const char *p, size_t n) {
    if (n > sizeof k->s - 1 - k->n) n = sizeof k->s - 1 - k->n;
    memcpy(k->s + k->n, p, n);
    k->n += n;
}

static void kput_uint(kbuf *k, uint32_t v) {
    char d[10];
    size_t n = 0;
    do d[sizeof d - ++n] = (char)('0' + v % 10);
    while ((v /= 10) != 0);
    kput(k, d + sizeof d - n, n);
}

/* The name token of receiver v's type (T of `t *T`). */
static uint32_t recv_type_tok(const facts *f, const var_fact *v) {
    uint32_t t = v->type_first;
    while (t < v->type_last && f->toks[t].kind != T(IDENT)) t++;
    return t;
}

static uint32_t key_build(lockgraph *g, uint32_t a, uint32_t b, const char *extra, size_t nextra,
                          int extra_stable, int strip) {
    const facts *f = g->f;
    if (a == NONE32 || a > b) return NONE32;
    if (strip) {
        while (a < b && f->toks[a].kind == T(AND)) a++;
        while (a < b && f->toks[a].kind == T(LPAREN) && f->toks[b].kind == T(RPAREN)) a++, b--;
    }
    char rest[96];
    kbuf k;
    k.n = 0;
    int stable = name_chain(f, a, b) && extra_stable;
    const var_fact *v = f->toks[a].kind == T(IDENT) ? resolve(f, a) : NULL;
    int root;
    size_t rest_at;
    if (b > a)
        snippet(f, a + 1, b, rest, sizeof rest);
    else
        rest[0] = 0;
    if (v && !(v->flags & (VF_RECV | VF_PKG))) {
        /* a local or a parameter: #index tells variables of one name apart */
        kput(&k, (const char *)f->src + f->toks[v->name].off, f->toks[v->name].len);
        kput(&k, rest, strlen(rest));
        kput(&k, extra, nextra);
        kput(&k, "#", 1);
        kput_uint(&k, (uint32_t)(v - f->vars.data));
        root = (v->flags & VF_PARAM) ? ROOT_PARAM : ROOT_LOCAL;
        rest_at = f->toks[v->name].len;
    } else if (v && (v->flags & VF_RECV) && v->type_first != NONE32) {
        uint32_t t = recv_type_tok(f, v);
        char type[48];
        snippet(f, t, t, type, sizeof type);
        rest_at = strlen(type);
        kput(&k, type, rest_at);
        kput(&k, rest, strlen(rest));
        kput(&k, extra, nextra);
        root = ROOT_RECV;
    } else {
        char whole[96];
        snippet(f, a, b, whole, sizeof whole);
        kput(&k, whole, strlen(whole));
        kput(&k, extra, nextra);
        root = ROOT_GLOBAL;
        rest_at = f->toks[a].len;
    }
    uint32_t key =
        key_intern(g, k.s, k.n, root, v ? (uint32_t)(v - f->vars.data) : NONE32, rest_at, stable);
    if (key != NONE32 && nextra == 0 && stable && g->keys.data[key].a == NONE32) {
        g->keys.data[key].a = a;
        g->keys.data[key].b = b;
    }
    return key;
}

uint32_t lockgraph_key_of(lockgraph *g, uint32_t first, uint32_t last) {
    return key_build(g, first, last, "", 0, 1, 0);
}

uint32_t lockgraph_key_with(lockgraph *g, uint32_t first, uint32_t last, const char *selectors) {
    return key_build(g, first, last, selectors, strlen(selectors), 1, 0);
}

const char *lockgraph_key_text(const lockgraph *g, uint32_t key, int *len) {
    const key_info *k = &g->keys.data[key];
    const char *t = g->text.data + k->text;
    *len = k->shown;
    if (*len > 1 && t[0] == '@') t++, (*len)--; /* a local's type lock (local_class_key) */
    return t;
}

uint32_t lockgraph_key_class(lockgraph *g, uint32_t key) {
    if (g->keys.data[key].cls != NONE32) return g->keys.data[key].cls;
    g->keys.data[key].cls = key;
    const key_info k = g->keys.data[key];
    const facts *f = g->f;
    if (k.a == NONE32 && k.stable &&
        (k.root == ROOT_LOCAL || k.root == ROOT_PARAM || k.root == ROOT_RECV) && k.var != NONE32 &&
        k.rest <= k.shown) {
        /* built from a callee's key (b.mu#3 for a call b.Up()): the type of
         * the root variable, then the selectors of the text */
        const typeindex *types = lockgraph_types(g);
        const var_fact *v = &f->vars.data[k.var];
        tinfo t = types ? typeindex_expr_type(types, v->name, v->name) : (tinfo){SK_NONE, NONE32};
        if (t.name == NONE32) return key;
        /* follow the selectors through the fields while they are structs of
         * the file (b.m of a *tableState b is its LeaseManager m) */
        char sel[KEY_MAX];
        size_t nsel = (size_t)(k.shown - k.rest);
        memcpy(sel, g->text.data + k.text + k.rest, nsel);
        sel[nsel] = 0;
        size_t done = 0;
        while (done < nsel && sel[done] == '.') {
            size_t end = done + 1;
            while (end < nsel && sel[end] != '.') end++;
            char name[KEY_MAX];
            memcpy(name, sel + done + 1, end - done - 1);
            name[end - done - 1] = 0;
            uint32_t n;
            const uint32_t *at = idents_named_text(f, name, &n);
            tinfo ft =
                n > 0 ? typeindex_field_type(types, t.name, at[0]) : (tinfo){SK_NONE, NONE32};
            if (ft.name == NONE32) break;
            t = ft;
            done = end;
        }
        kbuf c;
        c.n = 0;
        kput(&c, (const char *)f->src + f->toks[t.name].off, f->toks[t.name].len);
        size_t type_len = c.n;
        kput(&c, sel + done, nsel - done);
        uint32_t cls = key_intern(g, c.s, c.n, ROOT_RECV, NONE32, type_len, 1);
        g->keys.data[key].cls = cls != NONE32 ? cls : key;
        return g->keys.data[key].cls;
    }
    const typeindex *types = k.a != NONE32 ? lockgraph_types(g) : NULL;
    if (!types) return key;
    /* t.Lock() of a struct of the file that embeds its mutex (t, or
     * t.m): that type, as a method of it names its receiver's */
    tinfo t = typeindex_expr_type(types, k.a, k.b);
    uint32_t from = k.b + 2;
    if (t.name == NONE32 && k.b >= k.a + 2) {
        /* s.reg.mu: the type of s.reg, then the lock's own name; else
         * (the holder is no type of the file: p.wait.L, wait a
         * *sync.Cond) the type of the root, then the selectors after it */
        from = k.b;
        t = typeindex_expr_type(types, k.a, k.b - 2);
        if (t.name == NONE32) {
            t = typeindex_expr_type(types, k.a, k.a);
            from = k.a + 2;
        }
    }
    if (t.name == NONE32) return key;
    kbuf c;
    c.n = 0;
    kput(&c, (const char *)f->src + f->toks[t.name].off, f->toks[t.name].len);
    size_t type_len = c.n;
    for (uint32_t i = from; i <= k.b; i += 2) {
        kput(&c, ".", 1);
        kput(&c, (const char *)f->src + f->toks[i].off, f->toks[i].len);
    }
    uint32_t cls = key_intern(g, c.s, c.n, ROOT_RECV, NONE32, type_len, 1);
    if (cls == NONE32) cls = key;
    g->keys.data[key].cls = cls;
    return cls;
}

uint32_t lockgraph_key_var(const lockgraph *g, uint32_t key) {
    const key_info *k = &g->keys.data[key];
    return k->root == ROOT_LOCAL || k->root == ROOT_PARAM ? k->var : NONE32;
}

/* Whether the value token x gives a field is the receiver of a method of
 * the type named like token type_tok (hub: wh in a method of *watcherHub). */
static int receiver_of_type(lockgraph *g, uint32_t x, uint32_t type_tok) {
    const facts *f = g->f;
    const var_fact *v = f->toks[x].kind == T(IDENT) ? resolve(f, x) : NULL;
    if (!v || !(v->flags & VF_RECV) || v->type_first == NONE32) return 0;
    return tok_same(f, recv_type_tok(f, v), type_tok);
}

/* Whether field `fname` is a back-pointer to type `tname`: declared with
 * that type (T or *T) in another struct of the file, and every value the
 * file gives it is a receiver of a method of T. */
static int back_pointer_field(lockgraph *g, const char *fname, const char *tname) {
    const facts *f = g->f;
    uint32_t n, sets = 0, type = NONE32;
    const uint32_t *at = idents_named_text(f, fname, &n);
    for (uint32_t i = 0; i < n && type == NONE32; i++) {
        const field_fact *d = find_field(f, at[i]);
        if (d && d->name == at[i]) type = d->type_last;
    }
    if (type == NONE32 || f->toks[type].kind != T(IDENT) || !tok_is(f, type, tname)) return 0;
    for (uint32_t i = 0; i < n; i++) {
        uint32_t x = at[i];
        const field_fact *ff = find_field(f, x);
        if (ff && ff->name == x) {
            /* every declaration of that name: T or *T, in a struct of another type */
            if (ff->type_first == NONE32 || !tok_same(f, ff->type_last, type) ||
                ff->owner == NONE32 || tok_same(f, f->nodes[ff->owner].key, type))
                return 0;
            continue;
        }
        if (x + 2 >= f->u->toks.len) continue;
        int next = f->toks[x + 1].kind;
        int set = (next == T(COLON) && x > 0 && f->toks[x - 1].kind != T(PERIOD)) ||
                  (next == T(ASSIGN) && x > 0 && f->toks[x - 1].kind == T(PERIOD));
        if (!set) continue;
        int after = x + 3 < f->u->toks.len ? f->toks[x + 3].kind : T(SEMICOLON);
        if ((after != T(COMMA) && after != T(RBRACE) && after != T(SEMICOLON)) ||
            !receiver_of_type(g, x + 2, type))
            return 0;
        sets++;
    }
    return sets > 0;
}

/* For key k = x.F.S of a local or parameter x, where F is a back-pointer
 * to type T: the length of "x.F" in its text (S follows), and F into
 * fname; 0 otherwise. */
static size_t back_pointer_prefix(lockgraph *g, uint32_t k, char *fname, char *tname) {
    const key_info *kk = &g->keys.data[k];
    if ((kk->root != ROOT_LOCAL && kk->root != ROOT_PARAM) || !kk->stable) return 0;
    const char *kt = g->text.data + kk->text;
    if (kk->rest >= kk->shown || kt[kk->rest] != '.') return 0;
    const char *F = kt + kk->rest + 1;
    const char *end = memchr(F, '.', (size_t)(kt + kk->shown - F));
    if (!end) return 0;
    size_t flen = (size_t)(end - F);
    if (flen == 0 || flen >= KEY_MAX) return 0;
    memcpy(fname, F, flen);
    fname[flen] = 0;
    /* T: the field's declared type; whether it is a back-pointer, asked
     * once per field */
    const facts *f = g->f;
    uint32_t n;
    const uint32_t *at = idents_named_text(f, fname, &n);
    const field_fact *d = n > 0 ? find_field(f, at[0]) : NULL;
    if (!d || d->type_first == NONE32) return 0;
    const token *t = &f->toks[d->type_last];
    if (t->kind != T(IDENT) || t->len >= KEY_MAX) return 0;
    memcpy(tname, (const char *)f->src + t->off, t->len);
    tname[t->len] = 0;
    if (!g->back_ptr && !(g->back_ptr = gl_calloc(g->a, (size_t)f->fields.len + 1))) {
        g->oom = 1;
        return 0;
    }
    uint8_t *memo = &g->back_ptr[d - f->fields.data];
    if (*memo == 0) *memo = back_pointer_field(g, fname, tname) ? 1 : 2;
    return *memo == 1 ? (size_t)(end - kt) : 0;
}

int lockgraph_back_pointer(lockgraph *g, uint32_t k, uint32_t h) {
    const key_info *kk = &g->keys.data[k], *hk = &g->keys.data[h];
    if (hk->root != ROOT_RECV || !hk->stable) return 0;
    char fname[KEY_MAX], tname[KEY_MAX];
    size_t pre = back_pointer_prefix(g, k, fname, tname);
    if (!pre) return 0;
    /* h = T + S, k = x.F + S */
    const char *kt = g->text.data + kk->text, *ht = g->text.data + hk->text;
    size_t ks = kk->shown - pre, hs = hk->shown - hk->rest;
    return hk->rest == strlen(tname) && memcmp(ht, tname, hk->rest) == 0 && ks == hs &&
           memcmp(kt + pre, ht + hk->rest, hs) == 0;
}

/* The receiver key T.S that a function's key x.F.S names through the
 * back-pointer F to T, when the function is a method of T (a child's
 * w.hub.mu seen from a method of the hub): NONE32 otherwise. */
static uint32_t receiver_alias(lockgraph *g, uint32_t k, uint32_t fn) {
    const facts *f = g->f;
    const var_fact *rv = fn != NONE32 && f->nodes[fn].kind == N(FUNC) ? receiver_var(f, fn) : NULL;
    if (!rv || rv->type_first == NONE32) return NONE32;
    char fname[KEY_MAX], tname[KEY_MAX];
    size_t pre = back_pointer_prefix(g, k, fname, tname);
    if (!pre) return NONE32;
    if (!tok_is(f, recv_type_tok(f, rv), tname)) return NONE32;
    const key_info *kk = &g->keys.data[k];
    kbuf c;
    c.n = 0;
    kput(&c, tname, strlen(tname));
    kput(&c, g->text.data + kk->text + pre, kk->shown - pre);
    return key_intern(g, c.s, c.n, ROOT_RECV, NONE32, strlen(tname), 1);
}

int lockgraph_key_stable(const lockgraph *g, uint32_t key) {
    return g->keys.data[key].stable;
}

/* A callee's key (of graph src: g, or the graph of another file of the
 * package) seen from the caller: its receiver becomes the call's receiver
 * expression, a parameter the argument, a package-level name is spelled
 * the same in every file; a local of the callee is nothing the caller can
 * hold. Tokens [ra, rb], when ra is not NONE32, are the receiver instead
 * (a value fmt formats with its String method, the object whose method
 * value a field holds). NONE32 when it cannot be mapped. */
static uint32_t map_key(lockgraph *g, const lockgraph *src, uint32_t key, uint32_t call,
                        uint32_t callee_fn, uint32_t ra, uint32_t rb) {
    const facts *f = g->f;
    const key_info k = src->keys.data[key];
    uint32_t a, b;
    if (k.root == ROOT_GLOBAL && src == g) return key;
    if (k.root == ROOT_GLOBAL)
        return key_intern(g, src->text.data + k.text, k.len, ROOT_GLOBAL, NONE32, k.rest, k.stable);
    if (k.root == ROOT_LOCAL || !k.stable) return NONE32;
    if (k.root == ROOT_RECV && ra != NONE32) {
        a = ra;
        b = rb;
        while (a < b && f->toks[a].kind == T(AND)) a++;
    } else if (k.root == ROOT_RECV) {
        const call_fact *c = call_of(f, call);
        if (!c || c->recv_first == NONE32) return NONE32;
        a = c->recv_first;
        b = c->recv_last;
    } else {
        uint32_t pos = param_pos(src->f, callee_fn, k.var);
        uint32_t arg = pos != NONE32 ? call_arg(f, call, pos) : NONE32;
        if (arg == NONE32) return NONE32;
        a = f->nodes[arg].first;
        b = f->nodes[arg].last;
    }
    char extra[KEY_MAX];
    size_t n = k.shown > k.rest ? (size_t)(k.shown - k.rest) : 0;
    memcpy(extra, src->text.data + k.text + k.rest, n);
    return key_build(g, a, b, extra, n, 1, 1);
}

/* ---- build ---- */

lockgraph *lockgraph_build(const facts *f) {
    const goleak_allocator *a = f->alloc;
    lockgraph *g = gl_calloc(a, sizeof *g);
    if (!g) return NULL;
    g->f = f;
    g->a = a;
    uint32_t ncalls = f->by_kind[N(CALL)].len, nfuncs = f->by_kind[N(FUNC)].len;
    FOR_KIND(f, N(CALL), call) {
        int op = lock_op(f, call);
        if (op == OP_LOCK || op == OP_RLOCK) {
            g->has_locks = 1;
            break;
        }
    }
    g->key_nb = 64;
    while (g->key_nb < ncalls / 8) g->key_nb *= 2;
    g->key_buckets = gl_malloc(a, g->key_nb * sizeof *g->key_buckets);
    g->sums = gl_calloc(a, ((size_t)nfuncs + 1) * sizeof *g->sums);
    g->may = gl_calloc(a, (size_t)nfuncs + 1);
    if (!g->key_buckets || !g->sums || !g->may) {
        lockgraph_free(g);
        return NULL;
    }
    memset(g->key_buckets, 0xff, g->key_nb * sizeof *g->key_buckets);
    /* the index is built when first needed: most files take no lock */
    if (g->has_locks && !lockgraph_types(g)) {
        lockgraph_free(g);
        return NULL;
    }
    return g;
}

void lockgraph_free(lockgraph *g) {
    if (!g) return;
    const goleak_allocator *a = g->a;
    typeindex_free(g->types);
    gl_free(a, g->keys.data);
    gl_free(a, g->key_buckets);
    gl_free(a, g->text.data);
    gl_free(a, g->sums);
    gl_free(a, g->back_ptr);
    gl_free(a, g->may);
    gl_free(a, g->entries.data);
    gl_free(a, g->log_first);
    gl_free(a, g->log_count);
    gl_free(a, g->log.data);
    gl_free(a, g->log_held.data);
    gl_free(a, g->log_deferred.data);
    gl_free(a, g);
}

static void free_shared(void *data) {
    lockgraph_free(data);
}

static void *build_shared(goleak_check *chk) {
    const facts *f = check_facts(chk);
    lockgraph *g = f ? lockgraph_build(f) : NULL;
    if (g && chk->pkg->n > 1) {
        g->chk = chk;
        g->file = (uint32_t)chk->pkg_index;
    }
    return g;
}

lockgraph *check_lockgraph(goleak_check *chk) {
    return check_shared(chk, SHARED_LOCKGRAPH, build_shared, free_shared);
}

const typeindex *lockgraph_types(lockgraph *g) {
    if (!g->types && !g->oom) {
        g->types = typeindex_build(g->f);
        if (!g->types) g->oom = 1;
    }
    return g->types;
}

int lockgraph_oom(const lockgraph *g) {
    return g->oom;
}

int lockgraph_has_locks(const lockgraph *g) {
    return g->has_locks;
}

/* ---- the walk ---- */

typedef struct hset {
    held_lock h[LG_MAX_HELD];
    uint32_t n;
    uint32_t d[LG_MAX_HELD]; /* locks a deferred call releases */
    uint32_t nd;
} hset;

typedef struct walker {
    lockgraph *g;
    const facts *f;
    goleak_check *chk; /* the package check, NULL: calls stay in the file */
    uint32_t fn;
    lg_visit visit;
    void *ud;
    int recurse; /* summaries being computed around this walk */
    int nest;
    int guard;     /* inside a branch under a lock-flag condition */
    int pguard;    /* of which conditions on a bool parameter (if !locked) */
    uint32_t gvar; /* the innermost such parameter, and its value in the branch */
    uint8_t gwhen;
    int inl;      /* closures being walked where they are called */
    uint32_t via; /* the call of a closure variable being walked, NONE32: what
                   * the closure takes is taken at that call */
    /* a registered callback literal being walked where its holder calls it:
     * its variable `alias` (the object it was registered on) stands for
     * tokens [alias_a, alias_b] of the call (NULL: none) */
    const var_fact *alias;
    uint32_t alias_a, alias_b;
    uint32_t alias_len;  /* the object is the chain alias.x.y of that many more names, */
    uint32_t alias_site; /* ... spelled at this token */
    uint32_t released[MAX_RELEASED];
    uint32_t nreleased; /* may exceed MAX_RELEASED: then the list is partial */
} walker;

static int h_find(const hset *H, uint32_t key) {
    for (uint32_t i = 0; i < H->n; i++)
        if (H->h[i].key == key) return (int)i;
    return -1;
}

static void h_add(hset *H, uint32_t key, uint32_t site, uint32_t origin, int mode) {
    if (h_find(H, key) >= 0 || H->n == LG_MAX_HELD) return;
    held_lock h = {key, site, origin, (uint8_t)mode};
    H->h[H->n++] = h;
}

static void h_remove(hset *H, uint32_t key) {
    int i = h_find(H, key);
    if (i < 0) return;
    memmove(&H->h[i], &H->h[i + 1], (H->n - (uint32_t)i - 1) * sizeof H->h[0]);
    H->n--;
}

static void d_add(hset *H, uint32_t key) {
    for (uint32_t i = 0; i < H->nd; i++)
        if (H->d[i] == key) return;
    if (H->nd < LG_MAX_HELD) H->d[H->nd++] = key;
}

/* The locks held on both paths; deferred releases of either. */
static void h_meet(hset *into, const hset *other) {
    uint32_t n = 0;
    for (uint32_t i = 0; i < into->n; i++)
        if (h_find(other, into->h[i].key) >= 0) into->h[n++] = into->h[i];
    into->n = n;
    for (uint32_t i = 0; i < other->nd; i++) d_add(into, other->d[i]);
}

static void emit(walker *w, lg_event *e, const hset *H) {
    e->held = H->h;
    e->nheld = H->n;
    e->deferred = H->d;
    e->ndeferred = H->nd;
    w->visit(w->ud, e);
}

static lg_event event(int kind, uint32_t at) {
    lg_event e;
    memset(&e, 0, sizeof e);
    e.kind = kind;
    e.node = at;
    e.key = e.origin = e.guard_var = e.origin_file = NONE32;
    return e;
}

static void release(walker *w, hset *H, uint32_t at, uint32_t key) {
    lg_event e = event(LG_RELEASE, at);
    e.key = key;
    e.was_held = h_find(H, key) >= 0;
    emit(w, &e, H);
    h_remove(H, key);
    if (w->nreleased < MAX_RELEASED) w->released[w->nreleased] = key;
    w->nreleased++;
}

/* An acquisition: guarded (and guard_var, the walked function's bool
 * parameter that decides, NONE32) come from a callee's summary, or from
 * the conditions around the walk's current point. */
static void acquire(walker *w, hset *H, uint32_t at, uint32_t key, uint32_t origin, int mode,
                    int depth, int guarded, uint32_t guard_var, int guard_when, uint32_t ofile,
                    uint32_t oline) {
    (void)H;
    lg_event e = event(LG_ACQUIRE, at);
    e.key = key;
    e.origin = origin;
    e.origin_file = ofile;
    e.origin_line = oline;
    e.mode = (uint8_t)mode;
    e.depth = (uint8_t)depth;
    if (w->via != NONE32) {
        e.node = w->via;
        e.depth = (uint8_t)(depth + 1);
    }
    e.guarded = (uint8_t)(guarded || w->guard > 0);
    if (guarded && w->guard == 0) {
        e.guard_var = guard_var;
        e.guard_when = (uint8_t)guard_when;
    } else if (!guarded && w->guard == 1 && w->pguard == 1) {
        e.guard_var = w->gvar;
        e.guard_when = w->gwhen;
    }
    emit(w, &e, H);
}

static void visit_nothing(void *ud, const lg_event *e) {
    (void)ud;
    (void)e;
}

static int walk_stmt(walker *w, uint32_t s, hset *H);
static void walk_expr(walker *w, uint32_t n, hset *H, int comm);
static void walk_func(walker *w);

/* ---- summaries ---- */

typedef struct sum_ctx {
    lockgraph *g;
    uint32_t fn; /* the function summarized */
    sum_entry e[MAX_SUMMARY];
    uint32_t n;
    uint32_t first_key[MAX_FIRST];
    uint8_t first_release[MAX_FIRST];
    uint32_t nfirst;
    uint32_t freed[MAX_FIRST]; /* locks released where the function did not hold them */
    uint32_t nfreed;
    held_lock exit[LG_MAX_HELD];
    uint32_t nexit;
    int exits;
} sum_ctx;

/* Whether the first operation of the function on key releases it (the
 * function is entered holding the lock); records the first operation. */
static int first_is_release(sum_ctx *s, uint32_t key, int release_now) {
    for (uint32_t i = 0; i < s->nfirst; i++)
        if (s->first_key[i] == key) return s->first_release[i];
    if (s->nfirst < MAX_FIRST) {
        s->first_key[s->nfirst] = key;
        s->first_release[s->nfirst++] = (uint8_t)release_now;
    }
    return release_now;
}

static void sum_add(sum_ctx *s, sum_entry e) {
    for (uint32_t i = 0; i < s->n; i++) {
        sum_entry *x = &s->e[i];
        if (x->what != e.what || x->key != e.key || x->mode != e.mode) continue;
        if (e.depth < x->depth) *x = e;
        return;
    }
    if (s->n < MAX_SUMMARY) s->e[s->n++] = e;
}

/* For the callers, a lock of a local of a known type (j.mu of j :=
 * s.get() *JS) is that type's lock, whatever object: a key of its own
 * ("@JS.mu", kept as is by map_key) whose class is the type's (JS.mu), so
 * that lock order compares it with the methods of JS. NONE32 when the
 * local's type is not known. */
static uint32_t local_class_key(lockgraph *g, uint32_t key) {
    uint32_t cls = lockgraph_key_class(g, key);
    if (cls == key || cls == NONE32 || g->keys.data[cls].root != ROOT_RECV) return NONE32;
    const key_info *c = &g->keys.data[cls];
    char buf[KEY_MAX];
    size_t n = c->shown < KEY_MAX - 2 ? c->shown : KEY_MAX - 2;
    buf[0] = '@';
    memcpy(buf + 1, g->text.data + c->text, n);
    uint32_t k = key_intern(g, buf, n + 1, ROOT_GLOBAL, NONE32, n + 1, 1);
    if (k != NONE32) g->keys.data[k].cls = cls;
    return k;
}

static void sum_visit(void *ud, const lg_event *e) {
    sum_ctx *s = ud;
    const key_info *k =
        e->kind == LG_ACQUIRE || e->kind == LG_RELEASE ? &s->g->keys.data[e->key] : NULL;
    switch (e->kind) {
    case LG_ACQUIRE: {
        if (e->depth + 1 > LG_MAX_DEPTH) return;
        if (k->root == ROOT_LOCAL) {
            /* a child's back-pointer to this method's receiver (w.hub.mu in a
             * method of the hub) is the receiver's lock for the callers */
            uint32_t alias = receiver_alias(s->g, e->key, s->fn);
            if (alias == NONE32) alias = local_class_key(s->g, e->key);
            if (alias == NONE32) return;
            lg_event a = *e;
            a.key = alias;
            for (uint32_t i = 0; i < e->nheld; i++)
                if (e->held[i].key == alias) return;
            sum_entry x = {a.key,     a.origin,     SE_ACQ,      a.mode,        a.depth,
                           a.guarded, a.guard_when, a.guard_var, a.origin_file, a.origin_line};
            sum_add(s, x);
            return;
        }
        int freed = 0;
        for (uint32_t i = 0; i < s->nfreed; i++) freed |= s->freed[i] == e->key;
        if (first_is_release(s, e->key, 0) || freed) {
            /* released and taken again for the caller, while it holds others */
            sum_entry x = {e->key,     e->origin,     SE_REACQ,     e->mode,        e->depth,
                           e->guarded, e->guard_when, e->guard_var, e->origin_file, e->origin_line};
            sum_add(s, x);
            return;
        }
        for (uint32_t i = 0; i < e->nheld; i++)
            if (e->held[i].key == e->key) return;
        sum_entry x = {e->key,     e->origin,     SE_ACQ,       e->mode,        e->depth,
                       e->guarded, e->guard_when, e->guard_var, e->origin_file, e->origin_line};
        sum_add(s, x);
        return;
    }
    case LG_RELEASE:
        if (!e->was_held && s->nfreed < MAX_FIRST) s->freed[s->nfreed++] = e->key;
        if (first_is_release(s, e->key, !e->was_held) && k->root != ROOT_LOCAL) {
            sum_entry x = {e->key, e->node, SE_RELEASES, 0, 0, 0, 0, NONE32, NONE32, 0};
            sum_add(s, x);
        }
        return;
    case LG_EXIT: {
        hset cur;
        cur.n = 0;
        cur.nd = 0;
        for (uint32_t i = 0; i < e->nheld; i++) {
            int deferred = 0;
            for (uint32_t j = 0; j < e->ndeferred; j++)
                if (e->deferred[j] == e->held[i].key) deferred = 1;
            if (!deferred) cur.h[cur.n++] = e->held[i];
        }
        if (!s->exits++) {
            memcpy(s->exit, cur.h, cur.n * sizeof cur.h[0]);
            s->nexit = cur.n;
            return;
        }
        uint32_t n = 0;
        for (uint32_t i = 0; i < s->nexit; i++)
            if (h_find(&cur, s->exit[i].key) >= 0) s->exit[n++] = s->exit[i];
        s->nexit = n;
        return;
    }
    default: return;
    }
}

/* The variable a call f() calls, when it is a local one. */
static const var_fact *called_var(const facts *f, uint32_t call) {
    const call_fact *c = call_of(f, call);
    if (!c || c->recv_first != NONE32 || c->name == NONE32 || c->name != f->nodes[call].first)
        return NULL;
    const var_fact *v = resolve(f, c->name);
    return v && v->func != NONE32 ? v : NULL;
}

/* Whether function fn may take or release a lock: a lock call in its text
 * (literals included), or a call of a function of the file that may, up to
 * LG_MAX_DEPTH calls down. Linear in the calls of the file: each FUNC's
 * answer is kept. A function with no lock is not walked at all. */
static int may_lock(lockgraph *g, uint32_t fn, int depth) {
    const facts *f = g->f;
    uint32_t k = NONE32;
    if (f->nodes[fn].kind == N(FUNC)) {
        k = kind_lower_bound(f, N(FUNC), f->nodes[fn].first);
        if (g->may[k] == 1 || g->may[k] == 2) return g->may[k] == 2;
        if (g->may[k] == 3) return 1; /* a cycle: assume it may */
    }
    if (depth > LG_MAX_DEPTH) return 1;
    const typeindex *types = lockgraph_types(g);
    if (!types) return 1;
    if (k != NONE32) g->may[k] = 3;
    int r = 0;
    uint32_t a = f->nodes[fn].first, b = f->nodes[fn].last;
    FOR_KIND_IN(f, N(CALL), call, a, b) {
        if (lock_op(f, call) != OP_NONE) {
            r = 1;
            break;
        }
    }
    if (!r) {
        FOR_KIND_IN(f, N(CALL), call, a, b) {
            uint32_t c = typeindex_callee(types, call), ra, rb, reg;
            /* callbacks: a field set to method values, an observer slice,
             * a literal registered on an object */
            if (c == NONE32) c = typeindex_field_callback(types, call, &ra, &rb);
            if (c == NONE32) c = typeindex_registered_callback(types, call, &ra, &rb);
            if (c != NONE32 && may_lock(g, f->by_kind[N(FUNC)].data[c], depth + 1)) {
                r = 1;
                break;
            }
            /* log.Printf("%v", p): p's String method */
            const call_fact *cf =
                c == NONE32 && typeindex_has_stringers(types) ? call_of(f, call) : NULL;
            for (uint32_t i = 0; cf && (cf->pkg == PKG_FMT || cf->pkg == PKG_LOG) && i < cf->nargs;
                 i++) {
                uint32_t arg = call_arg(f, call, i);
                if (arg == NONE32) break;
                uint32_t xa = f->nodes[arg].first, xb = f->nodes[arg].last;
                while (xa < xb && f->toks[xa].kind == T(AND)) xa++;
                if (!name_chain(f, xa, xb)) continue;
                tinfo t = typeindex_expr_type(types, xa, xb);
                uint32_t m = t.name != NONE32 ? typeindex_method(types, t.name, "String") : NONE32;
                if (m == NONE32 && t.name != NONE32) m = typeindex_method(types, t.name, "Error");
                if (m != NONE32 && may_lock(g, f->by_kind[N(FUNC)].data[m], depth + 1)) {
                    r = 1;
                    break;
                }
            }
            if (r) break;
            uint32_t lit =
                c == NONE32 ? typeindex_registered_literal(types, call, &reg, &ra, &rb) : NONE32;
            const var_fact *pv = c == NONE32 && lit == NONE32 ? called_var(f, call) : NULL;
            if (pv) lit = typeindex_param_literal(types, pv);
            if (lit != NONE32 && !node_within(f, call, lit) && may_lock(g, lit, depth + 1)) {
                r = 1;
                break;
            }
        }
    }
    if (k != NONE32) g->may[k] = (uint8_t)(r ? 2 : 1);
    return r;
}

/* The summary of the k-th FUNC of graph g, computed by a walk that follows
 * the package of chk (NULL: the file alone) inside recurse others. */
static const summary *summary_of(lockgraph *g, goleak_check *chk, int recurse, uint32_t k) {
    summary *s = &g->sums[k];
    if (s->state == 2) return s;
    if (s->state == 1 || recurse >= MAX_RECURSE) return NULL;
    if (!may_lock(g, g->f->by_kind[N(FUNC)].data[k], 0)) {
        s->state = 2;
        s->first = s->n = 0;
        return s;
    }
    s->state = 1;
    sum_ctx ctx;
    memset(&ctx, 0, sizeof ctx);
    ctx.g = g;
    ctx.fn = g->f->by_kind[N(FUNC)].data[k];
    walker sub;
    memset(&sub, 0, sizeof sub);
    sub.g = g;
    sub.f = g->f;
    sub.chk = chk;
    sub.fn = g->f->by_kind[N(FUNC)].data[k];
    sub.visit = sum_visit;
    sub.ud = &ctx;
    sub.recurse = recurse + 1;
    sub.via = NONE32;
    sub.gvar = NONE32;
    walk_func(&sub);
    for (uint32_t i = 0; i < ctx.nexit; i++) {
        const held_lock *h = &ctx.exit[i];
        if (g->keys.data[h->key].root == ROOT_LOCAL) continue;
        sum_entry x = {h->key, h->origin, SE_HOLDS, h->mode, 0, 0, 0, NONE32, NONE32, 0};
        sum_add(&ctx, x);
        /* released and taken again: no net release */
        for (uint32_t j = 0; j < ctx.n; j++)
            if (ctx.e[j].what == SE_RELEASES && ctx.e[j].key == h->key) ctx.e[j].what = SE_NONE;
    }
    s = &g->sums[k];
    s->first = g->entries.len;
    for (uint32_t i = 0; i < ctx.n; i++)
        if (ctx.e[i].what != SE_NONE && VEC_PUSH(g->a, &g->entries, ctx.e[i])) g->oom = 1;
    s->n = g->entries.len - s->first;
    s->state = 2;
    return s;
}

static const summary *get_summary(walker *w, uint32_t k) {
    return summary_of(w->g, w->chk, w->recurse, k);
}

/* ---- calls into the other files of the package ---- */

/* The graphs of the package's files that calls lead into, kept with the
 * package (their summaries serve every file that calls them). */
typedef struct pkg_graphs {
    const goleak_allocator *a;
    size_t n;
    lockgraph *g[];
} pkg_graphs;

static void pkg_graphs_free(void *data) {
    pkg_graphs *p = data;
    if (!p) return;
    for (size_t i = 0; i < p->n; i++) lockgraph_free(p->g[i]);
    gl_free(p->a, p);
}

static void *pkg_graphs_build(goleak_check *chk) {
    const goleak_allocator *a = chk->engine->alloc;
    pkg_graphs *p = gl_calloc(a, sizeof *p + chk->pkg->n * sizeof p->g[0]);
    if (!p) return NULL;
    p->a = a;
    p->n = chk->pkg->n;
    return p;
}

/* A function or method of another file that a call runs, with its
 * summary there. */
typedef struct foreign {
    const lockgraph *g; /* that file's graph */
    const summary *s;
    uint32_t fn; /* the callee's FUNC node in that file */
} foreign;

/* The name token of the type of a call's receiver, in *tf's tokens: a type
 * of the file, or for a chain x.f.g the declared type of x and then of
 * each field, wherever the package declares them (func (s *Store) where
 * Store is declared in another file, s.audit of a field *Audit). NONE32
 * when unknown. */
static uint32_t receiver_type(walker *w, const pkg_index *px, const call_fact *c,
                              const facts **tf) {
    const facts *f = w->f;
    uint32_t a = c->recv_first, b = c->recv_last;
    tinfo t = typeindex_expr_type(lockgraph_types(w->g), a, b);
    *tf = f;
    if (t.name != NONE32 || t.sync != SK_NONE) return t.name;
    if (!name_chain(f, a, b)) return NONE32;
    const var_fact *v = resolve(f, a);
    if (!v || v->type_first == NONE32) return NONE32;
    uint32_t type = type_name_tok(f, v->type_first, v->type_last);
    for (uint32_t sel = a + 2; sel <= b && type != NONE32; sel += 2) {
        uint32_t field = NONE32;
        FOR_PKG_DECL(px, PS_FIELD, f, sel, d) {
            const pkg_decl *p = pkg_decl_at(px, d);
            if (p->owner != NONE32 && tok_same_across(px->facts[p->file], p->owner, *tf, type)) {
                field = d;
                break;
            }
        }
        if (field == NONE32) return NONE32;
        const facts *h = pkg_decl_facts(px, field);
        const field_fact *ff = &h->fields.data[pkg_decl_at(px, field)->item];
        if (ff->type_first == NONE32) return NONE32;
        type = type_name_tok(h, ff->type_first, ff->type_last);
        *tf = h;
    }
    return type;
}

/* Whether call runs a function or method that another file of the package
 * declares, which takes or releases a lock: then *out is set. Nothing of
 * the package is built before a call needs it. */
static int foreign_callee(walker *w, uint32_t call, foreign *out) {
    const facts *f = w->f;
    goleak_check *chk = w->chk;
    const call_fact *c = call_of(f, call);
    if (!chk || !c || c->name == NONE32 || c->pkg != PKG_NONE) return 0;
    if (c->recv_first == NONE32 && (c->name != f->nodes[call].first || resolve(f, c->name)))
        return 0; /* a function value */
    const pkg_index *px = check_package_index(chk);
    pkg_graphs *p =
        px ? check_package_shared(chk, PKG_SHARED_LOCKGRAPHS, pkg_graphs_build, pkg_graphs_free)
           : NULL;
    if (!p) return 0; /* out of memory: the check fails */
    uint32_t type = NONE32;
    const facts *tf = f;
    if (c->recv_first != NONE32 && (type = receiver_type(w, px, c, &tf)) == NONE32) return 0;
    uint32_t d = pkg_callee(px, w->g->file, f, c->name, tf, type);
    if (d == NONE32) return 0;
    uint32_t file = pkg_decl_at(px, d)->file;
    if (!p->g[file]) {
        p->g[file] = lockgraph_build(px->facts[file]);
        if (!p->g[file]) {
            chk->oom = 1;
            return 0;
        }
        p->g[file]->file = file;
    }
    lockgraph *h = p->g[file];
    if (!h->has_locks) return 0;
    const facts *hf = h->f;
    uint32_t fn = pkg_decl_at(px, d)->item;
    uint32_t k = kind_lower_bound(hf, N(FUNC), hf->nodes[fn].first);
    if (k >= hf->by_kind[N(FUNC)].len || hf->by_kind[N(FUNC)].data[k] != fn) return 0;
    const summary *s = summary_of(h, chk, w->recurse, k);
    if (h->oom) chk->oom = 1;
    if (!s || s->n == 0) return 0;
    out->g = h;
    out->s = s;
    out->fn = fn;
    return 1;
}

const char *lockgraph_where(goleak_check *chk, uint32_t file, uint32_t line, char *buf,
                            size_t size) {
    const char *path = file < chk->pkg->n ? chk->pkg->units[file]->path : NULL;
    const char *base = path ? strrchr(path, '/') : NULL;
    snprintf(buf, size, "%s:%u", base ? base + 1 : path ? path : "?", (unsigned)line);
    return buf;
}

/* A callee takes a lock only when its bool parameter var is `when`: the
 * call's argument decides. Returns 0 when it says no (a literal of the
 * other value); else *guarded says whether it is still open, and *gvar is
 * the caller's own bool parameter passed on, if any. */
static int guard_by_argument(walker *w, uint32_t call, const facts *callee_f, uint32_t callee_fn,
                             uint32_t var, int when, int *guarded, uint32_t *gvar) {
    const facts *f = w->f;
    uint32_t pos = param_pos(callee_f, callee_fn, var);
    uint32_t arg = pos != NONE32 ? call_arg(f, call, pos) : NONE32;
    uint32_t t;
    *guarded = 1;
    *gvar = NONE32;
    if (arg == NONE32 || !expr_ident(f, arg, &t)) return 1;
    if (tok_is(f, t, "true") || tok_is(f, t, "false")) {
        if (tok_is(f, t, "true") != when) return 0;
        *guarded = 0;
        return 1;
    }
    const var_fact *v = resolve(f, t);
    if (v && (v->flags & VF_PARAM) && v->func == w->fn) *gvar = (uint32_t)(v - f->vars.data);
    return 1;
}

/* A callee's summary s in graph src (the walk's own, or another file's):
 * what the call at node call does. */
static void apply_summary(walker *w, uint32_t call, const lockgraph *src, const summary *s,
                          uint32_t callee_fn, uint32_t ra, uint32_t rb, hset *H) {
    lockgraph *g = w->g;
    if (!s || s->n == 0) return;
    sum_entry es[MAX_SUMMARY];
    uint32_t n = s->n < MAX_SUMMARY ? s->n : MAX_SUMMARY;
    memcpy(es, src->entries.data + s->first, n * sizeof es[0]);
    if (src != g) {
        /* the callee's Lock calls are in another file: named there by file
         * and line, here by the call */
        for (uint32_t i = 0; i < n; i++) {
            if (es[i].ofile == NONE32) {
                es[i].ofile = src->file;
                es[i].oline = tok_line(src->f, src->f->nodes[es[i].origin].first);
            }
            es[i].origin = call;
        }
    }
    /* in the callee's order: a lock of the caller it releases before it
     * takes another is not held while it takes that one (unlock A; lock B) */
    for (uint32_t i = 0; i < n; i++) {
        const sum_entry *e = &es[i];
        if (e->what == SE_RELEASES) {
            uint32_t key = map_key(g, src, e->key, call, callee_fn, ra, rb);
            if (key != NONE32) release(w, H, call, key);
            continue;
        }
        if ((e->what != SE_ACQ && e->what != SE_REACQ) || e->depth + 1 > LG_MAX_DEPTH) continue;
        uint32_t key = map_key(g, src, e->key, call, callee_fn, ra, rb);
        if (key == NONE32) continue;
        int guarded = e->guarded;
        uint32_t gvar = NONE32;
        if (guarded && e->guard_var != NONE32 &&
            !guard_by_argument(w, call, src->f, callee_fn, e->guard_var, e->guard_when, &guarded,
                               &gvar))
            continue; /* the argument says the callee does not take it */
        if (e->what == SE_REACQ) {
            /* released and taken again: by this function too, when the
             * lock is its caller's */
            int at = h_find(H, key);
            held_lock h = {key, call, e->origin, e->mode};
            if (at >= 0) h = H->h[at];
            release(w, H, call, key);
            acquire(w, H, call, key, e->origin, e->mode, e->depth + 1, guarded, gvar, e->guard_when,
                    e->ofile, e->oline);
            /* held after the call as before it; whether the callee returns
             * holding it is its SE_HOLDS */
            if (at >= 0) h_add(H, key, h.site, h.origin, h.mode);
            continue;
        }
        acquire(w, H, call, key, e->origin, e->mode, e->depth + 1, guarded, gvar, e->guard_when,
                e->ofile, e->oline);
    }
    for (uint32_t i = 0; i < n; i++) {
        const sum_entry *e = &es[i];
        if (e->what != SE_HOLDS) continue;
        uint32_t key = map_key(g, src, e->key, call, callee_fn, ra, rb);
        if (key != NONE32) h_add(H, key, call, e->origin, e->mode);
    }
}

/* ---- statements and expressions ---- */

/* Whether a call ends the goroutine or the process: panic, os.Exit,
 * runtime.Goexit, log.Fatal*, log.Panic*, t.Fatal* and t.Skip*. */
static int call_ends(const facts *f, uint32_t call) {
    const call_fact *c = call_of(f, call);
    if (!c || c->name == NONE32) return 0;
    if (call_ends_process(f, c) || call_is_pkg(f, c, PKG_RUNTIME, "Goexit")) return 1;
    if (c->pkg == PKG_LOG) return tok_has_prefix(f, c->name, "Panic");
    if (c->recv_first != NONE32)
        return tok_is(f, c->name, "Fatal") || tok_is(f, c->name, "Fatalf") ||
               tok_is(f, c->name, "FailNow") || tok_is(f, c->name, "Skip") ||
               tok_is(f, c->name, "Skipf") || tok_is(f, c->name, "SkipNow");
    return 0;
}

/* The function literal a call runs, when the callee is written in place:
 * func() { ... }(). */
static uint32_t callee_literal(const facts *f, uint32_t call) {
    uint32_t c = f->nodes[call].child;
    if (c == NONE32 || f->nodes[c].kind != N(FUNCLIT) || f->nodes[c].role != R(NONE)) return NONE32;
    return f->nodes[c].last + 1 == f->nodes[call].key ? c : NONE32;
}

int lockgraph_walked_alone(const facts *f, uint32_t fn) {
    if (f->nodes[fn].kind == N(FUNC)) return 1;
    uint32_t call = f->nodes[fn].parent;
    if (call == NONE32 || f->nodes[call].kind != N(CALL) || callee_literal(f, call) != fn) return 1;
    uint32_t p = f->nodes[call].parent;
    return p != NONE32 && (f->nodes[p].kind == N(GO) || f->nodes[p].kind == N(DEFER));
}

/* The lock key whose Unlock or RUnlock method value is expression e
 * (unlock := s.mu.Unlock), NONE32. */
static uint32_t unlock_method_value(lockgraph *g, uint32_t e) {
    const facts *f = g->f;
    uint32_t a = f->nodes[e].first, b = f->nodes[e].last;
    if (b < a + 2 || f->toks[b - 1].kind != T(PERIOD)) return NONE32;
    if (!tok_is(f, b, "Unlock") && !tok_is(f, b, "RUnlock")) return NONE32;
    return key_build(g, a, b - 2, "", 0, 1, 0);
}

/* Walks function literal lit where call runs it, with the locks held
 * there: what it leaves held or released is what the call does. */
static void walk_literal_here(walker *w, uint32_t call, uint32_t lit, hset *H) {
    const facts *f = w->f;
    uint32_t body = func_body(f, lit);
    if (body == NONE32 || node_within(f, call, lit)) return;
    hset C = *H;
    uint32_t via = w->via;
    if (via == NONE32) w->via = call;
    w->inl++;
    walk_stmt(w, body, &C);
    w->inl--;
    w->via = via;
    /* what the literal defers runs when it returns */
    for (uint32_t j = C.nd; j-- > 0;) {
        int outer = 0;
        for (uint32_t d = 0; d < H->nd; d++) outer |= H->d[d] == C.d[j];
        if (!outer) h_remove(&C, C.d[j]);
    }
    for (uint32_t j = 0; j < H->n;) {
        if (h_find(&C, H->h[j].key) < 0)
            release(w, H, call, H->h[j].key);
        else
            j++;
    }
    for (uint32_t j = 0; j < C.n; j++) h_add(H, C.h[j].key, call, C.h[j].origin, C.h[j].mode);
}

/* Calls a local variable holding a function literal or an unlock method
 * value: the literal is walked there, and what it leaves held or released
 * is what the call does. */
static int call_local_func(walker *w, uint32_t call, const var_fact *v, hset *H) {
    const facts *f = w->f;
    uint32_t values[4], n = 0;
    if (v->value != NONE32) values[n++] = v->value;
    /* a variable declared without a value gets it later (var unlock func();
     * unlock = mu.Unlock): its uses up to the call are read, once per call */
    uint32_t end = v->value == NONE32 ? f->nodes[call].first : v->name;
    for (uint32_t u = next_use(f, v, v->name, end); u != NONE32 && n < 4;
         u = next_use(f, v, u, end)) {
        if (f->toks[u + 1].kind != T(ASSIGN)) continue;
        FOR_KIND_IN(f, N(ASSIGN), as, u, u) {
            uint32_t rhs = nth_child_by_role(f, as, R(RHS), 0);
            if (rhs != NONE32 && n < 4) values[n++] = rhs;
        }
    }
    for (uint32_t i = n; i-- > 0;) {
        uint32_t key = unlock_method_value(w->g, values[i]);
        if (key != NONE32) {
            release(w, H, call, key);
            return 1;
        }
        uint32_t lit = expr_node(f, values[i]);
        if (lit == NONE32 || f->nodes[lit].kind != N(FUNCLIT) || w->inl >= 4) continue;
        walk_literal_here(w, call, lit, H);
        return 1;
    }
    return 0;
}

/* Whether key outer names inner or an object inner lies in (s for s.mu,
 * s.state for s.state.mu). */
static int key_covers(const lockgraph *g, uint32_t outer, uint32_t inner) {
    const key_info *o = &g->keys.data[outer], *i = &g->keys.data[inner];
    if (o->root != i->root || o->shown > i->shown) return 0;
    if ((o->root == ROOT_LOCAL || o->root == ROOT_PARAM) && o->var != i->var) return 0;
    const char *ot = g->text.data + o->text, *it = g->text.data + i->text;
    return memcmp(ot, it, o->shown) == 0 && (o->shown == i->shown || it[o->shown] == '.');
}

/* Drops the held locks that the expression e (an assignment's left-hand
 * side, an argument) covers. */
static void drop_covered(walker *w, uint32_t e, hset *H) {
    const facts *f = w->f;
    uint32_t a = f->nodes[e].first, b = f->nodes[e].last;
    while (a < b && f->toks[a].kind == T(AND)) a++;
    if (H->n == 0 || !name_chain(f, a, b)) return;
    uint32_t key = key_build(w->g, a, b, "", 0, 1, 0);
    if (key == NONE32) return;
    for (uint32_t i = 0; i < H->n;) {
        if (key_covers(w->g, key, H->h[i].key))
            release(w, H, e, H->h[i].key);
        else
            i++;
    }
}

/* A held lock, or the object it lies in, handed to a function the file
 * does not show (ctx.BlockOn(l, ...)) may be released there: it is no
 * longer counted as held. Calls of the standard packages that only read
 * or format their arguments keep it. */
static void drop_passed(walker *w, uint32_t call, hset *H) {
    const facts *f = w->f;
    const call_fact *c = call_of(f, call);
    if (H->n == 0 || !c || c->nargs == 0) return;
    static const int inert[] = {PKG_FMT,  PKG_LOG,  PKG_STRINGS, PKG_BYTES,
                                PKG_TIME, PKG_SYNC, PKG_CONTEXT};
    for (size_t i = 0; i < sizeof inert / sizeof *inert; i++)
        if (c->pkg == inert[i]) return;
    if (c->recv_first == NONE32 && c->pkg == PKG_NONE && c->name != NONE32 && !resolve(f, c->name))
        return; /* a builtin (len, append, delete) or a function of the package */
    for (uint32_t k = 0;; k++) {
        uint32_t arg = call_arg(f, call, k);
        if (arg == NONE32) break;
        drop_covered(w, arg, H);
    }
}

/* The verbs of a format string literal, one per operand, in order ('?'
 * past what can be read: a `*` width, an explicit [n] index); the count. */
static uint32_t format_verbs(const facts *f, uint32_t tok, char *verbs, uint32_t max) {
    const char *s = (const char *)f->src + f->toks[tok].off;
    uint32_t len = f->toks[tok].len, n = 0;
    for (uint32_t i = 1; i + 1 < len && n < max; i++) {
        if (s[i] != '%') continue;
        i++;
        while (i + 1 < len && strchr("+-# 0123456789.", s[i])) i++;
        if (i + 1 >= len) break;
        if (s[i] == '%') continue;
        if (s[i] == '*' || s[i] == '[') {
            while (n < max) verbs[n++] = '?';
            break;
        }
        verbs[n++] = s[i];
    }
    return n;
}

/* fmt's and log's printing functions call the String (or Error) method of
 * the values they format with %v, %s, %q, %x, %X or %w (Print, Println: all
 * of them): a method of the file runs here, with the caller's locks held
 * (log.Printf("%v", p) while holding p.mu, and String locks p.mu). */
static void format_methods(walker *w, uint32_t call, const call_fact *c, hset *H) {
    static const char *const printers[] = {"Print", "Sprint", "Fprint", "Errorf",
                                           "Fatal", "Panic",  "Append"};
    const facts *f = w->f;
    int printer = 0;
    for (size_t i = 0; i < sizeof printers / sizeof *printers; i++)
        printer |= tok_has_prefix(f, c->name, printers[i]);
    if (!printer) return;
    const token *nt = &f->toks[c->name];
    int formatted = f->src[nt->off + nt->len - 1] == 'f';
    uint32_t k = tok_has_prefix(f, c->name, "Fprint") || tok_has_prefix(f, c->name, "Append");
    char verbs[16];
    uint32_t nverbs = 0;
    if (formatted) {
        uint32_t fmt = call_arg(f, call, k++);
        if (fmt == NONE32) return;
        uint32_t t = f->nodes[fmt].first;
        if (t == f->nodes[fmt].last && f->toks[t].kind == T(STRING))
            nverbs = format_verbs(f, t, verbs, sizeof verbs);
        else
            formatted = 0; /* not a literal: any operand may be formatted with %v */
    }
    const typeindex *types = lockgraph_types(w->g);
    for (uint32_t i = 0;; i++, k++) {
        uint32_t arg = call_arg(f, call, k);
        if (arg == NONE32) break;
        if (formatted && (i >= nverbs || !strchr("vsqxXw?", verbs[i]))) continue;
        uint32_t a = f->nodes[arg].first, b = f->nodes[arg].last;
        while (a < b && f->toks[a].kind == T(AND)) a++;
        if (!name_chain(f, a, b)) continue;
        tinfo t = typeindex_expr_type(types, a, b);
        if (t.name == NONE32) continue;
        uint32_t m = typeindex_method(types, t.name, "Error");
        if (m == NONE32) m = typeindex_method(types, t.name, "String");
        if (m == NONE32) continue;
        apply_summary(w, call, w->g, get_summary(w, m), f->by_kind[N(FUNC)].data[m],
                      f->nodes[arg].first, f->nodes[arg].last, H);
    }
}

/* Lock call `call` takes (Lock, RLock) or releases (Unlock, RUnlock) key. */
static void lock_op_here(walker *w, hset *H, uint32_t call, uint32_t key, int op) {
    if (op == OP_LOCK || op == OP_RLOCK) {
        int mode = op == OP_LOCK ? LM_WRITE : LM_READ;
        acquire(w, H, call, key, call, mode, 0, 0, NONE32, 0, NONE32, 0);
        h_add(H, key, call, call, mode);
    } else {
        release(w, H, call, key);
    }
}

/* Whether the tokens from t spell the walker's alias chain (x.p of
 * x.p.get(k), spelled as at the call that handed the literal on). */
static int alias_chain_at(const facts *f, const walker *w, uint32_t t) {
    if (w->alias_len == 0) return 1;
    return toks_same(f, t, t + 2 * w->alias_len, w->alias_site, w->alias_site + 2 * w->alias_len);
}

uint32_t lockgraph_block_wrapper(const facts *f, uint32_t fn) {
    const var_fact *rv = f->nodes[fn].kind == N(FUNC) ? receiver_var(f, fn) : NULL;
    uint32_t body = rv ? func_body(f, fn) : NONE32;
    if (body == NONE32) return NONE32;
    for (uint32_t st = f->nodes[body].child; st != NONE32; st = f->nodes[st].next) {
        if (f->nodes[st].kind == N(SEND)) {
            uint32_t ch = child_by_role(f, st, R(CHAN));
            uint32_t a = ch != NONE32 ? f->nodes[ch].first : NONE32;
            if (a != NONE32 && f->nodes[ch].last > a && resolve(f, a) == rv &&
                name_chain(f, a, f->nodes[ch].last))
                return st;
            continue;
        }
        uint32_t c = f->nodes[st].kind == N(EXPRSTMT) ? expr_node(f, st) : NONE32;
        const call_fact *cf = c != NONE32 && f->nodes[c].kind == N(CALL) ? call_of(f, c) : NULL;
        if (cf && cf->recv_first != NONE32 && cf->recv_last > cf->recv_first && cf->nargs == 0 &&
            cf->name != NONE32 && tok_is(f, cf->name, "Wait") && resolve(f, cf->recv_first) == rv &&
            name_chain(f, cf->recv_first, cf->recv_last))
            return c;
    }
    return NONE32;
}

static void handle_call(walker *w, uint32_t call, hset *H) {
    const facts *f = w->f;
    lockgraph *g = w->g;
    const call_fact *c = call_of(f, call);
    if (!c) return;
    uint32_t k = typeindex_callee(lockgraph_types(g), call);
    int op = lock_op(f, call);
    /* in a registered callback: le.Checkpoint(...) on the object it was
     * registered on runs on the object that calls the callback */
    uint32_t past = c->recv_first + 2 * w->alias_len; /* the alias chain's last token */
    if (w->alias && c->recv_first != NONE32 && resolve(f, c->recv_first) == w->alias &&
        past <= c->recv_last && alias_chain_at(f, w, c->recv_first)) {
        if (op == OP_NONE && k != NONE32 && past == c->recv_last) {
            apply_summary(w, call, g, get_summary(w, k), f->by_kind[N(FUNC)].data[k], w->alias_a,
                          w->alias_b, H);
            return;
        }
        if (op != OP_NONE && f->nodes[f->nodes[call].parent].kind == N(EXPRSTMT)) {
            char extra[KEY_MAX];
            snippet(f, past + 1, c->recv_last, extra, sizeof extra);
            uint32_t key = c->recv_last > past
                               ? key_build(g, w->alias_a, w->alias_b, extra, strlen(extra), 1, 1)
                               : key_build(g, w->alias_a, w->alias_b, "", 0, 1, 1);
            if (key != NONE32) lock_op_here(w, H, call, key, op);
            return;
        }
    }
    /* sync's Lock and RLock return nothing: a Lock() whose result is used
     * is another kind of lock (a file lock returning an error) */
    uint32_t parent = f->nodes[call].parent;
    if ((op == OP_LOCK || op == OP_RLOCK) && f->nodes[parent].kind != N(EXPRSTMT)) op = OP_NONE;
    if (op != OP_NONE && k == NONE32) {
        uint32_t key = key_build(g, c->recv_first, c->recv_last, "", 0, 1, 0);
        if (key != NONE32) lock_op_here(w, H, call, key, op);
        return;
    }
    if (k != NONE32) {
        uint32_t callee_fn = f->by_kind[N(FUNC)].data[k];
        apply_summary(w, call, g, get_summary(w, k), callee_fn, NONE32, NONE32, H);
        /* p.StopAndWait() { p.wg.Wait() }: the call waits as the Wait does
         * (e.Emit(v) { e.ch <- v }: sends as the send does) */
        if (c->recv_first != NONE32 && lockgraph_block_wrapper(f, callee_fn) != NONE32) {
            lg_event e = event(LG_BLOCK, call);
            emit(w, &e, H);
        }
        return;
    }
    /* f.handlers.OnAdd(x): a function field the file only sets to a method
     * value of another object (OnAdd: nc.clusterAvailable) */
    uint32_t ra, rb;
    if (c->recv_first != NONE32 &&
        (k = typeindex_field_callback(lockgraph_types(g), call, &ra, &rb)) != NONE32) {
        apply_summary(w, call, g, get_summary(w, k), f->by_kind[N(FUNC)].data[k], ra, rb, H);
        return;
    }
    foreign fc;
    if (foreign_callee(w, call, &fc)) {
        apply_summary(w, call, fc.g, fc.s, fc.fn, NONE32, NONE32, H);
        return;
    }
    const var_fact *v = called_var(f, call);
    if (v && call_local_func(w, call, v, H)) return;
    /* fn() of a function parameter: the literal that the file's one call
     * of the function passes for it (s.RunWorker(func() { ... })) */
    uint32_t plit = v && w->inl < 4 ? typeindex_param_literal(lockgraph_types(g), v) : NONE32;
    if (plit != NONE32 && !node_within(f, call, plit)) {
        /* handed to a method (x.p.forAll(func(k) { x.p.get(k) })): in the
         * literal, the chain the method was called on is its receiver */
        uint32_t arg = f->nodes[plit].parent;
        const call_fact *site = arg != NONE32 ? call_of(f, f->nodes[arg].parent) : NULL;
        const var_fact *rv = receiver_var(f, v->func);
        if (!w->alias && site && rv && site->recv_first != NONE32 &&
            name_chain(f, site->recv_first, site->recv_last) && resolve(f, site->recv_first)) {
            w->alias = resolve(f, site->recv_first);
            w->alias_len = (site->recv_last - site->recv_first) / 2;
            w->alias_site = site->recv_first;
            w->alias_a = w->alias_b = rv->name;
            walk_literal_here(w, call, plit, H);
            w->alias = NULL;
            w->alias_len = 0;
            return;
        }
        walk_literal_here(w, call, plit, H);
        return;
    }
    /* for _, fn := range l.notifiers { fn(id) }: the registered method */
    if (v && (k = typeindex_registered_callback(lockgraph_types(g), call, &ra, &rb)) != NONE32) {
        apply_summary(w, call, g, get_summary(w, k), f->by_kind[N(FUNC)].data[k], ra, rb, H);
        return;
    }
    if ((c->pkg == PKG_FMT || c->pkg == PKG_LOG) && c->name != NONE32 && c->nargs > 0 &&
        typeindex_has_stringers(lockgraph_types(g)))
        format_methods(w, call, c, H);
    /* le.cp(...) or o(...) of a callback literal registered on an object
     * (le.SetCheckpointer(func(...) { le.Checkpoint(...) })): walked here */
    uint32_t reg = NONE32, oa, ob;
    uint32_t lit = w->inl < 4 && !w->alias
                       ? typeindex_registered_literal(lockgraph_types(g), call, &reg, &oa, &ob)
                       : NONE32;
    if (lit != NONE32 && !node_within(f, call, lit)) {
        w->alias = resolve(f, reg);
        w->alias_a = oa;
        w->alias_b = ob;
        if (w->alias) walk_literal_here(w, call, lit, H);
        w->alias = NULL;
        return;
    }
    drop_passed(w, call, H);
    if (c->recv_first != NONE32 && c->nargs == 0 && tok_is(f, c->name, "Wait")) {
        lg_event e = event(LG_BLOCK, call);
        emit(w, &e, H);
    }
}

/* Whether call runs the function literals it is given before it returns,
 * in the caller's goroutine (sort.Slice's less, strings.Map's mapping,
 * filepath.Walk's walker): they run with the caller's locks held. */
static int runs_callbacks_in_place(const facts *f, uint32_t call) {
    static const char *const sorts[] = {"Slice", "SliceStable", "Search"};
    static const char *const slices[] = {"SortFunc",     "SortStableFunc", "IndexFunc",
                                         "ContainsFunc", "DeleteFunc",     "BinarySearchFunc"};
    static const char *const strs[] = {"Map",      "FieldsFunc",   "IndexFunc",    "LastIndexFunc",
                                       "TrimFunc", "TrimLeftFunc", "TrimRightFunc"};
    static const char *const walks[] = {"Walk", "WalkDir"};
    const call_fact *c = call_of(f, call);
    if (!c || c->name == NONE32) return 0;
    const char *const *names = NULL;
    size_t n = 0;
    if (c->pkg == PKG_SORT) names = sorts, n = sizeof sorts / sizeof *sorts;
    if (c->pkg == PKG_SLICES) names = slices, n = sizeof slices / sizeof *slices;
    if (c->pkg == PKG_STRINGS || c->pkg == PKG_BYTES) names = strs, n = sizeof strs / sizeof *strs;
    if (c->pkg == PKG_FILEPATH) names = walks, n = sizeof walks / sizeof *walks;
    for (size_t k = 0; k < n; k++)
        if (tok_is(f, c->name, names[k])) return 1;
    return 0;
}

static void walk_expr(walker *w, uint32_t n, hset *H, int comm) {
    const facts *f = w->f;
    const node *x = &f->nodes[n];
    if (x->kind == N(FUNCLIT) || w->nest >= MAX_NEST) return;
    w->nest++;
    uint32_t lit = x->kind == N(CALL) ? callee_literal(f, n) : NONE32;
    for (uint32_t c = x->child; c != NONE32; c = f->nodes[c].next)
        if (c != lit) walk_expr(w, c, H, comm);
    if (x->kind == N(CALL)) {
        if (lit != NONE32) {
            /* func() { ... }() runs here, with the locks held here */
            uint32_t body = func_body(f, lit);
            if (body != NONE32 && w->inl < 4) {
                hset C = *H;
                w->inl++;
                walk_stmt(w, body, &C);
                w->inl--;
            }
        } else {
            handle_call(w, n, H);
            /* sort.Slice(xs, func(i, j int) bool { ... }): the literal runs here */
            if (w->inl < 4 && runs_callbacks_in_place(f, n)) {
                for (uint32_t a = x->child; a != NONE32; a = f->nodes[a].next) {
                    uint32_t e = f->nodes[a].role == R(ARG) ? expr_node(f, a) : NONE32;
                    uint32_t body =
                        e != NONE32 && f->nodes[e].kind == N(FUNCLIT) ? func_body(f, e) : NONE32;
                    if (body == NONE32) continue;
                    hset C = *H;
                    w->inl++;
                    walk_stmt(w, body, &C);
                    w->inl--;
                }
            }
        }
    } else if (x->kind == N(RECV) && !comm) {
        lg_event e = event(LG_BLOCK, n);
        emit(w, &e, H);
    }
    w->nest--;
}

/* Whether a condition tests a lock flag: if locked, if !needLock, if
 * s.held, or a bool parameter of the function (if lock). */
static int lock_flag_cond(walker *w, uint32_t cond) {
    const facts *f = w->f;
    uint32_t a = f->nodes[cond].first, b = f->nodes[cond].last;
    while (a < b && (f->toks[a].kind == T(NOT) || f->toks[a].kind == T(LPAREN))) a++;
    while (b > a && f->toks[b].kind == T(RPAREN)) b--;
    if (!name_chain(f, a, b)) return 0;
    const token *t = &f->toks[b];
    const char *s = (const char *)f->src + t->off;
    for (uint32_t i = 0; i + 4 <= t->len; i++) {
        if ((s[i] | 0x20) == 'l' && memcmp(s + i + 1, "ock", 3) == 0) return 1;
        if ((s[i] | 0x20) == 'h' && memcmp(s + i + 1, "eld", 3) == 0) return 1;
    }
    if (a != b) return 0;
    const var_fact *v = resolve(f, a);
    return v && (v->flags & VF_PARAM) && v->func == w->fn && v->type_first == v->type_last &&
           v->type_first != NONE32 && tok_is(f, v->type_first, "bool");
}

/* The bool parameter of the walked function that a condition is, alone or
 * negated (if locked, if !hasLock); NONE32. */
static uint32_t bool_param_cond(walker *w, uint32_t cond, int *neg) {
    const facts *f = w->f;
    uint32_t a = f->nodes[cond].first, b = f->nodes[cond].last;
    *neg = 0;
    while (a < b && (f->toks[a].kind == T(NOT) || f->toks[a].kind == T(LPAREN))) {
        if (f->toks[a].kind == T(NOT)) *neg = !*neg;
        a++;
    }
    while (b > a && f->toks[b].kind == T(RPAREN)) b--;
    if (a != b || f->toks[a].kind != T(IDENT)) return NONE32;
    const var_fact *v = resolve(f, a);
    if (!v || !(v->flags & VF_PARAM) || v->func != w->fn || v->type_first == NONE32 ||
        v->type_first != v->type_last || !tok_is(f, v->type_first, "bool"))
        return NONE32;
    return (uint32_t)(v - f->vars.data);
}

static void walk_defer(walker *w, uint32_t s, hset *H) {
    const facts *f = w->f;
    lockgraph *g = w->g;
    uint32_t call = f->nodes[s].child;
    if (call == NONE32 || f->nodes[call].kind != N(CALL)) return;
    const call_fact *c = call_of(f, call);
    uint32_t lit = callee_literal(f, call);
    if (lit != NONE32) {
        /* defer func() { ...; mu.Unlock() }() */
        FOR_KIND_IN(f, N(CALL), u, f->nodes[lit].first, f->nodes[lit].last) {
            if (!is_unlock(lock_op(f, u)) || enclosing_func(f, u) != lit) continue;
            const call_fact *uc = call_of(f, u);
            uint32_t key = key_build(g, uc->recv_first, uc->recv_last, "", 0, 1, 0);
            if (key != NONE32) d_add(H, key);
        }
        return;
    }
    if (!c) return;
    uint32_t k = typeindex_callee(lockgraph_types(g), call);
    if (k == NONE32 && is_unlock(lock_op(f, call))) {
        uint32_t key = key_build(g, c->recv_first, c->recv_last, "", 0, 1, 0);
        if (key != NONE32) d_add(H, key);
        return;
    }
    if (k != NONE32 && H->nd > 0) {
        /* deferred calls run last in, first out: this one runs before the
         * deferred releases registered already, while their locks are
         * still held (defer mu.Unlock(); defer s.report() that locks mu) */
        hset C;
        C.n = C.nd = 0;
        for (uint32_t i = 0; i < H->n; i++)
            for (uint32_t j = 0; j < H->nd; j++)
                if (H->h[i].key == H->d[j]) C.h[C.n++] = H->h[i];
        if (C.n > 0) handle_call(w, call, &C);
    }
    if (k != NONE32) {
        const summary *sm = get_summary(w, k);
        if (!sm) return;
        uint32_t callee_fn = f->by_kind[N(FUNC)].data[k];
        for (uint32_t i = 0; i < sm->n; i++) {
            const sum_entry e = g->entries.data[sm->first + i];
            if (e.what != SE_RELEASES) continue;
            uint32_t key = map_key(g, g, e.key, call, callee_fn, NONE32, NONE32);
            if (key != NONE32) d_add(H, key);
        }
        return;
    }
    foreign fc;
    if (foreign_callee(w, call, &fc)) {
        /* defer s.unlockAll() of another file of the package */
        for (uint32_t i = 0; i < fc.s->n; i++) {
            const sum_entry e = fc.g->entries.data[fc.s->first + i];
            if (e.what != SE_RELEASES) continue;
            uint32_t key = map_key(g, fc.g, e.key, call, fc.fn, NONE32, NONE32);
            if (key != NONE32) d_add(H, key);
        }
        return;
    }
    const var_fact *v = called_var(f, call);
    if (v) {
        /* defer unlock(): what the call would release, released at return */
        hset C = *H;
        lg_visit visit = w->visit;
        w->visit = visit_nothing;
        if (call_local_func(w, call, v, &C))
            for (uint32_t i = 0; i < H->n; i++)
                if (h_find(&C, H->h[i].key) < 0) d_add(H, H->h[i].key);
        w->visit = visit;
    }
}

/* A go statement runs its function in another goroutine: nothing of it
 * happens here, except that a held lock the goroutine unlocks is handed to
 * it (m.Lock(); go func() { ...; m.Unlock() }(); m.Lock() waits for it). */
static void walk_go(walker *w, uint32_t s, hset *H) {
    const facts *f = w->f;
    lockgraph *g = w->g;
    uint32_t call = f->nodes[s].child;
    if (H->n == 0 || call == NONE32 || f->nodes[call].kind != N(CALL)) return;
    uint32_t lit = callee_literal(f, call);
    if (lit != NONE32) {
        FOR_KIND_IN(f, N(CALL), u, f->nodes[lit].first, f->nodes[lit].last) {
            if (!is_unlock(lock_op(f, u))) continue;
            const call_fact *uc = call_of(f, u);
            uint32_t key = key_build(g, uc->recv_first, uc->recv_last, "", 0, 1, 0);
            if (key != NONE32 && h_find(H, key) >= 0) release(w, H, u, key);
        }
        return;
    }
    uint32_t k = typeindex_callee(lockgraph_types(g), call);
    foreign fc = {g, NULL, NONE32};
    if (k != NONE32) {
        fc.s = get_summary(w, k);
        fc.fn = f->by_kind[N(FUNC)].data[k];
    } else if (!foreign_callee(w, call, &fc)) {
        return;
    }
    const summary *sm = fc.s;
    if (!sm) return;
    for (uint32_t i = 0; i < sm->n; i++) {
        const sum_entry e = fc.g->entries.data[sm->first + i];
        if (e.what != SE_RELEASES) continue;
        uint32_t key = map_key(g, fc.g, e.key, call, fc.fn, NONE32, NONE32);
        if (key != NONE32 && h_find(H, key) >= 0) release(w, H, call, key);
    }
}

static int walk_list(walker *w, uint32_t first, hset *H) {
    const facts *f = w->f;
    for (uint32_t s = first; s != NONE32; s = f->nodes[s].next) {
        if (f->nodes[s].role != R(NONE)) continue;
        if (!walk_stmt(w, s, H)) return 0;
    }
    return 1;
}

static int walk_if(walker *w, uint32_t s, hset *H) {
    const facts *f = w->f;
    uint32_t init = child_by_role(f, s, R(INIT)), cond = child_by_role(f, s, R(COND));
    uint32_t body = child_by_role(f, s, R(BODY)), els = child_by_role(f, s, R(ELSE));
    if (init != NONE32) walk_stmt(w, init, H);
    if (cond != NONE32) walk_expr(w, cond, H, 0);
    if (init == NONE32 && cond != NONE32 && f->nodes[cond].first == f->nodes[cond].last) {
        uint32_t c = f->nodes[cond].first;
        if (tok_is(f, c, "false")) return els != NONE32 ? walk_stmt(w, els, H) : 1;
        if (tok_is(f, c, "true")) return body != NONE32 ? walk_stmt(w, body, H) : 1;
    }
    int flag = cond != NONE32 && lock_flag_cond(w, cond);
    int neg = 0;
    uint32_t pvar = flag ? bool_param_cond(w, cond, &neg) : NONE32;
    uint32_t gvar = w->gvar;
    uint8_t gwhen = w->gwhen;
    w->guard += flag;
    w->pguard += pvar != NONE32;
    if (pvar != NONE32) w->gvar = pvar, w->gwhen = (uint8_t)!neg;
    hset a = *H, b = *H;
    int fa = body != NONE32 ? walk_stmt(w, body, &a) : 1;
    if (pvar != NONE32) w->gwhen = (uint8_t)neg;
    int fb = els != NONE32 ? walk_stmt(w, els, &b) : 1;
    w->guard -= flag;
    w->pguard -= pvar != NONE32;
    w->gvar = gvar;
    w->gwhen = gwhen;
    if (fa && fb) {
        h_meet(&a, &b);
        *H = a;
    } else if (fa) {
        *H = a;
    } else if (fb) {
        *H = b;
    } else {
        return 0;
    }
    return 1;
}

/* After a loop: the locks held before it and at the end of its body, less
 * any released in it (a break may leave after the release). */
static int walk_loop(walker *w, uint32_t s, hset *H) {
    const facts *f = w->f;
    uint32_t body = child_by_role(f, s, R(BODY));
    if (f->nodes[s].kind == N(FOR)) {
        uint32_t init = child_by_role(f, s, R(INIT)), cond = child_by_role(f, s, R(COND));
        if (init != NONE32) walk_stmt(w, init, H);
        if (cond != NONE32) walk_expr(w, cond, H, 0);
    } else {
        uint32_t x = child_by_role(f, s, R(X));
        if (x != NONE32) walk_expr(w, x, H, 0);
        lg_event e = event(LG_BLOCK, s);
        emit(w, &e, H); /* a range over a channel waits for it */
    }
    uint32_t mark = w->nreleased;
    hset B = *H;
    int fb = body != NONE32 ? walk_stmt(w, body, &B) : 1;
    uint32_t post = f->nodes[s].kind == N(FOR) ? child_by_role(f, s, R(POST)) : NONE32;
    if (fb && post != NONE32) walk_stmt(w, post, &B);
    if (fb) h_meet(H, &B);
    if (w->nreleased > MAX_RELEASED) {
        H->n = 0;
    } else {
        for (uint32_t i = mark; i < w->nreleased; i++) h_remove(H, w->released[i]);
    }
    return 1;
}

static int walk_cases(walker *w, uint32_t s, hset *H) {
    const facts *f = w->f;
    int is_select = f->nodes[s].kind == N(SELECT);
    uint32_t init = child_by_role(f, s, R(INIT)), tag = child_by_role(f, s, R(TAG));
    if (init != NONE32) walk_stmt(w, init, H);
    if (tag != NONE32) walk_expr(w, tag, H, 0);
    int has_default = 0;
    for (uint32_t c = f->nodes[s].child; c != NONE32; c = f->nodes[c].next)
        if ((f->nodes[c].kind == N(CASE) || f->nodes[c].kind == N(COMM)) &&
            (f->nodes[c].flags & GOLEAK_NODE_FLAG_DEFAULT))
            has_default = 1;
    if (is_select && !has_default) {
        lg_event e = event(LG_BLOCK, s);
        emit(w, &e, H);
    }
    hset out;
    int any = 0;
    for (uint32_t c = f->nodes[s].child; c != NONE32; c = f->nodes[c].next) {
        int ck = f->nodes[c].kind;
        if (ck != N(CASE) && ck != N(COMM)) continue;
        hset C = *H;
        for (uint32_t x = f->nodes[c].child; x != NONE32; x = f->nodes[x].next) {
            int role = f->nodes[x].role;
            if (role == R(CASE)) walk_expr(w, x, &C, 0);
            if (role == R(COMM)) walk_expr(w, x, &C, 1); /* the select waits for it */
        }
        if (!walk_list(w, f->nodes[c].child, &C)) continue;
        if (!any)
            out = C;
        else
            h_meet(&out, &C);
        any = 1;
    }
    if (!is_select && !has_default) {
        if (!any)
            out = *H;
        else
            h_meet(&out, H);
        any = 1;
    }
    if (!any) return 0;
    *H = out;
    return 1;
}

static int walk_stmt(walker *w, uint32_t s, hset *H) {
    const facts *f = w->f;
    const node *x = &f->nodes[s];
    if (w->nest >= MAX_NEST) return 1;
    w->nest++;
    int r = 1;
    switch (x->kind) {
    case N(BLOCK): r = walk_list(w, x->child, H); break;
    case N(LABELED): r = x->child != NONE32 ? walk_stmt(w, x->child, H) : 1; break;
    case N(EXPRSTMT): {
        walk_expr(w, s, H, 0);
        uint32_t c = expr_node(f, s);
        if (c != NONE32 && f->nodes[c].kind == N(CALL) && call_ends(f, c)) r = 0;
        break;
    }
    case N(SEND): {
        walk_expr(w, s, H, x->role == R(COMM));
        if (x->role != R(COMM)) {
            lg_event e = event(LG_BLOCK, s);
            emit(w, &e, H);
        }
        break;
    }
    case N(GO): walk_go(w, s, H); break;
    case N(ASSIGN):
        walk_expr(w, s, H, 0);
        /* s = other: the locks of the old object are not the new one's */
        for (uint32_t c = x->child; c != NONE32; c = f->nodes[c].next)
            if (f->nodes[c].role == R(LHS)) drop_covered(w, c, H);
        break;
    case N(DEFER): walk_defer(w, s, H); break;
    case N(RETURN):
        walk_expr(w, s, H, 0);
        if (!w->inl) {
            lg_event e = event(LG_EXIT, s);
            emit(w, &e, H);
        }
        r = 0;
        break;
    case N(BRANCH):
        /* a break goes on after its statement: counted as falling through,
         * which keeps fewer locks held; continue and goto end the path */
        r = f->toks[x->first].kind == T(BREAK);
        break;
    case N(IF): r = walk_if(w, s, H); break;
    case N(FOR):
    case N(RANGE): r = walk_loop(w, s, H); break;
    case N(SWITCH):
    case N(TYPESWITCH):
    case N(SELECT): r = walk_cases(w, s, H); break;
    default: walk_expr(w, s, H, 0); break;
    }
    w->nest--;
    return r;
}

static void walk_func(walker *w) {
    uint32_t body = func_body(w->f, w->fn);
    if (body == NONE32) return;
    hset H;
    H.n = 0;
    H.nd = 0;
    if (walk_stmt(w, body, &H)) {
        lg_event e = event(LG_EXIT, w->fn);
        emit(w, &e, &H);
    }
}

/* ---- walk logs ---- */

/* One walk's events while it runs: a visit may walk another function (a
 * rule following a call), so each walk keeps its own until it is done. */
typedef struct recording {
    const goleak_allocator *a;
    lg_visit visit;
    void *ud;
    int oom;
    struct {
        logged_event *data;
        uint32_t len, cap;
    } ev;
    struct {
        held_lock *data;
        uint32_t len, cap;
    } held;
    struct {
        uint32_t *data;
        uint32_t len, cap;
    } deferred;
} recording;

static int append_n(const goleak_allocator *a, void **data, uint32_t *len, uint32_t *cap,
                    size_t elem, const void *src, uint32_t n) {
    if (n == 0) return 0;
    if (vec_reserve(a, data, cap, elem, (size_t)*len + n)) return -1;
    memcpy((char *)*data + (size_t)*len * elem, src, (size_t)n * elem);
    *len += n;
    return 0;
}

static void record_visit(void *ud, const lg_event *e) {
    recording *r = ud;
    logged_event le = {*e, r->held.len, r->deferred.len};
    le.e.held = NULL;
    le.e.deferred = NULL;
    if (VEC_PUSH(r->a, &r->ev, le) ||
        append_n(r->a, (void **)&r->held.data, &r->held.len, &r->held.cap, sizeof(held_lock),
                 e->held, e->nheld) ||
        append_n(r->a, (void **)&r->deferred.data, &r->deferred.len, &r->deferred.cap,
                 sizeof(uint32_t), e->deferred, e->ndeferred))
        r->oom = 1;
    if (r->visit) r->visit(r->ud, e);
}

/* Keeps a finished walk's events as fn's log; out of memory, the graph is
 * marked (the check fails, as for any allocation of the graph). */
static void log_commit(lockgraph *g, uint32_t fn, const recording *r) {
    const goleak_allocator *a = g->a;
    if (r->oom) {
        g->oom = 1;
        return;
    }
    if (!g->log_first) {
        size_t nn = (size_t)g->f->u->nodes.len + 1;
        g->log_first = gl_malloc(a, nn * sizeof *g->log_first);
        g->log_count = gl_malloc(a, nn * sizeof *g->log_count);
        if (!g->log_first || !g->log_count) {
            gl_free(a, g->log_first);
            gl_free(a, g->log_count);
            g->log_first = g->log_count = NULL;
            g->oom = 1;
            return;
        }
        memset(g->log_first, 0xff, nn * sizeof *g->log_first);
    }
    uint32_t first = g->log.len, held0 = g->log_held.len, def0 = g->log_deferred.len;
    if (vec_reserve(a, (void **)&g->log.data, &g->log.cap, sizeof *g->log.data,
                    (size_t)first + r->ev.len) ||
        append_n(a, (void **)&g->log_held.data, &g->log_held.len, &g->log_held.cap,
                 sizeof(held_lock), r->held.data, r->held.len) ||
        append_n(a, (void **)&g->log_deferred.data, &g->log_deferred.len, &g->log_deferred.cap,
                 sizeof(uint32_t), r->deferred.data, r->deferred.len)) {
        g->oom = 1;
        return;
    }
    for (uint32_t k = 0; k < r->ev.len; k++) {
        logged_event le = r->ev.data[k];
        le.held_at += held0;
        le.deferred_at += def0;
        g->log.data[g->log.len++] = le;
    }
    g->log_first[fn] = first;
    g->log_count[fn] = r->ev.len;
}

/* Visits fn's logged events in order. Each is copied out first: a visit
 * that walks another function may grow the log. */
static void log_replay(lockgraph *g, uint32_t fn, lg_visit visit, void *ud) {
    for (uint32_t k = 0, n = g->log_count[fn]; k < n; k++) {
        logged_event le = g->log.data[g->log_first[fn] + k];
        held_lock held[LG_MAX_HELD];
        uint32_t deferred[LG_MAX_HELD];
        /* an empty log has no arrays at all: copy only what there is */
        if (le.e.nheld) memcpy(held, g->log_held.data + le.held_at, le.e.nheld * sizeof *held);
        if (le.e.ndeferred)
            memcpy(deferred, g->log_deferred.data + le.deferred_at,
                   le.e.ndeferred * sizeof *deferred);
        le.e.held = held;
        le.e.deferred = deferred;
        if (visit) visit(ud, &le.e);
    }
}

void lockgraph_walk(lockgraph *g, uint32_t fn, lg_visit visit, void *ud) {
    if (!g->has_locks || !may_lock(g, fn, 0)) return;
    if (g->log_first && g->log_first[fn] != NONE32) {
        log_replay(g, fn, visit, ud);
        return;
    }
    recording r;
    memset(&r, 0, sizeof r);
    r.a = g->a;
    r.visit = visit;
    r.ud = ud;
    walker w;
    memset(&w, 0, sizeof w);
    w.g = g;
    w.f = g->f;
    w.chk = g->chk;
    w.fn = fn;
    w.via = NONE32;
    w.gvar = NONE32;
    w.visit = record_visit;
    w.ud = &r;
    walk_func(&w);
    log_commit(g, fn, &r);
    gl_free(g->a, r.ev.data);
    gl_free(g->a, r.held.data);
    gl_free(g->a, r.deferred.data);
}
