/*
 * Scatter-gather and cycle typologies (AMLworld, Altman et al., NeurIPS 2023
 * Datasets & Benchmarks, arXiv:2306.16424).
 *
 * What: a scatter-gather is a source paying min_flow new intermediates, each
 * of which pays the same sink (a first contact too) after receiving, within a
 * window; a cycle is a time-respecting loop of 3..max_cycle fresh
 * transactions that returns to its start within a window.
 *
 * Approach: scatter-gather expands every fresh payment u -> i by i's
 * fresh payments in the following window, sorts the two-hop steps by
 * (sink, scatter time) and cuts each sink's steps into windows. Cycles: a
 * depth-first search from each vertex s over fresh transactions with
 * non-decreasing times; each hop after the first must come later than the
 * first in (time, transaction index) order, so each cycle is found once,
 * from its earliest transaction. Bounded by max_cycle hops, the window and
 * cycle_budget expansions per start vertex. A general temporal-cycle kernel lives elsewhere;
 * this one is private to the typologies and only sees first contacts.
 *
 * Complexity: scatter-gather O(sum over first contacts u -> i of i's
 * first contacts in a window, times log); cycles at most cycle_budget
 * expansions per start vertex.
 */
#include "algo/rings/typology.h"

#include <stdlib.h>

#include "core/alloc.h"
#include "core/error.h"

static int cmp_hop(const void *pa, const void *pb)
{
    const pg_ty_hop *a = pa, *b = pb;
    if (a->sink != b->sink) {
        return a->sink < b->sink ? -1 : 1;
    }
    if (a->t != b->t) {
        return a->t < b->t ? -1 : 1;
    }
    return (a->a > b->a) - (a->a < b->a);
}

/* Two-hop fresh steps u -> i -> sink, the second within a window of the first. */
static int collect_hops(const pg_ty_ctx *c, pg_ty_scratch *s, uint32_t u, size_t *n_hops)
{
    const pg_tview *tv = c->tv;
    size_t n = 0;
    for (int64_t p = tv->out->offsets[u]; p < tv->out->offsets[u + 1]; p++) {
        uint32_t a = tv->out->txn[p], i = tv->dst[a];
        int64_t t = tv->ts[a];
        for (int64_t q = pg_paths__first_at(tv->out, tv->ts, i, t);
             q < tv->out->offsets[i + 1] && tv->ts[tv->out->txn[q]] <= t + c->o->window; q++) {
            uint32_t b = tv->out->txn[q], sink = tv->dst[b];
            if (sink == u || sink == i) {
                continue;
            }
            int err = pg_ty__push_hop(s, &n, (pg_ty_hop){sink, i, a, b, t});
            if (err < 0) {
                return err;
            }
        }
    }
    *n_hops = n;
    return 0;
}

/* Emit one scatter-gather from hops[lo..hi) (one sink, distinct intermediates). */
static int push_sg(pg_candidates *out, pg_ty_scratch *s, uint32_t u, size_t lo, size_t hi)
{
    size_t k = hi - lo;
    if (pg_grow((void **)&s->verts, &s->verts_cap, k + 2, sizeof(uint32_t)) < 0 ||
        pg_grow((void **)&s->txn, &s->txn_cap, 2 * k, sizeof(uint32_t)) < 0) {
        return pg_error_oom("typology scatter-gather", k * 16);
    }
    s->verts[0] = u;
    s->verts[1] = s->hops[lo].sink;
    for (size_t j = 0; j < k; j++) {
        const pg_ty_hop *h = &s->hops[lo + j];
        s->verts[j + 2] = h->mid;
        s->txn[2 * j] = h->a;
        s->txn[2 * j + 1] = h->b;
    }
    /* k intermediates converging on one new sink within a window: rare by chance */
    double strength = pg_ty__unusual((double)k + 1.0);
    return pg_candidates_push(out, "typology", "scatter-gather", strength, s->verts,
                              (uint32_t)(k + 2), s->txn, (uint32_t)(2 * k));
}

