/*
 * OddBall: egonet features, power-law fits and deviation scores.
 *
 * What: for every vertex v of an undirected graph, the egonet (v, its
 * neighbours and every edge among them) is summarised by N (neighbours),
 * E (edges) and W (total weight). Across the graph, E ~ N^alpha (EDPL) and
 * W ~ E^beta (EWPL) hold closely; vertices far off either law are
 * anomalous: near-cliques lie above the E-N line (collusion), stars below
 * it (one account paying or collecting from many unrelated ones), and heavy
 * egonets above the W-E line.
 *
 * Approach: features in parallel over vertices (schedule dynamic: cost is
 * skewed by degree); the edges among neighbours are counted by merging the
 * sorted row of v with the sorted row of each neighbour, each edge seen
 * from both ends. Each vertex's features depend only on the graph, so the
 * result is the same for any thread count. The fits are least squares in
 * log-log over vertices with N >= 2, summed serially in vertex order
 * (centered two-pass form for accuracy).
 *
 * Score (paper, eq. for out-line): max(y, f) / min(y, f) * log(|y - f| + 1)
 * with f = c x^theta.
 *
 * Complexity: O(sum_v sum_{u in N(v)} (d(v) + d(u))) time, O(n) memory.
 * The principal eigenvalue feature (lambda_w) of the paper is not computed.
 *
 * Reference: L. Akoglu, M. McGlohon, C. Faloutsos, "OddBall: spotting
 * anomalies in weighted graphs", PAKDD 2010,
 * doi:10.1007/978-3-642-13672-6_40.
 */
#include <math.h>
#include <string.h>

#include "core/alloc.h"
#include "core/error.h"
#include "core/par.h"
#include "paygraph/score.h"

void pg_oddball_options_init(pg_oddball_options *opts)
{
    memset(opts, 0, sizeof(*opts));
    opts->weighted = 1;
    opts->threads = 0;
}

void pg_oddball_result_free(pg_oddball_result *res)
{
    if (!res) {
        return;
    }
    pg_free(res->ego);
    pg_free(res->score_en);
    pg_free(res->score_we);
    pg_free(res->score);
    memset(res, 0, sizeof(*res));
}

/*
 * Edges (count of distinct pairs, and weight of all parallel entries) from
 * neighbour u to the other neighbours of v, by merging row v and row u.
 */
static void merge_rows(double *cnt, double *wsum, const pg_csr *g, uint32_t v, uint32_t u,
                       int weighted)
{
    int64_t i = g->offsets[v], ie = g->offsets[v + 1];
    int64_t j = g->offsets[u], je = g->offsets[u + 1];
    while (i < ie && j < je) {
        uint32_t a = g->targets[i], b = g->targets[j];
        if (a < b) {
            i++;
        } else if (b < a) {
            j++;
        } else {
            int counted = (a != u && a != v);
            *cnt += counted;
            while (j < je && g->targets[j] == a) {
                *wsum += (counted && weighted) ? g->weights[j] : (double)counted;
                j++;
            }
            while (i < ie && g->targets[i] == a) {
                i++;
            }
        }
    }
}

/* N, E, W of the egonet of v. */
static pg_egonet egonet(const pg_csr *g, uint32_t v, int weighted)
{
    double nb = 0.0, spoke_w = 0.0, among = 0.0, among_w = 0.0;
    for (int64_t e = g->offsets[v]; e < g->offsets[v + 1]; e++) {
        uint32_t u = g->targets[e];
        if (u == v) {
            continue;
        }
        spoke_w += weighted ? g->weights[e] : 1.0;
        if (e > g->offsets[v] && g->targets[e - 1] == u) {
            continue; /* a parallel entry: the neighbour is already counted */
        }
        nb += 1.0;
        merge_rows(&among, &among_w, g, v, u, weighted);
    }
    pg_egonet r;
    r.n = nb;
    r.e = nb + among / 2.0;
    r.w = weighted ? spoke_w + among_w / 2.0 : r.e;
    return r;
}

