/* Paragraphs to lines: choosing a face for every character, breaking lines
 * by the Chinese rules, squeezing or spreading them to the measure, and
 * grouping the placed characters into glyph runs. */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "layout_internal.h"
#include "text.h"
#include "util.h"

#define EPS 0.01           /* pt: below anything a reader can see */
#define MISSING_MARK 0x3013 /* 〓, the typesetter's mark for a missing character */
#define EM_BOX_ASCENT 0.88 /* baseline within the ideographic em box */

/* A character on its way into a line. */
typedef struct lchar {
    uint32_t cp;
    font_face *face;
    double size, leading;
    uint32_t color;
    double glyph_adv; /* the glyph's own width, as the PDF will advance */
    double adv;       /* the width it takes in the line (grid pitch for full-width) */
    double squeeze;   /* how much of adv it may give up when a line is squeezed */
    unsigned char can_break, word, opening, forced, fill, space;
} lchar;

typedef struct para_chars {
    lchar *v;
    size_t n, cap;
} para_chars;

static void report_missing(layout_ctx *ctx, const run *r, uint32_t cp, const char *why)
{
    for (size_t i = 0; i < ctx->nreported; i++)
        if (ctx->reported[i] == cp)
            return;
    GROW(ctx->reported, ctx->nreported, ctx->reported_cap);
    ctx->reported[ctx->nreported++] = cp;
    char utf8[5] = {0};
    utf8_encode(cp, utf8);
    diag_add(ctx->diags, DIAG_WARNING, r->origin.file, r->origin.line,
             "%s U+%04X in <%s>: %s %s; drawn as 〓", utf8, (unsigned)cp,
             r->origin.field ? r->origin.field : "?", why, r->style.role);
}

static lchar *push_char(para_chars *pc, const run *r)
{
    GROW(pc->v, pc->n, pc->cap);
    lchar *c = &pc->v[pc->n++];
    memset(c, 0, sizeof *c);
    c->size = r->style.size;
    c->leading = r->style.leading > 0 ? r->style.leading : r->style.size * 1.5;
    c->color = r->style.color;
    return c;
}

static void add_text_char(layout_ctx *ctx, para_chars *pc, const run *r, uint32_t cp)
{
    if (cp == '\t' || cp == '\n' || cp == '\r')
        cp = ' ';
    if (cp < 0x20 || (cp >= 0x7f && cp < 0xa0))
        return; /* control characters draw nothing */
    font_face *face = font_for_char(ctx->fonts, r->style.role, cp);
    if (!face) {
        report_missing(ctx, r, cp, "no font has it in the role");
        cp = MISSING_MARK;
        face = font_for_char(ctx->fonts, r->style.role, cp);
        if (!face)
            return;
    }
    font_use(face, cp);
    lchar *c = push_char(pc, r);
    c->cp = cp;
    c->face = face;
    c->glyph_adv = font_advance(face, cp, c->size);
    int full_width = c->glyph_adv >= 0.9 * c->size;
    c->adv = full_width && r->style.pitch > 0 ? r->style.pitch : c->glyph_adv;
    c->squeeze = full_width && punct_is_squeezable(cp) ? c->adv / 2 : 0;
    c->word = (unsigned char)text_is_word_char(cp);
    c->opening = (unsigned char)kinsoku_is_line_end_forbidden(cp);
    c->space = cp == ' ' || cp == 0x3000;
}

static void add_run(layout_ctx *ctx, para_chars *pc, const run *r)
{
    if (r->kind == RUN_BREAK) {
        push_char(pc, r)->forced = 1;
        return;
    }
    if (r->kind == RUN_FILL) {
        push_char(pc, r)->fill = 1;
        return;
    }
    if (!r->text)
        return;
    uint32_t *cps = NULL;
    size_t bad = 0;
    long n = utf8_decode(r->text, strlen(r->text), &cps, &bad);
    for (long i = 0; i < n; i++)
        add_text_char(ctx, pc, r, cps[i]);
    free(cps);
}

static void mark_break_opportunities(para_chars *pc)
{
    uint32_t *cps = xmalloc(pc->n * sizeof *cps);
    unsigned char *can = xmalloc(pc->n);
    for (size_t i = 0; i < pc->n; i++)
        cps[i] = pc->v[i].forced || pc->v[i].fill ? 0x20 : pc->v[i].cp;
    linebreak_opportunities(cps, pc->n, can);
    for (size_t i = 0; i < pc->n; i++)
        pc->v[i].can_break = can[i];
    free(cps);
    free(can);
}

static void scale_chars(para_chars *pc, double k)
{
    for (size_t i = 0; i < pc->n; i++) {
        pc->v[i].size *= k;
        pc->v[i].glyph_adv *= k;
        pc->v[i].adv *= k;
        pc->v[i].squeeze *= k;
    }
}

