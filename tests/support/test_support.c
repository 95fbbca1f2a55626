#include "test_support.h"

#include <stdio.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>

#include <zlib.h>

#include "core/alloc.h"
#include "paygraph/paygraph.h"

uint64_t pg_test_seed(const char *test, uint64_t fallback)
{
    const char *env = getenv("PG_TEST_SEED");
    uint64_t seed = env ? strtoull(env, NULL, 10) : fallback;
    printf("# %s: seed %llu (set PG_TEST_SEED to replay)\n", test, (unsigned long long)seed);
    return seed;
}

long pg_test_alloc_sweep(int (*run)(void *ctx), void *ctx, long max)
{
    for (long k = 1; k < max; k++) {
        pg_alloc_fail_at(k);
        int rc = run(ctx);
        pg_alloc_fail_at(0);
        if (rc == 0) {
            return k - 1;
        }
        assert_int_equal(rc, PG_ENOMEM);
    }
    fail_msg("no call succeeded within %ld allocations", max);
    return -1;
}

const char *pg_test_tmpdir(const char *name)
{
    static char path[512];
    const char *base = getenv("TMPDIR");
    snprintf(path, sizeof(path), "%s/pgtest-%s-%ld", base ? base : "/tmp", name, (long)getpid());
    mkdir(path, 0700);
    return path;
}

const char *pg_test_data(const char *relpath)
{
    /* a ring of buffers, so that several paths can be used in one call */
    static char path[8][1024];
    static unsigned next;
    char *p = path[next++ % 8];
    snprintf(p, sizeof(path[0]), "%s/%s", PG_TEST_DATA_DIR, relpath);
    return p;
}

void pg_test_write_file(const char *path, const void *b, size_t len)
{
    FILE *f = fopen(path, "wb");
    if (!f) {
        fail_msg("cannot create %s", path);
    }
    assert_int_equal(fwrite(b, 1, len, f), len);
    assert_int_equal(fclose(f), 0);
}

char *pg_test_read_file(const char *path, size_t *len)
{
    gzFile f = gzopen(path, "rb");
    if (!f) {
        fail_msg("cannot open %s", path);
    }
    size_t cap = 1 << 16, n = 0;
    char *buf = malloc(cap);
    assert_non_null(buf);
    int got;
    while ((got = gzread(f, buf + n, (unsigned)(cap - n - 1))) > 0) {
        n += (size_t)got;
        if (cap - n < 2) {
            cap *= 2;
            buf = realloc(buf, cap);
            assert_non_null(buf);
        }
    }
    assert_true(got == 0);
    gzclose(f);
    buf[n] = '\0';
    if (len) {
        *len = n;
    }
    return buf;
}

pg_pool *pg_test_ingest(const char *txn, const char *accounts, const char *watchlist,
                        const char *format, int threads, pg_on_error on_error, const char *rejects,
                        int *status)
{
    const char *t[1] = {txn}, *a[1] = {accounts}, *w[1] = {watchlist};
    pg_ingest_options o;
    pg_ingest_options_init(&o);
    o.transactions = t;
    o.n_transactions = 1;
    o.accounts = a;
    o.n_accounts = accounts ? 1 : 0;
    o.watchlist = w;
    o.n_watchlist = watchlist ? 1 : 0;
    o.format = format;
    o.threads = threads;
    o.on_error = on_error;
    o.rejects_path = rejects;
    pg_pool *p = NULL;
    *status = pg_pool_ingest(&p, &o);
    if (*status < 0) {
        printf("# ingest: %s\n", pg_error_last());
    }
    return p;
}

void pg_test_assert_pools_equal(const pg_pool *a, const pg_pool *b, int same_files)
{
    pg_txn_columns x, y;
    pg_pool_txns(a, &x);
    pg_pool_txns(b, &y);
    assert_int_equal(x.n, y.n);
    size_t n = (size_t)x.n;
    assert_memory_equal(x.src, y.src, n * 4);
    assert_memory_equal(x.dst, y.dst, n * 4);
    assert_memory_equal(x.ts, y.ts, n * 8);
    assert_memory_equal(x.amount, y.amount, n * 8);
    assert_memory_equal(x.amount_rep, y.amount_rep, n * 8);
    assert_memory_equal(x.flags, y.flags, n * 2);
    assert_memory_equal(x.currency, y.currency, n);
    assert_memory_equal(x.channel, y.channel, n);
    assert_memory_equal(x.dst_country, y.dst_country, n);
    for (int64_t i = 0; i < x.n; i++) {
        const char *ia = pg_pool_txn_id(a, i), *ib = pg_pool_txn_id(b, i);
        assert_true((ia == NULL) == (ib == NULL));
        if (ia) {
            assert_string_equal(ia, ib);
        }
        assert_string_equal(pg_pool_channel_name(a, x.channel[i]),
                            pg_pool_channel_name(b, y.channel[i]));
        assert_string_equal(pg_pool_currency_code(a, x.currency[i]),
                            pg_pool_currency_code(b, y.currency[i]));
    }
    pg_account_columns p, q;
    pg_pool_accounts(a, &p);
    pg_pool_accounts(b, &q);
    assert_int_equal(p.n, q.n);
    assert_memory_equal(p.institution, q.institution, p.n * 4);
    assert_memory_equal(p.entity, q.entity, p.n * 4);
    assert_memory_equal(p.kind, q.kind, p.n);
    assert_memory_equal(p.country, q.country, p.n);
    assert_memory_equal(p.opened, q.opened, p.n * 8);
    assert_memory_equal(p.in_txns, q.in_txns, p.n);
    assert_memory_equal(p.watch, q.watch, p.n * 4);
    for (uint32_t i = 0; i < p.n; i++) {
        assert_string_equal(pg_pool_account_name(a, i), pg_pool_account_name(b, i));
    }
    for (uint32_t i = 0; i < pg_pool_num_institutions(a); i++) {
        assert_string_equal(pg_pool_institution_name(a, i), pg_pool_institution_name(b, i));
    }
    assert_int_equal(pg_pool_num_entities(a), pg_pool_num_entities(b));
    if (same_files) {
        assert_int_equal(pg_pool_num_files(a), pg_pool_num_files(b));
        for (size_t i = 0; i < pg_pool_num_files(a); i++) {
            const pg_file_info *fa = pg_pool_file(a, i), *fb = pg_pool_file(b, i);
            assert_string_equal(fa->path, fb->path);
            assert_string_equal(fa->sha256, fb->sha256);
            assert_int_equal(fa->rows_loaded, fb->rows_loaded);
            assert_int_equal(fa->bytes, fb->bytes);
        }
    }
    pg_ingest_totals ta, tb;
    pg_pool_totals(a, &ta);
    pg_pool_totals(b, &tb);
    assert_memory_equal(&ta, &tb, sizeof(ta));
    for (unsigned bit = 0; bit < 12; bit++) {
        const char *la = pg_pool_lexicon_category(a, bit), *lb = pg_pool_lexicon_category(b, bit);
        assert_true((la == NULL) == (lb == NULL));
        if (la) {
            assert_string_equal(la, lb);
        }
    }
}
