/*
 * Laundering-typology detection over the temporal view: the driver.
 *
 * What: finds the laundering patterns of IBM's AMLworld synthetic data
 * (Altman et al., "Realistic Synthetic Financial Transactions for
 * Anti-Money Laundering Models", NeurIPS 2023 Datasets & Benchmarks,
 * arXiv:2306.16424, doi:10.48550/arXiv.2306.16424): fan-out, fan-in,
 * gather-scatter, scatter-gather, cycles, bipartite blocks and stacks.
 *
 * Approach: laundering amounts look ordinary, so detection rests on structure
 * and timing. A first pass flags each pair's first transaction (first
 * contact) and whether the pair keeps transacting later (a standing
 * relationship: payroll, rent, a regular shop), and copies the fresh
 * contacts into out- and in-lists of their own. Then every vertex is an
 * anchor for the detectors in typology_fans.c, typology_flows.c and
 * typology_blocks.c, which
 * look only at fresh contacts (first contacts that do not turn into a
 * standing relationship) inside a sliding time window and compare a burst
 * with the account's own baseline rate of fresh contacts.
 *
 * Why: an ordinary account mostly pays the same counterparties; a mule
 * suddenly pays or is paid by several strangers within days, once. Merchants
 * meet strangers steadily (high baseline) and employers pay the same people
 * again and again (standing relationships), so neither is flagged. The price:
 * a launderer who pays the same mule again more than a window later makes
 * that edge a standing relationship, and it no longer counts.
 *
 * Complexity: O(m) for the first-contact pass (two scans of each out-list
 * with a per-thread stamp array), O(m) for the fans, and for the two-hop and
 * cycle searches the first-contact transactions reachable within a window
 * (cycles also capped by cycle_budget per start vertex).
 *
 * Parallelism and determinism: vertices are split into fixed chunks (their
 * size does not depend on the thread count); each chunk appends to its own
 * candidate list, and the lists are concatenated in chunk order.
 */
#include "algo/rings/typology.h"

#include <math.h>
#include <string.h>

#include "core/alloc.h"
#include "core/error.h"
#include "core/par.h"

/* Vertices per work chunk: small enough to balance skewed degrees. */
#define PG_TY_CHUNK 256

#define DAY 86400

void pg_typology_options_init(pg_typology_options *o)
{
    memset(o, 0, sizeof(*o));
    o->window = 10 * DAY;
    o->min_fan = 4;
    o->min_flow = 3;
    o->max_cycle = 6;
    o->cycle_budget = 20000;
    o->min_ratio = 3.0;
    o->no_forward_floor = 0.25;
    o->threads = 0;
}

void pg_ty_scratch_free(pg_ty_scratch *s)
{
    pg_free(s->verts);
    pg_free(s->txn);
    pg_free(s->hops);
    pg_free(s->seen);
    pg_free(s->nsinks);
    memset(s, 0, sizeof(*s));
}

int pg_ty__push_hop(pg_ty_scratch *s, size_t *n, pg_ty_hop h)
{
    if (pg_grow((void **)&s->hops, &s->hops_cap, *n + 1, sizeof(pg_ty_hop)) < 0) {
        return pg_error_oom("typology hops", (*n + 1) * sizeof(pg_ty_hop));
    }
    s->hops[(*n)++] = h;
    return 0;
}

double pg_ty__ratio(uint32_t k, uint32_t outside, int64_t span, int64_t window)
{
    double base = (double)outside * (double)window / (double)(span > window ? span : window);
    return (double)k / (1.0 + base);
}

double pg_ty__unusual(double ratio)
{
    return ratio <= 1.0 ? 0.0 : 1.0 - exp(-(ratio - 1.0) / 3.0);
}

int64_t pg_ty__span(const pg_tview *tv, uint32_t v)
{
    int64_t lo = INT64_MAX, hi = INT64_MIN;
    const pg_tadj *sides[2] = {tv->out, tv->in};
    for (int k = 0; k < 2; k++) {
        const pg_tadj *a = sides[k];
        if (a->offsets[v + 1] > a->offsets[v]) {
            int64_t f = tv->ts[a->txn[a->offsets[v]]], l = tv->ts[a->txn[a->offsets[v + 1] - 1]];
            lo = f < lo ? f : lo;
            hi = l > hi ? l : hi;
        }
    }
    return hi >= lo ? hi - lo : 0;
}

