/*
 * The world of the generator: institutions, the account index space, person
 * profiles and the tables the other generator files draw from.
 *
 * Approach: nothing about an ordinary person is stored. A profile is a pure
 * function of (seed, person id) computed from its own random stream, so the
 * block that generates a person's day can compute any friend's or
 * housemate's accounts without shared mutable state, and memory stays
 * O(institutions + merchants + planted rows) at any number of transactions.
 */
#include "generator/world.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/alloc.h"
#include "core/error.h"

const char *const pg_gen__country_code[C_COUNT] = {"AU", "PH", "VN", "ID", "TH",
                                                   "IN", "US", "SG", "HK", "GB"};
/* Standard time, no daylight saving: AU is taken as AEST (UTC+10). */
const int pg_gen__country_utc_offset[C_COUNT] = {10, 8, 7, 7, 7, 5, -5, 8, 8, 0};
const char *const pg_gen__channel_name[CH_COUNT] = {"card",   "transfer", "remittance",
                                                    "wallet", "cash",     "bill"};
const char *const pg_gen__currency_code[CUR_COUNT] = {"AUD", "USD", "PHP"};
const char *const pg_gen__role_name[ROLE_COUNT] = {"payer",  "facilitator",  "mule", "collector",
                                                   "source", "intermediate", "sink"};
const char *const pg_gen__watch_label[3] = {"law_enforcement_referral", "prior_report",
                                            "adverse_media"};

/*
 * References. The offender vocabulary ("gift", "school fees", ...) is also
 * used by legitimate family remittances and friends, as in real data.
 * Two entries need CSV quoting on purpose.
 */
const char *const pg_gen__reference[REF_COUNT] = {"",
                                                  "gift",
                                                  "school fees",
                                                  "medical bills",
                                                  "food",
                                                  "help",
                                                  "allowance",
                                                  "load",
                                                  "rent",
                                                  "dinner",
                                                  "thanks",
                                                  "petrol",
                                                  "bday",
                                                  "footy tix",
                                                  "bills split",
                                                  "rent, wk",
                                                  "for \"Mum\"",
                                                  "SALARY",
                                                  "INV",
                                                  "family support",
                                                  "fundraiser",
                                                  "for Sam's family",
                                                  "top-up",
                                                  "subscription",
                                                  "",
                                                  "ATM",
                                                  "loan repay",
                                                  "own transfer",
                                                  "savings",
                                                  "housekeeping",
                                                  "groceries"};

int pg_gen__local_offset(int country)
{
    return pg_gen__country_utc_offset[country];
}

uint64_t pg_gen__scramble(uint64_t x, uint64_t seed)
{
    const uint64_t m = (1ULL << 40) - 1;
    uint64_t s = pg_mix64(seed, 0x5ca1ab1eULL);
    x = (x + s) & m;
    x = (x * 0xB5297A4DULL) & m;
    x ^= x >> 19;
    x = (x * 0x68E31DA5ULL) & m;
    x ^= x >> 21;
    x = (x + (s >> 24)) & m;
    return x;
}

uint32_t pg_gen__person_account(uint32_t p, int k)
{
    return p * 3u + (uint32_t)k;
}

int64_t pg_gen__local_time(pg_rng *r, int from_hour, int span_hours)
{
    return (int64_t)from_hour * 3600 + (int64_t)pg_rng_below(r, (uint64_t)span_hours * 3600);
}

static double log_uniform(pg_rng *r, double lo, double hi)
{
    return exp(log(lo) + pg_rng_uniform(r) * (log(hi) - log(lo)));
}

/*
 * Ordinary transfer amounts, shared by friends' transfers and the laundering
 * typologies (AMLworld draws laundering amounts from the ordinary
 * distributions, so amounts alone cannot separate them). About half are whole
 * dollars rounded to 5 or 10, the rest log-uniform with cents.
 */
int64_t pg_gen__transfer_amount(pg_rng *r)
{
    if (pg_rng_uniform(r) < 0.55) {
        int64_t d = (int64_t)log_uniform(r, 10.0, 800.0);
        int64_t step = pg_rng_uniform(r) < 0.5 ? 5 : 10;
        d = (d + step - 1) / step * step;
        return d * 100;
    }
    return (int64_t)(log_uniform(r, 5.0, 2500.0) * 100.0);
}

static void add_inst(gen_world *w, const char *name, int kind, int country)
{
    gen_inst *in = &w->inst[w->ninst++];
    snprintf(in->name, sizeof(in->name), "%s", name);
    in->kind = (uint8_t)kind;
    in->country = (uint8_t)country;
}

