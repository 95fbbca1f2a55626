/*
 * pg_rings_detect: the ring stage of DESIGN.md §4. Per-transaction
 * indicators and per-account features first; then every detector proposes
 * candidates; candidates are merged into groups, and groups are scored,
 * explained and ranked.
 */
#include <math.h>
#include <string.h>

#include "algo/rings/detectors.h"
#include "algo/rings/merge.h"
#include "algo/rings/patterns.h"
#include "algo/rings/rank.h"
#include "core/alloc.h"
#include "core/error.h"
#include "graph/entity.h"
#include "graph/pool_internal.h"
#include "paygraph/community.h"

void pg_rings_options_init(pg_rings_options *o)
{
    memset(o, 0, sizeof(*o));
    o->seed = 1;
    o->use_watchlist = 1;
    o->typologies = 1;
    /* the guidance speaks of payments of about A$10-200; a margin for fees and exchange */
    o->low_value_max = 250.0;
    /* "late at night": from late evening into the small hours, payer's local time */
    o->night_start_hour = 21;
    o->night_end_hour = 5;
    o->max_evidence = 5;
    /*
     * Off by default: on pooled payment data the densest block is the
     * everyday economy around popular payees, not a ring (see RESULTS.md).
     */
    o->dense_blocks = 0;
}

const char *const *pg_rings_default_high_risk(size_t *n)
{
    return pg_country_default_high_risk(n);
}

static int high_risk_set(pg_ring_ctx *c)
{
    const pg_rings_options *o = c->o;
    if (!o->high_risk_countries) {
        pg_country_set_default_high_risk(&c->high_risk);
        return 0;
    }
    pg_country_set_clear(&c->high_risk);
    for (size_t i = 0; i < o->n_high_risk; i++) {
        pg_country k;
        const char *code = o->high_risk_countries[i];
        if (pg_country_lookup(code, strlen(code), &k) < 0) {
            return pg_error_set(PG_EINVAL, "unknown high-risk country '%s'", code);
        }
        pg_country_set_add(&c->high_risk, k.id);
    }
    return 0;
}

static int customers(pg_ring_ctx *c)
{
    const pg_pool *p = c->p;
    c->cust = pg_malloc_array((size_t)p->n_accounts + 1, sizeof(uint32_t));
    if (!c->cust) {
        return pg_error_oom("customers", (size_t)p->n_accounts * 4);
    }
    return pg_entity_vertices(c->cust, &c->n_cust, p->n_accounts, p->acct_entity, p->entities.count,
                              p->link_acct, p->link_entity, p->n_links);
}

static int adjacency(pg_ring_ctx *c)
{
    int err;
    if (c->g->level == PG_LEVEL_ACCOUNT) {
        c->acct_out = &c->g->out;
        c->acct_in = &c->g->in;
    } else {
        if ((err = pg_tadj_build(&c->own_out, c->a.n, c->t.n, c->t.src, c->t.ts, c->threads)) < 0 ||
            (err = pg_tadj_build(&c->own_in, c->a.n, c->t.n, c->t.dst, c->t.ts, c->threads)) < 0) {
            return err;
        }
        c->acct_out = &c->own_out;
        c->acct_in = &c->own_in;
    }
    uint32_t *key = pg_malloc_array((size_t)(c->t.n ? c->t.n : 1), sizeof(*key));
    if (!key) {
        return pg_error_oom("customer keys", (size_t)c->t.n * 4);
    }
    for (int64_t i = 0; i < c->t.n; i++) {
        key[i] = c->cust[c->t.src[i]];
    }
    err = pg_tadj_build(&c->cust_out, c->n_cust, c->t.n, key, c->t.ts, c->threads);
    pg_free(key);
    return err;
}

static void ctx_free(pg_ring_ctx *c)
{
    pg_free(c->bits);
    pg_free(c->susp);
    pg_free(c->cust);
    pg_tadj_free(&c->own_out);
    pg_tadj_free(&c->own_in);
    pg_tadj_free(&c->cust_out);
    pg_free(c->kind);
    pg_free(c->utc_off);
}

