/*
 * From candidates to groups of accounts. A candidate's accounts are the
 * endpoints of the transactions that make its pattern (or, without any, all
 * accounts of its vertices). Candidates describing the same offender ring
 * (found by several detectors) are merged when their account sets overlap
 * by Jaccard >= 0.5; laundering typologies merge only with a near-identical
 * group of the same typology (>= 0.8), so that an account in two laundering
 * attempts stays in two groups; a typology candidate nearly all of whose
 * accounts (>= 0.8) lie inside an existing typology group is a part of that
 * pattern seen as another shape (the fan-out half of a scatter-gather) and
 * corroborates it instead of standing as a group of its own.
 *
 * Candidates are taken strongest first (ties by input order), and overlaps
 * are counted through an account -> groups index, so merging is
 * O(sum of candidate sizes x groups per account).
 */
#include "algo/rings/merge.h"

#include <stdlib.h>
#include <string.h>

#include "core/alloc.h"
#include "core/error.h"

#define MERGE_OFFENDER 0.5
/*
 * A weaker offender candidate whose accounts lie mostly (this share) inside
 * an existing group corroborates it without adding members: a detector that
 * saw part of a ring confirms the ring, it does not redraw it.
 */
#define CORROBORATE 0.6
#define MERGE_TYPOLOGY 0.8

void pg_groups_free(pg_groups *gs)
{
    for (size_t i = 0; i < gs->n; i++) {
        pg_free(gs->g[i].acct);
        pg_free(gs->g[i].txn);
    }
    pg_free(gs->g);
    memset(gs, 0, sizeof(*gs));
}

static int cmp_u32(const void *a, const void *b)
{
    uint32_t x = *(const uint32_t *)a, y = *(const uint32_t *)b;
    return (x > y) - (x < y);
}

static uint32_t sort_unique(uint32_t *v, uint32_t n)
{
    qsort(v, n, sizeof(*v), cmp_u32);
    uint32_t k = 0;
    for (uint32_t i = 0; i < n; i++) {
        if (k == 0 || v[i] != v[k - 1]) {
            v[k++] = v[i];
        }
    }
    return k;
}

/* Accounts of a candidate (sorted, distinct) into *out. */
static int candidate_accounts(const pg_candidate *c, const pg_txn_columns *t,
                              const pg_vertex_accounts *va, uint32_t **out, uint32_t *n)
{
    uint32_t cap = c->n_txn ? 2 * c->n_txn : 0;
    for (uint32_t i = 0; !c->n_txn && i < c->n; i++) {
        cap += (uint32_t)(va->offsets[c->vertices[i] + 1] - va->offsets[c->vertices[i]]);
    }
    uint32_t *a = pg_malloc_array(cap ? cap : 1, sizeof(*a)), k = 0;
    if (!a) {
        return pg_error_oom("candidate accounts", (size_t)cap * 4);
    }
    for (uint32_t i = 0; i < c->n_txn; i++) {
        a[k++] = t->src[c->txn[i]];
        a[k++] = t->dst[c->txn[i]];
    }
    for (uint32_t i = 0; !c->n_txn && i < c->n; i++) {
        for (int64_t j = va->offsets[c->vertices[i]]; j < va->offsets[c->vertices[i] + 1]; j++) {
            a[k++] = va->accounts[j];
        }
    }
    *n = sort_unique(a, k);
    *out = a;
    return 0;
}

static int is_typology(const pg_candidate *c)
{
    return strcmp(c->typology, "offender-payments") != 0;
}

/* Union of two sorted sets into a new sorted set. */
static int merge_sets(uint32_t **a, uint32_t *na, const uint32_t *b, uint32_t nb)
{
    uint32_t *m = pg_malloc_array((size_t)*na + nb + 1, sizeof(*m)), i = 0, j = 0, k = 0;
    if (!m) {
        return pg_error_oom("merged group", ((size_t)*na + nb) * 4);
    }
    const uint32_t *x = *a;
    while (i < *na || j < nb) {
        if (j >= nb || (i < *na && x[i] < b[j])) {
            m[k++] = x[i++];
        } else if (i >= *na || b[j] < x[i]) {
            m[k++] = b[j++];
        } else {
            m[k++] = x[i++];
            j++;
        }
    }
    pg_free(*a);
    *a = m;
    *na = k;
    return 0;
}

