/* CSV tokenizer and splitter: RFC 4180 quirks, line counting, safe cut points. */
#include "test_support.h"

#include <stdlib.h>
#include <string.h>

#include "core/rng.h"
#include "ingest/csv.h"

typedef struct parsed {
    size_t n;
    char f[8][64];
    pg_csv_status st;
    uint32_t newlines;
    size_t consumed;
} parsed;

static parsed read1(const char *text)
{
    pg_field fields[8];
    pg_scratch s = {0};
    pg_csv_record rec = {.fields = fields, .max_fields = 8};
    parsed out;
    memset(&out, 0, sizeof(out));
    out.st = pg_csv_read(text, text + strlen(text), &rec, &s, ',');
    out.n = rec.n_fields;
    out.newlines = rec.newlines;
    out.consumed = rec.consumed;
    for (size_t i = 0; i < rec.n_fields && i < 8 && out.st == PG_CSV_RECORD; i++) {
        memcpy(out.f[i], fields[i].p, fields[i].len < 63 ? fields[i].len : 63);
    }
    pg_scratch_free(&s);
    return out;
}

static void test_plain_and_crlf(void **state)
{
    (void)state;
    parsed p = read1("a,b,c\nnext");
    assert_int_equal(p.st, PG_CSV_RECORD);
    assert_int_equal(p.n, 3);
    assert_string_equal(p.f[2], "c");
    assert_int_equal(p.consumed, 6);
    p = read1("a,b\r\nx");
    assert_int_equal(p.n, 2);
    assert_string_equal(p.f[1], "b");
    assert_int_equal(p.consumed, 5);
    p = read1("last,line");
    assert_int_equal(p.n, 2);
    assert_int_equal(p.newlines, 0);
}

static void test_quotes(void **state)
{
    (void)state;
    parsed p = read1("\"a,b\",\"he said \"\"hi\"\"\",\"multi\nline\"\n");
    assert_int_equal(p.st, PG_CSV_RECORD);
    assert_int_equal(p.n, 3);
    assert_string_equal(p.f[0], "a,b");
    assert_string_equal(p.f[1], "he said \"hi\"");
    assert_string_equal(p.f[2], "multi\nline");
    assert_int_equal(p.newlines, 2);
    p = read1("\"\"\"\"\"\",x\n"); /* a field that is two quotes */
    assert_string_equal(p.f[0], "\"\"");
}

static void test_empty_fields(void **state)
{
    (void)state;
    parsed p = read1(",,\n");
    assert_int_equal(p.n, 3);
    p = read1("a,\n");
    assert_int_equal(p.n, 2);
    assert_string_equal(p.f[1], "");
    p = read1("\n");
    assert_int_equal(p.st, PG_CSV_BLANK);
}

static void test_malformed(void **state)
{
    (void)state;
    parsed p = read1("\"open,never closed\nmore\n");
    assert_int_equal(p.st, PG_CSV_MALFORMED);
    p = read1("\"ab\"cd,x\nnext\n");
    assert_int_equal(p.st, PG_CSV_MALFORMED);
    assert_int_equal(p.consumed, 9); /* recovery skips to the next line */
    p = read1("a\rb,c\n");
    assert_int_equal(p.st, PG_CSV_MALFORMED);
}

/* Reference splitter: walk byte by byte tracking quote state. */
static int is_safe_cut(const char *buf, size_t cut)
{
    int in_q = 0;
    for (size_t i = 0; i < cut; i++) {
        if (buf[i] == '"') {
            in_q = !in_q;
        }
    }
    return !in_q && cut > 0 && buf[cut - 1] == '\n';
}

static void test_split_is_safe_on_random_quoted_data(void **state)
{
    (void)state;
    pg_rng r;
    pg_rng_init(&r, pg_test_seed("csv split", 7), 0);
    const char *pieces[] = {"abc", ",", "\n", "\"q,\nq\"", "\"x\"\"y\"", "12.50", "\r\n"};
    for (int trial = 0; trial < 200; trial++) {
        char buf[4096];
        size_t len = 0;
        while (len < 3000) {
            const char *p = pieces[pg_rng_below(&r, 7)];
            memcpy(buf + len, p, strlen(p));
            len += strlen(p);
        }
        size_t cuts[16];
        int n;
        int at_eof = (int)(trial & 1);
        size_t usable = pg_csv_split(buf, len, at_eof, 8, cuts, &n);
        if (!at_eof) {
            assert_true(usable == 0 || is_safe_cut(buf, usable));
            /* nothing safe was left behind after usable */
            for (size_t c = usable + 1; c <= len; c++) {
                assert_false(is_safe_cut(buf, c));
            }
        } else {
            assert_int_equal(usable, len);
        }
        for (int i = 0; i < n; i++) {
            assert_true(is_safe_cut(buf, cuts[i]));
            assert_true(cuts[i] < usable);
            if (i) {
                assert_true(cuts[i] > cuts[i - 1]);
            }
        }
    }
}

