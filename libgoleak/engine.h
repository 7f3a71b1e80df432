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
    int origin;        /* goleak_rule_origin */
    char *origin_path; /* the pack file or shared object; NULL for built-in and API rules */
    struct {
        struct rule_scope *data;
        uint32_t len, cap;
    } scopes; /* per-path overrides of enabled, in order */
};

/* A per-path override of a rule's enabled state (project configuration):
 * files whose path, relative to base, or base name matches a glob. */
typedef struct rule_scope {
    char *base;   /* absolute directory the globs are relative to */
    char *cwd;    /* the working directory relative paths are taken from */
    char **globs; /* NULL-terminated */
    int enabled;
} rule_scope;

/* Something an engine keeps alive for its rules (a compiled pack, a native
 * pack's handle), freed with the engine after every rule. */
typedef struct engine_attachment {
    void *data;
    void (*free_fn)(void *data);
} engine_attachment;

struct goleak_engine {
    const goleak_allocator *alloc;
    goleak_allocator alloc_copy;
    struct {
        struct goleak_rule **data;
        uint32_t len, cap;
    } rules;
    int builtin_added;
    struct {
        engine_attachment *data;
        uint32_t len, cap;
    } attached;
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

/* State that several built-in rules share within one check: built by the
 * first rule that needs it, freed with the check. */
typedef struct shared_slot {
    void *data;
    void (*free_data)(void *data);
} shared_slot;

enum { SHARED_LOCKGRAPH, SHARED_RECURSIONS, SHARED_PACKS, SHARED_RETENTION, SHARED_COUNT };

/* State that rules share across the files of one package check: built on
 * first use, freed when every file is checked. */
enum {
    PKG_SHARED_INDEX,
    PKG_SHARED_NILCHAN,
    PKG_SHARED_UNLOCKS,
    PKG_SHARED_LOCKGRAPHS,
    PKG_SHARED_COUNT
};

/* The files of a package check, and their facts, built on first use and
 * kept until every file is checked (a rule may read any file's facts). */
typedef struct check_package {
    const goleak_unit *const *units;
    size_t n;
    struct facts **facts; /* per unit; NULL until built */
    shared_slot shared[PKG_SHARED_COUNT];
} check_package;

struct goleak_check {
    const goleak_engine *engine;
    const goleak_unit *unit;
    check_package *pkg;             /* the package the unit is checked with */
    size_t pkg_index;               /* the unit's index in it */
    const struct goleak_rule *rule; /* the running rule */
    uint32_t rule_index;
    int go_minor;        /* -1: unknown */
    struct facts *facts; /* built on first use */
    unit_presence *presence;
    const char *failure; /* goleak_check_fail's message, in the arena */
    shared_slot shared[SHARED_COUNT];
    struct {
        raw_finding *data;
        uint32_t len, cap;
    } found;
    arena strings;
    int oom;
    uint64_t *rule_ns;  /* GOLEAK_CHECK_TIME_RULES: ns per rule, then the shared indexes */
    uint64_t shared_ns; /* time spent building shared data during the running rule */
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
/* The unit's identifier presence bits (65,536, one per ident_hash), built
 * on first use and kept for the check; NULL when out of memory. */
const uint64_t *check_ident_presence(goleak_check *chk);

/* ---- inside a check (check.c) ---- */

/* The unit's facts, built once per check (NULL when out of memory). */
const struct facts *check_facts(goleak_check *chk);

/* The facts of file i of the check's package (check_facts for the check's
 * own file); built once per package check. NULL when out of memory. */
const struct facts *check_package_facts(goleak_check *chk, size_t i);

/* The package's shared data in slot, built by build(chk) on the first call
 * of any file's check (its time is not the running rule's); as
 * check_shared, but kept until every file of the package is checked. */
void *check_package_shared(goleak_check *chk, int slot, void *(*build)(goleak_check *chk),
                           void (*free_fn)(void *data));

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

/* ---- hooks for rule packs (packs/, pack_native.c) ---- */

/* Records the origin (goleak_rule_origin) and source path (copied; may be
 * NULL) of the rules registered from index first on. 0 or GOLEAK_ENOMEM. */
int engine_set_origin(goleak_engine *e, size_t first, int origin, const char *path);

/* Removes the rules registered from index first on (freeing their user
 * data), and the attachments made from index first_attached on: undoes a
 * load that failed half-way. */
void engine_rollback(goleak_engine *e, size_t first, size_t first_attached);

/* Keeps data alive until the engine is freed (free_fn runs after every rule
 * is freed). On failure (GOLEAK_ENOMEM) free_fn(data) is called at once. */
int engine_attach(goleak_engine *e, void *data, void (*free_fn)(void *data));
size_t engine_attach_count(const goleak_engine *e);

/* Appends a per-path override to rule r: files under base whose relative
 * path or base name matches one of the n globs get enabled. */
int engine_rule_add_scope(goleak_engine *e, goleak_rule *r, const char *base,
                          const char *const *globs, size_t n, int enabled);

/* Whether rule r runs on a file at path (its enabled flag and overrides). */
int engine_rule_enabled_for(const struct goleak_rule *r, const char *path);

/* The check's shared data in slot, built by build(chk) on the first call
 * (its time is not the running rule's). NULL when build fails (out of
 * memory: the check then fails). free_fn(data) runs at the check's end. */
void *check_shared(goleak_check *chk, int slot, void *(*build)(goleak_check *chk),
                   void (*free_fn)(void *data));

/* Makes the running rule's callback fail the check with this message
 * (goleak_engine_check returns GOLEAK_EUSER with it). */
void check_fail(goleak_check *chk, const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 2, 3)))
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
