/* What a process that runs many commands (the desk's worker) keeps
 * loaded between them: the font map and the templates, each with the
 * files it was read from as they were then, and the warnings reading it
 * gave, said again at each reuse.  pipeline.c asks here before it reads;
 * the switch and the release calls are pipeline.h's (pipeline_keep_loaded).
 * One process, one thread: the worker runs one command at a time. */
#ifndef GEN_PIPELINE_KEPT_H
#define GEN_PIPELINE_KEPT_H

#include <stddef.h>

#include "diag.h"
#include "font.h"
#include "template.h"

/* The set kept for the font map at `map`, when the map and the font
 * files it names are unchanged on disk (its warnings added to diags
 * again); else NULL.  A face the map asks for by family name and
 * fontconfig did not find is not looked for again until the map
 * changes. */
font_set *kept_fonts_for(const char *map, diag_list *diags);
/* Keep a complete set just read from `map`, with diags[first..]: what
 * reading it said.  Nothing when keeping is off. */
void kept_fonts_keep(const char *map, font_set *set, const diag_list *diags, size_t first);
/* Is this the kept set (not to be freed)? */
int kept_fonts_is(const font_set *set);

/* The template kept for `path` (absolute), lent to the caller, when it,
 * the templates it includes, the templates' schema `schema` and, when it
 * uses them, the code lists `codes` are unchanged on disk and it is not
 * lent already; its warnings added to diags again and what earlier
 * applications tallied forgotten (template_forget_use).  Else NULL. */
template *kept_template_lend(const char *path, const char *schema, const char *codes,
                             diag_list *diags);
/* Keep a template just opened without errors from those files, lent at
 * once, with diags[first..]: what opening it said.  Nothing when keeping
 * is off, or for a relative path. */
void kept_template_keep(template *t, const char *path, const char *schema, const char *codes,
                        const diag_list *diags, size_t first);
/* Give back a lent template: 1, or 0 when t is not kept (the caller's to
 * free). */
int kept_template_give_back(template *t);

/* Keeping on or off (pipeline_keep_loaded); off frees everything kept. */
void kept_set_on(int on);

#endif
