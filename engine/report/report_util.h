/*
 * Helpers shared by the report writers: a growable text buffer with
 * checked printf, XML/HTML escaping, and the facts every writer needs about
 * a ring (member names, the transactions between members aggregated per
 * pair, exact amounts in the reporting currency).
 */
#ifndef PG_REPORT_UTIL_H
#define PG_REPORT_UTIL_H

#include <stdarg.h>

#include "paygraph/report.h"

/* A growable NUL-terminated text; the first failed append makes every later one a no-op. */
typedef struct pg_sbuf {
    char *data;
    size_t len, cap;
    int failed;
} pg_sbuf;

void pg_sbuf_init(pg_sbuf *b);
void pg_sbuf_free(pg_sbuf *b);
void pg_sbuf_add(pg_sbuf *b, const char *s, size_t n);
void pg_sbuf_puts(pg_sbuf *b, const char *s);
void pg_sbuf_printf(pg_sbuf *b, const char *fmt, ...) PG_PRINTF(2, 3);
/* Append s with & < > " ' escaped (valid in XML text and attributes alike). */
void pg_sbuf_xml(pg_sbuf *b, const char *s);
/* Hand the text over (PG_ENOMEM when an append failed; the buffer is freed then). */
int pg_report__finish(pg_report_text *out, pg_sbuf *b);

/*
 * Write data[0..len) to path (created or truncated, mode 0600) and fsync it,
 * so that a file renamed into place afterwards is on disk. PG_EIO (PG_ENOMEM
 * when the system is out of memory) names the path and the step that failed.
 */
int pg_report__write_file(const char *path, const void *data, size_t len);

/*
 * A ring's place in the earlier scan as one word: "#12" when it continues
 * earlier ring 12, "new" otherwise (rings matched by pg_rings_match_previous).
 */
void pg_report__previous_word(char *buf, size_t cap, const pg_ring_previous *q);

/*
 * The earlier rings ranked within the earlier scan's first k that are gone
 * (no ring continues them), as "#3, #7" ("none" when there is none), with
 * "…" after the last id that fits when not all do (cap >= 8): a ring an
 * analyst saw near the top last month and no longer finds. Returns k:
 * `top` (0: all) but at most the earlier scan's rings.
 */
uint32_t pg_report__gone_top(char *buf, size_t cap, const pg_rings_previous *t, uint32_t top);

/* Scale (minor-unit digits) of the pool's reporting currency. */
int pg_report__rep_scale(const pg_pool *p);

/* "institution:account" of an account, truncated to at most max bytes (with "…"). */
void pg_report__label(char *buf, size_t cap, const pg_pool *p, uint32_t acct, size_t max);

/* Input id of transaction i, or "file:record" when the input had none. */
void pg_report__txn_id(char *buf, size_t cap, const pg_pool *p, int64_t i);

/* Add the fields of transaction i (id, time, exact amount, currency, both ends) to o. */
struct cJSON;
int pg_report__txn_fields(struct cJSON *o, const pg_pool *p, uint32_t i);

/* A ring's subgraph: up to max_nodes members (by score) and the aggregated transactions. */
typedef struct pg_ring_sub {
    uint32_t n;     /* members drawn */
    uint32_t *acct; /* account of each node */
    pg_role *role;
    double *score;
    uint32_t m;          /* ordered pairs with at least one transaction */
    uint32_t *src, *dst; /* node indices */
    int64_t *amount;     /* sum, reporting-currency minor units */
    uint32_t *count;
    uint32_t n_inst;      /* institutions of the ring, in the ring's order */
    const uint32_t *inst; /* borrowed from the ring */
} pg_ring_sub;

int pg_report__ring_sub(pg_ring_sub *s, const pg_pool *p, const pg_graph *g, const pg_ring *ring,
                        uint32_t max_nodes);
void pg_report__ring_sub_free(pg_ring_sub *s);

/* Deterministic layout of the subgraph (Kamada-Kawai from a circle), coordinates in [0,1]. */
int pg_report__layout(const pg_ring_sub *s, double *x, double *y);

/* A ring ready to draw: its subgraph and a layout in the unit square. */
typedef struct pg_ring_drawing {
    const pg_ring *ring;
    pg_ring_sub s;
    double *x, *y;
} pg_ring_drawing;

/* Subgraph and layout of ring `index` of r; `what` names the writer in errors. */
int pg_report__drawing(pg_ring_drawing *d, const pg_pool *p, const pg_graph *g, const pg_rings *r,
                       uint32_t index, const pg_report_options *o, const char *what);
void pg_report__drawing_free(pg_ring_drawing *d);

/* Colour of the k-th institution of a ring (a fixed palette, cycled). */
const char *pg_report__colour(uint32_t k);

/* Index of institution inst in the ring's list (its colour), or the list length. */
uint32_t pg_report__inst_index(const pg_ring_sub *s, uint32_t inst);

/* Stroke width 1..6 of an edge carrying amount, on a log scale up to the ring's largest. */
double pg_report__edge_width(int64_t amount, int64_t max);

#endif
