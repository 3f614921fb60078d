/* The proofreader (proofread.h).
 *
 * Why over the block tree, before layout, and not over the record's XML:
 * the tree holds exactly the text that will be printed, each run with its
 * record file, line and field (as the "no font has it" warning uses them),
 * after Markdown has taken its own marks away (`1\.`, `**`, a link's URL
 * are not text of the page) and with a Markdown body already split into
 * its paragraphs and headings, so "the start of a numbered paragraph" is
 * the start of a block.  Fields the template never prints (codes, ids)
 * are not proofread, and neither is the template's own text.  It runs in
 * pipeline_lay_out_and_write, so render, check, batch and bundles all
 * pass it.  The cost: a run's line is its paragraph's first line.
 *
 * Each paragraph's runs are joined into one string (a slip may straddle
 * two runs: **联系人**:王明), each rule scans that string, and a finding is
 * said with the origin of the run that holds its key character. */
#define _GNU_SOURCE
#include "proofread.h"

#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "i18n.h"
#include "utf8.h"
#include "util.h"

/* A numbered paragraph of the flow, for the order of heading levels. */
typedef struct heading {
    int level; /* 1 一、 2 （一） 3 1． 4 （1） */
    const run *at;
    char excerpt[48];
} heading;

/* Lives on proofread_document's stack. */
typedef struct proof {
    diag_list *diags;
    size_t found;
    /* the paragraph at hand: its runs' texts joined */
    char *text;
    size_t len, cap;
    size_t *starts; /* byte offset of each run's text in `text` */
    const run **runs;
    size_t nruns, runs_cap;
    /* the numbered paragraphs of the field at hand */
    heading *headings;
    size_t nheadings, headings_cap;
    const char *scope_file, *scope_field;
} proof;

/* ---- Characters -------------------------------------------------------- */

static int is_han(uint32_t c)
{
    return (c >= 0x4E00 && c <= 0x9FFF) || (c >= 0x3400 && c <= 0x4DBF) ||
           (c >= 0xF900 && c <= 0xFAFF) || (c >= 0x20000 && c <= 0x3FFFF) || c == 0x3007;
}

/* Chinese text: Han, CJK and full-width punctuation, and the quotes,
 * dash and ellipsis Chinese text uses. */
static int is_chinese(uint32_t c)
{
    return is_han(c) || (c >= 0x3000 && c <= 0x303F) || (c >= 0xFF01 && c <= 0xFF5E) ||
           c == 0x201C || c == 0x201D || c == 0x2018 || c == 0x2019 || c == 0x2014 ||
           c == 0x2026;
}

static int is_digit(uint32_t c)
{
    return c >= '0' && c <= '9';
}

static int is_latin(uint32_t c)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

/* The code point at s[i] (0 at the end) and its length. */
static uint32_t cp_at(const char *s, size_t len, size_t i, int *n)
{
    uint32_t c = 0;
    int k = i < len ? utf8_next(s + i, len - i, &c) : 0;
    if (n)
        *n = k > 0 ? k : 1;
    return k > 0 ? c : 0;
}

/* The start of the code point before s[i]. */
static size_t cp_back(const char *s, size_t i)
{
    while (i > 0 && ((unsigned char)s[--i] & 0xC0) == 0x80)
        ;
    return i;
}

/* The code point before s[i], 0 at the start. */
static uint32_t cp_before(const char *s, size_t len, size_t i)
{
    return i == 0 ? 0 : cp_at(s, len, cp_back(s, i), NULL);
}

/* The offset `count` code points on from i, never past a line's end. */
static size_t cps_on(const char *s, size_t len, size_t i, int count)
{
    for (int k = 0; k < count && i < len && s[i] != '\n'; k++) {
        int n;
        cp_at(s, len, i, &n);
        i += n;
    }
    return i;
}

static size_t cps_back(const char *s, size_t i, int count)
{
    for (int k = 0; k < count && i > 0 && s[i - 1] != '\n'; k++)
        i = cp_back(s, i);
    return i;
}

static int has_han(const char *s, size_t len, size_t from, size_t to)
{
    for (size_t i = from; i < to;) {
        int n;
        if (is_han(cp_at(s, len, i, &n)))
            return 1;
        i += n;
    }
    return 0;
}

/* ---- Saying it --------------------------------------------------------- */

