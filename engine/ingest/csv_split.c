/*
 * Parallel record-boundary search: the same cuts as pg_csv_split, found by
 * several threads.
 *
 * HOW IT WORKS (the two-pass quote-parity scheme of parallel CSV parsers,
 * as in ParPaRaw, Stehle & Jacobsen, PVLDB 2020): whether a byte lies
 * inside quotes depends only
 * on the parity of the quotes before it. The block is cut into one piece per
 * target (len*k/n_parts); each thread counts the quotes of its pieces, a
 * prefix of the parities gives every piece's starting state, and then each
 * piece finds its own first line end outside quotes. A piece without one
 * would have taken the next piece's cut, which the serial splitter drops as
 * a repeat, so nothing is looked for beyond a piece. The usable prefix ends
 * at the last safe line end: with the parity at the end of the block known,
 * a backward scan finds it within the last record.
 *
 * Cost: one counting pass (in parallel), short forward scans per piece, a
 * backward scan of about a record; the serial splitter's single memchr pass
 * was 16 ms per 64 MiB block, all of it on one thread.
 */
#include <string.h>

#include "core/par.h"
#include "ingest/csv.h"

/* Parts at most for the piece scheme (the caller's chunk limit). */
#define SPLIT_MAX_PARTS 1024
/* Blocks smaller than this are split serially: the threads would cost more. */
#define SPLIT_PARALLEL_MIN ((size_t)1 << 20)

static size_t piece_start(size_t len, int k, int n_parts)
{
    return (size_t)((double)len * k / n_parts);
}

/* Quotes in p[0..n), mod 2 (a plain loop: the compiler vectorises it). */
static unsigned char quote_parity(const char *p, size_t n)
{
    size_t count = 0;
    for (size_t i = 0; i < n; i++) {
        count += p[i] == '"';
    }
    return (unsigned char)(count & 1);
}

/* One past the first line end outside quotes in [p, e) entered with state inq, or 0. */
static size_t first_safe_cut(const char *buf, const char *p, const char *e, int inq)
{
    while (p < e) {
        if (inq) {
            const char *q = memchr(p, '"', (size_t)(e - p));
            if (!q) {
                return 0;
            }
            inq = 0;
            p = q + 1;
            continue;
        }
        const char *nl = memchr(p, '\n', (size_t)(e - p));
        const char *q = memchr(p, '"', (size_t)((nl ? nl : e) - p));
        if (!q) {
            return nl ? (size_t)(nl + 1 - buf) : 0;
        }
        inq = 1;
        p = q + 1;
    }
    return 0;
}

/* One past the last line end outside quotes, given the quote parity at the end; 0 if none. */
static size_t last_safe_cut(const char *buf, size_t len, int parity_at_end)
{
    int s = parity_at_end;
    for (size_t i = len; i-- > 0;) {
        s ^= buf[i] == '"'; /* now the state before byte i */
        if (buf[i] == '\n' && !s) {
            return i + 1;
        }
    }
    return 0;
}

size_t pg_csv__split_pieces(const char *buf, size_t len, int at_eof, int n_parts, int threads,
                            size_t *cuts, int *n_cuts)
{
    if (n_parts < 1 || n_parts > SPLIT_MAX_PARTS) {
        return pg_csv_split(buf, len, at_eof, n_parts, cuts, n_cuts);
    }
    unsigned char state[SPLIT_MAX_PARTS + 1];
    size_t found[SPLIT_MAX_PARTS];
    (void)threads; /* used only by OpenMP pragmas */
#pragma omp parallel for num_threads(threads) schedule(static)
    for (int k = 0; k < n_parts; k++) {
        size_t lo = piece_start(len, k, n_parts), hi = piece_start(len, k + 1, n_parts);
        state[k + 1] = quote_parity(buf + lo, hi - lo);
    }
    state[0] = 0;
    for (int k = 0; k < n_parts; k++) {
        state[k + 1] ^= state[k];
    }
#pragma omp parallel for num_threads(threads) schedule(static)
    for (int k = 1; k < n_parts; k++) {
        size_t lo = piece_start(len, k, n_parts), hi = piece_start(len, k + 1, n_parts);
        found[k] = first_safe_cut(buf, buf + lo, buf + hi, state[k]);
    }
    size_t usable = at_eof ? len : last_safe_cut(buf, len, state[n_parts]);
    *n_cuts = 0;
    for (int k = 1; k < n_parts; k++) {
        size_t c = found[k];
        if (c && c < usable && (*n_cuts == 0 || c > cuts[*n_cuts - 1])) {
            cuts[(*n_cuts)++] = c;
        }
    }
    return usable;
}

size_t pg_csv_split_parallel(const char *buf, size_t len, int at_eof, int n_parts, int threads,
                             size_t *cuts, int *n_cuts)
{
    if (threads <= 1 || len < SPLIT_PARALLEL_MIN) {
        return pg_csv_split(buf, len, at_eof, n_parts, cuts, n_cuts);
    }
    return pg_csv__split_pieces(buf, len, at_eof, n_parts, threads, cuts, n_cuts);
}
