/*
 * An append-only list of byte strings in one arena (each followed by NUL),
 * indexed by position: no hashing, no deduplication. For per-row strings
 * such as transaction ids, which are stored and shown but never looked up.
 */
#ifndef PG_CORE_STRLIST_H
#define PG_CORE_STRLIST_H

#include <stddef.h>
#include <stdint.h>

typedef struct pg_strlist {
    char *bytes; /* all strings, each followed by NUL */
    size_t len, cap;
    uint64_t *off; /* off[i] = start of string i; n + 1 entries once anything is pushed */
    size_t n, cap_off;
} pg_strlist;

void pg_strlist_init(pg_strlist *l);
void pg_strlist_destroy(pg_strlist *l);

/* Forget every string but keep the memory. */
void pg_strlist_clear(pg_strlist *l);

/* Room for n more strings of total length bytes (NULs not counted). */
int pg_strlist_reserve(pg_strlist *l, size_t n, size_t bytes);

/* Append s[0..len). */
int pg_strlist_push(pg_strlist *l, const char *s, size_t len);

static inline const char *pg_strlist_str(const pg_strlist *l, size_t i)
{
    return l->bytes + l->off[i];
}

static inline size_t pg_strlist_len(const pg_strlist *l, size_t i)
{
    return (size_t)(l->off[i + 1] - l->off[i] - 1);
}

/*
 * Append every string of parts[0..k), in order, as pushing them one by one
 * would; the parts are copied in parallel (threads <= 1: serially).
 */
int pg_strlist_concat(pg_strlist *l, const pg_strlist *const *parts, size_t k, int threads);

/* Release the capacity beyond what is stored (a failed realloc keeps it). */
void pg_strlist_shrink(pg_strlist *l);

/* Bytes held. */
size_t pg_strlist_memory(const pg_strlist *l);

#endif
