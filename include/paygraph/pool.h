/*
 * paygraph — the pool: transactions from one or more institutions' files,
 * their dictionaries (institutions, accounts, entities, channels), the
 * accounts and watchlist tables, and where every row came from.
 *
 * Transactions are a structure of arrays in load order: the transaction at
 * index i is the i-th row loaded, over all files in the order given, so an
 * index is also the row's provenance (see pg_pool_txn_origin). Time-ordered
 * access goes through the graph views (graph.h).
 */
#ifndef PAYGRAPH_POOL_H
#define PAYGRAPH_POOL_H

#include "paygraph/common.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef struct pg_pool pg_pool;

#define PG_NONE UINT32_MAX

/* Per-transaction flag bits. Bits 0..11 are reference-lexicon categories. */
#define PG_TXN_LEXICON_MASK 0x0fffu
#define PG_TXN_REF_EMPTY 0x1000u /* reference column present and empty */
#define PG_TXN_ROUND 0x2000u     /* amount is a whole multiple of 10 major units */
#define PG_TXN_WHOLE 0x4000u     /* amount is a whole number of major units */
#define PG_TXN_LABEL 0x8000u     /* ground-truth label set (evaluation only) */

/* Borrowed views of the transaction columns; valid while the pool lives. */
typedef struct pg_txn_columns {
    int64_t n;
    const uint32_t *src;        /* account id of the payer */
    const uint32_t *dst;        /* account id of the payee */
    const int64_t *ts;          /* epoch seconds, UTC */
    const int64_t *amount;      /* minor units of the transaction's currency */
    const int64_t *amount_rep;  /* minor units of the reporting currency */
    const uint16_t *flags;      /* PG_TXN_* bits */
    const uint8_t *currency;    /* currency id (pg_pool_currency_code) */
    const uint8_t *channel;     /* channel id (pg_pool_channel_name), 0 = unknown */
    const uint8_t *dst_country; /* country id (pg_pool_country_code), 0 = unknown */
} pg_txn_columns;

/* Account kinds from the accounts file. */
typedef enum pg_account_kind {
    PG_KIND_UNKNOWN = 0,
    PG_KIND_PERSON = 1,
    PG_KIND_BUSINESS = 2,
    PG_KIND_MERCHANT = 3
} pg_account_kind;

/* Borrowed views of the account columns (one entry per account id). */
typedef struct pg_account_columns {
    uint32_t n;
    const uint32_t *institution; /* institution id */
    const uint32_t *entity;      /* entity id or PG_NONE */
    const uint8_t *kind;         /* pg_account_kind */
    const uint8_t *country;      /* country id, 0 = unknown */
    const int64_t *opened;       /* epoch seconds or INT64_MIN when unknown */
    const uint8_t *in_txns;      /* 1 when the account appears in a transaction */
    const uint32_t *watch;       /* watchlist label id + 1, or 0 when not listed */
} pg_account_columns;

/* Ingest totals of one input file. */
typedef struct pg_file_info {
    const char *path;
    const char *kind;   /* "transactions", "accounts" or "watchlist" */
    const char *format; /* preset or JSON Lines */
    uint64_t bytes;     /* size on disk */
    char sha256[65];    /* hex of the file's bytes as stored (compressed if gzip) */
    uint64_t rows_read; /* data records seen */
    uint64_t rows_loaded;
    uint64_t rows_rejected;
    int64_t first_txn; /* transactions: index of the first loaded row, else -1 */
} pg_file_info;

/* What to do with a bad row. */
typedef enum pg_on_error {
    PG_ON_ERROR_FAIL = 0, /* stop at the first bad row (PG_EINPUT) */
    PG_ON_ERROR_SKIP = 1  /* write it to the rejects file and go on */
} pg_on_error;

/* A column mapping read from a job config: canonical name -> header name. */
typedef struct pg_column_alias {
    const char *canonical;
    const char *header;
} pg_column_alias;

/* A conversion rate into the reporting currency: 1 unit of code = rate units. */
typedef struct pg_rate {
    const char *code;
    double rate;
} pg_rate;

/* One reference-lexicon category: a name and its words/phrases. */
typedef struct pg_reference_category {
    const char *name;
    const char *const *terms;
    size_t n_terms;
} pg_reference_category;

