/* Import: a sheet a clerk keeps in Excel, an .xlsx workbook (sheet_xlsx.h)
 * or a CSV file (GBK on Chinese Windows, or UTF-8), with the column
 * headings in Chinese as the clerk typed them,
 * turned into a record of one of the formats of shared/records/: a
 * self-check (one enterprise a row) or nominations (one nomination a
 * row).  What the rows do not hold (the certification body, the period,
 * the report) comes from `--set 标签=值` settings. */
#ifndef GEN_IMPORT_CSV_H
#define GEN_IMPORT_CSV_H

#include <libxml/xmlIO.h>
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

/* Read the sheet and make the record, its text (UTF-8) written to `out`
 * as it is made (the caller's, who closes it).  Returns an exit status: 0
 * with the record written whole; 2 when the sheet or a setting is wrong,
 * every bad row reported as FILE:ROW: message, and nothing written; 1
 * when the record built does not match its schema (a bug here), and what
 * `out` holds is to be thrown away. */
int import_csv(const import_options *o, xmlOutputBuffer *out, diag_list *diags);

#endif
