/* Paragraphs to lines: choosing a face for every character, breaking lines
 * by the Chinese rules, squeezing or spreading them to the measure, and
 * grouping the placed characters into glyph runs.  Punctuation is set by
 * clreq (W3C, GB/T 15834-2011): quotes between Chinese characters take an
 * em, two adjacent marks lose half an em between them, and what a mark
 * may give up is the blank beside its ink (para_set_punctuation); a line
 * squeezes its last marks, else pushes characters down if it is then
 * spread by no more than a quarter em, else squeezes all its marks alike,
 * else cuts a long Latin token (para_line_end).  Body text breaks
 * between any two characters the rules allow (the grid of a 公文); titles,
 * headings and table cells between words where they can (word mode,
 * words.h).  No paragraph ends on a line of one character and its mark
 * when the line before can take it or give it a character. */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "layout_internal.h"
#include "text.h"
#include "utf8.h"
#include "util.h"
#include "words.h"

#define EPS 0.01           /* pt: below anything a reader can see */
#define EM_BOX_ASCENT 0.88 /* baseline within the ideographic em box */

/* A character on its way into a line. */
typedef struct lchar {
    uint32_t cp;
    char utf8[4]; /* cp in UTF-8, utf8_len bytes */
    unsigned char utf8_len;
    font_face *face;
    double size, leading;
    uint32_t color;
    double glyph_adv; /* the glyph's own width, as the PDF will advance */
    double adv;       /* the width it takes in the line (grid pitch for full-width) */
    double off;       /* where its glyph's origin is in that width */
    double squeeze;   /* how much of adv it may give up when a line is squeezed:
                         the blank beside its ink (para_set_punctuation) */
    const measured_char *m; /* as measured: its style's em, its ink (read by
                               para_set_punctuation, before any scaling) */
    double hscale;    /* horizontal scale of the glyph (condensed); 0: none */
    unsigned char can_break, word, opening, forced, fill, space;
    unsigned char mark, quote, cjk; /* as measured_char */
    unsigned char after; /* a quote: what follows it past other quotes (SIDE_*) */
    /* a line may start here only as the last resort: inside a long Latin
     * token (text_token_breaks) */
    unsigned char token_cut;
    /* a line may break here between two words of the dictionary (words.h)
     * as well as by the rules of text.h; set only in word mode */
    unsigned char word_start;
} lchar;

typedef struct para_chars {
    lchar *v;
    size_t n, cap;
    int words; /* break lines between words where the line can (titles,
                  headings, table cells); word_start is set */
} para_chars;

/* Scratch kept from paragraph to paragraph: a table of 38,000 rows lays
 * out some 400,000 paragraphs, and allocating their working arrays each
 * time was a good part of the layout's time.  Nothing here outlives one
 * paragraph's layout; arrays grown past SCRATCH_KEEP characters are given
 * back after it, so one huge paragraph does not hold its memory.  Safe as
 * file-scope state because a process lays out one document at a time, on
 * one thread: batch's workers are processes, and the program's threads
 * (the record's check, the file writer) never lay out. */
#define SCRATCH_KEEP 16384

typedef struct line_span {
    size_t start, end; /* chars [start, end), trailing spaces included */
    int last;          /* last of the paragraph, or before a forced break */
} line_span;

typedef struct line_spans {
    line_span *v;
    size_t n, cap;
} line_spans;

static struct para_scratch {
    lchar *chars;
    size_t chars_cap;
    uint32_t *cps;
    unsigned char *can, *bound;
    double *pos;
    size_t cps_cap, pos_cap;
    line_spans lines;
} para_scratch;

static void para_scratch_release(void)
{
    if (para_scratch.chars_cap > SCRATCH_KEEP) {
        free(para_scratch.chars);
        para_scratch.chars = NULL;
        para_scratch.chars_cap = 0;
    }
    if (para_scratch.cps_cap > SCRATCH_KEEP) {
        free(para_scratch.cps);
        free(para_scratch.can);
        free(para_scratch.bound);
        para_scratch.cps = NULL;
        para_scratch.can = NULL;
        para_scratch.bound = NULL;
        para_scratch.cps_cap = 0;
    }
    if (para_scratch.lines.cap > SCRATCH_KEEP) {
        free(para_scratch.lines.v);
        para_scratch.lines = (line_spans){0};
    }
    if (para_scratch.pos_cap > SCRATCH_KEEP) {
        free(para_scratch.pos);
        para_scratch.pos = NULL;
        para_scratch.pos_cap = 0;
    }
}

static size_t para_grown(size_t cap, size_t need)
{
    while (cap < need)
        cap = cap ? cap * 2 : 256;
    return cap;
}

