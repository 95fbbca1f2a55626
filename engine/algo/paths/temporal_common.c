/*
 * Shared pieces of the time-respecting kernels: option defaults and checks, the hop
 * rule (order in time, maximum delay, amount conservation in integer
 * arithmetic), a binary search into a vertex's time-ordered transactions,
 * the bookkeeping of a bounded depth-first search and the gathering of its
 * per-thread results in task order, and the pick of a representative
 * transaction per hop of a vertex path.
 */
#include "paths_internal.h"
#include "temporal_internal.h"

#include <string.h>

#include "core/alloc.h"
#include "core/error.h"

void pg_temporal_options_init(pg_temporal_options *opts)
{
    memset(opts, 0, sizeof(*opts));
    opts->strict = 1;
    opts->t0 = INT64_MIN;
    opts->window = -1;
    opts->max_delay = -1;
    opts->max_hops = 4;
    opts->max_shrink_bp = -1;
    opts->max_paths = 100000;
    opts->target = PG_NONE;
}

int pg_paths__hop_ok(const pg_tview *tv, const pg_temporal_options *o, uint32_t prev, uint32_t e)
{
    int64_t tp = tv->ts[prev], te = tv->ts[e];
    if (te < tp || (o->strict && te == tp)) {
        return 0;
    }
    if (o->max_delay >= 0 && te - tp > o->max_delay) {
        return 0;
    }
    if (o->max_shrink_bp >= 0) {
        /* next in [(1 - d) prev, prev]: a * 10000 >= prev * (10000 - bp), exact in 128 bits */
        __int128_t a = tv->amount[e], p = tv->amount[prev];
        if (a > p || a * 10000 < p * (10000 - o->max_shrink_bp)) {
            return 0;
        }
    }
    return 1;
}

int64_t pg_paths__first_at(const pg_tadj *adj, const int64_t *ts, uint32_t v, int64_t t)
{
    int64_t lo = adj->offsets[v], hi = adj->offsets[v + 1];
    while (lo < hi) {
        int64_t mid = lo + (hi - lo) / 2;
        if (ts[adj->txn[mid]] < t) {
            lo = mid + 1;
        } else {
            hi = mid;
        }
    }
    return lo;
}

int64_t pg_paths__window_end(const pg_temporal_options *o)
{
    if (o->window < 0) {
        return INT64_MAX;
    }
    return o->t0 > INT64_MAX - o->window ? INT64_MAX : o->t0 + o->window;
}

int pg_paths__options(const pg_temporal_options **opts, pg_temporal_options *defaults,
                      const pg_tview *tv)
{
    if (!*opts) {
        pg_temporal_options_init(defaults);
        *opts = defaults;
    }
    const pg_temporal_options *o = *opts;
    if (!tv || !tv->out || !tv->in || tv->out->n != tv->n || tv->in->n != tv->n) {
        return pg_error_set(PG_EINVAL, "temporal: incomplete transaction view");
    }
    if (o->max_hops < 1 || o->max_hops > PG_TEMPORAL_MAX_HOPS) {
        return pg_error_set(PG_EINVAL, "temporal: max_hops %d outside 1..%d", o->max_hops,
                            PG_TEMPORAL_MAX_HOPS);
    }
    if (o->max_shrink_bp > 10000) {
        return pg_error_set(PG_EINVAL, "temporal: max_shrink_bp %d above 10000",
                            (int)o->max_shrink_bp);
    }
    if (tv->m >= (int64_t)UINT32_MAX) {
        return pg_error_set(PG_EINVAL, "temporal: too many transactions");
    }
    return 0;
}

void pg_tsearch__emit(pg_tsearch *s, int hops)
{
    if (pg_paths__buf_push(s->buf, s->vert, s->txn, hops, (double)hops) < 0) {
        s->failed = 1;
    } else {
        s->added++;
    }
}

int pg_tsearch__work_init(pg_tsearch_work *w, int nt, size_t chunk, const char *what)
{
    memset(w, 0, sizeof(*w));
    w->nt = nt;
    w->tbuf = pg_calloc((size_t)nt, sizeof(*w->tbuf));
    w->spans = pg_malloc_array(chunk, sizeof(*w->spans));
    if (!w->tbuf || !w->spans) {
        return pg_error_oom(what, (size_t)nt * sizeof(*w->tbuf));
    }
    int err = 0;
    for (int t = 0; t < nt && err == 0; t++) {
        err = pg_paths__buf_init(&w->tbuf[t], 1);
    }
    return err < 0 ? err : pg_paths__buf_init(&w->res, 1);
}

void pg_tsearch__work_free(pg_tsearch_work *w)
{
    pg_path_set_free(&w->res.ps);
    for (int t = 0; w->tbuf && t < w->nt; t++) {
        pg_path_set_free(&w->tbuf[t].ps);
    }
    pg_free(w->tbuf);
    pg_free(w->spans);
    memset(w, 0, sizeof(*w));
}

int pg_tsearch__gather(pg_tsearch_work *w, size_t n, size_t max)
{
    int err = 0;
    for (size_t k = 0; k < n && err == 0; k++) {
        const pg_tspan *sp = &w->spans[k];
        pg_path_set view = w->tbuf[sp->owner].ps;
        view.off += sp->first;
        view.vert += sp->first;
        view.cost += sp->first;
        view.count = sp->count;
        view.truncated = 0;
        err = pg_paths__buf_append(&w->res, &view, max);
    }
    for (int t = 0; t < w->nt; t++) {
        w->tbuf[t].ps.count = 0; /* keep the memory for the next chunk */
    }
    return err;
}

/* Best u -> v transaction: earliest at or after `after`, else the largest amount. */
static uint32_t pick_one(const pg_tview *tv, uint32_t u, uint32_t v, int64_t after)
{
    uint32_t early = PG_NONE, large = PG_NONE;
    for (int64_t i = tv->out->offsets[u]; i < tv->out->offsets[u + 1]; i++) {
        uint32_t e = tv->out->txn[i];
        if (tv->dst[e] != v) {
            continue;
        }
        if (early == PG_NONE && tv->ts[e] >= after) {
            early = e; /* the list is in time order: the first one is the earliest */
        }
        if (large == PG_NONE || tv->amount[e] > tv->amount[large]) {
            large = e;
        }
    }
    return early != PG_NONE ? early : large;
}

int pg_path_pick_txns(uint32_t *txn, const pg_tview *tv, const uint32_t *verts, size_t nverts)
{
    int64_t after = INT64_MIN;
    for (size_t k = 0; k + 1 < nverts; k++) {
        if (verts[k] >= tv->n || verts[k + 1] >= tv->n) {
            return pg_error_set(PG_EINVAL, "pick transactions: vertex out of range");
        }
        uint32_t e = pick_one(tv, verts[k], verts[k + 1], after);
        if (e == PG_NONE) {
            e = pick_one(tv, verts[k + 1], verts[k], after);
        }
        txn[k] = e;
        if (e != PG_NONE && tv->ts[e] >= after) {
            after = tv->ts[e];
        }
    }
    return 0;
}
