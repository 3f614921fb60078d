/* Font roles and their fallback chains, on a font map written by the test. */
#define _GNU_SOURCE
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "check.h"
#include "font.h"
#include "font_open.h"
#include "font_pdf.h"
#include "pdf.h"

#define SONG "/usr/share/fonts/truetype/arphic-gbsn00lp/gbsn00lp.ttf"
#define WENKAI "/usr/share/fonts/truetype/lxgw-wenkai/LXGWWenKai-Regular.ttf"
#define ZENHEI "/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc"

static char *write_map(const char *body)
{
    static char path[] = "/tmp/gen-test-fonts-XXXXXX";
    strcpy(path, "/tmp/gen-test-fonts-XXXXXX");
    int fd = mkstemp(path);
    FILE *f = fdopen(fd, "w");
    fprintf(f, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<fonts>\n%s</fonts>\n", body);
    fclose(f);
    return path;
}

static void test_fallback_chain(void)
{
    char *map = write_map("<role name=\"宋体\">\n"
                          "  <font file=\"/nonexistent/simsun.ttc\" optional=\"yes\"/>\n"
                          "  <font file=\"" SONG "\"/>\n"
                          "  <font file=\"" WENKAI "\"/>\n"
                          "</role>\n"
                          "<role name=\"黑体\"><font file=\"" ZENHEI "\" index=\"0\"/></role>\n");
    diag_list d = {0};
    font_set *set = font_set_load(map, NULL, &d);
    CHECK(set != NULL && d.n == 0, "a map whose first (optional) file is absent loads, silently");
    if (set) {
        CHECK(font_set_chain_length(set, 0) == 2, "the absent file is skipped");
        font_face *zhong = font_for_char(set, "宋体", 0x4E2D);
        CHECK(zhong && !strcmp(font_face_path(zhong), SONG), "中 from the first present file");
        /* 喆 is outside GB 2312, so AR PL SungtiL GB lacks it */
        font_face *zhe = font_for_char(set, "宋体", 0x5586);
        CHECK(zhe && !strcmp(font_face_path(zhe), WENKAI), "喆 falls back to LXGW WenKai");
        CHECK(font_for_char(set, "宋体", 0xE000) == NULL, "a private-use character: no face");
        CHECK(font_for_char(set, "楷体", 0x4E2D) == NULL, "an unknown role: no face");
        CHECK(font_set_has_role(set, "黑体") && !font_set_has_role(set, "楷体"), "roles known");
        font_face *hei = font_for_char(set, "黑体", 0x4E2D);
        double adv = hei ? font_advance(hei, 0x4E2D, 16) : 0;
        CHECK(adv > 15.9 && adv < 16.1, "an ideograph is one em wide: %.3f", adv);
        double a = zhong ? font_advance(zhong, 'a', 16) : 0;
        CHECK(a > 3 && a < 12, "a Latin letter is narrower: %.3f", a);
        CHECK(!font_is_used(zhong), "nothing used yet");
        font_use(zhong, 0x4E2D);
        const char *data = NULL;
        size_t len = 0;
        CHECK(font_subset(zhong, &data, &len) == 0 && len > 0 && len < 20000,
              "the subset of one glyph is small: %zu bytes", len);
    }
    font_set_free(set);
    diag_free(&d);
    unlink(map);
}

static void test_role_without_files(void)
{
    char *map = write_map("<role name=\"仿宋\"><font file=\"/nonexistent/fs.ttf\"/></role>\n");
    diag_list d = {0};
    font_set *set = font_set_load(map, NULL, &d);
    CHECK(set != NULL && !font_set_complete(set), "a role none of whose files is present: incomplete");
    CHECK(diag_count(&d, DIAG_ERROR) == 1, "one error");
    for (size_t i = 0; i < d.n; i++)
        if (d.items[i].level == DIAG_ERROR)
            CHECK(strstr(d.items[i].message, "仿宋") && strstr(d.items[i].message, "installed"),
                  "the error names the role: %s", d.items[i].message);
    CHECK(diag_count(&d, DIAG_WARNING) == 1 && strstr(d.items[0].message, "/nonexistent/fs.ttf is not there"),
          "the missing file is named");
    font_set_free(set);
    diag_free(&d);
    unlink(map);
}

/* A file present but unusable, and a missing one not marked optional: each
 * a warning at its line, the role drawn by the next file. */
static void test_unusable_files(void)
{
    char junk[] = "/tmp/gen-test-junk-XXXXXX";
    int fd = mkstemp(junk);
    CHECK(fd >= 0 && write(fd, "not a font at all, just words", 29) == 29, "junk written");
    close(fd);
    char body[1024];
    snprintf(body, sizeof body,
             "<role name=\"仿宋\">\n"
             "  <font file=\"%s\"/>\n"
             "  <font file=\"/nonexistent/FangSong.ttf\"/>\n"
             "  <font file=\"" ZENHEI "\" index=\"9\"/>\n"
             "  <font file=\"" SONG "\"/>\n"
             "</role>\n",
             junk);
    char *map = write_map(body);
    diag_list d = {0};
    font_set *set = font_set_load(map, NULL, &d);
    CHECK(set && font_set_complete(set), "the role still has a file");
    CHECK(d.n == 3 && diag_count(&d, DIAG_WARNING) == 3, "three warnings: %zu", d.n);
    if (d.n == 3) {
        CHECK(d.items[0].line == 4 && strstr(d.items[0].message, "cannot be used: it is not a TrueType"),
              "the junk file, line 4: %d %s", d.items[0].line, d.items[0].message);
        CHECK(d.items[1].line == 5 && strstr(d.items[1].message, "is not there"),
              "the missing file, line 5: %s", d.items[1].message);
        CHECK(d.items[2].line == 6 && strstr(d.items[2].message, "no index 9"),
              "the index beyond the collection, line 6: %s", d.items[2].message);
        CHECK(strstr(d.items[0].message, "仿宋 falls back to " SONG) != NULL,
              "what draws the role instead: %s", d.items[0].message);
    }
    if (set) {
        CHECK(font_set_chain_length(set, 0) == 1 && font_set_entry_count(set, 0) == 4,
              "one usable file of four listed");
        font_entry_info e = font_set_entry(set, 0, 0);
        CHECK(!e.face && !e.missing && e.why && e.line == 4, "the junk file's entry says why");
        e = font_set_entry(set, 0, 1);
        CHECK(!e.face && e.missing && !e.optional, "the missing file's entry");
        font_face *f = font_for_char(set, "仿宋", 0x4E2D);
        CHECK(f && !strcmp(font_face_path(f), SONG), "中 from the usable file");
    }
    font_set_free(set);
    diag_free(&d);
    unlink(map);
    unlink(junk);
}

static char *refuse_song(font_face *face)
{
    return strcmp(font_face_path(face), SONG) == 0 ? strdup("the probe says no") : NULL;
}

/* A face the probe refuses is left out of every role naming it. */
static void test_probe(void)
{
    char *map = write_map("<role name=\"宋体\"><font file=\"" SONG "\"/><font file=\"" WENKAI "\"/></role>\n"
                          "<role name=\"仿宋\"><font file=\"" SONG "\"/></role>\n");
    diag_list d = {0};
    font_set *set = font_set_load(map, refuse_song, &d);
    CHECK(set && !font_set_complete(set), "仿宋 has no file left");
    CHECK(set && font_set_face_count(set) == 1, "one face kept");
    CHECK(d.n == 3 && strstr(d.items[0].message, "the probe says no") &&
              d.items[2].level == DIAG_ERROR && strstr(d.items[2].message, "can be used"),
          "both refusals said, and the empty role");
    font_set_free(set);
    diag_free(&d);
    unlink(map);
}

/* The pdf module's probe passes a good face and leaves it unused. */
static void test_pdf_probe(void)
{
    char *map = write_map("<role name=\"宋体\"><font file=\"" ZENHEI "\" index=\"1\"/></role>\n");
    diag_list d = {0};
    font_set *set = font_set_load(map, pdf_font_probe, &d);
    CHECK(set && font_set_complete(set) && d.n == 0, "a collection's face passes the probe");
    if (set) {
        font_face *f = font_set_face(set, 0);
        CHECK(!font_is_used(f), "the probe leaves the face unused");
        char *again = pdf_font_probe(f);
        CHECK(again == NULL && !font_is_used(f), "and can be asked again");
        free(again);
    }
    font_set_free(set);
    diag_free(&d);
    unlink(map);
}

/* font_file_check on damaged copies of a real font. */
static void test_file_check(void)
{
    int missing;
    char *why = NULL;
    hb_blob_t *blob = font_file_map(SONG, &missing, &why);
    CHECK(blob && !why && !missing, "the font is read");
    if (!blob)
        return;
    unsigned n;
    const char *data = hb_blob_get_data(blob, &n);
    char *fine = font_file_check(blob, 0);
    CHECK(fine == NULL, "a good font passes: %s", fine ? fine : "");
    free(fine);
    hb_blob_t *half = hb_blob_create_sub_blob(blob, 0, n / 2);
    why = font_file_check(half, 0);
    CHECK(why && strstr(why, "cut short"), "half a font is cut short: %s", why ? why : "");
    free(why);
    char *copy = malloc(n);
    memcpy(copy, data, n);
    memcpy(copy, "OTTO", 4);
    hb_blob_t *otto = hb_blob_create(copy, n, HB_MEMORY_MODE_READONLY, copy, free);
    /* OpenType fonts of either outlines are taken (test_font_cff.c): the
     * tables say which, not the first four bytes */
    why = font_file_check(otto, 0);
    CHECK(why == NULL, "TrueType outlines under an OTTO tag pass: %s", why ? why : "");
    free(why);
    why = font_file_check(blob, 2);
    CHECK(why && strstr(why, "not a collection"), "an index into a single font: %s", why ? why : "");
    free(why);
    hb_blob_destroy(otto);
    hb_blob_destroy(half);
    hb_blob_destroy(blob);
    CHECK(font_file_map("/nonexistent/x.ttf", &missing, &why) == NULL && missing && !why,
          "no such file: missing");
    CHECK(font_file_map("/tmp", &missing, &why) == NULL && !missing && why && strstr(why, "folder"),
          "a folder: %s", why ? why : "");
    free(why);
}

/* The map is read as every XML file is (load.h): a map that is not
 * well-formed, or declares an entity, is refused with its line. */
static void test_map_read_safely(void)
{
    char *map = write_map("<role name=\"宋体\">\n"
                          "  <font file=\"" SONG "\">\n"
                          "</role>\n");
    diag_list d = {0};
    font_set *set = font_set_load(map, NULL, &d);
    CHECK(set == NULL && d.n == 1 && d.items[0].level == DIAG_ERROR &&
              d.items[0].file && !strcmp(d.items[0].file, map) && d.items[0].line == 5,
          "a map that is not well-formed: one error at line 5 (%zu, line %d)", d.n,
          d.n ? d.items[0].line : -1);
    diag_free(&d);
    unlink(map);

    static char path[] = "/tmp/gen-test-fonts-XXXXXX";
    strcpy(path, "/tmp/gen-test-fonts-XXXXXX");
    FILE *f = fdopen(mkstemp(path), "w");
    fprintf(f, "<?xml version=\"1.0\"?>\n<!DOCTYPE fonts [\n<!ENTITY song \"%s\">\n]>\n"
               "<fonts><role name=\"宋体\"><font file=\"&song;\"/></role></fonts>\n",
            SONG);
    fclose(f);
    set = font_set_load(path, NULL, &d);
    CHECK(set == NULL && diag_count(&d, DIAG_ERROR) == 1 && d.items[0].line > 0,
          "a map declaring an entity is refused, with a line");
    diag_free(&d);
    unlink(path);
}

int main(void)
{
    test_fallback_chain();
    test_role_without_files();
    test_unusable_files();
    test_probe();
    test_pdf_probe();
    test_file_check();
    test_map_read_safely();
    return check_summary();
}
