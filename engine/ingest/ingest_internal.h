/*
 * Internal interface between the ingest driver (ingest.c) and the per-file
 * readers (transactions in CSV or JSON Lines, accounts, watchlist).
 */
#ifndef PG_INGEST_INTERNAL_H
#define PG_INGEST_INTERNAL_H

#include <stdio.h>

#include "graph/pool_internal.h"
#include "ingest/lexicon.h"
#include "paygraph/pool.h"

typedef struct pg_ingest_run {
    const pg_ingest_options *o;
    pg_pool *pool;
    pg_lexicon *lexicon;
    int threads;
    FILE *rejects; /* open when on_error == skip */
    const char *rejects_path;
    uint64_t diagnostics;      /* bad rows reported on the warning channel so far */
    struct pg_key_index *keys; /* account keys of the transaction files read so far */
} pg_ingest_run;

/* Emit a warning/diagnostic line through the options' callback (or stderr). */
void pg_ingest__warn(pg_ingest_run *run, const char *fmt, ...) PG_PRINTF(2, 3);

/* Read one transactions file (CSV or JSON Lines) into the pool. */
int pg_ingest__transactions(pg_ingest_run *run, const char *path, pg_file_info *info);

/* Read one accounts or watchlist file into the pool. */
int pg_ingest__side_file(pg_ingest_run *run, const char *path, int watchlist, pg_file_info *info);

/* Write one rejected record: file, line, column, reason, and the record as read. */
int pg_ingest__reject(pg_ingest_run *run, const char *path, uint64_t line, int column,
                      const char *column_name, const char *reason, const char *rec, size_t rec_len);

#endif
