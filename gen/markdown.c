/* Markdown: a narrative field, parsed by cmark, becomes paragraphs of the
 * block tree set the way an official document sets them: every paragraph
 * and heading justified with the two-character first-line indent, headings
 * distinguished by typeface only (their numbers 一、（一） are in the text),
 * emphasis by typeface (黑体, 楷体), never by slant or weight; ordered
 * lists numbered as the third and fourth levels of GB/T 9704-2012 7.3.3
 * (1． and （1））, pipe tables as ruled tables of the document.
 *
 * The parser is cmark-gfm, not cmark: it is cmark (same API, same tree)
 * with GitHub's extensions, of which we attach only "table", so that a
 * pipe table becomes a table node instead of a paragraph of pipes.  Other
 * GitHub syntax (strikethrough, autolinks of bare URLs, task lists) stays
 * off: it would change what existing fields print.  cmark-gfm also says
 * whether a code block was fenced (cmark 0.30 did not).
 *
 * Two passes of cmark's iterator: one over the blocks of the document, and
 * for each paragraph or heading one over its inlines.  Indents and styles
 * are read off a node's ancestors, so no stack is kept across events. */
#include "markdown.h"

#include <cmark-gfm.h>
#include <cmark-gfm-core-extensions.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "util.h"

/* What every handler needs; lives on markdown_to_blocks' stack. */
typedef struct walker {
    const markdown_style *style;
    const text_origin *origin;
    block_list *out;
    diag_list *diags;
} walker;

/* A growable byte string. */
typedef struct strbuf {
    char *s;
    size_t len, cap;
} strbuf;

static void strbuf_add(strbuf *sb, const char *text, size_t len)
{
    if (sb->len + len + 1 > sb->cap) {
        sb->cap = (sb->len + len + 1) * 2;
        sb->s = xrealloc(sb->s, sb->cap);
    }
    memcpy(sb->s + sb->len, text, len);
    sb->len += len;
    sb->s[sb->len] = '\0';
}

/* Text of one paragraph is collected here and becomes a run only when the
 * style changes: cmark splits text at every bracket and quote, and one run
 * per style keeps the tree small and its text readable. */
typedef struct para_builder {
    block *para;
    strbuf pending;
    text_style style; /* of the pending text; strings not owned */
    text_origin origin;
} para_builder;

/* ---- Where things came from --------------------------------------------- */

static const char *field_name(const walker *w)
{
    return w->origin->field ? w->origin->field : "text";
}

/* The record line of a node: the field's first line plus the node's line
 * in the field.  Soft breaks and the like carry no position of their own,
 * so the nearest ancestor that does speaks for them. */
static int record_line(const walker *w, cmark_node *node)
{
    int line = 0;
    for (cmark_node *n = node; n && line <= 0; n = cmark_node_parent(n))
        line = cmark_node_get_start_line(n);
    if (w->origin->line <= 0)
        return 0;
    return line > 0 ? w->origin->line + line - 1 : w->origin->line;
}

static text_origin run_origin(const walker *w, cmark_node *block_node)
{
    text_origin o = {w->origin->file, w->origin->field, record_line(w, block_node)};
    return o;
}

static void warn_left_out(const walker *w, cmark_node *node)
{
    const char *field = field_name(w);
    int line = record_line(w, node);
    if (cmark_node_get_type(node) == CMARK_NODE_IMAGE)
        diag_add(w->diags, DIAG_WARNING, w->origin->file, line,
                 "%s: image \"%s\" has no place in the text of an official document; left out",
                 field, cmark_node_get_url(node) ? cmark_node_get_url(node) : "");
    else
        diag_add(w->diags, DIAG_WARNING, w->origin->file, line,
                 "%s: raw HTML has no place in an official document; left out", field);
}

/* ---- Styles and indents, read off the ancestors ------------------------- */

static int in_quote(cmark_node *node)
{
    for (cmark_node *p = cmark_node_parent(node); p; p = cmark_node_parent(p))
        if (cmark_node_get_type(p) == CMARK_NODE_BLOCK_QUOTE)
            return 1;
    return 0;
}

