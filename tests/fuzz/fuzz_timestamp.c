/*
 * Fuzz target for pg_parse_timestamp / pg_format_timestamp.
 *
 * Properties:
 *  - an accepted timestamp lies in 1900..2200, formats to 20 characters, and
 *    the formatted text parses back to the same instant;
 *  - input already in the canonical form "YYYY-MM-DDTHH:MM:SSZ" formats back
 *    to itself byte for byte;
 *  - a rejection carries a reason and leaves the output untouched;
 *  - the first 8 bytes, read as an integer and folded into the accepted
 *    range, give an instant that survives format -> parse unchanged, and
 *    the same instant written as epoch digits parses to itself.
 */
#include <string.h>

#include "fuzz_check.h"
#include "ingest/timestamp.h"
#include "paygraph/common.h"

/* 1900-01-01T00:00:00Z and 2200-12-31T23:59:59Z. */
#define FIRST INT64_C(-2208988800)
#define LAST INT64_C(7289654399)

static void check_instant(int64_t t)
{
    char text[PG_TS_BUFSZ];
    FUZZ_CHECK(pg_format_timestamp(text, sizeof(text), t) == 20);
    int64_t back = 0;
    FUZZ_CHECK(pg_parse_timestamp(text, 20, &back, NULL) == 0 && back == t);
    char digits[32];
    int n = snprintf(digits, sizeof(digits), "%lld", (long long)t);
    FUZZ_CHECK(pg_parse_timestamp(digits, (size_t)n, &back, NULL) == 0 && back == t);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const char *s = (const char *)data;
    int64_t t = 12345;
    const char *why = NULL;
    int rc = pg_parse_timestamp(s, size, &t, &why);
    if (rc != 0) {
        FUZZ_CHECK(rc == PG_EINPUT && why != NULL && t == 12345);
    } else {
        FUZZ_CHECK(why == NULL && t >= FIRST && t <= LAST);
        char text[PG_TS_BUFSZ];
        FUZZ_CHECK(pg_format_timestamp(text, sizeof(text), t) == 20);
        int64_t back = 0;
        FUZZ_CHECK(pg_parse_timestamp(text, 20, &back, NULL) == 0 && back == t);
        if (size == 20 && s[4] == '-' && s[10] == 'T' && s[19] == 'Z') {
            FUZZ_CHECK(memcmp(text, s, 20) == 0);
        }
    }
    if (size >= 8) {
        uint64_t u = 0;
        for (int i = 0; i < 8; i++) {
            u = u << 8 | data[i];
        }
        check_instant(FIRST + (int64_t)(u % (uint64_t)(LAST - FIRST + 1)));
    }
    return 0;
}
