/* Loading rule packs into an engine: from a file, a string, a directory,
 * or the shipped packs; all or nothing (a failed load leaves the engine as
 * it was). */
#define _GNU_SOURCE /* dladdr: where this library was loaded from */
#include "../engine.h"
#include "../error.h"
#include "pack_triggers.h"
#include "pack_yaml.h"
#include "rule_run.h"

#include <dirent.h>
#include <dlfcn.h>
#include <limits.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

/* Pack files larger than this are refused: a pack is a few kilobytes. */
#define MAX_PACK_SIZE (16u << 20)

static void pack_free_fn(void *p) {
    pack_free(p);
}

/* Registers the rules of compiled packs, all or none. Takes the packs
 * (frees them on failure). */
static int register_packs(goleak_engine *e, pack **packs, uint32_t n, goleak_error *err) {
    size_t first_rule = goleak_engine_rule_count(e), first_att = engine_attach_count(e);
    uint32_t k = 0;
    int rc = 0;
    for (; k < n && rc == 0; k++) {
        pack *p = packs[k];
        size_t before = goleak_engine_rule_count(e);
        for (uint32_t i = 0; i < p->nrules && rc == 0; i++) {
            const pack_rule *r = &p->rules[i];
            goleak_rule_def d = GOLEAK_RULE_DEF_INIT;
            d.id = r->id;
            d.name = r->name;
            d.severity = r->severity;
            d.summary = r->summary;
            d.doc = r->doc;
            d.go_min = r->go_min;
            d.go_below = r->go_below;
            d.check = pack_rule_check;
            d.user_data = (void *)r;
            char triggers[1024];
            d.triggers = pack_rule_triggers(r, triggers, sizeof triggers);
            rc = goleak_engine_register_rule(e, &d, err);
        }
        if (rc == 0) rc = engine_set_origin(e, before, GOLEAK_ORIGIN_PACK, p->path);
        if (rc == 0) {
            rc = engine_attach(e, p, pack_free_fn); /* frees p itself on failure */
            packs[k] = NULL;
        }
    }
    if (rc) {
        engine_rollback(e, first_rule, first_att);
        for (uint32_t i = 0; i < n; i++) pack_free(packs[i]);
        if (rc == GOLEAK_ENOMEM) error_set(err, rc, NULL, 0, 0, 0, "out of memory");
    }
    return rc;
}

/* Reads a whole file; *out is malloc'ed through a (NUL-terminated). */
static int read_file(const goleak_allocator *a, const char *path, char **out, size_t *len,
                     goleak_error *err) {
    *out = NULL;
    FILE *fp = fopen(path, "rb");
    if (!fp)
        return error_set(err, GOLEAK_EIO, path, 0, 0, 0, "%s: cannot open: %s", path,
                         strerror(errno));
    struct stat st;
    if (fstat(fileno(fp), &st) != 0 || !S_ISREG(st.st_mode) || (size_t)st.st_size > MAX_PACK_SIZE) {
        fclose(fp);
        return error_set(err, GOLEAK_EIO, path, 0, 0, 0, "%s: not a regular file of at most %u MiB",
                         path, MAX_PACK_SIZE >> 20);
    }
    size_t size = (size_t)st.st_size;
    char *buf = gl_malloc(a, size + 1);
    if (!buf) {
        fclose(fp);
        return error_set(err, GOLEAK_ENOMEM, NULL, 0, 0, 0, "out of memory");
    }
    size_t got = fread(buf, 1, size, fp);
    int bad = ferror(fp);
    fclose(fp);
    if (bad || got != size) {
        gl_free(a, buf);
        return error_set(err, GOLEAK_EIO, path, 0, 0, 0, "%s: read error", path);
    }
    buf[size] = 0;
    *out = buf;
    *len = size;
    return 0;
}

