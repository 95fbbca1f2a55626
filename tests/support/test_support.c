#include "test_support.h"

#include <stdio.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>

uint64_t pg_test_seed(const char *test, uint64_t fallback)
{
    const char *env = getenv("PG_TEST_SEED");
    uint64_t seed = env ? strtoull(env, NULL, 10) : fallback;
    printf("# %s: seed %llu (set PG_TEST_SEED to replay)\n", test, (unsigned long long)seed);
    return seed;
}

const char *pg_test_tmpdir(const char *name)
{
    static char path[512];
    const char *base = getenv("TMPDIR");
    snprintf(path, sizeof(path), "%s/pgtest-%s-%ld", base ? base : "/tmp", name, (long)getpid());
    mkdir(path, 0700);
    return path;
}

const char *pg_test_data(const char *relpath)
{
    static char path[1024];
    snprintf(path, sizeof(path), "%s/%s", PG_TEST_DATA_DIR, relpath);
    return path;
}
