/*
 * pg_generate: plan the planted structures, then stream the world to disk.
 *
 * HOW IT WORKS
 * 1. Plan (serial, small): offender rings, laundering groups, fundraisers
 *    and the watchlist are drawn from their own streams into a table of
 *    planted rows keyed by (day, block of persons).
 * 2. Stream (parallel): for each day, blocks of GEN_BLOCK persons are
 *    generated GEN_BATCH at a time; each (day, block) has its own random
 *    stream and buffer, so threads only decide who computes which block.
 *    The batch is then written in block order, each line prefixed with its
 *    running transaction id. The bytes written therefore do not depend on
 *    the thread count, and memory holds one batch, never the whole file.
 * 3. accounts.csv is streamed the same way; watchlist.csv and truth.csv are
 *    written from the plan. Each file is written as NAME.tmp and renamed
 *    when complete, so a reader never sees half a file.
 */
#include "paygraph/generate.h"

#include <cjson/cJSON.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <zlib.h>

#include "core/alloc.h"
#include "core/error.h"
#include "core/par.h"
#include "generator/world.h"

/*
 * zlib level of --gzip output. Level 1 compresses a third worse than 6 but
 * three times faster, and compression is the slowest stage of a gzip run.
 */
#define GEN_GZIP_LEVEL 1
#define GEN_GZIP_LEVEL_STR "1"

/* 2026-03-01T00:00:00Z */
#define GEN_DEFAULT_START 1772323200LL

void pg_generate_options_init(pg_generate_options *o)
{
    memset(o, 0, sizeof(*o));
    o->persons = 5000;
    o->rings = 10;
    o->laundering = 8;
    o->days = 60;
    o->institutions = 7;
    o->seed = 1;
    o->threads = 0;
    o->start = GEN_DEFAULT_START;
    o->ring_amount_min = 1000;
    o->ring_amount_max = 20000;
    o->ring_round_share = 0.6;
    o->ring_night_share = 0.8;
    o->ring_empty_ref = 0.35;
    o->ring_payers_max = 15;
    o->watch_ring_share = 0.4;
    o->false_leads = -1;
}

static int validate(const pg_generate_options *o)
{
    if (o->persons < 100 || o->persons > 1000000000LL) {
        return pg_error_set(PG_EINVAL, "generate: persons must be 100..1e9, not %lld",
                            (long long)o->persons);
    }
    if (o->days < 1 || o->days > 3660) {
        return pg_error_set(PG_EINVAL, "generate: days must be 1..3660, not %d", o->days);
    }
    if (o->institutions < 4 || o->institutions > 16) {
        return pg_error_set(PG_EINVAL, "generate: institutions must be 4..16, not %d",
                            o->institutions);
    }
    if (o->rings < 0 || o->laundering < 0 || o->ring_payers_max < 4 || o->ring_payers_max > 36) {
        return pg_error_set(PG_EINVAL, "generate: rings, laundering >= 0; payers_max 4..36");
    }
    int64_t leads = o->false_leads < 0 ? o->rings : o->false_leads;
    /* Planted persons are distinct; payers need two accounts (about half of persons). */
    int64_t planted = (int64_t)o->rings * (2 * o->ring_payers_max + 8) +
                      (int64_t)o->laundering * 16 + leads + o->persons / 1000 + 2;
    if (planted * 3 > o->persons) {
        return pg_error_set(PG_EINVAL,
                            "generate: %lld persons are too few for %d rings and %d "
                            "laundering groups (need about %lld)",
                            (long long)o->persons, o->rings, o->laundering,
                            (long long)(planted * 3));
    }
    if (o->ring_amount_min < 1 || o->ring_amount_max < o->ring_amount_min ||
        o->ring_round_share < 0 || o->ring_round_share > 1 || o->ring_night_share < 0 ||
        o->ring_night_share > 1 || o->ring_empty_ref < 0 || o->ring_empty_ref > 1 ||
        o->watch_ring_share < 0 || o->watch_ring_share > 1) {
        return pg_error_set(PG_EINVAL, "generate: offender amounts or shares out of range");
    }
    return PG_OK;
}

