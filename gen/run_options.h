/* The options of one run: decided once by the command line (main.c) and
 * handed down, read-only, through the pipeline (pipeline.c, bundle.c,
 * batch.c) to the pdf stage, so that no stage reads a global and a new
 * option is one field here and the stages that read it.
 *
 * Plain data; the run's caller owns it and everything it points to, which
 * must outlive the calls it is given to.  Zeroed but for data_dir, it is
 * the default run: the project's templates and font map, records in the
 * encoding they declare, warnings left warnings, a plain PDF (not PDF/A),
 * nothing written (output NULL: laid out only), no file noted, and the
 * file put in place before the call returns (no publisher). */
#ifndef GEN_RUN_OPTIONS_H
#define GEN_RUN_OPTIONS_H

#include "out_file.h"
#include "out_guard.h"

/* pdfa.h: the output intent's ICC profile, read once per run. */
typedef struct pdfa_profile pdfa_profile;

typedef struct run_options {
    /* Where the data lives */
    const char *data_dir;  /* holds schemas/, and the defaults below */
    const char *templates; /* template folder (--templates); NULL: DATA/templates */
    const char *fonts;     /* font map (--fonts); NULL: DATA/fonts/fonts.xml */
    const char *encoding;  /* the records' encoding (--encoding); NULL: as declared */

    /* --strict: a font file the map cannot use is an error
     * (pipeline_load_fonts), and so is every warning a document gives
     * before its pages are written (the page checks, pipeline.h) */
    int strict;

    /* --pdfa: PDF/A-1b with this profile as the output intent
     * (pdfa_profile_load); NULL: a plain PDF */
    const pdfa_profile *pdfa;

    /* The PDF to be written; NULL: lay out only (check).  A file the run
     * reads that is this one is refused.  A batch gives each document a
     * copy of its options with the document's own file here. */
    const char *output;

    /* --layout-dump FILE (render, check): the laid-out pages also written
     * as text (layout_dump.h), a page check of the pipeline; NULL: not */
    const char *layout_dump;

    /* When set, every file the run reads is added to it (a batch checks
     * its file names against them) */
    input_list *inputs;

    /* When set, a written file is handed over to it to be synced and
     * named (out_file.h) and its outcome collected later */
    publisher *publisher;

    /* --duplex (render, batch, check): printing on both sides of the
     * paper; the pipeline hands it to layout in the document, where the
     * 版记 goes to an even page (layout_page.c); 0: one side */
    int duplex;

    /* Not yet used: room for what comes next, so that adding it changes
     * no function's parameters. */
    const char *language; /* the messages' language (issue 16); NULL: as today */
} run_options;

#endif
