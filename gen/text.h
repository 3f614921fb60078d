/* Text: UTF-8 decoding and the Chinese line-breaking rules (GB/T 15834-2011
 * §5.1, W3C "Requirements for Chinese Text Layout").  No fonts here: the
 * layout stage asks this module where a line may break and what may be
 * squeezed, and measures with the font module. */
#ifndef GEN_TEXT_H
#define GEN_TEXT_H

#include <stddef.h>
#include <stdint.h>

/* Decode UTF-8 into code points.  Returns the number of code points written
 * to *out (allocated, caller frees), or -1 when the input is not valid UTF-8;
 * then *bad_offset is the byte offset of the first bad sequence. */
long utf8_decode(const char *s, size_t len, uint32_t **out, size_t *bad_offset);

/* The number of code points of valid UTF-8, or -1 with *bad_offset (as
 * utf8_decode) without decoding anything: for checking whole files. */
long utf8_length(const char *s, size_t len, size_t *bad_offset);

/* Decode the code point at s (avail bytes left): returns its length (1-4)
 * with *cp set, or 0 when s does not begin a well-formed sequence. */
int utf8_next(const char *s, size_t avail, uint32_t *cp);

/* Encode one code point; returns the bytes written (1-4) to buf. */
int utf8_encode(uint32_t cp, char buf[4]);

/* 禁则 (kinsoku): characters that may not begin a line (closing punctuation,
 * 。，、；：？！ and the like) and that may not end one (opening brackets and
 * quotes). */
int kinsoku_is_line_start_forbidden(uint32_t cp);
int kinsoku_is_line_end_forbidden(uint32_t cp);

/* A full-width punctuation mark whose glyph fills only half its em box, so
 * it may give up half its width when a line must be squeezed. */
int punct_is_squeezable(uint32_t cp);

/* Characters of Latin words and numbers, which are never split
 * (letters, digits and the marks inside them: 0571-80000000, rzjg@a.org). */
int text_is_word_char(uint32_t cp);

/* For each i in [0, n): may a line start at cps[i]?  can_break[0] is 0.
 * Spaces are break opportunities after them.  The rules: kinsoku on both
 * sides; no break inside a Latin word or number, nor between a number and
 * the ideograph or closing bracket that follows it ("195号", "〔2009〕195号"),
 * nor between a closing bracket and a word character; no break inside
 * "——" or "……". */
void linebreak_opportunities(const uint32_t *cps, size_t n, unsigned char *can_break);

#endif
