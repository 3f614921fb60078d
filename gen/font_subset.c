/* Subsets for embedding, and the codes the PDF's text uses.
 *
 * libharu 2.3.0 carries text as 16-bit codes and makes them the CIDs of
 * the embedded font; left to itself it uses the Unicode value, which
 * cannot carry a character beyond U+FFFF (CJK Extension B and later, in
 * real names) and makes its CIDToGIDMap as long as the highest character
 * (about 80 KB for CJK text).  So every character the document uses with
 * a face gets a dense code instead: FONT_FIRST_CODE, the next, ..., in the
 * order of the subset's glyphs.  The subset's cmap is rewritten (format 4,
 * the one libharu reads) to map those codes to their glyphs: in glyph
 * order that is a handful of segments.  The PDF's ToUnicode map gives the
 * real characters back, and the pdf module writes a CIDToGIDMap and
 * widths of the codes used. */
#include <hb-ot.h>
#include <hb-subset.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "font_internal.h"
#include "util.h"

/* Codes stay below the surrogates, which have no UTF-8 form. */
#define LAST_CODE 0xD7FF

static hb_face_t *subset_face(font_face *face)
{
    hb_subset_input_t *input = hb_subset_input_create_or_fail();
    if (!input)
        return NULL;
    hb_set_union(hb_subset_input_unicode_set(input), face->used);
    /* Hinting instructions are for screens at small sizes; print does
     * without them, and they are a large part of CJK fonts.  CFF outlines
     * are written out whole, without subroutines (TrueType has none): the
     * subroutines HarfBuzz keeps are whole ones of the font, and deflate
     * finds the repeats itself (the notice in Noto Serif CJK: 84 KB
     * stored against 97 KB with them, its floor 81 KB). */
    hb_subset_input_set_flags(input, HB_SUBSET_FLAGS_NO_HINTING | HB_SUBSET_FLAGS_DESUBROUTINIZE);
    /* Text is drawn glyph by glyph from the cmap, never shaped from the
     * embedded font: without the layout tables the subset holds no
     * glyphs that only their substitutions reach (vertical forms,
     * ligatures), and libharu would not embed those tables anyway. */
    static const hb_tag_t layout[] = {HB_TAG('G', 'S', 'U', 'B'), HB_TAG('G', 'P', 'O', 'S'),
                                      HB_TAG('G', 'D', 'E', 'F'), HB_TAG('B', 'A', 'S', 'E'),
                                      HB_TAG('J', 'S', 'T', 'F'), HB_TAG('m', 'o', 'r', 'x'),
                                      HB_TAG('k', 'e', 'r', 'n'), HB_TAG('v', 'h', 'e', 'a'),
                                      HB_TAG('v', 'm', 't', 'x'), HB_TAG('V', 'O', 'R', 'G')};
    hb_set_t *drop = hb_subset_input_set(input, HB_SUBSET_SETS_DROP_TABLE_TAG);
    for (size_t i = 0; i < sizeof layout / sizeof *layout; i++)
        hb_set_add(drop, layout[i]);
    hb_face_t *sub = hb_subset_or_fail(face->face, input);
    hb_subset_input_destroy(input);
    return sub;
}

typedef struct cmap_entry {
    uint32_t cp;
    uint16_t code, glyph;
} cmap_entry;

static int by_glyph(const void *a, const void *b)
{
    const cmap_entry *x = a, *y = b;
    if (x->glyph != y->glyph)
        return x->glyph < y->glyph ? -1 : 1;
    return x->cp < y->cp ? -1 : x->cp > y->cp;
}

static int by_cp(const void *a, const void *b)
{
    const cmap_entry *x = a, *y = b;
    return x->cp < y->cp ? -1 : x->cp > y->cp;
}

/* The dense codes: every character used, in the order of its glyph in
 * the subset (characters of one glyph by code point).  Returns the
 * entries in code order, or NULL when there are more characters than
 * codes. */
