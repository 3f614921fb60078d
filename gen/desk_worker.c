/* gen serve --worker: the desk's render process (desk_worker.h). */
#define _GNU_SOURCE
#include "desk_worker.h"

#include <errno.h>
#include <fcntl.h>
#include <libxml/parser.h>
#include <malloc.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "diag.h"
#include "exit_codes.h"
#include "i18n.h"
#include "pipeline.h"
#include "util.h"

/* A request is at most this long, all its strings together: a command
 * line, not a file. */
enum { REQUEST_MAX = 1 << 20 };

/* The request pipe, read in blocks. */
typedef struct reader {
    int fd;
    char buf[4096];
    size_t pos, len;
} reader;

/* The next byte, or -1 at end of input (or a read error). */
static int next_byte(reader *r)
{
    if (r->pos == r->len) {
        ssize_t n;
        do
            n = read(r->fd, r->buf, sizeof r->buf);
        while (n < 0 && errno == EINTR);
        if (n <= 0)
            return -1;
        r->pos = 0, r->len = (size_t)n;
    }
    return (unsigned char)r->buf[r->pos++];
}

/* One request: DIR and the arguments, each NUL-terminated, then an empty
 * string.  Its strings point into one block, args[0] being DIR; *argc
 * counts them.  0 read, 1 end of input before it began, -1 broken. */
typedef struct request {
    char *bytes;
    char **args;
    int argc;
} request;

static int read_request(reader *r, request *q)
{
    size_t len = 0, cap = 256;
    q->bytes = xmalloc(cap);
    for (size_t start = 0;;) {
        int c = next_byte(r);
        if (c < 0)
            return len == 0 ? 1 : -1;
        if (len == REQUEST_MAX)
            return -1;
        GROW(q->bytes, len, cap);
        q->bytes[len++] = (char)c;
        if (c != '\0')
            continue;
        if (len - 1 == start) /* the empty string: the end */
            break;
        start = len;
    }
    /* the strings, but the empty one at the end */
    q->argc = 0;
    for (size_t i = 0; i + 1 < len; i++)
        q->argc += q->bytes[i] == '\0';
    q->args = xmalloc(((size_t)q->argc + 1) * sizeof *q->args);
    char *s = q->bytes;
    for (int i = 0; i < q->argc; i++, s += strlen(s) + 1)
        q->args[i] = s;
    q->args[q->argc] = NULL;
    return q->argc >= 2 ? 0 : -1;
}

static void request_free(request *q)
{
    free(q->args);
    free(q->bytes);
    *q = (request){0};
}

static void silence_libxml(void *ctx, const char *msg, ...)
{
    (void)ctx, (void)msg;
}

/* validate FILE: check's own run when a template lays the record out (its
 * messages are check's); else, when the data folder has a schema for its
 * root, that schema only, as check's first step. */
static int validate(int argc, char **argv, const char *data_dir, desk_worker_run run)
{
    if (argc != 2) {
        fputs(_("usage: gen validate RECORD.xml (the desk's worker only)\n"), stderr);
        return EXIT_BAD_INPUT;
    }
    const char *file = argv[1];
    run_options opts = {.data_dir = data_dir};
    xmlSetGenericErrorFunc(NULL, silence_libxml);
    diag_list diags = {0};
    xmlDoc *doc = NULL;
    size_t n = 0;
    char **names = NULL;
    int schema_only = 0;
    if (pipeline_read_record(&opts, file, &doc, &diags) == EXIT_DONE) {
        const char *root = (const char *)xmlDocGetRootElement(doc)->name;
        n = pipeline_templates_for(&opts, root, &names, &(int){0});
        /* a root without a schema is no record of ours: check refuses it */
        char *schema = xasprintf("%s/schemas/%s.rng", data_dir, root);
        schema_only = n == 0 && access(schema, R_OK) == 0;
        free(schema);
    }
    for (size_t i = 0; i < n; i++)
        free(names[i]);
    free(names);
    xmlFreeDoc(doc);
    diag_free(&diags);
    if (!schema_only)
        return run(3, (char *[]){"gen", "check", (char *)file, NULL});
    int rc = pipeline_load_record(&opts, file, &doc, &diags);
    diag_print(&diags, stderr);
    diag_free(&diags);
    xmlFreeDoc(doc);
    return rc;
}

/* The command of a job, its output already where it goes. */
static int run_command(int argc, char **argv, const char *data_dir, desk_worker_run run)
{
    const char *faults = getenv("GEN_DESK_FAULTS");
    int testing = faults && !strcmp(faults, "1");
    if (!strcmp(argv[0], "validate"))
        return validate(argc, argv, data_dir, run);
    if (testing && !strcmp(argv[0], "fault-crash"))
        abort();
    if (testing && !strcmp(argv[0], "fault-hang"))
        for (;;)
            pause();
    char **args = xmalloc(((size_t)argc + 2) * sizeof *args);
    args[0] = "gen";
    memcpy(args + 1, argv, ((size_t)argc + 1) * sizeof *args);
    int rc = run(argc + 1, args);
    free(args);
    return rc;
}

