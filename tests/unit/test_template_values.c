/* The template's small languages: lengths, colours, record values. */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "template_values.h"

#define MM (72.0 / 25.4)

static int length_is(const char *s, double want)
{
    double v = -1;
    return template_parse_length(s, 15.8, 28.95, 15.79, &v) && fabs(v - want) < 1e-6;
}

static void test_lengths(void)
{
    CHECK(length_is("37mm", 37 * MM), "mm");
    CHECK(length_is("1.5cm", 15 * MM), "cm");
    CHECK(length_is("16pt", 16) && length_is("16", 16), "points");
    CHECK(length_is("2em", 31.6), "em of the style");
    CHECK(length_is("2line", 57.9) && length_is("1char", 15.79), "grid units");
    CHECK(length_is("3号", 16) && length_is("三号", 16) && length_is("2号", 22) &&
              length_is("4号", 14) && length_is("小四", 12) && length_is("初号", 42),
          "Chinese type sizes");
    double v;
    CHECK(!template_parse_length("12px", 1, 1, 1, &v) && !template_parse_length("mm", 1, 1, 1, &v),
          "unknown units and missing numbers are refused");
}

static void test_colors_and_align(void)
{
    uint32_t c = 0;
    CHECK(template_parse_color("#E60012", &c) && c == 0xE60012, "#RRGGBB");
    CHECK(!template_parse_color("red", &c) && !template_parse_color("#E6001", &c), "bad colours");
    align a;
    CHECK(template_parse_align("right", &a) && a == ALIGN_RIGHT, "align right");
    CHECK(!template_parse_align("middle", &a), "unknown alignment");
}

static void check_value(const char *raw, const char *format, const char *end, const char *want)
{
    text_origin o = {"r.xml", "date", 12};
    diag_list d = {0};
    char *got = template_format_value(raw, format, end, &o, &d);
    CHECK(got && strcmp(got, want) == 0, "%s as %s: got %s, want %s", raw, format ? format : "text",
          got ? got : "(null)", want);
    free(got);
    diag_free(&d);
}

static void test_values(void)
{
    check_value("2009-08-04", "date", NULL, "2009年8月4日");
    check_value("2009-12-31", "date", NULL, "2009年12月31日");
    check_value("2009-08-04", "date-cn", NULL, "二〇〇九年八月四日");
    check_value("2010-10-20", "date-cn", NULL, "二〇一〇年十月二十日");
    check_value("2012-11-15", "date-cn", NULL, "二〇一二年十一月十五日");
    check_value("2009-01-31", "date-cn", NULL, "二〇〇九年一月三十一日");
    check_value("国家认证认可监督管理委员会", NULL, "。", "国家认证认可监督管理委员会。");
    check_value("国家认监委。", NULL, "。", "国家认监委。");
    check_value("\n    各市质量技术监督局，\n    各有关认证机构：\n  ", NULL, NULL,
                "各市质量技术监督局，各有关认证机构：");
    check_value("GB/T  19001-2008", NULL, NULL, "GB/T 19001-2008");

    const char *bad[] = {"2009-13-04", "2009-02-30", "2009-8-4", "2010-02-29", "yesterday"};
    for (size_t i = 0; i < sizeof bad / sizeof *bad; i++) {
        text_origin o = {"r.xml", "date", 12};
        diag_list d = {0};
        char *got = template_format_value(bad[i], "date", NULL, &o, &d);
        CHECK(!got && d.n == 1 && d.items[0].line == 12 && strstr(d.items[0].message, bad[i]),
              "%s is refused with its line", bad[i]);
        free(got);
        diag_free(&d);
    }
}

/* template_is_literal says when template_literal would change nothing. */
static void test_literal(void)
{
    static const char *const texts[] = {
        "", "甲", "a b", "a  b", " a", "a ", "a\tb", "a\nb", "a \n b", "\n", " ", "a b c",
        "东海 质量\n  认证", "x\r", "a\vb", "认证机构（盖章）：", "a b ",
    };
    for (size_t i = 0; i < sizeof texts / sizeof *texts; i++) {
        char *lit = template_literal(texts[i]);
        CHECK(template_is_literal(texts[i]) == (strcmp(lit, texts[i]) == 0),
              "template_is_literal(\"%s\") against template_literal \"%s\"", texts[i], lit);
        free(lit);
    }
}

int main(void)
{
    test_lengths();
    test_colors_and_align();
    test_values();
    test_literal();
    return check_summary();
}
