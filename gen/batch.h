/* Batch: one PDF per record node (a nomination form per enterprise), for
 * thousands of documents in one run.  The record, template and fonts are
 * loaded once; the nodes are rendered in this process or by forked
 * workers, and a run can be split across machines by sharding. */
#ifndef GEN_BATCH_H
#define GEN_BATCH_H

#include <stddef.h>
#include <stdio.h>

#include "diag.h"
#include "pipeline.h"

typedef struct batch_options {
    const run_options *run; /* output and publisher unset: each document has its own */
    const char *record;
    const char *template_arg; /* NULL: chosen by the record's root element */
    const char *each;         /* XPath from the root; NULL: the template's each= */
    const char *name;         /* XPath from each node; NULL: the node's position */
    const char *out_dir;      /* created if missing (one level) */
    size_t jobs;              /* worker processes; 1: render in this process */
    size_t shard_index, shard_count; /* take nodes shard_index + k * shard_count */
    int progress; /* a progress line on `report` (when it is a terminal) */
} batch_options;

/* "4" for -j: 1 to 1024.  Returns 0, or -1 when it is not such a number. */
int batch_parse_jobs(const char *s, size_t *jobs);

/* "I/N" for --shard, 0 <= I < N.  Returns 0, or -1. */
int batch_parse_shard(const char *s, size_t *index, size_t *count);

/* Run the batch.  Problems of the whole run (an unreadable record, an
 * invalid XPath, an unusable output folder) go into `diags`; each node's
 * own diagnostics, the progress line and the summary are written to
 * `report` as the run goes, since a run may hold thousands of nodes.
 * Returns the exit status: 0 every document written, 2 some node or the
 * input was bad, 1 an environment failure (which wins over bad input).
 * With jobs > 1 this also returns in each forked worker, once its share
 * is done, with the worker's status and its copy of `diags` emptied: the
 * caller just cleans up and exits with the status. */
int batch_run(const batch_options *o, FILE *report, diag_list *diags);

#endif
