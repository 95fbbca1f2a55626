/*
 * Accounts and watchlist files. They are much smaller than transaction
 * files (one row per account), so they are read whole and parsed serially
 * with the same CSV tokenizer and the same diagnostics.
 *
 * Accounts named here but absent from the transactions are kept (with
 * in_txns = 0) and counted, so that nothing an institution supplied is
 * silently dropped.
 */
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "core/alloc.h"
#include "core/country.h"
#include "core/error.h"
#include "ingest/csv.h"
#include "ingest/ingest_internal.h"
#include "ingest/reader.h"
#include "ingest/schema.h"
#include "ingest/timestamp.h"

typedef struct side_state {
    pg_ingest_run *run;
    const char *path;
    int watchlist;
    int idx[PG_SCOL_COUNT];
    size_t n_header;
    pg_file_info *info;
} side_state;

static pg_field col(const side_state *s, const pg_csv_record *rec, pg_side_col c)
{
    int i = s->idx[c];
    return i >= 0 ? pg_field_trim(rec->fields[i]) : (pg_field){"", 0, 0};
}

/* A bad row: fail, or reject and go on. Returns <0 to stop, 0 to continue. */
static int side_bad(side_state *s, uint64_t line, pg_side_col c, const char *why, pg_field v,
                    const char *rec, size_t rec_len)
{
    int column = s->idx[c] >= 0 ? s->idx[c] + 1 : 0;
    char reason[160];
    snprintf(reason, sizeof(reason), "%s '%.*s'", why, (int)(v.len > 40 ? 40 : v.len), v.p);
    s->info->rows_rejected++;
    if (s->run->o->on_error == PG_ON_ERROR_FAIL) {
        return pg_error_set(PG_EINPUT, "%s:%llu: column %d '%s': %s", s->path,
                            (unsigned long long)line, column, pg_side_col_name(c), reason);
    }
    if (s->run->diagnostics++ < 10) {
        pg_ingest__warn(s->run, "%s:%llu: column %d '%s': %s (rejected)", s->path,
                        (unsigned long long)line, column, pg_side_col_name(c), reason);
    }
    while (rec_len && (rec[rec_len - 1] == '\n' || rec[rec_len - 1] == '\r')) {
        rec_len--;
    }
    return pg_ingest__reject(s->run, s->path, line, column, pg_side_col_name(c), reason, rec,
                             rec_len);
}

static int parse_kind(pg_field v, uint8_t *kind)
{
    static const char *const names[] = {"unknown", "person", "business", "merchant"};
    if (!v.len) {
        *kind = PG_KIND_UNKNOWN;
        return 0;
    }
    for (uint8_t k = 0; k < 4; k++) {
        if (strlen(names[k]) == v.len && strncasecmp(names[k], v.p, v.len) == 0) {
            *kind = k;
            return 0;
        }
    }
    return -1;
}

static int intern_entity(pg_pool *p, pg_field v, uint32_t acct)
{
    if (!v.len) {
        return 0;
    }
    uint32_t e;
    int err = pg_intern_put(&p->entities, v.p, v.len, &e, NULL);
    if (err < 0) {
        return err;
    }
    /* a second token for the same account is linked by the graph builder's union-find */
    if (p->acct_entity[acct] == PG_NONE || p->acct_entity[acct] == e) {
        p->acct_entity[acct] = e;
        return 0;
    }
    return pg_pool__entity_link(p, acct, e);
}

