/*
 * Planted offender payment rings (ids R1, R2, ...), following the published
 * indicators of paying for child sexual exploitation: AUSTRAC, "Combating
 * the sexual exploitation of children for financial gain" (financial crime
 * guide, 2022); FinCEN notice FIN-2021-NTC3; FATF, "Money laundering and
 * terrorist financing risks arising from the online sexual exploitation of
 * children" (2025).
 *
 * A ring: payers who each hold accounts at two or more providers send
 * frequent low-value payments (about A$10-200, often round) to the same few
 * facilitators, in sessions at local night split across their providers,
 * with innocuous or empty references. Facilitators sit abroad (mostly the
 * Philippines and South-East Asia) or are domestic mule accounts of people
 * with ordinary lives; mules forward most of what they receive to a
 * collector. Some rings escalate (more often, larger amounts over time);
 * every fifth ring is small (three payers paying once or twice). Payers keep
 * their ordinary activity: they are persons of the world like any other.
 *
 * Each ring draws from its own random stream (seed, ring id), so adding
 * rings does not change the earlier ones. Complexity O(planted rows).
 */
#include "generator/world.h"

#include <string.h>

#include "core/alloc.h"
#include "core/error.h"

#define RING_MAX_PAYERS 36
#define RING_MAX_FAC 3
#define RING_MAX_ACCOUNTS 40

typedef struct ring_acct {
    uint32_t acct;
    uint32_t person; /* UINT32_MAX when abroad */
    uint8_t inst, country;
} ring_acct;

typedef struct ring {
    int id, small, escalate, nfac, npayers, has_collector;
    ring_acct fac[RING_MAX_FAC];
    int fac_is_mule[RING_MAX_FAC];
    ring_acct collector;
    gen_person payer[RING_MAX_PAYERS];
    uint8_t used[RING_MAX_PAYERS]; /* bit k: payer used own account k */
} ring;

static const int ring_refs[] = {REF_GIFT, REF_SCHOOL,    REF_MEDICAL, REF_FOOD,
                                REF_HELP, REF_ALLOWANCE, REF_LOAD};

static int foreign_beneficiary(gen_world *w, pg_rng *r, ring_acct *out)
{
    double u = pg_rng_uniform(r);
    int cc = u < 0.6 ? C_PH : u < 0.75 ? C_VN : u < 0.9 ? C_ID : C_TH;
    int inst = w->foreign_bank[cc];
    if (cc == C_PH && pg_rng_uniform(r) < 0.5) {
        inst = w->foreign_wallet[C_PH];
    }
    out->person = UINT32_MAX;
    out->inst = (uint8_t)inst;
    out->country = (uint8_t)cc;
    return pg_gen__foreign_add(w, inst, cc, &out->acct);
}

static void domestic_person(gen_world *w, pg_rng *r, ring_acct *out)
{
    gen_person q;
    uint32_t p = pg_gen__pick_person(w);
    pg_gen__person_profile(w, p, &q);
    int k = (int)pg_rng_below(r, q.nacc);
    out->person = p;
    out->acct = pg_gen__person_account(p, k);
    out->inst = q.inst[k];
    out->country = C_AU;
}

/* Payers hold accounts at two or more providers: skip persons with one account. */
static int pick_payer(gen_world *w, gen_person *out)
{
    for (int tries = 0; tries < 10000; tries++) {
        pg_gen__person_profile(w, pg_gen__pick_person(w), out);
        if (out->nacc >= 2) {
            return PG_OK;
        }
    }
    return pg_error_set(PG_EINVAL, "generate: too few persons with two accounts for the rings");
}

static int ring_cast(gen_world *w, pg_rng *r, ring *g)
{
    const pg_generate_options *o = &w->opt;
    int err = 0;
    g->small = g->id % 5 == 0;
    g->escalate = !g->small && pg_rng_uniform(r) < 0.4;
    int span = o->ring_payers_max - 3;
    g->npayers = g->small ? 3 : 4 + (int)pg_rng_below(r, (uint64_t)(span > 1 ? span : 1));
    g->nfac = g->small ? 1 : 1 + (int)pg_rng_below(r, RING_MAX_FAC);
    int mules = 0;
    for (int f = 0; f < g->nfac && !err; f++) {
        /* Small rings pay abroad: a ring then always spans two institutions. */
        g->fac_is_mule[f] = !g->small && pg_rng_uniform(r) < 0.35;
        if (g->fac_is_mule[f]) {
            domestic_person(w, r, &g->fac[f]);
            mules++;
        } else {
            err = foreign_beneficiary(w, r, &g->fac[f]);
        }
    }
    g->has_collector = mules > 0 && pg_rng_uniform(r) < 0.8;
    if (!err && g->has_collector) {
        if (pg_rng_uniform(r) < 0.6) {
            err = foreign_beneficiary(w, r, &g->collector);
        } else {
            domestic_person(w, r, &g->collector);
        }
    }
    /* Ring sizes stay within 4-40 accounts: stop adding payers at the cap. */
    int size = g->nfac + g->has_collector;
    for (int i = 0; i < g->npayers && !err; i++) {
        err = pick_payer(w, &g->payer[i]);
        if (!err && size + g->payer[i].nacc > RING_MAX_ACCOUNTS) {
            g->npayers = i;
            break;
        }
        size += g->payer[i].nacc;
    }
    return err;
}

