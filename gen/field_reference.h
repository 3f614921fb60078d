/* gen fields [TYPE] [--man]: the field reference of the record types,
 * made from their schemas (schema_fields.h): for each field its label,
 * element, whether it is required, its format and an example.  Markdown
 * (docs/fields.md) or a man(7) section (man/gen.1); `make reference`
 * writes both, and a test fails when they differ from what this prints. */
#ifndef GEN_FIELD_REFERENCE_H
#define GEN_FIELD_REFERENCE_H

#include <stdio.h>

#include "diag.h"

/* The command: argv[0] is "fields".  Returns the exit status. */
int field_reference_main(int argc, char **argv, const char *data_dir, FILE *out, diag_list *diags);

#endif
