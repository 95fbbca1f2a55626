/*
 * Property checks inside fuzz targets. Unlike assert() they stay on in
 * Release builds (the corpus replay tests run there), and they abort so that
 * libFuzzer records the input as a crash.
 */
#ifndef PG_FUZZ_CHECK_H
#define PG_FUZZ_CHECK_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

#define FUZZ_CHECK(cond)                                                                           \
    do {                                                                                           \
        if (!(cond)) {                                                                             \
            fprintf(stderr, "%s:%d: property failed: %s\n", __FILE__, __LINE__, #cond);            \
            abort();                                                                               \
        }                                                                                          \
    } while (0)

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* The next input byte for targets that decode their input field by field; 0 once it runs out. */
static inline uint8_t fuzz_next_byte(const uint8_t **data, size_t *size)
{
    if (*size == 0) {
        return 0;
    }
    --*size;
    return *(*data)++;
}

#endif
