/* POST /records (an upload: XML validated, or a sheet imported and the
 * record validated) and GET /records/ID (the record's page). */
#define _GNU_SOURCE
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "kinds.h"
#include "pages.h"
#include "record_keep.h"
#include "routes.h"
#include "settings.h"
#include "util.h"

/* What the upload is, by its name's ending: the job's own name for it. */
static const char *upload_name(const char *filename)
{
    size_t n = strlen(filename);
    if (n > 4 && !strcasecmp(filename + n - 4, ".xml"))
        return "upload.xml";
    if (n > 4 && !strcasecmp(filename + n - 4, ".csv"))
        return "upload.csv";
    if (n > 5 && !strcasecmp(filename + n - 5, ".xlsx"))
        return "upload.xlsx";
    return NULL;
}

/* The file's own name: an old browser sends the whole path. */
static const char *base_name(const char *filename)
{
    const char *slash = strrchr(filename, '/'), *back = strrchr(filename, '\\');
    const char *last = slash > back ? slash : back;
    return last ? last + 1 : filename;
}

/* 422: 文件有误，未保存, its messages, the form again. */
static int refused(request *r, const worker_messages *m, const char *settings_text)
{
    html h = {0};
    html_page_begin(&h, "文件有误，未保存", &r->visitor);
    html_raw(&h, "<h1>文件有误，未保存</h1>\n");
    page_messages(&h, m);
    page_upload_form(&h, &r->visitor, settings_text, request_field(r, "type", NULL));
    html_page_end(&h);
    return respond_html(r, 422, &h, NULL);
}

static int refused_with(request *r, const char *message, const char *settings_text)
{
    worker_messages m = {0};
    worker_messages_add(&m, message, NULL, NULL);
    int answer = refused(r, &m, settings_text);
    worker_messages_free(&m);
    return answer;
}

/* The import's command line: import --type T upload.EXT -o record.xml
 * [--set 标签=值]... */
static const char **import_argv(const char *type, const char *name, const settings *s)
{
    const char **argv = xmalloc((8 + 2 * s->n) * sizeof *argv);
    size_t n = 0;
    argv[n++] = "import", argv[n++] = "--type", argv[n++] = type, argv[n++] = name;
    argv[n++] = "-o", argv[n++] = "record.xml";
    for (size_t i = 0; i < s->n; i++)
        argv[n++] = "--set", argv[n++] = s->lines[i];
    argv[n] = NULL;
    return argv;
}

/* Runs the job's commands: the import when it is a sheet, then the
 * validation.  The status of the last that ran; the messages of all. */
static int check_upload(job *j, const char *name, const char *type, const settings *s,
                        const char *shown, worker_messages *m)
{
    static const char *const internal[] = {"upload.xml", "upload.csv", "upload.xlsx", "record.xml",
                                           NULL};
    const char *record = name;
    if (strcmp(name, "upload.xml") != 0) {
        const char **argv = import_argv(type, name, s);
        int rc = job_run(j, argv);
        free(argv);
        worker_messages_add(m, j->err, internal, shown);
        if (rc != 0)
            return rc;
        record = "record.xml";
    }
    const char *argv[] = {"validate", record, NULL};
    int rc = job_run(j, argv);
    worker_messages_add(m, j->err, internal, shown);
    return rc;
}

int route_upload(request *r)
{
    if (!r->logged_in)
        return respond_redirect(r, "/", NULL);
    if (!request_csrf_ok(r))
        return deny_csrf(r);
    const char *settings_text = request_field(r, "settings", NULL);
    const form_field *file = request_file(r, "file");
    if (!file || !*base_name(file->filename))
        return refused_with(r, "请选择要上传的文件", settings_text);
    const char *shown = base_name(file->filename), *name = upload_name(shown);
    if (!name)
        return refused_with(r, "只接受 .xml、.csv 或 .xlsx 文件", settings_text);
    settings s;
    int bad = settings_parse(settings_text, &s);
    if (bad) {
        char *message =
            s.file_reference
                ? xasprintf("第%d行设置的值不能以“@”开头（网上报送不能引用服务器上的文件）", bad)
                : xasprintf("第%d行设置缺少“=”", bad);
        int answer = refused_with(r, message, settings_text);
        free(message);
        return answer;
    }
    const char *type = request_field(r, "type", NULL);
    type = type && !strcmp(type, "nominations") ? "nominations" : "selfcheck";

    job j;
    if (job_open(r->desk, &j) != 0 || job_write(&j, name, file->data, file->size) != 0) {
        job_close(&j);
        settings_free(&s);
        return respond_message(r, 500, "处理失败", "处理失败：无法建立工作目录。");
    }
    worker_messages m = {0};
    int rc = check_upload(&j, name, type, &s, shown, &m);
    int answer;
    if (rc == 0) {
        size_t xml_size = file->size;
        char *made = strcmp(name, "upload.xml") ? job_read(&j, "record.xml", &xml_size) : NULL;
        const char *xml = strcmp(name, "upload.xml") ? made : file->data;
        long long id = 0;
        int kept =
            xml ? record_keep(r, r->user.org, shown, file->data, file->size, xml, xml_size, &id)
                : -1;
        if (kept == 0)
            answer = redirect_to_record(r, id);
        else if (kept == 1)
            answer = refused_with(r, "这种记录不能在这里报送", settings_text);
        else
            answer = respond_message(r, 500, "处理失败", "处理失败：无法保存记录。");
        free(made);
    } else if (rc == 2)
        answer = refused(r, &m, settings_text);
    else
        answer = job_failed(r, &j, 0);
    worker_messages_free(&m);
    settings_free(&s);
    job_close(&j);
    return answer;
}

