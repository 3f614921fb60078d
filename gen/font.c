#define _GNU_SOURCE
#include "font.h"

#include <hb-subset.h>
#include <hb.h>
#include <libgen.h>
#include <libxml/tree.h>
#include <stdlib.h>
#include <string.h>

#include "font_find.h"
#include "font_internal.h"
#include "font_open.h"
#include "i18n.h"
#include "load.h"
#include "util.h"

/* What HarfBuzz says is asked once per code point and kept, in pages of
 * 256 code points made when first touched: a table of 38,000 rows asks
 * for the face, the advance and the use of some 8 million characters, of
 * a few thousand distinct ones. */
#define PAGE_BITS 8
#define PAGE_SIZE (1u << PAGE_BITS)
#define NPAGES ((0x10FFFFu >> PAGE_BITS) + 1)

enum { CP_KNOWN = 1, CP_COVERED = 2, CP_USED = 4 };

/* Per face: the nominal glyph of each code point (0 when none), whether
 * HarfBuzz reported one, its advance in font units, and whether the
 * document uses it (mirroring face->used, so that a character drawn a
 * million times is added to that set once). */
typedef struct glyph_page {
    hb_codepoint_t glyph[PAGE_SIZE];
    hb_position_t advance[PAGE_SIZE];
    unsigned char state[PAGE_SIZE];
} glyph_page;

/* font.c allocates every face with its cache behind it. */
typedef struct cached_face {
    font_face face; /* first: a font_face * is a cached_face * */
    glyph_page **pages; /* NPAGES, made on first use */
} cached_face;

/* Per role: which face of the chain draws each code point: 0 not asked
 * yet, k + 1 the chain's k-th face, ROLE_NONE none. */
#define ROLE_NONE 255

/* A <font> of a role: which file, where the map names it, and the family
 * it asked for when it named one (family="..." style="..."). */
#define NO_FILE ((size_t)-1) /* a family that no installed face has */

typedef struct font_entry {
    size_t file; /* in set->files, or NO_FILE */
    int line;
    int optional; /* optional="yes": its absence is no news */
    char *family, *style; /* as the map asks; NULL for a file="..." */
    char *found_style;    /* the style of the face fontconfig found */
} font_entry;

typedef struct font_role {
    char *name;
    int line;
    font_entry *entries; /* every file the map lists, in order */
    size_t nentries;
    font_face **chain; /* the usable ones */
    size_t n;
    unsigned char **pages; /* NPAGES, made on first use */
} font_role;

/* A file and face index the map names, opened once however many roles
 * name it. */
typedef struct font_file {
    char *path;
    int index;
    font_face *face; /* NULL when it is missing or cannot be used */
    int missing;
    char *why; /* why it cannot be used */
} font_file;

struct font_set {
    font_role *roles;
    size_t nroles, roles_cap;
    font_face **faces; /* the usable files' faces */
    size_t nfaces, faces_cap;
    font_file *files;
    size_t nfiles, files_cap;
    font_probe probe;
    const font_role *last_role; /* the role font_for_char found last */
    /* while the map is read: fontconfig, opened at its first family */
    font_finder *finder;
    int finder_tried;
};

/* A name of the face (its family, its style), in English when it has one. */
static char *face_name(hb_face_t *face, hb_ot_name_id_t id)
{
    char buf[256] = "";
    unsigned len = sizeof buf;
    if (hb_ot_name_get_utf8(face, id, hb_language_from_string("en", -1), &len, buf) == 0) {
        len = sizeof buf;
        hb_ot_name_get_utf8(face, id, HB_LANGUAGE_INVALID, &len, buf);
    }
    return xstrdup(buf);
}

/* The face of a checked file (font_file_check), or NULL with *why when
 * HarfBuzz finds no character in it. */
