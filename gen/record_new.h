/* gen new TYPE [-o FILE]: a skeleton record of a type (notice, selfcheck,
 * nominations, inspection, public-list) made from its schema
 * (schema_fields.h): every field present and empty, each under a Chinese
 * comment saying what goes there (label, format, example); the optional
 * ones as comments to uncomment.  Filled in, it validates; left empty, the
 * record checker names every field still to fill. */
#ifndef GEN_RECORD_NEW_H
#define GEN_RECORD_NEW_H

#include <stdio.h>

#include "diag.h"
#include "schema_fields.h"

/* The skeleton's text (allocated).  `type` is the name the header shows. */
char *record_skeleton(const schema_fields *fields, const char *type);

/* The command: argv[0] is "new".  The record goes to -o FILE (written
 * whole or not at all) or `out`.  Returns the exit status. */
int record_new_main(int argc, char **argv, const char *data_dir, FILE *out, diag_list *diags);

#endif
