/*
 * Planted laundering typologies (ids L1, L2, ...) in the style of AMLworld:
 * Altman, Blanuša, von Niederhäusern, Egressy, Anghel, Atasu, "Realistic
 * Synthetic Financial Transactions for Anti-Money Laundering Models",
 * NeurIPS 2023 Datasets and Benchmarks, doi:10.48550/arXiv.2306.16424.
 *
 * Eight patterns, taken in turn: fan-out, fan-in, cycle, scatter-gather,
 * gather-scatter, bipartite, stack and random. Members are ordinary persons
 * of the world (they keep their everyday activity); each hop happens 1-24
 * hours after the hop that feeds it; amounts are drawn from the same
 * distribution as ordinary transfers between friends, so only structure and
 * timing give the pattern away. Roles: source, intermediate, sink.
 *
 * Each group draws from its own stream (seed, group id). Complexity
 * O(planted rows).
 */
#include "generator/world.h"

#include <string.h>

#include "core/error.h"

#define LG_MAX 16

typedef struct lnode {
    uint32_t person, acct;
    uint8_t inst, role, added;
} lnode;

typedef struct lgroup {
    gen_world *w;
    pg_rng *r;
    int id;
    lnode node[LG_MAX];
    int n;
} lgroup;

static void lg_node(lgroup *g, int role)
{
    gen_person q;
    lnode *x = &g->node[g->n++];
    x->person = pg_gen__pick_person(g->w);
    pg_gen__person_profile(g->w, x->person, &q);
    int k = (int)pg_rng_below(g->r, q.nacc);
    x->acct = pg_gen__person_account(x->person, k);
    x->inst = q.inst[k];
    x->role = (uint8_t)role;
    x->added = 0;
}

static int lg_member(lgroup *g, lnode *x)
{
    if (x->added) {
        return PG_OK;
    }
    x->added = 1;
    return pg_gen__member_add(g->w, x->acct, x->inst, 'L', g->id, x->role);
}

/* One hop a -> b at time ts. Returns the hop time so the next hop can follow it. */
static int lg_edge(lgroup *g, int a, int b, int64_t ts)
{
    lnode *x = &g->node[a], *y = &g->node[b];
    gen_row row = {0};
    row.ts = ts;
    row.amount = pg_gen__transfer_amount(g->r);
    row.src = x->acct;
    row.src_inst = x->inst;
    row.dst = y->acct;
    row.dst_inst = y->inst;
    row.channel = CH_TRANSFER;
    row.currency = CUR_AUD;
    row.dst_country = C_AU;
    row.label = 1;
    row.ref = REF_EMPTY;
    int day = pg_gen__day_of(g->w, ts);
    if (day < 0 || day >= g->w->opt.days) {
        return PG_OK; /* a hop past the span is not observed, nor are its accounts */
    }
    int err = lg_member(g, x);
    if (!err) {
        err = lg_member(g, y);
    }
    if (!err) {
        err = pg_gen__plan_add(g->w, &row, x->person, day);
    }
    return err;
}

static int64_t lg_delay(lgroup *g)
{
    return 3600 + (int64_t)pg_rng_below(g->r, 23 * 3600);
}

static int lg_size(lgroup *g, int lo, int hi)
{
    return lo + (int)pg_rng_below(g->r, (uint64_t)(hi - lo + 1));
}

/* Layer of k nodes of one role; returns the index of its first node. */
static int lg_layer(lgroup *g, int k, int role)
{
    int first = g->n;
    for (int i = 0; i < k; i++) {
        lg_node(g, role);
    }
    return first;
}

static int lg_fan(lgroup *g, int64_t t, int out)
{
    int k = lg_size(g, 3, 7), err = 0;
    int hub = lg_layer(g, 1, out ? ROLE_SOURCE : ROLE_SINK);
    int leaf = lg_layer(g, k, out ? ROLE_SINK : ROLE_SOURCE);
    for (int i = 0; i < k && !err; i++) {
        t += lg_delay(g) / 4;
        err = out ? lg_edge(g, hub, leaf + i, t) : lg_edge(g, leaf + i, hub, t);
    }
    return err;
}

static int lg_cycle(lgroup *g, int64_t t)
{
    int k = lg_size(g, 3, 6), err = 0;
    lg_layer(g, 1, ROLE_SOURCE);
    lg_layer(g, k - 1, ROLE_INTERMEDIATE);
    for (int i = 0; i < k && !err; i++) {
        t += lg_delay(g);
        err = lg_edge(g, i, (i + 1) % k, t);
    }
    return err;
}