static font_face *face_open(const char *path, int index, hb_blob_t *blob, char **why)
{
    hb_face_t *face = hb_face_create(blob, (unsigned)index);
    hb_set_t *all = hb_set_create();
    hb_face_collect_unicodes(face, all);
    hb_codepoint_t first = 0x1F, last = hb_set_get_max(all);
    if (!hb_set_next(all, &first)) {
        *why = xstrdup(_("it maps no character (its 'cmap' table has none HarfBuzz can read)"));
        hb_set_destroy(all);
        hb_face_destroy(face);
        hb_blob_destroy(blob);
        return NULL;
    }
    hb_set_destroy(all);
    cached_face *cf = xcalloc(1, sizeof *cf);
    font_face *f = &cf->face;
    f->path = xstrdup(path);
    f->index = index;
    f->blob = blob;
    f->face = face;
    f->font = hb_font_create(face);
    f->upem = hb_face_get_upem(face);
    f->family = face_name(face, HB_OT_NAME_ID_FONT_FAMILY);
    f->style = face_name(face, HB_OT_NAME_ID_FONT_SUBFAMILY);
    f->used = hb_set_create();
    f->sample[0] = first;
    f->sample[1] = last;
    return f;
}

static void face_free(font_face *f)
{
    cached_face *cf = (cached_face *)f;
    if (cf->pages)
        for (size_t i = 0; i < NPAGES; i++)
            free(cf->pages[i]);
    free(cf->pages);
    hb_blob_destroy(f->subset);
    free(f->pua_cps);
    hb_set_destroy(f->used);
    hb_font_destroy(f->font);
    hb_face_destroy(f->face);
    hb_blob_destroy(f->blob);
    free(f->family);
    free(f->style);
    free(f->path);
    free(f);
}

/* Read, check and (with the set's probe) try the file: its face, or why
 * not. */
static void file_open(font_set *set, font_file *file)
{
    if (file->index < 0) {
        file->why = xstrdup(_("its index is not a face number (0, 1, ...)"));
        return;
    }
    hb_blob_t *blob = font_file_map(file->path, &file->missing, &file->why);
    if (!blob)
        return;
    if ((file->why = font_file_check(blob, file->index))) {
        hb_blob_destroy(blob);
        return;
    }
    font_face *f = face_open(file->path, file->index, blob, &file->why);
    if (f && set->probe && (file->why = set->probe(f))) {
        face_free(f);
        f = NULL;
    }
    if (f) {
        GROW(set->faces, set->nfaces, set->faces_cap);
        set->faces[set->nfaces++] = f;
    }
    file->face = f;
}

/* The file of that path and face index, opened the first time. */
static size_t set_file(font_set *set, const char *path, int index)
{
    for (size_t i = 0; i < set->nfiles; i++)
        if (set->files[i].index == index && strcmp(set->files[i].path, path) == 0)
            return i;
    GROW(set->files, set->nfiles, set->files_cap);
    font_file *file = &set->files[set->nfiles];
    memset(file, 0, sizeof *file);
    file->path = xstrdup(path);
    file->index = index;
    file_open(set, file);
    return set->nfiles++;
}

static char *resolve_path(const char *map, const char *file)
{
    if (file[0] == '/')
        return xstrdup(file);
    char *copy = xstrdup(map);
    char *path = xasprintf("%s/%s", dirname(copy), file);
    free(copy);
    return path;
}

static char *attr(xmlNode *node, const char *name)
{
    xmlChar *v = xmlGetProp(node, (const xmlChar *)name);
    char *s = v ? xstrdup((const char *)v) : NULL;
    xmlFree(v);
    return s;
}

/* index="N": a face number, 0 when not given, -1 when not a number. */
static int face_number(const char *index)
{
    if (!index)
        return 0;
    char *end;
    long n = strtol(index, &end, 10);
    return *index && *end == '\0' && n >= 0 && n < 0x10000 && index[0] != '-' && index[0] != '+'
               ? (int)n
               : -1;
}

/* The file a family="..." names, through fontconfig (opened once, at the
 * map's first family); NULL when no installed face has the family. */
