/*
 * rings/<id>.dot: the same ring picture as ring_svg.c in Graphviz DOT, for
 * analysts who restyle or re-lay it out (`neato -n2 -Tpdf` keeps the
 * positions computed here). Same nodes, colours, shapes, edge widths and
 * labels; institutions also listed in a legend cluster.
 * Complexity: O(n + m) after the layout.
 */
#include <string.h>

#include "core/alloc.h"
#include "core/error.h"
#include "ingest/amount.h"
#include "report/report_util.h"

/* DOT quoted string: escape the quote and the backslash. */
static void dot_quoted(pg_sbuf *b, const char *s)
{
    pg_sbuf_puts(b, "\"");
    for (; *s; s++) {
        if (*s == '"' || *s == '\\') {
            pg_sbuf_add(b, "\\", 1);
        }
        if ((unsigned char)*s < 0x20) {
            pg_sbuf_add(b, " ", 1);
            continue;
        }
        pg_sbuf_add(b, s, 1);
    }
    pg_sbuf_puts(b, "\"");
}

static const char *dot_shape(pg_role r)
{
    switch (r) {
    case PG_ROLE_FACILITATOR:
        return "box";
    case PG_ROLE_COLLECTOR:
        return "diamond";
    case PG_ROLE_INTERMEDIARY:
        return "triangle";
    default:
        return "circle";
    }
}

static void dot_nodes(pg_sbuf *b, const pg_pool *p, const pg_ring_sub *s, const double *x,
                      const double *y)
{
    pg_account_columns a;
    pg_pool_accounts(p, &a);
    for (uint32_t i = 0; i < s->n; i++) {
        char label[96], full[512];
        pg_report__label(label, sizeof(label), p, s->acct[i], 22);
        pg_report__label(full, sizeof(full), p, s->acct[i], 0);
        uint32_t k = pg_report__inst_index(s, a.institution[s->acct[i]]);
        pg_sbuf_printf(b, "  n%u [label=", i);
        dot_quoted(b, label);
        pg_sbuf_puts(b, ", tooltip=");
        dot_quoted(b, full);
        pg_sbuf_printf(b,
                       ", shape=%s, fillcolor=\"%s\", penwidth=%.1f%s, pos=\"%.1f,%.1f!\", "
                       "role=\"%s\", score=\"%.4f\"];\n",
                       dot_shape(s->role[i]), pg_report__colour(k),
                       s->role[i] == PG_ROLE_FACILITATOR || s->role[i] == PG_ROLE_COLLECTOR ? 2.5
                                                                                            : 1.0,
                       s->role[i] == PG_ROLE_MEMBER ? ", style=\"filled,dashed\"" : "", x[i] * 7.2,
                       (1.0 - y[i]) * 7.2, pg_role_name(s->role[i]), s->score[i]);
    }
}

static void dot_edges(pg_sbuf *b, const pg_pool *p, const pg_ring_sub *s)
{
    int64_t max = 0;
    int scale = pg_report__rep_scale(p);
    const char *cur = pg_pool_reporting_currency(p);
    for (uint32_t e = 0; e < s->m; e++) {
        max = s->amount[e] > max ? s->amount[e] : max;
    }
    for (uint32_t e = 0; e < s->m; e++) {
        char amount[32], text[96];
        pg_format_amount(amount, sizeof(amount), s->amount[e], scale);
        snprintf(text, sizeof(text), "%u \xc3\x97 %s %s", s->count[e], amount, cur ? cur : "");
        pg_sbuf_printf(b,
                       "  n%u -> n%u [penwidth=%.2f, count=%u, amount=\"%s\", tooltip=", s->src[e],
                       s->dst[e], pg_report__edge_width(s->amount[e], max), s->count[e], amount);
        dot_quoted(b, text);
        pg_sbuf_puts(b, "];\n");
    }
}

static void dot_legend(pg_sbuf *b, const pg_pool *p, const pg_ring_sub *s)
{
    pg_sbuf_puts(b, "  subgraph cluster_legend {\n    label=\"Institutions\";\n");
    for (uint32_t k = 0; k < s->n_inst; k++) {
        const char *name = pg_pool_institution_name(p, s->inst[k]);
        pg_sbuf_printf(b, "    legend%u [shape=box, fillcolor=\"%s\", label=", k,
                       pg_report__colour(k));
        dot_quoted(b, name ? name : "?");
        pg_sbuf_puts(b, "];\n");
    }
    pg_sbuf_puts(b, "  }\n");
}

int pg_ring_dot(pg_report_text *out, const pg_pool *p, const pg_graph *g, const pg_rings *r,
                uint32_t index, const pg_report_options *o)
{
    pg_ring_drawing d;
    int err = pg_report__drawing(&d, p, g, r, index, o, "ring graph");
    if (err < 0) {
        return err;
    }
    const pg_ring *ring = d.ring;
    pg_sbuf b;
    pg_sbuf_init(&b);
    char title[160];
    snprintf(title, sizeof(title), "Ring %u \xe2\x80\x94 score %.3f \xe2\x80\x94 %s", ring->id,
             ring->score, ring->typology ? ring->typology : "ring");
    pg_sbuf_printf(&b, "digraph ring_%u {\n  label=", ring->id);
    dot_quoted(&b, title);
    pg_sbuf_puts(&b, ";\n  labelloc=t;\n  fontname=\"sans-serif\";\n"
                     "  node [style=filled, fontname=\"sans-serif\", fontsize=10, width=0.3];\n"
                     "  edge [color=\"#555555\", arrowsize=0.6];\n");
    dot_nodes(&b, p, &d.s, d.x, d.y);
    dot_edges(&b, p, &d.s);
    dot_legend(&b, p, &d.s);
    pg_sbuf_puts(&b, "}\n");
    err = pg_report__finish(out, &b);
    pg_sbuf_free(&b);
    pg_report__drawing_free(&d);
    return err;
}
