/* Spacing of a line by clreq (GB/T 15834-2011, W3C clreq), on hand-built
 * paragraphs laid out on the notice's grid (28 characters of 16 pt in
 * 156 mm): adjacent marks lose half an em between them, mid-line commas
 * keep their width on a line that need not be squeezed, a squeezed line's
 * marks give the same fraction, quotes between Chinese characters take an
 * em with the glyph on the inner side, a centred colon is never squeezed
 * into its ink, and no line is spread by more than a quarter em (a long
 * e-mail address is cut rather).  Every glyph's origin is worked out from
 * the laid runs (x, character spacing, the font's advances), as a PDF
 * viewer places them.  Needs the Debian fonts of fonts/fonts.xml. */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "blocks.h"
#include "check.h"
#include "layout_fixture.h"
#include "font.h"
#include "layout.h"
#include "utf8.h"
#include "util.h"

#define MM (72.0 / 25.4)
#define PITCH (156 * MM / 28)
#define LINE (225 * MM / 22)
#define EM 16.0
#define TOL 0.02
#define NEAR(a, b) (fabs((a) - (b)) < TOL)

static const page_geometry notice_page = {210 * MM, 297 * MM, 37 * MM, 28 * MM, 156 * MM, 225 * MM};
static text_style fangsong = {"仿宋", 16, PITCH, LINE, 0};
static text_style heiti = {"黑体", 16, PITCH, LINE, 0};

/* One glyph as drawn: its origin, its advance, its face. */
typedef struct glyph {
    uint32_t cp;
    double x, y, adv;
    font_face *face;
} glyph;

typedef struct laid {
    layout_result r;
    glyph g[512];
    size_t n;
} laid;

/* How a paragraph is set: its alignment, first-line indent and right
 * indent. */
typedef struct setting {
    align al;
    double first, right;
} setting;

/* The paragraph laid out alone on the notice's page; its glyphs in
 * reading order. */
static void lay_in(laid *out, const font_set *fonts, const char *text, const text_style *st,
                   setting set)
{
    document doc = {.page = notice_page};
    block *b = block_list_push(&doc.flow, BLOCK_PARA);
    b->align = set.al;
    b->first = set.first;
    b->right = set.right;
    block_add_run(b, RUN_TEXT, text, st, NULL);
    diag_list d = {0};
    layout_document(&doc, fonts, &out->r, &d);
    out->n = 0;
    const laid_page *pg = &out->r.pages[0];
    for (size_t i = 0; i < pg->nruns; i++) {
        const glyph_run *run = &pg->runs[i];
        double x = run->x;
        const char *s = run->text;
        uint32_t cp;
        int len;
        while (*s && (len = utf8_next(s, strlen(s), &cp)) > 0 && out->n < 512) {
            double adv = font_advance(run->face, cp, run->size);
            out->g[out->n++] = (glyph){cp, x, run->y, adv, run->face};
            x += adv + run->char_space;
            s += len;
        }
    }
    document_free(&doc);
    diag_free(&d);
}

static void lay(laid *out, const font_set *fonts, const char *text, const text_style *st, align al,
                double first)
{
    lay_in(out, fonts, text, st, (setting){al, first, 0});
}

/* Justified in the measure less `right`. */
static void lay_right(laid *out, const font_set *fonts, const char *text, double right)
{
    lay_in(out, fonts, text, &fangsong, (setting){ALIGN_JUSTIFY, 0, right});
}

static void laid_free(laid *l)
{
    layout_result_free(&l->r);
}

static uint32_t cp_of(const char *s)
{
    uint32_t cp = 0;
    utf8_next(s, strlen(s), &cp);
    return cp;
}

/* The k-th glyph (from 0) of character `ch`, or NULL. */
static const glyph *find(const laid *l, const char *ch, int k)
{
    uint32_t cp = cp_of(ch);
    for (size_t i = 0; i < l->n; i++)
        if (l->g[i].cp == cp && k-- == 0)
            return &l->g[i];
    return NULL;
}

