/* Unit tests for gen/load.c and load_encoding.c: files read in their
 * encoding (GB18030 and GBK among them), the hostile parts of XML refused
 * with FILE:LINE, validation against a RelaxNG schema with the lines of
 * the faults, and the ordered twin of a schema with an <interleave>.  The
 * files are written by the test; the expected characters are spelt here in
 * UTF-8 and their GB18030 bytes come from the standard's tables (Python's
 * gb18030 codec agrees). */
#define _GNU_SOURCE
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "check.h"
#include "load.h"

static char folder[] = "/tmp/gen-test-load-XXXXXX";

/* `name` in the test's folder, holding `len` bytes of `bytes`. */
static char *write_file(const char *name, const char *bytes, size_t len)
{
    char *path = NULL;
    if (asprintf(&path, "%s/%s", folder, name) < 0)
        abort();
    FILE *f = fopen(path, "wb");
    fwrite(bytes, 1, len, f);
    fclose(f);
    return path;
}

static char *write_text(const char *name, const char *text)
{
    return write_file(name, text, strlen(text));
}

/* The text of the root's first child element named `name`, or "". */
static char *child_text(xmlDoc *doc, const char *name)
{
    for (xmlNode *n = xmlDocGetRootElement(doc)->children; n; n = n->next)
        if (n->type == XML_ELEMENT_NODE && xmlStrEqual(n->name, BAD_CAST name))
            return (char *)xmlNodeGetContent(n);
    return (char *)xmlStrdup(BAD_CAST "");
}

static int element_children(xmlNode *n)
{
    int count = 0, other = 0;
    for (xmlNode *c = n->children; c; c = c->next)
        c->type == XML_ELEMENT_NODE ? count++ : other++;
    return other ? -1 : count;
}

/* Exactly one error, in `path` at `line`, whose message holds `words`. */
static void expect_error(const diag_list *d, const char *path, int line, const char *words,
                         const char *what)
{
    int ok = d->n == 1 && d->items[0].level == DIAG_ERROR && d->items[0].file &&
             strcmp(d->items[0].file, path) == 0 && d->items[0].line == line &&
             strstr(d->items[0].message, words) != NULL;
    CHECK(ok, "%s: want one error at line %d with \"%s\", got %zu: %s:%d: %s", what, line, words,
          d->n, d->n ? d->items[0].file : "", d->n ? d->items[0].line : 0,
          d->n ? d->items[0].message : "");
}

static void test_utf8_record(void)
{
    char *path = write_text("notice.xml", "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
                                          "<notice>\n"
                                          "  <issuer>浙江省质量技术监督局</issuer>\n"
                                          "  <title>关于 &lt;认证&gt; 的通知</title>\n"
                                          "</notice>\n");
    diag_list d = {0};
    xmlDoc *doc = load_xml_encoded(path, NULL, LOAD_RECORD, &d);
    CHECK(doc != NULL && d.n == 0, "a UTF-8 record loads without a word");
    if (doc) {
        char *issuer = child_text(doc, "issuer"), *title = child_text(doc, "title");
        CHECK(strcmp(issuer, "浙江省质量技术监督局") == 0, "issuer read: %s", issuer);
        CHECK(strcmp(title, "关于 <认证> 的通知") == 0, "character references resolved: %s", title);
        CHECK(element_children(xmlDocGetRootElement(doc)) == 2,
              "a record keeps no white space between its elements");
        xmlFree(issuer), xmlFree(title);
        xmlFreeDoc(doc);
    }
    /* A template mixes text and elements: the white space stays. */
    doc = load_xml(path, &d);
    CHECK(doc && element_children(xmlDocGetRootElement(doc)) == -1,
          "read as mixed content, the white space between elements is kept");
    xmlFreeDoc(doc);
    diag_free(&d);
    free(path);
}

