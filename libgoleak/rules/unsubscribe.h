/* GL014's subscriber channels removed without their close: a publisher
 * whose Close closes each channel it deletes from its set, and whose
 * Evict (Unsubscribe) deletes one without closing it. */
#ifndef GOLEAK_RULES_UNSUBSCRIBE_H
#define GOLEAK_RULES_UNSUBSCRIBE_H

#include "common.h"

/* Reports `delete(p.subscribers, sub)` in a function that closes nothing,
 * when another function of the file closes the channels it deletes from
 * that same field (`delete(p.subscribers, sub); close(sub)`), and a caller
 * in the file ranges over the channel it hands the deleting function: the
 * range never ends. */
void check_removed_unclosed(goleak_check *chk, const facts *f);

#endif
