/* Reading a range of a regular file whole, whatever the kernel's short reads (pread.c). */
#ifndef PG_CORE_PREAD_H
#define PG_CORE_PREAD_H

#include <stddef.h>
#include <stdint.h>

/*
 * pread len bytes at off into dst, retrying interrupted and partial reads
 * until len bytes or the end of the file; *got bytes read. Returns 0, or
 * the errno of a failed read. A regular file falls short only at its end.
 */
int pg_pread_full(int fd, void *dst, size_t len, uint64_t off, size_t *got);

#endif
