/*
 * The pool as an HDF5 file: one chunked, compressed dataset per column, so
 * that h5py/pandas read any column directly and paygraph loads a pool with
 * a handful of large sequential reads instead of re-parsing text.
 *
 * Loading trusts nothing: dataset types, lengths and every id are checked
 * before the pool is handed out.
 */
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "build_info.h"
#include "core/alloc.h"
#include "core/country.h"
#include "core/error.h"
#include "graph/pool_internal.h"
#include "paygraph/store.h"
#include "store/h5util.h"
#include "store/id_check.h"
#include "store/seal.h"

#define POOL_FORMAT "paygraph-pool"
#define POOL_FORMAT_VERSION 2

void pg_store_options_init(pg_store_options *o)
{
    o->compression = 1;
    o->threads = 0;
}

/* The HDF5 signature at the start of the file or after a seal's user block. */
int pg_is_hdf5(const char *path)
{
    static const unsigned char sig[8] = {0x89, 'H', 'D', 'F', '\r', '\n', 0x1a, '\n'};
    unsigned char buf[PG_SEAL_BYTES + 8];
    FILE *f = fopen(path, "rb");
    if (!f) {
        return 0;
    }
    size_t got = fread(buf, 1, sizeof(buf), f);
    fclose(f);
    return (got >= 8 && memcmp(buf, sig, 8) == 0) ||
           (got == sizeof(buf) && memcmp(buf + PG_SEAL_BYTES, sig, 8) == 0);
}

/* ---------- save ---------- */

static int save_txns(pg_h5 *h, const pg_pool *p)
{
    size_t n = (size_t)p->n;
    int err;
    if ((err = pg_h5_group(h, "/transactions")) < 0 ||
        (err = pg_h5_write(h, "/transactions/src", H5T_NATIVE_UINT32, p->src, n)) < 0 ||
        (err = pg_h5_write(h, "/transactions/dst", H5T_NATIVE_UINT32, p->dst, n)) < 0 ||
        (err = pg_h5_write(h, "/transactions/ts", H5T_NATIVE_INT64, p->ts, n)) < 0 ||
        (err = pg_h5_write(h, "/transactions/amount", H5T_NATIVE_INT64, p->amount, n)) < 0 ||
        (err = pg_h5_write(h, "/transactions/flags", H5T_NATIVE_UINT16, p->flags, n)) < 0 ||
        (err = pg_h5_write(h, "/transactions/currency", H5T_NATIVE_UINT8, p->currency, n)) < 0 ||
        (err = pg_h5_write(h, "/transactions/channel", H5T_NATIVE_UINT8, p->channel, n)) < 0 ||
        (err = pg_h5_write(h, "/transactions/dst_country", H5T_NATIVE_UINT8, p->country, n)) < 0) {
        return err;
    }
    if (p->amount_rep != p->amount && (err = pg_h5_write(h, "/transactions/amount_rep",
                                                         H5T_NATIVE_INT64, p->amount_rep, n)) < 0) {
        return err;
    }
    if (p->txn_ids.n && (err = pg_h5_write_strlist(h, "/transactions/txn_id", &p->txn_ids)) < 0) {
        return err;
    }
    return 0;
}

