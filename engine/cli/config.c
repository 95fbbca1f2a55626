/*
 * JSON job configuration for `paygraph scan` (see config.h for the keys).
 * Strict on purpose: a scheduled job with a misspelt key ("low_value_mx")
 * would otherwise run silently with a default and report on the wrong
 * question, so an unknown key or a wrong type stops the job (exit 1)
 * naming the key.
 */
#include "config.h"

#include <cJSON.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef struct cfg_ctx {
    const char *path;
    char key[256]; /* dotted key being read, for messages */
} cfg_ctx;

static int bad(cfg_ctx *x, const char *what)
{
    fprintf(stderr, "paygraph scan: config %s: '%s' %s\n", x->path, x->key, what);
    return 1;
}

static void key_path(cfg_ctx *x, const char *prefix, const char *name)
{
    snprintf(x->key, sizeof(x->key), "%s%s%s", prefix, *prefix ? "." : "", name);
}

static int get_uint(cfg_ctx *x, const cJSON *v, double max, uint32_t *out)
{
    if (!cJSON_IsNumber(v) || v->valuedouble < 0 || v->valuedouble > max ||
        v->valuedouble != floor(v->valuedouble)) {
        return bad(x, "wants a whole number");
    }
    *out = (uint32_t)v->valuedouble;
    return 0;
}

static int get_num(cfg_ctx *x, const cJSON *v, double *out)
{
    if (!cJSON_IsNumber(v)) {
        return bad(x, "wants a number");
    }
    *out = v->valuedouble;
    return 0;
}

static int get_bool(cfg_ctx *x, const cJSON *v, int *out)
{
    if (!cJSON_IsBool(v)) {
        return bad(x, "wants true or false");
    }
    *out = cJSON_IsTrue(v);
    return 0;
}

static int get_str(cfg_ctx *x, const cJSON *v, const char **out)
{
    if (!cJSON_IsString(v)) {
        return bad(x, "wants a string");
    }
    *out = v->valuestring;
    return 0;
}

static int get_enum(cfg_ctx *x, const cJSON *v, const char *const *names, int *out)
{
    const char *s;
    if (get_str(x, v, &s)) {
        return 1;
    }
    for (int i = 0; names[i]; i++) {
        if (!strcmp(s, names[i])) {
            *out = i;
            return 0;
        }
    }
    return bad(x, "has a value that is not allowed");
}

/* An array of strings (a single string is taken as a list of one). */
static int get_str_list(cfg_ctx *x, const cJSON *v, const char ***out, size_t *n)
{
    free((void *)*out); /* a key given twice: the last one counts */
    *out = NULL;
    *n = 0;
    if (cJSON_IsString(v)) {
        *out = malloc(sizeof(char *));
        if (!*out) {
            return 3;
        }
        (*out)[0] = v->valuestring;
        *n = 1;
        return 0;
    }
    if (!cJSON_IsArray(v)) {
        return bad(x, "wants a list of strings");
    }
    size_t k = (size_t)cJSON_GetArraySize(v);
    *out = calloc(k ? k : 1, sizeof(char *));
    if (!*out) {
        return 3;
    }
    *n = 0;
    const cJSON *it;
    cJSON_ArrayForEach(it, v)
    {
        if (!cJSON_IsString(it)) {
            return bad(x, "wants a list of strings");
        }
        (*out)[(*n)++] = it->valuestring;
    }
    return 0;
}

static const char *const level_names[] = {"account", "entity", NULL};
static const char *const weight_names[] = {"count", "amount", "log_amount", NULL};
static const char *const log_names[] = {"text", "json", NULL};
static const char *const format_names[] = {"paygraph", "amlworld", "jsonl", NULL};
static const char *const on_error_names[] = {"fail", "skip", NULL};

