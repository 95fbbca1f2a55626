/*
 * Internal model of the synthetic payment world shared by the generator
 * files: institutions, the account index space, person profiles (a pure
 * function of the seed and the person id, so any block can compute any
 * counterparty without shared mutable state), the planted plan, and rows.
 */
#ifndef PG_GEN_WORLD_H
#define PG_GEN_WORLD_H

#include <stddef.h>
#include <stdint.h>

#include "core/rng.h"
#include "paygraph/generate.h"

/*
 * Persons per block of work. A block and a day form one unit with its own
 * random stream. Smaller blocks balance threads better; larger blocks cut
 * per-block overhead. Never derived from the thread count.
 */
#define GEN_BLOCK 512

/* Blocks generated (and buffered) per batch before they are written out. */
#define GEN_BATCH 64

enum { CH_CARD, CH_TRANSFER, CH_REMITTANCE, CH_WALLET, CH_CASH, CH_BILL, CH_COUNT };
enum { CUR_AUD, CUR_USD, CUR_PHP, CUR_COUNT };
enum { KIND_PERSON, KIND_BUSINESS, KIND_MERCHANT, KIND_UNKNOWN };
enum { INST_BANK, INST_CU, INST_NEO, INST_WALLET, INST_REMIT, INST_FOREIGN };

/* Countries with the UTC offset (hours) used for local time; no DST, documented. */
enum { C_AU, C_PH, C_VN, C_ID, C_TH, C_IN, C_US, C_SG, C_HK, C_GB, C_COUNT };
extern const char *const pg_gen__country_code[C_COUNT];
extern const int pg_gen__country_utc_offset[C_COUNT];
extern const char *const pg_gen__channel_name[CH_COUNT];
extern const char *const pg_gen__currency_code[CUR_COUNT];

#define GEN_MAX_INST 32

typedef struct gen_inst {
    char name[16];
    uint8_t kind;
    uint8_t country;
} gen_inst;

/* One transaction before formatting. Accounts are global account indices. */
typedef struct gen_row {
    int64_t ts;     /* epoch seconds UTC */
    int64_t amount; /* minor units of currency */
    uint32_t src, dst;
    uint32_t seq; /* order of creation within its block-day: stable tie break */
    uint16_t ref; /* index into pg_gen__reference[] */
    uint8_t src_inst, dst_inst, channel, currency, dst_country, label;
} gen_row;

/* A planted row keyed by the (day, block) that emits it. */
typedef struct gen_plan_row {
    gen_row row;
    int32_t day;
    uint32_t block;
} gen_plan_row;

/* A planted account for truth.csv / watchlist.csv. */
typedef struct gen_member {
    uint32_t acct;
    uint8_t inst;
    char group;    /* 'R' offender ring, 'L' laundering group */
    uint16_t role; /* index into pg_gen__role_name[] */
    int32_t id;    /* ring number (1-based) */
} gen_member;

enum {
    ROLE_PAYER,
    ROLE_FACILITATOR,
    ROLE_MULE,
    ROLE_COLLECTOR,
    ROLE_SOURCE,
    ROLE_INTERMEDIATE,
    ROLE_SINK,
    ROLE_COUNT
};
extern const char *const pg_gen__role_name[ROLE_COUNT];

typedef struct gen_watch {
    uint32_t acct;
    uint8_t inst;
    uint8_t label; /* index into pg_gen__watch_label[] */
} gen_watch;
extern const char *const pg_gen__watch_label[3];

/* A foreign (non-person) account created by the plan: facilitator or collector abroad. */
typedef struct gen_foreign {
    uint32_t acct;
    uint8_t inst;
    uint8_t country;
} gen_foreign;

/* Person profile: everything ordinary about a person, computed on demand. */
typedef struct gen_person {
    uint32_t id;
    uint8_t nacc;
    uint8_t inst[3]; /* institution of account k (distinct) */
    uint8_t remitter, gamer, subscriber;
    uint8_t remit_country, remit_inst, remit_acc; /* remit_acc: own account used */
    uint8_t remit_phase;
    uint32_t employer; /* UINT32_MAX: not employed */
    int64_t salary;    /* per fortnight, cents */
    uint8_t pay_phase; /* day of the fortnight paid */
    uint8_t nbills;
    uint8_t biller[3], bill_day[3];
    int64_t bill_amount[3];
    uint8_t sub_day;
    double spend_rate; /* card purchases per day */
    double p2p_rate;   /* transfers to friends per day */
} gen_person;