static size_t lines_of(const laid *l)
{
    size_t n = 0;
    for (size_t i = 0; i < l->n; i++)
        n += i == 0 || !NEAR(l->g[i].y, l->g[i - 1].y);
    return n;
}

static int is_ideograph(uint32_t cp)
{
    return cp >= 0x4E00 && cp <= 0x9FFF;
}

/* The widest spread between two ideographs next to each other on a line:
 * the distance of their origins less the grid's pitch. */
static double widest_spread(const laid *l)
{
    double most = -1;
    for (size_t i = 1; i < l->n; i++)
        if (NEAR(l->g[i].y, l->g[i - 1].y) && is_ideograph(l->g[i].cp) &&
            is_ideograph(l->g[i - 1].cp))
            most = fmax(most, l->g[i].x - l->g[i - 1].x - PITCH);
    return most;
}

/* 》（ and ）。 in mid-line: each pair takes 1.5 em on a line that is not
 * squeezed (the last line of a paragraph: not spread either). */
static void test_pair_mid_line(const font_set *fonts)
{
    laid l;
    lay(&l, fonts, "甲《乙》（丙）。丁", &fangsong, ALIGN_JUSTIFY, 0);
    const glyph *close = find(&l, "》", 0), *open = find(&l, "（", 0), *bing = find(&l, "丙", 0);
    const glyph *paren = find(&l, "）", 0), *stop = find(&l, "。", 0), *ding = find(&l, "丁", 0);
    CHECK(close && open && bing && paren && stop && ding, "all the characters are drawn");
    if (close && open && bing && paren && stop && ding) {
        CHECK(NEAR(open->x - close->x, PITCH / 2), "》 gives its right half to （: %.2f pt",
              open->x - close->x);
        CHECK(NEAR(bing->x - close->x, 1.5 * PITCH), "》（ takes 1.5 em: %.2f pt",
              bing->x - close->x);
        CHECK(NEAR(ding->x - paren->x, 1.5 * PITCH), "）。 takes 1.5 em: %.2f pt",
              ding->x - paren->x);
        CHECK(NEAR(stop->x - paren->x, PITCH / 2), "。 drawn half an em after ）");
    }
    laid_free(&l);
}

/* ）。 at the end of a line: the pair keeps its 1.5 em and the 。 (which
 * may not start the next line) is taken in by squeezing it to half: the
 * line ends at the measure, its marks' ink inside it. */
static void test_pair_line_end(const font_set *fonts)
{
    char *text = xasprintf("%s（中）。%s", "中中中中中中中中中中中中中中中中中中中中中中中中中",
                           "中中中中中中中中中中");
    laid l;
    lay(&l, fonts, text, &fangsong, ALIGN_JUSTIFY, 0);
    const glyph *paren = find(&l, "）", 0), *stop = find(&l, "。", 0);
    CHECK(paren && stop && NEAR(paren->y, stop->y), "）。 end the first line");
    if (paren && stop) {
        CHECK(NEAR(stop->x - paren->x, PITCH / 2), "）。 compressed by half an em at the line end");
        double right = notice_page.left + notice_page.area_width;
        double ink_l, ink_r;
        font_ink_x(stop->face, stop->cp, EM, &ink_l, &ink_r);
        CHECK(stop->x + ink_r <= right + TOL, "。's ink within the measure");
        CHECK(stop->x + PITCH / 2 >= right - TOL, "the line reaches the measure: 。 at half width");
    }
    free(text);
    laid_free(&l);
}

/* A line that would need its mid-line commas squeezed to take in the
 * 。 that may not start the next line pushes a character down instead
 * (spread 1 em over 26 gaps): its commas keep their full em. */
