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

/* Path of a file under tests/data. */
const char *pg_test_data(const char *relpath);

#endif
