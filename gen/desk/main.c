/* gen-desk: the campaign desk's web server, which `gen serve` runs.
 *
 *   gen-desk --data DIR [--listen HOST:PORT] [--workers N] [--job-timeout S]
 *   gen-desk --data DIR --add-user NAME --role province|city|body [--of ORG]
 *
 * Serves until SIGTERM or SIGINT; then stops taking requests, stops the
 * workers, closes the store and exits 0. */
#define _GNU_SOURCE
#include <errno.h>
#include <libgen.h>
#include <libxml/parser.h>
#include <limits.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "data_dir.h"
#include "desk.h"
#include "exit_codes.h"
#include "http.h"
#include "i18n.h"
#include "jobs.h"
#include "kinds.h"
#include "schema_fields.h"
#include "util.h"

static const char usage[] =
    N_("usage: gen serve --data DIR [--listen HOST:PORT] [--workers N] [--job-timeout SECONDS]\n"
       "       gen serve --data DIR --add-user NAME --role province|city|body [--of ORG]\n"
       "\n"
       "Serves the campaign desk (default 127.0.0.1:8080; port 0: any free port).\n"
       "--add-user creates an account, reading its password from the first line\n"
       "of standard input; a province account acts for 省局 unless --of says otherwise.\n");

typedef struct desk_options {
    const char *data, *listen, *add_user, *role, *of;
    int workers, timeout;
} desk_options;

/* The pages are Chinese, so the messages the workers print onto them (a
 * record's errors, as the command line words them) are too, whatever the
 * server's own locale: gettext's LANGUAGE, which glibc honours in C.UTF-8
 * (built in, nothing to install) but not in plain C.  The server's own
 * lines on the terminal keep its locale (i18n_init has read it).  Called
 * before any thread starts: setenv is not thread-safe. */
static void workers_speak_chinese(void)
{
    setenv("LC_ALL", "C.UTF-8", 1);
    setenv("LANGUAGE", "zh_CN", 1);
}

static int number(const char *s, int min, int max, int *out)
{
    char *end;
    long v = strtol(s, &end, 10);
    if (!*s || *end || v < min || v > max)
        return -1;
    *out = (int)v;
    return 0;
}

static int parse_options(int argc, char **argv, desk_options *o)
{
    *o = (desk_options){.listen = "127.0.0.1:8080", .workers = 2, .timeout = 60};
    int i = 1;
    if (i < argc && !strcmp(argv[i], "serve")) /* run as `gen-desk serve ...` too */
        i++;
    for (; i < argc; i++) {
        const char *a = argv[i];
        if (i + 1 >= argc)
            return -1;
        const char *v = argv[++i];
        if (!strcmp(a, "--data"))
            o->data = v;
        else if (!strcmp(a, "--listen"))
            o->listen = v;
        else if (!strcmp(a, "--workers")) {
            if (number(v, 1, 64, &o->workers) != 0)
                return -1;
        } else if (!strcmp(a, "--job-timeout")) {
            if (number(v, 1, 3600, &o->timeout) != 0)
                return -1;
        } else if (!strcmp(a, "--add-user"))
            o->add_user = v;
        else if (!strcmp(a, "--role"))
            o->role = v;
        else if (!strcmp(a, "--of"))
            o->of = v;
        else
            return -1;
    }
    return o->data ? 0 : -1;
}

/* HOST:PORT, HOST possibly an IPv6 address in brackets. */
static int split_listen(const char *listen, char *host, size_t size, int *port)
{
    const char *colon = strrchr(listen, ':');
    if (!colon || colon == listen || number(colon + 1, 0, 65535, port) != 0)
        return -1;
    const char *h = listen;
    size_t n = (size_t)(colon - listen);
    if (h[0] == '[' && n >= 2 && h[n - 1] == ']')
        h++, n -= 2;
    if (n == 0 || n >= size)
        return -1;
    memcpy(host, h, n);
    host[n] = '\0';
    return 0;
}

/* DIR made when absent, and its absolute name. */
static char *data_folder(const char *dir)
{
    if (mkdir(dir, 0700) != 0 && errno != EEXIST) {
        fprintf(stderr, _("gen serve: cannot make %s: %s\n"), dir, strerror(errno));
        return NULL;
    }
    char *abs = realpath(dir, NULL);
    if (!abs)
        fprintf(stderr, _("gen serve: cannot use %s: %s\n"), dir, strerror(errno));
    return abs;
}

