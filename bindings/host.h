/* What the Python and Lua bindings share, in plain C: each thread's error
 * object (the status typemaps read it), rule definitions built field by
 * field (a host language cannot fill a goleak_rule_def's strings and
 * options array itself), checks with their options as arguments, and rule
 * packs found as the command finds them. Compiled into each binding
 * module; not part of libgoleak. */
#ifndef GOLEAK_HOST_H
#define GOLEAK_HOST_H

#include "goleak.h"

/** The calling thread's error object, cleared: every wrapped call that
 *  takes a goleak_error gets this one, and the status typemap reads it.
 *  NULL only when out of memory. Freed when the thread exits. */
goleak_error *host_error(void);

/** The calling thread's error object as the last call left it (NULL when
 *  the thread has none yet): what a status typemap raises. */
goleak_error *host_error_peek(void);

/** A rule definition under construction; its strings and options are
 *  copies owned by it. */
typedef struct host_rule host_rule;

/** A new definition (NULL strings stay NULL); NULL when out of memory.
 *  Free it with host_rule_free once it is registered (or not). */
host_rule *host_rule_new(const char *id, const char *name, int severity, const char *summary,
                         const char *doc, const char *go_min, const char *go_below,
                         const char *triggers, unsigned int flags);

/** Declares an option of the rule (see goleak_rule_option).
 *  Errors: GOLEAK_EINVAL (NULL rule or key), GOLEAK_ENOMEM. */
goleak_status host_rule_add_option(host_rule *rule, const char *key, int type,
                                   const char *default_value, long long min, long long max,
                                   const char *doc);

/** Registers the definition with a callback and extra flags (a binding
 *  whose interpreter is not thread-safe adds GOLEAK_RULE_SERIALIZED): the
 *  engine owns user_data on success (and frees it with free_user_data); on
 *  failure the caller keeps it. Errors: those of goleak_engine_register_rule. */
goleak_status host_rule_register(goleak_engine *engine, const host_rule *rule, goleak_rule_fn check,
                                 void *user_data, void (*free_user_data)(void *),
                                 unsigned int extra_flags, goleak_error *err);

/** Frees a definition; NULL is accepted. */
void host_rule_free(host_rule *rule);

/** goleak_engine_check with its options as arguments: go_version NULL
 *  (unknown) or e.g. "1.22", flags from enum goleak_check_flag_bits. */
goleak_status host_check(goleak_findings **out, const goleak_engine *engine,
                         const goleak_unit *unit, const char *go_version, unsigned int flags,
                         goleak_error *err);

/** goleak_writer_new with its options as arguments: format (enum
 *  goleak_formats), the engine whose rules SARIF lists (may be NULL), and
 *  where the output goes (write NULL: kept in memory). */
goleak_status host_writer_new(goleak_writer **out, int format, const goleak_engine *engine,
                              goleak_write_fn write, void *user_data, goleak_error *err);

/** Loads a YAML rule pack, or every pack of a directory (as `goleak scan
 *  --pack`). Errors: those of goleak_engine_load_pack and
 *  goleak_engine_load_pack_dir. */
goleak_status host_load_pack_path(goleak_engine *engine, const char *path, goleak_error *err);

/** Loads the packs shipped with libgoleak, as goleak_engine_add_default_packs
 *  does, first looking where an installed module finds them: the module is
 *  linked statically, so the library's own look-up starts from the module's
 *  directory, which is not the library's (HOST_MODULE_TO_RULES, relative to
 *  the module's directory, says where the install put the packs). Errors:
 *  those of goleak_engine_add_default_packs (GOLEAK_ENOTFOUND: no packs). */
goleak_status host_add_default_packs(goleak_engine *engine, goleak_error *err);

/** The byte offset of the first NUL among the first `probe` bytes of the
 *  unit's source, or GOLEAK_NONE: Go source has none (a binary file). */
size_t host_unit_nul_offset(const goleak_unit *unit, size_t probe);

#endif
