/* Collecting the files of a scan: walking directories for *.go files (as the
 * go command does: skipping vendor/, testdata/ and names starting with "."
 * or "_"), --exclude globs, a file list on stdin, and each file's Go
 * version from the nearest go.mod (cached per directory). */
#define _DEFAULT_SOURCE /* d_type and DT_* of readdir, where the system has them */
#include "scan.h"

#include <dirent.h>
#include <errno.h>
#include <fnmatch.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

struct gomod_entry {
    char *dir;
    char *version; /* NULL: no go.mod */
};

static char *dup(const char *s) {
    size_t n = strlen(s) + 1;
    char *d = malloc(n);
    if (d) memcpy(d, s, n);
    return d;
}

int is_test_path(const char *path) {
    size_t n = strlen(path);
    return n >= 8 && strcmp(path + n - 8, "_test.go") == 0;
}

static const char *base_name(const char *path) {
    const char *s = strrchr(path, '/');
    return s ? s + 1 : path;
}

static int excluded(const char *path, const walk_options *o) {
    for (size_t k = 0; k < o->nexcludes; k++) {
        if (fnmatch(o->excludes[k], path, 0) == 0) return 1;
        if (fnmatch(o->excludes[k], base_name(path), 0) == 0) return 1;
    }
    return 0;
}

/* The Go version for files of directory dir (cached; the newest entries,
 * the walk's current directories, are looked at first). */
static char *version_for_dir(file_list *l, const char *dir) {
    for (size_t k = l->cache_len; k-- > 0;)
        if (strcmp(l->cache[k].dir, dir) == 0) return l->cache[k].version;
    char buf[64];
    char *version = NULL;
    if (goleak_go_version_for_path(buf, sizeof buf, dir, NULL) == 0) version = dup(buf);
    if (l->cache_len == l->cache_cap) {
        size_t ncap = l->cache_cap ? l->cache_cap * 2 : 16;
        struct gomod_entry *p = realloc(l->cache, ncap * sizeof *p);
        if (!p) return version;
        l->cache = p;
        l->cache_cap = ncap;
    }
    l->cache[l->cache_len].dir = dup(dir);
    l->cache[l->cache_len].version = version;
    l->cache_len++;
    return version;
}

/* Whether directory dir has a go.mod of its own (a regular file). */
static int has_gomod(const char *dir) {
    char gomod[4200];
    struct stat st;
    snprintf(gomod, sizeof gomod, "%s/go.mod", strcmp(dir, "/") == 0 ? "" : dir);
    return stat(gomod, &st) == 0 && S_ISREG(st.st_mode);
}

/* Appends path. Its Go version is --go-version's, else *known when known
 * is not NULL (the walk knows its directory's), else looked up. */
static int push(file_list *l, const char *path, const walk_options *o, char *const *known) {
    char *p = dup(path);
    if (!p) return -1;
    char *version;
    if (o->go_version) {
        version = (char *)o->go_version;
    } else if (known) {
        version = *known;
    } else {
        char dir[4096];
        const char *slash = strrchr(path, '/');
        size_t n = slash ? (size_t)(slash - path) : 1;
        if (n >= sizeof dir) n = sizeof dir - 1;
        memcpy(dir, slash ? path : ".", n);
        dir[n] = 0;
        if (slash == path) strcpy(dir, "/");
        version = version_for_dir(l, dir);
    }
    if (l->lock) l->lock(l->hook_ctx, 1); /* workers copy items while it grows */
    if (l->len == l->cap) {
        size_t ncap = l->cap ? l->cap * 2 : 256;
        scan_file *items = realloc(l->items, ncap * sizeof *items);
        if (!items) {
            if (l->lock) l->lock(l->hook_ctx, 0);
            free(p);
            return -1;
        }
        l->items = items;
        l->cap = ncap;
    }
    l->items[l->len].path = p;
    l->items[l->len].go_version = version;
    l->len++;
    if (l->lock) l->lock(l->hook_ctx, 0);
    if (l->added) l->added(l->hook_ctx);
    return 0;
}

/* A directory entry the walk looks at. */
struct entry {
    char *name;
    unsigned char type; /* d_type: DT_UNKNOWN when the file system does not say */
};

static int entry_cmp(const void *a, const void *b) {
    return strcmp(((const struct entry *)a)->name, ((const struct entry *)b)->name);
}

