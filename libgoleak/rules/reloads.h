/* GL014's goroutines that a reconfiguring method starts on the context it
 * is given: each reload adds a generation that nothing stops. */
#ifndef GOLEAK_RULES_RELOADS_H
#define GOLEAK_RULES_RELOADS_H

#include "common.h"

/* Reports `go hc.execute(parentCtx, b)` in a method that reconfigures its
 * receiver (see method_reconfigures), when the goroutine loops forever
 * and leaves only through that context, a parameter of the method, and
 * the method derives no child context and stops nothing before it: the
 * goroutines of the previous configuration keep running. */
void check_reload_goroutines(goleak_check *chk, const facts *f);

#endif
