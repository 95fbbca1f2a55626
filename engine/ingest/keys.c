/*
 * Account key index and the parallel, deterministic merge of account keys.
 *
 * HOW IT WORKS
 * Parsing a chunk only lays out each row's two account keys (payer, payee)
 * with their hashes; nothing is looked up while parsing. The merge of a
 * block then runs in three passes:
 *
 *  1. lookup (parallel over partitions): the keys are split by hash into
 *     partitions, one table each. Every partition walks all keys of the
 *     block in file order and looks up those that fall into it, so a
 *     partition meets its new keys in order of first appearance and lists
 *     them as (chunk, position) pairs, already sorted.
 *  2. assign (serial, one step per new key only): the partitions' lists are
 *     merged by position, so new keys are taken in order of first appearance
 *     in the file; each gets its institution, name and account there, the
 *     same ids a serial reader would give.
 *  3. resolve (parallel over chunks): every key's slot id becomes the
 *     account id.
 *
 * The partitioning depends on the thread count; the ids do not, since they
 * are handed out in pass 2 in file order. The serial work is proportional
 * to the number of accounts, not of rows. Each partition scans the hashes of
 * the whole block (8 bytes per key) to pick out its own: cheap next to the
 * lookups at the thread counts of one node.
 */
#include "ingest/keys.h"

#include <string.h>

#include "core/alloc.h"
#include "core/error.h"
#include "core/keyset.h"

/* Partitions at most: the assign pass compares the head of every partition's list. */
#define PG_KEY_MAX_PARTS 64

struct pg_key_index {
    int parts;
    pg_keyset tab[PG_KEY_MAX_PARTS];   /* keys of partition q */
    uint32_t *acct[PG_KEY_MAX_PARTS];  /* key id in tab[q] -> account id */
    size_t acct_cap[PG_KEY_MAX_PARTS]; /* entries allocated in acct[q] */
};

/*
 * A key seen for the first time: its chunk and position, its id in the
 * partition, and the hash of its account name in the pool's dictionary
 * (computed in the parallel pass, so that the serial one only looks up).
 */
typedef struct new_key {
    uint32_t chunk;
    uint32_t id;
    size_t j;
    uint64_t name_hash;
} new_key;

/* The institution and account name of a key laid out by rows.c. */
typedef struct key_parts {
    const char *inst, *name;
    size_t inst_len, name_len;
} key_parts;

static key_parts split_key(const char *key, size_t len)
{
    uint32_t ilen;
    size_t pre = pg_key_prefix_get(key, &ilen);
    return (key_parts){key + pre, key + pre + ilen, ilen, len - pre - ilen};
}

typedef struct part_work {
    new_key *fresh;
    size_t n, cap;
    int err;
} part_work;

int pg_key_index_new(pg_key_index **out, int parts)
{
    pg_key_index *ix = pg_calloc(1, sizeof(*ix));
    if (!ix) {
        return pg_error_oom("account key index", sizeof(*ix));
    }
    ix->parts = parts < 1 ? 1 : parts > PG_KEY_MAX_PARTS ? PG_KEY_MAX_PARTS : parts;
    for (int q = 0; q < ix->parts; q++) {
        pg_keyset_init(&ix->tab[q]);
    }
    *out = ix;
    return 0;
}

void pg_key_index_free(pg_key_index *ix)
{
    if (!ix) {
        return;
    }
    for (int q = 0; q < ix->parts; q++) {
        pg_keyset_destroy(&ix->tab[q]);
        pg_free(ix->acct[q]);
    }
    pg_free(ix);
}

/*
 * The high 32 bits pick the partition by a multiply-shift (Lemire 2019,
 * "Fast random integer generation in an interval", doi:10.1145/3230636): a
 * division by a thread count that is not a power of two took most of the
 * time of scanning the keys. The tables use the low bits for slots.
 */
static int part_of(uint64_t h, int parts)
{
    return (int)(((h >> 32) * (uint64_t)parts) >> 32);
}

static const char *key_at(const pg_chunk *c, size_t j, size_t *len)
{
    uint64_t lo = j ? c->key_end[j - 1] : 0;
    *len = (size_t)(c->key_end[j] - lo);
    return c->key_bytes + lo;
}

/*
 * Keys of the partition ahead of the lookup whose table slots are
 * prefetched: far enough to cover a DRAM miss at a few tens of nanoseconds
 * per lookup, near enough that the lines stay in L1. A slot holds the whole
 * key (pg_keyset), so one prefetch covers the lookup. The distance counts
 * the partition's own keys, not the block's: with P partitions, a key a
 * fixed number of places ahead belongs to this one only one time in P.
 */
#define PG_KEY_PREFETCH 16

/* One key of partition q: its id into c->key_acct, listed when new. */
static int lookup_key(pg_key_index *ix, int q, pg_chunk *c, int i, size_t j, part_work *w)
{
    size_t len;
    const char *s = key_at(c, j, &len);
    uint32_t id;
    int is_new;
    if (pg_keyset_put(&ix->tab[q], s, len, c->key_hash[j], &id, &is_new) < 0) {
        return PG_ENOMEM;
    }
    c->key_acct[j] = id;
    if (!is_new) {
        return 0;
    }
    if (pg_grow((void **)&ix->acct[q], &ix->acct_cap[q], (size_t)id + 1, 4) < 0 ||
        pg_grow((void **)&w->fresh, &w->cap, w->n + 1, sizeof(*w->fresh)) < 0) {
        return PG_ENOMEM;
    }
    ix->acct[q][id] = PG_NONE;
    key_parts kp = split_key(s, len);
    w->fresh[w->n++] = (new_key){(uint32_t)i, id, j, pg_intern_hash(kp.name, kp.name_len)};
    return 0;
}