/*
 * Flag first contacts of u's out-list: the first scan records the last time
 * of each counterparty, the second marks each pair's first transaction.
 * Purchases at a point of sale are never flagged.
 */
static void flag_vertex(const pg_tview *tv, const pg_typology_options *o, uint32_t u,
                        uint32_t *stamp, int64_t *last, uint8_t *flags)
{
    const uint8_t *shop = o->point_of_sale;
    const pg_tadj *a = tv->out;
    uint32_t s1 = 2 * u + 1, s2 = 2 * u + 2; /* unique per vertex and pass */
    for (int64_t i = a->offsets[u]; i < a->offsets[u + 1]; i++) {
        uint32_t x = a->txn[i];
        stamp[tv->dst[x]] = s1;
        last[tv->dst[x]] = tv->ts[x];
    }
    for (int64_t i = a->offsets[u]; i < a->offsets[u + 1]; i++) {
        uint32_t x = a->txn[i], v = tv->dst[x];
        flags[x] = 0;
        if (stamp[v] == s2 || v == u || (shop && shop[v])) {
            continue;
        }
        stamp[v] = s2;
        flags[x] = PG_TY_FIRST | (last[v] > tv->ts[x] + o->window ? PG_TY_REPEAT : 0);
    }
}

/* First-contact flags for every transaction, in parallel over sources. */
static int flag_all(uint8_t *flags, const pg_tview *tv, const pg_typology_options *o)
{
    int nt = pg_threads_resolve(o->threads);
    uint32_t **stamps = pg_calloc((size_t)nt, sizeof(*stamps));
    int64_t **lasts = pg_calloc((size_t)nt, sizeof(*lasts));
    int err = stamps && lasts ? 0 : PG_ENOMEM;
    for (int t = 0; err == 0 && t < nt; t++) {
        stamps[t] = pg_calloc((size_t)tv->n + 1, sizeof(uint32_t));
        lasts[t] = pg_malloc_array((size_t)tv->n + 1, sizeof(int64_t));
        err = stamps[t] && lasts[t] ? 0 : PG_ENOMEM;
    }
    if (err == 0) {
        int64_t n = tv->n;
#pragma omp parallel for num_threads(nt) schedule(dynamic, 1024)
        for (int64_t u = 0; u < n; u++) {
            int t = pg_par_thread_id();
            flag_vertex(tv, o, (uint32_t)u, stamps[t], lasts[t], flags);
        }
    }
    for (int t = 0; t < nt && stamps && lasts; t++) {
        pg_free(stamps[t]);
        pg_free(lasts[t]);
    }
    pg_free(stamps);
    pg_free(lasts);
    return err ? pg_error_oom("typology stamps", (size_t)tv->n * 12 * (size_t)nt) : 0;
}

/* Fresh entries of a's list of vertex v (the count pass of fresh_side). */
static int64_t fresh_count(const pg_tadj *a, const uint8_t *flags, uint32_t v)
{
    int64_t k = 0;
    for (int64_t i = a->offsets[v]; i < a->offsets[v + 1]; i++) {
        k += pg_ty_fresh(flags[a->txn[i]]);
    }
    return k;
}

/* The fresh contacts of each of a's lists, in the same order: count, prefix sum, fill. */
static int fresh_side(pg_tadj *out, const pg_tadj *a, const uint8_t *flags, int nt)
{
    (void)nt; /* used only by OpenMP pragmas */
    int64_t n = a->n;
    memset(out, 0, sizeof(*out));
    out->n = a->n;
    out->offsets = pg_malloc_array((size_t)n + 1, sizeof(int64_t));
    if (!out->offsets) {
        return pg_error_oom("fresh-contact lists", ((size_t)n + 1) * sizeof(int64_t));
    }
    out->offsets[0] = 0;
#pragma omp parallel for num_threads(nt) schedule(static)
    for (int64_t v = 0; v < n; v++) {
        out->offsets[v + 1] = fresh_count(a, flags, (uint32_t)v);
    }
    for (int64_t v = 0; v < n; v++) {
        out->offsets[v + 1] += out->offsets[v];
    }
    out->m = out->offsets[n];
    out->txn = pg_malloc_array((size_t)out->m + 1, sizeof(uint32_t));
    if (!out->txn) {
        pg_tadj_free(out);
        return pg_error_oom("fresh-contact lists", (size_t)out->m * sizeof(uint32_t));
    }
#pragma omp parallel for num_threads(nt) schedule(static)
    for (int64_t v = 0; v < n; v++) {
        int64_t k = out->offsets[v];
        for (int64_t i = a->offsets[v]; i < a->offsets[v + 1]; i++) {
            if (pg_ty_fresh(flags[a->txn[i]])) {
                out->txn[k++] = a->txn[i];
            }
        }
    }
    return 0;
}

