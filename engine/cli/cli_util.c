/* Error printing and option-value parsing shared by the subcommands. */
#include <errno.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"

int cli_fail(int status, const char *what)
{
    if (status == CLI_ENOMEM) {
        fprintf(stderr, "paygraph: %s: out of memory\n", what);
        return pg_exit_code(PG_ENOMEM);
    }
    fprintf(stderr, "paygraph: %s: %s\n", what, pg_error_last());
    return pg_exit_code(status);
}

int cli_usage_error(const char *cmd, const char *fmt, ...)
{
    va_list ap;
    fprintf(stderr, "paygraph %s: ", cmd);
    va_start(ap, fmt);
    vfprintf(stderr, fmt, ap);
    va_end(ap);
    fprintf(stderr, "\nTry 'paygraph %s --help'.\n", cmd);
    return 1;
}

int cli_parse_int(const char *cmd, const char *opt, const char *text, long long lo, long long hi,
                  long long *out)
{
    char *end = NULL;
    errno = 0;
    long long v = strtoll(text, &end, 10);
    if (errno || end == text || *end || v < lo || v > hi) {
        cli_usage_error(cmd, "%s wants a whole number from %lld to %lld, not '%s'", opt, lo, hi,
                        text);
        return -1;
    }
    *out = v;
    return 0;
}

int cli_parse_double(const char *cmd, const char *opt, const char *text, double *out)
{
    char *end = NULL;
    errno = 0;
    double v = strtod(text, &end);
    if (errno || end == text || *end) {
        cli_usage_error(cmd, "%s wants a number, not '%s'", opt, text);
        return -1;
    }
    *out = v;
    return 0;
}

int cli_parse_level(const char *cmd, const char *text, pg_level *out)
{
    if (strcmp(text, "account") && strcmp(text, "entity")) {
        cli_usage_error(cmd, "--level is account or entity");
        return -1;
    }
    *out = !strcmp(text, "entity") ? PG_LEVEL_ENTITY : PG_LEVEL_ACCOUNT;
    return 0;
}