static lchar *para_push_char(para_chars *pc, const run *r)
{
    GROW(pc->v, pc->n, pc->cap);
    lchar *c = &pc->v[pc->n++];
    memset(c, 0, sizeof *c);
    c->size = r->style.size;
    c->leading = r->style.leading > 0 ? r->style.leading : r->style.size * 1.5;
    c->color = r->style.color;
    return c;
}

/* One code point of valid UTF-8 at *s (utf8_length has checked it). */
static uint32_t para_next_code_point(const unsigned char **s)
{
    const unsigned char *p = *s;
    if (p[0] < 0x80) {
        *s = p + 1;
        return p[0];
    }
    if (p[0] < 0xE0) {
        *s = p + 2;
        return (uint32_t)(p[0] & 0x1F) << 6 | (p[1] & 0x3F);
    }
    if (p[0] < 0xF0) {
        *s = p + 3;
        return (uint32_t)(p[0] & 0x0F) << 12 | (uint32_t)(p[1] & 0x3F) << 6 | (p[2] & 0x3F);
    }
    *s = p + 4;
    return (uint32_t)(p[0] & 0x07) << 18 | (uint32_t)(p[1] & 0x3F) << 12 |
           (uint32_t)(p[2] & 0x3F) << 6 | (p[3] & 0x3F);
}

/* The run's text as code points, or -1 when it is not valid UTF-8 (then
 * it adds nothing). */
static long para_run_length(const run *r)
{
    size_t bad = 0;
    return r->text ? utf8_length(r->text, strlen(r->text), &bad) : 0;
}

/* n: the run's run_length */
static void para_add_run(layout_ctx *ctx, para_chars *pc, const run *r, long n)
{
    if (r->kind == RUN_BREAK) {
        para_push_char(pc, r)->forced = 1;
        return;
    }
    if (r->kind == RUN_FILL) {
        para_push_char(pc, r)->fill = 1;
        return;
    }
    if (n <= 0)
        return;
    measure_style *st = measure_style_of(ctx, r);
    double leading = r->style.leading > 0 ? r->style.leading : r->style.size * 1.5;
    const unsigned char *t = (const unsigned char *)r->text;
    for (long i = 0; i < n; i++) {
        const measured_char *m = measure_char(ctx, st, r, para_next_code_point(&t));
        if (!m->face)
            continue;
        /* room for every character was made (para_prepare) */
        pc->v[pc->n++] = (lchar){.cp = m->cp,
                                 .utf8 = {m->utf8[0], m->utf8[1], m->utf8[2], m->utf8[3]},
                                 .utf8_len = m->utf8_len,
                                 .face = m->face,
                                 .size = r->style.size,
                                 .leading = leading,
                                 .color = r->style.color,
                                 .glyph_adv = m->glyph_adv,
                                 .adv = m->adv,
                                 .m = m,
                                 .mark = m->mark,
                                 .quote = m->quote,
                                 .cjk = m->cjk,
                                 .word = m->word,
                                 .opening = m->opening,
                                 .space = m->space};
    }
}

static void para_mark_break_opportunities(para_chars *pc)
{
    if (pc->n > para_scratch.cps_cap) {
        para_scratch.cps_cap = para_grown(para_scratch.cps_cap, pc->n);
        para_scratch.cps =
            xrealloc(para_scratch.cps, para_scratch.cps_cap * sizeof *para_scratch.cps);
        para_scratch.can = xrealloc(para_scratch.can, para_scratch.cps_cap);
        para_scratch.bound = xrealloc(para_scratch.bound, para_scratch.cps_cap);
    }
    uint32_t *cps = para_scratch.cps;
    unsigned char *can = para_scratch.can;
    for (size_t i = 0; i < pc->n; i++)
        cps[i] = pc->v[i].forced || pc->v[i].fill ? 0x20 : pc->v[i].cp;
    linebreak_opportunities(cps, pc->n, can);
    for (size_t i = 0; i < pc->n; i++)
        pc->v[i].can_break = can[i];
    unsigned char *cut = para_scratch.bound; /* (words_boundaries' later) */
    text_token_breaks(cps, pc->n, cut);
    for (size_t i = 0; i < pc->n; i++)
        pc->v[i].token_cut = cut[i] && !can[i];
}

/* ------------------------------------------------------------------ */
/* Punctuation by clreq (GB/T 15834-2011; W3C clreq 3.1.6)              */

/* Of the blank beside a mark's ink, what squeezing leaves: a centred
 * colon (WenQuanYi Zen Hei's ：；，！) keeps this much clear of the
 * character it meets. */
#define MARK_INK_MARGIN 0.08 /* em */

/* A quote between Chinese characters takes a full em whatever its font's
 * advance, the glyph on the inner side of the box as a Chinese font draws
 * it: an opening quote at the right, a closing one at the left. */
static void para_widen_quote(lchar *c)
{
    if (c->glyph_adv >= 0.9 * c->size)
        return; /* a Chinese font's own full-width quote */
    c->adv = c->m->em;
    c->off = c->opening ? c->m->em - c->glyph_adv : 0;
    c->mark = 1;
}

