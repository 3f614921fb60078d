/* Subsets for embedding, and the codes the PDF's text uses.  libharu 2.3.0
 * carries text as 16-bit codes equal to Unicode, so a character beyond
 * U+FFFF (CJK Extension B and later, in real names) cannot pass through
 * it: such characters get private-use codes, and the subset's cmap is
 * rewritten (format 4, the one libharu reads) to map those codes to their
 * glyphs.  The PDF's ToUnicode map gives the real characters back. */
#include <hb-subset.h>
#include <stdlib.h>
#include <string.h>

#include "font_internal.h"
#include "util.h"

#define PUA_FIRST 0xE000
#define PUA_LAST 0xF8FF

static hb_face_t *subset_face(font_face *face)
{
    hb_subset_input_t *input = hb_subset_input_create_or_fail();
    if (!input)
        return NULL;
    hb_set_union(hb_subset_input_unicode_set(input), face->used);
    /* Hinting instructions are for screens at small sizes; print does
     * without them, and they are a large part of CJK fonts. */
    hb_subset_input_set_flags(input, HB_SUBSET_FLAGS_NO_HINTING);
    hb_face_t *sub = hb_subset_or_fail(face->face, input);
    hb_subset_input_destroy(input);
    return sub;
}

/* Private-use codes for the supplementary characters: a run of codes the
 * document does not use itself. */
static int assign_pua(font_face *face)
{
    hb_codepoint_t cp = HB_SET_VALUE_INVALID;
    size_t n = 0;
    while (hb_set_next(face->used, &cp))
        n += cp > 0xFFFF;
    if (n == 0)
        return 0;
    for (uint32_t base = PUA_FIRST; base + n - 1 <= PUA_LAST; base++) {
        hb_codepoint_t probe = base - 1;
        if (hb_set_next(face->used, &probe) && probe < base + n)
            continue; /* a code of the run is in use */
        face->pua_base = base;
        face->pua_cps = xmalloc(n * sizeof *face->pua_cps);
        cp = HB_SET_VALUE_INVALID;
        while (hb_set_next(face->used, &cp))
            if (cp > 0xFFFF)
                face->pua_cps[face->npua++] = cp;
        return 0;
    }
    return -1;
}

typedef struct cmap_entry {
    uint16_t code, glyph;
} cmap_entry;

static void put16(unsigned char *p, unsigned v)
{
    p[0] = (unsigned char)(v >> 8);
    p[1] = (unsigned char)v;
}

/* A cmap table with one format 4 subtable (Windows, Unicode BMP): one
 * segment per run of consecutive codes with consecutive glyphs. */
static hb_blob_t *format4_cmap(const cmap_entry *e, size_t n)
{
    size_t segs = 1; /* the final 0xFFFF segment */
    for (size_t i = 0; i < n; i++)
        segs += i == 0 || e[i].code != e[i - 1].code + 1 || e[i].glyph != e[i - 1].glyph + 1;
    size_t sub_len = 16 + 8 * segs, len = 12 + sub_len;
    unsigned char *t = xcalloc(len, 1);
    put16(t + 2, 1);                /* one subtable */
    put16(t + 4, 3), put16(t + 6, 1); /* Windows, Unicode BMP */
    t[8 + 3] = 12;                  /* its offset */
    unsigned char *s = t + 12;
    put16(s, 4), put16(s + 2, (unsigned)sub_len);
    unsigned pow2 = 1, log2 = 0;
    while (pow2 * 2 <= segs)
        pow2 *= 2, log2++;
    put16(s + 6, (unsigned)(2 * segs)), put16(s + 8, 2 * pow2), put16(s + 10, log2);
    put16(s + 12, (unsigned)(2 * segs - 2 * pow2));
    unsigned char *end = s + 14, *start = end + 2 * segs + 2, *delta = start + 2 * segs;
    size_t k = 0;
    for (size_t i = 0; i < n; k++) {
        size_t j = i;
        while (j + 1 < n && e[j + 1].code == e[j].code + 1 && e[j + 1].glyph == e[j].glyph + 1)
            j++;
        put16(start + 2 * k, e[i].code), put16(end + 2 * k, e[j].code);
        put16(delta + 2 * k, (unsigned)(e[i].glyph - e[i].code) & 0xFFFF);
        i = j + 1;
    }
    put16(start + 2 * k, 0xFFFF), put16(end + 2 * k, 0xFFFF), put16(delta + 2 * k, 1);
    return hb_blob_create((const char *)t, (unsigned)len, HB_MEMORY_MODE_READONLY_MAY_MAKE_WRITABLE, t,
                          free);
}

