/*
 * A set of byte strings with dense ids (in order of first insertion), for
 * lookups that should cost one cache miss. Open addressing with linear
 * probing at a load factor of at most 1/2; each 32-byte slot holds the
 * key's full 64-bit hash, its id, its length and its first 16 bytes, so a
 * key of up to 16 bytes is found or refused by reading its slot alone. A
 * longer key keeps its first 8 bytes in the slot and the whole key in an
 * arena, whose offset takes the slot's other 8 bytes.
 *
 * Against pg_intern (three dependent misses per lookup on a large table:
 * slot, string offset, string bytes) it trades memory, 64 bytes per key at
 * the highest load, for speed; and it keeps no id -> string map, so it is
 * for callers that have the keys elsewhere (the account-key merge of
 * ingest, whose keys stay in the parsed chunks).
 */
#ifndef PG_CORE_KEYSET_H
#define PG_CORE_KEYSET_H

#include <stddef.h>
#include <stdint.h>

#include "core/prefetch.h"

typedef struct pg_keyset_slot {
    uint64_t hash;
    uint32_t id1; /* id + 1; 0 = empty */
    uint32_t len;
    unsigned char head[16]; /* len <= 16: the key; else 8 key bytes, then the arena offset */
} pg_keyset_slot;

typedef struct pg_keyset {
    pg_keyset_slot *slots; /* pg_table_alloc: aligned to a cache line, so no slot spans two */
    size_t nslots;         /* a power of two, or 0 */
    uint32_t count;
    char *arena; /* keys longer than 16 bytes, whole */
    size_t arena_len, arena_cap;
} pg_keyset;

void pg_keyset_init(pg_keyset *s);
void pg_keyset_destroy(pg_keyset *s);

/*
 * Id of key[0..len) with hash h (any hash, the same for equal keys),
 * inserting it with the next id when absent; *is_new says which. Returns 0
 * or PG_ENOMEM (message set).
 */
int pg_keyset_put(pg_keyset *s, const char *key, size_t len, uint64_t h, uint32_t *id, int *is_new);

/* Prefetch the home slot of hash h for a later pg_keyset_put. A hint: no effect on results. */
PG_PREFETCH_HELPER void pg_keyset_prefetch(const pg_keyset *s, uint64_t h)
{
    if (s->nslots) {
        PG_PREFETCH(&s->slots[h & (s->nslots - 1)]);
    }
}

#endif
