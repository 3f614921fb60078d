#define _GNU_SOURCE
#include "pdf.h"

#include <errno.h>
#include <fcntl.h>
#include <hpdf.h>
#include <hpdf_doc.h>
#include <stdio.h>
#include <libgen.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "text.h"
#include "to_unicode.h"
#include "util.h"
#include "version.h"

typedef struct pdf_state {
    HPDF_Doc doc;
    HPDF_STATUS error, detail; /* the first libharu error, if any */
    HPDF_Font *fonts;          /* per face of the font set; NULL when unused */
    int *fds;                  /* the subsets' memfds, open until saved */
    size_t nfaces;
} pdf_state;

static void on_hpdf_error(HPDF_STATUS error, HPDF_STATUS detail, void *data)
{
    pdf_state *st = data;
    if (!st->error) {
        st->error = error;
        st->detail = detail;
    }
}

static int write_all(int fd, const HPDF_BYTE *buf, size_t n)
{
    while (n > 0) {
        ssize_t w = write(fd, buf, n);
        if (w < 0 && errno == EINTR)
            continue;
        if (w <= 0)
            return -1;
        buf += w, n -= (size_t)w;
    }
    return 0;
}

/* libharu loads fonts from files only: the subset goes through a memfd,
 * which must stay open until the document is saved (the glyph data is
 * read again then). */
static int load_subset(pdf_state *st, font_face *face, size_t i, diag_list *diags)
{
    const char *data;
    size_t len;
    if (font_subset(face, &data, &len) != 0) {
        diag_add(diags, DIAG_ERROR, font_face_path(face), 0, "HarfBuzz could not subset this font");
        return -1;
    }
    int fd = memfd_create("gen-font-subset", 0);
    if (fd < 0 || write_all(fd, (const HPDF_BYTE *)data, len) != 0) {
        diag_add(diags, DIAG_ERROR, NULL, 0, "cannot hold a font subset in memory: %s",
                 strerror(errno));
        if (fd >= 0)
            close(fd);
        return -1;
    }
    st->fds[i] = fd;
    char path[64];
    snprintf(path, sizeof path, "/proc/self/fd/%d", fd);
    const char *name = HPDF_LoadTTFontFromFile(st->doc, path, HPDF_TRUE);
    st->fonts[i] = name ? HPDF_GetFont(st->doc, name, "UTF-8") : NULL;
    if (st->fonts[i] && to_unicode_attach(st->doc, st->fonts[i], face) != 0)
        st->fonts[i] = NULL;
    if (!st->fonts[i]) {
        diag_add(diags, DIAG_ERROR, font_face_path(face), 0,
                 "libharu could not load the subset of this font (error %04X)",
                 (unsigned)st->error);
        return -1;
    }
    return 0;
}

static int load_fonts(pdf_state *st, font_set *fonts, diag_list *diags)
{
    st->nfaces = font_set_face_count(fonts);
    st->fonts = xcalloc(st->nfaces + 1, sizeof *st->fonts);
    st->fds = xmalloc((st->nfaces + 1) * sizeof *st->fds);
    for (size_t i = 0; i < st->nfaces; i++)
        st->fds[i] = -1;
    for (size_t i = 0; i < st->nfaces; i++)
        if (font_is_used(font_set_face(fonts, i)) &&
            load_subset(st, font_set_face(fonts, i), i, diags) != 0)
            return -1;
    return 0;
}

static HPDF_Font font_of(const pdf_state *st, font_set *fonts, const font_face *face)
{
    for (size_t i = 0; i < st->nfaces; i++)
        if (font_set_face(fonts, i) == face)
            return st->fonts[i];
    return NULL;
}

static HPDF_REAL channel(uint32_t color, int shift)
{
    return (HPDF_REAL)((color >> shift) & 0xff) / 255.0f;
}

static void draw_rules(HPDF_Page page, const laid_page *lp)
{
    for (size_t i = 0; i < lp->nrules; i++) {
        const rule_line *r = &lp->rules[i];
        HPDF_Page_SetRGBStroke(page, channel(r->color, 16), channel(r->color, 8),
                               channel(r->color, 0));
        HPDF_Page_SetLineWidth(page, (HPDF_REAL)r->thickness);
        HPDF_Page_MoveTo(page, (HPDF_REAL)r->x1, (HPDF_REAL)r->y1);
        HPDF_Page_LineTo(page, (HPDF_REAL)r->x2, (HPDF_REAL)r->y2);
        HPDF_Page_Stroke(page);
    }
}

/* The run's text in the codes its font's subset uses: characters beyond
 * U+FFFF become their private-use codes.  NULL when there are none. */
