/*
 * Shared pieces of the report writers: the text buffer, escaping, exact
 * amount and time formatting, account labels and transaction ids, and the
 * ring subgraph every picture is drawn from.
 *
 * The subgraph is found through the graph's temporal out-adjacency (cost:
 * the out-degree of the members) when a graph is given, else by one pass
 * over the transactions; either way pairs come out sorted by (source node,
 * destination node), so pictures do not depend on how they were found.
 */
#include "report/report_util.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <math.h>

#include "core/alloc.h"
#include "core/error.h"
#include "ingest/amount.h"
#include "ingest/currency.h"

void pg_sbuf_init(pg_sbuf *b)
{
    memset(b, 0, sizeof(*b));
}

void pg_sbuf_free(pg_sbuf *b)
{
    pg_free(b->data);
    memset(b, 0, sizeof(*b));
}

void pg_sbuf_add(pg_sbuf *b, const char *s, size_t n)
{
    if (b->failed) {
        return;
    }
    if (pg_grow((void **)&b->data, &b->cap, b->len + n + 1, 1) < 0) {
        b->failed = 1;
        return;
    }
    memcpy(b->data + b->len, s, n);
    b->len += n;
    b->data[b->len] = '\0';
}

void pg_sbuf_puts(pg_sbuf *b, const char *s)
{
    pg_sbuf_add(b, s, strlen(s));
}

void pg_sbuf_printf(pg_sbuf *b, const char *fmt, ...)
{
    char small[256];
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(small, sizeof(small), fmt, ap);
    va_end(ap);
    if (n < 0) {
        b->failed = 1;
        return;
    }
    if ((size_t)n < sizeof(small)) {
        pg_sbuf_add(b, small, (size_t)n);
        return;
    }
    char *big = pg_malloc((size_t)n + 1);
    if (!big) {
        b->failed = 1;
        return;
    }
    va_start(ap, fmt);
    vsnprintf(big, (size_t)n + 1, fmt, ap);
    va_end(ap);
    pg_sbuf_add(b, big, (size_t)n);
    pg_free(big);
}

void pg_sbuf_xml(pg_sbuf *b, const char *s)
{
    const char *run = s;
    for (; *s; s++) {
        const char *rep = NULL;
        switch (*s) {
        case '&':
            rep = "&amp;";
            break;
        case '<':
            rep = "&lt;";
            break;
        case '>':
            rep = "&gt;";
            break;
        case '"':
            rep = "&quot;";
            break;
        case '\'':
            rep = "&#39;";
            break;
        default:
            /* Control characters are not allowed in XML 1.0; show them as '?'. */
            if ((unsigned char)*s < 0x20 && *s != '\t' && *s != '\n') {
                rep = "?";
            }
            break;
        }
        if (rep) {
            pg_sbuf_add(b, run, (size_t)(s - run));
            pg_sbuf_puts(b, rep);
            run = s + 1;
        }
    }
    pg_sbuf_add(b, run, (size_t)(s - run));
}

int pg_report__finish(pg_report_text *out, pg_sbuf *b)
{
    if (!b->failed && !b->data) {
        pg_sbuf_add(b, "", 0);
    }
    if (b->failed) {
        pg_sbuf_free(b);
        return pg_error_oom("report text", b->cap);
    }
    out->data = b->data;
    out->len = b->len;
    memset(b, 0, sizeof(*b));
    return 0;
}

void pg_report_text_free(pg_report_text *t)
{
    if (t) {
        pg_free(t->data);
        t->data = NULL;
        t->len = 0;
    }
}

void pg_format_time(char *buf, size_t cap, int64_t t)
{
    time_t tt = (time_t)t;
    struct tm tm;
    if (!gmtime_r(&tt, &tm) || !strftime(buf, cap, "%Y-%m-%dT%H:%M:%SZ", &tm)) {
        snprintf(buf, cap, "%lld", (long long)t);
    }
}

