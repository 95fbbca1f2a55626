/*
 * Transactions file reader: streams a CSV or JSON Lines file in blocks,
 * parses each block as independent chunks in parallel, then merges the
 * chunks into the pool in chunk order.
 *
 * HOW IT STAYS DETERMINISTIC
 * A chunk only interns into its own dictionaries, numbering strings in
 * order of first appearance within the chunk. The merge walks chunks in
 * file order and each chunk's dictionary in its own order, so a string gets
 * its pool id at its first appearance in the file, whatever the number of
 * chunks or threads. Bad rows are collected per chunk and reported in file
 * order too.
 *
 * Cost: one memchr pass to find cut points, one parallel parsing pass, a
 * serial merge proportional to the number of distinct strings per chunk,
 * and a parallel pass translating rows to pool ids.
 */
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include <cJSON.h>

#include "core/alloc.h"
#include "core/error.h"
#include "core/par.h"
#include "ingest/ingest_internal.h"
#include "ingest/keys.h"
#include "ingest/reader.h"
#include "ingest/rows.h"

/*
 * Bytes read per block. Larger blocks give more chunks per thread and fewer
 * merges; smaller ones bound memory (each block is held whole while parsed).
 */
#define PG_INGEST_BLOCK ((size_t)64 << 20)
/* Chunks per thread in a block: several, so that uneven chunks balance out. */
#define PG_CHUNKS_PER_THREAD 4
/* A single record larger than this is refused rather than read without bound. */
#define PG_MAX_RECORD ((size_t)256 << 20)
/* Upper bound on chunks per block, whatever the thread count. */
#define PG_MAX_CHUNKS 1024

typedef struct file_state {
    pg_ingest_run *run;
    const char *path;
    pg_reader rd;
    pg_colmap map;
    pg_row_ctx ctx;
    int jsonl;
    int present[PG_COL_COUNT];
    pg_chunk *chunks;
    int n_chunks;  /* chunks used by the current block */
    int n_alloc;   /* chunks allocated (the most a block may use) */
    uint64_t line; /* line number of the first byte of the reader's buffer */
    pg_file_info *info;
} file_state;

/* ---------- parsing one chunk ---------- */

static void parse_csv_chunk(const file_state *fs, pg_chunk *c, const char *base)
{
    const char *p = c->begin;
    uint64_t line = 0; /* within the chunk: placed in the file afterwards */
    pg_csv_record rec = {.fields = c->fields, .max_fields = c->max_fields};
    pg_field vals[PG_COL_COUNT];
    /* one scan of the chunk instead of one per identifier of every row */
    c->nul_free = memchr(c->begin, '\0', (size_t)(c->end - c->begin)) == NULL;
    while (p < c->end && !c->err) {
        pg_csv_status st = pg_csv_read(p, c->end, &rec, &c->scratch, ',');
        size_t off = (size_t)(p - base);
        int r = 0;
        if (st == PG_CSV_END) {
            break;
        }
        if (st == PG_CSV_NOMEM) {
            c->err = PG_ENOMEM;
            break;
        }
        if (st == PG_CSV_MALFORMED) {
            c->rows_read++;
            r = pg_chunk_add_bad(c, line, (int)rec.bad_field + 1, NULL, rec.why, off, rec.consumed);
        } else if (st == PG_CSV_RECORD && rec.n_fields != fs->map.n_header) {
            char why[96];
            snprintf(why, sizeof(why), "record has %zu fields, the header has %zu", rec.n_fields,
                     fs->map.n_header);
            c->rows_read++;
            r = pg_chunk_add_bad(c, line, 0, NULL, why, off, rec.consumed);
        } else if (st == PG_CSV_RECORD) {
            for (int k = 0; k < PG_COL_COUNT; k++) {
                int idx = fs->map.index[k];
                vals[k] = idx >= 0 ? rec.fields[idx] : (pg_field){"", 0, 0};
            }
            r = pg_chunk_add_row(c, &fs->ctx, vals, fs->present, line, off, rec.consumed);
        }
        if (r < 0) {
            c->err = r;
        }
        line += rec.newlines;
        p += rec.consumed;
    }
    c->lines = line;
}

