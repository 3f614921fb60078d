#define _GNU_SOURCE
#include "pdf.h"

#include <errno.h>
#include <hpdf.h>
#include <hpdf_doc.h>
#include <hpdf_encrypt.h>
#include <hpdf_font.h>
#include <hpdf_fontdef.h>
#include <hpdf_objects.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "font_pdf.h"
#include "i18n.h"
#include "out_file.h"
#include "pdf_deflate.h"
#include "pdf_cff.h"
#include "pdf_ttf.h"
#include "pdfa.h"
#include "to_unicode.h"
#include "utf8.h"
#include "util.h"
#include "version.h"

typedef struct pdf_state {
    HPDF_Doc doc;
    HPDF_STATUS error, detail; /* the first libharu error, if any */
    HPDF_Font *fonts;          /* per face of the font set; NULL when unused */
    uint16_t ***codes;         /* per face: pages of 256 characters, their codes */
    int **widths;              /* per face: each code's advance (font_code_glyphs) */
    size_t *nwidths;
    size_t nfaces;
    char *text; /* a run's Tj (show_codes), kept from run to run */
    size_t text_cap;
} pdf_state;

/* The PDF codes of a face's characters (font_pdf_code), looked up
 * directly: a table of millions of characters draws a few thousand
 * distinct ones. */
#define CODE_PAGES (0x110000 >> 8)

static uint16_t **code_table(const font_face *face)
{
    uint16_t **pages = xcalloc(CODE_PAGES, sizeof *pages);
    uint32_t *codes, *cps;
    size_t n = font_used_codes(face, &codes, &cps);
    for (size_t k = 0; k < n; k++) {
        if (cps[k] >= 0x110000)
            continue;
        uint16_t **pg = &pages[cps[k] >> 8];
        if (!*pg)
            *pg = xcalloc(256, sizeof **pg);
        (*pg)[cps[k] & 0xFF] = (uint16_t)codes[k];
    }
    free(codes);
    free(cps);
    return pages;
}

static void code_table_free(uint16_t **pages)
{
    if (!pages)
        return;
    for (size_t i = 0; i < CODE_PAGES; i++)
        free(pages[i]);
    free(pages);
}

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

static void put16(unsigned char *p, unsigned v)
{
    p[0] = (unsigned char)(v >> 8);
    p[1] = (unsigned char)v;
}

static int by_value(const void *a, const void *b)
{
    int x = *(const int *)a, y = *(const int *)b;
    return (x > y) - (x < y);
}

/* The most frequent width (the narrower of equals), for /DW. */
static int usual_width(const int *widths, size_t n)
{
    int *w = xmalloc((n + 1) * sizeof *w), best = 1000;
    memcpy(w, widths, n * sizeof *w);
    qsort(w, n, sizeof *w, by_value);
    for (size_t i = 0, best_count = 0; i < n;) {
        size_t j = i;
        while (j < n && w[j] == w[i])
            j++;
        if (j - i > best_count)
            best = w[i], best_count = j - i;
        i = j;
    }
    free(w);
    return best;
}

/* /W: the widths of the codes not as wide as /DW, in runs of codes. */
static HPDF_STATUS add_widths(HPDF_Dict cid, const int *widths, size_t n, int dw)
{
    HPDF_MMgr mmgr = cid->mmgr;
    HPDF_Array w = HPDF_Array_New(mmgr);
    if (!w)
        return HPDF_FAILD_TO_ALLOC_MEM;
    HPDF_STATUS ret = HPDF_Dict_AddNumber(cid, "DW", dw);
    ret += HPDF_Dict_Add(cid, "W", w);
    for (size_t k = 0; k < n && ret == HPDF_OK;) {
        if (widths[k] == dw) {
            k++;
            continue;
        }
        HPDF_Array run = HPDF_Array_New(mmgr);
        ret += HPDF_Array_AddNumber(w, (HPDF_INT32)(FONT_FIRST_CODE + k));
        ret += run ? HPDF_Array_Add(w, run) : HPDF_FAILD_TO_ALLOC_MEM;
        for (; k < n && widths[k] != dw && ret == HPDF_OK; k++)
            ret += HPDF_Array_AddNumber(run, widths[k]);
    }
    return ret;
}

