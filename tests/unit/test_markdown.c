/* Unit tests of the markdown stage: CommonMark fields become the paragraphs
 * of an official document, in the roles of GB/T 9704 (headings 黑体, 楷体,
 * 仿宋; emphasis by typeface), with the record's lines in every message. */
#include <string.h>

#include "check.h"
#include "markdown.h"

#define INDENT 31.6

static markdown_style test_style(void)
{
    markdown_style s;
    memset(&s, 0, sizeof s);
    s.body = (text_style){"仿宋", 16, 0, 28.9, 0};
    const char *heading_roles[4] = {"黑体", "楷体", "仿宋", "仿宋"};
    for (int i = 0; i < 4; i++)
        s.heading[i] = (text_style){(char *)heading_roles[i], 16, 0, 28.9, 0};
    s.strong_role = "黑体";
    s.emph_role = "楷体";
    s.quote_role = "楷体";
    s.indent = INDENT;
    return s;
}

/* Parse `md` as field "body" of rec.xml, whose text starts on line 10. */
static int parse(const char *md, block_list *out, diag_list *diags)
{
    markdown_style style = test_style();
    text_origin origin = {"rec.xml", "body", 10};
    return markdown_to_blocks(md, &style, &origin, out, diags);
}

/* The text a paragraph shows, hard breaks as "\n". */
static const char *para_text(const block *b, char *buf, size_t size)
{
    size_t len = 0;
    buf[0] = '\0';
    for (size_t i = 0; i < b->nruns; i++) {
        const char *t = b->runs[i].kind == RUN_BREAK ? "\n" : b->runs[i].text;
        size_t n = t ? strlen(t) : 0;
        if (len + n + 1 > size)
            break;
        memcpy(buf + len, t, n);
        len += n;
        buf[len] = '\0';
    }
    return buf;
}

static int is_role(const run *r, const char *role)
{
    return r->style.role && !strcmp(r->style.role, role);
}

static size_t count_runs(const block *b, run_kind kind)
{
    size_t n = 0;
    for (size_t i = 0; i < b->nruns; i++)
        n += b->runs[i].kind == kind;
    return n;
}

static void test_headings(void)
{
    block_list out = {0};
    diag_list diags = {0};
    char buf[256];
    CHECK(parse("# 一、目的\n\n## （一）小节\n\n### 1.三级\n\n#### （1）四级\n\n##### 五级\n", &out,
                &diags) == 0,
          "parse headings");
    CHECK(out.n == 5, "five heading blocks, got %zu", out.n);
    const char *roles[5] = {"黑体", "楷体", "仿宋", "仿宋", "仿宋"};
    const char *texts[5] = {"一、目的", "（一）小节", "1.三级", "（1）四级", "五级"};
    for (size_t i = 0; i < out.n && i < 5; i++) {
        const block *b = &out.items[i];
        CHECK(b->kind == BLOCK_PARA, "heading %zu is a paragraph", i);
        CHECK(b->align == ALIGN_JUSTIFY, "heading %zu justified", i);
        CHECK(b->first == INDENT, "heading %zu indented two characters", i);
        CHECK(b->left == 0, "heading %zu flush left", i);
        CHECK(b->nruns == 1, "heading %zu has one run, got %zu", i, b->nruns);
        CHECK(!strcmp(para_text(b, buf, sizeof buf), texts[i]), "heading %zu text '%s'", i,
              buf);
        CHECK(b->nruns && is_role(&b->runs[0], roles[i]), "heading %zu role %s", i, roles[i]);
        CHECK(b->nruns && b->runs[0].origin.line == 10 + 2 * (int)i,
              "heading %zu line %d", i, b->nruns ? b->runs[0].origin.line : -1);
    }
    CHECK(diags.n == 0, "no diagnostics for headings");
    block_list_free(&out);
    diag_free(&diags);
}

