#include "sheet_xlsx.h"

#include <stdlib.h>
#include <string.h>

#include "exit_codes.h"
#include "utf8.h"
#include "util.h"
#include "xlsx_date.h"
#include "xlsx_internal.h"

sheet_file_kind sheet_file_kind_of(const char *bytes, size_t len)
{
    if (len >= 4 && !memcmp(bytes, "PK\x03\x04", 4))
        return SHEET_FILE_ZIP;
    if (len >= 8 && !memcmp(bytes, "\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1", 8))
        return SHEET_FILE_OLE2;
    return SHEET_FILE_TEXT;
}

/* ------------------------------------------------------------------ */
/* Parts                                                                */

/* libxml2 pulls the part through here: inflated by libzip, counted, and
 * cut off at the limit. */
static int part_pull(void *context, char *buffer, int len)
{
    xlsx_part *p = context;
    zip_int64_t got = p->x->z->fread(p->file, buffer, (zip_uint64_t)len);
    if (got < 0)
        return -1;
    p->read += (unsigned long long)got;
    if (p->read > XLSX_PART_LIMIT) {
        p->too_large = 1;
        return -1;
    }
    return (int)got;
}

static int part_close_stream(void *context)
{
    (void)context; /* the zip entry is closed with the part */
    return 0;
}

/* The first error libxml2 reports, kept for the message. */
static void part_error(void *context, xmlErrorPtr error)
{
    xlsx_part *p = context;
    if (p->error || !error || error->level < XML_ERR_ERROR)
        return;
    size_t len = error->message ? strlen(error->message) : 0;
    while (len > 0 && error->message[len - 1] == '\n')
        len--;
    p->error = xasprintf("line %d: %.*s", error->line, (int)len, error->message ? error->message : "");
}

int xlsx_part_open(xlsx *x, const char *name, int optional, xlsx_part *p)
{
    *p = (xlsx_part){.x = x, .name = name};
    zip_stat_t st;
    zip_int64_t index = x->z->name_locate(x->zip, name, 0);
    if (index < 0) {
        if (!optional)
            diag_add(x->diags, DIAG_ERROR, x->path, 0,
                     "not a complete Excel workbook: it has no part %s (save it again in Excel "
                     "as .xlsx)",
                     name);
        return 0;
    }
    if (x->z->stat_index(x->zip, (zip_uint64_t)index, 0, &st) == 0 && (st.valid & ZIP_STAT_SIZE) &&
        st.size > XLSX_PART_LIMIT) {
        diag_add(x->diags, DIAG_ERROR, x->path, 0,
                 "its part %s would unpack to %llu MB; gen reads at most %u MB a part "
                 "(a damaged or hostile file?)",
                 name, (unsigned long long)(st.size >> 20), XLSX_PART_LIMIT >> 20);
        return -1;
    }
    p->file = x->z->fopen_index(x->zip, (zip_uint64_t)index, 0);
    if (!p->file) {
        diag_add(x->diags, DIAG_ERROR, x->path, 0, "cannot unpack its part %s: %s", name,
                 x->z->strerror(x->zip));
        return -1;
    }
    /* no network, no external entities; a DTD is refused as the nodes come */
    p->reader = xmlReaderForIO(part_pull, part_close_stream, p, name, "UTF-8", XML_PARSE_NONET);
    if (!p->reader) {
        x->z->fclose(p->file);
        diag_add(x->diags, DIAG_ERROR, x->path, 0, "cannot read its part %s", name);
        return -1;
    }
    xmlTextReaderSetStructuredErrorHandler(p->reader, part_error, p);
    return 1;
}

int xlsx_part_next(xlsx_part *p)
{
    int rc = xmlTextReaderRead(p->reader);
    if (rc == 1 && xmlTextReaderNodeType(p->reader) == XML_READER_TYPE_DOCUMENT_TYPE) {
        if (!p->error)
            p->error = xstrdup("a DTD (<!DOCTYPE>), which no Excel part has");
        return -1;
    }
    return rc;
}