void pg_report__previous_word(char *buf, size_t cap, const pg_ring_previous *q)
{
    if (q->continues) {
        snprintf(buf, cap, "#%u", q->id);
    } else {
        snprintf(buf, cap, "new");
    }
}

uint32_t pg_report__gone_top(char *buf, size_t cap, const pg_rings_previous *t, uint32_t top)
{
    static const char more[] = "\xe2\x80\xa6"; /* … */
    uint32_t k = top && top < t->rings ? top : t->rings, shown = 0;
    size_t len = 0;
    snprintf(buf, cap, "none");
    while (shown < t->gone && t->gone_id[shown] <= k) {
        char item[24];
        int w = snprintf(item, sizeof(item), "%s#%u", shown ? ", " : "", t->gone_id[shown]);
        int last = shown + 1 == t->gone || t->gone_id[shown + 1] > k;
        /* room for this id, and for "…" after it unless it is the last */
        if (len + (size_t)w + (last ? 1 : sizeof(more)) > cap) {
            memcpy(buf + len, more, sizeof(more));
            return k;
        }
        memcpy(buf + len, item, (size_t)w + 1);
        len += (size_t)w;
        shown++;
    }
    return k;
}

int pg_report__rep_scale(const pg_pool *p)
{
    const char *code = pg_pool_reporting_currency(p);
    pg_currency c;
    if (code && pg_currency_lookup(code, strlen(code), &c) == 0) {
        return c.scale;
    }
    return 2;
}

void pg_report__label(char *buf, size_t cap, const pg_pool *p, uint32_t acct, size_t max)
{
    pg_account_columns a;
    pg_pool_accounts(p, &a);
    const char *inst = acct < a.n ? pg_pool_institution_name(p, a.institution[acct]) : "?";
    const char *name = acct < a.n ? pg_pool_account_name(p, acct) : "?";
    char full[512];
    snprintf(full, sizeof(full), "%s:%s", inst ? inst : "?", name ? name : "?");
    size_t len = strlen(full);
    if (max >= 4 && len > max) {
        /* Cut on a UTF-8 character boundary, then mark the cut with an ellipsis. */
        size_t cut = max - 1;
        while (cut > 0 && ((unsigned char)full[cut] & 0xC0) == 0x80) {
            cut--;
        }
        snprintf(buf, cap, "%.*s\xe2\x80\xa6", (int)cut, full);
        return;
    }
    snprintf(buf, cap, "%s", full);
}

void pg_report__txn_id(char *buf, size_t cap, const pg_pool *p, int64_t i)
{
    const char *id = pg_pool_txn_id(p, i);
    if (id) {
        snprintf(buf, cap, "%s", id);
        return;
    }
    size_t file = 0;
    uint64_t record = 0;
    pg_pool_txn_origin(p, i, &file, &record);
    const pg_file_info *f = pg_pool_file(p, file);
    const char *path = f && f->path ? f->path : "?";
    const char *base = strrchr(path, '/');
    snprintf(buf, cap, "%s:%llu", base ? base + 1 : path, (unsigned long long)record);
}

static const char *const palette[] = {"#1f77b4", "#d62728", "#2ca02c", "#ff7f0e", "#9467bd",
                                      "#8c564b", "#e377c2", "#17becf", "#bcbd22", "#7f7f7f"};

const char *pg_report__colour(uint32_t k)
{
    return palette[k % (sizeof(palette) / sizeof(palette[0]))];
}

uint32_t pg_report__inst_index(const pg_ring_sub *s, uint32_t inst)
{
    for (uint32_t k = 0; k < s->n_inst; k++) {
        if (s->inst[k] == inst) {
            return k;
        }
    }
    return s->n_inst;
}

/* Members by score, descending; ties by account id so the order is total. */
static int cmp_member(const void *a, const void *b)
{
    const pg_ring_member *x = a, *y = b;
    if (x->score != y->score) {
        return x->score > y->score ? -1 : 1;
    }
    return (x->account > y->account) - (x->account < y->account);
}