/*
 * A JSON number as plain decimal text: the shortest fixed-point form that
 * reads back as the same double, so 12.34 stays "12.34" and the exact
 * decimal parser (not the double) decides whether the amount is valid.
 */
static void json_number_text(double v, char *buf, size_t cap)
{
    for (int digits = 0; digits <= 17; digits++) {
        snprintf(buf, cap, "%.*f", digits, v);
        if (strtod(buf, NULL) == v) {
            return;
        }
    }
}

static void parse_json_line(const file_state *fs, pg_chunk *c, const char *p, size_t len,
                            uint64_t line, size_t off)
{
    char numbuf[PG_COL_COUNT][40];
    pg_field vals[PG_COL_COUNT];
    int present[PG_COL_COUNT];
    int r;
    cJSON *obj = cJSON_ParseWithLength(p, len);
    if (!obj || !cJSON_IsObject(obj)) {
        c->rows_read++;
        r = pg_chunk_add_bad(c, line, 0, NULL, obj ? "not a JSON object" : "not valid JSON", off,
                             len);
        cJSON_Delete(obj);
        c->err = r < 0 ? r : c->err;
        return;
    }
    for (int k = 0; k < PG_COL_IGNORED; k++) {
        const cJSON *it = cJSON_GetObjectItem(obj, pg_col_name((pg_col)k));
        present[k] = it != NULL;
        vals[k] = (pg_field){"", 0, 0};
        if (cJSON_IsString(it)) {
            vals[k] = (pg_field){it->valuestring, strlen(it->valuestring), 0};
        } else if (cJSON_IsNumber(it)) {
            json_number_text(it->valuedouble, numbuf[k], sizeof(numbuf[k]));
            vals[k] = (pg_field){numbuf[k], strlen(numbuf[k]), 0};
        } else if (cJSON_IsBool(it)) {
            vals[k] = (pg_field){cJSON_IsTrue(it) ? "1" : "0", 1, 0};
        }
    }
    present[PG_COL_IGNORED] = 0;
    vals[PG_COL_IGNORED] = (pg_field){"", 0, 0};
    r = pg_chunk_add_row(c, &fs->ctx, vals, present, line, off, len);
    if (r < 0) {
        c->err = r;
    }
    cJSON_Delete(obj);
}

static void parse_jsonl_chunk(const file_state *fs, pg_chunk *c, const char *base)
{
    const char *p = c->begin;
    uint64_t line = 0; /* within the chunk: placed in the file afterwards */
    while (p < c->end && !c->err) {
        const char *nl = memchr(p, '\n', (size_t)(c->end - p));
        const char *e = nl ? nl : c->end;
        size_t len = (size_t)(e - p);
        if (len && p[len - 1] == '\r') {
            len--;
        }
        size_t blank = 0;
        while (blank < len && (p[blank] == ' ' || p[blank] == '\t')) {
            blank++;
        }
        if (blank < len) {
            parse_json_line(fs, c, p, len, line, (size_t)(p - base));
        }
        line += nl != NULL;
        p = nl ? nl + 1 : c->end;
    }
    c->lines = line;
}

/* ---------- merging chunks into the pool ---------- */

typedef struct chunk_maps {
    uint8_t chan[256];
    uint8_t cur[256];
} chunk_maps;

static int map_small(pg_pool *p, const pg_chunk *c, chunk_maps *m)
{
    int err;
    for (uint32_t k = 0; k < c->channels.count; k++) {
        uint32_t id;
        if ((err = pg_intern_put(&p->channels, pg_intern_str(&c->channels, k),
                                 pg_intern_len(&c->channels, k), &id, NULL)) < 0) {
            return err;
        }
        if (id > 255) {
            return pg_error_set(PG_EINPUT, "more than 255 distinct channels in the pool");
        }
        m->chan[k] = (uint8_t)id;
    }
    for (uint32_t k = 0; k < c->currencies.count; k++) {
        if ((err = pg_pool__currency(p, pg_intern_str(&c->currencies, k), c->currency_scale[k],
                                     &m->cur[k])) < 0) {
            return err;
        }
    }
    return 0;
}

