#define _GNU_SOURCE
#include "pipeline.h"

#include <dirent.h>
#include <malloc.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "blocks.h"
#include "code_lists.h"
#include "i18n.h"
#include "layout.h"
#include "layout_dump.h"
#include "load.h"
#include "pdf.h"
#include "pipeline_kept.h"
#include "proofread.h"
#include "record_check.h"
#include "util.h"

static char *templates_dir(const run_options *opts)
{
    return opts->templates ? xstrdup(opts->templates) : xasprintf("%s/templates", opts->data_dir);
}

static int is_path(const char *s)
{
    size_t n = strlen(s);
    return strchr(s, '/') || (n > 4 && strcmp(s + n - 4, ".xml") == 0);
}

static const char *root_name(xmlDoc *record)
{
    return (const char *)xmlDocGetRootElement(record)->name;
}

/* Every file the run reads passes here before it is read: it is noted
 * when the caller keeps a list (batch checks its file names against
 * them), and refused when it is the output. */
static int reading(const run_options *opts, const char *path, const char *what, diag_list *diags)
{
    if (opts->inputs)
        input_list_add(opts->inputs, path, what);
    if (opts->output && out_guard(opts->output, path, what, N_("choose another output file (-o)"), diags) != 0)
        return EXIT_BAD_INPUT;
    if (opts->layout_dump && out_guard(opts->layout_dump, path, what,
                                       N_("choose another --layout-dump file"), diags) != 0)
        return EXIT_BAD_INPUT;
    return EXIT_DONE;
}

static char *schema_path(const run_options *opts, xmlDoc *record)
{
    return xasprintf("%s/schemas/%s.rng", opts->data_dir, root_name(record));
}

int pipeline_read_record(const run_options *opts, const char *path, xmlDoc **out,
                         diag_list *diags)
{
    *out = NULL;
    if (reading(opts, path, "the record", diags) != EXIT_DONE)
        return EXIT_BAD_INPUT;
    *out = load_xml_encoded(path, opts->encoding, LOAD_RECORD, diags);
    if (!*out)
        return EXIT_BAD_INPUT;
    if (!xmlDocGetRootElement(*out)) {
        diag_add(diags, DIAG_ERROR, path, 0, "the record has no root element");
        return EXIT_BAD_INPUT;
    }
    char *schema = schema_path(opts, *out), *codes = code_lists_file(opts->data_dir);
    int rc = access(schema, F_OK) == 0 ? reading(opts, schema, "the record's schema", diags) : EXIT_DONE;
    if (rc == EXIT_DONE && access(codes, F_OK) == 0) /* the schemas include it */
        rc = reading(opts, codes, "the code lists", diags);
    /* 2009年8月4日 as 2009-08-04 before anything validates or reads it */
    if (rc == EXIT_DONE && access(schema, R_OK) == 0)
        record_normalize_dates_of(*out, schema);
    free(schema), free(codes);
    return rc;
}

int pipeline_validate_record(const run_options *opts, const char *path, xmlDoc *record,
                             diag_list *diags)
{
    char *schema = schema_path(opts, record);
    int rc = EXIT_DONE;
    if (access(schema, R_OK) == 0 && record_validate(record, path, schema, diags) != 0)
        rc = EXIT_BAD_INPUT;
    free(schema);
    return rc;
}

/* The thread: the ordered twin only, which reads the tree and never
 * relinks it as the schema's <interleave>s do (load.h), so the template
 * stage may read the same tree meanwhile. */
static void *check_record_ordered(void *arg)
{
    pipeline_check *c = arg;
    c->ordered_passed = load_passes_ordered(c->record, c->schema);
    return NULL;
}

