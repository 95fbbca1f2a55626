/*
 * Shared helpers of the paygraph command-line tool. The CLI uses only the
 * public API (include/paygraph) plus these helpers.
 */
#ifndef PG_CLI_H
#define PG_CLI_H

#include <stdio.h>

#include "paygraph/paygraph.h"

/* One subcommand: name, one-line summary, entry point. */
typedef struct pg_command {
    const char *name;
    const char *summary;
    int (*run)(int argc, char **argv);
} pg_command;

/*
 * The status of a failed allocation of the CLI's own. The library's last
 * error message is about the library's last failure, so PG_ENOMEM there
 * would print a message about something else; cli_fail says "out of memory".
 */
#define CLI_ENOMEM (-1000)

/*
 * Print "paygraph: <what>: <message>" on stderr and return the exit code for
 * status (a library status, or CLI_ENOMEM).
 */
int cli_fail(int status, const char *what);

/* Print a usage error for a command and return exit code 1. */
int cli_usage_error(const char *cmd, const char *fmt, ...) PG_PRINTF(2, 3);

/* Parse integers / doubles for options; on failure print a usage error and return -1. */
int cli_parse_int(const char *cmd, const char *opt, const char *text, long long lo, long long hi,
                  long long *out);
int cli_parse_double(const char *cmd, const char *opt, const char *text, double *out);
/* --level: "account" or "entity"; otherwise a usage error and -1. */
int cli_parse_level(const char *cmd, const char *text, pg_level *out);

/* Subcommands, one file each. */
int cmd_ingest(int argc, char **argv);
int cmd_info(int argc, char **argv);
int cmd_scan(int argc, char **argv);
int cmd_communities(int argc, char **argv);
int cmd_paths(int argc, char **argv);
int cmd_score(int argc, char **argv);
int cmd_generate(int argc, char **argv);
int cmd_eval(int argc, char **argv);
int cmd_keygen(int argc, char **argv);
int cmd_pseudonymize(int argc, char **argv);
int cmd_reveal(int argc, char **argv);

#endif
