/* Unit tests for the pdf stage (gen/pdf.c): a laid-out page made by hand,
 * one run of text in the project's fonts (fonts/fonts.xml), written with
 * pdf_write and read back by other programs: qpdf checks the file's
 * structure, pdftotext (poppler) extracts the text through the ToUnicode
 * map.  A folder that cannot be written gives an error and no file. */
#define _GNU_SOURCE
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "check.h"
#include "font.h"
#include "layout.h"
#include "layout_internal.h" /* laid_page_add_run: a page made by hand */
#include "pdf.h"
#include "run_options.h"
#include "utf8.h"
#include "util.h"

#define TEXT "关于开展认证示范企业推荐工作的通知"

static char folder[] = "/tmp/gen-test-pdf-XXXXXX";

/* The stage's entry, in one place (its options may grow). */
static int write_pdf(layout_result *pages, font_set *fonts, const char *path, diag_list *diags)
{
    document_info info = {.title = "测试", .author = "东海质量认证有限公司"};
    run_options opts = {.output = path}; /* a plain PDF, named before the call returns */
    return pdf_write(pages, fonts, &info, &opts, diags);
}

/* One A4 page with one run of TEXT in 宋体 at 16 pt, its characters
 * marked used as layout marks them; 0, or -1 when the fonts lack one. */
static int one_page(font_set *fonts, layout_result *out)
{
    memset(out, 0, sizeof *out);
    uint32_t *cps = NULL;
    long n = utf8_decode(TEXT, strlen(TEXT), &cps, NULL);
    font_face *face = n > 0 ? font_for_char(fonts, "宋体", cps[0]) : NULL;
    for (long i = 0; face && i < n; i++) {
        if (font_for_char(fonts, "宋体", cps[i]) != face)
            face = NULL;
        else
            font_use(face, cps[i]);
    }
    free(cps);
    if (!face)
        return -1;
    out->width = 595.28, out->height = 841.89;
    out->pages = xcalloc(1, sizeof *out->pages);
    out->npages = out->pages_cap = 1;
    out->pages[0].geometry = (page_geometry){595.28, 841.89, 104.9, 79.4, 439.4, 637.8};
    glyph_run run = {.face = face, .size = 16, .color = 0, .x = 79.4, .y = 700};
    laid_page_add_run(&out->pages[0], &run, TEXT);
    return 0;
}

static char *file_bytes(const char *path, size_t *len)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        return NULL;
    size_t cap = 1 << 16, n = 0, got;
    char *buf = xmalloc(cap);
    while ((got = fread(buf + n, 1, cap - n, f)) > 0)
        if ((n += got) == cap)
            buf = xrealloc(buf, cap *= 2);
    fclose(f);
    *len = n;
    return buf;
}

static int have(const char *tool)
{
    char *cmd = xasprintf("command -v %s >/dev/null 2>&1", tool);
    int rc = system(cmd);
    free(cmd);
    return rc == 0;
}

/* What pdftotext extracts from the file, white space dropped. */
static char *extracted_text(const char *path)
{
    char *cmd = xasprintf("pdftotext -enc UTF-8 '%s' - 2>/dev/null", path);
    FILE *p = popen(cmd, "r");
    free(cmd);
    if (!p)
        return NULL;
    char buf[4096];
    size_t n = fread(buf, 1, sizeof buf - 1, p);
    pclose(p);
    buf[n] = '\0';
    char *out = xmalloc(n + 1), *o = out;
    for (size_t i = 0; i < n; i++)
        if (buf[i] != ' ' && buf[i] != '\n' && buf[i] != '\f')
            *o++ = buf[i];
    *o = '\0';
    return out;
}

