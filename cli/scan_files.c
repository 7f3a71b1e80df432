/* Collecting the entries of a scan: walking directories for *.go files (as
 * the go command does: skipping vendor/, testdata/ and names starting with
 * "." or "_"), with a stack of its own so that no depth of directories can
 * exhaust the thread's; --exclude globs; a file list on stdin; each file's
 * Go version from the nearest go.mod (cached per directory); and a notice
 * entry, once per path, for each path the scan cannot check and each
 * go.mod it cannot read. */
#define _DEFAULT_SOURCE /* d_type and DT_* of readdir, where the system has them */
#include "scan.h"

#include <dirent.h>
#include <errno.h>
#include <fnmatch.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

struct gomod_entry {
    char *dir;
    char *version; /* NULL: no go.mod, or one without a usable go line */
};

static char *dup(const char *s) {
    size_t n = strlen(s) + 1;
    char *d = malloc(n);
    if (d) memcpy(d, s, n);
    return d;
}

/* dir + "/" + name, allocated. */
static char *join(const char *dir, const char *name) {
    size_t d = strlen(dir), n = strlen(name);
    int slash = d > 0 && dir[d - 1] != '/';
    char *p = malloc(d + (size_t)slash + n + 1);
    if (!p) return NULL;
    memcpy(p, dir, d);
    if (slash) p[d] = '/';
    memcpy(p + d + (size_t)slash, name, n + 1);
    return p;
}

static const char *base_name(const char *path) {
    const char *s = strrchr(path, '/');
    return s ? s + 1 : path;
}

static int is_go_name(const char *path) {
    size_t n = strlen(path);
    return n > 3 && strcmp(path + n - 3, ".go") == 0;
}

static int excluded(const char *path, const walk_options *o) {
    if (o->skip && o->skip(path, o->skip_ctx)) return 1;
    for (size_t k = 0; k < o->nexcludes; k++) {
        if (fnmatch(o->excludes[k], path, 0) == 0) return 1;
        if (fnmatch(o->excludes[k], base_name(path), 0) == 0) return 1;
    }
    return 0;
}

/* Appends an entry (the list takes path and notice). Under the scan's lock,
 * since workers copy items while the list grows. 0 or -1. */
static int append(file_list *l, char *path, char *version, char *notice, int level) {
    if (l->lock) l->lock(l->hook_ctx, 1);
    if (l->len == l->cap) {
        size_t ncap = l->cap ? l->cap * 2 : 256;
        scan_file *items = realloc(l->items, ncap * sizeof *items);
        if (!items) {
            if (l->lock) l->lock(l->hook_ctx, 0);
            free(path);
            free(notice);
            return -1;
        }
        l->items = items;
        l->cap = ncap;
    }
    scan_file *f = &l->items[l->len++];
    f->path = path;
    f->go_version = version;
    f->notice = notice;
    f->level = level;
    if (l->lock) l->lock(l->hook_ctx, 0);
    if (l->added) l->added(l->hook_ctx);
    return 0;
}

/* A notice about path with message msg (which names it), unless path was
 * named before. 0 or -1 (out of memory). */
static int add_notice(file_list *l, const char *path, int level, const char *msg) {
    int fresh = str_set_add(&l->noticed, path);
    if (fresh <= 0) return fresh;
    char *m = dup(msg), *p = dup(path);
    if (!m || !p) {
        free(m);
        free(p);
        return -1;
    }
    return append(l, p, NULL, m, level);
}

/* A notice "PATH: reason". */
static int notice(file_list *l, const char *path, int level, const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 4, 5)))
#endif
    ;

static int notice(file_list *l, const char *path, int level, const char *fmt, ...) {
    char reason[256];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(reason, sizeof reason, fmt, ap);
    va_end(ap);
    size_t n = strlen(path) + 2 + strlen(reason) + 1;
    char *msg = malloc(n);
    if (!msg) return -1;
    snprintf(msg, n, "%s: %s", path, reason);
    int rc = add_notice(l, path, level, msg);
    free(msg);
    return rc;
}

/* The Go version for files of directory dir (cached; the newest entries,
 * the walk's current directories, are looked at first). A go.mod that
 * cannot be read or whose go line is not a version gives one warning, and
 * the version is then unknown, as without a go.mod. */
