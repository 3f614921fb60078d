#define _GNU_SOURCE
#include "pipeline.h"

#include <dirent.h>
#include <malloc.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "blocks.h"
#include "layout.h"
#include "layout_dump.h"
#include "load.h"
#include "pdf.h"
#include "util.h"

static char *templates_dir(const pipeline_paths *p)
{
    return p->templates ? xstrdup(p->templates) : xasprintf("%s/templates", p->data_dir);
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
static int reading(const pipeline_paths *p, const char *path, const char *what, diag_list *diags)
{
    if (p->inputs)
        input_list_add(p->inputs, path, what);
    if (p->output && out_guard(p->output, path, what, "choose another output file (-o)", diags) != 0)
        return EXIT_BAD_INPUT;
    if (p->layout_dump && out_guard(p->layout_dump, path, what, "choose another --layout-dump file",
                                    diags) != 0)
        return EXIT_BAD_INPUT;
    return EXIT_DONE;
}

static char *schema_path(const pipeline_paths *p, xmlDoc *record)
{
    return xasprintf("%s/schemas/%s.rng", p->data_dir, root_name(record));
}

int pipeline_read_record(const pipeline_paths *p, const char *path, xmlDoc **out,
                         diag_list *diags)
{
    *out = NULL;
    if (reading(p, path, "the record", diags) != EXIT_DONE)
        return EXIT_BAD_INPUT;
    *out = load_xml_encoded(path, p->encoding, LOAD_RECORD, diags);
    if (!*out)
        return EXIT_BAD_INPUT;
    if (!xmlDocGetRootElement(*out)) {
        diag_add(diags, DIAG_ERROR, path, 0, "the record has no root element");
        return EXIT_BAD_INPUT;
    }
    char *schema = schema_path(p, *out);
    int rc = access(schema, F_OK) == 0 ? reading(p, schema, "the record's schema", diags) : EXIT_DONE;
    free(schema);
    return rc;
}

int pipeline_validate_record(const pipeline_paths *p, const char *path, xmlDoc *record,
                             diag_list *diags)
{
    char *schema = schema_path(p, record);
    int rc = EXIT_DONE;
    if (access(schema, R_OK) == 0 && load_validate(record, path, schema, diags) != 0)
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

void pipeline_check_begin(const pipeline_paths *p, const char *path, xmlDoc *record,
                          pipeline_check *check)
{
    *check = (pipeline_check){.paths = p, .path = path, .record = record};
    check->schema = schema_path(p, record);
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
        check->rc = pipeline_validate_record(p, path, record, &check->found);
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
            pipeline_validate_record(check->paths, check->path, check->record, &check->found);
    check->pending = 0;
    if (check->rc != EXIT_DONE) {
        diag_truncate(diags, n);
        for (size_t i = 0; i < check->found.n; i++)
            diag_add(diags, check->found.items[i].level, check->found.items[i].file,
                     check->found.items[i].line, "%s", check->found.items[i].message);
    }
    diag_free(&check->found);
    free(check->schema);
    check->schema = NULL;
    return check->rc;
}

int pipeline_load_record(const pipeline_paths *p, const char *path, xmlDoc **out,
                         diag_list *diags)
{
    int rc = pipeline_read_record(p, path, out, diags);
    return rc == EXIT_DONE ? pipeline_validate_record(p, path, *out, diags) : rc;
}

size_t pipeline_templates_for(const pipeline_paths *p, const char *root, char ***names,
                              int *has_default)
{
    *has_default = 0;
    char *dir = templates_dir(p);
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
            diag_free(&ignored);
            free(path);
        }
        free(entries[i]);
    }
    free(entries);
    free(dir);
    return found;
}

/* The one template of the folder whose record= is `root`; a file named
 * after the root wins. */
static char *template_for_root(const pipeline_paths *p, const char *root, const char *record_path,
                               diag_list *diags)
{
    char *dir = templates_dir(p);
    char *own = xasprintf("%s/%s.xml", dir, root);
    if (access(own, R_OK) == 0) {
        free(dir);
        return own;
    }
    free(own);
    char **names = NULL;
    int has_default = 0;
    size_t n = pipeline_templates_for(p, root, &names, &has_default);
    char *found = n == 1 || has_default ? xasprintf("%s/%s.xml", dir, names[0]) : NULL;
    if (n == 0)
        diag_add(diags, DIAG_ERROR, record_path, 0, "no template lays out <%s> records (see %s)",
                 root, dir);
    else if (!found)
        diag_add(diags, DIAG_ERROR, record_path, 0,
                 "several templates lay out <%s> records (%s, %s%s); choose one with -t", root,
                 names[0], names[1], n > 2 ? ", ..." : "");
    for (size_t i = 0; i < n; i++)
        free(names[i]);
    free(names);
    free(dir);
    return found;
}

