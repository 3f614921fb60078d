#define _GNU_SOURCE
#include "import_csv.h"

#include <errno.h>
#include <iconv.h>
#include <stdarg.h>
#include <libxml/xmlregexp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#include "clerk_date.h"
#include "code_lists.h"
#include "csv.h"
#include "excel_number.h"
#include "exit_codes.h"
#include "i18n.h"
#include "record_rows.h"
#include "sheet_xlsx.h"
#include "utf8.h"
#include "util.h"

/* ------------------------------------------------------------------ */
/* The formats: which heading or setting goes where, and what it must be */

/* What a value must be, as the record's schema has it. */
typedef enum {
    VALUE_LINE,     /* a name, an address: not blank */
    VALUE_TEXT,     /* findings, actions: free text, line breaks kept */
    VALUE_MARKDOWN, /* the report, a reason: free text in CommonMark */
    VALUE_NUMBER,   /* a certificate or approval number: no spaces */
    VALUE_DATE,     /* written any way a clerk does, kept as YYYY-MM-DD */
    VALUE_YEAR,
    VALUE_POSTCODE, /* 6 digits */
    VALUE_PHONE,
    VALUE_CODE,     /* a code of a code table, or its Chinese name */
    VALUE_ROWS,     /* (settings only) not a value: where the rows go */
} value_kind;

typedef struct field {
    /* where the value goes: "name" a child element, "@year" an attribute,
     * "certificate/@no" an attribute of a child; NULL: a column that is
     * read and ignored (序号) */
    const char *target;
    /* the headings (or --set labels) a clerk may write, '|'-separated; the
     * first is the one messages name */
    const char *labels;
    value_kind kind;
    const char *list; /* VALUE_CODE: its code list in schemas/codes.rng */
    /* settings: labels of other settings, or headings of columns (their
     * first value), that stand in when the setting is not given */
    const char *fallback;
    int optional;
} field;

/* Two dates, each a column's or a setting's (by target), of which the
 * later may not come before the earlier. */
typedef struct date_order {
    const char *earlier, *later;
} date_order;

typedef struct record_format {
    const char *type; /* --type */
    const char *root; /* the root element; schemas/ROOT.rng checks it */
    const char *row;  /* the element each row becomes */
    const char *ids;  /* rows get id="E00001", ... with this prefix; NULL: none */
    const char *name; /* the column (its target) that names a row in messages */
    const field *columns;
    size_t n_columns;
    const field *settings; /* in the record's order */
    size_t n_settings;
    const date_order *orders;
    size_t n_orders;
} record_format;

/* schemas/self-check.rng requires every one of these, not blank. */
static const field selfcheck_columns[] = {
    {"name", "企业名称", VALUE_LINE, NULL, NULL, 0},
    {"region", "所在地区|所在市", VALUE_LINE, NULL, NULL, 0},
    {"county", "所在县（市、区）|县（市、区）|所在县", VALUE_LINE, NULL, NULL, 0},
    {"address", "企业地址|地址", VALUE_LINE, NULL, NULL, 0},
    {"postcode", "邮政编码|邮编", VALUE_POSTCODE, NULL, NULL, 0},
    {"products", "主要产品", VALUE_LINE, NULL, NULL, 0},
    {"certificate/@no", "证书编号", VALUE_NUMBER, NULL, NULL, 0},
    {"certificate/@type", "认证类型", VALUE_CODE, "certificate-type", NULL, 0},
    {"certificate/@standard", "认证标准|认证依据", VALUE_LINE, NULL, NULL, 0},
    {"certificate/@issued", "发证日期", VALUE_DATE, NULL, NULL, 0},
    {"certificate/@expires", "有效期至|证书有效期", VALUE_DATE, NULL, NULL, 0},
    {"certificate/@status", "证书状态", VALUE_CODE, "certificate-status", NULL, 0},
    {"check/@date", "检查日期", VALUE_DATE, NULL, NULL, 0},
    {"check/@result", "处理结果", VALUE_CODE, "check-result", NULL, 0},
    {"check/findings", "发现的主要问题", VALUE_TEXT, NULL, NULL, 0},
    {"check/actions", "整改措施", VALUE_TEXT, NULL, NULL, 0},
    {NULL, "序号", VALUE_LINE, NULL, NULL, 1},
};

static const field selfcheck_settings[] = {
    {"@year", "年度", VALUE_YEAR, NULL, "检查结束|检查日期", 0},
    {"body/name", "认证机构", VALUE_LINE, NULL, NULL, 0},
    {"body/approval-no", "批准号", VALUE_NUMBER, NULL, NULL, 0},
    {"body/address", "机构地址", VALUE_LINE, NULL, NULL, 0},
    {"body/contact", "联系人", VALUE_LINE, NULL, NULL, 0},
    {"body/phone", "联系电话", VALUE_PHONE, NULL, NULL, 0},
    {"period/@from", "检查开始", VALUE_DATE, NULL, NULL, 0},
    {"period/@to", "检查结束", VALUE_DATE, NULL, NULL, 0},
    {"report", "报告", VALUE_MARKDOWN, NULL, NULL, 0},
    {"enterprises", NULL, VALUE_ROWS, NULL, NULL, 0},
    {"signed-by", "署名", VALUE_LINE, NULL, "认证机构", 0},
    {"date", "日期", VALUE_DATE, NULL, "检查结束", 0},
    /* a report to another province's bureau (selfcheck-report's defaults:
     * 浙江省质量技术监督局, 浙江省) */
    {"recipient", "主送机关", VALUE_LINE, NULL, NULL, 1},
    {"province", "省份|所在省份", VALUE_LINE, NULL, NULL, 1},
};

static const field nominations_columns[] = {
    {"enterprise", "推荐企业|企业名称", VALUE_LINE, NULL, NULL, 0},
    {"region", "所在地区|所在市", VALUE_LINE, NULL, NULL, 0},
    {"address", "企业地址|地址", VALUE_LINE, NULL, NULL, 0},
    {"postcode", "邮政编码|邮编", VALUE_POSTCODE, NULL, NULL, 0},
    {"products", "主要产品", VALUE_LINE, NULL, NULL, 0},
    {"contact", "联系人", VALUE_LINE, NULL, NULL, 0},
    {"phone", "联系电话", VALUE_PHONE, NULL, NULL, 0},
    {"certification", "认证类型", VALUE_LINE, NULL, NULL, 0},
    {"valid-until", "证书有效期|有效期至", VALUE_DATE, NULL, NULL, 0},
    {"reason", "推荐理由", VALUE_MARKDOWN, NULL, NULL, 0},
    {"filled-by", "填表人", VALUE_LINE, NULL, NULL, 0},
    {"reviewed-by", "审核人", VALUE_LINE, NULL, NULL, 0},
    {"filled-on", "填报时间|填表日期", VALUE_DATE, NULL, NULL, 0},
    {NULL, "序号", VALUE_LINE, NULL, NULL, 1},
};

static const field nominations_settings[] = {
    {"@year", "年度", VALUE_YEAR, NULL, "填报时间", 0},
    {"nominator", "推荐单位", VALUE_LINE, NULL, NULL, 0},
    {NULL, NULL, VALUE_ROWS, NULL, NULL, 0},
};

/* A certificate expires after it is issued; the check period ends after
 * it starts, and each enterprise is checked within it. */
