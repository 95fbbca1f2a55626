/* Interning: ids dense in first-insertion order, lookups exact, growth safe. */
#include "test_support.h"

#include <stdio.h>
#include <string.h>

#include "core/alloc.h"
#include "core/hash.h"
#include "core/intern.h"

static void test_dense_ids_in_insertion_order(void **state)
{
    (void)state;
    pg_intern t;
    pg_intern_init(&t);
    const char *words[] = {"ANZ", "CBA", "", "anz", "CBA", "ANZ", "Wise"};
    uint32_t expect[] = {0, 1, 2, 3, 1, 0, 4};
    for (size_t i = 0; i < 7; i++) {
        uint32_t id;
        int is_new;
        assert_int_equal(pg_intern_put(&t, words[i], strlen(words[i]), &id, &is_new), 0);
        assert_int_equal(id, expect[i]);
    }
    assert_int_equal(t.count, 5);
    assert_string_equal(pg_intern_str(&t, 3), "anz");
    assert_int_equal(pg_intern_len(&t, 2), 0);
    assert_int_equal(pg_intern_find(&t, "Wise", 4), 4);
    assert_int_equal(pg_intern_find(&t, "wise", 4), PG_INTERN_NONE);
    pg_intern_destroy(&t);
}

static void test_many_strings_with_embedded_prefixes(void **state)
{
    (void)state;
    pg_intern t;
    pg_intern_init(&t);
    char buf[32];
    for (uint32_t i = 0; i < 100000; i++) {
        int len = snprintf(buf, sizeof(buf), "acct%u", i);
        uint32_t id;
        assert_int_equal(pg_intern_put(&t, buf, (size_t)len, &id, NULL), 0);
        assert_int_equal(id, i);
    }
    for (uint32_t i = 0; i < 100000; i += 7) {
        int len = snprintf(buf, sizeof(buf), "acct%u", i);
        assert_int_equal(pg_intern_find(&t, buf, (size_t)len), i);
        assert_memory_equal(pg_intern_str(&t, i), buf, (size_t)len + 1);
    }
    /* A prefix of an interned string is a different key. */
    assert_int_equal(pg_intern_find(&t, "acct1", 4), PG_INTERN_NONE);
    pg_intern_destroy(&t);
}

/* Regression: the very first insert must be found again (storage growth kept the slot valid). */
static void test_first_insert_found_again(void **state)
{
    (void)state;
    for (int k = 1; k < 300; k++) {
        pg_intern t;
        pg_intern_init(&t);
        char buf[16];
        for (int i = 0; i < k; i++) {
            int len = snprintf(buf, sizeof(buf), "s%d", i);
            uint32_t id, again;
            int is_new;
            assert_int_equal(pg_intern_put(&t, buf, (size_t)len, &id, &is_new), 0);
            assert_true(is_new);
            assert_int_equal(pg_intern_put(&t, buf, (size_t)len, &again, &is_new), 0);
            assert_false(is_new);
            assert_int_equal(id, again);
        }
        for (int i = 0; i < k; i++) {
            int len = snprintf(buf, sizeof(buf), "s%d", i);
            assert_int_equal(pg_intern_find(&t, buf, (size_t)len), (uint32_t)i);
        }
        pg_intern_destroy(&t);
    }
}

static void test_idmap(void **state)
{
    (void)state;
    pg_idmap m;
    pg_idmap_init(&m);
    for (uint64_t k = 0; k < 50000; k++) {
        uint32_t out;
        int is_new;
        assert_int_equal(pg_idmap_put(&m, k * 0x100000001ULL, (uint32_t)k, &out, &is_new), 0);
        assert_true(is_new);
    }
    uint32_t out;
    int is_new;
    assert_int_equal(pg_idmap_put(&m, 5 * 0x100000001ULL, 99, &out, &is_new), 0);
    assert_false(is_new);
    assert_int_equal(out, 5);
    assert_int_equal(pg_idmap_get(&m, 49999 * 0x100000001ULL), 49999);
    assert_int_equal(pg_idmap_get(&m, 3), UINT32_MAX);
    pg_idmap_destroy(&m);
}

/*
 * Key equality and the hash's tail loads, for every length up to 40: equal
 * keys compare equal, a change of any one byte is seen by pg_key_equal and
 * changes the hash (each byte takes part in the word it is folded into).
 */
static void test_key_equal_and_hash_see_every_byte(void **state)
{
    (void)state;
    unsigned char a[48], b[48];
    for (int i = 0; i < 48; i++) {
        a[i] = (unsigned char)('a' + i % 26);
    }
    for (size_t len = 0; len <= 40; len++) {
        memcpy(b, a, sizeof(b));
        assert_true(pg_key_equal(a, b, len));
        uint64_t h = pg_hash_bytes(a, len, 7);
        assert_int_equal(pg_hash_bytes(b, len, 7), h);
        for (size_t i = 0; i < len; i++) {
            b[i] ^= 0x20;
            assert_false(pg_key_equal(a, b, len));
            assert_true(pg_hash_bytes(b, len, 7) != h);
            b[i] ^= 0x20;
        }
        b[len] ^= 0x20; /* a byte past the end is not part of the key */
        assert_true(pg_key_equal(a, b, len));
        assert_int_equal(pg_hash_bytes(b, len, 7), h);
    }
}

static void test_allocation_failure_is_reported(void **state)
{
    (void)state;
    pg_intern t;
    pg_intern_init(&t);
    uint32_t id;
    pg_alloc_fail_at(1);
    int rc = pg_intern_put(&t, "x", 1, &id, NULL);
    pg_alloc_fail_at(0);
    assert_true(rc < 0);
    assert_int_equal(pg_intern_put(&t, "x", 1, &id, NULL), 0);
    assert_int_equal(id, 0);
    pg_intern_destroy(&t);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_dense_ids_in_insertion_order),
        cmocka_unit_test(test_many_strings_with_embedded_prefixes),
        cmocka_unit_test(test_first_insert_found_again),
        cmocka_unit_test(test_idmap),
        cmocka_unit_test(test_key_equal_and_hash_see_every_byte),
        cmocka_unit_test(test_allocation_failure_is_reported),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