void pipeline_check_begin(const run_options *opts, const char *path, xmlDoc *record,
                          pipeline_check *check)
{
    *check = (pipeline_check){.opts = opts, .path = path, .record = record};
    check->schema = schema_path(opts, record);
    if (access(check->schema, R_OK) != 0)
        return; /* no schema for this root: nothing to check */
    /* the schema parsed here, before any thread: libxml2 sets up its types
     * the first time, and a broken schema is reported at once */
    int ready = load_schema(check->schema, record, &check->found);
    if (ready < 0)
        check->rc = EXIT_BAD_INPUT;
    else if (ready == 1)
        check->threaded =
            pthread_create(&check->thread, NULL, check_record_ordered, check) == 0;
    /* A small record, or no thread: the whole schema now, before anything
     * else reads the tree. */
    if (ready == 0 || (ready == 1 && !check->threaded))
        check->rc = pipeline_validate_record(opts, path, record, &check->found);
    else
        check->pending = 1;
}

int pipeline_check_end(pipeline_check *check, size_t n, diag_list *diags)
{
    if (check->threaded)
        pthread_join(check->thread, NULL);
    check->threaded = 0;
    /* The twin could not show the record valid: the schema itself, now
     * that nothing else reads the tree, says why (or that it is valid in
     * another order of its children). */
    if (check->pending && !check->ordered_passed)
        check->rc =
            pipeline_validate_record(check->opts, check->path, check->record, &check->found);
    check->pending = 0;
    if (check->rc != EXIT_DONE) {
        diag_truncate(diags, n);
        diag_append(diags, &check->found);
    }
    diag_free(&check->found);
    free(check->schema);
    check->schema = NULL;
    return check->rc;
}

int pipeline_load_record(const run_options *opts, const char *path, xmlDoc **out,
                         diag_list *diags)
{
    int rc = pipeline_read_record(opts, path, out, diags);
    return rc == EXIT_DONE ? pipeline_validate_record(opts, path, *out, diags) : rc;
}

/* A well-formed file whose root is not <template> (a fragment such as
 * gbt9704.xml, which templates include): no broken template. */
static int not_a_template(const char *path)
{
    xmlDoc *doc = xmlReadFile(path, NULL, XML_PARSE_NONET | XML_PARSE_NOERROR | XML_PARSE_NOWARNING);
    xmlNode *root = doc ? xmlDocGetRootElement(doc) : NULL;
    int other = root && !xmlStrEqual(root->name, BAD_CAST "template");
    xmlFreeDoc(doc);
    return other;
}

/* pipeline_templates_for, and the errors of the folder's templates that
 * cannot be read into `broken` (when not NULL). */
static size_t templates_for(const run_options *opts, const char *root, char ***names,
                            int *has_default, diag_list *broken)
{
    *has_default = 0;
    char *dir = templates_dir(opts);
    struct dirent **entries = NULL;
    int n = scandir(dir, &entries, NULL, alphasort);
    size_t found = 0;
    *names = NULL;
    for (int i = 0; i < n; i++) {
        size_t len = strlen(entries[i]->d_name);
        if (len > 4 && strcmp(entries[i]->d_name + len - 4, ".xml") == 0) {
            char *path = xasprintf("%s/%s", dir, entries[i]->d_name);
            diag_list ignored = {0};
            template *t = template_load(path, &ignored);
            if (t && strcmp(template_record(t), root) == 0) {
                *names = xrealloc(*names, (found + 1) * sizeof **names);
                (*names)[found] = xstrndup(entries[i]->d_name, len - 4);
                if (template_is_default(t)) { /* the default comes first */
                    char *d = (*names)[found];
                    memmove(*names + 1, *names, found * sizeof **names);
                    (*names)[0] = d;
                    *has_default = 1;
                }
                found++;
            }
            template_free(t);
            if (!t && broken && ignored.n > 0 && !not_a_template(path))
                diag_append(broken, &ignored);
            diag_free(&ignored);
            free(path);
        }
        free(entries[i]);
    }
    free(entries);
    free(dir);
    return found;
}

size_t pipeline_templates_for(const run_options *opts, const char *root, char ***names,
                              int *has_default)
{
    return templates_for(opts, root, names, has_default, NULL);
}

