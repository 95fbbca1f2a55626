/* Key set with one-miss lookups (see keyset.h). */
#include "core/keyset.h"

#include <string.h>

#include "core/alloc.h"
#include "core/error.h"
#include "core/hash.h"

/* Keys up to this long live in their slot. */
#define INLINE_KEY 16

void pg_keyset_init(pg_keyset *s)
{
    memset(s, 0, sizeof(*s));
}

void pg_keyset_destroy(pg_keyset *s)
{
    pg_table_free(s->slots, s->nslots * sizeof(pg_keyset_slot));
    pg_free(s->arena);
    memset(s, 0, sizeof(*s));
}

_Static_assert(64 % sizeof(pg_keyset_slot) == 0, "a slot must not span two cache lines");

/* The slots keep the full hash, so growing never reads a key. */
static int rehash(pg_keyset *s, size_t nslots)
{
    pg_keyset_slot *slots = pg_table_alloc(nslots * sizeof(pg_keyset_slot));
    if (!slots) {
        return pg_error_oom("key set", nslots * sizeof(pg_keyset_slot));
    }
    for (size_t k = 0; k < s->nslots; k++) {
        if (s->slots[k].id1) {
            size_t i = (size_t)s->slots[k].hash & (nslots - 1);
            while (slots[i].id1) {
                i = (i + 1) & (nslots - 1);
            }
            slots[i] = s->slots[k];
        }
    }
    pg_table_free(s->slots, s->nslots * sizeof(pg_keyset_slot));
    s->slots = slots;
    s->nslots = nslots;
    return 0;
}

static int same_key(const pg_keyset *s, const pg_keyset_slot *e, const char *key, size_t len)
{
    if (len <= INLINE_KEY) {
        return pg_key_equal(e->head, key, len);
    }
    uint64_t off;
    memcpy(&off, e->head + 8, 8);
    return pg_key_equal(e->head, key, 8) && pg_key_equal(s->arena + off, key, len);
}

/* Fill the empty slot e with key as the next id. */
static int insert(pg_keyset *s, pg_keyset_slot *e, const char *key, size_t len, uint64_t h)
{
    memset(e->head, 0, sizeof(e->head));
    if (len <= INLINE_KEY) {
        memcpy(e->head, key, len);
    } else {
        if (pg_grow((void **)&s->arena, &s->arena_cap, s->arena_len + len, 1) < 0) {
            return pg_error_oom("key set arena", s->arena_len + len);
        }
        uint64_t off = s->arena_len;
        memcpy(s->arena + off, key, len);
        s->arena_len += len;
        memcpy(e->head, key, 8);
        memcpy(e->head + 8, &off, 8);
    }
    e->hash = h;
    e->len = (uint32_t)len;
    e->id1 = ++s->count;
    return 0;
}

int pg_keyset_put(pg_keyset *s, const char *key, size_t len, uint64_t h, uint32_t *id, int *is_new)
{
    int err;
    if (len > UINT32_MAX || s->count == UINT32_MAX - 1) {
        return pg_error_set(PG_ENOMEM, "key set: a key over 4 GiB or more than 2^32-2 keys");
    }
    if (((size_t)s->count + 1) * 2 > s->nslots &&
        (err = rehash(s, s->nslots ? s->nslots * 2 : 16)) < 0) {
        return err;
    }
    size_t i = (size_t)h & (s->nslots - 1);
    for (;; i = (i + 1) & (s->nslots - 1)) {
        pg_keyset_slot *e = &s->slots[i];
        if (!e->id1) {
            if ((err = insert(s, e, key, len, h)) < 0) {
                return err;
            }
            *id = e->id1 - 1;
            *is_new = 1;
            return 0;
        }
        if (e->hash == h && e->len == len && same_key(s, e, key, len)) {
            *id = e->id1 - 1;
            *is_new = 0;
            return 0;
        }
    }
}
