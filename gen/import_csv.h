/* Import: a sheet a clerk saved from Excel as CSV (GBK on Chinese Windows,
 * or UTF-8), with the column headings in Chinese as the clerk typed them,
 * turned into a record of one of the formats of shared/records/: a
 * self-check (one enterprise a row) or nominations (one nomination a
 * row).  What the rows do not hold (the certification body, the period,
 * the report) comes from `--set 标签=值` settings. */
#ifndef GEN_IMPORT_CSV_H
#define GEN_IMPORT_CSV_H

#include <stddef.h>

#include "diag.h"

typedef struct import_options {
    const char *type;            /* "selfcheck" or "nominations" */
    const char *path;            /* the CSV file */
    const char *encoding;        /* NULL: GBK (read as GB18030) */
    const char *const *settings; /* "标签=值" each */
    size_t n_settings;
    const char *data_dir; /* holds schemas/, to check what is built */
    const char *sheet;    /* an .xlsx workbook's sheet; NULL: the first */
} import_options;

/* Read the sheet and make the record.  Returns an exit status: 0 with
 * *record its text (UTF-8, *len bytes; caller frees); 2 when the sheet or a setting is wrong,
 * every bad row reported as FILE:ROW: message (row 1 is the headings);
 * 1 when the record built does not match its schema (a bug here). */
int import_csv(const import_options *o, char **record, size_t *len, diag_list *diags);

#endif
