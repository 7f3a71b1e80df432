/* Fingerprints of findings. A finding is named by its rule, its file, the
 * top-level declaration around it (a function, a method as Type.Name, a
 * type, a variable) and the tokens of the statement it reports, normalized
 * (no semicolons, no trailing commas, nested blocks and other branches left
 * out), with its place among them: none of it moves when lines are inserted
 * above, another function is renamed or reformatted, or this statement is
 * reindented. Twins (the same key twice in a file) get an occurrence index. */
#include "fingerprint.h"

#include <string.h>

/* ---- hashing: FNV-1a over the parts, finished by a 64-bit mixer ---- */

static uint64_t hash_bytes(uint64_t h, const void *p, size_t n) {
    const unsigned char *s = p;
    for (size_t k = 0; k < n; k++) {
        h ^= s[k];
        h *= 0x100000001B3u;
    }
    return h;
}

/* A part, then a separator no text holds. */
static uint64_t hash_part(uint64_t h, const char *s, size_t n) {
    h = hash_bytes(h, s, n);
    return hash_bytes(h, "\xff", 1);
}

static uint64_t mix64(uint64_t x) {
    x ^= x >> 33;
    x *= 0xFF51AFD7ED558CCDu;
    x ^= x >> 33;
    x *= 0xC4CEB9FE1A85EC53u;
    x ^= x >> 33;
    return x;
}

void fingerprint_format(char out[17], uint64_t key, uint32_t occurrence) {
    static const char hex[] = "0123456789abcdef";
    uint64_t x = mix64(key ^ mix64((uint64_t)occurrence + 1));
    for (int k = 15; k >= 0; k--, x >>= 4) out[k] = hex[x & 15];
    out[16] = 0;
}

/* ---- the tree ---- */

static const node *node_of(const goleak_unit *u, uint32_t i) {
    return i == NONE32 ? NULL : &u->nodes.data[i];
}

static int has_tokens(const node *n) {
    return n->last + 1u != n->first;
}

/* Whether n's bytes (first token's start to last token's end) hold off. */
static int holds(const goleak_unit *u, const node *n, uint32_t off) {
    if (!has_tokens(n)) return 0;
    const token *a = &u->toks.data[n->first], *b = &u->toks.data[n->last];
    return off >= a->off && off < b->off + b->len;
}

/* The nodes a fingerprint can name as the reported statement. */
static int is_anchor(int kind) {
    switch (kind) {
    case N(GENDECL):
    case N(IMPORT):
    case N(SPEC):
    case N(FUNC):
    case N(FIELD):
    case N(EXPRSTMT):
    case N(SEND):
    case N(INCDEC):
    case N(ASSIGN):
    case N(GO):
    case N(DEFER):
    case N(RETURN):
    case N(BRANCH):
    case N(IF):
    case N(SWITCH):
    case N(TYPESWITCH):
    case N(CASE):
    case N(SELECT):
    case N(COMM):
    case N(FOR):
    case N(RANGE):
    case N(EMPTY):
    case N(BAD): return 1;
    default: return 0;
    }
}

/* Whether the tokens of d, a descendant of anchor a (node index ai), are
 * left out of a's hash: nested blocks, else branches, the clauses of a
 * switch or select, and the statements of a clause. */
static int left_out(const node *a, uint32_t ai, const node *d) {
    if (d->kind == N(BLOCK) || d->role == R(ELSE)) return 1;
    if (d->kind == N(CASE) || d->kind == N(COMM)) return 1;
    return (a->kind == N(CASE) || a->kind == N(COMM)) && d->parent == ai && d->role == R(NONE);
}

/* Whether token k is left out of a hash: semicolons (automatic or not),
 * and a comma before a closing bracket (gofmt adds and removes them). */
static int noise(const goleak_unit *u, uint32_t k) {
    const token *t = &u->toks.data[k];
    if (t->kind == T(SEMICOLON)) return 1;
    if (t->kind != T(COMMA) || k + 1 >= u->toks.len) return 0;
    int next = u->toks.data[k + 1].kind;
    return next == T(RPAREN) || next == T(RBRACE) || next == T(RBRACK);
}

typedef struct token_hash {
    uint64_t h;
    uint32_t before; /* tokens hashed before the finding's token */
    uint32_t at;     /* the finding's token */
} token_hash;

