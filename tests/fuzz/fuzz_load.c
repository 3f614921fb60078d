/* libFuzzer: the record loader on arbitrary bytes, with and without a
 * named encoding, then validation against the notice schema. */
#include <stddef.h>
#include <stdint.h>

#include "load.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static const char *const encodings[] = {NULL, "GBK", "UTF-8"};
    diag_list diags = {0};
    const char *encoding = encodings[size % 3];
    xmlDoc *doc = load_xml_memory("fuzz.xml", (const char *)data, size, encoding, LOAD_RECORD, &diags);
    if (doc) {
        load_validate(doc, "fuzz.xml", "schemas/notice.rng", &diags);
        xmlFreeDoc(doc);
    }
    diag_free(&diags);
    return 0;
}
