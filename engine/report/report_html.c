/*
 * report.html: one page an analyst can open offline, mail inside the
 * working group, or print. Self-contained on purpose — inline CSS, the ring
 * pictures inlined as SVG, no script, no font or image fetched — so it
 * renders the same in an air-gapped review room and leaks nothing when
 * opened. Sections: run summary, ranked table of rings, then per top ring
 * its picture, explanation, indicators, members and evidence transactions.
 * Every text taken from the data is escaped.
 * Complexity: linear in the size of the rings shown.
 */
#include <string.h>

#include "core/alloc.h"
#include "core/error.h"
#include "ingest/amount.h"
#include "report/report_util.h"

static const char css[] =
    "body{font-family:system-ui,sans-serif;margin:2em;color:#222;max-width:1100px}"
    "h1{font-size:1.6em;margin-bottom:.2em}h2{border-bottom:2px solid #ccc;padding-bottom:.2em;"
    "margin-top:2em}h3{margin-bottom:.3em}"
    "table{border-collapse:collapse;margin:.5em 0;font-size:.9em}"
    "th,td{border:1px solid #ccc;padding:.25em .5em;text-align:left;vertical-align:top}"
    "th{background:#f0f0f0}td.num{text-align:right;font-variant-numeric:tabular-nums}"
    ".meta td:first-child{font-weight:bold}.ring{page-break-before:always;break-before:page}"
    ".ring svg{max-width:100%;height:auto;border:1px solid #ddd}"
    ".note{color:#666;font-size:.85em}"
    "@media print{body{margin:0;max-width:none}a{color:inherit;text-decoration:none}"
    "table{page-break-inside:auto}tr{page-break-inside:avoid}"
    ".ring svg{max-height:17cm}}";

static void cell(pg_sbuf *b, const char *s)
{
    pg_sbuf_puts(b, "<td>");
    pg_sbuf_xml(b, s ? s : "");
    pg_sbuf_puts(b, "</td>");
}

static void meta_row(pg_sbuf *b, const char *k, const char *v)
{
    pg_sbuf_puts(b, "<tr>");
    cell(b, k);
    cell(b, v);
    pg_sbuf_puts(b, "</tr>\n");
}

static void summary(pg_sbuf *b, const pg_pool *p, const pg_rings *r, const pg_run_info *run,
                    uint32_t top)
{
    char buf[256], t0[40], t1[40];
    pg_ingest_totals t;
    pg_pool_totals(p, &t);
    pg_sbuf_puts(b, "<h2>Run</h2>\n<table class=\"meta\">\n");
    snprintf(buf, sizeof(buf), "%s (%s)", pg_version(), pg_build_commit());
    meta_row(b, "paygraph", buf);
    pg_format_time(t0, sizeof(t0), run ? (int64_t)run->start_time : 0);
    pg_format_time(t1, sizeof(t1), run ? (int64_t)run->end_time : 0);
    snprintf(buf, sizeof(buf), "%s to %s (%.1f s)", t0, t1,
             run ? run->end_time - run->start_time : 0.0);
    meta_row(b, "time", buf);
    snprintf(buf, sizeof(buf), "level %s, seed %llu, %d thread%s",
             run && run->level ? run->level : "account", (unsigned long long)(run ? run->seed : 0),
             run ? run->threads : 0, run && run->threads == 1 ? "" : "s");
    meta_row(b, "settings", buf);
    for (size_t i = 0; i < pg_pool_num_files(p); i++) {
        const pg_file_info *f = pg_pool_file(p, i);
        snprintf(buf, sizeof(buf), "%s (%s, %llu bytes, %llu rows, SHA-256 %.16s\xe2\x80\xa6)",
                 f->path, f->kind, (unsigned long long)f->bytes, (unsigned long long)f->rows_read,
                 f->sha256[0] ? f->sha256 : "n/a");
        meta_row(b, "input", buf);
    }
    snprintf(buf, sizeof(buf), "%llu read = %llu loaded + %llu rejected",
             (unsigned long long)t.rows_read, (unsigned long long)t.rows_loaded,
             (unsigned long long)t.rows_rejected);
    meta_row(b, "rows", buf);
    snprintf(buf, sizeof(buf), "%lld transactions, %u accounts, %u institutions",
             (long long)pg_pool_num_txns(p), pg_pool_num_accounts(p), pg_pool_num_institutions(p));
    meta_row(b, "pool", buf);
    snprintf(buf, sizeof(buf), "%u rings; %u communities, modularity %.3f", r->n, r->n_communities,
             r->modularity);
    meta_row(b, "result", buf);
    if (r->previous.matched) {
        snprintf(buf, sizeof(buf),
                 "%u rings, %u of %u accounts found here; %u of these rings continue one, %u "
                 "new; %u earlier rings no longer found",
                 r->previous.rings, r->previous.accounts_found, r->previous.accounts,
                 r->previous.continuing, r->n - r->previous.continuing, r->previous.gone);
        meta_row(b, "previous scan", buf);
        char gone[200];
        uint32_t k = pg_report__gone_top(gone, sizeof(gone), &r->previous, top);
        snprintf(buf, sizeof(buf), "of its first %u: %s", k, gone);
        meta_row(b, "no longer found", buf);
    }
    pg_sbuf_puts(b, "</table>\n");
}

