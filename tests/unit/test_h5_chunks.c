/*
 * Parallel chunk decoding (engine/store/h5_chunks.c) against HDF5's own
 * reader: columns of several chunks with a partial last chunk, with and
 * without shuffle + deflate, read with 1, 2 and 4 threads, equal the values
 * written and what H5Dread returns (uncompressed columns are left to
 * H5Dread); chunks whose filters were skipped (a filter mask), layouts and
 * types it does not decode (contiguous, big-endian) and a damaged chunk;
 * and the parallel chunk encoder against the same readers.
 */
#include "test_support.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <zlib.h>

#include "core/error.h"
#include "core/rng.h"
#include "store/h5util.h"

/* Chunk elements pg_h5_write uses, as read back from the file. */
static hsize_t chunk_of(pg_h5 *h, const char *name)
{
    hid_t ds = H5Dopen2(h->file, name, H5P_DEFAULT);
    hid_t dcpl = H5Dget_create_plist(ds);
    hsize_t c = 0;
    assert_int_equal(H5Pget_chunk(dcpl, 1, &c), 1);
    H5Pclose(dcpl);
    H5Dclose(ds);
    return c;
}

static void *random_bytes(size_t bytes, uint64_t seed)
{
    unsigned char *b = malloc(bytes);
    pg_rng rng;
    pg_rng_init(&rng, seed, 1);
    for (size_t i = 0; i < bytes; i++) {
        /* Few distinct values, so deflate has something to do. */
        b[i] = (unsigned char)pg_rng_below(&rng, 7);
    }
    return b;
}

/*
 * Read name with 1, 2 and 4 threads and with H5Dread; all equal want. The
 * parallel decoder must take (chunked = 1) or decline (0) the dataset.
 */
static void check_reads(pg_h5 *h, const char *name, hid_t type, const void *want, size_t n,
                        int chunked)
{
    size_t bytes = n * H5Tget_size(type);
    void *got = malloc(bytes);
    hid_t d = H5Dopen2(h->file, name, H5P_DEFAULT);
    h->threads = 2;
    assert_int_equal(pg_h5__read_chunks(h, name, d, type, got, n),
                     chunked ? PG_OK : PG_H5_NOT_CHUNKED);
    H5Dclose(d);
    int threads[] = {1, 2, 4};
    for (int t = 0; t < 6; t++) {
        h->threads = threads[t % 3];
        h->sealed = t >= 3; /* checksums skipped, as for a sealed pool */
        memset(got, 0xAB, bytes);
        assert_int_equal(pg_h5_read_into(h, name, type, got, n), PG_OK);
        assert_memory_equal(got, want, bytes);
    }
    h->sealed = 0;
    hid_t ds = H5Dopen2(h->file, name, H5P_DEFAULT);
    memset(got, 0xAB, bytes);
    assert_true(H5Dread(ds, type, H5S_ALL, H5S_ALL, H5P_DEFAULT, got) >= 0);
    H5Dclose(ds);
    assert_memory_equal(got, want, bytes);
    free(got);
}

static void path_in(char *buf, size_t cap, const char *dir, const char *file)
{
    snprintf(buf, cap, "%s/%s", pg_test_tmpdir(dir), file);
}

