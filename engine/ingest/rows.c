/*
 * Field validation and typing for one transaction record. Every check that
 * can fail names the column and says why, so that the diagnostic reads
 * "file:line: column 3 'amount': negative amount '-5'".
 */
#include "ingest/rows.h"

#include <ctype.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "core/alloc.h"
#include "core/country.h"
#include "core/error.h"
#include "core/hash.h"
#include "ingest/amount.h"
#include "ingest/currency.h"
#include "ingest/timestamp.h"
#include "paygraph/pool.h"

int pg_chunk_init(pg_chunk *c, size_t max_fields)
{
    memset(c, 0, sizeof(*c));
    pg_intern_init(&c->channels);
    pg_strlist_init(&c->txn_ids);
    pg_intern_init(&c->currencies);
    c->max_fields = max_fields;
    c->fields = pg_malloc_array(max_fields, sizeof(*c->fields));
    if (!c->fields) {
        return pg_error_oom("record fields", max_fields * sizeof(*c->fields));
    }
    uint32_t id;
    if (pg_intern_put(&c->channels, "", 0, &id, NULL) < 0) {
        return PG_ENOMEM;
    }
    return 0;
}

static void cache_clear(pg_value_cache *k);

/* Empty the chunk for the next block, keeping its memory (no page faults on refill). */
void pg_chunk_reset(pg_chunk *c)
{
    c->key_bytes_len = 0;
    pg_intern_clear(&c->channels);
    pg_strlist_clear(&c->txn_ids);
    c->n_txn_ids = 0;
    c->nul_free = 0;
    pg_intern_clear(&c->currencies);
    uint32_t id;
    if (pg_intern_put(&c->channels, "", 0, &id, NULL) < 0) {
        c->err = PG_ENOMEM;
    }
    /* local ids start again: what the caches hold is no longer true */
    cache_clear(&c->currency_cache);
    cache_clear(&c->channel_cache);
    cache_clear(&c->country_cache);
    cache_clear(&c->ref_cache);
    c->n_rows = 0;
    c->n_bad = 0;
    c->rows_read = 0;
}

void pg_chunk_destroy(pg_chunk *c)
{
    pg_free(c->key_bytes);
    pg_free(c->key_end);
    pg_free(c->key_hash);
    pg_free(c->key_acct);
    pg_intern_destroy(&c->channels);
    pg_strlist_destroy(&c->txn_ids);
    pg_intern_destroy(&c->currencies);
    pg_free(c->rows);
    pg_free(c->bad);
    pg_free(c->fields);
    pg_scratch_free(&c->scratch);
    memset(c, 0, sizeof(*c));
}

int pg_chunk_add_bad(pg_chunk *c, uint64_t line, int column, const char *column_name,
                     const char *reason, size_t rec_off, size_t rec_len)
{
    if (pg_grow((void **)&c->bad, &c->cap_bad, c->n_bad + 1, sizeof(*c->bad)) < 0) {
        return PG_ENOMEM;
    }
    pg_bad_row *b = &c->bad[c->n_bad++];
    b->line = line;
    b->column = column;
    b->column_name = column_name;
    snprintf(b->reason, sizeof(b->reason), "%s", reason);
    b->rec_off = rec_off;
    b->rec_len = rec_len;
    return 1;
}

typedef struct row_check {
    pg_chunk *c;
    const pg_row_ctx *ctx;
    uint64_t line;
    size_t rec_off, rec_len;
} row_check;

/* Record a bad field: "<reason> '<value>'" (value clipped). */
static int bad_field(const row_check *rc, pg_col col, const char *why, pg_field v)
{
    char reason[160];
    int show = v.len > 40 ? 40 : (int)v.len;
    if (v.len) {
        snprintf(reason, sizeof(reason), "%s '%.*s%s'", why, show, v.p, v.len > 40 ? "..." : "");
    } else {
        snprintf(reason, sizeof(reason), "%s", why);
    }
    int idx = rc->ctx->map->index[col];
    return pg_chunk_add_bad(rc->c, rc->line, idx >= 0 ? idx + 1 : 0, pg_col_name(col), reason,
                            rc->rec_off, rc->rec_len);
}

