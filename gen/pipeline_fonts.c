/* `gen fonts RECORD`: which characters of a record are drawn by a face
 * after the first present one of their role (pipeline.h,
 * pipeline_font_fallbacks).  The record goes through its template, as
 * render does, so that each character is asked of the role that sets it
 * (the title's in 小标宋, the body's in 仿宋). */
#include <stdlib.h>
#include <string.h>

#include "pipeline.h"
#include "utf8.h"
#include "util.h"

#define NCODES 0x110000u

typedef struct fallback_walk {
    const font_set *fonts;
    unsigned char **seen; /* per role: a bit per code point, made on first use */
    pipeline_fallback *items;
    size_t n, cap;
} fallback_walk;

static size_t role_number(const font_set *fonts, const char *role)
{
    for (size_t i = 0; i < font_set_role_count(fonts); i++)
        if (strcmp(font_set_role_name(fonts, i), role) == 0)
            return i;
    return SIZE_MAX;
}

static void walk_char(fallback_walk *w, size_t role, uint32_t cp)
{
    if (cp < 0x20 || cp >= NCODES || font_set_chain_length(w->fonts, role) == 0)
        return;
    if (!w->seen[role])
        w->seen[role] = xcalloc(NCODES / 8, 1);
    unsigned char *bit = &w->seen[role][cp / 8];
    if (*bit & (1u << (cp % 8)))
        return;
    *bit |= (unsigned char)(1u << (cp % 8));
    const char *name = font_set_role_name(w->fonts, role);
    const font_face *face = font_for_char(w->fonts, name, cp);
    if (face == font_set_chain_face(w->fonts, role, 0))
        return;
    GROW(w->items, w->n, w->cap);
    w->items[w->n++] = (pipeline_fallback){name, cp, face};
}

static void walk_run(fallback_walk *w, const run *r)
{
    if (r->kind != RUN_TEXT || !r->text || !r->style.role)
        return;
    size_t role = role_number(w->fonts, r->style.role);
    if (role == SIZE_MAX)
        return;
    uint32_t *cps = NULL;
    size_t bad;
    long n = utf8_decode(r->text, strlen(r->text), &cps, &bad);
    for (long i = 0; i < n; i++)
        walk_char(w, role, cps[i]);
    free(cps);
}

static void walk_blocks(fallback_walk *w, const block *b, size_t n);

static void walk_block(fallback_walk *w, const block *b)
{
    if (b->kind == BLOCK_PARA)
        for (size_t i = 0; i < b->nruns; i++)
            walk_run(w, &b->runs[i]);
    else if (b->kind == BLOCK_STACK)
        walk_blocks(w, b->lines, b->nlines);
    else if (b->kind == BLOCK_TABLE) {
        const table *t = b->table;
        if (t->continued)
            walk_block(w, t->continued);
        for (size_t r = 0; r < t->nrows; r++)
            for (size_t c = 0; c < t->rows[r].ncells; c++)
                walk_blocks(w, t->rows[r].cells[c].content, t->rows[r].cells[c].ncontent);
    }
}

static void walk_blocks(fallback_walk *w, const block *b, size_t n)
{
    for (size_t i = 0; i < n; i++)
        walk_block(w, &b[i]);
}

int pipeline_font_fallbacks(const run_options *opts, const char *record_path,
                            const char *template_arg, const font_set *fonts,
                            pipeline_fallbacks *out, diag_list *diags)
{
    memset(out, 0, sizeof *out);
    xmlDoc *record = NULL;
    template *tpl = NULL;
    int rc = pipeline_read_record(opts, record_path, &record, diags);
    if (rc == EXIT_DONE)
        rc = pipeline_find_template(opts, template_arg, record, record_path, &tpl, diags);
    document doc = {0};
    if (rc == EXIT_DONE && template_apply(tpl, record, record_path, &doc, diags) != 0)
        rc = EXIT_BAD_INPUT;
    if (rc == EXIT_DONE) {
        fallback_walk w = {.fonts = fonts};
        w.seen = xcalloc(font_set_role_count(fonts), sizeof *w.seen);
        walk_blocks(&w, doc.flow.items, doc.flow.n);
        walk_blocks(&w, doc.foot.items, doc.foot.n);
        for (size_t i = 0; i < font_set_role_count(fonts); i++)
            free(w.seen[i]);
        free(w.seen);
        out->items = w.items;
        out->n = w.n;
    }
    document_free(&doc);
    pipeline_release_template(tpl);
    xmlFreeDoc(record);
    return rc;
}
