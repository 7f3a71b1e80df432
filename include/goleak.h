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
 *  - "Absent" has one spelling per return type: a pointer (handle, node,
 *    string) is NULL; a token or node index (size_t) is GOLEAK_NONE; an
 *    enumeration value (kind, role, severity, use, target) is -1; a count is
 *    0; a predicate is 0; a position or span is all zeros (line 0). The same
 *    values answer invalid arguments (NULL handles, indexes out of range).
 *    Only goleak_strerror() and goleak_version_string() never return NULL.
 *  - Enumerations have explicit values that never change; new values are
 *    only appended. Functions take and return them as `int`, and the
 *    library's own counts are available at run time (goleak_*_count()), as a
 *    newer library may know more kinds than this header.
 *  - Option and definition structs start with a `version` field. Set it with
 *    the `*_INIT` macro or the matching `goleak_*_init()` function; fields
 *    are only ever appended.
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
#define GOLEAK_ABI_VERSION        2
#define GOLEAK_ABI_MIN_COMPATIBLE 2

/** The ABI version of the running library (GOLEAK_ABI_VERSION it was built with). */
GOLEAK_API int goleak_abi_version(void);

/* ========================================================================
 * Errors
 * ======================================================================== */

/** The status every fallible function returns: GOLEAK_OK (0) or one of the
 *  negative codes of enum goleak_status_codes. */
typedef int goleak_status;

