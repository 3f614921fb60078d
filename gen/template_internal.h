/* The template stage's internals, shared by its files.  The files call
 * downward only, in this order (each may use those below it):
 *
 *   template.c           the entry: select the nodes, apply the template
 *   template_load.c      the entry for reading: head, styles, includes
 *   template_flow.c      the flow's elements (<para>, <stack>, <include>...)
 *   template_include.c   an <include>'s evaluation and the <param>s
 *   template_table.c     <table>: its rows and cells
 *   template_para.c      inline content (<value>, <span>...), <markdown>
 *   template_walk.c      the walker: <if> and <each>, once for every context
 *   template_style.c     named styles and the Markdown style
 *   template_xpath.c     the attributes' XPath, compiled once
 *   template_plain_expr.c  plain expressions evaluated without libxml2
 *   template_codes.c     code tables (result="pass" → 符合要求)
 *   template_code_list.c a code table as a list (<each codes>)
 *   template_attr.c      attribute text, lengths, errors
 *
 * template_roles.c and template_typos.c are entries of their own (checks
 * beside the evaluation).  Names shared between files are tpl_ (plain_expr_
 * for template_plain_expr.c); statics are S_. */
#ifndef GEN_TEMPLATE_INTERNAL_H
#define GEN_TEMPLATE_INTERNAL_H

#include <libxml/xpath.h>

#include "markdown.h"
#include "template.h"

/* A page geometry a page break can switch to (a landscape table in a
 * portrait report). */
typedef struct tpl_named_page {
    char *name;
    page_geometry page;
} tpl_named_page;

/* A code table of the template: record codes and the Chinese names they
 * print as (result="pass" → 符合要求).  Its own <code>s, or with `list`
 * those of a list of the data file (template_read_code_lists). */
typedef struct code_table {
    char *name;
    char **values, **labels;
    size_t n;
    char *list;          /* <codes list=>: the code list's name; NULL: inline */
    const xmlNode *node; /* its <codes>, for messages */
} code_table;

typedef struct tpl_named_style {
    char *name, *role; /* owned here; style.role points at role */
    text_style style;
    const xmlNode *node; /* its <style>, for messages */
} tpl_named_style;

/* The role of text when the template has no style named body. */
#define TPL_DEFAULT_ROLE "宋体"

/* A fragment the template uses (<use fragment="NAME"/>): its file,
 * templates/NAME.xml with the root <fragment>, read with the template; its
 * head elements are the template's, its <body> is walked where the flow
 * uses it, without a page break. */
typedef struct tpl_fragment {
    char *name, *path;
    xmlDoc *doc;
    const xmlNode *body; /* or NULL */
    int head_read;
} tpl_fragment;

struct template {
    xmlDoc *doc;
    char *path, *name, *record;
    char *each; /* XPath of the nodes laid out one after another, or NULL */
    page_geometry page;
    double grid_line, grid_char;
    tpl_named_style *styles;
    size_t nstyles, styles_cap;
    xmlNode *flow, *foot, *page_number, *markdown_style, *info;
    xmlNode *attachments; /* <attachments of template title>: a bundle's list (template_refs.c) */
    code_table *codes;
    size_t ncodes, codes_cap;
    tpl_named_page *pages;
    size_t npages, pages_cap;
    /* <param name default>: XPath variables ($label), set by an include */
    char **param_names, **param_defaults;
    size_t nparams;
    /* the templates its flow includes, loaded with it */
    struct template **includes;
    size_t nincludes;
    tpl_fragment *fragments;
    size_t nfragments;
    int depth; /* how deep in includes it was loaded */
    int is_default;
};

/* One evaluation: the template and record in hand, the XPath context. */
typedef struct tpl_eval {
    const template *t;
    xmlXPathContext *xp;
    const char *record_path;
    diag_list *diags;
    markdown_style md;
    struct tpl_count_batch *counts; /* template_xpath.c; NULL at first */
    text_pool *texts;               /* the document's: values' texts go there */
} tpl_eval;

/* The record node in hand, with its position among its siblings of an
 * `each`, for position() and last(). */
typedef struct tpl_focus {
    xmlNode *node;
    int position, size;
} tpl_focus;

/* ---- template_attr.c: the template's attributes ---- */

int tpl_is_element(const xmlNode *n, const char *name);
/* The attribute (in no namespace), or NULL. */
xmlAttr *tpl_attr_find(const xmlNode *n, const char *name);
/* The attribute's value as the template holds it, or NULL when absent: no
 * copy; it lives as long as the template. */
const char *tpl_attr_text(const xmlNode *n, const char *name);
/* The attribute's value, a copy (caller frees), or NULL when absent. */
char *tpl_attr_dup(const xmlNode *n, const char *name);
/* Is the attribute "yes"? */
int tpl_attr_yes(const xmlNode *n, const char *name);
/* The file n is in: the template's, or one of its fragments'. */
const char *tpl_file_of(const template *t, const xmlNode *n);
/* An error at the template's line of n: "msg: what" (what may be NULL). */
void tpl_error(const template *t, const xmlNode *n, diag_list *diags, const char *msg,
               const char *what);
