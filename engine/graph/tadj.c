/*
 * Temporal adjacency: transactions grouped by vertex and ordered by time.
 * Counting sort by vertex in index order (so ties keep index order), then a
 * stable merge sort by time inside each vertex, rows in parallel.
 * O(m log d_max) time, O(n + m) memory.
 */
#include "paygraph/graph.h"

#include <string.h>

#include "core/alloc.h"
#include "core/error.h"
#include "core/par.h"
#include "core/sort.h"

void pg_tadj_free(pg_tadj *a)
{
    if (!a) {
        return;
    }
    pg_free(a->offsets);
    pg_free(a->txn);
    memset(a, 0, sizeof(*a));
}

/* Sort key of a transaction index: its time. */
static uint64_t time_key(const void *ts, uint32_t t)
{
    return pg_sort_key_i64(((const int64_t *)ts)[t]);
}

int pg_tadj_build(pg_tadj *out, uint32_t n, int64_t m, const uint32_t *key, const int64_t *ts,
                  int threads)
{
    pg_tadj a = {.n = n, .m = m};
    int nt = pg_threads_resolve(threads);
    if (m > (int64_t)UINT32_MAX) {
        return pg_error_set(PG_EINVAL, "temporal adjacency: %lld transactions exceed 2^32",
                            (long long)m);
    }
    a.offsets = pg_calloc((size_t)n + 1, sizeof(*a.offsets));
    a.txn = pg_malloc_array((size_t)m, sizeof(*a.txn));
    if (!a.offsets || !a.txn) {
        pg_tadj_free(&a);
        return pg_error_oom("temporal adjacency", (size_t)m * 4 + (size_t)n * 8);
    }
    for (int64_t i = 0; i < m; i++) {
        if (key[i] >= n) {
            pg_tadj_free(&a);
            return pg_error_set(PG_EINVAL, "temporal adjacency: vertex %u >= n = %u", key[i], n);
        }
        a.offsets[key[i] + 1]++;
    }
    int64_t maxlen = 0;
    for (uint32_t v = 0; v < n; v++) {
        int64_t d = a.offsets[v + 1];
        maxlen = d > maxlen ? d : maxlen;
        a.offsets[v + 1] += a.offsets[v];
    }
    int64_t *pos = pg_malloc_array((size_t)n + 1, sizeof(*pos));
    uint32_t *tmp = pg_malloc_array((size_t)nt * (size_t)(maxlen ? maxlen : 1), sizeof(*tmp));
    if (!pos || !tmp) {
        pg_free(pos);
        pg_free(tmp);
        pg_tadj_free(&a);
        return pg_error_oom("temporal adjacency sort", (size_t)nt * (size_t)maxlen * 4);
    }
    memcpy(pos, a.offsets, ((size_t)n + 1) * sizeof(*pos));
    for (int64_t i = 0; i < m; i++) {
        a.txn[pos[key[i]]++] = (uint32_t)i;
    }
    pg_free(pos);
#pragma omp parallel for num_threads(nt) schedule(dynamic, 1024)
    for (int64_t v = 0; v < (int64_t)n; v++) {
        int64_t lo = a.offsets[v], hi = a.offsets[v + 1];
        pg_sort__u32_by_key(a.txn + lo, hi - lo, tmp + (size_t)pg_par_thread_id() * (size_t)maxlen,
                            time_key, ts);
    }
    pg_free(tmp);
    *out = a;
    return 0;
}
