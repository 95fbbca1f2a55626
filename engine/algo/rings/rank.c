/*
 * Ring scores, roles, explanations and evidence.
 *
 * SCORE
 * An offender ring's score is a weighted sum of six components in [0, 1],
 * each an indicator from the published guidance or from structure:
 *   suspicion   mean suspicion of the ring's payments (indicators.c), as
 *               its excess over the pool's person-to-person base rate,
 *               shrunk towards that rate when the ring has few payments
 *   payers      how many distinct customers pay in: 1 - exp(-(k - 1) / 3)
 *   providers   institutions spanned: 1 - 1/k
 *   split       share of payers who pay from two or more institutions
 *   watchlist   a member is listed (1), or the ring's risk propagated from
 *               the watchlist relative to the population (0..1)
 *   detectors   the strongest detector's confidence, raised when several
 *               detectors proposed the same ring
 * The sum is then scaled by three factors that explain ordinary look-alikes
 * away: few payers, payers tied to each other, and payments with no
 * evidence beyond the base rate (see SEVERAL_PAYERS and EVIDENCE_FLOOR).
 * A laundering typology is scored on its detector's confidence, the
 * providers it spans, hops between strangers, compactness and a listed
 * member, since its amounts are ordinary by construction. Risk propagated
 * from the watchlist (PPR) counts for offender rings only: it spreads along
 * the long-run payment graph to every ordinary counterparty of a listed
 * account (family, employer, friends), which is what an offender ring's
 * neighbourhood is made of, while a typology is a short burst of fresh
 * contacts that such proximity says nothing about. Every component is kept with its weight so the
 * explanation can say what drove the score.
 *
 * ROLES
 * From the ring's own transactions: an account receiving from two or more
 * paying customers is a facilitator; one receiving from facilitators is a
 * collector; one that only pays is a payer; one that receives and pays on
 * is an intermediary.
 */
#include "algo/rings/rank.h"
#include "algo/rings/patterns.h"
#include "algo/rings/ring_free.h"
#include "algo/rings/strangers.h"

#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/alloc.h"
#include "core/error.h"
#include "core/par.h"
#include "core/sort.h"
#include "ingest/timestamp.h"

enum {
    C_SUSPICION,
    C_PAYERS,
    C_PROVIDERS,
    C_SPLIT,
    C_WATCH,
    C_DETECTORS,
    C_UNRELATED,
    C_STRANGERS,
    C_COMPACT,
    C_COUNT
};

static const char *const comp_name[C_COUNT] = {
    "payment_suspicion", "paying_customers", "institutions",           "split_payers", "watchlist",
    "detectors",         "unrelated_payers", "hops_between_strangers", "compactness"};
static const char *const comp_label[C_COUNT] = {
    "mean suspicion of the ring's payments (low value, night, corridor, reference, round), "
    "above the pool's person-to-person base rate",
    "distinct customers paying into the ring",
    "institutions the ring spans",
    "share of payers paying from two or more institutions",
    "closeness to the watchlist",
    "confidence of the detectors that proposed the ring",
    "share of payers with no other payment to or from the ring's members",
    "share of the pattern's transfers between accounts with no counterparty in common",
    "1 - median gap between the pattern's transfers / (window / transfers)"};

/*
 * A laundering typology rests on shape and timing alone, over ordinary
 * amounts, and chance produces such shapes in any large pool: its score is
 * scaled into [0, TYPOLOGY_CEILING], so that a typology match reads at most
 * as "possible" and never outranks a ring with payment evidence.
 */
#define TYPOLOGY_CEILING 0.5

/*
 * The offender indicators speak of several, seemingly unrelated customers
 * paying the same beneficiaries (AUSTRAC's guide). An offender group's
 * score is therefore scaled by two factors for who pays: payers /
 * SEVERAL_PAYERS when fewer customers pay (one or two people paying a
 * friend), and 1 - RELATED_DISCOUNT * (share of payers tied to the ring
 * otherwise), since friends who share a payee (a housemate, a friend's
 * fundraiser) also pay each other and are paid back, which ring
 * facilitators do not.
 */
#define SEVERAL_PAYERS 3
#define RELATED_DISCOUNT 0.5

/*
 * The shape alone (unrelated customers paying one beneficiary from several
 * institutions) is what every popular payee of a large pooled data set
 * has: in a 97.8M-transaction pool tens of thousands of such groups exist,
 * and their payments are no more suspicious than the person-to-person base
 * rate. The guidance's indicators are in the payments (low values, night,
 * corridors, references), so an offender group's score is scaled by
 * EVIDENCE_FLOOR + (1 - EVIDENCE_FLOOR) * min(1, excess / EVIDENCE_FULL),
 * excess being its shrunk suspicion above the base rate (in [0, 1]): a
 * group whose payments show a quarter of the way from ordinary to fully
 * suspicious keeps its score, one with ordinary payments keeps half, and
 * the order among groups without evidence is unchanged.
 */
#define EVIDENCE_FLOOR 0.5
#define EVIDENCE_FULL 0.25

