/* A font file of the map, read and checked before it is used: what
 * HarfBuzz would take without a word (it makes an empty face of anything)
 * and libharu refuse late, or embed broken, is said here, once, with the
 * reason. */
#define _GNU_SOURCE
#include "font_open.h"

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include "font_internal.h"
#include "i18n.h"
#include "util.h"

#define TAG(a, b, c, d) \
    ((uint32_t)(a) << 24 | (uint32_t)(b) << 16 | (uint32_t)(c) << 8 | (uint32_t)(d))

static uint32_t be32(const unsigned char *p)
{
    return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3];
}

static unsigned be16(const unsigned char *p)
{
    return (unsigned)p[0] << 8 | p[1];
}

typedef struct mapping {
    void *data;
    size_t len;
} mapping;

static void unmap(void *user)
{
    mapping *m = user;
    munmap(m->data, m->len);
    free(m);
}

/* Why a file of this kind and size cannot be a font, or NULL. */
static char *not_a_font_file(const struct stat *st)
{
    if (S_ISDIR(st->st_mode))
        return xstrdup(_("it is a folder, not a font file"));
    if (!S_ISREG(st->st_mode))
        return xstrdup(_("it is not a regular file"));
    if (st->st_size == 0)
        return xstrdup("the file is empty");
    if ((uint64_t)st->st_size > 0xFFFFFFFFu)
        return xstrdup(_("it is larger than a font can be (4 GB)"));
    return NULL;
}

hb_blob_t *font_file_map(const char *path, int *missing, char **why)
{
    *missing = 0;
    *why = NULL;
    /* not blocked by a FIFO standing where the font should be */
    int fd = open(path, O_RDONLY | O_CLOEXEC | O_NONBLOCK);
    if (fd < 0) {
        if (errno == ENOENT || errno == ENOTDIR)
            *missing = 1;
        else
            *why = xasprintf(_("it cannot be read (%s)"), strerror(errno));
        return NULL;
    }
    struct stat st;
    void *data = MAP_FAILED;
    if (fstat(fd, &st) != 0)
        *why = xasprintf(_("it cannot be read (%s)"), strerror(errno));
    else if (!(*why = not_a_font_file(&st))) {
        data = mmap(NULL, (size_t)st.st_size, PROT_READ, MAP_PRIVATE, fd, 0);
        if (data == MAP_FAILED)
            *why = xasprintf(_("it cannot be read (%s)"), strerror(errno));
    }
    close(fd);
    if (data == MAP_FAILED)
        return NULL;
    mapping *m = xmalloc(sizeof *m);
    *m = (mapping){data, (size_t)st.st_size};
    return hb_blob_create(data, (unsigned)st.st_size, HB_MEMORY_MODE_READONLY, m, unmap);
}

/* What kind of file the first bytes say, when it is not an OpenType
 * font (TrueType or CFF outlines) or collection; NULL when it is one. */
static char *not_truetype(uint32_t magic)
{
    if (magic == TAG('w', 'O', 'F', 'F') || magic == TAG('w', 'O', 'F', '2'))
        return xstrdup(_("it is a WOFF web font; only TrueType and OpenType fonts (.ttf, .otf, "
                       ".ttc) can be embedded"));
    if (magic != 0x00010000 && magic != TAG('t', 'r', 'u', 'e') && magic != TAG('O', 'T', 'T', 'O'))
        return xstrdup(_("it is not a TrueType or OpenType font (.ttf, .otf) or collection (.ttc)"));
    return NULL;
}

/* The offset of face `index`'s table directory, or a reason. */
static char *face_offset(const unsigned char *d, size_t n, int index, size_t *at)
{
    if (n < 12)
        return xasprintf(_("it is too short to be a font (%zu bytes)"), n);
    *at = 0;
    if (be32(d) != TAG('t', 't', 'c', 'f')) {
        if (index != 0)
            return xasprintf(_("it is a single font, not a collection (.ttc): index must be 0, "
                             "not %d"),
                             index);
        return not_truetype(be32(d));
    }
    uint32_t count = be32(d + 8);
    if (count == 0 || count > (n - 12) / 4)
        return xstrdup(_("the file is cut short or damaged: its list of fonts does not fit in it"));
    if (index < 0 || (uint32_t)index >= count)
        return xasprintf(_("the collection has %u font%s, numbered from 0: there is no index %d"),
                         count, count == 1 ? "" : "s", index);
    *at = be32(d + 12 + 4 * (size_t)index);
    if (*at > n - 12)
        return xasprintf(_("the file is cut short: it has %zu bytes, and font %d of the "
                         "collection starts at byte %zu"),
                         n, index, *at);
    return not_truetype(be32(d + *at));
}

/* The tables a face is read from (name: the font's PostScript name):
 * glyf and loca for TrueType outlines, CFF for PostScript ones; the
 * others to tell a face that has neither. */
enum { T_CMAP, T_HEAD, T_HHEA, T_HMTX, T_MAXP, T_NAME, T_GLYF, T_LOCA, T_CFF, T_CFF2, T_EBDT,
       T_CBDT, T_SBIX, NTABLES };
static const char table_names[NTABLES][5] = {"cmap", "head", "hhea", "hmtx", "maxp",
                                             "name", "glyf", "loca", "CFF ", "CFF2",
                                             "EBDT", "CBDT", "sbix"};
