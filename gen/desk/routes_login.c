/* GET / (the login form, or the account's home), POST /login, POST /logout. */
#define _GNU_SOURCE
#include <microhttpd.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cookie.h"
#include "kinds.h"
#include "pages.h"
#include "routes.h"
#include "util.h"

static int login_page(request *r, int status, const char *error, const char *const *headers)
{
    html h = {0};
    html_page_begin(&h, "登录", NULL);
    html_raw(&h, "<h1>登录</h1>\n");
    if (error) {
        html_raw(&h, "<p class=\"error\">");
        html_text(&h, error);
        html_raw(&h, "</p>\n");
    }
    page_login_form(&h);
    html_page_end(&h);
    return respond_html(r, status, &h, headers);
}

static void records_table(html *h, const store_record *recs, size_t n)
{
    html_raw(h, "<table id=\"records\">\n<thead><tr><th>编号</th><th>类型</th><th>单位</th>"
                "<th>版本</th><th>最后更新时间</th><th>更新人</th></tr></thead>\n<tbody>\n");
    for (size_t i = 0; i < n; i++) {
        const store_record *rec = &recs[i];
        html_rawf(h, "<tr><td><a href=\"/records/%lld\">%lld</a></td><td>", rec->id, rec->id);
        html_text(h, kind_label(rec->kind));
        html_raw(h, "</td><td>");
        html_text(h, rec->org);
        html_rawf(h, "</td><td>%d</td><td>", rec->versions);
        html_time(h, rec->updated);
        html_raw(h, "</td><td>");
        html_text(h, rec->updated_by);
        html_raw(h, "</td></tr>\n");
    }
    html_raw(h, "</tbody>\n</table>\n");
    if (n == 0)
        html_raw(h, "<p>还没有报送的记录。</p>\n");
}

int route_home(request *r)
{
    if (!r->logged_in)
        return login_page(r, 200, NULL, NULL);
    html h = {0};
    html_page_begin(&h, "首页", &r->visitor);
    html_raw(&h, "<h1>首页</h1>\n<nav>");
    if (r->user.role == ROLE_BODY || r->user.role == ROLE_PROVINCE)
        html_raw(&h, "<a id=\"new-form\" href=\"/forms/new\">在线填写推荐表</a>");
    if (r->user.role == ROLE_PROVINCE)
        html_raw(&h, "<a id=\"campaign-link\" href=\"/campaign\">活动汇总</a>");
    html_raw(&h, "</nav>\n<h2>上传记录</h2>\n");
    page_upload_form(&h, &r->visitor, NULL, NULL);
    html_raw(&h, "<h2>已报送的记录</h2>\n");
    store_record *recs = NULL;
    size_t n = 0;
    if (store_list(r->desk->store, &r->user, &recs, &n) != 0)
        n = 0;
    records_table(&h, recs, n);
    free(recs);
    html_page_end(&h);
    return respond_html(r, 200, &h, NULL);
}

int route_login(request *r)
{
    const char *name = request_field(r, "user", NULL), *password = request_field(r, "password", NULL);
    if (!name || !password || !*name)
        return login_page(r, 401, "用户名或密码不正确", NULL);
    char client[64], token[65];
    request_client(r, client, sizeof client);
    int retry = 0;
    int rc = store_login(r->desk->store, name, password, client, token, &retry);
    if (rc == STORE_LIMITED) {
        int minutes = retry <= 0 ? 1 : (retry + 59) / 60;
        char seconds[32], *message = xasprintf("登录失败次数过多，请 %d 分钟后再试", minutes);
        snprintf(seconds, sizeof seconds, "%d", retry <= 0 ? 60 : retry);
        const char *headers[] = {MHD_HTTP_HEADER_RETRY_AFTER, seconds, NULL};
        int answer = login_page(r, 429, message, headers);
        free(message);
        return answer;
    }
    if (rc == STORE_BAD_PASSWORD)
        return login_page(r, 401, "用户名或密码不正确", NULL);
    if (rc != STORE_OK)
        return respond_message(r, 500, "登录失败", "服务器出错，请稍后再试。");
    char *cookie = xasprintf("%s=%s; Path=/; HttpOnly; SameSite=Strict%s", SESSION_COOKIE, token,
                             request_secure(r) ? "; Secure" : "");
    int answer = respond_redirect(r, "/", cookie);
    free(cookie);
    return answer;
}

int route_logout(request *r)
{
    if (!r->logged_in)
        return respond_redirect(r, "/", NULL);
    if (!request_csrf_ok(r))
        return deny_csrf(r);
    store_logout(r->desk->store, r->token);
    char *cookie = xasprintf("%s=; Path=/; Max-Age=0; HttpOnly; SameSite=Strict%s", SESSION_COOKIE,
                             request_secure(r) ? "; Secure" : "");
    r->logged_in = 0;
    r->visitor = (page_visitor){0};
    int answer = respond_redirect(r, "/", cookie);
    free(cookie);
    return answer;
}