static char *version_for_dir(file_list *l, const char *dir) {
    for (size_t k = l->cache_len; k-- > 0;)
        if (strcmp(l->cache[k].dir, dir) == 0) return l->cache[k].version;
    char buf[64];
    char *version = NULL;
    goleak_error *err = goleak_error_new();
    int rc = goleak_go_version_for_path(buf, sizeof buf, dir, err);
    if (rc == 0) {
        version = dup(buf);
    } else if (rc != GOLEAK_ENOTFOUND && err && goleak_error_file(err)) {
        /* the message names the go.mod (and the line) already */
        if (add_notice(l, goleak_error_file(err), NOTICE_WARNING, goleak_error_message(err))) {
            goleak_error_free(err);
            return NULL;
        }
    }
    goleak_error_free(err);
    if (l->cache_len == l->cache_cap) {
        size_t ncap = l->cache_cap ? l->cache_cap * 2 : 16;
        struct gomod_entry *p = realloc(l->cache, ncap * sizeof *p);
        if (!p) return version;
        l->cache = p;
        l->cache_cap = ncap;
    }
    char *d = dup(dir);
    if (!d) return version;
    l->cache[l->cache_len].dir = d;
    l->cache[l->cache_len].version = version;
    l->cache_len++;
    return version;
}

/* Whether directory dir has a go.mod of its own (a regular file). */
static int has_gomod(const char *dir) {
    char *gomod = join(strcmp(dir, "/") == 0 ? "" : dir, "go.mod");
    struct stat st;
    int yes = gomod && stat(gomod, &st) == 0 && S_ISREG(st.st_mode);
    free(gomod);
    return yes;
}

/* Appends file path, unless the same file (device and inode) was added.
 * Its Go version is --go-version's, else *known when known is not NULL (the
 * walk knows its directory's), else looked up. */
static int push_file(file_list *l, const char *path, const walk_options *o, char *const *known,
                     uint64_t dev, uint64_t ino) {
    int fresh = id_set_add(&l->seen_ids, dev, ino);
    if (fresh <= 0) return fresh;
    char *version;
    if (o->go_version) {
        version = (char *)o->go_version;
    } else if (known) {
        version = *known;
    } else {
        const char *slash = strrchr(path, '/');
        char *dir = slash == path ? dup("/")
                    : slash       ? strndup(path, (size_t)(slash - path))
                                  : dup(".");
        if (!dir) return -1;
        version = version_for_dir(l, dir);
        free(dir);
    }
    char *p = dup(path);
    if (!p) return -1;
    return append(l, p, version, NULL, NOTICE_NONE);
}

/* A directory entry the walk looks at. */
struct entry {
    char *name;
    unsigned char type; /* d_type: DT_UNKNOWN when the file system does not say */
    uint64_t ino;
};

static int entry_cmp(const void *a, const void *b) {
    return strcmp(((const struct entry *)a)->name, ((const struct entry *)b)->name);
}

/* One directory of the walk: its entries, sorted, and how far it got. */
typedef struct dir_frame {
    char *path;
    char *version; /* its Go version */
    uint64_t dev;  /* its device: its files' too */
    struct entry *names;
    size_t n, next;
} dir_frame;

static void frame_free(dir_frame *f) {
    for (size_t k = f->next; k < f->n; k++) free(f->names[k].name);
    free(f->names);
    free(f->path);
}

/* Reads directory path into *f (taking path). 1 when there is something
 * to walk, 0 when not (unreadable: a notice; walked before: nothing), -1
 * when out of memory. */
