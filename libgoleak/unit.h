/* The unit: one parsed file. Tokens, comments, lines, diagnostics and nodes
 * live in arrays owned by the unit and are freed together. */
#ifndef GOLEAK_UNIT_H
#define GOLEAK_UNIT_H

#include "alloc.h"
#include "goleak.h"

#include <stdint.h>
#include <string.h>

#define NONE32 UINT32_MAX

/* Short names for token kinds, node kinds and roles, in the library's code. */
#define T(k) GOLEAK_TOKEN_##k
#define N(k) GOLEAK_NODE_##k
#define R(k) GOLEAK_ROLE_##k

/* Bytes of zero padding after the source: the lexer reads ahead without
 * bounds checks and stops on the NUL sentinel. */
#define SRC_PADDING GOLEAK_SOURCE_PADDING

enum token_flag {
    TF_AUTO = 1u << 0,       /* automatic semicolon */
    TF_CR = 1u << 1,         /* raw string containing carriage returns */
    TF_RUNE_ERROR = 1u << 2, /* ILLEGAL from invalid UTF-8: its literal is U+FFFD */
    TF_LINE_START = 1u << 3  /* first token of its line */
};

/* 12 bytes; line and column are derived from the line table. */
typedef struct token {
    uint32_t off;
    uint32_t len;
    uint8_t kind;
    uint8_t flags;
    uint16_t hash; /* IDENT: ident_hash of its text, so that name compares and
                    * lookups rarely touch the text; 0 for other kinds */
} token;

/* The 8 bytes at p as a little-endian number, on any host. */
static inline uint64_t load_le64(const uint8_t *p) {
    uint64_t w;
    memcpy(&w, p, sizeof w);
#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_BIG_ENDIAN__
    w = __builtin_bswap64(w);
#endif
    return w;
}

/* The first n (1 to 8) bytes at p as a little-endian number, the bytes
 * after them as zeros. Reads 8 bytes. */
static inline uint64_t load_le64_prefix(const uint8_t *p, uint32_t n) {
    return load_le64(p) & (~(uint64_t)0 >> (64 - 8 * n));
}

/* Spreads the bits of a 32-bit value (a hash table's bucket from a
 * combination of token hashes). */
static inline uint32_t mix32(uint32_t h) {
    h ^= h >> 15;
    h *= 0x2C1B3C6Du;
    h ^= h >> 12;
    h *= 0x297A2D39u;
    h ^= h >> 15;
    return h;
}

/* A 64-bit hash of an identifier's n (>= 1) bytes at s, in O(1): its first
 * and last 8 bytes and its length (distinct for distinct names of up to 8
 * bytes). Reads 8 bytes from s, which the source's zero padding makes safe
 * for any text inside the unit's source. */
static inline uint64_t ident_hash64(const uint8_t *s, uint32_t n) {
    uint64_t w0 = load_le64_prefix(s, n < 8 ? n : 8), w1 = 0;
    if (n >= 8) w1 = load_le64(s + n - 8);
    return (w0 ^ (w1 * 0x9E3779B97F4A7C15u) ^ n) * 0xFF51AFD7ED558CCDu;
}

/* Its top 16 bits, kept in each identifier token. */
static inline uint16_t ident_hash(const uint8_t *s, uint32_t n) {
    return (uint16_t)(ident_hash64(s, n) >> 48);
}

typedef struct comment {
    uint32_t off;
    uint32_t len;
} comment;

typedef struct diag {
    uint32_t off;
    uint32_t lexical; /* 1 lexer, 0 parser */
    const char *msg;  /* in the unit's arena */
} diag;

struct goleak_node {
    const goleak_unit *unit;
    uint32_t first, last, key; /* token indices; key may be NONE32 */
    uint32_t parent, child, next;
    uint8_t kind, role;
    uint16_t flags;
};
typedef struct goleak_node node;

struct goleak_unit {
    const goleak_allocator *alloc;
    goleak_allocator alloc_copy; /* the user's allocator, copied */
    char *path;
    uint8_t *src; /* len bytes + SRC_PADDING zero bytes */
    uint32_t len;
    int borrowed; /* src is the caller's (GOLEAK_PARSE_BORROW_SOURCE): not freed */

    struct {
        token *data;
        uint32_t len, cap;
    } toks;
    struct {
        comment *data;
        uint32_t len, cap;
    } comments;
    struct {
        uint32_t *data;
        uint32_t len, cap;
    } lines; /* offset of each line's start */
    struct {
        diag *data;
        uint32_t len, cap;
    } diags;
    struct {
        node *data;
        uint32_t len, cap;
    } nodes;
    uint32_t root;        /* index of the FILE node, NONE32 without tree */
    uint32_t *node_at;    /* token -> innermost node; built by the first unit_node_index */
    uint32_t *kind_at;    /* each kind's first entry in kind_nodes, then the end; unit_kind_index */
    uint32_t *kind_nodes; /* the tree's nodes grouped by kind, in array order */
    uint32_t dead_nodes;  /* nodes unlinked by the parser, not in the tree */
    arena strings;        /* diagnostic messages and other small strings */
    int oom;              /* an allocation failed while lexing or parsing */

    /* bounds (goleak_parse_options) */
    uint32_t max_tokens; /* tokens and comments; more: the file is refused */
    uint32_t max_depth;  /* nesting; deeper: the parse stops there */
    int truncated;       /* the tree stops at a bound (goleak_unit_truncated) */
    /* how the parse used the stack: the most it took from where it began,
     * and whether it ran on the parser's own large stack (tests read them) */
    size_t parse_stack_peak;
    int parse_large_stack;
};

/* Records a diagnostic at byte offset off; the message is formatted into the
 * unit's arena. Silently drops it when out of memory (sets u->oom). */
void unit_diag(goleak_unit *u, uint32_t off, int lexical, const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 4, 5)))
#endif
    ;

/* The token -> innermost node index of a unit with a tree, built on first
 * use (O(tokens + nodes), no recursion); NULL when out of memory. A unit
 * belongs to one thread, which is what makes this lazy write safe. */
const uint32_t *unit_node_index(const goleak_unit *u);

/* The nodes of the tree grouped by kind (a counting sort, O(nodes)), built
 * on first use like unit_node_index: kind k's nodes, in array order, are
 * kind_nodes[kind_at[k] .. kind_at[k + 1]). 0, or -1 when out of memory. */
int unit_kind_index(const goleak_unit *u);

/* Line (from 1) and column (from 1) of a byte offset. */
goleak_pos unit_pos(const goleak_unit *u, uint32_t off);

#endif
