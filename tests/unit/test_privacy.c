/*
 * Pseudonymisation: HMAC-SHA256 wiring against RFC 4231, the documented
 * pseudonym construction rebuilt independently, normalisation rules, key
 * files and PAYGRAPH_KEY, streaming files across block boundaries, linkage of
 * two institutions' files through the pool's entity ids, and re-identification.
 */
#include "test_support.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <sodium.h>

#include "paygraph/paygraph.h"

/* ---------- helpers ---------- */

static void write_text(const char *path, const char *text)
{
    FILE *f = fopen(path, "wb");
    assert_non_null(f);
    fputs(text, f);
    fclose(f);
}

static const char *path_in(const char *dir, const char *name)
{
    static char buf[8][512];
    static int k;
    k = (k + 1) % 8;
    snprintf(buf[k], sizeof(buf[k]), "%s/%s", dir, name);
    return buf[k];
}

static void fixed_key(pg_key *k, unsigned char fill)
{
    memset(k->bytes, fill, sizeof(k->bytes));
    for (size_t i = 0; i < sizeof(k->bytes); i++) {
        k->bytes[i] = (unsigned char)(k->bytes[i] + i);
    }
}

static void hmac(unsigned char out[32], const unsigned char *key, size_t klen,
                 const unsigned char *msg, size_t mlen)
{
    crypto_auth_hmacsha256_state st;
    crypto_auth_hmacsha256_init(&st, key, klen);
    crypto_auth_hmacsha256_update(&st, msg, mlen);
    crypto_auth_hmacsha256_final(&st, out);
}

/* ---------- RFC 4231 ---------- */

static void check_vector(const unsigned char *key, size_t klen, const char *msg, size_t mlen,
                         const char *hex)
{
    unsigned char mac[32];
    char got[65];
    hmac(mac, key, klen, (const unsigned char *)msg, mlen);
    sodium_bin2hex(got, sizeof(got), mac, sizeof(mac));
    assert_string_equal(got, hex);
}

static void test_rfc4231(void **state)
{
    (void)state;
    unsigned char k[131];
    char d[50];
    memset(k, 0x0b, 20);
    check_vector(k, 20, "Hi There", 8,
                 "b0344c61d8db38535ca8afceaf0bf12b881dc200c9833da726e9376c2e32cff7");
    check_vector((const unsigned char *)"Jefe", 4, "what do ya want for nothing?", 28,
                 "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843");
    memset(k, 0xaa, 20);
    memset(d, 0xdd, 50);
    check_vector(k, 20, d, 50, "773ea91e36800e46854db8ebd09181a72959098b3ef8c122d9635514ced565fe");
    for (int i = 0; i < 25; i++) {
        k[i] = (unsigned char)(i + 1);
    }
    memset(d, 0xcd, 50);
    check_vector(k, 25, d, 50, "82558a389a443c0ea4cc819899f2083a85f0faa3e578f8077a2e3ff46729665b");
    memset(k, 0xaa, 131); /* cases 6 and 7: keys longer than a block are hashed first */
    const char *m6 = "Test Using Larger Than Block-Size Key - Hash Key First";
    check_vector(k, 131, m6, strlen(m6),
                 "60e431591ee0b67f0d8a26aacbf5b77f8e0bc6213728c5140546040f0ee37f54");
    const char *m7 = "This is a test using a larger than block-size key and a larger than "
                     "block-size data. The key needs to be hashed before being used by the HMAC "
                     "algorithm.";
    check_vector(k, 131, m7, strlen(m7),
                 "9b09ffa71b942fcb27635fbcd5b0e944bfdc63644f0713938a7f51535c3a35e2");
}

/* ---------- the documented construction, rebuilt ---------- */

