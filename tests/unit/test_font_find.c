/* Fonts found as the system finds them (family="..." through fontconfig)
 * and the last-resort face (BabelStone Han) of every role.  fontconfig is
 * pointed at a test configuration (FONTCONFIG_FILE) whose only folder is
 * a temporary one holding a link to one Debian font: nothing depends on
 * the fonts of the user who runs the tests. */
#define _GNU_SOURCE
#include <fontconfig/fontconfig.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "blocks.h"
#include "check.h"
#include "font.h"
#include "font_find.h"
#include "layout.h"
#include "util.h"

#define SONG "/usr/share/fonts/truetype/arphic-gbsn00lp/gbsn00lp.ttf"
#define KAI "/usr/share/fonts/truetype/arphic-gkai00mp/gkai00mp.ttf"
#define BABELSTONE "/usr/share/fonts/truetype/babelstone/BabelStoneHan.ttf"

static char folder[] = "/tmp/gen-test-fc-XXXXXX";

/* The test's fontconfig: one folder, holding kai.ttf -> gkai00mp.ttf (its
 * families: AR PL KaitiM GB, 文鼎ＰＬ简中楷), a cache of its own. */
static void fontconfig_for_test(void)
{
    CHECK(mkdtemp(folder) != NULL, "a temporary folder");
    char *fonts = xasprintf("%s/fonts", folder), *link = xasprintf("%s/fonts/kai.ttf", folder);
    char *conf = xasprintf("%s/fonts.conf", folder);
    CHECK(mkdir(fonts, 0700) == 0 && symlink(KAI, link) == 0, "the font linked in %s", fonts);
    FILE *f = fopen(conf, "w");
    fprintf(f,
            "<?xml version=\"1.0\"?>\n<fontconfig>\n  <dir>%s</dir>\n"
            "  <cachedir>%s/cache</cachedir>\n</fontconfig>\n",
            fonts, folder);
    fclose(f);
    setenv("FONTCONFIG_FILE", conf, 1);
    free(fonts), free(link), free(conf);
}

