/* The stages run in order for the command line: find and load a record,
 * its template and the fonts, then lay out and write.  Each call returns an
 * exit status (0 done, 1 environment, 2 bad input) and leaves its messages
 * in the diagnostics. */
#ifndef GEN_PIPELINE_H
#define GEN_PIPELINE_H

#include <libxml/tree.h>
#include <pthread.h>

#include "diag.h"
#include "font.h"
#include "out_file.h"
#include "out_guard.h"
#include "template.h"

enum { EXIT_DONE = 0, EXIT_ENVIRONMENT = 1, EXIT_BAD_INPUT = 2 };

/* Where templates/, fonts/fonts.xml and schemas/ are found. */
typedef struct pipeline_paths {
    const char *data_dir;  /* holds schemas/, and the defaults below */
    const char *templates; /* folder; NULL: DATA/templates */
    const char *fonts;     /* font map; NULL: DATA/fonts/fonts.xml */
    const char *encoding;  /* records' encoding (--encoding); NULL: as declared */
    const char *output;    /* the PDF to be written: an input that is it is refused */
    input_list *inputs;    /* when set, every file read is added to it (batch) */
} pipeline_paths;

/* Read and validate a record (against schemas/ROOT.rng when there is one). */
int pipeline_load_record(const pipeline_paths *p, const char *path, xmlDoc **out,
                         diag_list *diags);

/* The two halves: read (well-formed, in its encoding), and validate. */
int pipeline_read_record(const pipeline_paths *p, const char *path, xmlDoc **out,
                         diag_list *diags);
int pipeline_validate_record(const pipeline_paths *p, const char *path, xmlDoc *record,
                             diag_list *diags);

/* A record's validation, run in a thread of its own beside the template
 * stage, which only reads the tree as validation does (a province's
 * record: 0.4 s).  Without a schema for the root there is nothing to do;
 * without a thread it is done at once. */
typedef struct pipeline_check {
    const pipeline_paths *paths;
    const char *path;
    xmlDoc *record;
    int threaded;
    pthread_t thread;
    int rc;          /* the outcome */
    diag_list found; /* and its messages */
} pipeline_check;

void pipeline_check_begin(const pipeline_paths *p, const char *path, xmlDoc *record,
                          pipeline_check *check);
/* Wait for the check.  A valid record: EXIT_DONE.  Else its messages take
 * the place of those given since the n-th diagnostic (what the later
 * stages said of an invalid record follows from its faults) and the
 * status is returned. */
int pipeline_check_end(pipeline_check *check, size_t n, diag_list *diags);

/* The template `arg` names (a name in the template folder, or a path), or
 * without it the one for the record's root element; it must lay out that
 * root. */
int pipeline_find_template(const pipeline_paths *p, const char *arg, xmlDoc *record,
                           const char *record_path, template **out, diag_list *diags);

int pipeline_load_fonts(const pipeline_paths *p, font_set **out, diag_list *diags);

/* Every font role the template names is one of the font map's: else an
 * error at each place naming one it lacks, and EXIT_BAD_INPUT (before
 * anything is laid out, not a 〓 for every character). */
int pipeline_check_roles(const pipeline_paths *p, const template *t, const font_set *fonts,
                         diag_list *diags);

/* The names of the templates that lay out <root> records, the default one
 * (default="yes") first; *names and each name are allocated. */
size_t pipeline_templates_for(const pipeline_paths *p, const char *root, char ***names,
                              int *has_default);

/* Lay out the nodes through the template and write `out_path` (NULL: lay
 * out only, as `check` does).  With `strict`, a character no font has is
 * an error.  The font set is reused: its usage is forgotten first.  With a
 * publisher, a written file is handed over to it (pdf_write). */
int pipeline_render(const template *t, xmlDoc *record, xmlNode **nodes, size_t n,
                    const char *record_path, font_set *fonts, int strict, const char *out_path,
                    publisher *pub, diag_list *diags);

/* The same for a record rendered once: the record's check
 * (pipeline_check_begin) is waited for as soon as the block tree is made,
 * and the record and the nodes array are freed then (a province's record
 * is a third of the memory until then). */
int pipeline_render_owned(const template *t, xmlDoc *record, xmlNode **nodes, size_t n,
                          const char *record_path, font_set *fonts, int strict,
                          pipeline_check *check, const char *out_path, diag_list *diags);

/* A notice and its attachments as one PDF: each record through its template
 * (an attachment's: the one the notice's k-th <attachment ref> names, else
 * its record's), each attachment from a new page of its own geometry, the
 * pages numbered on from the notice's, the notice's 版记 at the end. */
int pipeline_render_bundle(const pipeline_paths *p, const char *const *paths, size_t n,
                           const char *template_arg, font_set *fonts, int strict,
                           const char *out_path, diag_list *diags);

#endif
