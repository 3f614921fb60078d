#include "pdf_ttf.h"

#include <hpdf_doc.h>
#include <hpdf_fontdef.h>
#include <hpdf_streams.h>
#include <string.h>

#include "i18n.h"
#include "util.h"

/* The next subset tag (AAAAAA+, AAAAAB+, ...): libharu keeps the last one
 * given in the document, so that two subsets never share a name. */
static void next_tag(HPDF_BYTE tag[6])
{
    if (tag[0] == 0) {
        for (int i = 0; i < 6; i++)
            tag[i] = (HPDF_BYTE)"HPDFAA"[i];
        return;
    }
    for (int i = 5; i >= 0; i--) {
        if (++tag[i] <= 'Z')
            return;
        tag[i] = 'A';
    }
}

void pdf_subset_tag(HPDF_Doc doc, char tag[7])
{
    next_tag(doc->ttfont_tag);
    memcpy(tag, doc->ttfont_tag, 6);
    tag[6] = 0;
}

const char *pdf_load_ttf(HPDF_Doc doc, const char *data, size_t len)
{
    if (len == 0 || len > 0x7FFFFFFF)
        return NULL;
    /* one block of the font's own size */
    HPDF_Stream s = HPDF_MemStream_New(doc->mmgr, (HPDF_UINT)len);
    if (!s)
        return NULL;
    if (HPDF_Stream_Write(s, (const HPDF_BYTE *)data, (HPDF_UINT)len) != HPDF_OK) {
        HPDF_Stream_Free(s);
        return NULL;
    }
    /* the definition owns the stream from here (glyphs are read from it
     * again when the document is saved), and the document the definition
     * once registered; each frees what it owns on failure */
    HPDF_FontDef def = HPDF_TTFontDef_Load(doc->mmgr, s, HPDF_TRUE);
    if (!def)
        return NULL;
    /* libharu keeps a document's definitions by def->base_font, the
     * font's PostScript name, and refuses a second of the same name
     * (HPDF_DUPLICATE_REGISTRATION, set without calling the error
     * handler); HPDF_GetFont finds fonts by it too.  Two files of one
     * family (an office's copy of a Debian font, a .ttc's faces of one
     * name) are two subsets of one name: each is registered under its
     * tagged name (AAAAAA+Name), which is the name the PDF gives it
     * anyway (SetTagName writes it to the TrueType attributes only). */
    next_tag(doc->ttfont_tag);
    HPDF_TTFontDef_SetTagName(def, (char *)doc->ttfont_tag);
    HPDF_TTFontDefAttr tt = def->attr;
    memcpy(def->base_font, tt->base_font, sizeof def->base_font);
    if (HPDF_Doc_RegisterFontDef(doc, def) != HPDF_OK)
        return NULL;
    return def->base_font;
}

/* What libharu's refusals of a TrueType font mean: "libharu ...". */
static const char *ttf_error(HPDF_STATUS e)
{
    switch (e) {
    case HPDF_TTF_CANNOT_EMBEDDING_FONT:
        return _("will not embed it: its licence forbids embedding (the fsType of its OS/2 table)");
    case HPDF_TTF_INVALID_CMAP:
        return _("cannot read its character map");
    case HPDF_TTF_INVALID_FOMAT:
        return _("cannot read its format");
    case HPDF_TTF_MISSING_TABLE:
        return _("cannot embed it: it lacks a table libharu needs (such as OS/2)");
    default:
        return _("could not load the subset of this font");
    }
}

/* The font loaded and its program written as pdf.c has libharu write a
 * subset's: libharu's status. */
static HPDF_STATUS try_embedding(HPDF_Doc doc, const char *data, size_t len)
{
    const char *name = pdf_load_ttf(doc, data, len);
    HPDF_FontDef def = name ? HPDF_Doc_FindFontDef(doc, name) : NULL;
    if (!def)
        return HPDF_GetError(doc) ? HPDF_GetError(doc) : HPDF_INVALID_FONTDEF_DATA;
    HPDF_Stream out = HPDF_MemStream_New(doc->mmgr, (HPDF_UINT)len + 1024);
    if (!out)
        return HPDF_FAILD_TO_ALLOC_MEM;
    /* pdf.c embeds every glyph of a subset */
    HPDF_TTFontDefAttr tt = def->attr;
    memset(tt->glyph_tbl.flgs, 1, tt->num_glyphs);
    HPDF_STATUS ret = HPDF_TTFontDef_SaveFontData(def, out);
    HPDF_Stream_Free(out);
    return ret != HPDF_OK && HPDF_GetError(doc) ? HPDF_GetError(doc) : ret;
}

char *pdf_ttf_check(const char *data, size_t len)
{
    HPDF_Doc doc = HPDF_New(NULL, NULL);
    if (!doc)
        return xstrdup("libharu could not start a document");
    HPDF_STATUS e = try_embedding(doc, data, len);
    HPDF_Free(doc);
    return e == HPDF_OK ? NULL : xasprintf(_("libharu %s (error %04X)"), ttf_error(e), (unsigned)e);
}
