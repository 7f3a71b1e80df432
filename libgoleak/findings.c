/* Findings: sorting and de-duplicating what rules reported, applying
 * suppression comments, and the findings object of the public API. */
#include "findings.h"

#include "fingerprint.h"
#include "rules/rules.h"

#include <stdlib.h>
#include <string.h>

struct goleak_finding {
    const char *rule_id, *rule_name, *message, *path;
    int severity;
    goleak_span span;
    uint32_t cp_start, cp_end; /* the span's columns in code points */
    const char *symbol;        /* the top-level declaration around it */
    goleak_span scope, stmt;   /* that declaration, and the reported statement */
    uint64_t key;              /* the fingerprint's key, before the occurrence index */
    char fingerprint[17];
    const char *excerpt; /* GOLEAK_CHECK_EXCERPTS: the lines around it, else NULL */
    uint32_t excerpt_line;
};

struct goleak_findings {
    const goleak_allocator *alloc;
    goleak_allocator alloc_copy;
    arena strings;
    goleak_finding *items;
    size_t len;
    uint64_t *rule_ns; /* per rule, then the shared indexes (GOLEAK_CHECK_TIME_RULES) */
    size_t nrule_ns;
};

/* A suppression comment. */
typedef struct directive {
    uint32_t comment;   /* index of the comment */
    uint32_t line;      /* its line */
    uint32_t next_line; /* also covers this line (0: only its own) */
    const char *ids;    /* "GL015,GL016" or "" for every rule; in the source */
    uint32_t ids_len;
    int explicit_goleak; /* //goleak:ignore or //nolint:goleak (may be reported unused) */
    int used;
} directive;

/* The column of a position in Unicode code points: the bytes of its line
 * before it that start a UTF-8 sequence. */
static uint32_t cp_column(const goleak_unit *u, goleak_pos p) {
    uint32_t col = 1;
    for (uint32_t k = p.offset - (p.column - 1); k < p.offset; k++)
        if ((u->src[k] & 0xC0) != 0x80) col++;
    return col;
}

static int starts_with(const char *s, size_t n, const char *prefix) {
    size_t k = strlen(prefix);
    return n >= k && memcmp(s, prefix, k) == 0;
}

/* Whether list (comma-separated words) names word. */
static int list_has(const char *list, size_t n, const char *word) {
    size_t w = strlen(word), k = 0;
    while (k < n) {
        size_t start = k;
        while (k < n && list[k] != ',') k++;
        if (k - start == w && memcmp(list + start, word, w) == 0) return 1;
        k++;
    }
    return 0;
}

/* Recognises //goleak:ignore IDS [reason] and //nolint[:linters]. */
static int parse_directive(const goleak_unit *u, uint32_t ci, directive *d) {
    const comment *c = &u->comments.data[ci];
    const char *s = (const char *)u->src + c->off;
    size_t n = c->len;
    memset(d, 0, sizeof *d);
    d->comment = ci;
    if (starts_with(s, n, "//goleak:ignore")) {
        size_t k = strlen("//goleak:ignore");
        if (k < n && s[k] != ' ' && s[k] != '\t') return 0;
        while (k < n && (s[k] == ' ' || s[k] == '\t')) k++;
        size_t start = k;
        while (k < n && s[k] != ' ' && s[k] != '\t') k++;
        d->ids = s + start;
        d->ids_len = (uint32_t)(k - start);
        if (list_has(d->ids, d->ids_len, "all")) d->ids_len = 0;
        d->explicit_goleak = 1;
    } else if (starts_with(s, n, "//nolint")) {
        size_t k = strlen("//nolint");
        if (k < n && s[k] == ':') {
            size_t start = ++k;
            while (k < n && s[k] != ' ' && s[k] != '\t' && s[k] != '/') k++;
            int goleak = list_has(s + start, k - start, "goleak");
            if (!goleak && !list_has(s + start, k - start, "all")) return 0;
            d->explicit_goleak = goleak;
        } else if (k < n && s[k] != ' ' && s[k] != '\t') {
            return 0;
        }
        d->ids = "";
        d->ids_len = 0;
    } else {
        return 0;
    }
    d->line = unit_pos(u, c->off).line;
    /* a comment alone on its line also covers the next line */
    size_t t = goleak_unit_token_at(u, c->off);
    int first_on_line =
        t == 0 || t == GOLEAK_NONE || unit_pos(u, u->toks.data[t - 1].off).line != d->line;
    d->next_line = first_on_line ? d->line + 1 : 0;
    return 1;
}

