/* Units: creating one from a buffer or a file, positions, diagnostics and
 * the token and comment accessors of the public API. */
#include "unit.h"

#include "error.h"
#include "lexer.h"
#include "syntax.h"

#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

/* Diagnostics kept per unit; hostile input cannot make the list unbounded. */
#define MAX_DIAGNOSTICS 1000

void unit_diag(goleak_unit *u, uint32_t off, int lexical, const char *fmt, ...) {
    if (u->diags.len >= MAX_DIAGNOSTICS) return;
    char buf[512];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(buf, sizeof buf, fmt, ap);
    va_end(ap);
    diag d = {off, (uint32_t)lexical, arena_strndup(&u->strings, buf, strlen(buf))};
    if (!d.msg || VEC_PUSH(u->alloc, &u->diags, d)) u->oom = 1;
}

goleak_pos unit_pos(const goleak_unit *u, uint32_t off) {
    if (off > u->len) off = u->len;
    const uint32_t *ls = u->lines.data;
    uint32_t lo = 0, hi = u->lines.len; /* invariant: ls[lo] <= off, ls[hi] > off */
    while (hi - lo > 1) {
        uint32_t mid = lo + (hi - lo) / 2;
        if (ls[mid] <= off)
            lo = mid;
        else
            hi = mid;
    }
    goleak_pos p = {off, lo + 1, off - ls[lo] + 1};
    return p;
}

/* Sorts diagnostics by offset, stably: the list is nearly sorted (lexer
 * errors, then parser errors, each in order) and at most MAX_DIAGNOSTICS
 * long, so an insertion sort is right. */
static void sort_diags(goleak_unit *u) {
    diag *d = u->diags.data;
    uint32_t n = u->diags.len;
    for (uint32_t i = 1; i < n; i++) {
        diag x = d[i];
        uint32_t j = i;
        while (j > 0 && d[j - 1].off > x.off) {
            d[j] = d[j - 1];
            j--;
        }
        d[j] = x;
    }
}

/* The bounds of a parse: the options' (version 2 and later), or the
 * defaults. */
typedef struct bounds {
    size_t max_file_size;
    uint32_t max_tokens, max_depth;
} bounds;

static uint32_t clamp32(size_t v, size_t dflt) {
    if (v == 0) v = dflt;
    return v > UINT32_MAX - 2 ? UINT32_MAX - 2 : (uint32_t)v;
}

static bounds bounds_of(const goleak_parse_options *opts) {
    int v2 = opts && opts->version >= 2;
    bounds b;
    b.max_file_size =
        v2 && opts->max_file_size ? opts->max_file_size : GOLEAK_DEFAULT_MAX_FILE_SIZE;
    b.max_tokens = clamp32(v2 ? opts->max_tokens : 0, GOLEAK_DEFAULT_MAX_TOKENS);
    b.max_depth = clamp32(v2 ? opts->max_depth : 0, GOLEAK_DEFAULT_MAX_DEPTH);
    return b;
}

static int too_large(goleak_error *err, const char *path, uint64_t size, const bounds *b) {
    if (size >= UINT32_MAX - SRC_PADDING)
        return error_set(err, GOLEAK_ERANGE, path, 0, 0, 0,
                         "%s: file of %llu bytes is too large (4 GiB at most)", path ? path : "",
                         (unsigned long long)size);
    return error_set(err, GOLEAK_ERANGE, path, 0, 0, 0,
                     "%s: file of %llu bytes is over the maximum file size of %zu bytes",
                     path ? path : "", (unsigned long long)size, b->max_file_size);
}

static int over_bound(uint64_t size, const bounds *b) {
    return size >= UINT32_MAX - SRC_PADDING || size > b->max_file_size;
}

static goleak_unit *unit_alloc(const goleak_parse_options *opts, const char *path) {
    const goleak_allocator *a = alloc_pick(opts ? opts->allocator : NULL);
    goleak_unit *u = gl_calloc(a, sizeof *u);
    if (!u) return NULL;
    u->alloc_copy = *a;
    u->alloc = &u->alloc_copy;
    u->root = NONE32;
    bounds b = bounds_of(opts);
    u->max_tokens = b.max_tokens;
    u->max_depth = b.max_depth;
    arena_init(&u->strings, u->alloc);
    u->path = gl_strdup(u->alloc, path ? path : "");
    if (!u->path) {
        gl_free(u->alloc, u);
        return NULL;
    }
    return u;
}

