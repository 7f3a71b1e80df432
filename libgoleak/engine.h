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
} raw_finding;

/* State that several built-in rules share within one check: built by the
 * first rule that needs it, freed with the check. */
typedef struct check_shared {
    void *data;
    void (*free_data)(void *data);
} check_shared;

enum { SHARED_LOCKGRAPH, SHARED_RECURSIONS, SHARED_COUNT };

struct goleak_check {
    const goleak_engine *engine;
    const goleak_unit *unit;
    const struct goleak_rule *rule; /* the running rule */
    uint32_t rule_index;
    int go_minor;        /* -1: unknown */
    struct facts *facts; /* built on first use by a built-in rule */
    check_shared shared[SHARED_COUNT];
    struct {
        raw_finding *data;
        uint32_t len, cap;
    } found;
    arena strings;
    int oom;
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

#endif
