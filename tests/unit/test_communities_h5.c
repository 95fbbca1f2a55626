/*
 * The community results file (pg_communities_save, store/communities_h5.c)
 * read back: every dataset and attribute holds what was saved, accounts
 * map through their vertex, the Leiden-only iterations attribute is absent
 * for Louvain, the file is private (0600), and a failed save leaves the
 * earlier file as it was. A keyed file (pg_communities_save_keyed) warm-starts
 * a run on a later pool (pg_communities_warm_start): accounts matched by
 * institution and name whatever their ids, new accounts alone, the entity
 * level's smallest matched account deciding; files it cannot use refused.
 */
#include <dirent.h>
#include <hdf5.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "core/alloc.h"
#include "paygraph/paygraph.h"
#include "store/h5util.h"
#include "store/warm_start.h"
#include "test_support.h"

/* Four vertices over six accounts, as at entity level: accounts 0-1 and 4-5 share a vertex. */
static uint32_t vertex_of_account[] = {0, 0, 1, 2, 3, 3};

static pg_graph entity_graph(void)
{
    pg_graph g;
    memset(&g, 0, sizeof(g));
    g.level = PG_LEVEL_ENTITY;
    g.n = 4;
    g.n_accounts = 6;
    g.vertex_of_account = vertex_of_account;
    return g;
}

static double attr_double(const char *path, const char *name)
{
    hid_t file = H5Fopen(path, H5F_ACC_RDONLY, H5P_DEFAULT);
    assert_true(file >= 0);
    hid_t a = H5Aopen_by_name(file, "/", name, H5P_DEFAULT, H5P_DEFAULT);
    assert_true(a >= 0);
    double v = 0.0;
    assert_true(H5Aread(a, H5T_NATIVE_DOUBLE, &v) >= 0);
    H5Aclose(a);
    H5Fclose(file);
    return v;
}

static int has_attr(const char *path, const char *name)
{
    hid_t file = H5Fopen(path, H5F_ACC_RDONLY, H5P_DEFAULT);
    assert_true(file >= 0);
    htri_t e = H5Aexists_by_name(file, "/", name, H5P_DEFAULT);
    H5Fclose(file);
    assert_true(e >= 0);
    return e > 0;
}

static void check_string(pg_h5 *h, const char *name, const char *want)
{
    char buf[64];
    assert_int_equal(pg_h5_get_attr_string(h, "/", name, buf, sizeof(buf)), 0);
    assert_string_equal(buf, want);
}

