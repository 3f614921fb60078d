/* Load: every XML file the program reads (records, templates, the font
 * map) read safely with libxml2, records and templates validated against
 * their RelaxNG schema, every problem reported with its line.
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
 * or -1 if the schema itself cannot be read.  It changes the tree while it
 * runs (libxml2 relinks an <interleave>'s children to try their orders):
 * nothing else may read the document meanwhile. */
int load_validate(xmlDoc *doc, const char *path, const char *schema, diag_list *diags);

/* Parse a schema for validating `doc` ahead: -1 if it cannot be read (as
 * load_validate), 1 when its ordered twin is ready for `doc` (a large
 * document: load_passes_ordered can show it valid), else 0. */
int load_schema(const char *schema, xmlDoc *doc, diag_list *diags);

/* 1 when `doc` passes the schema's ordered twin (every <interleave> read as
 * <group>: what it accepts the schema accepts), else 0 (no twin, or the
 * twin refuses it: then only load_validate can tell).  It only reads the
 * tree, so another thread may read it meanwhile; load_schema first. */
int load_passes_ordered(xmlDoc *doc, const char *schema);

/* Free the schemas load_validate keeps parsed for the process. */
void load_forget_schemas(void);

#endif
