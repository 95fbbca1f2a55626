/*
 * HDF5 helpers. HDF5 prints its own error stack by default; while one of our
 * files is open we silence it (restoring it on close) and turn every failure
 * into one message that names the file and the dataset.
 */
#include "store/h5util.h"

#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "core/alloc.h"
#include "core/error.h"

/*
 * Elements per chunk: 256 Ki keeps compression as effective as larger chunks
 * (deflate's window is 32 KiB) and gives a 1M-row column four chunks to
 * decode in parallel on load (h5_chunks.c).
 */
#define PG_H5_CHUNK ((hsize_t)1 << 18)

static void silence(pg_h5 *h)
{
    /*
     * HDF5 1.10 crashes in its exit-time cleanup (H5F__close_cb) when an
     * H5Fclose failed, e.g. on a full disk. Turning that cleanup off (effective
     * only before HDF5's first use, a no-op afterwards) lets such a run end with
     * its error instead of a segmentation fault; files are always closed
     * explicitly, so nothing is lost.
     */
    H5dont_atexit();
    H5Eget_auto2(H5E_DEFAULT, &h->saved_func, &h->saved_data);
    H5Eset_auto2(H5E_DEFAULT, NULL, NULL);
}

int pg_h5_create(pg_h5 *h, const char *path, int compression, size_t userblock)
{
    memset(h, 0, sizeof(*h));
    h->path = path;
    h->compression = compression;
    silence(h);
    hid_t fcpl = H5Pcreate(H5P_FILE_CREATE);
    H5Pset_obj_track_times(fcpl, 0);
    if (userblock) {
        H5Pset_userblock(fcpl, (hsize_t)userblock);
    }
    h->file = H5Fcreate(path, H5F_ACC_TRUNC, fcpl, H5P_DEFAULT);
    H5Pclose(fcpl);
    if (h->file < 0) {
        H5Eset_auto2(H5E_DEFAULT, h->saved_func, h->saved_data);
        return pg_error_set(PG_EIO, "%s: cannot create HDF5 file", path);
    }
    return 0;
}

int pg_h5_open(pg_h5 *h, const char *path)
{
    memset(h, 0, sizeof(*h));
    h->path = path;
    silence(h);
    if (access(path, R_OK) != 0) {
        H5Eset_auto2(H5E_DEFAULT, h->saved_func, h->saved_data);
        return pg_error_set(PG_EIO, "%s: cannot open (missing or unreadable)", path);
    }
    h->file = H5Fopen(path, H5F_ACC_RDONLY, H5P_DEFAULT);
    if (h->file < 0) {
        H5Eset_auto2(H5E_DEFAULT, h->saved_func, h->saved_data);
        return pg_error_set(PG_EINPUT, "%s: not an HDF5 file (or truncated)", path);
    }
    return 0;
}

int pg_h5_close(pg_h5 *h)
{
    int err = 0;
    if (h->file > 0 && H5Fclose(h->file) < 0) {
        err = pg_error_set(PG_EIO, "%s: closing the HDF5 file failed (disk full?)", h->path);
    }
    h->file = 0;
    H5Eset_auto2(H5E_DEFAULT, h->saved_func, h->saved_data);
    return err;
}

int pg_h5_group(pg_h5 *h, const char *name)
{
    hid_t gcpl = H5Pcreate(H5P_GROUP_CREATE);
    H5Pset_obj_track_times(gcpl, 0);
    hid_t g = H5Gcreate2(h->file, name, H5P_DEFAULT, gcpl, H5P_DEFAULT);
    H5Pclose(gcpl);
    if (g < 0) {
        return pg_error_set(PG_EIO, "%s: cannot create group %s", h->path, name);
    }
    H5Gclose(g);
    return 0;
}

