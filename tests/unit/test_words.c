/* Words whole (GB/T 9704-2012 7.3.1, 回行时要做到词意完整，排列对称):
 * words.h against ICU itself; two dozen notice titles laid out as
 * balanced titles, every break they take checked against the word
 * boundaries ICU's dictionary gives (asked here directly, not through
 * words.c) and the lines as even as those boundaries allow; table cells
 * breaking between words; a paragraph's last line never one character and
 * its mark.  Needs the Debian fonts of fonts/fonts.xml and libicu. */
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <unicode/ubrk.h>
#include <unicode/ustring.h>

#include "blocks.h"
#include "check.h"
#include "layout_fixture.h"
#include "layout.h"
#include "text.h"
#include "util.h"
#include "words.h"

#define MM (72.0 / 25.4)
#define PITCH (156 * MM / 28)
#define LINE (225 * MM / 22)
#define NEAR(a, b) (fabs((a) - (b)) < 0.05)

static const page_geometry notice_page = {210 * MM, 297 * MM, 37 * MM, 28 * MM, 156 * MM, 225 * MM};
static text_style body = {"仿宋", 16, PITCH, LINE, 0};
static text_style title_style = {"小标宋", 22, 0, 0, 0};
static text_style cell_style = {"仿宋", 10.5, 0, 14, 0};

/* Real-style titles: the campaign's records (tests/records, shared/records)
 * and the notices of the kind they stand for. */
static const char *titles[] = {
    "关于开展2010年度强制性产品认证获证企业监督检查工作的通知",
    "关于开展认证机构自律和认证企业帮扶行动暨认证执法监管专项检查工作的通知",
    "关于开展“百家认证机构自律、万家认证企业帮扶”行动的通知",
    "关于公布2009年度浙江省认证示范企业名单的公告",
    "关于2009年度认证监督检查情况的报告",
    "关于开展认证监督检查的通知",
    "关于进一步加强认证认可监督管理工作的通知",
    "关于印发《浙江省认证认可监督管理工作要点》的通知",
    "关于开展认证执法监管百万行动的实施意见",
    "关于开展强制性产品认证获证企业专项监督检查的通知",
    "关于公布2010年度浙江省认证示范企业名单的公告",
    "关于组织开展质量管理体系认证有效性抽查工作的通知",
    "关于加强食品安全管理体系认证监督管理的通知",
    "关于开展有机产品认证专项整治工作的通知",
    "关于进一步规范认证机构从业行为的若干意见",
    "关于做好2010年度认证机构年度报告工作的通知",
    "关于认证执法监管百万行动自查情况的报告",
    "关于开展节能产品认证获证企业跟踪检查工作的通知",
    "关于印发浙江省强制性产品认证监督检查工作规范的通知",
    "关于开展认证咨询机构专项清理整顿工作的通知",
    "关于对部分获证企业暂停认证证书使用的通报",
    "关于开展环境管理体系认证质量专项检查工作的通知",
    "关于表彰2009年度认证认可工作先进集体和先进个人的决定",
    "关于开展职业健康安全管理体系认证监督抽查的通知",
};

/* ICU's word boundaries of s, by code point index: b[i] is 1 when a word
 * begins at the i-th code point.  Returns the number of code points. */
static size_t icu_boundaries(const char *s, unsigned char *b, size_t max)
{
    UErrorCode st = U_ZERO_ERROR;
    UChar u[512];
    int32_t ulen = 0;
    u_strFromUTF8(u, 512, &ulen, s, -1, &st);
    UBreakIterator *it = ubrk_open(UBRK_WORD, "zh", u, ulen, &st);
    CHECK(U_SUCCESS(st), "ICU opens a Chinese word iterator: %s", u_errorName(st));
    memset(b, 0, max);
    /* UTF-16 index to code point index */
    size_t cp_of[512], n = 0;
    for (int32_t i = 0; i < ulen; i++) {
        cp_of[i] = n;
        if (!U16_IS_LEAD(u[i]))
            n++;
    }
    cp_of[ulen] = n;
    for (int32_t at = ubrk_first(it); at != UBRK_DONE; at = ubrk_next(it))
        if (at > 0 && at < ulen && cp_of[at] < max)
            b[cp_of[at]] = 1;
    ubrk_close(it);
    return n;
}

