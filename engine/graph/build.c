/*
 * Graph views of a pool (DESIGN.md §3): temporal out/in adjacency over
 * individual transactions, aggregated directed edges, and the undirected
 * weighted projection used by community detection.
 *
 * Every view is built by counting sorts and per-vertex sorts whose order is
 * fixed by (key, transaction index), and every floating-point sum runs in
 * that order, so the views are bit-identical for any thread count.
 */
#include <math.h>
#include <string.h>

#include "core/alloc.h"
#include "core/error.h"
#include "core/par.h"
#include "core/sort.h"
#include "graph/entity.h"
#include "graph/pool_internal.h"
#include "paygraph/graph.h"

void pg_graph_options_init(pg_graph_options *o)
{
    memset(o, 0, sizeof(*o));
    o->level = PG_LEVEL_ACCOUNT;
    o->weight = PG_WEIGHT_COUNT;
}

static void agg_free(pg_agg *a)
{
    pg_free(a->offsets);
    pg_free(a->dst);
    pg_free(a->count);
    pg_free(a->amount);
    pg_free(a->first_ts);
    pg_free(a->last_ts);
    memset(a, 0, sizeof(*a));
}

void pg_graph_free(pg_graph *g)
{
    if (!g) {
        return;
    }
    pg_free(g->vertex_of_account);
    pg_free(g->account_rep);
    pg_free(g->txn_src);
    pg_free(g->txn_dst);
    pg_tadj_free(&g->out);
    pg_tadj_free(&g->in);
    agg_free(&g->agg);
    pg_csr_free(&g->undirected);
    memset(g, 0, sizeof(*g));
}

static int map_vertices(pg_graph *g, const pg_pool *p, int threads)
{
    (void)threads; /* used only by OpenMP pragmas */
    int err;
    g->n_accounts = p->n_accounts;
    g->vertex_of_account = pg_malloc_array(p->n_accounts ? p->n_accounts : 1, sizeof(uint32_t));
    if (!g->vertex_of_account) {
        return pg_error_oom("vertex map", (size_t)p->n_accounts * 4);
    }
    if (g->level == PG_LEVEL_ACCOUNT) {
        for (uint32_t a = 0; a < p->n_accounts; a++) {
            g->vertex_of_account[a] = a;
        }
        g->n = p->n_accounts;
    } else {
        if ((err = pg_entity_vertices(g->vertex_of_account, &g->n, p->n_accounts, p->acct_entity,
                                      p->entities.count, p->link_acct, p->link_entity,
                                      p->n_links)) < 0) {
            return err;
        }
        g->txn_src = pg_malloc_array((size_t)(p->n ? p->n : 1), sizeof(uint32_t));
        g->txn_dst = pg_malloc_array((size_t)(p->n ? p->n : 1), sizeof(uint32_t));
        if (!g->txn_src || !g->txn_dst) {
            return pg_error_oom("per-transaction vertices", (size_t)p->n * 8);
        }
#pragma omp parallel for num_threads(threads) schedule(static)
        for (int64_t i = 0; i < p->n; i++) {
            g->txn_src[i] = g->vertex_of_account[p->src[i]];
            g->txn_dst[i] = g->vertex_of_account[p->dst[i]];
        }
    }
    g->account_rep = pg_malloc_array(g->n ? g->n : 1, sizeof(uint32_t));
    if (!g->account_rep) {
        return pg_error_oom("vertex representatives", (size_t)g->n * 4);
    }
    for (uint32_t v = 0; v < g->n; v++) {
        g->account_rep[v] = UINT32_MAX;
    }
    for (uint32_t a = 0; a < p->n_accounts; a++) {
        uint32_t v = g->vertex_of_account[a];
        if (g->account_rep[v] == UINT32_MAX) {
            g->account_rep[v] = a;
        }
    }
    return 0;
}

/* Weight contributed by one transaction to its projection edge. */
static double txn_weight(pg_weight kind, int64_t amount_rep, double unit)
{
    switch (kind) {
    case PG_WEIGHT_AMOUNT:
        return (double)amount_rep / unit;
    case PG_WEIGHT_LOG_AMOUNT:
        return log1p((double)amount_rep / unit);
    default:
        return 1.0;
    }
}

/* Sort key of a transaction index: (destination vertex, index). */
static uint64_t dst_key(const void *dstv, uint32_t t)
{
    return (uint64_t)((const uint32_t *)dstv)[t] << 32 | t;
}

typedef struct agg_ctx {
    pg_graph *g;
    const pg_pool *p;
    const uint32_t *dstv; /* per transaction destination vertex */
    pg_weight weight;
    double unit; /* minor units per major unit of the reporting currency */
    double *w;   /* per aggregated edge projection weight (fill pass) */
    int threads;
    int64_t maxdeg;
} agg_ctx;

