#define _GNU_SOURCE
#include "record_check.h"

#include <libxml/xmlschemastypes.h>
#include <stdlib.h>
#include <string.h>

#include "clerk_date.h"
#include "load.h"
#include "utf8.h"
#include "util.h"

#define XSD_NS "http://www.w3.org/2001/XMLSchema"

typedef struct checker {
    const char *path;
    diag_list *diags;
    int found;
} checker;

/* "邮政编码 <postcode>", "证书编号 no=": how a message names a field. */
static char *describe(const schema_field *f)
{
    const char *fmt = f->is_attribute ? "%s%s%s=" : "%s%s<%s>";
    return f->label ? xasprintf(fmt, f->label, " ", f->name) : xasprintf(fmt, "", "", f->name);
}

/* The value as RelaxNG compares it: white space collapsed, except for
 * xs:string (allocated). */
static char *value_as_compared(const field_value *v, const char *text)
{
    if (v->type && !strcmp(v->type, "string") && v->n_choices == 0)
        return xstrdup(text);
    return space_normalized(text);
}

static int fits_type(const field_value *v, const char *value)
{
    if (!v->type || !strcmp(v->type, "string") || !strcmp(v->type, "token"))
        return 1;
    xmlSchemaTypePtr t = xmlSchemaGetPredefinedType(BAD_CAST v->type, BAD_CAST XSD_NS);
    return !t || xmlSchemaValidatePredefinedType(t, BAD_CAST value, NULL) == 0;
}

/* A year in brackets other than 〔〕 ([2010], (2010), 【2010】, （2010）, ［2010］):
 * the value with them put right (allocated), or NULL. */
static char *year_brackets_fixed(const char *value)
{
    static const char *const pairs[][2] = {{"[", "]"},   {"(", ")"},   {"【", "】"}, {"（", "）"},
                                           {"［", "］"}, {"〖", "〗"}, {"{", "}"}};
    for (size_t i = 0; i < sizeof pairs / sizeof *pairs; i++) {
        const char *open = strstr(value, pairs[i][0]);
        if (!open)
            continue;
        const char *year = open + strlen(pairs[i][0]), *p = year;
        while (*p >= '0' && *p <= '9')
            p++;
        if (p - year != 4 && p - year != 2)
            continue;
        if (strncmp(p, pairs[i][1], strlen(pairs[i][1])) != 0)
            continue;
        return xasprintf("%.*s〔%.*s〕%s", (int)(open - value), value, (int)(p - year), year,
                         p + strlen(pairs[i][1]));
    }
    return NULL;
}

static int is_code(const field_value *v, const char *value)
{
    for (size_t i = 0; i < v->n_choices; i++)
        if (!strcmp(v->choices[i], value))
            return 1;
    return 0;
}

static void bad_choice(checker *c, int line, const schema_field *f, const char *name,
                       const char *value)
{
    const field_value *v = &f->value;
    for (size_t i = 0; i < v->n_choices; i++)
        if (v->choice_labels[i] && !strcmp(v->choice_labels[i], value)) {
            diag_add(c->diags, DIAG_ERROR, c->path, line,
                     "%s: the record holds the code of %s, not its name: write %s", name, value,
                     v->choices[i]);
            return;
        }
    char *list = xstrdup("");
    for (size_t i = 0; i < v->n_choices; i++) {
        char *more = v->choice_labels[i] ? xasprintf("%s%s%s (%s)", list, i ? ", " : "",
                                                     v->choices[i], v->choice_labels[i])
                                         : xasprintf("%s%s%s", list, i ? ", " : "", v->choices[i]);
        free(list);
        list = more;
    }
    diag_add(c->diags, DIAG_ERROR, c->path, line, "%s: \"%s\" is not one of %s", name, value, list);
    free(list);
}

static void bad_date(checker *c, int line, const char *name, const char *value)
{
    int year, month, day;
    clerk_date_kind k = clerk_date_parse(value, &year, &month, &day);
    if (k == CLERK_DATE_NO_SUCH_DAY && (month < 1 || month > 12))
        diag_add(c->diags, DIAG_ERROR, c->path, line,
                 "%s: \"%s\" is no day of the calendar: there is no month %d", name, value, month);
    else if (k == CLERK_DATE_NO_SUCH_DAY)
        diag_add(c->diags, DIAG_ERROR, c->path, line,
                 "%s: \"%s\" is no day of the calendar: month %d of %d has %d days", name, value,
                 month, year, clerk_date_days_in_month(year, month));
    else
        diag_add(c->diags, DIAG_ERROR, c->path, line,
                 "%s: \"%s\" is not a date; write it as 2009-08-04, 2009年8月4日, 2009/8/4 or "
                 "2009.8.4",
                 name, value);
}

