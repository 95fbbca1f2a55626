/*
 * Layout of a ring picture: Kamada-Kawai spring layout on the ring's
 * subgraph (as an undirected igraph_t), started from a circle.
 *
 * Kamada, T. and Kawai, S. (1989) An algorithm for drawing general
 * undirected graphs. Information Processing Letters 31(1), 7-15.
 * DOI 10.1016/0020-0190(89)90102-6.
 *
 * Why: Kamada-Kawai with a given start is fully deterministic (no random
 * numbers), so the same ring is drawn the same way on every run and for
 * every thread count. A ring has at most a few dozen drawn members, so
 * its O(n^2) per iteration cost does not matter. The result is scaled into
 * the unit square.
 */
#include <math.h>
#include <string.h>

#include <igraph/igraph.h>

#include "core/error.h"
#include "report/report_util.h"

static void circle(uint32_t n, double *x, double *y)
{
    const double pi = 3.14159265358979323846;
    for (uint32_t i = 0; i < n; i++) {
        x[i] = cos(2.0 * pi * i / n);
        y[i] = sin(2.0 * pi * i / n);
    }
}

/* Scale coordinates into [0.05, 0.95] keeping the aspect ratio. */
static void normalise(uint32_t n, double *x, double *y)
{
    double x0 = x[0], x1 = x[0], y0 = y[0], y1 = y[0];
    for (uint32_t i = 1; i < n; i++) {
        x0 = fmin(x0, x[i]);
        x1 = fmax(x1, x[i]);
        y0 = fmin(y0, y[i]);
        y1 = fmax(y1, y[i]);
    }
    double span = fmax(x1 - x0, y1 - y0);
    if (!(span > 0)) {
        span = 1;
    }
    for (uint32_t i = 0; i < n; i++) {
        x[i] = 0.05 + 0.9 * ((x[i] - x0) / span + (span - (x1 - x0)) / (2 * span));
        y[i] = 0.05 + 0.9 * ((y[i] - y0) / span + (span - (y1 - y0)) / (2 * span));
    }
}

static int kamada_kawai(const pg_ring_sub *s, double *x, double *y)
{
    igraph_t g;
    igraph_vector_int_t edges;
    igraph_matrix_t pos;
    int ok = 0;
    if (igraph_vector_int_init(&edges, 2 * (igraph_integer_t)s->m) != IGRAPH_SUCCESS) {
        return pg_error_set(PG_EDEP, "ring layout: igraph could not allocate %u edges", s->m);
    }
    for (uint32_t e = 0; e < s->m; e++) {
        VECTOR(edges)[2 * e] = s->src[e];
        VECTOR(edges)[2 * e + 1] = s->dst[e];
    }
    if (igraph_create(&g, &edges, (igraph_integer_t)s->n, IGRAPH_UNDIRECTED) == IGRAPH_SUCCESS) {
        if (igraph_matrix_init(&pos, (igraph_integer_t)s->n, 2) == IGRAPH_SUCCESS) {
            for (uint32_t i = 0; i < s->n; i++) {
                MATRIX(pos, i, 0) = x[i];
                MATRIX(pos, i, 1) = y[i];
            }
            if (igraph_layout_kamada_kawai(&g, &pos, 1, 50 * (igraph_integer_t)s->n, 0.0,
                                           (double)s->n, NULL, NULL, NULL, NULL,
                                           NULL) == IGRAPH_SUCCESS) {
                for (uint32_t i = 0; i < s->n; i++) {
                    x[i] = MATRIX(pos, i, 0);
                    y[i] = MATRIX(pos, i, 1);
                }
                ok = 1;
            }
            igraph_matrix_destroy(&pos);
        }
        igraph_destroy(&g);
    }
    igraph_vector_int_destroy(&edges);
    return ok ? 0 : pg_error_set(PG_EDEP, "ring layout: igraph Kamada-Kawai failed");
}

int pg_report__layout(const pg_ring_sub *s, double *x, double *y)
{
    if (s->n == 0) {
        return 0;
    }
    if (s->n == 1) {
        x[0] = y[0] = 0.5;
        return 0;
    }
    igraph_set_error_handler(igraph_error_handler_ignore);
    circle(s->n, x, y);
    if (s->n > 2) {
        int err = kamada_kawai(s, x, y);
        if (err < 0) {
            return err;
        }
    }
    normalise(s->n, x, y);
    return 0;
}
