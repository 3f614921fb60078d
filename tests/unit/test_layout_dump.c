/* layout_dump (gen/layout_dump.c) on a hand-made page: every line's
 * format, the "-0.00" that must not appear, quoting, base names. */
#define _POSIX_C_SOURCE 200809L /* open_memstream */
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "layout_dump.h"

static char *dump_of(const layout_result *r)
{
    char *buf = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&buf, &len);
    CHECK(layout_dump(f, r) == 0, "layout_dump returns 0");
    fclose(f);
    return buf;
}

int main(void)
{
    char text[] = "say \"hi\"\\\t";
    glyph_run run = {.size = 16, .color = 0xE60012, .x = 79.375, .y = 700.004,
                     .char_space = -0.001, .text = text};
    rule_line rule = {10, 20.5, 300.25, 20.5, 0.75, 0};
    placed_image image = {"/some/where/seal.png", 1, 2, 3, 4};
    laid_page page = {.geometry = {595.28, 841.89, 104.88, 79.37, 442.2, 637.8},
                      .runs = &run, .nruns = 1,
                      .rules = &rule, .nrules = 1,
                      .images = &image, .nimages = 1};
    outline_entry mark = {"附件1", 1, 0, 736.0};
    layout_result r = {595.28, 841.89, &page, 1, 1, &mark, 1, 1};
    char *d = dump_of(&r);
    const char *want =
        "layout 1 pages\n"
        "page 1: paper 595.28 x 841.89, margins top 104.88 left 79.37, type area 442.20 x 637.80\n"
        "  run 79.38 700.00 \"?\" ?#0 16.00 #E60012 cs 0.00 \"say \\\"hi\\\"\\\\\\x09\"\n"
        "  rule 10.00 20.50 300.25 20.50 thick 0.75 #000000\n"
        "  image 1.00 2.00 3.00 x 4.00 seal.png\n"
        "outline 1 page 1 y 736.00 \"附件1\"\n";
    CHECK(strcmp(d, want) == 0, "dump:\n%s\nwanted:\n%s", d, want);
    free(d);

    /* a turned page (layout.h: page_turn): its own line after the page's,
     * the first upright run counted from 1 */
    page.geometry = (page_geometry){841.89, 595.28, 79.37, 99.21, 637.8, 442.2};
    page.turn = (page_turn){1, 595.28, 841.89, 595.28, 0, 0};
    d = dump_of(&r);
    const char *turned =
        "page 1: paper 841.89 x 595.28, margins top 79.37 left 99.21, type area 637.80 x 442.20\n"
        "  turned onto paper 595.28 x 841.89, cm 0 1 -1 0 595.28 0.00, runs from 1 upright\n"
        "  run ";
    CHECK(strstr(d, turned) != NULL, "turned dump:\n%s", d);
    free(d);

    /* a condensed run says its horizontal scale, in percent */
    run.hscale = 0.7226, run.text = "文件";
    d = dump_of(&r);
    CHECK(strstr(d, "cs 0.00 hs 72.26 \"文件\"\n") != NULL, "the scale of a condensed run: %s", d);
    free(d);

    layout_result empty = {0};
    d = dump_of(&empty);
    CHECK(strcmp(d, "layout 0 pages\n") == 0, "empty dump: %s", d);
    free(d);
    return check_summary();
}