static const date_order selfcheck_orders[] = {
    {"certificate/@issued", "certificate/@expires"},
    {"period/@from", "period/@to"},
    {"period/@from", "check/@date"},
    {"check/@date", "period/@to"},
};

#define COUNT(a) (sizeof(a) / sizeof *(a))

static const record_format formats[] = {
    {"selfcheck", "self-check", "enterprise", "E", "name", selfcheck_columns,
     COUNT(selfcheck_columns), selfcheck_settings, COUNT(selfcheck_settings), selfcheck_orders,
     COUNT(selfcheck_orders)},
    {"nominations", "nominations", "nomination", NULL, "enterprise", nominations_columns,
     COUNT(nominations_columns), nominations_settings, COUNT(nominations_settings), NULL, 0},
};

/* A column the importer does not know: its values go into the row as
 * <extra name="HEADING">value</extra>, free text. */
static const field extra_field = {"extra", NULL, VALUE_TEXT, NULL, NULL, 1};

/* The field of `fields` whose target is `target`, or -1. */
static int field_with_target(const field *fields, size_t n, const char *target)
{
    for (size_t i = 0; i < n; i++)
        if (fields[i].target && !strcmp(fields[i].target, target))
            return (int)i;
    return -1;
}

/* The phone pattern of the schemas, so that a number they refuse is the
 * clerk's error here, not a broken record later. */
static const char phone_pattern[] =
    "\\+?[0-9()\\- ]*[0-9]{3}[0-9()\\- ]*(转[0-9]+)?"
    "([、,，;；/] ?\\+?[0-9()\\- ]*[0-9]{3}[0-9()\\- ]*(转[0-9]+)?)*";

static const record_format *format_named(const char *type)
{
    for (size_t i = 0; i < COUNT(formats); i++)
        if (!strcmp(type, formats[i].type))
            return &formats[i];
    return !strcmp(type, "self-check") ? &formats[0] : NULL;
}

/* ------------------------------------------------------------------ */
/* Headings and labels                                                  */

/* A heading or label as compared: without spaces (half- or full-width)
 * or the asterisks that mark required columns, full-width brackets and
 * commas as half-width ones, so that "所在县（市、区）" and "所在县 (市、区)"
 * are the same heading. */
static char *label_key(const char *s, size_t len)
{
    static const struct {
        const char *from, *to;
    } same[] = {{"（", "("}, {"）", ")"}, {"，", ","}, {"＊", ""}, {"*", ""}, {"　", ""},
                {"\xC2\xA0", ""}, {" ", ""}, {"\t", ""}, {"\n", ""}, {"\r", ""}};
    char *key = xmalloc(len + 1), *k = key;
    const char *p = s, *end = s + len;
    while (p < end) {
        size_t i = COUNT(same);
        if (strchr(" *\t\n\r\xC2\xE3\xEF", *p)) /* the first bytes of those in same[] */
            for (i = 0; i < COUNT(same) && strncmp(p, same[i].from, strlen(same[i].from)); i++)
                ;
        if (i == COUNT(same)) {
            *k++ = *p++;
        } else {
            k = stpcpy(k, same[i].to);
            p += strlen(same[i].from);
        }
    }
    *k = '\0';
    return key;
}

/* One of '|'-separated labels: its length in *len; returns where the
 * next one starts, or NULL after the last. */
static const char *next_label(const char *l, size_t *len)
{
    const char *bar = strchr(l, '|');
    *len = bar ? (size_t)(bar - l) : strlen(l);
    return bar ? bar + 1 : NULL;
}

/* Whether one of the '|'-separated `labels` is `key` (a label_key). */
static int labels_match(const char *labels, const char *key)
{
    int same = 0;
    for (const char *l = labels, *next; l && !same; l = next) {
        size_t len;
        next = next_label(l, &len);
        char *lk = label_key(l, len);
        same = strcmp(lk, key) == 0;
        free(lk);
    }
    return same;
}

/* The first of the labels, the one messages use. */
static int label_len(const char *labels)
{
    size_t len;
    next_label(labels, &len);
    return (int)len;
}

/* The field of `fields` that the `len` bytes of `text` name, or -1. */
static int field_named(const field *fields, size_t n, const char *text, size_t len)
{
    char *key = label_key(text, len);
    int found = -1;
    for (size_t i = 0; i < n && found < 0; i++)
        if (fields[i].labels && labels_match(fields[i].labels, key))
            found = (int)i;
    free(key);
    return found;
}

/* The column as Excel names it: A, B, ..., Z, AA, ... */
static void column_letters(size_t column, char out[8])
{
    char rev[8];
    size_t n = 0;
    for (size_t c = column + 1; c > 0 && n < sizeof rev; c = (c - 1) / 26)
        rev[n++] = (char)('A' + (c - 1) % 26);
    for (size_t i = 0; i < n; i++)
        out[i] = rev[n - 1 - i];
    out[n] = '\0';
}

/* ------------------------------------------------------------------ */
/* Values                                                               */

/* The length of a space at p (ASCII white space, U+3000 or a no-break
 * space, which Excel cells often carry), else 0. */
static size_t space_at(const char *p, const char *end)
{
    if (p < end && (*p == ' ' || *p == '\t' || *p == '\n' || *p == '\r'))
        return 1;
    if (end - p >= 3 && !memcmp(p, "\xE3\x80\x80", 3))
        return 3;
    return end - p >= 2 && !memcmp(p, "\xC2\xA0", 2) ? 2 : 0;
}

static size_t space_before(const char *start, const char *end)
{
    for (size_t n = 1; n <= 3 && n <= (size_t)(end - start); n++)
        if (space_at(end - n, end) == n)
            return n;
    return 0;
}

static char *trimmed(const char *s)
{
    const char *end = s + strlen(s);
    size_t n;
    while ((n = space_at(s, end)) > 0)
        s += n;
    while (end > s && (n = space_before(s, end)) > 0)
        end -= n;
    return xstrndup(s, (size_t)(end - s));
}

static int is_blank(const char *s)
{
    const char *end = s + strlen(s);
    size_t n;
    while ((n = space_at(s, end)) > 0)
        s += n;
    return s == end;
}

/* The first character that XML cannot hold (a control character but
 * tab and line feed, U+FFFE, U+FFFF), or 0. */
static unsigned unfit_char(const char *s)
{
    for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
        if (*p < 0x20 && *p != '\t' && *p != '\n')
            return *p;
        if (p[0] == 0xEF && p[1] == 0xBF && (p[2] == 0xBE || p[2] == 0xBF))
            return p[2] == 0xBE ? 0xFFFE : 0xFFFF;
    }
    return 0;
}

static int all_digits(const char *s, size_t n)
{
    size_t i = 0;
    while (s[i] >= '0' && s[i] <= '9')
        i++;
    return i == n && s[i] == '\0';
}

/* A code list as cells are compared with it: each code with its names
 * (the label and the others a clerk may write) made keys once, as there
 * is a code cell in every row. */
typedef struct sheet_code {
    char *code;
    char *label; /* as messages name it */
    char *names; /* '|'-separated, each as label_key leaves it */
} sheet_code;

typedef struct sheet_codes {
    const char *list; /* its name in the file (a field's, static) */
    sheet_code *codes;
    size_t n;
} sheet_codes;

