/*
 * String interning: maps byte strings to dense 32-bit ids in order of first
 * insertion. Strings live in one arena (NUL-terminated), so an id is all a
 * column needs to store. Open addressing with linear probing over a
 * power-of-two slot table; the table stores (hash tag, id) so that most
 * probes never touch the arena.
 */
#ifndef PG_CORE_INTERN_H
#define PG_CORE_INTERN_H

#include <stddef.h>
#include <stdint.h>

#include "core/prefetch.h"

typedef struct pg_intern {
    char *arena; /* all strings, each followed by NUL */
    size_t arena_len;
    size_t arena_cap;
    uint64_t *offset; /* offset[id] = start of string id in arena; count+1 entries */
    uint64_t *hash;   /* hash[id], kept so that growing the table never rehashes bytes */
    uint32_t count;
    uint32_t cap;    /* capacity of offset[] minus one */
    uint64_t *slots; /* (hash high 32 bits << 32) | (id + 1); 0 = empty */
    size_t nslots;
} pg_intern;

#define PG_INTERN_NONE UINT32_MAX

void pg_intern_init(pg_intern *t);
void pg_intern_destroy(pg_intern *t);

/* Forget every string but keep the memory, so that refilling does not allocate again. */
void pg_intern_clear(pg_intern *t);

/* Reserve room for about n strings of total length bytes (optional). */
int pg_intern_reserve(pg_intern *t, uint32_t n, size_t bytes);

/* Id of s[0..len), inserting it when new. *is_new (may be NULL) tells which. */
int pg_intern_put(pg_intern *t, const char *s, size_t len, uint32_t *id, int *is_new);

/*
 * The hash pg_intern_put uses for s[0..len). A caller that moves a key from
 * one table to another (a chunk's dictionary into the pool's) passes the
 * hash kept in t->hash[id] to pg_intern_put_hashed instead of hashing again.
 */
uint64_t pg_intern_hash(const char *s, size_t len);

/* pg_intern_put with h == pg_intern_hash(s, len) already known. */
int pg_intern_put_hashed(pg_intern *t, const char *s, size_t len, uint64_t h, uint32_t *id,
                         int *is_new);

/* Prefetch the home slot of hash h for a later put or find. A hint: no effect on results. */
PG_PREFETCH_HELPER void pg_intern_prefetch(const pg_intern *t, uint64_t h)
{
    if (t->nslots) {
        PG_PREFETCH(&t->slots[h & (t->nslots - 1)]);
    }
}

/*
 * Make t (empty) the dictionary of `count` distinct strings laid out as
 * t keeps them: arena[0..arena_len) holding each string followed by a NUL,
 * offset[0..count] where each starts (offset[count] == arena_len). Takes
 * ownership of both (pg_malloc'd) on success and on failure. Hashes in
 * parallel, then fills the slots serially; ids are positions, so nothing
 * depends on the thread count. A repeated string is refused: PG_EINPUT
 * with *repeat its id (no message set: the caller names the table).
 */
int pg_intern_adopt(pg_intern *t, char *arena, size_t arena_len, uint64_t *offset, uint32_t count,
                    int threads, uint32_t *repeat);

/* Id of s[0..len), or PG_INTERN_NONE. */
uint32_t pg_intern_find(const pg_intern *t, const char *s, size_t len);

static inline const char *pg_intern_str(const pg_intern *t, uint32_t id)
{
    return t->arena + t->offset[id];
}

static inline size_t pg_intern_len(const pg_intern *t, uint32_t id)
{
    return (size_t)(t->offset[id + 1] - t->offset[id] - 1);
}

/*
 * Map from 64-bit keys to 32-bit values (e.g. (institution, name) -> account).
 * Keys are arbitrary except UINT64_MAX, which marks an empty slot.
 */
typedef struct pg_idmap {
    uint64_t *keys;
    uint32_t *vals;
    size_t nslots;
    size_t count;
} pg_idmap;

void pg_idmap_init(pg_idmap *m);
void pg_idmap_destroy(pg_idmap *m);
int pg_idmap_reserve(pg_idmap *m, size_t n);
/* Insert key -> val unless present; *out gets the stored value. */
int pg_idmap_put(pg_idmap *m, uint64_t key, uint32_t val, uint32_t *out, int *is_new);
/* Value for key, or UINT32_MAX. */
uint32_t pg_idmap_get(const pg_idmap *m, uint64_t key);

/* Home slot of key (the hash pg_idmap_put probes from), for pg_idmap_prefetch. */
size_t pg_idmap__home(const pg_idmap *m, uint64_t key);

/* Prefetch the home slot of key for a later put or get. A hint: no effect on results. */
PG_PREFETCH_HELPER void pg_idmap_prefetch(const pg_idmap *m, uint64_t key)
{
    if (m->nslots) {
        PG_PREFETCH(&m->keys[pg_idmap__home(m, key)]);
    }
}

#endif
