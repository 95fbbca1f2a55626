/*
 * Timestamps to UTC epoch seconds and back.
 *
 * Approach: a fixed-width reader for the handful of layouts payment exports
 * use (ISO 8601 with or without zone, the same with a space, AMLworld's
 * "YYYY/MM/DD HH:MM", date only, epoch integers), followed by integer
 * calendar arithmetic. No libc time functions: mktime and strptime depend on
 * the process time zone and locale, timegm is not standard C, and all of them
 * are slow per row.
 *
 * HOW THE CALENDAR ARITHMETIC WORKS (after Howard Hinnant, "chrono-Compatible
 * Low-Level Date Algorithms", 2013, howardhinnant.github.io/date_algorithms):
 * count years from 1 March, so that the leap day is the last day of its year
 * and the month lengths March..January repeat the pattern 31,30,31,30,31 —
 * the day of the year of the first of month index mp (March = 0) is then
 * floor((153 * mp + 2) / 5). The Gregorian calendar repeats every 400 years
 * (an "era" of exactly 146097 days), so a date splits into era, year of era
 * (0..399), and day of year; days in the era are 365 per year plus one every
 * 4 years, less one every 100 (yoe/4 - yoe/100; the 400-year rule is the era
 * boundary itself). Finally shift the origin from 0000-03-01 to 1970-01-01,
 * which is 719468 days later. The inverse runs the same steps backwards;
 * the year of era comes from the day of era after removing the leap days
 * accumulated so far (doe/1460 - doe/36524 + doe/146096).
 *
 * Complexity: O(len) to parse, O(1) arithmetic.
 */
#include "ingest/timestamp.h"

#include "paygraph/common.h"

/* Days from 0000-03-01 (proleptic Gregorian) to 1970-01-01. */
#define DAYS_0000_03_01_TO_EPOCH 719468
#define DAYS_PER_ERA 146097

static int64_t floor_div(int64_t a, int64_t b)
{
    int64_t q = a / b;
    return (a % b != 0 && ((a < 0) != (b < 0))) ? q - 1 : q;
}

int64_t pg_ts__days_from_civil(int64_t y, int m, int d)
{
    y -= (m <= 2);
    int64_t era = floor_div(y, 400);
    int64_t yoe = y - era * 400;
    int mp = (m + 9) % 12;
    int64_t doy = (153 * mp + 2) / 5 + d - 1;
    int64_t doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return era * DAYS_PER_ERA + doe - DAYS_0000_03_01_TO_EPOCH;
}

void pg_ts__civil_from_days(int64_t days, int64_t *y, int *m, int *d)
{
    days += DAYS_0000_03_01_TO_EPOCH;
    int64_t era = floor_div(days, DAYS_PER_ERA);
    int64_t doe = days - era * DAYS_PER_ERA;
    int64_t yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    int64_t doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    int mp = (int)((5 * doy + 2) / 153);
    *d = (int)(doy - (153 * mp + 2) / 5 + 1);
    *m = mp < 10 ? mp + 3 : mp - 9;
    *y = yoe + era * 400 + (*m <= 2);
}

static int is_digit(char c)
{
    return c >= '0' && c <= '9';
}

static int is_blank(char c)
{
    return c == ' ' || c == '\t';
}

/* Two digits at s[0..1] into *v; 0 if either is not a digit. */
static int two_digits(const char *s, int *v)
{
    if (!is_digit(s[0]) || !is_digit(s[1])) {
        return 0;
    }
    *v = (s[0] - '0') * 10 + (s[1] - '0');
    return 1;
}

static int is_leap(int64_t y)
{
    return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
}

/* Why day d does not exist in month m of year y, or NULL when it does. */
static const char *day_error(int64_t y, int m, int d)
{
    static const char *const day31[13] = {
        NULL,
        NULL,
        NULL,
        NULL,
        "day 31 of April",
        NULL,
        "day 31 of June",
        NULL,
        NULL,
        "day 31 of September",
        NULL,
        "day 31 of November",
        NULL,
    };
    if (d < 1 || d > 31) {
        return "day out of range";
    }
    if (m == 2) {
        if (d == 31) {
            return "day 31 of February";
        }
        if (d == 30) {
            return "day 30 of February";
        }
        if (d == 29 && !is_leap(y)) {
            return "day 29 of February in a common year";
        }
        return NULL;
    }
    return d == 31 ? day31[m] : NULL;
}

