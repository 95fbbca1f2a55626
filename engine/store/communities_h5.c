/*
 * The community results file: /vertex/community, /account/community,
 * /community/size, and the algorithm, objective, resolution, quality,
 * modularity, level, seed, the level tolerance (min_gain), (Leiden)
 * iterations and warm_start as attributes of /; with a pool, the accounts'
 * keys (/account/institution, /account/name, /institutions, as in
 * results.h5), which a later run on updated data reads back as its warm
 * start (warm_start.c). Written atomically, and sealed as a pool file is
 * (seal.c), since it is now an input too.
 */
#include <stdio.h>
#include <sys/stat.h>

#include "core/alloc.h"
#include "core/error.h"
#include "paygraph/community.h"
#include "paygraph/store.h"
#include "store/h5util.h"
#include "store/seal.h"

/* The accounts' keys, as results.h5 stores them. */
static int write_keys(pg_h5 *h, const pg_pool *pool, const pg_graph *g)
{
    pg_account_columns a;
    pg_pool_accounts(pool, &a);
    if (a.n != g->n_accounts) {
        return pg_error_set(PG_EINVAL, "community results: the graph has %u accounts, the pool %u",
                            g->n_accounts, a.n);
    }
    int err;
    if ((err = pg_h5_write(h, "/account/institution", H5T_NATIVE_UINT32, a.institution, a.n)) ==
            0 &&
        (err = pg_h5_write_pool_names(h, "/account/name", a.n, pool, pg_pool_account_name)) == 0) {
        err = pg_h5_write_pool_names(h, "/institutions", pg_pool_num_institutions(pool), pool,
                                     pg_pool_institution_name);
    }
    return err;
}

int pg_communities_save_keyed(const char *path, const pg_pool *pool, const pg_graph *g,
                              const uint32_t *membership, const pg_community_result *res,
                              const pg_community_options *co)
{
    char tmp[4096];
    pg_h5 h;
    int err = pg_h5_tmp_path(tmp, sizeof(tmp), path);
    if (err < 0) {
        return err;
    }
    uint32_t *per_account = pg_malloc_array((size_t)g->n_accounts + 1, sizeof(uint32_t));
    int64_t *size = pg_calloc((size_t)res->count + 1, sizeof(int64_t));
    if (!per_account || !size) {
        err = pg_error_oom("community results", (size_t)g->n_accounts * 4);
    }
    if (!err) {
        for (uint32_t a = 0; a < g->n_accounts; a++) {
            per_account[a] = membership[g->vertex_of_account[a]];
        }
        for (uint32_t v = 0; v < g->n; v++) {
            size[membership[v]]++;
        }
        err = pg_h5_create(&h, tmp, 1, PG_SEAL_BYTES);
    }
    if (!err) {
        if ((err = pg_h5_group(&h, "/vertex")) == 0 && (err = pg_h5_group(&h, "/account")) == 0 &&
            (err = pg_h5_group(&h, "/community")) == 0 &&
            (err = pg_h5_write(&h, "/vertex/community", H5T_NATIVE_UINT32, membership, g->n)) ==
                0 &&
            (err = pg_h5_write(&h, "/account/community", H5T_NATIVE_UINT32, per_account,
                               g->n_accounts)) == 0 &&
            (err = pg_h5_write(&h, "/community/size", H5T_NATIVE_INT64, size, res->count)) == 0 &&
            (err = pg_h5_attr_double(&h, "/", "quality", res->quality)) == 0 &&
            (err = pg_h5_attr_double(&h, "/", "modularity", res->modularity)) == 0 &&
            (err = pg_h5_attr_double(&h, "/", "resolution", co->resolution)) == 0 &&
            (err = pg_h5_attr_string(&h, "/", "algorithm",
                                     co->algorithm == PG_COMMUNITY_LEIDEN ? "leiden"
                                                                          : "louvain")) == 0 &&
            (err = pg_h5_attr_string(&h, "/", "objective",
                                     co->objective == PG_OBJECTIVE_CPM ? "cpm" : "modularity")) ==
                0 &&
            (err = pg_h5_attr_string(&h, "/", "level",
                                     g->level == PG_LEVEL_ENTITY ? "entity" : "account")) == 0) {
            err = pg_h5_attr_int(&h, "/", "seed", (int64_t)co->seed);
        }
        if (!err) {
            err = pg_h5_attr_double(&h, "/", "min_gain", res->min_gain);
        }
        if (!err && co->algorithm == PG_COMMUNITY_LEIDEN) {
            err = pg_h5_attr_int(&h, "/", "iterations", co->iterations);
        }
        if (!err && co->initial) {
            err = pg_h5_attr_int(&h, "/", "warm_start", 1);
        }
        if (!err && pool) {
            err = write_keys(&h, pool, g);
        }
        int err2 = pg_h5_close(&h);
        err = err ? err : err2;
        if (!err) {
            err = pg_seal_write(tmp, pg_threads_resolve(co->threads));
        }
    }
    err = pg_h5_commit(tmp, path, err);
    pg_free(per_account);
    pg_free(size);
    return err;
}

int pg_communities_save(const char *path, const pg_graph *g, const uint32_t *membership,
                        const pg_community_result *res, const pg_community_options *co)
{
    return pg_communities_save_keyed(path, NULL, g, membership, res, co);
}
