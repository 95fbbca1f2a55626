/*
 * How many CPUs may this process use? A scheduled cluster job must honour
 * what it was given, not what the node has: we take the minimum of the
 * affinity mask, the cgroup v2 quota (cpu.max) or v1 quota
 * (cpu.cfs_quota_us / cpu.cfs_period_us), and OMP_NUM_THREADS.
 */
#define _GNU_SOURCE
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "core/error.h"

static int affinity_cpus(void)
{
    cpu_set_t set;
    CPU_ZERO(&set);
    if (sched_getaffinity(0, sizeof(set), &set) == 0) {
        int n = CPU_COUNT(&set);
        if (n > 0) {
            return n;
        }
    }
    long n = sysconf(_SC_NPROCESSORS_ONLN);
    return n > 0 ? (int)n : 1;
}

/* Quota / period rounded up; 0 when unlimited or unreadable. */
static int quota_cpus(long long quota, long long period)
{
    if (quota <= 0 || period <= 0) {
        return 0;
    }
    return (int)((quota + period - 1) / period);
}

static int cgroup_cpus(void)
{
    FILE *f = fopen("/sys/fs/cgroup/cpu.max", "r");
    if (f) {
        char q[32] = {0};
        long long period = 0;
        int got = fscanf(f, "%31s %lld", q, &period);
        fclose(f);
        if (got == 2 && strcmp(q, "max") != 0) {
            return quota_cpus(strtoll(q, NULL, 10), period);
        }
        return 0;
    }
    long long quota = -1, period = 0;
    f = fopen("/sys/fs/cgroup/cpu/cpu.cfs_quota_us", "r");
    if (f) {
        if (fscanf(f, "%lld", &quota) != 1) {
            quota = -1;
        }
        fclose(f);
    }
    f = fopen("/sys/fs/cgroup/cpu/cpu.cfs_period_us", "r");
    if (f) {
        if (fscanf(f, "%lld", &period) != 1) {
            period = 0;
        }
        fclose(f);
    }
    return quota_cpus(quota, period);
}

int pg_threads_available(void)
{
    int n = affinity_cpus();
    int cg = cgroup_cpus();
    if (cg > 0 && cg < n) {
        n = cg;
    }
    const char *env = getenv("OMP_NUM_THREADS");
    if (env && *env) {
        char *end = NULL;
        long v = strtol(env, &end, 10);
        if (end != env && v > 0 && v < n) {
            n = (int)v;
        }
    }
    return n > 0 ? n : 1;
}

int pg_threads_resolve(int n)
{
    return n > 0 ? n : pg_threads_available();
}