static char *template_path(const pipeline_paths *p, const char *arg, const char *root,
                           const char *record_path, diag_list *diags)
{
    if (!arg)
        return template_for_root(p, root, record_path, diags);
    if (is_path(arg))
        return xstrdup(arg);
    char *path = pipeline_template_file(p, arg);
    if (access(path, R_OK) != 0) {
        diag_add(diags, DIAG_ERROR, NULL, 0, "unknown template \"%s\" (no %s)", arg, path);
        free(path);
        return NULL;
    }
    return path;
}

char *pipeline_template_file(const pipeline_paths *p, const char *name)
{
    char *dir = templates_dir(p);
    char *path = xasprintf("%s/%s.xml", dir, name);
    free(dir);
    return path;
}

/* The templates a template includes, each passed to reading(). */
typedef struct reading_includes {
    const pipeline_paths *p;
    diag_list *diags;
    int rc;
} reading_includes;

static void read_include(const char *path, void *ctx)
{
    reading_includes *r = ctx;
    if (reading(r->p, path, "a template the template includes", r->diags) != EXIT_DONE)
        r->rc = EXIT_BAD_INPUT;
}

/* What a loaded template read besides its own file (read already). */
static int reading_template(const pipeline_paths *p, const template *t, diag_list *diags)
{
    reading_includes r = {p, diags, EXIT_DONE};
    template_included_files(t, read_include, &r);
    char *schema = xasprintf("%s/schemas/template.rng", p->data_dir);
    if (access(schema, F_OK) == 0 && reading(p, schema, "the templates' schema", diags) != EXIT_DONE)
        r.rc = EXIT_BAD_INPUT;
    free(schema);
    return r.rc;
}

int pipeline_open_template(const pipeline_paths *p, const char *path, template **out,
                           diag_list *diags)
{
    int refused = reading(p, path, "the template", diags) != EXIT_DONE;
    *out = refused ? NULL : template_load(path, diags);
    if (!*out)
        return EXIT_BAD_INPUT;
    if (reading_template(p, *out, diags) != EXIT_DONE)
        return EXIT_BAD_INPUT;
    /* an office edits its templates: check them as strictly as records */
    char *schema = xasprintf("%s/schemas/template.rng", p->data_dir);
    int problems = access(schema, R_OK) == 0 ? template_validate(*out, schema, diags) : 0;
    free(schema);
    return problems != 0 ? EXIT_BAD_INPUT : EXIT_DONE;
}

int pipeline_find_template(const pipeline_paths *p, const char *arg, xmlDoc *record,
                           const char *record_path, template **out, diag_list *diags)
{
    const char *root = root_name(record);
    char *path = template_path(p, arg, root, record_path, diags);
    int rc = path ? pipeline_open_template(p, path, out, diags) : EXIT_BAD_INPUT;
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

static char *font_map_path(const pipeline_paths *p)
{
    return p->fonts ? xstrdup(p->fonts) : xasprintf("%s/fonts/fonts.xml", p->data_dir);
}

font_set *pipeline_read_fonts(const pipeline_paths *p, diag_list *diags)
{
    char *path = font_map_path(p);
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
static int reading_font_files(const pipeline_paths *p, const font_set *set, diag_list *diags)
{
    int rc = EXIT_DONE;
    for (size_t r = 0; r < font_set_role_count(set); r++)
        for (size_t j = 0; j < font_set_entry_count(set, r); j++)
            if (reading(p, font_set_entry(set, r, j).path, "the font map's font file", diags) !=
                EXIT_DONE)
                rc = EXIT_BAD_INPUT;
    return rc;
}

int pipeline_load_fonts(const pipeline_paths *p, font_set **out, diag_list *diags)
{
    *out = NULL;
    char *map = font_map_path(p);
    int rc = reading(p, map, "the font map", diags);
    free(map);
    if (rc != EXIT_DONE)
        return rc;
    size_t first = diags->n;
    *out = pipeline_read_fonts(p, diags);
    rc = *out ? reading_font_files(p, *out, diags) : EXIT_DONE;
    if (rc == EXIT_DONE)
        rc = pipeline_fonts_status(*out, p->strict, first, diags);
    if (rc != EXIT_DONE) {
        font_set_free(*out);
        *out = NULL;
    }
    return rc;
}

int pipeline_check_roles(const pipeline_paths *p, const template *t, const font_set *fonts,
                         diag_list *diags)
{
    char *map = font_map_path(p);
    int bad = template_check_roles(t, fonts, map, diags);
    free(map);
    return bad ? EXIT_BAD_INPUT : EXIT_DONE;
}

/* With --strict, the warnings this document gave become its errors. */
static int strict_failure(diag_list *diags, size_t first)
{
    int any = 0;
    for (size_t i = first; i < diags->n; i++)
        if (diags->items[i].level == DIAG_WARNING)
            diags->items[i].level = DIAG_ERROR, any = 1;
    return any;
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
                out_guard(out_path, b->seal, "the record's seal image",
                          "choose another output file", diags) != 0)
                rc = EXIT_BAD_INPUT;
        }
    return rc;
}

