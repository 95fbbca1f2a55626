/*
 * Key set: dense ids in order of first insertion for keys of every length
 * (inline up to 16 bytes, arena beyond), found again after the table grew,
 * and told apart when their hashes collide (the caller passes the hash, so
 * a collision can be forced) or when they share a prefix.
 */
#include "test_support.h"

#include <stdio.h>
#include <string.h>

#include "core/alloc.h"
#include "core/hash.h"
#include "core/keyset.h"

/* Key i: a prefix shared by all, then i, padded to a length between 0 and 40. */
static size_t make_key(char *buf, int i)
{
    int len = snprintf(buf, 64, "inst-%d-account", i);
    size_t want = (size_t)(i % 41);
    if (want < (size_t)len) {
        /* short keys: the last `want` bytes, shared by many i (repeats must get one id) */
        memmove(buf, buf + len - (int)want, want);
        return want;
    }
    memset(buf + len, 'x', want - (size_t)len);
    return want;
}

static void test_ids_dense_and_found_after_growth(void **state)
{
    (void)state;
    pg_keyset s;
    pg_keyset_init(&s);
    enum { N = 20000 };
    char buf[64];
    uint32_t ids[N];
    uint32_t next = 0;
    for (int i = 0; i < N; i++) {
        size_t len = make_key(buf, i);
        uint32_t id;
        int is_new;
        assert_int_equal(pg_keyset_put(&s, buf, len, pg_hash_bytes(buf, len, 3), &id, &is_new), 0);
        if (is_new) {
            assert_int_equal(id, next);
            next++;
        }
        ids[i] = id;
    }
    assert_int_equal(s.count, next);
    for (int i = 0; i < N; i++) {
        size_t len = make_key(buf, i);
        uint32_t id;
        int is_new;
        assert_int_equal(pg_keyset_put(&s, buf, len, pg_hash_bytes(buf, len, 3), &id, &is_new), 0);
        assert_false(is_new);
        assert_int_equal(id, ids[i]);
    }
    pg_keyset_destroy(&s);
}

static void test_collisions_and_prefixes(void **state)
{
    (void)state;
    pg_keyset s;
    pg_keyset_init(&s);
    /* all with the same hash: lengths 3, 16 (inline), 17 and 30 (arena), shared prefixes */
    const char *keys[] = {"abc",
                          "abd",
                          "0123456789abcdef",
                          "0123456789abcdeg",
                          "0123456789abcdefX",
                          "0123456789abcdefY",
                          "0123456789abcdefghijklmnopqrst",
                          "0123456789abcdefghijklmnopqrsu",
                          ""};
    size_t n = sizeof(keys) / sizeof(keys[0]);
    for (int round = 0; round < 2; round++) {
        for (size_t i = 0; i < n; i++) {
            uint32_t id;
            int is_new;
            assert_int_equal(pg_keyset_put(&s, keys[i], strlen(keys[i]), 42, &id, &is_new), 0);
            assert_int_equal(id, i);
            assert_int_equal(is_new, round == 0);
        }
    }
    assert_int_equal(s.count, n);
    pg_keyset_destroy(&s);
}

static void test_allocation_failure_is_reported(void **state)
{
    (void)state;
    pg_keyset s;
    pg_keyset_init(&s);
    uint32_t id;
    int is_new;
    pg_alloc_fail_at(1);
    assert_int_equal(pg_keyset_put(&s, "k", 1, 1, &id, &is_new), PG_ENOMEM);
    pg_alloc_fail_at(0);
    assert_int_equal(pg_keyset_put(&s, "k", 1, 1, &id, &is_new), 0);
    assert_true(is_new);
    pg_keyset_destroy(&s);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_ids_dense_and_found_after_growth),
        cmocka_unit_test(test_collisions_and_prefixes),
        cmocka_unit_test(test_allocation_failure_is_reported),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
