/*
 * results.h5: the numbers behind a scan for data scientists (h5py/pandas),
 * laid out in docs/results_h5.md — one array per account quantity under
 * /accounts, one dataset per feature under /features, and the rings as
 * column tables under /rings (one row per ring) with their members and
 * institutions as long tables keyed by ring id.
 *
 * Strings are NUL-separated byte blobs plus offsets (engine/store/h5util),
 * the same convention as the pool file, so no variable-length HDF5 types are
 * needed. Object times are off and nothing run-specific (times, threads) is
 * stored, so equal results give byte-identical files. Written to a
 * temporary name beside path and renamed on success; mode 0600. The file
 * is assembled in memory first (see create_in_memory). It is sealed as a
 * pool file is (store/seal.c), since `scan --previous` reads it back.
 * Complexity: O(accounts x features + ring members).
 */
#include <stdio.h>
#include <string.h>
#include <errno.h>

#include "core/alloc.h"
#include "core/error.h"
#include "report/report_util.h"
#include "store/h5util.h"
#include "store/seal.h"

static int accounts(pg_h5 *h, const pg_pool *p, const pg_graph *g, const pg_rings *r)
{
    pg_account_columns a;
    pg_pool_accounts(p, &a);
    uint32_t n = a.n;
    int err;
    if ((err = pg_h5_group(h, "/accounts")) < 0 ||
        (err = pg_h5_write(h, "/accounts/institution", H5T_NATIVE_UINT32, a.institution, n)) < 0 ||
        (err = pg_h5_write_pool_names(h, "/accounts/name", n, p, pg_pool_account_name)) < 0 ||
        (err = pg_h5_write_pool_names(h, "/institutions", pg_pool_num_institutions(p), p,
                                      pg_pool_institution_name)) < 0) {
        return err;
    }
    if (g && g->vertex_of_account && g->n_accounts == n &&
        (err = pg_h5_write(h, "/accounts/vertex", H5T_NATIVE_UINT32, g->vertex_of_account, n)) <
            0) {
        return err;
    }
    if (r->n_accounts != n) {
        return pg_error_set(PG_EINVAL, "results: %u account scores for %u accounts", r->n_accounts,
                            n);
    }
    if ((r->community &&
         (err = pg_h5_write(h, "/accounts/community", H5T_NATIVE_UINT32, r->community, n)) < 0) ||
        (r->account_score &&
         (err = pg_h5_write(h, "/accounts/score", H5T_NATIVE_DOUBLE, r->account_score, n)) < 0) ||
        (r->ppr && (err = pg_h5_write(h, "/accounts/ppr", H5T_NATIVE_DOUBLE, r->ppr, n)) < 0)) {
        return err;
    }
    if (r->account_ring) {
        /* 0 = in no ring: ring ids are 1-based, and 0 reads better than 2^32-1 in pandas. */
        uint32_t *ring = pg_malloc_array(n ? n : 1, sizeof(uint32_t));
        if (!ring) {
            return pg_error_oom("results ring column", (size_t)n * 4);
        }
        for (uint32_t v = 0; v < n; v++) {
            ring[v] = r->account_ring[v] == PG_NONE ? 0 : r->account_ring[v];
        }
        err = pg_h5_write(h, "/accounts/ring", H5T_NATIVE_UINT32, ring, n);
        pg_free(ring);
    }
    return err;
}

static int features(pg_h5 *h, const pg_rings *r)
{
    const pg_features *f = &r->features;
    int err = pg_h5_group(h, "/features");
    if (err < 0 || !f->values || f->n_features == 0) {
        return err;
    }
    double *col = pg_malloc_array(f->n_accounts ? f->n_accounts : 1, sizeof(double));
    if (!col) {
        return pg_error_oom("results feature column", (size_t)f->n_accounts * 8);
    }
    for (uint32_t j = 0; j < f->n_features && !err; j++) {
        char name[160];
        for (uint32_t v = 0; v < f->n_accounts; v++) {
            col[v] = f->values[(size_t)v * f->n_features + j];
        }
        snprintf(name, sizeof(name), "/features/%s", f->names[j]);
        err = pg_h5_write(h, name, H5T_NATIVE_DOUBLE, col, f->n_accounts);
    }
    pg_free(col);
    return err;
}

/* Per-ring columns, gathered into one allocation. */
typedef struct ring_cols {
    uint32_t *id, *n_members, *n_inst, *n_txns, *community;
    double *score;
    int64_t *total, *first, *last;
    const char **typology, **detector;
} ring_cols;

