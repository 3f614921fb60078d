/* The code lists (gen/code_lists.c): schemas/codes.rng read into lists of
 * codes with their names, and a file that is not a grammar of code lists
 * refused at the line of its fault; a template's <codes list> filled from
 * them (gen/template_codes.c).  Run from the project's folder (as
 * tests/run does). */
#define _POSIX_C_SOURCE 200809L
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "check.h"
#include "code_lists.h"
#include "template_internal.h"

/* The codes and names as the campaign's notice and its 附件1 give them
 * (and as gen/import_csv.c and templates/selfcheck-summary.xml had them
 * before the lists moved to one file). */
static const char *const certificate_types[][3] = {
    {"QMS", "质量管理体系", "质量管理体系认证"},
    {"EMS", "环境管理体系", "环境管理体系认证"},
    {"OHSMS", "职业健康安全管理体系", "职业健康安全管理体系认证"},
    {"FSMS", "食品安全管理体系", "食品安全管理体系认证"},
    {"CCC", "强制性产品认证", NULL},
};
static const char *const check_results[][2] = {
    {"pass", "符合要求"}, {"rectified", "整改后符合"}, {"suspended", "暂停证书"}, {"withdrawn", "撤销证书"}};
static const char *const statuses[][2] = {{"valid", "有效"},     {"suspended", "暂停"},
                                          {"withdrawn", "撤销"}, {"cancelled", "注销"},
                                          {"expired", "过期"}};

static void test_project_file(void)
{
    diag_list d = {0};
    char *path = code_lists_file(".");
    CHECK(strcmp(path, "./schemas/codes.rng") == 0, "the file is DATA/schemas/codes.rng: %s", path);
    code_lists *c = code_lists_load(path, &d);
    CHECK(c && d.n == 0, "schemas/codes.rng reads without a message (%zu)", d.n);
    if (!c) {
        diag_print(&d, stderr);
        diag_free(&d);
        free(path);
        return;
    }
    const code_list *t = code_lists_find(c, "certificate-type");
    CHECK(t && t->n == 5, "certificate-type: five codes");
    for (size_t i = 0; t && i < t->n && i < 5; i++) {
        const code_entry *e = &t->codes[i];
        CHECK(strcmp(e->value, certificate_types[i][0]) == 0, "type %zu is %s: %s", i,
              certificate_types[i][0], e->value);
        CHECK(strcmp(e->label, certificate_types[i][1]) == 0, "%s prints as %s: %s", e->value,
              certificate_types[i][1], e->label);
        const char *also = certificate_types[i][2];
        CHECK(also ? e->n_also == 1 && strcmp(e->also[0], also) == 0 : e->n_also == 0,
              "%s: a clerk may also write %s (%zu names)", e->value, also ? also : "nothing",
              e->n_also);
    }
    CHECK(t && t->line > 1, "a list knows its line (%d)", t ? t->line : 0);

    const code_list *r = code_lists_find(c, "check-result");
    CHECK(r && r->n == 4, "check-result: four codes");
    for (size_t i = 0; r && i < r->n && i < 4; i++)
        CHECK(!strcmp(r->codes[i].value, check_results[i][0]) &&
                  !strcmp(r->codes[i].label, check_results[i][1]) && r->codes[i].n_also == 0,
              "result %zu: %s %s", i, r->codes[i].value, r->codes[i].label);
    const code_list *s = code_lists_find(c, "certificate-status");
    CHECK(s && s->n == 5, "certificate-status: five codes");
    for (size_t i = 0; s && i < s->n && i < 5; i++)
        CHECK(!strcmp(s->codes[i].value, statuses[i][0]) && !strcmp(s->codes[i].label, statuses[i][1]),
              "status %zu: %s %s", i, s->codes[i].value, s->codes[i].label);

    /* a list without names: its values are their own (the record holds the Chinese) */
    const code_list *m = code_lists_find(c, "measure");
    CHECK(m && m->n == 3 && !strcmp(m->codes[0].value, "立案查处") &&
              !strcmp(m->codes[0].label, "立案查处"),
          "measure: the values are their own names");
    /* the certificate types' names, as a public list holds them */
    const code_list *names = code_lists_find(c, "certificate-type-name");
    CHECK(names && t && names->n == t->n, "certificate-type-name: one name per type");
    for (size_t i = 0; names && t && i < names->n && i < t->n; i++)
        CHECK(!strcmp(names->codes[i].value, t->codes[i].label), "name %zu: %s", i,
              names->codes[i].value);
    CHECK(code_lists_find(c, "kind") == NULL && code_lists_find(c, "public-list-kind") != NULL,
          "lists are found by their whole name");
    code_lists_free(c);
    diag_free(&d);
    free(path);
}