static int save_accounts(pg_h5 *h, const pg_pool *p)
{
    size_t n = p->n_accounts;
    int err;
    if ((err = pg_h5_group(h, "/accounts")) < 0 ||
        (err = pg_h5_write(h, "/accounts/institution", H5T_NATIVE_UINT32, p->acct_inst, n)) < 0 ||
        (err = pg_h5_write(h, "/accounts/name", H5T_NATIVE_UINT32, p->acct_name, n)) < 0 ||
        (err = pg_h5_write(h, "/accounts/entity", H5T_NATIVE_UINT32, p->acct_entity, n)) < 0 ||
        (err = pg_h5_write(h, "/accounts/kind", H5T_NATIVE_UINT8, p->acct_kind, n)) < 0 ||
        (err = pg_h5_write(h, "/accounts/country", H5T_NATIVE_UINT8, p->acct_country, n)) < 0 ||
        (err = pg_h5_write(h, "/accounts/opened", H5T_NATIVE_INT64, p->acct_opened, n)) < 0 ||
        (err = pg_h5_write(h, "/accounts/in_txns", H5T_NATIVE_UINT8, p->acct_in_txns, n)) < 0 ||
        (err = pg_h5_write(h, "/accounts/watch", H5T_NATIVE_UINT32, p->acct_watch, n)) < 0 ||
        (err = pg_h5_group(h, "/entity_links")) < 0 ||
        (err = pg_h5_write(h, "/entity_links/account", H5T_NATIVE_UINT32, p->link_acct,
                           p->n_links)) < 0 ||
        (err = pg_h5_write(h, "/entity_links/entity", H5T_NATIVE_UINT32, p->link_entity,
                           p->n_links)) < 0) {
        return err;
    }
    return 0;
}

static int save_dicts(pg_h5 *h, const pg_pool *p)
{
    int err;
    if ((err = pg_h5_group(h, "/dict")) < 0 ||
        (err = pg_h5_write_strings(h, "/dict/institutions", &p->institutions)) < 0 ||
        (err = pg_h5_write_strings(h, "/dict/account_names", &p->account_names)) < 0 ||
        (err = pg_h5_write_strings(h, "/dict/entities", &p->entities)) < 0 ||
        (err = pg_h5_write_strings(h, "/dict/channels", &p->channels)) < 0 ||
        (err = pg_h5_write_strings(h, "/dict/watch_labels", &p->watch_labels)) < 0 ||
        (err = pg_h5_write_strings(h, "/dict/currencies", &p->currencies)) < 0 ||
        (err = pg_h5_write(h, "/dict/currency_scale", H5T_NATIVE_UINT8, p->currency_scale,
                           p->currencies.count)) < 0 ||
        (err = pg_h5_write_string_list(h, "/dict/lexicon", (const char *const *)p->lexicon_names,
                                       p->n_lexicon)) < 0) {
        return err;
    }
    return 0;
}

static int save_files(pg_h5 *h, const pg_pool *p)
{
    size_t n = p->n_files;
    const char **paths = pg_calloc(n ? n : 1, sizeof(char *) * 4);
    uint64_t *nums = pg_calloc(n ? n : 1, sizeof(uint64_t) * 5);
    int err = 0;
    if (!paths || !nums) {
        err = pg_error_oom("file table", n * 72);
        goto done;
    }
    const char **kinds = paths + n, **formats = paths + 2 * n, **sums = paths + 3 * n;
    for (size_t i = 0; i < n; i++) {
        const pg_file_info *f = &p->files[i];
        paths[i] = f->path;
        kinds[i] = f->kind;
        formats[i] = f->format;
        sums[i] = f->sha256;
        nums[i] = f->bytes;
        nums[n + i] = f->rows_read;
        nums[2 * n + i] = f->rows_loaded;
        nums[3 * n + i] = f->rows_rejected;
        nums[4 * n + i] = (uint64_t)f->first_txn;
    }
    if ((err = pg_h5_group(h, "/files")) < 0 ||
        (err = pg_h5_write_string_list(h, "/files/path", paths, n)) < 0 ||
        (err = pg_h5_write_string_list(h, "/files/kind", kinds, n)) < 0 ||
        (err = pg_h5_write_string_list(h, "/files/format", formats, n)) < 0 ||
        (err = pg_h5_write_string_list(h, "/files/sha256", sums, n)) < 0 ||
        (err = pg_h5_write(h, "/files/bytes", H5T_NATIVE_UINT64, nums, n)) < 0 ||
        (err = pg_h5_write(h, "/files/rows_read", H5T_NATIVE_UINT64, nums + n, n)) < 0 ||
        (err = pg_h5_write(h, "/files/rows_loaded", H5T_NATIVE_UINT64, nums + 2 * n, n)) < 0 ||
        (err = pg_h5_write(h, "/files/rows_rejected", H5T_NATIVE_UINT64, nums + 3 * n, n)) < 0 ||
        (err = pg_h5_write(h, "/files/first_txn", H5T_NATIVE_INT64, nums + 4 * n, n)) < 0) {
        goto done;
    }
done:
    pg_free(paths);
    pg_free(nums);
    return err;
}

