#include "pdf_cff.h"

#include <hpdf_doc.h>
#include <hpdf_font.h>
#include <hpdf_objects.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "i18n.h"
#include "pdf_ttf.h"
#include "util.h"

static void free_attr(HPDF_Dict font)
{
    if (font->attr)
        HPDF_FreeMem(font->mmgr, font->attr);
    font->attr = NULL;
}

/* An indirect dictionary of the document (NULL when out of memory; the
 * document's table owns it). */
static HPDF_Dict indirect(HPDF_Doc doc)
{
    HPDF_Dict d = HPDF_Dict_New(doc->mmgr);
    if (!d || HPDF_Xref_Add(doc->xref, d) != HPDF_OK)
        return NULL;
    return d;
}

/* << /Registry (Adobe) /Ordering (Identity) /Supplement 0 >> */
static HPDF_STATUS add_system_info(HPDF_Dict to, HPDF_MMgr mmgr)
{
    HPDF_Dict info = HPDF_Dict_New(mmgr);
    if (!info)
        return HPDF_FAILD_TO_ALLOC_MEM;
    HPDF_STATUS ret = HPDF_Dict_Add(to, "CIDSystemInfo", info);
    ret += HPDF_Dict_Add(info, "Registry", HPDF_String_New(mmgr, "Adobe", NULL));
    ret += HPDF_Dict_Add(info, "Ordering", HPDF_String_New(mmgr, "Identity", NULL));
    ret += HPDF_Dict_AddNumber(info, "Supplement", 0);
    return ret;
}

typedef struct cid_width {
    uint16_t cid;
    int width;
} cid_width;

static int by_cid(const void *a, const void *b)
{
    const cid_width *x = a, *y = b;
    return (x->cid > y->cid) - (x->cid < y->cid);
}

/* /DW 1000 (a CJK font's every character) and /W of the CIDs drawn that
 * are not that wide, in runs of consecutive CIDs. */
static HPDF_STATUS add_widths(HPDF_Dict cidfont, const uint16_t *cids, const int *widths,
                              size_t n)
{
    cid_width *cw = xmalloc((n + 1) * sizeof *cw);
    for (size_t k = 0; k < n; k++)
        cw[k] = (cid_width){cids[k], widths[k]};
    qsort(cw, n, sizeof *cw, by_cid);
    HPDF_Array w = HPDF_Array_New(cidfont->mmgr);
    HPDF_STATUS ret = w ? HPDF_Dict_Add(cidfont, "W", w) : HPDF_FAILD_TO_ALLOC_MEM;
    ret += HPDF_Dict_AddNumber(cidfont, "DW", 1000);
    HPDF_Array run = NULL;
    for (size_t k = 0; k < n && ret == HPDF_OK; k++) {
        if (k > 0 && cw[k].cid == cw[k - 1].cid)
            continue; /* characters of one glyph */
        if (cw[k].width == 1000) {
            run = NULL;
            continue;
        }
        if (!run || cw[k].cid != cw[k - 1].cid + 1) {
            run = HPDF_Array_New(cidfont->mmgr);
            ret += HPDF_Array_AddNumber(w, cw[k].cid);
            ret += run ? HPDF_Array_Add(w, run) : HPDF_FAILD_TO_ALLOC_MEM;
        }
        if (run)
            ret += HPDF_Array_AddNumber(run, cw[k].width);
    }
    free(cw);
    return ret;
}

/* The Encoding: a CMap of the codes (FONT_FIRST_CODE + k) to the CIDs of
 * their glyphs, in ranges of consecutive codes and CIDs (a handful: the
 * codes follow the subset's glyph order), at most 100 to a block. */
