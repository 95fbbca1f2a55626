/* paygraph pseudonymize: replace account and customer identifiers by keyed pseudonyms. */
#include <getopt.h>
#include <stdio.h>
#include <string.h>

#include "cli.h"

static const char usage[] =
    "usage: paygraph pseudonymize [--key-file KEY] --in FILE --out FILE [--map MAP.csv]\n"
    "                             [--kind transactions|accounts|watchlist]\n"
    "                             [--format paygraph|amlworld]\n\n"
    "Replaces account numbers (src_account, dst_account, account) and entity tokens\n"
    "(entity) by HMAC-SHA256 pseudonyms under the working group's key, after\n"
    "normalising them (ASCII case folded; spaces, '-', '.', '/' removed). Institution\n"
    "names and all other columns pass through unchanged. The same customer gets the\n"
    "same entity pseudonym at every institution using the key; account pseudonyms of\n"
    "different institutions never collide. CSV or JSON Lines (.jsonl), plain or gzip.\n\n"
    "  --key-file KEY   the key (mode 0600); without it, $PAYGRAPH_KEY (hex) is used.\n"
    "                   The key is never taken from the command line.\n"
    "  --in FILE        the institution's file\n"
    "  --out FILE       the pseudonymised file (written atomically, mode 0600)\n"
    "  --map MAP.csv    also write pseudonym -> original for this institution's eyes\n"
    "                   only (mode 0600); 'paygraph reveal' uses it\n"
    "  --kind K         what the file holds (default: decided from its header)\n"
    "  --format F       transactions layout: paygraph (default) or amlworld\n";

enum { OPT_KEY = 1000, OPT_IN, OPT_OUT, OPT_MAP, OPT_KIND, OPT_FORMAT, OPT_HELP };

static int parse_kind(const char *s, pg_file_kind *k)
{
    static const char *const names[] = {"auto", "transactions", "accounts", "watchlist"};
    for (int i = 0; i < 4; i++) {
        if (!strcmp(s, names[i])) {
            *k = (pg_file_kind)i;
            return 0;
        }
    }
    return -1;
}

int cmd_pseudonymize(int argc, char **argv)
{
    static const struct option longopts[] = {{"key-file", required_argument, NULL, OPT_KEY},
                                             {"in", required_argument, NULL, OPT_IN},
                                             {"out", required_argument, NULL, OPT_OUT},
                                             {"map", required_argument, NULL, OPT_MAP},
                                             {"kind", required_argument, NULL, OPT_KIND},
                                             {"format", required_argument, NULL, OPT_FORMAT},
                                             {"help", no_argument, NULL, OPT_HELP},
                                             {NULL, 0, NULL, 0}};
    const char *key_file = NULL, *in = NULL, *out = NULL;
    pg_pseudonymize_options o;
    pg_pseudonymize_options_init(&o);
    int opt;
    /*
     * getopt_long accepts abbreviations, so "--key SECRET" would be read as
     * --key-file and the secret echoed in an error message: refuse any
     * spelling but the full option name before parsing.
     */
    for (int i = 1; i < argc; i++) {
        if (!strncmp(argv[i], "--ke", 4) && strcmp(argv[i], "--key-file") &&
            strncmp(argv[i], "--key-file=", 11)) {
            return cli_usage_error("pseudonymize", "the key is never taken from the command "
                                                   "line: use --key-file KEY or $PAYGRAPH_KEY");
        }
    }
    optind = 1;
    while ((opt = getopt_long(argc, argv, "", longopts, NULL)) != -1) {
        switch (opt) {
        case OPT_KEY:
            key_file = optarg;
            break;
        case OPT_IN:
            in = optarg;
            break;
        case OPT_OUT:
            out = optarg;
            break;
        case OPT_MAP:
            o.map_path = optarg;
            break;
        case OPT_KIND:
            if (parse_kind(optarg, &o.kind) < 0) {
                return cli_usage_error("pseudonymize",
                                       "--kind is transactions, accounts or watchlist");
            }
            break;
        case OPT_FORMAT:
            if (strcmp(optarg, "paygraph") && strcmp(optarg, "amlworld")) {
                return cli_usage_error("pseudonymize", "--format is paygraph or amlworld");
            }
            o.format = optarg;
            break;
        case OPT_HELP:
            fputs(usage, stdout);
            return 0;
        default:
            return cli_usage_error("pseudonymize", "unknown option");
        }
    }
    if (!in || !out || optind < argc) {
        return cli_usage_error("pseudonymize",
                               optind < argc ? "unexpected argument '%s'"
                                             : "--in FILE and --out FILE are required%s",
                               optind < argc ? argv[optind] : "");
    }
    if (!strcmp(in, out) || (o.map_path && (!strcmp(o.map_path, out) || !strcmp(o.map_path, in)))) {
        return cli_usage_error("pseudonymize", "--in, --out and --map must be different files");
    }
    pg_key key;
    int st = pg_key_load(&key, key_file);
    if (st < 0) {
        return cli_fail(st, "pseudonymize");
    }
    pg_pseudonymize_stats s;
    st = pg_pseudonymize_file(&key, in, out, &o, &s);
    pg_key_wipe(&key);
    if (st < 0) {
        return cli_fail(st, "pseudonymize");
    }
    static const char *const kinds[] = {"auto", "transactions", "accounts", "watchlist"};
    fprintf(stderr, "paygraph: %s: %llu %s records, %llu identifiers pseudonymised", out,
            (unsigned long long)s.records, kinds[s.kind], (unsigned long long)s.identifiers);
    if (o.map_path) {
        fprintf(stderr, "; %llu map entries in %s", (unsigned long long)s.map_entries, o.map_path);
    }
    fputc('\n', stderr);
    return 0;
}