/* The one template of the folder whose record= is `root`; a file named
 * after the root wins. */
static char *template_for_root(const run_options *opts, const char *root, const char *record_path,
                               diag_list *diags)
{
    char *dir = templates_dir(opts);
    char *own = xasprintf("%s/%s.xml", dir, root);
    if (access(own, R_OK) == 0) {
        free(dir);
        return own;
    }
    free(own);
    char **names = NULL;
    int has_default = 0;
    diag_list broken = {0};
    size_t n = templates_for(opts, root, &names, &has_default, NULL);
    char *found = n == 1 || has_default ? xasprintf("%s/%s.xml", dir, names[0]) : NULL;
    /* a template the user broke is the likeliest reason none is found:
     * the folder read again for what its templates' faults are */
    if (n == 0) {
        char **again = NULL;
        size_t m = templates_for(opts, root, &again, &(int){0}, &broken);
        for (size_t i = 0; i < m; i++) /* none, unless the folder just changed */
            free(again[i]);
        free(again);
        diag_append(diags, &broken);
    }
    if (n == 0 && diag_count(&broken, DIAG_ERROR) > 0)
        diag_add(diags, DIAG_ERROR, record_path, 0,
                 "no template of %s lays out <%s> records; a template there cannot be read "
                 "(above): correct it",
                 dir, root);
    else if (n == 0)
        diag_add(diags, DIAG_ERROR, record_path, 0, "no template lays out <%s> records (see %s)",
                 root, dir);
    else if (!found)
        diag_add(diags, DIAG_ERROR, record_path, 0,
                 "several templates lay out <%s> records (%s, %s%s); choose one with -t", root,
                 names[0], names[1], n > 2 ? ", ..." : "");
    diag_free(&broken);
    for (size_t i = 0; i < n; i++)
        free(names[i]);
    free(names);
    free(dir);
    return found;
}

static char *template_path(const run_options *opts, const char *arg, const char *root,
                           const char *record_path, diag_list *diags)
{
    if (!arg)
        return template_for_root(opts, root, record_path, diags);
    if (is_path(arg))
        return xstrdup(arg);
    char *path = pipeline_template_file(opts, arg);
    if (access(path, R_OK) != 0) {
        diag_add(diags, DIAG_ERROR, NULL, 0, "unknown template \"%s\" (no %s)", arg, path);
        free(path);
        return NULL;
    }
    return path;
}

char *pipeline_template_file(const run_options *opts, const char *name)
{
    char *dir = templates_dir(opts);
    char *path = xasprintf("%s/%s.xml", dir, name);
    free(dir);
    return path;
}

/* The templates a template includes, each passed to reading(). */
typedef struct reading_includes {
    const run_options *opts;
    diag_list *diags;
    int rc;
} reading_includes;

static void read_include(const char *path, void *ctx)
{
    reading_includes *r = ctx;
    if (reading(r->opts, path, "a template the template includes", r->diags) != EXIT_DONE)
        r->rc = EXIT_BAD_INPUT;
}

/* What a loaded template read besides its own file (read already): its
 * includes, and the templates' schema when there is one. */
static int reading_template(const run_options *opts, const template *t, const char *schema,
                            diag_list *diags)
{
    reading_includes r = {opts, diags, EXIT_DONE};
    template_included_files(t, read_include, &r);
    if (access(schema, F_OK) == 0 && reading(opts, schema, "the templates' schema", diags) != EXIT_DONE)
        r.rc = EXIT_BAD_INPUT;
    return r.rc;
}

/* The template at `path` read, checked against the templates' schema
 * and given its code lists. */
