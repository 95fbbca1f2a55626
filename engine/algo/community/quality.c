/*
 * Verifiers for community detection, deliberately independent of the
 * kernels: serial, straight from the formulas in include/paygraph/community.h,
 * with their own self-loop handling, so a shared mistake cannot hide.
 *
 *   modularity  Q = sum_c [ w_in(c) / m - gamma (K_c / 2m)^2 ]
 *   CPM         H = sum_c [ w_in(c) - gamma (N_c^2 - sum_{i in c} n_i^2) / 2 ]
 *
 * Labels may be any uint32 values (modularity/CPM) : communities are summed
 * through a label -> slot map built by sorting.
 *
 * pg_partition_verify checks dense labels and, optionally, that each
 * community induces a connected subgraph (breadth-first search restricted to
 * the community).
 *
 * Complexity: O(n log n + m) for the qualities, O(n + m) for the check.
 */
#include "paygraph/community.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "core/alloc.h"
#include "core/error.h"

static int cmp_u32(const void *a, const void *b)
{
    uint32_t x = *(const uint32_t *)a, y = *(const uint32_t *)b;
    return (x > y) - (x < y);
}

/* Slot of a label in the sorted, deduplicated label list. */
static uint32_t slot_of(const uint32_t *labels, uint32_t k, uint32_t label)
{
    uint32_t lo = 0, hi = k;
    while (hi - lo > 1) {
        uint32_t mid = lo + (hi - lo) / 2;
        if (labels[mid] <= label) {
            lo = mid;
        } else {
            hi = mid;
        }
    }
    return lo;
}

/* Sorted distinct labels; *k their count. NULL on allocation failure. */
static uint32_t *distinct_labels(const uint32_t *membership, uint32_t n, uint32_t *k)
{
    uint32_t *labels = pg_malloc_array(n ? n : 1, sizeof(*labels));
    if (!labels) {
        return NULL;
    }
    memcpy(labels, membership, (size_t)n * sizeof(*labels));
    qsort(labels, n, sizeof(*labels), cmp_u32);
    uint32_t j = 0;
    for (uint32_t i = 0; i < n; i++) {
        if (j == 0 || labels[j - 1] != labels[i]) {
            labels[j++] = labels[i];
        }
    }
    *k = j;
    return labels;
}

/*
 * Per community: internal weight w_in (each edge once) and the sum of `node`
 * (strength when node == NULL and strength is asked, else node weights) and
 * of its squares. Returns NaN-free sums in in[], sum[], sq[].
 */
static int community_sums(double *in, double *sum, double *sq, const pg_csr *g,
                          const uint32_t *membership, const uint32_t *labels, uint32_t k,
                          int use_strength, const double *node_weights)
{
    (void)k;
    for (uint32_t v = 0; v < g->n; v++) {
        uint32_t cv = slot_of(labels, k, membership[v]);
        double strength = 0.0;
        for (int64_t e = g->offsets[v]; e < g->offsets[v + 1]; e++) {
            uint32_t u = g->targets[e];
            double w = g->weights ? g->weights[e] : 1.0;
            if (u == v) {
                strength += 2.0 * w; /* a self-loop touches v twice */
                in[cv] += w;         /* and is one edge inside v's community */
            } else {
                strength += w;
                if (membership[u] == membership[v]) {
                    in[cv] += 0.5 * w; /* seen from both ends */
                }
            }
        }
        double x = use_strength ? strength : (node_weights ? node_weights[v] : 1.0);
        sum[cv] += x;
        sq[cv] += x * x;
    }
    return PG_OK;
}

