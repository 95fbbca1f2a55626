/*
 * Ordinary life of one block of persons on one day, merged with the planted
 * rows that the plan assigned to that (day, block).
 *
 * Approach: each (day, block) has its own random stream, seeded from the
 * world seed and the pair, never from a thread; persons are visited in id
 * order and every counterparty is derived from pure functions of the seed
 * (profiles, circles, houses). The result is a function of (seed, day,
 * block) alone, so any thread may compute it. Rows are sorted by time.
 *
 * What is ordinary here is chosen to resemble offending on purpose: family
 * remittances to the offenders' corridors in the evening, late-night small
 * foreign payments (gaming top-ups), weekly rent to one housemate, friends'
 * transfers with the same innocuous references. Couples' housekeeping money
 * and own-account top-ups give persons strong ordinary ties, so a ring's
 * payers do not stand apart from the rest of the graph as a community.
 *
 * Complexity: O(persons in block + rows) per call, plus a sort of the rows.
 */
#include "generator/world.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "core/alloc.h"
#include "core/error.h"

/* Persons per social circle (friends) and per house (shared-rent groups). */
#define GEN_CIRCLE 10
#define GEN_HOUSE 4

int pg_gen__rowbuf_push(gen_rowbuf *b, const gen_row *row)
{
    if (b->n == b->cap && pg_grow((void **)&b->rows, &b->cap, b->n + 1, sizeof(*b->rows)) < 0) {
        return pg_error_oom("generated rows", (b->n + 1) * sizeof(*b->rows));
    }
    b->rows[b->n] = *row;
    b->rows[b->n].seq = (uint32_t)b->n;
    b->n++;
    return PG_OK;
}

static int poisson(pg_rng *r, double lambda)
{
    double l = exp(-lambda), p = 1.0;
    int k = 0;
    do {
        k++;
        p *= pg_rng_uniform(r);
    } while (p > l && k < 50);
    return k - 1;
}

static uint32_t zipf_merchant(const gen_world *w, pg_rng *r)
{
    double u = pg_rng_uniform(r);
    uint32_t lo = 0, hi = w->merchants - 1;
    while (lo < hi) {
        uint32_t mid = lo + (hi - lo) / 2;
        if (w->merchant_cdf[mid] < u) {
            lo = mid + 1;
        } else {
            hi = mid;
        }
    }
    return lo;
}

typedef struct day_ctx {
    const gen_world *w;
    pg_rng *r;
    gen_rowbuf *out;
    int day;
    int64_t midnight; /* local midnight of an AU person, in UTC epoch seconds */
} day_ctx;

static int emit(day_ctx *c, int64_t local, int64_t amount, uint32_t src, int src_inst, uint32_t dst,
                int dst_inst, int channel, int currency, int country, int ref)
{
    gen_row row = {0};
    row.ts = c->midnight + local;
    row.amount = amount < 1 ? 1 : amount;
    row.src = src;
    row.dst = dst;
    row.src_inst = (uint8_t)src_inst;
    row.dst_inst = (uint8_t)dst_inst;
    row.channel = (uint8_t)channel;
    row.currency = (uint8_t)currency;
    row.dst_country = (uint8_t)country;
    row.ref = (uint16_t)ref;
    return pg_gen__rowbuf_push(c->out, &row);
}

static int own_account(pg_rng *r, const gen_person *p)
{
    return pg_rng_uniform(r) < 0.7 ? 0 : (int)pg_rng_below(r, p->nacc);
}

static int card_and_cash(day_ctx *c, const gen_person *p)
{
    const gen_world *w = c->w;
    int n = poisson(c->r, p->spend_rate), err = 0;
    for (int i = 0; i < n && !err; i++) {
        uint32_t m = zipf_merchant(w, c->r);
        int k = own_account(c->r, p);
        int64_t cents = (int64_t)(exp(log(4.0) + pg_rng_uniform(c->r) * log(45.0)) * 100.0);
        err = emit(c, pg_gen__local_time(c->r, 7, 15), cents, pg_gen__person_account(p->id, k),
                   p->inst[k], w->base_merchant + m, pg_gen__business_inst(w, m, 0x6d), CH_CARD,
                   CUR_AUD, C_AU, REF_PURCHASE);
    }
    if (!err && pg_rng_uniform(c->r) < 0.04) {
        int k = own_account(c->r, p);
        int64_t cents = (int64_t)(1 + pg_rng_below(c->r, 20)) * 2000;
        err =
            emit(c, pg_gen__local_time(c->r, 8, 14), cents, pg_gen__person_account(p->id, k),
                 p->inst[k], w->base_atm + p->inst[k], p->inst[k], CH_CASH, CUR_AUD, C_AU, REF_ATM);
    }
    return err;
}

