/*
 * The rings of an earlier scan related to this scan's (pg_previous_scan_load,
 * pg_rings_match_previous).
 *
 * A working group that scans its pool every month needs to know which
 * rings are new, which it has seen before and under which id, and which are
 * no longer found; ring ids are ranks and change with every scan. The
 * earlier scan's results.h5 holds its accounts' keys and its rings' members
 * (results_h5.c, sealed); accounts are found in this pool by key
 * (account_keys.c), as in the warm start.
 *
 * Each ring of this scan counts the members it shares with every earlier
 * ring, through an index of the earlier rings of each pool account. Two
 * rings continue one another when they share at least half of the smaller
 * one's members: a ring of five that grew to twelve continues, and so does
 * one whose five members now sit in a community of forty; two rings of ten
 * sharing one member do not. A ring's match is the earlier ring it
 * continues that is most similar to it (Jaccard: shared members over the
 * members of either), else the most similar ring it shares members with,
 * ties going to the better ranked, so the result does not depend on the
 * order of anything but the ranks. An earlier ring is gone when no ring of
 * this scan continues it (whether or not it is that ring's match); their
 * ids are listed.
 *
 * Complexity: O(A' + M') to find the file's A' accounts and index its M'
 * memberships, then O(sum over this scan's rings of members x earlier rings
 * per member), rings in parallel.
 */
#include <string.h>

#include "core/alloc.h"
#include "core/error.h"
#include "core/par.h"
#include "core/strlist.h"
#include "paygraph/store.h"
#include "store/account_keys.h"
#include "store/file_sha256.h"
#include "store/h5util.h"
#include "store/id_check.h"
#include "store/previous_rings.h"
#include "store/seal.h"
#include "store/warm_start.h"

/* Rows grouped by ring in rank order, ring ids in 1..n_rings, no account twice in a ring. */
static int check_members(const pg_previous_view *s, const char *path, size_t n_accounts)
{
    uint32_t *seen = pg_calloc(n_accounts ? n_accounts : 1, sizeof(uint32_t));
    if (!seen) {
        return pg_error_oom("previous scan check", n_accounts * 4);
    }
    int err = PG_OK;
    for (size_t j = 0; j < s->n_member_ring && !err; j++) {
        uint32_t ring = s->member_ring[j], acct = s->member_account[j];
        if (ring == 0 || ring > s->n_rings) {
            err = pg_error_set(PG_EINPUT, "%s: /rings/members/ring_id[%zu] = %u is not a ring id",
                               path, j, ring);
        } else if (j > 0 && ring < s->member_ring[j - 1]) {
            err = pg_error_set(PG_EINPUT,
                               "%s: /rings/members/ring_id[%zu] = %u: rows not grouped by ring",
                               path, j, ring);
        } else if (seen[acct] == ring) {
            err = pg_error_set(PG_EINPUT, "%s: ring %u lists account %u twice (row %zu)", path,
                               ring, acct, j);
        }
        seen[acct] = ring;
    }
    pg_free(seen);
    return err;
}

int pg_previous_view__check(const pg_previous_view *s, const char *path)
{
    size_t n = s->names->n;
    if (s->n_institution != n) {
        return pg_error_set(PG_EINPUT, "%s: %zu account names and %zu account institutions differ",
                            path, n, s->n_institution);
    }
    if (s->n_member_ring != s->n_member_account) {
        return pg_error_set(PG_EINPUT,
                            "%s: /rings/members has %zu ring ids and %zu accounts, which differ",
                            path, s->n_member_ring, s->n_member_account);
    }
    for (size_t i = 0; i < s->n_rings; i++) {
        if (s->ring_id[i] != i + 1) {
            return pg_error_set(PG_EINPUT, "%s: /rings/id[%zu] = %u, not the rank %zu", path, i,
                                s->ring_id[i], i + 1);
        }
    }
    int err =
        pg_store_check_ids(path, "/accounts/institution", s->institution, 4, n, s->insts->n, 0, 1);
    if (!err) {
        err = pg_store_check_ids(path, "/rings/members/account", s->member_account, 4,
                                 s->n_member_account, n, 0, 1);
    }
    return err ? err : check_members(s, path, n);
}

/* The earlier rings of each pool account (ring indices, 0-based, ascending) and their sizes. */
typedef struct ring_index {
    int64_t *off;   /* pool accounts + 1 */
    int64_t *end;   /* pool accounts: the list of account a is ring[off[a] .. end[a]) */
    uint32_t *ring; /* memberships found in the pool */
    uint32_t *size; /* members of each earlier ring (found or not) */
} ring_index;

