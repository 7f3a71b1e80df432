/* Changed code: the lines a diff touches in each file, from `git diff REV`
 * (run through the git command, untracked files counted as wholly new) or
 * from a unified diff file, for --new-from-rev and --new-from-patch. */
#ifndef GOLEAK_CLI_CHANGED_H
#define GOLEAK_CLI_CHANGED_H

#include <stddef.h>
#include <stdint.h>

typedef struct changed_set changed_set;

/* The changes of the working tree since rev, in the git repository that
 * holds dir. NULL with the reason in err (not a repository, no git, a bad
 * revision, out of memory). */
changed_set *changed_from_rev(const char *rev, const char *dir, char *err, size_t errlen);

/* The changes of a unified diff file (git diff, diff -u), its paths taken
 * relative to the working directory (a/ and b/ prefixes of git's format
 * dropped). NULL with the reason in err. */
changed_set *changed_from_patch(const char *file, char *err, size_t errlen);

/* Whether the diff touched a line of path within [first, last] (lines from
 * 1; a deletion touches the lines on both sides of it). */
int changed_touches(changed_set *c, const char *path, uint32_t first, uint32_t last);

void changed_free(changed_set *c);

#endif
