/* goleak test PACK|DIR...: runs each pack's rules on its fixtures, the .go
 * files of the directory named like the pack (resources.yml: resources/,
 * walked recursively) and NAME.go beside it. A line annotated by a
 * `// ruleid: ID[, ID]` comment on the line before must get a finding of
 * that rule; one annotated `// ok: ID` must not; any other finding of the
 * pack's rules is unexpected. Every rule needs at least one ruleid. */
#define _DEFAULT_SOURCE /* d_type */
#include "packs.h"

#include <dirent.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

typedef struct expect {
    char *file;
    unsigned line;
    char *rule;
    int ok; /* // ok: must stay silent */
    int seen;
} expect;

typedef struct tstate {
    goleak_engine *e;
    const char *pack;
    expect *ex;
    size_t nex, capex;
    size_t files, found, missed, unexpected;
    int oom;
} tstate;

static void add_expect(tstate *t, const char *file, unsigned line, const char *rule, size_t n,
                       int ok) {
    if (t->nex == t->capex) {
        size_t cap = t->capex ? 2 * t->capex : 32;
        expect *p = realloc(t->ex, cap * sizeof *p);
        if (!p) {
            t->oom = 1;
            return;
        }
        t->ex = p;
        t->capex = cap;
    }
    expect *x = &t->ex[t->nex++];
    x->file = strdup(file);
    x->rule = strndup(rule, n);
    x->line = line;
    x->ok = ok;
    x->seen = 0;
    if (!x->file || !x->rule) t->oom = 1;
}

/* The annotation of a comment: "ruleid" or "ok", and its id list. */
static int annotation(const char *c, size_t n, int *ok, const char **ids, size_t *nids) {
    if (n < 2 || c[0] != '/' || c[1] != '/') return 0;
    size_t i = 2;
    while (i < n && c[i] == ' ') i++;
    if (n - i >= 7 && memcmp(c + i, "ruleid:", 7) == 0) {
        *ok = 0;
        i += 7;
    } else if (n - i >= 3 && memcmp(c + i, "ok:", 3) == 0) {
        *ok = 1;
        i += 3;
    } else {
        return 0;
    }
    *ids = c + i;
    *nids = n - i;
    return 1;
}

/* Reads the annotations of a fixture, then checks it. */
static void test_file(tstate *t, const char *path) {
    goleak_error *err = goleak_error_new();
    goleak_unit *u = NULL;
    if (goleak_unit_parse_file(&u, path, NULL, err) != 0) {
        print_error(err);
        t->unexpected++;
        goleak_error_free(err);
        return;
    }
    t->files++;
    size_t first = t->nex;
    size_t nc = goleak_unit_comment_count(u);
    /* the lines of annotation comments: the one annotated is the next other line */
    unsigned *alines = calloc(nc + 1, sizeof *alines);
    size_t na = 0;
    for (size_t k = 0; alines && k < nc; k++) {
        size_t n;
        const char *c = goleak_unit_comment_text(u, k, &n);
        int ok;
        const char *ids;
        size_t nids;
        if (annotation(c, n, &ok, &ids, &nids))
            alines[na++] = goleak_unit_comment_span(u, k).start.line;
    }
    for (size_t k = 0; alines && k < nc; k++) {
        size_t n;
        const char *c = goleak_unit_comment_text(u, k, &n);
        int ok;
        const char *ids;
        size_t nids;
        if (!annotation(c, n, &ok, &ids, &nids)) continue;
        unsigned line = goleak_unit_comment_span(u, k).start.line + 1;
        for (int moved = 1; moved;) {
            moved = 0;
            for (size_t a = 0; a < na; a++)
                if (alines[a] == line) {
                    line++;
                    moved = 1;
                }
        }
        size_t i = 0;
        while (i < nids) {
            while (i < nids && (ids[i] == ' ' || ids[i] == ',')) i++;
            size_t s = i;
            while (i < nids && ids[i] != ' ' && ids[i] != ',') i++;
            if (i > s) add_expect(t, path, line, ids + s, i - s, ok);
        }
    }
    free(alines);
    char version[64];
    goleak_check_options o = GOLEAK_CHECK_OPTIONS_INIT;
    if (goleak_go_version_for_path(version, sizeof version, path, NULL) == 0)
        o.go_version = version;
    goleak_findings *fs = NULL;
    if (goleak_engine_check(&fs, t->e, u, &o, err) != 0) {
        print_error(err);
        t->unexpected++;
    }
    for (size_t k = 0; k < goleak_findings_count(fs); k++) {
        const goleak_finding *f = goleak_findings_get(fs, k);
        unsigned line = goleak_finding_span(f).start.line;
        const char *id = goleak_finding_rule_id(f);
        expect *hit = NULL;
        for (size_t j = first; j < t->nex && !hit; j++)
            if (t->ex[j].line == line && strcmp(t->ex[j].rule, id) == 0) hit = &t->ex[j];
        t->found++;
        if (hit && !hit->ok) {
            hit->seen = 1;
            continue;
        }
        t->unexpected++;
        printf("%s:%u: unexpected %s%s: %s\n", path, line, id, hit ? " (marked ok)" : "",
               goleak_finding_message(f));
    }
    for (size_t j = first; j < t->nex; j++) {
        if (t->ex[j].ok || t->ex[j].seen) continue;
        t->missed++;
        printf("%s:%u: missed %s\n", path, t->ex[j].line, t->ex[j].rule);
    }
    goleak_findings_free(fs);
    goleak_unit_free(u);
    goleak_error_free(err);
}