/* The value of field `f` at `line`. */
static void check_value(checker *c, int line, const schema_field *f, const char *text)
{
    const field_value *v = &f->value;
    char *value = value_as_compared(v, text), *name = describe(f), *fixed = NULL;
    int before = (int)c->diags->n;
    /* what the schema says of it: its datatype, its pattern */
    int fits = fits_type(v, value);
    int matches = !v->compiled || xmlRegexpExec(v->compiled, BAD_CAST value) == 1;
    if (value[0] == '\0' && (v->n_choices > 0 || v->min_length > 0 || v->pattern || !fits) &&
        !is_code(v, value)) {
        if (f->example)
            diag_add(c->diags, DIAG_ERROR, c->path, line, "%s is empty: fill it in, e.g. %s", name,
                     f->example);
        else
            diag_add(c->diags, DIAG_ERROR, c->path, line, "%s is empty: fill it in", name);
    } else if (v->n_choices > 0) {
        if (!is_code(v, value))
            bad_choice(c, line, f, name, value);
    } else if (utf8_length(value, strlen(value), NULL) < v->min_length) {
        diag_add(c->diags, DIAG_ERROR, c->path, line, "%s: \"%s\" is shorter than %d characters",
                 name, value, v->min_length);
    } else if (schema_field_is_date(f) && (!fits || !matches)) {
        bad_date(c, line, name, value);
    } else if (!matches && strstr(v->pattern, "〔") && (fixed = year_brackets_fixed(value))) {
        diag_add(c->diags, DIAG_ERROR, c->path, line,
                 "the year of %s is written in 六角括号 〔〕: write \"%s\", not \"%s\"",
                 schema_field_label(f), fixed, value);
    } else if (!matches || !fits) {
        if (f->format && f->example)
            diag_add(c->diags, DIAG_ERROR, c->path, line,
                     "%s: \"%s\" does not fit its format (%s), e.g. %s", name, value, f->format,
                     f->example);
        else if (f->example)
            diag_add(c->diags, DIAG_ERROR, c->path, line, "%s: \"%s\" does not fit; write it as %s",
                     name, value, f->example);
        else
            diag_add(c->diags, DIAG_ERROR, c->path, line, "%s: \"%s\" is not a valid %s", name,
                     value, v->type ? v->type : "value");
    }
    c->found += (int)c->diags->n - before;
    free(value), free(name), free(fixed);
}

/* ---- names a clerk may have meant ---- */

static size_t distance(const char *a, const char *b)
{
    size_t la = strlen(a), lb = strlen(b);
    if (la > 64 || lb > 64)
        return 99;
    size_t d[65][65];
    for (size_t i = 0; i <= la; i++)
        d[i][0] = i;
    for (size_t j = 0; j <= lb; j++)
        d[0][j] = j;
    for (size_t i = 1; i <= la; i++)
        for (size_t j = 1; j <= lb; j++) {
            size_t best = d[i - 1][j - 1] + (a[i - 1] != b[j - 1]);
            if (d[i - 1][j] + 1 < best)
                best = d[i - 1][j] + 1;
            if (d[i][j - 1] + 1 < best)
                best = d[i][j - 1] + 1;
            if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1] &&
                d[i - 2][j - 2] + 1 < best)
                best = d[i - 2][j - 2] + 1; /* two letters swapped: titel */
            d[i][j] = best;
        }
    return d[la][lb];
}

/* The field of `fields` (n of them) a clerk most likely meant by `name`:
 * one whose label it is, or whose name is a slip or two away. */
static const schema_field *meant(const schema_field *fields, size_t n, const char *name)
{
    const schema_field *best = NULL;
    size_t best_d = strlen(name) <= 4 ? 2 : 3;
    for (size_t i = 0; i < n; i++) {
        if (fields[i].label && !strcmp(fields[i].label, name))
            return &fields[i];
        size_t d = distance(fields[i].name, name);
        if (d < best_d)
            best = &fields[i], best_d = d;
    }
    return best;
}

