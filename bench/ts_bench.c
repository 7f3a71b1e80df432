/* ts_bench.c: tree-sitter with the Go grammar, the reference incremental
 * parser used by editors. Each file is parsed into a full concrete syntax
 * tree that is then deleted; one parser object is reused, as an editor would.
 *
 * Built by bench/run against Debian's libtree-sitter and the grammar's
 * src/parser.c from the npm package tree-sitter-go (fetched at bench time).
 *
 * Usage: ts_bench FILE_LIST PASSES [WARMUP] */
#include "corpus.h"

#include <stdio.h>
#include <stdlib.h>
#include <tree_sitter/api.h>

const TSLanguage *tree_sitter_go(void);

struct ts_ctx {
    TSParser *parser;
    size_t files_with_errors; /* from the last pass: a sanity check, not a score */
};

static uint64_t ts_pass(const struct corpus *c, void *ctx) {
    struct ts_ctx *t = ctx;
    uint64_t check = 0;
    t->files_with_errors = 0;
    for (size_t f = 0; f < c->nfiles; f++) {
        TSTree *tree = ts_parser_parse_string(t->parser, NULL, c->data[f], (uint32_t)c->size[f]);
        if (!tree) {
            fprintf(stderr, "ts_bench: no tree for %s\n", c->paths[f]);
            exit(1);
        }
        TSNode root = ts_tree_root_node(tree);
        /* Both reads are O(1): they keep the tree observable without walking it. */
        check += ts_node_end_byte(root);
        t->files_with_errors += ts_node_has_error(root);
        ts_tree_delete(tree);
    }
    return check;
}

int main(int argc, char **argv) {
    struct bench_opts o;
    bench_args(argc, argv, &o);

    struct ts_ctx t = {ts_parser_new(), 0};
    const TSLanguage *go = tree_sitter_go();
    /* Debian 12's runtime accepts ABI <= 14; a newer grammar is refused here. */
    if (!t.parser || !ts_parser_set_language(t.parser, go)) {
        fprintf(stderr, "ts_bench: grammar ABI %u not accepted by this libtree-sitter (%u..%u)\n",
                ts_language_version(go), TREE_SITTER_MIN_COMPATIBLE_LANGUAGE_VERSION,
                TREE_SITTER_LANGUAGE_VERSION);
        return 1;
    }

    struct corpus c;
    corpus_load(&c, o.list);
    bench_row("tree-sitter-go", &c, &o, ts_pass, &t);
    fprintf(stderr, "  tree-sitter-go: grammar ABI %u, %zu of %zu files with syntax errors\n",
            ts_language_version(go), t.files_with_errors, c.nfiles);
    ts_parser_delete(t.parser);
    corpus_free(&c);
    return 0;
}
