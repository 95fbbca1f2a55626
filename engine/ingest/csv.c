/*
 * CSV tokenizer and splitter.
 *
 * The splitter jumps from quote to quote with memchr: between two quotes
 * every line end is either inside a quoted field or outside, so one pass of
 * memchr over the block finds safe boundaries without a byte-by-byte state
 * machine. Blocks of unquoted data cost one failed memchr for '"'.
 *
 * The tokenizer points fields into the block; a quoted field with doubled
 * quotes is unescaped into a per-thread scratch buffer (the block is left
 * untouched so that a rejected record can be written out as it was read).
 */
#include "ingest/csv.h"

#include <string.h>

#include "core/alloc.h"

void pg_scratch_free(pg_scratch *s)
{
    pg_free(s->buf);
    memset(s, 0, sizeof(*s));
}

uint64_t pg_count_newlines(const char *p, size_t len)
{
    uint64_t n = 0;
    const char *end = p + len;
    while (p < end && (p = memchr(p, '\n', (size_t)(end - p))) != NULL) {
        n++;
        p++;
    }
    return n;
}

static void store_field(pg_csv_record *rec, const char *p, size_t len, size_t scratch_off)
{
    if (rec->n_fields < rec->max_fields) {
        rec->fields[rec->n_fields].p = p;
        rec->fields[rec->n_fields].len = len;
        rec->fields[rec->n_fields].scratch_off = scratch_off;
    }
    rec->n_fields++;
}

/*
 * First line end after start with an even number of quotes between start and
 * it, or NULL. This is exactly where pg_csv_split may cut, so a malformed
 * record is skipped to the same boundary whether the block was parsed whole
 * or in chunks: the records after a bad one (and so the rows loaded with
 * --on-error=skip) do not depend on the thread count.
 */
static const char *resync(const char *start, const char *end)
{
    int in_quotes = 0;
    for (const char *p = start; p < end; p++) {
        if (*p == '"') {
            in_quotes = !in_quotes;
        } else if (*p == '\n' && !in_quotes) {
            return p;
        }
    }
    return NULL;
}

static pg_csv_status malformed(pg_csv_record *rec, const char *start, const char *end,
                               const char *why)
{
    rec->why = why;
    rec->bad_field = rec->n_fields;
    const char *nl = resync(start, end);
    rec->consumed = (size_t)((nl ? nl + 1 : end) - start);
    rec->newlines = (uint32_t)pg_count_newlines(start, rec->consumed);
    return PG_CSV_MALFORMED;
}

/*
 * Quoted field; p is just after the opening quote. Returns the position after
 * the closing quote, or NULL when the data ends inside the field.
 */
static const char *read_quoted(const char *p, const char *end, pg_csv_record *rec, pg_scratch *s,
                               int *oom)
{
    const char *q = memchr(p, '"', (size_t)(end - p));
    if (!q) {
        return NULL;
    }
    if (q + 1 >= end || q[1] != '"') {
        /* no doubled quotes: point into the block */
        rec->newlines += (uint32_t)pg_count_newlines(p, (size_t)(q - p));
        store_field(rec, p, (size_t)(q - p), 0);
        return q + 1;
    }
    size_t start = s->len;
    for (;;) {
        q = memchr(p, '"', (size_t)(end - p));
        if (!q) {
            return NULL;
        }
        size_t chunk = (size_t)(q - p);
        int doubled = q + 1 < end && q[1] == '"';
        if (pg_grow((void **)&s->buf, &s->cap, s->len + chunk + 1, 1) < 0) {
            *oom = 1;
            return NULL;
        }
        memcpy(s->buf + s->len, p, chunk);
        s->len += chunk;
        rec->newlines += (uint32_t)pg_count_newlines(p, chunk);
        if (!doubled) {
            store_field(rec, NULL, s->len - start, start);
            return q + 1;
        }
        s->buf[s->len++] = '"';
        p = q + 2;
    }
}

/* Point scratch fields at their final place (the scratch may have moved while growing). */
static void fix_scratch_fields(pg_csv_record *rec, const pg_scratch *s)
{
    size_t n = rec->n_fields < rec->max_fields ? rec->n_fields : rec->max_fields;
    for (size_t i = 0; i < n; i++) {
        if (!rec->fields[i].p) {
            rec->fields[i].p = s->buf + rec->fields[i].scratch_off;
        }
    }
}