/* The rows' txn ids, in chunk order, one entry per row ("" for none). */
static int append_txn_ids(pg_pool *p, const file_state *fs)
{
    const pg_strlist *lists[PG_MAX_CHUNKS];
    for (int i = 0; i < fs->n_chunks; i++) {
        lists[i] = &fs->chunks[i].txn_ids;
    }
    int err = pg_pool__start_txn_ids(p);
    return err ? err
               : pg_strlist_concat(&p->txn_ids, lists, (size_t)fs->n_chunks, fs->run->threads);
}

static void translate_rows(pg_pool *p, const pg_chunk *c, const chunk_maps *m, int64_t base)
{
    for (size_t i = 0; i < c->n_rows; i++) {
        const pg_row *r = &c->rows[i];
        int64_t t = base + (int64_t)i;
        p->src[t] = c->key_acct[2 * i];
        p->dst[t] = c->key_acct[2 * i + 1];
        p->ts[t] = r->ts;
        p->amount[t] = r->amount;
        p->flags[t] = r->flags;
        p->currency[t] = m->cur[r->currency];
        p->channel[t] = m->chan[r->channel];
        p->country[t] = r->country;
    }
}

static int merge_chunks(file_state *fs)
{
    pg_pool *p = fs->run->pool;
    int err = 0;
    size_t rows = 0;
    int any_txn_id = 0;
    chunk_maps *maps = pg_calloc((size_t)fs->n_chunks, sizeof(*maps));
    if (!maps) {
        return pg_error_oom("chunk maps", (size_t)fs->n_chunks * sizeof(*maps));
    }
    err = pg_key_index_merge(fs->run->keys, p, fs->chunks, fs->n_chunks, fs->run->threads);
    for (int i = 0; i < fs->n_chunks && !err; i++) {
        const pg_chunk *c = &fs->chunks[i];
        if ((err = map_small(p, c, &maps[i])) < 0) {
            break;
        }
        rows += c->n_rows;
        any_txn_id |= c->n_txn_ids > 0;
    }
    if (!err) {
        err = pg_pool__reserve_txns(p, (int64_t)rows);
    }
    if (!err && (any_txn_id || p->txn_ids.n > 0)) {
        err = append_txn_ids(p, fs);
    }
    if (!err) {
        int64_t base = p->n;
        int64_t *bases = pg_malloc_array((size_t)fs->n_chunks, sizeof(*bases));
        if (!bases) {
            err = pg_error_oom("chunk bases", (size_t)fs->n_chunks * 8);
        } else {
            for (int i = 0; i < fs->n_chunks; i++) {
                bases[i] = base;
                base += (int64_t)fs->chunks[i].n_rows;
            }
#pragma omp parallel for num_threads(fs->run->threads) schedule(dynamic, 1)
            for (int i = 0; i < fs->n_chunks; i++) {
                translate_rows(p, &fs->chunks[i], &maps[i], bases[i]);
            }
            p->n = base;
            pg_free(bases);
        }
    }
    pg_free(maps);
    return err;
}

/* ---------- bad rows ---------- */

