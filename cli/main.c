/* The goleak command: dispatches to its subcommands. */
#include "cli.h"

#include <string.h>

static void usage(FILE *fp) {
    fputs("usage: goleak [scan] [options] PATH...   find leaks in Go files\n"
          "       goleak tokens [--comments] FILE...  print the token stream\n"
          "       goleak dump [--skeleton] FILE...    print the skeleton tree\n"
          "       goleak --version | --help\n",
          fp);
}

int main(int argc, char **argv) {
    if (argc < 2) {
        usage(stderr);
        return 2;
    }
    const char *cmd = argv[1];
    if (strcmp(cmd, "--help") == 0 || strcmp(cmd, "-h") == 0 || strcmp(cmd, "help") == 0) {
        usage(stdout);
        return 0;
    }
    if (strcmp(cmd, "--version") == 0 || strcmp(cmd, "version") == 0) {
        printf("goleak %s\n", goleak_version_string());
        return 0;
    }
    if (strcmp(cmd, "tokens") == 0) return cmd_tokens(argc - 1, argv + 1);
    if (strcmp(cmd, "dump") == 0) return cmd_dump(argc - 1, argv + 1);
    fprintf(stderr, "goleak: unknown command '%s'\n", cmd);
    usage(stderr);
    return 2;
}
