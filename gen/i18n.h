/* Messages in the user's language: GNU gettext, text domain "gen".
 * _("...") is a message translated where it is used; N_("...") marks a
 * message kept in a table and translated when it is printed (_(table[i])).
 * xgettext finds both, and diag_add's format (gen/diag.c translates it).
 * The catalogues are po/LANG.po, compiled by make into build/locale. */
#ifndef GEN_I18N_H
#define GEN_I18N_H

#include <libintl.h>

#define _(msgid) gettext(msgid)
#define N_(msgid) msgid

/* The language from the locale (LC_ALL, LC_MESSAGES, LANG, and LANGUAGE
 * as glibc reads it) and the catalogue from beside the program: data_dir is
 * the project (build/locale under it) or PREFIX/share/gen when installed
 * (PREFIX/share/locale).  Call once, first thing in main. */
void i18n_init(const char *data_dir);

#endif
