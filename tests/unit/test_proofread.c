/* proofread_document (gen/proofread.c) on block trees built by hand: each
 * rule finds its slip, with the run's file, line and field and the fix,
 * and says nothing of the look-alikes (dates, telephone numbers, codes,
 * 1,000, 10:30, e-mail addresses, Latin text). */
#include <stdlib.h>
#include <string.h>

#include "blocks.h"
#include "check.h"
#include "proofread.h"
#include "util.h"

static const text_style style = {"仿宋", 16, 0, 0, 0};

static void add_para(document *doc, const char *text, const char *field, int line)
{
    block *b = block_list_push(&doc->flow, BLOCK_PARA);
    text_origin o = {"r.xml", field, line};
    block_add_run(b, RUN_TEXT, text, &style, &o);
}

/* The warnings of one paragraph of the field "body" at line 7. */
static size_t proof(const char *text, diag_list *d)
{
    document doc = {0};
    add_para(&doc, text, "body", 7);
    size_t n = proofread_document(&doc, d);
    document_free(&doc);
    return n;
}

static int said(const diag_list *d, const char *part)
{
    for (size_t i = 0; i < d->n; i++)
        if (strstr(d->items[i].message, part))
            return 1;
    return 0;
}

static const char *first(const diag_list *d)
{
    return d->n ? d->items[0].message : "(nothing)";
}

/* One slip: one warning, at r.xml:7, of "body", holding `fix`. */
static void slip(const char *text, const char *fix)
{
    diag_list d = {0};
    size_t n = proof(text, &d);
    CHECK(n == 1 && d.n == 1, "%s: one warning (%zu: %s)", text, n, first(&d));
    CHECK(d.n && d.items[0].level == DIAG_WARNING && d.items[0].line == 7 &&
              strcmp(d.items[0].file, "r.xml") == 0 && strncmp(first(&d), "body: \"", 7) == 0,
          "%s: a warning at r.xml:7 of body (%s)", text, first(&d));
    CHECK(said(&d, fix), "%s: the fix %s is said (%s)", text, fix, first(&d));
    diag_free(&d);
}

static void fine(const char *text)
{
    diag_list d = {0};
    size_t n = proof(text, &d);
    CHECK(n == 0 && d.n == 0, "%s: nothing to say (%s)", text, first(&d));
    diag_free(&d);
}

static void test_third_level(void)
{
    slip("1、组织百家认证机构依法履行认证主体责任", "(1．组织百家)");
    slip("12、加强组织领导", "(12．加强组织)");
    slip("3.加强协调配合", "(3．加强协调)");
    fine("1．组织百家认证机构");
    fine("1.5倍于去年");
    fine("2009年底前完成");
    fine("2009、2010年两年"); /* a year is no paragraph's number */
    fine("要求：1、2两项同时满足"); /* inside a sentence: no heading */
    diag_list d = {0};
    proof("1、组织", &d);
    CHECK(said(&d, "not 1、"), "the number as written is named (%s)", first(&d));
    diag_free(&d);
}

static void test_ranges(void)
{
    slip("抽查3-5家企业", "(3～5家)");
    slip("3-5家", "(3～5家)");
    slip("在3-5个工作日内", "(3～5个)");
    slip("每次1.5-2.5小时", "(1.5～2.5小时)");
    slip("按第3-5条执行", "(3～5条)");
    slip("比例为10-20%以内", "(10～20%)");
    slip("抽取3-5之间的样本", "(3～5)");
    diag_list d = {0};
    proof("抽查3-5家企业", &d);
    CHECK(strcmp(first(&d), "body: \"3-5家\": a range is written with ～ (3～5家), not a hyphen") == 0,
          "the message as the README shows it (%s)", first(&d));
    diag_free(&d);
    /* not ranges */
    fine("于2009-08-04发布");
    fine("日期2009-08-04");
    fine("联系电话0571-80000000转");
    fine("联系电话（传真）：0571-80000000；");
    fine("依据GB/T 9704-2012规定");
    fine("证书编号CQC2009-0123的企业");
    fine("证书编号2009-123-456号");
    fine("2009-2010年度");
    fine("5-6月开展");
    fine("于2009-2010实施");
    fine("天目山路222-1号");
    fine("邮编：310013");
    fine("浙质认〔2009〕12号");
    fine("10-2家");
    fine("E-mail：rzjg@example.org.cn");
    fine("A3-5家");
    slip("0-5家", "(0～5家)"); /* a zero alone is a number like another */
}

