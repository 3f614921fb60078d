/* Unit tests of the template stage: small templates (written to a
 * temporary folder, with the fragment they use) applied to a small record,
 * and the blocks they make read back: <if>, <each of>, <each codes>,
 * <let>, <group>, <use fragment> in the flow and in the head, a table's
 * rows and $row; where a template says its record lists a bundle's
 * attachments; and templates that are refused, each with the file and
 * line of its mistake. */
#define _POSIX_C_SOURCE 200809L
#include <libxml/parser.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "check.h"
#include "template.h"
#include "template_refs.h"

static char folder[] = "/tmp/test_template.XXXXXX";

/* folder/NAME, written with `text`; the path is allocated. */
static char *write_file(const char *name, const char *text)
{
    size_t len = strlen(folder) + strlen(name) + 2;
    char *path = malloc(len);
    snprintf(path, len, "%s/%s", folder, name);
    FILE *f = fopen(path, "w");
    if (f) {
        fputs(text, f);
        fclose(f);
    }
    return path;
}

/* The text of a paragraph: its runs one after another. */
static const char *para_text(const block *b, char *buf, size_t size)
{
    size_t len = 0;
    buf[0] = '\0';
    for (size_t i = 0; b->kind == BLOCK_PARA && i < b->nruns; i++) {
        const char *t = b->runs[i].text ? b->runs[i].text : "";
        size_t n = strlen(t);
        if (len + n + 1 > size)
            break;
        memcpy(buf + len, t, n + 1);
        len += n;
    }
    return buf;
}

/* Does some diagnostic say `what` at file:line (file's name ending as
 * `file` does)? */
static int said(const diag_list *d, const char *file, int line, const char *what)
{
    for (size_t i = 0; i < d->n; i++) {
        const diag *g = &d->items[i];
        size_t fl = g->file ? strlen(g->file) : 0, nl = strlen(file);
        if (g->line == line && fl >= nl && strcmp(g->file + fl - nl, file) == 0 &&
            strstr(g->message, what))
            return 1;
    }
    return 0;
}

static const char record_xml[] = "<r>\n"
                                 "  <item ok='yes' city='b'>x</item>\n"
                                 "  <item city='a'>y</item>\n"
                                 "  <item ok='yes' city='zz'>z</item>\n"
                                 "  <item city='b'>w</item>\n"
                                 "</r>\n";

static const char fragment_xml[] =
    "<fragment>\n"
    "  <style name='body' role='仿宋' size='12pt'/>\n"
    "  <codes name='city'><code value='a'>甲市</code><code value='b'>乙市</code></codes>\n"
    "  <body><para>fragment <value of='count(item)'/></para></body>\n"
    "</fragment>\n";

static const char template_xml[] =
    "<template name='t' record='r'>\n"
    "  <use fragment='frag'/>\n"
    "  <flow>\n"
    "    <let name='v' of=\"'out'\"/>\n"
    "    <para>A<value of='$v'/></para>\n"
    "    <if test='true()'><let name='v' of=\"'in'\"/><para>B<value of='$v'/></para></if>\n"
    "    <para>C<value of='$v'/></para>\n"
    "    <each of='item'><if test=\"@ok = 'yes'\">"
    "<para><value of='.'/>-<value of='position()'/></para></if></each>\n"
    "    <use fragment='frag'/>\n"
    "    <group of='item' by='@city' order='city' others='other'>"
    "<para><value of='$key'/>:<value of='count($group)'/>"
    "<if test='$others'>!</if><each of='$group'><value of='.'/></each></para></group>\n"
    "    <group of='item' by='@city'><para><value of='$key'/></para></group>\n"
    "    <para><each codes='city'><value of='$code' codes='city'/>="
    "<value of='count(item[@city = $code])'/><if test='position() != last()'>,</if></each></para>\n"
    "    <table columns='1* 1*'><row each=\"item[@ok = 'yes']\">"
    "<cell><value of='$row'/></cell><cell><value of='.'/></cell></row>"
    "<empty>none</empty></table>\n"
    "  </flow>\n"
    "  <foot><use fragment='frag'/></foot>\n"
    "</template>\n";

