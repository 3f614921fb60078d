/* libmicrohttpd's side of a request: reading the body into form fields
 * within the limit, finding the session, and sending the answer. */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <microhttpd.h>
#include <netdb.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/socket.h>

#include "cookie.h"
#include "http.h"
#include "i18n.h"
#include "routes.h"
#include "util.h"

/* A form has a handful of fields; more is someone trying something. */
#define MAX_FIELDS 200
/* A body declared this much over the limit is refused before reading it;
 * one a little over is read and dropped, so that a client that sends it
 * whole still reads the 413. */
#define DRAIN_LIMIT (5 * (size_t)DESK_BODY_LIMIT)

static form_field *field_for(request *r, const char *key, const char *filename, uint64_t off)
{
    if (off > 0)
        for (size_t i = r->n_fields; i-- > 0;)
            if (!strcmp(r->fields[i].name, key))
                return &r->fields[i];
    if (r->n_fields == MAX_FIELDS)
        return NULL;
    r->fields = xrealloc(r->fields, (r->n_fields + 1) * sizeof *r->fields);
    form_field *f = &r->fields[r->n_fields++];
    *f = (form_field){
        .name = xstrdup(key), .filename = filename ? xstrdup(filename) : NULL, .data = xmalloc(1)};
    f->data[0] = '\0';
    f->cap = 1;
    return f;
}

static enum MHD_Result on_field(void *cls, enum MHD_ValueKind kind, const char *key,
                                const char *filename, const char *content_type,
                                const char *transfer_encoding, const char *data, uint64_t off,
                                size_t size)
{
    (void)kind, (void)content_type, (void)transfer_encoding;
    request *r = cls;
    form_field *f = key ? field_for(r, key, filename, off) : NULL;
    if (!f)
        return MHD_NO;
    if (f->size + size + 1 > f->cap) {
        f->cap = (f->size + size + 1) * 2;
        f->data = xrealloc(f->data, f->cap);
    }
    memcpy(f->data + f->size, data, size);
    f->size += size;
    f->data[f->size] = '\0';
    return MHD_YES;
}

static void request_free(request *r)
{
    if (r->pp)
        MHD_destroy_post_processor(r->pp);
    for (size_t i = 0; i < r->n_fields; i++) {
        free(r->fields[i].name);
        free(r->fields[i].filename);
        free(r->fields[i].data);
    }
    free(r->fields);
    free(r);
}

static void on_completed(void *cls, struct MHD_Connection *c, void **con_cls,
                         enum MHD_RequestTerminationCode toe)
{
    (void)cls, (void)c, (void)toe;
    if (*con_cls)
        request_free(*con_cls);
    *con_cls = NULL;
}

static void find_session(request *r)
{
    const char *header = request_header(r, MHD_HTTP_HEADER_COOKIE);
    if (!header || !cookie_find(header, SESSION_COOKIE, r->token, sizeof r->token) ||
        !token_is_hex64(r->token))
        return;
    if (store_session(r->desk->store, r->token, &r->user, r->csrf) == 0) {
        r->logged_in = 1;
        r->visitor = (page_visitor){.user = &r->user, .csrf = r->csrf};
    }
}

static request *request_new(desk *d, struct MHD_Connection *c, const char *url, const char *method)
{
    request *r = xmalloc(sizeof *r);
    *r = (request){.desk = d, .conn = c, .method = method, .path = url};
    return r;
}

