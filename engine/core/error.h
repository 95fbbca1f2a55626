/*
 * Internal error reporting: set the thread-local message and return the code,
 * so that call sites read `return pg_error_set(PG_EINPUT, "...", ...)`.
 */
#ifndef PG_CORE_ERROR_H
#define PG_CORE_ERROR_H

#include "paygraph/common.h"

int pg_error_set(int code, const char *fmt, ...) PG_PRINTF(2, 3);

/* Prefix the current message with context ("reading x.csv: <old message>"). */
int pg_error_wrap(int code, const char *fmt, ...) PG_PRINTF(2, 3);

/* Record an out-of-memory error naming what was being allocated. */
int pg_error_oom(const char *what, size_t bytes);

#endif
