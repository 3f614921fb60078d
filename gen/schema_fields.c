#define _GNU_SOURCE
#include "schema_fields.h"

#include <libgen.h>
#include <libxml/parser.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include "code_lists.h"
#include "util.h"

#define RNG_NS "http://relaxng.org/ns/structure/1.0"
/* No record schema nests fields deeper; the bound keeps a recursive
 * grammar (template.rng) from walking forever. */
#define MAX_DEPTH 24

/* The schema and the grammars it includes, with every <define> of them. */
typedef struct grammar {
    xmlDoc **docs;
    size_t n_docs;
    xmlNode **defines;
    size_t n_defines;
} grammar;

static int is_rng(const xmlNode *n, const char *name)
{
    return n->type == XML_ELEMENT_NODE && n->ns && xmlStrEqual(n->ns->href, BAD_CAST RNG_NS) &&
           (!name || xmlStrEqual(n->name, BAD_CAST name));
}

static char *attr(const xmlNode *n, const char *name)
{
    xmlChar *v = xmlGetProp(n, BAD_CAST name);
    char *s = v ? xstrdup((const char *)v) : NULL;
    xmlFree(v);
    return s;
}

static int grammar_read(grammar *g, const char *path, int depth, diag_list *diags);

static void grammar_collect(grammar *g, xmlNode *n, const char *path, int depth, diag_list *diags)
{
    for (; n; n = n->next) {
        if (is_rng(n, "define")) {
            g->defines = xrealloc(g->defines, (g->n_defines + 1) * sizeof *g->defines);
            g->defines[g->n_defines++] = n;
        } else if (is_rng(n, "include")) {
            char *href = attr(n, "href"), *copy = xstrdup(path);
            char *inc = href ? xasprintf("%s/%s", dirname(copy), href) : NULL;
            if (inc && depth < 4)
                grammar_read(g, inc, depth + 1, diags);
            free(inc), free(copy), free(href);
        }
    }
}

static int grammar_read(grammar *g, const char *path, int depth, diag_list *diags)
{
    xmlDoc *doc = xmlReadFile(path, NULL, XML_PARSE_NONET | XML_PARSE_NOBLANKS);
    if (!doc) {
        diag_add(diags, DIAG_ERROR, path, 0, "cannot read the schema");
        return -1;
    }
    g->docs = xrealloc(g->docs, (g->n_docs + 1) * sizeof *g->docs);
    g->docs[g->n_docs++] = doc;
    grammar_collect(g, xmlDocGetRootElement(doc)->children, path, depth, diags);
    return 0;
}

static xmlNode *grammar_define(const grammar *g, const char *name)
{
    for (size_t i = 0; name && i < g->n_defines; i++) {
        xmlChar *n = xmlGetProp(g->defines[i], BAD_CAST "name");
        int same = n && xmlStrEqual(n, BAD_CAST name);
        xmlFree(n);
        if (same)
            return g->defines[i];
    }
    return NULL;
}

/* ---- the walk ---- */

typedef struct walk {
    const grammar *g;
    int optional, repeatable, depth;
} walk;

static void walk_children(walk w, xmlNode *n, schema_field *f);

static schema_field *add_field(schema_field *owner, xmlNode *n, walk w, int is_attribute)
{
    schema_field **list = is_attribute ? &owner->attributes : &owner->children;
    size_t *count = is_attribute ? &owner->n_attributes : &owner->n_children;
    *list = xrealloc(*list, (*count + 1) * sizeof **list);
    schema_field *f = &(*list)[(*count)++];
    *f = (schema_field){.name = attr(n, "name"),
                        .is_attribute = is_attribute,
                        .label = code_lists_note(n, "label"),
                        .example = code_lists_note(n, "example"),
                        .format = code_lists_note(n, "format"),
                        .required = !w.optional,
                        .repeatable = w.repeatable};
    if (!f->name)
        f->name = xstrdup("*");
    return f;
}

/* A field with what it holds (walking it adds to its own lists only, so
 * the pointer into the owner's list stays good). */
static void walk_field(walk w, xmlNode *n, schema_field *owner, int is_attribute)
{
    schema_field *f = add_field(owner, n, w, is_attribute);
    walk inner = {w.g, 0, 0, w.depth + 1};
    if (is_attribute && !n->children) /* <attribute name="x"/> is text */
        f->has_value = 1;
    walk_children(inner, n->children, f);
}