static int compile_file(goleak_engine *e, const char *path, taken_ids *taken, pack **out,
                        goleak_error *err) {
    char *text = NULL;
    size_t len = 0;
    int rc = read_file(e->alloc, path, &text, &len, err);
    if (rc) return rc;
    rc = pack_compile(out, path, text, len, e, taken, err);
    gl_free(e->alloc, text);
    return rc;
}

GOLEAK_API goleak_status goleak_engine_load_pack(goleak_engine *e, const char *path,
                                                 goleak_error *err) {
    if (!e || !path) return error_set(err, GOLEAK_EINVAL, NULL, 0, 0, 0, "NULL argument");
    taken_ids taken = {0};
    pack *p = NULL;
    int rc = compile_file(e, path, &taken, &p, err);
    taken_ids_free(e->alloc, &taken);
    return rc ? rc : register_packs(e, &p, 1, err);
}

GOLEAK_API goleak_status goleak_engine_load_pack_string(goleak_engine *e, const char *name,
                                                        const char *text, size_t len,
                                                        goleak_error *err) {
    if (!e || (!text && len)) return error_set(err, GOLEAK_EINVAL, NULL, 0, 0, 0, "NULL argument");
    taken_ids taken = {0};
    pack *p = NULL;
    int rc = pack_compile(&p, name ? name : "<string>", text ? text : "", len, e, &taken, err);
    taken_ids_free(e->alloc, &taken);
    return rc ? rc : register_packs(e, &p, 1, err);
}

static int is_pack_name(const char *s) {
    size_t n = strlen(s);
    if (s[0] == '.') return 0;
    return (n > 4 && strcmp(s + n - 4, ".yml") == 0) || (n > 5 && strcmp(s + n - 5, ".yaml") == 0);
}

static int name_cmp(const void *a, const void *b) {
    return strcmp(*(char *const *)a, *(char *const *)b);
}

GOLEAK_API goleak_status goleak_engine_load_pack_dir(goleak_engine *e, const char *dir,
                                                     goleak_error *err) {
    if (!e || !dir) return error_set(err, GOLEAK_EINVAL, NULL, 0, 0, 0, "NULL argument");
    DIR *d = opendir(dir);
    if (!d)
        return error_set(err, errno == ENOENT ? GOLEAK_ENOTFOUND : GOLEAK_EIO, dir, 0, 0, 0,
                         "%s: cannot open the directory: %s", dir, strerror(errno));
    const goleak_allocator *a = e->alloc;
    char **names = NULL;
    uint32_t n = 0, cap = 0;
    int rc = 0;
    struct dirent *de;
    while (rc == 0 && (de = readdir(d))) {
        if (!is_pack_name(de->d_name)) continue;
        size_t len = strlen(dir) + strlen(de->d_name) + 2;
        char *path = gl_malloc(a, len);
        if (path) snprintf(path, len, "%s/%s", dir, de->d_name);
        struct stat st;
        if (path && (stat(path, &st) != 0 || !S_ISREG(st.st_mode))) {
            gl_free(a, path);
            continue;
        }
        if (n == cap) {
            uint32_t nc = cap ? 2 * cap : 8;
            char **p = path ? gl_realloc(a, names, nc * sizeof *p) : NULL;
            if (p) {
                names = p;
                cap = nc;
            }
        }
        if (!path || n == cap) {
            gl_free(a, path);
            rc = error_set(err, GOLEAK_ENOMEM, NULL, 0, 0, 0, "out of memory");
            break;
        }
        names[n++] = path;
    }
    closedir(d);
    if (n > 1) qsort(names, n, sizeof *names, name_cmp);
    pack **packs = rc == 0 && n ? gl_calloc(a, n * sizeof *packs) : NULL;
    if (rc == 0 && n && !packs) rc = error_set(err, GOLEAK_ENOMEM, NULL, 0, 0, 0, "out of memory");
    taken_ids taken = {0};
    for (uint32_t k = 0; k < n && rc == 0; k++)
        rc = compile_file(e, names[k], &taken, &packs[k], err);
    taken_ids_free(a, &taken);
    if (rc == 0 && n) {
        rc = register_packs(e, packs, n, err);
    } else if (packs) {
        for (uint32_t k = 0; k < n; k++) pack_free(packs[k]);
    }
    gl_free(a, packs);
    for (uint32_t k = 0; k < n; k++) gl_free(a, names[k]);
    gl_free(a, names);
    return rc;
}

