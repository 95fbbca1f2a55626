/*
 * Rings as communities of the suspicious-payment graph.
 *
 * Ordinary hubs (merchants, employers, billers) glue a payment graph into a
 * few giant communities, so plain modularity communities say little about
 * rings. Here only person-to-person payments at least PG_SUSPICIOUS
 * suspicious are kept, each weighted by its suspicion, and the Constant
 * Potts Model (Traag, Van Dooren & Nesterov 2011, doi:10.1103/PhysRevE.84.016114)
 * finds groups whose internal suspicious weight beats a fixed density, with
 * no resolution limit: a ring of five is found as readily in a million
 * accounts as in a thousand. Leiden (Traag, Waltman & van Eck 2019) keeps
 * every community connected.
 */
#include <string.h>

#include "algo/rings/detectors.h"
#include "core/alloc.h"
#include "core/error.h"
#include "paygraph/community.h"

/*
 * CPM resolution: the suspicious weight a community needs per pair of
 * members. Lower finds looser groups (more candidates, more noise); higher
 * only tight cliques.
 */
#define CPM_RESOLUTION 0.5
/* Fewest vertices and paying vertices of a candidate community. */
#define MIN_SIZE 3
#define MIN_PAYERS 2

static int suspicious_edges(const pg_ring_ctx *c, uint32_t **src, uint32_t **dst, double **w,
                            int64_t *m)
{
    const uint32_t *v = c->g->vertex_of_account;
    int64_t n = 0;
    for (int64_t i = 0; i < c->t.n; i++) {
        n += c->susp[i] >= PG_SUSPICIOUS && (c->bits[i] & PG_IND_P2P) &&
             v[c->t.src[i]] != v[c->t.dst[i]];
    }
    *src = pg_malloc_array((size_t)n + 1, sizeof(uint32_t));
    *dst = pg_malloc_array((size_t)n + 1, sizeof(uint32_t));
    *w = pg_malloc_array((size_t)n + 1, sizeof(double));
    if (!*src || !*dst || !*w) {
        return pg_error_oom("suspicious edges", (size_t)n * 16);
    }
    int64_t k = 0;
    for (int64_t i = 0; i < c->t.n; i++) {
        if (c->susp[i] >= PG_SUSPICIOUS && (c->bits[i] & PG_IND_P2P) &&
            v[c->t.src[i]] != v[c->t.dst[i]]) {
            (*src)[k] = v[c->t.src[i]];
            (*dst)[k] = v[c->t.dst[i]];
            (*w)[k++] = c->susp[i];
        }
    }
    *m = n;
    return 0;
}

/* Emit communities with enough members and payers, with their internal suspicious payments. */
static int emit(const pg_ring_ctx *c, const uint32_t *memb, uint32_t count, pg_candidates *out)
{
    const uint32_t *v = c->g->vertex_of_account;
    uint32_t *size = pg_calloc((size_t)count + 1, sizeof(*size));
    int64_t *off = pg_calloc((size_t)count + 2, sizeof(*off));
    uint32_t *txn = NULL, *verts = pg_malloc_array((size_t)c->g->n + 1, sizeof(*verts));
    int64_t total = 0;
    int err = size && off && verts ? 0 : pg_error_oom("community candidates", (size_t)count * 12);
    for (uint32_t x = 0; !err && x < c->g->n; x++) {
        size[memb[x]]++;
    }
    /* internal suspicious payments per community (counting sort by community) */
    for (int64_t i = 0; !err && i < c->t.n; i++) {
        uint32_t a = v[c->t.src[i]], b = v[c->t.dst[i]];
        if (c->susp[i] >= PG_SUSPICIOUS && (c->bits[i] & PG_IND_P2P) && a != b &&
            memb[a] == memb[b]) {
            off[memb[a] + 1]++;
            total++;
        }
    }
    if (!err && !(txn = pg_malloc_array((size_t)total + 1, sizeof(*txn)))) {
        err = pg_error_oom("community candidates", (size_t)total * 4);
    }
    for (uint32_t k = 0; !err && k < count; k++) {
        off[k + 1] += off[k];
    }
    for (int64_t i = 0; !err && i < c->t.n; i++) {
        uint32_t a = v[c->t.src[i]], b = v[c->t.dst[i]];
        if (c->susp[i] >= PG_SUSPICIOUS && (c->bits[i] & PG_IND_P2P) && a != b &&
            memb[a] == memb[b]) {
            txn[off[memb[a]]++] = (uint32_t)i;
        }
    }
    for (uint32_t k = 0; !err && k < count; k++) {
        int64_t lo = k ? off[k - 1] : 0, hi = off[k];
        if (size[k] < MIN_SIZE || hi - lo < MIN_SIZE) {
            continue;
        }
        uint32_t nv = 0, payers = 0;
        double weight = 0;
        for (int64_t e = lo; e < hi; e++) {
            verts[nv++] = v[c->t.src[txn[e]]];
            verts[nv++] = v[c->t.dst[txn[e]]];
            weight += c->susp[txn[e]];
        }
        /* distinct paying vertices */
        for (int64_t e = lo; e < hi; e++) {
            int seen = 0;
            for (int64_t f = lo; f < e && !seen; f++) {
                seen = v[c->t.src[txn[f]]] == v[c->t.src[txn[e]]];
            }
            payers += !seen;
        }
        if (payers < MIN_PAYERS) {
            continue;
        }
        double pairs = (double)size[k] * (size[k] - 1) / 2.0;
        double density = weight / pairs;
        double strength = density / (density + 1.0);
        err = pg_candidates_push(out, "suspicious-community", "offender-payments", strength, verts,
                                 nv, txn + lo, (uint32_t)(hi - lo));
    }
    pg_free(size);
    pg_free(off);
    pg_free(txn);
    pg_free(verts);
    return err;
}

int pg_ring__community_candidates(const pg_ring_ctx *c, pg_candidates *out)
{
    uint32_t *src = NULL, *dst = NULL, *memb = NULL;
    double *w = NULL;
    int64_t m = 0;
    pg_csr g;
    memset(&g, 0, sizeof(g));
    int err = suspicious_edges(c, &src, &dst, &w, &m);
    if (!err) {
        err = pg_csr_from_edges(&g, c->g->n, m, src, dst, w, 1, c->threads);
    }
    pg_free(src);
    pg_free(dst);
    pg_free(w);
    if (!err && !(memb = pg_malloc_array((size_t)c->g->n + 1, sizeof(*memb)))) {
        err = pg_error_oom("suspicious communities", (size_t)c->g->n * 4);
    }
    pg_community_result res;
    if (!err) {
        pg_community_options co;
        pg_community_options_init(&co);
        co.objective = PG_OBJECTIVE_CPM;
        co.resolution = CPM_RESOLUTION;
        co.seed = c->o->seed;
        co.threads = c->threads;
        err = pg_communities(memb, &res, &g, &co);
    }
    if (!err) {
        err = emit(c, memb, res.count, out);
    }
    pg_free(memb);
    pg_csr_free(&g);
    return err;
}