static int64_t ring_amount(const pg_generate_options *o, pg_rng *r, double progress, int escalate)
{
    int64_t lo = o->ring_amount_min, hi = o->ring_amount_max;
    if (escalate) {
        hi = lo + (int64_t)((double)(hi - lo) * (0.35 + 0.65 * progress));
    }
    if (pg_rng_uniform(r) < o->ring_round_share) {
        int64_t lo5 = (lo + 499) / 500, hi5 = hi / 500;
        if (hi5 >= lo5) {
            return (lo5 + (int64_t)pg_rng_below(r, (uint64_t)(hi5 - lo5 + 1))) * 500;
        }
    }
    return lo + (int64_t)pg_rng_below(r, (uint64_t)(hi - lo + 1));
}

static int ring_channel(const gen_world *w, int src_inst, const ring_acct *dst)
{
    if (src_inst == w->wallet) {
        return CH_WALLET;
    }
    if (dst->person == UINT32_MAX) {
        return CH_REMITTANCE;
    }
    return CH_TRANSFER;
}

/* One session: 2-4 payments minutes apart, rotating over the payer's providers. */
static int ring_session(gen_world *w, pg_rng *r, ring *g, int i, int day, int session, int npay)
{
    const pg_generate_options *o = &w->opt;
    gen_person *p = &g->payer[i];
    int night = pg_rng_uniform(r) < o->ring_night_share;
    int64_t local = night ? pg_gen__local_time(r, 21, 6) : pg_gen__local_time(r, 9, 12);
    int pref = i % g->nfac, err = 0;
    double progress = (double)day / (double)o->days;
    for (int j = 0; j < npay && !err; j++) {
        int k = (session + j) % p->nacc;
        int f = pg_rng_uniform(r) < 0.8 ? pref : (int)pg_rng_below(r, (uint64_t)g->nfac);
        gen_row row = {0};
        row.ts = pg_gen__utc(w, day, local, C_AU);
        row.amount = ring_amount(o, r, progress, g->escalate);
        row.src = pg_gen__person_account(p->id, k);
        row.src_inst = p->inst[k];
        row.dst = g->fac[f].acct;
        row.dst_inst = g->fac[f].inst;
        row.dst_country = g->fac[f].country;
        row.channel = (uint8_t)ring_channel(w, p->inst[k], &g->fac[f]);
        row.currency = CUR_AUD;
        row.label = 1;
        row.ref = (uint16_t)(pg_rng_uniform(r) < o->ring_empty_ref
                                 ? REF_EMPTY
                                 : ring_refs[pg_rng_below(r, sizeof(ring_refs) / sizeof(int))]);
        g->used[i] |= (uint8_t)(1u << k);
        err = pg_gen__plan_add(w, &row, p->id, day);
        local += 120 + (int64_t)pg_rng_below(r, 1500);
    }
    return err;
}

static int ring_payer(gen_world *w, pg_rng *r, ring *g, int i)
{
    int days = w->opt.days, err = 0;
    if (g->small) {
        int n = 1 + (int)pg_rng_below(r, 2);
        for (int s = 0; s < n && !err; s++) {
            err = ring_session(w, r, g, i, (int)pg_rng_below(r, (uint64_t)days), s, 1);
        }
        return err;
    }
    /* Regular payers: a session every few days, more often as an escalating ring grows. */
    int mean_gap = 3 + (int)pg_rng_below(r, 6);
    int day = (int)pg_rng_below(r, (uint64_t)(days / 3 + 1));
    for (int s = 0; day < days && !err; s++) {
        err = ring_session(w, r, g, i, day, s, 2 + (int)pg_rng_below(r, 3));
        double shrink = g->escalate ? 1.0 - 0.6 * (double)day / days : 1.0;
        day += 1 + (int)pg_rng_below(r, (uint64_t)(2 * mean_gap * shrink) + 1);
    }
    return err;
}

