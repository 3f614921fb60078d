/* The CFF table of a subset, read as far as the PDF needs: which CID
 * each glyph has.  A CID-keyed CFF (a CJK font's: it has the ROS
 * operator) names each glyph's CID in its charset, and HarfBuzz's
 * subsetter keeps the font's own CIDs while it renumbers the glyphs; a
 * name-keyed CFF (a Latin .otf) has none, and a PDF reader takes the CIDs
 * of its CIDFontType0 as glyph ids (PDF 32000-1 9.7.4.2). */
#include <stdlib.h>
#include <string.h>

#include "font_internal.h"
#include "util.h"

typedef struct span {
    const unsigned char *p;
    size_t len;
} span;

static unsigned get16(const unsigned char *p) { return (unsigned)p[0] << 8 | p[1]; }

/* An offset of `size` bytes (1 to 4). */
static size_t get_off(const unsigned char *p, unsigned size)
{
    size_t v = 0;
    for (unsigned i = 0; i < size; i++)
        v = v << 8 | p[i];
    return v;
}

/* The INDEX at `at` of the table: its count, its first item (when it has
 * one) and where it ends; -1 when it does not fit. */
static int read_index(span c, size_t at, size_t *count, span *first, size_t *end)
{
    if (at > c.len || c.len - at < 2)
        return -1;
    *count = get16(c.p + at);
    *first = (span){NULL, 0};
    if (*count == 0) {
        *end = at + 2;
        return 0;
    }
    if (c.len - at < 3)
        return -1;
    unsigned size = c.p[at + 2];
    if (size < 1 || size > 4 || (c.len - at - 3) / size < *count + 1)
        return -1;
    const unsigned char *offs = c.p + at + 3;
    size_t base = at + 3 + (*count + 1) * size - 1; /* offsets count from 1 */
    size_t o0 = get_off(offs, size), o1 = get_off(offs + size, size),
           last = get_off(offs + *count * size, size);
    if (o0 != 1 || o1 < o0 || last < o1 || last > c.len - base)
        return -1;
    *first = (span){c.p + base + o0, o1 - o0};
    *end = base + last;
    return 0;
}

typedef struct top_dict {
    long charstrings, charset;
    int cid_keyed;
} top_dict;

/* The Top DICT's operators the PDF needs (CFF spec, 4 and 9). */
static int read_top(span d, top_dict *top)
{
    long operand = -1;
    *top = (top_dict){-1, 0, 0};
    for (size_t i = 0; i < d.len;) {
        unsigned b = d.p[i];
        if (b <= 21) {
            unsigned op = b;
            if (b == 12) {
                if (i + 1 >= d.len)
                    return -1;
                op = 1200 + d.p[i + 1];
                i++;
            }
            i++;
            if (op == 17)
                top->charstrings = operand;
            else if (op == 15)
                top->charset = operand;
            else if (op == 1230)
                top->cid_keyed = 1;
            operand = -1;
        } else if (b == 28) {
            if (d.len - i < 3)
                return -1;
            operand = (long)(int16_t)get16(d.p + i + 1);
            i += 3;
        } else if (b == 29) {
            if (d.len - i < 5)
                return -1;
            operand = (long)(int32_t)get_off(d.p + i + 1, 4);
            i += 5;
        } else if (b == 30) { /* a real: nibbles up to an 0xF */
            for (i++; i < d.len && (d.p[i] & 0x0F) != 0x0F && (d.p[i] >> 4) != 0x0F; i++)
                ;
            i++;
            operand = -1;
        } else if (b >= 32 && b <= 246) {
            operand = (long)b - 139;
            i++;
        } else if (b >= 247 && b <= 254) {
            if (d.len - i < 2)
                return -1;
            /* 247..250: +108 .. +1131; 251..254: -108 .. -1131 */
            long w = (long)(b <= 250 ? b - 247 : b - 251) * 256 + d.p[i + 1] + 108;
            operand = b <= 250 ? w : -w;
            i += 2;
        } else
            return -1; /* reserved */
    }
    return top->charstrings > 0 ? 0 : -1;
}