/* Each quote, and each list below the outermost, moves a block right by
 * one indent; the outermost list stays flush so that "1." items line up
 * with the paragraphs around them, as numbered paragraphs do in 公文. */
static double block_left(const walker *w, cmark_node *node)
{
    int lists = 0, quotes = 0;
    for (cmark_node *p = cmark_node_parent(node); p; p = cmark_node_parent(p)) {
        cmark_node_type t = cmark_node_get_type(p);
        lists += t == CMARK_NODE_LIST;
        quotes += t == CMARK_NODE_BLOCK_QUOTE;
    }
    return w->style->indent * ((lists > 0 ? lists - 1 : 0) + quotes);
}

/* The style of ordinary text at this place: body, or the quote face. */
static text_style para_style(const walker *w, cmark_node *node)
{
    text_style s = w->style->body;
    if (w->style->quote_role && in_quote(node))
        s.role = w->style->quote_role;
    return s;
}

static text_style heading_style(const walker *w, cmark_node *node)
{
    int level = cmark_node_get_heading_level(node);
    if (level < 1)
        level = 1;
    if (level > 4) /* GB/T 9704 has four levels; deeper ones share the last */
        level = 4;
    return w->style->heading[level - 1];
}

/* Strong and emphasis change the typeface only, keeping size and colour;
 * the innermost one wins, so the first found going up decides. */
static text_style inline_style(const walker *w, cmark_node *node, cmark_node *block_node,
                               text_style base)
{
    for (cmark_node *p = cmark_node_parent(node); p && p != block_node;
         p = cmark_node_parent(p)) {
        cmark_node_type t = cmark_node_get_type(p);
        const char *role = t == CMARK_NODE_STRONG ? w->style->strong_role
                         : t == CMARK_NODE_EMPH   ? w->style->emph_role
                                                  : NULL;
        if (role) {
            base.role = role;
            break;
        }
    }
    return base;
}

static int same_style(const text_style *a, const text_style *b)
{
    int same_role = (!a->role && !b->role) || (a->role && b->role && !strcmp(a->role, b->role));
    return same_role && a->size == b->size && a->pitch == b->pitch &&
           a->leading == b->leading && a->color == b->color;
}

/* ---- Runs ---------------------------------------------------------------- */

static void flush_text(para_builder *pb)
{
    if (pb->pending.len == 0)
        return;
    block_add_run(pb->para, RUN_TEXT, pb->pending.s, &pb->style, &pb->origin);
    pb->pending.len = 0;
}

static void add_text(para_builder *pb, const char *text, size_t len, const text_style *s)
{
    if (len == 0)
        return;
    if (pb->pending.len > 0 && !same_style(&pb->style, s))
        flush_text(pb);
    pb->style = *s;
    strbuf_add(&pb->pending, text, len);
}

static void add_cstr(para_builder *pb, const char *text, const text_style *s)
{
    if (text)
        add_text(pb, text, strlen(text), s);
}

static void add_break(para_builder *pb, const text_style *s)
{
    flush_text(pb);
    block_add_run(pb->para, RUN_BREAK, NULL, s, &pb->origin);
}

/* ---- Soft breaks ---------------------------------------------------------- */

/* Latin words and sentences need the space a soft break stands for;
 * Chinese runs on without one. */
static int is_ascii_graphic(int c)
{
    return c > 0x20 && c < 0x7f;
}

/* First byte of the text `node` shows, -1 if it shows none (left-out
 * images and HTML), 0 if it is a break, which ends the search. */
static int first_char_in(cmark_node *node)
{
    switch (cmark_node_get_type(node)) {
    case CMARK_NODE_TEXT:
    case CMARK_NODE_CODE: {
        const char *lit = cmark_node_get_literal(node);
        return lit && *lit ? (unsigned char)*lit : -1;
    }
    case CMARK_NODE_SOFTBREAK:
    case CMARK_NODE_LINEBREAK:
        return 0;
    case CMARK_NODE_IMAGE:
    case CMARK_NODE_HTML_INLINE:
        return -1;
    default:
        for (cmark_node *c = cmark_node_first_child(node); c; c = cmark_node_next(c)) {
            int ch = first_char_in(c);
            if (ch >= 0)
                return ch;
        }
        return -1;
    }
}

