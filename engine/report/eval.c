/*
 * Evaluation of a ring report against planted truth (paygraph eval).
 *
 * Approach: every account key "institution\x1faccount" is interned, truth
 * accounts first, so an id below the truth count is a planted account and
 * its groups are found through a CSR (account -> groups). Each reported
 * ring in the window is scanned once: distinct accounts are counted with a
 * stamp array and intersections accumulate per group, giving every F1 with
 * a non-empty overlap in O(ring size + groups touched). Precision matches
 * reported rings to groups one-to-one, greedily in rank order, so that a
 * duplicated ring is not rewarded twice. Average precision follows the
 * usual definition over a ranked list (Manning, Raghavan, Schütze,
 * "Introduction to Information Retrieval", 2008, ch. 8).
 *
 * Complexity: O(T + A log A + sum of window ring sizes + K * G) time for T
 * truth rows, A ranked accounts, K reported rings and G groups.
 */
#include "paygraph/eval.h"

#include <cjson/cJSON.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <zlib.h>

#include "core/alloc.h"
#include "core/error.h"
#include "core/intern.h"
#include "ingest/csv.h"

void pg_eval_options_init(pg_eval_options *opts)
{
    opts->min_f1 = 0.5;
    opts->top_factor = 2;
}

/* ---- truth.csv ------------------------------------------------------------ */

/* Fields of a truth record that are kept; the named columns must lie among them. */
#define EVAL_MAX_FIELDS 64

/* truth.csv read record by record with the shared CSV tokenizer. */
typedef struct truth_reader {
    const char *name; /* the file, for messages */
    const char *p, *end;
    uint64_t line; /* line of the record last read */
    uint64_t next_line;
    pg_field field[EVAL_MAX_FIELDS];
    pg_csv_record rec;
    pg_scratch scratch;
} truth_reader;

/* Fields of the record last read that were kept. */
static size_t truth_fields(const truth_reader *r)
{
    return r->rec.n_fields < EVAL_MAX_FIELDS ? r->rec.n_fields : EVAL_MAX_FIELDS;
}

/*
 * Next non-blank record: 1 when one was read, 0 at the end of the text, or
 * an error naming the file, line and column of a malformed record.
 */
static int truth_next(truth_reader *r)
{
    for (;;) {
        pg_csv_status st = pg_csv_read(r->p, r->end, &r->rec, &r->scratch, ',');
        if (st == PG_CSV_END) {
            return 0;
        }
        if (st == PG_CSV_NOMEM) {
            return pg_error_oom(r->name, r->scratch.len);
        }
        r->line = r->next_line;
        if (st == PG_CSV_MALFORMED) {
            return pg_error_set(PG_EINPUT, "%s:%llu: column %zu: %s", r->name,
                                (unsigned long long)r->line, r->rec.bad_field + 1, r->rec.why);
        }
        r->next_line += r->rec.newlines;
        r->p += r->rec.consumed;
        if (st == PG_CSV_RECORD) {
            return 1;
        }
    }
}

/* ---- state ---------------------------------------------------------------- */

typedef struct eval_state {
    pg_intern accounts;  /* keys "inst\x1facct"; truth accounts first */
    pg_intern group_ids; /* ring ids of truth */
    uint32_t ntruth;     /* accounts with id < ntruth are planted */
    uint32_t *pair_acct, *pair_group;
    size_t npairs, pairs_cap;
    int64_t *off; /* CSR account -> groups, ntruth + 1 */
    uint32_t *grp;
    int *group_size;
    int *family; /* PG_EVAL_OFFENDER, PG_EVAL_LAUNDERING or PG_EVAL_ALL (other) */
} eval_state;

static void state_free(eval_state *s)
{
    pg_intern_destroy(&s->accounts);
    pg_intern_destroy(&s->group_ids);
    pg_free(s->pair_acct);
    pg_free(s->pair_group);
    pg_free(s->off);
    pg_free(s->grp);
    pg_free(s->group_size);
    pg_free(s->family);
}