static void add_choice(field_value *v, xmlNode *value)
{
    xmlChar *text = xmlNodeGetContent(value);
    v->choices = xrealloc(v->choices, (v->n_choices + 1) * sizeof *v->choices);
    v->choice_labels = xrealloc(v->choice_labels, (v->n_choices + 1) * sizeof *v->choice_labels);
    v->choices[v->n_choices] = xstrdup(text ? (const char *)text : "");
    v->choice_labels[v->n_choices++] = code_lists_note(value, "label");
    xmlFree(text);
}

static void read_data(xmlNode *n, schema_field *f)
{
    f->has_value = 1;
    free(f->value.type);
    f->value.type = attr(n, "type");
    for (xmlNode *p = n->children; p; p = p->next) {
        if (!is_rng(p, "param"))
            continue;
        char *name = attr(p, "name");
        xmlChar *text = xmlNodeGetContent(p);
        if (name && text && !strcmp(name, "pattern")) {
            free(f->value.pattern);
            f->value.pattern = xstrdup((const char *)text);
        } else if (name && text && !strcmp(name, "minLength"))
            f->value.min_length = atoi((const char *)text);
        free(name);
        xmlFree(text);
    }
}

/* A define's annotations are the default of a field that refers to it. */
static void take_define_notes(xmlNode *def, schema_field *f)
{
    if (!f->format)
        f->format = code_lists_note(def, "format");
    if (!f->example)
        f->example = code_lists_note(def, "example");
}

static void walk_one(walk w, xmlNode *n, schema_field *f)
{
    if (!is_rng(n, NULL) || w.depth > MAX_DEPTH)
        return;
    const char *what = (const char *)n->name;
    walk opt = w, rep = w;
    opt.optional = 1;
    rep.repeatable = 1;
    if (!strcmp(what, "element"))
        walk_field(w, n, f, 0);
    else if (!strcmp(what, "attribute"))
        walk_field(w, n, f, 1);
    else if (!strcmp(what, "ref")) {
        char *name = attr(n, "name");
        xmlNode *def = grammar_define(w.g, name);
        free(name);
        if (def) {
            take_define_notes(def, f);
            w.depth++;
            walk_children(w, def->children, f);
        }
    } else if (!strcmp(what, "optional"))
        walk_children(opt, n->children, f);
    else if (!strcmp(what, "zeroOrMore")) {
        opt.repeatable = 1;
        walk_children(opt, n->children, f);
    } else if (!strcmp(what, "oneOrMore"))
        walk_children(rep, n->children, f);
    else if (!strcmp(what, "choice")) {
        int values = 1;
        for (xmlNode *c = n->children; c; c = c->next)
            values &= !is_rng(c, NULL) || is_rng(c, "value");
        if (values) {
            f->has_value = 1;
            for (xmlNode *c = n->children; c; c = c->next)
                if (is_rng(c, "value"))
                    add_choice(&f->value, c);
        } else
            walk_children(opt, n->children, f); /* one of them: none required */
    } else if (!strcmp(what, "value")) {
        f->has_value = 1;
        add_choice(&f->value, n);
    } else if (!strcmp(what, "data"))
        read_data(n, f);
    else if (!strcmp(what, "text"))
        f->has_value = 1;
    else if (!strcmp(what, "interleave") || !strcmp(what, "group") || !strcmp(what, "mixed"))
        walk_children(w, n->children, f);
    /* empty, notAllowed: nothing */
}

static void walk_children(walk w, xmlNode *n, schema_field *f)
{
    for (; n; n = n->next)
        walk_one(w, n, f);
}

static void compile_patterns(schema_field *f)
{
    if (f->value.pattern)
        f->value.compiled = xmlRegexpCompile(BAD_CAST f->value.pattern);
    for (size_t i = 0; i < f->n_attributes; i++)
        compile_patterns(&f->attributes[i]);
    for (size_t i = 0; i < f->n_children; i++)
        compile_patterns(&f->children[i]);
}

static void field_free(schema_field *f)
{
    free(f->name), free(f->label), free(f->example), free(f->format);
    free(f->value.type), free(f->value.pattern);
    if (f->value.compiled)
        xmlRegFreeRegexp(f->value.compiled);
    for (size_t i = 0; i < f->value.n_choices; i++)
        free(f->value.choices[i]), free(f->value.choice_labels[i]);
    free(f->value.choices), free(f->value.choice_labels);
    for (size_t i = 0; i < f->n_attributes; i++)
        field_free(&f->attributes[i]);
    for (size_t i = 0; i < f->n_children; i++)
        field_free(&f->children[i]);
    free(f->attributes), free(f->children);
}

