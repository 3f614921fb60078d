/* Unit tests for gen/utf8.c: strict UTF-8, decoded and encoded (overlongs,
 * surrogates, truncated sequences and values past U+10FFFF refused). */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "utf8.h"


static void test_round_trip(const char *s, size_t len, long expect_n)
{
    uint32_t *cps = NULL;
    size_t bad = 0;
    long n = utf8_decode(s, len, &cps, &bad);
    CHECK(n == expect_n, "decode of %zu bytes: %ld code points, want %ld", len,
          n, expect_n);
    if (n < 0)
        return;
    char buf[64];
    size_t at = 0;
    for (long i = 0; i < n && at + 4 <= sizeof buf; i++)
        at += (size_t)utf8_encode(cps[i], buf + at);
    CHECK(at == len && memcmp(buf, s, len) == 0, "round trip changed the bytes");
    free(cps);
}

static void test_utf8_values(void)
{
    /* A, 中, 𠮷 (U+20BB7, four bytes), é */
    const char *s = "A\xE4\xB8\xAD\xF0\xA0\xAE\xB7\xC3\xA9";
    uint32_t *cps = NULL;
    size_t bad = 0;
    long n = utf8_decode(s, strlen(s), &cps, &bad);
    CHECK(n == 4, "4 code points, got %ld", n);
    if (n == 4) {
        CHECK(cps[0] == 0x41, "A is U+%04X", (unsigned)cps[0]);
        CHECK(cps[1] == 0x4E2D, "中 is U+%04X", (unsigned)cps[1]);
        CHECK(cps[2] == 0x20BB7, "𠮷 is U+%04X", (unsigned)cps[2]);
        CHECK(cps[3] == 0xE9, "é is U+%04X", (unsigned)cps[3]);
    }
    free(cps);
    test_round_trip(s, strlen(s), 4);
    test_round_trip("a\0b", 3, 3); /* NUL is a valid character */
}

static void test_utf8_boundaries(void)
{
    static const struct {
        uint32_t cp;
        int len;
    } cases[] = {
        {0x00, 1},    {0x7F, 1},    {0x80, 2},     {0x7FF, 2},
        {0x800, 3},   {0xD7FF, 3},  {0xE000, 3},   {0xFFFF, 3},
        {0x10000, 4}, {0x20BB7, 4}, {0x10FFFF, 4},
    };
    for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
        char buf[4];
        int len = utf8_encode(cases[i].cp, buf);
        CHECK(len == cases[i].len, "U+%04X encodes in %d bytes, want %d",
              (unsigned)cases[i].cp, len, cases[i].len);
        uint32_t *cps = NULL;
        size_t bad = 0;
        long n = utf8_decode(buf, (size_t)len, &cps, &bad);
        CHECK(n == 1 && cps[0] == cases[i].cp, "U+%04X does not decode back",
              (unsigned)cases[i].cp);
        free(cps);
    }
}

static void test_utf8_encode_invalid(void)
{
    char buf[4];
    int len = utf8_encode(0xD800, buf);
    CHECK(len == 3 && memcmp(buf, "\xEF\xBF\xBD", 3) == 0,
          "a surrogate encodes as U+FFFD");
    len = utf8_encode(0x110000, buf);
    CHECK(len == 3 && memcmp(buf, "\xEF\xBF\xBD", 3) == 0,
          "past U+10FFFF encodes as U+FFFD");
}

static void expect_bad(const char *what, const char *s, size_t len,
                       size_t offset)
{
    static uint32_t sentinel;
    uint32_t *cps = &sentinel; /* must be reset to NULL */
    size_t bad = 999;
    long n = utf8_decode(s, len, &cps, &bad);
    CHECK(n == -1, "%s: decoded as %ld code points", what, n);
    CHECK(bad == offset, "%s: bad offset %zu, want %zu", what, bad, offset);
    CHECK(cps == NULL, "%s: *out not NULL on error", what);
}

static void test_utf8_invalid(void)
{
    expect_bad("lone continuation", "a\x80" "b", 3, 1);
    expect_bad("truncated 3-byte at end", "ab\xE4\xB8", 4, 2);
    expect_bad("truncated 4-byte at end", "\xF0\xA0\xAE", 3, 0);
    expect_bad("overlong C0 AF", "\xC0\xAF", 2, 0);
    expect_bad("overlong C1 BF", "x\xC1\xBF", 3, 1);
    expect_bad("overlong E0 80 AF", "\xE0\x80\xAF", 3, 0);
    expect_bad("overlong F0 80 80 AF", "\xF0\x80\x80\xAF", 4, 0);
    expect_bad("surrogate ED A0 80", "x\xED\xA0\x80", 4, 1);
    expect_bad("surrogate ED BF BF", "\xED\xBF\xBF", 3, 0);
    expect_bad("F5", "\xF5\x80\x80\x80", 4, 0);
    expect_bad("past U+10FFFF F4 90", "\xF4\x90\x80\x80", 4, 0);
    expect_bad("FF", "\xE4\xB8\xAD\xFF", 4, 3);
    expect_bad("bad continuation", "\xE4\x41\x80", 3, 0);
    expect_bad("lead then ASCII", "\xE4\xB8" "a", 3, 0);
    expect_bad("second error not reported", "ok\x80\x80", 4, 2);

    uint32_t *cps = NULL;
    size_t bad = 0;
    CHECK(utf8_decode("", 0, &cps, &bad) == 0, "empty input has 0 code points");
    free(cps);
    CHECK(utf8_decode("x\x80", 2, &cps, NULL) == -1,
          "a NULL bad_offset is allowed");
}

/* utf8_next agrees with utf8_decode, one code point at a time, and stops
 * at what is not well-formed. */
static void test_utf8_next(void)
{
    const char *s = "a\xC2\xA9\xE4\xB8\xAD\xF0\xA0\xAE\xB7";
    const uint32_t want[4] = {'a', 0xA9, 0x4E2D, 0x20BB7};
    const int lens[4] = {1, 2, 3, 4};
    size_t at = 0, len = strlen(s);
    for (int i = 0; i < 4; i++) {
        uint32_t cp = 0;
        int k = utf8_next(s + at, len - at, &cp);
        CHECK(k == lens[i] && cp == want[i], "code point %d: length %d, U+%04X", i, k,
              (unsigned)cp);
        at += (size_t)(k > 0 ? k : 1);
    }
    uint32_t cp = 0;
    CHECK(utf8_next(s, 0, &cp) == 0, "nothing left: 0");
    CHECK(utf8_next("\xE4\xB8", 2, &cp) == 0, "a truncated sequence: 0");
    CHECK(utf8_next("\xED\xA0\x80", 3, &cp) == 0, "a surrogate: 0");
    CHECK(utf8_next("\x80", 1, &cp) == 0, "a lone continuation byte: 0");
}

int main(void)
{
    test_utf8_values();
    test_utf8_boundaries();
    test_utf8_encode_invalid();
    test_utf8_invalid();
    test_utf8_next();
    return check_summary();
}