/*
 * Lay out account key j of the chunk (row j/2's payer for even j, payee for
 * odd j): institution length (pg_key_prefix), institution, account.
 */
static int account_key(pg_chunk *c, size_t j, pg_field inst, pg_field acct)
{
    /* a field lies within one record, which the reader bounds far below 4 GiB */
    size_t pre = pg_key_prefix_len(inst.len), need = pre + inst.len + acct.len;
    if (pg_grow((void **)&c->key_bytes, &c->cap_key_bytes, c->key_bytes_len + need, 1) < 0 ||
        pg_grow((void **)&c->key_end, &c->cap_key_end, j + 1, sizeof(*c->key_end)) < 0 ||
        pg_grow((void **)&c->key_hash, &c->cap_key_hash, j + 1, sizeof(*c->key_hash)) < 0 ||
        pg_grow((void **)&c->key_acct, &c->cap_key_acct, j + 1, sizeof(*c->key_acct)) < 0) {
        return PG_ENOMEM;
    }
    char *k = c->key_bytes + c->key_bytes_len;
    pg_key_prefix_put(k, (uint32_t)inst.len);
    memcpy(k + pre, inst.p, inst.len);
    memcpy(k + pre + inst.len, acct.p, acct.len);
    c->key_bytes_len += need;
    c->key_end[j] = c->key_bytes_len;
    c->key_hash[j] = pg_intern_hash(k, need);
    return 0;
}

/* Direct-mapped slot of a value of at most 16 bytes: its first bytes and length, mixed. */
static unsigned cache_slot(pg_field v)
{
    uint64_t a, b;
    pg_hash__words16((const unsigned char *)v.p, v.len, &a, &b);
    uint64_t w = v.len >= 4 && v.len < 8 ? a << 32 | b : a;
    return (unsigned)(((w ^ v.len) * 0x9e3779b97f4a7c15ULL) >> 60) & (PG_VALUE_DIRECT - 1);
}

static void cache_clear(pg_value_cache *k)
{
    memset(k->dlen, 0, sizeof(k->dlen));
    k->n = 0;
}

static int cache_get(const pg_value_cache *k, pg_field v, uint32_t *val)
{
    if (v.len > PG_VALUE_CACHE_KEY) {
        return 0;
    }
    unsigned d = cache_slot(v);
    if (k->dlen[d] == v.len + 1 && pg_key_equal(k->dkey[d], v.p, v.len)) {
        *val = k->dval[d];
        return 1;
    }
    for (unsigned i = 0; i < k->n; i++) {
        if (k->len[i] == v.len && pg_key_equal(k->key[i], v.p, v.len)) {
            *val = k->val[i];
            return 1;
        }
    }
    return 0;
}

static void cache_put(pg_value_cache *k, pg_field v, uint32_t val)
{
    if (v.len > PG_VALUE_CACHE_KEY) {
        return;
    }
    unsigned d = cache_slot(v);
    if (!k->dlen[d]) {
        k->dlen[d] = (uint8_t)(v.len + 1);
        memcpy(k->dkey[d], v.p, v.len);
        k->dval[d] = val;
        return;
    }
    unsigned i = k->n < PG_VALUE_CACHE ? k->n++ : k->next++ % PG_VALUE_CACHE;
    k->len[i] = (uint8_t)v.len;
    memcpy(k->key[i], v.p, v.len);
    k->val[i] = val;
}

static int lookup_currency(const row_check *rc, pg_field v, int *scale, uint8_t *local)
{
    pg_currency cur;
    const char *code = rc->ctx->default_currency;
    if (v.len) {
        if (pg_currency_lookup(v.p, v.len, &cur) < 0) {
            return bad_field(rc, PG_COL_CURRENCY, "unknown currency", v);
        }
        code = cur.code;
    } else if (pg_currency_lookup(code, strlen(code), &cur) < 0) {
        return pg_error_set(PG_EINVAL, "unknown default currency '%s'", code);
    }
    uint32_t id;
    if (pg_intern_put(&rc->c->currencies, cur.code, strlen(cur.code), &id, NULL) < 0) {
        return PG_ENOMEM;
    }
    if (id > 255) {
        return bad_field(rc, PG_COL_CURRENCY, "more than 256 currencies in one file", v);
    }
    rc->c->currency_scale[id] = (uint8_t)cur.scale;
    *scale = cur.scale;
    *local = (uint8_t)id;
    return 0;
}

