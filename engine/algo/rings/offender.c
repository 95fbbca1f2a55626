/*
 * Offender payment rings, found from the beneficiary side.
 *
 * The typology (AUSTRAC 2022; FinCEN FIN-2021-NTC3; FATF 2025) is several
 * payers who each pay the same facilitators, repeatedly, in small amounts,
 * at night, often from two or more of their own providers so that no single
 * institution sees the pattern; facilitators abroad or domestic mules, some
 * forwarding to a collector. So:
 *
 * 1. Pairs. For every beneficiary customer b (accounts linked by entity
 *    tokens), group its incoming payments by payer customer p and score
 *    the pair: mean transaction suspicion, raised by repetition and by a
 *    split across providers (p pays b from two or more institutions).
 * 2. Facilitators. b is a facilitator candidate when at least two distinct
 *    payers send it suspicious pairs, weighted by their pair scores. A
 *    family remittance (one payer), a fundraiser (many payers, once each,
 *    ordinary hours) and a merchant (discounted suspicion) do not qualify.
 * 3. Rings. Facilitators that share a good part of their payers are
 *    linked (union-find); a ring is a linked group of facilitators with
 *    all their suspicious payers, across institutions.
 * 4. Collectors. Accounts that receive most of what a facilitator pays on
 *    within a week join the ring as collectors.
 *
 * Parallel over beneficiaries; results are written per beneficiary and
 * joined in beneficiary order, so the rings do not depend on the thread
 * count. O(m log d).
 */
#include <math.h>
#include <string.h>

#include "algo/rings/candidates.h"
#include "algo/rings/detectors.h"
#include "core/alloc.h"
#include "core/error.h"
#include "core/par.h"
#include "core/sort.h"

/* A pair is suspicious at this score (a transaction scale: see indicators.c). */
#define PAIR_SUSPICIOUS 0.45
/* Score bonus when a payer pays the same beneficiary from two or more institutions. */
#define SPLIT_BONUS 0.25
/* Total pair score a beneficiary needs (with >= 2 payers) to be a facilitator candidate. */
#define FACILITATOR_MASS 1.0
/* A collector receives at least this share of a facilitator's onward payments. */
#define COLLECTOR_SHARE 0.3

typedef struct pair {
    uint32_t payer; /* payer customer */
    float score;
    uint32_t n; /* payments */
} pair;

typedef struct offender_state {
    const pg_ring_ctx *c;
    pg_tadj cust_in;   /* per customer: incoming transactions by time */
    pair *pairs;       /* per beneficiary b: pairs[cust_in.offsets[b] ..] */
    uint32_t *n_pairs; /* suspicious pairs of b */
    uint8_t *facilitator;
} offender_state;

/* Sort key of a transaction index: (payer customer, index). */
static uint64_t payer_key(const void *ctx, uint32_t t)
{
    const pg_ring_ctx *c = ctx;
    return (uint64_t)c->cust[c->t.src[t]] << 32 | t;
}

/* Score of the payments of one payer to one beneficiary: txn[0..n). */
static float pair_score(const pg_ring_ctx *c, const uint32_t *txn, int64_t n)
{
    double s = 0;
    uint32_t inst0 = c->a.institution[c->t.src[txn[0]]];
    int split = 0;
    for (int64_t i = 0; i < n; i++) {
        s += c->susp[txn[i]];
        split |= c->a.institution[c->t.src[txn[i]]] != inst0;
    }
    double repeat = 1.0 - exp(-(double)n / 2.0);
    double score = s / (double)n * (0.5 + 0.5 * repeat) + (split ? SPLIT_BONUS : 0);
    return (float)(score > 1 ? 1 : score);
}

/* Pairs of beneficiary b; returns the facilitator decision. */
static int score_beneficiary(offender_state *st, uint32_t b, uint32_t *buf, uint32_t *tmp)
{
    const pg_ring_ctx *c = st->c;
    int64_t lo = st->cust_in.offsets[b], n = 0;
    for (int64_t k = lo; k < st->cust_in.offsets[b + 1]; k++) {
        uint32_t t = st->cust_in.txn[k];
        if (c->cust[c->t.src[t]] != b) {
            buf[n++] = t;
        }
    }
    pg_sort__u32_by_key(buf, n, tmp, payer_key, c);
    uint32_t k_pairs = 0;
    double mass = 0;
    for (int64_t i = 0; i < n;) {
        uint32_t p = c->cust[c->t.src[buf[i]]];
        int64_t j = i;
        while (j < n && c->cust[c->t.src[buf[j]]] == p) {
            j++;
        }
        float s = pair_score(c, buf + i, j - i);
        if (s >= PAIR_SUSPICIOUS) {
            st->pairs[lo + k_pairs++] = (pair){p, s, (uint32_t)(j - i)};
            mass += s;
        }
        i = j;
    }
    st->n_pairs[b] = k_pairs;
    return k_pairs >= 2 && mass >= FACILITATOR_MASS;
}