/* Elements of sorted b that are not in sorted a, written to out; returns their count. */
static uint32_t set_minus(const uint32_t *b, uint32_t nb, const uint32_t *a, uint32_t na,
                          uint32_t *out)
{
    uint32_t i = 0, k = 0;
    for (uint32_t j = 0; j < nb; j++) {
        while (i < na && a[i] < b[j]) {
            i++;
        }
        if (i >= na || a[i] != b[j]) {
            out[k++] = b[j];
        }
    }
    return k;
}

typedef struct index {
    int64_t *head;   /* per account: first entry, -1 none */
    int64_t *next;   /* per entry */
    uint32_t *group; /* per entry */
    size_t n, cap;
} index;

static int index_add(index *ix, const uint32_t *acct, uint32_t n, uint32_t group)
{
    size_t cap_next = ix->cap, cap_group = ix->cap;
    if (pg_grow((void **)&ix->next, &cap_next, ix->n + n, sizeof(int64_t)) < 0 ||
        pg_grow((void **)&ix->group, &cap_group, ix->n + n, sizeof(uint32_t)) < 0) {
        return PG_ENOMEM;
    }
    ix->cap = cap_next < cap_group ? cap_next : cap_group;
    for (uint32_t i = 0; i < n; i++) {
        ix->next[ix->n] = ix->head[acct[i]];
        ix->group[ix->n] = group;
        ix->head[acct[i]] = (int64_t)ix->n++;
    }
    return 0;
}

/*
 * The existing group the candidate should merge into, or -1; *contained gets
 * the group of its own family that holds most of the candidate's accounts
 * (or -1).
 */
static int64_t find_merge(const pg_groups *gs, const index *ix, const pg_candidate *c,
                          const uint32_t *acct, uint32_t n, uint32_t *hits, int64_t *contained)
{
    int64_t best = -1;
    double best_j = 0, best_in = 0;
    *contained = -1;
    for (uint32_t i = 0; i < n; i++) {
        for (int64_t e = ix->head[acct[i]]; e >= 0; e = ix->next[e]) {
            hits[ix->group[e]]++;
        }
    }
    for (uint32_t i = 0; i < n; i++) {
        for (int64_t e = ix->head[acct[i]]; e >= 0; e = ix->next[e]) {
            uint32_t g = ix->group[e];
            if (!hits[g]) {
                continue;
            }
            const pg_group *G = &gs->g[g];
            double jac = (double)hits[g] / (double)(G->n_acct + n - hits[g]);
            int same = is_typology(c) ? (G->typology == c->typology && jac >= MERGE_TYPOLOGY)
                                      : (!G->is_typology && jac >= MERGE_OFFENDER);
            if (same && (jac > best_j || (jac == best_j && (int64_t)g < best))) {
                best = g;
                best_j = jac;
            }
            double in = (double)hits[g] / (double)n;
            int part = is_typology(c) ? G->is_typology && in >= MERGE_TYPOLOGY
                                      : !G->is_typology && in >= CORROBORATE;
            if (part && (in > best_in || (in == best_in && (int64_t)g < *contained))) {
                *contained = g;
                best_in = in;
            }
            hits[g] = 0;
        }
    }
    return best;
}

static int add_group(pg_groups *gs, const pg_candidate *c, uint32_t *acct, uint32_t n)
{
    if (pg_grow((void **)&gs->g, &gs->cap, gs->n + 1, sizeof(*gs->g)) < 0) {
        return PG_ENOMEM;
    }
    pg_group *G = &gs->g[gs->n];
    memset(G, 0, sizeof(*G));
    G->acct = acct;
    G->n_acct = n;
    G->detector = c->detector;
    G->typology = c->typology;
    G->is_typology = is_typology(c);
    G->strength = c->strength;
    G->txn = pg_malloc_array(c->n_txn ? c->n_txn : 1, sizeof(uint32_t));
    if (!G->txn) {
        return pg_error_oom("group transactions", (size_t)c->n_txn * 4);
    }
    if (c->n_txn) {
        memcpy(G->txn, c->txn, (size_t)c->n_txn * sizeof(uint32_t));
    }
    G->n_txn = c->n_txn;
    gs->n++;
    return 0;
}

