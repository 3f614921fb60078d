/* Unit tests for the pipeline (gen/pipeline.c): a record through its
 * template into a PDF with the project's own templates, schemas and font
 * map, the run's options (run_options.h) deciding what happens: their
 * defaults, --strict as a check over the laid-out pages, --pdfa, the
 * output refused when it is an input; and who owns the record. */
#define _GNU_SOURCE
#include <dirent.h>
#include <libgen.h>
#include <libxml/parser.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "check.h"
#include "load.h"
#include "pdfa.h"
#include "pipeline.h"
#include "util.h"

static char data_dir[PATH_MAX]; /* the project: templates/, schemas/, fonts/ */
static char tmp[] = "/tmp/gen-test-pipeline-XXXXXX";

/* The project folder above this program (build/tests/, build/asan/tests/). */
static int find_data_dir(void)
{
    ssize_t n = readlink("/proc/self/exe", data_dir, sizeof data_dir - 1);
    if (n <= 0)
        return -1;
    data_dir[n] = '\0';
    for (char *dir = dirname(data_dir); strcmp(dir, "/") != 0; dir = dirname(dir)) {
        char *probe = xasprintf("%s/templates/notice.xml", dir);
        int found = access(probe, R_OK) == 0;
        free(probe);
        if (found) {
            memmove(data_dir, dir, strlen(dir) + 1);
            return 0;
        }
    }
    return -1;
}

static char *slurp(const char *path, size_t *len)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        return NULL;
    fseek(f, 0, SEEK_END);
    long n = ftell(f);
    fseek(f, 0, SEEK_SET);
    char *s = xmalloc((size_t)n + 1);
    *len = fread(s, 1, (size_t)n, f);
    s[*len] = '\0';
    fclose(f);
    return s;
}

static int file_exists(const char *path)
{
    struct stat st;
    return stat(path, &st) == 0;
}

/* examples/notice.xml with `from` replaced by `to`, written as NAME in the
 * temporary folder; the path is allocated. */
static char *notice_variant(const char *name, const char *from, const char *to)
{
    char *src = xasprintf("%s/examples/notice.xml", data_dir);
    size_t len = 0;
    char *text = slurp(src, &len);
    free(src);
    char *at = text ? strstr(text, from) : NULL;
    char *path = xasprintf("%s/%s", tmp, name);
    FILE *f = fopen(path, "wb");
    if (at && f)
        fprintf(f, "%.*s%s%s", (int)(at - text), text, to, at + strlen(from));
    if (f)
        fclose(f);
    free(text);
    return path;
}

/* A record loaded with its template and the fonts, as main.c does it. */
typedef struct loaded {
    xmlDoc *record;
    template *tpl;
    font_set *fonts;
    xmlNode **nodes;
    size_t n;
} loaded;

static int load_all(const run_options *opts, const char *record, loaded *l, diag_list *d)
{
    *l = (loaded){0};
    int rc = pipeline_load_record(opts, record, &l->record, d);
    if (rc == EXIT_DONE)
        rc = pipeline_find_template(opts, NULL, l->record, record, &l->tpl, d);
    if (rc == EXIT_DONE)
        rc = pipeline_load_fonts(opts, &l->fonts, d);
    if (rc == EXIT_DONE)
        l->n = template_select(l->tpl, l->record, NULL, &l->nodes, d);
    return rc;
}

static void loaded_free(loaded *l)
{
    free(l->nodes);
    xmlFreeDoc(l->record);
    template_free(l->tpl);
    font_set_free(l->fonts);
}

/* Render `record` with `opts` into OUT in the temporary folder; returns
 * the status and leaves the messages in d. */
static int render_to(const run_options *given, const char *record, const char *out,
                     diag_list *d)
{
    run_options opts = *given;
    char *path = out ? xasprintf("%s/%s", tmp, out) : NULL;
    opts.output = path;
    loaded l;
    int rc = load_all(&opts, record, &l, d);
    if (rc == EXIT_DONE) {
        pipeline_source src = {l.tpl, l.record, record, l.nodes, l.n};
        rc = pipeline_render(&src, l.fonts, &opts, d);
    }
    loaded_free(&l);
    free(path);
    return rc;
}