/* Seconds of the first and last accepted instants. */
static int64_t epoch_min(void)
{
    return pg_ts__days_from_civil(PG_TS_YEAR_MIN, 1, 1) * 86400;
}

static int64_t epoch_max(void)
{
    return pg_ts__days_from_civil(PG_TS_YEAR_MAX + 1, 1, 1) * 86400 - 1;
}

/* Digits only, optional leading '-': epoch seconds. */
static const char *parse_epoch(const char *s, size_t len, int64_t *out)
{
    size_t i = (s[0] == '-') ? 1 : 0;
    if (i == len) {
        return "not a timestamp";
    }
    /* 12 digits already exceed year 2200 (about 7.3e9 s); stop before int64 overflow. */
    if (len - i > 12) {
        return "epoch seconds outside years 1900..2200";
    }
    int64_t v = 0;
    for (; i < len; i++) {
        v = v * 10 + (s[i] - '0');
    }
    v = (s[0] == '-') ? -v : v;
    if (v < epoch_min() || v > epoch_max()) {
        return "epoch seconds outside years 1900..2200";
    }
    *out = v;
    return NULL;
}

static int all_digits(const char *s, size_t len)
{
    size_t i = (len > 0 && s[0] == '-') ? 1 : 0;
    for (; i < len; i++) {
        if (!is_digit(s[i])) {
            return 0;
        }
    }
    return 1;
}

/* "YYYY-MM-DD" or "YYYY/MM/DD" at s (len >= 10): days since the epoch. */
static const char *parse_date(const char *s, int64_t *days)
{
    int hi, lo, m, d;
    if (!two_digits(s, &hi) || !two_digits(s + 2, &lo) || (s[4] != '-' && s[4] != '/') ||
        s[7] != s[4] || !two_digits(s + 5, &m) || !two_digits(s + 8, &d)) {
        return "expected YYYY-MM-DD";
    }
    int64_t y = hi * 100 + lo;
    if (y < PG_TS_YEAR_MIN || y > PG_TS_YEAR_MAX) {
        return "year outside 1900..2200";
    }
    if (m < 1 || m > 12) {
        return "month out of range";
    }
    const char *err = day_error(y, m, d);
    if (err) {
        return err;
    }
    *days = pg_ts__days_from_civil(y, m, d);
    return NULL;
}

/* "HH:MM[:SS[.fff]]" at s[0..len): seconds since midnight; *used = bytes read. */
static const char *parse_time(const char *s, size_t len, int64_t *secs, size_t *used)
{
    int h, mi, sec = 0;
    size_t i = 5;
    if (len < 5 || !two_digits(s, &h) || s[2] != ':' || !two_digits(s + 3, &mi)) {
        return "expected HH:MM after the date";
    }
    if (h == 24) {
        return "hour 24 (write 00:00 of the next day)";
    }
    if (h > 24) {
        return "hour out of range";
    }
    if (mi > 59) {
        return "minute out of range";
    }
    if (len >= 8 && s[5] == ':') {
        if (!two_digits(s + 6, &sec)) {
            return "expected two digits of seconds";
        }
        if (sec == 60) {
            return "second 60 (leap second) not accepted";
        }
        if (sec > 60) {
            return "second out of range";
        }
        i = 8;
        if (i < len && (s[i] == '.' || s[i] == ',')) {
            size_t k = i + 1;
            while (k < len && is_digit(s[k])) {
                k++;
            }
            if (k == i + 1) {
                return "expected digits after the decimal point of the seconds";
            }
            i = k; /* fraction of a second: truncated */
        }
    }
    *secs = (int64_t)h * 3600 + mi * 60 + sec;
    *used = i;
    return NULL;
}