static void test_gb18030_record(void)
{
    /* 仿宋 B7C2 CBCE, 东海 B6AB BAA3 (two-byte, GBK too), 𠮷 U+20BB7
     * 95 34 B2 35 (a four-byte sequence only GB18030 has) */
#define GB_BODY                                                                              \
    "<list>\n"                                                                                \
    "<role>\xB7\xC2\xCB\xCE</role>\n"                                                          \
    "<name>\xB6\xAB\xBA\xA3\x95\x34\xB2\x35</name>\n"                                          \
    "</list>\n"
    static const char gb[] = "<?xml version=\"1.0\" encoding=\"GB18030\"?>\n" GB_BODY;
    static const char gbk_bytes[] = "<?xml version=\"1.0\" encoding=\"GBK\"?>\n" GB_BODY;
    char *path = write_file("gb18030.xml", gb, sizeof gb - 1);
    diag_list d = {0};
    xmlDoc *doc = load_xml_encoded(path, NULL, LOAD_RECORD, &d);
    CHECK(doc != NULL && d.n == 0, "a GB18030 record loads");
    if (doc) {
        char *role = child_text(doc, "role"), *name = child_text(doc, "name");
        CHECK(strcmp(role, "仿宋") == 0, "two-byte characters: %s", role);
        CHECK(strcmp(name, "东海\xF0\xA0\xAE\xB7") == 0, "a four-byte one, U+20BB7: %s", name);
        xmlFree(role), xmlFree(name);
        xmlFreeDoc(doc);
    }
    /* Declared GBK (as Chinese Windows saves): read as GB18030, its
     * superset, so the four-byte character is not refused. */
    char *gbk = write_file("gbk.xml", gbk_bytes, sizeof gbk_bytes - 1);
    doc = load_xml_encoded(gbk, NULL, LOAD_RECORD, &d);
    CHECK(doc != NULL && d.n == 0, "a file declared GBK is read as GB18030");
    if (doc) {
        char *name = child_text(doc, "name");
        CHECK(strcmp(name, "东海\xF0\xA0\xAE\xB7") == 0, "U+20BB7 under GBK: %s", name);
        xmlFree(name);
        xmlFreeDoc(doc);
    }
    diag_free(&d);
    free(gbk), free(path);
}

/* GBK bytes with no declaration: not UTF-8, said at the line of the
 * first bad byte, with the hint; read once the encoding is named. */
static void test_undeclared_encoding(void)
{
    static const char bytes[] = "<list>\n<a>ok</a>\n<b>\xB7\xC2\xCB\xCE</b>\n</list>\n";
    char *path = write_file("undeclared.xml", bytes, sizeof bytes - 1);
    diag_list d = {0};
    xmlDoc *doc = load_xml_encoded(path, NULL, LOAD_RECORD, &d);
    CHECK(doc == NULL, "undeclared GBK is not taken for UTF-8");
    expect_error(&d, path, 3, "byte 20 (B7 C2 CB) is not valid UTF-8", "undeclared GBK");
    CHECK(d.n == 1 && strstr(d.items[0].message, "try --encoding GBK"), "the hint names GBK");
    diag_free(&d);
    doc = load_xml_encoded(path, "GBK", LOAD_RECORD, &d);
    CHECK(doc != NULL && d.n == 0, "with the encoding named, it reads");
    if (doc) {
        char *b = child_text(doc, "b");
        CHECK(strcmp(b, "仿宋") == 0, "and says 仿宋: %s", b);
        xmlFree(b);
        xmlFreeDoc(doc);
    }
    doc = load_xml_encoded(path, "NO-SUCH-CODE", LOAD_RECORD, &d);
    expect_error(&d, path, 1, "unknown encoding \"NO-SUCH-CODE\"", "an unknown encoding");
    CHECK(doc == NULL, "an unknown encoding reads nothing");
    diag_free(&d);
    free(path);
}

/* Entities are refused where they are declared; an external DTD is
 * never read, so what it declares is unknown; a broken file is said at
 * its line. */
