/* The data folder, found from where the running program is. */
#define _GNU_SOURCE
#include <libgen.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "data_dir.h"
#include "util.h"

char *find_data_dir(void)
{
    char exe[PATH_MAX];
    ssize_t n = readlink("/proc/self/exe", exe, sizeof exe - 1);
    if (n <= 0)
        return xstrdup(".");
    exe[n] = '\0';
    /* bin/gen: the project above bin/, or PREFIX/share/gen when installed;
     * a build of the tests (build/asan/bin/gen) looks further up */
    for (char *dir = dirname(dirname(exe)); strcmp(dir, "/") != 0; dir = dirname(dir)) {
        char *share = xasprintf("%s/share/gen", dir), *own = xasprintf("%s/templates", dir);
        char *found = access(share, R_OK) == 0 ? share
                      : access(own, R_OK) == 0 ? xstrdup(dir)
                                               : NULL;
        if (found != share)
            free(share);
        free(own);
        if (found)
            return found;
    }
    return xstrdup(".");
}