typedef struct pg_ingest_options {
    const char *const *transactions; /* files, pooled in this order */
    size_t n_transactions;
    const char *const *accounts;
    size_t n_accounts;
    const char *const *watchlist;
    size_t n_watchlist;
    const char *format;             /* "paygraph" (default), "amlworld", "jsonl", or "custom" */
    const pg_column_alias *aliases; /* used with format "custom" (or on top of a preset) */
    size_t n_aliases;
    pg_on_error on_error;
    const char *rejects_path;       /* rejects file for PG_ON_ERROR_SKIP (required then) */
    const char *default_currency;   /* when no currency column; default "AUD" */
    const char *reporting_currency; /* for amount_rep; default: default_currency */
    const pg_rate *rates;           /* conversion table; NULL: 1:1 (warned when mixed) */
    size_t n_rates;
    const pg_reference_category *lexicon; /* NULL: the built-in lexicon (at most 12) */
    size_t n_lexicon;
    int checksums;                                /* compute SHA-256 of inputs (default 1) */
    int threads;                                  /* <= 0: the CPUs available */
    void (*warn)(void *ctx, const char *message); /* warnings and diagnostics; NULL = stderr */
    void *warn_ctx;
} pg_ingest_options;

PG_API void pg_ingest_options_init(pg_ingest_options *o);

/*
 * Read and validate the input files into a new pool.
 * Errors: PG_EINPUT with "file:line: column N 'name': reason" for the first
 * bad row (PG_ON_ERROR_FAIL) or a bad header; PG_EIO when a file cannot be
 * read; PG_ENOMEM. With PG_ON_ERROR_SKIP every bad row is written to the
 * rejects file with its line number and reason, and counted.
 * Complexity: O(bytes) parsing, in parallel; dictionaries merged in input
 * order, so ids do not depend on the thread count.
 */
PG_API int pg_pool_ingest(pg_pool **out, const pg_ingest_options *o);

PG_API void pg_pool_free(pg_pool *p);

PG_API int64_t pg_pool_num_txns(const pg_pool *p);
PG_API uint32_t pg_pool_num_accounts(const pg_pool *p);
PG_API uint32_t pg_pool_num_institutions(const pg_pool *p);
PG_API uint32_t pg_pool_num_entities(const pg_pool *p);
PG_API uint32_t pg_pool_num_channels(const pg_pool *p);
PG_API uint32_t pg_pool_num_currencies_used(const pg_pool *p);
PG_API size_t pg_pool_num_files(const pg_pool *p);

PG_API void pg_pool_txns(const pg_pool *p, pg_txn_columns *out);
PG_API void pg_pool_accounts(const pg_pool *p, pg_account_columns *out);
PG_API const pg_file_info *pg_pool_file(const pg_pool *p, size_t i);

PG_API const char *pg_pool_institution_name(const pg_pool *p, uint32_t inst);
PG_API const char *pg_pool_account_name(const pg_pool *p, uint32_t acct);
PG_API const char *pg_pool_entity_name(const pg_pool *p, uint32_t entity);
PG_API const char *pg_pool_channel_name(const pg_pool *p, uint8_t channel);
PG_API const char *pg_pool_currency_code(const pg_pool *p, uint8_t currency);
PG_API const char *pg_pool_country_code(const pg_pool *p, uint8_t country);
PG_API const char *pg_pool_watch_label(const pg_pool *p, uint32_t label_id);
PG_API const char *pg_pool_lexicon_category(const pg_pool *p, unsigned bit);
PG_API const char *pg_pool_reporting_currency(const pg_pool *p);
/* Minor-unit scale of a currency id (2 for AUD, 0 for JPY, 8 for BTC). */
PG_API int pg_pool_currency_scale(const pg_pool *p, uint8_t currency);

/* The input txn_id of transaction i, or NULL when its file had none. */
PG_API const char *pg_pool_txn_id(const pg_pool *p, int64_t i);
/* File index and 1-based data record number of transaction i. */
PG_API void pg_pool_txn_origin(const pg_pool *p, int64_t i, size_t *file, uint64_t *record);

/* Account id of (institution name, account name), or PG_NONE. */
PG_API uint32_t pg_pool_find_account(const pg_pool *p, const char *institution,
                                     const char *account);

/* Watchlisted account ids (ascending). *n gets the count; borrowed. */
PG_API const uint32_t *pg_pool_watchlist(const pg_pool *p, uint32_t *n);

/* Bytes of memory held by the pool. */
PG_API size_t pg_pool_memory(const pg_pool *p);

/* Ingest totals over all files. */
typedef struct pg_ingest_totals {
    uint64_t rows_read, rows_loaded, rows_rejected;
    uint32_t accounts_only_in_side_files; /* named in accounts/watchlist, absent from txns */
} pg_ingest_totals;
PG_API void pg_pool_totals(const pg_pool *p, pg_ingest_totals *out);

#ifdef __cplusplus
}
#endif
#endif
