#define _GNU_SOURCE
#include "load.h"

#include <errno.h>
#include <libxml/parser.h>
#include <libxml/relaxng.h>
#include <string.h>
#include <sys/stat.h>

#include "util.h"

typedef struct error_sink {
    diag_list *diags;
    const char *path;
    int count;
} error_sink;

static void trim_newline(char *s)
{
    size_t n = strlen(s);
    while (n > 0 && (s[n - 1] == '\n' || s[n - 1] == ' '))
        s[--n] = '\0';
}

static void on_xml_error(void *data, xmlError *e)
{
    error_sink *sink = data;
    char *msg = xstrdup(e->message ? e->message : "malformed XML");
    trim_newline(msg);
    diag_add(sink->diags, DIAG_ERROR, sink->path, e->line, "%s", msg);
    sink->count++;
    free(msg);
}

xmlDoc *load_xml(const char *path, diag_list *diags)
{
    struct stat st;
    if (stat(path, &st) != 0) {
        diag_add(diags, DIAG_ERROR, path, 0, "cannot read: %s", strerror(errno));
        return NULL;
    }
    if (S_ISDIR(st.st_mode)) {
        diag_add(diags, DIAG_ERROR, path, 0, "is a directory, not a record");
        return NULL;
    }
    xmlParserCtxt *ctxt = xmlNewParserCtxt();
    if (!ctxt) {
        diag_add(diags, DIAG_ERROR, path, 0, "libxml2 could not start");
        return NULL;
    }
    error_sink sink = {diags, path, 0};
    /* libxml2 2.9 has no per-context structured handler: set the global
     * one around the parse (the program is single-threaded). */
    xmlSetStructuredErrorFunc(&sink, (xmlStructuredErrorFunc)on_xml_error);
    /* No network, no DTD loading, no entity substitution: a record cannot
     * pull in /etc/passwd or a URL. CDATA becomes text; line numbers past
     * 65535 stay right. */
    int options = XML_PARSE_NONET | XML_PARSE_NOCDATA | XML_PARSE_BIG_LINES;
    xmlDoc *doc = xmlCtxtReadFile(ctxt, path, NULL, options);
    xmlSetStructuredErrorFunc(NULL, NULL);
    if (doc && sink.count > 0) {
        xmlFreeDoc(doc);
        doc = NULL;
    }
    if (!doc && sink.count == 0)
        diag_add(diags, DIAG_ERROR, path, 0, "not a well-formed XML file");
    xmlFreeParserCtxt(ctxt);
    return doc;
}

int load_validate(xmlDoc *doc, const char *path, const char *schema, diag_list *diags)
{
    xmlRelaxNGParserCtxt *pctxt = xmlRelaxNGNewParserCtxt(schema);
    error_sink schema_sink = {diags, schema, 0};
    xmlRelaxNGSetParserStructuredErrors(pctxt, (xmlStructuredErrorFunc)on_xml_error, &schema_sink);
    xmlRelaxNG *rng = xmlRelaxNGParse(pctxt);
    xmlRelaxNGFreeParserCtxt(pctxt);
    if (!rng) {
        if (schema_sink.count == 0)
            diag_add(diags, DIAG_ERROR, schema, 0, "cannot read the schema");
        return -1;
    }
    xmlRelaxNGValidCtxt *vctxt = xmlRelaxNGNewValidCtxt(rng);
    error_sink sink = {diags, path, 0};
    xmlRelaxNGSetValidStructuredErrors(vctxt, (xmlStructuredErrorFunc)on_xml_error, &sink);
    int rc = xmlRelaxNGValidateDoc(vctxt, doc);
    if (rc != 0 && sink.count == 0) {
        diag_add(diags, DIAG_ERROR, path, 0, "does not match its schema %s", schema);
        sink.count = 1;
    }
    xmlRelaxNGFreeValidCtxt(vctxt);
    xmlRelaxNGFree(rng);
    return sink.count;
}