static void make_institutions(gen_world *w)
{
    int k = w->opt.institutions;
    w->bank_count = k - 3;
    for (int i = 0; i < w->bank_count; i++) {
        char name[16];
        /* The last of four or more deposit takers is a credit union. */
        if (w->bank_count >= 4 && i == w->bank_count - 1) {
            snprintf(name, sizeof(name), "CU1");
            add_inst(w, name, INST_CU, C_AU);
        } else {
            snprintf(name, sizeof(name), "BANK%d", i + 1);
            add_inst(w, name, INST_BANK, C_AU);
        }
    }
    w->neo = w->ninst;
    add_inst(w, "NEO1", INST_NEO, C_AU);
    w->wallet = w->ninst;
    add_inst(w, "WALLET1", INST_WALLET, C_AU);
    w->remit = w->ninst;
    add_inst(w, "REMIT1", INST_REMIT, C_AU);
    w->ndomestic = w->ninst;
    for (int c = 0; c < C_COUNT; c++) {
        w->foreign_bank[c] = w->foreign_wallet[c] = w->foreign_psp[c] = -1;
    }
    static const int banks[] = {C_PH, C_VN, C_ID, C_TH, C_IN};
    for (size_t i = 0; i < sizeof(banks) / sizeof(banks[0]); i++) {
        char name[16];
        snprintf(name, sizeof(name), "%s-BANK", pg_gen__country_code[banks[i]]);
        w->foreign_bank[banks[i]] = w->ninst;
        add_inst(w, name, INST_FOREIGN, banks[i]);
    }
    w->foreign_wallet[C_PH] = w->ninst;
    add_inst(w, "PH-EWALLET", INST_FOREIGN, C_PH);
    static const int psps[] = {C_US, C_SG, C_HK, C_GB};
    for (size_t i = 0; i < sizeof(psps) / sizeof(psps[0]); i++) {
        char name[16];
        snprintf(name, sizeof(name), "%s-PSP", pg_gen__country_code[psps[i]]);
        w->foreign_psp[psps[i]] = w->ninst;
        add_inst(w, name, INST_FOREIGN, psps[i]);
    }
}

static int make_merchants(gen_world *w)
{
    w->merchant_cdf = pg_malloc_array(w->merchants, sizeof(double));
    if (!w->merchant_cdf) {
        return pg_error_oom("merchant popularity", w->merchants * sizeof(double));
    }
    /* Zipf popularity with exponent 1.1: a few chains take most purchases. */
    double sum = 0.0;
    for (uint32_t i = 0; i < w->merchants; i++) {
        sum += pow((double)(i + 1), -1.1);
        w->merchant_cdf[i] = sum;
    }
    for (uint32_t i = 0; i < w->merchants; i++) {
        w->merchant_cdf[i] /= sum;
    }
    return PG_OK;
}

static uint64_t gcd_u64(uint64_t a, uint64_t b)
{
    while (b) {
        uint64_t t = a % b;
        a = b;
        b = t;
    }
    return a;
}

int pg_gen__world_init(gen_world *w, const pg_generate_options *opt)
{
    memset(w, 0, sizeof(*w));
    w->opt = *opt;
    w->persons = (uint32_t)opt->persons;
    make_institutions(w);
    w->merchants = w->persons / 40 < 50 ? 50 : w->persons / 40;
    w->employers = w->persons / 100 < 10 ? 10 : w->persons / 100;
    w->billers = 24;
    w->fmerchants = 40;
    w->base_merchant = w->persons * 3u;
    w->base_employer = w->base_merchant + w->merchants;
    w->base_biller = w->base_employer + w->employers;
    w->base_fmerchant = w->base_biller + w->billers;
    w->base_atm = w->base_fmerchant + w->fmerchants;
    w->base_relative = w->base_atm + GEN_MAX_INST;
    w->base_foreign = w->base_relative + w->persons;
    w->nblocks = (w->persons + GEN_BLOCK - 1) / GEN_BLOCK;
    /* Planted persons come from a bijection i -> (a i + c) mod P: never picked twice. */
    pg_rng r;
    pg_rng_init(&r, opt->seed, 0x91c4ULL);
    uint64_t a = w->persons / 3 + pg_rng_below(&r, w->persons / 2);
    while (gcd_u64(a, w->persons) != 1) {
        a++;
    }
    w->pick_a = (uint32_t)(a % w->persons);
    w->pick_c = (uint32_t)pg_rng_below(&r, w->persons);
    return make_merchants(w);
}

void pg_gen__world_free(gen_world *w)
{
    pg_free(w->merchant_cdf);
    pg_free(w->plan);
    pg_free(w->day_start);
    pg_free(w->members);
    pg_free(w->watch);
    pg_free(w->foreign);
    memset(w, 0, sizeof(*w));
}