/*
 * Component weights for offender rings and for laundering typologies (each
 * sums to 1). Hops between strangers (strangers.c): chance shapes form
 * inside circles of friends, laundering hops join accounts with nothing else
 * in common. Compactness: AMLworld's patterns and the FATF's "rapid movement
 * of funds" happen within hours or days, while chance shapes of fresh
 * contacts spread over the whole window.
 */
static const double w_offender[C_COUNT] = {0.30, 0.15, 0.15, 0.15, 0.15, 0.10, 0.00, 0.00, 0.00};
static const double w_typology[C_COUNT] = {0.05, 0.00, 0.05, 0.00, 0.10, 0.25, 0.00, 0.30, 0.25};

typedef struct ring_facts {
    double comp[C_COUNT];
    double value[C_COUNT]; /* raw values for the explanation */
    uint32_t payers;       /* distinct paying customers */
    uint32_t split_payers;
    uint32_t tied_payers; /* payers with another payment to or from a member */
    uint32_t institutions;
    uint32_t watch_members;
} ring_facts;

/* The factor an offender group's score is scaled by for the evidence in its payments. */
static double evidence_factor(const ring_facts *f)
{
    double ev = f->comp[C_SUSPICION] / EVIDENCE_FULL;
    return EVIDENCE_FLOOR + (1.0 - EVIDENCE_FLOOR) * (ev > 1 ? 1 : ev);
}

/*
 * Ordinary person-to-person payments are small, cross institutions and carry
 * gift-like references, so they already score about half the suspicion
 * scale: only what a ring's payments show beyond that base rate is evidence.
 * A mean over a handful of payments is a noisy estimate, so it is shrunk
 * towards the base rate as if the ring had SUSPICION_PRIOR ordinary payments
 * besides its own (the empirical-Bayes mean of a small sample). Larger
 * values need more payments before a ring's suspicion counts; offender
 * rings make hundreds, chance groups of three friends a few.
 */
#define SUSPICION_PRIOR 10.0

static double suspicion_excess(double sum, uint32_t n, double base)
{
    double shrunk = (sum + SUSPICION_PRIOR * base) / ((double)n + SUSPICION_PRIOR);
    return base < 1 && shrunk > base ? (shrunk - base) / (1 - base) : 0;
}

/* Index of account a in the sorted member list, or -1. */
static int64_t member_index(const pg_group *G, uint32_t a)
{
    int64_t lo = 0, hi = (int64_t)G->n_acct - 1;
    while (lo <= hi) {
        int64_t mid = (lo + hi) / 2;
        if (G->acct[mid] == a) {
            return mid;
        }
        if (G->acct[mid] < a) {
            lo = mid + 1;
        } else {
            hi = mid - 1;
        }
    }
    return -1;
}

/* Number of distinct values in v (sorts v). */
static uint32_t distinct_u64(uint64_t *v, size_t n)
{
    qsort(v, n, sizeof(*v), pg_cmp_u64);
    uint32_t d = 0;
    for (size_t i = 0; i < n; i++) {
        d += i == 0 || v[i] != v[i - 1];
    }
    return d;
}

/*
 * Roles of the members from the group's transactions. pairs is scratch of
 * n_txn + 1 u64; io is scratch of n_acct bytes.
 */
static void assign_roles(const pg_ring_ctx *c, const pg_group *G, pg_ring_member *m,
                         uint64_t *pairs, uint8_t *io)
{
    enum { SENDS = 1, RECEIVES = 2 };
    uint32_t n = G->n_acct;
    for (uint32_t i = 0; i < n; i++) {
        m[i] = (pg_ring_member){G->acct[i], PG_ROLE_MEMBER, 0};
        io[i] = 0;
    }
    /* (receiver member, paying customer) pairs: distinct payers per receiver */
    size_t np = 0;
    for (uint32_t k = 0; k < G->n_txn; k++) {
        uint32_t t = G->txn[k];
        int64_t d = member_index(G, c->t.dst[t]);
        if (d >= 0 && c->cust[c->t.src[t]] != c->cust[c->t.dst[t]]) {
            pairs[np++] = ((uint64_t)d << 32) | c->cust[c->t.src[t]];
        }
    }
    qsort(pairs, np, sizeof(*pairs), pg_cmp_u64);
    for (size_t i = 0; i < np;) {
        size_t j = i, k = 0;
        while (j < np && (pairs[j] >> 32) == (pairs[i] >> 32)) {
            k += j == i || pairs[j] != pairs[j - 1];
            j++;
        }
        if (k >= 2 && !G->is_typology) {
            m[pairs[i] >> 32].role = PG_ROLE_FACILITATOR;
        }
        i = j;
    }
    for (uint32_t k = 0; k < G->n_txn; k++) {
        uint32_t t = G->txn[k];
        int64_t s = member_index(G, c->t.src[t]), d = member_index(G, c->t.dst[t]);
        if (s < 0 || d < 0) {
            continue;
        }
        if (m[s].role == PG_ROLE_FACILITATOR && m[d].role != PG_ROLE_FACILITATOR) {
            m[d].role = PG_ROLE_COLLECTOR;
        }
        io[s] |= SENDS;
        io[d] |= RECEIVES;
    }
    for (uint32_t i = 0; i < n; i++) {
        if (m[i].role != PG_ROLE_MEMBER) {
            continue;
        }
        if (io[i] == (SENDS | RECEIVES)) {
            m[i].role = PG_ROLE_INTERMEDIARY;
        } else if (io[i] == SENDS) {
            m[i].role = PG_ROLE_PAYER;
        } else if (io[i] == RECEIVES) {
            m[i].role = G->is_typology ? PG_ROLE_COLLECTOR : PG_ROLE_FACILITATOR;
        }
    }
}

