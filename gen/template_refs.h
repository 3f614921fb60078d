/* The template vocabulary of a bundle (render --bundle): where a notice's
 * record lists its attachments (附件说明), each naming by ref= the template
 * that lays its record out, and the params through which such a template
 * prints the label and the title the notice gives it (templates/README.md).
 * The pipeline (bundle_match.c) reads a notice through these alone. */
#ifndef GEN_TEMPLATE_REFS_H
#define GEN_TEMPLATE_REFS_H

#include <libxml/tree.h>
#include <stddef.h>

/* The params an attachment's template declares and a bundle gives. */
#define TEMPLATE_ATTACHMENT_LABEL "attachment-label"
#define TEMPLATE_ATTACHMENT_TITLE "attachment-title"

/* One entry of the list. */
typedef struct template_ref {
    const xmlNode *entry; /* its text is the attachment's title, its line the messages' */
    char *name;           /* its ref=, the name of a template; NULL when it names none */
} template_ref;

/* The record's list of attachments, in order: each <attachment> of the
 * root's <attachments>.  *refs is allocated, and each name (the caller
 * frees them); *line is that of <attachments>, else of the root, for
 * messages about the list.  Returns the number of entries. */
size_t template_attachment_refs(xmlDoc *record, template_ref **refs, int *line);

#endif
