/* Faces with CFF outlines: the CFF reader (font_cff_cids) on hand-built
 * tables, and font_subset's CFF path on hand-picked characters of Noto
 * Serif CJK SC (a CID-keyed CFF in a collection) and Latin Modern (a
 * name-keyed .otf). */
#define _GNU_SOURCE
#include <hb-ot.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "check.h"
#include "font.h"
#include "font_internal.h"
#include "font_open.h"
#include "font_pdf.h"
#include "pdf.h"

#define NOTO "/usr/share/fonts/opentype/noto/NotoSerifCJK-Regular.ttc"
#define NOTO_SC 2 /* the collection's face of family Noto Serif CJK SC (fc-query) */
#define LMROMAN "/usr/share/texmf/fonts/opentype/public/lm/lmroman10-regular.otf"

/* ---------------------------------------------------- hand-built CFF --- */

typedef struct buf {
    unsigned char b[512];
    size_t n;
} buf;

static void put(buf *o, const unsigned char *p, size_t n)
{
    memcpy(o->b + o->n, p, n);
    o->n += n;
}

static void byte(buf *o, unsigned v) { o->b[o->n++] = (unsigned char)v; }

/* a 5-byte integer operand (29) */
static void int5(buf *o, unsigned v)
{
    byte(o, 29), byte(o, v >> 24), byte(o, v >> 16 & 0xFF), byte(o, v >> 8 & 0xFF), byte(o, v & 0xFF);
}

/* A CFF table of `n` glyphs (each an endchar), CID-keyed (a ROS) or not,
 * its charset the bytes given (NULL: none, charset operand 0). */
static size_t make_cff(buf *o, int cid_keyed, size_t n, const unsigned char *charset, size_t clen)
{
    o->n = 0;
    put(o, (const unsigned char *)"\x01\x00\x04\x01", 4);
    put(o, (const unsigned char *)"\x00\x01\x01\x01\x02" "A", 6); /* Name INDEX: "A" */
    /* Top DICT: [ROS] charset CharStrings, offsets filled below */
    unsigned char top[32];
    buf t = {{0}, 0};
    if (cid_keyed) /* 391 392 0 ROS */
        put(&t, (const unsigned char *)"\x1c\x01\x87\x1c\x01\x88\x8b\x0c\x1e", 9);
    size_t dict_len = t.n + 12; /* two 5-byte operands and their operators */
    size_t top_at = o->n, strings_at = top_at + 5 + dict_len;
    size_t charstrings_at = strings_at + 4;            /* String and Global Subr INDEX: empty */
    size_t charset_at = charstrings_at + 3 + (n + 1) + n; /* offSize 1 */
    int5(&t, charset ? (unsigned)charset_at : 0), byte(&t, 15);
    int5(&t, (unsigned)charstrings_at), byte(&t, 17);
    memcpy(top, t.b, t.n);
    byte(o, 0), byte(o, 1), byte(o, 1), byte(o, 1), byte(o, (unsigned)(1 + dict_len));
    put(o, top, dict_len);
    put(o, (const unsigned char *)"\x00\x00\x00\x00", 4);
    byte(o, (unsigned)(n >> 8)), byte(o, n & 0xFF), byte(o, 1);
    for (size_t g = 0; g <= n; g++)
        byte(o, (unsigned)(1 + g));
    for (size_t g = 0; g < n; g++)
        byte(o, 14);
    if (charset)
        put(o, charset, clen);
    return o->n;
}

