/*
 * Deterministic parallel local moving: the first phase of Louvain (Blondel et
 * al. 2008, doi:10.1088/1742-5468/2008/10/P10008) and the "fast local move"
 * phase of Leiden (Traag, Waltman & van Eck 2019, doi:10.1038/s41598-019-41695-z).
 *
 * HOW IT WORKS
 * Vertices are visited in a seeded random order of blocks of consecutive
 * vertices (see PG_LOCAL_MOVE_BLOCK). A pass visits the
 * active vertices (all in the first pass; afterwards the neighbours of the
 * vertices that moved, outside their new community, as in Leiden's queue) in
 * that order, cut into batches of p->batch vertices. For each batch:
 *   1. decide (parallel): every vertex of the batch finds its best
 *      community (see CANDIDATES) against the state frozen at the batch start,
 *      summing neighbour-community weights in adjacency order;
 *   2. apply (serial, in batch order): a move is kept when no neighbour of
 *      the vertex is in the round (then nobody who moves before it can
 *      change its weight to any community; only community totals change,
 *      and the apply reads those fresh), or when neither community involved
 *      changed earlier in the round and none of its neighbours in the round
 *      moved before it (so its weight to every community is still the one
 *      it decided on). A kept move is applied if its gain against the
 *      current totals is positive; a stale one is set aside;
 *   3. the set-aside vertices are decided again in parallel against the
 *      updated state and applied the same way; a vertex stale even then is
 *      re-decided serially, exactly, against the current state.
 * A vertex can thus only miss a community that became more attractive
 * earlier in the same round when it decided to stay (the neighbour that
 * moved activates it for the next pass) or through other vertices' totals;
 * the serial share is the few doubly stale ones.
 *
 * Keeping the moves of vertices with no neighbour in the round matters in
 * the first passes, when most communities change in every round: on the
 * 100k-vertex / 1M-edge benchmark graph it cuts the serial re-decisions of
 * the first pass from 36k to 11k of 100k, and local moving on that level by
 * 10% at 1 thread, 13% at 2. Checking the neighbours that moved, not only
 * the two communities, re-decides a vertex whose neighbour went to a third
 * community that may now be its best: on the oracle graphs it raised CPM
 * quality at gamma 0.2 from 0.49% to 0.25% below igraph's Leiden, and on
 * the benchmark graph modularity (Leiden 0.690123 -> 0.690137, Louvain
 * 0.690105 -> 0.690119), for 2-7% of Leiden's time and 5-11% of Louvain's.
 *
 * WHY
 * Each vertex's decision depends only on the frozen state and its own
 * adjacency, and every floating-point sum runs in a fixed order, so the
 * outcome is bit-identical for any thread count. Serial apply with the
 * stale-community check removes the oscillations of fully synchronous
 * parallel moving (two vertices swapping into each other's community).
 *
 * TUNABLE: the batch size trades parallelism (larger batches amortise the
 * barrier) against convergence (smaller batches see fresher state and re-decide
 * fewer vertices serially). The result depends on it, never on the threads.
 *
 * CANDIDATES: the current community, the neighbouring ones, and an empty
 * one (as in igraph's Leiden). Leaving for an empty community is worth 0, so
 * it wins exactly when every other choice, staying included, loses quality:
 * a vertex that no longer belongs where a warm start or a higher level put
 * it (with CPM at a high resolution a whole community may dissolve). Without
 * it such a vertex has nowhere to go: a warm start with every vertex in one
 * community stayed one community under any resolution. Empty labels are kept
 * on a stack in the serial apply, so which label a vertex gets is decided
 * in batch order like everything else.
 *
 * LIMITATIONS
 * A level ends after max_passes passes, or when a pass moves nobody or gains
 * less than min_gain.
 *
 * A decision that cannot be a move skips the accumulator (surely_stays),
 * and a vertex whose last decision to stay still provably holds skips the
 * decision (still_stays): both give exactly the decision best_move would.
 * The second matters on payment graphs, whose merchants and collectors
 * neighbour a large share of all accounts and are re-activated in nearly
 * every pass (on a 10M-transaction world, vertices of degree above 5000
 * were a third of all entries local moving read; Leiden 8-10% faster).
 *
 * Complexity: O(sum of active degrees) per pass plus O(n) for the queue.
 */
