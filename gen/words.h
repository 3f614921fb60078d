/* Words: where a word begins, by a dictionary.  Chinese is written without
 * spaces, and GB/T 9704-2012 7.3.1 asks a title that must wrap to keep its
 * words whole (回行时要做到词意完整); the dictionary is ICU's word break
 * iterator with its Chinese (CJ) dictionary, no word list of our own.
 * The layout stage asks this module where words begin and combines the
 * answer with text.h's line-break rules (a line may break where both
 * allow it); nothing here knows of fonts or lines. */
#ifndef GEN_WORDS_H
#define GEN_WORDS_H

#include <stddef.h>
#include <stdint.h>

/* For each i in [0, n): does a word begin at cps[i]?  boundary[0] is 0
 * (the text's start is no place to break).  Every i at which the
 * dictionary ends a word is 1; inside a word (质量|管理|体系: not between
 * 质 and 量) 0; a code point that is not valid Unicode (a surrogate, or
 * beyond U+10FFFF) is its own word.  When ICU cannot be used (its data
 * missing), every position is a boundary, so callers fall back to the
 * character-level rules and lose no break.  Returns 1 when the dictionary
 * answered, 0 on that fallback.
 *
 * Threads: the module keeps one ICU iterator, opened on first use and
 * reused for every call (opening one loads the dictionary, some
 * milliseconds; setting a text on it is cheap), and a scratch buffer of
 * UTF-16.  So it is for one thread at a time: the program lays out one
 * document at a time on one thread (batch's workers are processes), which
 * is the only caller.  words_release gives both back (at exit, for leak
 * checkers); the next call opens them again. */
int words_boundaries(const uint32_t *cps, size_t n, unsigned char *boundary);

void words_release(void);

#endif