int pg_h5_write(pg_h5 *h, const char *name, hid_t type, const void *data, size_t n)
{
    hsize_t dims[1] = {(hsize_t)n};
    hsize_t chunk[1] = {n < PG_H5_CHUNK ? (n ? (hsize_t)n : 1) : PG_H5_CHUNK};
    hid_t space = H5Screate_simple(1, dims, NULL);
    hid_t dcpl = H5Pcreate(H5P_DATASET_CREATE);
    H5Pset_obj_track_times(dcpl, 0);
    size_t elem = H5Tget_size(type);
    if (n > 0) {
        H5Pset_chunk(dcpl, 1, chunk);
        if (h->compression > 0) {
            H5Pset_shuffle(dcpl);
            H5Pset_deflate(dcpl, (unsigned)h->compression);
        }
    }
    hid_t ds = H5Dcreate2(h->file, name, type, space, H5P_DEFAULT, dcpl, H5P_DEFAULT);
    H5Pclose(dcpl);
    H5Sclose(space);
    if (ds < 0) {
        return pg_error_set(PG_EIO, "%s: cannot write %s (disk full?)", h->path, name);
    }
    int err = 0;
    if (n > 0 && h->compression > 0) {
        err = pg_h5__write_chunks(h, name, ds, data, n, elem, (size_t)chunk[0]);
    } else if (n > 0 && H5Dwrite(ds, type, H5S_ALL, H5S_ALL, H5P_DEFAULT, data) < 0) {
        err = pg_error_set(PG_EIO, "%s: cannot write %s (disk full?)", h->path, name);
    }
    H5Dclose(ds);
    return err;
}

int pg_h5_exists(pg_h5 *h, const char *name)
{
    return H5Lexists(h->file, name, H5P_DEFAULT) > 0;
}

/* Open name and check it is a 1-D dataset whose stored type matches `type`. */
static hid_t open_checked(pg_h5 *h, const char *name, hid_t type, size_t *n)
{
    if (!pg_h5_exists(h, name)) {
        pg_error_set(PG_EINPUT, "%s: dataset %s is missing (not a paygraph pool?)", h->path, name);
        return -1;
    }
    hid_t ds = H5Dopen2(h->file, name, H5P_DEFAULT);
    if (ds < 0) {
        pg_error_set(PG_EINPUT, "%s: cannot open dataset %s", h->path, name);
        return -1;
    }
    hid_t ft = H5Dget_type(ds);
    hid_t space = H5Dget_space(ds);
    int ok = ft >= 0 && H5Tget_class(ft) == H5Tget_class(type) &&
             H5Tget_size(ft) == H5Tget_size(type) &&
             (H5Tget_class(type) != H5T_INTEGER || H5Tget_sign(ft) == H5Tget_sign(type));
    int rank = space >= 0 ? H5Sget_simple_extent_ndims(space) : -1;
    hsize_t dims[1] = {0};
    if (rank == 1) {
        H5Sget_simple_extent_dims(space, dims, NULL);
    }
    if (ft >= 0) {
        H5Tclose(ft);
    }
    if (space >= 0) {
        H5Sclose(space);
    }
    if (!ok || rank != 1) {
        H5Dclose(ds);
        pg_error_set(PG_EINPUT, "%s: dataset %s has the wrong type or shape", h->path, name);
        return -1;
    }
    *n = (size_t)dims[0];
    return ds;
}

int pg_h5_read_into(pg_h5 *h, const char *name, hid_t type, void *data, size_t n)
{
    size_t have;
    hid_t ds = open_checked(h, name, type, &have);
    if (ds < 0) {
        return PG_EINPUT;
    }
    if (have != n) {
        H5Dclose(ds);
        return pg_error_set(PG_EINPUT, "%s: dataset %s has %zu elements, expected %zu", h->path,
                            name, have, n);
    }
    int err = n ? pg_h5__read_chunks(h, name, ds, type, data, n) : PG_OK;
    if (err != PG_H5_NOT_CHUNKED) {
        H5Dclose(ds);
        return err;
    }
    herr_t st = H5Dread(ds, type, H5S_ALL, H5S_ALL, H5P_DEFAULT, data);
    H5Dclose(ds);
    if (st < 0) {
        return pg_error_set(PG_EINPUT, "%s: cannot read %s (corrupt or truncated file)", h->path,
                            name);
    }
    return 0;
}