/* The run holding text[off]. */
static const run *run_at(const proof *p, size_t off)
{
    size_t lo = 0, hi = p->nruns;
    while (hi - lo > 1) {
        size_t mid = (lo + hi) / 2;
        if (p->starts[mid] <= off)
            lo = mid;
        else
            hi = mid;
    }
    return p->nruns ? p->runs[lo] : NULL;
}

/* The record's text: a run with a file and a field that is not the
 * template's. */
static int is_record_text(const run *r)
{
    return r && r->origin.file && r->origin.field && strcmp(r->origin.field, "template") != 0;
}

/* One slip, said of run r: `what` is the text as written, the rest the
 * message after it. */
static void say(proof *p, const run *r, const char *what, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));
static void say(proof *p, const run *r, const char *what, const char *fmt, ...)
{
    p->found++;
    if (p->found > PROOFREAD_MAX_WARNINGS)
        return;
    va_list ap;
    va_start(ap, fmt);
    char *rest = xvasprintf(_(fmt), ap);
    va_end(ap);
    diag_add(p->diags, DIAG_WARNING, r->origin.file, r->origin.line, "%s: \"%s\": %s",
             r->origin.field, what, rest);
    free(rest);
}

/* text[from, to) with text[at, at + n) replaced by `with`; `what` gets
 * text[from, to) as written. */
static char *replaced(const proof *p, size_t from, size_t to, size_t at, size_t n,
                      const char *with)
{
    return xasprintf("%.*s%s%.*s", (int)(at - from), p->text + from, with,
                     (int)(to - at - n), p->text + at + n);
}

static void say_fixed(proof *p, size_t key, size_t from, size_t to, const char *fix,
                      const char *why)
{
    const run *r = run_at(p, key);
    if (!is_record_text(r))
        return;
    char *what = xstrndup(p->text + from, to - from);
    say(p, r, what, why, fix);
    free(what);
}

/* ---- Rule: half-width , ; : ? ! in Chinese text ------------------------ */

static const char *full_width_of(char c)
{
    switch (c) {
    case ',': return "，";
    case ';': return "；";
    case ':': return "：";
    case '?': return "？";
    case '!': return "！";
    case '(': return "（";
    case ')': return "）";
    default: return NULL;
    }
}

/* A mark with Chinese before it and Chinese, a number or nothing after it
 * (spaces skipped): 联系人:王明, 时间:10:30 (the first colon only), 好!
 * Not 1,000 or 10:30 (a digit before), not E-mail: or Tel: (Latin before). */
static void check_mark(proof *p, size_t i)
{
    const char *s = p->text;
    size_t len = p->len, j = i + 1;
    while (j < len && s[j] == ' ')
        j++;
    uint32_t before = cp_before(s, len, i), after = cp_at(s, len, j, NULL);
    if (!is_chinese(before) || !(is_chinese(after) || is_digit(after) || after == 0 || after == '\n'))
        return;
    size_t from = cps_back(s, i, 3), to = cps_on(s, len, j, 3);
    char *fix = replaced(p, from, to, i, j - i, full_width_of(s[i]));
    char why[128];
    snprintf(why, sizeof why, _("a half-width %c in Chinese text; write the full-width %s (%%s)"),
             s[i], full_width_of(s[i]));
    say_fixed(p, i, from, to, fix, why);
    free(fix);
}

/* ( ) in Chinese text: a pair with Chinese beside it or inside it, as
 * 电话(传真) or (1)加强, becomes （）; a lone one beside Chinese too.
 * Returns the offset to go on from (past a pair said at once). */
static size_t check_paren(proof *p, size_t i)
{
    const char *s = p->text;
    size_t len = p->len, close = i + 1;
    if (s[i] == '(') {
        while (close < len && close - i < 120 && s[close] != ')' && s[close] != '(' &&
               s[close] != '\n')
            close++;
        if (close < len && s[close] == ')') {
            int n;
            uint32_t before = cp_before(s, len, i), after = cp_at(s, len, close + 1, &n);
            if (!is_chinese(before) && !is_chinese(after) && !has_han(s, len, i + 1, close))
                return close + 1;
            char *inner = xstrndup(s + i + 1, close - i - 1);
            char *fix = xasprintf("（%s）", inner);
            say_fixed(p, i, i, close + 1, fix,
                      "half-width brackets in Chinese text; write （） (%s)");
            free(inner), free(fix);
            return close + 1;
        }
    }
    /* alone */
    if (is_chinese(cp_before(s, len, i)) || is_chinese(cp_at(s, len, i + 1, NULL))) {
        size_t from = cps_back(s, i, 3), to = cps_on(s, len, i + 1, 3);
        char *fix = replaced(p, from, to, i, 1, full_width_of(s[i]));
        char why[128];
        snprintf(why, sizeof why, _("a half-width %c in Chinese text; write the full-width %s (%%s)"),
                 s[i], full_width_of(s[i]));
        say_fixed(p, i, from, to, fix, why);
        free(fix);
    }
    return i + 1;
}