static enum MHD_Result on_request(void *cls, struct MHD_Connection *c, const char *url,
                                  const char *method, const char *version, const char *upload_data,
                                  size_t *upload_data_size, void **con_cls)
{
    (void)version;
    request *r = *con_cls;
    if (!r) {
        *con_cls = r = request_new(cls, c, url, method);
        const char *length = request_header(r, MHD_HTTP_HEADER_CONTENT_LENGTH);
        unsigned long long declared = length ? strtoull(length, NULL, 10) : 0;
        if (declared > DESK_BODY_LIMIT)
            r->too_large = 1;
        if (declared > DRAIN_LIMIT)
            return (enum MHD_Result)respond_message(r, 413, "文件过大",
                                                    "上传的文件不能超过 20 MB。");
        if (!strcmp(method, MHD_HTTP_METHOD_POST))
            r->pp = MHD_create_post_processor(c, 64 * 1024, on_field, r);
        return MHD_YES;
    }
    if (*upload_data_size > 0) {
        r->body_size += *upload_data_size;
        if (r->body_size > DESK_BODY_LIMIT)
            r->too_large = 1;
        if (r->body_size > DRAIN_LIMIT)
            return MHD_NO;
        if (!r->too_large && !r->malformed && r->pp &&
            MHD_post_process(r->pp, upload_data, *upload_data_size) != MHD_YES)
            r->malformed = 1;
        *upload_data_size = 0;
        return MHD_YES;
    }
    if (r->too_large)
        return (enum MHD_Result)respond_message(r, 413, "文件过大", "上传的文件不能超过 20 MB。");
    if (r->malformed)
        return (enum MHD_Result)respond_message(r, 400, "请求有误", "提交的表单无法读取。");
    find_session(r);
    return (enum MHD_Result)routes_dispatch(r);
}

struct MHD_Daemon *http_start(desk *d, const char *host, int port, int *bound, char **err)
{
    struct addrinfo hints = {.ai_family = AF_UNSPEC,
                             .ai_socktype = SOCK_STREAM,
                             .ai_flags = AI_NUMERICHOST | AI_PASSIVE};
    struct addrinfo *ai = NULL;
    char service[16];
    snprintf(service, sizeof service, "%d", port);
    int gai = getaddrinfo(host, service, &hints, &ai);
    if (gai != 0) {
        *err = xasprintf(_("cannot listen on %s: %s"), host, gai_strerror(gai));
        return NULL;
    }
    unsigned flags = MHD_USE_INTERNAL_POLLING_THREAD | MHD_USE_THREAD_PER_CONNECTION |
                     MHD_USE_ERROR_LOG | (ai->ai_family == AF_INET6 ? MHD_USE_IPv6 : 0);
    struct MHD_Daemon *daemon = MHD_start_daemon(
        flags, (uint16_t)port, NULL, NULL, on_request, d, MHD_OPTION_SOCK_ADDR, ai->ai_addr,
        MHD_OPTION_CONNECTION_TIMEOUT, (unsigned int)30, MHD_OPTION_NOTIFY_COMPLETED, on_completed,
        NULL, MHD_OPTION_CONNECTION_LIMIT, (unsigned int)1000, MHD_OPTION_END);
    freeaddrinfo(ai);
    if (!daemon) {
        *err = xasprintf(_("cannot listen on %s:%d"), host, port);
        return NULL;
    }
    const union MHD_DaemonInfo *info = MHD_get_daemon_info(daemon, MHD_DAEMON_INFO_BIND_PORT);
    *bound = info ? info->port : port;
    return daemon;
}

void http_stop(struct MHD_Daemon *daemon)
{
    if (daemon)
        MHD_stop_daemon(daemon);
}

/* ------------------------------------------------------------ reading */

const char *request_field(const request *r, const char *name, size_t *size)
{
    for (size_t i = 0; i < r->n_fields; i++)
        if (!strcmp(r->fields[i].name, name)) {
            if (size)
                *size = r->fields[i].size;
            return r->fields[i].data;
        }
    return NULL;
}

const form_field *request_file(const request *r, const char *name)
{
    for (size_t i = 0; i < r->n_fields; i++)
        if (!strcmp(r->fields[i].name, name) && r->fields[i].filename)
            return &r->fields[i];
    return NULL;
}

const char *request_query(const request *r, const char *name)
{
    return MHD_lookup_connection_value(r->conn, MHD_GET_ARGUMENT_KIND, name);
}

const char *request_header(const request *r, const char *name)
{
    return MHD_lookup_connection_value(r->conn, MHD_HEADER_KIND, name);
}

