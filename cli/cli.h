/* Shared pieces of the goleak command. */
#ifndef GOLEAK_CLI_H
#define GOLEAK_CLI_H

#include "goleak.h"

#include <stddef.h>
#include <stdio.h>

/* A buffered writer: the command prints millions of short lines. */
typedef struct outbuf {
    FILE *fp;
    char buf[1 << 16];
    size_t len;
} outbuf;

void out_init(outbuf *o, FILE *fp);
void out_write(outbuf *o, const char *s, size_t n);
void out_str(outbuf *o, const char *s);
void out_char(outbuf *o, char c);
void out_uint(outbuf *o, unsigned long v);
void out_flush(outbuf *o);

/* Writes s[0, n) with gotokens' escaping (\\ \n \r \t \xHH). */
void out_escaped(outbuf *o, const char *s, size_t n);

/* Writes s with its control characters (and DEL) as \xHH, so that no path
 * or message can start a line of its own (or drive a terminal); other
 * bytes, tabs included, are kept. */
void out_text(outbuf *o, const char *s);
void fput_text(FILE *fp, const char *s);

/* Prints a unit's diagnostics to stderr as "path:line:col: message". */
void print_diagnostics(const goleak_unit *u);

/* ---- the engine of a command: built-in rules, packs, configuration ---- */

typedef struct engine_opts {
    const char **packs; /* --pack FILE|DIR, in order */
    size_t npacks;
    const char **natives; /* --native-pack FILE */
    size_t nnatives;
    int no_default_packs; /* --no-default-packs */
    const char *config;   /* --config FILE */
    int no_config;        /* --no-config */
    const char *start;    /* where .goleak.yml is looked for from (NULL: the working directory) */
} engine_opts;

/* Parses one of the shared options (--pack, --native-pack, --no-default-packs,
 * --config, --no-config) at argv[*k] into o (arrays sized argc); 1 when it
 * was one, 0 otherwise, -1 on a usage error (printed). */
int engine_opt(int argc, char **argv, int *k, engine_opts *o);
/* Allocates o's arrays for argc arguments; 0 or -1. */
int engine_opts_init(engine_opts *o, int argc);
void engine_opts_free(engine_opts *o);

/* Builds the engine: built-in rules, the shipped packs (unless turned off by
 * the flag or the configuration), native packs, --pack packs, then the
 * configuration (its packs, rule selection, options, overrides). Prints
 * errors (packs: FILE:LINE:COL: message); NULL on failure. *cfg receives
 * the configuration used (NULL: none; caller frees). */
goleak_engine *engine_build(const engine_opts *o, goleak_config **cfg);

/* Prints err to stderr: "FILE:LINE:COL: message" as is, else "goleak: message". */
void print_error(const goleak_error *err);

/* Value of "--opt V" or "--opt=V" at argv[*k]; advances *k. NULL if not it;
 * exits with status 2 when the value is missing. */
const char *opt_value(int argc, char **argv, int *k, const char *name);

/* Subcommands; each returns the process exit status. */
int cmd_tokens(int argc, char **argv);
int cmd_dump(int argc, char **argv);
int cmd_scan(int argc, char **argv);
int cmd_rules(int argc, char **argv);
int cmd_explain(int argc, char **argv);
int cmd_test(int argc, char **argv);
int cmd_validate(int argc, char **argv);
int cmd_config(int argc, char **argv);

#endif
