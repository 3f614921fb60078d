/* GET /campaign (the province's view of the campaign: the findings of
 * `campaign check` over every stored record, and who sent what against
 * campaign.xml's roster and deadlines) and POST /campaign/list,
 * /campaign/exposure, /campaign/bulletin (a record built by `campaign
 * list|exposure|bulletin` and stored as the 省局's). */
#define _GNU_SOURCE
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "campaign_view.h"
#include "kinds.h"
#include "pages.h"
#include "record_keep.h"
#include "routes.h"
#include "util.h"
#include "worker_messages.h"

#define PROVINCE_ORG "省局"

/* What a body sends, and what a city sends: the columns of the table of
 * who sent what. */
static const char *const body_kinds[] = {"self-check", "nominations"};
#define CITY_KIND "inspection-report"

static int is_body_kind(const char *kind)
{
    return !strcmp(kind, body_kinds[0]) || !strcmp(kind, body_kinds[1]);
}

/* The kinds `gen campaign` reads beside campaign.xml. */
static int in_folder(const char *kind)
{
    return is_body_kind(kind) || !strcmp(kind, CITY_KIND) || !strcmp(kind, "public-list");
}

/* The stored records, and the campaign among them: the latest of kind
 * campaign (the province's own first). */
typedef struct campaign_records {
    store_record *all;
    size_t n;
    const store_record *campaign; /* NULL: none */
} campaign_records;

static void campaign_records_read(request *r, campaign_records *c)
{
    *c = (campaign_records){0};
    if (store_list_all(r->desk->store, &c->all, &c->n) != 0)
        c->all = NULL, c->n = 0;
    for (size_t i = 0; i < c->n; i++) {
        const store_record *rec = &c->all[i];
        if (strcmp(rec->kind, "campaign") != 0)
            continue;
        int own = !strcmp(rec->org, r->user.org),
            best_own = c->campaign && !strcmp(c->campaign->org, r->user.org);
        if (!c->campaign || own > best_own ||
            (own == best_own && rec->updated > c->campaign->updated))
            c->campaign = rec;
    }
}

/* A job folder holding campaign.xml and every record's latest version as
 * record-ID.xml.  0, or -1. */
static int campaign_folder(request *r, const campaign_records *c, job *j)
{
    if (job_open(r->desk, j) != 0)
        return -1;
    for (size_t i = 0; i < c->n; i++) {
        const store_record *rec = &c->all[i];
        if (rec != c->campaign && !in_folder(rec->kind))
            continue;
        char *xml = NULL, name[64];
        size_t size = 0;
        if (rec == c->campaign)
            snprintf(name, sizeof name, "campaign.xml");
        else
            snprintf(name, sizeof name, "record-%lld.xml", rec->id);
        int failed = store_xml(r->desk->store, rec->id, 0, &xml, &size) != 0 ||
                     job_write(j, name, xml, size) != 0;
        free(xml);
        if (failed)
            return -1;
    }
    return 0;
}

/* A line of the campaign's output with the job's file names made the
 * records' (记录 12（东海质量认证有限公司）). */
static char *named_line(const campaign_records *c, const char *line)
{
    char *s = xstrdup(line);
    for (size_t i = 0; i < c->n; i++) {
        const store_record *rec = &c->all[i];
        char from[64],
            *to = xasprintf("记录%lld（%s，%s）", rec->id, rec->org, kind_label(rec->kind));
        for (int dotted = 1; dotted >= 0; dotted--) {
            if (rec == c->campaign)
                snprintf(from, sizeof from, "%scampaign.xml", dotted ? "./" : "");
            else
                snprintf(from, sizeof from, "%srecord-%lld.xml", dotted ? "./" : "", rec->id);
            char *next = replace_all(s, from, to);
            free(s);
            s = next;
        }
        free(to);
    }
    return s;
}

/* The findings (stdout but its summary line, the last, in whatever
 * language the worker spoke), each a li of ul#findings. */