static HPDF_Dict encoding_cmap(HPDF_Doc doc, const char *name, const uint16_t *cids, size_t n)
{
    HPDF_Dict cmap = HPDF_DictStream_New(doc->mmgr, doc->xref);
    if (!cmap)
        return NULL;
    cmap->filter = HPDF_STREAM_FILTER_FLATE_DECODE;
    HPDF_STATUS ret = HPDF_Dict_AddName(cmap, "Type", "CMap");
    ret += HPDF_Dict_AddName(cmap, "CMapName", name);
    ret += add_system_info(cmap, doc->mmgr);
    ret += HPDF_Dict_AddNumber(cmap, "WMode", 0);
    size_t *starts = xmalloc((n + 1) * sizeof *starts), nruns = 0;
    for (size_t k = 0; k < n; k++)
        if (k == 0 || cids[k] != cids[k - 1] + 1)
            starts[nruns++] = k;
    starts[nruns] = n;
    char line[96];
    ret += HPDF_Stream_WriteStr(cmap->stream,
                                "/CIDInit /ProcSet findresource begin\n12 dict begin\nbegincmap\n"
                                "/CIDSystemInfo 3 dict dup begin\n/Registry (Adobe) def\n"
                                "/Ordering (Identity) def\n/Supplement 0 def\nend def\n");
    snprintf(line, sizeof line, "/CMapName /%s def\n", name);
    ret += HPDF_Stream_WriteStr(cmap->stream, line);
    /* the stream's /WMode said in the program too (PDF/A-1 6.3.3.3) */
    ret += HPDF_Stream_WriteStr(cmap->stream, "/CMapType 1 def\n/WMode 0 def\n"
                                              "1 begincodespacerange\n<0000> <FFFF>\n"
                                              "endcodespacerange\n");
    for (size_t r = 0; r < nruns && ret == HPDF_OK; r += 100) {
        size_t m = nruns - r < 100 ? nruns - r : 100;
        snprintf(line, sizeof line, "%zu begincidrange\n", m);
        ret += HPDF_Stream_WriteStr(cmap->stream, line);
        for (size_t i = r; i < r + m; i++) {
            snprintf(line, sizeof line, "<%04X> <%04X> %u\n",
                     (unsigned)(FONT_FIRST_CODE + starts[i]),
                     (unsigned)(FONT_FIRST_CODE + starts[i + 1] - 1), (unsigned)cids[starts[i]]);
            ret += HPDF_Stream_WriteStr(cmap->stream, line);
        }
        ret += HPDF_Stream_WriteStr(cmap->stream, "endcidrange\n");
    }
    ret += HPDF_Stream_WriteStr(cmap->stream, "endcmap\nCMapName currentdict /CMap "
                                              "defineresource pop\nend\nend\n");
    free(starts);
    return ret == HPDF_OK ? cmap : NULL;
}

/* The CIDSet PDF/A-1 asks of a subset (6.3.5): a bit for every CID of
 * the program, the first the high bit of the first byte. */
static HPDF_Dict cid_set(HPDF_Doc doc, const uint16_t *all, size_t nglyphs)
{
    HPDF_Dict set = HPDF_DictStream_New(doc->mmgr, doc->xref);
    if (!set)
        return NULL;
    unsigned top = 0;
    for (size_t g = 0; g < nglyphs; g++)
        top = all[g] > top ? all[g] : top;
    size_t bytes = top / 8 + 1;
    unsigned char *bits = xcalloc(bytes, 1);
    for (size_t g = 0; g < nglyphs; g++)
        bits[all[g] / 8] |= (unsigned char)(0x80 >> (all[g] % 8));
    set->filter = HPDF_STREAM_FILTER_FLATE_DECODE;
    HPDF_STATUS ret = HPDF_Stream_Write(set->stream, bits, (HPDF_UINT)bytes);
    free(bits);
    return ret == HPDF_OK ? set : NULL;
}

/* The font descriptor, with the program and its CIDSet. */
static HPDF_Dict descriptor(HPDF_Doc doc, font_face *face, const char *name,
                            const uint16_t *all, size_t nglyphs)
{
    const char *data;
    size_t len;
    HPDF_Dict desc = indirect(doc);
    HPDF_Dict file = font_subset(face, &data, &len) == 0 && len < 0x7FFFFFFF
                         ? HPDF_DictStream_New(doc->mmgr, doc->xref)
                         : NULL;
    HPDF_Dict set = cid_set(doc, all, nglyphs);
    HPDF_Array bbox = HPDF_Array_New(doc->mmgr);
    if (!desc || !file || !set || !bbox)
        return NULL;
    file->filter = HPDF_STREAM_FILTER_FLATE_DECODE;
    HPDF_STATUS ret = HPDF_Dict_AddName(file, "Subtype", "CIDFontType0C");
    ret += HPDF_Stream_Write(file->stream, (const HPDF_BYTE *)data, (HPDF_UINT)len);
    int box[4], ascent, descent;
    font_box(face, box, &ascent, &descent);
    for (int i = 0; i < 4; i++)
        ret += HPDF_Array_AddNumber(bbox, box[i]);
    ret += HPDF_Dict_AddName(desc, "Type", "FontDescriptor");
    ret += HPDF_Dict_AddName(desc, "FontName", name);
    ret += HPDF_Dict_AddNumber(desc, "Flags", 4); /* symbolic: glyphs outside Latin */
    ret += HPDF_Dict_Add(desc, "FontBBox", bbox);
    ret += HPDF_Dict_AddNumber(desc, "ItalicAngle", 0);
    ret += HPDF_Dict_AddNumber(desc, "Ascent", ascent);
    ret += HPDF_Dict_AddNumber(desc, "Descent", descent);
    ret += HPDF_Dict_AddNumber(desc, "CapHeight", font_cap_height(face));
    ret += HPDF_Dict_AddNumber(desc, "StemV", 80);
    ret += HPDF_Dict_Add(desc, "FontFile3", file);
    ret += HPDF_Dict_Add(desc, "CIDSet", set);
    return ret == HPDF_OK ? desc : NULL;
}