/** Status codes. 0 is success; errors are negative. */
enum goleak_status_codes {
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

/** The message of the last failure, NULL when none; owned by err, valid
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
#define GOLEAK_ALLOCATOR_INIT                                                                      \
    { GOLEAK_ALLOCATOR_VERSION, NULL, NULL, NULL, NULL }

/** Sets *a to GOLEAK_ALLOCATOR_INIT for the given struct version (pass
 *  GOLEAK_ALLOCATOR_VERSION). Errors: GOLEAK_EINVAL (NULL, unknown version). */
GOLEAK_API goleak_status goleak_allocator_init(goleak_allocator *a, unsigned int version);

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
enum goleak_token_kinds {
    GOLEAK_TOKEN_ILLEGAL = 0,
    GOLEAK_TOKEN_EOF = 1,
    GOLEAK_TOKEN_COMMENT = 2,
    GOLEAK_TOKEN_IDENT = 3,
    GOLEAK_TOKEN_INT = 4,
    GOLEAK_TOKEN_FLOAT = 5,
    GOLEAK_TOKEN_IMAG = 6,
    GOLEAK_TOKEN_CHAR = 7,
    GOLEAK_TOKEN_STRING = 8,
    /* operators and delimiters */
    GOLEAK_TOKEN_ADD = 9,             /* + */
    GOLEAK_TOKEN_SUB = 10,            /* - */
    GOLEAK_TOKEN_MUL = 11,            /* * */
    GOLEAK_TOKEN_QUO = 12,            /* / */
    GOLEAK_TOKEN_REM = 13,            /* % */
    GOLEAK_TOKEN_AND = 14,            /* & */
    GOLEAK_TOKEN_OR = 15,             /* | */
    GOLEAK_TOKEN_XOR = 16,            /* ^ */
    GOLEAK_TOKEN_SHL = 17,            /* << */
    GOLEAK_TOKEN_SHR = 18,            /* >> */
    GOLEAK_TOKEN_AND_NOT = 19,        /* &^ */
    GOLEAK_TOKEN_ADD_ASSIGN = 20,     /* += */
    GOLEAK_TOKEN_SUB_ASSIGN = 21,     /* -= */
    GOLEAK_TOKEN_MUL_ASSIGN = 22,     /* *= */
    GOLEAK_TOKEN_QUO_ASSIGN = 23,     /* /= */
    GOLEAK_TOKEN_REM_ASSIGN = 24,     /* %= */
    GOLEAK_TOKEN_AND_ASSIGN = 25,     /* &= */
    GOLEAK_TOKEN_OR_ASSIGN = 26,      /* |= */
    GOLEAK_TOKEN_XOR_ASSIGN = 27,     /* ^= */
    GOLEAK_TOKEN_SHL_ASSIGN = 28,     /* <<= */
    GOLEAK_TOKEN_SHR_ASSIGN = 29,     /* >>= */
    GOLEAK_TOKEN_AND_NOT_ASSIGN = 30, /* &^= */
    GOLEAK_TOKEN_LAND = 31,           /* && */
    GOLEAK_TOKEN_LOR = 32,            /* || */
    GOLEAK_TOKEN_ARROW = 33,          /* <- */
    GOLEAK_TOKEN_INC = 34,            /* ++ */
    GOLEAK_TOKEN_DEC = 35,            /* -- */
    GOLEAK_TOKEN_EQL = 36,            /* == */
    GOLEAK_TOKEN_LSS = 37,            /* < */
    GOLEAK_TOKEN_GTR = 38,            /* > */
    GOLEAK_TOKEN_ASSIGN = 39,         /* = */
    GOLEAK_TOKEN_NOT = 40,            /* ! */
    GOLEAK_TOKEN_NEQ = 41,            /* != */
    GOLEAK_TOKEN_LEQ = 42,            /* <= */
    GOLEAK_TOKEN_GEQ = 43,            /* >= */
    GOLEAK_TOKEN_DEFINE = 44,         /* := */
    GOLEAK_TOKEN_ELLIPSIS = 45,       /* ... */
    GOLEAK_TOKEN_LPAREN = 46,         /* ( */
    GOLEAK_TOKEN_LBRACK = 47,         /* [ */
    GOLEAK_TOKEN_LBRACE = 48,         /* { */
    GOLEAK_TOKEN_COMMA = 49,          /* , */
    GOLEAK_TOKEN_PERIOD = 50,         /* . */
    GOLEAK_TOKEN_RPAREN = 51,         /* ) */
    GOLEAK_TOKEN_RBRACK = 52,         /* ] */
    GOLEAK_TOKEN_RBRACE = 53,         /* } */
    GOLEAK_TOKEN_SEMICOLON = 54,      /* ; (explicit or automatic) */
    GOLEAK_TOKEN_COLON = 55,          /* : */
    GOLEAK_TOKEN_TILDE = 56,          /* ~ */
    /* keywords */
    GOLEAK_TOKEN_BREAK = 57,
    GOLEAK_TOKEN_CASE = 58,
    GOLEAK_TOKEN_CHAN = 59,
    GOLEAK_TOKEN_CONST = 60,
    GOLEAK_TOKEN_CONTINUE = 61,
    GOLEAK_TOKEN_DEFAULT = 62,
    GOLEAK_TOKEN_DEFER = 63,
    GOLEAK_TOKEN_ELSE = 64,
    GOLEAK_TOKEN_FALLTHROUGH = 65,
    GOLEAK_TOKEN_FOR = 66,
    GOLEAK_TOKEN_FUNC = 67,
    GOLEAK_TOKEN_GO = 68,
    GOLEAK_TOKEN_GOTO = 69,
    GOLEAK_TOKEN_IF = 70,
    GOLEAK_TOKEN_IMPORT = 71,
    GOLEAK_TOKEN_INTERFACE = 72,
    GOLEAK_TOKEN_MAP = 73,
    GOLEAK_TOKEN_PACKAGE = 74,
    GOLEAK_TOKEN_RANGE = 75,
    GOLEAK_TOKEN_RETURN = 76,
    GOLEAK_TOKEN_SELECT = 77,
    GOLEAK_TOKEN_STRUCT = 78,
    GOLEAK_TOKEN_SWITCH = 79,
    GOLEAK_TOKEN_TYPE = 80,
    GOLEAK_TOKEN_VAR = 81,
    GOLEAK_TOKEN_KIND_COUNT = 82
};

/** Go's name of a token kind: "IDENT", "+", "break", ... Static; NULL for an
 *  out-of-range kind. */
GOLEAK_API const char *goleak_token_kind_name(int kind);

/** The number of token kinds this library knows (its GOLEAK_TOKEN_KIND_COUNT). */
GOLEAK_API int goleak_token_kind_count(void);

/* ========================================================================
 * Units: one parsed Go file
 * ======================================================================== */

/** One parsed Go source file: its bytes, tokens, comments, diagnostics and
 *  skeleton tree, all owned by the unit and freed by goleak_unit_free. */
typedef struct goleak_unit goleak_unit;

/** Parse flags (goleak_parse_options.flags). */
enum goleak_parse_flag_bits {
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

/** Sets *opts to GOLEAK_PARSE_OPTIONS_INIT for the given struct version.
 *  Errors: GOLEAK_EINVAL (NULL, unknown version). */
GOLEAK_API goleak_status goleak_parse_options_init(goleak_parse_options *opts,
                                                   unsigned int version);

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
GOLEAK_API goleak_status goleak_unit_parse(goleak_unit **out, const char *path, const char *src,
                                           size_t len, const goleak_parse_options *opts,
                                           goleak_error *err);

/** Reads the file at path and parses it as goleak_unit_parse does.
 *  Errors: GOLEAK_EIO (cannot open or read; err names the file and the
 *  system's reason), and those of goleak_unit_parse. */
GOLEAK_API goleak_status goleak_unit_parse_file(goleak_unit **out, const char *path,
                                                const goleak_parse_options *opts,
                                                goleak_error *err);

/** Frees a unit and everything borrowed from it (tokens, nodes, texts).
 *  NULL is accepted. */
GOLEAK_API void goleak_unit_free(goleak_unit *unit);

/** The path given at parse time, NULL when none; owned by the unit. */
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
enum goleak_node_kinds {
    GOLEAK_NODE_FILE = 0,        /**< root; children: PACKAGE, GENDECL, FUNC */
    GOLEAK_NODE_PACKAGE = 1,     /**< package clause; key: the name */
    GOLEAK_NODE_GENDECL = 2,     /**< import/const/type/var declaration; key: the keyword */
    GOLEAK_NODE_IMPORT = 3,      /**< import spec; key: the path literal */
    GOLEAK_NODE_SPEC = 4,        /**< const/var/type spec; key: first name */
    GOLEAK_NODE_FUNC = 5,        /**< function or method declaration; key: the name */
    GOLEAK_NODE_FUNCLIT = 6,     /**< function literal; key: `func` */
    GOLEAK_NODE_FUNCTYPE = 7,    /**< function type (not a literal); key: `func` */
    GOLEAK_NODE_STRUCTTYPE = 8,  /**< struct type; children: FIELD */
    GOLEAK_NODE_IFACETYPE = 9,   /**< interface type; children: FIELD */
    GOLEAK_NODE_FIELD = 10,      /**< parameter, result, receiver, type parameter,
                                 struct field or interface element: names then
                                 a TYPE child; key: first name or GOLEAK_NONE */
    GOLEAK_NODE_TYPE = 11,       /**< a type slot (of a FIELD, SPEC, type switch case) */
    GOLEAK_NODE_BLOCK = 12,      /**< { statements } */
    GOLEAK_NODE_EXPRSTMT = 13,   /**< expression statement */
    GOLEAK_NODE_SEND = 14,       /**< ch <- v; key: the arrow */
    GOLEAK_NODE_INCDEC = 15,     /**< x++ / x--; key: the operator */
    GOLEAK_NODE_ASSIGN = 16,     /**< = := op=; key: the operator */
    GOLEAK_NODE_GO = 17,         /**< go statement; child: the CALL */
    GOLEAK_NODE_DEFER = 18,      /**< defer statement; child: the CALL */
    GOLEAK_NODE_RETURN = 19,     /**< return statement; children: EXPR (RESULT) */
    GOLEAK_NODE_BRANCH = 20,     /**< break/continue/goto/fallthrough; key: the keyword */
    GOLEAK_NODE_LABELED = 21,    /**< labeled statement; key: the label */
    GOLEAK_NODE_IF = 22,         /**< if; children INIT, COND, BODY, ELSE */
    GOLEAK_NODE_SWITCH = 23,     /**< expression switch; INIT, TAG, CASE clauses */
    GOLEAK_NODE_TYPESWITCH = 24, /**< type switch; INIT, TAG (the guard statement), CASE */
    GOLEAK_NODE_CASE = 25,       /**< case/default clause; key: `case`/`default` */
    GOLEAK_NODE_SELECT = 26,     /**< select statement; children: COMM clauses */
    GOLEAK_NODE_COMM = 27,       /**< select case/default; COMM child, then statements */
    GOLEAK_NODE_FOR = 28,        /**< for loop (not range); INIT, COND, POST, BODY */
    GOLEAK_NODE_RANGE = 29,      /**< for range; KEY, VALUE, X, BODY; key: `range` */
    GOLEAK_NODE_EMPTY = 30,      /**< empty statement */
    GOLEAK_NODE_BAD = 31,        /**< unparsable statement or declaration */
    GOLEAK_NODE_EXPR = 32,       /**< an expression slot (argument, operand, value...) */
    GOLEAK_NODE_CALL = 33,       /**< call or conversion; key: `(`; children: callee
                                 parts, then EXPR (ARG) */
    GOLEAK_NODE_RECV = 34,       /**< receive <-x; key: the arrow */
    GOLEAK_NODE_COMPOSITE = 35,  /**< composite literal T{...}; key: `{` */
    GOLEAK_NODE_SLICE = 36,      /**< slice expression x[a:b(:c)]; key: `[` */
    GOLEAK_NODE_KIND_COUNT = 37
};

/** The role of a node in its parent: which slot it fills. */
enum goleak_node_roles {
    GOLEAK_ROLE_NONE = 0,    /**< a statement of a block, or nested in an expression */
    GOLEAK_ROLE_BODY = 1,    /**< body BLOCK of a function, loop, if */
    GOLEAK_ROLE_INIT = 2,    /**< init statement of if/for/switch */
    GOLEAK_ROLE_COND = 3,    /**< condition of if/for */
    GOLEAK_ROLE_POST = 4,    /**< post statement of for */
    GOLEAK_ROLE_ELSE = 5,    /**< else branch (IF or BLOCK) */
    GOLEAK_ROLE_TAG = 6,     /**< switch tag, or type switch guard statement */
    GOLEAK_ROLE_KEY = 7,     /**< range key, composite literal key */
    GOLEAK_ROLE_VALUE = 8,   /**< range value, composite value, spec value, sent value */
    GOLEAK_ROLE_X = 9,       /**< ranged expression */
    GOLEAK_ROLE_LHS = 10,    /**< assignment left-hand side */
    GOLEAK_ROLE_RHS = 11,    /**< assignment right-hand side */
    GOLEAK_ROLE_ARG = 12,    /**< call argument */
    GOLEAK_ROLE_RESULT = 13, /**< returned expression, or result FIELD of a signature */
    GOLEAK_ROLE_PARAM = 14,  /**< parameter FIELD */
    GOLEAK_ROLE_RECV = 15,   /**< receiver FIELD */
    GOLEAK_ROLE_TPARAM = 16, /**< type parameter FIELD */
    GOLEAK_ROLE_TYPE = 17,   /**< TYPE slot */
    GOLEAK_ROLE_ELEM = 18,   /**< composite literal element without key */
    GOLEAK_ROLE_CASE = 19,   /**< expression or type listed by a case clause */
    GOLEAK_ROLE_CHAN = 20,   /**< channel of a send */
    GOLEAK_ROLE_COMM = 21,   /**< the send/receive statement of a select case */
    GOLEAK_ROLE_FIELD = 22,  /**< struct field or interface element */
    GOLEAK_ROLE_COUNT = 23
};

/** A node of a unit's skeleton tree; borrowed from its unit, valid until the
 *  unit is freed. All node getters accept NULL and then return NULL, -1,
 *  GOLEAK_NONE or an empty span. */
typedef struct goleak_node goleak_node;

/** The root node (kind FILE) of the unit, or NULL when the unit was parsed
 *  with GOLEAK_PARSE_TOKENS_ONLY. */
GOLEAK_API const goleak_node *goleak_unit_root(const goleak_unit *unit);

/** The name in the unit's package clause (not NUL-terminated: *len bytes,
 *  in the unit's source), or NULL when the unit has no tree or no clause.
 *  Files of one directory with one package name form a package
 *  (goleak_engine_check_package). */
GOLEAK_API const char *goleak_unit_package_name(const goleak_unit *unit, size_t *len);

/** The number of nodes of the unit's tree. */
GOLEAK_API size_t goleak_unit_node_count(const goleak_unit *unit);

/** The unit a node belongs to. */
GOLEAK_API const goleak_unit *goleak_node_unit(const goleak_node *node);

/** The node's kind (enum goleak_node_kinds) and its role in its parent
 *  (enum goleak_node_roles); -1 for NULL. */
GOLEAK_API int goleak_node_kind(const goleak_node *node);
GOLEAK_API int goleak_node_role(const goleak_node *node);

/** Names of kinds and roles ("call", "assign", ...; "arg", "body", ...):
 *  static; NULL out of range. */
GOLEAK_API const char *goleak_node_kind_name(int kind);
GOLEAK_API const char *goleak_node_role_name(int role);

/** The number of node kinds and of roles this library knows. */
GOLEAK_API int goleak_node_kind_count(void);
GOLEAK_API int goleak_node_role_count(void);

/** The bit of a node kind in a kind set (goleak_node_ancestor). */
#define GOLEAK_KIND_BIT(kind) ((uint64_t)1 << (kind))

/** Tree links; NULL when there is none. */
GOLEAK_API const goleak_node *goleak_node_parent(const goleak_node *node);
GOLEAK_API const goleak_node *goleak_node_first_child(const goleak_node *node);
GOLEAK_API const goleak_node *goleak_node_next_sibling(const goleak_node *node);

/** The number of children, and child i (NULL when out of range). Both are
 *  O(number of children): to visit children use first_child/next_sibling
 *  or a goleak_cursor, which are O(1) per step. */
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
enum goleak_node_flag_bits {
    GOLEAK_NODE_FLAG_DEFAULT = 1u << 0,  /**< CASE/COMM: the default clause */
    GOLEAK_NODE_FLAG_ELLIPSIS = 1u << 1, /**< CALL: last argument spread with ... */
    GOLEAK_NODE_FLAG_METHOD = 1u << 2,   /**< FUNC: has a receiver */
    GOLEAK_NODE_FLAG_SLICE3 = 1u << 3,   /**< SLICE: three-index slice */
    GOLEAK_NODE_FLAG_DEFINE = 1u << 4,   /**< RANGE: declares with := */
    GOLEAK_NODE_FLAG_ALIAS = 1u << 5,    /**< SPEC: type alias (type A = B) */
    GOLEAK_NODE_FLAG_EMBEDDED = 1u << 6  /**< FIELD: no names (embedded, or unnamed parameter) */
};

/** A node's index in its unit's node array (0 <= id < goleak_unit_node_count),
 *  stable for the unit's life: a key for the caller's own tables.
 *  GOLEAK_NONE for NULL. */
GOLEAK_API size_t goleak_node_id(const goleak_node *node);

/** The node with that index, NULL out of range (or for a node the parser
 *  dropped while recovering from an error: it is in no tree). */
GOLEAK_API const goleak_node *goleak_unit_node(const goleak_unit *unit, size_t id);

/** The innermost node whose token range holds token i, or NULL (no tree, i
 *  out of range, or a token outside every declaration such as a semicolon
 *  between them, which gives the FILE node). The first call builds an index
 *  of the unit (O(tokens)); later calls are O(1). */
GOLEAK_API const goleak_node *goleak_unit_node_at(const goleak_unit *unit, size_t i);

/** The nearest proper ancestor of node whose kind is in the set `kinds`
 *  (GOLEAK_KIND_BIT(GOLEAK_NODE_FOR) | ...), not looking above an ancestor
 *  whose kind is in `stop` (0: up to the root). NULL when none. */
GOLEAK_API const goleak_node *goleak_node_ancestor(const goleak_node *node, uint64_t kinds,
                                                   uint64_t stop);

/* ---- cursors: walking a subtree ---- */

/** A position in a tree walk, confined to the subtree of the node it starts
 *  at. Every step is O(1) amortised; a cursor allocates nothing while it
 *  walks. Belongs to one thread; valid while its unit lives. */
typedef struct goleak_cursor goleak_cursor;

/** Creates a cursor on node (caller owns it: goleak_cursor_free).
 *  Errors: GOLEAK_EINVAL (NULL), GOLEAK_ENOMEM. On error *out is NULL. */
GOLEAK_API goleak_status goleak_cursor_new(goleak_cursor **out, const goleak_node *node);

/** Frees a cursor; NULL is accepted. */
GOLEAK_API void goleak_cursor_free(goleak_cursor *cursor);

/** Moves the cursor back to a new start node (its walk is then confined to
 *  that subtree). Errors: GOLEAK_EINVAL. */
GOLEAK_API goleak_status goleak_cursor_reset(goleak_cursor *cursor, const goleak_node *node);

/** The node the cursor is on (NULL for a NULL cursor). */
GOLEAK_API const goleak_node *goleak_cursor_node(const goleak_cursor *cursor);

/** The depth of the current node below the start node (0 at the start). */
GOLEAK_API size_t goleak_cursor_depth(const goleak_cursor *cursor);

/** Moves to the first child, the next sibling, or the parent; 1 when it
 *  moved, 0 when there is none (the cursor does not leave its subtree: the
 *  start node has no sibling or parent for it). */
GOLEAK_API int goleak_cursor_goto_first_child(goleak_cursor *cursor);
GOLEAK_API int goleak_cursor_goto_next_sibling(goleak_cursor *cursor);
GOLEAK_API int goleak_cursor_goto_parent(goleak_cursor *cursor);

/** Moves to the next node of the subtree in pre-order (source order); 1 when
 *  it moved, 0 when the walk is over. A complete walk:
 *
 *      goleak_cursor *c;
 *      if (goleak_cursor_new(&c, goleak_unit_root(unit)) == 0) {
 *          do visit(goleak_cursor_node(c), goleak_cursor_depth(c));
 *          while (goleak_cursor_next(c));
 *          goleak_cursor_free(c);
 *      }
 */
GOLEAK_API int goleak_cursor_next(goleak_cursor *cursor);

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
enum goleak_severities {
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

/** Sets *opts to GOLEAK_ENGINE_OPTIONS_INIT for the given struct version.
 *  Errors: GOLEAK_EINVAL (NULL, unknown version). */
GOLEAK_API goleak_status goleak_engine_options_init(goleak_engine_options *opts,
                                                    unsigned int version);

/** Creates an engine with no rules in *out (caller owns it:
 *  goleak_engine_free). NULL options mean the defaults.
 *  Errors: GOLEAK_EINVAL, GOLEAK_ENOMEM. */
GOLEAK_API goleak_status goleak_engine_new(goleak_engine **out, const goleak_engine_options *opts,
                                           goleak_error *err);

/** Frees an engine and its rules (calling their free_user_data). NULL is accepted. */
GOLEAK_API void goleak_engine_free(goleak_engine *engine);

/** Registers the built-in rules (GL001...), all enabled. They are defined
 *  with the same goleak_rule_def as any other rule.
 *  Errors: GOLEAK_EEXISTS (already added), GOLEAK_ENOMEM. */
GOLEAK_API goleak_status goleak_engine_add_builtin_rules(goleak_engine *engine, goleak_error *err);

/** A rule callback: called once per unit checked. It inspects the unit
 *  (goleak_check_unit, the goleak_check_* queries) and reports with
 *  goleak_check_report*. Return 0, or a non-zero value to fail the check
 *  with GOLEAK_EUSER (goleak_check_fail says why). */
typedef int (*goleak_rule_fn)(goleak_check *check, void *user_data);

/** Types of rule options. */
enum goleak_option_types {
    GOLEAK_OPTION_INT = 0,   /**< a decimal integer within [min, max] */
    GOLEAK_OPTION_BOOL = 1,  /**< true/false (also 1/0, yes/no, on/off) */
    GOLEAK_OPTION_STRING = 2 /**< any text */
};

/** One option a rule declares (goleak_rule_def.options). Values are set with
 *  goleak_engine_set_option, validated there against the declaration, and
 *  read by the rule with goleak_check_option / goleak_check_option_int. */
typedef struct goleak_rule_option {
    const char *key;           /**< e.g. "threshold" (letters, digits, '_', '-') */
    int type;                  /**< enum goleak_option_types */
    const char *default_value; /**< the value when unset, as text; NULL: none */
    long long min, max;        /**< INT: the accepted range, both included */
    const char *doc;           /**< one line for `goleak explain`; may be NULL */
} goleak_rule_option;

/** Rule flags (goleak_rule_def.flags). */
enum goleak_rule_flag_bits {
    /** Call this rule from one thread at a time: the engine serialises its
     *  callback when several threads check units with the same engine (for
     *  host languages whose interpreter is not thread-safe). */
    GOLEAK_RULE_SERIALIZED = 1u << 0
};

/** The description of a rule to register; initialise with
 *  GOLEAK_RULE_DEF_INIT or goleak_rule_def_init. Strings and the options
 *  array are copied at registration. */
typedef struct goleak_rule_def {
    unsigned int version; /**< GOLEAK_RULE_DEF_VERSION */
    const char *id;       /**< unique id, e.g. "XY001" (letters, digits, '-', '_') */
    const char *name;     /**< kebab-case name, e.g. "conn-not-closed" */
    int severity;         /**< enum goleak_severities */
    const char *summary;  /**< one line */
    const char *doc;      /**< documentation (goleak explain), may be NULL */
    const char *go_min;   /**< applies from this Go version ("1.21"), NULL: any */
    const char *go_below; /**< applies below this Go version ("1.23"), NULL: any */
    goleak_rule_fn check; /**< the callback */
    void *user_data;      /**< passed to check */
    void (*free_user_data)(void *user_data); /**< called when the engine is freed; may be NULL */
    unsigned int flags;                      /**< enum goleak_rule_flag_bits */
    /** What can trigger the rule, comma-separated; NULL or "": every unit.
     *  An entry is an identifier or keyword the source must contain as a
     *  token ("Lock", "defer", "go"), or "import:PATH" (the file imports
     *  PATH under any name). The engine calls the rule only on units where
     *  some entry occurs, so a rule must declare every word it reacts to. */
    const char *triggers;
    const goleak_rule_option *options; /**< the options it declares; may be NULL */
    size_t noptions;                   /**< entries of options */
} goleak_rule_def;

#define GOLEAK_RULE_DEF_VERSION 1
#define GOLEAK_RULE_DEF_INIT                                                                       \
    {                                                                                              \
        GOLEAK_RULE_DEF_VERSION, NULL, NULL, GOLEAK_SEVERITY_WARNING, NULL, NULL, NULL, NULL,      \
            NULL, NULL, NULL, 0, NULL, NULL, 0                                                     \
    }

/** Sets *def to GOLEAK_RULE_DEF_INIT for the given struct version.
 *  Errors: GOLEAK_EINVAL (NULL, unknown version). */
GOLEAK_API goleak_status goleak_rule_def_init(goleak_rule_def *def, unsigned int version);

/** Registers a rule (enabled). On success the engine owns user_data (and
 *  frees it with free_user_data); on failure the caller keeps it.
 *  Errors: GOLEAK_EINVAL (missing id/name/check, bad id, version string,
 *  trigger or option declaration), GOLEAK_EEXISTS (id or name taken),
 *  GOLEAK_ENOMEM. */
GOLEAK_API goleak_status goleak_engine_register_rule(goleak_engine *engine,
                                                     const goleak_rule_def *def, goleak_error *err);

/** The number of rules, and rule i in registration order (NULL out of range). */
GOLEAK_API size_t goleak_engine_rule_count(const goleak_engine *engine);
GOLEAK_API const goleak_rule *goleak_engine_rule(const goleak_engine *engine, size_t i);

/** The rule with this id or name (case-sensitive), or NULL. */
GOLEAK_API const goleak_rule *goleak_engine_find_rule(const goleak_engine *engine,
                                                      const char *id_or_name);

/** Enables or disables rules: a comma-separated list of ids or names, or
 *  "all". Errors: GOLEAK_ENOTFOUND naming the unknown entry (nothing is
 *  changed then), GOLEAK_EINVAL (NULL, or a list without any entry). */
GOLEAK_API goleak_status goleak_engine_enable_rules(goleak_engine *engine, const char *list,
                                                    int enabled, goleak_error *err);

/** Sets an option the rule declares (e.g. GL004 "threshold" "131072").
 *  Errors: GOLEAK_ENOTFOUND (no such rule), GOLEAK_EINVAL (the rule declares
 *  no such key, or the value does not fit its type or range; err says which
 *  values are accepted), GOLEAK_ENOMEM. */
GOLEAK_API goleak_status goleak_engine_set_option(goleak_engine *engine, const char *rule,
                                                  const char *key, const char *value,
                                                  goleak_error *err);

/** Rule getters; strings are owned by the engine (NULL for a NULL rule). */
GOLEAK_API const char *goleak_rule_id(const goleak_rule *rule);
GOLEAK_API const char *goleak_rule_name(const goleak_rule *rule);
GOLEAK_API int goleak_rule_severity(const goleak_rule *rule);
GOLEAK_API const char *goleak_rule_summary(const goleak_rule *rule);
GOLEAK_API const char *goleak_rule_doc(const goleak_rule *rule); /**< NULL when none */
GOLEAK_API int goleak_rule_enabled(const goleak_rule *rule);
GOLEAK_API unsigned int goleak_rule_flags(const goleak_rule *rule);
/** The rule's triggers as registered ("" when it runs on every unit). */
GOLEAK_API const char *goleak_rule_triggers(const goleak_rule *rule);
/** The Go versions the rule applies to, e.g. "any", "< 1.23", ">= 1.21".
 *  Owned by the engine. */
GOLEAK_API const char *goleak_rule_go_versions(const goleak_rule *rule);

/** The options a rule declares: their number, and option i (NULL out of
 *  range; owned by the engine). */
GOLEAK_API size_t goleak_rule_option_count(const goleak_rule *rule);
GOLEAK_API const goleak_rule_option *goleak_rule_option_get(const goleak_rule *rule, size_t i);

/** "error", "warning" or "info"; NULL for another value. */
GOLEAK_API const char *goleak_severity_name(int severity);

/** Check flags (goleak_check_options.flags). */
enum goleak_check_flag_bits {
    /** Report each suppression comment that suppressed nothing (rule GL000). */
    GOLEAK_CHECK_REPORT_UNUSED_IGNORES = 1u << 0,
    /** Measure the time of each rule (goleak_findings_rule_ns). */
    GOLEAK_CHECK_TIME_RULES = 1u << 1,
    /** Keep the source lines around each finding (goleak_finding_excerpt),
     *  for reports that show code after the unit is freed. */
    GOLEAK_CHECK_EXCERPTS = 1u << 2
};

/** Options of a check; initialise with GOLEAK_CHECK_OPTIONS_INIT. */
typedef struct goleak_check_options {
    unsigned int version;   /**< GOLEAK_CHECK_OPTIONS_VERSION */
    const char *go_version; /**< the module's Go version ("1.22", "go1.22.3"); NULL: unknown */
    unsigned int flags;     /**< enum goleak_check_flag_bits */
} goleak_check_options;

#define GOLEAK_CHECK_OPTIONS_VERSION 1
#define GOLEAK_CHECK_OPTIONS_INIT                                                                  \
    { GOLEAK_CHECK_OPTIONS_VERSION, NULL, 0 }

/** Sets *opts to GOLEAK_CHECK_OPTIONS_INIT for the given struct version.
 *  Errors: GOLEAK_EINVAL (NULL, unknown version). */
GOLEAK_API goleak_status goleak_check_options_init(goleak_check_options *opts,
                                                   unsigned int version);

/** Runs every enabled rule on a parsed unit; *out receives the findings
 *  (caller owns them: goleak_findings_free), sorted by position and
 *  without duplicates, suppression comments applied. Rules whose Go
 *  versions exclude the given version are skipped, and so are rules none of
 *  whose triggers occur in the unit; with an unknown version they run and
 *  their messages say which versions the leak concerns.
 *  Errors: GOLEAK_EINVAL (bad version string, NULL arguments, a unit
 *  parsed with GOLEAK_PARSE_TOKENS_ONLY), GOLEAK_EUSER (a callback failed;
 *  err names the rule and gives its goleak_check_fail message),
 *  GOLEAK_ENOMEM. */
GOLEAK_API goleak_status goleak_engine_check(goleak_findings **out, const goleak_engine *engine,
                                             const goleak_unit *unit,
                                             const goleak_check_options *opts, goleak_error *err);

/** Checks the files of one Go package together: units[0..n) are its files
 *  (one directory, one package clause). Each file is checked as by
 *  goleak_engine_check, and its rules may also read the package's other
 *  files (goleak_check_package_unit): a type, a method or a release in a
 *  sibling file counts. out[k] receives unit k's findings (caller frees
 *  each). All or nothing: on error every out[k] is NULL. Errors as
 *  goleak_engine_check; err names the file. */
GOLEAK_API goleak_status goleak_engine_check_package(goleak_findings **out,
                                                     const goleak_engine *engine,
                                                     const goleak_unit *const *units, size_t n,
                                                     const goleak_check_options *opts,
                                                     goleak_error *err);

/* ---- inside a rule callback ---- */

/** The unit being checked. */
GOLEAK_API const goleak_unit *goleak_check_unit(const goleak_check *check);

/** The value of the running rule's option key: the one set with
 *  goleak_engine_set_option, else the declared default; NULL when neither
 *  (or the rule declares no such key). Owned by the engine. */
GOLEAK_API const char *goleak_check_option(const goleak_check *check, const char *key);

/** The value of an INT or BOOL option (BOOL: 1 or 0), or `fallback` when it
 *  has none. */
GOLEAK_API long long goleak_check_option_int(const goleak_check *check, const char *key,
                                             long long fallback);

/** The Go minor version of the check (22 for "1.22"), or -1 when unknown. */
GOLEAK_API int goleak_check_go_minor(const goleak_check *check);

/** Reports a finding of the running rule at a node (its span), with a
 *  message (copied). Errors: GOLEAK_EINVAL, GOLEAK_ENOMEM. */
GOLEAK_API goleak_status goleak_check_report(goleak_check *check, const goleak_node *node,
                                             const char *message);

/** Reports a finding spanning tokens [first, last] of the unit. */
GOLEAK_API goleak_status goleak_check_report_tokens(goleak_check *check, size_t first, size_t last,
                                                    const char *message);

/** The files of the package being checked: their number (1 for
 *  goleak_engine_check), and file i (NULL out of range); the check's own
 *  file is goleak_check_unit. */
GOLEAK_API size_t goleak_check_package_size(const goleak_check *check);
GOLEAK_API const goleak_unit *goleak_check_package_unit(const goleak_check *check, size_t i);

/** Fails the running rule with a message (copied): goleak_engine_check then
 *  returns GOLEAK_EUSER with "rule ID failed on PATH: message", whatever the
 *  callback returns. For host languages to say why their rule failed (an
 *  exception, an error). Errors: GOLEAK_EINVAL, GOLEAK_ENOMEM. */
GOLEAK_API goleak_status goleak_check_fail(goleak_check *check, const char *message);

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

/** The start and end columns of the finding counted in Unicode code points
 *  from 1 (goleak_finding_span counts bytes): what SARIF's
 *  "unicodeCodePoints" column kind and most editors count. */
GOLEAK_API void goleak_finding_cp_columns(const goleak_finding *f, uint32_t *start, uint32_t *end);

/** The finding's fingerprint: 16 lowercase hex digits that name it across
 *  edits elsewhere in its file (lines inserted above, other functions
 *  renamed or reformatted). Hashed from the rule id, the path (a leading
 *  "./" dropped), the symbol (goleak_finding_symbol), the tokens of the
 *  reported statement without semicolons, trailing commas, nested blocks
 *  and other branches, and where the finding starts among them; twins (the
 *  same hash twice in a file) are told apart by their order. Messages and
 *  positions are not part of it. Owned by the findings object. */
GOLEAK_API const char *goleak_finding_fingerprint(const goleak_finding *f);

/** The top-level declaration around the finding: "poll" (a function),
 *  "Server.Run" (a method, with its receiver's type), "T" (the spec of a
 *  type, var or const declaration), "import"; "" outside every
 *  declaration. Owned by the findings object. */
GOLEAK_API const char *goleak_finding_symbol(const goleak_finding *f);

/** The span of that declaration (all zeros when there is none): what a
 *  change must touch for the finding to count as changed code. */
GOLEAK_API goleak_span goleak_finding_scope_span(const goleak_finding *f);

/** The span of the statement (or spec, field, signature) the finding
 *  reports, nested blocks included; the finding's own span when it is in
 *  no statement (a comment). */
GOLEAK_API goleak_span goleak_finding_statement_span(const goleak_finding *f);

/** With GOLEAK_CHECK_EXCERPTS, the source lines around the finding: two
 *  lines before its first line, up to eight of its own, two after, each
 *  cut at 400 bytes (on a UTF-8 boundary), joined by '\n' (no final
 *  newline); NULL without the flag. Owned by the findings object. */
GOLEAK_API const char *goleak_finding_excerpt(const goleak_finding *f);

/** The line number of the excerpt's first line (0 without an excerpt). */
GOLEAK_API uint32_t goleak_finding_excerpt_line(const goleak_finding *f);

/* ---- writing findings: the command's output formats, for every host ---- */

/** Output formats (goleak_writer_options.format); append-only. */
enum goleak_formats {
    GOLEAK_FORMAT_TEXT = 0,    /**< path:line:col: ID name: message (go vet style), one per line */
    GOLEAK_FORMAT_JSONL = 1,   /**< one JSON object per finding and line */
    GOLEAK_FORMAT_JSON = 2,    /**< one document: findings, errors, files checked */
    GOLEAK_FORMAT_SARIF = 3,   /**< SARIF 2.1.0: one run, the rules, results and notifications */
    GOLEAK_FORMAT_RDJSONL = 4, /**< reviewdog's Diagnostic, one JSON object per line */
    GOLEAK_FORMAT_CHECKSTYLE = 5, /**< Checkstyle XML: findings and errors per file */
    GOLEAK_FORMAT_GITHUB = 6,     /**< GitHub Actions workflow commands (::warning file=...) */
    GOLEAK_FORMAT_GCC = 7,        /**< path:line:col: warning: message [ID], as gcc writes */
    GOLEAK_FORMAT_HTML = 8        /**< one self-contained HTML page (excerpts: see
                                       GOLEAK_CHECK_EXCERPTS) */
};

/** The number of formats (formats are 0 .. count - 1). */
GOLEAK_API int goleak_format_count(void);

/** A format's name ("text", "jsonl", "json", "sarif", "rdjsonl",
 *  "checkstyle", "github", "gcc", "html"), NULL out of range. */
GOLEAK_API const char *goleak_format_name(int format);

/** The format named name, or -1. */
GOLEAK_API int goleak_format_find(const char *name);

/** Receives len bytes of output; returns 0, or non-zero to fail the writer
 *  (its calls then return GOLEAK_EIO). */
typedef int (*goleak_write_fn)(const char *data, size_t len, void *user_data);

/** Options of a writer; initialise with GOLEAK_WRITER_OPTIONS_INIT. */
typedef struct goleak_writer_options {
    unsigned int version;              /**< GOLEAK_WRITER_OPTIONS_VERSION */
    int format;                        /**< enum goleak_formats */
    const goleak_engine *engine;       /**< SARIF: its rules are listed (may be NULL: none) */
    goleak_write_fn write;             /**< where output goes; NULL: kept in memory */
    void *user_data;                   /**< passed to write */
    const goleak_allocator *allocator; /**< NULL: malloc */
} goleak_writer_options;

#define GOLEAK_WRITER_OPTIONS_VERSION 1
#define GOLEAK_WRITER_OPTIONS_INIT                                                                 \
    { GOLEAK_WRITER_OPTIONS_VERSION, GOLEAK_FORMAT_TEXT, NULL, NULL, NULL, NULL }

/** Sets *opts to GOLEAK_WRITER_OPTIONS_INIT for the given struct version.
 *  Errors: GOLEAK_EINVAL (NULL, unknown version). */
GOLEAK_API goleak_status goleak_writer_options_init(goleak_writer_options *opts,
                                                    unsigned int version);

/** Writes findings in one format, as `goleak scan --format` does: the same
 *  bytes for the same findings, errors and files. Output is buffered and
 *  handed to opts->write, or kept in memory. Use one writer from one thread
 *  at a time; it keeps no pointer to the findings it is given. */
typedef struct goleak_writer goleak_writer;

/** Creates a writer (caller owns it: goleak_writer_free) and writes the
 *  format's opening (json, sarif). Errors: GOLEAK_EINVAL (NULL, unknown
 *  format or options version), GOLEAK_ENOMEM, GOLEAK_EIO (write failed). */
GOLEAK_API goleak_status goleak_writer_new(goleak_writer **out, const goleak_writer_options *opts,
                                           goleak_error *err);

/** Writes the findings of one file and counts the file: call it once per
 *  file checked, or that could not be checked (findings NULL). Errors:
 *  GOLEAK_EINVAL (NULL writer, or after goleak_writer_finish), GOLEAK_EIO,
 *  GOLEAK_ENOMEM; a writer that failed keeps failing. */
GOLEAK_API goleak_status goleak_writer_add_findings(goleak_writer *w, const goleak_findings *fs);

/** Writes one finding without counting a file, for hosts that filter
 *  findings (a baseline, changed lines): count each file checked with
 *  goleak_writer_add_findings(w, NULL). Errors as add_findings. */
GOLEAK_API goleak_status goleak_writer_add_finding(goleak_writer *w, const goleak_finding *f);

/** Records an error (a file that could not be read, a syntax error) or,
 *  with severity GOLEAK_SEVERITY_WARNING, a warning (a bad go.mod): the
 *  json document lists them under "errors", SARIF as tool execution
 *  notifications, checkstyle as errors of their file, github as ::error or
 *  ::warning commands, html in a section of its own, all after the
 *  findings; text, jsonl, rdjsonl and gcc carry findings only (show errors
 *  your own way). line and column 0: the whole file. Errors as
 *  add_findings. */
GOLEAK_API goleak_status goleak_writer_add_error(goleak_writer *w, const char *path, uint32_t line,
                                                 uint32_t column, int severity,
                                                 const char *message);

/** The findings written so far: in test files (names ending in _test.go)
 *  when test_files is 1, in the others when 0, in both when -1; of one
 *  severity, or of every one when severity is -1. 0 for NULL. */
GOLEAK_API size_t goleak_writer_count(const goleak_writer *w, int test_files, int severity);

/** Hands what is buffered to the write callback (before writing elsewhere
 *  to the same terminal, say). Errors: GOLEAK_EINVAL, GOLEAK_EIO. */
GOLEAK_API goleak_status goleak_writer_flush(goleak_writer *w);

/** Writes the format's closing (SARIF: whether the run succeeded) and
 *  flushes. Errors as add_findings. */
GOLEAK_API goleak_status goleak_writer_finish(goleak_writer *w, int execution_successful);

/** The output kept in memory (no write callback), *len its size; owned by
 *  the writer, valid until the next call on it. NULL with a callback. */
GOLEAK_API const char *goleak_writer_output(goleak_writer *w, size_t *len);

/** Frees a writer (without finishing it); NULL is accepted. */
GOLEAK_API void goleak_writer_free(goleak_writer *w);

/** Writes s as a quoted JSON string into buf (size bytes, NUL-terminated
 *  when size > 0), as the writers do: escapes, U+FFFD for bytes that are
 *  not UTF-8. Returns the length the whole string needs (without the NUL),
 *  as snprintf does. */
GOLEAK_API size_t goleak_json_quote(char *buf, size_t size, const char *s);

/* ========================================================================
 * Queries: the questions rules share, asked inside a rule callback. They are
 * answered from indexes built once per unit and check (on first use), and
 * are what the built-in rules themselves use.
 * ======================================================================== */

/* ---- names and variables ---- */

/** What a declared name is (goleak_check_var_kind). */
enum goleak_var_kinds {
    GOLEAK_VAR_LOCAL = 0,    /**< declared in a function (:=, var, const, range) */
    GOLEAK_VAR_PARAM = 1,    /**< a parameter */
    GOLEAK_VAR_RESULT = 2,   /**< a named result */
    GOLEAK_VAR_RECEIVER = 3, /**< a method's receiver */
    GOLEAK_VAR_PACKAGE = 4,  /**< a package-level variable or constant */
    GOLEAK_VAR_KIND_COUNT = 5
};

/** The token declaring the variable (or constant) that identifier token i
 *  names, i itself at its declaration; GOLEAK_NONE when i names no variable
 *  of the file (a field, a package, a type, a function, an unknown name).
 *  Scopes are followed: a local shadows a package name. */
GOLEAK_API size_t goleak_check_declaration(goleak_check *check, size_t i);

/** What the name declared at token decl is (enum goleak_var_kinds), -1 when
 *  decl declares none. */
GOLEAK_API int goleak_check_var_kind(goleak_check *check, size_t decl);

/** The uses of the variable declared at decl, in source order: how many,
 *  and the token of use k (GOLEAK_NONE out of range). The declaration is
 *  not a use; a field x.name and a literal key name: are not uses. */
GOLEAK_API size_t goleak_check_var_use_count(goleak_check *check, size_t decl);
GOLEAK_API size_t goleak_check_var_use(goleak_check *check, size_t decl, size_t k);

/** How a use treats its variable (goleak_check_use_kind). */
enum goleak_use_kinds {
    GOLEAK_USE_READ = 0,       /**< an operand of a larger expression (x == nil, x + 1) */
    GOLEAK_USE_CALL = 1,       /**< x(...): called */
    GOLEAK_USE_SELECT = 2,     /**< x.f, x.m(...): a field or method of it */
    GOLEAK_USE_INDEX = 3,      /**< x[i], x[i:j] */
    GOLEAK_USE_ASSIGN = 4,     /**< x = v, x op= v, x++, a redeclaring :=: x gets a new value */
    GOLEAK_USE_RECEIVE = 5,    /**< <-x */
    GOLEAK_USE_SEND_ON = 6,    /**< x <- v */
    GOLEAK_USE_RANGE = 7,      /**< for ... range x */
    GOLEAK_USE_RETURN = 8,     /**< return x: a whole result */
    GOLEAK_USE_SEND = 9,       /**< ch <- x: the value sent */
    GOLEAK_USE_ARG = 10,       /**< f(x): a whole argument */
    GOLEAK_USE_COPY = 11,      /**< y = x, y := x: the value of a local variable */
    GOLEAK_USE_STORE = 12,     /**< y.f = x, m[k] = x, *p = x, pkgVar = x */
    GOLEAK_USE_COMPOSITE = 13, /**< T{x}, T{f: x}: an element of a literal */
    GOLEAK_USE_BLANK = 14,     /**< _ = x */
    GOLEAK_USE_KIND_COUNT = 15
};

/** Flag bits of goleak_check_use_flags. */
enum goleak_use_flag_bits {
    GOLEAK_USE_ADDRESS = 1u << 0,  /**< &x: its address is what flows */
    GOLEAK_USE_CAPTURED = 1u << 1, /**< inside a function literal declared after x */
    GOLEAK_USE_DEFERRED = 1u << 2, /**< in a deferred call, or a literal a defer runs */
    GOLEAK_USE_GOROUTINE = 1u << 3 /**< in a go statement's call, or the literal it starts */
};

/** How the use at token `use` treats its variable (enum goleak_use_kinds);
 *  -1 when the token is not a use of a variable. The whole value counts:
 *  `return (x)` and `f(&x)` are RETURN and ARG (with GOLEAK_USE_ADDRESS). */
GOLEAK_API int goleak_check_use_kind(goleak_check *check, size_t use);

/** The use's flags (enum goleak_use_flag_bits); 0 when none or not a use. */
GOLEAK_API unsigned int goleak_check_use_flags(goleak_check *check, size_t use);

/** The node a use concerns: the CALL of CALL, ARG and a method SELECT; the
 *  ASSIGN (or SPEC) of ASSIGN, COPY, STORE and BLANK; the RETURN, SEND,
 *  RECV, RANGE or COMPOSITE node. NULL for READ, INDEX, a field SELECT, and
 *  a token that is not a use. */
GOLEAK_API const goleak_node *goleak_check_use_node(goleak_check *check, size_t use);

/* ---- where values go ---- */

/** Where a value goes (goleak_check_value_target). */
enum goleak_target_kinds {
    GOLEAK_TARGET_NONE = 0,        /**< an operand, a condition, a statement by itself */
    GOLEAK_TARGET_VAR = 1,         /**< a local variable, parameter or named result */
    GOLEAK_TARGET_PACKAGE_VAR = 2, /**< a package-level variable */
    GOLEAK_TARGET_FIELD = 3,       /**< x.f = v (also of an unknown x) */
    GOLEAK_TARGET_INDEX = 4,       /**< m[k] = v, s[i] = v */
    GOLEAK_TARGET_DEREF = 5,       /**< *p = v */
    GOLEAK_TARGET_BLANK = 6,       /**< _ = v */
    GOLEAK_TARGET_RETURN = 7,      /**< return v */
    GOLEAK_TARGET_ARG = 8,         /**< f(v) */
    GOLEAK_TARGET_SEND = 9,        /**< ch <- v */
    GOLEAK_TARGET_ELEMENT = 10,    /**< T{v} or T{key: v} */
    GOLEAK_TARGET_KIND_COUNT = 11
};

/** Where the value of expression `expr` goes (enum goleak_target_kinds):
 *  expr is an expression slot (EXPR) or the node it holds (a call, a
 *  literal). For a call whose results go to several left-hand sides
 *  (a, b := f()), `result` picks one (0 for the first); else pass 0. The
 *  target's tokens go to *first and *last (may be NULL): the variable, the
 *  x.f, m[k] or *p expression, the literal key (GOLEAK_NONE without key),
 *  the call's callee, the channel, the return keyword. -1 on bad arguments. */
GOLEAK_API int goleak_check_value_target(size_t *first, size_t *last, goleak_check *check,
                                         const goleak_node *expr, size_t result);

/* ---- calls ---- */

/** Whether call (a CALL node) calls `name` of the package imported from
 *  import_path, under whatever name the file imports it (an alias, a dot
 *  import); a local variable shadowing the package name is not it. 1 or 0. */
GOLEAK_API int goleak_check_call_is(goleak_check *check, const goleak_node *call,
                                    const char *import_path, const char *name);

/** The token naming the called function: f of f(), F of pkg.F(), m of
 *  x.m(); GOLEAK_NONE when the callee is no name (f()(), a literal). */
GOLEAK_API size_t goleak_check_call_name(goleak_check *check, const goleak_node *call);

/** Whether call is a method call x.m(...) on a value (not a package): 1,
 *  with the receiver's tokens (x, s.mu) in *first and *last; else 0. */
GOLEAK_API int goleak_check_call_receiver(size_t *first, size_t *last, goleak_check *check,
                                          const goleak_node *call);

/** The function or method of this file that call reaches by its name (f(),
 *  x.m() for a method m declared in the file), or NULL. */
GOLEAK_API const goleak_node *goleak_check_callee(goleak_check *check, const goleak_node *call);

/** Whether call never returns: panic, os.Exit, log.Fatal*, runtime.Goexit,
 *  t.Fatal and friends, or a function of the file ending with such a call. */
GOLEAK_API int goleak_check_never_returns(goleak_check *check, const goleak_node *call);

/* ---- functions and loops ---- */

/** The function (FUNC or FUNCLIT) around node, node excluded; NULL at top level. */
GOLEAK_API const goleak_node *goleak_check_enclosing_func(goleak_check *check,
                                                          const goleak_node *node);

/** The loop (FOR or RANGE) whose body holds node, not looking past the
 *  nearest function; NULL when none. */
GOLEAK_API const goleak_node *goleak_check_enclosing_loop(goleak_check *check,
                                                          const goleak_node *node);

/** Whether a FUNCLIT is started as a goroutine: the callee of a go
 *  statement's call. 1 or 0. */
GOLEAK_API int goleak_check_is_goroutine_body(goleak_check *check, const goleak_node *funclit);

/* ---- release on every path ---- */

/** How a path walk ended (goleak_check_release_path). */
enum goleak_path_results {
    GOLEAK_PATH_RELEASED = 0, /**< every path releases or hands off the resource */
    GOLEAK_PATH_RETURN = 1,   /**< a return statement runs while holding it */
    GOLEAK_PATH_CONTINUE = 2, /**< a continue of the loop that acquired it runs while holding */
    GOLEAK_PATH_END = 3       /**< the function's end is reached while holding it */
};

/** A callback of a path walk: whether `node` (a CALL for is_release, a
 *  RETURN for hands_off) releases the resource or hands it to the caller. */
typedef int (*goleak_path_fn)(goleak_check *check, const goleak_node *node, void *user_data);

/** What a path walk asks; initialise with GOLEAK_PATH_QUERY_INIT. */
typedef struct goleak_path_query {
    unsigned int version;     /**< GOLEAK_PATH_QUERY_VERSION */
    goleak_path_fn release;   /**< required: whether a call releases the resource */
    goleak_path_fn hands_off; /**< optional: whether a return hands it to the caller */
    void *user_data;          /**< passed to both */
} goleak_path_query;

#define GOLEAK_PATH_QUERY_VERSION 1
#define GOLEAK_PATH_QUERY_INIT                                                                     \
    { GOLEAK_PATH_QUERY_VERSION, NULL, NULL, NULL }

/** Sets *q to GOLEAK_PATH_QUERY_INIT for the given struct version.
 *  Errors: GOLEAK_EINVAL (NULL, unknown version). */
GOLEAK_API goleak_status goleak_path_query_init(goleak_path_query *q, unsigned int version);

/** Follows every path from the statement after `stmt` (a statement of a
 *  block, typically the one that acquires a resource) to the exits of its
 *  function, through if, switch, select, loops and breaks; a deferred
 *  release covers every later path; calls that never return end a path.
 *  Returns enum goleak_path_results (>= 0), the first leaking statement in
 *  *at (the RETURN or BRANCH; the function for GOLEAK_PATH_END; NULL when
 *  released), or GOLEAK_EINVAL. Paths leaving through goto are not followed.
 *  Linear in the statements walked; uses no stack proportional to them. */
GOLEAK_API int goleak_check_release_path(const goleak_node **at, goleak_check *check,
                                         const goleak_node *stmt, const goleak_path_query *query);

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
GOLEAK_API goleak_status goleak_go_version_for_path(char *buf, size_t size, const char *path,
                                                    goleak_error *err);

/* ========================================================================
 * Rule packs: YAML packs, native packs, project configuration, timing
 *
 * A YAML rule pack declares rules without C (rules/README.md is the
 * format's reference). Loading a pack is atomic: on any error the engine is
 * exactly as before the call, and err holds "FILE:LINE:COL: message" with
 * the file, line and column also in goleak_error_file/line/column.
 * Pack rules register through goleak_engine_register_rule like any rule;
 * goleak_rule_origin says where each rule comes from.
 * ======================================================================== */

/** Where a rule comes from (goleak_rule_origin). */
enum goleak_rule_origins {
    GOLEAK_ORIGIN_BUILTIN = 0, /**< compiled into the library */
    GOLEAK_ORIGIN_API = 1,     /**< registered with goleak_engine_register_rule */
    GOLEAK_ORIGIN_PACK = 2,    /**< a YAML rule pack (goleak_rule_origin_path is its file) */
    GOLEAK_ORIGIN_NATIVE = 3   /**< a native pack (goleak_rule_origin_path is its shared object) */
};

/** The rule's goleak_rule_origin, or -1 for NULL. */
GOLEAK_API int goleak_rule_origin(const goleak_rule *rule);

/** The pack file or shared object the rule was loaded from (as given to
 *  the loading call), or NULL for built-in and API rules; owned by the engine. */
GOLEAK_API const char *goleak_rule_origin_path(const goleak_rule *rule);

/** Loads the YAML rule pack at path and registers its rules (enabled).
 *  Errors: GOLEAK_EIO (cannot read it), GOLEAK_ESYNTAX (YAML syntax, unknown
 *  key, missing or mistyped field, invalid pattern or regex, unknown
 *  metavariable; err has the position), GOLEAK_EEXISTS (a rule id or name
 *  already registered, by a built-in rule or another pack; err has the
 *  position), GOLEAK_EINVAL, GOLEAK_ENOMEM. Nothing is registered on error. */
GOLEAK_API goleak_status goleak_engine_load_pack(goleak_engine *engine, const char *path,
                                                 goleak_error *err);

/** Loads a YAML rule pack from len bytes of text (copied as needed); name
 *  labels error positions and is the rules' origin path; fixtures, if any,
 *  are not looked for. Errors as goleak_engine_load_pack. */
GOLEAK_API goleak_status goleak_engine_load_pack_string(goleak_engine *engine, const char *name,
                                                        const char *text, size_t len,
                                                        goleak_error *err);

/** Loads every pack of a directory: its files ending in .yml or .yaml
 *  (not its subdirectories), in name order, all or none.
 *  Errors: those of goleak_engine_load_pack, GOLEAK_ENOTFOUND (no such
 *  directory). */
GOLEAK_API goleak_status goleak_engine_load_pack_dir(goleak_engine *engine, const char *dir,
                                                     goleak_error *err);

/** Loads the packs shipped with libgoleak (goleak_default_packs_dir), all
 *  or none. Errors: GOLEAK_ENOTFOUND (the directory is missing), and those
 *  of goleak_engine_load_pack_dir. */
GOLEAK_API goleak_status goleak_engine_add_default_packs(goleak_engine *engine, goleak_error *err);

/** Writes the directory of the shipped packs into buf (size bytes): the
 *  environment's GOLEAK_RULES_DIR when set; else, for a library of a build
 *  tree, the source tree's rules/; else the installed DATADIR/goleak/rules,
 *  found beside the shared library's own directory (so an installed tree
 *  can move) or at the configured prefix. Errors: GOLEAK_ENOTFOUND (no such
 *  directory), GOLEAK_ERANGE (buf too small). */
GOLEAK_API goleak_status goleak_default_packs_dir(char *buf, size_t size, goleak_error *err);

/* ---- timing the rules ---- */

/** Nanoseconds the check spent in the engine's rule rule_index (0 when the
 *  check did not measure, see GOLEAK_CHECK_TIME_RULES); with rule_index
 *  GOLEAK_NONE, the time spent building the indexes shared by the rules
 *  (facts, pack indexes), which no single rule is charged for. */
GOLEAK_API uint64_t goleak_findings_rule_ns(const goleak_findings *findings, size_t rule_index);

/* ---- native packs ---- */

/** What a native pack's entry point returns: static data of the pack. */
typedef struct goleak_native_pack {
    size_t struct_size; /**< sizeof(goleak_native_pack) as the pack was built */
    int abi_version;    /**< GOLEAK_ABI_VERSION the pack was built with */
    const char *name;   /**< the pack's name */
    /** Registers the pack's rules with goleak_engine_register_rule; returns
     *  0 or a GOLEAK_E* code (err may be filled). */
    int (*register_rules)(goleak_engine *engine, goleak_error *err);
} goleak_native_pack;

/** The entry point a native pack exports, named GOLEAK_NATIVE_PACK_ENTRY:
 *  it receives the host's ABI version and returns the pack's descriptor,
 *  or NULL when it cannot work with that host. */
typedef const goleak_native_pack *(*goleak_native_pack_entry_fn)(int host_abi);
#define GOLEAK_NATIVE_PACK_ENTRY "goleak_native_pack_entry"

/** Loads a native pack (a shared object) and registers its rules; the
 *  object stays loaded until the engine is freed. Only call this for a
 *  pack the user named: it runs the object's code.
 *  Errors: GOLEAK_EIO (cannot load it), GOLEAK_ENOTFOUND (no entry point),
 *  GOLEAK_EABI (built for an incompatible ABI, or a descriptor too small),
 *  the pack's own codes (GOLEAK_EEXISTS...). Nothing is registered on error. */
GOLEAK_API goleak_status goleak_engine_load_native_pack(goleak_engine *engine, const char *path,
                                                        goleak_error *err);

/* ---- project configuration (.goleak.yml) ---- */

/** A project configuration file: packs to load, rules to enable or disable,
 *  rule options, excluded paths and per-path overrides. */
typedef struct goleak_config goleak_config;

/** Finds the configuration that applies to start (a file or directory):
 *  .goleak.yml or .goleak.yaml in its directory or the nearest above.
 *  Writes its path into buf. Errors: GOLEAK_ENOTFOUND, GOLEAK_ERANGE. */
GOLEAK_API goleak_status goleak_config_find(char *buf, size_t size, const char *start,
                                            goleak_error *err);

/** Reads the configuration file at path into *out (caller owns it:
 *  goleak_config_free). Errors: GOLEAK_EIO, GOLEAK_ESYNTAX (with
 *  FILE:LINE:COL), GOLEAK_EINVAL, GOLEAK_ENOMEM. */
GOLEAK_API goleak_status goleak_config_load(goleak_config **out, const char *path,
                                            goleak_error *err);

/** Parses a configuration from text; name labels positions and its
 *  directory is the base of the configuration's relative paths. */
GOLEAK_API goleak_status goleak_config_parse(goleak_config **out, const char *name,
                                             const char *text, size_t len, goleak_error *err);

/** Frees a configuration; NULL is accepted. */
GOLEAK_API void goleak_config_free(goleak_config *config);

/** The file the configuration was read from; owned by config. */
GOLEAK_API const char *goleak_config_path(const goleak_config *config);

/** Whether the configuration keeps the default packs (1) or turns them off (0). */
GOLEAK_API int goleak_config_default_packs(const goleak_config *config);

/** Applies the configuration to an engine that holds the rules to
 *  configure (built-in and default packs): loads its packs, then its rule
 *  selection, options and per-path overrides. Errors: those of the pack
 *  loaders, GOLEAK_ENOTFOUND (an unknown rule; err points at the entry in
 *  the file), GOLEAK_EINVAL (an option a rule rejects). */
GOLEAK_API goleak_status goleak_config_apply(const goleak_config *config, goleak_engine *engine,
                                             goleak_error *err);

/** Whether the configuration excludes a path (relative to the working
 *  directory or absolute) from scans. */
GOLEAK_API int goleak_config_excludes(const goleak_config *config, const char *path);

/** The lists of a configuration (goleak_config_item). */
enum goleak_config_lists {
    GOLEAK_CONFIG_PACKS = 0,    /**< pack files and directories, as resolved paths */
    GOLEAK_CONFIG_RULES = 1,    /**< rule selection entries, in order ("all", "-GL003") */
    GOLEAK_CONFIG_OPTIONS = 2,  /**< options as "RULE.KEY=VALUE" */
    GOLEAK_CONFIG_EXCLUDES = 3, /**< excluded path globs */
    GOLEAK_CONFIG_OVERRIDES = 4 /**< overrides as "GLOB[,GLOB]: ENTRY[,ENTRY]" */
};

/** The number of items of a list, and item i (NULL out of range); owned by config. */
GOLEAK_API size_t goleak_config_count(const goleak_config *config, int list);
GOLEAK_API const char *goleak_config_item(const goleak_config *config, int list, size_t i);

#ifdef __cplusplus
}
#endif

#endif /* GOLEAK_H */
