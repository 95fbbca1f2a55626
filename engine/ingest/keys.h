/*
 * Account key index: the run-wide map from a transaction row's account key
 * (institution + account, as laid out by the chunks) to its pool account id,
 * and the merge that gives a block's keys their ids in parallel.
 */
#ifndef PG_INGEST_KEYS_H
#define PG_INGEST_KEYS_H

#include "graph/pool_internal.h"
#include "ingest/rows.h"

typedef struct pg_key_index pg_key_index;

/*
 * An empty index split into `parts` hash partitions (one per thread: each
 * partition is looked up by one thread, so the tables need no locks).
 */
int pg_key_index_new(pg_key_index **out, int parts);
void pg_key_index_free(pg_key_index *ix);

/*
 * Give every key of chunks[0..n) its pool account id (c->key_acct), creating
 * the accounts met for the first time in order of first appearance: chunk
 * order, row order, payer before payee. Returns 0 or a negative status.
 */
int pg_key_index_merge(pg_key_index *ix, pg_pool *p, pg_chunk *chunks, int n, int threads);

#endif
