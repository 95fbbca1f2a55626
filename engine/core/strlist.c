/* Append-only string list (see strlist.h). */
#include "core/strlist.h"

#include <string.h>

#include "core/alloc.h"
#include "core/error.h"

void pg_strlist_init(pg_strlist *l)
{
    memset(l, 0, sizeof(*l));
}

void pg_strlist_destroy(pg_strlist *l)
{
    pg_free(l->bytes);
    pg_free(l->off);
    memset(l, 0, sizeof(*l));
}

void pg_strlist_clear(pg_strlist *l)
{
    l->n = 0;
    l->len = 0;
}

int pg_strlist_reserve(pg_strlist *l, size_t n, size_t bytes)
{
    if (pg_grow((void **)&l->off, &l->cap_off, l->n + n + 1, sizeof(*l->off)) < 0) {
        return pg_error_oom("string list offsets", (l->n + n + 1) * sizeof(uint64_t));
    }
    if (pg_grow((void **)&l->bytes, &l->cap, l->len + bytes + n + 1, 1) < 0) {
        return pg_error_oom("string list", l->len + bytes + n);
    }
    l->off[l->n] = l->len;
    return PG_OK;
}

void pg_strlist_shrink(pg_strlist *l)
{
    if (!l->off) {
        return;
    }
    char *b = pg_realloc(l->bytes, l->len ? l->len : 1);
    if (b) {
        l->bytes = b;
        l->cap = l->len ? l->len : 1;
    }
    uint64_t *o = pg_realloc(l->off, (l->n + 1) * sizeof(*o));
    if (o) {
        l->off = o;
        l->cap_off = l->n + 1;
    }
}

int pg_strlist_push(pg_strlist *l, const char *s, size_t len)
{
    int err = pg_strlist_reserve(l, 1, len);
    if (err) {
        return err;
    }
    if (len) {
        memcpy(l->bytes + l->len, s, len);
    }
    l->len += len;
    l->bytes[l->len++] = '\0';
    l->off[++l->n] = l->len;
    return PG_OK;
}

int pg_strlist_concat(pg_strlist *l, const pg_strlist *const *parts, size_t k, int threads)
{
    size_t n = 0, len = 0;
    for (size_t i = 0; i < k; i++) {
        n += parts[i]->n;
        len += parts[i]->len; /* NULs included */
    }
    int err = pg_strlist_reserve(l, n, len - n);
    if (err) {
        return err;
    }
    /* part i lands after the parts before it: its strings from s0, its bytes from b0 */
    size_t first = l->n, at = l->len;
    (void)threads; /* used by OpenMP only */
#pragma omp parallel for num_threads(threads > 0 ? threads : 1)                                    \
    schedule(dynamic, 1) if (threads > 1)
    for (size_t i = 0; i < k; i++) {
        size_t s0 = first, b0 = at;
        for (size_t j = 0; j < i; j++) {
            s0 += parts[j]->n;
            b0 += parts[j]->len;
        }
        const pg_strlist *q = parts[i];
        if (q->n) {
            memcpy(l->bytes + b0, q->bytes, q->len);
            for (size_t j = 0; j < q->n; j++) {
                l->off[s0 + j + 1] = b0 + q->off[j + 1];
            }
        }
    }
    l->n += n;
    l->len += len;
    return PG_OK;
}

size_t pg_strlist_memory(const pg_strlist *l)
{
    return l->cap + l->cap_off * sizeof(uint64_t);
}