static int save_to(const pg_pool *p, const char *path, const pg_store_options *o)
{
    pg_h5 h;
    int err = pg_h5_create(&h, path, o->compression, PG_SEAL_BYTES);
    if (err < 0) {
        return err;
    }
    h.threads = pg_threads_resolve(o->threads);
    if ((err = pg_h5_attr_string(&h, "/", "format", POOL_FORMAT)) == 0 &&
        (err = pg_h5_attr_int(&h, "/", "format_version", POOL_FORMAT_VERSION)) == 0 &&
        (err = pg_h5_attr_string(&h, "/", "paygraph_version", PG_VERSION_STRING)) == 0 &&
        (err = pg_h5_attr_string(&h, "/", "reporting_currency", p->reporting_currency)) == 0 &&
        (err = save_txns(&h, p)) == 0 && (err = save_accounts(&h, p)) == 0 &&
        (err = save_dicts(&h, p)) == 0) {
        err = save_files(&h, p);
    }
    int err2 = pg_h5_close(&h);
    return err ? err : err2;
}

int pg_pool_save(const pg_pool *p, const char *path, const pg_store_options *o)
{
    pg_store_options defaults;
    char tmp[4096];
    int err;
    if (!o) {
        pg_store_options_init(&defaults);
        o = &defaults;
    }
    if ((err = pg_h5_tmp_path(tmp, sizeof(tmp), path)) < 0) {
        return err;
    }
    err = save_to(p, tmp, o);
    if (!err) {
        err = pg_seal_write(tmp, pg_threads_resolve(o->threads));
    }
    return pg_h5_commit(tmp, path, err);
}

/* ---------- load ---------- */

static int load_txns(pg_h5 *h, pg_pool *p)
{
    size_t n;
    int err = pg_h5_length(h, "/transactions/src", H5T_NATIVE_UINT32, &n);
    if (err < 0) {
        return err;
    }
    if ((err = pg_pool__reserve_txns(p, (int64_t)n)) < 0) {
        return err;
    }
    p->n = (int64_t)n;
    if ((err = pg_h5_read_into(h, "/transactions/src", H5T_NATIVE_UINT32, p->src, n)) < 0 ||
        (err = pg_h5_read_into(h, "/transactions/dst", H5T_NATIVE_UINT32, p->dst, n)) < 0 ||
        (err = pg_h5_read_into(h, "/transactions/ts", H5T_NATIVE_INT64, p->ts, n)) < 0 ||
        (err = pg_h5_read_into(h, "/transactions/amount", H5T_NATIVE_INT64, p->amount, n)) < 0 ||
        (err = pg_h5_read_into(h, "/transactions/flags", H5T_NATIVE_UINT16, p->flags, n)) < 0 ||
        (err = pg_h5_read_into(h, "/transactions/currency", H5T_NATIVE_UINT8, p->currency, n)) <
            0 ||
        (err = pg_h5_read_into(h, "/transactions/channel", H5T_NATIVE_UINT8, p->channel, n)) < 0 ||
        (err = pg_h5_read_into(h, "/transactions/dst_country", H5T_NATIVE_UINT8, p->country, n)) <
            0) {
        return err;
    }
    if (pg_h5_exists(h, "/transactions/txn_id")) {
        if ((err = pg_h5_read_strlist(h, "/transactions/txn_id", &p->txn_ids)) < 0) {
            return err;
        }
        if (p->txn_ids.n != n) {
            return pg_error_set(PG_EINPUT, "%s: transactions/txn_id has %zu entries for %zu rows",
                                h->path, p->txn_ids.n, n);
        }
    }
    if (pg_h5_exists(h, "/transactions/amount_rep")) {
        p->amount_rep = pg_malloc_array(n ? n : 1, sizeof(int64_t));
        if (!p->amount_rep) {
            return pg_error_oom("amount_rep", n * 8);
        }
        return pg_h5_read_into(h, "/transactions/amount_rep", H5T_NATIVE_INT64, p->amount_rep, n);
    }
    p->amount_rep = p->amount;
    return 0;
}