static char *write_map(const char *body)
{
    char *path = xasprintf("%s/map.xml", folder);
    FILE *f = fopen(path, "w");
    fprintf(f, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<fonts>\n%s</fonts>\n", body);
    fclose(f);
    return path;
}

static void test_finder(void)
{
    font_finder *finder = font_finder_open();
    CHECK(finder != NULL, "fontconfig reads the test configuration");
    if (!finder)
        return;
    int index = -1;
    char *style = NULL;
    char *path = font_finder_find(finder, "AR PL KaitiM GB", NULL, &index, &style);
    CHECK(path && strstr(path, folder) && strstr(path, "/fonts/kai.ttf") && index == 0,
          "the family is found in the test folder: %s", path ? path : "(none)");
    CHECK(style && !strcmp(style, "Regular"), "its style: %s", style ? style : "(none)");
    free(path), free(style);
    path = font_finder_find(finder, "ar pl  kaitim gb", NULL, &index, &style);
    CHECK(path != NULL, "case and blanks do not matter, as in fontconfig");
    free(path), free(style);
    path = font_finder_find(finder, "文鼎ＰＬ简中楷", NULL, &index, &style);
    CHECK(path && strstr(path, "kai.ttf"), "the face is found by its Chinese family name too");
    free(path), free(style);
    /* fontconfig matches some font whatever is asked: the one font there */
    FcConfig *config = FcInitLoadConfigAndFonts();
    FcPattern *pat = FcNameParse((const FcChar8 *)"FangSong_GB2312");
    FcConfigSubstitute(config, pat, FcMatchPattern);
    FcDefaultSubstitute(pat);
    FcResult result;
    FcPattern *match = FcFontMatch(config, pat, &result);
    FcChar8 *file = NULL;
    CHECK(match && FcPatternGetString(match, FC_FILE, 0, &file) == FcResultMatch &&
              strstr((const char *)file, "kai.ttf"),
          "fontconfig alone gives the kai for FangSong_GB2312");
    if (match)
        FcPatternDestroy(match);
    FcPatternDestroy(pat);
    FcConfigDestroy(config);
    path = font_finder_find(finder, "FangSong_GB2312", NULL, &index, &style);
    CHECK(path == NULL && style == NULL, "the finder does not: no face has that family");
    free(path);
    font_finder_close(finder);
}

static void test_map_families(void)
{
    char *map = write_map("<role name=\"仿宋\">\n"
                          "  <font family=\"仿宋_GB2312\" optional=\"yes\"/>\n"
                          "  <font family=\"FangSong\"/>\n"
                          "  <font family=\"AR PL KaitiM GB\" style=\"Regular\"/>\n"
                          "  <font file=\"" SONG "\"/>\n"
                          "</role>\n"
                          "<role name=\"楷体\"><font family=\"文鼎ＰＬ简中楷\"/></role>\n"
                          "<role name=\"黑体\"><font family=\"SimHei\" optional=\"yes\"/></role>\n");
    diag_list d = {0};
    font_set *set = font_set_load(map, NULL, &d);
    CHECK(set != NULL, "a map of families loads");
    /* the optional family absent: no word; FangSong, not optional: a
     * warning at its line; 黑体 has nothing: an error */
    CHECK(diag_count(&d, DIAG_WARNING) == 1 && d.items[0].line == 5 &&
              strstr(d.items[0].message, "no installed font has the family FangSong") &&
              strstr(d.items[0].message, "falls back to"),
          "a missing family is a warning at its line: %s", d.n ? d.items[0].message : "");
    CHECK(diag_count(&d, DIAG_ERROR) == 1, "the role left with no font is an error");
    if (set) {
        CHECK(!font_set_complete(set), "黑体 has no font");
        CHECK(font_set_entry_count(set, 0) == 4 && font_set_chain_length(set, 0) == 2,
              "two of the four fonts of 仿宋 are there");
        font_entry_info e = font_set_entry(set, 0, 0);
        CHECK(e.missing && !e.path && e.optional && !strcmp(e.family, "仿宋_GB2312"),
              "the absent family: missing, no file");
        e = font_set_entry(set, 0, 2);
        CHECK(e.face && e.path && strstr(e.path, "kai.ttf") && !strcmp(e.style, "Regular") &&
                  !strcmp(e.found_style, "Regular") && e.line == 6,
              "the family found, with the style asked and found");
        font_face *f = font_for_char(set, "仿宋", 0x4E2D);
        CHECK(f && strstr(font_face_path(f), "kai.ttf") &&
                  !strcmp(font_face_family(f), "AR PL KaitiM GB"),
              "it draws the role's characters");
        f = font_for_char(set, "楷体", 0x4E2D);
        CHECK(f && strstr(font_face_path(f), "kai.ttf"), "found by its Chinese name in the map");
        CHECK(font_set_face_count(set) == 2, "one face for the two roles, and gbsn00lp");
    }
    font_set_free(set);
    diag_free(&d);
    unlink(map);
    free(map);

    map = write_map("<role name=\"仿宋\"><font/></role>\n");
    set = font_set_load(map, NULL, &d);
    CHECK(diag_count(&d, DIAG_ERROR) >= 1 && strstr(d.items[0].message, "file attribute or a family"),
          "a <font> with neither file nor family is an error");
    font_set_free(set);
    diag_free(&d);
    unlink(map);
    free(map);
}

/* A role whose faces lack U+20000 falls to BabelStone Han, which draws it
 * one em wide on the baseline of its neighbours, at their size. */
static void test_last_resort(void)
{
    char *map = write_map("<role name=\"仿宋\">\n"
                          "  <font file=\"" SONG "\"/>\n"
                          "  <font file=\"" BABELSTONE "\"/>\n"
                          "</role>\n");
    diag_list d = {0};
    font_set *set = font_set_load(map, NULL, &d);
    CHECK(set && d.n == 0, "a map ending with BabelStone Han loads");
    if (!set)
        return;
    font_face *song = font_for_char(set, "仿宋", 0x4E2D);
    font_face *rare = font_for_char(set, "仿宋", 0x20000);
    CHECK(song && !strcmp(font_face_path(song), SONG), "中 from AR PL SungtiL GB");
    CHECK(rare && !strcmp(font_face_family(rare), "BabelStone Han"), "𠀀 from BabelStone Han");
    CHECK(font_for_char(set, "仿宋", 0x20BB7) == rare, "𠮷 too");
    /* BabelStone Han has glyphs of its own in the private use area: a
     * fallback never draws a private-use character (it is missing, 〓) */
    CHECK(font_for_char(set, "仿宋", 0xE000) == NULL, "U+E000 not from the fallback");
    CHECK(rare && fabs(font_advance(rare, 0x20000, 16) - 16) < 0.01,
          "one em wide: %.3f", rare ? font_advance(rare, 0x20000, 16) : 0);
    /* its ink within the em box the layout gives every face (baseline at
     * 0.88 of the em): no higher than the em's top */
    CHECK(rare && font_ink_top(rare, 0x20000, 16) <= 0.88 * 16 + 0.01 &&
              font_ink_top(rare, 0x20000, 16) > 0.6 * 16,
          "its ink top %.2f within the em box", rare ? font_ink_top(rare, 0x20000, 16) : 0);

    static const page_geometry page = {595, 842, 105, 79, 442, 638};
    text_style st = {"仿宋", 16, 16, 28, 0};
    document doc = {.page = page};
    block *b = block_list_push(&doc.flow, BLOCK_PARA);
    b->align = ALIGN_LEFT;
    block_add_run(b, RUN_TEXT, "王\xF0\xA0\x80\x80明", &st, NULL);
    layout_result r;
    layout_document(&doc, set, &r, &d);
    CHECK(d.n == 0 && r.npages == 1 && r.pages[0].nruns == 3,
          "three runs: 王, 𠀀 (another face), 明: %zu", r.npages ? r.pages[0].nruns : 0);
    if (r.npages == 1 && r.pages[0].nruns == 3) {
        const glyph_run *g = r.pages[0].runs;
        CHECK(g[1].face == rare && g[0].face == song && g[2].face == song, "the faces");
        CHECK(g[1].y == g[0].y && g[2].y == g[0].y, "one baseline: %.2f %.2f %.2f", g[0].y,
              g[1].y, g[2].y);
        CHECK(g[1].size == 16 && g[0].size == 16, "one size");
        CHECK(fabs(g[1].x - g[0].x - 16) < 0.01 && fabs(g[2].x - g[1].x - 16) < 0.01,
              "one em each: %.2f %.2f %.2f", g[0].x, g[1].x, g[2].x);
    }
    layout_result_free(&r);
    document_free(&doc);
    font_set_free(set);
    diag_free(&d);
    unlink(map);
    free(map);
}

int main(void)
{
    fontconfig_for_test();
    test_finder();
    test_map_families();
    test_last_resort();
    char *cmd = xasprintf("rm -rf '%s'", folder);
    CHECK(system(cmd) == 0, "the temporary folder removed");
    free(cmd);
    return check_summary();
}
