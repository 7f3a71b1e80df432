/* The skeleton parser. Its productions follow the Go specification and make
 * the same decisions as go/parser where the grammar is ambiguous, so that
 * the statements, calls and receives it finds are the ones Go's own parser
 * finds. It builds no full AST: expressions are summarised in a small value
 * (xres) that carries what the decisions need, and only the nodes of
 * goleak.h are created.
 *
 * Nodes are built bottom-up on a "pending" stack: a production notes the
 * stack height when it starts, and when it knows its kind (a call is known
 * only at its '(') it adopts every node pushed since, in order, as its
 * children. Node order in u->nodes is therefore children before parents. */
#include "syntax.h"

#include "lexer.h"
#include "utf8.h"

#include <pthread.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

/* ---- expression summaries ---- */

enum xkind {
    X_BAD,
    X_IDENT,
    X_BASICLIT,
    X_FUNCLIT,
    X_COMPOSITE,
    X_PAREN,
    X_SELECTOR,
    X_INDEX, /* index or instantiation */
    X_SLICE,
    X_TYPEASSERT,
    X_TYPESWITCH, /* x.(type) */
    X_CALL,
    X_STAR,
    X_UNARY,
    X_RECV,
    X_BINARY,
    X_KEYVALUE,
    X_ELLIPSIS, /* ...T */
    X_ARRAYTYPE,
    X_STRUCTTYPE,
    X_FUNCTYPE,
    X_IFACETYPE,
    X_MAPTYPE,
    X_CHANTYPE
};

enum xflag {
    XF_TE = 1u << 0,        /* go/parser's isTypeElem */
    XF_SW = 1u << 1,        /* extractName splits it without force */
    XF_SF = 1u << 2,        /* extractName splits it with force */
    XF_DOTS_LEN = 1u << 3,  /* array type [...]T */
    XF_SPLIT_CALL = 1u << 4 /* the split goes through a call P(E) */
};

enum chan_dir { DIR_SEND = 1, DIR_RECV = 2, DIR_BOTH = 3 };

typedef struct xres {
    uint8_t kind;  /* enum xkind */
    uint8_t inner; /* kind with parentheses removed */
    uint8_t op;    /* BINARY/UNARY operator; CHANTYPE direction */
    uint8_t flags; /* enum xflag */
    uint32_t first, last;
    uint32_t node; /* the node the expression is, or NONE32 */
} xres;

/* ---- parser state ---- */

typedef struct pentry {     /* one entry of a parameter list being parsed */
    uint32_t name;          /* name token or NONE32 */
    uint32_t tfirst, tlast; /* type tokens; tfirst == NONE32 when no type */
    uint32_t pmark, pend;   /* its nodes: pending[pmark, pend) */
    uint32_t group_type;    /* entry whose type it takes (named lists) */
} pentry;

typedef struct parser {
    goleak_unit *u;
    const token *toks;
    uint32_t i;  /* current token */
    uint8_t tok; /* its kind */
    int exprlev; /* < 0: in a control clause */
    int in_rhs;
    uint32_t depth;     /* go/parser's nestLev */
    uint32_t lit_depth; /* nested literal values, which go/parser does not count */
    uint32_t max_depth; /* limit of both */
    /* the stack: where the parse started, how far it may grow from there,
     * and how far it went */
    uintptr_t stack_base;
    size_t stack_budget, stack_peak;
    uint32_t sync_i; /* error recovery: go/parser's syncPos and syncCnt */
    int sync_cnt;
    uint32_t last_err_line;
    struct {
        uint32_t *data;
        uint32_t len, cap;
    } pend;
    struct {
        pentry *data;
        uint32_t len, cap;
    } params;
    uint32_t dead; /* nodes unlinked after creation */
    jmp_buf bail;
} parser;

enum { BAIL_DEPTH = 1, BAIL_OOM = 2, BAIL_STACK = 3 };

static _Noreturn void bail_oom(parser *p) {
    longjmp(p->bail, BAIL_OOM);
}

static inline void next(parser *p) {
    if (p->tok != T(EOF)) p->i++;
    p->tok = p->toks[p->i].kind;
}

static inline int is_auto_semi(const parser *p) {
    return p->tok == T(SEMICOLON) && (p->toks[p->i].flags & TF_AUTO);
}

/* ---- errors ---- */

static void syntax_error(parser *p, uint32_t at, const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 3, 4)))
#endif
    ;

/* Reports an error at byte offset off. Like go/parser, a second error on the line
 * of the previous one is dropped as most likely spurious. */
static void syntax_error_off(parser *p, uint32_t off, const char *fmt, va_list ap)
#if defined(__GNUC__)
    __attribute__((format(printf, 3, 0)))
#endif
    ;

static void syntax_error_off(parser *p, uint32_t off, const char *fmt, va_list ap) {
    uint32_t line = unit_pos(p->u, off).line;
    if (line == p->last_err_line) return;
    p->last_err_line = line;
    char buf[300];
    vsnprintf(buf, sizeof buf, fmt, ap);
    unit_diag(p->u, off, 0, "%s", buf);
    if (p->u->oom) bail_oom(p);
}

static void syntax_error(parser *p, uint32_t at, const char *fmt, ...) {
    va_list ap;
    va_start(ap, fmt);
    syntax_error_off(p, p->toks[at].off, fmt, ap);
    va_end(ap);
}

/* An error at the end of token at (go/parser's x.End()). */
static void syntax_error_after(parser *p, uint32_t at, const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 3, 4)))
#endif
    ;

static void syntax_error_after(parser *p, uint32_t at, const char *fmt, ...) {
    va_list ap;
    va_start(ap, fmt);
    syntax_error_off(p, p->toks[at].off + p->toks[at].len, fmt, ap);
    va_end(ap);
}

static int is_literal_kind(int k) {
    return k >= T(IDENT) && k <= T(STRING);
}

static void error_expected(parser *p, uint32_t at, const char *what) {
    if (at != p->i) {
        syntax_error(p, at, "expected %s", what);
        return;
    }
    if (is_auto_semi(p)) {
        syntax_error(p, at, "expected %s, found newline", what);
    } else if (is_literal_kind(p->tok)) {
        const token *t = &p->toks[p->i];
        int n = t->len > 40 ? 40 : (int)t->len;
        syntax_error(p, at, "expected %s, found %.*s", what, n, (const char *)p->u->src + t->off);
    } else {
        syntax_error(p, at, "expected %s, found '%s'", what, token_kind_name(p->tok));
    }
}

static uint32_t expect(parser *p, int kind) {
    uint32_t at = p->i;
    if (p->tok != kind) {
        char what[32];
        snprintf(what, sizeof what, "'%s'", token_kind_name(kind));
        error_expected(p, at, what);
    }
    next(p);
    return at;
}

/* Like expect, but NONE32 when the token is not there. */
static uint32_t expect2(parser *p, int kind) {
    uint32_t at = p->tok == kind ? p->i : NONE32;
    expect(p, kind);
    return at;
}

static uint32_t expect_closing(parser *p, int kind, const char *context) {
    if (p->tok != kind && is_auto_semi(p)) {
        syntax_error(p, p->i, "missing ',' before newline in %s", context);
        next(p);
    }
    return expect(p, kind);
}

enum sync_set { SYNC_STMT, SYNC_DECL, SYNC_EXPR_END };

static int in_sync_set(int set, int k) {
    switch (set) {
    case SYNC_STMT:
        switch (k) {
        case T(BREAK):
        case T(CONST):
        case T(CONTINUE):
        case T(DEFER):
        case T(FALLTHROUGH):
        case T(FOR):
        case T(GO):
        case T(GOTO):
        case T(IF):
        case T(RETURN):
        case T(SELECT):
        case T(SWITCH):
        case T(TYPE):
        case T(VAR): return 1;
        default: return 0;
        }
    case SYNC_DECL: return k == T(CONST) || k == T(TYPE) || k == T(VAR) || k == T(FUNC);
    default:
        switch (k) {
        case T(COMMA):
        case T(COLON):
        case T(SEMICOLON):
        case T(RPAREN):
        case T(RBRACK):
        case T(RBRACE): return 1;
        default: return 0;
        }
    }
}

/* Skips tokens until one of the set (or EOF), making progress as
 * go/parser's advance does so that recovery cannot loop forever. */
static void advance(parser *p, int set) {
    for (; p->tok != T(EOF); next(p)) {
        if (!in_sync_set(set, p->tok)) continue;
        /* unlike go/parser, resume at a "func" that starts a line: the next
         * function declaration is worth keeping */
        if (p->tok == T(FUNC) && p->toks[p->i - 1].kind != T(SEMICOLON)) continue;
        if (p->i == p->sync_i && p->sync_cnt < 10) {
            p->sync_cnt++;
            return;
        }
        if (p->i > p->sync_i) {
            p->sync_i = p->i;
            p->sync_cnt = 0;
            return;
        }
    }
}

static void expect_semi(parser *p) {
    if (p->tok == T(RPAREN) || p->tok == T(RBRACE)) return;
    switch (p->tok) {
    case T(COMMA):
        error_expected(p, p->i, "';'");
        next(p);
        break;
    case T(SEMICOLON): next(p); break;
    default: error_expected(p, p->i, "';'"); advance(p, SYNC_STMT);
    }
}

static int at_comma(parser *p, const char *context, int follow) {
    if (p->tok == T(COMMA)) return 1;
    if (p->tok != follow) {
        syntax_error(p, p->i, "missing ','%s in %s", is_auto_semi(p) ? " before newline" : "",
                     context);
        return 1; /* "insert" a comma and go on */
    }
    return 0;
}

/* The address of the current stack frame. */
#if defined(__GNUC__)
#define FRAME_ADDRESS() ((uintptr_t)__builtin_frame_address(0))
#else
static uintptr_t frame_address(void) {
    volatile char probe = 0;
    return (uintptr_t)&probe;
}
#define FRAME_ADDRESS() frame_address()
#endif

/* Stops the parse when its stack has grown past its budget: on the
 * caller's stack, parse_unit then starts again on a larger one. */
static void check_stack(parser *p) {
    uintptr_t sp = FRAME_ADDRESS();
    size_t used = p->stack_base > sp ? p->stack_base - sp : sp - p->stack_base;
    if (used > p->stack_peak) {
        p->stack_peak = used;
        if (used > p->stack_budget) longjmp(p->bail, BAIL_STACK);
    }
}

static _Noreturn void too_deep(parser *p) {
    p->last_err_line = 0; /* always report this one */
    syntax_error(p, p->i, "exceeded max nesting depth");
    longjmp(p->bail, BAIL_DEPTH);
}

/* One more level of nesting, counted where go/parser counts it (its
 * incNestLev), with its limit and its message. */
static inline void count_level(parser *p) {
    if (++p->depth > p->max_depth) too_deep(p);
}

/* A recursive production that go/parser counts. */
static void enter(parser *p) {
    count_level(p);
    check_stack(p);
}

static inline void leave(parser *p) {
    p->depth--;
}

/* ---- nodes ---- */

static inline uint32_t mark(const parser *p) {
    return p->pend.len;
}

static void push_pending(parser *p, uint32_t n) {
    if (VEC_PUSH(p->u->alloc, &p->pend, n)) bail_oom(p);
}

static uint32_t new_node(parser *p, int kind, uint32_t first, uint32_t last, uint32_t key,
                         int role) {
    goleak_unit *u = p->u;
    node n = {u, first, last, key, NONE32, NONE32, NONE32, (uint8_t)kind, (uint8_t)role, 0};
    if (VEC_PUSH(u->alloc, &u->nodes, n)) bail_oom(p);
    return u->nodes.len - 1;
}