static int rings_key(cfg_ctx *x, scan_config *c, const cJSON *v)
{
    pg_rings_options *o = &c->rings;
    const char *k = v->string;
    uint32_t u;
    int rc;
    key_path(x, "rings", k);
    if (!strcmp(k, "keep")) {
        return get_uint(x, v, 1e9, &o->top);
    } else if (!strcmp(k, "use_watchlist")) {
        return get_bool(x, v, &o->use_watchlist);
    } else if (!strcmp(k, "typologies")) {
        return get_bool(x, v, &o->typologies);
    } else if (!strcmp(k, "low_value_max")) {
        return get_num(x, v, &o->low_value_max);
    } else if (!strcmp(k, "night_start_hour") || !strcmp(k, "night_end_hour")) {
        if ((rc = get_uint(x, v, 23, &u)) != 0) {
            return rc;
        }
        *(k[6] == 's' ? &o->night_start_hour : &o->night_end_hour) = (int)u;
        return 0;
    } else if (!strcmp(k, "high_risk_countries")) {
        free(c->high_risk);
        c->high_risk = NULL;
        rc = get_str_list(x, v, &c->high_risk, &o->n_high_risk);
        o->high_risk_countries = c->high_risk;
        return rc;
    } else if (!strcmp(k, "max_evidence")) {
        return get_uint(x, v, 1000, &o->max_evidence);
    }
    return bad(x, "is not a known key");
}

static int ingest_key(cfg_ctx *x, cli_input *in, const cJSON *v)
{
    const char *k = v->string;
    int e;
    key_path(x, "ingest", k);
    if (!strcmp(k, "format")) {
        if (get_enum(x, v, format_names, &e)) {
            return 1;
        }
        in->format = format_names[e];
        return 0;
    } else if (!strcmp(k, "on_error")) {
        if (get_enum(x, v, on_error_names, &e)) {
            return 1;
        }
        in->on_error = e ? PG_ON_ERROR_SKIP : PG_ON_ERROR_FAIL;
        return 0;
    } else if (!strcmp(k, "currency")) {
        return get_str(x, v, &in->currency);
    } else if (!strcmp(k, "rejects")) {
        return get_str(x, v, &in->rejects);
    } else if (!strcmp(k, "checksums")) {
        return get_bool(x, v, &in->checksums);
    }
    return bad(x, "is not a known key");
}

static int report_key(cfg_ctx *x, scan_config *c, const cJSON *v)
{
    pg_report_options *o = &c->report;
    const char *k = v->string;
    key_path(x, "report", k);
    if (!strcmp(k, "max_accounts")) {
        return get_uint(x, v, 1e9, &o->max_accounts);
    } else if (!strcmp(k, "account_floor")) {
        return get_num(x, v, &o->account_floor);
    } else if (!strcmp(k, "max_path_txns")) {
        return get_uint(x, v, 1e6, &o->max_path_txns);
    } else if (!strcmp(k, "max_nodes")) {
        return get_uint(x, v, 1000, &o->max_nodes);
    }
    return bad(x, "is not a known key");
}

static int input_key(cfg_ctx *x, scan_config *c, const cJSON *v)
{
    const char *k = v->string;
    key_path(x, "input", k);
    if (!strcmp(k, "pool")) {
        return get_str(x, v, &c->pool);
    } else if (!strcmp(k, "transactions")) {
        return get_str_list(x, v, &c->txn, &c->n_txn);
    } else if (!strcmp(k, "accounts")) {
        return get_str_list(x, v, &c->accounts, &c->n_accounts);
    } else if (!strcmp(k, "watchlist")) {
        return get_str_list(x, v, &c->watchlist, &c->n_watchlist);
    }
    return bad(x, "is not a known key");
}

/* A nested object: each member through fn. */
typedef int (*member_fn)(cfg_ctx *x, void *target, const cJSON *v);

static int each(cfg_ctx *x, const cJSON *obj, member_fn fn, void *target)
{
    if (!cJSON_IsObject(obj)) {
        return bad(x, "wants an object");
    }
    const cJSON *v;
    cJSON_ArrayForEach(v, obj)
    {
        int rc = fn(x, target, v);
        if (rc) {
            return rc;
        }
    }
    return 0;
}

static int rings_member(cfg_ctx *x, void *t, const cJSON *v)
{
    return rings_key(x, t, v);
}
static int ingest_member(cfg_ctx *x, void *t, const cJSON *v)
{
    return ingest_key(x, t, v);
}
static int report_member(cfg_ctx *x, void *t, const cJSON *v)
{
    return report_key(x, t, v);
}
static int input_member(cfg_ctx *x, void *t, const cJSON *v)
{
    return input_key(x, t, v);
}

