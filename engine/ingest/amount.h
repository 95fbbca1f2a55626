/*
 * Exact decimal amounts: text such as "12.50" to int64 minor units (1250 at
 * scale 2) and back, never through floating point, so that sums of money are
 * exact and reproducible.
 *
 * Parsers in engine/ingest take (s, len) pointing into a file buffer: the
 * text is not NUL-terminated and is never read past len. They do not
 * allocate, keep no state, and report a short static reason through *why
 * instead of formatting a message, because they run once per row.
 */
#ifndef PG_INGEST_AMOUNT_H
#define PG_INGEST_AMOUNT_H

#include <stddef.h>
#include <stdint.h>

/* Largest scale (digits after the decimal point) an amount may have. */
#define PG_AMOUNT_MAX_SCALE 18

/* Enough room for any int64 at any scale: sign, 19 digits, point, NUL, slack. */
#define PG_AMOUNT_BUFSZ 32

/* Flags for pg_parse_amount_ex. */
#define PG_AMOUNT_ALLOW_ZERO 0x1u /* accept 0 and 0.00 (default: rejected) */

/*
 * Parse a positive decimal amount into minor units at the given scale.
 *
 * Accepted: optional surrounding spaces/tabs, an optional '+', digits with at
 * most one '.', at least one digit ("12", "12.5", ".50", "+3.00"). Digits
 * after the point beyond `scale` must be zeros ("12.3400" at scale 2 is 1234).
 * Rejected with a reason: empty, negative, zero, exponents, commas (decimal
 * or thousands), NaN/inf, several points, inner spaces, values above
 * INT64_MAX minor units.
 *
 * s, len  text (not NUL-terminated; only s[0..len) is read)
 * scale   0..PG_AMOUNT_MAX_SCALE
 * minor   out: the amount in minor units (written only on success)
 * why     out (may be NULL): a static reason on failure, NULL on success
 *
 * Returns 0 or PG_EINPUT (PG_EINVAL for a bad scale). Sets no error message.
 * O(len).
 */
int pg_parse_amount(const char *s, size_t len, int scale, int64_t *minor, const char **why);

/* As pg_parse_amount, with PG_AMOUNT_* flags. */
int pg_parse_amount_ex(const char *s, size_t len, int scale, unsigned flags, int64_t *minor,
                       const char **why);

/*
 * Format minor units as a decimal with exactly `scale` digits after the point
 * ("12.50"; "12" at scale 0; "-0.05" for negative values such as
 * differences). Returns the length written (excluding the NUL), or PG_EINVAL
 * when cap is too small (buf then holds "" if cap > 0) or scale is out of
 * range. PG_AMOUNT_BUFSZ is always enough.
 */
int pg_format_amount(char *buf, size_t cap, int64_t minor, int scale);

#endif
