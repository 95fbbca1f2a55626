/*
 * The watchlist of the world: what the working group already knows.
 * Some offender rings have one or two accounts known (a facilitator or mule
 * from a law-enforcement referral, sometimes a payer from an earlier
 * report); many rings have none; a few laundering groups have one; and some
 * entries are false leads on innocent persons (adverse media that went
 * nowhere). Detection must work from the structure, not the list alone.
 *
 * Complexity O(planted accounts).
 */
#include "generator/world.h"

#include "core/error.h"

/* End of the group that starts at members[start]; members of one group are adjacent. */
static void group_range(const gen_world *w, size_t start, size_t *end)
{
    size_t i = start;
    while (i < w->nmembers && w->members[i].group == w->members[start].group &&
           w->members[i].id == w->members[start].id) {
        i++;
    }
    *end = i;
}

static int watch_group(gen_world *w, pg_rng *r, size_t lo, size_t hi)
{
    int offender = w->members[lo].group == 'R';
    double share = offender ? w->opt.watch_ring_share : w->opt.watch_ring_share / 2;
    if (pg_rng_uniform(r) >= share) {
        return PG_OK;
    }
    int known = offender && hi - lo >= 2 && pg_rng_uniform(r) < 0.4 ? 2 : 1;
    /* The first known account is a receiving one (facilitator, mule, sink) when there is one. */
    size_t first = lo + (size_t)pg_rng_below(r, hi - lo);
    for (size_t i = lo; i < hi; i++) {
        int role = w->members[i].role;
        if (role == ROLE_FACILITATOR || role == ROLE_MULE || role == ROLE_SINK) {
            first = i;
            break;
        }
    }
    int err = pg_gen__watch_add(w, w->members[first].acct, w->members[first].inst, 0);
    if (!err && known == 2) {
        /* A second, different member, known from an earlier report. */
        size_t off = 1 + (size_t)pg_rng_below(r, hi - lo - 1);
        size_t second = lo + (first - lo + off) % (hi - lo);
        err = pg_gen__watch_add(w, w->members[second].acct, w->members[second].inst, 1);
    }
    return err;
}

int pg_gen__plan_watchlist(gen_world *w)
{
    pg_rng r;
    pg_rng_init(&r, w->opt.seed ^ 0x7761746368ULL, 0);
    int err = 0;
    for (size_t lo = 0, hi = 0; lo < w->nmembers && !err; lo = hi) {
        group_range(w, lo, &hi);
        err = watch_group(w, &r, lo, hi);
    }
    int leads = w->opt.false_leads < 0 ? w->opt.rings : w->opt.false_leads;
    for (int i = 0; i < leads && !err; i++) {
        gen_person q;
        pg_gen__person_profile(w, pg_gen__pick_person(w), &q);
        int k = (int)pg_rng_below(&r, q.nacc);
        err = pg_gen__watch_add(w, pg_gen__person_account(q.id, k), q.inst[k], 2);
    }
    return err;
}