static int top_key(cfg_ctx *x, scan_config *c, cli_input *in, const cJSON *v)
{
    const char *k = v->string;
    uint32_t u;
    int e;
    key_path(x, "", k);
    if (!strcmp(k, "top")) {
        return get_uint(x, v, 1e6, &c->top);
    } else if (!strcmp(k, "out")) {
        return get_str(x, v, &c->out);
    } else if (!strcmp(k, "previous")) {
        return get_str(x, v, &c->previous);
    } else if (!strcmp(k, "level") || !strcmp(k, "weight") || !strcmp(k, "log_format")) {
        const char *const *names =
            k[0] == 'l' ? (k[1] == 'e' ? level_names : log_names) : weight_names;
        if (get_enum(x, v, names, &e)) {
            return 1;
        }
        if (k[0] == 'w') {
            c->graph.weight = (pg_weight)e;
        } else if (k[1] == 'e') {
            c->graph.level = (pg_level)e;
        } else {
            c->log_format = (pg_log_format)e;
        }
        return 0;
    } else if (!strcmp(k, "seed")) {
        if (!cJSON_IsNumber(v) || v->valuedouble < 0 || v->valuedouble > 9007199254740992.0 ||
            v->valuedouble != floor(v->valuedouble)) {
            return bad(x, "wants a whole number from 0 to 2^53");
        }
        in->seed = (uint64_t)v->valuedouble;
        return 0;
    } else if (!strcmp(k, "threads")) {
        if (get_uint(x, v, 4096, &u)) {
            return 1;
        }
        in->threads = (int)u;
        return 0;
    } else if (!strcmp(k, "rings")) {
        return each(x, v, rings_member, c);
    } else if (!strcmp(k, "ingest")) {
        return each(x, v, ingest_member, in);
    } else if (!strcmp(k, "report")) {
        return each(x, v, report_member, c);
    } else if (!strcmp(k, "input")) {
        return each(x, v, input_member, c);
    }
    return bad(x, "is not a known key");
}

void scan_config_init(scan_config *c)
{
    memset(c, 0, sizeof(*c));
    c->top = 20;
    pg_graph_options_init(&c->graph);
    pg_rings_options_init(&c->rings);
    pg_report_options_init(&c->report);
    c->log_format = PG_LOG_TEXT;
}

void scan_config_free(scan_config *c)
{
    free(c->txn);
    free(c->accounts);
    free(c->watchlist);
    free(c->high_risk);
    cJSON_Delete(c->doc);
    memset(c, 0, sizeof(*c));
}

static char *read_file(const char *path, size_t *len)
{
    FILE *f = fopen(path, "rb");
    if (!f) {
        return NULL;
    }
    size_t cap = 4096, n = 0;
    char *buf = malloc(cap);
    while (buf) {
        n += fread(buf + n, 1, cap - n - 1, f);
        if (n < cap - 1) {
            break;
        }
        char *bigger = cap > (64u << 20) ? NULL : realloc(buf, cap * 2);
        if (!bigger) {
            free(buf);
            buf = NULL;
            break;
        }
        buf = bigger;
        cap *= 2;
    }
    int err = ferror(f);
    fclose(f);
    if (!buf || err) {
        free(buf);
        return NULL;
    }
    buf[n] = '\0';
    *len = n;
    return buf;
}

int scan_config_load(scan_config *c, cli_input *in, const char *path)
{
    size_t len = 0;
    char *text = read_file(path, &len);
    if (!text) {
        fprintf(stderr, "paygraph scan: config %s: cannot read it\n", path);
        return 1;
    }
    const char *end = NULL;
    cJSON *doc = cJSON_ParseWithOpts(text, &end, 1);
    if (!doc) {
        size_t at = end ? (size_t)(end - text) : 0;
        fprintf(stderr, "paygraph scan: config %s: not valid JSON near byte %zu\n", path, at);
        free(text);
        return 1;
    }
    free(text);
    c->doc = doc;
    cfg_ctx x = {.path = path};
    if (!cJSON_IsObject(doc)) {
        fprintf(stderr, "paygraph scan: config %s: the top level must be an object\n", path);
        return 1;
    }
    const cJSON *v;
    cJSON_ArrayForEach(v, doc)
    {
        int rc = top_key(&x, c, in, v);
        if (rc) {
            return rc;
        }
    }
    return 0;
}

