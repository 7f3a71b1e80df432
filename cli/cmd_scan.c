/* goleak [scan]: find leaks in Go files and directories. */
#include "scan.h"

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
          "  --tests=false         leave out _test.go files (default: true)\n"
          "  --report-unused-ignores  report suppression comments that match nothing (GL000)\n"
          "exit status: 0 no findings, 1 findings, 2 usage or I/O error\n",
          fp);
}

typedef struct emit_ctx {
    formatter fm;
    int io_errors;
} emit_ctx;

static void emit(const scan_file *file, file_result *r, void *ctx) {
    emit_ctx *e = ctx;
    if (r->io_error) e->io_errors++;
    format_file(&e->fm, file, r);
}

/* Value of "--opt V" or "--opt=V" at argv[*k]; advances *k. NULL if not it. */
static const char *opt_value(int argc, char **argv, int *k, const char *name) {
    size_t n = strlen(name);
    if (strncmp(argv[*k], name, n) != 0) return NULL;
    if (argv[*k][n] == '=') return argv[*k] + n + 1;
    if (argv[*k][n] != 0) return NULL;
    if (*k + 1 >= argc) {
        fprintf(stderr, "goleak: %s needs a value\n", name);
        exit(2);
    }
    return argv[++*k];
}

int cmd_scan(int argc, char **argv) {
    format_kind fmt = FMT_TEXT;
    const char *rules = NULL, *go_version = NULL;
    const char **disables = calloc((size_t)argc, sizeof *disables);
    const char **options = calloc((size_t)argc, sizeof *options);
    const char **excludes = calloc((size_t)argc, sizeof *excludes);
    const char **paths = calloc((size_t)argc, sizeof *paths);
    size_t ndis = 0, nopt = 0, nexc = 0, npaths = 0;
    int jobs = (int)sysconf(_SC_NPROCESSORS_ONLN), unused = 0, vendor = 0, testdata = 0;
    int tests = 1;
    int status = 0;
    if (!disables || !options || !excludes || !paths) {
        fprintf(stderr, "goleak: out of memory\n");
        return 2;
    }
    for (int k = 1; k < argc; k++) {
        const char *v;
        const char *a = argv[k];
        if ((v = opt_value(argc, argv, &k, "--format"))) {
            if (strcmp(v, "text") == 0)
                fmt = FMT_TEXT;
            else if (strcmp(v, "jsonl") == 0)
                fmt = FMT_JSONL;
            else if (strcmp(v, "json") == 0)
                fmt = FMT_JSON;
            else if (strcmp(v, "sarif") == 0)
                fmt = FMT_SARIF;
            else {
                fprintf(stderr, "goleak: unknown format \"%s\" (text, jsonl, json, sarif)\n", v);
                status = 2;
            }
        } else if ((v = opt_value(argc, argv, &k, "--rules"))) {
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
        } else if (strcmp(a, "--tests") == 0) {
            tests = 1;
        } else if (strncmp(a, "--tests=", 8) == 0) {
            const char *t = a + 8;
            if (strcmp(t, "true") == 0 || strcmp(t, "1") == 0 || strcmp(t, "yes") == 0) {
                tests = 1;
            } else if (strcmp(t, "false") == 0 || strcmp(t, "0") == 0 || strcmp(t, "no") == 0) {
                tests = 0;
            } else {
                fprintf(stderr, "goleak: --tests wants true or false, got \"%s\"\n", t);
                status = 2;
            }
        } else if (strcmp(a, "--include-vendor") == 0) {
            vendor = 1;
        } else if (strcmp(a, "--include-testdata") == 0) {
            testdata = 1;
        } else if (strcmp(a, "--report-unused-ignores") == 0) {
            unused = 1;
        } else if (strcmp(a, "--help") == 0 || strcmp(a, "-h") == 0) {
            scan_usage(stdout);
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
    goleak_error *err = goleak_error_new();
    if (status == 0 &&
        (goleak_engine_new(&engine, NULL, err) || goleak_engine_add_builtin_rules(engine, err))) {
        fprintf(stderr, "goleak: %s\n", goleak_error_message(err));
        status = 2;
    }
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
        char spec[256];
        snprintf(spec, sizeof spec, "%s", options[k]);
        char *dot = strchr(spec, '.'), *eq = strchr(spec, '=');
        if (!dot || !eq || eq < dot) {
            fprintf(stderr, "goleak: --option wants RULE.KEY=VALUE, got \"%s\"\n", options[k]);
            status = 2;
            break;
        }
        *dot = 0;
        *eq = 0;
        if (goleak_engine_set_option(engine, spec, dot + 1, eq + 1, err)) {
            fprintf(stderr, "goleak: --option: %s\n", goleak_error_message(err));
            status = 2;
        }
    }
    file_list files;
    memset(&files, 0, sizeof files);
    int findings = 0, path_errors = 0;
    if (status == 0) {
        static outbuf out;
        out_init(&out, stdout);
        emit_ctx ctx;
        memset(&ctx, 0, sizeof ctx);
        format_begin(&ctx.fm, fmt, &out, engine);
        scan_options so = {engine, unused ? GOLEAK_CHECK_REPORT_UNUSED_IGNORES : 0u, jobs};
        /* the files are checked while the walk goes on */
        scan_pool *pool = scan_start(&files, &so, emit, &ctx);
        if (!pool) {
            fprintf(stderr, "goleak: out of memory\n");
            status = 2;
        } else {
            walk_options wo = {vendor, testdata, excludes, nexc, go_version, !tests};
            for (size_t k = 0; k < npaths; k++) {
                int rc = strcmp(paths[k], "-") == 0 ? files_add_stdin(&files, &wo)
                                                    : files_add_path(&files, paths[k], &wo);
                if (rc) path_errors = 1; /* reported; the scan goes on with the rest */
            }
            scan_finish(pool);
        }
        format_end(&ctx.fm, status == 0 && ctx.io_errors == 0 && !path_errors);
        if (ctx.io_errors || path_errors) status = 2;
        findings = ctx.fm.nfindings > 0;
    }
    files_free(&files);
    goleak_engine_free(engine);
    goleak_error_free(err);
    free(disables);
    free(options);
    free(excludes);
    free(paths);
    if (status) return status;
    return findings ? 1 : 0;
}