/* Lexes and parses u->src; 0, GOLEAK_ENOMEM or GOLEAK_ERANGE (too many
 * tokens). */
static int unit_build(goleak_unit *u, const goleak_parse_options *opts) {
    int rc = lex_unit(u);
    if (rc == LEX_TOO_MANY) return GOLEAK_ERANGE;
    if (rc || u->oom) return GOLEAK_ENOMEM;
    if (!(opts && (opts->flags & GOLEAK_PARSE_TOKENS_ONLY))) {
        if (parse_unit(u) || u->oom) return GOLEAK_ENOMEM;
    }
    sort_diags(u);
    return 0;
}

static int finish(goleak_unit **out, goleak_unit *u, const goleak_parse_options *opts,
                  goleak_error *err) {
    int rc = unit_build(u, opts);
    if (rc == GOLEAK_ERANGE)
        rc = error_set(err, rc, u->path, 0, 0, 0, "%s: more than %lu tokens (the maximum per file)",
                       u->path, (unsigned long)u->max_tokens);
    else if (rc)
        rc = error_set(err, rc, NULL, 0, 0, 0, "out of memory while parsing");
    if (rc) {
        goleak_unit_free(u);
        return rc;
    }
    *out = u;
    return 0;
}

GOLEAK_API goleak_status goleak_unit_parse(goleak_unit **out, const char *path, const char *src,
                                           size_t len, const goleak_parse_options *opts,
                                           goleak_error *err) {
    if (out) *out = NULL;
    if (!out || (!src && len > 0))
        return error_set(err, GOLEAK_EINVAL, path, 0, 0, 0, "goleak_unit_parse: %s",
                         !out ? "out is NULL" : "src is NULL");
    bounds b = bounds_of(opts);
    if (over_bound(len, &b)) return too_large(err, path, len, &b);
    if (opts && (opts->flags & GOLEAK_PARSE_BORROW_SOURCE)) {
        static const char zeros[SRC_PADDING];
        if (!src || memcmp(src + len, zeros, SRC_PADDING) != 0)
            return error_set(err, GOLEAK_EINVAL, path, 0, 0, 0,
                             "goleak_unit_parse: a borrowed source needs %d zero bytes after it",
                             SRC_PADDING);
        goleak_unit *u = unit_alloc(opts, path);
        if (!u) return error_set(err, GOLEAK_ENOMEM, path, 0, 0, 0, "out of memory");
        u->src = (uint8_t *)(uintptr_t)src; /* never written through */
        u->borrowed = 1;
        u->len = (uint32_t)len;
        return finish(out, u, opts, err);
    }
    goleak_unit *u = unit_alloc(opts, path);
    if (!u) return error_set(err, GOLEAK_ENOMEM, path, 0, 0, 0, "out of memory");
    u->src = gl_malloc(u->alloc, len + SRC_PADDING);
    if (!u->src) {
        goleak_unit_free(u);
        return error_set(err, GOLEAK_ENOMEM, path, 0, 0, 0, "out of memory");
    }
    if (len) memcpy(u->src, src, len);
    memset(u->src + len, 0, SRC_PADDING);
    u->len = (uint32_t)len;
    return finish(out, u, opts, err);
}