static int report_bad_rows(file_state *fs, const char *base)
{
    pg_ingest_run *run = fs->run;
    for (int i = 0; i < fs->n_chunks; i++) {
        const pg_chunk *c = &fs->chunks[i];
        for (size_t k = 0; k < c->n_bad; k++) {
            const pg_bad_row *b = &c->bad[k];
            char where[96] = "";
            if (b->column > 0 && b->column_name) {
                snprintf(where, sizeof(where), " column %d '%s':", b->column, b->column_name);
            } else if (b->column > 0) {
                snprintf(where, sizeof(where), " column %d:", b->column);
            }
            if (run->o->on_error == PG_ON_ERROR_FAIL) {
                return pg_error_set(PG_EINPUT,
                                    "%s:%llu:%s %s (use --on-error=skip to set bad rows aside)",
                                    fs->path, (unsigned long long)b->line, where, b->reason);
            }
            if (run->diagnostics++ < 10) {
                pg_ingest__warn(run, "%s:%llu:%s %s (rejected)", fs->path,
                                (unsigned long long)b->line, where, b->reason);
            }
            size_t len = b->rec_len;
            const char *rec = base + b->rec_off;
            while (len && (rec[len - 1] == '\n' || rec[len - 1] == '\r')) {
                len--;
            }
            int err = pg_ingest__reject(run, fs->path, b->line, b->column, b->column_name,
                                        b->reason, rec, len);
            if (err < 0) {
                return err;
            }
        }
    }
    return 0;
}

/* ---------- the block loop ---------- */

/*
 * Chunks are parsed with line numbers counted from 0 within each chunk (so
 * that no pass over the block has to count its line ends first); here they
 * get their place in the file, in chunk order, and so do their bad rows.
 */
static uint64_t place_chunks(file_state *fs)
{
    uint64_t line = fs->line;
    for (int i = 0; i < fs->n_chunks; i++) {
        pg_chunk *c = &fs->chunks[i];
        for (size_t k = 0; k < c->n_bad; k++) {
            c->bad[k].line += line;
        }
        line += c->lines;
    }
    return line;
}

static int parse_block(file_state *fs, size_t usable, const size_t *cuts, int n_cuts)
{
    const char *base = fs->rd.buf;
    int n = n_cuts + 1;
    for (int i = 0; i < n; i++) {
        pg_chunk *c = &fs->chunks[i];
        pg_chunk_reset(c);
        c->begin = base + (i ? cuts[i - 1] : 0);
        c->end = base + (i < n_cuts ? cuts[i] : usable);
    }
    fs->n_chunks = n;
    /* the block's bytes are hashed by one thread while the others start parsing them */
    int hash_failed = 0;
#pragma omp parallel num_threads(fs->run->threads)
    {
#pragma omp single nowait
        hash_failed = pg_reader_hash_pending(&fs->rd);
#pragma omp for schedule(dynamic, 1)
        for (int i = 0; i < n; i++) {
            if (fs->jsonl) {
                parse_jsonl_chunk(fs, &fs->chunks[i], base);
            } else {
                parse_csv_chunk(fs, &fs->chunks[i], base);
            }
        }
    }
    int err = 0;
    if (hash_failed) {
        return pg_error_set(PG_EDEP, "%s: OpenSSL SHA-256 failed", fs->path);
    }
    for (int i = 0; i < n; i++) {
        if (fs->chunks[i].err) {
            return fs->chunks[i].err == PG_ENOMEM ? pg_error_oom("parsing a chunk", 0)
                                                  : fs->chunks[i].err;
        }
        fs->info->rows_read += fs->chunks[i].rows_read;
        fs->info->rows_rejected += fs->chunks[i].n_bad;
        fs->info->rows_loaded += fs->chunks[i].n_rows;
    }
    uint64_t next_line = place_chunks(fs);
    if ((err = report_bad_rows(fs, base)) < 0 || (err = merge_chunks(fs)) < 0) {
        return err;
    }
    fs->line = next_line;
    return 0;
}

/*
 * JSON Lines cut points: any line end is a record boundary, since JSON
 * strings cannot hold a raw newline (quotes cannot be tracked: they may be
 * escaped).
 */
