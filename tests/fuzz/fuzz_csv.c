/*
 * Fuzz target for the CSV tokenizer (pg_csv_read) and splitter (pg_csv_split).
 *
 * The first input byte chooses the number of parts (1..16) and whether the
 * block is the end of the file; the rest is the block. Properties:
 *  - split: the usable prefix is the whole block at end of file, otherwise
 *    empty or ending in a line end outside quotes; cuts are strictly
 *    increasing, inside the usable prefix, each just after a line end with an
 *    even number of quotes before it;
 *  - read: every step consumes at least one byte and never more than is
 *    left; a record's line count is the number of line ends it consumed;
 *    every field lies inside the block or inside the scratch buffer;
 *  - cuts are record boundaries, also around malformed records: reading the
 *    chunks one by one (each copied into a buffer of exactly its size, so
 *    that ASan sees any read past a chunk) gives the same records, field for
 *    field, and the same malformed records, byte for byte, as reading the
 *    usable prefix in one go. (This found that a quote inside an unquoted
 *    field let the splitter cut inside a later quoted field.)
 *  - fast path: pg_csv_read (which tries its plain-record fast path first)
 *    and the general reader alone give the same status, byte and line
 *    counts and fields on every record.
 */
#include <stdlib.h>
#include <string.h>

#include "fuzz_check.h"
#include "ingest/csv.h"

#define MAX_FIELDS 64
#define MAX_PARTS 16

/* FNV-1a over the records' fields: an order-sensitive digest of a parse. */
static uint64_t mix(uint64_t h, const void *p, size_t len)
{
    const unsigned char *s = p;
    for (size_t i = 0; i < len; i++) {
        h = (h ^ s[i]) * 1099511628211ull;
    }
    return h;
}

typedef struct parse_result {
    uint64_t digest;
    uint64_t records;
    uint64_t newlines;
    uint64_t malformed;
} parse_result;

static int field_inside(const pg_field *f, const char *lo, const char *hi, const pg_scratch *s)
{
    if (f->p >= lo && f->p + f->len <= hi) {
        return 1;
    }
    return s->buf && f->p >= s->buf && f->p + f->len <= s->buf + s->len;
}

/* The general reader gives what pg_csv_read just gave for the record at p. */
static void check_general(const char *p, const char *end, pg_csv_status st,
                          const pg_csv_record *rec)
{
    pg_field fields[MAX_FIELDS];
    pg_scratch scratch = {0};
    pg_csv_record g = {.fields = fields, .max_fields = MAX_FIELDS};
    pg_csv_status gs = pg_csv__read_general(p, end, &g, &scratch, ',');
    FUZZ_CHECK(gs == st);
    if (st != PG_CSV_END) {
        FUZZ_CHECK(g.consumed == rec->consumed && g.newlines == rec->newlines);
    }
    if (st == PG_CSV_RECORD) {
        FUZZ_CHECK(g.n_fields == rec->n_fields);
        size_t n = g.n_fields < MAX_FIELDS ? g.n_fields : MAX_FIELDS;
        for (size_t i = 0; i < n; i++) {
            FUZZ_CHECK(fields[i].len == rec->fields[i].len);
            FUZZ_CHECK(memcmp(fields[i].p, rec->fields[i].p, fields[i].len) == 0);
        }
    }
    if (st == PG_CSV_MALFORMED) {
        FUZZ_CHECK(g.bad_field == rec->bad_field && strcmp(g.why, rec->why) == 0);
    }
    pg_scratch_free(&scratch);
}

