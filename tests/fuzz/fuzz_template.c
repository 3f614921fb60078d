/* libFuzzer: the template stage on arbitrary templates.  As the pipeline
 * does: a template is read, checked against schemas/template.rng, and only
 * one that passes is applied, here to each record of examples/ (whatever
 * record= says: the walker must cope with fields that are not there).
 * Run from the project's folder (make fuzz does). */
#define _GNU_SOURCE
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#include "blocks.h"
#include "load.h"
#include "template.h"

static const char *const records[] = {"examples/notice.xml", "examples/selfcheck.xml",
                                      "examples/nominations.xml", "examples/demo-list.xml"};

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    /* template_load reads a file, and a fragment it uses beside it: the
     * file goes into a folder of its own, with the project's fragment */
    static char path[64];
    if (!path[0]) {
        char dir[] = "/tmp/fuzz-template-XXXXXX", fragment[96];
        char *shared = realpath("templates/gbt9704.xml", NULL);
        if (!mkdtemp(dir) || !shared)
            abort();
        snprintf(fragment, sizeof fragment, "%s/gbt9704.xml", dir);
        if (symlink(shared, fragment) != 0)
            abort();
        free(shared);
        snprintf(path, sizeof path, "%s/t.xml", dir);
    }
    FILE *f = fopen(path, "wb");
    if (!f || fwrite(data, 1, size, f) != size || fclose(f) != 0)
        abort();
    diag_list diags = {0};
    template *t = template_load(path, &diags);
    if (t && template_validate(t, "schemas/template.rng", &diags) == 0 &&
        diag_count(&diags, DIAG_ERROR) == 0) {
        for (size_t i = 0; i < sizeof records / sizeof *records; i++) {
            xmlDoc *record = load_xml(records[i], &diags);
            document doc;
            if (record) {
                template_apply(t, record, records[i], &doc, &diags);
                document_free(&doc); /* whatever it returned */
            }
            xmlFreeDoc(record);
        }
    }
    template_free(t);
    diag_free(&diags);
    return 0;
}
