/* Excel workbooks (.xlsx, Office Open XML) read directly: a zip archive
 * (libzip) of XML parts (libxml2's streaming reader, so that a sheet of
 * tens of MB is never a tree in memory).  One worksheet into the same
 * csv_sheet the CSV reader fills: rows[i] is the sheet's row i + 1, as
 * Excel numbers it, each cell as Excel shows it (shared and inline
 * strings, numbers without a needless .0, dates as YYYY-MM-DD, TRUE and
 * FALSE), a merged cell's text in every cell it covers. */
#ifndef GEN_SHEET_XLSX_H
#define GEN_SHEET_XLSX_H

#include <stddef.h>

#include "csv.h"
#include "diag.h"

/* No part of a workbook is read beyond this many bytes uncompressed: a
 * zip bomb (a few KB that inflate to GB) is refused, not inflated. */
#define XLSX_PART_LIMIT (200u * 1024 * 1024)

/* What a file's first bytes say it is. */
typedef enum {
    SHEET_FILE_TEXT, /* neither of these: CSV, or nonsense the CSV reader refuses */
    SHEET_FILE_ZIP,  /* a zip archive: .xlsx, .docx, .ods, ... */
    SHEET_FILE_OLE2, /* an OLE2 compound file: Excel 97-2003 .xls, Word .doc */
} sheet_file_kind;

sheet_file_kind sheet_file_kind_of(const char *bytes, size_t len);

/* The `len` bytes of the file `path` (for messages), a zip archive, as a
 * sheet: the worksheet named `sheet_name`, or the first visible one when
 * NULL.  Returns an exit status: 0 with `sheet` filled (zeroed by the
 * caller); 2 with every problem in `diags` (a damaged archive, a Word
 * document, a part too large or not XML, no such sheet) and `sheet` left
 * empty; 1 (EXIT_ENVIRONMENT) when libzip cannot be loaded, reported in
 * `diags`, and `sheet` untouched.  Numbers in the parts are read and
 * written in C's numerics, with a '.', since i18n_init leaves LC_NUMERIC
 * alone. */
int xlsx_read(const char *path, const char *bytes, size_t len, const char *sheet_name,
              csv_sheet *sheet, diag_list *diags);

#endif
