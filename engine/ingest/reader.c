/*
 * Block reader. We drive zlib's inflate ourselves (rather than gzread) so
 * that the raw bytes pass through our hands once: they are hashed as read,
 * and a gzip file cut short is reported as bad input instead of a silent
 * short read. The hash is OpenSSL's SHA-256, which uses the CPU's SHA
 * instructions where it has them: hashing a 1 GB input with portable C
 * took longer than parsing it.
 */
#include "ingest/reader.h"

#include <errno.h>
#include <string.h>
#include <sys/stat.h>

#include "core/alloc.h"
#include "core/error.h"
#include "core/pread.h"

#define RAW_CHUNK (1u << 20)

int pg_reader_open(pg_reader *r, const char *path, int hashing)
{
    memset(r, 0, sizeof(*r));
    r->path = path;
    r->f = fopen(path, "rb");
    if (!r->f) {
        return pg_error_set(PG_EIO, "%s: cannot open: %s", path, strerror(errno));
    }
    r->raw = pg_malloc(RAW_CHUNK);
    if (!r->raw) {
        fclose(r->f);
        r->f = NULL;
        return pg_error_oom("read buffer", RAW_CHUNK);
    }
    r->raw_cap = RAW_CHUNK;
    r->hashing = hashing;
    if (hashing) {
        r->sha = EVP_MD_CTX_new();
        if (!r->sha || EVP_DigestInit_ex(r->sha, EVP_sha256(), NULL) != 1) {
            pg_reader_close(r, NULL);
            return pg_error_set(PG_EDEP, "%s: OpenSSL SHA-256 could not be set up", path);
        }
    }
    int c0 = fgetc(r->f), c1 = fgetc(r->f);
    r->gz = (c0 == 0x1f && c1 == 0x8b);
    rewind(r->f);
    if (r->gz) {
        memset(&r->z, 0, sizeof(r->z));
        if (inflateInit2(&r->z, 15 + 16) != Z_OK) {
            pg_reader_close(r, NULL);
            return pg_error_set(PG_EDEP, "%s: zlib inflateInit2 failed", path);
        }
        r->z_live = 1;
    } else {
        struct stat st;
        if (fstat(fileno(r->f), &st) == 0 && S_ISREG(st.st_mode)) {
            r->sized = 1;
            r->size = (uint64_t)st.st_size;
        }
    }
    return 0;
}

/*
 * Reads of a sized file at least this large are cut into pieces read by
 * the threads at once: copying from the page cache and faulting in a fresh
 * block are per-page work that one thread did for the whole block while the
 * others waited (about a tenth of parsing a 64 MiB block).
 */
#define PG_PARALLEL_READ_MIN ((size_t)8 << 20)
#define PG_READ_PIECE ((size_t)2 << 20)

/* cap bytes of a sized file at offset bytes_on_disk into dst; *got short only at the end. */
static int read_sized(pg_reader *r, unsigned char *dst, size_t cap, size_t *got)
{
    int fd = fileno(r->f), e = 0;
    uint64_t off = r->bytes_on_disk;
    if (r->threads <= 1 || cap < PG_PARALLEL_READ_MIN) {
        e = pg_pread_full(fd, dst, cap, off, got);
        return e ? pg_error_set(PG_EIO, "%s: read error: %s", r->path, strerror(e)) : 0;
    }
    size_t pieces = (cap + PG_READ_PIECE - 1) / PG_READ_PIECE;
    size_t *n = pg_malloc_array(pieces, sizeof(*n));
    if (!n) {
        return pg_error_oom("read pieces", pieces * sizeof(*n));
    }
#pragma omp parallel for num_threads(r->threads) schedule(static) reduction(max : e)
    for (size_t i = 0; i < pieces; i++) {
        size_t lo = i * PG_READ_PIECE;
        size_t len = cap - lo < PG_READ_PIECE ? cap - lo : PG_READ_PIECE;
        int ei = pg_pread_full(fd, dst + lo, len, off + lo, &n[i]);
        e = ei > e ? ei : e;
    }
    /* the pieces must form a prefix: full ones, at most one short, then empty ones */
    size_t i = 0;
    *got = 0;
    while (i < pieces && n[i] == (i + 1 < pieces ? PG_READ_PIECE : cap - i * PG_READ_PIECE)) {
        *got += n[i++];
    }
    int changed = 0;
    if (i < pieces) {
        *got += n[i];
        while (++i < pieces) {
            changed |= n[i] != 0;
        }
    }
    pg_free(n);
    if (e) {
        return pg_error_set(PG_EIO, "%s: read error: %s", r->path, strerror(e));
    }
    return changed ? pg_error_set(PG_EIO, "%s: the file changed while it was read", r->path) : 0;
}

/* Read the next raw chunk from disk into dst, hashing it; *got bytes (0 at end of file). */
static int read_raw(pg_reader *r, unsigned char *dst, size_t cap, size_t *got)
{
    if (r->sized) {
        int err = read_sized(r, dst, cap, got);
        if (err < 0) {
            return err;
        }
        r->raw_eof |= *got < cap;
        r->unhashed += *got; /* hashed by pg_reader_hash_pending, maybe while being parsed */
    } else {
        *got = fread(dst, 1, cap, r->f);
        if (*got < cap) {
            if (ferror(r->f)) {
                return pg_error_set(PG_EIO, "%s: read error: %s", r->path, strerror(errno));
            }
            r->raw_eof = 1;
        }
        if (r->hashing && *got && EVP_DigestUpdate(r->sha, dst, *got) != 1) {
            return pg_error_set(PG_EDEP, "%s: OpenSSL SHA-256 failed", r->path);
        }
    }
    r->bytes_on_disk += *got;
    return 0;
}

