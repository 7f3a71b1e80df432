/* The package index: see pkgindex.h. */
#include "pkgindex.h"

#include "../engine.h"
#include "typeindex.h"

#include <string.h>

int tok_same_across(const facts *fa, uint32_t a, const facts *fb, uint32_t b) {
    const token *x = &fa->toks[a], *y = &fb->toks[b];
    if (x->len != y->len || x->hash != y->hash) return 0;
    return x->len == 0 || memcmp(fa->src + x->off, fb->src + y->off, x->len) == 0;
}

int tok_text(const facts *f, uint32_t tok, char *buf, size_t size) {
    const token *t = &f->toks[tok];
    if ((size_t)t->len + 1 > size) {
        buf[0] = 0;
        return 0;
    }
    memcpy(buf, f->src + t->off, t->len);
    buf[t->len] = 0;
    return 1;
}

static int is_word_byte(uint8_t c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' ||
           c >= 0x80;
}

uint32_t unit_find_word(const goleak_unit *u, uint32_t from, const char *word) {
    size_t n = strlen(word);
    if (n == 0 || n > u->len) return UINT32_MAX;
    const uint8_t *s = u->src, *end = u->src + u->len - n + 1;
    for (const uint8_t *p = s + from; p < end;) {
        p = memchr(p, (uint8_t)word[0], (size_t)(end - p));
        if (!p) break;
        if (p[n - 1] == (uint8_t)word[n - 1] && memcmp(p, word, n) == 0 &&
            (p == s || !is_word_byte(p[-1])) && (p + n == s + u->len || !is_word_byte(p[n])))
            return (uint32_t)(p - s);
        p++;
    }
    return UINT32_MAX;
}

int other_files_spell(struct goleak_check *chk, const facts *f, uint32_t t) {
    char name[65];
    if (!tok_text(f, t, name, sizeof name)) return 1;
    for (size_t j = 0; j < chk->pkg->n; j++)
        if (j != chk->pkg_index && unit_find_word(chk->pkg->units[j], 0, name) != UINT32_MAX)
            return 1;
    return 0;
}

const facts *pkg_facts_naming(goleak_check *chk, size_t i, const char *word, int *oom) {
    if (i >= chk->pkg->n || unit_find_word(chk->pkg->units[i], 0, word) == UINT32_MAX) return NULL;
    const facts *f = check_package_facts(chk, i);
    if (!f) *oom = 1;
    return f;
}

/* The bucket of a name: its tokens' identifier hash, which equal texts
 * share across files. */
static uint32_t bucket_of(const pkg_index *x, int space, const facts *f, uint32_t tok) {
    uint32_t h = ((uint32_t)f->toks[tok].hash * 0x9E3779B1u) ^ ((uint32_t)space << 28);
    h ^= h >> 15;
    return h & x->mask;
}

static int add(pkg_index *x, int space, uint32_t file, uint32_t name, uint32_t item,
               uint32_t owner) {
    const facts *f = x->facts[file];
    if (name == NONE32 || f->toks[name].kind != T(IDENT)) return 0;
    pkg_decl d = {file, name, item, owner, NONE32, (uint8_t)space};
    return VEC_PUSH(x->alloc, &x->decls, d) ? -1 : 0;
}

