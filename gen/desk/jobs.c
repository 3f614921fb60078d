#define _GNU_SOURCE
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "jobs.h"
#include "util.h"

int job_open(desk *d, job *j)
{
    *j = (job){.desk = d};
    for (int tries = 0; tries < 1000; tries++) {
        long long n = atomic_fetch_add(&d->next_job, 1);
        char *dir = xasprintf("%s/%lld", d->work, n);
        if (mkdir(dir, 0700) == 0) {
            j->dir = dir;
            return 0;
        }
        free(dir);
        if (errno != EEXIST) /* a kept folder of an earlier run: the next number */
            return -1;
    }
    return -1;
}

static char *path_in(const job *j, const char *name)
{
    return xasprintf("%s/%s", j->dir, name);
}

int job_write(job *j, const char *name, const void *data, size_t size)
{
    char *path = path_in(j, name);
    int fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
    free(path);
    if (fd < 0)
        return -1;
    const char *p = data;
    while (size > 0) {
        ssize_t w = write(fd, p, size);
        if (w < 0 && errno == EINTR)
            continue;
        if (w <= 0) {
            close(fd);
            return -1;
        }
        p += w, size -= (size_t)w;
    }
    return close(fd);
}

char *read_whole_file(const char *path, size_t *size)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        return NULL;
    size_t n = 0, cap = 4096;
    char *buf = xmalloc(cap);
    size_t got;
    while ((got = fread(buf + n, 1, cap - n - 1, f)) > 0) {
        n += got;
        if (cap - n - 1 == 0)
            buf = xrealloc(buf, cap *= 2);
    }
    int failed = ferror(f);
    fclose(f);
    if (failed) {
        free(buf);
        return NULL;
    }
    buf[n] = '\0';
    if (size)
        *size = n;
    return buf;
}

char *job_read(const job *j, const char *name, size_t *size)
{
    char *path = path_in(j, name);
    char *data = read_whole_file(path, size);
    free(path);
    return data;
}

static char *read_or_empty(const job *j, const char *name)
{
    char *s = job_read(j, name, NULL);
    return s ? s : xstrdup("");
}

int job_run(job *j, const char *const *argv)
{
    /* a command's output is its own: an earlier one's is gone first */
    char *out = path_in(j, "stdout"), *err = path_in(j, "stderr");
    unlink(out), unlink(err);
    free(out), free(err);
    free(j->out), free(j->err);
    j->rc = desk_pool_run(j->desk->pool, j->dir, argv);
    j->out = read_or_empty(j, "stdout");
    j->err = read_or_empty(j, "stderr");
    return j->rc;
}

/* The folder holds only the files the desk and the command wrote. */
static void remove_folder(const char *dir)
{
    DIR *d = opendir(dir);
    if (d) {
        struct dirent *e;
        while ((e = readdir(d)))
            if (strcmp(e->d_name, ".") && strcmp(e->d_name, "..")) {
                char *path = xasprintf("%s/%s", dir, e->d_name);
                unlink(path);
                free(path);
            }
        closedir(d);
    }
    rmdir(dir);
}

void job_close(job *j)
{
    if (j->dir && !j->desk->keep_jobs)
        remove_folder(j->dir);
    free(j->dir);
    free(j->out);
    free(j->err);
    *j = (job){0};
}

void job_folders_clear(const char *work)
{
    DIR *d = opendir(work);
    if (!d)
        return;
    struct dirent *e;
    while ((e = readdir(d))) {
        const char *p = e->d_name;
        while (*p >= '0' && *p <= '9')
            p++;
        if (p != e->d_name && !*p) { /* a job's number, nothing else */
            char *dir = xasprintf("%s/%s", work, e->d_name);
            remove_folder(dir);
            free(dir);
        }
    }
    closedir(d);
}
