/*
 * Allocation wrapper with a fault-injection counter.
 *
 * The counter is the library's only mutable global besides the interrupt
 * flag; it exists for tests alone, is atomic, and is inert unless
 * PG_FAIL_ALLOC is set or pg_alloc_fail_at() was called.
 */
#define _DEFAULT_SOURCE /* MAP_ANONYMOUS and MADV_HUGEPAGE */
#include "core/alloc.h"

#include <stdatomic.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>

#include "core/error.h"

static atomic_long alloc_count;
static atomic_long fail_at = -1; /* -1: not read from the environment yet */

static long fail_target(void)
{
    long t = atomic_load_explicit(&fail_at, memory_order_relaxed);
    if (t < 0) {
        const char *env = getenv("PG_FAIL_ALLOC");
        long v = 0;
        if (env) {
            char *end = NULL;
            v = strtol(env, &end, 10);
            if (end == env || v < 0) {
                v = 0;
            }
        }
        long expected = -1;
        atomic_compare_exchange_strong(&fail_at, &expected, v);
        t = atomic_load(&fail_at);
    }
    return t;
}

static int should_fail(void)
{
    long target = fail_target();
    long n = atomic_fetch_add_explicit(&alloc_count, 1, memory_order_relaxed) + 1;
    return target > 0 && n == target;
}

long pg_alloc_fail_at(long n)
{
    long made = atomic_exchange(&alloc_count, 0);
    atomic_store(&fail_at, n > 0 ? n : 0);
    return made;
}

void *pg_malloc(size_t size)
{
    if (should_fail()) {
        return NULL;
    }
    return malloc(size ? size : 1);
}

void *pg_calloc(size_t count, size_t size)
{
    if (should_fail()) {
        return NULL;
    }
    if (count == 0 || size == 0) {
        count = size = 1;
    }
    return calloc(count, size);
}

void *pg_realloc(void *ptr, size_t size)
{
    if (should_fail()) {
        return NULL;
    }
    return realloc(ptr, size ? size : 1);
}

void pg_free(void *ptr)
{
    free(ptr);
}

void *pg_malloc_array(size_t count, size_t size)
{
    if (size && count > SIZE_MAX / size) {
        return NULL;
    }
    return pg_malloc(count * size);
}

char *pg_strndup(const char *s, size_t n)
{
    char *d = pg_malloc(n + 1);
    if (d) {
        memcpy(d, s, n);
        d[n] = '\0';
    }
    return d;
}

char *pg_strdup(const char *s)
{
    return pg_strndup(s, strlen(s));
}

int pg_grow_slow(void **buf, size_t *cap, size_t need, size_t elem)
{
    size_t ncap = *cap ? *cap : 16;
    while (ncap < need) {
        if (ncap > SIZE_MAX / 2 / elem) {
            return pg_error_oom("growing buffer", need * elem);
        }
        ncap *= 2;
    }
    void *p = pg_realloc(*buf, ncap * elem);
    if (!p) {
        return pg_error_oom("growing buffer", ncap * elem);
    }
    *buf = p;
    *cap = ncap;
    return 0;
}

/* Tables from this size up get a mapping of their own (and huge pages). */
#define TABLE_HUGE ((size_t)2 << 20)
#define TABLE_LINE 64

static size_t round_up(size_t n, size_t to)
{
    return (n + to - 1) / to * to;
}

void *pg_table_alloc(size_t bytes)
{
    if (should_fail() || bytes > SIZE_MAX - 2 * TABLE_HUGE) {
        return NULL;
    }
    if (bytes < TABLE_HUGE) {
        void *p = aligned_alloc(TABLE_LINE, round_up(bytes ? bytes : 1, TABLE_LINE));
        if (p) {
            memset(p, 0, bytes);
        }
        return p;
    }
    /* map one huge page more, then unmap the misaligned head and the tail */
    size_t len = round_up(bytes, TABLE_HUGE), map = len + TABLE_HUGE;
    char *m = mmap(NULL, map, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    if (m == MAP_FAILED) {
        return NULL;
    }
    char *a = (char *)round_up((uintptr_t)m, TABLE_HUGE);
    if (a > m) {
        munmap(m, (size_t)(a - m));
    }
    if (m + map > a + len) {
        munmap(a + len, (size_t)(m + map - (a + len)));
    }
#ifdef MADV_HUGEPAGE
    (void)madvise(a, len, MADV_HUGEPAGE); /* a hint: without it the table still works */
#endif
    return a;
}

void pg_table_free(void *p, size_t bytes)
{
    if (!p) {
        return;
    }
    if (bytes < TABLE_HUGE) {
        free(p);
    } else {
        munmap(p, round_up(bytes, TABLE_HUGE));
    }
}