/* Links pending[from, to) as the children of n, in order. */
static void adopt(parser *p, uint32_t n, uint32_t from, uint32_t to) {
    node *nodes = p->u->nodes.data;
    uint32_t prev = NONE32;
    for (uint32_t k = from; k < to; k++) {
        uint32_t c = p->pend.data[k];
        nodes[c].parent = n;
        nodes[c].next = NONE32;
        if (prev == NONE32)
            nodes[n].child = c;
        else
            nodes[prev].next = c;
        prev = c;
    }
}

/* Creates a node spanning tokens [first, p->i - 1] that adopts everything
 * pending since m, and leaves it pending in their place. */
static uint32_t close_node(parser *p, uint32_t m, int kind, uint32_t first, uint32_t key,
                           int role) {
    uint32_t n = new_node(p, kind, first, p->i - 1, key, role);
    adopt(p, n, m, p->pend.len);
    p->pend.len = m;
    push_pending(p, n);
    return n;
}

/* Replaces pending[from, to) by a new node adopting them (an empty range
 * inserts the node at from). Returns the node. */
static uint32_t wrap_range(parser *p, uint32_t from, uint32_t to, int kind, uint32_t first,
                           uint32_t last, uint32_t key, int role) {
    uint32_t n = new_node(p, kind, first, last, key, role);
    adopt(p, n, from, to);
    if (to == from) {
        push_pending(p, n); /* grow by one, then shift the tail up */
        memmove(p->pend.data + from + 1, p->pend.data + from,
                (p->pend.len - 1 - from) * sizeof(uint32_t));
    } else {
        memmove(p->pend.data + from + 1, p->pend.data + to, (p->pend.len - to) * sizeof(uint32_t));
        p->pend.len -= to - from - 1;
    }
    p->pend.data[from] = n;
    return n;
}

/* Removes pending node n (at pending index at) and puts its children back in
 * its place; used when a construct turns out not to be a node (a call that
 * was a type parameter, the wrapper of an expression statement). */
static void unwrap(parser *p, uint32_t at) {
    goleak_unit *u = p->u;
    uint32_t n = p->pend.data[at];
    uint32_t nkids = 0;
    for (uint32_t c = u->nodes.data[n].child; c != NONE32; c = u->nodes.data[c].next) nkids++;
    uint32_t tail = p->pend.len - at - 1;
    if (nkids > 0) {
        if (vec_reserve(u->alloc, (void **)&p->pend.data, &p->pend.cap, sizeof(uint32_t),
                        (size_t)p->pend.len + nkids))
            bail_oom(p);
    }
    memmove(p->pend.data + at + nkids, p->pend.data + at + 1, tail * sizeof(uint32_t));
    uint32_t k = at;
    for (uint32_t c = u->nodes.data[n].child; c != NONE32; c = u->nodes.data[c].next) {
        p->pend.data[k++] = c;
        u->nodes.data[c].parent = NONE32;
    }
    p->pend.len = at + nkids + tail;
    /* the last node created can be dropped; an older one stays unlinked */
    if (n == u->nodes.len - 1)
        u->nodes.len--;
    else
        p->dead++;
}

static inline void set_role(parser *p, uint32_t n, int role) {
    if (n != NONE32) p->u->nodes.data[n].role = (uint8_t)role;
}

static inline void set_flag(parser *p, uint32_t n, unsigned flag) {
    if (n != NONE32) p->u->nodes.data[n].flags |= (uint16_t)flag;
}

static xres mk(int kind, uint32_t first, uint32_t last) {
    xres x = {(uint8_t)kind, (uint8_t)kind, 0, 0, first, last, NONE32};
    return x;
}

static inline uint32_t prev_tok(const parser *p) {
    return p->i - 1;
}

/* ---- forward declarations ---- */

static xres parse_type(parser *p);
static int try_ident_or_type(parser *p, xres *out);
static xres parse_expr(parser *p);
static xres parse_rhs(parser *p);
static xres parse_rhs_or_type(parser *p);
static xres parse_unary_expr(parser *p);
static xres parse_primary_expr(parser *p, const xres *x0, uint32_t m);
static xres parse_binary_expr(parser *p, const xres *x0, uint32_t m, int prec1, int check);
static uint32_t parse_stmt(parser *p);
static void parse_stmt_list(parser *p);
static uint32_t parse_block_stmt(parser *p, int role);
static xres parse_literal_value(parser *p, const xres *type, uint32_t m);
static void parse_parameters(parser *p, int accept_tparams, int role);
static void parse_result(parser *p);
static void parse_parameter_list(parser *p, uint32_t name0, const xres *typ0, uint32_t typ0_mark,
                                 int closing, int role);
static xres parse_func_type_or_lit(parser *p);
static xres embedded_elem(parser *p, const xres *x0, uint32_t m);

/* ---- identifiers and lists ---- */

static uint32_t parse_ident(parser *p) {
    uint32_t at = p->i;
    if (p->tok == T(IDENT)) {
        next(p);
        return at;
    }
    expect(p, T(IDENT));
    return NONE32;
}

/* ---- expression checks ---- */

/* go/parser's checkExpr: x must be an expression, not a type. */
static xres check_expr(parser *p, xres x) {
    switch (x.inner) {
    case X_BAD:
    case X_IDENT:
    case X_BASICLIT:
    case X_FUNCLIT:
    case X_COMPOSITE:
    case X_SELECTOR:
    case X_INDEX:
    case X_SLICE:
    case X_TYPEASSERT:
    case X_TYPESWITCH:
    case X_CALL:
    case X_STAR:
    case X_UNARY:
    case X_RECV:
    case X_BINARY: return x;
    default:
        error_expected(p, x.first, "expression");
        x.kind = x.inner = X_BAD;
        return x;
    }
}

/* go/parser's checkExprOrType: x must not be a raw [...]T. */
static xres check_expr_or_type(parser *p, xres x) {
    if (x.inner == X_ARRAYTYPE && (x.flags & XF_DOTS_LEN)) {
        syntax_error(p, x.first + 1, "expected array length, found '...'");
        x.kind = x.inner = X_BAD;
    }
    return x;
}

/* ---- types ---- */

/* TypeName [TypeArgs]; ident0 is an already consumed identifier or NONE32. */
static xres parse_type_name(parser *p, uint32_t ident0) {
    uint32_t first = ident0 != NONE32 ? ident0 : p->i;
    if (ident0 == NONE32) parse_ident(p);
    if (p->tok == T(PERIOD)) {
        next(p);
        parse_ident(p);
        return mk(X_SELECTOR, first, prev_tok(p));
    }
    return mk(X_IDENT, first, prev_tok(p));
}

/* "[" has been consumed when typ is given: typ[T1, T2, ...]. */
static xres parse_type_instance(parser *p, xres typ) {
    uint32_t opening = expect(p, T(LBRACK));
    p->exprlev++;
    int n = 0;
    while (p->tok != T(RBRACK) && p->tok != T(EOF)) {
        parse_type(p);
        n++;
        if (!at_comma(p, "type argument list", T(RBRACK))) break;
        next(p);
    }
    p->exprlev--;
    uint32_t closing = expect_closing(p, T(RBRACK), "type argument list");
    if (n == 0) error_expected(p, closing, "type argument list");
    (void)opening;
    return mk(X_INDEX, typ.first, prev_tok(p));
}

static xres parse_qualified_ident(parser *p, uint32_t ident0) {
    xres t = parse_type_name(p, ident0);
    if (p->tok == T(LBRACK)) t = parse_type_instance(p, t);
    return t;
}

/* "[" already consumed at lbrack; len is the consumed length or NULL. */
static xres parse_array_type(parser *p, uint32_t lbrack, const xres *len) {
    unsigned flags = 0;
    if (!len) {
        p->exprlev++;
        if (p->tok == T(ELLIPSIS)) {
            flags |= XF_DOTS_LEN;
            next(p);
        } else if (p->tok != T(RBRACK)) {
            parse_rhs(p);
        }
        p->exprlev--;
    }
    if (p->tok == T(COMMA)) {
        syntax_error(p, p->i, "unexpected comma; expecting ]");
        next(p);
    }
    expect(p, T(RBRACK));
    parse_type(p);
    xres x = mk(X_ARRAYTYPE, lbrack, prev_tok(p));
    x.flags = (uint8_t)(flags | XF_TE);
    return x;
}

/* After a name: "[" ... "]" is either an array or slice type of a field
 * named x, or the instantiated type x[P...]. Sets *named to whether x is a
 * name. */
static xres parse_array_field_or_type_instance(parser *p, uint32_t x, int *named) {
    uint32_t lbrack = expect(p, T(LBRACK));
    int nargs = 0;
    if (p->tok != T(RBRACK)) {
        p->exprlev++;
        parse_rhs_or_type(p);
        nargs++;
        while (p->tok == T(COMMA)) {
            next(p);
            parse_rhs_or_type(p);
            nargs++;
        }
        p->exprlev--;
    }
    expect(p, T(RBRACK));
    if (nargs == 0) { /* x []E */
        parse_type(p);
        *named = 1;
        xres t = mk(X_ARRAYTYPE, lbrack, prev_tok(p));
        t.flags = XF_TE;
        return t;
    }
    if (nargs == 1) {
        xres elt;
        if (try_ident_or_type(p, &elt)) { /* x [P]E */
            *named = 1;
            xres t = mk(X_ARRAYTYPE, lbrack, prev_tok(p));
            t.flags = XF_TE;
            return t;
        }
    }
    *named = 0; /* x[P], x[P1, P2] */
    return mk(X_INDEX, x, prev_tok(p));
}

/* A struct field declaration; creates its FIELD node. */
static void parse_field_decl(parser *p) {
    uint32_t first = p->i, m = mark(p);
    uint32_t key = NONE32, tfirst = p->i;
    if (p->tok == T(IDENT)) {
        uint32_t name = parse_ident(p);
        if (p->tok == T(PERIOD) || p->tok == T(STRING) || p->tok == T(SEMICOLON) ||
            p->tok == T(RBRACE)) {
            if (p->tok == T(PERIOD)) parse_qualified_ident(p, name); /* embedded T or p.T */
        } else {
            key = name;
            int nnames = 1;
            while (p->tok == T(COMMA)) {
                next(p);
                parse_ident(p);
                nnames++;
            }
            tfirst = p->i;
            if (nnames == 1 && p->tok == T(LBRACK)) {
                int named;
                parse_array_field_or_type_instance(p, name, &named);
                if (!named) key = NONE32, tfirst = name;
            } else {
                parse_type(p);
            }
        }
    } else {
        parse_type(p); /* embedded, possibly generic or pointer type */
    }
    uint32_t tlast = prev_tok(p);
    if (p->tok == T(STRING)) next(p);
    uint32_t last = prev_tok(p);
    wrap_range(p, m, p->pend.len, N(TYPE), tfirst, tlast, NONE32, R(TYPE));
    uint32_t f = wrap_range(p, m, p->pend.len, N(FIELD), first, last, key, R(FIELD));
    if (key == NONE32) set_flag(p, f, GOLEAK_NODE_FLAG_EMBEDDED);
    expect_semi(p);
}

