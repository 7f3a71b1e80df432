/* Running a pack rule on a unit: the goleak_rule_fn every pack rule
 * registers with (user_data is its pack_rule). */
#ifndef GOLEAK_PACKS_RULE_RUN_H
#define GOLEAK_PACKS_RULE_RUN_H

#include "goleak.h"

int pack_rule_check(goleak_check *chk, void *user_data);

#endif
