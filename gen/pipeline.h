/* The stages run in order for the command line: find and load a record,
 * its template and the fonts, then lay out, check the pages and write.
 * Each call returns an exit status (exit_codes.h) and leaves its messages
 * in the diagnostics.  The run's options (run_options.h) are the caller's
 * and only read.
 *
 * Who owns what on the way (each stage frees its input as soon as it is
 * done with it, for a province's table is gigabytes otherwise):
 *   - the record (xmlDoc) and the array of its nodes: the caller's, but
 *     for pipeline_render_owned, which frees them once the block tree is
 *     made;
 *   - the template and the font set: the caller's, for the whole run (the
 *     block tree's styles point into the template; the font set's usage is
 *     forgotten at each document and read by the pdf stage);
 *   - the block tree (document, blocks.h): made and freed inside a render;
 *     pipeline_lay_out_and_write takes one and frees it after layout, before
 *     the file is built (layout frees each table's rows as it goes);
 *   - the laid-out pages (layout_result): made and freed inside
 *     pipeline_lay_out_and_write; the page checks only read them, and
 *     pdf_write frees each page's contents once it has drawn it. */
#ifndef GEN_PIPELINE_H
#define GEN_PIPELINE_H

#include <libxml/tree.h>
#include <pthread.h>

#include "diag.h"
#include "exit_codes.h"
#include "font.h"
#include "layout.h"
#include "run_options.h"
#include "template.h"

/* Read and validate a record (against schemas/ROOT.rng when there is one).
 * *out, when set, is the caller's to free, whatever the status. */
int pipeline_load_record(const run_options *opts, const char *path, xmlDoc **out,
                         diag_list *diags);

/* The two halves: read (well-formed, in its encoding), and validate. */
int pipeline_read_record(const run_options *opts, const char *path, xmlDoc **out,
                         diag_list *diags);
int pipeline_validate_record(const run_options *opts, const char *path, xmlDoc *record,
                             diag_list *diags);

/* A record's validation, beside the template stage when that is safe.
 * libxml2 validates an <interleave> by relinking the element's children
 * while it tries their orders, so the schema itself never runs while
 * another thread reads the tree.  A large record (a province's: 0.4 s)
 * is validated in a thread by the schema's ordered twin, which only reads
 * the tree (load_passes_ordered); a record the twin cannot pass, and a
 * small one, is validated by the schema itself when nothing else reads
 * it: the small one at once, the other when the check is waited for. */
typedef struct pipeline_check {
    const run_options *opts; /* the caller's, until pipeline_check_end */
    const char *path;
    xmlDoc *record;
    char *schema;       /* schemas/ROOT.rng */
    int threaded;       /* the twin runs in `thread` */
    int pending;        /* the twin's answer not yet taken */
    int ordered_passed; /* the twin's answer: valid */
    pthread_t thread;
    int rc;          /* the outcome */
    diag_list found; /* and its messages */
} pipeline_check;

void pipeline_check_begin(const run_options *opts, const char *path, xmlDoc *record,
                          pipeline_check *check);
/* Wait for the check.  A valid record: EXIT_DONE.  Else its messages take
 * the place of those given since the n-th diagnostic (what the later
 * stages said of an invalid record follows from its faults) and the
 * status is returned. */
int pipeline_check_end(pipeline_check *check, size_t n, diag_list *diags);

/* The template `arg` names (a name in the template folder, or a path), or
 * without it the one for the record's root element; it must lay out that
 * root.  *out, when set, is the caller's to give back
 * (pipeline_release_template), whatever the status (so for
 * pipeline_open_template). */
int pipeline_find_template(const run_options *opts, const char *arg, xmlDoc *record,
                           const char *record_path, template **out, diag_list *diags);

/* templates/NAME.xml of the template folder (allocated), and the
 * template at `path` loaded and checked against schemas/template.rng. */
char *pipeline_template_file(const run_options *opts, const char *name);
int pipeline_open_template(const run_options *opts, const char *path, template **out,
                           diag_list *diags);

/* The font map, every file of it checked and tried (pdf_font_probe); a
 * file that cannot be used is a warning, a role without a file an error
 * (font_set_load).  EXIT_ENVIRONMENT when a role has no file, or with
 * opts->strict when a file cannot be used. */
int pipeline_load_fonts(const run_options *opts, font_set **out, diag_list *diags);

/* A process that runs many commands (the desk's worker, desk_worker.h)
 * keeps the font map and the templates it loaded, and what loading them
 * said, for the next pipeline_load_fonts of the same map and
 * pipeline_open_template of the same template, while their files are
 * unchanged on disk (pipeline_kept.h): reading the faces is most of a
 * small render's time, and reading and checking the notice's template
 * 6 ms of the 35 that were left.  A batch already renders
 * many documents with one set and one template, so reuse is what the
 * stages expect.  Off (0): everything kept is freed.  A set from
 * pipeline_load_fonts is given back with pipeline_release_fonts, a
 * template from pipeline_open_template or pipeline_find_template with
 * pipeline_release_template: each frees it unless it is kept. */
