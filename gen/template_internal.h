/* Shared by the template stage's files: template.c (head, flow, values)
 * and template_table.c (tables). */
#ifndef GEN_TEMPLATE_INTERNAL_H
#define GEN_TEMPLATE_INTERNAL_H

#include <libxml/xpath.h>

#include "markdown.h"
#include "template.h"

/* A page geometry a page break can switch to (a landscape table in a
 * portrait report). */
typedef struct named_page {
    char *name;
    page_geometry page;
} named_page;

/* A code table of the template: record codes and the Chinese names they
 * print as (result="pass" → 符合要求).  Its own <code>s, or with `list`
 * those of a list of the data file (template_take_code_lists). */
typedef struct code_table {
    char *name;
    char **values, **labels;
    size_t n;
    char *list;          /* <codes list=>: the code list's name; NULL: inline */
    const xmlNode *node; /* its <codes>, for messages */
} code_table;

typedef struct named_style {
    char *name, *role; /* owned here; style.role points at role */
    text_style style;
    const xmlNode *node; /* its <style>, for messages */
} named_style;

/* The role of text when the template has no style named body. */
#define DEFAULT_ROLE "宋体"

struct template {
    xmlDoc *doc;
    char *path, *name, *record;
    char *each; /* XPath of the nodes laid out one after another, or NULL */
    page_geometry page;
    double grid_line, grid_char;
    named_style *styles;
    size_t nstyles, styles_cap;
    xmlNode *flow, *foot, *page_number, *markdown_style, *info;
    code_table *codes;
    size_t ncodes, codes_cap;
    named_page *pages;
    size_t npages, pages_cap;
    /* <param name default>: XPath variables ($label), set by an include */
    char **param_names, **param_defaults;
    size_t nparams;
    /* the templates its flow includes, loaded with it */
    struct template **includes;
    size_t nincludes;
    int depth; /* how deep in includes it was loaded */
    int is_default;
};

/* One evaluation: the template and record in hand, the XPath context. */
typedef struct eval {
    const template *t;
    xmlXPathContext *xp;
    const char *record_path;
    diag_list *diags;
    markdown_style md;
    struct count_batch *counts; /* template_xpath.c; NULL at first */
    text_pool *texts;           /* the document's: values' texts go there */
} eval;

/* The record node in hand, with its position among its siblings of an
 * `each`, for position() and last(). */
typedef struct focus {
    xmlNode *node;
    int position, size;
} focus;

typedef void (*child_fn)(eval *e, const xmlNode *tnode, focus f, void *target,
                         const text_style *style);

int is_element(const xmlNode *n, const char *name);
/* The attribute's value, a copy (caller frees), or NULL when absent. */
char *get_attr(const xmlNode *n, const char *name);
int yes_attr(const xmlNode *n, const char *name);
void template_error(const template *t, const xmlNode *n, diag_list *diags, const char *msg,
                    const char *what);
int length_attr(const template *t, const xmlNode *n, const char *name, double em, double *out,
                diag_list *diags);
const text_style *style_attr(eval *e, const xmlNode *n, const text_style *fallback);
const text_style *body_style(eval *e);
const text_style *style_attr_named(eval *e, const xmlNode *n, const char *attr,
                                   const text_style *fallback);
double em_of(const text_style *s);
int test_attr(eval *e, const xmlNode *tnode, focus f);
void each(eval *e, const xmlNode *tnode, focus f, child_fn fn, void *target,
          const text_style *style);
void inline_child(eval *e, const xmlNode *tnode, focus f, void *target, const text_style *style);
/* The inline content of `parent` as the runs of `para`. */
void fill_para(eval *e, const xmlNode *parent, focus f, block *para, const text_style *style);
void para_attrs(eval *e, const xmlNode *tnode, block *b, const text_style *style);
void add_markdown(eval *e, const xmlNode *tnode, focus f, block_list *out);

/* Attributes and their XPath (template_xpath.c). */
/* The attribute's value as the template holds it, or NULL when absent: no
 * copy; it lives as long as the template. */
const char *attr_text(const xmlNode *n, const char *name);
/* A context to evaluate the template's XPath on `record`; and the end of
 * an evaluation (its context and what it kept). */
