/*
 * Text formatting of generated rows and accounts: RFC 4180 CSV, LF line
 * ends, ISO 8601 UTC times, amounts printed exactly from integer minor units.
 *
 * Approach: hand-written integer and date formatting into a growing buffer
 * (no printf per field), because formatting dominates generation time at
 * 100M rows. Dates use the days-from-civil inversion (proleptic Gregorian).
 * Transaction ids are numbered in file order: the caller passes the id of a
 * block's first row, known once the row counts of earlier blocks are.
 */
#include "generator/world.h"

#include <string.h>

#include "core/alloc.h"
#include "core/error.h"

int pg_gen__text_reserve(gen_text *t, size_t extra)
{
    if (t->len + extra <= t->cap) {
        return PG_OK;
    }
    size_t need = t->len + extra;
    if (pg_grow((void **)&t->buf, &t->cap, need, 1) < 0) {
        return pg_error_oom("generated text", need);
    }
    return PG_OK;
}

static const char hexdig[] = "0123456789abcdef";

size_t pg_gen__format_account(char *dst, uint32_t acct, uint64_t seed)
{
    uint64_t x = pg_gen__scramble(acct, seed);
    for (int i = 9; i >= 0; i--) {
        dst[i] = hexdig[x & 15];
        x >>= 4;
    }
    return 10;
}

size_t pg_gen__format_entity(char *dst, uint64_t key, uint64_t seed)
{
    /* Persons (key < 2^32) and organisations draw from separate prefixes: never equal. */
    dst[0] = key >> 32 ? 'B' : 'E';
    return 1 + pg_gen__format_account(dst + 1, (uint32_t)key, seed ^ 0x656e74ULL);
}

static size_t put_uint(char *dst, uint64_t v)
{
    char tmp[24];
    size_t n = 0;
    do {
        tmp[n++] = (char)('0' + v % 10);
        v /= 10;
    } while (v);
    for (size_t i = 0; i < n; i++) {
        dst[i] = tmp[n - 1 - i];
    }
    return n;
}

static void put2(char *dst, int v)
{
    dst[0] = (char)('0' + v / 10);
    dst[1] = (char)('0' + v % 10);
}

/* Civil date from days since 1970-01-01 (proleptic Gregorian calendar). */
static void civil_from_days(int64_t z, int *y, int *m, int *d)
{
    z += 719468;
    int64_t era = (z >= 0 ? z : z - 146096) / 146097;
    int64_t doe = z - era * 146097;
    int64_t yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    int64_t doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    int64_t mp = (5 * doy + 2) / 153;
    *d = (int)(doy - (153 * mp + 2) / 5 + 1);
    *m = (int)(mp < 10 ? mp + 3 : mp - 9);
    *y = (int)(yoe + era * 400 + (*m <= 2));
}

size_t pg_gen__format_date(char *dst, int64_t ts)
{
    int64_t days = ts >= 0 ? ts / 86400 : -((-ts + 86399) / 86400);
    int y, m, d;
    civil_from_days(days, &y, &m, &d);
    put2(dst, y / 100);
    put2(dst + 2, y % 100);
    dst[4] = '-';
    put2(dst + 5, m);
    dst[7] = '-';
    put2(dst + 8, d);
    return 10;
}

size_t pg_gen__format_time(char *dst, int64_t ts)
{
    pg_gen__format_date(dst, ts);
    int64_t sec = ts % 86400;
    if (sec < 0) {
        sec += 86400;
    }
    dst[10] = 'T';
    put2(dst + 11, (int)(sec / 3600));
    dst[13] = ':';
    put2(dst + 14, (int)(sec / 60 % 60));
    dst[16] = ':';
    put2(dst + 17, (int)(sec % 60));
    dst[19] = 'Z';
    return 20;
}

static size_t put_amount(char *dst, int64_t cents)
{
    size_t n = put_uint(dst, (uint64_t)(cents / 100));
    dst[n++] = '.';
    put2(dst + n, (int)(cents % 100));
    return n + 2;
}

static size_t put_str(char *dst, const char *s)
{
    size_t n = strlen(s);
    memcpy(dst, s, n);
    return n;
}

/* RFC 4180: quote a field holding a comma, quote or line break; double inner quotes. */
static size_t put_csv(char *dst, const char *s)
{
    if (!strpbrk(s, ",\"\r\n")) {
        return put_str(dst, s);
    }
    size_t n = 0;
    dst[n++] = '"';
    for (; *s; s++) {
        if (*s == '"') {
            dst[n++] = '"';
        }
        dst[n++] = *s;
    }
    dst[n++] = '"';
    return n;
}

/* Longest line: ids, names, a quoted reference of at most 40 characters. */
#define GEN_MAX_LINE 256

int pg_gen__format_rows(const gen_world *w, const gen_rowbuf *rows, int64_t first_id, gen_text *out)
{
    int err = pg_gen__text_reserve(out, rows->n * GEN_MAX_LINE);
    if (err < 0) {
        return err;
    }
    char *p = out->buf + out->len;
    uint64_t seed = w->opt.seed;
    for (size_t i = 0; i < rows->n; i++) {
        const gen_row *r = &rows->rows[i];
        *p++ = 'T';
        p += put_uint(p, (uint64_t)(first_id + (int64_t)i));
        *p++ = ',';
        p += pg_gen__format_time(p, r->ts);
        *p++ = ',';
        p += put_amount(p, r->amount);
        *p++ = ',';
        p += put_str(p, pg_gen__currency_code[r->currency]);
        *p++ = ',';
        p += put_str(p, w->inst[r->src_inst].name);
        *p++ = ',';
        p += pg_gen__format_account(p, r->src, seed);
        *p++ = ',';
        p += put_str(p, w->inst[r->dst_inst].name);
        *p++ = ',';
        p += pg_gen__format_account(p, r->dst, seed);
        *p++ = ',';
        p += put_str(p, pg_gen__channel_name[r->channel]);
        *p++ = ',';
        p += put_str(p, pg_gen__country_code[r->dst_country]);
        *p++ = ',';
        p += put_csv(p, pg_gen__reference[r->ref]);
        *p++ = ',';
        *p++ = (char)('0' + r->label);
        *p++ = '\n';
    }
    out->len = (size_t)(p - out->buf);
    return PG_OK;
}

