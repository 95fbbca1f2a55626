/*
 * pg_pool_ingest: reads every input file in the order given (transactions,
 * then accounts, then watchlists), records each file's provenance and
 * totals, writes rejected rows to the rejects file, and converts amounts to
 * the reporting currency.
 */
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include <sodium.h>

#include "core/alloc.h"
#include "ingest/csv.h"
#include "core/error.h"
#include "ingest/currency.h"
#include "ingest/ingest_internal.h"
#include "ingest/keys.h"
#include "ingest/schema.h"

void pg_ingest_options_init(pg_ingest_options *o)
{
    memset(o, 0, sizeof(*o));
    o->format = "paygraph";
    o->on_error = PG_ON_ERROR_FAIL;
    o->default_currency = "AUD";
    o->checksums = 1;
}

void pg_ingest__warn(pg_ingest_run *run, const char *fmt, ...)
{
    char msg[1024];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof(msg), fmt, ap);
    va_end(ap);
    if (run->o->warn) {
        run->o->warn(run->o->warn_ctx, msg);
    } else {
        fprintf(stderr, "paygraph: %s\n", msg);
    }
}

/* CSV field with quotes doubled. */
int pg_ingest__reject(pg_ingest_run *run, const char *path, uint64_t line, int column,
                      const char *column_name, const char *reason, const char *rec, size_t rec_len)
{
    FILE *f = run->rejects;
    if (!f) {
        return 0;
    }
    pg_csv_put_quoted(f, path, strlen(path));
    fprintf(f, ",%llu,%d,", (unsigned long long)line, column);
    pg_csv_put_quoted(f, column_name ? column_name : "", column_name ? strlen(column_name) : 0);
    fputc(',', f);
    pg_csv_put_quoted(f, reason, strlen(reason));
    fputc(',', f);
    pg_csv_put_quoted(f, rec, rec_len);
    if (fputc('\n', f) == EOF) {
        return pg_error_set(PG_EIO, "%s: cannot write rejects", run->rejects_path);
    }
    return 0;
}

static int open_rejects(pg_ingest_run *run)
{
    const pg_ingest_options *o = run->o;
    if (o->on_error != PG_ON_ERROR_SKIP) {
        return 0;
    }
    if (!o->rejects_path) {
        return pg_error_set(PG_EINVAL, "--on-error=skip needs a rejects file");
    }
    run->rejects_path = o->rejects_path;
    run->rejects = fopen(o->rejects_path, "w");
    if (!run->rejects) {
        return pg_error_set(PG_EIO, "%s: cannot create the rejects file", o->rejects_path);
    }
    fputs("file,line,column,column_name,reason,record\n", run->rejects);
    return 0;
}

static int close_rejects(pg_ingest_run *run, int err)
{
    if (run->rejects && fclose(run->rejects) != 0 && !err) {
        err = pg_error_set(PG_EIO, "%s: cannot write the rejects file", run->rejects_path);
    }
    run->rejects = NULL;
    return err;
}

static int setup_lexicon(pg_ingest_run *run)
{
    const pg_ingest_options *o = run->o;
    pg_pool *p = run->pool;
    int err;
    if (!o->lexicon) {
        err = pg_lexicon_init_default(&run->lexicon);
    } else if (o->n_lexicon > PG_MAX_LEXICON) {
        return pg_error_set(PG_EINVAL, "at most %d reference-lexicon categories, not %zu",
                            PG_MAX_LEXICON, o->n_lexicon);
    } else {
        err = pg_lexicon_new(&run->lexicon);
        for (size_t c = 0; !err && c < o->n_lexicon; c++) {
            for (size_t t = 0; !err && t < o->lexicon[c].n_terms; t++) {
                err = pg_lexicon_add(run->lexicon, o->lexicon[c].name, o->lexicon[c].terms[t]);
            }
        }
    }
    if (err < 0) {
        return err;
    }
    int n = pg_lexicon_category_count(run->lexicon);
    if (n > PG_MAX_LEXICON) {
        return pg_error_set(PG_EINTERNAL, "the lexicon has %d categories, the pool keeps %d", n,
                            PG_MAX_LEXICON);
    }
    for (int b = 0; b < n; b++) {
        if (!(p->lexicon_names[b] = pg_strdup(pg_lexicon_category_name(run->lexicon, b)))) {
            return pg_error_oom("lexicon names", 32);
        }
        p->n_lexicon = (unsigned)b + 1;
    }
    return 0;
}

static double rate_of(const pg_ingest_options *o, const char *code, int *found)
{
    for (size_t i = 0; i < o->n_rates; i++) {
        if (!strcasecmp(o->rates[i].code, code)) {
            *found = 1;
            return o->rates[i].rate;
        }
    }
    *found = 0;
    return 1.0;
}

