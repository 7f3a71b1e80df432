/* The engine: the rule registry, rule options and triggers, and the check
 * of one unit (check.c). */
#ifndef GOLEAK_ENGINE_H
#define GOLEAK_ENGINE_H

#include "alloc.h"
#include "goleak.h"
#include "unit.h"

#include <pthread.h>

struct facts;

/* One entry of a rule's triggers. */
enum trigger_type {
    TRIG_TOKEN, /* a keyword or operator: a token kind */
    TRIG_IDENT, /* an identifier: its text (and hash) */
    TRIG_IMPORT /* an import path */
};

typedef struct trigger {
    uint8_t type;  /* enum trigger_type */
    uint8_t kind;  /* TRIG_TOKEN: the token kind */
    uint16_t hash; /* TRIG_IDENT: ident_hash of the text */
    uint32_t len;
    char *text; /* TRIG_IDENT, TRIG_IMPORT */
} trigger;

struct goleak_rule {
    char *id, *name, *summary, *doc, *triggers_text;
    int severity;
    int go_min, go_below; /* Go minor versions; -1: no bound */
    char go_versions[32]; /* "any", "< 1.23", ">= 1.21", ">= 1.21, < 1.23" */
    goleak_rule_fn fn;
    void *user_data;
    void (*free_user_data)(void *);
    unsigned flags;
    pthread_mutex_t *serial; /* GOLEAK_RULE_SERIALIZED: held around each call */
    trigger *triggers;       /* none: the rule runs on every unit */
    uint32_t ntriggers;
    goleak_rule_option *options; /* declarations, strings owned */
    char **values;               /* per option: the value set, NULL when unset */
    size_t noptions;
    int enabled;
};

struct goleak_engine {
    const goleak_allocator *alloc;
    goleak_allocator alloc_copy;
    struct {
        struct goleak_rule **data;
        uint32_t len, cap;
    } rules;
    int builtin_added;
};

/* A finding as rules report it, before sorting and suppression. */
typedef struct raw_finding {
    uint32_t rule;       /* index in the engine's rules */
    uint32_t start, end; /* byte offsets */
    const char *message; /* in the check's arena */
    int severity;        /* enum goleak_severities; -1: the rule's */
} raw_finding;

/* Which tokens and imports a unit holds, for the rules' triggers: computed
 * once per check, when the first rule with triggers is considered. */
typedef struct unit_presence {
    int built;
    uint64_t kinds[2];        /* bit per token kind */
    uint64_t idents[1 << 10]; /* bit per identifier hash (65,536 bits) */
} unit_presence;

struct goleak_check {
    const goleak_engine *engine;
    const goleak_unit *unit;
    const struct goleak_rule *rule; /* the running rule */
    uint32_t rule_index;
    int go_minor;        /* -1: unknown */
    struct facts *facts; /* built on first use */
    unit_presence *presence;
    const char *failure; /* goleak_check_fail's message, in the arena */
    struct {
        raw_finding *data;
        uint32_t len, cap;
    } found;
    arena strings;
    int oom;
};

/* ---- registration (engine.c) ---- */

/* Registers a rule from its definition; the shared path of built-in and
 * external rules. */
int engine_add_rule(goleak_engine *e, const goleak_rule_def *d, goleak_error *err);

/* Calls fn on each comma-separated entry of list (spaces trimmed; the
 * entry is a slice of list, not terminated); stops at the first non-zero
 * result, which it returns. *count receives the number of entries seen. */
int each_entry(const char *list, int (*fn)(const char *entry, size_t n, void *ctx), void *ctx,
               size_t *count);

/* ---- options (rule_options.c) ---- */

/* Copies the option declarations of d into r (validating them). */
int rule_options_copy(struct goleak_rule *r, const goleak_rule_def *d, const goleak_allocator *a,
                      goleak_error *err);
void rule_options_free(struct goleak_rule *r, const goleak_allocator *a);
/* The index of option key in r, or -1. */
long rule_option_index(const struct goleak_rule *r, const char *key);
/* Whether value fits option o; a message for the error otherwise. */
int rule_option_accepts(const goleak_rule_option *o, const char *value, char *why, size_t size);
/* The value of an INT or BOOL option text (validated). */
long long rule_option_number(const goleak_rule_option *o, const char *value);

/* ---- triggers (triggers.c) ---- */

/* Parses a rule's trigger list into r. */
int rule_triggers_parse(struct goleak_rule *r, const char *text, const goleak_allocator *a,
                        goleak_error *err);
void rule_triggers_free(struct goleak_rule *r, const goleak_allocator *a);
/* Whether some trigger of r occurs in the check's unit (1 when r has none). */
int rule_triggered(goleak_check *chk, const struct goleak_rule *r);

/* Whether the unit may contain the identifier or keyword `word` (the
 * presence bitmap of the triggers: a hash, so it can say yes wrongly, never
 * no wrongly). For rules to skip a unit before building its facts. */
int check_may_have(goleak_check *chk, const char *word);

/* ---- inside a check (check.c) ---- */

/* The unit's facts, built once per check (NULL when out of memory). */
const struct facts *check_facts(goleak_check *chk);

/* Parses "1.22", "go1.22", "1.22.3", "1.22rc1": the minor version, or -1. */
int parse_go_minor(const char *v);

/* Reports a finding spanning bytes [start, end) with a formatted message. */
int check_reportf(goleak_check *chk, uint32_t start, uint32_t end, const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 4, 5)))
#endif
    ;

/* Reports at a node (its span). */
int check_report_node(goleak_check *chk, uint32_t node, const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 3, 4)))
#endif
    ;

/* Reports at a node with a severity of its own (enum goleak_severities; -1
 * for the rule's): a finding that matters less than the rule's usual ones,
 * as a leak that happens only after a test has failed. */
int check_report_node_severity(goleak_check *chk, int severity, uint32_t node, const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 4, 5)))
#endif
    ;

#endif