static int add_user(const desk_options *o, const char *data)
{
    int role = o->role ? desk_role_parse(o->role) : -1;
    if (role < 0) {
        fprintf(stderr, _("gen serve: --role must be province, city or body\n"));
        return EXIT_BAD_INPUT;
    }
    const char *of = o->of ? o->of : role == ROLE_PROVINCE ? "省局" : NULL;
    if (!of || !*of) {
        fprintf(stderr, _("gen serve: a city or body account needs --of ORG\n"));
        return EXIT_BAD_INPUT;
    }
    char *password = NULL;
    size_t cap = 0;
    ssize_t n = getline(&password, &cap, stdin);
    while (n > 0 && (password[n - 1] == '\n' || password[n - 1] == '\r'))
        password[--n] = '\0';
    if (n <= 0) {
        free(password);
        fprintf(stderr, _("gen serve: no password on standard input\n"));
        return EXIT_BAD_INPUT;
    }
    char *err = NULL;
    store *s = store_open(data, &err);
    int rc = s ? store_add_user(s, o->add_user, (desk_role)role, of, password, &err) : -1;
    explicit_bzero(password, cap);
    free(password);
    if (s)
        store_close(s);
    if (rc == 1)
        fprintf(stderr, _("gen serve: the name %s is taken\n"), o->add_user);
    else if (rc != 0)
        fprintf(stderr, _("gen serve: cannot add the account: %s\n"), err ? err : "?");
    free(err);
    return rc == 0 ? EXIT_DONE : rc == 1 ? EXIT_BAD_INPUT : EXIT_ENVIRONMENT;
}

/* bin/gen beside this program: the workers are `gen serve --worker`. */
static char *gen_path(void)
{
    char exe[PATH_MAX];
    ssize_t n = readlink("/proc/self/exe", exe, sizeof exe - 1);
    if (n <= 0)
        return xstrdup("gen");
    exe[n] = '\0';
    return xasprintf("%s/gen", dirname(exe));
}

static int env_is_1(const char *name)
{
    const char *v = getenv(name);
    return v && !strcmp(v, "1");
}

/* Serves until SIGTERM or SIGINT, which every thread blocks (the server's
 * threads inherit the mask) and this one waits for. */
static int serve(const desk_options *o, const char *data, const char *data_dir)
{
    char host[256];
    int port = 0;
    if (split_listen(o->listen, host, sizeof host, &port) != 0) {
        fprintf(stderr, _("gen serve: --listen takes HOST:PORT, not %s\n"), o->listen);
        return EXIT_BAD_INPUT;
    }
    sigset_t stop;
    sigemptyset(&stop);
    sigaddset(&stop, SIGTERM);
    sigaddset(&stop, SIGINT);
    pthread_sigmask(SIG_BLOCK, &stop, NULL);
    signal(SIGPIPE, SIG_IGN);

    char *work = xasprintf("%s/work", data), *gen = gen_path(), *err = NULL;
    if (mkdir(work, 0700) != 0 && errno != EEXIST) {
        fprintf(stderr, _("gen serve: cannot make %s: %s\n"), work, strerror(errno));
        free(work), free(gen);
        return EXIT_ENVIRONMENT;
    }
    if (!env_is_1("GEN_DESK_KEEP_JOBS"))
        job_folders_clear(work);
    desk d = {.data_dir = data_dir,
              .data = data,
              .work = work,
              .keep_jobs = env_is_1("GEN_DESK_KEEP_JOBS"),
              .faults = env_is_1("GEN_DESK_FAULTS")};
    atomic_init(&d.next_job, 1);
    workers_speak_chinese();
    int rc = EXIT_ENVIRONMENT, bound = 0;
    struct MHD_Daemon *daemon = NULL;
    if (!(d.store = store_open(data, &err)))
        fprintf(stderr, _("gen serve: cannot open the store: %s\n"), err ? err : "?");
    else if (!(d.pool = desk_pool_start(gen, o->workers, o->timeout, &err)))
        fprintf(stderr, _("gen serve: cannot start the workers: %s\n"), err ? err : "?");
    else if (!(daemon = http_start(&d, host, port, &bound, &err)))
        fprintf(stderr, "gen serve: %s\n", err ? err : "?");
    else {
        /* not translated: scripts and the tests read this line */
        fprintf(stderr, "listening on http://%s%s%s:%d/\n", strchr(host, ':') ? "[" : "", host,
                strchr(host, ':') ? "]" : "", bound);
        int sig = 0;
        sigwait(&stop, &sig);
        rc = EXIT_DONE;
    }
    http_stop(daemon);
    if (d.pool)
        desk_pool_stop(d.pool);
    if (d.store)
        store_close(d.store);
    free(err);
    free(work);
    free(gen);
    return rc;
}

int main(int argc, char **argv)
{
    char *data_dir = find_data_dir();
    i18n_init(data_dir);
    if (argc == 2 && (!strcmp(argv[1], "--help") || !strcmp(argv[1], "-h"))) {
        fputs(_(usage), stdout);
        free(data_dir);
        return EXIT_DONE;
    }
    desk_options o;
    if (parse_options(argc, argv, &o) != 0) {
        fputs(_(usage), stderr);
        free(data_dir);
        return EXIT_BAD_INPUT;
    }
    xmlInitParser();
    char *data = data_folder(o.data);
    int rc = !data ? EXIT_ENVIRONMENT : o.add_user ? add_user(&o, data) : serve(&o, data, data_dir);
    free(data);
    kind_templates_forget();
    schema_fields_forget();
    xmlCleanupParser();
    free(data_dir);
    return rc;
}