static void test_cff_reader(void)
{
    buf o;
    uint16_t cids[8];
    /* format 0: a CID per glyph after .notdef */
    static const unsigned char f0[] = {0, 0, 5, 0, 9, 0x02, 0xBC};
    size_t len = make_cff(&o, 1, 4, f0, sizeof f0);
    CHECK(font_cff_cids(o.b, len, cids, 4) == 0 && cids[0] == 0 && cids[1] == 5 && cids[2] == 9 &&
              cids[3] == 700,
          "charset format 0: 0 5 9 700 (%u %u %u %u)", cids[0], cids[1], cids[2], cids[3]);
    /* format 1: ranges of (first, nLeft as a byte) */
    static const unsigned char f1[] = {1, 0, 10, 1, 0x4E, 0x20, 0};
    len = make_cff(&o, 1, 4, f1, sizeof f1);
    CHECK(font_cff_cids(o.b, len, cids, 4) == 0 && cids[1] == 10 && cids[2] == 11 &&
              cids[3] == 0x4E20,
          "charset format 1: 10 11 19968 (%u %u %u)", cids[1], cids[2], cids[3]);
    /* format 2: nLeft as two bytes */
    static const unsigned char f2[] = {2, 0x01, 0x00, 0x00, 0x02};
    len = make_cff(&o, 1, 4, f2, sizeof f2);
    CHECK(font_cff_cids(o.b, len, cids, 4) == 0 && cids[1] == 256 && cids[3] == 258,
          "charset format 2: 256 .. 258 (%u %u)", cids[1], cids[3]);
    /* name-keyed: the glyph ids, whatever its charset (glyph names) says */
    len = make_cff(&o, 0, 4, f0, sizeof f0);
    CHECK(font_cff_cids(o.b, len, cids, 4) == 0 && cids[1] == 1 && cids[2] == 2 && cids[3] == 3,
          "a name-keyed CFF: CIDs are glyph ids (%u %u %u)", cids[1], cids[2], cids[3]);
    len = make_cff(&o, 1, 4, f0, sizeof f0);
    CHECK(font_cff_cids(o.b, len, cids, 5) == -1, "another glyph count than the font's: refused");
    CHECK(font_cff_cids(o.b, len - 3, cids, 4) == -1, "a charset cut short: refused");
    CHECK(font_cff_cids(o.b, 20, cids, 4) == -1, "a table cut short: refused");
    static const unsigned char bad[] = {7, 0, 1};
    len = make_cff(&o, 1, 4, bad, sizeof bad);
    CHECK(font_cff_cids(o.b, len, cids, 4) == -1, "an unknown charset format: refused");
    o.b[0] = 2;
    CHECK(font_cff_cids(o.b, len, cids, 4) == -1, "CFF version 2 is not read as CFF");
}

/* font_cff_dense_cids: a CID-keyed charset becomes glyph ids, in its own
 * bytes; what it cannot hold, or a name-keyed font, is left as it was. */
static void test_dense_cids(void)
{
    buf o;
    uint16_t cids[8];
    static const unsigned char f0[] = {0, 0, 5, 0, 9, 0x02, 0xBC, 0x10, 0x00};
    size_t len = make_cff(&o, 1, 5, f0, sizeof f0);
    CHECK(font_cff_dense_cids(o.b, len, 5) == 1 && font_cff_cids(o.b, len, cids, 5) == 0 &&
              cids[1] == 1 && cids[2] == 2 && cids[3] == 3 && cids[4] == 4,
          "format 0 (9 bytes) becomes one range: 1 2 3 4 (%u %u %u %u)", cids[1], cids[2],
          cids[3], cids[4]);
    CHECK(o.b[len - sizeof f0] == 2 && o.b[len - 1] == 0, "format 2, the rest zero");
    /* format 1, one range: four bytes, room for format 1 only */
    static const unsigned char f1[] = {1, 0x4E, 0x00, 2};
    len = make_cff(&o, 1, 4, f1, sizeof f1);
    CHECK(font_cff_dense_cids(o.b, len, 4) == 1 && font_cff_cids(o.b, len, cids, 4) == 0 &&
              o.b[len - 4] == 1 && cids[1] == 1 && cids[3] == 3,
          "a format 1 range of four bytes stays format 1: 1 .. 3 (%u %u)", cids[1], cids[3]);
    static const unsigned char two[] = {0, 0x4E, 0x00};
    len = make_cff(&o, 1, 2, two, sizeof two);
    CHECK(font_cff_dense_cids(o.b, len, 2) == 0 && font_cff_cids(o.b, len, cids, 2) == 0 &&
              cids[1] == 0x4E00,
          "a charset of three bytes cannot hold a range: left (%u)", cids[1]);
    len = make_cff(&o, 0, 5, f0, sizeof f0);
    unsigned char before[512];
    memcpy(before, o.b, len);
    CHECK(font_cff_dense_cids(o.b, len, 5) == 0 && memcmp(before, o.b, len) == 0,
          "a name-keyed CFF is left as it is");
}