static void test_leiden_round_trip(void **state)
{
    (void)state;
    char path[600];
    snprintf(path, sizeof(path), "%s/communities.h5", pg_test_tmpdir("communities_h5"));
    pg_graph g = entity_graph();
    uint32_t memb[] = {1, 0, 1, 0};
    pg_community_result res = {
        .count = 2, .levels = 3, .quality = 0.375, .modularity = 0.25, .min_gain = 2.5e-4};
    pg_community_options co;
    pg_community_options_init(&co);
    co.resolution = 0.5;
    co.seed = 42;
    co.iterations = 3;
    uint32_t start[] = {0, 0, 1, 2};
    co.initial = start;
    assert_int_equal(pg_communities_save(path, &g, memb, &res, &co), 0);
    struct stat sb;
    assert_int_equal(stat(path, &sb), 0);
    assert_int_equal(sb.st_mode & 0777, 0600);

    pg_h5 h;
    assert_int_equal(pg_h5_open(&h, path), 0);
    uint32_t *vc = NULL, *ac = NULL;
    int64_t *size = NULL;
    size_t n = 0;
    assert_int_equal(pg_h5_read(&h, "/vertex/community", H5T_NATIVE_UINT32, (void **)&vc, &n), 0);
    assert_int_equal(n, 4);
    assert_memory_equal(vc, memb, sizeof(memb));
    assert_int_equal(pg_h5_read(&h, "/account/community", H5T_NATIVE_UINT32, (void **)&ac, &n), 0);
    assert_int_equal(n, 6);
    uint32_t want_accounts[] = {1, 1, 0, 1, 0, 0};
    assert_memory_equal(ac, want_accounts, sizeof(want_accounts));
    assert_int_equal(pg_h5_read(&h, "/community/size", H5T_NATIVE_INT64, (void **)&size, &n), 0);
    assert_int_equal(n, 2);
    assert_int_equal(size[0], 2);
    assert_int_equal(size[1], 2);
    check_string(&h, "algorithm", "leiden");
    check_string(&h, "objective", "modularity");
    check_string(&h, "level", "entity");
    int64_t seed = 0, iterations = 0;
    assert_int_equal(pg_h5_get_attr_int(&h, "/", "seed", &seed), 0);
    assert_int_equal(seed, 42);
    assert_int_equal(pg_h5_get_attr_int(&h, "/", "iterations", &iterations), 0);
    assert_int_equal(iterations, 3);
    assert_int_equal(pg_h5_get_attr_int(&h, "/", "warm_start", &iterations), 0);
    assert_int_equal(iterations, 1);
    assert_false(pg_h5_exists(&h, "/account/name")); /* saved without a pool: no keys */
    pg_h5_close(&h);
    assert_true(attr_double(path, "quality") == 0.375);
    assert_true(attr_double(path, "modularity") == 0.25);
    assert_true(attr_double(path, "resolution") == 0.5);
    assert_true(attr_double(path, "min_gain") == 2.5e-4);
    pg_free(vc);
    pg_free(ac);
    pg_free(size);
}

static void test_louvain_cpm_attributes(void **state)
{
    (void)state;
    char path[600];
    snprintf(path, sizeof(path), "%s/louvain.h5", pg_test_tmpdir("communities_h5"));
    pg_graph g = entity_graph();
    g.level = PG_LEVEL_ACCOUNT;
    uint32_t memb[] = {0, 1, 2, 2};
    pg_community_result res = {.count = 3, .levels = 1, .quality = 1.5, .modularity = 0.1};
    pg_community_options co;
    pg_community_options_init(&co);
    co.algorithm = PG_COMMUNITY_LOUVAIN;
    co.objective = PG_OBJECTIVE_CPM;
    assert_int_equal(pg_communities_save(path, &g, memb, &res, &co), 0);
    pg_h5 h;
    assert_int_equal(pg_h5_open(&h, path), 0);
    check_string(&h, "algorithm", "louvain");
    check_string(&h, "objective", "cpm");
    check_string(&h, "level", "account");
    pg_h5_close(&h);
    assert_false(has_attr(path, "iterations"));
    assert_false(has_attr(path, "warm_start"));
    assert_true(has_attr(path, "seed"));
}

static size_t entries(const char *dir)
{
    DIR *d = opendir(dir);
    assert_non_null(d);
    size_t k = 0;
    for (struct dirent *e; (e = readdir(d));) {
        k += strcmp(e->d_name, ".") && strcmp(e->d_name, "..");
    }
    closedir(d);
    return k;
}

static void read_vertices(const char *path, uint32_t *out)
{
    pg_h5 h;
    assert_int_equal(pg_h5_open(&h, path), 0);
    assert_int_equal(pg_h5_read_into(&h, "/vertex/community", H5T_NATIVE_UINT32, out, 4), 0);
    pg_h5_close(&h);
}

/*
 * Saves that fail (every allocation in turn made to fail, then a directory
 * that does not exist) report it and leave the earlier file as it was,
 * with no temporary beside it.
 */
