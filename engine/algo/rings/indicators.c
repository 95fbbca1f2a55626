/*
 * Per-transaction indicators of payments for child sexual exploitation, from
 * the published guidance: AUSTRAC, "Combating the sexual exploitation of
 * children for financial gain" (financial crime guide, 2022); FinCEN
 * FIN-2021-NTC3 (2021); FATF, "Money laundering and terrorist financing
 * risks arising from migrant smuggling / online child sexual exploitation"
 * (2025). They describe frequent low-value payments, often round, made late
 * at night in the payer's time zone, to beneficiaries in high-risk
 * corridors (South-East Asia, the Philippines foremost), person to person,
 * with innocuous or empty references, split across providers.
 *
 * Each indicator is one bit; the transaction's suspicion is a weighted sum
 * of its bits (weights below), discounted when the payee is a merchant or
 * business, since the typology is person-to-person. No single bit is
 * suspicious on its own: ordinary life has small night-time payments and
 * family remittances to the same corridors. Structure (many payers, the
 * same beneficiaries, split across providers) is weighed later.
 */
#include <math.h>
#include <string.h>

#include "algo/rings/ring_ctx.h"
#include "core/alloc.h"
#include "core/error.h"

/*
 * Indicator weights (they sum to 1). Night and corridor are the most
 * specific signals of the typology, low value next; references, round
 * amounts and crossing institutions are common in ordinary payments, so
 * together they stay below PG_SUSPICIOUS: no payment is suspicious without
 * at least one of the specific signals.
 */
static const float w_low = 0.20f, w_night = 0.26f, w_corridor = 0.26f, w_ref = 0.10f,
                   w_round = 0.08f, w_cross = 0.10f;
/* Suspicion left when the payee is a merchant or business (not person to person). */
static const float merchant_discount = 0.25f;

static int night_hour(int hour, int start, int end)
{
    return start <= end ? (hour >= start && hour < end) : (hour >= start || hour < end);
}

static int corridor(const pg_ring_ctx *c, uint8_t country)
{
    return country && pg_country_set_has(&c->high_risk, country - 1u);
}

static uint8_t txn_bits(const pg_ring_ctx *c, int64_t i)
{
    uint32_t s = c->t.src[i], d = c->t.dst[i];
    uint8_t b = 0;
    double major = (double)c->t.amount_rep[i] / c->unit;
    if (major > 0 && major <= c->o->low_value_max) {
        b |= PG_IND_LOW;
    }
    int64_t local = c->t.ts[i] + 60LL * c->utc_off[s];
    int hour = (int)(((local % 86400) + 86400) % 86400 / 3600);
    if (night_hour(hour, c->o->night_start_hour, c->o->night_end_hour)) {
        b |= PG_IND_NIGHT;
    }
    if (corridor(c, c->t.dst_country[i]) || corridor(c, c->a.country[d])) {
        b |= PG_IND_CORRIDOR;
    }
    uint16_t f = c->t.flags[i];
    if (f & PG_TXN_LEXICON_MASK) {
        b |= PG_IND_REF;
    }
    if (f & PG_TXN_REF_EMPTY) {
        b |= PG_IND_NOREF;
    }
    if (f & (PG_TXN_ROUND | PG_TXN_WHOLE)) {
        b |= PG_IND_ROUND;
    }
    if (c->a.institution[s] != c->a.institution[d]) {
        b |= PG_IND_CROSS;
    }
    uint8_t kind = c->a.kind[d];
    if (kind == PG_KIND_PERSON || kind == PG_KIND_UNKNOWN) {
        b |= PG_IND_P2P;
    }
    return b;
}

static float suspicion(uint8_t b, uint16_t flags)
{
    float s = 0;
    s += (b & PG_IND_LOW) ? w_low : 0;
    s += (b & PG_IND_NIGHT) ? w_night : 0;
    s += (b & PG_IND_CORRIDOR) ? w_corridor : 0;
    s += (b & (PG_IND_REF | PG_IND_NOREF)) ? w_ref : 0;
    /* a whole multiple of ten counts fully, a merely whole amount half */
    s += (flags & PG_TXN_ROUND) ? w_round : ((b & PG_IND_ROUND) ? w_round / 2 : 0);
    s += (b & PG_IND_CROSS) ? w_cross : 0;
    return (b & PG_IND_P2P) ? s : s * merchant_discount;
}

/*
 * Suspicion is summed in units of SUSP_UNIT (every weight is a multiple of
 * it), as integers, so that the pool's base rate does not depend on the
 * order in which threads add it up.
 */
#define SUSP_UNIT 1e-4

int pg_ring__indicators(pg_ring_ctx *c)
{
    int64_t n = c->t.n;
    c->bits = pg_malloc_array((size_t)(n ? n : 1), sizeof(*c->bits));
    c->susp = pg_malloc_array((size_t)(n ? n : 1), sizeof(*c->susp));
    if (!c->bits || !c->susp) {
        return pg_error_oom("transaction indicators", (size_t)n * 5);
    }
    int64_t p2p = 0, units = 0;
#pragma omp parallel for num_threads(c->threads) schedule(static) reduction(+ : p2p, units)
    for (int64_t i = 0; i < n; i++) {
        c->bits[i] = txn_bits(c, i);
        c->susp[i] = suspicion(c->bits[i], c->t.flags[i]);
        if (c->bits[i] & PG_IND_P2P) {
            p2p++;
            units += (int64_t)lround(c->susp[i] / SUSP_UNIT);
        }
    }
    c->susp_base = p2p ? (double)units * SUSP_UNIT / (double)p2p : 0;
    return 0;
}