/* A stream with new data, in place of what libharu wrote into it. */
static HPDF_STATUS stream_replace(HPDF_Dict stream, const unsigned char *data, size_t len)
{
    HPDF_MemStream_FreeData(stream->stream);
    return HPDF_Stream_Write(stream->stream, data, (HPDF_UINT)len);
}

/* The CIDFont libharu made, set right for the codes of font_subset.c
 * (CID = code): a CIDToGIDMap of just those codes (libharu's covers every
 * code up to U+FFFF, 128 KB), their widths as the subset has them, every
 * glyph of the subset embedded (they all are used: libharu would embed
 * only those it measured), and the font descriptor made now, with the
 * CIDSet PDF/A-1 asks of a subset (6.3.5) and the CapHeight PDF wants. */
static int fix_cid_font(HPDF_Doc doc, HPDF_Font font, const font_face *face,
                        const uint16_t *glyphs, const int *widths, size_t n)
{
    HPDF_FontAttr attr = font->attr;
    HPDF_FontDef def = attr->fontdef;
    HPDF_TTFontDefAttr tt = def->attr;
    HPDF_Dict cid = attr->descendant_font;
    if (!cid || !attr->map_stream || !font->before_write_fn || def->descriptor)
        return -1;
    size_t ncids = FONT_FIRST_CODE + n; /* CIDs 0 .. last code */
    unsigned char *map = xcalloc(2 * ncids, 1);
    for (size_t k = 0; k < n; k++)
        put16(map + 2 * (FONT_FIRST_CODE + k), glyphs[k]);
    HPDF_STATUS ret = stream_replace(attr->map_stream, map, 2 * ncids);
    free(map);
    ret += add_widths(cid, widths, n, usual_width(widths, n));
    if (ret != HPDF_OK)
        return -1;
    memset(tt->glyph_tbl.flgs, 1, tt->num_glyphs);
    /* libharu makes the descriptor and the FontFile2 as it writes the
     * font; made now, with every glyph flagged, it embeds them all */
    if (font->before_write_fn(font) != HPDF_OK || !def->descriptor)
        return -1;
    HPDF_Dict cidset = HPDF_DictStream_New(doc->mmgr, doc->xref);
    if (!cidset)
        return -1;
    /* every CID of the map names a glyph of the program (0: .notdef) */
    size_t bytes = (ncids + 7) / 8;
    unsigned char *bits = xmalloc(bytes);
    memset(bits, 0xFF, bytes);
    if (ncids % 8)
        bits[bytes - 1] = (unsigned char)(0xFF << (8 - ncids % 8));
    cidset->filter = HPDF_STREAM_FILTER_FLATE_DECODE;
    ret = HPDF_Stream_Write(cidset->stream, bits, (HPDF_UINT)bytes);
    free(bits);
    ret += HPDF_Dict_Add(def->descriptor, "CIDSet", cidset);
    ret += HPDF_Dict_AddNumber(def->descriptor, "CapHeight", font_cap_height(face));
    return ret == HPDF_OK ? 0 : -1;
}

/* The face's subset into the document, as its i-th font: NULL, or why
 * not (allocated). */
static char *load_subset(pdf_state *st, font_face *face, size_t i)
{
    const char *data;
    size_t len;
    if (font_subset(face, &data, &len) != 0)
        return xstrdup(_("HarfBuzz could not subset this font"));
    int cff = font_is_cff(face);
    const char *name = cff ? NULL : pdf_load_ttf(st->doc, data, len);
    st->fonts[i] = name ? HPDF_GetFont(st->doc, name, "UTF-8") : NULL;
    uint16_t *glyphs;
    st->nwidths[i] = font_code_glyphs(face, &glyphs, &st->widths[i]);
    if (cff) /* a CIDFontType0 of our own (pdf_cff.c) */
        st->fonts[i] = pdf_load_cff(st->doc, face, glyphs, st->widths[i], st->nwidths[i]);
    if (st->fonts[i] &&
        (to_unicode_attach(st->doc, st->fonts[i], face) != 0 ||
         (!cff && fix_cid_font(st->doc, st->fonts[i], face, glyphs, st->widths[i],
                               st->nwidths[i]) != 0)))
        st->fonts[i] = NULL;
    free(glyphs);
    /* libharu records some refusals (a duplicate name) without calling
     * the error handler */
    if (!st->fonts[i])
        return xasprintf(_("libharu could not load the subset of this font (error %04X)"),
                         (unsigned)(st->error ? st->error : HPDF_GetError(st->doc)));
    st->codes[i] = code_table(face);
    return NULL;
}

