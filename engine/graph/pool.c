/*
 * Pool lifetime, accessors and the small mutators ingest and the store use.
 */
#include "graph/pool_internal.h"

#include <limits.h>
#include <string.h>

#include "core/alloc.h"
#include "core/country.h"
#include "core/error.h"

int pg_pool__new(pg_pool **out)
{
    pg_pool *p = pg_calloc(1, sizeof(*p));
    if (!p) {
        return pg_error_oom("pool", sizeof(*p));
    }
    pg_intern_init(&p->institutions);
    pg_intern_init(&p->account_names);
    pg_intern_init(&p->entities);
    pg_intern_init(&p->channels);
    pg_intern_init(&p->watch_labels);
    pg_strlist_init(&p->txn_ids);
    pg_intern_init(&p->currencies);
    pg_idmap_init(&p->account_index);
    uint32_t id;
    if (pg_intern_put(&p->channels, "", 0, &id, NULL) < 0) {
        pg_pool_free(p);
        return PG_ENOMEM;
    }
    /* country id 0 is "unknown"; id k is the country table's entry k - 1 */
    for (unsigned k = 0; k < pg_country_count() && k < 255; k++) {
        pg_country c;
        if (pg_country_by_id(k, &c) == 0) {
            memcpy(p->country_codes[k + 1], c.code, 3);
        }
    }
    *out = p;
    return 0;
}

void pg_pool_free(pg_pool *p)
{
    if (!p) {
        return;
    }
    if (p->amount_rep != p->amount) {
        pg_free(p->amount_rep);
    }
    void *cols[] = {p->src,         p->dst,       p->ts,           p->amount,       p->flags,
                    p->currency,    p->channel,   p->country,      p->acct_inst,    p->acct_name,
                    p->acct_entity, p->acct_kind, p->acct_country, p->acct_in_txns, p->acct_opened,
                    p->acct_watch,  p->watchlist, p->link_acct,    p->link_entity};
    for (size_t i = 0; i < sizeof(cols) / sizeof(cols[0]); i++) {
        pg_free(cols[i]);
    }
    pg_intern_destroy(&p->institutions);
    pg_intern_destroy(&p->account_names);
    pg_intern_destroy(&p->entities);
    pg_intern_destroy(&p->channels);
    pg_intern_destroy(&p->watch_labels);
    pg_strlist_destroy(&p->txn_ids);
    pg_intern_destroy(&p->currencies);
    pg_idmap_destroy(&p->account_index);
    for (unsigned i = 0; i < p->n_lexicon; i++) {
        pg_free(p->lexicon_names[i]);
    }
    for (size_t i = 0; i < p->n_files; i++) {
        pg_free((char *)p->files[i].path);
        pg_free((char *)p->files[i].kind);
        pg_free((char *)p->files[i].format);
    }
    pg_free(p->files);
    pg_free(p);
}

/* A column of the pool and the size of its elements. */
typedef struct col_ref {
    void **col;
    size_t elem;
} col_ref;

#define PG_POOL_TXN_COLS 8
#define PG_POOL_ACCT_COLS 8

/* The per-transaction columns: grown, shrunk and counted together. */
static void txn_cols(pg_pool *p, col_ref c[PG_POOL_TXN_COLS])
{
    c[0] = (col_ref){(void **)&p->src, 4};
    c[1] = (col_ref){(void **)&p->dst, 4};
    c[2] = (col_ref){(void **)&p->ts, 8};
    c[3] = (col_ref){(void **)&p->amount, 8};
    c[4] = (col_ref){(void **)&p->flags, 2};
    c[5] = (col_ref){(void **)&p->currency, 1};
    c[6] = (col_ref){(void **)&p->channel, 1};
    c[7] = (col_ref){(void **)&p->country, 1};
}

/* The per-account columns. */
static void acct_cols(pg_pool *p, col_ref c[PG_POOL_ACCT_COLS])
{
    c[0] = (col_ref){(void **)&p->acct_inst, 4};
    c[1] = (col_ref){(void **)&p->acct_name, 4};
    c[2] = (col_ref){(void **)&p->acct_entity, 4};
    c[3] = (col_ref){(void **)&p->acct_kind, 1};
    c[4] = (col_ref){(void **)&p->acct_country, 1};
    c[5] = (col_ref){(void **)&p->acct_in_txns, 1};
    c[6] = (col_ref){(void **)&p->acct_opened, 8};
    c[7] = (col_ref){(void **)&p->acct_watch, 4};
}

