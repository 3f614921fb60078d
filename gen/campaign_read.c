/* The campaign folder: every record read once, validated against its
 * schema, copied into plain data and its tree freed. */
#define _GNU_SOURCE
#include <dirent.h>
#include <errno.h>
#include <libxml/tree.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "campaign_internal.h"
#include "exit_codes.h"
#include "load.h"
#include "record_check.h"
#include "util.h"

/* The text of an element, its white space collapsed as the schemas'
 * token type reads it, in the pool. */
static const char *text_of(cp_folder *f, xmlNode *n)
{
    xmlChar *raw = xmlNodeGetContent(n);
    char *s = (char *)raw, *out = s;
    int space = 0;
    for (char *p = s; p && *p; p++) {
        if (*p == ' ' || *p == '\t' || *p == '\n' || *p == '\r') {
            space = out != s;
            continue;
        }
        if (space)
            *out++ = ' ';
        space = 0;
        *out++ = *p;
    }
    if (out)
        *out = '\0';
    const char *kept = cp_strdup(&f->pool, s ? s : "");
    xmlFree(raw);
    return kept;
}

static const char *attr_of(cp_folder *f, xmlNode *n, const char *name)
{
    xmlChar *v = xmlGetProp(n, (const xmlChar *)name);
    const char *kept = v ? cp_strdup(&f->pool, (const char *)v) : NULL;
    xmlFree(v);
    return kept;
}

static int is(const xmlNode *n, const char *name)
{
    return n->type == XML_ELEMENT_NODE && strcmp((const char *)n->name, name) == 0;
}

static int line_of(const xmlNode *n)
{
    return (int)xmlGetLineNo(n);
}

static cp_row *new_row(cp_folder *f, cp_row_kind kind, xmlNode *n)
{
    GROW(f->rows, f->n_rows, f->rows_cap);
    cp_row *r = &f->rows[f->n_rows++];
    *r = (cp_row){.kind = kind, .record = f->n_records - 1, .line = line_of(n),
                  .certified_by = (size_t)-1, .excluded_by = -1};
    return r;
}

static void name_row(cp_folder *f, cp_row *r, const char *name)
{
    r->name = name;
    char *key = cp_name_key(name), *loose = cp_name_loose_key(name);
    r->key = cp_strdup(&f->pool, key);
    r->loose = cp_strdup(&f->pool, loose);
    free(key), free(loose);
}

/* ------------------------------------------------------------ the rows */

static void read_certified(cp_folder *f, xmlNode *e)
{
    cp_row *r = new_row(f, CP_CERTIFIED, e);
    for (xmlNode *c = e->children; c; c = c->next) {
        if (is(c, "name"))
            name_row(f, r, text_of(f, c));
        else if (is(c, "region"))
            r->region = text_of(f, c);
        else if (is(c, "county"))
            r->county = text_of(f, c);
        else if (is(c, "products"))
            r->product = text_of(f, c);
        else if (is(c, "certificate")) {
            r->cert_no = attr_of(f, c, "no");
            r->cert_type = attr_of(f, c, "type");
            r->status = attr_of(f, c, "status");
            r->expires = attr_of(f, c, "expires");
        } else if (is(c, "check"))
            r->result = attr_of(f, c, "result");
    }
}

static void read_nominee(cp_folder *f, cp_record *rec, xmlNode *e)
{
    cp_row *r = new_row(f, CP_NOMINEE, e);
    for (xmlNode *c = e->children; c; c = c->next) {
        if (is(c, "enterprise"))
            name_row(f, r, text_of(f, c));
        else if (is(c, "region"))
            r->region = text_of(f, c);
        else if (is(c, "products"))
            r->product = text_of(f, c);
        else if (is(c, "certification")) {
            r->certification = text_of(f, c);
            r->cert_type = cp_type_of_text(f, r->certification);
        } else if (is(c, "valid-until"))
            r->expires = text_of(f, c);
        else if (is(c, "filled-on")) {
            const char *d = text_of(f, c);
            if (!rec->date || strcmp(d, rec->date) > 0)
                rec->date = d, rec->date_line = line_of(c);
        }
    }
}

