/*
 * Identifier normalisation and pseudonyms (rules in paygraph/privacy.h).
 *
 * Normalising before hashing makes two spellings of one account number
 * ("DE44 5001-0517", "de4450010517") one pseudonym, so that files from
 * different systems of one institution, and entity tokens written by
 * different institutions, still link. The MAC input is length-prefixed and
 * domain-separated, so an account pseudonym can never equal an entity
 * pseudonym, nor an account pseudonym of another institution.
 * Cost: O(length) per identifier, one HMAC-SHA256.
 */
#include <string.h>

#include <sodium.h>

#include "paygraph/privacy.h"

static int removed(unsigned char c)
{
    return c == ' ' || c == '\t' || c == '-' || c == '.' || c == '/';
}

size_t pg_normalise_identifier(char *out, size_t cap, const char *s, size_t len)
{
    size_t n = 0;
    for (size_t i = 0; i < len; i++) {
        unsigned char c = (unsigned char)s[i];
        if (removed(c)) {
            continue;
        }
        if (c >= 'A' && c <= 'Z') {
            c = (unsigned char)(c - 'A' + 'a');
        }
        if (n + 1 < cap) {
            out[n] = (char)c;
        }
        n++;
    }
    if (cap) {
        out[n < cap ? n : cap - 1] = '\0';
    }
    return n;
}

/* RFC 4648 base32, lower case, no padding, of 16 bytes: 26 characters. */
static void base32_16(char out[PG_PSEUDONYM_BUFSZ], const unsigned char in[16])
{
    static const char alphabet[] = "abcdefghijklmnopqrstuvwxyz234567";
    unsigned buffer = 0;
    int bits = 0;
    size_t n = 0;
    for (size_t i = 0; i < 16; i++) {
        buffer = (buffer << 8) | in[i];
        bits += 8;
        while (bits >= 5) {
            out[n++] = alphabet[(buffer >> (bits - 5)) & 31];
            bits -= 5;
        }
    }
    if (bits > 0) {
        out[n++] = alphabet[(buffer << (5 - bits)) & 31];
    }
    out[n] = '\0';
}

/* A length as 8 big-endian bytes into the MAC. */
static void mac_length(crypto_auth_hmacsha256_state *st, size_t len)
{
    unsigned char be[8];
    for (int i = 0; i < 8; i++) {
        be[i] = (unsigned char)((uint64_t)len >> (56 - 8 * i));
    }
    crypto_auth_hmacsha256_update(st, be, sizeof(be));
}

/*
 * Identifiers are hashed in pieces of at most this many bytes, so that a
 * field of any length is normalised without an allocation.
 */
#define PIECE 256

/* Feed the normalised form of s to the MAC, length first. */
static void mac_normalised(crypto_auth_hmacsha256_state *st, const char *s, size_t len)
{
    char piece[PIECE + 1]; /* room for the NUL: a piece of PIECE bytes fits whole */
    mac_length(st, pg_normalise_identifier(piece, 0, s, len));
    for (size_t off = 0; off < len; off += PIECE) {
        size_t chunk = len - off < PIECE ? len - off : PIECE;
        size_t n = pg_normalise_identifier(piece, sizeof(piece), s + off, chunk);
        crypto_auth_hmacsha256_update(st, (const unsigned char *)piece, n);
    }
}

/* Feed the institution name, trimmed and ASCII case folded, length first. */
static void mac_institution(crypto_auth_hmacsha256_state *st, const char *s, size_t len)
{
    while (len && (*s == ' ' || *s == '\t')) {
        s++;
        len--;
    }
    while (len && (s[len - 1] == ' ' || s[len - 1] == '\t')) {
        len--;
    }
    mac_length(st, len);
    char piece[PIECE];
    for (size_t off = 0; off < len; off += PIECE) {
        size_t chunk = len - off < PIECE ? len - off : PIECE;
        for (size_t i = 0; i < chunk; i++) {
            char c = s[off + i];
            piece[i] = (c >= 'A' && c <= 'Z') ? (char)(c - 'A' + 'a') : c;
        }
        crypto_auth_hmacsha256_update(st, (const unsigned char *)piece, chunk);
    }
}

static void finish(char out[PG_PSEUDONYM_BUFSZ], crypto_auth_hmacsha256_state *st)
{
    unsigned char mac[crypto_auth_hmacsha256_BYTES];
    crypto_auth_hmacsha256_final(st, mac);
    base32_16(out, mac);
    sodium_memzero(mac, sizeof(mac));
    sodium_memzero(st, sizeof(*st));
}

int pg_pseudonym_account(char out[PG_PSEUDONYM_BUFSZ], const pg_key *key, const char *institution,
                         size_t ilen, const char *account, size_t alen)
{
    static const char domain[] = "paygraph-acct"; /* the NUL is hashed too */
    if (pg_normalise_identifier(out, 0, account, alen) == 0) {
        out[0] = '\0';
        return 1;
    }
    crypto_auth_hmacsha256_state st;
    crypto_auth_hmacsha256_init(&st, key->bytes, sizeof(key->bytes));
    crypto_auth_hmacsha256_update(&st, (const unsigned char *)domain, sizeof(domain));
    mac_institution(&st, institution, ilen);
    mac_normalised(&st, account, alen);
    finish(out, &st);
    return 0;
}

int pg_pseudonym_entity(char out[PG_PSEUDONYM_BUFSZ], const pg_key *key, const char *entity,
                        size_t elen)
{
    static const char domain[] = "paygraph-entity";
    if (pg_normalise_identifier(out, 0, entity, elen) == 0) {
        out[0] = '\0';
        return 1;
    }
    crypto_auth_hmacsha256_state st;
    crypto_auth_hmacsha256_init(&st, key->bytes, sizeof(key->bytes));
    crypto_auth_hmacsha256_update(&st, (const unsigned char *)domain, sizeof(domain));
    mac_normalised(&st, entity, elen);
    finish(out, &st);
    return 0;
}
