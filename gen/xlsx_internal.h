/* Inside the .xlsx reader (sheet_xlsx.c the archive and the workbook's
 * parts, xlsx_sheet.c the worksheet): a part read as a stream of XML
 * nodes. */
#ifndef GEN_XLSX_INTERNAL_H
#define GEN_XLSX_INTERNAL_H

#include <libxml/xmlreader.h>
#include <zip.h>

#include "csv.h"
#include "diag.h"
#include "zip_functions.h"

/* The workbook as read so far. */
typedef struct xlsx {
    const char *path; /* the file, for messages */
    diag_list *diags;
    const zip_functions *z; /* libzip's (zip_functions.h says why a table) */
    zip_t *zip;
    int date1904;
    char **strings; /* xl/sharedStrings.xml: <c t="s"><v>N</v> is strings[N] */
    size_t n_strings, strings_cap;
    unsigned char *date_styles; /* for each cellXfs entry (a cell's s=): shows a date */
    size_t n_styles, styles_cap;
} xlsx;

/* One part being read: a zip entry through an xmlTextReader. */
typedef struct xlsx_part {
    xlsx *x;
    const char *name; /* xl/worksheets/sheet1.xml */
    zip_file_t *file;
    unsigned long long read; /* bytes inflated so far */
    int too_large;
    char *error; /* libxml2's first complaint, with its line */
    xmlTextReaderPtr reader;
} xlsx_part;

/* Open the part `name`.  Returns 1, 0 when the archive has no such part
 * (reported unless `optional`), -1 when it cannot be read (reported). */
int xlsx_part_open(xlsx *x, const char *name, int optional, xlsx_part *p);

/* The next node: 1, 0 at the end, -1 on an error (reported by
 * xlsx_part_close). */
int xlsx_part_next(xlsx_part *p);

/* Close the part; 0, or -1 when it was broken, too large or held a DTD
 * (each reported with the file and the part). */
int xlsx_part_close(xlsx_part *p, int status);

/* Whether the node is the element `local` (any namespace) opening. */
int xlsx_at_start(const xlsx_part *p, const char *local);
/* ... or closing (an empty element closes where it opens). */
int xlsx_at_end(const xlsx_part *p, const char *local);

/* Whether the reader is inside the element `local`: *flag becomes 1
 * where it opens (unless it is empty), 0 where it closes, and is left
 * alone at any other node. */
void xlsx_within(const xlsx_part *p, const char *local, int *flag);

/* The node's value when it is text (text, CDATA, whitespace), else NULL. */
const char *xlsx_text(const xlsx_part *p);

/* `more` appended to the string *text of *n bytes (reallocated). */
void xlsx_append(char **text, size_t *n, const char *more);

/* An attribute's value (no namespace, or any when `local` has none), to
 * be freed, or NULL. */
char *xlsx_attribute(const xlsx_part *p, const char *local);

/* Whether a boolean of the file (an attribute, a t="b" cell) is true:
 * "1" or "true"; NULL is false. */
int xlsx_truthy(const char *v);

/* A string of a part as the cell shows it, in place: Excel writes a
 * character XML cannot hold as _xHHHH_ (a carriage return _x000D_); line
 * breaks become LF, as the CSV reader makes them. */
void xlsx_unescape(char *s);

/* The worksheet part `name` into `sheet`: 0, or -1 (reported). */
int xlsx_sheet_read(xlsx *x, const char *name, csv_sheet *sheet);

#endif
