/* The goleak command: dispatches to its subcommands. */
#include "cli.h"

#include <string.h>

static void usage(FILE *fp) {
    fputs("usage: goleak [scan] [options] PATH...   find leaks in Go files (scan --help)\n"
          "       goleak rules [--json]               list the rules\n"
          "       goleak explain ID                   a rule's documentation and examples\n"
          "       goleak test PACK|DIR...             run rule packs on their annotated fixtures\n"
          "       goleak validate PACK...             check rule packs without scanning\n"
          "       goleak config [PATH]                the configuration used and its settings\n"
          "       goleak tokens [--comments] FILE...  print the token stream\n"
          "       goleak dump [--skeleton] FILE...    print the skeleton tree\n"
          "       goleak --version | --help\n",
          fp);
}

int main(int argc, char **argv) {
    /* one write per line of errors, not one per character: a scan may
     * report millions */
    static char errbuf[1 << 12];
    setvbuf(stderr, errbuf, _IOLBF, sizeof errbuf);
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
    if (strcmp(cmd, "rules") == 0) return cmd_rules(argc - 1, argv + 1);
    if (strcmp(cmd, "explain") == 0) return cmd_explain(argc - 1, argv + 1);
    if (strcmp(cmd, "scan") == 0) return cmd_scan(argc - 1, argv + 1);
    if (strcmp(cmd, "test") == 0) return cmd_test(argc - 1, argv + 1);
    if (strcmp(cmd, "validate") == 0) return cmd_validate(argc - 1, argv + 1);
    if (strcmp(cmd, "config") == 0) return cmd_config(argc - 1, argv + 1);
    /* without a command: scan the arguments */
    return cmd_scan(argc, argv);
}