static void add_list(cJSON *o, const char *k, const char *const *s, size_t n)
{
    cJSON *a = cJSON_AddArrayToObject(o, k);
    for (size_t i = 0; a && i < n; i++) {
        cJSON_AddItemToArray(a, cJSON_CreateString(s[i]));
    }
}

static void add_input(cJSON *root, const cli_input *in)
{
    cJSON *i = cJSON_AddObjectToObject(root, "input");
    if (!i) {
        return;
    }
    if (in->pool_path) {
        cJSON_AddStringToObject(i, "pool", in->pool_path);
    } else {
        add_list(i, "transactions", in->txn, in->n_txn);
        add_list(i, "accounts", in->accounts, in->n_accounts);
        add_list(i, "watchlist", in->watchlist, in->n_watchlist);
    }
}

char *scan_config_json(const scan_config *c, const cli_input *in, int threads)
{
    cJSON *root = cJSON_CreateObject();
    if (!root) {
        return NULL;
    }
    add_input(root, in);
    cJSON_AddStringToObject(root, "out", c->out ? c->out : "");
    cJSON_AddNumberToObject(root, "top", c->top);
    if (c->previous) {
        cJSON_AddStringToObject(root, "previous", c->previous);
    }
    cJSON_AddStringToObject(root, "level", level_names[c->graph.level]);
    cJSON_AddStringToObject(root, "weight", weight_names[c->graph.weight]);
    cJSON_AddNumberToObject(root, "seed", (double)in->seed);
    cJSON_AddNumberToObject(root, "threads", threads);
    cJSON_AddStringToObject(root, "log_format", log_names[c->log_format]);
    cJSON *r = cJSON_AddObjectToObject(root, "rings");
    if (r) {
        cJSON_AddNumberToObject(r, "keep", c->rings.top);
        cJSON_AddBoolToObject(r, "use_watchlist", c->rings.use_watchlist);
        cJSON_AddBoolToObject(r, "typologies", c->rings.typologies);
        cJSON_AddNumberToObject(r, "low_value_max", c->rings.low_value_max);
        cJSON_AddNumberToObject(r, "night_start_hour", c->rings.night_start_hour);
        cJSON_AddNumberToObject(r, "night_end_hour", c->rings.night_end_hour);
        /* the built-in list spelled out, so that the effective configuration runs again */
        size_t n = c->rings.n_high_risk;
        const char *const *codes = c->rings.high_risk_countries;
        if (!codes) {
            codes = pg_rings_default_high_risk(&n);
        }
        add_list(r, "high_risk_countries", codes, n);
        cJSON_AddNumberToObject(r, "max_evidence", c->rings.max_evidence);
    }
    cJSON *g = cJSON_AddObjectToObject(root, "ingest");
    if (g) {
        cJSON_AddStringToObject(g, "format", in->format);
        cJSON_AddStringToObject(g, "on_error", in->on_error == PG_ON_ERROR_SKIP ? "skip" : "fail");
        cJSON_AddStringToObject(g, "currency", in->currency);
        cJSON_AddBoolToObject(g, "checksums", in->checksums);
    }
    cJSON *p = cJSON_AddObjectToObject(root, "report");
    if (p) {
        cJSON_AddNumberToObject(p, "max_accounts", c->report.max_accounts);
        cJSON_AddNumberToObject(p, "account_floor", c->report.account_floor);
        cJSON_AddNumberToObject(p, "max_path_txns", c->report.max_path_txns);
        cJSON_AddNumberToObject(p, "max_nodes", c->report.max_nodes);
    }
    char *s = cJSON_PrintUnformatted(root);
    cJSON_Delete(root);
    return s;
}
