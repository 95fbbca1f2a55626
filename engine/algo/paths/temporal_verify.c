/*
 * Serial verifier for the time-respecting kernels: every hop's transaction
 * joins the path's consecutive vertices, hops follow each other in time
 * (strictly or not) within the maximum delay, amounts respect the
 * conservation bound, hop counts respect H, vertices do not repeat (a cycle
 * repeats only its start at the end), paths stay inside [t0, t0 + W] and end
 * at the target when given; cycles span at most W from their first
 * transaction, which is their smallest by (time, index). O(total hops * H).
 */
#include "paths_internal.h"
#include "temporal_internal.h"

#include "core/error.h"

static int fail(size_t k, const char *what)
{
    return pg_error_set(PG_EINTERNAL, "temporal verify: path %zu: %s", k, what);
}

static int distinct(const uint32_t *v, int nv)
{
    for (int i = 0; i < nv; i++) {
        for (int j = i + 1; j < nv; j++) {
            if (v[i] == v[j]) {
                return 0;
            }
        }
    }
    return 1;
}

static int check_hops(const pg_tview *tv, const pg_temporal_options *o, const uint32_t *v,
                      const uint32_t *t, int hops, size_t k)
{
    for (int i = 0; i < hops; i++) {
        if (t[i] >= tv->m || tv->src[t[i]] != v[i] || tv->dst[t[i]] != v[i + 1]) {
            return fail(k, "hop transaction does not join its vertices");
        }
        if (i > 0 && !pg_paths__hop_ok(tv, o, t[i - 1], t[i])) {
            return fail(k, "hop breaks the time, delay or amount rule");
        }
    }
    return 0;
}

static int check_cycle(const pg_tview *tv, const pg_temporal_options *o, const uint32_t *v,
                       const uint32_t *t, int hops, size_t k)
{
    if (hops < 2 || v[0] != v[hops] || !distinct(v, hops)) {
        return fail(k, "not a simple cycle of 2 or more hops");
    }
    if (o->window >= 0 && tv->ts[t[hops - 1]] - tv->ts[t[0]] > o->window) {
        return fail(k, "cycle longer than the window");
    }
    for (int i = 1; i < hops; i++) {
        if (tv->ts[t[i]] < tv->ts[t[0]] || (tv->ts[t[i]] == tv->ts[t[0]] && t[i] < t[0])) {
            return fail(k, "cycle does not start at its earliest transaction");
        }
    }
    return 0;
}

static int check_path(const pg_tview *tv, const pg_temporal_options *o, const uint32_t *v,
                      const uint32_t *t, int hops, size_t k)
{
    if (!distinct(v, hops + 1)) {
        return fail(k, "vertex repeats");
    }
    if (o->target != PG_NONE && v[hops] != o->target) {
        return fail(k, "does not end at the target");
    }
    int64_t end = pg_paths__window_end(o);
    for (int i = 0; i < hops; i++) {
        if (tv->ts[t[i]] < o->t0 || tv->ts[t[i]] > end) {
            return fail(k, "transaction outside the window");
        }
    }
    return 0;
}

int pg_temporal_verify(const pg_path_set *ps, const pg_tview *tv, const pg_temporal_options *o,
                       int cycles)
{
    if (ps->count > 0 && (!ps->txn || !ps->off)) {
        return pg_error_set(PG_EINTERNAL, "temporal verify: no transactions in the path set");
    }
    for (size_t k = 0; k < ps->count; k++) {
        int hops = (int)(ps->off[k + 1] - ps->off[k]);
        const uint32_t *v = ps->vert + ps->off[k] + k;
        const uint32_t *t = ps->txn + ps->off[k];
        if (hops < 1 || hops > o->max_hops) {
            return fail(k, "hop count outside 1..H");
        }
        int err = check_hops(tv, o, v, t, hops, k);
        if (err == 0) {
            err = cycles ? check_cycle(tv, o, v, t, hops, k) : check_path(tv, o, v, t, hops, k);
        }
        if (err < 0) {
            return err;
        }
    }
    return 0;
}
