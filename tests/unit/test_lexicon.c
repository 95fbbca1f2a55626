/*
 * Reference lexicon: whole-word and phrase matching, case, punctuation and
 * UTF-8 boundaries, the empty bit, configuration errors, allocation
 * failures, and a randomised comparison with a naive matcher.
 */
#include "test_support.h"

#include <stdio.h>
#include <string.h>

#include "../fuzz/lexicon_reference.h"
#include "core/alloc.h"
#include "core/rng.h"
#include "ingest/lexicon.h"
#include "paygraph/common.h"

static uint16_t m(const pg_lexicon *lex, const char *s)
{
    return pg_lexicon_match(lex, s, strlen(s));
}

/* A small lexicon whose bits are known: a=0, b=1, c=2. */
static pg_lexicon *small_lexicon(void)
{
    static const char *const a[] = {"gift", "for you", NULL};
    static const char *const b[] = {"school fees", "school fees due now", "fees", NULL};
    static const char *const c[] = {"pics", "Live Show", "café", NULL};
    const pg_lexicon_category cats[] = {{"a", a}, {"b", b}, {"c", c}};
    pg_lexicon *lex = NULL;
    assert_int_equal(pg_lexicon_from_config(&lex, cats, 3), 0);
    return lex;
}

static void test_whole_words_and_case(void **state)
{
    (void)state;
    pg_lexicon *lex = small_lexicon();
    assert_int_equal(m(lex, "gift"), 1);
    assert_int_equal(m(lex, "GIFT"), 1);
    assert_int_equal(m(lex, "a Gift for mum"), 1);
    assert_int_equal(m(lex, "gifts"), 0);
    assert_int_equal(m(lex, "giftcard"), 0);
    assert_int_equal(m(lex, "regift"), 0);
    assert_int_equal(m(lex, "gift2"), 0); /* digits are word characters */
    assert_int_equal(m(lex, "gift!"), 1); /* punctuation separates words */
    assert_int_equal(m(lex, "(gift)"), 1);
    assert_int_equal(m(lex, "x,gift,y"), 1);
    assert_int_equal(m(lex, "gift\tpics"), 1 | 4);
    assert_int_equal(m(lex, "my-pics"), 4);
    assert_int_equal(m(lex, "nothing here"), 0);
    pg_lexicon_free(lex);
}

static void test_phrases(void **state)
{
    (void)state;
    pg_lexicon *lex = small_lexicon();
    assert_int_equal(m(lex, "for you"), 1);
    assert_int_equal(m(lex, "this is FOR YOU my dear"), 1);
    assert_int_equal(m(lex, "for  you"), 0); /* two spaces */
    assert_int_equal(m(lex, "for-you"), 0);  /* punctuation is not a single space */
    assert_int_equal(m(lex, "for\tyou"), 0);
    assert_int_equal(m(lex, "foryou"), 0);
    assert_int_equal(m(lex, "for yours"), 0);
    assert_int_equal(m(lex, "before you"), 0);
    assert_int_equal(m(lex, "for"), 0);
    assert_int_equal(m(lex, "you for"), 0);
    assert_int_equal(m(lex, "for for you"), 1); /* a failed start does not hide the next */
    assert_int_equal(m(lex, "live show"), 4);   /* term added in mixed case */
    assert_int_equal(m(lex, "live"), 0);
    /* "fees" alone is a term of b, so b is set by either. */
    assert_int_equal(m(lex, "school fees"), 2);
    assert_int_equal(m(lex, "school"), 0);
    assert_int_equal(m(lex, "school fees due"), 2);
    /* The phrase ends the reference: no read past len. */
    const char row[] = "for yous";
    assert_int_equal(pg_lexicon_match(lex, row, 7), 1);
    assert_int_equal(pg_lexicon_match(lex, row, 8), 0);
    assert_int_equal(pg_lexicon_match(lex, "for ", 4), 0);
    pg_lexicon_free(lex);
}

static void test_utf8_is_word(void **state)
{
    (void)state;
    pg_lexicon *lex = small_lexicon();
    assert_int_equal(m(lex, "café"), 4);
    assert_int_equal(m(lex, "CAFé"), 4);  /* ASCII letters fold, é compares exactly */
    assert_int_equal(m(lex, "cafés"), 0); /* é is a word byte: no boundary after it */
    assert_int_equal(m(lex, "giftñ"), 0); /* ñ continues the word */
    assert_int_equal(m(lex, "ñgift"), 0);
    assert_int_equal(m(lex, "\xe2\x80\x9cgift\xe2\x80\x9d"),
                     0); /* curly quotes are bytes >= 0x80 */
    pg_lexicon_free(lex);
}

