/* The record checker (gen/record_check.c) over the schemas' fields
 * (gen/schema_fields.c), and dates as clerks write them
 * (gen/clerk_date.c): what the checker says agrees with RelaxNG (nothing
 * of a valid record, something of each fault), the fields carry their
 * labels, and every date form reads as its day.  Run from the project's
 * folder (as tests/run does). */
#define _POSIX_C_SOURCE 200809L
#include <libxml/parser.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "clerk_date.h"
#include "load.h"
#include "record_check.h"
#include "schema_fields.h"

static void test_dates(void)
{
    static const char *const days[] = {"2009-08-04",   "2009-8-4",       "2009/8/4",  "2009.8.4",
                                       "2009年8月4日", "2009年08月04日", "2009年8月4"};
    for (size_t i = 0; i < sizeof days / sizeof *days; i++) {
        char *d = clerk_date_normalized(days[i]);
        CHECK(d && !strcmp(d, "2009-08-04"), "%s is 2009-08-04 (%s)", days[i], d ? d : "NULL");
        free(d);
    }
    static const char *const not_days[] = {"2009-13-01", "2009年2月30日", "2009/8-4",
                                           "09-8-4",     "2009-08-04x",   "",
                                           "八月四日",   "2009年8月4日日"};
    for (size_t i = 0; i < sizeof not_days / sizeof *not_days; i++) {
        char *d = clerk_date_normalized(not_days[i]);
        CHECK(d == NULL, "%s is no day (%s)", not_days[i], d ? d : "NULL");
        free(d);
    }
    int y, m, d;
    CHECK(clerk_date_parse("2009年2月30日", &y, &m, &d) == CLERK_DATE_NO_SUCH_DAY && y == 2009 &&
              m == 2 && d == 30,
          "2009年2月30日: a date's form naming no day");
    CHECK(clerk_date_parse("2008-2-29", &y, &m, &d) == CLERK_DATE_DAY, "2008-2-29: a leap day");
    CHECK(clerk_date_parse("2009-2-29", &y, &m, &d) == CLERK_DATE_NO_SUCH_DAY, "2009-2-29: none");
    CHECK(clerk_date_parse("abc", &y, &m, &d) == CLERK_DATE_NOT, "abc: not a date");
}

static void test_fields(void)
{
    diag_list diags = {0};
    schema_fields *s = schema_fields_load("schemas/nominations.rng", &diags);
    CHECK(s && diags.n == 0, "schemas/nominations.rng read");
    if (!s)
        return;
    CHECK(!strcmp(s->root.name, "nominations"), "its root is <nominations>");
    const schema_field *n = schema_field_child(&s->root, "nomination");
    CHECK(n && n->repeatable && !n->required, "<nomination>: repeatable, none required");
    const schema_field *pc = n ? schema_field_child(n, "postcode") : NULL;
    CHECK(pc && pc->required && !pc->repeatable && pc->label && !strcmp(pc->label, "邮政编码") &&
              pc->value.pattern && !strcmp(pc->value.pattern, "[0-9]{6}") && pc->format &&
              pc->example && !strcmp(pc->example, "321000"),
          "<postcode>: 邮政编码, six digits, required, its own example over the define's");
    const schema_field *year = schema_field_attribute(&s->root, "year");
    CHECK(year && year->required && year->example && !strcmp(year->example, "2009"),
          "@year: required, the define's example");
    const schema_field *reason = n ? schema_field_child(n, "reason") : NULL;
    const schema_field *format = reason ? schema_field_attribute(reason, "format") : NULL;
    CHECK(format && !format->required && format->value.n_choices == 1,
          "reason/@format: optional, one value");
    schema_fields_free(s);

    s = schema_fields_load("schemas/self-check.rng", &diags);
    const schema_field *e =
        s ? schema_field_child(schema_field_child(&s->root, "enterprises"), "enterprise") : NULL;
    const schema_field *cert = e ? schema_field_child(e, "certificate") : NULL;
    const schema_field *type = cert ? schema_field_attribute(cert, "type") : NULL;
    CHECK(type && type->value.n_choices == 5 && !strcmp(type->value.choices[0], "QMS") &&
              !strcmp(type->value.choice_labels[0], "质量管理体系"),
          "certificate/@type: the codes of codes.rng with their names");
    CHECK(cert && schema_field_is_date(schema_field_attribute(cert, "issued")), "@issued: a date");
    schema_fields_free(s);
    diag_free(&diags);
}

