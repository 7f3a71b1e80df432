/* goleak_bench.c: libgoleak's rows, one pass = every file of the corpus
 * parsed into a unit and freed, single-threaded.
 *
 * The rows are the table `rows` below; bench/run prints them in the order of
 * its own ROW_ORDER list. Each row is measured through the public API only
 * (goleak.h), linked against a Release build of the library.
 *
 * Usage: goleak_bench FILE_LIST PASSES [WARMUP]
 * GOLEAK_BENCH_ROW=TEXT runs only the rows whose name contains TEXT (for
 * profiling one row under perf or callgrind). */
#include "corpus.h"

#include <goleak.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct row_ctx {
    unsigned int parse_flags; /* goleak_parse_flag bits */
    size_t diagnostics;       /* from the last pass: a sanity check, not a score */
    goleak_engine *engine;    /* full-check rows: the engine, built once */
    size_t findings;          /* full-check rows: findings of the last pass */
    int packs;                /* full-check rows: the engine also holds the shipped packs */
};

/* Parses every file with the row's flags and frees each unit at once, so a
 * pass costs what a one-file-at-a-time scan costs (allocation included).
 * The source is borrowed, not copied: the scan reads each file straight
 * into the unit's padded buffer, and the corpus is loaded with that
 * padding. */
static uint64_t parse_pass(const struct corpus *c, void *ctx) {
    struct row_ctx *r = ctx;
    goleak_parse_options opts = GOLEAK_PARSE_OPTIONS_INIT;
    opts.flags = r->parse_flags | GOLEAK_PARSE_BORROW_SOURCE;
    uint64_t check = 0;
    r->diagnostics = 0;
    for (size_t f = 0; f < c->nfiles; f++) {
        goleak_unit *u = NULL;
        int rc = goleak_unit_parse(&u, c->paths[f], c->data[f], c->size[f], &opts, NULL);
        if (rc != GOLEAK_OK) {
            fprintf(stderr, "goleak_bench: %s: %s\n", c->paths[f], goleak_strerror(rc));
            exit(1);
        }
        /* O(1) getters: they keep the unit's work observable without walking it. */
        check += goleak_unit_token_count(u) + goleak_unit_node_count(u);
        r->diagnostics += goleak_unit_diagnostic_count(u);
        goleak_unit_free(u);
    }
    return check;
}

/* Parses every file, runs every enabled rule of the engine on it (facts,
 * rules, suppressions, sorting), and frees findings and unit at once: what
 * `goleak scan --jobs 1` does per file, minus reading it and printing. */
static uint64_t check_pass(const struct corpus *c, void *ctx) {
    struct row_ctx *r = ctx;
    goleak_check_options copts = GOLEAK_CHECK_OPTIONS_INIT;
    copts.go_version = "1.22"; /* every version-gated rule runs */
    goleak_parse_options opts = GOLEAK_PARSE_OPTIONS_INIT;
    opts.flags = GOLEAK_PARSE_BORROW_SOURCE;
    uint64_t check = 0;
    r->diagnostics = 0;
    r->findings = 0;
    for (size_t f = 0; f < c->nfiles; f++) {
        goleak_unit *u = NULL;
        goleak_findings *fs = NULL;
        int rc = goleak_unit_parse(&u, c->paths[f], c->data[f], c->size[f], &opts, NULL);
        if (rc == GOLEAK_OK) rc = goleak_engine_check(&fs, r->engine, u, &copts, NULL);
        if (rc != GOLEAK_OK) {
            fprintf(stderr, "goleak_bench: %s: %s\n", c->paths[f], goleak_strerror(rc));
            exit(1);
        }
        check += goleak_unit_token_count(u) + goleak_findings_count(fs);
        r->diagnostics += goleak_unit_diagnostic_count(u);
        r->findings += goleak_findings_count(fs);
        goleak_findings_free(fs);
        goleak_unit_free(u);
    }
    return check;
}

struct row {
    const char *name; /* the ROW name; bench/run matches it exactly */
    bench_pass_fn pass;
    struct row_ctx ctx;
};

/* ---- ROWS: one entry per libgoleak row, in table order; bench/run lists
 * them in its ROW_ORDER. ---- */
static struct row rows[] = {
    {"libgoleak lexer", parse_pass, {GOLEAK_PARSE_TOKENS_ONLY, 0, NULL, 0, 0}},
    {"libgoleak lexer + parser", parse_pass, {0, 0, NULL, 0, 0}},
    {"libgoleak full check, built-in rules", check_pass, {0, 0, NULL, 0, 0}},
    /* the same with the packs `goleak scan` loads by default (rules/) */
    {"libgoleak full check, built-in rules + shipped packs", check_pass, {0, 0, NULL, 0, 1}},
};

int main(int argc, char **argv) {
    struct bench_opts o;
    bench_args(argc, argv, &o);

    /* A mismatch means a stale header or library in the scratch build. */
    if (goleak_version() != GOLEAK_VERSION_NUMBER) {
        fprintf(stderr, "goleak_bench: header %s but library %s\n", GOLEAK_VERSION_STRING,
                goleak_version_string());
        return 1;
    }

    goleak_engine *engine = NULL, *with_packs = NULL;
    goleak_error *err = goleak_error_new();
    if (goleak_engine_new(&engine, NULL, err) || goleak_engine_add_builtin_rules(engine, err) ||
        goleak_engine_new(&with_packs, NULL, err) ||
        goleak_engine_add_builtin_rules(with_packs, err) ||
        goleak_engine_add_default_packs(with_packs, err)) {
        fprintf(stderr, "goleak_bench: cannot create the engines: %s\n", goleak_error_message(err));
        return 1;
    }
    goleak_error_free(err);
    struct corpus c;
    corpus_load(&c, o.list);
    const char *only = getenv("GOLEAK_BENCH_ROW");
    for (size_t i = 0; i < sizeof rows / sizeof rows[0]; i++) {
        if (only && *only && !strstr(rows[i].name, only)) continue;
        rows[i].ctx.engine = rows[i].ctx.packs ? with_packs : engine;
        bench_row(rows[i].name, &c, &o, rows[i].pass, &rows[i].ctx);
        fprintf(stderr, "  %s: %zu diagnostics, %zu findings over %zu files\n", rows[i].name,
                rows[i].ctx.diagnostics, rows[i].ctx.findings, c.nfiles);
    }
    corpus_free(&c);
    goleak_engine_free(engine);
    goleak_engine_free(with_packs);
    return 0;
}
