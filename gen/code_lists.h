/* Code lists: the codes a record field may hold (certificate-type: QMS,
 * EMS, ...), the Chinese name each prints as (质量管理体系) and the other
 * names a clerk may type (质量管理体系认证).  They live in one data file,
 * schemas/codes.rng, a RelaxNG grammar the record schemas include; this
 * module reads its lists for the templates (<codes list=>) and the
 * importer.  The format is described at the top of that file. */
#ifndef GEN_CODE_LISTS_H
#define GEN_CODE_LISTS_H

#include <libxml/tree.h>
#include <stddef.h>

#include "diag.h"

/* The namespace of the names (c:label, c:also, c:names-of) in the file. */
#define CODE_LISTS_NS "urn:gen:code-lists"

typedef struct code_entry {
    char *value; /* as a record holds it: "QMS" */
    char *label; /* the name it prints as: "质量管理体系"; the value when it has none */
    char **also; /* the other names a clerk may write, as written */
    size_t n_also;
} code_entry;

typedef struct code_list {
    char *name; /* its <define>'s: "certificate-type" */
    code_entry *codes;
    size_t n;
    int line; /* of its <define> in the file */
} code_list;

/* Every list of the file, in its order.  All of it is owned here and lives
 * until code_lists_free. */
typedef struct code_lists {
    char *path;
    code_list *lists;
    size_t n;
} code_lists;

/* The file in the data folder: DATA/schemas/codes.rng (allocated). */
char *code_lists_file(const char *data_dir);

/* Read the file (load_xml).  NULL, with an error at its line for each
 * fault, when it cannot be read or is not a grammar of code lists: each
 * <define> a <choice> of <value>s, no value twice in a list, no list
 * twice, and a list with c:names-of="LIST" holding exactly LIST's names. */
code_lists *code_lists_load(const char *path, diag_list *diags);
void code_lists_free(code_lists *c);

/* The list called `name`, or NULL. */
const code_list *code_lists_find(const code_lists *c, const char *name);

/* An annotation of ours on a schema's node (c:label, c:example,
 * c:format: the namespace CODE_LISTS_NS), allocated, or NULL. */
char *code_lists_note(const xmlNode *n, const char *name);

#endif