static void index_free(ring_index *x)
{
    pg_free(x->off);
    pg_free(x->end);
    pg_free(x->ring);
    pg_free(x->size);
}

/* Index the memberships of s whose account is in the pool (found[]: pool account or PG_NONE). */
static int index_build(ring_index *x, const pg_previous_view *s, const uint32_t *found,
                       uint32_t n_pool)
{
    size_t nm = s->n_member_account;
    x->off = pg_calloc((size_t)n_pool + 1, sizeof(int64_t));
    x->end = pg_malloc_array((size_t)n_pool + 1, sizeof(int64_t));
    x->ring = pg_malloc_array(nm ? nm : 1, sizeof(uint32_t));
    x->size = pg_calloc(s->n_rings ? s->n_rings : 1, sizeof(uint32_t));
    if (!x->off || !x->end || !x->ring || !x->size) {
        return pg_error_oom("previous scan index", (size_t)n_pool * 16 + nm * 4 + s->n_rings * 4);
    }
    for (size_t j = 0; j < nm; j++) {
        uint32_t a = found[s->member_account[j]];
        x->size[s->member_ring[j] - 1]++;
        if (a != PG_NONE) {
            x->off[a + 1]++;
        }
    }
    for (uint32_t a = 0; a < n_pool; a++) {
        x->off[a + 1] += x->off[a];
        x->end[a] = x->off[a];
    }
    /*
     * Rows come by ring in rank order, so each account's list ascends; two
     * earlier accounts with one key (a file that repeats a key) would list
     * a ring twice for one pool account, and the repeat is dropped.
     */
    for (size_t j = 0; j < nm; j++) {
        uint32_t a = found[s->member_account[j]], ring = s->member_ring[j] - 1;
        if (a != PG_NONE && !(x->end[a] > x->off[a] && x->ring[x->end[a] - 1] == ring)) {
            x->ring[x->end[a]++] = ring;
        }
    }
    return PG_OK;
}

static int continues(uint32_t shared, uint32_t members, uint32_t earlier_members)
{
    uint32_t smaller = members < earlier_members ? members : earlier_members;
    return shared > 0 && 2 * (uint64_t)shared >= smaller;
}

/*
 * Whether q beats the match m so far for a ring of `members`: one it
 * continues first, then the more similar (Jaccard: shared members over the
 * members of either, compared exactly as cross products), then the better
 * ranked. Similarity, not the shared count alone, so that a ring of three
 * matches the earlier ring of three it shares two members with, not a
 * better-ranked ring of five sharing the same two.
 */
static int better(const pg_ring_previous *m, const pg_ring_previous *q, uint32_t members)
{
    if (m->id == PG_NONE || q->continues != m->continues) {
        return m->id == PG_NONE || q->continues > m->continues;
    }
    uint64_t union_m = (uint64_t)members + m->members - m->shared;
    uint64_t union_q = (uint64_t)members + q->members - q->shared;
    uint64_t lhs = (uint64_t)q->shared * union_m, rhs = (uint64_t)m->shared * union_q;
    return lhs > rhs || (lhs == rhs && q->id < m->id);
}

/*
 * The match of ring R; marks in continued[] every earlier ring R continues.
 * cnt: one zeroed word per earlier ring, left zeroed; touched: as many.
 */
static pg_ring_previous match_ring(const pg_ring *R, const ring_index *x, uint32_t *cnt,
                                   uint32_t *touched, unsigned char *continued)
{
    uint32_t nt = 0;
    for (uint32_t i = 0; i < R->n_members; i++) {
        uint32_t a = R->members[i].account;
        for (int64_t e = x->off[a]; e < x->end[a]; e++) {
            if (cnt[x->ring[e]]++ == 0) {
                touched[nt++] = x->ring[e];
            }
        }
    }
    pg_ring_previous m = {.id = PG_NONE};
    for (uint32_t t = 0; t < nt; t++) {
        uint32_t ring = touched[t], shared = cnt[ring];
        int c = continues(shared, R->n_members, x->size[ring]);
        if (c) {
#pragma omp atomic write
            continued[ring] = 1;
        }
        pg_ring_previous q = {
            .id = ring + 1, .shared = shared, .members = x->size[ring], .continues = c};
        if (better(&m, &q, R->n_members)) {
            m = q;
        }
        cnt[ring] = 0;
    }
    return m;
}