static cmap_entry *assign_codes(font_face *face, hb_face_t *sub, size_t *count)
{
    size_t n = hb_set_get_population(face->used);
    if (n > LAST_CODE - FONT_FIRST_CODE + 1)
        return NULL;
    cmap_entry *e = xmalloc((n + 1) * sizeof *e);
    hb_font_t *font = hb_font_create(sub);
    hb_codepoint_t cp = HB_SET_VALUE_INVALID, glyph;
    size_t k = 0;
    while (hb_set_next(face->used, &cp)) {
        if (!hb_font_get_nominal_glyph(font, cp, &glyph))
            glyph = 0; /* not reached: layout uses a face only for what it has */
        e[k++] = (cmap_entry){cp, 0, (uint16_t)glyph};
    }
    hb_font_destroy(font);
    qsort(e, n, sizeof *e, by_glyph);
    for (k = 0; k < n; k++)
        e[k].code = (uint16_t)(FONT_FIRST_CODE + k);
    /* the face keeps characters (ascending) and their codes, for lookups */
    cmap_entry *by_char = xmalloc((n + 1) * sizeof *by_char);
    memcpy(by_char, e, n * sizeof *e);
    qsort(by_char, n, sizeof *by_char, by_cp);
    free(face->pua_cps);
    face->pua_cps = xmalloc((2 * n + 1) * sizeof *face->pua_cps);
    for (k = 0; k < n; k++) {
        face->pua_cps[k] = by_char[k].cp;
        face->pua_cps[n + k] = by_char[k].code;
    }
    free(by_char);
    face->npua = n;
    face->pua_base = FONT_FIRST_CODE;
    *count = n;
    return e;
}

static void put16(unsigned char *p, unsigned v)
{
    p[0] = (unsigned char)(v >> 8);
    p[1] = (unsigned char)v;
}

/* A cmap table with one format 4 subtable (Windows, Unicode BMP): one
 * segment per run of consecutive codes with consecutive glyphs.  The
 * entries are in code order; a glyph 0 entry maps nothing. */
static hb_blob_t *format4_cmap(const cmap_entry *e, size_t n)
{
    size_t segs = 1; /* the final 0xFFFF segment */
    for (size_t i = 0; i < n; i++)
        segs += e[i].glyph != 0 &&
                (i == 0 || e[i - 1].glyph == 0 || e[i].code != e[i - 1].code + 1 ||
                 e[i].glyph != e[i - 1].glyph + 1);
    size_t sub_len = 16 + 8 * segs, len = 12 + sub_len;
    unsigned char *t = xcalloc(len, 1);
    put16(t + 2, 1);                  /* one subtable */
    put16(t + 4, 3), put16(t + 6, 1); /* Windows, Unicode BMP */
    t[8 + 3] = 12;                    /* its offset */
    unsigned char *s = t + 12;
    put16(s, 4), put16(s + 2, (unsigned)sub_len);
    unsigned pow2 = 1, log2 = 0;
    while (pow2 * 2 <= segs)
        pow2 *= 2, log2++;
    put16(s + 6, (unsigned)(2 * segs)), put16(s + 8, 2 * pow2), put16(s + 10, log2);
    put16(s + 12, (unsigned)(2 * segs - 2 * pow2));
    unsigned char *end = s + 14, *start = end + 2 * segs + 2, *delta = start + 2 * segs;
    size_t k = 0;
    for (size_t i = 0; i < n;) {
        if (e[i].glyph == 0) {
            i++;
            continue;
        }
        size_t j = i;
        while (j + 1 < n && e[j + 1].glyph != 0 && e[j + 1].code == e[j].code + 1 &&
               e[j + 1].glyph == e[j].glyph + 1)
            j++;
        put16(start + 2 * k, e[i].code), put16(end + 2 * k, e[j].code);
        put16(delta + 2 * k, (unsigned)(e[i].glyph - e[i].code) & 0xFFFF);
        k++;
        i = j + 1;
    }
    put16(start + 2 * k, 0xFFFF), put16(end + 2 * k, 0xFFFF), put16(delta + 2 * k, 1);
    return hb_blob_create((const char *)t, (unsigned)len, HB_MEMORY_MODE_READONLY_MAY_MAKE_WRITABLE, t,
                          free);
}