xmlXPathContext *new_xpath_context(xmlDoc *record);
void end_evaluation(eval *e);
/* The XPath expression of tnode's attribute `attr`, evaluated on the
 * record node in hand; NULL when the attribute is absent, or (reported)
 * when the expression is not valid. */
xmlXPathObject *xpath(eval *e, const xmlNode *tnode, const char *attr, focus f);
/* Its string value (XPath's string()), and the node it came from: the
 * first node selected, else the focus.  `text` may point into the record;
 * free with xpath_text_free.  Returns 0 when the attribute is absent or
 * the expression not valid (reported). */
typedef struct xpath_text {
    const char *text;
    xmlNode *node;
    xmlChar *owned;
    char number[24]; /* a number's text */
} xpath_text;
int xpath_string(eval *e, const xmlNode *tnode, const char *attr, focus f, xpath_text *out);
void xpath_text_free(xpath_text *v);
/* The same, as a boolean; 0 when absent or not valid. */
int xpath_boolean(eval *e, const xmlNode *tnode, const char *attr, focus f);
/* The compiled expressions kept on the attributes of n, its siblings and
 * descendants (template_free). */
void free_compiled_xpaths(xmlNode *n);
/* Call fn for each attribute of n, its siblings and descendants whose
 * expression was evaluated and never found anything (no node, an empty
 * string, false, 0): a typo's sign, or an optional field's. */
typedef void (*unselected_fn)(const xmlNode *tnode, const char *attr, const char *expr, void *ctx);
void unselected_xpaths(const xmlNode *n, unselected_fn fn, void *ctx);

/* Plain expressions (template_plain_expr.c): a child path ("name",
 * "check/@date", ".", "entry[region='杭州市']/name"), its count(),
 * position() or last(), evaluated without libxml2; parsed, or NULL when
 * the expression is something else. */
typedef struct plain_expr plain_expr;
typedef enum { PLAIN_PATH, PLAIN_COUNT, PLAIN_POSITION, PLAIN_LAST } plain_kind;
plain_expr *plain_expr_parse(const char *expr);
void plain_expr_free(plain_expr *x);
plain_kind plain_expr_kind(const plain_expr *x);
/* The first node, in document order, the path selects from `element`,
 * or NULL; and how many it selects. */
xmlNode *plain_expr_first(const plain_expr *x, xmlNode *element);
size_t plain_expr_count(const plain_expr *x, xmlNode *element);
/* Do two count()s walk the same nodes (the same steps, a test on the last
 * one only, which may differ, as may their attributes)?  Then one walk
 * counts them all: counts[i] for xs[i]. */
int plain_expr_same_walk(const plain_expr *a, const plain_expr *b);
void plain_expr_count_together(const plain_expr *const *xs, size_t n, xmlNode *element,
                               size_t *counts);
/* XPath's string value of an element or attribute; *owned is set (free it
 * with xmlFree) when it had to be put together from several nodes. */
const char *node_string_value(xmlNode *n, xmlChar **owned);

/* <include template="NAME" .../> and <param> (template_include.c). */
void read_param(template *t, xmlNode *n, diag_list *diags);
int load_includes(template *t, diag_list *diags);
void free_includes(template *t);
void set_params(eval *e, const xmlNode *include, const template_params *given);
void add_include(eval *e, const xmlNode *tnode, focus f, block_list *out);
template *template_load_nested(const char *path, int depth, diag_list *diags);
void read_markdown_style(eval *e);
void apply_flow(eval *e, const xmlNode *parent, focus f, block_list *out);

/* <table>: appends a BLOCK_TABLE to `out` (template_table.c). */
void add_table(eval *e, const xmlNode *tnode, focus f, block_list *out);

/* <codes name> or <codes list>: read in the head (template_codes.c). */
void read_codes(template *t, xmlNode *n, diag_list *diags);
void free_codes(template *t);
/* The label of `value` in the code table `name`; NULL when the value is
 * not one of its codes (or there is no such table: *known = 0). */
const char *code_label(const template *t, const char *name, const char *value, int *known);

#endif
