/* What a job's worker printed on standard error, as the page shows it:
 * one line per message, errors apart from warnings, the job's own file
 * names (upload.xml, record.xml...) replaced by the name the user knows
 * (the file as sent, or the form's name). */
#ifndef GEN_DESK_WORKER_MESSAGES_H
#define GEN_DESK_WORKER_MESSAGES_H

#include <stddef.h>

typedef struct worker_messages {
    char **errors, **warnings; /* allocated */
    size_t n_errors, n_warnings;
} worker_messages;

/* Adds the lines of `text` (the worker's stderr; NULL or "" adds none).
 * Every occurrence of each of internal[] (NULL-terminated) becomes
 * `shown`.  A line is a warning when it carries the CLI's "warning: "
 * (in English or in the locale's language) after its place. */
void worker_messages_add(worker_messages *m, const char *text, const char *const *internal,
                         const char *shown);
void worker_messages_free(worker_messages *m);

/* `line` with every `from` replaced by `to` (allocated). */
char *replace_all(const char *line, const char *from, const char *to);

#endif
