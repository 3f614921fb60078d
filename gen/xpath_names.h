/* The names an XPath 1.0 expression selects by: its name tests
 * ("postcode", "@year", "attribute::year"), not its functions, axes, node
 * types, operators, variables or literals.  For telling a template's
 * typo from a record's missing field (template_typos.c). */
#ifndef GEN_XPATH_NAMES_H
#define GEN_XPATH_NAMES_H

#include <stddef.h>

typedef struct xpath_name {
    char *name;    /* as written, a prefix included ("a:b") */
    int attribute; /* on the attribute axis (@name) */
} xpath_name;

/* The name tests of expr in order (wildcards left out); *out is allocated
 * (xpath_names_free).  An expression that does not scan (an unclosed
 * literal) gives the names before the fault. */
size_t xpath_name_tests(const char *expr, xpath_name **out);
void xpath_names_free(xpath_name *names, size_t n);

#endif