static int read_template(const run_options *opts, const char *path, const char *schema,
                         const char *codes, template **out, diag_list *diags)
{
    *out = template_load(path, diags);
    if (!*out)
        return EXIT_BAD_INPUT;
    if (reading_template(opts, *out, schema, diags) != EXIT_DONE)
        return EXIT_BAD_INPUT;
    /* an office edits its templates: check them as strictly as records */
    int problems = access(schema, R_OK) == 0 ? template_validate(*out, schema, diags) : 0;
    /* its <codes list=>: the lists of the data folder's code lists file */
    if (!problems && template_uses_code_lists(*out))
        problems = reading(opts, codes, "the code lists", diags) != EXIT_DONE ||
                   template_read_code_lists(*out, codes, diags) != 0;
    return problems != 0 ? EXIT_BAD_INPUT : EXIT_DONE;
}

/* A kept template (pipeline_keep_loaded) passes the same reading checks
 * as one read now; its warnings come before theirs. */
static int reading_kept_template(const run_options *opts, const template *t,
                                 const char *schema, const char *codes, diag_list *diags)
{
    int rc = reading_template(opts, t, schema, diags);
    if (rc == EXIT_DONE && template_uses_code_lists(t))
        rc = reading(opts, codes, "the code lists", diags);
    return rc;
}

int pipeline_open_template(const run_options *opts, const char *path, template **out,
                           diag_list *diags)
{
    *out = NULL;
    if (reading(opts, path, "the template", diags) != EXIT_DONE)
        return EXIT_BAD_INPUT;
    char *schema = xasprintf("%s/schemas/template.rng", opts->data_dir);
    char *codes = code_lists_file(opts->data_dir);
    size_t first = diags->n;
    int rc;
    *out = kept_template_lend(path, schema, codes, diags);
    if (*out) {
        rc = reading_kept_template(opts, *out, schema, codes, diags);
    } else {
        rc = read_template(opts, path, schema, codes, out, diags);
        if (rc == EXIT_DONE)
            kept_template_keep(*out, path, schema, codes, diags, first);
    }
    free(schema);
    free(codes);
    return rc;
}

int pipeline_find_template(const run_options *opts, const char *arg, xmlDoc *record,
                           const char *record_path, template **out, diag_list *diags)
{
    const char *root = root_name(record);
    char *path = template_path(opts, arg, root, record_path, diags);
    int rc = path ? pipeline_open_template(opts, path, out, diags) : EXIT_BAD_INPUT;
    free(path);
    if (rc != EXIT_DONE)
        return rc;
    if (strcmp(template_record(*out), root) != 0) {
        diag_add(diags, DIAG_ERROR, record_path, 0,
                 "the template %s lays out <%s> records, and this record is a <%s>",
                 template_name(*out), template_record(*out), root);
        return EXIT_BAD_INPUT;
    }
    return EXIT_DONE;
}

static char *font_map_path(const run_options *opts)
{
    return opts->fonts ? xstrdup(opts->fonts) : xasprintf("%s/fonts/fonts.xml", opts->data_dir);
}

font_set *pipeline_read_fonts(const run_options *opts, diag_list *diags)
{
    char *path = font_map_path(opts);
    font_set *set = font_set_load(path, pdf_font_probe, diags);
    free(path);
    return set;
}

int pipeline_fonts_status(const font_set *set, int strict, size_t first, diag_list *diags)
{
    int rc = set && font_set_complete(set) ? EXIT_DONE : EXIT_ENVIRONMENT;
    for (size_t i = first; strict && i < diags->n; i++)
        if (diags->items[i].level == DIAG_WARNING)
            diags->items[i].level = DIAG_ERROR, rc = EXIT_ENVIRONMENT;
    return rc;
}

/* Every file the map names, installed or not, as the set resolved it: a
 * PDF written where a font is expected would break every later run. */
static int reading_font_files(const run_options *opts, const font_set *set, diag_list *diags)
{
    int rc = EXIT_DONE;
    for (size_t r = 0; r < font_set_role_count(set); r++)
        for (size_t j = 0; j < font_set_entry_count(set, r); j++)
            if (font_set_entry(set, r, j).path &&
                reading(opts, font_set_entry(set, r, j).path, "the font map's font file", diags) !=
                    EXIT_DONE)
                rc = EXIT_BAD_INPUT;
    return rc;
}

