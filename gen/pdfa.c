/* PDF/A-1b, written with libharu's objects.  libharu 2.3.0's own
 * HPDF_PDFA_SetPDFAConformance is not used: its XMP packet is not escaped
 * and has no dc:language, its output intent names the profile under a
 * misspelt key ("DestOutputProfile "), and its document ID comes from the
 * clock, so that no two runs gave the same bytes.  Here the XMP packet is
 * made from the Info dictionary itself (so the two cannot disagree), and
 * the ID is the pdf module's (a digest of the file). */
#include "pdfa.h"

#include <errno.h>
#include <hpdf_doc.h>
#include <hpdf_objects.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "util.h"

struct pdfa_profile {
    unsigned char *icc;
    size_t len;
};

/* An ICC profile PDF/A-1 can use as its output intent: RGB, version 2
 * (PDF 1.4 knows no later one). */
static int usable_icc(const unsigned char *p, size_t n)
{
    return n >= 132 && memcmp(p + 36, "acsp", 4) == 0 && memcmp(p + 16, "RGB ", 4) == 0 &&
           p[8] <= 2 && ((size_t)p[0] << 24 | (size_t)p[1] << 16 | (size_t)p[2] << 8 | p[3]) == n;
}

static unsigned char *read_file(const char *path, size_t *len)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        return NULL;
    size_t cap = 65536, n = 0;
    unsigned char *buf = xmalloc(cap);
    for (size_t got; (got = fread(buf + n, 1, cap - n, f)) > 0;) {
        n += got;
        if (n == cap && cap < (64u << 20))
            buf = xrealloc(buf, cap *= 2);
        else if (n == cap)
            break;
    }
    int bad = ferror(f);
    fclose(f);
    if (bad) {
        free(buf);
        return NULL;
    }
    *len = n;
    return buf;
}

pdfa_profile *pdfa_profile_load(diag_list *diags)
{
    const char *path = PDFA_ICC_PROFILE;
    size_t n = 0;
    unsigned char *p = read_file(path, &n);
    if (p && usable_icc(p, n)) {
        pdfa_profile *profile = xmalloc(sizeof *profile);
        *profile = (pdfa_profile){p, n};
        return profile;
    }
    if (p)
        diag_add(diags, DIAG_ERROR, path, 0,
                 "not an RGB ICC profile of version 2, which PDF/A-1 needs for --pdfa");
    else
        diag_add(diags, DIAG_ERROR, path, 0,
                 "--pdfa needs this sRGB ICC profile (%s): install the Debian package "
                 "icc-profiles-free (make deps)",
                 strerror(errno));
    free(p);
    return NULL;
}

void pdfa_profile_free(pdfa_profile *profile)
{
    if (profile)
        free(profile->icc);
    free(profile);
}

/* ---------------------------------------------------------- the packet -- */

static HPDF_STATUS put(HPDF_Stream s, const char *text)
{
    return HPDF_Stream_WriteStr(s, text);
}

/* Text as XML character data (UTF-8 as it is; no control characters). */
static HPDF_STATUS put_escaped(HPDF_Stream s, const char *text)
{
    HPDF_STATUS ret = HPDF_OK;
    char one[2] = {0};
    for (const unsigned char *p = (const unsigned char *)text; *p && ret == HPDF_OK; p++) {
        switch (*p) {
        case '&': ret = put(s, "&amp;"); break;
        case '<': ret = put(s, "&lt;"); break;
        case '>': ret = put(s, "&gt;"); break;
        case '"': ret = put(s, "&quot;"); break;
        default:
            one[0] = (char)(*p < 0x20 ? ' ' : *p);
            ret = put(s, one);
        }
    }
    return ret;
}

static HPDF_STATUS put_element(HPDF_Stream s, const char *open, const char *text, const char *close)
{
    HPDF_STATUS ret = put(s, open);
    if (ret == HPDF_OK)
        ret = put_escaped(s, text);
    return ret == HPDF_OK ? put(s, close) : ret;
}

