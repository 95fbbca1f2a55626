/*
 * The output folder of a scan, written atomically: a reader (or the next
 * pipeline step of a scheduled job) sees either the previous complete
 * report or the new complete one, never a mix or a half-written file.
 *
 * HOW IT WORKS: everything is written into a sibling "DIR.tmp.<pid>" (same
 * file system, so rename is atomic), mode 0700 with files 0600 because a
 * report names pseudonymous accounts. Commit moves an existing DIR to
 * "DIR.old.<pid>" only once the new folder is complete, renames the new one
 * to DIR, then removes the old one. If the second rename fails the old
 * folder is moved back. Abort removes the temporary folder.
 *
 * LIMITATIONS: between the two renames DIR is briefly absent (POSIX has no
 * atomic exchange of non-empty directories; renameat2(RENAME_EXCHANGE) is
 * Linux-only). A crash in that instant leaves the previous report complete
 * under DIR.old.<pid>.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "core/error.h"
#include "report/report_util.h"

static int io_error(const char *what, const char *path, int e)
{
    return pg_error_set(e == ENOMEM ? PG_ENOMEM : PG_EIO, "%s %s: %s", what, path, strerror(e));
}

/* Remove a folder tree of plain files and folders (our own output only). */
static void remove_tree(const char *path)
{
    DIR *d = opendir(path);
    if (d) {
        struct dirent *e;
        while ((e = readdir(d)) != NULL) {
            if (!strcmp(e->d_name, ".") || !strcmp(e->d_name, "..")) {
                continue;
            }
            char child[4400];
            struct stat st;
            snprintf(child, sizeof(child), "%s/%s", path, e->d_name);
            if (lstat(child, &st) == 0 && S_ISDIR(st.st_mode)) {
                remove_tree(child);
            } else {
                unlink(child);
            }
        }
        closedir(d);
    }
    rmdir(path);
}

/*
 * An existing DIR is replaced only when it is empty or holds a previous
 * report (report.json), so a mistyped --out never deletes someone's folder.
 */
static int replaceable(const char *dir)
{
    struct stat st;
    if (lstat(dir, &st) != 0) {
        return errno == ENOENT ? 0 : io_error("cannot inspect", dir, errno);
    }
    if (!S_ISDIR(st.st_mode)) {
        return pg_error_set(PG_EIO, "%s exists and is not a folder", dir);
    }
    char path[4400];
    snprintf(path, sizeof(path), "%s/report.json", dir);
    if (access(path, F_OK) == 0) {
        return 0;
    }
    DIR *dd = opendir(dir);
    int empty = 1;
    struct dirent *e;
    while (dd && (e = readdir(dd)) != NULL) {
        empty &= !strcmp(e->d_name, ".") || !strcmp(e->d_name, "..");
    }
    if (dd) {
        closedir(dd);
    }
    return empty ? 0
                 : pg_error_set(PG_EIO,
                                "%s exists and is not a paygraph report (no report.json); "
                                "refusing to replace it",
                                dir);
}

int pg_outdir_begin(pg_outdir *d, const char *dir)
{
    memset(d, 0, sizeof(*d));
    size_t len = strlen(dir);
    while (len > 1 && dir[len - 1] == '/') {
        len--; /* "out/" and "out" are the same folder; the suffixes go after the name */
    }
    int n1 = snprintf(d->final, sizeof(d->final), "%.*s", (int)len, dir);
    int n2 = snprintf(d->tmp, sizeof(d->tmp), "%s.tmp.%ld", d->final, (long)getpid());
    if (len == 0 || n1 < 0 || n2 < 0 || (size_t)n2 >= sizeof(d->tmp)) {
        return pg_error_set(PG_EINVAL, "output folder name '%s' is empty or too long", dir);
    }
    int err = replaceable(d->final);
    if (err < 0) {
        return err;
    }
    remove_tree(d->tmp); /* a leftover of an earlier run with the same pid */
    if (mkdir(d->tmp, 0700) != 0) {
        return io_error("cannot create output folder", d->tmp, errno);
    }
    if (chmod(d->tmp, 0700) != 0) { /* the umask may have removed bits; 0700 exactly */
        int e = errno;
        rmdir(d->tmp);
        return io_error("cannot set mode of", d->tmp, e);
    }
    d->open = 1;
    return 0;
}

int pg_outdir_path(const pg_outdir *d, const char *rel, char *buf, size_t cap)
{
    int n = snprintf(buf, cap, "%s/%s", d->tmp, rel);
    if (n < 0 || (size_t)n >= cap) {
        return pg_error_set(PG_EINVAL, "output path too long: %s/%s", d->tmp, rel);
    }
    return 0;
}

int pg_outdir_mkdir(pg_outdir *d, const char *rel)
{
    char path[4400];
    int err = pg_outdir_path(d, rel, path, sizeof(path));
    if (err < 0) {
        return err;
    }
    if (mkdir(path, 0700) != 0 && errno != EEXIST) {
        return io_error("cannot create folder", path, errno);
    }
    return 0;
}

int pg_report__write_file(const char *path, const void *data, size_t len)
{
    int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
    if (fd < 0) {
        return io_error("cannot create", path, errno);
    }
    const char *p = data;
    while (len > 0) {
        ssize_t w = write(fd, p, len);
        if (w < 0 && errno == EINTR) {
            continue;
        }
        if (w <= 0) {
            int e = w < 0 ? errno : ENOSPC;
            close(fd);
            return io_error("cannot write", path, e);
        }
        p += w;
        len -= (size_t)w;
    }
    /* fsync: a report that reached the rename must be on disk, not just in the page cache. */
    if (fsync(fd) != 0 && errno != EINVAL) {
        int e = errno;
        close(fd);
        return io_error("cannot flush", path, e);
    }
    if (close(fd) != 0) {
        return io_error("cannot close", path, errno);
    }
    return 0;
}

int pg_outdir_write(pg_outdir *d, const char *rel, const void *data, size_t len)
{
    char path[4400];
    int err = pg_outdir_path(d, rel, path, sizeof(path));
    return err < 0 ? err : pg_report__write_file(path, data, len);
}

int pg_outdir_commit(pg_outdir *d)
{
    char old[4400];
    struct stat st;
    int had_old = 0;
    if (!d->open) {
        return pg_error_set(PG_EINVAL, "output folder is not open");
    }
    snprintf(old, sizeof(old), "%s.old.%ld", d->final, (long)getpid());
    if (lstat(d->final, &st) == 0) {
        int err = replaceable(d->final);
        if (err < 0) {
            return err;
        }
        remove_tree(old);
        if (rename(d->final, old) != 0) {
            return io_error("cannot move the previous report aside:", d->final, errno);
        }
        had_old = 1;
    }
    if (rename(d->tmp, d->final) != 0) {
        int e = errno;
        if (had_old) {
            rename(old, d->final);
        }
        return io_error("cannot move the new report into place:", d->final, e);
    }
    d->open = 0;
    if (had_old) {
        remove_tree(old);
    }
    return 0;
}

void pg_outdir_abort(pg_outdir *d)
{
    if (d->open) {
        remove_tree(d->tmp);
        d->open = 0;
    }
}
