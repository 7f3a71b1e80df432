/* Reading YAML with libyaml's event parser into a ynode tree. */
#include "yaml_doc.h"

#include "../error.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <yaml.h>

enum { MAX_DEPTH = 64 };

typedef struct builder {
    ydoc *doc;
    goleak_error *err;
    ynode *stack[MAX_DEPTH];
    int depth;
    int rc;
} builder;

static int fail(builder *b, uint32_t line, uint32_t col, uint32_t off, const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 5, 6)))
#endif
    ;
static int fail(builder *b, uint32_t line, uint32_t col, uint32_t off, const char *fmt, ...) {
    char msg[512];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    b->rc = error_set(b->err, GOLEAK_ESYNTAX, b->doc->name, line, col, off, "%s:%u:%u: %s",
                      b->doc->name, line, col, msg);
    return b->rc;
}

static ynode *new_node(builder *b, int kind, const yaml_mark_t *m) {
    ynode *n = arena_alloc(&b->doc->ar, sizeof *n);
    if (!n) return NULL;
    memset(n, 0, sizeof *n);
    n->kind = kind;
    n->line = (uint32_t)m->line + 1;
    n->column = (uint32_t)m->column + 1;
    n->offset = (uint32_t)m->index;
    return n;
}

/* Makes room for item n of an array that grows by doubling inside the
 * arena (old blocks stay in the arena until the document is freed). */
static int grow(builder *b, ynode ***arr, uint32_t n) {
    if (n != 0 && (n & (n - 1)) != 0) return 0;
    uint32_t cap = n ? 2 * n : 1;
    ynode **p = arena_alloc(&b->doc->ar, cap * sizeof *p);
    if (!p) return b->rc = GOLEAK_ENOMEM;
    if (n) memcpy(p, *arr, n * sizeof *p);
    *arr = p;
    return 0;
}

/* Appends child to the open collection on top of the stack: an item of a
 * sequence, or a mapping's next key or the value of its last key. */
static int add_child(builder *b, ynode *child) {
    if (b->depth == 0) {
        b->doc->root = child;
        return 0;
    }
    ynode *p = b->stack[b->depth - 1];
    if (p->kind == Y_SEQ) {
        if (grow(b, &p->items, p->n)) return b->rc;
        p->items[p->n++] = child;
        return 0;
    }
    if (p->n > 0 && p->items[p->n - 1] == NULL) { /* the value of the last key */
        p->items[p->n - 1] = child;
        return 0;
    }
    if (child->kind != Y_SCALAR)
        return fail(b, child->line, child->column, child->offset,
                    "a mapping key must be a plain string");
    for (uint32_t k = 0; k < p->n; k++)
        if (p->keys[k]->len == child->len && memcmp(p->keys[k]->text, child->text, child->len) == 0)
            return fail(b, child->line, child->column, child->offset, "duplicate key \"%s\"",
                        child->text);
    if (grow(b, &p->keys, p->n) || grow(b, &p->items, p->n)) return b->rc;
    p->keys[p->n] = child;
    p->items[p->n] = NULL;
    p->n++;
    return 0;
}

