/*
 * report.json: everything an analyst or a script needs from a scan, in one
 * document described by docs/report.schema.json — run metadata (version,
 * commit, effective configuration, seed, threads, inputs with sizes and
 * SHA-256, times and memory per stage), ingest totals that reconcile, the
 * graph summary, the rings in score order with members, evidence
 * transactions, explanations and indicators, and the per-account scores
 * that `paygraph eval` ranks.
 *
 * Amounts are exact decimal strings in their currency (from the integer
 * minor units and the currency's scale), never floats; 64-bit counts are
 * written as raw JSON integers so they survive above 2^53.
 * Built with cJSON; every failed allocation is remembered and reported once.
 * The rings, most of the document, are written one compact ring per line
 * (built and printed in parallel); the rest is indented.
 * Complexity: O(A log A) for A accounts listed, plus the evidence size.
 */
#include <stdlib.h>
#include <string.h>

#include <cJSON.h>

#include "core/alloc.h"
#include "core/error.h"
#include "ingest/amount.h"
#include "report/report_util.h"

void pg_report_options_init(pg_report_options *o)
{
    memset(o, 0, sizeof(*o));
    o->top = 20;
    o->max_accounts = 10000;
    o->account_floor = 0.0;
    o->max_path_txns = 50;
    o->max_nodes = 60;
}

/* Builder state: the pool, options and a sticky failure flag. */
typedef struct jctx {
    const pg_pool *p;
    const pg_report_options *o;
    pg_account_columns a;
    int scale_rep;
    int previous; /* the rings were matched to an earlier scan's */
    int failed;
} jctx;

static cJSON *check(jctx *c, cJSON *item)
{
    if (!item) {
        c->failed = 1;
    }
    return item;
}

static void add_str(jctx *c, cJSON *obj, const char *k, const char *v)
{
    check(c, v ? cJSON_AddStringToObject(obj, k, v) : cJSON_AddNullToObject(obj, k));
}

static void add_num(jctx *c, cJSON *obj, const char *k, double v)
{
    check(c, cJSON_AddNumberToObject(obj, k, v));
}

static void add_i64(jctx *c, cJSON *obj, const char *k, int64_t v)
{
    char buf[32];
    snprintf(buf, sizeof(buf), "%lld", (long long)v);
    check(c, cJSON_AddRawToObject(obj, k, buf));
}

static void add_u64(jctx *c, cJSON *obj, const char *k, uint64_t v)
{
    char buf[32];
    snprintf(buf, sizeof(buf), "%llu", (unsigned long long)v);
    check(c, cJSON_AddRawToObject(obj, k, buf));
}

static void add_time(jctx *c, cJSON *obj, const char *k, int64_t t)
{
    char buf[40];
    pg_format_time(buf, sizeof(buf), t);
    add_str(c, obj, k, buf);
}

/* A fractional epoch time as ISO 8601 with milliseconds. */
static void add_time_ms(jctx *c, cJSON *obj, const char *k, double t)
{
    char buf[48], base[40];
    int64_t s = (int64_t)t;
    int ms = (int)((t - (double)s) * 1000.0);
    pg_format_time(base, sizeof(base), s);
    base[strlen(base) - 1] = '\0'; /* drop the Z */
    snprintf(buf, sizeof(buf), "%s.%03dZ", base, ms < 0 ? 0 : ms > 999 ? 999 : ms);
    add_str(c, obj, k, buf);
}

static cJSON *add_arr(jctx *c, cJSON *obj, const char *k)
{
    return check(c, cJSON_AddArrayToObject(obj, k));
}

static cJSON *add_obj(jctx *c, cJSON *obj, const char *k)
{
    return check(c, cJSON_AddObjectToObject(obj, k));
}

static cJSON *push_obj(jctx *c, cJSON *arr)
{
    cJSON *o = check(c, cJSON_CreateObject());
    if (o && !cJSON_AddItemToArray(arr, o)) {
        cJSON_Delete(o);
        c->failed = 1;
        return NULL;
    }
    return o;
}

/* Append v (made by the caller) to arr, or remember the failure. */
static void push(jctx *c, cJSON *arr, cJSON *v)
{
    if (check(c, v) && !cJSON_AddItemToArray(arr, v)) {
        cJSON_Delete(v);
        c->failed = 1;
    }
}

static void push_str(jctx *c, cJSON *arr, const char *s)
{
    push(c, arr, cJSON_CreateString(s));
}