/* An Info date (D:YYYYMMDDHHmmSS, then Z, or +HH'mm' / -HH'mm', as
 * libharu writes it) as XMP writes it: YYYY-MM-DDTHH:mm:SS and the zone.
 * Returns 0, or -1 when it is not in that form. */
static int xmp_date(const char *pdf, char out[32])
{
    if (!pdf || strncmp(pdf, "D:", 2) != 0 || strlen(pdf) < 17)
        return -1;
    const char *d = pdf + 2;
    for (int i = 0; i < 14; i++)
        if (d[i] < '0' || d[i] > '9')
            return -1;
    char zone[8] = "Z";
    if ((d[14] == '+' || d[14] == '-') && strlen(d) >= 20)
        snprintf(zone, sizeof zone, "%c%.2s:%.2s", d[14], d + 15, d + 18);
    else if (d[14] != 'Z')
        return -1;
    snprintf(out, 32, "%.4s-%.2s-%.2sT%.2s:%.2s:%.2s%s", d, d + 4, d + 6, d + 8, d + 10, d + 12, zone);
    return 0;
}

/* The XMP packet: each Info entry the document has, in the property
 * PDF/A-1 (6.7.3) pairs it with, and the PDF/A identification. */
static HPDF_STATUS write_xmp(HPDF_Doc doc, HPDF_Stream s)
{
    const char *title = HPDF_GetInfoAttr(doc, HPDF_INFO_TITLE);
    const char *author = HPDF_GetInfoAttr(doc, HPDF_INFO_AUTHOR);
    const char *subject = HPDF_GetInfoAttr(doc, HPDF_INFO_SUBJECT);
    const char *keywords = HPDF_GetInfoAttr(doc, HPDF_INFO_KEYWORDS);
    const char *creator = HPDF_GetInfoAttr(doc, HPDF_INFO_CREATOR);
    const char *producer = HPDF_GetInfoAttr(doc, HPDF_INFO_PRODUCER);
    char created[32], modified[32];
    int has_created = xmp_date(HPDF_GetInfoAttr(doc, HPDF_INFO_CREATION_DATE), created) == 0;
    int has_modified = xmp_date(HPDF_GetInfoAttr(doc, HPDF_INFO_MOD_DATE), modified) == 0;
    HPDF_STATUS ret = put(s, "<?xpacket begin=\"\xEF\xBB\xBF\" id=\"W5M0MpCehiHzreSzNTczkc9d\"?>\n"
                             "<x:xmpmeta xmlns:x=\"adobe:ns:meta/\">\n"
                             " <rdf:RDF xmlns:rdf=\"http://www.w3.org/1999/02/22-rdf-syntax-ns#\">\n"
                             "  <rdf:Description rdf:about=\"\"\n"
                             "    xmlns:dc=\"http://purl.org/dc/elements/1.1/\"\n"
                             "    xmlns:xmp=\"http://ns.adobe.com/xap/1.0/\"\n"
                             "    xmlns:pdf=\"http://ns.adobe.com/pdf/1.3/\"\n"
                             "    xmlns:pdfaid=\"http://www.aiim.org/pdfa/ns/id/\">\n"
                             "   <dc:format>application/pdf</dc:format>\n");
    if (ret == HPDF_OK && title)
        ret = put_element(s, "   <dc:title><rdf:Alt><rdf:li xml:lang=\"x-default\">", title,
                          "</rdf:li></rdf:Alt></dc:title>\n");
    if (ret == HPDF_OK && author)
        ret = put_element(s, "   <dc:creator><rdf:Seq><rdf:li>", author,
                          "</rdf:li></rdf:Seq></dc:creator>\n");
    if (ret == HPDF_OK && subject)
        ret = put_element(s, "   <dc:description><rdf:Alt><rdf:li xml:lang=\"x-default\">", subject,
                          "</rdf:li></rdf:Alt></dc:description>\n");
    if (ret == HPDF_OK)
        ret = put(s, "   <dc:language><rdf:Bag><rdf:li>zh-CN</rdf:li></rdf:Bag></dc:language>\n");
    if (ret == HPDF_OK && keywords)
        ret = put_element(s, "   <pdf:Keywords>", keywords, "</pdf:Keywords>\n");
    if (ret == HPDF_OK && producer)
        ret = put_element(s, "   <pdf:Producer>", producer, "</pdf:Producer>\n");
    if (ret == HPDF_OK && creator)
        ret = put_element(s, "   <xmp:CreatorTool>", creator, "</xmp:CreatorTool>\n");
    if (ret == HPDF_OK && has_created)
        ret = put_element(s, "   <xmp:CreateDate>", created, "</xmp:CreateDate>\n");
    if (ret == HPDF_OK && has_modified)
        ret = put_element(s, "   <xmp:ModifyDate>", modified, "</xmp:ModifyDate>\n");
    if (ret == HPDF_OK)
        ret = put(s, "   <pdfaid:part>1</pdfaid:part>\n"
                     "   <pdfaid:conformance>B</pdfaid:conformance>\n"
                     "  </rdf:Description>\n"
                     " </rdf:RDF>\n"
                     "</x:xmpmeta>\n"
                     "<?xpacket end=\"w\"?>");
    return ret;
}

