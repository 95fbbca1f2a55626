/*
 * Hops between strangers.
 *
 * What: for a group of accounts and its transactions, the share of hops
 * whose two ends share no counterparty outside the group - an edge
 * embeddedness of zero (the number of common neighbours of an edge's ends;
 * Easley & Kleinberg, "Networks, Crowds, and Markets", 2010, ch. 3, after
 * Granovetter's strength of weak ties, 1973).
 *
 * Why: people who pay each other in ordinary life mostly share friends,
 * family or housemates, so a chance cycle or fan among friends sits inside
 * a dense circle. Laundering hops and offender payments join accounts that
 * have nothing else in common. (Paying both ways is no sign of friendship
 * here: round-tripping between strangers is a laundering pattern of its
 * own, and friends share friends anyway.) Merchants, businesses and hub
 * vertices (degree above the 99th percentile) are shared by strangers too,
 * so they do not count as common counterparties, and a hop to or from one
 * says nothing about ties: such hops are left out of the share.
 *
 * Complexity: per hop O(deg(u) + deg(v)) with a per-vertex stamp array (no
 * sorted adjacency needed); O(n + max degree) once for the percentile.
 */
#include "algo/rings/strangers.h"

#include <stdlib.h>
#include <string.h>

#include "core/alloc.h"
#include "core/error.h"

static uint32_t degree(const pg_csr *u, uint32_t v)
{
    return (uint32_t)(u->offsets[v + 1] - u->offsets[v]);
}

/* 99th percentile of the degrees of non-isolated vertices, by a histogram. */
static int percentile99(const pg_csr *u, uint32_t *out)
{
    uint32_t top = 0, n = 0;
    for (uint32_t v = 0; v < u->n; v++) {
        uint32_t d = degree(u, v);
        top = d > top ? d : top;
        n += d > 0;
    }
    uint32_t *hist = pg_calloc((size_t)top + 1, sizeof(*hist));
    if (!hist) {
        return pg_error_oom("degree histogram", ((size_t)top + 1) * sizeof(uint32_t));
    }
    for (uint32_t v = 0; v < u->n; v++) {
        hist[degree(u, v)]++;
    }
    uint64_t want = (uint64_t)n * 99 / 100, seen = 0;
    uint32_t d = 1;
    while (d < top && seen + hist[d] < want) {
        seen += hist[d++];
    }
    *out = d;
    pg_free(hist);
    return PG_OK;
}

int pg_strangers_init(pg_strangers *s, const pg_ring_ctx *c)
{
    memset(s, 0, sizeof(*s));
    s->c = c;
    s->stamp = pg_calloc((size_t)c->g->n + 1, sizeof(*s->stamp));
    if (!s->stamp) {
        return pg_error_oom("stranger stamps", ((size_t)c->g->n + 1) * sizeof(uint32_t));
    }
    int err = percentile99(&c->g->undirected, &s->hub_degree);
    if (err) {
        pg_strangers_free(s);
    }
    return err;
}

void pg_strangers_free(pg_strangers *s)
{
    pg_free(s->stamp);
    pg_free(s->members);
    memset(s, 0, sizeof(*s));
}

static int cmp_u32(const void *a, const void *b)
{
    uint32_t x = *(const uint32_t *)a, y = *(const uint32_t *)b;
    return (x > y) - (x < y);
}

static uint32_t vertex_of(const pg_ring_ctx *c, uint32_t account)
{
    return c->g->vertex_of_account[account];
}

/* A person (or an account of unknown kind) that is no hub: one who can have friends. */
static int sociable(const pg_strangers *s, uint32_t w)
{
    const pg_ring_ctx *c = s->c;
    uint8_t kind = c->a.kind[c->g->account_rep[w]];
    if (kind == PG_KIND_MERCHANT || kind == PG_KIND_BUSINESS) {
        return 0;
    }
    return degree(&c->g->undirected, w) <= s->hub_degree;
}

/* A vertex that may stand for a shared friend: sociable and outside the group. */
static int counts(const pg_strangers *s, uint32_t w)
{
    return sociable(s, w) && !bsearch(&w, s->members, s->n_members, sizeof(w), cmp_u32);
}

/* Do u and v share a sociable counterparty outside the group? */
static int acquainted(pg_strangers *s, uint32_t u, uint32_t v)
{
    const pg_csr *g = &s->c->g->undirected;
    if (++s->clock == 0) { /* wrapped: start the stamps afresh */
        memset(s->stamp, 0, (size_t)g->n * sizeof(*s->stamp));
        s->clock = 1;
    }
    for (int64_t e = g->offsets[u]; e < g->offsets[u + 1]; e++) {
        s->stamp[g->targets[e]] = s->clock;
    }
    for (int64_t e = g->offsets[v]; e < g->offsets[v + 1]; e++) {
        uint32_t w = g->targets[e];
        if (s->stamp[w] == s->clock && counts(s, w)) {
            return 1;
        }
    }
    return 0;
}

/* The group's distinct vertices, sorted, in s->members (n_members holds the count). */
static int load_members(pg_strangers *s, const pg_group *G)
{
    s->n_members = 0;
    if (pg_grow((void **)&s->members, &s->members_cap, (size_t)G->n_acct + 1, sizeof(*s->members)) <
        0) {
        return pg_error_oom("group vertices", ((size_t)G->n_acct + 1) * sizeof(uint32_t));
    }
    for (uint32_t i = 0; i < G->n_acct; i++) {
        s->members[i] = vertex_of(s->c, G->acct[i]);
    }
    qsort(s->members, G->n_acct, sizeof(*s->members), cmp_u32);
    uint32_t n = 0;
    for (uint32_t i = 0; i < G->n_acct; i++) {
        if (n == 0 || s->members[i] != s->members[n - 1]) {
            s->members[n++] = s->members[i];
        }
    }
    s->n_members = n;
    return PG_OK;
}

int pg_strangers_share(pg_strangers *s, const pg_group *G, double *share)
{
    *share = 0;
    int err = load_members(s, G);
    if (err) {
        return err;
    }
    const pg_ring_ctx *c = s->c;
    uint32_t hops = 0, strangers = 0;
    for (uint32_t k = 0; k < G->n_txn; k++) {
        uint32_t t = G->txn[k];
        uint32_t u = vertex_of(c, c->t.src[t]), v = vertex_of(c, c->t.dst[t]);
        if (u != v && sociable(s, u) && sociable(s, v)) {
            hops++;
            strangers += !acquainted(s, u, v);
        }
    }
    *share = hops ? (double)strangers / hops : 0;
    return PG_OK;
}