/* Resize every column of c to cap elements (cap > 0). */
static int resize_cols(const col_ref *c, int k, size_t cap, const char *what)
{
    for (int i = 0; i < k; i++) {
        void *q = pg_realloc(*c[i].col, cap * c[i].elem);
        if (!q) {
            return pg_error_oom(what, cap * c[i].elem);
        }
        *c[i].col = q;
    }
    return 0;
}

/* Bytes per row of the columns of c. */
static size_t row_bytes(const col_ref *c, int k)
{
    size_t b = 0;
    for (int i = 0; i < k; i++) {
        b += c[i].elem;
    }
    return b;
}

int pg_pool__start_txn_ids(pg_pool *p)
{
    size_t missing = (size_t)p->n > p->txn_ids.n ? (size_t)p->n - p->txn_ids.n : 0;
    int err = pg_strlist_reserve(&p->txn_ids, missing, 0);
    for (int64_t i = (int64_t)p->txn_ids.n; i < p->n && !err; i++) {
        err = pg_strlist_push(&p->txn_ids, "", 0);
    }
    return err;
}

int pg_pool__reserve_txns(pg_pool *p, int64_t more)
{
    int err = 0;
    int64_t need = p->n + more;
    if (need > (int64_t)UINT32_MAX) {
        return pg_error_set(PG_ENOMEM, "more than 2^32 transactions in one pool");
    }
    if (need <= p->cap) {
        return 0;
    }
    /*
     * Grow by a quarter, not by doubling: columns this large are mappings of
     * their own, which realloc moves with mremap (no copy), so a small factor
     * costs nothing and the peak slack while ingesting stays at 25%.
     */
    int64_t cap = p->cap + p->cap / 4;
    cap = cap < 1024 ? 1024 : cap;
    cap = cap < need ? need : cap;
    col_ref c[PG_POOL_TXN_COLS];
    txn_cols(p, c);
    if ((err = resize_cols(c, PG_POOL_TXN_COLS, (size_t)cap, "transaction column")) < 0) {
        return err;
    }
    p->cap = cap;
    return 0;
}

static int grow_accounts(pg_pool *p)
{
    uint32_t cap = p->acct_cap ? p->acct_cap * 2 : 1024;
    int err;
    col_ref c[PG_POOL_ACCT_COLS];
    acct_cols(p, c);
    if ((err = resize_cols(c, PG_POOL_ACCT_COLS, cap, "account column")) < 0) {
        return err;
    }
    p->acct_cap = cap;
    return 0;
}

/*
 * Shrink every column of c to n elements (n > 0). A failed realloc leaves
 * that column larger, which is still valid: every column holds at least n.
 */
static void shrink_cols(const col_ref *c, int k, size_t n)
{
    for (int i = 0; i < k; i++) {
        void *q = pg_realloc(*c[i].col, n * c[i].elem);
        if (q) {
            *c[i].col = q;
        }
    }
}

void pg_pool__shrink(pg_pool *p)
{
    col_ref c[PG_POOL_TXN_COLS + PG_POOL_ACCT_COLS];
    txn_cols(p, c);
    acct_cols(p, c + PG_POOL_TXN_COLS);
    int same_currency = p->amount_rep == p->amount; /* an alias, which realloc may move */
    shrink_cols(c, PG_POOL_TXN_COLS, p->n ? (size_t)p->n : 1);
    if (same_currency) {
        p->amount_rep = p->amount;
    }
    shrink_cols(c + PG_POOL_TXN_COLS, PG_POOL_ACCT_COLS, p->n_accounts ? p->n_accounts : 1);
    p->cap = p->n;
    p->acct_cap = p->n_accounts;
    pg_strlist_shrink(&p->txn_ids);
}

int pg_pool__account(pg_pool *p, uint32_t inst, uint32_t name, uint32_t *acct)
{
    int err, is_new;
    uint64_t key = ((uint64_t)inst << 32) | name;
    if (p->n_accounts == UINT32_MAX - 1) {
        return pg_error_set(PG_ENOMEM, "more than 2^32-2 accounts in one pool");
    }
    if ((err = pg_idmap_put(&p->account_index, key, p->n_accounts, acct, &is_new)) < 0) {
        return err;
    }
    if (!is_new) {
        return 0;
    }
    if (p->n_accounts == p->acct_cap && (err = grow_accounts(p)) < 0) {
        return err; /* the index entry stays, pointing one past the end: the pool is dropped */
    }
    uint32_t a = p->n_accounts++;
    p->acct_inst[a] = inst;
    p->acct_name[a] = name;
    p->acct_entity[a] = PG_NONE;
    p->acct_kind[a] = PG_KIND_UNKNOWN;
    p->acct_country[a] = 0;
    p->acct_in_txns[a] = 0;
    p->acct_opened[a] = INT64_MIN;
    p->acct_watch[a] = 0;
    return 0;
}

