/*
 * Multi-source, direction-optimizing breadth-first search.
 *
 * Approach: level-synchronous BFS that switches between a top-down step
 * (frontier vertices push to unvisited neighbours) and a bottom-up step
 * (unvisited vertices look for a neighbour in the frontier) with the
 * heuristic of Beamer, Asanovic & Patterson, "Direction-optimizing
 * breadth-first search", SC 2012, doi:10.1109/SC.2012.50: go bottom-up when
 * the frontier's edges exceed the unexplored edges / alpha, back top-down
 * when the frontier shrinks below n / beta.
 *
 * Determinism: depths are unique. For source and parent each vertex v at
 * depth d+1 takes the smallest key (source index << 32 | parent id) over
 * all its neighbours at depth d. Top-down does this with an atomic minimum;
 * bottom-up scans the (id-sorted) row and stops at the first neighbour whose
 * source is the smallest source in the frontier, which is then the minimum.
 * The frontier's order varies with scheduling; nothing computed depends on it.
 *
 * Complexity: O(n + m) work; each level is one parallel pass.
 */
#include "paths_internal.h"

#include <string.h>

#include "core/alloc.h"
#include "core/error.h"
#include "core/par.h"

/* Frontier entries a thread gathers before one atomic append to the shared queue. */
#define PG_BFS_LOCAL 512

/*
 * Below these sizes a step runs on one thread: forking a team costs more than the
 * work, and spinning threads slow down a shared machine.
 */
#define PG_BFS_PAR_FRONTIER 512
#define PG_BFS_PAR_N 4096

#define KEY(src, u) (((uint64_t)(src) << 32) | (uint64_t)(u))

typedef struct bfs_state {
    uint32_t n;
    pg_nbrs fwd, rev;
    int32_t *depth;
    uint32_t *source;
    uint32_t *parent;
    uint64_t *key;
    uint32_t *cur, *next;
    int64_t cur_len, next_len;
    int64_t next_mf;      /* forward edges of the next frontier (switch heuristic) */
    uint32_t next_minsrc; /* smallest source index in the next frontier */
    int nt;
} bfs_state;

static int64_t row_len(const pg_csr *g, uint32_t v)
{
    return g->offsets[v + 1] - g->offsets[v];
}

static int64_t fwd_len(const bfs_state *s, uint32_t v)
{
    return row_len(s->fwd.a, v) + (s->fwd.b ? row_len(s->fwd.b, v) : 0);
}

static void flush_local(bfs_state *s, uint32_t *buf, int *cnt)
{
    if (*cnt == 0) {
        return;
    }
    int64_t pos = __atomic_fetch_add(&s->next_len, (int64_t)*cnt, __ATOMIC_RELAXED);
    memcpy(s->next + pos, buf, (size_t)*cnt * sizeof(*buf));
    *cnt = 0;
}

/* Top-down: push d+1 to unvisited neighbours of one row. */
static void td_row(bfs_state *s, const pg_csr *g, uint32_t u, int32_t d, uint32_t *buf, int *cnt)
{
    uint64_t k = KEY(s->source[u], u);
    for (int64_t e = g->offsets[u]; e < g->offsets[u + 1]; e++) {
        uint32_t v = g->targets[e];
        int32_t dv = pg_ld32(&s->depth[v]);
        if (dv == -1) {
            if (pg_cas32(&s->depth[v], -1, d + 1)) {
                buf[(*cnt)++] = v;
                if (*cnt == PG_BFS_LOCAL) {
                    flush_local(s, buf, cnt);
                }
            }
            dv = d + 1; /* set by this thread or by the one that won the race */
        }
        if (dv == d + 1) {
            pg_atomic_min_u64(&s->key[v], k);
        }
    }
}

static void step_top_down(bfs_state *s, int32_t d)
{
#pragma omp parallel num_threads(s->nt) if (s->cur_len >= PG_BFS_PAR_FRONTIER)
    {
        uint32_t buf[PG_BFS_LOCAL];
        int cnt = 0;
#pragma omp for schedule(dynamic, 64)
        for (int64_t i = 0; i < s->cur_len; i++) {
            uint32_t u = s->cur[i];
            td_row(s, s->fwd.a, u, d, buf, &cnt);
            if (s->fwd.b) {
                td_row(s, s->fwd.b, u, d, buf, &cnt);
            }
        }
        flush_local(s, buf, &cnt);
    }
    int64_t mf = 0;
    uint32_t ms = UINT32_MAX;
#pragma omp parallel for num_threads(s->nt) schedule(static) reduction(+ : mf) reduction(min : ms) \
    if (s->next_len >= PG_BFS_PAR_N)
    for (int64_t i = 0; i < s->next_len; i++) {
        uint32_t v = s->next[i];
        s->source[v] = (uint32_t)(s->key[v] >> 32);
        s->parent[v] = (uint32_t)s->key[v];
        mf += fwd_len(s, v);
        ms = s->source[v] < ms ? s->source[v] : ms;
    }
    s->next_mf = mf;
    s->next_minsrc = ms;
}

