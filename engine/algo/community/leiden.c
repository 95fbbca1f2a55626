/*
 * Leiden algorithm (Traag, Waltman & van Eck 2019, "From Louvain to Leiden:
 * guaranteeing well-connected communities", doi:10.1038/s41598-019-41695-z).
 *
 * One iteration: levels of (1) local moving (local_move.c), (2) refinement of
 * every community into well-connected refined communities (refine.c), and
 * (3) aggregation of the *refined* partition, whose nodes start the next
 * level in the community of their parent. A level stops the iteration when
 * local moving leaves every node alone (as in igraph) or refinement cannot
 * shrink the graph. Later iterations start from the previous result, as
 * igraph's n_iterations does.
 *
 * Connectivity: refined communities are connected by construction, so an
 * iteration that ends with local moving leaving every node alone has
 * connected communities (each is one node, i.e. one refined community of the
 * level below). An iteration that ends otherwise (refinement could not
 * shrink the graph, or max_levels) splits every community into its connected
 * parts (components.c with a `within` filter), on the last level's graph.
 * Splitting a community with no edge between its parts never lowers
 * modularity or CPM, so this costs no quality and makes "every community is
 * connected" unconditional.
 *
 * Complexity: O(m) per local-moving pass and per refinement; levels and
 * passes as for Louvain; iterations times that.
 */
#include "algo/community/community_internal.h"

#include <string.h>

#include "core/alloc.h"
#include "core/error.h"
#include "core/rng.h"

/* State of one Leiden iteration; every array has n entries. */
typedef struct leiden_state {
    uint32_t *comm;    /* community of each node of the current level */
    uint32_t *refined; /* refined community of each node of the current level */
    uint32_t *node_of; /* node of the current level holding each input vertex */
    uint32_t *scratch; /* next level's starting communities */
    double *tot;
} leiden_state;

/* Move to the aggregated level: input vertices follow their node, nodes start in their parent. */
static void descend(leiden_state *st, uint32_t n, uint32_t level_n)
{
    for (uint32_t v = 0; v < n; v++) {
        st->node_of[v] = st->refined[st->node_of[v]];
    }
    for (uint32_t v = 0; v < level_n; v++) {
        st->scratch[st->refined[v]] = st->comm[v];
    }
    uint32_t *t = st->comm;
    st->comm = st->scratch;
    st->scratch = t;
}

/*
 * Split every community of the last level into its connected parts, on the
 * level graph. Every node of a level is a refined community of the level
 * below, connected in the input graph, and two nodes are adjacent exactly
 * when an input edge joins them; so a community is connected in the input
 * graph iff its nodes are connected in the level graph, which is far
 * smaller than the input graph.
 */
static int split_disconnected(leiden_state *st, const pg_cgraph *level, int threads)
{
    uint32_t k;
    int err = pg_community__components(st->scratch, &k, level->off, level->adj, level->n, st->comm,
                                       threads);
    if (!err) {
        memcpy(st->comm, st->scratch, (size_t)level->n * sizeof(*st->comm));
    }
    return err;
}

/* One iteration from the partition in membership (labels < n); result back in it. */
static int iterate(uint32_t *membership, int *levels, const pg_cgraph *g, leiden_state *st,
                   pg_cwork *wk, const pg_cparams *p, int it)
{
    uint32_t n = g->n;
    pg_cgraph level = *g, next;
    level.owned = 0;
    int err = PG_OK, connected = 0;
    for (uint32_t v = 0; v < n; v++) {
        st->node_of[v] = v;
        st->comm[v] = membership[v];
    }
    for (int l = 0; l < p->max_levels; l++) {
        uint64_t stream = pg_mix64((uint64_t)it, (uint64_t)l);
        int64_t moves;
        uint32_t kc, kr;
        if ((err =
                 pg_community__local_move(st->comm, st->tot, &moves, &level, wk, p, 2 * stream)) ||
            (err = pg_community__refine(st->refined, &level, st->comm, st->tot, wk, p,
                                        2 * stream + 1)) ||
            (err = pg_community__relabel(st->comm, level.n, &kc)) ||
            (err = pg_community__relabel(st->refined, level.n, &kr))) {
            break;
        }
        ++*levels;
        connected = kc == level.n; /* every community is one node */
        if (kc == level.n || kr == level.n || l + 1 == p->max_levels) {
            break;
        }
        if ((err = pg_community__aggregate(&next, &level, st->refined, kr, wk, p->threads))) {
            break;
        }
        descend(st, n, level.n);
        if (level.owned) {
            pg_community__cgraph_free(&level);
        }
        level = next;
    }
    if (!err && !connected) {
        err = split_disconnected(st, &level, p->threads);
    }
    if (!err) {
        for (uint32_t v = 0; v < n; v++) {
            membership[v] = st->comm[st->node_of[v]];
        }
    }
    if (level.owned) {
        pg_community__cgraph_free(&level);
    }
    return err;
}

int pg_community__leiden(uint32_t *membership, int *levels, const pg_cgraph *g,
                         const uint32_t *initial, pg_cwork *wk, const pg_cparams *p)
{
    uint32_t n = g->n;
    size_t nn = n ? n : 1;
    leiden_state st;
    st.comm = pg_malloc_array(nn, sizeof(*st.comm));
    st.refined = pg_malloc_array(nn, sizeof(*st.refined));
    st.node_of = pg_malloc_array(nn, sizeof(*st.node_of));
    st.scratch = pg_malloc_array(nn, sizeof(*st.scratch));
    st.tot = pg_malloc_array(nn, sizeof(*st.tot));
    int err = PG_OK;
    if (!st.comm || !st.refined || !st.node_of || !st.scratch || !st.tot) {
        err = pg_error_oom("Leiden state", nn * 24);
        goto done;
    }
    for (uint32_t v = 0; v < n; v++) {
        membership[v] = initial ? initial[v] : v;
    }
    *levels = 0;
    for (int it = 0; it < p->iterations && !err; it++) {
        err = iterate(membership, levels, g, &st, wk, p, it);
    }
done:
    pg_free(st.comm);
    pg_free(st.refined);
    pg_free(st.node_of);
    pg_free(st.scratch);
    pg_free(st.tot);
    return err;
}
