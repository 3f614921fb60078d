/* The HTTP glue over libmicrohttpd: one request's method, path, form
 * fields (urlencoded or multipart, read by MHD's post processor within
 * DESK_BODY_LIMIT) and session, and the ways to answer it. */
#ifndef GEN_DESK_HTTP_H
#define GEN_DESK_HTTP_H

#include <stddef.h>

#include "desk.h"
#include "html.h"

struct MHD_Connection;
struct MHD_PostProcessor;
struct MHD_Daemon;

typedef struct form_field {
    char *name, *filename; /* filename: NULL but for a file of a multipart form */
    char *data;            /* NUL-terminated beyond size */
    size_t size, cap;
} form_field;

typedef struct request {
    desk *desk;
    struct MHD_Connection *conn;
    const char *method, *path;
    size_t body_size;
    int too_large, malformed;
    struct MHD_PostProcessor *pp;
    form_field *fields;
    size_t n_fields;
    /* the session, when the cookie names one */
    int logged_in;
    desk_user user;
    char token[65], csrf[65];
    page_visitor visitor;
} request;

/* Starts the server on host:port (port 0: the kernel's choice, put in
 * *bound).  NULL with a message in *err (malloc'd). */
struct MHD_Daemon *http_start(desk *d, const char *host, int port, int *bound, char **err);
void http_stop(struct MHD_Daemon *daemon);

/* A form field's value (NULL when absent; *size when size is not NULL). */
const char *request_field(const request *r, const char *name, size_t *size);
const form_field *request_file(const request *r, const char *name);
const char *request_query(const request *r, const char *name);
const char *request_header(const request *r, const char *name);
/* The request came over TLS, or through a proxy that says it did. */
int request_secure(const request *r);
/* The client's address as text. */
void request_client(const request *r, char *out, size_t size);
/* 1 when the form's csrf field is the session's token. */
int request_csrf_ok(const request *r);

/* The answers; each returns what the access handler returns to MHD.
 * headers: name, value, name, value..., NULL. */
int respond(request *r, int status, const char *type, const void *body, size_t size,
            const char *const *headers);
int respond_html(request *r, int status, html *h, const char *const *headers); /* frees h */
int respond_redirect(request *r, const char *location, const char *cookie);
/* A page of its own: an h1 title and a p.error message (either NULL). */
int respond_message(request *r, int status, const char *title, const char *message);

#endif
