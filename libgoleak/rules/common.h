/* Helpers shared by the built-in rules. */
#ifndef GOLEAK_RULES_COMMON_H
#define GOLEAK_RULES_COMMON_H

#include "../engine.h"
#include "../facts.h"
#include "../paths.h"

/* The loop (FOR or RANGE) whose body holds n, looking no further out than
 * the nearest function; NONE32 when n is not in a loop body. */
static inline uint32_t loop_around(const facts *f, uint32_t n) {
    return f->loop_of[n];
}

/* The source text of tokens [a, b], shortened to about 48 bytes with "..."
 * and newlines folded, into buf. Returns buf. */
const char *snippet(const facts *f, uint32_t a, uint32_t b, char *buf, size_t size);
const char *node_snippet(const facts *f, uint32_t n, char *buf, size_t size);

/* The line of token i. */
uint32_t tok_line(const facts *f, uint32_t i);

/* The statement that contains node n (the nearest ancestor, or n itself,
 * whose parent is a BLOCK, CASE or COMM), NONE32. */
static inline uint32_t stmt_of(const facts *f, uint32_t n) {
    return f->stmt_of[n];
}

/* Whether the function literal or function fn is started as a goroutine:
 * the callee of a `go` statement's call. */
int is_goroutine_body(const facts *f, uint32_t fn);

/* Whether fn runs as a concurrent task: a goroutine body, or the function
 * literal handed to x.Go(func() error {...}) (an errgroup.Group, a pool). */
int is_task_body(const facts *f, uint32_t fn);

/* The top-level function (FUNC, or FUNCLIT of a package variable) around n,
 * NONE32 at top level. */
uint32_t top_func(const facts *f, uint32_t n);

/* A qsort comparator of uint32_t values. */
int u32_cmp(const void *a, const void *b);

/* Whether token i's text starts with prefix. */
int tok_has_prefix(const facts *f, uint32_t i, const char *prefix);

/* Whether a classified use (q_use) hands the whole value on: returned,
 * passed, sent, stored, copied or put in a literal (whoever gets it is
 * responsible for it then). */
struct use_info;
int use_hands_on(const struct use_info *ui);

/* Whether token i's text contains one of the n lower-case words, in any
 * case of ASCII letters (keyFile, PEMData, freeList). */
int tok_mentions(const facts *f, uint32_t i, const char *const *words, size_t n);

/* Whether function fn is a test, benchmark, fuzz target or example: a FUNC
 * named Test..., Benchmark..., Fuzz... or Example..., or any function with a
 * *testing.T, *testing.B, *testing.F or testing.TB parameter. */
int is_test_func(const facts *f, uint32_t fn);

/* Whether branch statement br is a break out of loop: a plain break with no
 * inner for, switch or select between them, or a break to loop's label. */
int break_leaves(const facts *f, uint32_t br, uint32_t loop);

/* The first way out of loop lp (of function fn) that skip (may be NULL)
 * does not pass over: a return, a break or goto leaving it, a call that
 * never returns; NONE32 when there is none. Function literals inside do
 * not count: their returns leave them, not the loop. */
uint32_t loop_exit(const facts *f, uint32_t lp, uint32_t fn,
                   int (*skip)(const facts *f, uint32_t exit, const void *ctx), const void *ctx);

/* Whether loop lp (of function fn) has a way out at all. */
static inline int loop_has_exit(const facts *f, uint32_t lp, uint32_t fn) {
    return loop_exit(f, lp, fn, NULL, NULL) != NONE32;
}

/* Whether statement s always leaves loop: a return, goto, break out of it, a
 * call that never returns, or an if/else or block whose every branch does. */
int stmt_leaves_loop(const facts *f, uint32_t s, uint32_t loop);

/* What leaves_loop_after learns per statement list: the last statement of
 * the list that always leaves the loop it was asked for (NONE32: none),
 * and that loop (NONE32 while unknown). Arrays over the unit's nodes. */
typedef struct leave_memo {
    uint32_t *last, *loop;
} leave_memo;

/* 0, or -1 when out of memory. */
int leave_memo_init(leave_memo *m, const facts *f);
void leave_memo_free(leave_memo *m, const facts *f);

/* Whether every path from statement n leaves loop in the same iteration: a
 * later statement of a list around n (inside the loop) always leaves it
 * (for ... { defer f(); return }). With a memo (may be NULL), each list is
 * looked at once per loop. */
int leaves_loop_after(const facts *f, uint32_t n, uint32_t loop, leave_memo *m);

/* Whether node n is dead code: an earlier statement of a list around it
 * (up to its function declaration) never returns (t.Skip(...), panic,
 * os.Exit, ...). */
