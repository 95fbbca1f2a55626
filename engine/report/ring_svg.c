/*
 * rings/<id>.svg: a picture of one ring for the analyst. Members are nodes
 * coloured by institution (legend) and shaped by role (payer circle,
 * facilitator square, collector diamond, intermediary triangle, member
 * dashed circle); an edge is every transaction from one member to another,
 * aggregated, with its width on a log scale of the amount and a tooltip
 * giving count and amount. Labels are "institution:account", truncated.
 *
 * Plain SVG 1.1, every text escaped, no script and no external reference,
 * so it can be inlined into report.html and opened anywhere.
 * Complexity: O(n^2) per layout iteration for n drawn members, O(m) edges.
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "core/alloc.h"
#include "core/error.h"
#include "ingest/amount.h"
#include "report/report_util.h"

enum { W = 760, PLOT = 520, TOP = 40, LEGEND_X = 560 };

static void shape(pg_sbuf *b, pg_role role, double x, double y, const char *fill)
{
    const double r = 9;
    switch (role) {
    case PG_ROLE_FACILITATOR:
        pg_sbuf_printf(b,
                       "<rect x=\"%.1f\" y=\"%.1f\" width=\"%.1f\" height=\"%.1f\" fill=\"%s\" "
                       "stroke=\"#111\" stroke-width=\"2.5\"/>",
                       x - r, y - r, 2 * r, 2 * r, fill);
        break;
    case PG_ROLE_COLLECTOR:
        pg_sbuf_printf(b,
                       "<polygon points=\"%.1f,%.1f %.1f,%.1f %.1f,%.1f %.1f,%.1f\" fill=\"%s\" "
                       "stroke=\"#111\" stroke-width=\"2.5\"/>",
                       x, y - 1.3 * r, x + 1.3 * r, y, x, y + 1.3 * r, x - 1.3 * r, y, fill);
        break;
    case PG_ROLE_INTERMEDIARY:
        pg_sbuf_printf(b,
                       "<polygon points=\"%.1f,%.1f %.1f,%.1f %.1f,%.1f\" fill=\"%s\" "
                       "stroke=\"#111\" stroke-width=\"1.5\"/>",
                       x, y - 1.2 * r, x + 1.1 * r, y + 0.8 * r, x - 1.1 * r, y + 0.8 * r, fill);
        break;
    case PG_ROLE_PAYER:
        pg_sbuf_printf(b,
                       "<circle cx=\"%.1f\" cy=\"%.1f\" r=\"%.1f\" fill=\"%s\" stroke=\"#111\" "
                       "stroke-width=\"1\"/>",
                       x, y, r, fill);
        break;
    default:
        pg_sbuf_printf(b,
                       "<circle cx=\"%.1f\" cy=\"%.1f\" r=\"%.1f\" fill=\"%s\" stroke=\"#111\" "
                       "stroke-width=\"1\" stroke-dasharray=\"3,2\"/>",
                       x, y, r, fill);
        break;
    }
}

/* The arrow marker id carries the ring id: several pictures share one page. */
static void edges(pg_sbuf *b, const pg_pool *p, const pg_ring_sub *s, uint32_t id, const double *x,
                  const double *y)
{
    int64_t max = 0;
    int scale = pg_report__rep_scale(p);
    const char *cur = pg_pool_reporting_currency(p);
    for (uint32_t e = 0; e < s->m; e++) {
        max = s->amount[e] > max ? s->amount[e] : max;
    }
    pg_sbuf_puts(b, "<g class=\"edges\" stroke=\"#555\" stroke-opacity=\"0.7\" fill=\"none\">\n");
    for (uint32_t e = 0; e < s->m; e++) {
        double x0 = x[s->src[e]], y0 = y[s->src[e]], x1 = x[s->dst[e]], y1 = y[s->dst[e]];
        double dx = x1 - x0, dy = y1 - y0, len = sqrt(dx * dx + dy * dy);
        if (len > 24) { /* stop short of the target so the arrow head stays visible */
            x1 -= dx * 12 / len;
            y1 -= dy * 12 / len;
        }
        char amount[32];
        pg_format_amount(amount, sizeof(amount), s->amount[e], scale);
        pg_sbuf_printf(b,
                       "<line x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\" "
                       "stroke-width=\"%.2f\" marker-end=\"url(#arrow%u)\"><title>",
                       x0, y0, x1, y1, pg_report__edge_width(s->amount[e], max), id);
        pg_sbuf_printf(b, "%u payment%s, %s ", s->count[e], s->count[e] == 1 ? "" : "s", amount);
        pg_sbuf_xml(b, cur ? cur : "");
        pg_sbuf_puts(b, "</title></line>\n");
    }
    pg_sbuf_puts(b, "</g>\n");
}