static uint32_t uf_find(uint32_t *parent, uint32_t x)
{
    while (parent[x] != x) {
        parent[x] = parent[parent[x]];
        x = parent[x];
    }
    return x;
}

/* Is p a suspicious payer of b? (b's pairs are in payer order.) */
static int suspicious_pair(const offender_state *st, uint32_t b, uint32_t p)
{
    const pair *v = st->pairs + st->cust_in.offsets[b];
    int64_t lo = 0, hi = (int64_t)st->n_pairs[b] - 1;
    while (lo <= hi) {
        int64_t mid = (lo + hi) / 2;
        if (v[mid].payer == p) {
            return 1;
        }
        if (v[mid].payer < p) {
            lo = mid + 1;
        } else {
            hi = mid - 1;
        }
    }
    return 0;
}

/* A growable list of uint32 (accounts or transactions of one ring). */
typedef struct u32list {
    uint32_t *v;
    size_t n, cap;
} u32list;

static int u32_push(u32list *l, uint32_t x)
{
    if (pg_grow((void **)&l->v, &l->cap, l->n + 1, sizeof(uint32_t)) < 0) {
        return PG_ENOMEM;
    }
    l->v[l->n++] = x;
    return 0;
}

/* The payments of b's suspicious payers to facilitator b. */
static int collect_facilitator(const offender_state *st, uint32_t b, u32list *txn)
{
    const pg_ring_ctx *c = st->c;
    int err = 0;
    for (int64_t k = st->cust_in.offsets[b]; k < st->cust_in.offsets[b + 1] && !err; k++) {
        uint32_t t = st->cust_in.txn[k], p = c->cust[c->t.src[t]];
        if (p != b && suspicious_pair(st, b, p)) {
            err = u32_push(txn, t);
        }
    }
    return err;
}

/* Onward payments of the facilitator customer b that go mostly to one customer. */
static int collect_collectors(const offender_state *st, uint32_t b, u32list *txn)
{
    const pg_ring_ctx *c = st->c;
    const pg_tadj *o = &c->cust_out;
    int64_t lo = o->offsets[b], hi = o->offsets[b + 1];
    int64_t total = 0;
    for (int64_t k = lo; k < hi; k++) {
        total += c->t.amount_rep[o->txn[k]];
    }
    if (total <= 0) {
        return 0;
    }
    /* candidates: each distinct destination customer, in order of first payment */
    for (int64_t k = lo; k < hi; k++) {
        uint32_t d = c->cust[c->t.dst[o->txn[k]]];
        int seen = 0;
        for (int64_t j = lo; j < k && !seen; j++) {
            seen = c->cust[c->t.dst[o->txn[j]]] == d;
        }
        if (seen || d == b) {
            continue;
        }
        int64_t to_d = 0;
        for (int64_t j = k; j < hi; j++) {
            to_d += c->cust[c->t.dst[o->txn[j]]] == d ? c->t.amount_rep[o->txn[j]] : 0;
        }
        if ((double)to_d < COLLECTOR_SHARE * (double)total) {
            continue;
        }
        for (int64_t j = k; j < hi; j++) {
            if (c->cust[c->t.dst[o->txn[j]]] == d && u32_push(txn, o->txn[j]) < 0) {
                return PG_ENOMEM;
            }
        }
    }
    return 0;
}

static int64_t sum_amount(const pg_ring_ctx *c, const uint32_t *txn, size_t n)
{
    int64_t s = 0;
    for (size_t i = 0; i < n; i++) {
        s += c->t.amount_rep[txn[i]];
    }
    return s;
}

static int64_t outflow(const pg_ring_ctx *c, uint32_t b)
{
    return sum_amount(c, c->cust_out.txn + c->cust_out.offsets[b],
                      (size_t)(c->cust_out.offsets[b + 1] - c->cust_out.offsets[b]));
}

