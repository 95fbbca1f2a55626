/*
 * Seal of a pool file: a magic line, the content length and a BLAKE2b-256
 * hash (libsodium's crypto_generichash) of every byte after the user block,
 * written into the HDF5 user block, which HDF5 itself never reads.
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
 * Complexity: one sequential read of the file.
 */
#include "store/seal.h"

#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include <sodium.h>

#include "core/alloc.h"
#include "core/error.h"

#define SEAL_MAGIC "paygraph pool seal v1\n"
#define SEAL_CHUNK (1u << 20)

/* Hash and length of everything after the user block. */
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

int pg_seal_write(const char *path)
{
    if (sodium_init() < 0) {
        return pg_error_set(PG_EDEP, "libsodium failed to initialise");
    }
    FILE *f = fopen(path, "r+b");
    if (!f) {
        return pg_error_set(PG_EIO, "%s: cannot open to seal", path);
    }
    unsigned char hash[32], block[PG_SEAL_BYTES] = {0};
    uint64_t len;
    int err = hash_content(f, path, hash, &len);
    if (!err) {
        int n = snprintf((char *)block, sizeof(block), "%slength %" PRIu64 "\nblake2b-256 ",
                         SEAL_MAGIC, len);
        sodium_bin2hex((char *)block + n, sizeof(block) - (size_t)n, hash, sizeof(hash));
        if (fseek(f, 0, SEEK_SET) != 0 || fwrite(block, 1, sizeof(block), f) != sizeof(block)) {
            err = pg_error_set(PG_EIO, "%s: cannot write the seal", path);
        }
    }
    if (fclose(f) != 0 && !err) {
        err = pg_error_set(PG_EIO, "%s: cannot write the seal", path);
    }
    return err;
}

int pg_seal_check(const char *path)
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
    if (got != PG_SEAL_BYTES || strncmp(block, SEAL_MAGIC, strlen(SEAL_MAGIC)) != 0) {
        fclose(f);
        return pg_error_set(PG_EINPUT,
                            "%s: not a sealed paygraph pool file (damaged, or written by an "
                            "older paygraph: ingest its inputs again)",
                            path);
    }
    unsigned char hash[32];
    char want[128], have[2 * 32 + 1];
    uint64_t len;
    int err = hash_content(f, path, hash, &len);
    fclose(f);
    if (err) {
        return err;
    }
    sodium_bin2hex(have, sizeof(have), hash, sizeof(hash));
    snprintf(want, sizeof(want), "%slength %" PRIu64 "\nblake2b-256 %s", SEAL_MAGIC, len, have);
    if (strcmp(block, want) != 0) {
        return pg_error_set(PG_EINPUT,
                            "%s: damaged pool file (its content does not match its seal); "
                            "refusing to parse it",
                            path);
    }
    return 0;
}