int unreachable(const facts *f, uint32_t n);

/* The first use of variable v (in source order) inside a function literal
 * declared after v (GOLEAK_USE_CAPTURED), NONE32 when none: a closure that
 * reads the variable when it runs. memo (one entry per variable of the
 * facts, set to UNKNOWN_EXIT) keeps the answer, so that asking for every
 * call of a function costs one pass over each variable's uses. */
uint32_t first_captured_use(const facts *f, const var_fact *v, uint32_t *memo);

/* ---- what runs once in a loop ---- */

/* Whether some if around node n (inside loop) tests `x == nil` and sets x
 * in its body (or `x != nil`, and sets it in the else branch; any zero
 * value: nil, "", 0, false): the branch, and n, run at most once per call
 * (if conn == nil { conn = dial(); defer conn.Close() }). */
int guarded_once_in_loop(const facts *f, uint32_t n, uint32_t loop);

/* ---- brackets ---- */

/* The token matching the '[' or '(' at token i, scanning no further than
 * token b; NONE32 when it is not closed by then. */
uint32_t matching(const facts *f, uint32_t i, uint32_t b);

/* ---- channel makes ---- */

enum { MAKE_NOT_CHAN = -1, MAKE_CAP_NONE, MAKE_CAP_ZERO, MAKE_CAP_SOME };

/* The capacity of make(chan T[, n]) whose `make` is token mk, scanned no
 * further than token last: none, a literal 0, or another; *close is set
 * to its ')' (last + 1 when not closed by then). MAKE_NOT_CHAN (*close
 * untouched) when the tokens from mk do not spell make(chan. */
int make_chan_capacity(const facts *f, uint32_t mk, uint32_t last, uint32_t *close);

/* ---- select cases ---- */

/* Whether select clause (COMM) `clause` inside loop can run at most once
 * per call: it receives from a timer's channel (a timer fires once; a
 * Reset only under `if t.Stop()`, of a timer that had not fired), from a
 * reply channel made before the loop with room for one value (make(chan T,
 * 1): a request's single answer) or from CloseNotify()'s channel, or the
 * case turns its channel off (ch = nil). */
int clause_runs_once(const facts *f, uint32_t clause, uint32_t loop);

/* ---- tests ---- */

/* Whether call fails the running test: a method Fatal, Fatalf, FailNow,
 * Fail, Error or Errorf of a test handle (t, b, tb, c, s.T()...), an
 * assertion package's Fail/FailNow/Failf/Fatalf, or panic. */
int fails_test(const facts *f, uint32_t call);

/* Whether a call ends the process or unwinds past its caller: panic,
 * os.Exit or log.Fatal*. */
int call_ends_process(const facts *f, const call_fact *c);

/* Whether node n lies in test code: a _test.go file, or a function (or a
 * literal inside one) taking a *testing.T, B, F or testing.TB. */
int in_test_code(const facts *f, uint32_t n);

/* The call that fails the test before statement s on every path to it: s
 * itself, or an earlier statement of a list around s (up to its function)
 * that is a failing call. NONE32 when there is none, or when s is not test
 * code. A leak on the path through s happens only after the test failed. */
uint32_t test_failed_before(const facts *f, uint32_t s);

/* How a finding says that its leak happens only after the test has failed
 * (when failed is set): severity info and a note for the message; else the
 * rule's own severity (-1) and no note. */
typedef struct failure_note {
    int severity;
    const char *note;
} failure_note;

failure_note after_failure(int failed);

/* The call that fails the test in select or switch clause c (one of its
 * statements), or the timeout c waits for (a receive from time.After,
 * time.Tick, a timer's or ticker's C, or a Done() channel): NONE32 when
 * neither, or when c is not test code. A path through c is taken only
 * once the test failed or timed out. */
uint32_t test_failed_in_clause(const facts *f, uint32_t c);

/* Whether the unit is a test file (its path ends in _test.go). */
int in_test_file(const facts *f);

/* Whether the file's package clause names package main. */
int in_package_main(const facts *f);

/* Whether identifier token tok is an exported name (an upper-case ASCII
 * first letter, as Go reads it for the names the rules ask about). */
int tok_exported(const facts *f, uint32_t tok);

/* The parameter of FUNC or FUNCLIT fn at position k (0-based), or NULL. */
const var_fact *param_at(const facts *f, uint32_t fn, uint32_t k);

/* The receiver variable of method fn, NULL for a function (or `func (T) m()`). */
const var_fact *receiver_var(const facts *f, uint32_t fn);

/* The position of parameter variable var (an index into the facts'
 * variables) among fn's parameters, NONE32. */