/* Mules forward 70-95% of what came in, every 2-4 days, to the collector. */
static int ring_forward(gen_world *w, pg_rng *r, ring *g, size_t first_row, int f)
{
    int days = w->opt.days, err = 0, forwarded = 0;
    const ring_acct *m = &g->fac[f];
    int64_t *inflow = pg_calloc((size_t)days + 1, sizeof(int64_t));
    if (!inflow) {
        return pg_error_oom("mule inflow", ((size_t)days + 1) * sizeof(int64_t));
    }
    for (size_t i = first_row; i < w->nplan; i++) {
        if (w->plan[i].row.dst == m->acct) {
            inflow[w->plan[i].day] += w->plan[i].row.amount;
        }
    }
    int64_t held = 0;
    int next = 2 + (int)pg_rng_below(r, 3);
    /*
     * A forward on day d (local 10:00-20:00) moves only what arrived on earlier days:
     * night sessions end by about 04:30 local, so money never leaves before it came in.
     */
    for (int d = 0; d < days && !err; d++) {
        int64_t today = inflow[d];
        int last = d == days - 1 && !forwarded;
        if ((d < next && !last) || held < 5000) {
            held += today;
            continue;
        }
        gen_row row = {0};
        row.amount = held * (70 + (int64_t)pg_rng_below(r, 26)) / 100;
        row.ts = pg_gen__utc(w, d, pg_gen__local_time(r, 10, 10), C_AU);
        row.src = m->acct;
        row.src_inst = m->inst;
        row.dst = g->collector.acct;
        row.dst_inst = g->collector.inst;
        row.dst_country = g->collector.country;
        row.channel = (uint8_t)(g->collector.person == UINT32_MAX ? CH_REMITTANCE : CH_TRANSFER);
        row.currency = CUR_AUD;
        row.label = 1;
        row.ref = (uint16_t)(pg_rng_uniform(r) < 0.5 ? REF_EMPTY : REF_LOAN);
        err = pg_gen__plan_add(w, &row, m->person, d);
        held = today;
        forwarded++;
        next = d + 2 + (int)pg_rng_below(r, 3);
    }
    pg_free(inflow);
    return err;
}

static int ring_members(gen_world *w, const ring *g, int forwarded)
{
    int err = 0;
    for (int i = 0; i < g->npayers && !err; i++) {
        for (int k = 0; k < g->payer[i].nacc && !err; k++) {
            if (g->used[i] & (1u << k)) {
                err = pg_gen__member_add(w, pg_gen__person_account(g->payer[i].id, k),
                                         g->payer[i].inst[k], 'R', g->id, ROLE_PAYER);
            }
        }
    }
    for (int f = 0; f < g->nfac && !err; f++) {
        err = pg_gen__member_add(w, g->fac[f].acct, g->fac[f].inst, 'R', g->id,
                                 g->fac_is_mule[f] ? ROLE_MULE : ROLE_FACILITATOR);
    }
    if (!err && forwarded) {
        err =
            pg_gen__member_add(w, g->collector.acct, g->collector.inst, 'R', g->id, ROLE_COLLECTOR);
    }
    return err;
}

/* A facilitator nobody paid would be a truth account without transactions: pay it once. */
static int ring_cover_facilitators(gen_world *w, pg_rng *r, ring *g, size_t first)
{
    int err = 0;
    for (int f = 0; f < g->nfac && !err; f++) {
        int paid = 0;
        for (size_t i = first; i < w->nplan && !paid; i++) {
            paid = w->plan[i].row.dst == g->fac[f].acct;
        }
        if (!paid) {
            int i = (int)pg_rng_below(r, (uint64_t)g->npayers);
            int save = g->nfac;
            ring_acct keep = g->fac[0];
            g->fac[0] = g->fac[f];
            g->nfac = 1;
            err = ring_session(w, r, g, i, (int)pg_rng_below(r, (uint64_t)w->opt.days), 0, 1);
            g->fac[0] = keep;
            g->nfac = save;
        }
    }
    return err;
}

static int plan_ring(gen_world *w, int id)
{
    pg_rng r;
    pg_rng_init(&r, w->opt.seed ^ 0x72696e67ULL, (uint64_t)id);
    ring *g = pg_calloc(1, sizeof(*g));
    if (!g) {
        return pg_error_oom("ring", sizeof(*g));
    }
    g->id = id;
    size_t first = w->nplan;
    int err = ring_cast(w, &r, g);
    for (int i = 0; i < g->npayers && !err; i++) {
        err = ring_payer(w, &r, g, i);
    }
    if (!err) {
        err = ring_cover_facilitators(w, &r, g, first);
    }
    size_t before = w->nplan;
    for (int f = 0; f < g->nfac && !err; f++) {
        if (g->fac_is_mule[f] && g->has_collector) {
            err = ring_forward(w, &r, g, first, f);
        }
    }
    if (!err) {
        err = ring_members(w, g, w->nplan > before);
    }
    pg_free(g);
    return err;
}

int pg_gen__plan_rings(gen_world *w)
{
    int err = 0;
    for (int id = 1; id <= w->opt.rings && !err; id++) {
        err = plan_ring(w, id);
    }
    if (!err) {
        w->rings_planted = w->opt.rings;
    }
    return err;
}