int pg_h5_length(pg_h5 *h, const char *name, hid_t type, size_t *n)
{
    hid_t ds = open_checked(h, name, type, n);
    if (ds < 0) {
        return PG_EINPUT;
    }
    H5Dclose(ds);
    return PG_OK;
}

int pg_h5_read(pg_h5 *h, const char *name, hid_t type, void **data, size_t *n)
{
    hid_t ds = open_checked(h, name, type, n);
    if (ds < 0) {
        return PG_EINPUT;
    }
    H5Dclose(ds);
    size_t elem = H5Tget_size(type);
    /*
     * A damaged shape must not make us allocate what the file cannot hold:
     * deflate expands at most about 1032 times, so more than 2048 bytes per
     * byte of file is a lie (found by fuzz_pool: a 2 GiB claim in a 130 KiB file).
     */
    hsize_t file_size = 0;
    if (H5Fget_filesize(h->file, &file_size) < 0 ||
        (*n && (*n > SIZE_MAX / elem || (hsize_t)(*n * elem) / 2048 > file_size))) {
        return pg_error_set(PG_EINPUT,
                            "%s: dataset %s claims %zu elements, more than the file holds", h->path,
                            name, *n);
    }
    *data = pg_malloc_array(*n ? *n : 1, elem);
    if (!*data) {
        return pg_error_oom(name, *n * elem);
    }
    int err = pg_h5_read_into(h, name, type, *data, *n);
    if (err < 0) {
        pg_free(*data);
        *data = NULL;
    }
    return err;
}

/* <name>/bytes (count strings, each NUL-terminated) and <name>/offsets (count + 1). */
static int write_blob(pg_h5 *h, const char *name, const char *bytes, size_t nb, const uint64_t *off,
                      size_t count)
{
    char path[256];
    int err;
    if ((err = pg_h5_group(h, name)) < 0) {
        return err;
    }
    snprintf(path, sizeof(path), "%s/bytes", name);
    if ((err = pg_h5_write(h, path, H5T_NATIVE_UINT8, bytes, count ? nb : 0)) < 0) {
        return err;
    }
    static const uint64_t zero = 0;
    snprintf(path, sizeof(path), "%s/offsets", name);
    return pg_h5_write(h, path, H5T_NATIVE_UINT64, off ? (const void *)off : &zero, count + 1);
}

int pg_h5_write_strings(pg_h5 *h, const char *name, const pg_intern *t)
{
    return write_blob(h, name, t->arena, t->arena_len, t->offset, t->count);
}

int pg_h5_write_strlist(pg_h5 *h, const char *name, const pg_strlist *l)
{
    return write_blob(h, name, l->bytes, l->len, l->off, l->n);
}

int pg_h5_write_string_list(pg_h5 *h, const char *name, const char *const *s, size_t n)
{
    /* a list may repeat strings and is never looked up: an arena, no hash table */
    pg_strlist l;
    pg_strlist_init(&l);
    size_t bytes = 0;
    for (size_t i = 0; i < n; i++) {
        bytes += strlen(s[i]);
    }
    int err = pg_strlist_reserve(&l, n, bytes);
    for (size_t i = 0; i < n && !err; i++) {
        err = pg_strlist_push(&l, s[i], strlen(s[i]));
    }
    if (!err) {
        err = pg_h5_write_strlist(h, name, &l);
    }
    pg_strlist_destroy(&l);
    return err;
}

int pg_h5_write_pool_names(pg_h5 *h, const char *name, uint32_t n, const pg_pool *p,
                           const char *(*get)(const pg_pool *, uint32_t))
{
    const char **s = pg_malloc_array(n ? n : 1, sizeof(char *));
    if (!s) {
        return pg_error_oom(name, (size_t)n * sizeof(char *));
    }
    for (uint32_t i = 0; i < n; i++) {
        s[i] = get(p, i);
        s[i] = s[i] ? s[i] : "";
    }
    int err = pg_h5_write_string_list(h, name, s, n);
    pg_free(s);
    return err;
}

