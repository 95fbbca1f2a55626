/*
 * Exact decimal amounts.
 *
 * Approach: one pass over the trimmed text that accumulates every digit into
 * an int64 (integer digits, then the first `scale` fraction digits, then
 * zero padding up to `scale`), checking before each multiply-add that the
 * result stays within INT64_MAX. Fraction digits beyond the scale must be
 * zeros: "12.345" cannot be a USD amount, and silently rounding it would
 * change the money. Text that is not a plain decimal is classified first, so
 * that the reason names the mistake a user actually made (a decimal comma, a
 * thousands separator, an exponent) rather than "bad character".
 *
 * Why not strtod: a double holds 15-17 significant digits, so 0.1 + 0.2 and
 * large amounts in minor units lose cents; and strtod depends on the locale.
 *
 * Complexity: O(len) time, O(1) space.
 */
#include "ingest/amount.h"

#include <limits.h>
#include <string.h>

#include "paygraph/common.h"

/* One reason per scale, so that the message says which precision was exceeded. */
static const char *const too_many_decimals[PG_AMOUNT_MAX_SCALE + 1] = {
    "too many decimal places (scale 0: whole units only)",
    "too many decimal places (scale 1)",
    "too many decimal places (scale 2)",
    "too many decimal places (scale 3)",
    "too many decimal places (scale 4)",
    "too many decimal places (scale 5)",
    "too many decimal places (scale 6)",
    "too many decimal places (scale 7)",
    "too many decimal places (scale 8)",
    "too many decimal places (scale 9)",
    "too many decimal places (scale 10)",
    "too many decimal places (scale 11)",
    "too many decimal places (scale 12)",
    "too many decimal places (scale 13)",
    "too many decimal places (scale 14)",
    "too many decimal places (scale 15)",
    "too many decimal places (scale 16)",
    "too many decimal places (scale 17)",
    "too many decimal places (scale 18)",
};

static int is_digit(char c)
{
    return c >= '0' && c <= '9';
}

static int is_blank(char c)
{
    return c == ' ' || c == '\t';
}

static char lower(char c)
{
    return (c >= 'A' && c <= 'Z') ? (char)(c - 'A' + 'a') : c;
}

/* Case-insensitive: does s[0..len) equal the lower-case word w? */
static int equals_word(const char *s, size_t len, const char *w)
{
    size_t n = strlen(w);
    if (len != n) {
        return 0;
    }
    for (size_t i = 0; i < n; i++) {
        if (lower(s[i]) != w[i]) {
            return 0;
        }
    }
    return 1;
}

/*
 * A comma at s[i]: a thousands separator if a '.' follows anywhere, or if
 * exactly three digits follow it ("1,000"); otherwise a decimal comma
 * ("12,50"). Both are rejected; the reason tells the user which fix to make.
 */
static const char *comma_reason(const char *s, size_t len, size_t i)
{
    if (memchr(s + i, '.', len - i)) {
        return "thousands separator ',' not accepted";
    }
    size_t k = i + 1;
    while (k < len && is_digit(s[k])) {
        k++;
    }
    if (k - (i + 1) == 3 && (k == len || s[k] == ',')) {
        return "thousands separator ',' not accepted";
    }
    return "decimal comma not accepted (use '.')";
}

/* Classify text that is not a plain decimal; NULL when it is one. */
static const char *shape_error(const char *s, size_t len)
{
    if (equals_word(s, len, "nan") || equals_word(s, len, "inf") ||
        equals_word(s, len, "infinity") || equals_word(s, len, "+inf") ||
        equals_word(s, len, "+infinity") || equals_word(s, len, "+nan")) {
        return "not a number";
    }
    size_t points = 0, digits = 0;
    for (size_t i = 0; i < len; i++) {
        char c = s[i];
        if (is_digit(c)) {
            digits++;
        } else if (c == '.') {
            if (++points > 1) {
                return "more than one decimal point";
            }
        } else if (c == ',') {
            return comma_reason(s, len, i);
        } else if ((c == 'e' || c == 'E') && digits > 0) {
            return "exponent notation not accepted";
        } else if (is_blank(c)) {
            return "space inside amount";
        } else if (c == '-' || (c == '+' && i > 0)) {
            return i == 0 ? "negative amount" : "sign inside amount";
        } else if (c != '+') {
            return "not a number";
        }
    }
    return digits == 0 ? "not a number" : NULL;
}

