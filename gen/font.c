#define _GNU_SOURCE
#include "font.h"

#include <hb-subset.h>
#include <hb.h>
#include <libgen.h>
#include <libxml/parser.h>
#include <libxml/tree.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "font_internal.h"
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

typedef struct font_role {
    char *name;
    font_face **chain;
    size_t n;
    unsigned char **pages; /* NPAGES, made on first use */
} font_role;

struct font_set {
    font_role *roles;
    size_t nroles, roles_cap;
    font_face **faces;
    size_t nfaces, faces_cap;
    const font_role *last_role; /* the role font_for_char found last */
};

/* libharu reads TrueType outlines only; a CFF font would be refused later,
 * with a message far from its cause. */
static int face_has_truetype_outlines(hb_face_t *face)
{
    hb_blob_t *glyf = hb_face_reference_table(face, HB_TAG('g', 'l', 'y', 'f'));
    unsigned len = hb_blob_get_length(glyf);
    hb_blob_destroy(glyf);
    return len > 0;
}

static char *face_family_name(hb_face_t *face)
{
    char buf[256];
    unsigned len = sizeof buf;
    if (hb_ot_name_get_utf8(face, HB_OT_NAME_ID_FONT_FAMILY, hb_language_from_string("en", -1),
                            &len, buf) == 0) {
        len = sizeof buf;
        hb_ot_name_get_utf8(face, HB_OT_NAME_ID_FONT_FAMILY, HB_LANGUAGE_INVALID, &len, buf);
    }
    return xstrdup(buf);
}

static font_face *face_open(const char *path, int index, diag_list *diags, const char *map)
{
    hb_blob_t *blob = hb_blob_create_from_file_or_fail(path);
    if (!blob)
        return NULL;
    if (index < 0 || (unsigned)index >= hb_face_count(blob)) {
        diag_add(diags, DIAG_ERROR, map, 0, "%s has no face number %d", path, index);
        hb_blob_destroy(blob);
        return NULL;
    }
    hb_face_t *face = hb_face_create(blob, (unsigned)index);
    if (!face_has_truetype_outlines(face)) {
        diag_add(diags, DIAG_ERROR, map, 0,
                 "%s is not a TrueType (glyf) font; libharu cannot embed it", path);
        hb_face_destroy(face);
        hb_blob_destroy(blob);
        return NULL;
    }
    cached_face *cf = xcalloc(1, sizeof *cf);
    font_face *f = &cf->face;
    f->path = xstrdup(path);
    f->index = index;
    f->blob = blob;
    f->face = face;
    f->font = hb_font_create(face);
    f->upem = hb_face_get_upem(face);
    f->family = face_family_name(face);
    f->used = hb_set_create();
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
    free(f->path);
    free(f);
}

/* One face per file and index, however many roles name it. */
static font_face *set_face(font_set *set, const char *path, int index, diag_list *diags,
                           const char *map)
{
    for (size_t i = 0; i < set->nfaces; i++)
        if (set->faces[i]->index == index && strcmp(set->faces[i]->path, path) == 0)
            return set->faces[i];
    font_face *f = face_open(path, index, diags, map);
    if (f) {
        GROW(set->faces, set->nfaces, set->faces_cap);
        set->faces[set->nfaces++] = f;
    }
    return f;
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

static void role_add_font(font_set *set, font_role *role, xmlNode *node, const char *map,
                          diag_list *diags)
{
    char *file = attr(node, "file");
    char *index = attr(node, "index");
    if (!file) {
        diag_add(diags, DIAG_ERROR, map, xmlGetLineNo(node), "<font> needs a file attribute");
    } else {
        char *path = resolve_path(map, file);
        if (access(path, R_OK) == 0) {
            font_face *f = set_face(set, path, index ? atoi(index) : 0, diags, map);
            if (f) {
                role->chain = xrealloc(role->chain, (role->n + 1) * sizeof *role->chain);
                role->chain[role->n++] = f;
            }
        }
        free(path);
    }
    free(file);
    free(index);
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
    for (xmlNode *c = node->children; c; c = c->next)
        if (c->type == XML_ELEMENT_NODE && xmlStrEqual(c->name, (const xmlChar *)"font"))
            role_add_font(set, role, c, map, diags);
    if (role->n == 0)
        diag_add(diags, DIAG_ERROR, map, xmlGetLineNo(node),
                 "no font file of the role %s is installed (install the Debian font "
                 "packages with `make deps`, or point the role at a font file)",
                 name);
}

font_set *font_set_load(const char *path, diag_list *diags)
{
    xmlDoc *doc = xmlReadFile(path, NULL, XML_PARSE_NONET | XML_PARSE_NOERROR | XML_PARSE_NOWARNING);
    if (!doc) {
        diag_add(diags, DIAG_ERROR, path, 0, "cannot read the font map");
        return NULL;
    }
    font_set *set = xcalloc(1, sizeof *set);
    size_t errors = diag_count(diags, DIAG_ERROR);
    xmlNode *root = xmlDocGetRootElement(doc);
    for (xmlNode *c = root ? root->children : NULL; c; c = c->next)
        if (c->type == XML_ELEMENT_NODE && xmlStrEqual(c->name, (const xmlChar *)"role"))
            set_add_role(set, c, path, diags);
    xmlFreeDoc(doc);
    if (diag_count(diags, DIAG_ERROR) > errors || set->nroles == 0) {
        if (set->nroles == 0)
            diag_add(diags, DIAG_ERROR, path, 0, "the font map names no role");
        font_set_free(set);
        return NULL;
    }
    return set;
}

void font_set_free(font_set *set)
{
    if (!set)
        return;
    for (size_t i = 0; i < set->nroles; i++) {
        free(set->roles[i].name);
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

static font_face *chain_face(const font_role *r, uint32_t cp)
{
    for (size_t i = 0; i < r->n; i++)
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

void font_set_forget_usage(font_set *set)
{
    for (size_t i = 0; i < set->nfaces; i++) {
        forget_used_marks(set->faces[i]);
        hb_set_clear(set->faces[i]->used);
        hb_blob_destroy(set->faces[i]->subset);
        set->faces[i]->subset = NULL;
        free(set->faces[i]->pua_cps);
        set->faces[i]->pua_cps = NULL;
        set->faces[i]->npua = 0;
    }
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

size_t font_set_face_count(const font_set *set) { return set->nfaces; }
font_face *font_set_face(const font_set *set, size_t i) { return set->faces[i]; }
const char *font_face_path(const font_face *face) { return face->path; }
int font_face_index(const font_face *face) { return face->index; }
const char *font_face_family(const font_face *face) { return face->family; }
