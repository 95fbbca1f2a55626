/*
 * The report writers on a small real pool (tests/data/ingest) and rings
 * built by hand: report.json parses back with the expected fields and exact
 * amounts, SVG is well-formed XML and deterministic, DOT names every member,
 * results.h5 reads back equal through the HDF5 C API, the HTML page is
 * self-contained, the output folder is atomic, and allocation failures are
 * reported cleanly.
 */
#include <cJSON.h>
#include <hdf5.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "core/alloc.h"
#include "paygraph/paygraph.h"
#include "store/h5util.h"
#include "test_support.h"

static const char *const feature_names[] = {"out_degree", "night_share"};

typedef struct fixture {
    pg_pool *pool;
    pg_graph graph;
    pg_rings *rings;
} fixture;

static uint32_t acct(const pg_pool *p, const char *inst, const char *name)
{
    uint32_t a = pg_pool_find_account(p, inst, name);
    assert_true(a != PG_NONE);
    return a;
}

static char *sdup(const char *s)
{
    return pg_strdup(s);
}

/* Ring 1: five members over four institutions with every transaction as evidence. */
static void make_ring1(pg_ring *g, const pg_pool *p)
{
    g->id = 1;
    g->score = 0.875;
    g->detector = "community";
    g->typology = "offender-payments";
    g->n_members = 5;
    g->members = pg_calloc(5, sizeof(pg_ring_member));
    g->members[0] = (pg_ring_member){acct(p, "Bank A", "111"), PG_ROLE_PAYER, 0.5};
    g->members[1] = (pg_ring_member){acct(p, "Bank B", "222"), PG_ROLE_INTERMEDIARY, 0.4};
    g->members[2] = (pg_ring_member){acct(p, "Bank B", "22\"2"), PG_ROLE_PAYER, 0.3};
    g->members[3] = (pg_ring_member){acct(p, "Wallet W", "w-9"), PG_ROLE_FACILITATOR, 0.9};
    g->members[4] = (pg_ring_member){acct(p, "Remit R", "r1"), PG_ROLE_PAYER, 0.2};
    pg_account_columns a;
    pg_pool_accounts(p, &a);
    g->n_institutions = 4;
    g->institutions = pg_calloc(4, sizeof(uint32_t));
    for (uint32_t k = 0, i = 0; i < pg_pool_num_institutions(p) && k < 4; i++) {
        const char *n = pg_pool_institution_name(p, i);
        if (strcmp(n, "Bank C") && strcmp(n, "Bank Z")) {
            g->institutions[k++] = i;
        }
    }
    g->n_evidence = 1;
    g->evidence = pg_calloc(1, sizeof(pg_evidence));
    g->evidence[0].kind = "payments";
    g->evidence[0].n = 5;
    g->evidence[0].txn = pg_calloc(5, sizeof(uint32_t));
    for (uint32_t i = 0; i < 5; i++) {
        g->evidence[0].txn[i] = i;
    }
    g->n_indicators = 2;
    g->indicators = pg_calloc(2, sizeof(pg_indicator));
    g->indicators[0] = (pg_indicator){"night_share", "share of payments at night", 0.6, 97.5, 0.7};
    g->indicators[1] = (pg_indicator){"institutions", "institutions spanned", 4, -1, 0.3};
    g->n_explanation = 2;
    g->explanation = pg_calloc(2, sizeof(char *));
    g->explanation[0] = sdup("Three payers at 3 institutions pay one wallet <w-9> & nobody else.");
    g->explanation[1] = sdup("60% of payments are at night.");
    g->community = 0;
    g->total_amount = 123456;
    g->n_txns = 5;
    g->first_ts = 1772399645;
    g->last_ts = 1772496000;
}

