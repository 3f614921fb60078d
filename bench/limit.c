/* The limit: the same pages written straight through libharu, with no
 * record, template or layout in the timed part.
 *
 *   limit [--data DIR] [-t TEMPLATE] [--each XPATH] [-j N] [--runs R] -o OUT RECORD.xml
 *
 * Untimed, once: the project's own pipeline (load, template, layout, the
 * HarfBuzz subsets) gives every document's laid-out pages (glyph runs and
 * rules per page, the text already broken into its lines and converted to
 * the codes the subset's cmap maps) and each used face's subset bytes.
 * Timed, R times: for every document, a libharu document is started, the
 * subsets are loaded (from memory, as pdf.c loads them: gen/pdf_ttf.h),
 * every page is drawn (rules, then runs: font and size, colour,
 * character spacing, text matrix, ShowText) and the file is saved.  Without
 * --each the record's nodes are one document (as `gen render`); with it,
 * one document per node (as `gen batch`), spread over N forked workers.
 *
 * It is its own loop over the runs rather than gen/pdf.c's pdf_write, so
 * that the limit is what libharu itself costs: pdf_write also makes the
 * subsets (HarfBuzz work that the brief puts in the untimed part), builds
 * the ToUnicode maps and the outline, copies the file out of a memory
 * stream and fsyncs it.  Those are part of our time, not of the limit.
 *
 * Prints one line of key=value pairs: docs pages bytes wall (median of the
 * runs, s) cpu (median, s, workers included) prep (untimed pipeline, s),
 * rss_pages (bytes resident once the record, the template and the fonts
 * are freed: the laid-out pages and the subsets) and rss_peak (the peak
 * while writing, this process: that plus what libharu holds).
 *
 *   limit --measure COMMAND ARGS...
 *
 * runs the command once and prints wall=, cpu= (user + system, the
 * children it waited for included) and maxrss= (bytes, of its largest
 * process), for bench/run: a child forked straight from Python would carry
 * the interpreter's resident memory as its own peak. */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <hpdf.h>
#include <hpdf_pages.h>
#include <malloc.h>
#include <libxml/parser.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "font.h"
#include "font_pdf.h"
#include "heap.h"
#include "layout.h"
#include "pdf_ttf.h"
#include "to_unicode.h"
#include "pdf_cff.h"
#include "pipeline.h"
#include "template.h"
#include "utf8.h"
#include "util.h"

/* One face's subset, as the PDF embeds it. */
typedef struct subset {
    size_t face; /* index in the font set */
    char *data;
    size_t len;
    font_face *cff; /* a CFF face, embedded through pdf_cff.c as gen does
                       (libharu reads TrueType only); NULL for TrueType */
} subset;

/* One document, ready to be written. */
typedef struct doc {
    layout_result pages;
    subset *subsets;
    size_t nsubsets;
    size_t *slot;  /* per glyph run of every page, in order: index into subsets */
    char **codes;  /* and its text in the subset's codes, as ShowText takes it */
    size_t nruns;
} doc;

static double now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static double cpu_seconds(void)
{
    struct rusage self, kids;
    getrusage(RUSAGE_SELF, &self);
    getrusage(RUSAGE_CHILDREN, &kids);
    return (double)(self.ru_utime.tv_sec + self.ru_stime.tv_sec + kids.ru_utime.tv_sec +
                    kids.ru_stime.tv_sec) +
           (double)(self.ru_utime.tv_usec + self.ru_stime.tv_usec + kids.ru_utime.tv_usec +
                    kids.ru_stime.tv_usec) / 1e6;
}

/* A line of /proc/self/status ("VmRSS", "VmHWM"), in bytes; 0 if absent. */
static long status_bytes(const char *key)
{
    FILE *f = fopen("/proc/self/status", "r");
    char line[256];
    long kb = 0;
    size_t n = strlen(key);
    while (f && fgets(line, sizeof line, f))
        if (strncmp(line, key, n) == 0 && line[n] == ':')
            kb = strtol(line + n + 1, NULL, 10);
    if (f)
        fclose(f);
    return kb * 1024;
}

