/* Facts: what the rules ask about a unit, computed once per check from the
 * skeleton tree: which name means which imported package, the variables of
 * each scope and what they hold (a channel and how it was made, a mutex, a
 * ticker, a cancel function, a large buffer...), every call with its
 * callee classified, and the nodes of each kind in source order. */
#ifndef GOLEAK_FACTS_H
#define GOLEAK_FACTS_H

#include "alloc.h"
#include "names.h"
#include "unit.h"

#include <string.h>

/* The standard packages rules care about. */
enum pkg_id {
    PKG_NONE,
    PKG_TIME,
    PKG_CONTEXT,
    PKG_SYNC,
    PKG_RUNTIME,
    PKG_STRINGS,
    PKG_BYTES,
    PKG_IO,
    PKG_IOUTIL,
    PKG_OS,
    PKG_BUFIO,
    PKG_LOG,
    PKG_SLICES,
    PKG_FMT,
    PKG_SORT,
    PKG_FILEPATH,
    PKG_PATH,
    PKG_OTHER, /* an imported package the rules do not know */
    PKG_COUNT
};

typedef struct import_fact {
    uint32_t node;       /* IMPORT node */
    const uint8_t *name; /* the local name (alias, or the path's last element) */
    uint32_t name_len;
    uint16_t name_hash; /* ident_hash of the name: most identifiers differ in it */
    uint8_t pkg;        /* pkg_id */
    uint8_t dot;        /* dot import: members are unqualified */
} import_fact;

/* What a variable holds. */
enum var_kind {
    VK_OTHER,
    VK_CHAN,
    VK_MUTEX,
    VK_RWMUTEX,
    VK_TICKER,
    VK_TIMER,
    VK_CANCEL,
    VK_CONTEXT,
    VK_STRING,
    VK_BYTES,
    VK_SLICE,
    VK_ARRAY
};

enum var_flag {
    VF_PARAM = 1u << 0,    /* parameter or receiver */
    VF_RESULT = 1u << 1,   /* named result */
    VF_PKG = 1u << 2,      /* package-level */
    VF_LARGE = 1u << 3,    /* holds a whole input (ReadAll, ReadFile, ...) or a big buffer */
    VF_MADE = 1u << 4,     /* a channel made by make in its declaration */
    VF_NO_VALUE = 1u << 5, /* declared without a value (var x T) */
    VF_RECV = 1u << 6      /* method receiver */
};

typedef struct var_fact {
    uint32_t name;                  /* the declaring identifier's token */
    uint32_t scope_end;             /* last token of its scope */
    uint32_t func;                  /* FUNC/FUNCLIT node it belongs to; NONE32 at package level */
    uint32_t decl;                  /* ASSIGN, SPEC, FIELD, RANGE or TYPESWITCH node */
    uint32_t type_first, type_last; /* declared type tokens; NONE32 when none */
    uint32_t value;                 /* node of its initial value (EXPR), NONE32 when none */
    uint32_t value_index;           /* which result of a multi-value call it receives */
    int32_t chan_cap;               /* made channels: capacity, -1 when not a constant */
    uint16_t kind;                  /* enum var_kind */
    uint16_t flags;                 /* enum var_flag */
    uint32_t next;                  /* hash chain */
    uint32_t top;                   /* index of the top-level declaration around a local
                                     * variable; NONE32 for a package-level one */
} var_fact;

typedef struct call_fact {
    uint32_t node;       /* the CALL node */
    uint32_t name;       /* function or method name token; NONE32 when the callee is no name */
    uint32_t recv_first; /* a method call's receiver tokens (s.mu of s.mu.Lock()); */
    uint32_t recv_last;  /*   NONE32 when not a method call */
    uint8_t pkg;         /* pkg_id of a call pkg.Func() */
    uint8_t nargs;       /* number of arguments, saturated at 255 */
} call_fact;

typedef struct field_fact { /* a named field of a struct type of the file */
    uint32_t name;          /* its name token */
    uint32_t type_first, type_last;
    uint32_t owner; /* the type SPEC node, NONE32 for anonymous structs */
    uint16_t kind;  /* enum var_kind */
} field_fact;

typedef struct nodelist {
    uint32_t *data;
    uint32_t len, cap;
} nodelist;