/* Run every detector on the vertices of one chunk. */
static int run_chunk(pg_candidates *out, const pg_ty_ctx *c, pg_ty_scratch *s, int64_t chunk)
{
    int64_t lo = chunk * PG_TY_CHUNK, hi = lo + PG_TY_CHUNK;
    if (hi > (int64_t)c->tv->n) {
        hi = c->tv->n;
    }
    int err = 0;
    for (int64_t v = lo; v < hi && err == 0; v++) {
        err = pg_ty__fans(out, c, s, (uint32_t)v);
        if (err == 0) {
            err = pg_ty__flows(out, c, s, (uint32_t)v);
        }
        if (err == 0) {
            err = pg_ty__blocks(out, c, s, (uint32_t)v);
        }
    }
    return err;
}

static int valid(const pg_tview *tv, const pg_typology_options *o)
{
    return tv && o && tv->out && tv->in && tv->out->n == tv->n && tv->in->n == tv->n &&
           o->window > 0 && o->min_fan >= 2 && o->min_flow >= 2 && o->max_cycle >= 3 &&
           o->max_cycle <= 64 && o->min_ratio >= 0.0 && o->no_forward_floor >= 0.0 &&
           o->no_forward_floor <= 1.0;
}

int pg_rings__typologies(pg_candidates *out, const pg_tview *tv, const pg_typology_options *o)
{
    if (!out || !valid(tv, o)) {
        return pg_error_set(PG_EINVAL, "typologies: invalid view or options");
    }
    int nt = pg_threads_resolve(o->threads);
    int64_t chunks = ((int64_t)tv->n + PG_TY_CHUNK - 1) / PG_TY_CHUNK;
    uint8_t *flags = pg_malloc((size_t)tv->m + 1);
    pg_candidates *parts = pg_calloc((size_t)chunks + 1, sizeof(*parts));
    int *errs = pg_calloc((size_t)chunks + 1, sizeof(int));
    pg_ty_scratch *scratch = pg_calloc((size_t)nt, sizeof(*scratch));
    int err = flags && parts && errs && scratch ? 0 : pg_error_oom("typologies", (size_t)tv->m);
    pg_tadj fout = {0}, fin = {0};
    if (err == 0) {
        err = flag_all(flags, tv, o);
    }
    if (err == 0 && (err = fresh_side(&fout, tv->out, flags, nt)) == 0) {
        err = fresh_side(&fin, tv->in, flags, nt);
    }
    pg_free(flags); /* the fresh lists replace the flags */
    if (err == 0) {
        pg_tview fresh = *tv;
        fresh.out = &fout;
        fresh.in = &fin;
        pg_ty_ctx c = {&fresh, tv, o};
#pragma omp parallel for num_threads(nt) schedule(dynamic, 1)
        for (int64_t k = 0; k < chunks; k++) {
            errs[k] = run_chunk(&parts[k], &c, &scratch[pg_par_thread_id()], k);
        }
        for (int64_t k = 0; k < chunks && err == 0; k++) {
            err = errs[k];
        }
    }
    /* gather into a local list first, so that on failure out is left as it was */
    pg_candidates all;
    pg_candidates_init(&all);
    for (int64_t k = 0; k < chunks && err == 0 && parts; k++) {
        if (parts[k].n > 0) { /* take() copies from parts[k].c, NULL when empty */
            err = pg_candidates_take(&all, &parts[k]);
        }
    }
    if (err == 0 && all.n > 0) {
        err = pg_candidates_take(out, &all);
    }
    pg_candidates_free(&all);
    for (int64_t k = 0; parts && k < chunks; k++) {
        pg_candidates_free(&parts[k]);
    }
    for (int t = 0; scratch && t < nt; t++) {
        pg_ty_scratch_free(&scratch[t]);
    }
    pg_free(scratch);
    pg_free(errs);
    pg_free(parts);
    pg_tadj_free(&fout);
    pg_tadj_free(&fin);
    return err;
}