static int load_column(pg_h5 *h, const char *name, hid_t type, void **col, size_t n)
{
    size_t got;
    int err = pg_h5_read(h, name, type, col, &got);
    if (!err && got != n) {
        err =
            pg_error_set(PG_EINPUT, "%s: %s has %zu entries, expected %zu", h->path, name, got, n);
    }
    return err;
}

static int load_accounts(pg_h5 *h, pg_pool *p)
{
    size_t n;
    int err = pg_h5_read(h, "/accounts/institution", H5T_NATIVE_UINT32, (void **)&p->acct_inst, &n);
    if (err < 0) {
        return err;
    }
    if (n >= UINT32_MAX) {
        return pg_error_set(PG_EINPUT, "%s: too many accounts", h->path);
    }
    p->n_accounts = p->acct_cap = (uint32_t)n;
    size_t nl;
    if ((err = load_column(h, "/accounts/name", H5T_NATIVE_UINT32, (void **)&p->acct_name, n)) <
            0 ||
        (err = load_column(h, "/accounts/entity", H5T_NATIVE_UINT32, (void **)&p->acct_entity, n)) <
            0 ||
        (err = load_column(h, "/accounts/kind", H5T_NATIVE_UINT8, (void **)&p->acct_kind, n)) < 0 ||
        (err = load_column(h, "/accounts/country", H5T_NATIVE_UINT8, (void **)&p->acct_country,
                           n)) < 0 ||
        (err = load_column(h, "/accounts/opened", H5T_NATIVE_INT64, (void **)&p->acct_opened, n)) <
            0 ||
        (err = load_column(h, "/accounts/in_txns", H5T_NATIVE_UINT8, (void **)&p->acct_in_txns,
                           n)) < 0 ||
        (err = load_column(h, "/accounts/watch", H5T_NATIVE_UINT32, (void **)&p->acct_watch, n)) <
            0 ||
        (err = pg_h5_read(h, "/entity_links/account", H5T_NATIVE_UINT32, (void **)&p->link_acct,
                          &nl)) < 0 ||
        (err = load_column(h, "/entity_links/entity", H5T_NATIVE_UINT32, (void **)&p->link_entity,
                           nl)) < 0) {
        return err;
    }
    p->n_links = p->cap_links = nl;
    return 0;
}

/* The (institution, name) -> account index, rebuilt from the account columns. */
static int index_accounts(const char *path, pg_pool *p)
{
    int err = pg_idmap_reserve(&p->account_index, p->n_accounts);
    for (uint32_t a = 0; !err && a < p->n_accounts; a++) {
        uint32_t got, b = a + 8; /* the key 8 ahead: its slot is fetched while this one is put */
        int is_new;
        if (b < p->n_accounts) {
            pg_idmap_prefetch(&p->account_index,
                              ((uint64_t)p->acct_inst[b] << 32) | p->acct_name[b]);
        }
        uint64_t key = ((uint64_t)p->acct_inst[a] << 32) | p->acct_name[a];
        err = pg_idmap_put(&p->account_index, key, a, &got, &is_new);
        if (!err && !is_new) {
            err = pg_error_set(PG_EINPUT, "%s: account %u repeats account %u", path, a, got);
        }
    }
    return err;
}