/* The accounts of each vertex of g, in account order. */
static int vertex_accounts(const pg_graph *g, pg_vertex_accounts *va)
{
    memset(va, 0, sizeof(*va));
    va->n = g->n;
    va->offsets = pg_calloc((size_t)g->n + 2, sizeof(int64_t));
    va->accounts = pg_malloc_array((size_t)g->n_accounts + 1, sizeof(uint32_t));
    if (!va->offsets || !va->accounts) {
        return pg_error_oom("vertex accounts", (size_t)g->n_accounts * 12);
    }
    for (uint32_t a = 0; a < g->n_accounts; a++) {
        va->offsets[g->vertex_of_account[a] + 1]++;
    }
    for (uint32_t v = 0; v < g->n; v++) {
        va->offsets[v + 1] += va->offsets[v];
    }
    int64_t *pos = pg_malloc_array((size_t)g->n + 1, sizeof(int64_t));
    if (!pos) {
        return pg_error_oom("vertex accounts", (size_t)g->n * 8);
    }
    memcpy(pos, va->offsets, (size_t)g->n * sizeof(int64_t));
    for (uint32_t a = 0; a < g->n_accounts; a++) {
        va->accounts[pos[g->vertex_of_account[a]]++] = a;
    }
    pg_free(pos);
    return 0;
}

/*
 * Largest laundering-typology group kept. The AMLworld patterns involve a
 * handful to a few dozen accounts; a "bipartite block" of hundreds is the
 * ordinary economy seen through a fresh-contact filter, and would only bury
 * the analyst.
 */
#define TYPOLOGY_MAX_ACCOUNTS 40

/* Copy the candidates of src with at most `most` vertices to dst. */
static int keep_small(pg_candidates *dst, const pg_candidates *src, uint32_t most)
{
    int err = 0;
    for (size_t i = 0; i < src->n && !err; i++) {
        const pg_candidate *c = &src->c[i];
        if (c->n <= most) {
            err = pg_candidates_push(dst, c->detector, c->typology, c->strength, c->vertices, c->n,
                                     c->txn, c->n_txn);
        }
    }
    return err;
}

/* Per vertex: 1 when its accounts are a merchant's (the kind of its smallest account). */
static uint8_t *points_of_sale(const pg_ring_ctx *c)
{
    uint8_t *shop = pg_malloc((size_t)c->g->n + 1);
    if (!shop) {
        pg_error_oom("points of sale", (size_t)c->g->n + 1);
        return NULL;
    }
    for (uint32_t v = 0; v < c->g->n; v++) {
        shop[v] = c->a.kind[c->g->account_rep[v]] == PG_KIND_MERCHANT;
    }
    return shop;
}

/* Laundering typologies and dense payer-beneficiary blocks over the temporal view. */
static int pattern_candidates(const pg_ring_ctx *c, pg_candidates *cs)
{
    pg_tview tv;
    pg_graph_tview(c->g, c->p, &tv);
    int err = 0;
    if (c->o->typologies) {
        pg_typology_options to;
        pg_typology_options_init(&to);
        to.threads = c->threads;
        uint8_t *shop = points_of_sale(c);
        if (!shop) {
            return PG_ENOMEM;
        }
        to.point_of_sale = shop;
        pg_candidates found;
        pg_candidates_init(&found);
        err = pg_rings__typologies(&found, &tv, &to);
        if (!err) {
            err = keep_small(cs, &found, TYPOLOGY_MAX_ACCOUNTS);
        }
        pg_candidates_free(&found);
        pg_free(shop);
    }
    if (!err && c->o->dense_blocks) {
        pg_fraudar_options fo;
        pg_fraudar_options_init(&fo);
        fo.threads = c->threads;
        err = pg_rings__fraudar(cs, &c->g->agg, &tv, &fo);
    }
    return err;
}

/* Times the steps of one detection into r->stages. */
typedef struct stage_clock {
    pg_rings *r;
    double wall0, cpu0;
} stage_clock;

static void clock_start(stage_clock *k, pg_rings *r)
{
    k->r = r;
    k->wall0 = pg_now();
    k->cpu0 = pg_cpu_seconds();
}

/* Record the step that just ended (when it succeeded) and start the next. */
static int lap(stage_clock *k, const char *name, int err)
{
    pg_rings *r = k->r;
    double wall = pg_now(), cpu = pg_cpu_seconds();
    if (!err && r->n_stages < PG_RINGS_MAX_STAGES) {
        r->stages[r->n_stages++] =
            (pg_stage_stats){name, wall - k->wall0, cpu - k->cpu0, pg_peak_rss()};
    }
    k->wall0 = wall;
    k->cpu0 = cpu;
    return err;
}