/*
 * Amounts in the reporting currency, for scoring that compares amounts.
 * Rates are approximate by nature, so this is the one place money passes
 * through a double; the stored amounts stay exact.
 */
static int convert_amounts(pg_ingest_run *run)
{
    pg_pool *p = run->pool;
    const pg_ingest_options *o = run->o;
    const char *rep = o->reporting_currency ? o->reporting_currency : o->default_currency;
    pg_currency rc;
    if (pg_currency_lookup(rep, strlen(rep), &rc) < 0) {
        return pg_error_set(PG_EINVAL, "unknown reporting currency '%s'", rep);
    }
    snprintf(p->reporting_currency, sizeof(p->reporting_currency), "%s", rc.code);
    uint32_t nc = p->currencies.count;
    if (nc == 0 || (nc == 1 && !strcmp(pg_intern_str(&p->currencies, 0), rc.code))) {
        p->amount_rep = p->amount;
        return 0;
    }
    double factor[256];
    for (uint32_t c = 0; c < nc; c++) {
        const char *code = pg_intern_str(&p->currencies, c);
        int found;
        double r = strcmp(code, rc.code) ? rate_of(o, code, &found) : (found = 1, 1.0);
        if (!found) {
            pg_ingest__warn(run,
                            "no exchange rate for %s into %s: amounts taken 1:1 in major units",
                            code, rc.code);
        }
        factor[c] = r * pow(10.0, rc.scale - p->currency_scale[c]);
    }
    p->amount_rep = pg_malloc_array((size_t)(p->n ? p->n : 1), sizeof(int64_t));
    if (!p->amount_rep) {
        return pg_error_oom("reporting-currency amounts", (size_t)p->n * 8);
    }
#pragma omp parallel for num_threads(run->threads) schedule(static)
    for (int64_t i = 0; i < p->n; i++) {
        p->amount_rep[i] = llround((double)p->amount[i] * factor[p->currency[i]]);
    }
    return 0;
}

static int read_files(pg_ingest_run *run, const char *const *paths, size_t n, const char *kind)
{
    for (size_t i = 0; i < n; i++) {
        pg_file_info info;
        memset(&info, 0, sizeof(info));
        info.path = paths[i];
        int err = !strcmp(kind, "transactions")
                      ? pg_ingest__transactions(run, paths[i], &info)
                      : pg_ingest__side_file(run, paths[i], !strcmp(kind, "watchlist"), &info);
        int err2 = pg_pool__add_file(run->pool, &info);
        if (err < 0 || err2 < 0) {
            return err < 0 ? err : err2;
        }
        run->pool->totals.rows_read += info.rows_read;
        run->pool->totals.rows_loaded += info.rows_loaded;
        run->pool->totals.rows_rejected += info.rows_rejected;
    }
    return 0;
}

int pg_pool_ingest(pg_pool **out, const pg_ingest_options *o)
{
    pg_ingest_run run;
    memset(&run, 0, sizeof(run));
    run.o = o;
    run.threads = pg_threads_resolve(o->threads);
    int err;
    if (!o->n_transactions) {
        return pg_error_set(PG_EINVAL, "no transactions file given");
    }
    if (o->format && !pg_schema_known_format(o->format)) {
        return pg_error_set(PG_EINVAL, "unknown format '%s' (paygraph, amlworld, jsonl, custom)",
                            o->format);
    }
    if (sodium_init() < 0) {
        return pg_error_set(PG_EDEP, "libsodium failed to initialise");
    }
    if ((err = pg_pool__new(&run.pool)) < 0) {
        return err;
    }
    if ((err = open_rejects(&run)) == 0 && (err = setup_lexicon(&run)) == 0 &&
        (err = read_files(&run, o->transactions, o->n_transactions, "transactions")) == 0 &&
        (err = read_files(&run, o->accounts, o->n_accounts, "accounts")) == 0 &&
        (err = read_files(&run, o->watchlist, o->n_watchlist, "watchlist")) == 0 &&
        (err = convert_amounts(&run)) == 0) {
        err = pg_pool__index_watchlist(run.pool);
    }
    err = close_rejects(&run, err);
    pg_lexicon_free(run.lexicon);
    pg_key_index_free(run.keys);
    if (err < 0) {
        pg_pool_free(run.pool);
        return err;
    }
    uint32_t side_only = 0;
    for (uint32_t a = 0; a < run.pool->n_accounts; a++) {
        side_only += !run.pool->acct_in_txns[a];
    }
    run.pool->totals.accounts_only_in_side_files = side_only;
    pg_pool__shrink(run.pool);
    *out = run.pool;
    return 0;
}
