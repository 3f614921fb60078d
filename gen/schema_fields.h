/* Schema fields: a record schema (schemas/ROOT.rng, RelaxNG, with the code
 * lists it includes) read as a tree of the fields a record has: each
 * element and attribute with the label the printed form uses, whether it
 * is required or may repeat, what its value may be, an example and a
 * short hint of its format.  The labels, examples and hints are
 * annotations in the code lists' namespace (c:label, c:example, c:format
 * on an <element>, <attribute> or <define>), which RelaxNG ignores.
 *
 * One reading serves three readers: the record checker (record_check.h)
 * that explains what RelaxNG refuses, `gen new` that writes a skeleton
 * record, and `gen fields` that prints the field reference. */
#ifndef GEN_SCHEMA_FIELDS_H
#define GEN_SCHEMA_FIELDS_H

#include <libxml/xmlregexp.h>
#include <stddef.h>

#include "diag.h"

/* What a value may be.  `type` is the XML Schema datatype (token, string,
 * date, gYear, NCName), NULL for plain text. */
typedef struct field_value {
    char *type;
    char *pattern;       /* NULL when none */
    xmlRegexp *compiled; /* the pattern, compiled (NULL when none or broken) */
    int min_length;
    char **choices, **choice_labels; /* a label is NULL when the code is its own name */
    size_t n_choices;
} field_value;

typedef struct schema_field {
    char *name;
    int is_attribute;
    char *label, *example, *format; /* from the annotations; NULL when absent */
    int required, repeatable;
    int has_value; /* holds text (or an attribute's value) */
    field_value value;
    struct schema_field *attributes;
    size_t n_attributes;
    struct schema_field *children;
    size_t n_children;
} schema_field;

typedef struct schema_fields {
    char *path;
    schema_field root;
} schema_fields;

/* Read the schema at `path`.  NULL, with an error, when it cannot be read
 * or has no single root element. */
schema_fields *schema_fields_load(const char *path, diag_list *diags);
void schema_fields_free(schema_fields *s);

/* The fields of the schema at `path`, read the first time it is asked
 * for in this process and kept (NULL when it cannot be read: the
 * validation that needs it reports that); not to be freed.  Safe from
 * any thread.  schema_fields_forget frees them all, at the end. */
const schema_fields *schema_fields_get(const char *path);
void schema_fields_forget(void);

/* The child element, or the attribute, of `f` called `name`; NULL. */
const schema_field *schema_field_child(const schema_field *f, const char *name);
const schema_field *schema_field_attribute(const schema_field *f, const char *name);

/* The label of `f`, or its name when it has none. */
const char *schema_field_label(const schema_field *f);

/* 1 when its value is a date (xs:date). */
int schema_field_is_date(const schema_field *f);

/* What goes in a field, in Chinese for the clerk: its format hint and,
 * for a code, the codes with their names ("其中之一：QMS（质量管理体系）、…");
 * "" when the schema says nothing (allocated). */
char *schema_field_hint(const schema_field *f);

/* The record types by the names a clerk uses (`gen new selfcheck`) and
 * their root elements (self-check): n of them, each name and root; the
 * root of a name (or of a root itself), NULL when there is none. */
size_t record_type_count(void);
const char *record_type_name(size_t i);
const char *record_type_root_at(size_t i);
const char *record_type_root(const char *name);

#endif
