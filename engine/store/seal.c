/*
 * Seal of a pool file (and of a community results file, which a later run
 * reads back as its warm start): a magic line, the content length and a
 * hash of every byte after the user block, written into the HDF5 user
 * block, which HDF5 itself never reads.
 *
 * Why: HDF5 1.10 can crash on a damaged file (heap overflows on corrupt
 * object headers, found by fuzz_pool), and a pool file travels between
 * institutions and batch jobs. The seal is checked before HDF5 opens the
 * file, so a truncated copy or a flipped bit is refused with a clear error
 * instead of reaching the parser. It is an integrity check, not an
 * authenticity one: a file crafted on purpose with a matching hash still
 * reaches HDF5, so pool files from outside the trusted pipeline should be
 * rebuilt from their CSV inputs.
 *
 * Version 2 (written since): a hash list, as BitTorrent's piece hashes or
 * the Glacier tree hash: SHA-256 of each 1 MiB piece of the content, and
 * SHA-256 of those digests in order as the seal. The pieces are hashed by
 * the threads at once, where version 1's single BLAKE2b-256 stream
 * (libsodium) was a sixth of loading a pool and could not be split; OpenSSL's
 * SHA-256 also runs on the CPU's SHA instructions.
 *
 * Version 3 (written since): the same hash list with XXH3-128 (xxHash) in
 * place of SHA-256. The seal guards against damage in transit or on disk,
 * not against forgery (see above), which is the job a non-cryptographic
 * 128-bit checksum is made for: it runs at about 12 GB/s per core where
 * SHA-256 ran at 1.5, and SHA-256 had been an eighth of loading a pool
 * (0.05 of 0.40 s for 10M transactions). Version 1 and 2 seals are still
 * checked.
 *
 * Complexity: one read of the file, in parallel pieces for versions 2 and 3.
 */
#include "store/seal.h"

#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>

#include <openssl/evp.h>
#include <sodium.h>
#include <xxhash.h>

#include "core/alloc.h"
#include "core/error.h"
#include "core/pread.h"

#define SEAL_MAGIC "paygraph pool seal v1\n"
#define SEAL_MAGIC_V2 "paygraph pool seal v2\n"
#define SEAL_MAGIC_V3 "paygraph pool seal v3\n"
#define SEAL_CHUNK (1u << 20)
#define SEAL_PIECE ((size_t)1 << 20)

/* Version 1: BLAKE2b-256 and length of everything after the user block. */
static int hash_content(FILE *f, const char *path, unsigned char out[32], uint64_t *len)
{
    unsigned char *buf = pg_malloc(SEAL_CHUNK);
    if (!buf) {
        return pg_error_oom("seal buffer", SEAL_CHUNK);
    }
    crypto_generichash_state st;
    crypto_generichash_init(&st, NULL, 0, 32);
    *len = 0;
    int err = fseek(f, PG_SEAL_BYTES, SEEK_SET) == 0 ? 0 : PG_EIO;
    size_t got;
    while (!err && (got = fread(buf, 1, SEAL_CHUNK, f)) > 0) {
        crypto_generichash_update(&st, buf, got);
        *len += got;
    }
    if (err || ferror(f)) {
        err = pg_error_set(PG_EIO, "%s: cannot read the file to check its seal", path);
    }
    crypto_generichash_final(&st, out, 32);
    pg_free(buf);
    return err;
}

/* A hash-list seal: its magic line, the name of its hash and the digest function. */
typedef struct seal_kind {
    const char *magic;
    const char *label;
    size_t dlen;                                                /* digest bytes, <= 32 */
    int (*digest)(const void *p, size_t n, unsigned char *out); /* 0 on success */
} seal_kind;

static int digest_sha256(const void *p, size_t n, unsigned char *out)
{
    unsigned int len = 0;
    return EVP_Digest(p, n, out, &len, EVP_sha256(), NULL) == 1 && len == 32 ? 0 : EIO;
}

static int digest_xxh3(const void *p, size_t n, unsigned char *out)
{
    XXH128_canonical_t c;
    XXH128_canonicalFromHash(&c, XXH3_128bits(p, n));
    memcpy(out, c.digest, sizeof(c.digest));
    return 0;
}

static const seal_kind seal_v2 = {SEAL_MAGIC_V2, "sha256-pieces-1MiB", 32, digest_sha256};
static const seal_kind seal_v3 = {SEAL_MAGIC_V3, "xxh3-128-pieces-1MiB", 16, digest_xxh3};

/* Digest of n bytes of fd at off into out; 0, or an errno value. */
static int hash_piece(const seal_kind *k, int fd, uint64_t off, size_t n, unsigned char *buf,
                      unsigned char *out)
{
    size_t got;
    int e = pg_pread_full(fd, buf, n, off, &got);
    if (e || got < n) {
        return e ? e : EIO; /* short: the file shrank under us */
    }
    return k->digest(buf, n, out);
}

