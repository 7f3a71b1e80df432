/* What pack rules match against in one file, built once per check and
 * shared by every pack rule: the facts (host.h), the file's imports by
 * path, and a bitmap of the identifiers it contains (so that a rule whose
 * patterns name an identifier the file lacks is skipped at once). */
#ifndef GOLEAK_PACKS_FILE_INDEX_H
#define GOLEAK_PACKS_FILE_INDEX_H

#include "host.h"

#define IDBITS 8192 /* bits of the identifier bitmap */

typedef struct file_import {
    const char *path; /* in the source, without quotes */
    uint32_t path_len;
    const char *name; /* the file's name for it (alias or last element); NULL when dot-imported */
    uint32_t name_len;
} file_import;

typedef struct file_index {
    const host_file *f;
    const goleak_unit *u;
    const token *toks;
    const node *nodes;
    const uint8_t *src;
    uint32_t ntoks;
    const goleak_allocator *alloc;
    /* built on the first question: most files fail a rule's import test first */
    int idbits_done;
    uint64_t idbits[IDBITS / 64];
    /* the check's own identifier presence bits (check_ident_presence), which
     * answer instead when the index is of the checked unit */
    const uint64_t *ident_presence;
    file_import *imports;
    uint32_t nimports;
    /* functions of the file that run for the process's lifetime (main,
     * init, and in package main the functions only they call): MAIN_* bits
     * per FUNC, computed on first use */
    uint8_t *main_funcs;
    int main_funcs_done;
    /* the values the file gives to fields (x.f = v, T{f: v}): the field's
     * name token and the value's EXPR node, computed on first use */
    struct field_value {
        uint32_t name, value;
    } * field_values;
    uint32_t nfield_values;
    int field_values_done;
    int oom; /* a lazily built part could not be allocated: the check fails */
} file_index;

/* The check's index (built on the first call), or NULL when out of memory. */
const file_index *file_index_of(goleak_check *chk);

void fx_build_idbits(const file_index *x);

/* Whether the file may contain the identifier with this ident_hash. */
static inline int fx_has_ident(const file_index *x, uint16_t hash) {
    if (x->ident_presence) return (x->ident_presence[hash >> 6] >> (hash & 63)) & 1u;
    if (!x->idbits_done) fx_build_idbits(x);
    return (x->idbits[(hash & (IDBITS - 1)) >> 6] >> (hash & 63)) & 1u;
}

/* The file's import of path (len bytes), or NULL when not imported (or
 * imported as _). */
const file_import *fx_import(const file_index *x, const char *path, size_t len);

/* Whether token i's text is s (n bytes). */
static inline int fx_tok_is(const file_index *x, uint32_t i, const char *s, size_t n) {
    const token *t = &x->toks[i];
    return t->len == n && memcmp(x->src + t->off, s, n) == 0;
}

/* The innermost node whose span holds token tok (the file node at worst). */
uint32_t fx_node_at(const file_index *x, uint32_t tok);

/* The values given to fields named like token name, at most max into out. */
uint32_t fx_field_values(const file_index *x, uint32_t name, uint32_t *out, uint32_t max);

/* Whether top-level function fn runs for the whole process (see main_funcs). */
int fx_main_func(const file_index *x, uint32_t fn);
/* Whether it also runs a bounded number of times: no call on the way from
 * main sits in a loop. */
int fx_once_func(const file_index *x, uint32_t fn);

/* Whether node n runs in a function literal handed to a sync.Once's Do
 * (once.Do(func() { ... })): once in the process's life. */
int fx_in_once_literal(const file_index *x, uint32_t n);

/* The default name of an import path: its last element, without a
 * version suffix ("gopkg.in/yaml.v3" and "x/redis/v8" give yaml and redis). */
void import_default_name(const char *path, size_t len, const char **name, size_t *name_len);

#endif