/* Start the peak (VmHWM) again from the current resident size. */
static void reset_peak(void)
{
    int fd = open("/proc/self/clear_refs", O_WRONLY);
    if (fd >= 0) {
        if (write(fd, "5", 1) != 1)
            fprintf(stderr, "limit: cannot reset the peak resident size\n");
        close(fd);
    }
}

static int cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return x < y ? -1 : x > y;
}

static double median(double *v, size_t n)
{
    qsort(v, n, sizeof *v, cmp_double);
    return n % 2 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
}

static size_t face_index(font_set *fonts, const font_face *face)
{
    for (size_t i = 0; i < font_set_face_count(fonts); i++)
        if (font_set_face(fonts, i) == face)
            return i;
    return (size_t)-1;
}

/* The run's text in the codes of its face's subset (font_pdf_code). */
static char *recode(const glyph_run *r)
{
    uint32_t *cps = NULL;
    size_t bad;
    long n = utf8_decode(r->text, strlen(r->text), &cps, &bad);
    char *out = xmalloc((size_t)(n > 0 ? n : 0) * 4 + 1), *o = out;
    for (long i = 0; i < n; i++)
        o += utf8_encode(font_pdf_code(r->face, cps[i]), o);
    *o = '\0';
    free(cps);
    return out;
}

/* Lay out nodes as one document and keep what writing it needs. */
static int prepare_doc(const template *t, const template_run *run, font_set *fonts, doc *d)
{
    diag_list diags = {0};
    document blocks;
    memset(d, 0, sizeof *d);
    font_set_forget_usage(fonts);
    if (template_apply_run(t, run, &blocks, &diags) != 0 ||
        layout_document(&blocks, fonts, &d->pages, &diags) != 0) {
        diag_print(&diags, stderr);
        diag_free(&diags);
        return -1;
    }
    document_free(&blocks);
    diag_free(&diags);
    size_t nfaces = font_set_face_count(fonts);
    d->subsets = xcalloc(nfaces + 1, sizeof *d->subsets);
    size_t *slot_of_face = xcalloc(nfaces + 1, sizeof *slot_of_face);
    for (size_t i = 0; i < nfaces; i++) {
        font_face *f = font_set_face(fonts, i);
        if (!font_is_used(f))
            continue;
        const char *data;
        size_t len;
        if (font_subset(f, &data, &len) != 0) {
            fprintf(stderr, "limit: HarfBuzz could not subset %s\n", font_face_path(f));
            free(slot_of_face);
            return -1;
        }
        subset *s = &d->subsets[d->nsubsets];
        s->face = i;
        s->data = xmalloc(len + 1);
        memcpy(s->data, data, len);
        s->len = len;
        s->cff = font_is_cff(f) ? f : NULL;
        slot_of_face[i] = d->nsubsets++;
    }
    size_t nruns = 0;
    for (size_t p = 0; p < d->pages.npages; p++)
        nruns += d->pages.pages[p].nruns;
    d->slot = xcalloc(nruns + 1, sizeof *d->slot);
    d->codes = xcalloc(nruns + 1, sizeof *d->codes);
    d->nruns = nruns;
    size_t k = 0;
    for (size_t p = 0; p < d->pages.npages; p++)
        for (size_t r = 0; r < d->pages.pages[p].nruns; r++) {
            glyph_run *run = &d->pages.pages[p].runs[r];
            d->slot[k] = slot_of_face[face_index(fonts, run->face)];
            d->codes[k++] = recode(run);
        }
    free(slot_of_face);
    return 0;
}

static void free_doc(doc *d)
{
    layout_result_free(&d->pages);
    for (size_t i = 0; i < d->nsubsets; i++)
        free(d->subsets[i].data);
    free(d->subsets);
    free(d->slot);
    for (size_t i = 0; i < d->nruns; i++)
        free(d->codes[i]);
    free(d->codes);
}

/* ---- the timed part: libharu only ---- */

static void on_error(HPDF_STATUS error, HPDF_STATUS detail, void *data)
{
    int *failed = data;
    if (!*failed)
        fprintf(stderr, "limit: libharu error %04X, %u\n", (unsigned)error, (unsigned)detail);
    *failed = 1;
}

static HPDF_REAL channel(uint32_t color, int shift)
{
    return (HPDF_REAL)((color >> shift) & 0xff) / 255.0f;
}

