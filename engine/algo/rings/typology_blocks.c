/*
 * Bipartite and stack typologies (AMLworld, Altman et al., NeurIPS 2023
 * Datasets & Benchmarks, arXiv:2306.16424).
 *
 * What: a bipartite is a set of at least min_flow sources each paying
 * (fresh contacts, within a window) at least two of a common set of at least
 * min_flow sinks; a stack is a bipartite whose sinks in turn pay a common
 * set of fresh counterparties within a window after, the two layers chained
 * (the stack is reported besides its first layer's bipartite).
 *
 * Approach: from an anchor source u, each fresh payment u -> d is expanded
 * by d's other fresh payers within a window of it (co-payers); co-payers
 * sharing at least two sinks with u form the sources, the sinks reached by
 * at least two of them, which bring at least half of the sink's fresh payers
 * in the window (so popular payees stay out), the sinks. Each block is reported once, from its
 * smallest source. The stack's second layer is found the same way from the
 * sinks' fresh payments in the window after the first layer.
 *
 * Complexity: per anchor, the fresh payers of its fresh payees within a
 * window (linear, with per-vertex counters), plus a sort of the block's hops.
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
    if (a->mid != b->mid) {
        return a->mid < b->mid ? -1 : 1;
    }
    return (a->b > b->b) - (a->b < b->b);
}

/*
 * Co-payments: (co-payer p, sink d, u's txn a, p's txn b) for every fresh
 * u -> d and fresh p -> d within a window of it, p != u, listed sink by
 * sink, u's own (u, d, a, a) first: the hops into one sink are consecutive.
 */
static int co_payments(const pg_ty_ctx *c, pg_ty_scratch *s, uint32_t u, size_t *n_out)
{
    const pg_tview *tv = c->tv;
    int64_t w = c->o->window;
    size_t n = 0;
    int err = 0;
    for (int64_t p = tv->out->offsets[u]; p < tv->out->offsets[u + 1] && err == 0; p++) {
        uint32_t a = tv->out->txn[p], d = tv->dst[a];
        err = pg_ty__push_hop(s, &n, (pg_ty_hop){u, d, a, a, tv->ts[a]});
        for (int64_t q = pg_paths__first_at(tv->in, tv->ts, d, tv->ts[a] - w);
             err == 0 && q < tv->in->offsets[d + 1] && tv->ts[tv->in->txn[q]] <= tv->ts[a] + w;
             q++) {
            uint32_t b = tv->in->txn[q];
            if (tv->src[b] != u) {
                err = pg_ty__push_hop(s, &n, (pg_ty_hop){tv->src[b], d, a, b, tv->ts[b]});
            }
        }
    }
    *n_out = n;
    return err;
}

/* Per-vertex counters, zero between anchors; allocated once per thread. */
static int per_vertex(pg_ty_scratch *s, size_t nv)
{
    if (s->per_vertex >= nv) {
        return 0;
    }
    pg_free(s->seen);
    pg_free(s->nsinks);
    s->seen = pg_calloc(nv, sizeof(uint32_t));
    s->nsinks = pg_calloc(nv, sizeof(uint32_t));
    s->per_vertex = s->seen && s->nsinks ? nv : 0;
    return s->per_vertex ? 0 : pg_error_oom("typology counters", nv * 8);
}

#define COUNTED 0x80000000u

/*
 * Keep the co-payers sharing >= 2 sinks with u (u itself included); mark
 * kept hops by setting their time to 1 and the others to 0. Returns the
 * number of sources kept, or 0 when a smaller source is among them (the
 * block is reported from there). Counted with per-vertex counters rather
 * than by sorting the hops: a popular payee brings thousands of co-payers.
 */
static uint32_t keep_sources(pg_ty_scratch *s, size_t n, uint32_t u)
{
    for (size_t i = 0; i < n; i++) {
        uint32_t p = s->hops[i].sink, tag = s->hops[i].a + 1; /* u's payment names the sink */
        if (s->seen[p] != tag) {
            s->seen[p] = tag;
            s->nsinks[p]++;
        }
    }
    uint32_t sources = 0;
    int smaller = 0;
    for (size_t i = 0; i < n; i++) {
        uint32_t p = s->hops[i].sink;
        int keep = (s->nsinks[p] & ~COUNTED) >= 2;
        s->hops[i].t = keep;
        smaller |= keep && p < u;
        if (keep && !(s->nsinks[p] & COUNTED)) {
            sources++;
            s->nsinks[p] |= COUNTED;
        }
    }
    for (size_t i = 0; i < n; i++) {
        s->nsinks[s->hops[i].sink] = 0;
    }
    return smaller ? 0 : sources;
}

/*
 * The block's hops: those of kept sources into sinks that at least two kept
 * sources pay and whose fresh payers in the window they bring at least half
 * of. A popular payee (a merchant, a fundraiser) has many other fresh payers
 * and is left out. Moved to the front in (source, sink, txn) order; returns
 * their number.
 */
