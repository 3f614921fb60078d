#include "clerk_date.h"

#include <string.h>

#include "util.h"

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

int clerk_date_days_in_month(int year, int month)
{
    static const int days[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    int leap = (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
    return days[month - 1] + (month == 2 && leap);
}

clerk_date_kind clerk_date_parse(const char *s, int *year, int *month, int *day)
{
    static const char *const after_year[] = {"-", "/", ".", "年", NULL};
    const char *p = s;
    *year = digits(&p, 4, 4);
    const char *sep = *year >= 1000 ? date_separator(&p, after_year) : NULL;
    int chinese = sep && !strcmp(sep, "年");
    const char *const after_month[] = {chinese ? "月" : sep, NULL};
    *month = sep ? digits(&p, 1, 2) : -1;
    *day = *month >= 0 && date_separator(&p, after_month) ? digits(&p, 1, 2) : -1;
    if (*day >= 0 && chinese && !strncmp(p, "日", strlen("日")))
        p += strlen("日");
    if (*day < 0 || *p != '\0')
        return CLERK_DATE_NOT;
    if (*month < 1 || *month > 12 || *day < 1 || *day > clerk_date_days_in_month(*year, *month))
        return CLERK_DATE_NO_SUCH_DAY;
    return CLERK_DATE_DAY;
}

char *clerk_date_normalized(const char *s)
{
    int year, month, day;
    if (clerk_date_parse(s, &year, &month, &day) != CLERK_DATE_DAY)
        return NULL;
    return xasprintf("%04d-%02d-%02d", year, month, day);
}