typedef struct node_key {
    uint32_t acct, node;
} node_key;

static int cmp_key(const void *a, const void *b)
{
    const node_key *x = a, *y = b;
    return (x->acct > y->acct) - (x->acct < y->acct);
}

static uint32_t node_of(const node_key *keys, uint32_t n, uint32_t acct)
{
    node_key k = {acct, 0};
    const node_key *hit = bsearch(&k, keys, n, sizeof(k), cmp_key);
    return hit ? hit->node : UINT32_MAX;
}

typedef struct pair_txn {
    uint32_t src, dst;
    int64_t amount;
} pair_txn;

static int cmp_pair(const void *a, const void *b)
{
    const pair_txn *x = a, *y = b;
    if (x->src != y->src) {
        return x->src < y->src ? -1 : 1;
    }
    return (x->dst > y->dst) - (x->dst < y->dst);
}

typedef struct pair_list {
    pair_txn *v;
    size_t n, cap;
} pair_list;

static int consider(pair_list *l, const pg_txn_columns *t, const node_key *keys, uint32_t n,
                    int64_t i)
{
    uint32_t s = node_of(keys, n, t->src[i]);
    uint32_t d = s == UINT32_MAX ? UINT32_MAX : node_of(keys, n, t->dst[i]);
    if (d == UINT32_MAX || s == d) {
        return 0;
    }
    if (pg_grow((void **)&l->v, &l->cap, l->n + 1, sizeof(pair_txn)) < 0) {
        return pg_error_oom("ring subgraph", (l->n + 1) * sizeof(pair_txn));
    }
    l->v[l->n++] = (pair_txn){s, d, t->amount_rep[i]};
    return 0;
}

static int collect_pairs(pair_list *l, const pg_pool *p, const pg_graph *g, const node_key *keys,
                         uint32_t n)
{
    pg_txn_columns t;
    pg_pool_txns(p, &t);
    int err = 0;
    if (g && g->out.offsets && g->vertex_of_account) {
        for (uint32_t k = 0; k < n && !err; k++) {
            uint32_t a = keys[k].acct;
            uint32_t v = g->vertex_of_account[a];
            for (int64_t e = g->out.offsets[v]; e < g->out.offsets[v + 1] && !err; e++) {
                int64_t i = g->out.txn[e];
                if (t.src[i] == a) {
                    err = consider(l, &t, keys, n, i);
                }
            }
        }
    } else {
        for (int64_t i = 0; i < t.n && !err; i++) {
            err = consider(l, &t, keys, n, i);
        }
    }
    return err;
}

static int aggregate(pg_ring_sub *s, pair_list *l)
{
    qsort(l->v, l->n, sizeof(pair_txn), cmp_pair);
    size_t m = 0;
    for (size_t i = 0; i < l->n; i++) {
        m += i == 0 || cmp_pair(&l->v[i], &l->v[i - 1]) != 0;
    }
    s->src = pg_malloc_array(m ? m : 1, sizeof(uint32_t));
    s->dst = pg_malloc_array(m ? m : 1, sizeof(uint32_t));
    s->count = pg_malloc_array(m ? m : 1, sizeof(uint32_t));
    s->amount = pg_malloc_array(m ? m : 1, sizeof(int64_t));
    if (!s->src || !s->dst || !s->count || !s->amount) {
        return pg_error_oom("ring subgraph edges", m * 20);
    }
    s->m = 0;
    for (size_t i = 0; i < l->n; i++) {
        if (i == 0 || cmp_pair(&l->v[i], &l->v[i - 1]) != 0) {
            s->src[s->m] = l->v[i].src;
            s->dst[s->m] = l->v[i].dst;
            s->count[s->m] = 0;
            s->amount[s->m] = 0;
            s->m++;
        }
        s->count[s->m - 1]++;
        s->amount[s->m - 1] += l->v[i].amount;
    }
    return 0;
}