static size_t split_lines(const char *buf, size_t len, int at_eof, int parts, size_t *cuts,
                          int *n_cuts)
{
    size_t usable = len;
    if (!at_eof) {
        while (usable > 0 && buf[usable - 1] != '\n') {
            usable--;
        }
    }
    *n_cuts = 0;
    for (int k = 1; k < parts; k++) {
        size_t t = (size_t)((double)usable * k / parts);
        const char *nl = t < usable ? memchr(buf + t, '\n', usable - t) : NULL;
        if (!nl) {
            break;
        }
        size_t cut = (size_t)(nl + 1 - buf);
        if (cut < usable && (*n_cuts == 0 || cut > cuts[*n_cuts - 1])) {
            cuts[(*n_cuts)++] = cut;
        }
    }
    return usable;
}

/* Fill the reader until it holds a complete record boundary or the file ends. */
static int next_block(file_state *fs, size_t *usable, size_t *cuts, int *n_cuts)
{
    int err;
    size_t want = PG_INGEST_BLOCK;
    for (;;) {
        if (fs->rd.len < want && !fs->rd.eof &&
            (err = pg_reader_fill(&fs->rd, want - fs->rd.len)) < 0) {
            return err;
        }
        int parts = fs->n_alloc;
        *usable = fs->jsonl ? split_lines(fs->rd.buf, fs->rd.len, fs->rd.eof, parts, cuts, n_cuts)
                            : pg_csv_split_parallel(fs->rd.buf, fs->rd.len, fs->rd.eof, parts,
                                                    fs->run->threads, cuts, n_cuts);
        if (*usable > 0 || fs->rd.eof) {
            return 0;
        }
        if (want >= PG_MAX_RECORD) {
            return pg_error_set(PG_EINPUT,
                                "%s:%llu: a record longer than %zu MiB (unbalanced quote?)",
                                fs->path, (unsigned long long)fs->line, PG_MAX_RECORD >> 20);
        }
        want *= 2;
    }
}

/* ---------- header and driver ---------- */

static int ends_with(const char *s, const char *suffix)
{
    size_t a = strlen(s), b = strlen(suffix);
    return a >= b && strcasecmp(s + a - b, suffix) == 0;
}

static int is_jsonl(const char *path, const char *format)
{
    return !strcmp(format, "jsonl") || ends_with(path, ".jsonl") || ends_with(path, ".jsonl.gz") ||
           ends_with(path, ".ndjson") || ends_with(path, ".ndjson.gz");
}

static int read_header(file_state *fs)
{
    int err;
    const pg_ingest_options *o = fs->run->o;
    const char *format = o->format ? o->format : "paygraph";
    size_t want = 1 << 16;
    pg_csv_record rec = {.fields = fs->chunks[0].fields, .max_fields = PG_MAX_COLUMNS};
    for (;;) {
        if ((err = pg_reader_fill(&fs->rd, want)) < 0) {
            return err;
        }
        const char *nl = memchr(fs->rd.buf, '\n', fs->rd.len);
        if (nl || fs->rd.eof || fs->rd.len >= PG_MAX_RECORD) {
            break;
        }
        want *= 2;
    }
    if (fs->rd.len == 0) {
        return pg_error_set(PG_EINPUT, "%s:1: the file is empty (a header row is required)",
                            fs->path);
    }
    pg_csv_status st =
        pg_csv_read(fs->rd.buf, fs->rd.buf + fs->rd.len, &rec, &fs->chunks[0].scratch, ',');
    if (st == PG_CSV_NOMEM) {
        return pg_error_oom("the header", fs->rd.len);
    }
    if (st != PG_CSV_RECORD) {
        return pg_error_set(PG_EINPUT, "%s:1: header: %s", fs->path,
                            st == PG_CSV_MALFORMED ? rec.why : "empty first line");
    }
    if (rec.n_fields > PG_MAX_COLUMNS) {
        return pg_error_set(PG_EINPUT, "%s:1: header: %zu columns, at most %d are read", fs->path,
                            rec.n_fields, PG_MAX_COLUMNS);
    }
    if ((err = pg_schema_map_txn(&fs->map, rec.fields, rec.n_fields, format, o->aliases,
                                 o->n_aliases, fs->path)) < 0) {
        return err;
    }
    if (fs->map.unknown[0]) {
        pg_ingest__warn(fs->run, "%s: ignoring unknown columns: %s", fs->path, fs->map.unknown);
    }
    pg_reader_consume(&fs->rd, rec.consumed);
    fs->line = 1 + rec.newlines;
    return 0;
}

