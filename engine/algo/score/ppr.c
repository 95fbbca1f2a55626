/*
 * Personalized PageRank by pull-style power iteration.
 *
 * What: the stationary distribution of a walk that follows an out-edge with
 * probability d (proportional to its weight) and otherwise restarts at the
 * personalization vector r (e.g. the watchlist); a walker stuck on a vertex
 * without out-edges (dangling) also restarts at r. This is the convention
 * of igraph_personalized_pagerank with PRPACK, which our oracle test checks.
 *
 * Approach: x' = d * A^T (x / s) + (d * D + 1 - d) * r, iterated until the
 * L1 change is below tol. Each x'[v] is a sum over the in-row of v in CSR
 * order (pull), so no two threads write the same value and the value does
 * not depend on the thread count. The two global sums per step (dangling
 * mass, L1 change) are taken over fixed chunks of vertices and combined in
 * chunk order, never with reduction(+), for the same reason.
 *
 * Why: watchlist proximity is one of the ring-score components; power
 * iteration is simple, exact to tol and parallel, and needs O(n) memory.
 *
 * Complexity: O((n + m) * iterations); iterations ~ log(tol) / log(d).
 *
 * References: L. Page, S. Brin, R. Motwani, T. Winograd, "The PageRank
 * citation ranking", Stanford InfoLab 1999; G. Jeh, J. Widom, "Scaling
 * personalized web search", WWW 2003, doi:10.1145/775152.775191.
 */
#include <math.h>
#include <string.h>

#include "core/alloc.h"
#include "core/error.h"
#include "core/par.h"
#include "paygraph/score.h"

/*
 * Vertices per partial sum. Fixed (not derived from the thread count) so
 * the summation order is the same for any team; large enough that the
 * serial combination of the partial sums costs nothing.
 */
#define PG_PPR_CHUNK 4096

void pg_ppr_options_init(pg_ppr_options *opts)
{
    memset(opts, 0, sizeof(*opts));
    opts->damping = 0.85;
    opts->tol = 1e-10;
    opts->max_iter = 1000;
    opts->weighted = 1;
    opts->threads = 0;
}

/* Sum of n values in fixed order. */
static double sum_ordered(const double *v, int64_t n)
{
    double s = 0.0;
    for (int64_t i = 0; i < n; i++) {
        s += v[i];
    }
    return s;
}

/* Weights must be finite and non-negative; returns PG_EINPUT otherwise. */
static int check_weights(const pg_csr *g)
{
    for (int64_t e = 0; e < g->m; e++) {
        double w = g->weights[e];
        if (!(w >= 0.0) || !isfinite(w)) {
            return pg_error_set(PG_EINPUT, "ppr: edge %lld has weight %g (need finite >= 0)",
                                (long long)e, w);
        }
    }
    return PG_OK;
}

/*
 * The personalization vector r (n entries, sums to 1): repeated sources add
 * up; no sources means uniform.
 */
static int build_reset(double *r, uint32_t n, const uint32_t *sources, const double *sw,
                       uint32_t n_sources)
{
    if (n_sources == 0) {
        for (uint32_t v = 0; v < n; v++) {
            r[v] = 1.0 / (double)n;
        }
        return PG_OK;
    }
    double total = 0.0;
    for (uint32_t i = 0; i < n_sources; i++) {
        double w = sw ? sw[i] : 1.0;
        if (sources[i] >= n) {
            return pg_error_set(PG_EINPUT, "ppr: source %u out of range (n = %u)", sources[i], n);
        }
        if (!(w > 0.0) || !isfinite(w)) {
            return pg_error_set(PG_EINPUT, "ppr: source %u has weight %g (need finite > 0)",
                                sources[i], w);
        }
        r[sources[i]] += w;
        total += w;
    }
    for (uint32_t v = 0; v < n; v++) {
        r[v] /= total;
    }
    return PG_OK;
}

