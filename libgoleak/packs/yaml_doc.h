/* A YAML document read into a small tree with positions: what the pack and
 * configuration readers validate. Read with libyaml's event parser; syntax
 * errors come back as "FILE:LINE:COL: message". */
#ifndef GOLEAK_PACKS_YAML_DOC_H
#define GOLEAK_PACKS_YAML_DOC_H

#include "../alloc.h"

#include <stddef.h>
#include <stdint.h>

enum ynode_kind { Y_SCALAR, Y_SEQ, Y_MAP };

typedef struct ynode ynode;
struct ynode {
    int kind;              /* ynode_kind */
    uint32_t line, column; /* of the node's first character, from 1 */
    uint32_t offset;       /* byte offset of the same */
    /* scalars: the value (NUL-terminated) and whether it was quoted or a
     * block scalar (then "null" or "~" are strings, not null) */
    const char *text;
    size_t len;
    int quoted;
    int block; /* a literal (|) or folded (>) block scalar */
    /* sequences: items; mappings: keys[i] and items[i] */
    ynode **items, **keys;
    uint32_t n;
};

typedef struct ydoc {
    arena ar;
    ynode *root; /* NULL for an empty document */
    const char *name;
} ydoc;

/* Parses len bytes of YAML (one document; aliases, anchors and tags are
 * refused, and so are duplicate keys). name labels error positions.
 * 0, GOLEAK_ESYNTAX or GOLEAK_ENOMEM; on error err is filled and the
 * document is empty (ydoc_free is still needed). */
int ydoc_parse(ydoc *doc, const char *name, const char *text, size_t len, const goleak_allocator *a,
               goleak_error *err);
void ydoc_free(ydoc *doc);

/* The value of key in mapping m, or NULL. */
const ynode *ymap_get(const ynode *m, const char *key);

/* Whether a scalar is YAML's null (~, null, or empty and plain). */
int yscalar_is_null(const ynode *n);

/* The kind's name for messages: "a string", "a list", "a mapping". */
const char *ynode_kind_name(int kind);

#endif
