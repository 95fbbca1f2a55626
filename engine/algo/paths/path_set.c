/*
 * Path sets: the one result type of every path kernel (vertex sequences plus,
 * for temporal kernels, the transaction of each hop), a growable builder the
 * kernels fill per task, and path reconstruction from parent arrays.
 */
#include "paths_internal.h"

#include <string.h>

#include "core/alloc.h"
#include "core/error.h"

void pg_path_set_free(pg_path_set *ps)
{
    if (!ps) {
        return;
    }
    pg_free(ps->off);
    pg_free(ps->vert);
    pg_free(ps->txn);
    pg_free(ps->cost);
    memset(ps, 0, sizeof(*ps));
}

static int grow(void **p, size_t *cap, size_t need, size_t elem)
{
    return need <= *cap ? 0 : pg_grow(p, cap, need, elem);
}

int pg_paths__buf_init(pg_pathbuf *b, int with_txn)
{
    memset(b, 0, sizeof(*b));
    b->with_txn = with_txn;
    if (grow((void **)&b->ps.off, &b->cap_off, 1, sizeof(*b->ps.off)) < 0) {
        return PG_ENOMEM;
    }
    b->ps.off[0] = 0;
    return 0;
}

int pg_paths__buf_push(pg_pathbuf *b, const uint32_t *verts, const uint32_t *txn, int hops,
                       double cost)
{
    pg_path_set *ps = &b->ps;
    size_t hop_end = (size_t)ps->off[ps->count] + (size_t)hops;
    size_t vert_end = hop_end + ps->count + 1;
    if (grow((void **)&ps->off, &b->cap_off, ps->count + 2, sizeof(*ps->off)) < 0 ||
        grow((void **)&ps->cost, &b->cap_cost, ps->count + 1, sizeof(*ps->cost)) < 0 ||
        grow((void **)&ps->vert, &b->cap_verts, vert_end, sizeof(*ps->vert)) < 0 ||
        (b->with_txn && grow((void **)&ps->txn, &b->cap_hops, hop_end, sizeof(*ps->txn)) < 0)) {
        return PG_ENOMEM; /* pg_grow named the buffer */
    }
    memcpy(ps->vert + vert_end - (size_t)hops - 1, verts, ((size_t)hops + 1) * sizeof(*verts));
    if (b->with_txn && hops > 0) {
        memcpy(ps->txn + hop_end - (size_t)hops, txn, (size_t)hops * sizeof(*txn));
    }
    ps->cost[ps->count] = cost;
    ps->off[++ps->count] = (int64_t)hop_end;
    return 0;
}

int pg_paths__buf_append(pg_pathbuf *dst, const pg_path_set *src, size_t limit)
{
    int err;
    for (size_t k = 0; k < src->count; k++) {
        if (dst->ps.count >= limit) {
            dst->ps.truncated = 1;
            return 0;
        }
        int hops = (int)(src->off[k + 1] - src->off[k]);
        const uint32_t *v = src->vert + src->off[k] + k;
        const uint32_t *t = src->txn ? src->txn + src->off[k] : NULL;
        if ((err = pg_paths__buf_push(dst, v, t, hops, src->cost[k])) < 0) {
            return err;
        }
    }
    if (src->truncated) {
        dst->ps.truncated = 1;
    }
    return 0;
}

void pg_paths__buf_finish(pg_path_set *out, pg_pathbuf *b)
{
    *out = b->ps;
    memset(b, 0, sizeof(*b));
}

size_t pg_path_from_parents(uint32_t *path, size_t cap, const uint32_t *parent, uint32_t v)
{
    size_t len = 0;
    for (uint32_t u = v; u != PG_NONE; u = parent[u]) {
        if (len == cap) {
            return 0;
        }
        path[len++] = u;
    }
    for (size_t i = 0; i < len / 2; i++) {
        uint32_t t = path[i];
        path[i] = path[len - 1 - i];
        path[len - 1 - i] = t;
    }
    return len;
}
