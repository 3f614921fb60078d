#define _GNU_SOURCE
#include "import_csv.h"

#include <errno.h>
#include <iconv.h>
#include <libxml/xmlregexp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#include "code_lists.h"
#include "csv.h"
#include "exit_codes.h"
#include "i18n.h"
#include "load.h"
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

typedef struct record_format {
    const char *type; /* --type */
    const char *root; /* the root element; schemas/ROOT.rng checks it */
    const char *row;  /* the element each row becomes */
    const char *ids;  /* rows get id="E00001", ... with this prefix; NULL: none */
    const field *columns;
    size_t n_columns;
    const field *settings; /* in the record's order */
    size_t n_settings;
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

#define COUNT(a) (sizeof(a) / sizeof *(a))

static const record_format formats[] = {
    {"selfcheck", "self-check", "enterprise", "E", selfcheck_columns, COUNT(selfcheck_columns),
     selfcheck_settings, COUNT(selfcheck_settings)},
    {"nominations", "nominations", "nomination", NULL, nominations_columns,
     COUNT(nominations_columns), nominations_settings, COUNT(nominations_settings)},
};

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

/* Digits at *p, min to max of them, as a number; -1 if fewer. */
static int digits(const char **p, int min, int max)
{
    int value = 0, n = 0;
    while (n < max && **p >= '0' && **p <= '9') {
        value = value * 10 + (*(*p)++ - '0');
        n++;
    }
    return n >= min ? value : -1;
}

/* The separator at *p that follows a date's year, month or day. */
static const char *date_separator(const char **p, const char *const *choices)
{
    for (; *choices; choices++)
        if (!strncmp(*p, *choices, strlen(*choices))) {
            *p += strlen(*choices);
            return *choices;
        }
    return NULL;
}

static int days_in_month(int year, int month)
{
    static const int days[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    int leap = (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
    return days[month - 1] + (month == 2 && leap);
}

/* 2009-08-04, 2009-8-4, 2009/8/4, 2009.8.4 or 2009年8月4日 as 2009-08-04;
 * NULL when it is not a day of the calendar. */
static char *date_normalized(const char *s)
{
    static const char *const after_year[] = {"-", "/", ".", "年", NULL};
    const char *p = s;
    int year = digits(&p, 4, 4);
    const char *sep = year >= 1000 ? date_separator(&p, after_year) : NULL;
    int chinese = sep && !strcmp(sep, "年");
    const char *const after_month[] = {chinese ? "月" : sep, NULL};
    int month = sep ? digits(&p, 1, 2) : -1;
    int day = month >= 1 && month <= 12 && date_separator(&p, after_month) ? digits(&p, 1, 2) : -1;
    if (day >= 1 && chinese && !strncmp(p, "日", strlen("日")))
        p += strlen("日");
    if (day < 1 || *p != '\0' || day > days_in_month(year, month))
        return NULL;
    return xasprintf("%04d-%02d-%02d", year, month, day);
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
        *value = date_normalized(s);
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
} sheet_row;

typedef struct import {
    const import_options *o;
    const record_format *fmt;
    diag_list *diags;
    checker ck;
    char **settings; /* fmt->n_settings values; NULL: not given (yet) */
    char *given;     /* whether each setting was given, right or wrong */
    csv_sheet sheet;
    int *column_field; /* for each heading: its field in fmt->columns, or -1 */
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

/* Refuse what is surely not a CSV file, with what to do instead. */
static int is_workbook(import *im, const char *bytes, size_t len)
{
    int xlsx = len >= 4 && !memcmp(bytes, "PK\x03\x04", 4);
    int xls = len >= 4 && !memcmp(bytes, "\xD0\xCF\x11\xE0", 4);
    if (xlsx || xls)
        diag_add(im->diags, DIAG_ERROR, im->o->path, 0,
                 "an Excel workbook, not a CSV file: save the sheet with 另存为, "
                 "CSV (逗号分隔)(*.csv)");
    return xlsx || xls;
}

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
    if (is_workbook(im, bytes, len))
        return EXIT_BAD_INPUT;
    if (nul) {
        bad_bytes(im, bytes, len, (size_t)(nul - bytes), "is a NUL byte",
                  "not a text file: save the sheet as CSV");
        return EXIT_BAD_INPUT;
    }
    if (csv_bom_length(bytes, len) || is_utf8_name(encoding)) {
        if (utf8_length(bytes, len, &at) >= 0) {
            *text = xstrndup(bytes, len), *text_len = len;
            return EXIT_DONE;
        }
        bad_bytes(im, bytes, len, at, "is not UTF-8", "saved as GBK? try --encoding GBK");
        return EXIT_BAD_INPUT;
    }
    if (is_utf8_beyond_ascii(bytes, len, &at)) {
        bad_bytes(im, bytes, len, at, "starts UTF-8 text, not GBK",
                  "saved as UTF-8? try --encoding UTF-8");
        return EXIT_BAD_INPUT;
    }
    int rc = gb18030_to_utf8(bytes, len, text, text_len, &at);
    if (rc == NO_CONVERTER)
        diag_add(im->diags, DIAG_ERROR, NULL, 0, "iconv cannot convert from GB18030: %s",
                 strerror(errno));
    else if (rc != CONVERTED)
        bad_bytes(im, bytes, len, at,
                  rc == BAD_BYTES ? "is not valid GBK" : "starts a character the file cuts off",
                  "saved as UTF-8? try --encoding UTF-8");
    return rc == CONVERTED ? EXIT_DONE : rc == NO_CONVERTER ? EXIT_ENVIRONMENT : EXIT_BAD_INPUT;
}

/* The file into im->sheet. */
static int sheet_read(import *im)
{
    size_t len = 0, text_len = 0, bad_row = 0;
    char *bytes = file_bytes(im->o->path, &len), *text = NULL;
    if (!bytes) {
        diag_add(im->diags, DIAG_ERROR, im->o->path, 0, "cannot read: %s", strerror(errno));
        return EXIT_BAD_INPUT;
    }
    int rc = sheet_text(im, bytes, len, &text, &text_len);
    free(bytes);
    if (rc == EXIT_DONE && csv_read(text, text_len, &im->sheet, &bad_row) != 0) {
        diag_add(im->diags, DIAG_ERROR, im->o->path, (int)bad_row,
                 "a quoted cell is never closed (a \" is missing)");
        rc = EXIT_BAD_INPUT;
    }
    if (rc == EXIT_DONE && im->sheet.n == 0) {
        diag_add(im->diags, DIAG_ERROR, im->o->path, 0, "the sheet is empty: no heading row");
        rc = EXIT_BAD_INPUT;
    }
    free(text);
    return rc;
}

static int heading_unknown(import *im, size_t column)
{
    char letters[8];
    column_letters(column, letters);
    diag_add(im->diags, DIAG_ERROR, im->o->path, 1, "unknown heading \"%s\" (column %s)",
             im->sheet.rows[0].cells[column], letters);
    return 1;
}

static int heading_twice(import *im, size_t first, size_t column)
{
    char letters[8], first_letters[8];
    column_letters(first, first_letters);
    column_letters(column, letters);
    diag_add(im->diags, DIAG_ERROR, im->o->path, 1, "\"%s\" is a heading twice (columns %s and %s)",
             im->sheet.rows[0].cells[column], first_letters, letters);
    return 1;
}

/* The columns the record needs and the sheet lacks: each a problem. */
static int headings_missing(import *im, const size_t *column_of)
{
    int problems = 0;
    for (size_t k = 0; k < im->fmt->n_columns; k++) {
        const field *f = &im->fmt->columns[k];
        if (!column_of[k] && !f->optional)
            diag_add(im->diags, DIAG_ERROR, im->o->path, 1,
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
    diag_add(im->diags, DIAG_ERROR, im->o->path, 1,
             "the headings (the first row) of a --type %s sheet are: %s", im->fmt->type, list);
    free(list);
}

/* Each heading of row 1 to its field; every field the record needs must
 * have one.  Returns the number of problems. */
static int headings_map(import *im)
{
    csv_row *head = &im->sheet.rows[0];
    const record_format *fmt = im->fmt;
    size_t *column_of = xcalloc(fmt->n_columns, sizeof *column_of); /* the column + 1 */
    int problems = 0, unknown = 0;
    im->column_field = xmalloc((head->n + 1) * sizeof *im->column_field);
    for (size_t c = 0; c < head->n; c++) {
        char *h = trimmed(head->cells[c]); /* as messages will name it */
        free(head->cells[c]);
        head->cells[c] = h;
        int k = im->column_field[c] = field_named(fmt->columns, fmt->n_columns, h, strlen(h));
        if (k < 0 && !is_blank(h))
            unknown += heading_unknown(im, c);
        else if (k >= 0 && column_of[k] && fmt->columns[k].target)
            problems += heading_twice(im, column_of[k] - 1, c);
        else if (k >= 0)
            column_of[k] = c + 1;
    }
    problems += headings_missing(im, column_of);
    if (unknown)
        headings_known(im);
    free(column_of);
    return problems + unknown;
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
        int k = c < im->sheet.rows[0].n ? im->column_field[c] : -1;
        if (k >= 0)
            blank &= !im->fmt->columns[k].target;
        else {
            char letters[8];
            column_letters(c, letters);
            diag_add(im->diags, DIAG_ERROR, im->o->path, (int)(r + 1),
                     "column %s has a value but no heading", letters);
        }
    }
    return blank;
}

/* Row r (from 0) of the sheet into values, each problem reported with the
 * row's number and the heading as the clerk wrote it. */
static void row_convert(import *im, size_t r)
{
    const csv_row *cells = &im->sheet.rows[r], *head = &im->sheet.rows[0];
    sheet_row row = {r + 1, xcalloc(im->fmt->n_columns, sizeof(char *))};
    for (size_t c = 0; c < head->n; c++) {
        const char *raw = c < cells->n ? cells->cells[c] : "";
        int k = im->column_field[c];
        char *why = NULL;
        if (k < 0 || !im->fmt->columns[k].target)
            continue;
        row.values[k] = value_of(&im->fmt->columns[k], &im->ck, raw, &why);
        if (why)
            diag_add(im->diags, DIAG_ERROR, im->o->path, (int)row.number, "%s %s",
                     head->cells[c], why);
        free(why);
    }
    GROW(im->rows, im->n_rows, im->rows_cap);
    im->rows[im->n_rows++] = row;
}

static void rows_convert(import *im)
{
    for (size_t r = 1; r < im->sheet.n; r++)
        if (!row_is_blank(im, r))
            row_convert(im, r);
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

static void rows_place(const import *im, xmlNode *container)
{
    const record_format *fmt = im->fmt;
    for (size_t r = 0; r < im->n_rows; r++) {
        xmlNode *row = xmlNewChild(container, NULL, BAD_CAST fmt->row, NULL);
        if (fmt->ids) {
            char *id = xasprintf("%s%05zu", fmt->ids, r + 1);
            xmlSetProp(row, BAD_CAST "id", BAD_CAST id);
            free(id);
        }
        for (size_t k = 0; k < fmt->n_columns; k++)
            if (im->rows[r].values[k])
                place(row, &fmt->columns[k], im->rows[r].values[k]);
    }
}

static xmlDoc *record_build(const import *im)
{
    xmlDoc *doc = xmlNewDoc(BAD_CAST "1.0");
    doc->encoding = xmlStrdup(BAD_CAST "UTF-8");
    xmlNode *root = xmlNewDocNode(doc, NULL, BAD_CAST im->fmt->root, NULL);
    xmlDocSetRootElement(doc, root);
    for (size_t i = 0; i < im->fmt->n_settings; i++) {
        const field *f = &im->fmt->settings[i];
        if (f->kind == VALUE_ROWS)
            rows_place(im, f->target ? xmlNewChild(root, NULL, BAD_CAST f->target, NULL) : root);
        else if (im->settings[i])
            place(root, f, im->settings[i]);
    }
    return doc;
}

/* A sheet that passed every check here must give a valid record: if
 * its schema says otherwise, this module is wrong (exit 1). */
static int record_check(const import *im, xmlDoc *doc)
{
    if (!im->o->data_dir)
        return EXIT_DONE;
    char *schema = xasprintf("%s/schemas/%s.rng", im->o->data_dir, im->fmt->root);
    int rc = EXIT_DONE;
    if (access(schema, R_OK) == 0) {
        char *what = xasprintf(_("%s (the record made from it)"), im->o->path);
        int problems = load_validate(doc, what, schema, im->diags);
        if (problems > 0)
            diag_add(im->diags, DIAG_ERROR, im->o->path, 0,
                     "internal error: the record made from this sheet does not match %s; "
                     "please report it with the sheet",
                     schema);
        rc = problems == 0 ? EXIT_DONE : EXIT_ENVIRONMENT;
        free(what);
    }
    free(schema);
    return rc;
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
    }
    free(im->rows);
    free(im->column_field);
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

int import_csv(const import_options *o, xmlDoc **out, diag_list *diags)
{
    import im = {.o = o, .fmt = format_named(o->type), .diags = diags};
    size_t errors = diag_count(diags, DIAG_ERROR);
    *out = NULL;
    int rc = options_take(&im);
    if (rc == EXIT_DONE)
        rc = sheet_read(&im);
    if (rc == EXIT_DONE && headings_map(&im) == 0) {
        rows_convert(&im);
        settings_resolve(&im);
    }
    csv_sheet_free(&im.sheet); /* all is in the values now: less to hold with the record */
    if (rc == EXIT_DONE && diag_count(diags, DIAG_ERROR) > errors)
        rc = EXIT_BAD_INPUT;
    if (rc == EXIT_DONE) {
        *out = record_build(&im);
        rc = record_check(&im, *out);
    }
    if (rc != EXIT_DONE) {
        xmlFreeDoc(*out);
        *out = NULL;
    }
    import_free(&im);
    return rc;
}
