/*
 * paygraph pseudonymize: streams a CSV or JSON Lines file, replacing account
 * numbers and entity tokens by keyed pseudonyms (rules in paygraph/privacy.h)
 * and copying everything else through.
 *
 * HOW IT WORKS
 * The file is read in blocks with the ingest reader (plain or gzip); each
 * block is cut after its last complete record (pg_csv_split) and its records
 * are read with the shared RFC 4180 tokenizer. The tokenizer gives each
 * field's value; to keep the other fields exactly as written (quotes and
 * all), the record is also cut into raw spans at the delimiters outside
 * quotes, and those spans are copied. A record that cannot be read is an
 * error, never passed through: it might hold an identifier in the clear.
 * JSON Lines objects are parsed with cJSON, the identifier members replaced,
 * and the object written back unformatted.
 *
 * Memory is one block plus, with a map, the set of pseudonyms written so far.
 * Outputs go to temporary files beside their destinations, renamed once
 * complete, so a failed run leaves nothing half written.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cJSON.h>

#include "core/alloc.h"
#include "core/error.h"
#include "core/intern.h"
#include "ingest/csv.h"
#include "ingest/reader.h"
#include "ingest/schema.h"
#include "paygraph/privacy.h"

/* Bytes read per block; a record longer than PZ_MAX_RECORD is refused. */
#define PZ_BLOCK ((size_t)1 << 20)
#define PZ_MAX_RECORD ((size_t)256 << 20)
/* Identifier columns a record can have: two (institution, account) pairs and an entity. */
#define PZ_MAX_IDS 3

typedef struct out_file {
    const char *path;
    char *tmp;
    FILE *f;
} out_file;

typedef struct pz {
    const pg_key *key;
    const char *path;
    pg_pseudonymize_stats *stats;
    out_file out, map;
    pg_intern seen; /* pseudonyms already in the map */
    int jsonl;
    /* CSV: column of each account and of its institution, and of the entity */
    int acct[PZ_MAX_IDS], inst[PZ_MAX_IDS];
    int n_acct;
    int entity;
    size_t n_header;
    pg_field *fields;
    pg_field *spans;
    pg_scratch scratch;
    uint64_t line;
} pz;

void pg_pseudonymize_options_init(pg_pseudonymize_options *o)
{
    memset(o, 0, sizeof(*o));
    o->kind = PG_FILE_AUTO;
    o->format = "paygraph";
}

/* ---------- atomic output files ---------- */

static int out_open(out_file *o, const char *path)
{
    o->path = path;
    size_t n = strlen(path) + 16;
    o->tmp = pg_malloc(n);
    if (!o->tmp) {
        return pg_error_oom("temporary file name", n);
    }
    snprintf(o->tmp, n, "%s.tmp.XXXXXX", path);
    int fd = mkstemp(o->tmp); /* mode 0600: for the owner only */
    if (fd < 0) {
        int e = errno;
        pg_free(o->tmp);
        o->tmp = NULL;
        return pg_error_set(PG_EIO, "%s: cannot create: %s", path, strerror(e));
    }
    o->f = fdopen(fd, "wb");
    if (!o->f) {
        close(fd);
        unlink(o->tmp);
        return pg_error_set(PG_EIO, "%s: cannot open: %s", path, strerror(errno));
    }
    return 0;
}

/* Close; rename into place when commit, else remove the temporary file. */
static int out_close(out_file *o, int commit, int err)
{
    if (o->f) {
        int bad = fflush(o->f) != 0 || ferror(o->f) || (commit && fsync(fileno(o->f)) != 0);
        bad = fclose(o->f) != 0 || bad;
        o->f = NULL;
        if (bad && commit) {
            commit = 0;
            err = err ? err : pg_error_set(PG_EIO, "%s: write failed (disk full?)", o->path);
        }
        if (commit && rename(o->tmp, o->path) != 0) {
            err = err ? err
                      : pg_error_set(PG_EIO, "%s: cannot rename into place: %s", o->path,
                                     strerror(errno));
            commit = 0;
        }
        if (!commit) {
            unlink(o->tmp);
        }
    }
    pg_free(o->tmp);
    o->tmp = NULL;
    return err;
}