static void test_marks(void)
{
    slip("联系人:王明", "(联系人：王明)");
    slip("各单位,请于", "(各单位，请于)");
    slip("是否有效?", "(否有效？)"); /* three characters either side */
    slip("时间: 10:30", "(时间：10:)"); /* the space after it goes */
    slip("我们;他们", "(我们；他们)");
    slip("好!我们", "(好！我们)");
    fine("共计1,000元");
    fine("上午10:30开始");
    fine("E-mail:rzjg@example.org.cn;");
    fine("见http://www.example.cn/a?b=1,2网站");
    fine("Hello, world! Is it? Yes: it is; fine.");
    fine("联系人：王明，电话：0571-80000000。");
}

static void test_parens(void)
{
    slip("联系电话(传真)：", "(（传真）)");
    slip("(1)加强组织", "(（1）)");
    slip("采用PDF(Portable Document Format)格式", "（Portable Document Format）");
    slip("(一)目的和意义", "(（一）)");
    fine("ISO 9001(2015)");
    fine("f(x) = 1");
    fine("（一）目的和意义");
}

static void test_quotes(void)
{
    slip("按照\"谁发证、谁负责\"的原则", "(“谁发证、谁负责”)");
    slip("称为'示范'企业", "(‘示范’)");
    slip("开展\"认证示范企业\"评选", "“认证示范企业”");
    fine("He said \"hello\" twice");
    fine("it's 'fine'");
    fine("按照“谁发证、谁负责”的原则");
}

/* The paragraphs of one field, at lines 1, 2, ...; the warnings. */
static size_t order(const char *const *paras, size_t n, diag_list *d)
{
    document doc = {0};
    for (size_t i = 0; i < n; i++)
        add_para(&doc, paras[i], "body", (int)i + 1);
    size_t found = proofread_document(&doc, d);
    document_free(&doc);
    return found;
}

static void test_heading_order(void)
{
    diag_list d = {0};
    const char *a[] = {"（一）加强领导", "一、总体要求"};
    CHECK(order(a, 2, &d) == 1 && d.n == 1 && d.items[0].line == 1 &&
              said(&d, "a （一） comes before any 一、"),
          "（一） before any 一、: said at its line (%s)", first(&d));
    diag_free(&d);
    const char *b[] = {"一、总体要求", "1．加强领导", "（一）工作目标"};
    CHECK(order(b, 3, &d) == 1 && d.items[0].line == 2 && said(&d, "a 1． comes before any （一）"),
          "1． before any （一） (%s)", first(&d));
    diag_free(&d);
    const char *c[] = {"一、总体", "（一）目标", "1．甲", "（1）乙", "（2）丙", "2．丁", "二、要求", "（一）戊"};
    CHECK(order(c, 8, &d) == 0, "the four levels in order: nothing (%s)", first(&d));
    diag_free(&d);
    const char *e[] = {"一、总体", "1．甲", "2．乙", "二、要求", "1．丙"};
    CHECK(order(e, 5, &d) == 0, "a level skipped (一、 then 1．): nothing (%s)", first(&d));
    diag_free(&d);
    const char *f[] = {"1．甲", "2．乙", "3．丙"};
    CHECK(order(f, 3, &d) == 0, "only 1． numbers: nothing (%s)", first(&d));
    diag_free(&d);
    /* two fields: each its own numbering */
    document doc = {0};
    add_para(&doc, "（一）甲", "summary", 3);
    add_para(&doc, "一、乙", "body", 9);
    CHECK(proofread_document(&doc, &d) == 0, "another field starts afresh (%s)", first(&d));
    document_free(&doc);
    diag_free(&d);
}