/* "<name> <region> ..." or "id= kind= ...": the fields a message lists. */
static char *names_of(const schema_field *fields, size_t n)
{
    char *list = xstrdup("");
    for (size_t i = 0; i < n; i++) {
        char *more = fields[i].is_attribute
                         ? xasprintf("%s%s%s=", list, i ? " " : "", fields[i].name)
                         : xasprintf("%s%s<%s>", list, i ? " " : "", fields[i].name);
        free(list);
        list = more;
    }
    return list;
}

/* ---- the walk ---- */

static void check_element(checker *c, xmlNode *node, const schema_field *f);

static void check_attributes(checker *c, xmlNode *node, const schema_field *f)
{
    int line = (int)xmlGetLineNo(node);
    char *owner = describe(f);
    for (xmlAttr *a = node->properties; a; a = a->next) {
        const schema_field *af = schema_field_attribute(f, (const char *)a->name);
        if (af) {
            xmlChar *v = xmlNodeListGetString(node->doc, a->children, 1);
            check_value(c, line, af, v ? (const char *)v : "");
            xmlFree(v);
            continue;
        }
        const schema_field *guess = meant(f->attributes, f->n_attributes, (const char *)a->name);
        if (guess)
            diag_add(c->diags, DIAG_ERROR, c->path, line,
                     "%s has no attribute %s=; did you mean %s= (%s)?", owner, a->name, guess->name,
                     schema_field_label(guess));
        else if (f->n_attributes > 0) {
            char *list = names_of(f->attributes, f->n_attributes);
            diag_add(c->diags, DIAG_ERROR, c->path, line, "%s has no attribute %s=; it takes %s",
                     owner, a->name, list);
            free(list);
        } else
            diag_add(c->diags, DIAG_ERROR, c->path, line, "%s has no attribute %s=; remove it",
                     owner, a->name);
        c->found++;
    }
    for (size_t i = 0; i < f->n_attributes; i++) {
        const schema_field *af = &f->attributes[i];
        if (!af->required || xmlHasProp(node, BAD_CAST af->name))
            continue;
        char *name = describe(af);
        diag_add(c->diags, DIAG_ERROR, c->path, line, "%s is missing from %s: add %s=\"%s\"", name,
                 owner, af->name, af->example ? af->example : "…");
        free(name);
        c->found++;
    }
    free(owner);
}

static void unknown_element(checker *c, xmlNode *child, const schema_field *f, int *accounted)
{
    char *owner = describe(f);
    int line = (int)xmlGetLineNo(child);
    const schema_field *guess = meant(f->children, f->n_children, (const char *)child->name);
    if (guess) {
        if (accounted)
            accounted[guess - f->children] = 1;
        diag_add(c->diags, DIAG_ERROR, c->path, line,
                 "<%s> is not a field of %s; did you mean <%s> (%s)?", child->name, owner,
                 guess->name, schema_field_label(guess));
    } else if (f->n_children > 0) {
        char *list = names_of(f->children, f->n_children);
        diag_add(c->diags, DIAG_ERROR, c->path, line,
                 "<%s> is not a field of %s; its fields are %s", child->name, owner, list);
        free(list);
    } else
        diag_add(c->diags, DIAG_ERROR, c->path, line,
                 "<%s> does not belong in %s, which holds only its value", child->name, owner);
    c->found++;
    free(owner);
}

static void check_children(checker *c, xmlNode *node, const schema_field *f)
{
    size_t n = f->n_children;
    int *seen = xcalloc(n + 1, sizeof *seen), *accounted = xcalloc(n + 1, sizeof *accounted);
    for (xmlNode *child = node->children; child; child = child->next) {
        if (child->type == XML_TEXT_NODE && !xmlIsBlankNode(child)) {
            char *owner = describe(f),
                 *text = value_as_compared(&f->value, (const char *)child->content);
            diag_add(c->diags, DIAG_ERROR, c->path, (int)xmlGetLineNo(child),
                     "text \"%s\" stands in %s outside any of its fields: put it in a field or "
                     "remove it",
                     text, owner);
            free(owner), free(text);
            c->found++;
        }
        if (child->type != XML_ELEMENT_NODE)
            continue;
        const schema_field *cf = schema_field_child(f, (const char *)child->name);
        if (!cf) {
            unknown_element(c, child, f, accounted);
            continue;
        }
        size_t i = (size_t)(cf - f->children);
        if (seen[i] && !cf->repeatable) {
            char *name = describe(cf), *owner = describe(f);
            diag_add(c->diags, DIAG_ERROR, c->path, (int)xmlGetLineNo(child),
                     "%s is given again (first at line %d); %s has only one: keep one", name,
                     seen[i], owner);
            free(name), free(owner);
            c->found++;
            continue;
        }
        if (!seen[i])
            seen[i] = (int)xmlGetLineNo(child);
        check_element(c, child, cf);
    }
    for (size_t i = 0; i < n; i++) {
        const schema_field *cf = &f->children[i];
        if (seen[i] || accounted[i] || !cf->required)
            continue;
        char *name = describe(cf), *owner = describe(f);
        diag_add(c->diags, DIAG_ERROR, c->path, (int)xmlGetLineNo(node),
                 "%s is missing from %s: add <%s>%s</%s>", name, owner, cf->name,
                 cf->example ? cf->example : "…", cf->name);
        free(name), free(owner);
        c->found++;
    }
    free(seen), free(accounted);
}