static char *find_family(font_set *set, font_entry *e, int *index)
{
    if (!set->finder_tried) {
        set->finder_tried = 1;
        set->finder = font_finder_open();
    }
    if (!set->finder)
        return NULL;
    return font_finder_find(set->finder, e->family, e->style, index, &e->found_style);
}

static void role_add_entry(font_set *set, font_role *role, font_entry e, const char *path,
                           int index)
{
    e.file = path ? set_file(set, path, index) : NO_FILE;
    role->entries = xrealloc(role->entries, (role->nentries + 1) * sizeof *role->entries);
    role->entries[role->nentries++] = e;
    if (e.file != NO_FILE && set->files[e.file].face) {
        role->chain = xrealloc(role->chain, (role->n + 1) * sizeof *role->chain);
        role->chain[role->n++] = set->files[e.file].face;
    }
}

/* <font file="..." index="N"/> or <font family="..." style="..."/>. */
static void role_add_font(font_set *set, font_role *role, xmlNode *node, const char *map,
                          diag_list *diags)
{
    char *file = attr(node, "file"), *index = attr(node, "index"), *opt = attr(node, "optional");
    font_entry e = {.line = (int)xmlGetLineNo(node), .optional = opt && strcmp(opt, "yes") == 0,
                    .family = attr(node, "family"), .style = attr(node, "style")};
    if (!file == !e.family) {
        diag_add(diags, DIAG_ERROR, map, e.line,
                 "<font> needs a file attribute or a family attribute (one of them)");
        free(e.family);
        free(e.style);
    } else if (e.family) {
        int k = 0;
        char *path = find_family(set, &e, &k);
        role_add_entry(set, role, e, path, k);
        free(path);
    } else {
        char *path = resolve_path(map, file);
        role_add_entry(set, role, e, path, face_number(index));
        free(path);
    }
    free(file);
    free(index);
    free(opt);
}

/* The next file of the role after its j-th that can be used, or NULL. */
static const font_file *next_usable(const font_set *set, const font_role *r, size_t j)
{
    for (size_t k = j + 1; k < r->nentries; k++)
        if (r->entries[k].file != NO_FILE && set->files[r->entries[k].file].face)
            return &set->files[r->entries[k].file];
    return NULL;
}

/* A file of the role that is missing (unless optional) or cannot be used:
 * a warning at its line, saying what draws the role instead. */
static void report_entry(const font_set *set, const font_role *r, size_t j, const char *map,
                         diag_list *diags)
{
    const font_entry *e = &r->entries[j];
    const font_file *f = e->file == NO_FILE ? NULL : &set->files[e->file];
    if (e->file == NO_FILE ? e->optional : f->face || (f->missing && e->optional))
        return;
    const font_file *next = next_usable(set, r, j);
    char *index = f && f->index > 0 ? xasprintf(" (index %d)", f->index) : xstrdup("");
    char *then = r->n == 0 ? xstrdup("")
                 : next    ? xasprintf(_("; %s falls back to %s"), r->name, next->path)
                           : xasprintf(_("; %s is drawn without it"), r->name);
    if (!f && e->style)
        diag_add(diags, DIAG_WARNING, map, e->line,
                 "no installed font has the family %s, style %s%s", e->family, e->style, then);
    else if (!f)
        diag_add(diags, DIAG_WARNING, map, e->line, "no installed font has the family %s%s",
                 e->family, then);
    else if (f->missing)
        diag_add(diags, DIAG_WARNING, map, e->line, "the font file %s%s is not there%s", f->path,
                 index, then);
    else
        diag_add(diags, DIAG_WARNING, map, e->line, "the font file %s%s cannot be used: %s%s",
                 f->path, index, f->why, then);
    free(index);
    free(then);
}