static xres parse_struct_type(parser *p) {
    uint32_t first = p->i, m = mark(p);
    expect(p, T(STRUCT));
    expect(p, T(LBRACE));
    while (p->tok == T(IDENT) || p->tok == T(MUL) || p->tok == T(LPAREN)) parse_field_decl(p);
    expect(p, T(RBRACE));
    xres x = mk(X_STRUCTTYPE, first, prev_tok(p));
    x.flags = XF_TE;
    x.node = close_node(p, m, N(STRUCTTYPE), first, first, R(NONE));
    return x;
}

static xres parse_pointer_type(parser *p) {
    uint32_t first = expect(p, T(MUL));
    parse_type(p);
    return mk(X_STAR, first, prev_tok(p));
}

static xres parse_dots_type(parser *p) {
    uint32_t first = expect(p, T(ELLIPSIS));
    parse_type(p);
    return mk(X_ELLIPSIS, first, prev_tok(p));
}

/* One parameter declaration: [name] [type]. Fills an entry. */
static void parse_param_decl(parser *p, uint32_t name0, int type_sets_ok, pentry *e) {
    e->name = NONE32;
    e->tfirst = NONE32;
    uint32_t m = mark(p);
    int tok = name0 != NONE32 ? T(IDENT) : p->tok;
    if (name0 == NONE32 && type_sets_ok && tok == T(TILDE)) {
        e->tfirst = p->i;
        embedded_elem(p, NULL, m);
        e->tlast = prev_tok(p);
        return;
    }
    xres typ;
    int have_typ = 0;
    switch (tok) {
    case T(IDENT):
        e->name = name0 != NONE32 ? name0 : parse_ident(p);
        switch (p->tok) {
        case T(IDENT):
        case T(MUL):
        case T(ARROW):
        case T(FUNC):
        case T(CHAN):
        case T(MAP):
        case T(STRUCT):
        case T(INTERFACE):
        case T(LPAREN):
            e->tfirst = p->i;
            typ = parse_type(p);
            have_typ = 1;
            break;
        case T(LBRACK): {
            int named;
            e->tfirst = p->i;
            typ = parse_array_field_or_type_instance(p, e->name, &named);
            have_typ = 1;
            if (!named) {
                e->tfirst = e->name;
                e->name = NONE32;
            }
            break;
        }
        case T(ELLIPSIS):
            e->tfirst = p->i;
            parse_dots_type(p);
            e->tlast = prev_tok(p);
            return; /* no ...T | U */
        case T(PERIOD):
            e->tfirst = e->name;
            typ = parse_qualified_ident(p, e->name);
            have_typ = 1;
            e->name = NONE32;
            break;
        case T(TILDE):
            if (type_sets_ok) {
                e->tfirst = p->i;
                embedded_elem(p, NULL, mark(p));
                e->tlast = prev_tok(p);
                return;
            }
            break;
        case T(OR):
            if (type_sets_ok) {
                e->tfirst = e->name;
                xres nm = mk(X_IDENT, e->name, e->name);
                embedded_elem(p, &nm, m);
                e->tlast = prev_tok(p);
                e->name = NONE32;
                return;
            }
            break;
        }
        break;
    case T(MUL):
    case T(ARROW):
    case T(FUNC):
    case T(LBRACK):
    case T(CHAN):
    case T(MAP):
    case T(STRUCT):
    case T(INTERFACE):
    case T(LPAREN):
        e->tfirst = p->i;
        typ = parse_type(p);
        have_typ = 1;
        break;
    case T(ELLIPSIS):
        e->tfirst = p->i;
        parse_dots_type(p);
        e->tlast = prev_tok(p);
        return;
    default:
        error_expected(p, p->i, "')'");
        advance(p, SYNC_EXPR_END);
        return;
    }
    if (type_sets_ok && p->tok == T(OR) && have_typ) embedded_elem(p, &typ, m);
    if (e->tfirst != NONE32) e->tlast = prev_tok(p);
}

/* Turns the entries of a parameter list into FIELD nodes (with TYPE
 * children), grouping "a, b int" into one field as go/parser does. */
static void build_fields(parser *p, uint32_t base, int tparams, uint32_t pos, int role) {
    pentry *es = p->params.data + base;
    uint32_t n = p->params.len - base;
    int named = 0;
    for (uint32_t k = 0; k < n; k++)
        if (es[k].name != NONE32 && es[k].tfirst != NONE32) named++;

    if (named == 0) {
        /* all unnamed: names are type names */
        for (uint32_t k = 0; k < n; k++) {
            if (es[k].name != NONE32 && es[k].tfirst == NONE32) {
                es[k].tfirst = es[k].tlast = es[k].name;
                es[k].name = NONE32;
            }
        }
        if (tparams) syntax_error(p, pos, "all type parameters must be named");
    } else if ((uint32_t)named != n) {
        int ok = 1;
        uint32_t missing = pos;
        uint32_t typ = NONE32; /* entry whose type is carried backwards */
        for (uint32_t k = n; k-- > 0;) {
            pentry *e = &es[k];
            if (e->tfirst != NONE32) {
                typ = k;
                if (e->name == NONE32) {
                    ok = 0;
                    missing = e->tfirst;
                }
            } else if (typ != NONE32) {
                e->group_type = typ;
                continue;
            } else {
                ok = 0;
                missing = e->name;
            }
        }
        if (!ok) {
            if (tparams)
                syntax_error(p, missing, "all type parameters must be named");
            else
                syntax_error(p, pos, "mixed named and unnamed parameters");
        }
    }

    /* pending holds each entry's nodes in order; replace group by group */
    int32_t shift = 0;
    uint32_t k = 0;
    while (k < n) {
        uint32_t a = k, b = k;
        if (named > 0) {
            /* a run of name-only entries takes the type of the entry after it */
            while (b < n && es[b].tfirst == NONE32 && es[b].group_type != NONE32) b++;
            if (b >= n) b = n - 1;
        }
        k = b + 1;
        pentry *ea = &es[a], *eb = &es[b];
        uint32_t from = (uint32_t)((int32_t)ea->pmark + shift);
        uint32_t to = (uint32_t)((int32_t)eb->pend + shift);
        uint32_t first = ea->name != NONE32 ? ea->name : ea->tfirst;
        uint32_t last = eb->tfirst != NONE32 ? eb->tlast : eb->name;
        uint32_t before = p->pend.len;
        if (eb->tfirst != NONE32)
            wrap_range(p, from, to, N(TYPE), eb->tfirst, eb->tlast, NONE32, R(TYPE));
        uint32_t tto = from + (eb->tfirst != NONE32 ? 1 : 0);
        uint32_t key = ea->name != NONE32 ? ea->name : NONE32;
        uint32_t f = wrap_range(p, from, tto, N(FIELD), first, last, key, role);
        if (key == NONE32) set_flag(p, f, GOLEAK_NODE_FLAG_EMBEDDED);
        shift += (int32_t)p->pend.len - (int32_t)before;
    }
}

static void parse_parameter_list(parser *p, uint32_t name0, const xres *typ0, uint32_t typ0_mark,
                                 int closing, int role) {
    int tparams = closing == T(RBRACK);
    int type_sets_ok = tparams;
    uint32_t pos = name0 != NONE32 ? name0 : p->i;
    uint32_t base = p->params.len;
    xres t0;
    if (typ0) t0 = *typ0;

    while (name0 != NONE32 || (p->tok != closing && p->tok != T(EOF))) {
        pentry e = {NONE32, NONE32, NONE32, mark(p), 0, NONE32};
        if (typ0) {
            e.pmark = typ0_mark;
            e.name = name0;
            e.tfirst = t0.first;
            if (type_sets_ok) t0 = embedded_elem(p, &t0, typ0_mark);
            e.tlast = prev_tok(p);
        } else {
            parse_param_decl(p, name0, type_sets_ok, &e);
        }
        name0 = NONE32;
        typ0 = NULL;
        e.pend = p->pend.len;
        if (e.name != NONE32 || e.tfirst != NONE32) {
            if (VEC_PUSH(p->u->alloc, &p->params, e)) bail_oom(p);
        }
        if (!at_comma(p, "parameter list", closing)) break;
        next(p);
    }
    if (p->params.len > base) build_fields(p, base, tparams, pos, role);
    p->params.len = base;
}

static void parse_parameters(parser *p, int accept_tparams, int role) {
    if (accept_tparams && p->tok == T(LBRACK)) {
        uint32_t opening = p->i;
        next(p);
        uint32_t m = mark(p);
        parse_parameter_list(p, NONE32, NULL, 0, T(RBRACK), R(TPARAM));
        uint32_t closing = expect(p, T(RBRACK));
        if (mark(p) == m) syntax_error(p, closing, "empty type parameter list");
        (void)opening;
    }
    expect(p, T(LPAREN));
    if (p->tok != T(RPAREN)) parse_parameter_list(p, NONE32, NULL, 0, T(RPAREN), role);
    expect(p, T(RPAREN));
}

static void parse_result(parser *p) {
    if (p->tok == T(LPAREN)) {
        parse_parameters(p, 0, R(RESULT));
        return;
    }
    uint32_t m = mark(p), first = p->i;
    xres t;
    if (try_ident_or_type(p, &t)) {
        wrap_range(p, m, p->pend.len, N(TYPE), first, prev_tok(p), NONE32, R(TYPE));
        uint32_t f = wrap_range(p, m, p->pend.len, N(FIELD), first, prev_tok(p), NONE32, R(RESULT));
        set_flag(p, f, GOLEAK_NODE_FLAG_EMBEDDED);
    }
}

/* func [TypeParams] (Params) Results; leaves FIELD nodes pending. */
static void parse_signature(parser *p) {
    uint32_t m = mark(p);
    uint32_t before_tp = p->i;
    parse_parameters(p, 1, R(PARAM));
    /* type parameters are only allowed on declarations */
    for (uint32_t k = m; k < p->pend.len; k++) {
        if (p->u->nodes.data[p->pend.data[k]].role == R(TPARAM)) {
            syntax_error(p, before_tp, "function type must have no type parameters");
            break;
        }
    }
    parse_result(p);
}

static xres parse_func_type(parser *p) {
    uint32_t first = p->i, m = mark(p);
    expect(p, T(FUNC));
    parse_signature(p);
    xres x = mk(X_FUNCTYPE, first, prev_tok(p));
    x.flags = XF_TE;
    x.node = close_node(p, m, N(FUNCTYPE), first, first, R(NONE));
    return x;
}

static xres embedded_term(parser *p) {
    if (p->tok == T(TILDE)) {
        uint32_t first = p->i;
        next(p);
        parse_type(p);
        xres x = mk(X_UNARY, first, prev_tok(p));
        x.op = T(TILDE);
        x.flags = XF_TE;
        return x;
    }
    xres t;
    if (!try_ident_or_type(p, &t)) {
        uint32_t at = p->i;
        error_expected(p, at, "~ term or type");
        advance(p, SYNC_EXPR_END);
        return mk(X_BAD, at, prev_tok(p));
    }
    return t;
}

/* Term { "|" Term }; x0 is an already parsed first term (pending since m). */
static xres embedded_elem(parser *p, const xres *x0, uint32_t m) {
    (void)m;
    xres x = x0 ? *x0 : embedded_term(p);
    while (p->tok == T(OR)) {
        next(p);
        xres y = embedded_term(p);
        unsigned te = (x.flags | y.flags) & XF_TE;
        x = mk(X_BINARY, x.first, prev_tok(p));
        x.op = T(OR);
        x.flags = (uint8_t)te;
    }
    return x;
}

/* An interface element starting with an identifier: method, embedded or
 * instantiated type. Creates its FIELD node. */
