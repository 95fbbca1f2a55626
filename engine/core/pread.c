/* Whole-range pread (see pread.h). */
#include "core/pread.h"

#include <errno.h>
#include <sys/types.h>
#include <unistd.h>

int pg_pread_full(int fd, void *dst, size_t len, uint64_t off, size_t *got)
{
    unsigned char *p = dst;
    *got = 0;
    while (*got < len) {
        ssize_t k = pread(fd, p + *got, len - *got, (off_t)(off + *got));
        if (k < 0 && errno == EINTR) {
            continue;
        }
        if (k < 0) {
            return errno ? errno : EIO;
        }
        if (k == 0) {
            break;
        }
        *got += (size_t)k;
    }
    return 0;
}