static void test_count_newlines(void **state)
{
    (void)state;
    assert_int_equal(pg_count_newlines("a\nb\n\nc", 6), 3);
    assert_int_equal(pg_count_newlines("", 0), 0);
}

/*
 * Trimming: spaces and tabs go from both ends, nothing else does (other
 * bytes at or below ' ' stay, as do inner blanks), checked against a
 * byte-by-byte definition on every string of up to 4 bytes from an
 * alphabet of blanks, controls and letters.
 */
static void test_field_trim(void **state)
{
    (void)state;
    static const char alphabet[] = {' ', '\t', '\x01', '\n', 'a', '\x7f', (char)0xc3};
    enum { A = sizeof(alphabet), MAXLEN = 4 };
    char buf[MAXLEN];
    for (size_t len = 0; len <= MAXLEN; len++) {
        size_t total = 1;
        for (size_t i = 0; i < len; i++) {
            total *= A;
        }
        for (size_t code = 0; code < total; code++) {
            size_t c = code;
            for (size_t i = 0; i < len; i++, c /= A) {
                buf[i] = alphabet[c % A];
            }
            size_t lo = 0, hi = len;
            while (lo < hi && (buf[lo] == ' ' || buf[lo] == '\t')) {
                lo++;
            }
            while (hi > lo && (buf[hi - 1] == ' ' || buf[hi - 1] == '\t')) {
                hi--;
            }
            pg_field f = pg_field_trim((pg_field){buf, len, 0});
            assert_ptr_equal(f.p, buf + lo);
            assert_int_equal(f.len, hi - lo);
        }
    }
}

/*
 * The parallel splitter gives the serial one's result exactly - usable
 * prefix and every cut - on random quoted data (quoted line ends and
 * doubled quotes, records longer than a piece, data ending inside a quoted
 * field), for 1 to 17 parts and 1, 2 and 4 threads.
 */
static void test_parallel_split_matches_serial(void **state)
{
    (void)state;
    pg_rng r;
    uint64_t seed = pg_test_seed("csv parallel split", 19);
    pg_rng_init(&r, seed, 0);
    const char *pieces[] = {"abc",        ",",     "\n",   "\"q,\nq\"",
                            "\"x\"\"y\"", "12.50", "\r\n", "\"long\n\n\nquoted\n,field\"",
                            "\""};
    static const int threads[3] = {1, 2, 4};
    for (int trial = 0; trial < 300; trial++) {
        char buf[6000];
        size_t len = 0, want = 1 + pg_rng_below(&r, 5000);
        while (len < want) {
            const char *p = pieces[pg_rng_below(&r, trial % 3 ? 8 : 9)];
            memcpy(buf + len, p, strlen(p));
            len += strlen(p);
        }
        int at_eof = (int)(trial & 1), parts = 1 + (int)(trial % 17);
        size_t ref[32], got[32];
        int n_ref, n_got;
        size_t u_ref = pg_csv_split(buf, len, at_eof, parts, ref, &n_ref);
        for (int t = 0; t < 3; t++) {
            size_t u_got = pg_csv__split_pieces(buf, len, at_eof, parts, threads[t], got, &n_got);
            assert_int_equal(u_got, u_ref);
            assert_int_equal(n_got, n_ref);
            for (int i = 0; i < n_ref; i++) {
                assert_int_equal(got[i], ref[i]);
            }
        }
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_plain_and_crlf),
        cmocka_unit_test(test_quotes),
        cmocka_unit_test(test_empty_fields),
        cmocka_unit_test(test_malformed),
        cmocka_unit_test(test_split_is_safe_on_random_quoted_data),
        cmocka_unit_test(test_count_newlines),
        cmocka_unit_test(test_field_trim),
        cmocka_unit_test(test_parallel_split_matches_serial),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