static void test_round_trip_types(void **state)
{
    (void)state;
    uint64_t seed = pg_test_seed("h5 chunks round trip", 31);
    char path[600];
    path_in(path, sizeof(path), "h5chunks-rt", "cols.h5");
    hid_t types[] = {H5T_NATIVE_UINT8, H5T_NATIVE_UINT16, H5T_NATIVE_UINT32, H5T_NATIVE_INT64};
    for (int level = 0; level <= 1; level++) {
        pg_h5 h;
        assert_int_equal(pg_h5_create(&h, path, level, 0), PG_OK);
        assert_int_equal(pg_h5_write(&h, "/probe", H5T_NATIVE_UINT8, "x", 1), PG_OK);
        void *cols[4];
        size_t ns[4];
        for (int i = 0; i < 4; i++) {
            /* Several chunks and a partial last one; the first column a single short chunk. */
            ns[i] = i == 0 ? 1000 : (size_t)(3 << 18) + 12345 * (size_t)i;
            cols[i] = random_bytes(ns[i] * H5Tget_size(types[i]), seed + (uint64_t)i);
            char name[32];
            snprintf(name, sizeof(name), "/c%d", i);
            assert_int_equal(pg_h5_write(&h, name, types[i], cols[i], ns[i]), PG_OK);
        }
        assert_int_equal(pg_h5_close(&h), PG_OK);
        assert_int_equal(pg_h5_open(&h, path), PG_OK);
        assert_true(chunk_of(&h, "/c1") < ns[1]);
        for (int i = 0; i < 4; i++) {
            char name[32];
            snprintf(name, sizeof(name), "/c%d", i);
            check_reads(&h, name, types[i], cols[i], ns[i], level > 0);
            free(cols[i]);
        }
        assert_int_equal(pg_h5_close(&h), PG_OK);
    }
}

/*
 * Chunks encoded in parallel (h5_chunk_write.c): columns of every element
 * size whose lengths sit around chunk boundaries (a partial chunk, exactly
 * one, one element more, several and a partial), written with 1, 2 and 4
 * threads, read back equal by HDF5's own pipeline (H5Dread) and by the
 * parallel reader, and the files identical byte for byte.
 */
static void test_parallel_write(void **state)
{
    (void)state;
    uint64_t seed = pg_test_seed("h5 chunks parallel write", 37);
    hid_t types[] = {H5T_NATIVE_UINT8, H5T_NATIVE_UINT16, H5T_NATIVE_UINT32, H5T_NATIVE_INT64};
    const size_t chunk = (size_t)1 << 18;
    const size_t lens[] = {1, chunk - 1, chunk, chunk + 1, 3 * chunk + 5};
    enum { T = 4, L = sizeof(lens) / sizeof(lens[0]) };
    void *cols[T][L];
    for (int i = 0; i < T; i++) {
        for (int k = 0; k < L; k++) {
            cols[i][k] =
                random_bytes(lens[k] * H5Tget_size(types[i]), seed + (uint64_t)(i * L + k));
        }
    }
    char path[3][600];
    static const int threads[3] = {1, 2, 4};
    for (int t = 0; t < 3; t++) {
        char file[32];
        snprintf(file, sizeof(file), "w%d.h5", threads[t]);
        path_in(path[t], sizeof(path[t]), "h5chunks-w", file);
        pg_h5 h;
        assert_int_equal(pg_h5_create(&h, path[t], 1, 0), PG_OK);
        h.threads = threads[t];
        for (int i = 0; i < T; i++) {
            for (int k = 0; k < L; k++) {
                char name[32];
                snprintf(name, sizeof(name), "/c%d_%d", i, k);
                assert_int_equal(pg_h5_write(&h, name, types[i], cols[i][k], lens[k]), PG_OK);
            }
        }
        assert_int_equal(pg_h5_close(&h), PG_OK);
    }
    pg_h5 h;
    assert_int_equal(pg_h5_open(&h, path[1]), PG_OK);
    for (int i = 0; i < T; i++) {
        for (int k = 0; k < L; k++) {
            char name[32];
            snprintf(name, sizeof(name), "/c%d_%d", i, k);
            check_reads(&h, name, types[i], cols[i][k], lens[k], 1);
            free(cols[i][k]);
        }
    }
    assert_int_equal(pg_h5_close(&h), PG_OK);
    size_t len0, len;
    char *first = pg_test_read_file(path[0], &len0);
    for (int t = 1; t < 3; t++) {
        char *other = pg_test_read_file(path[t], &len);
        assert_int_equal(len, len0);
        assert_memory_equal(other, first, len);
        free(other);
    }
    free(first);
}

