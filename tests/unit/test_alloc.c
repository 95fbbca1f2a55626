/*
 * Table allocations: zeroed, aligned (a cache line below 2 MiB, 2 MiB from
 * there up, where the memory is mapped on its own), writable over their
 * whole size, freed with the size they were made with, and failing like
 * every other allocation when the fault-injection hook says so.
 */
#include "test_support.h"

#include <stdint.h>
#include <string.h>

#include "core/alloc.h"

static void check_table(size_t bytes, uintptr_t align)
{
    unsigned char *p = pg_table_alloc(bytes);
    assert_non_null(p);
    assert_int_equal((uintptr_t)p % align, 0);
    for (size_t i = 0; i < bytes; i += 4093) {
        assert_int_equal(p[i], 0);
    }
    if (bytes) {
        assert_int_equal(p[bytes - 1], 0);
        memset(p, 0xab, bytes);
        assert_int_equal(p[bytes - 1], 0xab);
    }
    pg_table_free(p, bytes);
}

static void test_sizes_and_alignment(void **state)
{
    (void)state;
    static const size_t small[] = {0, 1, 63, 64, 65, 4096, ((size_t)2 << 20) - 1};
    for (size_t i = 0; i < sizeof(small) / sizeof(small[0]); i++) {
        check_table(small[i], 64);
    }
    static const size_t large[] = {(size_t)2 << 20, ((size_t)2 << 20) + 1, (size_t)5 << 20,
                                   (size_t)64 << 20};
    for (size_t i = 0; i < sizeof(large) / sizeof(large[0]); i++) {
        check_table(large[i], (uintptr_t)2 << 20);
    }
    pg_table_free(NULL, 12345); /* like free(NULL) */
}

static void test_fails_when_told(void **state)
{
    (void)state;
    static const size_t sizes[] = {100, (size_t)4 << 20};
    for (size_t i = 0; i < 2; i++) {
        pg_alloc_fail_at(1);
        assert_null(pg_table_alloc(sizes[i]));
        pg_alloc_fail_at(0);
    }
    assert_null(pg_table_alloc(SIZE_MAX - 10)); /* too large to round up */
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_sizes_and_alignment),
        cmocka_unit_test(test_fails_when_told),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
