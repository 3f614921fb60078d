/* The records the campaign's end makes: the public list of demonstration
 * enterprises (<public-list>), the exposure list of serious violators
 * (<exposure-list>) and the draft 通报 of the bodies (<notice>).  Each is
 * a draft the office reads before it issues it: the 发文字号 is a
 * placeholder unless given, and what the program left out is said in
 * comments the templates do not print. */
#define _GNU_SOURCE
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "campaign_internal.h"
#include "util.h"

/* ------------------------------------------------------------ helpers */

static xmlNode *add(xmlNode *parent, const char *name, const char *text)
{
    return xmlNewTextChild(parent, NULL, (const xmlChar *)name, (const xmlChar *)text);
}

static void set(xmlNode *n, const char *name, const char *value)
{
    xmlNewProp(n, (const xmlChar *)name, (const xmlChar *)value);
}

/* A comment that cannot end early: "--" inside is written "- -". */
static void comment(xmlNode *parent, const char *text)
{
    char *safe = xmalloc(2 * strlen(text) + 3), *o = safe;
    *o++ = ' ';
    for (const char *p = text; *p; p++) {
        *o++ = *p;
        if (*p == '-' && (p[1] == '-' || p[1] == '\0'))
            *o++ = ' ';
    }
    *o++ = ' ', *o = '\0';
    xmlAddChild(parent, xmlNewComment((const xmlChar *)safe));
    free(safe);
}

static char *today(void)
{
    time_t now = time(NULL);
    struct tm tm;
    localtime_r(&now, &tm);
    char buf[16];
    strftime(buf, sizeof buf, "%Y-%m-%d", &tm);
    return xstrdup(buf);
}

/* 2009-08-28 as 2009年8月28日. */
static char *cn_date(const char *iso)
{
    int y = 0, m = 0, d = 0;
    if (!iso || sscanf(iso, "%d-%d-%d", &y, &m, &d) != 3)
        return xstrdup(iso ? iso : "");
    return xasprintf("%d年%d月%d日", y, m, d);
}

/* The campaign's <province>, else its issuer's name up to 省:
 * 浙江省质量技术监督局 -> 浙江省 (empty when it names none). */
static char *province_of(const cp_campaign *c)
{
    if (c->province)
        return xstrdup(c->province);
    const char *issuer = c->issuer;
    const char *at = issuer ? strstr(issuer, "省") : NULL;
    return at ? xstrndup(issuer, (size_t)(at - issuer) + strlen("省")) : xstrdup("");
}

/* The office's code of the launching notice, for a placeholder number:
 * 浙质评发〔2009〕195号 -> 浙质评发 (`drop_fa`: 浙质评). */
static char *office_code(const cp_campaign *c, int drop_fa)
{
    const char *notice = c->notice ? c->notice : "";
    const char *at = strstr(notice, "〔");
    char *code = at ? xstrndup(notice, (size_t)(at - notice)) : xstrdup("");
    size_t n = strlen(code), fa = strlen("发");
    if (drop_fa && n > fa && !strcmp(code + n - fa, "发"))
        code[n - fa] = '\0';
    return code;
}

/* The root with issuer, 发文字号 and title; a comment says when the
 * number is a placeholder. */
static xmlDoc *new_record(const char *root_name, xmlNode **root)
{
    xmlDoc *doc = xmlNewDoc((const xmlChar *)"1.0");
    *root = xmlNewDocNode(doc, NULL, (const xmlChar *)root_name, NULL);
    xmlDocSetRootElement(doc, *root);
    return doc;
}

static void add_number(xmlNode *root, const cp_campaign *c, const cp_issue *is, const char *kind)
{
    if (is->doc_number) {
        add(root, "doc-number", is->doc_number);
        return;
    }
    char *code = office_code(c, *kind != '\0'), *number;
    number = xasprintf("%s%s〔%s〕1号", *code ? code : "发文", kind, c->year);
    comment(root, "发文字号: a placeholder; write the number the office gives this document, "
                  "or make the record again giving that number (the doc-number option of gen campaign)");
    add(root, "doc-number", number);
    free(code), free(number);
}