static int ring_table(pg_h5 *h, const pg_rings *r)
{
    uint32_t n = r->n, c = n ? n : 1;
    ring_cols t;
    void *mem = pg_calloc(c, 5 * 4 + 4 * 8 + 2 * sizeof(char *));
    if (!mem) {
        return pg_error_oom("results ring table", (size_t)c * 60);
    }
    t.score = mem;
    t.total = (int64_t *)(t.score + c);
    t.first = t.total + c;
    t.last = t.first + c;
    t.typology = (const char **)(t.last + c);
    t.detector = t.typology + c;
    t.id = (uint32_t *)(t.detector + c);
    t.n_members = t.id + c;
    t.n_inst = t.n_members + c;
    t.n_txns = t.n_inst + c;
    t.community = t.n_txns + c;
    for (uint32_t k = 0; k < n; k++) {
        const pg_ring *g = &r->rings[k];
        t.id[k] = g->id;
        t.score[k] = g->score;
        t.n_members[k] = g->n_members;
        t.n_inst[k] = g->n_institutions;
        t.n_txns[k] = g->n_txns;
        t.community[k] = g->community;
        t.total[k] = g->total_amount;
        t.first[k] = g->first_ts;
        t.last[k] = g->last_ts;
        t.typology[k] = g->typology ? g->typology : "";
        t.detector[k] = g->detector ? g->detector : "";
    }
    int err;
    (void)((err = pg_h5_write(h, "/rings/id", H5T_NATIVE_UINT32, t.id, n)) < 0 ||
           (err = pg_h5_write(h, "/rings/score", H5T_NATIVE_DOUBLE, t.score, n)) < 0 ||
           (err = pg_h5_write(h, "/rings/n_members", H5T_NATIVE_UINT32, t.n_members, n)) < 0 ||
           (err = pg_h5_write(h, "/rings/n_institutions", H5T_NATIVE_UINT32, t.n_inst, n)) < 0 ||
           (err = pg_h5_write(h, "/rings/n_transactions", H5T_NATIVE_UINT32, t.n_txns, n)) < 0 ||
           (err = pg_h5_write(h, "/rings/community", H5T_NATIVE_UINT32, t.community, n)) < 0 ||
           (err = pg_h5_write(h, "/rings/total_amount", H5T_NATIVE_INT64, t.total, n)) < 0 ||
           (err = pg_h5_write(h, "/rings/first_time", H5T_NATIVE_INT64, t.first, n)) < 0 ||
           (err = pg_h5_write(h, "/rings/last_time", H5T_NATIVE_INT64, t.last, n)) < 0 ||
           (err = pg_h5_write_string_list(h, "/rings/typology", t.typology, n)) < 0 ||
           (err = pg_h5_write_string_list(h, "/rings/detector", t.detector, n)) < 0);
    pg_free(mem);
    return err;
}

/* Where each ring stood in an earlier scan, when the scan was matched to one. */
static int previous_table(pg_h5 *h, const pg_rings *r)
{
    uint32_t n = r->n, c = n ? n : 1;
    if (!r->previous.matched) {
        return 0;
    }
    uint32_t *col = pg_malloc_array((size_t)c * 3, sizeof(uint32_t));
    uint8_t *cont = pg_malloc(c);
    int err = 0;
    if (!col || !cont) {
        err = pg_error_oom("results previous-scan table", (size_t)c * 13);
    }
    for (uint32_t k = 0; k < n && !err; k++) {
        const pg_ring_previous *q = &r->rings[k].previous;
        col[k] = q->id;
        col[c + k] = q->shared;
        col[2 * (size_t)c + k] = q->members;
        cont[k] = (uint8_t)(q->continues != 0);
    }
    (void)(err < 0 || (err = pg_h5_write(h, "/rings/previous_id", H5T_NATIVE_UINT32, col, n)) < 0 ||
           (err = pg_h5_write(h, "/rings/previous_shared", H5T_NATIVE_UINT32, col + c, n)) < 0 ||
           (err = pg_h5_write(h, "/rings/previous_members", H5T_NATIVE_UINT32, col + 2 * (size_t)c,
                              n)) < 0 ||
           (err = pg_h5_write(h, "/rings/previous_continues", H5T_NATIVE_UINT8, cont, n)) < 0 ||
           (err = pg_h5_attr_int(h, "/", "previous_rings", r->previous.rings)) < 0 ||
           (err = pg_h5_attr_int(h, "/", "previous_accounts", r->previous.accounts)) < 0 ||
           (err = pg_h5_attr_int(h, "/", "previous_accounts_found", r->previous.accounts_found)) <
               0 ||
           (err = pg_h5_attr_int(h, "/", "previous_continuing", r->previous.continuing)) < 0 ||
           (err = pg_h5_attr_int(h, "/", "previous_gone", r->previous.gone)) < 0 ||
           (err = pg_h5_attr_string(h, "/", "previous_sha256", r->previous.sha256)) < 0 ||
           (err = pg_h5_group(h, "/previous_scan")) < 0 ||
           (err = pg_h5_write(h, "/previous_scan/gone_id", H5T_NATIVE_UINT32, r->previous.gone_id,
                              r->previous.gone)) < 0);
    pg_free(col);
    pg_free(cont);
    return err;
}

