/* goleak [scan]: find leaks in Go files and directories. */
#include "baseline.h"
#include "changed.h"
#include "scan.h"

#include <errno.h>
#include <fnmatch.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static void scan_usage(FILE *fp) {
    fputs("usage: goleak [scan] [options] PATH...\n"
          "  PATH                  a Go file, or a directory walked for *.go files;\n"
          "                        \"-\" reads a list of paths, one per line, from stdin\n"
          "  --format FORMAT       text (default), jsonl, json, sarif, rdjsonl (reviewdog),\n"
          "                        checkstyle, github (workflow annotations), gcc or html\n"
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
          "  --baseline FILE       report only findings not in this baseline; say how many\n"
          "                        were suppressed and which entries are stale (stderr)\n"
          "  --write-baseline FILE record every finding of the scan in FILE, print none\n"
          "  --new-from-rev REV    report only findings in code changed since git REV\n"
          "                        (their statement or enclosing function touched)\n"
          "  --new-from-patch FILE the same for the changes of a unified diff\n"
          "  --stdin-filename NAME check the source read from stdin as file NAME\n"
          "                        (PATH then is \"-\" or nothing)\n"
          "  --exit-zero           exit 0 when there are findings (2 still means errors)\n"
          "  --quiet               no progress line, no baseline summary\n"
          "exit status: 0 no findings, 1 findings, 2 usage or I/O error, or a file\n"
          "             skipped or checked only in part (see the README's Limits)\n",
          fp);
}

/* --time: each rule's time, summed over the files as they are emitted. */
typedef struct rule_times {
    uint64_t *ns; /* per rule, then the shared indexes */
    size_t n;
} rule_times;

/* Which findings a scan writes: not in the baseline, in changed code; or
 * none, while a baseline is recorded. */
typedef struct filter {
    baseline *base;       /* --baseline */
    changed_set *changed; /* --new-from-rev, --new-from-patch */
    baseline *record;     /* --write-baseline */
    int oom;
} filter;

typedef struct emit_ctx {
    formatter fm;
    int io_errors;     /* files skipped, or checked in part */
    rule_times *times; /* --time, else NULL */
    progress prog;
    str_set checked; /* with --baseline: the files checked (stale entries are theirs) */
    int track_checked;
} emit_ctx;

static int keep(const goleak_finding *f, void *ctx) {
    filter *fl = ctx;
    if (fl->record) {
        if (baseline_add(fl->record, f)) fl->oom = 1;
        return 0;
    }
    if (fl->base && baseline_match(fl->base, f)) return 0;
    if (fl->changed) {
        /* the enclosing declaration, else the statement, must be touched */
        goleak_span sp = goleak_finding_scope_span(f);
        if (sp.start.line == 0) sp = goleak_finding_statement_span(f);
        if (!changed_touches(fl->changed, goleak_finding_path(f), sp.start.line, sp.end.line))
            return 0;
    }
    return 1;
}

static void add_times(rule_times *t, const goleak_findings *fs) {
    for (size_t k = 0; fs && k + 1 < t->n; k++) t->ns[k] += goleak_findings_rule_ns(fs, k);
    if (fs && t->n) t->ns[t->n - 1] += goleak_findings_rule_ns(fs, GOLEAK_NONE);
}

static void emit(const scan_file *file, file_result *r, void *ctx) {
    emit_ctx *e = ctx;
    if (r->io_error || r->truncated) e->io_errors++;
    if (e->times) add_times(e->times, r->findings);
    if (e->track_checked && !file->notice && !r->io_error &&
        str_set_add(&e->checked, baseline_path(file->path)) < 0)
        e->io_errors++;
    format_file(&e->fm, file, r);
    if (!file->notice) progress_file(&e->prog, r->bytes, goleak_findings_count(r->findings));
}

/* The directory git is asked about for path: itself, or the one holding it. */
static char *dir_of(const char *path) {
    struct stat st;
    if (strcmp(path, "-") == 0 || (stat(path, &st) == 0 && S_ISDIR(st.st_mode)))
        return strdup(strcmp(path, "-") == 0 ? "." : path);
    const char *slash = strrchr(path, '/');
    return slash == path ? strdup("/")
           : slash       ? strndup(path, (size_t)(slash - path))
                         : strdup(".");
}

/* --stdin-filename: the source on stdin, checked as file name (read up to
 * the file size bound, whose excess is an error as for files). */
