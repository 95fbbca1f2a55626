/*
 * Fan-out, fan-in and gather-scatter typologies (AMLworld, Altman et al.,
 * NeurIPS 2023 Datasets & Benchmarks, arXiv:2306.16424).
 *
 * What: a fan-out is one account paying at least min_fan fresh
 * counterparties (see typology.h) within one window; a fan-in is min_fan
 * fresh payers into one account within a window; a gather-scatter is a hub
 * gathering from min_flow fresh payers and paying min_flow fresh
 * counterparties within a window of the gathering.
 *
 * Approach: the anchor's fresh contacts (flagged by typology.c) are scanned
 * once in time order with a window; each window holding enough of them is
 * one burst, and later bursts are separate candidates (one account, two
 * attempts). A burst must be unusual for this account: its size over one
 * plus the account's own expected number of fresh contacts per window (from
 * the rest of its history) must reach min_ratio. A fan-in whose sink passes
 * none of the money on to fresh counterparties within the window is damped
 * towards no_forward_floor: collecting (a fundraiser) is legitimate,
 * collecting and passing on to strangers is layering.
 *
 * Complexity: O(deg(v)) per anchor plus a binary search for forwarding.
 */
#include "algo/rings/typology.h"

#include <string.h>

#include "core/alloc.h"
#include "core/error.h"

/* A burst of fresh contacts list[lo..hi) and how unusual it is. */
typedef struct burst {
    uint32_t lo, hi;
    double ratio;
} burst;

/* v's fresh contacts of one side (out or in), in time order: a slice of the fresh lists. */
static const uint32_t *fresh_list(const pg_tadj *a, uint32_t v, uint32_t *len)
{
    *len = (uint32_t)(a->offsets[v + 1] - a->offsets[v]);
    return a->txn + a->offsets[v];
}

/*
 * The next burst at or after list[i]: the first window start whose window
 * holds at least min contacts; among the starts inside that window, the one
 * whose window holds the most (then the shortest span), so that one stray
 * contact just before a burst does not push part of it out. Returns 0 when
 * there is none. Amortised linear: the next search starts at b->hi.
 */
static int next_burst(burst *b, const pg_ty_ctx *c, const uint32_t *list, uint32_t len, uint32_t i,
                      uint32_t min)
{
    const int64_t *ts = c->tv->ts;
    int64_t w = c->o->window;
    uint32_t e = i;
    for (; i < len; i++) {
        while (e < len && ts[list[e]] - ts[list[i]] <= w) {
            e++;
        }
        if (e - i >= min) {
            break;
        }
    }
    if (i >= len) {
        return 0;
    }
    uint32_t first_end = e, best = i, best_end = e;
    for (uint32_t j = i + 1; j < first_end; j++) {
        while (e < len && ts[list[e]] - ts[list[j]] <= w) {
            e++;
        }
        int64_t span = ts[list[e - 1]] - ts[list[j]];
        int64_t best_span = ts[list[best_end - 1]] - ts[list[best]];
        if (e - j > best_end - best || (e - j == best_end - best && span < best_span)) {
            best = j;
            best_end = e;
        }
    }
    b->lo = best;
    b->hi = best_end;
    return 1;
}

/* fresh: the anchor's fresh contacts on this side over its whole history. */
static int unusual_enough(burst *b, const pg_ty_ctx *c, uint32_t fresh, int64_t span)
{
    uint32_t k = b->hi - b->lo;
    b->ratio = pg_ty__ratio(k, fresh - k, span, c->o->window);
    return b->ratio >= c->o->min_ratio;
}

/* Append the anchor, the counterparties and the burst's transactions. */
static int push_burst(pg_candidates *out, pg_ty_scratch *s, const pg_ty_ctx *c, uint32_t v,
                      const uint32_t *list, const burst *b, int side_out, const char *typology,
                      double strength)
{
    uint32_t k = b->hi - b->lo;
    if (pg_grow((void **)&s->verts, &s->verts_cap, (size_t)k + 1, sizeof(uint32_t)) < 0) {
        return pg_error_oom("typology vertices", (size_t)k * 4);
    }
    s->verts[0] = v;
    for (uint32_t i = 0; i < k; i++) {
        uint32_t x = list[b->lo + i];
        s->verts[i + 1] = side_out ? c->tv->dst[x] : c->tv->src[x];
    }
    return pg_candidates_push(out, "typology", typology, strength, s->verts, k + 1, list + b->lo,
                              k);
}

/*
 * Share of the burst's money that v passes on to fresh counterparties from
 * the burst's first payment to a window after its last; 0..1. Ordinary
 * spending goes to v's usual circle and does not count.
 */
