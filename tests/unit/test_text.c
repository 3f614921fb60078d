/* Unit tests for gen/text.c: the Chinese line-breaking rules, on strings
 * taken from a real notice (test_utf8.c tests the codec). */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "text.h"
#include "utf8.h"

/* ------------------------------------------------------------------ */
/* Character classes                                                   */

typedef int (*char_class)(uint32_t);

/* Every character of the UTF-8 string `chars` is (or is not) in the class. */
static void expect_class(const char *name, char_class in_class,
                         const char *chars, int want)
{
    uint32_t *cps = NULL;
    size_t bad = 0;
    long n = utf8_decode(chars, strlen(chars), &cps, &bad);
    CHECK(n > 0, "%s: test string does not decode", name);
    for (long i = 0; i < n; i++) {
        char buf[5] = {0};
        utf8_encode(cps[i], buf);
        CHECK(!!in_class(cps[i]) == want, "%s(%s U+%04X) should be %d", name,
              buf, (unsigned)cps[i], want);
    }
    free(cps);
}

static void test_kinsoku_classes(void)
{
    expect_class("start_forbidden", kinsoku_is_line_start_forbidden,
                 "。，、；：？！．）」』》〉】〕〗〙｝”’］)]},.;:?!%·・～々", 1);
    expect_class("start_forbidden", kinsoku_is_line_start_forbidden,
                 "（「『《〈【〔“‘中a1—… 　", 0);
    expect_class("end_forbidden", kinsoku_is_line_end_forbidden,
                 "（「『《〈【〔〖〘｛“‘［([{", 1);
    expect_class("end_forbidden", kinsoku_is_line_end_forbidden,
                 "）」』》〉】〕”’。，中a1—…)", 0);
    expect_class("squeezable", punct_is_squeezable,
                 "，。、；：？！（）「」『』《》〈〉【】〔〕“”‘’", 1);
    expect_class("squeezable", punct_is_squeezable, "中a1—…·,.()　 ", 0);
    expect_class("word_char", text_is_word_char,
                 "azAZ09éÀÿŁž０９ＡＺａｚ-.@/_:%+#&'~", 1);
    expect_class("word_char", text_is_word_char,
                 "中 　，。、（）()[],;!?×÷“”—…", 0);
}

/* ------------------------------------------------------------------ */
/* Line breaking                                                       */

/* `marked` is the text with '|' wherever a line may start; the expected
 * 0/1 string is derived from it and compared with the computed one. */
static void expect_breaks(const char *marked)
{
    size_t len = strlen(marked);
    char *text = malloc(len + 1), *want = malloc(len + 1);
    size_t tlen = 0, nwant = 0;
    int pending = 0;
    for (size_t i = 0; i < len; i++) {
        if (marked[i] == '|') {
            pending = 1;
            continue;
        }
        /* a new code point starts at every byte that is not 10xxxxxx */
        if (((unsigned char)marked[i] & 0xC0) != 0x80) {
            want[nwant++] = pending ? '1' : '0';
            pending = 0;
        }
        text[tlen++] = marked[i];
    }
    want[nwant] = '\0';

    uint32_t *cps = NULL;
    size_t bad = 0;
    long n = utf8_decode(text, tlen, &cps, &bad);
    CHECK(n == (long)nwant, "\"%s\": decoded %ld code points", marked, n);
    if (n == (long)nwant) {
        unsigned char *can = malloc(nwant ? nwant : 1);
        char *got = malloc(nwant + 1);
        linebreak_opportunities(cps, nwant, can);
        for (size_t i = 0; i < nwant; i++)
            got[i] = can[i] ? '1' : '0';
        got[nwant] = '\0';
        CHECK(strcmp(got, want) == 0, "\"%s\": breaks %s, want %s", marked,
              got, want);
        free(got);
        free(can);
    }
    free(cps);
    free(text);
    free(want);
}

