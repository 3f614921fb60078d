/* Unit tests for gen/xlsx_date.c: Excel's serial numbers as days, at the
 * edges of its 1900 system (the fake 1900-02-29) and in the 1904 system,
 * each day worked out by hand and by Python's datetime (serial n is
 * 1899-12-30 + n days from 61 on, 1899-12-31 + n before 60, 1904-01-01 +
 * n in the 1904 system); and which number formats show a date. */
#include <stdio.h>
#include <string.h>

#include "check.h"
#include "xlsx_date.h"

/* The day of `serial` as YYYY-MM-DD, or "none". */
static const char *day_of(double serial, int date1904, char out[16])
{
    int y, m, d;
    if (xlsx_serial_day(serial, date1904, &y, &m, &d) != 0)
        return strcpy(out, "none");
    snprintf(out, 16, "%04d-%02d-%02d", y, m, d);
    return out;
}

#define DAY_IS(serial, date1904, want)                                                    \
    do {                                                                                  \
        char got[16];                                                                     \
        CHECK(!strcmp(day_of(serial, date1904, got), want), "serial %g (%s): %s, not %s", \
              (double)(serial), date1904 ? "1904" : "1900", got, want);                   \
    } while (0)

static void test_1900_system(void)
{
    DAY_IS(1, 0, "1900-01-01");
    DAY_IS(59, 0, "1900-02-28");
    DAY_IS(60, 0, "1900-02-29"); /* Excel's day that never was: the importer refuses it */
    DAY_IS(61, 0, "1900-03-01");
    DAY_IS(40029, 0, "2009-08-04");
    DAY_IS(40029.75, 0, "2009-08-04"); /* 18:00 that day: the time is dropped */
    DAY_IS(2958465, 0, "9999-12-31");
    DAY_IS(2958466, 0, "none");
    DAY_IS(0, 0, "none"); /* Excel shows 1900-01-00 */
    DAY_IS(-1, 0, "none");
}

static void test_1904_system(void)
{
    DAY_IS(0, 1, "1904-01-01");
    DAY_IS(38567, 1, "2009-08-04"); /* 40029 - 1462, the days between the epochs */
    DAY_IS(59, 1, "1904-02-29");    /* a real leap day */
    DAY_IS(-1, 1, "none");
}

static void test_formats(void)
{
    CHECK(xlsx_format_is_date(14, NULL), "built-in 14 (m/d/yyyy) is a date");
    CHECK(xlsx_format_is_date(22, NULL) && xlsx_format_is_date(31, NULL) &&
              xlsx_format_is_date(57, NULL),
          "built-in 22, 31 (yyyy\"年\"m\"月\"d\"日\"), 57 are dates");
    CHECK(!xlsx_format_is_date(0, NULL) && !xlsx_format_is_date(49, NULL) &&
              !xlsx_format_is_date(23, NULL) && !xlsx_format_is_date(59, NULL),
          "General, @, and ids between the date ranges are not");
    CHECK(xlsx_format_is_date(164, "yyyy-mm-dd"), "yyyy-mm-dd");
    CHECK(xlsx_format_is_date(165, "yyyy\"年\"m\"月\"d\"日\";@"), "yyyy\"年\"m\"月\"d\"日\";@");
    CHECK(xlsx_format_is_date(166, "[$-F800]dddd\\,\\ mmmm\\ dd\\,\\ yyyy"), "a locale's long date");
    CHECK(xlsx_format_is_date(167, "m/d"), "m/d");
    CHECK(!xlsx_format_is_date(168, "0.00_);[Red]\\(0.00\\)"), "[Red] is a colour, not a day");
    CHECK(!xlsx_format_is_date(169, "h:mm"), "h:mm is a time (m is minutes)");
    CHECK(!xlsx_format_is_date(170, "mm:ss"), "mm:ss is a time");
    CHECK(!xlsx_format_is_date(171, "0\"d\""), "a quoted d is text");
    CHECK(!xlsx_format_is_date(172, "#,##0.00"), "a number");
}

int main(void)
{
    test_1900_system();
    test_1904_system();
    test_formats();
    return check_summary();
}
