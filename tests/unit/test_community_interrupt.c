/*
 * Interruption: once pg_interrupt_request() has been called (as a signal
 * handler would), community detection stops at the next pass with PG_EINTR
 * and frees everything (the sanitizer build checks for leaks). A separate
 * executable because the interrupt flag cannot be cleared.
 */
#include "test_support.h"

#include <math.h>
#include <stdlib.h>

#include "community_planted.h"
#include "paygraph/community.h"

static void test_interrupted(void **state)
{
    (void)state;
    uint32_t n = 1000, k;
    uint32_t *truth = malloc(n * sizeof(*truth)), *memb = malloc(n * sizeof(*memb));
    pg_planted p = {n, 4000, 20, 2.5, 30, 0.3, 0, 0, 0, 0, 1};
    pg_csr g;
    assert_int_equal(pg_planted_generate(&g, truth, &k, &p), PG_OK);
    assert_int_equal(pg_communities(memb, NULL, &g, NULL), PG_OK);
    pg_interrupt_request();
    for (int a = 0; a < 2; a++) {
        pg_community_options o;
        pg_community_options_init(&o);
        o.algorithm = a ? PG_COMMUNITY_LOUVAIN : PG_COMMUNITY_LEIDEN;
        assert_int_equal(pg_communities(memb, NULL, &g, &o), PG_EINTR);
    }
    pg_csr_free(&g);
    free(truth);
    free(memb);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_interrupted),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
