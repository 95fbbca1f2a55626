/*
 * Scratch memory and small partition utilities shared by the community
 * kernels: the per-thread dense accumulators, the run's scratch blocks,
 * freeing a level graph, and dense relabelling.
 *
 * The accumulator is a dense array indexed by community label rather than a
 * hash map: one random access per adjacency entry is the cheapest way to sum
 * neighbour-community weights, at 12 bytes per vertex per thread.
 */
#include "algo/community/community_internal.h"

#include <stdint.h>
#include <string.h>

#include "core/alloc.h"
#include "core/error.h"

void pg_community__cgraph_free(pg_cgraph *g)
{
    if (!g) {
        return;
    }
    if (g->owned) {
        pg_free((void *)g->off);
        pg_free((void *)g->adj);
        pg_free((void *)g->w);
    }
    pg_free(g->loop);
    pg_free(g->nw);
    memset(g, 0, sizeof(*g));
}

int pg_community__work_init(pg_cwork *wk, uint32_t cap, int threads)
{
    size_t slots = (size_t)(cap ? cap : 1) * (size_t)threads;
    memset(wk, 0, sizeof(*wk));
    wk->threads = threads;
    wk->cap = cap ? cap : 1;
    wk->acc = pg_malloc_array(slots, sizeof(*wk->acc));
    wk->list = pg_malloc_array(slots, sizeof(*wk->list));
    if (!wk->acc || !wk->list) {
        pg_community__work_free(wk);
        return pg_error_oom("community accumulators", slots * 12);
    }
    for (size_t i = 0; i < slots; i++) {
        wk->acc[i] = -1.0;
    }
    return PG_OK;
}

void pg_community__work_free(pg_cwork *wk)
{
    pg_free(wk->acc);
    pg_free(wk->list);
    for (int i = 0; i < PG_CSLOT_COUNT; i++) {
        pg_free(wk->block[i]);
    }
    memset(wk, 0, sizeof(*wk));
}

/* Bytes a piece takes, so that every piece starts 64-byte aligned. */
static size_t piece_bytes(size_t bytes)
{
    return (bytes + 63) & ~(size_t)63;
}

int pg_community__scratch(pg_cwork *wk, pg_cslot slot, const char *what, int count,
                          const size_t *sizes, void **piece)
{
    size_t bytes = 64; /* room to move the first piece to a 64-byte boundary */
    for (int i = 0; i < count; i++) {
        bytes += piece_bytes(sizes[i]);
    }
    if (wk->block_bytes[slot] < bytes) {
        /* Contents need not survive, so no realloc copy. */
        pg_free(wk->block[slot]);
        wk->block[slot] = pg_malloc(bytes);
        wk->block_bytes[slot] = wk->block[slot] ? bytes : 0;
        if (!wk->block[slot]) {
            return pg_error_oom(what, bytes);
        }
    }
    char *at = (char *)wk->block[slot] + (64 - (uintptr_t)wk->block[slot] % 64) % 64;
    for (int i = 0; i < count; i++) {
        piece[i] = at;
        at += piece_bytes(sizes[i]);
    }
    return PG_OK;
}

int pg_community__relabel(uint32_t *label, uint32_t n, uint32_t *k)
{
    uint32_t *map = pg_malloc_array(n ? n : 1, sizeof(*map));
    if (!map) {
        return pg_error_oom("community relabel map", (size_t)n * 4);
    }
    memset(map, 0xff, (size_t)n * sizeof(*map));
    uint32_t next = 0;
    for (uint32_t v = 0; v < n; v++) {
        uint32_t c = label[v];
        if (map[c] == UINT32_MAX) {
            map[c] = next++;
        }
        label[v] = map[c];
    }
    pg_free(map);
    *k = next;
    return PG_OK;
}
