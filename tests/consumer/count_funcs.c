/* A consumer of the installed libgoleak: parses a Go file and prints how
 * many functions (declarations and literals) it has. Built outside the
 * source tree with pkg-config or CMake's find_package. */
#include <goleak.h>
#include <stdio.h>

static size_t count(const goleak_node *n) {
    size_t k =
        goleak_node_kind(n) == GOLEAK_NODE_FUNC || goleak_node_kind(n) == GOLEAK_NODE_FUNCLIT;
    for (const goleak_node *c = goleak_node_first_child(n); c; c = goleak_node_next_sibling(c))
        k += count(c);
    return k;
}

int main(int argc, char **argv) {
    if (argc != 2) {
        fprintf(stderr, "usage: count_funcs FILE.go\n");
        return 2;
    }
    goleak_error *err = goleak_error_new();
    goleak_unit *u = NULL;
    if (goleak_unit_parse_file(&u, argv[1], NULL, err) != 0) {
        fprintf(stderr, "count_funcs: %s\n", goleak_error_message(err));
        goleak_error_free(err);
        return 1;
    }
    printf("%zu functions (libgoleak %s)\n", count(goleak_unit_root(u)), goleak_version_string());
    goleak_unit_free(u);
    goleak_error_free(err);
    return 0;
}
