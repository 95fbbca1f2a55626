/*
 * HDF5 pool: a pool written then read equals the in-memory pool; equal
 * pools give byte-identical files (for 1, 2 and 4 ingest threads); damaged
 * files are refused with PG_EINPUT, never a crash.
 */
#include "test_support.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "paygraph/paygraph.h"

static pg_pool *ingest_sample(int threads)
{
    int st;
    pg_pool *p = pg_test_ingest(
        pg_test_data("ingest/good.csv"), pg_test_data("ingest/accounts.csv"),
        pg_test_data("ingest/watchlist.csv"), "paygraph", threads, PG_ON_ERROR_FAIL, NULL, &st);
    assert_int_equal(st, 0);
    return p;
}

static void test_round_trip(void **state)
{
    (void)state;
    char path[600];
    snprintf(path, sizeof(path), "%s/pool.h5", pg_test_tmpdir("store-rt"));
    pg_pool *p = ingest_sample(2), *q = NULL;
    assert_int_equal(pg_pool_save(p, path, NULL), 0);
    struct stat sb;
    assert_int_equal(stat(path, &sb), 0);
    assert_int_equal(sb.st_mode & 0777, 0600);
    assert_true(pg_is_hdf5(path));
    assert_int_equal(pg_pool_load(&q, path), 0);
    pg_test_assert_pools_equal(p, q, 1);
    pg_pool_free(p);
    pg_pool_free(q);
}

static void test_byte_identical_for_1_2_4_threads(void **state)
{
    (void)state;
    const char *dir = pg_test_tmpdir("store-det");
    char paths[3][600];
    int threads[3] = {1, 2, 4};
    for (int i = 0; i < 3; i++) {
        snprintf(paths[i], sizeof(paths[i]), "%s/pool%d.h5", dir, threads[i]);
        pg_pool *p = ingest_sample(threads[i]);
        assert_int_equal(pg_pool_save(p, paths[i], NULL), 0);
        pg_pool_free(p);
    }
    size_t l0, l1, l2;
    char *b0 = pg_test_read_file(paths[0], &l0), *b1 = pg_test_read_file(paths[1], &l1),
         *b2 = pg_test_read_file(paths[2], &l2);
    assert_int_equal(l0, l1);
    assert_int_equal(l0, l2);
    assert_memory_equal(b0, b1, l0);
    assert_memory_equal(b0, b2, l0);
    free(b0);
    free(b1);
    free(b2);
}

static void test_damaged_files_are_refused(void **state)
{
    (void)state;
    const char *dir = pg_test_tmpdir("store-bad");
    char good[600], cut[600], text[600];
    snprintf(good, sizeof(good), "%s/pool.h5", dir);
    snprintf(cut, sizeof(cut), "%s/cut.h5", dir);
    snprintf(text, sizeof(text), "%s/text.h5", dir);
    pg_pool *p = ingest_sample(1), *q = NULL;
    assert_int_equal(pg_pool_save(p, good, NULL), 0);
    pg_pool_free(p);
    size_t len;
    char *b = pg_test_read_file(good, &len);
    FILE *f = fopen(cut, "wb");
    fwrite(b, 1, len / 2, f);
    fclose(f);
    free(b);
    assert_int_equal(pg_pool_load(&q, cut), PG_EINPUT);
    assert_non_null(strstr(pg_error_last(), "damaged pool file"));
    assert_non_null(strstr(pg_error_last(), cut));
    f = fopen(text, "w");
    fputs("timestamp,amount\n", f);
    fclose(f);
    assert_int_equal(pg_pool_load(&q, text), PG_EINPUT);
    assert_int_equal(pg_pool_load(&q, "/nonexistent/pool.h5"), PG_EIO);
    assert_null(q);
}

/*
 * The seal: a saved pool starts with it and is still found to be HDF5; one
 * flipped bit anywhere after it, or a removed seal, is refused before HDF5
 * parses the file.
 */
static void test_seal(void **state)
{
    (void)state;
    const char *dir = pg_test_tmpdir("store-seal");
    char good[600], bad[600];
    snprintf(good, sizeof(good), "%s/pool.h5", dir);
    snprintf(bad, sizeof(bad), "%s/bad.h5", dir);
    pg_pool *p = ingest_sample(1), *q = NULL;
    assert_int_equal(pg_pool_save(p, good, NULL), 0);
    pg_pool_free(p);
    assert_true(pg_is_hdf5(good));
    size_t len;
    char *b = pg_test_read_file(good, &len);
    assert_true(len > 4096);
    assert_memory_equal(b, "paygraph pool seal v3\n", 22);
    size_t at[3] = {512, len / 2, len - 1}; /* first HDF5 byte, middle, last */
    for (int i = 0; i < 3; i++) {
        b[at[i]] ^= 0x10;
        pg_test_write_file(bad, b, len);
        b[at[i]] ^= 0x10;
        assert_int_equal(pg_pool_load(&q, bad), PG_EINPUT);
        assert_non_null(strstr(pg_error_last(), "does not match its seal"));
        assert_null(q);
    }
    memset(b, 0, 512); /* no seal: HDF5 would still read it; paygraph does not */
    pg_test_write_file(bad, b, len);
    assert_int_equal(pg_pool_load(&q, bad), PG_EINPUT);
    assert_non_null(strstr(pg_error_last(), "not a sealed paygraph pool"));
    free(b);
    assert_int_equal(pg_pool_load(&q, good), 0);
    pg_pool_free(q);
}

static void test_unwritable_destination(void **state)
{
    (void)state;
    pg_pool *p = ingest_sample(1);
    assert_int_equal(pg_pool_save(p, "/nonexistent-dir/pool.h5", NULL), PG_EIO);
    pg_pool_free(p);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_round_trip),
        cmocka_unit_test(test_byte_identical_for_1_2_4_threads),
        cmocka_unit_test(test_damaged_files_are_refused),
        cmocka_unit_test(test_seal),
        cmocka_unit_test(test_unwritable_destination),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
