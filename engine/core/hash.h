/*
 * Non-cryptographic hashing for hash tables (interning, dedup). Keyed or
 * cryptographic hashing (pseudonyms, checksums) uses libsodium instead.
 * The byte hash folds keys of up to 16 bytes with two 128-bit multiplies
 * (wyhash's step); longer ones mix 8-byte words (a MurmurHash3-style step)
 * and end with the 64-bit finaliser. Either is enough for open addressing
 * with linear probing on identifier strings.
 */
#ifndef PG_CORE_HASH_H
#define PG_CORE_HASH_H

#include <stddef.h>
#include <stdint.h>
#include <string.h>

static inline uint64_t pg_hash_fmix64(uint64_t k)
{
    k ^= k >> 33;
    k *= 0xff51afd7ed558ccdULL;
    k ^= k >> 33;
    k *= 0xc4ceb9fe1a85ec53ULL;
    k ^= k >> 33;
    return k;
}

/* One 8-byte word folded into the running state (multiply, rotate, multiply). */
static inline uint64_t pg_hash__word(uint64_t h, uint64_t w)
{
    w *= 0x87c37b91114253d5ULL;
    w = (w << 31) | (w >> 33);
    h ^= w * 0x4cf5ad432745937fULL;
    return ((h << 27) | (h >> 37)) * 5 + 0x52dce729;
}

/* Bytes p[0..size) as a word, size 4 or 8: a fixed-size load, not a library call. */
static inline uint64_t pg_hash__load(const unsigned char *p, size_t size)
{
    if (size == 8) {
        uint64_t w;
        memcpy(&w, p, 8);
        return w;
    }
    uint32_t w;
    memcpy(&w, p, 4);
    return w;
}

/*
 * The last 1-7 bytes of a key as one word, with fixed-size loads only (a
 * memcpy of a variable length is a library call, a third of hashing a short
 * key): a key of 8 bytes or more rereads its last 8; a shorter one combines
 * two overlapping loads. Every byte takes part; the length is in the seed.
 */
static inline uint64_t pg_hash__tail(const unsigned char *key, size_t len, size_t n)
{
    const unsigned char *p = key + len - n;
    if (len >= 8) {
        return pg_hash__load(key + len - 8, 8);
    }
    if (n >= 4) {
        return pg_hash__load(p, 4) << 32 | pg_hash__load(p + n - 4, 4);
    }
    return (uint64_t)p[0] << 16 | (uint64_t)p[n / 2] << 8 | p[n - 1];
}

/* The 128-bit product of a and b folded to 64 bits (the "mum" step of wyhash). */
static inline uint64_t pg_hash__mum(uint64_t a, uint64_t b)
{
    __extension__ typedef unsigned __int128 pg_u128;
    pg_u128 r = (pg_u128)a * b;
    return (uint64_t)r ^ (uint64_t)(r >> 64);
}

/*
 * A key of at most 16 bytes as two words that between them hold every byte,
 * with fixed-size loads inside the key: its first and last 8 bytes, or
 * first and last 4, or for 1-3 bytes the first, middle and last byte.
 * With the length, (a, b) names the key exactly.
 */
static inline void pg_hash__words16(const unsigned char *p, size_t len, uint64_t *a, uint64_t *b)
{
    *a = *b = 0;
    if (len >= 8) {
        *a = pg_hash__load(p, 8);
        *b = pg_hash__load(p + len - 8, 8);
    } else if (len >= 4) {
        *a = pg_hash__load(p, 4);
        *b = pg_hash__load(p + len - 4, 4);
    } else if (len) {
        *a = (uint64_t)p[0] << 16 | (uint64_t)p[len / 2] << 8 | p[len - 1];
    }
}

/*
 * Keys of at most 16 bytes (nearly every account key): two words that hold
 * every byte, folded by two 128-bit multiplies, as wyhash (Wang Yi, 2019)
 * does, instead of the word loop and finaliser's seven dependent ones.
 */
static inline uint64_t pg_hash__short(const unsigned char *p, size_t len, uint64_t seed)
{
    uint64_t a, b;
    pg_hash__words16(p, len, &a, &b);
    uint64_t h = pg_hash__mum(a ^ 0xa0761d6478bd642fULL, b ^ seed ^ 0xe7037ed1a0b428dbULL);
    return pg_hash__mum(h ^ len, 0x8ebc6af09c88c6e3ULL);
}

/*
 * Eight bytes per step, not one: interning hashes every account key of every
 * row, and a byte-at-a-time loop was most of its cost. Words are read with
 * memcpy (no alignment needed); the value depends on the host's byte order,
 * which is harmless since only slot positions depend on it, never ids.
 */
static inline uint64_t pg_hash_bytes(const void *data, size_t len, uint64_t seed)
{
    const unsigned char *p = data;
    if (len <= 16) {
        return pg_hash__short(p, len, seed);
    }
    uint64_t h = seed ^ ((uint64_t)len * 0x9e3779b97f4a7c15ULL);
    size_t n = len;
    uint64_t w;
    while (n >= 8) {
        memcpy(&w, p, 8);
        h = pg_hash__word(h, w);
        p += 8;
        n -= 8;
    }
    if (n) {
        h = pg_hash__word(h, pg_hash__tail(data, len, n));
    }
    return pg_hash_fmix64(h);
}

/*
 * a[0..len) == b[0..len), for the short keys of hash tables and caches:
 * fixed-size, overlapping loads up to 16 bytes (memcmp is a library call on
 * every probe), memcmp beyond.
 */
static inline int pg_key_equal(const void *a, const void *b, size_t len)
{
    const unsigned char *x = a, *y = b;
    if (len > 16) {
        return memcmp(x, y, len) == 0;
    }
    if (len >= 4) {
        size_t w = len >= 8 ? 8 : 4; /* two overlapping words cover the key */
        return ((pg_hash__load(x, w) ^ pg_hash__load(y, w)) |
                (pg_hash__load(x + len - w, w) ^ pg_hash__load(y + len - w, w))) == 0;
    }
    return len == 0 || (x[0] == y[0] && x[len / 2] == y[len / 2] && x[len - 1] == y[len - 1]);
}

static inline uint64_t pg_hash_u64(uint64_t x)
{
    return pg_hash_fmix64(x + 0x9e3779b97f4a7c15ULL);
}

#endif
