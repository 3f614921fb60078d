/* The desk's pool of worker processes (pool.h).  Each worker is
 * `gen serve --worker` on one end of a socket pair (its standard input and
 * output), the pool holding the other; the protocol is desk_worker.h's.
 * A socket rather than a pipe pair: send() with MSG_NOSIGNAL, so that a
 * worker that died does not kill the server with SIGPIPE, whatever the
 * server does with the signal. */
#define _GNU_SOURCE
#include "pool.h"

#include <errno.h>
#include <poll.h>
#include <pthread.h>
#include <signal.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "i18n.h"
#include "util.h"

extern char **environ;

typedef struct worker {
    pid_t pid; /* 0: none running (it could not be started) */
    int fd;    /* the pool's end of its socket */
} worker;

struct desk_pool {
    char *gen;
    int timeout; /* seconds */
    int n;
    worker *workers;
    int *idle; /* the free workers' indexes, a stack */
    int nidle;
    pthread_mutex_t lock;
    pthread_cond_t freed;
};

/* A worker started: `gen serve --worker`, the socket as its standard input
 * and output, its signals as a new process's (the server's mask and
 * dispositions are the server's own).  0, or an errno. */
static int worker_start(const char *gen, worker *w)
{
    int sv[2];
    if (socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, sv) != 0)
        return errno;
    posix_spawn_file_actions_t fa;
    posix_spawnattr_t attr;
    posix_spawn_file_actions_init(&fa);
    posix_spawn_file_actions_adddup2(&fa, sv[1], STDIN_FILENO);
    posix_spawn_file_actions_adddup2(&fa, sv[1], STDOUT_FILENO);
    posix_spawnattr_init(&attr);
    sigset_t none, defaults;
    sigemptyset(&none);
    sigemptyset(&defaults);
    int reset[] = {SIGPIPE, SIGCHLD, SIGINT, SIGTERM, SIGHUP, SIGQUIT, SIGUSR1, SIGUSR2};
    for (size_t i = 0; i < sizeof reset / sizeof *reset; i++)
        sigaddset(&defaults, reset[i]);
    posix_spawnattr_setsigmask(&attr, &none);
    posix_spawnattr_setsigdefault(&attr, &defaults);
    posix_spawnattr_setflags(&attr, POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF);
    char *argv[] = {(char *)gen, "serve", "--worker", NULL};
    pid_t pid;
    int err = posix_spawn(&pid, gen, &fa, &attr, argv, environ);
    posix_spawn_file_actions_destroy(&fa);
    posix_spawnattr_destroy(&attr);
    close(sv[1]);
    if (err != 0) {
        close(sv[0]);
        return err;
    }
    *w = (worker){pid, sv[0]};
    return 0;
}

/* Killed (it may be dead already) and reaped: its own pid only, for the
 * server may have other children. */
static void worker_kill(worker *w)
{
    if (w->pid <= 0)
        return;
    close(w->fd);
    kill(w->pid, SIGKILL);
    while (waitpid(w->pid, NULL, 0) < 0 && errno == EINTR)
        ;
    *w = (worker){0, -1};
}

/* Asked to end (end of its input), given a moment, then killed. */
static void worker_stop(worker *w)
{
    if (w->pid <= 0)
        return;
    if (w->fd >= 0)
        close(w->fd);
    w->fd = -1;
    for (int i = 0; i < 200; i++) { /* 2 s */
        pid_t got = waitpid(w->pid, NULL, WNOHANG);
        if (got == w->pid || (got < 0 && errno != EINTR)) {
            w->pid = 0;
            return;
        }
        nanosleep(&(struct timespec){0, 10 * 1000 * 1000}, NULL);
    }
    kill(w->pid, SIGKILL);
    while (waitpid(w->pid, NULL, 0) < 0 && errno == EINTR)
        ;
    w->pid = 0;
}

static long long now_ms(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (long long)t.tv_sec * 1000 + t.tv_nsec / 1000000;
}

/* Wait until fd is ready for `events` or the deadline passes: 1 ready
 * (or hung up: the read or send says which), 0 timed out. */
static int wait_for(int fd, short events, long long deadline)
{
    for (;;) {
        long long left = deadline - now_ms();
        if (left <= 0)
            return 0;
        struct pollfd p = {fd, events, 0};
        int n = poll(&p, 1, left > 60000 ? 60000 : (int)left);
        if (n > 0)
            return 1;
        if (n < 0 && errno != EINTR)
            return 1; /* let the read or send report it */
    }
}

/* The request: DIR, the arguments, an empty string, each NUL-terminated. */
static char *request_of(const char *dir, const char *const *argv, size_t *len)
{
    size_t n = strlen(dir) + 2;
    for (size_t i = 0; argv[i]; i++)
        n += strlen(argv[i]) + 1;
    char *buf = xmalloc(n), *at = buf;
    at = stpcpy(at, dir) + 1;
    for (size_t i = 0; argv[i]; i++)
        at = stpcpy(at, argv[i]) + 1;
    *at = '\0';
    *len = n;
    return buf;
}

