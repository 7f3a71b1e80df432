/* rule_cost.c: where the full check's time goes, rule by rule. Not a row of
 * bench/run (it measures libgoleak against itself, not against a reference):
 * a profiling aid for whoever makes a rule or the facts faster.
 *
 * One pass parses every file of the corpus (borrowed source, as the scan)
 * and checks it with a set of rules, then frees both. Prints the best of 3
 * passes of parsing alone, then for "none", "all" and each rule alone the
 * time the check adds to parsing: a single rule's figure includes building
 * the facts, which every built-in rule but GL000 needs once per file.
 *
 * Build and run (after bench/run has built bench/.build/goleak):
 *   cc -O2 -std=c11 -D_POSIX_C_SOURCE=200809L -DGOLEAK_STATIC -Iinclude \
 *      -Ibench/.build/goleak/include -o /tmp/rule_cost bench/rule_cost.c \
 *      bench/corpus.c bench/.build/goleak/libgoleak/libgoleak.a -lutf8proc
 *   /tmp/rule_cost bench/.build/files.lst */
#include "corpus.h"

#include <goleak.h>
#include <stdio.h>
#include <time.h>

static double now(void) {
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)t.tv_sec + (double)t.tv_nsec * 1e-9;
}

/* One pass; with check, every file is also checked by the enabled rules. */
static double pass(const struct corpus *c, const goleak_engine *e, int check) {
    goleak_parse_options po = GOLEAK_PARSE_OPTIONS_INIT;
    po.flags = GOLEAK_PARSE_BORROW_SOURCE;
    goleak_check_options co = GOLEAK_CHECK_OPTIONS_INIT;
    co.go_version = "1.22"; /* every version-gated rule runs */
    double t0 = now();
    for (size_t i = 0; i < c->nfiles; i++) {
        goleak_unit *u = NULL;
        if (goleak_unit_parse(&u, c->paths[i], c->data[i], c->size[i], &po, NULL)) continue;
        if (check) {
            goleak_findings *fs = NULL;
            if (goleak_engine_check(&fs, e, u, &co, NULL) == GOLEAK_OK) goleak_findings_free(fs);
        }
        goleak_unit_free(u);
    }
    return now() - t0;
}

static double best_of_3(const struct corpus *c, const goleak_engine *e, int check) {
    double best = pass(c, e, check);
    for (int k = 1; k < 3; k++) {
        double t = pass(c, e, check);
        if (t < best) best = t;
    }
    return best;
}

int main(int argc, char **argv) {
    if (argc != 2) {
        fprintf(stderr, "usage: %s FILE_LIST\n", argv[0]);
        return 2;
    }
    struct corpus c;
    corpus_load(&c, argv[1]);
    goleak_engine *e = NULL;
    if (goleak_engine_new(&e, NULL, NULL) || goleak_engine_add_builtin_rules(e, NULL)) {
        fprintf(stderr, "rule_cost: cannot create the engine\n");
        return 1;
    }
    pass(&c, e, 1); /* warm-up */
    double parse = best_of_3(&c, e, 0);
    printf("parse alone: %.1f ms per pass over %zu files\n", parse * 1e3, c.nfiles);
    size_t n = goleak_engine_rule_count(e);
    for (size_t r = 0; r < n + 2; r++) {
        const char *id = r == 0   ? "none"
                         : r == 1 ? "all"
                                  : goleak_rule_id(goleak_engine_rule(e, r - 2));
        goleak_engine_enable_rules(e, "all", r == 1, NULL);
        if (r >= 2) goleak_engine_enable_rules(e, id, 1, NULL);
        printf("%-6s +%.1f ms\n", id, (best_of_3(&c, e, 1) - parse) * 1e3);
    }
    goleak_engine_free(e);
    corpus_free(&c);
    return 0;
}