static void add_closing(xmlNode *root, const cp_campaign *c, const cp_issue *is)
{
    char *date = is->date ? xstrdup(is->date) : today();
    add(root, "signature", c->issuer);
    add(root, "date", date);
    free(date);
}

/* --------------------------------------------------------- public list */

/* The roster's cities in its order: the list's groups (demo-list,
 * exposure-list), whatever the province. */
static void add_cities(xmlNode *root, const cp_campaign *c)
{
    if (c->n_cities == 0)
        return;
    xmlNode *cities = add(root, "cities", NULL);
    for (size_t k = 0; k < c->n_cities; k++)
        add(cities, "city", c->cities[k].name);
}

/* The nominees of city `city` (NULL: of no city of the roster), in the
 * roster's order of their bodies. */
static void add_entries(xmlNode *entries, const cp_folder *f, const char *city)
{
    const cp_campaign *c = &f->campaign;
    for (size_t b = 0; b < c->n_bodies; b++)
        for (size_t i = 0; i < f->n_rows; i++) {
            const cp_row *r = &f->rows[i];
            const cp_record *rec = &f->records[r->record];
            if (r->kind != CP_NOMINEE || r->excluded_by >= 0 || rec->body != (long)b)
                continue;
            int in_roster = 0;
            for (size_t k = 0; k < c->n_cities && !in_roster; k++)
                in_roster = r->region && !strcmp(r->region, c->cities[k].name);
            if (city ? !(r->region && !strcmp(r->region, city)) : in_roster)
                continue;
            const char *type = r->cert_type;
            if (!type && r->certified_by != (size_t)-1)
                type = f->rows[r->certified_by].cert_type;
            if (!type)
                continue; /* said in the comment of those left out */
            /* the name as the certificate's body writes it, when found: a
             * nomination may have it with a stray space or 有限责任公司 */
            const char *name = r->certified_by != (size_t)-1 ? f->rows[r->certified_by].name : r->name;
            xmlNode *e = add(entries, "entry", NULL);
            add(e, "enterprise", name);
            add(e, "region", r->region);
            add(e, "certification", cp_type_label(f, type));
            add(e, "nominator", c->bodies[b].name);
        }
}

static void comment_left_out(xmlNode *root, const cp_folder *f, const diag_list *findings)
{
    size_t n = 0;
    char *text = xstrdup("Left out of the list (read before publishing; not printed):");
    for (size_t i = 0; i < f->n_rows; i++) {
        const cp_row *r = &f->rows[i];
        if (r->kind != CP_NOMINEE)
            continue;
        const char *why = NULL;
        char *own = NULL;
        if (r->excluded_by >= 0) {
            const diag *d = &findings->items[r->excluded_by];
            why = own = xasprintf("%s (%s): %s:%d: %s", r->name, f->records[r->record].who, d->file,
                                  d->line, d->message);
        } else if (!r->cert_type && (r->certified_by == (size_t)-1 || !f->rows[r->certified_by].cert_type))
            why = own = xasprintf("%s:%d: %s: its 认证类型 \"%s\" is none of the certificate types",
                                  f->records[r->record].file, r->line, r->name, r->certification);
        if (why) {
            char *more = xasprintf("%s\n  %zu. %s", text, ++n, why);
            free(text);
            text = more;
        }
        free(own);
    }
    if (n)
        comment(root, text);
    free(text);
}