/* The charset at `at`: the CID of glyphs 1 .. n-1 (glyph 0 is CID 0),
 * and where it ends. */
static int read_charset(span c, size_t at, uint16_t *cids, size_t n, size_t *end)
{
    if (at >= c.len)
        return -1;
    unsigned format = c.p[at];
    size_t p = at + 1, g = 1;
    if (format == 0) {
        if ((c.len - p) / 2 < n - 1)
            return -1;
        for (; g < n; g++, p += 2)
            cids[g] = (uint16_t)get16(c.p + p);
        *end = p;
        return 0;
    }
    if (format != 1 && format != 2)
        return -1;
    size_t rec = format == 1 ? 3 : 4;
    while (g < n) {
        if (c.len - p < rec)
            return -1;
        unsigned first = get16(c.p + p);
        size_t left = format == 1 ? c.p[p + 2] : get16(c.p + p + 2);
        p += rec;
        for (size_t k = 0; k <= left && g < n; k++, g++) {
            if (first + k > 0xFFFF)
                return -1;
            cids[g] = (uint16_t)(first + k);
        }
    }
    *end = p;
    return 0;
}

/* The Top DICT of a CFF table of n glyphs (its header, Name and Top
 * DICT INDEX read, its CharStrings counted): 0, or -1. */
static int read_font(span c, top_dict *top, size_t n)
{
    if (c.len < 4 || c.p[0] != 1 || c.p[2] < 4 || c.p[2] >= c.len)
        return -1;
    size_t count, at;
    span first;
    /* Name INDEX, then the Top DICT INDEX (one font in an OpenType CFF) */
    if (read_index(c, c.p[2], &count, &first, &at) != 0 || count != 1 ||
        read_index(c, at, &count, &first, &at) != 0 || count != 1)
        return -1;
    if (read_top(first, top) != 0 ||
        read_index(c, (size_t)top->charstrings, &count, &first, &at) != 0 || count != n ||
        n == 0)
        return -1;
    return top->charset < 0 ? -1 : 0;
}

int font_cff_cids(const unsigned char *cff, size_t len, uint16_t *cids, size_t n)
{
    span c = {cff, len};
    top_dict top;
    if (read_font(c, &top, n) != 0)
        return -1;
    cids[0] = 0;
    if (!top.cid_keyed || top.charset == 0) {
        /* glyph ids; a CID-keyed font with charset 0 (ISOAdobe, which a
         * CID font cannot mean) is read as its glyphs in CID order */
        for (size_t g = 0; g < n; g++)
            cids[g] = (uint16_t)g;
        return 0;
    }
    size_t end;
    return read_charset(c, (size_t)top.charset, cids, n, &end);
}

int font_cff_dense_cids(unsigned char *cff, size_t len, size_t n)
{
    span c = {cff, len};
    top_dict top;
    if (n < 2 || read_font(c, &top, n) != 0 || !top.cid_keyed || top.charset == 0)
        return 0;
    uint16_t *cids = xmalloc((n + 1) * sizeof *cids);
    size_t at = (size_t)top.charset, end = at;
    int ok = read_charset(c, at, cids, n, &end) == 0;
    free(cids);
    /* glyphs 1 .. n-1 as CIDs 1 .. n-1: one range, format 2 (five bytes)
     * or format 1 (four, when it fits a byte), in the charset's own room */
    unsigned left = (unsigned)(n - 2);
    unsigned char range[5] = {2, 0, 1, (unsigned char)(left >> 8), (unsigned char)left};
    size_t size = 5;
    if (ok && end - at < 5 && left <= 0xFF) {
        range[0] = 1, range[3] = (unsigned char)left;
        size = 4;
    }
    if (!ok || end - at < size)
        return 0;
    memset(cff + at, 0, end - at);
    memcpy(cff + at, range, size);
    return 1;
}