static int open_dir(file_list *l, char *path, const walk_options *o, char *const *parent_version,
                    dir_frame *f) {
    memset(f, 0, sizeof *f);
    f->path = path;
    DIR *d = opendir(path);
    if (!d) {
        int rc = notice(l, path, NOTICE_SKIPPED, "%s", strerror(errno));
        free(path);
        return rc;
    }
    struct stat st;
    if (fstat(dirfd(d), &st) == 0) {
        int fresh = id_set_add(&l->seen_ids, (uint64_t)st.st_dev, (uint64_t)st.st_ino);
        if (fresh <= 0) { /* walked already (named twice), or no memory */
            closedir(d);
            free(path);
            return fresh;
        }
        f->dev = (uint64_t)st.st_dev;
    }
    if (!o->go_version)
        f->version =
            parent_version && !has_gomod(path) ? *parent_version : version_for_dir(l, path);
    size_t cap = 0;
    struct dirent *e;
    int rc = 1;
    while ((e = readdir(d))) {
        const char *s = e->d_name;
        if (s[0] == '.' || s[0] == '_') continue; /* as the go command: hidden and _ names */
        if (f->n == cap) {
            cap = cap ? cap * 2 : 32;
            struct entry *p = realloc(f->names, cap * sizeof *p);
            if (!p) {
                rc = -1;
                break;
            }
            f->names = p;
        }
        struct entry *it = &f->names[f->n];
        it->name = dup(s);
        if (!it->name) {
            rc = -1;
            break;
        }
#ifdef DT_DIR
        it->type = e->d_type;
#else
        it->type = 0; /* unknown: lstat says */
#endif
        it->ino = (uint64_t)e->d_ino;
        f->n++;
    }
    closedir(d);
    if (f->n > 1) qsort(f->names, f->n, sizeof *f->names, entry_cmp);
    if (rc < 0) {
        frame_free(f);
        memset(f, 0, sizeof *f);
    }
    return rc;
}

/* What the walk does with an entry. */
enum { SKIP, FILE_ENTRY, DIR_ENTRY };

/* Classifies path (an entry of a walked directory): a Go file, a directory
 * to walk, or nothing; a *.go path that cannot be checked becomes a notice.
 * Fills *dev and *ino for files. -1 when out of memory. */
static int classify(file_list *l, const char *path, const struct entry *it, uint64_t dir_dev,
                    uint64_t *dev, uint64_t *ino) {
    *dev = dir_dev;
    *ino = it->ino;
#ifdef DT_DIR
    if (it->type == DT_DIR) return DIR_ENTRY;
    if (it->type == DT_REG) return is_go_name(path) ? FILE_ENTRY : SKIP;
#endif
    /* the type is not known, or not a plain one */
    struct stat st;
    if (lstat(path, &st) != 0)
        return is_go_name(path) ? notice(l, path, NOTICE_SKIPPED, "%s", strerror(errno)) : SKIP;
    if (S_ISDIR(st.st_mode)) return DIR_ENTRY;
    int link = S_ISLNK(st.st_mode);
    if (link) {
        /* links are followed to files only: a link to a directory could
         * make a cycle, and the go command does not follow them either */
        if (stat(path, &st) != 0) {
            if (!is_go_name(path)) return SKIP;
            int e = errno;
            return notice(l, path, NOTICE_SKIPPED, "%s",
                          e == ENOENT  ? "dangling symbolic link"
                          : e == ELOOP ? "symbolic link loop"
                                       : strerror(e));
        }
        if (S_ISDIR(st.st_mode)) return SKIP;
    }
    if (!is_go_name(path)) return SKIP;
    if (!S_ISREG(st.st_mode))
        return notice(l, path, NOTICE_SKIPPED,
                      link ? "links to a file that is not a regular file" : "not a regular file");
    *dev = (uint64_t)st.st_dev;
    *ino = (uint64_t)st.st_ino;
    return FILE_ENTRY;
}

/* Adds the files of frame f's directory (in name order), and keeps in
 * f->names only its subdirectories, to walk next: a directory's files are
 * consecutive in the list, so that the scan checks each package's files
 * together. 0, or -1 when out of memory. */
static int add_dir_files(file_list *l, dir_frame *f, const walk_options *o) {
    size_t kept = 0;
    int rc = 0;
    for (size_t k = 0; k < f->n; k++) {
        struct entry it = f->names[k];
        char *path = rc == 0 ? join(f->path, it.name) : NULL;
        int kind = SKIP;
        if (path && !excluded(path, o)) {
            uint64_t dev, ino;
            kind = classify(l, path, &it, f->dev, &dev, &ino);
            if (kind == FILE_ENTRY && push_file(l, path, o, &f->version, dev, ino)) kind = -1;
        }
        if (rc == 0 && (!path || kind < 0)) rc = -1;
        free(path);
        if (kind == DIR_ENTRY && rc == 0)
            f->names[kept++] = it;
        else
            free(it.name);
    }
    f->n = kept;
    f->next = 0;
    return rc;
}

