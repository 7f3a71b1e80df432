/* goleak dump: the skeleton tree of Go files. With --skeleton it prints the
 * statement-level lines of the goskel oracle (shared/oracles/README.md);
 * without, the whole tree, indented (up to 64 levels; deeper lines say
 * their depth as "[N] "), one node per line. */
#include "cli.h"

#include <stdlib.h>
#include <string.h>

typedef struct skel_item {
    goleak_pos pos;
    const char *kind;
    const char *detail; /* NULL, a static string, or text below */
    const char *text;   /* a token's text, not NUL-terminated */
    size_t text_len;
    const char *text2; /* a second token's text (import path) */
    size_t text2_len;
} skel_item;

typedef struct skel {
    skel_item *items;
    size_t len, cap;
} skel;

static int skel_push(skel *s, skel_item it) {
    if (s->len == s->cap) {
        size_t ncap = s->cap ? s->cap * 2 : 256;
        skel_item *p = realloc(s->items, ncap * sizeof *p);
        if (!p) return -1;
        s->items = p;
        s->cap = ncap;
    }
    s->items[s->len++] = it;
    return 0;
}

static int item_cmp(const void *a, const void *b) {
    const skel_item *x = a, *y = b;
    if (x->pos.line != y->pos.line) return x->pos.line < y->pos.line ? -1 : 1;
    if (x->pos.column != y->pos.column) return x->pos.column < y->pos.column ? -1 : 1;
    return strcmp(x->kind, y->kind);
}

static const char *tok_text(const goleak_unit *u, size_t i, size_t *n) {
    if (i == GOLEAK_NONE) {
        *n = 0;
        return "";
    }
    return goleak_unit_token_text(u, i, n);
}

/* The goskel line of one node, if it has one. */
static int skel_add(skel *s, const goleak_node *n) {
    const goleak_unit *u = goleak_node_unit(n);
    skel_item it = {goleak_node_pos(n), NULL, NULL, NULL, 0, NULL, 0};
    size_t first = goleak_node_first_token(n), key = goleak_node_key_token(n);
    switch (goleak_node_kind(n)) {
    case GOLEAK_NODE_IMPORT:
        it.kind = "import";
        if (first != key && key != GOLEAK_NONE)
            it.text = tok_text(u, first, &it.text_len);
        else
            it.detail = "-";
        it.text2 = tok_text(u, key, &it.text2_len);
        break;
    case GOLEAK_NODE_FUNC:
        it.kind = "func";
        if (key == GOLEAK_NONE)
            it.detail = "_";
        else
            it.text = tok_text(u, key, &it.text_len);
        break;
    case GOLEAK_NODE_FUNCLIT: it.kind = "funclit"; break;
    case GOLEAK_NODE_GO: it.kind = "go"; break;
    case GOLEAK_NODE_DEFER: it.kind = "defer"; break;
    case GOLEAK_NODE_FOR: it.kind = "for"; break;
    case GOLEAK_NODE_RANGE: it.kind = "range"; break;
    case GOLEAK_NODE_SELECT: it.kind = "select"; break;
    case GOLEAK_NODE_COMM:
        it.kind = "comm";
        if (goleak_node_flags(n) & GOLEAK_NODE_FLAG_DEFAULT) it.detail = "default";
        break;
    case GOLEAK_NODE_SWITCH: it.kind = "switch"; break;
    case GOLEAK_NODE_TYPESWITCH: it.kind = "typeswitch"; break;
    case GOLEAK_NODE_IF: it.kind = "if"; break;
    case GOLEAK_NODE_RETURN: it.kind = "return"; break;
    case GOLEAK_NODE_BRANCH:
        it.kind = "branch";
        it.text = tok_text(u, first, &it.text_len);
        break;
    case GOLEAK_NODE_LABELED:
        it.kind = "label";
        it.text = tok_text(u, first, &it.text_len);
        break;
    case GOLEAK_NODE_SEND: it.kind = "send"; break;
    case GOLEAK_NODE_ASSIGN:
        it.kind = "assign";
        it.text = tok_text(u, key, &it.text_len);
        break;
    case GOLEAK_NODE_INCDEC:
        it.kind = "incdec";
        it.text = tok_text(u, key, &it.text_len);
        break;
    case GOLEAK_NODE_GENDECL:
        if (goleak_node_kind(goleak_node_parent(n)) == GOLEAK_NODE_FILE) return 0;
        it.kind = "decl";
        it.text = tok_text(u, first, &it.text_len);
        break;
    case GOLEAK_NODE_CALL: it.kind = "call"; break;
    case GOLEAK_NODE_RECV: it.kind = "recv"; break;
    default: return 0;
    }
    return skel_push(s, it);
}

/* Visits every node in pre-order without recursion. */
#define FOR_EACH_NODE(root, n) for (const goleak_node *n = (root); n; n = next_preorder((root), n))

