/*
 * Enumeration of time-respecting money-flow paths: every simple path of
 * 1..H transactions leaving a source inside the window [t0, t0 + W], each
 * transaction after the previous one (strictly or not) and within the
 * maximum delay of it, with amounts conserved when asked (each hop between
 * (1 - d) and 1 times the previous). The temporal-path model is that of Wu
 * et al., PVLDB 2014, doi:10.14778/2732939.2732945; the money-flow reading
 * (a payment can only pass on money received before it) follows Kempe,
 * Kleinberg & Kumar, "Connectivity and inference problems for temporal
 * networks", J. Comput. Syst. Sci. 2002, doi:10.1006/jcss.2002.1829.
 *
 * Approach: depth-first search from each first transaction, binary search
 * into each vertex's time-ordered list for the first candidate, scan until
 * the delay or window bound. Tasks (first transactions, in source order then
 * time order) are processed in chunks; threads take tasks dynamically and
 * write into their own buffers, and each chunk is merged in task order, so
 * output and truncation are the same for any thread count.
 * Complexity: output-sensitive, O(paths * H * log d) plus the scans; the
 * max_paths bound caps both time and memory.
 */
#include "paths_internal.h"
#include "temporal_internal.h"

#include <string.h>

#include "core/alloc.h"
#include "core/error.h"
#include "core/par.h"

/* First transactions per chunk: large enough to keep threads busy, small enough to stop soon
 * after the path bound is hit. */
#define PG_TPATH_CHUNK 2048
typedef struct walk {
    const pg_tview *tv;
    const pg_temporal_options *o;
    int64_t end; /* window end */
    pg_tsearch s;
} walk;

/* The path so far has `hops` transactions and ends at vert[hops]. */
static void extend(walk *w, int hops)
{
    uint32_t v = w->s.vert[hops];
    if (w->o->target == PG_NONE || v == w->o->target) {
        pg_tsearch__emit(&w->s, hops);
        if (w->o->target != PG_NONE) {
            return; /* a simple path cannot leave the target and come back */
        }
    }
    if (hops == w->o->max_hops) {
        return;
    }
    const pg_tview *tv = w->tv;
    uint32_t prev = w->s.txn[hops - 1];
    int64_t end = w->end;
    if (w->o->max_delay >= 0 && tv->ts[prev] <= end - w->o->max_delay) {
        end = tv->ts[prev] + w->o->max_delay;
    }
    for (int64_t i = pg_paths__first_at(tv->out, tv->ts, v, tv->ts[prev]);
         i < tv->out->offsets[v + 1] && !pg_tsearch__halted(&w->s); i++) {
        uint32_t e = tv->out->txn[i];
        if (tv->ts[e] > end) {
            break;
        }
        if (!pg_paths__hop_ok(tv, w->o, prev, e) || pg_tsearch__on_path(&w->s, hops, tv->dst[e])) {
            continue;
        }
        w->s.txn[hops] = e;
        w->s.vert[hops + 1] = tv->dst[e];
        extend(w, hops + 1);
    }
}

/* First transactions of every source, in source order then time order. */
static int collect_tasks(uint32_t **tasks, size_t *nt, const pg_tview *tv, const uint32_t *src,
                         size_t ns, const pg_temporal_options *o)
{
    size_t cap = 0;
    int64_t end = pg_paths__window_end(o);
    *tasks = NULL;
    *nt = 0;
    for (size_t s = 0; s < ns; s++) {
        if (src[s] >= tv->n) {
            return pg_error_set(PG_EINVAL, "temporal paths: source %u >= n", src[s]);
        }
        int dup = 0;
        for (size_t r = 0; r < s && !dup; r++) {
            dup = src[r] == src[s];
        }
        int64_t i = pg_paths__first_at(tv->out, tv->ts, src[s], o->t0);
        for (; !dup && i < tv->out->offsets[src[s] + 1]; i++) {
            uint32_t e = tv->out->txn[i];
            if (tv->ts[e] > end) {
                break;
            }
            if (tv->dst[e] == src[s]) {
                continue; /* a self-payment is no flow */
            }
            if (pg_grow((void **)tasks, &cap, *nt + 1, sizeof(**tasks)) < 0) {
                return PG_ENOMEM;
            }
            (*tasks)[(*nt)++] = e;
        }
    }
    return 0;
}

static void run_task(walk *w, uint32_t e)
{
    w->s.vert[0] = w->tv->src[e];
    w->s.vert[1] = w->tv->dst[e];
    w->s.txn[0] = e;
    extend(w, 1);
}

/* Run tasks [lo, hi) in parallel and append their paths, in task order, to w->res. */
static int run_chunk(pg_tsearch_work *w, const uint32_t *tasks, size_t lo, size_t hi,
                     const pg_tview *tv, const pg_temporal_options *o)
{
    int failed = 0;
    size_t limit = o->max_paths - w->res.ps.count;
#pragma omp parallel num_threads(w->nt) if (hi - lo >= 64)
    {
        int tid = pg_par_thread_id();
        walk wk = {.tv = tv, .o = o, .end = pg_paths__window_end(o)};
        wk.s.stop = &w->stop;
        wk.s.buf = &w->tbuf[tid];
#pragma omp for schedule(dynamic, 1)
        for (size_t i = lo; i < hi; i++) {
            wk.s.limit = limit + 1; /* one more than fits, to detect truncation */
            wk.s.added = 0;
            w->spans[i - lo] = (pg_tspan){tid, wk.s.buf->ps.count, 0};
            run_task(&wk, tasks[i]);
            w->spans[i - lo].count = wk.s.buf->ps.count - w->spans[i - lo].first;
        }
        if (wk.s.failed) {
            __atomic_store_n(&failed, 1, __ATOMIC_RELAXED);
        }
    }
    if (failed) {
        return pg_error_oom("temporal path buffer", 0);
    }
    return pg_tsearch__gather(w, hi - lo, o->max_paths);
}

int pg_temporal_paths(pg_path_set *out, const pg_tview *tv, const uint32_t *sources,
                      size_t n_sources, const pg_temporal_options *opts)
{
    pg_temporal_options defaults;
    int err = pg_paths__options(&opts, &defaults, tv);
    if (err < 0) {
        return err;
    }
    size_t ntask = 0;
    uint32_t *tasks = NULL;
    pg_tsearch_work w;
    if ((err = pg_tsearch__work_init(&w, pg_threads_resolve(opts->threads), PG_TPATH_CHUNK,
                                     "temporal path workspace")) < 0 ||
        (err = collect_tasks(&tasks, &ntask, tv, sources, n_sources, opts)) < 0) {
        goto done;
    }
    for (size_t lo = 0; lo < ntask && !w.res.ps.truncated; lo += PG_TPATH_CHUNK) {
        size_t hi = lo + PG_TPATH_CHUNK < ntask ? lo + PG_TPATH_CHUNK : ntask;
        if ((err = run_chunk(&w, tasks, lo, hi, tv, opts)) < 0) {
            goto done;
        }
        if (w.stop || pg_interrupted()) {
            err = pg_error_set(PG_EINTR, "temporal paths: interrupted");
            goto done;
        }
    }
    pg_paths__buf_finish(out, &w.res);
done:
    pg_tsearch__work_free(&w);
    pg_free(tasks);
    return err;
}