static char *tmp_file(const char *name)
{
    return xasprintf("%s/%s", tmp, name);
}

/* The options zeroed but for data_dir are the default run: a plain PDF,
 * made from the project's own templates and font map. */
static void test_defaults(void)
{
    run_options opts = {.data_dir = data_dir};
    CHECK(!opts.strict && !opts.pdfa && !opts.output && !opts.inputs && !opts.publisher &&
              !opts.templates && !opts.fonts && !opts.encoding,
          "a zeroed run_options: nothing chosen");
    char *record = xasprintf("%s/examples/notice.xml", data_dir);
    diag_list d = {0};
    int rc = render_to(&opts, record, "notice.pdf", &d);
    CHECK(rc == EXIT_DONE && d.n == 0, "the notice renders with the defaults (status %d, %zu messages)",
          rc, d.n);
    char *out = tmp_file("notice.pdf");
    size_t len = 0;
    char *pdf = slurp(out, &len);
    CHECK(pdf && len > 1000 && memcmp(pdf, "%PDF-1.", 7) == 0, "a PDF is written");
    CHECK(pdf && memmem(pdf, len, "%%EOF", 5) != NULL, "and it is whole (%%%%EOF)");
    CHECK(pdf && !memmem(pdf, len, "/OutputIntents", 14) && !memmem(pdf, len, "pdfaid", 6),
          "not PDF/A by default");
    free(pdf);
    free(out);
    diag_free(&d);

    /* output NULL: laid out and checked only (gen check) */
    DIR *dir = opendir(tmp);
    size_t before = 0, after = 0;
    for (struct dirent *e; dir && (e = readdir(dir));)
        before++;
    closedir(dir);
    rc = render_to(&opts, record, NULL, &d);
    dir = opendir(tmp);
    for (struct dirent *e; dir && (e = readdir(dir));)
        after++;
    closedir(dir);
    CHECK(rc == EXIT_DONE && before == after, "without an output nothing is written");
    diag_free(&d);
    free(record);
}

/* pipeline_render borrows the record: a batch renders node after node of
 * one record, and the same source gives the same bytes each time. */
static void test_render_borrows(void)
{
    run_options opts = {.data_dir = data_dir};
    char *record = xasprintf("%s/examples/notice.xml", data_dir);
    diag_list d = {0};
    loaded l;
    int rc = load_all(&opts, record, &l, &d);
    CHECK(rc == EXIT_DONE && l.n == 1, "the notice loads, one node");
    char *a = tmp_file("a.pdf"), *b = tmp_file("b.pdf");
    pipeline_source src = {l.tpl, l.record, record, l.nodes, l.n};
    opts.output = a;
    int ra = rc == EXIT_DONE ? pipeline_render(&src, l.fonts, &opts, &d) : rc;
    opts.output = b;
    int rb = rc == EXIT_DONE ? pipeline_render(&src, l.fonts, &opts, &d) : rc;
    CHECK(ra == EXIT_DONE && rb == EXIT_DONE, "rendered twice from one record");
    CHECK(src.record == l.record && src.nodes == l.nodes &&
              strcmp((const char *)xmlDocGetRootElement(l.record)->name, "notice") == 0,
          "the record is still the caller's, and whole");
    size_t na = 0, nb = 0;
    char *pa = slurp(a, &na), *pb = slurp(b, &nb);
    CHECK(pa && pb && na == nb && memcmp(pa, pb, na) == 0, "the same bytes both times");
    free(pa), free(pb), free(a), free(b);
    loaded_free(&l);
    diag_free(&d);
    free(record);
}

/* A record its schema refuses, rendered once as `gen render` does it
 * (pipeline_render_owned, its check beside the template stage): exit 2,
 * the schema's messages, no file, and the record freed. */