static const goleak_node *next_preorder(const goleak_node *root, const goleak_node *n) {
    const goleak_node *c = goleak_node_first_child(n);
    if (c) return c;
    while (n && n != root) {
        const goleak_node *s = goleak_node_next_sibling(n);
        if (s) return s;
        n = goleak_node_parent(n);
    }
    return NULL;
}

static int print_skeleton(outbuf *o, const goleak_unit *u) {
    skel s = {NULL, 0, 0};
    const goleak_node *root = goleak_unit_root(u);
    FOR_EACH_NODE(root, n) {
        if (skel_add(&s, n)) {
            free(s.items);
            return -1;
        }
    }
    if (s.len) qsort(s.items, s.len, sizeof *s.items, item_cmp);
    for (size_t k = 0; k < s.len; k++) {
        const skel_item *it = &s.items[k];
        out_uint(o, it->pos.line);
        out_char(o, ':');
        out_uint(o, it->pos.column);
        out_char(o, ' ');
        out_str(o, it->kind);
        if (it->detail) {
            out_char(o, ' ');
            out_str(o, it->detail);
        } else if (it->text) {
            out_char(o, ' ');
            out_write(o, it->text, it->text_len);
        }
        if (it->text2) {
            out_char(o, ' ');
            out_write(o, it->text2, it->text2_len);
        }
        out_char(o, '\n');
    }
    free(s.items);
    return 0;
}

/* Indentation stops growing here: deeper nodes (a long call chain nests
 * 100,000 deep) print their depth instead, so that the output grows with
 * the number of nodes, not with their depth. */
#define MAX_INDENT 64

static void print_tree(outbuf *o, const goleak_unit *u) {
    static const char spaces[2 * MAX_INDENT + 1] =
        "                                                                "
        "                                                                ";
    const goleak_node *root = goleak_unit_root(u);
    size_t depth = 0; /* of n, kept as the walk moves */
    for (const goleak_node *n = root; n;) {
        out_write(o, spaces, 2 * (depth < MAX_INDENT ? depth : MAX_INDENT));
        if (depth > MAX_INDENT) {
            out_char(o, '[');
            out_uint(o, depth);
            out_str(o, "] ");
        }
        goleak_span sp = goleak_node_span(n);
        out_str(o, goleak_node_kind_name(goleak_node_kind(n)));
        if (goleak_node_role(n) != GOLEAK_ROLE_NONE) {
            out_char(o, '.');
            out_str(o, goleak_node_role_name(goleak_node_role(n)));
        }
        out_char(o, ' ');
        out_uint(o, sp.start.line);
        out_char(o, ':');
        out_uint(o, sp.start.column);
        out_char(o, '-');
        out_uint(o, sp.end.line);
        out_char(o, ':');
        out_uint(o, sp.end.column);
        size_t key = goleak_node_key_token(n);
        if (key != GOLEAK_NONE) {
            size_t len;
            const char *t = goleak_unit_token_text(u, key, &len);
            out_str(o, " key=");
            out_escaped(o, t, len > 40 ? 40 : len);
        }
        out_char(o, '\n');
        /* pre-order, as FOR_EACH_NODE, counting the levels */
        const goleak_node *c = goleak_node_first_child(n);
        if (c) {
            depth++;
            n = c;
            continue;
        }
        while (n && n != root && !goleak_node_next_sibling(n)) {
            n = goleak_node_parent(n);
            depth--;
        }
        n = n && n != root ? goleak_node_next_sibling(n) : NULL;
    }
}

int cmd_dump(int argc, char **argv) {
    int skeleton = 0, first = 1, status = 0;
    if (first < argc && strcmp(argv[first], "--skeleton") == 0) {
        skeleton = 1;
        first++;
    }
    if (first >= argc) {
        fprintf(stderr, "usage: goleak dump [--skeleton] FILE...\n");
        return 2;
    }
    static outbuf o;
    out_init(&o, stdout);
    goleak_error *err = goleak_error_new();
    for (int k = first; k < argc; k++) {
        goleak_unit *u = NULL;
        out_str(&o, "== ");
        out_str(&o, argv[k]);
        out_char(&o, '\n');
        if (goleak_unit_parse_file(&u, argv[k], NULL, err) != 0) {
            out_str(&o, "ERROR\n");
            out_flush(&o);
            fprintf(stderr, "goleak: %s\n", goleak_error_message(err));
            status = 2;
            continue;
        }
        if (goleak_unit_diagnostic_count(u) > 0) {
            /* as goskel: a file with errors prints ERROR (the tree of what
             * was recovered is available without --skeleton) */
            if (skeleton) out_str(&o, "ERROR\n");
            out_flush(&o);
            print_diagnostics(u);
            if (status == 0) status = 1;
            if (skeleton) {
                goleak_unit_free(u);
                continue;
            }
        }
        if (skeleton) {
            if (print_skeleton(&o, u)) {
                fprintf(stderr, "goleak: out of memory\n");
                status = 2;
            }
        } else {
            print_tree(&o, u);
        }
        goleak_unit_free(u);
    }
    out_flush(&o);
    goleak_error_free(err);
    return status;
}