static int load_dicts(pg_h5 *h, pg_pool *p)
{
    int err;
    pg_intern_destroy(&p->channels);
    pg_intern lex;
    if ((err = pg_h5_read_strings(h, "/dict/institutions", &p->institutions)) < 0 ||
        (err = pg_h5_read_strings(h, "/dict/account_names", &p->account_names)) < 0 ||
        (err = pg_h5_read_strings(h, "/dict/entities", &p->entities)) < 0 ||
        (err = pg_h5_read_strings(h, "/dict/channels", &p->channels)) < 0 ||
        (err = pg_h5_read_strings(h, "/dict/watch_labels", &p->watch_labels)) < 0 ||
        (err = pg_h5_read_strings(h, "/dict/currencies", &p->currencies)) < 0) {
        return err;
    }
    if (p->currencies.count > 256 || p->channels.count > 256) {
        return pg_error_set(PG_EINPUT, "%s: more than 256 currencies or channels", h->path);
    }
    if ((err = pg_h5_read_into(h, "/dict/currency_scale", H5T_NATIVE_UINT8, p->currency_scale,
                               p->currencies.count)) < 0 ||
        (err = pg_h5_read_strings(h, "/dict/lexicon", &lex)) < 0) {
        return err;
    }
    for (uint32_t i = 0; i < lex.count && i < PG_MAX_LEXICON && !err; i++) {
        p->lexicon_names[i] = pg_strdup(pg_intern_str(&lex, i));
        err = p->lexicon_names[i] ? 0 : pg_error_oom("lexicon names", 32);
        p->n_lexicon = i + 1;
    }
    pg_intern_destroy(&lex);
    return err;
}

static int load_files(pg_h5 *h, pg_pool *p)
{
    static const char *const lists[4] = {"/files/path", "/files/kind", "/files/format",
                                         "/files/sha256"};
    static const char *const names[5] = {"/files/bytes", "/files/rows_read", "/files/rows_loaded",
                                         "/files/rows_rejected", "/files/first_txn"};
    char **s[4] = {NULL};
    uint64_t *nums[5] = {NULL};
    size_t n = 0, nk;
    int err = 0;
    for (int k = 0; k < 4 && !err; k++) {
        err = pg_h5_read_string_list(h, lists[k], &s[k], k ? &nk : &n);
        if (!err && k && nk != n) {
            err = pg_error_set(PG_EINPUT, "%s: the file table is inconsistent", h->path);
        }
    }
    for (int k = 0; k < 5 && !err; k++) {
        err = load_column(h, names[k], k == 4 ? H5T_NATIVE_INT64 : H5T_NATIVE_UINT64,
                          (void **)&nums[k], n);
    }
    for (size_t i = 0; i < n && !err; i++) {
        pg_file_info f;
        memset(&f, 0, sizeof(f));
        f.path = s[0][i];
        f.kind = s[1][i];
        f.format = s[2][i];
        snprintf(f.sha256, sizeof(f.sha256), "%s", s[3][i]);
        f.bytes = nums[0][i];
        f.rows_read = nums[1][i];
        f.rows_loaded = nums[2][i];
        f.rows_rejected = nums[3][i];
        f.first_txn = (int64_t)nums[4][i];
        err = pg_pool__add_file(p, &f);
        p->totals.rows_read += f.rows_read;
        p->totals.rows_loaded += f.rows_loaded;
        p->totals.rows_rejected += f.rows_rejected;
    }
    for (int k = 0; k < 5; k++) {
        pg_free(nums[k]);
    }
    for (int k = 0; k < 4; k++) {
        pg_free(s[k]);
    }
    return err;
}