int request_secure(const request *r)
{
    const union MHD_ConnectionInfo *ci =
        MHD_get_connection_info(r->conn, MHD_CONNECTION_INFO_GNUTLS_SESSION);
    if (ci && ci->tls_session)
        return 1;
    const char *proto = request_header(r, "X-Forwarded-Proto");
    return proto && !strcasecmp(proto, "https");
}

void request_client(const request *r, char *out, size_t size)
{
    snprintf(out, size, "?");
    const union MHD_ConnectionInfo *ci =
        MHD_get_connection_info(r->conn, MHD_CONNECTION_INFO_CLIENT_ADDRESS);
    if (!ci || !ci->client_addr)
        return;
    const struct sockaddr *sa = ci->client_addr;
    if (sa->sa_family == AF_INET)
        inet_ntop(AF_INET, &((const struct sockaddr_in *)(const void *)sa)->sin_addr, out,
                  (socklen_t)size);
    else if (sa->sa_family == AF_INET6)
        inet_ntop(AF_INET6, &((const struct sockaddr_in6 *)(const void *)sa)->sin6_addr, out,
                  (socklen_t)size);
}

int request_csrf_ok(const request *r)
{
    return r->logged_in && csrf_matches(request_field(r, "csrf", NULL), r->csrf);
}

/* ------------------------------------------------------------ answering */

int respond(request *r, int status, const char *type, const void *body, size_t size,
            const char *const *headers)
{
    struct MHD_Response *res =
        MHD_create_response_from_buffer(size, (void *)body, MHD_RESPMEM_MUST_COPY);
    if (!res)
        return MHD_NO;
    if (type)
        MHD_add_response_header(res, MHD_HTTP_HEADER_CONTENT_TYPE, type);
    MHD_add_response_header(res, "X-Content-Type-Options", "nosniff");
    MHD_add_response_header(res, "X-Frame-Options", "DENY");
    MHD_add_response_header(res, "Referrer-Policy", "same-origin");
    MHD_add_response_header(res, "Cache-Control", "no-store");
    MHD_add_response_header(res, "Content-Security-Policy",
                            "default-src 'none'; style-src 'unsafe-inline'; img-src 'self'; "
                            "form-action 'self'; frame-ancestors 'none'");
    for (size_t i = 0; headers && headers[i] && headers[i + 1]; i += 2)
        MHD_add_response_header(res, headers[i], headers[i + 1]);
    enum MHD_Result rc = MHD_queue_response(r->conn, (unsigned)status, res);
    MHD_destroy_response(res);
    return rc;
}

int respond_html(request *r, int status, html *h, const char *const *headers)
{
    int rc = respond(r, status, "text/html; charset=utf-8", h->s ? h->s : "", h->n, headers);
    html_free(h);
    return rc;
}

int respond_redirect(request *r, const char *location, const char *cookie)
{
    const char *headers[] = {MHD_HTTP_HEADER_LOCATION, location,
                             cookie ? MHD_HTTP_HEADER_SET_COOKIE : NULL, cookie, NULL};
    html h = {0};
    html_page_begin(&h, "转到", &r->visitor);
    html_raw(&h, "<p><a href=\"");
    html_text(&h, location);
    html_raw(&h, "\">继续</a></p>");
    html_page_end(&h);
    return respond_html(r, 303, &h, headers);
}

int respond_message(request *r, int status, const char *title, const char *message)
{
    html h = {0};
    html_page_begin(&h, title, &r->visitor);
    html_raw(&h, "<h1>");
    html_text(&h, title);
    html_raw(&h, "</h1>\n");
    if (message) {
        html_raw(&h, "<p class=\"error\">");
        html_text(&h, message);
        html_raw(&h, "</p>\n");
    }
    html_raw(&h, "<p><a href=\"/\">返回首页</a></p>\n");
    html_page_end(&h);
    return respond_html(r, status, &h, NULL);
}
