/* Rule triggers: the words a rule reacts to (goleak_rule_def.triggers). The
 * engine looks at a unit's tokens and imports once per check and calls a
 * rule only when one of its triggers occurs, so that most rules skip most
 * files without building anything. */
#include "engine.h"

#include "error.h"
#include "lexer.h"

#include <string.h>

static int ident_char(unsigned char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' ||
           c >= 0x80;
}

/* The token kind (keyword, operator, delimiter) spelled by s[0, n), or -1. */
static int kind_named(const char *s, size_t n) {
    for (int k = GOLEAK_TOKEN_ADD; k < GOLEAK_TOKEN_KIND_COUNT; k++) {
        const char *name = token_kind_name(k);
        if (name[0] == s[0] && strlen(name) == n && memcmp(name, s, n) == 0) return k;
    }
    return -1;
}

/* Parses one entry s[0, n) into *t: 0, or GOLEAK_EINVAL / GOLEAK_ENOMEM with
 * the reason in *why. */
static int parse_entry(const char *s, size_t n, trigger *t, const goleak_allocator *a,
                       const char **why) {
    memset(t, 0, sizeof *t);
    if (n > 7 && memcmp(s, "import:", 7) == 0) {
        t->type = TRIG_IMPORT;
        s += 7;
        n -= 7;
    } else {
        int kind = kind_named(s, n);
        if (kind >= 0) {
            t->type = TRIG_TOKEN;
            t->kind = (uint8_t)kind;
            return 0;
        }
        *why = "not an identifier, keyword, operator or import:PATH";
        if (n == 0 || (s[0] >= '0' && s[0] <= '9')) return GOLEAK_EINVAL;
        for (size_t k = 0; k < n; k++)
            if (!ident_char((unsigned char)s[k])) return GOLEAK_EINVAL;
        t->type = TRIG_IDENT;
    }
    *why = "empty or too long";
    if (n == 0 || n > 255) return GOLEAK_EINVAL;
    /* ident_hash reads 8 bytes from its argument: hash a padded copy */
    *why = "out of memory";
    t->text = gl_malloc(a, n + 8);
    if (!t->text) return GOLEAK_ENOMEM;
    memcpy(t->text, s, n);
    memset(t->text + n, 0, 8);
    t->len = (uint32_t)n;
    if (t->type == TRIG_IDENT) t->hash = ident_hash((const uint8_t *)t->text, t->len);
    return 0;
}

typedef struct parse_ctx {
    struct goleak_rule *r;
    const goleak_allocator *a;
    goleak_error *err;
} parse_ctx;

static int add_entry(const char *entry, size_t n, void *ctx) {
    parse_ctx *pc = ctx;
    struct goleak_rule *r = pc->r;
    const char *why = NULL;
    int rc = parse_entry(entry, n, &r->triggers[r->ntriggers], pc->a, &why);
    if (rc)
        return error_set(pc->err, rc, NULL, 0, 0, 0, "rule %s: trigger \"%.*s\": %s", r->id, (int)n,
                         entry, why);
    r->ntriggers++;
    return 0;
}

int rule_triggers_parse(struct goleak_rule *r, const char *text, const goleak_allocator *a,
                        goleak_error *err) {
    size_t count = 0;
    for (const char *p = text; *p; p++)
        if (*p == ',') count++;
    r->triggers = gl_calloc(a, (count + 1) * sizeof *r->triggers);
    if (!r->triggers) return error_set(err, GOLEAK_ENOMEM, NULL, 0, 0, 0, "out of memory");
    parse_ctx pc = {r, a, err};
    return each_entry(text, add_entry, &pc, &count);
}

void rule_triggers_free(struct goleak_rule *r, const goleak_allocator *a) {
    for (uint32_t k = 0; r->triggers && k < r->ntriggers; k++) gl_free(a, r->triggers[k].text);
    gl_free(a, r->triggers);
    r->triggers = NULL;
    r->ntriggers = 0;
}