/*
 * Does payer account x have a tie to the ring other than paying into it: a
 * payment to another payer, or any payment from a member, of another
 * customer?
 */
static int payer_tied(const pg_ring_ctx *c, const pg_group *G, const pg_ring_member *m, uint32_t x)
{
    const pg_tadj *out = c->acct_out, *in = c->acct_in;
    for (int64_t e = out->offsets[x]; e < out->offsets[x + 1]; e++) {
        uint32_t y = c->t.dst[out->txn[e]];
        int64_t j = member_index(G, y);
        if (j >= 0 && m[j].role == PG_ROLE_PAYER && c->cust[y] != c->cust[x]) {
            return 1;
        }
    }
    for (int64_t e = in->offsets[x]; e < in->offsets[x + 1]; e++) {
        uint32_t y = c->t.src[in->txn[e]];
        if (member_index(G, y) >= 0 && c->cust[y] != c->cust[x]) {
            return 1;
        }
    }
    return 0;
}

/* Distinct paying customers with a tie to the ring (scratch: n_acct u64). */
static uint32_t tied_payers(const pg_ring_ctx *c, const pg_group *G, const pg_ring_member *m,
                            uint64_t *scratch)
{
    size_t n = 0;
    for (uint32_t i = 0; i < G->n_acct; i++) {
        if (m[i].role == PG_ROLE_PAYER && payer_tied(c, G, m, G->acct[i])) {
            scratch[n++] = c->cust[G->acct[i]];
        }
    }
    return distinct_u64(scratch, n);
}

/*
 * How tightly G's transactions are packed in time, in [0, 1]: 1 minus the
 * median gap between consecutive transactions over the gap that n of them
 * spread evenly over the typology window would leave (window / n). The
 * median, not the span, so that a few ordinary contacts caught in the same
 * window do not hide a burst. scratch: n_txn u64.
 */
static double compactness(const pg_ring_ctx *c, const pg_group *G, uint64_t *scratch)
{
    pg_typology_options to;
    pg_typology_options_init(&to);
    uint32_t n = G->n_txn;
    if (n < 2) {
        return 0;
    }
    for (uint32_t k = 0; k < n; k++) {
        scratch[k] = (uint64_t)(c->t.ts[G->txn[k]] - c->t.ts[G->txn[0]] + INT64_MAX / 2);
    }
    qsort(scratch, n, sizeof(*scratch), pg_cmp_u64);
    for (uint32_t k = 0; k + 1 < n; k++) {
        scratch[k] = scratch[k + 1] - scratch[k];
    }
    qsort(scratch, n - 1, sizeof(*scratch), pg_cmp_u64);
    double median = (double)scratch[(n - 2) / 2];
    double spread = median * n / (double)to.window;
    return spread >= 1 ? 0 : 1 - spread;
}

/* Ring facts and the score components. scratch holds n_txn + n_acct + 1 u64. */
static void group_facts(const pg_ring_ctx *c, const pg_group *G, const pg_ring_member *m,
                        const pg_rings *r, double specificity, uint64_t *scratch, ring_facts *f)
{
    memset(f, 0, sizeof(*f));
    f->value[C_COMPACT] = compactness(c, G, scratch);
    double susp = 0;
    for (uint32_t k = 0; k < G->n_txn; k++) {
        susp += c->susp[G->txn[k]];
    }
    f->value[C_SUSPICION] = G->n_txn ? susp / G->n_txn : 0;
    /* paying customers, and their (customer, institution) pairs for splits */
    size_t np = 0;
    for (uint32_t k = 0; k < G->n_txn; k++) {
        uint32_t t = G->txn[k];
        int64_t s = member_index(G, c->t.src[t]);
        if (s >= 0 && m[s].role == PG_ROLE_PAYER) {
            scratch[np++] = ((uint64_t)c->cust[c->t.src[t]] << 32) | c->a.institution[c->t.src[t]];
        }
    }
    qsort(scratch, np, sizeof(*scratch), pg_cmp_u64);
    for (size_t i = 0; i < np;) {
        size_t j = i, inst = 0;
        while (j < np && (scratch[j] >> 32) == (scratch[i] >> 32)) {
            inst += j == i || scratch[j] != scratch[j - 1];
            j++;
        }
        f->payers++;
        f->split_payers += inst >= 2;
        i = j;
    }
    for (uint32_t i = 0; i < G->n_acct; i++) {
        scratch[i] = c->a.institution[G->acct[i]];
        f->watch_members += c->a.watch[G->acct[i]] != 0;
    }
    f->institutions = distinct_u64(scratch, G->n_acct);
    f->tied_payers = tied_payers(c, G, m, scratch);
    double ppr = 0;
    for (uint32_t i = 0; r->ppr && c->ppr_scale > 0 && i < G->n_acct; i++) {
        double rel = r->ppr[G->acct[i]] / c->ppr_scale;
        ppr = rel > ppr ? rel : ppr;
    }
    f->value[C_PAYERS] = f->payers;
    f->value[C_PROVIDERS] = f->institutions;
    f->value[C_SPLIT] = f->payers ? (double)f->split_payers / f->payers : 0;
    f->value[C_WATCH] = f->watch_members ? 1.0 : ppr;
    f->value[C_DETECTORS] = G->strength;
    f->value[C_UNRELATED] = f->payers ? 1.0 - (double)f->tied_payers / f->payers : 0;
    f->comp[C_SUSPICION] = suspicion_excess(susp, G->n_txn, c->susp_base);
    f->comp[C_PAYERS] = f->payers ? 1.0 - exp(-((double)f->payers - 1.0) / 3.0) : 0;
    f->comp[C_PROVIDERS] = f->institutions ? 1.0 - 1.0 / f->institutions : 0;
    f->comp[C_SPLIT] = f->value[C_SPLIT];
    if (G->is_typology) {
        f->comp[C_WATCH] = f->watch_members ? 1.0 : 0.0;
    } else {
        f->comp[C_WATCH] = f->value[C_WATCH] > 1 ? 1 : f->value[C_WATCH];
    }
    double det = G->strength + 0.1 * G->n_detectors;
    f->comp[C_DETECTORS] = (det > 1 ? 1 : det) * specificity;
    f->comp[C_UNRELATED] = f->value[C_UNRELATED];
    f->comp[C_COMPACT] = f->value[C_COMPACT];
}

