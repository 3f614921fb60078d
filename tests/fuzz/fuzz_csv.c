/* libFuzzer: the CSV reader of gen import on arbitrary bytes. */
#include <stddef.h>
#include <stdint.h>

#include "csv.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    csv_sheet sheet = {0};
    size_t bad_row = 0;
    csv_read((const char *)data, size, &sheet, &bad_row);
    csv_row_at((const char *)data, size, size / 2);
    csv_sheet_free(&sheet);
    return 0;
}
