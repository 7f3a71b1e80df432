/* The triggers of a pack rule (goleak_rule_def.triggers), derived from what
 * its patterns cannot match without, as semgrep prefilters rules by their
 * literals: the engine then skips the rule, and the pack's per-file index,
 * on files that hold none of them. Exact: a file without every trigger of
 * a rule gets no finding from it. */
#include "pack_triggers.h"

#include "../lexer.h"

#include <string.h>

/* A set of words, any of which a match needs; known = 0: no such set. */
typedef struct need {
    int known;
    const char *words[32];
    uint32_t len[32];
    uint8_t import[32]; /* the word is an import path */
    uint32_t n;
} need;

static void need_add(need *d, const char *w, uint32_t len, int import) {
    for (uint32_t k = 0; k < d->n; k++)
        if (d->len[k] == len && d->import[k] == import && memcmp(d->words[k], w, len) == 0) return;
    if (d->n == sizeof d->words / sizeof *d->words) {
        d->known = 0; /* too many alternatives to be worth it */
        return;
    }
    d->words[d->n] = w;
    d->import[d->n] = (uint8_t)import;
    d->len[d->n++] = len;
}

/* A word a pattern cannot match without: a package it names (the import),
 * else its longest plain identifier, else a keyword. */
static need pattern_need(const pack_rule *r, const pattern *p) {
    need d = {0};
    const ptok *best = NULL, *keyword = NULL;
    for (uint32_t k = 0; k < p->n; k++) {
        const ptok *t = &p->toks[k];
        if (t->type == PT_PKG) {
            const char *path = r->imports[t->meta].path;
            d.known = 1;
            need_add(&d, path, (uint32_t)strlen(path), 1);
            return d;
        }
        if (t->type != PT_TOKEN) continue;
        if (t->kind == GOLEAK_TOKEN_IDENT && t->text && (!best || t->len > best->len)) best = t;
        if (t->kind >= GOLEAK_TOKEN_BREAK && !keyword) keyword = t;
    }
    if (best) {
        d.known = 1;
        need_add(&d, best->text, best->len, 0);
    } else if (keyword) {
        const char *w = token_kind_name(keyword->kind);
        d.known = 1;
        need_add(&d, w, (uint32_t)strlen(w), 0);
    }
    return d;
}

static need matcher_need(const pack_rule *r, const matcher *m) {
    need d = {0};
    switch (m->kind) {
    case M_PATTERN: return pattern_need(r, m->pat);
    case M_ALL:
        /* every positive part is needed: the first that says what it needs */
        for (uint32_t k = 0; k < m->nitems; k++) {
            if (m->items[k].op != OP_MATCH && m->items[k].op != OP_INSIDE) continue;
            need p = matcher_need(r, m->items[k].m);
            if (p.known) return p;
        }
        return d;
    case M_ANY:
        /* any part may match: each must say what it needs */
        d.known = 1;
        for (uint32_t k = 0; k < m->nitems && d.known; k++) {
            if (m->items[k].op != OP_MATCH) return (need){0};
            need p = matcher_need(r, m->items[k].m);
            if (!p.known) return (need){0};
            for (uint32_t i = 0; i < p.n; i++) need_add(&d, p.words[i], p.len[i], p.import[i]);
        }
        return d;
    default: return d; /* a context: anything */
    }
}

/* Appends the words of d to the triggers text in buf (size bytes), imports
 * as import:PATH; 0, or -1 when it does not fit. */
static int append_words(char *buf, size_t size, size_t *o, const need *d) {
    for (uint32_t k = 0; k < d->n; k++) {
        int is_path = d->import[k];
        size_t need_len = d->len[k] + (is_path ? 7 : 0) + 1;
        if (*o + need_len >= size) return -1;
        if (*o) buf[(*o)++] = ',';
        if (is_path) {
            memcpy(buf + *o, "import:", 7);
            *o += 7;
        }
        memcpy(buf + *o, d->words[k], d->len[k]);
        *o += d->len[k];
    }
    buf[*o] = 0;
    return 0;
}

const char *pack_rule_triggers(const pack_rule *r, char *buf, size_t size) {
    size_t o = 0;
    buf[0] = 0;
    if (r->nrequires) { /* the file must import one of these */
        for (uint32_t k = 0; k < r->nrequires; k++) {
            const char *path = r->imports[r->requires[k]].path;
            need d = {0};
            d.known = 1;
            need_add(&d, path, (uint32_t)strlen(path), 1);
            if (append_words(buf, size, &o, &d)) return NULL;
        }
        return buf;
    }
    if (r->match) {
        need d = matcher_need(r, r->match);
        return d.known && append_words(buf, size, &o, &d) == 0 ? buf : NULL;
    }
    /* a resource rule: any of its acquisitions */
    for (uint32_t k = 0; k < r->nresources; k++) {
        need d = matcher_need(r, r->resources[k].acquire);
        if (!d.known || append_words(buf, size, &o, &d)) return NULL;
    }
    return r->nresources ? buf : NULL;
}
