/* GET /forms/new and POST /forms: one nomination (推荐表) filled in
 * field by field.  The fields, their labels and hints are those of
 * schemas/nominations.rng (schema_fields.h); the record is checked by a
 * worker's `validate`, with the schema's own messages. */
#define _GNU_SOURCE
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "clerk_date.h"
#include "pages.h"
#include "record_keep.h"
#include "routes.h"
#include "schema_fields.h"
#include "util.h"

#define FORM_FILENAME "推荐表（网上填写）"

/* The schema's <nomination>, NULL when it cannot be read. */
static const schema_field *nomination_fields(const desk *d)
{
    char *path = xasprintf("%s/schemas/nominations.rng", d->data_dir);
    const schema_fields *s = schema_fields_get(path);
    free(path);
    return s ? schema_field_child(&s->root, "nomination") : NULL;
}

/* A field the form asks for: an element with a value (not the extras). */
static int asked(const schema_field *f)
{
    return !f->is_attribute && f->has_value && strcmp(f->name, "extra") != 0;
}

static void form_field_html(html *h, const schema_field *f, const request *r)
{
    const char *value = r ? request_field(r, f->name, NULL) : NULL;
    html_raw(h, "<label for=\"f-");
    html_text(h, f->name);
    html_raw(h, "\">");
    html_text(h, schema_field_label(f));
    html_raw(h, "</label>");
    char *hint = schema_field_hint(f);
    if (*hint || f->example) {
        html_raw(h, "<span class=\"hint\">");
        html_text(h, hint);
        if (f->example) {
            html_raw(h, *hint ? "；例：" : "例：");
            html_text(h, f->example);
        }
        html_raw(h, "</span>");
    }
    free(hint);
    int long_text = !strcmp(f->name, "reason");
    html_raw(h, long_text ? "<textarea rows=\"5\"" : "<input type=\"text\"");
    html_raw(h, " name=\"");
    html_text(h, f->name);
    html_raw(h, "\" id=\"f-");
    html_text(h, f->name);
    html_raw(h, long_text ? "\">" : "\" value=\"");
    html_text(h, value ? value : "");
    html_raw(h, long_text ? "</textarea>\n" : "\">\n");
}

/* The form; with `sent`, the values it sent shown again. */
static void nomination_form(html *h, const request *r, const schema_field *nom, const request *sent)
{
    html_raw(h, "<form id=\"nomination\" class=\"box\" method=\"post\" action=\"/forms\">\n");
    html_csrf(h, &r->visitor);
    html_raw(h, "\n<p>推荐单位：<strong id=\"nominator\">");
    html_text(h, r->user.org);
    html_raw(h, "</strong></p>\n<label for=\"f-year\">年度</label><input type=\"text\" name=\"year\" id=\"f-year\" value=\"");
    const char *year = sent ? request_field(sent, "year", NULL) : NULL;
    if (year)
        html_text(h, year);
    else {
        time_t now = time(NULL);
        struct tm tm;
        localtime_r(&now, &tm);
        html_rawf(h, "%d", tm.tm_year + 1900);
    }
    html_raw(h, "\">\n");
    for (size_t i = 0; nom && i < nom->n_children; i++)
        if (asked(&nom->children[i]))
            form_field_html(h, &nom->children[i], sent);
    html_raw(h, "<div><button type=\"submit\">提交</button></div>\n</form>\n");
}

static int may_nominate(const request *r)
{
    return r->user.role == ROLE_BODY || r->user.role == ROLE_PROVINCE;
}

static int form_page(request *r, int status, const worker_messages *m)
{
    const schema_field *nom = nomination_fields(r->desk);
    if (!nom)
        return respond_message(r, 500, "处理失败", "处理失败：读不到推荐表的格式（schemas/nominations.rng）。");
    html h = {0};
    html_page_begin(&h, "在线填写推荐表", &r->visitor);
    if (m) {
        html_raw(&h, "<h1>推荐表有误，未保存</h1>\n");
        page_messages(&h, m);
    } else
        html_raw(&h, "<h1>在线填写推荐表</h1>\n<p>每次填写一家推荐企业；提交后可下载推荐表 PDF。</p>\n");
    nomination_form(&h, r, nom, m ? r : NULL);
    html_page_end(&h);
    return respond_html(r, status, &h, NULL);
}

int route_form_new(request *r)
{
    if (!r->logged_in)
        return respond_redirect(r, "/", NULL);
    if (!may_nominate(r))
        return deny_role(r);
    return form_page(r, 200, NULL);
}

/* Text as XML character data: escaped, and without the control
 * characters XML 1.0 cannot hold. */
static void xml_text(html *x, const char *s)
{
    char *clean = xstrdup(s ? s : "");
    char *o = clean;
    for (const char *p = clean; *p; p++)
        if ((unsigned char)*p >= 0x20 || *p == '\n' || *p == '\t')
            *o++ = *p;
    *o = '\0';
    html_text(x, clean);
    free(clean);
}

static char *nomination_record(const request *r, const schema_field *nom)
{
    html x = {0};
    html_raw(&x, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<nominations year=\"");
    xml_text(&x, request_field(r, "year", NULL));
    html_raw(&x, "\">\n  <nominator>");
    xml_text(&x, r->user.org);
    html_raw(&x, "</nominator>\n  <nomination>\n");
    for (size_t i = 0; i < nom->n_children; i++) {
        const schema_field *f = &nom->children[i];
        if (!asked(f))
            continue;
        html_rawf(&x, "    <%s>", f->name);
        const char *value = request_field(r, f->name, NULL);
        /* a date as a clerk writes it (2009年8月4日) as the schema's */
        char *date = value && schema_field_is_date(f) ? clerk_date_normalized(value) : NULL;
        xml_text(&x, date ? date : value);
        free(date);
        html_rawf(&x, "</%s>\n", f->name);
    }
    html_raw(&x, "  </nomination>\n</nominations>\n");
    return x.s;
}

int route_form_post(request *r)
{
    if (!r->logged_in)
        return respond_redirect(r, "/", NULL);
    if (!request_csrf_ok(r))
        return deny_csrf(r);
    if (!may_nominate(r))
        return deny_role(r);
    const schema_field *nom = nomination_fields(r->desk);
    if (!nom)
        return respond_message(r, 500, "处理失败", "处理失败：读不到推荐表的格式（schemas/nominations.rng）。");
    char *xml = nomination_record(r, nom);
    size_t size = strlen(xml);
    job j;
    if (job_open(r->desk, &j) != 0 || job_write(&j, "record.xml", xml, size) != 0) {
        free(xml);
        job_close(&j);
        return respond_message(r, 500, "处理失败", "处理失败：无法建立工作目录。");
    }
    const char *argv[] = {"validate", "record.xml", NULL};
    int rc = job_run(&j, argv), answer;
    if (rc == 0) {
        long long id = 0;
        int kept = record_keep(r, r->user.org, FORM_FILENAME, xml, size, xml, size, &id);
        answer = kept == 0 ? redirect_to_record(r, id)
                           : respond_message(r, 500, "处理失败", "处理失败：无法保存记录。");
    } else if (rc == 2) {
        static const char *const internal[] = {"record.xml", NULL};
        worker_messages m = {0};
        worker_messages_add(&m, j.err, internal, FORM_FILENAME);
        answer = form_page(r, 422, &m);
        worker_messages_free(&m);
    } else
        answer = job_failed(r, &j, 0);
    free(xml);
    job_close(&j);
    return answer;
}
