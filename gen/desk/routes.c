/* Which handler answers: by path, then by method (405 for another). */
#include <string.h>

#include "pages.h"
#include "route.h"
#include "routes.h"

typedef struct fixed_route {
    const char *path, *method;
    int (*handler)(request *r);
} fixed_route;

static int campaign_list(request *r)
{
    return route_campaign_build(r, "list");
}
static int campaign_exposure(request *r)
{
    return route_campaign_build(r, "exposure");
}
static int campaign_bulletin(request *r)
{
    return route_campaign_build(r, "bulletin");
}

static const fixed_route fixed[] = {
    {"/", "GET", route_home},
    {"/login", "POST", route_login},
    {"/logout", "POST", route_logout},
    {"/records", "POST", route_upload},
    {"/forms/new", "GET", route_form_new},
    {"/forms", "POST", route_form_post},
    {"/campaign", "GET", route_campaign},
    {"/campaign/list", "POST", campaign_list},
    {"/campaign/exposure", "POST", campaign_exposure},
    {"/campaign/bulletin", "POST", campaign_bulletin},
};

/* HEAD is answered as GET (MHD sends no body) */
static int is(const request *r, const char *method)
{
    return !strcmp(r->method, method) || (!strcmp(method, "GET") && !strcmp(r->method, "HEAD"));
}

int routes_dispatch(request *r)
{
    for (size_t i = 0; i < sizeof fixed / sizeof *fixed; i++)
        if (!strcmp(r->path, fixed[i].path))
            return is(r, fixed[i].method) ? fixed[i].handler(r) : wrong_method(r, fixed[i].method);
    long long id = 0;
    record_route which = route_record(r->path, &id);
    if (which == RECORD_NONE)
        return not_found(r);
    if (!is(r, "GET"))
        return wrong_method(r, "GET");
    if (which == RECORD_PAGE)
        return route_record_page(r, id);
    if (which == RECORD_PDF)
        return route_pdf(r, id);
    return route_original(r, id);
}