static void test_failed_save_leaves_nothing(void **state)
{
    (void)state;
    const char *dir = pg_test_tmpdir("communities_h5_fail");
    char path[600], missing[700];
    snprintf(path, sizeof(path), "%s/out.h5", dir);
    snprintf(missing, sizeof(missing), "%s/missing/out.h5", dir);
    pg_graph g = entity_graph();
    uint32_t old[] = {0, 0, 1, 1}, now[] = {0, 1, 0, 1}, got[4];
    pg_community_result res = {.count = 2, .quality = 0.0, .modularity = 0.0};
    pg_community_options co;
    pg_community_options_init(&co);
    assert_int_equal(pg_communities_save(path, &g, old, &res, &co), 0);
    int failed = 0, err = 1;
    for (long k = 1; err && k < 100; k++) {
        pg_alloc_fail_at(k);
        err = pg_communities_save(path, &g, now, &res, &co);
        pg_alloc_fail_at(0);
        if (err) {
            failed++;
            read_vertices(path, got);
            assert_memory_equal(got, old, sizeof(old));
            assert_int_equal(entries(dir), 1);
        }
    }
    assert_int_equal(err, 0);
    print_message("# %d failing saves before one succeeded\n", failed);
    assert_true(failed >= 2); /* the account and size arrays */
    read_vertices(path, got);
    assert_memory_equal(got, now, sizeof(now));
    assert_int_not_equal(pg_communities_save(missing, &g, now, &res, &co), 0);
    assert_int_equal(entries(dir), 1);
}

/*
 * The earlier pool: accounts by first appearance B1:a 0, B1:b 1, B2:c 2,
 * B2:d 3, B1:e 4, B2:f 5, saved in communities {a, b} 0, {c, d, e} 1, {f} 2.
 */
static const char earlier_txns[] = "timestamp,amount,src_institution,src_account,dst_institution,"
                                   "dst_account\n"
                                   "1700000000,10.00,B1,a,B1,b\n"
                                   "1700000060,10.00,B2,c,B2,d\n"
                                   "1700000120,10.00,B1,e,B2,f\n";
static const uint32_t earlier_communities[] = {0, 0, 1, 1, 1, 2};

/*
 * The later pool, in another order: B2:d 0, B3:g 1 (new), B2:a 2 (new: the
 * name of B1:a at another institution), B1:b 3, B2:f 4, B1:a 5, B2:c 6;
 * B1:e is gone.
 */
static const char later_txns[] = "timestamp,amount,src_institution,src_account,dst_institution,"
                                 "dst_account\n"
                                 "1700000000,10.00,B2,d,B3,g\n"
                                 "1700000060,10.00,B2,a,B1,b\n"
                                 "1700000120,10.00,B2,f,B1,a\n"
                                 "1700000180,10.00,B2,c,B2,d\n";

/* At entity level the later pool has vertices {d}, {g, f}, {B2:a}, {b, c}, {B1:a}. */
static const char later_entities[] = "institution,account,entity\n"
                                     "B3,g,E1\nB2,f,E1\nB1,b,E2\nB2,c,E2\n";

static pg_pool *pool_of(const char *dir, const char *name, const char *txns, const char *accounts)
{
    char tpath[700], apath[700];
    snprintf(tpath, sizeof(tpath), "%s/%s.csv", dir, name);
    snprintf(apath, sizeof(apath), "%s/%s_accounts.csv", dir, name);
    pg_test_write_file(tpath, txns, strlen(txns));
    if (accounts) {
        pg_test_write_file(apath, accounts, strlen(accounts));
    }
    int st;
    pg_pool *p = pg_test_ingest(tpath, accounts ? apath : NULL, NULL, "paygraph", 1,
                                PG_ON_ERROR_FAIL, NULL, &st);
    assert_int_equal(st, 0);
    return p;
}

static void build(pg_graph *g, const pg_pool *p, pg_level level)
{
    pg_graph_options o;
    pg_graph_options_init(&o);
    o.level = level;
    o.threads = 1;
    assert_int_equal(pg_graph_build(g, p, &o), 0);
}

