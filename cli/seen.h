/* Sets that keep a scan from doing anything twice: files and directories by
 * device and inode (a file named twice, or reached by two paths, is checked
 * once), and paths by name (each skipped path is named once). */
#ifndef GOLEAK_CLI_SEEN_H
#define GOLEAK_CLI_SEEN_H

#include <stddef.h>
#include <stdint.h>

typedef struct id_set {
    uint64_t *keys; /* pairs (device, inode); (0, 0) marks a free slot */
    size_t cap, len;
} id_set;

typedef struct str_set {
    char **keys; /* NULL marks a free slot; the strings are copies */
    size_t cap, len;
} str_set;

/* 1 when (dev, ino) was not in the set and is now, 0 when it was, -1 when
 * out of memory. */
int id_set_add(id_set *s, uint64_t dev, uint64_t ino);
void id_set_free(id_set *s);

/* 1 when str was not in the set and now is (copied), 0 when it was, -1
 * when out of memory. */
int str_set_add(str_set *s, const char *str);
/* Whether the set holds str. */
int str_set_has(const str_set *s, const char *str);
void str_set_free(str_set *s);

#endif
