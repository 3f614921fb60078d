/* A record of many rows (a self-check of 200,000 enterprises, as gen
 * import makes it) checked against its schema and written as text a few
 * hundred rows at a time, so that the time grows with the rows and what is
 * held is neither a tree of the record nor its text: the text goes to the
 * caller's output (a file) as it is made.
 *
 * Why not the whole tree at once: libxml2 compiles no content model below
 * an <interleave> (the records' roots are interleaves), and its
 * uncompiled <zeroOrMore> keeps every state it has passed, comparing each
 * new one with all of them: validating n rows takes time in n squared
 * (38,000 rows 2.6 s, 76,000 rows 8 s).  A tree of the record also takes
 * ten times the text's size.
 *
 * The rows are checked each chunk with the record's frame around it (the
 * settings, the other elements): what the schema says of one row is the
 * same in a chunk as in the whole.  A schema that relates rows to each
 * other (xsd:ID) would need them all at once: the record schemas do not. */
#ifndef GEN_RECORD_ROWS_H
#define GEN_RECORD_ROWS_H

#include <libxml/tree.h>

#include "diag.h"

typedef struct record_rows record_rows;

/* Rows to go into `parent`, an element of `frame` (the record without its
 * rows, which the writer owns from now on), the record's text written to
 * `out` (the caller's, closed by the caller).  `schema` checks the record
 * (NULL: not checked); `what` names it in messages.  After a problem the
 * text stops: what `out` holds then is to be thrown away. */
record_rows *record_rows_new(xmlDoc *frame, xmlNode *parent, const char *schema, const char *what,
                             xmlOutputBuffer *out);

/* The element a row is built in: a new child of the parent, named `name`. */
xmlNode *record_rows_next(record_rows *w, const char *name);

/* The row built since record_rows_next is complete: checked and written
 * with its chunk.  Returns the number of problems the schema found (each
 * a diagnostic; after one, the rest is not checked), or -1 when it cannot
 * be read. */
int record_rows_done(record_rows *w, diag_list *diags);

/* The rest of the record's text (UTF-8, indented as xmlDocFormatDump
 * writes it) written to `out` and flushed: 0, or the problems as
 * record_rows_done. */
int record_rows_finish(record_rows *w, diag_list *diags);

/* Frees the writer and the frame. */
void record_rows_free(record_rows *w);

#endif
