/* The per-check index of pack rules: see file_index.h. */
#include "file_index.h"

#include <string.h>

/* main_funcs bits */
enum { MAIN_LIFETIME = 1, MAIN_ONCE = 2 };

void import_default_name(const char *path, size_t len, const char **name, size_t *name_len) {
    size_t end = len, s;
    for (;;) {
        s = end;
        while (s > 0 && path[s - 1] != '/') s--;
        /* a major version element (v2, v10) names no package */
        int version = end - s >= 2 && path[s] == 'v' && s > 0;
        for (size_t k = s + 1; version && k < end; k++)
            if (path[k] < '0' || path[k] > '9') version = 0;
        if (!version) break;
        end = s - 1;
    }
    /* gopkg.in/yaml.v3 */
    size_t e = end;
    for (size_t k = s; k < end; k++)
        if (path[k] == '.' && k + 2 <= end && path[k + 1] == 'v') e = k;
    *name = path + s;
    *name_len = e - s;
}

static int add_imports(file_index *x) {
    uint32_t n = host_kind_count(x->f, GOLEAK_NODE_IMPORT);
    if (!n) return 0;
    x->imports = gl_calloc(x->alloc, n * sizeof *x->imports);
    if (!x->imports) return -1;
    for (uint32_t k = 0; k < n; k++) {
        const node *imp = &x->nodes[host_kind_at(x->f, GOLEAK_NODE_IMPORT, k)];
        if (imp->key == NONE32) continue;
        const token *pt = &x->toks[imp->key];
        if (pt->len < 2) continue;
        file_import fi;
        fi.path = (const char *)x->src + pt->off + 1;
        fi.path_len = pt->len - 2;
        if (imp->first != imp->key) {
            const token *a = &x->toks[imp->first];
            if (a->kind == GOLEAK_TOKEN_PERIOD) {
                fi.name = NULL;
                fi.name_len = 0;
            } else {
                if (a->len == 1 && x->src[a->off] == '_') continue;
                fi.name = (const char *)x->src + a->off;
                fi.name_len = a->len;
            }
        } else {
            size_t nl;
            import_default_name(fi.path, fi.path_len, &fi.name, &nl);
            fi.name_len = (uint32_t)nl;
        }
        x->imports[x->nimports++] = fi;
    }
    return 0;
}

static void index_free(void *p) {
    file_index *x = p;
    if (!x) return;
    gl_free(x->alloc, x->imports);
    gl_free(x->alloc, x->main_funcs);
    gl_free(x->alloc, x->field_values);
    gl_free(x->alloc, x);
}

static void *index_build(goleak_check *chk) {
    const host_file *f = host_open(chk);
    if (!f) return NULL;
    const goleak_allocator *a = chk->engine->alloc;
    file_index *x = gl_calloc(a, sizeof *x);
    if (!x) return NULL;
    x->alloc = a;
    x->f = f;
    x->u = host_unit(f);
    x->toks = x->u->toks.data;
    x->nodes = x->u->nodes.data;
    x->src = x->u->src;
    x->ntoks = x->u->toks.len;
    if (x->u == chk->unit) x->ident_presence = check_ident_presence(chk);
    if (add_imports(x)) {
        index_free(x);
        return NULL;
    }
    return x;
}

/* The index belongs to one check on one thread: filling it lazily through
 * a const pointer is safe (as facts do with their lookup cache). */
void fx_build_idbits(const file_index *cx) {
    file_index *x = (file_index *)cx;
    for (uint32_t i = 0; i < x->ntoks; i++) {
        uint16_t h = x->toks[i].hash; /* 0 for tokens other than identifiers */
        x->idbits[(h & (IDBITS - 1)) >> 6] |= (uint64_t)1 << (h & 63);
    }
    x->idbits_done = 1;
}

const file_index *file_index_of(goleak_check *chk) {
    return check_shared(chk, SHARED_PACKS, index_build, index_free);
}

const file_import *fx_import(const file_index *x, const char *path, size_t len) {
    for (uint32_t k = 0; k < x->nimports; k++)
        if (x->imports[k].path_len == len && memcmp(x->imports[k].path, path, len) == 0)
            return &x->imports[k];
    return NULL;
}