/* The long tables: one row per (ring, member) and per (ring, institution). */
static int member_table(pg_h5 *h, const pg_rings *r)
{
    size_t nm = 0, ni = 0;
    for (uint32_t k = 0; k < r->n; k++) {
        nm += r->rings[k].n_members;
        ni += r->rings[k].n_institutions;
    }
    size_t cm = nm ? nm : 1, ci = ni ? ni : 1;
    double *score = pg_malloc_array(cm, sizeof(double));
    uint32_t *ring = pg_malloc_array(cm, sizeof(uint32_t));
    uint32_t *acct = pg_malloc_array(cm, sizeof(uint32_t));
    uint8_t *role = pg_malloc_array(cm, 1);
    uint32_t *iring = pg_malloc_array(ci, sizeof(uint32_t));
    uint32_t *inst = pg_malloc_array(ci, sizeof(uint32_t));
    int err = 0;
    if (!score || !ring || !acct || !role || !iring || !inst) {
        err = pg_error_oom("results member table", nm * 17 + ni * 8);
        goto done;
    }
    size_t j = 0, q = 0;
    for (uint32_t k = 0; k < r->n; k++) {
        const pg_ring *g = &r->rings[k];
        for (uint32_t i = 0; i < g->n_members; i++, j++) {
            ring[j] = g->id;
            acct[j] = g->members[i].account;
            role[j] = (uint8_t)g->members[i].role;
            score[j] = g->members[i].score;
        }
        for (uint32_t i = 0; i < g->n_institutions; i++, q++) {
            iring[q] = g->id;
            inst[q] = g->institutions[i];
        }
    }
    (void)((err = pg_h5_group(h, "/rings/members")) < 0 ||
           (err = pg_h5_write(h, "/rings/members/ring_id", H5T_NATIVE_UINT32, ring, nm)) < 0 ||
           (err = pg_h5_write(h, "/rings/members/account", H5T_NATIVE_UINT32, acct, nm)) < 0 ||
           (err = pg_h5_write(h, "/rings/members/role", H5T_NATIVE_UINT8, role, nm)) < 0 ||
           (err = pg_h5_write(h, "/rings/members/score", H5T_NATIVE_DOUBLE, score, nm)) < 0 ||
           (err = pg_h5_group(h, "/rings/institutions")) < 0 ||
           (err = pg_h5_write(h, "/rings/institutions/ring_id", H5T_NATIVE_UINT32, iring, ni)) <
               0 ||
           (err = pg_h5_write(h, "/rings/institutions/institution", H5T_NATIVE_UINT32, inst, ni)) <
               0);
done:
    pg_free(score);
    pg_free(ring);
    pg_free(acct);
    pg_free(role);
    pg_free(iring);
    pg_free(inst);
    return err;
}

static int roles(pg_h5 *h)
{
    const char *names[5];
    for (int i = 0; i < 5; i++) {
        names[i] = pg_role_name((pg_role)i);
    }
    return pg_h5_write_string_list(h, "/rings/role_names", names, 5);
}

static int attributes(pg_h5 *h, const pg_pool *p, const pg_graph *g, const pg_rings *r,
                      const pg_run_info *run)
{
    int err;
    const char *cur = pg_pool_reporting_currency(p);
    (void)((err = pg_h5_attr_string(h, "/", "format", "paygraph-results")) < 0 ||
           (err = pg_h5_attr_int(h, "/", "format_version", 1)) < 0 ||
           (err = pg_h5_attr_string(h, "/", "paygraph_version", pg_version())) < 0 ||
           (err = pg_h5_attr_string(h, "/", "level",
                                    g && g->level == PG_LEVEL_ENTITY ? "entity" : "account")) < 0 ||
           (err = pg_h5_attr_int(h, "/", "seed", run ? (int64_t)run->seed : 0)) < 0 ||
           (err = pg_h5_attr_string(h, "/", "reporting_currency", cur ? cur : "")) < 0 ||
           (err = pg_h5_attr_int(h, "/", "reporting_scale", pg_report__rep_scale(p))) < 0 ||
           (err = pg_h5_attr_int(h, "/", "n_communities", r->n_communities)) < 0 ||
           (err = pg_h5_attr_double(h, "/", "modularity", r->modularity)) < 0);
    return err;
}

