/* A worksheet part (xl/worksheets/sheetN.xml) into a csv_sheet: its
 * <sheetData> rows and cells as the reader streams them, then its
 * <mergeCells>. */
#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "util.h"
#include "xlsx_date.h"
#include "xlsx_internal.h"

/* Excel's own limits; a cell reference beyond them is a broken file. */
enum { EXCEL_ROWS = 1048576, EXCEL_COLUMNS = 16384 };
/* Cells (with the empty ones between them) a sheet may hold: 40 times the
 * 200,000 rows of 20 columns the importer is built for, and still a few
 * hundred MB, so that a hostile sheet (a value in column XFD of every row,
 * a merged range over the whole sheet) is refused, not allocated. */
#define SHEET_CELL_LIMIT (8u * 1000 * 1000)

typedef struct merge {
    size_t row1, column1, row2, column2; /* from 0, inclusive */
} merge;

typedef struct sheet_reader {
    xlsx *x;
    const char *part;
    csv_sheet *sheet;
    size_t row, next_row;    /* the row being read (from 0), the next one without r= */
    size_t column, next_column;
    char *type, *style; /* the cell's t= and s= */
    char *text;         /* the cell's <v>, or its inline string */
    size_t text_n;
    int in_value, in_inline, in_phonetic, in_t;
    size_t cells; /* counted against SHEET_CELL_LIMIT */
    xlsx_part *p;
    merge *merges;
    size_t n_merges, merges_cap;
    int failed;
} sheet_reader;

/* "C7" as column 2, row 6; 0, or -1 when it is not a cell inside Excel's
 * limits. */
static int cell_ref(const char *ref, size_t *column, size_t *row)
{
    size_t c = 0, r = 0, letters = 0, digits = 0;
    const char *p = ref;
    for (; *p >= 'A' && *p <= 'Z' && letters < 4; p++, letters++)
        c = c * 26 + (size_t)(*p - 'A' + 1);
    for (; *p >= '0' && *p <= '9' && digits < 8; p++, digits++)
        r = r * 10 + (size_t)(*p - '0');
    if (!letters || !digits || *p || c > EXCEL_COLUMNS || r < 1 || r > EXCEL_ROWS)
        return -1;
    *column = c - 1, *row = r - 1;
    return 0;
}

static void broken(sheet_reader *sr, const char *what, const char *value)
{
    if (!sr->failed)
        diag_add(sr->x->diags, DIAG_ERROR, sr->x->path, 0,
                 "its part %s is broken: %s \"%s\" (save the workbook again in Excel)", sr->part,
                 what, value ? value : "");
    sr->failed = 1;
}

static int count_cells(sheet_reader *sr, size_t more)
{
    sr->cells += more;
    if (sr->cells > SHEET_CELL_LIMIT && !sr->failed) {
        diag_add(sr->x->diags, DIAG_ERROR, sr->x->path, 0,
                 "its sheet (part %s) has more than %u cells with those between them; gen reads "
                 "at most that many (a value far to the right, or a sheet too large?)",
                 sr->part, SHEET_CELL_LIMIT);
        sr->failed = 1;
    }
    return !sr->failed;
}

/* Rows up to `row` (from 0) exist; the ones skipped stay empty. */
static void rows_reach(csv_sheet *sheet, size_t row)
{
    while (sheet->n <= row) {
        GROW(sheet->rows, sheet->n, sheet->cap);
        sheet->rows[sheet->n++] = (csv_row){0};
    }
}

/* The cell at (row, column) becomes `text` (taken); cells skipped before
 * it are empty. */
static void cell_set(sheet_reader *sr, size_t row, size_t column, char *text)
{
    rows_reach(sr->sheet, row);
    csv_row *r = &sr->sheet->rows[row];
    if (column >= r->n && !count_cells(sr, column + 1 - r->n)) {
        free(text);
        return;
    }
    while (r->n <= column) {
        GROW(r->cells, r->n, r->cap);
        r->cells[r->n++] = xstrdup("");
    }
    free(r->cells[column]);
    r->cells[column] = text;
}

