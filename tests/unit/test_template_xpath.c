/* Plain expressions (gen/template_plain_expr.c) against libxml2: which
 * expressions are taken, and for each one taken, the same first node,
 * string value and count as libxml2's XPath gives, from every element of
 * a record with namespaces, mixed content, attributes and repeats; and
 * count()s of one walk counted together. */
#include <libxml/parser.h>
#include <libxml/xpath.h>
#include <string.h>

#include "check.h"
#include "template_internal.h"

static const char record[] =
    "<r xmlns:x='urn:x' y='root'>\n"
    "  <e k='1'><name>甲</name><region>杭州市</region><c t='QMS'/><check result='pass'>"
    "<f>a<b>b</b>c</f></check></e>\n"
    "  <e k='2'><name>乙</name><region> 宁波市 </region><c t='EMS'/><c t='QMS'/>"
    "<check result='withdrawn'/><check result='pass'/></e>\n"
    "  <e><name/><x:name>丙</x:name><region>杭州市</region><c x:t='CCC'/></e>\n"
    "  <x:e><name>丁</name></x:e>\n"
    "  <e k='4'><name>戊<i>己</i></name><region>杭州市</region><c t='QMS'/></e>\n"
    "</r>\n";

/* Taken: their values must be libxml2's. */
static const char *const plain[] = {
    ".", "name", "region", "e", "e/name", "e/c/@t", "@k", "@y", "c/@t", "check/@result",
    "check/f", "e/check/f/b", "nosuch", "e/nosuch/@t", "@nosuch", "count(e)", "count(e/c)",
    "count(e/c/@t)", "count(e[c/@t='QMS'])", "count(e/c[@t='QMS'])",
    "count(e[check/@result='pass'])", "count(e[region='杭州市'])", "count( e[region = \"杭州市\"] )",
    "e[region='杭州市']/name", "e[c/@t='QMS']/@k", "e[name='丙']", "e[name='']/region",
    "count(e[.='乙'])", "name[.='戊己']", "count(e/name[.=''])", "e[@k='2']/check/@result",
    "count(nosuch)", "count(.)", "count(@k)", "position()", "last()",
};

/* Left to libxml2: functions, positions, axes, prefixes, operators. */
static const char *const not_plain[] = {
    "position( )", "last(1)", "string(name)", "name[1]", "e[2]/name", "./name", "../e", "e//name",
    "//e", "child::name", "x:name", "e/x:name", "name | region", "count(e) + 1", "count(e)[1]",
    "e[c/@t!='QMS']", "e[c/@t='QMS'][1]", "e[c/@t='QMS' and @k='1']", "e['QMS'=c/@t]",
    "e[c[@t='QMS']/@t='QMS']", "concat(name, region)", "$row", "'x'", "1", "e[normalize-space(region)='x']",
    "sum(e/@k)", "count(e", "e[", "e/", "@k/name", "e/@k/@t", "..", ". ", " name", "name ",
};

static xmlXPathObject *libxml2_eval(xmlXPathContext *xp, xmlNode *at, const char *expr)
{
    xp->node = at;
    return xmlXPathEvalExpression((const xmlChar *)expr, xp);
}

static void compare(xmlXPathContext *xp, xmlNode *at, const char *expr, const plain_expr *x)
{
    if (plain_expr_kind(x) == PLAIN_POSITION || plain_expr_kind(x) == PLAIN_LAST)
        return; /* of the focus, not of the record: test_position */
    xmlXPathObject *obj = libxml2_eval(xp, at, expr);
    if (!obj) {
        CHECK(0, "%s: libxml2 could not evaluate it", expr);
        return;
    }
    if (plain_expr_kind(x) == PLAIN_COUNT) {
        size_t n = plain_expr_count(x, at);
        CHECK(obj->type == XPATH_NUMBER && obj->floatval == (double)n,
              "%s from <%s> line %ld: %zu, libxml2 %g", expr, at->name, xmlGetLineNo(at), n,
              obj->floatval);
    } else {
        xmlChar *want = xmlXPathCastToString(obj); /* sorts the node-set */
        xmlNode *first = obj->nodesetval && obj->nodesetval->nodeNr ? obj->nodesetval->nodeTab[0] : NULL;
        xmlNode *got = plain_expr_first(x, at);
        xmlChar *owned = NULL;
        const char *text = got ? plain_node_string_value(got, &owned) : "";
        CHECK(got == first, "%s from <%s> line %ld: another first node", expr, at->name,
              xmlGetLineNo(at));
        CHECK(strcmp(text, (const char *)want) == 0, "%s from <%s> line %ld: \"%s\", libxml2 \"%s\"",
              expr, at->name, xmlGetLineNo(at), text, want);
        xmlFree(owned);
        xmlFree(want);
    }
    xmlXPathFreeObject(obj);
}