static void report_role(const font_set *set, const font_role *r, const char *map,
                        diag_list *diags)
{
    int present = 0;
    for (size_t j = 0; j < r->nentries; j++) {
        report_entry(set, r, j, map, diags);
        present |= r->entries[j].file != NO_FILE && !set->files[r->entries[j].file].missing;
    }
    if (r->n == 0 && present)
        diag_add(diags, DIAG_ERROR, map, r->line,
                 "no font file of the role %s can be used (install the Debian font packages "
                 "with `make deps`, or point the role at a TrueType font file)",
                 r->name);
    else if (r->n == 0)
        diag_add(diags, DIAG_ERROR, map, r->line,
                 "no font file of the role %s is installed (install the Debian font packages "
                 "with `make deps`, or point the role at a TrueType font file)",
                 r->name);
}

static void set_add_role(font_set *set, xmlNode *node, const char *map, diag_list *diags)
{
    char *name = attr(node, "name");
    if (!name) {
        diag_add(diags, DIAG_ERROR, map, xmlGetLineNo(node), "<role> needs a name attribute");
        return;
    }
    GROW(set->roles, set->nroles, set->roles_cap);
    font_role *role = &set->roles[set->nroles++];
    memset(role, 0, sizeof *role);
    role->name = name;
    role->line = (int)xmlGetLineNo(node);
    for (xmlNode *c = node->children; c; c = c->next)
        if (c->type == XML_ELEMENT_NODE && xmlStrEqual(c->name, (const xmlChar *)"font"))
            role_add_font(set, role, c, map, diags);
    report_role(set, role, map, diags);
}

font_set *font_set_load(const char *path, font_probe probe, diag_list *diags)
{
    /* read as every XML file of the program is (load.h): no network, no
     * DTD, no entities, its bytes checked against its encoding, and what
     * is wrong said with its line */
    xmlDoc *doc = load_xml_encoded(path, NULL, LOAD_RECORD, diags);
    if (!doc)
        return NULL;
    font_set *set = xcalloc(1, sizeof *set);
    set->probe = probe;
    xmlNode *root = xmlDocGetRootElement(doc);
    for (xmlNode *c = root ? root->children : NULL; c; c = c->next)
        if (c->type == XML_ELEMENT_NODE && xmlStrEqual(c->name, (const xmlChar *)"role"))
            set_add_role(set, c, path, diags);
    xmlFreeDoc(doc);
    font_finder_close(set->finder); /* the families are resolved: no more lookups */
    set->finder = NULL;
    if (set->nroles == 0) {
        diag_add(diags, DIAG_ERROR, path, 0, "the font map names no role");
        font_set_free(set);
        return NULL;
    }
    return set;
}

int font_set_complete(const font_set *set)
{
    for (size_t i = 0; i < set->nroles; i++)
        if (set->roles[i].n == 0)
            return 0;
    return 1;
}

void font_set_free(font_set *set)
{
    if (!set)
        return;
    for (size_t i = 0; i < set->nroles; i++) {
        free(set->roles[i].name);
        for (size_t j = 0; j < set->roles[i].nentries; j++) {
            free(set->roles[i].entries[j].family);
            free(set->roles[i].entries[j].style);
            free(set->roles[i].entries[j].found_style);
        }
        free(set->roles[i].entries);
        free(set->roles[i].chain);
        if (set->roles[i].pages)
            for (size_t k = 0; k < NPAGES; k++)
                free(set->roles[i].pages[k]);
        free(set->roles[i].pages);
    }
    free(set->roles);
    for (size_t i = 0; i < set->nfaces; i++)
        face_free(set->faces[i]);
    free(set->faces);
    for (size_t i = 0; i < set->nfiles; i++) {
        free(set->files[i].path);
        free(set->files[i].why);
    }
    free(set->files);
    free(set);
}

static const font_role *find_role(const font_set *set, const char *name)
{
    for (size_t i = 0; i < set->nroles; i++)
        if (strcmp(set->roles[i].name, name) == 0)
            return &set->roles[i];
    return NULL;
}

int font_set_has_role(const font_set *set, const char *role)
{
    return find_role(set, role) != NULL;
}

/* The face's page that holds code point cp (made empty when first
 * needed), or NULL beyond Unicode. */
