/* What a `go` statement starts, and how a channel of the starting function
 * is seen inside it: shared by the channel and goroutine rules. */
#ifndef GOLEAK_RULES_GOROUTINE_H
#define GOLEAK_RULES_GOROUTINE_H

#include "common.h"

/* The function a go statement runs: its FUNCLIT, or the FUNC of the file
 * it names (go worker(x), go s.loop()); NONE32 when unknown. */
uint32_t goroutine_func(const facts *f, uint32_t go_stmt);

/* The function an expression stands for: a FUNCLIT, or the FUNC of the file
 * it names (worker, or a method value s.worker); NONE32 otherwise. */
uint32_t func_value(const facts *f, uint32_t expr);

/* The variable that stands for channel variable ch inside the goroutine fn
 * started by go_stmt: ch itself when a literal captures it, or the parameter
 * it is passed to. NULL when the goroutine does not get it. */
const var_fact *channel_in_goroutine(const facts *f, uint32_t go_stmt, uint32_t fn,
                                     const var_fact *ch);

/* Whether expression node e (EXPR, or a RECV's operand) is exactly variable v. */
int expr_is_var(const facts *f, uint32_t e, const var_fact *v);

/* The variable a send's channel, a receive's operand or a range's X is,
 * when it is a single identifier; NULL otherwise. */
const var_fact *send_chan(const facts *f, uint32_t send);
const var_fact *recv_chan(const facts *f, uint32_t recv);
const var_fact *range_chan(const facts *f, uint32_t rng);

/* Whether the use of variable v at token u hands the channel on: returned,
 * assigned, stored, passed to a call other than `skip_call`, sent. */
int chan_use_escapes(const facts *f, uint32_t u, uint32_t skip_call);

enum once_flag {
    ONCE_WITH_MAIN = 1,       /* main and init count */
    ONCE_CALLBACKS_REPEAT = 2 /* a caller that is a function literal handed to a call
                               * (filepath.WalkDir's callback) or made in a loop runs
                               * again and again */
};

/* Whether top-level function fn runs once per process: main or init (with
 * ONCE_WITH_MAIN), passed by name to a sync.Once's Do and not called
 * directly, a command's handler (the Run, RunE, Action or PreRun value of a
 * command literal), or called (in the file, outside loops) only from such
 * functions or right before the process ends. A goroutine it leaves behind
 * dies with the process. depth: 0 for a first question; flags: once_flag. */
int once_per_process(const facts *f, uint32_t fn, int depth, int flags);

#endif