/* Whether `key` is one of the '|'-separated names, compared as they are:
 * code names are already keys. */
static int names_include(const char *names, const char *key)
{
    size_t key_len = strlen(key), len;
    for (const char *n = names, *next; n; n = next) {
        next = next_label(n, &len);
        if (len == key_len && !memcmp(n, key, len))
            return 1;
    }
    return 0;
}

/* A code of the list, given as the code (any case) or a Chinese name. */
static const char *code_of(const sheet_codes *codes, const char *s)
{
    char *key = label_key(s, strlen(s));
    const char *found = NULL;
    for (size_t i = 0; i < codes->n && !found; i++)
        if (!strcasecmp(key, codes->codes[i].code) || names_include(codes->codes[i].names, key))
            found = codes->codes[i].code;
    free(key);
    return found;
}

/* "符合要求, 整改后符合, ... (or pass, rectified, ...)" for a message. */
static char *code_choices(const sheet_codes *codes)
{
    char *names = xstrdup(""), *list = xstrdup("");
    for (size_t i = 0; i < codes->n; i++) {
        const sheet_code *c = &codes->codes[i];
        char *n = xasprintf("%s%s%s", names, i ? ", " : "", c->label);
        char *l = xasprintf("%s%s%s", list, i ? ", " : "", c->code);
        free(names), free(list);
        names = n, list = l;
    }
    char *choices = xasprintf(_("%s (or %s)"), names, list);
    free(names), free(list);
    return choices;
}

typedef struct checker {
    xmlRegexp *phone;
    sheet_codes *codes; /* the code lists the format's fields name */
    size_t n_codes;
} checker;

/* The code list a VALUE_CODE field names (codes_take found them all). */
static const sheet_codes *checker_codes(const checker *ck, const char *list)
{
    for (size_t i = 0; i < ck->n_codes; i++)
        if (!strcmp(ck->codes[i].list, list))
            return &ck->codes[i];
    return NULL;
}

/* What is wrong with the (trimmed, not empty) value `s` for its kind, or
 * NULL; `*value` gets the value as the record writes it. */
static char *kind_problem(const field *f, const checker *ck, const char *s, char **value)
{
    const char *code = NULL;
    switch (f->kind) {
    case VALUE_DATE:
        *value = clerk_date_normalized(s);
        return *value ? NULL : xasprintf(_("\"%s\" is not a date"), s);
    case VALUE_YEAR:
        if (all_digits(s, 4) && s[0] != '0')
            break;
        return xasprintf(_("\"%s\" is not a year (4 digits)"), s);
    case VALUE_POSTCODE:
        if (all_digits(s, 6))
            break;
        return xasprintf(_("\"%s\" is not a postcode (6 digits)"), s);
    case VALUE_NUMBER:
        switch (excel_number_of(s)) {
        case EXCEL_NUMBER_SCIENTIFIC:
            return xasprintf(_("\"%s\": Excel showed the number in scientific notation and "
                             "dropped digits: format the %.*s column as 文本 (text) and type the "
                             "numbers again"),
                             s, label_len(f->labels), f->labels);
        case EXCEL_NUMBER_LOST_DIGITS:
            return xasprintf(_("\"%s\": Excel kept 15 digits of the number and made the rest 0: "
                             "format the %.*s column as 文本 (text) and type the numbers again"),
                             s, label_len(f->labels), f->labels);
        default:
            break;
        }
        if (!strpbrk(s, " \t\n\r"))
            break;
        return xasprintf(_("\"%s\" has a space in it"), s);
    case VALUE_PHONE:
        if (xmlRegexpExec(ck->phone, (const xmlChar *)s) == 1)
            break;
        return xasprintf(_("\"%s\" is not a phone number (e.g. 0571-80000001)"), s);
    case VALUE_CODE:
        if ((code = code_of(checker_codes(ck, f->list), s)) != NULL) {
            *value = xstrdup(code);
            return NULL;
        }
        char *choices = code_choices(checker_codes(ck, f->list));
        char *why = xasprintf(_("\"%s\" is not one of %s"), s, choices);
        free(choices);
        return why;
    default:
        break;
    }
    *value = xstrdup(s);
    return NULL;
}

/* The value of a cell or setting as the record has it, or NULL: then
 * *why says what is wrong (a message to follow the field's label), or is
 * NULL when the value is empty and may be. */
static char *value_of(const field *f, const checker *ck, const char *raw, char **why)
{
    char *s = trimmed(raw), *value = NULL;
    unsigned unfit = unfit_char(s);
    *why = NULL;
    if (unfit)
        *why = xasprintf(_("holds the invisible character U+%04X, which a record cannot"), unfit);
    else if (*s == '\0' && !f->optional)
        *why = xstrdup(_("is empty"));
    else if (*s != '\0')
        *why = kind_problem(f, ck, s, &value);
    free(s);
    return value;
}

/* ------------------------------------------------------------------ */
/* Bytes to text                                                        */

/* The whole file, or NULL (errno set). */
static char *file_bytes(const char *path, size_t *len)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        return NULL;
    size_t cap = 1 << 16, n = 0;
    char *bytes = xmalloc(cap + 1);
    size_t got;
    while ((got = fread(bytes + n, 1, cap - n, f)) > 0)
        if ((n += got) == cap)
            bytes = xrealloc(bytes, (cap *= 2) + 1);
    int failed = ferror(f), saved = errno;
    fclose(f);
    if (failed) {
        free(bytes);
        errno = saved;
        return NULL;
    }
    bytes[n] = '\0';
    *len = n;
    return bytes;
}

enum { CONVERTED = 0, BAD_BYTES = -1, HALF_CHARACTER = -2, NO_CONVERTER = -3 };

/* GB18030, the superset of GBK and GB2312, to UTF-8: CONVERTED with *out
 * (NUL-terminated); BAD_BYTES with *bad the offset of the first sequence
 * that is not GB18030, HALF_CHARACTER when the bytes end inside one; or
 * NO_CONVERTER (glibc's gconv modules missing). */
static int gb18030_to_utf8(const char *bytes, size_t len, char **out, size_t *out_len, size_t *bad)
{
    iconv_t cd = iconv_open("UTF-8", "GB18030");
    if (cd == (iconv_t)-1)
        return NO_CONVERTER;
    /* a GB18030 character of 2 or 4 bytes is at most 4 bytes of UTF-8 */
    size_t cap = len * 2 + 4, left_out = cap, left_in = len;
    char *in = (char *)bytes, *o = *out = xmalloc(cap + 1);
    size_t rc = iconv(cd, &in, &left_in, &o, &left_out);
    int why = errno;
    iconv_close(cd);
    if (rc == (size_t)-1) {
        *bad = (size_t)(in - bytes);
        free(*out);
        *out = NULL;
        return why == EINVAL ? HALF_CHARACTER : BAD_BYTES;
    }
    *out_len = (size_t)(o - *out);
    (*out)[*out_len] = '\0';
    return CONVERTED;
}

/* Whether bytes hold UTF-8 and more than ASCII: a sheet saved as UTF-8,
 * which GB18030 may well read without an error, as nonsense. */