/* The texts the flow's paragraphs should show, in order (a table: "T"). */
static const char *const expected[] = {
    "Aout", "Bin", "Cout", "x-1", "z-3", "fragment4",
    /* groups in the order of the code table city, then the others */
    "a:1y", "b:2xw", "other:1!z",
    /* without order=: as their keys first come */
    "b", "a", "zz",
    /* one count per code, $code shown through the table */
    "甲市=1,乙市=2", "T"};

static void test_apply(void)
{
    free(write_file("frag.xml", fragment_xml));
    char *path = write_file("t.xml", template_xml);
    diag_list d = {0};
    template *t = template_load(path, &d);
    CHECK(t != NULL, "the template loads (%zu problems)", d.n);
    if (!t) {
        diag_print(&d, stderr);
        free(path);
        diag_free(&d);
        return;
    }
    xmlDoc *record = xmlReadMemory(record_xml, (int)strlen(record_xml), "r.xml", NULL, 0);
    document doc;
    int rc = template_apply(t, record, "r.xml", &doc, &d);
    CHECK(rc == 0 && d.n == 0, "applied without a problem (%d, %zu)", rc, d.n);
    if (d.n)
        diag_print(&d, stderr);
    size_t n = sizeof expected / sizeof *expected;
    CHECK(doc.flow.n == n, "%zu blocks (%zu expected)", doc.flow.n, n);
    char buf[256];
    for (size_t i = 0; i < n && i < doc.flow.n; i++) {
        const block *b = &doc.flow.items[i];
        if (strcmp(expected[i], "T") == 0) {
            CHECK(b->kind == BLOCK_TABLE, "block %zu is the table", i);
            continue;
        }
        CHECK(strcmp(para_text(b, buf, sizeof buf), expected[i]) == 0,
              "block %zu: \"%s\", not \"%s\"", i, buf, expected[i]);
    }
    const block *tb = &doc.flow.items[n - 1];
    if (tb->kind == BLOCK_TABLE) {
        const table *tab = tb->table;
        CHECK(tab->nrows == 2, "the table has the rows of x and z (%zu)", tab->nrows);
        const char *rows[2][2] = {{"1", "x"}, {"2", "z"}};
        for (size_t r = 0; r < tab->nrows && r < 2; r++)
            for (size_t c = 0; c < 2 && c < tab->rows[r].ncells; c++)
                CHECK(strcmp(para_text(&tab->rows[r].cells[c].content[0], buf, sizeof buf),
                             rows[r][c]) == 0,
                      "row %zu cell %zu: \"%s\"", r, c, buf);
    }
    CHECK(doc.foot.n == 1 &&
              strcmp(para_text(&doc.foot.items[0], buf, sizeof buf), "fragment4") == 0,
          "the foot uses the fragment too (%zu blocks)", doc.foot.n);
    /* the fragment's head is the template's: its body style */
    const block *first = &doc.flow.items[0];
    CHECK(first->nruns > 0 && strcmp(first->runs[0].style.role, "仿宋") == 0 &&
              first->runs[0].style.size == 12,
          "text in the fragment's body style");
    document_free(&doc);
    xmlFreeDoc(record);
    template_free(t);
    diag_free(&d);
    free(path);
}

/* The template `text` (written as folder/NAME) applied to the record
 * `rec` (named r.xml): 0 and the document, with the diagnostics in `d`;
 * -1 (a failed check) when it does not load or apply. */
static int apply_text(const char *name, const char *text, const char *rec, document *doc,
                      diag_list *d)
{
    char *path = write_file(name, text);
    template *t = template_load(path, d);
    CHECK(t != NULL, "the template %s loads", name);
    xmlDoc *record = xmlReadMemory(rec, (int)strlen(rec), "r.xml", NULL, 0);
    int rc = t && record && template_apply(t, record, "r.xml", doc, d) == 0 ? 0 : -1;
    CHECK(rc == 0, "%s applies", name);
    xmlFreeDoc(record);
    template_free(t);
    free(path);
    return rc;
}