static void test_comma_full_width(const font_set *fonts)
{
    const char *text = "中中中中，中中中中，中中中中中中中中中中中中中中中中中中。中中中中";
    laid l;
    lay(&l, fonts, text, &fangsong, ALIGN_JUSTIFY, 0);
    for (int k = 0; k < 2; k++) {
        const glyph *comma = find(&l, "，", k);
        CHECK(comma != NULL, "comma %d drawn", k);
        if (!comma)
            continue;
        const glyph *next = comma + 1;
        CHECK(next->x - comma->x >= PITCH - TOL, "mid-line comma %d keeps its em: %.2f pt", k,
              next->x - comma->x);
    }
    CHECK(lines_of(&l) == 2, "two lines: %zu", lines_of(&l));
    double spread = widest_spread(&l);
    CHECK(spread <= EM / 4 + TOL, "spread within a quarter em: %.2f pt", spread);
    CHECK(spread > 0, "the first line is spread, not squeezed: %.2f pt", spread);
    laid_free(&l);
}

/* A paragraph 10 characters wide whose last line would be 六。 alone is
 * taken back by squeezing the line before (2 em to find; breaking it
 * earlier would spread it by 2 em over 7 gaps, more than a quarter em):
 * the 。 gives its half first, then the five commas the same fraction
 * (1.5 em of their 2.5 em: each keeps 0.7 em). */
static void test_squeeze_same_fraction(const font_set *fonts)
{
    laid l;
    lay_right(&l, fonts, "一，二，三，四，五，六。", 18 * PITCH);
    CHECK(lines_of(&l) == 1, "one line: %zu", lines_of(&l));
    double want = 0.7 * PITCH, least = HUGE_VAL, most = 0;
    int n = 0;
    for (int k = 0; k < 5; k++) {
        const glyph *c = find(&l, "，", k);
        if (!c)
            break;
        n++;
        least = fmin(least, (c + 1)->x - c->x);
        most = fmax(most, (c + 1)->x - c->x);
    }
    CHECK(n == 5, "five commas: %d", n);
    CHECK(most - least < TOL, "every comma gives the same: %.3f to %.3f pt", least, most);
    CHECK(NEAR(least, want), "each comma keeps %.2f pt: %.2f", want, least);
    const glyph *stop = find(&l, "。", 0);
    CHECK(stop && NEAR(stop->x + PITCH / 2, notice_page.left + 10 * PITCH),
          "the 。 squeezed to half ends the line at the measure");
    laid_free(&l);
}

/* “ ” between Chinese characters take an em (黑体's WenQuanYi Zen Hei's
 * are 0.33 em; 仿宋's FandolFang has them an em wide already), the
 * opening quote at the right of its box, the closing at the left; between
 * Latin letters they keep the font's advance. */
static void test_quotes_em(const font_set *fonts)
{
    laid l;
    lay(&l, fonts, "甲“乙”丙 ab “cd” ef", &heiti, ALIGN_LEFT, 0);
    const glyph *jia = find(&l, "甲", 0), *open = find(&l, "“", 0), *yi = find(&l, "乙", 0);
    const glyph *close = find(&l, "”", 0), *bing = find(&l, "丙", 0);
    CHECK(jia && open && yi && close && bing, "all drawn");
    if (jia && open && yi && close && bing) {
        CHECK(open->adv < 0.5 * EM, "the font's quote is narrow (%.2f pt)", open->adv);
        CHECK(NEAR(yi->x - jia->x, 2 * PITCH), "“ takes an em: %.2f", yi->x - jia->x - PITCH);
        CHECK(NEAR(open->x + open->adv, yi->x), "“ drawn at the right of its box");
        CHECK(NEAR(close->x, yi->x + PITCH), "” drawn at the left of its box");
        CHECK(NEAR(bing->x - yi->x, 2 * PITCH), "” takes an em");
    }
    const glyph *lopen = find(&l, "“", 1), *c = find(&l, "c", 0);
    const glyph *lclose = find(&l, "”", 1), *d = find(&l, "d", 0);
    CHECK(lopen && c && lclose && d, "the Latin quotes drawn");
    if (lopen && c && lclose && d) {
        CHECK(NEAR(c->x - lopen->x, lopen->adv), "“ between Latin letters keeps its advance");
        CHECK(NEAR(lclose->x - d->x, d->adv), "” follows d at d's advance");
    }
    laid_free(&l);
}

/* WenQuanYi Zen Hei centres ： in its box (ink 0.44-0.56 em): next to an
 * opening quote the pair still loses half an em, but the colon gives only
 * the blank right of its ink less a margin, and the quote the rest; next
 * to a closing mark, it gives only that blank. */