static int on_event(builder *b, const yaml_event_t *ev) {
    const yaml_mark_t *m = &ev->start_mark;
    switch (ev->type) {
    case YAML_ALIAS_EVENT:
        return fail(b, (uint32_t)m->line + 1, (uint32_t)m->column + 1, (uint32_t)m->index,
                    "aliases (*name) are not supported");
    case YAML_DOCUMENT_START_EVENT:
        if (b->doc->root)
            return fail(b, (uint32_t)m->line + 1, (uint32_t)m->column + 1, (uint32_t)m->index,
                        "only one YAML document is allowed");
        return 0;
    case YAML_SCALAR_EVENT:
    case YAML_SEQUENCE_START_EVENT:
    case YAML_MAPPING_START_EVENT: {
        const yaml_char_t *anchor = ev->type == YAML_SCALAR_EVENT ? ev->data.scalar.anchor
                                    : ev->type == YAML_SEQUENCE_START_EVENT
                                        ? ev->data.sequence_start.anchor
                                        : ev->data.mapping_start.anchor;
        if (anchor)
            return fail(b, (uint32_t)m->line + 1, (uint32_t)m->column + 1, (uint32_t)m->index,
                        "anchors (&name) are not supported");
        int kind = ev->type == YAML_SCALAR_EVENT           ? Y_SCALAR
                   : ev->type == YAML_SEQUENCE_START_EVENT ? Y_SEQ
                                                           : Y_MAP;
        ynode *n = new_node(b, kind, m);
        if (!n) return b->rc = GOLEAK_ENOMEM;
        if (kind == Y_SCALAR) {
            n->len = ev->data.scalar.length;
            n->text = arena_strndup(&b->doc->ar, (const char *)ev->data.scalar.value, n->len);
            if (!n->text) return b->rc = GOLEAK_ENOMEM;
            yaml_scalar_style_t st = ev->data.scalar.style;
            n->quoted =
                st == YAML_SINGLE_QUOTED_SCALAR_STYLE || st == YAML_DOUBLE_QUOTED_SCALAR_STYLE;
            n->block = st == YAML_LITERAL_SCALAR_STYLE || st == YAML_FOLDED_SCALAR_STYLE;
        }
        if (add_child(b, n)) return b->rc;
        if (kind != Y_SCALAR) {
            if (b->depth >= MAX_DEPTH)
                return fail(b, n->line, n->column, n->offset, "nested too deeply");
            b->stack[b->depth++] = n;
        }
        return 0;
    }
    case YAML_SEQUENCE_END_EVENT:
    case YAML_MAPPING_END_EVENT: b->depth--; return 0;
    default: return 0;
    }
}

int ydoc_parse(ydoc *doc, const char *name, const char *text, size_t len, const goleak_allocator *a,
               goleak_error *err) {
    memset(doc, 0, sizeof *doc);
    arena_init(&doc->ar, a);
    doc->name = name ? name : "<pack>";
    builder b;
    memset(&b, 0, sizeof b);
    b.doc = doc;
    b.err = err;
    yaml_parser_t p;
    if (!yaml_parser_initialize(&p))
        return error_set(err, GOLEAK_ENOMEM, NULL, 0, 0, 0, "out of memory");
    yaml_parser_set_input_string(&p, (const unsigned char *)text, len);
    for (;;) {
        yaml_event_t ev;
        if (!yaml_parser_parse(&p, &ev)) {
            if (p.error == YAML_MEMORY_ERROR) {
                b.rc = error_set(err, GOLEAK_ENOMEM, NULL, 0, 0, 0, "out of memory");
            } else {
                const yaml_mark_t *m = &p.problem_mark;
                fail(&b, (uint32_t)m->line + 1, (uint32_t)m->column + 1, (uint32_t)m->index,
                     "YAML syntax error: %s%s%s", p.problem ? p.problem : "invalid YAML",
                     p.context ? " " : "", p.context ? p.context : "");
            }
            break;
        }
        int done = ev.type == YAML_STREAM_END_EVENT;
        on_event(&b, &ev);
        yaml_event_delete(&ev);
        if (done || b.rc) break;
    }
    yaml_parser_delete(&p);
    if (b.rc) {
        arena_free(&doc->ar);
        arena_init(&doc->ar, a);
        doc->root = NULL;
        if (b.rc == GOLEAK_ENOMEM) error_set(err, GOLEAK_ENOMEM, NULL, 0, 0, 0, "out of memory");
    }
    return b.rc;
}

void ydoc_free(ydoc *doc) {
    arena_free(&doc->ar);
    doc->root = NULL;
}

const ynode *ymap_get(const ynode *m, const char *key) {
    if (!m || m->kind != Y_MAP) return NULL;
    size_t n = strlen(key);
    for (uint32_t k = 0; k < m->n; k++)
        if (m->keys[k]->len == n && memcmp(m->keys[k]->text, key, n) == 0) return m->items[k];
    return NULL;
}

int yscalar_is_null(const ynode *n) {
    if (!n || n->kind != Y_SCALAR || n->quoted || n->block) return 0;
    return n->len == 0 || strcmp(n->text, "~") == 0 || strcmp(n->text, "null") == 0;
}

const char *ynode_kind_name(int kind) {
    return kind == Y_SCALAR ? "a string" : kind == Y_SEQ ? "a list" : "a mapping";
}
