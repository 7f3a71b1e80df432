/* The Go version of a module: the `go` line of the nearest go.mod, read as
 * a stream (gomod.h). */
#include "gomod.h"

#include "error.h"
#include "goleak.h"

#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

void gomod_scan_init(gomod_scan *s) {
    memset(s, 0, sizeof *s);
    s->line = 1;
}

static void end_line(gomod_scan *s) {
    /* "require (" opens a block, a line starting with ")" closes it */
    if (s->last_open) s->block = 1;
    s->state = GS_START;
    s->word_len = 0;
    s->last_open = 0;
    s->slash = 0;
    s->in_comment = 0;
    s->line++;
    s->column = 0;
}

/* The first word ended: a top-level "go" starts the value. */
static void end_word(gomod_scan *s, uint8_t c) {
    int is_go = s->word_len == 2 && s->word[0] == 'g' && s->word[1] == 'o' && !s->block;
    s->state = is_go && (c == ' ' || c == '\t') ? GS_GAP : GS_REST;
}

static void feed_byte(gomod_scan *s, uint8_t c) {
    s->column++;
    if (c == '\n') {
        if (s->state == GS_VALUE) s->done = 1;
        end_line(s);
        return;
    }
    /* comments and the last significant byte, for blocks */
    if (!s->in_comment) {
        if (c == '/' && s->slash) {
            s->in_comment = 1;
        } else if (c != ' ' && c != '\t' && c != '\r') {
            s->last_open = c == '(' && s->state != GS_VALUE;
        }
        s->slash = c == '/';
    }
    switch (s->state) {
    case GS_START:
        if (c == ' ' || c == '\t' || c == '\r') return;
        if (c == ')') s->block = 0;
        s->state = GS_WORD;
        /* fall through */
    case GS_WORD:
        if (c == ' ' || c == '\t' || c == '\r' || c == '/') {
            end_word(s, c);
            return;
        }
        if (s->word_len < sizeof s->word) s->word[s->word_len] = (char)c;
        s->word_len++;
        return;
    case GS_GAP:
        if (c == ' ' || c == '\t') return;
        if (c == '\r' || c == '/') {
            s->state = GS_REST; /* "go" with nothing after it */
            return;
        }
        s->state = GS_VALUE;
        s->found = 1;
        s->value_line = s->line;
        s->value_column = s->column;
        /* fall through */
    case GS_VALUE:
        if (c == ' ' || c == '\t' || c == '\r' || c == '/') {
            s->done = 1;
            s->state = GS_REST;
            return;
        }
        if (s->value_len < GOMOD_VERSION_MAX)
            s->value[s->value_len++] = (char)c;
        else
            s->value_too_long = 1;
        return;
    case GS_REST: return;
    }
}

void gomod_scan_feed(gomod_scan *s, const char *data, size_t n) {
    for (size_t k = 0; k < n && !s->done; k++) feed_byte(s, (uint8_t)data[k]);
}

int gomod_scan_end(gomod_scan *s) {
    if (s->value_too_long) {
        /* kept as far as it goes, marked as cut */
        memcpy(s->value + GOMOD_VERSION_MAX - 3, "...", 3);
        s->value_len = GOMOD_VERSION_MAX;
    }
    s->value[s->value_len] = 0;
    return s->found;
}

int gomod_valid_version(const char *v) {
    /* the go command's form: 1.N, 1.N.P, 1.NrcK, 1.NbetaK (no "go" prefix) */
    if (v[0] != '1' || v[1] != '.' || !isdigit((unsigned char)v[2])) return 0;
    return goleak_go_version_minor(v) >= 0;
}

/* Reads the go directive of a go.mod file into buf. 0, GOLEAK_ERANGE,
 * GOLEAK_ESYNTAX or GOLEAK_EIO. A go.mod without one means Go 1.16, as
 * the go command says. */
static int read_go_line(const char *gomod, char *buf, size_t size, goleak_error *err) {
    int fd = open(gomod, O_RDONLY | O_NONBLOCK | O_CLOEXEC);
    if (fd < 0) return error_set(err, GOLEAK_EIO, gomod, 0, 0, 0, "%s: %s", gomod, strerror(errno));
    gomod_scan s;
    gomod_scan_init(&s);
    char chunk[4096];
    while (!s.done) {
        ssize_t r = read(fd, chunk, sizeof chunk);
        if (r < 0 && errno == EINTR) continue;
        if (r < 0) {
            int e = errno;
            close(fd);
            return error_set(err, GOLEAK_EIO, gomod, 0, 0, 0, "%s: %s", gomod, strerror(e));
        }
        if (r == 0) break;
        gomod_scan_feed(&s, chunk, (size_t)r);
    }
    close(fd);
    const char *found = gomod_scan_end(&s) ? s.value : "1.16";
    if (s.found && (s.value_too_long || !gomod_valid_version(s.value)))
        return error_set(
            err, GOLEAK_ESYNTAX, gomod, (unsigned)s.value_line, (unsigned)s.value_column, 0,
            "%s:%llu:%llu: invalid go version \"%s\" (the Go version is unknown)", gomod,
            (unsigned long long)s.value_line, (unsigned long long)s.value_column, s.value);
    size_t n = strlen(found);
    if (n + 1 > size) return error_set(err, GOLEAK_ERANGE, gomod, 0, 0, 0, "buffer too small");
    memcpy(buf, found, n + 1);
    return 0;
}

GOLEAK_API goleak_status goleak_go_version_for_path(char *buf, size_t size, const char *path,
                                                    goleak_error *err) {
    if (!buf || size == 0 || !path || !*path)
        return error_set(err, GOLEAK_EINVAL, path, 0, 0, 0,
                         "goleak_go_version_for_path: bad argument");
    char dir[4096];
    struct stat st;
    size_t len = strlen(path);
    if (path[0] != '/') {
        if (!getcwd(dir, sizeof dir))
            return error_set(err, GOLEAK_EIO, path, 0, 0, 0, "getcwd: %s", strerror(errno));
        size_t d = strlen(dir);
        if (d + 1 + len + 1 > sizeof dir)
            return error_set(err, GOLEAK_ERANGE, path, 0, 0, 0, "path too long");
        dir[d] = '/';
        memcpy(dir + d + 1, path, len + 1);
    } else {
        if (len + 1 > sizeof dir)
            return error_set(err, GOLEAK_ERANGE, path, 0, 0, 0, "path too long");
        memcpy(dir, path, len + 1);
    }
    /* a file: start in its directory */
    if (stat(dir, &st) != 0 || !S_ISDIR(st.st_mode)) {
        char *slash = strrchr(dir, '/');
        if (slash == dir)
            dir[1] = 0;
        else if (slash)
            *slash = 0;
    }
    for (;;) {
        size_t d = strlen(dir);
        while (d > 1 && dir[d - 1] == '/') dir[--d] = 0;
        char gomod[4200];
        snprintf(gomod, sizeof gomod, "%s/go.mod", d == 1 ? "" : dir);
        if (stat(gomod, &st) == 0 && S_ISREG(st.st_mode))
            return read_go_line(gomod, buf, size, err);
        if (d <= 1) break;
        char *slash = strrchr(dir, '/');
        if (!slash) break;
        if (slash == dir)
            dir[1] = 0;
        else
            *slash = 0;
    }
    return error_set(err, GOLEAK_ENOTFOUND, path, 0, 0, 0, "%s: no go.mod found", path);
}
