/*
 * Non-cryptographic hashing for hash tables (interning, dedup). Keyed or
 * cryptographic hashing (pseudonyms, checksums) uses libsodium instead.
 * The byte hash is FNV-1a folded through a 64-bit finaliser, which is enough
 * for open addressing with linear probing on short identifier strings.
 */
#ifndef PG_CORE_HASH_H
#define PG_CORE_HASH_H

#include <stddef.h>
#include <stdint.h>

static inline uint64_t pg_hash_fmix64(uint64_t k)
{
    k ^= k >> 33;
    k *= 0xff51afd7ed558ccdULL;
    k ^= k >> 33;
    k *= 0xc4ceb9fe1a85ec53ULL;
    k ^= k >> 33;
    return k;
}

static inline uint64_t pg_hash_bytes(const void *data, size_t len, uint64_t seed)
{
    const unsigned char *p = data;
    uint64_t h = 0xcbf29ce484222325ULL ^ seed;
    for (size_t i = 0; i < len; i++) {
        h ^= p[i];
        h *= 0x100000001b3ULL;
    }
    return pg_hash_fmix64(h ^ len);
}

static inline uint64_t pg_hash_u64(uint64_t x)
{
    return pg_hash_fmix64(x + 0x9e3779b97f4a7c15ULL);
}

#endif