/* Bottom-up scan of one id-sorted row: smallest key among neighbours at depth d. */
static uint64_t bu_row(const bfs_state *s, const pg_csr *g, uint32_t v, int32_t d, uint32_t minsrc,
                       uint64_t best)
{
    for (int64_t e = g->offsets[v]; e < g->offsets[v + 1]; e++) {
        uint32_t u = g->targets[e];
        if (pg_ld32(&s->depth[u]) != d) {
            continue;
        }
        uint64_t k = KEY(s->source[u], u);
        best = k < best ? k : best;
        if (s->source[u] == minsrc) {
            break; /* rows are id-sorted: no later neighbour beats this one */
        }
    }
    return best;
}

static void step_bottom_up(bfs_state *s, int32_t d, uint32_t minsrc)
{
    int64_t mf = 0;
    uint32_t ms = UINT32_MAX;
#pragma omp parallel num_threads(s->nt) if (s->n >= PG_BFS_PAR_N)
    {
        uint32_t buf[PG_BFS_LOCAL];
        int cnt = 0;
#pragma omp for schedule(dynamic, 1024) reduction(+ : mf) reduction(min : ms)
        for (int64_t vi = 0; vi < (int64_t)s->n; vi++) {
            uint32_t v = (uint32_t)vi;
            if (pg_ld32(&s->depth[v]) != -1) {
                continue;
            }
            uint64_t best = bu_row(s, s->rev.a, v, d, minsrc, UINT64_MAX);
            if (s->rev.b) {
                best = bu_row(s, s->rev.b, v, d, minsrc, best);
            }
            if (best == UINT64_MAX) {
                continue;
            }
            pg_st32(&s->depth[v], d + 1);
            s->source[v] = (uint32_t)(best >> 32);
            s->parent[v] = (uint32_t)best;
            mf += fwd_len(s, v);
            ms = s->source[v] < ms ? s->source[v] : ms;
            buf[cnt++] = v;
            if (cnt == PG_BFS_LOCAL) {
                flush_local(s, buf, &cnt);
            }
        }
        flush_local(s, buf, &cnt);
    }
    s->next_mf = mf;
    s->next_minsrc = ms;
}

/* Forward edges and smallest source index of the seeded frontier (later levels: the steps). */
static void seed_stats(bfs_state *s)
{
    s->next_mf = 0;
    s->next_minsrc = UINT32_MAX;
    for (int64_t i = 0; i < s->cur_len; i++) {
        uint32_t u = s->cur[i];
        s->next_mf += fwd_len(s, u);
        s->next_minsrc = s->source[u] < s->next_minsrc ? s->source[u] : s->next_minsrc;
    }
}

static int set_views(bfs_state *s, const pg_csr *out_adj, const pg_csr *in_adj, pg_path_dir dir)
{
    const pg_csr *other = in_adj == out_adj ? NULL : in_adj;
    switch (dir) {
    case PG_DIR_FORWARD:
        s->fwd = (pg_nbrs){out_adj, NULL};
        s->rev = (pg_nbrs){in_adj, NULL};
        return 0;
    case PG_DIR_BACKWARD:
        s->fwd = (pg_nbrs){in_adj, NULL};
        s->rev = (pg_nbrs){out_adj, NULL};
        return 0;
    case PG_DIR_UNDIRECTED:
        s->fwd = (pg_nbrs){out_adj, other};
        s->rev = (pg_nbrs){out_adj, other};
        return 0;
    }
    return pg_error_set(PG_EINVAL, "bfs: unknown direction %d", (int)dir);
}

void pg_bfs_options_init(pg_bfs_options *opts)
{
    memset(opts, 0, sizeof(*opts));
    opts->dir = PG_DIR_FORWARD;
    opts->max_depth = -1;
    opts->alpha = 15.0;
    opts->beta = 18.0;
    opts->direction_opt = 1;
}