static void test_bad_record(void)
{
    char *record = notice_variant("bad.xml", "<issuer>", "<no-such-field/><issuer>");
    char *out = tmp_file("bad.pdf");
    run_options opts = {.data_dir = data_dir, .output = out};
    diag_list d = {0};
    xmlDoc *doc = NULL;
    int rc = pipeline_read_record(&opts, record, &doc, &d);
    CHECK(rc == EXIT_DONE, "the record is well-formed: it reads");
    pipeline_check check;
    pipeline_check_begin(&opts, record, doc, &check);
    template *t = NULL;
    font_set *fonts = NULL;
    xmlNode **nodes = NULL;
    size_t first = d.n;
    if (pipeline_find_template(&opts, NULL, doc, record, &t, &d) == EXIT_DONE &&
        pipeline_load_fonts(&opts, &fonts, &d) == EXIT_DONE) {
        size_t n = template_select(t, doc, NULL, &nodes, &d);
        pipeline_source src = {t, doc, record, nodes, n};
        rc = pipeline_render_owned(&src, &check, fonts, &opts, &d);
        CHECK(src.record == NULL && src.nodes == NULL, "the record and its nodes were taken");
    } else {
        rc = pipeline_check_end(&check, first, &d);
        xmlFreeDoc(doc);
        CHECK(0, "the template and the fonts load");
    }
    CHECK(rc == EXIT_BAD_INPUT, "an invalid record: EXIT_BAD_INPUT (%d)", rc);
    int named = 0;
    for (size_t i = 0; i < d.n; i++)
        named |= d.items[i].level == DIAG_ERROR && d.items[i].file &&
                 strcmp(d.items[i].file, record) == 0 && d.items[i].line > 0;
    CHECK(named, "the schema's errors, at their lines of the record");
    CHECK(!file_exists(out), "and no PDF is left");
    diag_free(&d);
    font_set_free(fonts);
    template_free(t);
    free(out);
    free(record);

    /* not even well-formed */
    record = notice_variant("broken.xml", "</notice>", "");
    opts.output = out = tmp_file("broken.pdf");
    rc = render_to(&opts, record, "broken.pdf", &d);
    CHECK(rc == EXIT_BAD_INPUT && diag_count(&d, DIAG_ERROR) > 0 && !file_exists(out),
          "a record that is not XML: EXIT_BAD_INPUT, an error, no file");
    diag_free(&d);
    free(out);
    free(record);
}

/* The strict check over the laid-out pages: the document's warnings (from
 * first_diag on) become errors, those before it are another's. */
static void test_strict_page_check(void)
{
    layout_result pages = {0};
    run_options opts = {.data_dir = data_dir};
    diag_list d = {0};
    diag_add(&d, DIAG_WARNING, "other.xml", 1, "another document's warning");
    size_t first = d.n;
    diag_add(&d, DIAG_WARNING, "this.xml", 2, "a character no font has");
    diag_add(&d, DIAG_ERROR, "this.xml", 3, "an error stays an error");
    CHECK(pipeline_check_pages(&pages, &opts, first, &d) == EXIT_DONE &&
              d.items[1].level == DIAG_WARNING,
          "without --strict a warning stays a warning");
    opts.strict = 1;
    CHECK(pipeline_check_pages(&pages, &opts, first, &d) == EXIT_BAD_INPUT,
          "with --strict a warning fails the document");
    CHECK(d.items[1].level == DIAG_ERROR, "and is now an error");
    CHECK(d.items[0].level == DIAG_WARNING, "another document's warning is left alone");
    CHECK(d.items[2].level == DIAG_ERROR && d.n == 3, "an error stays one, nothing added");
    diag_free(&d);

    /* the same through a render: a character no font has (U+E000, private
     * use) is a warning, and with --strict an error and no file */
    char *record = notice_variant("pua.xml", "<title>", "<title>\xEE\x80\x80");
    opts.strict = 0;
    int rc = render_to(&opts, record, "pua.pdf", &d);
    char *out = tmp_file("pua.pdf");
    CHECK(rc == EXIT_DONE && diag_count(&d, DIAG_WARNING) > 0 && file_exists(out),
          "a missing character: a warning, and the PDF (status %d)", rc);
    diag_free(&d);
    unlink(out);
    opts.strict = 1;
    rc = render_to(&opts, record, "pua.pdf", &d);
    CHECK(rc == EXIT_BAD_INPUT && diag_count(&d, DIAG_WARNING) == 0 &&
              diag_count(&d, DIAG_ERROR) > 0 && !file_exists(out),
          "with --strict: an error, EXIT_BAD_INPUT, no PDF (status %d)", rc);
    diag_free(&d);
    free(out);
    free(record);
}