schema_fields *schema_fields_load(const char *path, diag_list *diags)
{
    grammar g = {0};
    schema_fields *s = NULL;
    if (grammar_read(&g, path, 0, diags) == 0) {
        xmlNode *start = NULL;
        for (xmlNode *n = xmlDocGetRootElement(g.docs[0])->children; n && !start; n = n->next)
            if (is_rng(n, "start"))
                start = n;
        schema_field top = {0};
        walk w = {&g, 0, 0, 0};
        if (start)
            walk_children(w, start->children, &top);
        if (top.n_children == 1) {
            s = xmalloc(sizeof *s);
            *s = (schema_fields){xstrdup(path), top.children[0]};
            free(top.children);
            compile_patterns(&s->root);
        } else {
            diag_add(diags, DIAG_ERROR, path, 0, "the schema has no single root element");
            field_free(&top);
        }
    }
    for (size_t i = 0; i < g.n_docs; i++)
        xmlFreeDoc(g.docs[i]);
    free(g.docs), free(g.defines);
    return s;
}

void schema_fields_free(schema_fields *s)
{
    if (!s)
        return;
    field_free(&s->root);
    free(s->path);
    free(s);
}

/* Each schema's fields as read once in this process (NULL: it cannot be
 * read), for the records of a campaign or a bundle, each of which reads
 * them; under the lock, as threads and batch workers render. */
typedef struct cached_fields {
    char *path;
    schema_fields *fields;
} cached_fields;
static cached_fields *cache;
static size_t ncache;
static pthread_mutex_t cache_lock = PTHREAD_MUTEX_INITIALIZER;

const schema_fields *schema_fields_get(const char *path)
{
    pthread_mutex_lock(&cache_lock);
    size_t i = 0;
    while (i < ncache && strcmp(cache[i].path, path) != 0)
        i++;
    if (i == ncache) {
        diag_list ignored = {0}; /* whoever needs the schema says what is wrong with it */
        cache = xrealloc(cache, (ncache + 1) * sizeof *cache);
        cache[ncache++] = (cached_fields){xstrdup(path), schema_fields_load(path, &ignored)};
        diag_free(&ignored);
    }
    const schema_fields *found = cache[i].fields;
    pthread_mutex_unlock(&cache_lock);
    return found;
}

void schema_fields_forget(void)
{
    for (size_t i = 0; i < ncache; i++) {
        free(cache[i].path);
        schema_fields_free(cache[i].fields);
    }
    free(cache);
    cache = NULL;
    ncache = 0;
}

const schema_field *schema_field_child(const schema_field *f, const char *name)
{
    for (size_t i = 0; i < f->n_children; i++)
        if (!strcmp(f->children[i].name, name))
            return &f->children[i];
    return NULL;
}

const schema_field *schema_field_attribute(const schema_field *f, const char *name)
{
    for (size_t i = 0; i < f->n_attributes; i++)
        if (!strcmp(f->attributes[i].name, name))
            return &f->attributes[i];
    return NULL;
}

const char *schema_field_label(const schema_field *f)
{
    return f->label ? f->label : f->name;
}

int schema_field_is_date(const schema_field *f)
{
    return f->value.type && !strcmp(f->value.type, "date");
}

/* The names of gen import --type (selfcheck, nominations) and the others
 * in the same spirit. */
static const char *const record_types[][2] = {
    {"notice", "notice"},           {"selfcheck", "self-check"},
    {"nominations", "nominations"}, {"inspection", "inspection-report"},
    {"public-list", "public-list"},
};

size_t record_type_count(void)
{
    return sizeof record_types / sizeof *record_types;
}

const char *record_type_name(size_t i)
{
    return record_types[i][0];
}

const char *record_type_root_at(size_t i)
{
    return record_types[i][1];
}

const char *record_type_root(const char *name)
{
    for (size_t i = 0; i < record_type_count(); i++)
        if (!strcmp(name, record_types[i][0]) || !strcmp(name, record_types[i][1]))
            return record_types[i][1];
    return NULL;
}

char *schema_field_hint(const schema_field *f)
{
    const field_value *v = &f->value;
    char *codes = xstrdup("");
    for (size_t i = 0; i < v->n_choices; i++) {
        char *more = v->choice_labels[i]
                         ? xasprintf("%s%s%s（%s）", codes, i ? "、" : "其中之一：", v->choices[i],
                                     v->choice_labels[i])
                         : xasprintf("%s%s%s", codes, i ? "、" : "其中之一：", v->choices[i]);
        free(codes);
        codes = more;
    }
    const char *format = f->format ? f->format : "";
    char *hint = xasprintf("%s%s%s", format, *format && *codes ? "；" : "", codes);
    free(codes);
    return hint;
}