static void parse_method_spec(parser *p) {
    uint32_t first = p->i, m = mark(p);
    uint32_t key = NONE32, tfirst = first, tmark = m; /* the TYPE child: its tokens, its nodes */
    xres x = parse_type_name(p, NONE32);
    if (x.kind == X_IDENT) {
        if (p->tok == T(LBRACK)) {
            uint32_t lbrack = p->i;
            next(p);
            p->exprlev++;
            uint32_t m2 = mark(p);
            xres e = parse_expr(p);
            p->exprlev--;
            if (e.kind == X_IDENT && p->tok != T(COMMA) && p->tok != T(RBRACK)) {
                /* generic method m[T any]: not allowed, parsed for recovery */
                (void)m2;
                parse_parameter_list(p, e.first, NULL, 0, T(RBRACK), R(TPARAM));
                expect(p, T(RBRACK));
                syntax_error(p, lbrack, "interface method must have no type parameters");
                uint32_t sig = p->i, ms = mark(p);
                parse_parameters(p, 0, R(PARAM));
                parse_result(p);
                close_node(p, ms, N(FUNCTYPE), sig, NONE32, R(NONE));
                key = first;
                /* the type parameters stay children of the FIELD: the TYPE
                 * holds the signature only, as its span says */
                tfirst = sig;
                tmark = ms;
            } else {
                /* embedded instantiated type */
                if (at_comma(p, "type argument list", T(RBRACK))) {
                    p->exprlev++;
                    next(p);
                    while (p->tok != T(RBRACK) && p->tok != T(EOF)) {
                        parse_type(p);
                        if (!at_comma(p, "type argument list", T(RBRACK))) break;
                        next(p);
                    }
                    p->exprlev--;
                }
                expect_closing(p, T(RBRACK), "type argument list");
                x = mk(X_INDEX, first, prev_tok(p));
            }
        } else if (p->tok == T(LPAREN)) {
            /* ordinary method */
            uint32_t sig = p->i, ms = mark(p);
            parse_parameters(p, 0, R(PARAM));
            parse_result(p);
            close_node(p, ms, N(FUNCTYPE), sig, NONE32, R(NONE));
            key = first;
            tfirst = sig;
        }
    } else if (p->tok == T(LBRACK)) {
        x = parse_type_instance(p, x); /* embedded instantiated interface */
    }
    if (key == NONE32) embedded_elem(p, &x, m); /* T | U ... */
    uint32_t last = prev_tok(p);
    wrap_range(p, tmark, p->pend.len, N(TYPE), tfirst, last, NONE32, R(TYPE));
    uint32_t f = wrap_range(p, m, p->pend.len, N(FIELD), first, last, key, R(FIELD));
    if (key == NONE32) set_flag(p, f, GOLEAK_NODE_FLAG_EMBEDDED);
}

static xres parse_interface_type(parser *p) {
    uint32_t first = p->i, m = mark(p);
    expect(p, T(INTERFACE));
    expect(p, T(LBRACE));
    for (;;) {
        uint32_t before = p->i;
        if (p->tok == T(IDENT)) {
            parse_method_spec(p);
            expect_semi(p);
        } else {
            uint32_t fm = mark(p), ffirst = p->i;
            xres t;
            if (p->tok == T(TILDE)) {
                embedded_elem(p, NULL, fm);
            } else if (try_ident_or_type(p, &t)) {
                embedded_elem(p, &t, fm);
            } else {
                break;
            }
            uint32_t last = prev_tok(p);
            wrap_range(p, fm, p->pend.len, N(TYPE), ffirst, last, NONE32, R(TYPE));
            uint32_t f = wrap_range(p, fm, p->pend.len, N(FIELD), ffirst, last, NONE32, R(FIELD));
            set_flag(p, f, GOLEAK_NODE_FLAG_EMBEDDED);
            expect_semi(p);
        }
        if (p->i == before) break; /* no progress: leave it to expect below */
    }
    expect(p, T(RBRACE));
    xres x = mk(X_IFACETYPE, first, prev_tok(p));
    x.flags = XF_TE;
    x.node = close_node(p, m, N(IFACETYPE), first, first, R(NONE));
    return x;
}

static xres parse_map_type(parser *p) {
    uint32_t first = expect(p, T(MAP));
    expect(p, T(LBRACK));
    parse_type(p);
    expect(p, T(RBRACK));
    parse_type(p);
    xres x = mk(X_MAPTYPE, first, prev_tok(p));
    x.flags = XF_TE;
    return x;
}

static xres parse_chan_type(parser *p) {
    uint32_t first = p->i;
    int dir = DIR_BOTH;
    if (p->tok == T(CHAN)) {
        next(p);
        if (p->tok == T(ARROW)) {
            next(p);
            dir = DIR_SEND;
        }
    } else {
        expect(p, T(ARROW));
        expect(p, T(CHAN));
        dir = DIR_RECV;
    }
    xres v = parse_type(p);
    xres x = mk(X_CHANTYPE, first, prev_tok(p));
    /* bits 0-1: direction; bits 2-3: direction of a channel element type */
    x.op = (uint8_t)(dir | (v.kind == X_CHANTYPE ? (v.op & 3) << 2 : 0));
    x.flags = XF_TE;
    return x;
}

/* go/parser's tryIdentOrType: 1 and *out when a type starts here, else 0
 * without consuming anything. */
static int try_ident_or_type(parser *p, xres *out) {
    enter(p);
    int found = 1;
    switch (p->tok) {
    case T(IDENT): {
        xres t = parse_type_name(p, NONE32);
        if (p->tok == T(LBRACK)) t = parse_type_instance(p, t);
        *out = t;
        break;
    }
    case T(LBRACK): {
        uint32_t lbrack = expect(p, T(LBRACK));
        *out = parse_array_type(p, lbrack, NULL);
        break;
    }
    case T(STRUCT): *out = parse_struct_type(p); break;
    case T(MUL): *out = parse_pointer_type(p); break;
    case T(FUNC): *out = parse_func_type(p); break;
    case T(INTERFACE): *out = parse_interface_type(p); break;
    case T(MAP): *out = parse_map_type(p); break;
    case T(CHAN):
    case T(ARROW): *out = parse_chan_type(p); break;
    case T(LPAREN): {
        uint32_t first = p->i;
        next(p);
        xres t = parse_type(p);
        expect(p, T(RPAREN));
        xres x = mk(X_PAREN, first, prev_tok(p));
        x.inner = t.inner;
        x.flags = t.flags & XF_TE;
        *out = x;
        break;
    }
    default: found = 0;
    }
    leave(p);
    return found;
}

static xres parse_type(parser *p) {
    xres t;
    if (try_ident_or_type(p, &t)) return t;
    uint32_t at = p->i;
    error_expected(p, at, "type");
    advance(p, SYNC_EXPR_END);
    return mk(X_BAD, at, prev_tok(p));
}

/* ---- expressions ---- */

static xres parse_func_type_or_lit(parser *p) {
    uint32_t first = p->i, m = mark(p);
    expect(p, T(FUNC));
    parse_signature(p);
    if (p->tok != T(LBRACE)) {
        xres x = mk(X_FUNCTYPE, first, prev_tok(p));
        x.flags = XF_TE;
        x.node = close_node(p, m, N(FUNCTYPE), first, first, R(NONE));
        return x;
    }
    p->exprlev++;
    parse_block_stmt(p, R(BODY));
    p->exprlev--;
    xres x = mk(X_FUNCLIT, first, prev_tok(p));
    x.node = close_node(p, m, N(FUNCLIT), first, first, R(NONE));
    return x;
}

/* May return an expression or a type (including a raw [...]T). */
static xres parse_operand(parser *p) {
    uint32_t first = p->i;
    switch (p->tok) {
    case T(IDENT): next(p); return mk(X_IDENT, first, first);
    case T(INT):
    case T(FLOAT):
    case T(IMAG):
    case T(CHAR):
    case T(STRING): next(p); return mk(X_BASICLIT, first, first);
    case T(LPAREN): {
        next(p);
        p->exprlev++;
        xres x = parse_rhs_or_type(p);
        p->exprlev--;
        expect(p, T(RPAREN));
        xres r = mk(X_PAREN, first, prev_tok(p));
        r.inner = x.inner;
        r.flags = x.flags & (XF_TE | XF_DOTS_LEN);
        return r;
    }
    case T(FUNC): return parse_func_type_or_lit(p);
    }
    xres t;
    if (try_ident_or_type(p, &t)) return t;
    error_expected(p, first, "operand");
    advance(p, SYNC_STMT);
    return mk(X_BAD, first, prev_tok(p));
}

static xres parse_index_or_slice_or_instance(parser *p, xres x, uint32_t m) {
    uint32_t lbrack = expect(p, T(LBRACK));
    if (p->tok == T(RBRACK)) {
        error_expected(p, p->i, "operand");
        next(p);
        return mk(X_INDEX, x.first, prev_tok(p));
    }
    p->exprlev++;
    int have[3] = {0, 0, 0};
    uint32_t colons[2] = {NONE32, NONE32};
    int ncolons = 0, nargs = 0;
    if (p->tok != T(COLON)) {
        parse_rhs_or_type(p);
        have[0] = 1;
    }
    if (p->tok == T(COLON)) {
        while (p->tok == T(COLON) && ncolons < 2) {
            colons[ncolons++] = p->i;
            next(p);
            if (p->tok != T(COLON) && p->tok != T(RBRACK) && p->tok != T(EOF)) {
                parse_rhs(p);
                have[ncolons] = 1;
            }
        }
    } else if (p->tok == T(COMMA)) {
        nargs = 1;
        while (p->tok == T(COMMA)) {
            next(p);
            if (p->tok != T(RBRACK) && p->tok != T(EOF)) {
                parse_type(p);
                nargs++;
            }
        }
    }
    p->exprlev--;
    expect(p, T(RBRACK));
    if (ncolons > 0) {
        if (ncolons == 2) {
            if (!have[1]) syntax_error(p, colons[0], "2nd index required in 3-index slice");
            if (!have[2]) syntax_error(p, colons[1], "3rd index required in 3-index slice");
        }
        xres r = mk(X_SLICE, x.first, prev_tok(p));
        r.node = close_node(p, m, N(SLICE), x.first, lbrack, R(NONE));
        if (ncolons == 2) set_flag(p, r.node, GOLEAK_NODE_FLAG_SLICE3);
        return r;
    }
    (void)nargs;
    return mk(X_INDEX, x.first, prev_tok(p));
}

static xres parse_call_or_conversion(parser *p, xres fun, uint32_t m) {
    uint32_t lparen = expect(p, T(LPAREN));
    p->exprlev++;
    int nargs = 0, ellipsis = 0;
    unsigned arg0_te = 0;
    while (p->tok != T(RPAREN) && p->tok != T(EOF) && !ellipsis) {
        uint32_t am = mark(p), afirst = p->i;
        xres a = parse_rhs_or_type(p); /* make(T, n) takes a type */
        if (nargs == 0) arg0_te = a.flags & XF_TE;
        nargs++;
        if (p->tok == T(ELLIPSIS)) {
            ellipsis = 1;
            close_node(p, am, N(EXPR), afirst, NONE32, R(ARG));
            next(p);
        } else {
            close_node(p, am, N(EXPR), afirst, NONE32, R(ARG));
        }
        if (!at_comma(p, "argument list", T(RPAREN))) break;
        next(p);
    }
    p->exprlev--;
    expect_closing(p, T(RPAREN), "argument list");
    xres r = mk(X_CALL, fun.first, prev_tok(p));
    r.node = close_node(p, m, N(CALL), fun.first, lparen, R(NONE));
    if (ellipsis) set_flag(p, r.node, GOLEAK_NODE_FLAG_ELLIPSIS);
    if (fun.kind == X_IDENT && nargs == 1 && !ellipsis) {
        r.flags |= XF_SF | XF_SPLIT_CALL;
        if (arg0_te) r.flags |= XF_SW;
    }
    return r;
}