uint32_t param_pos(const facts *f, uint32_t fn, uint32_t var);

/* Whether variable v is used inside node n's subtree (by token range). */
int var_used_in(const facts *f, const var_fact *v, uint32_t n);

/* Whether a use of v in tokens (from, to] gives it a new value (v = ...,
 * a, v = ..., v++) or takes its address (&v). */
int var_set_in(const facts *f, const var_fact *v, uint32_t from, uint32_t to);

/* ---- prefilters: questions about the unit before its facts are built ---- */

/* Iterates over the nodes of the unit's tree of one kind, in node-array
 * order (not source order), without facts: for a rule to tell cheaply that
 * it cannot report on a unit. */
#define FOR_UNIT_NODE(u, k, var)                                                                   \
    for (const uint32_t *var##_at = unit_kind_begin(u, k), *var##_end = unit_kind_end(u, k);       \
         var##_at < var##_end; var##_at++)                                                         \
        for (uint32_t var = *var##_at, var##_once = 1; var##_once; var##_once = 0)

/* The bounds of kind k's nodes in the unit's kind index (unit_kind_index,
 * which the check builds before any rule runs); empty when it could not be
 * built, which only happens outside a check, out of memory. */
static inline const uint32_t *unit_kind_begin(const goleak_unit *u, int k) {
    return unit_kind_index(u) ? NULL : u->kind_nodes + u->kind_at[k];
}
static inline const uint32_t *unit_kind_end(const goleak_unit *u, int k) {
    return unit_kind_index(u) ? NULL : u->kind_nodes + u->kind_at[k + 1];
}

/* Whether node n lies in the body of a loop, no function between them. */
int unit_in_loop_body(const goleak_unit *u, uint32_t n);

/* Whether the tokens from i spell the words, for example {"make", "(",
 * "chan"} (a token's text as written in the source). */
int unit_tokens_are(const goleak_unit *u, uint32_t i, const char *const *words, size_t n);

/* Whether the unit has the token sequence words somewhere. */
int unit_has_tokens(const goleak_unit *u, const char *const *words, size_t n);

/* The body of the `if err != nil` right after call: the call assigns its
 * one result to err (err := c(...), or in the if's own init). NONE32. */
uint32_t error_branch(const facts *f, uint32_t call);

/* The name of the top function around node n (literals skipped), into
 * buf ("?" when there is none). */
const char *func_name(const facts *f, uint32_t n, char *buf, size_t size);

/* Whether function fn's last result is an error (func ... (T, error)). */
int returns_error(const facts *f, uint32_t fn);

/* Whether return statement ret gives a nil last result (return v, nil),
 * or is bare: a success that hands what it holds to the caller. */
int returns_nil_error(const facts *f, uint32_t ret);

/* Whether loop lp runs as long as its input lasts, which no buffer bounds:
 * for {}, for sc.Scan() (a condition that is a call), a range over a
 * channel. */
int unbounded_loop(const facts *f, uint32_t lp);

/* The bound of loop lp's count: tokens [a, b] (i < E: E; range X, or
 * i < len(X): X, with range set), and whether the count is a part of it
 * (E - k, len(X) - k, len(X)/k + c: less set). 0 when the loop has no such
 * bound. */
typedef struct loop_bound {
    uint32_t a, b;
    int range; /* the count is X's number of elements */
    int less;  /* the count is that bound less a constant, or a fraction of it */
} loop_bound;
int loop_bound_of(const facts *f, uint32_t lp, loop_bound *out);

/* Whether variable v is declared with the type context.Context as
 * spelled (a parameter ctx context.Context). */
int declared_context(const facts *f, const var_fact *v);

/* Whether tokens [a, b] name a ticker: a variable made by time.NewTicker,
 * or a field x.f whose declared type is *time.Ticker (or which the file
 * sets to time.NewTicker(...)). */
int names_ticker(const facts *f, uint32_t a, uint32_t b);

/* Whether loop is a range over a ticker's channel (for t := range
 * ticker.C): it never ends by itself, as Stop does not close the channel. */
int ranges_ticker(const facts *f, uint32_t loop);

/* Whether some x.Stop() of the file outside function fn stops the ticker
 * named [a, b]: t.Stop() for a variable, any x.f.Stop() for a field f. */
int ticker_stopped_elsewhere(const facts *f, uint32_t a, uint32_t b, uint32_t fn);

/* The return statement that a path after statement stmt reaches without a
 * call that is_release accepts (ctx its context): NONE32 when every path
 * releases, or ends otherwise. */
uint32_t return_without(const facts *f, uint32_t stmt,
                        int (*is_release)(const release_query *q, uint32_t call), void *ctx);

#endif