/* A real subset's CFF table with a few bytes changed and cut at random
 * (a fixed seed): the reader and the rewriter stay within it, whatever
 * they find (the sanitizer build and valgrind would say otherwise). */
static void test_damaged(const char *cff, size_t len, size_t nglyphs)
{
    unsigned char *copy = malloc(len);
    uint16_t *cids = malloc((nglyphs + 1) * sizeof *cids);
    unsigned seed = 15, refused = 0, rounds = 3000;
    for (unsigned r = 0; r < rounds; r++) {
        memcpy(copy, cff, len);
        for (int k = 0; k < 1 + (int)(rand_r(&seed) % 4); k++) {
            /* mostly in the header, INDEXes and Top DICT, where offsets are */
            size_t at = rand_r(&seed) % 2 ? rand_r(&seed) % (len < 64 ? len : 64) : rand_r(&seed) % len;
            copy[at] = (unsigned char)rand_r(&seed);
        }
        size_t cut = rand_r(&seed) % 3 == 0 ? rand_r(&seed) % len : len;
        refused += font_cff_cids(copy, cut, cids, nglyphs) != 0;
        font_cff_dense_cids(copy, cut, nglyphs);
    }
    CHECK(refused > 0 && refused < rounds, "%u damaged copies of %u refused, none read out of bounds",
          refused, rounds);
    free(cids);
    free(copy);
}

/* ------------------------------------------------ subsets of real fonts --- */