static xres parse_value(parser *p) {
    if (p->tok == T(LBRACE)) return parse_literal_value(p, NULL, mark(p));
    return check_expr(p, parse_expr(p));
}

static void parse_element(parser *p) {
    uint32_t m = mark(p), first = p->i;
    parse_value(p);
    if (p->tok == T(COLON)) {
        close_node(p, m, N(EXPR), first, NONE32, R(KEY));
        next(p);
        uint32_t vm = mark(p), vfirst = p->i;
        parse_value(p);
        close_node(p, vm, N(EXPR), vfirst, NONE32, R(VALUE));
    } else {
        close_node(p, m, N(EXPR), first, NONE32, R(ELEM));
    }
}

static xres parse_literal_value(parser *p, const xres *type, uint32_t m) {
    /* {{{...}}} nests without passing through parse_unary_expr: go/parser
     * does not count it (its stack grows to a gigabyte); here it has its
     * own count, with the same limit */
    if (++p->lit_depth > p->max_depth) too_deep(p);
    check_stack(p);
    uint32_t first = type ? type->first : p->i;
    uint32_t lbrace = expect(p, T(LBRACE));
    p->exprlev++;
    while (p->tok != T(RBRACE) && p->tok != T(EOF)) {
        parse_element(p);
        if (!at_comma(p, "composite literal", T(RBRACE))) break;
        next(p);
    }
    p->exprlev--;
    expect_closing(p, T(RBRACE), "composite literal");
    xres x = mk(X_COMPOSITE, first, prev_tok(p));
    x.node = close_node(p, m, N(COMPOSITE), first, lbrace, R(NONE));
    p->lit_depth--;
    return x;
}

/* PrimaryExpr: an operand (or x0, already parsed, pending since m) followed
 * by selectors, indexes, slices, type assertions, calls and literal values. */
static xres parse_primary_expr(parser *p, const xres *x0, uint32_t m) {
    xres x = x0 ? *x0 : parse_operand(p);
    /* as go/parser, one level per round of the loop (the nesting of the
     * result), the last round included, all left on return */
    uint32_t levels = 0;
    for (;; levels++) {
        count_level(p);
        switch (p->tok) {
        case T(PERIOD):
            next(p);
            if (p->tok == T(IDENT)) {
                x = check_expr_or_type(p, x);
                next(p);
                x = mk(X_SELECTOR, x.first, prev_tok(p));
            } else if (p->tok == T(LPAREN)) {
                x = check_expr(p, x);
                next(p);
                int k = X_TYPEASSERT;
                if (p->tok == T(TYPE)) {
                    next(p);
                    k = X_TYPESWITCH;
                } else {
                    parse_type(p);
                }
                expect(p, T(RPAREN));
                x = mk(k, x.first, prev_tok(p));
            } else {
                error_expected(p, p->i, "selector or type assertion");
                if (p->tok != T(RBRACE)) next(p);
                x = mk(X_SELECTOR, x.first, prev_tok(p));
            }
            break;
        case T(LBRACK): x = parse_index_or_slice_or_instance(p, check_expr(p, x), m); break;
        case T(LPAREN): x = parse_call_or_conversion(p, check_expr_or_type(p, x), m); break;
        case T(LBRACE):
            /* a composite literal, or the block of a control clause? */
            switch (x.inner) {
            case X_BAD:
            case X_IDENT:
            case X_SELECTOR:
            case X_INDEX:
                if (p->exprlev < 0) goto done;
                break;
            case X_ARRAYTYPE:
            case X_STRUCTTYPE:
            case X_MAPTYPE: break;
            default: goto done;
            }
            if (x.kind != x.inner)
                syntax_error(p, x.first + 1, "cannot parenthesize type in composite literal");
            x = parse_literal_value(p, &x, m);
            break;
        default: goto done;
        }
    }
done:
    p->depth -= levels + 1;
    return x;
}

static xres parse_unary_expr(parser *p) {
    enter(p);
    uint32_t first = p->i, m = mark(p);
    xres r;
    switch (p->tok) {
    case T(ADD):
    case T(SUB):
    case T(NOT):
    case T(XOR):
    case T(AND):
    case T(TILDE): {
        int op = p->tok;
        next(p);
        xres x = parse_unary_expr(p);
        x = check_expr(p, x);
        r = mk(X_UNARY, first, prev_tok(p));
        r.op = (uint8_t)op;
        if (op == T(TILDE)) r.flags = XF_TE;
        break;
    }
    case T(ARROW): {
        next(p);
        xres x = parse_unary_expr(p);
        if (x.kind == X_CHANTYPE) {
            /* <-chan T: the arrow belongs to the channel type. go/parser
             * re-associates arrows down a chain of channel types; two levels
             * are checked here, which covers every form seen in practice. */
            int dir = x.op & 3, elem = x.op >> 2;
            if (dir == DIR_RECV) {
                error_expected(p, x.first, "'chan'");
            } else if (dir == DIR_SEND) {
                if (elem == 0)
                    error_expected(p, x.first, "channel type");
                else if (elem == DIR_RECV)
                    error_expected(p, x.first, "'chan'");
            }
            r = x;
            r.first = first;
            r.op = DIR_RECV;
            break;
        }
        x = check_expr(p, x);
        r = mk(X_RECV, first, prev_tok(p));
        r.node = close_node(p, m, N(RECV), first, first, R(NONE));
        break;
    }
    case T(MUL): {
        next(p);
        xres x = parse_unary_expr(p);
        x = check_expr_or_type(p, x);
        r = mk(X_STAR, first, prev_tok(p));
        break;
    }
    default: r = parse_primary_expr(p, NULL, m);
    }
    leave(p);
    return r;
}

static int binary_prec(int k) {
    switch (k) {
    case T(LOR): return 1;
    case T(LAND): return 2;
    case T(EQL):
    case T(NEQ):
    case T(LSS):
    case T(LEQ):
    case T(GTR):
    case T(GEQ): return 3;
    case T(ADD):
    case T(SUB):
    case T(OR):
    case T(XOR): return 4;
    case T(MUL):
    case T(QUO):
    case T(REM):
    case T(SHL):
    case T(SHR):
    case T(AND):
    case T(AND_NOT): return 5;
    default: return 0;
    }
}

/* Binary expressions by precedence climbing, as go/parser does: recursion
 * only per precedence level, loops within one. */
static xres parse_binary_expr(parser *p, const xres *x0, uint32_t m, int prec1, int check) {
    (void)m;
    xres x = x0 ? *x0 : parse_unary_expr(p);
    /* levels counted as in parse_primary_expr */
    for (uint32_t levels = 1;; levels++) {
        count_level(p);
        int op = p->tok;
        if (p->in_rhs && op == T(ASSIGN)) op = T(EQL); /* x = y in an expression: report */
        int oprec = binary_prec(op);
        if (oprec < prec1) {
            p->depth -= levels;
            return x;
        }
        expect(p, op);
        xres y = parse_binary_expr(p, NULL, mark(p), oprec + 1, check);
        if (check) {
            x = check_expr(p, x);
            y = check_expr(p, y);
        }
        /* extractName for type parameter lists: see parse_type_spec */
        unsigned flags = (x.flags | y.flags) & XF_TE;
        if (op == T(MUL) && x.kind == X_IDENT) {
            flags |= XF_SF;
            if (y.flags & XF_TE) flags |= XF_SW;
        } else if (op == T(OR)) {
            unsigned split = x.flags & (XF_SF | XF_SPLIT_CALL);
            if (y.flags & XF_TE) {
                if (x.flags & XF_SF) flags |= XF_SW;
            } else if (x.flags & XF_SW) {
                flags |= XF_SW;
            }
            flags |= split;
        }
        x = mk(X_BINARY, x.first, prev_tok(p));
        x.op = (uint8_t)op;
        x.flags = (uint8_t)flags;
    }
}

static xres parse_expr(parser *p) {
    return parse_binary_expr(p, NULL, mark(p), 1, 1);
}

static xres parse_rhs(parser *p) {
    int old = p->in_rhs;
    p->in_rhs = 1;
    xres x = check_expr(p, parse_expr(p));
    p->in_rhs = old;
    return x;
}

static xres parse_rhs_or_type(parser *p) {
    int old = p->in_rhs;
    p->in_rhs = 1;
    xres x = check_expr_or_type(p, parse_expr(p));
    p->in_rhs = old;
    return x;
}

/* An expression list; each expression gets an EXPR node with the given
 * role. Returns the number of expressions; *x0 receives the first. */
static int parse_expr_list(parser *p, int in_rhs, int role, xres *x0) {
    int old = p->in_rhs;
    p->in_rhs = in_rhs;
    int n = 0;
    for (;;) {
        uint32_t m = mark(p), first = p->i;
        xres x = check_expr(p, parse_expr(p));
        close_node(p, m, N(EXPR), first, NONE32, role);
        if (n == 0) *x0 = x;
        n++;
        if (p->tok != T(COMMA)) break;
        next(p);
    }
    p->in_rhs = old;
    return n;
}

/* ---- statements ---- */

enum simple_mode { MODE_BASIC, MODE_LABEL_OK, MODE_RANGE_OK };

typedef struct simple {
    uint32_t node; /* the statement's node (NONE32 for a bad one) */
    int kind;      /* its node kind */
    int is_range;  /* an assignment of a range clause: "k, v := range x" */
    int nlhs;
    uint32_t lhs_mark; /* pending index of the first left-hand side */
    xres x0;           /* the first expression */
    xres rhs0;         /* the first right-hand side of an assignment */
    int nrhs;
    int op; /* assignment operator */
    uint32_t range_tok;
} simple;

static simple simple_none(void) {
    simple s;
    memset(&s, 0, sizeof s);
    s.node = NONE32;
    s.range_tok = NONE32;
    return s;
}

int token_is_assign_op(int k) {
    switch (k) {
    case T(DEFINE):
    case T(ASSIGN):
    case T(ADD_ASSIGN):
    case T(SUB_ASSIGN):
    case T(MUL_ASSIGN):
    case T(QUO_ASSIGN):
    case T(REM_ASSIGN):
    case T(AND_ASSIGN):
    case T(OR_ASSIGN):
    case T(XOR_ASSIGN):
    case T(SHL_ASSIGN):
    case T(SHR_ASSIGN):
    case T(AND_NOT_ASSIGN): return 1;
    default: return 0;
    }
}

/* Sets the role of the n expression wrappers pending from index from. */
static void set_list_roles(parser *p, uint32_t from, int n, int role, int role2) {
    for (int k = 0; k < n && from + (uint32_t)k < p->pend.len; k++)
        set_role(p, p->pend.data[from + (uint32_t)k], k == 1 && role2 >= 0 ? role2 : role);
}

/* SimpleStmt; a range clause ("k, v := range x", with mode MODE_RANGE_OK)
 * leaves its parts pending for the caller, which creates the RANGE node. */
