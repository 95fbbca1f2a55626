/*
 * Pool file seals: a version 2 seal (hash list of 1 MiB pieces) is the same
 * whatever the threads that wrote or check it, and any changed byte, a
 * truncation or an appended byte is refused; a pool sealed by version 1
 * (one BLAKE2b-256) still loads, and still refuses a flipped bit. Behind
 * the seal, a pool whose ids are out of range (sealed again after the
 * change, as a crafted file would be) is refused naming the first bad
 * entry, for any thread count.
 */
#include "test_support.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <hdf5.h>

#include "core/error.h"
#include "core/rng.h"
#include "paygraph/paygraph.h"
#include "store/seal.h"

/* User block plus content: several pieces and a short last one. */
#define FILE_BYTES (PG_SEAL_BYTES + (size_t)(3u << 20) + 777u)

static unsigned char *sealed_file(const char *path, uint64_t seed, int threads)
{
    unsigned char *b = calloc(FILE_BYTES, 1);
    assert_non_null(b);
    pg_rng r;
    pg_rng_init(&r, seed, 0);
    for (size_t i = PG_SEAL_BYTES; i < FILE_BYTES; i++) {
        b[i] = (unsigned char)pg_rng_below(&r, 256);
    }
    pg_test_write_file(path, b, FILE_BYTES);
    assert_int_equal(pg_seal_write(path, threads), 0);
    FILE *f = fopen(path, "rb");
    assert_non_null(f);
    assert_int_equal(fread(b, 1, PG_SEAL_BYTES, f), PG_SEAL_BYTES);
    fclose(f);
    return b;
}

static void test_v3_seal_any_threads_and_damage(void **state)
{
    (void)state;
    const char *dir = pg_test_tmpdir("seal");
    char path[600], other[600];
    snprintf(path, sizeof(path), "%s/a.bin", dir);
    snprintf(other, sizeof(other), "%s/b.bin", dir);
    uint64_t seed = pg_test_seed("seal content", 11);
    unsigned char *b = sealed_file(path, seed, 1);
    unsigned char *c = sealed_file(other, seed, 4);
    assert_memory_equal(b, "paygraph pool seal v3\n", 22);
    assert_non_null(strstr((const char *)b, "\nxxh3-128-pieces-1MiB "));
    assert_memory_equal(b, c, PG_SEAL_BYTES); /* same seal from 1 and 4 threads */
    free(c);
    for (int t = 1; t <= 4; t *= 2) {
        assert_int_equal(pg_seal_check(path, t, "pool file", "ingest its inputs again"), 0);
    }
    size_t at[4] = {PG_SEAL_BYTES, PG_SEAL_BYTES + ((size_t)1 << 20) + 5, FILE_BYTES - 700,
                    FILE_BYTES - 1}; /* first byte, second piece, last piece, last byte */
    for (int i = 0; i < 4; i++) {
        b[at[i]] ^= 0x01;
        pg_test_write_file(other, b, FILE_BYTES);
        b[at[i]] ^= 0x01;
        assert_int_equal(pg_seal_check(other, 2, "pool file", "ingest its inputs again"),
                         PG_EINPUT);
        assert_non_null(strstr(pg_error_last(), "does not match its seal"));
    }
    pg_test_write_file(other, b, FILE_BYTES - 1); /* truncated */
    assert_int_equal(pg_seal_check(other, 2, "pool file", "ingest its inputs again"), PG_EINPUT);
    FILE *f = fopen(other, "ab");
    assert_non_null(f);
    assert_int_equal(fwrite("xy", 1, 2, f), 2); /* now one byte too many */
    fclose(f);
    assert_int_equal(pg_seal_check(other, 2, "pool file", "ingest its inputs again"), PG_EINPUT);
    free(b);
}

/* A pool sealed by an earlier version loads; a flipped bit in it is still caught. */
static void check_old_seal_loads(const char *file, const char *magic)
{
    const char *path = pg_test_data(file);
    pg_pool *p = NULL;
    assert_int_equal(pg_pool_load(&p, path), 0);
    assert_int_equal(pg_pool_num_txns(p), 300);
    pg_pool_free(p);
    size_t len;
    char *b = pg_test_read_file(path, &len);
    assert_memory_equal(b, magic, 22);
    b[len / 2] ^= 0x10;
    char bad[600];
    snprintf(bad, sizeof(bad), "%s/old-bad.h5", pg_test_tmpdir("seal"));
    pg_test_write_file(bad, b, len);
    free(b);
    p = NULL;
    assert_int_equal(pg_pool_load(&p, bad), PG_EINPUT);
    assert_non_null(strstr(pg_error_last(), "does not match its seal"));
    assert_null(p);
}

static void test_v1_and_v2_pools_still_load(void **state)
{
    (void)state;
    check_old_seal_loads("store/pool_seal_v1.h5", "paygraph pool seal v1\n");
    /* the v1 file's content under a v2 seal (SHA-256 hash list) */
    check_old_seal_loads("store/pool_seal_v2.h5", "paygraph pool seal v2\n");
}

/* A pool of `rows` transactions (txn ids T0, T1, ...) between 500 accounts, saved to path. */
static void save_large_pool(const char *dir, const char *path, int rows)
{
    char csv[600];
    snprintf(csv, sizeof(csv), "%s/large.csv", dir);
    FILE *f = fopen(csv, "w");
    assert_non_null(f);
    fprintf(f, "txn_id,timestamp,amount,currency,src_institution,src_account,dst_institution,"
               "dst_account\n");
    for (int i = 0; i < rows; i++) {
        fprintf(f, "T%d,%d,%d.50,%s,BANK-A,a%d,BANK-B,b%d\n", i, 1700000000 + i, 1 + i % 97,
                i % 3 ? "AUD" : "USD", i % 500, (i * 7) % 500);
    }
    assert_int_equal(fclose(f), 0);
    int st;
    pg_pool *p = pg_test_ingest(csv, NULL, NULL, "paygraph", 2, PG_ON_ERROR_FAIL, NULL, &st);
    assert_int_equal(st, 0);
    assert_int_equal(pg_pool_save(p, path, NULL), 0);
    pg_pool_free(p);
}

