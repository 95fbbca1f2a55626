/*
 * Chunk-local parsing state shared by the CSV and JSON Lines readers: the
 * typed rows of one chunk, their account keys (given pool ids by the merge
 * in file order), the chunk's own small dictionaries (merged into the
 * pool's in chunk order, so ids never depend on the thread count), and the
 * bad rows with their diagnostics.
 */
#ifndef PG_INGEST_ROWS_H
#define PG_INGEST_ROWS_H

#include <stdint.h>
#include <string.h>

#include "core/intern.h"
#include "core/strlist.h"
#include "ingest/csv.h"
#include "ingest/lexicon.h"
#include "ingest/schema.h"

typedef struct pg_row {
    int64_t ts;
    int64_t amount;
    uint16_t flags;
    uint8_t currency; /* chunk-local currency id */
    uint8_t channel;  /* chunk-local channel id */
    uint8_t country;  /* country table id, 0 = unknown */
} pg_row;

typedef struct pg_bad_row {
    uint64_t line; /* 1-based line where the record starts */
    int column;    /* 1-based column number, 0 when it concerns the whole record */
    const char *column_name;
    char reason[160];
    size_t rec_off; /* the record's bytes within the block */
    size_t rec_len;
} pg_bad_row;

/* Settings shared by all chunks of one file. */
typedef struct pg_row_ctx {
    const char *path;
    const pg_colmap *map;
    const char *default_currency;
    const pg_lexicon *lexicon;
    int has_reference;
} pg_row_ctx;

/*
 * The last few distinct raw values of a column with few values (currency,
 * channel, country, reference) and what each gave, so that a repeated value
 * skips its lookup. Eight entries hold the vocabularies of typical files;
 * more would make every miss scan further. Only successes are kept, so a
 * bad value is still diagnosed on every row.
 */
#define PG_VALUE_CACHE 8
#define PG_VALUE_CACHE_KEY 16 /* longer values are never cached */
#define PG_VALUE_DIRECT 16    /* direct-mapped slots, a power of two */

typedef struct pg_value_cache {
    /*
     * First level, direct-mapped by a hash of the value: a slot keeps the
     * first value placed in it, found with one compare instead of a scan
     * whose exit branch mispredicts when the values alternate at random.
     * Values whose slot is taken go to the eight scanned entries below.
     */
    uint8_t dlen[PG_VALUE_DIRECT]; /* length + 1; 0 = empty */
    char dkey[PG_VALUE_DIRECT][PG_VALUE_CACHE_KEY];
    uint32_t dval[PG_VALUE_DIRECT];
    unsigned n;    /* entries in use */
    unsigned next; /* entry replaced next once all are in use */
    uint8_t len[PG_VALUE_CACHE];
    char key[PG_VALUE_CACHE][PG_VALUE_CACHE_KEY];
    uint32_t val[PG_VALUE_CACHE];
} pg_value_cache;

typedef struct pg_chunk {
    const char *begin;
    const char *end;
    uint64_t lines; /* line ends in the chunk, counted while parsing it */
    pg_row *rows;
    size_t n_rows;
    size_t cap_rows;
    /*
     * The rows' account keys, two per row (payer, then payee), end to end:
     * each is the institution's length (pg_key_prefix), the institution,
     * the account. Key j ends at key_end[j]; the merge looks them up
     * (ingest/keys.c) and writes their account ids into key_acct.
     */
    char *key_bytes;
    size_t key_bytes_len, cap_key_bytes;
    uint64_t *key_end;
    uint64_t *key_hash; /* pg_intern_hash of key j */
    uint32_t *key_acct;
    size_t cap_key_end, cap_key_hash, cap_key_acct;
    pg_intern channels;
    pg_strlist txn_ids;   /* one txn_id per loaded row, "" for none (no lookup needed) */
    size_t n_txn_ids;     /* rows with a non-empty txn_id */
    int nul_free;         /* every value points into chunk bytes with no NUL: skip the check */
    pg_intern currencies; /* ISO codes */
    uint8_t currency_scale[256];
    pg_value_cache currency_cache; /* raw value -> local id | scale << 8 */
    pg_value_cache channel_cache;  /* raw value -> local id */
    pg_value_cache country_cache;  /* raw value -> country id + 1 */
    pg_value_cache ref_cache;      /* raw value -> lexicon match bits */
    pg_bad_row *bad;
    size_t n_bad;
    size_t cap_bad;
    uint64_t rows_read;
    int err; /* fatal error (out of memory) */
    pg_scratch scratch;
    pg_field *fields;
    size_t max_fields;
} pg_chunk;

/*
 * The institution's length at the start of an account key: one byte below
 * 255, else 0xFF and four bytes. One byte, not four, keeps typical keys
 * (bank code and account number) within the 16 bytes that the key merge's
 * table holds inline, so that a lookup reads one cache line.
 */
static inline size_t pg_key_prefix_len(size_t inst_len)
{
    return inst_len < 255 ? 1 : 5;
}

static inline void pg_key_prefix_put(char *k, uint32_t inst_len)
{
    if (inst_len < 255) {
        k[0] = (char)inst_len;
    } else {
        k[0] = (char)0xFF;
        memcpy(k + 1, &inst_len, 4);
    }
}

/* The institution's length of key k; returns the prefix's size. */
static inline size_t pg_key_prefix_get(const char *k, uint32_t *inst_len)
{
    if ((unsigned char)k[0] != 0xFF) {
        *inst_len = (unsigned char)k[0];
        return 1;
    }
    memcpy(inst_len, k + 1, 4);
    return 5;
}

int pg_chunk_init(pg_chunk *c, size_t max_fields);
void pg_chunk_reset(pg_chunk *c);
void pg_chunk_destroy(pg_chunk *c);

/*
 * Convert one record's canonical fields (vals[col], len 0 when absent or
 * empty; present[col] says whether the file has the column) into a row of
 * the chunk. Returns 0, or 1 when the row is bad (recorded in c->bad), or a
 * negative status on a fatal error.
 */
int pg_chunk_add_row(pg_chunk *c, const pg_row_ctx *ctx, const pg_field *vals, const int *present,
                     uint64_t line, size_t rec_off, size_t rec_len);

/* Record a structurally bad record (CSV quoting, field count, JSON syntax). */
int pg_chunk_add_bad(pg_chunk *c, uint64_t line, int column, const char *column_name,
                     const char *reason, size_t rec_off, size_t rec_len);

#endif