static int is_utf8_beyond_ascii(const char *bytes, size_t len, size_t *first)
{
    size_t bad;
    for (*first = 0; *first < len && !(bytes[*first] & 0x80); (*first)++)
        ;
    return *first < len && utf8_length(bytes, len, &bad) >= 0;
}

/* Line breaks as LF, in place: a report written on Windows has CRLF. */
static void crlf_to_lf(char *text)
{
    char *o = text;
    for (const char *p = text; *p; p++)
        if (!(p[0] == '\r' && p[1] == '\n'))
            *o++ = *p;
    *o = '\0';
}

/* A text file (the report) in UTF-8 (a BOM dropped) or else GB18030,
 * CRLF as LF; NULL with *why when it is neither or cannot be read. */
static char *text_file(const char *path, char **why)
{
    size_t len = 0, bad = 0, bom, text_len = 0;
    char *bytes = file_bytes(path, &len), *text = NULL;
    if (!bytes) {
        *why = xasprintf(_("cannot read %s: %s"), path, strerror(errno));
        return NULL;
    }
    bom = csv_bom_length(bytes, len);
    if (utf8_length(bytes + bom, len - bom, &bad) >= 0)
        text = xstrdup(bytes + bom);
    else if (gb18030_to_utf8(bytes, len, &text, &text_len, &bad) != CONVERTED)
        *why = xasprintf(_("%s is neither UTF-8 nor GBK text (byte %zu)"), path, bad);
    free(bytes);
    if (text)
        crlf_to_lf(text);
    return text;
}

/* ------------------------------------------------------------------ */
/* The import                                                           */

typedef struct sheet_row {
    size_t number; /* the row of the sheet */
    char **values; /* one for each column field; NULL: empty or wrong */
    char **extras; /* one for each extra column; NULL: empty */
} sheet_row;

typedef struct import {
    const import_options *o;
    const record_format *fmt;
    diag_list *diags;
    checker ck;
    char **settings; /* fmt->n_settings values; NULL: not given (yet) */
    char *given;     /* whether each setting was given, right or wrong */
    csv_sheet sheet;
    size_t head; /* the heading row (from 0): rows above it are a title or blank */
    /* for each heading: its field in fmt->columns; -1 none (a blank
     * heading); EXTRA(e) for extra column e */
    int *column_field;
    size_t *field_column; /* for each field of fmt->columns: its column + 1, or 0 */
    char **extra_names;   /* the extra columns' headings */
    size_t n_extras;
    sheet_row *rows;
    size_t n_rows, rows_cap;
} import;

static void bad_setting(import *im, const field *f, const char *why)
{
    diag_add(im->diags, DIAG_ERROR, NULL, 0, "--set %.*s: %s", label_len(f->labels), f->labels, why);
}

/* One "标签=值". 报告=@FILE reads the report from FILE. */
static void setting_take(import *im, const char *setting)
{
    const char *eq = strchr(setting, '=');
    size_t label_bytes = eq ? (size_t)(eq - setting) : strlen(setting);
    int i = field_named(im->fmt->settings, im->fmt->n_settings, setting, label_bytes);
    if (!eq || i < 0) {
        diag_add(im->diags, DIAG_ERROR, NULL, 0,
                 "--set %s: %s (gen import --help lists the settings of --type %s)", setting,
                 eq ? _("no such setting") : _("expected 标签=值"), im->fmt->type);
        return;
    }
    const field *f = &im->fmt->settings[i];
    size_t bad;
    char *why = NULL, *text = NULL;
    const char *raw = eq + 1;
    if (utf8_length(raw, strlen(raw), &bad) < 0)
        why = xstrdup(_("the value is not UTF-8 text"));
    else if (f->kind == VALUE_MARKDOWN && raw[0] == '@')
        raw = text = text_file(raw + 1, &why);
    free(im->settings[i]);
    im->settings[i] = why ? NULL : value_of(f, &im->ck, raw, &why);
    im->given[i] = 1;
    if (why)
        bad_setting(im, f, why);
    free(why);
    free(text);
}


/* what and hint are N_() messages, translated here. */
static void bad_bytes(import *im, const char *bytes, size_t len, size_t at, const char *what,
                      const char *hint)
{
    diag_add(im->diags, DIAG_ERROR, im->o->path, (int)csv_row_at(bytes, len, at),
             "byte %zu (0x%02X) %s (%s)", at, (unsigned char)bytes[at], _(what), _(hint));
}

static int is_gbk_name(const char *encoding)
{
    static const char *const gb[] = {"GBK", "GB18030", "GB2312", "CP936"};
    for (size_t i = 0; i < COUNT(gb); i++)
        if (!strcasecmp(encoding, gb[i]))
            return 1;
    return 0;
}

static int is_utf8_name(const char *encoding)
{
    return !strcasecmp(encoding, "UTF-8") || !strcasecmp(encoding, "UTF8");
}

/* The sheet's text in UTF-8: a UTF-8 BOM says UTF-8 whatever --encoding
 * says; else --encoding, GBK when absent.  EXIT_DONE, or an exit status
 * with the problem reported. */
static int sheet_text(import *im, const char *bytes, size_t len, char **text, size_t *text_len)
{
    const char *encoding = im->o->encoding ? im->o->encoding : "GBK";
    size_t at = 0;
    const char *nul = memchr(bytes, '\0', len);
    if (nul) {
        bad_bytes(im, bytes, len, (size_t)(nul - bytes), N_("is a NUL byte"),
                  N_("not a text file: save the sheet as CSV"));
        return EXIT_BAD_INPUT;
    }
    if (csv_bom_length(bytes, len) || is_utf8_name(encoding)) {
        if (utf8_length(bytes, len, &at) >= 0) {
            *text = xstrndup(bytes, len), *text_len = len;
            return EXIT_DONE;
        }
        bad_bytes(im, bytes, len, at, N_("is not UTF-8"), N_("saved as GBK? try --encoding GBK"));
        return EXIT_BAD_INPUT;
    }
    if (is_utf8_beyond_ascii(bytes, len, &at)) {
        bad_bytes(im, bytes, len, at, N_("starts UTF-8 text, not GBK"),
                  N_("saved as UTF-8? try --encoding UTF-8"));
        return EXIT_BAD_INPUT;
    }
    int rc = gb18030_to_utf8(bytes, len, text, text_len, &at);
    if (rc == NO_CONVERTER)
        diag_add(im->diags, DIAG_ERROR, NULL, 0, "iconv cannot convert from GB18030: %s",
                 strerror(errno));
    else if (rc != CONVERTED)
        bad_bytes(im, bytes, len, at,
                  rc == BAD_BYTES ? N_("is not valid GBK") : N_("starts a character the file cuts off"),
                  N_("saved as UTF-8? try --encoding UTF-8"));
    return rc == CONVERTED ? EXIT_DONE : rc == NO_CONVERTER ? EXIT_ENVIRONMENT : EXIT_BAD_INPUT;
}