static const char *top_indicator(const pg_ring *g)
{
    const pg_indicator *best = NULL;
    for (uint32_t k = 0; k < g->n_indicators; k++) {
        if (!best || g->indicators[k].contribution > best->contribution) {
            best = &g->indicators[k];
        }
    }
    return best ? (best->label ? best->label : best->name) : "";
}

static void institutions_text(pg_sbuf *b, const pg_pool *p, const pg_ring *g)
{
    for (uint32_t k = 0; k < g->n_institutions; k++) {
        if (k) {
            pg_sbuf_puts(b, ", ");
        }
        const char *name = pg_pool_institution_name(p, g->institutions[k]);
        pg_sbuf_xml(b, name ? name : "?");
    }
}

static void ranked_table(pg_sbuf *b, const pg_pool *p, const pg_rings *r, uint32_t top)
{
    int scale = pg_report__rep_scale(p);
    const char *cur = pg_pool_reporting_currency(p);
    pg_sbuf_puts(b, "<h2>Rings by score</h2>\n<table class=\"rings\">\n<thead><tr><th>rank</th>"
                    "<th>score</th><th>typology</th><th>institutions</th><th>members</th>"
                    "<th>transactions</th><th>amount</th><th>top indicator</th>");
    pg_sbuf_puts(b, r->previous.matched ? "<th>previous scan</th></tr></thead>\n<tbody>\n"
                                        : "</tr></thead>\n<tbody>\n");
    for (uint32_t k = 0; k < r->n; k++) {
        const pg_ring *g = &r->rings[k];
        char amount[PG_AMOUNT_BUFSZ];
        pg_format_amount(amount, sizeof(amount), g->total_amount, scale);
        pg_sbuf_printf(b, "<tr class=\"ring-row\"><td class=\"num\">");
        if (k < top) {
            pg_sbuf_printf(b, "<a href=\"#ring-%u\">%u</a>", g->id, g->id);
        } else {
            pg_sbuf_printf(b, "%u", g->id);
        }
        pg_sbuf_printf(b, "</td><td class=\"num\">%.3f</td>", g->score);
        cell(b, g->typology);
        pg_sbuf_puts(b, "<td>");
        institutions_text(b, p, g);
        pg_sbuf_printf(b,
                       "</td><td class=\"num\">%u</td><td class=\"num\">%u</td>"
                       "<td class=\"num\">%s ",
                       g->n_members, g->n_txns, amount);
        pg_sbuf_xml(b, cur ? cur : "");
        pg_sbuf_puts(b, "</td>");
        cell(b, top_indicator(g));
        if (r->previous.matched) {
            char was[16];
            pg_report__previous_word(was, sizeof(was), &g->previous);
            cell(b, was);
        }
        pg_sbuf_puts(b, "</tr>\n");
    }
    pg_sbuf_puts(b, "</tbody></table>\n");
}