/* The earlier pool's results, keyed, at path (membership as earlier_communities). */
static void save_earlier(const char *dir, const char *path)
{
    pg_pool *p = pool_of(dir, "earlier", earlier_txns, NULL);
    pg_graph g;
    build(&g, p, PG_LEVEL_ACCOUNT);
    assert_int_equal(g.n, 6);
    uint32_t memb[6];
    for (uint32_t a = 0; a < 6; a++) {
        memb[g.vertex_of_account[a]] = earlier_communities[a];
    }
    pg_community_result res = {.count = 3, .quality = 0.5, .modularity = 0.5};
    pg_community_options co;
    pg_community_options_init(&co);
    assert_int_equal(pg_communities_save_keyed(path, p, &g, memb, &res, &co), 0);
    pg_graph_free(&g);
    pg_pool_free(p);
}

static void expect_start(const char *path, const pg_pool *p, pg_level level, const uint32_t *want,
                         uint32_t n)
{
    pg_graph g;
    build(&g, p, level);
    assert_int_equal(g.n, n);
    uint32_t initial[8], matched = 0;
    for (int threads = 1; threads <= 4; threads *= 2) {
        assert_int_equal(pg_communities_warm_start(initial, &matched, path, p, &g, threads), 0);
        assert_int_equal(matched, 5); /* d, b, f, B1:a, c */
        assert_memory_equal(initial, want, n * sizeof(*want));
    }
    pg_graph_free(&g);
}

static void test_warm_start_matches_keys(void **state)
{
    (void)state;
    const char *dir = pg_test_tmpdir("communities_h5_warm");
    char path[700];
    snprintf(path, sizeof(path), "%s/earlier.h5", dir);
    save_earlier(dir, path);
    pg_pool *later = pool_of(dir, "later", later_txns, NULL);
    /* d: community 1 -> 0; g, B2:a: new, alone; b, B1:a: community 0 -> 3; f: 2 -> 4; c: 1 -> 0 */
    static const uint32_t accounts[] = {0, 1, 2, 3, 4, 3, 0};
    expect_start(path, later, PG_LEVEL_ACCOUNT, accounts, 7);
    pg_pool_free(later);
    /* {g, f} takes f's community (g has none), {b, c} b's (the smaller account) */
    later = pool_of(dir, "later_entities", later_txns, later_entities);
    static const uint32_t entities[] = {0, 1, 2, 3, 3};
    expect_start(path, later, PG_LEVEL_ENTITY, entities, 5);
    pg_pool_free(later);
}

static void expect_refused(const char *path, const pg_pool *p, const pg_graph *g, int status,
                           const char *why)
{
    uint32_t initial[8], matched = 99;
    assert_int_equal(pg_communities_warm_start(initial, &matched, path, p, g, 1), status);
    assert_non_null(strstr(pg_error_last(), why));
    assert_non_null(strstr(pg_error_last(), path));
    assert_int_equal(matched, 0);
}

