/*
 * Countries: the ISO 3166-1 alpha-2 codes (all 249 assigned codes), each
 * with a dense small id that fits a uint8_t column, its English short name,
 * and a representative standard-time UTC offset.
 *
 * The offset is APPROXIMATE by design. It is used for one feature, "was the
 * payment made at night where the payer lives", for which an hour of error
 * is tolerable and per-transaction zone data does not exist. For a country
 * with several zones it is the zone of the largest share of the population
 * (US: Eastern, -05:00; Australia: Sydney/Melbourne, +10:00; Russia:
 * Moscow, +03:00; Canada: Toronto, -05:00; Brazil: Brasilia, -03:00;
 * Indonesia: Jakarta, +07:00; Mexico: Mexico City, -06:00), and daylight
 * saving time is ignored.
 *
 * The table is static and read-only: every function here is thread-safe.
 */
#ifndef PG_CORE_COUNTRY_H
#define PG_CORE_COUNTRY_H

#include <stddef.h>
#include <stdint.h>

/* Id meaning "no country" in a uint8_t column (ids of real countries are below). */
#define PG_COUNTRY_NONE 255

typedef struct pg_country {
    char code[3];           /* upper-case alpha-2 code, NUL-terminated */
    uint8_t id;             /* dense: 0 <= id < pg_country_count(), in code order */
    int16_t utc_offset_min; /* representative standard offset, minutes east of UTC */
    const char *name;       /* English short name (ASCII) */
} pg_country;

/*
 * Find a country by alpha-2 code, case-insensitively, surrounding spaces
 * trimmed; "UK" is accepted for GB (ISO reserves it for the United
 * Kingdom). s[0..len) need not be NUL-terminated. 0 and *out, or PG_EINPUT
 * (no message set). O(log n).
 */
int pg_country_lookup(const char *s, size_t len, pg_country *out);

/* Number of countries (249). */
unsigned pg_country_count(void);

/* Country with the given id: 0, or PG_EINVAL when id >= pg_country_count(). */
int pg_country_by_id(unsigned id, pg_country *out);

/* A set of countries (bit per id), e.g. the high-risk corridors. */
typedef struct pg_country_set {
    uint64_t bits[4];
} pg_country_set;

/* Empty set. */
void pg_country_set_clear(pg_country_set *set);

/* Add a country id (ids >= pg_country_count() are ignored). */
void pg_country_set_add(pg_country_set *set, unsigned id);

/* Is id in the set? False for PG_COUNTRY_NONE. */
int pg_country_set_has(const pg_country_set *set, unsigned id);

/*
 * The default high-risk destination corridors for this typology: payments
 * for live-streamed child sexual abuse. Deliberately short; see country.c
 * for the sources. Configuration replaces it.
 */
void pg_country_set_default_high_risk(pg_country_set *set);

/* The codes of the built-in high-risk corridor list; *n gets their number. */
const char *const *pg_country_default_high_risk(size_t *n);

#endif
