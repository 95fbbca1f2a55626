/*
 * Parallel decoding of a chunked dataset. H5Dread inflates a column's
 * chunks one after another on one thread, and HDF5 1.10 is not thread-safe,
 * so loading a pool ran at zlib's single-core speed. Here the stored
 * (compressed) chunks are fetched serially with H5Dread_chunk, a cheap copy,
 * and then inflated and unshuffled in parallel, each chunk straight into its
 * place in the caller's buffer. The bytes are the ones H5Dread would give, so
 * the result does not depend on the thread count. The inflating is
 * libdeflate's (whole-buffer decompression, about three times zlib's
 * streaming inflate on these chunks, which was half of a load).
 *
 * Only what paygraph writes takes this path: a 1-D chunked dataset whose
 * stored type equals the memory type and whose filters are deflate,
 * optionally after shuffle, every chunk allocated. Anything else (no
 * compression, a file written by another tool with other filters, a
 * converted type, fill-value chunks) is read by H5Dread as before.
 *
 * Filters follow HDF5's own definitions: deflate is a zlib stream of the
 * whole chunk (H5Zdeflate.c); shuffle stores byte j of element i at
 * j * elements + i (H5Zshuffle.c). A bit set in a chunk's filter mask means
 * that filter was skipped for that chunk. Edge chunks are stored at full
 * chunk size; only the part inside the dataset is copied out.
 */
#include "store/h5util.h"

#include <stdint.h>
#include <string.h>

#include <libdeflate.h>

#include "core/alloc.h"
#include "core/error.h"

/* How a dataset's chunks are decoded. */
typedef struct chunk_plan {
    hsize_t chunk;   /* elements per chunk */
    size_t elem;     /* bytes per element */
    int shuffle_bit; /* filter-mask bit of shuffle, -1 when absent */
    int deflate_bit; /* filter-mask bit of deflate, -1 when absent */
    size_t nchunks;  /* chunks covering the dataset */
    hsize_t *stored; /* stored (filtered) bytes of each chunk */
} chunk_plan;

/* One chunk fetched from the file and waiting to be decoded. */
typedef struct chunk_job {
    unsigned char *raw;
    uint32_t mask;
    int status; /* 0, DECODE_BAD when the stored bytes do not decode, DECODE_OOM */
} chunk_job;

enum { DECODE_BAD = 1, DECODE_OOM = 2 };

/* Chunks fetched per round: bounds the compressed bytes held at once. */
#define PG_H5_CHUNKS_PER_ROUND 16

/*
 * Filters of dcpl: 1 when deflate, optionally after shuffle. Without
 * deflate there is nothing worth parallelising, and HDF5 1.10.8's
 * H5Dread_chunk trusts an unfiltered chunk's length beyond what
 * H5Dget_chunk_storage_size reports (found by fuzz_h5_chunk).
 */
static int plan_filters(chunk_plan *pl, hid_t dcpl)
{
    int nf = H5Pget_nfilters(dcpl);
    pl->shuffle_bit = pl->deflate_bit = -1;
    if (nf < 1 || nf > 2) {
        return 0;
    }
    for (int i = 0; i < nf; i++) {
        unsigned flags, config, cd[8];
        size_t ncd = sizeof(cd) / sizeof(cd[0]);
        H5Z_filter_t id = H5Pget_filter2(dcpl, (unsigned)i, &flags, &ncd, cd, 0, NULL, &config);
        if (id == H5Z_FILTER_SHUFFLE && i == 0) {
            pl->shuffle_bit = i;
        } else if (id == H5Z_FILTER_DEFLATE && pl->deflate_bit < 0) {
            pl->deflate_bit = i;
        } else {
            return 0;
        }
    }
    return pl->deflate_bit >= 0;
}

/* Stored bytes of every chunk: 1, 0 when one is unallocated (fill values), or an error. */
static int plan_sizes(chunk_plan *pl, pg_h5 *h, const char *name, hid_t ds, hsize_t file_size)
{
    hsize_t bytes = pl->chunk * pl->elem;
    for (size_t c = 0; c < pl->nchunks; c++) {
        hsize_t off = (hsize_t)c * pl->chunk;
        if (H5Dget_chunk_storage_size(ds, &off, &pl->stored[c]) < 0 || pl->stored[c] == 0) {
            return 0;
        }
        /*
         * Deflate expands at most about 1032 times, so a chunk claiming more
         * than 2048 bytes per stored byte is damaged; it is refused here,
         * because H5Dread copies a full chunk out of a short inflated buffer.
         */
        if (pl->stored[c] > file_size || bytes / 2048 > pl->stored[c]) {
            return pg_error_set(PG_EINPUT,
                                "%s: %s: chunk %zu claims %llu stored bytes (corrupt file)",
                                h->path, name, c, (unsigned long long)pl->stored[c]);
        }
    }
    return 1;
}

