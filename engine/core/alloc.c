/*
 * Allocation wrapper with a fault-injection counter.
 *
 * The counter is the library's only mutable global besides the interrupt
 * flag; it exists for tests alone, is atomic, and is inert unless
 * PG_FAIL_ALLOC is set or pg_alloc_fail_at() was called.
 */
#include "core/alloc.h"

#include <stdatomic.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

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
