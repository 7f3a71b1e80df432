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

/* Subcommands; each returns the process exit status. */
int cmd_tokens(int argc, char **argv);
int cmd_dump(int argc, char **argv);
int cmd_scan(int argc, char **argv);
int cmd_rules(int argc, char **argv);
int cmd_explain(int argc, char **argv);

#endif
