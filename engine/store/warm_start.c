/*
 * Warm start from an earlier community results file (communities_h5.c):
 * the communities of a run on last month's pool as the starting partition
 * of a run on this month's.
 *
 * Account ids are the order of first appearance in one pool, so the file's
 * accounts are matched to the pool's by key (institution name, account
 * name), which pseudonymisation keeps stable as long as the working group
 * keeps its key. Accounts new to the pool start alone (at entity level,
 * with their entity when another of its accounts matched); accounts gone
 * from it are ignored. The starting labels are renumbered in vertex order of
 * first appearance, so they lie in [0, n) whatever the earlier file's
 * community count.
 *
 * Complexity: O(A' + A + n) with A' accounts in the file (one hash lookup
 * each, in parallel) and A in the pool.
 */
#include <stdio.h>
#include <string.h>

#include "core/alloc.h"
#include "core/error.h"
#include "core/strlist.h"
#include "paygraph/store.h"
#include "store/account_keys.h"
#include "store/id_check.h"
#include "store/h5util.h"
#include "store/seal.h"
#include "store/warm_start.h"

/* check_layout: the file is a scan's results.h5, whose communities pg_previous_scan reads. */
#define SCAN_RESULTS 1

/* The datasets a warm start needs, each checked for presence first to say what the file is not. */
static int check_layout(pg_h5 *h)
{
    if (!pg_h5_exists(h, "/account/community") && pg_h5_exists(h, "/accounts/community") &&
        pg_h5_exists(h, "/rings/id")) {
        return SCAN_RESULTS;
    }
    if (!pg_h5_exists(h, "/account/community") || !pg_h5_exists(h, "/community/size")) {
        return pg_error_set(PG_EINPUT,
                            "%s: not a community results file (no /account/community) nor a "
                            "scan's results.h5 (no /accounts/community)",
                            h->path);
    }
    if (!pg_h5_exists(h, "/account/name") || !pg_h5_exists(h, "/account/institution") ||
        !pg_h5_exists(h, "/institutions")) {
        return pg_error_set(PG_EINPUT,
                            "%s: has no account keys (saved without its pool); run "
                            "'paygraph communities' on its pool again to write them",
                            h->path);
    }
    return PG_OK;
}

int pg_warm_start__check(const pg_warm_earlier *e, const char *path)
{
    if (e->n_institution != e->n || e->names->n != e->n) {
        return pg_error_set(PG_EINPUT,
                            "%s: %zu account communities, %zu institutions and %zu names differ",
                            path, e->n, e->n_institution, e->names->n);
    }
    /* Every community has an account: more would be a damaged count, not an allocation to make. */
    if (e->communities > e->n) {
        return pg_error_set(PG_EINPUT, "%s: %zu communities for %zu accounts", path, e->communities,
                            e->n);
    }
    const char *group = e->group ? e->group : "/account";
    char community[32], institution[32];
    snprintf(community, sizeof(community), "%s/community", group);
    snprintf(institution, sizeof(institution), "%s/institution", group);
    int err = pg_store_check_ids(path, community, e->community, 4, e->n, e->communities, 0, 1);
    return err ? err
               : pg_store_check_ids(path, institution, e->institution, 4, e->n, e->insts->n, 0, 1);
}

/* The file's arrays, owned; e views them. */
typedef struct file_arrays {
    uint32_t *community;
    uint32_t *institution;
    pg_strlist names;
    pg_strlist insts;
} file_arrays;

static void file_arrays_free(file_arrays *f)
{
    pg_free(f->community);
    pg_free(f->institution);
    pg_strlist_destroy(&f->names);
    pg_strlist_destroy(&f->insts);
}

/* Read the earlier file into f, viewed by e (unchecked); SCAN_RESULTS for a scan's results.h5. */
static int read_earlier(file_arrays *f, pg_warm_earlier *e, const char *path, int threads)
{
    pg_h5 h;
    memset(f, 0, sizeof(*f));
    pg_strlist_init(&f->names);
    pg_strlist_init(&f->insts);
    memset(e, 0, sizeof(*e));
    /* HDF5 1.10 can crash on a damaged file: nothing parses it before its seal holds. */
    int err = pg_seal_check(path, threads, "results file",
                            "run 'paygraph communities' or 'paygraph scan' on its pool again");
    if (err || (err = pg_h5_open(&h, path))) {
        return err;
    }
    h.threads = threads;
    h.sealed = 1;
    if ((err = check_layout(&h)) == 0 &&
        (err = pg_h5_read(&h, "/account/community", H5T_NATIVE_UINT32, (void **)&f->community,
                          &e->n)) == 0 &&
        (err = pg_h5_read(&h, "/account/institution", H5T_NATIVE_UINT32, (void **)&f->institution,
                          &e->n_institution)) == 0 &&
        (err = pg_h5_length(&h, "/community/size", H5T_NATIVE_INT64, &e->communities)) == 0 &&
        (err = pg_h5_read_strlist(&h, "/account/name", &f->names)) == 0) {
        err = pg_h5_read_strlist(&h, "/institutions", &f->insts);
    }
    e->community = f->community;
    e->institution = f->institution;
    e->names = &f->names;
    e->insts = &f->insts;
    int err2 = pg_h5_close(&h);
    return err ? err : err2;
}