pg_csv_status pg_csv__read_general(const char *p, const char *end, pg_csv_record *rec,
                                   pg_scratch *scratch, char delim)
{
    const char *start = p;
    rec->n_fields = 0;
    rec->newlines = 0;
    rec->why = NULL;
    rec->bad_field = 0;
    scratch->len = 0;
    if (p >= end) {
        return PG_CSV_END;
    }
    if (*p == '\n' || (*p == '\r' && p + 1 < end && p[1] == '\n')) {
        rec->consumed = (size_t)(*p == '\n' ? 1 : 2);
        rec->newlines = 1;
        return PG_CSV_BLANK;
    }
    for (;;) {
        if (p < end && *p == '"') {
            int oom = 0;
            const char *after = read_quoted(p + 1, end, rec, scratch, &oom);
            if (!after && oom) {
                rec->why = "out of memory unescaping a quoted field";
                rec->consumed = 0;
                return PG_CSV_NOMEM;
            }
            if (!after) {
                return malformed(rec, start, end,
                                 "unbalanced quote: the data ends inside a quoted field");
            }
            p = after;
            if (p < end && *p != delim && *p != '\n' &&
                !(*p == '\r' && p + 1 < end && p[1] == '\n') && !(*p == '\r' && p + 1 == end)) {
                rec->n_fields--;
                return malformed(rec, start, end, "text after the closing quote of a field");
            }
        } else {
            const char *f = p;
            while (p < end && *p != delim && *p != '\n') {
                if (*p == '\r' && !(p + 1 == end || p[1] == '\n')) {
                    return malformed(rec, start, end, "bare carriage return inside a field");
                }
                if (*p == '"') {
                    /* RFC 4180 forbids it; accepting it would also let the
                     * splitter's quote parity drift from the records */
                    return malformed(rec, start, end,
                                     "quote inside an unquoted field (quote the field and double "
                                     "the quote)");
                }
                p++;
            }
            const char *fe = p;
            if (fe > f && fe[-1] == '\r' && (fe == end || *fe == '\n')) {
                fe--; /* CR of a CRLF line end */
            }
            store_field(rec, f, (size_t)(fe - f), 0);
        }
        if (p >= end) {
            break;
        }
        if (*p == delim) {
            p++;
            if (p >= end || *p == '\n' || (*p == '\r' && p + 1 < end && p[1] == '\n')) {
                store_field(rec, p, 0, 0); /* trailing empty field */
                if (p >= end) {
                    break;
                }
            } else {
                continue;
            }
        }
        if (*p == '\r') {
            p++;
        }
        if (p < end && *p == '\n') {
            rec->newlines++;
            p++;
        }
        break;
    }
    fix_scratch_fields(rec, scratch);
    rec->consumed = (size_t)(p - start);
    return PG_CSV_RECORD;
}

/* ---------- the fast path for plain records ---------- */

/*
 * THE FAST PATH
 * Most records hold no quote and end in LF or CRLF. For those, a record is
 * its bytes up to the first line end, cut at every delimiter; the only bytes
 * that matter are the delimiter, LF, CR and the quote. plain_record finds
 * them a window at a time - 16 bytes with SSE2 compares on x86-64, else 8
 * with SWAR word arithmetic, as simdjson/simdcsv do with wider vectors -
 * and cuts fields at each, instead of testing every byte against each of
 * the four in turn.
 *
 * A quoted field is taken too when it is simple: it starts the field, holds
 * no doubled quote and no line end, and a delimiter or line end follows it.
 * As soon as it meets anything else the general reader treats specially - a
 * quote elsewhere, a CR that does not end the line, a record that reaches the end of
 * the data without a line end, a blank line - it gives up and the general
 * reader reads the record from its start. On the records it accepts it
 * gives exactly the general reader's fields, lengths and byte counts (the
 * csv fuzz target checks the two against each other on every input).
 */

#if defined(__SSE2__)
#include <emmintrin.h>
#define PG_CSV_WINDOW 16
#elif defined(__GNUC__) && defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
#define PG_CSV_WINDOW 8
#define ONES 0x0101010101010101ULL
#define LOW7 0x7f7f7f7f7f7f7f7fULL
#else
#define PG_CSV_WINDOW 0
#endif