GOLEAK_API goleak_status goleak_unit_parse_file(goleak_unit **out, const char *path,
                                                const goleak_parse_options *opts,
                                                goleak_error *err) {
    if (out) *out = NULL;
    if (!out || !path)
        return error_set(err, GOLEAK_EINVAL, path, 0, 0, 0, "goleak_unit_parse_file: %s",
                         !out ? "out is NULL" : "path is NULL");
    /* O_NONBLOCK: opening a FIFO must not wait for a writer (it is then
     * refused as not a regular file); it does not affect regular files */
    int fd = open(path, O_RDONLY | O_NONBLOCK | O_CLOEXEC);
    if (fd < 0) return error_set(err, GOLEAK_EIO, path, 0, 0, 0, "%s: %s", path, strerror(errno));
    struct stat st;
    if (fstat(fd, &st) != 0) {
        int e = errno;
        close(fd);
        return error_set(err, GOLEAK_EIO, path, 0, 0, 0, "%s: %s", path, strerror(e));
    }
    if (!S_ISREG(st.st_mode)) {
        close(fd);
        return error_set(err, GOLEAK_EIO, path, 0, 0, 0, "%s: %s", path,
                         S_ISDIR(st.st_mode) ? "is a directory" : "not a regular file");
    }
    bounds b = bounds_of(opts);
    if (over_bound((uint64_t)st.st_size, &b)) {
        close(fd);
        return too_large(err, path, (uint64_t)st.st_size, &b);
    }
    goleak_unit *u = unit_alloc(opts, path);
    /* one byte more than the size, so that the read that finds the end
     * needs no larger buffer */
    size_t cap = (size_t)st.st_size + 1;
    if (u) u->src = gl_malloc(u->alloc, cap + SRC_PADDING);
    if (!u || !u->src) {
        close(fd);
        goleak_unit_free(u);
        return error_set(err, GOLEAK_ENOMEM, path, 0, 0, 0, "out of memory");
    }
    /* one read for the bytes and one that finds the end in the common case;
     * loop for short reads, and accept a file that changed size since fstat
     * by reading what is there now */
    size_t n = 0;
    for (;;) {
        if (n == cap) {
            /* the file grew since fstat: it is read up to one byte over
             * the bound, which tells that it is over */
            if (over_bound(n, &b)) {
                close(fd);
                goleak_unit_free(u);
                return too_large(err, path, n, &b);
            }
            size_t ncap = cap * 2;
            if (ncap > b.max_file_size + 1) ncap = b.max_file_size + 1;
            if (ncap > UINT32_MAX - SRC_PADDING) ncap = UINT32_MAX - SRC_PADDING;
            uint8_t *p = gl_realloc(u->alloc, u->src, ncap + SRC_PADDING);
            if (!p) {
                close(fd);
                goleak_unit_free(u);
                return error_set(err, GOLEAK_ENOMEM, path, 0, 0, 0, "out of memory");
            }
            u->src = p;
            cap = ncap;
        }
        ssize_t r = read(fd, u->src + n, cap - n);
        if (r < 0) {
            if (errno == EINTR) continue;
            int e = errno;
            close(fd);
            goleak_unit_free(u);
            return error_set(err, GOLEAK_EIO, path, 0, 0, 0, "%s: %s", path, strerror(e));
        }
        if (r == 0) break;
        n += (size_t)r;
    }
    close(fd);
    if (over_bound(n, &b)) {
        goleak_unit_free(u);
        return too_large(err, path, n, &b);
    }
    memset(u->src + n, 0, SRC_PADDING);
    u->len = (uint32_t)n;
    return finish(out, u, opts, err);
}

GOLEAK_API void goleak_unit_free(goleak_unit *u) {
    if (!u) return;
    const goleak_allocator *a = u->alloc;
    gl_free(a, u->path);
    if (!u->borrowed) gl_free(a, u->src);
    gl_free(a, u->toks.data);
    gl_free(a, u->comments.data);
    gl_free(a, u->lines.data);
    gl_free(a, u->diags.data);
    gl_free(a, u->nodes.data);
    gl_free(a, u->node_at);
    gl_free(a, u->kind_at);
    gl_free(a, u->kind_nodes);
    arena_free(&u->strings);
    goleak_allocator copy = *a; /* u holds the allocator: copy it before freeing u */
    gl_free(&copy, u);
}

GOLEAK_API const char *goleak_unit_path(const goleak_unit *u) {
    return u && u->path[0] ? u->path : NULL;
}

GOLEAK_API const char *goleak_unit_source(const goleak_unit *u, size_t *len) {
    if (len) *len = u ? u->len : 0;
    return u ? (const char *)u->src : NULL;
}

GOLEAK_API size_t goleak_unit_line_count(const goleak_unit *u) {
    return u ? u->lines.len : 0;
}