/* Every ring's match, in parallel; continued[] as in match_ring. */
static int match_all(pg_rings *r, const ring_index *x, size_t n_rings, unsigned char *continued,
                     int threads)
{
    size_t words = n_rings ? n_rings : 1;
    uint32_t *cnt = pg_calloc((size_t)threads * words, sizeof(uint32_t));
    uint32_t *touched = pg_malloc_array((size_t)threads * words, sizeof(uint32_t));
    if (!cnt || !touched) {
        pg_free(cnt);
        pg_free(touched);
        return pg_error_oom("previous scan counts", (size_t)threads * words * 8);
    }
#pragma omp parallel for num_threads(threads) schedule(dynamic, 4)
    for (uint32_t k = 0; k < r->n; k++) {
        size_t t = (size_t)pg_par_thread_id() * words;
        r->rings[k].previous = match_ring(&r->rings[k], x, cnt + t, touched + t, continued);
    }
    pg_free(cnt);
    pg_free(touched);
    return PG_OK;
}

/* r's totals, and the ids of the earlier rings no ring continues (continued[] = 0). */
static int totals(pg_rings_previous *t, const pg_rings *r, const pg_previous_view *s,
                  const uint32_t *found, const unsigned char *continued)
{
    size_t n = s->names->n;
    pg_free(t->gone_id);
    *t = (pg_rings_previous){.matched = 1, .rings = (uint32_t)s->n_rings, .accounts = (uint32_t)n};
    for (size_t i = 0; i < n; i++) {
        t->accounts_found += found[i] != PG_NONE;
    }
    for (uint32_t k = 0; k < r->n; k++) {
        t->continuing += r->rings[k].previous.continues != 0;
    }
    for (size_t i = 0; i < s->n_rings; i++) {
        t->gone += !continued[i];
    }
    t->gone_id = pg_malloc_array(t->gone ? t->gone : 1, sizeof(uint32_t));
    if (!t->gone_id) {
        t->matched = 0;
        return pg_error_oom("previous scan gone rings", (size_t)t->gone * 4);
    }
    for (uint32_t i = 0, k = 0; i < s->n_rings; i++) {
        if (!continued[i]) {
            t->gone_id[k++] = i + 1;
        }
    }
    return PG_OK;
}

int pg_previous_view__match(pg_rings *r, const pg_previous_view *s, const pg_pool *pool,
                            int threads)
{
    uint32_t n_pool = pg_pool_num_accounts(pool);
    r->previous.matched = 0; /* until the totals are in */
    if (r->n_accounts != n_pool) {
        return pg_error_set(PG_EINVAL, "previous scan: the rings have %u accounts, the pool %u",
                            r->n_accounts, n_pool);
    }
    threads = pg_threads_resolve(threads);
    size_t n = s->names->n;
    uint32_t *found = pg_malloc_array(n ? n : 1, sizeof(uint32_t));
    unsigned char *continued = pg_calloc(s->n_rings ? s->n_rings : 1, 1);
    ring_index x = {0};
    int err = !found || !continued ? pg_error_oom("previous scan", n * 4 + s->n_rings) : PG_OK;
    if (!err) {
        pg_account_keys_find(found, s->institution, s->names, s->insts, n, pool, threads);
        err = index_build(&x, s, found, n_pool);
    }
    if (!err) {
        err = match_all(r, &x, s->n_rings, continued, threads);
    }
    if (!err) {
        err = totals(&r->previous, r, s, found, continued);
    }
    index_free(&x);
    pg_free(found);
    pg_free(continued);
    return err;
}

/* An earlier scan read from its results.h5: the file's arrays, owned, and a view of them. */
struct pg_previous_scan {
    char *path;      /* for messages */
    char sha256[65]; /* of the file, for the record of which earlier scan was read */
    uint32_t *institution, *ring_id, *member_ring, *member_account;
    uint32_t *community; /* /accounts/community, or NULL when the file has none */
    pg_strlist names, insts;
    pg_previous_view view;
    pg_warm_earlier communities; /* the same accounts' communities, as a warm start reads them */
};

void pg_previous_scan_free(pg_previous_scan *f)
{
    if (!f) {
        return;
    }
    pg_free(f->path);
    pg_free(f->institution);
    pg_free(f->ring_id);
    pg_free(f->member_ring);
    pg_free(f->member_account);
    pg_free(f->community);
    pg_strlist_destroy(&f->names);
    pg_strlist_destroy(&f->insts);
    pg_free(f);
}

static int check_layout(pg_h5 *h)
{
    static const char *const need[] = {"/accounts/name",         "/accounts/institution",
                                       "/institutions",          "/rings/id",
                                       "/rings/members/ring_id", "/rings/members/account"};
    for (size_t i = 0; i < sizeof(need) / sizeof(need[0]); i++) {
        if (!pg_h5_exists(h, need[i])) {
            return pg_error_set(PG_EINPUT, "%s: not the results.h5 of a paygraph scan (no %s)",
                                h->path, need[i]);
        }
    }
    return PG_OK;
}