uint32_t fx_node_at(const file_index *x, uint32_t tok) {
    uint32_t n = x->u->root;
    for (;;) {
        uint32_t next = NONE32;
        for (uint32_t c = x->nodes[n].child; c != NONE32; c = x->nodes[c].next) {
            const node *cn = &x->nodes[c];
            if (cn->first <= tok && tok <= cn->last) {
                next = c;
                break;
            }
        }
        if (next == NONE32) return n;
        n = next;
    }
}

/* The FUNC node of the top-level declaration around n, NONE32. */
static uint32_t top_func(const file_index *x, uint32_t n) {
    uint32_t fn = NONE32;
    for (uint32_t p = n; p != NONE32; p = x->nodes[p].parent)
        if (x->nodes[p].kind == GOLEAK_NODE_FUNC) fn = p;
    return fn;
}

/* The position of FUNC node fn in the file's list of functions (the index
 * of main_funcs), NONE32 when it is none of them. */
static uint32_t func_index(const file_index *x, uint32_t fn) {
    uint32_t nf = host_kind_count(x->f, GOLEAK_NODE_FUNC);
    for (uint32_t k = 0; k < nf; k++)
        if (host_kind_at(x->f, GOLEAK_NODE_FUNC, k) == fn) return k;
    return NONE32;
}

/* Whether call is x.Do(f) with one argument (a sync.Once's Do). */
static int once_do(const file_index *x, uint32_t call) {
    uint32_t name = host_call_name(x->f, call), rf, rl;
    return name != NONE32 && fx_tok_is(x, name, "Do", 2) && host_call_recv(x->f, call, &rf, &rl) &&
           host_call_arg(x->f, call, 0) != NONE32 && host_call_arg(x->f, call, 1) == NONE32;
}

/* Marks the top-level functions handed by name to a sync.Once's Do
 * (once.Do(startServer)) and never called directly in the file: they run
 * once in the process's life. The first few such names only (a file has
 * one or two). */
static void mark_once_funcs(file_index *x) {
    enum { MAX_ONCE = 8 };
    uint32_t names[MAX_ONCE], n = 0, ncalls = host_kind_count(x->f, GOLEAK_NODE_CALL);
    for (uint32_t c = 0; c < ncalls && n < MAX_ONCE; c++) {
        uint32_t call = host_kind_at(x->f, GOLEAK_NODE_CALL, c);
        uint32_t arg = once_do(x, call) ? host_call_arg(x->f, call, 0) : NONE32;
        if (arg != NONE32 && x->nodes[arg].first == x->nodes[arg].last &&
            x->toks[x->nodes[arg].first].kind == GOLEAK_TOKEN_IDENT)
            names[n++] = x->nodes[arg].first;
    }
    for (uint32_t i = 0; i < n; i++) {
        uint32_t fn = host_find_func(x->f, names[i]);
        if (fn == NONE32 || (x->nodes[fn].flags & GOLEAK_NODE_FLAG_METHOD)) continue;
        int called = 0;
        for (uint32_t c = 0; c < ncalls && !called; c++) {
            uint32_t name = host_call_name(x->f, host_kind_at(x->f, GOLEAK_NODE_CALL, c));
            called = name != NONE32 && host_toks_same(x->f, name, name, names[i], names[i]);
        }
        uint32_t k = called ? NONE32 : func_index(x, fn);
        if (k != NONE32) x->main_funcs[k] = MAIN_LIFETIME | MAIN_ONCE;
    }
}

int fx_in_once_literal(const file_index *x, uint32_t n) {
    for (uint32_t p = host_enclosing_func(x->f, n); p != NONE32; p = host_enclosing_func(x->f, p)) {
        if (x->nodes[p].kind != GOLEAK_NODE_FUNCLIT) return 0;
        uint32_t arg = x->nodes[p].parent, call = arg != NONE32 ? x->nodes[arg].parent : NONE32;
        while (call != NONE32 && x->nodes[call].kind != GOLEAK_NODE_CALL &&
               x->nodes[call].first == x->nodes[p].first)
            call = x->nodes[call].parent;
        if (call != NONE32 && x->nodes[call].kind == GOLEAK_NODE_CALL && once_do(x, call) &&
            host_node_within(x->f, p, host_call_arg(x->f, call, 0)))
            return 1;
    }
    return 0;
}

/* Whether statement s ends its function: a return, or a call that never
 * returns (log.Fatal). */
