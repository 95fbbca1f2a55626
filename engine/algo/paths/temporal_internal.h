/* Internal helpers of the time-respecting kernels (temporal_common.c). */
#ifndef PG_ALGO_TEMPORAL_INTERNAL_H
#define PG_ALGO_TEMPORAL_INTERNAL_H

#include "paygraph/paths.h"

/* Longest path or cycle the enumerators accept: the search stack lives on the C stack. */
#define PG_TEMPORAL_MAX_HOPS 16

/* First position in v's list of adj whose transaction time is >= t. */
int64_t pg_paths__first_at(const pg_tadj *adj, const int64_t *ts, uint32_t v, int64_t t);
/* t0 + window, saturated; INT64_MAX when the window is unbounded. */
int64_t pg_paths__window_end(const pg_temporal_options *o);
int pg_paths__check_options(const pg_tview *tv, const pg_temporal_options *o);

#endif