static void fonts_alloc(pdf_state *st, size_t nfaces)
{
    st->nfaces = nfaces;
    st->fonts = xcalloc(nfaces + 1, sizeof *st->fonts);
    st->codes = xcalloc(nfaces + 1, sizeof *st->codes);
    st->widths = xcalloc(nfaces + 1, sizeof *st->widths);
    st->nwidths = xcalloc(nfaces + 1, sizeof *st->nwidths);
}

static void fonts_free(pdf_state *st)
{
    for (size_t i = 0; i < st->nfaces; i++) {
        code_table_free(st->codes[i]);
        free(st->widths[i]);
    }
    free(st->codes);
    free(st->widths);
    free(st->nwidths);
    free(st->fonts);
}

static int load_fonts(pdf_state *st, font_set *fonts, diag_list *diags)
{
    fonts_alloc(st, font_set_face_count(fonts));
    for (size_t i = 0; i < st->nfaces; i++) {
        font_face *face = font_set_face(fonts, i);
        char *why = font_is_used(face) ? load_subset(st, face, i) : NULL;
        if (why) {
            diag_add(diags, DIAG_ERROR, font_face_path(face), 0, "%s", why);
            free(why);
            return -1;
        }
    }
    return 0;
}

/* The face's subset of a few characters, checked as pdf_write would load
 * it (pdf_ttf_check). */
char *pdf_font_probe(font_face *face)
{
    const char *data;
    size_t len;
    font_use_sample(face);
    char *why = font_subset(face, &data, &len) != 0 ? xstrdup(_("HarfBuzz could not subset this font"))
                : font_is_cff(face)                 ? pdf_cff_check(face)
                                                    : pdf_ttf_check(data, len);
    font_face_forget_usage(face);
    return why;
}

/* The index of a face in the set (and of its font in the state). */
static size_t face_index(const pdf_state *st, font_set *fonts, const font_face *face)
{
    for (size_t i = 0; i < st->nfaces; i++)
        if (font_set_face(fonts, i) == face)
            return i;
    return 0; /* not reached: every face drawn with is the set's */
}

static HPDF_REAL channel(uint32_t color, int shift)
{
    return (HPDF_REAL)((color >> shift) & 0xff) / 255.0f;
}

static int same_stroke(const rule_line *a, const rule_line *b)
{
    return a->color == b->color && a->thickness == b->thickness;
}

/* The stroke colour and width are set only when they change, and rules of
 * one style that follow each other are one path, stroked once (a table
 * page is a few dozen rules of one style). */
static void draw_rules(HPDF_Page page, const laid_page *lp)
{
    for (size_t i = 0; i < lp->nrules;) {
        const rule_line *r = &lp->rules[i], *prev = i > 0 ? &lp->rules[i - 1] : NULL;
        if (!prev || r->color != prev->color)
            HPDF_Page_SetRGBStroke(page, channel(r->color, 16), channel(r->color, 8),
                                   channel(r->color, 0));
        if (!prev || r->thickness != prev->thickness)
            HPDF_Page_SetLineWidth(page, (HPDF_REAL)r->thickness);
        size_t end = i;
        for (; end < lp->nrules && same_stroke(&lp->rules[end], r); end++) {
            const rule_line *s = &lp->rules[end];
            HPDF_Page_MoveTo(page, (HPDF_REAL)s->x1, (HPDF_REAL)s->y1);
            HPDF_Page_LineTo(page, (HPDF_REAL)s->x2, (HPDF_REAL)s->y2);
        }
        HPDF_Page_Stroke(page);
        i = end;
    }
}

/* A code as a CID in a hex string: codes are 16-bit (FONT_FIRST_CODE on,
 * one per glyph of a subset). */
static void put_hex4(char *o, unsigned v)
{
    static const char digits[] = "0123456789ABCDEF";
    for (int k = 3; k >= 0; k--, v >>= 4)
        o[k] = digits[v & 0xF];
}

