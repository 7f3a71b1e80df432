/* goleak [scan]: find leaks in Go files and directories. */
#include "scan.h"

#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static void scan_usage(FILE *fp) {
    fputs("usage: goleak [scan] [options] PATH...\n"
          "  PATH                  a Go file, or a directory walked for *.go files;\n"
          "                        \"-\" reads a list of paths, one per line, from stdin\n"
          "  --format FORMAT       text (default), jsonl, json or sarif\n"
          "  --rules IDS           run only these rules (comma-separated ids or names)\n"
          "  --disable IDS         do not run these rules\n"
          "  --option RULE.KEY=V   set a rule option (e.g. GL004.threshold=131072)\n"
          "  --go-version V        the Go version of the code (default: nearest go.mod)\n"
          "  --jobs N              files checked in parallel (default: all cores)\n"
          "  --exclude GLOB        skip paths (or base names) matching GLOB; repeatable\n"
          "  --include-vendor      also walk vendor/ directories\n"
          "  --include-testdata    also walk testdata/ directories\n"
          "  --report-unused-ignores  report suppression comments that match nothing (GL000)\n"
          "  --max-file-size N     skip files over N bytes (K, M, G suffixes; default 32M)\n"
          "  --max-tokens N        skip files of more than N tokens (default 4194304)\n"
          "  --max-depth N         check files only up to N levels of nesting (default\n"
          "                        100000, as go/parser)\n"
          "  --pack FILE|DIR       also load this rule pack, or the packs of a directory\n"
          "  --native-pack FILE    also load this native rule pack (a shared object)\n"
          "  --no-default-packs    do not load the rule packs shipped with goleak\n"
          "  --config FILE         use this configuration instead of the nearest .goleak.yml\n"
          "  --no-config           ignore .goleak.yml files\n"
          "  --time                print each rule's total time to stderr\n"
          "exit status: 0 no findings, 1 findings, 2 usage or I/O error, or a file\n"
          "             skipped or checked only in part (see the README's Limits)\n",
          fp);
}

/* --time: each rule's time, summed over the files as they are emitted. */
typedef struct rule_times {
    uint64_t *ns; /* per rule, then the shared indexes */
    size_t n;
} rule_times;

typedef struct emit_ctx {
    formatter fm;
    int io_errors;     /* files skipped, or checked in part */
    rule_times *times; /* --time, else NULL */
} emit_ctx;

static void add_times(rule_times *t, const goleak_findings *fs) {
    for (size_t k = 0; fs && k + 1 < t->n; k++) t->ns[k] += goleak_findings_rule_ns(fs, k);
    if (fs && t->n) t->ns[t->n - 1] += goleak_findings_rule_ns(fs, GOLEAK_NONE);
}

static void emit(const scan_file *file, file_result *r, void *ctx) {
    emit_ctx *e = ctx;
    if (r->io_error || r->truncated) e->io_errors++;
    if (e->times) add_times(e->times, r->findings);
    format_file(&e->fm, file, r);
}

/* A bound's value: a positive number, with a K, M or G suffix when
 * suffixes is set. 0 when it is not one. */
static size_t bound_value(const char *v, int suffixes) {
    char *end;
    if (*v < '0' || *v > '9') return 0;
    errno = 0;
    unsigned long long n = strtoull(v, &end, 10);
    if (errno) return 0;
    unsigned shift = 0;
    if (suffixes && *end && !end[1]) {
        shift = *end == 'K' ? 10 : *end == 'M' ? 20 : *end == 'G' ? 30 : 64;
        if (shift < 64) end++;
    }
    if (*end || n == 0 || shift == 64 || n > (SIZE_MAX >> shift)) return 0;
    return (size_t)n << shift;
}

/* Whether a comma-separated list names nothing ("", " ", ","). */
static int empty_list(const char *list) {
    return list[strspn(list, " ,")] == 0;
}

static void print_times(const rule_times *t, const goleak_engine *e) {
    size_t *order = malloc(t->n * sizeof *order);
    if (!order) return;
    for (size_t k = 0; k < t->n; k++) order[k] = k;
    for (size_t i = 1; i < t->n; i++) /* slowest first */
        for (size_t j = i; j > 0 && t->ns[order[j]] > t->ns[order[j - 1]]; j--) {
            size_t x = order[j];
            order[j] = order[j - 1];
            order[j - 1] = x;
        }
    uint64_t total = 0;
    for (size_t k = 0; k < t->n; k++) total += t->ns[k];
    fprintf(stderr, "rule times (one thread's time per file, summed):\n");
    for (size_t i = 0; i < t->n; i++) {
        size_t k = order[i];
        const goleak_rule *r = k + 1 < t->n ? goleak_engine_rule(e, k) : NULL;
        if (r && !goleak_rule_enabled(r) && t->ns[k] == 0) continue;
        fprintf(stderr, "  %10.3f ms %5.1f%%  %-8s %s\n", (double)t->ns[k] / 1e6,
                total ? 100.0 * (double)t->ns[k] / (double)total : 0.0, r ? goleak_rule_id(r) : "-",
                r ? goleak_rule_name(r) : "shared indexes (facts, packs)");
    }
    fprintf(stderr, "  %10.3f ms total\n", (double)total / 1e6);
    free(order);
}