/* ---- Rule: straight quotes ---------------------------------------------- */

/* An excerpt of text[from, to): at most `max` code points, then "…". */
static char *excerpt(const proof *p, size_t from, size_t to, int max)
{
    size_t cut = cps_on(p->text, to, from, max);
    return cut < to ? xasprintf("%.*s…", (int)(cut - from), p->text + from)
                    : xstrndup(p->text + from, to - from);
}

/* "..." around or beside Chinese → “...”; '...' around Chinese → ‘...’
 * (a lone ' is an apostrophe: it's). */
static size_t check_quote(proof *p, size_t i)
{
    const char *s = p->text;
    size_t len = p->len, close = i + 1;
    char q = s[i];
    while (close < len && close - i < 400 && s[close] != q && s[close] != '\n')
        close++;
    int paired = close < len && s[close] == q;
    if (!paired) {
        if (q == '"' && (is_chinese(cp_before(s, len, i)) || is_chinese(cp_at(s, len, i + 1, NULL)))) {
            size_t from = cps_back(s, i, 3), to = cps_on(s, len, i + 1, 3);
            char *fix = replaced(p, from, to, i, 1, "“");
            say_fixed(p, i, from, to, fix, "a straight quote in Chinese text; write “ or ” (%s)");
            free(fix);
        }
        return i + 1;
    }
    int chinese = has_han(s, len, i + 1, close);
    if (q == '"')
        chinese = chinese || is_chinese(cp_before(s, len, i)) ||
                  is_chinese(cp_at(s, len, close + 1, NULL));
    else /* 'x' inside a Latin word is an apostrophe's business */
        chinese = chinese && !is_latin(cp_before(s, len, i)) &&
                  !is_latin(cp_at(s, len, close + 1, NULL));
    if (chinese) {
        char *inner = excerpt(p, i + 1, close, 12);
        char *what = xasprintf("%c%s%c", q, inner, q);
        char *fix = xasprintf(q == '"' ? "“%s”" : "‘%s’", inner);
        const run *r = run_at(p, i);
        if (is_record_text(r))
            say(p, r, what, "straight quotes in Chinese text; write %s (%s)",
                q == '"' ? "“”" : "‘’", fix);
        free(inner), free(what), free(fix);
    }
    return close + 1;
}

/* ---- Rule: ranges with a hyphen ------------------------------------------ */

/* Words a number of things is counted or measured in (量词, units).  Not
 * 年 月 日 号 时 点: a span of time (2009-2010年, 5-6月) may keep its
 * hyphen (GB/T 15834-2011 4.13.3.2), and 号 is as often a house number
 * (天目山路222-1号). */
static const char *const units[] = {
    "家", "个", "人", "名", "位", "次", "件", "项", "天", "周", "小时", "分钟", "秒",
    "元", "万", "亿", "千", "百", "岁", "倍", "米", "公里", "千米", "厘米", "毫米",
    "平方米", "立方米", "吨", "公斤", "千克", "克", "斤", "台", "套", "批", "份", "条",
    "款", "所", "户", "间", "辆", "页", "层", "篇", "本", "张", "种", "类", "组", "座",
    "栋", "株", "头", "只", "例", "枚", "部", "处", "轮", "期", "届", "度", "%", "％",
    "℃", "kg", "km", "cm", "mm", "m²",
};

static int unit_at(const char *s, size_t len, size_t i)
{
    for (size_t k = 0; k < sizeof units / sizeof *units; k++) {
        size_t n = strlen(units[k]);
        if (n <= len - i && memcmp(s + i, units[k], n) == 0)
            return 1;
    }
    return 0;
}

/* A number [0-9]+(.[0-9]+)? ending at `end` (exclusive): its start, or
 * `end` when there is none. */