/* The run's text in the codes its font's subset uses (font_pdf_code),
 * shown: "<...> Tj", its codes as 2-byte CIDs (CID = code), written into
 * the page's content stream as HPDF_Page_ShowText writes them for these
 * fonts.  ShowText would take the codes as UTF-8, decode them again and
 * measure every glyph, for a text position the next Tm sets anyway.  As
 * with ShowText, a run that would not advance (every glyph without width
 * and no character spacing) or that is not UTF-8 writes nothing. */
static void show_codes(HPDF_Page page, pdf_state *st, size_t face, const glyph_run *r)
{
    HPDF_PageAttr attr = page->attr;
    size_t len = strlen(r->text);
    /* each character takes at least one byte, its code four hex digits */
    if (4 * len + 8 > st->text_cap) {
        st->text_cap = 4 * len + 8;
        st->text = xrealloc(st->text, st->text_cap);
    }
    uint16_t **table = st->codes[face];
    const int *widths = st->widths[face];
    int advances = attr->gstate->char_space != 0;
    char *o = st->text;
    *o++ = '<';
    for (size_t i = 0; i < len;) {
        uint32_t cp;
        int k = utf8_next(r->text + i, len - i, &cp);
        if (k == 0)
            return;
        i += (size_t)k;
        uint32_t code = cp < 0x110000 && table && table[cp >> 8] ? table[cp >> 8][cp & 0xFF] : 0;
        if (!code)
            code = font_pdf_code(r->face, cp);
        if (code >= FONT_FIRST_CODE && code - FONT_FIRST_CODE < st->nwidths[face])
            advances |= widths[code - FONT_FIRST_CODE] != 0;
        put_hex4(o, code);
        o += 4;
    }
    if (len == 0 || !advances)
        return;
    memcpy(o, "> Tj\012", 5);
    o += 5;
    HPDF_STATUS ret =
        HPDF_Stream_Write(attr->stream, (HPDF_BYTE *)st->text, (HPDF_UINT)(o - st->text));
    if (ret != HPDF_OK && !st->error)
        st->error = ret;
}

/* Seals go over the text, as a stamp does; libharu keeps a PNG's alpha
 * channel as a soft mask.  For PDF/A, which has no transparency, a seal
 * is `flat`: flattened with a stencil mask (pdfa_load_seal) and drawn
 * first, so that the text shows through its ink as through a stamp's. */
static int draw_images(HPDF_Doc doc, HPDF_Page page, const laid_page *lp, int flat,
                       diag_list *diags)
{
    for (size_t i = 0; i < lp->nimages; i++) {
        const placed_image *im = &lp->images[i];
        HPDF_Image img = pdfa_load_seal(doc, im->path, flat, diags);
        if (!img)
            return -1;
        HPDF_Page_DrawImage(page, img, (HPDF_REAL)im->x, (HPDF_REAL)im->y, (HPDF_REAL)im->width,
                            (HPDF_REAL)im->height);
    }
    return 0;
}

/* The page's runs [from, to), in one text object. */
static void draw_runs(HPDF_Page page, const laid_page *lp, size_t from, size_t to, pdf_state *st,
                      font_set *fonts)
{
    if (from >= to)
        return;
    HPDF_Page_BeginText(page);
    HPDF_Font font = NULL;
    double size = -1, char_space = 0, hscale = 1;
    uint32_t color = 0;
    for (size_t i = from; i < to; i++) {
        const glyph_run *r = &lp->runs[i];
        size_t k = face_index(st, fonts, r->face);
        HPDF_Font f = st->fonts[k];
        if (f != font || r->size != size) {
            HPDF_Page_SetFontAndSize(page, f, (HPDF_REAL)r->size);
            font = f, size = r->size;
        }
        if (r->color != color) {
            HPDF_Page_SetRGBFill(page, channel(r->color, 16), channel(r->color, 8),
                                 channel(r->color, 0));
            color = r->color;
        }
        /* a condensed run: Tz, and Tc, which Tz scales too, in unscaled units */
        double h = r->hscale > 0 ? r->hscale : 1;
        if (h != hscale)
            HPDF_Page_SetHorizontalScalling(page, (HPDF_REAL)(100 * h)), hscale = h;
        if (r->char_space / h != char_space) {
            HPDF_Page_SetCharSpace(page, (HPDF_REAL)(r->char_space / h));
            char_space = r->char_space / h;
        }
        HPDF_Page_SetTextMatrix(page, 1, 0, 0, 1, (HPDF_REAL)r->x, (HPDF_REAL)r->y);
        show_codes(page, st, k, r);
    }
    HPDF_Page_EndText(page);
}

