/* Diagnostics: problems found by any stage, reported by the command line as
 * FILE:LINE: message.  Stages collect; only main prints. */
#ifndef GEN_DIAG_H
#define GEN_DIAG_H

#include <stddef.h>
#include <stdio.h>

typedef enum { DIAG_WARNING, DIAG_ERROR } diag_level;

typedef struct diag {
    diag_level level;
    char *file; /* may be NULL */
    int line;   /* 0 when unknown */
    char *message;
} diag;

typedef struct diag_list {
    diag *items;
    size_t n, cap;
} diag_list;

#if defined(__GNUC__)
#define GEN_PRINTF(a, b) __attribute__((format(printf, a, b)))
#else
#define GEN_PRINTF(a, b)
#endif

void diag_add(diag_list *list, diag_level level, const char *file, int line,
              const char *fmt, ...) GEN_PRINTF(5, 6);
size_t diag_count(const diag_list *list, diag_level level);
/* Print every diagnostic as "FILE:LINE: message" ("warning: " before
 * warnings). */
void diag_print(const diag_list *list, FILE *out);
void diag_free(diag_list *list);
/* Add a copy of each diagnostic of `from` to `to`, as they are (their
 * messages already in the user's language). */
void diag_append(diag_list *to, const diag_list *from);
/* Drop the diagnostics from the n-th on. */
void diag_truncate(diag_list *list, size_t n);
/* Drop each diagnostic from the n-th on that repeats an earlier one (the
 * same level, place and message): a record checked through two
 * templates, one including the other, hears of the other's faults once. */
void diag_drop_repeats(diag_list *list, size_t n);

#endif
