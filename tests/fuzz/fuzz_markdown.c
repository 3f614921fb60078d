/* libFuzzer: Markdown fields through cmark onto blocks. */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "markdown.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char *text = malloc(size + 1);
    memcpy(text, data, size);
    text[size] = '\0';
    text_style body = {"仿宋", 16, 15.8, 28.95, 0};
    markdown_style style = {body, {body, body, body, body}, "黑体", "楷体", "楷体", 31.6};
    text_origin origin = {"fuzz.xml", "body", 1};
    block_list out = {0};
    diag_list diags = {0};
    markdown_to_blocks(text, &style, &origin, &out, &diags);
    block_list_free(&out);
    diag_free(&diags);
    free(text);
    return 0;
}
