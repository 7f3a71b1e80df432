/* Rule pack files of the test and validate commands. */
#ifndef GOLEAK_CLI_PACKS_H
#define GOLEAK_CLI_PACKS_H

#include "cli.h"

typedef struct pack_list {
    char **paths;
    size_t len;
} pack_list;

/* Adds a pack file, or the .yml and .yaml files of a directory (name
 * order). 0, or -1 after printing why. */
int pack_list_add(pack_list *l, const char *arg);
void pack_list_free(pack_list *l);

/* Reads the arguments of `goleak CMD [--no-default-packs] PACK|DIR...`
 * into packs and *defaults; 0, or 2 after printing why (an unknown option,
 * a bad pack path, no pack). */
int pack_args(int argc, char **argv, const char *cmd, pack_list *packs, int *defaults);

/* Whether two paths name the same file. */
int same_file(const char *a, const char *b);

/* An engine with the built-in rules, the shipped packs (unless
 * default_packs is 0; those in packs are not loaded twice), then each of
 * packs; a pack that fails to load is reported and sets *failed. NULL when
 * the engine cannot be made. */
goleak_engine *pack_engine(const pack_list *packs, int default_packs, int *failed);

#endif
