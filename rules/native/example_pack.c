/* An example native rule pack: a shared object that registers rules written
 * in C through the public API, loaded with `goleak scan --native-pack FILE`
 * or goleak_engine_load_native_pack(). It exports one function,
 * goleak_native_pack_entry, which checks the host's ABI version and returns
 * the pack's descriptor.
 *
 * NX001 exit-outside-main: os.Exit called outside package main (a library
 * that exits skips its callers' deferred calls: files, locks, temporary
 * directories are left behind).
 *
 * Built by CMake next to the library (example_native_pack); the test suite
 * loads it and scans testdata/. Built with -DEXAMPLE_PACK_ABI=N it claims
 * another ABI version, which the host refuses. */
#include <goleak.h>

#include <string.h>

#ifndef EXAMPLE_PACK_ABI
#define EXAMPLE_PACK_ABI GOLEAK_ABI_VERSION
#endif

/* Whether tokens [i, i + 2] of the unit are `os . Exit` followed by `(`. */
static int is_os_exit(const goleak_unit *u, size_t i) {
    size_t n1, n3;
    const char *a = goleak_unit_token_text(u, i, &n1);
    const char *c = goleak_unit_token_text(u, i + 2, &n3);
    return a && c && n1 == 2 && memcmp(a, "os", 2) == 0 &&
           goleak_unit_token_kind(u, i + 1) == GOLEAK_TOKEN_PERIOD && n3 == 4 &&
           memcmp(c, "Exit", 4) == 0 && goleak_unit_token_kind(u, i + 3) == GOLEAK_TOKEN_LPAREN;
}

static int exit_outside_main(goleak_check *check, void *user_data) {
    (void)user_data;
    const goleak_unit *u = goleak_check_unit(check);
    size_t n = goleak_unit_token_count(u);
    /* package main may exit: its main decides the process's end */
    for (size_t i = 0; i + 1 < n; i++) {
        if (goleak_unit_token_kind(u, i) != GOLEAK_TOKEN_PACKAGE) continue;
        size_t len;
        const char *name = goleak_unit_token_text(u, i + 1, &len);
        if (name && len == 4 && memcmp(name, "main", 4) == 0) return 0;
        break;
    }
    for (size_t i = 0; i + 3 < n; i++) {
        if (!is_os_exit(u, i)) continue;
        int rc = goleak_check_report_tokens(check, i, i + 2,
                                            "os.Exit outside package main: the callers' deferred "
                                            "calls never run; return an error instead");
        if (rc) return rc;
    }
    return 0;
}

static int register_rules(goleak_engine *engine, goleak_error *err) {
    goleak_rule_def def = GOLEAK_RULE_DEF_INIT;
    def.id = "NX001";
    def.name = "exit-outside-main";
    def.severity = GOLEAK_SEVERITY_WARNING;
    def.summary = "os.Exit called outside package main";
    def.doc = "A library that calls os.Exit skips every deferred call of its callers.\n"
              "\n"
              "Leaking:\n"
              "\n"
              "    if err != nil {\n"
              "        os.Exit(1)\n"
              "    }\n"
              "\n"
              "Fixed:\n"
              "\n"
              "    if err != nil {\n"
              "        return err\n"
              "    }\n";
    def.check = exit_outside_main;
    return goleak_engine_register_rule(engine, &def, err);
}

static const goleak_native_pack pack = {sizeof(goleak_native_pack), EXAMPLE_PACK_ABI, "example",
                                        register_rules};

/* The entry point: the host's ABI version in, the descriptor out (NULL
 * refuses a host this pack cannot work with). */
GOLEAK_API const goleak_native_pack *goleak_native_pack_entry(int host_abi);

GOLEAK_API const goleak_native_pack *goleak_native_pack_entry(int host_abi) {
    if (host_abi < GOLEAK_ABI_MIN_COMPATIBLE) return NULL;
    return &pack;
}
