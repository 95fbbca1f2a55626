/*
 * Per-account features: volumes, counterparties, the shares of outgoing
 * payments that carry each indicator, how many distinct payers send the
 * account suspicious payments, how often its customer pays the same payee
 * from several institutions (split payments), how much of its inflow it
 * forwards within a week (mules), and the burstiness of its payments
 * (Goh & Barabási, EPL 2008, doi:10.1209/0295-5075/81/48002).
 *
 * Accounts are independent, so the loop is parallel over accounts with
 * per-thread scratch; every value is computed in a fixed order, so the
 * matrix is identical for any thread count. O(m log d) overall.
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "algo/rings/ring_ctx.h"
#include "core/alloc.h"
#include "core/error.h"
#include "core/par.h"
#include "core/sort.h"

const char *const pg_ring_feature_names[PG_F_COUNT] = {"out_count",
                                                       "in_count",
                                                       "out_amount",
                                                       "in_amount",
                                                       "payees",
                                                       "payers",
                                                       "low_share",
                                                       "night_share",
                                                       "corridor_share",
                                                       "reference_share",
                                                       "round_share",
                                                       "cross_share",
                                                       "suspicion_out",
                                                       "suspicious_payers",
                                                       "split_payees",
                                                       "forward_share",
                                                       "burstiness",
                                                       "watchlisted",
                                                       "ppr"};

const char *const pg_ring_feature_labels[PG_F_COUNT] = {
    "payments made",
    "payments received",
    "amount paid (reporting currency)",
    "amount received (reporting currency)",
    "distinct payees",
    "distinct payers",
    "share of payments of low value",
    "share of payments at night (payer's local time)",
    "share of payments to high-risk corridors",
    "share of payments with innocuous or empty references",
    "share of payments in round amounts",
    "share of payments to other institutions",
    "mean suspicion of payments made",
    "distinct payers sending suspicious payments",
    "payees paid by the same customer from two or more institutions",
    "share of money received that is paid on within 7 days",
    "burstiness of payments (-1 regular, 1 bursty)",
    "on the watchlist",
    "risk propagated from the watchlist (personalized PageRank)"};

/* Forwarding window: money paid on within a week counts as forwarded. */
#define FORWARD_WINDOW (7 * 86400)

static void sort_u32(uint32_t *v, int64_t n, uint32_t *tmp)
{
    if (n <= 16) {
        for (int64_t i = 1; i < n; i++) {
            uint32_t k = v[i];
            int64_t j = i;
            while (j > 0 && v[j - 1] > k) {
                v[j] = v[j - 1];
                j--;
            }
            v[j] = k;
        }
        return;
    }
    int64_t h = n / 2, i = 0, j = h, k = 0;
    sort_u32(v, h, tmp);
    sort_u32(v + h, n - h, tmp);
    while (i < h || j < n) {
        tmp[k++] = (j >= n || (i < h && v[i] <= v[j])) ? v[i++] : v[j++];
    }
    memcpy(v, tmp, (size_t)n * sizeof(*v));
}

static int64_t count_distinct(uint32_t *v, int64_t n, uint32_t *tmp)
{
    sort_u32(v, n, tmp);
    int64_t d = 0;
    for (int64_t i = 0; i < n; i++) {
        d += i == 0 || v[i] != v[i - 1];
    }
    return d;
}