/* First index in sorted v[0..n) whose value is > x when strictly, else >= x. */
static size_t bound(const double *v, size_t n, double x, int strictly)
{
    size_t lo = 0, hi = n;
    while (lo < hi) {
        size_t mid = (lo + hi) / 2;
        if (strictly ? v[mid] <= x : v[mid] < x) {
            lo = mid + 1;
        } else {
            hi = mid;
        }
    }
    return lo;
}

/*
 * Percentile of x in sorted v[0..n): share below plus half the ties, in 0..100.
 * Both ends by binary search: most accounts share a value of 0 for some
 * features, and counting those ties one by one made ranking quadratic.
 */
static double percentile(const double *v, size_t n, double x)
{
    if (!n) {
        return -1;
    }
    size_t below = bound(v, n, x, 0), eq = bound(v, n, x, 1) - below;
    return 100.0 * ((double)below + 0.5 * (double)eq) / (double)n;
}

/* Behaviour features reported with peer percentiles (among accounts that pay). */
static const int peer_features[] = {PG_F_NIGHT_SHARE, PG_F_CORRIDOR_SHARE, PG_F_LOW_SHARE,
                                    PG_F_REF_SHARE, PG_F_SPLIT_PAYEES};
#define N_PEER (sizeof(peer_features) / sizeof(peer_features[0]))

typedef struct peer_table {
    double *v[N_PEER];
    size_t n;
} peer_table;

static int cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

static void peers_free(peer_table *pt)
{
    for (size_t k = 0; k < N_PEER; k++) {
        pg_free(pt->v[k]);
        pt->v[k] = NULL;
    }
}

static int peers_build(const pg_rings *r, peer_table *pt)
{
    const pg_features *F = &r->features;
    memset(pt, 0, sizeof(*pt));
    for (size_t k = 0; k < N_PEER; k++) {
        pt->v[k] = pg_malloc_array((size_t)F->n_accounts + 1, sizeof(double));
        if (!pt->v[k]) {
            peers_free(pt);
            return pg_error_oom("peer percentiles", (size_t)F->n_accounts * 8);
        }
    }
    for (uint32_t a = 0; a < F->n_accounts; a++) {
        const double *row = F->values + (size_t)a * F->n_features;
        if (row[PG_F_OUT_COUNT] > 0) {
            for (size_t k = 0; k < N_PEER; k++) {
                pt->v[k][pt->n] = row[peer_features[k]];
            }
            pt->n++;
        }
    }
    for (size_t k = 0; k < N_PEER; k++) {
        qsort(pt->v[k], pt->n, sizeof(double), cmp_double);
    }
    return 0;
}

/* Mean of a feature over the ring's payers (or all members when none pay). */
static double payer_mean(const pg_rings *r, const pg_ring *R, int feature)
{
    double s = 0;
    uint32_t n = 0;
    for (int pass = 0; pass < 2 && n == 0; pass++) {
        for (uint32_t i = 0; i < R->n_members; i++) {
            if (pass == 1 || R->members[i].role == PG_ROLE_PAYER) {
                s += r->features
                         .values[(size_t)R->members[i].account * r->features.n_features + feature];
                n++;
            }
        }
    }
    return n ? s / n : 0;
}