GOLEAK_API goleak_pos goleak_unit_pos(const goleak_unit *u, size_t offset) {
    goleak_pos none = {0, 0, 0};
    if (!u) return none;
    return unit_pos(u, offset > u->len ? u->len : (uint32_t)offset);
}

GOLEAK_API size_t goleak_unit_diagnostic_count(const goleak_unit *u) {
    return u ? u->diags.len : 0;
}

GOLEAK_API const char *goleak_unit_diagnostic_message(const goleak_unit *u, size_t i) {
    if (!u || i >= u->diags.len) return NULL;
    return u->diags.data[i].msg;
}

GOLEAK_API goleak_pos goleak_unit_diagnostic_pos(const goleak_unit *u, size_t i) {
    goleak_pos none = {0, 0, 0};
    if (!u || i >= u->diags.len) return none;
    return unit_pos(u, u->diags.data[i].off);
}

GOLEAK_API int goleak_unit_diagnostic_is_lexical(const goleak_unit *u, size_t i) {
    if (!u || i >= u->diags.len) return -1;
    return u->diags.data[i].lexical ? 1 : 0;
}

GOLEAK_API size_t goleak_unit_token_count(const goleak_unit *u) {
    return u ? u->toks.len : 0;
}

GOLEAK_API int goleak_unit_token_kind(const goleak_unit *u, size_t i) {
    if (!u || i >= u->toks.len) return -1;
    return u->toks.data[i].kind;
}

static goleak_span span_of(const goleak_unit *u, uint32_t off, uint32_t len) {
    goleak_span s;
    s.start = unit_pos(u, off);
    s.end = unit_pos(u, off + len);
    return s;
}

GOLEAK_API goleak_span goleak_unit_token_span(const goleak_unit *u, size_t i) {
    goleak_span none = {{0, 0, 0}, {0, 0, 0}};
    if (!u || i >= u->toks.len) return none;
    return span_of(u, u->toks.data[i].off, u->toks.data[i].len);
}

GOLEAK_API const char *goleak_unit_token_text(const goleak_unit *u, size_t i, size_t *len) {
    if (len) *len = 0;
    if (!u || i >= u->toks.len) return NULL;
    const token *t = &u->toks.data[i];
    if (len) *len = t->len;
    return (const char *)u->src + t->off;
}

GOLEAK_API int goleak_unit_token_is_automatic(const goleak_unit *u, size_t i) {
    if (!u || i >= u->toks.len) return 0;
    return (u->toks.data[i].flags & TF_AUTO) ? 1 : 0;
}

GOLEAK_API size_t goleak_unit_token_at(const goleak_unit *u, size_t offset) {
    if (!u || u->toks.len == 0 || offset > u->len) return GOLEAK_NONE;
    const token *t = u->toks.data;
    /* first token not wholly before offset; the EOF token (at u->len) never is */
    uint32_t lo = 0, hi = u->toks.len - 1;
    while (lo < hi) {
        uint32_t mid = lo + (hi - lo) / 2;
        if (t[mid].off < offset && (size_t)t[mid].off + t[mid].len <= offset)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo;
}

GOLEAK_API size_t goleak_unit_comment_count(const goleak_unit *u) {
    return u ? u->comments.len : 0;
}

GOLEAK_API goleak_span goleak_unit_comment_span(const goleak_unit *u, size_t i) {
    goleak_span none = {{0, 0, 0}, {0, 0, 0}};
    if (!u || i >= u->comments.len) return none;
    return span_of(u, u->comments.data[i].off, u->comments.data[i].len);
}

GOLEAK_API const char *goleak_unit_comment_text(const goleak_unit *u, size_t i, size_t *len) {
    if (len) *len = 0;
    if (!u || i >= u->comments.len) return NULL;
    if (len) *len = u->comments.data[i].len;
    return (const char *)u->src + u->comments.data[i].off;
}

GOLEAK_API int goleak_unit_truncated(const goleak_unit *u) {
    return u && u->truncated ? 1 : 0;
}

GOLEAK_API const char *goleak_token_kind_name(int kind) {
    return token_kind_name(kind);
}