#if PG_CSV_WINDOW == 16
/*
 * Bit i set when p[i] (i < 16) is the delimiter, LF, CR or '"': four byte
 * compares and one movemask, SSE2 being part of every x86-64.
 */
static inline unsigned special_mask(const char *p, char delim)
{
    __m128i v = _mm_loadu_si128((const __m128i *)(const void *)p);
    __m128i a = _mm_or_si128(_mm_cmpeq_epi8(v, _mm_set1_epi8(delim)),
                             _mm_cmpeq_epi8(v, _mm_set1_epi8('\n')));
    __m128i b =
        _mm_or_si128(_mm_cmpeq_epi8(v, _mm_set1_epi8('\r')), _mm_cmpeq_epi8(v, _mm_set1_epi8('"')));
    return (unsigned)_mm_movemask_epi8(_mm_or_si128(a, b));
}
#elif PG_CSV_WINDOW == 8
/* 0x80 in every byte of w that is zero, exactly (no carries between bytes). */
static inline uint64_t zero_bytes(uint64_t w)
{
    return ~(((w & LOW7) + LOW7) | w | LOW7);
}

/*
 * Bit 8i+7 set when p[i] (i < 8) is the delimiter, LF, CR or '"' (SWAR: one
 * word compared against the four bytes at once).
 */
static inline uint64_t special_mask(const char *p, char delim)
{
    uint64_t w;
    memcpy(&w, p, 8);
    return zero_bytes(w ^ (ONES * (unsigned char)delim)) | zero_bytes(w ^ (ONES * '\n')) |
           zero_bytes(w ^ (ONES * '\r')) | zero_bytes(w ^ (ONES * '"'));
}
#endif

#if PG_CSV_WINDOW
/* Offset of the lowest special byte a mask names. */
static inline unsigned mask_first(uint64_t m)
{
    return PG_CSV_WINDOW == 8 ? (unsigned)__builtin_ctzll(m) >> 3 : (unsigned)__builtin_ctzll(m);
}
#endif

typedef enum plain_step { PLAIN_MORE, PLAIN_JUMP, PLAIN_DONE, PLAIN_GIVE_UP } plain_step;

/*
 * A quoted field at s that the fast path can take as it stands: no doubled
 * quote and no line end inside, followed by a delimiter or a line end. It
 * is stored, and so is the byte after it: PLAIN_JUMP with *next where the
 * next field starts, or PLAIN_DONE at the end of the record.
 */
static plain_step plain_quoted(const char *start, const char *s, const char *end, const char **f,
                               pg_csv_record *rec, char delim, const char **next)
{
    const char *q = memchr(s + 1, '"', (size_t)(end - s - 1));
    if (!q || q + 1 >= end || q[1] == '"' || memchr(s + 1, '\n', (size_t)(q - s - 1))) {
        return PLAIN_GIVE_UP;
    }
    store_field(rec, s + 1, (size_t)(q - s - 1), 0);
    q++;
    if (*q == delim) {
        *f = *next = q + 1;
        return PLAIN_JUMP;
    }
    if (*q == '\n' || (*q == '\r' && q + 1 < end && q[1] == '\n')) {
        rec->consumed = (size_t)(q + (*q == '\n' ? 1 : 2) - start);
        return PLAIN_DONE;
    }
    return PLAIN_GIVE_UP;
}

/*
 * Act on the special byte at s: cut a field at a delimiter, end the record
 * at LF or CRLF, take a simple quoted field that starts the field, give up
 * on anything else.
 */
static inline plain_step plain_special(const char *start, const char *s, const char *end,
                                       const char **f, pg_csv_record *rec, char delim,
                                       const char **next)
{
    if (*s == delim) {
        store_field(rec, *f, (size_t)(s - *f), 0);
        *f = s + 1;
        return PLAIN_MORE;
    }
    if (*s == '\n') {
        store_field(rec, *f, (size_t)(s - *f), 0);
        rec->consumed = (size_t)(s + 1 - start);
        return PLAIN_DONE;
    }
    if (*s == '\r' && s + 1 < end && s[1] == '\n') {
        store_field(rec, *f, (size_t)(s - *f), 0);
        rec->consumed = (size_t)(s + 2 - start);
        return PLAIN_DONE;
    }
    if (*s == '"' && s == *f) {
        return plain_quoted(start, s, end, f, rec, delim, next);
    }
    return PLAIN_GIVE_UP;
}