/* ---- JSON world file ---------------------------------------------------- */

static int json_number(const cJSON *item, double lo, double hi, double *out)
{
    if (!cJSON_IsNumber(item) || item->valuedouble < lo || item->valuedouble > hi) {
        return pg_error_set(PG_EINPUT, "generate config: \"%s\" must be a number in [%g, %g]",
                            item->string, lo, hi);
    }
    *out = item->valuedouble;
    return PG_OK;
}

static int parse_date(const char *s, int64_t *out)
{
    int y, m, d;
    char tail;
    if (!s || sscanf(s, "%4d-%2d-%2d%c", &y, &m, &d, &tail) != 3 || m < 1 || m > 12 || d < 1 ||
        d > 31) {
        return pg_error_set(PG_EINPUT, "generate config: \"start\" must be YYYY-MM-DD");
    }
    /* Days from civil (proleptic Gregorian). */
    y -= m <= 2;
    int64_t era = (y >= 0 ? y : y - 399) / 400;
    int64_t yoe = y - era * 400;
    int64_t doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
    int64_t doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    *out = (era * 146097 + doe - 719468) * 86400;
    return PG_OK;
}

static int config_offender(pg_generate_options *o, const cJSON *obj)
{
    const cJSON *it;
    double v = 0.0;
    int err = 0;
    cJSON_ArrayForEach(it, obj)
    {
        const char *k = it->string;
        if (!strcmp(k, "amount_min") && !(err = json_number(it, 0.01, 1e6, &v))) {
            o->ring_amount_min = (int64_t)(v * 100 + 0.5);
        } else if (!strcmp(k, "amount_max") && !(err = json_number(it, 0.01, 1e6, &v))) {
            o->ring_amount_max = (int64_t)(v * 100 + 0.5);
        } else if (!strcmp(k, "round_share") && !(err = json_number(it, 0, 1, &v))) {
            o->ring_round_share = v;
        } else if (!strcmp(k, "night_share") && !(err = json_number(it, 0, 1, &v))) {
            o->ring_night_share = v;
        } else if (!strcmp(k, "empty_reference_share") && !(err = json_number(it, 0, 1, &v))) {
            o->ring_empty_ref = v;
        } else if (!strcmp(k, "payers_max") && !(err = json_number(it, 4, 36, &v))) {
            o->ring_payers_max = (int)v;
        } else if (!err) {
            err = pg_error_set(PG_EINPUT, "generate config: unknown key offender.%s", k);
        }
        if (err) {
            return err;
        }
    }
    return PG_OK;
}

static int config_watchlist(pg_generate_options *o, const cJSON *obj)
{
    const cJSON *it;
    double v = 0.0;
    int err = 0;
    cJSON_ArrayForEach(it, obj)
    {
        if (!strcmp(it->string, "ring_share") && !(err = json_number(it, 0, 1, &v))) {
            o->watch_ring_share = v;
        } else if (!strcmp(it->string, "false_leads") && !(err = json_number(it, 0, 1e6, &v))) {
            o->false_leads = (int)v;
        } else if (!err) {
            err = pg_error_set(PG_EINPUT, "generate config: unknown key watchlist.%s", it->string);
        }
        if (err) {
            return err;
        }
    }
    return PG_OK;
}