static int write_all(pg_h5 *h, const pg_pool *p, const pg_graph *g, const pg_rings *r,
                     const pg_run_info *run)
{
    int err;
    (void)((err = attributes(h, p, g, r, run)) < 0 || (err = accounts(h, p, g, r)) < 0 ||
           (err = features(h, r)) < 0 || (err = pg_h5_group(h, "/rings")) < 0 ||
           (err = ring_table(h, r)) < 0 || (err = previous_table(h, r)) < 0 ||
           (err = member_table(h, r)) < 0 || (err = roles(h)) < 0);
    return err;
}

/*
 * The file is built in memory (HDF5 core driver, no backing store) and
 * written out with plain checked writes. HDF5 1.10 keeps a file whose close
 * failed (disk full) in its table and crashes on it at process exit; with
 * the image in memory every disk error is ours to report and nothing is
 * left half-open.
 */
static int create_in_memory(pg_h5 *h, const char *path)
{
    memset(h, 0, sizeof(*h));
    h->path = path;
    h->compression = 1;
    H5Eget_auto2(H5E_DEFAULT, &h->saved_func, &h->saved_data);
    H5Eset_auto2(H5E_DEFAULT, NULL, NULL);
    hid_t fcpl = H5Pcreate(H5P_FILE_CREATE);
    hid_t fapl = H5Pcreate(H5P_FILE_ACCESS);
    H5Pset_obj_track_times(fcpl, 0);
    H5Pset_userblock(fcpl, PG_SEAL_BYTES);
    H5Pset_fapl_core(fapl, 1 << 20, 0);
    h->file = H5Fcreate(path, H5F_ACC_TRUNC, fcpl, fapl);
    H5Pclose(fcpl);
    H5Pclose(fapl);
    if (h->file < 0) {
        H5Eset_auto2(H5E_DEFAULT, h->saved_func, h->saved_data);
        return pg_error_set(PG_EDEP, "%s: HDF5 could not create the file in memory", path);
    }
    return 0;
}

static int image_of(pg_h5 *h, void **out, size_t *len)
{
    *out = NULL;
    if (H5Fflush(h->file, H5F_SCOPE_GLOBAL) < 0) {
        return pg_error_set(PG_EDEP, "%s: HDF5 flush failed", h->path);
    }
    ssize_t n = H5Fget_file_image(h->file, NULL, 0);
    if (n <= 0) {
        return pg_error_set(PG_EDEP, "%s: HDF5 file image unavailable", h->path);
    }
    /*
     * The image starts at the superblock: the user block that holds the
     * seal (results files are read back by `scan --previous`) goes before it.
     */
    *out = pg_calloc((size_t)n + PG_SEAL_BYTES, 1);
    if (!*out) {
        return pg_error_oom("results.h5 image", (size_t)n + PG_SEAL_BYTES);
    }
    if (H5Fget_file_image(h->file, (char *)*out + PG_SEAL_BYTES, (size_t)n) != n) {
        pg_free(*out);
        *out = NULL;
        return pg_error_set(PG_EDEP, "%s: HDF5 file image copy failed", h->path);
    }
    *len = (size_t)n + PG_SEAL_BYTES;
    return 0;
}

int pg_results_write_h5(const char *path, const pg_pool *p, const pg_graph *g, const pg_rings *r,
                        const pg_run_info *run)
{
    char tmp[4200];
    pg_h5 h;
    void *image = NULL;
    size_t len = 0;
    int err = pg_h5_tmp_path(tmp, sizeof(tmp), path);
    if (err < 0 || (err = create_in_memory(&h, path)) < 0) {
        return err;
    }
    err = write_all(&h, p, g, r, run);
    if (!err) {
        err = image_of(&h, &image, &len);
    }
    int cerr = pg_h5_close(&h);
    err = err < 0 ? err : cerr;
    if (!err) {
        err = pg_report__write_file(tmp, image, len);
    }
    if (!err) {
        err = pg_seal_write(tmp, pg_threads_resolve(run ? run->threads : 0));
    }
    pg_free(image);
    if (!err && rename(tmp, path) != 0) {
        err = pg_error_set(PG_EIO, "%s: cannot rename into place: %s", path, strerror(errno));
    }
    if (err < 0) {
        remove(tmp);
    }
    return err;
}