uint32_t pg_gen__pick_person(gen_world *w)
{
    uint64_t i = w->pick_next++;
    return (uint32_t)(((uint64_t)w->pick_a * i + w->pick_c) % w->persons);
}

static int pick_weighted_inst(const gen_world *w, pg_rng *r, const uint8_t *taken, int ntaken,
                              int primary)
{
    double weight[GEN_MAX_INST];
    double sum = 0.0;
    for (int i = 0; i < w->ndomestic; i++) {
        double x;
        if (i < w->bank_count) {
            x = primary ? 4.0 / (i + 1) : 1.0;
        } else if (i == w->neo) {
            x = primary ? 0.5 : 1.6;
        } else if (i == w->wallet) {
            x = primary ? 0.2 : 1.3;
        } else {
            x = primary ? 0.0 : 0.25;
        }
        for (int t = 0; t < ntaken; t++) {
            if (taken[t] == i) {
                x = 0.0;
            }
        }
        weight[i] = x;
        sum += x;
    }
    double u = pg_rng_uniform(r) * sum;
    for (int i = 0; i < w->ndomestic; i++) {
        if (u < weight[i]) {
            return i;
        }
        u -= weight[i];
    }
    return 0;
}

static int has_inst(const gen_person *p, int inst)
{
    for (int k = 0; k < p->nacc; k++) {
        if (p->inst[k] == inst) {
            return k;
        }
    }
    return -1;
}

/* Family remittance corridors: the same ones offenders use, on purpose. */
static int remit_country(pg_rng *r)
{
    double u = pg_rng_uniform(r);
    return u < 0.40 ? C_PH : u < 0.60 ? C_IN : u < 0.75 ? C_VN : u < 0.90 ? C_ID : C_TH;
}

static void profile_remittance(const gen_world *w, pg_rng *r, gen_person *p)
{
    p->remitter = pg_rng_uniform(r) < 0.06;
    p->remit_country = (uint8_t)remit_country(r);
    p->remit_phase = (uint8_t)pg_rng_below(r, 15);
    p->remit_inst = (uint8_t)w->foreign_bank[p->remit_country];
    if (p->remit_country == C_PH && pg_rng_uniform(r) < 0.5) {
        p->remit_inst = (uint8_t)w->foreign_wallet[C_PH];
    }
    p->remit_acc = 0;
    if (!p->remitter) {
        return;
    }
    int k = has_inst(p, w->remit);
    if (k < 0) {
        k = has_inst(p, w->wallet);
    }
    if (k < 0 && pg_rng_uniform(r) < 0.6) {
        /* Many remitters open an account at the remittance provider. */
        k = p->nacc < 3 ? p->nacc++ : 2;
        p->inst[k] = (uint8_t)w->remit;
    }
    p->remit_acc = (uint8_t)(k < 0 ? 0 : k);
}

void pg_gen__person_profile(const gen_world *w, uint32_t id, gen_person *p)
{
    pg_rng r;
    pg_rng_init(&r, w->opt.seed ^ 0x7065727330ULL, id);
    memset(p, 0, sizeof(*p));
    p->id = id;
    double u = pg_rng_uniform(&r);
    p->nacc = (uint8_t)(u < 0.45 ? 1 : u < 0.85 ? 2 : 3);
    for (int k = 0; k < p->nacc; k++) {
        p->inst[k] = (uint8_t)pick_weighted_inst(w, &r, p->inst, k, k == 0);
    }
    profile_remittance(w, &r, p);
    p->gamer = pg_rng_uniform(&r) < 0.10;
    p->subscriber = pg_rng_uniform(&r) < 0.5;
    p->sub_day = (uint8_t)pg_rng_below(&r, 30);
    p->employer = UINT32_MAX;
    if (pg_rng_uniform(&r) < 0.82) {
        p->employer = (uint32_t)pg_rng_below(&r, w->employers);
        p->salary = 180000 + (int64_t)pg_rng_below(&r, 300000);
        /* Everyone at one employer is paid on the same day of the fortnight. */
        p->pay_phase = (uint8_t)(pg_mix64(p->employer, w->opt.seed) % 14);
    }
    p->nbills = (uint8_t)(1 + pg_rng_below(&r, 3));
    for (int b = 0; b < p->nbills; b++) {
        p->biller[b] = (uint8_t)pg_rng_below(&r, w->billers);
        p->bill_day[b] = (uint8_t)pg_rng_below(&r, 28);
        p->bill_amount[b] = 4000 + (int64_t)pg_rng_below(&r, 36000);
    }
    p->spend_rate = 0.3 + 1.4 * pg_rng_uniform(&r);
    p->p2p_rate = 0.04 + 0.26 * pg_rng_uniform(&r);
}