static void read_violator(cp_folder *f, xmlNode *e)
{
    cp_row *r = new_row(f, CP_VIOLATOR, e);
    for (xmlNode *c = e->children; c; c = c->next) {
        if (is(c, "enterprise"))
            name_row(f, r, text_of(f, c));
        else if (is(c, "county"))
            r->county = text_of(f, c);
        else if (is(c, "product"))
            r->product = text_of(f, c);
        else if (is(c, "problem"))
            r->problem = text_of(f, c);
        else if (is(c, "action"))
            r->action = text_of(f, c);
        else if (is(c, "certificate")) {
            r->cert_no = attr_of(f, c, "no");
            r->cert_type = attr_of(f, c, "type");
        }
    }
}

static void read_entry(cp_folder *f, xmlNode *e)
{
    cp_row *r = new_row(f, CP_ENTRY, e);
    for (xmlNode *c = e->children; c; c = c->next) {
        if (is(c, "enterprise"))
            name_row(f, r, text_of(f, c));
        else if (is(c, "region"))
            r->region = text_of(f, c);
        else if (is(c, "certification"))
            r->certification = text_of(f, c);
        else if (is(c, "nominator"))
            r->nominator = text_of(f, c);
    }
}

/* --------------------------------------------------------- the records */

static void read_body(cp_folder *f, cp_record *rec, xmlNode *body)
{
    for (xmlNode *c = body->children; c; c = c->next)
        if (is(c, "name"))
            rec->who = text_of(f, c), rec->who_line = line_of(c);
        else if (is(c, "approval-no"))
            rec->approval_no = text_of(f, c);
}

static void read_record(cp_folder *f, cp_record *rec, xmlNode *root)
{
    for (xmlNode *c = root->children; c; c = c->next) {
        if (rec->kind == CP_SELF_CHECK && is(c, "body"))
            read_body(f, rec, c);
        else if ((rec->kind == CP_NOMINATIONS && is(c, "nominator")) || is(c, "issuer"))
            rec->who = text_of(f, c), rec->who_line = line_of(c);
        else if (rec->kind != CP_NOMINATIONS && is(c, "date"))
            rec->date = text_of(f, c), rec->date_line = line_of(c);
        else if (is(c, "doc-number"))
            rec->doc_number = text_of(f, c);
        else if (is(c, "nomination"))
            read_nominee(f, rec, c);
        else if (is(c, "enterprises") || is(c, "violations") || is(c, "entries"))
            for (xmlNode *e = c->children; e; e = e->next) {
                if (is(e, "enterprise"))
                    read_certified(f, e);
                else if (is(e, "violation"))
                    read_violator(f, e);
                else if (is(e, "entry"))
                    read_entry(f, e);
            }
    }
}

static void read_roster(cp_folder *f, xmlNode *list, int bodies)
{
    cp_campaign *c = &f->campaign;
    for (xmlNode *n = list->children; n; n = n->next) {
        if (bodies && is(n, "body")) {
            c->bodies = xrealloc(c->bodies, (c->n_bodies + 1) * sizeof *c->bodies);
            cp_body *b = &c->bodies[c->n_bodies++];
            *b = (cp_body){.self_check = -1};
            b->name = text_of(f, n);
            char *key = cp_name_key(b->name);
            b->key = cp_strdup(&f->pool, key);
            free(key);
            b->approval_no = attr_of(f, n, "approval-no");
            b->line = line_of(n);
        } else if (!bodies && is(n, "city")) {
            c->cities = xrealloc(c->cities, (c->n_cities + 1) * sizeof *c->cities);
            c->cities[c->n_cities++] = (cp_city){text_of(f, n), line_of(n)};
        }
    }
}

static void read_campaign(cp_folder *f, const char *path, xmlNode *root)
{
    cp_campaign *c = &f->campaign;
    static const char *const kinds[3] = {"self-check", "nominations", "inspection-report"};
    c->file = cp_strdup(&f->pool, path);
    c->line = line_of(root);
    c->year = attr_of(f, root, "year");
    for (xmlNode *n = root->children; n; n = n->next) {
        if (is(n, "notice"))
            c->notice = text_of(f, n);
        else if (is(n, "issuer"))
            c->issuer = text_of(f, n);
        else if (is(n, "province"))
            c->province = text_of(f, n);
        else if (is(n, "deadline")) {
            const char *kind = attr_of(f, n, "for");
            for (int k = 0; k < 3; k++)
                if (kind && !strcmp(kind, kinds[k]))
                    c->deadline[k] = text_of(f, n), c->deadline_line[k] = line_of(n);
        } else if (is(n, "nominations")) {
            const char *min = attr_of(f, n, "min"), *max = attr_of(f, n, "max");
            c->min = min ? strtol(min, NULL, 10) : 0;
            c->max = max ? strtol(max, NULL, 10) : 0;
        } else if (is(n, "bodies"))
            read_roster(f, n, 1);
        else if (is(n, "cities"))
            read_roster(f, n, 0);
    }
}