/* Every face needs the first six; a TrueType one glyf and loca too. */
#define T_COMMON (T_NAME + 1)

typedef struct table {
    size_t off, len;
    int present;
} table;

/* Each table of the directory at `at` lies within the file; those of
 * table_names found. */
static char *read_directory(const unsigned char *d, size_t n, size_t at, table *t)
{
    unsigned count = be16(d + at + 4);
    if (count > (n - at - 12) / 16)
        return xasprintf(_("the file is cut short: it has %zu bytes, and its table directory "
                         "does not fit in them"),
                         n);
    for (unsigned i = 0; i < count; i++) {
        const unsigned char *rec = d + at + 12 + 16 * (size_t)i;
        uint64_t off = be32(rec + 8), len = be32(rec + 12);
        char tag[5] = {(char)rec[0], (char)rec[1], (char)rec[2], (char)rec[3], 0};
        if (off + len > n)
            return xasprintf(_("the file is cut short: it has %zu bytes, and its '%s' table "
                             "ends at byte %llu"),
                             n, tag, (unsigned long long)(off + len));
        for (int k = 0; k < NTABLES; k++)
            if (memcmp(tag, table_names[k], 4) == 0 && len > 0)
                t[k] = (table){(size_t)off, (size_t)len, 1};
    }
    return NULL;
}

/* The face has outlines this program embeds, and the tables read with
 * them: NULL, or why not. */
static char *outline_kind(const table *t)
{
    int glyf = t[T_GLYF].present, cff = t[T_CFF].present && !glyf;
    if (!glyf && !cff) {
        if (t[T_CFF2].present)
            return xstrdup(_("it has variable PostScript outlines (a 'CFF2' table, an OpenType "
                           "variable font); only TrueType (glyf) and CFF outlines can be "
                           "embedded"));
        if (t[T_EBDT].present || t[T_CBDT].present || t[T_SBIX].present)
            return xstrdup(_("it has bitmap glyphs only (no outlines); only TrueType (glyf) and "
                           "CFF outlines can be embedded"));
        return xstrdup(_("it has no glyph outlines (neither a 'glyf' nor a 'CFF ' table)"));
    }
    for (int k = 0; k < (glyf ? T_LOCA + 1 : T_COMMON); k++)
        if (!t[k].present)
            return glyf ? xasprintf(_("it has no '%s' table, which a TrueType font needs"),
                                    table_names[k])
                        : xasprintf(_("it has no '%s' table, which an OpenType font needs"),
                                    table_names[k]);
    return NULL;
}

/* The CFF table is read as the PDF will read it (font_cff.c): its
 * glyphs are as many as maxp says, and each has a CID. */
static char *check_cff(const unsigned char *d, const table *t, size_t glyphs)
{
    uint16_t *cids = xmalloc((glyphs + 1) * sizeof *cids);
    int bad = font_cff_cids(d + t[T_CFF].off, t[T_CFF].len, cids, glyphs) != 0;
    free(cids);
    return bad ? xstrdup(_("its PostScript outlines ('CFF ' table) are damaged, or are not as "
                         "many as its glyphs ('maxp' table)"))
               : NULL;
}

/* head and maxp are sound, and for TrueType outlines agree with loca
 * and glyf. */
static char *check_glyph_tables(const unsigned char *d, const table *t)
{
    const unsigned char *head = d + t[T_HEAD].off, *maxp = d + t[T_MAXP].off;
    if (t[T_HEAD].len < 54 || be32(head + 12) != 0x5F0F3CF5 || be16(head + 50) > 1)
        return xstrdup(_("its 'head' table is damaged"));
    unsigned upem = be16(head + 18);
    if (upem < 16 || upem > 16384)
        return xasprintf(_("its 'head' table is damaged (%u units per em)"), upem);
    if (t[T_MAXP].len < 6 || be16(maxp + 4) == 0)
        return xstrdup(_("it has no glyphs ('maxp' table)"));
    size_t glyphs = be16(maxp + 4), wide = be16(head + 50);
    if (!t[T_GLYF].present)
        return check_cff(d, t, glyphs);
    if (t[T_LOCA].len < (glyphs + 1) * (wide ? 4 : 2))
        return xasprintf(_("its 'loca' table is too short for its %zu glyphs"), glyphs);
    const unsigned char *last = d + t[T_LOCA].off + glyphs * (wide ? 4 : 2);
    size_t end = wide ? be32(last) : 2 * (size_t)be16(last);
    if (end > t[T_GLYF].len)
        return xasprintf(_("its glyph outlines ('glyf' table, %zu bytes) are cut short: "
                         "the last glyph ends at byte %zu"),
                         t[T_GLYF].len, end);
    return NULL;
}

char *font_file_check(hb_blob_t *blob, int index)
{
    unsigned n = 0;
    const unsigned char *d = (const unsigned char *)hb_blob_get_data(blob, &n);
    size_t at = 0;
    char *why = face_offset(d, n, index, &at);
    if (why)
        return why;
    table t[NTABLES] = {{0, 0, 0}};
    why = read_directory(d, n, at, t);
    if (!why)
        why = outline_kind(t);
    return why ? why : check_glyph_tables(d, t);
}