static simple parse_simple_stmt(parser *p, int mode) {
    simple s = simple_none();
    uint32_t first = p->i, m = mark(p);
    s.lhs_mark = m;
    s.nlhs = parse_expr_list(p, 0, R(NONE), &s.x0);

    if (token_is_assign_op(p->tok)) {
        uint32_t optok = p->i;
        s.op = p->tok;
        next(p);
        if (mode == MODE_RANGE_OK && p->tok == T(RANGE) &&
            (s.op == T(DEFINE) || s.op == T(ASSIGN))) {
            set_list_roles(p, m, s.nlhs, R(KEY), R(VALUE));
            s.range_tok = p->i;
            next(p);
            uint32_t xm = mark(p), xfirst = p->i;
            parse_rhs(p);
            close_node(p, xm, N(EXPR), xfirst, NONE32, R(X));
            s.is_range = 1;
            s.kind = N(RANGE);
            return s;
        }
        set_list_roles(p, m, s.nlhs, R(LHS), -1);
        uint32_t rm = mark(p);
        s.nrhs = parse_expr_list(p, 1, R(RHS), &s.rhs0);
        (void)rm;
        s.node = close_node(p, m, N(ASSIGN), first, optok, R(NONE));
        s.kind = N(ASSIGN);
        if (s.op == T(DEFINE)) {
            /* every left-hand side of := must be an identifier */
            const node *nodes = p->u->nodes.data;
            for (uint32_t c = nodes[s.node].child; c != NONE32; c = nodes[c].next) {
                if (nodes[c].role != R(LHS)) break;
                if (nodes[c].first != nodes[c].last || p->toks[nodes[c].first].kind != T(IDENT)) {
                    error_expected(p, nodes[c].first, "identifier on left side of :=");
                }
            }
        }
        return s;
    }

    if (s.nlhs > 1) error_expected(p, s.x0.first, "1 expression");

    switch (p->tok) {
    case T(COLON): {
        uint32_t colon = p->i;
        next(p);
        if (mode == MODE_LABEL_OK && s.x0.kind == X_IDENT) {
            unwrap(p, m); /* the label is a name, not an expression */
            parse_stmt(p);
            s.node = close_node(p, m, N(LABELED), first, first, R(NONE));
            s.kind = N(LABELED);
            return s;
        }
        syntax_error(p, colon, "illegal label declaration");
        s.node = close_node(p, m, N(BAD), first, NONE32, R(NONE));
        s.kind = N(BAD);
        return s;
    }
    case T(ARROW): {
        uint32_t arrow = p->i;
        set_role(p, p->pend.data[m], R(CHAN));
        next(p);
        uint32_t vm = mark(p), vfirst = p->i;
        parse_rhs(p);
        close_node(p, vm, N(EXPR), vfirst, NONE32, R(VALUE));
        s.node = close_node(p, m, N(SEND), first, arrow, R(NONE));
        s.kind = N(SEND);
        return s;
    }
    case T(INC):
    case T(DEC): {
        uint32_t optok = p->i;
        unwrap(p, m);
        next(p);
        s.node = close_node(p, m, N(INCDEC), first, optok, R(NONE));
        s.kind = N(INCDEC);
        return s;
    }
    }
    /* expression statement: its nodes directly under EXPRSTMT */
    for (int k = s.nlhs; k-- > 0;) unwrap(p, m + (uint32_t)k);
    s.node = close_node(p, m, N(EXPRSTMT), first, NONE32, R(NONE));
    s.kind = N(EXPRSTMT);
    return s;
}

/* The statement of go or defer: a call. */
static void parse_call_stmt(parser *p, int kind, const char *what) {
    uint32_t first = expect(p, kind == N(GO) ? T(GO) : T(DEFER));
    uint32_t m = mark(p);
    xres x = parse_rhs_or_type(p);
    if (x.kind != X_CALL && x.kind != X_BAD)
        syntax_error_after(p, x.last, "function must be invoked in %s statement", what);
    close_node(p, m, kind, first, first, R(NONE));
    expect_semi(p);
}

static void parse_return_stmt(parser *p) {
    uint32_t first = p->i, m = mark(p);
    expect(p, T(RETURN));
    if (p->tok != T(SEMICOLON) && p->tok != T(RBRACE)) {
        xres x0;
        parse_expr_list(p, 1, R(RESULT), &x0);
    }
    close_node(p, m, N(RETURN), first, first, R(NONE));
    expect_semi(p);
}

static void parse_branch_stmt(parser *p, int kind) {
    uint32_t first = p->i, m = mark(p);
    expect(p, kind);
    if (kind != T(FALLTHROUGH) && p->tok == T(IDENT)) next(p);
    close_node(p, m, N(BRANCH), first, first, R(NONE));
    expect_semi(p);
}

/* go/parser's makeExpr: a header statement that must be an expression.
 * Turns the EXPRSTMT node into a role-tagged EXPR; reports anything else. */
static void make_expr(parser *p, const simple *s, const char *want, int role) {
    if (s->node == NONE32) return;
    node *n = &p->u->nodes.data[s->node];
    if (s->kind == N(EXPRSTMT)) {
        check_expr(p, s->x0);
        n->kind = N(EXPR);
        n->role = (uint8_t)role;
        return;
    }
    syntax_error(p, n->first,
                 "expected %s, found %s (missing parentheses around composite literal?)", want,
                 s->kind == N(ASSIGN) ? "assignment" : "simple statement");
    n->role = (uint8_t)role;
}

static void parse_if_stmt(parser *p);

static void parse_if_header(parser *p) {
    if (p->tok == T(LBRACE)) {
        syntax_error(p, p->i, "missing condition in if statement");
        return;
    }
    int prevlev = p->exprlev;
    p->exprlev = -1;
    simple init = simple_none();
    if (p->tok != T(SEMICOLON)) {
        if (p->tok == T(VAR)) {
            next(p);
            syntax_error(p, p->i, "var declaration not allowed in 'IF' initializer");
        }
        init = parse_simple_stmt(p, MODE_BASIC);
    }
    simple cond = simple_none();
    int have_cond = 0;
    uint32_t semi = NONE32;
    if (p->tok != T(LBRACE)) {
        if (p->tok == T(SEMICOLON)) {
            semi = p->i;
            next(p);
        } else {
            expect(p, T(SEMICOLON));
        }
        if (p->tok != T(LBRACE)) {
            cond = parse_simple_stmt(p, MODE_BASIC);
            have_cond = 1;
        }
        set_role(p, init.node, R(INIT));
    } else {
        cond = init;
        have_cond = init.node != NONE32;
    }
    if (have_cond) {
        make_expr(p, &cond, "boolean expression", R(COND));
    } else if (semi != NONE32) {
        if (p->toks[semi].flags & TF_AUTO)
            syntax_error(p, semi, "unexpected newline, expecting { after if clause");
        else
            syntax_error(p, semi, "missing condition in if statement");
    }
    p->exprlev = prevlev;
}

static void parse_if_stmt(parser *p) {
    enter(p);
    uint32_t first = p->i, m = mark(p);
    expect(p, T(IF));
    parse_if_header(p);
    parse_block_stmt(p, R(BODY));
    if (p->tok == T(ELSE)) {
        next(p);
        if (p->tok == T(IF)) {
            parse_if_stmt(p);
            uint32_t inner = p->pend.data[p->pend.len - 1];
            set_role(p, inner, R(ELSE));
            /* the inner if consumed the semicolon: end where it ends */
            uint32_t n = close_node(p, m, N(IF), first, first, R(NONE));
            p->u->nodes.data[n].last = p->u->nodes.data[inner].last;
            leave(p);
            return;
        } else if (p->tok == T(LBRACE)) {
            parse_block_stmt(p, R(ELSE));
            close_node(p, m, N(IF), first, first, R(NONE));
            expect_semi(p);
            leave(p);
            return;
        } else {
            error_expected(p, p->i, "if statement or block");
        }
        close_node(p, m, N(IF), first, first, R(NONE));
    } else {
        close_node(p, m, N(IF), first, first, R(NONE));
        expect_semi(p);
    }
    leave(p);
}

static void parse_case_clause(parser *p, int type_switch) {
    uint32_t first = p->i, m = mark(p);
    unsigned flags = 0;
    if (p->tok == T(CASE)) {
        next(p);
        if (type_switch) {
            for (;;) {
                uint32_t tm = mark(p), tfirst = p->i;
                parse_type(p);
                close_node(p, tm, N(TYPE), tfirst, NONE32, R(CASE));
                if (p->tok != T(COMMA)) break;
                next(p);
            }
        } else {
            xres x0;
            parse_expr_list(p, 1, R(CASE), &x0);
        }
    } else {
        expect(p, T(DEFAULT));
        flags = GOLEAK_NODE_FLAG_DEFAULT;
    }
    expect(p, T(COLON));
    parse_stmt_list(p);
    uint32_t n = close_node(p, m, N(CASE), first, first, R(NONE));
    set_flag(p, n, flags);
}

static void parse_switch_stmt(parser *p) {
    uint32_t first = p->i, m = mark(p);
    expect(p, T(SWITCH));
    simple s1 = simple_none(), s2 = s1;
    int have2 = 0;
    if (p->tok != T(LBRACE)) {
        int prevlev = p->exprlev;
        p->exprlev = -1;
        if (p->tok != T(SEMICOLON)) {
            s2 = parse_simple_stmt(p, MODE_BASIC);
            have2 = 1;
        }
        if (p->tok == T(SEMICOLON)) {
            next(p);
            s1 = s2;
            set_role(p, s1.node, R(INIT));
            have2 = 0;
            if (p->tok != T(LBRACE)) {
                s2 = parse_simple_stmt(p, MODE_BASIC);
                have2 = 1;
            }
        }
        p->exprlev = prevlev;
    }
    /* a type switch guard: x.(type) or v := x.(type) */
    int type_switch = 0;
    if (have2 && s2.node != NONE32) {
        if (s2.kind == N(EXPRSTMT) && s2.x0.kind == X_TYPESWITCH) {
            type_switch = 1;
        } else if (s2.kind == N(ASSIGN) && s2.nlhs == 1 && s2.nrhs == 1 &&
                   s2.rhs0.kind == X_TYPESWITCH) {
            if (s2.op == T(ASSIGN)) {
                syntax_error(p, p->u->nodes.data[s2.node].key, "expected ':=', found '='");
                type_switch = 1;
            } else if (s2.op == T(DEFINE)) {
                type_switch = 1;
            }
        }
    }
    if (have2) {
        if (type_switch)
            set_role(p, s2.node, R(TAG));
        else
            make_expr(p, &s2, "switch expression", R(TAG));
    }
    expect(p, T(LBRACE));
    while (p->tok == T(CASE) || p->tok == T(DEFAULT)) parse_case_clause(p, type_switch);
    expect(p, T(RBRACE));
    close_node(p, m, type_switch ? N(TYPESWITCH) : N(SWITCH), first, first, R(NONE));
    expect_semi(p);
}