#include "algo/community/community_internal.h"

#include <string.h>

#include "core/error.h"
#include "core/par.h"
#include "core/rng.h"

/* A decision's best community when that is an empty one (its label is picked at apply). */
#define LM_EMPTY UINT32_MAX

/* Relative rounding allowance of a proof that a vertex stays (see keep_proof). */
#define PG_LM_PROOF_SLACK 1e-6

/* Neighbours in the same round that a decision remembers; with more, it is stale once any moves. */
#define LM_NBR 4

/* Decisions made in parallel per batch; the serial apply reads them in order. */
typedef struct decision {
    uint32_t best;        /* best community (== current when staying), or LM_EMPTY */
    uint32_t in_round;    /* neighbours of v (entries u != v) in the same round */
    uint32_t nbr[LM_NBR]; /* the first of them in adjacency order */
    double w_best;        /* weight from v to best (0 for LM_EMPTY) */
    double w_cur;         /* weight from v to its current community, v excluded */
    double margin;        /* staying: how much more staying gains than any other choice */
    double strength;      /* weight of v's row without self-loops (scale of the rounding) */
} decision;

/* Gain of keeping v (weight w0 to the rest of its community c0): one formula for both paths. */
static inline double stay_gain(const pg_cgraph *g, const double *tot, double r, uint32_t v,
                               uint32_t c0, double w0)
{
    double rk = r * g->nw[v];
    return w0 - rk * (tot[c0] - g->nw[v]);
}

/*
 * Whether v surely stays, from one read of its row without the accumulator:
 * no other community can gain more than ext, v's weight to all of them
 * (gain(c) = w(v, c) - r k_v tot[c] <= w(v, c) <= ext, as weights, totals and
 * the resolution are >= 0 and a fixed-order sum of non-negative terms rounds
 * to at least the sum of any subset of them), and an empty community gains
 * 0 <= ext. So when ext is at most the gain of staying, best_move's full
 * evaluation would keep v too (a tie keeps it), and the result is the same
 * bit for bit (test_local_move.c compares both ways). Most decisions after
 * the first passes are of this kind (on the 100k-vertex benchmark graph
 * 86-91% in the second Leiden iteration and on the first aggregated level),
 * and so are most of a warm start's; the scatter into the accumulator, with
 * its unpredictable branches, is the expensive part of a decision.
 */
static int surely_stays(const pg_cgraph *g, const uint32_t *comm, const double *tot, double r,
                        uint32_t v, double *w0_out, double *margin, double *strength)
{
    const uint32_t *restrict adj = g->adj;
    const double *restrict w = g->w;
    uint32_t c0 = comm[v];
    double w0 = 0.0, ext = 0.0;
    for (int64_t e = g->off[v]; e < g->off[v + 1]; e++) {
        uint32_t u = adj[e];
        double we = w ? w[e] : 1.0;
        int inside = comm[u] == c0;
        w0 += inside && u != v ? we : 0.0;
        ext += inside ? 0.0 : we;
    }
    *w0_out = w0;
    *margin = stay_gain(g, tot, r, v, c0, w0) - ext;
    *strength = w0 + ext;
    return *margin >= 0.0;
}

/*
 * Best community for v against comm/tot/size. Ties keep v where it is, then
 * pick the smallest label, so the choice does not depend on adjacency order;
 * an empty community only wins when every other choice has a negative gain.
 * A vertex alone in its community skips the shortcut (it never applies).
 * With mark, a move also records v's neighbours that have mark == id (are
 * in the same round).
 */
