/*
 * Parallel encoding of a chunked dataset, the mirror of h5_chunks.c.
 * H5Dwrite runs HDF5's filter pipeline (shuffle, then zlib's deflate) over
 * the chunks one after another on one thread, which made writing a pool
 * slower than parsing its CSV. Here each chunk is laid out as the pipeline
 * would see it - full chunk size, the part beyond the dataset's end zero
 * (HDF5's default fill value) - shuffled and deflated by the threads with
 * libdeflate, and the finished chunks are written in order with
 * H5Dwrite_chunk (HDF5 1.10 is not thread-safe; the write is a copy).
 *
 * The stored chunks are what the declared filters mean: a shuffle as
 * H5Zshuffle.c defines it (byte j of element i at j * elements + i) and a
 * zlib stream (RFC 1950, with its Adler-32), so any HDF5 reader (h5py,
 * pandas) decodes them through its own pipeline. A chunk's bytes depend on
 * its content alone, so the file is the same for any thread count.
 */
#include <string.h>

#include <libdeflate.h>

#include "core/alloc.h"
#include "core/error.h"
#include "core/par.h"
#include "store/h5util.h"

/* Chunks encoded per round: bounds the memory held (two buffers a chunk). */
#define PG_H5_WRITE_ROUND 16

typedef struct encoded {
    unsigned char *out;
    size_t len;
    int status; /* 0, or PG_ENOMEM */
} encoded;

/* HDF5's shuffle of one full chunk: byte j of element i to j * count + i. */
static void shuffle(unsigned char *restrict dst, const unsigned char *restrict src, size_t count,
                    size_t elem)
{
    for (size_t j = 0; j < elem; j++) {
        for (size_t i = 0; i < count; i++) {
            dst[j * count + i] = src[i * elem + j];
        }
    }
}

/* Encode chunk c of data (n elements of elem bytes, chunks of `chunk` elements) into e. */
static void encode(encoded *e, const unsigned char *data, size_t n, size_t elem, size_t chunk,
                   size_t c, int level)
{
    size_t bytes = chunk * elem, lo = c * chunk, count = n - lo < chunk ? n - lo : chunk;
    unsigned char *plain = pg_malloc(bytes), *tmp = elem > 1 ? pg_malloc(bytes) : NULL;
    struct libdeflate_compressor *z = libdeflate_alloc_compressor(level);
    size_t bound = z ? libdeflate_zlib_compress_bound(z, bytes) : 0;
    e->out = z ? pg_malloc(bound) : NULL;
    e->status = plain && (tmp || elem == 1) && e->out ? 0 : PG_ENOMEM;
    if (!e->status) {
        unsigned char *src = elem > 1 ? tmp : plain;
        memcpy(src, data + lo * elem, count * elem);
        memset(src + count * elem, 0, bytes - count * elem);
        if (elem > 1) {
            shuffle(plain, tmp, chunk, elem);
        }
        e->len = libdeflate_zlib_compress(z, plain, bytes, e->out, bound);
        e->status = e->len ? 0 : PG_ENOMEM; /* 0 only if the bound were wrong */
    }
    libdeflate_free_compressor(z);
    pg_free(plain);
    pg_free(tmp);
}

int pg_h5__write_chunks(pg_h5 *h, const char *name, hid_t ds, const void *data, size_t n,
                        size_t elem, size_t chunk)
{
    int threads = h->threads > 0 ? h->threads : 1, err = 0;
    size_t nchunks = (n + chunk - 1) / chunk;
    encoded jobs[PG_H5_WRITE_ROUND];
    (void)threads; /* used only by OpenMP pragmas */
    for (size_t c0 = 0; c0 < nchunks && !err; c0 += PG_H5_WRITE_ROUND) {
        int k = (int)(nchunks - c0 < PG_H5_WRITE_ROUND ? nchunks - c0 : PG_H5_WRITE_ROUND);
#pragma omp parallel for num_threads(threads) schedule(dynamic, 1)
        for (int i = 0; i < k; i++) {
            encode(&jobs[i], data, n, elem, chunk, c0 + (size_t)i, h->compression);
        }
        for (int i = 0; i < k; i++) {
            hsize_t offset[1] = {(hsize_t)((c0 + (size_t)i) * chunk)};
            if (!err && jobs[i].status) {
                err = pg_error_oom(name, chunk * elem * 2);
            }
            if (!err && H5Dwrite_chunk(ds, H5P_DEFAULT, 0, offset, jobs[i].len, jobs[i].out) < 0) {
                err = pg_error_set(PG_EIO, "%s: cannot write %s (disk full?)", h->path, name);
            }
            pg_free(jobs[i].out);
        }
    }
    return err;
}
