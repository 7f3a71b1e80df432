/* Filling goleak_error objects from inside the library. */
#ifndef GOLEAK_ERROR_H
#define GOLEAK_ERROR_H

#include "goleak.h"

#include <stddef.h>

/* Records code and a formatted message in err (when err is not NULL) and
 * returns code, so that callers can write `return error_set(err, ...)`.
 * file may be NULL; line 0 means "no position". */
int error_set(goleak_error *err, int code, const char *file, unsigned line, unsigned column,
              size_t offset, const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 7, 8)))
#endif
    ;

#endif
