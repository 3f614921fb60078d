#include "template_values.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "util.h"

#define MM (72.0 / 25.4)

/* 字号: the traditional Chinese type sizes, in points. */
static const struct {
    const char *name;
    double pt;
} type_sizes[] = {
    {"初号", 42},  {"小初", 36}, {"一号", 26}, {"1号", 26},  {"小一", 24},   {"二号", 22},
    {"2号", 22},   {"小二", 18}, {"三号", 16}, {"3号", 16},  {"小三", 15},   {"四号", 14},
    {"4号", 14},   {"小四", 12}, {"五号", 10.5}, {"5号", 10.5}, {"小五", 9}, {"六号", 7.5},
    {"6号", 7.5},  {"小六", 6.5},
};

int template_parse_length(const char *s, double em, double grid_line, double grid_char,
                          double *out)
{
    for (size_t i = 0; i < sizeof type_sizes / sizeof *type_sizes; i++)
        if (strcmp(s, type_sizes[i].name) == 0) {
            *out = type_sizes[i].pt;
            return 1;
        }
    char *end = NULL;
    double v = strtod(s, &end);
    if (end == s)
        return 0;
    if (strcmp(end, "mm") == 0)
        v *= MM;
    else if (strcmp(end, "cm") == 0)
        v *= 10 * MM;
    else if (strcmp(end, "em") == 0)
        v *= em;
    else if (strcmp(end, "line") == 0 || strcmp(end, "lines") == 0)
        v *= grid_line;
    else if (strcmp(end, "char") == 0 || strcmp(end, "chars") == 0)
        v *= grid_char;
    else if (strcmp(end, "pt") != 0 && *end != '\0')
        return 0;
    *out = v;
    return 1;
}

int template_parse_color(const char *s, uint32_t *out)
{
    if (s[0] != '#' || strlen(s) != 7)
        return 0;
    for (int i = 1; i < 7; i++)
        if (!isxdigit((unsigned char)s[i]))
            return 0;
    *out = (uint32_t)strtoul(s + 1, NULL, 16);
    return 1;
}

int template_parse_align(const char *s, align *out)
{
    static const char *const names[] = {"justify", "left", "center", "right"};
    for (int i = 0; i < 4; i++)
        if (strcmp(s, names[i]) == 0) {
            *out = (align)i;
            return 1;
        }
    return 0;
}

/* isspace() of the C locale, the program's */
#define SPACES " \t\n\v\f\r"

char *template_literal(const char *s)
{
    size_t n = strlen(s);
    char *out = xmalloc(n + 1), *o = out;
    for (size_t i = 0; i < n;) {
        size_t word = strcspn(s + i, SPACES); /* most values are one word */
        memcpy(o, s + i, word);
        o += word;
        i += word;
        if (i == n)
            break;
        size_t j = i;
        int newline = 0;
        while (j < n && isspace((unsigned char)s[j]))
            newline |= s[j++] == '\n';
        if (!newline && i > 0 && j < n)
            *o++ = ' ';
        i = j;
    }
    *o = '\0';
    return out;
}

int template_is_literal(const char *s)
{
    for (size_t i = strcspn(s, SPACES); s[i]; i += 1 + strcspn(s + i + 1, SPACES))
        /* only a lone space between two other characters stays as it is */
        if (s[i] != ' ' || i == 0 || s[i + 1] == '\0' || isspace((unsigned char)s[i + 1]))
            return 0;
    return 1;
}

static int S_is_digits(const char *s, int n)
{
    for (int i = 0; i < n; i++)
        if (s[i] < '0' || s[i] > '9')
            return 0;
    return 1;
}

static int S_parse_date(const char *s, int *y, int *m, int *d)
{
    static const int days[] = {31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    char tail;
    if (strlen(s) != 10)
        return 0;
    if (S_is_digits(s, 4) && S_is_digits(s + 5, 2) && S_is_digits(s + 8, 2)) { /* as sscanf, faster */
        *y = atoi(s);
        *m = atoi(s + 5);
        *d = atoi(s + 8);
    } else if (sscanf(s, "%4d-%2d-%2d%c", y, m, d, &tail) != 3) {
        return 0;
    }
    if (s[4] != '-' || s[7] != '-' || *m < 1 || *m > 12 || *d < 1 || *d > days[*m - 1])
        return 0;
    int leap = (*y % 4 == 0 && *y % 100 != 0) || *y % 400 == 0;
    return !(*m == 2 && *d == 29 && !leap);
}

static const char *const cn_digits[] = {"〇", "一", "二", "三", "四", "五", "六", "七", "八", "九"};

/* 1..31 in Chinese numerals: 十, 十二, 二十, 三十一. */
static void S_cn_number(int v, char *buf, size_t len)
{
    if (v < 10)
        snprintf(buf, len, "%s", cn_digits[v]);
    else
        snprintf(buf, len, "%s十%s", v >= 20 ? cn_digits[v / 10] : "", v % 10 ? cn_digits[v % 10] : "");
}

static char *S_format_date(int y, int m, int d, int chinese)
{
    if (!chinese)
        return xasprintf("%d年%d月%d日", y, m, d);
    char year[64] = "", month[32], day[32];
    char digits[16];
    snprintf(digits, sizeof digits, "%d", y);
    for (const char *p = digits; *p; p++)
        strcat(year, cn_digits[*p - '0']);
    S_cn_number(m, month, sizeof month);
    S_cn_number(d, day, sizeof day);
    return xasprintf("%s年%s月%s日", year, month, day);
}

char *template_format_value(const char *raw, const char *format, const char *end,
                            const text_origin *origin, diag_list *diags)
{
    char *text = template_literal(raw);
    if (format && (strcmp(format, "date") == 0 || strcmp(format, "date-cn") == 0)) {
        int y, m, d;
        if (!S_parse_date(text, &y, &m, &d)) {
            diag_add(diags, DIAG_ERROR, origin->file, origin->line,
                     "<%s> \"%s\" is not a date (YYYY-MM-DD)", origin->field ? origin->field : "?",
                     text);
            free(text);
            return NULL;
        }
        free(text);
        text = S_format_date(y, m, d, strcmp(format, "date-cn") == 0);
    } else if (format) {
        diag_add(diags, DIAG_ERROR, NULL, 0, "unknown value format \"%s\"", format);
    }
    size_t n = strlen(text), e = end ? strlen(end) : 0;
    if (e && n && (n < e || strcmp(text + n - e, end) != 0)) {
        char *t = xasprintf("%s%s", text, end);
        free(text);
        text = t;
    }
    return text;
}
