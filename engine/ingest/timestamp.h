/*
 * Timestamps: text to int64 seconds since 1970-01-01T00:00:00Z (UTC) and
 * back, with calendar arithmetic done in integers, independent of the
 * process time zone and locale (no mktime/timegm/strptime).
 *
 * Same conventions as the other engine/ingest parsers: (s, len) is not
 * NUL-terminated and is never read past len; no allocation, no state; a
 * short static reason through *why on failure.
 */
#ifndef PG_INGEST_TIMESTAMP_H
#define PG_INGEST_TIMESTAMP_H

#include <stddef.h>
#include <stdint.h>

/* Accepted calendar years (inclusive). Outside them a date is almost surely a typo. */
#define PG_TS_YEAR_MIN 1900
#define PG_TS_YEAR_MAX 2200

/* "YYYY-MM-DDTHH:MM:SSZ" and a NUL. */
#define PG_TS_BUFSZ 21

/*
 * Parse a timestamp into UTC epoch seconds. Surrounding spaces/tabs are
 * trimmed. Forms:
 *
 *   2026-03-01T21:14:05Z          ISO 8601 ('T' or 't'; 'Z' or 'z')
 *   2026-03-01T21:14:05.123456Z   fraction of a second ('.' or ','): truncated
 *   2026-03-01T21:14:05+10:00     offsets +HH:MM, +HHMM, +HH (up to ±14:00);
 *                                 the result is the UTC instant
 *   2026-03-01 21:14[:05]         space-separated, no zone: read as UTC
 *   2026-03-01T21:14              ISO without zone: read as UTC
 *   2026-03-01                    midnight UTC
 *   2022/09/01 00:20              AMLworld: '/' date separators, read as UTC
 *   1772399645  or  -86400        digits only (optional '-'): epoch seconds
 *
 * Fields are fixed width (4-digit year, 2-digit month, day, hour, minute,
 * second). Rejected with a reason: hour 24 ("24:00" is not accepted; write
 * 00:00 of the next day), second 60 (leap seconds are not representable in
 * epoch seconds), impossible dates ("day 30 of February", 29 February in a
 * common year; 1900 is common, 2000 leap), years outside
 * PG_TS_YEAR_MIN..PG_TS_YEAR_MAX (epoch integers included), trailing text.
 *
 * Returns 0 or PG_EINPUT; sets no error message. O(len).
 */
int pg_parse_timestamp(const char *s, size_t len, int64_t *epoch, const char **why);

/*
 * Format epoch seconds as "YYYY-MM-DDTHH:MM:SSZ". Returns the length (20), or
 * PG_EINVAL when cap < PG_TS_BUFSZ or the year falls outside 0..9999 (buf then
 * holds "" if cap > 0).
 */
int pg_format_timestamp(char *buf, size_t cap, int64_t epoch);

/*
 * Days from 1970-01-01 to the proleptic Gregorian date y-m-d (negative before
 * 1970), and the inverse. Exposed for the tests and for day/hour features.
 */
int64_t pg_ts__days_from_civil(int64_t y, int m, int d);
void pg_ts__civil_from_days(int64_t days, int64_t *y, int *m, int *d);

#endif
