/* A checksum seal in the HDF5 user block of a pool or community results file (seal.c). */
#ifndef PG_STORE_SEAL_H
#define PG_STORE_SEAL_H

/* Bytes reserved at the start of a sealed file (an HDF5 user block size). */
#define PG_SEAL_BYTES 512

/*
 * Write the seal of the finished file at path (created with a user block of
 * PG_SEAL_BYTES), hashing with up to `threads` threads.
 */
int pg_seal_write(const char *path, int threads);

/*
 * Check the seal of path before anything parses the file: PG_EINPUT naming
 * the file when there is no seal or the content does not match it, PG_EIO
 * when it cannot be read. kind names the file in the message ("pool
 * file"), redo what rebuilds it ("ingest its inputs again").
 */
int pg_seal_check(const char *path, int threads, const char *kind, const char *redo);

#endif