/*
 * The accounts' communities, when the file has them (every scan writes
 * them), viewed as a warm start reads a communities file: their count is
 * the largest label plus one, which the warm start's check bounds by the
 * number of accounts.
 */
static int read_communities(pg_previous_scan *f, pg_h5 *h)
{
    pg_warm_earlier *e = &f->communities;
    *e = (pg_warm_earlier){.institution = f->institution,
                           .names = &f->names,
                           .insts = &f->insts,
                           .n_institution = f->view.n_institution,
                           .group = "/accounts"};
    if (!pg_h5_exists(h, "/accounts/community")) {
        return PG_OK;
    }
    int err =
        pg_h5_read(h, "/accounts/community", H5T_NATIVE_UINT32, (void **)&f->community, &e->n);
    for (size_t i = 0; !err && i < e->n; i++) {
        e->communities =
            f->community[i] >= e->communities ? (size_t)f->community[i] + 1 : e->communities;
    }
    e->community = f->community;
    return err;
}

/* The datasets of an open, sealed file into f (unchecked). */
static int read_arrays(pg_previous_scan *f, pg_h5 *h)
{
    pg_previous_view *s = &f->view;
    int err;
    (void)((err = check_layout(h)) ||
           (err = pg_h5_read(h, "/accounts/institution", H5T_NATIVE_UINT32,
                             (void **)&f->institution, &s->n_institution)) ||
           (err = pg_h5_read_strlist(h, "/accounts/name", &f->names)) ||
           (err = pg_h5_read_strlist(h, "/institutions", &f->insts)) ||
           (err =
                pg_h5_read(h, "/rings/id", H5T_NATIVE_UINT32, (void **)&f->ring_id, &s->n_rings)) ||
           (err = pg_h5_read(h, "/rings/members/ring_id", H5T_NATIVE_UINT32,
                             (void **)&f->member_ring, &s->n_member_ring)) ||
           (err = pg_h5_read(h, "/rings/members/account", H5T_NATIVE_UINT32,
                             (void **)&f->member_account, &s->n_member_account)));
    s->institution = f->institution;
    s->ring_id = f->ring_id;
    s->member_ring = f->member_ring;
    s->member_account = f->member_account;
    return err ? err : read_communities(f, h);
}

int pg_previous_scan_load(pg_previous_scan **out, const char *path, int threads)
{
    *out = NULL;
    threads = pg_threads_resolve(threads);
    pg_previous_scan *f = pg_calloc(1, sizeof(*f));
    if (!f || !(f->path = pg_strdup(path))) {
        pg_free(f);
        return pg_error_oom("previous scan", sizeof(*f) + strlen(path));
    }
    pg_strlist_init(&f->names);
    pg_strlist_init(&f->insts);
    f->view.names = &f->names;
    f->view.insts = &f->insts;
    /* HDF5 1.10 can crash on a damaged file: nothing parses it before its seal holds. */
    pg_h5 h;
    int err = pg_seal_check(path, threads, "scan results file", "scan its pool again");
    if (!err && !(err = pg_h5_open(&h, path))) {
        h.threads = threads;
        h.sealed = 1;
        err = read_arrays(f, &h);
        int err2 = pg_h5_close(&h);
        err = err ? err : err2;
    }
    if (!err) {
        err = pg_previous_view__check(&f->view, path);
    }
    if (!err) {
        err = pg_file_sha256(path, f->sha256);
    }
    if (!err && f->community) {
        err = pg_warm_start__check(&f->communities, path);
    }
    if (err) {
        pg_previous_scan_free(f);
        return err;
    }
    *out = f;
    return PG_OK;
}

int pg_rings_match_previous(pg_rings *r, const pg_previous_scan *s, const pg_pool *pool,
                            int threads)
{
    int err = pg_previous_view__match(r, &s->view, pool, threads);
    if (!err) {
        memcpy(r->previous.sha256, s->sha256, sizeof(s->sha256));
    }
    return err;
}

int pg_previous_scan_communities(uint32_t *initial, uint32_t *matched, const pg_previous_scan *s,
                                 const pg_pool *pool, const pg_graph *g, int threads)
{
    *matched = 0;
    if (!s->community) {
        return pg_error_set(PG_EINPUT, "%s: has no /accounts/community", s->path);
    }
    return pg_warm_start__labels(initial, matched, &s->communities, pool, g,
                                 pg_threads_resolve(threads));
}
