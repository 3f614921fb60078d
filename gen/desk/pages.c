#include <microhttpd.h>
#include <string.h>

#include "pages.h"
#include "pool.h"

void page_login_form(html *h)
{
    html_raw(h, "<form id=\"login\" class=\"box\" method=\"post\" action=\"/login\">\n"
                "<label for=\"user-name\">用户名</label><input type=\"text\" id=\"user-name\" "
                "name=\"user\" "
                "autocomplete=\"username\" required autofocus>\n"
                "<label for=\"password\">密码</label><input type=\"password\" id=\"password\" "
                "name=\"password\" autocomplete=\"current-password\" required>\n"
                "<div><button type=\"submit\">登录</button></div>\n</form>\n");
}

void page_upload_form(html *h, const page_visitor *v, const char *settings_text, const char *type)
{
    int nominations = type && !strcmp(type, "nominations");
    html_raw(h, "<form id=\"upload\" class=\"box\" method=\"post\" action=\"/records\" "
                "enctype=\"multipart/form-data\">\n");
    html_csrf(h, v);
    html_raw(h,
             "\n<label for=\"file\">文件（.xml、.csv 或 .xlsx）</label>"
             "<input type=\"file\" id=\"file\" name=\"file\" accept=\".xml,.csv,.xlsx\" required>\n"
             "<label for=\"type\">表格类型（上传表格时）</label><select id=\"type\" name=\"type\">"
             "<option value=\"selfcheck\">自查表</option><option value=\"nominations\"");
    html_raw(h,
             nominations ? " selected>推荐表</option></select>\n" : ">推荐表</option></select>\n");
    html_raw(
        h, "<label for=\"settings\">设置（可不填）</label>"
           "<span class=\"hint\">每行一项，写成“标签=值”，如：主送机关=浙江省质量技术监督局</span>"
           "<textarea id=\"settings\" name=\"settings\" rows=\"3\">");
    html_text(h, settings_text ? settings_text : "");
    html_raw(h, "</textarea>\n<div><button type=\"submit\">上传</button></div>\n</form>\n");
}

static void list(html *h, const char *cls, char *const *lines, size_t n)
{
    if (n == 0)
        return;
    html_rawf(h, "<ul class=\"%s\">\n", cls);
    for (size_t i = 0; i < n; i++) {
        html_raw(h, "<li>");
        html_text(h, lines[i]);
        html_raw(h, "</li>\n");
    }
    html_raw(h, "</ul>\n");
}

void page_messages(html *h, const worker_messages *m)
{
    list(h, "errors", m->errors, m->n_errors);
    list(h, "warnings", m->warnings, m->n_warnings);
}

int page_refused(request *r, const char *title, const worker_messages *m, const char *back,
                 const char *back_text)
{
    html h = {0};
    html_page_begin(&h, title, &r->visitor);
    html_raw(&h, "<h1>");
    html_text(&h, title);
    html_raw(&h, "</h1>\n");
    page_messages(&h, m);
    html_raw(&h, "<p><a href=\"");
    html_text(&h, back);
    html_raw(&h, "\">");
    html_text(&h, back_text);
    html_raw(&h, "</a></p>\n");
    html_page_end(&h);
    return respond_html(r, 422, &h, NULL);
}

int deny_csrf(request *r)
{
    return respond_message(r, 403, "表单已失效，请返回重新提交", "请回到上一页，刷新后重新提交。");
}

int deny_role(request *r)
{
    return respond_message(r, 403, "没有权限", "您的账号不能使用这一页。");
}

int not_found(request *r)
{
    return respond_message(r, 404, "找不到这一页", "没有这个网址，或者您的账号看不到它。");
}

int wrong_method(request *r, const char *allow)
{
    html h = {0};
    html_page_begin(&h, "不支持的请求方式", &r->visitor);
    html_raw(&h, "<h1>不支持的请求方式</h1>\n<p class=\"error\">这个网址不接受这种请求。</p>\n"
                 "<p><a href=\"/\">返回首页</a></p>\n");
    html_page_end(&h);
    const char *headers[] = {MHD_HTTP_HEADER_ALLOW, allow, NULL};
    return respond_html(r, 405, &h, headers);
}

int job_failed(request *r, const job *j, int rendering)
{
    const char *title = rendering ? "渲染失败" : "处理失败";
    html h = {0};
    html_page_begin(&h, title, &r->visitor);
    html_rawf(&h, "<h1>%s</h1>\n<p class=\"error\">", title);
    if (j->rc == DESK_POOL_CRASHED)
        html_raw(&h, rendering ? "渲染进程崩溃，已重新启动，请稍后重试。"
                               : "处理失败：处理进程崩溃，已重新启动，请稍后重试。");
    else if (j->rc == DESK_POOL_TIMEOUT)
        html_raw(&h, rendering ? "渲染超时，已停止，请稍后重试。"
                               : "处理失败：处理超时，已停止，请稍后重试。");
    else if (j->rc == DESK_POOL_FAILED)
        html_rawf(&h, "%s：无法启动处理进程。", title);
    else
        html_rawf(&h, "%s：程序出错。", title);
    html_raw(&h, "</p>\n");
    if (j->err && *j->err) {
        html_raw(&h, "<pre class=\"error\">");
        html_text(&h, j->err);
        html_raw(&h, "</pre>\n");
    }
    html_raw(&h, "<p><a href=\"/\">返回首页</a></p>\n");
    html_page_end(&h);
    return respond_html(r, 500, &h, NULL);
}