static size_t number_back(const char *s, size_t end)
{
    size_t i = end;
    while (i > 0 && is_digit((unsigned char)s[i - 1]))
        i--;
    if (i > 1 && i < end && s[i - 1] == '.' && is_digit((unsigned char)s[i - 2])) {
        i--;
        while (i > 0 && is_digit((unsigned char)s[i - 1]))
            i--;
    }
    return i;
}

static size_t number_on(const char *s, size_t len, size_t from)
{
    size_t i = from;
    while (i < len && is_digit((unsigned char)s[i]))
        i++;
    if (i > from && i + 1 < len && s[i] == '.' && is_digit((unsigned char)s[i + 1]))
        for (i++; i < len && is_digit((unsigned char)s[i]);)
            i++;
    return i;
}

/* Part of a longer code: a letter, digit, or one of . - / _ # : @ beside. */
static int code_char(uint32_t c)
{
    return is_digit(c) || is_latin(c) || (c && strchr(".-/_#:@+", (int)c) && c < 0x80);
}

/* 3-5家, 1.5-2米, 抽查3-5之间 → 3～5.  A leading zero (0571-...) is a
 * telephone number's; a falling pair (12-3) no range; two years between
 * Chinese (于2009-2010实施) a span of time. */
static void check_range(proof *p, size_t i)
{
    const char *s = p->text;
    size_t len = p->len, a = number_back(s, i), b_end = number_on(s, len, i + 1);
    if (a == i || b_end == i + 1)
        return;
    if (code_char(cp_before(s, len, a)) || code_char(cp_at(s, len, b_end, NULL)))
        return;
    if ((s[a] == '0' && a + 1 < i && s[a + 1] != '.') ||
        (s[i + 1] == '0' && i + 2 < b_end && s[i + 2] != '.'))
        return;
    double lo = strtod(s + a, NULL), hi = strtod(s + i + 1, NULL);
    if (!(lo < hi) || i - a > 6 || b_end - i - 1 > 6)
        return;
    int unit = unit_at(s, len, b_end);
    int prose = is_han(cp_before(s, len, a)) && is_han(cp_at(s, len, b_end, NULL)) &&
                !(lo >= 1900 && hi <= 2100);
    if (!unit && !prose)
        return;
    size_t to = cps_on(s, len, b_end, unit ? 1 : 0);
    if (unit) /* the whole unit: 小时, 平方米 */
        for (size_t k = 0; k < sizeof units / sizeof *units; k++)
            if (strlen(units[k]) <= len - b_end && memcmp(s + b_end, units[k], strlen(units[k])) == 0 &&
                b_end + strlen(units[k]) > to)
                to = b_end + strlen(units[k]);
    char *fix = replaced(p, a, to, i, 1, "～");
    say_fixed(p, i, a, to, fix, "a range is written with ～ (%s), not a hyphen");
    free(fix);
}

/* ---- The paragraph's text ------------------------------------------------ */

static void join_runs(proof *p, const block *para)
{
    p->len = 0, p->nruns = 0;
    for (size_t k = 0; k < para->nruns; k++) {
        const run *r = &para->runs[k];
        const char *t = r->kind == RUN_TEXT ? r->text : r->kind == RUN_BREAK ? "\n" : "";
        size_t n = t ? strlen(t) : 0;
        if (p->nruns == p->runs_cap) {
            p->runs_cap = p->runs_cap ? p->runs_cap * 2 : 16;
            p->runs = xrealloc(p->runs, p->runs_cap * sizeof *p->runs);
            p->starts = xrealloc(p->starts, p->runs_cap * sizeof *p->starts);
        }
        p->runs[p->nruns] = r, p->starts[p->nruns++] = p->len;
        if (p->len + n + 1 > p->cap)
            p->text = xrealloc(p->text, p->cap = (p->len + n + 1) * 2);
        memcpy(p->text + p->len, t ? t : "", n);
        p->len += n;
    }
    if (!p->text)
        p->text = xmalloc(p->cap = 64);
    p->text[p->len] = '\0';
}

/* The rules of the characters, over the joined text. */
static void check_text(proof *p)
{
    for (size_t i = 0; i < p->len;) {
        switch (p->text[i]) {
        case ',': case ';': case ':': case '?': case '!':
            check_mark(p, i);
            i++;
            break;
        case '(': case ')':
            i = check_paren(p, i);
            break;
        case '"': case '\'':
            i = check_quote(p, i);
            break;
        case '-':
            check_range(p, i);
            i++;
            break;
        default:
            i++;
        }
    }
}

