/* The built-in rules. Each is a goleak_rule_def, the same definition an
 * external rule registers, kept in its family's file (strings.c, locks.c,
 * ...) and listed once in builtin_rules.h; its summary and documentation are
 * docs/rules/ID.md, embedded at build time (rule_docs.c, generated). */
#ifndef GOLEAK_RULES_H
#define GOLEAK_RULES_H

#include "goleak.h"

#include <stddef.h>

#define BUILTIN_RULE(id) extern const goleak_rule_def builtin_##id;
#include "builtin_rules.h"
#undef BUILTIN_RULE

/* Every built-in rule, in id order. */
extern const goleak_rule_def *const builtin_rules[];
extern const size_t builtin_rule_count;

/* A rule's text from docs/rules/ID.md: "# ID name", a blank line, the
 * summary line, a blank line, the documentation. */
typedef struct rule_doc {
    const char *id, *name, *summary, *doc;
} rule_doc;

/* Every docs/rules/ID.md, in id order (generated at build time). */
extern const rule_doc rule_docs[];
extern const size_t rule_doc_count;

/* The text of rule id, or NULL. */
const rule_doc *rule_doc_find(const char *id);

#endif