static int index_file(pkg_index *x, uint32_t file) {
    const facts *f = x->facts[file];
    FOR_KIND(f, N(FUNC), fn) {
        const node *n = &f->nodes[fn];
        if (n->key == NONE32) continue;
        if (n->flags & GOLEAK_NODE_FLAG_METHOD) {
            uint32_t recv = child_by_role(f, fn, R(RECV));
            uint32_t t = recv != NONE32 ? child_by_role(f, recv, R(TYPE)) : NONE32;
            uint32_t owner =
                t != NONE32 ? type_name_tok(f, f->nodes[t].first, f->nodes[t].last) : NONE32;
            if (add(x, PS_METHOD, file, n->key, fn, owner)) return -1;
        } else if (add(x, PS_FUNC, file, n->key, fn, NONE32)) {
            return -1;
        }
    }
    FOR_KIND(f, N(SPEC), spec) {
        uint32_t gen = f->nodes[spec].parent;
        if (gen == NONE32 || f->toks[f->nodes[gen].first].kind != T(TYPE)) continue;
        if (f->func_of[spec] != NONE32) continue; /* a local type */
        if (add(x, PS_TYPE, file, f->nodes[spec].key, spec, NONE32)) return -1;
    }
    for (uint32_t k = 0; k < f->fields.len; k++) {
        const field_fact *ff = &f->fields.data[k];
        uint32_t owner = ff->owner != NONE32 ? f->nodes[ff->owner].key : NONE32;
        if (add(x, PS_FIELD, file, ff->name, k, owner)) return -1;
    }
    for (uint32_t k = 0; k < f->vars.len; k++) {
        const var_fact *v = &f->vars.data[k];
        if ((v->flags & VF_PKG) && add(x, PS_VAR, file, v->name, k, NONE32)) return -1;
    }
    return 0;
}

static void index_free(void *data) {
    pkg_index *x = data;
    if (!x) return;
    gl_free(x->alloc, x->decls.data);
    gl_free(x->alloc, x->buckets);
    gl_free(x->alloc, x);
}

static void *index_build(goleak_check *chk) {
    const goleak_allocator *a = chk->engine->alloc;
    size_t n = chk->pkg->n;
    pkg_index *x = gl_calloc(a, sizeof *x);
    if (!x) return NULL;
    x->alloc = a;
    x->n = n;
    for (size_t k = 0; k < n; k++)
        if (!check_package_facts(chk, k)) goto fail;
    x->facts = (const facts *const *)chk->pkg->facts;
    for (size_t k = 0; k < n; k++)
        if (index_file(x, (uint32_t)k)) goto fail;
    uint32_t nb = 16;
    while (nb < 2 * x->decls.len) nb <<= 1;
    x->mask = nb - 1;
    x->buckets = gl_malloc(a, (size_t)nb * sizeof *x->buckets);
    if (!x->buckets) goto fail;
    memset(x->buckets, 0xff, (size_t)nb * sizeof *x->buckets);
    /* chains in reverse order of insertion, so that a walk meets the
     * declarations in file and source order */
    for (uint32_t i = x->decls.len; i-- > 0;) {
        pkg_decl *d = &x->decls.data[i];
        uint32_t b = bucket_of(x, d->space, x->facts[d->file], d->name);
        d->next = x->buckets[b];
        x->buckets[b] = i;
    }
    return x;
fail:
    index_free(x);
    return NULL;
}

const pkg_index *check_package_index(goleak_check *chk) {
    return check_package_shared(chk, PKG_SHARED_INDEX, index_build, index_free);
}

static uint32_t match_from(const pkg_index *x, uint32_t i, int space, const facts *f,
                           uint32_t tok) {
    for (; i != NONE32; i = x->decls.data[i].next) {
        const pkg_decl *d = &x->decls.data[i];
        if (d->space == space && tok_same_across(x->facts[d->file], d->name, f, tok)) return i;
    }
    return NONE32;
}

uint32_t pkg_first(const pkg_index *x, int space, const facts *f, uint32_t tok) {
    if (tok == NONE32 || f->toks[tok].kind != T(IDENT)) return NONE32;
    return match_from(x, x->buckets[bucket_of(x, space, f, tok)], space, f, tok);
}

uint32_t pkg_next(const pkg_index *x, uint32_t i, int space, const facts *f, uint32_t tok) {
    return match_from(x, x->decls.data[i].next, space, f, tok);
}

uint32_t pkg_callee(const pkg_index *x, uint32_t self, const facts *f, uint32_t name,
                    const facts *tf, uint32_t type) {
    int space = type == NONE32 ? PS_FUNC : PS_METHOD;
    uint32_t found = NONE32;
    FOR_PKG_DECL(x, space, f, name, d) {
        const pkg_decl *p = pkg_decl_at(x, d);
        if (space == PS_METHOD &&
            (p->owner == NONE32 || !tok_same_across(x->facts[p->file], p->owner, tf, type)))
            continue;
        if (p->file == self || found != NONE32) return NONE32;
        found = d;
    }
    return found;
}