static int absorb(pg_group *G, const pg_candidate *c, const uint32_t *acct, uint32_t n)
{
    int err = merge_sets(&G->acct, &G->n_acct, acct, n);
    if (err) {
        return err;
    }
    uint32_t *t = pg_malloc_array((size_t)c->n_txn + 1, sizeof(*t));
    if (!t) {
        return pg_error_oom("group transactions", (size_t)c->n_txn * 4);
    }
    if (c->n_txn) {
        memcpy(t, c->txn, (size_t)c->n_txn * sizeof(*t));
    }
    uint32_t nt = sort_unique(t, c->n_txn);
    uint32_t nm = sort_unique(G->txn, G->n_txn);
    G->n_txn = nm;
    err = merge_sets(&G->txn, &G->n_txn, t, nt);
    pg_free(t);
    G->strength = G->strength > c->strength ? G->strength : c->strength;
    G->n_detectors++;
    return err;
}

typedef struct ranked_candidate {
    int late; /* corroborating candidates come after all others */
    double strength;
    size_t index;
} ranked_candidate;

static int by_strength(const void *a, const void *b)
{
    const ranked_candidate *x = a, *y = b;
    if (x->late != y->late) {
        return x->late - y->late;
    }
    if (x->strength != y->strength) {
        return x->strength > y->strength ? -1 : 1;
    }
    return (x->index > y->index) - (x->index < y->index);
}

/*
 * Order of candidates: those that may draw rings first, strongest first, then
 * input order; corroborating candidates last, so that they can confirm the
 * rings but never seed a group others would merge into. A total order, so
 * qsort is safe.
 */
static int order_candidates(const pg_candidates *cs, size_t *order)
{
    ranked_candidate *r = pg_malloc_array(cs->n + 1, sizeof(*r));
    if (!r) {
        return pg_error_oom("candidate order", cs->n * sizeof(*r));
    }
    for (size_t i = 0; i < cs->n; i++) {
        r[i] = (ranked_candidate){cs->c[i].corroborate_only, cs->c[i].strength, i};
    }
    qsort(r, cs->n, sizeof(*r), by_strength);
    for (size_t i = 0; i < cs->n; i++) {
        order[i] = r[i].index;
    }
    pg_free(r);
    return 0;
}

int pg_groups_from_candidates(pg_groups *gs, const pg_candidates *cs, const pg_txn_columns *t,
                              const pg_vertex_accounts *va, uint32_t n_accounts)
{
    index ix = {0};
    memset(gs, 0, sizeof(*gs));
    size_t *order = pg_malloc_array(cs->n + 1, sizeof(*order));
    uint32_t *hits = pg_calloc(cs->n + 1, sizeof(*hits));
    ix.head = pg_malloc_array((size_t)n_accounts + 1, sizeof(int64_t));
    int err = 0;
    if (!order || !hits || !ix.head) {
        err = pg_error_oom("candidate merge", (size_t)n_accounts * 8);
        goto done;
    }
    for (uint32_t a = 0; a < n_accounts; a++) {
        ix.head[a] = -1;
    }
    err = order_candidates(cs, order);
    for (size_t k = 0; k < cs->n && !err; k++) {
        const pg_candidate *c = &cs->c[order[k]];
        uint32_t *acct = NULL, n = 0;
        if ((err = candidate_accounts(c, t, va, &acct, &n)) < 0) {
            break;
        }
        int64_t inside;
        int64_t g = find_merge(gs, &ix, c, acct, n, hits, &inside);
        if (g >= 0 && c->corroborate_only) {
            inside = g; /* a neighbourhood confirms a ring; it does not redraw it */
            g = -1;
        }
        if (g < 0 && inside >= 0) {
            gs->g[inside].n_detectors++;
            pg_free(acct);
        } else if (g >= 0) {
            /* index only the accounts new to the group, so overlaps are counted once */
            uint32_t fresh = set_minus(acct, n, gs->g[g].acct, gs->g[g].n_acct, acct);
            err = absorb(&gs->g[g], c, acct, fresh);
            if (!err) {
                err = index_add(&ix, acct, fresh, (uint32_t)g);
            }
            pg_free(acct);
        } else if ((err = add_group(gs, c, acct, n)) == 0) {
            err = index_add(&ix, acct, n, (uint32_t)(gs->n - 1));
        } else {
            pg_free(acct);
        }
    }
done:
    pg_free(order);
    pg_free(hits);
    pg_free(ix.head);
    pg_free(ix.next);
    pg_free(ix.group);
    if (err) {
        pg_groups_free(gs);
    }
    return err;
}