static int config_skips(const char *path, void *ctx) {
    return goleak_config_excludes(ctx, path);
}

int cmd_scan(int argc, char **argv) {
    int fmt = GOLEAK_FORMAT_TEXT;
    const char *rules = NULL, *go_version = NULL;
    const char **disables = calloc((size_t)argc, sizeof *disables);
    const char **options = calloc((size_t)argc, sizeof *options);
    const char **excludes = calloc((size_t)argc, sizeof *excludes);
    const char **paths = calloc((size_t)argc, sizeof *paths);
    size_t ndis = 0, nopt = 0, nexc = 0, npaths = 0;
    int jobs = (int)sysconf(_SC_NPROCESSORS_ONLN), unused = 0, vendor = 0, testdata = 0;
    int status = 0, timing = 0;
    goleak_parse_options po = GOLEAK_PARSE_OPTIONS_INIT;
    engine_opts eo;
    if (engine_opts_init(&eo, argc) || !disables || !options || !excludes || !paths) {
        fprintf(stderr, "goleak: out of memory\n");
        return 2;
    }
    for (int k = 1; k < argc; k++) {
        const char *v;
        const char *a = argv[k];
        int shared = engine_opt(argc, argv, &k, &eo);
        if (shared < 0) {
            status = 2;
        } else if (shared) {
        } else if ((v = opt_value(argc, argv, &k, "--format"))) {
            if ((fmt = goleak_format_find(v)) < 0) {
                fprintf(stderr, "goleak: unknown format \"%s\" (", v);
                for (int f = 0; f < goleak_format_count(); f++)
                    fprintf(stderr, "%s%s", f ? ", " : "", goleak_format_name(f));
                fprintf(stderr, ")\n");
                status = 2;
            }
        } else if ((v = opt_value(argc, argv, &k, "--rules"))) {
            if (empty_list(v)) {
                /* an unset variable must not turn every rule off */
                fprintf(stderr, "goleak: --rules names no rule (give ids or names, or \"all\")\n");
                status = 2;
            }
            rules = v;
        } else if ((v = opt_value(argc, argv, &k, "--disable"))) {
            disables[ndis++] = v;
        } else if ((v = opt_value(argc, argv, &k, "--option"))) {
            options[nopt++] = v;
        } else if ((v = opt_value(argc, argv, &k, "--go-version"))) {
            go_version = v;
        } else if ((v = opt_value(argc, argv, &k, "--jobs"))) {
            char *end;
            long j = strtol(v, &end, 10);
            if (*end || j < 1 || j > 1024) {
                fprintf(stderr, "goleak: --jobs wants a number from 1 to 1024\n");
                status = 2;
            }
            jobs = (int)j;
        } else if ((v = opt_value(argc, argv, &k, "--exclude"))) {
            excludes[nexc++] = v;
        } else if ((v = opt_value(argc, argv, &k, "--max-file-size"))) {
            if (!(po.max_file_size = bound_value(v, 1)) || po.max_file_size >= UINT32_MAX) {
                fprintf(stderr, "goleak: --max-file-size wants bytes from 1 to 4G - 1 "
                                "(e.g. 65536, 64K, 32M)\n");
                status = 2;
            }
        } else if ((v = opt_value(argc, argv, &k, "--max-tokens"))) {
            if (!(po.max_tokens = bound_value(v, 0)) || po.max_tokens >= UINT32_MAX - 2) {
                fprintf(stderr, "goleak: --max-tokens wants a number from 1 to 4294967292\n");
                status = 2;
            }
        } else if ((v = opt_value(argc, argv, &k, "--max-depth"))) {
            if (!(po.max_depth = bound_value(v, 0)) || po.max_depth > 100000000) {
                fprintf(stderr, "goleak: --max-depth wants a number from 1 to 100000000\n");
                status = 2;
            }
        } else if (strcmp(a, "--include-vendor") == 0) {
            vendor = 1;
        } else if (strcmp(a, "--include-testdata") == 0) {
            testdata = 1;
        } else if (strcmp(a, "--report-unused-ignores") == 0) {
            unused = 1;
        } else if (strcmp(a, "--time") == 0) {
            timing = 1;
        } else if (strcmp(a, "--help") == 0 || strcmp(a, "-h") == 0) {
            scan_usage(stdout);
            engine_opts_free(&eo);
            free(disables);
            free(options);
            free(excludes);
            free(paths);
            return 0;
        } else if (a[0] == '-' && a[1] == '-') {
            fprintf(stderr, "goleak: unknown option %s\n", a);
            status = 2;
        } else {
            paths[npaths++] = a;
        }
    }
    if (npaths == 0 && status == 0) {
        scan_usage(stderr);
        status = 2;
    }
    goleak_engine *engine = NULL;
    goleak_config *cfg = NULL;
    goleak_error *err = goleak_error_new();
    eo.start = npaths ? paths[0] : NULL;
    if (status == 0 && !(engine = engine_build(&eo, &cfg))) status = 2;
    if (status == 0 && go_version && goleak_go_version_minor(go_version) < 0) {
        fprintf(stderr, "goleak: invalid --go-version \"%s\" (e.g. 1.22 or go1.22.3)\n",
                go_version);
        status = 2;
    }
    if (status == 0 && rules &&
        (goleak_engine_enable_rules(engine, "all", 0, err) ||
         goleak_engine_enable_rules(engine, rules, 1, err))) {
        fprintf(stderr, "goleak: --rules: %s\n", goleak_error_message(err));
        status = 2;
    }
    for (size_t k = 0; status == 0 && k < ndis; k++) {
        if (goleak_engine_enable_rules(engine, disables[k], 0, err)) {
            fprintf(stderr, "goleak: --disable: %s\n", goleak_error_message(err));
            status = 2;
        }
    }
    for (size_t k = 0; status == 0 && k < nopt; k++) {
        char *spec = strdup(options[k]); /* a value of any length, whole */
        char *dot = spec ? strchr(spec, '.') : NULL, *eq = spec ? strchr(spec, '=') : NULL;
        if (!dot || !eq || eq < dot) {
            fprintf(stderr, "goleak: --option wants RULE.KEY=VALUE, got \"%s\"\n", options[k]);
            status = 2;
            free(spec);
            break;
        }
        *dot = 0;
        *eq = 0;
        if (goleak_engine_set_option(engine, spec, dot + 1, eq + 1, err)) {
            fprintf(stderr, "goleak: --option: %s\n", goleak_error_message(err));
            status = 2;
        }
        free(spec);
    }
    file_list files;
    memset(&files, 0, sizeof files);
    int findings = 0, path_errors = 0;
    if (status == 0) {
        static outbuf out;
        out_init(&out, stdout);
        emit_ctx ctx;
        memset(&ctx, 0, sizeof ctx);
        rule_times times = {NULL, goleak_engine_rule_count(engine) + 1};
        if (timing && (times.ns = calloc(times.n, sizeof *times.ns))) ctx.times = &times;
        if (format_begin(&ctx.fm, fmt, &out, engine)) {
            fprintf(stderr, "goleak: out of memory\n");
            status = 2;
        }
        unsigned flags = (unused ? GOLEAK_CHECK_REPORT_UNUSED_IGNORES : 0u) |
                         (timing ? (unsigned)GOLEAK_CHECK_TIME_RULES : 0u);
        scan_options so = {engine, &po, flags, jobs};
        /* the files are checked while the walk goes on */
        scan_pool *pool = status == 0 ? scan_start(&files, &so, emit, &ctx) : NULL;
        if (status == 0 && !pool) {
            fprintf(stderr, "goleak: out of memory\n");
            status = 2;
        } else if (pool) {
            walk_options wo = {
                vendor, testdata, excludes, nexc, go_version, cfg ? config_skips : NULL, cfg};
            for (size_t k = 0; k < npaths && !path_errors; k++) {
                int rc = strcmp(paths[k], "-") == 0 ? files_add_stdin(&files, &wo)
                                                    : files_add_path(&files, paths[k], &wo);
                if (rc) path_errors = 1; /* out of memory: what was added is still checked */
            }
            scan_finish(pool);
            if (path_errors) fprintf(stderr, "goleak: out of memory while collecting files\n");
        }
        if (ctx.fm.writer &&
            format_end(&ctx.fm, status == 0 && ctx.io_errors == 0 && !path_errors) != 0) {
            fprintf(stderr, "goleak: the output could not be written\n");
            status = 2;
        }
        if (ctx.times) print_times(&times, engine);
        free(times.ns);
        if (ctx.io_errors || path_errors) status = 2;
        findings = ctx.fm.nfindings > 0;
    }
    files_free(&files);
    goleak_engine_free(engine);
    goleak_config_free(cfg);
    engine_opts_free(&eo);
    goleak_error_free(err);
    free(disables);
    free(options);
    free(excludes);
    free(paths);
    if (status) return status;
    return findings ? 1 : 0;
}