/* The font `sub` with one table replaced.  A subset face is a builder
 * face, which HarfBuzz 6 cannot list the tables of: read it back first. */
/* libharu 2.3.0 writes a zero-length entry for each of cvt, fpgm and prep
 * that a font lacks (our subsets drop hinting), and it fails (INVALID_OBJECT
 * from its memory stream's seek, libharu issue #305) when such an entry
 * falls exactly on an 8 KB boundary of the font it is writing: whether it
 * does depends on the characters used.  Tiny stand-ins that do nothing
 * (a zero control value; PUSHB 0, POP) keep every entry non-empty. */
static void add_hinting_stubs(hb_face_t *builder, const hb_tag_t *tags, unsigned count)
{
    int glyf = 0; /* a CFF face's subset goes to the PDF as its CFF table alone */
    for (unsigned i = 0; i < count; i++)
        glyf |= tags[i] == HB_TAG('g', 'l', 'y', 'f');
    if (!glyf)
        return;
    static const char cvt[2] = {0, 0};
    static const char program[3] = {(char)0xB0, 0, 0x21};
    static const struct {
        hb_tag_t tag;
        const char *data;
        unsigned len;
    } stubs[] = {{HB_TAG('c', 'v', 't', ' '), cvt, 2},
                 {HB_TAG('f', 'p', 'g', 'm'), program, 3},
                 {HB_TAG('p', 'r', 'e', 'p'), program, 3}};
    for (size_t k = 0; k < sizeof stubs / sizeof *stubs; k++) {
        int present = 0;
        for (unsigned i = 0; i < count; i++)
            present |= tags[i] == stubs[k].tag;
        if (present)
            continue;
        hb_blob_t *b = hb_blob_create(stubs[k].data, stubs[k].len, HB_MEMORY_MODE_READONLY, NULL, NULL);
        hb_face_builder_add_table(builder, stubs[k].tag, b);
        hb_blob_destroy(b);
    }
}

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
    add_hinting_stubs(builder, tags, count);
    hb_blob_t *font = hb_face_reference_blob(builder);
    hb_face_destroy(builder);
    hb_face_destroy(sub);
    return font;
}

int font_is_cff(const font_face *face)
{
    hb_blob_t *glyf = hb_face_reference_table(face->face, HB_TAG('g', 'l', 'y', 'f'));
    hb_blob_t *cff = hb_face_reference_table(face->face, HB_TAG('C', 'F', 'F', ' '));
    int is = hb_blob_get_length(glyf) == 0 && hb_blob_get_length(cff) > 0;
    hb_blob_destroy(glyf);
    hb_blob_destroy(cff);
    return is;
}

static uint32_t get32(const unsigned char *p)
{
    return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3];
}

/* Where the table `tag` lies in a font file HarfBuzz wrote (one face,
 * its directory sound): 0, or -1 when it has none. */
static int find_table(const unsigned char *d, size_t n, hb_tag_t tag, size_t *off, size_t *len)
{
    if (n < 12)
        return -1;
    size_t count = (size_t)d[4] << 8 | d[5];
    for (size_t i = 0; i < count && 12 + 16 * (i + 1) <= n; i++) {
        const unsigned char *rec = d + 12 + 16 * i;
        uint64_t o = get32(rec + 8), l = get32(rec + 12);
        if (get32(rec) == tag && o + l <= n) {
            *off = (size_t)o, *len = (size_t)l;
            return 0;
        }
    }
    return -1;
}

