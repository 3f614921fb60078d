/* Unit tests for gen/csv.c: the RFC 4180 reader on byte strings written by
 * hand the way Excel saves a sheet. */
#include <string.h>

#include "check.h"
#include "csv.h"

/* Read `bytes` (length given, so that a test may hold any byte). */
static int read_sheet(const char *bytes, size_t len, csv_sheet *sheet, size_t *bad_row)
{
    memset(sheet, 0, sizeof *sheet);
    *bad_row = 0;
    return csv_read(bytes, len, sheet, bad_row);
}

/* The cell at row r, column c (both from 1, as a clerk counts), or NULL. */
static const char *cell(const csv_sheet *sheet, size_t r, size_t c)
{
    if (r < 1 || r > sheet->n || c < 1 || c > sheet->rows[r - 1].n)
        return NULL;
    return sheet->rows[r - 1].cells[c - 1];
}

static int cell_is(const csv_sheet *sheet, size_t r, size_t c, const char *want)
{
    const char *got = cell(sheet, r, c);
    return got && strcmp(got, want) == 0;
}

static void test_plain_rows(void)
{
    static const char text[] = "企业名称,所在地区\r\n湖州宏图食品有限公司,湖州市\r\n";
    csv_sheet s;
    size_t bad;
    CHECK(read_sheet(text, strlen(text), &s, &bad) == 0, "plain CRLF rows read");
    CHECK(s.n == 2, "two rows, got %zu", s.n);
    CHECK(cell_is(&s, 1, 1, "企业名称") && cell_is(&s, 1, 2, "所在地区"), "the heading row");
    CHECK(cell_is(&s, 2, 1, "湖州宏图食品有限公司") && cell_is(&s, 2, 2, "湖州市"), "the data row");
    csv_sheet_free(&s);

    /* LF only, and no line break after the last row */
    static const char lf[] = "a,b\nc,d";
    CHECK(read_sheet(lf, strlen(lf), &s, &bad) == 0 && s.n == 2 && cell_is(&s, 2, 2, "d"),
          "LF rows, the last without a line break");
    csv_sheet_free(&s);

    /* CR only, as Excel for the Mac once saved */
    static const char cr[] = "a,b\rc,d\r";
    CHECK(read_sheet(cr, strlen(cr), &s, &bad) == 0 && s.n == 2 && cell_is(&s, 2, 1, "c"),
          "CR rows");
    csv_sheet_free(&s);
}

static void test_quotes(void)
{
    /* a comma, doubled quotes and both kinds of line break inside quotes */
    static const char text[] = "名称,地址\r\n"
                               "\"杭州德力,汽车\",\"他说\"\"好\"\"\"\r\n"
                               "\"第一行\r\n第二行\",\"一\n二\"\r\n"
                               "\"\",\"\"\"\"\r\n";
    csv_sheet s;
    size_t bad;
    CHECK(read_sheet(text, strlen(text), &s, &bad) == 0, "quoted cells read");
    CHECK(s.n == 4, "four rows (quoted line breaks start none), got %zu", s.n);
    CHECK(cell_is(&s, 2, 1, "杭州德力,汽车"), "a comma inside quotes: %s", cell(&s, 2, 1));
    CHECK(cell_is(&s, 2, 2, "他说\"好\""), "doubled quotes: %s", cell(&s, 2, 2));
    CHECK(cell_is(&s, 3, 1, "第一行\n第二行"), "a quoted CRLF becomes LF");
    CHECK(cell_is(&s, 3, 2, "一\n二"), "a quoted LF stays");
    CHECK(s.rows[3].n == 2 && cell_is(&s, 4, 2, "\""), "an empty quoted cell, a lone quote");
    csv_sheet_free(&s);

    /* Excel's leniency: stray quotes are text */
    static const char loose[] = "5\"寸,\"ab\"cd\n";
    CHECK(read_sheet(loose, strlen(loose), &s, &bad) == 0, "stray quotes read");
    CHECK(cell_is(&s, 1, 1, "5\"寸") && cell_is(&s, 1, 2, "abcd"), "stray quotes kept as text");
    csv_sheet_free(&s);
}

