/* Excel's dates: a number in a cell whose number format shows a date.
 * The number is a day count (the serial number) from the workbook's
 * epoch; the format decides whether it is a date at all. */
#ifndef GEN_XLSX_DATE_H
#define GEN_XLSX_DATE_H

/* The day Excel shows for serial number `serial` (its fraction, the time
 * of day, dropped): 1900 system, serial 1 = 1900-01-01, with Excel's
 * 1900-02-29 (serial 60, a day the calendar lacks, kept so that the
 * importer refuses it); `date1904`: serial 0 = 1904-01-01.  Returns 0 with
 * the day, or -1 for a serial no day of years 1900 to 9999 has. */
int xlsx_serial_day(double serial, int date1904, int *year, int *month, int *day);

/* Whether a number format shows a date: a built-in one of Excel's date
 * and time formats (ids 14-22, 27-36, 45-47, 50-58), or a custom format
 * `code` with y, d, or m without h or s (m and mm are minutes after h),
 * outside quotes, [brackets] and \-escapes.  `code` NULL: built-in. */
int xlsx_format_is_date(int id, const char *code);

#endif