/* Versions 2 and 3: the hash list of the content (see the file header) and its length. */
static int hash_pieces(const seal_kind *k, FILE *f, const char *path, int threads,
                       unsigned char *out, uint64_t *len)
{
    struct stat st;
    int fd = fileno(f);
    if (fstat(fd, &st) != 0 || st.st_size < PG_SEAL_BYTES) {
        return pg_error_set(PG_EIO, "%s: cannot read the file to check its seal", path);
    }
    *len = (uint64_t)st.st_size - PG_SEAL_BYTES;
    size_t pieces = (size_t)((*len + SEAL_PIECE - 1) / SEAL_PIECE);
    unsigned char *digests = pg_malloc_array(pieces ? pieces : 1, k->dlen);
    if (!digests) {
        return pg_error_oom("seal digests", pieces * k->dlen);
    }
    int bad = 0, oom = 0;
    (void)threads; /* used by OpenMP only */
#pragma omp parallel num_threads(threads > 0 ? threads : 1) if (pieces > 1) reduction(| : bad, oom)
    {
        unsigned char *buf = pg_malloc(SEAL_PIECE);
        oom |= buf == NULL;
#pragma omp for schedule(dynamic, 1)
        for (size_t i = 0; i < pieces; i++) {
            uint64_t off = PG_SEAL_BYTES + (uint64_t)i * SEAL_PIECE;
            size_t n = i + 1 < pieces ? SEAL_PIECE : (size_t)(*len - (uint64_t)i * SEAL_PIECE);
            bad |= buf && hash_piece(k, fd, off, n, buf, digests + k->dlen * i) != 0;
        }
        pg_free(buf);
    }
    if (!bad && !oom && k->digest(digests, pieces * k->dlen, out) != 0) {
        bad = 1;
    }
    pg_free(digests);
    if (oom) {
        /* set here: a message set on a worker thread is not this thread's */
        return pg_error_oom("seal buffer", SEAL_PIECE);
    }
    return bad ? pg_error_set(PG_EIO, "%s: cannot read the file to check its seal", path) : 0;
}

/* The user block of a hash-list seal: magic, length, hash. */
static void seal_text(const seal_kind *k, char *block, size_t size, uint64_t len,
                      const unsigned char *hash)
{
    int n = snprintf(block, size, "%slength %" PRIu64 "\n%s ", k->magic, len, k->label);
    sodium_bin2hex(block + n, size - (size_t)n, hash, k->dlen);
}

int pg_seal_write(const char *path, int threads)
{
    if (sodium_init() < 0) {
        return pg_error_set(PG_EDEP, "libsodium failed to initialise");
    }
    FILE *f = fopen(path, "r+b");
    if (!f) {
        return pg_error_set(PG_EIO, "%s: cannot open to seal", path);
    }
    unsigned char hash[32];
    char block[PG_SEAL_BYTES] = {0};
    uint64_t len = 0;
    int err = hash_pieces(&seal_v3, f, path, threads, hash, &len);
    if (!err) {
        seal_text(&seal_v3, block, sizeof(block), len, hash);
        if (fseek(f, 0, SEEK_SET) != 0 || fwrite(block, 1, sizeof(block), f) != sizeof(block)) {
            err = pg_error_set(PG_EIO, "%s: cannot write the seal", path);
        }
    }
    if (fclose(f) != 0 && !err) {
        err = pg_error_set(PG_EIO, "%s: cannot write the seal", path);
    }
    return err;
}

/* The seal text the content of f would have under the version its block names. */
static int expected_seal(FILE *f, const char *path, const char *block, int threads, char *want,
                         size_t size)
{
    unsigned char hash[32];
    uint64_t len = 0;
    int err;
    const seal_kind *k = strncmp(block, SEAL_MAGIC_V3, strlen(SEAL_MAGIC_V3)) == 0   ? &seal_v3
                         : strncmp(block, SEAL_MAGIC_V2, strlen(SEAL_MAGIC_V2)) == 0 ? &seal_v2
                                                                                     : NULL;
    if (k) {
        if ((err = hash_pieces(k, f, path, threads, hash, &len)) == 0) {
            seal_text(k, want, size, len, hash);
        }
        return err;
    }
    if ((err = hash_content(f, path, hash, &len)) == 0) {
        char have[2 * 32 + 1];
        sodium_bin2hex(have, sizeof(have), hash, sizeof(hash));
        snprintf(want, size, "%slength %" PRIu64 "\nblake2b-256 %s", SEAL_MAGIC, len, have);
    }
    return err;
}

int pg_seal_check(const char *path, int threads, const char *kind, const char *redo)
{
    if (sodium_init() < 0) {
        return pg_error_set(PG_EDEP, "libsodium failed to initialise");
    }
    FILE *f = fopen(path, "rb");
    if (!f) {
        return pg_error_set(PG_EIO, "%s: cannot open (missing or unreadable)", path);
    }
    char block[PG_SEAL_BYTES + 1] = {0};
    size_t got = fread(block, 1, PG_SEAL_BYTES, f);
    if (got != PG_SEAL_BYTES || (strncmp(block, SEAL_MAGIC, strlen(SEAL_MAGIC)) != 0 &&
                                 strncmp(block, SEAL_MAGIC_V2, strlen(SEAL_MAGIC_V2)) != 0 &&
                                 strncmp(block, SEAL_MAGIC_V3, strlen(SEAL_MAGIC_V3)) != 0)) {
        fclose(f);
        return pg_error_set(PG_EINPUT,
                            "%s: not a sealed paygraph %s (damaged, or written by an older "
                            "paygraph: %s)",
                            path, kind, redo);
    }
    char want[PG_SEAL_BYTES];
    int err = expected_seal(f, path, block, threads, want, sizeof(want));
    fclose(f);
    if (err) {
        return err;
    }
    if (strcmp(block, want) != 0) {
        return pg_error_set(PG_EINPUT,
                            "%s: damaged %s (its content does not match its seal); refusing to "
                            "parse it",
                            path, kind);
    }
    return 0;
}
