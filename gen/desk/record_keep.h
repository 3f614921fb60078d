/* Keeping a validated record in the store, as every way in does (an
 * upload, the nomination form, the campaign's builds). */
#ifndef GEN_DESK_RECORD_KEEP_H
#define GEN_DESK_RECORD_KEEP_H

#include <stddef.h>

#include "http.h"

/* Stores xml (its kind: its root element, one the desk knows) as a new
 * version of (org, kind) by the request's account, with the original
 * bytes as sent.  0 with *id; 1 when the kind is not one the desk keeps;
 * -1 when the store failed. */
int record_keep(request *r, const char *org, const char *filename, const void *original,
                size_t original_size, const char *xml, size_t xml_size, long long *id);

/* The record, when the request's account may see it: 0; else -1, which
 * the routes answer with 404 (whether another org's record exists is
 * not said). */
int visible_record(request *r, long long id, store_record *rec);

/* 303 to /records/ID */
int redirect_to_record(request *r, long long id);

#endif
