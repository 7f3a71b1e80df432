/* The table of built-in rules (from builtin_rules.h), their texts, and
 * GL000, which the engine reports itself (unused suppression comments). */
#include "rules.h"

#include <string.h>

static int check_nothing(goleak_check *chk, void *ud) {
    (void)chk;
    (void)ud;
    return 0; /* GL000's findings come from findings.c */
}

const goleak_rule_def builtin_GL000 = {
    .version = GOLEAK_RULE_DEF_VERSION,
    .id = "GL000",
    .name = "unused-ignore",
    .severity = GOLEAK_SEVERITY_INFO,
    .check = check_nothing,
};

#define BUILTIN_RULE(id) &builtin_##id,
const goleak_rule_def *const builtin_rules[] = {
#include "builtin_rules.h"
};
#undef BUILTIN_RULE

const size_t builtin_rule_count = sizeof builtin_rules / sizeof *builtin_rules;

const rule_doc *rule_doc_find(const char *id) {
    for (size_t k = 0; k < rule_doc_count; k++)
        if (strcmp(rule_docs[k].id, id) == 0) return &rule_docs[k];
    return NULL;
}
