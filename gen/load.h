/* Load: records (and templates) read safely with libxml2 and validated
 * against their RelaxNG schema, every problem reported with its line. */
#ifndef GEN_LOAD_H
#define GEN_LOAD_H

#include <libxml/tree.h>

#include "diag.h"

/* Parse an XML file without network access, external entities or DTD
 * loading.  Returns NULL (with diagnostics) when it cannot be read or is
 * not well-formed. */
xmlDoc *load_xml(const char *path, diag_list *diags);

/* Validate a document against a RelaxNG schema file; returns the number
 * of problems found (each one a diagnostic), or -1 if the schema itself
 * cannot be read. */
int load_validate(xmlDoc *doc, const char *path, const char *schema, diag_list *diags);

#endif