/* A Markdown field in a cell: its paragraphs are the cell's; a pipe table
 * in it has no place there and is left out with a warning at its line. */
static void test_markdown_table_in_cell(void)
{
    diag_list d = {0};
    document doc;
    if (apply_text("mc.xml",
                   "<template name='mc' record='r'><flow>"
                   "<table columns='1*'><row><cell><markdown of='m'/></cell>"
                   "</row></table></flow></template>\n",
                   "<r>\n<m>| a | b |\n|---|---|\n| 1 | 2 |\n\n文</m>\n</r>\n", &doc, &d) == 0) {
        const block *b = doc.flow.n == 1 ? &doc.flow.items[0] : NULL;
        const table_cell *cell = b && b->kind == BLOCK_TABLE && b->table->nrows == 1 &&
                                         b->table->rows[0].ncells == 1
                                     ? &b->table->rows[0].cells[0]
                                     : NULL;
        char buf[64];
        CHECK(cell && cell->ncontent == 1 &&
                  !strcmp(para_text(&cell->content[0], buf, sizeof buf), "文"),
              "the cell keeps the paragraph");
        CHECK(said(&d, "r.xml", 2, "a table has no place in a table's cell"),
              "the table is reported at its record line");
        document_free(&doc);
    }
    diag_free(&d);
}

/* <warn test at>: a warning with the template's text (whitespace folded)
 * at the line of the node `at` selects, only when the test holds. */
static void test_warn(void)
{
    diag_list d = {0};
    document doc;
    if (apply_text("w.xml",
                   "<template name='w' record='r'><flow>"
                   "<warn test='not(signer)' at='number'>no\n   signer:\n  add one</warn>"
                   "<warn test='signer'>never said</warn>"
                   "<para>x</para></flow></template>\n",
                   "<r>\n\n<number>1</number>\n</r>\n", &doc, &d) == 0) {
        CHECK(said(&d, "r.xml", 3, "no signer: add one") && d.n == 1 &&
                  d.items[0].level == DIAG_WARNING,
              "one warning, at <number>'s line 3, its text folded");
        CHECK(doc.flow.n == 1, "the document still has its paragraph");
        document_free(&doc);
    }
    diag_free(&d);
}

/* A template that is refused says where: its file and line. */
static void refused(const char *name, const char *text, const char *file, int line,
                    const char *what, int at_load)
{
    char *path = write_file(name, text);
    diag_list d = {0};
    template *t = template_load(path, &d);
    int refused = !t;
    if (t && !at_load) {
        xmlDoc *record = xmlReadMemory(record_xml, (int)strlen(record_xml), "r.xml", NULL, 0);
        document doc;
        refused = template_apply(t, record, "r.xml", &doc, &d) != 0;
        document_free(&doc);
        xmlFreeDoc(record);
    }
    CHECK(refused, "%s is refused %s", name, at_load ? "when loaded" : "when applied");
    CHECK(said(&d, file, line, what), "%s: %s:%d says \"%s\"", name, file, line, what);
    if (!said(&d, file, line, what))
        diag_print(&d, stderr);
    template_free(t);
    diag_free(&d);
    free(path);
}

