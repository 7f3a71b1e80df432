/* GL014's goroutines that wait on a parent context while the function's
 * work is bound to a child context handed on. */
#ifndef GOLEAK_RULES_PARENTCTX_H
#define GOLEAK_RULES_PARENTCTX_H

#include "common.h"

/* Reports `<-ctx.Done()` in a goroutine literal of a function that derives
 * a child from ctx (WithCancel and friends) and hands the child's cancel
 * function on, when the goroutine never names the child or its cancel. */
void check_parent_context_waits(goleak_check *chk, const facts *f);

#endif
