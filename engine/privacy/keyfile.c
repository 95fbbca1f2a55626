/*
 * The working group's pseudonymisation key: generated with libsodium's
 * randombytes, stored in a file only its owner may read, or taken from the
 * environment (hex), never from the command line where `ps` and shell
 * histories would show it.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <sodium.h>

#include "core/error.h"
#include "paygraph/privacy.h"

#define KEY_HEADER "# paygraph key v1 (HMAC-SHA256 pseudonymisation key; keep secret)\n"
/* A key file is a few lines; anything longer is not a key file. */
#define KEY_FILE_MAX 4096

int pg_key_generate(pg_key *out)
{
    if (sodium_init() < 0) {
        return pg_error_set(PG_EDEP, "libsodium failed to initialise");
    }
    randombytes_buf(out->bytes, sizeof(out->bytes));
    return 0;
}

void pg_key_wipe(pg_key *key)
{
    sodium_memzero(key, sizeof(*key));
}

int pg_key_write(const char *path, const pg_key *key)
{
    char hex[2 * PG_KEY_BYTES + 2];
    sodium_bin2hex(hex, sizeof(hex), key->bytes, sizeof(key->bytes));
    size_t n = strlen(hex);
    hex[n++] = '\n';
    int fd = open(path, O_WRONLY | O_CREAT | O_EXCL, 0600);
    if (fd < 0) {
        int e = errno;
        sodium_memzero(hex, sizeof(hex));
        return pg_error_set(PG_EIO, "%s: cannot create the key file: %s%s", path, strerror(e),
                            e == EEXIST ? " (a key is never overwritten)" : "");
    }
    int ok = write(fd, KEY_HEADER, strlen(KEY_HEADER)) == (ssize_t)strlen(KEY_HEADER) &&
             write(fd, hex, n) == (ssize_t)n && fsync(fd) == 0;
    ok = close(fd) == 0 && ok;
    sodium_memzero(hex, sizeof(hex));
    if (!ok) {
        unlink(path);
        return pg_error_set(PG_EIO, "%s: cannot write the key file", path);
    }
    return 0;
}

/* Decode text (hex or base64, surrounding blanks ignored) into a key. */
static int decode_key(pg_key *out, const char *text, size_t len, const char *what)
{
    size_t got = 0;
    const char *end = NULL;
    while (len && (text[len - 1] == '\n' || text[len - 1] == '\r' || text[len - 1] == ' ')) {
        len--;
    }
    while (len && (*text == ' ' || *text == '\t')) {
        text++;
        len--;
    }
    if (len == 2 * PG_KEY_BYTES &&
        sodium_hex2bin(out->bytes, sizeof(out->bytes), text, len, NULL, &got, &end) == 0 &&
        got == PG_KEY_BYTES && end == text + len) {
        return 0;
    }
    if (sodium_base642bin(out->bytes, sizeof(out->bytes), text, len, NULL, &got, &end,
                          sodium_base64_VARIANT_ORIGINAL) == 0 &&
        got == PG_KEY_BYTES && end == text + len) {
        return 0;
    }
    pg_key_wipe(out);
    return pg_error_set(PG_EINVAL, "%s: not a %d-byte key in hex (64 digits) or base64", what,
                        PG_KEY_BYTES);
}

int pg_key_parse_hex(pg_key *out, const char *hex)
{
    return decode_key(out, hex, strlen(hex), PG_KEY_ENV);
}

/* Contents after '#' comment lines and blank lines. */
static const char *skip_comments(const char *s)
{
    while (*s == '#' || *s == '\n' || *s == '\r') {
        const char *nl = strchr(s, '\n');
        if (!nl) {
            return s + strlen(s);
        }
        s = nl + 1;
    }
    return s;
}

int pg_key_read(pg_key *out, const char *path)
{
    char buf[KEY_FILE_MAX + 1];
    int fd = open(path, O_RDONLY);
    if (fd < 0) {
        return pg_error_set(PG_EIO, "%s: cannot open the key file: %s", path, strerror(errno));
    }
    struct stat st;
    if (fstat(fd, &st) != 0 || !S_ISREG(st.st_mode)) {
        close(fd);
        return pg_error_set(PG_EINVAL, "%s: the key file is not a regular file", path);
    }
    if (st.st_mode & 077) {
        close(fd);
        return pg_error_set(PG_EINVAL,
                            "%s: the key file may be read by others (mode %03o); "
                            "run 'chmod 600 %s'",
                            path, (unsigned)(st.st_mode & 0777), path);
    }
    ssize_t n = read(fd, buf, KEY_FILE_MAX + 1);
    close(fd);
    if (n < 0 || n > KEY_FILE_MAX) {
        sodium_memzero(buf, sizeof(buf));
        return pg_error_set(n < 0 ? PG_EIO : PG_EINVAL, "%s: %s", path,
                            n < 0 ? "cannot read the key file" : "too long for a key file");
    }
    buf[n] = '\0';
    const char *body = skip_comments(buf);
    int err = decode_key(out, body, strlen(body), path);
    sodium_memzero(buf, sizeof(buf));
    return err;
}

int pg_key_load(pg_key *out, const char *path)
{
    if (sodium_init() < 0) {
        return pg_error_set(PG_EDEP, "libsodium failed to initialise");
    }
    if (path) {
        return pg_key_read(out, path);
    }
    const char *env = getenv(PG_KEY_ENV);
    if (!env || !*env) {
        return pg_error_set(PG_EINVAL, "no key: give --key-file KEY or set %s (hex)", PG_KEY_ENV);
    }
    return pg_key_parse_hex(out, env);
}