/* Read <name>/bytes and <name>/offsets and check that they describe nb bytes of strings. */
static int read_blob(pg_h5 *h, const char *name, char **bytes, uint64_t **off, size_t *count,
                     size_t *nb)
{
    char path[256];
    size_t no;
    int err;
    *bytes = NULL;
    *off = NULL;
    snprintf(path, sizeof(path), "%s/bytes", name);
    if ((err = pg_h5_read(h, path, H5T_NATIVE_UINT8, (void **)bytes, nb)) < 0) {
        return err;
    }
    snprintf(path, sizeof(path), "%s/offsets", name);
    if ((err = pg_h5_read(h, path, H5T_NATIVE_UINT64, (void **)off, &no)) < 0) {
        pg_free(*bytes);
        *bytes = NULL;
        return err;
    }
    const uint64_t *o = *off;
    const char *b = *bytes;
    int bad = no == 0 || o[0] != 0 || o[no - 1] != *nb || no - 1 > UINT32_MAX - 2;
    int threads = h->threads > 0 ? h->threads : 1;
    (void)threads;                   /* used only by OpenMP pragmas */
    size_t n_checked = bad ? 0 : no; /* the loop reads o[] only when its ends are sane */
#pragma omp parallel for reduction(| : bad) num_threads(threads) if (n_checked >= 65536)
    for (size_t i = 1; i < n_checked; i++) {
        bad |= o[i] <= o[i - 1] || o[i] > *nb || b[o[i] - 1] != '\0';
    }
    if (bad) {
        pg_free(*bytes);
        pg_free(*off);
        *bytes = NULL;
        *off = NULL;
        return pg_error_set(PG_EINPUT, "%s: string table %s is inconsistent", h->path, name);
    }
    *count = no - 1;
    return 0;
}

int pg_h5_read_string_list(pg_h5 *h, const char *name, char ***out, size_t *n)
{
    char *b;
    uint64_t *o;
    size_t nb;
    int err = read_blob(h, name, &b, &o, n, &nb);
    if (err < 0) {
        return err;
    }
    char **list = pg_malloc(*n * sizeof(char *) + nb + 1);
    if (!list) {
        err = pg_error_oom(name, nb);
    } else {
        char *text = (char *)(list + *n);
        memcpy(text, b, nb);
        for (size_t i = 0; i < *n; i++) {
            list[i] = text + o[i];
        }
        *out = list;
    }
    pg_free(b);
    pg_free(o);
    return err;
}

int pg_h5_read_strlist(pg_h5 *h, const char *name, pg_strlist *l)
{
    size_t count, nb;
    pg_strlist_init(l);
    int err = read_blob(h, name, &l->bytes, &l->off, &count, &nb);
    if (err < 0) {
        return err;
    }
    l->n = count;
    l->len = l->cap = nb;
    l->cap_off = count + 1;
    return 0;
}

int pg_h5_read_strings(pg_h5 *h, const char *name, pg_intern *t)
{
    char *bytes;
    uint64_t *off;
    size_t nb, count;
    pg_intern_init(t);
    int err = read_blob(h, name, &bytes, &off, &count, &nb);
    if (err < 0) {
        return err;
    }
    /* the file's layout is the dictionary's own: it is adopted, not copied */
    uint32_t repeat;
    err = pg_intern_adopt(t, bytes, nb, off, (uint32_t)count, h->threads > 0 ? h->threads : 1,
                          &repeat);
    if (err == PG_EINPUT) {
        return pg_error_set(PG_EINPUT, "%s: string table %s repeats an entry (%u)", h->path, name,
                            repeat);
    }
    return err;
}