static int account_key(pg_intern *t, pg_field inst, pg_field acct, int insert, uint32_t *id)
{
    char key[512];
    int n =
        snprintf(key, sizeof(key), "%.*s\x1f%.*s", (int)inst.len, inst.p, (int)acct.len, acct.p);
    if (n < 0 || (size_t)n >= sizeof(key)) {
        return pg_error_set(PG_EINPUT, "eval: account identifier too long: %.*s", (int)acct.len,
                            acct.p);
    }
    if (!insert) {
        *id = pg_intern_find(t, key, (size_t)n);
        return PG_OK;
    }
    return pg_intern_put(t, key, (size_t)n, id, NULL);
}

/* Index of the header field named name (any case), or -1. */
static int find_column(const truth_reader *r, const char *name)
{
    size_t len = strlen(name);
    for (size_t i = 0; i < truth_fields(r); i++) {
        if (r->field[i].len == len && !strncasecmp(r->field[i].p, name, len)) {
            return (int)i;
        }
    }
    return -1;
}

static int add_pair(eval_state *s, uint32_t acct, uint32_t group)
{
    if (pg_grow((void **)&s->pair_acct, &s->pairs_cap, s->npairs + 1, sizeof(uint32_t)) < 0) {
        return pg_error_oom("truth", s->npairs * 4);
    }
    size_t cap = s->pairs_cap;
    uint32_t *g = pg_realloc(s->pair_group, cap * sizeof(uint32_t));
    if (!g) {
        return pg_error_oom("truth", cap * 4);
    }
    s->pair_group = g;
    s->pair_acct[s->npairs] = acct;
    s->pair_group[s->npairs++] = group;
    return PG_OK;
}

/* Rows of the truth file after its header; cols are the institution, account and ring columns. */
static int truth_rows(eval_state *s, truth_reader *r, const int cols[3])
{
    int need = cols[0] > cols[1] ? cols[0] : cols[1];
    need = need > cols[2] ? need : cols[2];
    int err = 0, more;
    while (!err && (more = truth_next(r)) != 0) {
        if (more < 0) {
            return more;
        }
        if (r->rec.n_fields <= (size_t)need) {
            return pg_error_set(PG_EINPUT, "%s:%llu: column %zu: %zu fields, expected at least %d",
                                r->name, (unsigned long long)r->line, r->rec.n_fields + 1,
                                r->rec.n_fields, need + 1);
        }
        pg_field ring = r->field[cols[2]];
        uint32_t a, g;
        err = account_key(&s->accounts, r->field[cols[0]], r->field[cols[1]], 1, &a);
        if (!err) {
            err = pg_intern_put(&s->group_ids, ring.p, ring.len, &g, NULL);
        }
        if (!err) {
            err = add_pair(s, a, g);
        }
    }
    return err;
}

/* The truth file (header naming institution, account and ring; other columns ignored). */
static int read_truth(eval_state *s, const char *name, const char *text)
{
    truth_reader r = {.name = name, .p = text, .end = text + strlen(text), .next_line = 1};
    r.rec = (pg_csv_record){.fields = r.field, .max_fields = EVAL_MAX_FIELDS};
    int err = truth_next(&r);
    if (err == 0) {
        err = pg_error_set(PG_EINPUT, "%s: empty file (a header row is required)", name);
    }
    int cols[3] = {find_column(&r, "institution"), find_column(&r, "account"),
                   find_column(&r, "ring")};
    if (err > 0 && (cols[0] < 0 || cols[1] < 0 || cols[2] < 0)) {
        err = pg_error_set(PG_EINPUT, "%s:%llu: header must name institution, account, ring", name,
                           (unsigned long long)r.line);
    }
    if (err > 0) {
        err = truth_rows(s, &r, cols);
    }
    pg_scratch_free(&r.scratch);
    return err;
}

