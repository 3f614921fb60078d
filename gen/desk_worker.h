/* gen serve --worker: one of the desk's render processes (gen/desk/pool.h).
 *
 * Protocol, on the pipes the pool gave it.  A request is NUL-terminated
 * strings: DIR (absolute), ARG1, ARG2, ..., then an empty string.  The
 * worker chdir()s to DIR, sends its standard output to DIR/stdout and its
 * standard error to DIR/stderr, runs `gen ARG1 ARG2 ...` in this process
 * (what the command line does, messages in the locale's language),
 * restores its descriptors and answers "RC\n", the exit status.  End of
 * input: the worker exits 0.
 *
 * The font map and the templates stay loaded between jobs while their
 * files are unchanged (pipeline_keep_loaded), and so do the parsed
 * schemas; libxml2 is never cleaned up between jobs.
 *
 * Commands only the worker knows:
 *   validate FILE  the record read and validated as `check` does it, with
 *                  the same messages and status; a record no template
 *                  lays out (a <campaign>) is checked against its schema
 *                  only, without check's "no template lays out" error;
 *   fault-crash    abort(), and
 *   fault-hang     sleep for ever: only with GEN_DESK_FAULTS=1 in the
 *                  environment (the desk's tests), else unknown commands. */
#ifndef GEN_DESK_WORKER_H
#define GEN_DESK_WORKER_H

/* The command runner: gen's own main without its process setup (main.c's
 * gen_main), argv[0] "gen".  Passed in, so that unit tests can link the
 * worker without main.c. */
typedef int (*desk_worker_run)(int argc, char **argv);

/* Serve requests from `in`, answers to `out`, until end of input;
 * data_dir is gen's (templates/, schemas/).  The exit status: 0 at end of
 * input, 1 when the protocol broke. */
int desk_worker_main(int in, int out, const char *data_dir, desk_worker_run run);

#endif
