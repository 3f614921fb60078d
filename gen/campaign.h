/* The campaign: a folder holding the campaign file (schemas/campaign.rng)
 * and the records that come in for it (self-checks, nominations, cities'
 * inspection reports, public lists: any number, any file names, each
 * known by its root element), every record checked against the others.
 *
 *   gen campaign check DIR              the findings, one a line, and a summary
 *   gen campaign list DIR -o FILE       the public list (<public-list>) of the
 *                                       nominees no finding excludes
 *   gen campaign exposure DIR -o FILE   the exposure list (<exposure-list>) of
 *                                       the cities' serious violators
 *   gen campaign bulletin DIR -o FILE   a draft 通报 (<notice>) of the bodies
 *
 * Every record is read once (load.h: validated against its schema) into
 * plain data and its tree freed.  A record is written atomically
 * (out_file.h), never over one of the folder's files. */
#ifndef GEN_CAMPAIGN_H
#define GEN_CAMPAIGN_H

#include <stdio.h>

#include "diag.h"

/* What `gen campaign --help` prints. */
extern const char campaign_usage[];

/* One run of `gen campaign ARGS...` (argv[0] is the job: check, list,
 * exposure, bulletin).  `data_dir` holds schemas/.  The findings of check
 * go to `out`; problems with the input (an invalid record: file, line,
 * what to fix) to `diags`, which the caller prints.  Returns the exit
 * status: check 0 when nothing blocks publication, 2 when something does
 * or a record is bad; the others 0 when written, 2 on bad input (nothing
 * written), 1 when the disk fails. */
int campaign_main(int argc, char **argv, const char *data_dir, FILE *out, diag_list *diags);

#endif