/* ---- the shipped packs ---- */

static int is_dir(const char *p) {
    struct stat st;
    return stat(p, &st) == 0 && S_ISDIR(st.st_mode);
}

static int put_path(char *buf, size_t size, const char *path, goleak_error *err) {
    if (strlen(path) >= size)
        return error_set(err, GOLEAK_ERANGE, NULL, 0, 0, 0, "buffer too small for %s", path);
    strcpy(buf, path);
    return 0;
}

GOLEAK_API goleak_status goleak_default_packs_dir(char *buf, size_t size, goleak_error *err) {
    if (!buf || size == 0) return error_set(err, GOLEAK_EINVAL, NULL, 0, 0, 0, "NULL argument");
    const char *env = getenv("GOLEAK_RULES_DIR");
    if (env && *env) {
        if (!is_dir(env)) {
            snprintf(buf, size, "%s", env);
            return error_set(err, GOLEAK_ENOTFOUND, env, 0, 0, 0,
                             "GOLEAK_RULES_DIR=%s: no such directory", env);
        }
        return put_path(buf, size, env, err);
    }
    /* where this code was loaded from: a build tree, or an installed library */
    Dl_info info;
    char cand[4096];
    const char *self = NULL;
    if (dladdr((void *)goleak_default_packs_dir, &info) && info.dli_fname &&
        info.dli_fname[0] == '/')
        self = info.dli_fname;
#if defined(GOLEAK_BUILD_DIR) && defined(GOLEAK_SOURCE_RULES_DIR)
    size_t bl = strlen(GOLEAK_BUILD_DIR);
    if (self && strncmp(self, GOLEAK_BUILD_DIR, bl) == 0 && self[bl] == '/' &&
        is_dir(GOLEAK_SOURCE_RULES_DIR))
        return put_path(buf, size, GOLEAK_SOURCE_RULES_DIR, err);
#endif
#if defined(GOLEAK_LIBDIR_TO_RULES)
    const char *slash = self ? strrchr(self, '/') : NULL;
    if (slash && strstr(self, ".so")) {
        snprintf(cand, sizeof cand, "%.*s/%s", (int)(slash - self), self, GOLEAK_LIBDIR_TO_RULES);
        char real[4096];
        if (is_dir(cand)) return put_path(buf, size, realpath(cand, real) ? real : cand, err);
    }
#endif
#if defined(GOLEAK_INSTALL_RULES_DIR)
    if (is_dir(GOLEAK_INSTALL_RULES_DIR)) return put_path(buf, size, GOLEAK_INSTALL_RULES_DIR, err);
#endif
#if defined(GOLEAK_SOURCE_RULES_DIR)
    if (is_dir(GOLEAK_SOURCE_RULES_DIR)) return put_path(buf, size, GOLEAK_SOURCE_RULES_DIR, err);
#endif
    (void)cand;
    snprintf(buf, size, "%s", "share/goleak/rules");
    return error_set(err, GOLEAK_ENOTFOUND, NULL, 0, 0, 0,
                     "the shipped rule packs are not installed (set GOLEAK_RULES_DIR)");
}

GOLEAK_API goleak_status goleak_engine_add_default_packs(goleak_engine *e, goleak_error *err) {
    if (!e) return error_set(err, GOLEAK_EINVAL, NULL, 0, 0, 0, "engine is NULL");
    char dir[4096];
    int rc = goleak_default_packs_dir(dir, sizeof dir, err);
    return rc ? rc : goleak_engine_load_pack_dir(e, dir, err);
}