static void scan_stdin(const char *name, const char *go_version, const scan_options *so,
                       const walk_options *wo, emit_ctx *ctx) {
    size_t max = so->parse->max_file_size ? so->parse->max_file_size : GOLEAK_DEFAULT_MAX_FILE_SIZE;
    size_t len = 0, cap = 1 << 16;
    char *buf = malloc(cap);
    size_t got;
    while (buf && (got = fread(buf + len, 1, cap - len, stdin)) > 0) {
        len += got;
        if (len == cap && len <= max) {
            char *b = realloc(buf, cap * 2);
            if (!b) {
                free(buf);
                buf = NULL;
                break;
            }
            buf = b;
            cap *= 2;
        }
        if (len > max) break;
    }
    scan_file file = {(char *)name, NULL, NULL, NOTICE_NONE};
    char version[64];
    goleak_error *err = goleak_error_new();
    if (go_version) {
        file.go_version = (char *)go_version;
    } else {
        char *dir = dir_of(name);
        int rc = dir ? goleak_go_version_for_path(version, sizeof version, dir, err) : -1;
        if (rc == 0) file.go_version = version;
        if (rc != 0 && rc != GOLEAK_ENOTFOUND && err && goleak_error_file(err))
            fprintf(stderr, "goleak: warning: %s (the Go version is unknown)\n",
                    goleak_error_message(err));
        free(dir);
    }
    file_result r;
    memset(&r, 0, sizeof r);
    goleak_unit *u = NULL;
    int excluded = 0;
    for (size_t k = 0; k < wo->nexcludes; k++) {
        const char *base = strrchr(name, '/') ? strrchr(name, '/') + 1 : name;
        if (fnmatch(wo->excludes[k], name, 0) == 0 || fnmatch(wo->excludes[k], base, 0) == 0)
            excluded = 1;
    }
    if (wo->skip && wo->skip(name, wo->skip_ctx)) excluded = 1;
    if (excluded) {
        /* an editor checking an excluded file: nothing to say */
    } else if (!buf || ferror(stdin)) {
        r.io_error = 1;
        r.error = strdup(buf ? "stdin: read error" : "stdin: out of memory");
        emit(&file, &r, ctx);
    } else if (len > max) {
        r.io_error = 1;
        char msg[128];
        snprintf(msg, sizeof msg, "stdin: over %zu bytes (--max-file-size)", max);
        r.error = strdup(msg);
        emit(&file, &r, ctx);
    } else if (goleak_unit_parse(&u, name, buf, len, so->parse, err) != 0) {
        r.io_error = 1;
        r.error = strdup(err ? goleak_error_message(err) : "out of memory");
        emit(&file, &r, ctx);
    } else {
        check_unit(&file, so, u, &r);
        emit(&file, &r, ctx);
    }
    result_free(&r);
    goleak_error_free(err);
    free(buf);
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

/* Whether baseline entry e is stale: its file was checked and nothing in
 * it matched, or its file is gone. */
static int entry_stale(const baseline_entry *e, const str_set *checked) {
    struct stat st;
    return !e->used && (str_set_has(checked, e->file) || stat(e->file, &st) != 0);
}

/* On stderr: how many findings the baseline suppressed, and its entries
 * for checked files that matched nothing (fixed, or changed beyond
 * recognition) or that are gone. */
static void report_baseline(const baseline *b, const char *file, const str_set *checked) {
    size_t stale = 0;
    for (size_t k = 0; k < b->len; k++)
        if (entry_stale(&b->items[k], checked)) stale++;
    fprintf(stderr, "goleak: baseline %s: %zu finding%s suppressed, %zu entr%s stale\n", file,
            b->suppressed, b->suppressed == 1 ? "" : "s", stale, stale == 1 ? "y" : "ies");
    for (size_t k = 0; k < b->len; k++) {
        const baseline_entry *e = &b->items[k];
        if (!entry_stale(e, checked)) continue;
        fputs("goleak: stale: ", stderr);
        fput_text(stderr, e->file);
        fprintf(stderr, ": %s", e->rule ? e->rule : "?");
        if (e->symbol && *e->symbol) {
            fputs(" in ", stderr);
            fput_text(stderr, e->symbol);
        }
        fprintf(stderr, " (%s)\n", e->fingerprint);
    }
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
    int status = 0, timing = 0, exit_zero = 0, quiet = 0;
    const char *baseline_file = NULL, *write_baseline = NULL, *new_rev = NULL, *new_patch = NULL;
    const char *stdin_name = NULL;
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
        } else if ((v = opt_value(argc, argv, &k, "--baseline"))) {
            baseline_file = v;
        } else if ((v = opt_value(argc, argv, &k, "--write-baseline"))) {
            write_baseline = v;
        } else if ((v = opt_value(argc, argv, &k, "--new-from-rev"))) {
            new_rev = v;
        } else if ((v = opt_value(argc, argv, &k, "--new-from-patch"))) {
            new_patch = v;
        } else if ((v = opt_value(argc, argv, &k, "--stdin-filename"))) {
            stdin_name = v;
        } else if (strcmp(a, "--exit-zero") == 0) {
            exit_zero = 1;
        } else if (strcmp(a, "--quiet") == 0 || strcmp(a, "-q") == 0) {
            quiet = 1;
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
    if (stdin_name && status == 0 && (npaths > 1 || (npaths == 1 && strcmp(paths[0], "-") != 0))) {
        fprintf(stderr, "goleak: --stdin-filename checks the source on stdin: give no PATH, "
                        "or \"-\"\n");
        status = 2;
    }
    if (new_rev && new_patch && status == 0) {
        fprintf(stderr, "goleak: give --new-from-rev or --new-from-patch, not both\n");
        status = 2;
    }
    if (npaths == 0 && !stdin_name && status == 0) {
        scan_usage(stderr);
        status = 2;
    }
    goleak_engine *engine = NULL;
    goleak_config *cfg = NULL;
    goleak_error *err = goleak_error_new();
    eo.start = stdin_name ? stdin_name : npaths ? paths[0] : NULL;
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
    baseline base, record;
    memset(&base, 0, sizeof base);
    memset(&record, 0, sizeof record);
    filter fl = {NULL, NULL, NULL, 0};
    char msg[1024];
    if (status == 0 && baseline_file && !write_baseline) {
        if (baseline_read(&base, baseline_file, msg, sizeof msg)) {
            fprintf(stderr, "goleak: --baseline: %s\n", msg);
            status = 2;
        } else {
            fl.base = &base;
        }
    }
    if (status == 0 && (new_rev || new_patch) && !write_baseline) {
        char *dir = dir_of(stdin_name ? stdin_name : npaths ? paths[0] : ".");
        fl.changed = !dir      ? NULL
                     : new_rev ? changed_from_rev(new_rev, dir, msg, sizeof msg)
                               : changed_from_patch(new_patch, msg, sizeof msg);
        if (!fl.changed) {
            fprintf(stderr, "goleak: %s: %s\n", new_rev ? "--new-from-rev" : "--new-from-patch",
                    dir ? msg : "out of memory");
            status = 2;
        }
        free(dir);
    }
    if (write_baseline) fl.record = &record;
    if (status == 0) {
        static outbuf out;
        out_init(&out, stdout);
        emit_ctx ctx;
        memset(&ctx, 0, sizeof ctx);
        progress_init(&ctx.prog, quiet);
        ctx.track_checked = fl.base != NULL;
        rule_times times = {NULL, goleak_engine_rule_count(engine) + 1};
        if (timing && (times.ns = calloc(times.n, sizeof *times.ns))) ctx.times = &times;
        if (format_begin(&ctx.fm, fmt, &out, engine, &ctx.prog)) {
            fprintf(stderr, "goleak: out of memory\n");
            status = 2;
        }
        if (fl.base || fl.changed || fl.record) {
            ctx.fm.keep = keep;
            ctx.fm.keep_ctx = &fl;
        }
        unsigned flags = (unused ? GOLEAK_CHECK_REPORT_UNUSED_IGNORES : 0u) |
                         (timing ? (unsigned)GOLEAK_CHECK_TIME_RULES : 0u) |
                         (fmt == GOLEAK_FORMAT_HTML ? (unsigned)GOLEAK_CHECK_EXCERPTS : 0u);
        scan_options so = {engine, &po, flags, jobs};
        walk_options wo = {vendor, testdata, excludes, nexc, go_version, cfg ? config_skips : NULL,
                           cfg};
        /* the files are checked while the walk goes on */
        scan_pool *pool = status == 0 && !stdin_name ? scan_start(&files, &so, emit, &ctx) : NULL;
        if (status == 0 && stdin_name) {
            scan_stdin(stdin_name, go_version, &so, &wo, &ctx);
        } else if (status == 0 && !pool) {
            fprintf(stderr, "goleak: out of memory\n");
            status = 2;
        } else if (pool) {
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
        progress_clear(&ctx.prog);
        if (ctx.times) print_times(&times, engine);
        free(times.ns);
        if (fl.oom) {
            fprintf(stderr, "goleak: out of memory while recording the baseline\n");
            status = 2;
        } else if (write_baseline && status == 0) {
            if (baseline_write(&record, write_baseline, msg, sizeof msg)) {
                fprintf(stderr, "goleak: --write-baseline: %s\n", msg);
                status = 2;
            } else if (!quiet) {
                fprintf(stderr, "goleak: %zu finding%s recorded in %s\n", record.len,
                        record.len == 1 ? "" : "s", write_baseline);
            }
        }
        if (fl.base && !quiet) report_baseline(&base, baseline_file, &ctx.checked);
        str_set_free(&ctx.checked);
        if (ctx.io_errors || path_errors) status = 2;
        findings = ctx.fm.nfindings > 0;
    }
    baseline_free(&base);
    baseline_free(&record);
    changed_free(fl.changed);
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
    return findings && !exit_zero ? 1 : 0;
}
