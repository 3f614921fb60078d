/* The stage's data made and freed: boxes and lists of boxes (the flow, a
 * cell's lines), and the laid-out pages' runs, rules and images.  The
 * lowest file of the stage: it calls no other part of it. */
#include <stdlib.h>
#include <string.h>

#include "layout_internal.h"
#include "util.h"

box *box_list_push(box_list *list, box_kind kind, double height)
{
    GROW(list->items, list->n, list->cap);
    box *b = &list->items[list->n++];
    memset(b, 0, sizeof *b);
    b->kind = kind;
    b->height = height;
    return b;
}

void box_add_rule(box *b, const rule_line *rule)
{
    b->rules = xrealloc(b->rules, (b->nrules + 1) * sizeof *b->rules);
    b->rules[b->nrules++] = *rule;
}

static void box_row_free(row_box *row)
{
    for (size_t i = 0; i < row->ncells; i++)
        box_list_free(&row->cells[i].lines);
    free(row->cells);
    free(row);
}

void box_free_content(box *b)
{
    for (size_t j = 0; j < b->nruns; j++)
        free(b->runs[j].text);
    free(b->runs);
    free(b->rules);
    free(b->image.path);
    if (b->row)
        box_row_free(b->row);
    b->runs = NULL, b->rules = NULL, b->image.path = NULL, b->row = NULL;
    b->nruns = b->nrules = 0;
}

void box_list_free(box_list *list)
{
    for (size_t i = 0; i < list->n; i++)
        box_free_content(&list->items[i]);
    free(list->items);
    memset(list, 0, sizeof *list);
}

glyph_run *laid_page_add_run(laid_page *pg, const glyph_run *r, const char *text)
{
    size_t n = strlen(text) + 1;
    if (pg->text_used + n > pg->text_cap) {
        /* grown (the page number), so the runs' texts move with it */
        char *old = pg->text;
        pg->text_cap = pg->text_used + n + 64;
        pg->text = xrealloc(pg->text, pg->text_cap);
        for (size_t j = 0; j < pg->nruns; j++)
            pg->runs[j].text = pg->text + (pg->runs[j].text - old);
    }
    GROW(pg->runs, pg->nruns, pg->runs_cap);
    glyph_run *to = &pg->runs[pg->nruns++];
    *to = *r;
    to->text = pg->text + pg->text_used;
    memcpy(to->text, text, n);
    pg->text_used += n;
    return to;
}

void laid_page_release(laid_page *pg)
{
    free(pg->text);
    pg->text = NULL, pg->text_used = pg->text_cap = 0;
    free(pg->runs);
    free(pg->rules);
    for (size_t j = 0; j < pg->nimages; j++)
        free(pg->images[j].path);
    free(pg->images);
    pg->runs = NULL, pg->nruns = pg->runs_cap = 0;
    pg->rules = NULL, pg->nrules = pg->rules_cap = 0;
    pg->images = NULL, pg->nimages = pg->images_cap = 0;
}

rule_line *laid_page_add_rule(laid_page *pg, const rule_line *rule)
{
    GROW(pg->rules, pg->nrules, pg->rules_cap);
    rule_line *to = &pg->rules[pg->nrules++];
    *to = *rule;
    return to;
}

placed_image *laid_page_add_image(laid_page *pg, const placed_image *image)
{
    GROW(pg->images, pg->nimages, pg->images_cap);
    placed_image *to = &pg->images[pg->nimages++];
    *to = *image;
    to->path = xstrdup(image->path);
    return to;
}