/* One accounts/watchlist record. Returns <0 to stop, 0 otherwise. */
static int side_record(side_state *s, const pg_csv_record *rec, uint64_t line, const char *raw)
{
    pg_pool *p = s->run->pool;
    pg_field inst = col(s, rec, PG_SCOL_INSTITUTION), acct = col(s, rec, PG_SCOL_ACCOUNT);
    int err;
    if (!inst.len || !acct.len) {
        pg_side_col c = inst.len ? PG_SCOL_ACCOUNT : PG_SCOL_INSTITUTION;
        return side_bad(s, line, c, "required value is empty", inst.len ? acct : inst, raw,
                        rec->consumed);
    }
    uint8_t kind = 0, country = 0;
    int64_t opened = INT64_MIN;
    const char *why = NULL;
    pg_field v;
    if (!s->watchlist) {
        if (parse_kind(v = col(s, rec, PG_SCOL_KIND), &kind) < 0) {
            return side_bad(s, line, PG_SCOL_KIND,
                            "kind is not person, business, merchant or unknown", v, raw,
                            rec->consumed);
        }
        pg_country c;
        if ((v = col(s, rec, PG_SCOL_COUNTRY)).len) {
            if (pg_country_lookup(v.p, v.len, &c) < 0) {
                return side_bad(s, line, PG_SCOL_COUNTRY, "unknown ISO 3166 country code", v, raw,
                                rec->consumed);
            }
            country = (uint8_t)(c.id + 1);
        }
        if ((v = col(s, rec, PG_SCOL_OPENED)).len &&
            pg_parse_timestamp(v.p, v.len, &opened, &why) < 0) {
            return side_bad(s, line, PG_SCOL_OPENED, why, v, raw, rec->consumed);
        }
    }
    uint32_t i, n, a;
    if ((err = pg_intern_put(&p->institutions, inst.p, inst.len, &i, NULL)) < 0 ||
        (err = pg_intern_put(&p->account_names, acct.p, acct.len, &n, NULL)) < 0 ||
        (err = pg_pool__account(p, i, n, &a)) < 0) {
        return err;
    }
    if (s->watchlist) {
        uint32_t label;
        v = col(s, rec, PG_SCOL_LABEL);
        if ((err = pg_intern_put(&p->watch_labels, v.p, v.len, &label, NULL)) < 0) {
            return err;
        }
        p->acct_watch[a] = label + 1;
    } else {
        if ((err = intern_entity(p, col(s, rec, PG_SCOL_ENTITY), a)) < 0) {
            return err;
        }
        p->acct_kind[a] = kind ? kind : p->acct_kind[a];
        p->acct_country[a] = country ? country : p->acct_country[a];
        p->acct_opened[a] = opened != INT64_MIN ? opened : p->acct_opened[a];
    }
    s->info->rows_loaded++;
    return 0;
}

static int side_body(side_state *s, const char *buf, size_t len)
{
    pg_field fields[PG_SCOL_COUNT + 64];
    pg_field *hdr = NULL;
    pg_scratch scratch = {0};
    pg_csv_record rec = {.fields = fields, .max_fields = PG_SCOL_COUNT + 64};
    const char *p = buf, *end = buf + len;
    uint64_t line = 1;
    char unknown[512];
    int err = 0;
    (void)hdr;
    pg_csv_status st = pg_csv_read(p, end, &rec, &scratch, ',');
    if (st == PG_CSV_NOMEM) {
        err = pg_error_oom("the header", len);
        goto done;
    }
    if (st != PG_CSV_RECORD) {
        err = pg_error_set(PG_EINPUT, "%s:1: header: %s", s->path,
                           st == PG_CSV_MALFORMED ? rec.why : "missing (the file is empty)");
        goto done;
    }
    if ((err = pg_schema_map_side(s->idx, fields,
                                  rec.n_fields < rec.max_fields ? rec.n_fields : rec.max_fields,
                                  s->watchlist, s->path, unknown, sizeof(unknown))) < 0) {
        goto done;
    }
    if (unknown[0]) {
        pg_ingest__warn(s->run, "%s: ignoring unknown columns: %s", s->path, unknown);
    }
    s->n_header = rec.n_fields;
    line += rec.newlines;
    p += rec.consumed;
    while (p < end && !err) {
        st = pg_csv_read(p, end, &rec, &scratch, ',');
        if (st == PG_CSV_RECORD || st == PG_CSV_MALFORMED) {
            s->info->rows_read++;
        }
        if (st == PG_CSV_NOMEM) {
            err = pg_error_oom("a quoted field", rec.consumed);
        } else if (st == PG_CSV_MALFORMED) {
            err = side_bad(s, line, PG_SCOL_INSTITUTION, rec.why, (pg_field){"", 0, 0}, p,
                           rec.consumed);
        } else if (st == PG_CSV_RECORD && rec.n_fields != s->n_header) {
            err = side_bad(s, line, PG_SCOL_INSTITUTION, "field count differs from the header",
                           (pg_field){"", 0, 0}, p, rec.consumed);
        } else if (st == PG_CSV_RECORD) {
            err = side_record(s, &rec, line, p);
        }
        line += rec.newlines;
        p += rec.consumed;
    }
done:
    pg_scratch_free(&scratch);
    return err;
}

int pg_ingest__side_file(pg_ingest_run *run, const char *path, int watchlist, pg_file_info *info)
{
    side_state s = {.run = run, .path = path, .watchlist = watchlist, .info = info};
    info->kind = watchlist ? "watchlist" : "accounts";
    info->format = "paygraph";
    info->first_txn = -1;
    pg_reader rd;
    int err = pg_reader_open(&rd, path, run->o->checksums);
    while (!err && !rd.eof) {
        err = pg_reader_fill(&rd, (size_t)16 << 20);
    }
    if (!err) {
        err = side_body(&s, rd.buf ? rd.buf : "", rd.len);
    }
    info->bytes = rd.bytes_on_disk;
    pg_reader_close(&rd, info->sha256);
    return err;
}