static void check_element(checker *c, xmlNode *node, const schema_field *f)
{
    check_attributes(c, node, f);
    if (f->n_children > 0) {
        check_children(c, node, f);
        return;
    }
    for (xmlNode *child = node->children; child; child = child->next)
        if (child->type == XML_ELEMENT_NODE) {
            unknown_element(c, child, f, NULL);
            return;
        }
    if (f->has_value) {
        xmlChar *text = xmlNodeGetContent(node);
        check_value(c, (int)xmlGetLineNo(node), f, text ? (const char *)text : "");
        xmlFree(text);
    }
}

int record_check(xmlDoc *doc, const char *path, const schema_fields *fields, diag_list *diags)
{
    xmlNode *root = xmlDocGetRootElement(doc);
    checker c = {path, diags, 0};
    if (root && !strcmp((const char *)root->name, fields->root.name))
        check_element(&c, root, &fields->root);
    return c.found;
}

/* ---- dates as clerks write them ---- */

static void normalize_value(xmlNode *node, xmlAttr *a, const schema_field *f)
{
    if (!schema_field_is_date(f))
        return;
    xmlChar *raw = a ? xmlNodeListGetString(node->doc, a->children, 1) : xmlNodeGetContent(node);
    char *value = raw ? value_as_compared(&f->value, (const char *)raw) : NULL;
    char *day = value ? clerk_date_normalized(value) : NULL;
    if (day && strcmp(day, (const char *)raw) != 0) {
        if (a)
            xmlSetProp(node, a->name, BAD_CAST day);
        else
            xmlNodeSetContent(node, BAD_CAST day);
    }
    xmlFree(raw);
    free(value), free(day);
}

static void normalize_element(xmlNode *node, const schema_field *f, int depth)
{
    for (xmlAttr *a = node->properties; a; a = a->next) {
        const schema_field *af = schema_field_attribute(f, (const char *)a->name);
        if (af)
            normalize_value(node, a, af);
    }
    if (f->n_children == 0) {
        int has_elements = 0;
        for (xmlNode *c = node->children; c; c = c->next)
            has_elements |= c->type == XML_ELEMENT_NODE;
        if (!has_elements)
            normalize_value(node, NULL, f);
        return;
    }
    if (depth > 64)
        return;
    for (xmlNode *c = node->children; c; c = c->next) {
        const schema_field *cf =
            c->type == XML_ELEMENT_NODE ? schema_field_child(f, (const char *)c->name) : NULL;
        if (cf)
            normalize_element(c, cf, depth + 1);
    }
}

void record_normalize_dates(xmlDoc *doc, const schema_fields *fields)
{
    xmlNode *root = xmlDocGetRootElement(doc);
    if (root && !strcmp((const char *)root->name, fields->root.name))
        normalize_element(root, &fields->root, 0);
}

void record_normalize_dates_of(xmlDoc *doc, const char *schema)
{
    const schema_fields *fields = schema_fields_get(schema);
    if (fields)
        record_normalize_dates(doc, fields);
}

int record_validate(xmlDoc *doc, const char *path, const char *schema, diag_list *diags)
{
    size_t before = diags->n;
    int problems = load_validate(doc, path, schema, diags);
    if (problems <= 0)
        return problems;
    diag_list mine = {0};
    const schema_fields *fields = schema_fields_get(schema);
    int found = fields ? record_check(doc, path, fields, &mine) : 0;
    if (found > 0) {
        diag_truncate(diags, before);
        diag_append(diags, &mine);
        problems = found;
    }
    diag_free(&mine);
    return problems;
}