/* A CFF font of pdf_cff.c has no encoder of libharu's: its codes (the
 * UTF-8 text's code points) go into the content stream as 2-byte hex, as
 * gen's pdf.c writes them. */
static void show_hex(HPDF_Page page, const char *utf8)
{
    size_t len = strlen(utf8);
    char *o = xmalloc(4 * len + 8), *p = o;
    *p++ = '<';
    for (size_t i = 0; i < len;) {
        uint32_t cp;
        int k = utf8_next(utf8 + i, len - i, &cp);
        if (k == 0)
            break;
        i += (size_t)k;
        p += sprintf(p, "%04X", (unsigned)cp & 0xFFFF);
    }
    memcpy(p, "> Tj\012", 5);
    HPDF_Stream_Write(page->attr ? ((HPDF_PageAttr)page->attr)->stream : NULL, (HPDF_BYTE *)o,
                      (HPDF_UINT)(p + 5 - o));
    free(o);
}

static int write_doc(const doc *d, const char *path)
{
    int failed = 0;
    HPDF_Doc pdf = HPDF_New(on_error, &failed);
    if (!pdf)
        return -1;
    HPDF_UseUTFEncodings(pdf);
    HPDF_SetCurrentEncoder(pdf, "UTF-8");
    HPDF_SetCompressionMode(pdf, HPDF_COMP_ALL);
    HPDF_Font *fonts = xcalloc(d->nsubsets + 1, sizeof *fonts);
    int **cff_widths = xcalloc(d->nsubsets + 1, sizeof *cff_widths);
    for (size_t i = 0; i < d->nsubsets; i++) {
        if (d->subsets[i].cff) {
            uint16_t *glyphs;
            int *widths;
            size_t n = font_code_glyphs(d->subsets[i].cff, &glyphs, &widths);
            fonts[i] = pdf_load_cff(pdf, d->subsets[i].cff, glyphs, widths, n);
            if (fonts[i]) /* its text readable, as libharu makes the TrueType ones' */
                to_unicode_attach(pdf, fonts[i], d->subsets[i].cff);
            free(glyphs);
            cff_widths[i] = widths; /* pdf_load_cff's /W is written at the save */
            continue;
        }
        const char *font = pdf_load_ttf(pdf, d->subsets[i].data, d->subsets[i].len);
        fonts[i] = font ? HPDF_GetFont(pdf, font, "UTF-8") : NULL;
    }
    size_t k = 0;
    for (size_t p = 0; !failed && p < d->pages.npages; p++) {
        const laid_page *lp = &d->pages.pages[p];
        HPDF_Page page = HPDF_AddPage(pdf);
        HPDF_Page_SetWidth(page, (HPDF_REAL)lp->geometry.width);
        HPDF_Page_SetHeight(page, (HPDF_REAL)lp->geometry.height);
        for (size_t i = 0; i < lp->nrules; i++) {
            const rule_line *r = &lp->rules[i];
            HPDF_Page_SetRGBStroke(page, channel(r->color, 16), channel(r->color, 8),
                                   channel(r->color, 0));
            HPDF_Page_SetLineWidth(page, (HPDF_REAL)r->thickness);
            HPDF_Page_MoveTo(page, (HPDF_REAL)r->x1, (HPDF_REAL)r->y1);
            HPDF_Page_LineTo(page, (HPDF_REAL)r->x2, (HPDF_REAL)r->y2);
            HPDF_Page_Stroke(page);
        }
        if (lp->nruns) {
            HPDF_Page_BeginText(page);
            HPDF_Font font = NULL;
            double size = -1, char_space = 0;
            uint32_t color = 0;
            for (size_t i = 0; i < lp->nruns; i++, k++) {
                const glyph_run *r = &lp->runs[i];
                HPDF_Font f = fonts[d->slot[k]];
                if (f != font || r->size != size) {
                    HPDF_Page_SetFontAndSize(page, f, (HPDF_REAL)r->size);
                    font = f, size = r->size;
                }
                if (r->color != color) {
                    HPDF_Page_SetRGBFill(page, channel(r->color, 16), channel(r->color, 8),
                                         channel(r->color, 0));
                    color = r->color;
                }
                if (r->char_space != char_space) {
                    HPDF_Page_SetCharSpace(page, (HPDF_REAL)r->char_space);
                    char_space = r->char_space;
                }
                HPDF_Page_SetTextMatrix(page, 1, 0, 0, 1, (HPDF_REAL)r->x, (HPDF_REAL)r->y);
                if (d->subsets[d->slot[k]].cff)
                    show_hex(page, d->codes[k]);
                else
                    HPDF_Page_ShowText(page, d->codes[k]);
            }
            HPDF_Page_EndText(page);
        }
        for (size_t i = 0; i < lp->nimages; i++) {
            const placed_image *im = &lp->images[i];
            HPDF_Image img = HPDF_LoadPngImageFromFile(pdf, im->path);
            if (img)
                HPDF_Page_DrawImage(page, img, (HPDF_REAL)im->x, (HPDF_REAL)im->y,
                                    (HPDF_REAL)im->width, (HPDF_REAL)im->height);
        }
    }
    if (!failed)
        HPDF_SaveToFile(pdf, path);
    HPDF_Free(pdf);
    free(fonts);
    for (size_t i = 0; i < d->nsubsets; i++)
        free(cff_widths[i]);
    free(cff_widths);
    return failed ? -1 : 0;
}

