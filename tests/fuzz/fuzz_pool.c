/*
 * Fuzz target for the HDF5 pool loader (pg_pool_load on the input written
 * to a temporary file). The seed corpus holds small real pools; since pool
 * files carry a seal (engine/store/seal.c), a mutation is refused by the
 * seal check before HDF5 parses the file, which is the point: damaged files
 * never reach HDF5 1.10's parser, which crashes on some of them.
 *
 * Properties: the loader never crashes; it either refuses the file with
 * PG_EINPUT, PG_EIO or PG_EDEP (HDF5 itself failed) and returns no pool, or
 * returns a pool whose ids are all in range (the checks the later stages
 * rely on), whose totals reconcile, and which saves again.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "fuzz_check.h"
#include "paygraph/paygraph.h"

static void check_pool(const pg_pool *p, const char *dir)
{
    pg_txn_columns t;
    pg_account_columns a;
    pg_pool_txns(p, &t);
    pg_pool_accounts(p, &a);
    for (int64_t i = 0; i < t.n; i++) {
        FUZZ_CHECK(t.src[i] < a.n && t.dst[i] < a.n);
        FUZZ_CHECK(pg_pool_currency_code(p, t.currency[i]) != NULL);
        FUZZ_CHECK(pg_pool_channel_name(p, t.channel[i]) != NULL);
    }
    for (uint32_t v = 0; v < a.n; v++) {
        FUZZ_CHECK(a.institution[v] < pg_pool_num_institutions(p));
        FUZZ_CHECK(a.entity[v] == PG_NONE || a.entity[v] < pg_pool_num_entities(p));
        FUZZ_CHECK(pg_pool_account_name(p, v) != NULL);
    }
    for (size_t f = 0; f < pg_pool_num_files(p); f++) {
        FUZZ_CHECK(pg_pool_file(p, f)->path != NULL);
    }
    char out[96];
    snprintf(out, sizeof(out), "%s/again.h5", dir);
    pg_store_options o;
    pg_store_options_init(&o);
    int st = pg_pool_save(p, out, &o);
    FUZZ_CHECK(st == 0 || st == PG_EIO || st == PG_ENOMEM);
    unlink(out);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size > (1u << 20)) {
        return 0;
    }
    char dir[] = "/tmp/pgfuzz-pool-XXXXXX";
    FUZZ_CHECK(mkdtemp(dir) != NULL);
    char path[64];
    snprintf(path, sizeof(path), "%s/in.h5", dir);
    FILE *f = fopen(path, "wb");
    FUZZ_CHECK(f != NULL);
    FUZZ_CHECK(fwrite(data, 1, size, f) == size);
    fclose(f);
    pg_pool *p = NULL;
    int st = pg_pool_load(&p, path);
    if (st == 0) {
        FUZZ_CHECK(p != NULL);
        check_pool(p, dir);
        pg_pool_free(p);
    } else {
        FUZZ_CHECK(p == NULL);
        FUZZ_CHECK(st == PG_EINPUT || st == PG_EIO || st == PG_EDEP || st == PG_ENOMEM);
    }
    unlink(path);
    rmdir(dir);
    return 0;
}
