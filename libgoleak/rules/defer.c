/* GL005 defer-in-loop. */
#include "common.h"
#include "rules.h"

static int check_defer_in_loop(goleak_check *chk, void *ud) {
    (void)ud;
    const facts *f = check_facts(chk);
    if (!f) return 0;
    FOR_KIND(f, N(DEFER), d) {
        uint32_t loop = loop_around(f, d);
        if (loop == NONE32) continue;
        /* in a test the pile-up ends with the test, and deferring to its end
         * is often the point (connections kept open for checks after the
         * loop, mocks restored at the end) */
        uint32_t fn = enclosing_func(f, d);
        if (fn != NONE32 && is_test_func(f, fn)) continue;
        /* deferred environment restores hold nothing */
        uint32_t call = f->nodes[d].child;
        if (call == NONE32) continue;
        const call_fact *c = call_of(f, call);
        if (c && (call_is_pkg(f, c, PKG_OS, "Setenv") || call_is_pkg(f, c, PKG_OS, "Unsetenv")))
            continue;
        char what[64];
        check_report_node(chk, d,
                          "`defer %s` inside a loop (line %u): the deferred calls pile up until "
                          "the function returns; move the loop body into a function, or release "
                          "at the end of each iteration",
                          node_snippet(f, call, what, sizeof what),
                          (unsigned)tok_line(f, f->nodes[loop].first));
    }
    return 0;
}

const builtin_rule rule_gl005 = {
    "GL005",
    "defer-in-loop",
    GOLEAK_SEVERITY_WARNING,
    "defer inside a loop: resources are held until the function returns",
    "A deferred call runs when the surrounding function returns, not when the\n"
    "loop iteration ends. A defer inside a loop therefore keeps every\n"
    "iteration's file, lock, connection or response body until the whole loop\n"
    "is done, and can exhaust file descriptors or memory on long inputs.\n"
    "\n"
    "Leaking:\n"
    "\n"
    "    for _, name := range names {\n"
    "        f, err := os.Open(name)\n"
    "        if err != nil {\n"
    "            return err\n"
    "        }\n"
    "        defer f.Close() // all files stay open until the loop ends\n"
    "        process(f)\n"
    "    }\n"
    "\n"
    "Fixed: give each iteration its own function, so that defer runs per iteration:\n"
    "\n"
    "    for _, name := range names {\n"
    "        if err := func() error {\n"
    "            f, err := os.Open(name)\n"
    "            if err != nil {\n"
    "                return err\n"
    "            }\n"
    "            defer f.Close()\n"
    "            return process(f)\n"
    "        }(); err != nil {\n"
    "            return err\n"
    "        }\n"
    "    }\n"
    "\n"
    "Heuristic: any defer whose nearest enclosing function puts it in the body\n"
    "of a for or range loop. A defer in a function literal called inside the\n"
    "loop is not flagged, nor are defers in test, benchmark, fuzz and example\n"
    "functions (the pile-up ends with the test) and deferred os.Setenv or\n"
    "os.Unsetenv (they hold nothing).\n",
    NULL,
    NULL,
    check_defer_in_loop,
    NULL,
};