/* Emit one ring: facilitators of the group with their payers' payments and collectors. */
static int emit_group(const offender_state *st, const uint32_t *facs, size_t n_facs, double mass,
                      pg_candidates *out)
{
    const pg_ring_ctx *c = st->c;
    u32list txn = {0}, vert = {0};
    int err = 0;
    for (size_t i = 0; i < n_facs && !err; i++) {
        size_t before = txn.n;
        err = collect_facilitator(st, facs[i], &txn);
        int64_t inflow = sum_amount(c, txn.v + before, txn.n - before);
        /* only a facilitator that pays most of it on has collectors */
        if (!err && inflow > 0 && 2 * outflow(c, facs[i]) >= inflow) {
            err = collect_collectors(st, facs[i], &txn);
        }
    }
    for (size_t i = 0; i < txn.n && !err; i++) {
        uint32_t t = txn.v[i];
        err = u32_push(&vert, c->g->vertex_of_account[c->t.src[t]]);
        if (!err) {
            err = u32_push(&vert, c->g->vertex_of_account[c->t.dst[t]]);
        }
    }
    if (!err) {
        double strength = 1.0 - exp(-mass / 4.0);
        err = pg_candidates_push(out, "offender-pairs", "offender-payments", strength, vert.v,
                                 (uint32_t)vert.n, txn.v, (uint32_t)txn.n);
    }
    pg_free(txn.v);
    pg_free(vert.v);
    return err;
}

/*
 * Facilitators of one ring share payers. Two facilitators are linked when
 * at least LINK_MIN payers pay both and they make up at least LINK_SHARE of
 * the smaller facilitator's payers; a ring is a connected group of linked
 * facilitators with all their suspicious payers. Linking by shared payers
 * rather than by any single payer keeps a payer's ordinary payments to a
 * friend from gluing two rings together.
 */
#define LINK_MIN 2
#define LINK_SHARE 0.3

/* Payer -> facilitators index over the facilitators' suspicious pairs. */
static int payer_index(const offender_state *st, int64_t **off, uint32_t **fac)
{
    uint32_t n = st->c->n_cust;
    *off = pg_calloc((size_t)n + 2, sizeof(int64_t));
    int64_t total = 0;
    for (uint32_t b = 0; b < n; b++) {
        total += st->facilitator[b] ? st->n_pairs[b] : 0;
    }
    *fac = pg_malloc_array((size_t)total + 1, sizeof(uint32_t));
    int64_t *pos = pg_malloc_array((size_t)n + 1, sizeof(int64_t));
    if (!*off || !*fac || !pos) {
        pg_free(pos);
        return pg_error_oom("payer index", (size_t)total * 4);
    }
    for (uint32_t b = 0; b < n; b++) {
        for (uint32_t k = 0; st->facilitator[b] && k < st->n_pairs[b]; k++) {
            (*off)[st->pairs[st->cust_in.offsets[b] + k].payer + 1]++;
        }
    }
    for (uint32_t v = 0; v < n; v++) {
        (*off)[v + 1] += (*off)[v];
    }
    memcpy(pos, *off, (size_t)n * sizeof(int64_t));
    for (uint32_t b = 0; b < n; b++) {
        for (uint32_t k = 0; st->facilitator[b] && k < st->n_pairs[b]; k++) {
            (*fac)[pos[st->pairs[st->cust_in.offsets[b] + k].payer]++] = b;
        }
    }
    pg_free(pos);
    return 0;
}

/* Link facilitator f with every later facilitator sharing enough of its payers. */
static void link_facilitator(const offender_state *st, uint32_t f, const int64_t *off,
                             const uint32_t *fac, uint32_t *shared, uint32_t *touched,
                             uint32_t *parent)
{
    const pair *pf = st->pairs + st->cust_in.offsets[f];
    uint32_t nt = 0;
    for (uint32_t k = 0; k < st->n_pairs[f]; k++) {
        for (int64_t e = off[pf[k].payer]; e < off[pf[k].payer + 1]; e++) {
            uint32_t g = fac[e];
            if (g > f && shared[g]++ == 0) {
                touched[nt++] = g;
            }
        }
    }
    for (uint32_t i = 0; i < nt; i++) {
        uint32_t g = touched[i];
        uint32_t smaller = st->n_pairs[f] < st->n_pairs[g] ? st->n_pairs[f] : st->n_pairs[g];
        if (shared[g] >= LINK_MIN && shared[g] >= LINK_SHARE * smaller) {
            uint32_t x = uf_find(parent, f), y = uf_find(parent, g);
            if (x != y) {
                parent[x > y ? x : y] = x < y ? x : y; /* the smaller id is the root */
            }
        }
        shared[g] = 0;
    }
}

