/*
 * Stable sort of uint32 indices by a 64-bit key: the one sort behind the
 * per-vertex orders of the graph views (by time, by destination) and the
 * per-beneficiary order of the offender detector.
 *
 * The caller's data stays where it is: a key function maps an index to its
 * key, so a composite order such as (destination, index) is one integer
 * ((uint64_t)dst << 32 | index) and a signed time maps through
 * pg_sort_key_i64. Ties keep their input order.
 *
 * Why in a header: the sort sits on the graph-build hot path. Compiled
 * once in its own file, the key is a call through a pointer per comparison,
 * which showed in the graph-build benchmark; static inline, each caller's
 * file gets a copy specialised to its key function, which is inlined.
 *
 * Top-down merge sort; the merge reads each key once per level (the keys
 * of the two heads are kept in locals), so a key that costs a cache miss
 * (dst[t], ts[t] for a scattered t) is paid once per element and level.
 */
#ifndef PG_CORE_SORT_H
#define PG_CORE_SORT_H

#include <stdint.h>
#include <string.h>

/* Key of index v; ctx is the caller's data (read only, shared by threads). */
typedef uint64_t (*pg_sort_key_fn)(const void *ctx, uint32_t v);

/*
 * Runs up to this length are insertion-sorted: below it the quadratic shifts
 * cost less than the merge's copying; most per-vertex lists are this short.
 */
#define PG_SORT_INSERTION 24

/* A signed value as a key that orders like it (the sign bit flipped). */
static inline uint64_t pg_sort_key_i64(int64_t x)
{
    return (uint64_t)x ^ ((uint64_t)1 << 63);
}

static inline void pg_sort__insertion(uint32_t *v, int64_t n, pg_sort_key_fn key, const void *ctx)
{
    for (int64_t i = 1; i < n; i++) {
        uint32_t x = v[i];
        uint64_t kx = key(ctx, x);
        int64_t j = i;
        while (j > 0 && key(ctx, v[j - 1]) > kx) {
            v[j] = v[j - 1];
            j--;
        }
        v[j] = x;
    }
}

/* Merge the sorted runs v[0..h) and v[h..n) through tmp; ties go to the left run. */
static inline void pg_sort__merge(uint32_t *v, int64_t h, int64_t n, uint32_t *tmp,
                                  pg_sort_key_fn key, const void *ctx)
{
    int64_t i = 0, j = h, k = 0;
    uint64_t ki = key(ctx, v[i]), kj = key(ctx, v[j]);
    while (i < h && j < n) {
        if (ki <= kj) {
            tmp[k++] = v[i++];
            ki = i < h ? key(ctx, v[i]) : 0;
        } else {
            tmp[k++] = v[j++];
            kj = j < n ? key(ctx, v[j]) : 0;
        }
    }
    memcpy(tmp + k, v + i, (size_t)(h - i) * sizeof(*v));
    k += h - i;
    memcpy(v, tmp, (size_t)k * sizeof(*v)); /* the rest of the right run is in place */
}

/*
 * Sort v[0..n) stably by key(ctx, v[i]). tmp has room for n indices; its
 * contents are scratch. Two halves already in order are not merged, so
 * time-ordered input costs O(n) key calls; O(n log n) at worst. No
 * allocation; safe to call from several threads with their own tmp.
 */
static inline void pg_sort__u32_by_key(uint32_t *v, int64_t n, uint32_t *tmp, pg_sort_key_fn key,
                                       const void *ctx)
{
    if (n <= PG_SORT_INSERTION) {
        pg_sort__insertion(v, n, key, ctx);
        return;
    }
    int64_t h = n / 2;
    pg_sort__u32_by_key(v, h, tmp, key, ctx);
    pg_sort__u32_by_key(v + h, n - h, tmp, key, ctx);
    if (key(ctx, v[h - 1]) <= key(ctx, v[h])) {
        return; /* already in order: common for time-ordered input */
    }
    pg_sort__merge(v, h, n, tmp, key, ctx);
}

/* qsort comparator for uint64_t values, ascending. */
static inline int pg_cmp_u64(const void *a, const void *b)
{
    uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;
    return (x > y) - (x < y);
}

#endif
