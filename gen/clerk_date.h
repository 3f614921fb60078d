/* Dates as clerks write them: 2009-08-04, 2009-8-4, 2009/8/4, 2009.8.4 or
 * 2009年8月4日.  A record and the CSV importer both take any of these and
 * write YYYY-MM-DD, the form the schemas validate. */
#ifndef GEN_CLERK_DATE_H
#define GEN_CLERK_DATE_H

/* What `s` is: CLERK_DATE_DAY a day of the calendar in one of the forms
 * (*year, *month, *day set); CLERK_DATE_NO_SUCH_DAY one of the forms but
 * no such day (2009年2月30日: the numbers are set, *day the one written);
 * CLERK_DATE_NOT not a date in any of the forms. */
typedef enum { CLERK_DATE_NOT, CLERK_DATE_DAY, CLERK_DATE_NO_SUCH_DAY } clerk_date_kind;

clerk_date_kind clerk_date_parse(const char *s, int *year, int *month, int *day);

/* The days of `month` (1 to 12) of `year`. */
int clerk_date_days_in_month(int year, int month);

/* `s` as YYYY-MM-DD (allocated), or NULL when it is not a day of the
 * calendar in one of the forms. */
char *clerk_date_normalized(const char *s);

#endif
