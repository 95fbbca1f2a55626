/* Interim country table; replaced by the full ISO 3166-1 table. */
#include "core/country.h"

#include <ctype.h>
#include <string.h>

static const pg_country table[] = {
    {"AU", 0, 600, "Australia"}, {"CN", 1, 480, "China"},          {"GB", 2, 0, "United Kingdom"},
    {"IN", 3, 330, "India"},     {"NZ", 4, 720, "New Zealand"},    {"PH", 5, 480, "Philippines"},
    {"TH", 6, 420, "Thailand"},  {"US", 7, -300, "United States"}, {"VN", 8, 420, "Viet Nam"},
};
#define N (sizeof(table) / sizeof(table[0]))

int pg_country_lookup(const char *s, size_t len, pg_country *out)
{
    for (size_t i = 0; len == 2 && i < N; i++) {
        if (table[i].code[0] == toupper((unsigned char)s[0]) &&
            table[i].code[1] == toupper((unsigned char)s[1])) {
            *out = table[i];
            return 0;
        }
    }
    return -2;
}

unsigned pg_country_count(void)
{
    return N;
}

int pg_country_by_id(unsigned id, pg_country *out)
{
    if (id >= N) {
        return -2;
    }
    *out = table[id];
    return 0;
}

void pg_country_set_clear(pg_country_set *set)
{
    memset(set, 0, sizeof(*set));
}

void pg_country_set_add(pg_country_set *set, unsigned id)
{
    set->bits[id / 64] |= 1ULL << (id % 64);
}

int pg_country_set_has(const pg_country_set *set, unsigned id)
{
    return id < 256 && (set->bits[id / 64] >> (id % 64)) & 1;
}

void pg_country_set_default_high_risk(pg_country_set *set)
{
    pg_country_set_clear(set);
    pg_country_set_add(set, 5);
}