static int plan_reserve(gen_world *w)
{
    if (pg_grow((void **)&w->plan, &w->plan_cap, w->nplan + 1, sizeof(*w->plan)) < 0) {
        return pg_error_oom("planted rows", (w->nplan + 1) * sizeof(*w->plan));
    }
    return PG_OK;
}

int pg_gen__plan_add(gen_world *w, const gen_row *row, uint32_t src_person, int day)
{
    if (day < 0 || day >= w->opt.days) {
        return PG_OK; /* outside the simulated span: dropped by design */
    }
    int err = plan_reserve(w);
    if (err < 0) {
        return err;
    }
    gen_plan_row *pr = &w->plan[w->nplan++];
    pr->row = *row;
    pr->day = day;
    pr->block = src_person / GEN_BLOCK;
    return PG_OK;
}

int pg_gen__member_add(gen_world *w, uint32_t acct, int inst, char group, int id, int role)
{
    if (pg_grow((void **)&w->members, &w->members_cap, w->nmembers + 1, sizeof(*w->members)) < 0) {
        return pg_error_oom("planted accounts", (w->nmembers + 1) * sizeof(*w->members));
    }
    gen_member *m = &w->members[w->nmembers++];
    m->acct = acct;
    m->inst = (uint8_t)inst;
    m->group = group;
    m->id = id;
    m->role = (uint16_t)role;
    return PG_OK;
}

int pg_gen__watch_add(gen_world *w, uint32_t acct, int inst, int label)
{
    if (pg_grow((void **)&w->watch, &w->watch_cap, w->nwatch + 1, sizeof(*w->watch)) < 0) {
        return pg_error_oom("watchlist", (w->nwatch + 1) * sizeof(*w->watch));
    }
    gen_watch *x = &w->watch[w->nwatch++];
    x->acct = acct;
    x->inst = (uint8_t)inst;
    x->label = (uint8_t)label;
    return PG_OK;
}

int pg_gen__foreign_add(gen_world *w, int inst, int country, uint32_t *acct)
{
    if (pg_grow((void **)&w->foreign, &w->foreign_cap, w->nforeign + 1, sizeof(*w->foreign)) < 0) {
        return pg_error_oom("foreign accounts", (w->nforeign + 1) * sizeof(*w->foreign));
    }
    gen_foreign *f = &w->foreign[w->nforeign];
    f->acct = w->base_foreign + w->nforeign;
    f->inst = (uint8_t)inst;
    f->country = (uint8_t)country;
    w->nforeign++;
    *acct = f->acct;
    return PG_OK;
}

int pg_gen__business_inst(const gen_world *w, uint32_t index, uint64_t salt)
{
    return (int)(pg_mix64(index, w->opt.seed ^ salt) % (uint64_t)w->bank_count);
}

int pg_gen__day_of(const gen_world *w, int64_t ts)
{
    int64_t rel = ts - w->opt.start + (int64_t)pg_gen__local_offset(C_AU) * 3600;
    return (int)(rel >= 0 ? rel / 86400 : -1);
}

int64_t pg_gen__utc(const gen_world *w, int day, int64_t local, int country)
{
    return w->opt.start + (int64_t)day * 86400 + local -
           (int64_t)pg_gen__local_offset(country) * 3600;
}

static int cmp_plan(const void *a, const void *b)
{
    const gen_plan_row *x = a, *y = b;
    if (x->day != y->day) {
        return x->day < y->day ? -1 : 1;
    }
    if (x->block != y->block) {
        return x->block < y->block ? -1 : 1;
    }
    if (x->row.ts != y->row.ts) {
        return x->row.ts < y->row.ts ? -1 : 1;
    }
    return x->row.seq < y->row.seq ? -1 : x->row.seq > y->row.seq;
}

int pg_gen__plan_finish(gen_world *w)
{
    for (size_t i = 0; i < w->nplan; i++) {
        w->plan[i].row.seq = (uint32_t)i;
    }
    qsort(w->plan, w->nplan, sizeof(*w->plan), cmp_plan);
    w->day_start = pg_calloc((size_t)w->opt.days + 1, sizeof(size_t));
    if (!w->day_start) {
        return pg_error_oom("plan index", ((size_t)w->opt.days + 1) * sizeof(size_t));
    }
    size_t i = 0;
    for (int d = 0; d <= w->opt.days; d++) {
        while (i < w->nplan && w->plan[i].day < d) {
            i++;
        }
        w->day_start[d] = i;
    }
    return PG_OK;
}