static const int p2p_refs[] = {REF_DINNER,      REF_THANKS, REF_PETROL, REF_BDAY,  REF_FOOTY,
                               REF_BILLS_SPLIT, REF_GIFT,   REF_FOOD,   REF_EMPTY, REF_EMPTY,
                               REF_QUOTED,      REF_LOAN,   REF_HELP};

static uint32_t pick_friend(day_ctx *c, const gen_person *p)
{
    uint32_t persons = c->w->persons;
    if (pg_rng_uniform(c->r) < 0.12) {
        return (uint32_t)pg_rng_below(c->r, persons);
    }
    uint32_t lo = p->id / GEN_CIRCLE * GEN_CIRCLE;
    uint32_t f = lo + (uint32_t)pg_rng_below(c->r, GEN_CIRCLE);
    return f >= persons ? lo : f;
}

static int friends(day_ctx *c, const gen_person *p)
{
    const gen_world *w = c->w;
    int n = poisson(c->r, p->p2p_rate), err = 0;
    for (int i = 0; i < n && !err; i++) {
        uint32_t f = pick_friend(c, p);
        if (f == p->id) {
            continue;
        }
        gen_person q;
        pg_gen__person_profile(w, f, &q);
        int k = own_account(c->r, p), j = own_account(c->r, &q), ch = CH_TRANSFER;
        /* Wallet to wallet when both hold one: a cross-provider P2P rail. */
        for (int a = 0; a < p->nacc; a++) {
            for (int b = 0; b < q.nacc; b++) {
                if (p->inst[a] == w->wallet && q.inst[b] == w->wallet &&
                    pg_rng_uniform(c->r) < 0.5) {
                    k = a, j = b, ch = CH_WALLET;
                }
            }
        }
        int ref = p2p_refs[pg_rng_below(c->r, sizeof(p2p_refs) / sizeof(p2p_refs[0]))];
        err = emit(c, pg_gen__local_time(c->r, 8, 15), pg_gen__transfer_amount(c->r),
                   pg_gen__person_account(p->id, k), p->inst[k], pg_gen__person_account(f, j),
                   q.inst[j], ch, CUR_AUD, C_AU, ref);
    }
    return err;
}

static int salary_and_bills(day_ctx *c, const gen_person *p)
{
    const gen_world *w = c->w;
    int err = 0;
    if (p->employer != UINT32_MAX && (c->day + p->pay_phase) % 14 == 0) {
        err = emit(c, pg_gen__local_time(c->r, 2, 2), p->salary, w->base_employer + p->employer,
                   pg_gen__business_inst(w, p->employer, 0x65), pg_gen__person_account(p->id, 0),
                   p->inst[0], CH_TRANSFER, CUR_AUD, C_AU, REF_SALARY);
    }
    for (int b = 0; b < p->nbills && !err; b++) {
        if (c->day % 30 == p->bill_day[b]) {
            int64_t cents = p->bill_amount[b] + (int64_t)pg_rng_below(c->r, 2000);
            err = emit(c, pg_gen__local_time(c->r, 6, 16), cents, pg_gen__person_account(p->id, 0),
                       p->inst[0], w->base_biller + p->biller[b], p->biller[b] % w->bank_count,
                       CH_BILL, CUR_AUD, C_AU, REF_INVOICE);
        }
    }
    return err;
}

/* Shared houses: about one group of four in eight pays weekly rent to its first member. */
static int rent(day_ctx *c, const gen_person *p)
{
    const gen_world *w = c->w;
    uint32_t g = p->id / GEN_HOUSE, collector = g * GEN_HOUSE;
    uint64_t h = pg_mix64(g, w->opt.seed ^ 0x686f757365ULL);
    if (h % 100 >= 12 || p->id == collector || (uint32_t)c->day % 7 != g % 7) {
        return PG_OK;
    }
    gen_person q;
    pg_gen__person_profile(w, collector, &q);
    int64_t cents = (int64_t)(150 + (h >> 8) % 30 * 5) * 100;
    return emit(c, pg_gen__local_time(c->r, 9, 12), cents, pg_gen__person_account(p->id, 0),
                p->inst[0], pg_gen__person_account(collector, 0), q.inst[0], CH_TRANSFER, CUR_AUD,
                C_AU, pg_rng_uniform(c->r) < 0.5 ? REF_RENT : REF_RENT_COMMA);
}