static void test_emphasis(void)
{
    block_list out = {0};
    diag_list diags = {0};
    char buf[256];
    parse("这是**粗体**和*斜体*，还有`代码`与***两者***。\n", &out, &diags);
    CHECK(out.n == 1, "one paragraph");
    if (out.n < 1)
        return;
    const block *b = &out.items[0];
    CHECK(b->kind == BLOCK_PARA && b->align == ALIGN_JUSTIFY, "justified paragraph");
    CHECK(b->first == INDENT && b->left == 0, "paragraph indent");
    CHECK(!strcmp(para_text(b, buf, sizeof buf), "这是粗体和斜体，还有代码与两者。"),
          "emphasis text '%s'", buf);
    CHECK(b->nruns == 7, "seven runs (one per change of face), got %zu", b->nruns);
    if (b->nruns == 7) {
        CHECK(is_role(&b->runs[0], "仿宋") && !strcmp(b->runs[0].text, "这是"), "body run");
        CHECK(is_role(&b->runs[1], "黑体") && !strcmp(b->runs[1].text, "粗体"), "strong run");
        CHECK(is_role(&b->runs[2], "仿宋") && !strcmp(b->runs[2].text, "和"), "body again");
        CHECK(is_role(&b->runs[3], "楷体") && !strcmp(b->runs[3].text, "斜体"), "emph run");
        CHECK(is_role(&b->runs[4], "仿宋") && !strcmp(b->runs[4].text, "，还有代码与"),
              "code span joins the body run: '%s'", b->runs[4].text);
        CHECK(b->runs[5].style.role && !strcmp(b->runs[5].text, "两者"),
              "strong emphasis run");
        CHECK(is_role(&b->runs[5], "黑体"), "***x*** is strong inside emphasis: 黑体");
        CHECK(b->runs[1].style.size == 16 && b->runs[1].style.leading == 28.9,
              "strong keeps size and leading");
    }
    for (size_t i = 0; i < b->nruns; i++) {
        CHECK(b->runs[i].kind == RUN_TEXT, "run %zu is text", i);
        CHECK(b->runs[i].origin.line == 10, "run %zu on line 10", i);
        CHECK(b->runs[i].origin.file && !strcmp(b->runs[i].origin.file, "rec.xml"),
              "run %zu file", i);
        CHECK(b->runs[i].origin.field && !strcmp(b->runs[i].origin.field, "body"),
              "run %zu field", i);
    }
    block_list_free(&out);
    diag_free(&diags);
}

static void test_nested_emphasis(void)
{
    block_list out = {0};
    diag_list diags = {0};
    parse("**粗*斜*粗**\n", &out, &diags);
    CHECK(out.n == 1 && out.items[0].nruns == 3, "three runs in nested emphasis");
    if (out.n == 1 && out.items[0].nruns == 3) {
        const run *r = out.items[0].runs;
        CHECK(is_role(&r[0], "黑体") && is_role(&r[1], "楷体") && is_role(&r[2], "黑体"),
              "innermost emphasis wins");
        CHECK(!strcmp(r[1].text, "斜"), "inner text");
    }
    block_list_free(&out);
    diag_free(&diags);
}

static void test_breaks(void)
{
    block_list out = {0};
    diag_list diags = {0};
    char buf[256];
    parse("line one  \nline two\\\nline three\n\n中文第一行\n中文第二行\n\nLatin words\njoined "
          "here\n\n混排ABC\n中文，\nEnglish\n\nend.\nNext\n",
          &out, &diags);
    CHECK(out.n == 5, "five paragraphs, got %zu", out.n);
    if (out.n < 5)
        return;
    const block *hard = &out.items[0];
    CHECK(count_runs(hard, RUN_BREAK) == 2, "two hard breaks");
    CHECK(hard->nruns == 5 && hard->runs[1].kind == RUN_BREAK && hard->runs[3].kind == RUN_BREAK,
          "breaks between the lines");
    CHECK(!strcmp(para_text(hard, buf, sizeof buf), "line one\nline two\nline three"),
          "hard break text '%s'", buf);
    CHECK(hard->nruns > 1 && is_role(&hard->runs[1], "仿宋"), "break carries the style");
    CHECK(!strcmp(para_text(&out.items[1], buf, sizeof buf), "中文第一行中文第二行"),
          "Chinese lines join without a space: '%s'", buf);
    CHECK(count_runs(&out.items[1], RUN_BREAK) == 0, "a soft break is no break");
    CHECK(!strcmp(para_text(&out.items[2], buf, sizeof buf), "Latin words joined here"),
          "Latin words keep a space: '%s'", buf);
    CHECK(!strcmp(para_text(&out.items[3], buf, sizeof buf), "混排ABC中文，English"),
          "mixed lines join without a space: '%s'", buf);
    CHECK(!strcmp(para_text(&out.items[4], buf, sizeof buf), "end. Next"),
          "Latin sentences keep a space: '%s'", buf);
    CHECK(out.items[2].runs[0].origin.line == 10 + 7, "paragraph line %d",
          out.items[2].runs[0].origin.line);
    block_list_free(&out);
    diag_free(&diags);
}