/*
 * Starting labels from the earlier community of each pool account (start,
 * PG_NONE when not found): a vertex takes its smallest found account's,
 * renumbered in order of first appearance; the rest start alone.
 * renumber: `communities` words of scratch.
 */
static void label_vertices(uint32_t *initial, const uint32_t *start, const pg_graph *g,
                           uint32_t *renumber, size_t communities)
{
    for (size_t c = 0; c < communities; c++) {
        renumber[c] = PG_NONE;
    }
    for (uint32_t v = 0; v < g->n; v++) {
        initial[v] = PG_NONE;
    }
    for (uint32_t a = 0; a < g->n_accounts; a++) {
        uint32_t v = g->vertex_of_account[a];
        if (initial[v] == PG_NONE) {
            initial[v] = start[a];
        }
    }
    uint32_t next = 0;
    for (uint32_t v = 0; v < g->n; v++) {
        uint32_t c = initial[v];
        if (c == PG_NONE) {
            initial[v] = next++;
        } else {
            if (renumber[c] == PG_NONE) {
                renumber[c] = next++;
            }
            initial[v] = renumber[c];
        }
    }
}

int pg_warm_start__labels(uint32_t *initial, uint32_t *matched, const pg_warm_earlier *e,
                          const pg_pool *pool, const pg_graph *g, int threads)
{
    *matched = 0;
    if (g->n_accounts != pg_pool_num_accounts(pool)) {
        return pg_error_set(PG_EINVAL, "warm start: the graph has %u accounts, the pool %u",
                            g->n_accounts, pg_pool_num_accounts(pool));
    }
    uint32_t *account = pg_malloc_array(e->n ? e->n : 1, sizeof(uint32_t));
    uint32_t *start = pg_malloc_array((size_t)g->n_accounts + 1, sizeof(uint32_t));
    uint32_t *renumber = pg_malloc_array(e->communities ? e->communities : 1, sizeof(uint32_t));
    int err = PG_OK;
    if (!account || !start || !renumber) {
        err = pg_error_oom("warm start", (e->n + g->n_accounts + e->communities) * 4);
    } else {
        pg_account_keys_find(account, e->institution, e->names, e->insts, e->n, pool,
                             pg_threads_resolve(threads));
        for (uint32_t a = 0; a < g->n_accounts; a++) {
            start[a] = PG_NONE;
        }
        /* In file order, so a key the file repeats resolves the same way every time. */
        for (size_t i = 0; i < e->n; i++) {
            if (account[i] != PG_NONE) {
                *matched += start[account[i]] == PG_NONE;
                start[account[i]] = e->community[i];
            }
        }
        label_vertices(initial, start, g, renumber, e->communities);
    }
    pg_free(account);
    pg_free(start);
    pg_free(renumber);
    return err;
}

/* A scan's results.h5 (as `scan --previous` reads it): its accounts' communities. */
static int from_scan_results(uint32_t *initial, uint32_t *matched, const char *path,
                             const pg_pool *pool, const pg_graph *g, int threads)
{
    pg_previous_scan *s = NULL;
    int err = pg_previous_scan_load(&s, path, threads);
    if (!err) {
        err = pg_previous_scan_communities(initial, matched, s, pool, g, threads);
    }
    pg_previous_scan_free(s);
    return err;
}

int pg_communities_warm_start(uint32_t *initial, uint32_t *matched, const char *path,
                              const pg_pool *pool, const pg_graph *g, int threads)
{
    file_arrays f;
    pg_warm_earlier e;
    *matched = 0;
    threads = pg_threads_resolve(threads);
    int err = read_earlier(&f, &e, path, threads);
    if (err == SCAN_RESULTS) {
        file_arrays_free(&f);
        return from_scan_results(initial, matched, path, pool, g, threads);
    }
    if (!err) {
        err = pg_warm_start__check(&e, path);
    }
    if (!err) {
        err = pg_warm_start__labels(initial, matched, &e, pool, g, threads);
    }
    file_arrays_free(&f);
    return err;
}