typedef struct facts {
    const goleak_unit *u;
    const node *nodes;
    const token *toks;
    const uint8_t *src;
    const goleak_allocator *alloc;
    struct {
        import_fact *data;
        uint32_t len, cap;
    } imports;
    uint32_t dot_pkgs;                        /* bit pkg_id: that package is dot-imported */
    nodelist by_kind[GOLEAK_NODE_KIND_COUNT]; /* pre-order, i.e. source order; each
                                               * list's data lies in kind_store */
    uint32_t *kind_store;                     /* one block for every list */
    struct {
        var_fact *data;
        uint32_t len, cap;
    } vars;
    uint32_t *buckets;              /* (name hash, top-level declaration) -> first var */
    uint32_t nbuckets;              /* a power of two */
    uint32_t *top_first, *top_last; /* token span of each top-level declaration */
    uint32_t ntops;
    /* the declaration top_of found last (lookups come in runs from one
     * function): points at last_top_store, so that lookups through a const
     * facts can update it; a check uses its facts from one thread */
    uint32_t *last_top, last_top_store;
    struct {
        call_fact *data;
        uint32_t len, cap;
    } calls;              /* in source order */
    uint32_t *call_index; /* node -> index in calls, NONE32 when not a call */
    struct {
        field_fact *data;
        uint32_t len, cap;
    } fields;
    /* per node, from the build's walk: the innermost function around it,
     * the loop whose body holds it (within its function), and the
     * statement holding it (stmt_of) */
    uint32_t *func_of, *loop_of, *stmt_of;
    /* per token, once the build is done: the variable an identifier refers
     * to (resolve), NONE32 when none; and the innermost node holding it
     * (the unit's index) */
    uint32_t *tok_var;
    const uint32_t *node_at;
    /* the tokens that refer to each variable, in source order (next_use):
     * those of variable k are uses[use_start[k] .. use_start[k + 1]) */
    uint32_t *use_start, *uses;
    /* built on first use, like the indexes below: a rule that does not ask
     * does not pay for them */
    int funcs_built, types_built, calls_built;
    /* the first top-level function or method of each name (find_func) */
    name_table func_names;
    uint32_t *func_by_name; /* slot -> FUNC node */
    /* the type declared under each name (find_type) */
    name_table type_names;
    uint32_t *type_by_name; /* slot -> SPEC node */
    /* the calls of each callee name, in source order (calls_named) */
    name_table call_names;
    uint32_t *call_start, *call_list; /* slot -> call indexes */
    /* per statement list, lazily: its first statement that never returns
     * (unreachable); NONE32 when none, UNKNOWN_EXIT before it is computed.
     * Written through a const facts like last_top: one thread per check */
    uint32_t *first_exit;
    /* every identifier token grouped by name, built on first use
     * (idents_named): slot -> ident_list[ident_start[slot] ..] */
    struct ident_index *idents;
    /* set when a lazily built index could not be allocated: the check then
     * fails with GOLEAK_ENOMEM (written through a const facts) */
    int *oom;
    int oom_store;
} facts;

/* first_exit before it is computed */
#define UNKNOWN_EXIT (NONE32 - 1)

/* The per-statement-list memo first_exit, allocated on first use; NULL
 * when out of memory (the facts' oom is set: the check fails). */
uint32_t *facts_exit_memo(const facts *f);

/* Builds the facts of a parsed unit; NULL when out of memory. */
facts *facts_build(const goleak_unit *u, const goleak_allocator *a);
void facts_free(facts *f);

/* ---- tokens ---- */

/* Whether token i's text is s. */
static inline int tok_is(const facts *f, uint32_t i, const char *s) {
    /* inline with a first-byte filter: rules call this on every candidate */
    const token *t = &f->toks[i];
    const char *x = (const char *)f->src + t->off;
    return t->len > 0 && x[0] == s[0] && strlen(s) == t->len && memcmp(x, s, t->len) == 0;
}
/* Whether tokens i and j have the same text. */
static inline int tok_same(const facts *f, uint32_t i, uint32_t j) {
    const token *a = &f->toks[i], *b = &f->toks[j];
    /* equal texts lex to equal kinds, so equal identifiers have equal hashes */
    if (a->len != b->len || a->hash != b->hash) return 0;
    const uint8_t *x = f->src + a->off, *y = f->src + b->off;
    return a->len == 0 || (x[0] == y[0] && memcmp(x, y, a->len) == 0);
}
/* Whether token ranges [a0, a1] and [b0, b1] spell the same tokens. */
int toks_same(const facts *f, uint32_t a0, uint32_t a1, uint32_t b0, uint32_t b1);
static inline int tok_kind(const facts *f, uint32_t i) {
    return f->toks[i].kind;
}

/* ---- nodes ---- */

