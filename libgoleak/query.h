/* The query layer: the questions rules share, answered from the facts'
 * indexes (see facts.h) and exposed as the goleak_check_* queries of the
 * public API. Internal callers use node and token indexes. */
#ifndef GOLEAK_QUERY_H
#define GOLEAK_QUERY_H

#include "facts.h"

struct goleak_check;

/* Per-check state of the public queries (none yet beyond the facts). */
typedef struct query query;

void query_free(query *q);

#endif