#define HEAD                                                                                       \
    "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"                                                 \
    "<grammar xmlns=\"http://relaxng.org/ns/structure/1.0\" xmlns:c=\"" CODE_LISTS_NS "\">\n"

/* Load `text` from a file; the messages in *d. */
static code_lists *load_text(const char *text, diag_list *d)
{
    char path[] = "/tmp/test_code_lists_XXXXXX";
    int fd = mkstemp(path);
    FILE *f = fd >= 0 ? fdopen(fd, "w") : NULL;
    if (!f)
        return NULL;
    fputs(text, f);
    fclose(f);
    code_lists *c = code_lists_load(path, d);
    unlink(path);
    return c;
}

/* The file is refused, with one error at `line` that says `says`. */
static void refused(const char *what, const char *text, int line, const char *says)
{
    diag_list d = {0};
    code_lists *c = load_text(text, &d);
    CHECK(c == NULL, "%s: refused", what);
    CHECK(d.n == 1 && d.items[0].level == DIAG_ERROR && d.items[0].line == line &&
              strstr(d.items[0].message, says),
          "%s: one error at line %d saying \"%s\" (%zu: line %d, %s)", what, line, says, d.n,
          d.n ? d.items[0].line : 0, d.n ? d.items[0].message : "");
    code_lists_free(c);
    diag_free(&d);
}

static void test_faults(void)
{
    diag_list d = {0};
    code_lists *c = load_text(HEAD "<define name=\"x\">\n"
                                   "  <!-- a comment --><c:note>annotations are skipped</c:note>\n"
                                   "  <choice><value c:also=\"|甲一||甲二|\"> a </value><value>b</value></choice>\n"
                                   "</define>\n"
                                   "<div><define name=\"y\"><value>only</value></define></div>\n"
                                   "<start combine=\"choice\"><notAllowed/></start>\n"
                                   "</grammar>\n",
                              &d);
    const code_list *x = code_lists_find(c, "x"), *y = code_lists_find(c, "y");
    CHECK(c && d.n == 0 && x && x->n == 2 && y && y->n == 1, "a small file reads");
    if (x && x->n == 2) {
        CHECK(!strcmp(x->codes[0].value, "a") && !strcmp(x->codes[0].label, "a"),
              "a value without its white space, its own name: \"%s\"", x->codes[0].value);
        CHECK(x->codes[0].n_also == 2 && !strcmp(x->codes[0].also[0], "甲一") &&
                  !strcmp(x->codes[0].also[1], "甲二"),
              "c:also split at |, empty names dropped (%zu)", x->codes[0].n_also);
        CHECK(x->line == 3, "the list's line is its <define>'s: %d", x->line);
    }
    CHECK(y && !strcmp(y->codes[0].value, "only"), "a <define> of one <value> in a <div>");
    code_lists_free(c);
    diag_free(&d);

    refused("not a choice",
            HEAD "<define name=\"x\">\n  <data type=\"token\"/>\n</define>\n</grammar>\n", 3,
            "<define name=\"x\"> is not a code list");
    refused("a choice of other things",
            HEAD "<define name=\"x\"><choice><value>a</value><text/></choice></define>\n</grammar>\n",
            3, "is not a code list");
    refused("a value twice",
            HEAD "<define name=\"x\"><choice>\n<value>a</value>\n<value>a</value>\n</choice></define>\n"
                 "</grammar>\n",
            5, "a value given twice (\"a\")");
    refused("an empty value", HEAD "<define name=\"x\"><choice><value> </value></choice></define>\n</grammar>\n",
            3, "an empty <value>");
    refused("a list twice",
            HEAD "<define name=\"x\"><value>a</value></define>\n<define name=\"x\"><value>b</value></define>\n"
                 "</grammar>\n",
            4, "a second code list named x");
    refused("names that are not the list's",
            HEAD "<define name=\"t\"><choice><value c:label=\"甲\">a</value><value c:label=\"乙\">b</value>"
                 "</choice></define>\n"
                 "<define name=\"n\" c:names-of=\"t\"><choice><value>乙</value><value>甲</value></choice>"
                 "</define>\n</grammar>\n",
            4, "code list n: its values are not the names of t");
    refused("names of no list",
            HEAD "<define name=\"n\" c:names-of=\"t\"><value>甲</value></define>\n</grammar>\n", 3,
            "c:names-of names no list before it (t)");
    refused("not a grammar", "<?xml version=\"1.0\"?>\n<codes/>\n", 2, "not a file of code lists");

    c = code_lists_load("/nonexistent/codes.rng", &d);
    CHECK(c == NULL && d.n == 1 && strstr(d.items[0].message, "cannot read"),
          "a missing file: one message (%s)", d.n ? d.items[0].message : "");
    diag_free(&d);
}

