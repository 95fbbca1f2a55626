/* paygraph reveal: re-identify an institution's own accounts in a pooled report. */
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli.h"

static const char usage[] =
    "usage: paygraph reveal --map MAP.csv REPORT.json [--out FILE]\n\n"
    "Prints the report with the identifiers found in this institution's map (written\n"
    "by 'paygraph pseudonymize --map') replaced by the originals: accounts[].account,\n"
    "evidence src_account/dst_account and entity values. Everyone else's stay\n"
    "pseudonymous. With --out the result is written to FILE (mode 0600).\n";

enum { OPT_MAP = 1000, OPT_OUT, OPT_HELP };

static char *read_all(const char *path, size_t *len)
{
    FILE *f = fopen(path, "rb");
    if (!f) {
        return NULL;
    }
    size_t cap = 1 << 16, n = 0, got;
    char *buf = malloc(cap);
    while (buf && (got = fread(buf + n, 1, cap - n, f)) > 0) {
        n += got;
        if (n == cap) {
            char *bigger = cap < ((size_t)1 << 34) ? realloc(buf, cap * 2) : NULL;
            if (!bigger) {
                free(buf);
                buf = NULL;
                break;
            }
            buf = bigger;
            cap *= 2;
        }
    }
    int bad = ferror(f);
    fclose(f);
    if (bad) {
        free(buf);
        return NULL;
    }
    *len = n;
    return buf;
}

static int write_private(const char *path, const char *text)
{
    int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0600);
    if (fd < 0) {
        fprintf(stderr, "paygraph: reveal: %s: %s\n", path, strerror(errno));
        return 3;
    }
    size_t len = strlen(text);
    int ok = write(fd, text, len) == (ssize_t)len && write(fd, "\n", 1) == 1;
    ok = close(fd) == 0 && ok;
    if (!ok) {
        fprintf(stderr, "paygraph: reveal: %s: write failed\n", path);
        unlink(path);
        return 3;
    }
    return 0;
}

int cmd_reveal(int argc, char **argv)
{
    static const struct option longopts[] = {{"map", required_argument, NULL, OPT_MAP},
                                             {"out", required_argument, NULL, OPT_OUT},
                                             {"help", no_argument, NULL, OPT_HELP},
                                             {NULL, 0, NULL, 0}};
    const char *map_path = NULL, *out = NULL;
    int opt;
    optind = 1;
    while ((opt = getopt_long(argc, argv, "", longopts, NULL)) != -1) {
        if (opt == OPT_MAP) {
            map_path = optarg;
        } else if (opt == OPT_OUT) {
            out = optarg;
        } else if (opt == OPT_HELP) {
            fputs(usage, stdout);
            return 0;
        } else {
            return cli_usage_error("reveal", "unknown option");
        }
    }
    if (!map_path || optind + 1 != argc) {
        return cli_usage_error("reveal", "--map MAP.csv and one REPORT.json are required");
    }
    const char *report = argv[optind];
    size_t len = 0;
    char *text = read_all(report, &len);
    if (!text) {
        fprintf(stderr, "paygraph: reveal: %s: cannot read: %s\n", report, strerror(errno));
        return 3;
    }
    pg_reveal_map *m = NULL;
    char *revealed = NULL;
    size_t replaced = 0;
    int st = pg_reveal_map_load(&m, map_path);
    if (st == 0) {
        st = pg_reveal_json(&revealed, m, text, len, &replaced);
    }
    free(text);
    pg_reveal_map_free(m);
    if (st < 0) {
        return cli_fail(st, "reveal");
    }
    int rc = 0;
    if (out) {
        rc = write_private(out, revealed);
    } else {
        puts(revealed);
    }
    pg_reveal_free(revealed);
    fprintf(stderr, "paygraph: reveal: %zu identifiers re-identified\n", replaced);
    return rc;
}
