/*
 * paygraph — the HDF5 pool file written by `paygraph ingest` and read by
 * every command that takes INPUT. Layout (documented in datasets/README.md):
 *
 *   /                      attrs: format="paygraph-pool", format_version,
 *                                 paygraph_version, reporting_currency
 *   /transactions/<col>    one 1-D dataset per column, in load order
 *   /accounts/<col>        one 1-D dataset per column, by account id
 *   /dict/<name>/bytes     NUL-separated strings, uint8
 *   /dict/<name>/offsets   uint64, count + 1: string i is bytes[off[i]:off[i+1]-1]
 *   /files/...             provenance: path, kind, format, size, SHA-256, row counts
 */
#ifndef PAYGRAPH_STORE_H
#define PAYGRAPH_STORE_H

#include "paygraph/community.h"
#include "paygraph/graph.h"
#include "paygraph/pool.h"
#include "paygraph/rings.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef struct pg_store_options {
    int compression; /* deflate level 0..9 (default 1, with the shuffle filter) */
    int threads;     /* threads compressing chunks and sealing; <= 0: the CPUs available */
} pg_store_options;

PG_API void pg_store_options_init(pg_store_options *o);

/*
 * Write the pool to path atomically (a temporary file beside it, renamed on
 * success), readable by the owner only. Equal pools give byte-identical
 * files. Errors: PG_EIO (naming the file), PG_ENOMEM.
 */
PG_API int pg_pool_save(const pg_pool *p, const char *path, const pg_store_options *o);

/*
 * Read a pool file. Every dataset's type and size is checked and every id
 * is range-checked, so a damaged file is refused (PG_EINPUT) rather than
 * crashing a later stage.
 */
PG_API int pg_pool_load(pg_pool **out, const char *path);

/*
 * pg_pool_load with the compressed chunks decoded by `threads` threads
 * (<= 0: as pg_threads_resolve, which pg_pool_load uses). The pool is the same for any
 * thread count.
 */
PG_API int pg_pool_load_threads(pg_pool **out, const char *path, int threads);

/*
 * Write community detection results of graph g to path (HDF5, atomically,
 * owner-only, sealed as a pool file is): /vertex/community (n),
 * /account/community (per account), /community/size, and as attributes of
 * /: algorithm, objective, resolution, quality, modularity, level, seed,
 * min_gain, iterations (Leiden) and warm_start (1 when co->initial was
 * given).
 */
PG_API int pg_communities_save(const char *path, const pg_graph *g, const uint32_t *membership,
                               const pg_community_result *res, const pg_community_options *co);

/*
 * pg_communities_save, with the accounts' keys of pool (the pool g was
 * built from) as results.h5 stores them: /account/institution (uint32),
 * /account/name and /institutions (strings). A later run on updated data
 * can then start from these communities (pg_communities_warm_start).
 */
PG_API int pg_communities_save_keyed(const char *path, const pg_pool *pool, const pg_graph *g,
                                     const uint32_t *membership, const pg_community_result *res,
                                     const pg_community_options *co);

/*
 * A warm start for g (built from pool) from the results file at path,
 * written by pg_communities_save_keyed on this or an earlier pool (or a
 * scan's results.h5, pg_results_write_h5, whose /accounts/community it
 * reads as pg_previous_scan_communities does): an
 * account of pool with the same institution and account name there starts
 * in the community it had; a vertex takes the community of its smallest
 * such account (entity level); the other vertices start alone. initial: n
 * labels in [0, n), numbered in vertex order of first appearance, for
 * pg_community_options.initial. *matched: accounts of pool found in the
 * file. Accounts are looked up with `threads` threads (<= 0: the CPUs
 * available); the result does not depend on it. Errors: PG_EIO (cannot
 * open or read) and PG_EINPUT (not a sealed results file, damaged, without
 * account keys, or inconsistent), whose messages name the file; PG_EDEP
 * (the checksum library failed); PG_ENOMEM; PG_EINVAL when g was not built
 * from pool.
 */
PG_API int pg_communities_warm_start(uint32_t *initial, uint32_t *matched, const char *path,
                                     const pg_pool *pool, const pg_graph *g, int threads);

/*
 * An earlier scan, read from its results.h5 (pg_results_write_h5), to relate
 * this scan's rings to its rings: a working group that scans every month
 * sees which rings are new, which it saw before and under which id, and
 * which are no longer found.
 */
typedef struct pg_previous_scan pg_previous_scan;

/*
 * Read and check the earlier scan's results.h5 at path (up to `threads`
 * threads, <= 0: the CPUs available). Errors: PG_EIO (cannot open or read)
 * and PG_EINPUT (not a sealed scan results file, damaged or inconsistent),
 * whose messages name the file; PG_EDEP; PG_ENOMEM. Free with
 * pg_previous_scan_free.
 */
PG_API int pg_previous_scan_load(pg_previous_scan **out, const char *path, int threads);
PG_API void pg_previous_scan_free(pg_previous_scan *s);

/*
 * Relate the rings r (detected on pool) to those of the earlier scan s:
 * each ring gets r->rings[i].previous, the earlier ring it continues
 * (shares at least half of the smaller ring's members with) that is most
 * similar to it (Jaccard: shared members over the members of either), else
 * the most similar earlier ring it shares members with, ties to the better
 * ranked; accounts are matched by institution and account name, which
 * pseudonymisation with one key keeps. r->previous gets the totals (rings
 * continuing an earlier one, earlier rings that no ring continues, with
 * their ids) and the SHA-256 of the earlier file. r must come from
 * pg_rings_detect (or be zeroed where it was built): a match replaces, and
 * frees, the gone ids of an earlier match; r->previous.matched stays 0
 * when the match fails.
 * Deterministic; `threads` (<= 0: the CPUs available) changes only the
 * time. Errors: PG_ENOMEM; PG_EINVAL when r's account count is not pool's
 * (rings of another pool).
 * Complexity: O(A' + M' + sum over rings of members x earlier rings per
 * member), A' accounts and M' ring members in the earlier scan.
 */
PG_API int pg_rings_match_previous(pg_rings *r, const pg_previous_scan *s, const pg_pool *pool,
                                   int threads);

/*
 * Starting communities from the earlier scan s's (its /accounts/community),
 * for graph g of pool, as pg_communities_warm_start builds them from a
 * communities file: n labels for pg_community_options.initial or
 * pg_rings_options.initial_communities; *matched: accounts of pool found
 * in s. Errors: PG_EINPUT when s has no communities; PG_ENOMEM; PG_EINVAL
 * when g was not built from pool.
 */
PG_API int pg_previous_scan_communities(uint32_t *initial, uint32_t *matched,
                                        const pg_previous_scan *s, const pg_pool *pool,
                                        const pg_graph *g, int threads);

/* Whether path looks like an HDF5 file (by its signature). */
PG_API int pg_is_hdf5(const char *path);

#ifdef __cplusplus
}
#endif
#endif
