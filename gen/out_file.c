#define _GNU_SOURCE
#include "out_file.h"

#include <errno.h>
#include <fcntl.h>
#include <libgen.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "job_thread.h"
#include "util.h"

/* Unnamed (O_TMPFILE) while it is written, so that a kill, even SIGKILL,
 * leaves nothing behind; a named temporary file where the file system has
 * no O_TMPFILE. */
int out_open(const char *path, out_file *f, diag_list *diags)
{
    char *copy = xstrdup(path);
    *f = (out_file){.path = xstrdup(path)};
    f->fd = open(dirname(copy), O_TMPFILE | O_WRONLY | O_CLOEXEC, 0666);
    free(copy);
    if (f->fd < 0 && (errno == EOPNOTSUPP || errno == EISDIR || errno == EINVAL)) {
        f->named = xasprintf("%s.tmp-XXXXXX", path);
        f->fd = mkstemp(f->named);
        if (f->fd >= 0) { /* mkstemp makes the file private; a PDF or a record is for others to read */
            mode_t mask = umask(0);
            umask(mask);
            fchmod(f->fd, 0666 & ~mask);
        }
    }
    if (f->fd >= 0)
        return 0;
    diag_add(diags, DIAG_ERROR, path, 0, "cannot write here: %s", strerror(errno));
    free(f->named), free(f->path);
    return -1;
}

/* Linked in under a temporary name, then renamed over the path (which
 * replaces an old file in one step): 0 or errno. */
static int out_name(out_file *f)
{
    if (!f->named) {
        char proc[64];
        snprintf(proc, sizeof proc, "/proc/self/fd/%d", f->fd);
        for (unsigned k = 0; !f->named; k++) {
            char *name = xasprintf("%s.tmp-%ld-%u", f->path, (long)getpid(), k);
            if (linkat(AT_FDCWD, proc, AT_FDCWD, name, AT_SYMLINK_FOLLOW) == 0)
                f->named = name;
            else {
                int err = errno;
                free(name);
                if (err != EEXIST)
                    return err;
            }
        }
    }
    return rename(f->named, f->path) == 0 ? 0 : errno;
}

/* Sync, name and close: 0 or errno (and nothing at the path). */
static int out_sync_and_name(out_file *f)
{
    int err = fsync(f->fd) == 0 ? 0 : errno;
    if (err == 0)
        err = out_name(f);
    if (close(f->fd) != 0 && err == 0)
        err = errno;
    if (err != 0 && f->named)
        unlink(f->named);
    return err;
}

static int out_outcome(out_file *f, int err, diag_list *diags)
{
    if (err != 0)
        diag_add(diags, DIAG_ERROR, f->path, 0, "could not write the file: %s", strerror(err));
    free(f->named), free(f->path);
    return err == 0 ? 0 : -1;
}

int out_finish(out_file *f, diag_list *diags)
{
    return out_outcome(f, out_sync_and_name(f), diags);
}

void out_abandon(out_file *f, int err, diag_list *diags)
{
    close(f->fd);
    if (f->named)
        unlink(f->named);
    out_outcome(f, err, diags);
}

int out_write_whole(const char *path, const void *bytes, size_t len, diag_list *diags)
{
    out_file f;
    if (out_open(path, &f, diags) != 0)
        return -1;
    for (const char *p = bytes; len > 0;) {
        ssize_t w = write(f.fd, p, len);
        if (w < 0 && errno == EINTR)
            continue;
        if (w <= 0) {
            out_abandon(&f, w < 0 ? errno : EIO, diags);
            return -1;
        }
        p += w, len -= (size_t)w;
    }
    return out_finish(&f, diags);
}

/* ---- the publisher ---- */

typedef struct publish_job {
    out_file file;
    int err; /* out_sync_and_name's */
} publish_job;

struct publisher {
    job_thread *thread;
    publish_job ring[PUBLISH_AHEAD];
    size_t head; /* the oldest job not collected */
    size_t tail; /* the next free slot */
};

static void publish(void *ctx, size_t job)
{
    publish_job *j = &((publisher *)ctx)->ring[job % PUBLISH_AHEAD];
    j->err = out_sync_and_name(&j->file);
}

publisher *publisher_new(void)
{
    publisher *p = xcalloc(1, sizeof *p);
    p->thread = job_thread_start(publish, p);
    if (p->thread)
        return p;
    free(p);
    return NULL;
}

void publisher_add(publisher *p, out_file *f)
{
    p->ring[p->tail++ % PUBLISH_AHEAD] = (publish_job){.file = *f};
    job_thread_queue(p->thread);
}

size_t publisher_pending(const publisher *p)
{
    return p->tail - p->head;
}

int publisher_collect(publisher *p, diag_list *diags)
{
    job_thread_done(p->thread, p->head, 1);
    publish_job *job = &p->ring[p->head++ % PUBLISH_AHEAD];
    return out_outcome(&job->file, job->err, diags);
}

void publisher_free(publisher *p)
{
    if (!p)
        return;
    diag_list dropped = {0};
    while (publisher_pending(p) > 0)
        publisher_collect(p, &dropped);
    diag_free(&dropped);
    job_thread_stop(p->thread);
    free(p);
}