/* Every id in range, so that later stages can index without checks. */
static int validate(const char *path, const pg_pool *p, int t)
{
    size_t n = (size_t)p->n, na = p->n_accounts, nl = p->n_links;
    unsigned countries = pg_country_count() + 1;
    const char *f = path;
    int err;
    if ((err = pg_store_check_ids(f, "transactions/src", p->src, 4, n, p->n_accounts, 0, t)) < 0 ||
        (err = pg_store_check_ids(f, "transactions/dst", p->dst, 4, n, p->n_accounts, 0, t)) < 0 ||
        (err = pg_store_check_ids(f, "transactions/currency", p->currency, 1, n,
                                  p->currencies.count, 0, t)) < 0 ||
        (err = pg_store_check_ids(f, "transactions/channel", p->channel, 1, n, p->channels.count, 0,
                                  t)) < 0 ||
        (err = pg_store_check_ids(f, "transactions/dst_country", p->country, 1, n, countries, 0,
                                  t)) < 0 ||
        (err = pg_store_check_ids(f, "accounts/institution", p->acct_inst, 4, na,
                                  p->institutions.count, 0, t)) < 0 ||
        (err = pg_store_check_ids(f, "accounts/name", p->acct_name, 4, na, p->account_names.count,
                                  0, t)) < 0 ||
        (err = pg_store_check_ids(f, "accounts/entity", p->acct_entity, 4, na, p->entities.count, 1,
                                  t)) < 0 ||
        (err = pg_store_check_ids(f, "accounts/kind", p->acct_kind, 1, na, 4, 0, t)) < 0 ||
        (err = pg_store_check_ids(f, "accounts/country", p->acct_country, 1, na, countries, 0, t)) <
            0 ||
        (err = pg_store_check_ids(f, "accounts/watch", p->acct_watch, 4, na,
                                  p->watch_labels.count + 1, 0, t)) < 0 ||
        (err = pg_store_check_ids(f, "entity_links/account", p->link_acct, 4, nl, p->n_accounts, 0,
                                  t)) < 0 ||
        (err = pg_store_check_ids(f, "entity_links/entity", p->link_entity, 4, nl,
                                  p->entities.count, 0, t)) < 0) {
        return err;
    }
    return 0;
}

static int check_format(pg_h5 *h)
{
    char fmt[64];
    int64_t version;
    int err = pg_h5_get_attr_string(h, "/", "format", fmt, sizeof(fmt));
    if (err < 0 || strcmp(fmt, POOL_FORMAT) != 0) {
        return pg_error_set(PG_EINPUT, "%s: not a paygraph pool file", h->path);
    }
    if ((err = pg_h5_get_attr_int(h, "/", "format_version", &version)) < 0) {
        return err;
    }
    if (version != POOL_FORMAT_VERSION) {
        return pg_error_set(PG_EINPUT, "%s: pool format version %lld, this paygraph reads %d",
                            h->path, (long long)version, POOL_FORMAT_VERSION);
    }
    return 0;
}

int pg_pool_load(pg_pool **out, const char *path)
{
    return pg_pool_load_threads(out, path, 0);
}

int pg_pool_load_threads(pg_pool **out, const char *path, int threads)
{
    pg_h5 h;
    pg_pool *p = NULL;
    threads = pg_threads_resolve(threads);
    int err = pg_seal_check(path, threads, "pool file", "ingest its inputs again");
    if (err < 0) {
        return err;
    }
    err = pg_h5_open(&h, path);
    if (err < 0) {
        return err;
    }
    h.threads = threads;
    h.sealed = 1; /* pg_seal_check above hashed every byte */
    if ((err = check_format(&h)) == 0 && (err = pg_pool__new(&p)) == 0 &&
        (err = pg_h5_get_attr_string(&h, "/", "reporting_currency", p->reporting_currency,
                                     sizeof(p->reporting_currency))) == 0 &&
        (err = load_dicts(&h, p)) == 0 && (err = load_accounts(&h, p)) == 0 &&
        (err = load_txns(&h, p)) == 0 && (err = load_files(&h, p)) == 0 &&
        (err = validate(path, p, h.threads)) == 0 && (err = index_accounts(path, p)) == 0) {
        err = pg_pool__index_watchlist(p);
    }
    pg_h5_close(&h);
    if (err < 0) {
        pg_pool_free(p);
        return err;
    }
    uint32_t side_only = 0;
    for (uint32_t a = 0; a < p->n_accounts; a++) {
        side_only += !p->acct_in_txns[a];
    }
    p->totals.accounts_only_in_side_files = side_only;
    *out = p;
    return 0;
}