/*
 * Whether ds can be decoded here: 1 (pl filled, pl->stored allocated), 0
 * (leave it to H5Dread) or an error for a damaged dataset.
 */
static int plan(chunk_plan *pl, pg_h5 *h, const char *name, hid_t ds, hid_t type, size_t n)
{
    memset(pl, 0, sizeof(*pl));
    hid_t ft = H5Dget_type(ds);
    int same_type = ft >= 0 && H5Tequal(ft, type) > 0;
    if (ft >= 0) {
        H5Tclose(ft);
    }
    hid_t dcpl = H5Dget_create_plist(ds);
    int ok = same_type && dcpl >= 0 && H5Pget_layout(dcpl) == H5D_CHUNKED &&
             H5Pget_chunk(dcpl, 1, &pl->chunk) == 1 && pl->chunk > 0 && plan_filters(pl, dcpl);
    if (dcpl >= 0) {
        H5Pclose(dcpl);
    }
    hsize_t file_size = 0;
    if (!ok || H5Fget_filesize(h->file, &file_size) < 0) {
        return 0;
    }
    pl->elem = H5Tget_size(type);
    if (pl->chunk > UINT32_MAX / pl->elem) { /* HDF5's own limit: 4 GiB per chunk */
        return 0;
    }
    pl->nchunks = (size_t)((n + pl->chunk - 1) / pl->chunk);
    pl->stored = pg_malloc_array(pl->nchunks, sizeof(*pl->stored));
    if (!pl->stored) {
        return pg_error_oom(name, pl->nchunks * sizeof(*pl->stored));
    }
    int st = plan_sizes(pl, h, name, ds, file_size);
    if (st != 1) {
        pg_free(pl->stored);
        pl->stored = NULL;
    }
    return st;
}

/*
 * dst[i * elem + j] = src[j * chunk + i] for the first count elements. The
 * element size is a constant in each call of the inline body, so the
 * compiler unrolls the byte loop; byte by byte with a variable size the
 * transposition cost as much as inflating.
 */
static inline void unshuffle_n(unsigned char *restrict dst, const unsigned char *restrict src,
                               size_t count, size_t chunk, size_t elem)
{
    for (size_t i = 0; i < count; i++) {
        for (size_t j = 0; j < elem; j++) {
            dst[i * elem + j] = src[j * chunk + i];
        }
    }
}

static void unshuffle(unsigned char *dst, const unsigned char *src, size_t count, size_t chunk,
                      size_t elem)
{
    switch (elem) {
    case 2:
        unshuffle_n(dst, src, count, chunk, 2);
        break;
    case 4:
        unshuffle_n(dst, src, count, chunk, 4);
        break;
    case 8:
        unshuffle_n(dst, src, count, chunk, 8);
        break;
    default:
        unshuffle_n(dst, src, count, chunk, elem);
        break;
    }
}

/*
 * Inflate the zlib stream in[0..n) into exactly `bytes` bytes of out:
 * 0, DECODE_BAD or DECODE_OOM. With check = 0 the stream's Adler-32 is not
 * computed (a raw inflate after the two header bytes): for a sealed pool
 * every byte was already hashed, and the checksum cost a tenth of a load.
 */
static int inflate_exact(unsigned char *out, size_t bytes, const unsigned char *in, size_t n,
                         int check)
{
    /* RFC 1950 header: method 8, window <= 32 KiB, no preset dictionary, FCHECK. */
    if (n < 6 || (in[0] & 0x0f) != 8 || (in[0] >> 4) > 7 || (in[1] & 0x20) ||
        ((unsigned)in[0] << 8 | in[1]) % 31 != 0) {
        return DECODE_BAD;
    }
    struct libdeflate_decompressor *d = libdeflate_alloc_decompressor();
    if (!d) {
        return DECODE_OOM;
    }
    /* a NULL size pointer: the stream must fill out exactly */
    enum libdeflate_result rc =
        check ? libdeflate_zlib_decompress(d, in, n, out, bytes, NULL)
              : libdeflate_deflate_decompress(d, in + 2, n - 2, out, bytes, NULL);
    libdeflate_free_decompressor(d);
    return rc == LIBDEFLATE_SUCCESS ? 0 : DECODE_BAD;
}