/* Every element of the record as the focus. */
static void compare_everywhere(xmlXPathContext *xp, xmlNode *n, const char *expr,
                               const plain_expr *x)
{
    for (; n; n = n->next) {
        if (n->type != XML_ELEMENT_NODE)
            continue;
        compare(xp, n, expr, x);
        compare_everywhere(xp, n->children, expr, x);
    }
}

/* The count()s of one walk counted together give what each gives alone;
 * walks that differ are told apart. */
static void test_counted_together(xmlNode *root)
{
    const char *group[] = {"count(e)", "count(e[c/@t='QMS'])", "count(e[check/@result='pass'])",
                           "count(e[region='杭州市'])", "count(e/@k)", "count(e[.='乙'])"};
    enum { N = sizeof group / sizeof *group };
    const plain_expr *xs[N];
    plain_expr *owned[N];
    for (size_t i = 0; i < N; i++)
        xs[i] = owned[i] = plain_expr_parse(group[i]);
    for (size_t i = 1; i < N; i++)
        CHECK(plain_expr_same_walk(xs[0], xs[i]), "%s walks as %s", group[i], group[0]);
    plain_count counts[N] = {{0}};
    plain_expr_count_together(xs, N, root, counts);
    for (size_t i = 0; i < N; i++) {
        size_t n = plain_count_of(&counts[i], NULL);
        CHECK(n == plain_expr_count(xs[i], root), "%s together: %zu, alone %zu", group[i], n,
              plain_expr_count(xs[i], root));
        plain_count_clear(&counts[i]);
    }
    const char *other[] = {"count(e/c)", "count(x)", "count(e[c/@t='QMS']/c)", "e", "count(.)"};
    for (size_t i = 0; i < sizeof other / sizeof *other; i++) {
        plain_expr *y = plain_expr_parse(other[i]);
        CHECK(y && !plain_expr_same_walk(xs[0], y), "%s walks otherwise", other[i]);
        plain_expr_free(y);
    }
    for (size_t i = 0; i < N; i++)
        plain_expr_free(owned[i]);
}

/* A count() compared with a variable is counted per value of its test,
 * in the walk of the others: each value's count is the literal's. */
