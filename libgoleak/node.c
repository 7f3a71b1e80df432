/* The skeleton tree accessors of the public API: nodes, their ids, the
 * token -> node index, ancestors and cursors. */
#include "unit.h"

#include <stddef.h>
#include <string.h>

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
    if (kind < 0 || kind >= GOLEAK_NODE_KIND_COUNT) return NULL;
    return kind_names[kind];
}

GOLEAK_API const char *goleak_node_role_name(int role) {
    if (role < 0 || role >= GOLEAK_ROLE_COUNT) return NULL;
    return role_names[role];
}

GOLEAK_API int goleak_node_kind_count(void) {
    return GOLEAK_NODE_KIND_COUNT;
}

GOLEAK_API int goleak_node_role_count(void) {
    return GOLEAK_ROLE_COUNT;
}

GOLEAK_API int goleak_token_kind_count(void) {
    return GOLEAK_TOKEN_KIND_COUNT;
}

static const goleak_node *at(const goleak_node *n, uint32_t i) {
    return i == NONE32 ? NULL : &n->unit->nodes.data[i];
}

GOLEAK_API const goleak_node *goleak_unit_root(const goleak_unit *u) {
    if (!u || u->root == NONE32) return NULL;
    return &u->nodes.data[u->root];
}

GOLEAK_API const char *goleak_unit_package_name(const goleak_unit *u, size_t *len) {
    if (len) *len = 0;
    if (!u || u->root == NONE32) return NULL;
    const node *nd = u->nodes.data;
    for (uint32_t c = nd[u->root].child; c != NONE32; c = nd[c].next) {
        if (nd[c].kind != GOLEAK_NODE_PACKAGE || nd[c].key == NONE32) continue;
        const token *t = &u->toks.data[nd[c].key];
        if (t->kind != GOLEAK_TOKEN_IDENT) return NULL;
        if (len) *len = t->len;
        return (const char *)u->src + t->off;
    }
    return NULL;
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

/* ---- ids, the token index, ancestors ---- */

GOLEAK_API size_t goleak_node_id(const goleak_node *n) {
    return n ? (size_t)(n - n->unit->nodes.data) : GOLEAK_NONE;
}

/* Whether node i is in the tree: the root, or linked under a parent (the
 * parser leaves some nodes unlinked when it recovers from an error). */
static int in_tree(const goleak_unit *u, uint32_t i) {
    return i == u->root || u->nodes.data[i].parent != NONE32;
}

GOLEAK_API const goleak_node *goleak_unit_node(const goleak_unit *u, size_t id) {
    if (!u || u->root == NONE32 || id >= u->nodes.len || !in_tree(u, (uint32_t)id)) return NULL;
    return &u->nodes.data[id];
}

/* Assigns node n to tokens [*fill, upto) and moves *fill there. */
static void fill_to(uint32_t *idx, uint32_t *fill, uint32_t upto, uint32_t n) {
    while (*fill < upto) idx[(*fill)++] = n;
}

const uint32_t *unit_node_index(const goleak_unit *u) {
    if (u->node_at || u->root == NONE32) return u->node_at;
    uint32_t ntok = u->toks.len;
    uint32_t *idx = gl_malloc(u->alloc, ((size_t)ntok + 1) * sizeof *idx);
    if (!idx) return NULL;
    const node *nd = u->nodes.data;
    /* one pre-order walk with enter and leave events: the tokens before a
     * node's first belong to its parent, those left when it is left (between
     * and after its children) to the node itself; spans nest, so each token
     * is assigned once */
    uint32_t fill = 0, n = u->root;
    for (;;) {
        const node *x = &nd[n];
        if (x->parent != NONE32) fill_to(idx, &fill, x->first, x->parent); /* enter */
        if (x->child != NONE32) {
            n = x->child;
            continue;
        }
        for (;;) {
            const node *y = &nd[n];
            if (y->last != NONE32 && y->last + 1 > fill)
                fill_to(idx, &fill, y->last + 1, n); /* leave */
            if (n == u->root) break;
            if (y->next != NONE32) {
                n = y->next;
                break;
            }
            n = y->parent;
        }
        if (n == u->root) break;
    }
    fill_to(idx, &fill, ntok, u->root);
    ((goleak_unit *)u)->node_at = idx;
    return idx;
}

int unit_kind_index(const goleak_unit *u) {
    if (u->kind_at) return 0;
    goleak_unit *w = (goleak_unit *)u; /* the lazy cache of a const unit, as node_at */
    const node *nd = u->nodes.data;
    uint32_t nn = u->nodes.len;
    w->kind_at = gl_calloc(u->alloc, (GOLEAK_NODE_KIND_COUNT + 1) * sizeof *w->kind_at);
    w->kind_nodes = gl_malloc(u->alloc, ((size_t)nn + 1) * sizeof *w->kind_nodes);
    if (!w->kind_at || !w->kind_nodes) {
        gl_free(u->alloc, w->kind_at);
        gl_free(u->alloc, w->kind_nodes);
        w->kind_at = w->kind_nodes = NULL;
        return -1;
    }
    /* the nodes the parser unlinked are not in the tree: left out (most
     * units have none, and skip the test) */
    uint32_t fill[GOLEAK_NODE_KIND_COUNT];
    if (u->dead_nodes == 0) {
        for (uint32_t i = 0; i < nn; i++) w->kind_at[nd[i].kind + 1]++;
        for (int k = 0; k < GOLEAK_NODE_KIND_COUNT; k++) w->kind_at[k + 1] += w->kind_at[k];
        memcpy(fill, w->kind_at, sizeof fill);
        for (uint32_t i = 0; i < nn; i++) w->kind_nodes[fill[nd[i].kind]++] = i;
        return 0;
    }
    for (uint32_t i = 0; i < nn; i++)
        if (nd[i].parent != NONE32 || i == u->root) w->kind_at[nd[i].kind + 1]++;
    for (int k = 0; k < GOLEAK_NODE_KIND_COUNT; k++) w->kind_at[k + 1] += w->kind_at[k];
    memcpy(fill, w->kind_at, sizeof fill);
    for (uint32_t i = 0; i < nn; i++)
        if (nd[i].parent != NONE32 || i == u->root) w->kind_nodes[fill[nd[i].kind]++] = i;
    return 0;
}

GOLEAK_API const goleak_node *goleak_unit_node_at(const goleak_unit *u, size_t i) {
    if (!u || u->root == NONE32 || i >= u->toks.len) return NULL;
    const uint32_t *idx = unit_node_index(u);
    return idx ? &u->nodes.data[idx[i]] : NULL;
}

GOLEAK_API const goleak_node *goleak_node_ancestor(const goleak_node *n, uint64_t kinds,
                                                   uint64_t stop) {
    if (!n) return NULL;
    for (const goleak_node *p = at(n, n->parent); p; p = at(p, p->parent)) {
        if (kinds & GOLEAK_KIND_BIT(p->kind)) return p;
        if (stop & GOLEAK_KIND_BIT(p->kind)) return NULL;
    }
    return NULL;
}

/* ---- cursors ---- */

struct goleak_cursor {
    goleak_allocator alloc; /* a copy: the cursor may outlive its unit */
    const goleak_unit *unit;
    uint32_t start, node;
    size_t depth;
};

GOLEAK_API goleak_status goleak_cursor_new(goleak_cursor **out, const goleak_node *n) {
    if (out) *out = NULL;
    if (!out || !n) return GOLEAK_EINVAL;
    goleak_cursor *c = gl_malloc(n->unit->alloc, sizeof *c);
    if (!c) return GOLEAK_ENOMEM;
    c->alloc = *n->unit->alloc;
    goleak_cursor_reset(c, n);
    *out = c;
    return 0;
}

GOLEAK_API void goleak_cursor_free(goleak_cursor *c) {
    if (!c) return;
    goleak_allocator a = c->alloc;
    gl_free(&a, c);
}

GOLEAK_API goleak_status goleak_cursor_reset(goleak_cursor *c, const goleak_node *n) {
    if (!c || !n) return GOLEAK_EINVAL;
    c->unit = n->unit;
    c->start = c->node = (uint32_t)(n - n->unit->nodes.data);
    c->depth = 0;
    return 0;
}

GOLEAK_API const goleak_node *goleak_cursor_node(const goleak_cursor *c) {
    return c ? &c->unit->nodes.data[c->node] : NULL;
}

GOLEAK_API size_t goleak_cursor_depth(const goleak_cursor *c) {
    return c ? c->depth : 0;
}

GOLEAK_API int goleak_cursor_goto_first_child(goleak_cursor *c) {
    if (!c) return 0;
    uint32_t k = c->unit->nodes.data[c->node].child;
    if (k == NONE32) return 0;
    c->node = k;
    c->depth++;
    return 1;
}

GOLEAK_API int goleak_cursor_goto_next_sibling(goleak_cursor *c) {
    if (!c || c->node == c->start) return 0;
    uint32_t k = c->unit->nodes.data[c->node].next;
    if (k == NONE32) return 0;
    c->node = k;
    return 1;
}

GOLEAK_API int goleak_cursor_goto_parent(goleak_cursor *c) {
    if (!c || c->node == c->start) return 0;
    c->node = c->unit->nodes.data[c->node].parent;
    c->depth--;
    return 1;
}

GOLEAK_API int goleak_cursor_next(goleak_cursor *c) {
    if (!c) return 0;
    if (goleak_cursor_goto_first_child(c)) return 1;
    uint32_t last = c->node;
    size_t depth = c->depth;
    for (;;) {
        if (goleak_cursor_goto_next_sibling(c)) return 1;
        if (!goleak_cursor_goto_parent(c)) break;
    }
    /* the walk is over: stay on its last node */
    c->node = last;
    c->depth = depth;
    return 0;
}
