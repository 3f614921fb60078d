/* A bundle's attachments told apart (bundle_match.c): the notice's list of
 * attachments (附件说明), each entry with the template its ref= names, and
 * the attachment records given on the command line matched to the entries
 * by what they are (the record's root element, the record= of the entry's
 * template), not by the order they were given in.  bundle.c lays them out. */
#ifndef GEN_BUNDLE_H
#define GEN_BUNDLE_H

#include <libxml/tree.h>

#include "diag.h"
#include "pipeline.h"
#include "template.h"

/* One <attachment> of the notice. */
typedef struct bundle_entry {
    int line;       /* in the notice */
    char label[32]; /* 附件N (附件 alone when it is the only one) */
    char *title;    /* the entry's text, whitespace collapsed */
    template *tpl;  /* the one its ref= names */
    size_t record;  /* the index of its record among the attachments; SIZE_MAX: none */
} bundle_entry;

typedef struct bundle_list {
    const char *notice_path;
    int line; /* of <attachments>, else of the notice's root */
    bundle_entry *items;
    size_t n;
} bundle_list;

/* The notice's entries, as its template lists them (<attachments>,
 * template_refs.h), each template loaded and checked: it must take
 * $attachment-label and $attachment-title, and no two entries may take
 * the same records.  Returns EXIT_DONE, or EXIT_BAD_INPUT with messages
 * (the list is then to be freed all the same). */
int bundle_read_entries(const run_options *opts, const char *notice_path, xmlDoc *notice,
                        const template *notice_template, bundle_list *out, diag_list *diags);

/* Give each entry its record among the n attachments: a record whose kind
 * no entry takes, an entry with none or with two: EXIT_BAD_INPUT, each
 * said with the line of the notice's entry. */
int bundle_match(bundle_list *l, const char *const *paths, xmlDoc *const *records, size_t n,
                 diag_list *diags);

void bundle_list_free(bundle_list *l);

#endif