static void outgoing(const pg_ring_ctx *c, uint32_t a, double *row, uint32_t *buf, uint32_t *tmp)
{
    const pg_tadj *o = c->acct_out;
    int64_t lo = o->offsets[a], n = o->offsets[a + 1] - lo;
    double amount = 0, susp = 0, sum_gap = 0, sum_gap2 = 0;
    int64_t k[6] = {0};
    for (int64_t i = 0; i < n; i++) {
        uint32_t t = o->txn[lo + i];
        uint8_t b = c->bits[t];
        amount += (double)c->t.amount_rep[t] / c->unit;
        susp += c->susp[t];
        k[0] += (b & PG_IND_LOW) != 0;
        k[1] += (b & PG_IND_NIGHT) != 0;
        k[2] += (b & PG_IND_CORRIDOR) != 0;
        k[3] += (b & (PG_IND_REF | PG_IND_NOREF)) != 0;
        k[4] += (b & PG_IND_ROUND) != 0;
        k[5] += (b & PG_IND_CROSS) != 0;
        buf[i] = c->t.dst[t];
        if (i) {
            double gap = (double)(c->t.ts[t] - c->t.ts[o->txn[lo + i - 1]]);
            sum_gap += gap;
            sum_gap2 += gap * gap;
        }
    }
    row[PG_F_OUT_COUNT] = (double)n;
    row[PG_F_OUT_AMOUNT] = amount;
    row[PG_F_PAYEES] = (double)count_distinct(buf, n, tmp);
    for (int j = 0; j < 6; j++) {
        row[PG_F_LOW_SHARE + j] = n ? (double)k[j] / (double)n : 0;
    }
    row[PG_F_SUSPICION_OUT] = n ? susp / (double)n : 0;
    if (n >= 3) {
        double mu = sum_gap / (double)(n - 1);
        double var = sum_gap2 / (double)(n - 1) - mu * mu;
        double sigma = var > 0 ? sqrt(var) : 0;
        row[PG_F_BURSTINESS] = sigma + mu > 0 ? (sigma - mu) / (sigma + mu) : 0;
    }
}

static void incoming(const pg_ring_ctx *c, uint32_t a, double *row, uint32_t *buf, uint32_t *tmp)
{
    const pg_tadj *in = c->acct_in;
    int64_t lo = in->offsets[a], n = in->offsets[a + 1] - lo, ns = 0;
    double amount = 0;
    for (int64_t i = 0; i < n; i++) {
        uint32_t t = in->txn[lo + i];
        amount += (double)c->t.amount_rep[t] / c->unit;
        buf[i] = c->cust[c->t.src[t]];
        if (c->susp[t] >= PG_SUSPICIOUS) {
            tmp[n + ns++] = c->cust[c->t.src[t]];
        }
    }
    row[PG_F_IN_COUNT] = (double)n;
    row[PG_F_IN_AMOUNT] = amount;
    row[PG_F_PAYERS] = (double)count_distinct(buf, n, tmp);
    memcpy(buf, tmp + n, (size_t)ns * sizeof(*buf));
    row[PG_F_SUSPICIOUS_PAYERS] = (double)count_distinct(buf, ns, tmp);
}

/*
 * Money paid on within the window: each outgoing payment draws on the
 * inflows of the preceding week, oldest first (FIFO), in minor units.
 */
static double forward_share(const pg_ring_ctx *c, uint32_t a, int64_t *left)
{
    const pg_tadj *in = c->acct_in, *out = c->acct_out;
    int64_t ilo = in->offsets[a], ni = in->offsets[a + 1] - ilo;
    int64_t olo = out->offsets[a], no = out->offsets[a + 1] - olo;
    int64_t total = 0, forwarded = 0, head = 0, j = 0;
    for (int64_t i = 0; i < ni; i++) {
        left[i] = c->t.amount_rep[in->txn[ilo + i]];
        total += left[i];
    }
    for (int64_t k = 0; k < no; k++) {
        uint32_t t = out->txn[olo + k];
        int64_t ts = c->t.ts[t], need = c->t.amount_rep[t];
        while (j < ni && c->t.ts[in->txn[ilo + j]] <= ts) {
            j++; /* inflows up to now are available */
        }
        /* spent and expired inflows form a prefix (oldest first): skip them for good,
         * or a hub with thousands of payments in and out walks them all each time */
        while (head < j &&
               (left[head] == 0 || c->t.ts[in->txn[ilo + head]] < ts - FORWARD_WINDOW)) {
            head++;
        }
        for (int64_t i = head; i < j && need > 0; i++) {
            int64_t take = left[i] < need ? left[i] : need;
            left[i] -= take;
            need -= take;
            forwarded += take;
        }
    }
    return total > 0 ? (double)forwarded / (double)total : 0;
}

