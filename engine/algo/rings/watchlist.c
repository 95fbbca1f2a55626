/*
 * The watchlist as a starting point. Risk propagates from listed accounts by
 * personalized PageRank over the payment graph (Jeh & Widom 2003,
 * doi:10.1145/775152.775191): an account close to many listed accounts, by
 * many heavy paths, scores high. Around each listed account, a local ring is
 * cut out of the suspicious-payment graph by approximate PPR and a sweep of
 * minimum conductance (Andersen, Chung & Lang 2006,
 * doi:10.1109/FOCS.2006.44). Listed accounts without suspicious payments
 * (the false leads of a real watchlist) yield no local ring.
 */
#include <stdlib.h>
#include <string.h>

#include "algo/rings/detectors.h"
#include "core/alloc.h"
#include "core/error.h"
#include "paygraph/score.h"

/*
 * PPR value that counts as full proximity: the 99th percentile of the
 * non-source values, so that the closest 1% of the graph reads as "near".
 */
#define PPR_NEAR_QUANTILE 0.99
/* Largest local ring cut around one listed account. */
#define LOCAL_MAX 60

static int cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

static int listed_vertices(const pg_ring_ctx *c, uint32_t **v, uint32_t *n)
{
    uint32_t nw;
    const uint32_t *w = pg_pool_watchlist(c->p, &nw);
    *v = pg_malloc_array((size_t)nw + 1, sizeof(uint32_t));
    if (!*v) {
        return pg_error_oom("watchlist vertices", (size_t)nw * 4);
    }
    for (uint32_t i = 0; i < nw; i++) {
        (*v)[i] = c->g->vertex_of_account[w[i]];
    }
    *n = nw;
    return 0;
}

int pg_ring__watchlist_ppr(pg_ring_ctx *c, pg_rings *r)
{
    uint32_t *src = NULL, n_src = 0;
    if (!c->o->use_watchlist) {
        return 0;
    }
    int err = listed_vertices(c, &src, &n_src);
    if (err || n_src == 0) {
        pg_free(src);
        return err;
    }
    const pg_graph *g = c->g;
    double *p = pg_malloc_array((size_t)g->n + 1, sizeof(double));
    double *sorted = pg_malloc_array((size_t)g->n + 1, sizeof(double));
    r->ppr = pg_calloc((size_t)g->n_accounts + 1, sizeof(double));
    if (!p || !sorted || !r->ppr) {
        err = pg_error_oom("personalized PageRank", (size_t)g->n * 16);
    }
    pg_ppr_options o;
    pg_ppr_options_init(&o);
    o.threads = c->threads;
    o.tol = 1e-9;
    if (!err) {
        err = pg_ppr(p, &g->undirected, NULL, src, NULL, n_src, &o);
    }
    if (!err) {
        memcpy(sorted, p, (size_t)g->n * sizeof(double));
        for (uint32_t i = 0; i < n_src; i++) {
            sorted[src[i]] = 0; /* the sources themselves do not set the scale */
        }
        qsort(sorted, g->n, sizeof(double), cmp_double);
        c->ppr_scale = g->n ? sorted[(size_t)((double)(g->n - 1) * PPR_NEAR_QUANTILE)] : 0;
        for (uint32_t a = 0; a < g->n_accounts; a++) {
            r->ppr[a] = p[g->vertex_of_account[a]];
        }
    }
    pg_free(src);
    pg_free(p);
    pg_free(sorted);
    return err;
}

int pg_ring__watchlist_candidates(const pg_ring_ctx *c, pg_candidates *out)
{
    uint32_t *src = NULL, n_src = 0;
    if (!c->o->use_watchlist) {
        return 0;
    }
    int err = listed_vertices(c, &src, &n_src);
    pg_csr sg;
    memset(&sg, 0, sizeof(sg));
    double *p = NULL;
    if (!err && n_src) {
        err = pg_ring__suspicious_graph(c, &sg);
    }
    if (!err && n_src && !(p = pg_malloc_array((size_t)c->g->n + 1, sizeof(double)))) {
        err = pg_error_oom("local rings", (size_t)c->g->n * 8);
    }
    for (uint32_t i = 0; !err && i < n_src; i++) {
        uint32_t s = src[i];
        if (sg.offsets[s + 1] == sg.offsets[s]) {
            continue; /* no suspicious payment: nothing to cut around */
        }
        pg_ppr_push_options po;
        pg_ppr_push_options_init(&po);
        pg_sweep_options so;
        pg_sweep_options_init(&so);
        so.min_size = 3;
        so.max_size = LOCAL_MAX;
        uint32_t *members = NULL, count = 0;
        double phi = 1;
        err = pg_ppr_push(p, &sg, s, &po);
        if (!err) {
            err = pg_sweep_cut(&members, &count, &phi, &sg, p, &so);
        }
        if (!err && count >= 3) {
            err = pg_candidates_push(out, "watchlist-ppr", "offender-payments", 1.0 - phi, members,
                                     count, NULL, 0);
            if (!err && out->n) {
                out->c[out->n - 1].corroborate_only = 1;
            }
        }
        pg_free(members);
    }
    pg_free(p);
    pg_free(src);
    pg_csr_free(&sg);
    return err;
}