static glyph_page *glyph_page_of(const font_face *face, uint32_t cp)
{
    cached_face *cf = (cached_face *)face;
    if (cp > 0x10FFFF)
        return NULL;
    if (!cf->pages)
        cf->pages = xcalloc(NPAGES, sizeof *cf->pages);
    glyph_page *pg = cf->pages[cp >> PAGE_BITS];
    if (!pg)
        pg = cf->pages[cp >> PAGE_BITS] = xcalloc(1, sizeof *pg);
    return pg;
}

/* The page holding what HarfBuzz says of cp, asked the first time: its
 * nominal glyph (0 when none), whether HarfBuzz has one, its advance; the
 * entry is *slot.  NULL beyond Unicode. */
static glyph_page *glyph_info(const font_face *face, uint32_t cp, unsigned *slot)
{
    glyph_page *pg = glyph_page_of(face, cp);
    if (!pg)
        return NULL;
    unsigned i = cp & (PAGE_SIZE - 1);
    if (!(pg->state[i] & CP_KNOWN)) {
        hb_codepoint_t glyph = 0;
        if (hb_font_get_nominal_glyph(face->font, cp, &glyph))
            pg->state[i] |= CP_COVERED;
        pg->glyph[i] = glyph;
        pg->advance[i] = hb_font_get_glyph_h_advance(face->font, glyph);
        pg->state[i] |= CP_KNOWN;
    }
    *slot = i;
    return pg;
}

static int face_covers(const font_face *f, uint32_t cp)
{
    unsigned i;
    glyph_page *pg = glyph_info(f, cp, &i);
    if (!pg) {
        hb_codepoint_t glyph;
        return hb_font_get_nominal_glyph(f->font, cp, &glyph) && glyph != 0;
    }
    return (pg->state[i] & CP_COVERED) && pg->glyph[i] != 0;
}

/* A private-use character means what the sender's own font (its 造字)
 * draws there: it is asked of the role's first face only, never of a
 * fallback, whose glyph there is another character (BabelStone Han fills
 * the private use area with its own); else it is missing, and said so. */
static int is_private_use(uint32_t cp)
{
    return (cp >= 0xE000 && cp <= 0xF8FF) || cp >= 0xF0000;
}

static font_face *chain_face(const font_role *r, uint32_t cp)
{
    size_t n = is_private_use(cp) && r->n > 1 ? 1 : r->n;
    for (size_t i = 0; i < n; i++)
        if (face_covers(r->chain[i], cp))
            return r->chain[i];
    return NULL;
}

font_face *font_for_char(const font_set *set, const char *role, uint32_t cp)
{
    const font_role *r = set->last_role;
    if (!r || strcmp(r->name, role) != 0) {
        r = find_role(set, role);
        if (!r)
            return NULL;
        ((font_set *)set)->last_role = r;
    }
    if (cp > 0x10FFFF || r->n >= ROLE_NONE)
        return chain_face(r, cp);
    font_role *w = (font_role *)r; /* the cache is not part of the set's meaning */
    if (!w->pages)
        w->pages = xcalloc(NPAGES, sizeof *w->pages);
    unsigned char *pg = w->pages[cp >> PAGE_BITS];
    if (!pg)
        pg = w->pages[cp >> PAGE_BITS] = xcalloc(PAGE_SIZE, 1);
    unsigned char *k = &pg[cp & (PAGE_SIZE - 1)];
    if (*k == 0) {
        font_face *f = chain_face(r, cp);
        size_t at = 0;
        while (f && r->chain[at] != f)
            at++;
        *k = f ? (unsigned char)(at + 1) : ROLE_NONE;
    }
    return *k == ROLE_NONE ? NULL : r->chain[*k - 1];
}

double font_advance(const font_face *face, uint32_t cp, double size)
{
    unsigned i;
    glyph_page *pg = glyph_info(face, cp, &i);
    if (!pg) {
        hb_codepoint_t glyph = 0;
        hb_font_get_nominal_glyph(face->font, cp, &glyph);
        return hb_font_get_glyph_h_advance(face->font, glyph) * size / face->upem;
    }
    return pg->advance[i] * size / face->upem;
}

