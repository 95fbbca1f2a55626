/*
 * Per-institution re-identification: reads the institution's own map
 * (pseudonym -> original, written by pg_pseudonymize_file) and replaces, in
 * a JSON report, the identifier values found in it. Pseudonyms of other
 * institutions are not in the map and stay as they are, so each
 * institution sees its own customers and nobody else's.
 * Cost: O(map) to load (hash set), O(report) to rewrite.
 */
#include <string.h>

#include <cJSON.h>
#include <sodium.h>

#include "core/alloc.h"
#include "core/error.h"
#include "core/intern.h"
#include "ingest/csv.h"
#include "ingest/reader.h"
#include "paygraph/privacy.h"

struct pg_reveal_map {
    pg_intern pseudonyms; /* pseudonym id i ... */
    char **originals;     /* ... has original originals[i] */
    size_t cap;
};

void pg_reveal_map_free(pg_reveal_map *m)
{
    if (m) {
        for (uint32_t i = 0; m->originals && i < m->pseudonyms.count; i++) {
            pg_free(m->originals[i]);
        }
        pg_free(m->originals);
        pg_intern_destroy(&m->pseudonyms);
        pg_free(m);
    }
}

const char *pg_reveal_lookup(const pg_reveal_map *m, const char *pseudonym)
{
    uint32_t id = pg_intern_find(&m->pseudonyms, pseudonym, strlen(pseudonym));
    return id == PG_INTERN_NONE ? NULL : m->originals[id];
}

static int add_entry(pg_reveal_map *m, pg_field ps, pg_field orig)
{
    uint32_t id;
    int is_new;
    int err =
        pg_grow((void **)&m->originals, &m->cap, (size_t)m->pseudonyms.count + 1, sizeof(char *));
    if (err < 0 || (err = pg_intern_put(&m->pseudonyms, ps.p, ps.len, &id, &is_new)) < 0) {
        return err;
    }
    if (!is_new) {
        return 0; /* a map is deduplicated; a repeat keeps the first original */
    }
    m->originals[id] = pg_strndup(orig.p, orig.len);
    if (!m->originals[id]) {
        /* keep the map consistent for pg_reveal_map_free: an empty original */
        m->originals[id] = NULL;
        return pg_error_oom("map entry", orig.len + 1);
    }
    return 0;
}

static int parse_map(pg_reveal_map *m, const char *path, const char *buf, size_t len)
{
    pg_field f[8];
    pg_scratch scratch = {0};
    pg_csv_record r = {.fields = f, .max_fields = 8};
    const char *p = buf, *end = buf + len;
    uint64_t line = 1;
    int err = 0;
    pg_csv_status st = pg_csv_read(p, end, &r, &scratch, ',');
    if (st == PG_CSV_NOMEM) {
        err = pg_error_oom("map header", len);
    } else if (st != PG_CSV_RECORD || r.n_fields != 4 || f[2].len != 9 ||
               memcmp(f[2].p, "pseudonym", 9)) {
        err = pg_error_set(PG_EINPUT,
                           "%s:1: not a paygraph map (kind,institution,pseudonym,original)", path);
    }
    while (!err) {
        line += r.newlines;
        p += r.consumed;
        st = pg_csv_read(p, end, &r, &scratch, ',');
        if (st == PG_CSV_END) {
            break;
        }
        if (st == PG_CSV_NOMEM) {
            err = pg_error_oom("map row", len);
            break;
        }
        if (st == PG_CSV_MALFORMED || (st == PG_CSV_RECORD && r.n_fields != 4)) {
            err = pg_error_set(PG_EINPUT, "%s:%llu: %s", path, (unsigned long long)line,
                               st == PG_CSV_MALFORMED ? r.why : "a map row has 4 fields");
        } else if (st == PG_CSV_RECORD) {
            err = add_entry(m, f[2], f[3]);
        }
    }
    pg_scratch_free(&scratch);
    return err;
}

int pg_reveal_map_load(pg_reveal_map **out, const char *path)
{
    char *buf = NULL;
    size_t len = 0;
    pg_reveal_map *m = pg_calloc(1, sizeof(*m));
    if (!m) {
        return pg_error_oom("reveal map", sizeof(*m));
    }
    pg_intern_init(&m->pseudonyms);
    int err = pg_read_file(path, &buf, &len);
    if (!err) {
        err = parse_map(m, path, buf, len);
    }
    if (buf) {
        sodium_memzero(buf, len);
    }
    pg_free(buf);
    if (err < 0) {
        pg_reveal_map_free(m);
        return err;
    }
    *out = m;
    return 0;
}

static int is_identifier_name(const char *s)
{
    return s && (!strcmp(s, "account") || !strcmp(s, "src_account") || !strcmp(s, "dst_account") ||
                 !strcmp(s, "entity"));
}

/* Walk the tree; replace identifier strings found in the map. */
static int walk(cJSON *node, const pg_reveal_map *m, size_t *replaced)
{
    for (cJSON *c = node ? node->child : NULL; c; c = c->next) {
        if (cJSON_IsString(c) && is_identifier_name(c->string)) {
            const char *orig = pg_reveal_lookup(m, c->valuestring);
            if (orig) {
                char *copy = cJSON_malloc(strlen(orig) + 1);
                if (!copy) {
                    return pg_error_oom("revealed value", strlen(orig) + 1);
                }
                memcpy(copy, orig, strlen(orig) + 1);
                cJSON_free(c->valuestring);
                c->valuestring = copy;
                (*replaced)++;
            }
        } else if (cJSON_IsObject(c) || cJSON_IsArray(c)) {
            int err = walk(c, m, replaced);
            if (err < 0) {
                return err;
            }
        }
    }
    return 0;
}

int pg_reveal_json(char **out, const pg_reveal_map *m, const char *report, size_t len,
                   size_t *replaced)
{
    size_t count = 0;
    cJSON *root = cJSON_ParseWithLength(report, len);
    if (!root) {
        return pg_error_set(PG_EINPUT, "the report is not valid JSON");
    }
    int err = walk(root, m, &count);
    char *text = err ? NULL : cJSON_Print(root);
    cJSON_Delete(root);
    if (err < 0) {
        return err;
    }
    if (!text) {
        return pg_error_oom("revealed report", len);
    }
    *out = text;
    if (replaced) {
        *replaced = count;
    }
    return 0;
}

void pg_reveal_free(char *text)
{
    cJSON_free(text);
}