int xlsx_part_close(xlsx_part *p, int status)
{
    if (p->too_large)
        diag_add(p->x->diags, DIAG_ERROR, p->x->path, 0,
                 "its part %s unpacks to more than %u MB, the most gen reads a part "
                 "(a damaged or hostile file?)",
                 p->name, XLSX_PART_LIMIT >> 20);
    else if (status < 0)
        diag_add(p->x->diags, DIAG_ERROR, p->x->path, 0,
                 "its part %s is not well-formed XML (%s): save the workbook again in Excel",
                 p->name, p->error ? p->error : "the archive is damaged");
    xmlFreeTextReader(p->reader);
    p->x->z->fclose(p->file);
    free(p->error);
    return status < 0 || p->too_large ? -1 : 0;
}

static int node_is(const xlsx_part *p, int type, const char *local)
{
    return xmlTextReaderNodeType(p->reader) == type &&
           !strcmp((const char *)xmlTextReaderConstLocalName(p->reader), local);
}

int xlsx_at_start(const xlsx_part *p, const char *local)
{
    return node_is(p, XML_READER_TYPE_ELEMENT, local);
}

int xlsx_at_end(const xlsx_part *p, const char *local)
{
    return node_is(p, XML_READER_TYPE_END_ELEMENT, local) ||
           (node_is(p, XML_READER_TYPE_ELEMENT, local) && xmlTextReaderIsEmptyElement(p->reader));
}

void xlsx_within(const xlsx_part *p, const char *local, int *flag)
{
    if (xlsx_at_start(p, local))
        *flag = !xmlTextReaderIsEmptyElement(p->reader);
    else if (xlsx_at_end(p, local))
        *flag = 0;
}

const char *xlsx_text(const xlsx_part *p)
{
    int type = xmlTextReaderNodeType(p->reader);
    if (type == XML_READER_TYPE_TEXT || type == XML_READER_TYPE_CDATA ||
        type == XML_READER_TYPE_WHITESPACE || type == XML_READER_TYPE_SIGNIFICANT_WHITESPACE)
        return (const char *)xmlTextReaderConstValue(p->reader);
    return NULL;
}

void xlsx_append(char **text, size_t *n, const char *more)
{
    size_t m = strlen(more);
    *text = xrealloc(*text, *n + m + 1);
    memcpy(*text + *n, more, m + 1);
    *n += m;
}

char *xlsx_attribute(const xlsx_part *p, const char *local)
{
    char *value = NULL;
    if (xmlTextReaderMoveToFirstAttribute(p->reader) != 1)
        return NULL;
    do {
        const char *name = (const char *)xmlTextReaderConstLocalName(p->reader);
        if (!xmlTextReaderIsNamespaceDecl(p->reader) && !strcmp(name, local))
            value = xstrdup((const char *)xmlTextReaderConstValue(p->reader));
    } while (!value && xmlTextReaderMoveToNextAttribute(p->reader) == 1);
    xmlTextReaderMoveToElement(p->reader);
    return value;
}

int xlsx_truthy(const char *v)
{
    return v && (!strcmp(v, "1") || !strcmp(v, "true"));
}

/* ------------------------------------------------------------------ */
/* The workbook: its sheets, where their parts are, its date system      */

typedef struct workbook_sheet {
    char *name, *rel_id;
    int hidden;
} workbook_sheet;

typedef struct workbook {
    workbook_sheet *sheets;
    size_t n, cap;
} workbook;

static int workbook_read(xlsx *x, workbook *wb)
{
    xlsx_part p;
    int rc = xlsx_part_open(x, "xl/workbook.xml", 0, &p);
    if (rc <= 0)
        return -1;
    while ((rc = xlsx_part_next(&p)) == 1) {
        if (xlsx_at_start(&p, "workbookPr")) {
            char *v = xlsx_attribute(&p, "date1904");
            x->date1904 = xlsx_truthy(v);
            free(v);
        } else if (xlsx_at_start(&p, "sheet")) {
            char *state = xlsx_attribute(&p, "state");
            GROW(wb->sheets, wb->n, wb->cap);
            wb->sheets[wb->n++] = (workbook_sheet){xlsx_attribute(&p, "name"),
                                                   xlsx_attribute(&p, "id"),
                                                   state && strcmp(state, "visible") != 0};
            free(state);
        }
    }
    return xlsx_part_close(&p, rc);
}