/* The first byte shown after `node` within its paragraph, 0 if none. */
static int char_after(cmark_node *node, cmark_node *block_node)
{
    for (cmark_node *n = node; n && n != block_node; n = cmark_node_parent(n))
        for (cmark_node *s = cmark_node_next(n); s; s = cmark_node_next(s)) {
            int ch = first_char_in(s);
            if (ch >= 0)
                return ch;
        }
    return 0;
}

static void add_softbreak(para_builder *pb, cmark_node *node, cmark_node *block_node)
{
    int before = pb->pending.len ? (unsigned char)pb->pending.s[pb->pending.len - 1] : 0;
    if (is_ascii_graphic(before) && is_ascii_graphic(char_after(node, block_node)))
        add_text(pb, " ", 1, &pb->style);
}

/* ---- Links ------------------------------------------------------------------ */

static void collect_text(cmark_node *node, strbuf *sb)
{
    cmark_node_type t = cmark_node_get_type(node);
    if (t == CMARK_NODE_TEXT || t == CMARK_NODE_CODE) {
        const char *lit = cmark_node_get_literal(node);
        if (lit)
            strbuf_add(sb, lit, strlen(lit));
    }
    for (cmark_node *c = cmark_node_first_child(node); c; c = cmark_node_next(c))
        collect_text(c, sb);
}

/* Paper cannot be clicked: a link whose text does not already show where
 * it leads gets its address in brackets.  In-document anchors mean nothing
 * on paper, and autolinks (<a@b.cn>, <https://...>) show it already. */
static int link_needs_url(cmark_node *link, const char *url)
{
    if (!url || !*url || url[0] == '#')
        return 0;
    strbuf sb = {0};
    collect_text(link, &sb);
    const char *text = sb.s ? sb.s : "";
    int shown = !strcmp(text, url) ||
                (!strncmp(url, "mailto:", 7) && !strcmp(text, url + 7));
    free(sb.s);
    return !shown;
}

static void end_link(const walker *w, para_builder *pb, cmark_node *link,
                     cmark_node *block_node, text_style base)
{
    const char *url = cmark_node_get_url(link);
    if (!link_needs_url(link, url))
        return;
    text_style s = inline_style(w, link, block_node, base);
    add_cstr(pb, "（", &s);
    add_cstr(pb, url, &s);
    add_cstr(pb, "）", &s);
}

/* ---- Inlines ---------------------------------------------------------------- */

/* Returns 1 when the node's children are to be skipped. */
static int enter_inline(const walker *w, para_builder *pb, cmark_node *node,
                        cmark_node *block_node, text_style base)
{
    text_style s = inline_style(w, node, block_node, base);
    switch (cmark_node_get_type(node)) {
    case CMARK_NODE_TEXT:
    case CMARK_NODE_CODE:
        add_cstr(pb, cmark_node_get_literal(node), &s);
        return 0;
    case CMARK_NODE_SOFTBREAK:
        add_softbreak(pb, node, block_node);
        return 0;
    case CMARK_NODE_LINEBREAK:
        add_break(pb, &s);
        return 0;
    case CMARK_NODE_HTML_INLINE:
        warn_left_out(w, node);
        return 0;
    case CMARK_NODE_IMAGE: /* alt text too: the warning says it is gone */
        warn_left_out(w, node);
        return 1;
    default:
        return 0;
    }
}

static void emit_inlines(const walker *w, para_builder *pb, cmark_node *block_node,
                         text_style base)
{
    cmark_iter *it = cmark_iter_new(block_node);
    cmark_event_type ev;
    while ((ev = cmark_iter_next(it)) != CMARK_EVENT_DONE) {
        cmark_node *node = cmark_iter_get_node(it);
        if (node == block_node)
            continue;
        if (ev == CMARK_EVENT_ENTER) {
            if (enter_inline(w, pb, node, block_node, base))
                cmark_iter_reset(it, node, CMARK_EVENT_EXIT);
        } else if (ev == CMARK_EVENT_EXIT && cmark_node_get_type(node) == CMARK_NODE_LINK) {
            end_link(w, pb, node, block_node, base);
        }
    }
    cmark_iter_free(it);
}

