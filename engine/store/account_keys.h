/*
 * Accounts of an earlier results file found in a pool by key (institution
 * name, account name): the warm start (warm_start.c) and the rings of an
 * earlier scan (previous_rings.c) both follow accounts from one pool to the
 * next this way, since account ids are only the order of first appearance
 * in one pool.
 */
#ifndef PG_STORE_ACCOUNT_KEYS_H
#define PG_STORE_ACCOUNT_KEYS_H

#include <stddef.h>
#include <stdint.h>

#include "core/strlist.h"
#include "paygraph/pool.h"

/*
 * account[i]: the pool's account with institution insts[institution[i]] and
 * name names[i], or PG_NONE; i < n. Every institution[i] < insts->n and
 * names->n >= n (checked by the caller). Looked up in parallel.
 */
void pg_account_keys_find(uint32_t *account, const uint32_t *institution, const pg_strlist *names,
                          const pg_strlist *insts, size_t n, const pg_pool *pool, int threads);

#endif
