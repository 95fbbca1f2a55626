/*
 * A deliberately naive lexicon matcher used as the oracle for
 * pg_lexicon_match in the unit tests and the fuzz target: split the
 * reference into words, then try every term of the lexicon at every word
 * position. Quadratic and allocation-free (words beyond REF_MAX_WORDS make
 * it give up, returning -1), so only for tests.
 */
#ifndef PG_TEST_LEXICON_REFERENCE_H
#define PG_TEST_LEXICON_REFERENCE_H

#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "ingest/lexicon.h"

#define REF_MAX_WORDS 4096

typedef struct ref_token {
    size_t start, len;
    int single_space_before; /* exactly one ' ' between this word and the previous */
} ref_token;

static inline int ref_is_word(unsigned char c)
{
    return c >= 0x80 || (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

static inline unsigned char ref_lower(unsigned char c)
{
    return (c >= 'A' && c <= 'Z') ? (unsigned char)(c + 32) : c;
}

/* Does token t equal the term word w[0..n) ignoring ASCII case? */
static inline int ref_token_is(const unsigned char *s, const ref_token *t, const char *w, size_t n)
{
    if (t->len != n) {
        return 0;
    }
    for (size_t i = 0; i < n; i++) {
        if (ref_lower(s[t->start + i]) != ref_lower((unsigned char)w[i])) {
            return 0;
        }
    }
    return 1;
}

/* Does the term (words separated by single spaces) start at token j? */
static inline int ref_term_at(const unsigned char *s, const ref_token *tok, size_t ntok, size_t j,
                              const char *term)
{
    const char *p = term;
    for (size_t k = j;; k++) {
        const char *e = strchr(p, ' ');
        size_t n = e ? (size_t)(e - p) : strlen(p);
        if (k >= ntok || (k > j && !tok[k].single_space_before) ||
            !ref_token_is(s, &tok[k], p, n)) {
            return 0;
        }
        if (!e) {
            return 1;
        }
        p = e + 1;
    }
}

static inline int32_t ref_lexicon_match(const pg_lexicon *lex, const char *text, size_t len)
{
    static _Thread_local ref_token tok[REF_MAX_WORDS];
    const unsigned char *s = (const unsigned char *)text;
    size_t ntok = 0, prev_end = 0;
    for (size_t i = 0; i < len;) {
        if (!ref_is_word(s[i])) {
            i++;
            continue;
        }
        if (ntok == REF_MAX_WORDS) {
            return -1;
        }
        tok[ntok].start = i;
        tok[ntok].single_space_before = ntok > 0 && i - prev_end == 1 && s[prev_end] == ' ';
        while (i < len && ref_is_word(s[i])) {
            i++;
        }
        tok[ntok].len = i - tok[ntok].start;
        prev_end = i;
        ntok++;
    }
    if (ntok == 0) {
        return PG_LEX_EMPTY;
    }
    int32_t mask = 0;
    for (size_t t = 0; t < pg_lexicon_term_count(lex); t++) {
        int bit;
        const char *term = pg_lexicon_term(lex, t, &bit);
        for (size_t j = 0; j < ntok; j++) {
            if (ref_term_at(s, tok, ntok, j, term)) {
                mask |= 1 << bit;
                break;
            }
        }
    }
    return mask;
}

#endif
