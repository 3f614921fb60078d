/* Text: the Chinese line-breaking rules (GB/T 15834-2011 §5.1, W3C
 * "Requirements for Chinese Text Layout"), on code points (utf8.h decodes
 * them).  No fonts here: the layout stage asks this module where a line
 * may break and what may be squeezed, and measures with the font module. */
#ifndef GEN_TEXT_H
#define GEN_TEXT_H

#include <stddef.h>
#include <stdint.h>

/* 禁则 (kinsoku): characters that may not begin a line (closing punctuation,
 * 。，、；：？！ and the like) and that may not end one (opening brackets and
 * quotes). */
int kinsoku_is_line_start_forbidden(uint32_t cp);
int kinsoku_is_line_end_forbidden(uint32_t cp);

/* A full-width punctuation mark whose glyph fills part of its em box, on
 * one side (an opening mark's ink at the right, a closing one's at the
 * left), so it may give up the blank of the other side (layout measures
 * it from the glyph's ink: a font may centre a colon). */
int punct_is_squeezable(uint32_t cp);

/* Characters of Latin words and numbers, which are never split
 * (letters, digits and the marks inside them: 0571-80000000, rzjg@a.org). */
int text_is_word_char(uint32_t cp);

/* Ideographs and the marks and forms set one per em box (not the
 * ideographic space). */
int text_is_cjk(uint32_t cp);

/* “ ” ‘ ’: quotes, which Latin fonts draw narrow and a Chinese line sets
 * in a full em box. */
int punct_is_quote(uint32_t cp);

/* The last resort of a line that cannot otherwise be set without a spread
 * of more than a quarter em (clreq): a long Latin token (an e-mail
 * address, a URL, a long number: 8 characters or more) may be cut after
 * '@' or before '.', '/' or '-' (not before the point of a decimal
 * number), leaving at least two characters on each side; no hyphen is
 * added.  For each i in [0, n): may a line start at cps[i] so?  Where
 * linebreak_opportunities allows a break this says 0. */
void text_token_breaks(const uint32_t *cps, size_t n, unsigned char *cut);

/* For each i in [0, n): may a line start at cps[i]?  can_break[0] is 0.
 * Spaces are break opportunities after them.  The rules: kinsoku on both
 * sides; no break inside a Latin word or number, nor between a number and
 * the ideograph or closing bracket that follows it ("195号", "〔2009〕195号"),
 * nor between a closing bracket and a word character; no break inside
 * "——" or "……". */
void linebreak_opportunities(const uint32_t *cps, size_t n, unsigned char *can_break);

#endif