xmlDoc *cp_public_list(const cp_folder *f, const diag_list *findings, const cp_issue *is)
{
    const cp_campaign *c = &f->campaign;
    xmlNode *root;
    xmlDoc *doc = new_record("public-list", &root);
    set(root, "kind", "demonstration");
    set(root, "year", c->year);
    add(root, "issuer", c->issuer);
    add_number(root, c, is, "公告");
    char *province = province_of(c);
    char *title = xasprintf("关于公布%s年度%s认证示范企业名单的公告", c->year, province);
    add(root, "title", title);
    char *body = xasprintf("根据%s文件要求，经认证机构推荐、各市局审核，现将%s年度%s认证示范企业"
                           "名单予以公布（名单附后）。\n\n希望示范企业珍惜荣誉，持续改进，充分发挥示范带动作用。",
                           c->notice, c->year, province);
    set(add(root, "body", body), "format", "markdown");
    add_cities(root, c);
    xmlNode *entries = add(root, "entries", NULL);
    for (size_t k = 0; k < c->n_cities; k++)
        add_entries(entries, f, c->cities[k].name);
    add_entries(entries, f, NULL);
    add_closing(root, c, is);
    comment_left_out(root, f, findings);
    free(province), free(title), free(body);
    return doc;
}

/* ------------------------------------------------------- exposure list */

static void add_violators(xmlNode *entries, const cp_folder *f, long city)
{
    for (size_t i = 0; i < f->n_records; i++) {
        const cp_record *rec = &f->records[i];
        if (rec->kind != CP_INSPECTION || rec->city != city)
            continue;
        for (size_t k = rec->first_row; k < rec->first_row + rec->n_rows; k++) {
            const cp_row *r = &f->rows[k];
            xmlNode *e = add(entries, "entry", NULL);
            add(e, "enterprise", r->name);
            add(e, "region", city >= 0 ? f->campaign.cities[city].name : rec->who);
            add(e, "county", r->county);
            xmlNode *cert = add(e, "certificate", NULL);
            set(cert, "no", r->cert_no);
            set(cert, "type", r->cert_type);
            add(e, "product", r->product);
            add(e, "problem", r->problem);
            add(e, "action", r->action);
        }
    }
}

xmlDoc *cp_exposure_list(const cp_folder *f, const cp_issue *is)
{
    const cp_campaign *c = &f->campaign;
    xmlNode *root;
    xmlDoc *doc = new_record("exposure-list", &root);
    set(root, "year", c->year);
    add(root, "issuer", c->issuer);
    add_number(root, c, is, "公告");
    char *province = province_of(c);
    char *title = xasprintf("关于曝光%s年度%s认证严重违法企业名单的公告", c->year, province);
    add(root, "title", title);
    char *body = xasprintf("根据%s文件要求，各市质量技术监督局对辖区内获证企业开展了认证监督检查。"
                           "现将检查中发现的具有严重违法行为的认证企业名单予以曝光（名单附后）。\n\n"
                           "有关认证机构应依法处理其认证证书，各地应督促企业整改。",
                           c->notice);
    set(add(root, "body", body), "format", "markdown");
    add_cities(root, c);
    xmlNode *entries = add(root, "entries", NULL);
    for (size_t k = 0; k < c->n_cities; k++)
        add_violators(entries, f, (long)k);
    add_violators(entries, f, -1);
    add_closing(root, c, is);
    free(province), free(title), free(body);
    return doc;
}

/* ------------------------------------------------------------ bulletin */

/* Does body b deserve praise: its self-check in time, its nominations
 * within the quota and in time? */
static int praised(const cp_campaign *c, const cp_body *b)
{
    return b->self_check >= 0 && !b->late && (long)b->nominated >= c->min && (long)b->nominated <= c->max;
}

/* What body b failed to do, as the 通报 says it. */
static char *failings(const cp_folder *f, const cp_body *b)
{
    const cp_campaign *c = &f->campaign;
    char *deadline = cn_date(c->deadline[0]);
    char *text;
    if (b->self_check < 0)
        text = xasprintf("截至%s未提交自查报告", deadline);
    else {
        char *on = cn_date(f->records[b->self_check].date);
        text = b->late ? xasprintf("%s提交自查报告，晚于规定的%s", on, deadline)
                       : xasprintf("%s按时提交自查报告", on);
        free(on);
    }
    char *more;
    if (b->nominated == 0)
        more = xasprintf("%s；未推荐认证示范企业", text);
    else if ((long)b->nominated < c->min)
        more = xasprintf("%s；推荐认证示范企业%zu家，少于规定的%ld家", text, b->nominated, c->min);
    else if ((long)b->nominated > c->max)
        more = xasprintf("%s；推荐认证示范企业%zu家，超过规定的%ld家", text, b->nominated, c->max);
    else
        more = xasprintf("%s；推荐认证示范企业%zu家", text, b->nominated);
    free(text), free(deadline);
    return more;
}

