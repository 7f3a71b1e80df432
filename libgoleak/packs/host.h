/* What pack rules ask of a parsed file, and the path walker they run on:
 * the one interface between the packs and the library's facts and paths
 * modules (so that moving to another query layer changes host.c only).
 * Tokens and nodes are read straight from the unit (unit.h). */
#ifndef GOLEAK_PACKS_HOST_H
#define GOLEAK_PACKS_HOST_H

#include "../engine.h"
#include "../unit.h"

#include <stdint.h>

typedef struct facts host_file; /* a file's facts, built once per check */
typedef struct var_fact host_var;

/* The facts of the unit being checked (shared with the built-in rules), or
 * NULL when out of memory. */
const host_file *host_open(goleak_check *chk);

const goleak_unit *host_unit(const host_file *f);

/* ---- nodes ---- */

/* The nodes of one kind in source order: count and i-th. */
uint32_t host_kind_count(const host_file *f, int kind);
uint32_t host_kind_at(const host_file *f, int kind, uint32_t i);
/* The index of the first node of kind whose first token is >= tok. */
uint32_t host_kind_lower_bound(const host_file *f, int kind, uint32_t tok);
uint32_t host_child_by_role(const host_file *f, uint32_t n, int role);
uint32_t host_nth_child_by_role(const host_file *f, uint32_t n, int role, uint32_t k);
/* The node an EXPR wrapper holds exactly, or NONE32. */
uint32_t host_expr_node(const host_file *f, uint32_t expr);
int host_node_within(const host_file *f, uint32_t n, uint32_t a);
/* The FUNC or FUNCLIT around n (n excluded), NONE32 at top level. */
uint32_t host_enclosing_func(const host_file *f, uint32_t n);
/* The statement holding n (an element of a block or case), NONE32. */
uint32_t host_stmt_of(const host_file *f, uint32_t n);
/* The loop whose body holds n within its function, NONE32. */
uint32_t host_loop_around(const host_file *f, uint32_t n);
int host_is_goroutine_body(const host_file *f, uint32_t fn);
int host_is_test_func(const host_file *f, uint32_t fn);
int host_in_test_file(const host_file *f);
int host_in_package_main(const host_file *f);
/* Whether the statements before n in its lists never return (dead code). */
int host_unreachable(const host_file *f, uint32_t n);
/* The FUNC of a top-level function or method named like token tok, NONE32. */
uint32_t host_find_func(const host_file *f, uint32_t tok);

/* ---- tokens ---- */

int host_toks_same(const host_file *f, uint32_t a0, uint32_t a1, uint32_t b0, uint32_t b1);
uint32_t host_tok_line(const host_file *f, uint32_t tok);

/* ---- variables ---- */

enum host_var_flag {
    HV_PARAM = 1u << 0,  /* parameter or receiver */
    HV_RESULT = 1u << 1, /* named result */
    HV_PKG = 1u << 2,    /* package-level */
    HV_RECV = 1u << 3    /* method receiver */
};

typedef struct host_var_info {
    uint32_t name;                  /* declaring token */
    uint32_t func;                  /* FUNC/FUNCLIT, NONE32 at package level */
    uint32_t value;                 /* EXPR of its initial value, NONE32 */
    uint32_t value_index;           /* which result of a multi-value call it takes */
    uint32_t type_first, type_last; /* declared type, NONE32 when none */
    unsigned flags;                 /* host_var_flag */
} host_var_info;

/* The variable identifier token tok refers to, or NULL. */
const host_var *host_resolve(const host_file *f, uint32_t tok);
void host_var_get(const host_file *f, const host_var *v, host_var_info *out);
/* The next use of v after token from, up to token to, or NONE32. */
uint32_t host_next_use(const host_file *f, const host_var *v, uint32_t from, uint32_t to);
/* Parameter k of FUNC or FUNCLIT fn, or NULL. */
const host_var *host_param_at(const host_file *f, uint32_t fn, uint32_t k);
/* The declared type tokens of the file's struct field named like tok. */
int host_field_type(const host_file *f, uint32_t tok, uint32_t *first, uint32_t *last);

/* ---- calls ---- */

/* A call's name token (f of f(), x.f(), pkg.F()), NONE32 when the callee is
 * not a name; its receiver tokens (NONE32 unless a method call). */
uint32_t host_call_name(const host_file *f, uint32_t call);
int host_call_recv(const host_file *f, uint32_t call, uint32_t *first, uint32_t *last);
uint32_t host_call_arg(const host_file *f, uint32_t call, uint32_t k);
/* Whether a call never returns (panic, os.Exit, log.Fatal, t.Fatal...). */
int host_call_never_returns(const host_file *f, uint32_t call);

/* ---- the path walker (the one of the built-in rules GL010 and GL018) ---- */

enum host_leak {
    HOST_LEAK_NONE,
    HOST_LEAK_RETURN,
    HOST_LEAK_CONTINUE,
    HOST_LEAK_END,
    HOST_LEAK_OVERWRITE /* the variable gets a new value while it holds the resource */
};

typedef struct host_walk {
    void *ctx;
    uint32_t loop; /* the loop a continue of leaks, NONE32 */
    int (*is_release)(void *ctx, uint32_t call);
    int (*return_hands_off)(void *ctx, uint32_t ret);
    int (*stmt_hands_off)(void *ctx, uint32_t stmt);
    int (*cond_absent)(void *ctx, uint32_t cond);
    int (*loop_exit_releases)(void *ctx, uint32_t loop);
    /* the variable holding the resource (NULL: the walk follows no
     * variable). A statement that gives it a new value while the resource
     * is held leaks (HOST_LEAK_OVERWRITE, *at that statement); a use that
     * use_releases accepts (may be NULL) releases on the paths through it */
    const host_var *var;
    int (*use_releases)(void *ctx, uint32_t use);
    /* with var: the paths that go round a loop around the start are
     * followed; the start reached again while the resource is held is an
     * overwrite (*at the start itself) */
    int go_round;
} host_walk;

/* Walks every path from statement start (after it, or from it with
 * from_start) to the function's exits; the first leak's host_leak, its
 * statement (or the function) in *at. */
int host_walk_paths(const host_file *f, const host_walk *w, uint32_t start, int from_start,
                    uint32_t *at);

#endif
