/* Numbers Excel has mangled.  A certificate number of digits only
 * (强制性产品认证: 16 digits) typed into a cell of the General format is a
 * number to Excel: it keeps 15 significant digits, the rest become 0, and
 * a CSV saved from it holds what the cell shows: 2.00701E+15 in a narrow
 * column, 2007010301234560 in a wide one.  The digits are gone; only the
 * clerk can type them again, into a column formatted as 文本 (text). */
#ifndef GEN_EXCEL_NUMBER_H
#define GEN_EXCEL_NUMBER_H

typedef enum {
    EXCEL_NUMBER_FINE,
    EXCEL_NUMBER_SCIENTIFIC,  /* 2.00701E+15: digits dropped for sure */
    EXCEL_NUMBER_LOST_DIGITS, /* more than 15 digits, those past the 15th
                                 zeros (two or more of them) */
    EXCEL_NUMBER_MAYBE_LOST,  /* 16 digits ending in 0: Excel's doing, or a
                                 number that ends in 0 */
} excel_number;

/* What `s` (a trimmed cell) looks like. */
excel_number excel_number_of(const char *s);

#endif
