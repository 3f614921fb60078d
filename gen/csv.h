/* CSV: the sheets clerks save from Excel, read by RFC 4180 (comma
 * separated, cells in double quotes may hold commas, doubled quotes and
 * line breaks).  Bytes in, rows of cells out.  The reader knows no
 * encoding beyond skipping a UTF-8 byte-order mark: the bytes that shape
 * a CSV (comma, quote, CR, LF) never occur inside a multi-byte character
 * of UTF-8 or GB18030, so it reads either. */
#ifndef GEN_CSV_H
#define GEN_CSV_H

#include <stddef.h>

typedef struct csv_row {
    char **cells; /* NUL-terminated; trailing empty cells dropped */
    size_t n, cap;
} csv_row;

/* rows[i] is the sheet's row i + 1, as Excel numbers it: a quoted line
 * break does not start a row.  Trailing empty rows are dropped; empty rows
 * between others stay (n == 0) so that the numbers stay right. */
typedef struct csv_sheet {
    csv_row *rows;
    size_t n, cap;
} csv_sheet;

/* Read `len` bytes of CSV into `sheet` (zeroed by the caller).  Line
 * breaks are CRLF, LF or CR; inside quotes they become LF.  Returns 0, or
 * -1 when a quoted cell is never closed: then *bad_row is the row it
 * opens in and the sheet is left empty. */
int csv_read(const char *bytes, size_t len, csv_sheet *sheet, size_t *bad_row);

/* The sheet row that byte `offset` of the same bytes falls in, for
 * messages about bytes rather than cells (an encoding error). */
size_t csv_row_at(const char *bytes, size_t len, size_t offset);

/* The length of a UTF-8 byte-order mark at the start: 3 or 0. */
size_t csv_bom_length(const char *bytes, size_t len);

/* Drop the rows at the end that have no cell (the .xlsx reader's sheets
 * end as the CSV reader's do). */
void csv_sheet_drop_trailing_empty(csv_sheet *sheet);

void csv_sheet_free(csv_sheet *sheet);

#endif