/* inv_s[u] = 1 / out-strength of u, or 0 for a dangling vertex. */
static void inverse_strength(double *inv_s, const pg_csr *g, int weighted, int threads)
{
    (void)threads; /* used only by OpenMP pragmas */
    int64_t n = g->n;
#pragma omp parallel for num_threads(threads) schedule(static)
    for (int64_t u = 0; u < n; u++) {
        double s = 0.0;
        if (weighted) {
            for (int64_t e = g->offsets[u]; e < g->offsets[u + 1]; e++) {
                s += g->weights[e];
            }
        } else {
            s = (double)(g->offsets[u + 1] - g->offsets[u]);
        }
        inv_s[u] = s > 0.0 ? 1.0 / s : 0.0;
    }
}

/* Arrays of one run, freed together. y and ynext: x / s, double-buffered. */
typedef struct ppr_work {
    double *r, *inv_s, *y, *ynext, *x, *part, *dpart;
} ppr_work;

static void work_free(ppr_work *w)
{
    pg_free(w->r);
    pg_free(w->inv_s);
    pg_free(w->y);
    pg_free(w->ynext);
    pg_free(w->x);
    pg_free(w->part);
    pg_free(w->dpart);
}

static int work_alloc(ppr_work *w, uint32_t n, int64_t chunks)
{
    memset(w, 0, sizeof(*w));
    w->r = pg_calloc(n, sizeof(double));
    w->inv_s = pg_malloc_array(n, sizeof(double));
    w->y = pg_malloc_array(n, sizeof(double));
    w->ynext = pg_malloc_array(n, sizeof(double));
    w->x = pg_malloc_array(n, sizeof(double));
    w->part = pg_malloc_array((size_t)chunks, sizeof(double));
    w->dpart = pg_malloc_array((size_t)chunks, sizeof(double));
    if (!w->r || !w->inv_s || !w->y || !w->ynext || !w->x || !w->part || !w->dpart) {
        work_free(w);
        return pg_error_oom("ppr vectors", (size_t)n * 5 * sizeof(double));
    }
    return PG_OK;
}

/* y = x / s and the dangling mass D of the start vector, chunk-ordered. */
static double scale_start(ppr_work *w, uint32_t n, int64_t chunks, int threads)
{
    (void)threads; /* used only by OpenMP pragmas */
#pragma omp parallel for num_threads(threads) schedule(static)
    for (int64_t c = 0; c < chunks; c++) {
        int64_t lo = c * PG_PPR_CHUNK, hi = lo + PG_PPR_CHUNK < n ? lo + PG_PPR_CHUNK : n;
        double dangling = 0.0;
        for (int64_t u = lo; u < hi; u++) {
            w->y[u] = w->x[u] * w->inv_s[u];
            dangling += w->inv_s[u] == 0.0 ? w->x[u] : 0.0;
        }
        w->dpart[c] = dangling;
    }
    return sum_ordered(w->dpart, chunks);
}

/*
 * One step, one parallel region: xn = d * A^T y + base * r, and already the
 * next step's ynext = xn / s and its dangling mass (*dangling), so threads
 * meet once per iteration. Returns the L1 change; sums are chunk-ordered.
 */
static double pull_step(double *xn, const double *x, double *dangling, ppr_work *w,
                        const pg_csr *gin, int weighted, double damping, double base,
                        int64_t chunks, int threads)
{
    (void)threads; /* used only by OpenMP pragmas */
    uint32_t n = gin->n;
    const double *y = w->y;
#pragma omp parallel for num_threads(threads) schedule(static)
    for (int64_t c = 0; c < chunks; c++) {
        int64_t lo = c * PG_PPR_CHUNK, hi = lo + PG_PPR_CHUNK < n ? lo + PG_PPR_CHUNK : n;
        double change = 0.0, dmass = 0.0;
        for (int64_t v = lo; v < hi; v++) {
            double s = 0.0;
            if (weighted) {
                for (int64_t e = gin->offsets[v]; e < gin->offsets[v + 1]; e++) {
                    s += gin->weights[e] * y[gin->targets[e]];
                }
            } else {
                for (int64_t e = gin->offsets[v]; e < gin->offsets[v + 1]; e++) {
                    s += y[gin->targets[e]];
                }
            }
            double nv = damping * s + base * w->r[v];
            change += fabs(nv - x[v]);
            xn[v] = nv;
            w->ynext[v] = nv * w->inv_s[v];
            dmass += w->inv_s[v] == 0.0 ? nv : 0.0;
        }
        w->part[c] = change;
        w->dpart[c] = dmass;
    }
    *dangling = sum_ordered(w->dpart, chunks);
    return sum_ordered(w->part, chunks);
}