static int config_key(pg_generate_options *o, const cJSON *it)
{
    const char *k = it->string;
    double v = 0.0;
    int err = 0;
    if (!strcmp(k, "persons") && !(err = json_number(it, 100, 1e9, &v))) {
        o->persons = (int64_t)v;
    } else if (!strcmp(k, "rings") && !(err = json_number(it, 0, 1e6, &v))) {
        o->rings = (int)v;
    } else if (!strcmp(k, "laundering") && !(err = json_number(it, 0, 1e6, &v))) {
        o->laundering = (int)v;
    } else if (!strcmp(k, "days") && !(err = json_number(it, 1, 3660, &v))) {
        o->days = (int)v;
    } else if (!strcmp(k, "institutions") && !(err = json_number(it, 4, 16, &v))) {
        o->institutions = (int)v;
    } else if (!strcmp(k, "seed") && !(err = json_number(it, 0, 9007199254740992.0, &v))) {
        o->seed = (uint64_t)v;
    } else if (!strcmp(k, "threads") && !(err = json_number(it, 0, 4096, &v))) {
        o->threads = (int)v;
    } else if (!strcmp(k, "gzip")) {
        if (!cJSON_IsBool(it)) {
            return pg_error_set(PG_EINPUT, "generate config: \"gzip\" must be true or false");
        }
        o->gzip = cJSON_IsTrue(it);
    } else if (!strcmp(k, "start")) {
        err = parse_date(cJSON_GetStringValue(it), &o->start);
    } else if (!strcmp(k, "offender") && cJSON_IsObject(it)) {
        err = config_offender(o, it);
    } else if (!strcmp(k, "watchlist") && cJSON_IsObject(it)) {
        err = config_watchlist(o, it);
    } else if (!err) {
        err = pg_error_set(PG_EINPUT, "generate config: unknown or malformed key \"%s\"", k);
    }
    return err;
}

static int read_whole(const char *path, char **out)
{
    FILE *f = fopen(path, "rb");
    if (!f) {
        return pg_error_set(PG_EIO, "%s: %s", path, strerror(errno));
    }
    size_t cap = 4096, len = 0;
    char *buf = pg_malloc(cap);
    int err = buf ? 0 : pg_error_oom("config text", cap);
    while (!err) {
        if (len + 1 >= cap && pg_grow((void **)&buf, &cap, len + 4096, 1) < 0) {
            err = pg_error_oom("config text", len + 4096);
            break;
        }
        size_t n = fread(buf + len, 1, cap - len - 1, f);
        len += n;
        if (n == 0) {
            err = ferror(f) ? pg_error_set(PG_EIO, "%s: read error", path) : 0;
            break;
        }
    }
    fclose(f);
    if (err) {
        pg_free(buf);
        return err;
    }
    buf[len] = '\0';
    *out = buf;
    return PG_OK;
}

int pg_generate_config_load(pg_generate_options *opts, const char *path)
{
    char *text = NULL;
    int err = read_whole(path, &text);
    if (err < 0) {
        return err;
    }
    cJSON *root = cJSON_Parse(text);
    pg_free(text);
    if (!cJSON_IsObject(root)) {
        cJSON_Delete(root);
        return pg_error_set(PG_EINPUT, "%s: not a JSON object", path);
    }
    const cJSON *it;
    cJSON_ArrayForEach(it, root)
    {
        if ((err = config_key(opts, it)) < 0) {
            break;
        }
    }
    cJSON_Delete(root);
    return err < 0 ? pg_error_wrap(err, "%s", path) : PG_OK;
}

/* ---- output files ------------------------------------------------------- */

typedef struct gen_file {
    FILE *f;
    gzFile gz;
    char path[1024], tmp[1040];
} gen_file;

/*
 * gzip: 0 plain, 1 compressed through zlib's gz* stream, 2 a plain file that
 * receives gzip members compressed by the caller (concatenated members are
 * one valid gzip file, RFC 1952 §2.2).
 */
