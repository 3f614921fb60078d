/* The desk's worker pool (gen/desk/pool.h) over the project's own bin/gen
 * (`gen serve --worker`, gen/desk_worker.c): renders and checks as the
 * command line does them, a crash and a hang that cost one worker only,
 * threads sharing two workers, a worker's memory over a thousand jobs.
 * bin/gen is the project's (the test is build/tests/test_desk_pool in
 * it), or the one the environment's GEN names (a valgrind wrapper).  GEN_DESK_TIMING=1 prints a warm
 * render's time beside a cold `gen render`'s (printed only, never a
 * check).  GEN_DESK_JOBS=N: the memory test's jobs (default 1000).
 *
 * make test-valgrind names a wrapper (GEN=tests/valgrind-gen): the
 * workers run under valgrind, a render takes seconds, and the test scales
 * down what it repeats and up the hang's timeout, from the time a
 * worker's first render took. */
#define _GNU_SOURCE
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <libgen.h>
#include <limits.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "check.h"
#include "jobs.h"
#include "pool.h"

static char gen[PATH_MAX + 16], project[PATH_MAX];

/* ---- files ---- */

static void write_file(const char *path, const char *text, size_t len)
{
    FILE *f = fopen(path, "wb");
    fwrite(text, 1, len, f);
    fclose(f);
}

static void copy_file(const char *from, const char *to)
{
    size_t len;
    char *text = read_whole_file(from, &len);
    if (text)
        write_file(to, text, len);
    free(text);
}

/* A fresh job folder under the test's own temporary folder. */
static char tmp_root[PATH_MAX];
static int folders;

static char *job_folder(void)
{
    char *dir;
    if (asprintf(&dir, "%s/job%d", tmp_root, folders++) < 0)
        abort();
    mkdir(dir, 0700);
    return dir;
}

static char *in_folder(const char *dir, const char *name)
{
    char *path;
    if (asprintf(&path, "%s/%s", dir, name) < 0)
        abort();
    return path;
}

static char *file_in(const char *dir, const char *name, size_t *len)
{
    char *path = in_folder(dir, name);
    char *text = read_whole_file(path, len);
    free(path);
    return text;
}

static void project_file_to(const char *rel, const char *dir, const char *name)
{
    char *from, *to = in_folder(dir, name);
    if (asprintf(&from, "%s/%s", project, rel) < 0)
        abort();
    copy_file(from, to);
    free(from), free(to);
}

static void remove_tree(const char *dir)
{
    DIR *d = opendir(dir);
    if (!d)
        return;
    struct dirent *e;
    while ((e = readdir(d)))
        if (strcmp(e->d_name, ".") && strcmp(e->d_name, "..")) {
            char *path = in_folder(dir, e->d_name);
            struct stat st;
            if (lstat(path, &st) == 0 && S_ISDIR(st.st_mode))
                remove_tree(path);
            else
                unlink(path);
            free(path);
        }
    closedir(d);
    rmdir(dir);
}

/* ---- bin/gen run cold, as a user runs it ---- */