static void test_breaks_notice(void)
{
    /* a document number: （ does not end a line, 〔2008〕14号 is whole */
    expect_breaks("（国|认|法|〔2008〕14号）");
    expect_breaks("浙|质|评|发|〔2009〕195号");
    /* phone number, e-mail and postcode whole; no line starts with ；or 。 */
    expect_breaks("联|系|电|话|（传|真）：|0571-80000000；|E-mail：|"
                  "rzjg@example.org.cn；|邮|编：|310013。");
    /* quotes: nothing after “, nothing before ” or ， */
    expect_breaks("认|证|“百|万|行|动”，");
    /* Latin: only after the space */
    expect_breaks("GB/T |19001-2008");
    expect_breaks("hello |world, |foo");
    /* —— and …… are one mark */
    expect_breaks("——");
    expect_breaks("……");
    expect_breaks("他|说|——|是|的");
    expect_breaks("等|等|……。");
    /* plain ideographs break anywhere */
    expect_breaks("认|证|工|作");
    expect_breaks("𠮷|野|家");
}

static void test_breaks_numbers(void)
{
    /* a number keeps the ideograph after it, not the one before it */
    expect_breaks("2009年|8月|4日");
    expect_breaks("截|至|7月|31日");
    expect_breaks("全|国|38000多|家");
    expect_breaks("企|业、|3C获|证");
    expect_breaks("第|１２号");
    expect_breaks("增|长|15%。");
    /* a closing bracket keeps the number after it, but not an ideograph */
    expect_breaks("（1）|认|证");
    expect_breaks("【2009】12号");
    expect_breaks("1. |名|称");
    /* a title mark or quote may be followed by a break before a number */
    expect_breaks("《办|法》|2009年");
}

static void test_breaks_spaces(void)
{
    expect_breaks("中　|文");           /* ideographic space */
    expect_breaks("主|题|词：|认|证 |质|量");
    expect_breaks("中　，");            /* start-forbidden after a space */
    expect_breaks("a  |b");             /* never before a space */
    expect_breaks(" |中");
    expect_breaks("马|克|思·|恩|格|斯");  /* interpunct */
    expect_breaks("中\xC2\xA0" "文");      /* no-break space glues */
}

static void test_breaks_combining(void)
{
    /* e + combining acute is still a word character before 号 */
    expect_breaks("e\xCC\x81号");
    /* an ideographic variation sequence (葛 + VS17) is not split */
    expect_breaks("葛\xF3\xA0\x84\x80|城");
}

static void test_breaks_edges(void)
{
    unsigned char can[1] = {7};
    linebreak_opportunities(NULL, 0, can);
    CHECK(can[0] == 7, "n == 0 writes nothing");
    uint32_t one = 0x4E2D;
    linebreak_opportunities(&one, 1, can);
    CHECK(can[0] == 0, "can_break[0] is 0");
}

/* A long word offers no break and must take linear time; a long run of
 * ideographs offers one everywhere. */
static void test_breaks_long(void)
{
    enum { N = 1000000 };
    uint32_t *cps = malloc(N * sizeof *cps);
    unsigned char *can = malloc(N);
    for (size_t i = 0; i < N; i++)
        cps[i] = "0571-"[i % 5];
    linebreak_opportunities(cps, N, can);
    size_t breaks = 0;
    for (size_t i = 0; i < N; i++)
        breaks += can[i];
    CHECK(breaks == 0, "a long number has %zu breaks", breaks);
    for (size_t i = 0; i < N; i++)
        cps[i] = 0x4E00 + (uint32_t)(i % 100);
    linebreak_opportunities(cps, N, can);
    breaks = 0;
    for (size_t i = 0; i < N; i++)
        breaks += can[i];
    CHECK(breaks == N - 1, "long ideograph run has %zu breaks", breaks);
    free(cps);
    free(can);
}

int main(void)
{
    test_kinsoku_classes();
    test_breaks_notice();
    test_breaks_numbers();
    test_breaks_spaces();
    test_breaks_combining();
    test_breaks_edges();
    test_breaks_long();
    return check_summary();
}