static void make_ring2(pg_ring *g, const pg_pool *p)
{
    g->id = 2;
    g->score = 0.25;
    g->detector = "typology";
    g->typology = "cycle";
    g->n_members = 2;
    g->members = pg_calloc(2, sizeof(pg_ring_member));
    g->members[0] = (pg_ring_member){acct(p, "Bank A", "111"), PG_ROLE_MEMBER, 0.5};
    g->members[1] = (pg_ring_member){acct(p, "Bank B", "222"), PG_ROLE_MEMBER, 0.4};
    pg_account_columns a;
    pg_pool_accounts(p, &a);
    g->n_institutions = 2;
    g->institutions = pg_calloc(2, sizeof(uint32_t));
    g->institutions[0] = a.institution[g->members[0].account];
    g->institutions[1] = a.institution[g->members[1].account];
    g->community = PG_NONE;
    g->n_txns = 2;
}

static pg_rings *make_rings(const pg_pool *p)
{
    pg_rings *r = pg_calloc(1, sizeof(*r));
    uint32_t n = pg_pool_num_accounts(p);
    r->n = 2;
    r->rings = pg_calloc(2, sizeof(pg_ring));
    make_ring1(&r->rings[0], p);
    make_ring2(&r->rings[1], p);
    r->n_accounts = n;
    r->account_score = pg_calloc(n, sizeof(double));
    r->account_ring = pg_calloc(n, sizeof(uint32_t));
    r->community = pg_calloc(n, sizeof(uint32_t));
    r->features.n_accounts = n;
    r->features.n_features = 2;
    r->features.names = feature_names;
    r->features.values = pg_calloc((size_t)n * 2, sizeof(double));
    for (uint32_t v = 0; v < n; v++) {
        r->account_ring[v] = PG_NONE;
        r->community[v] = v % 2;
        r->features.values[2 * v] = v;
        r->features.values[2 * v + 1] = 0.1 * v;
    }
    for (uint32_t k = 0; k < r->rings[0].n_members; k++) {
        r->account_score[r->rings[0].members[k].account] = r->rings[0].members[k].score;
        r->account_ring[r->rings[0].members[k].account] = 1;
    }
    r->modularity = 0.42;
    r->n_communities = 2;
    return r;
}

static int setup(void **state)
{
    fixture *f = calloc(1, sizeof(*f));
    int st;
    f->pool = pg_test_ingest(pg_test_data("ingest/good.csv"), pg_test_data("ingest/accounts.csv"),
                             pg_test_data("ingest/watchlist.csv"), "paygraph", 1, PG_ON_ERROR_FAIL,
                             NULL, &st);
    assert_int_equal(st, 0);
    pg_graph_options go;
    pg_graph_options_init(&go);
    go.threads = 1;
    assert_int_equal(pg_graph_build(&f->graph, f->pool, &go), 0);
    f->rings = make_rings(f->pool);
    *state = f;
    return 0;
}

static int teardown(void **state)
{
    fixture *f = *state;
    pg_rings_free(f->rings);
    pg_graph_free(&f->graph);
    pg_pool_free(f->pool);
    free(f);
    return 0;
}

static const cJSON *get(const cJSON *o, const char *k)
{
    const cJSON *v = cJSON_GetObjectItemCaseSensitive(o, k);
    if (!v) {
        fail_msg("missing key '%s'", k);
    }
    return v;
}

static const char *str(const cJSON *o, const char *k)
{
    const cJSON *v = get(o, k);
    assert_true(cJSON_IsString(v));
    return v->valuestring;
}

/* The evidence transaction with the given id. */
static const cJSON *txn_by_id(const cJSON *ring, const char *id)
{
    const cJSON *ev = cJSON_GetArrayItem(get(ring, "evidence_paths"), 0);
    const cJSON *t;
    cJSON_ArrayForEach(t, get(ev, "transactions"))
    {
        if (!strcmp(str(t, "txn_id"), id)) {
            return t;
        }
    }
    fail_msg("transaction %s not in evidence", id);
    return NULL;
}

static void run_info(pg_run_info *run, pg_stage_stats *st)
{
    memset(run, 0, sizeof(*run));
    st[0] = (pg_stage_stats){"load", 0.5, 0.4, 1 << 20};
    st[1] = (pg_stage_stats){"rings", 1.5, 2.0, 2 << 20};
    run->command = "scan";
    run->config_json = "{\"top\":20,\"rings\":{\"low_value_max\":250}}";
    run->seed = 18446744073709551615ull;
    run->threads = 2;
    run->level = "account";
    run->start_time = 1780000000.25;
    run->end_time = 1780000002.75;
    run->stages = st;
    run->n_stages = 2;
}

