/* paygraph keygen: a new random pseudonymisation key for a working group. */
#include <getopt.h>
#include <stdio.h>

#include "cli.h"

static const char usage[] =
    "usage: paygraph keygen --out KEY\n\n"
    "Writes a new random 32-byte key (hex, after a comment line) to KEY, readable by\n"
    "its owner only. An existing file is never overwritten. Share the key only with\n"
    "the working group, by a secure channel; every member pseudonymises with it.\n";

enum { OPT_OUT = 1000, OPT_HELP };

int cmd_keygen(int argc, char **argv)
{
    static const struct option longopts[] = {{"out", required_argument, NULL, OPT_OUT},
                                             {"help", no_argument, NULL, OPT_HELP},
                                             {NULL, 0, NULL, 0}};
    const char *out = NULL;
    int opt;
    optind = 1;
    while ((opt = getopt_long(argc, argv, "", longopts, NULL)) != -1) {
        if (opt == OPT_OUT) {
            out = optarg;
        } else if (opt == OPT_HELP) {
            fputs(usage, stdout);
            return 0;
        } else {
            return cli_usage_error("keygen", "unknown option");
        }
    }
    if (!out || optind < argc) {
        return cli_usage_error("keygen", out ? "unexpected argument" : "--out KEY is required");
    }
    pg_key key;
    int st = pg_key_generate(&key);
    if (st == 0) {
        st = pg_key_write(out, &key);
    }
    pg_key_wipe(&key);
    if (st < 0) {
        return cli_fail(st, "keygen");
    }
    fprintf(stderr, "paygraph: wrote a new key to %s (mode 0600)\n", out);
    return 0;
}
