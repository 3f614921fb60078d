/* Unit tests for gen/out_file.c: a file appears whole under its name or
 * not at all, synced now (out_finish) or by the publisher in the
 * background, whose outcomes come back in the order the files were handed
 * over. */
#define _GNU_SOURCE
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "check.h"
#include "out_file.h"
#include "util.h"

/* The names in dir, counted. */
static size_t entries(const char *dir)
{
    DIR *d = opendir(dir);
    size_t n = 0;
    for (struct dirent *e; d && (e = readdir(d));)
        n += strcmp(e->d_name, ".") != 0 && strcmp(e->d_name, "..") != 0;
    if (d)
        closedir(d);
    return n;
}

/* The file's whole text is `want`. */
static int holds(const char *path, const char *want)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        return 0;
    char buf[256];
    size_t n = fread(buf, 1, sizeof buf - 1, f);
    fclose(f);
    buf[n] = 0;
    return strcmp(buf, want) == 0;
}

static int write_text(out_file *f, const char *text)
{
    return write(f->fd, text, strlen(text)) == (ssize_t)strlen(text);
}

static void test_finish_now(const char *dir)
{
    char *path = xasprintf("%s/a.pdf", dir);
    diag_list diags = {0};
    out_file f;
    CHECK(out_open(path, &f, &diags) == 0 && write_text(&f, "first"), "opened and written");
    CHECK(entries(dir) == 0, "nothing visible while it is written");
    CHECK(out_finish(&f, &diags) == 0 && diags.n == 0, "finished");
    CHECK(holds(path, "first") && entries(dir) == 1, "the file, and only it");

    CHECK(out_open(path, &f, &diags) == 0 && write_text(&f, "second"), "opened again");
    CHECK(holds(path, "first"), "the old file stays while the new one is written");
    CHECK(out_finish(&f, &diags) == 0 && holds(path, "second") && entries(dir) == 1,
          "the new file replaces the old one");

    CHECK(out_open(path, &f, &diags) == 0 && write_text(&f, "third"), "opened a third time");
    out_abandon(&f, 0, &diags);
    CHECK(holds(path, "second") && entries(dir) == 1, "an abandoned file leaves the old one");
    unlink(path);
    free(path);

    char *nowhere = xasprintf("%s/no/such/dir/b.pdf", dir);
    CHECK(out_open(nowhere, &f, &diags) == -1 && diags.n == 1 &&
              strstr(diags.items[0].message, "cannot write here") &&
              strcmp(diags.items[0].file, nowhere) == 0,
          "a missing directory: an error naming the file");
    free(nowhere);
    diag_free(&diags);
}

static void test_publisher(const char *dir)
{
    publisher *p = publisher_new();
    CHECK(p != NULL, "the publisher starts");
    if (!p)
        return;
    diag_list diags = {0};
    int outcomes = 0;
    size_t collected = 0;
    for (size_t k = 0; k < 20; k++) {
        if (publisher_pending(p) == PUBLISH_AHEAD) {
            outcomes |= publisher_collect(p, &diags);
            collected++;
        }
        char *path = xasprintf("%s/doc-%zu.pdf", dir, k);
        char *text = xasprintf("document %zu", k);
        out_file f;
        if (out_open(path, &f, &diags) == 0 && write_text(&f, text))
            publisher_add(p, &f);
        free(path), free(text);
    }
    int bounded = publisher_pending(p) <= PUBLISH_AHEAD;
    while (publisher_pending(p) > 0) {
        outcomes |= publisher_collect(p, &diags);
        collected++;
    }
    CHECK(collected == 20 && outcomes == 0 && diags.n == 0, "20 files handed over, 20 outcomes, all 0");
    CHECK(bounded, "never more than PUBLISH_AHEAD held");
    int all = entries(dir) == 20;
    for (size_t k = 0; k < 20; k++) {
        char *path = xasprintf("%s/doc-%zu.pdf", dir, k);
        char *text = xasprintf("document %zu", k);
        all &= holds(path, text);
        unlink(path);
        free(path), free(text);
    }
    CHECK(all, "each file in place with its own text");

    /* the second of three cannot be named (its directory is gone by the
     * time it is synced): its own outcome says so, the others are 0 */
    char *sub = xasprintf("%s/sub", dir);
    mkdir(sub, 0700);
    char *paths[3] = {xasprintf("%s/one.pdf", dir), xasprintf("%s/two.pdf", sub),
                      xasprintf("%s/three.pdf", dir)};
    int opened = 1;
    for (int k = 0; k < 3; k++) {
        out_file f;
        opened &= out_open(paths[k], &f, &diags) == 0 && write_text(&f, "x");
        if (k == 1)
            rmdir(sub);
        publisher_add(p, &f);
    }
    int first = publisher_collect(p, &diags);
    size_t after_first = diags.n;
    int second = publisher_collect(p, &diags);
    int third = publisher_collect(p, &diags);
    CHECK(opened && first == 0 && after_first == 0, "the first file's outcome: 0");
    CHECK(second == -1 && diags.n == 1 && strstr(diags.items[0].message, "could not write the file") &&
              strcmp(diags.items[0].file, paths[1]) == 0,
          "the second's: an error naming it");
    CHECK(third == 0 && holds(paths[0], "x") && holds(paths[2], "x") && entries(dir) == 2,
          "the third's: 0, and the two good files in place");
    for (int k = 0; k < 3; k++)
        unlink(paths[k]), free(paths[k]);
    free(sub);
    diag_free(&diags);

    /* files still held when it is freed are finished, not lost */
    char *last = xasprintf("%s/last.pdf", dir);
    out_file f;
    if (out_open(last, &f, &diags) == 0 && write_text(&f, "last"))
        publisher_add(p, &f);
    publisher_free(p);
    CHECK(holds(last, "last"), "a file held at the end is put in place");
    unlink(last);
    free(last);
    diag_free(&diags);
}

int main(void)
{
    char dir[] = "/tmp/gen-out-file-XXXXXX";
    if (!mkdtemp(dir)) {
        perror("mkdtemp");
        return 1;
    }
    test_finish_now(dir);
    test_publisher(dir);
    rmdir(dir);
    return check_summary();
}