static void test_json(void **state)
{
    fixture *f = *state;
    pg_run_info run;
    pg_stage_stats st[2];
    run_info(&run, st);
    pg_report_text t = {0};
    assert_int_equal(pg_report_json(&t, f->pool, &f->graph, f->rings, &run, NULL), 0);
    cJSON *root = cJSON_Parse(t.data);
    assert_non_null(root);
    assert_string_equal(str(root, "format"), "paygraph-report");
    const cJSON *r = get(root, "run");
    assert_string_equal(str(get(root, "paygraph"), "version"), pg_version());
    assert_int_equal(get(get(get(r, "config"), "rings"), "low_value_max")->valueint, 250);
    assert_non_null(strstr(t.data, "18446744073709551615")); /* seed exact above 2^53 */
    assert_string_equal(str(r, "start_time"), "2026-05-28T20:26:40.250Z");
    assert_int_equal(cJSON_GetArraySize(get(r, "stages")), 2);
    /* 5 transactions + 5 accounts + 2 watchlist rows, all loaded */
    assert_int_equal(get(get(root, "ingest"), "rows_read")->valueint, 12);
    assert_int_equal(get(get(root, "ingest"), "rows_loaded")->valueint, 12);
    assert_int_equal(get(get(root, "ingest"), "rows_rejected")->valueint, 0);
    assert_int_equal(get(get(root, "ingest"), "transactions")->valueint, 5);
    assert_int_equal(cJSON_GetArraySize(get(root, "inputs")), 3);
    assert_int_equal(strlen(str(cJSON_GetArrayItem(get(root, "inputs"), 0), "sha256")), 64);
    assert_int_equal(get(get(root, "graph"), "communities")->valueint, 2);

    const cJSON *rings = get(root, "rings");
    assert_int_equal(cJSON_GetArraySize(rings), 2);
    const cJSON *r1 = cJSON_GetArrayItem(rings, 0);
    assert_int_equal(get(r1, "id")->valueint, 1);
    assert_string_equal(str(r1, "typology"), "offender-payments");
    assert_int_equal(cJSON_GetArraySize(get(r1, "institutions")), 4);
    assert_int_equal(cJSON_GetArraySize(get(r1, "accounts")), 5);
    const cJSON *m2 = cJSON_GetArrayItem(get(r1, "accounts"), 2);
    assert_string_equal(str(m2, "account"), "22\"2");
    assert_string_equal(str(m2, "role"), "payer");
    assert_string_equal(str(cJSON_GetArrayItem(get(r1, "accounts"), 0), "entity"), "E-ALICE");
    /* exact amounts in each transaction's currency */
    assert_string_equal(str(txn_by_id(r1, "t5"), "amount"), "12345678901234567.89");
    assert_string_equal(str(txn_by_id(r1, "t2"), "amount"), "0.50");
    assert_string_equal(str(txn_by_id(r1, "t4"), "amount"), "0.10");
    assert_string_equal(str(txn_by_id(r1, "t4"), "currency"), "USD");
    assert_string_equal(str(txn_by_id(r1, "t1"), "time"), "2026-03-01T21:14:05Z");
    assert_string_equal(str(txn_by_id(r1, "t1"), "dst_institution"), "Wallet W");
    assert_string_equal(str(r1, "total_amount"), "1234.56");
    assert_string_equal(str(r1, "first_time"), "2026-03-01T21:14:05Z");
    const cJSON *ind = cJSON_GetArrayItem(get(r1, "indicators"), 1);
    assert_true(cJSON_IsNull(get(ind, "percentile")));
    assert_true(strstr(cJSON_GetArrayItem(get(r1, "explanation"), 0)->valuestring, "<w-9> &"));
    assert_true(cJSON_IsNull(get(cJSON_GetArrayItem(rings, 1), "community")));

    /* per-account scores: above the floor, by score descending */
    const cJSON *acc = get(root, "accounts");
    assert_int_equal(cJSON_GetArraySize(acc), 5);
    double prev = 2;
    const cJSON *a;
    cJSON_ArrayForEach(a, acc)
    {
        assert_true(get(a, "score")->valuedouble <= prev);
        prev = get(a, "score")->valuedouble;
        assert_int_equal(get(a, "ring")->valueint, 1);
    }
    assert_string_equal(str(cJSON_GetArrayItem(acc, 0), "account"), "w-9");

    /* bounded list */
    pg_report_options o;
    pg_report_options_init(&o);
    o.max_accounts = 2;
    pg_report_text t2 = {0};
    assert_int_equal(pg_report_json(&t2, f->pool, &f->graph, f->rings, &run, &o), 0);
    cJSON *root2 = cJSON_Parse(t2.data);
    assert_int_equal(cJSON_GetArraySize(get(root2, "accounts")), 2);
    cJSON_Delete(root2);
    pg_report_text_free(&t2);
    cJSON_Delete(root);
    pg_report_text_free(&t);
}

