/* The routes of the desk (the spec's table), dispatched by method and
 * path; each handler answers the request and returns what MHD expects. */
#ifndef GEN_DESK_ROUTES_H
#define GEN_DESK_ROUTES_H

#include "http.h"

int routes_dispatch(request *r);

/* routes_login.c */
int route_home(request *r);
int route_login(request *r);
int route_logout(request *r);
/* routes_records.c */
int route_upload(request *r);
int route_record_page(request *r, long long id);
/* routes_downloads.c */
int route_original(request *r, long long id);
int route_pdf(request *r, long long id);
/* routes_forms.c */
int route_form_new(request *r);
int route_form_post(request *r);
/* routes_campaign.c */
int route_campaign(request *r);
int route_campaign_build(request *r, const char *what); /* list, exposure, bulletin */

#endif