static int file_open(gen_file *o, const char *dir, const char *name, int gzip)
{
    memset(o, 0, sizeof(*o));
    int n = snprintf(o->path, sizeof(o->path), "%s/%s%s", dir, name, gzip ? ".csv.gz" : ".csv");
    if (n < 0 || (size_t)n >= sizeof(o->path)) {
        return pg_error_set(PG_EINVAL, "generate: output path too long");
    }
    snprintf(o->tmp, sizeof(o->tmp), "%s.tmp", o->path);
    if (gzip == 1) {
        o->gz = gzopen(o->tmp, "wb" GEN_GZIP_LEVEL_STR);
    } else {
        o->f = fopen(o->tmp, "wb");
    }
    if (!o->f && !o->gz) {
        return pg_error_set(PG_EIO, "%s: %s", o->tmp, strerror(errno));
    }
    return PG_OK;
}

static int file_write(gen_file *o, const char *buf, size_t len)
{
    if (o->gz) {
        while (len > 0) {
            unsigned chunk = len > (1u << 30) ? (1u << 30) : (unsigned)len;
            if (gzwrite(o->gz, buf, chunk) != (int)chunk) {
                return pg_error_set(PG_EDEP, "%s: zlib write failed", o->tmp);
            }
            buf += chunk;
            len -= chunk;
        }
        return PG_OK;
    }
    if (len && fwrite(buf, 1, len, o->f) != len) {
        return pg_error_set(PG_EIO, "%s: %s", o->tmp, strerror(errno));
    }
    return PG_OK;
}

/* Close; on success rename into place, on failure remove the temporary file. */
static int file_close(gen_file *o, int ok)
{
    int err = 0;
    if (o->gz && gzclose(o->gz) != Z_OK) {
        err = pg_error_set(PG_EDEP, "%s: zlib close failed", o->tmp);
    }
    if (o->f && fclose(o->f) != 0) {
        err = pg_error_set(PG_EIO, "%s: %s", o->tmp, strerror(errno));
    }
    if (!o->f && !o->gz) {
        return PG_OK;
    }
    o->f = NULL;
    o->gz = NULL;
    if (ok && !err && rename(o->tmp, o->path) != 0) {
        err = pg_error_set(PG_EIO, "%s: %s", o->path, strerror(errno));
    }
    if (!ok || err) {
        remove(o->tmp);
    }
    return err;
}

/* Per-slot scratch of one batch: rows and their text. */
typedef struct gen_slot {
    gen_rowbuf rows;
    gen_text text;
    gen_text z; /* the text as one gzip member, with --gzip */
    int64_t nrows, planted, first_id;
    int err;
    char msg[256];
} gen_slot;

static void slots_free(gen_slot *s, int n)
{
    for (int i = 0; s && i < n; i++) {
        pg_free(s[i].rows.rows);
        pg_free(s[i].text.buf);
        pg_free(s[i].z.buf);
    }
    pg_free(s);
}

static int fill_tx_slot(const gen_world *w, gen_slot *s, uint32_t block, int day)
{
    int err = pg_gen__block_day(w, block, day, &s->rows);
    s->nrows = (int64_t)s->rows.n;
    s->planted = 0;
    for (size_t i = 0; i < s->rows.n; i++) {
        s->planted += s->rows.rows[i].label;
    }
    return err;
}

/* Compress text into one gzip member (deterministic for a given zlib and level). */
static int gzip_member(const char *text, size_t len, gen_text *z)
{
    z_stream zs;
    memset(&zs, 0, sizeof(zs));
    if (deflateInit2(&zs, GEN_GZIP_LEVEL, Z_DEFLATED, 15 + 16, 8, Z_DEFAULT_STRATEGY) != Z_OK) {
        return pg_error_set(PG_EDEP, "generate: zlib deflateInit2 failed");
    }
    z->len = 0;
    int err = pg_gen__text_reserve(z, deflateBound(&zs, (uLong)len) + 64);
    if (!err) {
        zs.next_in = (Bytef *)(uintptr_t)text;
        zs.avail_in = (uInt)len;
        zs.next_out = (Bytef *)z->buf;
        zs.avail_out = (uInt)z->cap;
        if (deflate(&zs, Z_FINISH) != Z_STREAM_END) {
            err = pg_error_set(PG_EDEP, "generate: zlib deflate failed");
        }
        z->len = zs.total_out;
    }
    deflateEnd(&zs);
    return err;
}

