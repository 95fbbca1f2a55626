/*
 * Small HDF5 helpers shared by the pool store and the results writer:
 * one-dimensional chunked, compressed datasets with object times off (so
 * that equal content gives byte-identical files), string dictionaries as a
 * byte blob plus offsets, attributes, and type-checked reads.
 */
#ifndef PG_STORE_H5UTIL_H
#define PG_STORE_H5UTIL_H

#include <stddef.h>
#include <stdint.h>

#include <hdf5.h>

#include "core/intern.h"
#include "core/strlist.h"

typedef struct pg_h5 {
    hid_t file;
    const char *path;
    int compression;        /* deflate level 0..9 */
    int threads;            /* threads coding chunks on read and write; <= 0 means 1 */
    int sealed;             /* every byte verified by the pool seal: skip chunk checksums */
    H5E_auto2_t saved_func; /* HDF5's error printer, silenced while the file is open */
    void *saved_data;
} pg_h5;

/*
 * Create path (truncating), with a user block of userblock bytes before the
 * HDF5 data (0, or a power of two >= 512). Errors set a message naming the
 * file.
 */
int pg_h5_create(pg_h5 *h, const char *path, int compression, size_t userblock);
int pg_h5_open(pg_h5 *h, const char *path);
int pg_h5_close(pg_h5 *h);

/* Create a group (object times off). */
int pg_h5_group(pg_h5 *h, const char *name);

/* Write a 1-D dataset of n elements of the given native type. */
int pg_h5_write(pg_h5 *h, const char *name, hid_t type, const void *data, size_t n);

/* Read a 1-D dataset of class/size matching `type` into a new buffer. */
int pg_h5_read(pg_h5 *h, const char *name, hid_t type, void **data, size_t *n);

/* Read into a caller buffer of exactly n elements. */
int pg_h5_read_into(pg_h5 *h, const char *name, hid_t type, void *data, size_t n);

/*
 * Read dataset ds (name for messages) of n elements into data, decoding its
 * chunks in parallel (h5_chunks.c). Returns PG_OK, an error, or
 * PG_H5_NOT_CHUNKED when the dataset's layout needs H5Dread.
 */
#define PG_H5_NOT_CHUNKED 1
int pg_h5__read_chunks(pg_h5 *h, const char *name, hid_t ds, hid_t type, void *data, size_t n);

/*
 * Write data (n elements of elem bytes) into the chunks of dataset ds,
 * created with chunks of `chunk` elements, shuffle (when elem > 1) and
 * deflate at h->compression: encoded in parallel (h5_chunk_write.c).
 */
int pg_h5__write_chunks(pg_h5 *h, const char *name, hid_t ds, const void *data, size_t n,
                        size_t elem, size_t chunk);

/* Number of elements of a 1-D dataset of class/size matching `type`. */
int pg_h5_length(pg_h5 *h, const char *name, hid_t type, size_t *n);

/* Whether a link exists. */
int pg_h5_exists(pg_h5 *h, const char *name);

/* String dictionary as <name>/bytes (uint8) and <name>/offsets (uint64, count+1). */
int pg_h5_write_strings(pg_h5 *h, const char *name, const pg_intern *t);
int pg_h5_read_strings(pg_h5 *h, const char *name, pg_intern *t);

/* A string list (repeats allowed, never looked up) in the same bytes + offsets layout. */
int pg_h5_write_strlist(pg_h5 *h, const char *name, const pg_strlist *l);
int pg_h5_read_strlist(pg_h5 *h, const char *name, pg_strlist *l);

/* A list of C strings the same way. */
int pg_h5_write_string_list(pg_h5 *h, const char *name, const char *const *s, size_t n);

typedef struct pg_pool pg_pool;

/* The pool's names get(p, 0), ..., get(p, n - 1) as a string list (NULL written as ""). */
int pg_h5_write_pool_names(pg_h5 *h, const char *name, uint32_t n, const pg_pool *p,
                           const char *(*get)(const pg_pool *, uint32_t));

/*
 * Read a string list written by pg_h5_write_string_list (repeats allowed):
 * *out is one allocation holding n pointers followed by the strings.
 */
int pg_h5_read_string_list(pg_h5 *h, const char *name, char ***out, size_t *n);

/* Scalar attributes on an object ("/" for the file). */
int pg_h5_attr_string(pg_h5 *h, const char *obj, const char *name, const char *value);
int pg_h5_attr_int(pg_h5 *h, const char *obj, const char *name, int64_t value);
int pg_h5_attr_double(pg_h5 *h, const char *obj, const char *name, double value);
int pg_h5_get_attr_string(pg_h5 *h, const char *obj, const char *name, char *buf, size_t cap);
int pg_h5_get_attr_int(pg_h5 *h, const char *obj, const char *name, int64_t *value);

/* Write to a temporary name beside path and rename over it on success. */
int pg_h5_tmp_path(char *buf, size_t cap, const char *path);

/*
 * Finish an atomic write: when err is 0, make tmp owner-only and rename it to
 * path; otherwise (or when that fails) remove tmp. Returns the final status.
 */
int pg_h5_commit(const char *tmp, const char *path, int err);

#endif