/* A number as Excel's General format shows it: 40029, 0.3 (not
 * 0.30000000000000004), -2.5.  `d` is the value of the file's text `v`.
 * An integer of more than 15 digits, beyond what Excel keeps, stays as the
 * file has it (2.00701E+15 is the importer's to refuse), as does a value
 * that is not finite (1E+999). */
static char *number_text(const char *v, double d)
{
    if (!isfinite(d))
        return xstrdup(v);
    if (d == floor(d) && fabs(d) < 1e15)
        return xasprintf("%.0f", d == 0 ? 0.0 : d);
    return d == floor(d) ? xstrdup(v) : xasprintf("%.15g", d);
}

static int cell_is_date(const sheet_reader *sr)
{
    if (!sr->style)
        return 0;
    char *end;
    unsigned long s = strtoul(sr->style, &end, 10);
    return end != sr->style && !*end && s < sr->x->n_styles && sr->x->date_styles[s];
}

/* A numeric cell: a date when its style shows one, else a number; text
 * that is not a number stays as the file has it. */
static char *numeric_text(const sheet_reader *sr, const char *v)
{
    char *end;
    double value = strtod(v, &end);
    int y, m, d;
    if (end == v || *end)
        return xstrdup(v);
    if (cell_is_date(sr) && xlsx_serial_day(value, sr->x->date1904, &y, &m, &d) == 0)
        return xasprintf("%04d-%02d-%02d", y, m, d);
    return number_text(v, value);
}

/* The cell's text as Excel shows it; NULL reported when it is broken. */
static char *cell_text(sheet_reader *sr)
{
    const char *t = sr->type ? sr->type : "n", *v = sr->text ? sr->text : "";
    if (!strcmp(t, "s")) {
        char *end;
        unsigned long i = strtoul(v, &end, 10);
        if (end == v || *end || i >= sr->x->n_strings) {
            broken(sr, "a cell refers to a shared string it lacks:", v);
            return NULL;
        }
        return xstrdup(sr->x->strings[i]);
    }
    if (!strcmp(t, "b"))
        return xstrdup(xlsx_truthy(v) ? "TRUE" : "FALSE");
    if (!strcmp(t, "d")) /* an ISO 8601 date-time: its day */
        return xstrndup(v, strlen(v) >= 10 && v[4] == '-' ? 10 : strlen(v));
    if (!strcmp(t, "n"))
        return *v ? numeric_text(sr, v) : xstrdup("");
    char *text = xstrdup(v); /* inlineStr, str (a formula's text), e (#N/A) */
    xlsx_unescape(text);
    return text;
}

/* <c r="C7" t="s" s="3">: where it goes and how its value reads. */
static void cell_start(sheet_reader *sr)
{
    char *ref = xlsx_attribute(sr->p, "r");
    size_t row = sr->row, column = sr->next_column;
    if (ref && (cell_ref(ref, &column, &row) < 0 || row != sr->row || column < sr->next_column))
        broken(sr, "a cell reference out of place or beyond Excel's sheet:", ref);
    free(ref);
    sr->column = column, sr->next_column = column + 1;
    free(sr->type), free(sr->style), free(sr->text);
    sr->type = xlsx_attribute(sr->p, "t"), sr->style = xlsx_attribute(sr->p, "s");
    sr->text = NULL, sr->text_n = 0;
}

static void cell_end(sheet_reader *sr)
{
    char *text = sr->failed ? NULL : cell_text(sr);
    if (text && *text)
        cell_set(sr, sr->row, sr->column, text);
    else
        free(text);
}

/* <row r="7">: rows come in order; one without r= follows the last. */
static void row_start(sheet_reader *sr)
{
    char *r = xlsx_attribute(sr->p, "r"), *end = NULL;
    unsigned long n = r ? strtoul(r, &end, 10) : sr->next_row + 1;
    if (r && (end == r || *end || n < sr->next_row + 1 || n > EXCEL_ROWS))
        broken(sr, "a row number out of order or beyond Excel's sheet:", r);
    free(r);
    sr->row = (size_t)n - 1, sr->next_row = (size_t)n;
    sr->next_column = 0;
}

