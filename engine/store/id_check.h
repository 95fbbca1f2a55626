/* Ids read from a file checked against their range before anything indexes with them (id_check.c).
 */
#ifndef PG_STORE_ID_CHECK_H
#define PG_STORE_ID_CHECK_H

#include <stddef.h>

/*
 * Whether every id of v (n elements of elem = 1 or 4 bytes) is below limit
 * (PG_NONE also allowed when none_ok): 0, or PG_EINPUT naming path, the
 * dataset `what` and the first bad entry. Up to `threads` threads.
 */
int pg_store_check_ids(const char *path, const char *what, const void *v, size_t elem, size_t n,
                       size_t limit, int none_ok, int threads);

#endif
