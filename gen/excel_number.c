#include "excel_number.h"

#include <stddef.h>

static size_t digits_at(const char *s)
{
    size_t n = 0;
    while (s[n] >= '0' && s[n] <= '9')
        n++;
    return n;
}

/* [+-]D[.D](E|e)[+-]D, as Excel's General format writes a number that
 * does not fit: 2.00701E+15, 2E+15. */
static int is_scientific(const char *s)
{
    if (*s == '+' || *s == '-')
        s++;
    size_t n = digits_at(s);
    if (n == 0)
        return 0;
    s += n;
    if (*s == '.') {
        if ((n = digits_at(++s)) == 0)
            return 0;
        s += n;
    }
    if (*s != 'E' && *s != 'e')
        return 0;
    s++;
    if (*s == '+' || *s == '-')
        s++;
    n = digits_at(s);
    return n > 0 && s[n] == '\0';
}

excel_number excel_number_of(const char *s)
{
    if (is_scientific(s))
        return EXCEL_NUMBER_SCIENTIFIC;
    size_t n = digits_at(s);
    if (n <= 15 || s[n] != '\0')
        return EXCEL_NUMBER_FINE;
    for (size_t i = 15; i < n; i++)
        if (s[i] != '0')
            return EXCEL_NUMBER_FINE;
    return n == 16 ? EXCEL_NUMBER_MAYBE_LOST : EXCEL_NUMBER_LOST_DIGITS;
}