static decision best_move(const pg_cgraph *g, const uint32_t *comm, const double *tot,
                          const uint32_t *size, double r, int shortcut, uint32_t v, double *acc,
                          uint32_t *list, const uint32_t *mark, uint32_t id)
{
    const uint32_t *restrict adj = g->adj;
    const double *restrict w = g->w;
    uint32_t c0 = comm[v];
    double w_stay, margin, strength;
    if (shortcut && size[c0] > 1 && surely_stays(g, comm, tot, r, v, &w_stay, &margin, &strength)) {
        return (decision){
            .best = c0, .w_best = w_stay, .w_cur = w_stay, .margin = margin, .strength = strength};
    }
    uint32_t nl = 0;
    decision d = {.best = c0};
    /*
     * Most neighbours share v's community: their weight goes to a register,
     * not through acc[c0], whose load-add-store chain would stall on
     * store-to-load forwarding at every entry.
     */
    double w0 = 0.0;
    for (int64_t e = g->off[v]; e < g->off[v + 1]; e++) {
        uint32_t u = adj[e];
        uint32_t c = comm[u];
        double we = w ? w[e] : 1.0;
        if (mark && mark[u] == id && u != v) {
            if (d.in_round < LM_NBR) {
                d.nbr[d.in_round] = u;
            }
            d.in_round++;
        }
        if (c == c0) {
            w0 += u != v ? we : 0.0;
            continue;
        }
        if (acc[c] < 0.0) {
            acc[c] = 0.0;
            list[nl++] = c;
        }
        acc[c] += we;
    }
    double rk = r * g->nw[v];
    d.w_best = d.w_cur = w0;
    double best_gain = stay_gain(g, tot, r, v, c0, w0), other = 0.0; /* the empty community */
    d.strength = w0;
    for (uint32_t i = 0; i < nl; i++) {
        uint32_t c = list[i];
        double gain = acc[c] - rk * tot[c];
        other = gain > other ? gain : other;
        d.strength += acc[c];
        if (gain > best_gain || (gain == best_gain && d.best != c0 && c < d.best)) {
            best_gain = gain;
            d.best = c;
            d.w_best = acc[c];
        }
    }
    d.margin = d.best == c0 ? best_gain - other : -1.0;
    for (uint32_t i = 0; i < nl; i++) {
        acc[list[i]] = -1.0;
    }
    if (best_gain < 0.0 && size[c0] > 1) {
        d.best = LM_EMPTY;
        d.w_best = 0.0;
    }
    return d;
}

/*
 * Vertices per block of the visiting order, at most. The order is a seeded
 * random permutation of blocks of consecutive vertices, each block visited
 * in vertex order: rows are then read as streams of up to this many rows
 * instead of one cache miss per row (local moving is bound by that latency;
 * this halves its time on a 1M-edge graph), while the seed still decides
 * the order. Larger blocks read memory faster; smaller ones make the order
 * more random (1 is a full permutation). A graph always gets at least
 * PG_LOCAL_MOVE_MIN_BLOCKS blocks, so graphs below that many vertices keep a
 * fully random order and mid-sized ones (aggregated levels, a bank's sample
 * of a few thousand accounts) short blocks: 1024 blocks cost nothing
 * measurable on the 100k-vertex graph (blocks of 97 rows are streams too).
 */
#define PG_LOCAL_MOVE_BLOCK 256
#define PG_LOCAL_MOVE_MIN_BLOCKS 1024