/* With a profile in run_options.pdfa the file is PDF/A-1b. */
static void test_pdfa(void)
{
    diag_list d = {0};
    pdfa_profile *profile = pdfa_profile_load(&d);
    if (!profile) {
        printf("skipped: --pdfa (no ICC profile at %s)\n", PDFA_ICC_PROFILE);
        diag_free(&d);
        return;
    }
    run_options opts = {.data_dir = data_dir, .pdfa = profile};
    char *record = xasprintf("%s/examples/notice.xml", data_dir);
    int rc = render_to(&opts, record, "pdfa.pdf", &d);
    char *out = tmp_file("pdfa.pdf");
    size_t len = 0;
    char *pdf = slurp(out, &len);
    CHECK(rc == EXIT_DONE && pdf && memcmp(pdf, "%PDF-1.4", 8) == 0, "PDF/A-1 is PDF 1.4");
    CHECK(pdf && memmem(pdf, len, "/OutputIntents", 14) && memmem(pdf, len, "GTS_PDFA1", 9),
          "with the output intent");
    CHECK(pdf && memmem(pdf, len, "<pdfaid:part>1</pdfaid:part>", 28),
          "and the XMP identification");
    free(pdf);
    free(out);
    free(record);
    pdfa_profile_free(profile);
    diag_free(&d);
}

/* Every file read is noted in opts.inputs, and one that is the output is
 * refused before it is read. */
static void test_inputs_and_output(void)
{
    input_list inputs = {0};
    char *record = xasprintf("%s/examples/notice.xml", data_dir);
    run_options opts = {.data_dir = data_dir, .inputs = &inputs};
    diag_list d = {0};
    loaded l;
    int rc = load_all(&opts, record, &l, &d);
    char *tpl = xasprintf("%s/templates/notice.xml", data_dir);
    char *map = xasprintf("%s/fonts/fonts.xml", data_dir);
    CHECK(rc == EXIT_DONE && input_list_find(&inputs, record) && input_list_find(&inputs, tpl) &&
              input_list_find(&inputs, map),
          "the record, the template and the font map are noted");
    loaded_free(&l);
    input_list_free(&inputs);
    diag_free(&d);

    opts = (run_options){.data_dir = data_dir, .output = tpl};
    rc = load_all(&opts, record, &l, &d);
    CHECK(rc == EXIT_BAD_INPUT && diag_count(&d, DIAG_ERROR) == 1 && l.tpl == NULL,
          "an output that is the template is refused (status %d)", rc);
    loaded_free(&l);
    diag_free(&d);
    free(tpl);
    free(map);
    free(record);
}

static void remove_tmp(void)
{
    DIR *dir = opendir(tmp);
    for (struct dirent *e; dir && (e = readdir(dir));) {
        if (strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0)
            continue;
        char *path = xasprintf("%s/%s", tmp, e->d_name);
        unlink(path);
        free(path);
    }
    if (dir)
        closedir(dir);
    rmdir(tmp);
}

int main(void)
{
    if (find_data_dir() != 0 || !mkdtemp(tmp)) {
        fprintf(stderr, "test_pipeline: no project folder (templates/) above this program\n");
        return 1;
    }
    CHECK(EXIT_DONE == 0 && EXIT_ENVIRONMENT == 1 && EXIT_BAD_INPUT == 2,
          "the exit codes the manual page gives");
    test_defaults();
    test_render_borrows();
    test_bad_record();
    test_strict_page_check();
    test_pdfa();
    test_inputs_and_output();
    remove_tmp();
    load_forget_schemas();
    intern_forget();
    xmlCleanupParser();
    return check_summary();
}