static int set_indicators(const pg_rings *r, pg_ring *R, const ring_facts *f, const double *w,
                          const peer_table *pt)
{
    R->indicators = pg_calloc(C_COUNT + N_PEER, sizeof(*R->indicators));
    if (!R->indicators) {
        return pg_error_oom("ring indicators", (C_COUNT + N_PEER) * sizeof(pg_indicator));
    }
    double total = 0;
    for (int k = 0; k < C_COUNT; k++) {
        total += w[k] * f->comp[k];
    }
    uint32_t n = 0;
    for (int k = 0; k < C_COUNT; k++) {
        /* unrelated payers scale an offender score (a factor): shown, with no share */
        if (w[k] > 0 || (k == C_UNRELATED && w == w_offender)) {
            R->indicators[n++] = (pg_indicator){comp_name[k], comp_label[k], f->value[k], -1,
                                                total > 0 ? w[k] * f->comp[k] / total : 0};
        }
    }
    for (size_t k = 0; k < N_PEER; k++) {
        double v = payer_mean(r, R, peer_features[k]);
        R->indicators[n++] = (pg_indicator){pg_ring_feature_names[peer_features[k]],
                                            pg_ring_feature_labels[peer_features[k]], v,
                                            percentile(pt->v[k], pt->n, v), 0};
    }
    R->n_indicators = n;
    return 0;
}

static int add_sentence(pg_ring *R, const char *fmt, ...) PG_PRINTF(2, 3);

static int add_sentence(pg_ring *R, const char *fmt, ...)
{
    char buf[512];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(buf, sizeof(buf), fmt, ap);
    va_end(ap);
    char **e = pg_realloc(R->explanation, (R->n_explanation + 1) * sizeof(char *));
    if (!e) {
        return pg_error_oom("explanation", sizeof(buf));
    }
    R->explanation = e;
    if (!(e[R->n_explanation] = pg_strdup(buf))) {
        return pg_error_oom("explanation", sizeof(buf));
    }
    R->n_explanation++;
    return 0;
}

static uint32_t count_role(const pg_ring *R, pg_role role)
{
    uint32_t n = 0;
    for (uint32_t i = 0; i < R->n_members; i++) {
        n += R->members[i].role == role;
    }
    return n;
}

static const pg_indicator *indicator(const pg_ring *R, const char *name)
{
    for (uint32_t i = 0; i < R->n_indicators; i++) {
        if (!strcmp(R->indicators[i].name, name)) {
            return &R->indicators[i];
        }
    }
    return NULL;
}

static int explain(const pg_ring_ctx *c, pg_ring *R, const ring_facts *f, int typology)
{
    char t0[PG_TS_BUFSZ], t1[PG_TS_BUFSZ];
    pg_format_timestamp(t0, sizeof(t0), R->first_ts);
    pg_format_timestamp(t1, sizeof(t1), R->last_ts);
    const char *cur = pg_pool_reporting_currency(c->p);
    double total = (double)R->total_amount / c->unit;
    int err;
    if (typology) {
        err = add_sentence(R,
                           "Laundering pattern '%s': %u accounts, %u transfers between %s and "
                           "%s, %.2f %s in total.",
                           R->typology, R->n_members, R->n_txns, t0, t1, total, cur);
    } else {
        err = add_sentence(R,
                           "%u customers paid %u beneficiary account(s) %u times between %s and "
                           "%s, %.2f %s in total.",
                           f->payers, count_role(R, PG_ROLE_FACILITATOR), R->n_txns, t0, t1, total,
                           cur);
    }
    if (!err && f->split_payers) {
        err = add_sentence(R,
                           "%u of the %u payers paid from two or more institutions (split "
                           "payments no single institution sees).",
                           f->split_payers, f->payers);
    }
    const pg_indicator *night = indicator(R, "night_share"), *corr = indicator(R, "corridor_share");
    const pg_indicator *low = indicator(R, "low_share"), *ref = indicator(R, "reference_share");
    if (!err && !typology && night && corr && low && ref) {
        err = add_sentence(R,
                           "Payers' payments: %.0f%% at night in their local time (peer "
                           "percentile %.0f), %.0f%% to high-risk corridors, %.0f%% of low "
                           "value, %.0f%% with innocuous or empty references.",
                           100 * night->value, night->percentile, 100 * corr->value,
                           100 * low->value, 100 * ref->value);
    }
    double ev = typology ? 1 : evidence_factor(f);
    if (!err && ev < 1) {
        err = add_sentence(R,
                           "Its payments are barely more suspicious than the pool's ordinary "
                           "person-to-person payments: its score counts at %.0f%%.",
                           100 * ev);
    }
    if (!err && !typology && f->payers >= 2) {
        err = f->tied_payers ? add_sentence(R,
                                            "%u of the %u payers also pay or are paid by other "
                                            "members (as friends do).",
                                            f->tied_payers, f->payers)
                             : add_sentence(R, "The payers are unrelated: none pays another, and "
                                               "no member pays any of them.");
    }
    if (!err) {
        err = add_sentence(R, "The ring spans %u institutions.", R->n_institutions);
    }
    uint32_t collectors = count_role(R, PG_ROLE_COLLECTOR);
    if (!err && collectors && !typology) {
        err = add_sentence(R, "%u account(s) collect what the beneficiaries pay on.", collectors);
    }
    if (!err && f->watch_members) {
        err = add_sentence(R, "%u member(s) are on the watchlist.", f->watch_members);
    }
    return err;
}

