#include "csv.h"

#include <stdlib.h>
#include <string.h>

#include "util.h"

/* Where a cell ended: before the next cell, the next row, or the bytes. */
typedef enum { CELL_NEXT, ROW_NEXT, SHEET_END, QUOTE_UNCLOSED } cell_end;

typedef struct csv_scanner {
    const char *p, *end;
    size_t row; /* the sheet row being read, from 1 */
    char *cell; /* the cell just read, NUL-terminated */
    size_t cell_n, cell_cap;
} csv_scanner;

size_t csv_bom_length(const char *bytes, size_t len)
{
    return len >= 3 && memcmp(bytes, "\xEF\xBB\xBF", 3) == 0 ? 3 : 0;
}

static void cell_append(csv_scanner *s, char c)
{
    if (s->cell_n + 2 > s->cell_cap) {
        s->cell_cap = s->cell_cap ? s->cell_cap * 2 : 64;
        s->cell = xrealloc(s->cell, s->cell_cap);
    }
    s->cell[s->cell_n++] = c;
    s->cell[s->cell_n] = '\0';
}

/* A line break at p (CRLF, LF or CR): its length, else 0. */
static size_t line_break_at(const csv_scanner *s)
{
    if (s->p < s->end && *s->p == '\r')
        return s->p + 1 < s->end && s->p[1] == '\n' ? 2 : 1;
    return s->p < s->end && *s->p == '\n';
}

/* The quoted part of a cell, its opening quote already passed.  Line
 * breaks inside become LF, whatever the sheet was saved with. */
static int scan_quoted(csv_scanner *s)
{
    for (;;) {
        if (s->p >= s->end)
            return -1;
        size_t brk = line_break_at(s);
        if (brk) {
            cell_append(s, '\n');
            s->p += brk;
        } else if (*s->p != '"') {
            cell_append(s, *s->p++);
        } else if (s->p + 1 < s->end && s->p[1] == '"') {
            cell_append(s, '"');
            s->p += 2;
        } else {
            s->p++;
            return 0;
        }
    }
}

/* One cell.  As Excel does, a quote inside an unquoted cell, or text after
 * a closing quote, is taken literally rather than refused. */
static cell_end scan_cell(csv_scanner *s)
{
    s->cell_n = 0;
    if (s->p < s->end && *s->p == '"') {
        s->p++;
        if (scan_quoted(s) != 0)
            return QUOTE_UNCLOSED;
    }
    while (s->p < s->end && *s->p != ',' && !line_break_at(s))
        cell_append(s, *s->p++);
    if (s->p >= s->end)
        return SHEET_END;
    if (*s->p == ',') {
        s->p++;
        return CELL_NEXT;
    }
    s->p += line_break_at(s);
    s->row++;
    return ROW_NEXT;
}

/* The cell just read, as a string of its own. */
static char *cell_copy(const csv_scanner *s)
{
    return s->cell_n ? xstrndup(s->cell, s->cell_n) : xstrdup("");
}

static void row_add_cell(csv_row *row, char *cell)
{
    GROW(row->cells, row->n, row->cap);
    row->cells[row->n++] = cell;
}

static void row_drop_trailing_empty(csv_row *row)
{
    while (row->n > 0 && row->cells[row->n - 1][0] == '\0')
        free(row->cells[--row->n]);
}

static csv_row *sheet_new_row(csv_sheet *sheet)
{
    GROW(sheet->rows, sheet->n, sheet->cap);
    csv_row *row = &sheet->rows[sheet->n++];
    memset(row, 0, sizeof *row);
    return row;
}

void csv_sheet_drop_trailing_empty(csv_sheet *sheet)
{
    while (sheet->n > 0 && sheet->rows[sheet->n - 1].n == 0)
        free(sheet->rows[--sheet->n].cells);
}

int csv_read(const char *bytes, size_t len, csv_sheet *sheet, size_t *bad_row)
{
    size_t bom = csv_bom_length(bytes, len);
    csv_scanner s = {bytes + bom, bytes + len, 1, NULL, 0, 0};
    csv_row *row = sheet_new_row(sheet);
    cell_end end;
    do {
        size_t row_of_cell = s.row;
        end = scan_cell(&s);
        if (end == QUOTE_UNCLOSED) {
            *bad_row = row_of_cell;
            csv_sheet_free(sheet);
            break;
        }
        row_add_cell(row, cell_copy(&s));
        if (end == ROW_NEXT || end == SHEET_END)
            row_drop_trailing_empty(row);
        if (end == ROW_NEXT)
            row = sheet_new_row(sheet);
    } while (end == CELL_NEXT || end == ROW_NEXT);
    free(s.cell);
    if (end == QUOTE_UNCLOSED)
        return -1;
    csv_sheet_drop_trailing_empty(sheet);
    return 0;
}

size_t csv_row_at(const char *bytes, size_t len, size_t offset)
{
    csv_scanner s = {bytes, bytes + len, 1, NULL, 0, 0};
    size_t row = 1;
    cell_end end = CELL_NEXT;
    /* The row of the cell that the offset falls in: scan until a cell
     * ends past it. */
    while (s.p <= bytes + offset && (end == CELL_NEXT || end == ROW_NEXT)) {
        row = s.row;
        end = scan_cell(&s);
    }
    free(s.cell);
    return row;
}

void csv_sheet_free(csv_sheet *sheet)
{
    for (size_t i = 0; i < sheet->n; i++) {
        for (size_t k = 0; k < sheet->rows[i].n; k++)
            free(sheet->rows[i].cells[k]);
        free(sheet->rows[i].cells);
    }
    free(sheet->rows);
    memset(sheet, 0, sizeof *sheet);
}
