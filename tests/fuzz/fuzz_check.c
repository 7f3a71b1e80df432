/* Fuzzer: the full check, every built-in rule, with and without a Go
 * version and the report of unused suppressions (the first input byte
 * picks them). Findings must lie inside the source, in order. */
#include "fuzz.h"

#include <string.h>

static goleak_engine *engine(void) {
    static goleak_engine *e;
    if (!e) {
        FUZZ_ASSERT(goleak_engine_new(&e, NULL, NULL) == 0);
        FUZZ_ASSERT(goleak_engine_add_builtin_rules(e, NULL) == 0);
    }
    return e;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
    static const char *const versions[4] = {NULL, "1.21", "1.23", "1.16"};
    unsigned pick = size ? data[0] : 0;
    goleak_unit *u = NULL;
    if (goleak_unit_parse(&u, "fuzz.go", (const char *)data, size, NULL, NULL) != 0) return 0;
    goleak_check_options co = GOLEAK_CHECK_OPTIONS_INIT;
    co.go_version = versions[pick & 3];
    co.flags = (pick & 4) ? GOLEAK_CHECK_REPORT_UNUSED_IGNORES : 0;
    goleak_findings *fs = NULL;
    FUZZ_ASSERT(goleak_engine_check(&fs, engine(), u, &co, NULL) == 0);
    size_t n = goleak_findings_count(fs);
    uint32_t prev = 0;
    for (size_t i = 0; i < n; i++) {
        const goleak_finding *f = goleak_findings_get(fs, i);
        goleak_span sp = goleak_finding_span(f);
        FUZZ_ASSERT(sp.start.offset >= prev && sp.start.offset <= sp.end.offset);
        FUZZ_ASSERT(sp.end.offset <= size);
        fuzz_check_pos(u, sp.start);
        prev = sp.start.offset;
        const char *id = goleak_finding_rule_id(f), *msg = goleak_finding_message(f);
        FUZZ_ASSERT(id && strlen(id) == 5 && msg && *msg);
        FUZZ_ASSERT(strcmp(goleak_finding_path(f), "fuzz.go") == 0);
    }
    goleak_findings_free(fs);
    goleak_unit_free(u);
    return 0;
}
