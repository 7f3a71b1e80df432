/* Native rule packs: a shared object with one entry point, loaded only when
 * the user names it (goleak --native-pack, or this API). The entry point
 * receives the host's ABI version and returns a descriptor; the host checks
 * its size and ABI version before calling anything else in it, and keeps
 * the object loaded for as long as the engine lives. */
#include "engine.h"
#include "error.h"

#include <dlfcn.h>
#include <stdio.h>
#include <string.h>

static void close_handle(void *h) {
    dlclose(h);
}

GOLEAK_API goleak_status goleak_engine_load_native_pack(goleak_engine *e, const char *path,
                                                        goleak_error *err) {
    if (!e || !path) return error_set(err, GOLEAK_EINVAL, NULL, 0, 0, 0, "NULL argument");
    /* a path, not a name to search the library path for */
    char buf[4096];
    if (!strchr(path, '/')) {
        snprintf(buf, sizeof buf, "./%s", path);
        path = buf;
    }
    void *h = dlopen(path, RTLD_NOW | RTLD_LOCAL);
    if (!h) {
        const char *why = dlerror();
        return error_set(err, GOLEAK_EIO, path, 0, 0, 0, "%s: cannot load the native pack: %s",
                         path, why ? why : "unknown error");
    }
    void *sym = dlsym(h, GOLEAK_NATIVE_PACK_ENTRY);
    if (!sym) {
        dlclose(h);
        return error_set(err, GOLEAK_ENOTFOUND, path, 0, 0, 0,
                         "%s: not a native pack: it does not export %s()", path,
                         GOLEAK_NATIVE_PACK_ENTRY);
    }
    goleak_native_pack_entry_fn entry;
    memcpy(&entry, &sym, sizeof entry); /* object pointer to function pointer (POSIX) */
    const goleak_native_pack *d = entry(GOLEAK_ABI_VERSION);
    int rc = 0;
    if (!d) {
        rc = error_set(err, GOLEAK_EABI, path, 0, 0, 0,
                       "%s: the native pack refuses this host (ABI version %d)", path,
                       GOLEAK_ABI_VERSION);
    } else if (d->struct_size < sizeof(goleak_native_pack) ||
               d->abi_version < GOLEAK_ABI_MIN_COMPATIBLE || d->abi_version > GOLEAK_ABI_VERSION ||
               !d->register_rules) {
        rc = error_set(err, GOLEAK_EABI, path, 0, 0, 0,
                       "%s: native pack built for ABI version %d; this libgoleak loads versions "
                       "%d to %d",
                       path, d->abi_version, GOLEAK_ABI_MIN_COMPATIBLE, GOLEAK_ABI_VERSION);
    }
    if (rc) {
        dlclose(h);
        return rc;
    }
    size_t first = goleak_engine_rule_count(e), first_att = engine_attach_count(e);
    /* attached first: a rollback then unloads it after removing its rules */
    rc = engine_attach(e, h, close_handle);
    if (rc) return error_set(err, rc, NULL, 0, 0, 0, "out of memory");
    rc = d->register_rules(e, err);
    if (rc == 0) rc = engine_set_origin(e, first, GOLEAK_ORIGIN_NATIVE, path);
    if (rc) {
        char why[512];
        snprintf(why, sizeof why, "%s",
                 err && goleak_error_message(err)[0] ? goleak_error_message(err)
                                                     : "no reason given");
        const char *name = d->name ? d->name : "?";
        char pack_name[128];
        snprintf(pack_name, sizeof pack_name, "%s", name); /* d lives in the object */
        engine_rollback(e, first, first_att);
        if (rc == GOLEAK_ENOMEM) return error_set(err, rc, NULL, 0, 0, 0, "out of memory");
        return error_set(err, rc, path, 0, 0, 0,
                         "%s: the native pack %s could not register its rules: %s", path, pack_name,
                         why);
    }
    return 0;
}