/*
 * A small XML well-formedness checker: elements nest and close, attribute
 * values are quoted, '<' never appears in text or attributes, every '&'
 * starts a known entity. Enough for what the writers produce.
 */
static int xml_well_formed(const char *s, char *why, size_t cap)
{
    char stack[64][64];
    int depth = 0, root_seen = 0;
    if (!strncmp(s, "<?xml", 5)) {
        s = strstr(s, "?>");
        if (!s) {
            snprintf(why, cap, "unterminated declaration");
            return 0;
        }
        s += 2;
    }
    while (*s) {
        if (*s == '&') {
            if (strncmp(s, "&amp;", 5) && strncmp(s, "&lt;", 4) && strncmp(s, "&gt;", 4) &&
                strncmp(s, "&quot;", 6) && strncmp(s, "&#39;", 5)) {
                snprintf(why, cap, "bad entity at '%.12s'", s);
                return 0;
            }
            s++;
            continue;
        }
        if (*s != '<') {
            if (depth == 0 && *s != '\n' && *s != ' ') {
                snprintf(why, cap, "text outside the root: '%.12s'", s);
                return 0;
            }
            s++;
            continue;
        }
        int closing = s[1] == '/';
        const char *p = s + 1 + closing, *name = p;
        while (*p && *p != ' ' && *p != '>' && *p != '/' && *p != '\n') {
            p++;
        }
        size_t nlen = (size_t)(p - name);
        if (nlen == 0 || nlen >= 64) {
            snprintf(why, cap, "bad tag name at '%.12s'", s);
            return 0;
        }
        /* attributes: name="value" with no '<' inside values */
        while (*p && *p != '>' && !(p[0] == '/' && p[1] == '>')) {
            if (*p == '"') {
                const char *q = strchr(p + 1, '"');
                if (!q || memchr(p + 1, '<', (size_t)(q - p - 1))) {
                    snprintf(why, cap, "bad attribute near '%.20s'", p);
                    return 0;
                }
                p = q;
            } else if (*p == '=' && p[1] != '"') {
                snprintf(why, cap, "unquoted attribute near '%.20s'", p);
                return 0;
            }
            p++;
        }
        if (!*p) {
            snprintf(why, cap, "unterminated tag");
            return 0;
        }
        int empty = *p == '/';
        if (closing) {
            if (depth == 0 || strlen(stack[depth - 1]) != nlen ||
                strncmp(stack[depth - 1], name, nlen)) {
                snprintf(why, cap, "mismatched </%.*s>", (int)nlen, name);
                return 0;
            }
            depth--;
        } else if (!empty) {
            if (depth == 0 && root_seen) {
                snprintf(why, cap, "two roots");
                return 0;
            }
            if (depth == 64) {
                snprintf(why, cap, "too deep");
                return 0;
            }
            memcpy(stack[depth], name, nlen);
            stack[depth++][nlen] = '\0';
            root_seen = 1;
        }
        s = p + (empty ? 2 : 1);
    }
    if (depth != 0 || !root_seen) {
        snprintf(why, cap, "unclosed elements (%d) or no root", depth);
        return 0;
    }
    return 1;
}

