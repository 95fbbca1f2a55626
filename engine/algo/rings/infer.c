/*
 * What the pool does not say about an account, inferred from its payments.
 *
 * The indicators weigh a payment by the hour on the payer's clock and by
 * whether the payee is a person (AUSTRAC 2022: person-to-person payments
 * late at night). Both come from the accounts file; a working group that
 * pools transactions alone, or an AMLworld-style file, has none. Judged by
 * UTC, an Australian payer's midnight reads as mid-afternoon; taken as
 * persons, shops with many small evening card payments read as offender
 * beneficiaries. So, for accounts the pool knows nothing of:
 *
 * - Clock: the country its incoming payments arrive in (a payment's
 *   dst_country is the payee's, so the account's own; majority vote), else
 *   the pool's commonest payee country.
 * - Kind: a merchant when most of what it receives comes by card (a card
 *   payment settles to a merchant acquirer, never to a person); otherwise
 *   unknown, which the indicators treat as a person.
 *
 * Known kinds and countries are never changed. Serial, O(m + accounts).
 */
#include <ctype.h>
#include <string.h>

#include "algo/rings/ring_ctx.h"
#include "core/alloc.h"
#include "core/error.h"

/* Boyer-Moore majority vote per payee over the payments' dst_country; 0 stays unknown. */
static void vote_countries(const pg_ring_ctx *c, uint8_t *home, uint32_t *votes, uint64_t *pool)
{
    for (int64_t i = 0; i < c->t.n; i++) {
        uint32_t d = c->t.dst[i];
        uint8_t k = c->t.dst_country[i];
        pool[k] += k != 0;
        if (!k || c->a.country[d]) {
            continue;
        }
        if (votes[d] == 0) {
            home[d] = k;
        }
        votes[d] += home[d] == k ? 1u : (uint32_t)-1;
    }
}

/* Per account: minutes east of UTC of its clock country (0 when nothing is known). */
static int clock_offsets(pg_ring_ctx *c, uint8_t *home, uint32_t *votes)
{
    uint32_t na = c->a.n;
    uint64_t pool[256] = {0};
    memcpy(home, c->a.country, na);
    memset(votes, 0, (size_t)na * sizeof(uint32_t));
    vote_countries(c, home, votes, pool);
    uint8_t common = 0;
    for (int k = 1; k < 256; k++) {
        common = pool[k] > pool[common] ? (uint8_t)k : common;
    }
    c->utc_off = pg_malloc_array(na ? na : 1, sizeof(int16_t));
    if (!c->utc_off) {
        return pg_error_oom("account time zones", (size_t)na * sizeof(int16_t));
    }
    for (uint32_t v = 0; v < na; v++) {
        uint8_t id = home[v] ? home[v] : common;
        pg_country k;
        c->utc_off[v] = id && pg_country_by_id(id - 1u, &k) == 0 ? k.utc_offset_min : 0;
    }
    return 0;
}

/* Whether a channel name says card ("card", "Credit Card", "debit card"), any case. */
static int card_channel(const char *name)
{
    for (const char *s = name; s && *s; s++) {
        if (tolower((unsigned char)s[0]) == 'c' && tolower((unsigned char)s[1]) == 'a' &&
            tolower((unsigned char)s[2]) == 'r' && tolower((unsigned char)s[3]) == 'd') {
            return 1;
        }
    }
    return 0;
}

/* Accounts of unknown kind that receive mostly by card become merchants. */
static int merchant_kinds(pg_ring_ctx *c, uint32_t *card, uint32_t *all)
{
    uint32_t na = c->a.n;
    uint8_t is_card[256] = {0};
    for (uint32_t k = 0; k < 256 && k < pg_pool_num_channels(c->p); k++) {
        is_card[k] = (uint8_t)card_channel(pg_pool_channel_name(c->p, (uint8_t)k));
    }
    memset(card, 0, (size_t)na * sizeof(uint32_t));
    memset(all, 0, (size_t)na * sizeof(uint32_t));
    for (int64_t i = 0; i < c->t.n; i++) {
        uint32_t d = c->t.dst[i];
        all[d]++;
        card[d] += is_card[c->t.channel[i]];
    }
    c->kind = pg_malloc(na ? na : 1);
    if (!c->kind) {
        return pg_error_oom("account kinds", na);
    }
    for (uint32_t v = 0; v < na; v++) {
        uint8_t k = c->a.kind[v];
        c->kind[v] = k == PG_KIND_UNKNOWN && 2 * (uint64_t)card[v] > all[v] ? PG_KIND_MERCHANT : k;
    }
    c->a.kind = c->kind;
    return 0;
}

int pg_ring__infer_accounts(pg_ring_ctx *c)
{
    uint32_t na = c->a.n;
    uint8_t *home = pg_malloc(na ? na : 1);
    uint32_t *a = pg_malloc_array(na ? na : 1, sizeof(uint32_t));
    uint32_t *b = pg_malloc_array(na ? na : 1, sizeof(uint32_t));
    int err = home && a && b ? 0 : pg_error_oom("account inference", (size_t)na * 9);
    if (!err) {
        err = clock_offsets(c, home, a);
    }
    if (!err) {
        err = merchant_kinds(c, a, b);
    }
    pg_free(home);
    pg_free(a);
    pg_free(b);
    return err;
}