/* Walks directory root depth first, in name order, each directory's files
 * before its subdirectories, with a stack of open directories. */
static int walk(file_list *l, char *root, const walk_options *o) {
    struct {
        dir_frame *data;
        size_t len, cap;
    } stack = {NULL, 0, 0};
    int rc = 0;
    dir_frame top;
    int opened = open_dir(l, root, o, NULL, &top);
    if (opened < 0) return -1;
    if (opened == 0) return 0;
    if (add_dir_files(l, &top, o)) {
        frame_free(&top);
        return -1;
    }
    stack.data = malloc(16 * sizeof *stack.data);
    if (!stack.data) {
        frame_free(&top);
        return -1;
    }
    stack.cap = 16;
    stack.data[stack.len++] = top;
    while (stack.len > 0 && rc == 0) {
        dir_frame *f = &stack.data[stack.len - 1];
        if (f->next == f->n) {
            frame_free(f);
            stack.len--;
            continue;
        }
        struct entry it = f->names[f->next++];
        char *path = join(f->path, it.name);
        free(it.name);
        if (!path) {
            rc = -1;
            break;
        }
        const char *b = base_name(path);
        if ((!o->include_vendor && strcmp(b, "vendor") == 0) ||
            (!o->include_testdata && strcmp(b, "testdata") == 0)) {
            free(path);
            continue;
        }
        if (is_go_name(path) &&
            notice(l, path, NOTICE_WARNING, "a directory named like a Go file: walked")) {
            free(path);
            rc = -1;
            break;
        }
        if (stack.len == stack.cap) {
            dir_frame *p = realloc(stack.data, 2 * stack.cap * sizeof *p);
            if (!p) {
                free(path);
                rc = -1;
                break;
            }
            stack.data = p;
            stack.cap *= 2;
            f = &stack.data[stack.len - 1];
        }
        dir_frame child;
        int r = open_dir(l, path, o, &f->version, &child);
        if (r > 0 && add_dir_files(l, &child, o)) {
            frame_free(&child);
            r = -1;
        }
        if (r < 0) rc = -1;
        if (r > 0) stack.data[stack.len++] = child;
    }
    while (stack.len > 0) frame_free(&stack.data[--stack.len]);
    free(stack.data);
    return rc;
}

int files_add_path(file_list *l, const char *path, const walk_options *o) {
    struct stat st;
    if (stat(path, &st) != 0) {
        int e = errno;
        struct stat lst;
        int dangling = e == ENOENT && lstat(path, &lst) == 0 && S_ISLNK(lst.st_mode);
        return notice(l, path, NOTICE_SKIPPED, "%s",
                      dangling     ? "dangling symbolic link"
                      : e == ELOOP ? "symbolic link loop"
                                   : strerror(e));
    }
    if (S_ISDIR(st.st_mode)) {
        char *root = dup(path);
        return root ? walk(l, root, o) : -1;
    }
    /* a file named explicitly is scanned whatever its name */
    if (!S_ISREG(st.st_mode)) return notice(l, path, NOTICE_SKIPPED, "not a regular file");
    return push_file(l, path, o, NULL, (uint64_t)st.st_dev, (uint64_t)st.st_ino);
}

int files_add_stdin(file_list *l, const walk_options *o) {
    char *line = NULL;
    size_t cap = 0;
    ssize_t n;
    int rc = 0;
    while (rc == 0 && (n = getline(&line, &cap, stdin)) >= 0) {
        while (n > 0 && (line[n - 1] == '\n' || line[n - 1] == '\r')) line[--n] = 0;
        if (n == 0) continue;
        rc = files_add_path(l, line, o);
    }
    free(line);
    return rc;
}

void files_free(file_list *l) {
    for (size_t k = 0; k < l->len; k++) {
        free(l->items[k].path);
        free(l->items[k].notice);
    }
    for (size_t k = 0; k < l->cache_len; k++) {
        free(l->cache[k].dir);
        free(l->cache[k].version);
    }
    free(l->items);
    free(l->cache);
    id_set_free(&l->seen_ids);
    str_set_free(&l->noticed);
    memset(l, 0, sizeof *l);
}