static int ensure_room(pg_reader *r, size_t want)
{
    if (pg_grow((void **)&r->buf, &r->cap, r->len + want + 1, 1) < 0) {
        return pg_error_oom("input block", r->len + want + 1);
    }
    return 0;
}

static int fill_plain(pg_reader *r, size_t want)
{
    int err;
    /* a small file needs no block-sized buffer; one byte more to see the end */
    if (r->sized) {
        uint64_t left = r->size > r->bytes_on_disk ? r->size - r->bytes_on_disk : 0;
        if (want > left + 1) {
            want = (size_t)left + 1;
        }
    }
    if ((err = ensure_room(r, want)) < 0) {
        return err;
    }
    size_t got;
    if ((err = read_raw(r, (unsigned char *)r->buf + r->len, want, &got)) < 0) {
        return err;
    }
    r->len += got;
    if (r->raw_eof) {
        r->eof = 1;
    }
    return 0;
}

static int fill_gzip(pg_reader *r, size_t want)
{
    int err;
    if ((err = ensure_room(r, want)) < 0) {
        return err;
    }
    size_t target = r->len + want;
    while (r->len < target) {
        if (r->z.avail_in == 0) {
            if (r->raw_eof) {
                return pg_error_set(PG_EINPUT, "%s: gzip data cut short (truncated file)", r->path);
            }
            size_t got;
            if ((err = read_raw(r, r->raw, r->raw_cap, &got)) < 0) {
                return err;
            }
            r->z.next_in = r->raw;
            r->z.avail_in = (uInt)got;
            if (got == 0) {
                continue;
            }
        }
        r->z.next_out = (Bytef *)r->buf + r->len;
        r->z.avail_out = (uInt)(target - r->len);
        int zr = inflate(&r->z, Z_NO_FLUSH);
        r->len = (size_t)((char *)r->z.next_out - r->buf);
        if (zr == Z_STREAM_END) {
            /* another member may follow (concatenated gzip) */
            if (r->z.avail_in == 0 && r->raw_eof) {
                r->eof = 1;
                return 0;
            }
            if (r->z.avail_in == 0) {
                size_t got;
                if ((err = read_raw(r, r->raw, r->raw_cap, &got)) < 0 || got == 0) {
                    r->eof = 1;
                    return err;
                }
                r->z.next_in = r->raw;
                r->z.avail_in = (uInt)got;
            }
            inflateReset(&r->z);
        } else if (zr != Z_OK && zr != Z_BUF_ERROR) {
            return pg_error_set(PG_EINPUT, "%s: corrupt gzip data (%s)", r->path,
                                r->z.msg ? r->z.msg : "inflate failed");
        }
    }
    return 0;
}

int pg_reader_hash_pending(pg_reader *r)
{
    size_t n = r->unhashed;
    r->unhashed = 0;
    return r->hashing && n && EVP_DigestUpdate(r->sha, r->buf + r->len - n, n) != 1;
}

int pg_reader_fill(pg_reader *r, size_t want)
{
    if (r->hash_failed) {
        return pg_error_set(PG_EDEP, "%s: OpenSSL SHA-256 failed", r->path);
    }
    if (r->eof) {
        return 0;
    }
    return r->gz ? fill_gzip(r, want) : fill_plain(r, want);
}

void pg_reader_consume(pg_reader *r, size_t n)
{
    r->hash_failed |= pg_reader_hash_pending(r);
    if (n >= r->len) {
        r->len = 0;
        return;
    }
    memmove(r->buf, r->buf + n, r->len - n);
    r->len -= n;
}

void pg_reader_close(pg_reader *r, char hex[65])
{
    r->hash_failed |= pg_reader_hash_pending(r);
    if (hex) {
        hex[0] = '\0';
        unsigned char digest[EVP_MAX_MD_SIZE];
        unsigned int n = 0;
        if (r->sha && !r->hash_failed && EVP_DigestFinal_ex(r->sha, digest, &n) == 1 && n == 32) {
            for (unsigned int i = 0; i < n; i++) {
                snprintf(hex + 2 * i, 3, "%02x", digest[i]);
            }
        }
    }
    EVP_MD_CTX_free(r->sha);
    if (r->z_live) {
        inflateEnd(&r->z);
    }
    if (r->f) {
        fclose(r->f);
    }
    pg_free(r->raw);
    pg_free(r->buf);
    memset(r, 0, sizeof(*r));
}

int pg_read_file(const char *path, char **out, size_t *len)
{
    pg_reader r;
    int err = pg_reader_open(&r, path, 0);
    while (!err && !r.eof) {
        err = pg_reader_fill(&r, 1u << 20);
    }
    if (!err) {
        err = ensure_room(&r, 0);
    }
    if (err) {
        pg_reader_close(&r, NULL);
        return err;
    }
    r.buf[r.len] = '\0';
    *out = r.buf;
    *len = r.len;
    r.buf = NULL;
    pg_reader_close(&r, NULL);
    return 0;
}