/* Base32 (RFC 4648, lower case, no padding) one bit at a time. */
static void ref_base32(char *out, const unsigned char *in, size_t n)
{
    size_t bits = n * 8, k = 0;
    for (size_t pos = 0; pos < bits; pos += 5) {
        unsigned v = 0;
        for (size_t b = pos; b < pos + 5; b++) {
            unsigned bit = b < bits ? (in[b / 8] >> (7 - b % 8)) & 1u : 0u;
            v = (v << 1) | bit;
        }
        out[k++] = "abcdefghijklmnopqrstuvwxyz234567"[v];
    }
    out[k] = '\0';
}

static size_t put_part(unsigned char *buf, size_t at, const char *s, size_t len)
{
    for (int i = 0; i < 8; i++) {
        buf[at + (size_t)i] = (unsigned char)((uint64_t)len >> (56 - 8 * i));
    }
    memcpy(buf + at + 8, s, len);
    return at + 8 + len;
}

static void ref_pseudonym(char out[27], const pg_key *key, const char *inst, const char *norm)
{
    unsigned char msg[512], mac[32];
    size_t n;
    if (inst) {
        memcpy(msg, "paygraph-acct", 14);
        n = put_part(msg, 14, inst, strlen(inst));
    } else {
        memcpy(msg, "paygraph-entity", 16);
        n = 16;
    }
    n = put_part(msg, n, norm, strlen(norm));
    hmac(mac, key->bytes, sizeof(key->bytes), msg, n);
    ref_base32(out, mac, 16);
}

static void test_construction(void **state)
{
    (void)state;
    pg_key key;
    fixed_key(&key, 7);
    char got[PG_PSEUDONYM_BUFSZ], want[27];
    assert_int_equal(pg_pseudonym_account(got, &key, " Bank A ", 8, "DE44 5001-0517", 14), 0);
    ref_pseudonym(want, &key, "bank a", "de4450010517");
    assert_string_equal(got, want);
    assert_int_equal(strlen(got), PG_PSEUDONYM_LEN);
    assert_int_equal(pg_pseudonym_entity(got, &key, "E-ALICE", 7), 0);
    ref_pseudonym(want, &key, NULL, "ealice");
    assert_string_equal(got, want);
    /* an identifier that normalises to nothing stays empty */
    assert_int_equal(pg_pseudonym_entity(got, &key, " -./", 4), 1);
    assert_string_equal(got, "");
}

/* ---------- normalisation ---------- */

static void test_normalise(void **state)
{
    (void)state;
    char out[64];
    assert_int_equal(pg_normalise_identifier(out, sizeof(out), "DE44 5001-0517", 14), 12);
    assert_string_equal(out, "de4450010517");
    assert_int_equal(pg_normalise_identifier(out, sizeof(out), "A.B/C\td-E", 9), 5);
    assert_string_equal(out, "abcde");
    /* bytes >= 0x80 are kept as they are: no Unicode folding */
    assert_int_equal(pg_normalise_identifier(out, sizeof(out), "\xc3\x89t\xc3\xa9", 5), 5);
    assert_string_equal(out, "\xc3\x89t\xc3\xa9");
    /* other punctuation stays: '_' and '#' are part of the identifier */
    pg_normalise_identifier(out, sizeof(out), "AB_12#x", 7);
    assert_string_equal(out, "ab_12#x");
    /* truncation: the full length is returned, the output is NUL-terminated */
    assert_int_equal(pg_normalise_identifier(out, 4, "ABCDEFG", 7), 7);
    assert_string_equal(out, "abc");

    pg_key key;
    fixed_key(&key, 1);
    char a[PG_PSEUDONYM_BUFSZ], b[PG_PSEUDONYM_BUFSZ];
    pg_pseudonym_account(a, &key, "Bank A", 6, "12-34.56/78", 11);
    pg_pseudonym_account(b, &key, "bank a", 6, "12345678", 8);
    assert_string_equal(a, b); /* spellings of one number, institution case */
    pg_pseudonym_account(b, &key, "Bank B", 6, "12345678", 8);
    assert_string_not_equal(a, b); /* same number at another institution */
    pg_pseudonym_entity(b, &key, "12345678", 8);
    assert_string_not_equal(a, b); /* entity and account domains are separate */
    pg_pseudonym_account(a, &key, "Bank A", 6, "1", 1);
    pg_pseudonym_account(b, &key, "Bank A1", 7, "", 0);
    assert_string_equal(b, "");
    pg_pseudonym_account(b, &key, "Bank ", 5, "A1", 2); /* no shifting of bytes across parts */
    assert_string_not_equal(a, b);

    /* identifiers longer than the hashing piece: separators spread over the pieces */
    char longid[1200], plain[1200];
    size_t n = 0, m = 0;
    for (int i = 0; i < 400; i++) {
        longid[n++] = (char)('A' + i % 26);
        longid[n++] = i % 3 ? '-' : ' ';
        plain[m++] = (char)('a' + i % 26);
    }
    pg_pseudonym_entity(a, &key, longid, n);
    pg_pseudonym_entity(b, &key, plain, m);
    assert_string_equal(a, b);
}