double font_ink_top(const font_face *face, uint32_t cp, double size)
{
    hb_codepoint_t glyph = 0;
    hb_glyph_extents_t ext;
    hb_font_get_nominal_glyph(face->font, cp, &glyph);
    if (!hb_font_get_glyph_extents(face->font, glyph, &ext))
        return 0;
    return ext.y_bearing * size / face->upem;
}

int font_ink_x(const font_face *face, uint32_t cp, double size, double *left, double *right)
{
    hb_codepoint_t glyph = 0;
    hb_glyph_extents_t ext;
    hb_font_get_nominal_glyph(face->font, cp, &glyph);
    if (!hb_font_get_glyph_extents(face->font, glyph, &ext) || ext.width <= 0)
        return 0;
    *left = ext.x_bearing * size / face->upem;
    *right = (ext.x_bearing + ext.width) * size / face->upem;
    return 1;
}

double font_ascender(const font_face *face)
{
    hb_font_extents_t ext;
    hb_font_get_h_extents(face->font, &ext);
    return (double)ext.ascender / face->upem;
}

double font_descender(const font_face *face)
{
    hb_font_extents_t ext;
    hb_font_get_h_extents(face->font, &ext);
    return (double)-ext.descender / face->upem;
}

void font_use(font_face *face, uint32_t cp)
{
    unsigned i;
    glyph_page *pg = glyph_info(face, cp, &i);
    if (pg && (pg->state[i] & CP_USED))
        return;
    hb_set_add(face->used, cp);
    if (pg)
        pg->state[i] |= CP_USED;
}

static void forget_used_marks(font_face *face)
{
    cached_face *cf = (cached_face *)face;
    for (size_t p = 0; cf->pages && p < NPAGES; p++)
        if (cf->pages[p])
            for (unsigned i = 0; i < PAGE_SIZE; i++)
                cf->pages[p]->state[i] &= (unsigned char)~CP_USED;
}

void font_face_forget_usage(font_face *face)
{
    forget_used_marks(face);
    hb_set_clear(face->used);
    hb_blob_destroy(face->subset);
    face->subset = NULL;
    free(face->pua_cps);
    face->pua_cps = NULL;
    face->npua = 0;
}

void font_set_forget_usage(font_set *set)
{
    for (size_t i = 0; i < set->nfaces; i++)
        font_face_forget_usage(set->faces[i]);
}

void font_use_sample(font_face *face)
{
    font_use(face, face->sample[0]);
    font_use(face, face->sample[1]);
}

int font_is_used(const font_face *face)
{
    return !hb_set_is_empty(face->used);
}

size_t font_set_role_count(const font_set *set) { return set->nroles; }
const char *font_set_role_name(const font_set *set, size_t i) { return set->roles[i].name; }
size_t font_set_chain_length(const font_set *set, size_t role) { return set->roles[role].n; }

const font_face *font_set_chain_face(const font_set *set, size_t role, size_t j)
{
    return set->roles[role].chain[j];
}

size_t font_set_entry_count(const font_set *set, size_t role)
{
    return set->roles[role].nentries;
}

font_entry_info font_set_entry(const font_set *set, size_t role, size_t j)
{
    const font_entry *e = &set->roles[role].entries[j];
    font_entry_info info = {.line = e->line, .optional = e->optional, .missing = 1,
                            .family = e->family, .style = e->style,
                            .found_style = e->found_style};
    if (e->file != NO_FILE) {
        const font_file *f = &set->files[e->file];
        info.path = f->path, info.index = f->index, info.face = f->face;
        info.missing = f->missing, info.why = f->why;
    }
    return info;
}

size_t font_set_face_count(const font_set *set) { return set->nfaces; }
font_face *font_set_face(const font_set *set, size_t i) { return set->faces[i]; }
const char *font_face_path(const font_face *face) { return face->path; }
int font_face_index(const font_face *face) { return face->index; }
const char *font_face_family(const font_face *face) { return face->family; }
const char *font_face_style(const font_face *face) { return face->style; }
