/* The name tests of XPath expressions (gen/xpath_names.c): names, not
 * functions, axes, node types, operators, variables or literals. */
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "xpath_names.h"

/* expr's name tests, written "name @attr ..." */
static char *names_of(const char *expr)
{
    xpath_name *names = NULL;
    size_t n = xpath_name_tests(expr, &names);
    size_t len = 1;
    for (size_t i = 0; i < n; i++)
        len += strlen(names[i].name) + 2;
    char *s = calloc(len, 1);
    for (size_t i = 0; i < n; i++) {
        if (i)
            strcat(s, " ");
        if (names[i].attribute)
            strcat(s, "@");
        strcat(s, names[i].name);
    }
    xpath_names_free(names, n);
    return s;
}

static const char *const cases[][2] = {
    {"postcod", "postcod"},
    {"valid-until", "valid-until"},
    {"../@year", "@year"},
    {"@ year", "@year"},
    {"check/@date", "check @date"},
    {"attribute::year", "@year"},
    {"attribute :: year", "@year"},
    {"child::enterprise/attribute::*", "enterprise"},
    {"namespace::x", ""},
    {"count(enterprises/enterprise[check/@result='pass'])", "enterprises enterprise check @result"},
    {"concat(enterprise, ' 认证示范企业推荐表')", "enterprise"},
    {"'postcod'", ""},
    {"\"a and b\"", ""},
    {"not(seal) and not(@edition = '1999')", "seal @edition"},
    {"a or b", "a b"},
    {"and", "and"},               /* at the start a name, not an operator */
    {"div div div", "div div"},   /* an element div divided by another */
    {"* * *", ""},                /* every child times every child */
    {"a * b", "a b"},
    {"a/*", "a"},
    {"x:name", "x:name"},
    {"x:*", ""},
    {"$row - 1", ""},
    {"$row-1", ""},
    {"position() = 1", ""},
    {"text()", ""},
    {"node()/name", "name"},
    {"processing-instruction('p')", ""},
    {"ancestor::notice/title", "notice title"},
    {"1.5 + .5 - count(.)", ""},
    {"..", ""},
    {"entry[region='杭州市']/名称", "entry region 名称"},
    {"a | //b", "a b"},
    {"a != b", "a b"},
    {"a<=b", "a b"},
    {"format-number(sum(a/@n), '0')", "a @n"},
    {"'unclosed", ""},
    {"a 'unclosed", "a"},
    {"", ""},
};

int main(void)
{
    for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
        char *got = names_of(cases[i][0]);
        CHECK(strcmp(got, cases[i][1]) == 0, "%s: \"%s\", expected \"%s\"", cases[i][0], got,
              cases[i][1]);
        free(got);
    }
    return check_summary();
}