static int add_metadata(HPDF_Doc doc)
{
    /* PDF/A-1 (6.7.2): the packet stays unfiltered, readable by any tool */
    HPDF_Dict xmp = HPDF_DictStream_New(doc->mmgr, doc->xref);
    if (!xmp)
        return -1;
    HPDF_STATUS ret = HPDF_Dict_AddName(xmp, "Type", "Metadata");
    ret += HPDF_Dict_AddName(xmp, "Subtype", "XML");
    if (ret == HPDF_OK)
        ret = write_xmp(doc, xmp->stream);
    if (ret == HPDF_OK)
        ret = HPDF_Dict_Add(doc->catalog, "Metadata", xmp);
    return ret == HPDF_OK ? 0 : -1;
}

static int add_output_intent(HPDF_Doc doc, const pdfa_profile *profile)
{
    HPDF_Dict icc = HPDF_DictStream_New(doc->mmgr, doc->xref);
    if (!icc)
        return -1;
    icc->filter = HPDF_STREAM_FILTER_FLATE_DECODE;
    HPDF_STATUS ret = HPDF_Dict_AddNumber(icc, "N", 3);
    ret += HPDF_Stream_Write(icc->stream, profile->icc, (HPDF_UINT)profile->len);
    HPDF_Dict intent = HPDF_Dict_New(doc->mmgr);
    if (!intent || ret != HPDF_OK)
        return -1;
    if (HPDF_Xref_Add(doc->xref, intent) != HPDF_OK)
        return -1;
    ret += HPDF_Dict_AddName(intent, "Type", "OutputIntent");
    ret += HPDF_Dict_AddName(intent, "S", "GTS_PDFA1");
    ret += HPDF_Dict_Add(intent, "OutputConditionIdentifier",
                         HPDF_String_New(doc->mmgr, "sRGB IEC61966-2.1", NULL));
    ret += HPDF_Dict_Add(intent, "RegistryName", HPDF_String_New(doc->mmgr, "http://www.color.org", NULL));
    ret += HPDF_Dict_Add(intent, "Info", HPDF_String_New(doc->mmgr, "sRGB IEC61966-2.1", NULL));
    ret += HPDF_Dict_Add(intent, "DestOutputProfile", icc);
    HPDF_Array intents = HPDF_Array_New(doc->mmgr);
    if (!intents || ret != HPDF_OK)
        return -1;
    ret = HPDF_Dict_Add(doc->catalog, "OutputIntents", intents);
    if (ret == HPDF_OK)
        ret = HPDF_Array_Add(intents, intent);
    return ret == HPDF_OK ? 0 : -1;
}

int pdfa_finish(HPDF_Doc doc, const pdfa_profile *profile)
{
    if (!profile)
        return -1;
    doc->pdf_version = HPDF_VER_14; /* PDF/A-1 is PDF 1.4 */
    return add_output_intent(doc, profile) == 0 && add_metadata(doc) == 0 ? 0 : -1;
}

/* ---------------------------------------------------------------- seals -- */