static void test_softbreak_around_emphasis(void)
{
    block_list out = {0};
    diag_list diags = {0};
    char buf[256];
    parse("see\n**bold** and *it*\n`x`\n中文\n**粗**\n", &out, &diags);
    CHECK(out.n == 1, "one paragraph");
    if (out.n == 1)
        CHECK(!strcmp(para_text(&out.items[0], buf, sizeof buf), "see bold and it x中文粗"),
              "soft breaks look into emphasis and code: '%s'", buf);
    block_list_free(&out);
    diag_free(&diags);
}

static void test_ordered_list(void)
{
    block_list out = {0};
    diag_list diags = {0};
    char buf[256];
    parse("3. 第三项\n4. 第四项**要点**\n5) 另一列表\n", &out, &diags);
    CHECK(out.n == 3, "three items, got %zu", out.n);
    if (out.n < 3)
        return;
    CHECK(!strcmp(para_text(&out.items[0], buf, sizeof buf), "3．第三项"), "item 3: '%s'",
          buf);
    CHECK(!strcmp(para_text(&out.items[1], buf, sizeof buf), "4．第四项要点"), "item 4: '%s'",
          buf);
    CHECK(!strcmp(para_text(&out.items[2], buf, sizeof buf), "5．另一列表"),
          "paren delimiter: the same 5．: '%s'", buf);
    for (size_t i = 0; i < 3; i++) {
        CHECK(out.items[i].first == INDENT && out.items[i].left == 0,
              "item %zu indented as a paragraph", i);
        CHECK(out.items[i].align == ALIGN_JUSTIFY, "item %zu justified", i);
        CHECK(out.items[i].runs[0].origin.line == 10 + (int)i, "item %zu line", i);
    }
    CHECK(is_role(&out.items[1].runs[out.items[1].nruns - 1], "黑体"), "strong in an item");
    CHECK(is_role(&out.items[0].runs[0], "仿宋"), "marker in body face");
    block_list_free(&out);
    diag_free(&diags);
}

/* GB/T 9704-2012 7.3.3: the third level is "1．" with a full-width full
 * stop, so that "1. 4月30日前" does not print as 1.4月; a list inside it is
 * the fourth, "（1）", one indent to the right; start numbers kept. */
static void test_nested_ordered_list(void)
{
    block_list out = {0};
    diag_list diags = {0};
    char buf[256];
    parse("1. 4月30日前\n2. 检查：\n\n   7. 推荐；\n   8. 公示。\n      1. 再下一级\n", &out,
          &diags);
    CHECK(out.n == 5, "five items, got %zu", out.n);
    if (out.n < 5)
        return;
    const char *texts[5] = {"1．4月30日前", "2．检查：", "（7）推荐；", "（8）公示。",
                            "（1）再下一级"};
    const double lefts[5] = {0, 0, INDENT, INDENT, 2 * INDENT};
    for (size_t i = 0; i < 5; i++) {
        CHECK(!strcmp(para_text(&out.items[i], buf, sizeof buf), texts[i]), "item %zu: '%s'", i,
              buf);
        CHECK(out.items[i].left == lefts[i], "item %zu left %g", i, out.items[i].left);
        CHECK(out.items[i].first == INDENT, "item %zu: the paragraphs' first-line indent", i);
    }
    CHECK(!strncmp(out.items[0].runs[0].text, "1\xEF\xBC\x8E", 4), "U+FF0E, not '.'");
    block_list_free(&out);
    diag_free(&diags);
}

static const char *cell_text(const table_row *row, size_t c, char *buf, size_t size)
{
    if (c >= row->ncells || row->cells[c].ncontent != 1)
        return "";
    return para_text(&row->cells[c].content[0], buf, size);
}

/* A pipe table: one BLOCK_TABLE, its first row the header (repeated under
 * 续表), a cell a paragraph of its inlines, alignment from the markers. */
