/*
 * The one allocation wrapper. Every heap allocation in the library goes
 * through these functions so that tests can fail the Nth allocation
 * (PG_FAIL_ALLOC=N in the environment, or pg_alloc_fail_at) and check that
 * every error path is clean. The failing functions do not set an error
 * message: callers name what they were allocating with pg_error_oom().
 */
#ifndef PG_CORE_ALLOC_H
#define PG_CORE_ALLOC_H

#include <stddef.h>

void *pg_malloc(size_t size);
void *pg_calloc(size_t count, size_t size);
void *pg_realloc(void *ptr, size_t size);
void pg_free(void *ptr);
char *pg_strdup(const char *s);
char *pg_strndup(const char *s, size_t n);

/* malloc(count * size) with overflow check; NULL on overflow. */
void *pg_malloc_array(size_t count, size_t size);

/* The growing path of pg_grow. */
int pg_grow_slow(void **buf, size_t *cap, size_t need, size_t elem);

/*
 * Make *buf hold at least `need` elements of `elem` bytes, doubling; *cap in
 * elements. 0, or the error of pg_error_oom. Inline: parsing calls it several times per row,
 * and it almost never grows.
 */
static inline int pg_grow(void **buf, size_t *cap, size_t need, size_t elem)
{
    return need <= *cap ? 0 : pg_grow_slow(buf, cap, need, elem);
}

/*
 * Zeroed memory for a large table read at random (hash tables): aligned to
 * a cache line, and from 2 MiB up mapped on its own, aligned to 2 MiB and
 * marked for transparent huge pages where the kernel offers them, so that
 * each random probe of a table larger than the TLB's reach does not also
 * walk the page tables (measured: most of a lookup's time in a 64 MB key
 * table). Free with pg_table_free and the same size.
 */
void *pg_table_alloc(size_t bytes);
void pg_table_free(void *p, size_t bytes);

/*
 * Test hook: make the nth allocation from now on fail (n >= 1), 0 to disable.
 * Returns how many allocations have been made since the last call.
 */
long pg_alloc_fail_at(long n);

#endif
