/*
 * CSR construction from an edge list by counting sort: count row lengths,
 * prefix-sum them into offsets, scatter entries in input order, then sort
 * each row by target with a stable sort. The scatter is serial because input
 * order defines tie order; the per-row sorts, which dominate on skewed
 * graphs, run in parallel. O(m + sum of d log d) time, O(n + m) memory.
 */
#include "paygraph/graph.h"

#include <string.h>

#include "core/alloc.h"
#include "core/error.h"
#include "core/par.h"

int pg_csr_alloc(pg_csr *g, uint32_t n, int64_t m, int with_weights)
{
    memset(g, 0, sizeof(*g));
    g->n = n;
    g->m = m;
    g->offsets = pg_calloc((size_t)n + 1, sizeof(*g->offsets));
    g->targets = pg_malloc_array((size_t)m, sizeof(*g->targets));
    if (with_weights) {
        g->weights = pg_malloc_array((size_t)m, sizeof(*g->weights));
    }
    if (!g->offsets || !g->targets || (with_weights && !g->weights)) {
        pg_csr_free(g);
        return pg_error_oom("CSR arrays", (size_t)m * 12 + (size_t)n * 8);
    }
    return 0;
}

void pg_csr_free(pg_csr *g)
{
    if (!g) {
        return;
    }
    pg_free(g->offsets);
    pg_free(g->targets);
    pg_free(g->weights);
    memset(g, 0, sizeof(*g));
}

/* Stable sort of one row by target: insertion sort for short rows, merge sort otherwise. */
static void sort_row(uint32_t *t, double *w, int64_t len, uint32_t *tmp_t, double *tmp_w)
{
    if (len <= 32) {
        for (int64_t i = 1; i < len; i++) {
            uint32_t kt = t[i];
            double kw = w ? w[i] : 0.0;
            int64_t j = i;
            while (j > 0 && t[j - 1] > kt) {
                t[j] = t[j - 1];
                if (w) {
                    w[j] = w[j - 1];
                }
                j--;
            }
            t[j] = kt;
            if (w) {
                w[j] = kw;
            }
        }
        return;
    }
    int64_t half = len / 2;
    sort_row(t, w, half, tmp_t, tmp_w);
    sort_row(t + half, w ? w + half : NULL, len - half, tmp_t, tmp_w);
    int64_t i = 0, j = half, k = 0;
    while (i < half || j < len) {
        int take_left = j >= len || (i < half && t[i] <= t[j]);
        int64_t s = take_left ? i++ : j++;
        tmp_t[k] = t[s];
        if (w) {
            tmp_w[k] = w[s];
        }
        k++;
    }
    memcpy(t, tmp_t, (size_t)len * sizeof(*t));
    if (w) {
        memcpy(w, tmp_w, (size_t)len * sizeof(*w));
    }
}

static int sort_rows(pg_csr *g, int threads)
{
    int64_t maxlen = 0;
    for (uint32_t v = 0; v < g->n; v++) {
        int64_t d = g->offsets[v + 1] - g->offsets[v];
        maxlen = d > maxlen ? d : maxlen;
    }
    if (maxlen <= 1) {
        return 0;
    }
    int nt = pg_threads_resolve(threads);
    uint32_t *tmp_t = pg_malloc_array((size_t)nt * (size_t)maxlen, sizeof(*tmp_t));
    double *tmp_w =
        g->weights ? pg_malloc_array((size_t)nt * (size_t)maxlen, sizeof(*tmp_w)) : NULL;
    if (!tmp_t || (g->weights && !tmp_w)) {
        pg_free(tmp_t);
        pg_free(tmp_w);
        return pg_error_oom("CSR row sort buffers", (size_t)nt * (size_t)maxlen * 12);
    }
#pragma omp parallel for num_threads(nt) schedule(dynamic, 1024)
    for (int64_t v = 0; v < (int64_t)g->n; v++) {
        int tid = pg_par_thread_id();
        int64_t a = g->offsets[v], b = g->offsets[v + 1];
        sort_row(g->targets + a, g->weights ? g->weights + a : NULL, b - a,
                 tmp_t + (size_t)tid * (size_t)maxlen,
                 tmp_w ? tmp_w + (size_t)tid * (size_t)maxlen : NULL);
    }
    pg_free(tmp_t);
    pg_free(tmp_w);
    return 0;
}

int pg_csr_from_edges(pg_csr *out, uint32_t n, int64_t m, const uint32_t *src, const uint32_t *dst,
                      const double *w, int symmetric, int threads)
{
    int err;
    int64_t entries = 0;
    for (int64_t i = 0; i < m; i++) {
        if (src[i] >= n || dst[i] >= n) {
            return pg_error_set(PG_EINVAL, "edge %lld (%u -> %u) names a vertex >= n = %u",
                                (long long)i, src[i], dst[i], n);
        }
        entries += (symmetric && src[i] != dst[i]) ? 2 : 1;
    }
    pg_csr g;
    if ((err = pg_csr_alloc(&g, n, entries, w != NULL)) < 0) {
        return err;
    }
    for (int64_t i = 0; i < m; i++) {
        g.offsets[src[i] + 1]++;
        if (symmetric && src[i] != dst[i]) {
            g.offsets[dst[i] + 1]++;
        }
    }
    for (uint32_t v = 0; v < n; v++) {
        g.offsets[v + 1] += g.offsets[v];
    }
    int64_t *pos = pg_malloc_array(n ? n : 1, sizeof(*pos));
    if (!pos) {
        pg_csr_free(&g);
        return pg_error_oom("CSR fill cursor", (size_t)n * sizeof(*pos));
    }
    memcpy(pos, g.offsets, (size_t)n * sizeof(*pos));
    for (int64_t i = 0; i < m; i++) {
        int64_t p = pos[src[i]]++;
        g.targets[p] = dst[i];
        if (w) {
            g.weights[p] = w[i];
        }
        if (symmetric && src[i] != dst[i]) {
            p = pos[dst[i]]++;
            g.targets[p] = src[i];
            if (w) {
                g.weights[p] = w[i];
            }
        }
    }
    pg_free(pos);
    if ((err = sort_rows(&g, threads)) < 0) {
        pg_csr_free(&g);
        return err;
    }
    *out = g;
    return 0;
}