static void nodes(pg_sbuf *b, const pg_pool *p, const pg_ring_sub *s, const double *x,
                  const double *y)
{
    pg_account_columns a;
    pg_pool_accounts(p, &a);
    pg_sbuf_puts(b, "<g class=\"nodes\">\n");
    for (uint32_t i = 0; i < s->n; i++) {
        uint32_t k = pg_report__inst_index(s, a.institution[s->acct[i]]);
        char label[96], full[512];
        pg_report__label(label, sizeof(label), p, s->acct[i], 22);
        pg_report__label(full, sizeof(full), p, s->acct[i], 0);
        pg_sbuf_puts(b, "<g class=\"node\"><title>");
        pg_sbuf_xml(b, full);
        pg_sbuf_printf(b, " (%s, score %.3f)</title>", pg_role_name(s->role[i]), s->score[i]);
        shape(b, s->role[i], x[i], y[i], pg_report__colour(k));
        pg_sbuf_printf(b, "<text x=\"%.1f\" y=\"%.1f\" text-anchor=\"middle\">", x[i], y[i] + 22);
        pg_sbuf_xml(b, label);
        pg_sbuf_puts(b, "</text></g>\n");
    }
    pg_sbuf_puts(b, "</g>\n");
}

static void legend(pg_sbuf *b, const pg_pool *p, const pg_ring_sub *s)
{
    static const pg_role roles[] = {PG_ROLE_PAYER, PG_ROLE_FACILITATOR, PG_ROLE_COLLECTOR,
                                    PG_ROLE_INTERMEDIARY, PG_ROLE_MEMBER};
    double y = TOP + 10;
    pg_sbuf_printf(b,
                   "<g class=\"legend\"><text x=\"%d\" y=\"%.1f\" font-weight=\"bold\">"
                   "Institutions</text>\n",
                   LEGEND_X, y);
    for (uint32_t k = 0; k < s->n_inst && k < 12; k++) {
        y += 20;
        const char *name = pg_pool_institution_name(p, s->inst[k]);
        pg_sbuf_printf(b, "<rect x=\"%d\" y=\"%.1f\" width=\"12\" height=\"12\" fill=\"%s\"/>",
                       LEGEND_X, y - 10, pg_report__colour(k));
        pg_sbuf_printf(b, "<text x=\"%d\" y=\"%.1f\">", LEGEND_X + 18, y);
        pg_sbuf_xml(b, name ? name : "?");
        pg_sbuf_puts(b, "</text>\n");
    }
    y += 30;
    pg_sbuf_printf(b, "<text x=\"%d\" y=\"%.1f\" font-weight=\"bold\">Roles</text>\n", LEGEND_X, y);
    for (size_t i = 0; i < sizeof(roles) / sizeof(roles[0]); i++) {
        y += 24;
        shape(b, roles[i], LEGEND_X + 8, y - 4, "#ffffff");
        pg_sbuf_printf(b, "<text x=\"%d\" y=\"%.1f\">%s</text>\n", LEGEND_X + 24, y,
                       pg_role_name(roles[i]));
    }
    pg_sbuf_puts(b, "</g>\n");
}

static void header(pg_sbuf *b, const pg_ring *ring, const pg_ring_sub *s)
{
    int h = TOP + PLOT + 20;
    pg_sbuf_printf(b,
                   "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
                   "<svg xmlns=\"http://www.w3.org/2000/svg\" version=\"1.1\" width=\"%d\" "
                   "height=\"%d\" viewBox=\"0 0 %d %d\" font-family=\"sans-serif\" "
                   "font-size=\"10\" class=\"ring-svg\" data-ring=\"%u\">\n",
                   W, h, W, h, ring->id);
    pg_sbuf_printf(b,
                   "<defs><marker id=\"arrow%u\" viewBox=\"0 0 10 10\" refX=\"9\" refY=\"5\" "
                   "markerUnits=\"userSpaceOnUse\" markerWidth=\"9\" markerHeight=\"9\" "
                   "orient=\"auto\">"
                   "<path d=\"M0,0 L10,5 L0,10 z\" fill=\"#555\"/></marker></defs>\n",
                   ring->id);
    pg_sbuf_printf(b, "<rect width=\"%d\" height=\"%d\" fill=\"#ffffff\"/>\n", W, h);
    pg_sbuf_printf(b,
                   "<text x=\"12\" y=\"24\" font-size=\"16\" font-weight=\"bold\">"
                   "Ring %u \xe2\x80\x94 score %.3f \xe2\x80\x94 ",
                   ring->id, ring->score);
    pg_sbuf_xml(b, ring->typology ? ring->typology : "ring");
    pg_sbuf_printf(b, " (%u member%s%s)</text>\n", ring->n_members, ring->n_members == 1 ? "" : "s",
                   s->n < ring->n_members ? ", top drawn" : "");
}

int pg_ring_svg(pg_report_text *out, const pg_pool *p, const pg_graph *g, const pg_rings *r,
                uint32_t index, const pg_report_options *o)
{
    pg_ring_drawing d;
    int err = pg_report__drawing(&d, p, g, r, index, o, "ring picture");
    if (err < 0) {
        return err;
    }
    for (uint32_t i = 0; i < d.s.n; i++) {
        d.x[i] = 50 + d.x[i] * (LEGEND_X - 90);
        d.y[i] = TOP + d.y[i] * PLOT;
    }
    pg_sbuf b;
    pg_sbuf_init(&b);
    header(&b, d.ring, &d.s);
    edges(&b, p, &d.s, d.ring->id, d.x, d.y);
    nodes(&b, p, &d.s, d.x, d.y);
    legend(&b, p, &d.s);
    pg_sbuf_puts(&b, "</svg>\n");
    err = pg_report__finish(out, &b);
    pg_sbuf_free(&b);
    pg_report__drawing_free(&d);
    return err;
}
