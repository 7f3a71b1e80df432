/* GL023's lost wake-ups: a flag that the waiters of a sync.Cond leave on
 * (`closed`, `stopped`), set by another method that wakes none of them, or
 * only one when several wait. */
#ifndef GOLEAK_RULES_CONDWAKE_H
#define GOLEAK_RULES_CONDWAKE_H

#include "typeindex.h"

/* Whether the receiver written as tokens [first, last] is a sync.Cond (the
 * caller's judgement: declared type, or set to sync.NewCond). */
typedef int (*cond_pred)(void *ctx, uint32_t first, uint32_t last);

/* Reports, for every Wait in a loop on a Cond of a method's receiver, the
 * methods of the same type that set a flag the waiters leave on without
 * waking them. Out of memory sets chk->oom. */
void check_cond_wakeups(goleak_check *chk, const facts *f, const typeindex *types,
                        cond_pred is_cond, void *ctx);

#endif