static void parse_comm_clause(parser *p) {
    uint32_t first = p->i, m = mark(p);
    unsigned flags = 0;
    if (p->tok == T(CASE)) {
        next(p);
        uint32_t cm = mark(p), cfirst = p->i;
        xres x0;
        int nlhs = parse_expr_list(p, 0, R(NONE), &x0);
        if (p->tok == T(ARROW)) {
            if (nlhs > 1) error_expected(p, x0.first, "1 expression");
            uint32_t arrow = p->i;
            set_role(p, p->pend.data[cm], R(CHAN));
            next(p);
            uint32_t vm = mark(p), vfirst = p->i;
            parse_rhs(p);
            close_node(p, vm, N(EXPR), vfirst, NONE32, R(VALUE));
            close_node(p, cm, N(SEND), cfirst, arrow, R(COMM));
        } else if (p->tok == T(ASSIGN) || p->tok == T(DEFINE)) {
            if (nlhs > 2) error_expected(p, x0.first, "1 or 2 expressions");
            int op = p->tok;
            uint32_t optok = p->i;
            set_list_roles(p, cm, nlhs, R(LHS), -1);
            next(p);
            uint32_t rm = mark(p), rfirst = p->i;
            parse_rhs(p);
            close_node(p, rm, N(EXPR), rfirst, NONE32, R(RHS));
            uint32_t a = close_node(p, cm, N(ASSIGN), cfirst, optok, R(COMM));
            if (op == T(DEFINE)) {
                const node *nodes = p->u->nodes.data;
                for (uint32_t c = nodes[a].child; c != NONE32; c = nodes[c].next) {
                    if (nodes[c].role != R(LHS)) break;
                    if (nodes[c].first != nodes[c].last || p->toks[nodes[c].first].kind != T(IDENT))
                        error_expected(p, nodes[c].first, "identifier on left side of :=");
                }
            }
        } else {
            if (nlhs > 1) error_expected(p, x0.first, "1 expression");
            for (int k = nlhs; k-- > 0;) unwrap(p, cm + (uint32_t)k);
            close_node(p, cm, N(EXPRSTMT), cfirst, NONE32, R(COMM));
        }
    } else {
        expect(p, T(DEFAULT));
        flags = GOLEAK_NODE_FLAG_DEFAULT;
    }
    expect(p, T(COLON));
    parse_stmt_list(p);
    uint32_t n = close_node(p, m, N(COMM), first, first, R(NONE));
    set_flag(p, n, flags);
}

static void parse_select_stmt(parser *p) {
    uint32_t first = p->i, m = mark(p);
    expect(p, T(SELECT));
    expect(p, T(LBRACE));
    while (p->tok == T(CASE) || p->tok == T(DEFAULT)) parse_comm_clause(p);
    expect(p, T(RBRACE));
    close_node(p, m, N(SELECT), first, first, R(NONE));
    expect_semi(p);
}

static void parse_for_stmt(parser *p) {
    uint32_t first = p->i, m = mark(p);
    expect(p, T(FOR));
    simple s1 = simple_none(), s2 = s1, s3 = s1;
    int is_range = 0, have2 = 0;
    uint32_t range_tok = NONE32;
    if (p->tok != T(LBRACE)) {
        int prevlev = p->exprlev;
        p->exprlev = -1;
        if (p->tok != T(SEMICOLON)) {
            if (p->tok == T(RANGE)) {
                /* for range x */
                range_tok = p->i;
                next(p);
                uint32_t xm = mark(p), xfirst = p->i;
                parse_rhs(p);
                close_node(p, xm, N(EXPR), xfirst, NONE32, R(X));
                is_range = 1;
            } else {
                s2 = parse_simple_stmt(p, MODE_RANGE_OK);
                have2 = 1;
                is_range = s2.is_range;
                range_tok = s2.range_tok;
            }
        }
        if (!is_range && p->tok == T(SEMICOLON)) {
            next(p);
            s1 = s2;
            set_role(p, s1.node, R(INIT));
            have2 = 0;
            if (p->tok != T(SEMICOLON)) {
                s2 = parse_simple_stmt(p, MODE_BASIC);
                have2 = 1;
            }
            expect_semi(p);
            if (p->tok != T(LBRACE)) {
                s3 = parse_simple_stmt(p, MODE_BASIC);
                set_role(p, s3.node, R(POST));
            }
        }
        p->exprlev = prevlev;
    }
    if (have2 && !is_range) make_expr(p, &s2, "boolean or range expression", R(COND));
    parse_block_stmt(p, R(BODY));
    if (is_range) {
        uint32_t n = close_node(p, m, N(RANGE), first, range_tok, R(NONE));
        if (s2.op == T(DEFINE)) set_flag(p, n, GOLEAK_NODE_FLAG_DEFINE);
        if (s2.nlhs > 2) {
            const node *nodes = p->u->nodes.data;
            uint32_t c = nodes[n].child;
            for (int k = 1; k < s2.nlhs && c != NONE32; k++) c = nodes[c].next;
            error_expected(p, c != NONE32 ? nodes[c].first : first, "at most 2 expressions");
            p->u->nodes.data[n].kind = N(BAD);
        }
    } else {
        close_node(p, m, N(FOR), first, first, R(NONE));
    }
    expect_semi(p);
}

static void parse_gen_decl(parser *p, int keyword);

static uint32_t parse_stmt(parser *p) {
    enter(p);
    uint32_t before = p->i;
    switch (p->tok) {
    case T(CONST):
    case T(TYPE):
    case T(VAR): parse_gen_decl(p, p->tok); break;
    case T(IDENT):
    case T(INT):
    case T(FLOAT):
    case T(IMAG):
    case T(CHAR):
    case T(STRING):
    case T(FUNC):
    case T(LPAREN):
    case T(LBRACK):
    case T(STRUCT):
    case T(MAP):
    case T(CHAN):
    case T(INTERFACE):
    case T(ADD):
    case T(SUB):
    case T(MUL):
    case T(AND):
    case T(XOR):
    case T(ARROW):
    case T(NOT): {
        simple s = parse_simple_stmt(p, MODE_LABEL_OK);
        if (s.kind != N(LABELED)) expect_semi(p);
        break;
    }
    case T(GO): parse_call_stmt(p, N(GO), "go"); break;
    case T(DEFER): parse_call_stmt(p, N(DEFER), "defer"); break;
    case T(RETURN): parse_return_stmt(p); break;
    case T(BREAK):
    case T(CONTINUE):
    case T(GOTO):
    case T(FALLTHROUGH): parse_branch_stmt(p, p->tok); break;
    case T(LBRACE):
        parse_block_stmt(p, R(NONE));
        expect_semi(p);
        break;
    case T(IF): parse_if_stmt(p); break;
    case T(SWITCH): parse_switch_stmt(p); break;
    case T(SELECT): parse_select_stmt(p); break;
    case T(FOR): parse_for_stmt(p); break;
    case T(SEMICOLON): {
        uint32_t m = mark(p);
        next(p);
        close_node(p, m, N(EMPTY), before, NONE32, R(NONE));
        break;
    }
    case T(RBRACE): {
        /* a semicolon may be omitted before "}": an empty statement */
        uint32_t n = new_node(p, N(EMPTY), before, before - 1, NONE32, R(NONE));
        push_pending(p, n);
        break;
    }
    default: {
        uint32_t m = mark(p);
        error_expected(p, before, "statement");
        advance(p, SYNC_STMT);
        close_node(p, m, N(BAD), before, NONE32, R(NONE));
    }
    }
    leave(p);
    return before;
}

static void parse_stmt_list(parser *p) {
    while (p->tok != T(CASE) && p->tok != T(DEFAULT) && p->tok != T(RBRACE) && p->tok != T(EOF)) {
        uint32_t before = p->i;
        parse_stmt(p);
        if (p->i == before && p->tok != T(RBRACE)) next(p); /* never loop without progress */
    }
}

static uint32_t parse_block_stmt(parser *p, int role) {
    uint32_t first = p->i, m = mark(p);
    expect(p, T(LBRACE));
    parse_stmt_list(p);
    expect2(p, T(RBRACE));
    return close_node(p, m, N(BLOCK), first, first, role);
}

/* ---- declarations ---- */

static int is_valid_import_path(const uint8_t *s, uint32_t n);

static void parse_import_spec(parser *p) {
    uint32_t first = p->i, m = mark(p);
    if (p->tok == T(PERIOD) || p->tok == T(IDENT)) next(p);
    uint32_t path = NONE32;
    if (p->tok == T(STRING)) {
        path = p->i;
        const token *t = &p->toks[p->i];
        if (!is_valid_import_path(p->u->src + t->off, t->len)) {
            int n = t->len > 80 ? 80 : (int)t->len;
            syntax_error(p, p->i, "invalid import path: %.*s", n, (const char *)p->u->src + t->off);
        }
        next(p);
    } else {
        expect(p, T(STRING));
    }
    close_node(p, m, N(IMPORT), first, path, R(NONE));
    expect_semi(p);
}

static void parse_value_spec(parser *p, int keyword, int iota) {
    uint32_t first = p->i, m = mark(p);
    parse_ident(p);
    while (p->tok == T(COMMA)) {
        next(p);
        parse_ident(p);
    }
    uint32_t tm = mark(p), tfirst = p->i;
    xres t;
    int have_type = try_ident_or_type(p, &t);
    if (have_type) close_node(p, tm, N(TYPE), tfirst, NONE32, R(TYPE));
    int have_values = 0;
    if (p->tok == T(ASSIGN)) {
        next(p);
        xres x0;
        parse_expr_list(p, 1, R(VALUE), &x0);
        have_values = 1;
    }
    close_node(p, m, N(SPEC), first, first, R(NONE));
    expect_semi(p);
    if (keyword == T(VAR) && !have_type && !have_values)
        syntax_error(p, first, "missing variable type or initialization");
    if (keyword == T(CONST) && !have_values && (iota == 0 || have_type))
        syntax_error(p, first, "missing constant value");
}

static void parse_type_spec(parser *p) {
    uint32_t first = p->i, m = mark(p);
    parse_ident(p);
    int alias = 0;
    if (p->tok == T(LBRACK)) {
        /* an array or slice type, or a type parameter list */
        uint32_t lbrack = p->i;
        next(p);
        if (p->tok == T(IDENT)) {
            uint32_t xm = mark(p);
            xres x = mk(X_IDENT, p->i, p->i);
            next(p);
            if (p->tok != T(LBRACK)) {
                p->exprlev++;
                xres lhs = parse_primary_expr(p, &x, xm);
                x = parse_binary_expr(p, &lhs, xm, 1, 0);
                p->exprlev--;
            }
            /* go/parser's extractName: can x be read as "name type"? */
            int force = p->tok == T(COMMA);
            int generic;
            if (x.kind == X_IDENT)
                generic = p->tok != T(RBRACK);
            else
                generic = (x.flags & (force ? XF_SF : XF_SW)) != 0;
            if (generic) {
                uint32_t pname = x.first;
                if (x.kind == X_IDENT) {
                    parse_parameter_list(p, pname, NULL, 0, T(RBRACK), R(TPARAM));
                } else {
                    /* the type follows the name: drop a call P(E) that was
                     * really a name and a parenthesized type */
                    if ((x.flags & XF_SPLIT_CALL) && xm < p->pend.len) {
                        uint32_t c = p->pend.data[xm];
                        const node *cn = &p->u->nodes.data[c];
                        if (cn->kind == N(CALL) && cn->first == pname) {
                            unwrap(p, xm);
                            if (xm < p->pend.len &&
                                p->u->nodes.data[p->pend.data[xm]].kind == N(EXPR))
                                unwrap(p, xm);
                        }
                    }
                    xres ptype = x;
                    ptype.first = pname + 1;
                    parse_parameter_list(p, pname, &ptype, xm, T(RBRACK), R(TPARAM));
                }
                expect(p, T(RBRACK));
                if (p->tok == T(ASSIGN)) {
                    alias = 1;
                    next(p);
                }
                uint32_t tm = mark(p), tfirst = p->i;
                parse_type(p);
                close_node(p, tm, N(TYPE), tfirst, NONE32, R(TYPE));
            } else {
                uint32_t tm = xm;
                parse_array_type(p, lbrack, &x);
                close_node(p, tm, N(TYPE), lbrack, NONE32, R(TYPE));
            }
        } else {
            uint32_t tm = mark(p);
            parse_array_type(p, lbrack, NULL);
            close_node(p, tm, N(TYPE), lbrack, NONE32, R(TYPE));
        }
    } else {
        if (p->tok == T(ASSIGN)) {
            alias = 1;
            next(p);
        }
        uint32_t tm = mark(p), tfirst = p->i;
        parse_type(p);
        close_node(p, tm, N(TYPE), tfirst, NONE32, R(TYPE));
    }
    uint32_t n = close_node(p, m, N(SPEC), first, first, R(NONE));
    if (alias) set_flag(p, n, GOLEAK_NODE_FLAG_ALIAS);
    expect_semi(p);
}

