#define _GNU_SOURCE
#include "out_guard.h"

#include <libgen.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "i18n.h"
#include "util.h"

void file_identity_of(const char *path, file_identity *id)
{
    struct stat st;
    *id = (file_identity){0};
    if (stat(path, &st) == 0) { /* follows links: a link to the record is the record */
        id->exists = 1, id->dev = st.st_dev, id->ino = st.st_ino;
        return;
    }
    char *dir_copy = xstrdup(path), *base_copy = xstrdup(path);
    char *dir = realpath(dirname(dir_copy), NULL);
    if (dir)
        id->canonical = xasprintf("%s/%s", dir, basename(base_copy));
    free(dir);
    free(dir_copy);
    free(base_copy);
}

int file_identity_same(const file_identity *a, const file_identity *b)
{
    if (a->exists || b->exists)
        return a->exists && b->exists && a->dev == b->dev && a->ino == b->ino;
    return a->canonical && b->canonical && strcmp(a->canonical, b->canonical) == 0;
}

void file_identity_free(file_identity *id)
{
    free(id->canonical);
    id->canonical = NULL;
}

void input_list_add(input_list *l, const char *path, const char *what)
{
    GROW(l->items, l->n, l->cap);
    input_file *in = &l->items[l->n++];
    in->path = xstrdup(path);
    in->what = xstrdup(_(what)); /* said in a message */
    file_identity_of(path, &in->id);
}

const input_file *input_list_find(const input_list *l, const char *out)
{
    file_identity id;
    file_identity_of(out, &id);
    const input_file *found = NULL;
    for (size_t i = 0; i < l->n && !found; i++)
        if (file_identity_same(&id, &l->items[i].id))
            found = &l->items[i];
    file_identity_free(&id);
    return found;
}

void input_list_free(input_list *l)
{
    for (size_t i = 0; i < l->n; i++) {
        free(l->items[i].path);
        free(l->items[i].what);
        file_identity_free(&l->items[i].id);
    }
    free(l->items);
    *l = (input_list){0};
}

void out_guard_report(const char *out, const input_file *in, const char *fix, diag_list *diags)
{
    diag_add(diags, DIAG_ERROR, out, 0,
             "the output is %s %s (the same file): writing there would destroy it; %s",
             in->what, in->path, _(fix));
}

int out_guard(const char *out, const char *input, const char *what, const char *fix,
              diag_list *diags)
{
    input_list one = {0};
    input_list_add(&one, input, what);
    const input_file *found = input_list_find(&one, out);
    if (found)
        out_guard_report(out, found, fix, diags);
    input_list_free(&one);
    return found ? -1 : 0;
}

static int is_folder(const char *path)
{
    struct stat st;
    return stat(path, &st) == 0 && S_ISDIR(st.st_mode);
}

int out_folder_exists(const char *out, diag_list *diags)
{
    char *path = xstrdup(out);
    size_t n = strlen(path);
    while (n > 1 && path[n - 1] == '/') /* out/forms/ is out/forms */
        path[--n] = '\0';
    char *folder = xstrdup(dirname(path));
    int rc = 0;
    if (!is_folder(folder)) {
        /* the first missing one: out/a/b when out/ is there but not a/ */
        char *missing = xstrdup(folder);
        for (;;) {
            char *copy = xstrdup(missing), *parent = xstrdup(dirname(copy));
            free(copy);
            if (!strcmp(parent, missing) || is_folder(parent)) {
                free(parent);
                break;
            }
            free(missing);
            missing = parent;
        }
        diag_add(diags, DIAG_ERROR, NULL, 0,
                 "the folder %s does not exist: create it first (mkdir -p %s) or correct the path",
                 missing, folder);
        free(missing);
        rc = -1;
    }
    free(folder), free(path);
    return rc;
}