static const char *const kind_name[] = {"person", "business", "merchant", "unknown"};

static size_t put_account_row(char *p, const gen_world *w, uint32_t acct, int inst, uint64_t entity,
                              int kind, int country, int64_t opened)
{
    char *s = p;
    p += put_str(p, w->inst[inst].name);
    *p++ = ',';
    p += pg_gen__format_account(p, acct, w->opt.seed);
    *p++ = ',';
    p += pg_gen__format_entity(p, entity, w->opt.seed);
    *p++ = ',';
    p += put_str(p, kind_name[kind]);
    *p++ = ',';
    p += put_str(p, pg_gen__country_code[country]);
    *p++ = ',';
    p += pg_gen__format_date(p, opened);
    *p++ = '\n';
    return (size_t)(p - s);
}

static int64_t opened_before(const gen_world *w, uint64_t key, int min_days, int span)
{
    uint64_t h = pg_mix64(key, w->opt.seed ^ 0x6f70656eULL);
    return w->opt.start - (int64_t)(min_days + (int)(h % (uint64_t)span)) * 86400;
}

/* Entity keys: persons by id; everything else by account index in a separate range. */
#define GEN_ENTITY_OTHER (1ULL << 32)

int pg_gen__format_accounts_block(const gen_world *w, uint32_t block, gen_text *out)
{
    uint32_t lo = block * GEN_BLOCK;
    uint32_t hi = lo + GEN_BLOCK < w->persons ? lo + GEN_BLOCK : w->persons;
    int err = pg_gen__text_reserve(out, (size_t)(hi - lo) * 4 * 96);
    if (err < 0) {
        return err;
    }
    char *p = out->buf + out->len;
    for (uint32_t id = lo; id < hi; id++) {
        gen_person q;
        pg_gen__person_profile(w, id, &q);
        for (int k = 0; k < q.nacc; k++) {
            uint32_t a = pg_gen__person_account(id, k);
            p += put_account_row(p, w, a, q.inst[k], id, KIND_PERSON, C_AU,
                                 opened_before(w, a, 30, 4000));
        }
        if (q.remitter) {
            uint32_t a = w->base_relative + id;
            p += put_account_row(p, w, a, q.remit_inst, GEN_ENTITY_OTHER + a, KIND_UNKNOWN,
                                 q.remit_country, opened_before(w, a, 30, 3000));
        }
    }
    out->len = (size_t)(p - out->buf);
    return PG_OK;
}

int pg_gen__format_other_accounts(const gen_world *w, gen_text *out, int64_t *rows)
{
    size_t n = w->merchants + w->employers + w->billers + w->fmerchants + (size_t)w->ndomestic +
               w->nforeign;
    int err = pg_gen__text_reserve(out, n * 96);
    if (err < 0) {
        return err;
    }
    static const int psp_country[4] = {C_US, C_SG, C_HK, C_GB};
    char *p = out->buf + out->len;
    for (uint32_t m = 0; m < w->merchants; m++) {
        uint32_t a = w->base_merchant + m;
        p += put_account_row(p, w, a, pg_gen__business_inst(w, m, 0x6d), GEN_ENTITY_OTHER + a,
                             KIND_MERCHANT, C_AU, opened_before(w, a, 365, 5000));
    }
    for (uint32_t e = 0; e < w->employers; e++) {
        uint32_t a = w->base_employer + e;
        p += put_account_row(p, w, a, pg_gen__business_inst(w, e, 0x65), GEN_ENTITY_OTHER + a,
                             KIND_BUSINESS, C_AU, opened_before(w, a, 365, 5000));
    }
    for (uint32_t b = 0; b < w->billers; b++) {
        uint32_t a = w->base_biller + b;
        p += put_account_row(p, w, a, (int)(b % (uint32_t)w->bank_count), GEN_ENTITY_OTHER + a,
                             KIND_BUSINESS, C_AU, opened_before(w, a, 365, 5000));
    }
    for (uint32_t j = 0; j < w->fmerchants; j++) {
        uint32_t a = w->base_fmerchant + j;
        int cc = psp_country[j % 4];
        p += put_account_row(p, w, a, w->foreign_psp[cc], GEN_ENTITY_OTHER + a, KIND_MERCHANT, cc,
                             opened_before(w, a, 365, 3000));
    }
    for (int i = 0; i < w->ndomestic; i++) {
        uint32_t a = w->base_atm + (uint32_t)i;
        p += put_account_row(p, w, a, i, GEN_ENTITY_OTHER + a, KIND_BUSINESS, C_AU,
                             opened_before(w, a, 1000, 3000));
    }
    for (size_t f = 0; f < w->nforeign; f++) {
        const gen_foreign *x = &w->foreign[f];
        /* Facilitator accounts abroad tend to be new. */
        p += put_account_row(p, w, x->acct, x->inst, GEN_ENTITY_OTHER + x->acct, KIND_UNKNOWN,
                             x->country, opened_before(w, x->acct, 5, 400));
    }
    out->len = (size_t)(p - out->buf);
    *rows = (int64_t)n;
    return PG_OK;
}