/* ---------- keys ---------- */

static void test_key_files(void **state)
{
    (void)state;
    const char *dir = pg_test_tmpdir("privacy_keys");
    const char *kp = path_in(dir, "group.key");
    pg_key k, back;
    assert_int_equal(pg_key_generate(&k), 0);
    assert_int_equal(pg_key_write(kp, &k), 0);
    struct stat st;
    assert_int_equal(stat(kp, &st), 0);
    assert_int_equal(st.st_mode & 0777, 0600);
    assert_true(pg_key_write(kp, &k) < 0); /* never overwritten */
    assert_int_equal(pg_key_read(&back, kp), 0);
    assert_memory_equal(k.bytes, back.bytes, PG_KEY_BYTES);
    assert_int_equal(pg_key_load(&back, kp), 0);
    assert_memory_equal(k.bytes, back.bytes, PG_KEY_BYTES);

    chmod(kp, 0640);
    assert_int_equal(pg_key_read(&back, kp), PG_EINVAL);
    assert_non_null(strstr(pg_error_last(), "read by others"));
    chmod(kp, 0604);
    assert_int_equal(pg_key_read(&back, kp), PG_EINVAL);
    chmod(kp, 0600);

    /* base64 after a comment; wrong length and junk refused */
    const char *b64 = path_in(dir, "b64.key");
    char text[128], enc[64];
    sodium_bin2base64(enc, sizeof(enc), k.bytes, PG_KEY_BYTES, sodium_base64_VARIANT_ORIGINAL);
    snprintf(text, sizeof(text), "# comment\n%s\n", enc);
    write_text(b64, text);
    chmod(b64, 0600);
    assert_int_equal(pg_key_read(&back, b64), 0);
    assert_memory_equal(k.bytes, back.bytes, PG_KEY_BYTES);
    const char *bad = path_in(dir, "bad.key");
    write_text(bad, "0123456789abcdef\n");
    chmod(bad, 0600);
    assert_int_equal(pg_key_read(&back, bad), PG_EINVAL);
    assert_true(pg_key_read(&back, path_in(dir, "missing.key")) < 0);

    /* PAYGRAPH_KEY */
    char hex[65];
    sodium_bin2hex(hex, sizeof(hex), k.bytes, PG_KEY_BYTES);
    setenv(PG_KEY_ENV, hex, 1);
    memset(&back, 0, sizeof(back));
    assert_int_equal(pg_key_load(&back, NULL), 0);
    assert_memory_equal(k.bytes, back.bytes, PG_KEY_BYTES);
    setenv(PG_KEY_ENV, "zz", 1);
    assert_int_equal(pg_key_load(&back, NULL), PG_EINVAL);
    unsetenv(PG_KEY_ENV);
    assert_int_equal(pg_key_load(&back, NULL), PG_EINVAL);
}

