/*
 * Deterministic random streams: xoshiro256** (Blackman & Vigna, "Scrambled
 * linear pseudorandom number generators", ACM TOMS 2021,
 * doi:10.1145/3460772) seeded through splitmix64.
 *
 * Parallel code seeds one stream per *block of work* (stream = block index),
 * never per thread, so results do not depend on the thread count.
 */
#ifndef PG_CORE_RNG_H
#define PG_CORE_RNG_H

#include <stdint.h>

typedef struct pg_rng {
    uint64_t s[4];
} pg_rng;

static inline uint64_t pg_splitmix64(uint64_t *x)
{
    uint64_t z = (*x += 0x9e3779b97f4a7c15ULL);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
    return z ^ (z >> 31);
}

/* Mix two 64-bit values into one well-distributed value (stream derivation). */
static inline uint64_t pg_mix64(uint64_t a, uint64_t b)
{
    uint64_t x = a ^ (b * 0xd6e8feb86659fd93ULL);
    return pg_splitmix64(&x);
}

static inline void pg_rng_init(pg_rng *r, uint64_t seed, uint64_t stream)
{
    uint64_t x = pg_mix64(seed, stream + 0x632be59bd9b4e019ULL);
    for (int i = 0; i < 4; i++) {
        r->s[i] = pg_splitmix64(&x);
    }
}

static inline uint64_t pg_rotl64(uint64_t x, int k)
{
    return (x << k) | (x >> (64 - k));
}

static inline uint64_t pg_rng_next(pg_rng *r)
{
    uint64_t *s = r->s;
    uint64_t result = pg_rotl64(s[1] * 5, 7) * 9;
    uint64_t t = s[1] << 17;
    s[2] ^= s[0];
    s[3] ^= s[1];
    s[1] ^= s[2];
    s[0] ^= s[3];
    s[2] ^= t;
    s[3] = pg_rotl64(s[3], 45);
    return result;
}

/* Uniform double in [0, 1) with 53 random bits. */
static inline double pg_rng_uniform(pg_rng *r)
{
    return (double)(pg_rng_next(r) >> 11) * 0x1.0p-53;
}

/* Uniform integer in [0, n), n > 0, without modulo bias (Lemire's method). */
static inline uint64_t pg_rng_below(pg_rng *r, uint64_t n)
{
    uint64_t x = pg_rng_next(r);
    __uint128_t m = (__uint128_t)x * n;
    uint64_t l = (uint64_t)m;
    if (l < n) {
        uint64_t t = (0 - n) % n;
        while (l < t) {
            x = pg_rng_next(r);
            m = (__uint128_t)x * n;
            l = (uint64_t)m;
        }
    }
    return (uint64_t)(m >> 64);
}

#endif
