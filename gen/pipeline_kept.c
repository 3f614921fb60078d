/* The font map and the templates kept between commands (pipeline_kept.h).
 *
 * A kept thing is used again only while every file it was read from is
 * as it was (device, inode, size, modification and change times): an
 * office that edits a template or the font map sees the edit at the next
 * render, as it would from the command line, and a file made unreadable
 * (chmod changes the change time) is refused as the command line
 * refuses it.  A template in use is lent: asked for
 * again before it is given back (a bundle with two attachments of one
 * template), it is read afresh, so that no two applications share its
 * tallies. */
#define _GNU_SOURCE
#include "pipeline_kept.h"

#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "util.h"

/* A file as it was when something was read from it. */
typedef struct file_state {
    char *path;
    int present;
    struct stat st;
} file_state;

static file_state file_state_now(const char *path)
{
    file_state f = {xstrdup(path), 0, {0}};
    f.present = stat(path, &f.st) == 0;
    return f;
}

static int file_unchanged(const file_state *f)
{
    struct stat st;
    int present = stat(f->path, &st) == 0;
    if (present != f->present)
        return 0;
    return !present ||
           (st.st_dev == f->st.st_dev && st.st_ino == f->st.st_ino && st.st_size == f->st.st_size &&
            st.st_mtim.tv_sec == f->st.st_mtim.tv_sec && st.st_mtim.tv_nsec == f->st.st_mtim.tv_nsec &&
            st.st_ctim.tv_sec == f->st.st_ctim.tv_sec && st.st_ctim.tv_nsec == f->st.st_ctim.tv_nsec);
}

typedef struct file_states {
    file_state *items;
    size_t n;
} file_states;

static void file_states_add(file_states *s, const char *path)
{
    s->items = xrealloc(s->items, (s->n + 1) * sizeof *s->items);
    s->items[s->n++] = file_state_now(path);
}

static int file_states_unchanged(const file_states *s)
{
    for (size_t i = 0; i < s->n; i++)
        if (!file_unchanged(&s->items[i]))
            return 0;
    return 1;
}

static void file_states_free(file_states *s)
{
    for (size_t i = 0; i < s->n; i++)
        free(s->items[i].path);
    free(s->items);
    *s = (file_states){0};
}

static int on; /* off: nothing is kept, so nothing is found */

/* ---- the font map ---- */

static struct kept_fonts {
    char *map;
    file_states files; /* the map's file and the font files it names */
    font_set *set;
    diag_list said;
} fonts;

static void forget_fonts(void)
{
    font_set_free(fonts.set);
    free(fonts.map);
    file_states_free(&fonts.files);
    diag_free(&fonts.said);
    fonts = (struct kept_fonts){0};
}

font_set *kept_fonts_for(const char *map, diag_list *diags)
{
    if (!fonts.set)
        return NULL;
    if (strcmp(fonts.map, map) != 0 || !file_states_unchanged(&fonts.files)) {
        forget_fonts();
        return NULL;
    }
    diag_append(diags, &fonts.said);
    return fonts.set;
}

void kept_fonts_keep(const char *map, font_set *set, const diag_list *diags, size_t first)
{
    if (!on || !set || !font_set_complete(set))
        return;
    forget_fonts();
    fonts.set = set;
    fonts.map = xstrdup(map);
    file_states_add(&fonts.files, map);
    /* each file the map names, there or not: an office's licensed face
     * put in place later, or replaced, is read at the next job */
    for (size_t r = 0; r < font_set_role_count(set); r++)
        for (size_t j = 0; j < font_set_entry_count(set, r); j++)
            if (font_set_entry(set, r, j).path)
                file_states_add(&fonts.files, font_set_entry(set, r, j).path);
    diag_list said = {.items = diags->items + first, .n = diags->n - first};
    diag_append(&fonts.said, &said);
}

int kept_fonts_is(const font_set *set)
{
    return set && set == fonts.set;
}

/* ---- templates ---- */

/* More than the desk's templates (eight); past it, the one used longest
 * ago goes. */
#define KEPT_TEMPLATES 16

typedef struct kept_template {
    template *t; /* NULL: a free place */
    char *path, *schema, *codes;
    file_states files; /* the template's, its includes', the schema, the code lists */
    diag_list said;
    int lent;
    unsigned long used; /* when last lent: the clock below */
} kept_template;

static kept_template templates[KEPT_TEMPLATES];
static unsigned long clock_;

static void forget_template(kept_template *k)
{
    template_free(k->t);
    free(k->path), free(k->schema), free(k->codes);
    file_states_free(&k->files);
    diag_free(&k->said);
    *k = (kept_template){0};
}

static kept_template *find_template(const char *path)
{
    for (size_t i = 0; i < KEPT_TEMPLATES; i++)
        if (templates[i].t && strcmp(templates[i].path, path) == 0)
            return &templates[i];
    return NULL;
}

template *kept_template_lend(const char *path, const char *schema, const char *codes,
                             diag_list *diags)
{
    kept_template *k = find_template(path);
    if (!k || k->lent)
        return NULL;
    if (strcmp(k->schema, schema) != 0 || strcmp(k->codes, codes) != 0 ||
        !file_states_unchanged(&k->files)) {
        forget_template(k);
        return NULL;
    }
    template_forget_use(k->t);
    k->lent = 1;
    k->used = ++clock_;
    diag_append(diags, &k->said);
    return k->t;
}

static void add_included(const char *path, void *files)
{
    file_states_add(files, path);
}

/* A free place, else the place of the template given back longest ago;
 * NULL when all are lent. */
static kept_template *place_for_template(void)
{
    kept_template *oldest = NULL;
    for (size_t i = 0; i < KEPT_TEMPLATES; i++) {
        if (!templates[i].t)
            return &templates[i];
        if (!templates[i].lent && (!oldest || templates[i].used < oldest->used))
            oldest = &templates[i];
    }
    if (oldest)
        forget_template(oldest);
    return oldest;
}

void kept_template_keep(template *t, const char *path, const char *schema, const char *codes,
                        const diag_list *diags, size_t first)
{
    if (!on || path[0] != '/' || find_template(path))
        return;
    kept_template *k = place_for_template();
    if (!k)
        return;
    *k = (kept_template){.t = t, .lent = 1, .used = ++clock_};
    k->path = xstrdup(path), k->schema = xstrdup(schema), k->codes = xstrdup(codes);
    file_states_add(&k->files, path);
    template_included_files(t, add_included, &k->files);
    file_states_add(&k->files, schema);
    if (template_uses_code_lists(t))
        file_states_add(&k->files, codes);
    diag_list said = {.items = diags->items + first, .n = diags->n - first};
    diag_append(&k->said, &said);
}

int kept_template_give_back(template *t)
{
    for (size_t i = 0; i < KEPT_TEMPLATES; i++)
        if (t && templates[i].t == t) {
            templates[i].lent = 0;
            return 1;
        }
    return 0;
}

static void forget_all(void)
{
    forget_fonts();
    for (size_t i = 0; i < KEPT_TEMPLATES; i++)
        if (templates[i].t)
            forget_template(&templates[i]);
}

void kept_set_on(int yes)
{
    if (!yes)
        forget_all();
    on = yes;
}