/* A template file from `text`, loaded; the messages in *d. */
static template *template_of(const char *text, char *path, diag_list *d)
{
    strcpy(path, "/tmp/test_code_lists_XXXXXX");
    int fd = mkstemp(path);
    FILE *f = fd >= 0 ? fdopen(fd, "w") : NULL;
    if (!f)
        return NULL;
    fputs(text, f);
    fclose(f);
    return template_load(path, d);
}

#define TEMPLATE_HEAD "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<template name=\"t\" record=\"r\">\n"

/* Templates: <codes list> filled from the file, a table of the template's
 * own beside it, a list the file lacks an error at its line. */
static void test_template_lists(void)
{
    char path[64];
    diag_list d = {0};
    template *t = template_of(TEMPLATE_HEAD "<codes name=\"result\" list=\"check-result\"/>\n"
                                            "<codes list=\"certificate-type\"/>\n"
                                            "<codes name=\"own\"><code value=\"a\">甲</code></codes>\n"
                                            "<flow/>\n</template>\n",
                              path, &d);
    CHECK(t && d.n == 0, "a template with lists loads");
    if (t) {
        int known = 0;
        CHECK(template_uses_code_lists(t), "it uses code lists");
        CHECK(tpl_code_label(t, "result", "pass", &known) == NULL && known,
              "before the lists are read, a list's table has no codes");
        CHECK(template_read_code_lists(t, "./schemas/codes.rng", &d) == 0 && d.n == 0,
              "the lists read (%zu messages)", d.n);
        const char *l = tpl_code_label(t, "result", "pass", &known);
        CHECK(l && !strcmp(l, "符合要求") && known, "result pass: 符合要求 (%s)", l ? l : "NULL");
        l = tpl_code_label(t, "certificate-type", "CCC", &known);
        CHECK(l && !strcmp(l, "强制性产品认证"), "a table named after its list");
        l = tpl_code_label(t, "own", "a", &known);
        CHECK(l && !strcmp(l, "甲"), "the template's own table is kept");
        CHECK(tpl_code_label(t, "result", "passed", &known) == NULL && known, "a code the list lacks");
        CHECK(tpl_code_label(t, "check-result", "pass", &known) == NULL && !known,
              "the table is called by its name, not its list's");
        template_free(t);
    }
    unlink(path);

    t = template_of(TEMPLATE_HEAD "<flow/>\n<codes list=\"certificate-typ\"/>\n</template>\n", path, &d);
    CHECK(t && template_read_code_lists(t, "./schemas/codes.rng", &d) == -1, "an unknown list");
    CHECK(d.n == 1 && d.items[0].line == 4 && !strcmp(d.items[0].file, path) &&
              strstr(d.items[0].message, "<codes list=\"certificate-typ\">: ./schemas/codes.rng has no "
                                         "such list (it has certificate-type, "),
          "an error at its line, naming the lists (%s)", d.n ? d.items[0].message : "");
    template_free(t);
    unlink(path);
    diag_free(&d);

    t = template_of(TEMPLATE_HEAD "<flow/>\n</template>\n", path, &d);
    CHECK(t && !template_uses_code_lists(t) &&
              template_read_code_lists(t, "/nonexistent/codes.rng", &d) == 0 && d.n == 0,
          "a template without lists does not read the file");
    template_free(t);
    unlink(path);

    t = template_of(TEMPLATE_HEAD "<codes list=\"check-result\"><code value=\"a\">甲</code></codes>\n"
                                  "<flow/>\n</template>\n",
                    path, &d);
    CHECK(!t && d.n == 1 && d.items[0].line == 3 && strstr(d.items[0].message, "has no <code>s"),
          "a <codes list> with codes of its own is refused (%s)", d.n ? d.items[0].message : "");
    template_free(t);
    unlink(path);
    diag_free(&d);
}

int main(void)
{
    test_project_file();
    test_faults();
    test_template_lists();
    return check_summary();
}