/* The blank a mark may give up: on the side away from its ink (the left
 * of an opening mark, the right of a closing one), as its ink box leaves
 * it less a margin, and never more than half an em. */
static double para_mark_blank(const lchar *c)
{
    double ink_l = c->m->ink_left, ink_r = c->m->ink_right, em = c->m->em;
    if (ink_r <= ink_l)
        return c->adv / 2; /* no ink (the font's blank glyph) */
    double blank = c->opening ? c->off + ink_l : c->adv - c->off - ink_r;
    return fmax(0, fmin(em / 2, blank - MARK_INK_MARGIN * em));
}

/* Two adjacent marks that together take two ems take one and a half
 * (clreq 3.1.6.2): the blank between them, a closing mark's right or the
 * second opening mark's left, is given up for good, whether or not the
 * line is squeezed.  A closing mark followed by an opening one gives its
 * right blank, and the opening one its left for what the first could not. */
static void para_compress_pair(lchar *a, lchar *b)
{
    double half = fmin(a->m->em, b->m->em) / 2, ga = 0, gb = 0;
    if (!a->opening)
        ga = fmin(a->squeeze, half);
    if (b->opening && (a->opening || ga < half))
        gb = fmin(b->squeeze, half - ga);
    a->adv -= ga;
    a->squeeze -= ga;
    b->adv -= gb;
    b->off -= gb;
    b->squeeze -= gb;
}

/* What a quote has on one side, past any other quotes: nothing (the
 * paragraph's edge, a forced break, a fill), a CJK character, or another. */
enum { SIDE_NONE, SIDE_CJK, SIDE_OTHER };

static unsigned char para_side_of(const lchar *c)
{
    return c->forced || c->fill ? SIDE_NONE : c->cjk ? SIDE_CJK : SIDE_OTHER;
}

/* Quotes widened where they stand between Chinese characters (the
 * nearest character that is not a quote on either side is CJK; with
 * nothing but quotes round it a quote counts as Chinese), every mark's
 * squeezable blank from its ink, adjacent marks compressed.  Linear: a
 * quote's right side is noted in a pass from the end. */
static void para_set_punctuation(para_chars *pc)
{
    unsigned char side = SIDE_NONE;
    for (size_t i = pc->n; i-- > 0;) {
        if (pc->v[i].quote)
            pc->v[i].after = side;
        else
            side = para_side_of(&pc->v[i]);
    }
    side = SIDE_NONE;
    for (size_t i = 0; i < pc->n; i++) {
        lchar *c = &pc->v[i];
        if (!c->quote) {
            side = para_side_of(c);
        } else if (side == SIDE_CJK || c->after == SIDE_CJK ||
                   (side == SIDE_NONE && c->after == SIDE_NONE)) {
            para_widen_quote(c);
        }
        if (c->mark)
            c->squeeze = para_mark_blank(c);
    }
    for (size_t i = 1; i < pc->n; i++)
        if (pc->v[i - 1].mark && pc->v[i].mark)
            para_compress_pair(&pc->v[i - 1], &pc->v[i]);
}

/* Word mode: where a line may break between words, the dictionary's word
 * starts (words.h) among text.h's opportunities (para_mark_break_opportunities
 * left the code points in para_scratch.cps).  Only for a text that does not
 * fit on one line: a table of 38,000 rows has a few hundred thousand cells,
 * most of one line. */
static void para_mark_word_starts(para_chars *pc)
{
    unsigned char *bound = para_scratch.bound;
    words_boundaries(para_scratch.cps, pc->n, bound);
    for (size_t i = 0; i < pc->n; i++)
        pc->v[i].word_start = pc->v[i].can_break && bound[i];
    pc->words = 1;
}

static void para_scale_chars(para_chars *pc, double k)
{
    for (size_t i = 0; i < pc->n; i++) {
        pc->v[i].size *= k;
        pc->v[i].glyph_adv *= k;
        pc->v[i].adv *= k;
        pc->v[i].off *= k;
        pc->v[i].squeeze *= k;
    }
}

/* The paragraph's characters, in the para_scratch array (room for all of them
 * made at once); valid until the next paragraph. */
