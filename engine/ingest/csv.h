/*
 * RFC 4180 CSV tokenizing over an in-memory block: quoted fields with
 * embedded commas, newlines and doubled quotes; LF or CRLF record ends.
 * Fields point into the block when they need no unescaping, into a scratch
 * buffer otherwise. The splitter finds record boundaries that are safe to
 * cut at (outside quotes) so that chunks can be parsed in parallel.
 */
#ifndef PG_INGEST_CSV_H
#define PG_INGEST_CSV_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

typedef struct pg_field {
    const char *p;
    size_t len;
    size_t scratch_off; /* internal: where an unescaped field sits while the record is read */
} pg_field;

/* Growable scratch buffer for unescaped quoted fields (one per thread). */
typedef struct pg_scratch {
    char *buf;
    size_t len;
    size_t cap;
} pg_scratch;

void pg_scratch_free(pg_scratch *s);

/* Outcome of reading one record. */
typedef enum pg_csv_status {
    PG_CSV_RECORD = 0,    /* a record was read */
    PG_CSV_BLANK = 1,     /* an empty line (no fields), skipped by callers */
    PG_CSV_END = 2,       /* no more data in [p, end) */
    PG_CSV_MALFORMED = 3, /* structural error; *why says what */
    PG_CSV_NOMEM = 4      /* out of memory unescaping a quoted field (not the data's fault) */
} pg_csv_status;

typedef struct pg_csv_record {
    pg_field *fields; /* caller-provided array */
    size_t max_fields;
    size_t n_fields;   /* fields found (may exceed max_fields: then only max stored) */
    size_t consumed;   /* bytes of the record including its line end */
    uint32_t newlines; /* line ends inside and at the end of the record */
    const char *why;   /* reason when PG_CSV_MALFORMED */
    size_t bad_field;  /* 0-based field index of the problem */
} pg_csv_record;

/*
 * Read one record from [p, end). The block must end at a record boundary
 * (as returned by pg_csv_split) or at end of file. On PG_CSV_MALFORMED,
 * rec->consumed still skips to the end of the offending line so parsing can
 * continue with the next record.
 */
pg_csv_status pg_csv_read(const char *p, const char *end, pg_csv_record *rec, pg_scratch *scratch,
                          char delim);

/*
 * The general reader alone, without the fast path for plain records that
 * pg_csv_read tries first. Same contract; for tests that compare the two.
 */
pg_csv_status pg_csv__read_general(const char *p, const char *end, pg_csv_record *rec,
                                   pg_scratch *scratch, char delim);

/*
 * Find safe cut points in buf[0..len): returns the length of the prefix that
 * holds only complete records (len when at_eof), and writes up to n_parts-1
 * cuts near len*k/n_parts, strictly increasing, each just after a line end
 * that lies outside quotes. *n_cuts gets how many were found.
 */
size_t pg_csv_split(const char *buf, size_t len, int at_eof, int n_parts, size_t *cuts,
                    int *n_cuts);

/*
 * pg_csv_split's exact result, found by `threads` threads (csv_split.c);
 * small blocks, or one thread, go to pg_csv_split itself.
 */
size_t pg_csv_split_parallel(const char *buf, size_t len, int at_eof, int n_parts, int threads,
                             size_t *cuts, int *n_cuts);

/* The parallel scheme at any size (for tests that compare it with pg_csv_split). */
size_t pg_csv__split_pieces(const char *buf, size_t len, int at_eof, int n_parts, int threads,
                            size_t *cuts, int *n_cuts);

/* The field without surrounding spaces and tabs (inline: it runs on every field of every row). */
static inline pg_field pg_field_trim(pg_field f)
{
    /* most fields start and end with a byte above ' ': one test of each end */
    if (f.len == 0 || ((unsigned char)f.p[0] > ' ' && (unsigned char)f.p[f.len - 1] > ' ')) {
        return f;
    }
    while (f.len && (f.p[0] == ' ' || f.p[0] == '\t')) {
        f.p++;
        f.len--;
    }
    while (f.len && (f.p[f.len - 1] == ' ' || f.p[f.len - 1] == '\t')) {
        f.len--;
    }
    return f;
}

/* Write s[0..len) as one quoted CSV field ("" for each quote inside). */
void pg_csv_put_quoted(FILE *f, const char *s, size_t len);

/* Number of '\n' bytes in [p, p+len). */
uint64_t pg_count_newlines(const char *p, size_t len);

#endif