static void findings_list(html *h, const campaign_records *c, const char *out)
{
    html_raw(h, "<ul id=\"findings\">\n");
    char *summary = NULL;
    for (const char *p = out; *p;) {
        const char *end = strchr(p, '\n');
        char *line = xstrndup(p, end ? (size_t)(end - p) : strlen(p));
        p = end ? end + 1 : p + strlen(p);
        if (!*line) {
            free(line);
            continue;
        }
        if (summary) {
            char *named = named_line(c, summary);
            html_raw(h, "<li>");
            html_text(h, named);
            html_raw(h, "</li>\n");
            free(named);
            free(summary);
        }
        summary = line;
    }
    html_raw(h, "</ul>\n");
    if (summary) {
        /* "campaign .: 10 self-checks, ..." (活动 .：...) without the job's folder */
        const char *colon = strstr(summary, ": "), *wide = strstr(summary, "：");
        const char *from = colon && (!wide || colon < wide) ? colon + 2 : wide ? wide + strlen("：") : summary;
        html_raw(h, "<p id=\"summary\">");
        html_text(h, from);
        html_raw(h, "</p>\n");
    }
    free(summary);
}

/* What a party sent: the kinds of its records and when it first sent each. */
static long long first_sent(const campaign_records *c, const char *org, const char *kind)
{
    for (size_t i = 0; i < c->n; i++)
        if (!strcmp(c->all[i].org, org) && !strcmp(c->all[i].kind, kind))
            return c->all[i].created;
    return 0;
}

static void sent_kinds(html *h, const campaign_records *c, const char *org)
{
    int any = 0;
    for (size_t i = 0; i < c->n; i++)
        if (!strcmp(c->all[i].org, org)) {
            html_raw(h, any ? "、" : "");
            html_rawf(h, "<a href=\"/records/%lld\">", c->all[i].id);
            html_text(h, kind_label(c->all[i].kind));
            html_raw(h, "</a>");
            any = 1;
        }
    if (!any)
        html_raw(h, "—");
}

static void status_cell(html *h, const campaign_records *c, const campaign_view *v, const char *org,
                        const char *kind)
{
    const char *status =
        campaign_timeliness(first_sent(c, org, kind), campaign_deadline_of(v, kind));
    html_rawf(h, "<td class=\"%s\">%s</td>",
              !strcmp(status, "按时") || !strcmp(status, "已报") ? "good" : "late", status);
}

static void parties_table(html *h, const campaign_records *c, const campaign_view *v)
{
    html_raw(h,
             "<table id=\"bodies\">\n<thead><tr><th>单位</th><th>批准号</th><th>已报送</th>"
             "<th>自查报告</th><th>推荐表</th><th>监督检查情况的报告</th></tr></thead>\n<tbody>\n");
    for (size_t i = 0; i < v->n_bodies; i++) {
        const campaign_party *p = &v->bodies[i];
        html_raw(h, "<tr class=\"body\"><td>");
        html_text(h, p->name);
        html_raw(h, "</td><td>");
        html_text(h, p->approval_no);
        html_raw(h, "</td><td>");
        sent_kinds(h, c, p->name);
        html_raw(h, "</td>");
        for (size_t k = 0; k < 2; k++)
            status_cell(h, c, v, p->name, body_kinds[k]);
        html_raw(h, "<td>—</td></tr>\n");
    }
    for (size_t i = 0; i < v->n_cities; i++) {
        const campaign_party *p = &v->cities[i];
        html_raw(h, "<tr class=\"city\"><td>");
        html_text(h, p->name);
        html_raw(h, "</td><td>—</td><td>");
        sent_kinds(h, c, p->name);
        html_raw(h, "</td><td>—</td><td>—</td>");
        status_cell(h, c, v, p->name, CITY_KIND);
        html_raw(h, "</tr>\n");
    }
    html_raw(h, "</tbody>\n</table>\n");
    html_raw(h,
             "<p class=\"hint\">按时、逾期以首次报送到本台的时间对照活动文件中的截止日期。</p>\n");
}