static char *doc_path(const char *out, size_t i, int batch)
{
    return batch ? xasprintf("%s/doc-%zu.pdf", out, i + 1) : xstrdup(out);
}

/* Documents w, w + step, ...; 0 or -1. */
static int write_share(const doc *docs, size_t n, size_t w, size_t step, const char *out,
                       int batch)
{
    int rc = 0;
    for (size_t i = w; i < n; i += step) {
        char *path = doc_path(out, i, batch);
        if (write_doc(&docs[i], path) != 0)
            rc = -1;
        free(path);
    }
    return rc;
}

static int write_all_docs(const doc *docs, size_t n, size_t jobs, const char *out, int batch)
{
    if (jobs <= 1)
        return write_share(docs, n, 0, 1, out, batch);
    fflush(NULL);
    pid_t *pids = xcalloc(jobs, sizeof *pids);
    int rc = 0;
    for (size_t w = 0; w < jobs; w++) {
        pids[w] = fork();
        if (pids[w] == 0)
            _exit(write_share(docs, n, w, jobs, out, batch) == 0 ? 0 : 1);
        if (pids[w] < 0)
            rc = -1;
    }
    for (size_t w = 0; w < jobs; w++) {
        int st = 0;
        if (pids[w] > 0 && (waitpid(pids[w], &st, 0) < 0 || !WIFEXITED(st) || WEXITSTATUS(st)))
            rc = -1;
    }
    free(pids);
    return rc;
}

static long file_size(const char *path)
{
    struct stat st;
    return stat(path, &st) == 0 ? (long)st.st_size : -1;
}

static void usage(void)
{
    fputs("usage: limit [--data DIR] [-t TEMPLATE] [--each XPATH] [-j N] [--runs R] -o OUT "
          "RECORD.xml\n",
          stderr);
    exit(2);
}

static int measure(char **argv)
{
    double t0 = now();
    pid_t pid = fork();
    if (pid == 0) {
        execvp(argv[0], argv);
        fprintf(stderr, "limit --measure: cannot run %s: %s\n", argv[0], strerror(errno));
        _exit(127);
    }
    int st = 0;
    struct rusage ru;
    if (pid < 0 || wait4(pid, &st, 0, &ru) < 0)
        return 1;
    double wall = now() - t0;
    printf("wall=%.6f cpu=%.6f maxrss=%ld status=%d\n", wall,
           (double)(ru.ru_utime.tv_sec + ru.ru_stime.tv_sec) +
               (double)(ru.ru_utime.tv_usec + ru.ru_stime.tv_usec) / 1e6,
           ru.ru_maxrss * 1024L, WIFEXITED(st) ? WEXITSTATUS(st) : 128 + WTERMSIG(st));
    return 0;
}

