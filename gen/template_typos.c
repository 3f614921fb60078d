/* Typos in a template's XPath: of="postcod" where the record's element is
 * <postcode> leaves a blank cell, with no error, since an expression that
 * selects nothing is how a template reads an optional field.  What tells
 * the two apart is the record's schema: an expression that found nothing
 * in every node it was evaluated on AND names an element or attribute the
 * schema does not define anywhere cannot be reading an optional field.
 * Those are reported, as warnings (errors with --strict). */
#include <libxml/uri.h>
#include <stdlib.h>
#include <string.h>

#include "i18n.h"
#include "load.h"
#include "template_internal.h"
#include "util.h"
#include "xpath_names.h"

#define RNG_NS "http://relaxng.org/ns/structure/1.0"

/* Every element and attribute name a RelaxNG schema defines. */
typedef struct schema_names {
    xpath_name *names;
    size_t n, cap;
    int open; /* it allows any name (anyName, nsName) or reads other files: say nothing */
} schema_names;

static int S_is_rng(const xmlNode *n, const char *name)
{
    return n->type == XML_ELEMENT_NODE && n->ns && xmlStrEqual(n->ns->href, (const xmlChar *)RNG_NS) &&
           xmlStrEqual(n->name, (const xmlChar *)name);
}

static void S_add_schema_name(schema_names *s, const char *name, int attribute)
{
    GROW(s->names, s->n, s->cap);
    s->names[s->n++] = (xpath_name){xstrdup(name), attribute};
}

/* <name>x</name> names the element or attribute it is in (through a <choice>). */
static void S_name_element(schema_names *s, xmlNode *n)
{
    xmlNode *owner = n->parent;
    while (owner && !S_is_rng(owner, "element") && !S_is_rng(owner, "attribute"))
        owner = owner->parent;
    xmlChar *text = xmlNodeGetContent(n);
    if (owner && text)
        S_add_schema_name(s, (const char *)text, S_is_rng(owner, "attribute"));
    xmlFree(text);
}

static int S_read_schema_names(const char *rng, schema_names *s, int depth);

/* Schemas include a file or two; deeper is a loop of includes. */
#define MOST_INCLUDES_DEEP 8

/* An <include>d grammar (the code lists of codes.rng) defines names too;
 * one that cannot be read, or includes too deep (a loop), leaves the
 * schema open. */
static void S_include_names(schema_names *s, xmlNode *include, int depth)
{
    xmlChar *href = xmlGetProp(include, (const xmlChar *)"href");
    xmlChar *path = href ? xmlBuildURI(href, include->doc->URL) : NULL;
    if (!path || depth >= MOST_INCLUDES_DEEP || S_read_schema_names((const char *)path, s, depth + 1) != 0)
        s->open = 1;
    xmlFree(path);
    xmlFree(href);
}

static void S_collect_names(schema_names *s, xmlNode *n, int depth)
{
    for (; n; n = n->next) {
        if (n->type != XML_ELEMENT_NODE)
            continue;
        if (S_is_rng(n, "anyName") || S_is_rng(n, "nsName") || S_is_rng(n, "externalRef"))
            s->open = 1;
        else if (S_is_rng(n, "include"))
            S_include_names(s, n, depth);
        else if (S_is_rng(n, "name"))
            S_name_element(s, n);
        else if (S_is_rng(n, "element") || S_is_rng(n, "attribute")) {
            xmlChar *name = xmlGetProp(n, (const xmlChar *)"name");
            if (name)
                S_add_schema_name(s, (const char *)name, S_is_rng(n, "attribute"));
            xmlFree(name);
        }
        S_collect_names(s, n->children, depth);
    }
}

/* Read as every XML file of the program is (load.h); a schema that cannot
 * be read has been reported by the validation of the record. */
static int S_read_schema_names(const char *rng, schema_names *s, int depth)
{
    diag_list ignored = {0};
    xmlDoc *doc = load_xml(rng, &ignored);
    diag_free(&ignored);
    if (!doc)
        return -1;
    S_collect_names(s, xmlDocGetRootElement(doc), depth);
    xmlFreeDoc(doc);
    return 0;
}

static int S_defines(const schema_names *s, const char *name, int attribute)
{
    for (size_t i = 0; i < s->n; i++)
        if (s->names[i].attribute == attribute && strcmp(s->names[i].name, name) == 0)
            return 1;
    return 0;
}

