#define _GNU_SOURCE
#include <libxml/parser.h>
#include <libxml/tree.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "campaign_view.h"
#include "util.h"

static int is(const xmlNode *n, const char *name)
{
    return n->type == XML_ELEMENT_NODE && !strcmp((const char *)n->name, name);
}

/* An element's text, its white space collapsed as the schema's token type reads it. */
static char *text_of(xmlNode *n)
{
    xmlChar *raw = xmlNodeGetContent(n);
    char *s = xstrdup(raw ? (const char *)raw : ""), *o = s;
    xmlFree(raw);
    int space = 0;
    for (const char *p = s; *p; p++) {
        if (*p == ' ' || *p == '\t' || *p == '\n' || *p == '\r') {
            space = o != s;
            continue;
        }
        if (space)
            *o++ = ' ';
        space = 0;
        *o++ = *p;
    }
    *o = '\0';
    return s;
}

static char *attr_of(xmlNode *n, const char *name)
{
    xmlChar *v = xmlGetProp(n, (const xmlChar *)name);
    char *s = v ? xstrdup((const char *)v) : NULL;
    xmlFree(v);
    return s;
}

static void add_party(campaign_party **items, size_t *n, xmlNode *e, int body)
{
    *items = xrealloc(*items, (*n + 1) * sizeof **items);
    (*items)[(*n)++] = (campaign_party){.name = text_of(e),
                                        .approval_no = body ? attr_of(e, "approval-no") : NULL};
}

static void add_deadline(campaign_view *v, xmlNode *e)
{
    char *kind = attr_of(e, "for"), *date = text_of(e);
    if (kind && v->n_deadlines < sizeof v->deadlines / sizeof *v->deadlines) {
        campaign_deadline *d = &v->deadlines[v->n_deadlines++];
        snprintf(d->kind, sizeof d->kind, "%s", kind);
        snprintf(d->date, sizeof d->date, "%s", date);
    }
    free(kind), free(date);
}

int campaign_view_read(const char *xml, size_t size, campaign_view *out)
{
    *out = (campaign_view){0};
    xmlDoc *doc = xmlReadMemory(xml, (int)size, NULL, NULL,
                                XML_PARSE_NONET | XML_PARSE_NOERROR | XML_PARSE_NOWARNING);
    xmlNode *root = doc ? xmlDocGetRootElement(doc) : NULL;
    if (!root || !is(root, "campaign")) {
        xmlFreeDoc(doc);
        return -1;
    }
    out->year = attr_of(root, "year");
    for (xmlNode *c = root->children; c; c = c->next) {
        if (is(c, "notice"))
            out->notice = text_of(c);
        else if (is(c, "deadline"))
            add_deadline(out, c);
        else if (is(c, "bodies") || is(c, "cities"))
            for (xmlNode *p = c->children; p; p = p->next) {
                if (is(p, "body"))
                    add_party(&out->bodies, &out->n_bodies, p, 1);
                else if (is(p, "city"))
                    add_party(&out->cities, &out->n_cities, p, 0);
            }
    }
    xmlFreeDoc(doc);
    return 0;
}

static void free_parties(campaign_party *p, size_t n)
{
    for (size_t i = 0; i < n; i++)
        free(p[i].name), free(p[i].approval_no);
    free(p);
}

void campaign_view_free(campaign_view *v)
{
    free(v->year), free(v->notice);
    free_parties(v->bodies, v->n_bodies);
    free_parties(v->cities, v->n_cities);
    *v = (campaign_view){0};
}

const char *campaign_deadline_of(const campaign_view *v, const char *kind)
{
    for (size_t i = 0; i < v->n_deadlines; i++)
        if (!strcmp(v->deadlines[i].kind, kind))
            return v->deadlines[i].date;
    return NULL;
}

const char *campaign_timeliness(long long sent, const char *date)
{
    if (sent <= 0)
        return "未报";
    int y, m, d;
    if (!date || sscanf(date, "%d-%d-%d", &y, &m, &d) != 3)
        return "已报";
    struct tm end = {.tm_year = y - 1900, .tm_mon = m - 1, .tm_mday = d + 1, .tm_isdst = -1};
    time_t next_day = mktime(&end); /* the deadline's day ends at midnight */
    return (time_t)sent < next_day ? "按时" : "逾期";
}
