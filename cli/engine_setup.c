/* The engine a command runs: built-in rules, the shipped packs, native
 * packs, packs named on the command line and the project configuration. */
#include "cli.h"

#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

void print_error(const goleak_error *err) {
    if (goleak_error_line(err) > 0)
        fprintf(stderr, "%s\n", goleak_error_message(err));
    else
        fprintf(stderr, "goleak: %s\n", goleak_error_message(err));
}

const char *opt_value(int argc, char **argv, int *k, const char *name) {
    size_t n = strlen(name);
    if (strncmp(argv[*k], name, n) != 0) return NULL;
    if (argv[*k][n] == '=') return argv[*k] + n + 1;
    if (argv[*k][n] != 0) return NULL;
    if (*k + 1 >= argc) {
        fprintf(stderr, "goleak: %s needs a value\n", name);
        exit(2);
    }
    return argv[++*k];
}

int engine_opts_init(engine_opts *o, int argc) {
    memset(o, 0, sizeof *o);
    o->packs = calloc((size_t)argc + 1, sizeof *o->packs);
    o->natives = calloc((size_t)argc + 1, sizeof *o->natives);
    return o->packs && o->natives ? 0 : -1;
}

void engine_opts_free(engine_opts *o) {
    free(o->packs);
    free(o->natives);
}

int engine_opt(int argc, char **argv, int *k, engine_opts *o) {
    const char *v;
    if ((v = opt_value(argc, argv, k, "--pack"))) {
        o->packs[o->npacks++] = v;
    } else if ((v = opt_value(argc, argv, k, "--native-pack"))) {
        o->natives[o->nnatives++] = v;
    } else if ((v = opt_value(argc, argv, k, "--config"))) {
        o->config = v;
    } else if (strcmp(argv[*k], "--no-default-packs") == 0) {
        o->no_default_packs = 1;
    } else if (strcmp(argv[*k], "--no-config") == 0) {
        o->no_config = 1;
    } else {
        return 0;
    }
    if (o->config && o->no_config) {
        fprintf(stderr, "goleak: --config and --no-config exclude each other\n");
        return -1;
    }
    return 1;
}

/* The configuration to use: --config's, or the nearest .goleak.yml. */
static int load_config(const engine_opts *o, goleak_config **cfg, goleak_error *err) {
    *cfg = NULL;
    if (o->no_config) return 0;
    char found[4096];
    const char *path = o->config;
    if (!path) {
        const char *start = o->start && strcmp(o->start, "-") != 0 ? o->start : ".";
        if (goleak_config_find(found, sizeof found, start, NULL) != 0) return 0;
        path = found;
    }
    return goleak_config_load(cfg, path, err);
}

goleak_engine *engine_build(const engine_opts *o, goleak_config **cfg_out) {
    goleak_engine *e = NULL;
    goleak_config *cfg = NULL;
    goleak_error *err = goleak_error_new();
    int rc = load_config(o, &cfg, err);
    if (rc == 0) rc = goleak_engine_new(&e, NULL, err);
    if (rc == 0) rc = goleak_engine_add_builtin_rules(e, err);
    if (rc == 0 && !o->no_default_packs && goleak_config_default_packs(cfg))
        rc = goleak_engine_add_default_packs(e, err);
    for (size_t k = 0; rc == 0 && k < o->nnatives; k++)
        rc = goleak_engine_load_native_pack(e, o->natives[k], err);
    for (size_t k = 0; rc == 0 && k < o->npacks; k++) {
        struct stat st;
        if (stat(o->packs[k], &st) == 0 && S_ISDIR(st.st_mode))
            rc = goleak_engine_load_pack_dir(e, o->packs[k], err);
        else
            rc = goleak_engine_load_pack(e, o->packs[k], err);
    }
    if (rc == 0 && cfg) rc = goleak_config_apply(cfg, e, err);
    if (rc) {
        print_error(err);
        goleak_engine_free(e);
        goleak_config_free(cfg);
        e = NULL;
        cfg = NULL;
    }
    goleak_error_free(err);
    if (cfg_out)
        *cfg_out = cfg;
    else
        goleak_config_free(cfg);
    return e;
}