static void push_num(jctx *c, cJSON *arr, double v)
{
    push(c, arr, cJSON_CreateNumber(v));
}

static void run_json(jctx *c, cJSON *root, const pg_run_info *run)
{
    cJSON *pv = add_obj(c, root, "paygraph");
    if (pv) {
        add_str(c, pv, "version", pg_version());
        add_str(c, pv, "commit", pg_build_commit());
    }
    cJSON *r = add_obj(c, root, "run");
    if (!r) {
        return;
    }
    add_str(c, r, "command", run && run->command ? run->command : "scan");
    cJSON *cfg = run && run->config_json ? cJSON_Parse(run->config_json) : NULL;
    if (!cfg) {
        cfg = cJSON_CreateObject();
    }
    if (!check(c, cfg) || !cJSON_AddItemToObject(r, "config", cfg)) {
        cJSON_Delete(cfg);
        c->failed = 1;
    }
    add_u64(c, r, "seed", run ? run->seed : 0);
    add_num(c, r, "threads", run ? run->threads : 0);
    add_str(c, r, "omp_wait_policy",
            run && run->omp_wait_policy ? run->omp_wait_policy : "default");
    add_str(c, r, "level", run && run->level ? run->level : "account");
    add_time_ms(c, r, "start_time", run ? run->start_time : 0);
    add_time_ms(c, r, "end_time", run ? run->end_time : 0);
    add_num(c, r, "wall_seconds", run ? run->end_time - run->start_time : 0);
    cJSON *st = add_arr(c, r, "stages");
    uint64_t peak = 0;
    for (size_t i = 0; st && run && i < run->n_stages; i++) {
        const pg_stage_stats *s = &run->stages[i];
        cJSON *o = push_obj(c, st);
        if (o) {
            add_str(c, o, "name", s->name);
            add_num(c, o, "wall_seconds", s->wall_seconds);
            add_num(c, o, "cpu_seconds", s->cpu_seconds);
            add_u64(c, o, "peak_rss_bytes", s->peak_rss);
        }
        peak = s->peak_rss > peak ? s->peak_rss : peak;
    }
    add_u64(c, r, "peak_rss_bytes", peak);
}

static void inputs_json(jctx *c, cJSON *root)
{
    cJSON *arr = add_arr(c, root, "inputs");
    for (size_t i = 0; arr && i < pg_pool_num_files(c->p); i++) {
        const pg_file_info *f = pg_pool_file(c->p, i);
        cJSON *o = push_obj(c, arr);
        if (!o) {
            return;
        }
        add_str(c, o, "path", f->path);
        add_str(c, o, "kind", f->kind);
        add_str(c, o, "format", f->format);
        add_u64(c, o, "bytes", f->bytes);
        add_str(c, o, "sha256", f->sha256[0] ? f->sha256 : NULL);
        add_u64(c, o, "rows_read", f->rows_read);
        add_u64(c, o, "rows_loaded", f->rows_loaded);
        add_u64(c, o, "rows_rejected", f->rows_rejected);
    }
}

static void ingest_json(jctx *c, cJSON *root)
{
    pg_ingest_totals t;
    pg_pool_totals(c->p, &t);
    cJSON *o = add_obj(c, root, "ingest");
    if (!o) {
        return;
    }
    add_u64(c, o, "rows_read", t.rows_read);
    add_u64(c, o, "rows_loaded", t.rows_loaded);
    add_u64(c, o, "rows_rejected", t.rows_rejected);
    add_i64(c, o, "transactions", pg_pool_num_txns(c->p));
    add_u64(c, o, "accounts", pg_pool_num_accounts(c->p));
    add_u64(c, o, "entities", pg_pool_num_entities(c->p));
    add_u64(c, o, "institutions", pg_pool_num_institutions(c->p));
    add_u64(c, o, "accounts_only_in_side_files", t.accounts_only_in_side_files);
    add_str(c, o, "reporting_currency", pg_pool_reporting_currency(c->p));
}

static void graph_json(jctx *c, cJSON *root, const pg_graph *g, const pg_rings *r)
{
    cJSON *o = add_obj(c, root, "graph");
    if (!o) {
        return;
    }
    add_str(c, o, "level", g && g->level == PG_LEVEL_ENTITY ? "entity" : "account");
    add_u64(c, o, "vertices", g ? g->n : pg_pool_num_accounts(c->p));
    add_i64(c, o, "edges", g ? g->agg.m : 0);
    add_i64(c, o, "undirected_edges", g ? g->undirected.m / 2 : 0);
    add_u64(c, o, "communities", r->n_communities);
    add_num(c, o, "modularity", r->modularity);
}