static void test_refusals(void)
{
    char *secret = write_text("secret.txt", "root:x:0:0\n");
    char *dtd = NULL;
    if (asprintf(&dtd, "<!ENTITY org \"东海\">\n") < 0)
        abort();
    char *dtd_path = write_text("list.dtd", dtd);
    char *body = NULL;
    if (asprintf(&body,
                 "<?xml version=\"1.0\"?>\n<!DOCTYPE list [\n  <!ELEMENT list ANY>\n"
                 "  <!ENTITY x SYSTEM \"file://%s\">\n]>\n<list>&x;</list>\n",
                 secret) < 0)
        abort();
    char *path = write_text("entity.xml", body);
    diag_list d = {0};
    xmlDoc *doc = load_xml_encoded(path, NULL, LOAD_RECORD, &d);
    CHECK(doc == NULL, "a file declaring an entity is refused");
    expect_error(&d, path, 4, "declares entities", "an external entity");
    CHECK(d.n == 0 || !strstr(d.items[0].message, "root:"), "the entity's file is not read");
    diag_free(&d);

    char *ext = NULL;
    if (asprintf(&ext, "<?xml version=\"1.0\"?>\n<!DOCTYPE list SYSTEM \"%s\">\n<list>\n"
                       "<a>&org;</a>\n</list>\n",
                 dtd_path) < 0)
        abort();
    char *ext_path = write_text("external-dtd.xml", ext);
    doc = load_xml_encoded(ext_path, NULL, LOAD_RECORD, &d);
    CHECK(doc == NULL, "an entity only an external DTD declares stays unknown");
    expect_error(&d, ext_path, 4, "&org; is not an entity", "an external DTD");
    diag_free(&d);

    char *broken = write_text("broken.xml", "<list>\n<a>1</a>\n<b>2</a>\n</list>\n");
    doc = load_xml_encoded(broken, NULL, LOAD_RECORD, &d);
    CHECK(doc == NULL, "a file that is not well-formed is refused");
    expect_error(&d, broken, 3, "<b> (line 3) is closed by </a>", "a mismatched tag");
    diag_free(&d);

    char *missing = NULL;
    if (asprintf(&missing, "%s/no-such.xml", folder) < 0)
        abort();
    doc = load_xml_encoded(missing, NULL, LOAD_RECORD, &d);
    expect_error(&d, missing, 0, "cannot read", "a file that is not there");
    diag_free(&d);
    free(secret), free(dtd), free(dtd_path), free(body), free(path), free(ext), free(ext_path);
    free(broken), free(missing);
}

#define SCHEMA_HEAD                                                                          \
    "<element name=\"list\" xmlns=\"http://relaxng.org/ns/structure/1.0\"\n"                 \
    "  datatypeLibrary=\"http://www.w3.org/2001/XMLSchema-datatypes\">\n"                    \
    "  <oneOrMore><element name=\"item\">\n"

#define SCHEMA_TAIL "  </element></oneOrMore>\n</element>\n"

/* Each fault at its own line: a missing element, a value of the wrong
 * type, an element the schema does not know. */
static void test_validate(void)
{
    char *schema = write_text("list.rng", SCHEMA_HEAD
                              "    <element name=\"name\"><text/></element>\n"
                              "    <element name=\"count\"><data type=\"integer\"/></element>\n"
                              SCHEMA_TAIL);
    char *good = write_text("good.xml", "<list>\n<item><name>甲</name><count>3</count></item>\n"
                                        "</list>\n");
    char *bad = write_text("bad.xml", "<list>\n"
                                      "<item><name>甲</name><count>3</count></item>\n"
                                      "<item>\n<name>乙</name>\n</item>\n"
                                      "<item><name>丙</name><count>many</count></item>\n"
                                      "</list>\n");
    diag_list d = {0};
    xmlDoc *doc = load_xml_encoded(good, NULL, LOAD_RECORD, &d);
    CHECK(doc && load_validate(doc, good, schema, &d) == 0 && d.n == 0, "a valid record: 0");
    xmlFreeDoc(doc);
    doc = load_xml_encoded(bad, NULL, LOAD_RECORD, &d);
    int n = doc ? load_validate(doc, bad, schema, &d) : -2;
    CHECK(n >= 2 && (size_t)n == d.n, "faults counted as diagnostics: %d, %zu", n, d.n);
    int at_item = 0, at_count = 0;
    for (size_t i = 0; i < d.n; i++) {
        CHECK(d.items[i].file && strcmp(d.items[i].file, bad) == 0, "each names the record");
        at_item |= d.items[i].line == 3;
        at_count |= d.items[i].line == 6;
    }
    CHECK(at_item, "the item that lacks <count> is said at its line, 3");
    CHECK(at_count, "the count that is no integer is said at line 6");
    xmlFreeDoc(doc);
    diag_free(&d);

    char *not_rng = write_text("not.rng", "<list/>\n");
    doc = load_xml_encoded(good, NULL, LOAD_RECORD, &d);
    CHECK(doc && load_validate(doc, good, not_rng, &d) == -1 && diag_count(&d, DIAG_ERROR) > 0,
          "a schema that cannot be read: -1, with an error");
    xmlFreeDoc(doc);
    diag_free(&d);
    free(schema), free(good), free(bad), free(not_rng);
}