static int check_args(const double *out, const pg_csr *g, const pg_csr *gin,
                      const pg_ppr_options *o)
{
    if (!out || !g || !gin || !o || (g->n > 0 && !g->offsets)) {
        return pg_error_set(PG_EINVAL, "ppr: NULL argument");
    }
    if (gin->n != g->n || gin->m != g->m) {
        return pg_error_set(PG_EINVAL,
                            "ppr: in-adjacency has %u vertices / %lld entries, "
                            "out-adjacency %u / %lld",
                            gin->n, (long long)gin->m, g->n, (long long)g->m);
    }
    if (!(o->damping >= 0.0 && o->damping < 1.0) || !(o->tol > 0.0) || o->max_iter < 1) {
        return pg_error_set(PG_EINVAL, "ppr: need 0 <= damping < 1, tol > 0, max_iter >= 1");
    }
    return PG_OK;
}

int pg_ppr(double *out, const pg_csr *g, const pg_csr *gin, const uint32_t *sources,
           const double *source_weight, uint32_t n_sources, pg_ppr_options *opts)
{
    gin = gin ? gin : g;
    int err = check_args(out, g, gin, opts);
    if (err < 0) {
        return err;
    }
    uint32_t n = g->n;
    opts->iterations = 0;
    opts->last_change = 0.0;
    if (n == 0) {
        return PG_OK;
    }
    if (n_sources > 0 && !sources) {
        return pg_error_set(PG_EINVAL, "ppr: n_sources > 0 but sources is NULL");
    }
    int weighted = opts->weighted && g->weights != NULL;
    if (weighted && !gin->weights) {
        return pg_error_set(PG_EINVAL, "ppr: weighted out-adjacency but unweighted in-adjacency");
    }
    if (weighted && (err = check_weights(g)) < 0) {
        return err;
    }
    int threads = pg_threads_resolve(opts->threads);
    int64_t chunks = ((int64_t)n + PG_PPR_CHUNK - 1) / PG_PPR_CHUNK;
    ppr_work w;
    if ((err = work_alloc(&w, n, chunks)) < 0) {
        return err;
    }
    if ((err = build_reset(w.r, n, sources, source_weight, n_sources)) < 0) {
        goto done;
    }
    inverse_strength(w.inv_s, g, weighted, threads);
    memcpy(w.x, w.r, (size_t)n * sizeof(double));
    double d = opts->damping, dangling = scale_start(&w, n, chunks, threads);
    double *x = w.x, *xn = out; /* swapped each step; the result is copied to out */
    for (int it = 1; it <= opts->max_iter; it++) {
        if (pg_interrupted()) {
            err = pg_error_set(PG_EINTR, "ppr: interrupted at iteration %d", it);
            goto done;
        }
        double base = d * dangling + 1.0 - d;
        double change = pull_step(xn, x, &dangling, &w, gin, weighted, d, base, chunks, threads);
        double *t = x;
        x = xn;
        xn = t;
        t = w.y;
        w.y = w.ynext;
        w.ynext = t;
        opts->iterations = it;
        opts->last_change = change;
        if (change < opts->tol) {
            break;
        }
    }
    if (x != out) {
        memcpy(out, x, (size_t)n * sizeof(double));
    }
    /* Remove the rounding drift of the total, as igraph does. */
    double total = 0.0;
    for (int64_t c = 0; c < chunks; c++) {
        int64_t lo = c * PG_PPR_CHUNK, hi = lo + PG_PPR_CHUNK < n ? lo + PG_PPR_CHUNK : n;
        w.part[c] = sum_ordered(out + lo, hi - lo);
    }
    total = sum_ordered(w.part, chunks);
#pragma omp parallel for num_threads(threads) schedule(static)
    for (int64_t v = 0; v < n; v++) {
        out[v] /= total;
    }
done:
    work_free(&w);
    return err;
}