/* The Type0 font: a dictionary libharu takes for a font of its own
 * (HPDF_Font_Validate: the font subclass and an attribute record). */
static HPDF_Font type0(HPDF_Doc doc, const char *name, HPDF_Dict cmap, HPDF_Dict cidfont)
{
    HPDF_Font font = indirect(doc);
    HPDF_Array descendants = HPDF_Array_New(doc->mmgr);
    if (!font || !descendants)
        return NULL;
    HPDF_FontAttr attr = HPDF_GetMem(doc->mmgr, sizeof *attr);
    if (!attr)
        return NULL;
    memset(attr, 0, sizeof *attr);
    attr->type = HPDF_FONT_TYPE0_CID;
    attr->writing_mode = HPDF_WMODE_HORIZONTAL;
    attr->xref = doc->xref;
    attr->descendant_font = cidfont;
    font->attr = attr;
    font->free_fn = free_attr;
    font->header.obj_class |= HPDF_OSUBCLASS_FONT;
    HPDF_STATUS ret = HPDF_Dict_AddName(font, "Type", "Font");
    ret += HPDF_Dict_AddName(font, "Subtype", "Type0");
    /* the CIDFont's name (PDF 32000-1 9.7.6.1 would add "-" and the
     * CMap's: pdffonts then cuts the name short in its column) */
    ret += HPDF_Dict_AddName(font, "BaseFont", name);
    ret += HPDF_Dict_Add(font, "Encoding", cmap);
    ret += HPDF_Dict_Add(font, "DescendantFonts", descendants);
    ret += HPDF_Array_Add(descendants, cidfont);
    return ret == HPDF_OK ? font : NULL;
}

HPDF_Font pdf_load_cff(HPDF_Doc doc, font_face *face, const uint16_t *glyphs, const int *widths,
                       size_t n)
{
    uint16_t *all;
    size_t nglyphs = font_subset_cids(face, &all);
    if (!nglyphs)
        return NULL;
    uint16_t *cids = xmalloc((n + 1) * sizeof *cids);
    int ok = 1;
    for (size_t k = 0; k < n; k++) {
        ok &= glyphs[k] < nglyphs;
        cids[k] = glyphs[k] < nglyphs ? all[glyphs[k]] : 0;
    }
    char tag[7], *ps = font_ps_name(face);
    pdf_subset_tag(doc, tag);
    char *name = xasprintf("%s+%s", tag, ps), *cmap_name = xasprintf("GenCodes-%s", tag);
    HPDF_Font font = NULL;
    HPDF_Dict desc = ok ? descriptor(doc, face, name, all, nglyphs) : NULL;
    HPDF_Dict cmap = desc ? encoding_cmap(doc, cmap_name, cids, n) : NULL;
    HPDF_Dict cidfont = cmap ? indirect(doc) : NULL;
    if (cidfont) {
        HPDF_STATUS ret = HPDF_Dict_AddName(cidfont, "Type", "Font");
        ret += HPDF_Dict_AddName(cidfont, "Subtype", "CIDFontType0");
        ret += HPDF_Dict_AddName(cidfont, "BaseFont", name);
        ret += add_system_info(cidfont, doc->mmgr);
        ret += HPDF_Dict_Add(cidfont, "FontDescriptor", desc);
        ret += add_widths(cidfont, cids, widths, n);
        font = ret == HPDF_OK ? type0(doc, name, cmap, cidfont) : NULL;
    }
    free(name);
    free(cmap_name);
    free(ps);
    free(cids);
    free(all);
    return font;
}

char *pdf_cff_check(font_face *face)
{
    uint16_t *all;
    size_t n = font_subset_cids(face, &all);
    free(all);
    return n ? NULL : xstrdup(_("its PostScript outlines ('CFF ' table) cannot be read: the font "
                              "is damaged"));
}
