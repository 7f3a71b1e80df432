/* A compiled rule pack: patterns, matchers, filters and rules, all in one
 * arena owned by the pack (which the engine keeps until it is freed). */
#ifndef GOLEAK_PACKS_PACK_H
#define GOLEAK_PACKS_PACK_H

#include "../alloc.h"
#include "regex.h"

#include <stdint.h>

#define MAX_METAVARS 32

/* ---- patterns: Go code with metavariables, as tokens ---- */

enum ptok_type {
    PT_TOKEN,     /* a Go token, compared by kind (and text for names and literals) */
    PT_META,      /* $X: an expression (one name after a period) */
    PT_DOTS,      /* ...: any balanced tokens inside one bracket level */
    PT_STMT_DOTS, /* ... as a statement: zero or more statements */
    PT_PKG        /* pkg. of an imported package (the file's name for it) */
};

typedef struct ptok {
    uint8_t type;  /* ptok_type */
    uint8_t kind;  /* PT_TOKEN: goleak_token_kind */
    uint16_t meta; /* PT_META: metavariable index (META_ANY for $_); PT_PKG: import index */
    uint32_t len;  /* PT_TOKEN names and literals: text */
    const char *text;
    uint16_t hash;     /* PT_TOKEN identifiers: ident_hash of text */
    uint8_t name_only; /* PT_META: matches one identifier */
    uint8_t primary;   /* PT_META: followed by . ( [ : a primary expression */
} ptok;

#define META_ANY 0xFFFF

/* What a pattern is tried at. */
enum anchor { ANCHOR_NODES, ANCHOR_TOKENS };

typedef struct pattern {
    ptok *toks;
    uint32_t n;
    int anchor;           /* anchor */
    uint64_t kinds;       /* ANCHOR_NODES: bit per goleak_node_kind */
    int multi;            /* several statements: a match may run past its first node */
    uint32_t callee_hash; /* CALL anchors with a named callee: hash + 1 of that name, 0: any */
    const char *callee;   /* that name */
    uint32_t callee_len;
    uint16_t *idents; /* hashes of the pattern's plain identifiers: all must be in the file */
    uint32_t nidents;
    uint32_t line, column; /* where the pattern is written (for messages) */
} pattern;

/* ---- matchers: patterns combined ---- */

enum matcher_kind { M_PATTERN, M_ALL, M_ANY, M_CONTEXT };
enum item_op { OP_MATCH, OP_NOT, OP_INSIDE, OP_NOT_INSIDE };

/* Contexts a match can be inside (context: NAME). */
enum context {
    CTX_FUNCTION,
    CTX_FUNC_LITERAL,
    CTX_LOOP,
    CTX_GOROUTINE,
    CTX_SELECT,
    CTX_DEFER,
    CTX_MAIN,
    CTX_ONCE, /* main's context outside loops: runs once in the process's life */
    CTX_TEST,
    CTX_COUNT
};

typedef struct filter filter;
typedef struct matcher matcher;

typedef struct mitem {
    int op; /* item_op */
    matcher *m;
} mitem;

struct matcher {
    int kind; /* matcher_kind */
    pattern *pat;
    mitem *items;
    uint32_t nitems;
    int context;
    filter *where;
    uint32_t nwhere;
};

/* ---- where filters ---- */

enum filter_kind { F_REGEX, F_NOT_REGEX, F_IS, F_IS_NOT, F_TYPE, F_VALUE, F_NOT_VALUE, F_ANY };

/* What a metavariable's expression is known to be (is: / is-not:). */
enum what_bit {
    W_LOCAL = 1u << 0,
    W_PARAM = 1u << 1,
    W_RESULT = 1u << 2,
    W_RECEIVER = 1u << 3,
    W_PACKAGE_VAR = 1u << 4,
    W_FIELD = 1u << 5,
    W_PACKAGE = 1u << 6,
    W_FUNC = 1u << 7,
    W_CALL = 1u << 8,
    W_LITERAL = 1u << 9,
    W_LOOP_LOCAL = 1u << 10 /* a local declared in the loop body around the match */
};

struct filter {
    int kind; /* filter_kind */
    uint16_t meta;
    regex *re;          /* F_REGEX, F_NOT_REGEX, F_TYPE */
    unsigned what;      /* F_IS, F_IS_NOT: what_bit set */
    matcher *value;     /* F_VALUE */
    filter **any_lists; /* F_ANY: alternatives, each a list of filters */
    uint32_t *any_len;
    uint32_t nany;
};

/* ---- resource rules ---- */

enum escape_bit {
    E_RETURNED = 1u << 0,
    E_STORED = 1u << 1,
    E_SENT = 1u << 2,
    E_CAPTURED = 1u << 3,
    E_PASSED = 1u << 4,
    E_ALL = 0x1F
};

typedef struct resource_spec {
    matcher *acquire;
    uint16_t as;        /* the resource's metavariable */
    int from_result;    /* 1: the resource is a result of the call */
    uint32_t result;    /* which result */
    uint16_t from_meta; /* else: the metavariable of acquire that is the resource */
    int has_error;      /* an error result guards the resource */
    uint32_t error_result;
    matcher **release; /* patterns over the resource ($as bound) */
    uint32_t nrelease;
    matcher **borrow; /* calls that use it and give it back (io.Copy) */
    uint32_t nborrow;
    matcher *
        *wrap; /* calls whose result holds it (bufio.NewReader): their result's hand-off is its */
    uint32_t nwrap;
    matcher **exhaust;
    uint32_t nexhaust;
    unsigned escapes; /* escape_bit set */
    /* follow the variable that holds the resource (follow-variable, on by
     * default): a new value given to it while the resource is held leaks */
    int follow_var;
    /* member paths of the resource that are parts of it (Body of
     * $R.Body.Close()): tokens "." NAME ..., from the release patterns */
    struct rpath {
        const ptok *toks;
        uint32_t n;
    } * parts;
    uint32_t nparts;
} resource_spec;

/* ---- rules and packs ---- */

typedef struct pack pack;

typedef struct pack_import {
    const char *path; /* "net/http" */
    const char *name; /* the name patterns use: "http" */
} pack_import;

typedef struct pack_rule {
    pack *owner;
    const char *id, *name;
    int severity;
    const char *summary, *doc;     /* doc: as goleak explain shows it */
    const char *go_min, *go_below; /* NULL: no bound */
    const char *message;
    const char *discarded_message;   /* resource rules; NULL: a default */
    const char *replaced_message;    /* resource rules; NULL: a default */
    const char **include, **exclude; /* path globs, NULL-terminated; NULL: none */
    uint32_t *requires;              /* indices into imports: at least one imported */
    uint32_t nrequires;
    pack_import *imports; /* the packages patterns name */
    uint32_t nimports;
    const char *metas[MAX_METAVARS]; /* metavariable names without $ */
    uint32_t nmetas;
    uint16_t focus; /* META_ANY: report the whole match */
    matcher *match; /* pattern rules */
    resource_spec *resources;
    uint32_t nresources;
    uint32_t line; /* where the rule is written */
} pack_rule;

struct pack {
    const goleak_allocator *alloc;
    arena ar;
    const char *path;
    regex **regexes; /* to free */
    uint32_t nregexes, capregexes;
    pack_rule *rules;
    uint32_t nrules;
};

void pack_free(pack *p);

#endif