/* A CFF subset whose CIDs are its glyph ids (font_cff_dense_cids), in
 * place of `subset`.  HarfBuzz keeps a CID-keyed font's own CIDs, a few
 * hundred scattered over 65,000 for a page of Chinese: the PDF's
 * Encoding would take a range for each and its CIDSet 8 KB of bits
 * (3.7 KB of the notice's 105 KB, compressed); dense, they take a range
 * for each run of codes and a bit each. */
static hb_blob_t *dense_cids(hb_blob_t *subset)
{
    unsigned n = 0;
    const char *data = hb_blob_get_data(subset, &n);
    size_t off, len;
    if (find_table((const unsigned char *)data, n, HB_TAG('C', 'F', 'F', ' '), &off, &len) != 0)
        return subset;
    hb_face_t *face = hb_face_create(subset, 0);
    size_t glyphs = hb_face_get_glyph_count(face);
    hb_face_destroy(face);
    char *copy = xmalloc(n);
    memcpy(copy, data, n);
    if (!font_cff_dense_cids((unsigned char *)copy + off, len, glyphs)) {
        free(copy);
        return subset;
    }
    hb_blob_destroy(subset);
    return hb_blob_create(copy, n, HB_MEMORY_MODE_WRITABLE, copy, free);
}

/* The subset's bytes, or for a CFF face its CFF table alone (the subset
 * keeps its cmap and hmtx for font_code_glyphs): 0, or -1. */
static int subset_data(const font_face *face, const char **data, size_t *len)
{
    unsigned n = 0;
    *data = hb_blob_get_data(face->subset, &n);
    *len = n;
    if (n && font_is_cff(face)) {
        size_t off, cff_len;
        if (find_table((const unsigned char *)*data, n, HB_TAG('C', 'F', 'F', ' '), &off,
                       &cff_len) != 0 || cff_len == 0)
            return -1;
        *data += off;
        *len = cff_len;
    }
    return n ? 0 : -1;
}

int font_subset(font_face *face, const char **data, size_t *len)
{
    if (!face->subset) {
        hb_face_t *sub = subset_face(face);
        if (!sub)
            return -1;
        size_t n = 0;
        cmap_entry *codes = assign_codes(face, sub, &n);
        if (!codes) {
            hb_face_destroy(sub);
            return -1;
        }
        hb_blob_t *cmap = format4_cmap(codes, n);
        face->subset = with_table(sub, HB_TAG('c', 'm', 'a', 'p'), cmap);
        hb_blob_destroy(cmap);
        free(codes);
        hb_face_destroy(sub);
        if (font_is_cff(face))
            face->subset = dense_cids(face->subset);
    }
    return subset_data(face, data, len);
}

size_t font_subset_cids(const font_face *face, uint16_t **cids)
{
    const char *cff;
    size_t len;
    *cids = NULL;
    if (!face->subset || !font_is_cff(face) || subset_data(face, &cff, &len) != 0)
        return 0;
    hb_face_t *sub = hb_face_create(face->subset, 0);
    size_t n = hb_face_get_glyph_count(sub);
    hb_face_destroy(sub);
    *cids = xmalloc((n + 1) * sizeof **cids);
    if (n == 0 || font_cff_cids((const unsigned char *)cff, len, *cids, n) != 0) {
        free(*cids);
        *cids = NULL;
        return 0;
    }
    return n;
}

uint32_t font_pdf_code(const font_face *face, uint32_t cp)
{
    size_t lo = 0, hi = face->npua;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (face->pua_cps[mid] < cp)
            lo = mid + 1;
        else
            hi = mid;
    }
    if (lo < face->npua && face->pua_cps[lo] == cp)
        return face->pua_cps[face->npua + lo];
    /* not reached: every drawn character was used; the code before the
     * first maps no glyph (.notdef) */
    return FONT_FIRST_CODE - 1;
}