static int format_tx_slot(const gen_world *w, gen_slot *s)
{
    s->text.len = 0;
    int err = pg_gen__format_rows(w, &s->rows, s->first_id, &s->text);
    if (!err && w->opt.gzip) {
        err = gzip_member(s->text.buf, s->text.len, &s->z);
    }
    return err;
}

/* Where a batch is in the stream: day, first block, number of blocks. */
typedef struct gen_batch {
    int day;
    uint32_t b0;
    int nb;
} gen_batch;

static gen_batch batch_at(const gen_world *w, int64_t k)
{
    int64_t per_day = (w->nblocks + GEN_BATCH - 1) / GEN_BATCH;
    gen_batch b;
    b.day = (int)(k / per_day);
    b.b0 = (uint32_t)(k % per_day) * GEN_BATCH;
    b.nb = (int)(w->nblocks - b.b0 < GEN_BATCH ? w->nblocks - b.b0 : GEN_BATCH);
    return b;
}

/*
 * Error messages are thread-local: a failure on a worker thread is recorded
 * with its message in the slot and raised again on the calling thread.
 */
static void slot_fail(gen_slot *s, int err)
{
    s->err = err;
    if (err) {
        snprintf(s->msg, sizeof(s->msg), "%s", pg_error_last());
    }
}

static int write_batch(gen_file *f, const gen_slot *slot, int nb, int gzip,
                       pg_generate_summary *sum)
{
    for (int i = 0; i < nb; i++) {
        if (slot[i].err) {
            return pg_error_set(slot[i].err, "%s", slot[i].msg);
        }
        const gen_text *t = gzip ? &slot[i].z : &slot[i].text;
        int err = file_write(f, t->buf, t->len);
        if (err) {
            return err;
        }
        sum->transactions += slot[i].nrows;
        sum->planted += slot[i].planted;
    }
    return PG_OK;
}

/* Number the rows of a generated batch: a prefix sum over its blocks, in block order. */
static void number_batch(gen_slot *slot, int nb, int64_t *next_id)
{
    for (int i = 0; i < nb; i++) {
        slot[i].first_id = *next_id;
        *next_id += slot[i].nrows;
    }
}

/*
 * A three-stage pipeline over batches, one parallel region per batch: one
 * thread writes batch k-2 (in block order) while the others format batch
 * k-1 (its row ids are known: numbered after k-1 was generated) and then
 * generate batch k; the writer joins them when done (dynamic schedules,
 * nowait). Which thread does what never changes the bytes written.
 */