/* A length attribute (template_parse_length, `em` for 2em).  Returns 0
 * when absent (leaving *out), 1 when read, -1 when malformed (reported). */
int tpl_length_attr(const template *t, const xmlNode *n, const char *name, double em,
                    double *out, diag_list *diags);

/* ---- template_codes.c: <codes name> or <codes list>, read in the head ---- */

void tpl_read_codes(template *t, xmlNode *n, diag_list *diags);
void tpl_free_codes(template *t);
/* The label of `value` in the code table `name`; NULL when the value is
 * not one of its codes (or there is no such table: *known = 0). */
const char *tpl_code_label(const template *t, const char *name, const char *value, int *known);

/* ---- template_code_list.c: a code table as a list ---- */

/* Is there a code table `name` (*n: how many codes)? */
int tpl_code_count(const template *t, const char *name, size_t *n);
/* The value of its i-th code, or NULL. */
const char *tpl_code_at(const template *t, const char *name, size_t i);

/* ---- template_plain_expr.c ----
 * Plain expressions: a child path ("name", "check/@date", ".",
 * "entry[region='杭州市']/name"), its count(), position() or last(),
 * evaluated without libxml2; parsed, or NULL when the expression is
 * something else. */
typedef struct plain_expr plain_expr;
typedef enum { PLAIN_PATH, PLAIN_COUNT, PLAIN_POSITION, PLAIN_LAST } plain_kind;
plain_expr *plain_expr_parse(const char *expr);
void plain_expr_free(plain_expr *x);
plain_kind plain_expr_kind(const plain_expr *x);
/* The first node, in document order, the path selects from `element`,
 * or NULL; and how many it selects. */
xmlNode *plain_expr_first(const plain_expr *x, xmlNode *element);
size_t plain_expr_count(const plain_expr *x, xmlNode *element);
/* The variable a count() compares its last step with ("code" for
 * count(e[@type = $code])), or NULL.  plain_expr_first and
 * plain_expr_count take no such expression: it is counted together. */
const char *plain_expr_variable(const plain_expr *x);
/* Do two count()s walk the same nodes (the same steps, a test on the last
 * one only, which may differ, as may their attributes)?  Then one walk
 * counts them all: counts[i] for xs[i], a count() compared with a
 * variable counted per value (plain_count_of gives the value's). */
int plain_expr_same_walk(const plain_expr *a, const plain_expr *b);
typedef struct plain_count {
    size_t n;
    struct _xmlHashTable *by_value; /* a variable's count(): value → count */
} plain_count;
void plain_expr_count_together(const plain_expr *const *xs, size_t n, xmlNode *element,
                               plain_count *counts);
/* The count, or the count of `value` for a variable's (0 when NULL). */
size_t plain_count_of(const plain_count *c, const char *value);
/* Frees what it holds; it is {0} after. */
void plain_count_clear(plain_count *c);
/* XPath's string value of an element or attribute; *owned is set (free it
 * with xmlFree) when it had to be put together from several nodes. */
const char *plain_node_string_value(xmlNode *n, xmlChar **owned);

/* ---- template_xpath.c: the attributes' XPath ---- */

/* A context to evaluate the template's XPath on `record`; and the end of
 * an evaluation (its context and what it kept). */
xmlXPathContext *tpl_xpath_context_new(xmlDoc *record);
void tpl_end_evaluation(tpl_eval *e);
/* The XPath expression of tnode's attribute `attr`, evaluated on the
 * record node in hand; NULL when the attribute is absent, or (reported)
 * when the expression is not valid. */
xmlXPathObject *tpl_xpath(tpl_eval *e, const xmlNode *tnode, const char *attr, tpl_focus f);
/* Its string value (XPath's string()), and the node it came from: the
 * first node selected, else the focus.  `text` may point into the record;
 * free with tpl_xpath_text_free.  Returns 0 when the attribute is absent
 * or the expression not valid (reported). */
typedef struct tpl_xpath_text {
    const char *text;
    xmlNode *node;
    xmlChar *owned;
    char number[24]; /* a number's text */
} tpl_xpath_text;
int tpl_xpath_string(tpl_eval *e, const xmlNode *tnode, const char *attr, tpl_focus f,
                     tpl_xpath_text *out);
void tpl_xpath_text_free(tpl_xpath_text *v);
/* The same, as a boolean; 0 when absent or not valid. */
int tpl_xpath_boolean(tpl_eval *e, const xmlNode *tnode, const char *attr, tpl_focus f);
/* The compiled expressions kept on the attributes of n, its siblings and
 * descendants (template_free). */