/* ---------- files ---------- */

static const char *inst_a_txn =
    "txn_id,timestamp,amount,currency,src_institution,src_account,dst_institution,dst_account,"
    "reference\n"
    "a1,2026-03-01T10:00:00Z,25.00,AUD,Bank A,AC-100,Wallet W,W 9,\"gift, for you\"\n"
    "a2,2026-03-01T11:00:00Z,10.00,AUD,Bank A,ac100,Bank B,B.200,\"say \"\"hi\"\"\"\r\n"
    "a3,2026-03-02T11:00:00Z,7.00,AUD,Bank A,AC-101,Wallet W,W 9,\n";
static const char *inst_a_acc = "institution,account,entity,kind\n"
                                "Bank A,AC-100,CUST-ALICE,person\n"
                                "Bank A,AC-101,CUST-BOB,person\n";
static const char *inst_b_txn =
    "txn_id,timestamp,amount,currency,src_institution,src_account,dst_institution,dst_account,"
    "reference\n"
    "b1,2026-03-03T10:00:00Z,30.00,AUD,Bank B,B-200,Wallet W,W9,school\n"
    "b2,2026-03-03T12:00:00Z,40.00,AUD,Bank B,B-201,Wallet W,W9,\n";
static const char *inst_b_acc = "institution,account,entity,kind\n"
                                "Bank B,B-200,cust alice,person\n"
                                "Bank B,B-201,CUST-CAROL,person\n";

typedef struct two_inst {
    char a_txn[512], a_acc[512], b_txn[512], b_acc[512], a_map[512];
} two_inst;

static void pseudonymise_two(const char *dir, const pg_key *ka, const pg_key *kb, two_inst *t)
{
    write_text(path_in(dir, "a_txn.csv"), inst_a_txn);
    write_text(path_in(dir, "a_acc.csv"), inst_a_acc);
    write_text(path_in(dir, "b_txn.csv"), inst_b_txn);
    write_text(path_in(dir, "b_acc.csv"), inst_b_acc);
    snprintf(t->a_txn, sizeof(t->a_txn), "%s/pa_txn.csv", dir);
    snprintf(t->a_acc, sizeof(t->a_acc), "%s/pa_acc.csv", dir);
    snprintf(t->b_txn, sizeof(t->b_txn), "%s/pb_txn.csv", dir);
    snprintf(t->b_acc, sizeof(t->b_acc), "%s/pb_acc.csv", dir);
    snprintf(t->a_map, sizeof(t->a_map), "%s/a_map.csv", dir);
    pg_pseudonymize_options o;
    pg_pseudonymize_options_init(&o);
    pg_pseudonymize_stats s;
    o.map_path = t->a_map;
    assert_int_equal(pg_pseudonymize_file(ka, path_in(dir, "a_txn.csv"), t->a_txn, &o, &s), 0);
    assert_int_equal(s.kind, PG_FILE_TRANSACTIONS);
    assert_int_equal(s.records, 3);
    assert_int_equal(s.identifiers, 6);
    o.map_path = NULL;
    assert_int_equal(pg_pseudonymize_file(ka, path_in(dir, "a_acc.csv"), t->a_acc, &o, &s), 0);
    assert_int_equal(s.kind, PG_FILE_ACCOUNTS);
    assert_int_equal(s.identifiers, 4);
    assert_int_equal(pg_pseudonymize_file(kb, path_in(dir, "b_txn.csv"), t->b_txn, &o, &s), 0);
    assert_int_equal(pg_pseudonymize_file(kb, path_in(dir, "b_acc.csv"), t->b_acc, &o, &s), 0);
}