/* ------------------------------------------------------------ the record's page */

static void versions_table(html *h, long long id, const store_version *v, size_t n)
{
    html_raw(h, "<table id=\"versions\">\n<thead><tr><th>版本</th><th>文件名</th><th>报送人</th>"
                "<th>时间</th><th>原件</th></tr></thead>\n<tbody>\n");
    for (size_t i = 0; i < n; i++) {
        html_rawf(h, "<tr><td>%d</td><td>", v[i].n);
        html_text(h, v[i].filename);
        html_raw(h, "</td><td>");
        html_text(h, v[i].by);
        html_raw(h, "</td><td>");
        html_time(h, v[i].at);
        html_rawf(h, "</td><td><a href=\"/records/%lld/original?v=%d\">原件</a></td></tr>\n", id,
                  v[i].n);
    }
    html_raw(h, "</tbody>\n</table>\n");
}

static void documents_list(html *h, const desk *d, const store_record *rec)
{
    const char *const *names;
    size_t n = kind_templates(d, rec->kind, &names);
    html_raw(h, "<ul id=\"documents\">\n");
    for (size_t i = 0; i < n; i++) {
        html_rawf(h, "<li><a href=\"/records/%lld.pdf?template=", rec->id);
        html_text(h, names[i]); /* the template folder's names: plain words */
        html_raw(h, "\">");
        const char *label = template_label(names[i]);
        html_text(h, label ? label : names[i]);
        html_raw(h, "</a>");
        if (label) {
            html_raw(h, " <span class=\"template\">");
            html_text(h, names[i]);
            html_raw(h, "</span>");
        }
        html_raw(h, "</li>\n");
    }
    html_raw(h, "</ul>\n");
    if (n == 0)
        html_raw(h, "<p>这种记录没有可打印的文书。</p>\n");
}

int route_record_page(request *r, long long id)
{
    if (!r->logged_in)
        return respond_redirect(r, "/", NULL);
    store_record rec;
    if (visible_record(r, id, &rec) != 0)
        return not_found(r);
    store_version *versions = NULL;
    size_t n = 0;
    if (store_versions(r->desk->store, id, &versions, &n) != 0)
        n = 0;
    html h = {0};
    char *title = xasprintf("记录 %lld", id);
    html_page_begin(&h, title, &r->visitor);
    free(title);
    html_rawf(&h, "<h1>记录 %lld</h1>\n<table id=\"record\">\n<tr><th>类型</th><td id=\"kind\">",
              id);
    html_text(&h, kind_label(rec.kind));
    html_raw(&h, "（");
    html_text(&h, rec.kind);
    html_raw(&h, "）</td></tr>\n<tr><th>单位</th><td id=\"org\">");
    html_text(&h, rec.org);
    html_raw(&h, "</td></tr>\n<tr><th>首次报送</th><td>");
    html_time(&h, rec.created);
    html_raw(&h, "</td></tr>\n<tr><th>最后更新</th><td>");
    html_time(&h, rec.updated);
    html_raw(&h, "（");
    html_text(&h, rec.updated_by);
    html_raw(&h, "）</td></tr>\n</table>\n<h2>版本</h2>\n");
    versions_table(&h, id, versions, n);
    html_raw(&h, "<h2>文书（PDF）</h2>\n");
    documents_list(&h, r->desk, &rec);
    html_raw(&h, "<p><a href=\"/\">返回首页</a></p>\n");
    html_page_end(&h);
    free(versions);
    return respond_html(r, 200, &h, NULL);
}