static int by_code(const void *a, const void *b)
{
    return (int)((const cmap_entry *)a)->code - (int)((const cmap_entry *)b)->code;
}

/* The subset's own cmap for BMP characters, private-use codes for the
 * others, in one format 4 table. */
static hb_blob_t *pua_cmap(const font_face *face, hb_face_t *sub)
{
    hb_font_t *font = hb_font_create(sub);
    size_t n = 0, cap = hb_set_get_population(face->used) + 1;
    cmap_entry *e = xmalloc(cap * sizeof *e);
    hb_codepoint_t cp = HB_SET_VALUE_INVALID, glyph;
    while (hb_set_next(face->used, &cp))
        if (cp <= 0xFFFF && hb_font_get_nominal_glyph(font, cp, &glyph))
            e[n++] = (cmap_entry){(uint16_t)cp, (uint16_t)glyph};
    for (size_t k = 0; k < face->npua; k++)
        if (hb_font_get_nominal_glyph(font, face->pua_cps[k], &glyph))
            e[n++] = (cmap_entry){(uint16_t)(face->pua_base + k), (uint16_t)glyph};
    hb_font_destroy(font);
    qsort(e, n, sizeof *e, by_code);
    hb_blob_t *cmap = format4_cmap(e, n);
    free(e);
    return cmap;
}

/* The font `sub` with one table replaced.  A subset face is a builder
 * face, which HarfBuzz 6 cannot list the tables of: read it back first. */
static hb_blob_t *with_table(hb_face_t *subset, hb_tag_t replaced, hb_blob_t *table)
{
    hb_blob_t *bytes = hb_face_reference_blob(subset);
    hb_face_t *sub = hb_face_create(bytes, 0);
    hb_blob_destroy(bytes);
    hb_face_t *builder = hb_face_builder_create();
    hb_tag_t tags[64];
    unsigned count = 64;
    hb_face_get_table_tags(sub, 0, &count, tags);
    for (unsigned i = 0; i < count; i++) {
        hb_blob_t *b = tags[i] == replaced ? hb_blob_reference(table) : hb_face_reference_table(sub, tags[i]);
        hb_face_builder_add_table(builder, tags[i], b);
        hb_blob_destroy(b);
    }
    hb_blob_t *font = hb_face_reference_blob(builder);
    hb_face_destroy(builder);
    hb_face_destroy(sub);
    return font;
}

int font_subset(font_face *face, const char **data, size_t *len)
{
    if (!face->subset) {
        if (assign_pua(face) != 0)
            return -1;
        hb_face_t *sub = subset_face(face);
        if (!sub)
            return -1;
        if (face->npua == 0) {
            face->subset = hb_face_reference_blob(sub);
        } else {
            hb_blob_t *cmap = pua_cmap(face, sub);
            face->subset = with_table(sub, HB_TAG('c', 'm', 'a', 'p'), cmap);
            hb_blob_destroy(cmap);
        }
        hb_face_destroy(sub);
    }
    unsigned n = 0;
    *data = hb_blob_get_data(face->subset, &n);
    *len = n;
    return n ? 0 : -1;
}

uint32_t font_pdf_code(const font_face *face, uint32_t cp)
{
    if (cp <= 0xFFFF)
        return cp;
    for (size_t k = 0; k < face->npua; k++)
        if (face->pua_cps[k] == cp)
            return face->pua_base + (uint32_t)k;
    return 0x3013; /* not reached: every drawn character was used */
}

size_t font_used_codes(const font_face *face, uint32_t **codes, uint32_t **cps)
{
    size_t n = 0, cap = hb_set_get_population(face->used) + 1;
    *codes = xmalloc(cap * sizeof **codes);
    *cps = xmalloc(cap * sizeof **cps);
    hb_codepoint_t cp = HB_SET_VALUE_INVALID;
    while (hb_set_next(face->used, &cp)) {
        (*codes)[n] = font_pdf_code(face, cp);
        (*cps)[n++] = cp;
    }
    return n;
}