/* Least squares log y = log c + theta log x over the selected vertices. */
static pg_powerlaw fit(const pg_egonet *ego, uint32_t n, int we)
{
    pg_powerlaw law = {1.0, 0.0, 0};
    double sx = 0.0, sy = 0.0;
    for (uint32_t v = 0; v < n; v++) {
        if (ego[v].n >= 2.0 && (!we || ego[v].w > 0.0)) {
            sx += log(we ? ego[v].e : ego[v].n);
            sy += log(we ? ego[v].w : ego[v].e);
            law.points++;
        }
    }
    if (law.points == 0) {
        return law;
    }
    double mx = sx / law.points, my = sy / law.points, sxx = 0.0, sxy = 0.0;
    for (uint32_t v = 0; v < n; v++) {
        if (ego[v].n >= 2.0 && (!we || ego[v].w > 0.0)) {
            double dx = log(we ? ego[v].e : ego[v].n) - mx;
            sxx += dx * dx;
            sxy += dx * (log(we ? ego[v].w : ego[v].e) - my);
        }
    }
    /* All x equal: no slope can be fitted; the law is the constant mean. */
    law.theta = sxx > 0.0 ? sxy / sxx : 0.0;
    law.c = exp(my - law.theta * mx);
    return law;
}

static double out_line(double y, double x, pg_powerlaw law)
{
    double f = law.c * pow(x, law.theta);
    double hi = y > f ? y : f, lo = y > f ? f : y;
    return lo > 0.0 ? hi / lo * log(fabs(y - f) + 1.0) : 0.0;
}

static int result_alloc(pg_oddball_result *res, uint32_t n)
{
    memset(res, 0, sizeof(*res));
    size_t k = n ? n : 1;
    res->ego = pg_calloc(k, sizeof(pg_egonet));
    res->score_en = pg_calloc(k, sizeof(double));
    res->score_we = pg_calloc(k, sizeof(double));
    res->score = pg_calloc(k, sizeof(double));
    if (!res->ego || !res->score_en || !res->score_we || !res->score) {
        pg_oddball_result_free(res);
        return pg_error_oom("oddball result", k * (sizeof(pg_egonet) + 3 * sizeof(double)));
    }
    return PG_OK;
}

int pg_oddball(pg_oddball_result *res, const pg_csr *g, const pg_oddball_options *opts)
{
    if (!res || !g || !opts) {
        return pg_error_set(PG_EINVAL, "oddball: NULL argument");
    }
    int err = result_alloc(res, g->n);
    if (err < 0) {
        return err;
    }
    int weighted = opts->weighted && g->weights;
    int threads = pg_threads_resolve(opts->threads);
    (void)threads; /* used only by OpenMP pragmas */
    int64_t n = g->n;
    /* The flag is a volatile sig_atomic_t: reading it per vertex is one load. */
#pragma omp parallel for num_threads(threads) schedule(dynamic, 64)
    for (int64_t v = 0; v < n; v++) {
        if (!pg_interrupted()) {
            res->ego[v] = egonet(g, (uint32_t)v, weighted);
        }
    }
    if (pg_interrupted()) {
        pg_oddball_result_free(res);
        return pg_error_set(PG_EINTR, "oddball: interrupted");
    }
    res->law_en = fit(res->ego, g->n, 0);
    res->law_we = fit(res->ego, g->n, 1);
#pragma omp parallel for num_threads(threads) schedule(static)
    for (int64_t v = 0; v < n; v++) {
        const pg_egonet *x = &res->ego[v];
        double a = x->n >= 2.0 ? out_line(x->e, x->n, res->law_en) : 0.0;
        double b = (x->n >= 2.0 && x->w > 0.0) ? out_line(x->w, x->e, res->law_we) : 0.0;
        res->score_en[v] = a;
        res->score_we[v] = b;
        res->score[v] = a + b;
    }
    return PG_OK;
}