static int parse_currency(const row_check *rc, pg_field v, int *scale, uint8_t *local)
{
    uint32_t val;
    if (cache_get(&rc->c->currency_cache, v, &val)) {
        *local = (uint8_t)val;
        *scale = (int)(val >> 8);
        return 0;
    }
    int err = lookup_currency(rc, v, scale, local);
    if (err == 0) {
        cache_put(&rc->c->currency_cache, v, *local | (uint32_t)*scale << 8);
    }
    return err;
}

static int lookup_channel(const row_check *rc, pg_field v, uint8_t *local)
{
    char low[64];
    if (v.len >= sizeof(low)) {
        return bad_field(rc, PG_COL_CHANNEL, "channel name longer than 63 bytes", v);
    }
    for (size_t i = 0; i < v.len; i++) {
        low[i] = (char)tolower((unsigned char)v.p[i]);
    }
    uint32_t id;
    if (pg_intern_put(&rc->c->channels, low, v.len, &id, NULL) < 0) {
        return PG_ENOMEM;
    }
    if (id > 255) {
        return bad_field(rc, PG_COL_CHANNEL, "more than 255 distinct channels", v);
    }
    *local = (uint8_t)id;
    return 0;
}

static int parse_channel(const row_check *rc, pg_field v, uint8_t *local)
{
    uint32_t val;
    if (cache_get(&rc->c->channel_cache, v, &val)) {
        *local = (uint8_t)val;
        return 0;
    }
    int err = lookup_channel(rc, v, local);
    if (err == 0) {
        cache_put(&rc->c->channel_cache, v, *local);
    }
    return err;
}

static int parse_country(const row_check *rc, pg_field v, uint8_t *country)
{
    uint32_t val;
    pg_country c;
    if (cache_get(&rc->c->country_cache, v, &val)) {
        *country = (uint8_t)val;
        return 0;
    }
    if (pg_country_lookup(v.p, v.len, &c) < 0) {
        return bad_field(rc, PG_COL_DST_COUNTRY, "unknown ISO 3166 country code", v);
    }
    *country = (uint8_t)(c.id + 1); /* 0 stays "unknown" */
    cache_put(&rc->c->country_cache, v, *country);
    return 0;
}

static uint16_t match_reference(const row_check *rc, pg_field v)
{
    uint32_t val;
    if (cache_get(&rc->c->ref_cache, v, &val)) {
        return (uint16_t)val;
    }
    uint16_t m = pg_lexicon_match(rc->ctx->lexicon, v.p, v.len);
    cache_put(&rc->c->ref_cache, v, m);
    return m;
}

static int label_set(pg_field v)
{
    if (!v.len) {
        return 0;
    }
    static const char *const no[] = {"0", "false", "no", "n", "f"};
    for (size_t i = 0; i < sizeof(no) / sizeof(no[0]); i++) {
        if (strlen(no[i]) == v.len && strncasecmp(v.p, no[i], v.len) == 0) {
            return 0;
        }
    }
    return 1;
}

/* Identifiers may not hold a NUL byte: reports would show them cut short. */
static int check_identifiers(const row_check *rc, const pg_field *f)
{
    if (rc->c->nul_free) {
        return 0;
    }
    static const pg_col ids[] = {PG_COL_TXN_ID, PG_COL_SRC_INST, PG_COL_SRC_ACCT, PG_COL_DST_INST,
                                 PG_COL_DST_ACCT};
    for (size_t i = 0; i < sizeof(ids) / sizeof(ids[0]); i++) {
        if (f[ids[i]].len && memchr(f[ids[i]].p, '\0', f[ids[i]].len)) {
            return bad_field(rc, ids[i], "identifier contains a NUL byte", (pg_field){"", 0, 0});
        }
    }
    return 0;
}