static void test_xml_checker_rejects(void **state)
{
    (void)state;
    char why[128];
    assert_true(xml_well_formed("<a x=\"1\"><b/>t &amp; u</a>", why, sizeof(why)));
    assert_false(xml_well_formed("<a><b></a></b>", why, sizeof(why)));
    assert_false(xml_well_formed("<a>x & y</a>", why, sizeof(why)));
    assert_false(xml_well_formed("<a x=1></a>", why, sizeof(why)));
    assert_false(xml_well_formed("<a x=\"<\"></a>", why, sizeof(why)));
    assert_false(xml_well_formed("<a>", why, sizeof(why)));
}

static void test_svg(void **state)
{
    fixture *f = *state;
    char why[128] = "";
    for (uint32_t k = 0; k < f->rings->n; k++) {
        pg_report_text a = {0}, b = {0};
        assert_int_equal(pg_ring_svg(&a, f->pool, &f->graph, f->rings, k, NULL), 0);
        if (!xml_well_formed(a.data, why, sizeof(why))) {
            fail_msg("ring %u SVG not well-formed: %s\n%s", k, why, a.data);
        }
        /* the same picture without the graph views (full scan) and on a second call */
        assert_int_equal(pg_ring_svg(&b, f->pool, NULL, f->rings, k, NULL), 0);
        assert_string_equal(a.data, b.data);
        pg_report_text_free(&b);
        pg_report_text_free(&a);
    }
    pg_report_text t = {0};
    assert_int_equal(pg_ring_svg(&t, f->pool, &f->graph, f->rings, 0, NULL), 0);
    assert_non_null(strstr(t.data, "Bank B:22&quot;2"));
    assert_non_null(strstr(t.data, "Wallet W:w-9"));
    assert_non_null(strstr(t.data, "Ring 1"));
    assert_non_null(strstr(t.data, "<rect x=")); /* the facilitator's square */
    /* one edge per ordered pair of members with payments: 111->w-9, 111->222, 222->111,
     * 22"2->w-9, r1->w-9 */
    size_t lines = 0;
    for (const char *s = t.data; (s = strstr(s, "<line ")) != NULL; s++) {
        lines++;
    }
    assert_int_equal(lines, 5);
    assert_non_null(strstr(t.data, "<title>1 payment, 25.00 AUD</title>"));
    assert_null(strstr(t.data, "2 payments"));
    pg_report_text_free(&t);
    assert_int_equal(pg_ring_svg(&t, f->pool, &f->graph, f->rings, 7, NULL), PG_EINVAL);
}

static void test_dot(void **state)
{
    fixture *f = *state;
    pg_report_text t = {0};
    assert_int_equal(pg_ring_dot(&t, f->pool, &f->graph, f->rings, 0, NULL), 0);
    assert_true(t.len > 0);
    assert_non_null(strstr(t.data, "digraph ring_1 {"));
    for (uint32_t i = 0; i < 5; i++) {
        char node[16];
        snprintf(node, sizeof(node), "  n%u [", i);
        assert_non_null(strstr(t.data, node));
    }
    assert_non_null(strstr(t.data, "\"Bank B:22\\\"2\""));
    assert_non_null(strstr(t.data, "shape=box"));
    int braces = 0;
    for (const char *s = t.data; *s; s++) {
        braces += (*s == '{') - (*s == '}');
        assert_true(braces >= 0);
    }
    assert_int_equal(braces, 0);
    pg_report_text_free(&t);
}