static int scatter_gather(pg_candidates *out, const pg_ty_ctx *c, pg_ty_scratch *s, uint32_t u)
{
    size_t n = 0;
    int err = collect_hops(c, s, u, &n);
    if (err < 0 || n < c->o->min_flow) {
        return err;
    }
    qsort(s->hops, n, sizeof(pg_ty_hop), cmp_hop);
    for (size_t i = 0; i < n && err == 0;) {
        size_t j = i;
        while (j < n && s->hops[j].sink == s->hops[i].sink &&
               s->hops[j].t - s->hops[i].t <= c->o->window) {
            j++;
        }
        if (j - i >= c->o->min_flow) {
            err = push_sg(out, s, u, i, j);
            i = j;
        } else {
            i++;
        }
    }
    return err;
}

/* Depth-first cycle search state. */
typedef struct cyc {
    const pg_ty_ctx *c;
    pg_ty_scratch *s;
    pg_candidates *out;
    uint32_t start;
    uint32_t first; /* the cycle's first transaction */
    int64_t t_end;
    uint32_t budget;
    uint32_t depth;
    int err;
} cyc;

static int on_path(const cyc *y, uint32_t v)
{
    for (uint32_t i = 0; i < y->depth; i++) {
        if (y->s->verts[i] == v) {
            return 1;
        }
    }
    return 0;
}

static void dfs(cyc *y, uint32_t v, int64_t t)
{
    const pg_tview *tv = y->c->tv;
    for (int64_t p = pg_paths__first_at(tv->out, tv->ts, v, t);
         p < tv->out->offsets[v + 1] && tv->ts[tv->out->txn[p]] <= y->t_end && y->err == 0 &&
         y->budget > 0;
         p++) {
        uint32_t x = tv->out->txn[p], w = tv->dst[x];
        /* every later hop comes after the first in (time, index) order */
        int before = tv->ts[x] == tv->ts[y->first] && x <= y->first;
        if (before) {
            continue;
        }
        y->budget--;
        y->s->txn[y->depth - 1] = x;
        if (w == y->start) {
            if (y->depth >= 3) {
                y->err = pg_candidates_push(y->out, "typology", "cycle",
                                            pg_ty__unusual((double)y->depth + 1.0), y->s->verts,
                                            y->depth, y->s->txn, y->depth);
            }
            continue;
        }
        if (y->depth < y->c->o->max_cycle && !on_path(y, w)) {
            y->s->verts[y->depth++] = w;
            dfs(y, w, tv->ts[x]);
            y->depth--;
        }
    }
}

static int cycles(pg_candidates *out, const pg_ty_ctx *c, pg_ty_scratch *s, uint32_t v)
{
    const pg_tview *tv = c->tv;
    size_t h = c->o->max_cycle + 1;
    if (pg_grow((void **)&s->verts, &s->verts_cap, h, sizeof(uint32_t)) < 0 ||
        pg_grow((void **)&s->txn, &s->txn_cap, h, sizeof(uint32_t)) < 0) {
        return pg_error_oom("typology cycle path", h * 8);
    }
    cyc y = {c, s, out, v, 0, 0, c->o->cycle_budget, 1, 0};
    s->verts[0] = v;
    /* each fresh payment out of v starts its own window */
    for (int64_t p = tv->out->offsets[v]; p < tv->out->offsets[v + 1] && y.err == 0; p++) {
        uint32_t x = tv->out->txn[p], w = tv->dst[x];
        if (w == v || y.budget == 0) {
            continue;
        }
        y.first = x;
        y.t_end = tv->ts[x] + c->o->window;
        s->txn[0] = x;
        s->verts[1] = w;
        y.depth = 2;
        dfs(&y, w, tv->ts[x]);
    }
    return y.err;
}

int pg_ty__flows(pg_candidates *out, const pg_ty_ctx *c, pg_ty_scratch *s, uint32_t v)
{
    int err = scatter_gather(out, c, s, v);
    if (err == 0) {
        err = cycles(out, c, s, v);
    }
    return err;
}
