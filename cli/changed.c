/* The lines a diff touches, per file: unified diffs read hunk by hunk
 * (only the new side's line ranges matter), from a file or from the git
 * command, whose output is read through a pipe. */
#define _DEFAULT_SOURCE /* realpath */
#include "changed.h"

#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

typedef struct line_range {
    uint32_t first, last;
} line_range;

typedef struct changed_file {
    char *path; /* absolute */
    char *real; /* resolved (NULL: as path), set by the first look-up */
    line_range *ranges;
    size_t len, cap;
} changed_file;

struct changed_set {
    changed_file *files;
    size_t len, cap;
    char *query;     /* the last path asked about */
    long query_file; /* its file, or -1 */
    int resolved;    /* the files' real paths are known */
};

static char *dup_n(const char *s, size_t n) {
    char *d = malloc(n + 1);
    if (d) {
        memcpy(d, s, n);
        d[n] = 0;
    }
    return d;
}

static char *join(const char *dir, const char *name) {
    size_t d = strlen(dir), n = strlen(name);
    char *p = malloc(d + n + 2);
    if (!p) return NULL;
    memcpy(p, dir, d);
    p[d] = '/';
    memcpy(p + d + 1, name, n + 1);
    return p;
}

static changed_file *file_for(changed_set *c, const char *base, const char *rel) {
    while (rel[0] == '.' && rel[1] == '/') rel += 2;
    char *path = rel[0] == '/' ? dup_n(rel, strlen(rel)) : join(base, rel);
    if (!path) return NULL;
    for (size_t k = 0; k < c->len; k++)
        if (strcmp(c->files[k].path, path) == 0) {
            free(path);
            return &c->files[k];
        }
    if (c->len == c->cap) {
        size_t ncap = c->cap ? c->cap * 2 : 16;
        changed_file *f = realloc(c->files, ncap * sizeof *f);
        if (!f) {
            free(path);
            return NULL;
        }
        c->files = f;
        c->cap = ncap;
    }
    changed_file *f = &c->files[c->len++];
    memset(f, 0, sizeof *f);
    f->path = path;
    return f;
}

static int add_range(changed_file *f, uint32_t first, uint32_t last) {
    if (f->len == f->cap) {
        size_t ncap = f->cap ? f->cap * 2 : 16;
        line_range *r = realloc(f->ranges, ncap * sizeof *r);
        if (!r) return -1;
        f->ranges = r;
        f->cap = ncap;
    }
    f->ranges[f->len].first = first;
    f->ranges[f->len].last = last;
    f->len++;
    return 0;
}

/* A path of a ---/+++ line: C-quoted by git when it holds special bytes;
 * ends at a tab (diff -u puts the date there). Allocated; NULL when out of
 * memory. */
static char *diff_path(const char *s, size_t n) {
    if (n == 0 || s[0] != '"') {
        size_t k = 0;
        while (k < n && s[k] != '\t') k++;
        return dup_n(s, k);
    }
    char *out = malloc(n), *w = out;
    if (!out) return NULL;
    for (size_t k = 1; k < n && s[k] != '"'; k++) {
        if (s[k] != '\\' || k + 1 >= n) {
            *w++ = s[k];
            continue;
        }
        char e = s[++k];
        if (e >= '0' && e <= '7' && k + 2 < n) { /* \ooo: a byte */
            *w++ = (char)(((e - '0') << 6) | ((s[k + 1] - '0') << 3) | (s[k + 2] - '0'));
            k += 2;
        } else {
            *w++ = e == 'n' ? '\n' : e == 't' ? '\t' : e == 'r' ? '\r' : e;
        }
    }
    *w = 0;
    return out;
}

/* Reads a unified diff; paths relative to base. 0, or -1 (out of memory). */
static int parse_diff(changed_set *c, const char *text, size_t len, const char *base) {
    changed_file *cur = NULL;
    int git_prefixes = 0;
    for (size_t pos = 0; pos < len;) {
        const char *line = text + pos;
        const char *nl = memchr(line, '\n', len - pos);
        size_t n = nl ? (size_t)(nl - line) : len - pos;
        pos += n + 1;
        if (n && line[n - 1] == '\r') n--;
        if (n >= 11 && memcmp(line, "diff --git ", 11) == 0) {
            git_prefixes = 1; /* git's format: a/ and b/ (a new file's --- is /dev/null) */
            cur = NULL;
        } else if (n >= 4 && memcmp(line, "--- ", 4) == 0) {
            if (n >= 6 && memcmp(line + 4, "a/", 2) == 0) git_prefixes = 1;
            cur = NULL;
        } else if (n >= 4 && memcmp(line, "+++ ", 4) == 0) {
            char *p = diff_path(line + 4, n - 4);
            if (!p) return -1;
            const char *rel = p;
            if (strcmp(p, "/dev/null") == 0) {
                free(p);
                cur = NULL; /* a deleted file: nothing of it is scanned */
                continue;
            }
            if (git_prefixes && strncmp(rel, "b/", 2) == 0) rel += 2;
            cur = file_for(c, base, rel);
            free(p);
            if (!cur) return -1;
        } else if (cur && n >= 4 && memcmp(line, "@@ -", 4) == 0) {
            const char *plus = memchr(line, '+', n);
            if (!plus) continue;
            char *end;
            unsigned long start = strtoul(plus + 1, &end, 10), count = 1;
            if (*end == ',') count = strtoul(end + 1, &end, 10);
            if (start > UINT32_MAX || count > UINT32_MAX) continue;
            /* a deletion (no new lines) touches the lines around it */
            uint32_t first = (uint32_t)start, last = (uint32_t)(start + count - 1);
            if (count == 0) {
                first = start ? (uint32_t)start : 1;
                last = (uint32_t)start + 1;
            }
            if (add_range(cur, first, last)) return -1;
        }
    }
    return 0;
}

