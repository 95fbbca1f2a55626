/*
 * Input schemas: the canonical column names of DESIGN.md §2, format presets
 * that map other layouts onto them, and header mapping (case-insensitive,
 * order free, unknown columns reported once).
 */
#ifndef PG_INGEST_SCHEMA_H
#define PG_INGEST_SCHEMA_H

#include <stddef.h>

#include "ingest/csv.h"
#include "paygraph/pool.h"

/* Canonical transaction columns. */
typedef enum pg_col {
    PG_COL_TXN_ID,
    PG_COL_TIMESTAMP,
    PG_COL_AMOUNT,
    PG_COL_CURRENCY,
    PG_COL_SRC_INST,
    PG_COL_SRC_ACCT,
    PG_COL_DST_INST,
    PG_COL_DST_ACCT,
    PG_COL_CHANNEL,
    PG_COL_DST_COUNTRY,
    PG_COL_REFERENCE,
    PG_COL_LABEL,
    PG_COL_IGNORED, /* known to the preset, deliberately not used */
    PG_COL_COUNT
} pg_col;

/* Side-file columns (accounts and watchlist share one namespace). */
typedef enum pg_side_col {
    PG_SCOL_INSTITUTION,
    PG_SCOL_ACCOUNT,
    PG_SCOL_ENTITY,
    PG_SCOL_KIND,
    PG_SCOL_COUNTRY,
    PG_SCOL_OPENED,
    PG_SCOL_LABEL,
    PG_SCOL_COUNT
} pg_side_col;

#define PG_MAX_COLUMNS 4096

/* Where each canonical column sits in a file's records (-1 absent). */
typedef struct pg_colmap {
    int index[PG_COL_COUNT];
    size_t n_header;   /* number of header fields */
    char unknown[512]; /* comma-separated unknown header names, for one warning */
    int amlworld_time; /* timestamps in the AMLworld form (slashes) */
} pg_colmap;

/* Canonical name of a column. */
const char *pg_col_name(pg_col c);
const char *pg_side_col_name(pg_side_col c);

/*
 * Map a transactions header. Fails with PG_EINPUT naming the file when a
 * required column is missing or a column appears twice.
 */
int pg_schema_map_txn(pg_colmap *m, const pg_field *hdr, size_t n, const char *format,
                      const pg_column_alias *aliases, size_t n_aliases, const char *path);

/* Map an accounts or watchlist header into idx[PG_SCOL_COUNT]. */
int pg_schema_map_side(int idx[PG_SCOL_COUNT], const pg_field *hdr, size_t n, int watchlist,
                       const char *path, char *unknown, size_t unknown_cap);

/* Is format a known preset name? */
int pg_schema_known_format(const char *format);

#endif
