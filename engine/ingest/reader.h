/*
 * Streaming file reader for ingest: plain or gzip-compressed (detected by its
 * magic bytes, concatenated members allowed), delivering the decompressed
 * bytes into a growing buffer, and hashing the bytes as stored on disk with
 * SHA-256 (OpenSSL's libcrypto) for the pool's provenance record.
 */
#ifndef PG_INGEST_READER_H
#define PG_INGEST_READER_H

#include <stdint.h>
#include <stdio.h>

#include <openssl/evp.h>
#include <zlib.h>

typedef struct pg_reader {
    const char *path;
    FILE *f;
    int gz;     /* input is gzip */
    int z_live; /* inflate stream initialised */
    z_stream z;
    unsigned char *raw; /* compressed input buffer */
    size_t raw_cap;
    int raw_eof;
    int hashing;
    EVP_MD_CTX *sha; /* NULL when not hashing */
    size_t unhashed; /* bytes at the end of buf read but not yet hashed (plain files) */
    int hash_failed; /* an OpenSSL update failed outside a call that could report it */
    uint64_t bytes_on_disk;
    int threads;   /* > 1: large reads of a sized file run in parallel pieces */
    int sized;     /* size is known: a regular, uncompressed file, read with pread */
    uint64_t size; /* its bytes at open */
    char *buf;     /* decompressed data not yet consumed */
    size_t len;
    size_t cap;
    int eof; /* no more data will be appended */
} pg_reader;

/*
 * Open path; hash its bytes when hashing is set. PG_EIO naming the file on
 * failure. The caller may then set r->threads for parallel reads.
 */
int pg_reader_open(pg_reader *r, const char *path, int hashing);

/* Append up to `want` more bytes to r->buf (fewer at end of file; sets r->eof). */
int pg_reader_fill(pg_reader *r, size_t want);

/*
 * Hash the bytes of a plain file read since the last call. A plain file's
 * bytes are hashed apart from reading so that a caller may do it while
 * other threads parse the same bytes (safe against reads of buf, not
 * against fill or consume). Returns 0, or 1 when OpenSSL failed; sets no
 * error message, so it may run on any thread.
 */
int pg_reader_hash_pending(pg_reader *r);

/* Drop the first n bytes of r->buf (hashing any not yet hashed first). */
void pg_reader_consume(pg_reader *r, size_t n);

/* Close; writes the hex SHA-256 (or "" when not hashing) into hex[65] when hex is set. */
void pg_reader_close(pg_reader *r, char hex[65]);

/* Read a whole (possibly gzip) file into a NUL-terminated buffer; for small files. */
int pg_read_file(const char *path, char **out, size_t *len);

#endif
