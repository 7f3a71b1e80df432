/* The goleak_*_init functions: each sets a versioned struct to its INIT
 * macro's value, for callers (and bindings) that cannot use the macro. */
#include "goleak.h"

#define INIT_FN(fn, type, version_macro, init_macro)                                               \
    GOLEAK_API goleak_status fn(type *x, unsigned int version) {                                   \
        if (!x || version != version_macro) return GOLEAK_EINVAL;                                  \
        type v = init_macro;                                                                       \
        *x = v;                                                                                    \
        return GOLEAK_OK;                                                                          \
    }

INIT_FN(goleak_allocator_init, goleak_allocator, GOLEAK_ALLOCATOR_VERSION, GOLEAK_ALLOCATOR_INIT)
INIT_FN(goleak_parse_options_init, goleak_parse_options, GOLEAK_PARSE_OPTIONS_VERSION,
        GOLEAK_PARSE_OPTIONS_INIT)
INIT_FN(goleak_engine_options_init, goleak_engine_options, GOLEAK_ENGINE_OPTIONS_VERSION,
        GOLEAK_ENGINE_OPTIONS_INIT)
INIT_FN(goleak_check_options_init, goleak_check_options, GOLEAK_CHECK_OPTIONS_VERSION,
        GOLEAK_CHECK_OPTIONS_INIT)
INIT_FN(goleak_rule_def_init, goleak_rule_def, GOLEAK_RULE_DEF_VERSION, GOLEAK_RULE_DEF_INIT)
INIT_FN(goleak_path_query_init, goleak_path_query, GOLEAK_PATH_QUERY_VERSION,
        GOLEAK_PATH_QUERY_INIT)
