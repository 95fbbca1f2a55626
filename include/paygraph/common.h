/*
 * paygraph — common definitions: export macro, status codes, error messages,
 * version and thread-count helpers shared by every module.
 *
 * Every fallible call returns an int status: 0 on success, a negative PG_E*
 * code on failure. The message of the last failure on the calling thread is
 * read with pg_error_last(); it stays valid until the next failing call on
 * that thread.
 */
#ifndef PAYGRAPH_COMMON_H
#define PAYGRAPH_COMMON_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

#if defined(__GNUC__) || defined(__clang__)
#define PG_API __attribute__((visibility("default")))
#define PG_PRINTF(fmt, args) __attribute__((format(printf, fmt, args)))
#else
#define PG_API
#define PG_PRINTF(fmt, args)
#endif

/* Status codes. Each maps to one CLI exit code (pg_exit_code). */
enum {
    PG_OK = 0,
    PG_EINVAL = -1,    /* invalid argument or option (exit 1) */
    PG_EINPUT = -2,    /* bad input data (exit 2) */
    PG_ENOMEM = -3,    /* out of memory or over the memory budget (exit 3) */
    PG_EIO = -4,       /* file system error: open, write, rename, disk full (exit 3) */
    PG_EDEP = -5,      /* a dependency (HDF5, igraph, zlib) failed (exit 4) */
    PG_EINTERNAL = -6, /* a bug: an invariant did not hold (exit 4) */
    PG_EINTR = -7      /* interrupted by a signal (exit 4) */
};

/* Current time as epoch seconds with fraction; process peak RSS in bytes; process CPU seconds. */
PG_API double pg_now(void);
PG_API uint64_t pg_peak_rss(void);
PG_API double pg_cpu_seconds(void);

/* Timing and memory of one stage of a run. */
typedef struct pg_stage_stats {
    const char *name;    /* "load", "graph", "rings", "outputs", ... */
    double wall_seconds; /* elapsed time of the stage */
    double cpu_seconds;  /* user + system CPU time of the process during the stage */
    uint64_t peak_rss;   /* peak resident set of the process at the end of the stage, bytes */
} pg_stage_stats;

/* Message of the last error set on this thread; never NULL. */
PG_API const char *pg_error_last(void);

/* Short name of a status code ("invalid input", ...). */
PG_API const char *pg_strerror(int status);

/* CLI exit code for a status: 0 ok, 1 usage, 2 bad input, 3 resources, 4 internal. */
PG_API int pg_exit_code(int status);

/* Library version, e.g. "0.1.0", and the commit it was built from. */
PG_API const char *pg_version(void);
PG_API const char *pg_build_commit(void);

/*
 * Number of CPUs this process may use: the smallest of its CPU affinity set,
 * the cgroup CPU quota (cpu.max, rounded up) and OMP_NUM_THREADS when set.
 * Always >= 1. Scheduled jobs get exactly what the scheduler granted.
 */
PG_API int pg_threads_available(void);

/* Resolve a user thread request: n > 0 is taken as is, n <= 0 means "available". */
PG_API int pg_threads_resolve(int n);

/*
 * Interruption: a signal handler may call pg_interrupt_request(); long kernels
 * poll pg_interrupted() between rounds and return PG_EINTR. The flag is a
 * sig_atomic_t, the one piece of process-wide state the library keeps.
 */
PG_API void pg_interrupt_request(void);
PG_API int pg_interrupted(void);

#ifdef __cplusplus
}
#endif
#endif
