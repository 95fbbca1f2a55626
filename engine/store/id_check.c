/*
 * Ids read from a file checked against their range (id_check.h): every
 * column of a pool, and the accounts, rings and communities of an earlier
 * results file. v (n ids of elem = 1 or 4 bytes) all below limit, PG_NONE
 * allowed when none_ok. Checked in parallel; the error names the first bad
 * entry (a minimum over the threads' finds), whatever the threads.
 */
#include "store/id_check.h"

#include <stdint.h>

#include "core/error.h"
#include "paygraph/pool.h" /* PG_NONE */

/* Element i of a column of 1- or 4-byte ids. */
static uint32_t id_at(const void *v, size_t elem, size_t i)
{
    return elem == 4 ? ((const uint32_t *)v)[i] : ((const uint8_t *)v)[i];
}

/*
 * Whether any id is out of range: a branch-free pass that the compiler
 * vectorises, so that a good column (the usual case) costs a scan at
 * memory speed; only a bad one is searched for its first bad entry.
 */
static int any_bad(const void *v, size_t elem, size_t n, uint32_t limit, int none_ok, int threads)
{
    unsigned bad = 0;
    (void)threads; /* used by OpenMP only */
    if (elem == 4) {
        const uint32_t *x = v;
#pragma omp parallel for reduction(| : bad) if (n >= 65536) num_threads(threads)
        for (size_t i = 0; i < n; i++) {
            bad |= (unsigned)(x[i] >= limit) & (unsigned)(!none_ok | (x[i] != PG_NONE));
        }
    } else {
        const uint8_t *x = v;
#pragma omp parallel for reduction(| : bad) if (n >= 65536) num_threads(threads)
        for (size_t i = 0; i < n; i++) {
            bad |= (unsigned)(x[i] >= limit);
        }
    }
    return bad != 0;
}

int pg_store_check_ids(const char *path, const char *what, const void *v, size_t elem, size_t n,
                       size_t limit, int none_ok, int threads)
{
    /* no id of 32 bits reaches a larger limit; below it the scan stays 32-bit wide */
    if (limit > UINT32_MAX || !any_bad(v, elem, n, (uint32_t)limit, none_ok, threads)) {
        return 0;
    }
    size_t first = n;
#pragma omp parallel for reduction(min : first) if (n >= 65536) num_threads(threads)
    for (size_t i = 0; i < n; i++) {
        uint32_t x = id_at(v, elem, i);
        if (x >= limit && !(none_ok && x == PG_NONE) && i < first) {
            first = i;
        }
    }
    if (first < n) {
        return pg_error_set(PG_EINPUT, "%s: %s[%zu] = %u is out of range (< %zu)", path, what,
                            first, id_at(v, elem, first), limit);
    }
    return 0;
}
