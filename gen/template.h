/* Template: templates/NAME.xml read at run time and evaluated against a
 * record with XPath, giving the block tree.  The vocabulary is documented
 * in templates/README.md. */
#ifndef GEN_TEMPLATE_H
#define GEN_TEMPLATE_H

#include <libxml/tree.h>

#include "blocks.h"
#include "diag.h"
#include "font.h"

typedef struct template template;

/* Read and check a template file; NULL with diagnostics when it is not a
 * usable template. */
template *template_load(const char *path, diag_list *diags);
void template_free(template *t);

/* Whether the template, or one it includes, takes a code list from the
 * data file (<codes list="certificate-type"/>, templates/README.md). */
int template_uses_code_lists(const template *t);

/* Fill those tables from the code lists of `file` (schemas/codes.rng,
 * code_lists.h), read only when there is one.  Returns 0, or -1 with
 * errors: the file cannot be read, or lacks a list (at the <codes> line). */
int template_read_code_lists(template *t, const char *file, diag_list *diags);

/* Check the template against the vocabulary's schema (schemas/template.rng);
 * returns the number of problems (diagnostics), or -1 without a schema. */
int template_validate(const template *t, const char *schema, diag_list *diags);

/* Every font role the template names (its styles', its <markdown-style>'s,
 * those of the templates it includes) is a role of the font map (`map`,
 * its path for the messages); else an error at each place that names one
 * it lacks.  Returns the number of such places. */
int template_check_roles(const template *t, const font_set *fonts, const char *map,
                         diag_list *diags);

/* After the template has been applied to a record: each expression of
 * the template (and of those it includes) that found nothing in every
 * node it was evaluated on, and that names an element or attribute the
 * record's schema (`schema`, a RelaxNG file) does not define at all, is
 * a typo (of="postcod" for <postcode>): a warning at its line.  A
 * record's missing optional field is none: the schema names it. */
void template_warn_typos(const template *t, const char *schema, const char *record_path,
                         diag_list *diags);
/* Forget what earlier applications tallied for template_warn_typos (its
 * expressions stay compiled): a template kept between commands warns
 * as one read afresh does. */
void template_forget_use(template *t);

const char *template_name(const template *t);
/* The root element of the records it lays out, e.g. "notice". */
const char *template_record(const template *t);

/* Call fn with the file of each template it includes, and of theirs. */
void template_included_files(const template *t, void (*fn)(const char *path, void *ctx),
                             void *ctx);

/* Chosen without -t among several for the same records (default="yes"). */
int template_is_default(const template *t);

/* The nodes to lay out: those `each` selects from the root (an XPath, as
 * given to `gen batch --each`), else those of the template's own each=
 * attribute (a nomination form: every <nomination>), else the root alone.
 * *nodes is allocated (caller frees); returns their number. */
size_t template_select(const template *t, xmlDoc *record, const char *each, xmlNode ***nodes,
                       diag_list *diags);

/* Values for the template's <param>s given by the caller, in place of
 * their defaults: a bundle gives each attachment its 附件N label and its
 * title from the notice's list ($attachment-label, $attachment-title). */
typedef struct template_param {
    const char *name, *value;
} template_param;
typedef struct template_params {
    const template_param *items;
    size_t n;
} template_params;

/* Does the template declare <param name="NAME">? */
int template_has_param(const template *t, const char *name);

/* One application of a template: the record (read from `record_path`,
 * for messages and the seal's folder), the nodes to lay out, in order, a
 * page break between them (template_select's), and the caller's values
 * for the template's <param>s (NULL: their defaults; a value for a param
 * the template does not declare is ignored). */
typedef struct template_run {
    xmlDoc *record;
    const char *record_path;
    xmlNode **nodes;
    size_t n;
    const template_params *given;
} template_run;

/* Evaluate the template for run into `out`.  Returns 0, or -1 with error
 * diagnostics.  Either way `out` is a document the caller frees
 * (document_free); it points into the template (blocks.h), which must
 * outlive it, and not into the record, which may be freed at once. */
int template_apply_run(const template *t, const template_run *run, document *out,
                       diag_list *diags);

/* Evaluate the template against the record (read from `record_path`), for
 * the nodes template_select gives without `each`, filling `out`.  Problems
 * of the record (a date that is not a date) are
 * error diagnostics with the record's line.  Returns 0, or -1. */
int template_apply(const template *t, xmlDoc *record, const char *record_path, document *out,
                   diag_list *diags);

#endif