static void workbook_free(workbook *wb)
{
    for (size_t i = 0; i < wb->n; i++)
        free(wb->sheets[i].name), free(wb->sheets[i].rel_id);
    free(wb->sheets);
}

/* A relationship's target as a part name: relative to xl/, or from the
 * archive's root when it starts with '/'. */
static char *part_name(const char *target)
{
    return target[0] == '/' ? xstrdup(target + 1) : xasprintf("xl/%s", target);
}

/* From xl/_rels/workbook.xml.rels: the target of relationship `id`, and
 * the shared strings' and styles' parts (their usual names if absent). */
typedef struct workbook_parts {
    char *sheet, *strings, *styles;
} workbook_parts;

static int type_is(const char *type, const char *suffix)
{
    size_t t = type ? strlen(type) : 0, s = strlen(suffix);
    return t >= s && !strcmp(type + t - s, suffix);
}

static int parts_find(xlsx *x, const char *id, workbook_parts *parts)
{
    xlsx_part p;
    int rc = xlsx_part_open(x, "xl/_rels/workbook.xml.rels", 0, &p);
    if (rc <= 0)
        return -1;
    while ((rc = xlsx_part_next(&p)) == 1) {
        if (!xlsx_at_start(&p, "Relationship"))
            continue;
        char *rel = xlsx_attribute(&p, "Id"), *type = xlsx_attribute(&p, "Type");
        char *target = xlsx_attribute(&p, "Target");
        char **slot = !target                          ? NULL
                      : rel && id && !strcmp(rel, id) ? &parts->sheet
                      : type_is(type, "/sharedStrings") ? &parts->strings
                      : type_is(type, "/styles")        ? &parts->styles
                                                        : NULL;
        if (slot && !*slot)
            *slot = part_name(target);
        free(rel), free(type), free(target);
    }
    if (!parts->strings)
        parts->strings = xstrdup("xl/sharedStrings.xml");
    if (!parts->styles)
        parts->styles = xstrdup("xl/styles.xml");
    return xlsx_part_close(&p, rc);
}

/* "Sheet1", "名单" for a message. */
static char *sheet_names(const workbook *wb)
{
    char *list = xstrdup("");
    for (size_t i = 0; i < wb->n; i++) {
        char *l = xasprintf("%s%s\"%s\"", list, i ? ", " : "", wb->sheets[i].name ? wb->sheets[i].name : "");
        free(list);
        list = l;
    }
    return list;
}

/* The sheet asked for, or the first one a clerk sees; NULL reported. */
static const workbook_sheet *sheet_choose(xlsx *x, const workbook *wb, const char *name)
{
    for (size_t i = 0; i < wb->n; i++) {
        const workbook_sheet *s = &wb->sheets[i];
        if (name ? s->name && !strcmp(s->name, name) : !s->hidden)
            return s;
    }
    char *names = sheet_names(wb);
    if (name)
        diag_add(x->diags, DIAG_ERROR, x->path, 0,
                 "no sheet named \"%s\": its sheets are %s (--sheet NAME)", name, names);
    else
        diag_add(x->diags, DIAG_ERROR, x->path, 0, "the workbook has no visible sheet (sheets: %s)",
                 names);
    free(names);
    return NULL;
}

/* ------------------------------------------------------------------ */
/* Shared strings and styles                                            */

static int hex_digit(char c)
{
    return c >= '0' && c <= '9' ? c - '0' : c >= 'A' && c <= 'F' ? c - 'A' + 10 : c >= 'a' && c <= 'f' ? c - 'a' + 10 : -1;
}

/* The code of _xHHHH_ at p, or -1. */
static long escape_at(const char *p)
{
    long code = 0;
    if (p[0] != '_' || p[1] != 'x')
        return -1;
    for (int i = 2; i < 6; i++) {
        if (hex_digit(p[i]) < 0)
            return -1;
        code = code * 16 + hex_digit(p[i]);
    }
    return p[6] == '_' ? code : -1;
}