/* ---- List markers ------------------------------------------------------------- */

/* An item's number is its place in the list, counted as items are entered
 * and kept in cmark's user data of the list (running count) and of the
 * item (its own place), so finding it stays linear in long lists. */
static void number_item(cmark_node *item)
{
    cmark_node *list = cmark_node_parent(item);
    intptr_t seen = (intptr_t)cmark_node_get_user_data(list);
    cmark_node_set_user_data(item, (void *)seen);
    cmark_node_set_user_data(list, (void *)(seen + 1));
}

/* Is `list` inside another ordered list? */
static int in_ordered_list(cmark_node *list)
{
    for (cmark_node *p = cmark_node_parent(list); p; p = cmark_node_parent(p))
        if (cmark_node_get_type(p) == CMARK_NODE_LIST &&
            cmark_node_get_list_type(p) == CMARK_ORDERED_LIST)
            return 1;
    return 0;
}

/* Ordered lists are the third level of GB/T 9704-2012 7.3.3, "1．" with a
 * full-width full stop (an ASCII "1." before "4月" reads as 1.4), and a
 * list inside one the fourth, "（1）"; the author's start number is kept,
 * "." or ")" alike.  Bullets are "● ": a little air before Chinese text. */
static void item_marker(cmark_node *item, char *buf, size_t size)
{
    cmark_node *list = cmark_node_parent(item);
    if (cmark_node_get_list_type(list) != CMARK_ORDERED_LIST) {
        snprintf(buf, size, "%s", "\u25CF ");
        return;
    }
    long n = (long)cmark_node_get_list_start(list) +
             (long)(intptr_t)cmark_node_get_user_data(item);
    if (in_ordered_list(list))
        snprintf(buf, size, "\uFF08%ld\uFF09", n);
    else
        snprintf(buf, size, "%ld\uFF0E", n);
}

/* Paragraphs and headings can carry their item's marker in front. */
static int carries_marker(cmark_node *node)
{
    cmark_node_type t = cmark_node_get_type(node);
    return t == CMARK_NODE_PARAGRAPH || t == CMARK_NODE_HEADING;
}

static cmark_node *item_led_by(cmark_node *node)
{
    cmark_node *parent = cmark_node_parent(node);
    if (parent && cmark_node_get_type(parent) == CMARK_NODE_ITEM &&
        cmark_node_first_child(parent) == node)
        return parent;
    return NULL;
}

static void add_marker(const walker *w, para_builder *pb, cmark_node *item)
{
    char marker[32];
    item_marker(item, marker, sizeof marker);
    text_style s = para_style(w, item);
    add_cstr(pb, marker, &s);
}

/* ---- Blocks ------------------------------------------------------------------- */

static block *push_para(const walker *w, cmark_node *node, align al, double first)
{
    block *b = block_list_push(w->out, BLOCK_PARA);
    b->align = al;
    b->left = block_left(w, node);
    b->first = first;
    return b;
}

/* A paragraph, a heading, or (text == NULL) the marker alone of an item
 * that begins with something else. */
static void emit_text_block(const walker *w, cmark_node *node, cmark_node *item,
                            cmark_node *text, text_style base)
{
    para_builder pb = {0};
    pb.para = push_para(w, node, ALIGN_JUSTIFY, w->style->indent);
    pb.origin = run_origin(w, node);
    if (item)
        add_marker(w, &pb, item);
    if (text)
        emit_inlines(w, &pb, text, base);
    flush_text(&pb);
    free(pb.pending.s);
    if (pb.para->nruns == 0) /* only left-out images or HTML: no empty line */
        w->out->n--;
}

