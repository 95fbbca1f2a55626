/*
 * Reference lexicon: flags the free-text payment reference ("for school
 * fees", "pics pls") with a bitmask of lexicon categories at ingest, so that
 * the reference itself need not be stored.
 *
 * Matching rules:
 *  - words are maximal runs of word bytes: ASCII letters and digits, and
 *    every byte >= 0x80 (so UTF-8 letters never split a word); any other
 *    byte (space, punctuation, control) separates words;
 *  - whole words only: "present" does not match "presentation";
 *  - ASCII case-insensitive ("GIFT" = "gift"); bytes >= 0x80 compare exactly;
 *  - a term of several words (a phrase, "school fees") matches when its words
 *    appear consecutively, each pair separated by exactly one space;
 *  - a reference without any word (empty, blanks, punctuation only) gets
 *    PG_LEX_EMPTY: an empty reference is itself a signal in some typologies.
 *
 * A lexicon is built once (single thread), then pg_lexicon_match may be
 * called concurrently from any number of threads: it only reads.
 */
#ifndef PG_INGEST_LEXICON_H
#define PG_INGEST_LEXICON_H

#include <stddef.h>
#include <stdint.h>

/* Categories take bits 0..14; bit 15 is PG_LEX_EMPTY, so a mask fits uint16_t. */
#define PG_LEX_MAX_CATEGORIES 15
#define PG_LEX_EMPTY ((uint16_t)0x8000u)

typedef struct pg_lexicon pg_lexicon;

/* One category of a lexicon configuration: a name and a NULL-terminated term list. */
typedef struct pg_lexicon_category {
    const char *name;
    const char *const *terms;
} pg_lexicon_category;

/* An empty lexicon (matches nothing; still reports PG_LEX_EMPTY). 0 or PG_ENOMEM. */
int pg_lexicon_new(pg_lexicon **out);

/*
 * The default lexicon for payments linked to child sexual exploitation, from
 * the published indicators (AUSTRAC financial crime guide "Combating the
 * sexual exploitation of children for financial gain", 2019, updated 2022;
 * FinCEN notice FIN-2021-NTC3, 2021). Categories, in bit order:
 *   gift     (bit 0)  gift, present, love, birthday ...
 *   food     (bit 1)  food, groceries, meal, rice, milk ...
 *   school   (bit 2)  school, tuition, fees, uniform, books ...
 *   medical  (bit 3)  medical, hospital, medicine, medical bills ...
 *   support  (bit 4)  help, support, assistance, allowance ...
 *   living   (bit 5)  accommodation, rent, bills ...
 *   content  (bit 6)  pics, video, cam, show, live, private ...
 * See lexicon.c for the full lists and why each is there. 0 or PG_ENOMEM.
 */
int pg_lexicon_init_default(pg_lexicon **out);

/*
 * Build a lexicon from a configuration of n categories (bits in array order).
 * PG_EINVAL (with a message) for more than PG_LEX_MAX_CATEGORIES categories,
 * an empty or duplicate name, or a term without any word; PG_ENOMEM.
 */
int pg_lexicon_from_config(pg_lexicon **out, const pg_lexicon_category *cats, size_t n);

/*
 * Add a term to a category, creating the category (next free bit) when the
 * name is new. The term is normalised to lower-case words joined by single
 * spaces ("  School-Fees " is the phrase "school fees"). Adding a term twice
 * is harmless. Returns 0, PG_EINVAL (too many categories, no word in the
 * term, empty name) or PG_ENOMEM. Not thread-safe with concurrent matching.
 */
int pg_lexicon_add(pg_lexicon *lex, const char *category, const char *term);

/*
 * Category bits of the terms found in s[0..len) (not NUL-terminated; only
 * len bytes are read), plus PG_LEX_EMPTY when it has no word. Thread-safe.
 * O(len) plus, per word that starts a phrase, the length of that phrase.
 */
uint16_t pg_lexicon_match(const pg_lexicon *lex, const char *s, size_t len);

/* Number of categories (their bits are 0 .. count-1). */
int pg_lexicon_category_count(const pg_lexicon *lex);

/* Name of the category with the given bit, NULL when there is none. */
const char *pg_lexicon_category_name(const pg_lexicon *lex, int bit);

/* Bit of the named category (exact name), or -1. */
int pg_lexicon_category_bit(const pg_lexicon *lex, const char *name);

/* Number of distinct terms, and the i-th (normalised text; *bit its category). */
size_t pg_lexicon_term_count(const pg_lexicon *lex);
const char *pg_lexicon_term(const pg_lexicon *lex, size_t i, int *bit);

/* Free a lexicon; NULL is allowed. */
void pg_lexicon_free(pg_lexicon *lex);

#endif