static double quality(const pg_csr *g, const uint32_t *membership, double resolution,
                      const double *node_weights, int modularity)
{
    uint32_t k = 0;
    uint32_t *labels = distinct_labels(membership, g->n, &k);
    double *buf = pg_calloc(3 * (size_t)(k ? k : 1), sizeof(*buf));
    double q = NAN;
    if (labels && buf) {
        double *in = buf, *sum = buf + k, *sq = buf + 2 * (size_t)k;
        community_sums(in, sum, sq, g, membership, labels, k, modularity, node_weights);
        double total = 0.0;
        for (uint32_t c = 0; c < k; c++) {
            total += sum[c];
        }
        q = 0.0;
        for (uint32_t c = 0; c < k; c++) {
            if (modularity) {
                double m = total / 2.0;
                q += in[c] / m - resolution * (sum[c] / total) * (sum[c] / total);
            } else {
                q += in[c] - resolution * (sum[c] * sum[c] - sq[c]) / 2.0;
            }
        }
        if (modularity && !(total > 0.0)) {
            q = NAN;
        }
    }
    pg_free(labels);
    pg_free(buf);
    return q;
}

double pg_modularity(const pg_csr *g, const uint32_t *membership, double resolution)
{
    return quality(g, membership, resolution, NULL, 1);
}

double pg_cpm_quality(const pg_csr *g, const uint32_t *membership, double resolution,
                      const double *node_weights)
{
    return quality(g, membership, resolution, node_weights, 0);
}

/* Breadth-first search of community c from its first vertex; returns vertices reached. */
static uint32_t bfs_within(const pg_csr *g, const uint32_t *membership, uint32_t start,
                           uint32_t *queue, unsigned char *seen)
{
    uint32_t head = 0, tail = 0;
    queue[tail++] = start;
    seen[start] = 1;
    while (head < tail) {
        uint32_t v = queue[head++];
        for (int64_t e = g->offsets[v]; e < g->offsets[v + 1]; e++) {
            uint32_t u = g->targets[e];
            if (!seen[u] && membership[u] == membership[start]) {
                seen[u] = 1;
                queue[tail++] = u;
            }
        }
    }
    return tail;
}

static int check_connected(const pg_csr *g, const uint32_t *membership, const uint32_t *size,
                           uint32_t k)
{
    uint32_t n = g->n;
    uint32_t *queue = pg_malloc_array(n ? n : 1, sizeof(*queue));
    unsigned char *seen = pg_calloc(n ? n : 1, 1);
    unsigned char *done = pg_calloc(k ? k : 1, 1);
    int err = PG_OK;
    if (!queue || !seen || !done) {
        err = pg_error_oom("partition verifier", (size_t)n * 5 + k);
    }
    for (uint32_t v = 0; v < n && !err; v++) {
        uint32_t c = membership[v];
        if (done[c]) {
            continue;
        }
        done[c] = 1;
        uint32_t reached = bfs_within(g, membership, v, queue, seen);
        if (reached != size[c]) {
            err = pg_error_set(PG_EINTERNAL,
                               "partition: community %u is disconnected (%u of %u vertices "
                               "reachable from vertex %u)",
                               c, reached, size[c], v);
        }
    }
    pg_free(queue);
    pg_free(seen);
    pg_free(done);
    return err;
}

int pg_partition_verify(const pg_csr *g, const uint32_t *membership, int require_connected)
{
    uint32_t n = g->n, k = 0;
    for (uint32_t v = 0; v < n; v++) {
        if (membership[v] >= n) {
            return pg_error_set(PG_EINTERNAL, "partition: label %u of vertex %u >= n = %u",
                                membership[v], v, n);
        }
        k = membership[v] + 1 > k ? membership[v] + 1 : k;
    }
    uint32_t *size = pg_calloc(k ? k : 1, sizeof(*size));
    if (!size) {
        return pg_error_oom("partition verifier", (size_t)k * 4);
    }
    for (uint32_t v = 0; v < n; v++) {
        size[membership[v]]++;
    }
    int err = PG_OK;
    for (uint32_t c = 0; c < k && !err; c++) {
        if (size[c] == 0) {
            err = pg_error_set(PG_EINTERNAL, "partition: label %u unused, labels not dense", c);
        }
    }
    if (!err && require_connected) {
        err = check_connected(g, membership, size, k);
    }
    pg_free(size);
    return err;
}