/* CSR account -> groups (duplicate pairs dropped), group sizes and families. */
static int index_truth(eval_state *s)
{
    uint32_t ng = s->group_ids.count;
    s->ntruth = s->accounts.count;
    s->off = pg_calloc((size_t)s->ntruth + 1, sizeof(int64_t));
    s->grp = pg_malloc_array(s->npairs + 1, sizeof(uint32_t));
    s->group_size = pg_calloc((size_t)ng + 1, sizeof(int));
    s->family = pg_calloc((size_t)ng + 1, sizeof(int));
    if (!s->off || !s->grp || !s->group_size || !s->family) {
        return pg_error_oom("truth index", s->npairs * 8);
    }
    for (size_t i = 0; i < s->npairs; i++) {
        s->off[s->pair_acct[i] + 1]++;
    }
    for (uint32_t a = 0; a < s->ntruth; a++) {
        s->off[a + 1] += s->off[a];
    }
    int64_t *fill = pg_malloc_array((size_t)s->ntruth + 1, sizeof(int64_t));
    if (!fill) {
        return pg_error_oom("truth index", s->ntruth * 8);
    }
    memcpy(fill, s->off, ((size_t)s->ntruth + 1) * sizeof(int64_t));
    for (size_t i = 0; i < s->npairs; i++) {
        uint32_t a = s->pair_acct[i];
        int dup = 0;
        for (int64_t j = s->off[a]; j < fill[a]; j++) {
            dup |= s->grp[j] == s->pair_group[i];
        }
        if (!dup) {
            s->grp[fill[a]++] = s->pair_group[i];
            s->group_size[s->pair_group[i]]++;
        }
    }
    /* Compact away duplicate slots. */
    int64_t w = 0;
    for (uint32_t a = 0; a < s->ntruth; a++) {
        int64_t lo = s->off[a];
        s->off[a] = w;
        for (int64_t j = lo; j < fill[a]; j++) {
            s->grp[w++] = s->grp[j];
        }
    }
    s->off[s->ntruth] = w;
    pg_free(fill);
    for (uint32_t g = 0; g < ng; g++) {
        char c = pg_intern_str(&s->group_ids, g)[0];
        s->family[g] = c == 'R' || c == 'r'   ? PG_EVAL_OFFENDER
                       : c == 'L' || c == 'l' ? PG_EVAL_LAUNDERING
                                              : PG_EVAL_ALL;
    }
    return PG_OK;
}

/* Range [*lo, *hi) of grp[] holding the groups of account id (empty unless planted). */
static void truth_groups(const eval_state *s, uint32_t id, int64_t *lo, int64_t *hi)
{
    if (id < s->ntruth) {
        *lo = s->off[id];
        *hi = s->off[id + 1];
    }
}

/* ---- report ---------------------------------------------------------------- */

typedef struct ranked {
    double score;
    size_t order;
    const cJSON *item;
} ranked;

static int cmp_ranked(const void *a, const void *b)
{
    const ranked *x = a, *y = b;
    if (x->score != y->score) {
        return x->score > y->score ? -1 : 1;
    }
    return x->order < y->order ? -1 : x->order > y->order;
}

/* Items of a JSON array sorted by "score" (descending), ties in file order. */
static int rank_array(const cJSON *arr, ranked **out, size_t *n)
{
    *n = (size_t)cJSON_GetArraySize(arr);
    *out = pg_calloc(*n + 1, sizeof(ranked));
    if (!*out) {
        return pg_error_oom("report ranking", *n * sizeof(ranked));
    }
    size_t i = 0;
    const cJSON *it;
    cJSON_ArrayForEach(it, arr)
    {
        const cJSON *sc = cJSON_GetObjectItemCaseSensitive(it, "score");
        (*out)[i].score = cJSON_IsNumber(sc) ? sc->valuedouble : 0.0;
        (*out)[i].order = i;
        (*out)[i].item = it;
        i++;
    }
    qsort(*out, *n, sizeof(ranked), cmp_ranked);
    return PG_OK;
}

static int entry_account(eval_state *s, const cJSON *e, uint32_t *id)
{
    const char *inst = cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(e, "institution"));
    const char *acct = cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(e, "account"));
    if (!inst || !acct) {
        return pg_error_set(PG_EINPUT, "report: account entries need \"institution\" and "
                                       "\"account\" strings");
    }
    pg_field fi = {inst, strlen(inst), 0}, fa = {acct, strlen(acct), 0};
    return account_key(&s->accounts, fi, fa, 1, id);
}

typedef struct eval_work {
    uint32_t *stamp; /* per account id: last ring that counted it */
    size_t stamp_cap;
    int *inter;        /* per group: overlap with the current ring */
    uint32_t *touched; /* groups with inter > 0 */
    /* Overlaps of the window's rings, ring by ring: entries [ring_off[r], ring_off[r+1]). */
    uint32_t *ov_group;
    double *ov_f1;
    size_t nov, ov_cap;
    size_t *ring_off;
} eval_work;

