/* What several pages share: the login and upload forms, the list of a
 * job's messages, and the refusals (403, 404, 405, a failed job). */
#ifndef GEN_DESK_PAGES_H
#define GEN_DESK_PAGES_H

#include "http.h"
#include "jobs.h"
#include "worker_messages.h"

void page_login_form(html *h);
/* The upload form; settings_text and type: what was sent, shown again
 * (NULL: empty, and the self-check sheet). */
void page_upload_form(html *h, const page_visitor *v, const char *settings_text, const char *type);
/* ul.errors and ul.warnings, each when not empty */
void page_messages(html *h, const worker_messages *m);
/* 422: a page titled `title` with the worker's messages and a link back */
int page_refused(request *r, const char *title, const worker_messages *m, const char *back,
                 const char *back_text);

int deny_csrf(request *r);                       /* 403 表单已失效，请返回重新提交 */
int deny_role(request *r);                       /* 403 没有权限 */
int not_found(request *r);                       /* 404 */
int wrong_method(request *r, const char *allow); /* 405 */
/* 500 for a job that did not finish (exit 1, crash, timeout): p.error
 * 处理失败… (rendering: 渲染…) and the worker's message. */
int job_failed(request *r, const job *j, int rendering);

#endif
