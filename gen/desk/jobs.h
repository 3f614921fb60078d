/* A job: a folder DATA/work/N of its own (N from a counter, never a
 * user's text), the files the desk writes into it under its own fixed
 * names, a gen command run there by a worker (pool.h), and what the
 * command wrote read back.  The folder is removed when the job is closed,
 * unless GEN_DESK_KEEP_JOBS=1. */
#ifndef GEN_DESK_JOBS_H
#define GEN_DESK_JOBS_H

#include <stddef.h>

#include "desk.h"

typedef struct job {
    desk *desk;
    char *dir;       /* absolute */
    int rc;          /* the last command's exit status or DESK_POOL_* */
    char *out, *err; /* its stdout and stderr (NUL-terminated; "" when none) */
} job;

/* 0, or -1 when the folder cannot be made. */
int job_open(desk *d, job *j);
/* Writes `name` (one of the desk's fixed names) in the job's folder. */
int job_write(job *j, const char *name, const void *data, size_t size);
/* Runs `gen ARGV...` in the folder; its status (also j->rc), and its
 * output in j->out and j->err. */
int job_run(job *j, const char *const *argv);
/* A file the command wrote (malloc'd, NUL-terminated beyond *size); NULL. */
char *job_read(const job *j, const char *name, size_t *size);
void job_close(job *j);

/* Removes the job folders a server killed in the middle of its jobs left
 * in `work` (DATA/work), at the start of the next. */
void job_folders_clear(const char *work);

/* A whole file (malloc'd, NUL-terminated beyond *size); NULL. */
char *read_whole_file(const char *path, size_t *size);

#endif