static int overlap_add(eval_work *w, uint32_t g, double f1)
{
    if (w->nov == w->ov_cap) {
        size_t cap = w->ov_cap;
        if (pg_grow((void **)&w->ov_group, &cap, w->nov + 1, sizeof(uint32_t)) < 0) {
            return pg_error_oom("eval overlaps", (w->nov + 1) * 4);
        }
        double *f = pg_realloc(w->ov_f1, cap * sizeof(double));
        if (!f) {
            return pg_error_oom("eval overlaps", cap * 8);
        }
        w->ov_f1 = f;
        w->ov_cap = cap;
    }
    w->ov_group[w->nov] = g;
    w->ov_f1[w->nov++] = f1;
    return PG_OK;
}

static int stamp_fit(eval_work *w, uint32_t id)
{
    if (id < w->stamp_cap) {
        return PG_OK;
    }
    size_t old = w->stamp_cap;
    if (pg_grow((void **)&w->stamp, &w->stamp_cap, (size_t)id + 1, sizeof(uint32_t)) < 0) {
        return pg_error_oom("eval marks", ((size_t)id + 1) * 4);
    }
    memset(w->stamp + old, 0, (w->stamp_cap - old) * sizeof(uint32_t));
    return PG_OK;
}

/* F1 of reported ring `rank` against each group; calls back best-F1 updates. */
static int score_ring(eval_state *s, eval_work *w, const cJSON *ring, size_t rank,
                      pg_eval_result *res)
{
    const cJSON *accs = cJSON_GetObjectItemCaseSensitive(ring, "accounts");
    if (accs && !cJSON_IsArray(accs)) {
        return pg_error_set(PG_EINPUT, "report: ring \"accounts\" must be an array");
    }
    int size = 0, ntouched = 0, err = 0;
    const cJSON *e;
    cJSON_ArrayForEach(e, accs)
    {
        uint32_t id;
        if ((err = entry_account(s, e, &id)) < 0 || (err = stamp_fit(w, id)) < 0) {
            return err;
        }
        if (w->stamp[id] == rank + 1) {
            continue; /* listed twice in this ring */
        }
        w->stamp[id] = (uint32_t)rank + 1;
        size++;
        int64_t lo = 0, hi = 0; /* groups of a truth account; none for others */
        truth_groups(s, id, &lo, &hi);
        for (int64_t j = lo; j < hi; j++) {
            if (w->inter[s->grp[j]]++ == 0) {
                w->touched[ntouched++] = s->grp[j];
            }
        }
    }
    for (int t = 0; t < ntouched; t++) {
        uint32_t g = w->touched[t];
        double f1 = 2.0 * w->inter[g] / (double)(size + s->group_size[g]);
        if (f1 > res->groups[g].best_f1) {
            res->groups[g].best_f1 = f1;
            res->groups[g].best_rank = (int)rank + 1;
        }
        w->inter[g] = 0;
        if (!err) {
            err = overlap_add(w, g, f1);
        }
    }
    w->ring_off[rank + 1] = w->nov;
    return err;
}

/*
 * One-to-one greedy matching in rank order over the window: each reported
 * ring takes the unclaimed group with the highest F1 >= min_f1, if any.
 * match[r] is that group or -1.
 */
static void match_window(const eval_state *s, const eval_work *w, size_t nwin, double min_f1,
                         char *taken, int *match)
{
    memset(taken, 0, (size_t)s->group_ids.count + 1);
    for (size_t r = 0; r < nwin; r++) {
        int best = -1;
        double bf = 0.0;
        for (size_t e = w->ring_off[r]; e < w->ring_off[r + 1]; e++) {
            uint32_t g = w->ov_group[e];
            if (!taken[g] && w->ov_f1[e] >= min_f1 && (best < 0 || w->ov_f1[e] > bf)) {
                best = (int)g;
                bf = w->ov_f1[e];
            }
        }
        match[r] = best;
        if (best >= 0) {
            taken[best] = 1;
        }
    }
}

/* Families (bit 1 << family) of the groups that window ring r has F1 >= min_f1 with. */
static unsigned ring_families(const eval_state *s, const eval_work *w, size_t r, double min_f1)
{
    unsigned bits = 0;
    for (size_t e = w->ring_off[r]; e < w->ring_off[r + 1]; e++) {
        if (w->ov_f1[e] >= min_f1) {
            bits |= 1u << s->family[w->ov_group[e]];
        }
    }
    return bits;
}

