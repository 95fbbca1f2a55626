/*
 * OpenMP helpers that keep the library building without -fopenmp.
 * Library code passes the thread count per parallel region
 * (num_threads(...)); it never changes global OpenMP state.
 */
#ifndef PG_CORE_PAR_H
#define PG_CORE_PAR_H

#ifdef _OPENMP
#include <omp.h>
static inline int pg_par_thread_id(void)
{
    return omp_get_thread_num();
}
static inline int pg_par_team_size(void)
{
    return omp_get_num_threads();
}
#else
static inline int pg_par_thread_id(void)
{
    return 0;
}
static inline int pg_par_team_size(void)
{
    return 1;
}
#endif

/* Split [0, n) into `parts` contiguous ranges; range i is [lo, hi). */
static inline void pg_par_range(long long n, int parts, int i, long long *lo, long long *hi)
{
    *lo = n * i / parts;
    *hi = n * (i + 1) / parts;
}

#endif
