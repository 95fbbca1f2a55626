/*
 * Fuzz target for the warm-start reader (pg_communities_warm_start on the
 * input written to a temporary file as an earlier community results file),
 * against a small fixed pool. The seed corpus holds a real keyed results
 * file of that pool; since results files carry a seal, as pool files do, a
 * mutation is refused before HDF5 parses the file.
 *
 * Properties: the reader never crashes; it refuses the file with
 * PG_EINPUT, PG_EIO, PG_EDEP or PG_ENOMEM, or gives every vertex a label
 * below n, numbered in order of first appearance, with at most every
 * account matched; and the result does not depend on the thread count.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "fuzz_check.h"
#include "paygraph/paygraph.h"

/* The pool of the seed corpus: accounts B1:a, B1:b, B2:c, B2:d, B1:e, B2:f. */
static const char txns[] = "timestamp,amount,src_institution,src_account,dst_institution,"
                           "dst_account\n"
                           "1700000000,10.00,B1,a,B1,b\n"
                           "1700000060,10.00,B2,c,B2,d\n"
                           "1700000120,10.00,B1,e,B2,f\n";

typedef struct fixture {
    pg_pool *pool;
    pg_graph graph;
} fixture;

/* Built on the first input and kept: ingesting it again for every input would be most of the run. */
static const fixture *the_fixture(void)
{
    static fixture fx;
    static int ready;
    if (ready) {
        return &fx;
    }
    char dir[] = "/tmp/pgfuzz-warm-pool-XXXXXX", path[64];
    FUZZ_CHECK(mkdtemp(dir) != NULL);
    snprintf(path, sizeof(path), "%s/txns.csv", dir);
    FILE *f = fopen(path, "w");
    FUZZ_CHECK(f != NULL && fputs(txns, f) >= 0 && fclose(f) == 0);
    const char *t[1] = {path};
    pg_ingest_options o;
    pg_ingest_options_init(&o);
    o.transactions = t;
    o.n_transactions = 1;
    o.threads = 1;
    FUZZ_CHECK(pg_pool_ingest(&fx.pool, &o) == 0);
    pg_graph_options go;
    pg_graph_options_init(&go);
    go.threads = 1;
    FUZZ_CHECK(pg_graph_build(&fx.graph, fx.pool, &go) == 0);
    unlink(path);
    rmdir(dir);
    ready = 1;
    return &fx;
}

static void check_labels(const uint32_t *initial, uint32_t n)
{
    uint32_t next = 0;
    for (uint32_t v = 0; v < n; v++) {
        FUZZ_CHECK(initial[v] <= next);
        next += initial[v] == next;
    }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size > (1u << 20)) {
        return 0;
    }
    const fixture *fx = the_fixture();
    char dir[] = "/tmp/pgfuzz-warm-XXXXXX", path[64];
    FUZZ_CHECK(mkdtemp(dir) != NULL);
    snprintf(path, sizeof(path), "%s/in.h5", dir);
    FILE *f = fopen(path, "wb");
    FUZZ_CHECK(f != NULL);
    FUZZ_CHECK(fwrite(data, 1, size, f) == size);
    fclose(f);
    uint32_t n = fx->graph.n, one[16], two[16], m1 = 0, m2 = 0;
    FUZZ_CHECK(n <= 16);
    int st = pg_communities_warm_start(one, &m1, path, fx->pool, &fx->graph, 1);
    if (st == 0) {
        check_labels(one, n);
        FUZZ_CHECK(m1 <= fx->graph.n_accounts);
        FUZZ_CHECK(pg_communities_warm_start(two, &m2, path, fx->pool, &fx->graph, 2) == 0);
        FUZZ_CHECK(m1 == m2 && memcmp(one, two, n * sizeof(*one)) == 0);
    } else {
        FUZZ_CHECK(st == PG_EINPUT || st == PG_EIO || st == PG_EDEP || st == PG_ENOMEM);
    }
    unlink(path);
    rmdir(dir);
    return 0;
}
