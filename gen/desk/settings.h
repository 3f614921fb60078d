/* The upload form's settings: lines `标签=值`, each handed to the
 * importer as `--set 标签=值` (two arguments; no shell is involved). */
#ifndef GEN_DESK_SETTINGS_H
#define GEN_DESK_SETTINGS_H

#include <stddef.h>

typedef struct settings {
    char **lines; /* each "标签=值", allocated */
    size_t n;
    int file_reference; /* the refused line's value started with "@" */
} settings;

/* Reads the textarea's text: empty (blank) lines are skipped, a line's
 * CR and surrounding blanks dropped.  0, or the 1-based number of the
 * first line refused, out then empty: one without "=" (or starting with
 * it: no label), or one whose value starts with "@", which the importer
 * reads as the name of a file on the server (file_reference set). */
int settings_parse(const char *text, settings *out);
void settings_free(settings *s);

#endif