static para_chars para_prepare(layout_ctx *ctx, const block *para)
{
    size_t most = 0;
    long one, *lengths = para->nruns > 1 ? xmalloc(para->nruns * sizeof *lengths) : &one;
    for (size_t i = 0; i < para->nruns; i++) {
        const run *r = &para->runs[i];
        long n = r->kind == RUN_BREAK || r->kind == RUN_FILL ? 1 : para_run_length(r);
        lengths[i] = n;
        most += n > 0 ? (size_t)n : 0;
    }
    if (most > para_scratch.chars_cap) {
        para_scratch.chars_cap = para_grown(para_scratch.chars_cap, most);
        free(para_scratch.chars);
        para_scratch.chars = xmalloc(para_scratch.chars_cap * sizeof *para_scratch.chars);
    }
    para_chars pc = {para_scratch.chars, 0, para_scratch.chars_cap, 0};
    for (size_t i = 0; i < para->nruns; i++)
        para_add_run(ctx, &pc, &para->runs[i], lengths[i]);
    if (lengths != &one)
        free(lengths);
    para_scratch.chars = pc.v; /* (most is enough: it never grows) */
    para_scratch.chars_cap = pc.cap;
    para_set_punctuation(&pc);
    para_mark_break_opportunities(&pc);
    return pc;
}

static double para_width_of(const para_chars *pc, size_t s, size_t e)
{
    double w = 0;
    for (size_t i = s; i < e; i++)
        w += pc->v[i].adv;
    return w;
}

static double para_squeeze_of(const para_chars *pc, size_t s, size_t e)
{
    double w = 0;
    for (size_t i = s; i < e; i++)
        w += pc->v[i].squeeze;
    return w;
}

/* [s, e) without the spaces and the forced break at its end. */
static size_t para_trim_end(const para_chars *pc, size_t s, size_t e)
{
    while (e > s && (pc->v[e - 1].space || pc->v[e - 1].forced))
        e--;
    return e;
}

/* What the closing marks at the end of [s, e) may give up: a line's last
 * marks are squeezed before any other (clreq), as their blank is at the
 * margin. */
static double para_end_squeeze_of(const para_chars *pc, size_t s, size_t e)
{
    double w = 0;
    for (size_t i = e; i > s && pc->v[i - 1].mark && !pc->v[i - 1].opening; i--)
        w += pc->v[i - 1].squeeze;
    return w;
}

/* The places of [s, e) where a justified line is spread: between two
 * characters that are not both of one Latin word. */
static size_t para_gaps_of(const para_chars *pc, size_t s, size_t e)
{
    size_t gaps = 0;
    for (size_t i = s + 1; i < e; i++)
        gaps += !(pc->v[i - 1].word && pc->v[i].word);
    return gaps;
}

#define SPREAD_MOST 0.25 /* em: the widest spread between two characters */

/* How much the line [s, e) justified in `avail` is spread between two
 * characters, in ems of its first character's size (0 for a line that is
 * not justified, or that has nowhere to spread). */
static double para_spread_of(const para_chars *pc, size_t s, size_t e, double avail, int justify)
{
    size_t ce = para_trim_end(pc, s, e);
    size_t gaps = para_gaps_of(pc, s, ce);
    double extra = avail - para_width_of(pc, s, ce);
    if (!justify || extra <= EPS || gaps == 0)
        return 0;
    return extra / (double)gaps / pc->v[s].size;
}

static int para_spread_fits(const para_chars *pc, size_t s, size_t e, double avail, int justify)
{
    return para_spread_of(pc, s, e, avail, justify) <= SPREAD_MOST + EPS / pc->v[s].size;
}

/* Where the line that starts at `s` ends, for the width `avail`.  Clreq's
 * order of resort, when the character that would start the next line may
 * not start one:
 *   1. the line's last marks squeezed to take it in;
 *   2. characters pushed to the next line, if the line is then spread by
 *      no more than SPREAD_MOST between characters (a break that squeezes
 *      no mark in mid-line is preferred to one that does);
 *   3. every mark of the line squeezed by the same fraction to take it in;
 *   4. a long Latin token (an e-mail address, a URL) cut after '@' or
 *      before '.', '/', '-' (text_token_breaks), spread within SPREAD_MOST;
 *   5. a wider spread, when nothing else fits: the least of pushing
 *      characters and cutting the token (a Latin word is not spread
 *      inside, so a line of one may not reach a quarter em however cut);
 * a Latin word longer than the line is cut.  justify: the line will be
 * spread to the measure (the spread matters only then). */