/* ---------- the map ---------- */

static int map_note(pz *z, const char *kind, const char *pseudonym, pg_field inst, pg_field orig)
{
    if (!z->map.f) {
        return 0;
    }
    uint32_t id;
    int is_new = 0;
    int err = pg_intern_put(&z->seen, pseudonym, PG_PSEUDONYM_LEN, &id, &is_new);
    if (err < 0 || !is_new) {
        return err;
    }
    inst = pg_field_trim(inst);
    orig = pg_field_trim(orig);
    fprintf(z->map.f, "%s,", kind);
    pg_csv_put_quoted(z->map.f, inst.p, inst.len);
    fprintf(z->map.f, ",%s,", pseudonym);
    pg_csv_put_quoted(z->map.f, orig.p, orig.len);
    fputc('\n', z->map.f);
    z->stats->map_entries++;
    return 0;
}

/* Pseudonym of an account (inst given) or of an entity (inst.p == NULL). */
static int pseudonym_of(pz *z, pg_field inst, pg_field value, char out[PG_PSEUDONYM_BUFSZ])
{
    int empty = inst.p ? pg_pseudonym_account(out, z->key, inst.p, inst.len, value.p, value.len)
                       : pg_pseudonym_entity(out, z->key, value.p, value.len);
    if (empty) {
        return 0;
    }
    z->stats->identifiers++;
    return map_note(z, inst.p ? "account" : "entity", out, inst.p ? inst : (pg_field){"", 0, 0},
                    value);
}

/* ---------- CSV ---------- */

static int name_is(pg_field f, const char *name)
{
    f = pg_field_trim(f);
    return strlen(name) == f.len && strncasecmp(f.p, name, f.len) == 0;
}

static pg_file_kind detect_kind(const pg_field *hdr, size_t n, const char *format)
{
    int txn = !strcmp(format, "amlworld"), entity = 0, label = 0;
    for (size_t i = 0; i < n; i++) {
        txn |= name_is(hdr[i], "src_account") || name_is(hdr[i], "dst_account");
        entity |= name_is(hdr[i], "entity") || name_is(hdr[i], "kind") || name_is(hdr[i], "opened");
        label |= name_is(hdr[i], "label");
    }
    return txn      ? PG_FILE_TRANSACTIONS
           : entity ? PG_FILE_ACCOUNTS
           : label  ? PG_FILE_WATCHLIST
                    : PG_FILE_ACCOUNTS;
}

static int map_columns(pz *z, const pg_field *hdr, size_t n, const pg_pseudonymize_options *o)
{
    int err;
    z->entity = -1;
    if (z->stats->kind == PG_FILE_TRANSACTIONS) {
        pg_colmap m;
        if ((err = pg_schema_map_txn(&m, hdr, n, o->format, NULL, 0, z->path)) < 0) {
            return err;
        }
        z->inst[0] = m.index[PG_COL_SRC_INST];
        z->acct[0] = m.index[PG_COL_SRC_ACCT];
        z->inst[1] = m.index[PG_COL_DST_INST];
        z->acct[1] = m.index[PG_COL_DST_ACCT];
        z->n_acct = 2;
        return 0;
    }
    int idx[PG_SCOL_COUNT];
    char unknown[512];
    int watch = z->stats->kind == PG_FILE_WATCHLIST;
    if ((err = pg_schema_map_side(idx, hdr, n, watch, z->path, unknown, sizeof(unknown))) < 0) {
        return err;
    }
    z->inst[0] = idx[PG_SCOL_INSTITUTION];
    z->acct[0] = idx[PG_SCOL_ACCOUNT];
    z->n_acct = 1;
    z->entity = watch ? -1 : idx[PG_SCOL_ENTITY];
    return 0;
}

/*
 * Raw spans of a well-formed record's fields (without the line end): cut at
 * delimiters outside quotes. Returns the number of spans.
 */
