/*
 * Earliest-arrival times from a set of sources over individual transactions
 * (the "earliest-arrival path" of Wu, Cheng, Huang, Ke, Lu & Xu, "Path
 * problems in temporal graphs", PVLDB 7(9), 2014,
 * doi:10.14778/2732939.2732945).
 *
 * Approach: label setting in the manner of Dijkstra, keyed by arrival time.
 * A vertex popped with arrival a can use its outgoing transactions at or
 * after a (strictly after when opts->strict, except at the sources, where
 * money may leave at t0 itself); each vertex's list is in time order, so a
 * binary search finds the first usable one and the scan stops at the window
 * end. Because arrival times only grow along a path, the first time a vertex
 * is popped its arrival is final. Wu et al.'s one-pass stream algorithm
 * needs a global time order of transactions, which the pool's per-vertex
 * lists do not give; this is the same bound without that sort.
 * O(m log m) time, O(n + m) memory; serial (one search is latency-bound).
 */
#include "paths_internal.h"
#include "temporal_internal.h"

#include "core/alloc.h"
#include "core/error.h"

typedef struct item {
    int64_t t;
    uint32_t v;
} item;

static int item_less(item a, item b)
{
    return a.t < b.t || (a.t == b.t && a.v < b.v);
}

static void heap_push(item *h, size_t *len, item x)
{
    size_t i = (*len)++;
    while (i > 0 && item_less(x, h[(i - 1) / 2])) {
        h[i] = h[(i - 1) / 2];
        i = (i - 1) / 2;
    }
    h[i] = x;
}

static item heap_pop(item *h, size_t *len)
{
    item top = h[0], x = h[--(*len)];
    size_t i = 0;
    for (;;) {
        size_t c = 2 * i + 1;
        if (c >= *len) {
            break;
        }
        if (c + 1 < *len && item_less(h[c + 1], h[c])) {
            c++;
        }
        if (!item_less(h[c], x)) {
            break;
        }
        h[i] = h[c];
        i = c;
    }
    if (*len > 0) {
        h[i] = x;
    }
    return top;
}

/* Relax the usable transactions leaving u; returns pushes made. */
static void relax(int64_t *arrival, uint32_t *via, const pg_tview *tv, item *h, size_t *len,
                  uint32_t u, int64_t from, int64_t end)
{
    int64_t i = pg_paths__first_at(tv->out, tv->ts, u, from);
    for (; i < tv->out->offsets[u + 1]; i++) {
        uint32_t e = tv->out->txn[i];
        int64_t t = tv->ts[e];
        if (t > end) {
            break;
        }
        uint32_t v = tv->dst[e];
        if (t < arrival[v]) {
            arrival[v] = t;
            if (via) {
                via[v] = e;
            }
            heap_push(h, len, (item){t, v});
        }
    }
}

int pg_temporal_earliest(int64_t *arrival, uint32_t *via, const pg_tview *tv,
                         const uint32_t *sources, size_t n_sources, const pg_temporal_options *opts)
{
    pg_temporal_options defaults;
    int err = pg_paths__options(&opts, &defaults, tv);
    if (err < 0) {
        return err;
    }
    /* each push is a strict improvement made by one transaction, plus the sources */
    size_t cap = (size_t)tv->m + n_sources + 1, len = 0;
    item *h = pg_malloc_array(cap, sizeof(*h));
    uint8_t *done = pg_calloc(tv->n ? tv->n : 1, 1);
    if (!h || !done) {
        err = pg_error_oom("earliest-arrival heap", cap * sizeof(*h));
        goto out;
    }
    for (uint32_t v = 0; v < tv->n; v++) {
        arrival[v] = INT64_MAX;
        if (via) {
            via[v] = PG_NONE;
        }
    }
    for (size_t i = 0; i < n_sources; i++) {
        if (sources[i] >= tv->n) {
            err = pg_error_set(PG_EINVAL, "earliest arrival: source %u >= n", sources[i]);
            goto out;
        }
        if (arrival[sources[i]] != opts->t0) {
            arrival[sources[i]] = opts->t0;
            heap_push(h, &len, (item){opts->t0, sources[i]});
        }
        done[sources[i]] = 2; /* sources may send at t0 itself */
    }
    int64_t end = pg_paths__window_end(opts);
    for (uint64_t popped = 0; len > 0; popped++) {
        if ((popped & 0xffff) == 0 && pg_interrupted()) {
            err = pg_error_set(PG_EINTR, "earliest arrival: interrupted");
            goto out;
        }
        item it = heap_pop(h, &len);
        if (it.t != arrival[it.v] || done[it.v] == 1) {
            continue; /* stale entry */
        }
        int at_source = done[it.v] == 2;
        done[it.v] = 1;
        int64_t from = it.t;
        if (opts->strict && !at_source) {
            from = it.t == INT64_MAX ? INT64_MAX : it.t + 1;
        }
        relax(arrival, via, tv, h, &len, it.v, from, end);
    }
out:
    pg_free(h);
    pg_free(done);
    return err;
}