void xlsx_unescape(char *s)
{
    char *o = s;
    for (const char *p = s; *p;) {
        long code = escape_at(p);
        if (code <= 0 || (code >= 0xD800 && code <= 0xDFFF)) { /* not a character alone */
            *o++ = *p++;
            continue;
        }
        p += 7; /* at most 3 bytes of UTF-8 for the 7 of _xHHHH_ */
        o += utf8_encode((uint32_t)code, o);
    }
    *o = '\0';
    /* CRLF and CR as LF */
    o = s;
    for (const char *p = s; *p; p++)
        if (*p != '\r')
            *o++ = *p;
        else if (p[1] != '\n')
            *o++ = '\n';
    *o = '\0';
}

/* Each <si>: its <t>, or its rich-text runs' <t> joined; the phonetic
 * guide (<rPh>, furigana) is not the text. */
static int strings_read(xlsx *x, const char *name)
{
    xlsx_part p;
    int rc = xlsx_part_open(x, name, 1, &p), in_t = 0, in_phonetic = 0;
    char *text = NULL;
    size_t n = 0;
    if (rc <= 0)
        return rc;
    while ((rc = xlsx_part_next(&p)) == 1) {
        if (xlsx_at_start(&p, "si")) {
            free(text);
            text = xstrdup(""), n = 0;
        }
        xlsx_within(&p, "rPh", &in_phonetic);
        xlsx_within(&p, "t", &in_t);
        const char *more = xlsx_text(&p);
        if (in_t && !in_phonetic && text && more)
            xlsx_append(&text, &n, more);
        if (xlsx_at_end(&p, "si") && text) {
            xlsx_unescape(text);
            GROW(x->strings, x->n_strings, x->strings_cap);
            x->strings[x->n_strings++] = text;
            text = NULL;
        }
    }
    free(text);
    return xlsx_part_close(&p, rc);
}

typedef struct custom_format {
    int id, is_date;
} custom_format;

/* For each cell format (<cellXfs><xf numFmtId=...>): whether it shows a
 * date.  The custom formats (<numFmts>) come before them. */
static int styles_read(xlsx *x, const char *name)
{
    xlsx_part p;
    custom_format *custom = NULL;
    size_t n_custom = 0, custom_cap = 0;
    int rc = xlsx_part_open(x, name, 1, &p), in_cell_xfs = 0;
    if (rc <= 0)
        return rc;
    while ((rc = xlsx_part_next(&p)) == 1) {
        if (xlsx_at_start(&p, "numFmt")) {
            char *id = xlsx_attribute(&p, "numFmtId"), *code = xlsx_attribute(&p, "formatCode");
            GROW(custom, n_custom, custom_cap);
            custom[n_custom++] = (custom_format){id ? atoi(id) : -1, code && xlsx_format_is_date(0, code)};
            free(id), free(code);
        }
        xlsx_within(&p, "cellXfs", &in_cell_xfs);
        if (in_cell_xfs && xlsx_at_start(&p, "xf")) {
            char *v = xlsx_attribute(&p, "numFmtId");
            int id = v ? atoi(v) : 0, date = -1;
            for (size_t i = 0; i < n_custom && date < 0; i++)
                if (custom[i].id == id)
                    date = custom[i].is_date;
            GROW(x->date_styles, x->n_styles, x->styles_cap);
            x->date_styles[x->n_styles++] = (unsigned char)(date >= 0 ? date : xlsx_format_is_date(id, NULL));
            free(v);
        }
    }
    free(custom);
    return xlsx_part_close(&p, rc);
}

/* ------------------------------------------------------------------ */
/* The archive                                                          */

static int has_part(const xlsx *x, const char *name)
{
    return x->z->name_locate(x->zip, name, 0) >= 0;
}

