/* Resource rules: a resource acquired by a call must be released on every
 * path out of the function, unless it is handed on (returned, stored,
 * sent, captured by a goroutine or a deferred closure, passed to a
 * function). The paths are walked by the built-in rules' walker. */
#ifndef GOLEAK_PACKS_RESOURCE_H
#define GOLEAK_PACKS_RESOURCE_H

#include "matcher.h"

/* How a resource leaks, for messages ($EXIT). */
typedef struct leak_report {
    uint32_t call;    /* the acquiring call node */
    int discarded;    /* the result is thrown away (_ or an unused result) */
    int kind;         /* host_leak */
    uint32_t at;      /* the leaking statement (the function for HOST_LEAK_END) */
    int round;        /* HOST_LEAK_OVERWRITE at the acquisition itself: the loop went round */
    uint32_t res_tok; /* the resource's name token, NONE32 when discarded */
    binding b[MAX_METAVARS];
} leak_report;

/* Runs one resource spec on the file; report(ctx, leak) for each leak.
 * 0, GOLEAK_ENOMEM, or what report returns. */
int resource_run(meval *ev, const resource_spec *s,
                 int (*report)(void *ctx, const leak_report *leak), void *ctx);

#endif
