/*
 * Temporal cycles (round-tripping): simple cycles of 2..H transactions that
 * leave a vertex and come back to it, each transaction after the previous
 * one, all within W seconds of the first, optionally within a maximum delay
 * of each other and with amounts shrinking by at most a fraction d per hop.
 *
 * Approach, after 2SCENT (Kumar & Calders, "2SCENT: an efficient algorithm
 * for enumerating all simple temporal cycles", PVLDB 11(11), 2018,
 * doi:10.14778/3236187.3236193): every cycle is enumerated from its first
 * transaction e0 = (s -> v at t), the smallest by (time, index), so it is
 * found exactly once. Before the forward search, a backward pass from s over
 * incoming transactions inside [t, t + W] computes for each vertex x within
 * R = floor(H / 2) hops of s the fewest hops back to s and the latest time a
 * payment may leave x and still close the cycle by t + W (label correcting,
 * R rounds). The forward depth-first search enters only vertices that can
 * still close in the hops and time left; with more than R hops left it
 * cannot tell yet and goes on. Meeting in the middle this way costs about
 * two searches of b^(H/2) transactions for b payments per vertex and
 * window, where a backward pass of H - 1 rounds alone costs b^(H-1): on a
 * random 10M-payment stream (H = 4, 7 days) that pass was most of the work. 2SCENT's
 * source-detection phase over a global time-ordered stream is replaced by this per-start pass,
 * which only touches the window's transactions around s.
 *
 * Parallel over start transactions in chunks of the out-adjacency order
 * (source vertex, then time): consecutive starts share their source and
 * window, so the backward passes hit the same cache lines (in index order
 * every start touches cold memory and the kernel is latency-bound). Each
 * thread writes into its own buffer and chunks are merged in start order
 * (then depth-first order over time-ordered lists), so the output is
 * identical for any thread count. Per-thread scratch: 29 bytes per vertex, reset by stamps.
 * Complexity: output-sensitive; the backward pass costs the window's
 * in-transactions within R hops of s.
 */
#include "paths_internal.h"
#include "temporal_internal.h"

#include <string.h>

#include "core/alloc.h"
#include "core/error.h"
#include "core/par.h"

/* Start transactions per chunk (see temporal_paths.c for the trade-off). */
#define PG_TCYCLE_CHUNK 8192

typedef struct scratch {
    uint32_t *stamp;  /* per vertex: start index + 1 when labelled for that start */
    int64_t *latest;  /* latest departure (arrival deadline at s itself) */
    uint8_t *hops;    /* fewest hops back to s */
    uint64_t *queued; /* (stamp, round) a vertex was last queued in, so a round holds <= n */
    uint32_t *front, *next;
} scratch;

/*
 * Transaction times copied into adjacency order (out_ts[i] = ts[out->txn[i]]):
 * the searches binary-search and scan these lists constantly, and reading
 * times through the transaction index is a cache miss per probe.
 */
typedef struct adj_times {
    int64_t *out_ts;
    int64_t *in_ts;
} adj_times;

typedef struct cyc {
    const pg_tview *tv;
    const adj_times *at;
    const pg_temporal_options *o;
    scratch *sc;
    uint32_t stamp;
    uint32_t e0;
    int64_t end;
    pg_tsearch s;
} cyc;

/* First position in [lo, hi) of times whose value is >= t. */
static int64_t first_at(const int64_t *times, int64_t lo, int64_t hi, int64_t t)
{
    while (lo < hi) {
        int64_t mid = lo + (hi - lo) / 2;
        if (times[mid] < t) {
            lo = mid + 1;
        } else {
            hi = mid;
        }
    }
    return lo;
}

/* Rounds of the backward pass: the labels reach R = floor(H / 2) hops back. */
static int backward_rounds(const pg_temporal_options *o)
{
    return o->max_hops / 2;
}

/* Label y from in-transaction e arriving at x: keep the latest departure. */
static int label(cyc *c, uint32_t y, int64_t t, uint8_t h)
{
    scratch *sc = c->sc;
    if (sc->stamp[y] != c->stamp) {
        sc->stamp[y] = c->stamp;
        sc->latest[y] = t;
        sc->hops[y] = h;
        return 1;
    }
    if (t > sc->latest[y]) {
        sc->latest[y] = t;
        return 1;
    }
    return 0;
}

