/* The template vocabulary of a bundle (render --bundle): a template whose
 * records head a bundle says in its head where such a record lists its
 * attachments, and for each the template that lays out its record and
 * its title:
 *
 *   <attachments of="attachments/attachment" template="@ref" title="."/>
 *
 * (templates/notice.xml, the 附件说明).  The params through which an
 * attachment's template prints the label and the title the bundle gives
 * it are named here too (templates/README.md).  The pipeline
 * (bundle_match.c) reads a notice through these alone, so it knows
 * nothing of the notice's elements. */
#ifndef GEN_TEMPLATE_REFS_H
#define GEN_TEMPLATE_REFS_H

#include <libxml/tree.h>
#include <stddef.h>

#include "diag.h"
#include "template.h"

/* The params an attachment's template declares and a bundle gives. */
#define TEMPLATE_ATTACHMENT_LABEL "attachment-label"
#define TEMPLATE_ATTACHMENT_TITLE "attachment-title"

/* One entry of the list. */
typedef struct template_ref {
    const xmlNode *entry; /* the node of= selected: its line is the messages' */
    char *name;           /* template=: the name of a template; NULL when empty */
    char *title;          /* title=, as XPath's string() gives it */
} template_ref;

/* Does the template declare <attachments> (may its records head a
 * bundle)? */
int template_lists_attachments(const template *t);

/* The record's list of attachments, in document order, as the template
 * declares it.  *refs is allocated, and each name and title (the caller
 * frees them, template_refs_free); *line is that of the first entry's
 * parent (the list), else of the record's root, for messages about the
 * list.  Returns the number of entries, or -1 with an error when the
 * template declares none or an expression is not valid XPath. */
long template_attachment_refs(const template *t, xmlDoc *record, template_ref **refs, int *line,
                              diag_list *diags);
void template_refs_free(template_ref *refs, size_t n);

#endif
