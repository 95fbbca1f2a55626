/*
 * Single-source shortest paths front end: validates weights, picks Dijkstra
 * or delta-stepping, and derives one deterministic parent tree from the final
 * distances so that both algorithms and every thread count return the same
 * result.
 *
 * Parent rule: parent[v] is the smallest-id u with dist[u] + w(u,v) ==
 * dist[v] and dist[u] < dist[v]. Vertices reached only across zero-weight
 * edges from vertices at the same distance (a "plateau") have no such u; they
 * take, level by level from the vertices already resolved, the smallest-id
 * resolved predecessor at the same distance, which keeps the parents a tree.
 * O(n + m) after the distances.
 */
#include "paths_internal.h"

#include <math.h>
#include <string.h>

#include "core/alloc.h"
#include "core/error.h"

/* Below this many vertices delta-stepping's rounds cost more than they save. */
#define PG_SSSP_DELTA_MIN_N 65536

void pg_sssp_options_init(pg_sssp_options *opts)
{
    memset(opts, 0, sizeof(*opts));
    opts->algo = PG_SSSP_AUTO;
}

void pg_sssp_result_free(pg_sssp_result *r)
{
    if (!r) {
        return;
    }
    pg_free(r->dist);
    pg_free(r->parent);
    memset(r, 0, sizeof(*r));
}

static double wt(const pg_csr *g, int64_t e)
{
    return g->weights ? g->weights[e] : 1.0;
}

static int tight(const pg_csr *g, const double *dist, uint32_t u, int64_t e)
{
    return dist[u] + wt(g, e) == dist[g->targets[e]];
}

/* Resolve plateau vertices breadth-first from resolved ones (serial; rare). */
int pg_paths__sssp_plateaus(uint32_t *parent, const pg_csr *g, const double *dist, uint32_t source)
{
    uint32_t n = g->n;
    uint32_t *cand = pg_malloc_array(n, sizeof(*cand));
    uint8_t *done = pg_calloc(n, 1);
    if (!cand || !done) {
        pg_free(cand);
        pg_free(done);
        return pg_error_oom("sssp plateau", (size_t)n * 5);
    }
    for (uint32_t v = 0; v < n; v++) {
        done[v] = v == source || parent[v] != PG_NONE || isinf(dist[v]);
        cand[v] = PG_NONE;
    }
    for (int changed = 1; changed;) {
        changed = 0;
        for (uint32_t u = 0; u < n; u++) {
            if (done[u] != 1) {
                continue;
            }
            for (int64_t e = g->offsets[u]; e < g->offsets[u + 1]; e++) {
                uint32_t v = g->targets[e];
                if (!done[v] && dist[u] == dist[v] && tight(g, dist, u, e) && u < cand[v]) {
                    cand[v] = u;
                }
            }
            done[u] = 2; /* expanded: resolved in an earlier level */
        }
        for (uint32_t v = 0; v < n; v++) {
            if (!done[v] && cand[v] != PG_NONE) {
                parent[v] = cand[v];
                done[v] = 1;
                changed = 1;
            }
        }
    }
    pg_free(cand);
    pg_free(done);
    return 0;
}

int pg_paths__sssp_parents(uint32_t *parent, const pg_csr *g, const double *dist, uint32_t source,
                           int threads)
{
    uint32_t n = g->n;
    int64_t plateau = 0;
    int nt = pg_threads_resolve(threads);
    (void)nt; /* used by the OpenMP pragmas only */
#pragma omp parallel for num_threads(nt) schedule(static) if (n >= 4096)
    for (int64_t v = 0; v < (int64_t)n; v++) {
        parent[v] = PG_NONE;
    }
#pragma omp parallel for num_threads(nt) schedule(dynamic, 1024) if (n >= 4096)
    for (int64_t ui = 0; ui < (int64_t)n; ui++) {
        uint32_t u = (uint32_t)ui;
        for (int64_t e = g->offsets[u]; e < g->offsets[u + 1]; e++) {
            uint32_t v = g->targets[e];
            if (dist[u] < dist[v] && tight(g, dist, u, e)) {
                uint32_t cur = __atomic_load_n(&parent[v], __ATOMIC_RELAXED);
                while (u < cur && !__atomic_compare_exchange_n(
                                      &parent[v], &cur, u, 1, __ATOMIC_RELAXED, __ATOMIC_RELAXED)) {
                }
            }
        }
    }
#pragma omp parallel for num_threads(nt) schedule(static) reduction(+ : plateau) if (n >= 4096)
    for (int64_t v = 0; v < (int64_t)n; v++) {
        plateau += v != source && parent[v] == PG_NONE && !isinf(dist[v]);
    }
    return plateau ? pg_paths__sssp_plateaus(parent, g, dist, source) : 0;
}