static size_t para_line_end(const para_chars *pc, size_t s, double avail, int justify)
{
    double w = 0;
    size_t i = s;
    while (i < pc->n && !pc->v[i].forced) {
        if (i > s && w + pc->v[i].adv > avail + EPS)
            break;
        w += pc->v[i].adv;
        i++;
    }
    if (i >= pc->n || pc->v[i].forced)
        return i;
    if (pc->v[i].space) { /* spaces at a line's end hang and vanish */
        while (i < pc->n && pc->v[i].space)
            i++;
        return i;
    }
    if (pc->v[i].can_break)
        return i;
    size_t j = i;
    while (j < pc->n && !pc->v[j].can_break && !pc->v[j].forced &&
           kinsoku_is_line_start_forbidden(pc->v[j].cp))
        j++;
    int take_in = j > i && (j == pc->n || pc->v[j].can_break || pc->v[j].forced);
    double need = take_in ? para_width_of(pc, s, j) - avail : 0;
    if (take_in && need <= para_end_squeeze_of(pc, s, j) + EPS)
        return j;
    size_t k = i;
    while (k > s && !pc->v[k].can_break)
        k--;
    if (k > s && para_spread_fits(pc, s, k, avail, justify))
        return k;
    if (take_in && need <= para_squeeze_of(pc, s, j) + EPS)
        return j;
    /* a cut token, or else a wider spread than SPREAD_MOST: of the line
     * ending at k and those cutting the token, the least spread one */
    size_t best = k > s ? k : i;
    double least = k > s ? para_spread_of(pc, s, k, avail, justify) : HUGE_VAL;
    for (size_t t = i; t > k && t > s; t--) {
        if (!pc->v[t].token_cut)
            continue;
        double spread = para_spread_of(pc, s, t, avail, justify);
        if (spread <= SPREAD_MOST + EPS / pc->v[s].size)
            return t;
        if (spread < least)
            best = t, least = spread;
    }
    return best;
}

/* The characters of [s, e) a reader counts: not spaces, not the marks
 * that close or follow (禁则's line-start-forbidden ones). */
static size_t para_count_characters(const para_chars *pc, size_t s, size_t e)
{
    size_t count = 0;
    for (size_t i = s; i < e; i++)
        count += !pc->v[i].space && !pc->v[i].forced && !pc->v[i].fill &&
                 !kinsoku_is_line_start_forbidden(pc->v[i].cp);
    return count;
}

/* In word mode, a line that would end inside a word ends at the last word
 * start before that instead, if the line has one that leaves it more than
 * one character (a word longer than the line is broken by the character
 * rules, and a line of a single character is worse than a split word). */
static size_t para_line_end_words(const para_chars *pc, size_t s, double avail, int justify)
{
    size_t e = para_line_end(pc, s, avail, justify);
    if (!pc->words || e >= pc->n || pc->v[e].forced || pc->v[e].word_start ||
        (e > s && pc->v[e - 1].space))
        return e;
    for (size_t k = e; k-- > s + 1;)
        if (pc->v[k].word_start)
            return para_count_characters(pc, s, k) >= 2 ? k : e;
    return e;
}

static double para_first_offset(const block *para, size_t line)
{
    return line == 0 ? para->first : 0;
}

static size_t para_content_end(const para_chars *pc, const line_span *l)
{
    size_t e = l->end;
    while (e > l->start && (pc->v[e - 1].space || pc->v[e - 1].forced))
        e--;
    return e;
}

/* The lines, into *ls (emptied first; its array is kept for the next
 * paragraph: most have one line, and allocating it was a malloc each). */
static void para_break_lines(const para_chars *pc, const block *para, double measure,
                             line_spans *ls)
{
    ls->n = 0;
    size_t s = 0;
    do {
        double avail = measure - para->left - para->right - para_first_offset(para, ls->n);
        size_t e = para_line_end_words(pc, s, avail, para->align == ALIGN_JUSTIFY);
        GROW(ls->v, ls->n, ls->cap);
        ls->v[ls->n].start = s;
        ls->v[ls->n].end = e;
        ls->v[ls->n].last = e >= pc->n || pc->v[e].forced;
        ls->n++;
        s = e < pc->n && pc->v[e].forced ? e + 1 : e;
    } while (s < pc->n);
}

/* A title broken into lines of even length: the narrowest measure that
 * still needs no more lines than the full one (so never one character left
 * alone on the last line). */
static double para_break_balanced(const para_chars *pc, const block *para, double measure,
                                  line_spans *ls)
{
    para_break_lines(pc, para, measure, ls);
    if (ls->n < 2)
        return measure;
    /* a title its marks' squeeze lets fit on one line stays on one (its
     * quotes take an em each, which a Latin font's did not) */
    double avail = measure - para->left - para->right - para->first;
    size_t forced = 0;
    for (size_t i = 0; i < pc->n; i++)
        forced += pc->v[i].forced;
    if (!forced && para_width_of(pc, 0, pc->n) - para_squeeze_of(pc, 0, pc->n) <= avail + EPS) {
        ls->n = 1;
        ls->v[0] = (line_span){0, pc->n, 1};
        return measure;
    }
    size_t want = ls->n;
    double lo = measure / (double)want, hi = measure;
    while (hi - lo > 0.5) {
        double mid = (lo + hi) / 2;
        para_break_lines(pc, para, mid, ls);
        if (ls->n <= want)
            hi = mid;
        else
            lo = mid;
    }
    para_break_lines(pc, para, hi, ls);
    return hi;
}


/* A line holding one character and the punctuation that follows it (施。):
 * a last line a reader sees as left over.  A line with a fill is a
 * template's layout (a signature), never one. */