static int check_required(const row_check *rc, const pg_field *f)
{
    static const pg_col req[] = {PG_COL_TIMESTAMP, PG_COL_AMOUNT,   PG_COL_SRC_INST,
                                 PG_COL_SRC_ACCT,  PG_COL_DST_INST, PG_COL_DST_ACCT};
    for (size_t i = 0; i < sizeof(req) / sizeof(req[0]); i++) {
        if (!f[req[i]].len) {
            return bad_field(rc, req[i], "required value is empty", f[req[i]]);
        }
    }
    return 0;
}

/* Typed fields: currency first, since the amount's scale depends on it. */
static int parse_values(const row_check *rc, const pg_field *f, const int *present, pg_row *r)
{
    int rc2, scale = 2;
    const char *why = NULL;
    if ((rc2 = parse_currency(rc, f[PG_COL_CURRENCY], &scale, &r->currency)) != 0) {
        return rc2;
    }
    if (pg_parse_amount(f[PG_COL_AMOUNT].p, f[PG_COL_AMOUNT].len, scale, &r->amount, &why) < 0) {
        return bad_field(rc, PG_COL_AMOUNT, why, f[PG_COL_AMOUNT]);
    }
    if (pg_parse_timestamp(f[PG_COL_TIMESTAMP].p, f[PG_COL_TIMESTAMP].len, &r->ts, &why) < 0) {
        return bad_field(rc, PG_COL_TIMESTAMP, why, f[PG_COL_TIMESTAMP]);
    }
    r->country = 0;
    if (f[PG_COL_DST_COUNTRY].len &&
        (rc2 = parse_country(rc, f[PG_COL_DST_COUNTRY], &r->country)) != 0) {
        return rc2;
    }
    r->channel = 0;
    if (f[PG_COL_CHANNEL].len && (rc2 = parse_channel(rc, f[PG_COL_CHANNEL], &r->channel)) != 0) {
        return rc2;
    }
    r->flags = 0;
    if (present[PG_COL_REFERENCE]) {
        uint16_t m = match_reference(rc, f[PG_COL_REFERENCE]);
        r->flags |= (uint16_t)(m & PG_TXN_LEXICON_MASK);
        if (m & PG_LEX_EMPTY) {
            r->flags |= PG_TXN_REF_EMPTY;
        }
    }
    int64_t unit = 1;
    for (int i = 0; i < scale; i++) {
        unit *= 10;
    }
    if (r->amount % unit == 0) {
        r->flags |= PG_TXN_WHOLE;
    }
    if (r->amount % (10 * unit) == 0) {
        r->flags |= PG_TXN_ROUND;
    }
    if (label_set(f[PG_COL_LABEL])) {
        r->flags |= PG_TXN_LABEL;
    }
    return 0;
}

int pg_chunk_add_row(pg_chunk *c, const pg_row_ctx *ctx, const pg_field *vals, const int *present,
                     uint64_t line, size_t rec_off, size_t rec_len)
{
    row_check rc = {c, ctx, line, rec_off, rec_len};
    pg_field f[PG_COL_COUNT];
    for (int i = 0; i < PG_COL_COUNT; i++) {
        f[i] = pg_field_trim(vals[i]);
    }
    pg_row r;
    int st;
    c->rows_read++;
    if ((st = check_required(&rc, f)) != 0 || (st = check_identifiers(&rc, f)) != 0 ||
        (st = parse_values(&rc, f, present, &r)) != 0) {
        return st;
    }
    if (account_key(c, 2 * c->n_rows, f[PG_COL_SRC_INST], f[PG_COL_SRC_ACCT]) < 0 ||
        account_key(c, 2 * c->n_rows + 1, f[PG_COL_DST_INST], f[PG_COL_DST_ACCT]) < 0) {
        return PG_ENOMEM;
    }
    if (pg_strlist_push(&c->txn_ids, f[PG_COL_TXN_ID].p, f[PG_COL_TXN_ID].len) < 0) {
        return PG_ENOMEM;
    }
    c->n_txn_ids += f[PG_COL_TXN_ID].len > 0;
    if (pg_grow((void **)&c->rows, &c->cap_rows, c->n_rows + 1, sizeof(*c->rows)) < 0) {
        return PG_ENOMEM;
    }
    c->rows[c->n_rows++] = r;
    return 0;
}