static void merge_add(sheet_reader *sr)
{
    char *ref = xlsx_attribute(sr->p, "ref"), *colon = ref ? strchr(ref, ':') : NULL;
    merge m;
    if (colon)
        *colon = '\0';
    if (!colon || cell_ref(ref, &m.column1, &m.row1) < 0 ||
        cell_ref(colon + 1, &m.column2, &m.row2) < 0 || m.row2 < m.row1 || m.column2 < m.column1) {
        if (colon)
            *colon = ':';
        broken(sr, "a merged range that is not one:", ref);
    } else if (count_cells(sr, 1)) {
        GROW(sr->merges, sr->n_merges, sr->merges_cap);
        sr->merges[sr->n_merges++] = m;
    }
    free(ref);
}

/* One node of the part. */
static void sheet_node(sheet_reader *sr)
{
    xlsx_part *p = sr->p;
    if (xlsx_at_start(p, "row"))
        row_start(sr);
    else if (xlsx_at_start(p, "c"))
        cell_start(sr);
    else if (xlsx_at_start(p, "mergeCell"))
        merge_add(sr);
    xlsx_within(p, "v", &sr->in_value);
    xlsx_within(p, "is", &sr->in_inline);
    xlsx_within(p, "rPh", &sr->in_phonetic);
    xlsx_within(p, "t", &sr->in_t);
    const char *more = xlsx_text(p);
    if (more && (sr->in_value || (sr->in_inline && sr->in_t && !sr->in_phonetic)))
        xlsx_append(&sr->text, &sr->text_n, more);
    if (xlsx_at_end(p, "c"))
        cell_end(sr);
}

/* The widest row: a merged range is filled no further (a title merged
 * over column XFD adds no columns). */
static size_t sheet_width(const csv_sheet *sheet)
{
    size_t width = 0;
    for (size_t r = 0; r < sheet->n; r++)
        if (sheet->rows[r].n > width)
            width = sheet->rows[r].n;
    return width;
}

/* Each merged range's text (its top left cell's) in every cell it covers,
 * as Excel shows it: a heading merged over two rows heads the lower one
 * too, a title merged over the columns fills the title row. */
static void merges_fill(sheet_reader *sr)
{
    csv_sheet *sheet = sr->sheet;
    size_t width = sheet_width(sheet);
    for (size_t i = 0; i < sr->n_merges && !sr->failed; i++) {
        const merge *m = &sr->merges[i];
        if (m->row1 >= sheet->n || m->column1 >= sheet->rows[m->row1].n)
            continue;
        const char *text = sheet->rows[m->row1].cells[m->column1];
        size_t last_row = m->row2 < sheet->n ? m->row2 : sheet->n - 1;
        size_t last_column = m->column2 < width ? m->column2 : width - 1;
        for (size_t r = m->row1; r <= last_row && !sr->failed; r++)
            for (size_t c = m->column1; c <= last_column && count_cells(sr, 1); c++)
                if (r != m->row1 || c != m->column1)
                    cell_set(sr, r, c, xstrdup(text));
    }
}

int xlsx_sheet_read(xlsx *x, const char *name, csv_sheet *sheet)
{
    xlsx_part p;
    int rc = xlsx_part_open(x, name, 0, &p);
    if (rc <= 0)
        return -1;
    sheet_reader sr = {.x = x, .part = name, .sheet = sheet, .p = &p};
    while (!sr.failed && (rc = xlsx_part_next(&p)) == 1)
        sheet_node(&sr);
    if (xlsx_part_close(&p, rc) < 0)
        sr.failed = 1;
    if (!sr.failed)
        merges_fill(&sr);
    /* rows at the end with no cell (styled but empty) are not the sheet's */
    csv_sheet_drop_trailing_empty(sheet);
    free(sr.type), free(sr.style), free(sr.text), free(sr.merges);
    return sr.failed ? -1 : 0;
}
