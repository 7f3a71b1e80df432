/**
 * @file goleak.h
 * libgoleak: find memory, goroutine and resource leaks in Go source code,
 * statically, without compiling it.
 *
 * The whole public C API is this one header. Conventions:
 *
 *  - Every symbol starts with `goleak_` (macros `GOLEAK_`). Handles are
 *    opaque. Every `goleak_X_new` (or parse) has a `goleak_X_free`, and every
 *    `_free` accepts NULL.
 *  - Functions that can fail return an `int`: 0 on success or a negative
 *    `GOLEAK_E*` code. Those that take a `goleak_error *err` fill it with the
 *    details (message, file, line, column, byte offset) when it is not NULL.
 *    `goleak_strerror()` names a code. The library never prints and never
 *    aborts.
 *  - Out-parameters come first and a single output is named `out`. A
 *    pointer-to-pointer output is owned by the caller; a returned pointer is
 *    borrowed, and its doc comment says how long it stays valid.
 *  - Threads: a configured engine is read-only while checking and may be
 *    shared by many threads. Units, findings and error objects belong to one
 *    thread at a time. Nothing in the library is global or static mutable.
 *  - Positions: byte offsets from 0; lines from 1; columns from 1, counted in
 *    bytes as Go's go/token does (a tab is one column; a leading byte order
 *    mark puts the first token at column 4). `//line` directives are ignored.
 */
#ifndef GOLEAK_H
#define GOLEAK_H

#include <stddef.h>
#include <stdint.h>

#include "goleak_version.h"

#if defined(_WIN32) && !defined(GOLEAK_STATIC)
#if defined(GOLEAK_BUILDING)
#define GOLEAK_API __declspec(dllexport)
#else
#define GOLEAK_API __declspec(dllimport)
#endif
#elif defined(__GNUC__)
#define GOLEAK_API __attribute__((visibility("default")))
#else
#define GOLEAK_API
#endif