static const int remit_refs[] = {REF_FAMILY, REF_SCHOOL, REF_MEDICAL, REF_ALLOWANCE,
                                 REF_FOOD,   REF_GIFT,   REF_EMPTY,   REF_HELP};

static int remittance(day_ctx *c, const gen_person *p)
{
    const gen_world *w = c->w;
    if (!p->remitter || (c->day + p->remit_phase) % 15 != 0) {
        return PG_OK;
    }
    int k = p->remit_acc, cur = CUR_AUD;
    int64_t cents = (int64_t)(exp(log(120.0) + pg_rng_uniform(c->r) * log(8.0)) * 100.0);
    if (pg_rng_uniform(c->r) < 0.5) {
        cents = (cents / 1000 + 1) * 1000;
    }
    if (p->remit_inst == w->foreign_wallet[C_PH] && pg_rng_uniform(c->r) < 0.3) {
        cur = CUR_PHP;
        cents *= 38;
    }
    int ch = p->inst[k] == w->wallet ? CH_WALLET : CH_REMITTANCE;
    int ref = remit_refs[pg_rng_below(c->r, sizeof(remit_refs) / sizeof(remit_refs[0]))];
    /* Evenings, often late: the family's morning abroad. */
    return emit(c, pg_gen__local_time(c->r, 18, 6), cents, pg_gen__person_account(p->id, k),
                p->inst[k], w->base_relative + p->id, p->remit_inst, ch, cur, p->remit_country,
                ref);
}

static int foreign_merchants(day_ctx *c, const gen_person *p)
{
    const gen_world *w = c->w;
    static const int psp_country[4] = {C_US, C_SG, C_HK, C_GB};
    static const int64_t price[4] = {499, 999, 1999, 4999};
    int err = 0;
    if (p->gamer && pg_rng_uniform(c->r) < 0.15) {
        /* Gaming top-ups: small, late at night, abroad, just like ring payments. */
        uint32_t j = (uint32_t)pg_rng_below(c->r, w->fmerchants / 2);
        int cur = pg_rng_uniform(c->r) < 0.6 ? CUR_USD : CUR_AUD;
        int64_t cents = pg_rng_uniform(c->r) < 0.6 ? price[pg_rng_below(c->r, 4)]
                                                   : (int64_t)(200 + pg_rng_below(c->r, 5800));
        int k = own_account(c->r, p), cc = psp_country[j % 4];
        err = emit(c, pg_gen__local_time(c->r, 21, 6), cents, pg_gen__person_account(p->id, k),
                   p->inst[k], w->base_fmerchant + j, w->foreign_psp[cc], CH_CARD, cur, cc,
                   REF_TOPUP);
    }
    if (!err && p->subscriber && c->day % 30 == p->sub_day) {
        uint32_t j = w->fmerchants / 2 + (uint32_t)pg_rng_below(c->r, w->fmerchants / 2);
        int cc = psp_country[j % 4];
        err = emit(c, pg_gen__local_time(c->r, 0, 24), price[1 + pg_rng_below(c->r, 2)],
                   pg_gen__person_account(p->id, 0), p->inst[0], w->base_fmerchant + j,
                   w->foreign_psp[cc], CH_CARD, CUR_USD, cc, REF_SUBSCRIPTION);
    }
    return err;
}

static const int own_refs[] = {REF_EMPTY, REF_OWN, REF_SAVINGS, REF_TOPUP};

/*
 * Own-account transfers: about weekly, people with several accounts move
 * money from the main account to a secondary one (a wallet top-up, savings
 * at the neobank). Offenders do the same before paying from the wallet.
 */
static int own_transfers(day_ctx *c, const gen_person *p)
{
    const gen_world *w = c->w;
    int err = 0;
    for (int k = 1; k < p->nacc && !err; k++) {
        if (pg_rng_uniform(c->r) >= 1.0 / 6.0) {
            continue;
        }
        int ch = p->inst[k] == w->wallet ? CH_WALLET : CH_TRANSFER;
        int ref = own_refs[pg_rng_below(c->r, sizeof(own_refs) / sizeof(own_refs[0]))];
        err = emit(c, pg_gen__local_time(c->r, 7, 15), pg_gen__transfer_amount(c->r),
                   pg_gen__person_account(p->id, 0), p->inst[0], pg_gen__person_account(p->id, k),
                   p->inst[k], ch, CUR_AUD, C_AU, ref);
    }
    return err;
}