/* Shuffle the way H5Zshuffle does: byte j of element i to j * count + i. */
static void shuffle(unsigned char *dst, const unsigned char *src, size_t count, size_t elem)
{
    for (size_t i = 0; i < count; i++) {
        for (size_t j = 0; j < elem; j++) {
            dst[j * count + i] = src[i * elem + j];
        }
    }
}

/* A column of uint32 whose chunk 1 is stored with `mask`'s filters skipped. */
static void write_masked(pg_h5 *h, const char *name, uint32_t *v, size_t n, uint32_t mask)
{
    assert_int_equal(pg_h5_write(h, name, H5T_NATIVE_UINT32, v, n), PG_OK);
    hsize_t c = chunk_of(h, name);
    assert_true(2 * c <= n);
    for (size_t i = 0; i < c; i++) {
        v[c + i] = (uint32_t)(i * 2654435761u);
    }
    size_t bytes = c * 4;
    unsigned char *sh = malloc(bytes), *z = malloc(compressBound(bytes));
    const unsigned char *raw = (const unsigned char *)(v + c);
    if (!(mask & 1)) {
        shuffle(sh, raw, c, 4);
    } else {
        memcpy(sh, raw, bytes);
    }
    const void *stored = sh;
    size_t stored_bytes = bytes;
    if (!(mask & 2)) {
        uLongf zl = compressBound(bytes);
        assert_int_equal(compress2(z, &zl, sh, bytes, 1), Z_OK);
        stored = z;
        stored_bytes = zl;
    }
    hid_t ds = H5Dopen2(h->file, name, H5P_DEFAULT);
    hsize_t off = c;
    assert_true(H5Dwrite_chunk(ds, H5P_DEFAULT, mask, &off, stored_bytes, stored) >= 0);
    H5Dclose(ds);
    free(sh);
    free(z);
}

static void test_filter_mask(void **state)
{
    (void)state;
    char path[600];
    path_in(path, sizeof(path), "h5chunks-mask", "mask.h5");
    size_t n = (size_t)(2 << 18) + 777;
    uint32_t *want[4];
    pg_h5 h;
    assert_int_equal(pg_h5_create(&h, path, 1, 0), PG_OK);
    for (uint32_t mask = 0; mask < 4; mask++) {
        want[mask] = random_bytes(n * 4, 900 + mask);
        char name[32];
        snprintf(name, sizeof(name), "/m%u", mask);
        write_masked(&h, name, want[mask], n, mask);
    }
    assert_int_equal(pg_h5_close(&h), PG_OK);
    assert_int_equal(pg_h5_open(&h, path), PG_OK);
    for (uint32_t mask = 0; mask < 4; mask++) {
        char name[32];
        snprintf(name, sizeof(name), "/m%u", mask);
        check_reads(&h, name, H5T_NATIVE_UINT32, want[mask], n, 1);
        free(want[mask]);
    }
    assert_int_equal(pg_h5_close(&h), PG_OK);
}

