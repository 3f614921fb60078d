/* Font roles and their fallback chains, on a font map written by the test. */
#define _GNU_SOURCE
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "check.h"
#include "font.h"

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
                          "  <font file=\"/nonexistent/simsun.ttc\"/>\n"
                          "  <font file=\"" SONG "\"/>\n"
                          "  <font file=\"" WENKAI "\"/>\n"
                          "</role>\n"
                          "<role name=\"黑体\"><font file=\"" ZENHEI "\" index=\"0\"/></role>\n");
    diag_list d = {0};
    font_set *set = font_set_load(map, &d);
    CHECK(set != NULL && d.n == 0, "a map whose first file is absent still loads");
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
    font_set *set = font_set_load(map, &d);
    CHECK(set == NULL, "a role none of whose files is present is an error");
    CHECK(d.n == 1 && strstr(d.items[0].message, "仿宋"), "the message names the role");
    font_set_free(set);
    diag_free(&d);
    unlink(map);
}

int main(void)
{
    test_fallback_chain();
    test_role_without_files();
    return check_summary();
}