static int send_all(int fd, const char *buf, size_t len, long long deadline)
{
    for (size_t done = 0; done < len;) {
        if (!wait_for(fd, POLLOUT, deadline))
            return DESK_POOL_TIMEOUT;
        ssize_t k = send(fd, buf + done, len - done, MSG_NOSIGNAL);
        if (k < 0 && (errno == EINTR || errno == EAGAIN))
            continue;
        if (k <= 0)
            return DESK_POOL_CRASHED;
        done += (size_t)k;
    }
    return 0;
}

/* The answer "RC\n": the status, or DESK_POOL_CRASHED (end of input, or
 * not an answer), or DESK_POOL_TIMEOUT. */
static int read_answer(int fd, long long deadline)
{
    char line[16];
    size_t len = 0;
    while (len < sizeof line - 1) {
        if (!wait_for(fd, POLLIN, deadline))
            return DESK_POOL_TIMEOUT;
        ssize_t k = read(fd, line + len, sizeof line - 1 - len);
        if (k < 0 && (errno == EINTR || errno == EAGAIN))
            continue;
        if (k <= 0)
            return DESK_POOL_CRASHED;
        len += (size_t)k;
        char *nl = memchr(line, '\n', len);
        if (nl) {
            *nl = '\0';
            char *end;
            long rc = strtol(line, &end, 10);
            /* nothing may follow: one answer per request */
            return end != line && *end == '\0' && nl == line + len - 1 && rc >= 0 && rc < 256
                       ? (int)rc
                       : DESK_POOL_CRASHED;
        }
    }
    return DESK_POOL_CRASHED;
}

static int worker_run(worker *w, int timeout, const char *dir, const char *const *argv)
{
    long long deadline = now_ms() + (long long)timeout * 1000;
    size_t len;
    char *req = request_of(dir, argv, &len);
    int rc = send_all(w->fd, req, len, deadline);
    free(req);
    return rc != 0 ? rc : read_answer(w->fd, deadline);
}

/* An idle worker says nothing: a socket that reads (end of input) is one
 * that died between jobs, to be replaced before a job is lost with it. */
static int worker_died_idle(const worker *w)
{
    struct pollfd p = {w->fd, POLLIN, 0};
    return poll(&p, 1, 0) != 0;
}

/* The protocol carries no empty string (it ends a request). */
static int request_fits(const char *dir, const char *const *argv)
{
    if (!dir[0] || !argv[0])
        return 0;
    for (size_t i = 0; argv[i]; i++)
        if (!argv[i][0])
            return 0;
    return 1;
}

desk_pool *desk_pool_start(const char *gen, int workers, int timeout, char **err)
{
    *err = NULL;
    if (workers < 1 || timeout < 1) {
        *err = xasprintf(_("the pool needs at least one worker and a timeout of a second"));
        return NULL;
    }
    if (access(gen, X_OK) != 0) {
        *err = xasprintf(_("cannot run %s: %s"), gen, strerror(errno));
        return NULL;
    }
    desk_pool *p = xmalloc(sizeof *p);
    *p = (desk_pool){.gen = xstrdup(gen), .timeout = timeout, .n = workers};
    p->workers = xmalloc((size_t)workers * sizeof *p->workers);
    p->idle = xmalloc((size_t)workers * sizeof *p->idle);
    pthread_mutex_init(&p->lock, NULL);
    pthread_cond_init(&p->freed, NULL);
    for (int i = 0; i < workers; i++) {
        p->workers[i] = (worker){0, -1};
        int e = worker_start(gen, &p->workers[i]);
        if (e != 0) {
            *err = xasprintf(_("cannot start a worker (%s serve --worker): %s"), gen, strerror(e));
            desk_pool_stop(p);
            return NULL;
        }
        p->idle[p->nidle++] = i;
    }
    return p;
}

int desk_pool_run(desk_pool *p, const char *dir, const char *const *argv)
{
    pthread_mutex_lock(&p->lock);
    while (p->nidle == 0)
        pthread_cond_wait(&p->freed, &p->lock);
    int i = p->idle[--p->nidle];
    pthread_mutex_unlock(&p->lock);

    worker *w = &p->workers[i];
    int rc;
    if (w->pid > 0 && worker_died_idle(w)) {
        worker_kill(w);
        *w = (worker){0, -1};
    }
    if (!request_fits(dir, argv) || (w->pid <= 0 && worker_start(p->gen, w) != 0))
        rc = DESK_POOL_FAILED;
    else
        rc = worker_run(w, p->timeout, dir, argv);
    if (rc == DESK_POOL_CRASHED || rc == DESK_POOL_TIMEOUT) {
        /* a fresh one at once, warm for the next job; if it cannot be
         * started, the next job tries again */
        worker_kill(w);
        if (worker_start(p->gen, w) != 0)
            *w = (worker){0, -1};
    }

    pthread_mutex_lock(&p->lock);
    p->idle[p->nidle++] = i;
    pthread_cond_signal(&p->freed);
    pthread_mutex_unlock(&p->lock);
    return rc;
}

void desk_pool_stop(desk_pool *p)
{
    if (!p)
        return;
    for (int i = 0; i < p->n; i++)
        if (p->workers[i].pid > 0)
            close(p->workers[i].fd), p->workers[i].fd = -1;
    for (int i = 0; i < p->n; i++)
        worker_stop(&p->workers[i]);
    pthread_cond_destroy(&p->freed);
    pthread_mutex_destroy(&p->lock);
    free(p->workers);
    free(p->idle);
    free(p->gen);
    free(p);
}