static char *write_map(const char *body)
{
    static char path[] = "/tmp/gen-test-cff-XXXXXX";
    strcpy(path, "/tmp/gen-test-cff-XXXXXX");
    int fd = mkstemp(path);
    FILE *f = fdopen(fd, "w");
    fprintf(f, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<fonts>\n%s</fonts>\n", body);
    fclose(f);
    return path;
}

/* The ink box of character cp's glyph in the original font (HarfBuzz
 * reads it from the glyph's charstring), in font units: 0, or -1 when the
 * font has no glyph for it. */
static int original_extents(const char *path, unsigned index, uint32_t cp,
                            hb_glyph_extents_t *ext)
{
    hb_blob_t *blob = hb_blob_create_from_file(path);
    hb_face_t *face = hb_face_create(blob, index);
    hb_font_t *font = hb_font_create(face);
    hb_codepoint_t g = 0;
    int ok = hb_font_get_nominal_glyph(font, cp, &g) && hb_font_get_glyph_extents(font, g, ext);
    hb_font_destroy(font);
    hb_face_destroy(face);
    hb_blob_destroy(blob);
    return ok ? 0 : -1;
}

/* The ink box of the glyph the subset draws for code `code`: its CID (the
 * CFF's, as a PDF reader takes it) found among the subset's glyphs. */
static int subset_extents(const char *subset, size_t len, const uint16_t *all, size_t nglyphs,
                          unsigned cid, hb_glyph_extents_t *ext)
{
    size_t g = 0;
    while (g < nglyphs && all[g] != cid)
        g++;
    hb_blob_t *blob = hb_blob_create(subset, (unsigned)len, HB_MEMORY_MODE_READONLY, NULL, NULL);
    hb_face_t *face = hb_face_create(blob, 0);
    hb_font_t *font = hb_font_create(face);
    int ok = g < nglyphs && hb_font_get_glyph_extents(font, (hb_codepoint_t)g, ext);
    hb_font_destroy(font);
    hb_face_destroy(face);
    hb_blob_destroy(blob);
    return ok ? 0 : -1;
}

static void test_noto_subset(void)
{
    if (access(NOTO, R_OK) != 0) {
        CHECK(0, "%s is missing: make deps installs fonts-noto-cjk", NOTO);
        return;
    }
    char *map = write_map("<role name=\"宋体\"><font file=\"" NOTO "\" index=\"2\"/></role>\n");
    diag_list d = {0};
    font_set *set = font_set_load(map, pdf_font_probe, &d);
    CHECK(set && font_set_complete(set) && d.n == 0, "a CFF face of a collection passes the probe");
    if (!set)
        return;
    font_face *f = font_for_char(set, "宋体", 0x6C38);
    CHECK(f && font_is_cff(f), "Noto Serif CJK SC has CFF outlines");
    /* 永 (the eight strokes), A, 1, 。, and two pairs that share a glyph in
     * Noto: ⼀ (Kangxi radical) and 一, ⾦ and 金 */
    static const uint32_t chars[] = {0x6C38, 'A', '1', 0x3002, 0x2F00, 0x4E00, 0x2FA6, 0x91D1};
    const size_t nchars = sizeof chars / sizeof *chars;
    for (size_t i = 0; f && i < nchars; i++)
        font_use(f, chars[i]);
    const char *data = NULL;
    size_t len = 0;
    CHECK(f && font_subset(f, &data, &len) == 0 && len > 4 && data[0] == 1 && data[1] == 0,
          "the subset is a bare CFF table (version 1.0): %zu bytes", len);
    CHECK(len < 8000, "a subset of 7 glyphs is small: %zu bytes", len);
    uint16_t *all = NULL, *glyphs = NULL;
    int *widths = NULL;
    size_t nglyphs = f ? font_subset_cids(f, &all) : 0;
    /* HarfBuzz keeps the glyph of a variation sequence (cmap 14) of a
     * character used too: Noto has one here (CID 63028) */
    CHECK(nglyphs >= 7 && nglyphs <= 8, "6 glyphs and .notdef (and a variant): %zu", nglyphs);
    size_t ncodes = f ? font_code_glyphs(f, &glyphs, &widths) : 0;
    CHECK(ncodes == nchars, "a code per character: %zu", ncodes);
    if (all)
        test_damaged(data, len, nglyphs);
    int dense = nglyphs > 0;
    for (size_t g = 0; g < nglyphs; g++)
        dense &= all[g] == g;
    CHECK(dense, "its CIDs are its glyph ids (font_cff_dense_cids)");
    /* the whole subset font, for HarfBuzz to read its glyphs */
    const char *whole = hb_blob_get_data(f->subset, NULL);
    unsigned whole_len = hb_blob_get_length(f->subset);
    for (size_t i = 0; all && i < nchars; i++) {
        uint32_t code = font_pdf_code(f, chars[i]);
        size_t k = code - FONT_FIRST_CODE;
        hb_glyph_extents_t want = {0, 0, 0, 0}, got = {1, 1, 1, 1};
        int ok = k < ncodes && glyphs[k] < nglyphs &&
                 original_extents(NOTO, NOTO_SC, chars[i], &want) == 0 &&
                 subset_extents(whole, whole_len, all, nglyphs, all[glyphs[k]], &got) == 0;
        CHECK(ok && want.width > 0 && !memcmp(&want, &got, sizeof want),
              "U+%04X: code %04X draws the font's glyph for it (ink box %d %d %d %d, the "
              "font's %d %d %d %d)",
              chars[i], code, got.x_bearing, got.y_bearing, got.width, got.height, want.x_bearing,
              want.y_bearing, want.width, want.height);
    }
    uint32_t c1 = font_pdf_code(f, 0x2F00), c2 = font_pdf_code(f, 0x4E00);
    CHECK(c1 != c2 && glyphs[c1 - FONT_FIRST_CODE] == glyphs[c2 - FONT_FIRST_CODE],
          "⼀ and 一: codes of their own (%04X %04X), one glyph", c1, c2);
    CHECK(widths[font_pdf_code(f, 0x6C38) - FONT_FIRST_CODE] == 1000 &&
              widths[font_pdf_code(f, 'A') - FONT_FIRST_CODE] < 1000,
          "永 is an em wide, A narrower");
    free(all);
    free(glyphs);
    free(widths);
    font_set_free(set);
    diag_free(&d);
    unlink(map);
}

static void test_name_keyed(void)
{
    if (access(LMROMAN, R_OK) != 0) {
        CHECK(0, "%s is missing: make deps installs fonts-lmodern", LMROMAN);
        return;
    }
    char *map = write_map("<role name=\"宋体\"><font file=\"" LMROMAN "\"/></role>\n");
    diag_list d = {0};
    font_set *set = font_set_load(map, pdf_font_probe, &d);
    CHECK(set && font_set_complete(set) && d.n == 0, "a name-keyed CFF .otf passes the probe");
    font_face *f = set ? font_for_char(set, "宋体", 'g') : NULL;
    CHECK(f && font_is_cff(f), "Latin Modern has CFF outlines");
    if (!f) {
        font_set_free(set);
        return;
    }
    static const char text[] = "Ag19";
    for (const char *p = text; *p; p++)
        font_use(f, (uint32_t)*p);
    const char *data;
    size_t len;
    uint16_t *all = NULL;
    CHECK(font_subset(f, &data, &len) == 0 && data[0] == 1, "a bare CFF table");
    size_t n = font_subset_cids(f, &all);
    int identity = n == 5;
    for (size_t g = 0; identity && g < n; g++)
        identity = all[g] == g;
    CHECK(identity, "its CIDs are its glyph ids 0 .. 4 (%zu glyphs)", n);
    free(all);
    font_set_free(set);
    diag_free(&d);
    unlink(map);
}

/* font_file_check: CFF outlines pass, CFF2 and bitmaps are refused. */
#define FANDOL_FANG \
    "/usr/share/texlive/texmf-dist/fonts/opentype/public/fandol/FandolFang-Regular.otf"

static void test_kinds(void)
{
    int missing;
    char *why = NULL;
    hb_blob_t *blob = font_file_map(NOTO, &missing, &why);
    if (!blob) {
        CHECK(0, "%s cannot be read", NOTO);
        return;
    }
    why = font_file_check(blob, NOTO_SC);
    CHECK(why == NULL, "a CFF face of a collection passes: %s", why ? why : "");
    free(why);
    /* the face's table directory with its 'CFF ' renamed */
    unsigned n;
    const unsigned char *d = (const unsigned char *)hb_blob_get_data(blob, &n);
    size_t at = (size_t)d[12 + 4 * NOTO_SC] << 24 | d[13 + 4 * NOTO_SC] << 16 |
                d[14 + 4 * NOTO_SC] << 8 | d[15 + 4 * NOTO_SC];
    unsigned count = (unsigned)d[at + 4] << 8 | d[at + 5];
    static const char *const renames[][2] = {{"CFF2", "variable"}, {"EBDT", "bitmap"},
                                             {"zzzz", "no glyph outlines"}};
    for (size_t r = 0; r < 3; r++) {
        unsigned char *copy = malloc(n);
        memcpy(copy, d, n);
        for (unsigned i = 0; i < count; i++)
            if (!memcmp(copy + at + 12 + 16 * i, "CFF ", 4))
                memcpy(copy + at + 12 + 16 * i, renames[r][0], 4);
        hb_blob_t *b = hb_blob_create((const char *)copy, n, HB_MEMORY_MODE_READONLY, copy, free);
        why = font_file_check(b, NOTO_SC);
        CHECK(why && strstr(why, renames[r][1]), "a face with '%s' instead of 'CFF ': %s",
              renames[r][0], why ? why : "");
        free(why);
        hb_blob_destroy(b);
    }
    hb_blob_destroy(blob);

    /* FandolFang (the 仿宋 stand-in, texlive-lang-chinese): its Top DICT
     * gives the CharStrings offset, 228, as a two-byte operand (247 120),
     * which a reader taking (b & 3) for (b - 247) read as 996 */
    blob = font_file_map(FANDOL_FANG, &missing, &why);
    CHECK(blob != NULL, "%s can be read (make deps installs it)", FANDOL_FANG);
    if (blob) {
        why = font_file_check(blob, 0);
        CHECK(why == NULL, "FandolFang, a CID-keyed CFF .otf with two-byte operands, passes: %s",
              why ? why : "");
        free(why);
        hb_blob_destroy(blob);
    }
}

int main(void)
{
    test_cff_reader();
    test_dense_cids();
    test_noto_subset();
    test_name_keyed();
    test_kinds();
    return check_summary();
}
