/* GET /records/ID/original?v=N (the bytes as sent) and
 * GET /records/ID.pdf?template=NAME[&v=N] (rendered by a worker). */
#define _GNU_SOURCE
#include <microhttpd.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "kinds.h"
#include "pages.h"
#include "record_keep.h"
#include "route.h"
#include "routes.h"
#include "util.h"
#include "worker_messages.h"

/* The ending of the name as sent, when it is one the desk takes. */
static const char *extension_of(const char *filename)
{
    static const char *const known[] = {".xml", ".csv", ".xlsx"};
    size_t n = strlen(filename);
    for (size_t i = 0; i < 3; i++) {
        size_t k = strlen(known[i]);
        if (n > k && !strcasecmp(filename + n - k, known[i]))
            return known[i];
    }
    return ".xml";
}

/* RFC 5987: the name as sent, percent-encoded, beside a plain one. */
static char *disposition(const char *plain, const char *utf8_name)
{
    size_t n = strlen(utf8_name);
    char *enc = xmalloc(3 * n + 1), *o = enc;
    for (const unsigned char *p = (const unsigned char *)utf8_name; *p; p++) {
        if ((*p >= 'A' && *p <= 'Z') || (*p >= 'a' && *p <= 'z') || (*p >= '0' && *p <= '9') ||
            strchr("-._~", *p))
            *o++ = (char)*p;
        else
            o += sprintf(o, "%%%02X", *p);
    }
    *o = '\0';
    char *d = xasprintf("attachment; filename=\"%s\"; filename*=UTF-8''%s", plain, enc);
    free(enc);
    return d;
}

/* The record a download asks for and its version (?v=N; 0 the latest):
 * 0, or -1 with the answer already given in *answer (not logged in: to the
 * login; a record the visitor may not see, or a bad version: 404). */
static int asked_record(request *r, long long id, store_record *rec, int *v, int *answer)
{
    if (!r->logged_in) {
        *answer = respond_redirect(r, "/", NULL);
        return -1;
    }
    *v = route_version(request_query(r, "v"));
    if (visible_record(r, id, rec) != 0 || *v < 0) {
        *answer = not_found(r);
        return -1;
    }
    return 0;
}

int route_original(request *r, long long id)
{
    store_record rec;
    int v, refused;
    if (asked_record(r, id, &rec, &v, &refused) != 0)
        return refused;
    store_version *versions = NULL;
    size_t n = 0;
    const store_version *which = NULL;
    if (store_versions(r->desk->store, id, &versions, &n) == 0)
        for (size_t i = 0; i < n; i++)
            if (versions[i].n == v || (v == 0 && i + 1 == n))
                which = &versions[i];
    char *data = NULL;
    size_t size = 0;
    if (!which || store_original(r->desk->store, id, which->n, &data, &size) != 0) {
        free(versions);
        return not_found(r);
    }
    char plain[96];
    const char *ext = extension_of(which->filename);
    snprintf(plain, sizeof plain, "record-%lld-v%d%s", id, which->n, ext);
    char *d = disposition(plain, which->filename);
    const char *headers[] = {MHD_HTTP_HEADER_CONTENT_DISPOSITION, d, NULL};
    const char *type = !strcmp(ext, ".xml") ? "application/xml"
                       : !strcmp(ext, ".csv")
                           ? "text/csv"
                           : "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";
    int answer = respond(r, 200, type, data, size, headers);
    free(d);
    free(data);
    free(versions);
    return answer;
}

/* The template asked for, when it lays out the record's kind: the
 * kind's own string for it (never the user's). */
static const char *template_of(const desk *d, const char *kind, const char *asked)
{
    const char *const *names;
    size_t n = kind_templates(d, kind, &names);
    for (size_t i = 0; asked && i < n; i++)
        if (!strcmp(names[i], asked))
            return names[i];
    return NULL;
}

static int send_pdf(request *r, job *j, long long id, const char *name)
{
    size_t size = 0;
    char *pdf = job_read(j, "out.pdf", &size);
    if (!pdf)
        return job_failed(r, j, 1);
    char d[160];
    snprintf(d, sizeof d, "attachment; filename=\"record-%lld-%s.pdf\"", id, name);
    const char *headers[] = {MHD_HTTP_HEADER_CONTENT_DISPOSITION, d, NULL};
    int answer = respond(r, 200, "application/pdf", pdf, size, headers);
    free(pdf);
    return answer;
}

int route_pdf(request *r, long long id)
{
    store_record rec;
    int v, refused;
    if (asked_record(r, id, &rec, &v, &refused) != 0)
        return refused;
    const char *asked = request_query(r, "template");
    const char *name = template_of(r->desk, rec.kind, asked);
    const char *fault = !r->desk->faults || !asked    ? NULL
                        : !strcmp(asked, "__crash__") ? "fault-crash"
                        : !strcmp(asked, "__hang__")  ? "fault-hang"
                                                      : NULL;
    if (!name && !fault)
        return not_found(r);
    char *xml = NULL;
    size_t size = 0;
    if (store_xml(r->desk->store, id, v, &xml, &size) != 0)
        return not_found(r);
    job j;
    if (job_open(r->desk, &j) != 0 || job_write(&j, "record.xml", xml, size) != 0) {
        free(xml);
        job_close(&j);
        return respond_message(r, 500, "渲染失败", "渲染失败：无法建立工作目录。");
    }
    free(xml);
    const char *render[] = {"render", "-t", name, "record.xml", "-o", "out.pdf", NULL};
    const char *faulty[] = {fault, NULL};
    int rc = job_run(&j, fault ? faulty : render);
    int answer;
    if (rc == 0)
        answer = send_pdf(r, &j, id, name);
    else if (rc == 2) {
        static const char *const internal[] = {"record.xml", "out.pdf", NULL};
        char shown[64];
        snprintf(shown, sizeof shown, "记录 %lld", id);
        worker_messages m = {0};
        worker_messages_add(&m, j.err, internal, shown);
        answer = page_refused(r, "无法生成文书", &m, "/", "返回首页");
        worker_messages_free(&m);
    } else
        answer = job_failed(r, &j, 1);
    job_close(&j);
    return answer;
}