static int assemble(offender_state *st, pg_candidates *out)
{
    uint32_t n = st->c->n_cust;
    int64_t *off = NULL;
    uint32_t *fac = NULL;
    uint32_t *parent = pg_malloc_array((size_t)n + 1, sizeof(*parent));
    uint32_t *shared = pg_calloc((size_t)n + 1, sizeof(*shared));
    uint32_t *touched = pg_malloc_array((size_t)n + 1, sizeof(*touched));
    uint32_t *group = pg_malloc_array((size_t)n + 1, sizeof(*group));
    int err = parent && shared && touched && group ? payer_index(st, &off, &fac)
                                                   : pg_error_oom("ring assembly", (size_t)n * 16);
    if (!err) {
        for (uint32_t v = 0; v < n; v++) {
            parent[v] = v;
        }
        for (uint32_t f = 0; f < n; f++) {
            if (st->facilitator[f]) {
                link_facilitator(st, f, off, fac, shared, touched, parent);
            }
        }
    }
    /* facilitators bucketed by root (counting sort keeps ascending order within a root) */
    uint32_t n_fac = 0;
    for (uint32_t f = 0; f < n && !err; f++) {
        if (st->facilitator[f]) {
            touched[n_fac++] = f;
            shared[uf_find(parent, f)]++;
        }
    }
    int64_t at = 0;
    for (uint32_t v = 0; v < n && !err; v++) {
        int64_t c = shared[v];
        shared[v] = (uint32_t)at; /* start of v's bucket */
        at += c;
    }
    for (uint32_t i = 0; i < n_fac && !err; i++) {
        group[shared[uf_find(parent, touched[i])]++] = touched[i];
    }
    for (uint32_t i = 0; i < n_fac && !err;) {
        uint32_t r = uf_find(parent, group[i]), j = i;
        double mass = 0;
        while (j < n_fac && uf_find(parent, group[j]) == r) {
            for (uint32_t k = 0; k < st->n_pairs[group[j]]; k++) {
                mass += st->pairs[st->cust_in.offsets[group[j]] + k].score;
            }
            j++;
        }
        err = emit_group(st, group + i, j - i, mass, out);
        i = j;
    }
    pg_free(off);
    pg_free(fac);
    pg_free(parent);
    pg_free(shared);
    pg_free(touched);
    pg_free(group);
    return err;
}

int pg_ring__offender_candidates(const pg_ring_ctx *c, pg_candidates *out)
{
    offender_state st;
    memset(&st, 0, sizeof(st));
    st.c = c;
    uint32_t *key = pg_malloc_array((size_t)(c->t.n ? c->t.n : 1), sizeof(*key));
    int err = key ? 0 : pg_error_oom("customer keys", (size_t)c->t.n * 4);
    for (int64_t i = 0; !err && i < c->t.n; i++) {
        key[i] = c->cust[c->t.dst[i]];
    }
    if (!err) {
        err = pg_tadj_build(&st.cust_in, c->n_cust, c->t.n, key, c->t.ts, c->threads);
    }
    pg_free(key);
    if (err) {
        return err;
    }
    int64_t maxd = 1;
    for (uint32_t b = 0; b < c->n_cust; b++) {
        int64_t d = st.cust_in.offsets[b + 1] - st.cust_in.offsets[b];
        maxd = d > maxd ? d : maxd;
    }
    st.pairs = pg_malloc_array((size_t)(c->t.n ? c->t.n : 1), sizeof(*st.pairs));
    st.n_pairs = pg_calloc((size_t)c->n_cust + 1, sizeof(*st.n_pairs));
    st.facilitator = pg_calloc((size_t)c->n_cust + 1, 1);
    uint32_t *scratch = pg_malloc_array((size_t)c->threads * (size_t)maxd * 2, sizeof(uint32_t));
    if (!st.pairs || !st.n_pairs || !st.facilitator || !scratch) {
        err = pg_error_oom("beneficiary pairs", (size_t)c->t.n * sizeof(pair));
    } else {
#pragma omp parallel for num_threads(c->threads) schedule(dynamic, 256)
        for (int64_t b = 0; b < (int64_t)c->n_cust; b++) {
            uint32_t *buf = scratch + (size_t)pg_par_thread_id() * (size_t)maxd * 2;
            st.facilitator[b] = (uint8_t)score_beneficiary(&st, (uint32_t)b, buf, buf + maxd);
        }
        err = assemble(&st, out);
    }
    pg_free(scratch);
    pg_free(st.pairs);
    pg_free(st.n_pairs);
    pg_free(st.facilitator);
    pg_tadj_free(&st.cust_in);
    return err;
}