void pipeline_keep_loaded(int on);
void pipeline_release_fonts(font_set *set);
void pipeline_release_template(template *t);

/* The same in two steps, for `gen fonts`, which lists even a map it
 * refuses: the map read (NULL when it cannot be), and the status of what
 * was read (its warnings since the first-th made errors with `strict`). */
font_set *pipeline_read_fonts(const run_options *opts, diag_list *diags);
int pipeline_fonts_status(const font_set *set, int strict, size_t first, diag_list *diags);

/* A character of a record that its role draws with a face after the
 * role's first present one (a rare character of a name, or every
 * character a role's first face lacks), and the face that draws it (NULL
 * when none has it). */
typedef struct pipeline_fallback {
    const char *role; /* the font set's */
    uint32_t cp;
    const font_face *face;
} pipeline_fallback;

typedef struct pipeline_fallbacks {
    pipeline_fallback *items; /* allocated, in the order of the text */
    size_t n;
} pipeline_fallbacks;

/* For `gen fonts RECORD [-t T]`: the record read and put through its
 * template (template_arg, or the record's own), and every character of
 * the block tree that falls back, once per role.  The caller frees
 * out->items. */
int pipeline_font_fallbacks(const run_options *opts, const char *record_path,
                            const char *template_arg, const font_set *fonts,
                            pipeline_fallbacks *out, diag_list *diags);

/* Every font role the template names is one of the font map's: else an
 * error at each place naming one it lacks, and EXIT_BAD_INPUT (before
 * anything is laid out, not a 〓 for every character). */
int pipeline_check_roles(const run_options *opts, const template *t, const font_set *fonts,
                         diag_list *diags);

/* The names of the templates that lay out <root> records, the default one
 * (default="yes") first; *names and each name are allocated. */
size_t pipeline_templates_for(const run_options *opts, const char *root, char ***names,
                              int *has_default);

/* What one document is made of: the nodes of a record (read from
 * record_path), in order (template_select), through a template. */
typedef struct pipeline_source {
    const template *tpl;
    xmlDoc *record;
    const char *record_path;
    xmlNode **nodes;
    size_t n;
} pipeline_source;

/* Lay out the source's nodes and write opts->output (NULL: lay out only, as
 * `check` does); with opts->publisher, a written file is handed over to it
 * (pdf_write).  Everything is borrowed: the record and the nodes stay the
 * caller's, for a batch renders node after node of one record.  The font
 * set is reused: its usage is forgotten first. */
int pipeline_render(const pipeline_source *src, font_set *fonts, const run_options *opts,
                    diag_list *diags);

/* The same for a record rendered once, which it takes: the record's check
 * (pipeline_check_begin) is waited for as soon as the block tree is made,
 * and src->record and src->nodes are freed then (a province's record is a
 * third of the memory until then) and set to NULL. */
int pipeline_render_owned(pipeline_source *src, pipeline_check *check, font_set *fonts,
                          const run_options *opts, diag_list *diags);

/* Lay out a block tree, which it takes (freed after layout), run the page
 * checks over the pages and write them (opts->output NULL: lay out and
 * check only).  The document's diagnostics are those from the
 * first_diag-th on. */
int pipeline_lay_out_and_write(document *doc, font_set *fonts, const run_options *opts,
                               size_t first_diag, diag_list *diags);

/* The checks over a document's laid-out pages, run in one place: after
 * layout, before the pdf stage, in the order of the table in pipeline.c
 * (a new check, or a consumer of the pages such as a dump, is one entry
 * there).  Each reads the pages and the run's options, and may add to or
 * change the document's diagnostics (those from the first_diag-th on);
 * every check runs, and the status is that of the first that failed.
 *   strict: with opts->strict, the document's warnings become errors;
 *   layout dump: with opts->layout_dump, the pages written as text. */
typedef int (*pipeline_page_check)(const layout_result *pages, const run_options *opts,
                                   size_t first_diag, diag_list *diags);
int pipeline_check_pages(const layout_result *pages, const run_options *opts, size_t first_diag,
                         diag_list *diags);

/* A notice and its attachments as one PDF (bundle.c): each attachment
 * matched by its record's root element to the entry of the notice's
 * <attachments> whose template (ref=) lays out such records, laid out by
 * that template in the notice's order, its 附件N label and title those of
 * the entry; from a new page of its own geometry, the pages numbered on
 * from the notice's, the notice's 版记 at the end.  An entry without its
 * record, a record without its entry, or two for one: exit 2. */
int pipeline_render_bundle(const run_options *opts, const char *const *paths, size_t n,
                           const char *template_arg, font_set *fonts, diag_list *diags);

#endif
