/* render --bundle: a notice and its attachments as one PDF.  The notice's
 * list of attachments decides which there are, their order, their 附件N
 * labels and their titles; the records given are matched to it by what
 * they are (bundle_match.c). */
#define _GNU_SOURCE
#include <math.h>
#include <stdlib.h>

#include "blocks.h"
#include "bundle.h"
#include "proofread.h"
#include "template_refs.h"
#include "util.h"

/* A record of the bundle and its block tree. */
typedef struct bundle_part {
    const char *path;
    xmlDoc *record;
    document doc;
    int have_doc;
} bundle_part;

/* The notice (parts[0]), its attachments, and the templates, which live
 * until the pages are written: the block trees' styles point into them. */
typedef struct bundle {
    bundle_part *parts;
    size_t n;
    template *notice_template;
    bundle_list entries;
} bundle;

/* The part's nodes through the template, with these params, into its
 * block tree. */
static int apply_part(const template *t, const template_params *given, bundle_part *part,
                      diag_list *diags)
{
    xmlNode **nodes = NULL;
    size_t errors = diag_count(diags, DIAG_ERROR);
    size_t n = template_select(t, part->record, NULL, &nodes, diags);
    int rc = EXIT_BAD_INPUT;
    if (n == 0 && diag_count(diags, DIAG_ERROR) == errors)
        diag_add(diags, DIAG_ERROR, part->path, 0, "the record holds nothing for the template %s",
                 template_name(t));
    if (n > 0) {
        part->have_doc = 1;
        template_run run = {part->record, part->path, nodes, n, given};
        if (template_apply_run(t, &run, &part->doc, diags) == 0)
            rc = EXIT_DONE;
    }
    free(nodes);
    return rc;
}

static int open_notice(const run_options *opts, const char *template_arg, bundle *b,
                       diag_list *diags)
{
    bundle_part *notice = &b->parts[0];
    int rc = pipeline_load_record(opts, notice->path, &notice->record, diags);
    if (rc == EXIT_DONE)
        rc = pipeline_find_template(opts, template_arg, notice->record, notice->path,
                                    &b->notice_template, diags);
    return rc == EXIT_DONE ? apply_part(b->notice_template, NULL, notice, diags) : rc;
}

/* Every attachment read, then matched to the notice's entries. */
static int match_attachments(const run_options *opts, bundle_list *l, bundle_part *parts,
                             size_t n, diag_list *diags)
{
    const char **paths = xcalloc(n + 1, sizeof *paths);
    xmlDoc **records = xcalloc(n + 1, sizeof *records);
    int rc = EXIT_DONE;
    for (size_t k = 0; k < n && rc == EXIT_DONE; k++) {
        rc = pipeline_read_record(opts, parts[k].path, &parts[k].record, diags);
        paths[k] = parts[k].path;
        records[k] = parts[k].record;
    }
    if (rc == EXIT_DONE)
        rc = bundle_match(l, paths, records, n, diags);
    free(paths);
    free(records);
    return rc;
}

/* The entry's record, checked, through the entry's template with the
 * entry's label and title. */
static int open_attachment(const run_options *opts, const bundle_entry *e, bundle_part *part,
                           diag_list *diags)
{
    int rc = pipeline_validate_record(opts, part->path, part->record, diags);
    template_param values[] = {{TEMPLATE_ATTACHMENT_LABEL, e->label}, {TEMPLATE_ATTACHMENT_TITLE, e->title}};
    template_params given = {values, 2};
    return rc == EXIT_DONE ? apply_part(e->tpl, &given, part, diags) : rc;
}

static int same_paper(const page_geometry *a, const page_geometry *b)
{
    return fabs(a->width - b->width) < 0.01 && fabs(a->height - b->height) < 0.01;
}

