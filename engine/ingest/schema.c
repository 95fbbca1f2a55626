/*
 * Header mapping. A preset is a table of (header name, canonical column);
 * lookups are case-insensitive and ignore surrounding spaces and a UTF-8
 * byte-order mark. Duplicate header names are errors, except where a preset
 * knows them: AMLworld's raw files name both account columns "Account"
 * (pandas renames the second "Account.1"); the first is the payer's.
 */
#include "ingest/schema.h"

#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "core/error.h"

typedef struct alias {
    const char *header;
    int col;
} alias;

static const char *const col_names[PG_COL_COUNT] = {
    "txn_id",      "timestamp",       "amount",      "currency", "src_institution",
    "src_account", "dst_institution", "dst_account", "channel",  "dst_country",
    "reference",   "label",           "(ignored)"};

static const char *const side_names[PG_SCOL_COUNT] = {"institution", "account", "entity", "kind",
                                                      "country",     "opened",  "label"};

static const alias amlworld[] = {
    {"Timestamp", PG_COL_TIMESTAMP},     {"From Bank", PG_COL_SRC_INST},
    {"Account", PG_COL_SRC_ACCT}, /* first "Account"; a second one is the payee's */
    {"To Bank", PG_COL_DST_INST},        {"Account.1", PG_COL_DST_ACCT},
    {"Amount Paid", PG_COL_AMOUNT},      {"Payment Currency", PG_COL_CURRENCY},
    {"Amount Received", PG_COL_IGNORED}, {"Receiving Currency", PG_COL_IGNORED},
    {"Payment Format", PG_COL_CHANNEL},  {"Is Laundering", PG_COL_LABEL},
};

const char *pg_col_name(pg_col c)
{
    return col_names[c];
}

const char *pg_side_col_name(pg_side_col c)
{
    return side_names[c];
}

int pg_schema_known_format(const char *format)
{
    return !strcmp(format, "paygraph") || !strcmp(format, "amlworld") || !strcmp(format, "jsonl") ||
           !strcmp(format, "custom");
}

/* Header field without BOM and surrounding spaces. */
static void trim_field(const pg_field *f, const char **p, size_t *len)
{
    const char *s = f->p;
    size_t n = f->len;
    if (n >= 3 && (unsigned char)s[0] == 0xef && (unsigned char)s[1] == 0xbb &&
        (unsigned char)s[2] == 0xbf) {
        s += 3;
        n -= 3;
    }
    while (n && (*s == ' ' || *s == '\t')) {
        s++;
        n--;
    }
    while (n && (s[n - 1] == ' ' || s[n - 1] == '\t')) {
        n--;
    }
    *p = s;
    *len = n;
}

static int name_is(const char *s, size_t len, const char *name)
{
    return strlen(name) == len && strncasecmp(s, name, len) == 0;
}

static void note_unknown(char *buf, size_t cap, const char *s, size_t len)
{
    size_t used = strlen(buf);
    if (used + len + 3 >= cap) {
        return;
    }
    if (used) {
        buf[used++] = ',';
        buf[used++] = ' ';
    }
    memcpy(buf + used, s, len);
    buf[used + len] = '\0';
}

static int lookup(const char *s, size_t len, const char *format, const pg_column_alias *aliases,
                  size_t n_aliases)
{
    for (size_t i = 0; i < n_aliases; i++) {
        if (name_is(s, len, aliases[i].header)) {
            for (int c = 0; c < PG_COL_IGNORED; c++) {
                if (!strcmp(aliases[i].canonical, col_names[c])) {
                    return c;
                }
            }
        }
    }
    if (!strcmp(format, "amlworld")) {
        for (size_t i = 0; i < sizeof(amlworld) / sizeof(amlworld[0]); i++) {
            if (name_is(s, len, amlworld[i].header)) {
                return amlworld[i].col;
            }
        }
        return -1;
    }
    for (int c = 0; c < PG_COL_IGNORED; c++) {
        if (name_is(s, len, col_names[c])) {
            return c;
        }
    }
    return -1;
}

static int check_required(const pg_colmap *m, const char *path)
{
    static const pg_col required[] = {PG_COL_TIMESTAMP, PG_COL_AMOUNT,   PG_COL_SRC_INST,
                                      PG_COL_SRC_ACCT,  PG_COL_DST_INST, PG_COL_DST_ACCT};
    for (size_t i = 0; i < sizeof(required) / sizeof(required[0]); i++) {
        if (m->index[required[i]] < 0) {
            return pg_error_set(PG_EINPUT, "%s:1: header: required column '%s' is missing", path,
                                col_names[required[i]]);
        }
    }
    return 0;
}

int pg_schema_map_txn(pg_colmap *m, const pg_field *hdr, size_t n, const char *format,
                      const pg_column_alias *aliases, size_t n_aliases, const char *path)
{
    memset(m, 0, sizeof(*m));
    for (int c = 0; c < PG_COL_COUNT; c++) {
        m->index[c] = -1;
    }
    m->n_header = n;
    m->amlworld_time = !strcmp(format, "amlworld");
    for (size_t i = 0; i < n; i++) {
        const char *s;
        size_t len;
        trim_field(&hdr[i], &s, &len);
        int c = lookup(s, len, format, aliases, n_aliases);
        if (c == PG_COL_SRC_ACCT && m->index[PG_COL_SRC_ACCT] >= 0 && !strcmp(format, "amlworld")) {
            c = PG_COL_DST_ACCT; /* the raw file's second "Account" */
        }
        if (c < 0) {
            note_unknown(m->unknown, sizeof(m->unknown), s, len);
            continue;
        }
        if (c == PG_COL_IGNORED) {
            continue;
        }
        if (m->index[c] >= 0) {
            return pg_error_set(PG_EINPUT, "%s:1: column %zu '%.*s': duplicate of column %d", path,
                                i + 1, (int)len, s, m->index[c] + 1);
        }
        m->index[c] = (int)i;
    }
    return check_required(m, path);
}

int pg_schema_map_side(int idx[PG_SCOL_COUNT], const pg_field *hdr, size_t n, int watchlist,
                       const char *path, char *unknown, size_t unknown_cap)
{
    for (int c = 0; c < PG_SCOL_COUNT; c++) {
        idx[c] = -1;
    }
    unknown[0] = '\0';
    for (size_t i = 0; i < n; i++) {
        const char *s;
        size_t len;
        trim_field(&hdr[i], &s, &len);
        int c = -1;
        for (int k = 0; k < PG_SCOL_COUNT; k++) {
            if (name_is(s, len, side_names[k])) {
                c = k;
            }
        }
        if (c < 0 ||
            (watchlist && c != PG_SCOL_INSTITUTION && c != PG_SCOL_ACCOUNT && c != PG_SCOL_LABEL)) {
            note_unknown(unknown, unknown_cap, s, len);
            continue;
        }
        if (idx[c] >= 0) {
            return pg_error_set(PG_EINPUT, "%s:1: column %zu '%.*s': duplicate of column %d", path,
                                i + 1, (int)len, s, idx[c] + 1);
        }
        idx[c] = (int)i;
    }
    if (idx[PG_SCOL_INSTITUTION] < 0 || idx[PG_SCOL_ACCOUNT] < 0) {
        return pg_error_set(PG_EINPUT, "%s:1: header: required column '%s' is missing", path,
                            idx[PG_SCOL_INSTITUTION] < 0 ? "institution" : "account");
    }
    return 0;
}