/* ---- Numbered paragraphs ------------------------------------------------- */

static int is_chinese_numeral(uint32_t c)
{
    static const uint32_t numerals[] = {0x4E00, 0x4E8C, 0x4E09, 0x56DB, 0x4E94, 0x516D, 0x4E03,
                                        0x516B, 0x4E5D, 0x5341, 0x767E, 0x96F6, 0x3007};
    for (size_t k = 0; k < sizeof numerals / sizeof *numerals; k++)
        if (c == numerals[k])
            return 1;
    return 0;
}

static int is_any_digit(uint32_t c)
{
    return is_digit(c) || (c >= 0xFF10 && c <= 0xFF19);
}

/* The level of the number a paragraph starts with (0: none), after its
 * spaces; *start and *end get where the number is, *slip 1 when it is a
 * third level written 1、 or 1.字. */
static int number_level(const char *s, size_t len, size_t *start, size_t *end, int *slip)
{
    size_t i = 0;
    int n;
    *slip = 0;
    while (i < len && (s[i] == ' ' || cp_at(s, len, i, NULL) == 0x3000))
        i += s[i] == ' ' ? 1 : 3;
    *start = i;
    uint32_t c = cp_at(s, len, i, &n);
    int paren = c == 0xFF08 || c == '(';
    size_t j = paren ? i + n : i, first = j;
    int chinese = 0, digits = 0;
    for (;; j += n) {
        c = cp_at(s, len, j, &n);
        if (is_chinese_numeral(c) && !digits)
            chinese = 1;
        else if (is_any_digit(c) && !chinese)
            digits++;
        else
            break;
    }
    if (j == first || digits > 3) /* 2009、2010年: years, not a number */
        return 0;
    *end = j + n;
    if (paren)
        return c == 0xFF09 || c == ')' ? (chinese ? 2 : 4) : 0;
    if (chinese)
        return c == 0x3001 ? 1 : 0; /* 一、 */
    if (c == 0xFF0E) /* 1． */
        return 3;
    uint32_t next = cp_at(s, len, j + n, NULL);
    if (c == 0x3001 || (c == '.' && is_chinese(next))) {
        *slip = 1;
        return 3;
    }
    return 0;
}

static const char *const level_names[] = {"", "一、", "（一）", "1．", "（1）"};

/* A numbered paragraph of the field: its third level's form, and the
 * order of levels.  A level L beginning (no L since the last number above
 * it) after a deeper one came first: that deeper one is out of order. */
static void check_numbered(proof *p)
{
    size_t start = 0, end = 0;
    int slip = 0, level = number_level(p->text, p->len, &start, &end, &slip);
    const run *r = p->nruns ? p->runs[0] : NULL;
    if (!level || !is_record_text(r))
        return;
    size_t to = cps_on(p->text, p->len, end, 4);
    char *what = xstrndup(p->text + start, to - start);
    if (slip) {
        size_t mark = cp_back(p->text, end); /* the 、 or . */
        char *fix = replaced(p, start, to, mark, end - mark, "．");
        say(p, r, what, "a third-level number is written %.*s． (full-width full stop), not %.*s (%s)",
            (int)(mark - start), p->text + start, (int)(end - start), p->text + start, fix);
        free(fix);
    }
    size_t parent = p->nheadings; /* the last number above this level */
    while (parent > 0 && p->headings[parent - 1].level >= level)
        parent--;
    int begins = 1;
    for (size_t k = parent; k < p->nheadings; k++)
        if (p->headings[k].level == level)
            begins = 0;
    for (size_t k = parent; begins && k < p->nheadings; k++)
        if (p->headings[k].level > level) {
            heading *h = &p->headings[k];
            say(p, h->at, h->excerpt,
                "heading levels out of order: a %s comes before any %s (GB/T 9704 7.3.3: "
                "一、 （一） 1． （1）)",
                level_names[h->level], level_names[level]);
            break;
        }
    if (p->nheadings < 4096) {
        GROW(p->headings, p->nheadings, p->headings_cap);
        heading *h = &p->headings[p->nheadings++];
        h->level = level, h->at = r;
        snprintf(h->excerpt, sizeof h->excerpt, "%s", what);
        if (strlen(what) >= sizeof h->excerpt) /* cut whole: back to a character's start */
            h->excerpt[cp_back(h->excerpt, sizeof h->excerpt - 1)] = '\0';
    }
    free(what);
}