/* Zone designator filling all of s[0..len): "", "Z", "+HH", "+HHMM", "+HH:MM". */
static const char *parse_zone(const char *s, size_t len, int64_t *offset_secs)
{
    int h, m = 0;
    *offset_secs = 0;
    if (len == 0) {
        return NULL;
    }
    if (len == 1 && (s[0] == 'Z' || s[0] == 'z')) {
        return NULL;
    }
    if (s[0] != '+' && s[0] != '-') {
        return "unexpected text after the time";
    }
    if (len < 3 || !two_digits(s + 1, &h)) {
        return "expected a UTC offset +HH, +HHMM or +HH:MM";
    }
    if (len == 5 && !two_digits(s + 3, &m)) {
        return "expected a UTC offset +HH, +HHMM or +HH:MM";
    }
    if (len == 6 && (s[3] != ':' || !two_digits(s + 4, &m))) {
        return "expected a UTC offset +HH, +HHMM or +HH:MM";
    }
    if (len != 3 && len != 5 && len != 6) {
        return "expected a UTC offset +HH, +HHMM or +HH:MM";
    }
    if (m > 59 || h * 60 + m > 14 * 60) {
        return "UTC offset beyond +-14:00";
    }
    *offset_secs = (int64_t)(h * 60 + m) * 60 * (s[0] == '-' ? -1 : 1);
    return NULL;
}

static const char *parse(const char *s, size_t len, int64_t *out)
{
    if (len == 0) {
        return "empty timestamp";
    }
    if (all_digits(s, len)) {
        return parse_epoch(s, len, out);
    }
    if (len < 10) {
        return "expected YYYY-MM-DD";
    }
    int64_t days, secs = 0, offset = 0;
    const char *err = parse_date(s, &days);
    if (err) {
        return err;
    }
    if (len > 10) {
        size_t used = 0;
        if (s[10] != 'T' && s[10] != 't' && s[10] != ' ') {
            return "unexpected text after the date";
        }
        if ((err = parse_time(s + 11, len - 11, &secs, &used)) != NULL) {
            return err;
        }
        if ((err = parse_zone(s + 11 + used, len - 11 - used, &offset)) != NULL) {
            return err;
        }
    }
    /* Local time minus its offset is UTC: 10:00+10:00 is 00:00Z. */
    int64_t t = days * 86400 + secs - offset;
    if (t < epoch_min() || t > epoch_max()) {
        return "year outside 1900..2200";
    }
    *out = t;
    return NULL;
}

int pg_parse_timestamp(const char *s, size_t len, int64_t *epoch, const char **why)
{
    while (len > 0 && is_blank(s[0])) {
        s++;
        len--;
    }
    while (len > 0 && is_blank(s[len - 1])) {
        len--;
    }
    const char *err = parse(s, len, epoch);
    if (why) {
        *why = err;
    }
    return err ? PG_EINPUT : 0;
}

/* Write v as exactly `width` zero-padded digits at p. */
static void put_digits(char *p, int64_t v, int width)
{
    for (int i = width - 1; i >= 0; i--) {
        p[i] = (char)('0' + v % 10);
        v /= 10;
    }
}

int pg_format_timestamp(char *buf, size_t cap, int64_t epoch)
{
    if (cap > 0) {
        buf[0] = '\0';
    }
    /* Remainder first: days * 86400 would overflow for epochs near INT64_MIN. */
    int64_t secs = epoch % 86400;
    if (secs < 0) {
        secs += 86400;
    }
    int64_t days = floor_div(epoch, 86400);
    int64_t y;
    int m, d;
    pg_ts__civil_from_days(days, &y, &m, &d);
    if (cap < PG_TS_BUFSZ || y < 0 || y > 9999) {
        return PG_EINVAL;
    }
    put_digits(buf, y, 4);
    buf[4] = '-';
    put_digits(buf + 5, m, 2);
    buf[7] = '-';
    put_digits(buf + 8, d, 2);
    buf[10] = 'T';
    put_digits(buf + 11, secs / 3600, 2);
    buf[13] = ':';
    put_digits(buf + 14, secs / 60 % 60, 2);
    buf[16] = ':';
    put_digits(buf + 17, secs % 60, 2);
    buf[19] = 'Z';
    buf[20] = '\0';
    return 20;
}
