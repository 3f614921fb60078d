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
    int strict;            /* --strict: a font file the map cannot use is an error */
    const char *output;    /* the PDF to be written: an input that is it is refused */
    input_list *inputs;    /* when set, every file read is added to it (batch) */
    const char *layout_dump; /* --layout-dump FILE: the laid-out pages as text, or NULL */
} pipeline_paths;

/* Read and validate a record (against schemas/ROOT.rng when there is one). */
int pipeline_load_record(const pipeline_paths *p, const char *path, xmlDoc **out,
                         diag_list *diags);

/* The two halves: read (well-formed, in its encoding), and validate. */
int pipeline_read_record(const pipeline_paths *p, const char *path, xmlDoc **out,
                         diag_list *diags);
int pipeline_validate_record(const pipeline_paths *p, const char *path, xmlDoc *record,
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
    const pipeline_paths *paths;
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

/* templates/NAME.xml of the template folder (allocated), and the
 * template at `path` loaded and checked against schemas/template.rng. */
char *pipeline_template_file(const pipeline_paths *p, const char *name);
int pipeline_open_template(const pipeline_paths *p, const char *path, template **out,
                           diag_list *diags);

/* The font map, every file of it checked and tried (pdf_font_probe); a
 * file that cannot be used is a warning, a role without a file an error
 * (font_set_load).  EXIT_ENVIRONMENT when a role has no file, or with
 * p->strict when a file cannot be used. */
int pipeline_load_fonts(const pipeline_paths *p, font_set **out, diag_list *diags);

/* The same in two steps, for `gen fonts`, which lists even a map it
 * refuses: the map read (NULL when it cannot be), and the status of what
 * was read (its warnings since the first-th made errors with `strict`). */
font_set *pipeline_read_fonts(const pipeline_paths *p, diag_list *diags);
int pipeline_fonts_status(const font_set *set, int strict, size_t first, diag_list *diags);

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

/* Lay out a block tree and write it (out_path NULL: lay out only), the
 * tree freed; with --strict the warnings since the first_diag-th are
 * errors.  layout_dump: a file for the laid-out pages as text, or NULL. */
int pipeline_lay_out_and_write(document *doc, font_set *fonts, int strict, const char *out_path,
                               const char *layout_dump, publisher *pub, size_t first_diag,
                               diag_list *diags);

/* A notice and its attachments as one PDF (bundle.c): each attachment
 * matched by its record's root element to the entry of the notice's
 * <attachments> whose template (ref=) lays out such records, laid out by
 * that template in the notice's order, its 附件N label and title those of
 * the entry; from a new page of its own geometry, the pages numbered on
 * from the notice's, the notice's 版记 at the end.  An entry without its
 * record, a record without its entry, or two for one: exit 2. */
int pipeline_render_bundle(const pipeline_paths *p, const char *const *paths, size_t n,
                           const char *template_arg, font_set *fonts, int strict,
                           const char *out_path, diag_list *diags);

#endif
