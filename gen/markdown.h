/* Markdown: narrative fields are CommonMark with GitHub's pipe tables,
 * parsed by cmark-gfm and mapped onto paragraphs and ruled tables of the
 * block tree in the manner of an official document. */
#ifndef GEN_MARKDOWN_H
#define GEN_MARKDOWN_H

#include "blocks.h"
#include "diag.h"

typedef struct markdown_style {
    text_style body;       /* paragraphs, list items */
    text_style heading[4]; /* "#" 一、 黑体; "##" （一） 楷体; "###" 1. ; "####" （1） */
    const char *strong_role; /* **bold**, a table's header row: this role at the
                                run's size (黑体) */
    const char *emph_role;   /* *emphasis*: this role (楷体) */
    const char *quote_role;  /* block quotes (楷体) */
    double indent;         /* first-line indent of paragraphs and headings (two characters) */
    int bookmark_level;    /* "#" and "##" headings become outline entries of this
                              level and the next; 0: none */
} markdown_style;

/* Parse `text` (the field's content) and append its blocks to `out`:
 * BLOCK_PARA for paragraphs, headings, list items and code lines,
 * BLOCK_TABLE for pipe tables (cells in `body`, the header row in
 * `strong_role`, 续表 above it on later pages), BLOCK_RULE, BLOCK_BOOKMARK.
 * `origin` names the record file, the field and the line the field starts
 * on; lines of diagnostics are record lines.  Constructs with no place in
 * an official document (raw HTML, images) are left out with a warning.
 * Returns 0, or -1 if cmark failed. */
int markdown_to_blocks(const char *text, const markdown_style *style,
                       const text_origin *origin, block_list *out, diag_list *diags);

#endif
