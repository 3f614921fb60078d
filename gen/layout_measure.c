/* Characters measured once per style: the face of the role that draws a
 * character, its advances and its classes are the same every time it
 * occurs, and a table of 38,000 rows sets some 4 million characters, of a
 * few thousand distinct ones. */
#include <stdlib.h>
#include <string.h>

#include "i18n.h"
#include "layout_internal.h"
#include "text.h"
#include "utf8.h"
#include "util.h"

#define MISSING_MARK 0x3013 /* 〓, the typesetter's mark for a missing character */
#define NBLOCKS ((0x10FFFFu >> MEASURE_BLOCK_BITS) + 1)

static void measure_report_missing(layout_ctx *ctx, const run *r, uint32_t cp, const char *why)
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
             r->origin.field ? r->origin.field : "?", _(why), r->style.role);
}

static int measure_same_style(const measure_style *st, const text_style *s)
{
    return st->size == s->size && st->pitch == s->pitch && strcmp(st->role, s->role) == 0;
}

measure_style *measure_style_of(layout_ctx *ctx, const run *r)
{
    if (ctx->nstyles > 0 && measure_same_style(ctx->styles[ctx->last_style], &r->style))
        return ctx->styles[ctx->last_style];
    for (size_t i = 0; i < ctx->nstyles; i++)
        if (measure_same_style(ctx->styles[i], &r->style)) {
            ctx->last_style = i;
            return ctx->styles[i];
        }
    GROW(ctx->styles, ctx->nstyles, ctx->styles_cap);
    measure_style *st = xcalloc(1, sizeof *st);
    st->role = xstrdup(r->style.role);
    st->size = r->style.size;
    st->pitch = r->style.pitch;
    st->blocks = xcalloc(NBLOCKS, sizeof *st->blocks);
    ctx->last_style = ctx->nstyles;
    ctx->styles[ctx->nstyles++] = st;
    return st;
}

/* What the style sets for cp, worked out (face chosen, a missing character
 * reported, the face marked used). */
static void measure_compute(layout_ctx *ctx, const run *r, uint32_t cp, measured_char *m)
{
    memset(m, 0, sizeof *m);
    m->known = 1;
    if (cp == '\t' || cp == '\n' || cp == '\r')
        cp = ' ';
    if (cp < 0x20 || (cp >= 0x7f && cp < 0xa0))
        return; /* control characters draw nothing */
    font_face *face = font_for_char(ctx->fonts, r->style.role, cp);
    if (!face) {
        measure_report_missing(ctx, r, cp, "no font has it in the role");
        cp = MISSING_MARK;
        face = font_for_char(ctx->fonts, r->style.role, cp);
        if (!face)
            return;
    }
    font_use(face, cp);
    m->cp = cp;
    m->utf8_len = (unsigned char)utf8_encode(cp, m->utf8);
    m->face = face;
    m->glyph_adv = font_advance(face, cp, r->style.size);
    int full_width = m->glyph_adv >= 0.9 * r->style.size;
    m->adv = full_width && r->style.pitch > 0 ? r->style.pitch : m->glyph_adv;
    m->em = r->style.pitch > 0 ? r->style.pitch : r->style.size;
    if (!font_ink_x(face, cp, r->style.size, &m->ink_left, &m->ink_right))
        m->ink_left = m->ink_right = 0;
    m->quote = (unsigned char)punct_is_quote(cp);
    /* a quote a Latin font draws narrow becomes a mark when the paragraph
     * sets it in an em box (layout_para.c) */
    m->mark = (unsigned char)(full_width && punct_is_squeezable(cp));
    m->cjk = (unsigned char)text_is_cjk(cp);
    m->word = (unsigned char)text_is_word_char(cp);
    m->opening = (unsigned char)kinsoku_is_line_end_forbidden(cp);
    m->space = cp == ' ' || cp == 0x3000;
}

const measured_char *measure_char_first(layout_ctx *ctx, measure_style *st, const run *r,
                                        uint32_t cp)
{
    if (cp > 0x10FFFF) {
        measure_compute(ctx, r, cp, &st->beyond);
        return &st->beyond;
    }
    measured_char **block = &st->blocks[cp >> MEASURE_BLOCK_BITS];
    if (!*block)
        *block = xcalloc(MEASURE_BLOCK_SIZE, sizeof **block);
    measured_char *m = &(*block)[cp & (MEASURE_BLOCK_SIZE - 1)];
    measure_compute(ctx, r, cp, m);
    return m;
}

void measure_styles_free(layout_ctx *ctx)
{
    for (size_t i = 0; i < ctx->nstyles; i++) {
        measure_style *st = ctx->styles[i];
        for (size_t b = 0; b < NBLOCKS; b++)
            free(st->blocks[b]);
        free(st->blocks);
        free(st->role);
        free(st);
    }
    free(ctx->styles);
    ctx->styles = NULL;
    ctx->nstyles = ctx->styles_cap = ctx->last_style = 0;
}
