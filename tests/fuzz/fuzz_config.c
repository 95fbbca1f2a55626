/*
 * Fuzz target for the two JSON configuration readers: the scan job file
 * (scan_config_load, engine/cli/config.c) and the generator's world file
 * (pg_generate_config_load).
 *
 * Properties: neither crashes; the job reader returns 0 or exit code 1 (a
 * message naming the file); an accepted job file's effective configuration
 * (scan_config_json, the text report.json carries) is accepted again and
 * gives the same effective configuration; the world reader returns 0 or
 * PG_EINPUT / PG_EINVAL.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli/config.h"
#include "fuzz_check.h"
#include "paygraph/paygraph.h"

static void write_file(const char *path, const void *data, size_t size)
{
    FILE *f = fopen(path, "wb");
    FUZZ_CHECK(f != NULL);
    FUZZ_CHECK(fwrite(data, 1, size, f) == size);
    fclose(f);
}

/* Load path as a job file; on success return its effective configuration (malloc'd). */
static char *effective(const char *path, int *rc)
{
    scan_config c;
    cli_input in;
    scan_config_init(&c);
    FUZZ_CHECK(cli_input_init(&in, "scan", 4) == 0);
    *rc = scan_config_load(&c, &in, path);
    FUZZ_CHECK(*rc == 0 || *rc == 1);
    char *json = *rc == 0 ? scan_config_json(&c, &in, 2) : NULL;
    FUZZ_CHECK(*rc != 0 || json != NULL);
    scan_config_free(&c);
    cli_input_free(&in);
    return json;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size > (1u << 16)) {
        return 0;
    }
    char dir[] = "/tmp/pgfuzz-config-XXXXXX";
    FUZZ_CHECK(mkdtemp(dir) != NULL);
    char path[64], again[64];
    snprintf(path, sizeof(path), "%s/job.json", dir);
    snprintf(again, sizeof(again), "%s/again.json", dir);
    write_file(path, data, size);

    int rc, rc2;
    char *first = effective(path, &rc);
    if (first) {
        write_file(again, first, strlen(first));
        char *second = effective(again, &rc2);
        FUZZ_CHECK(rc2 == 0 && second != NULL && strcmp(first, second) == 0);
        free(second);
        unlink(again);
    }
    free(first);

    pg_generate_options o;
    pg_generate_options_init(&o);
    int st = pg_generate_config_load(&o, path);
    FUZZ_CHECK(st == 0 || st == PG_EINPUT || st == PG_EINVAL);

    unlink(path);
    rmdir(dir);
    return 0;
}