/* Walks directory dir. parent_version: the version of its parent directory
 * when the walk came from there, NULL at the start: a directory without a
 * go.mod of its own has its parent's version (the nearest go.mod above), so
 * each directory costs one stat instead of one per level above it. */
static int walk_dir(file_list *l, const char *dir, const walk_options *o,
                    char *const *parent_version) {
    char *version = NULL;
    if (!o->go_version)
        version = parent_version && !has_gomod(dir) ? *parent_version : version_for_dir(l, dir);
    DIR *d = opendir(dir);
    if (!d) {
        fprintf(stderr, "goleak: %s: %s\n", dir, strerror(errno));
        return -1;
    }
    struct entry *names = NULL;
    size_t n = 0, cap = 0;
    struct dirent *e;
    while ((e = readdir(d))) {
        const char *s = e->d_name;
        if (s[0] == '.' || s[0] == '_') continue; /* as the go command: hidden and _ names */
        if (n == cap) {
            cap = cap ? cap * 2 : 32;
            struct entry *p = realloc(names, cap * sizeof *p);
            if (!p) break;
            names = p;
        }
        names[n].name = dup(s);
#ifdef DT_DIR
        names[n].type = e->d_type;
#else
        names[n].type = 0; /* unknown: lstat says */
#endif
        if (names[n].name) n++;
    }
    closedir(d);
    if (n > 1) qsort(names, n, sizeof *names, entry_cmp);
    int rc = 0;
    for (size_t k = 0; k < n; k++) {
        char path[4096];
        int len = snprintf(path, sizeof path, "%s%s%s", dir, dir[strlen(dir) - 1] == '/' ? "" : "/",
                           names[k].name);
        free(names[k].name);
        if (len < 0 || (size_t)len >= sizeof path) continue;
#ifdef DT_DIR
        int is_dir = names[k].type == DT_DIR, is_reg = names[k].type == DT_REG;
#else
        int is_dir = 0, is_reg = 0;
#endif
        if (!is_dir && !is_reg) { /* the type is not known, or a link */
            struct stat st;
            /* lstat: symbolic links to directories are not followed (no cycles) */
            if (lstat(path, &st) != 0) continue;
            if (S_ISLNK(st.st_mode)) {
                if (stat(path, &st) != 0 || S_ISDIR(st.st_mode)) continue;
            }
            is_dir = S_ISDIR(st.st_mode);
            is_reg = S_ISREG(st.st_mode);
        }
        if (excluded(path, o)) continue;
        if (is_dir) {
            const char *b = base_name(path);
            if ((!o->include_vendor && strcmp(b, "vendor") == 0) ||
                (!o->include_testdata && strcmp(b, "testdata") == 0))
                continue;
            if (walk_dir(l, path, o, &version)) rc = -1;
        } else if (is_reg) {
            size_t pl = strlen(path);
            if (pl > 3 && strcmp(path + pl - 3, ".go") == 0 &&
                !(o->skip_tests && is_test_path(path)) && push(l, path, o, &version))
                rc = -1;
        }
    }
    free(names);
    return rc;
}

int files_add_path(file_list *l, const char *path, const walk_options *o) {
    struct stat st;
    if (stat(path, &st) != 0) {
        fprintf(stderr, "goleak: %s: %s\n", path, strerror(errno));
        return -1;
    }
    if (S_ISDIR(st.st_mode)) return walk_dir(l, path, o, NULL);
    if (o->skip_tests && is_test_path(path)) return 0;
    /* a file named explicitly is scanned whatever its name */
    if (push(l, path, o, NULL)) {
        fprintf(stderr, "goleak: out of memory\n");
        return -1;
    }
    return 0;
}

int files_add_stdin(file_list *l, const walk_options *o) {
    char line[4096];
    int rc = 0;
    while (fgets(line, sizeof line, stdin)) {
        line[strcspn(line, "\r\n")] = 0;
        if (!line[0]) continue;
        if (files_add_path(l, line, o)) rc = -1;
    }
    return rc;
}

void files_free(file_list *l) {
    for (size_t k = 0; k < l->len; k++) free(l->items[k].path);
    for (size_t k = 0; k < l->cache_len; k++) {
        free(l->cache[k].dir);
        free(l->cache[k].version);
    }
    free(l->items);
    free(l->cache);
    memset(l, 0, sizeof *l);
}