static int check_weights(const pg_csr *g, double *mean)
{
    double sum = 0.0;
    if (!g->weights) {
        *mean = 1.0;
        return 0;
    }
    for (int64_t e = 0; e < g->m; e++) {
        double w = g->weights[e];
        if (!(w >= 0.0) || isinf(w)) {
            return pg_error_set(PG_EINVAL,
                                "sssp: weight %g at entry %lld is negative or not finite", w,
                                (long long)e);
        }
        sum += w;
    }
    *mean = g->m ? sum / (double)g->m : 1.0;
    return 0;
}

/*
 * Bucket width: about twice the mean weight divided by the mean degree, so a
 * bucket holds roughly one "hop" worth of progress for a typical vertex
 * (the rule of thumb of Meyer & Sanders: delta ~ 1/d for weights in [0, 1]).
 * Wider buckets re-relax more edges inside a bucket; narrower ones add rounds.
 */
static double default_delta(const pg_csr *g, double mean)
{
    double deg = g->n ? (double)g->m / (double)g->n : 1.0;
    double d = 2.0 * mean / (deg > 1.0 ? deg : 1.0);
    return d > 0.0 ? d : 1.0;
}

int pg_sssp(pg_sssp_result *out, const pg_csr *g, uint32_t source, const pg_sssp_options *opts)
{
    pg_sssp_options defaults;
    if (!opts) {
        pg_sssp_options_init(&defaults);
        opts = &defaults;
    }
    if (!g || source >= g->n) {
        return pg_error_set(PG_EINVAL, "sssp: source %u out of range", source);
    }
    double mean = 1.0;
    int err = check_weights(g, &mean);
    if (err < 0) {
        return err;
    }
    pg_sssp_result r = {.n = g->n};
    r.dist = pg_malloc_array(g->n, sizeof(*r.dist));
    r.parent = pg_malloc_array(g->n, sizeof(*r.parent));
    if (!r.dist || !r.parent) {
        pg_sssp_result_free(&r);
        return pg_error_oom("sssp arrays", (size_t)g->n * 12);
    }
    int nt = pg_threads_resolve(opts->threads);
    pg_sssp_algo algo = opts->algo;
    if (algo == PG_SSSP_AUTO) {
        algo = (g->n < PG_SSSP_DELTA_MIN_N || nt == 1) ? PG_SSSP_DIJKSTRA : PG_SSSP_DELTA;
    }
    double delta = opts->delta > 0 ? opts->delta : default_delta(g, mean);
    if (algo == PG_SSSP_DELTA) {
        err = pg_paths__delta_stepping(r.dist, g, source, delta, nt);
        if (err == 0) {
            err = pg_paths__sssp_parents(r.parent, g, r.dist, source, nt);
        }
    } else {
        int64_t plateau = 0;
        err = pg_paths__dijkstra(r.dist, r.parent, &plateau, g, source);
        if (err == 0 && plateau > 0) {
            err = pg_paths__sssp_plateaus(r.parent, g, r.dist, source);
        }
    }
    if (err < 0) {
        pg_sssp_result_free(&r);
        return err;
    }
    *out = r;
    return 0;
}