static int is_party(const campaign_party *p, size_t n, const char *org)
{
    for (size_t i = 0; i < n; i++)
        if (!strcmp(p[i].name, org))
            return 1;
    return 0;
}

/* A body's or a city's kind of record sent from an account whose
 * organisation the campaign does not name so (a name typed another way
 * at --add-user --of, or a province clerk sending for a body): the table
 * above counts it for no one, so it is listed here. */
static void uncounted_records(html *h, const campaign_records *c, const campaign_view *v)
{
    int any = 0;
    for (size_t i = 0; i < c->n; i++) {
        const store_record *rec = &c->all[i];
        int of_body = is_body_kind(rec->kind), of_city = !strcmp(rec->kind, CITY_KIND);
        if ((!of_body && !of_city) || (of_body && is_party(v->bodies, v->n_bodies, rec->org)) ||
            (of_city && is_party(v->cities, v->n_cities, rec->org)))
            continue;
        if (!any)
            html_raw(h, "<h3>未计入上表的记录</h3>\n<p class=\"hint\">报送这些记录的账户所属单位"
                        "与活动文件中的单位名称不一致。请按活动文件中的名称为该单位建立账户"
                        "（gen serve --add-user … --of 单位名称）后重新报送。</p>\n"
                        "<ul id=\"uncounted\">\n");
        any = 1;
        html_rawf(h, "<li><a href=\"/records/%lld\">记录%lld</a>（", rec->id, rec->id);
        html_text(h, rec->org);
        html_raw(h, "，");
        html_text(h, kind_label(rec->kind));
        html_raw(h, "）</li>\n");
    }
    if (any)
        html_raw(h, "</ul>\n");
}

static void build_forms(html *h, const page_visitor *visitor)
{
    static const char *const builds[][3] = {
        {"make-list", "/campaign/list", "生成公布名单"},
        {"make-exposure", "/campaign/exposure", "生成曝光名单"},
        {"make-bulletin", "/campaign/bulletin", "生成通报"},
    };
    html_raw(h, "<h2>生成文书</h2>\n");
    for (size_t i = 0; i < 3; i++) {
        html_rawf(h, "<form id=\"%s\" class=\"box\" method=\"post\" action=\"%s\">", builds[i][0],
                  builds[i][1]);
        html_csrf(h, visitor);
        html_rawf(h, "<button type=\"submit\">%s</button></form>\n", builds[i][2]);
    }
}

static int no_campaign(request *r)
{
    html h = {0};
    html_page_begin(&h, "活动汇总", &r->visitor);
    html_raw(&h, "<h1>活动汇总</h1>\n<p id=\"no-campaign\">尚未上传活动文件（campaign.xml）</p>\n");
    page_upload_form(&h, &r->visitor, NULL, NULL);
    html_page_end(&h);
    return respond_html(r, 200, &h, NULL);
}

static void bad_records(html *h, const campaign_records *c, const char *err)
{
    if (!err || !*err)
        return;
    html_raw(h, "<h2>有误的记录</h2>\n<ul class=\"errors\">\n");
    for (const char *p = err; *p;) {
        const char *end = strchr(p, '\n');
        char *line = xstrndup(p, end ? (size_t)(end - p) : strlen(p));
        p = end ? end + 1 : p + strlen(p);
        if (*line) {
            char *named = named_line(c, line);
            html_raw(h, "<li>");
            html_text(h, named);
            html_raw(h, "</li>\n");
            free(named);
        }
        free(line);
    }
    html_raw(h, "</ul>\n");
}