/* ---------------------------------------------------------- the folder */

static int kind_of(const char *root, cp_kind *kind)
{
    static const char *const roots[] = {"self-check", "nominations", "inspection-report", "public-list"};
    for (int k = 0; k < 4; k++)
        if (!strcmp(root, roots[k])) {
            *kind = (cp_kind)k;
            return 1;
        }
    return 0;
}

/* One file: 0 read (or left out), -1 bad. */
static int read_file(cp_folder *f, const char *path, const char *data_dir, diag_list *diags)
{
    xmlDoc *doc = load_xml_encoded(path, NULL, LOAD_RECORD, diags);
    xmlNode *root = doc ? xmlDocGetRootElement(doc) : NULL;
    if (!root) {
        if (doc)
            diag_add(diags, DIAG_ERROR, path, 0, "the record has no root element");
        xmlFreeDoc(doc);
        return -1;
    }
    const char *name = (const char *)root->name;
    cp_kind kind;
    int campaign = !strcmp(name, "campaign");
    if (!campaign && !kind_of(name, &kind)) {
        f->n_other++; /* a notice, a template: not a record of the campaign */
        xmlFreeDoc(doc);
        return 0;
    }
    char *schema = xasprintf("%s/schemas/%s.rng", data_dir, name);
    record_normalize_dates_of(doc, schema); /* 2009年8月4日, as render reads it */
    int bad = record_validate(doc, path, schema, diags) != 0;
    free(schema);
    if (!bad && campaign && f->campaign.file) {
        diag_add(diags, DIAG_ERROR, path, line_of(root),
                 "a second campaign file (the first is %s): a folder holds one campaign",
                 f->campaign.file);
        bad = 1;
    } else if (!bad && campaign)
        read_campaign(f, path, root);
    else if (!bad) {
        GROW(f->records, f->n_records, f->records_cap);
        cp_record *rec = &f->records[f->n_records++];
        *rec = (cp_record){.kind = kind, .file = cp_strdup(&f->pool, path), .line = line_of(root),
                           .first_row = f->n_rows, .body = -1, .city = -1};
        read_record(f, rec, root);
        rec->n_rows = f->n_rows - rec->first_row;
    }
    xmlFreeDoc(doc);
    return bad ? -1 : 0;
}

static int xml_file(const struct dirent *e)
{
    size_t n = strlen(e->d_name);
    return e->d_name[0] != '.' && n > 4 && strcmp(e->d_name + n - 4, ".xml") == 0;
}

int cp_folder_read(cp_folder *f, const char *dir, const char *data_dir, diag_list *diags)
{
    *f = (cp_folder){.dir = dir};
    char *codes = code_lists_file(data_dir);
    f->codes = code_lists_load(codes, diags);
    free(codes);
    if (!f->codes)
        return EXIT_ENVIRONMENT;
    struct dirent **entries = NULL;
    int n = scandir(dir, &entries, xml_file, alphasort);
    if (n < 0) {
        diag_add(diags, DIAG_ERROR, dir, 0, "cannot read the campaign folder: %s", strerror(errno));
        return EXIT_BAD_INPUT;
    }
    int bad = 0;
    for (int i = 0; i < n; i++) {
        char *path = xasprintf("%s/%s", dir, entries[i]->d_name);
        struct stat st;
        if (stat(path, &st) == 0 && S_ISREG(st.st_mode) && read_file(f, path, data_dir, diags) != 0)
            bad = 1;
        free(path);
        free(entries[i]);
    }
    free(entries);
    if (!bad && !f->campaign.file) {
        diag_add(diags, DIAG_ERROR, dir, 0,
                 "no campaign file: the folder needs one record <campaign> (schemas/campaign.rng) "
                 "naming the deadlines, the quota, the bodies and the cities");
        bad = 1;
    }
    return bad ? EXIT_BAD_INPUT : EXIT_DONE;
}

void cp_folder_free(cp_folder *f)
{
    free(f->campaign.bodies);
    free(f->campaign.cities);
    free(f->records);
    free(f->rows);
    code_lists_free(f->codes);
    cp_pool_free(&f->pool);
    *f = (cp_folder){0};
}
