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

/* A layout of n strings "s<i>" (plus "" at 0) as pg_intern_adopt takes it, with arena length. */
static size_t make_layout(uint32_t n, char **arena, uint64_t **offset)
{
    *arena = pg_malloc((size_t)n * 12 + 1);
    *offset = pg_malloc_array((size_t)n + 1, sizeof(uint64_t));
    assert_non_null(*arena);
    assert_non_null(*offset);
    size_t len = 0;
    for (uint32_t i = 0; i < n; i++) {
        (*offset)[i] = len;
        len += (size_t)(i ? snprintf(*arena + len, 12, "s%u", i) : 0) + 1;
        (*arena)[len - 1] = '\0';
    }
    (*offset)[n] = len;
    return len;
}

/*
 * An adopted layout is the dictionary pg_intern_put would build: the same
 * ids, strings and lookups, and it keeps growing by put; for a small table
 * (serial hashing) and a large one (parallel) at 1, 2 and 4 threads. A
 * repeated string is refused with the id of its second appearance.
 */
static void test_adopt_equals_put(void **state)
{
    (void)state;
    static const uint32_t sizes[2] = {100, 70000};
    for (int k = 0; k < 2; k++) {
        for (int threads = 1; threads <= 4; threads *= 2) {
            uint32_t n = sizes[k];
            char *arena;
            uint64_t *offset;
            size_t len = make_layout(n, &arena, &offset);
            pg_intern a;
            pg_intern_init(&a);
            uint32_t repeat = 0;
            assert_int_equal(pg_intern_adopt(&a, arena, len, offset, n, threads, &repeat), 0);
            assert_int_equal(a.count, n);
            char buf[16];
            for (uint32_t i = 0; i < n; i += 7) {
                int l = i ? snprintf(buf, sizeof(buf), "s%u", i) : 0;
                buf[l] = '\0';
                assert_int_equal(pg_intern_find(&a, buf, (size_t)l), i);
                assert_string_equal(pg_intern_str(&a, i), buf);
                assert_int_equal(pg_intern_len(&a, i), (size_t)l);
            }
            uint32_t id;
            int is_new;
            assert_int_equal(pg_intern_put(&a, "s1", 2, &id, &is_new), 0);
            assert_int_equal(id, 1);
            assert_false(is_new);
            assert_int_equal(pg_intern_put(&a, "new one", 7, &id, &is_new), 0);
            assert_int_equal(id, n);
            assert_true(is_new);
            assert_string_equal(pg_intern_str(&a, n), "new one");
            pg_intern_destroy(&a);

            len = make_layout(n, &arena, &offset);
            memcpy(arena + offset[n - 1], "s1", 3); /* the last string repeats "s1" */
            len = offset[n - 1] + 3;
            offset[n] = len;
            pg_intern_init(&a);
            assert_int_equal(pg_intern_adopt(&a, arena, len, offset, n, threads, &repeat),
                             PG_EINPUT);
            assert_int_equal(repeat, n - 1);
        }
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_dense_ids_in_insertion_order),
        cmocka_unit_test(test_many_strings_with_embedded_prefixes),
        cmocka_unit_test(test_first_insert_found_again),
        cmocka_unit_test(test_idmap),
        cmocka_unit_test(test_adopt_equals_put),
        cmocka_unit_test(test_key_equal_and_hash_see_every_byte),
        cmocka_unit_test(test_allocation_failure_is_reported),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
