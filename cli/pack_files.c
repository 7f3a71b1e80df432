/* Rule pack files for goleak test and goleak validate: the packs the
 * arguments name, and an engine that holds them next to the built-in rules
 * and the other shipped packs (so that a clash of ids shows). */
#include "packs.h"

#include <dirent.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

static int is_pack_name(const char *s) {
    size_t n = strlen(s);
    if (s[0] == '.') return 0;
    return (n > 4 && strcmp(s + n - 4, ".yml") == 0) || (n > 5 && strcmp(s + n - 5, ".yaml") == 0);
}

static int str_cmp(const void *a, const void *b) {
    return strcmp(*(char *const *)a, *(char *const *)b);
}

static int push(pack_list *l, const char *s) {
    char **p = realloc(l->paths, (l->len + 1) * sizeof *p);
    if (!p) return -1;
    l->paths = p;
    if (!(p[l->len] = strdup(s))) return -1;
    l->len++;
    return 0;
}

int pack_list_add(pack_list *l, const char *arg) {
    struct stat st;
    if (stat(arg, &st) != 0) {
        fprintf(stderr, "goleak: %s: no such file or directory\n", arg);
        return -1;
    }
    if (!S_ISDIR(st.st_mode)) return push(l, arg);
    DIR *d = opendir(arg);
    if (!d) {
        fprintf(stderr, "goleak: %s: cannot read the directory\n", arg);
        return -1;
    }
    size_t first = l->len;
    struct dirent *de;
    int rc = 0;
    while (rc == 0 && (de = readdir(d))) {
        if (!is_pack_name(de->d_name)) continue;
        char path[4096];
        snprintf(path, sizeof path, "%s/%s", arg, de->d_name);
        if (stat(path, &st) == 0 && S_ISREG(st.st_mode)) rc = push(l, path);
    }
    closedir(d);
    if (l->len > first) qsort(l->paths + first, l->len - first, sizeof *l->paths, str_cmp);
    if (rc) fprintf(stderr, "goleak: out of memory\n");
    return rc;
}

void pack_list_free(pack_list *l) {
    for (size_t k = 0; k < l->len; k++) free(l->paths[k]);
    free(l->paths);
    memset(l, 0, sizeof *l);
}

int same_file(const char *a, const char *b) {
    struct stat sa, sb;
    return stat(a, &sa) == 0 && stat(b, &sb) == 0 && sa.st_dev == sb.st_dev &&
           sa.st_ino == sb.st_ino;
}

goleak_engine *pack_engine(const pack_list *packs, int default_packs, int *failed) {
    goleak_engine *e = NULL;
    goleak_error *err = goleak_error_new();
    *failed = 0;
    if (goleak_engine_new(&e, NULL, err) || goleak_engine_add_builtin_rules(e, err)) {
        print_error(err);
        goleak_engine_free(e);
        goleak_error_free(err);
        return NULL;
    }
    pack_list shipped = {NULL, 0};
    char dir[4096];
    if (default_packs && goleak_default_packs_dir(dir, sizeof dir, NULL) == 0 &&
        pack_list_add(&shipped, dir) == 0) {
        for (size_t i = 0; i < shipped.len; i++) {
            int tested = 0;
            for (size_t k = 0; k < packs->len && !tested; k++)
                tested = same_file(shipped.paths[i], packs->paths[k]);
            if (!tested && goleak_engine_load_pack(e, shipped.paths[i], err) != 0) print_error(err);
        }
    }
    pack_list_free(&shipped);
    for (size_t k = 0; k < packs->len; k++) {
        if (goleak_engine_load_pack(e, packs->paths[k], err) != 0) {
            print_error(err);
            *failed = 1;
        }
    }
    goleak_error_free(err);
    return e;
}

int pack_args(int argc, char **argv, const char *cmd, pack_list *packs, int *defaults) {
    int status = 0;
    *defaults = 1;
    for (int k = 1; k < argc; k++) {
        if (strcmp(argv[k], "--no-default-packs") == 0) {
            *defaults = 0;
        } else if (argv[k][0] == '-' && argv[k][1] == '-') {
            fprintf(stderr, "goleak: unknown option %s\n", argv[k]);
            status = 2;
        } else if (pack_list_add(packs, argv[k]) != 0) {
            status = 2;
        }
    }
    if (status == 0 && packs->len == 0) {
        fprintf(stderr, "usage: goleak %s [--no-default-packs] PACK|DIR...\n", cmd);
        status = 2;
    }
    return status;
}