static para_chars prepare(layout_ctx *ctx, const block *para)
{
    para_chars pc = {0};
    for (size_t i = 0; i < para->nruns; i++)
        add_run(ctx, &pc, &para->runs[i]);
    mark_break_opportunities(&pc);
    return pc;
}

static double width_of(const para_chars *pc, size_t s, size_t e)
{
    double w = 0;
    for (size_t i = s; i < e; i++)
        w += pc->v[i].adv;
    return w;
}

static double squeeze_of(const para_chars *pc, size_t s, size_t e)
{
    double w = 0;
    for (size_t i = s; i < e; i++)
        w += pc->v[i].squeeze;
    return w;
}

/* Where the line that starts at `s` ends, for the width `avail`.  The
 * method of GB/T 15834 and JLREQ: when the character that would start the
 * next line may not start one, first squeeze the line's punctuation to take
 * it in; failing that, push characters to the next line (the line is
 * spread when it is justified); a Latin word longer than the line is cut. */
static size_t line_end(const para_chars *pc, size_t s, double avail)
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
    if (j > i && (j == pc->n || pc->v[j].can_break || pc->v[j].forced) &&
        width_of(pc, s, j) - squeeze_of(pc, s, j) <= avail + EPS)
        return j;
    for (size_t k = i; k > s; k--)
        if (pc->v[k].can_break)
            return k;
    return i;
}

typedef struct line_span {
    size_t start, end; /* chars [start, end), trailing spaces included */
    int last;          /* last of the paragraph, or before a forced break */
} line_span;

typedef struct line_spans {
    line_span *v;
    size_t n, cap;
} line_spans;

static double first_offset(const block *para, size_t line)
{
    return line == 0 ? para->first : 0;
}

static line_spans break_lines(const para_chars *pc, const block *para, double measure)
{
    line_spans ls = {0};
    size_t s = 0;
    do {
        double avail = measure - para->left - para->right - first_offset(para, ls.n);
        size_t e = line_end(pc, s, avail);
        GROW(ls.v, ls.n, ls.cap);
        ls.v[ls.n].start = s;
        ls.v[ls.n].end = e;
        ls.v[ls.n].last = e >= pc->n || pc->v[e].forced;
        ls.n++;
        s = e < pc->n && pc->v[e].forced ? e + 1 : e;
    } while (s < pc->n);
    return ls;
}

/* A title broken into lines of even length: the narrowest measure that
 * still needs no more lines than the full one (so never one character left
 * alone on the last line). */
static line_spans break_balanced(const para_chars *pc, const block *para, double measure)
{
    line_spans ls = break_lines(pc, para, measure);
    if (ls.n < 2)
        return ls;
    size_t want = ls.n;
    double lo = measure / (double)want, hi = measure;
    while (hi - lo > 0.5) {
        double mid = (lo + hi) / 2;
        line_spans t = break_lines(pc, para, mid);
        if (t.n <= want)
            hi = mid;
        else
            lo = mid;
        free(t.v);
    }
    free(ls.v);
    return break_lines(pc, para, hi);
}

static size_t content_end(const para_chars *pc, const line_span *l)
{
    size_t e = l->end;
    while (e > l->start && (pc->v[e - 1].space || pc->v[e - 1].forced))
        e--;
    return e;
}

/* x of every character of the line; returns the line's height data. */
static void place_line(const para_chars *pc, const line_span *l, align al, double x, double avail,
                       double *pos)
{
    size_t e = content_end(pc, l);
    double natural = width_of(pc, l->start, e);
    double extra = avail - natural, gap = 0, squeeze_ratio = 0;
    size_t fills = 0, gaps = 0;
    for (size_t i = l->start; i < e; i++) {
        fills += pc->v[i].fill;
        gaps += i > l->start && !(pc->v[i - 1].word && pc->v[i].word);
    }
    if (extra < 0) {
        double s = squeeze_of(pc, l->start, e);
        squeeze_ratio = s > 0 ? fmin(1.0, -extra / s) : 0;
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
        double give = c->squeeze * squeeze_ratio;
        /* an opening bracket's glyph sits in the right half of its box, so
         * squeezing it moves the glyph left */
        pos[i] = x - (c->opening ? give : 0);
        x += c->adv - give;
        if (c->fill && extra > 0)
            x += extra / (double)fills;
    }
}

static glyph_run *new_run(box *b, const lchar *c, double x)
{
    b->runs = xrealloc(b->runs, (b->nruns + 1) * sizeof *b->runs);
    glyph_run *r = &b->runs[b->nruns++];
    memset(r, 0, sizeof *r);
    r->face = c->face;
    r->size = c->size;
    r->color = c->color;
    r->x = x;
    return r;
}

