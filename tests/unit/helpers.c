/* Test helpers: see helpers.h. */
#include "helpers.h"

#include <dirent.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

typedef struct sbuf {
    char *s;
    size_t len, cap;
} sbuf;

static void sb_add(sbuf *b, const char *s, size_t n) {
    if (b->len + n + 1 > b->cap) {
        b->cap = (b->len + n + 1) * 2;
        b->s = realloc(b->s, b->cap);
        assert_non_null(b->s);
    }
    memcpy(b->s + b->len, s, n);
    b->len += n;
    b->s[b->len] = 0;
}

static void sb_str(sbuf *b, const char *s) {
    sb_add(b, s, strlen(s));
}

static void sb_printf(sbuf *b, const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 2, 3)))
#endif
    ;

static void sb_printf(sbuf *b, const char *fmt, ...) {
    char tmp[512];
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(tmp, sizeof tmp, fmt, ap);
    va_end(ap);
    sb_add(b, tmp, (size_t)n < sizeof tmp ? (size_t)n : sizeof tmp - 1);
}

static goleak_unit *parse_with(const char *src, size_t len, unsigned flags) {
    goleak_parse_options o = GOLEAK_PARSE_OPTIONS_INIT;
    o.flags = flags;
    goleak_unit *u = NULL;
    assert_int_equal(goleak_unit_parse(&u, "test.go", src, len, &o, NULL), 0);
    assert_non_null(u);
    return u;
}

goleak_unit *parse_str(const char *src) {
    return parse_with(src, strlen(src), 0);
}

goleak_unit *parse_buf(const char *src, size_t len) {
    return parse_with(src, len, 0);
}

goleak_unit *lex_str(const char *src) {
    return parse_with(src, strlen(src), GOLEAK_PARSE_TOKENS_ONLY);
}

char *token_str(const goleak_unit *u) {
    sbuf b = {0};
    sb_str(&b, "");
    size_t n = goleak_unit_token_count(u);
    for (size_t i = 0; i < n; i++) {
        int k = goleak_unit_token_kind(u, i);
        if (i) sb_str(&b, " ");
        size_t len;
        const char *t = goleak_unit_token_text(u, i, &len);
        if (k == GOLEAK_TOKEN_SEMICOLON) {
            sb_str(&b, goleak_unit_token_is_automatic(u, i) ? "NL" : ";");
        } else if (k == GOLEAK_TOKEN_ILLEGAL ||
                   (k >= GOLEAK_TOKEN_IDENT && k <= GOLEAK_TOKEN_STRING)) {
            sb_printf(&b, "%s(", goleak_token_kind_name(k));
            for (size_t j = 0; j < len; j++) {
                unsigned char c = (unsigned char)t[j];
                if (c < 0x20 && c != '\n' && c != '\r' && c != '\t')
                    sb_printf(&b, "\\x%02x", c); /* NUL and controls stay visible */
                else
                    sb_add(&b, t + j, 1);
            }
            sb_str(&b, ")");
        } else {
            sb_str(&b, goleak_token_kind_name(k));
        }
    }
    return b.s;
}

static void tree_rec(sbuf *b, const goleak_node *n) {
    sb_str(b, "(");
    sb_str(b, goleak_node_kind_name(goleak_node_kind(n)));
    if (goleak_node_role(n) != GOLEAK_ROLE_NONE) {
        sb_str(b, ".");
        sb_str(b, goleak_node_role_name(goleak_node_role(n)));
    }
    for (const goleak_node *c = goleak_node_first_child(n); c; c = goleak_node_next_sibling(c)) {
        sb_str(b, " ");
        tree_rec(b, c);
    }
    sb_str(b, ")");
}

char *tree_str(const goleak_unit *u) {
    sbuf b = {0};
    sb_str(&b, "");
    const goleak_node *root = goleak_unit_root(u);
    if (root) tree_rec(&b, root);
    return b.s;
}

char *diag_str(const goleak_unit *u) {
    sbuf b = {0};
    sb_str(&b, "");
    size_t n = goleak_unit_diagnostic_count(u);
    for (size_t i = 0; i < n; i++) {
        goleak_pos p = goleak_unit_diagnostic_pos(u, i);
        if (i) sb_str(&b, "|");
        sb_printf(&b, "%u:%u %s", (unsigned)p.line, (unsigned)p.column,
                  goleak_unit_diagnostic_message(u, i));
    }
    return b.s;
}

static const goleak_node *find_rec(const goleak_node *n, int kind) {
    if (goleak_node_kind(n) == kind) return n;
    for (const goleak_node *c = goleak_node_first_child(n); c; c = goleak_node_next_sibling(c)) {
        const goleak_node *r = find_rec(c, kind);
        if (r) return r;
    }
    return NULL;
}

const goleak_node *find_node(const goleak_unit *u, int kind) {
    const goleak_node *root = goleak_unit_root(u);
    return root ? find_rec(root, kind) : NULL;
}

char *node_text(const goleak_node *n) {
    size_t len;
    const char *t = goleak_node_text(n, &len);
    char *s = malloc(len + 1);
    assert_non_null(s);
    memcpy(s, t, len);
    s[len] = 0;
    return s;
}

