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
 * owner-only): /vertex/community (n), /account/community (per account),
 * /community/size, and as attributes of /: algorithm, objective,
 * resolution, quality, modularity, level, seed.
 */
PG_API int pg_communities_save(const char *path, const pg_graph *g, const uint32_t *membership,
                               const pg_community_result *res, const pg_community_options *co);

/* Whether path looks like an HDF5 file (by its signature). */
PG_API int pg_is_hdf5(const char *path);

#ifdef __cplusplus
}
#endif
#endif