/* Runs argv (argv[0] found on PATH) and reads its standard output into
 * *out (caller frees). Its exit status, or -1 when it could not run; the
 * start of its standard error in err. */
static int run(char *const argv[], char **out, size_t *outlen, char *err, size_t errlen) {
    *out = NULL;
    *outlen = 0;
    err[0] = 0;
    int fds[2];
    FILE *errfp = tmpfile();
    if (!errfp || pipe(fds) != 0) {
        if (errfp) fclose(errfp);
        snprintf(err, errlen, "%s", strerror(errno));
        return -1;
    }
    fflush(stdout);
    fflush(stderr);
    pid_t pid = fork();
    if (pid < 0) {
        snprintf(err, errlen, "%s", strerror(errno));
        close(fds[0]);
        close(fds[1]);
        fclose(errfp);
        return -1;
    }
    if (pid == 0) {
        dup2(fds[1], 1);
        dup2(fileno(errfp), 2);
        close(fds[0]);
        close(fds[1]);
        execvp(argv[0], argv);
        fprintf(stderr, "cannot run %s: %s", argv[0], strerror(errno));
        _exit(127);
    }
    close(fds[1]);
    size_t cap = 0;
    char chunk[1 << 14];
    ssize_t got;
    int oom = 0;
    while ((got = read(fds[0], chunk, sizeof chunk)) != 0) {
        if (got < 0) {
            if (errno == EINTR) continue;
            break;
        }
        if (*outlen + (size_t)got + 1 > cap) {
            size_t ncap = cap ? cap * 2 : sizeof chunk * 2;
            while (ncap < *outlen + (size_t)got + 1) ncap *= 2;
            char *p = realloc(*out, ncap);
            if (!p) {
                oom = 1;
                continue; /* drain the pipe */
            }
            *out = p;
            cap = ncap;
        }
        memcpy(*out + *outlen, chunk, (size_t)got);
        *outlen += (size_t)got;
    }
    close(fds[0]);
    int status;
    while (waitpid(pid, &status, 0) < 0 && errno == EINTR) {
    }
    rewind(errfp);
    size_t e = fread(err, 1, errlen - 1, errfp);
    err[e] = 0;
    while (e > 0 && (err[e - 1] == '\n' || err[e - 1] == '\r')) err[--e] = 0;
    char *nl = strchr(err, '\n'); /* the first line says it */
    if (nl) *nl = 0;
    fclose(errfp);
    if (oom) {
        snprintf(err, errlen, "out of memory");
        return -1;
    }
    if (*out) (*out)[*outlen] = 0;
    return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

changed_set *changed_from_rev(const char *rev, const char *dir, char *err, size_t errlen) {
    char msg[512];
    char *out;
    size_t len;
    char *top_argv[] = {"git", "-C", (char *)dir, "rev-parse", "--show-toplevel", NULL};
    int rc = run(top_argv, &out, &len, msg, sizeof msg);
    if (rc != 0) {
        free(out);
        if (rc == 127 || rc < 0)
            snprintf(err, errlen, "the git command is needed (%s)", msg);
        else
            snprintf(err, errlen, "%s is not in a git repository (%s)", dir, msg);
        return NULL;
    }
    while (len && (out[len - 1] == '\n' || out[len - 1] == '\r')) out[--len] = 0;
    char *top = out;
    changed_set *c = calloc(1, sizeof *c);
    if (!c) {
        free(top);
        snprintf(err, errlen, "out of memory");
        return NULL;
    }
    c->query_file = -1;
    /* the working tree against rev (staged and unstaged changes) */
    char *diff_argv[] = {"git",
                         "-C",
                         top,
                         "-c",
                         "core.quotePath=false",
                         "diff",
                         "--no-color",
                         "--no-ext-diff",
                         "--unified=0",
                         "--src-prefix=a/",
                         "--dst-prefix=b/",
                         (char *)rev,
                         "--",
                         NULL};
    rc = run(diff_argv, &out, &len, msg, sizeof msg);
    if (rc != 0) {
        snprintf(err, errlen, "git diff %s failed (%s)", rev, msg);
        free(out);
        free(top);
        changed_free(c);
        return NULL;
    }
    int bad = parse_diff(c, out ? out : "", len, top);
    free(out);
    /* files git does not track yet are new from the first line to the last */
    char *new_argv[] = {"git",         "-C", top, "ls-files", "--others", "--exclude-standard",
                        "--full-name", "-z", NULL};
    rc = bad ? 0 : run(new_argv, &out, &len, msg, sizeof msg);
    if (!bad && rc != 0) {
        snprintf(err, errlen, "git ls-files failed (%s)", msg);
        free(out);
        free(top);
        changed_free(c);
        return NULL;
    }
    for (size_t k = 0; !bad && out && k < len;) {
        size_t n = strlen(out + k);
        changed_file *f = n ? file_for(c, top, out + k) : NULL;
        if (n && (!f || add_range(f, 1, UINT32_MAX))) bad = 1;
        k += n + 1;
    }
    if (!bad) free(out);
    free(top);
    if (bad) {
        snprintf(err, errlen, "out of memory");
        changed_free(c);
        return NULL;
    }
    return c;
}

changed_set *changed_from_patch(const char *file, char *err, size_t errlen) {
    FILE *fp = fopen(file, "rb");
    if (!fp) {
        snprintf(err, errlen, "%s: %s", file, strerror(errno));
        return NULL;
    }
    char *text = NULL;
    size_t len = 0, cap = 0, got;
    char chunk[1 << 14];
    int bad = 0;
    while (!bad && (got = fread(chunk, 1, sizeof chunk, fp)) > 0) {
        if (len + got > cap) {
            size_t ncap = cap ? cap * 2 : sizeof chunk;
            while (ncap < len + got) ncap *= 2;
            char *t = realloc(text, ncap);
            if (!t) {
                bad = 1;
                break;
            }
            text = t;
            cap = ncap;
        }
        memcpy(text + len, chunk, got);
        len += got;
    }
    if (ferror(fp)) bad = 1;
    fclose(fp);
    char cwd[PATH_MAX];
    changed_set *c = calloc(1, sizeof *c);
    if (bad || !c || !getcwd(cwd, sizeof cwd) || parse_diff(c, text ? text : "", len, cwd)) {
        snprintf(err, errlen, "%s: %s", file,
                 bad ? "read error" : strerror(errno ? errno : ENOMEM));
        free(text);
        changed_free(c);
        return NULL;
    }
    c->query_file = -1;
    free(text);
    return c;
}

/* The file of the set that path names, or -1: paths are compared resolved
 * (symbolic links, "..", relative to the working directory). */
static long find_file(changed_set *c, const char *path) {
    if (c->query && strcmp(c->query, path) == 0) return c->query_file;
    free(c->query);
    c->query = dup_n(path, strlen(path));
    c->query_file = -1;
    char real[PATH_MAX], cwd[PATH_MAX];
    char *abs = NULL;
    if (realpath(path, real)) {
        abs = dup_n(real, strlen(real));
    } else if (path[0] == '/') {
        abs = dup_n(path, strlen(path));
    } else if (getcwd(cwd, sizeof cwd)) {
        const char *rel = path;
        while (rel[0] == '.' && rel[1] == '/') rel += 2;
        abs = join(cwd, rel);
    }
    if (!c->resolved) {
        for (size_t k = 0; k < c->len; k++) {
            char r[PATH_MAX];
            if (realpath(c->files[k].path, r)) c->files[k].real = dup_n(r, strlen(r));
        }
        c->resolved = 1;
    }
    for (size_t k = 0; abs && k < c->len; k++) {
        const char *fp = c->files[k].real ? c->files[k].real : c->files[k].path;
        if (strcmp(fp, abs) == 0) {
            c->query_file = (long)k;
            break;
        }
    }
    free(abs);
    return c->query_file;
}

int changed_touches(changed_set *c, const char *path, uint32_t first, uint32_t last) {
    long k = find_file(c, path);
    if (k < 0) return 0;
    const changed_file *f = &c->files[k];
    for (size_t i = 0; i < f->len; i++)
        if (f->ranges[i].first <= last && f->ranges[i].last >= first) return 1;
    return 0;
}

void changed_free(changed_set *c) {
    if (!c) return;
    for (size_t k = 0; k < c->len; k++) {
        free(c->files[k].path);
        free(c->files[k].real);
        free(c->files[k].ranges);
    }
    free(c->files);
    free(c->query);
    free(c);
}
