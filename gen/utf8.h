/* UTF-8: the codec every stage shares (load checks files with it, layout
 * decodes runs, pdf and the importers walk strings).  Strict: a sequence
 * that is overlong, a surrogate or past U+10FFFF is not UTF-8. */
#ifndef GEN_UTF8_H
#define GEN_UTF8_H

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

#endif