static pg_pool *pool_of(const two_inst *t)
{
    const char *txn[] = {t->a_txn, t->b_txn}, *acc[] = {t->a_acc, t->b_acc};
    pg_ingest_options io;
    pg_ingest_options_init(&io);
    io.transactions = txn;
    io.n_transactions = 2;
    io.accounts = acc;
    io.n_accounts = 2;
    io.threads = 1;
    pg_pool *p = NULL;
    int st = pg_pool_ingest(&p, &io);
    if (st < 0) {
        fprintf(stderr, "%s\n", pg_error_last());
    }
    assert_int_equal(st, 0);
    return p;
}

static uint32_t entity_of(const pg_pool *p, const pg_key *k, const char *inst, const char *acct)
{
    char ps[PG_PSEUDONYM_BUFSZ];
    pg_pseudonym_account(ps, k, inst, strlen(inst), acct, strlen(acct));
    uint32_t a = pg_pool_find_account(p, inst, ps);
    assert_int_not_equal(a, PG_NONE);
    pg_account_columns ac;
    pg_pool_accounts(p, &ac);
    return ac.entity[a];
}

static void test_two_institutions_link(void **state)
{
    (void)state;
    const char *dir = pg_test_tmpdir("privacy_link");
    pg_key key, other;
    fixed_key(&key, 3);
    fixed_key(&other, 4);
    two_inst t;
    pseudonymise_two(dir, &key, &key, &t);
    pg_pool *p = pool_of(&t);
    /* AC-100 and ac100 are one account; W 9 (from A) and W9 (from B) are one account */
    assert_int_equal(pg_pool_num_accounts(p), 5);
    assert_int_equal(pg_pool_num_entities(p), 3); /* alice, bob, carol */
    uint32_t alice_a = entity_of(p, &key, "Bank A", "AC-100");
    uint32_t alice_b = entity_of(p, &key, "Bank B", "B-200");
    assert_int_not_equal(alice_a, PG_NONE);
    assert_int_equal(alice_a, alice_b);
    assert_int_not_equal(entity_of(p, &key, "Bank A", "AC-101"), alice_a);
    assert_int_not_equal(entity_of(p, &key, "Bank B", "B-201"), alice_a);
    /* nothing raw in the pool's dictionaries */
    for (uint32_t a = 0; a < pg_pool_num_accounts(p); a++) {
        assert_int_equal(strlen(pg_pool_account_name(p, a)), PG_PSEUDONYM_LEN);
    }
    for (uint32_t e = 0; e < pg_pool_num_entities(p); e++) {
        assert_null(strstr(pg_pool_entity_name(p, e), "CUST"));
        assert_null(strstr(pg_pool_entity_name(p, e), "alice"));
    }
    pg_pool_free(p);

    /* B with another key: Alice no longer links, and B's accounts do not match A's pseudonyms */
    const char *dir2 = pg_test_tmpdir("privacy_link_other");
    pseudonymise_two(dir2, &key, &other, &t);
    p = pool_of(&t);
    assert_int_equal(pg_pool_num_entities(p), 4);
    alice_a = entity_of(p, &key, "Bank A", "AC-100");
    alice_b = entity_of(p, &other, "Bank B", "B-200");
    assert_int_not_equal(alice_a, alice_b);
    assert_int_equal(pg_pool_num_accounts(p), 7); /* Wallet W's account split by the keys */
    pg_pool_free(p);
}