/* The tree is freed on the way, before libharu builds the file, and
 * pdf_write frees each laid-out page once it has drawn it. */
int pipeline_lay_out_and_write(document *doc, font_set *fonts, int strict, const char *out_path,
                               const char *layout_dump, publisher *pub, size_t first_diag,
                               diag_list *diags)
{
    int rc = seals_not_output(doc, out_path, diags);
    font_set_forget_usage(fonts);
    layout_result pages = {0};
    if (rc == EXIT_DONE && layout_document(doc, fonts, &pages, diags) != 0)
        rc = EXIT_BAD_INPUT;
    if (rc == EXIT_DONE && layout_dump && layout_dump_file(layout_dump, &pages, diags) != 0)
        rc = EXIT_ENVIRONMENT;
    if (rc == EXIT_DONE && strict && strict_failure(diags, first_diag))
        rc = EXIT_BAD_INPUT;
    document_info info = doc->info;
    doc->info = (document_info){0};
    document_free(doc);
    if (rc == EXIT_DONE && out_path && pdf_write(&pages, fonts, &info, out_path, pub, diags) != 0)
        rc = EXIT_ENVIRONMENT;
    free(info.title), free(info.author), free(info.subject), free(info.keywords), free(info.date);
    layout_result_free(&pages);
    return rc;
}

/* The template's expressions that found nothing and name what the
 * record's schema does not define: warnings (template_warn_typos). */
static void warn_typos(const pipeline_paths *p, const template *t, const char *record_path,
                       diag_list *diags)
{
    char *schema = xasprintf("%s/schemas/%s.rng", p->data_dir, template_record(t));
    if (access(schema, R_OK) == 0)
        template_warn_typos(t, schema, record_path, diags);
    free(schema);
}

/* The template's nodes of the record, laid out and written; with
 * `owned`, the record's check waited for and the record (and the nodes)
 * freed once the block tree is made. */
static int render(const template *t, xmlDoc *record, xmlNode **nodes, size_t n, int owned,
                  pipeline_check *check, const char *record_path, font_set *fonts, int strict,
                  const char *out_path, publisher *pub, diag_list *diags)
{
    size_t first = diags->n;
    document doc;
    int rc = template_apply_nodes(t, record, nodes, n, record_path, &doc, diags);
    int valid = check ? pipeline_check_end(check, first, diags) : EXIT_DONE;
    if (owned) {
        free(nodes);
        xmlFreeDoc(record);
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
        warn_typos(check->paths, t, record_path, diags);
    const char *layout_dump = check ? check->paths->layout_dump : NULL; /* render, check */
    return pipeline_lay_out_and_write(&doc, fonts, strict, out_path, layout_dump, pub, first,
                                      diags);
}

int pipeline_render(const template *t, xmlDoc *record, xmlNode **nodes, size_t n,
                    const char *record_path, font_set *fonts, int strict, const char *out_path,
                    publisher *pub, diag_list *diags)
{
    return render(t, record, nodes, n, 0, NULL, record_path, fonts, strict, out_path, pub, diags);
}

int pipeline_render_owned(const template *t, xmlDoc *record, xmlNode **nodes, size_t n,
                          const char *record_path, font_set *fonts, int strict,
                          pipeline_check *check, const char *out_path, diag_list *diags)
{
    return render(t, record, nodes, n, 1, check, record_path, fonts, strict, out_path, NULL, diags);
}
