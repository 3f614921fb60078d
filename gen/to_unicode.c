#include "to_unicode.h"

#include <hpdf_doc.h>
#include <hpdf_font.h>
#include <hpdf_objects.h>
#include <stdio.h>
#include <stdlib.h>

#include "font_pdf.h"
#include "util.h"

static const char cmap_head[] =
    "/CIDInit /ProcSet findresource begin\n"
    "12 dict begin\n"
    "begincmap\n"
    "/CIDSystemInfo << /Registry (Adobe) /Ordering (UCS) /Supplement 0 >> def\n"
    "/CMapName /Adobe-Identity-UCS def\n"
    "/CMapType 2 def\n"
    "1 begincodespacerange\n"
    "<0000> <FFFF>\n"
    "endcodespacerange\n";

static const char cmap_tail[] =
    "endcmap\n"
    "CMapName currentdict /CMap defineresource pop\n"
    "end\n"
    "end\n";

/* A character as the UTF-16BE hex a CMap wants (a surrogate pair beyond
 * U+FFFF). */
static void utf16_hex(uint32_t cp, char *buf, size_t len)
{
    if (cp <= 0xFFFF) {
        snprintf(buf, len, "%04X", (unsigned)cp);
        return;
    }
    cp -= 0x10000;
    snprintf(buf, len, "%04X%04X", (unsigned)(0xD800 + (cp >> 10)), (unsigned)(0xDC00 + (cp & 0x3FF)));
}

static HPDF_STATUS write_bfchars(HPDF_Stream s, const uint32_t *codes, const uint32_t *cps, size_t n)
{
    HPDF_STATUS ret = HPDF_OK;
    for (size_t i = 0; i < n && ret == HPDF_OK; i += 100) { /* at most 100 to a block */
        size_t block = n - i < 100 ? n - i : 100;
        char line[64];
        snprintf(line, sizeof line, "%zu beginbfchar\n", block);
        ret = HPDF_Stream_WriteStr(s, line);
        for (size_t k = i; k < i + block && ret == HPDF_OK; k++) {
            char u[16];
            utf16_hex(cps[k], u, sizeof u);
            snprintf(line, sizeof line, "<%04X> <%s>\n", (unsigned)codes[k], u);
            ret = HPDF_Stream_WriteStr(s, line);
        }
        if (ret == HPDF_OK)
            ret = HPDF_Stream_WriteStr(s, "endbfchar\n");
    }
    return ret;
}

/* libharu's own ToUnicode stream (its font's cmap_stream), emptied for
 * ours, so that no unused copy stays in the file; a new stream when there
 * is none. */
static HPDF_Dict cmap_stream(HPDF_Doc doc, HPDF_Font font)
{
    HPDF_FontAttr attr = font->attr;
    HPDF_Dict cmap = attr ? attr->cmap_stream : NULL;
    if (!cmap || !cmap->stream || HPDF_Dict_GetItem(font, "ToUnicode", HPDF_OCLASS_DICT) != cmap)
        return HPDF_DictStream_New(doc->mmgr, doc->xref);
    HPDF_MemStream_FreeData(cmap->stream);
    /* an Encoding CMap's entries, which a ToUnicode stream has not */
    static const char *const keys[] = {"Type", "CMapName", "CIDSystemInfo", "WMode", "UseCMap"};
    for (size_t i = 0; i < sizeof keys / sizeof *keys; i++)
        HPDF_Dict_RemoveElement(cmap, keys[i]);
    return cmap;
}

int to_unicode_attach(HPDF_Doc doc, HPDF_Font font, const font_face *face)
{
    HPDF_Dict cmap = cmap_stream(doc, font);
    if (!cmap)
        return -1;
    cmap->filter = HPDF_STREAM_FILTER_FLATE_DECODE;
    uint32_t *codes = NULL, *cps = NULL;
    size_t n = font_used_codes(face, &codes, &cps);
    HPDF_STATUS ret = HPDF_Stream_WriteStr(cmap->stream, cmap_head);
    if (ret == HPDF_OK)
        ret = write_bfchars(cmap->stream, codes, cps, n);
    if (ret == HPDF_OK)
        ret = HPDF_Stream_WriteStr(cmap->stream, cmap_tail);
    free(codes);
    free(cps);
    if (ret == HPDF_OK)
        ret = HPDF_Dict_Add(font, "ToUnicode", cmap);
    return ret == HPDF_OK ? 0 : -1;
}