/*
 * Precision of a family, plain and one-to-one: walk the window in rank
 * order, skip rings that match only the other family's groups (for the
 * unique figure: that are matched to the other family), and count matches
 * among the first R_f rings walked.
 */
static void family_precision(const eval_state *s, const eval_work *w, const int *match, size_t nwin,
                             int family, double min_f1, pg_eval_figures *x)
{
    int top_unique = 0;
    x->top = 0;
    x->correct = 0;
    x->correct_unique = 0;
    for (size_t r = 0; r < nwin; r++) {
        unsigned bits = ring_families(s, w, r, min_f1);
        unsigned mine = family == PG_EVAL_ALL ? bits : bits & (1u << family);
        if (x->top < x->groups && (mine || !bits)) {
            x->top++;
            x->correct += mine != 0;
        }
        int g = match[r];
        if (top_unique < x->groups && (family == PG_EVAL_ALL || g < 0 || s->family[g] == family)) {
            top_unique++;
            x->correct_unique += g >= 0;
        }
    }
    x->precision = x->groups ? (double)x->correct / x->groups : 0.0;
    x->precision_unique = x->groups ? (double)x->correct_unique / x->groups : 0.0;
}

/* Average precision of the ranked accounts against the family's truth accounts. */
static int average_precision(eval_state *s, const ranked *acc, size_t n, double ap[3])
{
    uint32_t *seen = pg_calloc((size_t)s->accounts.count + n + 1, sizeof(uint32_t));
    if (!seen) {
        return pg_error_oom("eval ranking", n * 4);
    }
    double sum[3] = {0, 0, 0};
    size_t hits[3] = {0, 0, 0}, pos[3] = {0, 0, 0}, rank = 0;
    for (uint32_t a = 0; a < s->ntruth; a++) {
        int fam[3] = {1, 0, 0};
        for (int64_t j = s->off[a]; j < s->off[a + 1]; j++) {
            fam[s->family[s->grp[j]]] = 1;
        }
        for (int f = 0; f < 3; f++) {
            pos[f] += (size_t)fam[f];
        }
    }
    int err = 0;
    for (size_t i = 0; i < n && !err; i++) {
        uint32_t id;
        err = entry_account(s, acc[i].item, &id);
        if (err || id >= s->accounts.count + n || seen[id]) {
            continue; /* later duplicates of an account are ignored */
        }
        seen[id] = 1;
        rank++;
        int fam[3] = {id < s->ntruth, 0, 0};
        int64_t lo = 0, hi = 0;
        truth_groups(s, id, &lo, &hi);
        for (int64_t j = lo; j < hi; j++) {
            fam[s->family[s->grp[j]]] = 1;
        }
        for (int f = 0; f < 3; f++) {
            if (fam[f]) {
                hits[f]++;
                sum[f] += (double)hits[f] / (double)rank;
            }
        }
    }
    for (int f = 0; f < 3; f++) {
        ap[f] = pos[f] ? sum[f] / (double)pos[f] : 0.0;
    }
    pg_free(seen);
    return err;
}

static void figures(const eval_state *s, const eval_work *w, pg_eval_result *res, const int *match,
                    size_t nwin, const pg_eval_options *o)
{
    uint32_t ng = s->group_ids.count;
    for (int f = 0; f < PG_EVAL_FAMILIES; f++) {
        pg_eval_figures *x = &res->fig[f];
        double sumf1 = 0.0;
        for (uint32_t g = 0; g < ng; g++) {
            if (f == PG_EVAL_ALL || s->family[g] == f) {
                x->groups++;
                x->found += res->groups[g].best_f1 >= o->min_f1;
                sumf1 += res->groups[g].best_f1;
            }
        }
        x->recall = x->groups ? (double)x->found / x->groups : 0.0;
        x->mean_best_f1 = x->groups ? sumf1 / x->groups : 0.0;
        family_precision(s, w, match, nwin, f, o->min_f1, x);
        x->average_precision = -1.0;
    }
}