/* Decode one chunk into dst (count elements): 0, DECODE_BAD or DECODE_OOM. */
static int decode(unsigned char *dst, size_t count, const chunk_job *job, hsize_t stored,
                  const chunk_plan *pl, int check)
{
    size_t bytes = (size_t)pl->chunk * pl->elem;
    int inflate = pl->deflate_bit >= 0 && !(job->mask & (1u << pl->deflate_bit));
    int shuffle = pl->shuffle_bit >= 0 && !(job->mask & (1u << pl->shuffle_bit)) && pl->elem > 1;
    const unsigned char *src = job->raw;
    unsigned char *tmp = NULL;
    if (inflate && !shuffle && count == pl->chunk) {
        /* a whole unshuffled chunk: straight into its place, no copy */
        return inflate_exact(dst, bytes, job->raw, (size_t)stored, check);
    }
    if (inflate) {
        tmp = pg_malloc(bytes ? bytes : 1);
        if (!tmp) {
            return DECODE_OOM;
        }
        int st = inflate_exact(tmp, bytes, job->raw, (size_t)stored, check);
        if (st) {
            pg_free(tmp);
            return st;
        }
        src = tmp;
    } else if (stored != bytes) {
        return DECODE_BAD;
    }
    if (shuffle) {
        unshuffle(dst, src, count, (size_t)pl->chunk, pl->elem);
    } else {
        memcpy(dst, src, count * pl->elem);
    }
    pg_free(tmp);
    return 0;
}

/* Fetch chunks [first, first + len) serially, decode them in parallel. */
static int run_round(pg_h5 *h, const char *name, hid_t ds, const chunk_plan *pl,
                     unsigned char *data, size_t n, size_t first, size_t len, chunk_job *jobs)
{
    int err = PG_OK;
    for (size_t i = 0; i < len; i++) {
        jobs[i].raw = NULL;
    }
    for (size_t i = 0; i < len && !err; i++) {
        hsize_t off = (hsize_t)(first + i) * pl->chunk;
        jobs[i].raw = pg_malloc((size_t)pl->stored[first + i]);
        jobs[i].status = 0;
        if (!jobs[i].raw) {
            err = pg_error_oom(name, (size_t)pl->stored[first + i]);
        } else if (H5Dread_chunk(ds, H5P_DEFAULT, &off, &jobs[i].mask, jobs[i].raw) < 0) {
            err = pg_error_set(PG_EINPUT, "%s: cannot read %s (corrupt or truncated file)", h->path,
                               name);
        }
    }
    int threads = h->threads > 0 ? h->threads : 1;
    (void)threads; /* used by OpenMP only */
    if (!err) {
#pragma omp parallel for num_threads(threads) schedule(dynamic, 1) if (len > 1)
        for (size_t i = 0; i < len; i++) {
            size_t c = first + i, at = c * (size_t)pl->chunk;
            size_t count = n - at < pl->chunk ? n - at : (size_t)pl->chunk;
            jobs[i].status =
                decode(data + at * pl->elem, count, &jobs[i], pl->stored[c], pl, !h->sealed);
        }
    }
    for (size_t i = 0; i < len; i++) {
        if (!err && jobs[i].status == DECODE_OOM) {
            err = pg_error_oom(name, (size_t)pl->chunk * pl->elem);
        } else if (!err && jobs[i].status) {
            err = pg_error_set(PG_EINPUT, "%s: %s: chunk %zu does not decode (corrupt file)",
                               h->path, name, first + i);
        }
        pg_free(jobs[i].raw);
    }
    return err;
}

int pg_h5__read_chunks(pg_h5 *h, const char *name, hid_t ds, hid_t type, void *data, size_t n)
{
    chunk_plan pl;
    int st = plan(&pl, h, name, ds, type, n);
    if (st <= 0) {
        return st < 0 ? st : PG_H5_NOT_CHUNKED;
    }
    chunk_job jobs[PG_H5_CHUNKS_PER_ROUND];
    int err = PG_OK;
    for (size_t c = 0; c < pl.nchunks && !err; c += PG_H5_CHUNKS_PER_ROUND) {
        size_t len =
            pl.nchunks - c < PG_H5_CHUNKS_PER_ROUND ? pl.nchunks - c : PG_H5_CHUNKS_PER_ROUND;
        err = run_round(h, name, ds, &pl, data, n, c, len, jobs);
    }
    pg_free(pl.stored);
    return err;
}
