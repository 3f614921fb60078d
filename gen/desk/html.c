/* The HTML writer and the frame every page shares. */
#define _GNU_SOURCE
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "html.h"
#include "util.h"

static void append(html *h, const char *s, size_t n)
{
    if (h->n + n + 1 > h->cap) {
        h->cap = (h->n + n + 1) * 2 + 256;
        h->s = xrealloc(h->s, h->cap);
    }
    memcpy(h->s + h->n, s, n);
    h->n += n;
    h->s[h->n] = '\0';
}

void html_raw(html *h, const char *s)
{
    append(h, s, strlen(s));
}

void html_rawf(html *h, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    char *s = NULL;
    int n = vasprintf(&s, fmt, ap);
    va_end(ap);
    if (n < 0)
        abort();
    append(h, s, (size_t)n);
    free(s);
}

void html_textn(html *h, const char *s, size_t n)
{
    size_t from = 0;
    for (size_t i = 0; i < n; i++) {
        const char *entity = NULL;
        switch (s[i]) {
        case '&': entity = "&amp;"; break;
        case '<': entity = "&lt;"; break;
        case '>': entity = "&gt;"; break;
        case '"': entity = "&quot;"; break;
        case '\'': entity = "&#39;"; break;
        case '\0': entity = ""; break;
        default: continue;
        }
        append(h, s + from, i - from);
        html_raw(h, entity);
        from = i + 1;
    }
    append(h, s + from, n - from);
}

void html_text(html *h, const char *s)
{
    html_textn(h, s ? s : "", s ? strlen(s) : 0);
}

void html_free(html *h)
{
    free(h->s);
    *h = (html){0};
}

/* Plain and readable: an office form, no script, no web fonts. */
static const char style[] =
    "body{margin:0;font-family:\"Noto Sans CJK SC\",\"WenQuanYi Zen Hei\",\"Microsoft YaHei\",sans-serif;"
    "font-size:15px;color:#222;background:#f4f4f2}\n"
    "header{background:#1f4e79;color:#fff;padding:10px 24px;display:flex;align-items:center;gap:16px}\n"
    "header .title{font-size:20px;font-weight:bold;flex:1;color:#fff;text-decoration:none}\n"
    "header form{margin:0}\n"
    "header button{background:#fff;color:#1f4e79;border:0;padding:4px 12px;cursor:pointer}\n"
    "main{max-width:1100px;margin:20px auto;background:#fff;padding:20px 28px;border:1px solid #ccc}\n"
    "h1{font-size:22px;margin-top:0}\nh2{font-size:18px;border-bottom:1px solid #ccc;padding-bottom:4px}\n"
    "table{border-collapse:collapse;margin:8px 0 16px}\n"
    "th,td{border:1px solid #999;padding:5px 10px;text-align:left;vertical-align:top}\n"
    "th{background:#e8eef4}\n"
    ".error,.errors li{color:#b00000}\n.warnings li{color:#8a5a00}\n"
    "p.error{font-weight:bold}\n"
    "#verdict{font-size:18px;font-weight:bold}\n.good{color:#1a7f37}\n.blocked,td.late{color:#b00000}\n"
    "form.box{border:1px solid #ccc;padding:12px 16px;margin:12px 0;background:#fafafa}\n"
    "form.box label{display:block;margin-top:10px;font-weight:bold}\n"
    "form.box .hint{display:block;color:#666;font-size:13px}\n"
    "input[type=text],input[type=password],textarea,select{font-size:15px;padding:3px 5px;min-width:320px}\n"
    "textarea{width:90%}\n"
    "button,input[type=submit]{font-size:15px;padding:4px 16px;margin-top:12px}\n"
    "nav a{margin-right:18px}\n";

void html_page_begin(html *h, const char *title, const page_visitor *v)
{
    html_raw(h, "<!DOCTYPE html>\n<html lang=\"zh-CN\">\n<head>\n<meta charset=\"utf-8\">\n"
                "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n<title>");
    html_text(h, title);
    html_raw(h, " - 认证活动报送台</title>\n<style>\n");
    html_raw(h, style);
    html_raw(h, "</style>\n</head>\n<body>\n<header><a class=\"title\" href=\"/\">认证活动报送台</a>");
    if (v && v->user) {
        html_raw(h, "<span id=\"user\">");
        html_text(h, v->user->name);
        html_raw(h, "（");
        html_text(h, v->user->org);
        html_raw(h, "）</span><form id=\"logout\" method=\"post\" action=\"/logout\">");
        html_csrf(h, v);
        html_raw(h, "<button type=\"submit\">退出</button></form>");
    }
    html_raw(h, "</header>\n<main>\n");
}

void html_page_end(html *h)
{
    html_raw(h, "</main>\n</body>\n</html>\n");
}

void html_csrf(html *h, const page_visitor *v)
{
    html_raw(h, "<input type=\"hidden\" name=\"csrf\" value=\"");
    html_text(h, v && v->csrf ? v->csrf : "");
    html_raw(h, "\">");
}

void html_time(html *h, long long unix_time)
{
    time_t t = (time_t)unix_time;
    struct tm tm;
    char buf[32];
    if (localtime_r(&t, &tm) && strftime(buf, sizeof buf, "%Y-%m-%d %H:%M", &tm))
        html_text(h, buf);
}
