#define _GNU_SOURCE
#include "load.h"

#include <errno.h>
#include <libxml/entities.h>
#include <libxml/hash.h>
#include <libxml/parser.h>
#include <libxml/relaxng.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "load_encoding.h"
#include "text.h"
#include "util.h"

typedef struct error_sink {
    diag_list *diags;
    const char *path;
    int count;
    int first_only; /* a parser's later errors follow from its first */
} error_sink;

/* libxml2's words for the limits that guard against hostile files, in
 * the words of the person whose record it is. */
static const char *const plainer[][2] = {
    {"Excessive depth in document", "elements are nested more than 256 deep; no record is"},
    {"xmlSAX2Characters: huge text node",
     "a text longer than 10,000,000 bytes; no field of a record is that long"},
    {"Detected an entity reference loop", "entities that refer to themselves (an entity bomb)"},
};

/* libxml2's messages span lines ("...\nBytes: 0xFF ..."): one line each. */
static char *one_line(const char *message)
{
    for (size_t i = 0; message && i < sizeof plainer / sizeof *plainer; i++)
        if (strncmp(message, plainer[i][0], strlen(plainer[i][0])) == 0)
            return xstrdup(plainer[i][1]);
    char *msg = xstrdup(message ? message : "malformed XML");
    for (char *p = msg; *p; p++)
        if (*p == '\n')
            *p = ' ';
    /* libxml2 quotes the text at the error cut at a byte count, which can
     * split a character: end the message before it */
    size_t bad = 0;
    if (utf8_length(msg, strlen(msg), &bad) < 0)
        msg[bad] = '\0';
    size_t n = strlen(msg);
    while (n > 0 && msg[n - 1] == ' ')
        msg[--n] = '\0';
    return msg;
}

static void on_xml_error(void *data, xmlError *e)
{
    error_sink *sink = data;
    if (sink->first_only && sink->count > 0)
        return;
    char *msg = one_line(e->message);
    diag_add(sink->diags, DIAG_ERROR, sink->path, e->line, "%s", msg);
    sink->count++;
    free(msg);
}

static char *read_file(const char *path, size_t *len, diag_list *diags)
{
    struct stat st;
    if (stat(path, &st) != 0) {
        diag_add(diags, DIAG_ERROR, path, 0, "cannot read: %s", strerror(errno));
        return NULL;
    }
    if (S_ISDIR(st.st_mode)) {
        diag_add(diags, DIAG_ERROR, path, 0, "is a directory, not an XML file");
        return NULL;
    }
    FILE *f = fopen(path, "rb");
    if (!f) {
        diag_add(diags, DIAG_ERROR, path, 0, "cannot read: %s", strerror(errno));
        return NULL;
    }
    size_t cap = st.st_size > 0 ? (size_t)st.st_size + 1 : 4096, n = 0;
    char *buf = xmalloc(cap);
    size_t got;
    while ((got = fread(buf + n, 1, cap - n, f)) > 0) {
        n += got;
        if (n == cap)
            buf = xrealloc(buf, cap *= 2);
    }
    int failed = ferror(f);
    fclose(f);
    if (failed) {
        diag_add(diags, DIAG_ERROR, path, 0, "cannot read: %s", strerror(errno));
        free(buf);
        return NULL;
    }
    *len = n;
    return buf;
}

/* Records need no entities; declared ones could name /etc/passwd or a URL
 * (they are never loaded) or expand a few bytes into gigabytes. */
static int declares_entities(xmlDoc *doc, const char *path, diag_list *diags)
{
    xmlDtd *dtd = doc->intSubset;
    if (!dtd || !dtd->entities || xmlHashSize((xmlHashTablePtr)dtd->entities) <= 0)
        return 0;
    diag_add(diags, DIAG_ERROR, path, (int)xmlGetLineNo((xmlNode *)dtd),
             "the file declares entities (<!ENTITY ...>), which records may not use");
    return 1;
}

