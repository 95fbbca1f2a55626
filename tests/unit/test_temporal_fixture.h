/*
 * Temporal graphs for the temporal tests: seeded random ones or hand-written
 * transactions, with both adjacencies built; and an independent hop rule.
 */
#ifndef PG_TEST_TEMPORAL_FIXTURE_H
#define PG_TEST_TEMPORAL_FIXTURE_H

#include "test_support.h"

#include <stdlib.h>
#include <string.h>

#include "core/rng.h"
#include "paygraph/paths.h"

typedef struct tgraph {
    uint32_t n;
    int64_t m;
    uint32_t *src, *dst;
    int64_t *ts, *amount;
    pg_tadj out, in;
    pg_tview tv;
} tgraph;

/* Room for n vertices and m transactions (arrays left to fill). */
static inline void tgraph_alloc(tgraph *g, uint32_t n, int64_t m)
{
    memset(g, 0, sizeof(*g));
    g->n = n;
    g->m = m;
    g->src = malloc((size_t)m * 4);
    g->dst = malloc((size_t)m * 4);
    g->ts = malloc((size_t)m * 8);
    g->amount = malloc((size_t)m * 8);
}

/* Both time-ordered adjacencies of the filled arrays, and the view over them. */
static inline void tgraph_index(tgraph *g)
{
    assert_int_equal(pg_tadj_build(&g->out, g->n, g->m, g->src, g->ts, 1), 0);
    assert_int_equal(pg_tadj_build(&g->in, g->n, g->m, g->dst, g->ts, 1), 0);
    g->tv = (pg_tview){g->n, g->m, g->src, g->dst, g->ts, g->amount, &g->out, &g->in};
}

/* n vertices, m transactions over [0, span) seconds (coarse, so times tie), amounts that
 * often shrink a little along a chain. */
static inline void tgraph_make(tgraph *g, uint64_t seed, uint32_t n, int64_t m, int64_t span)
{
    pg_rng r;
    pg_rng_init(&r, seed, 3);
    tgraph_alloc(g, n, m);
    for (int64_t i = 0; i < m; i++) {
        g->src[i] = (uint32_t)pg_rng_below(&r, n);
        g->dst[i] = (uint32_t)pg_rng_below(&r, n);
        g->ts[i] = (int64_t)pg_rng_below(&r, (uint64_t)span / 10) * 10;
        g->amount[i] = 9000 + (int64_t)pg_rng_below(&r, 1200);
    }
    tgraph_index(g);
}

/* A hand-written graph: m transactions src[i] -> dst[i] at ts[i] of amount[i] (copied). */
static inline void tgraph_from(tgraph *g, uint32_t n, int64_t m, const uint32_t *src,
                               const uint32_t *dst, const int64_t *ts, const int64_t *amount)
{
    tgraph_alloc(g, n, m);
    memcpy(g->src, src, (size_t)m * 4);
    memcpy(g->dst, dst, (size_t)m * 4);
    memcpy(g->ts, ts, (size_t)m * 8);
    memcpy(g->amount, amount, (size_t)m * 8);
    tgraph_index(g);
}

static inline void tgraph_free(tgraph *g)
{
    pg_tadj_free(&g->out);
    pg_tadj_free(&g->in);
    free(g->src);
    free(g->dst);
    free(g->ts);
    free(g->amount);
}

/* The hop rule written out plainly (independent of the library's). */
static inline int ref_hop_ok(const tgraph *g, const pg_temporal_options *o, uint32_t p, uint32_t e)
{
    if (g->ts[e] < g->ts[p] || (o->strict && g->ts[e] == g->ts[p])) {
        return 0;
    }
    if (o->max_delay >= 0 && g->ts[e] - g->ts[p] > o->max_delay) {
        return 0;
    }
    if (o->max_shrink_bp >= 0) {
        int64_t a = g->amount[e], b = g->amount[p];
        if (a > b || a * 10000 < b * (10000 - o->max_shrink_bp)) {
            return 0;
        }
    }
    return 1;
}

/* Sequences of transactions, compared as sorted sets. */
typedef struct seqset {
    size_t count, cap;
    uint32_t (*seq)[17]; /* [0] = hops, then transactions */
} seqset;

static inline void seqset_add(seqset *s, const uint32_t *txn, int hops)
{
    if (s->count == s->cap) {
        s->cap = s->cap ? 2 * s->cap : 64;
        s->seq = realloc(s->seq, s->cap * sizeof(*s->seq));
    }
    memset(s->seq[s->count], 0, sizeof(s->seq[0]));
    s->seq[s->count][0] = (uint32_t)hops;
    memcpy(&s->seq[s->count][1], txn, (size_t)hops * 4);
    s->count++;
}

static inline int seq_cmp(const void *a, const void *b)
{
    return memcmp(a, b, sizeof(uint32_t[17]));
}

static inline void seqset_from_paths(seqset *s, const pg_path_set *ps)
{
    for (size_t k = 0; k < ps->count; k++) {
        seqset_add(s, ps->txn + ps->off[k], (int)(ps->off[k + 1] - ps->off[k]));
    }
}

static inline void seqset_sort(seqset *s)
{
    if (s->count) {
        qsort(s->seq, s->count, sizeof(*s->seq), seq_cmp);
    }
}

static inline void paths_equal(const pg_path_set *a, const pg_path_set *b)
{
    assert_int_equal(a->count, b->count);
    assert_int_equal(a->truncated, b->truncated);
    if (a->count == 0) {
        return;
    }
    assert_memory_equal(a->off, b->off, (a->count + 1) * sizeof(int64_t));
    assert_memory_equal(a->txn, b->txn, (size_t)a->off[a->count] * 4);
    assert_memory_equal(a->vert, b->vert, ((size_t)a->off[a->count] + a->count) * 4);
}

#endif
