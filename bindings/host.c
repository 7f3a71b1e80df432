/* The C half the bindings share: see host.h. */
#define _GNU_SOURCE /* dladdr: where this module was loaded from */
#include "host.h"

#include <dlfcn.h>
#include <limits.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

/* ---- each thread's error object ---- */

static pthread_key_t error_key;
static pthread_once_t error_once = PTHREAD_ONCE_INIT;

static void error_destroy(void *err) {
    goleak_error_free(err);
}

static void error_key_create(void) {
    (void)pthread_key_create(&error_key, error_destroy);
}

goleak_error *host_error(void) {
    pthread_once(&error_once, error_key_create);
    goleak_error *err = pthread_getspecific(error_key);
    if (!err) {
        err = goleak_error_new();
        if (err && pthread_setspecific(error_key, err) != 0) {
            goleak_error_free(err);
            err = NULL;
        }
    }
    goleak_error_clear(err);
    return err;
}

goleak_error *host_error_peek(void) {
    pthread_once(&error_once, error_key_create);
    return pthread_getspecific(error_key);
}

/* ---- rule definitions ---- */

struct host_rule {
    goleak_rule_def def;
    goleak_rule_option *options;
    size_t noptions;
};

static char *dup_or_null(const char *s, int *failed) {
    if (!s) return NULL;
    size_t n = strlen(s) + 1;
    char *d = malloc(n);
    if (d)
        memcpy(d, s, n);
    else
        *failed = 1;
    return d;
}

static void option_free(goleak_rule_option *o) {
    free((char *)o->key);
    free((char *)o->default_value);
    free((char *)o->doc);
}

void host_rule_free(host_rule *r) {
    if (!r) return;
    free((char *)r->def.id);
    free((char *)r->def.name);
    free((char *)r->def.summary);
    free((char *)r->def.doc);
    free((char *)r->def.go_min);
    free((char *)r->def.go_below);
    free((char *)r->def.triggers);
    for (size_t k = 0; k < r->noptions; k++) option_free(&r->options[k]);
    free(r->options);
    free(r);
}

host_rule *host_rule_new(const char *id, const char *name, int severity, const char *summary,
                         const char *doc, const char *go_min, const char *go_below,
                         const char *triggers, unsigned int flags) {
    host_rule *r = calloc(1, sizeof *r);
    if (!r || goleak_rule_def_init(&r->def, GOLEAK_RULE_DEF_VERSION) != 0) {
        free(r);
        return NULL;
    }
    int failed = 0;
    r->def.id = dup_or_null(id, &failed);
    r->def.name = dup_or_null(name, &failed);
    r->def.summary = dup_or_null(summary, &failed);
    r->def.doc = dup_or_null(doc, &failed);
    r->def.go_min = dup_or_null(go_min, &failed);
    r->def.go_below = dup_or_null(go_below, &failed);
    r->def.triggers = dup_or_null(triggers, &failed);
    r->def.severity = severity;
    r->def.flags = flags;
    if (failed) {
        host_rule_free(r);
        return NULL;
    }
    return r;
}

goleak_status host_rule_add_option(host_rule *r, const char *key, int type,
                                   const char *default_value, long long min, long long max,
                                   const char *doc) {
    if (!r || !key) return GOLEAK_EINVAL;
    goleak_rule_option *p = realloc(r->options, (r->noptions + 1) * sizeof *p);
    if (!p) return GOLEAK_ENOMEM;
    r->options = p;
    goleak_rule_option o = {NULL, type, NULL, min, max, NULL};
    int failed = 0;
    o.key = dup_or_null(key, &failed);
    o.default_value = dup_or_null(default_value, &failed);
    o.doc = dup_or_null(doc, &failed);
    if (failed) {
        option_free(&o);
        return GOLEAK_ENOMEM;
    }
    r->options[r->noptions++] = o;
    return GOLEAK_OK;
}

goleak_status host_rule_register(goleak_engine *engine, const host_rule *r, goleak_rule_fn check,
                                 void *user_data, void (*free_user_data)(void *),
                                 unsigned int extra_flags, goleak_error *err) {
    if (!r) return GOLEAK_EINVAL;
    goleak_rule_def def = r->def;
    def.flags |= extra_flags;
    def.check = check;
    def.user_data = user_data;
    def.free_user_data = free_user_data;
    def.options = r->options;
    def.noptions = r->noptions;
    return goleak_engine_register_rule(engine, &def, err);
}

goleak_status host_check(goleak_findings **out, const goleak_engine *engine,
                         const goleak_unit *unit, const char *go_version, unsigned int flags,
                         goleak_error *err) {
    goleak_check_options opts = GOLEAK_CHECK_OPTIONS_INIT;
    opts.go_version = go_version;
    opts.flags = flags;
    return goleak_engine_check(out, engine, unit, &opts, err);
}

goleak_status host_writer_new(goleak_writer **out, int format, const goleak_engine *engine,
                              goleak_write_fn write, void *user_data, goleak_error *err) {
    goleak_writer_options opts = GOLEAK_WRITER_OPTIONS_INIT;
    opts.format = format;
    opts.engine = engine;
    opts.write = write;
    opts.user_data = user_data;
    return goleak_writer_new(out, &opts, err);
}

/* ---- rule packs ---- */

static int is_dir(const char *path) {
    struct stat st;
    return stat(path, &st) == 0 && S_ISDIR(st.st_mode);
}

goleak_status host_load_pack_path(goleak_engine *engine, const char *path, goleak_error *err) {
    if (path && is_dir(path)) return goleak_engine_load_pack_dir(engine, path, err);
    return goleak_engine_load_pack(engine, path, err);
}

goleak_status host_add_default_packs(goleak_engine *engine, goleak_error *err) {
#if defined(HOST_MODULE_TO_RULES) && defined(HOST_BUILD_DIR)
    /* GOLEAK_RULES_DIR, and a module of the build tree, are the library's to
     * resolve; an installed module finds the packs from its own directory */
    const char *env = getenv("GOLEAK_RULES_DIR");
    Dl_info info;
    size_t bl = strlen(HOST_BUILD_DIR);
    if (engine && !(env && *env) && dladdr((void *)host_add_default_packs, &info) &&
        info.dli_fname && info.dli_fname[0] == '/' &&
        !(strncmp(info.dli_fname, HOST_BUILD_DIR, bl) == 0 && info.dli_fname[bl] == '/')) {
        const char *self = info.dli_fname, *slash = strrchr(self, '/');
        char cand[PATH_MAX], real[PATH_MAX];
        int n =
            snprintf(cand, sizeof cand, "%.*s/%s", (int)(slash - self), self, HOST_MODULE_TO_RULES);
        if (n > 0 && (size_t)n < sizeof cand && is_dir(cand))
            return goleak_engine_load_pack_dir(engine, realpath(cand, real) ? real : cand, err);
    }
#endif
    return goleak_engine_add_default_packs(engine, err);
}

size_t host_unit_nul_offset(const goleak_unit *unit, size_t probe) {
    size_t len = 0;
    const char *src = goleak_unit_source(unit, &len);
    if (!src) return GOLEAK_NONE;
    const char *nul = memchr(src, 0, len < probe ? len : probe);
    return nul ? (size_t)(nul - src) : GOLEAK_NONE;
}
