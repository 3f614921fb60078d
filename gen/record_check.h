/* The record checker: what is wrong with a record that its schema
 * refuses, in the words of the form it fills.  RelaxNG (load.h) stays the
 * judge of validity; this only explains, and finds every problem in one
 * pass where libxml2 stops at the first bad element of an <interleave>:
 * each at the offending element's own line, named by the label the form
 * prints (邮政编码 <postcode>), with what is expected and an example.
 * It reads the schema's fields (schema_fields.h). */
#ifndef GEN_RECORD_CHECK_H
#define GEN_RECORD_CHECK_H

#include <libxml/tree.h>

#include "diag.h"
#include "schema_fields.h"

/* Every problem of `doc` against `fields`, one diagnostic each (errors,
 * with `path` and the line); returns how many. It only reads the tree. */
int record_check(xmlDoc *doc, const char *path, const schema_fields *fields, diag_list *diags);

/* Dates as clerks write them (clerk_date.h: 2009年8月4日, 2009/8/4,
 * 2009.8.4, 2009-8-4) rewritten YYYY-MM-DD in every field whose value is
 * a date, before the record is validated.  Other values are left as they
 * are (a date naming no such day is reported by the checker). */
void record_normalize_dates(xmlDoc *doc, const schema_fields *fields);

/* The same with the fields of the schema at `schema` (nothing when it
 * cannot be read: its validation will say so). */
void record_normalize_dates_of(xmlDoc *doc, const char *schema);

/* Validate `doc` against `schema` (load_validate); when it is invalid,
 * the checker's account replaces libxml2's (which stays when the checker
 * finds nothing to say).  Returns the number of problems, -1 when the
 * schema cannot be read. */
int record_validate(xmlDoc *doc, const char *path, const char *schema, diag_list *diags);

#endif