/* Nothing to say of a record RelaxNG accepts. */
static void agrees_on_valid(const char *record)
{
    diag_list diags = {0};
    xmlDoc *doc = load_xml_encoded(record, NULL, LOAD_RECORD, &diags);
    xmlNode *root = doc ? xmlDocGetRootElement(doc) : NULL;
    char schema[256];
    snprintf(schema, sizeof schema, "schemas/%s.rng", root ? (const char *)root->name : "none");
    schema_fields *s = root ? schema_fields_load(schema, &diags) : NULL;
    CHECK(s && load_validate(doc, record, schema, &diags) == 0, "%s is valid", record);
    int found = s ? record_check(doc, record, s, &diags) : -1;
    CHECK(found == 0, "%s: the checker agrees it is valid (%d)", record, found);
    if (found)
        diag_print(&diags, stderr);
    schema_fields_free(s);
    xmlFreeDoc(doc);
    diag_free(&diags);
}

static int count_at(const diag_list *d, int line, const char *needle)
{
    int n = 0;
    for (size_t i = 0; i < d->n; i++)
        n += d->items[i].line == line && strstr(d->items[i].message, needle) != NULL;
    return n;
}

static void test_faults(void)
{
    const char *text =
        "<?xml version=\"1.0\"?>\n"
        "<nominations year=\"2009\">\n"
        "  <nominator>东海</nominator>\n"
        "  <nomination>\n"
        "    <enterprise>甲</enterprise><region>金华市</region>\n"
        "    <adress>金华</adress><postcode>3210</postcode>\n"
        "    <products>家具</products><contact>张</contact><phone>0579-82000001</phone>\n"
        "    <certification>QMS</certification><valid-until>2012-02-30</valid-until>\n"
        "    <reason>好</reason><filled-by>王</filled-by><filled-by>王</filled-by>\n"
        "    <reviewed-by>李</reviewed-by><filled-on>2009年8月20日</filled-on>\n"
        "  </nomination>\n"
        "</nominations>\n";
    diag_list diags = {0};
    xmlDoc *doc = load_xml_memory("t.xml", text, strlen(text), NULL, LOAD_RECORD, &diags);
    schema_fields *s = schema_fields_load("schemas/nominations.rng", &diags);
    CHECK(doc && s, "the record and the schema read");
    if (!doc || !s)
        return;
    record_normalize_dates(doc, s);
    CHECK(load_validate(doc, "t.xml", "schemas/nominations.rng", &diags) > 0, "RelaxNG refuses it");
    diag_free(&diags);
    int n = record_check(doc, "t.xml", s, &diags);
    CHECK(n == 4 && diags.n == 4, "four faults, four messages (%d)", n);
    CHECK(count_at(&diags, 6, "did you mean <address> (企业地址)") == 1, "<adress> at line 6");
    CHECK(count_at(&diags, 6, "邮政编码 <postcode>: \"3210\"") == 1, "the postcode at line 6");
    CHECK(count_at(&diags, 8, "证书有效期 <valid-until>: \"2012-02-30\" is no day") == 1,
          "2012-02-30 at line 8");
    CHECK(count_at(&diags, 9, "填表人 <filled-by> is given again (first at line 9)") == 1,
          "the second <filled-by> at line 9");
    CHECK(count_at(&diags, 4, "missing") == 0, "no missing <address> besides the misspelt one");
    xmlNode *on = xmlDocGetRootElement(doc)->children->next->last;
    xmlChar *day = xmlNodeGetContent(on);
    CHECK(day && !strcmp((const char *)day, "2009-08-20"), "2009年8月20日 made 2009-08-20 (%s)",
          day);
    xmlFree(day);
    diag_free(&diags);
    schema_fields_free(s);
    xmlFreeDoc(doc);
}

int main(void)
{
    test_dates();
    test_fields();
    static const char *const valid[] = {
        "examples/notice.xml",          "examples/notice-sealed.xml",
        "examples/selfcheck.xml",       "examples/nominations.xml",
        "examples/inspection.xml",      "examples/demo-list.xml",
        "examples/exposure-list.xml",   "tests/records/notice.xml",
        "tests/records/selfcheck.xml",  "tests/records/nominations.xml",
        "tests/records/inspection.xml", "tests/records/demo-list.xml",
        "tests/records/campaign.xml"};
    for (size_t i = 0; i < sizeof valid / sizeof *valid; i++)
        agrees_on_valid(valid[i]);
    test_faults();
    load_forget_schemas();
    xmlCleanupParser();
    return check_summary();
}
