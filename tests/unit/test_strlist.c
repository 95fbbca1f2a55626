/* String lists: entries in push order, repeats and empty strings kept, growth safe. */
#include "test_support.h"

#include <stdio.h>
#include <string.h>

#include "core/alloc.h"
#include "core/strlist.h"

static void test_push_order_repeats_and_empty(void **state)
{
    (void)state;
    pg_strlist l;
    pg_strlist_init(&l);
    char buf[32];
    for (int i = 0; i < 100000; i++) {
        int n = snprintf(buf, sizeof(buf), "T%d", i % 1000); /* repeats on purpose */
        assert_int_equal(pg_strlist_push(&l, i % 7 ? buf : "", i % 7 ? (size_t)n : 0), 0);
    }
    assert_int_equal(l.n, 100000);
    for (int i = 0; i < 100000; i += 997) {
        int n = snprintf(buf, sizeof(buf), "T%d", i % 1000);
        assert_int_equal(pg_strlist_len(&l, (size_t)i), i % 7 ? (size_t)n : 0);
        assert_string_equal(pg_strlist_str(&l, (size_t)i), i % 7 ? buf : "");
    }
    assert_true(pg_strlist_memory(&l) >= l.len);
    pg_strlist_destroy(&l);
}

static void test_bytes_with_embedded_nul_length(void **state)
{
    (void)state;
    pg_strlist l;
    pg_strlist_init(&l);
    assert_int_equal(pg_strlist_reserve(&l, 2, 10), 0);
    assert_int_equal(pg_strlist_push(&l, "abc", 3), 0);
    assert_int_equal(pg_strlist_push(&l, "defgh", 2), 0); /* only the first two bytes */
    assert_string_equal(pg_strlist_str(&l, 1), "de");
    assert_int_equal(l.off[2], 7);
    pg_strlist_destroy(&l);
}

/* Shrinking releases the growth slack and keeps every string; pushing afterwards still works. */
static void test_shrink_keeps_contents(void **state)
{
    (void)state;
    pg_strlist l;
    pg_strlist_init(&l);
    pg_strlist_shrink(&l); /* nothing pushed: a no-op */
    assert_int_equal(pg_strlist_memory(&l), 0);
    char buf[32];
    for (int i = 0; i < 5000; i++) {
        int n = snprintf(buf, sizeof(buf), "id-%d", i);
        assert_int_equal(pg_strlist_push(&l, buf, (size_t)n), 0);
    }
    assert_true(pg_strlist_memory(&l) > l.len + (l.n + 1) * sizeof(uint64_t));
    pg_strlist_shrink(&l);
    assert_int_equal(pg_strlist_memory(&l), l.len + (l.n + 1) * sizeof(uint64_t));
    for (int i = 0; i < 5000; i++) {
        snprintf(buf, sizeof(buf), "id-%d", i);
        assert_string_equal(pg_strlist_str(&l, (size_t)i), buf);
    }
    assert_int_equal(pg_strlist_push(&l, "after", 5), 0);
    assert_string_equal(pg_strlist_str(&l, 5000), "after");
    assert_string_equal(pg_strlist_str(&l, 4999), "id-4999");
    pg_strlist_destroy(&l);
}

static void test_allocation_failure_is_reported(void **state)
{
    (void)state;
    pg_strlist l;
    pg_strlist_init(&l);
    pg_alloc_fail_at(1);
    int rc = pg_strlist_push(&l, "x", 1);
    pg_alloc_fail_at(0);
    assert_true(rc < 0);
    assert_int_equal(l.n, 0);
    assert_int_equal(pg_strlist_push(&l, "x", 1), 0);
    assert_string_equal(pg_strlist_str(&l, 0), "x");
    pg_strlist_destroy(&l);
}

/* Concatenating parts (some empty, some holding empty strings) equals pushing one by one. */
static void test_concat_equals_pushes(void **state)
{
    (void)state;
    enum { PARTS = 7 };
    pg_strlist parts[PARTS], serial;
    const pg_strlist *ptr[PARTS];
    pg_strlist_init(&serial);
    char buf[32];
    for (int i = 0; i < PARTS; i++) {
        pg_strlist_init(&parts[i]);
        ptr[i] = &parts[i];
        int rows = i == 2 ? 0 : 50 * i + 3; /* part 2 is empty */
        for (int k = 0; k < rows; k++) {
            int len = k % 4 == 0 ? 0 : snprintf(buf, sizeof(buf), "T%d-%d", i, k);
            assert_int_equal(pg_strlist_push(&parts[i], buf, (size_t)len), 0);
            assert_int_equal(pg_strlist_push(&serial, buf, (size_t)len), 0);
        }
    }
    for (int threads = 1; threads <= 4; threads *= 2) {
        pg_strlist l;
        pg_strlist_init(&l);
        assert_int_equal(pg_strlist_push(&l, "head", 4), 0);
        assert_int_equal(pg_strlist_concat(&l, ptr, PARTS, threads), 0);
        assert_int_equal(l.n, serial.n + 1);
        assert_string_equal(pg_strlist_str(&l, 0), "head");
        for (size_t i = 0; i < serial.n; i++) {
            assert_int_equal(pg_strlist_len(&l, i + 1), pg_strlist_len(&serial, i));
            assert_string_equal(pg_strlist_str(&l, i + 1), pg_strlist_str(&serial, i));
        }
        assert_int_equal(pg_strlist_push(&l, "tail", 4), 0); /* still appendable */
        assert_string_equal(pg_strlist_str(&l, serial.n + 1), "tail");
        pg_strlist_destroy(&l);
    }
    for (int i = 0; i < PARTS; i++) {
        pg_strlist_destroy(&parts[i]);
    }
    pg_strlist_destroy(&serial);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_push_order_repeats_and_empty),
        cmocka_unit_test(test_bytes_with_embedded_nul_length),
        cmocka_unit_test(test_shrink_keeps_contents),
        cmocka_unit_test(test_allocation_failure_is_reported),
        cmocka_unit_test(test_concat_equals_pushes),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