/* v = v * 10 + d, or 0 when that would exceed INT64_MAX. */
static int push_digit(int64_t *v, int d)
{
    /* the first test settles almost every digit without the exact bound */
    if (*v > (INT64_MAX - 9) / 10 && *v > (INT64_MAX - d) / 10) {
        return 0;
    }
    *v = *v * 10 + d;
    return 1;
}

int pg_parse_amount_ex(const char *s, size_t len, int scale, unsigned flags, int64_t *minor,
                       const char **why)
{
    const char *reason = NULL;
    if (scale < 0 || scale > PG_AMOUNT_MAX_SCALE) {
        if (why) {
            *why = "amount scale out of range";
        }
        return PG_EINVAL;
    }
    while (len > 0 && is_blank(s[0])) {
        s++;
        len--;
    }
    while (len > 0 && is_blank(s[len - 1])) {
        len--;
    }
    if (len == 0) {
        reason = "empty amount";
        goto fail;
    }
    if ((reason = shape_error(s, len)) != NULL) {
        goto fail;
    }
    size_t i = (s[0] == '+') ? 1 : 0;
    int64_t v = 0;
    for (; i < len && s[i] != '.'; i++) {
        if (!push_digit(&v, s[i] - '0')) {
            reason = "amount overflows int64";
            goto fail;
        }
    }
    int frac = 0;
    for (i = (i < len) ? i + 1 : i; i < len; i++) {
        if (frac < scale) {
            if (!push_digit(&v, s[i] - '0')) {
                reason = "amount overflows int64";
                goto fail;
            }
            frac++;
        } else if (s[i] != '0') {
            reason = too_many_decimals[scale];
            goto fail;
        }
    }
    for (; frac < scale; frac++) {
        if (!push_digit(&v, 0)) {
            reason = "amount overflows int64";
            goto fail;
        }
    }
    if (v == 0 && !(flags & PG_AMOUNT_ALLOW_ZERO)) {
        reason = "zero amount";
        goto fail;
    }
    *minor = v;
    if (why) {
        *why = NULL;
    }
    return 0;
fail:
    if (why) {
        *why = reason;
    }
    return PG_EINPUT;
}

int pg_parse_amount(const char *s, size_t len, int scale, int64_t *minor, const char **why)
{
    return pg_parse_amount_ex(s, len, scale, 0, minor, why);
}

int pg_format_amount(char *buf, size_t cap, int64_t minor, int scale)
{
    char tmp[PG_AMOUNT_BUFSZ];
    size_t n = 0;
    if (cap > 0) {
        buf[0] = '\0';
    }
    if (scale < 0 || scale > PG_AMOUNT_MAX_SCALE) {
        return PG_EINVAL;
    }
    /* Work on the magnitude as uint64 so that INT64_MIN has one too. */
    uint64_t mag = minor < 0 ? (uint64_t)0 - (uint64_t)minor : (uint64_t)minor;
    /* Digits in reverse: the scale digits, the point, then at least one unit digit. */
    for (int k = 0; k < scale; k++) {
        tmp[n++] = (char)('0' + mag % 10);
        mag /= 10;
    }
    if (scale > 0) {
        tmp[n++] = '.';
    }
    do {
        tmp[n++] = (char)('0' + mag % 10);
        mag /= 10;
    } while (mag > 0);
    if (minor < 0) {
        tmp[n++] = '-';
    }
    if (n + 1 > cap) {
        return PG_EINVAL;
    }
    for (size_t k = 0; k < n; k++) {
        buf[k] = tmp[n - 1 - k];
    }
    buf[n] = '\0';
    return (int)n;
}