static void test_html(void **state)
{
    fixture *f = *state;
    pg_report_text svgs[2] = {{0}, {0}}, t = {0};
    pg_run_info run;
    pg_stage_stats st[2];
    run_info(&run, st);
    for (uint32_t k = 0; k < 2; k++) {
        assert_int_equal(pg_ring_svg(&svgs[k], f->pool, &f->graph, f->rings, k, NULL), 0);
    }
    assert_int_equal(pg_report_html(&t, f->pool, f->rings, &run, svgs, NULL), 0);
    assert_true(!strncmp(t.data, "<!DOCTYPE html>", 15));
    size_t rows = 0, pics = 0, sections = 0;
    for (const char *s = t.data; (s = strstr(s, "class=\"ring-row\"")) != NULL; s++) {
        rows++;
    }
    for (const char *s = t.data; (s = strstr(s, "<svg ")) != NULL; s++) {
        pics++;
    }
    for (const char *s = t.data; (s = strstr(s, "<section class=\"ring\"")) != NULL; s++) {
        sections++;
    }
    assert_int_equal(rows, 2);
    assert_int_equal(pics, 2);
    assert_int_equal(sections, 2);
    assert_null(strstr(t.data, "<script"));
    assert_null(strstr(t.data, "<?xml"));
    assert_null(strstr(t.data, "src=\"http"));
    assert_null(strstr(t.data, "href=\"http"));
    assert_non_null(strstr(t.data, "&lt;w-9&gt; &amp; nobody"));
    assert_non_null(strstr(t.data, "12345678901234567.89 AUD"));
    assert_non_null(strstr(t.data, "@media print"));
    /* the body (after the inlined pictures' XML declarations are gone) is well-formed too */
    char why[128];
    const char *body = strstr(t.data, "<body>");
    char *copy = pg_strndup(body, (size_t)(strstr(body, "</body>") + 7 - body));
    if (!xml_well_formed(copy, why, sizeof(why))) {
        fail_msg("report.html body not well-formed: %s", why);
    }
    pg_free(copy);
    pg_report_text_free(&t);
    /* top 1: one section, both rows */
    pg_report_options o;
    pg_report_options_init(&o);
    o.top = 1;
    assert_int_equal(pg_report_html(&t, f->pool, f->rings, &run, svgs, &o), 0);
    sections = 0;
    for (const char *s = t.data; (s = strstr(s, "<section class=\"ring\"")) != NULL; s++) {
        sections++;
    }
    assert_int_equal(sections, 1);
    pg_report_text_free(&t);
    pg_report_text_free(&svgs[0]);
    pg_report_text_free(&svgs[1]);
}

static void read_u32(hid_t file, const char *name, uint32_t *out, size_t n)
{
    hid_t ds = H5Dopen2(file, name, H5P_DEFAULT);
    assert_true(ds >= 0);
    hid_t sp = H5Dget_space(ds);
    hsize_t dims[1] = {0};
    assert_int_equal(H5Sget_simple_extent_ndims(sp), 1);
    H5Sget_simple_extent_dims(sp, dims, NULL);
    assert_int_equal(dims[0], n);
    assert_true(H5Dread(ds, H5T_NATIVE_UINT32, H5S_ALL, H5S_ALL, H5P_DEFAULT, out) >= 0);
    H5Sclose(sp);
    H5Dclose(ds);
}

