/*
 * Legitimate events planned ahead because they involve many persons at once:
 * community fundraisers, where many people pay small round amounts to one
 * organiser within a few days. Structurally they look like a facilitator
 * receiving from many payers, so a detector must not flag them.
 *
 * One fundraiser per 1000 persons (at least two), each with its own stream.
 * Complexity O(donations).
 */
#include "generator/world.h"

#include "core/error.h"

static const int fund_refs[] = {REF_FUNDRAISER, REF_FUNDRAISER2, REF_EMPTY, REF_GIFT};

static int plan_fundraiser(gen_world *w, int id)
{
    pg_rng r;
    pg_rng_init(&r, w->opt.seed ^ 0x66756e64ULL, (uint64_t)id);
    gen_person org;
    pg_gen__person_profile(w, pg_gen__pick_person(w), &org);
    int day0 = (int)pg_rng_below(&r, (uint64_t)w->opt.days);
    int donors = 15 + (int)pg_rng_below(&r, 46), err = 0;
    for (int i = 0; i < donors && !err; i++) {
        gen_person q;
        uint32_t p = (uint32_t)pg_rng_below(&r, w->persons);
        if (p == org.id) {
            continue;
        }
        pg_gen__person_profile(w, p, &q);
        int k = (int)pg_rng_below(&r, q.nacc);
        int day = day0 + (int)pg_rng_below(&r, 3);
        gen_row row = {0};
        row.ts = pg_gen__utc(w, day, pg_gen__local_time(&r, 8, 15), C_AU);
        row.amount = (int64_t)(2 + pg_rng_below(&r, 19)) * 500;
        row.src = pg_gen__person_account(p, k);
        row.src_inst = q.inst[k];
        row.dst = pg_gen__person_account(org.id, 0);
        row.dst_inst = org.inst[0];
        row.channel = q.inst[k] == w->wallet ? CH_WALLET : CH_TRANSFER;
        row.currency = CUR_AUD;
        row.dst_country = C_AU;
        row.ref = (uint16_t)fund_refs[pg_rng_below(&r, 4)];
        err = pg_gen__plan_add(w, &row, p, day);
    }
    return err;
}

int pg_gen__plan_fundraisers(gen_world *w)
{
    int n = (int)(w->persons / 1000) < 2 ? 2 : (int)(w->persons / 1000), err = 0;
    for (int id = 1; id <= n && !err; id++) {
        err = plan_fundraiser(w, id);
    }
    return err;
}
