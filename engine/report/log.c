/*
 * Log lines and progress for long jobs. Three audiences: a person at a
 * terminal (a progress bar redrawn in place, then plain lines), a batch
 * log file (plain lines, no control characters), and a log collector
 * (--log-format=json: one JSON object per line with time, level, stage,
 * message and any extra members).
 *
 * State lives in the caller's pg_log; nothing here is global. Times are UTC.
 */
#include <stdarg.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "report/report_util.h"

void pg_log_init(pg_log *l, FILE *f, pg_log_format format, int tty)
{
    memset(l, 0, sizeof(*l));
    l->f = f;
    l->format = format;
    l->tty = format == PG_LOG_TEXT && (tty < 0 ? isatty(fileno(f)) : tty);
    l->t0 = pg_now();
}

void pg_log_clear(pg_log *l)
{
    if (l->bar_shown) {
        fputs("\r\033[K", l->f);
        l->bar_shown = 0;
    }
}

/* JSON string body: escape quote, backslash and control characters. */
static void json_escaped(FILE *f, const char *s)
{
    for (; *s; s++) {
        unsigned char c = (unsigned char)*s;
        if (c == '"' || c == '\\') {
            fputc('\\', f);
            fputc(c, f);
        } else if (c < 0x20) {
            fprintf(f, "\\u%04x", c);
        } else {
            fputc(c, f);
        }
    }
}

static void iso_now(char *buf, size_t cap)
{
    double t = pg_now();
    char base[40];
    pg_format_time(base, sizeof(base), (int64_t)t);
    base[strlen(base) - 1] = '\0';
    snprintf(buf, cap, "%s.%03dZ", base, (int)((t - (double)(int64_t)t) * 1000.0) % 1000);
}

void pg_log_message(pg_log *l, const char *level, const char *stage, const char *extra_json,
                    const char *fmt, ...)
{
    char msg[2048], when[48];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof(msg), fmt, ap);
    va_end(ap);
    iso_now(when, sizeof(when));
    pg_log_clear(l);
    if (l->format == PG_LOG_JSON) {
        fprintf(l->f, "{\"time\":\"%s\",\"level\":\"", when);
        json_escaped(l->f, level);
        fputs("\",\"stage\":\"", l->f);
        json_escaped(l->f, stage ? stage : "");
        fputs("\",\"message\":\"", l->f);
        json_escaped(l->f, msg);
        fputc('"', l->f);
        if (extra_json && *extra_json) {
            fprintf(l->f, ",%s", extra_json);
        }
        fputs("}\n", l->f);
    } else {
        fprintf(l->f, "%s paygraph %s%s%s: %s\n", when, strcmp(level, "info") ? level : "",
                strcmp(level, "info") ? " " : "", stage ? stage : "", msg);
    }
    fflush(l->f);
}

void pg_log_progress(pg_log *l, const char *stage, uint64_t done, uint64_t total)
{
    enum { WIDTH = 30 };
    if (!l->tty || total == 0) {
        return;
    }
    int fill = (int)((double)WIDTH * (double)(done > total ? total : done) / (double)total);
    char bar[WIDTH + 1];
    memset(bar, '#', (size_t)fill);
    memset(bar + fill, '.', (size_t)(WIDTH - fill));
    bar[WIDTH] = '\0';
    fprintf(l->f, "\r\033[K%-10s [%s] %llu/%llu  %.1f s", stage ? stage : "", bar,
            (unsigned long long)done, (unsigned long long)total, pg_now() - l->t0);
    fflush(l->f);
    l->bar_shown = 1;
}