int pg_pool__add_file(pg_pool *p, const pg_file_info *info)
{
    pg_file_info *f = pg_realloc(p->files, (p->n_files + 1) * sizeof(*f));
    if (!f) {
        return pg_error_oom("file table", (p->n_files + 1) * sizeof(*f));
    }
    p->files = f;
    f = &p->files[p->n_files];
    *f = *info;
    f->path = pg_strdup(info->path);
    f->kind = pg_strdup(info->kind);
    f->format = pg_strdup(info->format);
    p->n_files++;
    if (!f->path || !f->kind || !f->format) {
        return pg_error_oom("file table", 64);
    }
    return 0;
}

int pg_pool__currency(pg_pool *p, const char *code, int scale, uint8_t *id)
{
    uint32_t c;
    int err, is_new;
    if ((err = pg_intern_put(&p->currencies, code, strlen(code), &c, &is_new)) < 0) {
        return err;
    }
    if (c > 255) {
        return pg_error_set(PG_EINPUT, "more than 256 currencies in one pool");
    }
    p->currency_scale[c] = (uint8_t)scale;
    *id = (uint8_t)c;
    return 0;
}

int pg_pool__entity_link(pg_pool *p, uint32_t acct, uint32_t e)
{
    size_t cap = p->cap_links;
    if (pg_grow((void **)&p->link_acct, &cap, p->n_links + 1, sizeof(uint32_t)) < 0) {
        return PG_ENOMEM;
    }
    cap = p->cap_links;
    if (pg_grow((void **)&p->link_entity, &cap, p->n_links + 1, sizeof(uint32_t)) < 0) {
        return PG_ENOMEM;
    }
    p->cap_links = cap;
    p->link_acct[p->n_links] = acct;
    p->link_entity[p->n_links] = e;
    p->n_links++;
    return 0;
}

int pg_pool__index_watchlist(pg_pool *p)
{
    uint32_t n = 0;
    for (uint32_t a = 0; a < p->n_accounts; a++) {
        n += p->acct_watch[a] != 0;
    }
    uint32_t *w = pg_malloc_array(n ? n : 1, sizeof(*w));
    if (!w) {
        return pg_error_oom("watchlist", (size_t)n * 4);
    }
    n = 0;
    for (uint32_t a = 0; a < p->n_accounts; a++) {
        if (p->acct_watch[a]) {
            w[n++] = a;
        }
    }
    pg_free(p->watchlist);
    p->watchlist = w;
    p->n_watch = n;
    return 0;
}

int64_t pg_pool_num_txns(const pg_pool *p)
{
    return p->n;
}

uint32_t pg_pool_num_accounts(const pg_pool *p)
{
    return p->n_accounts;
}

uint32_t pg_pool_num_institutions(const pg_pool *p)
{
    return p->institutions.count;
}

uint32_t pg_pool_num_entities(const pg_pool *p)
{
    return p->entities.count;
}

uint32_t pg_pool_num_channels(const pg_pool *p)
{
    return p->channels.count;
}

uint32_t pg_pool_num_currencies_used(const pg_pool *p)
{
    return p->currencies.count;
}

size_t pg_pool_num_files(const pg_pool *p)
{
    return p->n_files;
}

void pg_pool_txns(const pg_pool *p, pg_txn_columns *o)
{
    o->n = p->n;
    o->src = p->src;
    o->dst = p->dst;
    o->ts = p->ts;
    o->amount = p->amount;
    o->amount_rep = p->amount_rep;
    o->flags = p->flags;
    o->currency = p->currency;
    o->channel = p->channel;
    o->dst_country = p->country;
}

void pg_pool_accounts(const pg_pool *p, pg_account_columns *o)
{
    o->n = p->n_accounts;
    o->institution = p->acct_inst;
    o->entity = p->acct_entity;
    o->kind = p->acct_kind;
    o->country = p->acct_country;
    o->opened = p->acct_opened;
    o->in_txns = p->acct_in_txns;
    o->watch = p->acct_watch;
}

const pg_file_info *pg_pool_file(const pg_pool *p, size_t i)
{
    return i < p->n_files ? &p->files[i] : NULL;
}