static int para_is_lone_character(const para_chars *pc, const line_span *l)
{
    size_t e = para_content_end(pc, l);
    for (size_t i = l->start; i < e; i++)
        if (pc->v[i].fill)
            return 0;
    return para_count_characters(pc, l->start, e) == 1;
}

/* Where the line `prev` may end one break earlier so that the next line,
 * ending at `e`, takes more than its one character: the last break
 * opportunity (in word mode, the last word start if there is one) that
 * leaves `prev` two characters or more, and lets the next line fit in
 * `avail`; 0 if none. */
static size_t para_earlier_break(const para_chars *pc, const line_span *prev, size_t e,
                                 double avail)
{
    for (int words = pc->words; words >= 0; words--)
        for (size_t b = prev->end; b-- > prev->start + 2;) {
            if (para_width_of(pc, b, e) > avail + EPS)
                break;
            if (pc->v[b].can_break && (!words || pc->v[b].word_start))
                return b;
        }
    return 0;
}

/* The last line of a paragraph (or before a forced break) never holds a
 * single character and its punctuation when the paragraph can take it
 * back, by the order of para_line_end: the line before takes it in by
 * squeezing its last marks; or else breaks earlier and hands the last line
 * a character more, if it is then spread by no more than SPREAD_MOST; or
 * else takes it in by squeezing all its marks alike; or else breaks
 * earlier however wide the spread. */
static void para_take_back_lone_lines(const para_chars *pc, const block *para, double measure,
                                      line_spans *ls)
{
    int justify = para->align == ALIGN_JUSTIFY;
    for (size_t k = 1; k < ls->n; k++) {
        line_span *prev = &ls->v[k - 1], *l = &ls->v[k];
        if (!l->last || prev->last || !para_is_lone_character(pc, l))
            continue;
        double base = measure - para->left - para->right;
        double prev_avail = base - para_first_offset(para, k - 1);
        size_t e = para_content_end(pc, l);
        double need = para_width_of(pc, prev->start, e) - prev_avail;
        size_t b = para_earlier_break(pc, prev, e, base - para_first_offset(para, k));
        int spread_fits = b && para_spread_fits(pc, prev->start, b, prev_avail, justify);
        if (need <= para_end_squeeze_of(pc, prev->start, e) + EPS ||
            (!spread_fits && need <= para_squeeze_of(pc, prev->start, e) + EPS)) {
            prev->end = l->end;
            prev->last = 1;
            memmove(l, l + 1, (ls->n - k - 1) * sizeof *l);
            ls->n--;
            continue;
        }
        if (b)
            prev->end = l->start = b;
    }
}

/* x of every character's glyph (its origin).  A line too long for `avail`
 * is squeezed: its last marks first, then every other mark by the same
 * fraction of what it may give; a justified line that is not a paragraph's
 * last is spread evenly between characters (not inside a Latin word). */
static void para_place_line(const para_chars *pc, const line_span *l, align al, double x,
                            double avail, double *pos)
{
    size_t e = para_content_end(pc, l);
    double natural = para_width_of(pc, l->start, e);
    double extra = avail - natural, gap = 0, end_ratio = 0, mid_ratio = 0;
    size_t fills = 0, gaps = para_gaps_of(pc, l->start, e), end_marks = e;
    for (size_t i = l->start; i < e; i++)
        fills += pc->v[i].fill;
    while (end_marks > l->start && pc->v[end_marks - 1].mark && !pc->v[end_marks - 1].opening)
        end_marks--;
    if (extra < 0) {
        double se = para_end_squeeze_of(pc, l->start, e);
        double sm = para_squeeze_of(pc, l->start, e) - se;
        double from_end = fmin(se, -extra);
        end_ratio = se > 0 ? from_end / se : 0;
        mid_ratio = sm > 0 ? fmin(1.0, (-extra - from_end) / sm) : 0;
    } else if (!fills && al == ALIGN_JUSTIFY && !l->last && gaps) {
        gap = extra / (double)gaps;
    } else if (!fills && al == ALIGN_CENTER) {
        x += extra / 2;
    } else if (!fills && al == ALIGN_RIGHT) {
        x += extra;
    }
    for (size_t i = l->start; i < e; i++) {
        const lchar *c = &pc->v[i];
        if (i > l->start && !(pc->v[i - 1].word && c->word))
            x += gap;
        double give = c->squeeze * (i >= end_marks ? end_ratio : mid_ratio);
        /* an opening mark gives up the blank at its left, so its glyph
         * moves left with it */
        pos[i] = x + c->off - (c->opening ? give : 0);
        x += c->adv - give;
        if (c->fill && extra > 0)
            x += extra / (double)fills;
    }
}

/* The glyph runs of a line, gathered here and then given to the box at
 * their exact sizes (the runs array and each run's text): a table of
 * 38,000 rows keeps about a million runs until the PDF is written. */
