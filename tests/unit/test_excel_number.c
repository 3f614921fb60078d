/* Unit tests for gen/excel_number.c: the numbers Excel shows in scientific
 * notation or with digits past the 15th turned to 0 are told from
 * certificate numbers as clerks type them. */
#include "check.h"
#include "excel_number.h"

static const struct {
    const char *cell;
    excel_number want;
} cases[] = {
    {"2.00701E+15", EXCEL_NUMBER_SCIENTIFIC},
    {"2.00701e+15", EXCEL_NUMBER_SCIENTIFIC},
    {"2E+15", EXCEL_NUMBER_SCIENTIFIC},
    {"1.5E-3", EXCEL_NUMBER_SCIENTIFIC},
    {"-3.2E15", EXCEL_NUMBER_SCIENTIFIC},
    {"200701030123456000", EXCEL_NUMBER_LOST_DIGITS}, /* 18 digits, 3 zeros past 15 */
    {"20070103012345600", EXCEL_NUMBER_LOST_DIGITS},
    {"2007010301234560", EXCEL_NUMBER_MAYBE_LOST}, /* 16 digits, a 0 last */
    {"2007010301234567", EXCEL_NUMBER_FINE},        /* a CCC number as typed */
    {"200701030123456701", EXCEL_NUMBER_FINE},      /* past 15 not all zeros */
    {"000000000000000000", EXCEL_NUMBER_LOST_DIGITS},
    {"100000000000000", EXCEL_NUMBER_FINE},         /* 15 digits: Excel keeps them */
    {"00107ES10345R0M", EXCEL_NUMBER_FINE},
    {"CNCA-R-2003-099", EXCEL_NUMBER_FINE},
    {"2E", EXCEL_NUMBER_FINE},
    {"E+15", EXCEL_NUMBER_FINE},
    {"2.E+15", EXCEL_NUMBER_FINE},
    {"2.0E+15x", EXCEL_NUMBER_FINE},
    {"12E07Q1234", EXCEL_NUMBER_FINE},
    {"", EXCEL_NUMBER_FINE},
};

int main(void)
{
    for (size_t i = 0; i < sizeof cases / sizeof *cases; i++)
        CHECK(excel_number_of(cases[i].cell) == cases[i].want, "%s: got %d, want %d",
              cases[i].cell, excel_number_of(cases[i].cell), cases[i].want);
    return check_summary();
}
