#define _GNU_SOURCE
#include "i18n.h"

#include <locale.h>
#include <stdlib.h>
#include <unistd.h>

#include "util.h"

void i18n_init(const char *data_dir)
{
    /* Only the messages and the character set follow the locale: the
     * numbers gen writes into a PDF must keep their '.' (LC_NUMERIC), and
     * nothing else of gen depends on a locale.  LC_CTYPE gives glibc's own
     * messages (strerror) the locale's character set instead of '?'. */
    setlocale(LC_MESSAGES, "");
    setlocale(LC_CTYPE, "");
    char *own = xasprintf("%s/build/locale", data_dir);
    char *installed = xasprintf("%s/../locale", data_dir);
    bindtextdomain("gen", access(own, R_OK) == 0 ? own : installed);
    /* the records, file names and libxml2's messages quoted in a message
     * are UTF-8: the translations are too, whatever the locale says */
    bind_textdomain_codeset("gen", "UTF-8");
    textdomain("gen");
    free(own);
    free(installed);
}