static int ends_function(const file_index *x, uint32_t s) {
    if (s == NONE32) return 0;
    if (x->nodes[s].kind == GOLEAK_NODE_RETURN) return 1;
    uint32_t c = x->nodes[s].kind == GOLEAK_NODE_EXPRSTMT ? host_expr_node(x->f, s) : NONE32;
    return c != NONE32 && x->nodes[c].kind == GOLEAK_NODE_CALL && host_call_never_returns(x->f, c);
}

/* Whether if statement s leaves the function when its test holds. */
static int if_leaves(const file_index *x, uint32_t s) {
    if (s == NONE32 || x->nodes[s].kind != GOLEAK_NODE_IF) return 0;
    uint32_t body = host_child_by_role(x->f, s, GOLEAK_ROLE_BODY), last = NONE32;
    if (body == NONE32) return 0;
    for (uint32_t c = x->nodes[body].child; c != NONE32; c = x->nodes[c].next) last = c;
    return ends_function(x, last);
}

/* Whether call, in a loop, is checked for failure right away, leaving the
 * function then (if err := f(); err != nil { return err }, or err = f()
 * followed by such an if): its own failure paths end the loop, so what
 * they leave behind is left once. */
static int failure_leaves_loop(const file_index *x, uint32_t call) {
    uint32_t s = host_stmt_of(x->f, call);
    if (s == NONE32) return 0;
    if (x->nodes[s].kind == GOLEAK_NODE_IF) return if_leaves(x, s);
    return x->nodes[s].kind == GOLEAK_NODE_ASSIGN && if_leaves(x, x->nodes[s].next);
}

/* Marks main and init and the functions only a sync.Once runs, then (in
 * package main) every function of the file whose calls all come from
 * marked functions, until nothing changes: MAIN_LIFETIME; and MAIN_ONCE
 * when none of those calls sits in a loop (a check main repeats runs
 * for the process's life but not once), unless a failure of the call
 * leaves the loop (what a failure path leaks, it leaks once). */
static void mark_main_funcs(file_index *x) {
    file_index *mx = (file_index *)x;
    mx->main_funcs_done = 1;
    uint32_t nf = host_kind_count(x->f, GOLEAK_NODE_FUNC);
    mx->main_funcs = gl_calloc(x->alloc, nf ? nf : 1);
    if (!mx->main_funcs) {
        mx->oom = 1;
        return;
    }
    int pkg_main = host_in_package_main(x->f);
    for (uint32_t k = 0; k < nf; k++) {
        const node *fn = &x->nodes[host_kind_at(x->f, GOLEAK_NODE_FUNC, k)];
        if (fn->key == NONE32 || (fn->flags & GOLEAK_NODE_FLAG_METHOD)) continue;
        if (fx_tok_is(x, fn->key, "init", 4) || (pkg_main && fx_tok_is(x, fn->key, "main", 4)))
            mx->main_funcs[k] = MAIN_LIFETIME | MAIN_ONCE;
    }
    mark_once_funcs(mx);
    if (!pkg_main) return;
    uint32_t ncalls = host_kind_count(x->f, GOLEAK_NODE_CALL);
    for (int changed = 1, rounds = 0; changed && rounds < 8; rounds++) {
        changed = 0;
        for (uint32_t k = 0; k < nf; k++) {
            uint32_t fnode = host_kind_at(x->f, GOLEAK_NODE_FUNC, k);
            const node *fn = &x->nodes[fnode];
            if (mx->main_funcs[k] || fn->key == NONE32) continue;
            int called = 0, only_main = 1, once = 1;
            for (uint32_t c = 0; c < ncalls && only_main; c++) {
                uint32_t call = host_kind_at(x->f, GOLEAK_NODE_CALL, c);
                uint32_t name = host_call_name(x->f, call);
                uint32_t rf, rl;
                /* a method by its name only (a.run() for func (a *app) run()) */
                int method = (fn->flags & GOLEAK_NODE_FLAG_METHOD) != 0;
                if (name == NONE32 || host_call_recv(x->f, call, &rf, &rl) != method ||
                    x->toks[name].hash != x->toks[fn->key].hash ||
                    !host_toks_same(x->f, name, name, fn->key, fn->key))
                    continue;
                called = 1;
                uint32_t caller = top_func(x, call);
                uint32_t ci = caller != NONE32 ? func_index(x, caller) : NONE32;
                if (ci == NONE32 || !mx->main_funcs[ci]) only_main = 0;
                if (only_main &&
                    (!(mx->main_funcs[ci] & MAIN_ONCE) ||
                     (host_loop_around(x->f, call) != NONE32 && !failure_leaves_loop(x, call))))
                    once = 0;
            }
            if (called && only_main) {
                mx->main_funcs[k] = (uint8_t)(MAIN_LIFETIME | (once ? MAIN_ONCE : 0));
                changed = 1;
            }
        }
    }
}

