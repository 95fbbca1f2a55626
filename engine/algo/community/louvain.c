/*
 * Louvain method (Blondel, Guillaume, Lambiotte & Lefebvre 2008, "Fast
 * unfolding of communities in large networks",
 * doi:10.1088/1742-5468/2008/10/P10008).
 *
 * Levels of (1) local moving until no pass improves the quality by min_gain
 * and (2) aggregation of each community into one node, until a level leaves
 * every node alone or max_levels is reached. Local moving is the
 * deterministic batched scheme of local_move.c; aggregation is aggregate.c.
 * A warm start seeds level 0 with the given partition instead of singletons.
 * After the last level the input vertices get one more local moving from
 * the final partition (refine_vertices below).
 *
 * Complexity: O(m) per pass, typically a handful of passes and 3-6 levels.
 */
#include "algo/community/community_internal.h"

#include <string.h>

#include "core/alloc.h"
#include "core/error.h"
#include "core/rng.h"

/*
 * Local moving of the input vertices from the final partition: a vertex
 * whose best community changed when its node was merged at a later level
 * can only move on level 0 (Rotta & Noack 2011, "Multilevel local search
 * algorithms for modularity clustering", doi:10.1145/1963190.1970376, call
 * this refinement). It never lowers the quality and costs about one pass.
 */
static int refine_vertices(uint32_t *membership, double *tot, const pg_cgraph *g, pg_cwork *wk,
                           const pg_cparams *p)
{
    int64_t moves;
    uint32_t k;
    int err = pg_community__local_move(membership, tot, &moves, g, wk, p,
                                       pg_mix64(0x52656669ULL, (uint64_t)p->max_levels));
    return err ? err : pg_community__relabel(membership, g->n, &k);
}

int pg_community__louvain(uint32_t *membership, int *levels, const pg_cgraph *g,
                          const uint32_t *initial, pg_cwork *wk, const pg_cparams *p)
{
    uint32_t n = g->n;
    size_t nn = n ? n : 1;
    uint32_t *comm = pg_malloc_array(nn, sizeof(*comm));
    double *tot = pg_malloc_array(nn, sizeof(*tot));
    pg_cgraph level = *g, next;
    level.owned = 0;
    int err = PG_OK;
    if (!comm || !tot) {
        err = pg_error_oom("Louvain state", nn * 12);
        goto done;
    }
    for (uint32_t v = 0; v < n; v++) {
        membership[v] = v;
        comm[v] = initial ? initial[v] : v;
    }
    *levels = 0;
    for (int l = 0; l < p->max_levels; l++) {
        int64_t moves;
        if ((err = pg_community__local_move(comm, tot, &moves, &level, wk, p,
                                            pg_mix64(0x4c6f7576ULL, (uint64_t)l))) != PG_OK) {
            break;
        }
        uint32_t k;
        if ((err = pg_community__relabel(comm, level.n, &k)) != PG_OK) {
            break;
        }
        for (uint32_t v = 0; v < n; v++) {
            membership[v] = comm[membership[v]];
        }
        ++*levels;
        if (k == level.n || l + 1 == p->max_levels) {
            break;
        }
        if ((err = pg_community__aggregate(&next, &level, comm, k, wk, p->threads)) != PG_OK) {
            break;
        }
        if (level.owned) {
            pg_community__cgraph_free(&level);
        }
        level = next;
        for (uint32_t v = 0; v < k; v++) {
            comm[v] = v;
        }
    }
    if (!err && *levels > 1) {
        err = refine_vertices(membership, tot, g, wk, p);
    }
done:
    if (level.owned) {
        pg_community__cgraph_free(&level);
    }
    pg_free(comm);
    pg_free(tot);
    return err;
}