static void test_table(void)
{
    block_list out = {0};
    diag_list diags = {0};
    char buf[256];
    parse("前言\n\n| 序号 | 企业 | 金额 | 备注 |\n|:-:|---|--:|:--|\n| 1 | *甲*公司 | 12 |\n"
          "| 2 | **乙** | 3 | 无 | 多余 |\n",
          &out, &diags);
    CHECK(out.n == 2 && out.items[1].kind == BLOCK_TABLE, "a paragraph and a table, got %zu",
          out.n);
    if (out.n < 2 || out.items[1].kind != BLOCK_TABLE)
        return;
    CHECK(out.items[0].keep_with_next, "the lead-in paragraph keeps with the table");
    const table *t = out.items[1].table;
    CHECK(t->ncolumns == 4, "four columns, got %zu", t->ncolumns);
    CHECK(t->nrows == 3, "header and two rows, got %zu", t->nrows);
    CHECK(t->rule > 0, "ruled");
    CHECK(t->continued && t->continued->nruns == 1 &&
              !strcmp(t->continued->runs[0].text, "续表") &&
              is_role(&t->continued->runs[0], "黑体"),
          "续表 caption in 黑体");
    if (t->nrows < 3 || t->ncolumns < 4)
        return;
    CHECK(t->rows[0].header && !t->rows[1].header && !t->rows[2].header, "first row the header");
    for (size_t r = 0; r < 3; r++)
        CHECK(t->rows[r].ncells == 4, "row %zu: four cells (short filled, extra dropped), %zu",
              r, t->rows[r].ncells);
    const char *head[4] = {"序号", "企业", "金额", "备注"};
    for (size_t c = 0; c < 4; c++) {
        CHECK(!strcmp(cell_text(&t->rows[0], c, buf, sizeof buf), head[c]), "header %zu '%s'", c,
              buf);
        CHECK(is_role(&t->rows[0].cells[c].content[0].runs[0], "黑体"), "header %zu in 黑体", c);
    }
    CHECK(!strcmp(cell_text(&t->rows[1], 1, buf, sizeof buf), "甲公司"), "cell '%s'", buf);
    const block *p = &t->rows[1].cells[1].content[0];
    CHECK(p->nruns == 2 && is_role(&p->runs[0], "楷体") && is_role(&p->runs[1], "仿宋"),
          "emphasis kept in a cell");
    CHECK(is_role(&t->rows[2].cells[1].content[0].runs[0], "黑体"), "strong in a cell");
    CHECK(t->rows[1].cells[3].content[0].nruns == 0, "missing cell empty");
    CHECK(!strcmp(cell_text(&t->rows[2], 3, buf, sizeof buf), "无"), "extra cell dropped");
    const align body_align[4] = {ALIGN_CENTER, ALIGN_LEFT, ALIGN_RIGHT, ALIGN_LEFT};
    for (size_t c = 0; c < 4; c++) {
        CHECK(t->rows[1].cells[c].content[0].align == body_align[c], "column %zu aligned", c);
        CHECK(t->rows[1].cells[c].content[0].first == 0, "no indent in a cell");
    }
    CHECK(t->rows[0].cells[1].content[0].align == ALIGN_CENTER, "unmarked header centred");
    CHECK(t->rows[0].cells[2].content[0].align == ALIGN_RIGHT, "marked header as its column");
    /* columns: 企业 (the widest data) shares the rest, the others fit */
    CHECK(t->columns[1].kind == COLUMN_SHARE, "企业 shares");
    CHECK(t->columns[0].kind == COLUMN_FIT && t->columns[2].kind == COLUMN_FIT &&
              t->columns[3].kind == COLUMN_FIT,
          "short columns fit their text");
    CHECK(t->rows[1].cells[0].content[0].runs[0].origin.line == 14, "cell's record line %d",
          t->rows[1].cells[0].content[0].runs[0].origin.line);
    CHECK(diags.n == 0, "no warnings");
    block_list_free(&out);
    diag_free(&diags);
}

/* A table inside a list or quote moves right with it; a table's cell with
 * an image warns as a paragraph does. */