/* Backward pass from s = src[e0]: who can still pay back to s in time. */
static void backward(cyc *c)
{
    const pg_tview *tv = c->tv;
    scratch *sc = c->sc;
    uint32_t s = tv->src[c->e0];
    int64_t t = tv->ts[c->e0];
    size_t nf = 1;
    sc->stamp[s] = c->stamp;
    sc->latest[s] = c->end;
    sc->hops[s] = 0;
    sc->front[0] = s;
    for (int round = 1; round <= backward_rounds(c->o) && nf > 0; round++) {
        size_t nn = 0;
        for (size_t f = 0; f < nf; f++) {
            uint32_t x = sc->front[f];
            int64_t lim = sc->latest[x];
            if (x != s && c->o->strict) {
                lim--; /* a payment into x must come strictly before x pays on */
            }
            const int64_t *its = c->at->in_ts;
            int64_t i_end = tv->in->offsets[x + 1];
            for (int64_t i = first_at(its, tv->in->offsets[x], i_end, t); i < i_end; i++) {
                if (its[i] > lim) {
                    break;
                }
                uint32_t e = tv->in->txn[i];
                uint32_t y = tv->src[e];
                uint64_t q = ((uint64_t)c->stamp << 8) | (uint64_t)round;
                if (y != s && label(c, y, tv->ts[e], (uint8_t)round) && sc->queued[y] != q) {
                    sc->queued[y] = q;
                    sc->next[nn++] = y;
                }
            }
        }
        uint32_t *tmp = sc->front;
        sc->front = sc->next;
        sc->next = tmp;
        nf = nn;
    }
}

/*
 * Can x, reached at time t after `hops` transactions, still close the cycle?
 * The labels describe ways back of at most R hops: with more hops left, any
 * x may still close (a longer way back can also leave later), so only the
 * hop count is final then.
 */
static int can_close(const cyc *c, uint32_t x, int64_t t, int hops)
{
    const scratch *sc = c->sc;
    int left = c->o->max_hops - hops;
    if (left > backward_rounds(c->o)) {
        return 1;
    }
    if (sc->stamp[x] != c->stamp || sc->hops[x] > left) {
        return 0;
    }
    return c->o->strict ? t < sc->latest[x] : t <= sc->latest[x];
}

/* Is e allowed after the first transaction in the canonical (time, index) order? */
static int after_start(const cyc *c, uint32_t e)
{
    int64_t t = c->tv->ts[e], t0 = c->tv->ts[c->e0];
    return t > t0 || (t == t0 && e > c->e0);
}

static void extend(cyc *c, int hops)
{
    const pg_tview *tv = c->tv;
    uint32_t v = c->s.vert[hops], s = c->s.vert[0];
    uint32_t prev = c->s.txn[hops - 1];
    int64_t end = c->end;
    if (c->o->max_delay >= 0 && tv->ts[prev] <= end - c->o->max_delay) {
        end = tv->ts[prev] + c->o->max_delay;
    }
    const int64_t *ots = c->at->out_ts;
    int64_t i_end = tv->out->offsets[v + 1];
    for (int64_t i = first_at(ots, tv->out->offsets[v], i_end, tv->ts[prev]);
         i < i_end && !pg_tsearch__halted(&c->s); i++) {
        if (ots[i] > end) {
            break;
        }
        uint32_t e = tv->out->txn[i];
        uint32_t w = tv->dst[e];
        if (!after_start(c, e) || !pg_paths__hop_ok(tv, c->o, prev, e)) {
            continue;
        }
        c->s.txn[hops] = e;
        c->s.vert[hops + 1] = w;
        if (w == s) {
            pg_tsearch__emit(&c->s, hops + 1);
        } else if (hops + 1 < c->o->max_hops && !pg_tsearch__on_path(&c->s, hops, w) &&
                   can_close(c, w, tv->ts[e], hops + 1)) {
            extend(c, hops + 1);
        }
    }
}

static void run_start(cyc *c, uint32_t e0)
{
    const pg_tview *tv = c->tv;
    uint32_t s = tv->src[e0], v = tv->dst[e0];
    int64_t t = tv->ts[e0];
    if (s == v) {
        return; /* a self-payment is a one-hop loop, not a cycle */
    }
    c->e0 = e0;
    c->stamp = e0 + 1;
    c->end = c->o->window < 0 || t > INT64_MAX - c->o->window ? INT64_MAX : t + c->o->window;
    backward(c);
    c->s.vert[0] = s;
    c->s.vert[1] = v;
    c->s.txn[0] = e0;
    if (can_close(c, v, t, 1)) {
        extend(c, 1);
    }
}