/* Distinct destinations of u (count pass) or fill u's aggregated edges (fill pass). */
static int64_t aggregate_vertex(const agg_ctx *c, uint32_t u, uint32_t *buf, uint32_t *tmp,
                                int fill)
{
    const pg_tadj *out = &c->g->out;
    pg_agg *a = &c->g->agg;
    int64_t lo = out->offsets[u], len = out->offsets[u + 1] - lo;
    memcpy(buf, out->txn + lo, (size_t)len * sizeof(*buf));
    pg_sort__u32_by_key(buf, len, tmp, dst_key, c->dstv);
    int64_t e = fill ? a->offsets[u] - 1 : -1, distinct = 0;
    for (int64_t i = 0; i < len; i++) {
        uint32_t t = buf[i];
        int is_new = i == 0 || c->dstv[t] != c->dstv[buf[i - 1]];
        distinct += is_new;
        if (!fill) {
            continue;
        }
        int64_t ts = c->p->ts[t], amt = c->p->amount_rep[t];
        if (is_new) {
            e++;
            a->dst[e] = c->dstv[t];
            a->count[e] = 0;
            a->amount[e] = 0;
            a->first_ts[e] = ts;
            a->last_ts[e] = ts;
            c->w[e] = 0.0;
        }
        a->count[e]++;
        a->amount[e] += amt;
        a->first_ts[e] = ts < a->first_ts[e] ? ts : a->first_ts[e];
        a->last_ts[e] = ts > a->last_ts[e] ? ts : a->last_ts[e];
        c->w[e] += txn_weight(c->weight, amt, c->unit);
    }
    return distinct;
}

static int aggregate_pass(agg_ctx *c, int fill)
{
    pg_graph *g = c->g;
    size_t room = (size_t)(c->maxdeg ? c->maxdeg : 1);
    uint32_t *bufs = pg_malloc_array((size_t)c->threads * room * 2, sizeof(uint32_t));
    if (!bufs) {
        return pg_error_oom("aggregation buffers", (size_t)c->threads * room * 8);
    }
#pragma omp parallel for num_threads(c->threads) schedule(dynamic, 512)
    for (int64_t u = 0; u < (int64_t)g->n; u++) {
        uint32_t *buf = bufs + (size_t)pg_par_thread_id() * room * 2;
        int64_t d = aggregate_vertex(c, (uint32_t)u, buf, buf + room, fill);
        if (!fill) {
            g->agg.offsets[u + 1] = d;
        }
    }
    pg_free(bufs);
    return 0;
}

static int build_agg(agg_ctx *c)
{
    pg_graph *g = c->g;
    pg_agg *a = &g->agg;
    int err;
    a->n = g->n;
    a->offsets = pg_calloc((size_t)g->n + 1, sizeof(*a->offsets));
    if (!a->offsets) {
        return pg_error_oom("aggregated offsets", (size_t)g->n * 8);
    }
    for (uint32_t u = 0; u < g->n; u++) {
        int64_t d = g->out.offsets[u + 1] - g->out.offsets[u];
        c->maxdeg = d > c->maxdeg ? d : c->maxdeg;
    }
    if ((err = aggregate_pass(c, 0)) < 0) {
        return err;
    }
    for (uint32_t u = 0; u < g->n; u++) {
        a->offsets[u + 1] += a->offsets[u];
    }
    a->m = a->offsets[g->n];
    size_t m = (size_t)(a->m ? a->m : 1);
    a->dst = pg_malloc_array(m, sizeof(*a->dst));
    a->count = pg_malloc_array(m, sizeof(*a->count));
    a->amount = pg_malloc_array(m, sizeof(*a->amount));
    a->first_ts = pg_malloc_array(m, sizeof(*a->first_ts));
    a->last_ts = pg_malloc_array(m, sizeof(*a->last_ts));
    c->w = pg_malloc_array(m, sizeof(*c->w));
    if (!a->dst || !a->count || !a->amount || !a->first_ts || !a->last_ts || !c->w) {
        return pg_error_oom("aggregated edges", m * 40);
    }
    return aggregate_pass(c, 1);
}

