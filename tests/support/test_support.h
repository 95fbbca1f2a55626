/* Helpers shared by the cmocka tests. */
#ifndef PG_TEST_SUPPORT_H
#define PG_TEST_SUPPORT_H

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

/*
 * Seed for a randomised test: PG_TEST_SEED from the environment or the given
 * default. Printed, so that a failure can be replayed.
 */
uint64_t pg_test_seed(const char *test, uint64_t fallback);

/* A fresh, empty temporary directory for the test (removed by the OS tmp cleaner). */
const char *pg_test_tmpdir(const char *name);

/* Path of a file under tests/data (valid for the next 7 calls). */
const char *pg_test_data(const char *relpath);

/*
 * The whole file (gzip or plain), NUL-terminated; its length in *len when
 * len is not NULL. Fails the test when the file cannot be read. free() it.
 */
char *pg_test_read_file(const char *path, size_t *len);

/* Write b[0..len) to path (replacing it); fails the test on error. */
void pg_test_write_file(const char *path, const void *b, size_t len);

/*
 * Allocation-failure sweep: call run(ctx) with the 1st, 2nd, ... allocation
 * failing until a call succeeds, at most max calls. Every failed call must
 * return PG_ENOMEM (the sanitizer run checks it leaked nothing); run frees
 * what a successful call built. Fails the test when no call succeeded;
 * returns how many calls failed.
 */
long pg_test_alloc_sweep(int (*run)(void *ctx), void *ctx, long max);

#include "paygraph/pool.h"

/* Ingest one transactions file (plus optional accounts/watchlist); prints the error on failure. */
pg_pool *pg_test_ingest(const char *txn, const char *accounts, const char *watchlist,
                        const char *format, int threads, pg_on_error on_error, const char *rejects,
                        int *status);

/* Every column, dictionary and total of a equals b's (and the file records when same_files). */
void pg_test_assert_pools_equal(const pg_pool *a, const pg_pool *b, int same_files);

#endif
