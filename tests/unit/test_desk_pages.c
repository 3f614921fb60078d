/* Unit tests of the desk's pure helpers (gen/desk): the HTML writer's
 * escaping and frame, the settings lines of the upload form, the mapping
 * of a worker's messages to the page's lines, the Cookie header, the
 * record routes' IDs, a record's root and the campaign's deadlines. */
#define _GNU_SOURCE
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "campaign_view.h"
#include "check.h"
#include "cookie.h"
#include "html.h"
#include "kinds.h"
#include "route.h"
#include "settings.h"
#include "worker_messages.h"

static void test_escaping(void)
{
    html h = {0};
    html_text(&h, "<script>alert('x') & \"y\"</script>");
    CHECK(!strcmp(h.s, "&lt;script&gt;alert(&#39;x&#39;) &amp; &quot;y&quot;&lt;/script&gt;"), "escaped: %s", h.s);
    html_free(&h);
    html_text(&h, "东海质量认证有限公司");
    CHECK(!strcmp(h.s, "东海质量认证有限公司"), "Chinese text as it is: %s", h.s);
    html_free(&h);
    html_text(&h, NULL);
    CHECK(h.n == 0, "NULL writes nothing");
    html_textn(&h, "a\0<b", 4);
    CHECK(!strcmp(h.s, "a&lt;b"), "a NUL byte dropped: %s", h.s);
    html_free(&h);
    html_raw(&h, "<p>");
    html_rawf(&h, "%d", 42);
    CHECK(!strcmp(h.s, "<p>42"), "raw markup: %s", h.s);
    html_free(&h);
}

static void test_frame(void)
{
    desk_user u = {.id = 1, .name = "don<ghai", .role = ROLE_BODY, .org = "东海&公司"};
    char token[65];
    memset(token, 'a', 64);
    token[64] = '\0';
    page_visitor v = {.user = &u, .csrf = token};
    html h = {0};
    html_page_begin(&h, "首页<x>", &v);
    html_page_end(&h);
    CHECK(!strncmp(h.s, "<!DOCTYPE html>\n<html lang=\"zh-CN\">", 35), "doctype and lang");
    CHECK(strstr(h.s, "<meta charset=\"utf-8\">") != NULL, "UTF-8");
    CHECK(strstr(h.s, "认证活动报送台") != NULL, "the desk's title");
    CHECK(strstr(h.s, "<span id=\"user\">don&lt;ghai（东海&amp;公司）</span>") != NULL, "the account, escaped");
    CHECK(strstr(h.s, "<form id=\"logout\" method=\"post\" action=\"/logout\">") != NULL, "logout form");
    CHECK(strstr(h.s, "name=\"csrf\" value=\"aaaa") != NULL, "logout carries the csrf token");
    CHECK(strstr(h.s, "首页&lt;x&gt;") != NULL, "the title escaped");
    CHECK(strstr(h.s, "<script") == NULL, "no script");
    html_free(&h);
    html_page_begin(&h, "登录", NULL);
    CHECK(strstr(h.s, "id=\"user\"") == NULL && strstr(h.s, "logout") == NULL, "not logged in: no account");
    html_free(&h);
}

static void test_settings(void)
{
    settings s;
    CHECK(settings_parse("主送机关=浙江省质量技术监督局\r\n\n  \n省份 = 浙江省 \n", &s) == 0, "two lines");
    CHECK(s.n == 2 && !strcmp(s.lines[0], "主送机关=浙江省质量技术监督局") && !strcmp(s.lines[1], "省份 = 浙江省"),
          "blank lines skipped, CR and outer blanks dropped");
    settings_free(&s);
    CHECK(settings_parse("a=b\n\nno equals\n", &s) == 3 && s.n == 0 && !s.file_reference, "line 3 lacks =");
    CHECK(settings_parse("=value", &s) == 1 && !s.file_reference, "no label");
    CHECK(settings_parse("a=1\n报告=@/etc/passwd", &s) == 2 && s.file_reference, "a file reference refused");
    CHECK(settings_parse("a=x@y", &s) == 0 && s.n == 1, "@ inside a value is fine");
    settings_free(&s);
    CHECK(settings_parse(NULL, &s) == 0 && s.n == 0, "no settings");
    CHECK(settings_parse("a=--b c", &s) == 0 && s.n == 1 && !strcmp(s.lines[0], "a=--b c"), "kept as one argument");
    settings_free(&s);
}