static void test_table_placed(void)
{
    block_list out = {0};
    diag_list diags = {0};
    parse("> | a | b |\n> |---|---|\n> | ![x](y.png) | 2 |\n", &out, &diags);
    CHECK(out.n == 1 && out.items[0].kind == BLOCK_TABLE, "a table in a quote");
    if (out.n == 1 && out.items[0].kind == BLOCK_TABLE)
        CHECK(out.items[0].left == INDENT, "one indent right, %g", out.items[0].left);
    CHECK(diags.n == 1 && diags.items[0].line == 12, "image in a cell warned at its line");
    block_list_free(&out);
    diag_free(&diags);

    /* thirteen columns cannot all fit their text in a line of 28: all share */
    parse("|a|b|c|d|e|f|g|h|i|j|k|l|m|\n|-|-|-|-|-|-|-|-|-|-|-|-|-|\n", &out, &diags);
    int all_share = out.n == 1 && out.items[0].kind == BLOCK_TABLE &&
                    out.items[0].table->ncolumns == 13;
    for (size_t c = 0; all_share && c < 13; c++)
        all_share = out.items[0].table->columns[c].kind == COLUMN_SHARE;
    CHECK(all_share, "13 columns share the measure");
    block_list_free(&out);
    diag_free(&diags);

    /* no delimiter row: not a table, the pipes stay text */
    parse("| a | b |\n| 1 | 2 |\n", &out, &diags);
    CHECK(out.n == 1 && out.items[0].kind == BLOCK_PARA, "no delimiter row, a paragraph");
    block_list_free(&out);
    diag_free(&diags);
}

static void test_bullet_list(void)
{
    block_list out = {0};
    diag_list diags = {0};
    char buf[256];
    parse("- 甲\n- 乙\n\n  乙续\n- 丙\n  1. 子一\n  2. 子二\n     - 孙\n", &out, &diags);
    CHECK(out.n == 7, "seven paragraphs, got %zu", out.n);
    if (out.n < 7)
        return;
    const char *texts[7] = {"● 甲", "● 乙", "乙续", "● 丙", "1．子一", "2．子二", "● 孙"};
    const double lefts[7] = {0, 0, 0, 0, INDENT, INDENT, 2 * INDENT};
    for (size_t i = 0; i < 7; i++) {
        CHECK(!strcmp(para_text(&out.items[i], buf, sizeof buf), texts[i]),
              "bullet paragraph %zu: '%s'", i, buf);
        CHECK(out.items[i].left == lefts[i], "bullet paragraph %zu left %g", i,
              out.items[i].left);
        CHECK(out.items[i].first == INDENT, "bullet paragraph %zu first", i);
    }
    block_list_free(&out);
    diag_free(&diags);
}

static void test_item_without_paragraph(void)
{
    block_list out = {0};
    diag_list diags = {0};
    char buf[256];
    parse("1. - 内\n2.\n", &out, &diags);
    CHECK(out.n == 3, "marker paragraphs for items without text first, got %zu", out.n);
    if (out.n == 3) {
        CHECK(!strcmp(para_text(&out.items[0], buf, sizeof buf), "1．"), "lone marker '%s'",
              buf);
        CHECK(!strcmp(para_text(&out.items[1], buf, sizeof buf), "● 内"), "inner item '%s'",
              buf);
        CHECK(out.items[1].left == INDENT, "inner list indented");
        CHECK(!strcmp(para_text(&out.items[2], buf, sizeof buf), "2．"), "empty item '%s'", buf);
    }
    block_list_free(&out);
    diag_free(&diags);
}

static void test_quote(void)
{
    block_list out = {0};
    diag_list diags = {0};
    char buf[256];
    parse("前文\n\n> 引用**重点**\n>\n> > 再引\n\n后文\n", &out, &diags);
    CHECK(out.n == 4, "four paragraphs, got %zu", out.n);
    if (out.n < 4)
        return;
    const block *q = &out.items[1];
    CHECK(q->left == INDENT && q->first == INDENT, "quote indented by one step");
    CHECK(q->nruns == 2 && is_role(&q->runs[0], "楷体") && is_role(&q->runs[1], "黑体"),
          "quote face, strong inside it");
    CHECK(!strcmp(para_text(q, buf, sizeof buf), "引用重点"), "quote text '%s'", buf);
    CHECK(q->runs[0].origin.line == 12, "quote line %d", q->runs[0].origin.line);
    CHECK(out.items[2].left == 2 * INDENT, "nested quote two steps");
    CHECK(is_role(&out.items[2].runs[0], "楷体"), "nested quote face");
    CHECK(out.items[3].left == 0 && is_role(&out.items[3].runs[0], "仿宋"),
          "after the quote: body again");
    block_list_free(&out);
    diag_free(&diags);
}