static int write_attr(pg_h5 *h, const char *obj, const char *name, hid_t type, const void *v)
{
    hid_t space = H5Screate(H5S_SCALAR);
    hid_t a =
        H5Acreate_by_name(h->file, obj, name, type, space, H5P_DEFAULT, H5P_DEFAULT, H5P_DEFAULT);
    herr_t st = a < 0 ? -1 : H5Awrite(a, type, v);
    if (a >= 0) {
        H5Aclose(a);
    }
    H5Sclose(space);
    if (st < 0) {
        return pg_error_set(PG_EIO, "%s: cannot write attribute %s", h->path, name);
    }
    return 0;
}

int pg_h5_attr_string(pg_h5 *h, const char *obj, const char *name, const char *value)
{
    hid_t t = H5Tcopy(H5T_C_S1);
    H5Tset_size(t, strlen(value) + 1);
    int err = write_attr(h, obj, name, t, value);
    H5Tclose(t);
    return err;
}

int pg_h5_attr_int(pg_h5 *h, const char *obj, const char *name, int64_t value)
{
    return write_attr(h, obj, name, H5T_NATIVE_INT64, &value);
}

int pg_h5_attr_double(pg_h5 *h, const char *obj, const char *name, double value)
{
    return write_attr(h, obj, name, H5T_NATIVE_DOUBLE, &value);
}

int pg_h5_get_attr_string(pg_h5 *h, const char *obj, const char *name, char *buf, size_t cap)
{
    hid_t a = H5Aopen_by_name(h->file, obj, name, H5P_DEFAULT, H5P_DEFAULT);
    if (a < 0) {
        return pg_error_set(PG_EINPUT, "%s: attribute %s missing", h->path, name);
    }
    hid_t ft = H5Aget_type(a);
    int err = 0;
    size_t size = H5Tget_size(ft);
    if (H5Tget_class(ft) != H5T_STRING || H5Tis_variable_str(ft) > 0 || size >= cap) {
        err = pg_error_set(PG_EINPUT, "%s: attribute %s is not a short string", h->path, name);
    } else {
        hid_t mt = H5Tcopy(H5T_C_S1);
        H5Tset_size(mt, size);
        memset(buf, 0, cap);
        if (H5Aread(a, mt, buf) < 0) {
            err = pg_error_set(PG_EINPUT, "%s: cannot read attribute %s", h->path, name);
        }
        H5Tclose(mt);
    }
    H5Tclose(ft);
    H5Aclose(a);
    return err;
}

int pg_h5_get_attr_int(pg_h5 *h, const char *obj, const char *name, int64_t *value)
{
    hid_t a = H5Aopen_by_name(h->file, obj, name, H5P_DEFAULT, H5P_DEFAULT);
    if (a < 0) {
        return pg_error_set(PG_EINPUT, "%s: attribute %s missing", h->path, name);
    }
    hid_t ft = H5Aget_type(a);
    int ok = H5Tget_class(ft) == H5T_INTEGER;
    H5Tclose(ft);
    int err = ok && H5Aread(a, H5T_NATIVE_INT64, value) >= 0
                  ? 0
                  : pg_error_set(PG_EINPUT, "%s: attribute %s is not an integer", h->path, name);
    H5Aclose(a);
    return err;
}

int pg_h5_tmp_path(char *buf, size_t cap, const char *path)
{
    int n = snprintf(buf, cap, "%s.tmp.%ld", path, (long)getpid());
    if (n < 0 || (size_t)n >= cap) {
        return pg_error_set(PG_EINVAL, "output path too long: %s", path);
    }
    return 0;
}

int pg_h5_commit(const char *tmp, const char *path, int err)
{
    if (!err && chmod(tmp, 0600) != 0) {
        err = pg_error_set(PG_EIO, "%s: cannot set permissions", tmp);
    }
    if (!err && rename(tmp, path) != 0) {
        err = pg_error_set(PG_EIO, "%s: cannot rename the finished file into place", path);
    }
    if (err) {
        unlink(tmp);
    }
    return err;
}
