/* Candidate lists: append with copy, sort and deduplicate. */
#include "algo/rings/candidates.h"

#include <stdlib.h>
#include <string.h>

#include "core/alloc.h"
#include "core/error.h"

void pg_candidates_init(pg_candidates *cs)
{
    memset(cs, 0, sizeof(*cs));
}

void pg_candidates_free(pg_candidates *cs)
{
    for (size_t i = 0; i < cs->n; i++) {
        pg_free(cs->c[i].vertices);
        pg_free(cs->c[i].txn);
    }
    pg_free(cs->c);
    memset(cs, 0, sizeof(*cs));
}

static int cmp_u32(const void *a, const void *b)
{
    uint32_t x = *(const uint32_t *)a, y = *(const uint32_t *)b;
    return (x > y) - (x < y);
}

int pg_candidates_push(pg_candidates *cs, const char *detector, const char *typology,
                       double strength, const uint32_t *vertices, uint32_t n, const uint32_t *txn,
                       uint32_t n_txn)
{
    if (n < 2) {
        return 0;
    }
    if (pg_grow((void **)&cs->c, &cs->cap, cs->n + 1, sizeof(*cs->c)) < 0) {
        return PG_ENOMEM;
    }
    pg_candidate *c = &cs->c[cs->n];
    memset(c, 0, sizeof(*c));
    c->vertices = pg_malloc_array(n, sizeof(uint32_t));
    c->txn = n_txn ? pg_malloc_array(n_txn, sizeof(uint32_t)) : NULL;
    if (!c->vertices || (n_txn && !c->txn)) {
        pg_free(c->vertices);
        pg_free(c->txn);
        return pg_error_oom("ring candidate", (size_t)(n + n_txn) * 4);
    }
    memcpy(c->vertices, vertices, (size_t)n * sizeof(uint32_t));
    qsort(c->vertices, n, sizeof(uint32_t), cmp_u32);
    uint32_t k = 0;
    for (uint32_t i = 0; i < n; i++) {
        if (i == 0 || c->vertices[i] != c->vertices[k - 1]) {
            c->vertices[k++] = c->vertices[i];
        }
    }
    if (k < 2) {
        pg_free(c->vertices);
        pg_free(c->txn);
        return 0;
    }
    if (n_txn) {
        memcpy(c->txn, txn, (size_t)n_txn * sizeof(uint32_t));
    }
    c->n = k;
    c->n_txn = n_txn;
    c->detector = detector;
    c->typology = typology;
    c->strength = strength;
    cs->n++;
    return 0;
}

int pg_candidates_take(pg_candidates *dst, pg_candidates *src)
{
    if (src->n == 0) {
        pg_candidates_free(src);
        return 0;
    }
    if (pg_grow((void **)&dst->c, &dst->cap, dst->n + src->n, sizeof(*dst->c)) < 0) {
        return PG_ENOMEM;
    }
    memcpy(dst->c + dst->n, src->c, src->n * sizeof(*src->c));
    dst->n += src->n;
    pg_free(src->c);
    memset(src, 0, sizeof(*src));
    return 0;
}
