/*
 * The community results file (pg_communities_save, store/communities_h5.c)
 * read back: every dataset and attribute holds what was saved, accounts
 * map through their vertex, the Leiden-only iterations attribute is absent
 * for Louvain, the file is private (0600), and a failed save leaves the
 * earlier file as it was.
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

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_leiden_round_trip),
        cmocka_unit_test(test_louvain_cpm_attributes),
        cmocka_unit_test(test_failed_save_leaves_nothing),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