/*
 * Set entries at[0..k) of the 1-D dataset name (elements of `size` bytes,
 * native type t) to *value, and seal the file again.
 */
static void corrupt_entries(const char *path, const char *name, hid_t t, size_t size,
                            const size_t *at, int k, const void *value)
{
    hid_t file = H5Fopen(path, H5F_ACC_RDWR, H5P_DEFAULT);
    assert_true(file >= 0);
    hid_t d = H5Dopen2(file, name, H5P_DEFAULT);
    assert_true(d >= 0);
    hid_t space = H5Dget_space(d);
    hssize_t n = H5Sget_simple_extent_npoints(space);
    assert_true(n > 0);
    unsigned char *v = malloc((size_t)n * size);
    assert_non_null(v);
    assert_true(H5Dread(d, t, H5S_ALL, H5S_ALL, H5P_DEFAULT, v) >= 0);
    for (int i = 0; i < k; i++) {
        assert_true(at[i] < (size_t)n);
        memcpy(v + at[i] * size, value, size);
    }
    assert_true(H5Dwrite(d, t, H5S_ALL, H5S_ALL, H5P_DEFAULT, v) >= 0);
    free(v);
    H5Sclose(space);
    H5Dclose(d);
    assert_true(H5Fclose(file) >= 0);
    assert_int_equal(pg_seal_write(path, 1), 0);
}

static void test_out_of_range_ids_behind_a_good_seal(void **state)
{
    (void)state;
    const char *dir = pg_test_tmpdir("seal-ids");
    char path[600];
    snprintf(path, sizeof(path), "%s/ids.h5", dir);
    enum { ROWS = 70000 }; /* above the size at which the check runs in parallel */
    save_large_pool(dir, path, ROWS);
    size_t at[3] = {ROWS - 1, 40000, 52000}; /* the first bad one lies in the second half */
    uint32_t bad = 777777;
    corrupt_entries(path, "/transactions/dst", H5T_NATIVE_UINT32, 4, at, 3, &bad);
    for (int t = 1; t <= 4; t *= 2) {
        pg_pool *p = NULL;
        assert_int_equal(pg_pool_load_threads(&p, path, t), PG_EINPUT);
        assert_non_null(
            strstr(pg_error_last(), "transactions/dst[40000] = 777777 is out of range"));
        assert_null(p);
    }
}

/*
 * A string table whose offsets point past its bytes, or whose strings
 * repeat, behind a valid seal: refused, naming the table, for 1, 2 and 4
 * threads (the offsets are checked in parallel from 64 Ki entries, as the
 * 70000 txn ids are).
 */
static void test_bad_string_tables_behind_a_good_seal(void **state)
{
    (void)state;
    const char *dir = pg_test_tmpdir("seal-strings");
    char path[600], copy[600];
    snprintf(path, sizeof(path), "%s/s.h5", dir);
    snprintf(copy, sizeof(copy), "%s/c.h5", dir);
    enum { ROWS = 70000 };
    save_large_pool(dir, path, ROWS);
    pg_pool *p = NULL;
    assert_int_equal(pg_pool_load(&p, path), 0);
    /* account names in order of first appearance: a0 b0 a1 b7 ... */
    assert_string_equal(pg_pool_account_name(p, 0), "a0");
    assert_string_equal(pg_pool_account_name(p, 2), "a1");
    pg_pool_free(p);
    size_t len;
    char *orig = pg_test_read_file(path, &len);
    static const struct {
        const char *dataset, *message;
        int bytes; /* 1: change a byte of the strings, 0: an offset */
        size_t at;
    } cases[] = {
        {"/dict/account_names/offsets", "string table /dict/account_names is inconsistent", 0, 3},
        {"/transactions/txn_id/offsets", "string table /transactions/txn_id is inconsistent", 0,
         40000},
        {"/dict/account_names/bytes", "string table /dict/account_names repeats an entry", 1, 4},
    };
    for (size_t c = 0; c < sizeof(cases) / sizeof(cases[0]); c++) {
        pg_test_write_file(copy, orig, len);
        if (cases[c].bytes) {
            uint8_t zero = '0'; /* "a1" (bytes 6..7 after "a0\0b0\0") becomes "a0" */
            size_t at = 7;
            corrupt_entries(copy, cases[c].dataset, H5T_NATIVE_UINT8, 1, &at, 1, &zero);
        } else {
            uint64_t far = (uint64_t)1 << 40; /* far beyond the bytes, yet increasing */
            corrupt_entries(copy, cases[c].dataset, H5T_NATIVE_UINT64, 8, &cases[c].at, 1, &far);
        }
        for (int t = 1; t <= 4; t *= 2) {
            p = NULL;
            assert_int_equal(pg_pool_load_threads(&p, copy, t), PG_EINPUT);
            assert_non_null(strstr(pg_error_last(), cases[c].message));
            assert_null(p);
        }
    }
    free(orig);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_v3_seal_any_threads_and_damage),
        cmocka_unit_test(test_v1_and_v2_pools_still_load),
        cmocka_unit_test(test_out_of_range_ids_behind_a_good_seal),
        cmocka_unit_test(test_bad_string_tables_behind_a_good_seal),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
