/* The proofreader: slips of 公文 (official document) typography in the
 * record's text, said as warnings with the record's file, line and field,
 * what is wrong and the fix.  The text is never changed.
 *
 * What it finds (GB/T 9704-2012 7.3.3, GB/T 15834-2011):
 *   - a paragraph numbered 1、 or 1.字 (the third level is 1． with a
 *     full-width full stop);
 *   - a numeric range with a hyphen, 3-5家 (a range takes ～): only a
 *     number-hyphen-number followed by a measure word or unit, or standing
 *     between Chinese characters; never a date (2009-08-04), a telephone
 *     number (0571-80000000), a year span (2009-2010年: time spans may
 *     keep the hyphen), a code or a standard's number (GB/T 9704-2012);
 *   - half-width , ; : ? ! next to Chinese (not in 1,000, 10:30, Latin
 *     text, e-mail addresses or URLs), and ( ) around or beside Chinese;
 *   - straight quotes "" (and paired '' around Chinese) in Chinese text;
 *   - heading numbers out of order within a field: a （一） before any
 *     一、, a 1． before any （一） (a level may be skipped, 一、 then 1．,
 *     as offices do, but a lower level may not come first).
 *
 * It reads the block tree (blocks.h) before layout: the text as printed
 * (Markdown's own marks gone, escapes resolved), each run with its origin.
 * Runs of the template's own text (origin field "template") and runs with
 * no origin are not the record's and are not proofread. */
#ifndef GEN_PROOFREAD_H
#define GEN_PROOFREAD_H

#include "blocks.h"
#include "diag.h"

/* At most this many warnings a document; then one saying how many more
 * (a table of 38,000 rows with the same slip in each row says it 40
 * times, not 38,000). */
#define PROOFREAD_MAX_WARNINGS 40

/* Add a DIAG_WARNING to `diags` for each slip in the document's flow,
 * tables, stacks and foot.  Returns the number of slips found (those said
 * and those only counted).  Reads the tree only. */
size_t proofread_document(const document *doc, diag_list *diags);

/* An entry of a notice's 附件说明 (list of attachments), where it is in
 * the notice, its label and the name it gives the attachment. */
typedef struct proofread_entry {
    const char *file;  /* the notice */
    int line;          /* the entry's line */
    const char *label; /* 附件2 */
    const char *title; /* its name in the list */
} proofread_entry;

/* The attachment's block tree prints the name the list gives it as a
 * paragraph of its own (its title), whitespace aside: else a warning at
 * the entry's line.  A bundle's attachment template takes the entry's
 * name as $attachment-title, so the shipped ones always do; a template
 * that prints a title of its own does not.  (The title a template prints
 * when its record stands alone, the param's default, is a generic name,
 * 认证示范企业推荐表, that a notice may well make more precise,
 * 质量管理体系认证示范企业推荐表: it is not compared.)  Returns 1 when it
 * warned, else 0. */
int proofread_attachment_title(const document *attachment, const proofread_entry *entry,
                               diag_list *diags);

#endif