static void test_h5(void **state)
{
    fixture *f = *state;
    const pg_rings *r = f->rings;
    char path[600], path2[600];
    snprintf(path, sizeof(path), "%s/results.h5", pg_test_tmpdir("report_h5"));
    snprintf(path2, sizeof(path2), "%s/results2.h5", pg_test_tmpdir("report_h5"));
    pg_run_info run;
    pg_stage_stats st[2];
    run_info(&run, st);
    assert_int_equal(pg_results_write_h5(path, f->pool, &f->graph, r, &run), 0);
    struct stat sb;
    assert_int_equal(stat(path, &sb), 0);
    assert_int_equal(sb.st_mode & 0777, 0600);

    /* the plain HDF5 C API */
    hid_t file = H5Fopen(path, H5F_ACC_RDONLY, H5P_DEFAULT);
    assert_true(file >= 0);
    uint32_t n = r->n_accounts;
    uint32_t *ring = calloc(n, 4), *comm = calloc(n, 4), ids[2], members[7], mring[7];
    read_u32(file, "/accounts/ring", ring, n);
    read_u32(file, "/accounts/community", comm, n);
    for (uint32_t v = 0; v < n; v++) {
        assert_int_equal(ring[v], r->account_ring[v] == PG_NONE ? 0 : r->account_ring[v]);
        assert_int_equal(comm[v], r->community[v]);
    }
    read_u32(file, "/rings/id", ids, 2);
    assert_int_equal(ids[0], 1);
    assert_int_equal(ids[1], 2);
    read_u32(file, "/rings/members/account", members, 7);
    read_u32(file, "/rings/members/ring_id", mring, 7);
    for (uint32_t k = 0, j = 0; k < r->n; k++) {
        for (uint32_t i = 0; i < r->rings[k].n_members; i++, j++) {
            assert_int_equal(members[j], r->rings[k].members[i].account);
            assert_int_equal(mring[j], r->rings[k].id);
        }
    }
    free(ring);
    free(comm);
    H5Fclose(file);

    /* doubles, features and strings through the shared helpers */
    pg_h5 h;
    assert_int_equal(pg_h5_open(&h, path), 0);
    double *score = NULL, *night = NULL;
    size_t ns = 0;
    assert_int_equal(pg_h5_read(&h, "/accounts/score", H5T_NATIVE_DOUBLE, (void **)&score, &ns), 0);
    assert_int_equal(ns, n);
    assert_memory_equal(score, r->account_score, n * sizeof(double));
    assert_int_equal(
        pg_h5_read(&h, "/features/night_share", H5T_NATIVE_DOUBLE, (void **)&night, &ns), 0);
    for (uint32_t v = 0; v < n; v++) {
        assert_true(night[v] == r->features.values[2 * v + 1]);
    }
    char **names = NULL;
    size_t nn = 0;
    assert_int_equal(pg_h5_read_string_list(&h, "/accounts/name", &names, &nn), 0);
    assert_int_equal(nn, n);
    for (uint32_t v = 0; v < n; v++) {
        assert_string_equal(names[v], pg_pool_account_name(f->pool, v));
    }
    char fmt[64];
    assert_int_equal(pg_h5_get_attr_string(&h, "/", "format", fmt, sizeof(fmt)), 0);
    assert_string_equal(fmt, "paygraph-results");
    pg_free(names);
    pg_free(score);
    pg_free(night);
    pg_h5_close(&h);

    /* equal results give byte-identical files */
    assert_int_equal(pg_results_write_h5(path2, f->pool, &f->graph, r, &run), 0);
    FILE *a = fopen(path, "rb"), *b = fopen(path2, "rb");
    int ca, cb;
    do {
        ca = fgetc(a);
        cb = fgetc(b);
        assert_int_equal(ca, cb);
    } while (ca != EOF);
    fclose(a);
    fclose(b);
    /* unwritable destination */
    assert_int_equal(pg_results_write_h5("/nonexistent-dir/r.h5", f->pool, &f->graph, r, &run),
                     PG_EIO);
}

static void test_summary(void **state)
{
    fixture *f = *state;
    char *buf = NULL;
    size_t len = 0;
    FILE *m = open_memstream(&buf, &len);
    assert_int_equal(pg_report_summary(m, f->pool, f->rings, 1), 0);
    fclose(m);
    assert_non_null(strstr(buf, "rank"));
    assert_non_null(strstr(buf, "offender-payments"));
    assert_non_null(strstr(buf, "night_share"));
    assert_non_null(strstr(buf, "(1 more rings"));
    assert_null(strstr(buf, "cycle"));
    free(buf);
}

static int exists(const char *path)
{
    struct stat st;
    return stat(path, &st) == 0;
}