/* The CSV file's bytes (freed here) into im->sheet. */
static int csv_sheet_read(import *im, char **bytes, size_t len)
{
    size_t text_len = 0, bad_row = 0;
    char *text = NULL;
    int rc = EXIT_BAD_INPUT;
    if (im->o->sheet)
        diag_add(im->diags, DIAG_ERROR, im->o->path, 0,
                 "--sheet %s: a CSV file has one sheet (--sheet is for .xlsx workbooks)",
                 im->o->sheet);
    else
        rc = sheet_text(im, *bytes, len, &text, &text_len);
    /* the file's bytes are the text's now: not held while the cells are
     * made (a 200,000-row sheet: 51 MB less at the import's peak) */
    free(*bytes);
    *bytes = NULL;
    if (rc == EXIT_DONE && csv_read(text, text_len, &im->sheet, &bad_row) != 0) {
        diag_add(im->diags, DIAG_ERROR, im->o->path, (int)bad_row,
                 "a quoted cell is never closed (a \" is missing)");
        rc = EXIT_BAD_INPUT;
    }
    free(text);
    return rc;
}

/* The file into im->sheet, read as what its bytes say it is (not its
 * name): an .xlsx workbook, a CSV file, or what to save it as. */
static int sheet_read(import *im)
{
    size_t len = 0;
    char *bytes = file_bytes(im->o->path, &len);
    if (!bytes) {
        diag_add(im->diags, DIAG_ERROR, im->o->path, 0, "cannot read: %s", strerror(errno));
        return EXIT_BAD_INPUT;
    }
    int rc = EXIT_BAD_INPUT;
    switch (sheet_file_kind_of(bytes, len)) {
    case SHEET_FILE_ZIP:
        rc = xlsx_read(im->o->path, bytes, len, im->o->sheet, &im->sheet, im->diags);
        break;
    case SHEET_FILE_OLE2:
        diag_add(im->diags, DIAG_ERROR, im->o->path, 0,
                 "an old Excel workbook (.xls, Excel 97-2003): save it in Excel as .xlsx "
                 "(Excel 工作簿) or CSV");
        break;
    case SHEET_FILE_TEXT:
        rc = csv_sheet_read(im, &bytes, len);
        break;
    }
    free(bytes);
    if (rc == EXIT_DONE && im->sheet.n == 0) {
        diag_add(im->diags, DIAG_ERROR, im->o->path, 0, "the sheet is empty: no heading row");
        rc = EXIT_BAD_INPUT;
    }
    return rc;
}

/* column_field of extra column e, and back. */
#define EXTRA(e) (-2 - (int)(e))
#define EXTRA_OF(k) ((size_t)(-2 - (k)))

static int heading_twice(import *im, size_t first, size_t column)
{
    char letters[8], first_letters[8];
    column_letters(first, first_letters);
    column_letters(column, letters);
    diag_add(im->diags, DIAG_ERROR, im->o->path, (int)im->head + 1,
             "\"%s\" is a heading twice (columns %s and %s)", im->sheet.rows[im->head].cells[column],
             first_letters, letters);
    return 1;
}

/* A heading the importer does not know: its column is kept as an extra
 * field of each row, with a warning (a typo of a known heading shows as a
 * missing column too).  Returns 1 when it cannot be (a heading twice, or
 * an invisible character in it). */
static int heading_extra(import *im, size_t column)
{
    const char *heading = im->sheet.rows[im->head].cells[column];
    char letters[8];
    column_letters(column, letters);
    unsigned unfit = unfit_char(heading);
    if (unfit) {
        diag_add(im->diags, DIAG_ERROR, im->o->path, (int)im->head + 1,
                 "heading \"%s\" (column %s) holds the invisible character U+%04X, which a "
                 "record cannot",
                 heading, letters, unfit);
        return 1;
    }
    for (size_t c = 0; c < column; c++)
        if (im->column_field[c] <= EXTRA(0) &&
            !strcmp(im->extra_names[EXTRA_OF(im->column_field[c])], heading))
            return heading_twice(im, c, column);
    diag_add(im->diags, DIAG_WARNING, im->o->path, (int)im->head + 1,
             "unknown heading \"%s\" (column %s): its values are kept in each row as "
             "<extra name=\"%s\">",
             heading, letters, heading);
    im->extra_names = xrealloc(im->extra_names, (im->n_extras + 1) * sizeof *im->extra_names);
    im->extra_names[im->n_extras] = xstrdup(heading);
    im->column_field[column] = EXTRA(im->n_extras++);
    return 0;
}

/* The columns the record needs and the sheet lacks: each a problem. */
static int headings_missing(import *im, const size_t *column_of)
{
    int problems = 0;
    for (size_t k = 0; k < im->fmt->n_columns; k++) {
        const field *f = &im->fmt->columns[k];
        if (!column_of[k] && !f->optional)
            diag_add(im->diags, DIAG_ERROR, im->o->path, (int)im->head + 1,
                     "no column headed %.*s: every %s row needs one", label_len(f->labels),
                     f->labels, im->fmt->row),
                problems++;
    }
    return problems;
}

/* After an unknown heading, the ones that are known. */
static void headings_known(import *im)
{
    char *list = xstrdup("");
    for (size_t k = 0; k < im->fmt->n_columns; k++) {
        const field *f = &im->fmt->columns[k];
        char *l = xasprintf("%s%s%.*s", list, k ? ", " : "", label_len(f->labels), f->labels);
        free(list);
        list = l;
    }
    diag_add(im->diags, DIAG_ERROR, im->o->path, (int)im->head + 1,
             "the headings of a --type %s sheet are: %s", im->fmt->type, list);
    free(list);
}

/* How many of the columns the record needs row r heads. */
static size_t headings_known_in(const import *im, size_t r)
{
    const record_format *fmt = im->fmt;
    const csv_row *row = &im->sheet.rows[r];
    size_t known = 0;
    for (size_t c = 0; c < row->n; c++) {
        int k = field_named(fmt->columns, fmt->n_columns, row->cells[c], strlen(row->cells[c]));
        known += k >= 0 && !fmt->columns[k].optional;
    }
    return known;
}

/* The heading row: the first of the top rows that heads at least half the
 * columns the record needs, or the row below it if that heads more (a
 * heading in two rows, 联系方式 over 联系人 and 联系电话, the others merged
 * down); a title or blank rows above are skipped.  Else row 1, whose
 * unknown headings are then reported. */
static size_t heading_row(const import *im)
{
    enum { HEADING_SEARCH = 30 }; /* rows from the top: a title, a note, blanks */
    size_t needed = 0;
    for (size_t k = 0; k < im->fmt->n_columns; k++)
        needed += !im->fmt->columns[k].optional;
    for (size_t r = 0; r < im->sheet.n && r < HEADING_SEARCH; r++) {
        size_t known = headings_known_in(im, r);
        if (known == 0 || known * 2 < needed)
            continue;
        for (size_t next; r + 1 < im->sheet.n && (next = headings_known_in(im, r + 1)) > known; r++)
            known = next;
        return r;
    }
    return 0;
}

/* Each heading of the heading row to its field, or an extra one; every
 * field the record needs must have one.  Returns the number of problems. */