void tpl_free_compiled_xpaths(xmlNode *n);
/* Call fn for each attribute of n, its siblings and descendants whose
 * expression was evaluated and never found anything (no node, an empty
 * string, false, 0): a typo's sign, or an optional field's. */
typedef void (*tpl_unselected_fn)(const xmlNode *tnode, const char *attr, const char *expr,
                                  void *ctx);
void tpl_unselected_xpaths(const xmlNode *n, tpl_unselected_fn fn, void *ctx);
/* Set those counts back to none (template_forget_use). */
void tpl_forget_tallies(xmlNode *n);

/* ---- template_style.c: named styles ---- */

/* The style named by n's style= (or attribute `attr`), else `fallback`;
 * a name of no style is an error. */
const text_style *tpl_style_attr(tpl_eval *e, const xmlNode *n, const text_style *fallback);
const text_style *tpl_style_attr_named(tpl_eval *e, const xmlNode *n, const char *attr,
                                       const text_style *fallback);
/* The style named body, else 12pt TPL_DEFAULT_ROLE. */
const text_style *tpl_body_style(tpl_eval *e);
/* The width of one character of the style (2em). */
double tpl_em(const text_style *s);
/* e->md from the template's <markdown-style> and body style. */
void tpl_read_markdown_style(tpl_eval *e);

/* ---- template_walk.c: the walker ----
 *
 * Every place of a template that holds elements (the flow, a paragraph's
 * inline content, a table, a row, a cell of paragraphs) is a context: a
 * table of the elements it takes, each with the function that makes its
 * output into `target` (a block_list, a paragraph, a table...).  The
 * walker handles the control elements in every context alike, their
 * children walked in the same context: <if test>, <each of> and <each
 * codes>, <group of by>, <let name of> (a variable to the end of the
 * element it is in) and <use fragment> (a fragment's body). */
typedef void (*tpl_handler_fn)(tpl_eval *e, const xmlNode *tnode, tpl_focus f, void *target,
                               const text_style *style);
typedef struct tpl_handler {
    const char *name;
    tpl_handler_fn fn;
} tpl_handler;
typedef struct tpl_context {
    const tpl_handler *handlers; /* ended by {NULL, NULL} */
    tpl_handler_fn text;         /* for a text node; NULL: text is ignored */
    const char *unknown;         /* the error for any other element */
} tpl_context;
/* The children of `parent` in the context cx. */
void tpl_walk(tpl_eval *e, const xmlNode *parent, tpl_focus f, const tpl_context *cx,
              void *target, const text_style *style);
/* <if test>'s condition; an <if> without test is an error (false). */
int tpl_test(tpl_eval *e, const xmlNode *tnode, tpl_focus f);

/* ---- template_para.c: paragraphs ---- */

/* Inline content: text, <value>, <span>, <fill/>, <br/>; target a block. */
extern const tpl_context tpl_inline_context;
/* The inline content of `parent` as the runs of `para`. */
void tpl_fill_para(tpl_eval *e, const xmlNode *parent, tpl_focus f, block *para,
                   const text_style *style);
/* A paragraph's attributes (align, left, first, keep-with-next...). */
void tpl_para_attrs(tpl_eval *e, const xmlNode *tnode, block *b, const text_style *style);
/* A paragraph block made from tnode (a <para>, a stack's <line>, a cell's
 * <para>): its style= over `outer`, its attributes, its inline content. */
void tpl_make_para(tpl_eval *e, const xmlNode *tnode, tpl_focus f, block *b,
                   const text_style *outer);
/* Where a value came from: the first node the expression selected. */
text_origin tpl_origin_of(tpl_eval *e, const tpl_xpath_text *v);
/* <markdown of>: the field's paragraphs appended to `out`. */
void tpl_add_markdown(tpl_eval *e, const xmlNode *tnode, tpl_focus f, block_list *out);

/* ---- template_table.c ---- */

/* <table>: appends a BLOCK_TABLE to `out`. */
void tpl_add_table(tpl_eval *e, const xmlNode *tnode, tpl_focus f, block_list *out);

/* ---- template_include.c: <include template="NAME"> and <param> ---- */

/* The template t includes by that name, or NULL. */
const template *tpl_included(const template *t, const char *name);

/* The template's params as XPath variables: the include's attribute of
 * that name, else the caller's value, else the default. */
void tpl_set_params(tpl_eval *e, const xmlNode *include, const template_params *given);
/* The included template's evaluation (*sub) started, after a page break of
 * its geometry appended to `out`; -1 when there is none to make. */
int tpl_include_begin(tpl_eval *e, const xmlNode *tnode, block_list *out, tpl_eval *sub);

/* ---- template_flow.c ---- */

/* The flow's elements of `parent` appended to `out`. */
void tpl_apply_flow(tpl_eval *e, const xmlNode *parent, tpl_focus f, block_list *out);

#endif
