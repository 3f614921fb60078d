/* A bundle's attachments told apart: the notice's <attachments> read, and
 * each attachment record given to the entry whose template lays out its
 * kind of record (its root element), whatever the order it was given in. */
#define _GNU_SOURCE
#include "bundle.h"

#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "i18n.h"
#include "template_refs.h"
#include "util.h"

/* "NOTICE:LINE: 附件N "TITLE"" and the rest of the message. */
GEN_PRINTF(4, 5)
static void entry_error(const bundle_list *l, const bundle_entry *e, diag_list *diags,
                        const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    char *rest = xvasprintf(_(fmt), ap);
    va_end(ap);
    diag_add(diags, DIAG_ERROR, l->notice_path, e->line, "%s \"%s\"%s", e->label, e->title, rest);
    free(rest);
}

/* The template the entry's ref= names, which must take the label and the
 * title the bundle gives it. */
static int open_entry_template(const run_options *opts, const bundle_list *l, const char *ref,
                               bundle_entry *e, diag_list *diags)
{
    if (!ref) {
        entry_error(l, e, diags,
                    " names no template: give it ref=\"TEMPLATE\", the template that lays it out");
        return EXIT_BAD_INPUT;
    }
    char *path = pipeline_template_file(opts, ref);
    int rc = EXIT_BAD_INPUT;
    if (access(path, R_OK) != 0)
        entry_error(l, e, diags, ": no template \"%s\" (no %s)", ref, path);
    else
        rc = pipeline_open_template(opts, path, &e->tpl, diags);
    if (rc == EXIT_DONE && (!template_has_param(e->tpl, TEMPLATE_ATTACHMENT_LABEL) ||
                            !template_has_param(e->tpl, TEMPLATE_ATTACHMENT_TITLE))) {
        entry_error(l, e, diags,
                    ": the template %s has no <param name=\"%s\"> and <param name=\"%s\">, so it "
                    "cannot print the label and the title the notice gives it; add them to %s "
                    "(templates/README.md)",
                    ref, TEMPLATE_ATTACHMENT_LABEL, TEMPLATE_ATTACHMENT_TITLE, path);
        rc = EXIT_BAD_INPUT;
    }
    free(path);
    return rc;
}

/* Two entries of one kind of record could not be told apart. */
static int kind_taken(const bundle_list *l, size_t k, diag_list *diags)
{
    const bundle_entry *e = &l->items[k];
    for (size_t i = 0; i < k; i++) {
        const bundle_entry *o = &l->items[i];
        if (o->tpl && strcmp(template_record(o->tpl), template_record(e->tpl)) == 0) {
            entry_error(l, e, diags,
                        " (template %s) takes <%s> records, as %s (line %d, template %s) does: "
                        "a bundle tells attachments apart by their kind of record, and cannot "
                        "bundle both; render one of them on its own",
                        template_name(e->tpl), template_record(e->tpl), o->label, o->line,
                        template_name(o->tpl));
            return 1;
        }
    }
    return 0;
}

int bundle_read_entries(const run_options *opts, const char *notice_path, xmlDoc *notice,
                        const template *notice_template, bundle_list *out, diag_list *diags)
{
    template_ref *refs = NULL;
    int line = 0;
    long listed = template_attachment_refs(notice_template, notice, &refs, &line, diags);
    size_t n = listed > 0 ? (size_t)listed : 0;
    *out = (bundle_list){.notice_path = notice_path, .line = line, .n = n};
    if (listed < 0)
        return EXIT_BAD_INPUT;
    out->items = xcalloc(n ? n : 1, sizeof *out->items);
    int rc = EXIT_DONE;
    for (size_t k = 0; k < n; k++) {
        bundle_entry *e = &out->items[k];
        e->line = (int)xmlGetLineNo(refs[k].entry);
        e->record = SIZE_MAX;
        e->title = space_normalized(refs[k].title); /* as its schema reads a token */
        /* GB/T 9704: the number only when there are several */
        if (n == 1)
            snprintf(e->label, sizeof e->label, "附件");
        else
            snprintf(e->label, sizeof e->label, "附件%zu", k + 1);
        if (open_entry_template(opts, out, refs[k].name, e, diags) != EXIT_DONE ||
            kind_taken(out, k, diags))
            rc = EXIT_BAD_INPUT;
    }
    template_refs_free(refs, n);
    return rc;
}

static bundle_entry *entry_taking(bundle_list *l, const char *root)
{
    for (size_t i = 0; i < l->n; i++)
        if (strcmp(template_record(l->items[i].tpl), root) == 0)
            return &l->items[i];
    return NULL;
}

int bundle_match(bundle_list *l, const char *const *paths, xmlDoc *const *records, size_t n,
                 diag_list *diags)
{
    int rc = EXIT_DONE;
    for (size_t k = 0; k < n; k++) {
        const char *root = (const char *)xmlDocGetRootElement(records[k])->name;
        bundle_entry *e = entry_taking(l, root);
        if (!e) {
            diag_add(diags, DIAG_ERROR, l->notice_path, l->line,
                     "%s is a <%s> record, and %s: leave it out of the bundle, or list it in the "
                     "notice's <attachments> as <attachment ref=\"TEMPLATE\">TITLE</attachment>",
                     paths[k], root,
                     l->n ? _("no attachment the notice lists takes one")
                          : _("the notice lists no attachments"));
            rc = EXIT_BAD_INPUT;
        } else if (e->record != SIZE_MAX) {
            entry_error(l, e, diags, " (template %s, <%s> records): %s and %s both given for it; "
                        "give one", template_name(e->tpl), root, paths[e->record], paths[k]);
            rc = EXIT_BAD_INPUT;
        } else
            e->record = k;
    }
    for (size_t i = 0; i < l->n; i++) {
        bundle_entry *e = &l->items[i];
        if (e->record == SIZE_MAX) {
            entry_error(l, e, diags,
                        " (template %s, <%s> records): no record given for it; give a <%s> "
                        "record after the notice",
                        template_name(e->tpl), template_record(e->tpl), template_record(e->tpl));
            rc = EXIT_BAD_INPUT;
        }
    }
    return rc;
}

void bundle_list_free(bundle_list *l)
{
    for (size_t i = 0; i < l->n; i++) {
        free(l->items[i].title);
        pipeline_release_template(l->items[i].tpl);
    }
    free(l->items);
    *l = (bundle_list){0};
}