static void test_refused(void)
{
    refused("unknown.xml",
            "<template name='u' record='r'>\n\n  <frobnicate/>\n  <flow/>\n</template>\n",
            "unknown.xml", 3, "unknown template element: frobnicate", 1);
    refused("inline.xml",
            "<template name='i' record='r'>\n  <flow>\n    <para>\n      <bogus/>\n"
            "    </para>\n  </flow>\n</template>\n",
            "inline.xml", 4, "not allowed inside a paragraph: bogus", 0);
    refused("codes.xml",
            "<template name='c' record='r'>\n  <flow>\n    <para><each codes='nope'/></para>\n"
            "  </flow>\n</template>\n",
            "codes.xml", 3, "no such code table: nope", 0);
    refused("group.xml",
            "<template name='g' record='r'>\n  <flow>\n\n    <group of='item'/>\n  </flow>\n"
            "</template>\n",
            "group.xml", 4, "<group> needs of=", 0);
    refused("let.xml",
            "<template name='l' record='r'>\n  <flow>\n    <let of='1'/>\n  </flow>\n</template>\n",
            "let.xml", 3, "<let> needs name=", 0);
    /* a fragment's mistake is at its own line, in its own file */
    free(write_file("badfrag.xml", "<fragment>\n\n  <style name='x'/>\n</fragment>\n"));
    refused("usesbad.xml",
            "<template name='b' record='r'>\n  <use fragment='badfrag'/>\n  <flow/>\n</template>\n",
            "badfrag.xml", 3, "<style> needs name and role", 1);
    refused("notfrag.xml",
            "<template name='n' record='r'>\n  <use fragment='t'/>\n  <flow/>\n</template>\n",
            "notfrag.xml", 2, "not a fragment", 1);
}

/* <attachments of template title>: the list is where the template says,
 * in document order, each entry's template and title as its XPath give
 * them; a template without it cannot head a bundle. */
static void test_attachment_refs(void)
{
    char *path = write_file("heads.xml",
                            "<template name='h' record='letter'>\n"
                            "  <attachments of='annex/part[@kind]' template='@kind' "
                            "title=\"concat(name, '表')\"/>\n"
                            "  <flow/>\n</template>\n");
    static const char letter[] =
        "<letter>\n"
        "  <annex>\n"
        "    <part kind='selfcheck-summary'><name>汇总</name></part>\n"
        "    <part><name>no kind: not selected</name></part>\n"
        "    <part kind=''><name>推荐</name></part>\n"
        "  </annex>\n"
        "</letter>\n";
    diag_list d = {0};
    template *t = template_load(path, &d);
    xmlDoc *record = xmlReadMemory(letter, (int)strlen(letter), "letter.xml", NULL, 0);
    template_ref *refs = NULL;
    int line = 0;
    long n = t && record ? template_attachment_refs(t, record, &refs, &line, &d) : -1;
    CHECK(t && template_lists_attachments(t), "the template declares a list");
    CHECK(n == 2, "two entries selected (%ld)", n);
    if (n == 2) {
        CHECK(refs[0].name && strcmp(refs[0].name, "selfcheck-summary") == 0 &&
                  strcmp(refs[0].title, "汇总表") == 0,
              "the first: its template and its title by the template's XPath");
        CHECK(xmlGetLineNo(refs[0].entry) == 3, "the first entry is at line 3");
        CHECK(refs[1].name == NULL && strcmp(refs[1].title, "推荐表") == 0,
              "an empty template= names none (the bundle says so)");
        CHECK(line == 2, "the list's line is that of the entries' parent (%d)", line);
    }
    template_refs_free(refs, n > 0 ? (size_t)n : 0);
    template_free(t);
    free(path);

    path = write_file("plain.xml", "<template name='p' record='letter'>\n  <flow/>\n</template>\n");
    t = template_load(path, &d);
    n = t ? template_attachment_refs(t, record, &refs, &line, &d) : 0;
    CHECK(t && !template_lists_attachments(t) && n == -1 && refs == NULL,
          "a template without <attachments> lists nothing");
    CHECK(said(&d, "plain.xml", 0, "cannot head a bundle"), "and says it cannot head a bundle");
    template_free(t);
    xmlFreeDoc(record);
    diag_free(&d);
    free(path);
}

int main(void)
{
    if (!mkdtemp(folder)) {
        perror("mkdtemp");
        return 1;
    }
    test_apply();
    test_markdown_table_in_cell();
    test_warn();
    test_refused();
    test_attachment_refs();
    char cmd[128];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", folder);
    if (system(cmd) != 0)
        fprintf(stderr, "could not remove %s\n", folder);
    xmlCleanupParser();
    return check_summary();
}