size_t font_used_codes(const font_face *face, uint32_t **codes, uint32_t **cps)
{
    size_t n = face->npua;
    *codes = xmalloc((n + 1) * sizeof **codes);
    *cps = xmalloc((n + 1) * sizeof **cps);
    for (size_t k = 0; k < n; k++) {
        uint32_t code = face->pua_cps[n + k];
        (*codes)[code - FONT_FIRST_CODE] = code;
        (*cps)[code - FONT_FIRST_CODE] = face->pua_cps[k];
    }
    return n;
}

size_t font_code_glyphs(const font_face *face, uint16_t **glyphs, int **widths)
{
    size_t n = face->npua;
    *glyphs = xcalloc(n + 1, sizeof **glyphs);
    *widths = xcalloc(n + 1, sizeof **widths);
    if (!face->subset)
        return 0;
    hb_face_t *sub = hb_face_create(face->subset, 0);
    hb_font_t *font = hb_font_create(sub);
    unsigned upem = hb_face_get_upem(sub);
    for (size_t k = 0; k < n; k++) {
        hb_codepoint_t glyph = 0;
        hb_font_get_nominal_glyph(font, (hb_codepoint_t)(FONT_FIRST_CODE + k), &glyph);
        (*glyphs)[k] = (uint16_t)glyph;
        /* in font units: a new font's scale is its em */
        double adv = hb_font_get_glyph_h_advance(font, glyph);
        (*widths)[k] = (int)lround(adv * 1000.0 / (upem ? upem : 1000));
    }
    hb_font_destroy(font);
    hb_face_destroy(sub);
    return n;
}

int font_cap_height(const font_face *face)
{
    hb_position_t cap = 0;
    if (!hb_ot_metrics_get_position(face->font, HB_OT_METRICS_TAG_CAP_HEIGHT, &cap) || cap <= 0) {
        hb_font_extents_t ext;
        hb_font_get_h_extents(face->font, &ext);
        cap = ext.ascender;
    }
    int x_scale, y_scale;
    hb_font_get_scale(face->font, &x_scale, &y_scale);
    return (int)lround((double)cap * 1000.0 / (y_scale ? y_scale : 1000));
}

void font_box(const font_face *face, int box[4], int *ascent, int *descent)
{
    hb_blob_t *head = hb_face_reference_table(face->face, HB_TAG('h', 'e', 'a', 'd'));
    unsigned n = 0;
    const unsigned char *h = (const unsigned char *)hb_blob_get_data(head, &n);
    double unit = 1000.0 / (face->upem ? face->upem : 1000);
    for (int i = 0; i < 4; i++)
        box[i] = n >= 44 ? (int)lround((int16_t)(h[36 + 2 * i] << 8 | h[37 + 2 * i]) * unit) : 0;
    hb_blob_destroy(head);
    hb_font_extents_t ext;
    hb_font_get_h_extents(face->font, &ext);
    int x_scale, y_scale;
    hb_font_get_scale(face->font, &x_scale, &y_scale);
    double em = y_scale ? y_scale : 1000;
    *ascent = (int)lround(ext.ascender * 1000.0 / em);
    *descent = (int)lround(ext.descender * 1000.0 / em);
}

char *font_ps_name(const font_face *face)
{
    char name[64];
    unsigned len = sizeof name;
    if (!hb_ot_name_get_utf8(face->face, HB_OT_NAME_ID_POSTSCRIPT_NAME, HB_LANGUAGE_INVALID,
                             &len, name))
        name[0] = 0;
    /* a PDF name of the characters PostScript names are made of */
    char *out = xmalloc(sizeof name + 1), *o = out;
    for (const char *p = name; *p; p++)
        if ((*p >= 'A' && *p <= 'Z') || (*p >= 'a' && *p <= 'z') || (*p >= '0' && *p <= '9') ||
            *p == '-' || *p == '_' || *p == '.')
            *o++ = *p;
    *o = 0;
    if (!out[0])
        strcpy(out, "Font");
    return out;
}
