#include "job_thread.h"

#include <pthread.h>
#include <stdlib.h>

#include "util.h"

struct job_thread {
    pthread_t thread;
    pthread_mutex_t lock;
    pthread_cond_t changed;
    job_fn work;
    void *ctx;
    size_t queued, done; /* jobs 0 .. done-1 are done */
    int stop;
};

static void *run(void *arg)
{
    job_thread *t = arg;
    pthread_mutex_lock(&t->lock);
    for (;;) {
        while (!t->stop && t->done == t->queued)
            pthread_cond_wait(&t->changed, &t->lock);
        if (t->done == t->queued)
            break; /* stopped, and nothing left */
        size_t job = t->done;
        pthread_mutex_unlock(&t->lock);
        t->work(t->ctx, job);
        pthread_mutex_lock(&t->lock);
        t->done++;
        pthread_cond_broadcast(&t->changed);
    }
    pthread_mutex_unlock(&t->lock);
    return NULL;
}

job_thread *job_thread_start(job_fn work, void *ctx)
{
    job_thread *t = xcalloc(1, sizeof *t);
    t->work = work;
    t->ctx = ctx;
    pthread_mutex_init(&t->lock, NULL);
    pthread_cond_init(&t->changed, NULL);
    if (pthread_create(&t->thread, NULL, run, t) == 0)
        return t;
    pthread_mutex_destroy(&t->lock);
    pthread_cond_destroy(&t->changed);
    free(t);
    return NULL;
}

void job_thread_queue(job_thread *t)
{
    pthread_mutex_lock(&t->lock);
    t->queued++;
    pthread_cond_broadcast(&t->changed);
    pthread_mutex_unlock(&t->lock);
}

int job_thread_done(job_thread *t, size_t job, int wait)
{
    pthread_mutex_lock(&t->lock);
    while (wait && t->done <= job)
        pthread_cond_wait(&t->changed, &t->lock);
    int done = t->done > job;
    pthread_mutex_unlock(&t->lock);
    return done;
}

void job_thread_stop(job_thread *t)
{
    if (!t)
        return;
    pthread_mutex_lock(&t->lock);
    t->stop = 1;
    pthread_cond_broadcast(&t->changed);
    pthread_mutex_unlock(&t->lock);
    pthread_join(t->thread, NULL);
    pthread_mutex_destroy(&t->lock);
    pthread_cond_destroy(&t->changed);
    free(t);
}