static void indicators(pg_sbuf *b, const pg_ring *g)
{
    if (!g->n_indicators) {
        return;
    }
    pg_sbuf_puts(b, "<h3>Indicators</h3>\n<table><tr><th>indicator</th><th>value</th>"
                    "<th>percentile</th><th>share of score</th></tr>\n");
    for (uint32_t k = 0; k < g->n_indicators; k++) {
        const pg_indicator *x = &g->indicators[k];
        pg_sbuf_puts(b, "<tr>");
        cell(b, x->label ? x->label : x->name);
        pg_sbuf_printf(b, "<td class=\"num\">%.4g</td>", x->value);
        if (x->percentile < 0) {
            pg_sbuf_puts(b, "<td class=\"num\">n/a</td>");
        } else {
            pg_sbuf_printf(b, "<td class=\"num\">%.1f</td>", x->percentile);
        }
        pg_sbuf_printf(b, "<td class=\"num\">%.0f%%</td></tr>\n", 100.0 * x->contribution);
    }
    pg_sbuf_puts(b, "</table>\n");
}

static void members(pg_sbuf *b, const pg_pool *p, const pg_ring *g)
{
    pg_account_columns a;
    pg_pool_accounts(p, &a);
    pg_sbuf_puts(b, "<h3>Members</h3>\n<table><tr><th>institution</th><th>account</th>"
                    "<th>entity</th><th>role</th><th>score</th></tr>\n");
    for (uint32_t k = 0; k < g->n_members; k++) {
        const pg_ring_member *m = &g->members[k];
        uint32_t ent = a.entity ? a.entity[m->account] : PG_NONE;
        pg_sbuf_puts(b, "<tr>");
        cell(b, pg_pool_institution_name(p, a.institution[m->account]));
        cell(b, pg_pool_account_name(p, m->account));
        cell(b, ent == PG_NONE ? "" : pg_pool_entity_name(p, ent));
        cell(b, pg_role_name(m->role));
        pg_sbuf_printf(b, "<td class=\"num\">%.3f</td></tr>\n", m->score);
    }
    pg_sbuf_puts(b, "</table>\n");
}

static void txn_row(pg_sbuf *b, const pg_pool *p, const pg_txn_columns *t,
                    const pg_account_columns *a, uint32_t i)
{
    char id[512], when[40], amount[PG_AMOUNT_BUFSZ];
    pg_report__txn_id(id, sizeof(id), p, i);
    pg_format_time(when, sizeof(when), t->ts[i]);
    pg_format_amount(amount, sizeof(amount), t->amount[i],
                     pg_pool_currency_scale(p, t->currency[i]));
    pg_sbuf_puts(b, "<tr>");
    cell(b, id);
    cell(b, when);
    pg_sbuf_printf(b, "<td class=\"num\">%s ", amount);
    pg_sbuf_xml(b, pg_pool_currency_code(p, t->currency[i]));
    pg_sbuf_puts(b, "</td>");
    cell(b, pg_pool_institution_name(p, a->institution[t->src[i]]));
    cell(b, pg_pool_account_name(p, t->src[i]));
    cell(b, pg_pool_institution_name(p, a->institution[t->dst[i]]));
    cell(b, pg_pool_account_name(p, t->dst[i]));
    pg_sbuf_puts(b, "</tr>\n");
}

static void evidence(pg_sbuf *b, const pg_pool *p, const pg_ring *g, uint32_t max_txns)
{
    pg_txn_columns t;
    pg_account_columns a;
    pg_pool_txns(p, &t);
    pg_pool_accounts(p, &a);
    for (uint32_t k = 0; k < g->n_evidence; k++) {
        const pg_evidence *e = &g->evidence[k];
        uint32_t shown = max_txns && e->n > max_txns ? max_txns : e->n;
        pg_sbuf_puts(b, "<h3>Evidence: ");
        pg_sbuf_xml(b, e->kind ? e->kind : "path");
        pg_sbuf_printf(b, " (%u transaction%s%s)</h3>\n", e->n, e->n == 1 ? "" : "s",
                       shown < e->n ? ", first shown" : "");
        pg_sbuf_puts(b, "<table class=\"evidence\"><tr><th>id</th><th>time (UTC)</th>"
                        "<th>amount</th><th>from institution</th><th>from account</th>"
                        "<th>to institution</th><th>to account</th></tr>\n");
        for (uint32_t j = 0; j < shown; j++) {
            txn_row(b, p, &t, &a, e->txn[j]);
        }
        pg_sbuf_puts(b, "</table>\n");
    }
}