void pipeline_keep_loaded(int on)
{
    kept_set_on(on);
}

void pipeline_release_fonts(font_set *set)
{
    if (!kept_fonts_is(set))
        font_set_free(set);
}

void pipeline_release_template(template *t)
{
    if (!kept_template_give_back(t))
        template_free(t);
}

int pipeline_load_fonts(const run_options *opts, font_set **out, diag_list *diags)
{
    *out = NULL;
    char *map = font_map_path(opts);
    int rc = reading(opts, map, "the font map", diags);
    if (rc != EXIT_DONE) {
        free(map);
        return rc;
    }
    size_t first = diags->n;
    *out = kept_fonts_for(map, diags);
    if (!*out) {
        *out = pipeline_read_fonts(opts, diags);
        kept_fonts_keep(map, *out, diags, first);
    }
    free(map);
    rc = *out ? reading_font_files(opts, *out, diags) : EXIT_DONE;
    if (rc == EXIT_DONE)
        rc = pipeline_fonts_status(*out, opts->strict, first, diags);
    if (rc != EXIT_DONE) {
        pipeline_release_fonts(*out);
        *out = NULL;
    }
    return rc;
}

int pipeline_check_roles(const run_options *opts, const template *t, const font_set *fonts,
                         diag_list *diags)
{
    char *map = font_map_path(opts);
    int bad = template_check_roles(t, fonts, map, diags);
    free(map);
    return bad ? EXIT_BAD_INPUT : EXIT_DONE;
}

/* The seals the template stage found (a <stack>'s, in the flow or the
 * foot), known only now: none may be the output. */
static int seals_not_output(const document *doc, const char *out_path, diag_list *diags)
{
    const block_list *lists[2] = {&doc->flow, &doc->foot};
    int rc = EXIT_DONE;
    for (int l = 0; l < 2 && out_path; l++)
        for (size_t i = 0; i < lists[l]->n; i++) {
            const block *b = &lists[l]->items[i];
            if (b->kind == BLOCK_STACK && b->seal &&
                out_guard(out_path, b->seal, N_("the record's seal image"),
                          N_("choose another output file"), diags) != 0)
                rc = EXIT_BAD_INPUT;
        }
    return rc;
}

/* --strict: the warnings this document gave (a character no font has, a
 * typo of the template's) become its errors. */
static int check_strict(const layout_result *pages, const run_options *opts, size_t first_diag,
                        diag_list *diags)
{
    (void)pages;
    int any = 0;
    for (size_t i = first_diag; opts->strict && i < diags->n; i++)
        if (diags->items[i].level == DIAG_WARNING)
            diags->items[i].level = DIAG_ERROR, any = 1;
    return any ? EXIT_BAD_INPUT : EXIT_DONE;
}

/* --layout-dump FILE: the pages as text (the golden layout tests of
 * tests/regress/ compare it).  A file that cannot be written: exit 1. */
static int check_dump_layout(const layout_result *pages, const run_options *opts,
                             size_t first_diag, diag_list *diags)
{
    (void)first_diag;
    if (!opts->layout_dump)
        return EXIT_DONE;
    return layout_dump_file(opts->layout_dump, pages, diags) == 0 ? EXIT_DONE : EXIT_ENVIRONMENT;
}

/* The checks over the laid-out pages, in the order they run; each decides
 * from the options whether it has anything to do.  A consumer of the
 * pages (the dump) is one of them: it sees them whole, before pdf_write
 * releases them. */
static const pipeline_page_check page_checks[] = {
    check_strict,
    check_dump_layout,
};

