/*
 * Fuzz target for the JSON Lines transactions reader (through pg_pool_ingest
 * on a temporary .jsonl file, the way every input reaches it).
 *
 * Properties:
 *  - with --on-error=skip the ingest succeeds (or runs out of nothing but
 *    memory) and its totals reconcile: rows read = loaded + rejected, and
 *    loaded = transactions in the pool;
 *  - every transaction's accounts, currency and country are valid ids;
 *  - 1 and 3 threads load the same transactions (chunking is invisible);
 *  - with --on-error=fail the ingest either loads the same pool (when
 *    nothing was rejected) or fails with PG_EINPUT.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "fuzz_check.h"
#include "paygraph/paygraph.h"

static void quiet(void *ctx, const char *message)
{
    (void)ctx;
    (void)message;
}

static int ingest(pg_pool **out, const char *path, const char *rejects, pg_on_error on_error,
                  int threads)
{
    const char *files[] = {path};
    pg_ingest_options o;
    pg_ingest_options_init(&o);
    o.transactions = files;
    o.n_transactions = 1;
    o.on_error = on_error;
    o.rejects_path = rejects;
    o.threads = threads;
    o.checksums = 0;
    o.warn = quiet;
    *out = NULL;
    return pg_pool_ingest(out, &o);
}

static void check_pool(const pg_pool *p)
{
    pg_ingest_totals t;
    pg_txn_columns c;
    pg_pool_totals(p, &t);
    pg_pool_txns(p, &c);
    FUZZ_CHECK(t.rows_read == t.rows_loaded + t.rows_rejected);
    FUZZ_CHECK((uint64_t)c.n == t.rows_loaded);
    uint32_t na = pg_pool_num_accounts(p);
    for (int64_t i = 0; i < c.n; i++) {
        FUZZ_CHECK(c.src[i] < na && c.dst[i] < na);
        FUZZ_CHECK(c.amount[i] > 0);
        FUZZ_CHECK(pg_pool_currency_code(p, c.currency[i]) != NULL);
    }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size > (1u << 16)) {
        return 0;
    }
    char dir[] = "/tmp/pgfuzz-jsonl-XXXXXX";
    FUZZ_CHECK(mkdtemp(dir) != NULL);
    char path[64], rejects[64];
    snprintf(path, sizeof(path), "%s/in.jsonl", dir);
    snprintf(rejects, sizeof(rejects), "%s/rejects.csv", dir);
    FILE *f = fopen(path, "wb");
    FUZZ_CHECK(f != NULL);
    FUZZ_CHECK(fwrite(data, 1, size, f) == size);
    fclose(f);

    pg_pool *one = NULL, *three = NULL, *strict = NULL;
    int st1 = ingest(&one, path, rejects, PG_ON_ERROR_SKIP, 1);
    int st3 = ingest(&three, path, rejects, PG_ON_ERROR_SKIP, 3);
    int sts = ingest(&strict, path, NULL, PG_ON_ERROR_FAIL, 1);
    FUZZ_CHECK(st1 == 0 && st3 == 0);
    check_pool(one);
    check_pool(three);
    FUZZ_CHECK(pg_pool_num_txns(one) == pg_pool_num_txns(three));
    FUZZ_CHECK(pg_pool_num_accounts(one) == pg_pool_num_accounts(three));
    pg_ingest_totals t;
    pg_pool_totals(one, &t);
    if (t.rows_rejected == 0) {
        FUZZ_CHECK(sts == 0 && pg_pool_num_txns(strict) == pg_pool_num_txns(one));
    } else {
        FUZZ_CHECK(sts == PG_EINPUT && strict == NULL);
    }
    pg_pool_free(one);
    pg_pool_free(three);
    pg_pool_free(strict);
    unlink(path);
    unlink(rejects);
    rmdir(dir);
    return 0;
}
