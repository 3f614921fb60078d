#include "xlsx_date.h"

#include <math.h>
#include <stdint.h>

/* The civil date of a day count from 1970-01-01 (H. Hinnant's algorithm,
 * the proleptic Gregorian calendar). */
static void civil_from_days(int64_t z, int *year, int *month, int *day)
{
    z += 719468;
    int64_t era = (z >= 0 ? z : z - 146096) / 146097;
    int64_t doe = z - era * 146097;
    int64_t yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    int64_t doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    int64_t mp = (5 * doy + 2) / 153;
    *day = (int)(doy - (153 * mp + 2) / 5 + 1);
    *month = (int)(mp < 10 ? mp + 3 : mp - 9);
    *year = (int)(yoe + era * 400 + (*month <= 2));
}

int xlsx_serial_day(double serial, int date1904, int *year, int *month, int *day)
{
    /* 2958465 is 9999-12-31 in the 1900 system, the last day Excel has */
    if (!isfinite(serial) || serial < (date1904 ? 0 : 1) || serial >= 2958466)
        return -1;
    int64_t n = (int64_t)floor(serial);
    if (!date1904 && n == 60) { /* Lotus 1-2-3 took 1900 for a leap year */
        *year = 1900, *month = 2, *day = 29;
        return 0;
    }
    /* days from 1970-01-01: 1904-01-01 is -24107, 1899-12-31 is -25568;
     * from serial 61 on, the fake day before shifts the count by one */
    int64_t unix_day = date1904 ? n - 24107 : n < 60 ? n - 25568 : n - 25569;
    civil_from_days(unix_day, year, month, day);
    return *year <= 9999 ? 0 : -1;
}

static int builtin_is_date(int id)
{
    return (id >= 14 && id <= 22) || (id >= 27 && id <= 36) || (id >= 45 && id <= 47) ||
           (id >= 50 && id <= 58);
}

int xlsx_format_is_date(int id, const char *code)
{
    if (!code)
        return builtin_is_date(id);
    int y = 0, m = 0, d = 0, time = 0;
    for (const char *p = code; *p; p++) {
        if (*p == '"') { /* literal text: "年" */
            while (p[1] && p[1] != '"')
                p++;
            if (p[1])
                p++;
        } else if (*p == '[') { /* a colour, a condition, a locale: [Red] [$-F800] */
            while (p[1] && p[1] != ']')
                p++;
            if (p[1])
                p++;
        } else if ((*p == '\\' || *p == '_' || *p == '*') && p[1]) {
            p++; /* an escaped character, a space as wide as one, a fill */
        } else {
            char c = (char)(*p | 0x20);
            y |= c == 'y', m |= c == 'm', d |= c == 'd';
            time |= c == 'h' || c == 's';
        }
    }
    return y || d || (m && !time);
}