/* ---- The tree ------------------------------------------------------------ */

static void check_para(proof *p, const block *para, int numbered)
{
    join_runs(p, para);
    if (p->len == 0)
        return;
    check_text(p);
    if (!numbered)
        return;
    const run *r = p->runs[0];
    const char *file = r->origin.file, *field = r->origin.field;
    if (!file || !field || !p->scope_file || strcmp(file, p->scope_file) != 0 ||
        strcmp(field, p->scope_field) != 0)
        p->nheadings = 0; /* another field: its numbers start afresh */
    p->scope_file = file ? file : "", p->scope_field = field ? field : "";
    check_numbered(p);
}

static void check_block(proof *p, const block *b, int flow)
{
    switch (b->kind) {
    case BLOCK_PARA:
        check_para(p, b, flow);
        break;
    case BLOCK_STACK:
        for (size_t i = 0; i < b->nlines; i++)
            check_para(p, &b->lines[i], 0);
        break;
    case BLOCK_TABLE:
        for (size_t r = 0; r < b->table->nrows; r++)
            for (size_t c = 0; c < b->table->rows[r].ncells; c++) {
                const table_cell *cell = &b->table->rows[r].cells[c];
                for (size_t k = 0; k < cell->ncontent; k++)
                    check_para(p, &cell->content[k], 0);
            }
        break;
    default:
        break;
    }
}

static void check_list(proof *p, const block_list *list, int flow)
{
    for (size_t i = 0; i < list->n; i++)
        check_block(p, &list->items[i], flow);
}

size_t proofread_document(const document *doc, diag_list *diags)
{
    proof p = {.diags = diags};
    check_list(&p, &doc->flow, 1);
    p.nheadings = 0;
    check_list(&p, &doc->foot, 0);
    if (p.found > PROOFREAD_MAX_WARNINGS)
        diag_add(diags, DIAG_WARNING, NULL, 0, "and %zu more slips of the same kinds, not listed",
                 p.found - PROOFREAD_MAX_WARNINGS);
    free(p.text), free(p.starts), free(p.runs), free(p.headings);
    return p.found;
}

/* ---- A bundle's attachment and its name in the 附件说明 ------------------- */

/* text without ASCII white space and U+3000 (the list collapses white
 * space; a title may be set with ideographic spaces). */
static char *without_space(const char *text, size_t len)
{
    char *out = xmalloc(len + 1);
    size_t n = 0;
    for (size_t i = 0; i < len; i++) {
        if (text[i] == ' ' || text[i] == '\t' || text[i] == '\n' || text[i] == '\r')
            continue;
        if (i + 2 < len && memcmp(text + i, "\u3000", 3) == 0) {
            i += 2;
            continue;
        }
        out[n++] = text[i];
    }
    out[n] = '\0';
    return out;
}

static int para_is(proof *p, const block *para, const char *want)
{
    join_runs(p, para);
    char *have = without_space(p->text, p->len);
    int same = strcmp(have, want) == 0;
    free(have);
    return same;
}

int proofread_attachment_title(const document *attachment, const proofread_entry *entry,
                               diag_list *diags)
{
    proof p = {.diags = diags};
    char *want = without_space(entry->title, strlen(entry->title));
    int found = 0;
    /* its title is on its first page: the blocks before the first page
     * break, and never more than a page holds */
    for (size_t i = 0; i < attachment->flow.n && i < 200 && !found; i++) {
        const block *b = &attachment->flow.items[i];
        if (b->kind == BLOCK_PAGE_BREAK && i > 0)
            break;
        if (b->kind == BLOCK_PARA)
            found = para_is(&p, b, want);
        for (size_t k = 0; b->kind == BLOCK_STACK && k < b->nlines && !found; k++)
            found = para_is(&p, &b->lines[k], want);
    }
    int warned = !found && *want;
    if (warned)
        diag_add(diags, DIAG_WARNING, entry->file, entry->line,
                 "attachment: \"%s\": the 附件说明 names %s so, and its first page prints no "
                 "such title; make the two the same",
                 entry->title, entry->label);
    free(want), free(p.text), free(p.starts), free(p.runs);
    return warned;
}