static void test_where(void)
{
    diag_list d = {0};
    document doc = {0};
    /* the template's own text is not proofread */
    add_para(&doc, "联系人:王明", "template", 4);
    /* a slip across two runs: said of the run that holds the mark */
    block *b = block_list_push(&doc.flow, BLOCK_PARA);
    text_origin o1 = {"r.xml", "contact-label", 5}, o2 = {"r.xml", "contact", 6};
    block_add_run(b, RUN_TEXT, "联系人", &style, &o1);
    block_add_run(b, RUN_TEXT, ":王明", &style, &o2);
    /* a table cell: the character rules, not the numbering */
    block *t = block_list_push(&doc.flow, BLOCK_TABLE);
    t->table = xcalloc(1, sizeof *t->table);
    table_row *row = table_add_row(t->table);
    text_origin oc = {"r.xml", "measures", 11};
    block_add_run(table_cell_add_para(table_row_add_cell(row)), RUN_TEXT, "1、抽查3-5家", &style, &oc);
    /* the foot (版记) too */
    block *f = block_list_push(&doc.foot, BLOCK_PARA);
    text_origin of = {"r.xml", "copy-to", 20};
    block_add_run(f, RUN_TEXT, "各市局,各认证机构", &style, &of);
    size_t n = proofread_document(&doc, &d);
    document_free(&doc);
    CHECK(n == 3 && d.n == 3, "three slips: the joined runs, the cell, the foot (%zu)", n);
    CHECK(d.n == 3 && d.items[0].line == 6 && strncmp(d.items[0].message, "contact: ", 9) == 0,
          "across runs: the mark's run, line 6 (%s)", first(&d));
    CHECK(d.n == 3 && d.items[1].line == 11 && said(&d, "3～5家") && !said(&d, "third-level"),
          "in a cell: the range, not the number (%s)", d.n > 1 ? d.items[1].message : "");
    CHECK(d.n == 3 && d.items[2].line == 20, "in the foot: line 20");
    diag_free(&d);
}

/* A slip in every row of a long table: said PROOFREAD_MAX_WARNINGS times,
 * then how many more. */
static void test_limit(void)
{
    document doc = {0};
    for (int i = 0; i < 100; i++)
        add_para(&doc, "抽查3-5家", "row", i + 1);
    diag_list d = {0};
    size_t n = proofread_document(&doc, &d);
    document_free(&doc);
    CHECK(n == 100 && d.n == PROOFREAD_MAX_WARNINGS + 1, "100 found, %d said and one more (%zu)",
          PROOFREAD_MAX_WARNINGS, d.n);
    CHECK(d.n && strstr(d.items[d.n - 1].message, "60 more"), "the last says 60 more (%s)",
          d.n ? d.items[d.n - 1].message : "");
    diag_free(&d);
}

/* A bundle's attachment prints the name its 附件说明 entry gives it. */
static void test_attachment_title(void)
{
    proofread_entry e = {"notice.xml", 59, "附件2", "质量管理体系认证示范企业推荐表"};
    diag_list d = {0};
    document doc = {0};
    add_para(&doc, "附件2", "template", 30);
    add_para(&doc, "质量管理体系认证示范企业推荐表", "template", 34);
    CHECK(proofread_attachment_title(&doc, &e, &d) == 0 && d.n == 0, "the title printed: nothing");
    document_free(&doc);

    doc = (document){0};
    add_para(&doc, "质量管理体系　认证示范企业 推荐表", "template", 34);
    CHECK(proofread_attachment_title(&doc, &e, &d) == 0 && d.n == 0,
          "spaces aside, the same title: nothing (%s)", first(&d));
    document_free(&doc);

    doc = (document){0};
    add_para(&doc, "附件2", "template", 30);
    add_para(&doc, "认证示范企业推荐表", "template", 34);
    CHECK(proofread_attachment_title(&doc, &e, &d) == 1 && d.n == 1 && d.items[0].line == 59 &&
              strcmp(d.items[0].file, "notice.xml") == 0 &&
              said(&d, "attachment: \"质量管理体系认证示范企业推荐表\": the 附件说明 names 附件2 so"),
          "another title: a warning at the entry's line (%s)", first(&d));
    document_free(&doc);
    diag_free(&d);

    /* the title on a later page is not the attachment's title */
    doc = (document){0};
    add_para(&doc, "附件2", "template", 30);
    block_list_push(&doc.flow, BLOCK_PAGE_BREAK);
    block_list_push(&doc.flow, BLOCK_PAGE_BREAK);
    add_para(&doc, "质量管理体系认证示范企业推荐表", "template", 34);
    CHECK(proofread_attachment_title(&doc, &e, &d) == 1, "only on its second page: a warning");
    document_free(&doc);
    diag_free(&d);
}

int main(void)
{
    test_third_level();
    test_ranges();
    test_marks();
    test_parens();
    test_quotes();
    test_heading_order();
    test_where();
    test_limit();
    test_attachment_title();
    return check_summary();
}
