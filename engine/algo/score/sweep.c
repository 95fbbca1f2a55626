/*
 * Sweep cut: the best-conductance prefix of a vertex ordering.
 *
 * What: given a vector p over an undirected graph (typically a personalized
 * PageRank vector from a seed), order the vertices with p(v) > 0 by
 * p(v) / d(v) descending and return the prefix S of minimum conductance
 * cut(S) / min(vol(S), vol(V) - vol(S)).
 *
 * Approach: sort the candidates once (ties by vertex id, so the order is
 * total and deterministic), then add them one at a time keeping vol(S) and
 * cut(S) up to date: adding v changes the cut by d(v) - loop(v) - 2 w(v, S),
 * where w(v, S) is the weight from v into the current prefix. Each edge of a
 * candidate is read once.
 *
 * Why: Andersen, Chung & Lang show the sweep over a PPR vector finds a set
 * of small conductance near the seed when one exists; for paygraph that is
 * the tight payment cluster around a watchlisted account.
 *
 * Complexity: O(k log k + vol(candidates)) time for k candidates, O(n) memory.
 *
 * Reference: R. Andersen, F. Chung, K. Lang, "Local graph partitioning
 * using PageRank vectors", FOCS 2006, doi:10.1109/FOCS.2006.44.
 */
#include <stdlib.h>
#include <string.h>

#include "algo/score/score_internal.h"
#include "core/alloc.h"
#include "core/error.h"
#include "paygraph/score.h"

void pg_sweep_options_init(pg_sweep_options *opts)
{
    memset(opts, 0, sizeof(*opts));
    opts->min_size = 1;
    opts->max_size = 0;
    opts->weighted = 1;
}

typedef struct cand {
    double key; /* p(v) / d(v) */
    uint32_t v;
} cand;

static int cand_cmp(const void *a, const void *b)
{
    const cand *x = a, *y = b;
    if (x->key != y->key) {
        return x->key > y->key ? -1 : 1;
    }
    return (x->v > y->v) - (x->v < y->v);
}

static double total_volume(const pg_csr *g, int weighted)
{
    if (!weighted) {
        return (double)g->m;
    }
    double s = 0.0;
    for (int64_t e = 0; e < g->m; e++) {
        s += g->weights[e];
    }
    return s;
}

/* Conductance of a prefix with the given volume and cut; 2 when undefined. */
static double phi(double cut, double vol, double vol_total)
{
    double denom = vol < vol_total - vol ? vol : vol_total - vol;
    if (denom <= 0.0) {
        return 2.0;
    }
    return (cut > 0.0 ? cut : 0.0) / denom;
}

/* Scan the sorted candidates; returns the best prefix length (0: none). */
static uint32_t scan(double *best_phi, const cand *c, uint32_t k, uint8_t *in, const pg_csr *g,
                     int weighted, const pg_sweep_options *o)
{
    double vol_total = total_volume(g, weighted), vol = 0.0, cut = 0.0;
    uint32_t best = 0, lim = (o->max_size && o->max_size < k) ? o->max_size : k;
    *best_phi = 1.0;
    double best_val = 2.0;
    for (uint32_t i = 0; i < lim; i++) {
        uint32_t v = c[i].v;
        double inside = 0.0, loop = 0.0, dv = 0.0;
        for (int64_t e = g->offsets[v]; e < g->offsets[v + 1]; e++) {
            double w = weighted ? g->weights[e] : 1.0;
            uint32_t t = g->targets[e];
            dv += w;
            loop += (t == v) ? w : 0.0;
            inside += (t != v && in[t]) ? w : 0.0;
        }
        in[v] = 1;
        vol += dv;
        cut += dv - loop - 2.0 * inside;
        double f = phi(cut, vol, vol_total);
        if (i + 1 >= o->min_size && f < best_val) {
            best_val = f;
            best = i + 1;
        }
    }
    if (best) {
        *best_phi = best_val;
    }
    return best;
}

int pg_sweep_cut(uint32_t **members, uint32_t *count, double *conductance, const pg_csr *g,
                 const double *p, const pg_sweep_options *opts)
{
    if (!members || !count || !conductance || !g || !p || !opts) {
        return pg_error_set(PG_EINVAL, "sweep: NULL argument");
    }
    *members = NULL;
    *count = 0;
    *conductance = 1.0;
    int weighted = opts->weighted && g->weights;
    uint32_t n = g->n, k = 0;
    cand *c = pg_malloc_array(n ? n : 1, sizeof(cand));
    uint8_t *in = pg_calloc(n ? n : 1, 1);
    int err = PG_OK;
    if (!c || !in) {
        err = pg_error_oom("sweep candidates", (size_t)n * (sizeof(cand) + 1));
        goto done;
    }
    for (uint32_t v = 0; v < n; v++) {
        double d = pg_score__degree(g, v, weighted);
        if (p[v] > 0.0 && d > 0.0) {
            c[k].key = p[v] / d;
            c[k++].v = v;
        }
    }
    qsort(c, k, sizeof(cand), cand_cmp);
    double best_phi;
    uint32_t best = scan(&best_phi, c, k, in, g, weighted, opts);
    if (best == 0) {
        goto done;
    }
    uint32_t *set = pg_malloc_array(best, sizeof(uint32_t));
    if (!set) {
        err = pg_error_oom("sweep result", (size_t)best * sizeof(uint32_t));
        goto done;
    }
    for (uint32_t i = 0; i < best; i++) {
        set[i] = c[i].v;
    }
    *members = set;
    *count = best;
    *conductance = best_phi;
done:
    pg_free(c);
    pg_free(in);
    return err;
}

int pg_conductance(double *out, const pg_csr *g, const uint32_t *set, uint32_t count, int weighted)
{
    weighted = weighted && g->weights;
    uint8_t *in = pg_calloc(g->n ? g->n : 1, 1);
    if (!in) {
        return pg_error_oom("conductance", g->n);
    }
    int err = PG_OK;
    for (uint32_t i = 0; i < count; i++) {
        if (set[i] >= g->n || in[set[i]]) {
            err =
                pg_error_set(PG_EINVAL, "conductance: vertex %u repeated or out of range", set[i]);
            goto done;
        }
        in[set[i]] = 1;
    }
    double vol = 0.0, cut = 0.0;
    for (uint32_t i = 0; i < count; i++) {
        for (int64_t e = g->offsets[set[i]]; e < g->offsets[set[i] + 1]; e++) {
            double w = weighted ? g->weights[e] : 1.0;
            vol += w;
            cut += in[g->targets[e]] ? 0.0 : w;
        }
    }
    double f = phi(cut, vol, total_volume(g, weighted));
    *out = f > 1.0 ? 1.0 : f;
done:
    pg_free(in);
    return err;
}