/* Move an attachment's pages after the notice's flow: a new page, then its
 * blocks.  Its page numbers and foot give way to the notice's (GB/T 9704:
 * attachments continue the notice's numbering); on the notice's paper it
 * takes the notice's margins and type area too, so that the page numbers
 * stand where the notice's do (one document, one set of furniture: a form
 * of its own has 26 mm margins and a taller type area).  Another paper (a
 * landscape table) keeps its own here: the layout stage turns it onto the
 * notice's sheet with the notice's type area turned (layout.h: page_turn,
 * GB/T 9704-2012 10.1). */
static void append_part(document *into, document *part)
{
    block *b = block_list_push(&into->flow, BLOCK_PAGE_BREAK);
    b->page = xmalloc(sizeof *b->page);
    *b->page = same_paper(&part->page, &into->page) ? into->page : part->page;
    for (size_t i = 0; i < part->flow.n; i++) {
        GROW(into->flow.items, into->flow.n, into->flow.cap);
        into->flow.items[into->flow.n++] = part->flow.items[i];
    }
    part->flow.n = 0; /* moved; their pooled texts stay in part->texts, freed after the
                         pages are written (pipeline_render_bundle) */
}

/* The notice and its attachments into block trees, the attachments'
 * appended to the notice's in its list's order. */
static int make_bundle(const run_options *opts, const char *template_arg, bundle *b,
                       diag_list *diags)
{
    bundle_list *l = &b->entries;
    bundle_part *parts = b->parts;
    int rc = open_notice(opts, template_arg, b, diags);
    if (rc == EXIT_DONE)
        rc = bundle_read_entries(opts, parts[0].path, parts[0].record, b->notice_template, l,
                                 diags);
    if (rc == EXIT_DONE)
        rc = match_attachments(opts, l, parts + 1, b->n - 1, diags);
    for (size_t i = 0; i < l->n && rc == EXIT_DONE; i++) {
        bundle_entry *e = &l->items[i];
        rc = open_attachment(opts, e, &parts[1 + e->record], diags);
        /* what the list names it, the attachment prints (proofread.h) */
        proofread_entry named = {parts[0].path, e->line, e->label, e->title};
        if (rc == EXIT_DONE)
            proofread_attachment_title(&parts[1 + e->record].doc, &named, diags);
    }
    for (size_t i = 0; i < l->n && rc == EXIT_DONE; i++)
        append_part(&parts[0].doc, &parts[1 + l->items[i].record].doc);
    return rc;
}

/* Every font role the notice's and the attachments' templates name is in
 * the font map (pipeline_check_roles). */
static int check_roles(const run_options *opts, const bundle *b, const font_set *fonts,
                       diag_list *diags)
{
    int rc = pipeline_check_roles(opts, b->notice_template, fonts, diags);
    for (size_t i = 0; i < b->entries.n && rc == EXIT_DONE; i++)
        rc = pipeline_check_roles(opts, b->entries.items[i].tpl, fonts, diags);
    return rc;
}

int pipeline_render_bundle(const run_options *opts, const char *const *paths, size_t n,
                           const char *template_arg, font_set *fonts, diag_list *diags)
{
    size_t first = diags->n;
    bundle b = {.parts = xcalloc(n, sizeof *b.parts), .n = n};
    for (size_t k = 0; k < n; k++)
        b.parts[k].path = paths[k];
    int rc = make_bundle(opts, template_arg, &b, diags);
    if (rc == EXIT_DONE)
        rc = check_roles(opts, &b, fonts, diags);
    if (rc == EXIT_DONE) {
        b.parts[0].have_doc = 0; /* pipeline_lay_out_and_write frees it */
        rc = pipeline_lay_out_and_write(&b.parts[0].doc, fonts, opts, first, diags);
    }
    for (size_t k = 0; k < n; k++) {
        if (b.parts[k].have_doc)
            document_free(&b.parts[k].doc);
        xmlFreeDoc(b.parts[k].record);
    }
    free(b.parts);
    pipeline_release_template(b.notice_template);
    bundle_list_free(&b.entries);
    return rc;
}
