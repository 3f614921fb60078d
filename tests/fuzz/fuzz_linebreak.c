/* libFuzzer: the line breaker, alone and through layout: arbitrary text
 * (valid UTF-8 or not) as a justified paragraph on the notice's grid and in
 * a narrow table cell. */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "layout.h"
#include "text.h"
#include "utf8.h"

#define MM (72.0 / 25.4)

static font_set *fonts;

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    (void)argc, (void)argv;
    diag_list d = {0};
    fonts = font_set_load("fonts/fonts.xml", NULL, &d);
    diag_free(&d);
    return fonts ? 0 : 1;
}

static void break_alone(const char *text, size_t size)
{
    uint32_t *cps = NULL;
    size_t bad = 0;
    long n = utf8_decode(text, size, &cps, &bad);
    if (n > 0) {
        unsigned char *can = malloc((size_t)n);
        linebreak_opportunities(cps, (size_t)n, can);
        free(can);
    }
    free(cps);
}

static void lay_out(const char *text, double width, double first)
{
    document doc = {.page = {210 * MM, 297 * MM, 37 * MM, 28 * MM, width, 225 * MM}};
    block *b = block_list_push(&doc.flow, BLOCK_PARA);
    b->first = first;
    b->align = ALIGN_JUSTIFY;
    text_style body = {"仿宋", 16, 15.8, 28.95, 0};
    block_add_run(b, RUN_TEXT, text, &body, NULL);
    layout_result r;
    diag_list d = {0};
    layout_document(&doc, fonts, &r, &d);
    layout_result_free(&r);
    document_free(&doc);
    diag_free(&d);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char *text = malloc(size + 1);
    memcpy(text, data, size);
    text[size] = '\0';
    break_alone(text, size);
    lay_out(text, 156 * MM, 31.6);
    lay_out(text, 20, -10); /* narrower than most characters */
    free(text);
    return 0;
}