static void txn_json(jctx *c, cJSON *arr, uint32_t i)
{
    cJSON *o = push_obj(c, arr);
    if (o && pg_report__txn_fields(o, c->p, i) < 0) {
        c->failed = 1;
    }
}

int pg_report__txn_fields(cJSON *o, const pg_pool *p, uint32_t i)
{
    pg_txn_columns t;
    pg_account_columns a;
    pg_pool_txns(p, &t);
    pg_pool_accounts(p, &a);
    char id[512], amount[40], when[32];
    pg_report__txn_id(id, sizeof(id), p, i);
    pg_format_time(when, sizeof(when), t.ts[i]);
    pg_format_amount(amount, sizeof(amount), t.amount[i], pg_pool_currency_scale(p, t.currency[i]));
    const char *keys[8] = {"txn_id",          "time",        "amount",          "currency",
                           "src_institution", "src_account", "dst_institution", "dst_account"};
    const char *vals[8] = {id,
                           when,
                           amount,
                           pg_pool_currency_code(p, t.currency[i]),
                           pg_pool_institution_name(p, a.institution[t.src[i]]),
                           pg_pool_account_name(p, t.src[i]),
                           pg_pool_institution_name(p, a.institution[t.dst[i]]),
                           pg_pool_account_name(p, t.dst[i])};
    for (int k = 0; k < 8; k++) {
        if (!cJSON_AddStringToObject(o, keys[k], vals[k])) {
            return pg_error_oom("report JSON", 64);
        }
    }
    return 0;
}

static void evidence_json(jctx *c, cJSON *ring, const pg_ring *g)
{
    cJSON *arr = add_arr(c, ring, "evidence_paths");
    for (uint32_t k = 0; arr && k < g->n_evidence; k++) {
        const pg_evidence *e = &g->evidence[k];
        cJSON *o = push_obj(c, arr);
        if (!o) {
            return;
        }
        add_str(c, o, "kind", e->kind);
        add_u64(c, o, "n_transactions", e->n);
        cJSON *tx = add_arr(c, o, "transactions");
        uint32_t shown =
            c->o->max_path_txns && e->n > c->o->max_path_txns ? c->o->max_path_txns : e->n;
        for (uint32_t j = 0; tx && j < shown; j++) {
            txn_json(c, tx, e->txn[j]);
        }
    }
}

static void members_json(jctx *c, cJSON *ring, const pg_ring *g)
{
    cJSON *arr = add_arr(c, ring, "accounts");
    for (uint32_t k = 0; arr && k < g->n_members; k++) {
        const pg_ring_member *m = &g->members[k];
        cJSON *o = push_obj(c, arr);
        if (!o) {
            return;
        }
        uint32_t ent = c->a.entity ? c->a.entity[m->account] : PG_NONE;
        add_str(c, o, "institution", pg_pool_institution_name(c->p, c->a.institution[m->account]));
        add_str(c, o, "account", pg_pool_account_name(c->p, m->account));
        add_str(c, o, "entity", ent == PG_NONE ? NULL : pg_pool_entity_name(c->p, ent));
        add_str(c, o, "role", pg_role_name(m->role));
        add_num(c, o, "score", m->score);
    }
}

static void indicators_json(jctx *c, cJSON *ring, const pg_ring *g)
{
    cJSON *arr = add_arr(c, ring, "indicators");
    for (uint32_t k = 0; arr && k < g->n_indicators; k++) {
        const pg_indicator *ind = &g->indicators[k];
        cJSON *o = push_obj(c, arr);
        if (!o) {
            return;
        }
        add_str(c, o, "name", ind->name);
        add_str(c, o, "label", ind->label);
        add_num(c, o, "value", ind->value);
        if (ind->percentile < 0) {
            check(c, cJSON_AddNullToObject(o, "percentile"));
        } else {
            add_num(c, o, "percentile", ind->percentile);
        }
        add_num(c, o, "contribution", ind->contribution);
    }
}

