/*
 * Accounts of an earlier file found in a pool by key (account_keys.h).
 * Complexity: O(n) hash lookups, in parallel.
 */
#include "store/account_keys.h"

void pg_account_keys_find(uint32_t *account, const uint32_t *institution, const pg_strlist *names,
                          const pg_strlist *insts, size_t n, const pg_pool *pool, int threads)
{
    (void)threads; /* used by OpenMP only */
#pragma omp parallel for num_threads(threads) schedule(static)
    for (size_t i = 0; i < n; i++) {
        account[i] = pg_pool_find_account(pool, pg_strlist_str(insts, institution[i]),
                                          pg_strlist_str(names, i));
    }
}
