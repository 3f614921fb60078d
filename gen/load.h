/* Load: records (and templates) read safely with libxml2 and validated
 * against their RelaxNG schema, every problem reported with its line.
 * Safe: no network, no DTD loading, no entity declarations at all (they can
 * pull in local files or expand without bound); the bytes are checked
 * against their encoding (BOM, XML declaration, or --encoding) and
 * converted to UTF-8 with iconv before libxml2 sees them. */
#ifndef GEN_LOAD_H
#define GEN_LOAD_H

#include <libxml/tree.h>

#include "diag.h"

/* What a file holds: a record (elements hold elements or text, never both:
 * the white space between elements is dropped) or a document that mixes
 * text and elements (a template). */
typedef enum { LOAD_RECORD, LOAD_MIXED } load_kind;

/* Parse an XML file.  `encoding`: NULL to go by the file (a BOM, else its
 * XML declaration, else UTF-8), or the encoding to read it in (GBK,
 * GB18030, UTF-8, ...) whatever it declares.  Returns NULL, with one
 * diagnostic that says where and why, when the file cannot be read, is
 * not in its encoding, or is not well-formed. */
xmlDoc *load_xml_encoded(const char *path, const char *encoding, load_kind kind, diag_list *diags);

/* The same for bytes already in memory (`path` names them in messages). */
xmlDoc *load_xml_memory(const char *path, const char *bytes, size_t len, const char *encoding,
                        load_kind kind, diag_list *diags);

/* load_xml_encoded(path, NULL, LOAD_MIXED, diags) */
xmlDoc *load_xml(const char *path, diag_list *diags);

/* Validate a document against a RelaxNG schema file (parsed once per
 * process); returns the number of problems found (each one a diagnostic),
 * or -1 if the schema itself cannot be read. */
int load_validate(xmlDoc *doc, const char *path, const char *schema, diag_list *diags);

/* Parse a schema for load_validate of `doc` ahead (0, or -1 as
 * load_validate): before a thread validates with it. */
int load_schema(const char *schema, xmlDoc *doc, diag_list *diags);

/* Free the schemas load_validate keeps parsed for the process. */
void load_forget_schemas(void);

#endif
