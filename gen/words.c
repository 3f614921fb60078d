/* Words: ICU's word break iterator over code points (words.h). */
#include "words.h"

#include <stdlib.h>
#include <string.h>
#include <unicode/ubrk.h>
#include <unicode/utypes.h>

#include "util.h"

/* The iterator and the UTF-16 copy of the text, kept from call to call:
 * a table asks for thousands of cells, and opening an iterator each time
 * would cost more than the segmenting.  For one thread (words.h). */
static struct words_state {
    UBreakIterator *it;
    int failed; /* ICU could not open the iterator: never try again */
    UChar *u16;
    int32_t *cp_at; /* for each UTF-16 unit, the index of its code point */
    size_t cap;     /* of u16 and cp_at, in units */
} words;

/* The last texts segmented, by a hash of their code points: the cells of
 * a long table repeat (a certificate type, a finding, an action taken),
 * and ICU's dictionary walk is most of what segmenting costs.  Only short
 * texts; a slot holds the last text that hashed to it.  For one thread
 * (words.h), like the iterator. */
#define WORDS_CACHE_SLOTS 1024
#define WORDS_CACHE_MAX 48 /* code points */

typedef struct words_cached {
    size_t n; /* 0: empty */
    uint32_t cps[WORDS_CACHE_MAX];
    unsigned char boundary[WORDS_CACHE_MAX];
} words_cached;

static words_cached *words_cache;

static size_t words_hash(const uint32_t *cps, size_t n)
{
    uint64_t h = 1469598103934665603u; /* FNV-1a over the code points */
    for (size_t i = 0; i < n; i++)
        h = (h ^ cps[i]) * 1099511628211u;
    return (size_t)(h % WORDS_CACHE_SLOTS);
}

static words_cached *words_cache_slot(const uint32_t *cps, size_t n)
{
    if (n > WORDS_CACHE_MAX)
        return NULL;
    if (!words_cache)
        words_cache = xcalloc(WORDS_CACHE_SLOTS, sizeof *words_cache);
    return &words_cache[words_hash(cps, n)];
}

static int words_open(void)
{
    if (words.it || words.failed)
        return words.it != NULL;
    UErrorCode status = U_ZERO_ERROR;
    words.it = ubrk_open(UBRK_WORD, "zh", NULL, 0, &status);
    if (U_FAILURE(status)) {
        words.it = NULL;
        words.failed = 1;
    }
    return words.it != NULL;
}

/* cps as UTF-16 in words.u16; returns its length in units. */
static size_t words_to_utf16(const uint32_t *cps, size_t n)
{
    if (2 * n > words.cap) {
        words.cap = 2 * n > 256 ? 2 * n : 256;
        free(words.u16);
        free(words.cp_at);
        words.u16 = xmalloc(words.cap * sizeof *words.u16);
        words.cp_at = xmalloc(words.cap * sizeof *words.cp_at);
    }
    size_t len = 0;
    for (size_t i = 0; i < n; i++) {
        uint32_t cp = cps[i];
        if (cp >= 0x10000 && cp <= 0x10FFFF) {
            words.cp_at[len] = (int32_t)i;
            words.u16[len++] = (UChar)(0xD800 + ((cp - 0x10000) >> 10));
            words.cp_at[len] = (int32_t)i;
            words.u16[len++] = (UChar)(0xDC00 + ((cp - 0x10000) & 0x3FF));
        } else {
            int valid = cp < 0xD800 || (cp > 0xDFFF && cp < 0x10000);
            words.cp_at[len] = (int32_t)i;
            words.u16[len++] = valid ? (UChar)cp : (UChar)0xFFFD;
        }
    }
    return len;
}

static int words_segment(const uint32_t *cps, size_t n, unsigned char *boundary);

int words_boundaries(const uint32_t *cps, size_t n, unsigned char *boundary)
{
    if (n == 0)
        return 1;
    words_cached *slot = words_cache_slot(cps, n);
    if (slot && slot->n == n && memcmp(slot->cps, cps, n * sizeof *cps) == 0) {
        memcpy(boundary, slot->boundary, n);
        return 1;
    }
    if (!words_segment(cps, n, boundary))
        return 0;
    if (slot) {
        slot->n = n;
        memcpy(slot->cps, cps, n * sizeof *cps);
        memcpy(slot->boundary, boundary, n);
    }
    return 1;
}

static int words_segment(const uint32_t *cps, size_t n, unsigned char *boundary)
{
    if (n > INT32_MAX / 2 || !words_open()) {
        for (size_t i = 0; i < n; i++)
            boundary[i] = i > 0;
        return 0;
    }
    size_t len = words_to_utf16(cps, n);
    UErrorCode status = U_ZERO_ERROR;
    ubrk_setText(words.it, words.u16, (int32_t)len, &status);
    if (U_FAILURE(status)) {
        for (size_t i = 0; i < n; i++)
            boundary[i] = i > 0;
        return 0;
    }
    for (size_t i = 0; i < n; i++)
        boundary[i] = 0;
    for (int32_t at = ubrk_first(words.it); at != UBRK_DONE; at = ubrk_next(words.it))
        if (at > 0 && (size_t)at < len)
            boundary[words.cp_at[at]] = 1;
    /* (ICU never ends a word between the two halves of a surrogate pair,
     * and an invalid code point is U+FFFD, a word of its own) */
    return 1;
}

void words_release(void)
{
    if (words.it)
        ubrk_close(words.it);
    free(words.u16);
    free(words.cp_at);
    words = (struct words_state){0};
    free(words_cache);
    words_cache = NULL;
}