/* Most transactions shown in one evidence path. */
#define EVIDENCE_MAX_TXN 12

static int push_evidence(pg_ring *R, const char *kind, const uint32_t *txn, uint32_t n,
                         const pg_ring_ctx *c)
{
    if (!n) {
        return 0;
    }
    pg_evidence *e = pg_realloc(R->evidence, (R->n_evidence + 1) * sizeof(*e));
    if (!e) {
        return pg_error_oom("evidence", sizeof(*e));
    }
    R->evidence = e;
    e = &R->evidence[R->n_evidence];
    e->kind = kind;
    e->txn = pg_malloc_array(n, sizeof(uint32_t));
    if (!e->txn) {
        return pg_error_oom("evidence", (size_t)n * 4);
    }
    memcpy(e->txn, txn, (size_t)n * sizeof(uint32_t));
    /* chronological, ties by index */
    for (uint32_t i = 1; i < n; i++) {
        uint32_t k = e->txn[i], j = i;
        while (j > 0 && (c->t.ts[e->txn[j - 1]] > c->t.ts[k] ||
                         (c->t.ts[e->txn[j - 1]] == c->t.ts[k] && e->txn[j - 1] > k))) {
            e->txn[j] = e->txn[j - 1];
            j--;
        }
        e->txn[j] = k;
    }
    e->n = n;
    R->n_evidence++;
    return 0;
}

static pg_role role_of(const pg_ring *R, uint32_t acct)
{
    for (uint32_t i = 0; i < R->n_members; i++) {
        if (R->members[i].account == acct) {
            return R->members[i].role;
        }
    }
    return PG_ROLE_MEMBER;
}

/* A payment into a facilitator followed within a week by its payment to a collector. */
static int flow_chain(const pg_ring_ctx *c, const pg_group *G, const pg_ring *R, uint32_t out[2])
{
    for (uint32_t k = 0; k < G->n_txn; k++) {
        uint32_t fwd = G->txn[k];
        if (role_of(R, c->t.src[fwd]) != PG_ROLE_FACILITATOR ||
            role_of(R, c->t.dst[fwd]) != PG_ROLE_COLLECTOR) {
            continue;
        }
        for (uint32_t j = 0; j < G->n_txn; j++) {
            uint32_t pay = G->txn[j];
            int64_t dt = c->t.ts[fwd] - c->t.ts[pay];
            if (c->t.dst[pay] == c->t.src[fwd] && dt >= 0 && dt <= 7 * 86400 &&
                role_of(R, c->t.src[pay]) == PG_ROLE_PAYER) {
                out[0] = pay;
                out[1] = fwd;
                return 1;
            }
        }
    }
    return 0;
}

static int add_evidence(const pg_ring_ctx *c, const pg_group *G, pg_ring *R, uint32_t *buf)
{
    uint32_t max = c->o->max_evidence ? c->o->max_evidence : 5;
    int err = 0;
    if (G->is_typology) {
        uint32_t n = G->n_txn < 2 * EVIDENCE_MAX_TXN ? G->n_txn : 2 * EVIDENCE_MAX_TXN;
        return push_evidence(R, "payments", G->txn, n, c);
    }
    uint32_t chain[2];
    if (flow_chain(c, G, R, chain)) {
        err = push_evidence(R, "money-flow", chain, 2, c);
    }
    for (uint32_t i = 0; i < R->n_members && R->n_evidence < max && !err; i++) {
        if (R->members[i].role != PG_ROLE_FACILITATOR) {
            continue;
        }
        uint32_t n = 0;
        for (uint32_t k = 0; k < G->n_txn && n < EVIDENCE_MAX_TXN; k++) {
            if (c->t.dst[G->txn[k]] == R->members[i].account) {
                buf[n++] = G->txn[k];
            }
        }
        err = push_evidence(R, "payments", buf, n, c);
    }
    return err;
}

static int ring_totals(const pg_ring_ctx *c, const pg_group *G, pg_ring *R, uint64_t *scratch)
{
    R->n_txns = G->n_txn;
    R->first_ts = INT64_MAX;
    R->last_ts = INT64_MIN;
    for (uint32_t k = 0; k < G->n_txn; k++) {
        int64_t ts = c->t.ts[G->txn[k]];
        R->total_amount += c->t.amount_rep[G->txn[k]];
        R->first_ts = ts < R->first_ts ? ts : R->first_ts;
        R->last_ts = ts > R->last_ts ? ts : R->last_ts;
    }
    if (!G->n_txn) {
        R->first_ts = R->last_ts = 0;
    }
    for (uint32_t i = 0; i < G->n_acct; i++) {
        scratch[i] = c->a.institution[G->acct[i]];
    }
    R->n_institutions = distinct_u64(scratch, G->n_acct);
    R->institutions = pg_malloc_array(R->n_institutions + 1, sizeof(uint32_t));
    if (!R->institutions) {
        return pg_error_oom("ring institutions", R->n_institutions * 4);
    }
    for (uint32_t i = 0, k = 0; i < G->n_acct; i++) {
        if (i == 0 || scratch[i] != scratch[i - 1]) {
            R->institutions[k++] = (uint32_t)scratch[i];
        }
    }
    return 0;
}