void pg_bfs_result_free(pg_bfs_result *r)
{
    if (!r) {
        return;
    }
    pg_free(r->depth);
    pg_free(r->source);
    pg_free(r->parent);
    memset(r, 0, sizeof(*r));
}

static int seed_sources(bfs_state *s, const uint32_t *sources, size_t ns)
{
    for (size_t i = 0; i < ns; i++) {
        uint32_t v = sources[i];
        if (v >= s->n) {
            return pg_error_set(PG_EINVAL, "bfs: source %u >= n = %u", v, s->n);
        }
        if (s->depth[v] == -1) {
            s->depth[v] = 0;
            s->source[v] = (uint32_t)i;
            s->cur[s->cur_len++] = v;
        }
    }
    return 0;
}

static int run_levels(bfs_state *s, const pg_bfs_options *o)
{
    int64_t mu = s->fwd.a->m + (s->fwd.b ? s->fwd.b->m : 0);
    int bottom_up = 0;
    seed_stats(s);
    for (int32_t d = 0; s->cur_len > 0 && (o->max_depth < 0 || d < o->max_depth); d++) {
        if (pg_interrupted()) {
            return pg_error_set(PG_EINTR, "bfs: interrupted at depth %d", (int)d);
        }
        uint32_t minsrc = s->next_minsrc;
        int64_t mf = s->next_mf;
        if (o->direction_opt) {
            if (!bottom_up && (double)mf > (double)mu / o->alpha) {
                bottom_up = 1;
            } else if (bottom_up && (double)s->cur_len < (double)s->n / o->beta) {
                bottom_up = 0;
            }
        }
        mu -= mf;
        s->next_len = 0;
        if (bottom_up) {
            step_bottom_up(s, d, minsrc);
        } else {
            step_top_down(s, d);
        }
        uint32_t *t = s->cur;
        s->cur = s->next;
        s->next = t;
        s->cur_len = s->next_len;
    }
    return 0;
}

int pg_bfs(pg_bfs_result *out, const pg_csr *out_adj, const pg_csr *in_adj, const uint32_t *sources,
           size_t n_sources, const pg_bfs_options *opts)
{
    pg_bfs_options defaults;
    if (!opts) {
        pg_bfs_options_init(&defaults);
        opts = &defaults;
    }
    if (!out_adj || !in_adj || out_adj->n != in_adj->n || (n_sources && !sources)) {
        return pg_error_set(PG_EINVAL, "bfs: need out and in adjacency of the same graph");
    }
    if (n_sources > UINT32_MAX) {
        return pg_error_set(PG_EINVAL, "bfs: too many sources (%zu)", n_sources);
    }
    int err;
    uint32_t n = out_adj->n;
    bfs_state s = {.n = n, .nt = pg_threads_resolve(opts->threads)};
    pg_bfs_result r = {.n = n};
    if ((err = set_views(&s, out_adj, in_adj, opts->dir)) < 0) {
        return err;
    }
    size_t nn = n ? n : 1;
    r.depth = pg_malloc_array(nn, sizeof(*r.depth));
    r.source = pg_malloc_array(nn, sizeof(*r.source));
    r.parent = pg_malloc_array(nn, sizeof(*r.parent));
    s.key = pg_malloc_array(nn, sizeof(*s.key));
    s.cur = pg_malloc_array(nn, sizeof(*s.cur));
    s.next = pg_malloc_array(nn, sizeof(*s.next));
    if (!r.depth || !r.source || !r.parent || !s.key || !s.cur || !s.next) {
        err = pg_error_oom("bfs arrays", nn * 28);
        goto done;
    }
#pragma omp parallel for num_threads(s.nt) schedule(static) if (n >= PG_BFS_PAR_N)
    for (int64_t v = 0; v < (int64_t)n; v++) {
        r.depth[v] = -1;
        r.source[v] = PG_NONE;
        r.parent[v] = PG_NONE;
        s.key[v] = UINT64_MAX;
    }
    s.depth = r.depth;
    s.source = r.source;
    s.parent = r.parent;
    if ((err = seed_sources(&s, sources, n_sources)) < 0 || (err = run_levels(&s, opts)) < 0) {
        goto done;
    }
    *out = r;
    memset(&r, 0, sizeof(r));
done:
    pg_bfs_result_free(&r);
    pg_free(s.key);
    pg_free(s.cur);
    pg_free(s.next);
    return err;
}
