/*
 * Thread-local error messages (libgit2 style): the failing call writes the
 * message, the caller returns the code unchanged up the stack, the top level
 * reads pg_error_last(). Messages are bounded; longer ones are truncated.
 */
#include "core/error.h"

#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "build_info.h"

#define PG_ERROR_MAX 1024

static _Thread_local char last_message[PG_ERROR_MAX];
static volatile sig_atomic_t interrupt_flag;

int pg_error_set(int code, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(last_message, sizeof(last_message), fmt, ap);
    va_end(ap);
    return code;
}

int pg_error_wrap(int code, const char *fmt, ...)
{
    char msg[PG_ERROR_MAX];
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(msg, sizeof(msg), fmt, ap);
    va_end(ap);
    size_t used = n < 0 ? 0 : ((size_t)n < sizeof(msg) ? (size_t)n : sizeof(msg) - 1);
    /* append ": <old message>" to the prefix, truncating at the buffer end */
    const char *parts[2] = {": ", last_message};
    for (int i = 0; i < 2; i++) {
        size_t len = strlen(parts[i]);
        if (used + len >= sizeof(msg)) {
            len = sizeof(msg) - 1 - used;
        }
        memcpy(msg + used, parts[i], len);
        used += len;
    }
    msg[used] = '\0';
    memcpy(last_message, msg, used + 1);
    return code;
}

int pg_error_oom(const char *what, size_t bytes)
{
    return pg_error_set(PG_ENOMEM, "out of memory allocating %zu bytes for %s", bytes, what);
}

const char *pg_error_last(void)
{
    return last_message[0] ? last_message : "no error";
}

const char *pg_strerror(int status)
{
    switch (status) {
    case PG_OK:
        return "ok";
    case PG_EINVAL:
        return "invalid argument";
    case PG_EINPUT:
        return "bad input";
    case PG_ENOMEM:
        return "out of memory";
    case PG_EIO:
        return "i/o error";
    case PG_EDEP:
        return "dependency failure";
    case PG_EINTERNAL:
        return "internal error";
    case PG_EINTR:
        return "interrupted";
    default:
        return "unknown error";
    }
}

int pg_exit_code(int status)
{
    switch (status) {
    case PG_OK:
        return 0;
    case PG_EINVAL:
        return 1;
    case PG_EINPUT:
        return 2;
    case PG_ENOMEM:
    case PG_EIO:
        return 3;
    default:
        return 4;
    }
}

const char *pg_version(void)
{
    return PG_VERSION_STRING;
}

const char *pg_build_commit(void)
{
    return PG_GIT_COMMIT;
}

void pg_interrupt_request(void)
{
    interrupt_flag = 1;
}

int pg_interrupted(void)
{
    return interrupt_flag != 0;
}
