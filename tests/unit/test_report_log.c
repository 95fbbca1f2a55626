/*
 * Log lines of long jobs: --log-format=json gives one parseable object per
 * line with time, level, stage, message and the extra members; text lines
 * carry the stage; the progress bar is drawn only on a terminal and cleared
 * before the next line; times format as ISO 8601 UTC.
 */
#include <cJSON.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "paygraph/paygraph.h"
#include "test_support.h"

static void test_json_lines(void **state)
{
    (void)state;
    char *buf = NULL;
    size_t len = 0;
    FILE *m = open_memstream(&buf, &len);
    pg_log l;
    pg_log_init(&l, m, PG_LOG_JSON, 1); /* a terminal, but JSON never draws a bar */
    pg_log_progress(&l, "load", 1, 2);
    pg_log_message(&l, "info", "load", "\"rows_read\":12", "rows read %d \"quoted\"\n\\", 12);
    pg_log_message(&l, "error", "outputs", NULL, "disk full");
    fclose(m);
    /* exactly two lines */
    char *nl1 = strchr(buf, '\n');
    assert_non_null(nl1);
    *nl1 = '\0';
    char *nl2 = strchr(nl1 + 1, '\n');
    assert_non_null(nl2);
    *nl2 = '\0';
    assert_int_equal(nl2[1], '\0');
    cJSON *a = cJSON_Parse(buf);
    assert_non_null(a);
    assert_string_equal(cJSON_GetObjectItem(a, "level")->valuestring, "info");
    assert_string_equal(cJSON_GetObjectItem(a, "stage")->valuestring, "load");
    assert_string_equal(cJSON_GetObjectItem(a, "message")->valuestring,
                        "rows read 12 \"quoted\"\n\\");
    assert_int_equal(cJSON_GetObjectItem(a, "rows_read")->valueint, 12);
    const char *t = cJSON_GetObjectItem(a, "time")->valuestring;
    assert_int_equal(strlen(t), 24); /* 2026-11-28T13:47:46.154Z */
    assert_int_equal(t[23], 'Z');
    cJSON *b = cJSON_Parse(nl1 + 1);
    assert_non_null(b);
    assert_string_equal(cJSON_GetObjectItem(b, "level")->valuestring, "error");
    cJSON_Delete(a);
    cJSON_Delete(b);
    free(buf);
}

static void test_text_and_bar(void **state)
{
    (void)state;
    char *buf = NULL;
    size_t len = 0;
    FILE *m = open_memstream(&buf, &len);
    pg_log l;
    pg_log_init(&l, m, PG_LOG_TEXT, 0); /* not a terminal: no bar */
    pg_log_progress(&l, "load", 1, 2);
    pg_log_message(&l, "warning", "load", NULL, "skipped %d rows", 3);
    fflush(m);
    assert_null(strchr(buf, '\r'));
    assert_non_null(strstr(buf, "paygraph warning load: skipped 3 rows\n"));
    pg_log_init(&l, m, PG_LOG_TEXT, 1); /* a terminal: bar, cleared before the next line */
    pg_log_progress(&l, "rings", 5, 10);
    fflush(m);
    assert_non_null(strstr(buf, "[###############...............] 5/10"));
    pg_log_message(&l, "info", "rings", NULL, "done");
    fclose(m);
    assert_non_null(strstr(buf, "\r\033[K2"));
    free(buf);
}

static void test_format_time_and_usage(void **state)
{
    (void)state;
    char b[40];
    pg_format_time(b, sizeof(b), 0);
    assert_string_equal(b, "1970-01-01T00:00:00Z");
    pg_format_time(b, sizeof(b), 1772399645);
    assert_string_equal(b, "2026-03-01T21:14:05Z");
    double t0 = pg_now(), c0 = pg_cpu_seconds();
    volatile double x = 0;
    for (int i = 0; i < 2000000; i++) {
        x += i * 0.5;
    }
    assert_true(pg_now() >= t0);
    assert_true(pg_cpu_seconds() >= c0);
    assert_true(pg_peak_rss() > 1024 * 1024); /* a process uses more than 1 MiB */
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_json_lines),
        cmocka_unit_test(test_text_and_bar),
        cmocka_unit_test(test_format_time_and_usage),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