typedef struct gen_world {
    pg_generate_options opt;
    uint32_t persons;
    int ninst; /* all institutions: domestic then foreign */
    int ndomestic;
    gen_inst inst[GEN_MAX_INST];
    int bank_count;         /* domestic banks and credit unions are inst[0..bank_count) */
    int neo, wallet, remit; /* institution index of each */
    int foreign_bank[C_COUNT], foreign_wallet[C_COUNT], foreign_psp[C_COUNT]; /* -1 if none */
    /* Account index space. */
    uint32_t merchants, employers, billers, fmerchants;
    uint32_t base_merchant, base_employer, base_biller, base_fmerchant, base_atm;
    uint32_t base_relative, base_foreign, nforeign;
    double *merchant_cdf; /* Zipf popularity, merchants entries */
    uint32_t nblocks;
    /* Planted plan: rows sorted by (day, block, ts), per-day offsets. */
    gen_plan_row *plan;
    size_t nplan, plan_cap;
    size_t *day_start; /* days + 1 entries */
    gen_member *members;
    size_t nmembers, members_cap;
    gen_watch *watch;
    size_t nwatch, watch_cap;
    gen_foreign *foreign;
    size_t foreign_cap;
    int rings_planted, groups_planted;
    uint32_t pick_a, pick_c, pick_next; /* bijective person picker for planted roles */
} gen_world;

extern const char *const pg_gen__reference[];
enum {
    REF_EMPTY,
    REF_GIFT,
    REF_SCHOOL,
    REF_MEDICAL,
    REF_FOOD,
    REF_HELP,
    REF_ALLOWANCE,
    REF_LOAD,
    REF_RENT,
    REF_DINNER,
    REF_THANKS,
    REF_PETROL,
    REF_BDAY,
    REF_FOOTY,
    REF_BILLS_SPLIT,
    REF_RENT_COMMA,
    REF_QUOTED,
    REF_SALARY,
    REF_INVOICE,
    REF_FAMILY,
    REF_FUNDRAISER,
    REF_FUNDRAISER2,
    REF_TOPUP,
    REF_SUBSCRIPTION,
    REF_PURCHASE,
    REF_ATM,
    REF_LOAN,
    REF_OWN,
    REF_SAVINGS,
    REF_HOUSEKEEPING,
    REF_GROCERIES,
    REF_COUNT
};

/* world.c */
int pg_gen__world_init(gen_world *w, const pg_generate_options *opt);
void pg_gen__world_free(gen_world *w);
void pg_gen__person_profile(const gen_world *w, uint32_t p, gen_person *out);
uint32_t pg_gen__person_account(uint32_t p, int k);
uint32_t pg_gen__pick_person(gen_world *w);
int pg_gen__local_offset(int country);
/* Bijective 40-bit scramble of an index, for pseudonymous identifiers. */
uint64_t pg_gen__scramble(uint64_t x, uint64_t seed);
int64_t pg_gen__transfer_amount(pg_rng *r);
int pg_gen__plan_add(gen_world *w, const gen_row *row, uint32_t src_person, int day);
int pg_gen__member_add(gen_world *w, uint32_t acct, int inst, char group, int id, int role);
int pg_gen__watch_add(gen_world *w, uint32_t acct, int inst, int label);
int pg_gen__foreign_add(gen_world *w, int inst, int country, uint32_t *acct);
int64_t pg_gen__local_time(pg_rng *r, int from_hour, int span_hours);
/* Bank of a merchant (salt 0x6d) or employer (salt 0x65). */
int pg_gen__business_inst(const gen_world *w, uint32_t index, uint64_t salt);
/* Generation day of a time stamp (days start at local midnight in AU). */
int pg_gen__day_of(const gen_world *w, int64_t ts);
/* UTC time of a local time (seconds after local midnight) on a day in a country. */
int64_t pg_gen__utc(const gen_world *w, int day, int64_t local, int country);
/* Sort the plan and index it by day; call once after all planning. */
int pg_gen__plan_finish(gen_world *w);

/* plan_rings.c, plan_laundering.c, plan_legit.c */
int pg_gen__plan_rings(gen_world *w);
int pg_gen__plan_laundering(gen_world *w);
int pg_gen__plan_fundraisers(gen_world *w);
int pg_gen__plan_watchlist(gen_world *w);

/* daily.c: ordinary activity of one block on one day, plus its planted rows. */
typedef struct gen_rowbuf {
    gen_row *rows;
    size_t n, cap;
} gen_rowbuf;
int pg_gen__block_day(const gen_world *w, uint32_t block, int day, gen_rowbuf *out);
int pg_gen__rowbuf_push(gen_rowbuf *b, const gen_row *row);

/* format.c */
typedef struct gen_text {
    char *buf;
    size_t len, cap;
} gen_text;
int pg_gen__text_reserve(gen_text *t, size_t extra);
int pg_gen__format_rows(const gen_world *w, const gen_rowbuf *rows, int64_t first_id,
                        gen_text *out);
size_t pg_gen__format_account(char *dst, uint32_t acct, uint64_t seed);
size_t pg_gen__format_entity(char *dst, uint64_t key, uint64_t seed);
size_t pg_gen__format_time(char *dst, int64_t ts);
size_t pg_gen__format_date(char *dst, int64_t ts);
int pg_gen__format_accounts_block(const gen_world *w, uint32_t block, gen_text *out);
int pg_gen__format_other_accounts(const gen_world *w, gen_text *out, int64_t *rows);

#endif