#ifdef __cplusplus
extern "C" {
#endif

/* ========================================================================
 * Versions
 * ======================================================================== */

/** The library's version as MAJOR*10000 + MINOR*100 + PATCH (same encoding
 *  as GOLEAK_VERSION_NUMBER), for checking the runtime against the header. */
GOLEAK_API unsigned int goleak_version(void);

/** The library's version as "MAJOR.MINOR.PATCH"; a static string. */
GOLEAK_API const char *goleak_version_string(void);

/** The ABI version of this header. Native rule packs declare the ABI they
 *  were built for; the library loads packs whose ABI lies between
 *  GOLEAK_ABI_MIN_COMPATIBLE and GOLEAK_ABI_VERSION. */
#define GOLEAK_ABI_VERSION        1
#define GOLEAK_ABI_MIN_COMPATIBLE 1

/** The ABI version of the running library (GOLEAK_ABI_VERSION it was built with). */
GOLEAK_API int goleak_abi_version(void);

/* ========================================================================
 * Errors
 * ======================================================================== */

/** Status codes. 0 is success; errors are negative. */
enum goleak_status {
    GOLEAK_OK = 0,
    GOLEAK_ENOMEM = -1,    /**< out of memory */
    GOLEAK_EINVAL = -2,    /**< invalid argument (NULL handle, bad option, unknown id) */
    GOLEAK_EIO = -3,       /**< a file could not be read */
    GOLEAK_ESYNTAX = -4,   /**< malformed input (e.g. a rule pack) */
    GOLEAK_ITEROVER = -5,  /**< an iteration has no more items */
    GOLEAK_EUSER = -6,     /**< a user callback reported failure */
    GOLEAK_ERANGE = -7,    /**< a value is out of range (e.g. a file over 4 GiB) */
    GOLEAK_ENOTFOUND = -8, /**< no such rule, option or file */
    GOLEAK_EABI = -9,      /**< a native pack was built for an incompatible ABI */
    GOLEAK_EEXISTS = -10   /**< an item with that id is already registered */
};

/** A static English description of a status code ("out of memory", ...).
 *  Never NULL; unknown codes give "unknown error". */
GOLEAK_API const char *goleak_strerror(int code);

/** Details of a failed call: code, message and, where known, a position. */
typedef struct goleak_error goleak_error;

/** Creates an empty error object; caller owns it (goleak_error_free).
 *  Returns NULL when out of memory. Reuse one object for many calls. */
GOLEAK_API goleak_error *goleak_error_new(void);

/** Frees an error object; NULL is accepted. */
GOLEAK_API void goleak_error_free(goleak_error *err);

/** Resets an error object to "no error". NULL is accepted. */
GOLEAK_API void goleak_error_clear(goleak_error *err);

/** The status code of the last failure recorded in err (0 when none). */
GOLEAK_API int goleak_error_code(const goleak_error *err);

/** The message of the last failure ("" when none); owned by err, valid
 *  until err is reused or freed. */
GOLEAK_API const char *goleak_error_message(const goleak_error *err);

/** The file the failure concerns, or NULL when none; owned by err. */
GOLEAK_API const char *goleak_error_file(const goleak_error *err);

/** The position the failure concerns: line and column from 1, offset from 0;
 *  all three are 0 when the failure has no position. */
GOLEAK_API unsigned int goleak_error_line(const goleak_error *err);
GOLEAK_API unsigned int goleak_error_column(const goleak_error *err);
GOLEAK_API size_t goleak_error_offset(const goleak_error *err);

/* ========================================================================
 * Allocator
 * ======================================================================== */

/** A user allocator. realloc(NULL, n) must behave as malloc(n); free(NULL)
 *  is never called. The struct is read at the call that receives it and must
 *  outlive every object created with it. A parse of deeply nested input
 *  calls it from a thread of the library's while the calling thread waits
 *  (goleak_unit_parse): never from two threads at once for one call. */
typedef struct goleak_allocator {
    unsigned int version; /**< GOLEAK_ALLOCATOR_VERSION */
    void *(*malloc)(size_t size, void *user_data);
    void *(*realloc)(void *ptr, size_t size, void *user_data);
    void (*free)(void *ptr, void *user_data);
    void *user_data;
} goleak_allocator;

#define GOLEAK_ALLOCATOR_VERSION 1

/* ========================================================================
 * Positions
 * ======================================================================== */

/** A position in a source file. */
typedef struct goleak_pos {
    uint32_t offset; /**< byte offset from 0 */
    uint32_t line;   /**< line from 1 */
    uint32_t column; /**< byte column from 1 */
} goleak_pos;

/** A half-open range of source: [start, end). */
typedef struct goleak_span {
    goleak_pos start;
    goleak_pos end;
} goleak_span;

/** "No index": returned by index-valued getters when there is none. */
#define GOLEAK_NONE ((size_t)-1)

/* ========================================================================
 * Tokens
 * ======================================================================== */

/** Token kinds, named as Go's go/token names them (goleak_token_kind_name). */
enum goleak_token_kind {
    GOLEAK_TOKEN_ILLEGAL,
    GOLEAK_TOKEN_EOF,
    GOLEAK_TOKEN_COMMENT,
    GOLEAK_TOKEN_IDENT,
    GOLEAK_TOKEN_INT,
    GOLEAK_TOKEN_FLOAT,
    GOLEAK_TOKEN_IMAG,
    GOLEAK_TOKEN_CHAR,
    GOLEAK_TOKEN_STRING,
    /* operators and delimiters */
    GOLEAK_TOKEN_ADD,            /* + */
    GOLEAK_TOKEN_SUB,            /* - */
    GOLEAK_TOKEN_MUL,            /* * */
    GOLEAK_TOKEN_QUO,            /* / */
    GOLEAK_TOKEN_REM,            /* % */
    GOLEAK_TOKEN_AND,            /* & */
    GOLEAK_TOKEN_OR,             /* | */
    GOLEAK_TOKEN_XOR,            /* ^ */
    GOLEAK_TOKEN_SHL,            /* << */
    GOLEAK_TOKEN_SHR,            /* >> */
    GOLEAK_TOKEN_AND_NOT,        /* &^ */
    GOLEAK_TOKEN_ADD_ASSIGN,     /* += */
    GOLEAK_TOKEN_SUB_ASSIGN,     /* -= */
    GOLEAK_TOKEN_MUL_ASSIGN,     /* *= */
    GOLEAK_TOKEN_QUO_ASSIGN,     /* /= */
    GOLEAK_TOKEN_REM_ASSIGN,     /* %= */
    GOLEAK_TOKEN_AND_ASSIGN,     /* &= */
    GOLEAK_TOKEN_OR_ASSIGN,      /* |= */
    GOLEAK_TOKEN_XOR_ASSIGN,     /* ^= */
    GOLEAK_TOKEN_SHL_ASSIGN,     /* <<= */
    GOLEAK_TOKEN_SHR_ASSIGN,     /* >>= */
    GOLEAK_TOKEN_AND_NOT_ASSIGN, /* &^= */
    GOLEAK_TOKEN_LAND,           /* && */
    GOLEAK_TOKEN_LOR,            /* || */
    GOLEAK_TOKEN_ARROW,          /* <- */
    GOLEAK_TOKEN_INC,            /* ++ */
    GOLEAK_TOKEN_DEC,            /* -- */
    GOLEAK_TOKEN_EQL,            /* == */
    GOLEAK_TOKEN_LSS,            /* < */
    GOLEAK_TOKEN_GTR,            /* > */
    GOLEAK_TOKEN_ASSIGN,         /* = */
    GOLEAK_TOKEN_NOT,            /* ! */
    GOLEAK_TOKEN_NEQ,            /* != */
    GOLEAK_TOKEN_LEQ,            /* <= */
    GOLEAK_TOKEN_GEQ,            /* >= */
    GOLEAK_TOKEN_DEFINE,         /* := */
    GOLEAK_TOKEN_ELLIPSIS,       /* ... */
    GOLEAK_TOKEN_LPAREN,         /* ( */
    GOLEAK_TOKEN_LBRACK,         /* [ */
    GOLEAK_TOKEN_LBRACE,         /* { */
    GOLEAK_TOKEN_COMMA,          /* , */
    GOLEAK_TOKEN_PERIOD,         /* . */
    GOLEAK_TOKEN_RPAREN,         /* ) */
    GOLEAK_TOKEN_RBRACK,         /* ] */
    GOLEAK_TOKEN_RBRACE,         /* } */
    GOLEAK_TOKEN_SEMICOLON,      /* ; (explicit or automatic) */
    GOLEAK_TOKEN_COLON,          /* : */
    GOLEAK_TOKEN_TILDE,          /* ~ */
    /* keywords */
    GOLEAK_TOKEN_BREAK,
    GOLEAK_TOKEN_CASE,
    GOLEAK_TOKEN_CHAN,
    GOLEAK_TOKEN_CONST,
    GOLEAK_TOKEN_CONTINUE,
    GOLEAK_TOKEN_DEFAULT,
    GOLEAK_TOKEN_DEFER,
    GOLEAK_TOKEN_ELSE,
    GOLEAK_TOKEN_FALLTHROUGH,
    GOLEAK_TOKEN_FOR,
    GOLEAK_TOKEN_FUNC,
    GOLEAK_TOKEN_GO,
    GOLEAK_TOKEN_GOTO,
    GOLEAK_TOKEN_IF,
    GOLEAK_TOKEN_IMPORT,
    GOLEAK_TOKEN_INTERFACE,
    GOLEAK_TOKEN_MAP,
    GOLEAK_TOKEN_PACKAGE,
    GOLEAK_TOKEN_RANGE,
    GOLEAK_TOKEN_RETURN,
    GOLEAK_TOKEN_SELECT,
    GOLEAK_TOKEN_STRUCT,
    GOLEAK_TOKEN_SWITCH,
    GOLEAK_TOKEN_TYPE,
    GOLEAK_TOKEN_VAR,
    GOLEAK_TOKEN_KIND_COUNT
};

/** Go's name of a token kind: "IDENT", "+", "break", ... Static; "?" for an
 *  out-of-range kind. */
GOLEAK_API const char *goleak_token_kind_name(int kind);

/* ========================================================================
 * Units: one parsed Go file
 * ======================================================================== */

/** One parsed Go source file: its bytes, tokens, comments, diagnostics and
 *  skeleton tree, all owned by the unit and freed by goleak_unit_free. */
typedef struct goleak_unit goleak_unit;

/** Parse flags (goleak_parse_options.flags). */
enum goleak_parse_flag {
    GOLEAK_PARSE_TOKENS_ONLY = 1u << 0, /**< lex only: no skeleton tree */
    /** goleak_unit_parse uses src in place instead of copying it: src must
     *  stay valid and unchanged until the unit is freed, and the
     *  GOLEAK_SOURCE_PADDING bytes after src[len] must be readable zeros. */
    GOLEAK_PARSE_BORROW_SOURCE = 1u << 1
};

/** Zero bytes a borrowed source needs after its last byte (the lexer reads
 *  ahead without bounds checks and stops on them). */
#define GOLEAK_SOURCE_PADDING 16

/** Options for parsing; initialise with GOLEAK_PARSE_OPTIONS_INIT. New
 *  fields are only ever appended. NULL options mean the defaults. */
typedef struct goleak_parse_options {
    unsigned int version;              /**< GOLEAK_PARSE_OPTIONS_VERSION */
    unsigned int flags;                /**< goleak_parse_flag bits */
    const goleak_allocator *allocator; /**< NULL: malloc/realloc/free */
    /* version 2: bounds, each 0 for its default (GOLEAK_DEFAULT_MAX_*) */
    size_t max_file_size; /**< bytes; a larger source is refused (GOLEAK_ERANGE) */
    size_t max_tokens;    /**< tokens and comments; a source with more is refused
                               (GOLEAK_ERANGE) */
    size_t max_depth;     /**< nesting, counted where go/parser counts it; deeper
                               source is parsed up to there (goleak_unit_truncated) */
} goleak_parse_options;

#define GOLEAK_PARSE_OPTIONS_VERSION 2
#define GOLEAK_PARSE_OPTIONS_INIT                                                                  \
    { GOLEAK_PARSE_OPTIONS_VERSION, 0, NULL, 0, 0, 0 }

/** Default bounds of a parse: 32 MiB of source, 4 Mi tokens and comments,
 *  and go/parser's own nesting limit. A parse takes at most about 12 bytes
 *  of memory per source byte plus 36 per token: under 300 MiB within these
 *  bounds. */
#define GOLEAK_DEFAULT_MAX_FILE_SIZE ((size_t)32 << 20)
#define GOLEAK_DEFAULT_MAX_TOKENS    ((size_t)4 << 20)
#define GOLEAK_DEFAULT_MAX_DEPTH     ((size_t)100000)

/** Parses len bytes of Go source into a new unit in *out (caller owns it:
 *  goleak_unit_free). The bytes are copied (unless the options' flags hold
 *  GOLEAK_PARSE_BORROW_SOURCE); path (may be NULL) only labels
 *  positions. Lexical and syntax errors do not fail the call: they are the
 *  unit's diagnostics, and the tree holds what could be recovered.
 *  The parse needs at most 64 KiB of the caller's stack: a source that
 *  nests deeper is parsed on a thread the library starts with a stack
 *  large enough for max_depth, while the caller waits (the allocator is
 *  then called from that thread).
 *  Errors: GOLEAK_EINVAL (out NULL, src NULL with len > 0, or a borrowed
 *  source without zero padding), GOLEAK_ENOMEM, GOLEAK_ERANGE (len over
 *  max_file_size or 4 GiB, or more than max_tokens tokens; err says which).
 *  On error *out is set to NULL. */
GOLEAK_API int goleak_unit_parse(goleak_unit **out, const char *path, const char *src, size_t len,
                                 const goleak_parse_options *opts, goleak_error *err);

/** Reads the file at path and parses it as goleak_unit_parse does.
 *  Errors: GOLEAK_EIO (cannot open or read; err names the file and the
 *  system's reason), and those of goleak_unit_parse. */
GOLEAK_API int goleak_unit_parse_file(goleak_unit **out, const char *path,
                                      const goleak_parse_options *opts, goleak_error *err);

/** Frees a unit and everything borrowed from it (tokens, nodes, texts).
 *  NULL is accepted. */
GOLEAK_API void goleak_unit_free(goleak_unit *unit);

/** The path given at parse time ("" when none); owned by the unit. */
GOLEAK_API const char *goleak_unit_path(const goleak_unit *unit);

/** The unit's source bytes (*len receives their count when len is not NULL);
 *  owned by the unit. The buffer is followed by a NUL byte. */
GOLEAK_API const char *goleak_unit_source(const goleak_unit *unit, size_t *len);

/** The number of lines of the source (a final newline starts an empty last line). */
GOLEAK_API size_t goleak_unit_line_count(const goleak_unit *unit);

/** The position of a byte offset (offsets past the end are clamped). */
GOLEAK_API goleak_pos goleak_unit_pos(const goleak_unit *unit, size_t offset);

/* ---- diagnostics: lexical and syntax errors, sorted by position ---- */

/** The number of diagnostics (lexical and syntax errors) of the unit. */
GOLEAK_API size_t goleak_unit_diagnostic_count(const goleak_unit *unit);

/** The message of diagnostic i ("illegal character U+0023 '#'", "expected
 *  ';', found ..."), or NULL when i is out of range; owned by the unit. */
GOLEAK_API const char *goleak_unit_diagnostic_message(const goleak_unit *unit, size_t i);

/** The position of diagnostic i (all zero when i is out of range). */
GOLEAK_API goleak_pos goleak_unit_diagnostic_pos(const goleak_unit *unit, size_t i);

/** 1 when diagnostic i comes from the lexer, 0 from the parser, -1 out of range. */
GOLEAK_API int goleak_unit_diagnostic_is_lexical(const goleak_unit *unit, size_t i);

/* ---- tokens: the stream the parser reads, comments excluded ---- */

/** The number of tokens, the final EOF token included. Comments are not
 *  tokens here; see goleak_unit_comment_count. */
GOLEAK_API size_t goleak_unit_token_count(const goleak_unit *unit);

/** The kind (goleak_token_kind) of token i, or -1 when i is out of range. */
GOLEAK_API int goleak_unit_token_kind(const goleak_unit *unit, size_t i);

/** The source span of token i (zero span when out of range). An automatic
 *  semicolon and EOF have an empty span. */
GOLEAK_API goleak_span goleak_unit_token_span(const goleak_unit *unit, size_t i);

/** The source text of token i (*len receives its length): a pointer into the
 *  unit's source, not NUL-terminated, valid as long as the unit. An
 *  automatic semicolon and EOF give an empty text. NULL when out of range. */
GOLEAK_API const char *goleak_unit_token_text(const goleak_unit *unit, size_t i, size_t *len);

/** 1 when token i is a semicolon inserted automatically (at a newline, a
 *  comment or the end of file), 0 otherwise. */
GOLEAK_API int goleak_unit_token_is_automatic(const goleak_unit *unit, size_t i);

/** The index of the token whose span contains offset, or the first token
 *  after it; GOLEAK_NONE when offset is past the EOF token. */
GOLEAK_API size_t goleak_unit_token_at(const goleak_unit *unit, size_t offset);

/** The number of comments. */
GOLEAK_API size_t goleak_unit_comment_count(const goleak_unit *unit);

/** The span of comment i (zero span when out of range). */
GOLEAK_API goleak_span goleak_unit_comment_span(const goleak_unit *unit, size_t i);

/** The raw text of comment i, from its "//" or "slash-star" to its end (the newline of a
 *  line comment excluded); a pointer into the source (*len receives the
 *  length). NULL when out of range. */
GOLEAK_API const char *goleak_unit_comment_text(const goleak_unit *unit, size_t i, size_t *len);

/** 1 when the unit's tree stops short because the source nests deeper
 *  than max_depth (a diagnostic "exceeded max nesting depth" says where;
 *  rules see only what comes before), 0 otherwise or for NULL. */
GOLEAK_API int goleak_unit_truncated(const goleak_unit *unit);

/* ========================================================================
 * Skeleton tree
 * ======================================================================== */

/** Node kinds of the skeleton tree. The tree keeps declarations, statements,
 *  calls, receives, function and composite literals, slice expressions,
 *  struct and interface types, and typed slots (EXPR and TYPE wrappers)
 *  for the expressions and types that rules ask about. Identifiers,
 *  operators and other expressions are not nodes: read them as tokens. */
enum goleak_node_kind {
    GOLEAK_NODE_FILE,       /**< root; children: PACKAGE, GENDECL, FUNC */
    GOLEAK_NODE_PACKAGE,    /**< package clause; key: the name */
    GOLEAK_NODE_GENDECL,    /**< import/const/type/var declaration; key: the keyword */
    GOLEAK_NODE_IMPORT,     /**< import spec; key: the path literal */
    GOLEAK_NODE_SPEC,       /**< const/var/type spec; key: first name */
    GOLEAK_NODE_FUNC,       /**< function or method declaration; key: the name */
    GOLEAK_NODE_FUNCLIT,    /**< function literal; key: `func` */
    GOLEAK_NODE_FUNCTYPE,   /**< function type (not a literal); key: `func` */
    GOLEAK_NODE_STRUCTTYPE, /**< struct type; children: FIELD */
    GOLEAK_NODE_IFACETYPE,  /**< interface type; children: FIELD */
    GOLEAK_NODE_FIELD,      /**< parameter, result, receiver, type parameter,
                                 struct field or interface element: names then
                                 a TYPE child; key: first name or GOLEAK_NONE */
    GOLEAK_NODE_TYPE,       /**< a type slot (of a FIELD, SPEC, type switch case) */
    GOLEAK_NODE_BLOCK,      /**< { statements } */
    GOLEAK_NODE_EXPRSTMT,   /**< expression statement */
    GOLEAK_NODE_SEND,       /**< ch <- v; key: the arrow */
    GOLEAK_NODE_INCDEC,     /**< x++ / x--; key: the operator */
    GOLEAK_NODE_ASSIGN,     /**< = := op=; key: the operator */
    GOLEAK_NODE_GO,         /**< go statement; child: the CALL */
    GOLEAK_NODE_DEFER,      /**< defer statement; child: the CALL */
    GOLEAK_NODE_RETURN,     /**< return statement; children: EXPR (RESULT) */
    GOLEAK_NODE_BRANCH,     /**< break/continue/goto/fallthrough; key: the keyword */
    GOLEAK_NODE_LABELED,    /**< labeled statement; key: the label */
    GOLEAK_NODE_IF,         /**< if; children INIT, COND, BODY, ELSE */
    GOLEAK_NODE_SWITCH,     /**< expression switch; INIT, TAG, CASE clauses */
    GOLEAK_NODE_TYPESWITCH, /**< type switch; INIT, TAG (the guard statement), CASE */
    GOLEAK_NODE_CASE,       /**< case/default clause; key: `case`/`default` */
    GOLEAK_NODE_SELECT,     /**< select statement; children: COMM clauses */
    GOLEAK_NODE_COMM,       /**< select case/default; COMM child, then statements */
    GOLEAK_NODE_FOR,        /**< for loop (not range); INIT, COND, POST, BODY */
    GOLEAK_NODE_RANGE,      /**< for range; KEY, VALUE, X, BODY; key: `range` */
    GOLEAK_NODE_EMPTY,      /**< empty statement */
    GOLEAK_NODE_BAD,        /**< unparsable statement or declaration */
    GOLEAK_NODE_EXPR,       /**< an expression slot (argument, operand, value...) */
    GOLEAK_NODE_CALL,       /**< call or conversion; key: `(`; children: callee
                                 parts, then EXPR (ARG) */
    GOLEAK_NODE_RECV,       /**< receive <-x; key: the arrow */
    GOLEAK_NODE_COMPOSITE,  /**< composite literal T{...}; key: `{` */
    GOLEAK_NODE_SLICE,      /**< slice expression x[a:b(:c)]; key: `[` */
    GOLEAK_NODE_KIND_COUNT
};

/** The role of a node in its parent: which slot it fills. */
enum goleak_node_role {
    GOLEAK_ROLE_NONE,   /**< a statement of a block, or nested in an expression */
    GOLEAK_ROLE_BODY,   /**< body BLOCK of a function, loop, if */
    GOLEAK_ROLE_INIT,   /**< init statement of if/for/switch */
    GOLEAK_ROLE_COND,   /**< condition of if/for */
    GOLEAK_ROLE_POST,   /**< post statement of for */
    GOLEAK_ROLE_ELSE,   /**< else branch (IF or BLOCK) */
    GOLEAK_ROLE_TAG,    /**< switch tag, or type switch guard statement */
    GOLEAK_ROLE_KEY,    /**< range key, composite literal key */
    GOLEAK_ROLE_VALUE,  /**< range value, composite value, spec value, sent value */
    GOLEAK_ROLE_X,      /**< ranged expression */
    GOLEAK_ROLE_LHS,    /**< assignment left-hand side */
    GOLEAK_ROLE_RHS,    /**< assignment right-hand side */
    GOLEAK_ROLE_ARG,    /**< call argument */
    GOLEAK_ROLE_RESULT, /**< returned expression, or result FIELD of a signature */
    GOLEAK_ROLE_PARAM,  /**< parameter FIELD */
    GOLEAK_ROLE_RECV,   /**< receiver FIELD */
    GOLEAK_ROLE_TPARAM, /**< type parameter FIELD */
    GOLEAK_ROLE_TYPE,   /**< TYPE slot */
    GOLEAK_ROLE_ELEM,   /**< composite literal element without key */
    GOLEAK_ROLE_CASE,   /**< expression or type listed by a case clause */
    GOLEAK_ROLE_CHAN,   /**< channel of a send */
    GOLEAK_ROLE_COMM,   /**< the send/receive statement of a select case */
    GOLEAK_ROLE_FIELD,  /**< struct field or interface element */
    GOLEAK_ROLE_COUNT
};

/** A node of a unit's skeleton tree; borrowed from its unit, valid until the
 *  unit is freed. All node getters accept NULL and then return NULL, -1,
 *  GOLEAK_NONE or an empty span. */
typedef struct goleak_node goleak_node;

/** The root node (kind FILE) of the unit, or NULL when the unit was parsed
 *  with GOLEAK_PARSE_TOKENS_ONLY. */
GOLEAK_API const goleak_node *goleak_unit_root(const goleak_unit *unit);

/** The number of nodes of the unit's tree. */
GOLEAK_API size_t goleak_unit_node_count(const goleak_unit *unit);

/** The unit a node belongs to. */
GOLEAK_API const goleak_unit *goleak_node_unit(const goleak_node *node);

/** The node's kind (goleak_node_kind) and its role in its parent. */
GOLEAK_API int goleak_node_kind(const goleak_node *node);
GOLEAK_API int goleak_node_role(const goleak_node *node);

/** Names of kinds and roles ("call", "assign", ...; "arg", "body", ...): static. */
GOLEAK_API const char *goleak_node_kind_name(int kind);
GOLEAK_API const char *goleak_node_role_name(int role);

/** Tree links; NULL when there is none. */
GOLEAK_API const goleak_node *goleak_node_parent(const goleak_node *node);
GOLEAK_API const goleak_node *goleak_node_first_child(const goleak_node *node);
GOLEAK_API const goleak_node *goleak_node_next_sibling(const goleak_node *node);

/** The number of children, and child i (NULL when out of range; O(i)). */
GOLEAK_API size_t goleak_node_child_count(const goleak_node *node);
GOLEAK_API const goleak_node *goleak_node_child(const goleak_node *node, size_t i);

/** The first child with the given role, or NULL. */
GOLEAK_API const goleak_node *goleak_node_child_by_role(const goleak_node *node, int role);

/** The node's first and last token indices (inclusive). A node with no
 *  tokens (recovered from an error) has last == first - 1. */
GOLEAK_API size_t goleak_node_first_token(const goleak_node *node);
GOLEAK_API size_t goleak_node_last_token(const goleak_node *node);

/** The node's key token (see goleak_node_kind: the name of a FUNC, the `(`
 *  of a CALL, the operator of an ASSIGN, ...) or GOLEAK_NONE. */
GOLEAK_API size_t goleak_node_key_token(const goleak_node *node);

/** The node's source span, from its first token's start to its last token's end. */
GOLEAK_API goleak_span goleak_node_span(const goleak_node *node);

/** The node's position as Go's go/ast reports it (the `(` of a call, the
 *  path of an import, the first token otherwise). */
GOLEAK_API goleak_pos goleak_node_pos(const goleak_node *node);

/** The node's source text (*len receives its length); a pointer into the
 *  unit's source, not NUL-terminated. */
GOLEAK_API const char *goleak_node_text(const goleak_node *node, size_t *len);

/** Node flags (goleak_node_flags). */
GOLEAK_API unsigned int goleak_node_flags(const goleak_node *node);

/** Flag bits of goleak_node_flags. */
enum goleak_node_flag {
    GOLEAK_NODE_FLAG_DEFAULT = 1u << 0,  /**< CASE/COMM: the default clause */
    GOLEAK_NODE_FLAG_ELLIPSIS = 1u << 1, /**< CALL: last argument spread with ... */
    GOLEAK_NODE_FLAG_METHOD = 1u << 2,   /**< FUNC: has a receiver */
    GOLEAK_NODE_FLAG_SLICE3 = 1u << 3,   /**< SLICE: three-index slice */
    GOLEAK_NODE_FLAG_DEFINE = 1u << 4,   /**< RANGE: declares with := */
    GOLEAK_NODE_FLAG_ALIAS = 1u << 5,    /**< SPEC: type alias (type A = B) */
    GOLEAK_NODE_FLAG_EMBEDDED = 1u << 6  /**< FIELD: no names (embedded, or unnamed parameter) */
};

/* ========================================================================
 * Engine, rules and findings
 * ======================================================================== */

/** A configured set of rules. Configure it (add rules, enable, set
 *  options), then share it read-only: goleak_check may run on many threads
 *  at once with the same engine. Configuring while checks run is not
 *  allowed. */
typedef struct goleak_engine goleak_engine;

/** A rule registered in an engine; borrowed from the engine. */
typedef struct goleak_rule goleak_rule;

/** The context of one rule running on one unit, passed to rule callbacks;
 *  valid only during the callback. */
typedef struct goleak_check goleak_check;

/** The findings of one check (goleak_engine_check), sorted by position;
 *  owned by the caller. */
typedef struct goleak_findings goleak_findings;

/** One finding; borrowed from its goleak_findings. */
typedef struct goleak_finding goleak_finding;

/** Severities. */
enum goleak_severity {
    GOLEAK_SEVERITY_INFO = 0,
    GOLEAK_SEVERITY_WARNING = 1,
    GOLEAK_SEVERITY_ERROR = 2
};

/** Options of a new engine; initialise with GOLEAK_ENGINE_OPTIONS_INIT. */
typedef struct goleak_engine_options {
    unsigned int version;              /**< GOLEAK_ENGINE_OPTIONS_VERSION */
    const goleak_allocator *allocator; /**< NULL: malloc/realloc/free */
} goleak_engine_options;

#define GOLEAK_ENGINE_OPTIONS_VERSION 1
#define GOLEAK_ENGINE_OPTIONS_INIT                                                                 \
    { GOLEAK_ENGINE_OPTIONS_VERSION, NULL }

/** Creates an engine with no rules in *out (caller owns it:
 *  goleak_engine_free). NULL options mean the defaults.
 *  Errors: GOLEAK_EINVAL, GOLEAK_ENOMEM. */
GOLEAK_API int goleak_engine_new(goleak_engine **out, const goleak_engine_options *opts,
                                 goleak_error *err);

/** Frees an engine and its rules (calling their free_user_data). NULL is accepted. */
GOLEAK_API void goleak_engine_free(goleak_engine *engine);

/** Registers the built-in rules (GL001...), all enabled.
 *  Errors: GOLEAK_EEXISTS (already added), GOLEAK_ENOMEM. */
GOLEAK_API int goleak_engine_add_builtin_rules(goleak_engine *engine, goleak_error *err);

/** A rule callback: called once per unit checked. It inspects the unit
 *  (goleak_check_unit) and reports with goleak_check_report*. Return 0, or
 *  a non-zero value to fail the check with GOLEAK_EUSER. */
typedef int (*goleak_rule_fn)(goleak_check *check, void *user_data);

/** The description of a rule to register; initialise with
 *  GOLEAK_RULE_DEF_INIT. Strings are copied at registration. */
typedef struct goleak_rule_def {
    unsigned int version; /**< GOLEAK_RULE_DEF_VERSION */
    const char *id;       /**< unique id, e.g. "XY001" (letters, digits, '-', '_') */
    const char *name;     /**< kebab-case name, e.g. "conn-not-closed" */
    int severity;         /**< goleak_severity */
    const char *summary;  /**< one line */
    const char *doc;      /**< documentation (goleak explain), may be NULL */
    const char *go_min;   /**< applies from this Go version ("1.21"), NULL: any */
    const char *go_below; /**< applies below this Go version ("1.23"), NULL: any */
    goleak_rule_fn check; /**< the callback */
    void *user_data;      /**< passed to check */
    void (*free_user_data)(void *user_data); /**< called when the engine is freed; may be NULL */
} goleak_rule_def;

#define GOLEAK_RULE_DEF_VERSION 1
#define GOLEAK_RULE_DEF_INIT                                                                       \
    {                                                                                              \
        GOLEAK_RULE_DEF_VERSION, NULL, NULL, GOLEAK_SEVERITY_WARNING, NULL, NULL, NULL, NULL,      \
            NULL, NULL, NULL                                                                       \
    }

/** Registers a rule (enabled). On success the engine owns user_data (and
 *  frees it with free_user_data); on failure the caller keeps it.
 *  Errors: GOLEAK_EINVAL (missing id/name/check, bad id or version
 *  string), GOLEAK_EEXISTS (id or name taken), GOLEAK_ENOMEM. */
GOLEAK_API int goleak_engine_register_rule(goleak_engine *engine, const goleak_rule_def *def,
                                           goleak_error *err);

/** The number of rules, and rule i in registration order (NULL out of range). */
GOLEAK_API size_t goleak_engine_rule_count(const goleak_engine *engine);
GOLEAK_API const goleak_rule *goleak_engine_rule(const goleak_engine *engine, size_t i);

/** The rule with this id or name (case-sensitive), or NULL. */
GOLEAK_API const goleak_rule *goleak_engine_find_rule(const goleak_engine *engine,
                                                      const char *id_or_name);

/** Enables or disables rules: a comma-separated list of ids or names, or
 *  "all". Errors: GOLEAK_ENOTFOUND naming the unknown entry (nothing is
 *  changed then), GOLEAK_EINVAL. */
GOLEAK_API int goleak_engine_enable_rules(goleak_engine *engine, const char *list, int enabled,
                                          goleak_error *err);

/** Sets an option of a rule (e.g. GL004 "threshold" "131072"). The rule's
 *  callback reads it with goleak_check_option. Errors: GOLEAK_ENOTFOUND
 *  (no such rule), GOLEAK_EINVAL (the rule rejects the key or value),
 *  GOLEAK_ENOMEM. */
GOLEAK_API int goleak_engine_set_option(goleak_engine *engine, const char *rule, const char *key,
                                        const char *value, goleak_error *err);

/** Rule getters; strings are owned by the engine. */
GOLEAK_API const char *goleak_rule_id(const goleak_rule *rule);
GOLEAK_API const char *goleak_rule_name(const goleak_rule *rule);
GOLEAK_API int goleak_rule_severity(const goleak_rule *rule);
GOLEAK_API const char *goleak_rule_summary(const goleak_rule *rule);
GOLEAK_API const char *goleak_rule_doc(const goleak_rule *rule); /**< "" when none */
GOLEAK_API int goleak_rule_enabled(const goleak_rule *rule);
/** The Go versions the rule applies to, e.g. "any", "< 1.23", ">= 1.21". Static or owned by the
 * engine. */
GOLEAK_API const char *goleak_rule_go_versions(const goleak_rule *rule);

/** "error", "warning" or "info". */
GOLEAK_API const char *goleak_severity_name(int severity);

/** Check flags (goleak_check_options.flags). */
enum goleak_check_flag {
    /** Report each suppression comment that suppressed nothing (rule GL000). */
    GOLEAK_CHECK_REPORT_UNUSED_IGNORES = 1u << 0
};

/** Options of a check; initialise with GOLEAK_CHECK_OPTIONS_INIT. */
typedef struct goleak_check_options {
    unsigned int version;   /**< GOLEAK_CHECK_OPTIONS_VERSION */
    const char *go_version; /**< the module's Go version ("1.22", "go1.22.3"); NULL: unknown */
    unsigned int flags;     /**< goleak_check_flag bits */
} goleak_check_options;

#define GOLEAK_CHECK_OPTIONS_VERSION 1
#define GOLEAK_CHECK_OPTIONS_INIT                                                                  \
    { GOLEAK_CHECK_OPTIONS_VERSION, NULL, 0 }

/** Runs every enabled rule on a parsed unit; *out receives the findings
 *  (caller owns them: goleak_findings_free), sorted by position and
 *  without duplicates, suppression comments applied. Rules whose Go
 *  versions exclude the given version are skipped; with an unknown version
 *  they run and their messages say which versions the leak concerns.
 *  Errors: GOLEAK_EINVAL (bad version string, NULL arguments, a unit
 *  parsed with GOLEAK_PARSE_TOKENS_ONLY), GOLEAK_EUSER (a callback failed;
 *  err names the rule), GOLEAK_ENOMEM. */
GOLEAK_API int goleak_engine_check(goleak_findings **out, const goleak_engine *engine,
                                   const goleak_unit *unit, const goleak_check_options *opts,
                                   goleak_error *err);

/* ---- inside a rule callback ---- */

/** The unit being checked. */
GOLEAK_API const goleak_unit *goleak_check_unit(const goleak_check *check);

/** The value of the running rule's option key (goleak_engine_set_option),
 *  or NULL when unset. Owned by the engine. */
GOLEAK_API const char *goleak_check_option(const goleak_check *check, const char *key);

/** The Go minor version of the check (22 for "1.22"), or -1 when unknown. */
GOLEAK_API int goleak_check_go_minor(const goleak_check *check);

/** Reports a finding of the running rule at a node (its span), with a
 *  message (copied). Errors: GOLEAK_EINVAL, GOLEAK_ENOMEM. */
GOLEAK_API int goleak_check_report(goleak_check *check, const goleak_node *node,
                                   const char *message);

/** Reports a finding spanning tokens [first, last] of the unit. */
GOLEAK_API int goleak_check_report_tokens(goleak_check *check, size_t first, size_t last,
                                          const char *message);

/* ---- findings ---- */

/** The number of findings, and finding i (NULL when out of range). */
GOLEAK_API size_t goleak_findings_count(const goleak_findings *findings);
GOLEAK_API const goleak_finding *goleak_findings_get(const goleak_findings *findings, size_t i);

/** Frees findings; NULL is accepted. */
GOLEAK_API void goleak_findings_free(goleak_findings *findings);

/** Finding getters; strings are owned by the findings object. */
GOLEAK_API const char *goleak_finding_rule_id(const goleak_finding *f);
GOLEAK_API const char *goleak_finding_rule_name(const goleak_finding *f);
GOLEAK_API int goleak_finding_severity(const goleak_finding *f);
GOLEAK_API const char *goleak_finding_message(const goleak_finding *f);
GOLEAK_API const char *goleak_finding_path(const goleak_finding *f);
GOLEAK_API goleak_span goleak_finding_span(const goleak_finding *f);

/* ========================================================================
 * Go modules
 * ======================================================================== */

/** The minor number of a Go version string ("1.22", "go1.22.3", "1.23rc1"
 *  give 22, 22, 23), or -1 when the string is not a Go 1 version. */
GOLEAK_API int goleak_go_version_minor(const char *version);

/** Finds the Go version of the module a file or directory belongs to: the
 *  `go` line of the nearest go.mod in path's directory or above (a go.mod
 *  without one means "1.16", as the go command says). Writes it ("1.22",
 *  "1.21.3") into buf (size bytes, NUL-terminated). The go.mod is read as
 *  a stream: lines of any length, and files of any size, in constant memory.
 *  Errors: GOLEAK_ENOTFOUND (no go.mod), GOLEAK_ESYNTAX (the go line is not
 *  a Go version: err names the go.mod, its line and column), GOLEAK_ERANGE
 *  (buf too small), GOLEAK_EINVAL, GOLEAK_EIO. */
GOLEAK_API int goleak_go_version_for_path(char *buf, size_t size, const char *path,
                                          goleak_error *err);

#ifdef __cplusplus
}
#endif

#endif /* GOLEAK_H */
