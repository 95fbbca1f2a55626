/*
 * Non-cryptographic hashing for hash tables (interning, dedup). Keyed or
 * cryptographic hashing (pseudonyms, checksums) uses libsodium instead.
 * The byte hash mixes 8-byte words (a MurmurHash3-style step) and ends with
 * the 64-bit finaliser, which is enough for open addressing with linear
 * probing on short identifier strings.
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

/*
 * Eight bytes per step, not one: interning hashes every account key of every
 * row, and a byte-at-a-time loop was most of its cost. Words are read with
 * memcpy (no alignment needed); the value depends on the host's byte order,
 * which is harmless since only slot positions depend on it, never ids.
 */
static inline uint64_t pg_hash_bytes(const void *data, size_t len, uint64_t seed)
{
    const unsigned char *p = data;
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
        w = 0;
        memcpy(&w, p, n);
        h = pg_hash__word(h, w);
    }
    return pg_hash_fmix64(h);
}

static inline uint64_t pg_hash_u64(uint64_t x)
{
    return pg_hash_fmix64(x + 0x9e3779b97f4a7c15ULL);
}

#endif