static double forwarded_share(const pg_ty_ctx *c, uint32_t v, const burst *b, const uint32_t *list)
{
    const pg_tview *tv = c->tv;
    int64_t t0 = tv->ts[list[b->lo]], t1 = tv->ts[list[b->hi - 1]] + c->o->window;
    int64_t got = 0, sent = 0;
    for (uint32_t i = b->lo; i < b->hi; i++) {
        got += tv->amount[list[i]] > 0 ? tv->amount[list[i]] : 0;
    }
    for (int64_t i = pg_paths__first_at(tv->out, tv->ts, v, t0);
         i < tv->out->offsets[v + 1] && tv->ts[tv->out->txn[i]] <= t1; i++) {
        uint32_t x = tv->out->txn[i];
        if (tv->amount[x] > 0) {
            sent += tv->amount[x];
        }
    }
    if (got <= 0) {
        return 0.0;
    }
    return sent >= got ? 1.0 : (double)sent / (double)got;
}

/* Fan-out (side_out) or fan-in bursts of anchor v. */
static int fan(pg_candidates *out, const pg_ty_ctx *c, pg_ty_scratch *s, uint32_t v, int side_out)
{
    uint32_t len;
    const uint32_t *list = fresh_list(side_out ? c->tv->out : c->tv->in, v, &len);
    if (len < c->o->min_fan) {
        return 0;
    }
    int64_t span = pg_ty__span(c->full, v);
    burst b = {0, 0, 0.0};
    int err = 0;
    for (uint32_t i = 0; err == 0 && next_burst(&b, c, list, len, i, c->o->min_fan);) {
        i = b.hi;
        if (!unusual_enough(&b, c, len, span)) {
            continue;
        }
        double strength = pg_ty__unusual(b.ratio);
        if (!side_out) {
            double f = forwarded_share(c, v, &b, list);
            strength *= c->o->no_forward_floor + (1.0 - c->o->no_forward_floor) * f;
        }
        err =
            push_burst(out, s, c, v, list, &b, side_out, side_out ? "fan-out" : "fan-in", strength);
    }
    return err;
}

/*
 * Gather-scatter at hub v: each burst of >= min_flow fresh payers followed
 * (from its first payment to a window after its last) by >= min_flow fresh
 * payees.
 */
static int gather_scatter(pg_candidates *out, const pg_ty_ctx *c, pg_ty_scratch *s, uint32_t v)
{
    const pg_tview *tv = c->tv;
    uint32_t len, n_out_new;
    const uint32_t *list = fresh_list(tv->in, v, &len);
    fresh_list(tv->out, v, &n_out_new);
    if (len < c->o->min_flow || n_out_new < c->o->min_flow) {
        return 0;
    }
    int64_t span = pg_ty__span(c->full, v);
    burst b = {0, 0, 0.0};
    int err = 0;
    for (uint32_t i = 0; err == 0 && next_burst(&b, c, list, len, i, c->o->min_flow);) {
        i = b.hi;
        /* the scatter: new payees from the first gathered payment to a window after the last */
        uint32_t k_in = b.hi - b.lo, k_out = 0;
        int64_t t0 = tv->ts[list[b.lo]], t1 = tv->ts[list[b.hi - 1]] + c->o->window;
        size_t need = (size_t)k_in * 2 + (size_t)n_out_new + 1;
        if (pg_grow((void **)&s->verts, &s->verts_cap, need, sizeof(uint32_t)) < 0 ||
            pg_grow((void **)&s->txn, &s->txn_cap, need, sizeof(uint32_t)) < 0) {
            return pg_error_oom("typology gather-scatter", need * 8);
        }
        uint32_t nv = 0;
        s->verts[nv++] = v;
        for (uint32_t j = b.lo; j < b.hi; j++) {
            s->verts[nv++] = tv->src[list[j]];
            s->txn[j - b.lo] = list[j];
        }
        for (int64_t j = pg_paths__first_at(tv->out, tv->ts, v, t0);
             j < tv->out->offsets[v + 1] && tv->ts[tv->out->txn[j]] <= t1; j++) {
            uint32_t x = tv->out->txn[j];
            s->verts[nv++] = tv->dst[x];
            s->txn[k_in + k_out++] = x;
        }
        if (k_out < c->o->min_flow) {
            continue;
        }
        uint32_t k = k_in + k_out;
        uint32_t outside = len + n_out_new > k ? len + n_out_new - k : 0;
        double ratio = pg_ty__ratio(k, outside, span, c->o->window);
        if (ratio < c->o->min_ratio) {
            continue;
        }
        err = pg_candidates_push(out, "typology", "gather-scatter", pg_ty__unusual(ratio), s->verts,
                                 nv, s->txn, k_in + k_out);
    }
    return err;
}

int pg_ty__fans(pg_candidates *out, const pg_ty_ctx *c, pg_ty_scratch *s, uint32_t v)
{
    int err = fan(out, c, s, v, 1);
    if (err == 0) {
        err = fan(out, c, s, v, 0);
    }
    if (err == 0) {
        err = gather_scatter(out, c, s, v);
    }
    return err;
}