/* What each thread of a ranking works in. */
typedef struct rank_work {
    const peer_table *pt; /* shared, read only */
    pg_strangers st;
    uint64_t *scratch; /* 2 * (n_txn + n_acct) + 1 u64 of the largest group */
} rank_work;

/* One ring from one group. */
static int build_ring(const pg_ring_ctx *c, const pg_group *G, const pg_rings *r, rank_work *wk,
                      double specificity, pg_ring *R)
{
    uint64_t *scratch = wk->scratch;
    memset(R, 0, sizeof(*R));
    R->detector = G->detector;
    R->typology = G->typology;
    R->community = PG_NONE;
    R->n_members = G->n_acct;
    R->members = pg_malloc_array(G->n_acct, sizeof(*R->members));
    if (!R->members) {
        return pg_error_oom("ring members", (size_t)G->n_acct * sizeof(*R->members));
    }
    double strangers;
    int err = pg_strangers_share(&wk->st, G, &strangers);
    if (err) {
        return err;
    }
    assign_roles(c, G, R->members, scratch, (uint8_t *)(scratch + G->n_txn + 1));
    ring_facts f;
    group_facts(c, G, R->members, r, specificity, scratch, &f);
    f.value[C_STRANGERS] = f.comp[C_STRANGERS] = strangers;
    const double *w = G->is_typology ? w_typology : w_offender;
    for (int k = 0; k < C_COUNT; k++) {
        R->score += w[k] * f.comp[k];
    }
    if (G->is_typology) {
        R->score *= TYPOLOGY_CEILING;
    } else {
        if (f.payers < SEVERAL_PAYERS) {
            R->score *= (double)f.payers / SEVERAL_PAYERS;
        }
        R->score *= 1.0 - RELATED_DISCOUNT * (1.0 - f.value[C_UNRELATED]);
        R->score *= evidence_factor(&f);
    }
    err = ring_totals(c, G, R, scratch);
    if (!err) {
        err = set_indicators(r, R, &f, w, wk->pt);
    }
    if (!err) {
        err = explain(c, R, &f, G->is_typology);
    }
    if (!err) {
        err = add_evidence(c, G, R, (uint32_t *)scratch);
    }
    if (!err && r->community) {
        R->community = r->community[G->acct[0]];
    }
    return err;
}

static int is_offender(const pg_ring *r)
{
    return strcmp(r->typology, "offender-payments") == 0;
}

static int by_score(const void *a, const void *b)
{
    const pg_ring *x = a, *y = b;
    if (x->score != y->score) {
        return x->score > y->score ? -1 : 1;
    }
    uint32_t ax = x->n_members ? x->members[0].account : 0;
    uint32_t ay = y->n_members ? y->members[0].account : 0;
    if (ax != ay) {
        return ax < ay ? -1 : 1;
    }
    return (x->n_members > y->n_members) - (x->n_members < y->n_members);
}

/* Role weight of a member's own score relative to its ring's score. */
static double role_weight(pg_role role)
{
    switch (role) {
    case PG_ROLE_FACILITATOR:
        return 1.0;
    case PG_ROLE_PAYER:
        return 0.95;
    case PG_ROLE_COLLECTOR:
    case PG_ROLE_INTERMEDIARY:
        return 0.9;
    default:
        return 0.8;
    }
}

/*
 * Account scores: a member takes its ring's score (by role); the best ring
 * wins. Others keep a low base from their own payments' suspicion, below
 * any ring member, so that the ranking lists ring members first.
 */
static void account_scores(const pg_ring_ctx *c, pg_rings *r)
{
    const pg_features *F = &r->features;
    for (uint32_t a = 0; a < F->n_accounts; a++) {
        r->account_score[a] = 0.2 * F->values[(size_t)a * F->n_features + PG_F_SUSPICION_OUT];
        r->account_ring[a] = PG_NONE;
    }
    for (uint32_t i = r->n; i-- > 0;) {
        pg_ring *R = &r->rings[i];
        for (uint32_t k = 0; k < R->n_members; k++) {
            pg_ring_member *m = &R->members[k];
            m->score = is_offender(R) ? 0.5 + 0.5 * R->score * role_weight(m->role)
                                      : 0.2 + 0.3 * R->score * role_weight(m->role);
            if (m->score >= r->account_score[m->account]) {
                r->account_score[m->account] = m->score;
                r->account_ring[m->account] = R->id;
            }
        }
    }
    (void)c;
}

/*
 * How specific a typology match is in this pool: 1 minus the share of all
 * typology matches that are of its kind. A shape that chance produces
 * hundreds of times (fan-out bursts) says less than one seen a few times
 * (cycles, scatter-gather). Offender groups keep 1. Typology names are a
 * handful of static strings, so the kinds are counted once, in a short list.
 */
#define MAX_KINDS 32

typedef struct kind_counts {
    const char *name[MAX_KINDS];
    size_t count[MAX_KINDS];
    size_t n, all;
} kind_counts;