/* Sum adjacent duplicate targets of each row (rows are sorted by target). */
static int merge_duplicates(pg_csr *out, const pg_csr *in)
{
    int err;
    int64_t m = 0;
    for (uint32_t v = 0; v < in->n; v++) {
        for (int64_t k = in->offsets[v]; k < in->offsets[v + 1]; k++) {
            m += k == in->offsets[v] || in->targets[k] != in->targets[k - 1];
        }
    }
    if ((err = pg_csr_alloc(out, in->n, m, 1)) < 0) {
        return err;
    }
    int64_t e = -1;
    for (uint32_t v = 0; v < in->n; v++) {
        for (int64_t k = in->offsets[v]; k < in->offsets[v + 1]; k++) {
            if (k == in->offsets[v] || in->targets[k] != in->targets[k - 1]) {
                e++;
                out->targets[e] = in->targets[k];
                out->weights[e] = 0.0;
            }
            out->weights[e] += in->weights[k];
        }
        out->offsets[v + 1] = e + 1;
    }
    return 0;
}

/* Undirected projection: u->v and v->u merged into one weighted edge; self-loops dropped. */
static int build_projection(agg_ctx *c)
{
    pg_graph *g = c->g;
    const pg_agg *a = &g->agg;
    int64_t m = 0;
    for (uint32_t u = 0; u < g->n; u++) {
        for (int64_t e = a->offsets[u]; e < a->offsets[u + 1]; e++) {
            m += a->dst[e] != u;
        }
    }
    uint32_t *src = pg_malloc_array((size_t)(m ? m : 1), sizeof(*src));
    uint32_t *dst = pg_malloc_array((size_t)(m ? m : 1), sizeof(*dst));
    double *w = pg_malloc_array((size_t)(m ? m : 1), sizeof(*w));
    int err = 0;
    if (!src || !dst || !w) {
        err = pg_error_oom("projection edge list", (size_t)m * 16);
    } else {
        int64_t k = 0;
        for (uint32_t u = 0; u < g->n; u++) {
            for (int64_t e = a->offsets[u]; e < a->offsets[u + 1]; e++) {
                uint32_t v = a->dst[e];
                if (v != u) {
                    src[k] = u < v ? u : v;
                    dst[k] = u < v ? v : u;
                    w[k++] = c->w[e];
                }
            }
        }
        pg_csr raw;
        err = pg_csr_from_edges(&raw, g->n, m, src, dst, w, 1, c->threads);
        if (!err) {
            err = merge_duplicates(&g->undirected, &raw);
            pg_csr_free(&raw);
        }
    }
    pg_free(src);
    pg_free(dst);
    pg_free(w);
    return err;
}

int pg_graph_build(pg_graph *g, const pg_pool *p, const pg_graph_options *o)
{
    int threads = pg_threads_resolve(o->threads);
    int err;
    memset(g, 0, sizeof(*g));
    g->level = o->level;
    if ((err = map_vertices(g, p, threads)) < 0) {
        goto fail;
    }
    const uint32_t *srcv = g->txn_src ? g->txn_src : p->src;
    const uint32_t *dstv = g->txn_dst ? g->txn_dst : p->dst;
    if ((err = pg_tadj_build(&g->out, g->n, p->n, srcv, p->ts, threads)) < 0 ||
        (err = pg_tadj_build(&g->in, g->n, p->n, dstv, p->ts, threads)) < 0) {
        goto fail;
    }
    int scale = 0;
    for (uint32_t c = 0; c < p->currencies.count; c++) {
        if (!strcmp(pg_intern_str(&p->currencies, c), p->reporting_currency)) {
            scale = p->currency_scale[c];
        }
    }
    agg_ctx c = {.g = g,
                 .p = p,
                 .dstv = dstv,
                 .weight = o->weight,
                 .unit = pow(10.0, scale),
                 .threads = threads};
    err = build_agg(&c);
    if (!err) {
        err = build_projection(&c);
    }
    pg_free(c.w);
    if (err) {
        goto fail;
    }
    return 0;
fail:
    pg_graph_free(g);
    return err;
}

void pg_graph_tview(const pg_graph *g, const pg_pool *p, pg_tview *out)
{
    out->n = g->n;
    out->m = p->n;
    out->src = g->txn_src ? g->txn_src : p->src;
    out->dst = g->txn_dst ? g->txn_dst : p->dst;
    out->ts = p->ts;
    out->amount = p->amount_rep;
    out->out = &g->out;
    out->in = &g->in;
}

size_t pg_graph_memory(const pg_graph *g)
{
    size_t b = (size_t)g->n_accounts * 4 + (size_t)g->n * 4;
    if (g->txn_src) {
        b += (size_t)g->out.m * 8;
    }
    b += ((size_t)g->n + 1) * 8 * 3 + (size_t)g->out.m * 4 + (size_t)g->in.m * 4;
    b += (size_t)g->agg.m * (4 + 4 + 8 + 8 + 8);
    b += (size_t)g->undirected.m * (4 + 8);
    return b;
}