static void test_worker_messages(void)
{
    static const char *const internal[] = {"upload.xml", "record.xml", NULL};
    worker_messages m = {0};
    worker_messages_add(&m,
                        "upload.xml:8: 邮政编码 <postcode>: \"12a\" does not fit\n"
                        "upload.xml:3: warning: a thing\r\n\n"
                        "gen: cannot read record.xml\n",
                        internal, "我的<表>.xml");
    CHECK(m.n_errors == 2 && m.n_warnings == 1, "2 errors, 1 warning: %zu %zu", m.n_errors, m.n_warnings);
    CHECK(m.n_errors == 2 && !strcmp(m.errors[0], "我的<表>.xml:8: 邮政编码 <postcode>: \"12a\" does not fit"),
          "the file as sent: %s", m.n_errors ? m.errors[0] : "");
    CHECK(m.n_errors == 2 && !strcmp(m.errors[1], "gen: cannot read 我的<表>.xml"), "inside a line too");
    CHECK(m.n_warnings == 1 && !strcmp(m.warnings[0], "我的<表>.xml:3: warning: a thing"), "the warning");
    worker_messages_add(&m, NULL, internal, "x");
    worker_messages_add(&m, "only one", NULL, NULL);
    CHECK(m.n_errors == 3 && !strcmp(m.errors[2], "only one"), "a line without a place");
    worker_messages_free(&m);
    char *r = replace_all("aXbXXc", "X", "--");
    CHECK(!strcmp(r, "a--b----c"), "replace_all: %s", r);
    free(r);
}

static void test_cookies(void)
{
    char v[65];
    const char *tok = "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef";
    char header[256];
    snprintf(header, sizeof header, "theme=dark; desk_session=%s; other=1", tok);
    CHECK(cookie_find(header, "desk_session", v, sizeof v) && !strcmp(v, tok), "among others");
    CHECK(cookie_find("desk_session=abc", "desk_session", v, sizeof v) && !strcmp(v, "abc"), "alone");
    CHECK(cookie_find("desk_session=\"abc\"", "desk_session", v, sizeof v) && !strcmp(v, "abc"), "quoted");
    CHECK(!cookie_find("xdesk_session=abc", "desk_session", v, sizeof v), "a longer name is another");
    CHECK(!cookie_find("desk_sessionx=abc", "desk_session", v, sizeof v), "so is a name it begins");
    CHECK(!cookie_find("", "desk_session", v, sizeof v), "empty header");
    char longer[200];
    memset(longer, 'a', sizeof longer);
    memcpy(longer, "desk_session=", 13);
    longer[199] = '\0';
    CHECK(!cookie_find(longer, "desk_session", v, sizeof v), "too long for the buffer");
    CHECK(token_is_hex64(tok) && !token_is_hex64("abc") && !token_is_hex64(NULL), "hex tokens");
    char bad[65];
    memcpy(bad, tok, 65);
    bad[10] = 'g';
    CHECK(!token_is_hex64(bad), "not hex");
    CHECK(csrf_matches(tok, tok), "csrf: the same");
    CHECK(!csrf_matches(bad, tok) && !csrf_matches(NULL, tok) && !csrf_matches("", tok), "csrf: other, none, empty");
    CHECK(!csrf_matches(tok, ""), "csrf: a session without a token matches nothing");
}