static int headings_map(import *im)
{
    im->head = heading_row(im);
    csv_row *head = &im->sheet.rows[im->head];
    const record_format *fmt = im->fmt;
    size_t *column_of = im->field_column = xcalloc(fmt->n_columns, sizeof *column_of);
    int problems = 0, missing = 0;
    im->column_field = xmalloc((head->n + 1) * sizeof *im->column_field);
    for (size_t c = 0; c < head->n; c++) {
        char *h = trimmed(head->cells[c]); /* as messages will name it */
        free(head->cells[c]);
        head->cells[c] = h;
        int k = im->column_field[c] = field_named(fmt->columns, fmt->n_columns, h, strlen(h));
        if (k < 0 && !is_blank(h))
            problems += heading_extra(im, c);
        else if (k >= 0 && column_of[k] && fmt->columns[k].target)
            problems += heading_twice(im, column_of[k] - 1, c);
        else if (k >= 0)
            column_of[k] = c + 1;
    }
    missing = headings_missing(im, column_of);
    if (missing && im->n_extras) /* one of those may be a heading mistyped */
        headings_known(im);
    return problems + missing;
}

/* The enterprise a row is about, as messages name it: its name cell
 * trimmed, or NULL when that is blank. */
static char *row_name(const import *im, size_t r)
{
    int k = field_with_target(im->fmt->columns, im->fmt->n_columns, im->fmt->name);
    size_t c = k >= 0 ? im->field_column[k] : 0;
    const csv_row *cells = &im->sheet.rows[r];
    if (c == 0 || c > cells->n || is_blank(cells->cells[c - 1]))
        return NULL;
    return trimmed(cells->cells[c - 1]);
}

/* A problem of the sheet's row `line`, after the enterprise's name when
 * the row has one ("宁波海天塑料有限公司: 邮政编码 ..."); fmt is a message
 * (xgettext: --keyword=row_diag:5). */
GEN_PRINTF(5, 6)
static void row_diag(import *im, diag_level level, int line, const char *name, const char *fmt,
                     ...)
{
    va_list ap;
    va_start(ap, fmt);
    char *said = xvasprintf(_(fmt), ap);
    va_end(ap);
    if (name)
        diag_add(im->diags, level, im->o->path, line, "%s: %s", name, said);
    else
        diag_add(im->diags, level, im->o->path, line, "%s", said);
    free(said);
}

/* Whether a row is blank in the columns that have a field; the values
 * elsewhere are reported, as they would otherwise be lost. */
static int row_is_blank(import *im, size_t r)
{
    const csv_row *cells = &im->sheet.rows[r];
    int blank = 1;
    for (size_t c = 0; c < cells->n; c++) {
        if (is_blank(cells->cells[c]))
            continue;
        int k = c < im->sheet.rows[im->head].n ? im->column_field[c] : -1;
        if (k >= 0)
            blank &= !im->fmt->columns[k].target;
        else if (k <= EXTRA(0))
            blank = 0;
        else {
            char letters[8], *name = row_name(im, r);
            column_letters(c, letters);
            row_diag(im, DIAG_ERROR, (int)(r + 1), name, "column %s has a value but no heading",
                     letters);
            free(name);
        }
    }
    return blank;
}

/* A cell's problem: the row, the enterprise when it has a name, the
 * heading as the clerk wrote it, what is wrong. */
static void cell_problem(import *im, size_t r, const char *name, size_t c, const char *why)
{
    row_diag(im, DIAG_ERROR, (int)(r + 1), name, "%s %s", im->sheet.rows[im->head].cells[c], why);
}

/* A number that may have lost its last digit to Excel: a warning, as it
 * may as well be right. */
static void number_doubtful(import *im, size_t r, const char *name, size_t c, const char *value)
{
    const char *heading = im->sheet.rows[im->head].cells[c];
    if (excel_number_of(value) != EXCEL_NUMBER_MAYBE_LOST)
        return;
    row_diag(im, DIAG_WARNING, (int)(r + 1), name,
             "%s \"%s\" has 16 digits and ends in 0, as Excel writes a number whose last digit "
             "it dropped: if so, format the %s column as 文本 (text) and type it again",
             heading, value, heading);
}

/* The value of a date rule's side in row `row`: a column's (its heading
 * in *label) or a setting's (its label); NULL when there is none. */
static const char *order_side(const import *im, const sheet_row *row, const char *target,
                              const char **label, int *is_column)
{
    const record_format *fmt = im->fmt;
    int k = field_with_target(fmt->columns, fmt->n_columns, target);
    *is_column = k >= 0;
    if (k >= 0) {
        size_t c = im->field_column[k];
        *label = c ? im->sheet.rows[im->head].cells[c - 1] : "";
        return row->values[k];
    }
    k = field_with_target(fmt->settings, fmt->n_settings, target);
    if (k < 0)
        return NULL;
    *label = fmt->settings[k].labels; /* its first label: the one --help names */
    return im->settings[k];
}

/* The rules of fmt->orders that involve a column, in row `row`: a date
 * before the one it must follow is an error that names both. */
static void row_dates_in_order(import *im, const sheet_row *row, const char *name)
{
    for (size_t i = 0; i < im->fmt->n_orders; i++) {
        const date_order *d = &im->fmt->orders[i];
        const char *earlier_label, *later_label;
        int earlier_column, later_column;
        const char *earlier = order_side(im, row, d->earlier, &earlier_label, &earlier_column);
        const char *later = order_side(im, row, d->later, &later_label, &later_column);
        if (!earlier || !later || (!earlier_column && !later_column) || strcmp(later, earlier) >= 0)
            continue;
        if (later_column)
            row_diag(im, DIAG_ERROR, (int)row->number, name, "%s %s is before %.*s %s",
                     later_label, later, label_len(earlier_label), earlier_label, earlier);
        else
            row_diag(im, DIAG_ERROR, (int)row->number, name, "%s %s is after %.*s %s",
                     earlier_label, earlier, label_len(later_label), later_label, later);
    }
}

/* The rules of fmt->orders between two settings. */
static void settings_dates_in_order(import *im)
{
    for (size_t i = 0; i < im->fmt->n_orders; i++) {
        const date_order *d = &im->fmt->orders[i];
        const record_format *fmt = im->fmt;
        int e = field_with_target(fmt->settings, fmt->n_settings, d->earlier);
        int l = field_with_target(fmt->settings, fmt->n_settings, d->later);
        if (e < 0 || l < 0 || !im->settings[e] || !im->settings[l] ||
            strcmp(im->settings[l], im->settings[e]) >= 0)
            continue;
        diag_add(im->diags, DIAG_ERROR, NULL, 0, "--set %.*s=%s is before %.*s %s",
                 label_len(fmt->settings[l].labels), fmt->settings[l].labels, im->settings[l],
                 label_len(fmt->settings[e].labels), fmt->settings[e].labels, im->settings[e]);
    }
}

/* Row r (from 0) of the sheet into values, each problem reported with the
 * row's number, its enterprise and the heading as the clerk wrote it. */
static void row_convert(import *im, size_t r)
{
    const csv_row *cells = &im->sheet.rows[r], *head = &im->sheet.rows[im->head];
    sheet_row row = {r + 1, xcalloc(im->fmt->n_columns, sizeof(char *)),
                     im->n_extras ? xcalloc(im->n_extras, sizeof(char *)) : NULL};
    char *name = row_name(im, r);
    for (size_t c = 0; c < head->n; c++) {
        const char *raw = c < cells->n ? cells->cells[c] : "";
        int k = im->column_field[c];
        char *why = NULL;
        if (k <= EXTRA(0))
            row.extras[EXTRA_OF(k)] = value_of(&extra_field, &im->ck, raw, &why);
        else if (k < 0 || !im->fmt->columns[k].target)
            continue;
        else
            row.values[k] = value_of(&im->fmt->columns[k], &im->ck, raw, &why);
        if (why)
            cell_problem(im, r, name, c, why);
        else if (k >= 0 && im->fmt->columns[k].kind == VALUE_NUMBER && row.values[k])
            number_doubtful(im, r, name, c, row.values[k]);
        free(why);
    }
    row_dates_in_order(im, &row, name);
    free(name);
    GROW(im->rows, im->n_rows, im->rows_cap);
    im->rows[im->n_rows++] = row;
}

