/* What rule packs need of the engine beyond registering rules: the origin
 * of the rules a pack registers, data kept alive with the engine, and per-path overrides of a
 * rule's enabled state (a project's configuration). */
#include "engine.h"

#include <fnmatch.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

int engine_set_origin(goleak_engine *e, size_t first, int origin, const char *path) {
    for (size_t k = first; k < e->rules.len; k++) {
        struct goleak_rule *r = e->rules.data[k];
        char *p = path ? gl_strdup(e->alloc, path) : NULL;
        if (path && !p) return GOLEAK_ENOMEM;
        gl_free(e->alloc, r->origin_path);
        r->origin = origin;
        r->origin_path = p;
    }
    return 0;
}

int engine_attach(goleak_engine *e, void *data, void (*free_fn)(void *data)) {
    engine_attachment at = {data, free_fn};
    if (VEC_PUSH(e->alloc, &e->attached, at)) {
        free_fn(data);
        return GOLEAK_ENOMEM;
    }
    return 0;
}

size_t engine_attach_count(const goleak_engine *e) {
    return e->attached.len;
}

int engine_rule_add_scope(goleak_engine *e, goleak_rule *r, const char *base,
                          const char *const *globs, size_t n, int enabled) {
    const goleak_allocator *a = e->alloc;
    char cwd[4096];
    if (!getcwd(cwd, sizeof cwd)) strcpy(cwd, "/");
    rule_scope sc = {gl_strdup(a, base), gl_strdup(a, cwd), gl_calloc(a, (n + 1) * sizeof(char *)),
                     enabled};
    int ok = sc.base && sc.cwd && sc.globs;
    for (size_t k = 0; ok && k < n; k++) ok = (sc.globs[k] = gl_strdup(a, globs[k])) != NULL;
    if (ok && VEC_PUSH(a, &r->scopes, sc) == 0) return 0;
    for (char **g = sc.globs; g && *g; g++) gl_free(a, *g);
    gl_free(a, sc.globs);
    gl_free(a, sc.base);
    gl_free(a, sc.cwd);
    return GOLEAK_ENOMEM;
}

/* Whether path (absolute, or relative to the working directory cwd) lies
 * under base; its part below base in rel (size bytes). Relative paths are
 * joined to cwd and their leading "./" and "../" folded. */
static int path_under(const char *path, const char *base, const char *cwd, char *rel, size_t size) {
    char abs[4096];
    if (path[0] == '/') {
        snprintf(abs, sizeof abs, "%s", path);
    } else {
        size_t o = (size_t)snprintf(abs, sizeof abs, "%s", cwd);
        for (;;) {
            while (path[0] == '.' && path[1] == '/') path += 2;
            if (!(path[0] == '.' && path[1] == '.' && path[2] == '/')) break;
            path += 3;
            while (o > 0 && abs[o - 1] != '/') o--;
            if (o > 1) o--;
            abs[o] = 0;
        }
        snprintf(abs + o, sizeof abs - o, "%s%s", o && abs[o - 1] == '/' ? "" : "/", path);
    }
    size_t n = strlen(base);
    if (n == 1 && base[0] == '/') n = 0;
    if (strncmp(abs, base, n) != 0 || (abs[n] != '/' && abs[n] != 0)) return 0;
    snprintf(rel, size, "%s", abs[n] == '/' ? abs + n + 1 : abs + n);
    return 1;
}

int engine_rule_enabled_for(const struct goleak_rule *r, const char *path) {
    int on = r->enabled;
    for (uint32_t k = 0; k < r->scopes.len; k++) {
        const rule_scope *sc = &r->scopes.data[k];
        char rel[4096];
        if (!path_under(path, sc->base, sc->cwd, rel, sizeof rel)) continue;
        const char *slash = strrchr(rel, '/'), *base = slash ? slash + 1 : rel;
        for (char **g = sc->globs; *g; g++) {
            if (fnmatch(*g, rel, 0) == 0 || fnmatch(*g, base, 0) == 0) {
                on = sc->enabled;
                break;
            }
        }
    }
    return on;
}