static int directive_covers(const directive *d, uint32_t line, const struct goleak_rule *r) {
    if (line != d->line && line != d->next_line) return 0;
    if (d->ids_len == 0) return 1;
    return list_has(d->ids, d->ids_len, r->id) || list_has(d->ids, d->ids_len, r->name);
}

/* The first of n directives (sorted by line) on line `line` or below it. */
static uint32_t first_directive_from(const directive *d, uint32_t n, uint32_t line) {
    uint32_t lo = 0, hi = n;
    while (lo < hi) {
        uint32_t mid = lo + (hi - lo) / 2;
        if (d[mid].line < line)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo;
}

/* Merges fs->items[0, mid) and [mid, len), each sorted by start offset,
 * stably (the first run first on ties). 0 or -1 (no memory). */
static int merge_runs(goleak_findings *fs, size_t mid) {
    size_t n = fs->len;
    goleak_finding *tmp = gl_malloc(fs->alloc, n * sizeof *tmp);
    if (!tmp) return -1;
    size_t i = 0, j = mid, k = 0;
    while (i < mid && j < n) {
        if (fs->items[j].span.start.offset < fs->items[i].span.start.offset)
            tmp[k++] = fs->items[j++];
        else
            tmp[k++] = fs->items[i++];
    }
    while (i < mid) tmp[k++] = fs->items[i++];
    while (j < n) tmp[k++] = fs->items[j++];
    memcpy(fs->items, tmp, n * sizeof *tmp);
    gl_free(fs->alloc, tmp);
    return 0;
}

typedef struct sort_ctx_item {
    raw_finding f;
    const struct goleak_rule *rule;
} sort_item;

static int raw_cmp(const void *a, const void *b) {
    const sort_item *x = a, *y = b;
    if (x->f.start != y->f.start) return x->f.start < y->f.start ? -1 : 1;
    int c = strcmp(x->rule->id, y->rule->id);
    if (c) return c;
    if (x->f.end != y->f.end) return x->f.end < y->f.end ? -1 : 1;
    return strcmp(x->f.message, y->f.message);
}

/* The span of node n (zeros for NULL or a node without tokens). */
static goleak_span node_span(const goleak_unit *u, const node *n) {
    goleak_span sp = {{0, 0, 0}, {0, 0, 0}};
    if (!n || n->last + 1u == n->first) return sp;
    const token *a = &u->toks.data[n->first], *b = &u->toks.data[n->last];
    sp.start = unit_pos(u, a->off);
    sp.end = unit_pos(u, b->off + b->len);
    return sp;
}

static int push_finding(goleak_findings *fs, size_t *cap, const goleak_unit *u, const char *id,
                        const char *name, int severity, const char *msg, uint32_t start,
                        uint32_t end, unsigned flags) {
    if (fs->len == *cap) {
        size_t ncap = *cap ? *cap * 2 : 8;
        goleak_finding *p = gl_realloc(fs->alloc, fs->items, ncap * sizeof *p);
        if (!p) return -1;
        fs->items = p;
        *cap = ncap;
    }
    goleak_finding *f = &fs->items[fs->len];
    f->rule_id = arena_strndup(&fs->strings, id, strlen(id));
    f->rule_name = arena_strndup(&fs->strings, name, strlen(name));
    f->message = arena_strndup(&fs->strings, msg, strlen(msg));
    f->path = fs->len ? fs->items[0].path : arena_strndup(&fs->strings, u->path, strlen(u->path));
    if (!f->rule_id || !f->rule_name || !f->message || !f->path) return -1;
    f->severity = severity;
    f->span.start = unit_pos(u, start);
    f->span.end = unit_pos(u, end);
    f->cp_start = cp_column(u, f->span.start);
    f->cp_end = cp_column(u, f->span.end);
    finding_place place;
    if (finding_locate(&place, u, id, start, end, &fs->strings)) return -1;
    f->symbol = place.symbol;
    f->key = place.key;
    f->scope = node_span(u, place.decl);
    f->stmt = place.anchor ? node_span(u, place.anchor) : f->span;
    f->excerpt = NULL;
    f->excerpt_line = 0;
    if ((flags & GOLEAK_CHECK_EXCERPTS) &&
        !(f->excerpt = finding_excerpt(u, start, end, &f->excerpt_line, &fs->strings)))
        return -1;
    fs->len++;
    return 0;
}

typedef struct key_index {
    uint64_t key;
    size_t index;
} key_index;

static int key_index_cmp(const void *a, const void *b) {
    const key_index *x = a, *y = b;
    if (x->key != y->key) return x->key < y->key ? -1 : 1;
    return x->index < y->index ? -1 : x->index > y->index;
}

/* Each finding's fingerprint: its key and its rank among the findings of
 * the same key (twins), in source order. 0 or -1 (no memory). */
static int set_fingerprints(goleak_findings *fs) {
    if (fs->len == 0) return 0;
    key_index *ki = gl_malloc(fs->alloc, fs->len * sizeof *ki);
    if (!ki) return -1;
    for (size_t k = 0; k < fs->len; k++) {
        ki[k].key = fs->items[k].key;
        ki[k].index = k;
    }
    qsort(ki, fs->len, sizeof *ki, key_index_cmp);
    uint32_t occurrence = 0;
    for (size_t k = 0; k < fs->len; k++) {
        occurrence = k > 0 && ki[k].key == ki[k - 1].key ? occurrence + 1 : 0;
        fingerprint_format(fs->items[ki[k].index].fingerprint, ki[k].key, occurrence);
    }
    gl_free(fs->alloc, ki);
    return 0;
}

int findings_build(goleak_findings **out, goleak_check *chk, unsigned flags) {
    const goleak_engine *e = chk->engine;
    const goleak_unit *u = chk->unit;
    const goleak_allocator *a = e->alloc;
    uint32_t n = chk->found.len;

    goleak_findings *fs = gl_calloc(a, sizeof *fs);
    if (!fs) return GOLEAK_ENOMEM;
    fs->alloc_copy = *a;
    fs->alloc = &fs->alloc_copy;
    arena_init(&fs->strings, fs->alloc);
    sort_item *items = n ? gl_malloc(a, n * sizeof *items) : NULL;
    struct {
        directive *data;
        uint32_t len, cap;
    } dirs = {NULL, 0, 0};
    if (n && !items) goto oom;

    for (uint32_t k = 0; k < n; k++) {
        items[k].f = chk->found.data[k];
        items[k].rule = e->rules.data[items[k].f.rule];
    }
    if (n > 1) qsort(items, n, sizeof *items, raw_cmp);

    /* suppression comments, in source order: their lines never decrease */
    for (uint32_t k = 0; k < u->comments.len; k++) {
        directive d;
        if (!parse_directive(u, k, &d)) continue;
        if (VEC_PUSH(a, &dirs, d)) goto oom;
    }

    size_t cap = 0;
    for (uint32_t k = 0; k < n; k++) {
        const sort_item *it = &items[k];
        if (k > 0 && raw_cmp(&items[k - 1], it) == 0) continue; /* duplicate */
        uint32_t line = unit_pos(u, it->f.start).line;
        int suppressed = 0;
        /* only directives on the finding's line or the one above cover it */
        for (uint32_t d = first_directive_from(dirs.data, dirs.len, line - 1);
             d < dirs.len && dirs.data[d].line <= line; d++) {
            if (directive_covers(&dirs.data[d], line, it->rule)) {
                dirs.data[d].used = 1;
                suppressed = 1;
            }
        }
        if (suppressed) continue;
        if (push_finding(fs, &cap, u, it->rule->id, it->rule->name, it->rule->severity,
                         it->f.message, it->f.start, it->f.end, flags))
            goto oom;
    }

    if (flags & GOLEAK_CHECK_REPORT_UNUSED_IGNORES) {
        const goleak_rule *g0 = goleak_engine_find_rule(e, builtin_GL000.id);
        int enabled = g0 ? goleak_rule_enabled(g0) : 1;
        size_t before = fs->len;
        for (uint32_t d = 0; d < dirs.len && enabled; d++) {
            if (dirs.data[d].used || !dirs.data[d].explicit_goleak) continue;
            const comment *c = &u->comments.data[dirs.data[d].comment];
            if (push_finding(fs, &cap, u, builtin_GL000.id, builtin_GL000.name,
                             builtin_GL000.severity,
                             "suppression comment matches no finding; remove it", c->off,
                             c->off + c->len, flags))
                goto oom;
        }
        /* both runs are sorted by position: merge them */
        if (fs->len > before && before > 0 && merge_runs(fs, before)) goto oom;
    }
    if (set_fingerprints(fs)) goto oom;
    gl_free(a, items);
    gl_free(a, dirs.data);
    *out = fs;
    return 0;
oom:
    gl_free(a, items);
    gl_free(a, dirs.data);
    goleak_findings_free(fs);
    return GOLEAK_ENOMEM;
}

GOLEAK_API size_t goleak_findings_count(const goleak_findings *fs) {
    return fs ? fs->len : 0;
}

GOLEAK_API const goleak_finding *goleak_findings_get(const goleak_findings *fs, size_t i) {
    if (!fs || i >= fs->len) return NULL;
    return &fs->items[i];
}

GOLEAK_API void goleak_findings_free(goleak_findings *fs) {
    if (!fs) return;
    const goleak_allocator *a = fs->alloc;
    arena_free(&fs->strings);
    gl_free(a, fs->items);
    gl_free(a, fs->rule_ns);
    goleak_allocator copy = *a;
    gl_free(&copy, fs);
}

GOLEAK_API const char *goleak_finding_rule_id(const goleak_finding *f) {
    return f ? f->rule_id : NULL;
}

GOLEAK_API const char *goleak_finding_rule_name(const goleak_finding *f) {
    return f ? f->rule_name : NULL;
}

GOLEAK_API int goleak_finding_severity(const goleak_finding *f) {
    return f ? f->severity : -1;
}

GOLEAK_API const char *goleak_finding_message(const goleak_finding *f) {
    return f ? f->message : NULL;
}

GOLEAK_API const char *goleak_finding_path(const goleak_finding *f) {
    return f ? f->path : NULL;
}

GOLEAK_API goleak_span goleak_finding_span(const goleak_finding *f) {
    goleak_span none = {{0, 0, 0}, {0, 0, 0}};
    return f ? f->span : none;
}

void findings_set_times(goleak_findings *fs, uint64_t *ns, size_t n) {
    gl_free(fs->alloc, fs->rule_ns);
    fs->rule_ns = ns;
    fs->nrule_ns = n;
}

GOLEAK_API uint64_t goleak_findings_rule_ns(const goleak_findings *fs, size_t rule_index) {
    if (!fs || !fs->rule_ns) return 0;
    if (rule_index == GOLEAK_NONE) return fs->rule_ns[fs->nrule_ns - 1];
    return rule_index + 1 < fs->nrule_ns ? fs->rule_ns[rule_index] : 0;
}

GOLEAK_API void goleak_finding_cp_columns(const goleak_finding *f, uint32_t *start, uint32_t *end) {
    if (start) *start = f ? f->cp_start : 0;
    if (end) *end = f ? f->cp_end : 0;
}

GOLEAK_API const char *goleak_finding_fingerprint(const goleak_finding *f) {
    return f ? f->fingerprint : NULL;
}

GOLEAK_API const char *goleak_finding_symbol(const goleak_finding *f) {
    return f ? f->symbol : NULL;
}

GOLEAK_API goleak_span goleak_finding_scope_span(const goleak_finding *f) {
    goleak_span none = {{0, 0, 0}, {0, 0, 0}};
    return f ? f->scope : none;
}

GOLEAK_API goleak_span goleak_finding_statement_span(const goleak_finding *f) {
    goleak_span none = {{0, 0, 0}, {0, 0, 0}};
    return f ? f->stmt : none;
}

GOLEAK_API const char *goleak_finding_excerpt(const goleak_finding *f) {
    return f ? f->excerpt : NULL;
}

GOLEAK_API uint32_t goleak_finding_excerpt_line(const goleak_finding *f) {
    return f && f->excerpt ? f->excerpt_line : 0;
}