static int setup(file_state *fs, pg_ingest_run *run, const char *path, pg_file_info *info)
{
    int err;
    memset(fs, 0, sizeof(*fs));
    fs->run = run;
    fs->path = path;
    fs->info = info;
    const char *format = run->o->format ? run->o->format : "paygraph";
    fs->jsonl = is_jsonl(path, format);
    info->format = fs->jsonl ? "jsonl" : format;
    int n = run->threads * PG_CHUNKS_PER_THREAD;
    n = n > PG_MAX_CHUNKS ? PG_MAX_CHUNKS : n;
    fs->chunks = pg_calloc((size_t)n, sizeof(*fs->chunks));
    if (!fs->chunks) {
        return pg_error_oom("chunks", (size_t)n * sizeof(*fs->chunks));
    }
    fs->n_chunks = n;
    fs->n_alloc = n;
    for (int i = 0; i < n; i++) {
        if ((err = pg_chunk_init(&fs->chunks[i], i == 0 ? PG_MAX_COLUMNS : 256)) < 0) {
            return err;
        }
    }
    if ((err = pg_reader_open(&fs->rd, path, run->o->checksums)) < 0) {
        return err;
    }
    fs->rd.threads = run->threads;
    return 0;
}

static void teardown(file_state *fs)
{
    for (int i = 0; fs->chunks && i < fs->n_alloc; i++) {
        pg_chunk_destroy(&fs->chunks[i]);
    }
    pg_free(fs->chunks);
    pg_reader_close(&fs->rd, fs->info->sha256);
}

static int read_body(file_state *fs)
{
    int err;
    size_t cuts[PG_MAX_CHUNKS];
    if (!fs->jsonl) {
        if ((err = read_header(fs)) < 0) {
            return err;
        }
        size_t widest = fs->map.n_header;
        for (int i = 1; i < fs->n_alloc; i++) {
            pg_chunk *c = &fs->chunks[i];
            if (widest > c->max_fields) {
                pg_free(c->fields);
                c->fields = pg_malloc_array(widest, sizeof(*c->fields));
                c->max_fields = widest;
                if (!c->fields) {
                    return pg_error_oom("record fields", widest * sizeof(pg_field));
                }
            }
        }
        for (int k = 0; k < PG_COL_COUNT; k++) {
            fs->present[k] = fs->map.index[k] >= 0;
        }
    } else {
        for (int k = 0; k < PG_COL_COUNT; k++) {
            fs->map.index[k] = -1;
        }
        fs->line = 1;
    }
    fs->ctx.path = fs->path;
    fs->ctx.map = &fs->map;
    fs->ctx.default_currency = fs->run->o->default_currency;
    fs->ctx.lexicon = fs->run->lexicon;
    for (;;) {
        size_t usable;
        int n_cuts;
        if ((err = next_block(fs, &usable, cuts, &n_cuts)) < 0) {
            return err;
        }
        if (usable == 0) {
            return 0;
        }
        if ((err = parse_block(fs, usable, cuts, n_cuts)) < 0) {
            return err;
        }
        pg_reader_consume(&fs->rd, usable);
        if (pg_interrupted()) {
            return pg_error_set(PG_EINTR, "%s: interrupted", fs->path);
        }
    }
}

int pg_ingest__transactions(pg_ingest_run *run, const char *path, pg_file_info *info)
{
    file_state fs;
    info->first_txn = run->pool->n;
    info->kind = "transactions";
    int err = run->keys ? 0 : pg_key_index_new(&run->keys, run->threads);
    if (err < 0) {
        return err;
    }
    err = setup(&fs, run, path, info);
    if (!err) {
        err = read_body(&fs);
    }
    info->bytes = fs.rd.bytes_on_disk;
    teardown(&fs);
    return err;
}