static struct run_scratch {
    glyph_run *runs;
    size_t n, cap;
    char *text; /* the runs' texts, one after another, each ended by NUL */
    size_t len, text_cap;
    size_t *text_at; /* where each run's text starts */
} para_line_runs;

static glyph_run *para_new_run(const lchar *c, double x)
{
    if (para_line_runs.n >= para_line_runs.cap) {
        para_line_runs.cap = para_grown(para_line_runs.cap, para_line_runs.n + 1);
        para_line_runs.runs =
            xrealloc(para_line_runs.runs, para_line_runs.cap * sizeof *para_line_runs.runs);
        para_line_runs.text_at =
            xrealloc(para_line_runs.text_at, para_line_runs.cap * sizeof *para_line_runs.text_at);
    }
    if (para_line_runs.n > 0)
        /* room was made with the previous character */
        para_line_runs.text[para_line_runs.len++] = '\0';
    glyph_run *r = &para_line_runs.runs[para_line_runs.n];
    para_line_runs.text_at[para_line_runs.n++] = para_line_runs.len;
    memset(r, 0, sizeof *r);
    r->face = c->face;
    r->size = c->size;
    r->color = c->color;
    r->hscale = c->hscale;
    r->x = x;
    return r;
}

static void para_text_add(const lchar *c)
{
    if (para_line_runs.len + 6 > para_line_runs.text_cap) {
        para_line_runs.text_cap = para_grown(para_line_runs.text_cap, para_line_runs.len + 6);
        para_line_runs.text = xrealloc(para_line_runs.text, para_line_runs.text_cap);
    }
    memcpy(para_line_runs.text + para_line_runs.len, c->utf8, 4);
    para_line_runs.len += c->utf8_len;
}

/* Consecutive characters of one face, size and colour whose spacing is
 * uniform become one run (one Tj with Tc in the PDF). */
static void para_emit_runs(const para_chars *pc, const line_span *l, const double *pos, box *b,
                           double baseline)
{
    size_t e = para_content_end(pc, l);
    glyph_run *r = NULL;
    size_t in_run = 0, prev = 0;
    double next_x = 0;
    para_line_runs.n = para_line_runs.len = 0;
    for (size_t i = l->start; i < e; i++) {
        const lchar *c = &pc->v[i];
        if (c->fill || c->forced)
            continue;
        int same = r && r->face == c->face && fabs(r->size - c->size) < 1e-6 &&
                   r->color == c->color && r->hscale == c->hscale;
        if (same && in_run == 1) {
            r->char_space = pos[i] - r->x - pc->v[prev].glyph_adv;
            next_x = pos[i];
        }
        if (!same || (in_run > 1 && fabs(pos[i] - next_x) > 0.001)) {
            r = para_new_run(c, pos[i]);
            r->y = baseline;
            in_run = 0;
        }
        para_text_add(c);
        in_run++;
        prev = i;
        next_x = pos[i] + c->glyph_adv + r->char_space;
    }
    if (para_line_runs.n == 0)
        return;
    para_line_runs.text[para_line_runs.len++] = '\0';
    b->runs = xrealloc(b->runs, (b->nruns + para_line_runs.n) * sizeof *b->runs);
    for (size_t k = 0; k < para_line_runs.n; k++) {
        glyph_run *to = &b->runs[b->nruns++];
        *to = para_line_runs.runs[k];
        size_t end = k + 1 < para_line_runs.n ? para_line_runs.text_at[k + 1] : para_line_runs.len;
        to->text = xmalloc(end - para_line_runs.text_at[k]);
        size_t at = para_line_runs.text_at[k];
        memcpy(to->text, para_line_runs.text + at, end - at);
    }
    if (para_line_runs.cap > SCRATCH_KEEP || para_line_runs.text_cap > 4 * SCRATCH_KEEP) {
        free(para_line_runs.runs), free(para_line_runs.text), free(para_line_runs.text_at);
        para_line_runs = (struct run_scratch){0};
    }
}

static void para_line_metrics(const para_chars *pc, const line_span *l, const block *para,
                              double *height, double *baseline)
{
    double size = 0, leading = 0;
    for (size_t i = l->start; i < l->end && i < pc->n; i++) {
        /* (sizes and leadings are positive: what fmax gives, without a call) */
        if (pc->v[i].size > size)
            size = pc->v[i].size;
        if (pc->v[i].leading > leading)
            leading = pc->v[i].leading;
    }
    if (para->nruns && size == 0) { /* an empty line keeps its style's height */
        size = para->runs[0].style.size;
        leading = para->runs[0].style.leading > 0 ? para->runs[0].style.leading : size * 1.5;
    }
    *height = para->leading > 0 ? para->leading : leading;
    /* the em box centred in the line, as a document grid does */
    *baseline = (*height - size) / 2 + EM_BOX_ASCENT * size;
}