static void test_empty_cells_and_rows(void)
{
    static const char text[] = "a,,c,,\r\n,,,\r\n\r\nd\r\n,,\r\n\r\n";
    csv_sheet s;
    size_t bad;
    CHECK(read_sheet(text, strlen(text), &s, &bad) == 0, "empty cells read");
    CHECK(s.n == 4, "trailing empty rows dropped, inner ones kept: %zu rows", s.n);
    CHECK(s.rows[0].n == 3 && cell_is(&s, 1, 2, ""), "an inner empty cell, trailing ones dropped");
    CHECK(s.n >= 3 && s.rows[1].n == 0 && s.rows[2].n == 0, "empty rows between rows stay empty");
    CHECK(cell_is(&s, 4, 1, "d"), "the row after empty ones keeps its number");
    csv_sheet_free(&s);

    CHECK(read_sheet("", 0, &s, &bad) == 0 && s.n == 0, "no bytes, no rows");
    csv_sheet_free(&s);
    CHECK(read_sheet("\r\n,\r\n", 4, &s, &bad) == 0 && s.n == 0, "only empty rows: none");
    csv_sheet_free(&s);
}

static void test_bom(void)
{
    static const char text[] = "\xEF\xBB\xBF企业名称\r\n甲\r\n";
    csv_sheet s;
    size_t bad;
    CHECK(csv_bom_length(text, strlen(text)) == 3, "a BOM is 3 bytes");
    CHECK(csv_bom_length("abc", 3) == 0 && csv_bom_length("\xEF\xBB", 2) == 0, "no BOM");
    CHECK(read_sheet(text, strlen(text), &s, &bad) == 0 && cell_is(&s, 1, 1, "企业名称"),
          "the BOM is not part of the first heading");
    csv_sheet_free(&s);
    /* a BOM then a quoted first cell */
    static const char quoted[] = "\xEF\xBB\xBF\"a,b\",c";
    CHECK(read_sheet(quoted, strlen(quoted), &s, &bad) == 0 && cell_is(&s, 1, 1, "a,b"),
          "a quote right after the BOM opens a quoted cell");
    csv_sheet_free(&s);
}

static void test_unbalanced_quote(void)
{
    /* row 3's quote is never closed; row 2 spans two physical lines */
    static const char text[] = "a,b\n\"x\ny\",z\nc,\"open\nmore\n";
    csv_sheet s;
    size_t bad;
    CHECK(read_sheet(text, strlen(text), &s, &bad) == -1, "an unclosed quote is refused");
    CHECK(bad == 3, "reported at the sheet row it opens in (3), got %zu", bad);
    CHECK(s.n == 0 && s.rows == NULL, "nothing is left in the sheet");
    csv_sheet_free(&s);
    CHECK(read_sheet("\"", 1, &s, &bad) == -1 && bad == 1, "a lone quote, row 1");
    csv_sheet_free(&s);
}

static void test_row_at(void)
{
    static const char text[] = "h1,h2\r\n\"a\nb\",c\r\nd,e\r\n";
    size_t len = strlen(text);
    CHECK(csv_row_at(text, len, 0) == 1, "offset 0 is row 1");
    CHECK(csv_row_at(text, len, 5) == 1, "the line break ending row 1 is in row 1");
    CHECK(csv_row_at(text, len, 9) == 2, "the quoted line break is row 2");
    size_t d = (size_t)(strchr(text, 'd') - text);
    CHECK(csv_row_at(text, len, d) == 3, "after a quoted line break, row 3 (got %zu)",
          csv_row_at(text, len, d));
    CHECK(csv_row_at(text, len, len - 1) == 3, "the last byte");
}

int main(void)
{
    test_plain_rows();
    test_quotes();
    test_empty_cells_and_rows();
    test_bom();
    test_unbalanced_quote();
    test_row_at();
    return check_summary();
}
