/*
 * Robust z-scores and peer percentiles within peer groups.
 *
 * What: for items with a value x[i] and a peer group group[i] (e.g.
 * institution x account kind), z[i] = (x[i] - median) / scale of the group,
 * with scale = 1.4826 * MAD (median absolute deviation), the consistent
 * estimator of the standard deviation for normal data. A group where more
 * than half the values are equal has MAD = 0; then the scale falls back to
 * 1.2533 * mean absolute deviation from the median (sqrt(pi/2), again
 * consistent for normal data), and when every value equals the median the
 * item is not unusual: z = 0. The kind of scale is reported per item so an
 * explanation can say so. Peer percentile: where a value stands within its
 * group, 0 for the smallest, 100 for the largest, ties sharing their rank.
 *
 * Approach: counting sort of the values by group (serial, stable), then
 * each group is sorted and summarised independently in parallel over
 * groups. Exact medians come from the sorted values; the MAD from a sort of
 * the absolute deviations. Per-group work never crosses groups, and every
 * sum runs in sorted order, so the result is the same for any thread count.
 *
 * Why: raw feature values differ wildly between a remittance wallet and a
 * salary account; the median and MAD are not dragged by the few extreme
 * accounts we are looking for, as mean and standard deviation would be.
 *
 * Complexity: O(n log n + n_groups) time, O(n + n_groups) memory.
 *
 * Reference: P. J. Rousseeuw, C. Croux, "Alternatives to the median
 * absolute deviation", JASA 88 (1993), doi:10.1080/01621459.1993.10476408.
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "core/alloc.h"
#include "core/error.h"
#include "core/par.h"
#include "paygraph/score.h"

#define PG_MAD_SCALE 1.4826
#define PG_MEANAD_SCALE 1.2533141373155003 /* sqrt(pi / 2) */

void pg_robust_options_init(pg_robust_options *opts)
{
    memset(opts, 0, sizeof(*opts));
    opts->threads = 0;
}

