/*
 * Pattern detectors that propose ring candidates: a camouflage-resistant
 * dense payer->beneficiary block (FRAUDAR) and the laundering typologies of
 * synthetic AML benchmarks (fan-in, fan-out, scatter-gather, gather-scatter,
 * cycle). Each detector appends to a pg_candidates; the ring stage merges,
 * scores and explains them. Overlapping groups stay separate candidates.
 */
#ifndef PG_ALGO_RINGS_PATTERNS_H
#define PG_ALGO_RINGS_PATTERNS_H

#include "algo/rings/candidates.h"
#include "paygraph/graph.h"

/* ---- FRAUDAR dense blocks ------------------------------------------------ */

typedef struct pg_fraudar_options {
    /*
     * Column-weight constant c in w(j) = 1 / log(d_j + c). Larger c flattens
     * the weights (popular beneficiaries are discounted less); the paper's
     * c = 5 keeps log positive and damps camouflage towards popular
     * merchants.
     */
    double c;
    /* Blocks to extract (each run removes the found block's edges). */
    uint32_t blocks;
    /* A block needs at least this many payers and this many beneficiaries. */
    uint32_t min_side;
    int threads; /* unused today: the peeling is serial (kept for the API) */
} pg_fraudar_options;

void pg_fraudar_options_init(pg_fraudar_options *o);

/*
 * Find up to o->blocks dense payer->beneficiary blocks of the aggregated
 * graph agg (one binary edge per (src, dst) pair, self-loops ignored) and
 * append each as a candidate (detector "dense-block", typology
 * "offender-payments"; strength 1 - g(all) / g(block), the block's density
 * advantage over the whole graph). When tv is not NULL the block's
 * transactions (payer in block, beneficiary in block) are attached.
 * Deterministic (serial peeling, ties by vertex id).
 * Errors: PG_EINVAL, PG_ENOMEM; out is unchanged on error.
 * Complexity O(blocks * m log n).
 */
int pg_rings__fraudar(pg_candidates *out, const pg_agg *agg, const pg_tview *tv,
                      const pg_fraudar_options *o);

/* ---- laundering typologies ---------------------------------------------- */

typedef struct pg_typology_options {
    /*
     * Burst window (seconds; default 10 days). The published typologies
     * complete within days to two weeks; longer windows catch slower
     * layering but let ordinary accounts accumulate enough fresh contacts to
     * look like a burst. It also decides "standing relationship": a pair
     * that transacts again more than a window later is not fresh.
     */
    int64_t window;
    /*
     * Minimum fresh counterparties for fan-in / fan-out (default 4). Lower
     * finds smaller attempts; chance bursts grow roughly as rate^k.
     */
    uint32_t min_fan;
    /*
     * Minimum intermediates (scatter-gather), payers and payees
     * (gather-scatter), sources and sinks (bipartite); default 3, >= 2.
     */
    uint32_t min_flow;
    /*
     * Longest cycle in hops (default 6, 3..64) and the expansions allowed
     * per start vertex (default 20000): the budget bounds the cost on dense
     * windows at the risk of missing cycles there.
     */
    uint32_t max_cycle;
    uint32_t cycle_budget;
    /*
     * A fan or gather-scatter must exceed the account's own rate of fresh
     * contacts per window by this factor (default 3): ratio = k / (1 +
     * baseline). Higher silences busy accounts (merchants) at the cost of
     * missing laundering through accounts that routinely meet new people.
     */
    double min_ratio;
    /*
     * Strength of a fan-in whose sink passes nothing on to fresh
     * counterparties within the window is scaled down to this floor
     * (default 0.25; fundraisers collect, mules pass money on); in between
     * it scales with the share passed on. 1 disables the damping.
     */
    double no_forward_floor;
    /*
     * Per vertex, 1 for a point of sale (an account the accounts file calls a
     * merchant): a payment to it is a purchase, not a hop between accounts,
     * and is never a fresh contact. NULL: no vertex is one.
     */
    const uint8_t *point_of_sale;
    int threads; /* <= 0: the CPUs available */
} pg_typology_options;

void pg_typology_options_init(pg_typology_options *o);

/*
 * Detect laundering typologies on the temporal view tv and append one
 * candidate per match (detector "typology"; typology "fan-in", "fan-out",
 * "scatter-gather", "gather-scatter", "cycle", "bipartite" or "stack").
 * Only fresh contacts take part: the first transaction on a (src, dst) pair
 * when the pair does not transact again more than a window later. Output
 * order: by anchor vertex, then typology, then time: the same for any
 * thread count. Overlapping matches stay separate candidates.
 * Errors: PG_EINVAL, PG_ENOMEM; out is unchanged on error.
 * Strength: 1 - exp(-(ratio - 1) / 3) for fans and gather-scatter (ratio as
 * in min_ratio); the same map of 1 + the number of intermediates
 * (scatter-gather), hops (cycle) or half the edges (bipartite, stack).
 * Complexity: O(m) for the fresh-contact pass and fans, plus the bounded
 * two-hop and cycle searches over fresh contacts in windows.
 */
int pg_rings__typologies(pg_candidates *out, const pg_tview *tv, const pg_typology_options *o);

#endif
