/* The running desk: what every request's handler shares.  Set up once by
 * main.c before the server starts and read-only afterwards, but for the
 * job counter (atomic). */
#ifndef GEN_DESK_DESK_H
#define GEN_DESK_DESK_H

#include <stdatomic.h>

#include "pool.h"
#include "store.h"

/* An upload's body may not be larger (413). */
#define DESK_BODY_LIMIT (20 * 1024 * 1024)

typedef struct desk {
    store *store;
    desk_pool *pool;
    const char *data_dir; /* the program's: templates/, schemas/ */
    const char *data;     /* --data, absolute */
    const char *work;     /* DATA/work, where the job folders go */
    int keep_jobs;        /* GEN_DESK_KEEP_JOBS=1: job folders kept */
    int faults;           /* GEN_DESK_FAULTS=1: the __crash__ and __hang__ templates */
    atomic_llong next_job;
} desk;

#endif