/* Every non-identifier field passes through byte for byte, quotes and line ends included. */
static void test_pass_through(void **state)
{
    (void)state;
    const char *dir = pg_test_tmpdir("privacy_pass");
    pg_key key;
    fixed_key(&key, 5);
    two_inst t;
    pseudonymise_two(dir, &key, &key, &t);
    char *out = pg_test_read_file(t.a_txn, NULL);
    assert_non_null(strstr(out, ",\"gift, for you\"\n"));
    assert_non_null(strstr(out, ",\"say \"\"hi\"\"\"\r\n"));
    assert_non_null(strstr(out, "a1,2026-03-01T10:00:00Z,25.00,AUD,Bank A,"));
    assert_null(strstr(out, "AC-100"));
    assert_null(strstr(out, "ac100"));
    assert_null(strstr(out, "W 9"));
    char ps[PG_PSEUDONYM_BUFSZ];
    pg_pseudonym_account(ps, &key, "Wallet W", 8, "w9", 2);
    assert_non_null(strstr(out, ps));
    free(out);
    struct stat st;
    assert_int_equal(stat(t.a_map, &st), 0);
    assert_int_equal(st.st_mode & 0777, 0600);
    /* the map is deduplicated: AC-100 and ac100 give one entry, first spelling kept */
    char *map = pg_test_read_file(t.a_map, NULL);
    assert_non_null(strstr(map, "kind,institution,pseudonym,original\n"));
    assert_non_null(strstr(map, "\"AC-100\""));
    assert_null(strstr(map, "\"ac100\""));
    int lines = 0;
    for (const char *c = map; *c; c++) {
        lines += *c == '\n';
    }
    assert_int_equal(lines, 1 + 4); /* AC-100, W 9, B.200, AC-101 */
    free(map);
}

static void test_reveal(void **state)
{
    (void)state;
    const char *dir = pg_test_tmpdir("privacy_reveal");
    pg_key key;
    fixed_key(&key, 6);
    two_inst t;
    pseudonymise_two(dir, &key, &key, &t);
    char a100[PG_PSEUDONYM_BUFSZ], b201[PG_PSEUDONYM_BUFSZ], w9[PG_PSEUDONYM_BUFSZ];
    pg_pseudonym_account(a100, &key, "Bank A", 6, "AC-100", 6);
    pg_pseudonym_account(b201, &key, "Bank B", 6, "B-201", 5);
    pg_pseudonym_account(w9, &key, "Wallet W", 8, "W9", 2);
    char report[2048];
    snprintf(report, sizeof(report),
             "{\"rings\":[{\"id\":1,\"accounts\":[{\"institution\":\"Bank A\",\"account\":\"%s\"},"
             "{\"institution\":\"Bank B\",\"account\":\"%s\"}],"
             "\"evidence_paths\":[[{\"src_account\":\"%s\",\"dst_account\":\"%s\","
             "\"note\":\"%s\"}]]}]}",
             a100, b201, a100, b201, a100);
    pg_reveal_map *m = NULL;
    assert_int_equal(pg_reveal_map_load(&m, t.a_map), 0);
    assert_string_equal(pg_reveal_lookup(m, a100), "AC-100");
    assert_string_equal(pg_reveal_lookup(m, w9),
                        "W 9"); /* A paid W, so W's account is in A's map */
    assert_null(pg_reveal_lookup(m, b201));
    char *out = NULL;
    size_t replaced = 0;
    assert_int_equal(pg_reveal_json(&out, m, report, strlen(report), &replaced), 0);
    assert_int_equal(replaced, 2); /* accounts[].account and src_account; "note" is not touched */
    assert_non_null(strstr(out, "\"account\":\t\"AC-100\""));
    assert_non_null(strstr(out, "\"src_account\":\t\"AC-100\""));
    assert_non_null(strstr(out, b201));
    assert_non_null(strstr(out, a100)); /* the "note" member keeps the pseudonym */
    pg_reveal_free(out);
    assert_int_equal(pg_reveal_json(&out, m, "{nope", 5, NULL), PG_EINPUT);
    pg_reveal_map_free(m);
    write_text(path_in(dir, "notamap.csv"), "a,b\n1,2\n");
    assert_int_equal(pg_reveal_map_load(&m, path_in(dir, "notamap.csv")), PG_EINPUT);
}