static size_t count_chars(const char *s)
{
    size_t n = 0;
    for (; *s; s++)
        n += ((unsigned char)*s & 0xC0) != 0x80;
    return n;
}

static void test_words_module(void)
{
    const uint32_t q[] = {0x8D28, 0x91CF, 0x7BA1, 0x7406, 0x4F53, 0x7CFB}; /* 质量管理体系 */
    unsigned char b[6];
    CHECK(words_boundaries(q, 6, b) == 1, "the dictionary answers");
    CHECK(!b[0] && !b[1] && b[2] && !b[3] && b[4] && !b[5],
          "质量|管理|体系: %d%d%d%d%d%d", b[0], b[1], b[2], b[3], b[4], b[5]);
    /* the cache gives the same answer the second time */
    unsigned char c[6];
    words_boundaries(q, 6, c);
    CHECK(memcmp(b, c, 6) == 0, "a cached text segments the same");
    /* a surrogate and a code point beyond Unicode are words of their own */
    const uint32_t bad[] = {0x4E2D, 0xD800, 0x110000, 0x20000, 0x6587};
    unsigned char e[5];
    words_boundaries(bad, 5, e);
    CHECK(e[1] && e[2], "bad code points stand alone");
    words_release();
    CHECK(words_boundaries(q, 6, c) == 1 && memcmp(b, c, 6) == 0, "reopened after release");
}

/* One title laid out balanced in a measure of `chars` 二号 characters
 * (the title's indents narrow the type area); its lines into out. */
static size_t lay_out_title(const font_set *fonts, const char *title, double chars, line_text *out,
                            size_t max)
{
    document doc = {.page = notice_page};
    block *b = block_list_push(&doc.flow, BLOCK_PARA);
    b->align = ALIGN_CENTER;
    b->balance = 1;
    double indent = (156 * MM - chars * 22) / 2;
    b->left = b->right = indent > 0 ? indent : 0;
    block_add_run(b, RUN_TEXT, title, &title_style, NULL);
    layout_result r;
    diag_list d = {0};
    layout_document(&doc, fonts, &r, &d);
    size_t n = page_lines(&r.pages[0], out, max);
    layout_result_free(&r);
    document_free(&doc);
    diag_free(&d);
    return n;
}

/* A line's length in em: ideographs and full-width marks one, ASCII half
 * (digits are set half-width, near enough for comparing balance). */
static double em_length(const unsigned char *isascii_at, size_t s, size_t e)
{
    double w = 0;
    for (size_t i = s; i < e; i++)
        w += isascii_at[i] ? 0.5 : 1;
    return w;
}

static void test_titles(const font_set *fonts)
{
    size_t ntitles = sizeof titles / sizeof *titles, two_line = 0;
    CHECK(ntitles >= 20, "at least 20 titles");
    for (size_t t = 0; t < ntitles; t++) {
        unsigned char bound[256], ascii[256];
        size_t n = icu_boundaries(titles[t], bound, sizeof bound);
        const unsigned char *p = (const unsigned char *)titles[t];
        for (size_t i = 0; *p; p++)
            if ((*p & 0xC0) != 0x80)
                ascii[i++] = *p < 0x80;
        /* at 20 characters (the full type area) and at 12 and 9 (a narrow
         * one), so that every title must wrap at least once */
        const double measures[] = {20, 12, 9};
        for (size_t m = 0; m < 3; m++) {
            line_text lines[8];
            size_t nl = lay_out_title(fonts, titles[t], measures[m], lines, 8);
            size_t at = 0, total = 0;
            int whole = 1;
            for (size_t k = 0; k < nl; k++) {
                at += count_chars(lines[k].text);
                if (k + 1 < nl && !bound[at]) {
                    whole = 0;
                    CHECK(0, "%s at %.0f em: line %zu ends inside a word (%s)", titles[t],
                          measures[m], k + 1, lines[k].text);
                }
            }
            total = at;
            CHECK(total == n, "%s: every character set once (%zu of %zu)", titles[t], total, n);
            if (whole)
                CHECK(1, "words whole");
            if (nl != 2)
                continue;
            /* two lines: as even as the word boundaries allow */
            two_line++;
            size_t cut = count_chars(lines[0].text);
            double got = fabs(em_length(ascii, 0, cut) - em_length(ascii, cut, n));
            double best = 1e9;
            for (size_t b = 1; b < n; b++)
                if (bound[b] && em_length(ascii, 0, b) <= measures[m] &&
                    em_length(ascii, b, n) <= measures[m])
                    best = fmin(best, fabs(em_length(ascii, 0, b) - em_length(ascii, b, n)));
            CHECK(got <= best + 1.0, "%s at %.0f em: lines %s / %s differ by %.1f em, %.1f possible",
                  titles[t], measures[m], lines[0].text, lines[1].text, got, best);
            /* centred: the two lines' midpoints agree */
        }
    }
    CHECK(two_line >= 20, "at least 20 two-line titles checked for balance: %zu", two_line);
}