/* Levenshtein distance, in bytes (the records' names are ASCII). */
static size_t S_distance(const char *a, const char *b)
{
    size_t la = strlen(a), lb = strlen(b);
    size_t *row = xmalloc((lb + 1) * sizeof *row);
    for (size_t j = 0; j <= lb; j++)
        row[j] = j;
    for (size_t i = 1; i <= la; i++) {
        size_t diag = row[0];
        row[0] = i;
        for (size_t j = 1; j <= lb; j++) {
            size_t up = row[j];
            size_t best = diag + (a[i - 1] != b[j - 1]);
            best = up + 1 < best ? up + 1 : best;
            best = row[j - 1] + 1 < best ? row[j - 1] + 1 : best;
            diag = up;
            row[j] = best;
        }
    }
    size_t d = row[lb];
    free(row);
    return d;
}

/* The schema's name nearest to `name`, as written in XPath ("@year"), if
 * near enough to be what was meant; NULL else.  Allocated. */
static char *S_nearest(const schema_names *s, const char *name)
{
    size_t len = strlen(name), most = len <= 3 ? 1 : len <= 8 ? 2 : 3, best = most + 1;
    const xpath_name *found = NULL;
    for (size_t i = 0; i < s->n; i++) {
        size_t d = S_distance(name, s->names[i].name);
        if (d < best)
            best = d, found = &s->names[i];
    }
    return found ? xasprintf("%s%s", found->attribute ? "@" : "", found->name) : NULL;
}

/* What the walk over the template's attributes needs. */
typedef struct typo_walk {
    const template *t;
    const schema_names *schema;
    const char *record_path;
    diag_list *diags;
} typo_walk;

/* "no element "postcod" (did you mean "postcode"?)", for each name the
 * expression tests that the schema lacks; NULL when it lacks none. */
static char *S_undefined_names(const schema_names *schema, const char *expr)
{
    xpath_name *names = NULL;
    size_t n = xpath_name_tests(expr, &names);
    char *said = NULL;
    for (size_t i = 0; i < n; i++) {
        if (S_defines(schema, names[i].name, names[i].attribute))
            continue;
        char *guess = S_nearest(schema, names[i].name);
        char *more = xasprintf("%s%sno %s \"%s\"%s%s%s", said ? said : "", said ? ", " : "",
                               names[i].attribute ? "attribute" : "element", names[i].name,
                               guess ? _(" (did you mean \"") : "", guess ? guess : "", guess ? "\"?)" : "");
        free(said);
        free(guess);
        said = more;
    }
    xpath_names_free(names, n);
    return said;
}

static void S_report_if_typo(const xmlNode *tnode, const char *attr, const char *expr, void *ctx)
{
    typo_walk *w = ctx;
    char *missing = S_undefined_names(w->schema, expr);
    if (missing)
        diag_add(w->diags, DIAG_WARNING, tpl_file_of(w->t, tnode), (int)xmlGetLineNo((xmlNode *)tnode),
                 "%s=\"%s\" selects nothing in %s: <%s> records have %s", attr, expr,
                 w->record_path, w->t->record, missing);
    free(missing);
}

static void S_report_typos(const template *t, const schema_names *schema, const char *record_path,
                         diag_list *diags)
{
    typo_walk w = {t, schema, record_path, diags};
    tpl_unselected_xpaths(t->doc->children, S_report_if_typo, &w);
    for (size_t i = 0; i < t->nfragments; i++)
        tpl_unselected_xpaths(t->fragments[i].doc->children, S_report_if_typo, &w);
    for (size_t i = 0; i < t->nincludes; i++)
        S_report_typos(t->includes[i], schema, record_path, diags);
}

static void S_count_one(const xmlNode *tnode, const char *attr, const char *expr, void *ctx)
{
    (void)tnode, (void)attr, (void)expr;
    ++*(size_t *)ctx;
}

static size_t S_count_unselected(const template *t)
{
    size_t n = 0;
    tpl_unselected_xpaths(t->doc->children, S_count_one, &n);
    for (size_t i = 0; i < t->nfragments; i++)
        tpl_unselected_xpaths(t->fragments[i].doc->children, S_count_one, &n);
    for (size_t i = 0; i < t->nincludes; i++)
        n += S_count_unselected(t->includes[i]);
    return n;
}

void template_warn_typos(const template *t, const char *schema, const char *record_path,
                         diag_list *diags)
{
    if (S_count_unselected(t) == 0)
        return; /* the schema need not be read */
    schema_names names = {0};
    if (S_read_schema_names(schema, &names, 0) == 0 && !names.open && names.n > 0)
        S_report_typos(t, &names, record_path, diags);
    xpath_names_free(names.names, names.n);
}

void template_forget_use(template *t)
{
    tpl_forget_tallies(t->doc->children);
    for (size_t i = 0; i < t->nfragments; i++)
        tpl_forget_tallies(t->fragments[i].doc->children);
    for (size_t i = 0; i < t->nincludes; i++)
        template_forget_use(t->includes[i]);
}