static int write_transactions(const gen_world *w, const char *dir, pg_generate_summary *sum)
{
    static const char header[] = "txn_id,timestamp,amount,currency,src_institution,src_account,"
                                 "dst_institution,dst_account,channel,dst_country,reference,"
                                 "label\n";
    gen_file f;
    gen_text hz = {0};
    gen_slot *slot = pg_calloc(3 * GEN_BATCH, sizeof(*slot));
    if (!slot) {
        return pg_error_oom("generator batch", 3 * GEN_BATCH * sizeof(*slot));
    }
    int gzip = w->opt.gzip;
    int err = file_open(&f, dir, "transactions", gzip ? 2 : 0);
    if (!err && gzip) {
        err = gzip_member(header, sizeof(header) - 1, &hz);
    }
    if (!err) {
        err = gzip ? file_write(&f, hz.buf, hz.len) : file_write(&f, header, sizeof(header) - 1);
    }
    int threads = pg_threads_resolve(w->opt.threads);
    (void)threads; /* unused without OpenMP */
    int64_t next_id = 1;
    int64_t total = (int64_t)w->opt.days * ((w->nblocks + GEN_BATCH - 1) / GEN_BATCH);
    int nb[3] = {0, 0, 0}; /* blocks of the batch held in each third of slot[] */
    for (int64_t k = 0; k < total + 2 && !err; k++) {
        gen_batch b = k < total ? batch_at(w, k) : (gen_batch){0, 0, 0};
        gen_slot *gen = slot + (k % 3) * GEN_BATCH;
        gen_slot *fmt = slot + ((k + 2) % 3) * GEN_BATCH;
        gen_slot *out = slot + ((k + 1) % 3) * GEN_BATCH;
        int nfmt = nb[(k + 2) % 3], nout = nb[(k + 1) % 3];
        nb[k % 3] = b.nb;
        number_batch(fmt, nfmt, &next_id);
        int werr = 0;
        char wmsg[256] = "";
#pragma omp parallel num_threads(threads)
        {
#pragma omp single nowait
            {
                werr = write_batch(&f, out, nout, gzip, sum);
                if (werr) {
                    snprintf(wmsg, sizeof(wmsg), "%s", pg_error_last());
                }
            }
#pragma omp for schedule(dynamic, 1) nowait
            for (int i = 0; i < nfmt; i++) {
                if (!fmt[i].err) {
                    slot_fail(&fmt[i], format_tx_slot(w, &fmt[i]));
                }
            }
#pragma omp for schedule(dynamic, 1) nowait
            for (int i = 0; i < b.nb; i++) {
                slot_fail(&gen[i], fill_tx_slot(w, &gen[i], b.b0 + (uint32_t)i, b.day));
            }
        }
        if (werr) {
            err = pg_error_set(werr, "%s", wmsg);
        }
        if (!err && pg_interrupted()) {
            err = pg_error_set(PG_EINTR, "generate: interrupted");
        }
    }
    int cerr = file_close(&f, !err);
    slots_free(slot, 3 * GEN_BATCH);
    pg_free(hz.buf);
    return err ? err : cerr;
}

static int write_accounts(const gen_world *w, const char *dir, pg_generate_summary *sum)
{
    static const char header[] = "institution,account,entity,kind,country,opened\n";
    gen_file f;
    gen_slot *slot = pg_calloc(GEN_BATCH, sizeof(*slot));
    if (!slot) {
        return pg_error_oom("generator batch", GEN_BATCH * sizeof(*slot));
    }
    int err = file_open(&f, dir, "accounts", w->opt.gzip);
    if (!err) {
        err = file_write(&f, header, sizeof(header) - 1);
    }
    int threads = pg_threads_resolve(w->opt.threads);
    (void)threads; /* unused without OpenMP */
    for (uint32_t b0 = 0; b0 < w->nblocks && !err; b0 += GEN_BATCH) {
        int nb = (int)(w->nblocks - b0 < GEN_BATCH ? w->nblocks - b0 : GEN_BATCH);
#pragma omp parallel for schedule(dynamic, 1) num_threads(threads)
        for (int i = 0; i < nb; i++) {
            slot[i].text.len = 0;
            slot_fail(&slot[i], pg_gen__format_accounts_block(w, b0 + (uint32_t)i, &slot[i].text));
        }
        for (int i = 0; i < nb && !err; i++) {
            err = slot[i].err ? pg_error_set(slot[i].err, "%s", slot[i].msg) : 0;
            if (!err) {
                err = file_write(&f, slot[i].text.buf, slot[i].text.len);
                for (size_t c = 0; c < slot[i].text.len; c++) {
                    sum->accounts += slot[i].text.buf[c] == '\n';
                }
            }
        }
    }
    if (!err) {
        int64_t rows = 0;
        slot[0].text.len = 0;
        err = pg_gen__format_other_accounts(w, &slot[0].text, &rows);
        if (!err) {
            err = file_write(&f, slot[0].text.buf, slot[0].text.len);
            sum->accounts += rows;
        }
    }
    int cerr = file_close(&f, !err);
    slots_free(slot, GEN_BATCH);
    return err ? err : cerr;
}