/* The heading's text, as an outline entry before it. */
static void add_bookmark(const walker *w, cmark_node *heading)
{
    cmark_iter *it = cmark_iter_new(heading);
    size_t len = 0, cap = 64;
    char *title = xmalloc(cap);
    title[0] = '\0';
    for (cmark_event_type ev; (ev = cmark_iter_next(it)) != CMARK_EVENT_DONE;) {
        cmark_node *n = cmark_iter_get_node(it);
        cmark_node_type t = cmark_node_get_type(n);
        if (ev != CMARK_EVENT_ENTER || (t != CMARK_NODE_TEXT && t != CMARK_NODE_CODE))
            continue;
        const char *lit = cmark_node_get_literal(n);
        size_t add = lit ? strlen(lit) : 0;
        if (len + add + 1 > cap)
            title = xrealloc(title, cap = (len + add + 1) * 2);
        memcpy(title + len, lit ? lit : "", add + 1);
        len += add;
    }
    cmark_iter_free(it);
    block *b = block_list_push(w->out, BLOCK_BOOKMARK);
    b->bookmark = title;
    b->bookmark_level = w->style->bookmark_level + cmark_node_get_heading_level(heading) - 1;
}

static void emit_paragraph(const walker *w, cmark_node *node)
{
    text_style base = cmark_node_get_type(node) == CMARK_NODE_HEADING
                          ? heading_style(w, node)
                          : para_style(w, node);
    int heading = cmark_node_get_type(node) == CMARK_NODE_HEADING;
    if (heading && w->style->bookmark_level > 0 && cmark_node_get_heading_level(node) <= 2)
        add_bookmark(w, node);
    size_t before = w->out->n;
    emit_text_block(w, node, item_led_by(node), node, base);
    /* a heading never ends a page alone */
    if (heading && w->out->n > before)
        w->out->items[w->out->n - 1].keep_with_next = 1;
}

static void enter_item(const walker *w, cmark_node *item)
{
    number_item(item);
    cmark_node *first = cmark_node_first_child(item);
    if (!first || !carries_marker(first))
        emit_text_block(w, item, item, NULL, para_style(w, item));
}

/* Code keeps its lines as they are: one left-aligned paragraph per line,
 * without the paragraph indent. */
static void emit_code_line(const walker *w, cmark_node *node, const char *text,
                           size_t len, int line)
{
    if (len > 0 && text[len - 1] == '\r')
        len--;
    block *b = push_para(w, node, ALIGN_LEFT, 0);
    text_origin o = run_origin(w, node);
    o.line = line;
    char *copy = xstrndup(text, len);
    block_add_run(b, RUN_TEXT, copy, &w->style->body, &o);
    free(copy);
}

static void emit_code_block(const walker *w, cmark_node *node)
{
    const char *p = cmark_node_get_literal(node);
    int line = record_line(w, node);
    int fence_len = 0, fence_offset = 0;
    char fence_char = 0;
    if (line > 0 && cmark_node_get_fenced(node, &fence_len, &fence_offset, &fence_char))
        /* its text starts below the fence */
        line++;
    while (p && *p) {
        const char *nl = strchr(p, '\n');
        size_t len = nl ? (size_t)(nl - p) : strlen(p);
        emit_code_line(w, node, p, len, line++);
        p += len + (nl != NULL);
    }
}

static void emit_rule(const walker *w)
{
    const text_style *body = &w->style->body;
    double leading = body->leading > 0 ? body->leading : body->size * 1.5;
    block *b = block_list_push(w->out, BLOCK_RULE);
    b->thickness = 0.5;
    b->space_before = b->space_after = leading / 2;
    b->color = 0;
}

/* ---- Pipe tables ------------------------------------------------------------ */

/* cmark-gfm's table nodes have no constant in its installed headers: they
 * are known by their type string. */
static int is_gfm(cmark_node *node, const char *type)
{
    const char *t = cmark_node_get_type_string(node);
    return t && !strcmp(t, type);
}

/* How wide a cell's text is, in ems of its style, roughly: CJK characters
 * one, the others half.  Layout measures the real width; this only decides
 * which columns fit their text and which share the rest. */
static double cell_ems(cmark_node *cell)
{
    strbuf sb = {0};
    collect_text(cell, &sb);
    double ems = 0;
    for (size_t i = 0; i < sb.len; i++) {
        unsigned char c = (unsigned char)sb.s[i];
        if ((c & 0xC0) == 0x80)
            continue;
        ems += c >= 0xE1 ? 1 : 0.5; /* U+1000 and above: CJK, full width */
    }
    free(sb.s);
    return ems;
}

