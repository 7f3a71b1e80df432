/* A resource kept in a field of a method's receiver (s.ticker, w.cancel)
 * and replaced by a method that runs again over a receiver already set up:
 * what GL015 and GL018 ask before reporting the old value as lost. */
#ifndef GOLEAK_RULES_REPLACE_H
#define GOLEAK_RULES_REPLACE_H

#include "common.h"

/* Whether method fn (receiver rv) reconfigures its receiver: an if of fn
 * compares a field of rv (r.x == v, r.x != v) that fn then gives a new
 * value, or its name is a setter's or a reload's (SetConfig, Reload,
 * UpdateX, Reset...), or such a method calls it without releasing field
 * `field` first: fn expects to run over a receiver already set up. */
int method_reconfigures(const facts *f, uint32_t fn, const var_fact *rv, uint32_t field);

/* Whether method fn releases what field `field` (a name token) of its
 * receiver rv holds before token `before`: r.F() (a cancel function),
 * r.F.Stop() or r.F.Close(), in fn or in a method of the file fn calls on
 * rv first (one level). */
int field_released_before(const facts *f, uint32_t fn, const var_fact *rv, uint32_t field,
                          uint32_t before);

/* The field of fn's receiver that assignment target tokens [a, b] name
 * (r.F, the receiver itself first): F's token, NONE32 otherwise. */
uint32_t receiver_field(const facts *f, const var_fact *rv, uint32_t a, uint32_t b);

#endif