static int dbl_cmp(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

/* Values sorted within each group: vals[off[g] .. off[g+1]). */
typedef struct grouped {
    int64_t *off;
    double *vals;
} grouped;

static void grouped_free(grouped *gr)
{
    pg_free(gr->off);
    pg_free(gr->vals);
}

static int group_values(grouped *gr, const double *x, const uint32_t *group, size_t n,
                        uint32_t n_groups, int threads)
{
    (void)threads; /* used only by OpenMP pragmas */
    memset(gr, 0, sizeof(*gr));
    for (size_t i = 0; i < n; i++) {
        if (group[i] >= n_groups || !isfinite(x[i])) {
            return pg_error_set(PG_EINPUT, "peer groups: item %zu has group %u (of %u), value %g",
                                i, group[i], n_groups, x[i]);
        }
    }
    gr->off = pg_calloc((size_t)n_groups + 1, sizeof(int64_t));
    gr->vals = pg_malloc_array(n ? n : 1, sizeof(double));
    if (!gr->off || !gr->vals) {
        grouped_free(gr);
        return pg_error_oom("peer groups", n * sizeof(double) + n_groups * sizeof(int64_t));
    }
    for (size_t i = 0; i < n; i++) {
        gr->off[group[i] + 1]++;
    }
    for (uint32_t g = 0; g < n_groups; g++) {
        gr->off[g + 1] += gr->off[g];
    }
    for (size_t i = 0; i < n; i++) {
        gr->vals[gr->off[group[i]]++] = x[i];
    }
    for (uint32_t g = n_groups; g > 0; g--) {
        gr->off[g] = gr->off[g - 1];
    }
    gr->off[0] = 0;
    int64_t ng = n_groups;
#pragma omp parallel for num_threads(threads) schedule(dynamic, 16)
    for (int64_t g = 0; g < ng; g++) {
        qsort(gr->vals + gr->off[g], (size_t)(gr->off[g + 1] - gr->off[g]), sizeof(double),
              dbl_cmp);
    }
    return PG_OK;
}

static double median_sorted(const double *v, int64_t k)
{
    return (k & 1) ? v[k / 2] : (v[k / 2 - 1] + v[k / 2]) / 2.0;
}

/* Median and scale of one sorted group; dev is scratch of k doubles. */
static void group_stats(double *med, double *scale, uint8_t *kind, const double *v, int64_t k,
                        double *dev)
{
    *med = 0.0;
    *scale = 0.0;
    *kind = PG_RZ_CONSTANT;
    if (k == 0) {
        return;
    }
    double m = median_sorted(v, k), sum = 0.0;
    for (int64_t i = 0; i < k; i++) {
        dev[i] = fabs(v[i] - m);
    }
    qsort(dev, (size_t)k, sizeof(double), dbl_cmp);
    for (int64_t i = 0; i < k; i++) {
        sum += dev[i];
    }
    double mad = median_sorted(dev, k);
    *med = m;
    if (mad > 0.0) {
        *scale = PG_MAD_SCALE * mad;
        *kind = PG_RZ_MAD;
    } else if (sum > 0.0) {
        *scale = PG_MEANAD_SCALE * sum / (double)k;
        *kind = PG_RZ_MEANAD;
    }
}

int pg_robust_z(double *z, uint8_t *kind, double *median, double *scale, const double *x,
                const uint32_t *group, size_t n, uint32_t n_groups, const pg_robust_options *opts)
{
    if (!z || (n && (!x || !group)) || !opts) {
        return pg_error_set(PG_EINVAL, "robust z: NULL argument");
    }
    int threads = pg_threads_resolve(opts->threads);
    grouped gr;
    int err = group_values(&gr, x, group, n, n_groups, threads);
    if (err < 0) {
        return err;
    }
    size_t ng = n_groups ? n_groups : 1;
    double *gmed = pg_malloc_array(ng, sizeof(double));
    double *gscale = pg_malloc_array(ng, sizeof(double));
    uint8_t *gkind = pg_malloc(ng);
    double *dev = pg_malloc_array(n ? n : 1, sizeof(double));
    if (!gmed || !gscale || !gkind || !dev) {
        err = pg_error_oom("robust z", n * sizeof(double) + ng * 17);
        goto done;
    }
    int64_t ngi = n_groups;
#pragma omp parallel for num_threads(threads) schedule(dynamic, 16)
    for (int64_t g = 0; g < ngi; g++) {
        group_stats(&gmed[g], &gscale[g], &gkind[g], gr.vals + gr.off[g], gr.off[g + 1] - gr.off[g],
                    dev + gr.off[g]);
    }
    int64_t ni = (int64_t)n;
#pragma omp parallel for num_threads(threads) schedule(static)
    for (int64_t i = 0; i < ni; i++) {
        uint32_t g = group[i];
        z[i] = gscale[g] > 0.0 ? (x[i] - gmed[g]) / gscale[g] : 0.0;
        if (kind) {
            kind[i] = gkind[g];
        }
    }
    if (median) {
        memcpy(median, gmed, (size_t)n_groups * sizeof(double));
    }
    if (scale) {
        memcpy(scale, gscale, (size_t)n_groups * sizeof(double));
    }
done:
    grouped_free(&gr);
    pg_free(gmed);
    pg_free(gscale);
    pg_free(gkind);
    pg_free(dev);
    return err;
}

/* First index in v[0..k) with v[i] >= x (upper: > x). */
static int64_t bound(const double *v, int64_t k, double x, int upper)
{
    int64_t lo = 0, hi = k;
    while (lo < hi) {
        int64_t mid = lo + (hi - lo) / 2;
        if (v[mid] < x || (upper && v[mid] == x)) {
            lo = mid + 1;
        } else {
            hi = mid;
        }
    }
    return lo;
}

int pg_peer_percentile(double *percentile, const double *x, const uint32_t *group, size_t n,
                       uint32_t n_groups, const pg_robust_options *opts)
{
    if (!percentile || (n && (!x || !group)) || !opts) {
        return pg_error_set(PG_EINVAL, "peer percentile: NULL argument");
    }
    int threads = pg_threads_resolve(opts->threads);
    grouped gr;
    int err = group_values(&gr, x, group, n, n_groups, threads);
    if (err < 0) {
        return err;
    }
    int64_t ni = (int64_t)n;
#pragma omp parallel for num_threads(threads) schedule(static)
    for (int64_t i = 0; i < ni; i++) {
        const double *v = gr.vals + gr.off[group[i]];
        int64_t k = gr.off[group[i] + 1] - gr.off[group[i]];
        int64_t less = bound(v, k, x[i], 0), ties = bound(v, k, x[i], 1) - less;
        percentile[i] =
            k > 1 ? 100.0 * ((double)less + (double)(ties - 1) / 2.0) / (double)(k - 1) : 50.0;
    }
    grouped_free(&gr);
    return PG_OK;
}
