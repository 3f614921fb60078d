/* An output file written so that a failure or a kill leaves the old file
 * or nothing: written unnamed (or under a temporary name), synced to the
 * disk, then given its name in one step.
 *
 * The sync is a wait for the disk (half a millisecond to a millisecond a
 * file on ext4), which for a batch of one-page forms is a sixth of the
 * run.  A publisher does the sync and the naming in a thread of its own
 * while the caller makes the next file; the caller collects each file's
 * outcome in the order it handed them over. */
#ifndef GEN_OUT_FILE_H
#define GEN_OUT_FILE_H

#include <stddef.h>

#include "diag.h"

typedef struct out_file {
    int fd;
    char *named; /* the temporary's name, or NULL while unnamed */
    char *path;  /* the name it gets */
} out_file;

/* Open the file that will become `path`: 0, or -1 with an error
 * diagnostic. */
int out_open(const char *path, out_file *f, diag_list *diags);

/* Sync the written file and give it its name: 0, or -1 with an error
 * diagnostic and nothing at `path`.  Closes and frees f either way. */
int out_finish(out_file *f, diag_list *diags);

/* `len` bytes written to `path` as one file, whole or not at all (open,
 * write, finish): 0, or -1 with an error diagnostic. */
int out_write_whole(const char *path, const void *bytes, size_t len, diag_list *diags);

/* Give up the file (nothing at `path`): closes and frees f; with `err`
 * (an errno value, or 0) an error diagnostic says why. */
void out_abandon(out_file *f, int err, diag_list *diags);

typedef struct publisher publisher;

/* NULL when the thread cannot start: then finish each file with
 * out_finish. */
publisher *publisher_new(void);

/* Files a publisher holds at most: collect one before handing over more. */
#define PUBLISH_AHEAD 4

/* Hand over a written file, to be finished in the background; f is the
 * publisher's now. */
void publisher_add(publisher *p, out_file *f);

/* Files handed over whose outcome has not been collected. */
size_t publisher_pending(const publisher *p);

/* The outcome of the oldest file not collected (waiting for it): 0, or -1
 * with its error diagnostic.  Only while publisher_pending > 0. */
int publisher_collect(publisher *p, diag_list *diags);

/* Finish every file still handed over (their outcomes dropped: collect
 * them first) and stop the thread. */
void publisher_free(publisher *p);

#endif