/* A row's cells, once converted: the sheet shrinks as the values grow. */
static void cells_drop(csv_row *row)
{
    for (size_t c = 0; c < row->n; c++)
        free(row->cells[c]);
    free(row->cells);
    *row = (csv_row){0};
}

/* Every row but the headings; a sheet of headings only is an error (a
 * record with no row is one nobody meant to make). */
static void rows_convert(import *im)
{
    for (size_t r = im->head + 1; r < im->sheet.n; r++) {
        if (!row_is_blank(im, r))
            row_convert(im, r);
        cells_drop(&im->sheet.rows[r]);
    }
    if (im->n_rows == 0)
        diag_add(im->diags, DIAG_ERROR, im->o->path, (int)im->head + 1,
                 "the sheet has headings but no rows: nothing to import (each %s is a row "
                 "below the headings)",
                 im->fmt->row);
}

/* A setting not given: the value of a setting or of a column's first
 * row that stands in for it (a year from a date), or NULL. */
static char *fallback_value(const import *im, const field *f)
{
    const record_format *fmt = im->fmt;
    for (const char *l = f->fallback, *next; l; l = next) {
        size_t len;
        next = next_label(l, &len);
        int s = field_named(fmt->settings, fmt->n_settings, l, len);
        int c = field_named(fmt->columns, fmt->n_columns, l, len);
        const char *v = s >= 0 ? im->settings[s] : NULL;
        for (size_t r = 0; !v && c >= 0 && r < im->n_rows; r++)
            v = im->rows[r].values[c];
        if (v)
            return f->kind == VALUE_YEAR ? xstrndup(v, 4) : xstrdup(v);
    }
    return NULL;
}

/* Whether a setting falls back on one the record needs, which is
 * reported itself when missing. */
static int falls_back_on_needed(const import *im, const field *f)
{
    for (const char *l = f->fallback, *next; l; l = next) {
        size_t len;
        next = next_label(l, &len);
        int s = field_named(im->fmt->settings, im->fmt->n_settings, l, len);
        if (s >= 0 && !im->fmt->settings[s].optional && !im->fmt->settings[s].fallback)
            return 1;
    }
    return 0;
}

/* The settings not given, from their fallbacks; those the record needs
 * and nothing gives are reported. */
static void settings_resolve(import *im)
{
    for (size_t i = 0; i < im->fmt->n_settings; i++) {
        const field *f = &im->fmt->settings[i];
        if (f->kind == VALUE_ROWS || im->given[i])
            continue;
        im->settings[i] = f->fallback ? fallback_value(im, f) : NULL;
        if (!im->settings[i] && !f->optional && !falls_back_on_needed(im, f))
            diag_add(im->diags, DIAG_ERROR, NULL, 0, "missing --set %.*s=... (gen import --help)",
                     label_len(f->labels), f->labels);
    }
}

/* ------------------------------------------------------------------ */
/* The record                                                           */

/* The parent's last child if it is `name` (the fields of one element
 * follow each other), else a new one. */
static xmlNode *child_for(xmlNode *parent, const char *name, size_t len)
{
    xmlNode *last = xmlGetLastChild(parent);
    if (last && last->type == XML_ELEMENT_NODE && strlen((const char *)last->name) == len &&
        !strncmp((const char *)last->name, name, len))
        return last;
    char *element = xstrndup(name, len);
    xmlNode *child = xmlNewChild(parent, NULL, BAD_CAST element, NULL);
    free(element);
    return child;
}

/* The value where f->target says, under `parent`. */
static void place(xmlNode *parent, const field *f, const char *value)
{
    const char *t = f->target, *slash;
    for (; (slash = strchr(t, '/')) != NULL; t = slash + 1)
        parent = child_for(parent, t, (size_t)(slash - t));
    if (*t == '@') {
        xmlSetProp(parent, BAD_CAST(t + 1), BAD_CAST value);
    } else if (f->kind == VALUE_MARKDOWN) {
        /* CDATA: Markdown stays readable in the record, ** and > unescaped */
        xmlNode *text = xmlNewChild(parent, NULL, BAD_CAST t, NULL);
        xmlSetProp(text, BAD_CAST "format", BAD_CAST "markdown");
        xmlAddChild(text, xmlNewCDataBlock(parent->doc, BAD_CAST value, (int)strlen(value)));
    } else {
        xmlNewTextChild(parent, NULL, BAD_CAST t, BAD_CAST value);
    }
}

/* Row r's values into its element, each freed once placed: the record's
 * text is what the import holds in the end. */
static void row_place(import *im, size_t r, xmlNode *row)
{
    const record_format *fmt = im->fmt;
    if (fmt->ids) {
        char *id = xasprintf("%s%05zu", fmt->ids, r + 1);
        xmlSetProp(row, BAD_CAST "id", BAD_CAST id);
        free(id);
    }
    char **values = im->rows[r].values, **extras = im->rows[r].extras;
    for (size_t k = 0; k < fmt->n_columns; k++)
        if (values[k]) {
            place(row, &fmt->columns[k], values[k]);
            free(values[k]);
            values[k] = NULL;
        }
    for (size_t e = 0; e < im->n_extras; e++)
        if (extras[e]) {
            xmlNode *extra = xmlNewTextChild(row, NULL, BAD_CAST "extra", BAD_CAST extras[e]);
            xmlSetProp(extra, BAD_CAST "name", BAD_CAST im->extra_names[e]);
            free(extras[e]);
            extras[e] = NULL;
        }
}

/* The record without its rows; *container is the element they go in. */
static xmlDoc *record_frame(const import *im, xmlNode **container)
{
    xmlDoc *doc = xmlNewDoc(BAD_CAST "1.0");
    doc->encoding = xmlStrdup(BAD_CAST "UTF-8");
    xmlNode *root = xmlNewDocNode(doc, NULL, BAD_CAST im->fmt->root, NULL);
    xmlDocSetRootElement(doc, root);
    for (size_t i = 0; i < im->fmt->n_settings; i++) {
        const field *f = &im->fmt->settings[i];
        if (f->kind == VALUE_ROWS)
            *container = f->target ? xmlNewChild(root, NULL, BAD_CAST f->target, NULL) : root;
        else if (im->settings[i])
            place(root, f, im->settings[i]);
    }
    return doc;
}

/* The schema in the data folder that checks the record, or NULL. */
static char *record_schema(const import *im)
{
    if (!im->o->data_dir)
        return NULL;
    char *schema = xasprintf("%s/schemas/%s.rng", im->o->data_dir, im->fmt->root);
    if (access(schema, R_OK) == 0)
        return schema;
    free(schema);
    return NULL;
}

/* The record as text, checked against its schema as it is made (a chunk
 * of rows at a time: gen/record_rows.h says why).  A sheet that passed
 * every check here must give a valid record: if its schema says
 * otherwise, this module is wrong (exit 1). */
