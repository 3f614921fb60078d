/* The laid-out pages as text (layout_dump.h gives the format). */
#include "layout_dump.h"

#include <errno.h>
#include <math.h>
#include <string.h>

/* A length with 2 decimals; a value that rounds to zero is "0.00", never
 * "-0.00", so that a sign lost in the noise does not show as a change. */
static void dump_length(FILE *out, double v)
{
    fprintf(out, " %.2f", fabs(v) < 0.005 ? 0.0 : v);
}

static void dump_color(FILE *out, uint32_t color)
{
    fprintf(out, " #%06X", (unsigned)(color & 0xFFFFFF));
}

/* The last part of a path: the dump names files, not where they are. */
static const char *dump_base_name(const char *path)
{
    const char *slash = path ? strrchr(path, '/') : NULL;
    return slash ? slash + 1 : path ? path : "";
}

/* Text in double quotes: '"' and '\' escaped, control characters as
 * \xHH, the rest (UTF-8) as it is. */
static void dump_quoted(FILE *out, const char *s)
{
    fputs(" \"", out);
    for (const unsigned char *p = (const unsigned char *)(s ? s : ""); *p; p++) {
        if (*p == '"' || *p == '\\')
            fprintf(out, "\\%c", *p);
        else if (*p < 0x20 || *p == 0x7f)
            fprintf(out, "\\x%02X", *p);
        else
            fputc(*p, out);
    }
    fputc('"', out);
}

static void dump_run(FILE *out, const glyph_run *r)
{
    fputs("  run", out);
    dump_length(out, r->x);
    dump_length(out, r->y);
    const char *family = r->face ? font_face_family(r->face) : NULL;
    dump_quoted(out, family ? family : "?");
    fprintf(out, " %s#%d", r->face ? dump_base_name(font_face_path(r->face)) : "?",
            r->face ? font_face_index(r->face) : 0);
    dump_length(out, r->size);
    dump_color(out, r->color);
    fputs(" cs", out);
    dump_length(out, r->char_space);
    if (r->hscale > 0 && r->hscale != 1) { /* condensed: the horizontal scale, percent */
        fputs(" hs", out);
        dump_length(out, 100 * r->hscale);
    }
    dump_quoted(out, r->text);
    fputc('\n', out);
}

static void dump_rule(FILE *out, const rule_line *r)
{
    fputs("  rule", out);
    dump_length(out, r->x1);
    dump_length(out, r->y1);
    dump_length(out, r->x2);
    dump_length(out, r->y2);
    fputs(" thick", out);
    dump_length(out, r->thickness);
    dump_color(out, r->color);
    fputc('\n', out);
}

static void dump_image(FILE *out, const placed_image *img)
{
    fputs("  image", out);
    dump_length(out, img->x);
    dump_length(out, img->y);
    dump_length(out, img->width);
    fputs(" x", out);
    dump_length(out, img->height);
    fprintf(out, " %s\n", dump_base_name(img->path));
}

static void dump_page(FILE *out, const laid_page *pg, size_t number)
{
    const page_geometry *g = &pg->geometry;
    fprintf(out, "page %zu: paper", number);
    dump_length(out, g->width);
    fputs(" x", out);
    dump_length(out, g->height);
    fputs(", margins top", out);
    dump_length(out, g->top);
    fputs(" left", out);
    dump_length(out, g->left);
    fputs(", type area", out);
    dump_length(out, g->area_width);
    fputs(" x", out);
    dump_length(out, g->area_height);
    fputc('\n', out);
    if (pg->turn.turned) {
        const page_turn *t = &pg->turn;
        fputs("  turned onto paper", out);
        dump_length(out, t->sheet_width);
        fputs(" x", out);
        dump_length(out, t->sheet_height);
        fputs(", cm 0 1 -1 0", out);
        dump_length(out, t->e);
        dump_length(out, t->f);
        fprintf(out, ", runs from %zu upright\n", t->upright_from + 1);
    }
    for (size_t i = 0; i < pg->nruns; i++)
        dump_run(out, &pg->runs[i]);
    for (size_t i = 0; i < pg->nrules; i++)
        dump_rule(out, &pg->rules[i]);
    for (size_t i = 0; i < pg->nimages; i++)
        dump_image(out, &pg->images[i]);
}

int layout_dump(FILE *out, const layout_result *pages)
{
    fprintf(out, "layout %zu pages\n", pages->npages);
    for (size_t i = 0; i < pages->npages; i++)
        dump_page(out, &pages->pages[i], i + 1);
    for (size_t i = 0; i < pages->noutline; i++) {
        const outline_entry *e = &pages->outline[i];
        fprintf(out, "outline %d page %zu y", e->level, e->page + 1);
        dump_length(out, e->y);
        dump_quoted(out, e->title);
        fputc('\n', out);
    }
    return ferror(out) ? -1 : 0;
}

int layout_dump_file(const char *path, const layout_result *pages, diag_list *diags)
{
    FILE *f = fopen(path, "w");
    if (!f) {
        diag_add(diags, DIAG_ERROR, path, 0, "cannot write the layout dump: %s", strerror(errno));
        return -1;
    }
    int rc = layout_dump(f, pages);
    if (fclose(f) != 0 || rc != 0) {
        diag_add(diags, DIAG_ERROR, path, 0, "cannot write the layout dump: %s", strerror(errno));
        return -1;
    }
    return 0;
}
