/* UTF-8: strict decoding (Unicode Table 3-7: no overlongs, no surrogates,
 * nothing past U+10FFFF) and encoding.  Every stage that reads or writes
 * text uses it: load checks whole files with it, layout decodes runs, the
 * pdf stage and the CSV importer walk strings with it. */
#include "utf8.h"

#include <stdlib.h>

#include "util.h"

/* What a lead byte allows (Unicode Table 3-7, "well-formed UTF-8 byte
 * sequences"): the sequence length and the range of the second byte.  The
 * narrowed ranges after E0, ED, F0 and F4 are what rule out overlongs,
 * surrogates and code points past U+10FFFF. */
typedef struct {
    int len;               /* 0: this byte cannot start a sequence */
    unsigned char lo, hi;  /* allowed second byte */
} utf8_lead;

static utf8_lead utf8_lead_of(unsigned char b)
{
    if (b < 0x80)
        return (utf8_lead){1, 0, 0};
    if (b < 0xC2) /* continuation byte, or C0/C1 (always overlong) */
        return (utf8_lead){0, 0, 0};
    if (b < 0xE0)
        return (utf8_lead){2, 0x80, 0xBF};
    if (b == 0xE0)
        return (utf8_lead){3, 0xA0, 0xBF};
    if (b == 0xED)
        return (utf8_lead){3, 0x80, 0x9F};
    if (b < 0xF0)
        return (utf8_lead){3, 0x80, 0xBF};
    if (b == 0xF0)
        return (utf8_lead){4, 0x90, 0xBF};
    if (b < 0xF4)
        return (utf8_lead){4, 0x80, 0xBF};
    if (b == 0xF4)
        return (utf8_lead){4, 0x80, 0x8F};
    return (utf8_lead){0, 0, 0}; /* F5..FF would encode past U+10FFFF */
}

/* Length of the well-formed sequence starting at s (avail bytes left),
 * or 0 when it is not one. */
static int utf8_sequence_length(const unsigned char *s, size_t avail)
{
    utf8_lead lead = utf8_lead_of(s[0]);
    if (lead.len == 0 || (size_t)lead.len > avail)
        return 0;
    if (lead.len > 1 && (s[1] < lead.lo || s[1] > lead.hi))
        return 0;
    for (int k = 2; k < lead.len; k++)
        if ((s[k] & 0xC0) != 0x80)
            return 0;
    return lead.len;
}

static uint32_t utf8_sequence_value(const unsigned char *s, int len)
{
    static const unsigned char lead_bits[5] = {0, 0x7F, 0x1F, 0x0F, 0x07};
    uint32_t cp = s[0] & lead_bits[len];
    for (int k = 1; k < len; k++)
        cp = (cp << 6) | (s[k] & 0x3F);
    return cp;
}

/* Validate first and count, so the array is allocated at its exact size
 * and nothing is allocated for bad input. */
static long utf8_count(const unsigned char *s, size_t len, size_t *bad_offset)
{
    long n = 0;
    for (size_t i = 0; i < len; n++) {
        /* the common cases first: ASCII, and the three-byte sequences
         * whose second byte may be any continuation byte (E1..EC, EE,
         * EF: most of the BMP, all the common ideographs) */
        unsigned char b = s[i];
        if (b < 0x80) {
            i++;
            continue;
        }
        if (b >= 0xE1 && b <= 0xEF && b != 0xED && len - i >= 3 && (s[i + 1] & 0xC0) == 0x80 &&
            (s[i + 2] & 0xC0) == 0x80) {
            i += 3;
            continue;
        }
        int k = utf8_sequence_length(s + i, len - i);
        if (k == 0) {
            if (bad_offset)
                *bad_offset = i;
            return -1;
        }
        i += (size_t)k;
    }
    return n;
}

long utf8_length(const char *s, size_t len, size_t *bad_offset)
{
    return utf8_count((const unsigned char *)s, len, bad_offset);
}

long utf8_decode(const char *s, size_t len, uint32_t **out, size_t *bad_offset)
{
    const unsigned char *u = (const unsigned char *)s;
    *out = NULL;
    long n = utf8_count(u, len, bad_offset);
    if (n < 0)
        return -1;
    uint32_t *cps = xmalloc((size_t)n * sizeof *cps);
    for (size_t i = 0, j = 0; i < len; j++) {
        int k = utf8_sequence_length(u + i, len - i);
        cps[j] = utf8_sequence_value(u + i, k);
        i += (size_t)k;
    }
    *out = cps;
    return n;
}

int utf8_next(const char *s, size_t avail, uint32_t *cp)
{
    const unsigned char *u = (const unsigned char *)s;
    int k = avail > 0 ? utf8_sequence_length(u, avail) : 0;
    if (k > 0)
        *cp = utf8_sequence_value(u, k);
    return k;
}

int utf8_encode(uint32_t cp, char buf[4])
{
    /* A surrogate or a value past U+10FFFF has no UTF-8 form: write the
     * replacement character rather than bytes no reader accepts. */
    if ((cp >= 0xD800 && cp <= 0xDFFF) || cp > 0x10FFFF)
        cp = 0xFFFD;
    if (cp < 0x80) {
        buf[0] = (char)cp;
        return 1;
    }
    if (cp < 0x800) {
        buf[0] = (char)(0xC0 | (cp >> 6));
        buf[1] = (char)(0x80 | (cp & 0x3F));
        return 2;
    }
    if (cp < 0x10000) {
        buf[0] = (char)(0xE0 | (cp >> 12));
        buf[1] = (char)(0x80 | ((cp >> 6) & 0x3F));
        buf[2] = (char)(0x80 | (cp & 0x3F));
        return 3;
    }
    buf[0] = (char)(0xF0 | (cp >> 18));
    buf[1] = (char)(0x80 | ((cp >> 12) & 0x3F));
    buf[2] = (char)(0x80 | ((cp >> 6) & 0x3F));
    buf[3] = (char)(0x80 | (cp & 0x3F));
    return 4;
}