/* The campaign's bad breaks are gone: 认 / 证 of the 2010 title. */
static void test_known_title(const font_set *fonts)
{
    line_text lines[4];
    size_t n = lay_out_title(fonts, titles[0], 20, lines, 4);
    CHECK(n == 2, "two lines: %zu", n);
    /* 13 and 15 characters either way: both are as even as words allow */
    int a = n == 2 && strcmp(lines[0].text, "关于开展2010年度强制性产品认证") == 0 &&
            strcmp(lines[1].text, "获证企业监督检查工作的通知") == 0;
    int b = n == 2 && strcmp(lines[0].text, "关于开展2010年度强制性产品") == 0 &&
            strcmp(lines[1].text, "认证获证企业监督检查工作的通知") == 0;
    CHECK(a || b, "…产品认证 / 获证… or …产品 / 认证获证…, never …产品认 / 证…: %s / %s",
          lines[0].text, n > 1 ? lines[1].text : "");
}

/* A table of one narrow column: 质量管理体系 as 质量管理 / 体系, not 质量管理体 / 系. */
static void test_cell_words(const font_set *fonts)
{
    const char *cells[] = {"质量管理体系", "整改后符合", "杭州德力汽车零部件有限公司"};
    const char *want[][3] = {{"质量管理", "体系", NULL}, {"整改后", "符合", NULL},
                             {"杭州德力", "汽车零部件", "有限公司"}};
    for (size_t k = 0; k < 3; k++) {
        document doc = {.page = notice_page};
        block *b = block_list_push(&doc.flow, BLOCK_TABLE);
        table *t = b->table = xcalloc(1, sizeof *t);
        t->columns = xcalloc(1, sizeof *t->columns);
        /* 4.5 characters wide: 质量管理体系 and 整改后符合 wrap; 5.5 for the name */
        t->columns[0] = (table_column){COLUMN_FIXED, (k == 2 ? 5.5 : 4.5) * 10.5 + 8, 0, 0};
        t->ncolumns = 1;
        t->rule = 0.5, t->pad_x = 4, t->pad_y = 2;
        table_cell *c = table_row_add_cell(table_add_row(t));
        block *p = table_cell_add_para(c);
        p->align = ALIGN_LEFT;
        p->balance = k == 2;
        block_add_run(p, RUN_TEXT, cells[k], &cell_style, NULL);
        layout_result r;
        diag_list d = {0};
        layout_document(&doc, fonts, &r, &d);
        line_text lines[8];
        size_t n = page_lines(&r.pages[0], lines, 8);
        for (size_t i = 0; i < 3 && want[k][i]; i++)
            CHECK(i < n && strcmp(lines[i].text, want[k][i]) == 0, "%s: line %zu is %s, got %s",
                  cells[k], i + 1, want[k][i], i < n ? lines[i].text : "(none)");
        for (size_t i = 0; i < n; i++)
            CHECK(count_chars(lines[i].text) >= 2, "%s: no line of one character (%s)", cells[k],
                  lines[i].text);
        layout_result_free(&r);
        document_free(&doc);
        diag_free(&d);
    }
}

