/* libFuzzer: the .xlsx reader of gen import (the zip archive through
 * libzip, its XML parts through libxml2's reader) on arbitrary bytes. */
#include <stddef.h>
#include <stdint.h>

#include "csv.h"
#include "diag.h"
#include "sheet_xlsx.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    csv_sheet sheet = {0};
    diag_list diags = {0};
    if (sheet_file_kind_of((const char *)data, size) == SHEET_FILE_ZIP)
        xlsx_read("fuzz.xlsx", (const char *)data, size, NULL, &sheet, &diags);
    csv_sheet_free(&sheet);
    diag_free(&diags);
    return 0;
}