static void test_centred_colon(const font_set *fonts)
{
    laid l;
    lay(&l, fonts, "中：“中”", &heiti, ALIGN_LEFT, 0);
    const glyph *colon = find(&l, "：", 0), *open = find(&l, "“", 0), *zhong = find(&l, "中", 1);
    CHECK(colon && open && zhong, "all drawn");
    if (colon && open && zhong) {
        double ink_l, ink_r, q_l, q_r;
        font_ink_x(colon->face, colon->cp, EM, &ink_l, &ink_r);
        font_ink_x(open->face, open->cp, EM, &q_l, &q_r);
        CHECK(ink_l > 0.3 * EM, "Zen Hei's colon is centred (ink from %.2f pt)", ink_l);
        CHECK(NEAR(zhong->x - colon->x, 1.5 * PITCH), "：“ takes 1.5 em: %.2f pt",
              zhong->x - colon->x);
        CHECK(open->x + q_l >= colon->x + ink_r + 2 * 0.08 * PITCH - TOL,
              "the quote's ink keeps clear of the colon's: %.2f pt apart",
              open->x + q_l - colon->x - ink_r);
    }
    laid_free(&l);
    /* ：。 (two closing marks): only the colon's right blank lies between
     * them, and it gives no more than its blank less the margin (0.44 em
     * less 0.08), not half an em: the pair takes more than 1.5 em */
    lay(&l, fonts, "中：。中", &heiti, ALIGN_LEFT, 0);
    colon = find(&l, "：", 0);
    const glyph *stop = find(&l, "。", 0);
    CHECK(colon && stop, "：。 drawn");
    if (colon && stop) {
        double ink_l, ink_r;
        font_ink_x(colon->face, colon->cp, EM, &ink_l, &ink_r);
        double kept = stop->x - colon->x;
        CHECK(kept >= ink_r + 0.08 * PITCH - TOL, "the colon keeps %.2f pt, its ink to %.2f", kept,
              ink_r);
        CHECK(kept > PITCH / 2 + 1, "the colon is not squeezed to half an em: %.2f pt", kept);
    }
    laid_free(&l);
}

/* The notice's contact line: kept whole, the e-mail address would leave
 * the line before it spread by 0.8 em; it is cut (after @ or before .)
 * and no line is spread by more than a quarter em. */
static void test_email_line(const font_set *fonts)
{
    const char *text =
        "6．各认证机构须在规定时间内将自查报告上报省局。各市、县局对检查中发现有违法行为的认证"
        "机构、咨询机构和强制性认证产品生产企业要及时依法查处。各地在检查过程中遇到困难和问题，"
        "请及时与省局合格评定监管处联系。联系人：王明；联系电话（传真）：0571-80000000；"
        "E-mail：rzjg@example.org.cn；联系地址：杭州市天目山路222号；邮编：310013。";
    laid l;
    lay(&l, fonts, text, &fangsong, ALIGN_JUSTIFY, 2 * PITCH);
    double spread = widest_spread(&l);
    CHECK(spread <= EM / 4 + TOL, "no line spread by more than a quarter em: %.2f pt", spread);
    const glyph *at = find(&l, "@", 0);
    const glyph *r = find(&l, "r", 0), *n = find(&l, "n", 0);
    CHECK(at && r && n, "the address drawn");
    if (at && r && n)
        CHECK(!NEAR(r->y, n->y) && (NEAR(at->y, r->y) || NEAR(at->y, n->y)),
              "the address is cut after @ or before a point");
    laid_free(&l);
}

int main(void)
{
    font_set *fonts = fixture_fonts();
    if (!fonts)
        return check_summary();
    test_pair_mid_line(fonts);
    test_pair_line_end(fonts);
    test_comma_full_width(fonts);
    test_squeeze_same_fraction(fonts);
    test_quotes_em(fonts);
    test_centred_colon(fonts);
    test_email_line(fonts);
    font_set_free(fonts);
    return check_summary();
}