/* Contiguous layout and a big-endian stored type: read through H5Dread's conversion. */
static void test_fallback_layouts(void **state)
{
    (void)state;
    char path[600];
    path_in(path, sizeof(path), "h5chunks-fallback", "other.h5");
    size_t n = 5000;
    uint32_t *v = random_bytes(n * 4, 5);
    hid_t f = H5Fcreate(path, H5F_ACC_TRUNC, H5P_DEFAULT, H5P_DEFAULT);
    hsize_t dims[1] = {n}, chunk[1] = {1024};
    hid_t space = H5Screate_simple(1, dims, NULL);
    hid_t ds = H5Dcreate2(f, "/contiguous", H5T_NATIVE_UINT32, space, H5P_DEFAULT, H5P_DEFAULT,
                          H5P_DEFAULT);
    assert_true(H5Dwrite(ds, H5T_NATIVE_UINT32, H5S_ALL, H5S_ALL, H5P_DEFAULT, v) >= 0);
    H5Dclose(ds);
    hid_t dcpl = H5Pcreate(H5P_DATASET_CREATE);
    H5Pset_chunk(dcpl, 1, chunk);
    H5Pset_deflate(dcpl, 6);
    ds = H5Dcreate2(f, "/bigendian", H5T_STD_U32BE, space, H5P_DEFAULT, dcpl, H5P_DEFAULT);
    assert_true(H5Dwrite(ds, H5T_NATIVE_UINT32, H5S_ALL, H5S_ALL, H5P_DEFAULT, v) >= 0);
    H5Dclose(ds);
    H5Pclose(dcpl);
    H5Sclose(space);
    H5Fclose(f);
    pg_h5 h;
    assert_int_equal(pg_h5_open(&h, path), PG_OK);
    check_reads(&h, "/contiguous", H5T_NATIVE_UINT32, v, n, 0);
    check_reads(&h, "/bigendian", H5T_NATIVE_UINT32, v, n, 0);
    assert_int_equal(pg_h5_close(&h), PG_OK);
    free(v);
}

/*
 * A chunk whose stored bytes are not a zlib stream is reported, naming the
 * dataset and the chunk; so is one too small to expand to a chunk, before
 * HDF5 could copy a full chunk out of its short output.
 */
static void test_damaged_chunk(void **state)
{
    (void)state;
    char path[600];
    path_in(path, sizeof(path), "h5chunks-damaged", "bad.h5");
    size_t n = (size_t)(3 << 18);
    uint32_t *v = random_bytes(n * 4, 6);
    pg_h5 h;
    assert_int_equal(pg_h5_create(&h, path, 1, 0), PG_OK);
    assert_int_equal(pg_h5_write(&h, "/col", H5T_NATIVE_UINT32, v, n), PG_OK);
    hid_t ds = H5Dopen2(h.file, "/col", H5P_DEFAULT);
    hsize_t c = chunk_of(&h, "/col"), off1 = c, off2 = 2 * c;
    assert_true(H5Dwrite_chunk(ds, H5P_DEFAULT, 0, &off1, 4096, v) >= 0);
    assert_true(H5Dwrite_chunk(ds, H5P_DEFAULT, 0, &off2, 64, v) >= 0);
    H5Dclose(ds);
    assert_int_equal(pg_h5_close(&h), PG_OK);
    assert_int_equal(pg_h5_open(&h, path), PG_OK);
    ds = H5Dopen2(h.file, "/col", H5P_DEFAULT);
    h.threads = 2;
    for (h.sealed = 0; h.sealed <= 1; h.sealed++) {
        assert_int_equal(pg_h5__read_chunks(&h, "/col", ds, H5T_NATIVE_UINT32, v, 2 * c),
                         PG_EINPUT);
        printf("# %s\n", pg_error_last());
        assert_non_null(strstr(pg_error_last(), "/col: chunk 1 does not decode"));
    }
    h.sealed = 0;
    assert_int_equal(pg_h5__read_chunks(&h, "/col", ds, H5T_NATIVE_UINT32, v, n), PG_EINPUT);
    H5Dclose(ds);
    assert_int_equal(pg_h5_read_into(&h, "/col", H5T_NATIVE_UINT32, v, n), PG_EINPUT);
    printf("# %s\n", pg_error_last());
    assert_non_null(strstr(pg_error_last(), "/col: chunk 2 claims 64 stored bytes"));
    assert_int_equal(pg_h5_close(&h), PG_OK);
    free(v);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_round_trip_types), cmocka_unit_test(test_parallel_write),
        cmocka_unit_test(test_filter_mask),      cmocka_unit_test(test_fallback_layouts),
        cmocka_unit_test(test_damaged_chunk),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