static int propose(const pg_ring_ctx *c, pg_candidates *cs, stage_clock *k)
{
    int err = lap(k, "offender pairs", pg_ring__offender_candidates(c, cs));
    if (!err) {
        err = lap(k, "suspicious communities", pg_ring__community_candidates(c, cs));
    }
    if (!err) {
        err = lap(k, "watchlist rings", pg_ring__watchlist_candidates(c, cs));
    }
    if (!err) {
        err = lap(k, "typologies", pattern_candidates(c, cs));
    }
    return err;
}

/*
 * Communities of the whole payment graph (Leiden, modularity), for context
 * in the report and results: which community each account belongs to.
 * Started from the caller's partition when given (last month's, so that
 * accounts keep their communities from one scan to the next).
 */
static int graph_communities(const pg_ring_ctx *c, pg_rings *r)
{
    const pg_graph *g = c->g;
    uint32_t *m = pg_malloc_array((size_t)g->n + 1, sizeof(*m));
    r->community = pg_malloc_array((size_t)g->n_accounts + 1, sizeof(uint32_t));
    if (!m || !r->community) {
        pg_free(m);
        return pg_error_oom("communities", (size_t)g->n_accounts * 4);
    }
    pg_community_options co;
    pg_community_options_init(&co);
    co.seed = c->o->seed;
    co.threads = c->threads;
    co.initial = c->o->initial_communities;
    pg_community_result res;
    int err = pg_communities(m, &res, &g->undirected, &co);
    if (!err) {
        for (uint32_t a = 0; a < g->n_accounts; a++) {
            r->community[a] = m[g->vertex_of_account[a]];
        }
        r->modularity = res.modularity;
        r->n_communities = res.count;
    }
    pg_free(m);
    return err;
}

static int run(pg_ring_ctx *c, pg_rings *r)
{
    int err;
    pg_candidates cs;
    pg_groups gs;
    pg_vertex_accounts va;
    stage_clock k;
    pg_candidates_init(&cs);
    memset(&gs, 0, sizeof(gs));
    memset(&va, 0, sizeof(va));
    clock_start(&k, r);
    if ((err = high_risk_set(c)) == 0 && (err = customers(c)) == 0) {
        err = lap(&k, "customers", adjacency(c));
    }
    if (!err && (err = lap(&k, "accounts", pg_ring__infer_accounts(c))) == 0 &&
        (err = lap(&k, "indicators", pg_ring__indicators(c))) == 0 &&
        (err = lap(&k, "features", pg_ring__features(c, &r->features))) == 0 &&
        (err = lap(&k, "communities", graph_communities(c, r))) == 0 &&
        (err = lap(&k, "watchlist ppr", pg_ring__watchlist_ppr(c, r))) == 0 &&
        (err = propose(c, &cs, &k)) == 0 && (err = vertex_accounts(c->g, &va)) == 0) {
        err = lap(&k, "merge", pg_groups_from_candidates(&gs, &cs, &c->t, &va, c->a.n));
    }
    if (!err) {
        err = lap(&k, "rank", pg_ring__rank(c, &gs, r));
    }
    pg_candidates_free(&cs);
    pg_groups_free(&gs);
    pg_free(va.offsets);
    pg_free(va.accounts);
    return err;
}

int pg_rings_detect(pg_rings **out, const pg_pool *p, const pg_graph *g, const pg_rings_options *o)
{
    pg_rings_options defaults;
    if (!o) {
        pg_rings_options_init(&defaults);
        o = &defaults;
    }
    pg_ring_ctx c;
    memset(&c, 0, sizeof(c));
    c.p = p;
    c.g = g;
    c.o = o;
    c.threads = pg_threads_resolve(o->threads);
    pg_pool_txns(p, &c.t);
    pg_pool_accounts(p, &c.a);
    c.unit = 1;
    for (uint32_t k = 0; k < p->currencies.count; k++) {
        if (!strcmp(pg_intern_str(&p->currencies, k), p->reporting_currency)) {
            c.unit = pow(10.0, p->currency_scale[k]);
        }
    }
    pg_rings *r = pg_calloc(1, sizeof(*r));
    if (!r) {
        return pg_error_oom("rings", sizeof(*r));
    }
    int err = run(&c, r);
    ctx_free(&c);
    if (err) {
        pg_rings_free(r);
        return err;
    }
    *out = r;
    return 0;
}
