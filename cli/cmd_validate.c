/* goleak validate PACK|DIR...: checks rule packs without scanning. */
#include "packs.h"

#include <string.h>

int cmd_validate(int argc, char **argv) {
    pack_list packs = {NULL, 0};
    int defaults;
    int status = pack_args(argc, argv, "validate", &packs, &defaults);
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