/* Seeded random order of 0..n-1: a Fisher-Yates permutation of blocks (serial, O(n)). */
static void permutation(uint32_t *perm, uint32_t n, uint64_t seed, uint64_t stream)
{
    uint32_t bs = n / PG_LOCAL_MOVE_MIN_BLOCKS;
    bs = bs < 1 ? 1 : (bs > PG_LOCAL_MOVE_BLOCK ? PG_LOCAL_MOVE_BLOCK : bs);
    uint32_t nb = (uint32_t)(((uint64_t)n + bs - 1) / bs);
    pg_rng rng;
    pg_rng_init(&rng, seed, stream);
    for (uint32_t i = 0; i < nb; i++) {
        perm[i] = i;
    }
    for (uint32_t i = nb; i > 1; i--) {
        uint32_t j = (uint32_t)pg_rng_below(&rng, i);
        uint32_t t = perm[i - 1];
        perm[i - 1] = perm[j];
        perm[j] = t;
    }
    /*
     * Expand in place from the back. Only the last block (nb - 1) may be
     * short; the blocks after it in the order move down by what it lacks.
     * Block slot b - 1 lands at or above index b - 1, so the slots still to
     * be read (below b - 1) are never overwritten.
     */
    uint32_t short_by = (uint32_t)((uint64_t)nb * bs - n);
    uint32_t shift = short_by;
    for (uint32_t b = nb; b > 0; b--) {
        uint32_t blk = perm[b - 1];
        uint32_t first = blk * bs;
        uint32_t len = blk + 1 == nb ? bs - short_by : bs;
        if (blk + 1 == nb) {
            shift = 0;
        }
        uint32_t pos = (b - 1) * bs - shift;
        for (uint32_t i = len; i > 0; i--) {
            perm[pos + i - 1] = first + i - 1;
        }
    }
}

/*
 * What a vertex's last decision to stay proved (see still_stays): staying
 * beat every other choice by margin against the state after round `round`,
 * when the movers' node weights summed to kmoved. margin < 0: nothing.
 */
typedef struct stay_proof {
    double margin;
    double kmoved;
    uint32_t round;
} stay_proof;

/* Scratch of one local-moving call, pieces of one block kept for the run. */
typedef struct lm_scratch {
    uint32_t *perm;
    uint32_t *queue;
    uint32_t *stamp; /* round in which each community last changed */
    uint32_t *movers;
    uint32_t *mark;  /* round in which each vertex was last decided in parallel */
    uint32_t *moved; /* round in which each vertex last moved */
    uint32_t *size;  /* members per community */
    uint32_t *empty; /* stack of the labels of empty communities */
    unsigned char *active;
    decision *dec;
    uint32_t *retry;
    stay_proof *proof;
} lm_scratch;

/* Carve the scratch from the run's local-moving block (see pg_cslot). */
static int lm_alloc(lm_scratch *s, uint32_t n, uint32_t batch, pg_cwork *wk)
{
    enum { WORD_ARRAYS = 8, PIECES = WORD_ARRAYS + 4 };
    size_t nn = n ? n : 1, words = nn * sizeof(uint32_t), sizes[PIECES];
    for (int i = 0; i < WORD_ARRAYS; i++) {
        sizes[i] = words;
    }
    sizes[WORD_ARRAYS] = nn;
    sizes[WORD_ARRAYS + 1] = batch * sizeof(decision);
    sizes[WORD_ARRAYS + 2] = batch * sizeof(uint32_t);
    sizes[WORD_ARRAYS + 3] = nn * sizeof(stay_proof);
    void *piece[PIECES];
    memset(s, 0, sizeof(*s));
    int err = pg_community__scratch(wk, PG_CSLOT_LOCAL_MOVE, "local moving scratch", PIECES, sizes,
                                    piece);
    if (err) {
        return err;
    }
    uint32_t **word[WORD_ARRAYS] = {&s->perm, &s->queue, &s->stamp, &s->movers,
                                    &s->mark, &s->moved, &s->size,  &s->empty};
    for (int i = 0; i < WORD_ARRAYS; i++) {
        *word[i] = piece[i];
    }
    s->active = piece[WORD_ARRAYS];
    s->dec = piece[WORD_ARRAYS + 1];
    s->retry = piece[WORD_ARRAYS + 2];
    s->proof = piece[WORD_ARRAYS + 3];
    memset(s->stamp, 0, words);
    memset(s->mark, 0, words);
    memset(s->moved, 0, words);
    memset(s->active, 1, nn);
    for (uint32_t v = 0; v < n; v++) {
        s->proof[v].margin = -1.0;
    }
    return PG_OK;
}