static void test_left_out(void)
{
    block_list out = {0};
    diag_list diags = {0};
    char buf[256];
    /* record lines: 12 html block, 16 image, 18 two inline tags, 20 lone image */
    parse("正文\n\n<div>\nhtml\n</div>\n\n图片 ![说明](x.png) 之后\n\n有<b>标签</b>的\n\n"
          "![只有图](y.png)\n",
          &out, &diags);
    CHECK(out.n == 3, "html and the image-only paragraph leave nothing, got %zu", out.n);
    if (out.n == 3) {
        CHECK(!strcmp(para_text(&out.items[1], buf, sizeof buf), "图片  之后"),
              "image and its alt text left out: '%s'", buf);
        CHECK(!strcmp(para_text(&out.items[2], buf, sizeof buf), "有标签的"),
              "inline HTML tags left out, their text kept: '%s'", buf);
    }
    /* the two inline tags of line 18 say the same thing: one warning */
    CHECK(diags.n == 4, "four warnings, got %zu", diags.n);
    CHECK(diag_count(&diags, DIAG_WARNING) == diags.n, "all are warnings");
    const int lines[4] = {12, 16, 18, 20};
    for (size_t i = 0; i < diags.n && i < 4; i++) {
        CHECK(diags.items[i].line == lines[i], "warning %zu on line %d, got %d", i, lines[i],
              diags.items[i].line);
        CHECK(diags.items[i].file && !strcmp(diags.items[i].file, "rec.xml"), "warning file");
        CHECK(!strncmp(diags.items[i].message, "body: ", 6), "warning names the field: %s",
              diags.items[i].message);
    }
    if (diags.n == 5) {
        CHECK(strstr(diags.items[0].message, "raw HTML"), "html block message");
        CHECK(strstr(diags.items[1].message, "image") && strstr(diags.items[1].message, "x.png"),
              "image message: %s", diags.items[1].message);
        CHECK(strstr(diags.items[2].message, "raw HTML"), "inline html message");
    }
    block_list_free(&out);
    diag_free(&diags);
}

static void test_code_block(void)
{
    block_list out = {0};
    diag_list diags = {0};
    parse("```\ncode  a\n\n  code b\n```\n\n    indented\n    two\n", &out, &diags);
    CHECK(out.n == 5, "one paragraph per code line, got %zu", out.n);
    if (out.n < 5)
        return;
    const char *texts[5] = {"code  a", "", "  code b", "indented", "two"};
    const int lines[5] = {11, 12, 13, 16, 17};
    for (size_t i = 0; i < 5; i++) {
        const block *b = &out.items[i];
        CHECK(b->kind == BLOCK_PARA && b->align == ALIGN_LEFT && b->first == 0,
              "code line %zu left-aligned, no indent", i);
        CHECK(b->nruns == 1 && b->runs[0].kind == RUN_TEXT, "code line %zu one run", i);
        if (b->nruns == 1) {
            CHECK(!strcmp(b->runs[0].text, texts[i]), "code line %zu literal '%s'", i,
                  b->runs[0].text);
            CHECK(is_role(&b->runs[0], "仿宋"), "code line %zu body face", i);
            CHECK(b->runs[0].origin.line == lines[i], "code line %zu on line %d, got %d", i,
                  lines[i], b->runs[0].origin.line);
        }
    }
    block_list_free(&out);
    diag_free(&diags);
}

/* Which line a code line is on needs to know whether the block was fenced,
 * which cmark 0.30 does not say: CRLF sources and indented code that looks
 * like a fence must still come out right. */
static void test_code_block_lines(void)
{
    block_list out = {0};
    diag_list diags = {0};
    parse("~~~\r\nx\r\ny\r\n~~~\r\n\r\n    ```not a fence\n", &out, &diags);
    CHECK(out.n == 3, "three code lines, got %zu", out.n);
    if (out.n == 3) {
        CHECK(!strcmp(out.items[0].runs[0].text, "x") && out.items[0].runs[0].origin.line == 11,
              "CRLF fenced line 11, got %d", out.items[0].runs[0].origin.line);
        CHECK(out.items[1].runs[0].origin.line == 12, "CRLF fenced line 12");
        CHECK(!strcmp(out.items[2].runs[0].text, "```not a fence"), "indented literal '%s'",
              out.items[2].runs[0].text);
        CHECK(out.items[2].runs[0].origin.line == 15, "indented code line 15, got %d",
              out.items[2].runs[0].origin.line);
    }
    block_list_free(&out);
    diag_free(&diags);
}