int pg_report__ring_sub(pg_ring_sub *s, const pg_pool *p, const pg_graph *g, const pg_ring *ring,
                        uint32_t max_nodes)
{
    int err = 0;
    memset(s, 0, sizeof(*s));
    pair_list l = {0};
    uint32_t n = ring->n_members;
    if (max_nodes && n > max_nodes) {
        n = max_nodes;
    }
    pg_ring_member *sorted =
        pg_malloc_array(ring->n_members ? ring->n_members : 1, sizeof(*sorted));
    node_key *keys = pg_malloc_array(n ? n : 1, sizeof(*keys));
    s->acct = pg_malloc_array(n ? n : 1, sizeof(uint32_t));
    s->role = pg_malloc_array(n ? n : 1, sizeof(pg_role));
    s->score = pg_malloc_array(n ? n : 1, sizeof(double));
    if (!sorted || !keys || !s->acct || !s->role || !s->score) {
        err = pg_error_oom("ring subgraph", (size_t)ring->n_members * 24);
        goto done;
    }
    memcpy(sorted, ring->members, (size_t)ring->n_members * sizeof(*sorted));
    qsort(sorted, ring->n_members, sizeof(*sorted), cmp_member);
    for (uint32_t k = 0; k < n; k++) {
        s->acct[k] = sorted[k].account;
        s->role[k] = sorted[k].role;
        s->score[k] = sorted[k].score;
        keys[k] = (node_key){sorted[k].account, k};
    }
    s->n = n;
    s->n_inst = ring->n_institutions;
    s->inst = ring->institutions;
    qsort(keys, n, sizeof(*keys), cmp_key);
    if ((err = collect_pairs(&l, p, g, keys, n)) < 0) {
        goto done;
    }
    err = aggregate(s, &l);
done:
    pg_free(l.v);
    pg_free(sorted);
    pg_free(keys);
    if (err < 0) {
        pg_report__ring_sub_free(s);
    }
    return err;
}

void pg_report__ring_sub_free(pg_ring_sub *s)
{
    pg_free(s->acct);
    pg_free(s->role);
    pg_free(s->score);
    pg_free(s->src);
    pg_free(s->dst);
    pg_free(s->amount);
    pg_free(s->count);
    memset(s, 0, sizeof(*s));
}

double pg_report__edge_width(int64_t amount, int64_t max)
{
    if (max <= 0 || amount <= 0) {
        return 1.0;
    }
    return 1.0 + 5.0 * log1p((double)amount) / log1p((double)max);
}

int pg_report__drawing(pg_ring_drawing *d, const pg_pool *p, const pg_graph *g, const pg_rings *r,
                       uint32_t index, const pg_report_options *o, const char *what)
{
    pg_report_options def;
    memset(d, 0, sizeof(*d));
    if (!o) {
        pg_report_options_init(&def);
        o = &def;
    }
    if (index >= r->n) {
        return pg_error_set(PG_EINVAL, "%s: no ring at index %u (%u rings)", what, index, r->n);
    }
    d->ring = &r->rings[index];
    int err = pg_report__ring_sub(&d->s, p, g, d->ring, o->max_nodes);
    if (err < 0) {
        return err;
    }
    d->x = pg_malloc_array(d->s.n ? d->s.n : 1, sizeof(double));
    d->y = pg_malloc_array(d->s.n ? d->s.n : 1, sizeof(double));
    if (!d->x || !d->y) {
        err = pg_error_oom(what, (size_t)d->s.n * 16);
    } else {
        err = pg_report__layout(&d->s, d->x, d->y);
    }
    if (err < 0) {
        pg_report__drawing_free(d);
    }
    return err;
}

void pg_report__drawing_free(pg_ring_drawing *d)
{
    pg_free(d->x);
    pg_free(d->y);
    pg_report__ring_sub_free(&d->s);
    memset(d, 0, sizeof(*d));
}