static int write_small(const gen_world *w, const char *dir, int truth, int64_t *rows)
{
    gen_file f;
    gen_text t = {0};
    size_t n = truth ? w->nmembers : w->nwatch;
    int err = pg_gen__text_reserve(&t, 64 + n * 96);
    if (!err) {
        err = file_open(&f, dir, truth ? "truth" : "watchlist", w->opt.gzip);
    }
    if (err) {
        pg_free(t.buf);
        return err;
    }
    t.len = (size_t)snprintf(t.buf, 64, "%s\n",
                             truth ? "institution,account,ring,role" : "institution,account,label");
    for (size_t i = 0; i < n; i++) {
        uint32_t acct = truth ? w->members[i].acct : w->watch[i].acct;
        int inst = truth ? w->members[i].inst : w->watch[i].inst;
        char id[11];
        pg_gen__format_account(id, acct, w->opt.seed);
        id[10] = '\0';
        char *p = t.buf + t.len;
        if (truth) {
            const gen_member *m = &w->members[i];
            t.len += (size_t)snprintf(p, 96, "%s,%s,%c%d,%s\n", w->inst[inst].name, id, m->group,
                                      m->id, pg_gen__role_name[m->role]);
        } else {
            t.len += (size_t)snprintf(p, 96, "%s,%s,%s\n", w->inst[inst].name, id,
                                      pg_gen__watch_label[w->watch[i].label]);
        }
    }
    err = file_write(&f, t.buf, t.len);
    int cerr = file_close(&f, !err);
    pg_free(t.buf);
    *rows = (int64_t)n;
    return err ? err : cerr;
}

static int make_dir(const char *dir)
{
    struct stat st;
    if (stat(dir, &st) == 0) {
        return S_ISDIR(st.st_mode) ? PG_OK
                                   : pg_error_set(PG_EIO, "%s: exists and is not a folder", dir);
    }
    if (mkdir(dir, 0755) != 0) {
        return pg_error_set(PG_EIO, "%s: %s", dir, strerror(errno));
    }
    return PG_OK;
}

static int plan_world(gen_world *w)
{
    int err = pg_gen__plan_rings(w);
    if (!err) {
        err = pg_gen__plan_laundering(w);
    }
    if (!err) {
        err = pg_gen__plan_fundraisers(w);
    }
    if (!err) {
        err = pg_gen__plan_watchlist(w);
    }
    if (!err) {
        err = pg_gen__plan_finish(w);
    }
    return err;
}

int pg_generate(pg_generate_summary *out, const char *dir, const pg_generate_options *opts)
{
    pg_generate_summary sum;
    memset(&sum, 0, sizeof(sum));
    if (!dir || !opts) {
        return pg_error_set(PG_EINVAL, "generate: output folder and options are required");
    }
    int err = validate(opts);
    if (err < 0) {
        return err;
    }
    gen_world *w = pg_calloc(1, sizeof(*w));
    if (!w) {
        return pg_error_oom("generator world", sizeof(*w));
    }
    err = make_dir(dir);
    if (!err) {
        err = pg_gen__world_init(w, opts);
    }
    if (!err) {
        err = plan_world(w);
    }
    if (!err) {
        err = write_transactions(w, dir, &sum);
    }
    if (!err) {
        err = write_accounts(w, dir, &sum);
    }
    if (!err) {
        err = write_small(w, dir, 0, &sum.watchlist);
    }
    if (!err) {
        err = write_small(w, dir, 1, &sum.truth);
    }
    sum.rings = w->rings_planted;
    sum.laundering = w->groups_planted;
    sum.institutions = w->ninst;
    sum.pooled = w->ndomestic;
    pg_gen__world_free(w);
    pg_free(w);
    if (!err && out) {
        *out = sum;
    }
    return err;
}