static void hash_tokens(token_hash *th, const goleak_unit *u, uint32_t from, uint32_t to) {
    for (uint32_t k = from; k < to; k++) {
        if (noise(u, k)) continue;
        const token *t = &u->toks.data[k];
        unsigned char kind = t->kind;
        th->h = hash_bytes(th->h, &kind, 1);
        if (t->kind <= T(STRING)) th->h = hash_part(th->h, (const char *)u->src + t->off, t->len);
        if (k < th->at) th->before++;
    }
}

/* Hashes the tokens of anchor a (index ai), without those left out: a
 * walk of its subtree in source order along the tree's links. */
static void hash_anchor(token_hash *th, const goleak_unit *u, const node *a, uint32_t ai) {
    uint32_t pos = a->first;
    const node *n = node_of(u, a->child);
    while (n) {
        int skip = has_tokens(n) && left_out(a, ai, n);
        if (skip) {
            if (n->first > pos) hash_tokens(th, u, pos, n->first);
            if (n->last + 1 > pos) pos = n->last + 1;
        }
        const node *next = skip ? NULL : node_of(u, n->child);
        while (!next && n) { /* next sibling, or an ancestor's, below a */
            next = node_of(u, n->next);
            if (!next) {
                n = node_of(u, n->parent);
                if (n == a) n = NULL;
            }
        }
        n = next;
    }
    if (a->last + 1 > pos) hash_tokens(th, u, pos, a->last + 1);
}

/* The text of token k of u. */
static const char *tok_text(const goleak_unit *u, uint32_t k, uint32_t *len) {
    *len = u->toks.data[k].len;
    return (const char *)u->src + u->toks.data[k].off;
}

/* The name of top-level declaration d for a finding at off: a function,
 * Type.Method, the spec of a const, var or type declaration, or the
 * keyword (import, package). */
static char *symbol_of(const goleak_unit *u, const node *d, uint32_t off, arena *ar) {
    uint32_t n;
    const char *s;
    if (d->kind == N(FUNC) && d->key != NONE32) {
        s = tok_text(u, d->key, &n);
        /* a method: the receiver's type name first */
        for (const node *c = node_of(u, d->child); c; c = node_of(u, c->next)) {
            if (c->role != R(RECV)) continue;
            for (const node *t = node_of(u, c->child); t; t = node_of(u, t->next)) {
                if (t->kind != N(TYPE) || !has_tokens(t)) continue;
                for (uint32_t k = t->first; k <= t->last; k++) {
                    if (u->toks.data[k].kind != T(IDENT)) continue;
                    uint32_t rn;
                    const char *r = tok_text(u, k, &rn);
                    char *sym = arena_alloc(ar, (size_t)rn + 1 + n + 1);
                    if (!sym) return NULL;
                    memcpy(sym, r, rn);
                    sym[rn] = '.';
                    memcpy(sym + rn + 1, s, n);
                    sym[rn + 1 + n] = 0;
                    return sym;
                }
            }
        }
        return arena_strndup(ar, s, n);
    }
    if (d->kind == N(GENDECL)) {
        for (const node *c = node_of(u, d->child); c; c = node_of(u, c->next))
            if (c->kind == N(SPEC) && c->key != NONE32 && holds(u, c, off)) {
                s = tok_text(u, c->key, &n);
                return arena_strndup(ar, s, n);
            }
    }
    s = tok_text(u, d->first, &n);
    return arena_strndup(ar, s, n);
}

/* From the innermost node around token t (the unit's token index), up to
 * the top-level declaration: *decl, and the innermost anchor at or below
 * it (in *anchor, its index in *ai). The path is the one a descent from
 * the declaration by the first child holding t takes, found in the depth
 * of the tree rather than the width of every level: a function of 20,000
 * statements costs no more per finding than a small one. Both NULL when t
 * is in no declaration. */
static void place_from_index(const goleak_unit *u, const uint32_t *idx, uint32_t t,
                             const node **decl, const node **anchor, uint32_t *ai) {
    *decl = *anchor = NULL;
    *ai = NONE32;
    for (uint32_t n = idx[t]; n != NONE32 && n != u->root; n = u->nodes.data[n].parent) {
        const node *x = &u->nodes.data[n];
        if (!*anchor && is_anchor(x->kind)) {
            *anchor = x;
            *ai = n;
        }
        if (x->parent == u->root) *decl = x;
    }
    if (!*decl) {
        *anchor = NULL;
        *ai = NONE32;
    }
}