/* Per customer: payees it pays from two or more of its institutions. */
static double split_payees(const pg_ring_ctx *c, uint32_t cu, uint64_t *buf)
{
    const pg_tadj *o = &c->cust_out;
    int64_t lo = o->offsets[cu], n = o->offsets[cu + 1] - lo;
    for (int64_t i = 0; i < n; i++) {
        uint32_t t = o->txn[lo + i];
        buf[i] = ((uint64_t)c->t.dst[t] << 32) | c->a.institution[c->t.src[t]];
    }
    /* persons make tens of payments, an employer's payroll thousands */
    qsort(buf, (size_t)n, sizeof(*buf), pg_cmp_u64);
    double split = 0;
    for (int64_t i = 0; i < n;) {
        int64_t j = i, inst = 0;
        while (j < n && (buf[j] >> 32) == (buf[i] >> 32)) {
            inst += j == i || (uint32_t)buf[j] != (uint32_t)buf[j - 1];
            j++;
        }
        split += inst >= 2;
        i = j;
    }
    return split;
}

int pg_ring__features(const pg_ring_ctx *c, pg_features *out)
{
    uint32_t na = c->a.n;
    int64_t maxd = 1;
    for (uint32_t a = 0; a < na; a++) {
        int64_t d1 = c->acct_out->offsets[a + 1] - c->acct_out->offsets[a];
        int64_t d2 = c->acct_in->offsets[a + 1] - c->acct_in->offsets[a];
        maxd = d1 > maxd ? d1 : maxd;
        maxd = d2 > maxd ? d2 : maxd;
    }
    for (uint32_t u = 0; u < c->n_cust; u++) {
        int64_t d = c->cust_out.offsets[u + 1] - c->cust_out.offsets[u];
        maxd = d > maxd ? d : maxd;
    }
    out->n_accounts = na;
    out->n_features = PG_F_COUNT;
    out->names = pg_ring_feature_names;
    out->values = pg_calloc((size_t)na * PG_F_COUNT + 1, sizeof(double));
    double *split = pg_calloc((size_t)c->n_cust + 1, sizeof(double));
    size_t per = (size_t)maxd * 4; /* 8-byte words per thread */
    uint64_t *scratch = pg_malloc_array((size_t)c->threads * per, sizeof(uint64_t));
    if (!out->values || !split || !scratch) {
        pg_free(split);
        pg_free(scratch);
        return pg_error_oom("account features", (size_t)na * PG_F_COUNT * 8);
    }
#pragma omp parallel for num_threads(c->threads) schedule(dynamic, 256)
    for (int64_t u = 0; u < (int64_t)c->n_cust; u++) {
        split[u] = split_payees(c, (uint32_t)u, scratch + (size_t)pg_par_thread_id() * per);
    }
#pragma omp parallel for num_threads(c->threads) schedule(dynamic, 256)
    for (int64_t a = 0; a < (int64_t)na; a++) {
        uint64_t *s = scratch + (size_t)pg_par_thread_id() * per;
        uint32_t *buf = (uint32_t *)s, *tmp = buf + maxd;
        double *row = out->values + (size_t)a * PG_F_COUNT;
        outgoing(c, (uint32_t)a, row, buf, tmp);
        incoming(c, (uint32_t)a, row, buf, tmp);
        row[PG_F_FORWARD_SHARE] = forward_share(c, (uint32_t)a, (int64_t *)(s + 2 * maxd));
        row[PG_F_SPLIT_PAYEES] = split[c->cust[a]];
        row[PG_F_WATCHLISTED] = c->a.watch[a] ? 1.0 : 0.0;
    }
    pg_free(split);
    pg_free(scratch);
    return 0;
}