static void test_routes(void)
{
    long long id = 0;
    CHECK(route_record("/records/12", &id) == RECORD_PAGE && id == 12, "page");
    CHECK(route_record("/records/7.pdf", &id) == RECORD_PDF && id == 7, "pdf");
    CHECK(route_record("/records/7/original", &id) == RECORD_ORIGINAL && id == 7, "original");
    CHECK(route_record("/records/", &id) == RECORD_NONE, "no id");
    CHECK(route_record("/records/012", &id) == RECORD_NONE, "leading zero");
    CHECK(route_record("/records/-1", &id) == RECORD_NONE, "sign");
    CHECK(route_record("/records/1x", &id) == RECORD_NONE, "trailing");
    CHECK(route_record("/records/1/../2", &id) == RECORD_NONE, "dots");
    CHECK(route_record("/records/1234567890123456", &id) == RECORD_NONE, "too long");
    CHECK(route_record("/records", &id) == RECORD_NONE, "the upload's path");
    CHECK(route_version(NULL) == 0 && route_version("") == 0, "no version: the latest");
    CHECK(route_version("3") == 3, "v=3");
    CHECK(route_version("0") == -1 && route_version("3a") == -1 && route_version("-1") == -1 &&
              route_version("99999999") == -1, "bad versions");
}

static void test_kinds(void)
{
    char root[64];
    const char *xml = "<?xml version=\"1.0\"?>\n<!-- c -->\n<nominations year=\"2009\"><nominator>x</nominator></nominations>";
    CHECK(xml_root_name(xml, strlen(xml), root, sizeof root) == 0 && !strcmp(root, "nominations"), "root: %s", root);
    CHECK(xml_root_name("not xml", 7, root, sizeof root) == -1, "no root");
    CHECK(kind_known("self-check") && !kind_known("../x") && !kind_known(NULL), "known kinds");
    CHECK(!strcmp(kind_label("nominations"), "推荐表") && !strcmp(kind_label("zzz"), "zzz"), "labels");
}

static void test_campaign_view(void)
{
    const char *xml =
        "<campaign year=\"2009\"><notice>浙质评发〔2009〕195号</notice><issuer>x</issuer>"
        "<deadline for=\"self-check\">2009-08-31</deadline><nominations min=\"3\" max=\"5\"/>"
        "<bodies><body approval-no=\"CNCA-R-1\">东海  质量\n认证有限公司</body></bodies>"
        "<cities><city>宁波市</city></cities></campaign>";
    campaign_view v;
    CHECK(campaign_view_read(xml, strlen(xml), &v) == 0, "read");
    CHECK(v.n_bodies == 1 && !strcmp(v.bodies[0].name, "东海 质量 认证有限公司") &&
              !strcmp(v.bodies[0].approval_no, "CNCA-R-1"), "the body, its blanks collapsed");
    CHECK(v.n_cities == 1 && !strcmp(v.cities[0].name, "宁波市"), "the city");
    CHECK(campaign_deadline_of(&v, "self-check") && !strcmp(campaign_deadline_of(&v, "self-check"), "2009-08-31"),
          "the deadline");
    CHECK(campaign_deadline_of(&v, "nominations") == NULL, "no deadline");
    campaign_view_free(&v);
    CHECK(campaign_view_read("<notice/>", 9, &v) == -1, "not a campaign");

    struct tm day = {.tm_year = 109, .tm_mon = 7, .tm_mday = 31, .tm_hour = 23, .tm_min = 59, .tm_isdst = -1};
    long long last_minute = (long long)mktime(&day);
    CHECK(!strcmp(campaign_timeliness(last_minute, "2009-08-31"), "按时"), "the deadline's last minute");
    CHECK(!strcmp(campaign_timeliness(last_minute + 120, "2009-08-31"), "逾期"), "the next day");
    CHECK(!strcmp(campaign_timeliness(0, "2009-08-31"), "未报"), "never");
    CHECK(!strcmp(campaign_timeliness(last_minute, NULL), "已报"), "no deadline");
}

int main(void)
{
    test_escaping();
    test_frame();
    test_settings();
    test_worker_messages();
    test_cookies();
    test_routes();
    test_kinds();
    test_campaign_view();
    return check_summary();
}