static void test_outdir(void **state)
{
    (void)state;
    char dir[600], file[5000], tmp[4200];
    snprintf(dir, sizeof(dir), "%s/out", pg_test_tmpdir("report_outdir"));
    pg_outdir d;
    assert_int_equal(pg_outdir_begin(&d, dir), 0);
    assert_int_equal(pg_outdir_mkdir(&d, "rings"), 0);
    assert_int_equal(pg_outdir_write(&d, "report.json", "{\"v\":1}\n", 8), 0);
    assert_int_equal(pg_outdir_write(&d, "rings/1.svg", "<svg/>", 6), 0);
    assert_false(exists(dir)); /* nothing visible before commit */
    snprintf(tmp, sizeof(tmp), "%s", d.tmp);
    struct stat st;
    assert_int_equal(stat(tmp, &st), 0);
    assert_int_equal(st.st_mode & 0777, 0700);
    assert_int_equal(pg_outdir_commit(&d), 0);
    assert_false(exists(tmp));
    snprintf(file, sizeof(file), "%s/report.json", dir);
    assert_int_equal(stat(file, &st), 0);
    assert_int_equal(st.st_mode & 0777, 0600);

    /* a second run replaces the report; an aborted one leaves it untouched */
    assert_int_equal(pg_outdir_begin(&d, dir), 0);
    assert_int_equal(pg_outdir_write(&d, "report.json", "{\"v\":2}\n", 8), 0);
    pg_outdir_abort(&d);
    assert_false(exists(d.tmp));
    FILE *fp = fopen(file, "r");
    char got[16] = "";
    assert_non_null(fgets(got, sizeof(got), fp));
    fclose(fp);
    assert_string_equal(got, "{\"v\":1}\n");
    assert_int_equal(pg_outdir_begin(&d, dir), 0);
    assert_int_equal(pg_outdir_write(&d, "report.json", "{\"v\":2}\n", 8), 0);
    assert_int_equal(pg_outdir_commit(&d), 0);
    fp = fopen(file, "r");
    assert_non_null(fgets(got, sizeof(got), fp));
    fclose(fp);
    assert_string_equal(got, "{\"v\":2}\n");
    snprintf(file, sizeof(file), "%s/rings/1.svg", dir);
    assert_false(exists(file)); /* the old folder is gone, not merged */

    /* a folder that is not a report is never replaced */
    char other[4000];
    snprintf(other, sizeof(other), "%s/precious", pg_test_tmpdir("report_outdir"));
    mkdir(other, 0700);
    snprintf(file, sizeof(file), "%s/notes.txt", other);
    fp = fopen(file, "w");
    fputs("keep me\n", fp);
    fclose(fp);
    assert_int_equal(pg_outdir_begin(&d, other), PG_EIO);
    assert_non_null(strstr(pg_error_last(), "not a paygraph report"));
    assert_true(exists(file));
    /* an unwritable parent */
    assert_int_equal(pg_outdir_begin(&d, "/nonexistent-dir/out"), PG_EIO);
    /* /dev/full: every write fails with ENOSPC */
    if (exists("/dev/full")) {
        char link[4200];
        assert_int_equal(pg_outdir_begin(&d, dir), 0);
        snprintf(link, sizeof(link), "%s/full", d.tmp);
        assert_int_equal(symlink("/dev/full", link), 0);
        int fd_err = pg_outdir_write(&d, "full", "x", 1);
        assert_int_equal(fd_err, PG_EIO);
        assert_non_null(strstr(pg_error_last(), "No space"));
        pg_outdir_abort(&d);
    }
}

static void test_alloc_failures(void **state)
{
    fixture *f = *state;
    pg_run_info run;
    pg_stage_stats st[2];
    run_info(&run, st);
    int ok = 0;
    for (long n = 1; n < 2000 && !ok; n++) {
        pg_report_text a = {0}, b = {0}, c = {0};
        pg_alloc_fail_at(n);
        int e1 = pg_report_json(&a, f->pool, &f->graph, f->rings, &run, NULL);
        int e2 = e1 ? e1 : pg_ring_svg(&b, f->pool, &f->graph, f->rings, 0, NULL);
        int e3 = e2 ? e2 : pg_ring_dot(&c, f->pool, &f->graph, f->rings, 0, NULL);
        pg_alloc_fail_at(0);
        assert_true(e3 == 0 || e3 == PG_ENOMEM);
        ok = e3 == 0;
        pg_report_text_free(&a);
        pg_report_text_free(&b);
        pg_report_text_free(&c);
    }
    assert_true(ok);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_xml_checker_rejects),
        cmocka_unit_test_setup_teardown(test_json, setup, teardown),
        cmocka_unit_test_setup_teardown(test_svg, setup, teardown),
        cmocka_unit_test_setup_teardown(test_dot, setup, teardown),
        cmocka_unit_test_setup_teardown(test_html, setup, teardown),
        cmocka_unit_test_setup_teardown(test_h5, setup, teardown),
        cmocka_unit_test_setup_teardown(test_summary, setup, teardown),
        cmocka_unit_test(test_outdir),
        cmocka_unit_test_setup_teardown(test_alloc_failures, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
