/* A thread of its own that works through jobs in the order they are
 * queued: the pages deflated while the next are drawn (pdf_deflate.c), the
 * files synced and named while the next are made (out_file.c).  The caller
 * keeps the jobs, in a ring of its own by job number (0, 1, 2, ...), and
 * takes each back once it is done; only the counts are shared, under a
 * lock, which also hands over what the job's slot holds. */
#ifndef GEN_JOB_THREAD_H
#define GEN_JOB_THREAD_H

#include <stddef.h>

typedef struct job_thread job_thread;

/* Called in the thread for each job, by its number. */
typedef void (*job_fn)(void *ctx, size_t job);

/* NULL when the thread cannot start. */
job_thread *job_thread_start(job_fn work, void *ctx);

/* The next job (numbered by the count queued so far) is ready. */
void job_thread_queue(job_thread *t);

/* Whether job `job` (one queued) is done; with `wait`, once it is. */
int job_thread_done(job_thread *t, size_t job, int wait);

/* Work through what is queued, then end the thread and free it. */
void job_thread_stop(job_thread *t);

#endif