/* Shared state of the apply step. */
typedef struct lm_apply {
    const pg_cgraph *g;
    uint32_t *comm;
    double *tot;
    uint32_t *stamp; /* round number in which each community last changed */
    uint32_t *moved; /* round number in which each vertex last moved */
    uint32_t round;
    uint32_t *size;
    uint32_t *empty; /* stack of empty labels, ne of them; the top is used first */
    uint32_t ne;
    uint32_t *movers;
    uint32_t nm;
    double gain;
    pg_cwork *wk;
    double r;
    int shortcut;   /* see surely_stays and still_stays */
    uint32_t *mark; /* see lm_scratch */
    stay_proof *proof;
    double kmoved;   /* node weight of every move so far, summed in apply order */
    double total_nw; /* node weight of the whole graph */
} lm_apply;

/*
 * Whether v's last proof to stay still holds, so that best_move would keep
 * it too. Since the proof, each neighbour u that moved changed v's weight
 * to at most two communities by w(u, v) (however often it moved: only where
 * it was and where it is count), which lowers the margin by at most
 * 2 w(u, v); and every move anywhere changed at most two totals by the
 * mover's node weight k, which lowers it by at most 2 r k_v k. When what is
 * left exceeds the rounding allowance, every other choice (the empty
 * community included) still gains less than staying, and a tie would keep
 * v anyway. High-degree vertices (a payment graph's merchants, the dense
 * nodes of aggregated levels) are re-activated in nearly every pass by one
 * of their many neighbours; this test reads moved[] along the row and stops
 * as soon as the margin is used up, where best_move scatters the whole row.
 */
static int still_stays(const lm_apply *a, uint32_t v)
{
    const stay_proof *pf = &a->proof[v];
    if (pf->margin <= 0.0) {
        return 0;
    }
    const pg_cgraph *g = a->g;
    double left = pf->margin - 2.0 * a->r * g->nw[v] * (a->kmoved - pf->kmoved);
    const uint32_t *restrict adj = g->adj;
    const double *restrict w = g->w;
    uint32_t c0 = a->comm[v];
    for (int64_t e = g->off[v]; e < g->off[v + 1] && left > 0.0; e++) {
        uint32_t u = adj[e];
        if (a->moved[u] > pf->round && a->comm[u] != c0) {
            left -= 2.0 * (w ? w[e] : 1.0);
        }
    }
    return left > 0.0;
}

/*
 * Keep what v's decision proved (decided against the state after round
 * a->round). The margin is shrunk by a rounding allowance: the sums that
 * best_move compares are made of v's row (at most its strength), of r k_v
 * times a total (at most the graph's node weight, each total off by the
 * rounding of its updates) and of kmoved's own rounding; PG_LM_PROOF_SLACK
 * of their size is far above what 1e9 floating-point additions can lose.
 */
static void keep_proof(const lm_apply *a, uint32_t v, const decision *d)
{
    stay_proof *pf = &a->proof[v];
    if (d->best != a->comm[v] || d->margin <= 0.0) {
        pf->margin = -1.0;
        return;
    }
    double rk = a->r * a->g->nw[v];
    pf->margin = d->margin - PG_LM_PROOF_SLACK * (d->strength + rk * (a->total_nw + a->kmoved));
    pf->kmoved = a->kmoved;
    pf->round = a->round;
}

/* Decide a round in parallel against the frozen state (the next apply_round is round + 1). */
static void decide_batch(const lm_apply *a, decision *dec, const uint32_t *q, uint32_t len)
{
    pg_cwork *wk = a->wk;
    uint32_t id = a->round + 1;
    for (uint32_t i = 0; i < len; i++) {
        a->mark[q[i]] = id;
    }
#pragma omp parallel for num_threads(wk->threads)                                                  \
    schedule(dynamic, 32) if (len >= PG_COMMUNITY_PAR_MIN)
    for (uint32_t i = 0; i < len; i++) {
        uint32_t v = q[i];
        if (a->shortcut && still_stays(a, v)) {
            dec[i] = (decision){.best = a->comm[v]};
            continue;
        }
        size_t t = (size_t)pg_par_thread_id() * wk->cap;
        dec[i] = best_move(a->g, a->comm, a->tot, a->size, a->r, a->shortcut, v, wk->acc + t,
                           wk->list + t, a->mark, id);
        if (a->shortcut) {
            keep_proof(a, v, &dec[i]);
        }
    }
}

