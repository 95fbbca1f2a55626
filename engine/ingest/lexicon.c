/*
 * Reference lexicon matching.
 *
 * HOW IT WORKS
 * Every distinct word of every term goes into one open-addressing hash table
 * (linear probing, load <= 1/2, table of word index + 1). A word carries the
 * bitmask of categories in which it is a whole term by itself, and the head
 * of a list of the phrases that start with it. Matching walks the reference
 * once: for each word it hashes the lower-cased bytes while scanning them,
 * looks the word up (one probe on average), ORs in its single-word mask, and
 * only for words that start a phrase reads ahead to compare the following
 * words. Cost per reference is O(length), independent of the number of terms,
 * which is what 10 million references at ingest need; strstr per term would
 * be O(length x terms) and would also match inside words.
 *
 * The hash is FNV-1a over the lower-cased bytes folded through the 64-bit
 * finaliser of core/hash.h, computed identically when terms are added and
 * when references are scanned.
 *
 * THE DEFAULT LEXICON
 * Built from the indicators that financial intelligence units publish for
 * payments that buy child sexual exploitation, mostly live-streamed abuse
 * paid from abroad to facilitators:
 *  - AUSTRAC, "Combating the sexual exploitation of children for financial
 *    gain", financial crime guide (2019, updated 2022): low-value transfers
 *    (under AUD 500) labelled to look innocuous, e.g. "accommodation",
 *    "uniform", "medical bills", school and family support;
 *  - FinCEN, "FinCEN Calls Attention to Online Child Sexual Exploitation
 *    Crimes", notice FIN-2021-NTC3 (16 September 2021): payments through
 *    remittance and peer-to-peer services, often small and frequent, to
 *    facilitators abroad, with references that allude to the content.
 * No single word is evidence: these are the everyday words families use for
 * remittances too. The bits are features that scoring combines with the
 * payment pattern (many small payments from many payers to one payee, new
 * payers, night-time in the payer's zone, high-risk corridors).
 *
 * Complexity: add O(term length) amortised; match O(len); memory O(total
 * term length).
 */
#include "ingest/lexicon.h"

#include <string.h>

#include "core/alloc.h"
#include "core/error.h"
#include "core/hash.h"
#include "paygraph/common.h"

#define NONE UINT32_MAX
#define FNV_OFFSET 0xcbf29ce484222325ULL
#define FNV_PRIME 0x100000001b3ULL

typedef struct word {
    uint64_t hash;
    uint32_t off; /* lower-case text in the arena */
    uint32_t len;
    uint32_t phrase; /* first phrase starting with this word, or NONE */
    uint16_t single; /* categories in which this word alone is a term */
} word;

typedef struct phrase {
    uint32_t seq;  /* word ids at lex->seq[seq .. seq + n) */
    uint32_t n;    /* >= 2 */
    uint32_t next; /* next phrase with the same first word, or NONE */
    uint16_t bit;  /* category mask (one bit) */
} phrase;

typedef struct term_entry {
    uint32_t off; /* normalised text in the arena, NUL-terminated */
    int bit;
} term_entry;

struct pg_lexicon {
    char *names[PG_LEX_MAX_CATEGORIES];
    int ncat;
    char *arena;
    size_t arena_len, arena_cap;
    word *words;
    size_t nwords, words_cap;
    uint32_t *slots; /* word index + 1; 0 = empty; nslots is a power of two */
    size_t nslots;
    phrase *phrases;
    size_t nphrases, phrases_cap;
    uint32_t *seq;
    size_t nseq, seq_cap;
    term_entry *terms;
    size_t nterms, terms_cap;
};

