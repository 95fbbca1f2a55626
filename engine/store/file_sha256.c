/*
 * SHA-256 of a whole file with OpenSSL's EVP interface, read in 1 MiB
 * blocks (the inputs of ingest are hashed the same way, in
 * ingest/reader.c, while they are parsed).
 */
#include "store/file_sha256.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>

#include <openssl/evp.h>

#include "core/alloc.h"
#include "core/error.h"

#define BLOCK (1u << 20)

/* Feed the whole of f into ctx; 0, or -1 when reading or hashing failed. */
static int digest_file(EVP_MD_CTX *ctx, FILE *f, unsigned char *buf)
{
    size_t got;
    while ((got = fread(buf, 1, BLOCK, f)) > 0) {
        if (EVP_DigestUpdate(ctx, buf, got) != 1) {
            return -1;
        }
    }
    return ferror(f) ? -1 : 0;
}

int pg_file_sha256(const char *path, char hex[65])
{
    hex[0] = '\0';
    FILE *f = fopen(path, "rb");
    if (!f) {
        return pg_error_set(PG_EIO, "%s: cannot open: %s", path, strerror(errno));
    }
    unsigned char *buf = pg_malloc(BLOCK);
    EVP_MD_CTX *ctx = EVP_MD_CTX_new();
    unsigned char digest[EVP_MAX_MD_SIZE];
    unsigned int n = 0;
    int err = PG_OK;
    if (!buf) {
        err = pg_error_oom("SHA-256 buffer", BLOCK);
    } else if (!ctx || EVP_DigestInit_ex(ctx, EVP_sha256(), NULL) != 1) {
        err = pg_error_set(PG_EDEP, "%s: OpenSSL SHA-256 could not be set up", path);
    } else if (digest_file(ctx, f, buf) != 0) {
        err = pg_error_set(PG_EIO, "%s: cannot read the file to hash it", path);
    } else if (EVP_DigestFinal_ex(ctx, digest, &n) != 1 || n != 32) {
        err = pg_error_set(PG_EDEP, "%s: OpenSSL SHA-256 failed", path);
    }
    for (unsigned int i = 0; !err && i < n; i++) {
        snprintf(hex + 2 * i, 3, "%02x", digest[i]);
    }
    EVP_MD_CTX_free(ctx);
    pg_free(buf);
    fclose(f);
    return err;
}