static void parse_gen_decl(parser *p, int keyword) {
    uint32_t first = p->i, m = mark(p);
    expect(p, keyword);
    if (p->tok == T(LPAREN)) {
        next(p);
        for (int iota = 0; p->tok != T(RPAREN) && p->tok != T(EOF); iota++) {
            uint32_t before = p->i;
            if (keyword == T(IMPORT))
                parse_import_spec(p);
            else if (keyword == T(TYPE))
                parse_type_spec(p);
            else
                parse_value_spec(p, keyword, iota);
            if (p->i == before) next(p);
        }
        expect(p, T(RPAREN));
        close_node(p, m, N(GENDECL), first, first, R(NONE));
        expect_semi(p);
        return;
    }
    if (keyword == T(IMPORT))
        parse_import_spec(p);
    else if (keyword == T(TYPE))
        parse_type_spec(p);
    else
        parse_value_spec(p, keyword, 0);
    /* the spec consumed its semicolon; the declaration ends before it */
    uint32_t n = new_node(p, N(GENDECL), first, first, first, R(NONE));
    uint32_t spec = p->pend.data[p->pend.len - 1];
    p->u->nodes.data[n].last = p->u->nodes.data[spec].last;
    adopt(p, n, m, p->pend.len);
    p->pend.len = m;
    push_pending(p, n);
}

static void parse_func_decl(parser *p) {
    uint32_t first = p->i, m = mark(p);
    expect(p, T(FUNC));
    int method = 0;
    if (p->tok == T(LPAREN)) {
        parse_parameters(p, 0, R(RECV));
        method = 1;
    }
    uint32_t name = parse_ident(p);
    uint32_t tp_at = p->i;
    uint32_t pm = mark(p);
    parse_parameters(p, 1, R(PARAM));
    if (method) {
        for (uint32_t k = pm; k < p->pend.len; k++) {
            if (p->u->nodes.data[p->pend.data[k]].role == R(TPARAM)) {
                syntax_error(p, tp_at, "method must have no type parameters");
                break;
            }
        }
    }
    parse_result(p);
    uint32_t n;
    if (p->tok == T(LBRACE)) {
        parse_block_stmt(p, R(BODY));
        n = close_node(p, m, N(FUNC), first, name, R(NONE));
        expect_semi(p);
    } else if (p->tok == T(SEMICOLON)) {
        uint32_t last = prev_tok(p);
        next(p);
        if (p->tok == T(LBRACE)) {
            syntax_error(p, p->i, "unexpected semicolon or newline before {");
            parse_block_stmt(p, R(BODY));
            n = close_node(p, m, N(FUNC), first, name, R(NONE));
            expect_semi(p);
        } else {
            n = close_node(p, m, N(FUNC), first, name, R(NONE));
            p->u->nodes.data[n].last = last; /* a declaration without body */
        }
    } else {
        n = close_node(p, m, N(FUNC), first, name, R(NONE));
        expect_semi(p);
    }
    if (method) set_flag(p, n, GOLEAK_NODE_FLAG_METHOD);
}

static void parse_decl(parser *p) {
    switch (p->tok) {
    case T(CONST):
    case T(VAR):
    case T(TYPE): parse_gen_decl(p, p->tok); break;
    case T(FUNC): parse_func_decl(p); break;
    default: {
        uint32_t at = p->i, m = mark(p);
        error_expected(p, at, "declaration");
        advance(p, SYNC_DECL);
        close_node(p, m, N(BAD), at, NONE32, R(NONE));
    }
    }
}

/* go/parser's isValidImport: a non-empty path of graphic, non-space runes
 * without the characters that are illegal in import paths. A path written
 * with escapes is accepted unchecked: decoding it is not worth the code for
 * a form nobody uses. */
static int is_valid_import_path(const uint8_t *s, uint32_t n) {
    if (n <= 2) return 0;
    s++, n -= 2; /* the quotes */
    if (memchr(s, '\\', n) && s[-1] == '"') return 1;
    static const char illegal[] = "!\"#$%&'()*,:;<=>?[\\]^{|}`";
    for (uint32_t k = 0; k < n;) {
        int w;
        int32_t r = utf8_decode(s + k, &w);
        if (r == RUNE_ERROR || r == ' ' || !rune_is_print(r)) return 0;
        if (r < 0x80 && strchr(illegal, (int)r)) return 0;
        k += (uint32_t)w;
    }
    return 1;
}

static void parse_file(parser *p) {
    uint32_t first = p->i, m = mark(p);
    expect(p, T(PACKAGE));
    uint32_t name = parse_ident(p);
    close_node(p, m, N(PACKAGE), first, name, R(NONE));
    expect_semi(p);
    while (p->tok == T(IMPORT)) parse_gen_decl(p, T(IMPORT));
    while (p->tok != T(EOF)) {
        uint32_t before = p->i;
        parse_decl(p);
        if (p->i == before) next(p);
    }
}

/* Runs the parser; the jump buffer lives in this frame while the parser
 * state lives in the caller's, so no local changed between setjmp and
 * longjmp is read afterwards. Returns 0, or BAIL_DEPTH / BAIL_OOM /
 * BAIL_STACK. */
static int run_parser(parser *p) {
    int why = setjmp(p->bail);
    if (why == 0) parse_file(p);
    return why;
}

static void parser_init(parser *p, goleak_unit *u) {
    memset(p, 0, sizeof *p);
    p->u = u;
    p->toks = u->toks.data;
    p->tok = p->toks[0].kind;
    p->max_depth = u->max_depth;
}

/* The stack a parse may use on the caller's thread. Real code nests a few
 * dozen levels and needs a few KiB; deeper input is parsed again on a
 * thread of the library's own (parse_on_large_stack), so that a host
 * thread with a small stack (256 KiB, or less) is never at risk. */
#define CALLER_STACK_BUDGET ((size_t)64 * 1024)

/* Stack bytes per level of nesting: twice the most measured on the
 * deepest productions (472 bytes optimised, 1,024 with sanitizers, on
 * x86-64; tests/unit/test_limits.c checks the bound); sanitizers and
 * unoptimised builds make frames larger. */
#if defined(__SANITIZE_ADDRESS__) || defined(__SANITIZE_THREAD__) || !defined(__OPTIMIZE__)
#define STACK_PER_LEVEL 4096
#elif defined(__has_feature)
#if __has_feature(address_sanitizer) || __has_feature(thread_sanitizer)
#define STACK_PER_LEVEL 4096
#endif
#endif
#ifndef STACK_PER_LEVEL
#define STACK_PER_LEVEL 1024
#endif

/* What a parse on the large stack needs and returns. */
typedef struct deep_parse {
    parser *p;
    int why;
} deep_parse;

static void *deep_parse_main(void *arg) {
    deep_parse *d = arg;
    d->p->stack_base = FRAME_ADDRESS();
    d->why = run_parser(d->p);
    return NULL;
}

/* Parses on a thread of its own whose stack holds max_depth levels of
 * both kinds of nesting: the calling thread waits for it, so the parse
 * stays sequential (the allocator is called from that thread meanwhile).
 * Its pages are committed only as the parse touches them. -1 when no
 * such thread can be started. */
static int parse_on_large_stack(parser *p) {
    size_t levels = 2 * (size_t)p->max_depth + 64;
    if (levels > SIZE_MAX / STACK_PER_LEVEL / 2) return -1;
    size_t size = levels * STACK_PER_LEVEL + ((size_t)1 << 20);
    pthread_attr_t attr;
    if (pthread_attr_init(&attr) != 0) return -1;
    pthread_t th;
    deep_parse d = {p, 0};
    /* the guard keeps what the budget does not foresee (frames the bound
     * misses) from running off the stack: reported, not a crash */
    p->stack_budget = size - ((size_t)256 << 10);
    int rc = pthread_attr_setstacksize(&attr, size);
    if (rc == 0) rc = pthread_create(&th, &attr, deep_parse_main, &d);
    pthread_attr_destroy(&attr);
    if (rc != 0) return -1;
    pthread_join(th, NULL);
    return d.why;
}

int parse_unit(goleak_unit *u) {
    parser p;
    parser_init(&p, u);
    /* about one node per three tokens */
    int rc = vec_reserve(u->alloc, (void **)&u->nodes.data, &u->nodes.cap, sizeof(node),
                         u->toks.len / 3 + 16);
    uint32_t lexer_diags = u->diags.len;
    int why = 0;
    if (rc == 0) {
        p.stack_base = FRAME_ADDRESS();
        p.stack_budget = CALLER_STACK_BUDGET;
        why = run_parser(&p);
    }
    if (why == BAIL_STACK) {
        /* too deep for the caller's stack: start again on a larger one */
        gl_free(u->alloc, p.pend.data);
        gl_free(u->alloc, p.params.data);
        u->nodes.len = 0;
        u->diags.len = lexer_diags;
        size_t peak = p.stack_peak;
        parser_init(&p, u);
        why = parse_on_large_stack(&p);
        u->parse_stack_peak = p.stack_peak;
        if (why < 0) {
            /* no thread: parse here as far as the budget allows */
            gl_free(u->alloc, p.pend.data);
            gl_free(u->alloc, p.params.data);
            u->nodes.len = 0;
            u->diags.len = lexer_diags;
            parser_init(&p, u);
            p.stack_base = FRAME_ADDRESS();
            p.stack_budget = CALLER_STACK_BUDGET;
            why = run_parser(&p);
            u->parse_stack_peak = peak;
        }
        u->parse_large_stack = why >= 0;
    } else {
        u->parse_stack_peak = p.stack_peak;
    }
    if (why == BAIL_STACK) {
        /* the budget ran out before the nesting limit */
        p.last_err_line = 0;
        unit_diag(u, p.toks[p.i].off, 0, "exceeded max nesting depth (the parser's stack is full)");
    }
    if (why == BAIL_OOM) rc = -1;
    if (why == BAIL_DEPTH || why == BAIL_STACK) u->truncated = 1;
    if (rc == 0) {
        /* whatever was parsed (all of it, or up to a too deep nesting) goes
         * under the root */
        node root = {u, 0, u->toks.len - 1, NONE32, NONE32, NONE32, NONE32, N(FILE), R(NONE), 0};
        if (VEC_PUSH(u->alloc, &u->nodes, root)) {
            rc = -1;
        } else {
            u->root = u->nodes.len - 1;
            adopt(&p, u->root, 0, p.pend.len);
        }
    }
    gl_free(u->alloc, p.pend.data);
    gl_free(u->alloc, p.params.data);
    u->dead_nodes = p.dead;
    return rc;
}
