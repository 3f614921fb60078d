/* The kinds of record the desk keeps (a record's root element) and what
 * it knows of each: the Chinese name a clerk reads, the templates that
 * lay it out.  A kind from a record is looked up in the table, so that
 * only the table's own strings ever reach a path. */
#ifndef GEN_DESK_KINDS_H
#define GEN_DESK_KINDS_H

#include <stddef.h>

#include "desk.h"

/* The table's own string for `kind`, NULL when it is none of them. */
const char *kind_known(const char *kind);
/* "推荐表" for nominations; the kind itself when unknown. */
const char *kind_label(const char *kind);

/* What a clerk calls the document a template of the project makes
 * ("推荐表" for nomination-form); NULL for another template. */
const char *template_label(const char *name);

/* The root element's name of an XML document (the first element), into
 * out.  0, or -1 when there is none or it does not fit. */
int xml_root_name(const char *xml, size_t size, char *out, size_t out_size);

/* The templates that lay out `kind` (pipeline_templates_for, the default
 * first), read once per kind and kept; not to be freed.  0 for an
 * unknown kind. */
size_t kind_templates(const desk *d, const char *kind, const char *const **names);
void kind_templates_forget(void);

#endif
