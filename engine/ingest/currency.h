/*
 * Currencies: ISO 4217 alphabetic codes with their minor-unit scale (digits
 * after the decimal point: USD 2, JPY 0, KWD 3), the AMLworld currency names
 * mapped onto codes, and a dense small id per table entry so that a
 * transaction column can store a currency in one byte.
 *
 * The table is static and read-only: lookups are thread-safe.
 */
#ifndef PG_INGEST_CURRENCY_H
#define PG_INGEST_CURRENCY_H

#include <stddef.h>
#include <stdint.h>

typedef struct pg_currency {
    char code[5];  /* upper-case ISO 4217 code or 3-4 letter crypto ticker, NUL-terminated */
    uint8_t scale; /* minor-unit digits: amounts are stored as value * 10^scale */
    uint8_t id;    /* dense index: 0 <= id < pg_currency_count() */
} pg_currency;

/*
 * Find a currency by code ("usd", "USD") or by AMLworld name ("US Dollar",
 * "Yuan", "Bitcoin"), case-insensitively, surrounding spaces trimmed.
 * s[0..len) need not be NUL-terminated. Returns 0 and fills *out, or
 * PG_EINPUT for an unknown currency (no error message is set: the caller
 * names the file and line). O(table size), about 80 entries.
 */
int pg_currency_lookup(const char *s, size_t len, pg_currency *out);

/* Number of table entries (all ids are below it). */
unsigned pg_currency_count(void);

/* Entry with the given id; 0, or PG_EINVAL when id >= pg_currency_count(). */
int pg_currency_by_id(unsigned id, pg_currency *out);

/* English name of the currency with the given id ("US dollar"); NULL if out of range. */
const char *pg_currency_name(unsigned id);

#endif