/* Files a warm start cannot use: each refused with a message naming the file and the reason. */
static void test_warm_start_refuses(void **state)
{
    (void)state;
    const char *dir = pg_test_tmpdir("communities_h5_warm_bad");
    char keyless[700], damaged[700], flipped[700], pool_file[700], missing[700];
    snprintf(keyless, sizeof(keyless), "%s/keyless.h5", dir);
    snprintf(damaged, sizeof(damaged), "%s/damaged.h5", dir);
    snprintf(pool_file, sizeof(pool_file), "%s/pool.h5", dir);
    snprintf(missing, sizeof(missing), "%s/missing.h5", dir);
    snprintf(flipped, sizeof(flipped), "%s/flipped.h5", dir);
    pg_pool *p = pool_of(dir, "earlier", earlier_txns, NULL);
    pg_graph g;
    build(&g, p, PG_LEVEL_ACCOUNT);
    uint32_t memb[6] = {0, 0, 1, 1, 1, 2};
    pg_community_result res = {.count = 3};
    pg_community_options co;
    pg_community_options_init(&co);
    assert_int_equal(pg_communities_save(keyless, &g, memb, &res, &co), 0);
    expect_refused(keyless, p, &g, PG_EINPUT, "no account keys");
    /* a community label beyond /community/size: what a damaged file would hold */
    memb[5] = 3;
    assert_int_equal(pg_communities_save_keyed(damaged, p, &g, memb, &res, &co), 0);
    expect_refused(damaged, p, &g, PG_EINPUT, "/account/community[5] = 3 is out of range");
    /* a community count no partition of six accounts can have */
    memb[5] = 2;
    res.count = 7;
    assert_int_equal(pg_communities_save_keyed(damaged, p, &g, memb, &res, &co), 0);
    expect_refused(damaged, p, &g, PG_EINPUT, "7 communities for 6 accounts");
    res.count = 3;
    /* one bit flipped in transit: refused by the seal before HDF5 parses the file */
    assert_int_equal(pg_communities_save_keyed(flipped, p, &g, memb, &res, &co), 0);
    size_t len;
    char *bytes = pg_test_read_file(flipped, &len);
    bytes[len - 100] ^= 1;
    pg_test_write_file(flipped, bytes, len);
    free(bytes);
    expect_refused(flipped, p, &g, PG_EINPUT, "damaged results file");
    pg_store_options so;
    pg_store_options_init(&so);
    assert_int_equal(pg_pool_save(p, pool_file, &so), 0);
    expect_refused(pool_file, p, &g, PG_EINPUT, "not a community results file");
    expect_refused(missing, p, &g, PG_EIO, "cannot open");
    pg_graph_free(&g);
    pg_pool_free(p);
}

/* The checks below the file, on arrays: what a sealed but inconsistent file would give. */
static void test_warm_start_checks_arrays(void **state)
{
    (void)state;
    uint32_t community[] = {0, 0, 1, 1, 1, 2}, institution[] = {1, 1, 0, 2, 1, 0};
    pg_strlist names, insts;
    pg_strlist_init(&names);
    pg_strlist_init(&insts);
    for (const char *s = "abcdef"; *s; s++) {
        assert_int_equal(pg_strlist_push(&names, s, 1), 0);
    }
    assert_int_equal(pg_strlist_push(&insts, "B2", 2), 0);
    assert_int_equal(pg_strlist_push(&insts, "B1", 2), 0);
    pg_warm_earlier e = {.community = community,
                         .institution = institution,
                         .names = &names,
                         .insts = &insts,
                         .n = 6,
                         .n_institution = 6,
                         .communities = 3};
    assert_int_equal(pg_warm_start__check(&e, "x.h5"), PG_EINPUT);
    assert_non_null(strstr(pg_error_last(), "x.h5: /account/institution[3] = 2 is out of range"));
    institution[3] = 0;
    assert_int_equal(pg_warm_start__check(&e, "x.h5"), 0);
    e.n_institution = 5;
    assert_int_equal(pg_warm_start__check(&e, "x.h5"), PG_EINPUT);
    assert_non_null(
        strstr(pg_error_last(), "6 account communities, 5 institutions and 6 names differ"));
    e.n_institution = 6;
    e.n = 5;
    assert_int_equal(pg_warm_start__check(&e, "x.h5"), PG_EINPUT);
    assert_non_null(strstr(pg_error_last(), "5 account communities"));
    pg_strlist_destroy(&names);
    pg_strlist_destroy(&insts);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_leiden_round_trip),
        cmocka_unit_test(test_louvain_cpm_attributes),
        cmocka_unit_test(test_failed_save_leaves_nothing),
        cmocka_unit_test(test_warm_start_matches_keys),
        cmocka_unit_test(test_warm_start_refuses),
        cmocka_unit_test(test_warm_start_checks_arrays),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
