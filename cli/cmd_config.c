/* goleak config [--config FILE | --no-config] [PATH]: which configuration
 * applies to PATH (default: the working directory), and its settings. */
#include "cli.h"

#include <stdlib.h>
#include <string.h>

static void print_list(const goleak_config *c, int which, const char *title) {
    size_t n = goleak_config_count(c, which);
    printf("%s:%s\n", title, n ? "" : " none");
    for (size_t k = 0; k < n; k++) printf("  - %s\n", goleak_config_item(c, which, k));
}

int cmd_config(int argc, char **argv) {
    engine_opts eo;
    if (engine_opts_init(&eo, argc)) return 2;
    int status = 0;
    const char *path = NULL;
    for (int k = 1; k < argc; k++) {
        int r = engine_opt(argc, argv, &k, &eo);
        if (r < 0) {
            status = 2;
        } else if (r == 0 && argv[k][0] == '-' && argv[k][1] == '-') {
            fprintf(stderr, "goleak: unknown option %s\n", argv[k]);
            status = 2;
        } else if (r == 0) {
            path = argv[k];
        }
    }
    eo.start = path;
    goleak_config *cfg = NULL;
    goleak_engine *e = status == 0 ? engine_build(&eo, &cfg) : NULL;
    if (!e) status = 2;
    if (status == 0) {
        if (cfg)
            printf("config: %s\n", goleak_config_path(cfg));
        else
            printf("config: none%s\n", eo.no_config ? " (--no-config)" : " (no .goleak.yml found)");
        char dir[4096];
        int defaults = !eo.no_default_packs && goleak_config_default_packs(cfg);
        if (defaults && goleak_default_packs_dir(dir, sizeof dir, NULL) == 0)
            printf("default packs: on (%s)\n", dir);
        else
            printf("default packs: off\n");
        if (cfg) {
            print_list(cfg, GOLEAK_CONFIG_PACKS, "packs");
            print_list(cfg, GOLEAK_CONFIG_RULES, "rules");
            print_list(cfg, GOLEAK_CONFIG_OPTIONS, "options");
            print_list(cfg, GOLEAK_CONFIG_EXCLUDES, "exclude");
            print_list(cfg, GOLEAK_CONFIG_OVERRIDES, "overrides");
        }
        size_t n = goleak_engine_rule_count(e), on = 0;
        printf("enabled rules:");
        for (size_t k = 0; k < n; k++) {
            const goleak_rule *r = goleak_engine_rule(e, k);
            if (!goleak_rule_enabled(r) || strcmp(goleak_rule_id(r), "GL000") == 0) continue;
            printf(" %s", goleak_rule_id(r));
            on++;
        }
        printf("\n");
        size_t off = 0;
        printf("disabled rules:");
        for (size_t k = 0; k < n; k++) {
            const goleak_rule *r = goleak_engine_rule(e, k);
            if (goleak_rule_enabled(r) || strcmp(goleak_rule_id(r), "GL000") == 0) continue;
            printf(" %s", goleak_rule_id(r));
            off++;
        }
        printf("%s\n", off ? "" : " none");
        (void)on;
    }
    goleak_engine_free(e);
    goleak_config_free(cfg);
    engine_opts_free(&eo);
    return status;
}
