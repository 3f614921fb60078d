/* The template's small languages: lengths, colours, alignments, and the
 * formatting of record values (dates as official documents write them). */
#ifndef GEN_TEMPLATE_VALUES_H
#define GEN_TEMPLATE_VALUES_H

#include <stdint.h>

#include "blocks.h"
#include "diag.h"

/* "37mm", "1.5cm", "16pt", "2em" (times em), "1line" (times grid_line),
 * "1char" (times grid_char), a Chinese type size ("3号" = 16pt, "小四" =
 * 12pt, "初号"), or a bare number of points.  Returns 1, or 0 when
 * malformed. */
int template_parse_length(const char *s, double em, double grid_line, double grid_char,
                          double *out);

/* "#RRGGBB".  Returns 1, or 0. */
int template_parse_color(const char *s, uint32_t *out);

/* "justify", "left", "center", "right".  Returns 1, or 0. */
int template_parse_align(const char *s, align *out);

/* Text of a template or a record field as it should print: whitespace
 * around line ends (the XML's indentation) removed, other runs of
 * whitespace kept as one space, both ends trimmed.  Caller frees. */
char *template_literal(const char *s);
/* Is `s` as template_literal would make it (so it need not be copied)? */
int template_is_literal(const char *s);

/* A record value formatted for print: format NULL (as is), "date"
 * ("2009-08-04" → "2009年8月4日", GB/T 9704-2012) or "date-cn" (→
 * "二〇〇九年八月四日", the 1999 edition); `end` is appended unless the
 * text already ends with it (抄送 ends with 。).  A value that does not fit
 * its format is an error diagnostic at `origin`; returns NULL then. */
char *template_format_value(const char *raw, const char *format, const char *end,
                            const text_origin *origin, diag_list *diags);

#endif
