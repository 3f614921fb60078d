#define _GNU_SOURCE
#include <stdio.h>
#include <stdlib.h>

#include "i18n.h"
#include "kinds.h"
#include "record_keep.h"

int record_keep(request *r, const char *org, const char *filename, const void *original,
                size_t original_size, const char *xml, size_t xml_size, long long *id)
{
    char root[64];
    const char *kind =
        xml_root_name(xml, xml_size, root, sizeof root) == 0 ? kind_known(root) : NULL;
    if (!kind)
        return 1;
    int version = 0;
    char *err = NULL;
    if (store_put(r->desk->store, &r->user, org, kind, filename, original, original_size, xml,
                  xml_size, id, &version, &err) != 0) {
        fprintf(stderr, _("gen-desk: cannot store a record: %s\n"), err ? err : "?");
        free(err);
        return -1;
    }
    return 0;
}

int redirect_to_record(request *r, long long id)
{
    char location[64];
    snprintf(location, sizeof location, "/records/%lld", id);
    return respond_redirect(r, location, NULL);
}

/* The record, when the account may see it: 0; else -1 (a 404: whether
 * another org's record exists is not said). */
int visible_record(request *r, long long id, store_record *rec)
{
    return store_get(r->desk->store, id, rec) == 0 && store_visible(&r->user, rec) ? 0 : -1;
}
