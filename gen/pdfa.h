/* PDF/A-1b (`--pdfa`), for the archive: what the pdf module adds to a
 * document that libharu does not (or not right): the output intent with
 * an sRGB ICC profile, XMP metadata equal to the Info dictionary, PDF 1.4,
 * and seals without soft masks (PDF/A-1 forbids transparency). */
#ifndef GEN_PDFA_H
#define GEN_PDFA_H

#include <hpdf.h>

#include "diag.h"

/* The output intent's profile: the sRGB profile of the Debian package
 * icc-profiles-free (ICC version 2, as PDF/A-1 wants). */
#define PDFA_ICC_PROFILE "/usr/share/color/icc/sRGB.icc"

/* The output intent's profile, read once for a run (run_options.pdfa)
 * and only read afterwards: batch workers inherit it. */
typedef struct pdfa_profile pdfa_profile;

/* PDFA_ICC_PROFILE read and checked: NULL, with an error diagnostic, when
 * no usable profile is installed.  The caller frees it, after the run. */
pdfa_profile *pdfa_profile_load(diag_list *diags);
void pdfa_profile_free(pdfa_profile *profile);

/* Make `doc` PDF/A-1b with the profile as its output intent; call it once
 * the Info dictionary is complete (the XMP packet repeats it).  Returns
 * 0, or -1 (libharu failed). */
int pdfa_finish(HPDF_Doc doc, const pdfa_profile *profile);

/* A seal PNG (libharu reads it; a 16-bit one is set right).  Flat (for
 * PDF/A-1, which forbids transparency): its colours composited on white
 * and its alpha channel turned into a stencil mask (/Mask; ink where the
 * seal is at least half opaque), in place of libharu's soft mask; drawn
 * under the text, the text shows through it as through a stamp's ink.
 * NULL, with an error diagnostic, when the file cannot be used. */
HPDF_Image pdfa_load_seal(HPDF_Doc doc, const char *path, int flat, diag_list *diags);

#endif