/* A record of `items` items, one line each, each item's <a> and <b> in
 * the schema's order except the `swapped`-th (0: none). */
static char *interleave_record(const char *name, int items, int swapped)
{
    size_t cap = (size_t)items * 40 + 64, used = 0;
    char *text = malloc(cap);
    used += (size_t)sprintf(text, "<list>\n");
    for (int i = 1; i <= items; i++)
        used += (size_t)sprintf(text + used, i == swapped ? "<item><b>%d</b><a>x</a></item>\n"
                                                          : "<item><a>x</a><b>%d</b></item>\n",
                                i);
    sprintf(text + used, "</list>\n");
    char *path = write_text(name, text);
    free(text);
    return path;
}

/* load_schema makes the ordered twin (every <interleave> a <group>) for
 * a large record only; the twin passes a record in the schema's order,
 * and not one in another order, which the schema itself still finds
 * valid. */
static void test_passes_ordered(void)
{
    char *schema = write_text("interleave.rng", SCHEMA_HEAD
                              "    <interleave>\n"
                              "      <element name=\"a\"><text/></element>\n"
                              "      <element name=\"b\"><data type=\"integer\"/></element>\n"
                              "    </interleave>\n" SCHEMA_TAIL);
    char *small = interleave_record("small.xml", 3, 0);
    char *large = interleave_record("large.xml", 2100, 0);
    char *other = interleave_record("other-order.xml", 2100, 1500);
    diag_list d = {0};
    xmlDoc *s = load_xml_encoded(small, NULL, LOAD_RECORD, &d);
    xmlDoc *l = load_xml_encoded(large, NULL, LOAD_RECORD, &d);
    xmlDoc *o = load_xml_encoded(other, NULL, LOAD_RECORD, &d);
    CHECK(s && l && o && d.n == 0, "the records load");
    if (s && l && o) {
        CHECK(load_schema(schema, s, &d) == 0, "a small record: no twin made for it");
        CHECK(load_passes_ordered(s, schema) == 0, "so the twin cannot show it valid");
        CHECK(load_validate(s, small, schema, &d) == 0, "the schema does");
        CHECK(load_schema(schema, l, &d) == 1, "a large record: the twin is ready");
        CHECK(load_passes_ordered(l, schema) == 1, "a large record in order passes the twin");
        CHECK(load_passes_ordered(o, schema) == 0, "one item in another order: the twin refuses");
        CHECK(load_validate(o, other, schema, &d) == 0 && d.n == 0,
              "but the schema itself finds it valid");
    }
    xmlFreeDoc(s), xmlFreeDoc(l), xmlFreeDoc(o);
    diag_free(&d);
    free(schema), free(small), free(large), free(other);
}

int main(void)
{
    if (!mkdtemp(folder)) {
        perror("mkdtemp");
        return 1;
    }
    test_utf8_record();
    test_gb18030_record();
    test_undeclared_encoding();
    test_refusals();
    test_validate();
    test_passes_ordered();
    load_forget_schemas();
    xmlCleanupParser();
    char *rm = NULL;
    if (asprintf(&rm, "rm -rf '%s'", folder) >= 0 && system(rm) != 0)
        fprintf(stderr, "could not remove %s\n", folder);
    free(rm);
    return check_summary();
}
