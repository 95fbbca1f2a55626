/*
 * A pool ingested from CSV text, for targets that check code against a
 * fixed pool (fuzz_warm_start, fuzz_previous_rings): built once, on the
 * first input, since ingesting again for every input would be most of the
 * run.
 */
#ifndef PG_FUZZ_POOL_TEXT_H
#define PG_FUZZ_POOL_TEXT_H

#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#include "fuzz_check.h"
#include "paygraph/paygraph.h"

static void fuzz_write_text(const char *path, const char *text)
{
    FILE *f = fopen(path, "w");
    FUZZ_CHECK(f != NULL && fputs(text, f) >= 0 && fclose(f) == 0);
}

/* The pool of transactions txns and, unless NULL, accounts file accounts (1 thread, no checksums).
 */
static pg_pool *fuzz_pool_from_text(const char *txns, const char *accounts)
{
    char dir[] = "/tmp/pgfuzz-pool-XXXXXX", tpath[64], apath[64];
    FUZZ_CHECK(mkdtemp(dir) != NULL);
    snprintf(tpath, sizeof(tpath), "%s/txns.csv", dir);
    snprintf(apath, sizeof(apath), "%s/accounts.csv", dir);
    fuzz_write_text(tpath, txns);
    const char *t[1] = {tpath}, *a[1] = {apath};
    pg_ingest_options o;
    pg_ingest_options_init(&o);
    o.transactions = t;
    o.n_transactions = 1;
    if (accounts) {
        fuzz_write_text(apath, accounts);
        o.accounts = a;
        o.n_accounts = 1;
    }
    o.threads = 1;
    o.checksums = 0;
    pg_pool *pool = NULL;
    FUZZ_CHECK(pg_pool_ingest(&pool, &o) == 0);
    unlink(tpath);
    if (accounts) {
        unlink(apath);
    }
    rmdir(dir);
    return pool;
}

#endif
