/*
 * Block reader: a plain file read in parallel pieces (large reads with
 * threads > 1) gives the same bytes and the same end of file as a serial
 * read, whatever the block sizes asked for, and its SHA-256 is the file's,
 * whether the caller hashes each block itself (as ingest does, while
 * parsing) or leaves it to consume.
 */
#include "test_support.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/evp.h>

#include "core/rng.h"
#include "ingest/reader.h"

/* Bytes of a file larger than the parallel threshold, and not a multiple of a piece. */
#define FILE_BYTES ((size_t)(21u << 20) + 12345u)

static unsigned char *random_bytes(size_t n, uint64_t seed)
{
    unsigned char *b = malloc(n);
    assert_non_null(b);
    pg_rng r;
    pg_rng_init(&r, seed, 0);
    for (size_t i = 0; i < n; i++) {
        b[i] = (unsigned char)pg_rng_below(&r, 256);
    }
    return b;
}

/* Read the whole file in blocks of `block` bytes with `threads`; check the bytes; return the hash.
 */
static void read_all(const char *path, int threads, size_t block, int hash_first,
                     const unsigned char *want, size_t n, char hex[65])
{
    pg_reader r;
    assert_int_equal(pg_reader_open(&r, path, 1), 0);
    r.threads = threads;
    size_t seen = 0;
    while (!r.eof) {
        assert_int_equal(pg_reader_fill(&r, block), 0);
        assert_true(seen + r.len <= n);
        assert_memory_equal(r.buf, want + seen, r.len);
        seen += r.len;
        if (hash_first) {
            assert_int_equal(pg_reader_hash_pending(&r), 0);
        }
        pg_reader_consume(&r, r.len);
    }
    assert_int_equal(seen, n);
    pg_reader_close(&r, hex);
    assert_int_equal(strlen(hex), 64);
}

static void test_parallel_read_equals_serial(void **state)
{
    (void)state;
    const char *dir = pg_test_tmpdir("reader");
    char path[600];
    snprintf(path, sizeof(path), "%s/big.bin", dir);
    uint64_t seed = pg_test_seed("reader bytes", 7);
    unsigned char *b = random_bytes(FILE_BYTES, seed);
    pg_test_write_file(path, b, FILE_BYTES);
    unsigned char d[32];
    unsigned int dl = 0;
    assert_int_equal(EVP_Digest(b, FILE_BYTES, d, &dl, EVP_sha256(), NULL), 1);
    char want[65], serial[65], parallel[65], odd[65], small[65];
    for (int i = 0; i < 32; i++) {
        snprintf(want + 2 * i, 3, "%02x", d[i]);
    }
    read_all(path, 1, (size_t)64 << 20, 0, b, FILE_BYTES, serial);
    read_all(path, 4, (size_t)64 << 20, 1, b, FILE_BYTES, parallel);
    read_all(path, 2, (size_t)9 << 20, 1, b, FILE_BYTES, odd);   /* several blocks, short last */
    read_all(path, 4, (size_t)1 << 20, 0, b, FILE_BYTES, small); /* below the parallel size */
    assert_string_equal(serial, want);
    assert_string_equal(parallel, want);
    assert_string_equal(odd, want);
    assert_string_equal(small, want);
    free(b);
}

static void test_empty_file(void **state)
{
    (void)state;
    const char *dir = pg_test_tmpdir("reader");
    char path[600];
    snprintf(path, sizeof(path), "%s/empty.bin", dir);
    pg_test_write_file(path, (const unsigned char *)"", 0);
    pg_reader r;
    assert_int_equal(pg_reader_open(&r, path, 0), 0);
    r.threads = 4;
    assert_int_equal(pg_reader_fill(&r, (size_t)64 << 20), 0);
    assert_int_equal(r.len, 0);
    assert_true(r.eof);
    pg_reader_close(&r, NULL);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_parallel_read_equals_serial),
        cmocka_unit_test(test_empty_file),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