/*
 * Move v from c0 to c (LM_EMPTY: the empty community on top of the stack;
 * there is one, since v leaves a community of two or more and labels are
 * below n). A community left empty goes on the stack with total 0.
 */
static void move_vertex(lm_apply *a, uint32_t v, uint32_t c0, uint32_t c)
{
    double kv = a->g->nw[v];
    if (c == LM_EMPTY) {
        c = a->empty[--a->ne];
    }
    /* Kept >= 0 for surely_stays (rounding can go below), and exactly 0 once empty. */
    double left = a->tot[c0] - kv;
    a->tot[c0] = left > 0.0 && a->size[c0] > 1 ? left : 0.0;
    a->tot[c] += kv;
    if (--a->size[c0] == 0) {
        a->empty[a->ne++] = c0;
    }
    a->size[c]++;
    a->comm[v] = c;
    a->stamp[c0] = a->round;
    a->stamp[c] = a->round;
    a->movers[a->nm++] = v;
    a->moved[v] = a->round;
    a->kmoved += kv;
    a->proof[v].margin = -1.0;
}

/*
 * Whether v's move may rest on weights that changed since its decision: one
 * of its two communities changed or one of its neighbours in the round moved
 * before it (too many such neighbours to remember: assumed). A move with no
 * neighbour in the round never is (see the header).
 */
static int stale(const lm_apply *a, const decision *d, uint32_t c0)
{
    if (d->in_round == 0) {
        return 0;
    }
    if (a->stamp[c0] == a->round || (d->best != LM_EMPTY && a->stamp[d->best] == a->round) ||
        d->in_round > LM_NBR) {
        return 1;
    }
    for (uint32_t j = 0; j < d->in_round; j++) {
        if (a->moved[d->nbr[j]] == a->round) {
            return 1;
        }
    }
    return 0;
}

/*
 * Apply one round's decisions serially in order. A stale move goes to
 * `retry` when given (re-decided in parallel by the caller), otherwise it is
 * re-decided here, exactly, against the current state. Returns the retries.
 */
static uint32_t apply_round(lm_apply *a, const decision *dec, const uint32_t *q, uint32_t len,
                            uint32_t *retry)
{
    uint32_t nr = 0;
    ++a->round;
    for (uint32_t i = 0; i < len; i++) {
        uint32_t v = q[i];
        uint32_t c0 = a->comm[v];
        decision d = dec[i];
        if (d.best == c0) {
            continue;
        }
        if (stale(a, &d, c0)) {
            if (retry) {
                retry[nr++] = v;
                continue;
            }
            d = best_move(a->g, a->comm, a->tot, a->size, a->r, a->shortcut, v, a->wk->acc,
                          a->wk->list, NULL, 0);
            if (d.best == c0) {
                continue;
            }
        }
        double kv = a->g->nw[v];
        double to = d.best == LM_EMPTY ? 0.0 : d.w_best - a->r * kv * a->tot[d.best];
        double gain = to - (d.w_cur - a->r * kv * (a->tot[c0] - kv));
        /*
         * A move kept without a check may find v alone by now (the other
         * members of its community left in this round): then there may be
         * no empty label, and leaving would gain nothing but rounding.
         */
        if (gain > 0.0 && (d.best != LM_EMPTY || a->size[c0] > 1)) {
            move_vertex(a, v, c0, d.best);
            a->gain += gain;
        }
    }
    return nr;
}

/*
 * One batch: decide all in parallel, apply; the stale ones are decided again
 * in parallel against the updated state and applied, and what is stale even
 * then is re-decided serially. Two rounds keep the serial share small.
 */