/* The whole data of a libharu memory stream, or NULL. */
static unsigned char *stream_bytes(HPDF_Stream s)
{
    if (!s || HPDF_Stream_Seek(s, 0, HPDF_SEEK_SET) != HPDF_OK)
        return NULL;
    size_t expect = s->size, n = 0;
    unsigned char *buf = xmalloc(expect + 1);
    while (n < expect) {
        HPDF_UINT len = (HPDF_UINT)(expect - n);
        HPDF_STATUS st = HPDF_Stream_Read(s, buf + n, &len);
        n += len;
        if (st != HPDF_OK || len == 0)
            break;
    }
    if (n != expect) {
        free(buf);
        return NULL;
    }
    return buf;
}

static HPDF_STATUS stream_replace(HPDF_Stream s, const unsigned char *data, size_t len)
{
    HPDF_MemStream_FreeData(s);
    return HPDF_Stream_Write(s, data, (HPDF_UINT)len);
}

/* libharu reads a 16-bit PNG as 8 bits a sample but declares 16 (for the
 * colours and for the soft mask), which draws the seal as garbage: the
 * declaration made to match the data. */
static void fix_depth(HPDF_Dict image, size_t pixels, size_t channels)
{
    if (image && image->stream && HPDF_Image_GetBitsPerComponent(image) == 16 &&
        image->stream->size == pixels * channels)
        HPDF_Dict_AddNumber(image, "BitsPerComponent", 8);
}

/* The seal's colours, 8 bits a sample in DeviceRGB or DeviceGray
 * (*channels), from what libharu made of the PNG: grey, RGB or a palette
 * of either; NULL when it is none of them. */
static unsigned char *seal_colours(HPDF_Image img, size_t w, size_t h, size_t *channels)
{
    const char *cs = HPDF_Image_GetColorSpace(img);
    size_t bpc = HPDF_Image_GetBitsPerComponent(img);
    unsigned char *data = stream_bytes(img->stream);
    size_t size = img->stream ? img->stream->size : 0;
    if (!cs || !data)
        goto fail;
    if (!strcmp(cs, "DeviceRGB") || !strcmp(cs, "DeviceGray")) {
        *channels = cs[6] == 'R' ? 3 : 1;
        if (size == w * h * *channels)
            return data;
        if (size == 2 * w * h * *channels) { /* 16 bits: the high bytes */
            for (size_t i = 0; i < w * h * *channels; i++)
                data[i] = data[2 * i];
            return data;
        }
        goto fail;
    }
    if (strcmp(cs, "Indexed") != 0 || (bpc != 1 && bpc != 2 && bpc != 4 && bpc != 8))
        goto fail;
    HPDF_Array space = HPDF_Dict_GetItem(img, "ColorSpace", HPDF_OCLASS_ARRAY);
    HPDF_Name base = space ? HPDF_Array_GetItem(space, 1, HPDF_OCLASS_NAME) : NULL;
    HPDF_Binary lookup = space ? HPDF_Array_GetItem(space, 3, HPDF_OCLASS_BINARY) : NULL;
    size_t row = (w * bpc + 7) / 8;
    if (!base || !lookup || size != row * h)
        goto fail;
    *channels = !strcmp(base->value, "DeviceRGB") ? 3 : !strcmp(base->value, "DeviceGray") ? 1 : 0;
    const unsigned char *table = HPDF_Binary_GetValue(lookup);
    size_t entries = *channels ? HPDF_Binary_GetLen(lookup) / *channels : 0;
    if (!entries)
        goto fail;
    unsigned char *out = xmalloc(w * h * *channels + 1);
    for (size_t y = 0; y < h; y++)
        for (size_t x = 0; x < w; x++) {
            size_t bit = x * bpc;
            unsigned v = data[y * row + bit / 8] >> (8 - bpc - bit % 8) & ((1u << bpc) - 1);
            if (v >= entries)
                v = 0;
            memcpy(out + (y * w + x) * *channels, table + v * *channels, *channels);
        }
    free(data);
    return out;
fail:
    free(data);
    return NULL;
}

