/*
 * Fuzz target for the parallel chunk decoder (engine/store/h5_chunks.c),
 * with HDF5's own reader as the oracle. The input is
 *
 *   byte 0  element size: 1, 2, 4 or 8 bytes (low two bits); top bit: read
 *           as a sealed pool (chunk checksums skipped)
 *   byte 1  filter mask of the fuzzed chunk (low two bits)
 *   byte 2  filters: deflate, or shuffle + deflate when the low bit is set
 *           (the decoder leaves other pipelines to H5Dread)
 *   rest    the stored bytes of the dataset's second chunk
 *
 * A two-chunk dataset (the second one partial) is written with a known
 * first chunk, the second chunk's stored bytes are replaced with the input
 * (H5Dwrite_chunk), and the column is read both through pg_h5_read_into
 * with two threads and through H5Dread.
 *
 * Properties: pg_h5_read_into returns PG_OK or PG_EINPUT (never crashes,
 * never reads or writes outside the column); a chunk stored unfiltered at
 * the wrong size is refused; when it succeeds, H5Dread succeeds too (unless
 * the chunk checksums were skipped) and gives the same bytes. H5Dread is
 * asked only then: given a chunk that decodes to fewer bytes than a chunk,
 * HDF5 1.10.8 copies a full chunk out of the shorter buffer (a heap
 * overflow this target found in the oracle), which is why the decoder
 * insists on the exact length.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <hdf5.h>

#include "core/error.h"
#include "fuzz_check.h"
#include "store/h5util.h"

#define CHUNK 256
#define ELEMENTS (2 * CHUNK - 3)

static hid_t type_of(unsigned sel)
{
    switch (sel & 3) {
    case 0:
        return H5T_NATIVE_UINT8;
    case 1:
        return H5T_NATIVE_UINT16;
    case 2:
        return H5T_NATIVE_UINT32;
    default:
        return H5T_NATIVE_UINT64;
    }
}

/* Write the dataset with the input as chunk 1; 0 when HDF5 refused. */
static int write_file(const char *path, hid_t type, unsigned filters, uint32_t mask,
                      const uint8_t *stored, size_t nstored)
{
    unsigned char first[ELEMENTS * 8];
    for (size_t i = 0; i < sizeof(first); i++) {
        first[i] = (unsigned char)(i * 7 + 3);
    }
    hid_t f = H5Fcreate(path, H5F_ACC_TRUNC, H5P_DEFAULT, H5P_DEFAULT);
    hsize_t dims[1] = {ELEMENTS}, chunk[1] = {CHUNK}, off[1] = {CHUNK};
    hid_t space = H5Screate_simple(1, dims, NULL);
    hid_t dcpl = H5Pcreate(H5P_DATASET_CREATE);
    H5Pset_chunk(dcpl, 1, chunk);
    if (filters == 2) {
        H5Pset_shuffle(dcpl);
    }
    H5Pset_deflate(dcpl, 1);
    hid_t ds = H5Dcreate2(f, "/col", type, space, H5P_DEFAULT, dcpl, H5P_DEFAULT);
    int ok = ds >= 0 && H5Dwrite(ds, type, H5S_ALL, H5S_ALL, H5P_DEFAULT, first) >= 0 &&
             H5Dwrite_chunk(ds, H5P_DEFAULT, mask, off, nstored, stored) >= 0;
    if (ds >= 0) {
        H5Dclose(ds);
    }
    H5Pclose(dcpl);
    H5Sclose(space);
    return H5Fclose(f) >= 0 && ok;
}

/* Whether the fuzzed chunk passes through deflate (filter i is skipped when mask bit i is set). */
static int inflated(unsigned filters, uint32_t mask)
{
    return (filters == 1 && !(mask & 1)) || (filters == 2 && !(mask & 2));
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size < 4 || size > (1u << 16)) {
        return 0;
    }
    H5Eset_auto2(H5E_DEFAULT, NULL, NULL);
    hid_t type = type_of(data[0]);
    size_t elem = H5Tget_size(type);
    char dir[] = "/tmp/pgfuzz-h5chunk-XXXXXX";
    FUZZ_CHECK(mkdtemp(dir) != NULL);
    char path[64];
    snprintf(path, sizeof(path), "%s/c.h5", dir);
    unsigned filters = 1 + (data[2] & 1);
    if (write_file(path, type, filters, data[1] & 3, data + 3, size - 3)) {
        unsigned char *ours = malloc(ELEMENTS * elem), *theirs = malloc(ELEMENTS * elem);
        FUZZ_CHECK(ours && theirs);
        pg_h5 h;
        FUZZ_CHECK(pg_h5_open(&h, path) == PG_OK);
        h.threads = 2;
        h.sealed = data[0] >> 7; /* checksums skipped, as for a sealed pool */
        int st = pg_h5_read_into(&h, "/col", type, ours, ELEMENTS);
        FUZZ_CHECK(st == PG_OK || st == PG_EINPUT);
        if (!inflated(filters, data[1] & 3) && size - 3 != CHUNK * elem) {
            FUZZ_CHECK(st == PG_EINPUT);
        }
        if (st == PG_OK) {
            hid_t ds = H5Dopen2(h.file, "/col", H5P_DEFAULT);
            FUZZ_CHECK(ds >= 0);
            /* Only a skipped checksum lets the decoder accept what HDF5 refuses. */
            int ref = H5Dread(ds, type, H5S_ALL, H5S_ALL, H5P_DEFAULT, theirs) >= 0;
            H5Dclose(ds);
            FUZZ_CHECK(ref || h.sealed);
            FUZZ_CHECK(!ref || memcmp(ours, theirs, ELEMENTS * elem) == 0);
        }
        pg_h5_close(&h);
        free(ours);
        free(theirs);
    }
    unlink(path);
    rmdir(dir);
    return 0;
}
