/* goleak validate PACK|DIR...: checks rule packs without scanning. */
#include "packs.h"

#include <string.h>

int cmd_validate(int argc, char **argv) {
    pack_list packs = {NULL, 0};
    int defaults = 1, status = 0;
    for (int k = 1; k < argc; k++) {
        if (strcmp(argv[k], "--no-default-packs") == 0) {
            defaults = 0;
        } else if (argv[k][0] == '-' && argv[k][1] == '-') {
            fprintf(stderr, "goleak: unknown option %s\n", argv[k]);
            status = 2;
        } else if (pack_list_add(&packs, argv[k]) != 0) {
            status = 2;
        }
    }
    if (status == 0 && packs.len == 0) {
        fprintf(stderr, "usage: goleak validate [--no-default-packs] PACK|DIR...\n");
        status = 2;
    }
    int failed = 0;
    goleak_engine *e = status == 0 ? pack_engine(&packs, defaults, &failed) : NULL;
    if (status == 0 && !e) status = 2;
    for (size_t k = 0; e && k < packs.len; k++) {
        size_t n = 0, total = goleak_engine_rule_count(e);
        for (size_t i = 0; i < total; i++) {
            const char *p = goleak_rule_origin_path(goleak_engine_rule(e, i));
            if (p && strcmp(p, packs.paths[k]) == 0) n++;
        }
        if (n) printf("%s: ok, %zu rule%s\n", packs.paths[k], n, n == 1 ? "" : "s");
    }
    if (failed) status = 2;
    goleak_engine_free(e);
    pack_list_free(&packs);
    return status;
}