int finding_locate(finding_place *p, const goleak_unit *u, const char *rule_id, uint32_t start,
                   uint32_t end, arena *ar) {
    memset(p, 0, sizeof *p);
    size_t t = goleak_unit_token_at(u, start);
    int in_token = t != GOLEAK_NONE && u->toks.data[t].off <= start &&
                   start < u->toks.data[t].off + u->toks.data[t].len;
    const uint32_t *idx = NULL;
    if (in_token && u->root != NONE32 && !(idx = unit_node_index(u))) return -1; /* out of memory */
    const node *anchor = NULL;
    uint32_t ai = NONE32;
    if (idx) {
        place_from_index(u, idx, (uint32_t)t, &p->decl, &anchor, &ai);
    } else {
        const node *root = u->root == NONE32 ? NULL : &u->nodes.data[u->root];
        for (const node *d = root ? node_of(u, root->child) : NULL; d; d = node_of(u, d->next))
            if (holds(u, d, start)) {
                p->decl = d;
                break;
            }
    }
    p->symbol = p->decl ? symbol_of(u, p->decl, start, ar) : arena_strndup(ar, "", 0);
    if (!p->symbol) return -1;

    uint64_t h = 0xCBF29CE484222325u;
    const char *path = u->path ? u->path : "";
    while (path[0] == '.' && path[1] == '/') path += 2;
    h = hash_part(h, "goleak-fingerprint-1", 20);
    h = hash_part(h, rule_id, strlen(rule_id));
    h = hash_part(h, path, strlen(path));
    h = hash_part(h, p->symbol, strlen(p->symbol));

    if (!in_token) {
        /* in a comment (an unused suppression) or between tokens: the
         * finding's own text, its blanks collapsed */
        h = hash_part(h, "text", 4);
        int blank = 0;
        for (uint32_t k = start; k < end && k < u->len; k++) {
            unsigned char c = u->src[k];
            int b = c == ' ' || c == '\t' || c == '\n' || c == '\r';
            if (b && !blank) h = hash_bytes(h, " ", 1);
            if (!b) h = hash_bytes(h, &c, 1);
            blank = b;
        }
        p->key = h;
        return 0;
    }

    /* the innermost anchor (found with the declaration; a unit without a
     * tree has neither) */
    p->anchor = anchor;
    token_hash th = {h, 0, (uint32_t)t};
    if (p->anchor) {
        unsigned char kind = p->anchor->kind;
        th.h = hash_part(th.h, "node", 4);
        th.h = hash_bytes(th.h, &kind, 1);
        hash_anchor(&th, u, p->anchor, ai);
    } else { /* outside every declaration: the token itself */
        th.h = hash_part(th.h, "token", 5);
        hash_tokens(&th, u, (uint32_t)t, (uint32_t)t + 1);
        th.before = 0;
    }
    /* where the finding starts among the statement's tokens */
    p->key = hash_bytes(th.h, &th.before, sizeof th.before);
    return 0;
}

char *finding_excerpt(const goleak_unit *u, uint32_t start, uint32_t end, uint32_t *first_line,
                      arena *ar) {
    enum { CONTEXT = 2, MAX_OWN = 8, MAX_LINE = 400 };
    uint32_t nlines = u->lines.len;
    uint32_t l0 = unit_pos(u, start).line, l1 = unit_pos(u, end > start ? end - 1 : start).line;
    if (l1 > l0 + MAX_OWN - 1) l1 = l0 + MAX_OWN - 1;
    uint32_t from = l0 > CONTEXT ? l0 - CONTEXT : 1, to = l1 + CONTEXT;
    if (to > nlines) to = nlines;
    size_t size = 1;
    for (uint32_t l = from; l <= to; l++) size += MAX_LINE + 1;
    char *out = arena_alloc(ar, size), *w = out;
    if (!out) return NULL;
    for (uint32_t l = from; l <= to; l++) {
        uint32_t a = u->lines.data[l - 1], b = l < nlines ? u->lines.data[l] : u->len;
        while (b > a && (u->src[b - 1] == '\n' || u->src[b - 1] == '\r')) b--;
        uint32_t n = b - a > MAX_LINE ? MAX_LINE : b - a;
        /* a cut line ends on a whole UTF-8 sequence */
        if (n < b - a)
            while (n > 0 && (u->src[a + n] & 0xC0) == 0x80) n--;
        memcpy(w, u->src + a, n);
        w += n;
        if (l < to) *w++ = '\n';
    }
    *w = 0;
    *first_line = from;
    return out;
}