int pipeline_check_pages(const layout_result *pages, const run_options *opts, size_t first_diag,
                         diag_list *diags)
{
    int rc = EXIT_DONE;
    for (size_t i = 0; i < sizeof page_checks / sizeof *page_checks; i++) {
        int status = page_checks[i](pages, opts, first_diag, diags);
        rc = rc == EXIT_DONE ? status : rc;
    }
    return rc;
}

/* The tree is freed once laid out, before libharu builds the file, and
 * pdf_write frees each laid-out page once it has drawn it. */
int pipeline_lay_out_and_write(document *doc, font_set *fonts, const run_options *opts,
                               size_t first_diag, diag_list *diags)
{
    int rc = seals_not_output(doc, opts->output, diags);
    /* The proofreader reads the tree before layout frees its tables' rows:
     * the text as printed, each run with its record line (proofread.c says
     * why there and not over the record); --strict makes its warnings
     * errors with the others. */
    if (rc == EXIT_DONE)
        proofread_document(doc, diags);
    font_set_forget_usage(fonts);
    layout_result pages = {0};
    doc->duplex = opts->duplex;
    if (rc == EXIT_DONE && layout_document(doc, fonts, &pages, diags) != 0)
        rc = EXIT_BAD_INPUT;
    if (rc == EXIT_DONE)
        rc = pipeline_check_pages(&pages, opts, first_diag, diags);
    document_info info = doc->info;
    doc->info = (document_info){0};
    document_free(doc);
    if (rc == EXIT_DONE && opts->output && pdf_write(&pages, fonts, &info, opts, diags) != 0)
        rc = EXIT_ENVIRONMENT;
    free(info.title), free(info.author), free(info.subject), free(info.keywords), free(info.date);
    layout_result_free(&pages);
    return rc;
}

/* The template's expressions that found nothing and name what the
 * record's schema does not define: warnings (template_warn_typos). */
static void warn_typos(const run_options *opts, const template *t, const char *record_path,
                       diag_list *diags)
{
    char *schema = xasprintf("%s/schemas/%s.rng", opts->data_dir, template_record(t));
    if (access(schema, R_OK) == 0)
        template_warn_typos(t, schema, record_path, diags);
    free(schema);
}

/* The source's nodes laid out and written; with `owned`, the record's
 * check waited for and the record (and the nodes) freed once the block
 * tree is made. */
static int render(pipeline_source *src, int owned, pipeline_check *check, font_set *fonts,
                  const run_options *opts, diag_list *diags)
{
    size_t first = diags->n;
    document doc;
    template_run run = {src->record, src->record_path, src->nodes, src->n, NULL};
    int rc = template_apply_run(src->tpl, &run, &doc, diags);
    int valid = check ? pipeline_check_end(check, first, diags) : EXIT_DONE;
    if (owned) {
        free(src->nodes);
        xmlFreeDoc(src->record);
        src->nodes = NULL, src->record = NULL;
        /* The record's nodes were scattered through the heap between the
         * block tree's: hand their pages back now, or the layout's boxes
         * (other sizes) would fit around them only in part and the process
         * would grow by what it freed (a province's record: 180 MB). */
        malloc_trim(0);
    }
    if (valid != EXIT_DONE) {
        document_free(&doc);
        return valid;
    }
    if (rc != 0) {
        document_free(&doc);
        return EXIT_BAD_INPUT;
    }
    if (check) /* one record, one template: what found nothing found nothing anywhere */
        warn_typos(opts, src->tpl, src->record_path, diags);
    return pipeline_lay_out_and_write(&doc, fonts, opts, first, diags);
}

int pipeline_render(const pipeline_source *src, font_set *fonts, const run_options *opts,
                    diag_list *diags)
{
    pipeline_source borrowed = *src;
    return render(&borrowed, 0, NULL, fonts, opts, diags);
}

int pipeline_render_owned(pipeline_source *src, pipeline_check *check, font_set *fonts,
                          const run_options *opts, diag_list *diags)
{
    return render(src, 1, check, fonts, opts, diags);
}