/* The natural sizing of the table layout: every column fits its widest
 * cell, up to a few characters (so that all of them together stay within
 * the type area), and the widest column, and any too wide to fit, shares
 * what the others leave (the widest by its data, not its heading: 企业, not
 * 金额（万元）).  So the table runs across the measure as the
 * templates' tables do, and short fields (序号, a count) take one line. */
static void set_columns(const walker *w, cmark_node *tnode, table *t, size_t ncols)
{
    double *ems = xcalloc(2 * ncols, sizeof *ems), *body_ems = ems + ncols;
    for (cmark_node *row = cmark_node_first_child(tnode); row; row = cmark_node_next(row)) {
        int header = cmark_gfm_extensions_get_table_row_is_header(row) != 0;
        size_t c = 0;
        for (cmark_node *cell = cmark_node_first_child(row); cell && c < ncols;
             cell = cmark_node_next(cell), c++) {
            double e = cell_ems(cell);
            ems[c] = fmax(ems[c], e);
            if (!header)
                body_ems[c] = fmax(body_ems[c], e);
        }
    }
    size_t widest = 0;
    for (size_t c = 1; c < ncols; c++)
        if (body_ems[c] > body_ems[widest] ||
            (body_ems[c] == body_ems[widest] && ems[c] > ems[widest]))
            widest = c;
    double em = w->style->body.pitch > 0 ? w->style->body.pitch : w->style->body.size;
    /* ems a fitted column may take: together at most 24 of the 28 of a
     * 公文 line; beyond 12 columns every column shares */
    double cap = fmin(8, 24.0 / (double)ncols);
    t->columns = xcalloc(ncols, sizeof *t->columns);
    t->ncolumns = ncols;
    for (size_t c = 0; c < ncols; c++) {
        table_column *col = &t->columns[c];
        if (c == widest || ems[c] > cap || cap < 2) {
            col->kind = COLUMN_SHARE;
            col->value = fmin(fmax(ems[c], 2), 40);
        } else {
            col->kind = COLUMN_FIT;
            col->max = cap * em + 2 * t->pad_x;
        }
    }
    free(ems);
}

/* The column's alignment from the delimiter row (:--, :-:, --:); without
 * one, header cells are centred and the others start at the left. */
static align cell_align(const uint8_t *aligns, size_t c, int header)
{
    switch (aligns ? aligns[c] : 0) {
    case 'l': return ALIGN_LEFT;
    case 'c': return ALIGN_CENTER;
    case 'r': return ALIGN_RIGHT;
    default: return header ? ALIGN_CENTER : ALIGN_LEFT;
    }
}

/* One cell: a paragraph of its inlines in the body style, the header's in
 * the strong face (黑体, as the templates' header rows); emphasis kept. */
static void emit_cell(const walker *w, cmark_node *cnode, table_row *row, align al)
{
    table_cell *cell = table_row_add_cell(row);
    cell->span = 1;
    cell->valign = VALIGN_MIDDLE;
    para_builder pb = {0};
    pb.para = table_cell_add_para(cell);
    pb.para->align = al;
    pb.origin = run_origin(w, cnode);
    text_style base = w->style->body;
    if (row->header && w->style->strong_role)
        base.role = w->style->strong_role;
    if (cnode)
        emit_inlines(w, &pb, cnode, base);
    flush_text(&pb);
    free(pb.pending.s);
}

/* The 续表 (continued) caption above the header row on every page the table
 * runs onto, as the templates' tables have it. */
static block *continued_caption(const walker *w, cmark_node *tnode)
{
    block *cap = xcalloc(1, sizeof *cap);
    cap->kind = BLOCK_PARA;
    cap->align = ALIGN_LEFT;
    text_style s = w->style->body;
    if (w->style->strong_role)
        s.role = w->style->strong_role;
    text_origin o = run_origin(w, tnode);
    block_add_run(cap, RUN_TEXT, "续表", &s, &o);
    return cap;
}

