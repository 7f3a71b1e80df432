/* The table of built-in rules, in id order; and GL000, which the engine
 * reports itself (unused suppression comments). */
#include "rules.h"

static int check_nothing(goleak_check *chk, void *ud) {
    (void)chk;
    (void)ud;
    return 0; /* GL000's findings come from findings.c */
}

const builtin_rule rule_gl000 = {
    "GL000",
    "unused-ignore",
    GOLEAK_SEVERITY_INFO,
    "a suppression comment that suppresses no finding",
    "With --report-unused-ignores (GOLEAK_CHECK_REPORT_UNUSED_IGNORES), each\n"
    "//goleak:ignore or //nolint:goleak comment that covers no finding is\n"
    "reported, so that stale suppressions do not hide future leaks.\n"
    "\n"
    "Suppressing a finding: put the comment on the finding's line, or alone on\n"
    "the line above it, naming the rules and a reason:\n"
    "\n"
    "    t := time.NewTicker(d) //goleak:ignore GL015 stopped by the owner's Close\n"
    "\n"
    "    //goleak:ignore GL005,GL010 bounded loop of three\n"
    "    defer mu.Unlock()\n"
    "\n"
    "//nolint:goleak, //nolint:all and a bare //nolint suppress every rule.\n",
    NULL,
    NULL,
    check_nothing,
    NULL,
};

const builtin_rule *const builtin_rules[] = {
    &rule_gl000, &rule_gl001, &rule_gl002, &rule_gl003, &rule_gl004, &rule_gl005, &rule_gl010,
    &rule_gl011, &rule_gl012, &rule_gl013, &rule_gl014, &rule_gl015, &rule_gl016, &rule_gl017,
    &rule_gl018, &rule_gl019, &rule_gl020, &rule_gl021, &rule_gl022, &rule_gl023, &rule_gl024,
};

const size_t builtin_rule_count = sizeof builtin_rules / sizeof *builtin_rules;
