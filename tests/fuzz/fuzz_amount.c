/*
 * Fuzz target for pg_parse_amount / pg_format_amount.
 *
 * The input is the amount text, parsed at several scales. Properties:
 *  - the parser agrees exactly (accept/reject and value) with a reference
 *    written differently: it builds the canonical digit string and decides
 *    overflow by comparing that string with "9223372036854775807";
 *  - an accepted value is positive, formats, and the formatted text parses
 *    back to the same value; a rejection always carries a reason;
 *  - PG_AMOUNT_ALLOW_ZERO changes the answer only for zero.
 */
#include <string.h>

#include "fuzz_check.h"
#include "ingest/amount.h"
#include "paygraph/common.h"

static int blank(char c)
{
    return c == ' ' || c == '\t';
}

static int digit(char c)
{
    return c >= '0' && c <= '9';
}

/*
 * Reference: 1 and *out when s is [+]digits[.digits] (one digit at least)
 * with no non-zero digit past the scale and a value within int64; 0 otherwise.
 * *zero tells whether the value was zero. buf has room for len + scale + 1.
 */
static int reference(const char *s, size_t len, int scale, char *buf, int64_t *out, int *zero)
{
    *zero = 0;
    while (len > 0 && blank(s[0])) {
        s++;
        len--;
    }
    while (len > 0 && blank(s[len - 1])) {
        len--;
    }
    size_t i = 0, n = 0, ndig = 0;
    if (i < len && s[i] == '+') {
        i++;
    }
    for (; i < len && digit(s[i]); i++, ndig++) {
        buf[n++] = s[i];
    }
    int frac = 0;
    if (i < len && s[i] == '.') {
        for (i++; i < len && digit(s[i]); i++, ndig++) {
            if (frac < scale) {
                buf[n++] = s[i];
                frac++;
            } else if (s[i] != '0') {
                return 0;
            }
        }
    }
    if (i != len || ndig == 0) {
        return 0;
    }
    for (; frac < scale; frac++) {
        buf[n++] = '0';
    }
    buf[n] = '\0';
    const char *p = buf;
    while (*p == '0') {
        p++;
    }
    size_t width = strlen(p);
    if (width == 0) {
        *zero = 1;
        *out = 0;
        return 0;
    }
    if (width > 19 || (width == 19 && strcmp(p, "9223372036854775807") > 0)) {
        return 0;
    }
    int64_t v = 0;
    for (; *p; p++) {
        v = v * 10 + (*p - '0');
    }
    *out = v;
    return 1;
}

static void check_scale(const char *s, size_t len, int scale, char *buf)
{
    int64_t v = -1, ref = -1;
    const char *why = NULL;
    int zero = 0;
    int rc = pg_parse_amount(s, len, scale, &v, &why);
    int ok = reference(s, len, scale, buf, &ref, &zero);
    FUZZ_CHECK((rc == 0) == ok);
    if (rc != 0) {
        FUZZ_CHECK(rc == PG_EINPUT && why != NULL && v == -1);
        int64_t z = -1;
        int rcz = pg_parse_amount_ex(s, len, scale, PG_AMOUNT_ALLOW_ZERO, &z, NULL);
        FUZZ_CHECK((rcz == 0) == zero);
        FUZZ_CHECK(rcz != 0 || z == 0);
        return;
    }
    FUZZ_CHECK(why == NULL && v == ref && v > 0);
    char text[PG_AMOUNT_BUFSZ];
    int n = pg_format_amount(text, sizeof(text), v, scale);
    FUZZ_CHECK(n > 0 && (size_t)n == strlen(text));
    int64_t back = -1;
    FUZZ_CHECK(pg_parse_amount(text, (size_t)n, scale, &back, NULL) == 0 && back == v);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static const int scales[] = {0, 1, 2, 3, 6, 8, 18};
    if (size > 4096) {
        return 0;
    }
    char buf[4096 + PG_AMOUNT_MAX_SCALE + 2];
    for (size_t k = 0; k < sizeof(scales) / sizeof(scales[0]); k++) {
        check_scale((const char *)data, size, scales[k], buf);
    }
    return 0;
}