/* A pipe table: a ruled table of the document, its header row repeated
 * with 续表 on every page it runs onto.  Rows short of cells get empty
 * ones, so that every rule is drawn. */
static void emit_table(const walker *w, cmark_node *tnode)
{
    size_t ncols = cmark_gfm_extensions_get_table_columns(tnode);
    if (ncols == 0)
        return;
    const uint8_t *aligns = cmark_gfm_extensions_get_table_alignments(tnode);
    /* the paragraph that leads into the table ("检查结果如下：") never ends a
     * page without it */
    cmark_node *prev = cmark_node_previous(tnode);
    if (prev && cmark_node_get_type(prev) == CMARK_NODE_PARAGRAPH && w->out->n > 0 &&
        w->out->items[w->out->n - 1].kind == BLOCK_PARA)
        w->out->items[w->out->n - 1].keep_with_next = 1;
    block *b = block_list_push(w->out, BLOCK_TABLE);
    b->left = block_left(w, tnode);
    table *t = b->table = xcalloc(1, sizeof *t);
    t->rule = 0.5;
    t->pad_x = t->pad_y = 0.2 * w->style->body.size;
    set_columns(w, tnode, t, ncols);
    t->continued = continued_caption(w, tnode);
    for (cmark_node *rnode = cmark_node_first_child(tnode); rnode; rnode = cmark_node_next(rnode)) {
        table_row *row = table_add_row(t);
        row->header = cmark_gfm_extensions_get_table_row_is_header(rnode) != 0;
        table_row_reserve_cells(row, ncols);
        cmark_node *cnode = cmark_node_first_child(rnode);
        for (size_t c = 0; c < ncols; c++) {
            emit_cell(w, cnode, row, cell_align(aligns, c, row->header));
            if (cnode)
                cnode = cmark_node_next(cnode);
        }
    }
}

/* Returns 1 when the node's children are done with (inlines of a paragraph
 * or heading, which emit_paragraph walks itself). */
static int enter_block(const walker *w, cmark_node *node)
{
    switch (cmark_node_get_type(node)) {
    case CMARK_NODE_PARAGRAPH:
    case CMARK_NODE_HEADING:
        emit_paragraph(w, node);
        return 1;
    case CMARK_NODE_ITEM:
        enter_item(w, node);
        return 0;
    case CMARK_NODE_CODE_BLOCK:
        emit_code_block(w, node);
        return 0;
    case CMARK_NODE_THEMATIC_BREAK:
        emit_rule(w);
        return 0;
    case CMARK_NODE_HTML_BLOCK:
        warn_left_out(w, node);
        return 0;
    default:
        if (is_gfm(node, "table")) {
            emit_table(w, node);
            return 1;
        } /* document, list, block quote: their children speak */
        return 0;
    }
}

int markdown_to_blocks(const char *text, const markdown_style *style,
                       const text_origin *origin, block_list *out, diag_list *diags)
{
    if (!text)
        text = "";
    /* registers the extensions in cmark-gfm's process-wide list, once; only
     * the building thread parses Markdown (ARCHITECTURE.md) */
    cmark_gfm_core_extensions_ensure_registered();
    cmark_parser *parser = cmark_parser_new(CMARK_OPT_DEFAULT);
    cmark_syntax_extension *tables = cmark_find_syntax_extension("table");
    if (tables)
        cmark_parser_attach_syntax_extension(parser, tables);
    cmark_parser_feed(parser, text, strlen(text));
    cmark_node *doc = cmark_parser_finish(parser);
    cmark_parser_free(parser);
    if (!doc)
        return -1;
    walker w = {style, origin, out, diags};
    cmark_iter *it = cmark_iter_new(doc);
    cmark_event_type ev;
    while ((ev = cmark_iter_next(it)) != CMARK_EVENT_DONE) {
        cmark_node *node = cmark_iter_get_node(it);
        if (ev == CMARK_EVENT_ENTER && enter_block(&w, node))
            cmark_iter_reset(it, node, CMARK_EVENT_EXIT);
    }
    cmark_iter_free(it);
    cmark_node_free(doc);
    return 0;
}
