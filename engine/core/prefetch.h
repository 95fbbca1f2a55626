/*
 * Prefetch hints for kernels bound by memory latency.
 *
 * PG_PREFETCH(addr) asks for the cache line of addr; a no-op without the
 * GCC/Clang builtin. A helper whose only effect is a prefetch must be
 * declared PG_PREFETCH_HELPER: GCC's pure/const analysis sees no side
 * effect in such a function and deletes the calls to it unless it was
 * inlined first, so a helper that is not inlined early silently prefetches
 * nothing. Forcing the inlining keeps the hint where it was written.
 */
#ifndef PG_CORE_PREFETCH_H
#define PG_CORE_PREFETCH_H

#if defined(__GNUC__)
#define PG_PREFETCH(addr) __builtin_prefetch(addr)
#define PG_PREFETCH_HELPER static inline __attribute__((always_inline))
#else
#define PG_PREFETCH(addr) ((void)(addr))
#define PG_PREFETCH_HELPER static inline
#endif

#endif