static xmlDoc *parse_utf8(const char *path, const char *text, size_t len, diag_list *diags)
{
    xmlParserCtxt *ctxt = xmlNewParserCtxt();
    if (!ctxt) {
        diag_add(diags, DIAG_ERROR, path, 0, "libxml2 could not start");
        return NULL;
    }
    error_sink sink = {diags, path, 0, 1};
    /* libxml2 2.9 has no per-context structured handler: set the global
     * one around the parse (the program is single-threaded). */
    xmlSetStructuredErrorFunc(&sink, (xmlStructuredErrorFunc)on_xml_error);
    /* No network, no DTD loading, no entity substitution; the text is
     * UTF-8 now whatever the declaration says; CDATA becomes text; line
     * numbers past 65535 stay right. */
    int options = XML_PARSE_NONET | XML_PARSE_NOCDATA | XML_PARSE_BIG_LINES | XML_PARSE_IGNORE_ENC;
    xmlDoc *doc = xmlCtxtReadMemory(ctxt, text, (int)len, path, "UTF-8", options);
    xmlSetStructuredErrorFunc(NULL, NULL);
    if (doc && (sink.count > 0 || declares_entities(doc, path, diags))) {
        xmlFreeDoc(doc);
        doc = NULL;
    }
    if (!doc && sink.count == 0 && diag_count(diags, DIAG_ERROR) == 0)
        diag_add(diags, DIAG_ERROR, path, 0, "not a well-formed XML file");
    xmlFreeParserCtxt(ctxt);
    return doc;
}

xmlDoc *load_xml_memory(const char *path, const char *bytes, size_t len, const char *encoding,
                        diag_list *diags)
{
    if (len == 0) {
        diag_add(diags, DIAG_ERROR, path, 0, "the file is empty");
        return NULL;
    }
    if (len > (size_t)1 << 30) { /* libxml2 takes an int length */
        diag_add(diags, DIAG_ERROR, path, 0, "the file is larger than 1 GiB");
        return NULL;
    }
    size_t utf8_len = 0;
    char *declared = encoding ? NULL : encoding_declared(bytes, len);
    char *text = encoding_to_utf8(path, bytes, len, encoding ? encoding : declared, encoding != NULL,
                                  &utf8_len, diags);
    free(declared);
    if (!text)
        return NULL;
    const char *nul = memchr(text, '\0', utf8_len);
    if (nul) { /* libxml2 would take it for the end of the file */
        size_t at = (size_t)(nul - text);
        int line = 1;
        for (size_t i = 0; i < at; i++)
            line += text[i] == '\n';
        diag_add(diags, DIAG_ERROR, path, line, "a NUL byte (character %zu): the file is not text",
                 at);
        free(text);
        return NULL;
    }
    xmlDoc *doc = parse_utf8(path, text, utf8_len, diags);
    free(text);
    return doc;
}

xmlDoc *load_xml_encoded(const char *path, const char *encoding, diag_list *diags)
{
    size_t len = 0;
    char *bytes = read_file(path, &len, diags);
    if (!bytes)
        return NULL;
    xmlDoc *doc = load_xml_memory(path, bytes, len, encoding, diags);
    free(bytes);
    return doc;
}

xmlDoc *load_xml(const char *path, diag_list *diags)
{
    return load_xml_encoded(path, NULL, diags);
}

int load_validate(xmlDoc *doc, const char *path, const char *schema, diag_list *diags)
{
    xmlRelaxNGParserCtxt *pctxt = xmlRelaxNGNewParserCtxt(schema);
    error_sink schema_sink = {diags, schema, 0, 0};
    xmlRelaxNGSetParserStructuredErrors(pctxt, (xmlStructuredErrorFunc)on_xml_error, &schema_sink);
    xmlRelaxNG *rng = xmlRelaxNGParse(pctxt);
    xmlRelaxNGFreeParserCtxt(pctxt);
    if (!rng) {
        if (schema_sink.count == 0)
            diag_add(diags, DIAG_ERROR, schema, 0, "cannot read the schema");
        return -1;
    }
    xmlRelaxNGValidCtxt *vctxt = xmlRelaxNGNewValidCtxt(rng);
    error_sink sink = {diags, path, 0, 0};
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