const char *pg_pool_institution_name(const pg_pool *p, uint32_t inst)
{
    return inst < p->institutions.count ? pg_intern_str(&p->institutions, inst) : "?";
}

const char *pg_pool_account_name(const pg_pool *p, uint32_t acct)
{
    return acct < p->n_accounts ? pg_intern_str(&p->account_names, p->acct_name[acct]) : "?";
}

const char *pg_pool_entity_name(const pg_pool *p, uint32_t entity)
{
    return entity < p->entities.count ? pg_intern_str(&p->entities, entity) : "";
}

const char *pg_pool_channel_name(const pg_pool *p, uint8_t channel)
{
    return channel < p->channels.count ? pg_intern_str(&p->channels, channel) : "";
}

const char *pg_pool_currency_code(const pg_pool *p, uint8_t currency)
{
    return currency < p->currencies.count ? pg_intern_str(&p->currencies, currency) : "";
}

int pg_pool_currency_scale(const pg_pool *p, uint8_t currency)
{
    return p->currency_scale[currency];
}

const char *pg_pool_country_code(const pg_pool *p, uint8_t country)
{
    (void)p;
    return p->country_codes[country];
}

const char *pg_pool_watch_label(const pg_pool *p, uint32_t label_id)
{
    return label_id < p->watch_labels.count ? pg_intern_str(&p->watch_labels, label_id) : "";
}

const char *pg_pool_lexicon_category(const pg_pool *p, unsigned bit)
{
    return bit < p->n_lexicon ? p->lexicon_names[bit] : NULL;
}

const char *pg_pool_reporting_currency(const pg_pool *p)
{
    return p->reporting_currency;
}

const char *pg_pool_txn_id(const pg_pool *p, int64_t i)
{
    if (i < 0 || (size_t)i >= p->txn_ids.n || pg_strlist_len(&p->txn_ids, (size_t)i) == 0) {
        return NULL;
    }
    return pg_strlist_str(&p->txn_ids, (size_t)i);
}

void pg_pool_txn_origin(const pg_pool *p, int64_t i, size_t *file, uint64_t *record)
{
    size_t best = 0;
    int found = 0;
    for (size_t f = 0; f < p->n_files; f++) {
        if (p->files[f].first_txn >= 0 && p->files[f].first_txn <= i) {
            best = f;
            found = 1;
        }
    }
    *file = best;
    *record = found ? (uint64_t)(i - p->files[best].first_txn) + 1 : 0;
}

uint32_t pg_pool_find_account(const pg_pool *p, const char *institution, const char *account)
{
    uint32_t inst = pg_intern_find(&p->institutions, institution, strlen(institution));
    uint32_t name = pg_intern_find(&p->account_names, account, strlen(account));
    if (inst == PG_INTERN_NONE || name == PG_INTERN_NONE) {
        return PG_NONE;
    }
    uint32_t a = pg_idmap_get(&p->account_index, ((uint64_t)inst << 32) | name);
    return a == UINT32_MAX ? PG_NONE : a;
}

const uint32_t *pg_pool_watchlist(const pg_pool *p, uint32_t *n)
{
    *n = p->n_watch;
    return p->watchlist;
}

/* Arena, offsets and kept hashes (8 B each per entry), and the slot table. */
static size_t intern_bytes(const pg_intern *t)
{
    return t->arena_cap + ((size_t)t->cap + 1) * 16 + t->nslots * 8;
}

size_t pg_pool_memory(const pg_pool *p)
{
    col_ref c[PG_POOL_TXN_COLS + PG_POOL_ACCT_COLS];
    txn_cols((pg_pool *)p, c);
    acct_cols((pg_pool *)p, c + PG_POOL_TXN_COLS);
    size_t b = (size_t)p->cap * row_bytes(c, PG_POOL_TXN_COLS) + pg_strlist_memory(&p->txn_ids);
    if (p->amount_rep && p->amount_rep != p->amount) {
        b += (size_t)p->n * 8;
    }
    b += (size_t)p->acct_cap * row_bytes(c + PG_POOL_TXN_COLS, PG_POOL_ACCT_COLS) +
         (size_t)p->n_watch * 4;
    b += intern_bytes(&p->institutions) + intern_bytes(&p->account_names) +
         intern_bytes(&p->entities) + intern_bytes(&p->channels) + intern_bytes(&p->watch_labels) +
         intern_bytes(&p->currencies);
    b += p->account_index.nslots * 12;
    return b;
}

void pg_pool_totals(const pg_pool *p, pg_ingest_totals *out)
{
    *out = p->totals;
}