static int is_go(const char *s) {
    size_t n = strlen(s);
    return n > 3 && strcmp(s + n - 3, ".go") == 0 && s[0] != '.';
}

static int name_cmp(const void *a, const void *b) {
    return strcmp(*(char *const *)a, *(char *const *)b);
}

static void test_dir(tstate *t, const char *dir) {
    DIR *d = opendir(dir);
    if (!d) return;
    char **names = NULL;
    size_t n = 0;
    struct dirent *de;
    while ((de = readdir(d))) {
        if (de->d_name[0] == '.') continue;
        char **p = realloc(names, (n + 1) * sizeof *p);
        if (!p) break;
        names = p;
        names[n] = malloc(strlen(dir) + strlen(de->d_name) + 2);
        if (!names[n]) break;
        sprintf(names[n++], "%s/%s", dir, de->d_name);
    }
    closedir(d);
    if (n > 1) qsort(names, n, sizeof *names, name_cmp);
    for (size_t k = 0; k < n; k++) {
        struct stat st;
        if (stat(names[k], &st) == 0) {
            if (S_ISDIR(st.st_mode))
                test_dir(t, names[k]);
            else if (S_ISREG(st.st_mode) && is_go(names[k]))
                test_file(t, names[k]);
        }
        free(names[k]);
    }
    free(names);
}

/* Tests one pack of the engine; 0 pass, 1 failures. */
static int test_pack(goleak_engine *e, const char *pack) {
    tstate t;
    memset(&t, 0, sizeof t);
    t.e = e;
    t.pack = pack;
    /* only this pack's rules run */
    goleak_engine_enable_rules(e, "all", 0, NULL);
    size_t nrules = 0, total = goleak_engine_rule_count(e);
    for (size_t i = 0; i < total; i++) {
        const goleak_rule *r = goleak_engine_rule(e, i);
        const char *p = goleak_rule_origin_path(r);
        if (!p || strcmp(p, pack) != 0) continue;
        goleak_engine_enable_rules(e, goleak_rule_id(r), 1, NULL);
        nrules++;
    }
    /* its fixtures: NAME/ and NAME.go next to NAME.yml */
    char base[4096];
    snprintf(base, sizeof base, "%s", pack);
    char *dot = strrchr(base, '.');
    if (dot && dot > strrchr(base, '/')) *dot = 0;
    char single[4100];
    snprintf(single, sizeof single, "%s.go", base);
    struct stat st;
    if (stat(single, &st) == 0 && S_ISREG(st.st_mode)) test_file(&t, single);
    if (stat(base, &st) == 0 && S_ISDIR(st.st_mode)) test_dir(&t, base);
    int fail = t.oom || t.missed || t.unexpected;
    size_t expected = 0;
    for (size_t k = 0; k < t.nex; k++) expected += !t.ex[k].ok;
    /* every rule needs a fixture */
    for (size_t i = 0; i < total; i++) {
        const goleak_rule *r = goleak_engine_rule(e, i);
        const char *p = goleak_rule_origin_path(r);
        if (!p || strcmp(p, pack) != 0) continue;
        int has = 0;
        for (size_t k = 0; k < t.nex && !has; k++)
            has = !t.ex[k].ok && strcmp(t.ex[k].rule, goleak_rule_id(r)) == 0;
        if (!has) {
            printf("%s: rule %s has no fixture (no `// ruleid: %s` in %s/ or %s.go)\n", pack,
                   goleak_rule_id(r), goleak_rule_id(r), base, base);
            fail = 1;
        }
    }
    /* annotations naming rules the pack does not have */
    for (size_t k = 0; k < t.nex; k++) {
        const goleak_rule *r = goleak_engine_find_rule(e, t.ex[k].rule);
        const char *p = r ? goleak_rule_origin_path(r) : NULL;
        if (!p || strcmp(p, pack) != 0) {
            printf("%s:%u: annotation names %s, which is not a rule of %s\n", t.ex[k].file,
                   t.ex[k].line, t.ex[k].rule, pack);
            fail = 1;
        }
    }
    printf("%s: %zu rules, %zu fixture files, %zu expected findings, %zu ok lines: %zu found, "
           "%zu missed, %zu unexpected: %s\n",
           pack, nrules, t.files, expected, t.nex - expected, t.found, t.missed, t.unexpected,
           fail ? "FAIL" : "PASS");
    for (size_t k = 0; k < t.nex; k++) {
        free(t.ex[k].file);
        free(t.ex[k].rule);
    }
    free(t.ex);
    return fail;
}

int cmd_test(int argc, char **argv) {
    pack_list packs = {NULL, 0};
    int defaults;
    int status = pack_args(argc, argv, "test", &packs, &defaults);
    int failed = 0;
    goleak_engine *e = status == 0 ? pack_engine(&packs, defaults, &failed) : NULL;
    if (status == 0 && (!e || failed)) status = 2;
    for (size_t k = 0; status != 2 && k < packs.len; k++)
        if (test_pack(e, packs.paths[k])) status = 1;
    goleak_engine_free(e);
    pack_list_free(&packs);
    fflush(stdout);
    return status;
}
