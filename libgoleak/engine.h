/* The engine: the rule registry and the check of one unit. */
#ifndef GOLEAK_ENGINE_H
#define GOLEAK_ENGINE_H

#include "alloc.h"
#include "goleak.h"
#include "unit.h"

struct facts;

typedef struct rule_option {
    char *key, *value;
} rule_option;

struct goleak_rule {
    char *id, *name, *summary, *doc;
    int severity;
    int go_min, go_below; /* Go minor versions; -1: no bound */
    char go_versions[32]; /* "any", "< 1.23", ">= 1.21", ">= 1.21, < 1.23" */
    goleak_rule_fn fn;
    void *user_data;
    void (*free_user_data)(void *);
    /* built-in rules check option keys and values when they are set */
    int (*validate_option)(const char *key, const char *value);
    int enabled;
    struct {
        rule_option *data;
        uint32_t len, cap;
    } options;
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
} raw_finding;

/* Slots of per-check shared data (check_shared). */
enum { CHECK_SHARED_PACKS, CHECK_SHARED_SLOTS };

struct goleak_check {
    const goleak_engine *engine;
    const goleak_unit *unit;
    const struct goleak_rule *rule; /* the running rule */
    uint32_t rule_index;
    int go_minor;        /* -1: unknown */
    struct facts *facts; /* built on first use by a built-in rule */
    struct {
        raw_finding *data;
        uint32_t len, cap;
    } found;
    arena strings;
    int oom;
    /* per-check data shared by the rules of one family, built on first use */
    struct {
        void *data;
        void (*free_fn)(void *data);
    } shared[CHECK_SHARED_SLOTS];
    char *failure;      /* why the running rule failed (check_fail), NULL: none */
    uint64_t *rule_ns;  /* GOLEAK_CHECK_TIME_RULES: ns per rule, then the shared indexes */
    uint64_t shared_ns; /* time spent building shared data during the running rule */
};

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

/* Reports at a node (its span) or a token range. */
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

#endif
