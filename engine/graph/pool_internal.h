/*
 * The pool's representation, shared by ingest, the HDF5 store and the graph
 * builder. Transactions are columns in load order; accounts are columns by
 * account id; every name is interned.
 */
#ifndef PG_GRAPH_POOL_INTERNAL_H
#define PG_GRAPH_POOL_INTERNAL_H

#include "core/intern.h"
#include "core/strlist.h"
#include "paygraph/pool.h"

#define PG_MAX_LEXICON 12

struct pg_pool {
    /* transactions (load order) */
    int64_t n;
    int64_t cap;
    uint32_t *src;
    uint32_t *dst;
    int64_t *ts;
    int64_t *amount;
    int64_t *amount_rep; /* == amount when no conversion was needed (not separately owned) */
    uint16_t *flags;
    uint8_t *currency;
    uint8_t *channel;
    uint8_t *country;

    /* dictionaries */
    pg_intern institutions;
    pg_intern account_names;
    pg_intern entities;
    pg_intern channels; /* id 0 is "" (unknown) */
    pg_intern watch_labels;
    /*
     * The input txn_id of every transaction ("" when its row had none), once
     * any file had a txn_id column; empty otherwise. Stored, never looked up.
     */
    pg_strlist txn_ids;
    pg_intern currencies;   /* codes in first-use order; id = currency column value */
    pg_idmap account_index; /* (institution << 32 | name) -> account */

    /* accounts (by account id) */
    uint32_t n_accounts;
    uint32_t acct_cap;
    uint32_t *acct_inst;
    uint32_t *acct_name;
    uint32_t *acct_entity;
    uint8_t *acct_kind;
    uint8_t *acct_country;
    uint8_t *acct_in_txns;
    int64_t *acct_opened;
    uint32_t *acct_watch;

    /* extra entity tokens of accounts that carry more than one (joined by union-find) */
    uint32_t *link_acct;
    uint32_t *link_entity;
    size_t n_links;
    size_t cap_links;

    uint32_t *watchlist; /* ascending account ids */
    uint32_t n_watch;

    uint8_t currency_scale[256];
    char country_codes[256][3]; /* by pool country id; [0] is "" (unknown) */
    char reporting_currency[8];
    char *lexicon_names[PG_MAX_LEXICON];
    unsigned n_lexicon;

    pg_file_info *files;
    size_t n_files;
    pg_ingest_totals totals;
};

/* Allocate an empty pool. */
int pg_pool__new(pg_pool **out);

/* Make room for `more` transactions. */
int pg_pool__reserve_txns(pg_pool *p, int64_t more);

/*
 * Give back the growth slack once ingest is over: columns grow by doubling,
 * so up to half of each would otherwise stay allocated for the pool's life
 * (18.8M transactions: 33.5M slots). Never fails; a column whose realloc
 * fails keeps its larger block.
 */
void pg_pool__shrink(pg_pool *p);

/*
 * Start the txn_id list when a file brings txn ids: earlier transactions get
 * "" so that the list stays one entry per transaction.
 */
int pg_pool__start_txn_ids(pg_pool *p);

/* Account id of (inst, name), inserting a new account when absent. */
int pg_pool__account(pg_pool *p, uint32_t inst, uint32_t name, uint32_t *acct);

/* Append a file record; strings are copied. */
int pg_pool__add_file(pg_pool *p, const pg_file_info *info);

/* Intern a currency code with its scale; id must fit uint8. */
int pg_pool__currency(pg_pool *p, const char *code, int scale, uint8_t *id);

/* Record that account acct also carries entity token e. */
int pg_pool__entity_link(pg_pool *p, uint32_t acct, uint32_t e);

/* Rebuild the sorted watchlist array from acct_watch. */
int pg_pool__index_watchlist(pg_pool *p);

#endif
