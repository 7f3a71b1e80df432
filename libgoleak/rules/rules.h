/* The built-in rules: one file per family, each exporting its rules'
 * descriptions; rules.c lists them in id order. */
#ifndef GOLEAK_RULES_H
#define GOLEAK_RULES_H

#include "goleak.h"

#include <stddef.h>

typedef struct builtin_rule {
    const char *id, *name;
    int severity;
    const char *summary, *doc;
    const char *go_min, *go_below;
    goleak_rule_fn check;
    /* checks an option when it is set; NULL: the rule has no options */
    int (*validate_option)(const char *key, const char *value);
} builtin_rule;

extern const builtin_rule rule_gl001, rule_gl002, rule_gl003; /* retention.c */
extern const builtin_rule rule_gl004;                         /* arrays.c */
extern const builtin_rule rule_gl005;                         /* defer.c */
extern const builtin_rule rule_gl010, rule_gl011;             /* locks.c */
extern const builtin_rule rule_gl012, rule_gl013, rule_gl020; /* channels.c */
extern const builtin_rule rule_gl014;                         /* goroutines.c */
extern const builtin_rule rule_gl015, rule_gl016;             /* timers.c */
extern const builtin_rule rule_gl017;                         /* finalizers.c */
extern const builtin_rule rule_gl019, rule_gl021, rule_gl022; /* deadlocks.c */
extern const builtin_rule rule_gl023, rule_gl024;             /* syncmisuse.c */
extern const builtin_rule rule_gl018;                         /* context.c */

/* GL000: suppression comments that suppress nothing; reported by the engine
 * itself when asked (GOLEAK_CHECK_REPORT_UNUSED_IGNORES). */
extern const builtin_rule rule_gl000;

/* Every built-in rule, in id order. */
extern const builtin_rule *const builtin_rules[];
extern const size_t builtin_rule_count;

#endif