static size_t raw_spans(const char *p, size_t len, pg_field *spans, size_t max)
{
    size_t n = 0, start = 0;
    int q = 0;
    for (size_t i = 0; i <= len; i++) {
        if (i < len && p[i] == '"') {
            q = !q;
        } else if (i == len || (p[i] == ',' && !q)) {
            if (n < max) {
                spans[n] = (pg_field){p + start, i - start, 0};
            }
            n++;
            start = i + 1;
        }
    }
    return n;
}

static int role_of(const pz *z, size_t col, int *pair)
{
    for (int k = 0; k < z->n_acct; k++) {
        if (z->acct[k] == (int)col) {
            *pair = k;
            return 1;
        }
    }
    return z->entity == (int)col ? 2 : 0;
}

static int write_record(pz *z, const char *rec, size_t consumed, const pg_csv_record *r)
{
    size_t body = consumed;
    if (body && rec[body - 1] == '\n') {
        body--;
        if (body && rec[body - 1] == '\r') {
            body--;
        }
    }
    size_t ns = raw_spans(rec, body, z->spans, z->n_header);
    FILE *f = z->out.f;
    for (size_t i = 0; i < r->n_fields; i++) {
        int pair = 0, role = role_of(z, i, &pair);
        if (i) {
            fputc(',', f);
        }
        if (role) {
            char ps[PG_PSEUDONYM_BUFSZ];
            pg_field inst = role == 1 ? r->fields[z->inst[pair]] : (pg_field){NULL, 0, 0};
            int err = pseudonym_of(z, inst, r->fields[i], ps);
            if (err < 0) {
                return err;
            }
            fputs(ps, f);
        } else if (ns == r->n_fields) {
            fwrite(z->spans[i].p, 1, z->spans[i].len, f);
        } else {
            pg_csv_put_quoted(f, r->fields[i].p, r->fields[i].len);
        }
    }
    fwrite(rec + body, 1, consumed - body, f);
    z->stats->records++;
    return 0;
}

static int csv_records(pz *z, const char *buf, size_t len)
{
    pg_csv_record r = {.fields = z->fields, .max_fields = z->n_header};
    const char *p = buf, *end = buf + len;
    while (p < end) {
        pg_csv_status st = pg_csv_read(p, end, &r, &z->scratch, ',');
        int err = 0;
        if (st == PG_CSV_END) {
            break;
        }
        if (st == PG_CSV_NOMEM) {
            return pg_error_oom("a quoted field", (size_t)(end - p));
        }
        if (st == PG_CSV_MALFORMED) {
            return pg_error_set(PG_EINPUT, "%s:%llu: column %zu: %s", z->path,
                                (unsigned long long)z->line, r.bad_field + 1, r.why);
        }
        if (st == PG_CSV_RECORD && r.n_fields != z->n_header) {
            return pg_error_set(PG_EINPUT, "%s:%llu: record has %zu fields, the header has %zu",
                                z->path, (unsigned long long)z->line, r.n_fields, z->n_header);
        }
        if (st == PG_CSV_BLANK) {
            fwrite(p, 1, r.consumed, z->out.f);
        } else if ((err = write_record(z, p, r.consumed, &r)) < 0) {
            return err;
        }
        z->line += r.newlines;
        p += r.consumed;
    }
    return 0;
}