static void test_empty_bit(void **state)
{
    (void)state;
    pg_lexicon *lex = small_lexicon();
    assert_int_equal(pg_lexicon_match(lex, "", 0), PG_LEX_EMPTY);
    assert_int_equal(pg_lexicon_match(lex, NULL, 0), PG_LEX_EMPTY);
    assert_int_equal(m(lex, "   "), PG_LEX_EMPTY);
    assert_int_equal(m(lex, "-- !! .."), PG_LEX_EMPTY);
    assert_int_equal(m(lex, "x"), 0);
    assert_int_equal(m(lex, "0"), 0);
    assert_int_equal(m(lex, "\xc3\xa9"), 0);
    pg_lexicon_free(lex);
}

static void test_default_lexicon(void **state)
{
    (void)state;
    pg_lexicon *lex = NULL;
    assert_int_equal(pg_lexicon_init_default(&lex), 0);
    assert_int_equal(pg_lexicon_category_count(lex), 7);
    static const char *const names[] = {"gift",    "food",   "school", "medical",
                                        "support", "living", "content"};
    for (int b = 0; b < 7; b++) {
        assert_string_equal(pg_lexicon_category_name(lex, b), names[b]);
        assert_int_equal(pg_lexicon_category_bit(lex, names[b]), b);
    }
    assert_null(pg_lexicon_category_name(lex, 7));
    assert_null(pg_lexicon_category_name(lex, -1));
    assert_int_equal(pg_lexicon_category_bit(lex, "nope"), -1);

    int gift = 1 << 0, food = 1 << 1, school = 1 << 2, medical = 1 << 3, support = 1 << 4,
        living = 1 << 5, content = 1 << 6;
    assert_int_equal(m(lex, "Happy Birthday, love you"), gift);
    assert_int_equal(m(lex, "groceries"), food);
    assert_int_equal(m(lex, "School Fees"), school);
    assert_int_equal(m(lex, "uniform"), school);
    assert_int_equal(m(lex, "medical bills"), medical | living);
    assert_int_equal(m(lex, "hospital"), medical);
    assert_int_equal(m(lex, "family support"), support);
    assert_int_equal(m(lex, "accommodation"), living);
    assert_int_equal(m(lex, "new pics pls"), content);
    assert_int_equal(m(lex, "private cam show"), content);
    assert_int_equal(m(lex, "invoice 4471"), 0);
    assert_int_equal(m(lex, "presentation slides"), 0);
    assert_int_equal(m(lex, ""), PG_LEX_EMPTY);
    pg_lexicon_free(lex);
}

static void test_add_and_config_errors(void **state)
{
    (void)state;
    pg_lexicon *lex = NULL;
    assert_int_equal(pg_lexicon_new(&lex), 0);
    assert_int_equal(m(lex, "anything"), 0);
    assert_int_equal(pg_lexicon_add(lex, "x", "  Hello,  World!  "), 0);
    assert_int_equal(pg_lexicon_term_count(lex), 1);
    int bit = -1;
    assert_string_equal(pg_lexicon_term(lex, 0, &bit), "hello world");
    assert_int_equal(bit, 0);
    assert_null(pg_lexicon_term(lex, 1, NULL));
    assert_int_equal(m(lex, "hello world"), 1);
    assert_int_equal(pg_lexicon_add(lex, "x", "hello world"), 0); /* duplicate: no new term */
    assert_int_equal(pg_lexicon_term_count(lex), 1);
    assert_int_equal(pg_lexicon_add(lex, "x", " ,;- "), PG_EINVAL);
    assert_int_equal(pg_lexicon_add(lex, "", "word"), PG_EINVAL);
    assert_int_equal(pg_lexicon_add(lex, NULL, "word"), PG_EINVAL);
    assert_int_equal(pg_lexicon_category_count(lex), 1);
    char name[16];
    for (int c = 1; c < PG_LEX_MAX_CATEGORIES; c++) {
        snprintf(name, sizeof(name), "cat%d", c);
        assert_int_equal(pg_lexicon_add(lex, name, name), 0);
    }
    assert_int_equal(pg_lexicon_add(lex, "one too many", "w"), PG_EINVAL);
    assert_non_null(strstr(pg_error_last(), "categories"));
    assert_int_equal(m(lex, "cat14 hello world"), (1 << 14) | 1);
    pg_lexicon_free(lex);
    pg_lexicon_free(NULL);

    static const char *const t[] = {"w", NULL};
    const pg_lexicon_category dup[] = {{"a", t}, {"a", t}};
    lex = NULL;
    assert_int_equal(pg_lexicon_from_config(&lex, dup, 2), PG_EINVAL);
    assert_null(lex);
    static const char *const bad[] = {"ok", "...", NULL};
    const pg_lexicon_category nowords[] = {{"a", bad}};
    assert_int_equal(pg_lexicon_from_config(&lex, nowords, 1), PG_EINVAL);
    const pg_lexicon_category empty_cat[] = {{"a", NULL}, {"b", t}};
    assert_int_equal(pg_lexicon_from_config(&lex, empty_cat, 2), 0);
    assert_int_equal(m(lex, "w"), 2); /* bits follow array order even for empty categories */
    pg_lexicon_free(lex);
}

