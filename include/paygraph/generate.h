/*
 * paygraph — synthetic pooled payment world with planted offender rings.
 *
 * pg_generate() writes one folder in the formats of DESIGN §2:
 * transactions.csv, accounts.csv, watchlist.csv and truth.csv (or .csv.gz).
 * The world holds several domestic institutions (banks, a credit union, a
 * neobank, a wallet and a remittance provider) and a few foreign ones, people
 * with accounts at one to three of them, merchants, employers, billers, and
 * the legitimate structures that resemble offending (family remittances to
 * the same corridors, late-night foreign gaming payments, fundraisers, shared
 * houses). Into it are planted offender payment rings (ids R1, R2, ...)
 * following the published indicators (AUSTRAC, combating the sexual
 * exploitation of children for financial gain; FinCEN FIN-2021-NTC3; FATF
 * 2025) and AMLworld-style laundering typologies (ids L1, L2, ...; Altman et
 * al., NeurIPS 2023, doi:10.48550/arXiv.2306.16424).
 *
 * Output is deterministic for a seed and byte-identical for any thread count:
 * random streams are seeded per (day, block of persons), never per thread,
 * and blocks are written in block order. Memory does not grow with the
 * number of rows: only one batch of blocks is held at a time.
 */
#ifndef PAYGRAPH_GENERATE_H
#define PAYGRAPH_GENERATE_H

#include <stdint.h>

#include "paygraph/common.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef struct pg_generate_options {
    int64_t persons;  /* people living in the world (>= 100) */
    int rings;        /* planted offender rings R1..Rn */
    int laundering;   /* planted laundering typology groups L1..Ln */
    int days;         /* span of days simulated */
    int institutions; /* domestic institutions pooled (>= 4; last three are neo, wallet, remit) */
    uint64_t seed;    /* world seed */
    int threads;      /* <= 0: the CPUs available */
    int gzip;         /* write .csv.gz instead of .csv */
    int64_t start;    /* first day, epoch seconds at 00:00 UTC */
    /* Offender payment distribution (amounts in cents of AUD). */
    int64_t ring_amount_min; /* smallest ring payment */
    int64_t ring_amount_max; /* largest ring payment */
    double ring_round_share; /* share of ring payments that are whole multiples of 5 dollars */
    double ring_night_share; /* share of ring sessions at local night (21:00-03:00) */
    double ring_empty_ref;   /* share of ring payments with an empty reference */
    int ring_payers_max;     /* most payers in one ring (ring sizes stay <= 40 accounts) */
    double watch_ring_share; /* share of rings with at least one account on the watchlist */
    int false_leads;         /* innocent accounts on the watchlist (-1: as many as rings) */
} pg_generate_options;

/* Defaults: 5000 persons, 10 rings, 8 laundering groups, 60 days, 7 institutions, seed 1. */
PG_API void pg_generate_options_init(pg_generate_options *opts);

/*
 * Overlay the keys of a JSON world file on opts: "persons", "rings",
 * "laundering", "days", "institutions", "seed", "threads", "gzip", "start"
 * ("YYYY-MM-DD"), and "offender": {"amount_min", "amount_max" (dollars),
 * "round_share", "night_share", "empty_reference_share", "payers_max"},
 * "watchlist": {"ring_share", "false_leads"}. Unknown keys are an error
 * (PG_EINPUT), so typos do not pass silently.
 */
PG_API int pg_generate_config_load(pg_generate_options *opts, const char *path);

typedef struct pg_generate_summary {
    int64_t transactions; /* rows of transactions.csv */
    int64_t planted;      /* of which label = 1 */
    int64_t accounts;     /* rows of accounts.csv */
    int64_t watchlist;    /* rows of watchlist.csv */
    int64_t truth;        /* rows of truth.csv */
    int rings;            /* offender rings planted */
    int laundering;       /* laundering groups planted */
    int institutions;     /* institutions in the world (pooled + foreign) */
    int pooled;           /* of which pooled domestic institutions */
} pg_generate_summary;

/*
 * Generate a world into directory dir (created if missing). Each file is
 * written under a temporary name and renamed when complete.
 * out (may be NULL) receives row counts. Errors: PG_EINVAL for bad options,
 * PG_EIO for file system failures, PG_ENOMEM, PG_EDEP (zlib).
 * Time O(rows), memory O(persons / block + planted rows + threads * block rows).
 */
PG_API int pg_generate(pg_generate_summary *out, const char *dir, const pg_generate_options *opts);

#ifdef __cplusplus
}
#endif
#endif
