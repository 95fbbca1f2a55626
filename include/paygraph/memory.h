/*
 * paygraph — memory estimates, so that a job too large for its machine (or
 * for the budget a scheduler gave it) stops at once with a clear message
 * instead of being killed by the kernel hours later.
 */
#ifndef PAYGRAPH_MEMORY_H
#define PAYGRAPH_MEMORY_H

#include "paygraph/common.h"

#ifdef __cplusplus
extern "C" {
#endif

/*
 * Bytes needed to hold a pool of n_txns transactions and n_accounts accounts
 * with its graph views (temporal out/in adjacency, aggregated edges), plus
 * the ingest's parsing buffers. From measured bytes per transaction and per
 * account (see engine/core/memory.c). O(1).
 */
PG_API uint64_t pg_memory_estimate(int64_t n_txns, uint32_t n_accounts);

/*
 * The same from input file sizes, before parsing: transactions files of
 * txn_bytes on disk (gz_bytes of them gzip-compressed). A lower bound in
 * spirit: it assumes long rows, so that a job is never refused on a guess.
 */
PG_API uint64_t pg_memory_estimate_files(uint64_t txn_bytes, uint64_t gz_bytes);

/* MemAvailable from /proc/meminfo in bytes; 0 when unknown. */
PG_API uint64_t pg_memory_available(void);

/* Parse a size: digits with an optional K, M, G or T suffix (powers of 1024). */
PG_API int pg_memory_parse_size(const char *text, uint64_t *out);

/*
 * Check an estimate against a budget (0: none) and against MemAvailable.
 * PG_ENOMEM with a message naming both figures when it does not fit; what
 * says which stage is being checked.
 */
PG_API int pg_memory_check(uint64_t estimate, uint64_t budget, const char *what);

#ifdef __cplusplus
}
#endif
#endif