/* A page's content: a seal flattened for PDF/A first, then rules, runs and
 * seals over them.  A turned page (layout.h: page_turn) draws what is
 * laid out landscape through its matrix, then its page number upright. */
static int draw_page(pdf_state *st, HPDF_Page page, const laid_page *lp, font_set *fonts,
                     const run_options *opts, diag_list *diags)
{
    const page_turn *t = &lp->turn;
    size_t turned_runs = t->turned ? t->upright_from : lp->nruns;
    int rc = 0;
    if (t->turned) {
        HPDF_Page_GSave(page);
        HPDF_Page_Concat(page, 0, 1, -1, 0, (HPDF_REAL)t->e, (HPDF_REAL)t->f);
    }
    if (opts->pdfa && draw_images(st->doc, page, lp, 1, diags) != 0)
        rc = -1;
    draw_rules(page, lp);
    draw_runs(page, lp, 0, turned_runs, st, fonts);
    if (!opts->pdfa && draw_images(st->doc, page, lp, 0, diags) != 0)
        rc = -1;
    if (t->turned) {
        HPDF_Page_GRestore(page);
        draw_runs(page, lp, turned_runs, lp->nruns, st, fonts);
    }
    return rc;
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

/* The document ID (the trailer's /ID, which PDF/A requires): written as
 * zeros, then replaced by the MD5 digest of the file up to its trailer,
 * so that it tells documents apart and the same document gives the same
 * bytes. */
enum { ID_LEN = 16 };

static int add_id(HPDF_Doc doc)
{
    HPDF_BYTE zero[ID_LEN] = {0};
    HPDF_Array id = HPDF_Array_New(doc->mmgr);
    if (!id || HPDF_Dict_Add(doc->trailer, "ID", id) != HPDF_OK)
        return -1;
    HPDF_STATUS ret = HPDF_Array_Add(id, HPDF_Binary_New(doc->mmgr, zero, ID_LEN));
    ret += HPDF_Array_Add(id, HPDF_Binary_New(doc->mmgr, zero, ID_LEN));
    return ret == HPDF_OK ? 0 : -1;
}

static char *last_of(char *hay, size_t n, const char *needle)
{
    size_t k = strlen(needle);
    for (size_t i = n >= k ? n - k + 1 : 0; i-- > 0;)
        if (memcmp(hay + i, needle, k) == 0)
            return hay + i;
    return NULL;
}

/* Both placeholders of the trailer's /ID set to the digest of what
 * precedes the trailer.  Returns 0, or -1 when they are not there. */
static int set_id(char *pdf, size_t n)
{
    char *trailer = last_of(pdf, n, "\ntrailer");
    if (!trailer)
        return -1;
    HPDF_MD5_CTX md5;
    HPDF_BYTE digest[ID_LEN];
    HPDF_MD5Init(&md5);
    HPDF_MD5Update(&md5, (HPDF_BYTE *)pdf, (HPDF_UINT32)(trailer - pdf));
    HPDF_MD5Final(digest, &md5);
    char zeros[2 * ID_LEN + 1], hex[2 * ID_LEN + 1];
    memset(zeros, '0', 2 * ID_LEN), zeros[2 * ID_LEN] = '\0';
    for (int i = 0; i < ID_LEN; i++)
        snprintf(hex + 2 * i, 3, "%02X", digest[i]);
    int found = 0;
    size_t rest = n - (size_t)(trailer - pdf);
    for (char *p = trailer; (p = memmem(p, rest - (size_t)(p - trailer), zeros, 2 * ID_LEN));) {
        memcpy(p, hex, 2 * ID_LEN);
        p += 2 * ID_LEN, found++;
    }
    return found == 2 ? 0 : -1;
}

/* libharu's finished document into fd; 0, or errno (-1: libharu failed). */
static int copy_document(pdf_state *st, int fd)
{
    if (HPDF_SaveToStream(st->doc) != HPDF_OK)
        return -1;
    size_t size = HPDF_GetStreamSize(st->doc), n = 0;
    char *pdf = xmalloc(size + 1);
    while (n < size) {
        HPDF_UINT32 len = (HPDF_UINT32)(size - n);
        HPDF_STATUS s = HPDF_ReadFromStream(st->doc, (HPDF_BYTE *)pdf + n, &len);
        n += len;
        if (s == HPDF_STREAM_EOF || len == 0)
            break;
        if (s != HPDF_OK) {
            free(pdf);
            return -1;
        }
    }
    int err = n == size && set_id(pdf, n) == 0 ? 0 : -1;
    if (err == 0 && write_all(fd, (const HPDF_BYTE *)pdf, n) != 0)
        err = errno ? errno : EIO;
    free(pdf);
    return err;
}

/* Write the whole file, then put it in place (now, or by the publisher),
 * so that a failure leaves the old file or nothing. */
static int save_atomically(pdf_state *st, const char *path, publisher *pub, diag_list *diags)
{
    out_file f;
    if (out_open(path, &f, diags) != 0)
        return -1;
    int err = copy_document(st, f.fd);
    if (err != 0) {
        if (err < 0)
            diag_add(diags, DIAG_ERROR, path, 0, "could not write the PDF: libharu error %04X, %u",
                     (unsigned)st->error, (unsigned)st->detail);
        out_abandon(&f, err > 0 ? err : 0, diags);
        return -1;
    }
    if (pub) {
        publisher_add(pub, &f);
        return 0;
    }
    return out_finish(&f, diags);
}

int pdf_write(layout_result *pages, font_set *fonts, const document_info *info,
              const run_options *opts, diag_list *diags)
{
    const char *path = opts->output;
    pdf_state st = {0};
    st.doc = HPDF_New(on_hpdf_error, &st);
    if (!st.doc) {
        diag_add(diags, DIAG_ERROR, NULL, 0, "libharu could not start a document");
        return -1;
    }
    HPDF_UseUTFEncodings(st.doc);
    HPDF_SetCurrentEncoder(st.doc, "UTF-8");
    HPDF_SetCompressionMode(st.doc, HPDF_COMP_ALL);
    /* PDF/A-1 keeps to PDF 1.4's limits: an array (a Pages node's Kids)
     * has at most 8191 entries */
    if (opts->pdfa)
        HPDF_SetPagesConfiguration(st.doc, 1024);
    int rc = load_fonts(&st, fonts, diags);
    HPDF_Page *made = xcalloc(pages->npages + 1, sizeof *made);
    page_deflater *deflater = page_deflater_new();
    for (size_t i = 0; rc == 0 && i < pages->npages; i++) {
        HPDF_Page page = made[i] = HPDF_AddPage(st.doc);
        const laid_page *lp = &pages->pages[i];
        HPDF_Page_SetWidth(page, (HPDF_REAL)(lp->turn.turned ? lp->turn.sheet_width
                                                              : lp->geometry.width));
        HPDF_Page_SetHeight(page, (HPDF_REAL)(lp->turn.turned ? lp->turn.sheet_height
                                                               : lp->geometry.height));
        if (draw_page(&st, page, lp, fonts, opts, diags) != 0)
            rc = -1;
        if (rc == 0 && !st.error && page_deflate(deflater, page) != 0) {
            diag_add(diags, DIAG_ERROR, path, 0, "could not compress page %zu", i + 1);
            rc = -1;
        }
        laid_page_release(&pages->pages[i]); /* libharu has what it needs */
    }
    if (page_deflater_finish(deflater) != 0 && rc == 0) {
        diag_add(diags, DIAG_ERROR, path, 0, "could not compress the pages");
        rc = -1;
    }
    page_deflater_free(deflater);
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
        if (opts->pdfa && pdfa_finish(st.doc, opts->pdfa) != 0) {
            diag_add(diags, DIAG_ERROR, path, 0, "libharu could not make the PDF/A parts (error %04X)",
                     (unsigned)st.error);
            rc = -1;
        }
    }
    if (rc == 0 && add_id(st.doc) != 0) {
        diag_add(diags, DIAG_ERROR, path, 0, "libharu could not add the document ID");
        rc = -1;
    }
    if (rc == 0)
        rc = save_atomically(&st, path, opts->publisher, diags);
    HPDF_Free(st.doc);
    fonts_free(&st);
    free(st.text);
    return rc;
}
