/*
 * String interning and a 64-bit id map, both open addressing with linear
 * probing at a load factor of at most 1/2 (probe sequences stay short even on
 * the skewed key sets of payment data: a few huge merchants, many persons).
 */
#include "core/intern.h"

#include <string.h>

#include "core/alloc.h"
#include "core/error.h"
#include "core/hash.h"
#include "core/par.h"

#define HASH_SEED 0x70617967726170ULL /* fixed: ids must not depend on the run */

void pg_intern_init(pg_intern *t)
{
    memset(t, 0, sizeof(*t));
}

void pg_intern_destroy(pg_intern *t)
{
    pg_free(t->arena);
    pg_free(t->offset);
    pg_free(t->hash);
    pg_table_free(t->slots, t->nslots * sizeof(*t->slots));
    memset(t, 0, sizeof(*t));
}

void pg_intern_clear(pg_intern *t)
{
    t->count = 0;
    t->arena_len = 0;
    if (t->offset) {
        t->offset[0] = 0;
    }
    if (t->slots) {
        memset(t->slots, 0, t->nslots * sizeof(*t->slots));
    }
}

static int rehash(pg_intern *t, size_t nslots)
{
    uint64_t *slots =
        nslots <= SIZE_MAX / sizeof(*slots) ? pg_table_alloc(nslots * sizeof(*slots)) : NULL;
    if (!slots) {
        return pg_error_oom("intern table", nslots * sizeof(*slots));
    }
    for (uint32_t id = 0; id < t->count; id++) {
        uint64_t h = t->hash[id];
        size_t i = (size_t)h & (nslots - 1);
        while (slots[i]) {
            i = (i + 1) & (nslots - 1);
        }
        slots[i] = ((h >> 32) << 32) | ((uint64_t)id + 1);
    }
    pg_table_free(t->slots, t->nslots * sizeof(*t->slots));
    t->slots = slots;
    t->nslots = nslots;
    return 0;
}

/* Room for n strings and `bytes` of arena, without touching the slot table. */
static int grow_storage(pg_intern *t, uint32_t n, size_t bytes)
{
    if (!t->offset) {
        t->offset = pg_calloc(1, sizeof(*t->offset));
        if (!t->offset) {
            return pg_error_oom("intern offsets", sizeof(*t->offset));
        }
    }
    if (n > t->cap) {
        uint64_t *o = pg_realloc(t->offset, ((size_t)n + 1) * sizeof(*o));
        if (!o) {
            return pg_error_oom("intern offsets", ((size_t)n + 1) * sizeof(*o));
        }
        t->offset = o;
        uint64_t *hs = pg_realloc(t->hash, ((size_t)n + 1) * sizeof(*hs));
        if (!hs) {
            return pg_error_oom("intern hashes", ((size_t)n + 1) * sizeof(*hs));
        }
        t->hash = hs;
        t->cap = n;
    }
    if (bytes > t->arena_cap) {
        char *a = pg_realloc(t->arena, bytes);
        if (!a) {
            return pg_error_oom("intern arena", bytes);
        }
        t->arena = a;
        t->arena_cap = bytes;
    }
    return 0;
}

int pg_intern_reserve(pg_intern *t, uint32_t n, size_t bytes)
{
    int err = grow_storage(t, n, bytes);
    if (err < 0) {
        return err;
    }
    size_t want = 16;
    while (want < (size_t)n * 2) {
        want *= 2;
    }
    if (want > t->nslots && (err = rehash(t, want)) < 0) {
        return err;
    }
    return 0;
}

static size_t find_slot(const pg_intern *t, const char *s, size_t len, uint64_t h)
{
    uint64_t tag = h >> 32;
    size_t i = (size_t)h & (t->nslots - 1);
    while (t->slots[i]) {
        uint64_t v = t->slots[i];
        if ((v >> 32) == tag) {
            uint32_t id = (uint32_t)(v & 0xffffffffu) - 1;
            if (pg_intern_len(t, id) == len && pg_key_equal(pg_intern_str(t, id), s, len)) {
                return i;
            }
        }
        i = (i + 1) & (t->nslots - 1);
    }
    return i;
}

/* Strings ahead of the slot filling whose home slots are prefetched. */
#define ADOPT_PREFETCH 8

int pg_intern_adopt(pg_intern *t, char *arena, size_t arena_len, uint64_t *offset, uint32_t count,
                    int threads, uint32_t *repeat)
{
    t->arena = arena;
    t->arena_len = t->arena_cap = arena_len;
    t->offset = offset;
    t->cap = count;
    t->hash = pg_malloc_array((size_t)count + 1, sizeof(*t->hash));
    int err = t->hash ? pg_intern_reserve(t, count, arena_len) : PG_ENOMEM;
    if (err < 0) {
        pg_intern_destroy(t);
        return pg_error_oom("intern table", (size_t)count * 24);
    }
    (void)threads; /* used only by OpenMP pragmas */
#pragma omp parallel for num_threads(threads) schedule(static) if (count >= 65536)
    for (uint32_t id = 0; id < count; id++) {
        t->hash[id] =
            pg_hash_bytes(arena + offset[id], (size_t)(offset[id + 1] - offset[id] - 1), HASH_SEED);
    }
    for (uint32_t id = 0; id < count; id++) {
        if (id + ADOPT_PREFETCH < count) {
            pg_intern_prefetch(t, t->hash[id + ADOPT_PREFETCH]);
        }
        uint64_t h = t->hash[id];
        size_t i = find_slot(t, arena + offset[id], pg_intern_len(t, id), h);
        if (t->slots[i]) {
            *repeat = id;
            pg_intern_destroy(t);
            return PG_EINPUT;
        }
        t->slots[i] = ((h >> 32) << 32) | ((uint64_t)id + 1);
    }
    t->count = count;
    return 0;
}