/* ---- the test allocator ---- */

/* Each block is preceded by its size, in a header that keeps alignment. */
typedef union block_header {
    size_t size;
    max_align_t align;
} block_header;

static void *ta_malloc(size_t n, void *ud) {
    test_alloc *t = ud;
    if (t->calls++ == t->fail_at) return NULL;
    block_header *h = malloc(sizeof *h + n);
    if (!h) return NULL;
    h->size = n;
    t->live++;
    t->bytes += n;
    if (t->bytes > t->peak) t->peak = t->bytes;
    return h + 1;
}

static void ta_free(void *p, void *ud) {
    test_alloc *t = ud;
    block_header *h = (block_header *)p - 1;
    t->live--;
    t->bytes -= h->size;
    free(h);
}

static void *ta_realloc(void *p, size_t n, void *ud) {
    test_alloc *t = ud;
    if (!p) return ta_malloc(n, ud);
    t->reallocs++;
    if (t->calls++ == t->fail_at) return NULL;
    block_header *old = (block_header *)p - 1;
    size_t was = old->size;
    if (t->move) {
        block_header *h = malloc(sizeof *h + n);
        if (!h) return NULL;
        h->size = n;
        memcpy(h + 1, p, was < n ? was : n);
        memset(old + 1, 0xA5, was); /* stale pointers read garbage */
        free(old);
        if (t->bytes + n > t->peak) t->peak = t->bytes + n; /* both were alive */
        t->bytes += n - was;
        return h + 1;
    }
    block_header *h = realloc(old, sizeof *h + n);
    if (!h) return NULL;
    h->size = n;
    /* both blocks may be alive for a moment: count the larger total */
    if (t->bytes + n > t->peak) t->peak = t->bytes + n;
    t->bytes += n - was;
    return h + 1;
}

void test_alloc_init(test_alloc *t) {
    memset(t, 0, sizeof *t);
    t->a.version = GOLEAK_ALLOCATOR_VERSION;
    t->a.malloc = ta_malloc;
    t->a.realloc = ta_realloc;
    t->a.free = ta_free;
    t->a.user_data = t;
    t->fail_at = -1;
}

goleak_engine *engine_on_alloc(test_alloc *t, int builtin) {
    goleak_engine_options eo = GOLEAK_ENGINE_OPTIONS_INIT;
    eo.allocator = &t->a;
    goleak_engine *e = NULL;
    assert_int_equal(goleak_engine_new(&e, &eo, NULL), 0);
    if (builtin) assert_int_equal(goleak_engine_add_builtin_rules(e, NULL), 0);
    return e;
}

/* ---- fixture files ---- */

static int str_cmp(const void *a, const void *b) {
    return strcmp(*(char *const *)a, *(char *const *)b);
}

static void add_go_files(const char *dir, char ***list, size_t *n, size_t *cap) {
    DIR *d = opendir(dir);
    assert_non_null(d);
    struct dirent *e;
    while ((e = readdir(d))) {
        size_t len = strlen(e->d_name);
        if (len < 4 || strcmp(e->d_name + len - 3, ".go") != 0) continue;
        if (*n == *cap) {
            *cap = *cap ? 2 * *cap : 64;
            *list = realloc(*list, *cap * sizeof **list);
            assert_non_null(*list);
        }
        char *path = malloc(strlen(dir) + len + 2);
        assert_non_null(path);
        sprintf(path, "%s/%s", dir, e->d_name);
        (*list)[(*n)++] = path;
    }
    closedir(d);
}

char **fixture_files(size_t *n) {
    char **list = NULL;
    size_t cap = 0;
    *n = 0;
    add_go_files(GOLEAK_SOURCE_DIR "/examples", &list, n, &cap);
    DIR *d = opendir(GOLEAK_SOURCE_DIR "/tests/fixtures");
    assert_non_null(d);
    struct dirent *e;
    while ((e = readdir(d))) {
        if (strncmp(e->d_name, "GL", 2) != 0) continue;
        char dir[4096];
        snprintf(dir, sizeof dir, "%s/tests/fixtures/%s", GOLEAK_SOURCE_DIR, e->d_name);
        add_go_files(dir, &list, n, &cap);
    }
    closedir(d);
    qsort(list, *n, sizeof *list, str_cmp);
    assert_true(*n > 50);
    return list;
}

void free_list(char **list, size_t n) {
    for (size_t k = 0; k < n; k++) free(list[k]);
    free(list);
}

char *read_whole(const char *path, size_t *len) {
    FILE *fp = fopen(path, "rb");
    assert_non_null(fp);
    fseek(fp, 0, SEEK_END);
    long size = ftell(fp);
    fseek(fp, 0, SEEK_SET);
    char *buf = malloc((size_t)size + 1);
    assert_non_null(buf);
    assert_int_equal(fread(buf, 1, (size_t)size, fp), (size_t)size);
    buf[size] = 0;
    fclose(fp);
    *len = (size_t)size;
    return buf;
}
