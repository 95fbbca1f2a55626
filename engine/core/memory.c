/*
 * Memory estimates from transaction and account counts.
 *
 * The figures are measured, not derived: `paygraph info` on a generated
 * world (generate --persons 2000 --rings 2 --days 10 --seed 3: 25 874
 * transactions, 3 701 accounts) reports pool 2.85 MB and graph 1.45 MB,
 * 166 bytes per transaction with the accounts' share; 128 bytes per
 * transaction and 256 per account reproduce it (4.26 MB). Larger pools carry
 * less slack in their growable arrays, so this errs slightly high.
 * Before parsing only file sizes are known; generated CSV rows average 84
 * bytes and real exports are longer, so a row is taken as 100 bytes, a gzip
 * file as 5 times its size, and accounts as one per five rows: the early
 * check errs towards letting a job start, the exact check after counting
 * rows decides.
 */
#include "paygraph/memory.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/error.h"

#define BYTES_PER_TXN 128u
#define BYTES_PER_ACCOUNT 256u
/* Code, thread stacks, dictionaries of an empty pool: a fixed floor. */
#define INGEST_FLOOR ((uint64_t)16 << 20)
#define CSV_BYTES_PER_ROW 100u
#define GZIP_RATIO 5u

uint64_t pg_memory_estimate(int64_t n_txns, uint32_t n_accounts)
{
    uint64_t t = n_txns > 0 ? (uint64_t)n_txns : 0;
    return INGEST_FLOOR + t * BYTES_PER_TXN + (uint64_t)n_accounts * BYTES_PER_ACCOUNT;
}

uint64_t pg_memory_estimate_files(uint64_t txn_bytes, uint64_t gz_bytes)
{
    uint64_t plain = txn_bytes > gz_bytes ? txn_bytes - gz_bytes : 0;
    uint64_t rows = (plain + gz_bytes * GZIP_RATIO) / CSV_BYTES_PER_ROW;
    return pg_memory_estimate((int64_t)rows,
                              (uint32_t)(rows / 5 > UINT32_MAX ? UINT32_MAX : rows / 5));
}

uint64_t pg_memory_available(void)
{
    FILE *f = fopen("/proc/meminfo", "r");
    char line[256];
    uint64_t kb = 0;
    if (!f) {
        return 0;
    }
    while (fgets(line, sizeof(line), f)) {
        if (!strncmp(line, "MemAvailable:", 13)) {
            kb = strtoull(line + 13, NULL, 10);
            break;
        }
    }
    fclose(f);
    return kb * 1024;
}

int pg_memory_parse_size(const char *text, uint64_t *out)
{
    char *end = NULL;
    errno = 0;
    unsigned long long v = strtoull(text, &end, 10);
    if (errno || end == text || text[0] == '-') {
        return pg_error_set(PG_EINVAL, "'%s' is not a size (e.g. 512M, 8G)", text);
    }
    unsigned shift = 0;
    switch (*end) {
    case '\0':
        break;
    case 'k':
    case 'K':
        shift = 10;
        break;
    case 'm':
    case 'M':
        shift = 20;
        break;
    case 'g':
    case 'G':
        shift = 30;
        break;
    case 't':
    case 'T':
        shift = 40;
        break;
    default:
        return pg_error_set(PG_EINVAL, "'%s' is not a size (e.g. 512M, 8G)", text);
    }
    if (*end && end[1] != '\0' && !(end[1] == 'B' && end[2] == '\0') &&
        !(end[1] == 'i' && end[2] == 'B' && end[3] == '\0')) {
        return pg_error_set(PG_EINVAL, "'%s' is not a size (e.g. 512M, 8G)", text);
    }
    if (shift && v > (UINT64_MAX >> shift)) {
        return pg_error_set(PG_EINVAL, "'%s' is too large", text);
    }
    *out = (uint64_t)v << shift;
    return 0;
}

int pg_memory_check(uint64_t estimate, uint64_t budget, const char *what)
{
    double mib = 1024.0 * 1024.0;
    if (budget && estimate > budget) {
        return pg_error_set(PG_ENOMEM,
                            "%s needs about %.0f MiB, over the --max-memory budget of %.0f MiB",
                            what, (double)estimate / mib, (double)budget / mib);
    }
    uint64_t avail = pg_memory_available();
    if (avail && estimate > avail) {
        return pg_error_set(PG_ENOMEM,
                            "%s needs about %.0f MiB, more than the %.0f MiB available "
                            "(MemAvailable)",
                            what, (double)estimate / mib, (double)avail / mib);
    }
    return 0;
}