static int is_special(char c, char delim)
{
    return c == delim || c == '\n' || c == '\r' || c == '"';
}

/* 1 when [p, end) starts with a plain record, read into rec; 0 to use the general reader. */
static int plain_record(const char *p, const char *end, pg_csv_record *rec, char delim)
{
    const char *start = p, *f = p, *next = p;
    plain_step st = PLAIN_MORE;
    if (p >= end || *p == '\n' || *p == '\r') {
        return 0;
    }
#if PG_CSV_WINDOW
    while (p + PG_CSV_WINDOW <= end) {
        st = PLAIN_MORE;
        for (uint64_t m = special_mask(p, delim); m && st == PLAIN_MORE; m &= m - 1) {
            st = plain_special(start, p + mask_first(m), end, &f, rec, delim, &next);
        }
        if (st == PLAIN_DONE || st == PLAIN_GIVE_UP) {
            return st == PLAIN_DONE;
        }
        p = st == PLAIN_JUMP ? next : p + PG_CSV_WINDOW;
    }
#endif
    while (p < end) {
        st = is_special(*p, delim) ? plain_special(start, p, end, &f, rec, delim, &next)
                                   : PLAIN_MORE;
        if (st == PLAIN_DONE || st == PLAIN_GIVE_UP) {
            return st == PLAIN_DONE;
        }
        p = st == PLAIN_JUMP ? next : p + 1;
    }
    return 0;
}

pg_csv_status pg_csv_read(const char *p, const char *end, pg_csv_record *rec, pg_scratch *scratch,
                          char delim)
{
    rec->n_fields = 0;
    rec->why = NULL;
    rec->bad_field = 0;
    if (plain_record(p, end, rec, delim)) {
        rec->newlines = 1;
        scratch->len = 0;
        return PG_CSV_RECORD;
    }
    return pg_csv__read_general(p, end, rec, scratch, delim);
}

/* ---------- splitting ---------- */

/* First line end in [from, to), or NULL. */
static const char *first_newline(const char *from, const char *to)
{
    return from < to ? memchr(from, '\n', (size_t)(to - from)) : NULL;
}

static const char *last_newline(const char *from, const char *to)
{
    while (to > from) {
        to--;
        if (*to == '\n') {
            return to;
        }
    }
    return NULL;
}

size_t pg_csv_split(const char *buf, size_t len, int at_eof, int n_parts, size_t *cuts, int *n_cuts)
{
    const char *end = buf + len;
    const char *pos = buf;
    const char *last_safe = NULL; /* last line end outside quotes */
    int in_quotes = 0;
    int k = 1;
    *n_cuts = 0;
    for (;;) {
        const char *q = memchr(pos, '"', (size_t)(end - pos));
        const char *region_end = q ? q : end;
        if (!in_quotes) {
            while (k < n_parts) {
                const char *target = buf + (size_t)((double)len * k / n_parts);
                if (target >= region_end) {
                    break;
                }
                const char *nl = first_newline(target > pos ? target : pos, region_end);
                if (!nl) {
                    break; /* the next safe line end lies beyond this region */
                }
                size_t cut = (size_t)(nl + 1 - buf);
                if (*n_cuts == 0 || cut > cuts[*n_cuts - 1]) {
                    cuts[(*n_cuts)++] = cut;
                }
                k++;
            }
            const char *nl = last_newline(pos, region_end);
            if (nl) {
                last_safe = nl;
            }
        }
        if (!q) {
            break;
        }
        in_quotes = !in_quotes;
        pos = q + 1;
    }
    size_t usable = at_eof ? len : (last_safe ? (size_t)(last_safe + 1 - buf) : 0);
    while (*n_cuts > 0 && cuts[*n_cuts - 1] >= usable) {
        (*n_cuts)--;
    }
    return usable;
}

void pg_csv_put_quoted(FILE *f, const char *s, size_t len)
{
    fputc('"', f);
    for (size_t i = 0; i < len; i++) {
        if (s[i] == '"') {
            fputc('"', f);
        }
        fputc(s[i], f);
    }
    fputc('"', f);
}