/* Many words force rehashing; every one must still be found. */
static void test_many_terms(void **state)
{
    (void)state;
    pg_lexicon *lex = NULL;
    assert_int_equal(pg_lexicon_new(&lex), 0);
    char w[32];
    for (int i = 0; i < 5000; i++) {
        snprintf(w, sizeof(w), "w%d x%d", i, i % 7);
        assert_int_equal(pg_lexicon_add(lex, (i % 2) ? "odd" : "even", w), 0);
    }
    for (int i = 0; i < 5000; i++) {
        snprintf(w, sizeof(w), "W%d X%d", i, i % 7);
        assert_int_equal(m(lex, w), (i % 2) ? 2 : 1);
        snprintf(w, sizeof(w), "W%d X%d", i, (i + 1) % 7);
        assert_int_equal(m(lex, w), 0);
    }
    pg_lexicon_free(lex);
}

/* Fail each allocation of building the default lexicon in turn: clean error, no leak. */
static void test_allocation_failures(void **state)
{
    (void)state;
    for (long n = 1;; n++) {
        pg_lexicon *lex = NULL;
        pg_alloc_fail_at(n);
        int rc = pg_lexicon_init_default(&lex);
        pg_alloc_fail_at(0);
        if (rc == 0) {
            assert_true(n > 1);
            assert_int_equal(m(lex, "gift"), 1);
            pg_lexicon_free(lex);
            break;
        }
        assert_int_equal(rc, PG_ENOMEM);
        assert_null(lex);
    }
}

/*
 * Random references built from an alphabet of lexicon words, near misses and
 * separators, compared with the naive matcher. Returns how many references
 * had a category bit and how many had the phrase-only bit want_bit, so the
 * caller can check that the comparison exercised what it meant to.
 */
static void compare_random(const pg_lexicon *lex, pg_rng *r, const char *const *pieces, size_t np,
                           int want_bit, long *hits, long *phrase_hits)
{
    char buf[256];
    for (int iter = 0; iter < 100000; iter++) {
        size_t len = 0;
        size_t parts = pg_rng_below(r, 12);
        for (size_t k = 0; k < parts; k++) {
            const char *p = pieces[pg_rng_below(r, np)];
            size_t n = strlen(p);
            if (len + n >= sizeof(buf)) {
                break;
            }
            memcpy(buf + len, p, n);
            len += n;
        }
        int32_t want = ref_lexicon_match(lex, buf, len);
        uint16_t got = pg_lexicon_match(lex, buf, len);
        if (want != (int32_t)got) {
            fail_msg("'%.*s': got %#x, naive %#x", (int)len, buf, got, (unsigned)want);
        }
        *hits += (got & ~PG_LEX_EMPTY) != 0;
        *phrase_hits += (got >> want_bit) & 1;
    }
}

static void test_against_naive_matcher(void **state)
{
    (void)state;
    uint64_t seed = pg_test_seed("lexicon_naive", 4217);
    pg_rng r;
    pg_rng_init(&r, seed, 0);
    pg_lexicon *lex = NULL;
    assert_int_equal(pg_lexicon_init_default(&lex), 0);
    static const char *const words[] = {
        "school", "fees",    "SCHOOL", "Fees", "medical", "bills", "for",  "the", "kids",
        "family", "support", "pics",   "gift", "gifts",   "x",     "é",    " ",   " ",
        " ",      "  ",      ",",      "-",    "\t",      ".",     "live", "caf", "meds",
    };
    long hits = 0, phrase_hits = 0;
    compare_random(lex, &r, words, sizeof(words) / sizeof(words[0]), 4, &hits, &phrase_hits);
    assert_true(hits > 10000);
    /* Only the phrases "for you" (gift) and "for the kids" (support) lack a one-word twin. */
    static const char *const phrase_parts[] = {"for", "FOR", "the", "kids", "you",  " ",
                                               " ",   " ",   "  ",  "-",    "fork", "Kids"};
    long before = hits, gift = 0;
    compare_random(lex, &r, phrase_parts, sizeof(phrase_parts) / sizeof(phrase_parts[0]), 0, &hits,
                   &gift);
    phrase_hits = 0;
    compare_random(lex, &r, phrase_parts, sizeof(phrase_parts) / sizeof(phrase_parts[0]), 4, &hits,
                   &phrase_hits);
    assert_true(hits > before);
    assert_true(gift > 100);
    assert_true(phrase_hits > 10);
    pg_lexicon_free(lex);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_whole_words_and_case),
        cmocka_unit_test(test_phrases),
        cmocka_unit_test(test_utf8_is_word),
        cmocka_unit_test(test_empty_bit),
        cmocka_unit_test(test_default_lexicon),
        cmocka_unit_test(test_add_and_config_errors),
        cmocka_unit_test(test_many_terms),
        cmocka_unit_test(test_allocation_failures),
        cmocka_unit_test(test_against_naive_matcher),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
