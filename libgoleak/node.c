/* The skeleton tree accessors of the public API. */
#include "unit.h"

#include <stddef.h>

static const char *const kind_names[GOLEAK_NODE_KIND_COUNT] = {
    "file",       "package",   "gendecl", "import",    "spec",   "func",     "funclit", "functype",
    "structtype", "ifacetype", "field",   "type",      "block",  "exprstmt", "send",    "incdec",
    "assign",     "go",        "defer",   "return",    "branch", "labeled",  "if",      "switch",
    "typeswitch", "case",      "select",  "comm",      "for",    "range",    "empty",   "bad",
    "expr",       "call",      "recv",    "composite", "slice",
};

static const char *const role_names[GOLEAK_ROLE_COUNT] = {
    "none",   "body", "init", "cond", "post", "else",   "tag",   "key",
    "value",  "x",    "lhs",  "rhs",  "arg",  "result", "param", "recv",
    "tparam", "type", "elem", "case", "chan", "comm",   "field",
};

GOLEAK_API const char *goleak_node_kind_name(int kind) {
    if (kind < 0 || kind >= GOLEAK_NODE_KIND_COUNT) return "?";
    return kind_names[kind];
}

GOLEAK_API const char *goleak_node_role_name(int role) {
    if (role < 0 || role >= GOLEAK_ROLE_COUNT) return "?";
    return role_names[role];
}

static const goleak_node *at(const goleak_node *n, uint32_t i) {
    return i == NONE32 ? NULL : &n->unit->nodes.data[i];
}

GOLEAK_API const goleak_node *goleak_unit_root(const goleak_unit *u) {
    if (!u || u->root == NONE32) return NULL;
    return &u->nodes.data[u->root];
}

GOLEAK_API size_t goleak_unit_node_count(const goleak_unit *u) {
    if (!u || u->root == NONE32) return 0;
    return u->nodes.len - u->dead_nodes;
}

GOLEAK_API const goleak_unit *goleak_node_unit(const goleak_node *n) {
    return n ? n->unit : NULL;
}

GOLEAK_API int goleak_node_kind(const goleak_node *n) {
    return n ? n->kind : -1;
}

GOLEAK_API int goleak_node_role(const goleak_node *n) {
    return n ? n->role : -1;
}

GOLEAK_API const goleak_node *goleak_node_parent(const goleak_node *n) {
    return n ? at(n, n->parent) : NULL;
}

GOLEAK_API const goleak_node *goleak_node_first_child(const goleak_node *n) {
    return n ? at(n, n->child) : NULL;
}

GOLEAK_API const goleak_node *goleak_node_next_sibling(const goleak_node *n) {
    return n ? at(n, n->next) : NULL;
}

GOLEAK_API size_t goleak_node_child_count(const goleak_node *n) {
    size_t k = 0;
    for (const goleak_node *c = goleak_node_first_child(n); c; c = at(c, c->next)) k++;
    return k;
}

GOLEAK_API const goleak_node *goleak_node_child(const goleak_node *n, size_t i) {
    const goleak_node *c = goleak_node_first_child(n);
    while (c && i-- > 0) c = at(c, c->next);
    return c;
}

GOLEAK_API const goleak_node *goleak_node_child_by_role(const goleak_node *n, int role) {
    for (const goleak_node *c = goleak_node_first_child(n); c; c = at(c, c->next))
        if (c->role == role) return c;
    return NULL;
}

GOLEAK_API size_t goleak_node_first_token(const goleak_node *n) {
    return n ? n->first : GOLEAK_NONE;
}

GOLEAK_API size_t goleak_node_last_token(const goleak_node *n) {
    if (!n) return GOLEAK_NONE;
    return n->last == NONE32 ? GOLEAK_NONE : n->last; /* empty node at token 0 */
}

GOLEAK_API size_t goleak_node_key_token(const goleak_node *n) {
    return !n || n->key == NONE32 ? GOLEAK_NONE : n->key;
}

/* Byte range [*start, *end) of a node's tokens. */
static void node_bytes(const goleak_node *n, uint32_t *start, uint32_t *end) {
    const token *t = n->unit->toks.data;
    *start = t[n->first].off;
    if (n->last == n->first - 1 || n->last == NONE32) {
        *end = *start;
    } else {
        *end = t[n->last].off + t[n->last].len;
    }
}

GOLEAK_API goleak_span goleak_node_span(const goleak_node *n) {
    goleak_span s = {{0, 0, 0}, {0, 0, 0}};
    if (!n) return s;
    uint32_t a, b;
    node_bytes(n, &a, &b);
    s.start = unit_pos(n->unit, a);
    s.end = unit_pos(n->unit, b);
    return s;
}

GOLEAK_API goleak_pos goleak_node_pos(const goleak_node *n) {
    goleak_pos none = {0, 0, 0};
    if (!n) return none;
    uint32_t tok = n->first;
    if ((n->kind == GOLEAK_NODE_CALL || n->kind == GOLEAK_NODE_IMPORT) && n->key != NONE32)
        tok = n->key;
    return unit_pos(n->unit, n->unit->toks.data[tok].off);
}

GOLEAK_API const char *goleak_node_text(const goleak_node *n, size_t *len) {
    if (len) *len = 0;
    if (!n) return NULL;
    uint32_t a, b;
    node_bytes(n, &a, &b);
    if (len) *len = b - a;
    return (const char *)n->unit->src + a;
}

GOLEAK_API unsigned int goleak_node_flags(const goleak_node *n) {
    return n ? n->flags : 0;
}
