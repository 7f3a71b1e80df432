/* Turning what rules reported into the findings of the public API. */
#ifndef GOLEAK_FINDINGS_H
#define GOLEAK_FINDINGS_H

#include "engine.h"

/* Sorts and de-duplicates chk's raw findings, drops those that suppression
 * comments cover (//goleak:ignore IDS reason, //nolint:goleak, //nolint:all,
 * //nolint, on the finding's line or alone on the line above), adds GL000
 * findings for unused suppressions when flags ask for it, and stores the
 * result in *out. 0 or GOLEAK_ENOMEM. */
int findings_build(goleak_findings **out, goleak_check *chk, unsigned flags);

/* Gives the findings the check's per-rule times (n entries, allocated with
 * the engine's allocator): goleak_findings_rule_ns reads them. */
void findings_set_times(goleak_findings *fs, uint64_t *ns, size_t n);

#endif