int route_campaign(request *r)
{
    if (!r->logged_in)
        return respond_redirect(r, "/", NULL);
    if (r->user.role != ROLE_PROVINCE)
        return deny_role(r);
    campaign_records c;
    campaign_records_read(r, &c);
    if (!c.campaign) {
        free(c.all);
        return no_campaign(r);
    }
    job j;
    int answer;
    const char *argv[] = {"campaign", "check", ".", NULL};
    if (campaign_folder(r, &c, &j) != 0)
        answer = respond_message(r, 500, "处理失败", "处理失败：无法建立工作目录。");
    else if (job_run(&j, argv) != 0 && j.rc != 2)
        answer = job_failed(r, &j, 0);
    else {
        html h = {0};
        html_page_begin(&h, "活动汇总", &r->visitor);
        campaign_view v;
        char *xml = NULL;
        size_t size = 0;
        int have_view = store_xml(r->desk->store, c.campaign->id, 0, &xml, &size) == 0 &&
                        campaign_view_read(xml, size, &v) == 0;
        free(xml);
        html_raw(&h, "<h1>活动汇总</h1>\n<p>活动文件：");
        html_rawf(&h, "<a href=\"/records/%lld\">记录 %lld</a>", c.campaign->id, c.campaign->id);
        if (have_view && v.notice) {
            html_raw(&h, "（");
            html_text(&h, v.notice);
            html_raw(&h, "）");
        }
        html_rawf(&h, "</p>\n<p id=\"verdict\" class=\"%s\">%s</p>\n",
                  j.rc == 0 ? "good" : "blocked", j.rc == 0 ? "可以公布" : "暂不能公布");
        html_raw(&h, "<h2>检查发现的问题</h2>\n");
        findings_list(&h, &c, j.out);
        bad_records(&h, &c, j.err);
        html_raw(&h, "<h2>报送情况</h2>\n");
        if (have_view) {
            parties_table(&h, &c, &v);
            uncounted_records(&h, &c, &v);
            campaign_view_free(&v);
        }
        build_forms(&h, &r->visitor);
        html_page_end(&h);
        answer = respond_html(r, 200, &h, NULL);
    }
    job_close(&j);
    free(c.all);
    return answer;
}

/* ------------------------------------------------------------ builds */

static const char *build_filename(const char *what)
{
    return !strcmp(what, "list")       ? "公布名单（活动汇总生成）"
           : !strcmp(what, "exposure") ? "曝光名单（活动汇总生成）"
                                       : "通报（活动汇总生成）";
}

int route_campaign_build(request *r, const char *what)
{
    if (!r->logged_in)
        return respond_redirect(r, "/", NULL);
    if (!request_csrf_ok(r))
        return deny_csrf(r);
    if (r->user.role != ROLE_PROVINCE)
        return deny_role(r);
    campaign_records c;
    campaign_records_read(r, &c);
    worker_messages m = {0};
    job j = {0};
    int answer;
    const char *make[] = {"campaign", what, ".", "-o", "made.xml", NULL};
    const char *validate[] = {"validate", "made.xml", NULL};
    if (!c.campaign) {
        worker_messages_add(&m, "尚未上传活动文件（campaign.xml）", NULL, NULL);
        answer = page_refused(r, "无法生成，未保存", &m, "/campaign", "返回活动汇总");
    } else if (campaign_folder(r, &c, &j) != 0)
        answer = respond_message(r, 500, "处理失败", "处理失败：无法建立工作目录。");
    else if (job_run(&j, make) == 0 && job_run(&j, validate) == 0) {
        size_t size = 0;
        char *made = job_read(&j, "made.xml", &size);
        long long id = 0;
        int kept =
            made ? record_keep(r, PROVINCE_ORG, build_filename(what), made, size, made, size, &id)
                 : -1;
        answer = kept == 0 ? redirect_to_record(r, id)
                           : respond_message(r, 500, "处理失败", "处理失败：无法保存生成的记录。");
        free(made);
    } else if (j.rc == 2) {
        char *named = named_line(&c, j.err);
        worker_messages_add(&m, named, NULL, NULL);
        free(named);
        answer = page_refused(r, "无法生成，未保存", &m, "/campaign", "返回活动汇总");
    } else
        answer = job_failed(r, &j, 0);
    worker_messages_free(&m);
    job_close(&j);
    free(c.all);
    return answer;
}