typedef struct text_buf {
    char *s;
    size_t n, cap;
} text_buf;

static void text_buf_add(text_buf *t, uint32_t cp)
{
    if (t->n + 5 > t->cap) {
        t->cap = t->cap ? t->cap * 2 : 64;
        t->s = xrealloc(t->s, t->cap);
    }
    t->n += (size_t)utf8_encode(cp, t->s + t->n);
    t->s[t->n] = '\0';
}

/* Consecutive characters of one face, size and colour whose spacing is
 * uniform become one run (one Tj with Tc in the PDF). */
static void emit_runs(const para_chars *pc, const line_span *l, const double *pos, box *b,
                      double baseline)
{
    size_t e = content_end(pc, l);
    glyph_run *r = NULL;
    text_buf t = {0};
    size_t in_run = 0, prev = 0;
    double next_x = 0;
    for (size_t i = l->start; i < e; i++) {
        const lchar *c = &pc->v[i];
        if (c->fill || c->forced)
            continue;
        int same = r && r->face == c->face && fabs(r->size - c->size) < 1e-6 && r->color == c->color;
        if (same && in_run == 1) {
            r->char_space = pos[i] - r->x - pc->v[prev].glyph_adv;
            next_x = pos[i];
        }
        if (!same || (in_run > 1 && fabs(pos[i] - next_x) > 0.001)) {
            if (r)
                r->text = t.s;
            t = (text_buf){0};
            r = new_run(b, c, pos[i]);
            r->y = baseline;
            in_run = 0;
        }
        text_buf_add(&t, c->cp);
        in_run++;
        prev = i;
        next_x = pos[i] + c->glyph_adv + r->char_space;
    }
    if (r)
        r->text = t.s;
    else
        free(t.s);
}

static void line_metrics(const para_chars *pc, const line_span *l, const block *para,
                         double *height, double *baseline)
{
    double size = 0, leading = 0;
    for (size_t i = l->start; i < l->end && i < pc->n; i++) {
        size = fmax(size, pc->v[i].size);
        leading = fmax(leading, pc->v[i].leading);
    }
    if (para->nruns && size == 0) { /* an empty line keeps its style's height */
        size = para->runs[0].style.size;
        leading = para->runs[0].style.leading > 0 ? para->runs[0].style.leading : size * 1.5;
    }
    *height = para->leading > 0 ? para->leading : leading;
    /* the em box centred in the line, as a document grid does */
    *baseline = (*height - size) / 2 + EM_BOX_ASCENT * size;
}

static void set_lines(const para_chars *pc, const line_spans *ls, const block *para, double x0,
                      double measure, box_list *out)
{
    double *pos = xcalloc(pc->n + 1, sizeof *pos);
    for (size_t k = 0; k < ls->n; k++) {
        const line_span *l = &ls->v[k];
        double x = x0 + para->left + first_offset(para, k);
        double avail = measure - para->left - para->right - first_offset(para, k);
        double height, baseline;
        line_metrics(pc, l, para, &height, &baseline);
        box *b = box_list_push(out, BOX_LINE, height);
        b->keep_with_previous = k == 0 ? para->keep_with_previous : 0;
        place_line(pc, l, para->align, x, avail, pos);
        emit_runs(pc, l, pos, b, baseline);
    }
    free(pos);
}

static void shrink_to_measure(para_chars *pc, const block *para, double measure)
{
    double avail = measure - para->left - para->right - para->first;
    double natural = width_of(pc, 0, pc->n);
    if (para->shrink_to_fit && natural > avail && natural > 0)
        scale_chars(pc, avail / natural);
}

void para_to_boxes(layout_ctx *ctx, const block *para, double x0, double measure, box_list *out)
{
    para_chars pc = prepare(ctx, para);
    shrink_to_measure(&pc, para, measure);
    line_spans ls = para->balance ? break_balanced(&pc, para, measure)
                                  : break_lines(&pc, para, measure);
    set_lines(&pc, &ls, para, x0, measure, out);
    free(ls.v);
    free(pc.v);
}

double para_natural_width(layout_ctx *ctx, const block *para)
{
    para_chars pc = prepare(ctx, para);
    double w = width_of(&pc, 0, pc.n);
    free(pc.v);
    return w;
}

void para_line_at(layout_ctx *ctx, const block *para, double x, box_list *out)
{
    para_chars pc = prepare(ctx, para);
    line_span whole = {0, pc.n, 1};
    line_spans ls = {&whole, 1, 1};
    block left = *para;
    left.align = ALIGN_LEFT;
    left.left = left.right = left.first = 0;
    set_lines(&pc, &ls, &left, x, width_of(&pc, 0, pc.n), out);
    free(pc.v);
}
