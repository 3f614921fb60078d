/* Fonts: the typographic roles of fonts/fonts.xml (宋体, 仿宋, 黑体, 楷体,
 * 小标宋), each a fallback chain of font files, read with HarfBuzz for
 * coverage, advance widths and subsetting.  libharu never sees a full font:
 * the pdf module embeds the subset this module makes (font_pdf.h, the
 * module's face towards the pdf stage). */
#ifndef GEN_FONT_H
#define GEN_FONT_H

#include <stddef.h>
#include <stdint.h>

#include "diag.h"

typedef struct font_face font_face;
typedef struct font_set font_set;

/* Whether a face can be embedded, tried before any document uses it (the
 * pdf module's pdf_font_probe): NULL, or why not (allocated). */
typedef char *(*font_probe)(font_face *face);

/* Read a font map.  Every file it names is read and checked once (and
 * tried with `probe`, when given).  A file that cannot be used (not a
 * TrueType font or collection, no such face in the collection, cut short,
 * unreadable, refused by the probe) is left out of its roles with a
 * warning at its line; so is a missing file, unless the map marks it
 * optional="yes" (the places left for an office's own fonts).  A role
 * left with no file is an error (font_set_complete).  The map is read
 * through load (load_xml_encoded), as every XML file is.  Returns NULL,
 * with an error (FILE:LINE when it is not well-formed), only when the map
 * cannot be read or names no role. */
font_set *font_set_load(const char *path, font_probe probe, diag_list *diags);
/* Every role has a file to draw with. */
int font_set_complete(const font_set *set);
void font_set_free(font_set *set);

int font_set_has_role(const font_set *set, const char *role);

/* The face of `role` that draws `cp`: the first face of the chain that has
 * a glyph for it, or NULL when none has. */
font_face *font_for_char(const font_set *set, const char *role, uint32_t cp);

/* Advance width of cp in the face at `size`, in points. */
double font_advance(const font_face *face, uint32_t cp, double size);

/* Top of the glyph's ink above the baseline at `size`, in points. */
double font_ink_top(const font_face *face, uint32_t cp, double size);

/* Left and right edges of the glyph's ink from its origin at `size`, in
 * points (what a mark's blank sides are measured from); 0 when the glyph
 * draws nothing (a space), 1 otherwise. */
int font_ink_x(const font_face *face, uint32_t cp, double size, double *left, double *right);

/* Ascender and descender (positive below) as fractions of the em. */
double font_ascender(const font_face *face);
double font_descender(const font_face *face);

/* Note that the document draws cp with this face. */
void font_use(font_face *face, uint32_t cp);
int font_is_used(const font_face *face);

/* Start a new document with the same fonts: nothing used, no subsets
 * (batch mode parses the fonts once per process, not once per PDF). */
void font_set_forget_usage(font_set *set);

/* For listing (`gen fonts`): roles, and each role's chain. */
size_t font_set_role_count(const font_set *set);
const char *font_set_role_name(const font_set *set, size_t i);
size_t font_set_chain_length(const font_set *set, size_t role);
const font_face *font_set_chain_face(const font_set *set, size_t role, size_t j);

/* Every file the map lists for a role, in order, and what became of it.
 * A <font family="..." style="..."> is resolved through fontconfig when
 * the map is read (only to a face that has that family name: else it is
 * missing, path NULL). */
typedef struct font_entry_info {
    const char *path; /* NULL: a family no installed face has */
    int index;
    int line;     /* in the map */
    int optional; /* optional="yes" */
    const font_face *face; /* NULL when it is missing or cannot be used */
    int missing;
    const char *why; /* why it cannot be used */
    const char *family, *style; /* as the map asks for them; NULL for a file */
    const char *found_style;    /* the style of the face found for the family */
} font_entry_info;

size_t font_set_entry_count(const font_set *set, size_t role);
font_entry_info font_set_entry(const font_set *set, size_t role, size_t j);

/* Every distinct face of the set (a file used by several roles is one face). */
size_t font_set_face_count(const font_set *set);
font_face *font_set_face(const font_set *set, size_t i);

const char *font_face_path(const font_face *face);
int font_face_index(const font_face *face);
const char *font_face_family(const font_face *face);
const char *font_face_style(const font_face *face); /* Regular, Bold, ... ("" when unnamed) */

#endif