/* The SVG without its XML declaration (not allowed inside HTML). */
static void inline_svg(pg_sbuf *b, const pg_report_text *svg)
{
    const char *s = svg->data;
    if (!strncmp(s, "<?xml", 5)) {
        const char *end = strstr(s, "?>");
        s = end ? end + 2 : s;
        while (*s == '\n') {
            s++;
        }
    }
    pg_sbuf_puts(b, "<figure>");
    pg_sbuf_puts(b, s);
    pg_sbuf_puts(b, "</figure>\n");
}

/* One sentence on the ring's place in the earlier scan (after a matched scan). */
static void previous_text(pg_sbuf *b, const pg_ring *g, int matched)
{
    const pg_ring_previous *q = &g->previous;
    if (!matched) {
        return;
    }
    if (q->id == PG_NONE) {
        pg_sbuf_puts(b, "<p>New: no member was in a ring of the previous scan.</p>\n");
    } else {
        pg_sbuf_printf(b,
                       "<p>%s ring %u of the previous scan: %u of its %u members are in "
                       "this one.</p>\n",
                       q->continues ? "Continues" : "New; nearest is", q->id, q->shared,
                       q->members);
    }
}

static void ring_section(pg_sbuf *b, const pg_pool *p, const pg_ring *g, const pg_report_text *svg,
                         const pg_report_options *o, int previous)
{
    char t0[40], t1[40];
    pg_format_time(t0, sizeof(t0), g->first_ts);
    pg_format_time(t1, sizeof(t1), g->last_ts);
    pg_sbuf_printf(b,
                   "<section class=\"ring\" id=\"ring-%u\">\n<h2>Ring %u \xe2\x80\x94 score "
                   "%.3f \xe2\x80\x94 ",
                   g->id, g->id, g->score);
    pg_sbuf_xml(b, g->typology ? g->typology : "ring");
    pg_sbuf_puts(b, "</h2>\n<p>");
    institutions_text(b, p, g);
    pg_sbuf_printf(b,
                   " \xc2\xb7 %u members \xc2\xb7 %u transactions \xc2\xb7 %s to %s \xc2\xb7 "
                   "found by ",
                   g->n_members, g->n_txns, t0, t1);
    pg_sbuf_xml(b, g->detector ? g->detector : "?");
    pg_sbuf_puts(b, "</p>\n");
    previous_text(b, g, previous);
    if (svg && svg->data) {
        inline_svg(b, svg);
    }
    if (g->n_explanation) {
        pg_sbuf_puts(b, "<h3>Why</h3>\n<ul class=\"explanation\">\n");
        for (uint32_t k = 0; k < g->n_explanation; k++) {
            pg_sbuf_puts(b, "<li>");
            pg_sbuf_xml(b, g->explanation[k]);
            pg_sbuf_puts(b, "</li>\n");
        }
        pg_sbuf_puts(b, "</ul>\n");
    }
    indicators(b, g);
    members(b, p, g);
    evidence(b, p, g, o->max_path_txns);
    pg_sbuf_puts(b, "</section>\n");
}

int pg_report_html(pg_report_text *out, const pg_pool *p, const pg_rings *r, const pg_run_info *run,
                   const pg_report_text *svgs, const pg_report_options *o)
{
    pg_report_options def;
    if (!o) {
        pg_report_options_init(&def);
        o = &def;
    }
    uint32_t top = o->top && o->top < r->n ? o->top : r->n;
    pg_sbuf b;
    pg_sbuf_init(&b);
    pg_sbuf_printf(&b,
                   "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
                   "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
                   "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src "
                   "'none'; style-src 'unsafe-inline'\">\n"
                   "<title>paygraph report</title>\n<style>%s</style>\n</head>\n<body>\n"
                   "<h1>paygraph report</h1>\n<p class=\"note\">Pseudonymous: accounts are "
                   "shown as the pooled files name them. Amounts are exact, in the "
                   "currency of each payment; ring totals in %s.</p>\n",
                   css, pg_pool_reporting_currency(p) ? pg_pool_reporting_currency(p) : "");
    summary(&b, p, r, run, o->top);
    ranked_table(&b, p, r, top);
    for (uint32_t k = 0; k < top; k++) {
        ring_section(&b, p, &r->rings[k], svgs ? &svgs[k] : NULL, o, r->previous.matched);
    }
    pg_sbuf_puts(&b, "</body>\n</html>\n");
    return pg_report__finish(out, &b);
}