/* A zip archive that is not a workbook: what it is and what to do. */
static void not_a_workbook(const xlsx *x)
{
    if (has_part(x, "word/document.xml"))
        diag_add(x->diags, DIAG_ERROR, x->path, 0,
                 "a Word document, not a sheet: copy the table into Excel and save it as .xlsx "
                 "(Excel 工作簿)");
    else if (has_part(x, "ppt/presentation.xml"))
        diag_add(x->diags, DIAG_ERROR, x->path, 0,
                 "a PowerPoint presentation, not a sheet: copy the table into Excel and save it "
                 "as .xlsx (Excel 工作簿)");
    else if (has_part(x, "content.xml"))
        diag_add(x->diags, DIAG_ERROR, x->path, 0,
                 "an OpenDocument file (.ods, .odt), not an Excel workbook: save it as .xlsx "
                 "(Excel 工作簿) or CSV");
    else
        diag_add(x->diags, DIAG_ERROR, x->path, 0,
                 "a zip archive, not an Excel workbook (it has no xl/workbook.xml): unpack it, or "
                 "save the sheet in Excel as .xlsx (Excel 工作簿) or CSV");
}

static int archive_open(xlsx *x, const char *bytes, size_t len)
{
    zip_error_t error;
    x->z->error_init(&error);
    zip_source_t *src = x->z->source_buffer_create(bytes, len, 0, &error);
    if (src) {
        x->zip = x->z->open_from_source(src, ZIP_RDONLY | ZIP_CHECKCONS, &error);
        if (!x->zip)
            x->z->source_free(src);
    }
    if (!x->zip)
        diag_add(x->diags, DIAG_ERROR, x->path, 0,
                 "a damaged or incomplete zip archive (%s): if it is an Excel workbook, open it "
                 "in Excel and save it again",
                 x->z->error_strerror(&error));
    x->z->error_fini(&error);
    return x->zip ? 0 : -1;
}

static void xlsx_free(xlsx *x)
{
    for (size_t i = 0; i < x->n_strings; i++)
        free(x->strings[i]);
    free(x->strings);
    free(x->date_styles);
    if (x->zip)
        x->z->discard(x->zip);
}

/* The workbook's parts in the order each needs the one before. */
static int workbook_parts_read(xlsx *x, const char *sheet_name, csv_sheet *sheet)
{
    workbook wb = {0};
    workbook_parts parts = {0};
    const workbook_sheet *chosen = NULL;
    int ok = workbook_read(x, &wb) == 0 && (chosen = sheet_choose(x, &wb, sheet_name)) != NULL &&
             parts_find(x, chosen->rel_id, &parts) == 0;
    if (ok && !parts.sheet)
        diag_add(x->diags, DIAG_ERROR, x->path, 0,
                 "the workbook names no part for its sheet \"%s\" (save it again in Excel)",
                 chosen->name ? chosen->name : "");
    ok = ok && parts.sheet && strings_read(x, parts.strings) >= 0 &&
         styles_read(x, parts.styles) >= 0 && xlsx_sheet_read(x, parts.sheet, sheet) == 0;
    free(parts.sheet), free(parts.strings), free(parts.styles);
    workbook_free(&wb);
    return ok ? 0 : -1;
}

int xlsx_read(const char *path, const char *bytes, size_t len, const char *sheet_name,
              csv_sheet *sheet, diag_list *diags)
{
    const char *why = NULL;
    xlsx x = {.path = path, .diags = diags, .z = zip_functions_get(&why)};
    if (!x.z) {
        diag_add(diags, DIAG_ERROR, NULL, 0,
                 "cannot read .xlsx workbooks here: libzip cannot be loaded (%s); install it "
                 "(make deps), or save the sheet as CSV",
                 why);
        return EXIT_ENVIRONMENT;
    }
    int ok = archive_open(&x, bytes, len) == 0;
    if (ok && !has_part(&x, "xl/workbook.xml")) {
        not_a_workbook(&x);
        ok = 0;
    }
    ok = ok && workbook_parts_read(&x, sheet_name, sheet) == 0;
    xlsx_free(&x);
    if (!ok)
        csv_sheet_free(sheet);
    return ok ? EXIT_DONE : EXIT_BAD_INPUT;
}