static int evaluate(eval_state *s, pg_eval_result *res, const cJSON *root, const pg_eval_options *o)
{
    const cJSON *rings = cJSON_GetObjectItemCaseSensitive(root, "rings");
    const cJSON *accs = cJSON_GetObjectItemCaseSensitive(root, "accounts");
    if ((rings && !cJSON_IsArray(rings)) || (accs && !cJSON_IsArray(accs))) {
        return pg_error_set(PG_EINPUT, "report: \"rings\" and \"accounts\" must be arrays");
    }
    uint32_t ng = s->group_ids.count;
    ranked *rk = NULL, *ra = NULL;
    size_t nr = 0, na = 0;
    eval_work w = {0};
    int *match = NULL;
    char *taken = NULL;
    int err = rank_array(rings, &rk, &nr);
    if (!err) {
        err = rank_array(accs, &ra, &na);
    }
    size_t window = (size_t)o->top_factor * ng;
    size_t nwin = nr < window ? nr : window;
    w.inter = pg_calloc((size_t)ng + 1, sizeof(int));
    w.touched = pg_calloc((size_t)ng + 1, sizeof(uint32_t));
    w.ring_off = pg_calloc(nwin + 1, sizeof(size_t));
    match = pg_calloc(nwin + 1, sizeof(int));
    taken = pg_calloc((size_t)ng + 1, 1);
    if (!err && (!w.inter || !w.touched || !w.ring_off || !match || !taken)) {
        err = pg_error_oom("eval work", (nwin + ng) * sizeof(size_t));
    }
    for (size_t r = 0; r < nwin && !err; r++) {
        err = score_ring(s, &w, rk[r].item, r, res);
    }
    res->reported = nr;
    res->ranked_accounts = na;
    if (!err) {
        match_window(s, &w, nwin, o->min_f1, taken, match);
        figures(s, &w, res, match, nwin, o);
    }
    if (!err && accs) {
        double ap[3];
        err = average_precision(s, ra, na, ap);
        for (int f = 0; f < PG_EVAL_FAMILIES && !err; f++) {
            res->fig[f].average_precision = ap[f];
        }
    }
    pg_free(rk);
    pg_free(ra);
    pg_free(w.stamp);
    pg_free(w.inter);
    pg_free(w.touched);
    pg_free(w.ring_off);
    pg_free(w.ov_group);
    pg_free(w.ov_f1);
    pg_free(match);
    pg_free(taken);
    return err;
}

static int init_groups(const eval_state *s, pg_eval_result *res)
{
    uint32_t ng = s->group_ids.count;
    res->groups = pg_calloc((size_t)ng + 1, sizeof(pg_eval_group));
    if (!res->groups) {
        return pg_error_oom("eval groups", ng * sizeof(pg_eval_group));
    }
    res->ngroups = ng;
    for (uint32_t g = 0; g < ng; g++) {
        snprintf(res->groups[g].id, sizeof(res->groups[g].id), "%s",
                 pg_intern_str(&s->group_ids, g));
        res->groups[g].accounts = s->group_size[g];
    }
    return PG_OK;
}

/* pg_eval_text with the truth text's name for messages (its path when read from a file). */
static int eval_text(pg_eval_result *out, const char *report_json, const char *truth_csv,
                     const char *truth_name, const pg_eval_options *opts)
{
    pg_eval_options def;
    pg_eval_options_init(&def);
    const pg_eval_options *o = opts ? opts : &def;
    memset(out, 0, sizeof(*out));
    eval_state s;
    memset(&s, 0, sizeof(s));
    pg_intern_init(&s.accounts);
    pg_intern_init(&s.group_ids);
    cJSON *root = cJSON_Parse(report_json);
    int err = 0;
    if (!cJSON_IsObject(root)) {
        err = pg_error_set(PG_EINPUT, "report: not a JSON object");
    }
    if (!err) {
        err = read_truth(&s, truth_name, truth_csv);
    }
    if (!err) {
        err = index_truth(&s);
    }
    if (!err) {
        err = init_groups(&s, out);
    }
    if (!err) {
        err = evaluate(&s, out, root, o);
    }
    cJSON_Delete(root);
    state_free(&s);
    if (err) {
        pg_eval_result_free(out);
    }
    return err;
}

int pg_eval_text(pg_eval_result *out, const char *report_json, const char *truth_csv,
                 const pg_eval_options *opts)
{
    return eval_text(out, report_json, truth_csv, "truth", opts);
}