static int run_cold(const char *dir, const char *const *argv)
{
    pid_t pid = fork();
    if (pid == 0) {
        if (chdir(dir) != 0)
            _exit(127);
        int out = open("cold-stdout", O_WRONLY | O_CREAT | O_TRUNC, 0600);
        int err = open("cold-stderr", O_WRONLY | O_CREAT | O_TRUNC, 0600);
        dup2(out, 1), dup2(err, 2);
        char *args[16] = {gen};
        for (int i = 0; argv[i] && i < 14; i++)
            args[i + 1] = (char *)argv[i];
        execv(gen, args);
        _exit(127);
    }
    int status;
    waitpid(pid, &status, 0);
    return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

static double now_s(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return t.tv_sec + t.tv_nsec / 1e9;
}

/* ---- the tests ---- */

static char *reference_pdf;
static size_t reference_len;
static double first_render; /* seconds: test_render's first, by a worker that had read nothing */

/* The workers run slowly (valgrind): fewer repetitions.  Told by a
 * worker's first render, which reads the fonts and the template (some
 * 60 ms natively, seconds under valgrind); a warm one is quick even
 * there. */
static int slow(void)
{
    return first_render > 1.5;
}

static int same_as_reference(const char *dir, const char *name)
{
    size_t len;
    char *pdf = file_in(dir, name, &len);
    int same = pdf && len == reference_len && memcmp(pdf, reference_pdf, len) == 0;
    free(pdf);
    return same;
}

static void test_render(desk_pool *p)
{
    char *dir = job_folder();
    project_file_to("examples/notice.xml", dir, "notice.xml");
    const char *args[] = {"render", "notice.xml", "-o", "out.pdf", NULL};
    double t_first = now_s();
    CHECK(desk_pool_run(p, dir, args) == 0, "render through the pool: status 0");
    first_render = now_s() - t_first;
    reference_pdf = file_in(dir, "out.pdf", &reference_len);
    CHECK(reference_pdf && reference_len > 1000 && !memcmp(reference_pdf, "%PDF", 4),
          "the PDF starts with %%PDF");
    const char *again[] = {"render", "notice.xml", "-o", "again.pdf", NULL};
    CHECK(desk_pool_run(p, dir, again) == 0, "render again: status 0");
    CHECK(same_as_reference(dir, "again.pdf"), "rendered twice: the same bytes");
    const char *cold[] = {"render", "notice.xml", "-o", "cold.pdf", NULL};
    CHECK(run_cold(dir, cold) == 0, "cold bin/gen render: status 0");
    CHECK(same_as_reference(dir, "cold.pdf"), "the pool's PDF is the command line's, byte for byte");
    size_t len;
    char *err = file_in(dir, "stderr", &len);
    CHECK(err && len == 0, "a good render says nothing on stderr (%s)", err ? err : "no file");
    free(err);
    remove_tree(dir);
    free(dir);
}

/* A record with a bad date: validate says what check says, status 2. */
static void test_validate(desk_pool *p)
{
    char *dir = job_folder();
    size_t len;
    char *path;
    if (asprintf(&path, "%s/examples/notice.xml", project) < 0)
        abort();
    char *text = read_whole_file(path, &len);
    free(path);
    char *date = text ? strstr(text, "<date>") : NULL;
    CHECK(date != NULL, "the notice has a <date>");
    if (date) {
        char *bad = in_folder(dir, "bad.xml");
        FILE *f = fopen(bad, "wb");
        fwrite(text, 1, (size_t)(date - text) + 6, f);
        fputs("x", f);
        fputs(date + 6, f);
        fclose(f);
        free(bad);
    }
    free(text);
    const char *args[] = {"validate", "bad.xml", NULL};
    CHECK(desk_pool_run(p, dir, args) == 2, "validate of a bad record: status 2");
    const char *check_args[] = {"check", "bad.xml", NULL};
    CHECK(run_cold(dir, check_args) == 2, "gen check of it: status 2");
    char *worker = file_in(dir, "stderr", NULL), *cli = file_in(dir, "cold-stderr", NULL);
    CHECK(worker && cli && strstr(worker, "bad.xml:") && !strcmp(worker, cli),
          "the same messages as gen check:\n%s---\n%s", worker ? worker : "",
          cli ? cli : "");
    free(worker), free(cli);

    project_file_to("tests/records/campaign.xml", dir, "campaign.xml");
    const char *campaign[] = {"validate", "campaign.xml", NULL};
    CHECK(desk_pool_run(p, dir, campaign) == 0, "validate of a campaign record: status 0");
    worker = file_in(dir, "stderr", &len);
    CHECK(worker && len == 0, "and nothing said (%s)", worker ? worker : "");
    free(worker);
    char *broken_path = in_folder(dir, "broken.xml");
    write_file(broken_path, "<campaign>", 10);
    free(broken_path);
    const char *broken[] = {"validate", "broken.xml", NULL};
    CHECK(desk_pool_run(p, dir, broken) == 2, "validate of a broken file: status 2");
    const char *unknown[] = {"no-such-command", NULL};
    CHECK(desk_pool_run(p, dir, unknown) == 2, "an unknown command: status 2, as gen says");
    remove_tree(dir);
    free(dir);
}

static void test_faults(desk_pool *p)
{
    char *dir = job_folder();
    project_file_to("examples/notice.xml", dir, "notice.xml");
    const char *crash[] = {"fault-crash", NULL};
    CHECK(desk_pool_run(p, dir, crash) == DESK_POOL_CRASHED, "fault-crash: DESK_POOL_CRASHED");
    const char *render[] = {"render", "notice.xml", "-o", "after.pdf", NULL};
    for (int i = 0; i < 2; i++) /* both workers, the new one among them */
        CHECK(desk_pool_run(p, dir, render) == 0, "a render after the crash: status 0");
    CHECK(same_as_reference(dir, "after.pdf"), "and the same PDF");
    remove_tree(dir);
    free(dir);
}

static void test_hang(void)
{
    /* 2 s; under valgrind, ample time for a fresh worker's start under
     * valgrind and its first render */
    int timeout = slow() ? (int)(first_render * 10) + 30 : 2;
    char *err = NULL;
    desk_pool *p = desk_pool_start(gen, 1, timeout, &err);
    CHECK(p != NULL, "a pool with a %d s timeout: %s", timeout, err ? err : "");
    free(err);
    if (!p)
        return;
    char *dir = job_folder();
    project_file_to("examples/notice.xml", dir, "notice.xml");
    const char *hang[] = {"fault-hang", NULL};
    double t0 = now_s();
    int rc = desk_pool_run(p, dir, hang);
    double took = now_s() - t0;
    CHECK(rc == DESK_POOL_TIMEOUT, "fault-hang: DESK_POOL_TIMEOUT (%d)", rc);
    CHECK(took >= timeout - 0.1 && took < timeout + 2.5, "killed at the timeout: %.2f s", took);
    const char *render[] = {"render", "notice.xml", "-o", "after.pdf", NULL};
    rc = desk_pool_run(p, dir, render);
    CHECK(rc == 0, "a render after the hang: status 0 (%d, timeout %d s)", rc, timeout);
    CHECK(same_as_reference(dir, "after.pdf"), "and the same PDF");
    desk_pool_stop(p);
    remove_tree(dir);
    free(dir);
}

/* ---- threads sharing the workers ---- */

enum { THREADS = 8 };
static int renders = 25; /* each thread's */

typedef struct thread_job {
    desk_pool *p;
    char *dir;
    int ok, same;
} thread_job;

static void *render_many(void *arg)
{
    thread_job *t = arg;
    for (int i = 0; i < renders; i++) {
        const char *args[] = {"render", "notice.xml", "-o", "out.pdf", NULL};
        if (desk_pool_run(t->p, t->dir, args) == 0)
            t->ok++;
        if (same_as_reference(t->dir, "out.pdf"))
            t->same++;
        char *out = in_folder(t->dir, "out.pdf");
        unlink(out);
        free(out);
    }
    return NULL;
}

static void test_threads(desk_pool *p)
{
    renders = slow() ? 2 : 25;
    pthread_t threads[THREADS];
    thread_job jobs[THREADS];
    for (int i = 0; i < THREADS; i++) {
        jobs[i] = (thread_job){p, job_folder(), 0, 0};
        project_file_to("examples/notice.xml", jobs[i].dir, "notice.xml");
        pthread_create(&threads[i], NULL, render_many, &jobs[i]);
    }
    int ok = 0, same = 0;
    for (int i = 0; i < THREADS; i++) {
        pthread_join(threads[i], NULL);
        ok += jobs[i].ok, same += jobs[i].same;
        remove_tree(jobs[i].dir);
        free(jobs[i].dir);
    }
    CHECK(ok == THREADS * renders, "8 threads x %d renders on 2 workers: %d done", renders, ok);
    CHECK(same == THREADS * renders, "every PDF the same bytes: %d of %d", same,
          THREADS * renders);
}

/* A sheet with a mistake in every row: a large stderr, the status 2. */
static void test_large_stderr(desk_pool *p)
{
    char *dir = job_folder();
    char *path = in_folder(dir, "sheet.csv");
    FILE *f = fopen(path, "w");
    fputs("企业名称,所在地区,所在县（市、区）,企业地址,邮政编码,主要产品,证书编号,认证类型,"
          "认证标准,发证日期,有效期至,证书状态,检查日期,处理结果,发现的主要问题,整改措施\n",
          f);
    for (int i = 0; i < 3000; i++)
        fprintf(f, "企业%d,杭州市,西湖区,文三路%d号,31a00,阀门,0%d,QMS,GB/T 19001,2008-01-01,"
                   "2011-01-01,有效,2009-06-01,符合要求,无,无\n",
                i, i, 1000 + i);
    fclose(f);
    free(path);
    const char *args[] = {"import", "--type", "selfcheck", "--encoding", "UTF-8",
                          "sheet.csv", "-o", "record.xml", NULL};
    CHECK(desk_pool_run(p, dir, args) == 2, "an import with 3000 bad rows: status 2");
    size_t len;
    char *err = file_in(dir, "stderr", &len);
    CHECK(err && len > 100000, "its stderr is large: %zu bytes", len);
    CHECK(err && strstr(err, "sheet.csv:3001:"), "down to the last row");
    free(err);
    remove_tree(dir);
    free(dir);
}

/* ---- the worker's memory ---- */

/* The pool's worker: the one child of this process running gen. */
static pid_t the_worker(void)
{
    DIR *d = opendir("/proc");
    struct dirent *e;
    pid_t found = 0;
    while (d && (e = readdir(d))) {
        char *path;
        if (asprintf(&path, "/proc/%s/stat", e->d_name) < 0)
            abort();
        char *stat = read_whole_file(path, NULL);
        free(path);
        char *close = stat ? strrchr(stat, ')') : NULL;
        int ppid;
        if (close && sscanf(close + 2, "%*c %d", &ppid) == 1 && ppid == getpid())
            found = atoi(e->d_name);
        free(stat);
    }
    if (d)
        closedir(d);
    return found;
}

static long rss_kb(pid_t pid)
{
    char *path;
    if (asprintf(&path, "/proc/%d/status", (int)pid) < 0)
        abort();
    char *status = read_whole_file(path, NULL);
    free(path);
    char *at = status ? strstr(status, "VmRSS:") : NULL;
    long kb = at ? atol(at + 6) : -1;
    free(status);
    return kb;
}

static void test_memory(void)
{
    const char *env = getenv("GEN_DESK_JOBS");
    int jobs = env ? atoi(env) : slow() ? 30 : 1000;
    char *err = NULL;
    unsetenv("GEN_DESK_FAULTS");
    desk_pool *p = desk_pool_start(gen, 1, 600, &err);
    CHECK(p != NULL, "a pool of one: %s", err ? err : "");
    free(err);
    if (!p)
        return;
    pid_t worker = the_worker();
    CHECK(worker > 0, "its worker found");
    char *dir = job_folder();
    const char *crash[] = {"fault-crash", NULL};
    CHECK(desk_pool_run(p, dir, crash) == 2, "without GEN_DESK_FAULTS=1, fault-crash is unknown");
    const char *empty[] = {"check", "", NULL};
    CHECK(desk_pool_run(p, dir, empty) == DESK_POOL_FAILED, "an empty argument is refused");
    char *other_path = in_folder(dir, "other.xml");
    write_file(other_path, "<other/>", 8);
    free(other_path);
    const char *other[] = {"validate", "other.xml", NULL};
    CHECK(desk_pool_run(p, dir, other) == 2, "validate of a root with no schema: check's 2");
    project_file_to("examples/notice.xml", dir, "notice.xml");
    project_file_to("tests/records/campaign.xml", dir, "campaign.xml");
    project_file_to("examples/nominations.xml", dir, "nominations.xml");
    const char *render[] = {"render", "notice.xml", "-o", "out.pdf", NULL};
    const char *check[] = {"check", "notice.xml", NULL};
    const char *validate[] = {"validate", "campaign.xml", NULL};
    const char *forms[] = {"render", "nominations.xml", "-o", "forms.pdf", NULL};
    const char *const *kinds[] = {render, check, validate, forms}; /* two templates in turn */
    long after100 = 0, last = 0;
    int ok = 0;
    double t0 = now_s();
    for (int i = 0; i < jobs; i++) {
        ok += desk_pool_run(p, dir, kinds[i % 4]) == 0;
        if (i == 99)
            after100 = rss_kb(worker);
    }
    last = rss_kb(worker);
    if (jobs > 100)
        printf("worker VmRSS: %ld kB after 100 jobs, %ld kB after %d (%.1f s)\n", after100, last,
               jobs, now_s() - t0);
    CHECK(ok == jobs, "%d jobs on one worker: %d done (%.1f s)", jobs, ok, now_s() - t0);
    CHECK(the_worker() == worker, "by the same worker");
    if (jobs > 100)
        CHECK(after100 > 0 && last - after100 < 4096,
              "its memory flat: VmRSS %ld kB after 100 jobs, %ld kB after %d", after100, last,
              jobs);
    /* a worker that dies between jobs is replaced before the next */
    kill(worker, SIGKILL);
    nanosleep(&(struct timespec){0, 100 * 1000 * 1000}, NULL);
    CHECK(desk_pool_run(p, dir, render) == 0, "a worker killed while idle: the next job done");
    CHECK(the_worker() > 0 && the_worker() != worker, "by a new worker");
    desk_pool_stop(p);
    CHECK(the_worker() == 0, "stopped: no worker left");
    remove_tree(dir);
    free(dir);
}

/* ---- templates kept between jobs (pipeline_keep_loaded) ---- */

/* Replace the first `from` in the file by `to`: 1 when it was there. */
static int edit_file(const char *path, const char *from, const char *to)
{
    size_t len;
    char *text = read_whole_file(path, &len);
    char *at = text ? strstr(text, from) : NULL;
    if (at) {
        FILE *f = fopen(path, "wb");
        fwrite(text, 1, (size_t)(at - text), f);
        fputs(to, f);
        fputs(at + strlen(from), f);
        fclose(f);
    }
    free(text);
    return at != NULL;
}

static int same_files(const char *dir, const char *a, const char *b)
{
    size_t la, lb;
    char *x = file_in(dir, a, &la), *y = file_in(dir, b, &lb);
    int same = x && y && la == lb && memcmp(x, y, la) == 0;
    free(x), free(y);
    return same;
}

/* The file's text without valgrind's lines (==PID== ...): under make
 * test-valgrind a cold run's exit adds its leak report. */
static char *said_in(const char *dir, const char *name)
{
    size_t len;
    char *text = file_in(dir, name, &len);
    if (!text)
        return NULL;
    char *out = text, *line = text;
    while (*line) {
        char *end = strchr(line, '\n');
        size_t n = end ? (size_t)(end - line) + 1 : strlen(line);
        int valgrind = line[0] == '=' && line[1] == '=';
        if (!valgrind)
            memmove(out, line, n), out += n;
        line += n;
    }
    *out = '\0';
    return text;
}

static int same_said(const char *dir, const char *a, const char *b)
{
    char *x = said_in(dir, a), *y = said_in(dir, b);
    int same = x && y && strcmp(x, y) == 0;
    free(x), free(y);
    return same;
}

/* One job warm through the pool and the same cold by bin/gen, with the
 * option `flag value` when flag is not NULL (-t TEMPLATE, --fonts MAP):
 * the same status, the same standard error, the same PDF (out.pdf and
 * cold.pdf). */
static int warm_as_cold(desk_pool *p, const char *dir, const char *record, const char *flag,
                        const char *value, int *status)
{
    const char *warm[] = {"render", record, "-o", "out.pdf", flag, value, NULL};
    const char *cold[] = {"render", record, "-o", "cold.pdf", flag, value, NULL};
    char *out = in_folder(dir, "out.pdf"), *cold_out = in_folder(dir, "cold.pdf");
    unlink(out), unlink(cold_out);
    free(out), free(cold_out);
    *status = desk_pool_run(p, dir, warm);
    int cold_status = run_cold(dir, cold);
    int pdfs = *status != 0 || same_files(dir, "out.pdf", "cold.pdf");
    return *status == cold_status && same_said(dir, "stderr", "cold-stderr") && pdfs;
}

/* The last job's out.pdf, kept to compare with the next. */
typedef struct pdf_seen {
    char *bytes;
    size_t len;
} pdf_seen;

/* Is out.pdf other than the one seen last?  It is the one seen now. */
static int pdf_changed(const char *dir, pdf_seen *seen)
{
    size_t len;
    char *now = file_in(dir, "out.pdf", &len);
    int changed = seen->bytes && now && (len != seen->len || memcmp(now, seen->bytes, len) != 0);
    free(seen->bytes);
    *seen = (pdf_seen){now, len};
    return changed;
}

/* A worker keeps the templates and the font map it read: what it renders
 * is still what bin/gen renders, whichever templates alternate, and an
 * edit of a template or of a fragment it uses counts at the next job, a
 * broken template is refused as the command line refuses it, a
 * template's typo is warned of every time, and a font file the map names
 * put in place is used at the next job. */
static void test_templates_kept(void)
{
    char *err = NULL;
    desk_pool *p = desk_pool_start(gen, 1, 600, &err); /* one worker: every job on it */
    CHECK(p != NULL, "a pool of one: %s", err ? err : "");
    free(err);
    if (!p)
        return;
    char *dir = job_folder();
    project_file_to("examples/notice.xml", dir, "notice.xml");
    project_file_to("examples/selfcheck.xml", dir, "selfcheck.xml");
    int status, same = 1, rounds = slow() ? 1 : 3;
    for (int i = 0; i < rounds; i++) {
        same &= warm_as_cold(p, dir, "notice.xml", NULL, NULL, &status) && status == 0;
        same &= warm_as_cold(p, dir, "selfcheck.xml", "-t", "selfcheck-summary", &status) &&
                status == 0;
        same &= warm_as_cold(p, dir, "selfcheck.xml", NULL, NULL, &status) && status == 0;
    }
    CHECK(same, "the notice, the self-check summary and the report (which includes the "
                "summary), in turn %d times: each PDF the command line's", rounds);

    /* a copy of the notice's template and its fragment, to edit */
    char *tpl_dir = in_folder(dir, "tpl");
    mkdir(tpl_dir, 0700);
    project_file_to("templates/notice.xml", tpl_dir, "notice.xml");
    project_file_to("templates/gbt9704.xml", tpl_dir, "gbt9704.xml");
    char *tpl = in_folder(tpl_dir, "notice.xml"), *fragment = in_folder(tpl_dir, "gbt9704.xml");
    pdf_seen seen = {0};
    CHECK(warm_as_cold(p, dir, "notice.xml", "-t", tpl, &status) && status == 0,
          "the template's copy (-t %s): the command line's PDF", tpl);
    pdf_changed(dir, &seen);
    CHECK(edit_file(tpl, "thickness=\"1pt\" color=\"#E60012\"",
                    "thickness=\"2.5pt\" color=\"#E60012\"") &&
              warm_as_cold(p, dir, "notice.xml", "-t", tpl, &status) && status == 0,
          "the red rule made thicker in the template: the command line's PDF");
    CHECK(pdf_changed(dir, &seen), "and not the PDF of before the edit");
    CHECK(edit_file(fragment, "size=\"36pt\" leading=\"36pt\"",
                    "size=\"30.5pt\" leading=\"30.5pt\"") &&
              warm_as_cold(p, dir, "notice.xml", "-t", tpl, &status) && status == 0,
          "the issuer's mark made smaller in the fragment it uses: the command line's PDF");
    CHECK(pdf_changed(dir, &seen), "and not the PDF of before the fragment's edit");

    size_t tlen;
    char *good = read_whole_file(tpl, &tlen);
    write_file(tpl, good, tlen / 2); /* cut in the middle: not XML */
    CHECK(warm_as_cold(p, dir, "notice.xml", "-t", tpl, &status) && status == 2,
          "the template cut short: status 2 (%d) and the command line's messages", status);
    write_file(tpl, good, tlen);
    CHECK(warm_as_cold(p, dir, "notice.xml", "-t", tpl, &status) && status == 0,
          "the template whole again: the command line's PDF");
    free(good);

    CHECK(edit_file(tpl, "<value of=\"title\"/></para>",
                    "<value of=\"title\"/></para><para><value of=\"titel\"/></para>"),
          "a typo put in the template");
    int warned = 1;
    for (int i = 0; i < 2; i++) {
        warned &= warm_as_cold(p, dir, "notice.xml", "-t", tpl, &status) && status == 0;
        char *said = file_in(dir, "stderr", NULL);
        warned &= said && strstr(said, "titel") != NULL;
        free(said);
    }
    CHECK(warned, "its warning given at each of two renders, as the command line gives it");

    /* a font map whose first 仿宋 is an office's licensed file, not there
     * yet, then put in place (a kai stands in for it) */
    char *map = in_folder(dir, "fonts.xml"), *licensed = in_folder(dir, "fangsong.ttf");
    project_file_to("fonts/fonts.xml", dir, "fonts.xml");
    CHECK(edit_file(map, "/usr/share/fonts/truetype/fangsong/FangSong_GB2312.ttf", licensed),
          "a font map naming %s for 仿宋", licensed);
    int rendered = warm_as_cold(p, dir, "notice.xml", "--fonts", map, &status) && status == 0;
    pdf_changed(dir, &seen);
    copy_file("/usr/share/fonts/truetype/arphic-gkai00mp/gkai00mp.ttf", licensed);
    rendered = rendered && warm_as_cold(p, dir, "notice.xml", "--fonts", map, &status) &&
               status == 0;
    CHECK(rendered && pdf_changed(dir, &seen),
          "the licensed 仿宋 put in place: used at the next job, as by the command line");
    free(seen.bytes), free(map), free(licensed);
    desk_pool_stop(p);
    free(tpl), free(fragment), free(tpl_dir);
    remove_tree(dir);
    free(dir);
}

static int compare_doubles(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return x < y ? -1 : x > y;
}

/* GEN_DESK_TIMING=1: the notice rendered warm through the pool and cold by
 * bin/gen, the median of 20 each (printed, never checked). */
static void print_timing(desk_pool *p)
{
    char *dir = job_folder();
    project_file_to("examples/notice.xml", dir, "notice.xml");
    double warm[20], cold[20];
    const char *args[] = {"render", "notice.xml", "-o", "out.pdf", NULL};
    for (int i = 0; i < 20; i++) {
        double t0 = now_s();
        desk_pool_run(p, dir, args);
        warm[i] = now_s() - t0;
        t0 = now_s();
        run_cold(dir, args);
        cold[i] = now_s() - t0;
    }
    qsort(warm, 20, sizeof *warm, compare_doubles);
    qsort(cold, 20, sizeof *cold, compare_doubles);
    printf("the notice: warm render through the pool %.1f ms, cold gen render %.1f ms "
           "(medians of 20)\n",
           (warm[9] + warm[10]) / 2 * 1000, (cold[9] + cold[10]) / 2 * 1000);
    remove_tree(dir);
    free(dir);
}

/* The project: the folder above the test (build/tests/test_desk_pool,
 * build/asan/tests/...) that holds examples/notice.xml. */
static void find_gen(void)
{
    char exe[PATH_MAX];
    ssize_t n = readlink("/proc/self/exe", exe, sizeof exe - 1);
    exe[n > 0 ? n : 0] = '\0';
    project[0] = '\0';
    for (char *dir = dirname(exe); strcmp(dir, "/") && strcmp(dir, "."); dir = dirname(dir)) {
        snprintf(project, sizeof project, "%s", dir);
        char *notice = in_folder(dir, "examples/notice.xml");
        int found = access(notice, R_OK) == 0;
        free(notice);
        if (found)
            break;
    }
    const char *env = getenv("GEN");
    if (env && env[0] == '/')
        snprintf(gen, sizeof gen, "%s", env);
    else if (env) /* relative to the project, as tests/run runs it */
        snprintf(gen, sizeof gen, "%s/%s", project, env);
    else
        snprintf(gen, sizeof gen, "%s/bin/gen", project);
}

int main(void)
{
    find_gen();
    CHECK(access(gen, X_OK) == 0, "%s is built (make all)", gen);
    snprintf(tmp_root, sizeof tmp_root, "/tmp/test_desk_pool.XXXXXX");
    CHECK(mkdtemp(tmp_root) != NULL, "a temporary folder");
    setenv("GEN_DESK_FAULTS", "1", 1); /* the workers inherit it */
    char *err = NULL;
    desk_pool *p = desk_pool_start(gen, 2, 600, &err);
    CHECK(p != NULL, "the pool started: %s", err ? err : "");
    free(err);
    if (p) {
        test_render(p);
        test_validate(p);
        test_faults(p);
        test_threads(p);
        test_large_stderr(p);
        if (getenv("GEN_DESK_TIMING") && !strcmp(getenv("GEN_DESK_TIMING"), "1"))
            print_timing(p);
        desk_pool_stop(p);
    }
    test_hang();
    test_templates_kept();
    test_memory();
    err = NULL;
    CHECK(desk_pool_start("/nonexistent/gen", 1, 5, &err) == NULL && err,
          "a missing gen: refused with a message");
    free(err);
    free(reference_pdf);
    remove_tree(tmp_root);
    return check_summary();
}