static void test_write(font_set *fonts)
{
    char *path = xasprintf("%s/one.pdf", folder);
    layout_result pages;
    diag_list d = {0};
    CHECK(one_page(fonts, &pages) == 0, "宋体 draws the whole text with one face");
    int rc = write_pdf(&pages, fonts, path, &d);
    CHECK(rc == 0 && d.n == 0, "pdf_write: 0, no diagnostic (%d, %zu)", rc, d.n);
    diag_print(&d, stderr);
    CHECK(pages.npages == 1 && pages.pages[0].nruns == 0,
          "the page stays, its runs consumed (the contract of pdf.h)");
    layout_result_free(&pages);

    size_t len = 0;
    char *pdf = file_bytes(path, &len);
    CHECK(pdf && len > 1000, "the file is there (%zu bytes)", len);
    if (pdf) {
        CHECK(len >= 5 && memcmp(pdf, "%PDF-", 5) == 0, "it starts with %%PDF-");
        size_t end = len;
        while (end > 0 && (pdf[end - 1] == '\n' || pdf[end - 1] == '\r'))
            end--;
        CHECK(end >= 5 && memcmp(pdf + end - 5, "%%EOF", 5) == 0, "it ends with %%%%EOF");
        CHECK(memmem(pdf, len, "/FontFile2", 10) != NULL, "the font is embedded");
    }
    free(pdf);
    if (have("qpdf")) {
        char *cmd = xasprintf("qpdf --check '%s' >/dev/null 2>&1", path);
        CHECK(system(cmd) == 0, "qpdf --check passes");
        free(cmd);
    } else {
        fprintf(stderr, "test_pdf: no qpdf, its check skipped\n");
    }
    if (have("pdftotext")) {
        char *text = extracted_text(path);
        CHECK(text && strcmp(text, TEXT) == 0, "pdftotext extracts the run's text: %s",
              text ? text : "(nothing)");
        free(text);
    } else {
        fprintf(stderr, "test_pdf: no pdftotext, the text not extracted\n");
    }
    diag_free(&d);
    unlink(path);
    free(path);
}

/* An output nobody can write: -1, an error naming the path, no file. */
static void expect_refused(font_set *fonts, const char *path, const char *what)
{
    font_set_forget_usage(fonts);
    layout_result pages;
    diag_list d = {0};
    if (one_page(fonts, &pages) != 0)
        return;
    int rc = write_pdf(&pages, fonts, path, &d);
    layout_result_free(&pages);
    int named = 0;
    for (size_t i = 0; i < d.n; i++)
        named |= d.items[i].level == DIAG_ERROR && d.items[i].file &&
                 strstr(d.items[i].file, path) != NULL;
    CHECK(rc == -1 && named, "%s: -1 and an error naming %s (%d, %zu)", what, path, rc, d.n);
    struct stat st;
    CHECK(stat(path, &st) != 0, "%s: no file", what);
    diag_free(&d);
}

static void test_unwritable(font_set *fonts)
{
    char *gone = xasprintf("%s/no-such-folder/out.pdf", folder);
    expect_refused(fonts, gone, "a folder that is not there");
    char *file = xasprintf("%s/a-file", folder);
    FILE *f = fopen(file, "w");
    fclose(f);
    char *under = xasprintf("%s/out.pdf", file);
    expect_refused(fonts, under, "a file taken for a folder");
    char *locked = xasprintf("%s/locked", folder), *in_locked = xasprintf("%s/out.pdf", locked);
    mkdir(locked, 0555);
    if (geteuid() != 0) /* root writes there all the same */
        expect_refused(fonts, in_locked, "a folder without write permission");
    rmdir(locked);
    unlink(file);
    free(gone), free(file), free(under), free(locked), free(in_locked);
}

int main(void)
{
    if (!mkdtemp(folder)) {
        perror("mkdtemp");
        return 1;
    }
    diag_list d = {0};
    font_set *fonts = font_set_load("fonts/fonts.xml", pdf_font_probe, &d);
    CHECK(fonts && font_set_complete(fonts), "fonts/fonts.xml loads, every role drawn");
    if (fonts) {
        test_write(fonts);
        test_unwritable(fonts);
    }
    font_set_free(fonts);
    diag_free(&d);
    rmdir(folder);
    return check_summary();
}