/* Whole file (gzip or plain) as a NUL-terminated string. */
static int slurp(const char *path, char **out)
{
    gzFile f = gzopen(path, "rb");
    if (!f) {
        return pg_error_set(PG_EIO, "%s: %s", path, strerror(errno));
    }
    size_t cap = 1 << 16, len = 0;
    char *buf = pg_malloc(cap);
    int err = buf ? 0 : pg_error_oom(path, cap);
    while (!err) {
        if (len + 1 >= cap && pg_grow((void **)&buf, &cap, len * 2, 1) < 0) {
            err = pg_error_oom(path, len * 2);
            break;
        }
        int n = gzread(f, buf + len,
                       (unsigned)(cap - len - 1 > (1u << 30) ? (1u << 30) : cap - len - 1));
        if (n < 0) {
            err = pg_error_set(PG_EIO, "%s: read error", path);
        } else if (n == 0) {
            break;
        }
        len += (size_t)(n > 0 ? n : 0);
    }
    gzclose(f);
    if (err) {
        pg_free(buf);
        return err;
    }
    buf[len] = '\0';
    *out = buf;
    return PG_OK;
}

int pg_eval_files(pg_eval_result *out, const char *report_path, const char *truth_path,
                  const pg_eval_options *opts)
{
    char *report = NULL, *truth = NULL;
    memset(out, 0, sizeof(*out));
    int err = slurp(report_path, &report);
    if (!err) {
        err = slurp(truth_path, &truth);
    }
    if (!err) {
        err = eval_text(out, report, truth, truth_path, opts);
    }
    pg_free(report);
    pg_free(truth);
    return err;
}

void pg_eval_result_free(pg_eval_result *r)
{
    if (r) {
        pg_free(r->groups);
        r->groups = NULL;
        r->ngroups = 0;
    }
}

static cJSON *figures_json(const pg_eval_figures *x)
{
    cJSON *o = cJSON_CreateObject();
    if (!o) {
        return NULL;
    }
    cJSON_AddNumberToObject(o, "groups", x->groups);
    cJSON_AddNumberToObject(o, "found", x->found);
    cJSON_AddNumberToObject(o, "recall", x->recall);
    cJSON_AddNumberToObject(o, "top", x->top);
    cJSON_AddNumberToObject(o, "correct", x->correct);
    cJSON_AddNumberToObject(o, "precision", x->precision);
    cJSON_AddNumberToObject(o, "correct_unique", x->correct_unique);
    cJSON_AddNumberToObject(o, "precision_unique", x->precision_unique);
    cJSON_AddNumberToObject(o, "mean_best_f1", x->mean_best_f1);
    if (x->average_precision >= 0) {
        cJSON_AddNumberToObject(o, "average_precision", x->average_precision);
    } else {
        cJSON_AddNullToObject(o, "average_precision");
    }
    return o;
}

char *pg_eval_result_json(const pg_eval_result *r)
{
    static const char *const name[PG_EVAL_FAMILIES] = {"all", "offender", "laundering"};
    cJSON *root = cJSON_CreateObject(), *groups = cJSON_CreateArray();
    if (!root || !groups) {
        cJSON_Delete(root);
        cJSON_Delete(groups);
        return NULL;
    }
    cJSON_AddNumberToObject(root, "reported_rings", (double)r->reported);
    cJSON_AddNumberToObject(root, "ranked_accounts", (double)r->ranked_accounts);
    for (int f = 0; f < PG_EVAL_FAMILIES; f++) {
        cJSON_AddItemToObject(root, name[f], figures_json(&r->fig[f]));
    }
    for (size_t g = 0; g < r->ngroups; g++) {
        cJSON *o = cJSON_CreateObject();
        cJSON_AddStringToObject(o, "id", r->groups[g].id);
        cJSON_AddNumberToObject(o, "accounts", r->groups[g].accounts);
        cJSON_AddNumberToObject(o, "best_f1", r->groups[g].best_f1);
        cJSON_AddNumberToObject(o, "best_rank", r->groups[g].best_rank);
        cJSON_AddItemToArray(groups, o);
    }
    cJSON_AddItemToObject(root, "groups", groups);
    char *text = cJSON_PrintUnformatted(root);
    cJSON_Delete(root);
    return text;
}