/*
 * Pass 1 for partition q: key ids into c->key_acct, new keys listed in
 * order. A ring holds the partition's next keys, whose slots were
 * prefetched when they entered it; keys leave it in file order.
 */
static int lookup_part(pg_key_index *ix, int q, pg_chunk *chunks, int n, part_work *w)
{
    for (int i = 0; i < n; i++) {
        pg_chunk *c = &chunks[i];
        size_t nk = 2 * c->n_rows, scan = 0, ring[PG_KEY_PREFETCH];
        unsigned head = 0, count = 0;
        for (;;) {
            for (; count < PG_KEY_PREFETCH && scan < nk; scan++) {
                if (part_of(c->key_hash[scan], ix->parts) == q) {
                    pg_keyset_prefetch(&ix->tab[q], c->key_hash[scan]);
                    ring[(head + count++) % PG_KEY_PREFETCH] = scan;
                }
            }
            if (count == 0) {
                break;
            }
            size_t j = ring[head];
            head = (head + 1) % PG_KEY_PREFETCH;
            count--;
            if (lookup_key(ix, q, c, i, j, w) < 0) {
                return PG_ENOMEM;
            }
        }
    }
    return 0;
}

/* The partition whose next new key comes first in the file, or -1 when all are done. */
static int earliest(const part_work *w, const size_t *pos, int parts)
{
    int best = -1;
    for (int q = 0; q < parts; q++) {
        if (pos[q] == w[q].n) {
            continue;
        }
        const new_key *k = &w[q].fresh[pos[q]];
        const new_key *b = best < 0 ? NULL : &w[best].fresh[pos[best]];
        if (!b || k->chunk < b->chunk || (k->chunk == b->chunk && k->j < b->j)) {
            best = q;
        }
    }
    return best;
}

/*
 * New keys ahead of the assignment whose account-name slots are prefetched:
 * with a million accounts the name table is far larger than the caches.
 */
#define PG_ASSIGN_PREFETCH 8

/* Advance the look-ahead merge cursor by one key and prefetch its name's slot. */
static void prefetch_next(const part_work *w, size_t *ahead, int parts, const pg_intern *names)
{
    int q = earliest(w, ahead, parts);
    if (q >= 0) {
        pg_intern_prefetch(names, w[q].fresh[ahead[q]++].name_hash);
    }
}

/* Pass 2: accounts for the new keys, in order of first appearance. */
static int assign_accounts(pg_key_index *ix, pg_pool *p, const pg_chunk *chunks, const part_work *w)
{
    size_t pos[PG_KEY_MAX_PARTS] = {0}, ahead[PG_KEY_MAX_PARTS] = {0};
    int q, err;
    /* a second merge cursor runs PG_ASSIGN_PREFETCH keys ahead of the first */
    for (int d = 0; d < PG_ASSIGN_PREFETCH; d++) {
        prefetch_next(w, ahead, ix->parts, &p->account_names);
    }
    while ((q = earliest(w, pos, ix->parts)) >= 0) {
        prefetch_next(w, ahead, ix->parts, &p->account_names);
        const new_key *k = &w[q].fresh[pos[q]++];
        size_t len;
        const char *s = key_at(&chunks[k->chunk], k->j, &len);
        key_parts kp = split_key(s, len);
        uint32_t inst, name, acct;
        if ((err = pg_intern_put(&p->institutions, kp.inst, kp.inst_len, &inst, NULL)) < 0 ||
            (err = pg_intern_put_hashed(&p->account_names, kp.name, kp.name_len, k->name_hash,
                                        &name, NULL)) < 0 ||
            (err = pg_pool__account(p, inst, name, &acct)) < 0) {
            return err;
        }
        p->acct_in_txns[acct] = 1;
        ix->acct[q][k->id] = acct;
    }
    return 0;
}

/* Pass 3 for one chunk: key ids become account ids. */
static void resolve_chunk(const pg_key_index *ix, pg_chunk *c)
{
    size_t nk = 2 * c->n_rows;
    for (size_t j = 0; j < nk; j++) {
        c->key_acct[j] = ix->acct[part_of(c->key_hash[j], ix->parts)][c->key_acct[j]];
    }
}

int pg_key_index_merge(pg_key_index *ix, pg_pool *p, pg_chunk *chunks, int n, int threads)
{
    (void)threads; /* used only by OpenMP pragmas */
    part_work w[PG_KEY_MAX_PARTS];
    memset(w, 0, sizeof(w));
    int parts = ix->parts, err = 0;
#pragma omp parallel for num_threads(threads) schedule(dynamic, 1)
    for (int q = 0; q < parts; q++) {
        w[q].err = lookup_part(ix, q, chunks, n, &w[q]);
    }
    for (int q = 0; q < parts; q++) {
        if (w[q].err < 0 && !err) {
            /* set here: an error message set on a worker thread is not this thread's */
            err = pg_error_oom("account key index", 0);
        }
    }
    if (!err) {
        err = assign_accounts(ix, p, chunks, w);
    }
    if (!err) {
#pragma omp parallel for num_threads(threads) schedule(dynamic, 1)
        for (int i = 0; i < n; i++) {
            resolve_chunk(ix, &chunks[i]);
        }
    }
    for (int q = 0; q < parts; q++) {
        pg_free(w[q].fresh);
    }
    return err;
}
