/* A page's rules merged: a table strokes each cell's frame, so every
 * border between two rows comes twice (one row's bottom, the next one's
 * top) and every column line comes in as many pieces as there are rows.
 * Exact duplicates go; horizontal rules on one y, or vertical ones on one
 * x, of the same thickness and colour that overlap or touch become one
 * rule.  The page looks the same, with far fewer strokes to draw. */
#include <math.h>
#include <stdlib.h>
#include <string.h>

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

static int rules_same_style(const rule_line *a, const rule_line *b)
{
    return a->thickness == b->thickness && a->color == b->color;
}

static axis_rule rules_axis_rule_of(const rule_line *r, size_t index)
{
    axis_rule a = {RULE_OTHER, 0, 0, 0, 0, index};
    int flat = fabs(r->y1 - r->y2) <= RULE_EPS, upright = fabs(r->x1 - r->x2) <= RULE_EPS;
    if (flat && !upright)
        a = (axis_rule){RULE_HORIZONTAL, 0, r->y1, fmin(r->x1, r->x2), fmax(r->x1, r->x2), index};
    else if (upright && !flat)
        a = (axis_rule){RULE_VERTICAL, 0, r->x1, fmin(r->y1, r->y2), fmax(r->y1, r->y2), index};
    return a;
}

/* Rules on one line are alike in `at` (a table's frame has a few rows'
 * edges and a few column lines), so lines are numbered from the distinct
 * values of `at`, found through a hash of their bits, rather than by
 * sorting every rule. */
typedef struct line_key {
    rule_axis axis;
    double at;
    size_t line;
} line_key;

static size_t rules_hash_key(rule_axis axis, double at, size_t mask)
{
    uint64_t bits;
    memcpy(&bits, &at, sizeof bits);
    bits ^= (uint64_t)axis << 61;
    bits *= 0x9E3779B97F4A7C15u;
    return (size_t)(bits >> 32) & mask;
}

static int rules_key_before(const line_key *a, const line_key *b)
{
    return a->axis != b->axis ? a->axis < b->axis : a->at < b->at;
}

/* Number the lines: rules of one axis whose `at` lies within RULE_EPS of
 * the least `at` of a line are on that line (the lines numbered along the
 * axes, then up `at`).  `work` has room for 3 n + 2 size_t. */
static void rules_assign_lines(axis_rule *a, size_t n, size_t *work)
{
    size_t cap = 4;
    while (cap < 2 * n)
        cap *= 2;
    line_key *keys = xmalloc(n * sizeof *keys);
    size_t *table = xmalloc(cap * sizeof *table), nkeys = 0;
    for (size_t i = 0; i < cap; i++)
        table[i] = (size_t)-1;
    size_t *key_of = work; /* the key of each rule */
    for (size_t i = 0; i < n; i++) {
        size_t h = rules_hash_key(a[i].axis, a[i].at, cap - 1);
        while (table[h] != (size_t)-1 &&
               !(keys[table[h]].axis == a[i].axis && keys[table[h]].at == a[i].at))
            h = (h + 1) & (cap - 1);
        if (table[h] == (size_t)-1) {
            keys[nkeys] = (line_key){a[i].axis, a[i].at, 0};
            table[h] = nkeys++;
        }
        key_of[i] = table[h];
    }
    /* the distinct keys in order, by insertion (there are few) */
    size_t *order = work + n;
    for (size_t k = 0; k < nkeys; k++) {
        size_t j = k;
        for (; j > 0 && rules_key_before(&keys[k], &keys[order[j - 1]]); j--)
            order[j] = order[j - 1];
        order[j] = k;
    }
    size_t line = 0;
    for (size_t k = 0, first = 0; k < nkeys; k++) {
        const line_key *key = &keys[order[k]], *head = &keys[order[first]];
        if (k > 0 && (key->axis != head->axis || key->at - head->at > RULE_EPS)) {
            line++;
            first = k;
        }
        keys[order[k]].line = line;
    }
    for (size_t i = 0; i < n; i++)
        a[i].line = keys[key_of[i]].line;
    free(keys);
    free(table);
}

static int rules_span_before(const axis_rule *a, const axis_rule *b)
{
    return a->lo != b->lo ? a->lo < b->lo : a->index < b->index;
}

/* Join overlapping or touching spans on each line; returns how many
 * remain, in a[0..] (by line, then along it), each with the earliest index
 * of its pieces and the `at` of its leftmost (lowest) piece.  Rules on no
 * axis stay alone.  a[] comes in drawing order; `tmp` has room for n. */