static int csv_header(pz *z, pg_reader *rd, const pg_pseudonymize_options *o)
{
    pg_field hdr[PG_MAX_COLUMNS];
    pg_csv_record r = {.fields = hdr, .max_fields = PG_MAX_COLUMNS};
    int err;
    size_t want = 1 << 16;
    while (!rd->eof && (rd->len == 0 || !memchr(rd->buf, '\n', rd->len)) &&
           rd->len < PZ_MAX_RECORD) {
        if ((err = pg_reader_fill(rd, want)) < 0) {
            return err;
        }
        want *= 2;
    }
    if (rd->len == 0) {
        return pg_error_set(PG_EINPUT, "%s:1: the file is empty (a header row is required)",
                            z->path);
    }
    pg_csv_status st = pg_csv_read(rd->buf, rd->buf + rd->len, &r, &z->scratch, ',');
    if (st == PG_CSV_NOMEM) {
        return pg_error_oom("the header", rd->len);
    }
    if (st != PG_CSV_RECORD) {
        return pg_error_set(PG_EINPUT, "%s:1: header: %s", z->path,
                            st == PG_CSV_MALFORMED ? r.why : "empty first line");
    }
    if (r.n_fields > PG_MAX_COLUMNS) {
        return pg_error_set(PG_EINPUT, "%s:1: header: %zu columns, at most %d are read", z->path,
                            r.n_fields, PG_MAX_COLUMNS);
    }
    if (z->stats->kind == PG_FILE_AUTO) {
        z->stats->kind = detect_kind(hdr, r.n_fields, o->format);
    }
    if ((err = map_columns(z, hdr, r.n_fields, o)) < 0) {
        return err;
    }
    z->n_header = r.n_fields;
    z->fields = pg_malloc_array(z->n_header, sizeof(pg_field));
    z->spans = pg_malloc_array(z->n_header, sizeof(pg_field));
    if (!z->fields || !z->spans) {
        return pg_error_oom("record fields", z->n_header * sizeof(pg_field));
    }
    fwrite(rd->buf, 1, r.consumed, z->out.f); /* the header passes through */
    z->line = 1 + r.newlines;
    pg_reader_consume(rd, r.consumed);
    return 0;
}

/* ---------- JSON Lines ---------- */

/* Replace a string (or number) member by its pseudonym. */
static int json_member(pz *z, cJSON *obj, const char *name, const char *inst_name)
{
    cJSON *it = cJSON_GetObjectItem(obj, name);
    char text[64];
    pg_field value;
    if (cJSON_IsString(it)) {
        value = (pg_field){it->valuestring, strlen(it->valuestring), 0};
    } else if (cJSON_IsNumber(it)) {
        snprintf(text, sizeof(text), "%.0f", it->valuedouble);
        value = (pg_field){text, strlen(text), 0};
    } else {
        return 0;
    }
    pg_field inst = {NULL, 0, 0};
    if (inst_name) {
        const cJSON *i = cJSON_GetObjectItem(obj, inst_name);
        const char *s = cJSON_IsString(i) ? i->valuestring : "";
        inst = (pg_field){s, strlen(s), 0};
    }
    char ps[PG_PSEUDONYM_BUFSZ];
    int err = pseudonym_of(z, inst, value, ps);
    if (err < 0) {
        return err;
    }
    /* the replacement carries the member's name (as written: case kept) */
    size_t nlen = strlen(it->string) + 1;
    cJSON *rep = cJSON_CreateString(ps);
    char *member = cJSON_malloc(nlen);
    if (!rep || !member) {
        cJSON_Delete(rep);
        cJSON_free(member);
        return pg_error_oom("JSON value", sizeof(ps));
    }
    memcpy(member, it->string, nlen);
    rep->string = member;
    cJSON_ReplaceItemViaPointer(obj, it, rep);
    return 0;
}

static int json_line(pz *z, const char *p, size_t len)
{
    cJSON *obj = cJSON_ParseWithLength(p, len);
    if (!cJSON_IsObject(obj)) {
        cJSON_Delete(obj);
        return pg_error_set(PG_EINPUT, "%s:%llu: %s", z->path, (unsigned long long)z->line,
                            "not a JSON object");
    }
    int err;
    char *text = NULL;
    if ((err = json_member(z, obj, "src_account", "src_institution")) == 0 &&
        (err = json_member(z, obj, "dst_account", "dst_institution")) == 0 &&
        (err = json_member(z, obj, "account", "institution")) == 0 &&
        (err = json_member(z, obj, "entity", NULL)) == 0) {
        text = cJSON_PrintUnformatted(obj);
        if (!text) {
            err = pg_error_oom("JSON line", len);
        } else {
            fputs(text, z->out.f);
            fputc('\n', z->out.f);
            z->stats->records++;
        }
    }
    cJSON_free(text);
    cJSON_Delete(obj);
    return err;
}