/* One pass over the unit's tokens: which kinds and identifier hashes occur. */
static unit_presence *presence(goleak_check *chk) {
    if (chk->presence && chk->presence->built) return chk->presence;
    if (!chk->presence) {
        chk->presence = gl_calloc(chk->engine->alloc, sizeof *chk->presence);
        if (!chk->presence) return NULL;
    }
    unit_presence *p = chk->presence;
    const token *t = chk->unit->toks.data;
    /* the kinds in locals and a byte table: stores through p could alias
     * the tokens' bytes, which would reload them on every token */
    uint8_t seen[256] = {0};
    uint64_t *idents = p->idents;
    for (uint32_t i = 0, n = chk->unit->toks.len; i < n; i++) {
        uint8_t kind = t[i].kind;
        uint16_t h = t[i].hash;
        seen[kind] = 1;
        if (kind == GOLEAK_TOKEN_IDENT) idents[h >> 6] |= (uint64_t)1 << (h & 63);
    }
    for (int k = 0; k < GOLEAK_TOKEN_KIND_COUNT; k++)
        if (seen[k]) p->kinds[k >> 6] |= (uint64_t)1 << (k & 63);
    p->built = 1;
    return p;
}

/* Whether the unit imports path t (quoted or raw literal). */
static int imports(const goleak_unit *u, const trigger *t) {
    if (u->root == NONE32) return 0;
    const node *nd = u->nodes.data;
    for (uint32_t g = nd[u->root].child; g != NONE32; g = nd[g].next) {
        if (nd[g].kind != GOLEAK_NODE_GENDECL ||
            u->toks.data[nd[g].first].kind != GOLEAK_TOKEN_IMPORT)
            continue;
        for (uint32_t s = nd[g].child; s != NONE32; s = nd[s].next) {
            if (nd[s].kind != GOLEAK_NODE_IMPORT || nd[s].key == NONE32) continue;
            const token *lit = &u->toks.data[nd[s].key];
            if (lit->len == t->len + 2 && memcmp(u->src + lit->off + 1, t->text, t->len) == 0)
                return 1;
        }
    }
    return 0;
}

const uint64_t *check_ident_presence(goleak_check *chk) {
    const unit_presence *p = presence(chk);
    if (!p) chk->oom = 1; /* the check fails with GOLEAK_ENOMEM */
    return p ? p->idents : NULL;
}

int check_may_have(goleak_check *chk, const char *word) {
    const unit_presence *p = presence(chk);
    size_t n = strlen(word);
    if (!p) chk->oom = 1; /* the check fails with GOLEAK_ENOMEM */
    if (!p || n == 0 || n > 64) return 1;
    /* no keyword or operator starts with a capital: skip their list */
    int kind = word[0] >= 'A' && word[0] <= 'Z' ? -1 : kind_named(word, n);
    if (kind >= 0) return (int)(p->kinds[kind >> 6] >> (kind & 63)) & 1;
    uint8_t padded[72] = {0}; /* ident_hash reads 8 bytes past short words */
    memcpy(padded, word, n);
    uint16_t h = ident_hash(padded, (uint32_t)n);
    return (int)(p->idents[h >> 6] >> (h & 63)) & 1;
}

int rule_triggered(goleak_check *chk, const struct goleak_rule *r) {
    if (r->ntriggers == 0) return 1;
    const unit_presence *p = presence(chk);
    if (!p) {
        chk->oom = 1; /* the check fails with GOLEAK_ENOMEM */
        return 0;
    }
    for (uint32_t k = 0; k < r->ntriggers; k++) {
        const trigger *t = &r->triggers[k];
        switch (t->type) {
        case TRIG_TOKEN:
            if (p->kinds[t->kind >> 6] & ((uint64_t)1 << (t->kind & 63))) return 1;
            break;
        case TRIG_IDENT:
            /* a hash is enough: a collision only runs the rule for nothing */
            if (p->idents[t->hash >> 6] & ((uint64_t)1 << (t->hash & 63))) return 1;
            break;
        default:
            if (imports(chk->unit, t)) return 1;
            break;
        }
    }
    return 0;
}
