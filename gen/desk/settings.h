/* The upload form's settings: lines `标签=值`, each handed to the
 * importer as `--set 标签=值` (two arguments; no shell is involved). */
#ifndef GEN_DESK_SETTINGS_H
#define GEN_DESK_SETTINGS_H

#include <stddef.h>

typedef struct settings {
    char **lines; /* each "标签=值", allocated */
    size_t n;
} settings;

/* Reads the textarea's text: empty (blank) lines are skipped, a line's
 * CR and surrounding blanks dropped.  0, or the 1-based number of the
 * first line without "=" (or starting with it: no label), out then empty. */
int settings_parse(const char *text, settings *out);
void settings_free(settings *s);

#endif