static void test_counted_by_variable(xmlNode *root)
{
    const char *exprs[] = {"count(e)", "count(e[c/@t=$code])", "count(e[region = $city]/@k)"};
    const plain_expr *xs[3];
    plain_expr *owned[3];
    for (size_t i = 0; i < 3; i++) {
        xs[i] = owned[i] = plain_expr_parse(exprs[i]);
        CHECK(owned[i] != NULL, "%s is plain", exprs[i]);
        if (!owned[i])
            return;
    }
    CHECK(plain_expr_variable(xs[1]) && strcmp(plain_expr_variable(xs[1]), "code") == 0,
          "the variable of %s is code", exprs[1]);
    CHECK(plain_expr_variable(xs[0]) == NULL, "%s has no variable", exprs[0]);
    CHECK(plain_expr_same_walk(xs[0], xs[1]) && plain_expr_same_walk(xs[0], xs[2]),
          "a variable's count() walks as count(e)");
    plain_count counts[3] = {{0}};
    plain_expr_count_together(xs, 3, root, counts);
    const char *codes[] = {"QMS", "EMS", "CCC", "none"};
    for (size_t i = 0; i < 4; i++) {
        char literal[64];
        snprintf(literal, sizeof literal, "count(e[c/@t='%s'])", codes[i]);
        plain_expr *y = plain_expr_parse(literal);
        CHECK(plain_count_of(&counts[1], codes[i]) == plain_expr_count(y, root),
              "$code = %s: %zu, as %s: %zu", codes[i], plain_count_of(&counts[1], codes[i]), literal,
              plain_expr_count(y, root));
        plain_expr_free(y);
    }
    plain_expr *y = plain_expr_parse("count(e[region = '杭州市']/@k)");
    CHECK(plain_count_of(&counts[2], "杭州市") == plain_expr_count(y, root),
          "$city = 杭州市 with its attribute: %zu, literal %zu", plain_count_of(&counts[2], "杭州市"),
          plain_expr_count(y, root));
    plain_expr_free(y);
    const char *not_plain[] = {"count(e[c/@t=$code]/c)", "e[c/@t=$code]", "count(e[$code])"};
    for (size_t i = 0; i < 3; i++) {
        plain_expr *z = plain_expr_parse(not_plain[i]);
        CHECK(z == NULL, "%s is left to libxml2", not_plain[i]);
        plain_expr_free(z);
    }
    for (size_t i = 0; i < 3; i++) {
        plain_count_clear(&counts[i]);
        plain_expr_free(owned[i]);
    }
}

/* position() and last() through tpl_xpath_string, as libxml2 gives them. */
static void test_position(xmlDoc *record)
{
    static const char tpl[] = "<t><value of='position()'/><value of='last()'/></t>";
    xmlDoc *tdoc = xmlReadMemory(tpl, (int)strlen(tpl), "t.xml", NULL, 0);
    template t = {.doc = tdoc, .path = "t.xml"};
    diag_list d = {0};
    tpl_eval e = {.t = &t, .xp = tpl_xpath_context_new(record), .diags = &d};
    xmlNode *at = xmlDocGetRootElement(record)->children->next;
    tpl_focus f = {at, 3, 7};
    for (xmlNode *v = xmlDocGetRootElement(tdoc)->children; v; v = v->next) {
        tpl_xpath_text got;
        int ok = tpl_xpath_string(&e, v, "of", f, &got);
        e.xp->node = at, e.xp->proximityPosition = 3, e.xp->contextSize = 7;
        xmlChar *expr = xmlGetProp(v, (const xmlChar *)"of");
        xmlXPathObject *obj = xmlXPathEval(expr, e.xp);
        xmlChar *want = xmlXPathCastToString(obj);
        CHECK(ok && strcmp(got.text, (const char *)want) == 0 && got.node == at,
              "%s: \"%s\", libxml2 \"%s\"", expr, got.text, want);
        xmlFree(expr);
        xmlFree(want);
        xmlXPathFreeObject(obj);
        tpl_xpath_text_free(&got);
    }
    tpl_end_evaluation(&e);
    tpl_free_compiled_xpaths(tdoc->children);
    xmlFreeDoc(tdoc);
    diag_free(&d);
}

int main(void)
{
    xmlDoc *doc = xmlReadMemory(record, (int)strlen(record), "r.xml", NULL, 0);
    xmlXPathContext *xp = xmlXPathNewContext(doc);
    for (size_t i = 0; i < sizeof plain / sizeof *plain; i++) {
        plain_expr *x = plain_expr_parse(plain[i]);
        CHECK(x != NULL, "%s is a plain expression", plain[i]);
        if (x)
            compare_everywhere(xp, xmlDocGetRootElement(doc), plain[i], x);
        plain_expr_free(x);
    }
    for (size_t i = 0; i < sizeof not_plain / sizeof *not_plain; i++) {
        plain_expr *x = plain_expr_parse(not_plain[i]);
        CHECK(x == NULL, "%s is left to libxml2", not_plain[i]);
        plain_expr_free(x);
    }
    test_counted_together(xmlDocGetRootElement(doc));
    test_counted_by_variable(xmlDocGetRootElement(doc));
    test_position(doc);
    xmlXPathFreeContext(xp);
    xmlFreeDoc(doc);
    return check_summary();
}
