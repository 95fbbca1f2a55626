/*
 * Fuzz target for pg_lexicon_match.
 *
 * The input is a payment reference matched against the default lexicon and
 * against a small lexicon built from the first line of the input (each
 * ';'-separated field a term of its own category). Properties:
 *  - the result equals the naive matcher's (lexicon_reference.h);
 *  - only bits of existing categories, or PG_LEX_EMPTY, are set;
 *  - flipping the ASCII case of every byte does not change the result.
 */
#include <string.h>

#include "fuzz_check.h"
#include "ingest/lexicon.h"
#include "lexicon_reference.h"
#include "paygraph/common.h"

static void check(const pg_lexicon *lex, const char *s, size_t len, char *flipped)
{
    uint16_t got = pg_lexicon_match(lex, s, len);
    int32_t want = ref_lexicon_match(lex, s, len);
    FUZZ_CHECK(want < 0 || want == (int32_t)got);
    uint16_t allowed = (uint16_t)(((1u << pg_lexicon_category_count(lex)) - 1) | PG_LEX_EMPTY);
    FUZZ_CHECK((got & ~allowed) == 0);
    for (size_t i = 0; i < len; i++) {
        char c = s[i];
        flipped[i] = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ? (char)(c ^ 0x20) : c;
    }
    FUZZ_CHECK(pg_lexicon_match(lex, flipped, len) == got);
}

/* Terms from the first line: fields separated by ';', category i for field i (at most 15). */
static pg_lexicon *lexicon_from_input(const char *s, size_t len)
{
    pg_lexicon *lex = NULL;
    if (pg_lexicon_new(&lex) != 0) {
        return NULL;
    }
    const char *nl = memchr(s, '\n', len);
    size_t end = nl ? (size_t)(nl - s) : len;
    char term[256], name[16]; /* "c" and an int, whatever gcc assumes of cat */
    int cat = 0;
    for (size_t i = 0; i <= end && cat < PG_LEX_MAX_CATEGORIES;) {
        size_t k = i;
        while (k < end && s[k] != ';') {
            k++;
        }
        size_t n = k - i < sizeof(term) - 1 ? k - i : sizeof(term) - 1;
        memcpy(term, s + i, n);
        term[n] = '\0';
        snprintf(name, sizeof(name), "c%d", cat);
        /* A term without a word or with a NUL inside is skipped (PG_EINVAL / truncated). */
        if (pg_lexicon_add(lex, name, term) == 0) {
            cat++;
        }
        i = k + 1;
    }
    return lex;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static pg_lexicon *def; /* built once, reachable until exit */
    static char flipped[8192];
    if (size > sizeof(flipped)) {
        return 0;
    }
    if (!def && pg_lexicon_init_default(&def) != 0) {
        abort();
    }
    const char *s = (const char *)data;
    check(def, s, size, flipped);
    pg_lexicon *own = lexicon_from_input(s, size);
    FUZZ_CHECK(own != NULL);
    check(own, s, size, flipped);
    pg_lexicon_free(own);
    return 0;
}