static int record_write(import *im, xmlOutputBuffer *out)
{
    xmlNode *container = NULL;
    xmlDoc *frame = record_frame(im, &container);
    char *schema = record_schema(im);
    char *what = xasprintf(_("%s (the record made from it)"), im->o->path);
    record_rows *w = record_rows_new(frame, container, schema, what, out);
    int problems = 0;
    for (size_t r = 0; r < im->n_rows && problems == 0; r++) {
        row_place(im, r, record_rows_next(w, im->fmt->row));
        problems = record_rows_done(w, im->diags);
    }
    if (problems == 0)
        problems = record_rows_finish(w, im->diags);
    record_rows_free(w);
    if (problems > 0)
        diag_add(im->diags, DIAG_ERROR, im->o->path, 0,
                 "internal error: the record made from this sheet does not match %s; "
                 "please report it with the sheet",
                 schema);
    free(what);
    free(schema);
    return problems == 0 ? EXIT_DONE : EXIT_ENVIRONMENT;
}

static void import_free(import *im)
{
    for (size_t i = 0; im->settings && i < im->fmt->n_settings; i++)
        free(im->settings[i]);
    free(im->settings);
    free(im->given);
    for (size_t r = 0; r < im->n_rows; r++) {
        for (size_t k = 0; k < im->fmt->n_columns; k++)
            free(im->rows[r].values[k]);
        free(im->rows[r].values);
        for (size_t e = 0; e < im->n_extras; e++)
            free(im->rows[r].extras[e]);
        free(im->rows[r].extras);
    }
    free(im->rows);
    free(im->column_field);
    free(im->field_column);
    for (size_t e = 0; e < im->n_extras; e++)
        free(im->extra_names[e]);
    free(im->extra_names);
    csv_sheet_free(&im->sheet);
    if (im->ck.phone)
        xmlRegFreeRegexp(im->ck.phone);
    for (size_t i = 0; i < im->ck.n_codes; i++) {
        sheet_codes *t = &im->ck.codes[i];
        for (size_t k = 0; k < t->n; k++) {
            free(t->codes[k].code);
            free(t->codes[k].label);
            free(t->codes[k].names);
        }
        free(t->codes);
    }
    free(im->ck.codes);
}

/* A list of the file as cells are compared with it. */
static sheet_codes sheet_codes_of(const char *name, const code_list *list)
{
    sheet_codes t = {name, xcalloc(list->n, sizeof *t.codes), list->n};
    for (size_t k = 0; k < list->n; k++) {
        const code_entry *e = &list->codes[k];
        char *names = label_key(e->label, strlen(e->label));
        for (size_t a = 0; a < e->n_also; a++) {
            char *key = label_key(e->also[a], strlen(e->also[a]));
            char *more = xasprintf("%s|%s", names, key);
            free(names), free(key);
            names = more;
        }
        t.codes[k] = (sheet_code){xstrdup(e->value), xstrdup(e->label), names};
    }
    return t;
}

/* The code list of each VALUE_CODE field in `fields` into im->ck, once;
 * one the file lacks is reported.  Returns the number of those. */
static int codes_of_fields(import *im, const code_lists *lists, const field *fields, size_t n)
{
    int missing = 0;
    for (size_t i = 0; i < n; i++) {
        const field *f = &fields[i];
        if (f->kind != VALUE_CODE || checker_codes(&im->ck, f->list))
            continue;
        const code_list *list = code_lists_find(lists, f->list);
        if (!list) {
            diag_add(im->diags, DIAG_ERROR, lists->path, 0,
                     "no code list %s, which the %.*s of a --type %s sheet is a code of", f->list,
                     label_len(f->labels), f->labels, im->fmt->type);
            missing++;
            continue;
        }
        im->ck.codes = xrealloc(im->ck.codes, (im->ck.n_codes + 1) * sizeof *im->ck.codes);
        im->ck.codes[im->ck.n_codes++] = sheet_codes_of(f->list, list);
    }
    return missing;
}

/* The code lists the format's fields are codes of, from the data folder's
 * schemas/codes.rng (read only when there is one).  A file that cannot be
 * read or lacks a list is the installation's fault, not the sheet's. */
static int codes_take(import *im)
{
    const record_format *fmt = im->fmt;
    int needed = 0;
    for (size_t i = 0; i < fmt->n_columns; i++)
        needed |= fmt->columns[i].kind == VALUE_CODE;
    for (size_t i = 0; i < fmt->n_settings; i++)
        needed |= fmt->settings[i].kind == VALUE_CODE;
    if (!needed)
        return EXIT_DONE;
    char *file = code_lists_file(im->o->data_dir);
    code_lists *lists = code_lists_load(file, im->diags);
    int missing = !lists || codes_of_fields(im, lists, fmt->columns, fmt->n_columns) +
                                    codes_of_fields(im, lists, fmt->settings, fmt->n_settings) >
                                0;
    code_lists_free(lists);
    free(file);
    return missing ? EXIT_ENVIRONMENT : EXIT_DONE;
}

/* The options that need no file: the format, the encoding, the settings. */
static int options_take(import *im)
{
    const import_options *o = im->o;
    if (!im->fmt) {
        diag_add(im->diags, DIAG_ERROR, NULL, 0,
                 "--type %s: gen imports --type selfcheck or --type nominations", o->type);
        return EXIT_BAD_INPUT;
    }
    if (o->encoding && !is_gbk_name(o->encoding) && !is_utf8_name(o->encoding)) {
        diag_add(im->diags, DIAG_ERROR, NULL, 0,
                 "--encoding %s: gen reads sheets in GBK (GB18030, GB2312) or UTF-8", o->encoding);
        return EXIT_BAD_INPUT;
    }
    im->ck.phone = xmlRegexpCompile(BAD_CAST phone_pattern);
    if (!im->ck.phone) {
        diag_add(im->diags, DIAG_ERROR, NULL, 0, "internal error: the phone pattern is wrong");
        return EXIT_ENVIRONMENT;
    }
    if (codes_take(im) != EXIT_DONE)
        return EXIT_ENVIRONMENT;
    im->settings = xcalloc(im->fmt->n_settings, sizeof *im->settings);
    im->given = xcalloc(im->fmt->n_settings, 1);
    for (size_t i = 0; i < o->n_settings; i++)
        setting_take(im, o->settings[i]);
    return EXIT_DONE;
}

int import_csv(const import_options *o, xmlOutputBuffer *out, diag_list *diags)
{
    import im = {.o = o, .fmt = format_named(o->type), .diags = diags};
    size_t errors = diag_count(diags, DIAG_ERROR);
    int rc = options_take(&im);
    if (rc == EXIT_DONE)
        rc = sheet_read(&im);
    if (rc == EXIT_DONE && headings_map(&im) == 0) {
        rows_convert(&im);
        settings_resolve(&im);
        settings_dates_in_order(&im);
    }
    csv_sheet_free(&im.sheet); /* all is in the values now: less to hold with the record */
    if (rc == EXIT_DONE && diag_count(diags, DIAG_ERROR) > errors)
        rc = EXIT_BAD_INPUT;
    if (rc == EXIT_DONE)
        rc = record_write(&im, out);
    import_free(&im);
    return rc;
}