/* Two layers a -> b; each hop of the second stage follows the last of the first. */
static int lg_two_stage(lgroup *g, int64_t t, int gather_first)
{
    int k = lg_size(g, 3, 6), err = 0;
    if (!gather_first) { /* scatter-gather: source -> k -> sink */
        int s = lg_layer(g, 1, ROLE_SOURCE), mid = lg_layer(g, k, ROLE_INTERMEDIATE);
        int d = lg_layer(g, 1, ROLE_SINK);
        int64_t last = t;
        for (int i = 0; i < k && !err; i++) {
            int64_t ti = t + lg_delay(g);
            last = ti > last ? ti : last;
            err = lg_edge(g, s, mid + i, ti);
        }
        for (int i = 0; i < k && !err; i++) {
            err = lg_edge(g, mid + i, d, last + lg_delay(g));
        }
        return err;
    }
    /* gather-scatter: k -> hub -> k */
    int src = lg_layer(g, k, ROLE_SOURCE), hub = lg_layer(g, 1, ROLE_INTERMEDIATE);
    int dst = lg_layer(g, k, ROLE_SINK);
    int64_t last = t;
    for (int i = 0; i < k && !err; i++) {
        int64_t ti = t + lg_delay(g);
        last = ti > last ? ti : last;
        err = lg_edge(g, src + i, hub, ti);
    }
    for (int i = 0; i < k && !err; i++) {
        err = lg_edge(g, hub, dst + i, last + lg_delay(g));
    }
    return err;
}

/* Edges between consecutive layers, each node with at least one edge each way. */
static int lg_layers(lgroup *g, int64_t t, int nlayers)
{
    int first[4], size[4], err = 0;
    for (int l = 0; l < nlayers; l++) {
        size[l] = lg_size(g, 2, 4);
        int role = l == 0 ? ROLE_SOURCE : l == nlayers - 1 ? ROLE_SINK : ROLE_INTERMEDIATE;
        first[l] = lg_layer(g, size[l], role);
    }
    for (int l = 0; l + 1 < nlayers && !err; l++) {
        int64_t stage = t + (int64_t)l * 30 * 3600;
        for (int i = 0; i < size[l] && !err; i++) {
            for (int j = 0; j < size[l + 1] && !err; j++) {
                int must = j == i % size[l + 1] || i == j % size[l];
                if (must || pg_rng_uniform(g->r) < 0.6) {
                    err = lg_edge(g, first[l] + i, first[l + 1] + j, stage + lg_delay(g));
                }
            }
        }
    }
    return err;
}

static int lg_random(lgroup *g, int64_t t)
{
    int k = lg_size(g, 4, 7), err = 0, at = 0;
    lg_layer(g, 1, ROLE_SOURCE);
    lg_layer(g, k - 1, ROLE_INTERMEDIATE);
    for (int s = 0; s < k + 2 && !err; s++) {
        int next = (at + 1 + (int)pg_rng_below(g->r, (uint64_t)(k - 1))) % k;
        t += lg_delay(g);
        err = lg_edge(g, at, next, t);
        at = next;
    }
    return err;
}

static int plan_group(gen_world *w, int id)
{
    pg_rng r;
    pg_rng_init(&r, w->opt.seed ^ 0x6c61756eULL, (uint64_t)id);
    lgroup g;
    memset(&g, 0, sizeof(g));
    g.w = w;
    g.r = &r;
    g.id = id;
    int span = w->opt.days > 6 ? w->opt.days - 5 : 1;
    int day = (int)pg_rng_below(&r, (uint64_t)span);
    int64_t t = pg_gen__utc(w, day, pg_gen__local_time(&r, 7, 12), C_AU);
    switch ((id - 1) % 8) {
    case 0:
        return lg_fan(&g, t, 1);
    case 1:
        return lg_fan(&g, t, 0);
    case 2:
        return lg_cycle(&g, t);
    case 3:
        return lg_two_stage(&g, t, 0);
    case 4:
        return lg_two_stage(&g, t, 1);
    case 5:
        return lg_layers(&g, t, 2);
    case 6:
        return lg_layers(&g, t, 3);
    default:
        return lg_random(&g, t);
    }
}

int pg_gen__plan_laundering(gen_world *w)
{
    int err = 0;
    for (int id = 1; id <= w->opt.laundering && !err; id++) {
        err = plan_group(w, id);
    }
    if (!err) {
        w->groups_planted = w->opt.laundering;
    }
    return err;
}