static void test_rule(void)
{
    block_list out = {0};
    diag_list diags = {0};
    parse("上\n\n---\n\n下\n", &out, &diags);
    CHECK(out.n == 3, "paragraph, rule, paragraph");
    if (out.n == 3) {
        const block *r = &out.items[1];
        CHECK(r->kind == BLOCK_RULE, "a rule");
        CHECK(r->thickness == 0.5 && r->color == 0, "thin black rule");
        CHECK(r->space_before == 28.9 / 2 && r->space_after == 28.9 / 2,
              "half a line above and below");
    }
    block_list_free(&out);
    diag_free(&diags);
}

static void test_links(void)
{
    block_list out = {0};
    diag_list diags = {0};
    char buf[512];
    parse("见[国家标准](https://std.example.cn)，<https://a.example.cn>，"
          "<rzjg@example.org.cn>，[本节](#x)。\n",
          &out, &diags);
    CHECK(out.n == 1, "one paragraph");
    if (out.n == 1)
        CHECK(!strcmp(para_text(&out.items[0], buf, sizeof buf),
                      "见国家标准（https://std.example.cn），https://a.example.cn，"
                      "rzjg@example.org.cn，本节。"),
              "links: text, address only where not shown: '%s'", buf);
    block_list_free(&out);
    diag_free(&diags);
}

/* The shape of the notice's body: "1、" lines are plain paragraphs. */
static void test_notice_body(void)
{
    const char *md = "\n为认真贯彻落实……现将有关工作要求通知如下：\n\n# 一、目的和意义\n\n"
                     "认证认可制度是涉及质量和安全的基本规范性制度。\n\n"
                     "1、组织百家认证机构依法履行认证主体责任。\n\n"
                     "2、E-mail：rzjg@example.org.cn；邮编：310013。\n";
    block_list out = {0};
    diag_list diags = {0};
    char buf[512];
    CHECK(parse(md, &out, &diags) == 0, "notice parses");
    CHECK(out.n == 5, "five blocks, got %zu", out.n);
    if (out.n == 5) {
        CHECK(is_role(&out.items[1].runs[0], "黑体"), "heading in 黑体");
        CHECK(!strcmp(para_text(&out.items[3], buf, sizeof buf),
                      "1、组织百家认证机构依法履行认证主体责任。"),
              "1、 line stays a paragraph: '%s'", buf);
        CHECK(out.items[3].first == INDENT && out.items[3].left == 0, "its indent");
        CHECK(!strcmp(para_text(&out.items[4], buf, sizeof buf),
                      "2、E-mail：rzjg@example.org.cn；邮编：310013。"),
              "no autolink in plain CommonMark: '%s'", buf);
        CHECK(out.items[0].runs[0].origin.line == 11, "first paragraph on line 11, got %d",
              out.items[0].runs[0].origin.line);
        CHECK(out.items[1].runs[0].origin.line == 13, "heading on line 13");
    }
    CHECK(diags.n == 0, "no warnings");
    block_list_free(&out);
    diag_free(&diags);
}

static void test_edges(void)
{
    block_list out = {0};
    diag_list diags = {0};
    CHECK(parse("", &out, &diags) == 0 && out.n == 0, "empty text, no blocks");
    CHECK(parse("\n\n   \n", &out, &diags) == 0 && out.n == 0, "blank text, no blocks");
    CHECK(parse(NULL, &out, &diags) == 0 && out.n == 0, "NULL text, no blocks");

    /* Appends to what is there; unknown origin line stays unknown. */
    block_list_push(&out, BLOCK_SPACE);
    markdown_style style = test_style();
    text_origin origin = {"rec.xml", "body", 0};
    CHECK(markdown_to_blocks("甲\n\n<p>x</p>\n", &style, &origin, &out, &diags) == 0,
          "parse with unknown line");
    CHECK(out.n == 2 && out.items[0].kind == BLOCK_SPACE, "appended after existing blocks");
    CHECK(out.n == 2 && out.items[1].runs[0].origin.line == 0, "unknown line stays 0");
    CHECK(diags.n == 1 && diags.items[0].line == 0, "warning line unknown too");
    block_list_free(&out);
    diag_free(&diags);
}

int main(void)
{
    test_headings();
    test_emphasis();
    test_nested_emphasis();
    test_breaks();
    test_softbreak_around_emphasis();
    test_ordered_list();
    test_nested_ordered_list();
    test_table();
    test_table_placed();
    test_bullet_list();
    test_item_without_paragraph();
    test_quote();
    test_left_out();
    test_code_block();
    test_code_block_lines();
    test_rule();
    test_links();
    test_notice_body();
    test_edges();
    return check_summary();
}