static int is_word(unsigned char c)
{
    return c >= 0x80 || (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

static unsigned char lower(unsigned char c)
{
    return (c >= 'A' && c <= 'Z') ? (unsigned char)(c - 'A' + 'a') : c;
}

static uint64_t hash_finish(uint64_t h, size_t len)
{
    return pg_hash_fmix64(h ^ (uint64_t)len);
}

/* Does the reference word p[0..len) equal the stored lower-case word w? */
static int same_word(const pg_lexicon *lex, const word *w, const unsigned char *p, size_t len)
{
    if (w->len != len) {
        return 0;
    }
    const char *t = lex->arena + w->off;
    for (size_t i = 0; i < len; i++) {
        if (lower(p[i]) != (unsigned char)t[i]) {
            return 0;
        }
    }
    return 1;
}

static uint32_t find_word(const pg_lexicon *lex, const unsigned char *p, size_t len, uint64_t h)
{
    if (lex->nslots == 0) {
        return NONE;
    }
    size_t mask = lex->nslots - 1;
    for (size_t i = (size_t)h & mask;; i = (i + 1) & mask) {
        uint32_t v = lex->slots[i];
        if (v == 0) {
            return NONE;
        }
        const word *w = &lex->words[v - 1];
        if (w->hash == h && same_word(lex, w, p, len)) {
            return v - 1;
        }
    }
}

/* Double the slot table (at least 64) and re-insert every word. */
static int rehash(pg_lexicon *lex)
{
    size_t n = lex->nslots ? lex->nslots * 2 : 64;
    uint32_t *slots = pg_calloc(n, sizeof(*slots));
    if (!slots) {
        return pg_error_oom("lexicon hash table", n * sizeof(*slots));
    }
    for (size_t k = 0; k < lex->nwords; k++) {
        size_t i = (size_t)lex->words[k].hash & (n - 1);
        while (slots[i] != 0) {
            i = (i + 1) & (n - 1);
        }
        slots[i] = (uint32_t)k + 1;
    }
    pg_free(lex->slots);
    lex->slots = slots;
    lex->nslots = n;
    return 0;
}

/* Copy bytes (plus a NUL) into the arena; *off receives their offset. */
static int arena_put(pg_lexicon *lex, const char *s, size_t len, uint32_t *off)
{
    if (lex->arena_len + len + 1 > UINT32_MAX) {
        return pg_error_set(PG_EINVAL, "lexicon: terms exceed 4 GiB");
    }
    if (pg_grow((void **)&lex->arena, &lex->arena_cap, lex->arena_len + len + 1, 1) < 0) {
        return pg_error_oom("lexicon text", lex->arena_len + len + 1);
    }
    memcpy(lex->arena + lex->arena_len, s, len);
    lex->arena[lex->arena_len + len] = '\0';
    *off = (uint32_t)lex->arena_len;
    lex->arena_len += len + 1;
    return 0;
}

/* Id of the lower-case word s[0..len), added when new. */
static int intern_word(pg_lexicon *lex, const char *s, size_t len, uint32_t *id)
{
    uint64_t h = FNV_OFFSET;
    for (size_t i = 0; i < len; i++) {
        h = (h ^ (unsigned char)s[i]) * FNV_PRIME;
    }
    h = hash_finish(h, len);
    uint32_t w = find_word(lex, (const unsigned char *)s, len, h);
    if (w != NONE) {
        *id = w;
        return 0;
    }
    int err;
    if ((lex->nwords + 1) * 2 > lex->nslots && (err = rehash(lex)) < 0) {
        return err;
    }
    if (pg_grow((void **)&lex->words, &lex->words_cap, lex->nwords + 1, sizeof(word)) < 0) {
        return pg_error_oom("lexicon words", (lex->nwords + 1) * sizeof(word));
    }
    word *nw = &lex->words[lex->nwords];
    if ((err = arena_put(lex, s, len, &nw->off)) < 0) {
        return err;
    }
    nw->hash = h;
    nw->len = (uint32_t)len;
    nw->phrase = NONE;
    nw->single = 0;
    size_t i = (size_t)h & (lex->nslots - 1);
    while (lex->slots[i] != 0) {
        i = (i + 1) & (lex->nslots - 1);
    }
    lex->slots[i] = (uint32_t)lex->nwords + 1;
    *id = (uint32_t)lex->nwords++;
    return 0;
}

/* Lower-case words of term joined by single spaces into out (room strlen+1); word count. */
static size_t normalise(const char *term, char *out)
{
    size_t n = 0, words = 0;
    const unsigned char *p = (const unsigned char *)term;
    for (size_t i = 0; p[i];) {
        if (!is_word(p[i])) {
            i++;
            continue;
        }
        if (words++ > 0) {
            out[n++] = ' ';
        }
        for (; p[i] && is_word(p[i]); i++) {
            out[n++] = (char)lower(p[i]);
        }
    }
    out[n] = '\0';
    return words;
}

static int category_bit(const pg_lexicon *lex, const char *name)
{
    for (int b = 0; b < lex->ncat; b++) {
        if (strcmp(lex->names[b], name) == 0) {
            return b;
        }
    }
    return -1;
}

static int add_category(pg_lexicon *lex, const char *name, int *bit)
{
    if (!name || !name[0]) {
        return pg_error_set(PG_EINVAL, "lexicon: empty category name");
    }
    if (lex->ncat == PG_LEX_MAX_CATEGORIES) {
        return pg_error_set(PG_EINVAL, "lexicon: more than %d categories (at '%s')",
                            PG_LEX_MAX_CATEGORIES, name);
    }
    if ((lex->names[lex->ncat] = pg_strdup(name)) == NULL) {
        return pg_error_oom("lexicon category name", strlen(name) + 1);
    }
    *bit = lex->ncat++;
    return 0;
}

/* Is the phrase made of exactly ids[0..n) already present in category bit? */
static int has_phrase(const pg_lexicon *lex, const uint32_t *ids, size_t n, uint16_t bit)
{
    for (uint32_t p = lex->words[ids[0]].phrase; p != NONE; p = lex->phrases[p].next) {
        const phrase *ph = &lex->phrases[p];
        if (ph->bit == bit && ph->n == n && memcmp(lex->seq + ph->seq, ids, n * 4) == 0) {
            return 1;
        }
    }
    return 0;
}

static int add_phrase(pg_lexicon *lex, const uint32_t *ids, size_t n, uint16_t bit)
{
    if (pg_grow((void **)&lex->seq, &lex->seq_cap, lex->nseq + n, sizeof(uint32_t)) < 0 ||
        pg_grow((void **)&lex->phrases, &lex->phrases_cap, lex->nphrases + 1, sizeof(phrase)) < 0) {
        return pg_error_oom("lexicon phrases", (lex->nseq + n) * sizeof(uint32_t));
    }
    phrase *ph = &lex->phrases[lex->nphrases];
    ph->seq = (uint32_t)lex->nseq;
    ph->n = (uint32_t)n;
    ph->bit = bit;
    ph->next = lex->words[ids[0]].phrase;
    memcpy(lex->seq + lex->nseq, ids, n * sizeof(uint32_t));
    lex->nseq += n;
    lex->words[ids[0]].phrase = (uint32_t)lex->nphrases++;
    return 0;
}

/* Intern the words of the normalised text and record the term under bit. */
static int add_normalised(pg_lexicon *lex, const char *text, size_t nwords, int bit)
{
    int err = 0;
    uint16_t mask = (uint16_t)(1u << bit);
    uint32_t *ids = pg_malloc_array(nwords, sizeof(*ids));
    if (!ids) {
        return pg_error_oom("lexicon term", nwords * sizeof(*ids));
    }
    size_t k = 0;
    for (const char *p = text; *p; k++) {
        const char *e = strchr(p, ' ');
        size_t len = e ? (size_t)(e - p) : strlen(p);
        if ((err = intern_word(lex, p, len, &ids[k])) < 0) {
            goto done;
        }
        p += len + (e ? 1 : 0);
    }
    int dup =
        nwords == 1 ? (lex->words[ids[0]].single & mask) != 0 : has_phrase(lex, ids, nwords, mask);
    if (dup) {
        goto done;
    }
    if (pg_grow((void **)&lex->terms, &lex->terms_cap, lex->nterms + 1, sizeof(term_entry)) < 0) {
        err = pg_error_oom("lexicon terms", (lex->nterms + 1) * sizeof(term_entry));
        goto done;
    }
    uint32_t off;
    if ((err = arena_put(lex, text, strlen(text), &off)) < 0) {
        goto done;
    }
    if (nwords == 1) {
        lex->words[ids[0]].single |= mask;
    } else if ((err = add_phrase(lex, ids, nwords, mask)) < 0) {
        goto done;
    }
    lex->terms[lex->nterms].off = off;
    lex->terms[lex->nterms].bit = bit;
    lex->nterms++;
done:
    pg_free(ids);
    return err;
}

int pg_lexicon_new(pg_lexicon **out)
{
    pg_lexicon *lex = pg_calloc(1, sizeof(*lex));
    if (!lex) {
        return pg_error_oom("lexicon", sizeof(*lex));
    }
    *out = lex;
    return 0;
}

int pg_lexicon_add(pg_lexicon *lex, const char *category, const char *term)
{
    int err = 0, bit;
    char *text = pg_malloc(strlen(term) + 1);
    if (!text) {
        return pg_error_oom("lexicon term", strlen(term) + 1);
    }
    size_t nwords = normalise(term, text);
    if (nwords == 0) {
        err = pg_error_set(PG_EINVAL, "lexicon: term '%s' of category '%s' has no word", term,
                           category ? category : "");
        goto done;
    }
    bit = category ? category_bit(lex, category) : -1;
    if (bit < 0 && (err = add_category(lex, category, &bit)) < 0) {
        goto done;
    }
    err = add_normalised(lex, text, nwords, bit);
done:
    pg_free(text);
    return err;
}

int pg_lexicon_from_config(pg_lexicon **out, const pg_lexicon_category *cats, size_t n)
{
    pg_lexicon *lex = NULL;
    int err = pg_lexicon_new(&lex);
    for (size_t c = 0; err == 0 && c < n; c++) {
        int bit;
        if (cats[c].name && category_bit(lex, cats[c].name) >= 0) {
            err = pg_error_set(PG_EINVAL, "lexicon: category '%s' given twice", cats[c].name);
            break;
        }
        if ((err = add_category(lex, cats[c].name, &bit)) < 0) {
            break;
        }
        for (size_t t = 0; err == 0 && cats[c].terms && cats[c].terms[t]; t++) {
            err = pg_lexicon_add(lex, cats[c].name, cats[c].terms[t]);
        }
    }
    if (err < 0) {
        pg_lexicon_free(lex);
        return err;
    }
    *out = lex;
    return 0;
}

/*
 * The default categories. Words are lower case; matching ignores ASCII case.
 * Plural and singular are listed separately because matching is whole-word.
 */
static const char *const gift_terms[] = {
    "gift", "gifts", "present", "presents", "love", "birthday", "bday", "for you", "treat", NULL,
};
static const char *const food_terms[] = {
    "food", "groceries", "grocery", "meal", "meals", "lunch", "dinner", "rice", "milk", NULL,
};
static const char *const school_terms[] = {
    "school", "tuition", "fees", "school fees", "uniform", "uniforms", "books", "baon", NULL,
};
static const char *const medical_terms[] = {
    "medical",       "hospital", "medicine", "medicines", "meds",
    "medical bills", "doctor",   "checkup",  "vitamins",  NULL,
};
static const char *const support_terms[] = {
    "help", "support", "assistance", "allowance", "family support", "for the kids", NULL,
};
static const char *const living_terms[] = {
    "accommodation", "rent", "bills", "electricity", "load", NULL,
};
static const char *const content_terms[] = {
    "pics",   "pic",  "photos", "video",   "videos",  "vid",     "vids", "cam",
    "webcam", "show", "live",   "private", "session", "content", NULL,
};

/*
 * Why each category:
 *  gift     gifts and affection are the commonest cover for payments to
 *           facilitators who groom the payer as a "friend" or "partner";
 *  food, school, medical, support, living
 *           the family-need descriptions the AUSTRAC guide lists ("uniform",
 *           "medical bills", "accommodation"); "baon" is the Filipino word for
 *           a child's school allowance, "load" a mobile top-up;
 *  content  words that allude to what is bought: images, videos, webcam or
 *           live-streamed "shows" and "private" sessions. Several are common
 *           words ("live", "show"), so on their own they are weak.
 */
static const pg_lexicon_category default_categories[] = {
    {"gift", gift_terms},       {"food", food_terms},       {"school", school_terms},
    {"medical", medical_terms}, {"support", support_terms}, {"living", living_terms},
    {"content", content_terms},
};

int pg_lexicon_init_default(pg_lexicon **out)
{
    return pg_lexicon_from_config(out, default_categories,
                                  sizeof(default_categories) / sizeof(default_categories[0]));
}

/* Do the remaining words of ph follow p[pos..) each after exactly one space? */
static int phrase_at(const pg_lexicon *lex, const phrase *ph, const unsigned char *p, size_t len,
                     size_t pos)
{
    for (uint32_t k = 1; k < ph->n; k++) {
        if (pos + 1 >= len || p[pos] != ' ' || !is_word(p[pos + 1])) {
            return 0;
        }
        size_t start = pos + 1, end = start;
        while (end < len && is_word(p[end])) {
            end++;
        }
        if (!same_word(lex, &lex->words[lex->seq[ph->seq + k]], p + start, end - start)) {
            return 0;
        }
        pos = end;
    }
    return 1;
}

uint16_t pg_lexicon_match(const pg_lexicon *lex, const char *s, size_t len)
{
    const unsigned char *p = (const unsigned char *)s;
    uint16_t mask = 0;
    int any = 0;
    size_t i = 0;
    while (i < len) {
        if (!is_word(p[i])) {
            i++;
            continue;
        }
        size_t start = i;
        uint64_t h = FNV_OFFSET;
        for (; i < len && is_word(p[i]); i++) {
            h = (h ^ lower(p[i])) * FNV_PRIME;
        }
        any = 1;
        uint32_t w = find_word(lex, p + start, i - start, hash_finish(h, i - start));
        if (w == NONE) {
            continue;
        }
        mask |= lex->words[w].single;
        for (uint32_t ph = lex->words[w].phrase; ph != NONE; ph = lex->phrases[ph].next) {
            const phrase *x = &lex->phrases[ph];
            if (!(mask & x->bit) && phrase_at(lex, x, p, len, i)) {
                mask |= x->bit;
            }
        }
    }
    return any ? mask : (uint16_t)(mask | PG_LEX_EMPTY);
}

int pg_lexicon_category_count(const pg_lexicon *lex)
{
    return lex->ncat;
}

const char *pg_lexicon_category_name(const pg_lexicon *lex, int bit)
{
    return (bit >= 0 && bit < lex->ncat) ? lex->names[bit] : NULL;
}

int pg_lexicon_category_bit(const pg_lexicon *lex, const char *name)
{
    return category_bit(lex, name);
}

size_t pg_lexicon_term_count(const pg_lexicon *lex)
{
    return lex->nterms;
}

const char *pg_lexicon_term(const pg_lexicon *lex, size_t i, int *bit)
{
    if (i >= lex->nterms) {
        return NULL;
    }
    if (bit) {
        *bit = lex->terms[i].bit;
    }
    return lex->arena + lex->terms[i].off;
}

void pg_lexicon_free(pg_lexicon *lex)
{
    if (!lex) {
        return;
    }
    for (int b = 0; b < lex->ncat; b++) {
        pg_free(lex->names[b]);
    }
    pg_free(lex->arena);
    pg_free(lex->words);
    pg_free(lex->slots);
    pg_free(lex->phrases);
    pg_free(lex->seq);
    pg_free(lex->terms);
    pg_free(lex);
}