int main(int argc, char **argv)
{
    if (argc > 2 && strcmp(argv[1], "--measure") == 0)
        return measure(argv + 2);
    const char *data_dir = ".", *tpl_arg = NULL, *each = NULL, *out = NULL, *record_path = NULL;
    size_t jobs = 1, runs = 5;
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
        const char *v = i + 1 < argc ? argv[i + 1] : NULL;
        if (strcmp(a, "--data") == 0 && v)
            data_dir = v, i++;
        else if (strcmp(a, "-t") == 0 && v)
            tpl_arg = v, i++;
        else if (strcmp(a, "--each") == 0 && v)
            each = v, i++;
        else if (strcmp(a, "-j") == 0 && v)
            jobs = strtoul(v, NULL, 10), i++;
        else if (strcmp(a, "--runs") == 0 && v)
            runs = strtoul(v, NULL, 10), i++;
        else if (strcmp(a, "-o") == 0 && v)
            out = v, i++;
        else if (a[0] != '-' && !record_path)
            record_path = a;
        else
            usage();
    }
    if (!record_path || !out || runs < 1 || jobs < 1)
        usage();
    if (jobs == 1 && !each) /* the heap gen render has for this record */
        heap_prefer_huge_pages_for(record_path);

    /* untimed: the whole pipeline up to the laid-out pages and subsets */
    double prep_start = now();
    run_options paths = {.data_dir = data_dir};
    diag_list diags = {0};
    xmlDoc *record = NULL;
    template *t = NULL;
    font_set *fonts = NULL;
    int rc = pipeline_load_record(&paths, record_path, &record, &diags);
    if (rc == EXIT_DONE)
        rc = pipeline_find_template(&paths, tpl_arg, record, record_path, &t, &diags);
    if (rc == EXIT_DONE)
        rc = pipeline_load_fonts(&paths, &fonts, &diags);
    xmlNode **nodes = NULL;
    size_t nnodes = rc == EXIT_DONE ? template_select(t, record, each, &nodes, &diags) : 0;
    if (rc != EXIT_DONE || nnodes == 0) {
        diag_print(&diags, stderr);
        fprintf(stderr, "limit: cannot lay out %s\n", record_path);
        return 1;
    }
    diag_free(&diags);
    int batch = each != NULL;
    size_t ndocs = batch ? nnodes : 1;
    doc *docs = xcalloc(ndocs, sizeof *docs);
    for (size_t i = 0; i < ndocs; i++) {
        template_run run = {record, record_path, batch ? &nodes[i] : nodes, batch ? 1 : nnodes,
                            NULL};
        if (prepare_doc(t, &run, fonts, &docs[i]) != 0)
            return 1;
    }
    free(nodes);
    double prep = now() - prep_start;
    /* what writing needs is the pages and the subsets: the rest goes (but
     * the font set, whose CFF faces pdf_load_cff reads while writing) */
    template_free(t);
    xmlFreeDoc(record);
    xmlCleanupParser();
    malloc_trim(0);
    long rss_pages = status_bytes("VmRSS");
    reset_peak();
    if (batch && mkdir(out, 0777) != 0 && errno != EEXIST) {
        fprintf(stderr, "limit: cannot make %s: %s\n", out, strerror(errno));
        return 1;
    }

    /* timed: writing only */
    double *walls = xcalloc(runs, sizeof *walls), *cpus = xcalloc(runs, sizeof *cpus);
    for (size_t r = 0; r < runs; r++) {
        double c0 = cpu_seconds(), t0 = now();
        if (write_all_docs(docs, ndocs, jobs, out, batch) != 0) {
            fprintf(stderr, "limit: writing failed\n");
            return 1;
        }
        walls[r] = now() - t0;
        cpus[r] = cpu_seconds() - c0;
    }

    size_t pages = 0;
    long bytes = 0;
    for (size_t i = 0; i < ndocs; i++) {
        pages += docs[i].pages.npages;
        char *path = doc_path(out, i, batch);
        bytes += file_size(path);
        free(path);
    }
    printf("docs=%zu pages=%zu bytes=%ld wall=%.6f cpu=%.6f prep=%.3f runs=%zu jobs=%zu "
           "rss_pages=%ld rss_peak=%ld\n",
           ndocs, pages, bytes, median(walls, runs), median(cpus, runs), prep, runs, jobs,
           rss_pages, status_bytes("VmHWM"));
    for (size_t i = 0; i < ndocs; i++)
        free_doc(&docs[i]);
    free(docs);
    font_set_free(fonts);
    free(walls);
    free(cpus);
    return 0;
}