/* The ring's match in the earlier scan (pg_rings_match_previous), or null. */
static void previous_json(jctx *c, cJSON *ring, const pg_ring_previous *q)
{
    if (q->id == PG_NONE) {
        check(c, cJSON_AddNullToObject(ring, "previous"));
        return;
    }
    cJSON *o = add_obj(c, ring, "previous");
    if (o) {
        add_u64(c, o, "id", q->id);
        add_u64(c, o, "shared_accounts", q->shared);
        add_u64(c, o, "members", q->members);
        check(c, cJSON_AddBoolToObject(o, "continues", q->continues != 0));
    }
}

/* What this scan's rings have to do with the earlier scan's (present only when matched). */
static void previous_scan_json(jctx *c, cJSON *root, const pg_rings *r)
{
    const pg_rings_previous *t = &r->previous;
    cJSON *o = t->matched ? add_obj(c, root, "previous_scan") : NULL;
    if (o) {
        add_str(c, o, "sha256", t->sha256);
        add_u64(c, o, "rings", t->rings);
        add_u64(c, o, "accounts", t->accounts);
        add_u64(c, o, "accounts_found", t->accounts_found);
        add_u64(c, o, "continuing", t->continuing);
        add_u64(c, o, "new", r->n - t->continuing);
        add_u64(c, o, "gone", t->gone);
        cJSON *ids = add_arr(c, o, "gone_ids");
        for (uint32_t i = 0; ids && i < t->gone; i++) {
            push_num(c, ids, t->gone_id[i]);
        }
    }
}

static void ring_json(jctx *c, cJSON *o, const pg_ring *g)
{
    add_u64(c, o, "id", g->id);
    add_num(c, o, "score", g->score);
    add_str(c, o, "detector", g->detector);
    add_str(c, o, "typology", g->typology);
    cJSON *inst = add_arr(c, o, "institutions");
    for (uint32_t k = 0; inst && k < g->n_institutions; k++) {
        push_str(c, inst, pg_pool_institution_name(c->p, g->institutions[k]));
    }
    if (g->community == PG_NONE) {
        check(c, cJSON_AddNullToObject(o, "community"));
    } else {
        add_u64(c, o, "community", g->community);
    }
    members_json(c, o, g);
    evidence_json(c, o, g);
    cJSON *ex = add_arr(c, o, "explanation");
    for (uint32_t k = 0; ex && k < g->n_explanation; k++) {
        push_str(c, ex, g->explanation[k]);
    }
    indicators_json(c, o, g);
    char amount[40];
    pg_format_amount(amount, sizeof(amount), g->total_amount, c->scale_rep);
    add_str(c, o, "total_amount", amount);
    add_str(c, o, "currency", pg_pool_reporting_currency(c->p));
    add_u64(c, o, "n_transactions", g->n_txns);
    add_time(c, o, "first_time", g->first_ts);
    add_time(c, o, "last_time", g->last_ts);
    if (c->previous) {
        previous_json(c, o, &g->previous);
    }
}

/* One ring as compact JSON text (malloc'd), or NULL when memory ran out. */
static char *ring_text(const jctx *shared, const pg_ring *g)
{
    jctx c = *shared;
    c.failed = 0;
    cJSON *o = cJSON_CreateObject();
    char *s = NULL;
    if (o) {
        ring_json(&c, o, g);
        s = c.failed ? NULL : cJSON_PrintUnformatted(o);
    }
    cJSON_Delete(o);
    return s;
}

/* Rings printed per block: enough to keep every thread busy, few enough texts held at once. */
#define RING_BLOCK 512

/*
 * The rings as one JSON array, one ring per line. A report of 25k rings is
 * mostly rings, and a single tree of them would be built and printed on one
 * thread and held whole; here each ring is built, printed and freed on its
 * own, in parallel, and the texts are joined in ring order, so the document
 * is the same for any thread count.
 */
static int rings_text(const jctx *c, const pg_rings *r, int threads, pg_sbuf *b)
{
    char *txt[RING_BLOCK];
    int err = 0;
    (void)threads; /* used only by OpenMP pragmas */
    pg_sbuf_puts(b, "[");
    for (uint32_t lo = 0; lo < r->n && !err; lo += RING_BLOCK) {
        uint32_t n = r->n - lo < RING_BLOCK ? r->n - lo : RING_BLOCK;
#pragma omp parallel for schedule(dynamic, 8) num_threads(threads)
        for (uint32_t k = 0; k < n; k++) {
            txt[k] = ring_text(c, &r->rings[lo + k]);
        }
        for (uint32_t k = 0; k < n; k++) {
            if (!txt[k]) {
                err = pg_error_oom("report.json ring", 0);
            }
            pg_sbuf_puts(b, lo + k ? ",\n" : "\n");
            pg_sbuf_puts(b, txt[k] ? txt[k] : "");
            cJSON_free(txt[k]);
        }
    }
    pg_sbuf_puts(b, r->n ? "\n]" : "]");
    if (!err && b->failed) {
        err = pg_error_oom("report.json rings", b->len);
    }
    return err;
}

