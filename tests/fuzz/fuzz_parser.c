/* Fuzzer: lexer and parser. Walks the whole tree without recursion and
 * checks its links and spans: every node inside its parent, children in
 * order, each node reached once, the count as stated. Also parses with a
 * small nesting bound, so that the limit's exit paths are fuzzed too. */
#include "fuzz.h"

static void check_tree(const goleak_unit *u, size_t size) {
    const goleak_node *root = goleak_unit_root(u);
    FUZZ_ASSERT(root && goleak_node_kind(root) == GOLEAK_NODE_FILE);
    FUZZ_ASSERT(goleak_node_parent(root) == NULL);
    size_t count = 0;
    const goleak_node *n = root;
    while (n) {
        count++;
        FUZZ_ASSERT(goleak_node_unit(n) == u);
        int kind = goleak_node_kind(n);
        FUZZ_ASSERT(kind >= 0 && kind < GOLEAK_NODE_KIND_COUNT);
        FUZZ_ASSERT(goleak_node_role(n) >= 0 && goleak_node_role(n) < GOLEAK_ROLE_COUNT);
        goleak_span sp = goleak_node_span(n);
        FUZZ_ASSERT(sp.start.offset <= sp.end.offset && sp.end.offset <= size);
        fuzz_check_pos(u, sp.start);
        fuzz_check_pos(u, goleak_node_pos(n));
        size_t first = goleak_node_first_token(n), last = goleak_node_last_token(n);
        FUZZ_ASSERT(first < goleak_unit_token_count(u));
        FUZZ_ASSERT(last == GOLEAK_NONE || last + 1 >= first);
        size_t key = goleak_node_key_token(n);
        FUZZ_ASSERT(key == GOLEAK_NONE || key < goleak_unit_token_count(u));
        size_t len;
        FUZZ_ASSERT(goleak_node_text(n, &len) != NULL && len == sp.end.offset - sp.start.offset);
        const goleak_node *parent = goleak_node_parent(n);
        if (parent) {
            goleak_span ps = goleak_node_span(parent);
            /* a recovered empty node may sit at its parent's edge */
            FUZZ_ASSERT(sp.start.offset >= ps.start.offset || sp.start.offset == sp.end.offset);
            FUZZ_ASSERT(sp.end.offset <= ps.end.offset || sp.start.offset == sp.end.offset);
        }
        /* pre-order without recursion */
        const goleak_node *next = goleak_node_first_child(n);
        while (!next && n) {
            next = goleak_node_next_sibling(n);
            if (!next) n = goleak_node_parent(n);
        }
        n = next;
    }
    FUZZ_ASSERT(count == goleak_unit_node_count(u));
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
    goleak_unit *u = NULL;
    if (goleak_unit_parse(&u, "fuzz.go", (const char *)data, size, NULL, NULL) == 0) {
        check_tree(u, size);
        fuzz_check_diagnostics(u);
        goleak_unit_free(u);
    }
    goleak_parse_options o = GOLEAK_PARSE_OPTIONS_INIT;
    o.max_depth = 12;
    if (goleak_unit_parse(&u, "fuzz.go", (const char *)data, size, &o, NULL) == 0) {
        check_tree(u, size);
        goleak_unit_free(u);
    }
    return 0;
}