static int main_bits(const file_index *x, uint32_t fn) {
    if (!x->main_funcs_done) mark_main_funcs((file_index *)x);
    uint32_t k = x->main_funcs && fn != NONE32 ? func_index(x, fn) : NONE32;
    return k != NONE32 ? x->main_funcs[k] : 0;
}

int fx_main_func(const file_index *x, uint32_t fn) {
    return (main_bits(x, fn) & MAIN_LIFETIME) != 0;
}

int fx_once_func(const file_index *x, uint32_t fn) {
    return (main_bits(x, fn) & MAIN_ONCE) != 0;
}

static void add_field_value(file_index *x, uint32_t name, uint32_t value, uint32_t *cap) {
    if (x->nfield_values == *cap) {
        uint32_t nc = *cap ? 2 * *cap : 16;
        struct field_value *p = gl_realloc(x->alloc, x->field_values, nc * sizeof *p);
        if (!p) {
            x->oom = 1;
            return;
        }
        x->field_values = p;
        *cap = nc;
    }
    x->field_values[x->nfield_values].name = name;
    x->field_values[x->nfield_values].value = value;
    x->nfield_values++;
}

static void find_field_values(file_index *x) {
    uint32_t cap = 0;
    x->field_values_done = 1;
    uint32_t na = host_kind_count(x->f, GOLEAK_NODE_ASSIGN);
    for (uint32_t k = 0; k < na; k++) {
        uint32_t as = host_kind_at(x->f, GOLEAK_NODE_ASSIGN, k);
        /* LHS children come first, then RHS, in order */
        uint32_t lhs = x->nodes[as].child, rhs = lhs;
        while (rhs != NONE32 && x->nodes[rhs].role != GOLEAK_ROLE_RHS) rhs = x->nodes[rhs].next;
        for (; lhs != NONE32 && rhs != NONE32 && x->nodes[lhs].role == GOLEAK_ROLE_LHS;
             lhs = x->nodes[lhs].next, rhs = x->nodes[rhs].next) {
            uint32_t la = x->nodes[lhs].first, lb = x->nodes[lhs].last;
            if (lb > la && x->toks[lb].kind == GOLEAK_TOKEN_IDENT &&
                x->toks[lb - 1].kind == GOLEAK_TOKEN_PERIOD)
                add_field_value(x, lb, rhs, &cap);
        }
    }
    uint32_t nc = host_kind_count(x->f, GOLEAK_NODE_COMPOSITE);
    for (uint32_t k = 0; k < nc; k++) {
        uint32_t c = host_kind_at(x->f, GOLEAK_NODE_COMPOSITE, k);
        for (uint32_t e = x->nodes[c].child; e != NONE32; e = x->nodes[e].next) {
            uint32_t val = x->nodes[e].next;
            if (x->nodes[e].role == GOLEAK_ROLE_KEY && val != NONE32 &&
                x->nodes[e].first == x->nodes[e].last &&
                x->toks[x->nodes[e].first].kind == GOLEAK_TOKEN_IDENT)
                add_field_value(x, x->nodes[e].first, val, &cap);
        }
    }
}

uint32_t fx_field_values(const file_index *cx, uint32_t name, uint32_t *out, uint32_t max) {
    file_index *x = (file_index *)cx; /* filled lazily, as fx_build_idbits */
    if (!x->field_values_done) find_field_values(x);
    uint32_t n = 0;
    for (uint32_t k = 0; k < x->nfield_values && n < max; k++) {
        uint32_t t = x->field_values[k].name;
        if (x->toks[t].hash == x->toks[name].hash && host_toks_same(x->f, t, t, name, name))
            out[n++] = x->field_values[k].value;
    }
    return n;
}