static int rings_json(jctx *c, cJSON *root, const pg_rings *r, int threads)
{
    pg_sbuf b;
    pg_sbuf_init(&b);
    int err = rings_text(c, r, threads, &b);
    if (!err) {
        check(c, cJSON_AddRawToObject(root, "rings", b.data));
    }
    pg_sbuf_free(&b);
    return err;
}

/* Accounts by score, descending, ties by id. */
typedef struct scored {
    double score;
    uint32_t id;
} scored;

static int cmp_score(const void *a, const void *b)
{
    const scored *x = a, *y = b;
    if (x->score != y->score) {
        return x->score > y->score ? -1 : 1;
    }
    return (x->id > y->id) - (x->id < y->id);
}

static void account_json(jctx *c, cJSON *arr, const pg_rings *r, uint32_t v)
{
    cJSON *o = push_obj(c, arr);
    if (!o) {
        return;
    }
    add_str(c, o, "institution", pg_pool_institution_name(c->p, c->a.institution[v]));
    add_str(c, o, "account", pg_pool_account_name(c->p, v));
    add_num(c, o, "score", r->account_score[v]);
    if (r->account_ring && r->account_ring[v] != PG_NONE) {
        add_u64(c, o, "ring", r->account_ring[v]);
    } else {
        check(c, cJSON_AddNullToObject(o, "ring"));
    }
}

static int accounts_json(jctx *c, cJSON *root, const pg_rings *r)
{
    cJSON *arr = add_arr(c, root, "accounts");
    if (!arr || !r->account_score) {
        return 0;
    }
    scored *ids = pg_malloc_array(r->n_accounts ? r->n_accounts : 1, sizeof(scored));
    if (!ids) {
        return pg_error_oom("report accounts", (size_t)r->n_accounts * sizeof(scored));
    }
    uint32_t n = 0;
    for (uint32_t v = 0; v < r->n_accounts; v++) {
        if (r->account_score[v] > c->o->account_floor) {
            ids[n++] = (scored){r->account_score[v], v};
        }
    }
    qsort(ids, n, sizeof(scored), cmp_score);
    if (c->o->max_accounts && n > c->o->max_accounts) {
        n = c->o->max_accounts;
    }
    for (uint32_t k = 0; k < n && !c->failed; k++) {
        account_json(c, arr, r, ids[k].id);
    }
    pg_free(ids);
    return 0;
}

static int to_text(pg_report_text *out, cJSON *root)
{
    char *s = cJSON_Print(root);
    if (!s) {
        return pg_error_oom("report.json text", 0);
    }
    pg_sbuf b;
    pg_sbuf_init(&b);
    pg_sbuf_puts(&b, s);
    pg_sbuf_puts(&b, "\n");
    cJSON_free(s);
    return pg_report__finish(out, &b);
}

int pg_report_json(pg_report_text *out, const pg_pool *p, const pg_graph *g, const pg_rings *r,
                   const pg_run_info *run, const pg_report_options *o)
{
    pg_report_options def;
    if (!o) {
        pg_report_options_init(&def);
        o = &def;
    }
    jctx c = {
        .p = p, .o = o, .scale_rep = pg_report__rep_scale(p), .previous = r->previous.matched};
    pg_pool_accounts(p, &c.a);
    cJSON *root = cJSON_CreateObject();
    if (!root) {
        return pg_error_oom("report.json", 0);
    }
    add_str(&c, root, "format", "paygraph-report");
    add_num(&c, root, "format_version", 1);
    run_json(&c, root, run);
    inputs_json(&c, root);
    ingest_json(&c, root);
    graph_json(&c, root, g, r);
    previous_scan_json(&c, root, r);
    int err = rings_json(&c, root, r, run && run->threads > 0 ? run->threads : 1);
    if (!err) {
        err = accounts_json(&c, root, r);
    }
    if (!err && c.failed) {
        err = pg_error_oom("report.json", 0);
    }
    if (!err) {
        err = to_text(out, root);
    }
    cJSON_Delete(root);
    return err;
}