static char *append(char *text, const char *more)
{
    char *s = xasprintf("%s%s", text, more);
    free(text);
    return s;
}

static char *bulletin_body(const cp_folder *f)
{
    const cp_campaign *c = &f->campaign;
    char *deadline = cn_date(c->deadline[0]);
    char *province = province_of(c);
    char *text = xasprintf("根据%s文件要求，在%s开展认证工作的认证机构须在%s前提交自查报告，"
                           "并推荐%ld至%ld家认证示范企业。现将各认证机构完成情况通报如下：\n\n"
                           "# 一、予以表扬的认证机构\n\n",
                           c->notice, province, deadline, c->min, c->max);
    free(province);
    size_t n = 0;
    for (size_t i = 0; i < c->n_bodies; i++)
        if (praised(c, &c->bodies[i])) {
            char *what = failings(f, &c->bodies[i]);
            char *line = xasprintf("%zu. %s（%s）：%s。\n", ++n, c->bodies[i].name, c->bodies[i].approval_no, what);
            text = append(text, line);
            free(what), free(line);
        }
    if (!n)
        text = append(text, "本次没有按时完成自查并按要求推荐的认证机构。\n");
    text = append(text, n ? "\n以上认证机构按时提交自查报告，推荐数量符合要求，予以通报表扬。\n\n"
                          : "\n");
    text = append(text, "# 二、予以通报批评的认证机构\n\n");
    size_t m = 0;
    for (size_t i = 0; i < c->n_bodies; i++)
        if (!praised(c, &c->bodies[i])) {
            char *what = failings(f, &c->bodies[i]);
            char *line = xasprintf("%zu. %s（%s）：%s。\n", ++m, c->bodies[i].name, c->bodies[i].approval_no, what);
            text = append(text, line);
            free(what), free(line);
        }
    text = append(text, m ? "\n以上认证机构未按要求完成自查或推荐工作，予以通报批评。\n\n"
                          : "本次没有未按要求完成的认证机构。\n\n");
    text = append(text, "# 三、有关要求\n\n被通报批评的认证机构应认真查找原因，采取有效措施，"
                        "尽快补交自查报告和推荐材料，并将整改情况书面报告省局。"
                        "各认证机构要以此为鉴，切实履行认证主体责任，严格规范认证行为。\n");
    free(deadline);
    return text;
}

xmlDoc *cp_bulletin(const cp_folder *f, const cp_issue *is)
{
    const cp_campaign *c = &f->campaign;
    xmlNode *root;
    xmlDoc *doc = new_record("notice", &root);
    add(root, "issuer", c->issuer);
    char *header = xasprintf("%s文件", c->issuer);
    add(root, "header", header);
    add_number(root, c, is, "");
    char *title = xasprintf("关于%s年度认证机构自查和认证示范企业推荐情况的通报", c->year);
    add(root, "title", title);
    add(root, "recipients", "各市质量技术监督局，各有关认证机构：");
    char *body = bulletin_body(f);
    comment(root, "A draft: the office edits the text (Markdown) before issuing it.");
    set(add(root, "body", body), "format", "markdown");
    add_closing(root, c, is);
    char *printer = xasprintf("%s办公室", c->issuer);
    add(root, "printer", printer);
    char *date = is->date ? xstrdup(is->date) : today();
    add(root, "print-date", date);
    free(header), free(title), free(body), free(printer), free(date);
    return doc;
}