/* Run starts [lo, hi) of the out-adjacency order in parallel; their cycles go to w->res. */
static int run_chunk(pg_tsearch_work *w, scratch *sc, const adj_times *at, uint32_t lo, uint32_t hi,
                     const pg_tview *tv, const pg_temporal_options *o)
{
    int failed = 0;
    size_t limit = o->max_paths - w->res.ps.count + 1;
#pragma omp parallel num_threads(w->nt) if (hi - lo >= 64)
    {
        int tid = pg_par_thread_id();
        cyc c = {.tv = tv, .at = at, .o = o, .sc = &sc[tid]};
        c.s.stop = &w->stop;
        c.s.buf = &w->tbuf[tid];
#pragma omp for schedule(dynamic, 16)
        for (int64_t k = lo; k < (int64_t)hi; k++) {
            c.s.limit = limit;
            c.s.added = 0;
            w->spans[k - lo] = (pg_tspan){tid, c.s.buf->ps.count, 0};
            run_start(&c, tv->out->txn[k]);
            w->spans[k - lo].count = c.s.buf->ps.count - w->spans[k - lo].first;
        }
        if (c.s.failed) {
            __atomic_store_n(&failed, 1, __ATOMIC_RELAXED);
        }
    }
    if (failed) {
        return pg_error_oom("temporal cycle buffer", 0);
    }
    return pg_tsearch__gather(w, hi - lo, o->max_paths);
}

static void free_scratch(scratch *sc, int nt)
{
    for (int t = 0; sc && t < nt; t++) {
        pg_free(sc[t].stamp);
        pg_free(sc[t].latest);
        pg_free(sc[t].hops);
        pg_free(sc[t].queued);
        pg_free(sc[t].front);
        pg_free(sc[t].next);
    }
    pg_free(sc);
}

static int alloc_scratch(scratch **out, int nt, uint32_t n)
{
    scratch *sc = pg_calloc((size_t)nt, sizeof(*sc));
    size_t nn = n ? n : 1;
    for (int t = 0; sc && t < nt; t++) {
        sc[t].stamp = pg_calloc(nn, sizeof(*sc[t].stamp));
        sc[t].latest = pg_malloc_array(nn, sizeof(*sc[t].latest));
        sc[t].hops = pg_malloc_array(nn, sizeof(*sc[t].hops));
        sc[t].queued = pg_calloc(nn, sizeof(*sc[t].queued));
        sc[t].front = pg_malloc_array(nn, sizeof(*sc[t].front));
        sc[t].next = pg_malloc_array(nn, sizeof(*sc[t].next));
        if (!sc[t].stamp || !sc[t].latest || !sc[t].hops || !sc[t].queued || !sc[t].front ||
            !sc[t].next) {
            free_scratch(sc, nt);
            sc = NULL;
        }
    }
    *out = sc;
    return sc ? 0 : pg_error_oom("temporal cycle scratch", (size_t)nt * nn * 29);
}

static int alloc_times(adj_times *at, const pg_tview *tv, int nt)
{
    size_t m = tv->m ? (size_t)tv->m : 1;
    at->out_ts = pg_malloc_array(m, sizeof(*at->out_ts));
    at->in_ts = pg_malloc_array(m, sizeof(*at->in_ts));
    if (!at->out_ts || !at->in_ts) {
        return pg_error_oom("temporal cycle time lists", m * 16);
    }
    (void)nt;
#pragma omp parallel for num_threads(nt) schedule(static) if (tv->m >= 65536)
    for (int64_t i = 0; i < tv->m; i++) {
        at->out_ts[i] = tv->ts[tv->out->txn[i]];
        at->in_ts[i] = tv->ts[tv->in->txn[i]];
    }
    return 0;
}

int pg_temporal_cycles(pg_path_set *out, const pg_tview *tv, const pg_temporal_options *opts)
{
    pg_temporal_options defaults;
    int err = pg_paths__options(&opts, &defaults, tv);
    if (err < 0) {
        return err;
    }
    if (opts->max_hops < 2) {
        return pg_error_set(PG_EINVAL, "temporal cycles: max_hops must be at least 2");
    }
    int nt = pg_threads_resolve(opts->threads);
    scratch *sc = NULL;
    adj_times at = {0};
    pg_tsearch_work w;
    if ((err = pg_tsearch__work_init(&w, nt, PG_TCYCLE_CHUNK, "temporal cycle workspace")) < 0 ||
        (err = alloc_scratch(&sc, nt, tv->n)) < 0 || (err = alloc_times(&at, tv, nt)) < 0) {
        goto done;
    }
    for (int64_t lo = 0; lo < tv->m && !w.res.ps.truncated; lo += PG_TCYCLE_CHUNK) {
        int64_t hi = lo + PG_TCYCLE_CHUNK < tv->m ? lo + PG_TCYCLE_CHUNK : tv->m;
        if ((err = run_chunk(&w, sc, &at, (uint32_t)lo, (uint32_t)hi, tv, opts)) < 0) {
            goto done;
        }
        if (w.stop || pg_interrupted()) {
            err = pg_error_set(PG_EINTR, "temporal cycles: interrupted");
            goto done;
        }
    }
    pg_paths__buf_finish(out, &w.res);
done:
    pg_tsearch__work_free(&w);
    free_scratch(sc, nt);
    pg_free(at.out_ts);
    pg_free(at.in_ts);
    return err;
}