static inline const node *nd(const facts *f, uint32_t n) {
    return &f->nodes[n];
}
/* The index in by_kind[kind] of the first node whose first token is >= tok
 * (the lists are in pre-order, so sorted by first token). */
uint32_t kind_lower_bound(const facts *f, int kind, uint32_t tok);

/* Iterates over the nodes of one kind, in source order. */
#define FOR_KIND(f, kind, var)                                                                     \
    for (uint32_t var##_i = 0, var = 0;                                                            \
         var##_i < (f)->by_kind[kind].len && ((var = (f)->by_kind[kind].data[var##_i]), 1);        \
         var##_i++)

/* Iterates over the nodes of one kind whose first token lies in [lo, hi],
 * in source order: a binary search finds the first, so a rule that asks
 * this per function or per loop does not rescan the file's whole list. */
#define FOR_KIND_IN(f, kind, var, lo, hi)                                                          \
    for (uint32_t var##_i = kind_lower_bound(f, kind, lo), var##_hi = (hi), var = 0;               \
         var##_i < (f)->by_kind[kind].len && ((var = (f)->by_kind[kind].data[var##_i]), 1) &&      \
         (f)->nodes[var].first <= var##_hi;                                                        \
         var##_i++)

/* The FUNC or FUNCLIT node around n (n itself excluded), NONE32 at top level. */
static inline uint32_t enclosing_func(const facts *f, uint32_t n) {
    return f->func_of[n];
}
/* Whether n lies inside the subtree of a. */
int node_within(const facts *f, uint32_t n, uint32_t a);
/* The first child of n with the given role, NONE32 when none. */
uint32_t child_by_role(const facts *f, uint32_t n, int role);
/* The n-th child with a role (from 0), NONE32 when none. */
uint32_t nth_child_by_role(const facts *f, uint32_t n, int role, uint32_t k);
/* The single node an EXPR wrapper holds when it is exactly that node
 * (the EXPR's tokens are the node's tokens), else NONE32. */
uint32_t expr_node(const facts *f, uint32_t expr);
/* Whether EXPR node e is exactly one identifier; its token in *tok. */
int expr_ident(const facts *f, uint32_t e, uint32_t *tok);
/* Whether tokens [first, last] are exactly one identifier. */
static inline int span_is_ident(const facts *f, uint32_t first, uint32_t last) {
    return first == last && f->toks[first].kind == GOLEAK_TOKEN_IDENT;
}
/* The unit's token -> node index, built on first use (NULL when out of
 * memory: f->oom is set). */
const uint32_t *facts_node_index(const facts *f);
/* The innermost node whose tokens hold token tok (the root when out of
 * memory, which fails the check). */
static inline uint32_t node_at(const facts *f, uint32_t tok) {
    const uint32_t *idx = f->node_at ? f->node_at : facts_node_index(f);
    return idx ? idx[tok] : f->u->root;
}
/* The CALL whose `(` is token paren, NONE32. */
static inline uint32_t call_at_key(const facts *f, uint32_t paren) {
    uint32_t n = node_at(f, paren);
    return f->nodes[n].kind == N(CALL) && f->nodes[n].key == paren ? n : NONE32;
}
/* Whether identifier token i is a field name x.i or a literal key i: (not
 * a use of a variable spelled like it). */
int field_or_key(const facts *f, uint32_t i);
/* The FUNC node of a top-level function or method of the file by name, NONE32. */
uint32_t find_func(const facts *f, uint32_t name_tok);

/* Every identifier token spelled like token tok, in source order: *n
 * receives their number (0, and NULL, when out of memory: f->oom is set). */
const uint32_t *idents_named(const facts *f, uint32_t tok, uint32_t *n);
/* The same for a name given as text. */
const uint32_t *idents_named_text(const facts *f, const char *name, uint32_t *n);

/* The first type spec of the file declaring the name spelled by token tok
 * (type T ...), NONE32. */
uint32_t find_type(const facts *f, uint32_t tok);

/* The calls whose callee name (call_fact.name) is spelled like token tok:
 * *n receives their number; the returned indexes (into f->calls) are in
 * source order. NULL with *n = 0 when there is none. */
const uint32_t *calls_named(const facts *f, uint32_t tok, uint32_t *n);
/* The same for a name given as text ("Stop"). */
const uint32_t *calls_named_text(const facts *f, const char *name, uint32_t *n);
/* Of such a list (calls in source order), the first entry whose call starts
 * at or after token tok: its position in the list (n when none). */
uint32_t calls_from(const facts *f, const uint32_t *calls, uint32_t n, uint32_t tok);
/* The body BLOCK of a FUNC or FUNCLIT node, NONE32. */
static inline uint32_t func_body(const facts *f, uint32_t fn) {
    return child_by_role(f, fn, GOLEAK_ROLE_BODY);
}

/* ---- names ---- */

/* The package an identifier token refers to: PKG_NONE when it is not an
 * import's name or a variable shadows it there, PKG_OTHER for an import
 * the rules do not know. */
int ident_pkg(const facts *f, uint32_t tok);
/* Whether the package is dot-imported. */
static inline int pkg_dot_imported(const facts *f, int pkg) {
    return (f->dot_pkgs >> pkg) & 1u;
}
/* The variable an identifier token refers to, or NULL. Inline once the
 * facts are built, since the rules ask it of nearly every token they read. */
const var_fact *resolve_building(const facts *f, uint32_t tok);
static inline const var_fact *resolve(const facts *f, uint32_t tok) {
    if (tok == NONE32) return NULL; /* "no token" resolves to nothing */
    if (f->tok_var) {               /* the build is done: its index answers */
        uint32_t v = f->tok_var[tok];
        return v == NONE32 ? NULL : &f->vars.data[v];
    }
    return resolve_building(f, tok);
}
/* The next token after `from` (exclusive) up to `to` (inclusive) that is a
 * use of variable v (not a field name x.v nor a key v: of a literal), or
 * NONE32. */
uint32_t next_use(const facts *f, const var_fact *v, uint32_t from, uint32_t to);
/* The first use of v in tokens [a, b] (a itself included), or NONE32. */
static inline uint32_t first_use_in(const facts *f, const var_fact *v, uint32_t a, uint32_t b) {
    return a == 0 ? (f->tok_var[0] == (uint32_t)(v - f->vars.data) ? 0 : next_use(f, v, 0, b))
                  : next_use(f, v, a - 1, b);
}

/* ---- calls ---- */

static inline const call_fact *call_of(const facts *f, uint32_t call_node) {
    if (call_node == NONE32 || f->nodes[call_node].kind != N(CALL)) return NULL;
    uint32_t k = f->call_index[call_node];
    return k == NONE32 ? NULL : &f->calls.data[k];
}
/* The CALL node spanning exactly tokens [first, last], or NONE32. */
uint32_t call_at(const facts *f, uint32_t first, uint32_t last);
/* Whether call c is name(...) unqualified, not a local variable's. */
int call_is_unqualified(const facts *f, const call_fact *c, const char *name);
/* Whether a call is pkg.name(...) (also a dot-imported name(...)). Inline:
 * rules ask it of every call, and most calls are of another package. */
static inline int call_is_pkg(const facts *f, const call_fact *c, int pkg, const char *name) {
    if (!c || c->name == NONE32) return 0;
    if (c->pkg == pkg) return tok_is(f, c->name, name);
    /* a dot-imported name called unqualified */
    return c->pkg == PKG_NONE && pkg_dot_imported(f, pkg) && call_is_unqualified(f, c, name);
}
/* Whether a call reads a whole input: io.ReadAll, os.ReadFile and their
 * io/ioutil forms. */
int call_reads_whole_input(const facts *f, const call_fact *c);
/* Whether a call never returns: panic, os.Exit, log.Fatal*, log.Panic*,
 * runtime.Goexit, t.Fatal and friends, syscall.Kill of the process itself
 * with a signal that ends it, or a function of the file whose last
 * statement is such a call. */
int call_never_returns(const facts *f, uint32_t call);
/* Whether a call is a method call named name (x.name(...)). */
int call_is_method(const facts *f, const call_fact *c, const char *name);
/* Whether a call is the builtin or local function name(...). */
int call_is_func(const facts *f, const call_fact *c, const char *name);
/* The k-th argument EXPR node of a call, NONE32. */
static inline uint32_t call_arg(const facts *f, uint32_t call, uint32_t k) {
    return nth_child_by_role(f, call, GOLEAK_ROLE_ARG, k);
}

/* ---- struct fields ---- */

/* The field of the file's struct types named like token tok, or NULL. */
const field_fact *find_field(const facts *f, uint32_t tok);

/* The value of a non-negative integer constant expression of literals and
 * constants of the file (64 << 10, maxSize * 2), or -1. */
long long const_value(const facts *f, uint32_t first, uint32_t last);

/* Classifies a type written as tokens [first, last]. */
int type_kind(const facts *f, uint32_t first, uint32_t last);

#endif
