/* GL014's goroutines started by a helper that returns their stopper: an
 * object whose Stop (Close, Cancel) its caller calls on some paths only. */
#ifndef GOLEAK_RULES_STOPPERS_H
#define GOLEAK_RULES_STOPPERS_H

#include "common.h"

/* Reports `w := c.watchStatus(name)` — a function of the file that starts a
 * goroutine and returns a value with a Stop, Close or Cancel method — when
 * the caller calls that method on some paths but returns on another
 * without calling it or handing the value on. */
enum { STARTS_GOROUTINE, STARTS_COUNT };
/* what: STARTS_GOROUTINE (GL014) for helpers that start a goroutine, or
 * STARTS_COUNT (GL024) for helpers that count the value on a WaitGroup
 * (b.pendingReaders.Add(1)) that its Close counts down. */
void check_stoppers(goleak_check *chk, const facts *f, int what);

/* Reports a return between `x.Watch(ctx)` — a method of the file that
 * starts a goroutine — and the `x.Unwatch()` the same function calls on
 * another path (Un + the start's name: Unwatch, Unsubscribe, Unregister):
 * the goroutine the start left running is never ended. */
void check_undone_starts(goleak_check *chk, const facts *f);

/* Reports a return that drops a local object (mc := &conn{...}) after a
 * method of the file started its goroutine (mc.startWatcher()), when the
 * function hands the object on elsewhere (return mc) and this path neither
 * hands it on nor ends it (a method that closes a channel or stops). */
void check_started_dropped(goleak_check *chk, const facts *f);

#endif