static char *pdf_codes(const glyph_run *r)
{
    const unsigned char *t = (const unsigned char *)r->text;
    int any = 0;
    for (size_t i = 0; t[i]; i++)
        any |= t[i] >= 0xF0;
    if (!any)
        return NULL;
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

/* Seals go over the text, as a stamp does; libharu keeps a PNG's alpha
 * channel as a soft mask. */
static int draw_images(HPDF_Doc doc, HPDF_Page page, const laid_page *lp, diag_list *diags)
{
    for (size_t i = 0; i < lp->nimages; i++) {
        const placed_image *im = &lp->images[i];
        HPDF_Image img = HPDF_LoadPngImageFromFile(doc, im->path);
        if (!img) {
            diag_add(diags, DIAG_ERROR, im->path, 0, "cannot use this seal image (a PNG file)");
            return -1;
        }
        HPDF_Page_DrawImage(page, img, (HPDF_REAL)im->x, (HPDF_REAL)im->y, (HPDF_REAL)im->width,
                            (HPDF_REAL)im->height);
    }
    return 0;
}

static void draw_runs(HPDF_Page page, const laid_page *lp, const pdf_state *st, font_set *fonts)
{
    if (lp->nruns == 0)
        return;
    HPDF_Page_BeginText(page);
    HPDF_Font font = NULL;
    double size = -1, char_space = 0;
    uint32_t color = 0;
    for (size_t i = 0; i < lp->nruns; i++) {
        const glyph_run *r = &lp->runs[i];
        HPDF_Font f = font_of(st, fonts, r->face);
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
        char *codes = pdf_codes(r);
        HPDF_Page_ShowText(page, codes ? codes : r->text);
        free(codes);
    }
    HPDF_Page_EndText(page);
}

/* The outline (bookmarks): each entry under the last one of a higher
 * level; shown when the file opens. */
static void add_outline(HPDF_Doc doc, const layout_result *pages, HPDF_Page *made)
{
    if (pages->noutline == 0)
        return;
    HPDF_Outline parents[8] = {NULL};
    HPDF_Encoder utf8 = HPDF_GetEncoder(doc, "UTF-8");
    for (size_t i = 0; i < pages->noutline; i++) {
        const outline_entry *e = &pages->outline[i];
        int level = e->level < 1 ? 1 : e->level > 7 ? 7 : e->level;
        HPDF_Outline parent = NULL;
        for (int l = level - 1; l >= 1 && !parent; l--)
            parent = parents[l];
        HPDF_Outline o = HPDF_CreateOutline(doc, parent, e->title, utf8);
        if (!o || e->page >= pages->npages)
            continue;
        HPDF_Destination dst = HPDF_Page_CreateDestination(made[e->page]);
        HPDF_Destination_SetFitH(dst, (HPDF_REAL)e->y);
        HPDF_Outline_SetDestination(o, dst);
        HPDF_Outline_SetOpened(o, level == 1);
        parents[level] = o;
        for (int l = level + 1; l < 8; l++)
            parents[l] = NULL;
    }
    HPDF_SetPageMode(doc, HPDF_PAGE_MODE_USE_OUTLINE);
}

/* The same record gives the same bytes: the date is SOURCE_DATE_EPOCH's
 * when set, else the record's own (its 成文日期), never the clock's.
 * Returns 0 when there is none. */
static int creation_date(const document_info *info, HPDF_Date *d)
{
    const char *epoch = getenv("SOURCE_DATE_EPOCH");
    int y, m, day;
    memset(d, 0, sizeof *d);
    if (epoch && *epoch) {
        time_t t = (time_t)strtoll(epoch, NULL, 10);
        struct tm tm;
        gmtime_r(&t, &tm);
        *d = (HPDF_Date){tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday, tm.tm_hour, tm.tm_min,
                         tm.tm_sec, 'Z', 0, 0};
        return 1;
    }
    if (info->date && sscanf(info->date, "%4d-%2d-%2d", &y, &m, &day) == 3) {
        *d = (HPDF_Date){y, m, day, 0, 0, 0, 'Z', 0, 0};
        return 1;
    }
    return 0;
}

static void set_info(HPDF_Doc doc, const document_info *info)
{
    if (info->title)
        HPDF_SetInfoAttr(doc, HPDF_INFO_TITLE, info->title);
    if (info->author)
        HPDF_SetInfoAttr(doc, HPDF_INFO_AUTHOR, info->author);
    if (info->subject)
        HPDF_SetInfoAttr(doc, HPDF_INFO_SUBJECT, info->subject);
    if (info->keywords)
        HPDF_SetInfoAttr(doc, HPDF_INFO_KEYWORDS, info->keywords);
    HPDF_SetInfoAttr(doc, HPDF_INFO_CREATOR, "gen " GEN_VERSION);
    HPDF_Date d;
    if (creation_date(info, &d))
        HPDF_SetInfoDateAttr(doc, HPDF_INFO_CREATION_DATE, d);
    /* the documents are in Chinese: screen readers and search engines ask */
    HPDF_Dict_Add(doc->catalog, "Lang", HPDF_String_New(doc->mmgr, "zh-CN", NULL));
}

/* libharu's finished document into fd; 0, or errno (-1: libharu failed). */
static int copy_document(pdf_state *st, int fd)
{
    if (HPDF_SaveToStream(st->doc) != HPDF_OK)
        return -1;
    HPDF_BYTE buf[65536];
    for (;;) {
        HPDF_UINT32 n = sizeof buf;
        HPDF_STATUS s = HPDF_ReadFromStream(st->doc, buf, &n);
        if (n > 0 && write_all(fd, buf, n) != 0)
            return errno ? errno : EIO;
        if (s == HPDF_STREAM_EOF || n == 0)
            return 0;
        if (s != HPDF_OK)
            return -1;
    }
}

/* The file being written: unnamed (O_TMPFILE) while it is written, so that
 * a kill, even SIGKILL, leaves nothing behind; a named temporary file
 * where the file system has no O_TMPFILE. */
typedef struct out_file {
    int fd;
    char *named; /* the temporary's name, or NULL while unnamed */
} out_file;

static int out_open(const char *path, out_file *f)
{
    char *copy = xstrdup(path);
    f->named = NULL;
    f->fd = open(dirname(copy), O_TMPFILE | O_WRONLY | O_CLOEXEC, 0666);
    free(copy);
    if (f->fd >= 0 || (errno != EOPNOTSUPP && errno != EISDIR && errno != EINVAL))
        return f->fd;
    f->named = xasprintf("%s.tmp-XXXXXX", path);
    f->fd = mkstemp(f->named);
    if (f->fd >= 0) { /* mkstemp makes the file private; a PDF is for others to read */
        mode_t mask = umask(0);
        umask(mask);
        fchmod(f->fd, 0666 & ~mask);
    }
    return f->fd;
}

/* Give the finished file its name: linked in under a temporary name, then
 * renamed over `path` (which replaces an old file in one step). */
static int out_publish(out_file *f, const char *path)
{
    if (!f->named) {
        char proc[64];
        snprintf(proc, sizeof proc, "/proc/self/fd/%d", f->fd);
        for (unsigned k = 0; !f->named; k++) {
            char *name = xasprintf("%s.tmp-%ld-%u", path, (long)getpid(), k);
            if (linkat(AT_FDCWD, proc, AT_FDCWD, name, AT_SYMLINK_FOLLOW) == 0)
                f->named = name;
            else {
                int err = errno;
                free(name);
                if (err != EEXIST)
                    return err;
            }
        }
    }
    return rename(f->named, path) == 0 ? 0 : errno;
}

/* Write the whole file, then put it in place, so that a failure leaves the
 * old file or nothing. */
static int save_atomically(pdf_state *st, const char *path, diag_list *diags)
{
    out_file f;
    if (out_open(path, &f) < 0) {
        diag_add(diags, DIAG_ERROR, path, 0, "cannot write here: %s", strerror(errno));
        free(f.named);
        return -1;
    }
    int err = copy_document(st, f.fd);
    if (err == 0 && fsync(f.fd) != 0)
        err = errno;
    if (err == 0)
        err = out_publish(&f, path);
    if (close(f.fd) != 0 && err == 0)
        err = errno;
    if (err != 0) {
        if (err < 0)
            diag_add(diags, DIAG_ERROR, path, 0, "could not write the PDF: libharu error %04X, %u",
                     (unsigned)st->error, (unsigned)st->detail);
        else
            diag_add(diags, DIAG_ERROR, path, 0, "could not write the PDF: %s", strerror(err));
        if (f.named)
            unlink(f.named);
    }
    free(f.named);
    return err == 0 ? 0 : -1;
}

int pdf_write(const layout_result *pages, font_set *fonts, const document_info *info,
              const char *path, diag_list *diags)
{
    pdf_state st = {0};
    st.doc = HPDF_New(on_hpdf_error, &st);
    if (!st.doc) {
        diag_add(diags, DIAG_ERROR, NULL, 0, "libharu could not start a document");
        return -1;
    }
    HPDF_UseUTFEncodings(st.doc);
    HPDF_SetCurrentEncoder(st.doc, "UTF-8");
    HPDF_SetCompressionMode(st.doc, HPDF_COMP_ALL);
    int rc = load_fonts(&st, fonts, diags);
    HPDF_Page *made = xcalloc(pages->npages + 1, sizeof *made);
    for (size_t i = 0; rc == 0 && i < pages->npages; i++) {
        HPDF_Page page = made[i] = HPDF_AddPage(st.doc);
        HPDF_Page_SetWidth(page, (HPDF_REAL)pages->pages[i].geometry.width);
        HPDF_Page_SetHeight(page, (HPDF_REAL)pages->pages[i].geometry.height);
        draw_rules(page, &pages->pages[i]);
        draw_runs(page, &pages->pages[i], &st, fonts);
        if (draw_images(st.doc, page, &pages->pages[i], diags) != 0)
            rc = -1;
    }
    if (rc == 0 && st.error) {
        diag_add(diags, DIAG_ERROR, path, 0, "libharu failed while drawing (error %04X, %u)",
                 (unsigned)st.error, (unsigned)st.detail);
        rc = -1;
    }
    if (rc == 0)
        add_outline(st.doc, pages, made);
    free(made);
    if (rc == 0) {
        set_info(st.doc, info);
        rc = save_atomically(&st, path, diags);
    }
    HPDF_Free(st.doc);
    for (size_t i = 0; i < st.nfaces; i++)
        if (st.fds[i] >= 0)
            close(st.fds[i]);
    free(st.fds);
    free(st.fonts);
    return rc;
}