/* Bad input: an error naming file:line, never the identifier, and no output left behind. */
static void test_bad_input(void **state)
{
    (void)state;
    const char *dir = pg_test_tmpdir("privacy_bad");
    pg_key key;
    fixed_key(&key, 8);
    const char *in = path_in(dir, "bad.csv"), *out = path_in(dir, "out.csv");
    write_text(in, "institution,account,entity\nBank A,SECRET-1,E1\nBank A,SECRET-2\n");
    assert_int_equal(pg_pseudonymize_file(&key, in, out, NULL, NULL), PG_EINPUT);
    assert_non_null(strstr(pg_error_last(), "bad.csv:3"));
    assert_null(strstr(pg_error_last(), "SECRET"));
    assert_int_equal(access(out, F_OK), -1);
    write_text(in, "institution,account,entity\nBank A,\"SECRET-3,E1\n");
    assert_int_equal(pg_pseudonymize_file(&key, in, out, NULL, NULL), PG_EINPUT);
    assert_null(strstr(pg_error_last(), "SECRET"));
    assert_int_equal(access(out, F_OK), -1);
    write_text(in, "");
    assert_int_equal(pg_pseudonymize_file(&key, in, out, NULL, NULL), PG_EINPUT);
    write_text(in, "{\"src_account\":\"SECRET-4\"\n");
    const char *jl = path_in(dir, "bad.jsonl");
    rename(in, jl);
    assert_int_equal(pg_pseudonymize_file(&key, jl, out, NULL, NULL), PG_EINPUT);
    assert_non_null(strstr(pg_error_last(), "bad.jsonl:1"));
    assert_int_equal(access(out, F_OK), -1);
}

/* A file much larger than one block: every row right, whatever the block cuts. */
static void test_streaming(void **state)
{
    (void)state;
    const char *dir = pg_test_tmpdir("privacy_stream");
    pg_key key;
    fixed_key(&key, 9);
    const char *in = path_in(dir, "big.csv"), *out = path_in(dir, "big_p.csv");
    FILE *f = fopen(in, "wb");
    assert_non_null(f);
    fputs("institution,account,entity,kind\n", f);
    const int rows = getenv("PG_SANITIZED") ? 20000 : 60000;
    for (int i = 0; i < rows; i++) {
        fprintf(f, "Bank %d,ACC-%08d,\"ent\n%d\",person\n", i % 7, i, i % 1000);
    }
    fclose(f);
    pg_pseudonymize_stats s;
    assert_int_equal(pg_pseudonymize_file(&key, in, out, NULL, &s), 0);
    assert_int_equal(s.records, (uint64_t)rows);
    assert_int_equal(s.identifiers, 2 * (uint64_t)rows);
    f = fopen(out, "rb");
    assert_non_null(f);
    char line[256];
    assert_non_null(fgets(line, sizeof(line), f));
    for (int i = 0; i < rows; i++) {
        char acct[32], inst[16], ent[16], want[128], ps[PG_PSEUDONYM_BUFSZ], pe[PG_PSEUDONYM_BUFSZ];
        snprintf(acct, sizeof(acct), "ACC-%08d", i);
        snprintf(inst, sizeof(inst), "Bank %d", i % 7);
        snprintf(ent, sizeof(ent), "ent\n%d", i % 1000);
        pg_pseudonym_account(ps, &key, inst, strlen(inst), acct, strlen(acct));
        pg_pseudonym_entity(pe, &key, ent, strlen(ent)); /* the quoted newline is gone with it */
        snprintf(want, sizeof(want), "%s,%s,%s,person\n", inst, ps, pe);
        assert_non_null(fgets(line, sizeof(line), f));
        assert_string_equal(line, want);
    }
    assert_null(fgets(line, sizeof(line), f));
    fclose(f);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_rfc4231),
        cmocka_unit_test(test_construction),
        cmocka_unit_test(test_normalise),
        cmocka_unit_test(test_key_files),
        cmocka_unit_test(test_two_institutions_link),
        cmocka_unit_test(test_pass_through),
        cmocka_unit_test(test_reveal),
        cmocka_unit_test(test_bad_input),
        cmocka_unit_test(test_streaming),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
