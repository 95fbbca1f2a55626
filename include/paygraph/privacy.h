/*
 * paygraph — pseudonymisation for pooling (DESIGN.md §7).
 *
 * Each institution replaces its account numbers and customer (entity)
 * identifiers by keyed hashes before its file leaves the house; the key is
 * shared only by the working group. The same customer at two institutions
 * gets the same entity pseudonym (both use the same key), while account
 * pseudonyms are bound to their institution and never collide across
 * institutions. Each institution keeps a map pseudonym -> original for its
 * own eyes and re-identifies its own accounts in a pooled report.
 *
 * RULES (stable: changing them breaks linkage with files already shared)
 *  - Normalisation of an identifier (account number or entity token): ASCII
 *    letters are folded to lower case; space, tab, '-', '.', '/' are removed;
 *    every other byte is kept as is (bytes >= 0x80 are not interpreted, so
 *    the rule does not depend on Unicode tables). "DE44 5001-0517" and
 *    "de4450010517" are the same identifier.
 *  - Institution names are kept in the output unchanged. Inside the account
 *    hash the institution is trimmed of surrounding blanks and ASCII case
 *    folded.
 *  - Account pseudonym = HMAC-SHA256(key, "paygraph-acct" NUL len(inst)
 *    inst len(acct) acct), entity pseudonym = HMAC-SHA256(key,
 *    "paygraph-entity" NUL len(token) token), with len as 8-byte big-endian
 *    byte counts (so no choice of names can make two inputs collide).
 *  - Encoding: the first 16 bytes (128 bits) of the MAC in RFC 4648 base32,
 *    lower case, no padding: 26 characters from [a-z2-7].
 *  - An identifier that normalises to nothing stays empty.
 */
#ifndef PAYGRAPH_PRIVACY_H
#define PAYGRAPH_PRIVACY_H

#include "paygraph/common.h"

#ifdef __cplusplus
extern "C" {
#endif

#define PG_KEY_BYTES 32
/* Characters of a pseudonym (base32 of 16 bytes) and its buffer size. */
#define PG_PSEUDONYM_LEN 26
#define PG_PSEUDONYM_BUFSZ 27
/* Environment variable holding the key in hex when no key file is given. */
#define PG_KEY_ENV "PAYGRAPH_KEY"

typedef struct pg_key {
    unsigned char bytes[PG_KEY_BYTES];
} pg_key;

/* A new random key (libsodium randombytes). */
PG_API int pg_key_generate(pg_key *out);

/*
 * Write the key to a new file, mode 0600: a header line "# paygraph key v1"
 * then the key in hex. Refuses to overwrite (PG_EIO when path exists).
 */
PG_API int pg_key_write(const char *path, const pg_key *key);

/*
 * Read a key file (hex or base64 after optional '#' comment lines).
 * Refuses a file that the group or others may read (PG_EINVAL), a wrong
 * length or bad encoding (PG_EINVAL), and an unreadable file (PG_EIO).
 */
PG_API int pg_key_read(pg_key *out, const char *path);

/* Parse a key given as 64 hex digits (the PAYGRAPH_KEY form). */
PG_API int pg_key_parse_hex(pg_key *out, const char *hex);

/* The key from path when not NULL, else from $PAYGRAPH_KEY; PG_EINVAL when neither. */
PG_API int pg_key_load(pg_key *out, const char *path);

/* Overwrite a key in memory (sodium_memzero). */
PG_API void pg_key_wipe(pg_key *key);

/*
 * Normalise s[0..len) into out (cap bytes, NUL-terminated, truncated to
 * fit). Returns the length of the full normalised form.
 */
PG_API size_t pg_normalise_identifier(char *out, size_t cap, const char *s, size_t len);

/*
 * Pseudonyms (out gets PG_PSEUDONYM_LEN characters and a NUL, or "" when
 * the identifier normalises to nothing). Return 1 when out is empty, else 0.
 */
PG_API int pg_pseudonym_account(char out[PG_PSEUDONYM_BUFSZ], const pg_key *key,
                                const char *institution, size_t ilen, const char *account,
                                size_t alen);
PG_API int pg_pseudonym_entity(char out[PG_PSEUDONYM_BUFSZ], const pg_key *key, const char *entity,
                               size_t elen);

/* What a file holds. */
typedef enum pg_file_kind {
    PG_FILE_AUTO = 0, /* decided from the header (or JSON Lines for .jsonl/.ndjson) */
    PG_FILE_TRANSACTIONS,
    PG_FILE_ACCOUNTS,
    PG_FILE_WATCHLIST
} pg_file_kind;

typedef struct pg_pseudonymize_options {
    pg_file_kind kind;
    const char *format;   /* "paygraph" (default) or "amlworld" for transactions */
    const char *map_path; /* write pseudonym -> original here (mode 0600), or NULL */
} pg_pseudonymize_options;

PG_API void pg_pseudonymize_options_init(pg_pseudonymize_options *o);

typedef struct pg_pseudonymize_stats {
    pg_file_kind kind;    /* the kind used */
    uint64_t records;     /* data records written */
    uint64_t identifiers; /* identifiers replaced */
    uint64_t map_entries; /* distinct pseudonyms written to the map */
} pg_pseudonymize_stats;

/*
 * Copy in_path (CSV or JSON Lines, plain or gzip) to out_path with account
 * and entity identifiers replaced by pseudonyms; all other columns pass
 * through byte for byte (CSV fields keep their quoting). Streams in blocks:
 * memory does not grow with the file (except the map's set of pseudonyms
 * already written, which grows with the distinct identifiers). Output files
 * are written atomically (temporary file, then rename).
 * Errors: PG_EINPUT "file:line: reason" for a malformed record (never
 * naming the identifier), PG_EIO, PG_ENOMEM. stats may be NULL.
 */
PG_API int pg_pseudonymize_file(const pg_key *key, const char *in_path, const char *out_path,
                                const pg_pseudonymize_options *o, pg_pseudonymize_stats *stats);

/* A re-identification map read back from a --map file. */
typedef struct pg_reveal_map pg_reveal_map;

PG_API int pg_reveal_map_load(pg_reveal_map **out, const char *path);
PG_API void pg_reveal_map_free(pg_reveal_map *m);
/* The original identifier of a pseudonym, or NULL when the map does not have it. Borrowed. */
PG_API const char *pg_reveal_lookup(const pg_reveal_map *m, const char *pseudonym);

/*
 * Re-identify a JSON report: every string member named "account",
 * "src_account", "dst_account" or "entity" whose value is in the map is
 * replaced by the original; everything else is left as it is. *out gets a
 * new NUL-terminated JSON text (free with pg_reveal_free). *replaced (may
 * be NULL) gets the number of values replaced.
 * Errors: PG_EINPUT when report is not JSON, PG_ENOMEM.
 */
PG_API int pg_reveal_json(char **out, const pg_reveal_map *m, const char *report, size_t len,
                          size_t *replaced);
PG_API void pg_reveal_free(char *text);

#ifdef __cplusplus
}
#endif
#endif