static size_t rules_join_spans(axis_rule *a, size_t n, axis_rule *tmp, size_t *work)
{
    /* by line (counting: a line's rules stay in drawing order) */
    size_t nlines = 0;
    for (size_t i = 0; i < n; i++)
        if (a[i].line + 1 > nlines)
            nlines = a[i].line + 1;
    size_t *start = work;
    memset(start, 0, (nlines + 1) * sizeof *start);
    for (size_t i = 0; i < n; i++)
        start[a[i].line + 1]++;
    for (size_t l = 0; l < nlines; l++)
        start[l + 1] += start[l];
    for (size_t i = 0; i < n; i++)
        tmp[start[a[i].line]++] = a[i];
    size_t out = 0;
    for (size_t s = 0, e; s < n; s = e) {
        for (e = s + 1; e < n && tmp[e].line == tmp[s].line; e++)
            ;
        /* along the line: a column's pieces come up the page, row by row */
        int descending = 1;
        for (size_t i = s + 1; i < e && descending; i++)
            descending = tmp[i].lo < tmp[i - 1].lo;
        if (descending) {
            for (size_t i = s, j = e - 1; i < j; i++, j--) {
                axis_rule x = tmp[i];
                tmp[i] = tmp[j], tmp[j] = x;
            }
        } else {
            for (size_t i = s + 1; i < e; i++) {
                axis_rule x = tmp[i];
                size_t j = i;
                for (; j > s && rules_span_before(&x, &tmp[j - 1]); j--)
                    tmp[j] = tmp[j - 1];
                tmp[j] = x;
            }
        }
        for (size_t i = s; i < e; i++) {
            axis_rule *last = out > 0 ? &a[out - 1] : NULL;
            if (last && tmp[i].axis != RULE_OTHER && tmp[i].axis == last->axis &&
                tmp[i].line == last->line && tmp[i].lo <= last->hi + RULE_EPS) {
                last->hi = fmax(last->hi, tmp[i].hi);
                if (tmp[i].index < last->index)
                    last->index = tmp[i].index;
                continue;
            }
            a[out++] = tmp[i];
        }
    }
    return out;
}

/* The kept rules in drawing order: each has an index of its own in
 * [first, first + n). */
static void rules_order_by_index(axis_rule *a, size_t kept, size_t first, size_t n, axis_rule *tmp,
                                 size_t *work)
{
    size_t *slot = work;
    for (size_t i = 0; i < n; i++)
        slot[i] = (size_t)-1;
    for (size_t k = 0; k < kept; k++)
        slot[a[k].index - first] = k;
    memcpy(tmp, a, kept * sizeof *a);
    size_t k = 0;
    for (size_t i = 0; i < n; i++)
        if (slot[i] != (size_t)-1)
            a[k++] = tmp[slot[i]];
}

/* Merge the rules [first, end) of a page, all of one style, writing the
 * result from `out` on (out <= first); returns how many were written. */
static size_t rules_merge_run(rule_line *rules, size_t first, size_t end, size_t out)
{
    size_t n = end - first;
    axis_rule *a = xmalloc((2 * n + 1) * sizeof *a), *tmp = a + n;
    size_t *work = xmalloc((3 * n + 2) * sizeof *work);
    for (size_t i = 0; i < n; i++)
        a[i] = rules_axis_rule_of(&rules[first + i], first + i);
    rules_assign_lines(a, n, work);
    size_t kept = rules_join_spans(a, n, tmp, work);
    /* drawn in the order of each merged rule's first piece */
    rules_order_by_index(a, kept, first, n, tmp, work);
    for (size_t i = 0; i < kept; i++) {
        const axis_rule *m = &a[i];
        rule_line r = rules[m->index];
        axis_rule own = rules_axis_rule_of(&r, m->index);
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
    free(work);
    return kept;
}

void rules_merge_page(laid_page *page)
{
    /* Only rules of one style that follow each other in drawing order are
     * merged: where rules of different colours or widths cross, which is
     * drawn over which stays as it was. */
    size_t out = 0;
    for (size_t first = 0; first < page->nrules;) {
        size_t end = first + 1;
        while (end < page->nrules && rules_same_style(&page->rules[end], &page->rules[first]))
            end++;
        out += rules_merge_run(page->rules, first, end, out);
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