static void run_batch(lm_apply *a, decision *dec, uint32_t *retry, const uint32_t *q, uint32_t len)
{
    decide_batch(a, dec, q, len);
    uint32_t nr = apply_round(a, dec, q, len, retry);
    if (nr > 0) {
        decide_batch(a, dec, retry, nr);
        apply_round(a, dec, retry, nr, NULL);
    }
}

/*
 * Activate for the next pass the neighbours of this pass's movers that lie
 * outside the mover's new community (Leiden's queue rule: a neighbour that
 * shares the new community cannot gain from the move). When half the
 * vertices moved (the first pass from singletons) nearly every vertex has a
 * moved neighbour, so all are activated without reading the movers' rows
 * (on the benchmark graph 98.7% would be).
 */
static void activate_neighbours(unsigned char *active, const uint32_t *movers, uint32_t nm,
                                const pg_cgraph *g, const uint32_t *comm, int threads)
{
    (void)threads; /* used by OpenMP only */
    if ((uint64_t)nm * 2 >= g->n) {
        memset(active, 1, g->n);
        return;
    }
#pragma omp parallel for num_threads(threads) schedule(dynamic, 64) if (nm >= PG_COMMUNITY_PAR_MIN)
    for (uint32_t i = 0; i < nm; i++) {
        uint32_t v = movers[i];
        for (int64_t e = g->off[v]; e < g->off[v + 1]; e++) {
            uint32_t u = g->adj[e];
            if (comm[u] != comm[v]) {
#pragma omp atomic write
                active[u] = 1;
            }
        }
    }
}

int pg_community__local_move(uint32_t *comm, double *tot, int64_t *moves, const pg_cgraph *g,
                             pg_cwork *wk, const pg_cparams *p, uint64_t stream)
{
    uint32_t n = g->n;
    lm_scratch s;
    int err = lm_alloc(&s, n, p->batch, wk);
    if (err) {
        return err;
    }
    for (uint32_t c = 0; c < n; c++) {
        tot[c] = 0.0;
        s.size[c] = 0;
    }
    for (uint32_t v = 0; v < n; v++) {
        tot[comm[v]] += g->nw[v];
        s.size[comm[v]]++;
    }
    lm_apply a = {.g = g,
                  .comm = comm,
                  .tot = tot,
                  .stamp = s.stamp,
                  .moved = s.moved,
                  .size = s.size,
                  .empty = s.empty,
                  .movers = s.movers,
                  .wk = wk,
                  .r = p->r,
                  .shortcut = !p->full_scan,
                  .mark = s.mark,
                  .proof = s.proof};
    for (uint32_t v = 0; v < n; v++) {
        a.total_nw += g->nw[v];
    }
    for (uint32_t c = n; c > 0; c--) {
        if (s.size[c - 1] == 0) {
            s.empty[a.ne++] = c - 1; /* the smallest empty label ends on top */
        }
    }
    permutation(s.perm, n, p->seed, stream);
    *moves = 0;
    for (int pass = 0; pass < p->max_passes; pass++) {
        if (pg_interrupted()) {
            err = pg_error_set(PG_EINTR, "community detection interrupted");
            break;
        }
        uint32_t nq = 0;
        for (uint32_t i = 0; i < n; i++) {
            uint32_t v = s.perm[i];
            if (s.active[v]) {
                s.active[v] = 0;
                s.queue[nq++] = v;
            }
        }
        a.nm = 0;
        a.gain = 0.0;
        for (uint32_t b = 0; b < nq; b += p->batch) {
            run_batch(&a, s.dec, s.retry, s.queue + b, nq - b < p->batch ? nq - b : p->batch);
        }
        *moves += a.nm;
        activate_neighbours(s.active, s.movers, a.nm, g, comm, wk->threads);
        if (a.nm == 0 || a.gain * p->scale < p->min_gain) {
            break;
        }
    }
    return err;
}