/* The worker's own descriptors: the protocol's kept above 2, and what
 * fds 1 and 2 are between jobs (nothing, and the worker's own stderr). */
typedef struct worker {
    int in, out;
    int devnull, own_stderr;
    const char *data_dir;
    desk_worker_run run;
} worker;

/* fd points at `path` of the job's folder, created anew. */
static int redirect(int fd, const char *path)
{
    int f = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
    if (f < 0)
        return -1;
    int rc = dup2(f, fd) < 0 ? -1 : 0;
    close(f);
    return rc;
}

static void restore_fds(const worker *w)
{
    fflush(stdout), fflush(stderr);
    clearerr(stdout), clearerr(stderr);
    dup2(w->devnull, STDOUT_FILENO);
    dup2(w->own_stderr, STDERR_FILENO);
}

/* One job: in its folder, its output there; the status. */
static int run_job(const worker *w, request *q)
{
    const char *dir = q->args[0];
    if (dir[0] != '/') {
        fprintf(stderr, _("gen serve --worker: %s is not an absolute folder\n"), dir);
        return EXIT_ENVIRONMENT;
    }
    if (chdir(dir) != 0) {
        fprintf(stderr, _("gen serve --worker: cannot enter %s: %s\n"), dir, strerror(errno));
        return EXIT_ENVIRONMENT;
    }
    fflush(stdout), fflush(stderr);
    int rc;
    if (redirect(STDOUT_FILENO, "stdout") != 0 || redirect(STDERR_FILENO, "stderr") != 0) {
        int err = errno;
        restore_fds(w);
        fprintf(stderr, _("gen serve --worker: cannot write in %s: %s\n"), dir, strerror(err));
        rc = EXIT_ENVIRONMENT;
    } else {
        rc = run_command(q->argc - 1, q->args + 1, w->data_dir, w->run);
        restore_fds(w);
    }
    /* the folder may be removed while the worker waits */
    if (chdir("/") != 0)
        rc = EXIT_ENVIRONMENT;
    /* what the job freed, handed back: the worker lives for thousands.  A
     * large record asked for a huge heap pad (heap.h), a one-run
     * process's choice: the default again, for the next job */
    mallopt(M_TOP_PAD, 128 << 10);
    malloc_trim(0);
    return rc;
}

static int answer(int fd, int rc)
{
    char line[16];
    int n = snprintf(line, sizeof line, "%d\n", rc);
    for (int done = 0; done < n;) {
        ssize_t k = write(fd, line + done, (size_t)(n - done));
        if (k < 0 && errno == EINTR)
            continue;
        if (k <= 0)
            return -1;
        done += (int)k;
    }
    return 0;
}

int desk_worker_main(int in, int out, const char *data_dir, desk_worker_run run)
{
    worker w = {.data_dir = data_dir, .run = run};
    /* the protocol's pipes moved above 2, so that nothing a job prints can
     * reach them; a job reads nothing from standard input */
    w.in = fcntl(in, F_DUPFD_CLOEXEC, 3);
    w.out = fcntl(out, F_DUPFD_CLOEXEC, 3);
    w.own_stderr = fcntl(STDERR_FILENO, F_DUPFD_CLOEXEC, 3);
    w.devnull = open("/dev/null", O_RDWR | O_CLOEXEC);
    if (w.in < 0 || w.out < 0 || w.own_stderr < 0 || w.devnull < 0) {
        fprintf(stderr, _("gen serve --worker: cannot set up: %s\n"), strerror(errno));
        return EXIT_ENVIRONMENT;
    }
    close(in), close(out);
    dup2(w.devnull, STDIN_FILENO);
    dup2(w.devnull, STDOUT_FILENO);
    pipeline_keep_loaded(1);
    reader r = {.fd = w.in};
    int status = EXIT_DONE;
    for (;;) {
        request q = {0};
        int got = read_request(&r, &q);
        if (got != 0) {
            if (got < 0)
                fputs(_("gen serve --worker: a broken request\n"), stderr);
            status = got < 0 ? EXIT_ENVIRONMENT : EXIT_DONE;
            request_free(&q);
            break;
        }
        int rc = run_job(&w, &q);
        request_free(&q);
        if (answer(w.out, rc) != 0)
            break;
    }
    pipeline_keep_loaded(0);
    close(w.in), close(w.out), close(w.own_stderr), close(w.devnull);
    return status;
}