static void parse_all(const char *buf, size_t len, parse_result *r)
{
    pg_field fields[MAX_FIELDS];
    pg_scratch scratch = {0};
    pg_csv_record rec = {.fields = fields, .max_fields = MAX_FIELDS};
    const char *p = buf, *end = buf + len;
    for (;;) {
        pg_csv_status st = pg_csv_read(p, end, &rec, &scratch, ',');
        check_general(p, end, st, &rec);
        if (st == PG_CSV_END) {
            FUZZ_CHECK(p == end);
            break;
        }
        FUZZ_CHECK(st != PG_CSV_NOMEM); /* allocations do not fail here */
        FUZZ_CHECK(rec.consumed > 0 && rec.consumed <= (size_t)(end - p));
        FUZZ_CHECK(rec.newlines == pg_count_newlines(p, rec.consumed));
        if (st == PG_CSV_MALFORMED) {
            FUZZ_CHECK(rec.why != NULL);
            r->malformed++;
            r->digest = mix(r->digest, &rec.consumed, sizeof(rec.consumed));
        }
        if (st == PG_CSV_RECORD) {
            size_t n = rec.n_fields < MAX_FIELDS ? rec.n_fields : MAX_FIELDS;
            FUZZ_CHECK(rec.n_fields >= 1);
            for (size_t i = 0; i < n; i++) {
                FUZZ_CHECK(field_inside(&fields[i], buf, end, &scratch));
                r->digest = mix(r->digest, &fields[i].len, sizeof(fields[i].len));
                r->digest = mix(r->digest, fields[i].p, fields[i].len);
            }
            r->digest = mix(r->digest, &rec.n_fields, sizeof(rec.n_fields));
            r->records++;
        }
        r->newlines += rec.newlines;
        p += rec.consumed;
    }
    pg_scratch_free(&scratch);
}

static size_t quotes_before(const char *buf, size_t n)
{
    size_t q = 0;
    for (size_t i = 0; i < n; i++) {
        q += buf[i] == '"';
    }
    return q;
}

static void check_split(const char *buf, size_t len, int at_eof, size_t usable, const size_t *cuts,
                        int n_cuts)
{
    FUZZ_CHECK(usable <= len);
    if (at_eof) {
        FUZZ_CHECK(usable == len);
    } else if (usable > 0) {
        FUZZ_CHECK(buf[usable - 1] == '\n' && quotes_before(buf, usable) % 2 == 0);
    }
    for (int i = 0; i < n_cuts; i++) {
        FUZZ_CHECK(cuts[i] > 0 && cuts[i] < usable);
        FUZZ_CHECK(i == 0 || cuts[i] > cuts[i - 1]);
        FUZZ_CHECK(buf[cuts[i] - 1] == '\n' && quotes_before(buf, cuts[i]) % 2 == 0);
    }
}

/* Parse [lo, hi) from its own exact-size heap copy. */
static void parse_copy(const char *buf, size_t lo, size_t hi, parse_result *r)
{
    char *copy = malloc(hi - lo ? hi - lo : 1);
    FUZZ_CHECK(copy != NULL);
    memcpy(copy, buf + lo, hi - lo);
    parse_all(copy, hi - lo, r);
    free(copy);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size < 1 || size > (1u << 20)) {
        return 0;
    }
    int n_parts = 1 + (data[0] & 15);
    int at_eof = (data[0] >> 4) & 1;
    const char *buf = (const char *)data + 1;
    size_t len = size - 1;
    size_t cuts[MAX_PARTS];
    int n_cuts = -1;
    size_t usable = pg_csv_split(buf, len, at_eof, n_parts, cuts, &n_cuts);
    FUZZ_CHECK(n_cuts >= 0 && n_cuts < n_parts);
    check_split(buf, len, at_eof, usable, cuts, n_cuts);
    /* the parallel splitter must find exactly the same cuts */
    size_t pcuts[MAX_PARTS];
    int pn = -1;
    FUZZ_CHECK(pg_csv__split_pieces(buf, len, at_eof, n_parts, 2, pcuts, &pn) == usable);
    FUZZ_CHECK(pn == n_cuts && memcmp(pcuts, cuts, (size_t)pn * sizeof(size_t)) == 0);

    parse_result whole = {14695981039346656037ull, 0, 0, 0};
    parse_copy(buf, 0, usable, &whole);
    parse_result parts = {14695981039346656037ull, 0, 0, 0};
    for (int i = 0; i <= n_cuts; i++) {
        size_t lo = i ? cuts[i - 1] : 0, hi = i < n_cuts ? cuts[i] : usable;
        parse_copy(buf, lo, hi, &parts);
    }
    FUZZ_CHECK(parts.malformed == whole.malformed && parts.records == whole.records);
    FUZZ_CHECK(parts.digest == whole.digest && parts.newlines == whole.newlines);
    return 0;
}