static int jsonl_records(pz *z, const char *buf, size_t len)
{
    const char *p = buf, *end = buf + len;
    while (p < end) {
        const char *nl = memchr(p, '\n', (size_t)(end - p));
        const char *e = nl ? nl : end;
        size_t n = (size_t)(e - p), blank = 0;
        while (blank < n && (p[blank] == ' ' || p[blank] == '\t' || p[blank] == '\r')) {
            blank++;
        }
        int err = blank < n ? json_line(z, p, n) : 0;
        if (err < 0) {
            return err;
        }
        z->line++;
        p = nl ? nl + 1 : end;
    }
    return 0;
}

static size_t jsonl_usable(const char *buf, size_t len, int at_eof)
{
    if (at_eof) {
        return len;
    }
    while (len > 0 && buf[len - 1] != '\n') {
        len--;
    }
    return len;
}

/* ---------- driver ---------- */

static int ends_with(const char *s, const char *suffix)
{
    size_t a = strlen(s), b = strlen(suffix);
    return a >= b && strcasecmp(s + a - b, suffix) == 0;
}

static int stream(pz *z, pg_reader *rd, const pg_pseudonymize_options *o)
{
    int err;
    if (!z->jsonl && (err = csv_header(z, rd, o)) < 0) {
        return err;
    }
    z->line = z->jsonl ? 1 : z->line;
    size_t want = PZ_BLOCK;
    for (;;) {
        if (rd->len < want && !rd->eof && (err = pg_reader_fill(rd, want - rd->len)) < 0) {
            return err;
        }
        size_t cuts[1];
        int n_cuts;
        size_t usable = z->jsonl ? jsonl_usable(rd->buf, rd->len, rd->eof)
                                 : pg_csv_split(rd->buf, rd->len, rd->eof, 1, cuts, &n_cuts);
        if (usable == 0 && rd->eof) {
            return 0;
        }
        if (usable == 0) {
            if (want >= PZ_MAX_RECORD) {
                return pg_error_set(PG_EINPUT, "%s:%llu: a record longer than %zu MiB", z->path,
                                    (unsigned long long)z->line, PZ_MAX_RECORD >> 20);
            }
            want *= 2;
            continue;
        }
        err = z->jsonl ? jsonl_records(z, rd->buf, usable) : csv_records(z, rd->buf, usable);
        if (err < 0) {
            return err;
        }
        if (ferror(z->out.f)) {
            return pg_error_set(PG_EIO, "%s: write failed (disk full?)", z->out.path);
        }
        pg_reader_consume(rd, usable);
        want = PZ_BLOCK;
    }
}

int pg_pseudonymize_file(const pg_key *key, const char *in_path, const char *out_path,
                         const pg_pseudonymize_options *o, pg_pseudonymize_stats *stats)
{
    pg_pseudonymize_options defaults;
    pg_pseudonymize_stats own;
    if (!o) {
        pg_pseudonymize_options_init(&defaults);
        o = &defaults;
    }
    stats = stats ? stats : &own;
    memset(stats, 0, sizeof(*stats));
    stats->kind = o->kind;
    pz z;
    memset(&z, 0, sizeof(z));
    z.key = key;
    z.path = in_path;
    z.stats = stats;
    pg_intern_init(&z.seen);
    z.jsonl = ends_with(in_path, ".jsonl") || ends_with(in_path, ".jsonl.gz") ||
              ends_with(in_path, ".ndjson") || ends_with(in_path, ".ndjson.gz");
    if (z.jsonl && stats->kind == PG_FILE_AUTO) {
        stats->kind = PG_FILE_TRANSACTIONS;
    }
    pg_reader rd;
    int err = pg_reader_open(&rd, in_path, 0);
    int opened = err == 0;
    if (!err) {
        err = out_open(&z.out, out_path);
    }
    if (!err && o->map_path) {
        err = out_open(&z.map, o->map_path);
        if (!err) {
            fputs("kind,institution,pseudonym,original\n", z.map.f);
        }
    }
    if (!err) {
        err = stream(&z, &rd, o);
    }
    /* the map first: a data file is never published without its map */
    err = out_close(&z.map, err == 0, err);
    err = out_close(&z.out, err == 0, err);
    if (opened) {
        pg_reader_close(&rd, NULL);
    }
    pg_intern_destroy(&z.seen);
    pg_free(z.fields);
    pg_free(z.spans);
    pg_scratch_free(&z.scratch);
    return err;
}
