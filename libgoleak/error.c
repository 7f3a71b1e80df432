/* Error objects and status strings. Error objects use malloc directly: they
 * outlive engines and units and must work when an allocator has failed. */
#include "error.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct goleak_error {
    int code;
    char *message;
    char *file;
    unsigned line, column;
    size_t offset;
};

GOLEAK_API const char *goleak_strerror(int code) {
    switch (code) {
    case GOLEAK_OK: return "success";
    case GOLEAK_ENOMEM: return "out of memory";
    case GOLEAK_EINVAL: return "invalid argument";
    case GOLEAK_EIO: return "input/output error";
    case GOLEAK_ESYNTAX: return "syntax error";
    case GOLEAK_ITEROVER: return "iteration is over";
    case GOLEAK_EUSER: return "callback failed";
    case GOLEAK_ERANGE: return "value out of range";
    case GOLEAK_ENOTFOUND: return "not found";
    case GOLEAK_EABI: return "incompatible ABI version";
    case GOLEAK_EEXISTS: return "already exists";
    default: return "unknown error";
    }
}

GOLEAK_API goleak_error *goleak_error_new(void) {
    return calloc(1, sizeof(goleak_error));
}

GOLEAK_API void goleak_error_clear(goleak_error *err) {
    if (!err) return;
    free(err->message);
    free(err->file);
    memset(err, 0, sizeof *err);
}

GOLEAK_API void goleak_error_free(goleak_error *err) {
    if (!err) return;
    goleak_error_clear(err);
    free(err);
}

GOLEAK_API int goleak_error_code(const goleak_error *err) {
    return err ? err->code : GOLEAK_EINVAL;
}

GOLEAK_API const char *goleak_error_message(const goleak_error *err) {
    return err && err->message ? err->message : NULL;
}

GOLEAK_API const char *goleak_error_file(const goleak_error *err) {
    return err ? err->file : NULL;
}

GOLEAK_API unsigned int goleak_error_line(const goleak_error *err) {
    return err ? err->line : 0;
}

GOLEAK_API unsigned int goleak_error_column(const goleak_error *err) {
    return err ? err->column : 0;
}

GOLEAK_API size_t goleak_error_offset(const goleak_error *err) {
    return err ? err->offset : 0;
}

int error_set(goleak_error *err, int code, const char *file, unsigned line, unsigned column,
              size_t offset, const char *fmt, ...) {
    if (!err) return code;
    goleak_error_clear(err);
    err->code = code;
    err->line = line;
    err->column = column;
    err->offset = offset;
    if (file) err->file = strdup(file);
    char buf[1024];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(buf, sizeof buf, fmt, ap);
    va_end(ap);
    err->message = strdup(buf);
    return code;
}
