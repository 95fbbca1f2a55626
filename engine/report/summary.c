/*
 * The ranked table `paygraph scan` prints on stdout: one line per top ring
 * (rank, score, institutions, members, typology, top indicator, and after
 * a scan matched to an earlier one its place there: "#id" or "new"), short
 * enough for a terminal and stable enough for scripts to read with awk.
 * Columns are separated by two or more spaces; long fields are cut with "…".
 */
#include <string.h>

#include "core/error.h"
#include "report/report_util.h"

/* Copy s into buf, cut to at most max bytes on a UTF-8 boundary with an ellipsis. */
static void cut(char *buf, size_t cap, const char *s, size_t max)
{
    size_t len = strlen(s);
    if (len <= max || max < 4) {
        snprintf(buf, cap, "%s", s);
        return;
    }
    size_t n = max - 3;
    while (n > 0 && ((unsigned char)s[n] & 0xC0) == 0x80) {
        n--;
    }
    snprintf(buf, cap, "%.*s\xe2\x80\xa6", (int)n, s);
}

static const char *top_indicator(const pg_ring *g)
{
    const pg_indicator *best = NULL;
    for (uint32_t k = 0; k < g->n_indicators; k++) {
        if (!best || g->indicators[k].contribution > best->contribution) {
            best = &g->indicators[k];
        }
    }
    return best ? best->name : "-";
}

int pg_report_summary(FILE *f, const pg_pool *p, const pg_rings *r, uint32_t top)
{
    uint32_t n = top && top < r->n ? top : r->n;
    int prev = r->previous.matched;
    if (prev) {
        fprintf(f, "%-5s %-6s %-28s %7s  %-18s %-22s  %s\n", "rank", "score", "institutions",
                "members", "typology", "top indicator", "previous");
    } else {
        fprintf(f, "%-5s %-6s %-28s %7s  %-18s %s\n", "rank", "score", "institutions", "members",
                "typology", "top indicator");
    }
    for (uint32_t k = 0; k < n; k++) {
        const pg_ring *g = &r->rings[k];
        char inst[256] = "", shown[64], typ[40];
        size_t len = 0;
        for (uint32_t i = 0; i < g->n_institutions && len + 2 < sizeof(inst); i++) {
            const char *name = pg_pool_institution_name(p, g->institutions[i]);
            int w =
                snprintf(inst + len, sizeof(inst) - len, "%s%s", i ? "," : "", name ? name : "?");
            len += w > 0 ? (size_t)w : 0;
        }
        cut(shown, sizeof(shown), inst, 28);
        cut(typ, sizeof(typ), g->typology ? g->typology : "-", 18);
        if (prev) {
            char was[16];
            pg_report__previous_word(was, sizeof(was), &g->previous);
            fprintf(f, "%-5u %-6.3f %-28s %7u  %-18s %-22s  %s\n", g->id, g->score, shown,
                    g->n_members, typ, top_indicator(g), was);
        } else {
            fprintf(f, "%-5u %-6.3f %-28s %7u  %-18s %s\n", g->id, g->score, shown, g->n_members,
                    typ, top_indicator(g));
        }
    }
    if (r->n == 0) {
        fprintf(f, "(no rings found)\n");
    }
    if (r->n > n) {
        fprintf(f, "(%u more rings in report.json)\n", r->n - n);
    }
    if (prev) {
        char gone[160];
        uint32_t k = pg_report__gone_top(gone, sizeof(gone), &r->previous, top);
        fprintf(f,
                "previous scan: %u rings; %u of these %u rings continue one (\"#id\": its id "
                "then), %u are new; %u earlier rings no longer found (of its first %u: %s)\n",
                r->previous.rings, r->previous.continuing, r->n, r->n - r->previous.continuing,
                r->previous.gone, k, gone);
    }
    return ferror(f) ? pg_error_set(PG_EIO, "cannot write the ranked table") : 0;
}