/* Body text: 28 characters a line; a paragraph of 56 + 1 characters and a
 * full stop would end on 字。 alone: the line before gives it a character
 * (it cannot squeeze 30 into 28: it has no marks), so the paragraph ends
 * on two characters and its mark; body text still breaks between any two
 * characters (中中 is no word). */
static void test_last_line(const font_set *fonts)
{
    document doc = {.page = notice_page};
    char text[512] = "";
    for (int i = 0; i < 57; i++)
        strcat(text, "中");
    strcat(text, "。");
    block *b = block_list_push(&doc.flow, BLOCK_PARA);
    b->align = ALIGN_JUSTIFY;
    block_add_run(b, RUN_TEXT, text, &body, NULL);
    layout_result r;
    diag_list d = {0};
    layout_document(&doc, fonts, &r, &d);
    line_text lines[8];
    size_t n = page_lines(&r.pages[0], lines, 8);
    CHECK(n == 3, "three lines: %zu", n);
    CHECK(n == 3 && count_chars(lines[0].text) == 28, "line 1 full: %zu",
          count_chars(lines[0].text));
    CHECK(n == 3 && count_chars(lines[1].text) == 27, "line 2 gives one character: %zu",
          n == 3 ? count_chars(lines[1].text) : 0);
    CHECK(n == 3 && strcmp(lines[2].text, "中中。") == 0, "last line 中中。: %s",
          n == 3 ? lines[2].text : "");
    layout_result_free(&r);
    document_free(&doc);
    diag_free(&d);
}

/* Lays out text as a justified paragraph of body size (a heading when
 * keep_with_next), followed by one more; its lines into out. */
static size_t lay_out_body(const font_set *fonts, const char *text, int heading, line_text *out,
                           size_t max)
{
    document doc = {.page = notice_page};
    block *b = block_list_push(&doc.flow, BLOCK_PARA);
    b->align = ALIGN_JUSTIFY;
    b->keep_with_next = (unsigned char)heading;
    block_add_run(b, RUN_TEXT, text, &body, NULL);
    block_add_run(block_list_push(&doc.flow, BLOCK_PARA), RUN_TEXT, "正文。", &body, NULL);
    layout_result r;
    diag_list d = {0};
    layout_document(&doc, fonts, &r, &d);
    size_t n = page_lines(&r.pages[0], out, max);
    layout_result_free(&r);
    document_free(&doc);
    diag_free(&d);
    return n;
}

/* A heading (kept with what follows) that must wrap keeps its words
 * whole; body text breaks on the grid, 28 characters a line, inside a
 * word if that is where the line is full. */
static void test_heading_and_body(const font_set *fonts)
{
    const char *text = "一、关于开展2010年度强制性产品认证获证企业监督检查工作的主要内容和工作要求";
    unsigned char bound[128];
    icu_boundaries(text, bound, sizeof bound);
    line_text lines[8];
    size_t n = lay_out_body(fonts, text, 1, lines, 8);
    CHECK(n == 3, "the heading on two lines, then the next paragraph: %zu", n);
    CHECK(n > 0 && bound[count_chars(lines[0].text)], "the heading breaks between words: %s",
          lines[0].text);
    n = lay_out_body(fonts, "甲乙丙丁戊己庚辛壬癸甲乙丙丁戊己庚辛壬癸甲乙丙丁戊己庚质量管理体系", 0,
                     lines, 8);
    CHECK(n == 3 && count_chars(lines[0].text) == 28 && strcmp(lines[1].text, "量管理体系") == 0,
          "body text breaks on the grid, inside 质量 where the line is full: %s / %s",
          n > 0 ? lines[0].text : "", n > 1 ? lines[1].text : "");
}

int main(void)
{
    font_set *fonts = fixture_fonts();
    if (!fonts)
        return check_summary();
    test_words_module();
    test_titles(fonts);
    test_known_title(fonts);
    test_cell_words(fonts);
    test_last_line(fonts);
    test_heading_and_body(fonts);
    font_set_free(fonts);
    words_release();
    return check_summary();
}