static size_t block_hops(pg_ty_scratch *s, size_t n)
{
    size_t m = 0;
    for (size_t i = 0; i < n;) {
        size_t j = i;
        uint32_t kept = 0;
        while (j < n && s->hops[j].mid == s->hops[i].mid) {
            kept += s->hops[j++].t != 0;
        }
        if (kept >= 2 && 2 * (size_t)kept >= j - i) {
            for (size_t k = i; k < j; k++) {
                if (s->hops[k].t) {
                    s->hops[m++] = s->hops[k];
                }
            }
        }
        i = j;
    }
    if (m > 1) {
        qsort(s->hops, m, sizeof(pg_ty_hop), cmp_hop);
    }
    return m;
}

/*
 * Second layer of a stack: the block's sinks (odd entries of verts[0..nv))
 * paying, from the first layer's start to a window after its end, fresh
 * payees that at least two of them pay. When at least two such payees exist
 * the two layers are appended to verts / txn and reported as a stack.
 */
static int stack(pg_candidates *out, const pg_ty_ctx *c, pg_ty_scratch *s, uint32_t nv, uint32_t nt,
                 double strength)
{
    const pg_tview *tv = c->tv;
    int64_t t0 = INT64_MAX, t1 = INT64_MIN;
    for (uint32_t i = 0; i < nt; i++) {
        t0 = tv->ts[s->txn[i]] < t0 ? tv->ts[s->txn[i]] : t0;
        t1 = tv->ts[s->txn[i]] > t1 ? tv->ts[s->txn[i]] : t1;
    }
    t1 += c->o->window;
    size_t n = 0;
    int err = 0;
    for (uint32_t i = 1; i < nv && err == 0; i += 2) {
        uint32_t d = s->verts[i];
        int dup = 0;
        for (uint32_t j = 1; j < i && !dup; j += 2) {
            dup = s->verts[j] == d;
        }
        for (int64_t q = pg_paths__first_at(tv->out, tv->ts, d, t0);
             !dup && err == 0 && q < tv->out->offsets[d + 1] && tv->ts[tv->out->txn[q]] <= t1;
             q++) {
            uint32_t x = tv->out->txn[q];
            err = pg_ty__push_hop(s, &n, (pg_ty_hop){tv->dst[x], d, x, x, tv->ts[x]});
        }
    }
    if (err < 0 || n < 4) {
        return err;
    }
    qsort(s->hops, n, sizeof(pg_ty_hop), cmp_hop);
    if (pg_grow((void **)&s->verts, &s->verts_cap, (size_t)nv + 2 * n, sizeof(uint32_t)) < 0 ||
        pg_grow((void **)&s->txn, &s->txn_cap, (size_t)nt + n, sizeof(uint32_t)) < 0) {
        return pg_error_oom("typology stack", n * 12);
    }
    uint32_t payees = 0, nv2 = nv, nt2 = nt;
    for (size_t i = 0; i < n;) {
        size_t j = i;
        while (j < n && s->hops[j].sink == s->hops[i].sink) {
            j++;
        }
        if (j - i >= 2) { /* two distinct payers: hops of one payee have distinct mids */
            payees++;
            for (size_t k = i; k < j; k++) {
                s->verts[nv2++] = s->hops[k].sink;
                s->verts[nv2++] = s->hops[k].mid;
                s->txn[nt2++] = s->hops[k].a;
            }
        }
        i = j;
    }
    if (payees < 2) {
        return 0;
    }
    return pg_candidates_push(out, "typology", "stack", strength, s->verts, nv2, s->txn, nt2);
}

static int bipartite(pg_candidates *out, const pg_ty_ctx *c, pg_ty_scratch *s, uint32_t u)
{
    const pg_tview *tv = c->tv;
    /* u's own hops are its sinks in the block: too few fresh payees, no block */
    if (tv->out->offsets[u + 1] - tv->out->offsets[u] < (int64_t)c->o->min_flow) {
        return 0;
    }
    size_t n = 0;
    int err = co_payments(c, s, u, &n);
    if (err < 0 || n < 4 || (err = per_vertex(s, tv->n)) < 0) {
        return err;
    }
    uint32_t sources = keep_sources(s, n, u);
    if (sources < c->o->min_flow) {
        return 0;
    }
    n = block_hops(s, n);
    if (pg_grow((void **)&s->verts, &s->verts_cap, 2 * n + 1, sizeof(uint32_t)) < 0 ||
        pg_grow((void **)&s->txn, &s->txn_cap, n + 1, sizeof(uint32_t)) < 0) {
        return pg_error_oom("typology bipartite", n * 12);
    }
    uint32_t nv = 0, nt = 0, sinks = 0, srcs = 0;
    for (size_t i = 0; i < n; i++) {
        const pg_ty_hop *h = &s->hops[i];
        srcs += nt == 0 || h->sink != s->verts[nv - 2];
        s->verts[nv++] = h->sink;
        s->verts[nv++] = h->mid;
        s->txn[nt++] = h->b;
        sinks += h->sink == u; /* u's own hops list each of its sinks once */
    }
    if (sinks < c->o->min_flow || srcs < c->o->min_flow) {
        return 0;
    }
    double strength = pg_ty__unusual((double)nt / 2.0 + 1.0);
    err = pg_candidates_push(out, "typology", "bipartite", strength, s->verts, nv, s->txn, nt);
    return err < 0 ? err : stack(out, c, s, nv, nt, strength);
}

int pg_ty__blocks(pg_candidates *out, const pg_ty_ctx *c, pg_ty_scratch *s, uint32_t v)
{
    return bipartite(out, c, s, v);
}
