#include <string.h>

#include "route.h"

/* The digits of an ID at p: how many (0 when not one). */
static int id_digits(const char *p, long long *id)
{
    int n = 0;
    long long v = 0;
    if (*p == '0')
        return 0;
    while (p[n] >= '0' && p[n] <= '9') {
        if (n == 15)
            return 0;
        v = v * 10 + (p[n] - '0');
        n++;
    }
    *id = v;
    return n;
}

record_route route_record(const char *path, long long *id)
{
    static const char prefix[] = "/records/";
    if (strncmp(path, prefix, sizeof prefix - 1) != 0)
        return RECORD_NONE;
    const char *p = path + sizeof prefix - 1;
    int n = id_digits(p, id);
    if (n == 0)
        return RECORD_NONE;
    const char *rest = p + n;
    if (!*rest)
        return RECORD_PAGE;
    if (!strcmp(rest, ".pdf"))
        return RECORD_PDF;
    if (!strcmp(rest, "/original"))
        return RECORD_ORIGINAL;
    return RECORD_NONE;
}

int route_version(const char *v)
{
    if (!v || !*v)
        return 0;
    long long n = 0;
    int d = id_digits(v, &n);
    if (d == 0 || v[d] != '\0' || n > 1000000)
        return -1;
    return (int)n;
}