static const int couple_refs[] = {REF_GROCERIES, REF_BILLS_SPLIT, REF_DINNER,
                                  REF_EMPTY,     REF_PETROL,      REF_FOOD};

/*
 * Couples: about two persons in five share a household with the person of
 * the neighbouring id. The first pays the second weekly housekeeping money;
 * both send each other small amounts for groceries and bills - the
 * strongest person-to-person ties of the world.
 */
static int couple(day_ctx *c, const gen_person *p)
{
    const gen_world *w = c->w;
    uint32_t pair = p->id / 2, partner = p->id ^ 1u;
    if (partner >= w->persons || pg_mix64(pair, w->opt.seed ^ 0x636f75706c65ULL) % 100 >= 40) {
        return PG_OK;
    }
    int weekly = p->id % 2 == 0 && (uint32_t)c->day % 7 == pair % 7;
    if (!weekly && pg_rng_uniform(c->r) >= 0.12) {
        return PG_OK;
    }
    gen_person q;
    pg_gen__person_profile(w, partner, &q);
    int k = own_account(c->r, p), j = own_account(c->r, &q);
    int64_t cents = weekly ? (int64_t)(10 + pg_rng_below(c->r, 50)) * 1000
                           : pg_gen__transfer_amount(c->r) / 4 + 500;
    int ref = weekly
                  ? REF_HOUSEKEEPING
                  : couple_refs[pg_rng_below(c->r, sizeof(couple_refs) / sizeof(couple_refs[0]))];
    return emit(c, pg_gen__local_time(c->r, 7, 15), cents, pg_gen__person_account(p->id, k),
                p->inst[k], pg_gen__person_account(partner, j), q.inst[j], CH_TRANSFER, CUR_AUD,
                C_AU, ref);
}

static int person_day(day_ctx *c, const gen_person *p)
{
    int err = card_and_cash(c, p);
    if (!err) {
        err = friends(c, p);
    }
    if (!err) {
        err = own_transfers(c, p);
    }
    if (!err) {
        err = couple(c, p);
    }
    if (!err) {
        err = salary_and_bills(c, p);
    }
    if (!err) {
        err = rent(c, p);
    }
    if (!err) {
        err = remittance(c, p);
    }
    if (!err) {
        err = foreign_merchants(c, p);
    }
    return err;
}

static int cmp_row(const void *a, const void *b)
{
    const gen_row *x = a, *y = b;
    if (x->ts != y->ts) {
        return x->ts < y->ts ? -1 : 1;
    }
    return x->seq < y->seq ? -1 : x->seq > y->seq;
}

static int planted_rows(const gen_world *w, uint32_t block, int day, gen_rowbuf *out)
{
    size_t lo = w->day_start[day], hi = w->day_start[day + 1];
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (w->plan[mid].block < block) {
            lo = mid + 1;
        } else {
            hi = mid;
        }
    }
    int err = 0;
    for (size_t i = lo; i < w->day_start[day + 1] && w->plan[i].block == block && !err; i++) {
        err = pg_gen__rowbuf_push(out, &w->plan[i].row);
    }
    return err;
}

int pg_gen__block_day(const gen_world *w, uint32_t block, int day, gen_rowbuf *out)
{
    pg_rng r;
    pg_rng_init(&r, w->opt.seed ^ 0x646179ULL, ((uint64_t)(uint32_t)day << 32) | block);
    day_ctx c = {w, &r, out, day, 0};
    c.midnight = w->opt.start + (int64_t)day * 86400 - (int64_t)pg_gen__local_offset(C_AU) * 3600;
    out->n = 0;
    uint32_t lo = block * GEN_BLOCK;
    uint32_t hi = lo + GEN_BLOCK < w->persons ? lo + GEN_BLOCK : w->persons;
    int err = 0;
    for (uint32_t id = lo; id < hi && !err; id++) {
        gen_person p;
        pg_gen__person_profile(w, id, &p);
        err = person_day(&c, &p);
    }
    if (!err) {
        err = planted_rows(w, block, day, out);
    }
    if (!err) {
        qsort(out->rows, out->n, sizeof(*out->rows), cmp_row);
    }
    return err;
}