/* The alpha channel, 8 bits a pixel. */
static unsigned char *seal_alpha(HPDF_Dict smask, size_t w, size_t h)
{
    unsigned char *a = stream_bytes(smask->stream);
    size_t size = smask->stream->size;
    if (a && size == 2 * w * h)
        for (size_t i = 0; i < w * h; i++)
            a[i] = a[2 * i];
    else if (a && size != w * h) {
        free(a);
        a = NULL;
    }
    return a;
}

/* libharu decodes the PNG (with the libpng it is linked with) into an
 * image of its colours and a soft mask of its alpha.  Flattened, both are
 * rewritten in place: the colours composited on white, the soft mask a
 * 1-bit stencil mask that the image names as /Mask (a PDF 1.3 feature
 * that PDF/A-1 allows). */
static int flatten(HPDF_Image img, HPDF_Dict smask, const char *path, diag_list *diags)
{
    size_t w = HPDF_Image_GetWidth(img), h = HPDF_Image_GetHeight(img), channels = 0;
    unsigned char *colour = seal_colours(img, w, h, &channels);
    unsigned char *alpha = colour ? seal_alpha(smask, w, h) : NULL;
    if (!alpha) {
        free(colour);
        diag_add(diags, DIAG_ERROR, path, 0,
                 "this seal cannot be flattened for --pdfa (libharu read it in a form not known "
                 "here); save it as an RGBA PNG (32 bits a pixel)");
        return -1;
    }
    size_t row = (w + 7) / 8;
    unsigned char *mask = xcalloc(row * h + 1, 1);
    for (size_t y = 0; y < h; y++)
        for (size_t x = 0; x < w; x++) {
            unsigned a = alpha[y * w + x];
            unsigned char *c = colour + (y * w + x) * channels;
            for (size_t k = 0; k < channels; k++)
                c[k] = (unsigned char)((c[k] * a + 255 * (255 - a) + 127) / 255);
            if (a < 128) /* a mask sample of 1 leaves the page as it is */
                mask[y * row + x / 8] |= (unsigned char)(0x80 >> (x % 8));
        }
    HPDF_STATUS ret = stream_replace(img->stream, colour, w * h * channels);
    ret += stream_replace(smask->stream, mask, row * h);
    free(colour);
    free(alpha);
    free(mask);
    ret += HPDF_Dict_AddName(img, "ColorSpace", channels == 3 ? "DeviceRGB" : "DeviceGray");
    ret += HPDF_Dict_AddNumber(img, "BitsPerComponent", 8);
    HPDF_Dict_RemoveElement(smask, "ColorSpace");
    HPDF_Dict_RemoveElement(smask, "Decode");
    ret += HPDF_Dict_AddNumber(smask, "BitsPerComponent", 1);
    ret += HPDF_Dict_AddBoolean(smask, "ImageMask", HPDF_TRUE);
    ret += HPDF_Dict_RemoveElement(img, "SMask");
    ret += HPDF_Dict_Add(img, "Mask", smask);
    if (ret != HPDF_OK) {
        diag_add(diags, DIAG_ERROR, path, 0, "libharu could not flatten this seal for --pdfa");
        return -1;
    }
    return 0;
}

HPDF_Image pdfa_load_seal(HPDF_Doc doc, const char *path, int flat, diag_list *diags)
{
    HPDF_Image img = HPDF_LoadPngImageFromFile(doc, path);
    if (!img) {
        diag_add(diags, DIAG_ERROR, path, 0, "cannot use this seal image (a PNG file)");
        return NULL;
    }
    size_t pixels = (size_t)HPDF_Image_GetWidth(img) * HPDF_Image_GetHeight(img);
    const char *cs = HPDF_Image_GetColorSpace(img);
    fix_depth(img, pixels, cs && !strcmp(cs, "DeviceRGB") ? 3 : 1);
    HPDF_Dict smask = HPDF_Dict_GetItem(img, "SMask", HPDF_OCLASS_DICT);
    if (!smask)
        return img; /* no alpha: nothing transparent */
    fix_depth(smask, pixels, 1);
    smask->filter = img->filter; /* libharu leaves the soft mask uncompressed */
    return !flat || flatten(img, smask, path, diags) == 0 ? img : NULL;
}
