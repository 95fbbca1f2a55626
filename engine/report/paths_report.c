/*
 * Paths as evidence: every path printed or serialised as its transactions
 * (id, time, exact amount and currency, both institutions and accounts), so
 * that an analyst can follow the money hop by hop.
 */
#include <cJSON.h>
#include <stdio.h>

#include "core/alloc.h"
#include "core/error.h"
#include "ingest/amount.h"
#include "paygraph/report.h"
#include "report/report_util.h"

static int text(pg_report_text *out, const pg_pool *p, const pg_path_set *ps, size_t limit)
{
    pg_sbuf b;
    pg_txn_columns t;
    pg_account_columns a;
    pg_sbuf_init(&b);
    pg_pool_txns(p, &t);
    pg_pool_accounts(p, &a);
    size_t shown = ps->count < limit ? ps->count : limit;
    for (size_t k = 0; k < shown; k++) {
        int64_t lo = ps->off[k], hi = ps->off[k + 1];
        pg_sbuf_printf(&b, "path %zu: %lld hop(s), cost %g\n", k + 1, (long long)(hi - lo),
                       ps->cost ? ps->cost[k] : (double)(hi - lo));
        for (int64_t h = lo; h < hi; h++) {
            uint32_t i = ps->txn[h];
            char id[512], when[32], amount[40];
            pg_report__txn_id(id, sizeof(id), p, i);
            pg_format_time(when, sizeof(when), t.ts[i]);
            pg_format_amount(amount, sizeof(amount), t.amount[i],
                             pg_pool_currency_scale(p, t.currency[i]));
            pg_sbuf_printf(&b, "  %s  %12s %s  %s:%s -> %s:%s  (%s)\n", when, amount,
                           pg_pool_currency_code(p, t.currency[i]),
                           pg_pool_institution_name(p, a.institution[t.src[i]]),
                           pg_pool_account_name(p, t.src[i]),
                           pg_pool_institution_name(p, a.institution[t.dst[i]]),
                           pg_pool_account_name(p, t.dst[i]), id);
        }
    }
    if (ps->count > shown || ps->truncated) {
        pg_sbuf_printf(&b, "(%zu path(s) shown of %zu%s)\n", shown, ps->count,
                       ps->truncated ? "; the enumeration was cut short" : "");
    }
    return pg_report__finish(out, &b);
}

static int json(pg_report_text *out, const pg_pool *p, const pg_path_set *ps, size_t limit)
{
    cJSON *root = cJSON_CreateObject(), *arr = cJSON_AddArrayToObject(root, "paths");
    int err = root && arr ? 0 : pg_error_oom("paths JSON", 64);
    size_t shown = ps->count < limit ? ps->count : limit;
    for (size_t k = 0; k < shown && !err; k++) {
        cJSON *o = cJSON_CreateObject(), *tx;
        if (!o || !cJSON_AddItemToArray(arr, o) ||
            !cJSON_AddNumberToObject(o, "hops", (double)(ps->off[k + 1] - ps->off[k])) ||
            !cJSON_AddNumberToObject(
                o, "cost", ps->cost ? ps->cost[k] : (double)(ps->off[k + 1] - ps->off[k])) ||
            !(tx = cJSON_AddArrayToObject(o, "transactions"))) {
            err = pg_error_oom("paths JSON", 64);
            break;
        }
        for (int64_t h = ps->off[k]; h < ps->off[k + 1] && !err; h++) {
            cJSON *x = cJSON_CreateObject();
            err = x && cJSON_AddItemToArray(tx, x) ? pg_report__txn_fields(x, p, ps->txn[h])
                                                   : pg_error_oom("paths JSON", 64);
        }
    }
    if (!err && (!cJSON_AddNumberToObject(root, "count", (double)ps->count) ||
                 !cJSON_AddBoolToObject(root, "truncated", ps->truncated || ps->count > shown))) {
        err = pg_error_oom("paths JSON", 64);
    }
    char *s = err ? NULL : cJSON_PrintUnformatted(root);
    cJSON_Delete(root);
    if (!err && !s) {
        err = pg_error_oom("paths JSON", 64);
    }
    if (!err) {
        pg_sbuf b;
        pg_sbuf_init(&b);
        pg_sbuf_puts(&b, s);
        pg_sbuf_puts(&b, "\n");
        err = pg_report__finish(out, &b);
    }
    cJSON_free(s);
    return err;
}

int pg_paths_report(pg_report_text *out, const pg_pool *p, const pg_path_set *ps, size_t limit,
                    int as_json)
{
    if (!ps->txn && ps->count) {
        return pg_error_set(PG_EINVAL, "paths report: the paths carry no transactions");
    }
    return as_json ? json(out, p, ps, limit) : text(out, p, ps, limit);
}