static size_t kind_slot(kind_counts *k, const char *name)
{
    for (size_t i = 0; i < k->n; i++) {
        if (!strcmp(k->name[i], name)) {
            return i;
        }
    }
    if (k->n == MAX_KINDS) {
        return MAX_KINDS - 1; /* more kinds than exist: share the last slot */
    }
    k->name[k->n] = name;
    k->count[k->n] = 0;
    return k->n++;
}

static void count_kinds(const pg_groups *gs, kind_counts *k)
{
    memset(k, 0, sizeof(*k));
    for (size_t i = 0; i < gs->n; i++) {
        if (gs->g[i].is_typology) {
            k->count[kind_slot(k, gs->g[i].typology)]++;
            k->all++;
        }
    }
}

static double specificity(kind_counts *k, const pg_group *G)
{
    if (!G->is_typology || !k->all) {
        return 1.0;
    }
    size_t same = k->count[kind_slot(k, G->typology)];
    return 1.0 - (double)(same - 1) / (double)k->all;
}

static void work_free(rank_work *w, int nt)
{
    for (int t = 0; w && t < nt; t++) {
        pg_strangers_free(&w[t].st);
        pg_free(w[t].scratch);
    }
    pg_free(w);
}

/* Per-thread scratch for groups of up to `most` u64 and stranger stamps. */
static int work_alloc(const pg_ring_ctx *c, const peer_table *pt, size_t most, int nt,
                      rank_work **out)
{
    rank_work *w = pg_calloc((size_t)nt, sizeof(*w));
    int err = w ? 0 : pg_error_oom("ranking", (size_t)nt * sizeof(*w));
    for (int t = 0; t < nt && !err; t++) {
        w[t].pt = pt;
        w[t].scratch = pg_malloc_array(most, sizeof(uint64_t));
        err = w[t].scratch ? pg_strangers_init(&w[t].st, c)
                           : pg_error_oom("ranking scratch", most * sizeof(uint64_t));
    }
    if (err) {
        work_free(w, nt);
        w = NULL;
    }
    *out = w;
    return err;
}

/* Build every ring, in parallel over groups: each ring depends on its group alone. */
static int build_all(const pg_ring_ctx *c, const pg_groups *gs, pg_rings *r, rank_work *w,
                     kind_counts *kinds, int nt)
{
    (void)nt; /* used only by OpenMP pragmas */
    int *errs = pg_calloc(gs->n + 1, sizeof(int));
    double *spec = pg_malloc_array(gs->n + 1, sizeof(double));
    if (!errs || !spec) {
        pg_free(errs);
        pg_free(spec);
        return pg_error_oom("ranking", gs->n * sizeof(double));
    }
    for (size_t i = 0; i < gs->n; i++) {
        spec[i] = specificity(kinds, &gs->g[i]);
    }
    int64_t n = (int64_t)gs->n;
#pragma omp parallel for num_threads(nt) schedule(dynamic, 16)
    for (int64_t i = 0; i < n; i++) {
        errs[i] = build_ring(c, &gs->g[i], r, &w[pg_par_thread_id()], spec[i], &r->rings[i]);
    }
    r->n = (uint32_t)gs->n; /* every ring, built or half-built, is freed with r */
    int err = 0;
    for (size_t i = 0; i < gs->n && !err; i++) {
        err = errs[i];
    }
    pg_free(errs);
    pg_free(spec);
    return err;
}

int pg_ring__rank(const pg_ring_ctx *c, const pg_groups *gs, pg_rings *r)
{
    size_t most = 1;
    for (size_t i = 0; i < gs->n; i++) {
        size_t need = 2 * ((size_t)gs->g[i].n_txn + gs->g[i].n_acct) + 1;
        most = need > most ? need : most;
    }
    r->rings = pg_calloc(gs->n + 1, sizeof(*r->rings));
    r->account_score = pg_malloc_array((size_t)c->a.n + 1, sizeof(double));
    r->account_ring = pg_malloc_array((size_t)c->a.n + 1, sizeof(uint32_t));
    if (!r->rings || !r->account_score || !r->account_ring) {
        return pg_error_oom("rings", gs->n * sizeof(pg_ring));
    }
    r->n_accounts = c->a.n;
    int nt = c->threads > 0 ? c->threads : 1;
    peer_table pt;
    kind_counts kinds;
    rank_work *w = NULL;
    count_kinds(gs, &kinds);
    int err = peers_build(r, &pt);
    if (!err) {
        err = work_alloc(c, &pt, most, nt, &w);
    }
    if (!err) {
        err = build_all(c, gs, r, w, &kinds, nt);
    }
    if (!err) {
        qsort(r->rings, r->n, sizeof(*r->rings), by_score);
        uint32_t keep = c->o->top && c->o->top < r->n ? c->o->top : r->n;
        for (uint32_t i = keep; i < r->n; i++) {
            pg_ring__free_one(&r->rings[i]);
        }
        r->n = keep;
        for (uint32_t i = 0; i < r->n; i++) {
            r->rings[i].id = i + 1;
        }
        account_scores(c, r);
    }
    work_free(w, nt);
    peers_free(&pt);
    return err;
}
