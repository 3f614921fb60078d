/* The desk's renders run in a pool of worker processes, not in the
 * server's threads: each worker is `gen serve --worker` (gen/desk_worker.c),
 * started with posix_spawn, keeping its fonts and templates loaded between
 * jobs.  A job that crashes or hangs costs one worker, which is killed at
 * the job's timeout and started again; the server and the other jobs go
 * on.  (The pipeline's shared state, libharu's and libxml2's, cannot be
 * proven thread-safe by helgrind or TSan, which do not see inside them.)
 *
 * A job is a gen command line (without "gen") run in a folder of its own:
 * its standard output goes to DIR/stdout, its messages (standard error) to
 * DIR/stderr, exactly what the command line prints. */
#ifndef GEN_DESK_POOL_H
#define GEN_DESK_POOL_H

typedef struct desk_pool desk_pool;

/* gen: the path of bin/gen; workers: how many; timeout: seconds a job may
 * take before its worker is killed.  NULL with *err (malloc'd). */
desk_pool *desk_pool_start(const char *gen, int workers, int timeout, char **err);

enum { DESK_POOL_CRASHED = -1, DESK_POOL_TIMEOUT = -2, DESK_POOL_FAILED = -3 };
/* Runs `gen ARGV...` (argv NULL-terminated, none of them empty) in the
 * absolute folder dir, waiting for a free worker.  The command's exit
 * status (0, 1, 2), or DESK_POOL_CRASHED when the worker died, or
 * DESK_POOL_TIMEOUT when it was killed at the timeout, or DESK_POOL_FAILED
 * when no worker could be started.  Safe from any thread. */
int desk_pool_run(desk_pool *p, const char *dir, const char *const *argv);

/* Stops the workers and frees the pool; no job may be running. */
void desk_pool_stop(desk_pool *p);

#endif