uint32_t pg_intern_find(const pg_intern *t, const char *s, size_t len)
{
    if (!t->nslots) {
        return PG_INTERN_NONE;
    }
    size_t i = find_slot(t, s, len, pg_hash_bytes(s, len, HASH_SEED));
    return t->slots[i] ? (uint32_t)(t->slots[i] & 0xffffffffu) - 1 : PG_INTERN_NONE;
}

static int append_string(pg_intern *t, const char *s, size_t len)
{
    int err;
    if (t->count == UINT32_MAX - 1) {
        return pg_error_set(PG_ENOMEM, "more than 2^32-2 distinct strings in one dictionary");
    }
    if (!t->offset || t->count + 1 > t->cap || t->arena_len + len + 1 > t->arena_cap) {
        uint32_t n = t->count + 1 > t->cap ? (t->cap ? t->cap * 2 : 64) : t->cap;
        size_t b = t->arena_cap;
        while (t->arena_len + len + 1 > b) {
            b = b ? b * 2 : 1024;
        }
        if ((err = grow_storage(t, n, b)) < 0) {
            return err;
        }
    }
    memcpy(t->arena + t->arena_len, s, len);
    t->arena[t->arena_len + len] = '\0';
    t->arena_len += len + 1;
    t->count++;
    t->offset[t->count] = t->arena_len;
    return 0;
}

uint64_t pg_intern_hash(const char *s, size_t len)
{
    return pg_hash_bytes(s, len, HASH_SEED);
}

int pg_intern_put_hashed(pg_intern *t, const char *s, size_t len, uint64_t h, uint32_t *id,
                         int *is_new)
{
    int err;
    if (((size_t)t->count + 1) * 2 > t->nslots &&
        (err = rehash(t, t->nslots ? t->nslots * 2 : 16)) < 0) {
        return err;
    }
    size_t i = find_slot(t, s, len, h);
    if (t->slots[i]) {
        *id = (uint32_t)(t->slots[i] & 0xffffffffu) - 1;
        if (is_new) {
            *is_new = 0;
        }
        return 0;
    }
    /* storage growth leaves the slot table alone, so slot i stays valid */
    if ((err = append_string(t, s, len)) < 0) {
        return err;
    }
    *id = t->count - 1;
    t->hash[*id] = h;
    t->slots[i] = ((h >> 32) << 32) | ((uint64_t)*id + 1);
    if (is_new) {
        *is_new = 1;
    }
    return 0;
}

int pg_intern_put(pg_intern *t, const char *s, size_t len, uint32_t *id, int *is_new)
{
    return pg_intern_put_hashed(t, s, len, pg_hash_bytes(s, len, HASH_SEED), id, is_new);
}

void pg_idmap_init(pg_idmap *m)
{
    memset(m, 0, sizeof(*m));
}

void pg_idmap_destroy(pg_idmap *m)
{
    pg_table_free(m->keys, m->nslots * sizeof(*m->keys));
    pg_table_free(m->vals, m->nslots * sizeof(*m->vals));
    memset(m, 0, sizeof(*m));
}

size_t pg_idmap__home(const pg_idmap *m, uint64_t key)
{
    return (size_t)pg_hash_u64(key) & (m->nslots - 1);
}

static size_t idmap_slot(const uint64_t *keys, size_t nslots, uint64_t key)
{
    size_t i = (size_t)pg_hash_u64(key) & (nslots - 1);
    while (keys[i] != UINT64_MAX && keys[i] != key) {
        i = (i + 1) & (nslots - 1);
    }
    return i;
}

int pg_idmap_reserve(pg_idmap *m, size_t n)
{
    size_t want = 16;
    while (want < n * 2) {
        want *= 2;
    }
    if (want <= m->nslots) {
        return 0;
    }
    uint64_t *keys = want <= SIZE_MAX / 8 ? pg_table_alloc(want * sizeof(*keys)) : NULL;
    uint32_t *vals = keys ? pg_table_alloc(want * sizeof(*vals)) : NULL;
    if (!vals) {
        pg_table_free(keys, want * sizeof(*keys));
        return pg_error_oom("id map", want * 12);
    }
    memset(keys, 0xff, want * sizeof(*keys));
    for (size_t i = 0; i < m->nslots; i++) {
        if (m->keys[i] != UINT64_MAX) {
            size_t j = idmap_slot(keys, want, m->keys[i]);
            keys[j] = m->keys[i];
            vals[j] = m->vals[i];
        }
    }
    pg_table_free(m->keys, m->nslots * sizeof(*m->keys));
    pg_table_free(m->vals, m->nslots * sizeof(*m->vals));
    m->keys = keys;
    m->vals = vals;
    m->nslots = want;
    return 0;
}

int pg_idmap_put(pg_idmap *m, uint64_t key, uint32_t val, uint32_t *out, int *is_new)
{
    int err;
    if ((m->count + 1) * 2 > m->nslots && (err = pg_idmap_reserve(m, m->count + 1)) < 0) {
        return err;
    }
    size_t i = idmap_slot(m->keys, m->nslots, key);
    if (m->keys[i] == key) {
        *out = m->vals[i];
        if (is_new) {
            *is_new = 0;
        }
        return 0;
    }
    m->keys[i] = key;
    m->vals[i] = val;
    m->count++;
    *out = val;
    if (is_new) {
        *is_new = 1;
    }
    return 0;
}

uint32_t pg_idmap_get(const pg_idmap *m, uint64_t key)
{
    if (!m->nslots) {
        return UINT32_MAX;
    }
    size_t i = idmap_slot(m->keys, m->nslots, key);
    return m->keys[i] == key ? m->vals[i] : UINT32_MAX;
}
