/* A page's rules merged: a table strokes each cell's frame, so every
 * border between two rows comes twice (one row's bottom, the next one's
 * top) and every column line comes in as many pieces as there are rows.
 * Exact duplicates go; horizontal rules on one y, or vertical ones on one
 * x, of the same thickness and colour that overlap or touch become one
 * rule.  The page looks the same, with far fewer strokes to draw. */
#include <math.h>
#include <stdlib.h>

#include "layout_internal.h"
#include "util.h"

/* Positions closer than this (points) are the same position. */
#define RULE_EPS 0.01

typedef enum { RULE_HORIZONTAL, RULE_VERTICAL, RULE_OTHER } rule_axis;

/* A rule seen along its axis: `at` the y of a horizontal one (the x of a
 * vertical one), [lo, hi] the span it covers. */
typedef struct axis_rule {
    rule_axis axis;
    size_t line;  /* rules on one line (axis and `at` within RULE_EPS) share it */
    double at, lo, hi;
    size_t index; /* in the page's drawing order */
} axis_rule;

static int same_style(const rule_line *a, const rule_line *b)
{
    return a->thickness == b->thickness && a->color == b->color;
}

static axis_rule axis_rule_of(const rule_line *r, size_t index)
{
    axis_rule a = {RULE_OTHER, 0, 0, 0, 0, index};
    int flat = fabs(r->y1 - r->y2) <= RULE_EPS, upright = fabs(r->x1 - r->x2) <= RULE_EPS;
    if (flat && !upright)
        a = (axis_rule){RULE_HORIZONTAL, 0, r->y1, fmin(r->x1, r->x2), fmax(r->x1, r->x2), index};
    else if (upright && !flat)
        a = (axis_rule){RULE_VERTICAL, 0, r->x1, fmin(r->y1, r->y2), fmax(r->y1, r->y2), index};
    return a;
}

static int cmp_size(size_t a, size_t b)
{
    return (a > b) - (a < b);
}

static int cmp_double(double a, double b)
{
    return (a > b) - (a < b);
}

static int by_axis_and_position(const void *pa, const void *pb)
{
    const axis_rule *a = pa, *b = pb;
    int c = cmp_size(a->axis, b->axis);
    if (!c)
        c = cmp_double(a->at, b->at);
    return c ? c : cmp_size(a->index, b->index);
}

static int by_line_and_span(const void *pa, const void *pb)
{
    const axis_rule *a = pa, *b = pb;
    int c = cmp_size(a->axis, b->axis);
    if (!c)
        c = cmp_size(a->line, b->line);
    if (!c)
        c = cmp_double(a->lo, b->lo);
    return c ? c : cmp_size(a->index, b->index);
}

static int by_index(const void *pa, const void *pb)
{
    return cmp_size(((const axis_rule *)pa)->index, ((const axis_rule *)pb)->index);
}

/* Number the lines: rules of one axis whose `at` lies within RULE_EPS of
 * the first rule of a line are on that line. */
static void assign_lines(axis_rule *a, size_t n)
{
    qsort(a, n, sizeof *a, by_axis_and_position);
    size_t line = 0;
    for (size_t i = 0, first = 0; i < n; i++) {
        if (i > 0 && (a[i].axis != a[first].axis || a[i].at - a[first].at > RULE_EPS)) {
            line++;
            first = i;
        }
        a[i].line = line;
    }
}

/* Join overlapping or touching spans on each line; returns how many
 * remain, in a[0..], each with the earliest index of its pieces and the
 * `at` of its leftmost (lowest) piece.  Rules on no axis stay alone. */
static size_t join_spans(axis_rule *a, size_t n)
{
    qsort(a, n, sizeof *a, by_line_and_span);
    size_t out = 0;
    for (size_t i = 0; i < n; i++) {
        axis_rule *last = out > 0 ? &a[out - 1] : NULL;
        if (last && a[i].axis != RULE_OTHER && a[i].axis == last->axis &&
            a[i].line == last->line && a[i].lo <= last->hi + RULE_EPS) {
            last->hi = fmax(last->hi, a[i].hi);
            if (a[i].index < last->index)
                last->index = a[i].index;
            continue;
        }
        a[out++] = a[i];
    }
    return out;
}

/* Merge the rules [first, end) of a page, all of one style, writing the
 * result from `out` on (out <= first); returns how many were written. */
static size_t merge_run(rule_line *rules, size_t first, size_t end, size_t out)
{
    size_t n = end - first;
    axis_rule *a = xmalloc((n + 1) * sizeof *a);
    for (size_t i = 0; i < n; i++)
        a[i] = axis_rule_of(&rules[first + i], first + i);
    assign_lines(a, n);
    size_t kept = join_spans(a, n);
    /* drawn in the order of each merged rule's first piece */
    qsort(a, kept, sizeof *a, by_index);
    for (size_t i = 0; i < kept; i++) {
        const axis_rule *m = &a[i];
        rule_line r = rules[m->index];
        axis_rule own = axis_rule_of(&r, m->index);
        /* a rule that took in others is drawn over their whole span, the
         * way its first piece went (a rasteriser may round the two ends of
         * a stroke differently) */
        if (m->axis != RULE_OTHER && (own.lo != m->lo || own.hi != m->hi)) {
            int backwards = m->axis == RULE_HORIZONTAL ? r.x1 > r.x2 : r.y1 > r.y2;
            double from = backwards ? m->hi : m->lo, to = backwards ? m->lo : m->hi;
            if (m->axis == RULE_HORIZONTAL)
                r.x1 = from, r.x2 = to, r.y1 = r.y2 = m->at;
            else
                r.y1 = from, r.y2 = to, r.x1 = r.x2 = m->at;
        }
        rules[out + i] = r; /* out + i <= m->index: nothing unread is overwritten */
    }
    free(a);
    return kept;
}

void merge_page_rules(laid_page *page)
{
    /* Only rules of one style that follow each other in drawing order are
     * merged: where rules of different colours or widths cross, which is
     * drawn over which stays as it was. */
    size_t out = 0;
    for (size_t first = 0; first < page->nrules;) {
        size_t end = first + 1;
        while (end < page->nrules && same_style(&page->rules[end], &page->rules[first]))
            end++;
        out += merge_run(page->rules, first, end, out);
        first = end;
    }
    page->nrules = out;
    /* a table page keeps a sixth of its rules: the room of the rest (40 MB
     * for W2's 4,300 pages) goes back to the heap */
    if (out > 0 && out < page->rules_cap) {
        page->rules = xrealloc(page->rules, out * sizeof *page->rules);
        page->rules_cap = out;
    }
}