static void para_set_lines(const para_chars *pc, const line_spans *ls, const block *para, double x0,
                           double measure, box_list *out)
{
    if (pc->n + 1 > para_scratch.pos_cap) {
        para_scratch.pos_cap = para_grown(para_scratch.pos_cap, pc->n + 1);
        free(para_scratch.pos);
        para_scratch.pos = xmalloc(para_scratch.pos_cap * sizeof *para_scratch.pos);
    }
    double *pos = para_scratch.pos;
    /* room for the lines at once: a cell's list gets just its lines, a
     * long list still grows by doubling */
    if (out->n + ls->n > out->cap) {
        size_t cap = out->n + ls->n;
        if (out->cap && cap < 2 * out->cap)
            cap = 2 * out->cap;
        out->items = xrealloc(out->items, cap * sizeof *out->items);
        out->cap = cap;
    }
    for (size_t k = 0; k < ls->n; k++) {
        const line_span *l = &ls->v[k];
        double x = x0 + para->left + para_first_offset(para, k);
        double avail = measure - para->left - para->right - para_first_offset(para, k);
        double height, baseline;
        para_line_metrics(pc, l, para, &height, &baseline);
        box *b = box_list_push(out, BOX_LINE, height);
        /* no orphan or widow: a paragraph's second line keeps with its first
         * and its last with the one before, so that a page never ends with
         * a paragraph's first line alone nor begins with its last alone */
        b->keep_with_previous = k == 0 ? para->keep_with_previous : (k == 1 || k + 1 == ls->n);
        para_place_line(pc, l, para->align, x, avail, pos);
        para_emit_runs(pc, l, pos, b, baseline);
    }
}

/* A line too long for the measure: condensed horizontally down to the
 * paragraph's limit (every width scaled, the size kept), and only beyond
 * that reduced in size. */
static void para_shrink_to_measure(para_chars *pc, const block *para, double measure)
{
    double avail = measure - para->left - para->right - para->first;
    double natural = para_width_of(pc, 0, pc->n);
    if (!para->shrink_to_fit || natural <= avail || natural <= 0)
        return;
    double k = avail / natural, h = para->condense ? fmax(k, para->condense / 100.0) : 1;
    for (size_t i = 0; h < 1 && i < pc->n; i++) {
        lchar *c = &pc->v[i];
        c->glyph_adv *= h, c->adv *= h, c->off *= h, c->squeeze *= h, c->hscale = h;
    }
    if (k < h)
        para_scale_chars(pc, k / h);
}

/* words: break between words where a line can (word mode). */
static void para_lay_out(layout_ctx *ctx, const block *para, double x0, double measure,
                         box_list *out, int words)
{
    para_chars pc = para_prepare(ctx, para);
    para_shrink_to_measure(&pc, para, measure);
    if (words && para_width_of(&pc, 0, pc.n) > measure - para->left - para->right - para->first)
        para_mark_word_starts(&pc);
    line_spans *ls = &para_scratch.lines;
    double used = measure;
    if (para->balance)
        used = para_break_balanced(&pc, para, measure, ls);
    else
        para_break_lines(&pc, para, measure, ls);
    para_take_back_lone_lines(&pc, para, used, ls);
    para_set_lines(&pc, ls, para, x0, measure, out);
    para_scratch_release();
}

/* Titles (balanced) and headings (kept with what follows) keep their words
 * whole, GB/T 9704-2012 7.3.1; body text breaks between any characters the
 * rules allow, on the grid. */
void para_to_boxes(layout_ctx *ctx, const block *para, double x0, double measure, box_list *out)
{
    para_lay_out(ctx, para, x0, measure, out, para->balance || para->keep_with_next);
}

void para_cell_to_boxes(layout_ctx *ctx, const block *para, double x0, double measure,
                        box_list *out)
{
    para_lay_out(ctx, para, x0, measure, out, 1);
}

/* The sum of the advances para_prepare gives (quotes widened, adjacent
 * marks compressed: the width para_to_boxes sets the text in on one line),
 * with the same fonts marked used and the same characters reported
 * missing: a table measures every cell of its fitted columns before it
 * lays them out. */
double para_natural_width(layout_ctx *ctx, const block *para)
{
    para_chars pc = para_prepare(ctx, para);
    double w = para_width_of(&pc, 0, pc.n);
    para_scratch_release();
    return w;
}

void para_line_at(layout_ctx *ctx, const block *para, double x, box_list *out)
{
    para_chars pc = para_prepare(ctx, para);
    line_span whole = {0, pc.n, 1};
    line_spans ls = {&whole, 1, 1};
    block left = *para;
    left.align = ALIGN_LEFT;
    left.left = left.right = left.first = 0;
    para_set_lines(&pc, &ls, &left, x, para_width_of(&pc, 0, pc.n), out);
    para_scratch_release();
}
