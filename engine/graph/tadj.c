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

void pg_tadj_free(pg_tadj *a)
{
    if (!a) {
        return;
    }
    pg_free(a->offsets);
    pg_free(a->txn);
    memset(a, 0, sizeof(*a));
}

/* Stable merge sort of idx[0..len) by ts[idx]; tmp has room for len. */
static void sort_by_time(uint32_t *idx, int64_t len, const int64_t *ts, uint32_t *tmp)
{
    if (len <= 24) {
        for (int64_t i = 1; i < len; i++) {
            uint32_t k = idx[i];
            int64_t j = i;
            while (j > 0 && ts[idx[j - 1]] > ts[k]) {
                idx[j] = idx[j - 1];
                j--;
            }
            idx[j] = k;
        }
        return;
    }
    int64_t half = len / 2;
    sort_by_time(idx, half, ts, tmp);
    sort_by_time(idx + half, len - half, ts, tmp);
    if (ts[idx[half - 1]] <= ts[idx[half]]) {
        return; /* already in order: common for time-ordered input */
    }
    int64_t i = 0, j = half, k = 0;
    while (i < half || j < len) {
        int left = j >= len || (i < half && ts[idx[i]] <= ts[idx[j]]);
        tmp[k++] = left ? idx[i++] : idx[j++];
    }
    memcpy(idx, tmp, (size_t)len * sizeof(*idx));
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
        sort_by_time(a.txn + lo, hi - lo, ts, tmp + (size_t)pg_par_thread_id() * (size_t)maxlen);
    }
    pg_free(tmp);
    *out = a;
    return 0;
}
